"""Drafts for X and Instagram that staff copy and post themselves. Nothing here posts anything.

X counts text by weight (twitter-text v3), and ``weighted_length`` asks twitter-text-parser, a port of
X's own library that passes its conformance tests, rather than counting by hand: code points
U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F and U+2032–U+2037 weigh 1, all others (kanji, kana,
full-width forms, 𠮷) weigh 2; every URL weighs 23 whatever its length, a bare domain such as
``example.com`` too, and a URL ends where URL characters end (a Japanese path that is not
percent-encoded is counted as text); an emoji, also a sequence joined with ZWJ, a variation selector
or a skin-tone modifier, weighs 2. The limit is 280.
"""

from __future__ import annotations

import calendar
import functools
import re
import warnings
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from generator.model.event import cancelled_mark
from generator.reading.site import Site
from generator.render.templating import format_fee
from generator.rules import dates
from generator.rules.contact import ways_text
from generator.rules.series import Occurrence

X_LIMIT = 280
HASHTAGS = ("#磯子区", "#生涯学習")
INSTAGRAM_TAGS = ("#横浜市社会教育コーナー", "#磯子区", "#生涯学習", "#社会教育")


@functools.cache
def parse_tweet() -> Callable[[str], Any]:
    """twitter-text-parser's ``parse_tweet``, imported when a draft is first measured (``check``, ``social``):
    building its emoji pattern takes about 0.4 s, which ``build`` and ``serve`` need not pay."""
    with warnings.catch_warnings():
        # twitter-text-parser 3.0.0 reads its emoji table through pkg_resources, which warns that it is deprecated
        # (setuptools is pinned to the last version that has it: pyproject.toml).
        warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
        from twitter_text import parse_tweet as parse

    return parse


def weighted_length(text: str) -> int:
    """X's weighted length of ``text`` (see the module docstring)."""
    return parse_tweet()(text).weightedLength


def _when(occ: Occurrence) -> str:
    return dates.format_span(occ.date, occ.end_date, occ.start, occ.end, year=False)


def _application(site: Site, occ: Occurrence) -> str:
    app = occ.item.application
    if not app.required:
        return "申込不要"
    text = f"要申込（{ways_text(occ.item, site.plan.facility, numbers=False)}）"
    return text + (f"・{dates.format_date(app.deadline, year=False)}まで" if app.deadline else "")


def _url(site: Site, occ: Occurrence) -> str:
    return site.occurrence_url(occ)


def _title(occ: Occurrence) -> str:
    prefix = "【サンプル】" if occ.item.sample else ""
    return prefix + cancelled_mark(occ.status) + occ.item.title


def x_post(site: Site, occ: Occurrence) -> str:
    """One post within 280 weighted characters: the title gives way before date, place, application or URL."""
    place = occ.item.venue.name if occ.item.venue.address else f"{site.plan.facility.name} {occ.item.venue.name}"
    if occ.status == "cancelled":
        body = [f"{_when(occ)}に予定していた催しは中止します。" + (f"（{occ.status_reason}）" if occ.status_reason else "")]
    else:
        body = [_when(occ), f"会場: {place}", _application(site, occ)]
    tail = [_url(site, occ), " ".join(HASHTAGS)]
    title = _title(occ)
    while True:
        text = "\n".join([title, *body, *tail])
        if weighted_length(text) <= X_LIMIT or len(title) <= 2:
            return text
        title = title[:-2] + "…"


def instagram_caption(site: Site, occ: Occurrence) -> str:
    item = occ.item
    lines = [_title(occ), ""]
    if occ.status == "cancelled":
        lines += [f"{_when(occ)}に予定していた催しは中止します。" + (f"（{occ.status_reason}）" if occ.status_reason else ""), ""]
    lines += [f"日時: {_when(occ)}", f"会場: {item.venue.name}"]
    lines += [f"対象: {item.audience}"] if item.audience else []
    lines += [
        f"参加費: {format_fee(item.fee)}",
        f"申込: {_application(site, occ)}",
        "",
        "詳しくはプロフィールのリンクから",
        _url(site, occ),
        "",
    ]
    program = site.program(item.program) if item.program else None
    tags = list(INSTAGRAM_TAGS)
    if program and re.fullmatch(r"[^\s・　、]{2,12}", program.name):
        tags.append(f"#{program.name}")
    return "\n".join(lines + [" ".join(tags)])


def occurrences_for(site: Site, month: tuple[int, int] | None) -> list[Occurrence]:
    if month:
        first = date(month[0], month[1], 1)
        last = date(month[0], month[1], calendar.monthrange(*month)[1])
    else:
        first, last = site.today, site.today + timedelta(days=31)
    return [o for o in site.upcoming() if first <= o.date <= last]


def render_social(site: Site, month: tuple[int, int] | None = None) -> str:
    """A Markdown document with an X draft and an Instagram caption for each occurrence."""
    heading = f"{month[0]}年{month[1]}月" if month else f"{dates.format_date(site.today)}から31日間"
    out = [
        f"# SNS 投稿の下書き（{heading}）",
        "",
        "そのまま投稿されることはありません。内容を確かめてから、コピーして投稿してください。",
        "",
    ]
    shown = occurrences_for(site, month)
    if not shown:
        out.append("この期間の講座・イベントはありません。")
    for occ in shown:
        draft = x_post(site, occ)
        out += [
            f"## {_title(occ)}（{_when(occ)}）",
            "",
            f"### X（{weighted_length(draft)}/{X_LIMIT}）",
            "",
            "```text",
            draft,
            "```",
            "",
            "### Instagram",
            "",
            "```text",
            instagram_caption(site, occ),
            "```",
            "",
        ]
    return "\n".join(out)
