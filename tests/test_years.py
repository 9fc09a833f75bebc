"""The turning year and publishing by date: every fiscal year is its own plan, and the site tells
the truth on any day — before, inside and after a plan year, and across 31 March."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import make_root, with_newsletter_facts
from generator.publish.build import render_all
from generator.cli import main
from generator.model.errors import ContentError
from generator.reading.load import load_site
from generator.tools.new_year import next_year_text, start_new_year
from generator.outputs.report import render_report


def text_of(files: dict) -> str:
    return "\n".join(v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in files.values())


def body(files: dict, path: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", files[path]))


def turn_year(root: Path, drop: str | None = None, *, draft: bool = False) -> None:
    """What staff do on 1 April: ``new-year``, then fill in the targets (and drop a program)."""
    start_new_year(root)
    plan = root / "plan.yaml"
    text = re.sub(r"target:[^\n]*", "target: 5", plan.read_text(encoding="utf-8"))
    if not draft:
        text = re.sub(r"^draft:.*\n", "", text, flags=re.M)
    if drop:
        text = re.sub(rf"      - id: {drop}\n(?:        .*\n)+", "", text)
    plan.write_text(text, encoding="utf-8")


@pytest.fixture
def events_root(tmp_path: Path) -> Path:
    return make_root(tmp_path, "events")


class TestNewYear:
    def test_moves_the_plan_and_writes_a_draft_with_empty_targets(self, events_root):
        before = (events_root / "plan.yaml").read_bytes()
        assert main(["new-year", "--root", str(events_root)]) == 0
        assert (events_root / "plans" / "2025.yaml").read_bytes() == before
        draft = (events_root / "plan.yaml").read_text(encoding="utf-8")
        assert "fiscal_year: 2026" in draft and "\ndraft: true" in draft and "令和8年度" in draft
        assert re.findall(r"target:\s*#", draft) and not re.findall(r"target: \d", draft)
        site = load_site(events_root, date(2026, 4, 2))
        unset = [w for w in site.warnings if "目標回数が未記入" in w.message]
        assert unset and all(w.severity == "notice" and w.path == "plan.yaml" for w in unset)

    def test_a_final_plan_must_have_every_target(self, events_root):
        start_new_year(events_root)
        plan = events_root / "plan.yaml"
        plan.write_text(re.sub(r"^draft:.*\n", "", plan.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
        with pytest.raises(ContentError) as error:
            load_site(events_root, date(2026, 4, 2))
        errors = [p for p in error.value.problems if p.severity == "error"]
        assert errors and all("目標回数が未記入" in p.message for p in errors)

    def test_refuses_twice_and_on_a_draft(self, events_root, capsys):
        start_new_year(events_root)
        assert main(["new-year", "--root", str(events_root)]) == 1
        assert "下書き" in capsys.readouterr().err

    def test_the_draft_text_keeps_comments(self):
        text = "fiscal_year: 2025   # 年度\ntitle: 施設　令和7年度事業計画書\nsections:\n  - programs:\n      - target: 12  # 出典\n"
        out = next_year_text(text, 2025)
        assert "title: 施設　令和8年度事業計画書" in out and "前年度: 12" in out and "draft: true" in out


class TestEveryYearItsOwnPlan:
    def test_a_dropped_program_keeps_its_page_events_and_figures(self, events_root):
        turn_year(events_root, drop="soudan")
        site = load_site(events_root, date(2026, 6, 1))
        assert site.plan.fiscal_year == 2026 and site.preparing_year is None
        files = render_all(site)
        page = body(files, "programs/soudan.md")
        assert "この事業は2025年度（令和7年度）まで実施しました" in page
        assert "令和7年度の最終実績" in page
        assert "以前の年度の事業" in body(files, "programs/index.md")
        assert 'href="soudan/"' in files["programs/index.md"]
        assert "2025年度（令和7年度）・最終実績" in body(files, "progress/2025.md")
        assert "soudan" in files["progress/2025.md"] and "soudan" not in files["progress.md"]
        assert "events/gakushu.md" in files and "ics/programs/soudan.ics" in files

    def test_an_event_is_checked_against_its_own_years_plan(self, events_root):
        turn_year(events_root, drop="soudan")
        event = events_root / "content" / "events" / "2026" / "soudan-2026.yaml"
        event.parent.mkdir()
        event.write_text("title: 相談会\nprogram: soudan\ndate: 2026-06-13\nvenue: 研修室\n", encoding="utf-8")
        with pytest.raises(ContentError) as error:
            load_site(events_root, date(2026, 6, 1))
        assert any("事業 ID 'soudan' は2026年度の事業計画にありません" in p.message for p in error.value.problems)

    def test_report_and_progress_for_any_year_with_a_plan(self, events_root):
        turn_year(events_root)
        site = load_site(events_root, date(2026, 6, 1))
        assert "report-2025.csv" in render_report(site, 2025)
        assert "report-2026.csv" in render_report(site, 2026)
        assert "最終実績" in render_report(site, 2025)["report-2025.md"].decode()


class TestTheTurningYear:
    @pytest.mark.parametrize("today", ["2026-04-01", "2026-11-29", "2027-03-31"])
    def test_after_31_march_without_a_new_plan_the_site_says_it_is_being_prepared(self, events_root, today):
        files = render_all(load_site(events_root, date.fromisoformat(today)))
        notice = "2026年度（令和8年度）の事業計画は準備中です"
        for path in ("index.md", "events/index.md", "progress.md", "programs/index.md", "calendar/index.md"):
            assert notice in body(files, path), path
        assert "2025年度（令和7年度）・最終実績" in body(files, "progress.md")
        assert "最終実績" in body(files, "programs/oyako.md") and "現在" not in body(files, "programs/oyako.md").split("実施状況")[1][:30]

    def test_a_draft_plan_counts_as_being_prepared(self, events_root):
        turn_year(events_root, draft=True)
        site = load_site(events_root, date(2026, 5, 1))
        assert site.plan.fiscal_year == 2025 and site.preparing_year == 2026

    def test_on_31_march_the_year_is_current_and_the_date_carries_the_year(self, events_root):
        files = render_all(load_site(events_root, date(2026, 3, 31)))
        assert "事業計画は準備中" not in text_of(files)
        assert "実施状況（2026年3月31日（火）現在）" in body(files, "programs/oyako.md")

    def test_inside_the_year_the_as_of_date_carries_the_year(self, events_root):
        files = render_all(load_site(events_root, date(2025, 6, 30)))
        assert "実施状況（2025年6月30日（月）現在）" in body(files, "programs/oyako.md")
        assert "2025年6月30日（月）現在" in body(files, "progress.md")

    def test_before_the_year_begins(self, events_root):
        files = render_all(load_site(events_root, date(2025, 3, 1)))
        assert "事業計画は準備中" not in text_of(files)
        assert "まだ始まっていません" in body(files, "progress.md")


class TestFinishedEvents:
    def test_a_finished_event_says_so_and_offers_no_calendar_or_application(self, events_root):
        before = render_all(load_site(events_root, date(2025, 5, 1)))["events/oyako-05.md"]
        after = render_all(load_site(events_root, date(2025, 5, 11)))["events/oyako-05.md"]
        assert "add-to-calendar" in before and "受付期間" in before and "終了しました" not in before
        assert "この講座・イベントは終了しました" in after
        assert "add-to-calendar" not in after and ".ics" not in after and "calendar.google.com" not in after
        assert "受付期間" not in after and "受付は終了しました" in after

    def test_a_cancelled_event_offers_no_calendar(self, events_root):
        event = events_root / "content" / "events" / "2025" / "oyako-05.yaml"
        event.write_text(event.read_text(encoding="utf-8") + "status: cancelled\nstatus_reason: 講師の都合のため\n", encoding="utf-8")
        page = render_all(load_site(events_root, date(2025, 5, 1)))["events/oyako-05.md"]
        assert "【中止】" in page and "add-to-calendar" not in page and "calendar.google.com" not in page


class TestPublishingByDate:
    def add_post(self, root: Path, day: str) -> None:
        folder = root / "content" / "news"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "mirai.md").write_text(f"---\ntitle: 未来のおしらせ\ndate: {day}\n---\n\n本文です。\n", encoding="utf-8")

    def test_a_post_dated_later_is_on_no_output_until_that_day(self, events_root):
        self.add_post(events_root, "2025-07-01")
        early = load_site(events_root, date(2025, 6, 30))
        assert "未来のおしらせ" not in text_of(render_all(early))
        assert early.scheduled_posts == 1
        assert "未来のおしらせ" in text_of(render_all(load_site(events_root, date(2025, 7, 1))))

    def test_an_event_announced_later_is_on_no_output_until_that_day(self, events_root):
        event = events_root / "content" / "events" / "2025" / "oyako-05.yaml"
        event.write_text(event.read_text(encoding="utf-8").replace("published: 2025-04-15", "published: 2025-05-01"), encoding="utf-8")
        early = render_all(load_site(events_root, date(2025, 4, 30)))
        assert not any("oyako-05" in path for path in early)
        assert "親子の広場 5月" not in text_of(early)
        assert "events/oyako-05.md" in render_all(load_site(events_root, date(2025, 5, 1)))

    def test_the_newsletter_leaves_out_posts_not_yet_published(self, events_root):
        from generator.outputs.newsletter import render_newsletter

        self.add_post(with_newsletter_facts(events_root), "2025-06-20")
        files = render_newsletter(load_site(events_root, date(2025, 6, 1)), 2025, 6)
        assert "未来のおしらせ" not in text_of(files)


class TestTodayIsAPreview:
    def test_participants_recorded_after_the_previewed_day_are_not_an_error(self, events_root):
        event = events_root / "content" / "events" / "2025" / "oyako-05.yaml"
        text = event.read_text(encoding="utf-8")
        assert "participants" not in text
        event.write_text(text + "participants: 12\n", encoding="utf-8")
        assert main(["check", "--root", str(events_root), "--today", "2025-04-01"]) == 0
        site = load_site(events_root, date(2025, 4, 1), recorded_until=date(2025, 6, 1))
        assert all(p.severity != "error" for p in site.warnings)

    def test_participants_for_a_session_still_to_come_are_an_error(self, events_root):
        event = events_root / "content" / "events" / "2025" / "oyako-05.yaml"
        event.write_text(event.read_text(encoding="utf-8") + "participants: 12\n", encoding="utf-8")
        with pytest.raises(ContentError) as error:
            load_site(events_root, date(2025, 4, 1), recorded_until=date(2025, 5, 1))
        assert any("参加者数は実施後に記入してください" in p.message for p in error.value.problems)
