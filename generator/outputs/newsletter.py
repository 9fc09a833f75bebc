"""The monthly メールマガジン: one issue's contents, as plain text (the one that must be perfect),
HTML (an addition) and a ready-to-send ``.eml`` draft. Never a subscriber list.

Pure: a Site and a month in, text out. ``python -m generator newsletter`` writes the files.
"""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from urllib.parse import urljoin, urlparse

from markupsafe import Markup

from generator.model.errors import ContentError, Problem, Severity, errors_of
from generator.model.event import cancelled_mark
from generator.model.plan import Facility, Newsletter, Post
from generator.outputs.mailtext import outside_jis, replacement, unsendable, wrap
from generator.reading.limits import read_text
from generator.reading.markdown import render_markdown
from generator.reading.site import Site
from generator.render.page import Page
from generator.render.plaintext import plain_text
from generator.render.templating import DOCUMENT_ENV, format_fee, macro, render_document
from generator.rules import dates
from generator.rules.contact import ways_text
from generator.rules.series import Occurrence

EARLY_NEXT_MONTH = 10  # days of the next month that an issue also announces
RULE = "━" * 35


@dataclass(frozen=True)
class Entry:
    """One event or series as the mail lists it: all its dates in the period."""

    title: str
    url: str
    occurrences: tuple[Occurrence, ...]
    source: str

    @property
    def item(self):
        return self.occurrences[0].item


@dataclass(frozen=True)
class Issue:
    year: int
    month: int
    issued: date
    intro: str
    corner: tuple[Entry, ...]
    others: tuple[Entry, ...]
    deadlines: tuple[tuple[date, Entry], ...]
    posts: tuple[Post, ...]
    links: tuple[tuple[str, str], ...]
    footer: tuple[str, ...] = field(default=())

    @property
    def subject(self) -> str:
        return f"【横浜市社会教育コーナー】メールマガジン {self.year}年{self.month}月号"


def parse_month(value: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in value.split("-"))
        date(year, month, 1)
        if len(value) != 7:
            raise ValueError
    except ValueError:
        raise ValueError(f"月は YYYY-MM で指定してください（値: {value}）。例: 2025-06") from None
    return year, month


