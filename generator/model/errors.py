"""The one problem type and its one formatter.

Every message staff see has the shape ``path:line:col: message`` (line and column
1-based), so editors and GitHub annotations can jump to the spot.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

MAX_VALUE_CHARS = 60  # a value quoted in a message (a title, a key, a link) is cut after this, with …
MAX_MESSAGE_CHARS = 1000  # a whole message, as a last resort (a list of allowed values can be long)


def clip(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """``text`` for a one-line message: line breaks as spaces, cut with … after ``limit`` characters."""
    return _cut(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "), limit)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clip_repr(value: object, limit: int = MAX_VALUE_CHARS) -> str:
    """``repr(value)`` clipped (a string value shows its quotes): for ``（値: …）`` in messages."""
    return clip(repr(value), limit)


# notice: a known unknown (a fact staff have not filled in yet); shown, never fatal, even with --strict.
Severity = Literal["error", "warning", "notice"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a look) at one place in one file."""

    path: str
    line: int = 0
    col: int = 0
    message: str = ""
    severity: Severity = "error"

    def format(self) -> str:
        where = clip(self.path, 200)
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        label = {"warning": "警告: ", "notice": "お知らせ: "}.get(self.severity, "")
        return f"{where}: {label}{_cut(self.message, MAX_MESSAGE_CHARS)}"

    def format_github(self) -> str:
        """A workflow command, so GitHub shows the problem on the changed line of the pull request."""
        kind = {"error": "error", "warning": "warning"}.get(self.severity, "notice")
        where = f"file={self.path}" + (f",line={self.line},col={self.col or 1}" if self.line else "")
        message = _cut(self.message, MAX_MESSAGE_CHARS).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} {where}::{message}"


class ContentError(Exception):
    """Raised when content has errors; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def errors_of(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def warnings_of(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]


def format_summary(problems: Iterable[Problem]) -> str:
    """``エラー 3件（2ファイル）、警告 1件`` — the last line of a failed check (notices are not counted)."""
    problems = list(problems)
    errors = errors_of(problems)
    warnings = warnings_of(problems)
    parts = []
    if errors:
        files = len({p.path for p in errors})
        parts.append(f"エラー {len(errors)}件（{files}ファイル）")
    if warnings:
        parts.append(f"警告 {len(warnings)}件")
    return "、".join(parts) if parts else "問題はありません"


def suggest(word: str, choices: Iterable[str]) -> str:
    """A ``もしかして 'x'？`` hint for a typo, or the empty string."""
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    close = close or [c for c in choices if c and (c in word or word in c)][:1]
    return f"もしかして '{close[0]}'？" if close else ""
