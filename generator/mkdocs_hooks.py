"""MkDocs hook (``hooks:`` in mkdocs.yml) for `python -m generator build`, which leaves its pages in
build/bodies.json instead of thousands of files in build/docs (generator/build.py explains why):

* ``on_files``: each generated page joins the site as an in-memory file, holding a marker where its
  body goes, so Python-Markdown never re-parses the page's HTML;
* ``on_post_page``: the body replaces the marker, and the page is written once, whole.

On every build it also does this:

* ``on_pre_page``: a page's date (the sitemap's ``lastmod``) is the build's date in Japan. MkDocs
  formats ``SOURCE_DATE_EPOCH`` in UTC, and the generator's epoch is midnight in Japan, so a build on
  2025-06-15 would say 2025-06-14.
* ``on_files``: the hand-written pages (content/pages/) are ``not_in_nav``. They stay out of the menu
  by design (the staff guide, say; mkdocs.yml's nav may still list one), so MkDocs' warning about
  pages missing from the nav, which fails a strict build, is for generated pages only.
* ``on_files``: a page whose front matter says ``unlisted: true`` (the staff guide, the accessibility
  record: generator/pages.py) gets ``file.unlisted``, which theme/sitemap.xml leaves out. Read from the
  source, not from ``page.meta``: ``serve`` reads the meta of the menu's pages only.

``serve`` (generator/mkdocs_preview.py) drives MkDocs in its own process and hands the same data
over in memory with ``use()`` instead of build/bodies.json, changing it as content changes.

It runs inside MkDocs and imports nothing from the generator package.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

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
    file = Path(config.config_file_path).parent / "build" / "bodies.json"
    _deferred = json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
    _build_date = build_date()
    return config


def on_pre_page(page, config, files):
    page.update_date = _build_date
    return page


def use(deferred: dict) -> None:
    """Take the pages, bodies and hand-written pages from memory (``serve``), as bodies.json would hold them."""
    global _deferred
    _deferred = deferred


def unlisted(text: str) -> bool:
    """The front matter of a page's source says ``unlisted: true``."""
    end = text.find("\n---\n", 3) if text.startswith("---\n") else -1
    return end != -1 and "\nunlisted: true\n" in text[3:end + 1]


def on_files(files, config):
    hand_written = set(_deferred.get("hand_written", []))
    for file in files:
        if file.src_uri in hand_written:
            file.inclusion = InclusionLevel.NOT_IN_NAV
    pages = [File.generated(config, path, content=text) for path, text in _deferred.get("pages", {}).items()]
    set_exclusions(pages, config)  # not_in_nav, as for files on disk
    files = Files(sorted([*files, *pages], key=file_sort_key)) if pages else files  # in the order files on disk would be
    for file in files.documentation_pages():
        file.unlisted = unlisted(file.content_string)
    return files


def on_post_page(output: str, page, config) -> str:
    body = _deferred.get("bodies", {}).get(page.file.dest_uri)
    if body is None:
        return output
    marker = _deferred["marker"]
    if output.count(marker) != 1:
        raise PluginError(f"{page.file.dest_uri}: 生成したページの本文を入れる場所が見つかりません")
    return output.replace(marker, body)
