"""Which year's plan applies: every fiscal year is its own plan (``plan.yaml`` and ``plans/YYYY.yaml``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from generator.model.plan import Plan
from generator.rules.dates import fiscal_year


def plan_of_year(plans: Sequence[Plan], year: int) -> Plan | None:
    return next((p for p in plans if p.fiscal_year == year), None)


def plan_for_date(plans: Sequence[Plan], day: date) -> Plan:
    """The rules that apply on ``day``: its fiscal year's plan, else the newest earlier one (a year
    whose plan is not written yet keeps last year's rooms, hours and closed days), else the first."""
    year = fiscal_year(day)
    earlier = [p for p in plans if p.fiscal_year <= year]
    return max(earlier, key=lambda p: p.fiscal_year) if earlier else min(plans, key=lambda p: p.fiscal_year)


def shown_plan(plans: Sequence[Plan], today: date) -> Plan:
    """The plan the site presents: today's year's if it is final, else the newest final plan before it
    (last year's, while the new one is being prepared), else the first one still to come."""
    final = [p for p in plans if not p.draft] or plans
    year = fiscal_year(today)
    earlier = [p for p in final if p.fiscal_year <= year]
    return max(earlier, key=lambda p: p.fiscal_year) if earlier else min(final, key=lambda p: p.fiscal_year)
