"""Preview with live reload: regenerate on every change to plan.yaml or content/, MkDocs reloads the browser."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

from .build import builder_env, generate
from .errors import ContentError


def _snapshot(root: Path) -> dict[Path, float]:
    files = [root / "plan.yaml", *(root / "plans").glob("*.yaml"), *(root / "content").rglob("*")]
    return {f: f.stat().st_mtime for f in files if f.is_file()}


def _regenerate(root: Path, today: date) -> None:
    try:
        generate(root, today)
        print("再生成しました", file=sys.stderr)
    except ContentError as error:
        for problem in error.problems:
            print(problem.format(), file=sys.stderr)


def watch(root: Path, today: date, stop: threading.Event, interval: float = 0.5) -> None:
    seen = _snapshot(root)
    while not stop.wait(interval):
        now = _snapshot(root)
        if now != seen:
            seen = now
            _regenerate(root, today)


def serve(root: Path, today: date, address: str) -> int:
    generate(root, today)
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(root, today, stop), daemon=True)
    watcher.start()
    command = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(root / "mkdocs.yml"), "--dev-addr", address]
    try:
        return subprocess.call(command, cwd=root, env=builder_env(today))
    except KeyboardInterrupt:
        return 0
    finally:
        stop.set()
        time.sleep(0)
