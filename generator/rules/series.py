"""Occurrences: every dated happening, whether written as one event or as a series.

A series expands by its weekly or monthly rule over its period, less national
holidays (when asked), the Corner's closed days (when held at the Corner) and listed
dates, plus added and moved dates. Each occurrence keeps its original date, so its id
(and its calendar UID) survive a move.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta

from generator.model.event import Event, Item, Series, Session
from generator.model.plan import Closed
from generator.rules.closed_days import closed_reason
from generator.rules.dates import WEEKDAYS, holiday_name


@dataclass(frozen=True)
class Occurrence:
    """One dated happening, ready for calendars, counts, feeds and ``.ics``."""

    key: str  # stable: event id, or series id + original date
    item_id: str  # the event or series id (its page)
    item: Item
    date: dt.date  # (dt.date: the field's own name hides the type inside the class)
    end_date: dt.date
    start: time | None
    end: time | None
    status: str
    status_reason: str
    participants: int | None
    original_date: dt.date  # differs from date when moved

    @property
    def all_day(self) -> bool:
        return self.start is None

    @property
    def is_series(self) -> bool:
        return isinstance(self.item, Series)

    @property
    def anchor(self) -> str:
        return f"d{self.original_date:%Y%m%d}"

    def page_path(self) -> str:
        """Where this date is, from the site's root: its event's page, or its place on its series' page."""
        return f"events/{self.item_id}/" + (f"#{self.anchor}" if self.is_series else "")

    def sort_key(self) -> tuple:
        return (self.date, self.start or time(0), self.key)


Issue = tuple[tuple, str]  # (location inside the file, message)
Hours = tuple[time | None, time | None]  # (start, end) of a session


def occurrence_of_event(event_id: str, event: Event) -> Occurrence:
    return Occurrence(
        key=event_id,
        item_id=event_id,
        item=event,
        date=event.date,
        end_date=event.end_date or event.date,
        start=event.start,
        end=event.end,
        status=event.status,
        status_reason=event.status_reason,
        participants=event.participants,
        original_date=event.date,
    )


def _matches(day: date, series: Series) -> bool:
    rule = series.repeat
    weekday = WEEKDAYS[day.weekday()]
    if weekday in rule.weekly:
        return True
    return any(m.weekday == weekday and (day.day - 1) // 7 + 1 == m.week for m in rule.monthly)


def rule_dates(series: Series) -> list[date]:
    rule, day, found = series.repeat, series.repeat.from_, []
    while day <= rule.until:
        if _matches(day, series):
            found.append(day)
        day += timedelta(days=1)
    return found


def expand_series(
    series_id: str, series: Series, closed: Closed | Callable[[date], Closed], at_corner: bool
) -> tuple[list[Occurrence], list[Issue]]:
    """The series' occurrences, and the mistakes in its exceptions (with where they are). ``closed`` is
    the closed-day rule, or a function giving the rule of a day's own fiscal year (a series across 31 March)."""
    rules = closed if callable(closed) else (lambda day: closed)
    candidates = rule_dates(series)
    kept = [day for day in candidates if not _left_out(day, series, rules, at_corner)]
    issues = _skip_issues(series, candidates)
    times = {day: (series.start, series.end) for day in kept}  # by original date: (start, end)
    moved_to, move_issues = _apply_moves(series, times)
    issues += move_issues + _apply_additions(series, times) + _session_issues(series, times)
    if not times:
        issues.append((("repeat",), "この繰り返しの規則では開催日が1日もありません。期間・曜日・休みの日を確かめてください"))
    sessions = {s.date: s for s in series.sessions}
    occurrences = [
        _series_occurrence(series_id, series, original, times[original], moved_to, sessions.get(original))
        for original in sorted(times)
    ]
    return occurrences, issues


def _left_out(day: date, series: Series, rules: Callable[[date], Closed], at_corner: bool) -> bool:
    """A day of the rule that has no session: skipped, a holiday (when asked) or closed at the Corner."""
    rule = series.repeat
    if day in rule.skip or (rule.skip_holidays and holiday_name(day)):
        return True
    return bool(at_corner and closed_reason(day, rules(day)))


def _skip_issues(series: Series, candidates: list[date]) -> list[Issue]:
    """Skipped days that the rule would not have held anyway."""
    return [
        (("repeat", "skip", index), f"休みにする日 {day.isoformat()} は繰り返しの規則に当たらない日です。日付を確かめてください")
        for index, day in enumerate(series.repeat.skip)
        if day not in candidates
    ]


def _apply_moves(series: Series, times: dict[date, Hours]) -> tuple[dict[date, date], list[Issue]]:
    """The moves into ``times`` (their own hours); where each moved session goes, and the mistakes."""
    moves, issues, moved_to = series.repeat.move, [], {}
    for index, move in enumerate(moves):
        if move.from_ not in times:
            issues.append(
                (("repeat", "move", index, "from"), f"移す前の日 {move.from_.isoformat()} はこのシリーズの開催日ではありません")
            )
            continue
        if move.to != move.from_ and move.to in times and move.to not in {m.from_ for m in moves}:
            issues.append(
                (
                    ("repeat", "move", index, "to"),
                    f"移した先の {move.to.isoformat()} にはもともとこのシリーズの回があります。"
                    "同じ日に2回になります。日付を確かめてください",
                )
            )
        moved_to[move.from_] = move.to
        times[move.from_] = (move.start or series.start, move.end or series.end)
    return moved_to, issues


def _apply_additions(series: Series, times: dict[date, Hours]) -> list[Issue]:
    """The added days into ``times``; the mistakes (a day that was a session already)."""
    issues: list[Issue] = []
    for index, day in enumerate(series.repeat.add):
        if day in times:
            issues.append((("repeat", "add", index), f"追加する日 {day.isoformat()} はもともと開催日です"))
        times.setdefault(day, (series.start, series.end))
    return issues


def _session_issues(series: Series, times: dict[date, Hours]) -> list[Issue]:
    """``sessions:`` entries for no session, or for one session twice (one would silently win)."""
    issues: list[Issue] = []
    for index, session in enumerate(series.sessions):
        if session.date not in times:
            issues.append(
                (
                    ("sessions", index, "date"),
                    f"{session.date.isoformat()} はこのシリーズの開催日ではありません（移した回はもとの日付で書きます）",
                )
            )
        if any(earlier.date == session.date for earlier in series.sessions[:index]):
            issues.append(
                (
                    ("sessions", index, "date"),
                    f"{session.date.isoformat()} の回が sessions に2度書かれています。1つにまとめてください",
                )
            )
    return issues


def _series_occurrence(
    series_id: str, series: Series, original: date, hours: Hours, moved_to: dict[date, date], session: Session | None
) -> Occurrence:
    """The session first dated ``original``, where it was moved, with its own status and count if recorded."""
    day = moved_to.get(original, original)
    start, end = hours
    return Occurrence(
        key=f"{series_id}-{original:%Y%m%d}",
        item_id=series_id,
        item=series,
        date=day,
        end_date=day,
        start=start,
        end=end,
        status=session.status if session and session.status != "scheduled" else series.status,
        status_reason=(session.status_reason if session and session.status_reason else series.status_reason),
        participants=session.participants if session else None,
        original_date=original,
    )
