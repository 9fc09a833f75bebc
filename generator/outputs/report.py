"""The year-end 事業実績 report: Markdown, HTML, CSV for Excel and the chart, from the same numbers."""

from __future__ import annotations

from markupsafe import Markup

from generator.reading.site import Site
from generator.render.progress import (
    TOTALS_RULE,
    as_of,
    compute_progress,
    grouped,
    plan_for,
    render_chart,
    render_csv,
    section_totals,
)
from generator.render.templating import render_document
from generator.rules import dates


def _cells(row) -> list[str]:
    return [
        row.program.name,
        f"{row.target}回" if row.target else "随時",
        f"{row.held}回",
        f"{row.scheduled}回",
        f"{row.cancelled}回",
        "―" if row.participants is None else f"{row.participants}人",
        row.rate_label,
        row.notes,
    ]


HEADERS = ["事業名", "目標回数", "実施回数", "予定回数", "中止・延期", "参加者数", "達成率", "備考"]
TOTALS_HEADERS = ["事業目標・区分", "事業の数", "目標回数の合計", "目標に数えた実施回数", "達成率", "その他の実施回数"]


def _total_cells(total) -> list[str]:
    counted = total.target > 0
    return [
        total.section.label,
        str(total.programs),
        f"{total.target}回" if counted else "―",
        f"{total.toward_target}回" if counted else "―",
        total.rate_label,
        f"{total.held_other}回",
    ]


def render_report_markdown(site: Site, year: int) -> str:
    plan, rows = plan_for(site, year), compute_progress(site, year)
    out = [
        f"# {plan.facility.name} {dates.format_nendo(year)} 事業実績",
        "",
        f"{as_of(site, year)}。出典: {plan.title}（目標回数）と講座・イベントの記録。",
        "",
        f"![事業の実施回数と目標回数](report-{year}.svg)",
        "",
        "## 事業目標・区分ごとの合計",
        "",
        "| " + " | ".join(TOTALS_HEADERS) + " |",
        "|" + "---|" * len(TOTALS_HEADERS),
    ]
    out += ["| " + " | ".join(_total_cells(t)) + " |" for t in section_totals(rows)]
    out += ["", TOTALS_RULE, ""]
    for section, items in grouped(rows):
        out += [f"## {section.label}", "", "| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
        out += ["| " + " | ".join(c.replace("|", "｜") for c in _cells(r)) + " |" for r in items]
        out.append("")
    held = sum(r.held for r in rows)
    out.append(f"実施回数の合計: {held}回（目標回数のある{sum(1 for r in rows if r.target)}事業と随時の事業の合計）")
    return "\n".join(out) + "\n"


def render_report_html(site: Site, year: int) -> str:
    """The report as one HTML file (report.html.j2), its chart inside."""
    plan, rows = plan_for(site, year), compute_progress(site, year)
    return render_document(
        "report.html.j2",
        title=f"{plan.facility.name} {dates.format_nendo(year)} 事業実績",
        as_of=as_of(site, year),
        plan_title=plan.title,
        chart=Markup(render_chart(rows, year, as_of(site, year))),
        totals_rule=TOTALS_RULE,
        headers=HEADERS,
        totals_headers=TOTALS_HEADERS,
        totals=[_total_cells(t) for t in section_totals(rows)],
        sections=[(section.label, [_cells(r) for r in items]) for section, items in grouped(rows)],
    )


def render_report(site: Site, year: int) -> dict[str, bytes]:
    """The report files for one fiscal year; ContentError when there is no plan for it."""
    rows = compute_progress(site, year)
    return {
        f"report-{year}.md": render_report_markdown(site, year).encode("utf-8"),
        f"report-{year}.html": render_report_html(site, year).encode("utf-8"),
        f"report-{year}.csv": render_csv(rows),
        f"report-{year}.svg": render_chart(rows, year, as_of(site, year)).encode("utf-8"),
    }
