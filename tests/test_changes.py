"""Calendar changes always reach subscribers: SEQUENCE grows with every recorded change, and
``check --base`` asks for a new ``updated`` when a date, time, venue, status or title changed."""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from conftest import make_root
from generator.tools.changes import check_changes
from generator.cli import main
from generator.model.errors import ContentError
from generator.outputs.ical import render_ical_files
from generator.reading.load import load_site

EVENT = "content/events/2025/oyako-05.yaml"
TODAY = date(2025, 6, 1)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_root(tmp_path, "events")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "base")
    return root


def edit(root: Path, old: str, new: str) -> None:
    path = root / EVENT
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(root: Path, now: datetime = datetime(2025, 6, 1, 9, 30)) -> list[str]:
    return [p.format() for p in check_changes(load_site(root, TODAY), "HEAD", now)]


class TestCheckAgainstTheBase:
    def test_a_new_time_without_updated_asks_for_it(self, repo):
        edit(repo, 'start: "10:00"', 'start: "10:30"')
        assert problems(repo) == [f"{EVENT}:1:1: 時刻を変えました。カレンダーアプリで購読している人に変更を伝えるため、"
                                  "updated を書き換えてください: updated: 2025-06-01"]

    @pytest.mark.parametrize("old, new, said", [
        ("date: 2025-05-10", "date: 2025-05-17", "日付"),
        ("venue: 研修室", "venue: アートルーム", "会場"),
        ("sample: true", "sample: true\nstatus: cancelled\nstatus_reason: 雨天のため", "状態"),
        ("title: 親子の広場 5月", "title: 親子の広場 5月（会場変更）", "題名"),
    ])
    def test_each_kind_of_change_is_named(self, repo, old, new, said):
        edit(repo, old, new)
        (problem,) = problems(repo)
        assert f"{said}を変えました" in problem

    def test_a_new_updated_satisfies_it_and_other_edits_need_none(self, repo):
        edit(repo, 'start: "10:00"', 'start: "10:30"\nupdated: 2025-06-01')
        assert problems(repo) == []
        edit(repo, "capacity: 15", "capacity: 20")
        assert problems(repo) == []

    def test_a_second_change_on_the_same_day_asks_for_the_time(self, repo):
        edit(repo, "sample: true", "sample: true\nupdated: 2025-06-01")
        git(repo, "commit", "-qam", "first change")
        edit(repo, 'start: "10:00"', 'start: "10:15"')
        (problem,) = problems(repo, datetime(2025, 6, 1, 15, 4))
        assert problem.endswith('updated: "2025-06-01 15:04"') and problem.startswith(f"{EVENT}:17:10:")

    def test_the_cli_fails_and_names_an_unknown_base(self, repo, capsys):
        edit(repo, 'start: "10:00"', 'start: "10:30"')
        assert main(["check", "--root", str(repo), "--today", "2025-06-01", "--base", "HEAD"]) == 1
        assert "updated を書き換えてください" in capsys.readouterr().err
        assert main(["check", "--root", str(repo), "--today", "2025-06-01", "--base", "no-such-branch"]) == 1
        assert "比較する版 'no-such-branch' を読めません" in capsys.readouterr().err


def sequences(root: Path) -> list[int]:
    files = render_ical_files(load_site(root, TODAY))
    text = files["ics/events/oyako-05.ics"].decode()
    return [int(line.split(":")[1]) for line in text.splitlines() if line.startswith("SEQUENCE:")]


class TestSequence:
    def test_grows_with_every_recorded_change_even_on_the_day_it_was_announced(self, tmp_path):
        root = make_root(tmp_path, "events")
        assert sequences(root) == [0]
        seen = []
        for stamp in ("2025-04-15", '"2025-04-15 10:00"', "2025-04-16", '"2025-04-16 18:30"'):
            (root / EVENT).write_text((root / EVENT).read_text(encoding="utf-8").split("updated:")[0].rstrip("\n") + f"\nupdated: {stamp}\n",
                                      encoding="utf-8")
            seen += sequences(root)
        assert seen == sorted(seen) and len(set(seen)) == 4 and seen[0] >= 1

    def test_a_future_updated_is_an_error(self, tmp_path):
        root = make_root(tmp_path, "events")
        edit(root, "sample: true", "sample: true\nupdated: 2025-06-02")
        with pytest.raises(ContentError) as error:
            load_site(root, TODAY, recorded_until=TODAY)
        assert "変更日 'updated' が今日（2025年6月1日（日））より後です" in str(error.value)

    def test_updated_with_a_time_is_read_as_japan_time(self, tmp_path):
        root = make_root(tmp_path, "events")
        edit(root, "sample: true", 'sample: true\nupdated: "2025-05-20 14:30"')
        text = render_ical_files(load_site(root, TODAY))["ics/events/oyako-05.ics"].decode()
        assert "DTSTAMP:20250520T053000Z" in text and "LAST-MODIFIED:20250520T053000Z" in text
