"""Read everything, check everything, return one frozen Site — or every problem at once.

Nothing here writes files. A file that fails validation is an error, never skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .closed_days import check_closed
from .config import read_site_url
from .contact import contact_problems
from .dates import fiscal_year, fiscal_year_range
from .errors import ContentError, Problem, errors_of, suggest
from .limits import entries, read_text, scan, walk
from .load_events import Record, load_events, sorted_occurrences
from .messages import problems_from
from .plans import plan_for_date, plan_of_year, shown_plan
from .model import PLACEHOLDER_INTRO, AccessibilityRecord, Newsletter, NewsletterMeta, NewsletterSettings, Page, PageMeta, Plan, Post, PostMeta, Program
from .series import Occurrence
from .templating import markdown_problem
from .yaml_strict import Document, control_character, load_yaml_file, load_yaml_text

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Site:
    """All content, validated. Renderers get this and ``today``, nothing else.

    ``plan`` is the plan the site presents (see ``shown_plan``); ``plans`` holds every year's. An
    event, post or figure belongs to the plan of its own fiscal year (``plan_for``)."""

    root: Path
    today: date
    plan: Plan
    site_url: str
    plans: tuple[Plan, ...]
    pages: tuple[Page, ...] = ()
    events: tuple[Record, ...] = ()
    posts: tuple[Post, ...] = ()
    newsletters: tuple[Newsletter, ...] = ()
    newsletter_settings: NewsletterSettings = field(default_factory=NewsletterSettings)
    occurrences: tuple[Occurrence, ...] = ()
    home_intro: str = ""
    accessibility: AccessibilityRecord | None = None
    warnings: tuple[Problem, ...] = field(default=())
    scheduled_posts: int = 0  # posts dated after today: checked, not yet published

    @cached_property
    def _public(self) -> tuple[Occurrence, ...]:
        return tuple(o for o in self.occurrences if is_public(o.item, self.today))

    @cached_property
    def _upcoming(self) -> tuple[Occurrence, ...]:
        return tuple(o for o in self._public if o.end_date >= self.today)

    def public_records(self) -> list[Record]:
        return [r for r in self.events if is_public(r.item, self.today)]

    def public_occurrences(self) -> list[Occurrence]:
        """Every occurrence that may be shown anywhere; internal ones and those announced later never are."""
        return list(self._public)

    def upcoming(self, limit: int | None = None) -> list[Occurrence]:
        """Public occurrences not yet over on ``today`` (pages also hide past ones by script)."""
        return list(self._upcoming[:limit] if limit else self._upcoming)

    def event_url(self, item_id: str) -> str:
        return f"{self.site_url}events/{item_id}/"

    @property
    def calendar_feed_url(self) -> str:
        """The subscribable calendar of everything public (a permanent URL: a subscription contract)."""
        return f"{self.site_url}ics/all.ics"

    @property
    def webcal_url(self) -> str:
        return "webcal://" + self.calendar_feed_url.split("://", 1)[1]

    # The years

    def plan_of_year(self, year: int) -> Plan | None:
        return plan_of_year(self.plans, year)

    def plan_for(self, day: date) -> Plan:
        return plan_for_date(self.plans, day)

    @property
    def preparing_year(self) -> int | None:
        """Today's fiscal year while its plan is not ready (from 1 April until staff finish it), else None."""
        year = fiscal_year(self.today)
        return year if year > self.plan.fiscal_year else None

    def year_over(self, year: int) -> bool:
        return self.today > fiscal_year_range(year)[1]

    @cached_property
    def _programs(self) -> dict[str, tuple[Program, tuple[int, ...]]]:
        """Every program id of every plan: the version to show (the shown plan's, else the newest
        before it, else the first after it) and the years it is in the plan."""
        found: dict[str, tuple[Program, tuple[int, ...]]] = {}
        shown_year = self.plan.fiscal_year
        order = sorted(self.plans, key=lambda p: (p.fiscal_year > shown_year, -p.fiscal_year if p.fiscal_year <= shown_year else p.fiscal_year))
        for plan in order:
            for program in plan.programs:
                version, years = found.get(program.id, (program, ()))
                found[program.id] = (version, tuple(sorted(years + (plan.fiscal_year,))))
        return found

    def program(self, program_id: str) -> Program | None:
        """A program of any year's plan, as the site shows it (stable URL ``programs/ID/``)."""
        entry = self._programs.get(program_id)
        return entry[0] if entry else None

    def program_years(self, program_id: str) -> tuple[int, ...]:
        return self._programs.get(program_id, (None, ()))[1]

    def all_programs(self) -> list[Program]:
        """The shown plan's programs in its order, then programs of other years (newest year first)."""
        return [version for version, _ in self._programs.values()]

    def ended_programs(self) -> list[Program]:
        """Programs of earlier years that the shown plan no longer has."""
        current = {p.id for p in self.plan.programs}
        return [p for p, years in self._programs.values() if p.id not in current and max(years) < self.plan.fiscal_year]


