"""iCalendar (RFC 5545 + RFC 7986) for events, series, programs and the whole site.

UIDs come from ids (a series occurrence: series id + its original date), never from
dates or times, so a rescheduled event updates in subscribers' calendars. DTSTAMP,
LAST-MODIFIED and SEQUENCE come from the data (``published``/``updated``), never the
clock. The icalendar library folds lines at 75 octets without splitting characters.

Every file is ``METHOD:PUBLISH``, so every event names its ORGANIZER (RFC 5546 §3.2.1): the facility,
which publishes the calendar. An ORGANIZER is a CAL-ADDRESS, any URI (RFC 5545 §3.3.3): ``mailto:``
with the plan's e-mail address when there is one, else the site's address; the name is its CN. The
DESCRIPTION is plain text of the rendered Markdown (``plaintext``), never the Markdown itself.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from urllib.parse import urlparse

from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from generator.model.event import cancelled_mark
from generator.reading.markdown import render_markdown
from generator.reading.site import Site
from generator.render.plaintext import plain_text
from generator.rules.dates import JST
from generator.rules.series import Occurrence

REFRESH = timedelta(hours=12)
ICS_STATUS = {"scheduled": "CONFIRMED", "full": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}
EPOCH = date(2000, 1, 1)


def _utc(when: date | datetime) -> datetime:
    moment = when if isinstance(when, datetime) else datetime.combine(when, time(0))
    return moment.replace(tzinfo=JST).astimezone(UTC)


def sequence(occ: Occurrence) -> int:
    """Grows whenever staff record a change (``updated``, a date or a date and time) or cancel:
    calendars then take the new version. It counts minutes from the announcement (``published``)
    to the change, plus one, so a change on the day of the announcement or twice in one day
    (``"2025-06-01 15:00"``) still raises it."""
    item = occ.item
    start = datetime.combine(item.published or EPOCH, time(0))
    base = int((item.updated - start).total_seconds() // 60) + 1 if item.updated else 0
    return max(base, 0) + (1 if occ.status == "cancelled" else 0)


def _location(occ: Occurrence, site: Site) -> str:
    venue = occ.item.venue
    if venue.address:
        return f"{venue.name}（{venue.address}）"
    return f"{site.plan.facility.name} {venue.name}（{site.plan.facility.address}）"


def _description(occ: Occurrence, url: str) -> str:
    item = occ.item
    lines = []
    if occ.status_reason:
        lines.append(f"【{'中止' if occ.status == 'cancelled' else '変更'}】{occ.status_reason}")
    if item.audience:
        lines.append(f"対象: {item.audience}")
    lines.append(f"申込: {'必要' if item.application.required else '不要'}")
    if item.organizer:
        lines.append(f"主催: {item.organizer.name}")
    if item.description.strip():
        lines.append(plain_text(render_markdown(item.description)))
    lines.append(url)
    return "\n".join(lines)


def organizer(site: Site) -> vCalAddress:
    """The facility as the events' organizer: its e-mail address if the plan has one (never made up),
    else the site's address."""
    facility = site.plan.facility
    address = vCalAddress(f"mailto:{facility.email}" if facility.email else site.site_url)
    address.params["CN"] = facility.name
    return address


def vevent(occ: Occurrence, site: Site) -> VEvent:
    item = occ.item
    url = site.occurrence_url(occ)
    host = urlparse(site.site_url).hostname or "localhost"
    event = VEvent()
    event.add("uid", f"{occ.key}@{host}")
    event.add("dtstamp", _utc(item.updated or item.published or occ.original_date))
    if item.updated:
        event.add("last-modified", _utc(item.updated))
    event.add("sequence", sequence(occ))
    event.add("organizer", organizer(site))
    event.add("summary", cancelled_mark(occ.status) + item.title)
    if occ.start:
        event.add("dtstart", datetime.combine(occ.date, occ.start, tzinfo=JST))
        event.add("dtend", datetime.combine(occ.end_date, occ.end or occ.start, tzinfo=JST))
    else:
        event.add("dtstart", occ.date)
        event.add("dtend", occ.end_date + timedelta(days=1))  # exclusive
    event.add("status", ICS_STATUS[occ.status])
    event.add("location", _location(occ, site))
    event.add("description", _description(occ, url))
    event.add("url", url)
    return event


