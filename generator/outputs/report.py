"""The year-end 事業実績 report: Markdown, HTML, CSV for Excel and the chart, from the same numbers."""

from __future__ import annotations

from html import escape

from generator.rules import dates
from generator.reading.site import Site
from generator.render.progress import TOTALS_RULE, as_of, compute_progress, grouped, plan_for, render_chart, render_csv, section_totals


def _cells(row) -> list[str]:
    return [row.program.name, f"{row.target}回" if row.target else "随時", f"{row.held}回", f"{row.scheduled}回",
            f"{row.cancelled}回", "―" if row.participants is None else f"{row.participants}人", row.rate_label, row.notes]


HEADERS = ["事業名", "目標回数", "実施回数", "予定回数", "中止・延期", "参加者数", "達成率", "備考"]
TOTALS_HEADERS = ["事業目標・区分", "事業の数", "目標回数の合計", "目標に数えた実施回数", "達成率", "その他の実施回数"]


def _total_cells(total) -> list[str]:
    counted = total.target > 0
    return [total.section.label, str(total.programs), f"{total.target}回" if counted else "―",
            f"{total.toward_target}回" if counted else "―", total.rate_label, f"{total.held_other}回"]


def render_report_markdown(site: Site, year: int) -> str:
    plan, rows = plan_for(site, year), compute_progress(site, year)
    out = [f"# {plan.facility.name} {dates.format_nendo(year)} 事業実績", "",
           f"{as_of(site, year)}。出典: {plan.title}（目標回数）と講座・イベントの記録。", "",
           f"![事業の実施回数と目標回数](report-{year}.svg)", "", "## 事業目標・区分ごとの合計", "",
           "| " + " | ".join(TOTALS_HEADERS) + " |", "|" + "---|" * len(TOTALS_HEADERS)]
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
    plan, rows = plan_for(site, year), compute_progress(site, year)
    title = f"{plan.facility.name} {dates.format_nendo(year)} 事業実績"
    cell = "border:1px solid #767676;padding:0.3em 0.5em"
    parts = [f'<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8"><title>{escape(title)}</title></head>',
             '<body style="font-family:sans-serif;line-height:1.6;color:#1a1a1a;margin:2em">', f"<h1>{escape(title)}</h1>",
             f"<p>{escape(as_of(site, year))}。出典: {escape(plan.title)}（目標回数）と講座・イベントの記録。</p>",
             f"<figure>{render_chart(rows, year, as_of(site, year))}<figcaption>数値は下の表と同じです。</figcaption></figure>",
             "<h2>事業目標・区分ごとの合計</h2>",
             '<table style="border-collapse:collapse"><caption>事業目標・区分ごとの合計</caption><thead><tr>'
             + "".join(f'<th scope="col" style="{cell}">{h}</th>' for h in TOTALS_HEADERS) + "</tr></thead><tbody>"]
    for total in section_totals(rows):
        first, *rest = _total_cells(total)
        parts.append(f'<tr><th scope="row" style="{cell};text-align:left">{escape(first)}</th>'
                     + "".join(f'<td style="{cell}">{escape(c)}</td>' for c in rest) + "</tr>")
    parts += ["</tbody></table>", f"<p>{escape(TOTALS_RULE)}</p>"]
    for section, items in grouped(rows):
        parts.append(f"<h2>{escape(section.label)}</h2>")
        parts.append(f'<table style="border-collapse:collapse"><caption>{escape(section.label)}の実績</caption><thead><tr>'
                     + "".join(f'<th scope="col" style="{cell}">{h}</th>' for h in HEADERS) + "</tr></thead><tbody>")
        for r in items:
            first, *rest = _cells(r)
            parts.append(f'<tr><th scope="row" style="{cell};text-align:left">{escape(first)}</th>'
                         + "".join(f'<td style="{cell}">{escape(c)}</td>' for c in rest) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def render_report(site: Site, year: int) -> dict[str, bytes]:
    """The report files for one fiscal year; ContentError when there is no plan for it."""
    rows = compute_progress(site, year)
    return {f"report-{year}.md": render_report_markdown(site, year).encode("utf-8"),
            f"report-{year}.html": render_report_html(site, year).encode("utf-8"),
            f"report-{year}.csv": render_csv(rows),
            f"report-{year}.svg": render_chart(rows, year, as_of(site, year)).encode("utf-8")}
