"""The browser editor at ``/admin/`` (Sveltia CMS): its configuration, made from the content models.

One source of truth: the forms' fields, required flags, patterns, choices and help texts come from
the pydantic models (their JSON Schema, as ``schema/``) and their Japanese descriptions; the choices
of programs and rooms from the plan of each fiscal year; the audience groups from their fixed list.
``build`` makes ``/admin/config.yml`` from the plans it builds with, so it is never stale; ``python -m
generator schema`` writes the same text to ``admin/config.yml`` (git-ignored) to look at, and a golden file
of the fixture site's configuration (tests/test_admin.py) fails when the models or this module change it.

Why Sveltia CMS and how it is served: BENCHMARKS.md ("ブラウザの編集画面") and the README. The bundle is
the npm package ``@sveltia/cms`` (package.json, a runtime dependency, so ``make site`` installs it),
copied into the built site; nothing is loaded from a CDN (``generator/assets/admin/cms-local.js``
answers the bundle's requests for its Japanese strings from our own copy, the page's import map sends
its modules to our copies, and the page's Content Security Policy blocks every other host but the
GitHub API).

Fiscal-year folders: an event belongs in ``content/events/<fiscal year>/``. The editor cannot compute
a fiscal year from a date, so each year with a plan gets its own collections whose folder is that
year's and whose date picker only offers that year's dates (``min``/``max``): an event can only be
saved where the loader expects it, with that year's programs and rooms to choose from.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter

from generator.model.event import STATUS_LABELS, Event, Series
from generator.model.plan import AUTHOR_ROLES, TIME_PATTERN, NewsletterMeta, Plan, PostMeta
from generator.render.templating import render_document
from generator.rules.dates import _holidays, fiscal_year_range

ADMIN_DIR = Path("admin")  # schema's copy to look at (git-ignored): admin/config.yml, as /admin/config.yml
CONFIG_NAME = "config.yml"
BACKEND_NAME = "backend.yml"
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
PACKAGE = NODE_MODULES / "@sveltia" / "cms"
FONT_PACKAGE = NODE_MODULES / "@fontsource-variable" / "material-symbols-outlined"
PLANS_SHOWN = 2  # the current year's plan and the one before (older years' files are edited by hand)
# Modules the bundle imports from a CDN when a feature needs them (package name -> file in the package):
# immutable for preview templates, exifr/svgo for uploaded images, turndown for pasted HTML. The import
# map sends those URLs to our copies (the npm packages @sveltia/cms depends on, installed by npm).
MODULES = {
    "immutable": "dist/immutable.es.js",
    "exifr": "dist/lite.esm.mjs",
    "svgo": "dist/svgo.browser.js",
    "turndown": "lib/turndown.browser.es.js",
}
# A build outside GitHub Actions (a PC, the tests) does not know the repository: the editor needs an
# owner/name all the same, and only its local-folder mode works there.
PLACEHOLDER_REPOSITORY = "local/preview"

# Short labels for the form (the models' descriptions become the help text under each field).
LABELS = {
    "id": "ID",
    "title": "題名",
    "program": "事業",
    "organizer": "主催者（他機関の催し）",
    "name": "名前",
    "url": "URL",
    "date": "日付",
    "end_date": "最終日（複数日のとき）",
    "start": "開始時刻",
    "end": "終了時刻",
    "venue": "会場",
    "address": "住所",
    "audience": "対象",
    "audience_groups": "対象の分類",
    "capacity": "定員",
    "fee": "参加費",
    "application": "申込",
    "required": "申込が必要",
    "method": "申込方法",
    "opens": "申込開始日",
    "deadline": "申込締切日",
    "note": "申込についての補足",
    "cohosts": "共催・後援・協力",
    "role": "種類",
    "contact": "問い合わせ先",
    "description": "説明",
    "image": "画像",
    "src": "画像ファイル",
    "alt": "代替テキスト（画像の説明）",
    "status": "状態",
    "status_reason": "中止・延期などの理由",
    "internal": "内部の活動（公開しない）",
    "sample": "見本（サンプル）",
    "published": "告知した日",
    "updated": "変更した日",
    "participants": "参加者数",
    "repeat": "繰り返し",
    "weekly": "毎週の曜日",
    "monthly": "毎月（第何何曜日）",
    "week": "第何週",
    "weekday": "曜日",
    "from": "期間の初日",
    "until": "期間の最終日",
    "skip_holidays": "祝日を休みにする",
    "skip": "休みにする日",
    "add": "追加する日",
    "move": "日付を移す回",
    "to": "移した先の日付",
    "sessions": "回ごとの記録",
    "categories": "分類",
    "author": "書いた人の役割",
    "summary": "要約",
    "sent": "送った日",
    "issued": "発行日",
    "body": "本文",
}
LABELS_IN = {
    ("Move", "from"): "もとの日付",
    ("Move", "start"): "移した先の開始時刻",
    ("Move", "end"): "移した先の終了時刻",
    ("Organizer", "name"): "主催者の名前",
    ("CoHost", "name"): "団体名",
    ("Session", "date"): "その回の日付（もとの日付）",
    ("Session", "status"): "その回の状態",
    ("Session", "participants"): "その回の参加者数",
    ("Application", "url"): "申込フォームなどの URL",
    ("Organizer", "url"): "主催者の案内ページ",
}
# Japanese labels of fixed choices (the value written is the model's).
CHOICE_LABELS = {"scheduled": "予定どおり", **{k: v for k, v in STATUS_LABELS.items() if v}}
PATTERN_MESSAGES = {
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$": "英小文字・数字・ハイフンで書いてください（例: oyako-hiroba）",
    r"^https?://[^\s]+$": "URL は https:// から書いてください",
}
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
STAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}( \d{1,2}:\d{2})?$"
# Fields the form leaves out: the file name is the ID (the URL), so the editor names the file instead.
HIDDEN = {"id"}
# How the editor writes files: every string in double quotes ("10:30", "2025-06-19", "no" stay text for
# any YAML reader, YAML 1.1 included), empty optional fields left out (the models' defaults apply).
OUTPUT = {"omit_empty_optional_fields": True, "yaml": {"quote": "double", "indent_size": 2, "indent_sequences": True}}
# The order of the form's fields; the rest follow in the model's order. Events and series share the middle.
_ABOUT = [
    "venue",
    "audience",
    "audience_groups",
    "capacity",
    "fee",
    "application",
    "description",
    "image",
    "status",
    "status_reason",
]
_WHO_AND_WHEN = ["contact", "cohosts", "organizer", "published", "updated"]
EVENT_FIRST = [
    "title",
    "program",
    "date",
    "end_date",
    "start",
    "end",
    *_ABOUT,
    *_WHO_AND_WHEN,
    "participants",
    "internal",
    "sample",
]
SERIES_FIRST = ["title", "program", "repeat", "start", "end", *_ABOUT, "sessions", *_WHO_AND_WHEN, "internal", "sample"]


@dataclass(frozen=True)
class Year:
    """One fiscal year's choices: its plan's programs and rooms, and its dates."""

    year: int
    programs: tuple[tuple[str, str], ...]  # (id, name)
    rooms: tuple[str, ...]

    @classmethod
    def of(cls, plan: Plan) -> Year:
        return cls(plan.fiscal_year, tuple((p.id, p.name) for p in plan.programs), tuple(plan.facility.room_names))

    @property
    def span(self) -> tuple[str, str]:
        first, last = fiscal_year_range(self.year)
        return first.isoformat(), last.isoformat()


def years_shown(plans: Sequence[Plan]) -> list[Year]:
    return [Year.of(p) for p in sorted(plans, key=lambda p: -p.fiscal_year)][:PLANS_SHOWN]


# --------------------------------------------------------------------------- fields from the models


@dataclass(frozen=True)
class Context:
    """What a field's form depends on besides its schema: the model it belongs to, the year, the programs."""

    defs: dict
    model: str
    year: Year | None
    programs: list[dict]

    def inside(self, model: str) -> Context:
        return Context(self.defs, model, self.year, self.programs)


