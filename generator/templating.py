"""The one Jinja2 environment: autoescaped HTML inside Markdown files, and its filters."""

from __future__ import annotations

import functools
import html
import re
import signal
import threading
from datetime import time
from pathlib import Path
from typing import Callable

import markdown as markdown_lib
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup
from pymdownx.slugs import slugify

from . import contact, dates
from .errors import Problem
from .model_event import STATUS_LABELS

TEMPLATES = Path(__file__).parent / "templates"
MARK_CLASSES = {"共催事業": "cohost", "後援事業": "support", "新規": "new"}


def yaml_str(value: str) -> str:
    """A YAML double-quoted scalar holding ``value`` HTML-escaped.

    MkDocs' theme templates print page titles without escaping, so the title is
    escaped here, once, for every place it appears (``<title>``, meta tags).
    """
    escaped = html.escape(value, quote=True)
    escaped = escaped.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", escaped)
    return Markup(f'"{escaped}"')


def slug(text: str) -> str:
    """URL-safe name for Japanese text (categories): the same rule as heading anchors."""
    return slugify(case="lower")(text, "-")


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
        extensions = ["tables", "sane_lists", TocExtension(slugify=slugify(case="lower"), toc_depth="2-4"), _TextOnly()]
        converter = _converters.markdown = markdown_lib.Markdown(extensions=extensions, output_format="html")
    return converter.reset().convert(text)


def forget_conversions() -> None:
    """Drop the remembered conversions (the build calls this before Pagefind, to give the memory back)."""
    _render_markdown.cache_clear()
    from .links import page_html  # links.py imports this module

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
    if (threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer")
            or signal.getitimer(signal.ITIMER_REAL)[0]):  # not ours to use (another timer runs)
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
    return Problem(path, line, 1, f"この Markdown は変換に {MARKDOWN_SECONDS:g} 秒以上かかるため、止めました。"
                   "閉じていない [ や、同じ記号（[ ] * _ # ` < > | など）の長い繰り返し、同じ見出しの繰り返しがないかを確かめてください")


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def format_fee(fee: int | str) -> str:
    if isinstance(fee, str):
        return fee
    return "無料" if fee == 0 else f"{fee:,}円"


def _span(occ, year: bool = True) -> Markup:
    """An occurrence's dates and times, each kept on one line (``_macros.j2: pieces``)."""
    return macro("_macros.j2", "pieces")(dates.span_pieces(occ.date, occ.end_date, occ.start, occ.end, year=year))


def _time_range(start: time, end: time | None) -> Markup:
    return macro("_macros.j2", "pieces")(dates.time_range_pieces(start, end))


def _fy_range(year: int) -> str:
    first, last = dates.fiscal_year_range(year)
    return f"{dates.format_date(first)}〜{dates.format_date(last)}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # JSON-LD goes through ``tojson``, which escapes < > & ' (nothing can end the script element);
    # Japanese text stays readable in the page source.
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False, "indent": 1}
    env.filters.update(
        yaml_str=yaml_str,
        markdown=render_markdown,
        fiscal_year=dates.format_fiscal_year,
        fy_range=_fy_range,
        nendo=dates.format_nendo,
        jdate=dates.format_date,
        jtime=dates.format_time,
        time_range=_time_range,
        iso=dates.iso,
        hhmm=_hhmm,
        mark_class=MARK_CLASSES.get,
        status_label=STATUS_LABELS.get,
        fee=format_fee,
        span=_span,
        weekday_label=dates.weekday_label,
        slug=slug,
        tel=contact.tel_href,
        apply_ways=contact.ways,
    )
    return env


ENV = _environment()


def _escape_as_html_module(value):
    """Autoescape as ``html.escape`` writes it: quotes as ``&quot;`` and ``&#x27;`` (Jinja's own escape writes
    ``&#34;`` and ``&#39;``); markup (a macro's output, ``Markup``) passes unchanged."""
    return value if hasattr(value, "__html__") else Markup(html.escape(str(value)))


# The same environment for the files that are documents of their own or pieces of one: the newsletter's
# mail HTML and the lines of its back numbers, the report's HTML, the SVG charts, the preview's pages.
# They were written with ``html.escape`` before they were templates, and every byte of them stays as
# it was. (A constant in ``{{ }}`` is escaped when the template is compiled, by Jinja's escape: write
# constants as template text.)
DOCUMENT_ENV = ENV.overlay(finalize=_escape_as_html_module)


def render_template(name: str, **context) -> str:
    return ENV.get_template(name).render(**context)


def render_document(name: str, **context) -> str:
    """A template of DOCUMENT_ENV, rendered."""
    return DOCUMENT_ENV.get_template(name).render(**context)


@functools.cache
def macro(template: str, name: str, env: Environment = ENV) -> Callable[..., Markup]:
    """A template's macro, to call from Python (it returns Markup); looked up once."""
    return getattr(env.get_template(template).module, name)


def render_months(listing, root: str, *, level: int = 2, prefix: str = "", past: bool = False,
                  empty: str = "現在ご案内できる講座・イベントはありません。") -> Markup:
    """Events under month headings, a series once (``event_lists.by_month``); ``root`` as above."""
    macro = ENV.get_template("_events.j2").module.months  # type: ignore[attr-defined]
    return Markup(macro(listing, root, level=level, prefix=prefix, empty=empty, past=past))
