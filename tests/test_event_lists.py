"""Lists that fit a phone (generator/render/event_lists.py): months with headings, a series once with its next
date, filters folded, past dates folded, and no page that grows with the number of events."""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import date

import pytest

from conftest import ROOT, SITE, make_root
from generator.publish.build import as_files, render_all, render_docs
from generator.render.event_lists import LIST_LIMIT, by_month, entries
from generator.reading.load import load_site

TODAY = date(2025, 12, 1)


@pytest.fixture(scope="module")
def site():
    return load_site(SITE, TODAY)


@pytest.fixture(scope="module")
def files(site):
    return render_all(site)


def test_a_series_is_one_entry_at_its_next_date(site):
    upcoming = site.upcoming()
    found = entries(upcoming)
    series = [e for e in found if e.occ.is_series]
    assert len({e.occ.item_id for e in series}) == len(series)  # each series once
    study = next(e for e in series if e.occ.item_id == "gakushu-shien")
    assert study.occ.date == min(o.date for o in upcoming if o.item_id == "gakushu-shien")
    assert study.rule == "毎週火・木曜日（2026年3月19日（木）まで）"
    assert len(study.soon) == 4 and study.last_end == max(o.end_date for o in upcoming if o.item_id == "gakushu-shien")


def test_months_keep_whole_months_up_to_the_limit_then_link_to_calendars(site):
    occurrences = [o for o in site.public_occurrences()]
    listing = by_month(occurrences, limit=5)
    shown = sum(len(m.entries) for m in listing.months)
    assert shown <= 5 and listing.more
    assert [(m.year, m.month) for m in listing.months + listing.more] == sorted({(m.year, m.month) for m in listing.months + listing.more})
    assert all(m.calendar == f"calendar/{m.year}-{m.month:02d}/" for m in listing.more)
    first = by_month(occurrences, limit=1).months[0]
    assert len(first.entries) == 1 and first.left_out == len(by_month(occurrences).months[0].entries) - 1


def test_the_events_page_has_month_headings_folded_filters_and_a_series_once(files):
    page = files["events/index.md"]
    assert '<details class="event-filters">' in page and "<summary>対象・事業目標・事業で絞り込む</summary>" in page
    assert page.index("<details") < page.index('<h2 id="upcoming">')
    headings = re.findall(r'<h3 id="m(\d{4}-\d\d)" class="event-month__heading">(\d{4})年(\d+)月</h3>', page)
    assert [h[0] for h in headings] == ["2025-12", "2026-01"]
    assert page.count('href="../events/gakushu-shien/"') == 1
    assert '<span class="event-item__next">次回</span> <time datetime="2025-12-02T16:00:00+09:00" data-end="2025-12-02">' in page
    assert "毎週火・木曜日（2026年3月19日（木）まで）" in page
    assert '<a href="past/2025/">' in page  # past events: the year archives


def test_the_year_archive_shows_months_newest_first_and_each_series_once(files):
    page = files["events/past/2025.md"]
    months = re.findall(r'<h2 id="m(\d{4}-\d\d)"', page)
    assert months == sorted(months, reverse=True) and months[0] == "2025-11"
    assert page.count('href="../../../events/gakushu-shien/"') == 1
    assert "最後の回" in page and "この年度" in page
    assert "event-list--upcoming" not in page  # nothing for the script to hide


def test_a_series_page_shows_upcoming_dates_first_the_next_marked_and_past_dates_folded(files):
    page = files["events/oyako-hiroba.md"]
    upcoming, past = page.index('<h3 id="dates-upcoming">これからの回（3回）</h3>'), page.index('<details class="past-sessions">')
    assert upcoming < past
    assert '<li id="d20251218" class="session session--scheduled session--next" data-end="2025-12-18"><strong class="session__next">次回</strong>' in page
    assert page.count("session__next") == 1
    assert "<summary>終了した回（6回）</summary>" in page
    assert page.index('id="d20250515"') > past  # a past date: inside the fold, its anchor kept
    assert '<div class="next-session" data-end="2025-12-18"><dt>次回</dt>' in page


def test_a_series_with_no_date_left_opens_its_past_dates(tmp_path):
    files = render_all(load_site(SITE, date(2026, 4, 10)))
    page = files["events/oyako-hiroba.md"]
    assert "<p>これからの回はありません。</p>" in page and '<details class="past-sessions" open>' in page
    assert "next-session" not in page