def _model_schema(model: Any) -> dict:
    """The model's JSON Schema with its definitions under ``definitions`` (as schema/ has them)."""
    schema = TypeAdapter(model).json_schema(ref_template="#/definitions/{model}")
    return {**schema, "definitions": schema.pop("$defs", {})}


def _resolve(prop: dict, defs: dict) -> dict:
    """The schema of a property without ``$ref`` and without its ``null`` alternative."""
    if "$ref" in prop:
        return {**defs[prop["$ref"].split("/")[-1]], **{k: v for k, v in prop.items() if k != "$ref"}}
    rest = [o for o in prop.get("anyOf", []) if o.get("type") != "null"]
    if len(rest) == 1:
        return {**_resolve(rest[0], defs), **{k: v for k, v in prop.items() if k != "anyOf"}}
    return prop


def _fields(schema: dict, ctx: Context, skip: frozenset[str] = frozenset()) -> list[dict]:
    required = set(schema.get("required", []))
    return [_field(name, prop, name in required, ctx) for name, prop in schema["properties"].items() if name not in skip]


def _field(name: str, prop: dict, required: bool, ctx: Context) -> dict:
    resolved = _resolve(prop, ctx.defs)
    base: dict[str, Any] = {"name": name, "label": LABELS_IN.get((ctx.model, name)) or LABELS[name], "required": required}
    if prop.get("description") or resolved.get("description"):
        base["hint"] = prop.get("description") or resolved["description"]
    special = _special_field(name, base, resolved, ctx)
    return special if special is not None else _field_by_type(name, base, resolved, ctx)


