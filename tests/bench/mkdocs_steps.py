"""What a change costs in each way of previewing with MkDocs (the measurements behind serve's design).

    .venv/bin/python tests/bench/mkdocs_steps.py ROOT [--today YYYY-MM-DD] [--repeat 3]

On a copy of a site root (the repository's, or one made by ``bench.py --scales 1 --keep``), edits
one event's title and times, in CPU and wall seconds:

* load + render: ``load_site`` and ``render_docs`` warm, from scratch and with serve's caches;
* MkDocs as ``mkdocs serve`` did it: a full build of whole pages on disk, in process;
* MkDocs ``--dirty`` (what ``mkdocs serve --dirty`` does): configuration and theme loaded again,
  only changed files rebuilt;
* serve's builder (generator/publish/mkdocs_preview.py): the pages whose text changed, with MkDocs kept warm.

Medians of ``--repeat`` edits. The results are in BENCHMARKS.md ("serve").
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path
from time import perf_counter, process_time

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from generator.publish.build import check_links, direct_paths, generate, render_docs  # noqa: E402
from generator.reading.load import load_site  # noqa: E402
from generator.publish.mkdocs_preview import MkDocsPreview  # noqa: E402
from generator.render.page_cache import PageCache  # noqa: E402
from generator.publish.build import prepare_builder  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from bench import SITE_ROOT_ITEMS, bench_today, edited_event, retitle  # noqa: E402


class Clock:
    def __init__(self) -> None:
        self.wall, self.cpu = perf_counter(), process_time()

    def lap(self) -> tuple[float, float]:
        return perf_counter() - self.wall, process_time() - self.cpu


def median(laps: list[tuple[float, float]]) -> str:
    return f"{statistics.median(c for _, c in laps):.2f} s CPU, {statistics.median(w for w, _ in laps):.2f} s wall"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--today", type=date.fromisoformat, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    today = args.today or bench_today()
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    work = Path(tempfile.mkdtemp(prefix="mkdocs-steps-"))
    try:
        root = work / "root"
        root.mkdir()
        for name in SITE_ROOT_ITEMS:  # the site root only (not build/, site/, .git, .venv)
            source = args.root / name
            if source.is_dir():
                shutil.copytree(source, root / name)
            elif source.exists():
                shutil.copy2(source, root / name)
        file, _ = edited_event(root, today)
        results: dict[str, list[tuple[float, float]]] = {}

        def timed(name: str, step) -> None:
            clock = Clock()
            step()
            results.setdefault(name, []).append(clock.lap())

        # load + render, from scratch and with serve's caches
        load_cache, page_cache = {}, PageCache()
        site = load_site(root, today, cache=load_cache)
        render_docs(site, page_cache)
        for number in range(args.repeat):
            retitle(file, f"（計測{number}）")
            timed("load + render + link check, from scratch",
                  lambda: check_links(s := load_site(root, today), render_docs(s), direct_paths(s)))
            timed("load + render + link check, serve's caches",
                  lambda: check_links(s := load_site(root, today, cache=load_cache), render_docs(s, page_cache), direct_paths(s)))

        # MkDocs: whole pages on disk (what `mkdocs serve` rebuilt on each change), full and --dirty
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        generate(root, today)
        site_dir = str(work / "site")
        timed("MkDocs full build, whole pages on disk", lambda: build(load_config(config_file=str(root / "mkdocs.yml"), site_dir=site_dir)))
        for number in range(args.repeat):
            retitle(file, f"（計測d{number}）")
            generate(root, today)  # rewrites only the pages whose text changed
            timed("MkDocs --dirty: config and theme again, changed pages only",
                  lambda: build(load_config(config_file=str(root / "mkdocs.yml"), site_dir=site_dir), dirty=True))

        # serve's builder: MkDocs kept warm, the changed pages only
        prepare_builder(root)
        builder = MkDocsPreview(root, work / "preview")
        site = load_site(root, today, cache=load_cache)
        docs = render_docs(site, page_cache)
        timed("serve's builder, first (whole site)", lambda: builder.update(docs, set(docs), [p.path for p in site.pages]))
        changed_counts = []
        for number in range(args.repeat):
            retitle(file, f"（計測p{number}）")
            site = load_site(root, today, cache=load_cache)
            new = render_docs(site, page_cache)
            changed = {path for path, text in new.items() if docs.get(path) != text}
            changed_counts.append(len(changed))
            timed("serve's builder, changed pages only", lambda: builder.update(new, changed, [p.path for p in site.pages]))
            docs = new
        print(f"{args.root} ({len(docs):,} docs files; an edit changed {statistics.median(changed_counts):.0f} pages)")
        for name, laps in results.items():
            print(f"  {name}: {median(laps)}")
        builder.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