NOWRAP = re.compile(r'<span class="(?:[\w-]+ )?nowrap">[^<]*</span>')


def _loose_times(html: str) -> list[str]:
    """Times (``11時30分``) in the page's dates and rules that are not each inside a no-wrap span."""
    body = html.split("\n---\n", 1)[1].split("<script")[0]  # not the front matter's plain text, nor JSON-LD
    parts = re.findall(r"<time[^>]*>(.*?)</time>|<dt>日程</dt><dd>(.*?)</dd>|<dd>([^<]*時[^<]*)</dd>", body)
    return [text for part in parts for text in part if re.search(r"\d時", NOWRAP.sub("", text))]


@pytest.mark.parametrize("path", ["events/oyako-hiroba.md", "events/index.md", "index.md", "calendar/2025-06.md",
                                  "events/past/2025.md", "programs/oyako-hiroba.md"])
def test_times_never_break_inside(files, path):
    page = files[path]
    assert re.search(r"\d時", page.split("\n---\n", 1)[1])  # there are times to check
    assert _loose_times(page) == []


def test_nowrap_spans_hold_whole_times(files):
    page = files["events/oyako-hiroba.md"]
    assert '<span class="nowrap">10時30分</span>〜<span class="nowrap">11時30分</span>' in page
    month = files["calendar/2025-06.md"]
    assert re.search(r'<span class="calendar__time nowrap">\d+時(\d\d分)?</span>', month)
    assert '月曜日〜土曜日 <span class="nowrap">9時</span>〜<span class="nowrap">21時</span>' in month


# --------------------------------------------------------------------------- size at 3,000 events a year

PAGE_LIMIT = 150 * 1024
FRAME = 24 * 1024  # what MkDocs adds around a body (header, menu, footer): about 11-13 KB measured; counted twice


def _bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "tests" / "bench" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """The fixture site plus 3,000 synthetic events and 6 series in its plan's year (tests/bench/bench.py)."""
    root = make_root(tmp_path_factory.mktemp("crowded"), "site")
    today = date(2025, 10, 1)
    _bench().write_synthetic_content(root, events=3000, years=1, series_per_year=6, today=today)
    return root, today, {}  # the files read once for both dates, as serve keeps them (load_site cache=)


@pytest.mark.parametrize("when", ["middle", "start"])
def test_no_page_passes_150_kib_at_3000_events_a_year(crowded, when):
    root, today, cache = crowded
    today = today if when == "middle" else date(2025, 4, 1)
    site = load_site(root, today, cache=cache)
    assert len(site.events) >= 3000
    files = as_files(render_docs(site))  # the pages (the .ics and feed files are not pages)
    sizes = {path: len(text.encode("utf-8")) for path, text in files.items() if path.endswith(".md") and isinstance(text, str)}
    # Not counted: a newsletter's back-number page is the text, which lists every event of its
    # month as the mail does (deciding what a crowded issue leaves out is the newsletter's question).
    too_big = {path: size for path, size in sizes.items() if size + FRAME > PAGE_LIMIT and not path.startswith("newsletters/")}
    assert not too_big, f"pages over {PAGE_LIMIT // 1024} KiB with the frame: {too_big}"
    events = files["events/index.md"]
    assert events.count('<li class="event-item') <= LIST_LIMIT and 'class="month-links"' in events
    assert "のカレンダー</a>にあります" in events or "その先の月" in events


def test_a_series_whose_next_date_is_cancelled_shows_the_date_after_in_its_month(tmp_path):
    site = load_site(make_root(tmp_path, "events"), date(2025, 6, 1))  # gakushu: 6月4日 cancelled
    listing = by_month(site.upcoming())
    study = next(e for m in listing.months for e in m.entries if e.occ.item_id == "gakushu")
    assert study.occ.date == date(2025, 6, 11) and study.occ.status != "cancelled"
    assert all(o.status != "cancelled" for o in study.soon)
    keys = [(m.year, m.month) for m in listing.months]
    assert keys == sorted(keys)
    for month in listing.months:
        assert [e.occ.sort_key() for e in month.entries] == sorted(e.occ.sort_key() for e in month.entries)
    past = by_month(reversed([o for o in site.public_occurrences() if o.end_date < site.today]), newest_first=True)
    assert [(m.year, m.month) for m in past.months] == sorted(((m.year, m.month) for m in past.months), reverse=True)