def _special_field(name: str, base: dict, resolved: dict, ctx: Context) -> dict | None:
    """Fields whose form is not told by their type: choices from the plan, the image, long texts."""
    if name == "program":
        return {**base, "widget": "select", "options": ctx.programs, "dropdown_threshold": 0}
    if name == "venue" and ctx.year is not None:  # a room of that year's plan (other venues are written in the file)
        return {**base, "widget": "select", "options": list(ctx.year.rooms), "dropdown_threshold": 0}
    if name == "author":
        return {**base, "widget": "select", "options": list(AUTHOR_ROLES), "default": resolved.get("default")}
    if name == "image":
        fields = _fields(resolved, ctx.inside("Image"))
        fields[0].update({"widget": "image", "media_folder": "/content/images", "public_folder": "", "choose_url": False})
        return {**base, "widget": "object", "fields": fields}
    if name == "description" or (name == "summary" and ctx.model == "PostMeta"):
        return {**base, "widget": "text"}
    if name == "fee":  # "500" is read as 500 yen (model/event.py), other text as written
        return {**base, "widget": "string", "default": "0"}
    return None


def _date_field(base: dict, span: tuple[str, str] | None = None) -> dict:
    field = {**base, "widget": "datetime", "time_format": False, "date_format": "YYYY-MM-DD", "format": "YYYY-MM-DD"}
    return {**field, "min": span[0], "max": span[1]} if span else field


def _options(values: Sequence[str]) -> list[Any]:
    return [{"label": CHOICE_LABELS[v], "value": v} if v in CHOICE_LABELS else v for v in values]


def _field_by_type(name: str, base: dict, resolved: dict, ctx: Context) -> dict:
    kind, pattern = resolved.get("type"), resolved.get("pattern")
    if pattern == TIME_PATTERN:  # written as "HH:MM", a quoted string (OUTPUT)
        return {**base, "widget": "datetime", "date_format": False, "time_format": "HH:mm", "format": "HH:mm"}
    if pattern in (DATE_PATTERN, STAMP_PATTERN):
        in_year = ctx.year is not None and ctx.model in ("Event", "Repeat") and name in ("date", "from")
        return _date_field(base, ctx.year.span if ctx.year is not None and in_year else None)
    if "enum" in resolved:
        return {
            **base,
            "widget": "select",
            "options": _options(resolved["enum"]),
            **({"default": resolved["default"]} if "default" in resolved else {}),
        }
    if kind == "boolean":
        return {**base, "widget": "boolean", "default": resolved.get("default", False)}
    if kind == "integer":
        limits = {key: resolved[word] for key, word in (("min", "minimum"), ("max", "maximum")) if word in resolved}
        return {**base, "widget": "number", "value_type": "int", **limits}
    if kind == "array":
        return _list_field(base, _resolve(resolved["items"], ctx.defs), ctx)
    if kind == "object":
        return {**base, "widget": "object", "fields": _fields(resolved, ctx.inside(resolved.get("title", "")))}
    if pattern:
        return {
            **base,
            "widget": "string",
            "pattern": [pattern, PATTERN_MESSAGES.get(pattern, "書き方が違います（説明を見てください）")],
        }
    return {**base, "widget": "string"}


