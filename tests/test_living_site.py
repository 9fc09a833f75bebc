"""Staff changes never break the test suite: edit a copy's live content the way staff do, run the suite there.

In a copy of the repository (.venv and node_modules linked in), this adds a news post, adds a
one-off event, retitles an event and deletes a sample event in content/, then runs ``check --strict``
and the tests that could still depend on the live content without the guard noticing, in the copy.
Both must pass.

Which tests: the guard in tests/conftest.py (an audit hook) already fails the whole run when any
test not marked ``live`` opens, lists or runs the generator on the live plan.yaml, plans/ or content/,
but an audit hook sees only its own process. So the copy runs every non-browser, non-live test in
the files that start child processes themselves (``subprocess``, ``os.system``…, directly or through a
helper under tests/): ``started_processes``. The rest are covered by the guard in the run that runs
this test; running them again here proved nothing more and took minutes (BENCHMARKS.md, issue 19).
``-m "not live"`` leaves this test out.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import NESTED_ENV, ROOT, copy_repository
from generator.closed_days import closed_reason
from generator.dates import fiscal_year, holiday_name
from generator.load import load_plan

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(os.environ.get(NESTED_ENV) == "1", reason="already inside the living-site run"),
]

RETITLED = "題名を変えた講座（職員が変更）"

# Ways a test starts a child process, whose reads the guard's audit hook cannot see.
STARTS_PROCESSES = re.compile(r"\b(?:subprocess|Popen|os\.system|os\.exec\w*|os\.spawn\w*|os\.popen|multiprocessing)\b")
LOCAL_IMPORT = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", re.M)


def started_processes(tests: Path) -> list[str]:
    """The test files (not under browser/) that start child processes, themselves or through a module of tests/."""
    def starts(path: Path) -> bool:
        return bool(STARTS_PROCESSES.search(path.read_text(encoding="utf-8")))

    # conftest.py starts none (it names subprocess.Popen for the guard's audit events).
    helpers = {p.stem for p in tests.glob("*.py") if not p.name.startswith("test_") and p.name != "conftest.py"}
    helpers |= {p.parent.name for p in tests.glob("*/*.py") if p.parent.name not in ("browser", "fixtures")}
    starting = {name for name in helpers
                if any(starts(f) for f in [tests / f"{name}.py", *sorted((tests / name).glob("*.py"))] if f.is_file())}
    chosen = []
    for path in sorted(tests.glob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        if STARTS_PROCESSES.search(text) or starting & set(LOCAL_IMPORT.findall(text)):
            chosen.append(path.relative_to(tests.parent).as_posix())
    return chosen


def event_files(root: Path) -> list[Path]:
    return sorted((root / "content" / "events").rglob("*.yaml"))


def one_off(path: Path) -> bool:
    return not re.search(r"^repeat:", path.read_text(encoding="utf-8"), re.M)


def open_saturday(root: Path) -> date:
    """A Saturday in the plan's fiscal year when the Corner is open (from February on)."""
    plan = load_plan(root / "plan.yaml", root)
    day = date(plan.fiscal_year + 1, 2, 1)
    while day.weekday() != 5 or holiday_name(day) or closed_reason(day, plan.facility.closed):
        day += timedelta(days=1)
    return day


