"""Event and series pages, and the event lists other pages embed. Pure: Site in, text out."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from . import dates
from .jsonld import event_data
from .load import Site
from .load_events import Record
from .model_event import Series
from .page_cache import PageCache, kept
from .plaintext import summary
from .templating import render_markdown, render_template
from .series import Occurrence


def format_rule(series: Series) -> str:
    rule = series.repeat
    parts = [f"毎週{'・'.join(rule.weekly)}曜日"] if rule.weekly else []
    parts += [f"毎月第{m.week}{m.weekday}曜日" for m in rule.monthly]
    text = "、".join(parts)
    if series.start:
        text += " " + dates.format_time_range(series.start, series.end)
    period = f"{dates.format_date(rule.from_)}〜{dates.format_date(rule.until)}"
    skips = "祝日・休館日を除く" if rule.skip_holidays else "休館日を除く"
    return f"{text}（{period}。{skips}）"


def google_calendar_url(occ: Occurrence, page_url: str, facility_name: str) -> str:
    if occ.start:
        end = occ.end or occ.start
        span = f"{occ.date:%Y%m%d}T{occ.start:%H%M%S}/{occ.end_date:%Y%m%d}T{end:%H%M%S}"
    else:
        span = f"{occ.date:%Y%m%d}/{occ.end_date + timedelta(days=1):%Y%m%d}"
    venue = occ.item.venue
    location = f"{venue.name} {venue.address}" if venue.address else f"{facility_name} {venue.name}"
    query = {"action": "TEMPLATE", "text": occ.item.title, "dates": span, "ctz": "Asia/Tokyo",
             "location": location, "details": page_url}
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def _cohosts(record: Record) -> list[tuple[str, list[str]]]:
    roles = ["共催", "後援", "協力"]
    return [(role, [c.name for c in record.item.cohosts if c.role == role]) for role in roles
            if any(c.role == role for c in record.item.cohosts)]


JSONLD_DESCRIPTION = 300  # characters of an event's description in its JSON-LD


def render_event_page(site: Site, record: Record) -> str:
    item, occurrences = record.item, list(record.occurrences)
    url = site.event_url(record.id)
    facility = site.plan.facility
    first = occurrences[0]
    description = f"{dates.format_span(first.date, first.end_date, first.start, first.end)}、{item.venue.name}。"
    if isinstance(item, Series):
        description = f"{format_rule(item)}。{item.venue.name}。"
    description += item.audience and f"対象: {item.audience}"
    about = summary(render_markdown(item.description), JSONLD_DESCRIPTION) if item.description.strip() else description
    data = [event_data(o, url + (f"#{o.anchor}" if record.is_series else ""), facility, site.site_url, about) for o in occurrences]
    # Search covers this and the last fiscal year; older events are found through their year's list
    # of past events (searchable). Ten years of event pages would otherwise double Pagefind's time and memory.
    searchable = occurrences[-1].end_date >= dates.fiscal_year_range(dates.fiscal_year(site.today) - 1)[0]
    return render_template(
        "event.md.j2",
        kind="event",
        searchable=searchable,
        title=("【中止】" if item.status == "cancelled" else "") + item.title,
        description=description,
        item=item,
        item_id=record.id,
        status=item.status,
        cancelled=item.status == "cancelled",
        finished=all(o.end_date < site.today for o in occurrences),
        series=record.is_series,
        rule_text=format_rule(item) if isinstance(item, Series) else "",
        occurrences=occurrences,
        facility=facility,
        program=site.program(item.program) if item.program else None,
        cohosts=_cohosts(record),
        google_url=google_calendar_url(first, url, facility.name),
        jsonld=data[0] if len(data) == 1 else data,
        image=f"images/{item.image.src}" if item.image else "",
        image_alt=item.image.alt if item.image else "",
    )


def render_event_pages(site: Site, cache: PageCache | None = None) -> dict[str, str]:
    """One page per public record. A page reads its record and what all pages read (page_cache.py)."""
    return {f"events/{r.id}.md": kept(cache, ("event", r.id), (r,), lambda r=r: render_event_page(site, r))
            for r in site.public_records()}


def occurrences_between(site: Site, first: date, last: date) -> list[Occurrence]:
    return [o for o in site.public_occurrences() if o.date <= last and o.end_date >= first]