def _list_field(base: dict, items: dict, ctx: Context) -> dict:
    if "enum" in items:
        return {**base, "widget": "select", "multiple": True, "options": _options(items["enum"])}
    if items.get("pattern") == DATE_PATTERN:
        return {**base, "widget": "list", "field": _date_field({"name": "date", "label": "日付"})}
    if items.get("type") == "object":
        return {**base, "widget": "list", "fields": _fields(items, ctx.inside(items.get("title", "")))}
    return {**base, "widget": "list"}


# --------------------------------------------------------------------------- collections


def _program_options(year: Year) -> list[dict]:
    return [{"label": f"{name}（{pid}）", "value": pid} for pid, name in year.programs]


def _all_programs(years: Sequence[Year]) -> list[dict]:
    """Programs of the newest plan, then those only in earlier years (named with their year): a notice
    is checked against the plan of its date's year (``check``)."""
    seen: dict[str, dict] = {}
    for index, year in enumerate(sorted(years, key=lambda y: -y.year)):
        for pid, name in year.programs:
            if pid not in seen:
                seen[pid] = {
                    "label": f"{name}（{pid}）" if index == 0 else f"{name}（{pid}、{year.year}年度の事業）",
                    "value": pid,
                }
    return list(seen.values())


def _event_fields(model: Any, year: Year, order: list[str]) -> list[dict]:
    schema = _model_schema(model)
    fields = _fields(schema, Context(schema["definitions"], model.__name__, year, _program_options(year)), frozenset(HIDDEN))
    for field in fields:
        if field["name"] == "program":
            # The model allows organizer instead of program (another body's event); the form is for the
            # corner's own events, which always have a program.
            field["required"] = True
            field["hint"] = (
                f"{year.year}年度の事業計画の事業から選びます（{field['hint']}）。"
                "他機関の催しの紹介（organizer）はファイルで書きます"
            )
    rank = {name: i for i, name in enumerate(order)}
    return sorted(fields, key=lambda f: rank.get(f["name"], len(order)))


def _post_fields(model: Any, programs: list[dict]) -> list[dict]:
    schema = _model_schema(model)
    return [
        *_fields(schema, Context(schema["definitions"], model.__name__, None, programs)),
        {
            "name": "body",
            "label": LABELS["body"],
            "widget": "markdown",
            "required": True,
            "hint": "本文（Markdown）。画像には必ず説明（代替テキスト）を付けてください",
        },
    ]


def _year_collections(year: Year) -> list[dict]:
    first, last = year.span
    folder = {
        "folder": f"content/events/{year.year}",
        "extension": "yaml",
        "format": "yaml",
        "create": True,
        "delete": False,
        "identifier_field": "title",
    }
    return [
        {
            "name": f"events-{year.year}",
            "label": f"講座・イベント {year.year}年度（1回）",
            "label_singular": "講座・イベント",
            "description": f"{year.year}年度（{first}〜{last}）の1回の講座・イベント。content/events/{year.year}/ に保存します。"
            "日付はこの年度の中から選びます。事業・会場はこの年度の計画から選びます",
            **folder,
            "filter": {"field": "date", "pattern": r"^\d{4}-"},
            "summary": "{{fields.date}} {{fields.title}}",
            "sortable_fields": ["date", "title"],
            "slug": "{{fields.program}}-{{fields.date}}",
            "fields": _event_fields(Event, year, EVENT_FIRST),
        },
        {
            "name": f"series-{year.year}",
            "label": f"講座・イベント {year.year}年度（繰り返し）",
            "label_singular": "繰り返しの講座・イベント",
            "description": f"{year.year}年度に始まる毎週・毎月の講座（repeat:）。content/events/{year.year}/ に保存します",
            **folder,
            "filter": {"field": "repeat.from", "pattern": r"^\d{4}-"},
            "summary": "{{fields.repeat.from}}から {{fields.title}}",
            "sortable_fields": ["title"],
            "slug": "{{fields.program}}-{{fields.repeat.from}}",
            "fields": _event_fields(Series, year, SERIES_FIRST),
        },
    ]


