"""``serve``'s HTML builder: MkDocs driven as a library in the serve process, kept warm between changes.

This is the only module of ``serve`` that knows MkDocs (``build`` runs MkDocs as a command,
``build.run_builder``; both hand the generated pages over through ``mkdocs_hooks.py``). Another
HTML builder for ``serve`` is another class with ``update()`` and ``close()``.

Why not ``mkdocs serve`` (measured with tests/bench/mkdocs_steps.py; BENCHMARKS.md, "serve"): it
rebuilds the whole site on every change, 1.5 s of CPU for this repository and 33 s for ten years
of events, though an event's title changes 3 to 8 pages. ``--dirty`` builds only those, but still
loads the configuration and the theme again, compiles Material's templates in a new Jinja
environment and lists every file: 0.7 s and 1.5 s. Here the configuration, the theme's Jinja
environment, the list of files and the navigation are kept, and a change rebuilds only the pages
whose generated text changed: 0.04 s and 0.03 s. When pages are added or removed, the file list,
the navigation, the sitemap and the 404 page are made again (not the other pages).

The steps are MkDocs' own (``mkdocs.commands.build``: ``_populate_page``, ``_build_page``,
``_build_theme_template``), in the order ``mkdocs build`` runs them; tests/test_serve.py checks
that pages updated one by one are byte for byte those of a full build.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's notice about MkDocs 2.0, once per process

from mkdocs.commands import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.structure.files import File, Files, set_exclusions  # noqa: E402
from mkdocs.structure.nav import get_navigation  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from generator.publish.build import BuildError, Docs, built_page, split_bodies  # noqa: E402


class _Collect(logging.Handler):
    """MkDocs' warnings and errors while it works (a strict build would fail on them)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")


