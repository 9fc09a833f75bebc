"""Editing help: scaffolds that pass check, the schema on every content file, the guide's examples, annotations."""

from __future__ import annotations

import functools
import json
import re
from datetime import date

import jsonschema
import pytest

from conftest import ROOT, SITE, make_root, with_newsletter_facts
from generator.cli import main
from generator.reading.load_plans import check_closed
from generator.model.errors import Problem
from generator.reading.load import load_site
from generator.reading.documents import validate_document
from generator.model.plan import Closed, Facility, PostMeta
from generator.model.event import Event, Series
from generator.tools.schema import render_schemas
from generator.reading.yaml_strict import load_yaml_file, load_yaml_text

TODAY = date(2025, 6, 1)


@functools.cache
def programs() -> list[str]:
    return [p.id for p in load_site(SITE, TODAY).plan.programs]


@pytest.fixture
def repo(tmp_path):
    return make_root(tmp_path, "site")


@pytest.mark.parametrize("command", ["new-event", "new-series"])
def test_scaffolds_pass_check_for_every_program_and_strict_asks_for_the_placeholders(repo, command, capsys):
    for program in programs():
        assert main([command, program, "2025-09-10", "--root", str(repo), "--today", "2025-06-01"]) == 0
    assert main(["check", "--root", str(repo), "--today", "2025-06-01"]) == 0
    capsys.readouterr()
    assert main(["check", "--strict", "--root", str(repo), "--today", "2025-06-01"]) == 1
    # (the fixture's own events that take applications by phone warn too while the phone is unknown: contact.py)
    warnings = [line for line in capsys.readouterr().err.splitlines() if "警告: " in line and "-20250910" in line]
    assert len(warnings) == 3 * len(programs())  # description, audience and contact of each, nothing else
    assert all("ひな形" in w or "空欄（\"\"）のまま" in w for w in warnings)
    files = sorted((repo / "content/events/2025").glob(f"*-20250910{'-series' if command == 'new-series' else ''}.yaml"))
    assert len(files) == len(programs())
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schema/event.schema.json")
    assert "# 会場:" in text or "会場:" in text


def test_a_scaffold_never_overwrites(repo, capsys):
    for _ in range(2):
        assert main(["new-event", "oyako-hiroba", "2025-09-10", "--root", str(repo), "--today", "2025-06-01"]) == 0
    assert (repo / "content/events/2025/oyako-hiroba-20250910-2.yaml").exists()


def test_unknown_program_lists_the_valid_ids(repo, capsys):
    assert main(["new-event", "oyako", "2025-09-10", "--root", str(repo), "--today", "2025-06-01"]) == 1
    assert "事業 ID 'oyako' は事業計画にありません。もしかして 'oyako-hiroba'？" in capsys.readouterr().err


def test_newsletter_scaffold(repo, capsys):
    with_newsletter_facts(repo)
    assert main(["new-newsletter", "2025-07", "--root", str(repo), "--today", "2025-06-01"]) == 0
    assert main(["check", "--root", str(repo), "--today", "2025-06-01"]) == 0
    assert main(["check", "--strict", "--root", str(repo), "--today", "2025-06-01"]) == 1  # the intro is still the placeholder
    assert main(["newsletter", "2025-07", "--root", str(repo), "--today", "2025-06-01", "--out", str(repo / "out")]) == 0


def content_files():
    return sorted(p for p in (SITE / "content").rglob("*.yaml") if p.name not in ("newsletter.yaml", "accessibility.yaml"))


@pytest.mark.parametrize("path", content_files(), ids=lambda p: p.name)
def test_the_schema_accepts_every_content_file(path):
    schema = json.loads(render_schemas()["event.schema.json"])
    doc, _ = load_yaml_file(path, SITE)
    jsonschema.validate(doc.data, schema, cls=jsonschema.Draft7Validator)


def test_vscode_maps_the_schemas():
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert mapping["./schema/event.schema.json"] == ["content/events/**/*.yaml"]
    assert mapping["./schema/plan.schema.json"] == ["plan.yaml", "plans/*.yaml"]
    for schema in mapping:
        assert (ROOT / schema).exists()


def guide_examples():
    text = (SITE / "content/pages/staff/index.md").read_text(encoding="utf-8")
    return re.findall(r"```yaml\n(.*?)```", text, re.S)


def check_guide_example(example: str, site) -> None:
    """One YAML example of the staff guide loads as what it shows, naming a real program."""
    doc, problems = load_yaml_text("guide.yaml", example)
    assert doc is not None and not problems, problems
    if "closed" in doc.data:  # plan.yaml's facility.closed
        closed = Closed.model_validate(doc.data["closed"])
        assert check_closed(closed, doc, ("closed",)) == []
        return
    if "rooms" in doc.data or "phone" in doc.data:  # plan.yaml's facility: contacts, rooms, booking, access
        facility = site.plan.facility.model_dump(by_alias=True, exclude={"rooms", "booking", "access", "phone", "email", "postal_code"})
        value = Facility.model_validate({**facility, **doc.data}, strict=False)  # hours and dates as Python objects here
        assert value.room_names, "the example shows rooms"
        return
    model = PostMeta if "categories" in doc.data else Series if "repeat" in doc.data else Event
    value, problems = validate_document(doc, model)
    assert value is not None, [p.format() for p in problems]
    if model is not PostMeta:
        assert site.program(value.program) is not None, value.program
        if not value.venue.address:  # a room of the plan, as check requires
            assert site.plan.facility.room(value.venue.name) is not None, value.venue.name


@pytest.mark.parametrize("index", range(len(guide_examples())))
def test_the_guides_yaml_examples_are_valid(index):
    check_guide_example(guide_examples()[index], load_site(SITE, TODAY))


def test_the_guide_is_published_but_not_in_the_navigation():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "/staff/**/*.md" in config and "staff/" not in config.split("nav:")[1].split("not_in_nav:")[0]


def test_problems_become_github_annotations():
    problem = Problem("content/events/2025/x.yaml", 7, 3, "開始時刻 'start' は HH:MM で\n書いてください 100%")
    assert problem.format_github() == "::error file=content/events/2025/x.yaml,line=7,col=3::開始時刻 'start' は HH:MM で%0A書いてください 100%25"
    assert Problem("plan.yaml", 5, 1, "x", "notice").format_github() == "::notice file=plan.yaml,line=5,col=1::x"


def test_annotations_are_printed_on_github_actions(repo, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    event = repo / "content/events/2025/bad.yaml"
    event.write_text("title: x\nprogram: oyako-hiroba\ndate: 2025-06-31\nvenue: 研修室\n", encoding="utf-8")
    assert main(["check", "--root", str(repo), "--today", "2025-06-01"]) == 1
    out = capsys.readouterr().out
    assert "::error file=content/events/2025/bad.yaml,line=3,col=7::'date': 存在しない日付です" in out
