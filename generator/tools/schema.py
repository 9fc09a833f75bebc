"""JSON Schema (draft-07, what VS Code's YAML extension reads) exported from the models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from generator.model.event import Event, Series
from generator.model.plan import NewsletterMeta, NewsletterSettings, PageMeta, Plan, PostMeta

SCHEMAS: dict[str, Any] = {
    "plan.schema.json": Plan,
    "page.schema.json": PageMeta,
    "post.schema.json": PostMeta,
    "newsletter.schema.json": NewsletterSettings,
    "newsletter-issue.schema.json": NewsletterMeta,
    "event.schema.json": Event | Series,  # one file is an event, or a series when it has repeat:
}
SCHEMA_DIR = Path("schema")


def _draft07(model: Any) -> dict:
    schema = TypeAdapter(model).json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", None)
    result = {"$schema": "http://json-schema.org/draft-07/schema#", **schema}
    if definitions:
        result["definitions"] = definitions
    return result


def render_schemas() -> dict[str, str]:
    return {
        name: json.dumps(_draft07(model), ensure_ascii=False, indent=2, sort_keys=True) + "\n" for name, model in SCHEMAS.items()
    }


def write_schemas(root: Path) -> list[Path]:
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written
