"""ruff and mypy over generator/, with the settings in pyproject.toml: a finding fails make test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess:
    if not (BIN / command[0]).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{command[0]} is not installed (make test installs the test group)")
        pytest.skip(f"{command[0]} is missing: make test installs it (pyproject.toml, test group)")
    return subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True)


def test_ruff_finds_nothing():
    result = _run("ruff", "check", "--no-fix", "generator")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    result = _run("mypy")  # files and settings: pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_the_checks_can_fail(tmp_path):
    """Both tools read pyproject.toml and report a planted mistake (not a silent pass on nothing)."""
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "generator").mkdir()
    (tmp_path / "generator" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "generator" / "bad.py").write_text(
        "import os\n\n\ndef f(items=[]):\n    total: int = 'x'\n    return items\n", encoding="utf-8")
    ruff = subprocess.run([str(BIN / "ruff"), "check", "--no-fix", "--output-format", "concise", "generator"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert ruff.returncode == 1 and "F401" in ruff.stdout and "B006" in ruff.stdout, ruff.stdout
    mypy = subprocess.run([str(BIN / "mypy"), "--no-incremental"], cwd=tmp_path, capture_output=True, text=True)
    assert mypy.returncode == 1 and "bad.py:5: error: Incompatible types in assignment" in mypy.stdout, mypy.stdout


def test_ruff_format_leaves_generator_as_it_is():
    result = _run("ruff", "format", "--check", "generator")
    assert result.returncode == 0, result.stdout + result.stderr
