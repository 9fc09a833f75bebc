"""The browser editor's configuration (/admin/, generator/outputs/admin.py): made from the models and the plans,
valid for the editor, and what the editor writes passes the strict loader and the models.
The editor itself in Chromium: tests/browser/test_admin.py."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, SITE, make_root
from generator.outputs import admin
from generator.model.errors import ContentError
from generator.reading.load import load_site
from generator.reading.load_plans import load_plans
from generator.model.plan import AUTHOR_ROLES, NewsletterMeta, PostMeta
from generator.model.event import AUDIENCE_GROUPS, Event, Series

NODE = shutil.which("node")
WRITER = ROOT / "tests" / "tools" / "cms_yaml.mjs"
BUNDLE = admin.PACKAGE / "dist" / "sveltia-cms.js"
needs_npm = pytest.mark.skipif(NODE is None or not BUNDLE.is_file() or not (ROOT / "node_modules" / "yaml").is_dir(),
                               reason="npm の道具がありません（make test が npm ci で入れます）")


@pytest.fixture(scope="module")
def plans():
    found, problems = load_plans(SITE)
    assert not [p for p in problems if p.severity == "error"]
    return found


@pytest.fixture(scope="module")
def config(plans):
    return admin.render_config_data(plans)


def collection(config, name):
    return next(c for c in config["collections"] if c["name"] == name)


def field(fields, name):
    return next(f for f in fields if f["name"] == name)


@needs_npm
def test_the_config_is_valid_for_the_editor(plans):
    """Against the JSON Schema the editor's npm package ships for its configuration."""
    import yaml

    schema = json.loads((admin.PACKAGE / "schema" / "sveltia-cms.json").read_text(encoding="utf-8"))
    data = yaml.safe_load(admin.render_config(plans))
    data.update(yaml.safe_load(admin.render_backend("owner/site")))
    errors = sorted(e.message for e in jsonschema.Draft7Validator(schema).iter_errors(data))
    assert errors == []


def model_fields(model) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()}


@pytest.mark.parametrize("name, model", [("events-2025", Event), ("series-2025", Series), ("news", PostMeta),
                                         ("blog", PostMeta), ("newsletters", NewsletterMeta)])
def test_every_field_of_the_model_is_in_the_form(config, name, model):
    """A field added to a model appears in the form (and needs a label in admin.LABELS), so the editor
    never drops what a file holds; the file name is the ID, so ``id`` is left to the file."""
    fields = collection(config, name)["fields"]
    names = {f["name"] for f in fields} - {"body"}
    assert names == model_fields(model) - admin.HIDDEN
    for f in fields:
        assert f["label"] and f.get("hint"), f["name"]


def test_required_patterns_choices_and_help_come_from_the_models(config, plans):
    plan = next(p for p in plans if p.fiscal_year == 2025)
    events = collection(config, "events-2025")
    fields = events["fields"]
    assert events["folder"] == "content/events/2025"
    required = {f["name"] for f in fields if f["required"]}
    assert required == {"title", "date", "venue", "program"}  # the model's, and program: the form is for the corner's own events
    assert field(fields, "title")["hint"] == Event.model_fields["title"].description
    assert [o["value"] for o in field(fields, "program")["options"]] == [p.id for p in plan.programs]
    assert field(fields, "venue")["options"] == plan.facility.room_names
    assert field(fields, "audience_groups")["options"] == list(AUDIENCE_GROUPS)
    assert [o["value"] for o in field(fields, "status")["options"]] == ["scheduled", "cancelled", "postponed", "full"]
    assert field(fields, "status")["options"][1] == {"label": "中止", "value": "cancelled"}
    date_field = field(fields, "date")
    assert (date_field["widget"], date_field["format"], date_field["min"], date_field["max"]) == ("datetime", "YYYY-MM-DD", "2025-04-01", "2026-03-31")
    start = field(fields, "start")
    assert (start["widget"], start["date_format"], start["format"]) == ("datetime", False, "HH:mm")
    application = field(fields, "application")
    assert field(application["fields"], "method")["options"] == ["電話", "メール", "窓口", "申込フォーム", "はがき"]
    assert field(field(fields, "image")["fields"], "alt")["required"] is True  # an image needs its description
    cohost = field(field(fields, "cohosts")["fields"], "role")
    assert cohost["options"] == ["共催", "後援", "協力"]
    series = collection(config, "series-2025")
    repeat = field(series["fields"], "repeat")["fields"]
    assert field(repeat, "from")["min"] == "2025-04-01" and field(repeat, "weekly")["options"] == list("月火水木金土日")
    news = collection(config, "news")
    assert field(news["fields"], "author")["options"] == list(AUTHOR_ROLES)
    assert field(news["fields"], "program")["widget"] == "select"
    assert config["output"]["yaml"]["quote"] == "double" and config["output"]["omit_empty_optional_fields"] is True
    assert config["publish_mode"] == "editorial_workflow" and config["media_folder"] == "content/images"


