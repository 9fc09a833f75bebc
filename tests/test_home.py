"""The home page for visitors: today's status first (and the days the script needs to correct it on a
later day), this month's and next month's events, hours and closed days, news, then the plan."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from html import unescape

import pytest

from conftest import SITE, make_root
from generator.reading.load import load_site
from generator.render.pages import CODES, STATUS_DAYS, month_after_next, render_home
from generator.render.templating import document


def _status_days(page: str) -> tuple[date, str, list]:
    element = re.search(r'<div class="today" id="today-status" data-from="([\d-]+)" data-days="(\w+)" data-texts="([^"]+)">', page)
    return date.fromisoformat(element.group(1)), element.group(2), json.loads(unescape(element.group(3)))


def _day(page: str, day: date) -> list:
    first, codes, texts = _status_days(page)
    return texts[CODES.index(codes[(day - first).days])]


@pytest.fixture(scope="module")
def home():
    return document(render_home(load_site(SITE, date(2025, 12, 1))))


def test_todays_status_comes_first(home):
    body = home.split("\n---\n", 1)[1]
    assert body.index('class="today"') < body.index('<h2 id="upcoming">今月と来月の講座・イベント</h2>') \
        < body.index('<h2 id="visit">開館時間・休館日</h2>') < body.index('<h2 id="news">') < body.index('<h3 id="policy">事業実施の方針</h3>')
    assert '<p class="today__status"><strong class="today__text">本日は開館</strong> <span class="today__hours nowrap">9時〜21時</span></p>' in home
    assert '<time datetime="2025-12-01">12月1日（月）</time>' in home


def test_the_page_carries_a_year_of_days_for_the_script(home):
    first, codes, texts = _status_days(home)
    assert first == date(2025, 12, 1) and len(codes) == STATUS_DAYS
    assert _day(home, date(2025, 12, 8)) == [0, "休館日（第1月曜日が1日のため第2月曜日）", ""]
    assert _day(home, date(2025, 12, 14)) == [0, "開館", "9時〜17時"]
    assert _day(home, date(2025, 12, 30)) == [0, "年末年始の休館日", ""]
    assert _day(home, date(2026, 1, 12)) == [1, "開館", "9時〜17時"]  # 成人の日: holiday hours
    assert _day(home, date(2026, 4, 1)) == [0, "開館", "9時〜21時"]  # across 31 March: next year's days by the same rules
    assert len(home.encode()) < 40_000


def test_temporary_days_change_the_status_and_are_listed(tmp_path):
    root = make_root(tmp_path, "site")
    plan = root / "plan.yaml"
    text = plan.read_text(encoding="utf-8").replace(
        "    temporary_closures: []", "    temporary_closures: [{date: 2025-12-03, reason: 設備点検のため}]").replace(
        "    temporary_openings: []", "    temporary_openings: [{date: 2025-12-08, reason: 地域活動フェス開催のため}]")
    plan.write_text(text, encoding="utf-8")
    home = document(render_home(load_site(root, date(2025, 12, 1))))
    assert _day(home, date(2025, 12, 3)) == [0, "臨時休館日（設備点検のため）", ""]
    assert _day(home, date(2025, 12, 8)) == [0, "臨時開館日（地域活動フェス開催のため）", "9時〜21時"]
    week = re.findall(r'<li data-date="([\d-]+)"(?! hidden)[^>]*>(.*?)</li>', home)
    assert len(week) == 7 and "臨時休館日（設備点検のため）" in week[2][1]
    assert '<time datetime="2025-12-03">2025年12月3日（水）</time> 臨時休館日（設備点検のため）' in home


@pytest.mark.parametrize(("today", "after"), [(date(2025, 11, 20), date(2026, 1, 1)), (date(2025, 12, 1), date(2026, 2, 1)),
                                               (date(2026, 3, 31), date(2026, 5, 1)), (date(2025, 4, 1), date(2025, 6, 1))])
def test_this_and_next_month(today, after):
    assert month_after_next(today) == after


def test_the_home_page_lists_this_and_next_months_events_only():
    site = load_site(SITE, date(2025, 12, 1))
    home = document(render_home(site))
    months = re.findall(r'class="event-month__heading">([^<]+)<', home)
    assert months == ["2025年12月", "2026年1月"]
    later = [o for o in site.upcoming() if o.date >= date(2026, 2, 1) and not o.is_series]
    assert all(f'events/{o.item_id}/"' not in home for o in later)


@pytest.mark.parametrize("today", [date(2025, 3, 15), date(2025, 12, 1), date(2026, 3, 31), date(2026, 4, 1), date(2026, 6, 1)])
def test_the_home_page_renders_before_inside_and_after_the_plan_year(today):
    home = document(render_home(load_site(SITE, today)))
    assert f'data-from="{today.isoformat()}"' in home and "本日は" in home
    assert len(re.findall(r'<li data-date="[\d-]+"(?! hidden)', home)) == 7
    assert (today + timedelta(days=6)).isoformat() in home
