"""The only module that writes: generated docs, then the HTML builder, then an atomic swap.

The builder (MkDocs today) is called as a command on a docs folder. Replacing it touches
``run_builder`` and the hook that hands it the generated pages (``mkdocs_hooks.py``); a builder
without such a hook can build what ``generate()`` writes (every page whole, on disk).
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time
from pathlib import Path
from time import perf_counter
from typing import Iterable

from .dates import JST
from .errors import ContentError
from .templating import forget_conversions
from .limits import images as content_images, walk
from .links import broken_links
from .load import Site, load_site
from .admin import admin_files
from .calendar_pages import render_calendar_pages
from .events import render_event_pages
from .feeds import render_feeds
from .ical import render_ical_files
from .newsletter import render_archive_pages
from .page_cache import PageCache
from .pages import FOOTER_PARTIAL, render_footer, render_pages
from .progress import render_progress_page
from .posts import render_post_pages

ASSETS = Path(__file__).parent / "assets"
THEME = Path(__file__).parent / "theme"
GENERATED = Path("build") / "docs"  # must match docs_dir in mkdocs.yml
GENERATED_THEME = Path("build") / "theme"  # must match theme.custom_dir in mkdocs.yml
HOOKS = Path(__file__).parent / "mkdocs_hooks.py"
GENERATED_HOOKS = Path("build") / "mkdocs_hooks.py"  # must match hooks in mkdocs.yml
BODIES = Path("build") / "bodies.json"
TIMINGS = Path("build") / "timings.json"
DIRECT = ("ics/", "feeds/")  # files the builder would only copy: a build makes them beside it

# A generated page is already HTML. Given whole to MkDocs, Python-Markdown parses that HTML twice per
# page (finding the raw block, then collecting anchor ids): half of MkDocs' time (BENCHMARKS.md). So
# a build does not write the generated pages to build/docs: build/bodies.json holds each page with
# this marker in place of its body, and the body. The builder's hook (mkdocs_hooks.py) adds the
# pages in memory and puts the bodies in; check_bodies() makes sure it happened. The marker mentions
# <h1> because Material adds a heading of its own to a page whose content has none. The calendar
# and feed files, which the builder would only copy, are made while it runs and moved in after.
# `serve` keeps whole pages on disk.
BODY_MARKER = "<!-- yse:body: the page's <h1> and content are put here after the build -->"
_GENERATED_PAGE = re.compile(r'\A(---\n.*?\n---\n\n<div class="page page--[a-z-]+"(?: data-pagefind-body)?>\n)(.*)(\n</div>\n)\Z', re.S)


class BuildError(Exception):
    """The HTML builder failed; its output says why."""


def _collect(*batches: dict[str, str] | dict[str, bytes]) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    for batch in batches:
        for path, content in batch.items():
            if path in files:
                raise ValueError(f"two renderers wrote {path}")
            files[path] = content
    return files


def render_docs(site: Site, cache: PageCache | None = None) -> dict[str, str | bytes]:
    """What the HTML builder needs: pages, assets and images. ``cache``: kept by ``serve`` between
    calls, so that pages made from what did not change are not rendered again (page_cache.py)."""
    images, problems = content_images(site.root)  # load_site has refused these already; read again, by the same rules
    if problems:
        raise ContentError(problems)
    if cache is not None:
        cache.start(site)
    return _collect(
        render_pages(site), render_event_pages(site, cache), render_calendar_pages(site, cache), render_post_pages(site),
        render_archive_pages(site), render_progress_page(site),
        {f"assets/{path}": data for path, data in _files_under(ASSETS).items()},
        {f"images/{path}": data for path, data in images.items()},
    )


def render_direct(site: Site) -> dict[str, str | bytes]:
    """Calendar and feed files, which the builder would only copy (DIRECT)."""
    files = _collect(render_ical_files(site), render_feeds(site))
    assert all(path.startswith(DIRECT) for path in files)
    return files


def direct_paths(site: Site) -> set[str]:
    """The paths render_direct() makes, without making them (what the link check needs of them)."""
    programs = {o.item.program for o in site.public_occurrences()}
    return {"ics/all.ics", "feeds/rss.xml", "feeds/atom.xml",
            *(f"ics/events/{record.id}.ics" for record in site.public_records()),
            *(f"ics/programs/{p.id}.ics" for p in site.plan.programs if p.id in programs),
            *(f"feeds/programs/{p.id}.{kind}.xml" for p in site.plan.programs for kind in ("rss", "atom"))}


def check_links(site: Site, docs: dict[str, str | bytes] | None = None, direct: set[str] | None = None) -> None:
    """Staff-written links and anchors against everything the build outputs (generator/links.py):
    ContentError with every broken one, and the site's warnings, before anything is written."""
    problems = broken_links(site, render_docs(site) if docs is None else docs, direct_paths(site) if direct is None else direct)
    if problems:
        raise ContentError([*site.warnings, *problems])


def render_all(site: Site) -> dict[str, str | bytes]:
    """Every file of the generated docs folder, by path. Refuses a path twice."""
    return _collect(render_docs(site), render_direct(site))


