"""A parsed YAML document to a model: the model's errors as staff messages at their lines."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from generator.model.errors import Problem, errors_of
from generator.reading.messages import problems_from
from generator.reading.yaml_strict import Document, load_yaml_file

M = TypeVar("M", bound=BaseModel)


def validate_document(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    if doc.data is None:
        return None, [Problem(doc.path, 1, 1, "ファイルが空です")]
    if not isinstance(doc.data, dict):
        return None, [Problem(doc.path, 1, 1, "ファイルの一番上は「項目: 値」の並びにしてください")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as error:
        return None, problems_from(error, doc, model)


def load_model_file(file: Path, model: type[M], root: Path) -> tuple[M | None, Document | None, list[Problem]]:
    doc, problems = load_yaml_file(file, root)
    if doc is None:
        return None, None, problems
    value, more = validate_document(doc, model)
    return (value if not errors_of(problems) else None), doc, problems + more
