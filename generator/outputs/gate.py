"""``check`` is the single gate: what ``newsletter``, ``social`` and ``report`` would refuse for
this month and next is reported by ``check`` too, so the pull-request check catches it before
the monthly workflow or a member of staff runs into it. Pure: a Site in, problems out."""

from __future__ import annotations

from collections.abc import Callable

from generator.model.errors import ContentError, Problem
from generator.outputs.newsletter import build_issue, check_characters, law_problems, pending_issues
from generator.outputs.report import render_report
from generator.outputs.social import render_social
from generator.reading.site import Site
from generator.rules.dates import fiscal_year, next_month


def months_ahead(site: Site) -> list[tuple[int, int]]:
    """This month and next."""
    this = (site.today.year, site.today.month)
    return [this, next_month(*this)]


def _attempt(make: Callable[..., object], *args: object) -> list[Problem]:
    try:
        make(*args)
    except ContentError as error:
        return list(error.problems)
    return []


def gate_problems(site: Site) -> list[Problem]:
    """Every problem the other commands would meet with today's content (duplicates removed).

    The law's facts (contact, unsubscribe page) are a warning while an issue for this month or next
    is written and not yet sent: ``check --strict`` then fails, as ``newsletter`` would."""
    problems: list[Problem] = []
    if pending_issues(site):
        problems += law_problems(site, severity="warning")
    for year, month in months_ahead(site):
        problems += check_characters(build_issue(site, year, month), site)
        problems += _attempt(render_social, site, (year, month))
    if site.plan_of_year(fiscal_year(site.today)):
        problems += _attempt(render_report, site, fiscal_year(site.today))
    return sorted(set(problems))
