"""Closed days as the facility publishes them: first Monday (second when the first is the 1st), the
year end, and 臨時休館 / 臨時開館 with reasons — one rule for calendars, series, warnings and pages."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, make_root
from generator.render.calendar_pages import render_calendar_pages
from generator.rules.closed_days import closed_reason, day_status, monthly_closed_day, rule_summary
from generator.model.errors import ContentError
from generator.reading.load_plans import load_plan, load_plan_file
from generator.reading.load import load_site
from generator.model.plan import TemporaryClosure, TemporaryOpening
from generator.render.pages import render_facility, render_home
from generator.render.templating import document
from generator.publish.build import as_files

CLOSED = load_plan(FIXTURES / "mini" / "plan.yaml").facility.closed
RULE = "    monthly: first_monday_unless_first\n    year_end: {start: \"12-28\", end: \"01-04\"}\n    temporary_closures: []\n"
TEMPORARY = """    monthly: first_monday_unless_first
    year_end: {start: "12-28", end: "01-04"}
    temporary_closures:
      - {date: 2025-05-20, reason: 停電のため}
      - {date: 2025-09-16, reason: 設備点検のため}
    temporary_openings:
      - {date: 2025-09-08, reason: 地域活動フェス開催のため}
"""
SECOND_MONDAY = "休館日（第1月曜日が1日のため第2月曜日）"


@pytest.mark.parametrize("day, reason", [
    (date(2025, 9, 1), None),                    # Monday and the 1st: open
    (date(2025, 9, 8), SECOND_MONDAY),
    (date(2025, 12, 1), None),                   # Monday and the 1st again
    (date(2025, 12, 8), SECOND_MONDAY),
    (date(2026, 6, 1), None),
    (date(2026, 6, 8), SECOND_MONDAY),
    (date(2025, 6, 2), "休館日（第1月曜日）"),     # the 1st is a Sunday: the 2nd is the first Monday
    (date(2025, 6, 9), None),
    (date(2025, 7, 7), "休館日（第1月曜日）"),
    (date(2025, 10, 6), "休館日（第1月曜日）"),
    (date(2025, 10, 13), None),
    (date(2025, 11, 3), "休館日（第1月曜日）"),    # 文化の日: the published rule makes no exception
    (date(2025, 12, 27), None),
    (date(2025, 12, 28), "年末年始の休館日"),
    (date(2025, 12, 31), "年末年始の休館日"),
    (date(2026, 1, 1), "年末年始の休館日"),
    (date(2026, 1, 4), "年末年始の休館日"),
    (date(2026, 1, 5), "休館日（第1月曜日）"),
    (date(2026, 1, 6), None),
    (date(2029, 1, 1), "年末年始の休館日"),        # Monday and the 1st, inside the year end
    (date(2029, 1, 8), SECOND_MONDAY),            # so January's monthly closure is the 8th
])
def test_closed_days_on_real_dates(day, reason):
    assert closed_reason(day, CLOSED) == reason


def test_the_monthly_closure_over_ten_years():
    for year in range(2025, 2035):
        for month in range(1, 13):
            mondays = [day for day in range(1, 15) if date(year, month, day).weekday() == 0]
            expected = mondays[1] if mondays[0] == 1 else mondays[0]
            assert monthly_closed_day(year, month, CLOSED) == date(year, month, expected)


def test_no_monthly_closure():
    closed = CLOSED.model_copy(update={"monthly": "none"})
    assert closed_reason(date(2025, 7, 7), closed) is None and closed_reason(date(2025, 12, 30), closed) == "年末年始の休館日"
    assert rule_summary(closed) == "年末年始（12月28日〜1月4日）"


def test_temporary_closures_and_openings_carry_their_reasons():
    closed = CLOSED.model_copy(update={
        "temporary_closures": [TemporaryClosure(date=date(2025, 9, 16), reason="設備点検のため")],
        "temporary_openings": [TemporaryOpening(date=date(2025, 9, 8), reason="地域活動フェス開催のため")]})
    assert closed_reason(date(2025, 9, 16), closed) == "臨時休館日（設備点検のため）"
    assert closed_reason(date(2025, 9, 8), closed) is None
    opening = day_status(date(2025, 9, 8), closed)
    assert (opening.kind, opening.closed, opening.label, opening.reason) == ("temporary_opening", False, "臨時開館", "地域活動フェス開催のため")
    assert day_status(date(2025, 9, 9), closed) is None


def test_the_rule_in_words():
    assert rule_summary(CLOSED) == "毎月第1月曜日（第1月曜日が1日のときは第2月曜日）、年末年始（12月28日〜1月4日）"


# --- what citizens see -------------------------------------------------------------------------

def site_with(tmp_path: Path, closed_text: str, events: dict[str, str] | None = None, today: date = date(2025, 6, 1)):
    root = make_root(tmp_path)
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(RULE, closed_text), encoding="utf-8")
    for name, text in (events or {}).items():
        folder = root / "content/events/2025"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return load_site(root, today)


def cell(month_page: str, day: date) -> str:
    match = re.search(rf'<td class="([^"]*)">\n<div class="calendar__date"><time datetime="{day.isoformat()}">.*?</div>', month_page)
    assert match, day
    return match.group(0)


def test_month_calendars_mark_the_rule_and_the_temporary_days(tmp_path):
    files = as_files(render_calendar_pages(site_with(tmp_path, TEMPORARY)))
    september, december = files["calendar/2025-09.md"], files["calendar/2025-12.md"]
    assert "calendar__day--closed" not in cell(september, date(2025, 9, 1)) and "休館" not in cell(september, date(2025, 9, 1))
    opened = cell(september, date(2025, 9, 8))
    assert "calendar__day--closed" not in opened
    assert '<span class="calendar__note calendar__note--open">臨時開館（地域活動フェス開催のため）</span>' in opened
    closure = cell(september, date(2025, 9, 16))
    assert "calendar__day--closed" in closure
    assert '<span class="calendar__note calendar__note--closed">臨時休館（設備点検のため）</span>' in closure
    assert "休館" not in cell(december, date(2025, 12, 1))
    assert '<span class="calendar__note calendar__note--closed">休館日</span>' in cell(december, date(2025, 12, 8))
    assert "臨時休館（停電のため）" in cell(files["calendar/2025-05.md"], date(2025, 5, 20))  # past days stay on the calendar


def test_the_facility_page_states_the_rule_and_the_coming_temporary_days(tmp_path):
    page = document(render_facility(site_with(tmp_path, TEMPORARY, today=date(2025, 6, 1))))
    assert "<li>毎月第1月曜日（第1月曜日が1日のときは第2月曜日）</li>\n<li>年末年始（12月28日〜1月4日）</li>" in page
    assert "<p>このほか、次の日は臨時に休館・開館します。</p>" in page
    assert ('<li><time datetime="2025-09-08">2025年9月8日（月）</time> 臨時開館（地域活動フェス開催のため）</li>\n'
            '<li><time datetime="2025-09-16">2025年9月16日（火）</time> 臨時休館（設備点検のため）</li>') in page
    assert "停電のため" not in page  # 2025-05-20 is past
    later = document(render_facility(site_with(tmp_path / "later", TEMPORARY, today=date(2025, 9, 10))))
    assert "<p>このほか、次の日は臨時に休館します。</p>" in later and "地域活動フェス" not in later
    assert "臨時" not in document(render_facility(site_with(tmp_path / "none", RULE)))


def test_the_home_page_states_the_rule(tmp_path):
    home = document(render_home(site_with(tmp_path, RULE)))
    assert "<div><dt>休館日</dt><dd>毎月第1月曜日（第1月曜日が1日のときは第2月曜日）、年末年始（12月28日〜1月4日）</dd></div>" in home


# --- warnings for events and series -------------------------------------------------------------

EVENT = "title: 講座\nprogram: oyako\ndate: {day}\nstart: \"10:00\"\nend: \"11:00\"\nvenue: 研修室\n"


def warnings_for(tmp_path: Path, day: str) -> list[str]:
    site = site_with(tmp_path, TEMPORARY, {"x.yaml": EVENT.format(day=day)})
    return [p.format() for p in site.warnings if p.path.endswith("x.yaml")]


@pytest.mark.parametrize("day, warning", [
    ("2025-09-01", None),
    ("2025-10-06", "2025年10月6日（月） は休館日（第1月曜日）です。開館して開催するなら plan.yaml の closed.temporary_openings に日付と理由を書いてください"),
    ("2025-12-08", f"2025年12月8日（月） は{SECOND_MONDAY}です。開館して開催するなら plan.yaml の closed.temporary_openings に日付と理由を書いてください"),
    ("2025-12-29", "2025年12月29日（月） は年末年始の休館日です。開館して開催するなら plan.yaml の closed.temporary_openings に日付と理由を書いてください"),
    ("2025-09-16", "2025年9月16日（火） は臨時休館日（設備点検のため）です。開館するなら plan.yaml の closed.temporary_closures から外してください"),
    ("2025-09-08", None),  # 臨時開館
])
def test_events_on_closed_days_are_warned(tmp_path, day, warning):
    expected = [f"content/events/2025/x.yaml:3:7: 警告: {warning}"] if warning else []
    assert warnings_for(tmp_path, day) == expected


def test_a_series_skips_the_second_monday_and_temporary_closures(tmp_path):
    series = "title: 月曜の会\nprogram: oyako\nvenue: 研修室\nrepeat:\n  weekly: [月]\n  from: 2025-12-01\n  until: 2025-12-22\n"
    site = site_with(tmp_path, TEMPORARY.replace("2025-09-16", "2025-12-15"), {"mon.yaml": series})
    assert [o.date for o in site.occurrences] == [date(2025, 12, 1), date(2025, 12, 22)]  # 12/8 休館日, 12/15 臨時休館
    assert not [p for p in site.warnings if p.path.endswith("mon.yaml")]


# --- mistakes in the plan, at their lines -------------------------------------------------------

def plan_problems(tmp_path: Path, closed_text: str) -> list[str]:
    text = (FIXTURES / "mini" / "plan.yaml").read_text(encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(text.replace(RULE, closed_text), encoding="utf-8")
    _, problems = load_plan_file(tmp_path / "plan.yaml", tmp_path)
    return [p.format() for p in problems if p.severity != "notice"]


def test_a_reason_is_required(tmp_path):
    assert plan_problems(tmp_path, RULE.replace("temporary_closures: []", "temporary_closures:\n      - {date: 2025-09-16}")) == [
        "plan.yaml:17:9: 必須の項目 'reason' がありません"]
    assert plan_problems(tmp_path, RULE.replace("temporary_closures: []", 'temporary_closures:\n      - {date: 2025-09-16, reason: " "}')) == [
        "plan.yaml:17:36: 'reason': 空白だけです。内容を書いてください"]


def test_temporary_days_that_repeat_contradict_or_change_nothing(tmp_path):
    text = """    monthly: first_monday_unless_first
    year_end: {start: "12-28", end: "01-04"}
    temporary_closures:
      - {date: 2025-09-16, reason: 設備点検のため}
      - {date: 2025-09-16, reason: 停電のため}
      - {date: 2025-10-06, reason: 設備点検のため}
      - {date: 2025-11-20, reason: 設備点検のため}
    temporary_openings:
      - {date: 2025-09-01, reason: フェスのため}
      - {date: 2025-11-20, reason: フェスのため}
      - {date: 2025-12-08, reason: フェスのため}
      - {date: 2025-12-08, reason: フェスのため}
