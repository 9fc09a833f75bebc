"""The code stays readable: no function over about 40 lines (issue 15), counted as in the note."""

from __future__ import annotations

import ast

from conftest import ROOT

MAX_LINES = 40  # from ``def`` to the last line, docstring included


def long_functions() -> dict[tuple[str, str], int]:
    found = {}
    for path in sorted((ROOT / "generator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_LINES:
                    found[(path.relative_to(ROOT / "generator").as_posix(), node.name)] = lines
    return found


def test_no_function_is_longer_than_40_lines():
    found = long_functions()
    assert not found, f"split these into smaller functions: {found}"