def test_a_year_gets_its_own_collections_with_its_own_programs(plans):
    """The fiscal-year folder: one collection per year of plan, its dates within that year."""
    older = plans[0].model_copy(update={"fiscal_year": 2024, "sections": plans[0].sections[:1]})
    config = admin.render_config_data([*plans, older])
    names = [c["name"] for c in config["collections"]]
    assert names == ["events-2025", "series-2025", "events-2024", "series-2024", "news", "blog", "newsletters"]
    events_2024 = collection(config, "events-2024")
    assert events_2024["folder"] == "content/events/2024"
    assert field(events_2024["fields"], "date")["max"] == "2025-03-31"
    assert len(field(events_2024["fields"], "program")["options"]) == len(older.programs) < len(plans[0].programs)


def test_the_page_has_its_own_policy_first_and_no_inline_script_but_the_import_map():
    page = admin.render_index()
    head = page.split("<head>", 1)[1]
    assert head.lstrip().startswith('<meta http-equiv="Content-Security-Policy"')
    import_map = re.search(r'<script type="importmap">(.*?)</script>', page, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(import_map.encode()).digest()).decode()
    policy = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1))
    assert f"script-src 'self' 'sha256-{digest}';" in policy
    assert set(re.findall(r"https?://[^\s;]+", policy)) == {"https://api.github.com"}  # the Git host's API, no other host
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert [attrs for attrs, body in scripts if body.strip()] == [' type="importmap"']
    assert "style=" not in page and "<style" not in page and " on" not in re.sub(r"<script.*?</script>", "", page, flags=re.S).split("<body>")[1]
    assert "unpkg" not in page.replace(import_map, "") and "cdn" not in page.lower()


@needs_npm
def test_the_bundle_is_the_pinned_npm_package():
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/@sveltia/cms"]
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["@sveltia/cms"] == pinned["version"] == admin.package_version()
    assert not pinned.get("dev")  # make site installs runtime packages only (npm ci --omit=dev)
    files = admin.vendor_files()
    assert files["sveltia-cms.js"] == BUNDLE.read_bytes()
    for url, local in admin.module_urls().items():
        assert f"vendor/{local.removeprefix('./vendor/')}" in files, url


@needs_npm
def test_the_writer_of_these_tests_is_the_editors():
    """tests/tools/cms_yaml.mjs writes with the editor's library at the editor's version and with the
    settings of the editor's own writer, copied from its bundle: this fails when a new version changes them."""
    bundle = BUNDLE.read_text(encoding="utf-8")
    assert "lineWidth:0,defaultKeyType:`PLAIN`,defaultStringType:o||a===`double`?`QUOTE_DOUBLE`" in bundle
    assert "return`${s}\\n${t}\\n${c}\\n${!a&&l?`\\n${l}\\n`:``}`" in bundle  # front matter, then a blank line and the body
    assert "yaml:`^2.9.1`" in bundle
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["yaml"] == "2.9.1"
    writer = WRITER.read_text(encoding="utf-8")
    assert 'lineWidth: 0, defaultKeyType: "PLAIN", defaultStringType: "QUOTE_DOUBLE", singleQuote: false' in writer


def write_like_the_editor(files: list[dict]) -> list[str]:
    result = subprocess.run([NODE, str(WRITER)], input=json.dumps(files, ensure_ascii=False), capture_output=True,
                            text=True, check=True, timeout=60)
    return json.loads(result.stdout)


# Values a staff member might type that are traps for YAML 1.1 readers or for YAML itself.
TRICKY = ["no", "yes", "on", "10:30", "0755", "null", "~", "true", "#科学カフェ", "第3回 #科学カフェ", "&anchor", "*alias",
          "- 項目", "key: value", "「引用」と'クォート'と\"二重\"", "  前後に空白  ", "1e3", "2025-06-19"]


def filled(f: dict, index: int = 0):
    """What the form holds when a field is filled in (every kind of widget)."""
    widget = f["widget"]
    if widget == "datetime":
        if f.get("date_format") is False:
            return "09:05"
        return f.get("min") or "2025-06-19"
    if widget == "select":
        values = [o["value"] if isinstance(o, dict) else o for o in f["options"]]
        return values if f.get("multiple") else values[index % len(values)]
    if widget == "boolean":
        return True
    if widget == "number":
        return max(f.get("min", 1), 1)
    if widget == "text":
        return "一行目 no\n\n- 二行目: yes\n  #見出しではない\n最後の行 10:30"
    if widget == "object":
        return {sub["name"]: filled(sub, index) for sub in f["fields"]}
    if widget == "list":
        if "field" not in f and "fields" not in f:
            return [TRICKY[index % len(TRICKY)]]
        if "field" in f:
            return [filled(f["field"])]
        return [{sub["name"]: filled(sub, index) for sub in f["fields"]}]
    if widget == "image":
        return "kouza.png"
    return TRICKY[index % len(TRICKY)]


