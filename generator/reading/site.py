"""The frozen result of reading: ``Site`` (everything, validated) and ``Record`` (one event or series
file). Renderers and outputs import these types from here, not from the loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from generator.model.errors import Problem
from generator.model.event import Item, Series
from generator.model.plan import AccessibilityRecord, Newsletter, NewsletterSettings, Page, Plan, Post, Program
from generator.reading.config import BuilderConfig
from generator.rules.dates import fiscal_year, fiscal_year_range
from generator.rules.plans import plan_for_date, plan_of_year
from generator.rules.series import Occurrence


@dataclass(frozen=True)
class Record:
    """One event or series file, validated."""

    id: str
    item: Item
    path: str
    occurrences: tuple[Occurrence, ...]
    method_at: tuple[tuple[int, int], ...] = ()  # line and column of each application.method entry (contact.py)

    @property
    def is_series(self) -> bool:
        return isinstance(self.item, Series)


def sorted_occurrences(records: list[Record]) -> tuple[Occurrence, ...]:
    return tuple(sorted((o for r in records for o in r.occurrences), key=Occurrence.sort_key))


def is_public(item, today: date) -> bool:
    """Shown anywhere: not an internal record, and announced (``published``) on or before today."""
    return not item.internal and (item.published is None or item.published <= today)


@dataclass(frozen=True)
class Site:
    """All content, validated. Renderers get this and ``today``, nothing else.

    ``plan`` is the plan the site presents (see ``shown_plan``); ``plans`` holds every year's. An
    event, post or figure belongs to the plan of its own fiscal year (``plan_for``)."""

    root: Path
    today: date
    plan: Plan
    plans: tuple[Plan, ...]
    pages: tuple[Page, ...] = ()
    events: tuple[Record, ...] = ()
    posts: tuple[Post, ...] = ()
    newsletters: tuple[Newsletter, ...] = ()
    newsletter_settings: NewsletterSettings = field(default_factory=NewsletterSettings)
    occurrences: tuple[Occurrence, ...] = ()
    home_intro: str = ""
    accessibility: AccessibilityRecord | None = None
    warnings: tuple[Problem, ...] = field(default=())
    scheduled_posts: int = 0  # posts dated after today: checked, not yet published
    builder: BuilderConfig = field(default_factory=BuilderConfig)  # mkdocs.yml's settings the generator needs

    @cached_property
    def _public(self) -> tuple[Occurrence, ...]:
        return tuple(o for o in self.occurrences if is_public(o.item, self.today))

    @cached_property
    def _upcoming(self) -> tuple[Occurrence, ...]:
        return tuple(o for o in self._public if o.end_date >= self.today)

    def public_records(self) -> list[Record]:
        return [r for r in self.events if is_public(r.item, self.today)]

    def public_occurrences(self) -> list[Occurrence]:
        """Every occurrence that may be shown anywhere; internal ones and those announced later never are."""
        return list(self._public)

    def upcoming(self, limit: int | None = None) -> list[Occurrence]:
        """Public occurrences not yet over on ``today`` (pages also hide past ones by script)."""
        return list(self._upcoming[:limit] if limit else self._upcoming)

    @property
    def site_url(self) -> str:
        return self.builder.site_url

    def event_url(self, item_id: str) -> str:
        return f"{self.site_url}events/{item_id}/"

    def occurrence_url(self, occ: Occurrence) -> str:
        return self.site_url + occ.page_path()

    @property
    def calendar_feed_url(self) -> str:
        """The subscribable calendar of everything public (a permanent URL: a subscription contract)."""
        return f"{self.site_url}ics/all.ics"

    @property
    def webcal_url(self) -> str:
        return "webcal://" + self.calendar_feed_url.split("://", 1)[1]

    # The years

    def plan_of_year(self, year: int) -> Plan | None:
        return plan_of_year(self.plans, year)

    def plan_for(self, day: date) -> Plan:
        return plan_for_date(self.plans, day)

    @property
    def preparing_year(self) -> int | None:
        """Today's fiscal year while its plan is not ready (from 1 April until staff finish it), else None."""
        year = fiscal_year(self.today)
        return year if year > self.plan.fiscal_year else None

    def year_over(self, year: int) -> bool:
        return self.today > fiscal_year_range(year)[1]

    @cached_property
    def _programs(self) -> dict[str, tuple[Program, tuple[int, ...]]]:
        """Every program id of every plan: the version to show (the shown plan's, else the newest
        before it, else the first after it) and the years it is in the plan."""
        found: dict[str, tuple[Program, tuple[int, ...]]] = {}
        shown_year = self.plan.fiscal_year
        order = sorted(
            self.plans,
            key=lambda p: (p.fiscal_year > shown_year, -p.fiscal_year if p.fiscal_year <= shown_year else p.fiscal_year),
        )
        for plan in order:
            for program in plan.programs:
                version, years = found.get(program.id, (program, ()))
                found[program.id] = (version, tuple(sorted(years + (plan.fiscal_year,))))
        return found

    def program(self, program_id: str) -> Program | None:
        """A program of any year's plan, as the site shows it (stable URL ``programs/ID/``)."""
        entry = self._programs.get(program_id)
        return entry[0] if entry else None

    def program_years(self, program_id: str) -> tuple[int, ...]:
        return self._programs.get(program_id, (None, ()))[1]

    def all_programs(self) -> list[Program]:
        """The shown plan's programs in its order, then programs of other years (newest year first)."""
        return [version for version, _ in self._programs.values()]

    def ended_programs(self) -> list[Program]:
        """Programs of earlier years that the shown plan no longer has."""
        current = {p.id for p in self.plan.programs}
        return [p for p, years in self._programs.values() if p.id not in current and max(years) < self.plan.fiscal_year]
