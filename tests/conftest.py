"""Shared test helpers: the repository root, fixture sites and golden files."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
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


def live_copy(tmp_path: Path) -> Path:
    """A throw-away copy of the repository's own plan and content (with mkdocs.yml)."""
    root = tmp_path / "live"
    root.mkdir(parents=True)
    shutil.copytree(ROOT / "content", root / "content")
    for name in ("plan.yaml", "mkdocs.yml"):
        shutil.copy(ROOT / name, root / name)
    if (ROOT / "plans").is_dir():
        shutil.copytree(ROOT / "plans", root / "plans")
    return root


def with_example_facts(root: Path, email_address: str = "info@example.jp",
                       unsubscribe: str = "https://example.jp/mail/stop") -> Path:
    """What a newsletter needs and the live content does not have yet (the facility's e-mail address,
    an unsubscribe page), as example.jp facts, in a site root's copy: plan.yaml and content/newsletter.yaml."""
    plan = root / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    text, found = re.subn(r'(?m)^  email: .*$', f'  email: "{email_address}"', text, count=1)
    if not found:
        text = re.sub(r"(?m)^(  address: .*\n)", rf'\1  email: "{email_address}"\n', text, count=1)
    plan.write_text(text, encoding="utf-8")
    settings = root / "content" / "newsletter.yaml"
    text = settings.read_text(encoding="utf-8") if settings.exists() else ""
    text, found = re.subn(r'(?m)^unsubscribe_url: .*$', f'unsubscribe_url: "{unsubscribe}"', text, count=1)
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(text if found else text + f'unsubscribe_url: "{unsubscribe}"\n', encoding="utf-8")
    return root


@pytest.fixture
def mini_root(tmp_path: Path) -> Path:
    return make_root(tmp_path)


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
