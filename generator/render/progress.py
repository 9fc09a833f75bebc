"""実績 against 目標回数: counting rules, the SVG bar chart, and the year-end report's CSV.

"Held" means dated on or before ``today``, not cancelled or postponed, within the fiscal
year. Internal activities count, but only as numbers: their titles never leave this module.
Sent メールマガジン issues count toward the program named in ``content/newsletter.yaml``, and
news or blog posts toward the program they name (``program:``).

A goal's or section's total (TOTALS_RULE): its rate is what was held toward the numeric targets
over their sum, each program counting up to its own target; the sessions of 随時 programs and those
beyond a target are held all the same and shown beside it as その他の実施回数. The page's table, the
report, the CSV and the chart all show these same three numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from generator.model.errors import ContentError, Problem
from generator.model.plan import Plan, Program, Section
from generator.reading.site import Site
from generator.render.page import Page
from generator.rules import dates

NOT_HELD = ("cancelled", "postponed")
TOTALS_RULE = (
    "合計の達成率は「目標に数えた実施回数 ÷ 目標回数の合計」です。目標に数えるのは目標回数のある事業の回で、"
    "1事業につき目標回数までです。随時の事業の回と目標を超えた回は「その他の実施回数」に数えます。"
)
TOTALS_NOTE = "合計。達成率 = 目標に数えた実施回数 ÷ 目標回数の合計（1事業につき目標回数まで）"


@dataclass(frozen=True)
class ProgramProgress:
    program: Program
    section: Section
    held: int
    scheduled: int
    cancelled: int
    participants: int | None
    includes_internal: bool

    @property
    def target(self) -> int | None:
        target = self.program.target
        return target if isinstance(target, int) else None  # as Program.has_target

    @property
    def rate(self) -> float | None:
        return self.held / self.target if self.target else None

    @property
    def rate_label(self) -> str:
        return f"{round(self.rate * 100)}%" if self.rate is not None else "―"

    @property
    def toward_target(self) -> int | None:
        """The sessions that count toward the goal's total: up to the target; None for 随時."""
        return min(self.held, self.target) if self.target else None

    @property
    def notes(self) -> str:
        parts = []
        if self.target is None:
            parts.append("随時（目標回数なし）")
        if self.cancelled:
            parts.append(f"中止・延期 {self.cancelled}回")
        if self.includes_internal:
            parts.append("内部の活動を含む")
        return "、".join(parts)


def plan_for(site: Site, year: int) -> Plan:
    plan = next((p for p in site.plans if p.fiscal_year == year), None)
    if plan is None:
        years = "、".join(f"{p.fiscal_year}年度" for p in site.plans)
        raise ContentError(
            [
                Problem(
                    "plan.yaml",
                    0,
                    0,
                    f"{year}年度の事業計画がありません（あるのは {years}）。plans/{year}.yaml を確かめてください",
                )
            ]
        )
    return plan


def compute_progress(site: Site, year: int) -> list[ProgramProgress]:
    plan = plan_for(site, year)
    first, last = dates.fiscal_year_range(year)
    counted = [o for o in site.occurrences if first <= o.date <= last]
    newsletter_program = site.newsletter_settings.program
    sent = [n for n in site.newsletters if n.meta.sent and first <= n.meta.sent <= last and n.meta.sent <= site.today]
    result = []
    by_program: dict[str | None, list] = {}
    for occ in counted:
        by_program.setdefault(occ.item.program, []).append(occ)
    for section in plan.sections:
        for program in section.programs:
            mine = by_program.get(program.id, [])
            held = [o for o in mine if o.date <= site.today and o.status not in NOT_HELD]
            recorded = [o.participants for o in held if o.participants is not None]
            extra = len(sent) if program.id == newsletter_program else 0
            extra += sum(
                1 for post in site.posts if post.meta.program == program.id and first <= post.meta.date <= min(last, site.today)
            )
            result.append(
                ProgramProgress(
                    program=program,
                    section=section,
                    held=len(held) + extra,
                    scheduled=sum(1 for o in mine if o.date > site.today and o.status not in NOT_HELD),
                    cancelled=sum(1 for o in mine if o.status in NOT_HELD),
                    participants=sum(recorded) if recorded else None,
                    includes_internal=any(o.item.internal for o in held),
                )
            )
    return result


def progress_by_program(site: Site, year: int | None = None) -> dict[str, ProgramProgress]:
    """A year's progress (default: the shown plan's) of every program, computed once for all program pages."""
    return {row.program.id: row for row in compute_progress(site, year or site.plan.fiscal_year)}


def started_years(site: Site) -> list[int]:
    """The plan years that have begun on ``today``: the years with figures to show."""
    return [p.fiscal_year for p in site.plans if dates.fiscal_year_range(p.fiscal_year)[0] <= site.today]