def _period(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    return first, last + timedelta(days=EARLY_NEXT_MONTH)


def _entries(site: Site, occurrences: list[Occurrence]) -> list[Entry]:
    by_item: dict[str, list[Occurrence]] = {}
    for occ in occurrences:
        by_item.setdefault(occ.item_id, []).append(occ)
    paths = {r.id: r.path for r in site.events}
    entries = [
        Entry(occs[0].item.title, site.event_url(item_id), tuple(occs), paths[item_id]) for item_id, occs in by_item.items()
    ]
    return sorted(entries, key=lambda e: (e.occurrences[0].sort_key(), e.url))


def _editorial(site: Site, year: int, month: int) -> Newsletter | None:
    return next((n for n in site.newsletters if (n.year, n.month) == (year, month)), None)


def build_issue(site: Site, year: int, month: int) -> Issue:
    """Collect one month's contents. A month whose year has no plan yet (April's issue, drafted in
    March) is made all the same: the sender's facts come from the newest plan."""
    first, last = _period(year, month)
    shown = [o for o in site.public_occurrences() if o.date <= last and o.end_date >= first]
    editorial = _editorial(site, year, month)
    issued = (editorial and (editorial.meta.issued or editorial.meta.sent)) or first
    month_last = date(year, month, calendar.monthrange(year, month)[1])
    deadlines = sorted(
        (
            (e.item.application.deadline, e)
            for e in _entries(site, site.public_occurrences())
            if e.item.application.deadline and first <= e.item.application.deadline <= month_last
        ),
        key=lambda pair: (pair[0], pair[1].url),
    )
    previous_first = (first - timedelta(days=1)).replace(day=1)
    posts = tuple(p for p in site.posts if previous_first <= p.meta.date <= month_last)
    return Issue(
        year=year,
        month=month,
        issued=issued,
        intro=editorial.body.strip() if editorial else "",
        corner=tuple(_entries(site, [o for o in shown if o.item.program])),
        others=tuple(_entries(site, [o for o in shown if o.item.organizer])),
        deadlines=tuple(deadlines),
        posts=posts,
        links=(
            ("講座・イベントのカレンダー", f"{site.site_url}calendar/"),
            ("更新情報（RSS フィード）", f"{site.site_url}feeds/rss.xml"),
            ("更新情報の受け取り方（RSS・カレンダー）", f"{site.site_url}follow/"),
        ),
        footer=footer_lines(site),
    )


def footer_lines(site: Site) -> tuple[str, ...]:
    """特定電子メール法 style: sender, address, contact, how to stop and change, back numbers."""
    facility, settings = site.plan.facility, site.newsletter_settings
    archive = f"{site.site_url}newsletters/"
    lines = (
        [f"発行: {facility.name}"]
        + ([f"運営: {facility.operator}"] if facility.operator else [])
        + [f"住所: {'〒' + facility.postal_code + ' ' if facility.postal_code else ''}{facility.address}"]
    )
    if facility.phone:
        lines.append(f"電話: {facility.phone}")
    if facility.email:
        lines.append(f"メール: {facility.email}")
    lines += ["配信停止は、次のページから手続きできます。", settings.unsubscribe_url or settings.subscribe_url or archive]
    lines += ["登録アドレスの変更は、次のページから手続きできます。", settings.change_url or settings.subscribe_url or archive]
    lines += ["バックナンバー:", archive]
    if not settings.replies_read:
        lines.append("このメールは送信専用です。返信いただいてもお答えできません。")
    lines.append("お心当たりのない方は、お手数ですが配信停止の手続きをお願いします。")
    return tuple(lines)


def _when(entry: Entry) -> str:
    occs = entry.occurrences
    first = occs[0]
    if len(occs) == 1:
        return dates.format_span(first.date, first.end_date, first.start, first.end, year=False)
    by_month: dict[int, list[str]] = {}
    for occ in occs:
        label = f"{occ.date.day}日（{dates.weekday_label(occ.date)}）" + cancelled_mark(occ.status)
        by_month.setdefault(occ.date.month, []).append(label)
    days = "、".join(f"{month}月" + "・".join(labels) for month, labels in by_month.items())
    times = f" {dates.format_time_range(first.start, first.end)}" if first.start else ""
    return days + times


def _application(entry: Entry, facility: Facility) -> str:
    app = entry.item.application
    if not app.required:
        return "不要"
    text = f"要（{ways_text(entry.item, facility)}）"
    if app.deadline:
        text += f"、{dates.format_date(app.deadline, year=False)}まで"
    return text


def _entry_lines(entry: Entry, facility: Facility) -> list[str]:
    item, first = entry.item, entry.occurrences[0]
    mark = cancelled_mark(first.status) if len(entry.occurrences) == 1 else ""
    lines = [f"◆{mark}{entry.title}", f"日時: {_when(entry)}", f"会場: {item.venue.name}"]
    if mark and first.status_reason:
        lines.append(f"中止の理由: {first.status_reason}")
    if item.audience:
        lines.append(f"対象: {item.audience}")
    lines += [f"参加費: {format_fee(item.fee)}", f"申込: {_application(entry, facility)}"]
    if item.organizer:
        lines.append(f"主催: {item.organizer.name}")
    return lines + [entry.url]


def text_sections(issue: Issue, site: Site) -> list[tuple[str, list[str]]]:
    none = ["今月ご案内できる講座・イベントはありません。"]
    sections = [
        ("今月の講座・イベント", [line for e in issue.corner for line in _entry_lines(e, site.plan.facility) + [""]][:-1] or none)
    ]
    if issue.others:
        sections.append(
            ("市内の機関・施設の催し", [line for e in issue.others for line in _entry_lines(e, site.plan.facility) + [""]][:-1])
        )
    if issue.deadlines:
        sections.append(
            ("今月が申込締切の講座", [f"・{dates.format_date(d, year=False)}まで: {e.title}" for d, e in issue.deadlines])
        )
    if issue.posts:
        sections.append(
            (
                "お知らせ・ブログ",
                [
                    line
                    for p in issue.posts
                    for line in (
                        f"・{p.meta.title}（{dates.format_date(p.meta.date, year=False)}）",
                        f"{site.site_url}{p.kind}/{p.slug}/",
                    )
                ],
            )
        )
    sections.append(("このほかの情報", [line for label, url in issue.links for line in (f"・{label}", url)]))
    return sections


def issue_url(issue: Issue, site: Site) -> str:
    """The issue's web version (its back number page): links in the introduction are relative to it."""
    return f"{site.site_url}newsletters/{issue.year}-{issue.month:02d}/"


def render_text(issue: Issue, site: Site) -> str:
    """The plain-text body: 35 full-width characters a line, URLs on their own lines. The introduction
    is the text of its rendered Markdown, each link's address after its text."""
    out = [
        f"{site.plan.facility.name} メールマガジン",
        f"{issue.year}年{issue.month}月号（{dates.format_date(issue.issued)}発行）",
        RULE,
    ]
    if issue.intro:
        out += ["", plain_text(render_markdown(issue.intro), base=issue_url(issue, site))]
    for title, lines in text_sections(issue, site):
        out += ["", f"■{title}", ""] + lines
    out += ["", RULE, *issue.footer, RULE]
    return wrap("\n".join(out)) + "\n"


def render_html(issue: Issue, site: Site) -> str:
    """The HTML body (newsletter.html.j2): the same contents, inline CSS, lang="ja", links with their own text."""
    return render_document(
        "newsletter.html.j2",
        subject=issue.subject,
        facility_name=site.plan.facility.name,
        year=issue.year,
        month=issue.month,
        issued=issue.issued,
        intro=absolute_links(render_markdown(issue.intro), issue_url(issue, site)) if issue.intro else "",
        sections=[(title, paragraphs(lines)) for title, lines in text_sections(issue, site)],
        footer=paragraphs(list(issue.footer)),
    )


def absolute_links(text: str, base: str) -> Markup:
    """Links and images of rendered Markdown made absolute: a mail has no page for them to be relative to.
    Each address is read from the HTML Python-Markdown wrote, joined to ``base`` and written back escaped."""
    return Markup(
        re.sub(
            r'\b(href|src)="([^"]*)"', lambda m: f'{m.group(1)}="{html.escape(urljoin(base, html.unescape(m.group(2))))}"', text
        )
    )


def paragraphs(lines: list[str]) -> list[list[tuple[str, bool]]]:
    """Text lines in paragraphs (a blank line ends one), each line with whether it is an address to link."""
    out: list[list[tuple[str, bool]]] = []
    paragraph: list[tuple[str, bool]] = []
    for line in lines + [""]:
        if not line:
            if paragraph:
                out.append(paragraph)
            paragraph = []
        else:
            paragraph.append((line, line.startswith("http")))
    return out


def html_lines(lines: list[str], *, inline_style: bool = True) -> Markup:
    """Paragraphs of text lines, URLs as links (``_mail.j2: lines``): coloured inline for mail; on the site
    (``inline_style`` False) the site's CSS colours them, since the pages' Content Security Policy applies no
    style attribute."""
    return macro("_mail.j2", "lines", DOCUMENT_ENV)(paragraphs(lines), inline_style)


def render_eml(issue: Issue, site: Site) -> bytes:
    """A multipart/alternative UTF-8 draft (X-Unsent: 1 opens it as unsent in Outlook/Thunderbird).

    RFC 5322 §3.6 asks for Date and From; both come from the data, never the clock: Date is the
    issue date at midnight in Japan, From the facility's name and e-mail address (law_problems()
    refuses an issue without one), and the Message-ID names the issue at the site's host."""
    facility = site.plan.facility
    host = urlparse(site.site_url).hostname or "localhost"
    message = EmailMessage()
    message["Subject"] = issue.subject
    message["From"] = Address(display_name=facility.name, addr_spec=facility.email)
    message["Date"] = format_datetime(datetime.combine(issue.issued, time(0), tzinfo=dates.JST))
    message["Message-ID"] = f"<newsletter-{issue.year}-{issue.month:02d}@{host}>"
    message["X-Unsent"] = "1"
    settings = site.newsletter_settings
    targets = [f"<mailto:{settings.unsubscribe_email}?subject=unsubscribe>"] if settings.unsubscribe_email else []
    targets += [f"<{settings.unsubscribe_url}>"] if settings.unsubscribe_url else []
    if targets:  # RFC 2369; one-click (RFC 8058) only when the service takes the POST
        message["List-Unsubscribe"] = ", ".join(targets)
        if settings.one_click_unsubscribe and settings.unsubscribe_url:
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(render_text(issue, site), charset="utf-8", cte="base64")  # base64: any line length round-trips exactly
    message.add_alternative(render_html(issue, site), subtype="html", charset="utf-8", cte="base64")
    message.set_boundary(f"==yse-newsletter-{issue.year}-{issue.month:02d}==")
    return message.as_bytes(policy=SMTP)


def _locate(site: Site, path: str, char: str) -> tuple[int, int]:
    """Line and column of the first ``char`` in a content file (0, 0 when not found as written)."""
    text = read_text(site.root, site.root / path)[0] or ""  # by the rules of limits.py, as load_site read it
    at = text.find(char)
    if at < 0:
        return 0, 0
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def law_problems(site: Site, severity: Severity = "error") -> list[Problem]:
    """特定電子メール法: every issue names the sender and its address, a contact and a working way to
    stop (an unsubscribe page). The contact is the sender's e-mail address, which a mail needs anyway
    (its From, RFC 5322). What is missing, said where to fill it in."""
    facility, settings = site.plan.facility, site.newsletter_settings
    newest = max(p.fiscal_year for p in site.plans)
    plan_file = "plan.yaml" if site.plan.fiscal_year == newest else f"plans/{site.plan.fiscal_year}.yaml"
    problems = []
    if not facility.email:
        problems.append(
            Problem(
                plan_file,
                0,
                0,
                "メールマガジンには差出人のメールアドレスが必要です（メールの From に書き、"
                "特定電子メール法の連絡先にもなります）。plan.yaml の facility.email を書いてください",
                severity,
            )
        )
    if not re.match(r"https://\S+$", settings.unsubscribe_url):
        problems.append(
            Problem(
                "content/newsletter.yaml",
                0,
                0,
                "メールマガジンには配信停止の手続きの URL が必要です（特定電子メール法）。"
                "配信サービスの配信停止ページの URL（https://…）を unsubscribe_url に書いてください",
                severity,
            )
        )
    return problems


def pending_issues(site: Site) -> list[Newsletter]:
    """Introductions written for this month or next and not yet sent: an issue about to go out."""
    this = (site.today.year, site.today.month)
    following = dates.next_month(*this)
    return [n for n in site.newsletters if (n.year, n.month) in (this, following) and not n.meta.sent]


def check_characters(issue: Issue, site: Site) -> list[Problem]:
    """What the mail's sources hold that no mail can carry (errors), and characters outside JIS
    X 0208 (notices with a replacement: the mail is UTF-8, so they are sent as written)."""
    problems = []
    sources = [
        (e.source, e.title + e.item.venue.name + e.item.audience + "".join(e.item.application.method))
        for e in issue.corner + issue.others
    ]
    sources += [(p.path, p.meta.title) for p in issue.posts]
    editorial = _editorial(site, issue.year, issue.month)
    if editorial:
        sources.append((editorial.path, editorial.body))
    for path, text in sources:
        for char in unsendable(text):
            problems.append(
                Problem(
                    path, *_locate(site, path, char), f"メールで送れない制御文字（U+{ord(char):04X}）があります。削除してください"
                )
            )
        for char in outside_jis(text):
            instead = replacement(char)
            advice = f"「{instead}」と書けば確実です" if instead else "言葉に置き換えるか削除すれば確実です"
            problems.append(
                Problem(
                    path,
                    *_locate(site, path, char),
                    f"「{char}」（U+{ord(char):04X}）はそのまま送ります（メールは UTF-8）。配信サービスや古い携帯電話が "
                    f"ISO-2022-JP に変換すると文字化けするので、{advice}",
                    "notice",
                )
            )
    return problems


def render_newsletter(site: Site, year: int, month: int) -> dict[str, bytes]:
    """The three files of one issue, or ContentError naming every bad source."""
    issue = build_issue(site, year, month)
    problems = law_problems(site) + check_characters(issue, site)
    if errors_of(problems):
        raise ContentError(problems)
    stem = f"{year}-{month:02d}"
    return {
        f"{stem}.txt": render_text(issue, site).encode("utf-8"),
        f"{stem}.html": render_html(issue, site).encode("utf-8"),
        f"{stem}.eml": render_eml(issue, site),
    }


def sent_issues(site: Site) -> list[Newsletter]:
    """Issues marked ``sent:`` — the back numbers, newest first."""
    return sorted((n for n in site.newsletters if n.meta.sent), key=lambda n: (n.year, n.month), reverse=True)


def render_archive_pages(site: Site) -> dict[str, Page]:
    """メールマガジン バックナンバー: an index with how to subscribe, and each sent issue's web version."""
    from generator.render.templating import render_page

    issues = sent_issues(site)
    settings = site.newsletter_settings
    files = {
        "newsletters/index.md": render_page(
            "newsletters/index.md",
            "newsletters.md.j2",
            kind="newsletters",
            title="メールマガジン",
            description=f"{site.plan.facility.name}のメールマガジンの登録方法とバックナンバー。",
            issues=issues,
            settings=settings,
            facility=site.plan.facility,
        )
    }
    for editorial in issues:
        issue = build_issue(site, editorial.year, editorial.month)
        sections = [(title, html_lines(lines, inline_style=False)) for title, lines in text_sections(issue, site)]
        path = f"newsletters/{editorial.year}-{editorial.month:02d}.md"
        files[path] = render_page(
            path,
            "newsletter_issue.md.j2",
            kind="newsletter",
            title=f"メールマガジン {issue.year}年{issue.month}月号",
            description=f"{site.plan.facility.name} メールマガジン {issue.year}年{issue.month}月号（バックナンバー）",
            issue=issue,
            intro=render_markdown(issue.intro) if issue.intro else "",
            sections=sections,
        )
    return files
