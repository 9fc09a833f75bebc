"""The JSON Schema in schema/ is exported from the models and never stale."""

from __future__ import annotations

import functools
import json

import jsonschema
import pytest

from conftest import FIXTURES, ROOT, SITE
from generator.tools.schema import SCHEMA_DIR, SCHEMAS, render_schemas
from generator.reading.yaml_strict import load_yaml_file

schemas = functools.cache(render_schemas)  # each test reads them; rendering all takes about 0.3 s


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_exported_schema_is_up_to_date(name):
    path = ROOT / SCHEMA_DIR / name
    assert path.exists(), f"{path} がありません: python -m generator schema を実行してください"
    assert path.read_text(encoding="utf-8") == schemas()[name], (
        f"{path} is stale: run `python -m generator schema` and commit the result")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_is_valid_draft_07(name):
    schema = json.loads(schemas()[name])
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)


def plan_schema():
    return json.loads(schemas()["plan.schema.json"])


@pytest.mark.parametrize("plan", [SITE / "plan.yaml", FIXTURES / "mini" / "plan.yaml"], ids=["site", "mini"])
def test_plans_validate_against_the_schema(plan):
    doc, problems = load_yaml_file(plan, plan.parent)
    assert not problems or all(p.severity == "warning" for p in problems)
    jsonschema.validate(doc.data, plan_schema(), cls=jsonschema.Draft7Validator)


def test_schema_rejects_what_the_model_rejects():
    doc, _ = load_yaml_file(FIXTURES / "mini" / "plan.yaml", FIXTURES)
    broken = json.loads(json.dumps(doc.data))
    broken["sections"][0]["programs"][0]["purpse"] = "typo"
    broken["sections"][0]["programs"][1]["target"] = "たくさん"
    validator = jsonschema.Draft7Validator(plan_schema())
    messages = sorted(e.message for e in validator.iter_errors(broken))
    assert len(messages) == 2


def event_files():
    return sorted([*(FIXTURES / "events" / "content" / "events").rglob("*.yaml"), *(SITE / "content" / "events").rglob("*.yaml")])


@pytest.mark.parametrize("path", event_files(), ids=lambda p: p.name)
def test_event_files_validate_against_the_schema(path):
    doc, _ = load_yaml_file(path, path.parent)
    schema = json.loads(schemas()["event.schema.json"])
    jsonschema.validate(doc.data, schema, cls=jsonschema.Draft7Validator)


def test_event_schema_rejects_a_typo():
    schema = json.loads(schemas()["event.schema.json"])
    broken = {"title": "x", "program": "oyako", "date": "2025-05-10", "venue": "研修室", "strat": "10:00"}
    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))
