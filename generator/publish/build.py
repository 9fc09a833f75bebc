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
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time
from pathlib import Path
from time import perf_counter
from typing import TypeVar

from generator.model.errors import ContentError
from generator.outputs.admin import admin_files
from generator.outputs.feeds import render_feeds
from generator.outputs.ical import render_ical_files
from generator.outputs.newsletter import render_archive_pages
from generator.reading.config import GENERATED_ROOT, BuilderConfig, read_builder_config
from generator.reading.limits import images as content_images
from generator.reading.limits import walk
from generator.reading.links import broken_links
from generator.reading.load import load_site
from generator.reading.markdown import forget_conversions
from generator.reading.site import Site
from generator.render.calendar_pages import render_calendar_pages
from generator.render.events import render_event_pages
from generator.render.page import Page
from generator.render.page_cache import PageCache
from generator.render.pages import FOOTER_PARTIAL, render_footer, render_pages
from generator.render.posts import render_post_pages
from generator.render.progress import render_progress_page
from generator.render.templating import document, front_matter
from generator.rules.dates import JST

ASSETS = Path(__file__).parents[1] / "assets"
THEME = Path(__file__).parents[1] / "theme"
# Where the docs folder, theme overrides and hook go is mkdocs.yml's (docs_dir, theme.custom_dir, hooks:
# reading/config.py reads them and holds them inside build/). The hook reads bodies.json beside itself.
HOOKS = Path(__file__).parent / "mkdocs_hooks.py"
BODIES = "bodies.json"
TIMINGS = Path(GENERATED_ROOT) / "timings.json"
DIRECT = ("ics/", "feeds/")  # files the builder would only copy: a build makes them beside it

# A generated page is already HTML (render/page.py's Page). Given whole to MkDocs, Python-Markdown
# parses that HTML twice per page (finding the raw block, then collecting anchor ids): half of MkDocs'
# time (BENCHMARKS.md). So a build does not write the generated pages to build/docs: build/bodies.json
# holds each page's front matter (its metadata, for MkDocs) and its HTML. The builder's hook
# (mkdocs_hooks.py) adds the pages in memory with their front matter only and gives MkDocs the HTML
# as the page's content; check_bodies() makes sure it happened. The calendar and feed files, which
# the builder would only copy, are made while it runs and moved in after.


class BuildError(Exception):
    """The HTML builder failed; its output says why."""


Docs = dict[str, "Page | str | bytes"]  # the generated docs folder: pages, and files by content


Content = TypeVar("Content", bound="Page | str | bytes")


def _collect(*batches: Mapping[str, Content]) -> dict[str, Content]:
    files: dict[str, Content] = {}
    for batch in batches:
        for path, content in batch.items():
            if path in files:
                raise ValueError(f"two renderers wrote {path}")
            if isinstance(content, Page) and content.path != path:
                raise ValueError(f"{path}: the page says it is {content.path}")
            files[path] = content
    return files


def as_files(docs: Docs) -> dict[str, str | bytes]:
    """Every page as one Markdown file (front matter and content), for a builder that reads a folder."""
    return {path: document(content) if isinstance(content, Page) else content for path, content in docs.items()}


def _link_view(docs: Docs) -> dict[str, str | bytes]:
    """What the link check reads of each output: a generated page's HTML (its ids); a hand-written
    page's ids the check takes from its own conversion of the Markdown."""
    return {path: (content.html if isinstance(content, Page) else content) for path, content in docs.items()}


def render_docs(site: Site, cache: PageCache | None = None) -> Docs:
    """What the HTML builder needs: pages, assets and images. ``cache``: kept by ``serve`` between
    calls, so that pages made from what did not change are not rendered again (page_cache.py)."""
    images, problems = content_images(site.root)  # load_site has refused these already; read again, by the same rules
    if problems:
        raise ContentError(problems)
    if cache is not None:
        cache.start(site)
    return _collect(
        render_pages(site),
        render_event_pages(site, cache),
        render_calendar_pages(site, cache),
        render_post_pages(site),
        render_archive_pages(site),
        render_progress_page(site),
        {f"assets/{path}": data for path, data in _files_under(ASSETS).items()},
        {f"images/{path}": data for path, data in images.items()},
    )


def render_direct(site: Site) -> dict[str, bytes]:
    """Calendar and feed files, which the builder would only copy (DIRECT)."""
    files = _collect(render_ical_files(site), render_feeds(site))
    assert all(path.startswith(DIRECT) for path in files)
    return files


def direct_paths(site: Site) -> set[str]:
    """The paths render_direct() makes, without making them (what the link check needs of them)."""
    programs = {o.item.program for o in site.public_occurrences()}
    return {
        "ics/all.ics",
        "feeds/rss.xml",
        "feeds/atom.xml",
        *(f"ics/events/{record.id}.ics" for record in site.public_records()),
        *(f"ics/programs/{p.id}.ics" for p in site.plan.programs if p.id in programs),
        *(f"feeds/programs/{p.id}.{kind}.xml" for p in site.plan.programs for kind in ("rss", "atom")),
    }