def is_public(item, today: date) -> bool:
    """Shown anywhere: not an internal record, and announced (``published``) on or before today."""
    return not item.internal and (item.published is None or item.published <= today)


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


def check_plan(plan: Plan, doc: Document) -> list[Problem]:
    """What the model alone cannot see: unique ids, goal numbers, temporary closed days, missing facts."""
    problems = []
    seen: dict[str, int] = {}
    for s_index, section in enumerate(plan.sections):
        for p_index, program in enumerate(section.programs):
            loc = ("sections", s_index, "programs", p_index, "id")
            if program.id in seen:
                problems.append(doc.problem(loc, f"事業 ID '{program.id}' が重複しています（{seen[program.id]}行目にもあります）"))
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
        problems.append(doc.problem(("draft",), f"{plan.fiscal_year}年度の事業計画は作成中（draft: true）です。サイトには「準備中」と表示します。"
                                    "計画書のとおりに書き終えたら draft の行を消してください", key=True, severity="notice"))
    unknown = {"postal_code": "郵便番号", "phone": "電話番号", "email": "メールアドレス"}
    for key, label in unknown.items():
        if not getattr(plan.facility, key):
            problems.append(doc.problem(("facility", key), f"{label}が未設定です。分かったら記入してください（それまではサイトに表示しません）", key=True, severity="notice"))
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
        problems.append(doc.problem(("facility", "rooms"), f"部屋の次の情報が未記入です: {'、'.join(unknown)}。分かったら記入してください"
                                    "（それまでは施設案内に「—」と出します）", key=True, severity="notice"))
    if not facility.rooms:
        problems.append(doc.problem(("facility", "rooms"), "部屋 'rooms' が未記入です。講座・イベントの会場の名前に使います", key=True, severity="notice"))
    booking = {"how_to_register": "団体登録の手続き", "how_to_book": "部屋の予約の方法（申込みの始まる日など）"}
    missing = [key for key in booking if not getattr(facility.booking, key)]
    if missing:
        problems.append(doc.problem(("facility", "booking", missing[0]), f"{'と'.join(booking[k] for k in missing)}が未記入です。分かったら "
                                    f"{'、'.join('facility.booking.' + k for k in missing)} に記入してください（それまでは施設案内で窓口でたずねるよう案内します）",
                                    key=True, severity="notice"))
    if not facility.access.transit:
        problems.append(doc.problem(("facility", "access", "transit"), "公共交通機関での行き方（最寄り駅・バス停と歩く時間）が未記入です。"
                                    "分かったら facility.access.transit に記入してください", key=True, severity="notice"))
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


def read_markdown(root: Path, file: Path) -> tuple[str | None, list[Problem]]:
    """A Markdown file by the rules of ``limits.read_text``, without control characters (as YAML)."""
    text, problems = read_text(root, file)
    if text is not None and (bad := control_character(file.relative_to(root).as_posix(), text)):
        return None, problems + [bad]
    return text, problems


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)


def load_page(file: Path, root: Path, base: Path) -> tuple[Page | None, list[Problem]]:
    rel = file.relative_to(root).as_posix()
    text, problems = read_markdown(root, file)
    if text is None:
        return None, problems
    meta, body, problems = split_front_matter(rel, text, PageMeta)
    if meta is None:
        return None, problems
    from .links import page_html  # links.py imports this module

    if slow := markdown_problem(rel, body_line(text), body, page_html):
        return None, problems + [slow]
    return Page(file.relative_to(base).as_posix(), meta, body), problems


# Paths the generator writes itself; a hand-written page may not take them.
RESERVED = ("index.md", "accessibility.md", "newsletter.yaml", "facility.md", "contact.md", "follow.md", "search.md", "programs/", "events/", "calendar/", "assets/", "feeds/",
            "ics/", "images/", "news/", "blog/", "newsletters/", "progress/", "pagefind/")


POST_KINDS = {"news": "お知らせ", "blog": "ブログ"}


