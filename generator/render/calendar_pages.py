"""Month calendars, the calendar and event indexes, past events and pre-built filter lists."""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import date
from functools import partial

from generator.model.event import AUDIENCE_GROUPS
from generator.reading.site import Site
from generator.render.event_lists import by_month
from generator.render.events import occurrences_between
from generator.render.page import Page
from generator.render.page_cache import PageCache, kept
from generator.render.templating import render_months, render_page
from generator.rules import dates
from generator.rules.closed_days import DayStatus, day_status
from generator.rules.series import Occurrence

MONTH_LIST_LIMIT = 60  # a month page's list under its calendar (the calendar has every event)
CALENDAR_INDEX_LIMIT = 10  # the calendar index's short list of what is next
SUNDAY_FIRST = stdlib_calendar.Calendar(firstweekday=6)
WEEKDAY_NAMES = "日月火水木金土"


@dataclass(frozen=True)
class Day:
    date: date
    weekday: int
    holiday: str | None
    status: DayStatus | None  # closed (and why), or a 臨時開館
    occurrences: tuple[Occurrence, ...]


def calendar_years(site: Site) -> list[int]:
    """Fiscal years that get month pages: every plan's, and every year with a public event."""
    years = {p.fiscal_year for p in site.plans}
    years |= {dates.fiscal_year(o.date) for o in site.public_occurrences()}
    return sorted(years)


def calendar_months(site: Site) -> list[tuple[int, int]]:
    return [ym for year in calendar_years(site) for ym in dates.fiscal_months(year)]


def month_weeks(site: Site, year: int, month: int) -> list[list[Day | None]]:
    last = date(year, month, stdlib_calendar.monthrange(year, month)[1])
    shown = occurrences_between(site, date(year, month, 1), last)
    weeks = []
    for week in SUNDAY_FIRST.monthdatescalendar(year, month):
        row: list[Day | None] = []
        for day in week:
            if day.month != month:
                row.append(None)
                continue
            on_day = tuple(o for o in shown if o.date <= day <= o.end_date)
            row.append(
                Day(day, day.weekday(), dates.holiday_name(day), day_status(day, site.plan_for(day).facility.closed), on_day)
            )
        weeks.append(row)
    return weeks


def render_month(site: Site, year: int, month: int, months: list[tuple[int, int]]) -> Page:
    index = months.index((year, month))
    first = date(year, month, 1)
    last = date(year, month, stdlib_calendar.monthrange(year, month)[1])
    occurrences = occurrences_between(site, first, last)
    return render_page(
        f"calendar/{year}-{month:02d}.md",
        "month.md.j2",
        kind="month",
        wide=True,
        title=f"{year}年{month}月の講座・イベント",
        description=f"{site.plan.facility.name}の{year}年{month}月の講座・イベントと休館日のカレンダー。",
        year=year,
        month=month,
        year_label=dates.format_year_with_era(year),
        prev=months[index - 1] if index > 0 else None,
        next=months[index + 1] if index + 1 < len(months) else None,
        weeks=month_weeks(site, year, month),
        weekday_names=WEEKDAY_NAMES,
        occurrences=occurrences,
        count=len(occurrences),
        hours=site.plan_for(first).facility.hours,
        facility=site.plan_for(first).facility,
        list_limit=MONTH_LIST_LIMIT,
        page_url=f"{site.site_url}calendar/{year}-{month:02d}/",
    )


def render_calendar_index(site: Site, months: list[tuple[int, int]]) -> Page:
    by_year: dict[int, list[tuple[int, int]]] = {}
    for year, month in months:
        by_year.setdefault(dates.fiscal_year(date(year, month, 1)), []).append((year, month))
    return render_page(
        "calendar/index.md",
        "calendar_index.md.j2",
        kind="calendar",
        title="カレンダー",
        description=f"{site.plan.facility.name}の講座・イベントを月ごとのカレンダーで見られます。",
        by_year=sorted(by_year.items(), reverse=True),
        current=(site.today.year, site.today.month),
        ics_url=site.calendar_feed_url,
        webcal_url=site.webcal_url,
        upcoming_html=render_months(by_month(site.upcoming(), CALENDAR_INDEX_LIMIT), "../", level=3),
        preparing=site.preparing_year,
        shown_year=None,
    )


