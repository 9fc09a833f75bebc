"""Events and series under ``content/events/``: each file checked alone, then against the plan.

Every file that fails is an error that stops the build; nothing is skipped quietly.
Doubtful but possible things (an event on a closed day, outside opening hours) are
warnings naming the file and line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from generator.model.errors import Problem, clip, errors_of, suggest
from generator.model.event import PLACEHOLDER_BLANKS, PLACEHOLDER_DESCRIPTION, Event, Item, Series
from generator.model.plan import Plan, is_slug
from generator.reading.documents import validate_document
from generator.reading.limits import outside_problem, walk
from generator.reading.markdown import markdown_problem
from generator.reading.site import Record
from generator.reading.yaml_strict import Document, load_yaml_file, load_yaml_text
from generator.rules.closed_days import day_status
from generator.rules.dates import fiscal_year, format_date, holiday_name, opening_hours
from generator.rules.plans import plan_for_date
from generator.rules.series import Occurrence, expand_series, occurrence_of_event

EVENTS_DIR = Path("content") / "events"
IMAGES_DIR = Path("content") / "images"
RESERVED_IDS = {"index", "goal", "for", "past"}  # folders of events/ that the generator writes
_CONTEXT = "context"  # load_events(cache=...): what the cached files were checked against


def _validate(doc: Document, plans: Sequence[Plan]) -> tuple[Item | None, list[Problem]]:
    found: tuple[Item | None, list[Problem]]  # a series when it has repeat:
    if isinstance(doc.data, dict) and "repeat" in doc.data:
        found = validate_document(doc, Series)
    else:
        found = validate_document(doc, Event)
    item, problems = found
    by_name = _program_by_name(doc, plans) if item is None and isinstance(doc.data, dict) else None
    if by_name:  # instead of the pattern message for that line
        problems = [p for p in problems if p.line != by_name.line] + [by_name]
    return item, problems


def _program_by_name(doc: Document, plans: Sequence[Plan]) -> Problem | None:
    """``program: 親子の広場`` (the program's name): say its ID."""
    written = doc.data.get("program")
    if not isinstance(written, str):
        return None
    names = {p.name: p.id for plan in plans for p in plan.programs}
    program_id = names.get(written) or names.get(next(iter(difflib.get_close_matches(written, list(names), n=1, cutoff=0.7)), ""))
    if not program_id:
        return None
    return doc.problem(("program",), f"'{written}' は事業名です。program には事業 ID を書いてください: program: {program_id}")


def at_corner(item: Item) -> bool:
    return not item.venue.address


def first_day(item: Item) -> date:
    return item.repeat.from_ if isinstance(item, Series) else item.date


def _check_item(item: Item, doc: Document, plan: Plan, root: Path, recorded_until: date) -> list[Problem]:
    """Against the plan of the item's fiscal year: its program, its room, its image."""
    problems = []
    if item.program and plan.program(item.program) is None:
        ids = [p.id for p in plan.programs]
        problems.append(
            doc.problem(
                ("program",),
                f"事業 ID '{clip(item.program)}' は{plan.fiscal_year}年度の事業計画にありません。"
                f"{suggest(item.program, ids)}（使える ID: {', '.join(ids)}）",
            )
        )
    if at_corner(item) and plan.facility.room(item.venue.name) is None:
        problems.append(doc.problem(("venue",), venue_message(item.venue.name, plan)))
    problems += _check_reasons(item, doc)
    problems += _check_placeholders(item, doc)
    if item.updated and item.updated.date() > recorded_until:
        problems.append(
            doc.problem(
                ("updated",), f"変更日 'updated' が今日（{format_date(recorded_until)}）より後です。変えた日を書いてください"
            )
        )
    if item.image and not _image_exists(root, item.image.src):
        problems.append(doc.problem(("image", "src"), f"画像 '{clip(item.image.src)}' が {IMAGES_DIR.as_posix()}/ にありません"))
    return problems


def venue_message(name: str, plan: Plan) -> str:
    """A room name the plan does not have: which rooms were probably meant (``研修室`` -> 研修室A・B・C)."""
    rooms = plan.facility.room_names
    several = [r for r in rooms if r != name and r.startswith(name)]
    if len(several) > 1:
        return (
            f"会場 '{clip(name)}' はコーナーの部屋にありません。{plan.fiscal_year}年度の計画では {'・'.join(several)} に分かれています。"
            f"使う部屋を一つ書いてください（例: venue: {several[0]}）。外部の会場なら name と address を書いてください"
        )
    return (
        f"会場 '{clip(name)}' はコーナーの部屋にありません。{suggest(name, rooms)}（部屋: {', '.join(rooms)}）。"
        "外部の会場なら name と address を書いてください"
    )


def _image_exists(root: Path, src: str) -> bool:
    """A regular file under content/images/, reached without ``..`` or a symlink."""
    images = root / IMAGES_DIR
    file = images / src
    if src.startswith("/") or ".." in Path(src).parts or outside_problem(root, file):
        return False
    return file.is_file() and not file.is_symlink()


def _check_placeholders(item: Item, doc: Document) -> list[Problem]:
    """What a scaffold wrote for staff to replace, left as it was: a warning (``check --strict`` fails)."""
    problems = []
    if item.description.strip() == PLACEHOLDER_DESCRIPTION:
        problems.append(
            doc.problem(
                ("description",),
                f"説明がひな形の「{PLACEHOLDER_DESCRIPTION}」のままです。催しの説明を書いてください",
                severity="warning",
            )
        )
    for key, label in PLACEHOLDER_BLANKS.items():
        if isinstance(doc.data, dict) and doc.data.get(key) == "" and not item.internal:
            problems.append(
                doc.problem(
                    (key,),
                    f"{label} '{key}' が空欄（\"\"）のままです。書くか、使わないならこの行を消してください",
                    severity="warning",
                )
            )
    return problems


def _check_reasons(item: Item, doc: Document) -> list[Problem]:
    """A cancelled or postponed event (or session) should say why: citizens see the reason."""
    label = {"cancelled": "中止", "postponed": "延期"}
    problems = []
    if item.status in label and not item.status_reason:
        problems.append(
            doc.problem(
                ("status",),
                f"{label[item.status]}の理由 'status_reason' がありません。"
                f"サイトに表示するので書いてください（例: status_reason: 講師の都合のため）",
                severity="warning",
            )
        )
    for index, session in enumerate(getattr(item, "sessions", [])):
        if session.status in label and not session.status_reason and not item.status_reason:
            problems.append(
                doc.problem(
                    ("sessions", index, "status"),
                    f"{format_date(session.date)} の回の{label[session.status]}の理由 "
                    "'status_reason' がありません。サイトに表示するので書いてください",
                    severity="warning",
                )
            )
    return problems


def _check_folder(file: Path, root: Path, item: Item, doc: Document) -> list[Problem]:
    """``content/events/2025/`` holds the events of 2025年度 (April 2025 to March 2026)."""
    folder = file.parent.name
    year = fiscal_year(first_day(item))
    if re.fullmatch(r"\d{4}", folder) and int(folder) != year:
        where = ("repeat", "from") if isinstance(item, Series) else ("date",)
        return [
            doc.problem(
                where,
                f"この催しは{year}年度（{format_date(first_day(item))}から）です。ファイルを content/events/{year}/ に移してください"
                f"（今は content/events/{folder}/。年度は4月から翌年3月まで）",
            )
        ]
    return []


def _check_occurrence(occ: Occurrence, item: Item, doc: Document, loc: tuple, plan: Plan, recorded_until: date) -> list[Problem]:
    """One date against the rules of its own year's plan (closed days, hours). Participants may be
    recorded only for sessions on or before ``recorded_until`` (the real date, even under --today)."""
    problems = []
    when = format_date(occ.date)
    deadline = item.application.deadline
    if deadline and deadline > occ.date:
        problems.append(doc.problem(("application", "deadline"), f"申込締切 {format_date(deadline)} が開催日 {when} より後です"))
    if occ.participants is not None:
        if occ.date > recorded_until:
            problems.append(doc.problem(loc + ("participants",), f"{when} はまだ先の回です。参加者数は実施後に記入してください"))
        if occ.status == "cancelled":
            problems.append(doc.problem(loc + ("participants",), f"{when} は中止の回です。参加者数は書けません"))
    if not at_corner(item):
        return problems
    status = day_status(occ.date, plan.facility.closed)
    if status and status.closed:
        advice = (
            "開館するなら plan.yaml の closed.temporary_closures から外してください"
            if status.kind == "temporary_closure"
            else "開館して開催するなら plan.yaml の closed.temporary_openings に日付と理由を書いてください"
        )
        problems.append(doc.problem(loc or ("date",), f"{when} は{status.text}です。{advice}", severity="warning"))
    elif occ.start:
        hours = opening_hours(occ.date, plan.facility.hours)
        end = occ.end or occ.start
        if occ.start < hours.open or end > hours.close or (occ.end_date == occ.date and end < occ.start):
            label = "日曜・祝日" if hours is plan.facility.hours.sundays_holidays else "月〜土曜"
            extra = f"（{holiday_name(occ.date)}）" if holiday_name(occ.date) else ""
            problems.append(
                doc.problem(
                    loc or ("start",),
                    f"{when}{extra} の時間が開館時間外です（{label}は {hours.open:%H:%M}〜{hours.close:%H:%M}）",
                    severity="warning",
                )
            )
    return problems


def _occurrence_loc(item: Item, occ: Occurrence) -> tuple:
    if isinstance(item, Series):
        for index, session in enumerate(item.sessions):
            if session.date == occ.original_date:
                return ("sessions", index)
        return ("repeat",)
    return ()


def load_event_file(file: Path, root: Path, plans: Sequence[Plan], recorded_until: date) -> tuple[Record | None, list[Problem]]:
    doc, problems = load_yaml_file(file, root)
    if doc is None or errors_of(problems):
        return None, problems
    item, found = _validate(doc, plans)
    problems += found
    if item is None:
        return None, problems
    if item.description and (slow := markdown_problem(doc.path, doc.where(("description",))[0], item.description)):
        return None, problems + [slow]
    plan = plan_for_date(plans, first_day(item))
    problems += _check_item(item, doc, plan, root, recorded_until)
    problems += _check_folder(file, root, item, doc)
    item_id = item.id or file.stem
    if item_id in RESERVED_IDS:
        problems.append(
            doc.problem(("id",) if item.id else (), f"ID '{item_id}' は一覧ページの URL に使われています。別の ID にしてください")
        )
    if item.id is None and not is_slug(file.stem):
        problems.append(
            doc.problem(
                (), f"ファイル名 '{file.name}' は ID に使えません。英小文字・数字・ハイフンの名前にするか、id: を書いてください"
            )
        )
    if isinstance(item, Series):
        occurrences, issues = expand_series(item_id, item, lambda day: plan_for_date(plans, day).facility.closed, at_corner(item))
        problems += [doc.problem(loc, message) for loc, message in issues]
    else:
        occurrences = [occurrence_of_event(item_id, item)]
    for occ in occurrences:
        problems += _check_occurrence(occ, item, doc, _occurrence_loc(item, occ), plan_for_date(plans, occ.date), recorded_until)
    if errors_of(found) or errors_of(problems):
        return None, problems
    method_at = tuple(doc.where(("application", "method", index)) for index in range(len(item.application.method)))
    return Record(item_id, item, doc.path, tuple(occurrences), method_at), problems


def record_from_text(rel: str, text: str, plans: Sequence[Plan]) -> Record | None:
    """An event file's record without the cross-checks (for comparing with an earlier version)."""
    doc, problems = load_yaml_text(rel, text)
    if doc is None or errors_of(problems):
        return None
    item, _ = _validate(doc, plans)
    if item is None:
        return None
    item_id = item.id or Path(rel).stem
    if isinstance(item, Series):
        occurrences, _ = expand_series(item_id, item, lambda day: plan_for_date(plans, day).facility.closed, at_corner(item))
    else:
        occurrences = [occurrence_of_event(item_id, item)]
    return Record(item_id, item, rel, tuple(occurrences))


def load_events(
    root: Path, plans: Sequence[Plan], recorded_until: date, cache: dict | None = None
) -> tuple[list[Record], list[Problem]]:
    """Every event file, checked. ``cache`` (a dict kept by the caller between calls: ``serve``)
    reuses the result of a file whose bytes, plans, ``recorded_until`` and images are unchanged,
    so an edit re-reads one file instead of ten years of them (the very same Record is returned)."""
    records: list[Record] = []
    files, problems = walk(root, root / EVENTS_DIR)
    if cache is not None:
        images = root / IMAGES_DIR
        context = (tuple(plans), recorded_until, sorted(images.rglob("*")) if images.is_dir() else [])
        if cache.get(_CONTEXT) != context:  # what a file is checked against changed: check every file again
            cache.clear()
            cache[_CONTEXT] = context
    for file in files:
        if file.name.startswith("."):
            continue
        if file.suffix not in (".yaml", ".yml"):
            problems.append(
                Problem(file.relative_to(root).as_posix(), 0, 0, "content/events/ には .yaml のファイルだけを置いてください")
            )
            continue
        if cache is None:
            record, found = load_event_file(file, root, plans, recorded_until)
        else:
            data = file.read_bytes()
            kept = cache.get(str(file))
            if kept is None or kept[0] != data:
                kept = cache[str(file)] = (data, load_event_file(file, root, plans, recorded_until))
            record, found = kept[1][0], list(kept[1][1])
        problems += found
        if record:
            records.append(record)
    if cache is not None:  # files removed since
        for key in cache.keys() - {str(file) for file in files} - {_CONTEXT}:
            del cache[key]
    seen: dict[str, str] = {}
    for record in records:
        if record.id in seen:
            problems.append(
                Problem(
                    record.path, 1, 1, f"ID '{record.id}' が {seen[record.id]} と重複しています。どちらかの id を変えてください"
                )
            )
        seen.setdefault(record.id, record.path)
    return records, problems