def check_links(site: Site, docs: Docs | None = None, direct: set[str] | None = None) -> None:
    """Staff-written links and anchors against everything the build outputs (generator/reading/links.py):
    ContentError with every broken one, and the site's warnings, before anything is written."""
    problems = broken_links(
        site, _link_view(render_docs(site) if docs is None else docs), direct_paths(site) if direct is None else direct
    )
    if problems:
        raise ContentError([*site.warnings, *problems])


def render_all(site: Site) -> dict[str, str | bytes]:
    """Every file of the generated docs folder, by path, pages whole (``as_files``). Refuses a path twice."""
    return as_files(_collect(render_docs(site), render_direct(site)))


def write_tree(files: Mapping[str, str | bytes], folder: Path) -> int:
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
    _write_docs(
        root, as_files(_collect(docs, direct)), {}, {}, [page.path for page in site.pages], render_footer(site), site.builder
    )
    return site


def _write_docs(
    root: Path,
    files: Mapping[str, str | bytes],
    pages: dict[str, str],
    bodies: dict[str, str],
    hand_written: Iterable[str] = (),
    footer: str = "",
    config: BuilderConfig | None = None,
) -> None:
    """The docs folder, theme and hook for the builder; ``hand_written``: the pages from content/pages/,
    which the hook keeps out of the nav; ``footer``: the facility's contact block of every page's footer
    (``render_footer``; without it the theme's own partial, the name only); ``config``: mkdocs.yml's settings
    as the site was loaded with them (``Site.builder``), read here only when none is given."""
    config = config or _builder_config(root)
    for path in (root / GENERATED_ROOT, root / TIMINGS):  # never written through (limits.scan reports them)
        if path.is_symlink():
            path.unlink()
    write_tree(files, root / config.docs_dir)
    theme = _files_under(THEME)
    if footer:
        theme[FOOTER_PARTIAL] = footer.encode("utf-8")
    write_tree(theme, root / config.theme_dir)
    deferred = json.dumps(
        {"pages": pages, "bodies": bodies, "hand_written": sorted(hand_written)}, ensure_ascii=False, sort_keys=True
    )
    for hook in (root / h for h in config.hooks if Path(h).name == HOOKS.name):  # ours; mkdocs.yml may list others
        _write_file(hook, HOOKS.read_bytes())
        _write_file(hook.with_name(BODIES), deferred.encode("utf-8"))


def _builder_config(root: Path) -> BuilderConfig:
    config, problems = read_builder_config(root)
    if config is None:
        raise ContentError(problems)
    return config


def _write_file(path: Path, data: bytes) -> None:
    """``data`` into ``path`` unless it holds them already; a symlink there is removed, never written through."""
    if path.is_symlink():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


def prepare_builder(root: Path, footer: str = "") -> None:
    """What the builder reads besides the pages (theme overrides with the ``footer``, the hook), for
    ``serve``, which hands every page over in memory: the docs folder is left empty."""
    _write_docs(root, {}, {}, {}, footer=footer)


def built_page(path: str) -> str:
    """The HTML file MkDocs makes from a docs page (``use_directory_urls``): ``a/b.md`` -> ``a/b/index.html``."""
    stem = path.removesuffix(".md")
    return f"{stem}.html" if stem == "index" or stem.endswith("/index") else f"{stem}/index.html"


def split_bodies(docs: Docs) -> tuple[dict[str, str | bytes], dict[str, str], dict[str, str]]:
    """The files to write (hand-written pages whole), the generated pages' front matter (for the
    builder's hook to add) and their HTML by built HTML path (for the hook to give MkDocs)."""
    files: dict[str, str | bytes] = {}
    pages: dict[str, str] = {}
    bodies: dict[str, str] = {}
    for path, content in docs.items():
        if isinstance(content, Page) and not content.hand_written:
            pages[path] = front_matter(content)
            bodies[built_page(path)] = content.html.removesuffix("\n")  # as Python-Markdown ends a raw HTML block
        else:
            files[path] = document(content) if isinstance(content, Page) else content
    return files, pages, bodies


