"""Pure renderers: a Site in, ``{docs path: text}`` out. No files, no clock."""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup

from generator.model.plan import Facility
from generator.model.plan import Page as HandWrittenPage
from generator.reading.site import Site
from generator.render.event_lists import by_month
from generator.render.page import Page
from generator.render.plaintext import text_summary
from generator.render.posts import render_post_list
from generator.render.progress import ProgramProgress, as_of, progress_by_program, started_years
from generator.render.templating import render_months, render_page, render_template
from generator.rules import contact, dates
from generator.rules.closed_days import day_status, rule_lines, rule_summary, upcoming_temporary

STATUS_DAYS = 400  # days of opening status the home page carries for its script (upcoming.js)
WEEK = 7  # days the home page lists (and as many more, hidden, for the script to move on to)
HOME_LIMIT = 40  # events on the home page (this month's and next month's); the rest: their calendar pages
CODES = string.digits + string.ascii_letters


@dataclass(frozen=True)
class DayLine:
    """A day as the home page tells it: ``休館日（第1月曜日）`` or ``開館`` with its hours."""

    day: date
    open: bool
    text: str  # 開館, 臨時開館日（…）, 休館日（第1月曜日）, 年末年始の休館日, 臨時休館日（…）
    hours: str  # 9時〜21時 when open, else ""

    @property
    def holiday(self) -> bool:
        return bool(dates.holiday_name(self.day))


def day_line(site: Site, day: date) -> DayLine:
    """Open or closed on ``day`` by the rules of its fiscal year (closed_days.py) and its hours."""
    facility = site.plan_for(day).facility
    status = day_status(day, facility.closed)
    if status and status.closed:
        return DayLine(day, False, status.text, "")
    hours = dates.opening_hours(day, facility.hours)
    return DayLine(day, True, status.text if status else "開館", dates.format_time_range(hours.open, hours.close))


def status_table(lines: list[DayLine]) -> tuple[str, list[list]]:
    """The days as one character each (an index into the texts) and the texts ``[holiday, text, hours]``:
    a year of days in a few hundred bytes, for the script that corrects today's status on a later day."""
    texts: list[list] = []
    codes = []
    for line in lines:
        text = [int(line.holiday), line.text, line.hours]
        if text not in texts:
            texts.append(text)
        codes.append(CODES[texts.index(text)])
    if len(texts) > len(CODES):  # not reached: a year has far fewer kinds of day
        raise ValueError("too many kinds of day for the status table")
    return "".join(codes), texts


def month_after_next(day: date) -> date:
    """The first day of the month after next: 2025-11-20 -> 2026-01-01, 2026-03-31 -> 2026-05-01."""
    return date(*dates.next_month(*dates.next_month(day.year, day.month)), 1)


def this_and_next_month(site: Site) -> list:
    """Upcoming occurrences that happen before the month after next (ongoing ones included)."""
    return [o for o in site.upcoming() if o.date < month_after_next(site.today)]


def _hours(facility: Facility) -> tuple[str, str]:
    """Weekday and Sunday/holiday hours: ``9時〜21時``, ``9時〜17時``."""
    week, sun = facility.hours.weekdays, facility.hours.sundays_holidays
    return dates.format_time_range(week.open, week.close), dates.format_time_range(sun.open, sun.close)


def hours_summary(facility: Facility) -> str:
    week, sun = _hours(facility)
    return f"開館時間は月曜日〜土曜日 {week}、日曜日・祝日 {sun}"


def render_home(site: Site) -> Page:
    plan = site.plan
    facility = site.plan_for(site.today).facility
    lines = [day_line(site, site.today + timedelta(days=n)) for n in range(STATUS_DAYS)]
    codes, texts = status_table(lines)
    return render_page(
        "index.md",
        "home.md.j2",
        kind="home",
        title=plan.facility.name,
        description=f"{plan.facility.name}（{plan.facility.address}）の講座・イベント、事業、施設案内。",
        plan=plan,
        facility=facility,
        intro=site.home_intro,
        today=lines[0],
        week=lines[: 2 * WEEK],
        week_days=WEEK,
        status_from=site.today,
        status_codes=codes,
        status_texts=json.dumps(texts, ensure_ascii=False, separators=(",", ":")),
        closed_rules=rule_lines(facility.closed),
        temporary_days=upcoming_temporary(site.plans, site.today)[:5],
        preparing=site.preparing_year,
        upcoming_html=render_months(by_month(this_and_next_month(site), HOME_LIMIT), "", level=3, prefix="home-"),
        news_html=Markup(render_post_list(list(site.posts[:5]), "")),
    )


