"""The command line, word for word: exit codes and what staff read."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT
from generator.cli import main


def run(*args: str, cwd) -> subprocess.CompletedProcess:
    """``python -m generator ARGS`` in ``cwd`` (a temporary folder: never the repository, whose content is live)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_check_ok_prints_a_summary_and_the_warnings(mini_root, capsys):
    assert main(["check", "--root", str(mini_root), "--today", "2025-06-01"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "検査しました（今日: 2025-06-01）",
        "  事業計画: テスト施設　令和7年度事業計画書（事業 4件、うち目標回数あり 2件）",
        "  講座・イベント: 0件、繰り返し: 0件（うち内部の活動 0件）",
        "  2025年度の開催回数: 0回",
        "  ページ: 0件",
        "  警告: 0件、お知らせ: 6件",
    ]
    assert "plan.yaml:5:1: お知らせ: 電話番号が未設定です。分かったら記入してください（それまではサイトに表示しません）" in err


CLOSED_DAY_EVENT = "title: x\nprogram: oyako\ndate: 2025-07-07\nvenue: 研修室\n"


def test_check_strict_fails_on_warnings_but_not_on_notices(mini_root, capsys):
    assert main(["check", "--strict", "--root", str(mini_root), "--today", "2025-06-01"]) == 0
    (mini_root / "content/events").mkdir(parents=True)
    (mini_root / "content/events/x.yaml").write_text(CLOSED_DAY_EVENT, encoding="utf-8")
    assert main(["check", "--root", str(mini_root), "--today", "2025-06-01"]) == 0
    assert main(["check", "--strict", "--root", str(mini_root), "--today", "2025-06-01"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "警告 1件（--strict のため失敗にしました）"


def test_check_reports_every_error_with_a_count(mini_root, capsys):
    plan = mini_root / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("target: 10", "target: 0").replace("monthly: first_monday_unless_first", "monthly: first_monday"), encoding="utf-8")
    assert main(["check", "--root", str(mini_root), "--today", "2025-06-01"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "plan.yaml:14:14: 'monthly' は次のいずれかにしてください: first_monday_unless_first, none（値: 'first_monday'）。もしかして 'first_monday_unless_first'？",
        "plan.yaml:28:17: 'target': 目標回数は 1 以上の整数か「随時」にしてください（値: 0）",
        "エラー 2件（1ファイル）",
    ]


def test_build_with_errors_writes_nothing(mini_root, capsys):
    plan = mini_root / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("target: 10", "target: 0"), encoding="utf-8")
    assert main(["build", "--root", str(mini_root), "--today", "2025-06-01"]) == 1
    assert not (mini_root / "site").exists() and not (mini_root / "build").exists()


def test_build_strict_stops_on_warnings(mini_root, capsys):
    (mini_root / "content/events").mkdir(parents=True)
    (mini_root / "content/events/x.yaml").write_text(CLOSED_DAY_EVENT, encoding="utf-8")
    assert main(["build", "--strict", "--root", str(mini_root), "--today", "2025-06-01"]) == 1
    assert "（--strict のため中止しました）" in capsys.readouterr().err
    assert not (mini_root / "site").exists()


def test_usage_errors_exit_2(tmp_path):
    result = run("build", "--today", "2025-13-01", cwd=tmp_path)
    assert result.returncode == 2
    assert "日付は YYYY-MM-DD で指定してください（値: 2025-13-01）" in result.stderr
    assert run("nonsense", cwd=tmp_path).returncode == 2
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("argv, said", [
    (("nonsense",), "そのようなコマンドはありません: 'nonsense'"),
    (("check", "--bogus"), "知らない引数です: --bogus"),
    (("newsletter",), "次の引数が必要です: month"),
    (("newsletter", "2025-13"), "月は YYYY-MM で指定してください"),
    (("social", "--month", "2025/06"), "YYYY-MM"),
    (("new-newsletter", "06-2025"), "YYYY-MM"),
    (("report", "abc"), "整数で指定してください"),
])
def test_every_usage_error_is_japanese_and_exits_2(argv, said, mini_root):
    result = run(*argv, cwd=mini_root)
    assert result.returncode == 2, result.stderr
    assert said in result.stderr and "usage:" not in result.stderr and "error:" not in result.stderr


def test_missing_plan_is_an_error_not_a_traceback(tmp_path):
    result = run("check", "--root", str(tmp_path), "--today", "2025-06-01", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["plan.yaml: 事業計画ファイルがありません", "エラー 1件（1ファイル）"]


@pytest.mark.parametrize("command", ["build", "check", "serve", "schema"])
def test_every_command_has_japanese_help(command, tmp_path):
    result = run(command, "--help", cwd=tmp_path)
    assert result.returncode == 0 and "--today" in result.stdout


def test_every_command_dispatches_to_its_own_function():
    from generator.cli import parser

    commands = next(a for a in parser()._actions if a.dest == "command").choices
    functions = {name: command.get_default("func") for name, command in commands.items()}
    assert all(callable(f) and f.__name__.startswith("run_") for f in functions.values()), functions
    assert functions["build"] is not functions["check"] and functions["new-event"] is functions["new-series"]
