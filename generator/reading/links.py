"""Internal links and anchors in staff-written Markdown, checked against everything the build outputs.

Staff write Markdown in ``content/home.md``, ``content/pages/**/*.md``, ``content/news/*.md``,
``content/blog/*.md`` and ``content/newsletters/*.md``. Every link and image there that points inside
the site must reach a file the build makes, and its ``#fragment`` an id on that page; a broken one is
an error at ``file:line:col`` (front matter counted), with a did-you-mean where one is close.

Where a link leads, as the published site resolves it:

* Relative (``../programs/``) and site-absolute (``/events/``) URLs resolve against the page's own
  address: ``content/pages/a/b.md`` is ``/a/b/`` (``use_directory_urls``), ``content/pages/a/index.md``
  is ``/a/``, a post ``content/news/x.md`` is ``/news/x/``, a newsletter ``content/newsletters/2025-06.md``
  is ``/newsletters/2025-06/`` (its back number, once sent), ``content/home.md`` is ``/``. A relative
  URL that climbs above the site's top is an error (browsers would quietly stop at the top; a site
  published under a sub-folder would not).
* Hand-written pages are Markdown for MkDocs, which first reads a relative link as a path from the
  page's *file* to another docs file (``../programs/index.md``, ``../images/map.png``) and rewrites it
  to that file's URL; such links are accepted too. Any other link ending in ``.md`` stays as written
  and 404s in the browser, so it is an error with the URL to write instead. Home, posts and
  newsletters are converted by the generator (``templating.render_markdown``), which rewrites
  nothing: there a ``.md`` link is an error too.
* A target exists if the build outputs it: the docs ``render_docs`` makes (generated and hand-written
  pages, ``assets/``, ``images/``), the calendar and feed files (``ics/``, ``feeds/``; by name, see
  ``build.direct_paths``), and what MkDocs adds that a visitor may open (``404.html``, ``sitemap.xml``,
  ``sitemap.xml.gz``). ``/search/`` is the generator's own search page (``search.md``; MkDocs' search
  plugin is off); Pagefind's ``pagefind/`` files and the theme's scripts are no link targets.
  A page may be named by its folder (``events/``, or ``events``, which the server redirects) or
  its file (``events/index.html``).
* Anchors: on a generated page, the ids in its HTML (home, posts and newsletters included: their
  headings get ids from ``render_markdown``); on a hand-written page, the ids MkDocs gives it, found
  by converting it with the same Markdown extensions (mkdocs.yml's, read by reading/config.py):
  heading slugs by ``pymdownx.slugs.slugify(case="lower")``, ``{#id}``, raw HTML ids.
  ``#`` and ``#top`` (the top of any page) always exist. Fragments on other files are not checked.

External links (``http:``, ``https:``, ``mailto:``, ``tel:``, any scheme, ``//host``) are not checked.

Finding the links: a scanner gives each inline link or image ``[t](url)``, ``![alt](src)`` and each
reference definition ``[ref]: url`` its line and column, skipping fenced code and code spans. Only
those whose URL the real Markdown conversion turns into an ``href`` or ``src`` are checked, so text
that merely looks like a link (in an indented code block, say) is never reported.
"""

from __future__ import annotations

import bisect
import html
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.model.errors import Problem, suggest
from generator.reading.limits import read_text
from generator.reading.markdown import page_html, render_markdown
from generator.reading.site import Site

# Files MkDocs makes besides the pages (use_directory_urls; no search plugin).
BUILDER_FILES = ("404.html", "sitemap.xml", "sitemap.xml.gz")
TOP_OF_PAGE = ("", "top")  # fragments a browser always understands