def check_bodies(bodies: dict[str, str], site_dir: Path) -> int:
    """Every generated page was built whole: its file exists and holds its HTML. Returns the number
    of pages checked. Fails if the builder lacked the hook."""
    for path, body in bodies.items():
        page = site_dir / path
        html = page.read_text(encoding="utf-8") if page.is_file() else ""
        if body not in html:
            raise BuildError(
                f"{path}: 生成したページが作られていません（mkdocs.yml の hooks: に build/mkdocs_hooks.py がありますか）"
            )
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
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--config-file",
        str(root / "mkdocs.yml"),
        "--site-dir",
        str(site_dir),
    ]
    result = subprocess.run(
        command, cwd=root, env=builder_env(today), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    problems = builder_problems(result.stdout)
    warned = any(_LOG_RECORD.match(line) for line in problems)
    if result.returncode != 0 or warned:
        raise BuildError(
            "MkDocs（HTML の道具）が次のように報告しました（警告も失敗として扱います）:\n"
            + "\n".join(problems or result.stdout.strip().splitlines())
        )


# Pagefind comes from npm (package.json, ``npm ci --omit=dev``; make site installs it): 1.6.0 cuts Japanese
# with ICU4X when it indexes, as the browser cuts the query (Intl.Segmenter). The npm wrapper runs the
# extended binary (Japanese segmentation) of this platform.
PAGEFIND = Path(__file__).resolve().parents[2] / "node_modules" / "pagefind" / "lib" / "runner" / "bin.cjs"


def run_search_indexer(site_dir: Path) -> None:
    """Pagefind over the built HTML: Japanese word segmentation, only ``data-pagefind-body`` content."""
    node = shutil.which("node")
    if node is None or not PAGEFIND.exists():
        raise BuildError(
            "検索索引を作る Pagefind が見つかりません。make site で入れるか、npm ci --omit=dev を実行してください"
            f"（{'Node.js がありません' if node is None else PAGEFIND}）"
        )
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


class _Laps:
    """Seconds per step of a build, for build/timings.json (``make bench`` reads them)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._clock = perf_counter()

    def lap(self, name: str) -> None:
        now = perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self._clock
        self._clock = now


def _write_direct(site: Site, folder: Path) -> float:
    """The calendar and feed files, and the browser editor (/admin/), into ``folder``; returns the seconds
    it took (run in a thread)."""
    start = perf_counter()
    write_tree({**render_direct(site), **admin_files(site.plans, site.plan.facility.name)}, folder)  # and /admin/
    return perf_counter() - start


def _build_into(site: Site, parts: list, staging: Path, beside: Path, today: date, laps: _Laps) -> None:
    """The builder into ``staging`` while a thread makes the calendars and feeds ``beside``; then
    those are moved in and the search index is made. ``parts``: ``split_bodies``' three, which this
    takes out of the list so that nothing holds the rendered site while Pagefind runs."""
    files, pages, bodies = parts
    parts.clear()
    _write_docs(site.root, files, pages, bodies, [page.path for page in site.pages], render_footer(site), site.builder)
    laps.lap("write")
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="calendars-and-feeds") as pool:
        direct = pool.submit(_write_direct, site, beside)
        run_builder(site.root, staging, today)
    laps.lap("builder")
    laps.seconds["direct (in parallel)"] = direct.result()  # re-raises what the thread raised
    check_bodies(bodies, staging)
    del files, pages, bodies  # the rendered site is on disk now: give the memory back before Pagefind
    forget_conversions()
    _release_memory()
    _move_in(beside, staging)
    laps.lap("fill")
    run_search_indexer(staging)
    laps.lap("search")


def _move_in(beside: Path, staging: Path) -> None:
    for folder in sorted(beside.iterdir()):
        if (staging / folder.name).exists():
            raise BuildError(f"{folder.name}/: HTML の道具が同じ名前のフォルダを作りました（生成したファイルと重なります）")
        folder.rename(staging / folder.name)


def _swap(staging: Path, out: Path) -> None:
    """``staging`` becomes ``out``; the old site is removed only once the new one is in place."""
    old = out.with_name(out.name + ".old")
    if out.exists():
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def build(root: Path, today: date, out: Path | None = None, *, recorded_until: date | None = None) -> Site:
    """Generate, build into a temporary folder, then swap it in: a failed build leaves ``site/`` as it was.

    The generated pages go to the builder as front matter, their HTML through the hook. While the
    builder runs (another process), a thread makes the calendar and feed files in a folder beside,
    on the other core; they are moved in afterwards. Seconds per step go to build/timings.json."""
    root = root.resolve()
    out = (out or root / "site").resolve()
    laps = _Laps()
    site = load_site(root, today, recorded_until=recorded_until)
    laps.lap("load")
    docs = render_docs(site)
    laps.lap("render")
    check_links(site, docs)  # before anything is written
    laps.lap("links")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=out.parent))
    beside = Path(tempfile.mkdtemp(prefix=".direct-", dir=out.parent))
    parts = list(split_bodies(docs))
    del docs
    try:
        _build_into(site, parts, staging, beside, today, laps)
        _swap(staging, out)
        laps.lap("swap")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(beside, ignore_errors=True)
    (root / TIMINGS).write_text(json.dumps(laps.seconds, indent=2) + "\n", encoding="utf-8")
    return site
