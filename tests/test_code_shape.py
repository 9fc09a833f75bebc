"""The code stays readable: no function over about 40 lines (issue 15), counted as in the note."""

from __future__ import annotations

import ast

from conftest import ROOT

# Lines of a function's code as Python writes it back (ast.unparse: its statements and docstring, one
# line each, wherever the formatter breaks a long call over several lines), from ``def`` to the end.
MAX_LINES = 40


def long_functions() -> dict[tuple[str, str], int]:
    found = {}
    for path in sorted((ROOT / "generator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = len(ast.unparse(node).splitlines())
                if lines > MAX_LINES:
                    found[(path.relative_to(ROOT / "generator").as_posix(), node.name)] = lines
    return found


def test_no_function_is_longer_than_40_lines():
    found = long_functions()
    assert not found, f"split these into smaller functions: {found}"
