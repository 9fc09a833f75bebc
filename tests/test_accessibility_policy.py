"""The ウェブアクセシビリティ方針 page: its tested pages are the browser tests' pages, with their results."""

from __future__ import annotations

import re
from datetime import date

import pytest

from browser.pages import PAGES, WIDTHS
from conftest import ROOT, make_root
from generator.load import load_site
from generator.pages import render_accessibility
from generator.yaml_strict import load_yaml_file

TODAY = date(2025, 6, 1)


@pytest.fixture(scope="module")
def record():
    doc, problems = load_yaml_file(ROOT / "content" / "accessibility.yaml", ROOT)
    assert doc is not None and not problems, problems
    return doc.data


def test_the_record_lists_exactly_the_pages_the_browser_tests_visit(record):
    assert [(p["kind"], p["path"]) for p in record["pages"]] == list(PAGES.values()), \
        "tests/browser/pages.py changed: run make a11y-record to test the pages again and update the record"
    assert all(p["widths"] == list(WIDTHS) for p in record["pages"])


def test_the_recorded_run_passed_and_says_how_it_was_made(record):
    assert all(p["violations"] == 0 for p in record["pages"])
    assert record["level"] == "AA" and record["standard"] == "JIS X 8341-3:2016"
    assert any(tool.startswith("axe-core 4.") for tool in record["tools"])
    assert any(tool.startswith("Chromium ") and "?" not in tool for tool in record["tools"])
    assert date.fromisoformat(record["tested"]) >= date(2026, 11, 1)


def test_the_policy_page_states_level_scope_exceptions_date_and_every_tested_url(record):
    site = load_site(ROOT, TODAY)
    text = render_accessibility(site)
    for heading in ("目標とする適合レベル", "対象範囲", "例外事項", "試験結果"):
        assert f">{heading}</h2>" in text
    assert "JIS X 8341-3:2016 の適合レベル AA に準拠" in text
    tested = date.fromisoformat(record["tested"])
    assert f'<time datetime="{tested.isoformat()}">{tested.year}年{tested.month}月{tested.day}日' in text
    for _, path in PAGES.values():
        assert f">{site.site_url}{path[1:]}</a>" in text, path
    assert len(re.findall(r"<td>違反なし</td>", text)) == len(PAGES)


def test_without_a_record_the_page_says_so(tmp_path):
    root = make_root(tmp_path)
    site = load_site(root, TODAY)
    assert site.accessibility is None
    assert "試験結果はまだ公開していません" in render_accessibility(site)


def test_a_broken_record_is_an_error_with_its_line(tmp_path):
    from generator.errors import ContentError

    root = make_root(tmp_path)
    (root / "content").mkdir(exist_ok=True)
    (root / "content" / "accessibility.yaml").write_text("tested: 2026-11-31\nstandard: x\nlevel: AA\ntools: []\nchecks: []\npages: []\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_site(root, TODAY)
    assert any(p.path == "content/accessibility.yaml" and p.line == 1 for p in caught.value.problems)
