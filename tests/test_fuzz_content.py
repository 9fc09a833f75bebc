"""Random and mutated content: the loader and the checks either accept it or report Problems at a
path and line, never an internal error, within time and memory bounds (SECURITY.md).

Real fixture files are mutated the way hands and tools break them: characters, lines and indentation
inserted, deleted and duplicated; YAML's ``& * ! [ { : #`` and Markdown's ``[ ] ( ) * _ # > ` <``
dropped in; deep nesting; huge repetition (past the size limit). tests/test_hostile_content.py holds
the named attacks (symlinks, alias bombs, 5,000 levels) with their time and memory in a subprocess."""

from __future__ import annotations

import resource
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, make_root
from generator.reading import markdown as templating_markdown
from generator.publish.build import check_links
from generator.model.errors import ContentError, Problem
from generator.reading.load import load_site
from generator.reading.yaml_strict import load_yaml_text

TODAY = date(2025, 6, 1)
YAML_FILES = sorted([*(FIXTURES / "events" / "content" / "events").rglob("*.yaml"), FIXTURES / "events" / "plan.yaml"])
MARKDOWN_FILES = sorted((FIXTURES / "links" / "content").rglob("*.md"))
YAML_PIECES = ["&", "*", "!", "[", "]", "{", "}", ":", ": ", "#", " #", "- ", "? ", "|", ">", "'", '"', "%", "@", "`",
               "&a ", "*a", "!!binary ", "!!python/object:os.system ", "---\n", "...\n", "\n", "  ", "\t", "\u3000", "：",
               "\\", "\r", "\ufeff", "\x00", "\x85", "2025-13-40", "9999-12-31", "0x1F", "1e400", "~", "null", "yes", "<script>"]
MARKDOWN_PIECES = ["[", "]", "(", ")", "](", "![", "*", "_", "**", "#", "# ", "> ", "`", "```\n", "<", ">", "<div>", "</div>",
                   "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "|", "|-|", "\n", "    ", "- ", "1. ", "!!! note\n",
                   "[x]: /y", "{: #id}", "&amp;", "&#", "\\", "---\n", "[a](../../../../etc/passwd)", "[a](javascript:alert(1))"]
EXTRA_MEMORY = 400 * 2**20  # over the process's peak before a check (a high-water mark: a bound, not a measure)
SECONDS = 30


def mutations(pieces: list[str]) -> st.SearchStrategy:
    """A list of edits, each ``(kind, where 0..1, size 0..1, text)``, applied in order by ``mutate``."""
    text = st.one_of(st.sampled_from(pieces), st.text(max_size=8))
    kinds = st.sampled_from(["insert", "delete", "duplicate", "repeat", "line", "indent", "dedent", "nest-flow", "nest-block", "truncate"])
    return st.lists(st.tuples(kinds, st.floats(0, 1), st.floats(0, 1), text), min_size=1, max_size=6)


def mutate(original: str, edits) -> str:
    text = original
    for kind, where, size, piece in edits:
        at = int(where * len(text))
        lines = text.split("\n")
        line = min(int(where * len(lines)), len(lines) - 1)
        if kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + 1 + int(size * 40):]
        elif kind == "duplicate":
            text = text[:at] + text[at:at + 1 + int(size * 80)] * 2 + text[at:]
        elif kind == "repeat":  # huge repetition: up to 400,000 characters, past the size limit
            piece = piece or "x"
            text = text[:at] + piece * (int(size ** 4 * 400_000) // len(piece)) + text[at:]
        elif kind == "line":
            lines.insert(line, lines[line] if size < 0.5 else piece)
            text = "\n".join(lines)
        elif kind in ("indent", "dedent"):
            amount = 1 + int(size * 8)
            lines[line] = " " * amount + lines[line] if kind == "indent" else lines[line][amount:]
            text = "\n".join(lines)
        elif kind == "nest-flow":
            depth = 1 + int(size ** 2 * 5000)
            text = text[:at] + "[" * depth + (piece or "x") + "]" * depth + text[at:]
        elif kind == "nest-block":
            depth = 1 + int(size ** 2 * 300)
            block = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(depth))
            lines.insert(line, block.rstrip("\n"))
            text = "\n".join(lines)
        elif kind == "truncate":
            text = text[:at]
    return text


