"""Event files: every mistake fails check and build with file:line and a Japanese explanation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import make_root
from generator.model.errors import ContentError
from generator.reading.load import load_site

TODAY = date(2025, 6, 1)
GOOD = """title: 親子の広場 6月
program: oyako
date: 2025-06-14
start: "10:00"
end: "11:30"
venue: 研修室
"""


def problems(tmp_path: Path, text: str, name: str = "new.yaml") -> list[str]:
    root = make_root(tmp_path / f"t{len(list(tmp_path.iterdir()))}", "events")
    (root / "content/events/2025" / name).write_text(text, encoding="utf-8")
    try:
        site = load_site(root, TODAY, recorded_until=TODAY)  # as the CLI does on that day
    except ContentError as error:
        return [p.format() for p in error.problems if p.path.endswith(name)]
    return [p.format() for p in site.warnings if p.path.endswith(name)]


def test_the_event_fixture_loads(tmp_path):
    site = load_site(make_root(tmp_path, "events"), TODAY)
    assert [r.id for r in site.events] == ["chiiki-fes-2025", "gakushu", "kenshu-06", "oyako-05", "tosho"]
    assert len(site.occurrences) > 40
    assert all(not o.item.internal for o in site.public_occurrences())


def test_a_good_event_has_no_problems(tmp_path):
    assert problems(tmp_path, GOOD) == []


@pytest.mark.parametrize("old, new, expected", [
    ("program: oyako", "program: oyako-hiroba",
     "content/events/2025/new.yaml:2:10: 事業 ID 'oyako-hiroba' は2025年度の事業計画にありません。もしかして 'oyako'？（使える ID: oyako, soudan, fes, kenshu）"),
    ("date: 2025-06-14", "date: 2025-06-31",
     "content/events/2025/new.yaml:3:7: 'date': 存在しない日付です（値: '2025-06-31'）。カレンダーで日付を確かめてください"),
    ('start: "10:00"', "start: 1030",
     "content/events/2025/new.yaml:4:8: 'start': 時刻は HH:MM（24時間制）で書いてください（値: 1030）。例: \"13:30\""),
    ('end: "11:30"', 'end: "09:30"',
     "content/events/2025/new.yaml:5:6: 終了時刻 'end' が開始時刻 'start' より前です"),
    ("venue: 研修室", "venue: 研修所",
     "content/events/2025/new.yaml:6:8: 会場 '研修所' はコーナーの部屋にありません。もしかして '研修室'？（部屋: 研修室, アートルーム）。外部の会場なら name と address を書いてください"),
    ("title: 親子の広場 6月", "titel: 親子の広場 6月",
     "content/events/2025/new.yaml:1:1: 'titel' という項目はありません。もしかして 'title'？"),
])
def test_mistakes(tmp_path, old, new, expected):
    found = problems(tmp_path, GOOD.replace(old, new))
    assert any(p.startswith(expected) for p in found), found


def test_application_deadline_after_the_event(tmp_path):
    text = GOOD + "application:\n  required: true\n  method: [電話]\n  deadline: 2025-06-20\n"
    assert problems(tmp_path, text) == [
        "content/events/2025/new.yaml:10:13: 申込締切 2025年6月20日（金） が開催日 2025年6月14日（土） より後です"]


def test_image_needs_alt_text(tmp_path):
    found = problems(tmp_path, GOOD + "image:\n  src: a.jpg\n")
    assert "content/events/2025/new.yaml:8:3: 必須の項目 'alt' がありません" in found


def test_duplicate_ids_name_both_files(tmp_path):
    found = problems(tmp_path, GOOD + "id: oyako-05\n", name="zz.yaml")
    assert found == ["content/events/2025/zz.yaml:1:1: ID 'oyako-05' が content/events/2025/oyako-05.yaml と重複しています。どちらかの id を変えてください"]


def test_neither_program_nor_organizer(tmp_path):
    found = problems(tmp_path, GOOD.replace("program: oyako\n", ""))
    assert found == ["content/events/2025/new.yaml:1:1: 事業 ID 'program' か、他機関の主催者 'organizer' のどちらか一方を書いてください"]


def test_closed_day_and_opening_hours_are_warnings(tmp_path):
    assert problems(tmp_path, GOOD.replace("2025-06-14", "2025-07-07")) == [
        "content/events/2025/new.yaml:3:7: 警告: 2025年7月7日（月） は休館日（第1月曜日）です。"
        "開館して開催するなら plan.yaml の closed.temporary_openings に日付と理由を書いてください"]
    assert problems(tmp_path, GOOD.replace("2025-06-14", "2025-06-15").replace('end: "11:30"', 'end: "18:00"')) == [
        "content/events/2025/new.yaml:4:8: 警告: 2025年6月15日（日） の時間が開館時間外です（日曜・祝日は 09:00〜17:00）"]


def test_participants_only_after_the_event(tmp_path):
    found = problems(tmp_path, GOOD.replace("2025-06-14", "2025-07-12") + "participants: 10\n")
    assert found == ["content/events/2025/new.yaml:7:15: 2025年7月12日（土） はまだ先の回です。参加者数は実施後に記入してください"]


def test_series_without_any_date(tmp_path):
    text = "title: x\nprogram: oyako\nvenue: 研修室\nrepeat:\n  weekly: [月]\n  from: 2025-12-29\n  until: 2026-01-04\n"
    assert problems(tmp_path, text) == [
        "content/events/2025/new.yaml:5:3: この繰り返しの規則では開催日が1日もありません。期間・曜日・休みの日を確かめてください"]


def test_file_names_must_be_usable_as_ids(tmp_path):
    found = problems(tmp_path, GOOD, name="親子 6月.yaml")
    assert found == ["content/events/2025/親子 6月.yaml:1:1: ファイル名 '親子 6月.yaml' は ID に使えません。英小文字・数字・ハイフンの名前にするか、id: を書いてください"]


def test_reserved_ids(tmp_path):
    assert "一覧ページの URL に使われています" in problems(tmp_path, GOOD, name="past.yaml")[0]


def test_non_yaml_files_are_errors_not_ignored(tmp_path):
    root = make_root(tmp_path, "events")
    (root / "content/events/2025/memo.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_site(root, TODAY)
    assert "content/events/2025/memo.txt: content/events/ には .yaml のファイルだけを置いてください" in str(error.value)
