"""How citizens reach the facility and apply for an event, from the facts the plan knows.

A way of applying needs a fact: 電話 the phone number, メール the e-mail address, はがき the postal
code, 申込フォーム the event's ``url`` (``model_event.APPLY_METHODS``). While a fact is unknown the
site never names that way: the application line points to the 窓口 with the address instead, and
``check`` warns (``--strict`` fails) at the event's ``method`` entry, naming the fact to fill in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from generator.model.errors import Problem
from generator.model.event import APPLY_METHODS, Application
from generator.model.plan import Facility, Room
from generator.rules.dates import format_time_range

# The plan's fact each way needs, in words and where it is written.
FACTS = {
    "phone": ("電話番号", "plan.yaml の facility.phone"),
    "email": ("メールアドレス", "plan.yaml の facility.email"),
    "postal_code": ("郵便番号", "plan.yaml の facility.postal_code"),
    "url": ("申込フォームの URL", "この催しの application.url"),
}


@dataclass(frozen=True)
class Way:
    """One way to apply, as the site shows it: its name, and the number, address or link it needs."""

    method: str
    text: str = ""  # 045-000-0000, the address…
    href: str = ""  # tel:, mailto:, https:


def missing_fact(method: str, application: Application, facility: Facility) -> str:
    """The key of the fact ``method`` needs and the plan (or event) lacks, or ``""``."""
    fact = APPLY_METHODS[method]
    if not fact:
        return ""
    value = application.url if fact == "url" else getattr(facility, fact)
    return "" if value else fact


def tel_href(phone: str) -> str:
    return "tel:" + phone.replace("-", "")


def postal_address(facility: Facility) -> str:
    return (f"〒{facility.postal_code} " if facility.postal_code else "") + facility.address


def ways(application: Application, facility: Facility) -> list[Way]:
    """The ways to apply whose facts are known, in the order staff wrote them. Empty: none is usable
    (the page then points to the 窓口, ``counter()``)."""
    found = []
    for method in application.method:
        if missing_fact(method, application, facility):
            continue
        if method == "電話":
            found.append(Way(method, facility.phone, tel_href(facility.phone)))
        elif method == "メール":
            found.append(Way(method, facility.email, "mailto:" + facility.email))
        elif method == "窓口":
            found.append(Way(method, facility.address))
        elif method == "申込フォーム":
            found.append(Way(method, "", application.url or ""))
        else:  # はがき
            found.append(Way(method, f"{postal_address(facility)} {facility.name}あて"))
    return found


def ways_text(item, facility: Facility, *, numbers: bool = True) -> str:
    """An event's ways to apply in plain text (newsletter, social posts): 「電話 045-…、窓口」, only
    the usable ones (``numbers``: with the phone number and address). Another organizer's event: its
    ways as written, to that organizer."""
    application = item.application
    if item.organizer:
        return "・".join(application.method) + f"（{item.organizer.name}へ）" if application.method else ""
    found = ways(application, facility)
    if not found:  # as on the page: the 窓口 (the mail's footer and the page give its address)
        return "窓口"
    return "、".join(w.method + (f" {w.text}" if numbers and w.method in ("電話", "メール") else "") for w in found)


def contact_problems(records: Iterable, facility: Facility, today: date) -> list[Problem]:
    """A warning at each ``method`` entry whose fact is unknown, for every event that still tells
    citizens how to apply (public or to be published, not cancelled, not over on ``today``)."""
    problems = []
    for record in records:
        item = record.item
        if item.internal or item.organizer or not item.application.required or item.status == "cancelled":
            continue
        if not any(o.end_date >= today and o.status != "cancelled" for o in record.occurrences):
            continue
        for index, method in enumerate(item.application.method):
            fact = missing_fact(method, item.application, facility)
            if not fact:
                continue
            label, where = FACTS[fact]
            line, col = record.method_at[index] if index < len(record.method_at) else (0, 0)
            problems.append(
                Problem(
                    record.path,
                    line,
                    col,
                    f"申込方法「{method}」には{label}が要りますが、{where} が未記入です。{where} に書き入れるか、"
                    f"分かるまでは method から「{method}」を外してください（サイトには「{method}」と出さず、"
                    "窓口と所在地を案内しています）",
                    "warning",
                )
            )
    return problems


# The rooms as the facility page shows them (施設利用案内).


def area_text(area: float | None) -> str:
    """``66.66m²``, ``134.70m²``, ``800m²`` (two decimals as the record prints them, none for whole numbers)."""
    if area is None:
        return ""
    return f"{area:,.0f}m²" if float(area).is_integer() else f"{area:,.2f}m²"


def slots_text(room: Room) -> list[str]:
    """The time slots: each ``9時〜13時``, or, for many equal slots one after another, one line
    ``9時〜21時（2時間ごと）``."""
    slots = room.slots
    if not slots:
        return []
    minutes = [(s.end.hour * 60 + s.end.minute) - (s.start.hour * 60 + s.start.minute) for s in slots]
    joined = all(a.end == b.start for a, b in pairwise(slots))
    if len(slots) > 3 and joined and len(set(minutes)) == 1:
        length = minutes[0]
        step = f"{length // 60}時間" if length % 60 == 0 else f"{length}分"
        return [f"{format_time_range(slots[0].start, slots[-1].end)}（{step}ごと）"]
    return [format_time_range(s.start, s.end) for s in slots]


def fees_text(room: Room) -> list[str]:
    return [(f"{fee.label} " if fee.label else "") + ("無料" if fee.yen == 0 else f"{fee.yen:,}円") for fee in room.fees]


def capacity_text(room: Room) -> str:
    if room.capacity:
        return f"{room.capacity}人" + (f"（{room.capacity_note}）" if room.capacity_note else "")
    return room.capacity_note
