"""Event lists that fit a phone: grouped by month, a series shown once, and never longer than a page can be.

A list page (``/events/``, the filters, a program's events, the year archives, the home page) shows
its events under month headings. A series appears once, in the month of its next date (its latest
date in an archive), with how often it meets. A list shows whole months up to ``LIST_LIMIT`` entries;
the months after that are links to their calendar pages, which show every event of the month. So no
list page grows with the number of events: at 3,000 events a year every page stays under 150 KiB
(tests/test_event_lists.py measures it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from generator.model.event import Series
from generator.rules.dates import format_date
from generator.rules.series import Occurrence

LIST_LIMIT = 100  # entries on one list page; later months are links to their calendar pages
SOON_DATES = 4  # a series' next dates written into the page, for the script to move on (upcoming.js)


def rule_days(series: Series) -> str:
    """How often a series meets: ``毎週火曜日``, ``毎月第2水曜日``."""
    rule = series.repeat
    parts = [f"毎週{'・'.join(rule.weekly)}曜日"] if rule.weekly else []
    parts += [f"毎月第{m.week}{m.weekday}曜日" for m in rule.monthly]
    return "、".join(parts)


@dataclass(frozen=True)
class Entry:
    """One line of a list: an event's occurrence, or a series once with its dates in the list."""

    occurrences: tuple[Occurrence, ...]  # in list order; a single event has one

    @property
    def held(self) -> tuple[Occurrence, ...]:
        """The dates that take place: a series' cancelled dates are not its next date (unless all are)."""
        return tuple(o for o in self.occurrences if o.status != "cancelled") or self.occurrences

    @property
    def occ(self) -> Occurrence:
        """The date shown: the event's; the series' next one that takes place (its latest in an archive)."""
        return self.held[0]

    @property
    def soon(self) -> tuple[Occurrence, ...]:
        """The dates the page carries, so that the script can show the next one on a later day."""
        return self.held[:SOON_DATES]

    @property
    def last_end(self) -> date:
        return max(o.end_date for o in self.occurrences)

    @property
    def rule(self) -> str:
        """How often a series meets, and until when: ``毎週火曜日（2026年3月17日（火）まで）``."""
        item = self.occ.item
        return f"{rule_days(item)}（{format_date(item.repeat.until)}まで）" if isinstance(item, Series) else ""


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    entries: tuple[Entry, ...]
    left_out: int = 0  # entries of this month not shown (the page's limit); its calendar page has them

    @property
    def id(self) -> str:
        return f"m{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def calendar(self) -> str:
        """Its calendar page, from the site root."""
        return f"calendar/{self.year}-{self.month:02d}/"


@dataclass(frozen=True)
class Listing:
    months: tuple[Month, ...]  # shown
    more: tuple[Month, ...]  # not shown: each a link to its calendar page (with its number of entries)

    @property
    def empty(self) -> bool:
        return not self.months


def entries(occurrences: Iterable[Occurrence]) -> list[Entry]:
    """Each event once per occurrence, each series once (at its first occurrence in the given order)."""
    found: list[list[Occurrence]] = []
    series: dict[str, list[Occurrence]] = {}
    for occ in occurrences:
        if occ.is_series:
            if occ.item_id in series:
                series[occ.item_id].append(occ)
                continue
            series[occ.item_id] = []
            found.append(series[occ.item_id])
            series[occ.item_id].append(occ)
        else:
            found.append([occ])
    return [Entry(tuple(group)) for group in found]


def by_month(occurrences: Iterable[Occurrence], limit: int = LIST_LIMIT, *, newest_first: bool = False) -> Listing:
    """``occurrences`` (upcoming: soonest first; archives: latest first, ``newest_first``) as months of
    entries: whole months while they fit ``limit`` entries (the first month is cut at ``limit``), then
    the remaining months as links."""
    months: dict[tuple[int, int], list[Entry]] = {}
    for entry in entries(occurrences):
        months.setdefault((entry.occ.date.year, entry.occ.date.month), []).append(entry)
    shown: list[Month] = []
    more: list[Month] = []
    used = 0
    for year, month in sorted(months, reverse=newest_first):
        found = sorted(months[year, month], key=lambda e: e.occ.sort_key(), reverse=newest_first)
        if more or (shown and used + len(found) > limit):
            more.append(Month(year, month, tuple(found)))
            continue
        kept = found[: limit - used]
        shown.append(Month(year, month, tuple(kept), left_out=len(found) - len(kept)))
        used += len(kept)
    return Listing(tuple(shown), tuple(more))