def split_front_matter(rel: str, text: str, model: type[M], plans: list[Plan] | None = None) -> tuple[M | None, str, list[Problem]]:
    """Front matter checked like any YAML file (line numbers count from the file's first line)."""
    match = _FRONT_MATTER.match(text)
    meta_text, body = (match.group(1) or "", text[match.end():]) if match else ("", text)
    doc, problems = load_yaml_text(rel, "\n" + meta_text)  # line 1 is the opening ---
    if doc is None:
        return None, body, problems
    if doc.data is None:
        doc.data = {}
    meta, more = validate_document(doc, model)
    program = getattr(meta, "program", None)
    if plans and meta is not None and program:
        plan = plan_for_date(plans, meta.date)
        program_ids = [p.id for p in plan.programs]
        if program not in program_ids:
            more.append(doc.problem(("program",), f"事業 ID '{program}' は{plan.fiscal_year}年度の事業計画にありません。"
                                    f"{suggest(program, program_ids)}（使える ID: {', '.join(program_ids)}）"))
            meta = None
    return meta, body, problems + more


def load_posts(root: Path, plans: list[Plan]) -> tuple[list[Post], list[Problem]]:
    posts, problems = [], []
    for kind in POST_KINDS:
        files, found = entries(root, root / "content" / kind)
        problems += found
        for file in files:
            rel = file.relative_to(root).as_posix()
            if file.suffix != ".md" or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", file.stem):
                problems.append(Problem(rel, 0, 0, "ファイル名は英小文字・数字・ハイフンで、拡張子は .md にしてください（例: 2025-06-01-kyukan.md）"))
                continue
            if file.stem == "index":
                problems.append(Problem(rel, 0, 0, "index.md は一覧ページに使われています。別の名前にしてください"))
                continue
            text, found = read_markdown(root, file)
            problems += found
            if text is None:
                continue
            meta, body, found = split_front_matter(rel, text, PostMeta, plans)
            problems += found
            if meta is not None and (slow := markdown_problem(rel, body_line(text), body)):
                problems.append(slow)
            elif meta is not None:
                posts.append(Post(kind=kind, slug=file.stem, path=rel, meta=meta, body=body))
    return sorted(posts, key=lambda p: (p.meta.date, p.kind, p.slug), reverse=True), problems


def load_newsletters(root: Path) -> tuple[list[Newsletter], NewsletterSettings, list[Problem]]:
    problems: list[Problem] = []
    settings = NewsletterSettings()
    file = root / "content" / "newsletter.yaml"
    if file.exists():
        loaded, doc, found = load_model_file(file, NewsletterSettings, root)
        problems += found
        settings = loaded or settings
        if loaded and not loaded.subscribe_url and doc:
            problems.append(doc.problem(("subscribe_url",), "メールマガジンの登録フォームの URL が未設定です（登録方法のページに表示できません）", key=True, severity="notice"))
    issues = []
    files, found = entries(root, root / "content" / "newsletters")
    problems += found
    for path in files:
        rel = path.relative_to(root).as_posix()
        match = re.fullmatch(r"(\d{4})-(\d{2})\.md", path.name)
        if not match or not 1 <= int(match.group(2)) <= 12:
            problems.append(Problem(rel, 0, 0, "ファイル名は YYYY-MM.md にしてください（例: 2025-06.md）"))
            continue
        text, found = read_markdown(root, path)
        problems += found
        if text is None:
            continue
        meta, body, found = split_front_matter(rel, text, NewsletterMeta)
        problems += found
        if meta is not None and (slow := markdown_problem(rel, body_line(text), body)):
            problems.append(slow)
            continue
        if meta is not None and body.strip() == PLACEHOLDER_INTRO:
            problems.append(Problem(rel, body_line(text), 1, f"前書きがひな形の「{PLACEHOLDER_INTRO}」のままです。今月の前書きを書いてください",
                                    "warning"))
        if meta is not None:
            issues.append(Newsletter(year=int(match.group(1)), month=int(match.group(2)), path=rel, meta=meta, body=body))
    return issues, settings, problems


def body_line(text: str) -> int:
    """The first line of the Markdown body, after the front matter."""
    match = _FRONT_MATTER.match(text)
    return text.count("\n", 0, match.end()) + 1 if match else 1


def load_pages(root: Path) -> tuple[list[Page], list[Problem]]:
    base = root / "content" / "pages"
    pages: list[Page] = []
    files, problems = walk(root, base)
    for file in (f for f in files if f.suffix == ".md"):
        target = file.relative_to(base).as_posix()
        if any(target == r or (r.endswith("/") and target.startswith(r)) for r in RESERVED):
            problems.append(Problem(file.relative_to(root).as_posix(), 0, 0,
                                    f"'{target}' は自動生成されるページと同じ場所です。別のファイル名にしてください"))
            continue
        page, found = load_page(file, root, base)
        problems += found
        if page is not None:
            pages.append(page)
    return pages, problems


