"""make serve: editing plan.yaml or content/ regenerates the docs folder within seconds."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from datetime import date

from generator.build import GENERATED, generate
from generator.serve import watch

TODAY = date(2025, 6, 1)


def wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@contextmanager
def watching(root):
    """Generate once, then run the serve watcher (polling every 50 ms) while the block runs."""
    generate(root, TODAY)
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(root, TODAY, stop, 0.05), daemon=True)
    thread.start()
    time.sleep(0.2)
    try:
        yield root / GENERATED
    finally:
        stop.set()
        thread.join(timeout=2)


def edit_plan(root, old: str, new: str) -> None:
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_an_edit_is_regenerated(mini_root):
    with watching(mini_root) as docs:
        edit_plan(mini_root, "name: 相談", "name: 相談・コーディネート")
        assert wait_for(lambda: "相談・コーディネート" in (docs / "programs/soudan.md").read_text(encoding="utf-8"))
        event = mini_root / "content" / "events" / "x.yaml"
        event.parent.mkdir(parents=True)
        event.write_text("title: 新しい催し\nprogram: soudan\ndate: 2025-06-14\nvenue: 研修室\n", encoding="utf-8")
        assert wait_for(lambda: (docs / "events" / "x.md").exists())


def test_a_broken_edit_keeps_the_last_good_pages(mini_root, capsys):
    with watching(mini_root) as docs:
        before = (docs / "programs/soudan.md").read_text(encoding="utf-8")
        edit_plan(mini_root, "target: 10", "target: 0")
        assert wait_for(lambda: "目標回数は 1 以上の整数か「随時」にしてください" in capsys.readouterr().err)
        assert (docs / "programs/soudan.md").read_text(encoding="utf-8") == before
