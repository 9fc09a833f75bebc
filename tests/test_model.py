"""The content model: unknown keys, strict types and Japanese messages at file:line:col."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from generator.model.errors import ContentError
from generator.reading.load_plans import load_plan
from generator.model.plan import Plan

MINI = Path(__file__).parent / "fixtures" / "mini" / "plan.yaml"


def plan_with(tmp_path: Path, old: str, new: str) -> list[str]:
    """Load the mini plan with one edit; the formatted problems (empty when it loads)."""
    text = MINI.read_text(encoding="utf-8")
    assert old in text, old
    (tmp_path / "plan.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    try:
        load_plan(tmp_path / "plan.yaml", tmp_path)
    except ContentError as error:
        return [p.format() for p in error.problems if p.severity == "error"]
    return []


def test_the_mini_plan_loads():
    plan = load_plan(MINI)
    assert isinstance(plan, Plan)
    assert [p.id for p in plan.programs] == ["oyako", "soudan", "fes", "kenshu"]
    assert plan.program("oyako").target == 10 and plan.program("soudan").target == "随時"
    assert plan.program("fes").marks == ["共催事業", "新規"]
    assert plan.facility.hours.weekdays.open == time(9, 0)
    assert plan.section_of("fes").label == "事業目標2　つながりづくり"


def test_models_are_frozen():
    plan = load_plan(MINI)
    with pytest.raises(Exception):
        plan.fiscal_year = 2030  # type: ignore[misc]


class TestUnknownKeys:
    def test_typo_gets_a_suggestion_and_the_key_position(self, tmp_path):
        problems = plan_with(tmp_path, "        purpose: 親同士", "        purpse: 親同士")
        assert problems == [
            "plan.yaml:26:9: 'purpse' という項目はありません。もしかして 'purpose'？"
            "（使える項目: content, id, marks, name, purpose, target）"
        ]

    def test_top_level_typo(self, tmp_path):
        problems = plan_with(tmp_path, "policy:", "polisy:")
        assert any(p.startswith("plan.yaml:4:1: 'polisy' という項目はありません。もしかして 'policy'？") for p in problems)
        assert "plan.yaml:2:1: 必須の項目 'policy' がありません" in problems


class TestStrictValues:
    def test_monthly_closed_day_is_a_named_rule(self, tmp_path):
        problems = plan_with(tmp_path, "monthly: first_monday_unless_first", "monthly: true")
        assert problems == ["plan.yaml:14:14: 'monthly' は次のいずれかにしてください: first_monday_unless_first, none（値: True）"]

    def test_time_must_be_hh_mm(self, tmp_path):
        problems = plan_with(tmp_path, 'close: "21:00"', 'close: "25:00"')
        assert problems == ["plan.yaml:11:38: 'close': 時刻は HH:MM（24時間制）で書いてください（値: '25:00'）。例: \"13:30\""]

    def test_unquoted_time_is_read_as_a_time(self, tmp_path):
        assert plan_with(tmp_path, 'close: "21:00"', "close: 21:00") == []

    def test_close_before_open(self, tmp_path):
        problems = plan_with(tmp_path, 'close: "21:00"', 'close: "08:00"')
        assert problems == ["plan.yaml:11:15: 'weekdays': 閉館時刻 'close' は開館時刻 'open' より後にしてください"]

    def test_target_must_be_a_positive_count_or_zuiji(self, tmp_path):
        assert plan_with(tmp_path, "target: 10", "target: 0") == [
            "plan.yaml:28:17: 'target': 目標回数は 1 以上の整数か「随時」にしてください（値: 0）"]
        assert "目標回数" in plan_with(tmp_path, "target: 10", "target: たくさん")[0]

    def test_unknown_mark_lists_the_valid_ones(self, tmp_path):
        problems = plan_with(tmp_path, "marks: [後援事業]", "marks: [後援]")
        assert problems == ["plan.yaml:29:17: 'marks' の 1番目 は次のいずれかにしてください: 共催事業, 後援事業, 新規（値: '後援'）。もしかして '後援事業'？"]

    def test_missing_required_key_points_at_its_parent(self, tmp_path):
        problems = plan_with(tmp_path, "        content: 手遊びや歌遊びを行う\n", "")
        assert problems == ["plan.yaml:24:9: 必須の項目 'content' がありません"]

    def test_bad_slug(self, tmp_path):
        problems = plan_with(tmp_path, "id: oyako", "id: Oyako Hiroba")
        assert problems == ["plan.yaml:24:13: 'id': ID は英小文字・数字・ハイフンで書いてください（例: oyako-hiroba）（値: 'Oyako Hiroba'）"]

    def test_impossible_month_day(self, tmp_path):
        problems = plan_with(tmp_path, 'start: "12-28"', 'start: "12-32"')
        assert "月日は MM-DD で書いてください（値: '12-32'）" in problems[0]


class TestPlanChecks:
    def test_duplicate_program_id_names_the_first_line(self, tmp_path):
        problems = plan_with(tmp_path, "id: soudan", "id: oyako")
        assert problems == ["plan.yaml:30:13: 事業 ID 'oyako' が重複しています（24行目にもあります）"]

    def test_goal_numbers_run_from_one(self, tmp_path):
        problems = plan_with(tmp_path, "number: 2", "number: 3")
        assert problems == ["plan.yaml:18:3: 事業目標の番号は 1 から順に付けてください（今: [1, 3]）"]

    def test_goal_needs_a_number(self, tmp_path):
        problems = plan_with(tmp_path, "    number: 2\n", "")
        assert problems == ["plan.yaml:34:5: 事業目標（kind: goal）には番号 'number' が必要です"]

    def test_unknown_facts_are_notices_not_errors(self, tmp_path):
        (tmp_path / "plan.yaml").write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
        from generator.reading.load_plans import load_plan_file

        plan, problems = load_plan_file(tmp_path / "plan.yaml", tmp_path)
        assert plan is not None
        assert sorted(p.format() for p in problems) == [
            "plan.yaml:5:1: お知らせ: メールアドレスが未設定です。分かったら記入してください（それまではサイトに表示しません）",
            "plan.yaml:5:1: お知らせ: 公共交通機関での行き方（最寄り駅・バス停と歩く時間）が未記入です。分かったら facility.access.transit に記入してください",
            "plan.yaml:5:1: お知らせ: 団体登録の手続きと部屋の予約の方法（申込みの始まる日など）が未記入です。分かったら facility.booking.how_to_register、"
            "facility.booking.how_to_book に記入してください（それまでは施設案内で窓口でたずねるよう案内します）",
            "plan.yaml:5:1: お知らせ: 郵便番号が未設定です。分かったら記入してください（それまではサイトに表示しません）",
            "plan.yaml:5:1: お知らせ: 電話番号が未設定です。分かったら記入してください（それまではサイトに表示しません）",
            "plan.yaml:9:3: お知らせ: 部屋の次の情報が未記入です: 研修室（広さ・定員・利用区分・料金）、アートルーム（広さ・定員・利用区分・料金）。"
            "分かったら記入してください（それまでは施設案内に「—」と出します）",
        ]