def as_of(site: Site, year: int) -> str:
    """When the figures stand: ``2025年6月30日（月）現在``, or, once the year is over, its final record."""
    if site.year_over(year):
        return f"{dates.format_nendo(year)}の最終実績（{dates.format_date(dates.fiscal_year_range(year)[1])}まで）"
    return f"{dates.format_date(site.today)}現在"


def held_label(row: ProgramProgress) -> str:
    """``実施 4回 / 目標 10回`` or, for 随時, ``実施 4回``."""
    return f"実施 {row.held}回 / 目標 {row.target}回" if row.target else f"実施 {row.held}回（随時）"


def total_label(total: SectionTotal) -> str:
    """``目標に数えた実施 10回 / 目標 22回（45%）、その他の実施 1回`` (TOTALS_RULE)."""
    text = (
        f"目標に数えた実施 {total.toward_target}回 / 目標 {total.target}回（{total.rate_label}）"
        if total.target
        else "目標回数なし"
    )
    return text + f"、その他の実施 {total.held_other}回"


def _chart_parts(rows: list[ProgramProgress], year: int, when: str) -> tuple[list, list, str, str]:
    """What both charts draw: the programs with a numeric target, the totals with one, the title and the description."""
    shown = [r for r in rows if r.target]
    totals = [t for t in section_totals(rows) if t.target]
    title = f"{dates.format_fiscal_year(year)} 事業の実施回数と目標回数（{when}）"
    desc = "。".join(
        [
            *(f"{r.program.name}: {held_label(r)}" for r in shown),
            *(f"{t.section.label}の合計: {total_label(t)}" for t in totals),
            *([TOTALS_RULE] if totals else []),
        ]
    )
    return shown, totals, title, desc


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: the top of its row, its name (cut to 24 characters), the filled width and the figures."""

    y: int
    name: str
    filled: int
    label: str


def _bars(
    shown: list[ProgramProgress], totals: list, top: int, totals_top: int, row_h: int, bar_w: int
) -> tuple[list[Bar], list[Bar]]:
    """Both charts' bars: one per program from ``top``, and one per total from ``totals_top``."""

    def bar(y: int, name: str, part: int, whole: int | None, label: str) -> Bar:
        assert whole, "only programs and totals with a numeric target are drawn"
        return Bar(y, name if len(name) <= 24 else name[:23] + "…", round(bar_w * min(part / whole, 1)), label)

    return (
        [
            bar(top + index * row_h, row.program.name, row.held, row.target, f"{row.held}/{row.target}回（{row.rate_label}）")
            for index, row in enumerate(shown)
        ],
        [
            bar(
                totals_top + index * row_h,
                f"{total.section.label} 合計",
                total.toward_target,
                total.target,
                f"{total.toward_target}/{total.target}回（{total.rate_label}）ほか{total.held_other}回",
            )
            for index, total in enumerate(totals)
        ],
    )


def _drawing(
    rows: list[ProgramProgress], year: int, when: str, *, bar_w: int, row_h: int, top: int, gap: int, bottom: int
) -> dict:
    """What both charts' templates take: title, description, the bars from ``top`` (``row_h`` apart, at most
    ``bar_w`` long), the totals' bars ``gap`` below them, and the height with ``bottom`` below the last."""
    shown, totals, title, desc = _chart_parts(rows, year, when)
    totals_top = top + row_h * len(shown) + (gap if totals else 0)
    bars, total_bars = _bars(shown, totals, top, totals_top, row_h, bar_w)
    height = totals_top + row_h * len(totals) + bottom
    return {
        "title": title,
        "desc": desc,
        "bar_w": bar_w,
        "height": height,
        "totals_top": totals_top,
        "bars": bars,
        "total_bars": total_bars,
    }


def render_chart(rows: list[ProgramProgress], year: int, when: str) -> str:
    """A horizontal bar chart as SVG (chart.svg.j2): held against target for programs with a numeric target,
    then each goal's or section's total by TOTALS_RULE. ``when`` is ``as_of(site, year)``."""
    from generator.render.templating import render_document

    drawing = _drawing(rows, year, when, bar_w=300, row_h=30, top=48, gap=40, bottom=20)
    return render_document("chart.svg.j2", bar_x=340, **drawing)


NARROW_WIDTH, NARROW_FONT = 360, 14  # the page's chart: at 360 px a phone shows it at about 0.9x, text 12.6 px or more


def render_narrow_chart(rows: list[ProgramProgress], year: int, when: str) -> str:
    """The chart for the page (chart_narrow.svg.j2): each name on its own line above its bar, in a
    360-unit-wide drawing, so that a phone shows its text at 12 px or more (site CSS keeps it at most 24rem
    wide on a desktop). Same figures, title and description as ``render_chart``."""
    from generator.render.templating import render_document

    drawing = _drawing(rows, year, when, bar_w=170, row_h=46, top=30, gap=52, bottom=8)
    return render_document("chart_narrow.svg.j2", width=NARROW_WIDTH, font_size=NARROW_FONT, **drawing)