def _writing_collections(programs: list[dict]) -> list[dict]:
    """News, blog posts and newsletter introductions: Markdown with front matter."""
    common = {"extension": "md", "format": "frontmatter", "delete": False}
    posts = [
        {
            "name": name,
            "label": label,
            "label_singular": singular,
            "folder": f"content/{name}",
            **common,
            "create": True,
            "identifier_field": "title",
            "summary": "{{fields.date}} {{fields.title}}",
            "sortable_fields": ["date", "title"],
            "slug": "{{fields.date}}-{{uuid_shorter}}",
            "fields": _post_fields(PostMeta, programs),
        }
        for name, label, singular in (("news", "お知らせ", "お知らせ"), ("blog", "ブログ", "ブログの記事"))
    ]
    newsletters = {
        "name": "newsletters",
        "label": "メールマガジンの前書き",
        "label_singular": "前書き",
        "folder": "content/newsletters",
        "description": "号ごとの前書き（毎月20日ごろ、翌月号の下書きが自動で用意されます）。送ったら「送った日」を書きます",
        **common,
        "create": False,
        "identifier_field": "body",
        "summary": "{{slug}}",
        "fields": _post_fields(NewsletterMeta, programs),
    }
    return [*posts, newsletters]


def render_config_data(plans: Sequence[Plan]) -> dict:
    years = years_shown(plans)
    collections = [c for year in years for c in _year_collections(year)] + _writing_collections(_all_programs(years))
    return {
        "publish_mode": "editorial_workflow",
        "media_folder": "content/images",
        "public_folder": "/images",
        "output": OUTPUT,
        "slug": {"encoding": "ascii", "clean_accents": True},
        "editor": {"preview": True},
        "collections": collections,
    }


HEADER = (
    "# ブラウザの編集画面（/admin/、Sveltia CMS）の設定。python -m generator schema が内容のモデルと事業計画から作ります。\n"
    "# 手で編集しないでください（古いとテストが失敗します）。作り方は generator/outputs/admin.py にあります。\n"
)


def render_config(plans: Sequence[Plan]) -> str:
    body = yaml.safe_dump(render_config_data(plans), allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
    return HEADER + body


def render_backend(repository: str | None, branch: str = "main") -> str:
    """Where the editor saves: the GitHub repository the site is built from (``GITHUB_REPOSITORY`` in
    GitHub Actions). Staff sign in with a fine-grained personal access token (this repository only:
    contents and pull requests, read and write): no OAuth app, so no server of ours and no secret."""
    backend = {
        "name": "github",
        "repo": repository or PLACEHOLDER_REPOSITORY,
        "branch": branch,
        "auth_methods": ["token"],
        "commit_messages": {
            "create": "{{collection}}を追加: {{slug}}",
            "update": "{{collection}}を更新: {{slug}}",
            "delete": "{{collection}}を削除: {{slug}}",
            "uploadMedia": "画像を追加: {{path}}",
            "deleteMedia": "画像を削除: {{path}}",
        },
    }
    return "# python -m generator build が作ります（リポジトリは GitHub Actions の GITHUB_REPOSITORY）\n" + yaml.safe_dump(
        {"backend": backend}, allow_unicode=True, sort_keys=False
    )


# --------------------------------------------------------------------------- the page and its files


def policy(import_map: str) -> str:
    """The page's own policy (the site's pages have theirs in theme/main.html). Sveltia CMS is a Svelte
    app: it puts its styles in <style> elements at run time ('unsafe-inline' for styles only), shows
    uploaded images and previews from blob: URLs, and talks to the GitHub API. Scripts: our files and
    the import map (by its hash, the only inline element). Every other host (the bundle's CDN for
    translations, modules and fonts, GitHub's status page and avatars, its update check) is blocked."""
    digest = base64.b64encode(hashlib.sha256(import_map.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'self'; "
        f"script-src 'self' 'sha256-{digest}'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; "
        "connect-src 'self' blob: data: https://api.github.com; media-src 'self' blob:; frame-src 'self' blob:; "
        "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'"
    )


def module_urls() -> dict[str, str]:
    """The CDN address the bundle asks for each module (its package.json range without ``^``) -> our copy."""
    wanted = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))["dependencies"]
    return {
        f"https://unpkg.com/{name}@{wanted[name].lstrip('^~')}/{path}": f"./vendor/{name}/{path}"
        for name, path in MODULES.items()
    }


