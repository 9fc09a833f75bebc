"""The theme overrides that copy a Material template whole stay Material's, but for what they change."""

from __future__ import annotations

from pathlib import Path

import material

from conftest import ROOT

MATERIAL = Path(material.__file__).parent / "templates"
THEME = ROOT / "generator" / "theme"


def test_base_html_is_materials_without_autocomplete_on_the_checkboxes():
    """HTML allows autocomplete on text-like inputs only; Material puts it on its two checkboxes (the
    Nu HTML Checker's error on every page). An upgrade of Material fails here: copy base.html again."""
    ours = (THEME / "base.html").read_text(encoding="utf-8")
    header, body = ours.split("-#}\n", 1)
    assert header.startswith("{#- Material's base.html (mkdocs-material 9.8.1")
    theirs = (MATERIAL / "base.html").read_text(encoding="utf-8")
    for box in ("drawer", "search"):
        theirs = theirs.replace(f'type="checkbox" id="__{box}" autocomplete="off">', f'type="checkbox" id="__{box}">', 1)
    assert body == theirs
    assert 'type="checkbox" id="__drawer">' in body and "autocomplete" not in body


def test_toc_html_is_materials_but_for_a_title_without_its_control():
    ours = (THEME / "partials" / "toc.html").read_text(encoding="utf-8")
    theirs = (MATERIAL / "partials" / "toc.html").read_text(encoding="utf-8")
    label = theirs[theirs.index('    <label class="md-nav__title" for="__toc">'):theirs.index("    </label>\n") + len("    </label>\n")]
    assert label.replace("    <", "      <", 1).replace("\n    ", "\n      ") in ours
    assert '{% if nav and page in nav.pages %}' in ours and '<div class="md-nav__title">' in ours
    ours_rest = ours.split("-#}\n", 1)[1]
    for line in theirs.split("-#}\n", 1)[1].splitlines():
        if line.strip() and "label" not in line and "md-nav__icon" not in line and line.strip() != "{{ title }}":
            assert line.strip() in ours_rest, line