def assert_only_placed_problems(problems: list[Problem], path: str | None = None) -> None:
    """Every error names a file, and a line in it unless it is about the whole file (its size, its bytes)."""
    for problem in problems:
        assert problem.path, problem
        if problem.severity == "error" and (path is None or problem.path == path):
            whole_file = ("ファイルが大きすぎます", "文字コードが UTF-8 ではありません", "ファイルがありません")
            assert problem.line >= 1 or problem.message.startswith(whole_file), problem
        assert len(problem.format()) <= 1200, problem


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(file=st.sampled_from(YAML_FILES), edits=mutations(YAML_PIECES))
def test_mutated_yaml_reads_or_is_reported_at_a_line(file, edits):
    text = mutate(file.read_text(encoding="utf-8"), edits)
    start = time.perf_counter()
    doc, problems = load_yaml_text("f.yaml", text)
    assert time.perf_counter() - start < SECONDS
    assert doc is not None or problems
    assert_only_placed_problems(problems, "f.yaml")
    assert all(p.path == "f.yaml" for p in problems)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.sampled_from(YAML_PIECES + ["a", "b", "1", " ", "\n", "- a\n", "k: v\n"]), max_size=200).map("".join))
def test_random_yaml_tokens_read_or_are_reported_at_a_line(text):
    doc, problems = load_yaml_text("f.yaml", text)
    assert doc is not None or problems
    assert_only_placed_problems(problems, "f.yaml")


@pytest.fixture(scope="module", autouse=True)
def quick_markdown_clock():
    """Markdown that runs away is stopped after a second here (5 in use): the test is about being stopped."""
    seconds, templating_markdown.MARKDOWN_SECONDS = templating_markdown.MARKDOWN_SECONDS, 1.0
    yield
    templating_markdown.MARKDOWN_SECONDS = seconds


@pytest.fixture(scope="module")
def site_root(tmp_path_factory) -> Path:
    """One copy of the events fixture with the links fixture's Markdown; each example changes one file and puts it back."""
    root = make_root(tmp_path_factory.mktemp("fuzz"), "events")
    shutil.copytree(FIXTURES / "links" / "content", root / "content", dirs_exist_ok=True)
    return root


def run_check(root: Path) -> list[Problem]:
    """What ``check`` does short of the gate: load, render everything, check links. [] when accepted."""
    try:
        check_links(load_site(root, TODAY))
    except ContentError as error:
        return error.problems
    return []


def fuzz_site(root: Path, relative: str, edits, pieces) -> None:
    target = root / relative
    original = target.read_bytes()
    try:
        target.write_text(mutate(original.decode("utf-8"), edits), encoding="utf-8", errors="surrogatepass")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        start = time.perf_counter()
        problems = run_check(root)
        assert time.perf_counter() - start < SECONDS
        assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - peak < EXTRA_MEMORY
        assert_only_placed_problems(problems, relative)
    finally:
        target.write_bytes(original)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                  HealthCheck.function_scoped_fixture])
@given(file=st.sampled_from(YAML_FILES), edits=mutations(YAML_PIECES))
def test_a_site_with_a_mutated_yaml_file_loads_or_is_reported(site_root, file, edits):
    fuzz_site(site_root, file.relative_to(FIXTURES / "events").as_posix(), edits, YAML_PIECES)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                  HealthCheck.function_scoped_fixture])
@given(file=st.sampled_from(MARKDOWN_FILES), edits=mutations(MARKDOWN_PIECES))
def test_a_site_with_a_mutated_markdown_file_checks_or_is_reported(site_root, file, edits):
    fuzz_site(site_root, file.relative_to(FIXTURES / "links").as_posix(), edits, MARKDOWN_PIECES)
