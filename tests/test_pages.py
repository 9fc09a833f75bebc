"""The fixture site's pages (tests/fixtures/site, a copy of the real plan and content): golden Markdown for the home, list, program and facility pages."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import SITE
from generator.reading.load import load_site
from generator.render.pages import render_pages
from generator.publish.build import as_files


@pytest.fixture(scope="module")
def pages():
    return as_files(render_pages(load_site(SITE, date(2025, 6, 1))))


@pytest.mark.parametrize("path", ["index.md", "programs/index.md", "programs/oyako-hiroba.md", "programs/unei.md", "facility.md", "contact.md"])
def test_golden(pages, golden, path):
    golden("site/" + path.replace("/", "__"), pages[path])


def test_one_page_per_program(pages):
    assert sum(1 for p in pages if p.startswith("programs/") and p != "programs/index.md") == 24


def test_unknown_facts_render_nothing(pages):
    facility = pages["facility.md"]
    assert "電話" not in facility and "メール" not in facility and "〒" not in facility
    assert "横浜市磯子区磯子3-6-1-1" in facility


def test_marks_are_badges(pages):
    assert '<li class="badge badge--cohost">共催事業</li><li class="badge badge--new">新規</li>' in pages["programs/shimin-kikaku.md"]


def test_programs_are_grouped_by_goal_and_section(pages):
    text = pages["programs/index.md"]
    order = [text.index(f'<h2 id="{sid}">') for sid in ("goal-1", "goal-2", "goal-3", "chiiki-kadai", "riyousha-no-koe", "shokuin-kenshu")]
    assert order == sorted(order)


def test_every_path_the_generator_writes_is_kept_from_hand_written_pages():
    """reading/load.py's RESERVED is the one list of the generator's own places: every file a build
    makes for the fixture site, on dates before, inside and after its year, lies in one of them, so
    a hand-written page can never take a generated page's place."""
    from generator.publish.build import render_all
    from generator.reading.load import RESERVED

    for today in (date(2025, 3, 20), date(2025, 10, 1), date(2026, 4, 1)):
        site = load_site(SITE, today)
        hand_written = {page.path for page in site.pages}
        outside = [path for path in render_all(site) if path not in hand_written
                   and not any(path == r or (r.endswith("/") and path.startswith(r)) for r in RESERVED)]
        assert outside == [], f"add these places to RESERVED: {outside}"