_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)  # as load.split_front_matter reads it
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)((?:(?!\n[ \t]*\n)[\s\S])+?)(?<!`)\1(?!`)")
_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()#+\-.!<>]")
_REFERENCE = re.compile(r"^[ \t]*\[[^\[\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
_TITLE = re.compile(r"""\A(.*\S)\s+("[^"]*"|'[^']*'|\([^()]*\))\s*\Z""", re.S)  # greedy: no time squared on spaces


@dataclass(frozen=True)
class Link:
    """One link or image as written: where its URL starts in the file (1-based), the URL as typed."""

    line: int
    col: int
    url: str
    image: bool = False


@dataclass(frozen=True)
class Source:
    """A staff-written Markdown text and the page it becomes."""

    path: str  # the file, relative to the site root (for messages)
    body: str  # the Markdown after the front matter, as loaded
    docs_path: str  # the docs page it becomes: "staff/index.md", "news/x.md", "index.md"
    by_mkdocs: bool  # converted by MkDocs (hand-written pages), else by the generator

    @property
    def url(self) -> str:
        return page_url(self.docs_path)


def page_url(docs_path: str) -> str:
    """The site-relative address of a docs page: ``a/b.md`` -> ``a/b/``, ``a/index.md`` -> ``a/``, ``index.md`` -> ``""``."""
    stem = docs_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def sources(site: Site) -> list[Source]:
    """Every staff-written Markdown text of the site."""
    found = []
    if site.home_intro:
        found.append(Source("content/home.md", site.home_intro, "index.md", False))
    found += [Source(f"content/pages/{p.path}", p.body, p.path, True) for p in site.pages]
    found += [Source(p.path, p.body, f"{p.kind}/{p.slug}.md", False) for p in site.posts]
    found += [Source(n.path, n.body, f"newsletters/{n.year}-{n.month:02d}.md", False) for n in site.newsletters]
    return found


# --- finding links with their place -------------------------------------------------------------


def _blank(text: str) -> str:
    """Same length and line breaks, nothing left to find."""
    return re.sub(r"[^\n]", " ", text)


def _mask_code(text: str) -> str:
    """``text`` with fenced code blocks, code spans and backslash escapes blanked, offsets kept."""
    lines = text.split("\n")
    fence = None
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)
            lines[index] = _blank(line)
        elif fence is not None:
            closing = re.match(r" {0,3}(`{3,}|~{3,})[ \t]*$", line)
            if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
                fence = None
            lines[index] = _blank(line)
    masked = "\n".join(lines)
    masked = _CODE_SPAN.sub(lambda m: _blank(m.group()), masked)
    return _ESCAPE.sub("\x01\x01", masked)  # not brackets any more, still part of a URL


def _matching(masked: str) -> tuple[dict[int, int], dict[int, int]]:
    """Each ``]`` with the ``[`` it closes, and each ``(`` with the ``)`` that closes it, within a
    paragraph (a blank line ends one). One pass with two stacks: finding the bracket of every ``](``
    by scanning back took time squared in the length of a paragraph of ``](`` (minutes for 100 KiB)."""
    openings: dict[int, int] = {}
    closings: dict[int, int] = {}
    brackets: list[int] = []
    parens: list[int] = []
    offset = 0
    for line in masked.split("\n"):
        if not line.strip(" \t"):  # a blank line ends the paragraph
            brackets.clear()
            parens.clear()
        for match in re.finditer(r"[\[\]()]", line):
            index, char = offset + match.start(), match.group()
            if char == "[":
                brackets.append(index)
            elif char == "]":
                if brackets:
                    openings[index] = brackets.pop()
            elif char == "(":
                parens.append(index)
            elif parens:
                closings[parens.pop()] = index
        offset += len(line) + 1
    return openings, closings


def _destination(text: str, start: int, closing: int | None) -> tuple[int, int] | None:
    """Where the URL of ``(url "title")`` lies, given the ``(`` before ``start`` is closed at
    ``closing`` (None: unclosed in its paragraph)."""
    if closing is None:
        return None
    index = closing
    inner = text[start:index]
    lead = len(inner) - len(inner.lstrip())
    inner = inner.strip()
    if inner.startswith("<") and ">" in inner:
        return start + lead + 1, start + lead + inner.index(">")
    titled = _TITLE.match(inner)
    url = titled.group(1) if titled else inner
    return start + lead, start + lead + len(url)


def find_links(text: str) -> list[tuple[int, str, bool]]:
    """Each link, image and reference definition in Markdown ``text``: (offset of its URL, URL, is image)."""
    masked = _mask_code(text)
    openings, closings = _matching(masked)
    found = []
    for match in re.finditer(r"\]\(", masked):
        opening = openings.get(match.start())
        if opening is None:
            continue
        where = _destination(masked, match.end(), closings.get(match.end() - 1))
        if where is None:
            continue
        image = opening > 0 and masked[opening - 1] == "!"
        found.append((where[0], text[where[0] : where[1]], image))
    for match in _REFERENCE.finditer(masked):
        start, end = match.span(1)
        url = text[start:end]
        if url.startswith("<"):
            start, url = start + 1, url[1:-1]
        found.append((start, url, False))
    return sorted(found)


def _unescaped(url: str) -> str:
    return html.unescape(re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>])", r"\1", url)).strip()