def write_tree(files: dict[str, str | bytes], folder: Path) -> int:
    """Make ``folder`` hold exactly ``files``; unchanged files are not touched (live reload stays calm).
    A symlink in ``folder`` (or ``folder`` itself being one) is removed first, never written through."""
    _remove_symlinks(folder)
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


def _remove_symlinks(folder: Path) -> None:
    if folder.is_symlink():
        folder.unlink()
        return
    for parent, dirs, names in os.walk(folder):  # does not follow symlinks to folders
        for name in dirs + names:
            if os.path.islink(os.path.join(parent, name)):
                os.unlink(os.path.join(parent, name))


def generate(root: Path, today: date) -> Site:
    """Load, check and write the whole generated docs folder (``serve`` previews it as it is; any
    HTML builder can build it). Raises ContentError and writes nothing on errors."""
    site = load_site(root, today)
    docs, direct = render_docs(site), render_direct(site)
    check_links(site, docs, set(direct))
    _write_docs(root, _collect(docs, direct), {}, {}, [page.path for page in site.pages], render_footer(site))
    return site


def _write_docs(root: Path, files: dict[str, str | bytes], pages: dict[str, str], bodies: dict[str, str],
                hand_written: Iterable[str] = (), footer: str = "") -> None:
    """The docs folder, theme and hook for the builder; ``hand_written``: the pages from content/pages/,
    which the hook keeps out of the nav; ``footer``: the facility's contact block of every page's footer
    (``render_footer``; without it the theme's own partial, the name only)."""
    for path in (root / "build", root / BODIES, root / TIMINGS):  # never written through (limits.scan reports them)
        if path.is_symlink():
            path.unlink()
    write_tree(files, root / GENERATED)
    theme = _files_under(THEME)
    if footer:
        theme[FOOTER_PARTIAL] = footer.encode("utf-8")
    write_tree(theme, root / GENERATED_THEME)
    hooks = root / GENERATED_HOOKS
    if hooks.is_symlink():
        hooks.unlink()
    if not hooks.is_file() or hooks.read_bytes() != HOOKS.read_bytes():
        hooks.write_bytes(HOOKS.read_bytes())
    deferred = {"marker": BODY_MARKER, "pages": pages, "bodies": bodies, "hand_written": sorted(hand_written)}
    (root / BODIES).write_text(json.dumps(deferred, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def prepare_builder(root: Path, footer: str = "") -> None:
    """What the builder reads besides the pages (theme overrides with the ``footer``, the hook), for
    ``serve``, which hands every page over in memory: the docs folder is left empty."""
    _write_docs(root, {}, {}, {}, footer=footer)


def built_page(path: str) -> str:
    """The HTML file MkDocs makes from a docs page (``use_directory_urls``): ``a/b.md`` -> ``a/b/index.html``."""
    stem = path.removesuffix(".md")
    return f"{stem}.html" if stem == "index" or stem.endswith("/index") else f"{stem}/index.html"


def split_bodies(files: dict[str, str | bytes]) -> tuple[dict[str, str | bytes], dict[str, str], dict[str, str]]:
    """The files to write, the generated pages with BODY_MARKER in place of their body (for the
    builder's hook), and their bodies by built HTML path."""
    docs: dict[str, str | bytes] = {}
    pages: dict[str, str] = {}
    bodies: dict[str, str] = {}
    for path, content in files.items():
        match = _GENERATED_PAGE.match(content) if isinstance(content, str) and path.endswith(".md") else None
        if match and BODY_MARKER not in match.group(2):
            pages[path] = match.group(1) + BODY_MARKER + match.group(3)
            bodies[built_page(path)] = match.group(2)
        else:
            docs[path] = content
    return docs, pages, bodies


def check_bodies(bodies: dict[str, str], site_dir: Path) -> int:
    """Every generated page was built whole: its file exists, holds its body and no marker. Returns
    the number of pages checked. Fails if the builder lacked the hook or lost a marker."""
    for path, body in bodies.items():
        page = site_dir / path
        html = page.read_text(encoding="utf-8") if page.is_file() else ""
        if BODY_MARKER in html or body not in html:
            raise BuildError(f"{path}: 生成したページが作られていません（mkdocs.yml の hooks: に build/mkdocs_hooks.py がありますか）")
    return len(bodies)


def _files_under(folder: Path) -> dict[str, bytes]:
    """The generator's own files (assets, theme) by path; a symlink among them is refused, as in content."""
    files, problems = walk(folder.parent.parent, folder)
    if problems:
        raise ContentError(problems)
    return {f.relative_to(folder).as_posix(): f.read_bytes() for f in files}


def source_date_epoch(today: date) -> str:
    """``SOURCE_DATE_EPOCH`` as given, else midnight of ``today`` in Japan: builds repeat byte for byte."""
    return os.environ.get("SOURCE_DATE_EPOCH") or str(int(datetime.combine(today, time(0), tzinfo=JST).timestamp()))


def builder_env(today: date) -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch(today), "NO_MKDOCS_2_WARNING": "1"}


_LOG_RECORD = re.compile(r"(DEBUG|INFO|WARNING|ERROR|CRITICAL) +-  ")


def builder_problems(output: str) -> list[str]:
    """The builder's output without its DEBUG and INFO records (and their indented continuation
    lines): warnings, errors, anything else it said."""
    lines, keep = [], True
    for line in output.splitlines():
        record = _LOG_RECORD.match(line)
        if record:
            keep = record.group(1) not in ("DEBUG", "INFO")
        elif not line.startswith((" ", "\t")):
            keep = True
        if keep and line.strip():
            lines.append(line)
    return lines


def run_builder(root: Path, site_dir: Path, today: date) -> None:
    """MkDocs, strict. Not ``--quiet``: that stops warnings before MkDocs counts them for ``--strict``
    (mkdocs/mkdocs#4126). Its output is kept and shown only when it fails; a warning fails the build."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(site_dir)]
    result = subprocess.run(command, cwd=root, env=builder_env(today), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    problems = builder_problems(result.stdout)
    warned = any(_LOG_RECORD.match(line) for line in problems)
    if result.returncode != 0 or warned:
        raise BuildError("MkDocs（HTML の道具）が次のように報告しました（警告も失敗として扱います）:\n"
                         + "\n".join(problems or result.stdout.strip().splitlines()))


# Pagefind comes from npm (package.json, ``npm ci --omit=dev``; make site installs it): 1.6.0 cuts Japanese
# with ICU4X when it indexes, as the browser cuts the query (Intl.Segmenter). The npm wrapper runs the
# extended binary (Japanese segmentation) of this platform.
PAGEFIND = Path(__file__).resolve().parents[1] / "node_modules" / "pagefind" / "lib" / "runner" / "bin.cjs"


def run_search_indexer(site_dir: Path) -> None:
    """Pagefind over the built HTML: Japanese word segmentation, only ``data-pagefind-body`` content."""
    node = shutil.which("node")
    if node is None or not PAGEFIND.exists():
        raise BuildError("検索索引を作る Pagefind が見つかりません。make site で入れるか、npm ci --omit=dev を実行してください"
                         f"（{'Node.js がありません' if node is None else PAGEFIND}）")
    command = [node, str(PAGEFIND), "--site", str(site_dir), "--force-language", "ja", "--silent"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError("検索索引の作成（Pagefind）に失敗しました:\n" + (result.stdout + result.stderr).strip())


def _release_memory() -> None:
    """Collect garbage and hand freed heap memory back to the system (glibc), so that this process
    does not hold it while Pagefind, the most memory-hungry step, runs."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def build(root: Path, today: date, out: Path | None = None, *, recorded_until: date | None = None) -> Site:
    """Generate, build into a temporary folder, then swap it in: a failed build leaves ``site/`` as it was.

    The pages go to the builder as stubs (BODY_MARKER). While the builder runs (another process),
    a thread makes the calendar and feed files in a folder beside, on the other core; they are
    moved in afterwards. Seconds per step go to build/timings.json (``make bench`` reads them)."""
    root = root.resolve()
    out = (out or root / "site").resolve()
    timings: dict[str, float] = {}
    clock = perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = perf_counter()
        timings[name] = timings.get(name, 0.0) + now - clock
        clock = now

    site = load_site(root, today, recorded_until=recorded_until)
    lap("load")
    docs = render_docs(site)
    lap("render")
    check_links(site, docs)  # before anything is written
    lap("links")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=out.parent))
    beside = Path(tempfile.mkdtemp(prefix=".direct-", dir=out.parent))

    def make_direct() -> float:
        start = perf_counter()
        write_tree({**render_direct(site), **admin_files(site.plans, site.plan.facility.name)}, beside)  # and /admin/
        return perf_counter() - start

    try:
        docs, pages, bodies = split_bodies(docs)
        _write_docs(root, docs, pages, bodies, [page.path for page in site.pages], render_footer(site))
        lap("write")
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="calendars-and-feeds") as pool:
            direct = pool.submit(make_direct)
            run_builder(root, staging, today)
        lap("builder")
        timings["direct (in parallel)"] = direct.result()  # re-raises what the thread raised
        check_bodies(bodies, staging)
        del docs, pages, bodies  # the rendered site is on disk now: give the memory back before Pagefind
        forget_conversions()
        _release_memory()
        for folder in sorted(beside.iterdir()):
            if (staging / folder.name).exists():
                raise BuildError(f"{folder.name}/: HTML の道具が同じ名前のフォルダを作りました（生成したファイルと重なります）")
            folder.rename(staging / folder.name)
        lap("fill")
        run_search_indexer(staging)
        lap("search")
        old = out.with_name(out.name + ".old")
        if out.exists():
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
        lap("swap")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(beside, ignore_errors=True)
    (root / TIMINGS).write_text(json.dumps(timings, indent=2) + "\n", encoding="utf-8")
    return site