def consistent(data: dict, kind: str) -> dict:
    """The few rules between fields that the form cannot express (check reports them; they are not
    about writing YAML): one of program/organizer, times and dates in order."""
    data.pop("organizer", None)
    if kind in ("event", "series"):
        data.update(start="09:05", end="10:30", status="full", internal=False, fee="500", venue="研修室A",
                    updated="2025-06-19", published="2025-04-01")
        data["application"].update(required=True, method=["窓口"], url="https://example.jp/form", opens="2025-03-20",
                                   deadline="2025-04-01")
    if kind == "event":
        data.update(date="2025-04-01", end_date="2025-04-02", participants=3)
    if kind == "series":
        data["repeat"].update(weekly=["水"], monthly=[], until="2025-07-31", skip=["2025-04-09"], add=["2025-04-05"],
                              move=[{"from": "2025-04-16", "to": "2025-04-17", "start": "09:05", "end": "10:30"}])
        data["sessions"] = [{"date": "2025-04-02", "status": "full", "status_reason": "定員に達したため", "participants": 4}]
    if kind == "post":
        data.update(date="2025-06-01", updated="2025-06-02", program="oyako-hiroba")
    if kind == "newsletter":
        data.update(sent="2025-06-01", issued="2025-06-01")
    return data


def required_only(fields: list[dict], index: int = 0) -> dict:
    """The form with only the required fields filled (empty optional fields are left out of the file)."""
    return {f["name"]: filled(f, index) if f["widget"] != "object" else required_only(f["fields"], index)
            for f in fields if f["required"] and f["name"] != "body"}


KINDS = (("events-2025", "event", "content/events/2025", "yaml"), ("series-2025", "series", "content/events/2025", "yaml"),
         ("news", "post", "content/news", "frontmatter"), ("blog", "post", "content/blog", "frontmatter"),
         ("newsletters", "newsletter", "content/newsletters", "frontmatter"))


@needs_npm
def test_what_the_editor_writes_passes_the_strict_loader(tmp_path, config):
    """Every kind of field filled (each tricky string in turn in every text field) and every optional
    field left empty, written as the editor writes, read by the strict loader and checked by the models."""
    root = make_root(tmp_path, "site")
    (root / "content" / "images").mkdir(exist_ok=True)
    shutil.copy(ROOT / "generator" / "assets" / "og-default.png", root / "content" / "images" / "kouza.png")
    files, paths = [], []
    for index in range(len(TRICKY)):
        for name, kind, folder, fmt in KINDS:
            fields = collection(config, name)["fields"]
            full = consistent({f["name"]: filled(f, index) for f in fields if f["name"] != "body"}, kind)
            empty = required_only(fields, index)
            if kind == "series":
                empty["repeat"].update(weekly=["水"], until="2025-05-31")
            for variant, data in (("full", full), ("empty", empty)):
                stem = f"cms-{kind}-{variant}-{index}"
                if kind == "newsletter":
                    stem = f"{2030 + index}-{1 if variant == 'full' else 2:02d}"
                elif kind == "post":
                    stem = f"2025-06-01-{stem}"
                body = f"本文です。{TRICKY[index]}\n\n![教室の様子](/images/kouza.png)" if fmt == "frontmatter" else None
                files.append({"format": fmt, "data": data, "body": body})
                paths.append(f"{folder}/{stem}.{'yaml' if fmt == 'yaml' else 'md'}")
    for path, text in zip(paths, write_like_the_editor(files)):
        (root / path).write_text(text, encoding="utf-8")
    try:
        site = load_site(root, date(2026, 3, 31), recorded_until=date(2026, 3, 31))
    except ContentError as error:
        pytest.fail("\n".join(p.format() for p in error.problems if p.severity == "error"))
    written = set(paths)
    assert [p.format() for p in site.warnings if p.severity == "error" and p.path in written] == []
    records = {r.path: r for r in site.events}
    assert {p for p in paths if p.endswith(".yaml")} <= records.keys()
    sample = records["content/events/2025/cms-event-full-0.yaml"].item
    assert (sample.title, sample.audience, sample.start.hour, sample.fee) == ("no", "no", 9, 500)
    assert sample.description == "一行目 no\n\n- 二行目: yes\n  #見出しではない\n最後の行 10:30"
    assert sample.image.alt == "no" and sample.image.src == "kouza.png"
    titles = {r.item.title for r in site.events if r.path.startswith("content/events/2025/cms-")}
    assert set(TRICKY) <= titles  # each comes back exactly as typed
    posts = {p.path: p for p in site.posts} if hasattr(site, "posts") else {}
    assert not posts or "content/news/2025-06-01-cms-post-full-0.md" in posts


def test_the_configuration_is_pinned_by_a_golden_file(golden):
    """The editor's configuration for the fixture site's plans, committed as tests/golden/admin/config.yml and
    reviewed as a diff: a change to a model or to admin.py that changes the forms fails here until the golden
    file is updated (--update-golden). The site itself never serves a stale one: build makes /admin/config.yml
    from the plans it builds with, so a staff change to plan.yaml needs no step of its own."""
    from conftest import SITE
    from generator.outputs.admin import render_config
    from generator.reading.load_plans import load_plans

    plans, problems = load_plans(SITE)
    assert not [p for p in problems if p.severity == "error"]
    golden("admin/config.yml", render_config(plans))