class _Collector(HTMLParser):
    """The link targets and ids of an HTML text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: set[str] = set()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif (name == "href" and tag == "a") or (name == "src" and tag == "img"):
                self.urls.add(value.strip())


def _collect(text: str) -> _Collector:
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return collector


def links_of(source: Source, converted: str, first_line: int) -> list[Link]:
    """The links of ``source`` that its conversion really made, placed in its file."""
    made = {html.unescape(url) for url in _collect(converted).urls}
    starts = [0] + [m.end() for m in re.finditer("\n", source.body)]
    links = []
    for offset, url, image in find_links(source.body):
        url = _unescaped(url)
        if url not in made:
            continue
        line = bisect.bisect_right(starts, offset) - 1
        links.append(Link(first_line + line, offset - starts[line] + 1, url, image))
    return links


def body_line(root: Path, source: Source) -> int:
    """The line of the file where ``source.body`` begins (after the front matter)."""
    text = read_text(root, root / source.path)[0] or ""  # by the rules of limits.py, as load_site read it
    if text.endswith(source.body):
        return text[: len(text) - len(source.body)].count("\n") + 1
    match = _FRONT_MATTER.match(text)
    return text[: match.end()].count("\n") + 1 if match else 1


# --- where links lead ---------------------------------------------------------------------------


def _resolve(base: str, path: str) -> tuple[str, bool]:
    """``path`` (relative to the folder URL ``base``, or absolute) as a site-relative path, and
    whether it climbed above the top (then clamped there, as browsers do)."""
    parts = [] if path.startswith("/") else [p for p in base.split("/") if p]
    above = False
    segments = path.lstrip("/").split("/")
    for segment in segments:
        if segment in ("", "."):
            continue
        if segment == "..":
            if parts:
                parts.pop()
            else:
                above = True
        else:
            parts.append(segment)
    folder = path.endswith("/") or segments[-1] in (".", "..") or path in ("", "/")
    return "/".join(parts) + ("/" if folder and parts else ""), above


def relative_url(target: str, base: str) -> str:
    """The relative URL from the folder ``base`` to the site-relative ``target`` (both without leading /)."""
    rel = posixpath.relpath("/" + target, "/" + base)
    if target.endswith("/") or target == "":
        rel = "./" if rel == "." else rel + "/"
    return rel


@dataclass
class Outputs:
    """Everything the build outputs, and the ids of its pages (read when first asked for)."""

    docs: Mapping[str, str | bytes]
    direct: Iterable[str]
    page_ids: dict[str, set[str]] = field(default_factory=dict)  # by docs .md path: hand-written pages
    own_ids: dict[str, set[str]] = field(default_factory=dict)  # by docs .md path: ids of each staff text

    def __post_init__(self) -> None:
        self.files: dict[str, str | None] = {name: None for name in BUILDER_FILES}  # built file -> docs page
        self.files.update({name: None for name in self.direct})
        for path in self.docs:
            if path.endswith(".md"):
                self.files[page_url(path) + "index.html"] = path
            else:
                self.files[path] = None
        self._ids: dict[str, set[str]] = dict(self.page_ids)

    def file_of(self, target: str) -> str | None:
        """The output file a site-relative URL path names, or None."""
        if target == "" or target.endswith("/"):
            return target + "index.html" if target + "index.html" in self.files else None
        if target in self.files:
            return target
        return target + "/index.html" if target + "/index.html" in self.files else None

    def ids(self, file: str) -> set[str] | None:
        """The ids of an output page, or None for a file that is no page of ours (fragments unchecked)."""
        page = self.files.get(file)
        if page is None:
            return None
        if page not in self._ids:
            content = self.docs[page]
            text = content.decode("utf-8") if isinstance(content, bytes) else content
            self._ids[page] = _collect(_FRONT_MATTER.sub("", text, count=1)).ids
        return self._ids[page]

    def targets(self) -> list[str]:
        """Every site-relative URL a link may name (pages by folder), for suggestions."""
        return sorted(f.removesuffix("index.html") if f == "index.html" or f.endswith("/index.html") else f for f in self.files)


def _hint(written: str, choices: Iterable[str]) -> str:
    """``。もしかして '…'？`` for the closest choice (never a bare ``../`` or ``/``), or nothing."""
    hint = suggest(written, [c for c in choices if c != written and not re.fullmatch(r"(?:\.\./)*\.?/?", c)])
    return hint and "。" + hint


@dataclass(frozen=True)
class _ParsedLink:
    """One link of one text, parsed: its URL's path and fragment, and how messages speak of it."""

    link: Link
    source: Source
    fragment_as_written: str  # still %-encoded: suggestions keep it as the link has it
    path: str
    fragment: str

    @classmethod
    def of(cls, link: Link, source: Source) -> _ParsedLink:
        parts = urlsplit(link.url)
        return cls(link, source, parts.fragment, unquote(parts.path), unquote(parts.fragment))

    @property
    def what(self) -> str:
        return "画像" if self.link.image else "リンク先"

    @property
    def absolute(self) -> bool:
        return self.path.startswith("/")

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.source.docs_path)

    def written(self, target: str) -> str:
        """``target`` (site-relative) as this link should say it: absolute or relative as it was."""
        anchor = f"#{self.fragment_as_written}" if self.fragment_as_written and not self.link.image else ""
        return ("/" + target if self.absolute else relative_url(target, self.source.url)) + anchor


