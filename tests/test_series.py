"""Series expansion: weekly and monthly rules, holidays, closed days, exceptions, fiscal-year edges."""

from __future__ import annotations

from datetime import date, time

from generator.reading.load_plans import load_plan
from generator.model.plan import TemporaryClosure, TemporaryOpening
from generator.model.event import Series
from generator.rules.series import expand_series
from conftest import FIXTURES

CLOSED = load_plan(FIXTURES / "mini" / "plan.yaml").facility.closed


def series(**repeat) -> Series:
    rule = {"weekly": ["水"], "from": "2025-04-01", "until": "2026-03-31", **repeat}
    return Series.model_validate({"title": "学習支援", "program": "x", "venue": "研修室",
                                  "start": "16:00", "end": "18:00", "repeat": rule})


def dates_of(s: Series, at_corner=True):
    occurrences, issues = expand_series("gk", s, CLOSED, at_corner)
    return [o.date for o in occurrences], issues


def test_weekly_over_a_fiscal_year_skips_holidays_and_the_year_end():
    days, issues = dates_of(series())
    assert issues == []
    assert days[0] == date(2025, 4, 2) and days[-1] == date(2026, 3, 25)
    assert date(2025, 12, 31) not in days  # 年末年始
    assert date(2025, 4, 30) in days
    assert date(2026, 2, 11) not in days  # 建国記念の日
    assert len(days) == 50  # 52 Wednesdays less 12/31 (年末年始) and 2/11 (祝日)
    assert all(d.weekday() == 2 for d in days)


def test_monthly_closures_apply_only_at_the_corner():
    # 2025-09-01 is the first Monday and the 1st, so the Corner closes on the second Monday, 9/8.
    rule = {"weekly": ["月"], "from": "2025-09-01", "until": "2025-09-30"}
    assert dates_of(series(**rule))[0] == [date(2025, 9, 1), date(2025, 9, 22), date(2025, 9, 29)]  # 9/15 敬老の日
    outside = dates_of(series(**rule), at_corner=False)[0]
    assert outside == [date(2025, 9, 1), date(2025, 9, 8), date(2025, 9, 22), date(2025, 9, 29)]


def test_an_ordinary_first_monday_is_skipped():
    rule = {"weekly": ["月"], "from": "2025-10-01", "until": "2025-10-31"}
    assert dates_of(series(**rule))[0] == [date(2025, 10, 20), date(2025, 10, 27)]  # 10/6 休館日, 10/13 スポーツの日


def test_temporary_closures_are_skipped_and_temporary_openings_kept():
    closed = CLOSED.model_copy(update={
        "temporary_closures": [TemporaryClosure(date=date(2025, 9, 22), reason="設備点検のため")],
        "temporary_openings": [TemporaryOpening(date=date(2025, 9, 8), reason="地域活動フェス開催のため")]})
    rule = {"weekly": ["月"], "from": "2025-09-01", "until": "2025-09-30"}
    occurrences, _ = expand_series("gk", series(**rule), closed, True)
    assert [o.date for o in occurrences] == [date(2025, 9, 1), date(2025, 9, 8), date(2025, 9, 29)]


def test_holidays_can_be_kept():
    rule = {"weekly": ["月"], "from": "2025-09-01", "until": "2025-09-30", "skip_holidays": True}
    assert date(2025, 9, 15) not in dates_of(series(**rule))[0]
    rule["skip_holidays"] = False
    assert date(2025, 9, 15) in dates_of(series(**rule))[0]


def test_monthly_nth_weekday():
    rule = {"weekly": [], "monthly": [{"week": 2, "weekday": "土"}], "from": "2025-04-01", "until": "2025-07-31"}
    assert dates_of(series(**rule))[0] == [date(2025, 4, 12), date(2025, 5, 10), date(2025, 6, 14), date(2025, 7, 12)]


def test_fiscal_year_edge_march_31_to_april_1():
    rule = {"weekly": ["火", "水"], "from": "2026-03-31", "until": "2026-04-01"}
    assert dates_of(series(**rule))[0] == [date(2026, 3, 31), date(2026, 4, 1)]


def test_skip_add_and_move_keep_ids_of_the_original_date():
    s = series(skip=["2025-04-09"], add=["2025-04-12"], move=[{"from": "2025-04-16", "to": "2025-04-17", "start": "17:00"}],
               until="2025-04-30")
    occurrences, issues = expand_series("gk", s, CLOSED, True)
    assert issues == []
    assert [(o.key, o.date, o.start) for o in occurrences] == [
        ("gk-20250402", date(2025, 4, 2), time(16)),
        ("gk-20250412", date(2025, 4, 12), time(16)),
        ("gk-20250416", date(2025, 4, 17), time(17)),
        ("gk-20250423", date(2025, 4, 23), time(16)),
        ("gk-20250430", date(2025, 4, 30), time(16)),
    ]


def test_sessions_record_cancellations_and_participants():
    s = Series.model_validate({
        "title": "t", "program": "x", "venue": "研修室",
        "repeat": {"weekly": ["水"], "from": "2025-04-01", "until": "2025-04-16"},
        "sessions": [{"date": "2025-04-09", "status": "cancelled", "status_reason": "台風"},
                     {"date": "2025-04-02", "participants": 12}],
    })
    occurrences, _ = expand_series("gk", s, CLOSED, True)
    assert [(o.status, o.status_reason, o.participants) for o in occurrences] == [
        ("scheduled", "", 12), ("cancelled", "台風", None), ("scheduled", "", None)]


def test_mistakes_in_exceptions_are_reported_where_they_are():
    s = series(skip=["2025-04-10"], move=[{"from": "2025-04-11", "to": "2025-04-12"}], add=["2025-04-02"], until="2025-04-30")
    _, issues = expand_series("gk", s, CLOSED, True)
    assert issues == [
        (("repeat", "skip", 0), "休みにする日 2025-04-10 は繰り返しの規則に当たらない日です。日付を確かめてください"),
        (("repeat", "move", 0, "from"), "移す前の日 2025-04-11 はこのシリーズの開催日ではありません"),
        (("repeat", "add", 0), "追加する日 2025-04-02 はもともと開催日です"),
    ]


def test_a_rule_that_yields_no_dates_is_an_error():
    _, issues = expand_series("gk", series(weekly=["月"], **{"from": "2025-12-29", "until": "2026-01-04"}), CLOSED, True)
    assert issues == [(("repeat",), "この繰り返しの規則では開催日が1日もありません。期間・曜日・休みの日を確かめてください")]