def render_programs_index(site: Site) -> Page:
    plan = site.plan
    return render_page(
        "programs/index.md",
        "programs.md.j2",
        kind="programs",
        title="事業一覧",
        description=f"{plan.title}の全{len(plan.programs)}事業を事業目標・区分ごとに紹介します。",
        plan=plan,
        preparing=site.preparing_year,
        ended=[(p, site.program_years(p.id)) for p in site.ended_programs()],
    )


def program_year(site: Site, program_id: str) -> int:
    """The plan year a program page presents: the shown plan's if it has the program, else the
    last year it ran before that, else the first year it is planned for."""
    years = site.program_years(program_id)
    return max((y for y in years if y <= site.plan.fiscal_year), default=min(years))


def render_program(site: Site, program_id: str, progress: dict[int, dict[str, ProgramProgress]] | None = None) -> Page:
    """One page per program id of any year, at a URL that never changes (``programs/ID/``): links on
    paper and in old newsletters keep working after the program leaves the plan."""
    year = program_year(site, program_id)
    plan = site.plan_of_year(year)
    assert plan is not None
    program = plan.program(program_id)
    assert program is not None
    progress = progress if progress is not None else {y: progress_by_program(site, y) for y in started_years(site)}
    mine = [o for o in site.public_occurrences() if o.item.program == program_id]
    soon = [o for o in mine if o.end_date >= site.today]
    past = [o for o in mine if o.end_date < site.today and dates.fiscal_year(o.date) == year]
    years = site.program_years(program_id)
    history = [(y, progress[y][program_id]) for y in sorted(years, reverse=True) if y != year and y in progress]
    return render_page(
        f"programs/{program_id}.md",
        "program.md.j2",
        kind="program",
        title=program.name,
        description=text_summary(program.purpose or program.content, 120),
        plan=plan,
        program=program,
        section=plan.section_of(program_id),
        in_shown_plan=year == site.plan.fiscal_year,
        ended=year < site.plan.fiscal_year,
        preparing=site.preparing_year,
        upcoming_html=render_months(by_month(soon), "../../", level=3),
        progress=progress.get(year, {}).get(program_id),
        as_of=as_of(site, year),
        history=history,
        feed=f"feeds/programs/{program_id}.rss.xml",
        past_html=render_months(by_month(reversed(past), newest_first=True), "../../", level=4, prefix="past-", past=True)
        if past
        else "",
        has_ics=bool(mine),
    )


def render_facility(site: Site) -> Page:
    facility = site.plan.facility
    rooms = [
        {
            "name": r.name,
            "area": contact.area_text(r.area),
            "capacity": contact.capacity_text(r),
            "slots": contact.slots_text(r),
            "slots_note": r.slots_note,
            "fees": contact.fees_text(r),
            "missing": bool(r.unknown),
        }
        for r in facility.rooms
    ]
    return render_page(
        "facility.md",
        "facility.md.j2",
        kind="facility",
        title="施設案内",
        description=f"{facility.name}の所在地・アクセス、開館時間、休館日、部屋の広さ・定員・利用料金と利用のしかた。",
        facility=facility,
        postal_address=contact.postal_address(facility),
        rooms=rooms,
        closed_rules=rule_lines(facility.closed),
        temporary_days=upcoming_temporary(site.plans, site.today),
    )


# The footer's contact block: a theme partial the generator writes (build._write_docs), included by
# theme/partials/copyright.html on every page, the 404 page too.
FOOTER_PARTIAL = "partials/facility-contact.html"


