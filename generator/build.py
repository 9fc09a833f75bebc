"""The only module that writes: generated docs, then the HTML builder, then an atomic swap.

The builder (MkDocs today) is called as a command on a docs folder, so replacing it
touches ``run_builder`` alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, time
from pathlib import Path

from .dates import JST
from .load import Site, load_site
from .calendar_pages import render_calendar_pages
from .events import render_event_pages
from .feeds import render_feeds
from .ical import render_ical_files
from .newsletter import render_archive_pages
from .pages import render_pages
from .progress import render_progress_page
from .posts import render_post_pages

ASSETS = Path(__file__).parent / "assets"
THEME = Path(__file__).parent / "theme"
GENERATED = Path("build") / "docs"  # must match docs_dir in mkdocs.yml
GENERATED_THEME = Path("build") / "theme"  # must match theme.custom_dir in mkdocs.yml


class BuildError(Exception):
    """The HTML builder failed; its output says why."""


def render_all(site: Site) -> dict[str, str | bytes]:
    """Every file of the generated docs folder, by path. Refuses a path twice."""
    files: dict[str, str | bytes] = {}

    def add(batch: dict[str, str] | dict[str, bytes]) -> None:
        for path, content in batch.items():
            if path in files:
                raise ValueError(f"two renderers wrote {path}")
            files[path] = content

    add(render_pages(site))
    add(render_event_pages(site))
    add(render_calendar_pages(site))
    add(render_ical_files(site))
    add(render_post_pages(site))
    add(render_archive_pages(site))
    add(render_progress_page(site))
    add(render_feeds(site))
    add({f"assets/{path}": data for path, data in _files_under(ASSETS).items()})
    images = site.root / "content" / "images"
    if images.is_dir():
        add({f"images/{path}": data for path, data in _files_under(images).items()})
    return files


def write_tree(files: dict[str, str | bytes], folder: Path) -> int:
    """Make ``folder`` hold exactly ``files``; unchanged files are not touched (live reload stays calm)."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = 0
    for path, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = folder / path
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        changed += 1
    wanted = {folder / p for p in files}
    for existing in sorted(folder.rglob("*"), reverse=True):
        if existing.is_file() and existing not in wanted:
            existing.unlink()
            changed += 1
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    return changed


def generate(root: Path, today: date) -> Site:
    """Load, check and write the generated docs folder. Raises ContentError and writes nothing on errors."""
    site = load_site(root, today)
    write_tree(render_all(site), root / GENERATED)
    write_tree(_files_under(THEME), root / GENERATED_THEME)
    return site


def _files_under(folder: Path) -> dict[str, bytes]:
    return {f.relative_to(folder).as_posix(): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()}


def source_date_epoch(today: date) -> str:
    """``SOURCE_DATE_EPOCH`` as given, else midnight of ``today`` in Japan: builds repeat byte for byte."""
    return os.environ.get("SOURCE_DATE_EPOCH") or str(int(datetime.combine(today, time(0), tzinfo=JST).timestamp()))


def builder_env(today: date) -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch(today), "NO_MKDOCS_2_WARNING": "1"}


def run_builder(root: Path, site_dir: Path, today: date) -> None:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
               "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(site_dir)]
    result = subprocess.run(command, cwd=root, env=builder_env(today), capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError((result.stdout + result.stderr).strip())


def run_search_indexer(site_dir: Path) -> None:
    """Pagefind over the built HTML: Japanese word segmentation, only ``data-pagefind-body`` content."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--force-language", "ja", "--silent"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError("検索索引の作成（Pagefind）に失敗しました:\n" + (result.stdout + result.stderr).strip())


def build(root: Path, today: date, out: Path | None = None) -> Site:
    """Generate, build into a temporary folder, then swap it in: a failed build leaves ``site/`` as it was."""
    root = root.resolve()
    out = (out or root / "site").resolve()
    site = generate(root, today)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=out.parent))
    try:
        run_builder(root, staging, today)
        run_search_indexer(staging)
        old = out.with_name(out.name + ".old")
        if out.exists():
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return site
