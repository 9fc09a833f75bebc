"""Staff Markdown to HTML, the two ways the site converts it, each checked once under a time limit.

* ``render_markdown``: event descriptions, posts, the home text: raw HTML stays text, only web, mail
  and phone links survive.
* ``page_html``: a hand-written page, as MkDocs converts it (mkdocs.yml's extensions: reading/config.py),
  for the link check.
"""

from __future__ import annotations

import functools
import re
import signal
import threading
from collections.abc import Callable

import markdown as markdown_lib
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup
from pymdownx.slugs import slugify

from generator.model.errors import Problem
from generator.reading.config import BuilderConfig


class _WebLinksOnly(Treeprocessor):
    """Drops a link or image address with a scheme other than web, mail or phone (``javascript:``, ``data:``)."""

    def run(self, root) -> None:
        for element in root.iter():
            for name in ("href", "src"):
                address = element.get(name, "")
                if re.match(r"\s*[a-z][a-z0-9+.-]*:", address, re.I) and not re.match(r"\s*(https?|mailto|tel):", address, re.I):
                    del element.attrib[name]


class _TextOnly(Extension):
    """Raw HTML stays text, escaped once by Markdown itself (so code shows as typed, too)."""

    def extendMarkdown(self, md) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_WebLinksOnly(md), "web_links_only", 0)


_converters = threading.local()  # one Markdown converter per thread, reset between texts (making one is slow)


def render_markdown(text: str) -> Markup:
    """Staff Markdown to HTML; raw HTML in it shows as text, never as markup."""
    return Markup(_render_markdown(text))


@functools.lru_cache(maxsize=8192)  # the loader converts each text once under a time limit; renderers reuse it
def _render_markdown(text: str) -> str:
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        extensions: list[str | Extension] = [
            "tables",
            "sane_lists",
            TocExtension(slugify=slugify(case="lower"), toc_depth="2-4"),
            _TextOnly(),
        ]
        converter = _converters.markdown = markdown_lib.Markdown(extensions=extensions, output_format="html")
    return converter.reset().convert(text)


def forget_conversions() -> None:
    """Drop the remembered conversions (the build calls this before Pagefind, to give the memory back)."""
    _render_markdown.cache_clear()
    page_html.cache_clear()


# Python-Markdown takes time squared (or worse) in the size of some texts: 4,000 "[" (4 KiB) take
# 20 seconds, 8,000 headings "# h" more than a minute (SECURITY.md). No list of patterns can be
# complete, so each staff text is converted once, when it is loaded, with a limit on the clock; a
# real page of 256 KiB takes under a second.
MARKDOWN_SECONDS = 5.0


class _TooSlow(BaseException):  # not an Exception: nothing inside Python-Markdown may catch it
    pass


def markdown_too_slow(text: str, convert: Callable[[str], object] = render_markdown) -> bool:
    """Whether converting ``text`` takes more than MARKDOWN_SECONDS (then it is stopped there).

    The clock is SIGALRM, so it runs in the main thread only (``check`` and ``build``); elsewhere (the
    preview's watcher thread) the text is converted without a limit and this says False."""
    if (
        threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "setitimer")
        or signal.getitimer(signal.ITIMER_REAL)[0]
    ):  # not ours to use (another timer runs)
        convert(text)
        return False
    armed = [True]

    def expired(signum, frame):
        if armed[0]:
            raise _TooSlow

    previous = signal.signal(signal.SIGALRM, expired)
    try:
        signal.setitimer(signal.ITIMER_REAL, MARKDOWN_SECONDS)
        convert(text)
        return False
    except _TooSlow:
        _converters.markdown = None  # stopped midway: a fresh converter next time
        return True
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def markdown_problem(path: str, line: int, text: str, convert: Callable[[str], object] = render_markdown) -> Problem | None:
    """A Problem at ``path:line`` when ``text`` is too slow to convert (``markdown_too_slow``), else None."""
    if not markdown_too_slow(text, convert):
        return None
    return Problem(
        path,
        line,
        1,
        f"この Markdown は変換に {MARKDOWN_SECONDS:g} 秒以上かかるため、止めました。"
        "閉じていない [ や、同じ記号（[ ] * _ # ` < > | など）の長い繰り返し、同じ見出しの繰り返しがないかを確かめてください",
    )


@functools.lru_cache(maxsize=256)  # the loader converts each page once under a time limit (markdown_problem)
def page_html(markdown_text: str, config: BuilderConfig) -> str:
    """A hand-written page's body as MkDocs converts it with ``config``'s extensions (without MkDocs'
    link rewriting)."""
    converter = markdown_lib.Markdown(extensions=config.extension_names, extension_configs=config.extension_configs)
    return converter.convert(markdown_text)
