"""plan.yaml against the plan text: 24 programs, their targets and marks, nothing paraphrased.

The plan text (tests/fixtures/seeds/, extracted from the FY2025 plan PDF; its README says how to read
it) is compared with the fixture site's plan.yaml, the copy of the transcription the tests use.
"""

from __future__ import annotations

import re

from conftest import FIXTURES, SITE
from generator.reading.load_plans import load_plan

SEED = FIXTURES / "seeds" / "000_4885295efdfdba31.txt"
PLAN = load_plan(SITE / "plan.yaml")

TARGETS = {
    "mailmagazine": 12, "oyako-hiroba": 10, "ohanashi": 9, "coordinator-network": 3, "dokusho": 1,
    "npo-renrakukai": 6, "kancho-renkei": 6, "shakai-kyouikushi-network": 10, "shakai-kyouikushi-ikusei": 4,
    "shimin-kikaku": 4, "wakamono": 1, "ninaite": 1, "kigyo-renkei": 1, "gakushu-shien": 120,
    "peer-counseling": 10, "enquete": 1,
}
MARKS = {
    "oyako-hiroba": ["後援事業"], "ohanashi": ["共催事業"], "dokusho": ["共催事業"],
    "shakai-kyouikushi-network": ["共催事業"], "shimin-kikaku": ["共催事業", "新規"], "kigyo-renkei": ["共催事業"],
    "gakushu-shien": ["後援事業"], "peer-counseling": ["共催事業"],
}

# The rooms as ../shared/docs/facility-facts.md gives them (source A, ご利用の手引): area m², capacity,
# time slots, fees per slot (label, yen).
FOUR_HOURS = ["09:00-13:00", "13:00-17:00", "17:00-21:00"]
ROOMS = {
    "研修室A": (66.66, 42, FOUR_HOURS, [("4時間", 1200), ("2時間", 600)]),
    "研修室B": (66.66, 42, FOUR_HOURS, [("4時間", 1200), ("2時間", 600)]),
    "研修室C": (54.57, 30, FOUR_HOURS, [("", 1000)]),
    "アートルーム": (88.88, 40, FOUR_HOURS, [("", 1600)]),
    "トレーニングルーム": (134.70, 30, [f"{h:02d}:00-{h + 2:02d}:00" for h in range(9, 21, 2)], [("", 800)]),
    "スポーツ広場": (800, None, [f"{h:02d}:00-{h + 2:02d}:00" for h in range(9, 17, 2)], [("平日", 700), ("土・日・祝日", 1100)]),
}


def test_rooms_are_the_public_record():
    for room in PLAN.facility.rooms:
        area, capacity, slots, fees = ROOMS[room.name]
        assert (room.area, room.capacity) == (area, capacity), room.name
        assert [f"{s.start:%H:%M}-{s.end:%H:%M}" for s in room.slots] == slots, room.name
        assert [(f.label, f.yen) for f in room.fees] == fees, room.name
    assert PLAN.facility.room("スポーツ広場").capacity_note == "1面"


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_plan_is_fiscal_2025():
    assert PLAN.fiscal_year == 2025
    assert PLAN.title == "横浜市社会教育コーナー　令和7年度事業計画書"
    assert PLAN.policy.startswith("市民が社会参加をしながら地域の課題をみつけ")


def test_three_goals_and_three_sections_in_plan_order():
    assert [(s.kind, s.number, s.name, s.subtitle) for s in PLAN.sections] == [
        ("goal", 1, "社会参加", "主体的な参加のきっかけづくり"),
        ("goal", 2, "つながりづくり", "多様な主体との連携・協働の推進"),
        ("goal", 3, "人材育成", "地域の学びと活動を活性化させる人材の育成"),
        ("section", None, "地域課題への取組み", ""),
        ("section", None, "利用者の声を聞き施設の運営に活かす", ""),
        ("section", None, "職員研修", ""),
    ]


def test_24_programs_with_unique_ascii_ids():
    ids = [p.id for p in PLAN.programs]
    assert len(ids) == 24 == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


def test_targets_sixteen_numbers_and_the_rest_as_needed():
    assert {p.id: p.target for p in PLAN.programs if p.has_target} == TARGETS
    assert all(p.target == "随時" for p in PLAN.programs if p.id not in TARGETS)


def test_marks_are_structured_and_gone_from_the_text():
    assert {p.id: p.marks for p in PLAN.programs if p.marks} == MARKS
    for program in PLAN.programs:
        assert "【" not in program.name + program.content + program.purpose


def test_shared_purpose_is_carried_by_each_information_program():
    shared = [p.purpose for p in PLAN.programs if p.id in ("homepage", "mailmagazine", "blog-sns", "jouhou-hasshin")]
    assert len(set(shared)) == 1 and shared[0].startswith("横浜市内を中心に各機関・施設・団体等の情報の収集")


def test_every_text_is_verbatim_from_the_plan():
    seed = flat(SEED.read_text(encoding="utf-8"))
    for program in PLAN.programs:
        for field in ("name", "purpose", "content"):
            text = flat(getattr(program, field))
            assert text in seed, (program.id, field, text[:30])
        for mark in program.marks:
            assert flat(program.content) + f"【{mark}】" in seed or f"【{mark}】" in seed


def test_every_line_of_the_plan_is_accounted_for():
    plan_text = flat((SITE / "plan.yaml").read_text(encoding="utf-8"))
    for line in SEED.read_text(encoding="utf-8").splitlines():
        for cell in re.split(r" (?=\S)", line.strip()):
            cell = flat(re.sub(r"【(共催事業|後援事業|新規)】", "", cell))
            if cell and cell not in ("事業名", "目的", "内容", "目標回数", "随時", "事業実施の方針") and not cell.isdigit():
                assert cell in plan_text, line


def test_facility_facts_and_unknowns():
    facility = PLAN.facility
    assert facility.address == "横浜市磯子区磯子3-6-1-1"
    assert facility.operator == "特定非営利活動法人 横浜市民アクト"
    assert (facility.phone, facility.email, facility.postal_code) == ("", "", "")
    assert facility.room_names == list(ROOMS)
    assert (facility.booking.how_to_register, facility.booking.how_to_book, facility.booking.availability_url) == ("", "", "")
    assert "団体登録" in facility.booking.registration
    assert (facility.access.map_url, facility.access.transit) == ("", [])  # nearest station and walking time: not in the record
    assert str(facility.hours.weekdays.close) == "21:00:00" and str(facility.hours.sundays_holidays.close) == "17:00:00"
    assert facility.closed.monthly == "first_monday_unless_first"
    assert (facility.closed.year_end.start, facility.closed.year_end.end) == ("12-28", "01-04")