def _filters(site: Site) -> dict[str, list]:
    soon = site.upcoming()
    program_ids = {o.item.program for o in soon}
    group_labels = {label for o in soon for label in o.item.audience_groups}
    sections = [s for s in site.plan.sections if program_ids & {p.id for p in s.programs}]
    groups = [(label, slug) for label, slug in AUDIENCE_GROUPS.items() if label in group_labels]
    programs = [p for p in site.all_programs() if p.id in program_ids]
    return {"sections": sections, "groups": groups, "programs": programs}


def render_events_index(site: Site) -> Page:
    years = sorted({dates.fiscal_year(o.date) for o in site.public_occurrences() if o.end_date < site.today}, reverse=True)
    return render_page(
        "events/index.md",
        "events_index.md.j2",
        kind="events",
        title="講座・イベント",
        description=f"{site.plan.facility.name}のこれからの講座・イベント。事業・目標・対象で絞り込めます。",
        upcoming_html=render_months(by_month(site.upcoming()), "../", level=3),
        filters=_filters(site),
        past_years=years,
        preparing=site.preparing_year,
        shown_year=None,
    )


def render_filtered(path: str, title: str, description: str, occurrences: list[Occurrence]) -> Page:
    return render_page(
        path,
        "events_filtered.md.j2",
        kind="events-filtered",
        title=title,
        description=description,
        list_html=render_months(by_month(occurrences), "../../../"),
    )


def render_past(site: Site, year: int) -> Page:
    past = [o for o in site.public_occurrences() if dates.fiscal_year(o.date) == year and o.end_date < site.today]
    return render_page(
        f"events/past/{year}.md",
        "events_filtered.md.j2",
        kind="events-past",
        title=f"{dates.format_fiscal_year(year)}の終了した講座・イベント",
        description=f"{dates.format_fiscal_year(year)}に行った講座・イベントの一覧。",
        list_html=render_months(
            by_month(reversed(past), newest_first=True), "../../../", past=True, empty="終了した講座・イベントはありません。"
        ),
    )


def _by_month(occurrences: list[Occurrence]) -> dict[tuple[int, int], list[Occurrence]]:
    """Each month's occurrences (an event over two months in both), in one pass."""
    months: dict[tuple[int, int], list[Occurrence]] = {}
    for occ in occurrences:
        year, month = occ.date.year, occ.date.month
        while (year, month) <= (occ.end_date.year, occ.end_date.month):
            months.setdefault((year, month), []).append(occ)
            year, month = dates.next_month(year, month)
    return months


def render_calendar_pages(site: Site, cache: PageCache | None = None) -> dict[str, Page]:
    """``cache`` (serve): a month page is made from the months' list and its month's occurrences,
    a past-events page from its year's; others are rendered every time (page_cache.py)."""
    months = calendar_months(site)
    files = {"calendar/index.md": render_calendar_index(site, months), "events/index.md": render_events_index(site)}
    by_month = _by_month(site.public_occurrences()) if cache is not None else {}
    for year, month in months:
        files[f"calendar/{year}-{month:02d}.md"] = kept(
            cache,
            ("month", year, month),
            (tuple(months), tuple(by_month.get((year, month), ()))),
            partial(render_month, site, year, month, months),
        )
    soon = site.upcoming()
    for section in site.plan.sections:
        ids = {p.id for p in section.programs}
        files[f"events/goal/{section.id}.md"] = render_filtered(
            f"events/goal/{section.id}.md",
            f"{section.label}の講座・イベント",
            f"{section.label}の事業の、これからの講座・イベント。",
            [o for o in soon if o.item.program in ids],
        )
    for label, slug in AUDIENCE_GROUPS.items():
        files[f"events/for/{slug}.md"] = render_filtered(
            f"events/for/{slug}.md",
            f"{label}向けの講座・イベント",
            f"対象が「{label}」の、これからの講座・イベント。",
            [o for o in soon if label in o.item.audience_groups],
        )
    past: dict[int, list[Occurrence]] = {}
    for occ in site.public_occurrences():
        past.setdefault(dates.fiscal_year(occ.date), []).append(occ)
    for year, occurrences in sorted(past.items()):
        files[f"events/past/{year}.md"] = kept(
            cache, ("past", year), tuple(o for o in occurrences if o.end_date < site.today), partial(render_past, site, year)
        )
    return files
