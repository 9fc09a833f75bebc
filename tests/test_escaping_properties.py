"""Whatever staff type as a title or description comes out as text, never as markup, in every output.

Round trips (style guide, point 7): text -> a YAML file as an editor would write it -> the loaded
Site -> event page, RSS/Atom, .ics, newsletter, the report's HTML and SVG and the progress page's chart
-> parsed back by an independent parser -> the same text. The renderers are called in-process on one
throw-away site root; no MkDocs build.
"""

from __future__ import annotations

import email
import html
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from email import policy
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import icalendar
import markdown
import pytest
import vobject
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from conftest import ROOT, make_root, with_newsletter_facts
from generator.render.events import render_event_page
from generator.outputs.feeds import SUMMARY_LENGTH, render_feeds
from generator.outputs.ical import render_ical_files
from generator.reading.site import Site
from generator.reading.load import load_site
from generator.outputs.mailtext import normalise, outside_jis
from generator.outputs.newsletter import build_issue, check_characters, render_newsletter
from generator.render.plaintext import plain_text, summary
from generator.render.progress import render_progress_page
from generator.outputs.report import render_report
from generator.render.templating import ENV
from generator.reading.markdown import render_markdown
from generator.reading.yaml_strict import load_yaml_text
from generator.render.templating import document

TODAY = date(2025, 6, 1)
EVENT = "content/events/2025/escape.yaml"
WHEN = "2025年6月14日（土）10時〜11時30分"
EXAMPLES = settings(max_examples=50, deadline=None)

MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>", "</h1>", "</div>", "</script>", "<!--", "-->",
          "]]>", "<![CDATA[", "&amp;", "&lt;", "&#60;", "&", '"', "'", "\\", ";", ",", ":", "{{ title }}", "{% raw %}",
          "---", "# ", "* ", "`", "    ", "\t", "\n", "\n\n", "\u3000", "[link](javascript:alert(1))", "<https://example.com/?a=1&b=<2>>"]
# Pieces that must show on a page exactly as typed, wherever Markdown puts them (text, code, headings).
LITERAL = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>", "</h1>", "</div>", "</script>"]
# The loader lets no control character but tab and line feed into a value (test_only_tab_and_line_feed_...).
REFUSED = "\u2028\u2029\ufffe\uffff"
ANY_CHARACTER = st.characters(exclude_categories=("Cc", "Cs"), exclude_characters=REFUSED)


def texts(characters, markup=MARKUP, extra=("🎉", "𠮷", "ｶ", "①")):
    long_line = st.text(st.sampled_from(["あ", "漢", " ", "a", "9", "<", ">", "&", '"', "'", *extra]), min_size=200, max_size=500)
    piece = st.one_of(st.sampled_from([*markup, *extra]), st.text(characters, max_size=12), long_line)
    return st.lists(piece, min_size=1, max_size=8).map("".join)


titles = texts(ANY_CHARACTER).filter(str.strip)  # a blank title is an error, tested elsewhere
descriptions = texts(ANY_CHARACTER)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = with_newsletter_facts(make_root(tmp_path_factory.mktemp("escaping"), "mini"))  # a newsletter needs them
    (root / EVENT).parent.mkdir(parents=True)
    return root


@pytest.fixture(scope="module")
def mail_root(tmp_path_factory) -> Path:
    """``root`` with the facts a newsletter needs (a contact and an unsubscribe page)."""
    root = with_newsletter_facts(make_root(tmp_path_factory.mktemp("escaping-mail"), "mini"))
    (root / EVENT).parent.mkdir(parents=True)
    return root


def load_with(root: Path, title: str, description: str) -> Site:
    """One event whose title and description are written as JSON-style double-quoted YAML strings."""
    (root / EVENT).write_text(
        f"title: {json.dumps(title, ensure_ascii=False)}\nprogram: oyako\ndate: 2025-06-14\n"
        f'start: "10:00"\nend: "11:30"\nvenue: 研修室\npublished: 2025-05-20\n'
        f"description: {json.dumps(description, ensure_ascii=False)}\n", encoding="utf-8")
    site = load_site(root, TODAY)
    (record,) = site.events
    assert (record.item.title, record.item.description) == (title, description), "the text must reach the model intact"
    return site


