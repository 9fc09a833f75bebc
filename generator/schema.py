"""JSON Schema (draft-07, what VS Code's YAML extension reads) exported from the models."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .model import PageMeta, Plan

SCHEMAS: dict[str, type[BaseModel]] = {
    "plan.schema.json": Plan,
    "page.schema.json": PageMeta,
}
SCHEMA_DIR = Path("schema")


def _draft07(model: type[BaseModel]) -> dict:
    schema = model.model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", None)
    result = {"$schema": "http://json-schema.org/draft-07/schema#", **schema}
    if definitions:
        result["definitions"] = definitions
    return result


def render_schemas() -> dict[str, str]:
    return {name: json.dumps(_draft07(model), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            for name, model in SCHEMAS.items()}


def write_schemas(root: Path) -> list[Path]:
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written
