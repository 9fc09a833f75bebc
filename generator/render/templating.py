"""The one Jinja2 environment: autoescaped HTML inside Markdown files, and its filters."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from datetime import time
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from pymdownx.slugs import slugify

from generator.model.event import STATUS_LABELS, cancelled_mark
from generator.reading.markdown import render_markdown
from generator.render.page import Page
from generator.rules import contact, dates

TEMPLATES = Path(__file__).parents[1] / "templates"
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


class _KeptTemplates(FileSystemBytecodeCache):
    """Compiled templates kept between runs in Jinja's own cache folder (the system's temp folder, one per
    user; a template whose text changed is compiled again): about 0.4 s less for every build, check and
    serve. A cache that cannot be read or written costs only that time, never the build."""

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


def kept_templates() -> FileSystemBytecodeCache | None:
    try:
        return _KeptTemplates()
    except (OSError, RuntimeError):  # no temp folder of our own to write to
        return None


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=kept_templates(),
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
        cancelled_mark=cancelled_mark,
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


PAGE_OPTIONS = ("searchable", "unlisted", "image", "image_alt", "feed", "wide")  # Page fields a page template reads too


def render_page(path: str, template: str, **context) -> Page:
    """A generated page at ``path``: ``template`` (extending _page.html.j2) makes its HTML from ``context``,
    whose title, description, kind and PAGE_OPTIONS are also the page's metadata."""
    options = {name: context[name] for name in PAGE_OPTIONS if name in context}
    return Page(
        path,
        context["title"],
        context["description"],
        context["kind"],
        html=ENV.get_template(template).render(**context),
        **options,
    )


def front_matter(page: Page) -> str:
    """The page's metadata as the front matter MkDocs reads."""
    return render_template("_front_matter.md.j2", page=page)


def document(page: Page) -> str:
    """The whole page as one Markdown file: front matter, a blank line, its HTML or its wrapped Markdown."""
    content = render_template("_custom_page.md.j2", page=page) if page.hand_written else page.html
    return f"{front_matter(page)}\n{content}"


def render_months(
    listing,
    root: str,
    *,
    level: int = 2,
    prefix: str = "",
    past: bool = False,
    empty: str = "現在ご案内できる講座・イベントはありません。",
) -> Markup:
    """Events under month headings, a series once (``event_lists.by_month``); ``root`` as above."""
    macro = ENV.get_template("_events.j2").module.months  # type: ignore[attr-defined]
    return Markup(macro(listing, root, level=level, prefix=prefix, empty=empty, past=past))