def make_staff_changes(root: Path) -> dict[str, str]:
    """The ordinary edits of a working week, on ``root``'s content. Returns what was done, for messages."""
    done = {}
    today = date.today()
    news = root / "content" / "news" / f"{today.isoformat()}-living-site.md"
    news.parent.mkdir(parents=True, exist_ok=True)
    news.write_text(f"---\ntitle: 臨時休館のお知らせ\ndate: {today.isoformat()}\ncategories: [休館のお知らせ]\n"
                    "author: 職員\n---\n設備点検のため、臨時に休館します。\n", encoding="utf-8")
    done["added news"] = news.name

    program = load_plan(root / "plan.yaml", root).programs[0].id
    day = open_saturday(root)
    event = root / "content" / "events" / str(fiscal_year(day)) / f"living-site-{day:%Y%m%d}.yaml"  # the year's folder
    event.parent.mkdir(parents=True, exist_ok=True)
    event.write_text(f"title: 親子で楽しむ工作教室\nprogram: {program}\ndate: {day.isoformat()}\nstart: \"10:00\"\n"
                     "end: \"11:30\"\nvenue: 研修室A\naudience: 小学生とその保護者\ncapacity: 20\nfee: 0\n"
                     f"application: {{required: true, method: [窓口], deadline: {(day - timedelta(days=7)).isoformat()}}}\n",
                     encoding="utf-8")
    done["added event"] = event.name

    existing = [p for p in event_files(root) if p != event]
    samples = [p for p in existing if one_off(p) and re.search(r"^sample: true", p.read_text(encoding="utf-8"), re.M)]
    assert existing, "the live content has no events to change"
    deleted = (samples or [p for p in existing if one_off(p)] or existing)[-1]
    deleted.unlink()
    done["deleted event"] = deleted.name

    retitled = next(p for p in existing if p != deleted)
    text = retitled.read_text(encoding="utf-8")
    new = re.sub(r"^title:.*$", f"title: {RETITLED}", text, count=1, flags=re.M)
    assert new != text, f"{retitled}: no title line"
    retitled.write_text(new, encoding="utf-8")
    done["retitled event"] = retitled.name
    return done


def test_ordinary_staff_changes_keep_the_suite_and_check_green(tmp_path):
    started = time.perf_counter()
    copy = copy_repository(tmp_path / "repo")
    for name in (".venv", "node_modules"):
        if (ROOT / name).exists():
            (copy / name).symlink_to((ROOT / name).resolve(), target_is_directory=True)
    done = make_staff_changes(copy)
    python = copy / ".venv" / "bin" / "python"
    python = str(python) if python.exists() else sys.executable
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env[NESTED_ENV] = "1"

    check = subprocess.run([python, "-m", "generator", "check", "--strict", "--root", str(copy)], cwd=copy, env=env,
                           capture_output=True, text=True, timeout=600)
    assert check.returncode == 0, f"check --strict after {done}:\n{check.stdout}\n{check.stderr}"
    assert "エラー" not in check.stderr

    suite_started = time.perf_counter()
    files = started_processes(copy / "tests")
    suite = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not browser and not live",
                            *files], cwd=copy, env=env, capture_output=True, text=True, timeout=3600)
    finished = time.perf_counter()
    summary = suite.stdout.strip().splitlines()[-1] if suite.stdout.strip() else ""
    print(f"\nliving site: {done}\n  suite in the copy ({len(files)} files): {summary} ({finished - suite_started:.0f} s); "
          f"whole test {finished - started:.0f} s")
    assert suite.returncode == 0, (f"the suite failed after ordinary staff changes {done}:\n"
                                   f"{suite.stdout[-6000:]}\n{suite.stderr[-3000:]}")
    assert re.search(r"\d+ passed", summary) and "failed" not in summary and "error" not in summary, summary


def test_the_copy_runs_every_test_file_that_starts_a_child_process(tmp_path):
    """The guard cannot see into child processes, so those files run again in the copy; the others need not."""
    tests = tmp_path / "tests"
    (tests / "helpers").mkdir(parents=True)
    (tests / "conftest.py").write_text("# the guard watches subprocess.Popen events\n", encoding="utf-8")
    (tests / "helpers" / "run.py").write_text("import subprocess\n", encoding="utf-8")
    (tests / "test_direct.py").write_text("import subprocess\n", encoding="utf-8")
    (tests / "test_system.py").write_text("import os\nos.system('true')\n", encoding="utf-8")
    (tests / "test_through_helper.py").write_text("from helpers.run import x\nimport conftest\n", encoding="utf-8")
    (tests / "test_in_process.py").write_text("import conftest\nfrom generator.build import build\n", encoding="utf-8")
    assert started_processes(tests) == ["tests/test_direct.py", "tests/test_system.py", "tests/test_through_helper.py"]
    here = started_processes(ROOT / "tests")
    assert {"tests/test_serve.py", "tests/test_validators.py", "tests/test_cli.py", "tests/test_bench.py"} <= set(here)
    assert "tests/test_dates.py" not in here
