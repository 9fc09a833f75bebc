"""Plain text from rendered, sanitised HTML: what feeds, meta descriptions, calendars, JSON-LD and mail carry.

Staff write Markdown; the site shows it as HTML made by ``templating.render_markdown`` (raw HTML in it
stays text). Every other output takes its text from that same HTML, never from the Markdown source, so
``[講座・イベント](../../events/)`` arrives as 講座・イベント, headings and list items stay apart, and
``<script>`` typed by staff is the text ``<script>``, escaped once more by whatever writes it out.
Entities are decoded before anything is cut, so a cut never falls inside an entity or a tag, and it
never separates a character from the marks that belong to it (combining marks, variation selectors,
joined emoji).
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import urljoin

from markupsafe import Markup

# Elements that end a line of text (everything else flows into the line it is in).
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tr",
        "ul",
    }
)
_SKIPPED = frozenset({"script", "style", "template"})  # never in sanitised staff HTML; never text if present
_WIDE = r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\U00020000-\U0003ffff]"
_SOFT_BREAK = re.compile(rf"(?<={_WIDE})[ \t\r]*\n[ \t\n\r\f]*(?={_WIDE})")  # Markdown's wrapped line inside Japanese text
ELLIPSIS = "…"


class _Text(HTMLParser):
    def __init__(self, base: str | None):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.lines: list[str] = []
        self.current: list[str] = []
        self.links: list[str | None] = []
        self.skipping = 0

    def _end_line(self) -> None:
        line = _collapse("".join(self.current))
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self._end_line()
            if tag == "li":
                self.current.append("・")
        elif tag in ("td", "th") and "".join(self.current).strip():
            self.current.append(" ")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._end_line()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in _BLOCKS:
            self._end_line()
        elif tag == "a" and self.links:
            href = self.links.pop()
            if self.base is not None and href:
                url = urljoin(self.base, href)
                if re.match(r"https?://", url) and url not in "".join(self.current):
                    self.current.append(f" {url} ")  # mail: the address on a line of its own (mailtext.wrap)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)

    def close(self) -> None:
        super().close()
        self._end_line()


_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's whitespace; not U+3000 or a no-break space, which are text


def _collapse(text: str) -> str:
    """HTML whitespace: runs become one space; a wrapped line between Japanese characters joins up."""
    return _HTML_SPACE.sub(" ", _SOFT_BREAK.sub("", text)).strip(" ")


def lines_of(html: str, *, base: str | None = None) -> list[str]:
    """The text of ``html``, one line per paragraph, heading, list item (``・`` first) or table row.
    With ``base`` (the page's URL), each link's absolute http(s) address follows its text (for mail)."""
    parser = _Text(base)
    parser.feed(str(html))
    parser.close()
    return parser.lines


def plain_text(html: str, *, base: str | None = None) -> str:
    """Lines of text (calendars, mail)."""
    return "\n".join(lines_of(html, base=base))


def cut(text: str, limit: int) -> str:
    """At most ``limit`` characters, ``…`` last when cut; never between a character and its marks."""
    if len(text) <= limit:
        return text
    end = limit - len(ELLIPSIS)
    while 0 < end < len(text) and _attached(text, end):
        end -= 1
    return text[:end].rstrip() + ELLIPSIS


def _attached(text: str, at: int) -> bool:
    """Does ``text[at]`` belong to the character before it (so no cut may fall before it)?"""
    char, before = text[at], text[at - 1]
    return (
        unicodedata.combining(char) > 0
        or unicodedata.category(char) in ("Mn", "Me", "Mc")
        or "\ufe00" <= char <= "\ufe0f"
        or "\U000e0100" <= char <= "\U000e01ef"  # variation selectors
        or "\U0001f3fb" <= char <= "\U0001f3ff"  # skin tones
        or char == "\u200d"
        or before == "\u200d"  # zero-width joiner sequences
        or ("\U0001f1e6" <= char <= "\U0001f1ff" and "\U0001f1e6" <= before <= "\U0001f1ff" and _regional_run(text, at) % 2 == 1)
    )


def _regional_run(text: str, at: int) -> int:
    """How many regional indicators (flag halves) come right before ``at``."""
    count = 0
    while at - count - 1 >= 0 and "\U0001f1e6" <= text[at - count - 1] <= "\U0001f1ff":
        count += 1
    return count


def summary(html: str | Markup, limit: int) -> str:
    """One line of plain text (feeds, meta and share descriptions, JSON-LD), cut to ``limit`` characters."""
    return cut(" ".join(lines_of(html)), limit)


def text_summary(text: str, limit: int) -> str:
    """A plain text written as such (a plan's purpose, a post's summary) as one line, cut the same way."""
    return cut(_collapse(text), limit)
