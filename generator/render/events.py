"""Event and series pages, and the event lists other pages embed. Pure: Site in, text out."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from urllib.parse import urlencode

from generator.model.event import Series, cancelled_mark
from generator.reading.markdown import render_markdown
from generator.reading.site import Record, Site
from generator.render.event_lists import rule_days
from generator.render.jsonld import event_data
from generator.render.page import Page
from generator.render.page_cache import PageCache, kept
from generator.render.plaintext import summary
from generator.render.templating import render_page
from generator.rules import dates
from generator.rules.series import Occurrence


def rule_pieces(series: Series) -> list[dates.Piece]:
    """``format_rule`` in pieces, each date and time a unit (as in dates.span_pieces)."""
    rule = series.repeat
    times = [(" ", False), *dates.time_range_pieces(series.start, series.end)] if series.start else []
    skips = "祝日・休館日を除く" if rule.skip_holidays else "休館日を除く"
    return [
        (rule_days(series), False),
        *times,
        ("（", False),
        (dates.format_date(rule.from_), True),
        ("〜", False),
        (dates.format_date(rule.until), True),
        (f"。{skips}）", False),
    ]


def format_rule(series: Series) -> str:
    """``毎週火曜日 10時〜11時30分（2025年4月8日（火）〜…。祝日・休館日を除く）``."""
    return dates.pieces_text(rule_pieces(series))


def google_calendar_url(occ: Occurrence, page_url: str, facility_name: str) -> str:
    if occ.start:
        end = occ.end or occ.start
        span = f"{occ.date:%Y%m%d}T{occ.start:%H%M%S}/{occ.end_date:%Y%m%d}T{end:%H%M%S}"
    else:
        span = f"{occ.date:%Y%m%d}/{occ.end_date + timedelta(days=1):%Y%m%d}"
    venue = occ.item.venue
    location = f"{venue.name} {venue.address}" if venue.address else f"{facility_name} {venue.name}"
    query = {
        "action": "TEMPLATE",
        "text": occ.item.title,
        "dates": span,
        "ctz": "Asia/Tokyo",
        "location": location,
        "details": page_url,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def _cohosts(record: Record) -> list[tuple[str, list[str]]]:
    roles = ["共催", "後援", "協力"]
    return [
        (role, [c.name for c in record.item.cohosts if c.role == role])
        for role in roles
        if any(c.role == role for c in record.item.cohosts)
    ]


JSONLD_DESCRIPTION = 300  # characters of an event's description in its JSON-LD
SERIES_JSONLD = 20  # a series' JSON-LD: its next dates (search engines show upcoming events), at most these
SESSION_LIMIT = 120  # dates in each of a series page's lists (upcoming, past); the rest are counted in words


def jsonld_occurrences(occurrences: list[Occurrence], today: date) -> list[Occurrence]:
    """The occurrences a page describes in JSON-LD: an event's one; a series' next SERIES_JSONLD dates,
    or its last date once none is left (so that a series of any length keeps its page small)."""
    if len(occurrences) == 1:
        return occurrences
    upcoming = [o for o in occurrences if o.end_date >= today]
    return upcoming[:SERIES_JSONLD] or occurrences[-1:]


def _description(record: Record) -> str:
    """The page's description: when (or the series' rule), where, for whom."""
    item, first = record.item, record.occurrences[0]
    if isinstance(item, Series):
        description = f"{format_rule(item)}。{item.venue.name}。"
    else:
        description = f"{dates.format_span(first.date, first.end_date, first.start, first.end)}、{item.venue.name}。"
    return description + (item.audience and f"対象: {item.audience}")


def _jsonld(site: Site, record: Record, description: str) -> list[dict]:
    """schema.org Event data for the occurrences the page describes (``jsonld_occurrences``)."""
    item = record.item
    about = summary(render_markdown(item.description), JSONLD_DESCRIPTION) if item.description.strip() else description
    return [
        event_data(o, site.occurrence_url(o), site.plan.facility, site.site_url, about)
        for o in jsonld_occurrences(list(record.occurrences), site.today)
    ]


def render_event_page(site: Site, record: Record) -> Page:
    item, occurrences = record.item, list(record.occurrences)
    facility = site.plan.facility
    description = _description(record)
    data = _jsonld(site, record, description)
    # Search covers this and the last fiscal year; older events are found through their year's list
    # of past events (searchable). Ten years of event pages would otherwise double Pagefind's time and memory.
    upcoming = [o for o in occurrences if o.end_date >= site.today]
    past = [o for o in occurrences if o.end_date < site.today]
    searchable = occurrences[-1].end_date >= dates.fiscal_year_range(dates.fiscal_year(site.today) - 1)[0]
    return render_page(
        f"events/{record.id}.md",
        "event.md.j2",
        kind="event",
        searchable=searchable,
        title=cancelled_mark(item.status) + item.title,
        description=description,
        item=item,
        item_id=record.id,
        status=item.status,
        cancelled=item.status == "cancelled",
        finished=all(o.end_date < site.today for o in occurrences),
        series=record.is_series,
        rule_pieces=rule_pieces(item) if isinstance(item, Series) else [],
        occurrences=occurrences,
        upcoming=upcoming[:SESSION_LIMIT],
        upcoming_more=max(0, len(upcoming) - SESSION_LIMIT),
        past=past[-SESSION_LIMIT:],
        past_more=max(0, len(past) - SESSION_LIMIT),
        next_session=next((o for o in upcoming if o.status != "cancelled"), None),
        facility=facility,
        program=site.program(item.program) if item.program else None,
        cohosts=_cohosts(record),
        google_url=google_calendar_url(occurrences[0], site.event_url(record.id), facility.name),
        jsonld=data[0] if len(data) == 1 else data,
        image=f"images/{item.image.src}" if item.image else "",
        image_alt=item.image.alt if item.image else "",
    )


def render_event_pages(site: Site, cache: PageCache | None = None) -> dict[str, Page]:
    """One page per public record. A page reads its record and what all pages read (page_cache.py)."""
    return {
        f"events/{r.id}.md": kept(cache, ("event", r.id), (r,), partial(render_event_page, site, r))
        for r in site.public_records()
    }


def occurrences_between(site: Site, first: date, last: date) -> list[Occurrence]:
    return [o for o in site.public_occurrences() if o.date <= last and o.end_date >= first]