def check_link(link: Link, source: Source, outputs: Outputs) -> str | None:
    """What is wrong with one link, in Japanese, or None if it leads somewhere."""
    if not link.url or _SCHEME.match(link.url) or link.url.startswith("//"):
        return None
    parsed = _ParsedLink.of(link, source)
    file = _docs_file(parsed, outputs)
    if file is None and parsed.path.endswith(".md"):
        return _md_link_problem(parsed, outputs)
    if file is None:
        target, above = _resolve(source.url, parsed.path)
        if above:
            return _above_top_problem(parsed, target, outputs)
        file = outputs.file_of(target)
        if file is None:
            return _missing_problem(parsed, target, outputs)
    return _fragment_problem(parsed, file, outputs)


def _docs_file(parsed: _ParsedLink, outputs: Outputs) -> str | None:
    """The output file of a link to its own page, or of a relative link MkDocs rewrites (a docs file's path)."""
    if not parsed.path:
        return parsed.source.url + "index.html"
    if parsed.source.by_mkdocs and not parsed.absolute:
        uri = posixpath.normpath(posixpath.join(parsed.folder, parsed.path))
        if uri in outputs.docs:  # MkDocs rewrites it to that file's URL
            return page_url(uri) + "index.html" if uri.endswith(".md") else uri
    return None


def _md_link_problem(parsed: _ParsedLink, outputs: Outputs) -> str:
    """A link ending in ``.md`` that nothing rewrites: the URL to write instead, where one is found."""
    url, folder = parsed.link.url, parsed.folder
    target, _ = _resolve(parsed.source.url, parsed.path)
    page = next(
        (p for p in (target, posixpath.normpath(posixpath.join(folder, parsed.path.lstrip("/")))) if p in outputs.docs), None
    )
    if parsed.source.by_mkdocs and not parsed.absolute:
        hint = (
            f"。もしかして '{parsed.written(page_url(page))}'？"
            if page
            else _hint(parsed.path, (posixpath.relpath(p, folder or ".") for p in outputs.docs if p.endswith(".md")))
        )
        return (
            f"{parsed.what} '{url}' のファイルがありません（.md で書いたリンクは、このファイルの場所 "
            f"content/pages/{folder + '/' if folder else ''} から見たページのファイル名です）{hint}"
        )
    hint = f"。もしかして '{parsed.written(page_url(page))}'？" if page else ""
    where, example = (
        ("/ で始まるリンク", "/events/") if parsed.absolute else ("お知らせ・ブログ・ホーム・メールマガジン", "../events/")
    )
    return (
        f"{parsed.what} '{url}': {where}では .md のファイル名は使えません。ページの URL（例: '{example}'）で書いてください{hint}"
    )


def _above_top_problem(parsed: _ParsedLink, target: str, outputs: Outputs) -> str:
    """A relative link that climbs above the site's top."""
    hint = f"。もしかして '{parsed.written(target)}'？" if outputs.file_of(target) else ""
    return f"{parsed.what} '{parsed.link.url}' はサイトの一番上より上を指しています（'../' が多すぎます）{hint}"


def _missing_problem(parsed: _ParsedLink, target: str, outputs: Outputs) -> str:
    """A link to a file the build does not make."""
    hint = _hint(parsed.path, (parsed.written(t).split("#")[0] for t in outputs.targets()))
    advice = (
        "content/images/ に置いた画像は /images/ファイル名 で表示できます"
        if parsed.link.image
        else "サイトにあるページやファイルの URL を書いてください"
    )
    return (
        f"{parsed.what} '{parsed.link.url}' が見つかりません（このページ /{parsed.source.url} から見ると /{target} です）。"
        f"{advice}{hint}"
    )


