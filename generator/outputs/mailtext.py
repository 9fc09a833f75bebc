"""Plain text for Japanese mail: display width, 禁則 line breaking, and which characters travel.

Lines are at most 70 display columns (35 full-width characters) so that quoting with
"> " still fits; URLs stand on their own lines and are never broken.

The mail is UTF-8 (text and HTML parts), so ①, ㈱, 髙, 𠮷, half-width kana and emoji are carried
as written. Only what no mail can carry is refused: control characters other than tab and line
feed, unpaired surrogates and non-characters (``unsendable``). Characters outside ISO-2022-JP
(JIS X 0208), which break only if a delivery service or an old phone converts the mail to JIS,
are listed as a notice with a replacement (``outside_jis``), never refused.
"""

from __future__ import annotations

import re
import unicodedata

WIDTH = 70
NO_LINE_START = set("、。，．・：；？！ー）」』】〕〉》｝〙〗ゝゞ々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.)]}!?%〜…‥")
NO_LINE_END = set("（「『【〔〈《｛〘〖([{")
NORMALISE = {"\uff5e": "〜", "\uff0d": "−", "\u2014": "―", "\u00a0": " ", "\u2013": "−"}
URL = re.compile(r"https?://\S+")


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def normalise(text: str) -> str:
    return "".join(NORMALISE.get(c, c) for c in unicodedata.normalize("NFC", text))


_UNSENDABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Variant kanji that JIS X 0208 lacks, and the everyday form to suggest.
VARIANTS = {"髙": "高", "﨑": "崎", "德": "徳"}


def unsendable(text: str) -> list[str]:
    """Characters no mail can carry (control characters but tab and line feed, lone surrogates,
    U+FFFE/U+FFFF), in order, once each."""
    return list(dict.fromkeys(_UNSENDABLE.findall(text)))


def outside_jis(text: str) -> list[str]:
    """Characters ISO-2022-JP (JIS X 0208) cannot carry (①, ㈱, 髙, 𠮷, half-width kana, emoji), once each."""
    found: list[str] = []
    for char in normalise(text):
        if char in "\n\t" or char in found or _UNSENDABLE.match(char):
            continue
        try:
            char.encode("iso2022_jp")
        except UnicodeEncodeError:
            found.append(char)
    return found


def replacement(char: str) -> str:
    """A JIS-safe way to write ``char``: ① -> (1), ㈱ -> (株), ｶ -> カ, 髙 -> 高; "" when there is none (emoji)."""
    if char in VARIANTS:
        return VARIANTS[char]
    folded = unicodedata.normalize("NFKC", char)
    if folded != char and all(_jis(c) for c in folded):
        return f"({folded})" if folded.isdigit() else folded
    return ""


def _jis(char: str) -> bool:
    try:
        char.encode("iso2022_jp")
        return True
    except UnicodeEncodeError:
        return False


def _breakable(line: str, at: int) -> bool:
    """May a line end before ``line[at]``? (禁則: not before closing marks, not after opening ones.)"""
    before, after = line[at - 1], line[at]
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if before.isdigit() or (after.isdigit() and before not in "・、，, 　"):  # keep 17日, 6月, 10時30分 whole
        return False
    if before == "日" and after == "（":  # keep a date with its weekday: 12日（木）
        return False
    return not (before.isascii() and after.isascii() and before.isalnum() and after.isalnum())


def wrap_line(line: str, limit: int = WIDTH, indent: str = "") -> list[str]:
    """One paragraph to lines of at most ``limit`` columns; continuation lines get ``indent``."""
    if URL.fullmatch(line.strip()):
        return [line]
    out, rest, prefix = [], line, ""
    while width(prefix + rest) > limit:
        room, cut = limit - width(prefix), 0
        for index in range(1, len(rest) + 1):
            if width(rest[:index]) > room:
                break
            cut = index
        at = cut
        while at > 1 and not _breakable(rest, at):
            at -= 1
        if at <= 1:
            at = cut  # no good break: keep the limit rather than overflow
        out.append(prefix + rest[:at].rstrip())
        rest, prefix = rest[at:].lstrip(" "), indent
    out.append(prefix + rest)
    return out


def wrap(text: str, limit: int = WIDTH) -> str:
    """Wrap every line; a URL inside a line is moved onto a line of its own."""
    lines: list[str] = []
    for raw in normalise(text).splitlines():
        split = re.split(r"(https?://\S+)", raw)
        parts = [p if i == 0 else p.strip() for i, p in enumerate(split) if p.strip()] or [""]
        for part in parts:
            indent = re.match(r"^(\s*(?:・|- |\* )?)", part).group(1) if not URL.fullmatch(part.strip()) else ""
            lines += wrap_line(part.rstrip(), limit, " " * width(indent) if indent.strip() else "")
    return "\n".join(lines)