class MkDocsPreview:
    """MkDocs building into ``site_dir``, page by page. ``update()`` takes the whole generated docs
    folder each time (path -> text or bytes) and the paths that changed since the last call."""

    def __init__(self, root: Path, site_dir: Path) -> None:
        self.root, self.site_dir = root, site_dir
        self.deferred: dict = {"pages": {}, "bodies": {}, "hand_written": []}
        self.other: dict[str, str | bytes] = {}  # hand-written pages, assets, images: MkDocs files in memory
        self.config: MkDocsConfig | None = None  # read on the first update

    def _start(self) -> None:
        """Configuration, hook, theme environment: once (mkdocs.yml, build/theme and build/mkdocs_hooks.py
        must exist; ``build.prepare_builder`` writes the last two)."""
        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir))
        hooks = [hook for hook in config["hooks"].values() if hasattr(hook, "use")]  # modules by path (typed as a list)
        if not hooks:
            raise BuildError("mkdocs.yml の hooks: に build/mkdocs_hooks.py がありません")
        self.hook = hooks[0]
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        self.env = config.theme.get_env()
        theme = Files([])
        theme.add_files_from_theme(self.env, config)
        self.theme_files = list(theme)
        self.config = config

    def _collect(self) -> None:
        """The file list and the navigation, as ``mkdocs build`` makes them; the pages stay unread."""
        config = self._settings
        files = Files([File.generated(config, path, content=data) for path, data in sorted(self.other.items())])
        for file in self.theme_files:
            if file.src_uri not in files.src_uris:
                files.append(file)
        files = config.plugins.on_files(files, config=config)  # the hook adds the generated pages
        set_exclusions(files, config)
        nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
        for file in files.documentation_pages():
            if file.page is None:
                Page(None, file, config)
        self.files, self.nav = files, nav
        self.env = config.plugins.on_env(self.env, config=config, files=files)

    def update(self, docs: Docs, changed: set[str], hand_written: list[str]) -> list[str]:
        """Bring ``site_dir`` up to ``docs``: ``changed`` holds the paths added or changed since the last
        call (every path, the first time); paths no longer in ``docs`` are removed. Returns MkDocs'
        warnings. Raises BuildError if MkDocs fails."""
        collect = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(collect)
        try:
            self._update(docs, changed, hand_written)
        except BuildError:
            raise
        except Exception as error:  # noqa: BLE001 - whatever MkDocs raised, staff get a sentence
            raise BuildError(
                "MkDocs（HTML の道具）が次のように報告しました:\n" + "\n".join([*collect.lines, repr(error)])
            ) from error
        finally:
            logger.removeHandler(collect)
        return collect.lines

    @property
    def _settings(self) -> MkDocsConfig:
        """The configuration, once the first update has read it (_start)."""
        assert self.config is not None, "_start() reads the configuration on the first update"
        return self.config

    def _update(self, docs: Docs, changed: set[str], hand_written: list[str]) -> None:
        first = self.config is None
        if first:
            self._start()
        self.hook.use(self.deferred)  # one hook module per root and process: it may have served another preview
        was = (set(self.deferred["pages"]), set(self.other))
        others, stubs, bodies = split_bodies({path: docs[path] for path in changed})
        self._remove((was[0] | was[1]) - set(docs), first)
        self._take(others, stubs, bodies, hand_written)
        added = first or (set(self.deferred["pages"]), set(self.other)) != was  # files added, removed or of another kind
        if added:
            self._collect()
        else:  # the same files: new content into the ones that changed
            self._refill(changed, others, stubs)
        rebuild = [file for file in map(self.files.get_file_from_path, sorted(changed)) if file and file.inclusion.is_included()]
        self._copy_files(rebuild, first)
        pages = self._populate(rebuild, added)
        if added:
            self._build_site_wide(pages)
        doc_files = self.files.documentation_pages()
        for page in pages:
            if page.file.src_uri in changed:
                mkdocs_build._build_page(page, self._settings, doc_files, self.nav, self.env)

    def _remove(self, removed: set[str], first: bool) -> None:
        """Paths no longer in the docs: their built files (and folders left empty) and what the hook holds."""
        for path in removed:
            file = None if first else self.files.get_file_from_path(path)
            if file is not None and os.path.isfile(file.abs_dest_path):
                os.remove(file.abs_dest_path)
                _remove_empty_folders(Path(file.abs_dest_path).parent, self.site_dir)
            self.deferred["pages"].pop(path, None)
            self.deferred["bodies"].pop(built_page(path), None)
            self.other.pop(path, None)

    def _take(
        self, others: dict[str, str | bytes], stubs: dict[str, str], bodies: dict[str, str], hand_written: list[str]
    ) -> None:
        """The changed docs: generated pages (stubs, bodies) to the hook, other files kept here."""
        for path in set(stubs) & set(self.other):  # a page that was hand-written is generated now, or back
            del self.other[path]
        for path in set(others) & set(self.deferred["pages"]):
            del self.deferred["pages"][path]
            self.deferred["bodies"].pop(built_page(path), None)
        self.deferred["pages"].update(stubs)
        self.deferred["bodies"].update(bodies)
        self.other.update(others)
        self.deferred["hand_written"] = sorted(hand_written)

    def _refill(self, changed: set[str], others: dict[str, str | bytes], stubs: dict[str, str]) -> None:
        """New content into the MkDocs files of the paths that changed (the list of files is the same)."""
        for path in changed:
            file = self.files.get_file_from_path(path)
            assert file is not None, f"{path}: not among the files collected before"
            content = stubs[path] if path in stubs else others[path]
            if isinstance(content, bytes):
                file.content_bytes = content
            else:
                file.content_string = content

    def _copy_files(self, rebuild: list[File], first: bool) -> None:
        """Static files into ``site_dir``: all of them the first time (into an empty folder), else those changed."""
        if first:
            shutil.rmtree(self.site_dir, ignore_errors=True)
            self.files.copy_static_files()
            return
        for file in rebuild:
            if not file.is_documentation_page():
                file.copy_file()

    def _populate(self, rebuild: list[File], added: bool) -> list[Page]:
        """The pages to build, converted: those changed, and every page in the menu when files came or went
        (their titles and meta may appear in the menu of every page)."""
        pages = [file.page for file in rebuild if file.page is not None]
        if added:
            pages += [page for page in self.nav.pages if page not in pages]
        for page in pages:
            mkdocs_build._populate_page(page, self._settings, self.files)
        return pages

    def _build_site_wide(self, pages: list[Page]) -> None:
        """The sitemap and the 404 page (the theme's templates), after files came or went."""
        config, files = self._settings, self.files
        # The sitemap needs every page's front matter (unlisted) and date (the hook's, in Japan), also of
        # those outside the menu that were not rebuilt now: as MkDocs starts a page, without converting it.
        for file in files.documentation_pages():
            if file.page is not None and file.page not in pages and file.page.markdown is None:
                config.plugins.on_pre_page(file.page, config=config, files=files)
                file.page.read_source(config)
        for template in sorted(config.theme.static_templates):
            mkdocs_build._build_theme_template(template, self.env, files, config, self.nav)

    def close(self) -> None:
        if self.config is not None:
            self.config.plugins.on_shutdown()


def _remove_empty_folders(folder: Path, top: Path) -> None:
    """``events/x/`` once ``events/x/index.html`` is gone, and its parents up to ``top`` if empty."""
    while folder != top and top in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
