"""実績 against 目標回数: counting rules, the chart, the report files."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from conftest import SITE, make_root
from generator.cli import main
from generator.model.errors import ContentError
from generator.reading.load import load_site
from generator.render.progress import compute_progress, held_label, render_chart
from generator.outputs.report import render_report
from generator.render.templating import document
from generator.publish.build import as_files


def rows_by_id(site, year=2025):
    return {r.program.id: r for r in compute_progress(site, year)}


def write_event(root, name, text, year="2025"):
    folder = root / "content/events" / year  # the fiscal year's folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_counting_rules_series_cancellations_and_internal(tmp_path):
    root = make_root(tmp_path, "events")
    site = load_site(root, date(2025, 6, 30))
    rows = rows_by_id(site)
    soudan = rows["soudan"]  # the weekly series: Wednesdays from April, 6/4 cancelled
    held = [o for o in site.occurrences if o.item.program == "soudan" and o.date <= date(2025, 6, 30) and o.status != "cancelled"]
    assert soudan.held == len(held) == 12 and soudan.cancelled == 1
    assert soudan.scheduled == 49 - 12 - 1
    site = load_site(root, date(2025, 6, 19))  # the internal training is on 6/20
    assert (rows_by_id(site)["kenshu"].held, rows_by_id(site)["kenshu"].scheduled) == (0, 1)
    site = load_site(root, date(2025, 6, 20))
    assert rows_by_id(site)["kenshu"].held == 1 and rows_by_id(site)["kenshu"].includes_internal


def test_fiscal_year_edges(tmp_path):
    root = make_root(tmp_path)
    (root / "content/events/2025").mkdir(parents=True)
    for day, year in (("2025-03-31", "2024"), ("2025-04-01", "2025"), ("2026-03-31", "2025"), ("2026-04-01", "2026")):
        write_event(root, f"e{day}.yaml", f"title: x\nprogram: fes\ndate: {day}\nvenue: 研修室\n", year)
    rows = rows_by_id(load_site(root, date(2026, 4, 30)))
    assert rows["fes"].held == 2  # 2025-04-01 and 2026-03-31 only


def test_participants_are_summed_where_recorded(tmp_path):
    root = make_root(tmp_path, "events")
    path = root / "content/events/2025/oyako-05.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "participants: 14\n", encoding="utf-8")
    row = rows_by_id(load_site(root, date(2025, 6, 1)))["oyako"]
    assert (row.held, row.participants, row.rate_label) == (1, 14, "10%")
    assert held_label(row) == "実施 1回 / 目標 10回"


def test_negative_participants_are_an_error(tmp_path):
    root = make_root(tmp_path, "events")
    path = root / "content/events/2025/oyako-05.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "participants: -3\n", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_site(root, date(2025, 6, 1))
    assert "content/events/2025/oyako-05.yaml:18:15: 'participants' は 0 以上にしてください（値: -3）" in str(error.value)


def test_sent_newsletters_and_posts_count_toward_their_programs():
    site = load_site(SITE, date(2025, 6, 30))
    rows = rows_by_id(site)
    assert rows["mailmagazine"].held == 1  # content/newsletters/2025-06.md, sent 2025-06-01
    assert rows["blog-sns"].held == 1      # the sample blog post names blog-sns


def test_a_report_for_a_year_without_a_plan_is_an_error(capsys, tmp_path):
    assert main(["report", "2024", "--root", str(SITE), "--today", "2025-06-01", "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == "plan.yaml: 2024年度の事業計画がありません（あるのは 2025年度）。plans/2024.yaml を確かめてください"


@pytest.fixture(scope="module")
def report():
    return render_report(load_site(SITE, date(2026, 3, 31)), 2025)


def test_golden_report_and_csv(report, golden):
    golden("report/report-2025.md", report["report-2025.md"].decode("utf-8"))
    golden("report/report-2025.csv", report["report-2025.csv"].decode("utf-8"))
    golden("report/report-2025.html", report["report-2025.html"].decode("utf-8"))
    golden("report/report-2025.svg", report["report-2025.svg"].decode("utf-8"))


def test_csv_opens_in_excel_with_numbers_as_numbers(report):
    data = report["report-2025.csv"]
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 1 + 24 + 6 and rows[0][:7] == ["事業目標・区分", "事業ID", "事業名", "目標回数", "実施回数",
                                                      "目標に数えた実施回数", "その他の実施回数"]
    gakushu = next(r for r in rows if r[1] == "gakushu-shien")
    assert gakushu[3] == "120" and gakushu[4].isdigit() and float(gakushu[10]) <= 1


def test_a_goals_total_shows_the_same_three_numbers_everywhere(report):
    """The rule (progress.TOTALS_RULE): 達成率 = what was held toward the targets (each program up to
    its own) over their sum; 随時 programs' sessions are その他. Goal 1: 1 mail + 9 親子の広場 toward
    12 + 10, and 1 blog post of a 随時 program: 10/22 = 45%, その他 1, 11 held in all."""
    from generator.render.progress import TOTALS_RULE

    rows = list(csv.reader(io.StringIO(report["report-2025.csv"].decode("utf-8-sig"))))
    total = next(r for r in rows if r[0] == "事業目標1　社会参加" and r[2] == "合計")
    assert (total[1], total[3], total[4], total[5], total[6], total[10]) == ("", "22", "11", "10", "1", "0.45")
    markdown = report["report-2025.md"].decode("utf-8")
    assert "| 事業目標1　社会参加 | 7 | 22回 | 10回 | 45% | 1回 |" in markdown and TOTALS_RULE in markdown
    html = report["report-2025.html"].decode("utf-8")
    assert ">10回</td>" in html and TOTALS_RULE in html
    svg = report["report-2025.svg"].decode("utf-8")
    assert "事業目標1　社会参加 合計</text>" in svg and "10/22回（45%）ほか1回</text>" in svg
    assert "事業目標1　社会参加の合計: 目標に数えた実施 10回 / 目標 22回（45%）、その他の実施 1回" in svg


def test_the_chart_is_well_formed_svg_with_a_title(report):
    svg = ET.fromstring(report["report-2025.svg"])
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.tag == f"{ns}svg" and svg.get("role") == "img"
    assert svg.find(f"{ns}title").text.startswith("2025年度（令和7年度） 事業の実施回数と目標回数")
    assert len(svg.findall(f"{ns}rect")) == 2 * (16 + 5)  # 16 programs with a target, 5 goals or sections with one


def test_internal_details_never_appear_only_numbers(report):
    for name, data in report.items():
        assert "ファシリテーション基礎".encode() not in data, name


def test_the_progress_page_has_the_chart_and_tables():
    from generator.render.progress import render_progress_page

    page = as_files(render_progress_page(load_site(SITE, date(2025, 6, 30))))["progress.md"]
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title chart-desc"' in page
    assert page.count('<table class="progress-table">') == 7 and '<th scope="row">' in page
    assert '<a href="#goal-1">事業目標1　社会参加</a></th><td data-label="事業の数">7</td><td data-label="目標回数の合計">22回</td>' in page
    assert "<th scope=\"col\">目標に数えた実施回数</th><th scope=\"col\">達成率</th><th scope=\"col\">その他の実施回数</th>" in page
    assert "合計の達成率は「目標に数えた実施回数 ÷ 目標回数の合計」です。" in page
    assert 'viewBox="0 0 360 ' in page and 'font-size="14"' in page  # drawn for a phone: text 12 px or more at 360 px
    assert "サンプル: このページの数字は見本の記録を含みます。" in page  # the fixture's events are samples


def test_the_progress_page_says_nothing_of_samples_when_no_record_is_one(tmp_path):
    from generator.render.progress import render_progress_page

    root = make_root(tmp_path, "site")
    for file in (root / "content" / "events").rglob("*.yaml"):
        file.write_text(file.read_text(encoding="utf-8").replace("sample: true", "sample: false"), encoding="utf-8")
    page = as_files(render_progress_page(load_site(root, date(2025, 6, 30))))["progress.md"]
    assert "サンプル" not in page


def test_program_pages_show_held_against_target():
    from generator.render.pages import render_program

    site = load_site(SITE, date(2025, 6, 30))
    assert "実施 2回 / 目標 10回、このあと 7回の予定、参加者 延べ12人" in document(render_program(site, "oyako-hiroba"))
    assert "実施 0回、" not in document(render_program(site, "soudan")) and "実施 0回" in document(render_program(site, "soudan"))


def test_chart_escapes_program_names(tmp_path):
    site = load_site(make_root(tmp_path), date(2025, 6, 1))
    ET.fromstring(render_chart(compute_progress(site, 2025), 2025, site.today))
