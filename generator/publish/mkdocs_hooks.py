"""MkDocs hook (``hooks:`` in mkdocs.yml) for `python -m generator build`, which leaves its pages in
build/bodies.json instead of thousands of files in build/docs (generator/publish/build.py explains why):

* ``on_files``: each generated page joins the site as an in-memory file holding only its front matter
  (its title, description and the like), so Python-Markdown never parses the page's HTML;
* ``on_page_content``: the page's HTML becomes its content, which the theme lays out as any page's.

On every build it also does this:

* ``on_pre_page``: a page's date (the sitemap's ``lastmod``) is the build's date in Japan. MkDocs
  formats ``SOURCE_DATE_EPOCH`` in UTC, and the generator's epoch is midnight in Japan, so a build on
  2025-06-15 would say 2025-06-14.
* ``on_env``: the theme's compiled templates are kept between builds in Jinja's own cache folder (as the
  generator keeps its own, generator/render/templating.py): about 0.5 s less for every build.
* ``on_files``: the hand-written pages (content/pages/) are ``not_in_nav``. They stay out of the menu
  by design (the staff guide, say; mkdocs.yml's nav may still list one), so MkDocs' warning about
  pages missing from the nav, which fails a strict build, is for generated pages only.

``serve`` (generator/publish/mkdocs_preview.py) drives MkDocs in its own process and hands the same data
over in memory with ``use()`` instead of build/bodies.json, changing it as content changes.

It runs inside MkDocs and imports nothing from the generator package.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import FileSystemBytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel, file_sort_key, set_exclusions

_deferred: dict = {}
_build_date = ""


def build_date() -> str:
    """``SOURCE_DATE_EPOCH`` (else now) as a date in Japan, as every other date of the site is written."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    tokyo = ZoneInfo("Asia/Tokyo")
    return (datetime.fromtimestamp(int(epoch), tokyo) if epoch else datetime.now(tokyo)).strftime("%Y-%m-%d")


def on_config(config):
    global _deferred, _build_date
    file = Path(__file__).with_name("bodies.json")  # the generator writes it beside this copy of the hook
    _deferred = json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
    _build_date = build_date()
    return config


class _KeptTemplates(FileSystemBytecodeCache):
    """A cache that cannot be read or written costs only the time it would have saved, never the build."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def on_env(env, config, files):
    try:
        env.bytecode_cache = _KeptTemplates()
    except (OSError, RuntimeError):  # no temp folder of our own to write to
        pass
    return env


def on_pre_page(page, config, files):
    page.update_date = _build_date
    return page


def use(deferred: dict) -> None:
    """Take the pages, bodies and hand-written pages from memory (``serve``), as bodies.json would hold them."""
    global _deferred
    _deferred = deferred


def on_files(files, config):
    hand_written = set(_deferred.get("hand_written", []))
    for file in files:
        if file.src_uri in hand_written:
            file.inclusion = InclusionLevel.NOT_IN_NAV
    pages = [File.generated(config, path, content=text) for path, text in _deferred.get("pages", {}).items()]
    if not pages:
        return files
    set_exclusions(pages, config)  # not_in_nav, as for files on disk
    return Files(sorted([*files, *pages], key=file_sort_key))  # in the order files on disk would be


def on_page_content(html: str, page, config, files) -> str:
    body = _deferred.get("bodies", {}).get(page.file.dest_uri)
    if body is None:
        return html
    if html.strip():
        raise PluginError(
            f"{page.file.dest_uri}: 生成したページに前付けのほかの本文があります（本文は build/bodies.json から入れます）"
        )
    return body