def plan_files(root: Path) -> list[Path]:
    """``plan.yaml`` (this year's) and any earlier years kept in ``plans/`` (a symlink there is
    refused by ``limits.scan``)."""
    files, _ = entries(root, root / "plans")
    return [root / "plan.yaml"] + [f for f in files if f.suffix == ".yaml" and not f.is_dir()]


def load_accessibility(root: Path) -> tuple[AccessibilityRecord | None, list[Problem]]:
    """The last accessibility test run (``make a11y-record`` writes it); without it the policy page
    says that no results are published yet."""
    file = root / "content" / "accessibility.yaml"
    if not file.exists():
        return None, []
    record, _, problems = load_model_file(file, AccessibilityRecord, root)
    return record, problems


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
        return [Problem(rel, 1, 1, f"このファイルは {plan.fiscal_year}年度の計画です。ファイル名を plans/{plan.fiscal_year}.yaml にしてください")]
    return []


def load_site(root: Path, today: date, *, recorded_until: date | None = None, cache: dict | None = None) -> Site:
    """Load and check all content under ``root``; raise ContentError listing every error.

    ``today`` decides what is published and current. ``recorded_until`` is the last day for which
    results (participants) and changes (``updated``) may already be recorded: the CLI passes the real
    date, so ``--today`` previews an earlier date without turning later records into errors. Without
    it (a preview of any date), records are not checked against a date. ``cache``: a dict the caller
    keeps between calls (``serve``): plan and event files whose bytes did not change are not read
    again, and give the very same objects (``load_plans``, ``load_events``)."""
    root = root.resolve()
    problems = scan(root)  # symlinks and special files anywhere in the content, unfit images
    plans, found = load_plans(root, None if cache is None else cache.setdefault("plans", {}))
    problems += found
    pages, found = load_pages(root)
    problems += found
    posts, found = load_posts(root, plans) if plans else ([], [])
    problems += found
    newsletters, newsletter_settings, found = load_newsletters(root)
    problems += found
    program_ids = {p.id for plan in plans for p in plan.programs}
    if newsletter_settings.program and newsletter_settings.program not in program_ids:
        problems.append(Problem("content/newsletter.yaml", 0, 0, f"事業 ID '{newsletter_settings.program}' は事業計画にありません。"
                                f"{suggest(newsletter_settings.program, sorted(program_ids))}"))
    accessibility, found = load_accessibility(root)
    problems += found
    home = root / "content" / "home.md"
    home_intro, found = read_markdown(root, home) if home.exists() or home.is_symlink() else ("", [])
    problems += found
    if home_intro and (slow := markdown_problem("content/home.md", 1, home_intro)):
        problems.append(slow)
    problems = list(dict.fromkeys(problems))  # a symlink is found by the scan and again by its reader
    if errors_of(problems) or not plans:
        raise ContentError(problems)
    records, found = load_events(root, plans, recorded_until or date.max, None if cache is None else cache.setdefault("events", {}))
    problems += found
    site_url, found = read_site_url(root)
    problems += found
    problems = list(dict.fromkeys(problems))
    if errors_of(problems):
        raise ContentError(problems)
    plan = shown_plan(plans, today)
    problems += contact_problems(records, plan.facility, today)
    if plan.fiscal_year < fiscal_year(today):
        problems.append(Problem("plan.yaml", 0, 0, f"今日（{today.isoformat()}）の{fiscal_year(today)}年度の事業計画がまだないため（または作成中のため）、"
                                f"サイトには「準備中」と出し、{plan.fiscal_year}年度の計画と実績を表示します", "notice"))
    published = [p for p in posts if p.meta.date <= today]
    return Site(
        root=root,
        today=today,
        plan=plan,
        site_url=site_url,
        plans=tuple(sorted(plans, key=lambda p: p.fiscal_year)),
        pages=tuple(pages),
        events=tuple(sorted(records, key=lambda r: r.id)),
        posts=tuple(published),
        newsletters=tuple(newsletters),
        newsletter_settings=newsletter_settings,
        occurrences=sorted_occurrences(records),
        home_intro=home_intro or "",
        accessibility=accessibility,
        warnings=tuple(sorted(problems)),
        scheduled_posts=len(posts) - len(published),
    )