def render_import_map() -> str:
    return json.dumps({"imports": module_urls()}, indent=1, sort_keys=True)


def render_index() -> str:
    import_map = render_import_map()
    return render_document("admin.html.j2", policy=policy(import_map), import_map=import_map, configs=[CONFIG_NAME, BACKEND_NAME])


class AdminError(Exception):
    """The editor's files are missing (npm packages not installed)."""


def package_version() -> str:
    return json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]


def vendor_files() -> dict[str, bytes]:
    """The editor itself, from node_modules at the version package-lock.json pins."""
    wanted = {
        "sveltia-cms.js": PACKAGE / "dist" / "sveltia-cms.js",
        "chunks/react-dom.js": PACKAGE / "dist" / "chunks" / "react-dom.js",
        "locales/ja.json": PACKAGE / "locales" / "ja.json",
        "fonts/material-symbols-outlined.woff2": FONT_PACKAGE / "files" / "material-symbols-outlined-latin-wght-normal.woff2",
        **{f"vendor/{name}/{path}": NODE_MODULES / name / path for name, path in MODULES.items()},
    }
    missing = [str(path) for path in wanted.values() if not path.is_file()]
    if missing:
        raise AdminError(
            "編集画面（Sveltia CMS）のファイルが見つかりません。make site で入れるか、npm ci --omit=dev を実行してください"
            f"（{', '.join(missing)}）"
        )
    return {name: path.read_bytes() for name, path in wanted.items()}


def material_styles() -> list[str]:
    """The theme's stylesheets as the built site serves them (``/assets/stylesheets/main.<hash>.min.css``)."""
    import material

    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    return [f"/assets/stylesheets/{path.name}" for path in sorted(folder.glob("*.min.css"))]


def render_preview_data(plans: Sequence[Plan], site_name: str) -> str:
    """What the previews need to write as the site does (generator/assets/admin/preview.js)."""
    years = years_shown(plans)
    holidays = {
        day.isoformat(): name
        for y in years
        for calendar_year in (y.year, y.year + 1)
        for day, name in _holidays(calendar_year).items()
    }
    data = {
        "facility": site_name,
        "holidays": dict(sorted(holidays.items())),
        "programs": {pid: name for y in reversed(years) for pid, name in y.programs},
        "collections": [c["name"] for c in render_config_data(plans)["collections"]],
        "styles": [*material_styles(), "/assets/site.css", "/assets/events.css"],
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def admin_files(plans: Sequence[Plan], site_name: str, repository: str | None = None) -> dict[str, str | bytes]:
    """Everything under ``/admin/`` of the built site (our scripts and styles are in ``assets/admin/``)."""
    vendor = vendor_files()
    version = package_version()
    if f"`{version}`" not in vendor["sveltia-cms.js"].decode("utf-8"):
        raise AdminError(f"sveltia-cms.js が package.json の版 {version} のものではありません")
    return {
        "admin/index.html": render_index(),
        f"admin/{CONFIG_NAME}": render_config(plans),
        "admin/preview-data.json": render_preview_data(plans, site_name),
        f"admin/{BACKEND_NAME}": render_backend(repository if repository is not None else os.environ.get("GITHUB_REPOSITORY")),
        **{f"admin/{name}": data for name, data in vendor.items()},
    }


def write_config(root: Path, plans: Sequence[Plan]) -> Path:
    path = root / ADMIN_DIR / CONFIG_NAME
    path.parent.mkdir(exist_ok=True)
    path.write_text(render_config(plans), encoding="utf-8")
    return path
