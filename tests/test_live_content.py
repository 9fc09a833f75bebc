"""The repository's live plan.yaml and content/: what staff publish passes ``check --strict`` and builds.

These (with tests/test_living_site.py) are the only tests that read the live content; every other
test uses tests/fixtures/site. They check the content as it is today (no ``--today``), as CI's
``make check ARGS=--strict`` and ``make site`` do, and never write into the working tree: the
build runs on a temporary copy of the repository.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date

import jsonschema
import pytest

from browser.pages import PAGES, WIDTHS
from conftest import ROOT, copy_repository
from generator.reading.load import load_site
from generator.tools.schema import render_schemas
from generator.reading.yaml_strict import load_yaml_file

pytestmark = pytest.mark.live


def generator(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def outputs() -> dict[str, float | None]:
    """When the repository's own output folders last changed (None: absent)."""
    return {name: (ROOT / name).stat().st_mtime if (ROOT / name).exists() else None for name in ("site", "build")}


def test_the_live_content_passes_check_strict():
    result = generator("check", "--strict", cwd=ROOT)
    assert result.returncode == 0, f"python -m generator check --strict:\n{result.stdout}\n{result.stderr}"


def test_the_live_content_builds_in_a_copy(tmp_path):
    before = outputs()
    copy = copy_repository(tmp_path / "repo")
    out = tmp_path / "site"
    result = generator("build", "--root", str(copy), "--out", str(out), cwd=ROOT)
    assert result.returncode == 0, f"python -m generator build:\n{result.stdout}\n{result.stderr}"
    for page in ("index.html", "events/index.html", "programs/index.html", "calendar/index.html", "feeds/rss.xml"):
        assert (out / page).is_file(), page
    assert outputs() == before, "the build wrote into the repository"


def test_the_accessibility_record_lists_exactly_the_pages_the_browser_tests_visit():
    """content/accessibility.yaml is make a11y-record's record of the browser tests (tests/browser/pages.py)."""
    doc, problems = load_yaml_file(ROOT / "content" / "accessibility.yaml", ROOT)
    assert doc is not None and not problems, problems
    record = doc.data
    assert [(p["kind"], p["path"]) for p in record["pages"]] == list(PAGES.values()), \
        "tests/browser/pages.py changed: run make a11y-record to test the pages again and update the record"
    assert all(p["widths"] == list(WIDTHS) for p in record["pages"])
    assert all(p["violations"] == 0 for p in record["pages"])
    assert record["level"] == "AA" and record["standard"] == "JIS X 8341-3:2016"
    assert any(tool.startswith("axe-core 4.") for tool in record["tools"])
    assert any(tool.startswith("Chromium ") and "?" not in tool for tool in record["tools"])
    assert date.fromisoformat(record["tested"]) >= date(2026, 11, 1)


def test_the_staff_guides_yaml_examples_are_valid():
    """The guide staff copy from (content/pages/staff/index.md): every example loads and names a real program."""
    from test_staff_tools import check_guide_example

    text = (ROOT / "content/pages/staff/index.md").read_text(encoding="utf-8")
    examples = re.findall(r"```yaml\n(.*?)```", text, re.S)
    assert examples
    site = load_site(ROOT, date.today())
    for example in examples:
        check_guide_example(example, site)


def test_the_editors_schema_accepts_the_live_plan_and_every_event_file():
    """VS Code checks staff's files against schema/ as they type: it must agree with check."""
    schemas = render_schemas()
    plans = [ROOT / "plan.yaml", *sorted((ROOT / "plans").glob("*.yaml"))]
    events = sorted((ROOT / "content" / "events").rglob("*.yaml"))
    for paths, name in ((plans, "plan.schema.json"), (events, "event.schema.json")):
        schema = json.loads(schemas[name])
        for path in paths:
            doc, _ = load_yaml_file(path, ROOT)
            try:
                jsonschema.validate(doc.data, schema, cls=jsonschema.Draft7Validator)
            except jsonschema.ValidationError as error:
                pytest.fail(f"{path.relative_to(ROOT)}: {error.message}")
