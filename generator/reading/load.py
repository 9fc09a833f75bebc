"""Read everything, check everything, return one frozen Site — or every problem at once.

Nothing here writes files. A file that fails validation is an error, never skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel

from generator.model.errors import ContentError, Problem, errors_of, suggest
from generator.model.plan import (
    PLACEHOLDER_INTRO,
    AccessibilityRecord,
    Newsletter,
    NewsletterMeta,
    NewsletterSettings,
    Page,
    PageMeta,
    Plan,
    Post,
    PostMeta,
    is_slug,
)
from generator.reading.config import BuilderConfig, read_builder_config
from generator.reading.documents import load_model_file, validate_document
from generator.reading.limits import entries, read_text, scan, walk
from generator.reading.load_events import load_events
from generator.reading.load_plans import load_plans
from generator.reading.markdown import markdown_problem, page_html
from generator.reading.site import Record, Site, sorted_occurrences
from generator.reading.yaml_strict import control_character, load_yaml_text
from generator.rules.contact import contact_problems
from generator.rules.dates import fiscal_year
from generator.rules.plans import plan_for_date, shown_plan

M = TypeVar("M", bound=BaseModel)


def read_markdown(root: Path, file: Path) -> tuple[str | None, list[Problem]]:
    """A Markdown file by the rules of ``limits.read_text``, without control characters (as YAML)."""
    text, problems = read_text(root, file)
    if text is not None and (bad := control_character(file.relative_to(root).as_posix(), text)):
        return None, problems + [bad]
    return text, problems


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)


def load_page(file: Path, root: Path, base: Path, config: BuilderConfig) -> tuple[Page | None, list[Problem]]:
    rel = file.relative_to(root).as_posix()
    text, problems = read_markdown(root, file)
    if text is None:
        return None, problems
    meta, body, problems = split_front_matter(rel, text, PageMeta)
    if meta is None:
        return None, problems

    if slow := markdown_problem(rel, body_line(text), body, partial(page_html, config=config)):
        return None, problems + [slow]
    return Page(file.relative_to(base).as_posix(), meta, body), problems


# Paths the generator writes itself; a hand-written page may not take them (tests/test_pages.py holds every
# generated path inside them).
RESERVED = (
    "index.md",
    "accessibility.md",
    "newsletter.yaml",
    "facility.md",
    "contact.md",
    "follow.md",
    "search.md",
    "progress.md",
    "programs/",
    "events/",
    "calendar/",
    "assets/",
    "feeds/",
    "ics/",
    "images/",
    "news/",
    "blog/",
    "newsletters/",
    "progress/",
    "pagefind/",
)


POST_KINDS: dict[Literal["news", "blog"], str] = {"news": "お知らせ", "blog": "ブログ"}


def split_front_matter(
    rel: str, text: str, model: type[M], plans: list[Plan] | None = None
) -> tuple[M | None, str, list[Problem]]:
    """Front matter checked like any YAML file (line numbers count from the file's first line)."""
    match = _FRONT_MATTER.match(text)
    meta_text, body = (match.group(1) or "", text[match.end() :]) if match else ("", text)
    doc, problems = load_yaml_text(rel, "\n" + meta_text)  # line 1 is the opening ---
    if doc is None:
        return None, body, problems
    if doc.data is None:
        doc.data = {}
    meta, more = validate_document(doc, model)
    program = meta.program if isinstance(meta, PostMeta) else None  # a post may name a program
    if plans and isinstance(meta, PostMeta) and program:
        plan = plan_for_date(plans, meta.date)
        program_ids = [p.id for p in plan.programs]
        if program not in program_ids:
            more.append(
                doc.problem(
                    ("program",),
                    f"事業 ID '{program}' は{plan.fiscal_year}年度の事業計画にありません。"
                    f"{suggest(program, program_ids)}（使える ID: {', '.join(program_ids)}）",
                )
            )
            meta = None
    return meta, body, problems + more


def load_posts(root: Path, plans: list[Plan]) -> tuple[list[Post], list[Problem]]:
    posts, problems = [], []
    for kind in POST_KINDS:
        files, found = entries(root, root / "content" / kind)
        problems += found
        for file in files:
            rel = file.relative_to(root).as_posix()
            if file.suffix != ".md" or not is_slug(file.stem):
                problems.append(
                    Problem(
                        rel,
                        0,
                        0,
                        "ファイル名は英小文字・数字・ハイフンで、拡張子は .md にしてください（例: 2025-06-01-kyukan.md）",
                    )
                )
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
            problems.append(
                doc.problem(
                    ("subscribe_url",),
                    "メールマガジンの登録フォームの URL が未設定です（登録方法のページに表示できません）",
                    key=True,
                    severity="notice",
                )
            )
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
            problems.append(
                Problem(
                    rel,
                    body_line(text),
                    1,
                    f"前書きがひな形の「{PLACEHOLDER_INTRO}」のままです。今月の前書きを書いてください",
                    "warning",
                )
            )
        if meta is not None:
            issues.append(Newsletter(year=int(match.group(1)), month=int(match.group(2)), path=rel, meta=meta, body=body))
    return issues, settings, problems


def body_line(text: str) -> int:
    """The first line of the Markdown body, after the front matter."""
    match = _FRONT_MATTER.match(text)
    return text.count("\n", 0, match.end()) + 1 if match else 1


def load_pages(root: Path, config: BuilderConfig) -> tuple[list[Page], list[Problem]]:
    base = root / "content" / "pages"
    pages: list[Page] = []
    files, problems = walk(root, base)
    for file in (f for f in files if f.suffix == ".md"):
        target = file.relative_to(base).as_posix()
        if any(target == r or (r.endswith("/") and target.startswith(r)) for r in RESERVED):
            problems.append(
                Problem(
                    file.relative_to(root).as_posix(),
                    0,
                    0,
                    f"'{target}' は自動生成されるページと同じ場所です。別のファイル名にしてください",
                )
            )
            continue
        page, found = load_page(file, root, base, config)
        problems += found
        if page is not None:
            pages.append(page)
    return pages, problems


def load_accessibility(root: Path) -> tuple[AccessibilityRecord | None, list[Problem]]:
    """The last accessibility test run (``make a11y-record`` writes it); without it the policy page
    says that no results are published yet."""
    file = root / "content" / "accessibility.yaml"
    if not file.exists():
        return None, []
    record, _, problems = load_model_file(file, AccessibilityRecord, root)
    return record, problems


@dataclass(frozen=True)
class _Content:
    """What content/ holds besides the events."""

    pages: list[Page]
    posts: list[Post]
    newsletters: list[Newsletter]
    newsletter_settings: NewsletterSettings
    accessibility: AccessibilityRecord | None
    home_intro: str


def _load_home(root: Path) -> tuple[str, list[Problem]]:
    home = root / "content" / "home.md"
    text, problems = read_markdown(root, home) if home.exists() or home.is_symlink() else ("", [])
    if text and (slow := markdown_problem("content/home.md", 1, text)):
        problems.append(slow)
    return text or "", problems


def _newsletter_program(settings: NewsletterSettings, plans: list[Plan]) -> list[Problem]:
    program_ids = {p.id for plan in plans for p in plan.programs}
    if not settings.program or settings.program in program_ids:
        return []
    return [
        Problem(
            "content/newsletter.yaml",
            0,
            0,
            f"事業 ID '{settings.program}' は事業計画にありません。{suggest(settings.program, sorted(program_ids))}",
        )
    ]


def _load_content(root: Path, plans: list[Plan], config: BuilderConfig) -> tuple[_Content, list[Problem]]:
    pages, problems = load_pages(root, config)
    posts, found = load_posts(root, plans) if plans else ([], [])
    newsletters, settings, more = load_newsletters(root)
    accessibility, also = load_accessibility(root)
    home_intro, home_problems = _load_home(root)
    problems += found + more + _newsletter_program(settings, plans) + also + home_problems
    return _Content(pages, posts, newsletters, settings, accessibility, home_intro), problems


def _stop_on_errors(problems: list[Problem], *, stop: bool = False) -> list[Problem]:
    """The problems once each (a symlink is found by the scan and again by its reader); ContentError
    if any is an error, or if ``stop``."""
    problems = list(dict.fromkeys(problems))
    if stop or errors_of(problems):
        raise ContentError(problems)
    return problems


def _year_notice(plan: Plan, today: date) -> list[Problem]:
    if plan.fiscal_year >= fiscal_year(today):
        return []
    return [
        Problem(
            "plan.yaml",
            0,
            0,
            f"今日（{today.isoformat()}）の{fiscal_year(today)}年度の事業計画がまだないため（または作成中のため）、"
            f"サイトには「準備中」と出し、{plan.fiscal_year}年度の計画と実績を表示します",
            "notice",
        )
    ]


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
    config, builder_problems = read_builder_config(root)
    content, more = _load_content(root, plans, config or BuilderConfig())
    problems = _stop_on_errors(problems + found + more, stop=not plans)
    records, found = load_events(
        root, plans, recorded_until or date.max, None if cache is None else cache.setdefault("events", {})
    )
    problems = _stop_on_errors(problems + found + builder_problems)
    assert config is not None  # else an error above
    plan = shown_plan(plans, today)
    problems += contact_problems(records, plan.facility, today) + _year_notice(plan, today)
    return _site(root, today, plan, config, plans, records, content, problems)


def _site(
    root: Path,
    today: date,
    plan: Plan,
    config: BuilderConfig,
    plans: list[Plan],
    records: list[Record],
    content: _Content,
    problems: list[Problem],
) -> Site:
    published = [p for p in content.posts if p.meta.date <= today]
    return Site(
        root=root,
        today=today,
        plan=plan,
        builder=config,
        plans=tuple(sorted(plans, key=lambda p: p.fiscal_year)),
        pages=tuple(content.pages),
        events=tuple(sorted(records, key=lambda r: r.id)),
        posts=tuple(published),
        newsletters=tuple(content.newsletters),
        newsletter_settings=content.newsletter_settings,
        occurrences=sorted_occurrences(records),
        home_intro=content.home_intro,
        accessibility=content.accessibility,
        warnings=tuple(sorted(problems)),
        scheduled_posts=len(content.posts) - len(published),
    )
