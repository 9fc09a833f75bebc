"""Markup comes from templates only (issue 15, point 3), and the files it makes stay byte for byte.

The golden files here pin every HTML and SVG output that was written by hand in Python before it
moved into templates: the newsletter's mail HTML (every section, links in the introduction), the
back-number page, the report's HTML and SVG, the progress page's chart and the preview's error page,
all from a site whose titles, names and links hold ``<script>``, ``&``, both quotes, ``<!--``, emoji
and 𠮷 (so the escaping itself is pinned, not only the layout).
"""

from __future__ import annotations

import ast
import html
import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from conftest import make_root, with_newsletter_facts
from generator.reading.load import load_site
from generator.outputs.newsletter import render_archive_pages, render_newsletter
from generator.render.progress import render_progress_page
from generator.render.templating import document
from generator.outputs.report import render_report
from generator.publish.serve import reload_tag, status_page
from generator.render.templating import DOCUMENT_ENV

HOSTILE = "<script>alert('x')</script> & \"引用\" <!-- 🎉 𠮷"
TODAY = date(2025, 6, 30)


def _yaml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory):
    """The events fixture (a program named with markup, a title with & and quotes) and, in June 2025, an
    event of a program with a deadline, another institution's event, a notice and a sent issue whose
    introduction links with & and quotes, every text holding HOSTILE."""
    root = with_newsletter_facts(make_root(tmp_path_factory.mktemp("markup"), "events"))
    events = root / "content/events/2025"
    (events / "hostile.yaml").write_text(
        f"title: {_yaml(HOSTILE)}\nprogram: oyako\ndate: 2025-06-14\nstart: \"10:00\"\nend: \"11:30\"\nvenue: 研修室\n"
        f"audience: {_yaml(HOSTILE)}\napplication: {{required: true, method: [窓口], deadline: 2025-06-10}}\n"
        "published: 2025-05-20\n", encoding="utf-8")
    (events / "hostile-other.yaml").write_text(
        f"title: {_yaml(HOSTILE + ' 他機関')}\norganizer: {{name: {_yaml(HOSTILE)}}}\ndate: 2025-06-21\n"
        f"venue: {{name: {_yaml(HOSTILE)}, address: 横浜市磯子区森1-1-1}}\n", encoding="utf-8")
    (root / "content/news").mkdir(parents=True)
    (root / "content/news/2025-06-05-hostile.md").write_text(
        f"---\ntitle: {_yaml(HOSTILE)}\ndate: 2025-06-05\n---\n本文 {HOSTILE}\n", encoding="utf-8")
    (root / "content/newsletters").mkdir(parents=True)
    (root / "content/newsletters/2025-06.md").write_text(
        "---\nsent: 2025-06-01\n---\n"
        f"今月は[講座・イベント](../../events/?a=1&b='x'&c=\"y\")と[外のページ](https://example.com/?q=<1>&r=2)を。{HOSTILE}\n\n"
        "## 見出し & \"引用\"\n\n- 項目 <b>太字</b>\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile(hostile_root):
    return load_site(hostile_root, TODAY)


def test_golden_newsletter_mail_html(hostile, golden):
    files = render_newsletter(hostile, 2025, 6)
    golden("markup/newsletter-2025-06.html", files["2025-06.html"].decode("utf-8"))
    golden("markup/newsletter-2025-06.txt", files["2025-06.txt"].decode("utf-8"))


def test_golden_newsletter_back_number_page(hostile, golden):
    pages = render_archive_pages(hostile)
    golden("markup/newsletters__2025-06.md", document(pages["newsletters/2025-06.md"]))


def test_golden_report_html_and_svg(hostile, golden):
    files = render_report(hostile, 2025)
    golden("markup/report-2025.html", files["report-2025.html"].decode("utf-8"))
    golden("markup/report-2025.svg", files["report-2025.svg"].decode("utf-8"))


def test_golden_progress_page_chart(hostile, golden):
    golden("markup/progress.md", document(render_progress_page(hostile)["progress.md"]))


def test_golden_preview_pages(golden):
    page = status_page(f"タイトル {HOSTILE}", [f"段落 {HOSTILE}", "二つ目"],
                       [(f"見出し {HOSTILE}", "error", [f"content/x.yaml:1:2: {HOSTILE}", "二行目"]),
                        ("注意", "notice", ["三行目"])], f"7{HOSTILE}")
    golden("markup/serve-status.html", page + "----\n" + reload_tag(f"8{HOSTILE}"))


# --- Markup stays in templates -------------------------------------------------------------------------

GENERATOR = Path(__file__).parent.parent / "generator"
# An HTML or SVG tag, a comment or a doctype (a regex's named group "(?P<name>" is not one), and an entity.
TAG = re.compile(r"(?<!\(\?P)<(?:/?[a-zA-Z][a-zA-Z0-9-]*(?=[\s>/])|!--|!doctype)", re.I)
ENTITY = re.compile(r"&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);")
# "module.function" -> why markup or escaping by hand is right there. An entry that finds nothing fails
# the test too: remove it (or rename it when a module or function moves).
ALLOWED = {
    "pages.render_footer": "braces written as entities: the footer is Jinja source for MkDocs' theme (not HTML escaping)",
    "templating.yaml_str": "front matter for MkDocs' theme, which prints titles raw: escaped once, as a YAML string",
    "templating._escape_as_html_module": "DOCUMENT_ENV's autoescape: the one place that escapes as the html module does",
    "newsletter.absolute_links": "reads an address from the HTML Python-Markdown wrote and writes it back escaped; builds no element",
    "feeds._generator": "an RSS description is HTML as text: the plain text escaped once (feedgen escapes it again as XML)",
    "serve.Preview._with_reload": "finds </body> in a built page to put the reload script (from _serve.j2) before it",
    "limits.image_problems": "a message to staff that names <script> in an SVG image",
    "yaml_strict.<module>": "PyYAML's message text \"expected <block end>\", matched to say it in Japanese",
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


class _Markup(ast.NodeVisitor):
    """Strings with tags or entities, calls of an escape function, and Markup() of a string put together."""

    def __init__(self, module: str, docstrings: set[int]):
        self.module, self.docstrings, self.names = module, docstrings, []
        self.found: list[tuple[str, int, str]] = []

    def _add(self, node: ast.AST, what: str) -> None:
        self.found.append((f"{self.module}.{'.'.join(self.names) or '<module>'}", node.lineno, what))

    def visit_FunctionDef(self, node) -> None:
        self.names.append(node.name)
        self.generic_visit(node)
        self.names.pop()

    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and id(node) not in self.docstrings and (TAG.search(node.value) or ENTITY.search(node.value)):
            self._add(node, repr(node.value[:60]))

    def visit_Call(self, node: ast.Call) -> None:
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name == "escape" and getattr(getattr(node.func, "value", None), "id", "") != "re":  # re.escape is no markup
            self._add(node, "escape()")
        if name == "Markup" and node.args and (isinstance(node.args[0], (ast.JoinedStr, ast.BinOp, ast.Constant)) or (
                isinstance(node.args[0], ast.Call) and getattr(node.args[0].func, "attr", "") in ("join", "format", "replace"))):
            self._add(node, "Markup() of a string put together")
        self.generic_visit(node)


def markup_in_python() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(GENERATOR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        visitor = _Markup(path.stem, _docstrings(tree))
        visitor.visit(tree)
        found += visitor.found
    return found


def test_html_and_svg_are_made_by_templates_only():
    """No tag, entity or hand escaping in generator/*.py: markup lives in generator/templates/ (autoescaped)."""
    found = markup_in_python()
    outside = [f"{where}:{line}: {what}" for where, line, what in found if where not in ALLOWED]
    assert not outside, "markup or escaping in Python; move it into a template under generator/templates/:\n" + "\n".join(outside)
    unused = set(ALLOWED) - {where for where, _, _ in found}
    assert not unused, f"allowed but no longer found (remove from ALLOWED, or rename): {sorted(unused)}"


def test_the_scan_finds_markup_built_in_python(tmp_path):
    """The scan itself: an f-string tag, an entity, html.escape and Markup of a join are each found."""
    source = ("import html, re\nfrom markupsafe import Markup\n"
              "def f(x):\n    return f'<p>{html.escape(x)}</p>' + '&amp;' + Markup(''.join([x])) + re.escape(x)\n")
    tree = ast.parse(source)
    visitor = _Markup("sample", _docstrings(tree))
    visitor.visit(tree)
    assert sorted(what for _, _, what in visitor.found) == ["'&amp;'", "'</p>'", "'<p>'", "Markup() of a string put together", "escape()"]


@given(text=st.text())
@settings(max_examples=300, deadline=None)
def test_documents_escape_text_as_the_html_module_does(text):
    """DOCUMENT_ENV's autoescape writes what html.escape wrote (so the mail, report, charts and preview pages
    kept every byte when they moved into templates); markup passes unchanged."""
    template = DOCUMENT_ENV.from_string('<p title="{{ text }}">{{ text }}{{ markup }}</p>')
    assert template.render(text=text, markup=Markup("<br>")) == f'<p title="{html.escape(text)}">{html.escape(text)}<br></p>'


# --- compiled templates kept between runs -------------------------------------------------------------------

@pytest.mark.parametrize("module", ["generator.render.templating", "generator.publish.mkdocs_hooks"])
def test_compiled_templates_are_kept_and_a_broken_cache_costs_no_build(tmp_path, monkeypatch, module):
    """Both Jinja environments (ours and, through the MkDocs hook, the theme's) keep compiled templates in
    Jinja's cache folder: a second process compiles nothing. A cache folder that cannot be used is no error."""
    import importlib

    from jinja2 import DictLoader, Environment

    kept = importlib.import_module(module)._KeptTemplates
    loader = DictLoader({"page.j2": "<p>{{ title }}</p>"})
    Environment(loader=loader, bytecode_cache=kept(str(tmp_path)), autoescape=True).get_template("page.j2")
    assert list(tmp_path.iterdir()), "nothing kept"

    second = Environment(loader=loader, bytecode_cache=kept(str(tmp_path)), autoescape=True)
    monkeypatch.setattr(second, "compile", lambda *a, **k: pytest.fail("compiled again"))
    assert second.get_template("page.j2").render(title="<b>") == "<p>&lt;b&gt;</p>"

    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")  # a cache "folder" that is a file: nothing can be read or written there
    broken = Environment(loader=loader, bytecode_cache=kept(str(blocked)), autoescape=True)
    assert broken.get_template("page.j2").render(title="<b>") == "<p>&lt;b&gt;</p>"
