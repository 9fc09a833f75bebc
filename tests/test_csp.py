"""The Content Security Policy of every built page (theme/main.html), and what keeps it satisfiable:
no inline script, handler or style in any page, Material's inline scripts as files equal to Material's.
The browser tests (tests/browser) fail on any violation the policy reports."""

from __future__ import annotations

import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import material
import pytest
import yaml

from conftest import FIXTURES, ROOT, make_root
from generator.publish.build import ASSETS, build

TODAY = date(2025, 6, 1)
POLICY = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
          "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")
DATA_SCRIPTS = ("application/json", "application/ld+json")  # data: never run, and not governed by script-src


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head_first: tuple[str, dict] | None = None
        self.in_head = False
        self.policies: list[str] = []
        self.inline: list[str] = []  # what the policy would block: inline scripts, handlers, styles
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif self.in_head and self.head_first is None:
            self.head_first = (tag, attrs)
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(attrs.get("content") or "")
        if tag == "script":
            self._script = attrs
        if tag == "style":
            self.inline.append("<style>")
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                self.inline.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.inline.append(f"<{tag} {name}=javascript:…>")

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None and "src" not in self._script and data.strip():
            if (self._script.get("type") or "").lower() not in DATA_SCRIPTS:
                self.inline.append(f"<script>{data.strip()[:60]}")


def parse(file: Path) -> _Page:
    page = _Page()
    page.feed(file.read_text(encoding="utf-8"))
    page.close()
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The events fixture with hand-written pages, news and an image: every kind of page."""
    root = make_root(tmp_path_factory.mktemp("csp"), "events")
    shutil.copytree(FIXTURES / "links" / "content", root / "content", dirs_exist_ok=True)
    build(root, TODAY)
    return root / "site"


def our_pages(site: Path) -> list[Path]:
    """Every built page but the browser editor's (/admin/, its own policy: tests/test_admin.py)."""
    return [page for page in sorted(site.rglob("*.html")) if page.relative_to(site).parts[0] != "admin"]


def test_every_page_declares_the_policy_first_in_head(site):
    pages = our_pages(site)
    assert len(pages) > 30
    for file in pages:
        page = parse(file)
        assert page.policies == [POLICY], file
        assert page.head_first == ("meta", {"http-equiv": "Content-Security-Policy", "content": POLICY}), file


def test_no_page_has_inline_script_handlers_or_style(site):
    for file in our_pages(site):
        assert parse(file).inline == [], file


def test_json_ld_is_a_data_block(site):
    page = (site / "events" / "gakushu" / "index.html").read_text(encoding="utf-8")
    assert '<script type="application/ld+json">' in page


def test_the_theme_init_script_is_materials_own_with_the_scope_from_its_address():
    """A new Material version that changes its inline script fails here until assets/theme-init.js follows."""
    partial = Path(material.__file__).parent / "templates" / "partials" / "javascripts" / "base.html"
    scripts = re.findall(r"<script>(.*?)</script>", partial.read_text(encoding="utf-8"), re.S)
    assert len(scripts) == 1
    expected = scripts[0].replace('new URL("{{ config.extra.scope | d(base_url) }}",location)', 'new URL("..",document.currentScript.src)')
    assert "{{" not in expected
    ours = (ASSETS / "theme-init.js").read_text(encoding="utf-8")
    assert ours.rstrip("\n").endswith(expected) and ours.count("__md_scope=") == 1


def test_no_content_tabs_so_materials_tab_script_is_not_needed():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert not any("tabbed" in name for name in names)


def test_the_preview_keeps_the_policy_and_its_live_reload_script_is_a_file():
    """serve hands out built pages with their policy, so a page that works in the preview works when
    published: the reload script is served from the preview's own origin, not written into the page."""
    from generator.publish.serve import RELOAD_JS, RELOAD_SOURCE, reload_tag

    tag = reload_tag('1"<x>')
    assert re.fullmatch(r'<script src="[^"]+" data-version="[^"<>]*" data-wait="[^"]+"></script>\n', tag), tag
    assert f'src="{RELOAD_JS}"' in tag and "&quot;" in tag
    assert "document.currentScript" in RELOAD_SOURCE and "dataset.version" in RELOAD_SOURCE


def test_script_handlers_styles_and_embeds_in_a_hand_written_page_are_errors_at_their_line(tmp_path, capsys):
    """The policy would stop them in the browser; check tells staff before they wonder why."""
    from generator.cli import main

    root = make_root(tmp_path, "events")
    page = root / "content" / "pages" / "map.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\ntitle: 地図\n---\n\n# 地図\n\n<img src=\"x.png\" alt=\"x\" onerror=\"alert(1)\">\n\n"
                    "<div style=\"color:red\">赤</div>\n\n<script>alert(1)</script>\n\n"
                    "<iframe src=\"https://maps.example/\"></iframe>\n\n`<script>` はコードの中なら書けます\n", encoding="utf-8")
    code = main(["check", "--root", str(root), "--today", TODAY.isoformat()])
    output = capsys.readouterr().err
    assert code == 1
    for where, what in (("7:26", "onerror="), ("9:6", "style="), ("11:1", "<script>"), ("13:1", "<iframe>")):
        assert f"content/pages/map.md:{where}: ページに HTML の {what} は書けません。" in output, output
    assert output.count("ページに HTML の") == 4
