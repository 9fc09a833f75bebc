"""Pydantic's validation errors, told in Japanese at the right line."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.model.errors import Problem, clip, clip_repr, suggest
from generator.model.plan import At
from generator.reading.yaml_strict import Document


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that a location inside ``model`` points to."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        fields = {f.alias or name: f for name, f in current.model_fields.items()}
        if part not in fields:
            return None
        current = _unwrap(fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """``list[X]``, ``X | None`` and ``Annotated[X, …]`` down to ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, tuple, set) or origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


# Words staff write for an allowed value: the value they mean.
SYNONYMS = {
    "中止": "cancelled",
    "取りやめ": "cancelled",
    "canceled": "cancelled",
    "cancel": "cancelled",
    "延期": "postponed",
    "postpone": "postponed",
    "満員": "full",
    "定員に達しました": "full",
    "予定": "scheduled",
    "予定どおり": "scheduled",
    "開催": "scheduled",
}
# Keys that belong to another kind of file, with what to write instead.
MISPLACED = {
    "Series": {
        "date": "繰り返し（repeat:）の催しでは 'date' は使いません。初回の日付は repeat: の 'from' に書きます（例: repeat: {weekly: [水], from: 2025-04-09, until: 2026-03-25}）",
        "end_date": "繰り返し（repeat:）の催しでは 'end_date' は使いません。最後の回の日付は repeat: の 'until' に書きます",
        "participants": "繰り返しの催しの参加者数は、回ごとに sessions: に書きます（例: sessions: [{date: 2025-04-09, participants: 8}]）",
    },
}


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    return {f.alias or name: f for name, f in model.model_fields.items()}


def _where_it_belongs(model: type[BaseModel] | None, name: str, depth: int = 2) -> str | None:
    """The child field of ``model`` that has a key ``name`` (``deadline`` -> ``application``)."""
    if model is None or depth == 0:
        return None
    for field_name, field in _fields(model).items():
        child = _unwrap(field.annotation)
        if isinstance(child, type) and issubclass(child, BaseModel):
            if name in _fields(child):
                return field_name
            deeper = _where_it_belongs(child, name, depth - 1)
            if deeper:
                return f"{field_name}: の {deeper}"
    return None


def _unknown_key(name: str, loc: tuple, model: type[BaseModel]) -> str:
    parent = _model_at(model, loc[:-1])
    retired = getattr(parent, "retired_keys", {}) if parent else {}
    if name in retired:  # a key of an earlier form: say what replaces it
        return f"'{clip(name)}' は今は使いません。{retired[name]}"
    special = MISPLACED.get(parent.__name__ if parent else "", {}).get(name)
    if special:
        return special
    allowed = sorted(_fields(parent)) if parent else []
    hint = suggest(name, allowed)
    home = None if hint else _where_it_belongs(parent, name)
    if home:
        return f"'{clip(name)}' はこの場所には書けません。{home}: の中に書く項目です（例: {home.split(':')[0]}: {{{clip(name)}: …}}）"
    listed = f"（使える項目: {', '.join(allowed)}）" if allowed else ""
    return f"'{clip(name)}' という項目はありません。{hint}{listed}"


def _literal(label: str, error: ErrorDetails) -> str:
    value = error.get("input")
    expected = [e.strip().strip("'") for e in error["ctx"]["expected"].replace(" or ", ", ").split(",")]
    meant = SYNONYMS.get(value) if isinstance(value, str) else None
    hint = f"もしかして '{meant}'？" if meant in expected else (suggest(value, expected) if isinstance(value, str) else "")
    return f"{label} は次のいずれかにしてください: {', '.join(expected)}（値: {clip_repr(value)}）{'。' + hint if hint else ''}"


