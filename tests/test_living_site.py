"""Staff changes never break the test suite: edit a copy's live content the way staff do, and check it.

In a copy of the repository (.venv and node_modules linked in), this adds a news post, adds a
one-off event, retitles an event and deletes a sample event in content/, then runs ``check --strict``
and ``build`` there: both must pass, as CI's live tests require of the real content.

Why that is enough for the rest of the suite: no test but those marked ``live`` may depend on the live
content at all, and the guard in tests/conftest.py fails the run that runs this test when one does: an
audit hook in the test's own process (open, listing, running the generator on the repository), and the
same hook in every Python process a test starts (tests/child_guard/sitecustomize.py, put first on
PYTHONPATH for the session). Earlier versions ran the suite again in the copy, which took minutes and
proved nothing more (BENCHMARKS.md, issue 19). Left outside the guard: a non-Python child process
(git, node, java) reading the live content, and a child started with an environment that drops
PYTHONPATH; no test does either with the live content.
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
from generator.rules.closed_days import closed_reason
from generator.rules.dates import fiscal_year, holiday_name
from generator.reading.load_plans import load_plan

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(os.environ.get(NESTED_ENV) == "1", reason="already inside the living-site run"),
]

RETITLED = "題名を変えた講座（職員が変更）"

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


def test_ordinary_staff_changes_keep_check_and_build_green(tmp_path):
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

    built = subprocess.run([python, "-m", "generator", "build", "--root", str(copy), "--out", str(tmp_path / "site")],
                           cwd=copy, env=env, capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, f"build after {done}:\n{built.stdout}\n{built.stderr}"
    assert (tmp_path / "site" / "index.html").is_file()
    print(f"\nliving site: {done}: check --strict and build in {time.perf_counter() - started:.0f} s")


