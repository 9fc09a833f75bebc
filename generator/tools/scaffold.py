"""Filled-in starting files for staff: an event, a series, a newsletter issue. Every field commented in Japanese."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from generator.model.errors import ContentError, Problem, suggest
from generator.model.event import PLACEHOLDER_DESCRIPTION
from generator.model.plan import PLACEHOLDER_INTRO
from generator.reading.site import Site
from generator.rules import dates

EVENT = """\
# yaml-language-server: $schema=../../../schema/event.schema.json
# 講座・イベント1件のファイルです。「#」から後ろは説明（コメント）で、サイトには出ません。
# 書き終えたら「python -m generator check」で検査できます。
title: {title}   # 題名（「#」を含めるときは全体を "…" で囲む）
program: {program}   # 事業の ID（plan.yaml）。他機関の催しなら消して organizer: {{name: 主催者名}} を書く
{when}venue: {room}   # 会場: コーナーの部屋名（{rooms}）。外部なら {{name: 会場名, address: 住所}}
audience: ""   # 対象（例: 乳幼児とその保護者）
audience_groups: []   # 絞り込み用の分類: 親子・乳幼児 / 子ども / 若者 / 大人 / 学びを支える人
# capacity: 20   # 定員（人）。使うときは先頭の「# 」を消す
fee: 0   # 参加費: 0 は無料、500 なら 500円、文章も可（例: "材料費300円"）
application:
  required: false   # 申込が必要なら true にして、method（方法の一覧。例: [電話, 窓口]）と deadline（締切 YYYY-MM-DD）も書く
contact: ""   # 問い合わせ先（個人名は書かない）
description: |   # 説明（Markdown で書けます）
  {placeholder}
status: scheduled   # scheduled（予定どおり）/ cancelled（中止）/ postponed（延期）/ full（満員）
published: {today}   # 告知を公開した日（フィードの日付）
internal: false   # 研修・会議など公開しない活動なら true（回数には数える）
sample: false   # 見本なら true
"""

EVENT_WHEN = """\
date: {day}   # 日付 YYYY-MM-DD（複数日なら end_date: も）
start: "10:00"   # 開始時刻 "HH:MM"（終日なら start と end の行を消す）
end: "12:00"   # 終了時刻 "HH:MM"
"""

SERIES_WHEN = """\
start: "10:00"   # 各回の開始時刻 "HH:MM"
end: "12:00"   # 各回の終了時刻 "HH:MM"
repeat:   # 繰り返し。祝日とコーナーの休館日（毎月の休館日・年末年始・臨時休館日）は自動で除きます
  weekly: [{weekday}]   # 毎週の曜日（例: [火, 木]）。毎月なら weekly を消して monthly: [{{week: 3, weekday: 木}}]
  from: {day}   # 期間の初日
  until: {until}   # 期間の最終日
  skip: []   # 休みにする日（例: [2025-08-12]）
  add: []   # 追加で行う日
  move: []   # 日を移す回（例: [{{from: 2025-07-22, to: 2025-07-23}}]）
sessions: []   # 回ごとの記録（例: [{{date: 2025-09-04, status: cancelled, status_reason: 台風のため}}, {{date: 2025-04-08, participants: 8}}]）
"""

NEWSLETTER = """\
---
# メールマガジン {year}年{month}月号の前書きです。送ったら下の sent: の先頭の「# 」を消して送った日を書きます。
# sent: {year}-{month:02d}-01
---
{placeholder}
"""


def _program(site: Site, program_id: str):
    program = site.plan.program(program_id)
    if program is None:
        ids = [p.id for p in site.plan.programs]
        raise ContentError(
            [
                Problem(
                    "plan.yaml",
                    0,
                    0,
                    f"事業 ID '{program_id}' は事業計画にありません。{suggest(program_id, ids)}（使える ID: {', '.join(ids)}）",
                )
            ]
        )
    return program


def _free_path(folder: Path, stem: str) -> Path:
    path, number = folder / f"{stem}.yaml", 2
    while path.exists():
        path, number = folder / f"{stem}-{number}.yaml", number + 1
    return path


def scaffold_event(site: Site, program_id: str, day: date, title: str | None, series: bool = False) -> tuple[Path, str]:
    """Where the new file goes and its text; the caller writes it."""
    program = _program(site, program_id)
    rooms = site.plan.facility.room_names
    name = title or (
        f"{program.name}（{dates.format_date(day, year=False)}から）" if series else f"{program.name} {day.month}月{day.day}日"
    )
    when = (
        SERIES_WHEN.format(
            weekday=dates.WEEKDAYS[day.weekday()],
            day=day.isoformat(),
            until=dates.fiscal_year_range(dates.fiscal_year(day))[1].isoformat(),
        )
        if series
        else EVENT_WHEN.format(day=day.isoformat())
    )
    text = EVENT.format(
        title=json.dumps(name, ensure_ascii=False),
        program=program.id,
        when=when,
        room=rooms[0] if rooms else "研修室",
        rooms="、".join(rooms),
        today=site.today.isoformat(),
        placeholder=PLACEHOLDER_DESCRIPTION,
    )
    folder = site.root / "content" / "events" / str(dates.fiscal_year(day))
    return _free_path(folder, f"{program.id}-{day:%Y%m%d}" + ("-series" if series else "")), text


def scaffold_newsletter(site: Site, year: int, month: int) -> tuple[Path, str]:
    path = site.root / "content" / "newsletters" / f"{year}-{month:02d}.md"
    return path, NEWSLETTER.format(year=year, month=month, placeholder=PLACEHOLDER_INTRO)
