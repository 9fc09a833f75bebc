"""The ウェブアクセシビリティ方針 page: its tested pages and results come from the recorded test run.

The repository's own record (content/accessibility.yaml, written by ``make a11y-record``) is live
content: tests/test_live_content.py checks that it lists exactly the pages the browser tests visit.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from browser.conftest import write_record
from browser.pages import AXE_RESULTS, PAGES, RUN_INFO, WIDTHS
from conftest import SITE, make_root
from generator.reading.load import load_site
from generator.render.pages import render_accessibility
from generator.reading.yaml_strict import load_yaml_file
from generator.render.templating import document

TODAY = date(2025, 6, 1)


@pytest.fixture(scope="module")
def record():
    doc, problems = load_yaml_file(SITE / "content" / "accessibility.yaml", SITE)
    assert doc is not None and not problems, problems
    return doc.data


def test_the_policy_page_states_level_scope_exceptions_date_and_every_tested_url(record):
    site = load_site(SITE, TODAY)
    text = document(render_accessibility(site))
    for heading in ("目標とする適合レベル", "対象範囲", "例外事項", "試験結果"):
        assert f">{heading}</h2>" in text
    assert "JIS X 8341-3:2016 の適合レベル AA に準拠" in text
    tested = date.fromisoformat(record["tested"])
    assert f'<time datetime="{tested.isoformat()}">{tested.year}年{tested.month}月{tested.day}日' in text
    for page in record["pages"]:
        assert f">{site.site_url}{page['path'][1:]}</a>" in text, page
    assert len(re.findall(r"<td>違反なし</td>", text)) == len(record["pages"])


def test_a_passing_run_writes_a_record_that_lists_every_tested_page(site_root, monkeypatch):
    """What ``make a11y-record`` writes after a clean browser run becomes the policy page."""
    for key in PAGES:
        for width in WIDTHS:
            monkeypatch.setitem(AXE_RESULTS, (key, width), 0)
    monkeypatch.setitem(RUN_INFO, "axe", "4.10.3")
    monkeypatch.setitem(RUN_INFO, "chromium", "141.0.7390.54")
    write_record(site_root / "content" / "accessibility.yaml", date(2026, 11, 20))
    doc, problems = load_yaml_file(site_root / "content" / "accessibility.yaml", site_root)
    assert not problems and [(p["kind"], p["path"]) for p in doc.data["pages"]] == list(PAGES.values())
    assert all(p["widths"] == list(WIDTHS) and p["violations"] == 0 for p in doc.data["pages"])
    assert doc.data["tools"] == ["axe-core 4.10.3（自動試験）", "Chromium 141.0.7390.54（Playwright で操作）"]
    site = load_site(site_root, TODAY)
    text = document(render_accessibility(site))
    assert '<time datetime="2026-11-20">2026年11月20日' in text
    for _, path in PAGES.values():
        assert f">{site.site_url}{path[1:]}</a>" in text, path
    assert len(re.findall(r"<td>違反なし</td>", text)) == len(PAGES)


def test_without_a_record_the_page_says_so(tmp_path):
    root = make_root(tmp_path)
    site = load_site(root, TODAY)
    assert site.accessibility is None
    assert "試験結果はまだ公開していません" in document(render_accessibility(site))


def test_a_broken_record_is_an_error_with_its_line(tmp_path):
    from generator.model.errors import ContentError

    root = make_root(tmp_path)
    (root / "content").mkdir(exist_ok=True)
    (root / "content" / "accessibility.yaml").write_text("tested: 2026-11-31\nstandard: x\nlevel: AA\ntools: []\nchecks: []\npages: []\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_site(root, TODAY)
    assert any(p.path == "content/accessibility.yaml" and p.line == 1 for p in caught.value.problems)
