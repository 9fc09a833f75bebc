"""Changes that calendar subscribers must hear about: ``check --base REF`` compares each event
with its version at REF (the pull request's base branch) and asks for a new ``updated`` when a
date, time, venue, status or title changed without one. ``updated`` drives SEQUENCE, DTSTAMP
and LAST-MODIFIED in the ``.ics`` files (``ical.py``), so the change reaches every calendar."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

from generator.model.errors import Problem
from generator.reading.load_events import EVENTS_DIR, record_from_text
from generator.reading.site import Record, Site
from generator.reading.yaml_strict import load_yaml_file

LABELS = {"date": "日付", "time": "時刻", "venue": "会場", "status": "状態", "title": "題名"}


def what_changed(before: Record, after: Record) -> list[str]:
    """The Japanese names of what a subscriber's calendar shows differently."""
    parts = {
        "date": lambda r: [(o.date, o.end_date) for o in r.occurrences],
        "time": lambda r: [(o.start, o.end) for o in r.occurrences],
        "venue": lambda r: (r.item.venue.name, r.item.venue.address),
        "status": lambda r: [o.status for o in r.occurrences],
        "title": lambda r: r.item.title,
    }
    return [LABELS[name] for name, get in parts.items() if get(before) != get(after)]


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, encoding="utf-8")


def base_records(site: Site, ref: str) -> tuple[dict[str, Record], list[Problem]]:
    """Every event file's record at ``ref``, by path."""
    listing = _git(site.root, "ls-tree", "-r", "--name-only", ref, "--", EVENTS_DIR.as_posix())
    if listing.returncode != 0:
        return {}, [
            Problem(
                "--base",
                0,
                0,
                f"比較する版 '{ref}' を読めません（{listing.stderr.strip()}）。"
                "git fetch で取得するか、ブランチ名を確かめてください",
            )
        ]
    records = {}
    for path in listing.stdout.splitlines():
        if path.endswith((".yaml", ".yml")):
            shown = _git(site.root, "show", f"{ref}:{path}")
            record = record_from_text(path, shown.stdout, site.plans) if shown.returncode == 0 else None
            if record:
                records[path] = record
    return records, []


def check_changes(site: Site, ref: str, now: datetime) -> list[Problem]:
    """Events changed since ``ref`` in a way calendars show, whose ``updated`` did not move on."""
    before, problems = base_records(site, ref)
    for record in site.events:
        old = before.get(record.path)
        if old is None or record.item.internal:
            continue
        changed = what_changed(old, record)
        if not changed or (record.item.updated and (old.item.updated is None or record.item.updated > old.item.updated)):
            continue
        stamp = now.date().isoformat()
        if old.item.updated and old.item.updated.date() >= now.date():  # already changed today: add the time
            stamp = f'"{now:%Y-%m-%d %H:%M}"'
        doc, _ = load_yaml_file(site.root / record.path, site.root)
        loc = ("updated",) if record.item.updated else ()
        line, col = doc.where(loc) if doc and loc else (1, 1)
        problems.append(
            Problem(
                record.path,
                line,
                col,
                f"{'・'.join(changed)}を変えました。カレンダーアプリで購読している人に変更を伝えるため、"
                f"updated を書き換えてください: updated: {stamp}",
            )
        )
    return problems
