"""make serve: editing plan.yaml or content/ regenerates the docs folder within seconds."""

from __future__ import annotations

import threading
import time
from datetime import date

from generator.build import GENERATED, generate
from generator.serve import watch


def wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_an_edit_is_regenerated(mini_root):
    today = date(2025, 6, 1)
    generate(mini_root, today)
    page = mini_root / GENERATED / "programs" / "soudan.md"
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(mini_root, today, stop, 0.05), daemon=True)
    thread.start()
    try:
        time.sleep(0.2)
        plan = mini_root / "plan.yaml"
        plan.write_text(plan.read_text(encoding="utf-8").replace("name: 相談", "name: 相談・コーディネート"), encoding="utf-8")
        assert wait_for(lambda: "相談・コーディネート" in page.read_text(encoding="utf-8"))
        event = mini_root / "content" / "events" / "x.yaml"
        event.parent.mkdir(parents=True)
        event.write_text("title: 新しい催し\nprogram: soudan\ndate: 2025-06-14\nvenue: 研修室\n", encoding="utf-8")
        assert wait_for(lambda: (mini_root / GENERATED / "events" / "x.md").exists())
    finally:
        stop.set()
        thread.join(timeout=2)


def test_a_broken_edit_keeps_the_last_good_pages(mini_root, capsys):
    today = date(2025, 6, 1)
    generate(mini_root, today)
    page = mini_root / GENERATED / "programs" / "soudan.md"
    before = page.read_text(encoding="utf-8")
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(mini_root, today, stop, 0.05), daemon=True)
    thread.start()
    try:
        time.sleep(0.2)
        plan = mini_root / "plan.yaml"
        plan.write_text(plan.read_text(encoding="utf-8").replace("target: 10", "target: 0"), encoding="utf-8")
        assert wait_for(lambda: "目標回数は 1 以上の整数か「随時」にしてください" in capsys.readouterr().err)
        assert page.read_text(encoding="utf-8") == before
    finally:
        stop.set()
        thread.join(timeout=2)
