"""plan.yaml and plans/YYYY.yaml: each read strictly and checked (targets, rooms, closed days), and
the place of each year's file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from generator.model.errors import ContentError, Problem, errors_of
from generator.model.plan import Closed, Plan, TemporaryClosure, TemporaryOpening
from generator.reading.documents import load_model_file
from generator.reading.limits import entries
from generator.reading.yaml_strict import Document
from generator.rules.closed_days import monthly_closed_day, rule_status
from generator.rules.dates import format_date


def check_plan(plan: Plan, doc: Document) -> list[Problem]:
    """What the model alone cannot see: unique ids, goal numbers, temporary closed days, missing facts."""
    problems = []
    seen: dict[str, int] = {}
    for s_index, section in enumerate(plan.sections):
        for p_index, program in enumerate(section.programs):
            loc = ("sections", s_index, "programs", p_index, "id")
            if program.id in seen:
                problems.append(
                    doc.problem(loc, f"事業 ID '{program.id}' が重複しています（{seen[program.id]}行目にもあります）")
                )
            seen.setdefault(program.id, doc.where(loc)[0])
    numbers = [s.number for s in plan.sections if s.kind == "goal"]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(doc.problem(("sections",), f"事業目標の番号は 1 から順に付けてください（今: {numbers}）"))
    section_ids = [s.id for s in plan.sections]
    for index, section_id in enumerate(section_ids):
        if section_ids.index(section_id) != index:
            problems.append(doc.problem(("sections", index, "id"), f"区分 ID '{section_id}' が重複しています"))
    for s_index, section in enumerate(plan.sections):
        for p_index, program in enumerate(section.programs):
            if program.target_unset:
                loc = ("sections", s_index, "programs", p_index, "target")
                message = f"'{program.name}' の目標回数が未記入です。計画書の目標回数（整数か「随時」）を書いてください"
                problems.append(doc.problem(loc, message, severity="notice" if plan.draft else "error"))
    if plan.draft:
        problems.append(
            doc.problem(
                ("draft",),
                f"{plan.fiscal_year}年度の事業計画は作成中（draft: true）です。サイトには「準備中」と表示します。"
                "計画書のとおりに書き終えたら draft の行を消してください",
                key=True,
                severity="notice",
            )
        )
    unknown = {"postal_code": "郵便番号", "phone": "電話番号", "email": "メールアドレス"}
    for key, label in unknown.items():
        if not getattr(plan.facility, key):
            problems.append(
                doc.problem(
                    ("facility", key),
                    f"{label}が未設定です。分かったら記入してください（それまではサイトに表示しません）",
                    key=True,
                    severity="notice",
                )
            )
    problems += check_facility_use(plan, doc)
    problems += check_closed(plan.facility.closed, doc)
    return problems


def check_facility_use(plan: Plan, doc: Document) -> list[Problem]:
    """Rooms, booking and access: duplicate room names are errors; facts not written yet are notices
    (the site leaves them out and says nothing it does not know)."""
    facility, problems = plan.facility, []
    seen: dict[str, int] = {}
    for index, room in enumerate(facility.rooms):
        loc = ("facility", "rooms", index)
        if room.name in seen:
            problems.append(doc.problem(loc, f"部屋 '{room.name}' が2回書かれています（{seen[room.name]}行目にもあります）"))
        seen.setdefault(room.name, doc.where(loc)[0])
    unknown = [f"{room.name}（{'・'.join(room.unknown)}）" for room in facility.rooms if room.unknown]
    if unknown:
        problems.append(
            doc.problem(
                ("facility", "rooms"),
                f"部屋の次の情報が未記入です: {'、'.join(unknown)}。分かったら記入してください"
                "（それまでは施設案内に「—」と出します）",
                key=True,
                severity="notice",
            )
        )
    if not facility.rooms:
        problems.append(
            doc.problem(
                ("facility", "rooms"),
                "部屋 'rooms' が未記入です。講座・イベントの会場の名前に使います",
                key=True,
                severity="notice",
            )
        )
    booking = {"how_to_register": "団体登録の手続き", "how_to_book": "部屋の予約の方法（申込みの始まる日など）"}
    missing = [key for key in booking if not getattr(facility.booking, key)]
    if missing:
        problems.append(
            doc.problem(
                ("facility", "booking", missing[0]),
                f"{'と'.join(booking[k] for k in missing)}が未記入です。分かったら "
                f"{'、'.join('facility.booking.' + k for k in missing)} に記入してください（それまでは施設案内で窓口でたずねるよう案内します）",
                key=True,
                severity="notice",
            )
        )
    if not facility.access.transit:
        problems.append(
            doc.problem(
                ("facility", "access", "transit"),
                "公共交通機関での行き方（最寄り駅・バス停と歩く時間）が未記入です。"
                "分かったら facility.access.transit に記入してください",
                key=True,
                severity="notice",
            )
        )
    return problems


def load_plan_file(file: Path, root: Path) -> tuple[Plan | None, list[Problem]]:
    plan, doc, problems = load_model_file(file, Plan, root)
    if plan is not None and doc is not None:
        problems += check_plan(plan, doc)
    return plan, problems


def load_plan(file: Path, root: Path | None = None) -> Plan:
    """One plan file, or ContentError with every problem in it."""
    file = Path(file)
    plan, problems = load_plan_file(file.resolve(), (root or file.resolve().parent).resolve())
    if plan is None or errors_of(problems):
        raise ContentError(problems)
    return plan


def plan_files(root: Path) -> list[Path]:
    """``plan.yaml`` (this year's) and any earlier years kept in ``plans/`` (a symlink there is
    refused by ``limits.scan``)."""
    files, _ = entries(root, root / "plans")
    return [root / "plan.yaml"] + [f for f in files if f.suffix == ".yaml" and not f.is_dir()]


def load_plans(root: Path, cache: dict | None = None) -> tuple[list[Plan], list[Problem]]:
    """Every year's plan. ``cache`` (serve): a plan file whose bytes did not change is not read again."""
    problems: list[Problem] = []
    plans: list[Plan] = []
    for file in plan_files(root):
        if not file.exists() and not file.is_symlink():
            problems.append(Problem(file.relative_to(root).as_posix(), 0, 0, "事業計画ファイルがありません"))
            continue
        if cache is None:
            plan, found = load_plan_file(file, root)
        else:
            data = file.read_bytes()
            kept = cache.get(str(file))
            if kept is None or kept[0] != data:
                kept = cache[str(file)] = (data, load_plan_file(file, root))
            plan, found = kept[1][0], list(kept[1][1])
        problems += found
        if plan is not None:
            plans.append(plan)
            problems += _check_plan_place(file, root, plan)
    newest = max((p.fiscal_year for p in plans), default=0)
    old = {f"plans/{p.fiscal_year}.yaml" for p in plans if p.fiscal_year != newest}
    problems = [p for p in problems if not (p.severity == "notice" and p.path in old)]  # unknown facts: the newest plan's only
    years = [p.fiscal_year for p in plans]
    for year in sorted({y for y in years if years.count(y) > 1}):
        problems.append(Problem("plans", 0, 0, f"{year}年度の事業計画が複数あります"))
    return plans, problems