def render_footer(site: Site) -> str:
    """The facility's name, address, phone and e-mail (the known ones) and hours, as the theme
    partial. Its text is Jinja source for MkDocs' theme: braces in the facts become entities."""
    facility = site.plan.facility
    week, sun = _hours(facility)
    hours = f"月〜土 {week}、日・祝 {sun}"
    html = render_template(
        "footer_contact.html.j2", facility=facility, postal_address=contact.postal_address(facility), hours=hours
    )
    return html.replace("{", "&#123;").replace("}", "&#125;")


def render_contact(site: Site) -> Page:
    """お問い合わせ (/contact/): how to reach the facility with the facts the plan knows."""
    facility = site.plan.facility
    return render_page(
        "contact.md",
        "contact.md.j2",
        kind="contact",
        title="お問い合わせ",
        description=f"{facility.name}へのお問い合わせ: 窓口の所在地と開館時間"
        + ("、電話" if facility.phone else "")
        + ("、メール" if facility.email else "")
        + "。",
        facility=facility,
        postal_address=contact.postal_address(facility),
        hours_summary=hours_summary(facility),
        closed_summary=rule_summary(facility.closed),
    )


def render_follow(site: Site) -> Page:
    return render_page(
        "follow.md",
        "follow.md.j2",
        kind="follow",
        title="更新情報の受け取り方",
        description="RSS・Atom、カレンダーアプリでの購読、メールマガジンで新しい講座・イベントやお知らせを受け取る方法。",
        facility=site.plan.facility,
        site_url=site.site_url,
        webcal_url=site.webcal_url,
        ics_url=site.calendar_feed_url,
        newsletter_url="../newsletters/",
    )


# The conformance the site aims at (JIS X 8341-3 is WCAG 2.0 as a Japanese standard; the tests check WCAG 2.2 AA).
A11Y_STANDARD = "JIS X 8341-3:2016"
A11Y_LEVEL = "AA"


def render_accessibility(site: Site) -> Page:
    """ウェブアクセシビリティ方針: the policy, and the last test run's pages and results (content/accessibility.yaml)."""
    record = site.accessibility
    return render_page(
        "accessibility.md",
        "accessibility.md.j2",
        kind="accessibility",
        title="ウェブアクセシビリティ方針",
        description=f"{site.plan.facility.name}のウェブアクセシビリティ方針（目標とする適合レベル、対象範囲、例外事項、試験結果）。",
        facility=site.plan.facility,
        site_url=site.site_url,
        record=record,
        unlisted=True,  # a record for the site's users, reached from every page's footer; not a search answer
        standard=record.standard if record else A11Y_STANDARD,
        level=record.level if record else A11Y_LEVEL,
    )


# Hand-written pages under these folders are for staff: neither in the search index nor in the sitemap.
UNLISTED_FOLDERS = ("staff/",)


def is_unlisted(path: str) -> bool:
    return path.startswith(UNLISTED_FOLDERS)


def render_hand_written(page: HandWrittenPage) -> Page:
    """A hand-written page: its checked metadata, and its Markdown for the HTML builder to convert."""
    return Page(
        page.path,
        page.meta.title,
        page.meta.description,
        "custom",
        markdown=page.body,
        unlisted=is_unlisted(page.path),
        hide_toc=False,
    )


def render_pages(site: Site) -> dict[str, Page]:
    """Every page the plan and hand-written content make, keyed by docs path."""
    files = {
        "index.md": render_home(site),
        "programs/index.md": render_programs_index(site),
        "facility.md": render_facility(site),
        "contact.md": render_contact(site),
        "follow.md": render_follow(site),
        "accessibility.md": render_accessibility(site),
        "search.md": render_page(
            "search.md",
            "search.md.j2",
            kind="search",
            title="サイト内検索",
            description=f"{site.plan.facility.name}のサイト内を検索します。",
        ),
    }
    progress = {year: progress_by_program(site, year) for year in started_years(site)}
    for program in site.all_programs():
        files[f"programs/{program.id}.md"] = render_program(site, program.id, progress)
    for page in site.pages:
        files[page.path] = render_hand_written(page)
    return files