"""
    assert plan_problems(tmp_path, text) == [
        "plan.yaml:18:16: 臨時休館日 2025年9月16日（火） が2度書かれています（17行目にもあります）。1つにまとめてください",
        "plan.yaml:25:16: 臨時開館日 2025年12月8日（月） が2度書かれています（24行目にもあります）。1つにまとめてください",
        "plan.yaml:22:16: 臨時開館日 2025年9月1日（月） は、もともと開館日です（9月の定例の休館日は 9月8日（月））。日付を確かめてください",
        "plan.yaml:23:16: 2025年11月20日（木） は臨時休館日（20行目）にも書かれています。休館か開館か、どちらか一方にしてください",
        "plan.yaml:19:16: 警告: 臨時休館日 2025年10月6日（月） は、もともと休館日（第1月曜日）です。臨時休館に書かなくても休館します。日付を確かめてください",
    ]


@pytest.mark.parametrize("old, advice", [
    ("first_monday: true", "'first_monday' は今は使いません。毎月の休館日は monthly: first_monday_unless_first と書いてください"),
    ("extra: [2025-09-16]", "'extra' は今は使いません。臨時休館日は temporary_closures: に、1日ずつ日付と理由を書いてください"),
    ("open_anyway: [2025-09-08]", "'open_anyway' は今は使いません。休館日に臨時に開館する日は temporary_openings: に、1日ずつ日付と理由を書いてください"),
    ("note: 原則第1月曜日、年末年始", "'note' は今は使いません。施設案内の休館日の説明は、休館日の規則から自動で作ります。この行は消してください"),
])
def test_old_keys_say_what_to_write_instead(tmp_path, old, advice):
    found = plan_problems(tmp_path, RULE + f"    {old}\n")
    assert len(found) == 1 and found[0].startswith(f"plan.yaml:17:5: {advice}"), found


def test_the_old_form_does_not_load(tmp_path):
    old = "    first_monday: true\n    year_end: {start: \"12-28\", end: \"01-04\"}\n    note: 原則第1月曜日、年末年始\n"
    text = (FIXTURES / "mini" / "plan.yaml").read_text(encoding="utf-8").replace(RULE, old)
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_plan(tmp_path / "plan.yaml", tmp_path)
    assert sorted(p.format().split("。")[0] for p in error.value.problems) == [
        "plan.yaml:14:5: 'first_monday' は今は使いません",
        "plan.yaml:14:5: 必須の項目 'monthly' がありません",
        "plan.yaml:16:5: 'note' は今は使いません",
    ]