def _check_plan_place(file: Path, root: Path, plan: Plan) -> list[Problem]:
    """A past plan lives in ``plans/YYYY.yaml`` named after its year."""
    rel = file.relative_to(root).as_posix()
    if rel != "plan.yaml" and file.stem != str(plan.fiscal_year):
        return [
            Problem(
                rel,
                1,
                1,
                f"このファイルは {plan.fiscal_year}年度の計画です。ファイル名を plans/{plan.fiscal_year}.yaml にしてください",
            )
        ]
    return []


def check_closed(closed: Closed, doc: Document, at: tuple = ("facility", "closed")) -> list[Problem]:
    """Temporary days that repeat, contradict each other or change nothing, at their lines."""
    problems: list[Problem] = []
    lists: tuple[tuple[str, str, Sequence[TemporaryClosure | TemporaryOpening]], ...] = (
        ("temporary_closures", "臨時休館日", closed.temporary_closures),
        ("temporary_openings", "臨時開館日", closed.temporary_openings),
    )
    first_line: dict[tuple[str, date], int] = {}
    repeated: set[tuple[str, int]] = set()
    for key, label, listed in lists:
        for index, entry in enumerate(listed):
            loc = at + (key, index, "date")
            if (key, entry.date) in first_line:
                repeated.add((key, index))
                problems.append(
                    doc.problem(
                        loc,
                        f"{label} {format_date(entry.date)} が2度書かれています"
                        f"（{first_line[key, entry.date]}行目にもあります）。1つにまとめてください",
                    )
                )
            else:
                first_line[key, entry.date] = doc.where(loc)[0]
    for index, opening in enumerate(closed.temporary_openings):
        if ("temporary_openings", index) in repeated:
            continue
        loc = at + ("temporary_openings", index, "date")
        when = format_date(opening.date)
        if ("temporary_closures", opening.date) in first_line:
            problems.append(
                doc.problem(
                    loc,
                    f"{when} は臨時休館日（{first_line['temporary_closures', opening.date]}行目）にも書かれています。"
                    "休館か開館か、どちらか一方にしてください",
                )
            )
        elif rule_status(opening.date, closed) is None:
            monthly = monthly_closed_day(opening.date.year, opening.date.month, closed)
            hint = f"（{opening.date.month}月の定例の休館日は {format_date(monthly, year=False)}）" if monthly else ""
            problems.append(doc.problem(loc, f"臨時開館日 {when} は、もともと開館日です{hint}。日付を確かめてください"))
    for index, closure in enumerate(closed.temporary_closures):
        rule = rule_status(closure.date, closed)
        if rule and ("temporary_closures", index) not in repeated:
            problems.append(
                doc.problem(
                    at + ("temporary_closures", index, "date"),
                    f"臨時休館日 {format_date(closure.date)} は、もともと{rule.text}です。"
                    "臨時休館に書かなくても休館します。日付を確かめてください",
                    severity="warning",
                )
            )
    return problems