CSV_COLUMNS = [
    "事業目標・区分",
    "事業ID",
    "事業名",
    "目標回数",
    "実施回数",
    "目標に数えた実施回数",
    "その他の実施回数",
    "予定回数",
    "中止・延期回数",
    "参加者数",
    "達成率",
    "備考",
]


def render_csv(rows: list[ProgramProgress]) -> bytes:
    """UTF-8 with BOM (Excel on a Japanese PC), one row per program, numbers as numbers, then one
    合計 row per goal or section (事業ID empty), counted by TOTALS_RULE."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        toward = r.toward_target
        writer.writerow(
            [
                r.section.label,
                r.program.id,
                r.program.name,
                r.target if r.target else "随時",
                r.held,
                "" if toward is None else toward,
                r.held - (toward or 0),
                r.scheduled,
                r.cancelled,
                "" if r.participants is None else r.participants,
                "" if r.rate is None else f"{r.rate:.2f}",
                r.notes,
            ]
        )
    for t in section_totals(rows):
        writer.writerow(
            [
                t.section.label,
                "",
                "合計",
                t.target if t.target else "",
                t.held,
                t.toward_target if t.target else "",
                t.held_other,
                t.scheduled,
                t.cancelled,
                "" if t.participants is None else t.participants,
                f"{t.toward_target / t.target:.2f}" if t.target else "",
                TOTALS_NOTE,
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def grouped(rows: list[ProgramProgress]) -> list[tuple[Section, list[ProgramProgress]]]:
    groups: dict[str, tuple[Section, list[ProgramProgress]]] = {}
    for row in rows:
        groups.setdefault(row.section.id, (row.section, []))[1].append(row)
    return list(groups.values())


def render_progress_page(site: Site) -> dict[str, Page]:
    """``progress.md``: the shown plan's year; ``progress/YYYY.md``: every other year that has begun."""
    years = [y for y in started_years(site) if y != site.plan.fiscal_year]
    files = {"progress.md": _render_progress("progress.md", site, site.plan.fiscal_year, years, "../")}
    for year in years:
        files[f"progress/{year}.md"] = _render_progress(
            f"progress/{year}.md", site, year, [y for y in years + [site.plan.fiscal_year] if y != year], "../../"
        )
    return files


def _render_progress(path: str, site: Site, year: int, other_years: list[int], root: str) -> Page:
    from markupsafe import Markup

    from generator.render.templating import render_page

    plan = plan_for(site, year)
    rows = compute_progress(site, year)
    over = site.year_over(year)
    current = year == site.plan.fiscal_year
    return render_page(
        path,
        "progress.md.j2",
        kind="progress",
        wide=True,
        title=f"事業の進捗（{dates.format_nendo(year)}{'・最終実績' if over else ''}）",
        description=f"{plan.title}の目標回数に対する{'最終的な' if over else ''}実施状況。",
        year=year,
        today=site.today,
        plan=plan,
        as_of=as_of(site, year),
        over=over,
        started=year in started_years(site),
        preparing=site.preparing_year if current else None,
        other_years=[
            (y, f"{root}progress/" + ("" if y == site.plan.fiscal_year else f"{y}/")) for y in sorted(other_years, reverse=True)
        ],
        chart=Markup(render_narrow_chart(rows, year, as_of(site, year))),
        counted=sum(1 for r in rows if r.target),
        sample=_sample_figures(site, year),
        groups=grouped(rows),
        totals=section_totals(rows),
        totals_rule=TOTALS_RULE,
        root=root,
    )


def _sample_figures(site: Site, year: int) -> bool:
    """Whether the year's figures count sample records (events marked ``sample: true``)."""
    first, last = dates.fiscal_year_range(year)
    return any(o.item.sample for o in site.occurrences if first <= o.date <= last)


@dataclass(frozen=True)
class SectionTotal:
    """A goal's or section's row of sums (TOTALS_RULE)."""

    section: Section
    programs: int
    target: int  # the numeric targets' sum (0: none has one)
    toward_target: int  # held toward them, each program up to its target
    held: int  # every session held, 随時 programs' too
    scheduled: int
    cancelled: int
    participants: int | None

    @property
    def held_other(self) -> int:
        """Held but not toward a target: 随時 programs' sessions and those beyond a target."""
        return self.held - self.toward_target

    @property
    def rate_label(self) -> str:
        return f"{round(self.toward_target / self.target * 100)}%" if self.target else "―"


def section_totals(rows: list[ProgramProgress]) -> list[SectionTotal]:
    """Per goal or section: the sum of numeric targets, what was held toward them, and all held."""
    totals = []
    for section, items in grouped(rows):
        recorded = [r.participants for r in items if r.participants is not None]
        totals.append(
            SectionTotal(
                section,
                len(items),
                sum(r.target or 0 for r in items),
                sum(r.toward_target or 0 for r in items),
                sum(r.held for r in items),
                sum(r.scheduled for r in items),
                sum(r.cancelled for r in items),
                sum(recorded) if recorded else None,
            )
        )
    return totals
