"""Closed days: the one rule that month calendars, series, warnings and the facility and home pages use.

The rule as the facility publishes it (ご利用の手引): closed on the first Monday of every month for
building inspection, but on the second Monday when the first Monday is the 1st; and over the year
end (12月28日〜1月4日, from the plan). One-off 臨時休館 and 臨時開館 days, each with a reason that
citizens see, change single days. ``closed`` below is always the plan's ``facility.closed``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from generator.model.plan import Closed, Plan
from generator.rules.plans import plan_for_date

Kind = Literal["monthly", "year_end", "temporary_closure", "temporary_opening"]


@dataclass(frozen=True)
class DayStatus:
    """Why a day is closed, or why it is open although the rule closes it (臨時開館)."""

    kind: Kind
    day: date
    reason: str = ""  # the plan's reason, for temporary closures and openings

    @property
    def closed(self) -> bool:
        return self.kind != "temporary_opening"

    @property
    def text(self) -> str:
        """For sentences: ``2025年9月8日（月） は休館日（第1月曜日が1日のため第2月曜日）です``."""
        if self.kind == "monthly":
            return "休館日（第1月曜日が1日のため第2月曜日）" if self.day.day > 7 else "休館日（第1月曜日）"
        if self.kind == "year_end":
            return "年末年始の休館日"
        if self.kind == "temporary_closure":
            return f"臨時休館日（{self.reason}）"
        return f"臨時開館日（{self.reason}）"

    @property
    def label(self) -> str:
        """The mark in a calendar day's cell."""
        return {"monthly": "休館日", "year_end": "休館日", "temporary_closure": "臨時休館", "temporary_opening": "臨時開館"}[
            self.kind
        ]


def monthly_closed_day(year: int, month: int, closed: Closed) -> date | None:
    """The month's regular closed day: its first Monday, or the second Monday when the first is the 1st."""
    if closed.monthly == "none":
        return None
    first = date(year, month, 1)
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    return monday + timedelta(days=7) if monday.day == 1 else monday


def _in_year_end(day: date, closed: Closed) -> bool:
    month_day = f"{day.month:02d}-{day.day:02d}"
    start, end = closed.year_end.start, closed.year_end.end
    return (start <= month_day <= end) if start <= end else (month_day >= start or month_day <= end)


def rule_status(day: date, closed: Closed) -> DayStatus | None:
    """The regular rule alone (monthly and year-end closures), without the temporary days."""
    if _in_year_end(day, closed):
        return DayStatus("year_end", day)
    if day == monthly_closed_day(day.year, day.month, closed):
        return DayStatus("monthly", day)
    return None


def day_status(day: date, closed: Closed) -> DayStatus | None:
    """What the calendar says about ``day``: a closure, a 臨時開館, or None for an ordinary open day."""
    for closure in closed.temporary_closures:
        if closure.date == day:
            return DayStatus("temporary_closure", day, closure.reason)
    rule = rule_status(day, closed)
    if rule:
        for opening in closed.temporary_openings:
            if opening.date == day:
                return DayStatus("temporary_opening", day, opening.reason)
    return rule


def closed_reason(day: date, closed: Closed) -> str | None:
    """Why the Corner is closed on ``day`` (``休館日（第1月曜日）`` …), or None when it is open."""
    status = day_status(day, closed)
    return status.text if status and status.closed else None


def _month_day(value: str) -> str:
    month, day = value.split("-")
    return f"{int(month)}月{int(day)}日"


def rule_lines(closed: Closed) -> list[str]:
    """The regular closed days in words, for the facility and home pages."""
    lines = ["毎月第1月曜日（第1月曜日が1日のときは第2月曜日）"] if closed.monthly != "none" else []
    return lines + [f"年末年始（{_month_day(closed.year_end.start)}〜{_month_day(closed.year_end.end)}）"]


def rule_summary(closed: Closed) -> str:
    return "、".join(rule_lines(closed))


def upcoming_temporary(plans: Sequence[Plan], today: date) -> list[DayStatus]:
    """臨時休館 and 臨時開館 days from ``today`` on, by date, with their reasons: each taken from the
    plan whose rules apply on its date (its fiscal year's, as for the calendar and the checks)."""
    days = []
    for plan in plans:
        closed = plan.facility.closed
        listed = [(c.date, "temporary_closure") for c in closed.temporary_closures]
        listed += [(o.date, "temporary_opening") for o in closed.temporary_openings]
        for day, kind in listed:
            status = day_status(day, closed) if day >= today and plan_for_date(plans, day) is plan else None
            if status and status.kind == kind:
                days.append(status)
    return sorted(days, key=lambda d: (d.day, d.kind))
