"""Event, series and month pages: golden Markdown, JSON-LD that matches the page, lists and filters."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from conftest import make_root
from generator.publish.build import render_all
from generator.render.events import SERIES_JSONLD
from generator.reading.load import load_site

TODAY = date(2025, 6, 1)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return render_all(load_site(make_root(tmp_path_factory.mktemp("pages"), "events"), TODAY))


def jsonld(text: str):
    match = re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', text, re.S)
    return json.loads(match.group(1))


@pytest.mark.parametrize("path", ["events/oyako-05.md", "events/gakushu.md", "events/tosho.md", "calendar/2025-05.md",
                                  "events/index.md", "calendar/index.md", "index.md", "programs/oyako.md"])
def test_golden_pages(files, golden, path):
    golden("events/" + path.replace("/", "__"), files[path])


def test_internal_events_get_no_page_and_appear_nowhere(files):
    assert "events/kenshu-06.md" not in files
    for path, text in files.items():
        if isinstance(text, str):
            assert "社外秘" not in text and "kenshu-06" not in text, path


def test_event_jsonld_matches_the_visible_facts(files):
    text = files["events/oyako-05.md"]
    data = jsonld(text)
    assert data["@type"] == "EducationEvent"
    assert data["name"] == "親子の広場 5月 <b>&</b>"
    assert data["startDate"] == "2025-05-10T10:00:00+09:00" and data["endDate"] == "2025-05-10T11:30:00+09:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["address"]["@type"] == "PostalAddress"
    assert data["location"]["address"] == {"@type": "PostalAddress", "addressRegion": "神奈川県", "addressLocality": "横浜市磯子区",
                                           "streetAddress": "磯子1-1-1", "addressCountry": "JP"}  # no postal code in the plan: none
    assert data["offers"] == {"@type": "Offer", "price": 0, "priceCurrency": "JPY", "url": "https://yse-yokohama.com/events/oyako-05/",
                              "availability": "https://schema.org/InStock"}
    assert data["isAccessibleForFree"] is True and data["image"] == ["https://yse-yokohama.com/assets/og-default.png"]
    assert data["description"] == "手遊びや歌遊びを楽しみます。持ち物: なし <script>x</script>"  # text of the rendered Markdown
    assert data["organizer"]["name"] == "テスト施設"
    assert ('<time datetime="2025-05-10T10:00:00+09:00"><span class="nowrap">2025年5月10日（土）</span>'
            '<span class="nowrap">10時</span>〜<span class="nowrap">11時30分</span></time>') in text
    assert "<dt>参加費</dt><dd>無料</dd>" in text
    assert "\\u003cb\\u003e" in text and "<b>&</b>" not in text  # cannot break out of the script element


def test_cancelled_event_is_obvious_without_colour(files):
    text = files["events/tosho.md"]
    assert "<h1>【中止】図書館のおはなし会</h1>" in text
    assert '<strong class="badge badge--status badge--cancelled">中止</strong><span class="status-reason">（館内工事のため）</span>' in text
    data = jsonld(text)
    assert data["eventStatus"] == "https://schema.org/EventCancelled" and "availability" not in data["offers"]


def test_series_page_lists_every_date_and_describes_its_next_dates(files, tmp_path):
    text = files["events/gakushu.md"]
    data = jsonld(text)
    upcoming = re.findall(r'<li id="(d\d{8})"', text[:text.index('<details class="past-sessions">')])
    assert isinstance(data, list) and [d["url"].rsplit("#", 1)[1] for d in data] == upcoming[:SERIES_JSONLD]
    assert "毎週水曜日 <span class=\"nowrap\">16時</span>〜<span class=\"nowrap\">18時</span>（<span class=\"nowrap\">2025年4月1日（火）</span>〜<span class=\"nowrap\">2026年3月31日（火）</span>。祝日・休館日を除く）" in text
    assert ('<li id="d20250514" class="session session--scheduled" data-end="2025-05-15"><time datetime="2025-05-15T16:00:00+09:00">'
            '<span class="nowrap">2025年5月15日（木）</span><span class="nowrap">16時</span>〜<span class="nowrap">18時</span></time>（5月14日（水）から変更）') in text
    assert 'id="d20250813"' not in text
    cancelled = next(d for d in data if d["url"].endswith("#d20250604"))
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled" and "availability" not in cancelled["offers"]
    earlier = render_all(load_site(make_root(tmp_path, "events"), date(2025, 5, 1)))["events/gakushu.md"]
    moved = next(d for d in jsonld(earlier) if d["url"].endswith("#d20250514"))
    assert moved["eventStatus"] == "https://schema.org/EventRescheduled"
    assert (moved["startDate"], moved["previousStartDate"]) == ("2025-05-15T16:00:00+09:00", "2025-05-14T16:00:00+09:00")
    over = render_all(load_site(make_root(tmp_path / "over", "events"), date(2026, 5, 1)))["events/gakushu.md"]
    assert jsonld(over)["url"].endswith("#" + re.findall(r'<li id="(d\d{8})"', over)[-1])  # a finished series: its last date


def test_sample_events_carry_a_visible_badge(files):
    for path in ["events/oyako-05.md", "events/gakushu.md", "events/tosho.md"]:
        assert '<span class="badge badge--sample" title="見本のデータです。実際の催しではありません">サンプル</span>' in files[path]


def test_month_calendar_table_is_accessible(files):
    text = files["calendar/2025-05.md"]
    assert "<caption>2025年（令和7年）5月のカレンダー" in text
    assert text.count('<th scope="col"') == 7
    assert '<span class="calendar__note calendar__note--holiday">祝 こどもの日</span> <span class="calendar__note calendar__note--closed">休館日</span>' in text
    assert 'rel="prev">前の月（4月）</a>' in text and 'rel="next">次の月（6月）</a>' in text


def test_first_and_last_months_have_no_dead_links(files):
    assert 'rel="prev"' not in files["calendar/2025-04.md"]
    assert 'rel="next"' not in files["calendar/2026-03.md"]


def test_upcoming_depends_on_today_and_hides_past_by_script(files):
    home = files["index.md"]
    assert 'class="event-list event-list--upcoming"' in home
    assert "親子の広場 5月" not in home  # 2025-05-10 is before today
    assert re.findall(r'data-end="([\d-]+)"', home)[0] >= TODAY.isoformat()


def test_filters_are_prebuilt_pages(files):
    assert "events/for/oyako.md" in files and "events/goal/goal-1.md" in files and "events/past/2025.md" in files
    assert "親子の広場 5月" in files["events/past/2025.md"]


def test_program_page_lists_its_events_and_offers_its_calendar(files):
    text = files["programs/soudan.md"]
    assert 'href="../../events/gakushu/"' in text  # the series once, with its next date
    assert '<a href="../../ics/programs/soudan.ics">' in text


def test_search_covers_this_and_last_fiscal_year_and_older_events_through_their_year_list(tmp_path):
    from generator.render.events import render_event_pages

    root = make_root(tmp_path, "events")
    now = render_event_pages(load_site(root, date(2026, 6, 1)))  # 2025年度 is last year: still searched
    assert all(page.searchable and "data-pagefind-body" in page.html for page in now.values())
    later = load_site(root, date(2027, 4, 1))  # 2025年度 is two years back
    pages = render_all(later)
    events = {path: text for path, text in pages.items() if path in render_event_pages(later)}
    assert events and not any("data-pagefind-body" in page for page in events.values())
    assert not any(page.searchable for page in render_event_pages(later).values())
    past = [text for path, text in pages.items() if path.startswith("events/past/")]
    assert past and all("data-pagefind-body" in text for text in past)