def squeeze(text: str) -> str:
    """Whitespace as a browser shows it (Markdown also turns tabs into spaces)."""
    return " ".join(text.split())


class Elements(HTMLParser):
    """Every element with its attributes, and the text inside each open element."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.open: list[tuple[str, dict]] = []
        self.chunks: list[tuple[tuple[tuple[str, dict], ...], str]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.open.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data):
        self.chunks.append((tuple(self.open), data))

    def text_in(self, tag: str, css_class: str | None = None, outside: str | None = None) -> str:
        """The text inside ``tag`` (of ``css_class``), leaving out what is inside an element of class ``outside``."""
        def within(path, tag, css_class):
            return any(tag in (None, t) and (css_class is None or css_class in (a.get("class") or "").split()) for t, a in path)

        return "".join(data for path, data in self.chunks
                       if within(path, tag, css_class) and not (outside and within(path, None, outside)))

    @property
    def tags(self) -> set[str]:
        return {tag for tag, _ in self.elements}

    def assert_nothing_injected(self, allowed: set[str]) -> None:
        assert self.tags <= allowed, self.tags - allowed
        for tag, attrs in self.elements:
            assert not any(name.startswith("on") for name in attrs), (tag, attrs)
            assert not (attrs.get("href") or "").lower().startswith("javascript:"), (tag, attrs)
            assert tag != "script" or attrs.get("type") == "application/ld+json", (tag, attrs)


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml names a Python function (the slugifier); only the extension names are needed here."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)
MKDOCS_EXTENSIONS = [entry if isinstance(entry, str) else next(iter(entry)) for entry in
                     yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags)["markdown_extensions"]]


def as_mkdocs_would(page: str) -> tuple[dict, str]:
    """The front matter, and the body turned to HTML with the Markdown extensions of mkdocs.yml."""
    _, front, body = page.split("---\n", 2)
    return yaml.safe_load(front), markdown.markdown(body, extensions=MKDOCS_EXTENSIONS)


MARKDOWN_TAGS = {"p", "em", "strong", "code", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "br",
                 "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td"}


@pytest.fixture(scope="module")
def page_tags(root) -> set[str]:
    """The elements the event template itself uses, from an event with plain text."""
    site = load_with(root, "講座", "説明")
    _, body = as_mkdocs_would(document(render_event_page(site, site.events[0])))
    return Elements(body).tags | MARKDOWN_TAGS


@EXAMPLES
@given(title=titles, description=descriptions)
@example(title="<b>太字</b>", description="`<b>` と書くと太字です。\n\n    <b>&amp;</b>\n")  # code as typed, too
def test_event_page_shows_title_and_description_as_text(root, page_tags, title, description):
    site = load_with(root, title, description)
    front, body = as_mkdocs_would(document(render_event_page(site, site.events[0])))
    # MkDocs' theme prints the front matter title raw into <title> and meta tags: it must arrive escaped.
    assert html.unescape(front["title"]) == title
    assert not Elements(f"<title>{front['title']}</title>").tags - {"title"}
    page = Elements(body)
    page.assert_nothing_injected(page_tags)
    assert squeeze(page.text_in("h1", outside="event-description")) == squeeze(title)
    (jsonld,) = [data for path, data in page.chunks if path and path[-1][0] == "script"]
    assert json.loads(jsonld)["name"] == title
    shown = page.text_in("div", "event-description")
    for piece in LITERAL:
        if piece in description:
            assert piece in shown, f"{piece!r} is not shown as typed: {shown!r}"


@EXAMPLES
@given(title=titles, description=descriptions)
def test_feeds_are_well_formed_and_carry_the_title_as_text(root, title, description):
    site = load_with(root, title, description)
    expected = f"{title}（{WHEN}）".strip()
    # A feed carries the text the page shows (the rendered Markdown's), cut to its length.
    shown = summary(render_markdown(description), SUMMARY_LENGTH) if description.strip() else ""
    feeds = render_feeds(site)
    for name in ("feeds/rss.xml", "feeds/atom.xml", "feeds/programs/oyako.rss.xml", "feeds/programs/oyako.atom.xml"):
        data = feeds[name]
        assert b"<script" not in data and b"<img" not in data and b"<b>" not in data, name
        tree = ET.fromstring(data)  # well-formed XML, whatever the text holds
        if name.endswith("rss.xml"):
            (item,) = tree.iter("item")
            assert item.findtext("title") == expected
            assert html.unescape(item.findtext("description")).endswith(shown)  # read as HTML: escaped once more
        else:
            (entry,) = tree.iter("{http://www.w3.org/2005/Atom}entry")
            assert entry.findtext("{http://www.w3.org/2005/Atom}title") == expected
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        if name.endswith("atom.xml"):
            # Atom says type="text": a reader shows exactly the title. An RSS 2.0 title has no type, and
            # feedparser (like many readers) treats one that looks like HTML as HTML: the XML above is
            # what RSS promises, so RSS is checked there.
            assert squeeze(parsed.entries[0].title) == squeeze(expected)
            assert parsed.entries[0].summary_detail.type == "text/plain" and parsed.entries[0].summary.endswith(shown)


@EXAMPLES
@given(title=titles, description=descriptions)
def test_ics_is_folded_escaped_and_round_trips_through_two_parsers(root, title, description):
    site = load_with(root, title, description)
    data = render_ical_files(site)["ics/events/escape.ics"]
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"") and b"\r" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a character
    calendar = icalendar.Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == title
    assert plain_text(render_markdown(description)) in str(event["description"])  # the text the page shows
    second = vobject.readOne(data.decode("utf-8"))  # also reads NAME and X-WR-CALNAME as TEXT (icalendar does not)
    assert second.vevent.summary.value == title
    assert second.contents["name"][0].value == second.contents["x-wr-calname"][0].value == f"{title}（テスト施設）"


@EXAMPLES
@given(title=titles, description=descriptions)
def test_newsletter_text_html_and_eml_carry_the_title_as_text(mail_root, title, description):
    site = load_with(mail_root, title, description)
    files = render_newsletter(site, 2025, 6)  # the mail is UTF-8: every character a title may hold is sent
    text, page = files["2025-06.txt"].decode("utf-8"), files["2025-06.html"].decode("utf-8")
    assert "".join(normalise(title).split()) in "".join(text.split())  # wrapping only moves whitespace
    parsed = Elements(page)
    parsed.assert_nothing_injected({"html", "head", "meta", "title", "body", "h1", "h2", "p", "br", "a", "hr", "div"})
    assert f"◆{title}" in "".join(data for _, data in parsed.chunks)
    message = email.message_from_bytes(files["2025-06.eml"], policy=policy.default)
    plain, rich = message.iter_parts()
    assert plain.get_content() == text and rich.get_content() == page


@pytest.fixture(scope="module")
def plan_root(tmp_path_factory) -> Path:
    return make_root(tmp_path_factory.mktemp("escaping-plan"), "mini")


def load_with_program_name(root: Path, name: str) -> Site:
    """The mini plan with its first program (oyako, a target of 10) renamed to ``name``."""
    plan = (ROOT / "tests/fixtures/mini/plan.yaml").read_text(encoding="utf-8")
    plan, count = re.subn(r"^(      - id: oyako\n        name: ).*$", lambda m: m.group(1) + json.dumps(name, ensure_ascii=False), plan, flags=re.M)
    assert count == 1
    (root / "plan.yaml").write_text(plan, encoding="utf-8")
    site = load_site(root, TODAY)
    assert site.program("oyako").name == name, "the text must reach the model intact"
    return site


SVG = "{http://www.w3.org/2000/svg}"
REPORT_TAGS = {"html", "head", "meta", "title", "body", "h1", "h2", "p", "figure", "figcaption", "table", "caption",
               "thead", "tbody", "tr", "th", "td", "svg", "desc", "text", "rect"}


@EXAMPLES
@given(name=titles)
@example(name="<script>alert('x')</script> & \"引用\" <!-- 🎉 𠮷")
def test_report_html_svg_and_the_progress_chart_carry_a_program_name_as_text(plan_root, name):
    site = load_with_program_name(plan_root, name)
    files = render_report(site, 2025)
    page = Elements(files["report-2025.html"].decode("utf-8"))
    page.assert_nothing_injected(REPORT_TAGS)
    assert name in page.text_in("th") and name in page.text_in("desc")
    chart_page = render_progress_page(site)["progress.md"].html
    charts = [files["report-2025.svg"].decode("utf-8"), chart_page[chart_page.index("<svg"):chart_page.index("</svg>") + 6]]
    for svg in charts:
        tree = ET.fromstring(svg)  # well-formed XML, whatever the name holds
        assert {element.tag.removeprefix(SVG) for element in tree.iter()} == {"svg", "title", "desc", "text", "rect"}
        assert tree.find(f"{SVG}desc").text.startswith(f"{name}: 実施 0回 / 目標 10回。")
        shown = name if len(name) <= 24 else name[:23] + "…"  # a bar's name is cut to 24 characters
        assert shown in [element.text for element in tree.iter(f"{SVG}text")]


JSONLD = ENV.from_string('<script type="application/ld+json">\n{{ data | tojson }}\n</script>\n')  # as event.md.j2 prints it


@settings(max_examples=200, deadline=None)
@given(text=texts(st.characters(exclude_categories=("Cs",)), markup=[*MARKUP, "</SCRIPT ", "</script\t", "\u2028", "\u2029"]))
def test_json_ld_stays_inside_its_script_element_and_round_trips(text):
    """``tojson`` writes < > & ' as \\u escapes, so nothing in the data can end the script element or open a
    comment in it. U+2028 and U+2029 may stay as they are: application/ld+json is read as JSON, which allows
    them (it is never run as a script), and the loader refuses them in any case."""
    data = {"@type": "Event", "name": text, "description": text, "location": {"name": text}}
    out = JSONLD.render(data=data)
    inside = out.removeprefix('<script type="application/ld+json">\n').removesuffix("\n</script>\n")
    assert not set("<>&'") & set(inside)
    page = Elements(out)
    assert [tag for tag, _ in page.elements] == ["script"]
    (chunk,) = [data for path, data in page.chunks if path and path[-1][0] == "script"]
    assert json.loads(chunk) == data


@settings(max_examples=30, deadline=None)
@given(title=titles)
def test_a_title_outside_jis_is_noted_with_its_file_and_line(mail_root, title):
    assume(outside_jis(title))
    site = load_with(mail_root, title, "")
    notes = check_characters(build_issue(site, 2025, 6), site)
    assert notes and all(p.severity == "notice" and p.path == EVENT and p.line == 1 for p in notes)
    render_newsletter(site, 2025, 6)  # and it is still sent


@pytest.mark.parametrize("code", [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, 0xD800, 0xFFFE, 0xFFFF],
                         ids=lambda code: f"U+{code:04X}")
def test_only_tab_and_line_feed_of_the_control_characters_reach_a_value(code):
    """Even written as an escape (``"\\x01"``), a control character is refused at the value that holds it."""
    _, problems = load_yaml_text(EVENT, f'title: 講座\ndescription: "説明\\u{code:04x}"\n')
    if chr(code) in "\t\n":
        assert problems == []
    else:
        assert [p.format() for p in problems] == [f"{EVENT}:2:14: 使えない制御文字（U+{code:04X}）が含まれています。削除してください"]