def _fragment_problem(parsed: _ParsedLink, file: str, outputs: Outputs) -> str | None:
    """A ``#fragment`` that is no id on the page ``file`` (ids of other files are not checked)."""
    url, fragment = parsed.link.url, parsed.fragment
    if not fragment or parsed.link.image or fragment in TOP_OF_PAGE:
        return None
    ids = outputs.ids(file)
    if ids is None and not parsed.path:  # a page not published yet (a newsletter not sent): its own headings
        ids = outputs.own_ids.get(parsed.source.docs_path)
    if ids is None or fragment in ids:
        return None
    page = "このページ" if file == parsed.source.url + "index.html" else f"ページ /{file.removesuffix('index.html')} "
    hint = suggest("#" + fragment, sorted("#" + i for i in ids))
    missing = f"'{url}'" if url.startswith("#") else f"'{url}' の '#{fragment}'"
    return (
        f"{parsed.what} {missing} が{page}にありません。見出しへのリンクは、見出しの文字"
        f"（英字は小文字、空白は -）か {{#id}} で付けた id で書いてください" + (f"。{hint}" if hint else "")
    )


def images_without_alt(source: Source, first_line: int) -> list[Problem]:
    """``![](photo.jpg)``: an image needs words for those who cannot see it (WCAG 1.1.1)."""
    masked = _mask_code(source.body)
    starts = [0] + [m.end() for m in re.finditer("\n", source.body)]
    problems = []
    for match in re.finditer(r"!\[[ \t\u3000]*\]\(", masked):
        line = bisect.bisect_right(starts, match.start()) - 1
        problems.append(
            Problem(
                source.path,
                first_line + line,
                match.start() - starts[line] + 1,
                "画像に代替テキストがありません。見えない人にも伝わるよう、![写真の説明](画像) のように [ ] の中に"
                "画像の内容を書いてください",
            )
        )
    return problems


# Raw HTML in a hand-written page that the pages' Content Security Policy (theme/main.html) stops:
# it would do nothing for readers, or, were the policy ever lost, run as our site's own script.
_ACTIVE_TAGS = ("script", "style", "iframe", "frame", "object", "embed", "base", "meta", "link")
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data")


class _ActiveContent(HTMLParser):
    """What in an HTML text would be script or style: (what, regex to find it in the Markdown)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _ACTIVE_TAGS:
            self.found.append((f"<{tag}>", rf"<\s*{tag}\b"))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((f"{name}=", rf"\s{re.escape(name)}\s*="))
            elif name == "style":
                self.found.append(("style=", r"\sstyle\s*="))
            elif name in _URL_ATTRIBUTES and re.sub(r"[\x00-\x20]", "", value or "").lower().startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.found.append(("javascript:", r"(?:javascript|vbscript|data)\s*:"))


def active_html(source: Source, converted: str, first_line: int) -> list[Problem]:
    """Script, handlers, styles and embeds in the raw HTML of a hand-written page, at their line."""
    parser = _ActiveContent()
    parser.feed(converted)
    parser.close()
    masked = _mask_code(source.body)
    starts = [0] + [m.end() for m in re.finditer("\n", source.body)]
    problems = []
    for what, pattern in dict.fromkeys(parser.found):
        match = re.search(pattern, masked, re.I)
        offset = match.start() + (1 if match.group().startswith(tuple(" \t\n")) else 0) if match else 0
        line = bisect.bisect_right(starts, offset) - 1
        problems.append(
            Problem(
                source.path,
                first_line + line,
                offset - starts[line] + 1,
                f"ページに HTML の {what} は書けません。このサイトのページでは、書き込んだスクリプト・スタイル・"
                "埋め込み（他のサイトの地図や動画など）は、安全のため働きません。削除して、リンクや Markdown で書いてください",
            )
        )
    return problems


def broken_links(site: Site, docs: Mapping[str, str | bytes], direct: Iterable[str]) -> list[Problem]:
    """Every broken internal link or anchor in the staff-written Markdown of ``site``, given the docs
    the build hands the builder (``render_docs``) and the paths of the files it makes beside them."""
    texts = sources(site)
    converted = {s.path: (page_html(s.body, site.builder) if s.by_mkdocs else str(render_markdown(s.body))) for s in texts}
    own_ids = {s.docs_path: _collect(converted[s.path]).ids for s in texts}
    outputs = Outputs(docs, direct, {s.docs_path: own_ids[s.docs_path] for s in texts if s.by_mkdocs}, own_ids)
    problems = []
    for source in texts:
        problems += images_without_alt(source, body_line(site.root, source))
        if source.by_mkdocs:  # other texts show raw HTML as text (templating.render_markdown)
            problems += active_html(source, converted[source.path], body_line(site.root, source))
        for link in links_of(source, converted[source.path], body_line(site.root, source)):
            message = check_link(link, source, outputs)
            if message:
                problems.append(Problem(source.path, link.line, link.col, message))
    return problems
