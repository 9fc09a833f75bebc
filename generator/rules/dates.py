"""The one place that knows Japanese dates: 年度, 和暦, weekdays, 祝日 (closed days: ``closed_days.py``).

Weekdays come from a fixed table, never from ``strftime('%a')`` (locale-dependent).
Eras come from a table, so a new era is one line.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo

import holidays

JST = ZoneInfo("Asia/Tokyo")
WEEKDAYS = "月火水木金土日"

# (first day, name): newest first.
ERAS = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
)


def fiscal_year(day: date) -> int:
    """年度: April to March. 2026-03-31 is in 2025年度, 2026-04-01 in 2026年度."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_range(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def fiscal_months(year: int) -> list[tuple[int, int]]:
    """The twelve (year, month) pairs of a fiscal year, April first."""
    return [(year + (m < 4), m) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def next_month(year: int, month: int) -> tuple[int, int]:
    """(2025, 12) -> (2026, 1)."""
    return (year + 1, 1) if month == 12 else (year, month + 1)


def era_of(day: date) -> tuple[str, int]:
    for start, name in ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError(f"{day} is before the supported eras")


def format_era_year(year: int, name: str) -> str:
    return f"{name}{'元' if year == 1 else year}年"


def wareki(day: date) -> str:
    """``令和7年`` for a day (2019-04-30 is 平成31年, 2019-05-01 令和元年)."""
    name, year = era_of(day)
    return format_era_year(year, name)


def format_nendo(year: int) -> str:
    """``令和7年度``; 2019年度 is 令和元年度, as the government renamed it."""
    start, name = next(era for era in ERAS if date(year + 1, 3, 31) >= era[0])
    number = year - start.year + 1
    return f"{name}{'元' if number == 1 else number}年度"


def format_fiscal_year(year: int) -> str:
    """``2025年度（令和7年度）``."""
    return f"{year}年度（{format_nendo(year)}）"


def format_year_with_era(year: int) -> str:
    """``2025年（令和7年）`` for a calendar year (era as on 12/31 of it)."""
    return f"{year}年（{wareki(date(year, 12, 31))}）"


@cache
def _holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("JP", years=[year], language="ja"))


def holiday_name(day: date) -> str | None:
    """The national holiday's Japanese name (振替休日 and 国民の休日 included), or None."""
    return _holidays(day.year).get(day)


def weekday_label(day: date) -> str:
    """``土`` or, on a national holiday, ``月・祝``."""
    label = WEEKDAYS[day.weekday()]
    return f"{label}・祝" if holiday_name(day) else label


def format_date(day: date, *, year: bool = True) -> str:
    """``2025年5月10日（土）``; ``5月5日（月・祝）`` without the year."""
    text = f"{day.month}月{day.day}日（{weekday_label(day)}）"
    return f"{day.year}年{text}" if year else text


def format_time(value: time) -> str:
    """Yokohama style, 24-hour: ``10時``, ``13時30分``."""
    return f"{value.hour}時" if value.minute == 0 else f"{value.hour}時{value.minute:02d}分"


# A text in pieces: (text, whether it is one date or time that must not break across lines). Pages
# keep such a piece on one line (the template macro ``_macros.j2: pieces``); everything else joins them.
Piece = tuple[str, bool]


def pieces_text(pieces: list[Piece]) -> str:
    return "".join(text for text, _ in pieces)


def time_range_pieces(start: time, end: time | None) -> list[Piece]:
    """``10時〜11時30分`` or ``10時から``, each time a unit."""
    if end:
        return [(format_time(start), True), ("〜", False), (format_time(end), True)]
    return [(format_time(start), True), ("から", False)]


def format_time_range(start: time, end: time | None) -> str:
    """``10時〜11時30分``."""
    return pieces_text(time_range_pieces(start, end))


def iso(day: date, at: time | None = None) -> str:
    """ISO 8601 for machines: ``2025-05-10`` or ``2025-05-10T10:00:00+09:00``."""
    if at is None:
        return day.isoformat()
    return datetime.combine(day, at, tzinfo=JST).isoformat()


def today_in_japan(now: datetime) -> date:
    return now.astimezone(JST).date()


def opening_hours(day: date, hours):
    """The plan's opening hours that apply on ``day``: Sundays and holidays differ."""
    return hours.sundays_holidays if day.weekday() == 6 or holiday_name(day) else hours.weekdays


def span_pieces(start_day: date, end_day: date, start: time | None, end: time | None, *, year: bool = True) -> list[Piece]:
    """``format_span`` in pieces: each date and time a unit that must not break across lines."""
    first = (format_date(start_day, year=year), True)
    if end_day != start_day:
        same_year = end_day.year == start_day.year
        last = (format_date(end_day, year=year and not same_year), True)
        if start:
            return [first, (format_time(start), True), ("〜", False), last] + ([(format_time(end), True)] if end else [])
        return [first, ("〜", False), last]
    return [first, *time_range_pieces(start, end)] if start else [first]


def format_span(start_day: date, end_day: date, start: time | None, end: time | None, *, year: bool = True) -> str:
    """``2025年5月10日（土）10時〜11時30分``, ``8月1日（金）〜8月3日（日）`` and the like."""
    return pieces_text(span_pieces(start_day, end_day, start, end, year=year))
