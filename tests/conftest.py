"""Shared test helpers: the repository root, fixture sites and golden files.

Tests render the fixture site ``tests/fixtures/site`` (``SITE``), never the repository's own
``plan.yaml`` and ``content/``: those belong to staff, and adding a news post must not turn the
tests red. Only tests marked ``@pytest.mark.live`` (tests/test_live_content.py) read the live content.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SITE = FIXTURES / "site"   # the fixture site: a copy of the real plan and content, frozen for the tests
GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the current output")
    parser.addoption("--record-a11y", action="store_true",
                     help="after a passing browser run, write the tested pages and results to content/accessibility.yaml")


def make_root(tmp_path: Path, fixture: str = "mini") -> Path:
    """A throw-away site root: a fixture's plan and content plus the real mkdocs.yml."""
    root = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, root)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


# Never copied with the repository: environments, outputs, caches and history.
NOT_COPIED = (".venv", "node_modules", "site", "build", "out", ".git", "__pycache__", ".pytest_cache", ".hypothesis")


def copy_repository(dest: Path) -> Path:
    """A copy of the working tree (what is on disk, committed or not) without NOT_COPIED. For live tests."""
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(*NOT_COPIED), symlinks=True)
    return dest


@pytest.fixture
def mini_root(tmp_path: Path) -> Path:
    return make_root(tmp_path)


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    """A writable copy of the fixture site (for anything that builds or edits files)."""
    return make_root(tmp_path, "site")


@pytest.fixture
def golden(request):
    """``golden("name.md", text)`` compares text with tests/golden/name.md (``--update-golden`` rewrites it)."""
    update = request.config.getoption("--update-golden") or os.environ.get("UPDATE_GOLDEN") == "1"

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
            return
        assert path.exists(), f"golden file {name} missing: run pytest --update-golden and review the diff"
        with open(path, encoding="utf-8", newline="") as file:  # keep CRLF (CSV, .ics) as written
            expected = file.read()
        assert text == expected, f"{name} differs from the golden file: run pytest --update-golden and review `git diff`"

    return check


def pytest_configure(config):
    config.addinivalue_line("markers", "live: reads the repository's live plan.yaml and content/ (the only tests allowed to)")