# Pydantic's error types told by a sentence about the field (``{label}``) and the value as written (``{value}``).
_ABOUT_VALUE = {
    "bool_type": "{label} は true か false で書いてください（値: {value}）",
    "int_type": "{label} は整数で書いてください（値: {value}）",
    "int_parsing": "{label} は整数で書いてください（値: {value}）",
    "int_from_float": "{label} は整数で書いてください（値: {value}）",
    "string_type": "{label} は文字列で書いてください（値: {value}）。数字や true などは引用符で囲みます",
    "model_type": "{label} は「項目: 値」の並びで書いてください（値: {value}）",
    "dict_type": "{label} は「項目: 値」の並びで書いてください（値: {value}）",
    "model_attributes_type": "{label} は「項目: 値」の並びで書いてください（値: {value}）",
}
# ... and by a sentence about the field alone.
_ABOUT_FIELD = {
    "string_too_short": "{label} が空です。内容を書いてください",
    "list_type": "{label} は「- 」で始まる行の並びで書いてください",
}
_BOUNDS = {"greater_than_equal": "以上", "less_than_equal": "以下", "greater_than": "より大きく", "less_than": "より小さく"}


def _label(loc: tuple) -> str:
    """How a message names the field at ``loc``: ``'name'``, or ``'name' の 2番目`` for an item of a list."""
    if len(loc) >= 2 and isinstance(loc[-1], int):
        return f"'{clip(str(loc[-2]))}' の {loc[-1] + 1}番目"
    return f"'{clip(str(loc[-1]) if loc else '')}'"


def _describe(error: ErrorDetails, model: type[BaseModel]) -> str:
    """One validation error in Japanese: what is wrong and what is expected."""
    loc = tuple(error["loc"])
    name = str(loc[-1]) if loc else ""
    kind, label = error["type"], _label(loc)
    if kind == "missing":
        return f"必須の項目 '{clip(name)}' がありません"
    if kind == "extra_forbidden":
        return _unknown_key(name, loc, model)
    if kind in _ABOUT_VALUE:
        return _ABOUT_VALUE[kind].format(label=label, value=clip_repr(error.get("input")))
    if kind in _ABOUT_FIELD:
        return _ABOUT_FIELD[kind].format(label=label)
    if kind == "literal_error":
        return _literal(label, error)
    if kind == "too_short":
        return f"{label} に少なくとも {error['ctx'].get('min_length', 1)} 件書いてください"
    if kind in _BOUNDS:
        return (
            f"{label} は {next(iter(error['ctx'].values()))} {_BOUNDS[kind]}にしてください（値: {clip_repr(error.get('input'))}）"
        )
    if kind == "value_error":
        message = str(error["ctx"]["error"])
        return f"{label}: {message}" if name and not isinstance(loc[-1], int) else message
    return f"{label}: {error['msg']}"


def _is_key_error(error: ErrorDetails) -> bool:
    return error["type"] == "extra_forbidden"


MAX_PROBLEMS_PER_FILE = 1000  # told one by one; 43,000 wrong keys in one file took 10 s to describe


def problems_from(error: ValidationError, doc: Document, model: type[BaseModel]) -> list[Problem]:
    problems = []
    errors = error.errors(include_url=False)
    if len(errors) > MAX_PROBLEMS_PER_FILE:
        rest = len(errors) - MAX_PROBLEMS_PER_FILE
        problems.append(
            doc.problem(
                tuple(errors[MAX_PROBLEMS_PER_FILE]["loc"]),
                f"このファイルには、ほかにも {rest:,}件の誤りがあります"
                f"（最初の {MAX_PROBLEMS_PER_FILE:,}件だけを示しました）。直してから、もう一度検査してください",
            )
        )
    for item in errors[:MAX_PROBLEMS_PER_FILE]:
        loc = tuple(item["loc"])
        cause = (item.get("ctx") or {}).get("error")
        if isinstance(cause, At):  # a model-level check that names the field it is about
            loc = loc + cause.field
        problems.append(doc.problem(loc, _describe(item, model), key=_is_key_error(item)))
    return problems
