"""The one Japanese date formatter: 年度, 和暦, weekdays, 祝日 (closed days: test_closed_days.py)."""

from __future__ import annotations

from datetime import date, time

import pytest

from generator.rules import dates
from generator.reading.load_plans import load_plan
from conftest import FIXTURES


@pytest.mark.parametrize("day, year", [(date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026), (date(2025, 4, 1), 2025), (date(2025, 12, 31), 2025)])
def test_fiscal_year_runs_april_to_march(day, year):
    assert dates.fiscal_year(day) == year


def test_fiscal_months_start_in_april():
    assert dates.fiscal_months(2025)[0] == (2025, 4) and dates.fiscal_months(2025)[-1] == (2026, 3)


@pytest.mark.parametrize("day, text", [
    (date(2019, 4, 30), "平成31年"), (date(2019, 5, 1), "令和元年"), (date(2025, 5, 10), "令和7年"),
    (date(1989, 1, 7), "昭和64年"), (date(1989, 1, 8), "平成元年"),
])
def test_wareki_changes_on_the_right_day(day, text):
    assert dates.wareki(day) == text


@pytest.mark.parametrize("year, text", [(2025, "2025年度（令和7年度）"), (2019, "2019年度（令和元年度）"), (2018, "2018年度（平成30年度）")])
def test_fiscal_year_labels(year, text):
    assert dates.format_fiscal_year(year) == text


@pytest.mark.parametrize("day, text", [
    (date(2025, 5, 10), "2025年5月10日（土）"),
    (date(2025, 5, 5), "2025年5月5日（月・祝）"),
    (date(2025, 5, 6), "2025年5月6日（火・祝）"),      # 振替休日
    (date(2025, 9, 23), "2025年9月23日（火・祝）"),     # 秋分の日
    (date(2026, 3, 31), "2026年3月31日（火）"),
])
def test_dates_read_with_weekday_and_holiday(day, text):
    assert dates.format_date(day) == text


def test_date_without_year():
    assert dates.format_date(date(2025, 6, 14), year=False) == "6月14日（土）"


# Equinox days beyond the published year are predictions: this table pins what the
# holiday library says, so a change in it is noticed.
@pytest.mark.parametrize("day, name", [
    (date(2025, 3, 20), "春分の日"), (date(2025, 9, 23), "秋分の日"), (date(2025, 11, 24), "振替休日"),
    (date(2026, 3, 20), "春分の日"), (date(2026, 9, 23), "秋分の日"), (date(2026, 9, 22), "国民の休日"),
    (date(2027, 3, 21), "春分の日"), (date(2027, 3, 22), "振替休日"), (date(2027, 9, 23), "秋分の日"),
])
def test_holiday_table(day, name):
    assert dates.holiday_name(day) == name


@pytest.mark.parametrize("value, text", [(time(10, 0), "10時"), (time(13, 30), "13時30分"), (time(9, 5), "9時05分")])
def test_times_yokohama_style(value, text):
    assert dates.format_time(value) == text


@pytest.mark.parametrize("args, text", [
    ((date(2025, 5, 10), date(2025, 5, 10), time(10), time(11, 30)), "2025年5月10日（土）10時〜11時30分"),
    ((date(2025, 5, 10), date(2025, 5, 10), None, None), "2025年5月10日（土）"),
    ((date(2025, 8, 1), date(2025, 8, 3), None, None), "2025年8月1日（金）〜8月3日（日）"),
    ((date(2025, 12, 30), date(2026, 1, 2), None, None), "2025年12月30日（火）〜2026年1月2日（金）"),
    ((date(2025, 8, 1), date(2025, 8, 2), time(18), time(12)), "2025年8月1日（金）18時〜8月2日（土）12時"),
])
def test_spans(args, text):
    assert dates.format_span(*args) == text


def test_iso_has_the_japan_offset():
    assert dates.iso(date(2025, 5, 10), time(10)) == "2025-05-10T10:00:00+09:00"
    assert dates.iso(date(2025, 5, 10)) == "2025-05-10"


def test_opening_hours_differ_on_sundays_and_holidays():
    hours = load_plan(FIXTURES / "mini" / "plan.yaml").facility.hours
    assert dates.opening_hours(date(2025, 5, 10), hours).close == time(21)
    assert dates.opening_hours(date(2025, 5, 11), hours).close == time(17)
    assert dates.opening_hours(date(2025, 5, 6), hours).close == time(17)