END_CALENDAR = b"END:VCALENDAR\r\n"


def to_ical(component) -> bytes:
    """``component.to_ical()``, byte for byte, without icalendar's character-by-character folding of
    the many lines that need none (under 75 octets): that folding was most of the time for 3,000 events."""
    out = []
    for line in component.content_lines():
        if line:
            data = line.encode("utf-8")
            out.append((data if len(data) < 75 else line.to_ical()) + b"\r\n")
    return b"".join(out)


def render_ics(
    site: Site, occurrences: list[Occurrence], name: str, description: str, page_url: str, vevents: dict[str, bytes] | None = None
) -> bytes:
    """One calendar file. ``vevents`` caches each occurrence's serialized VEVENT by key: an occurrence
    appears in its event's, its program's and the site-wide file, and serializing is the slow part."""
    cal = Calendar()
    cal.add("prodid", "-//横浜市社会教育コーナー//サイト生成//JA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # icalendar types NAME and the X-WR- names as "unknown" and would write a title's newline or
    # comma raw (a broken line); they are TEXT, escaped like SUMMARY.
    cal.add("name", vText(name))
    cal.add("x-wr-calname", vText(name))
    cal.add("description", vText(description))
    cal.add("x-wr-caldesc", vText(description))
    cal.add("x-wr-timezone", "Asia/Tokyo")
    cal.add("url", page_url)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    # Properties come first and subcomponents after, each line folded on its own: joining the
    # serialized parts gives the bytes cal.to_ical() would give with the components added.
    parts = [to_ical(cal).removesuffix(END_CALENDAR)]
    if any(occ.start for occ in occurrences):
        parts.append(tokyo_timezone_ical())
    cache = {} if vevents is None else vevents
    for occ in sorted(occurrences, key=Occurrence.sort_key):
        if occ.key not in cache:
            cache[occ.key] = to_ical(vevent(occ, site))
        parts.append(cache[occ.key])
    return b"".join(parts) + END_CALENDAR


@lru_cache(maxsize=1)
def tokyo_timezone_ical() -> bytes:
    return to_ical(tokyo_timezone())


@lru_cache(maxsize=1)
def tokyo_timezone():
    """The Asia/Tokyo VTIMEZONE, made once (icalendar derives it from the tz database; slow per file)."""
    cal = Calendar()
    probe = VEvent()
    probe.add("dtstart", datetime(2000, 1, 1, tzinfo=JST))
    cal.add_component(probe)
    cal.add_missing_timezones()
    return next(c for c in cal.subcomponents if c.name == "VTIMEZONE")


# The site-wide and program calendars hold the latest occurrences by date (about two years here), not
# ten years of them: calendar apps download the whole file on every refresh. Each event's own .ics is whole.
CALENDAR_OCCURRENCES = 1000


def render_ical_files(site: Site) -> dict[str, bytes]:
    facility = site.plan.facility.name
    public = site.public_occurrences()
    shown = public[-CALENDAR_OCCURRENCES:]
    vevents: dict[str, bytes] = {}
    files = {
        "ics/all.ics": render_ics(
            site,
            shown,
            f"{facility} 講座・イベント",
            f"{facility}の講座・イベント（自動で更新されます）",
            site.site_url + "calendar/",
            vevents,
        )
    }
    for record in site.public_records():
        files[f"ics/events/{record.id}.ics"] = render_ics(
            site,
            list(record.occurrences),
            f"{record.item.title}（{facility}）",
            record.item.title,
            site.event_url(record.id),
            vevents,
        )
    by_program: dict[str | None, list[Occurrence]] = {}
    for occ in public:  # in date order, so each list's tail is its latest
        by_program.setdefault(occ.item.program, []).append(occ)
    for program in site.all_programs():
        mine = by_program.get(program.id, [])[-CALENDAR_OCCURRENCES:]
        if mine:
            files[f"ics/programs/{program.id}.ics"] = render_ics(
                site,
                mine,
                f"{program.name}（{facility}）",
                f"{facility}「{program.name}」の講座・イベント",
                f"{site.site_url}programs/{program.id}/",
                vevents,
            )
    return files
