"""Build benchmark: ten fiscal years of synthetic events, timed phase by phase, against plain mkdocs-material.

    .venv/bin/python tests/bench/bench.py [--scales 1,2,4] [--keep] [--markdown FILE] [--note TEXT] [--serve-edits N]

For each scale k, in a temporary folder: a copy of the site root (plan.yaml, plans/, content/,
mkdocs.yml), archived plans for the nine earlier fiscal years, and k x 3,000 single events plus
2k series a year over the same ten fiscal years (so scale multiplies density, not years). Then
the real build runs (``python -m generator build``) and is timed as a whole; its steps' seconds
come from build/timings.json, which generator/publish/build.py writes. A plain mkdocs-material site with
the same number of pages and a similar page size is built right after, for the ratio. Peak
memory is the largest RSS of any process of the build, from ``os.wait4`` (MkDocs and Pagefind
are children the build waits for).
Then serve (``python -m generator serve``, as staff start it) on a copy of the repository's content and
on the 1x content: N times an event's title is changed and its page fetched over HTTP until the change
shows (``--scales ""`` measures serve alone).
Content is deterministic (fixed seed); timings are not: note the machine's load with ``--note``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path
from time import perf_counter

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from generator.publish.build import BODIES, TIMINGS, builder_env  # noqa: E402
from generator.model.errors import warnings_of  # noqa: E402
from generator.reading.load import load_site  # noqa: E402
from generator.rules.closed_days import closed_reason  # noqa: E402
from generator.rules.dates import format_nendo, holiday_name, opening_hours, WEEKDAYS  # noqa: E402
from generator.reading.load_plans import load_plan  # noqa: E402

EVENTS_PER_SCALE = 3000
SERIES_PER_SCALE = 2          # per fiscal year
YEARS = 10
SEED = 20251001
SITE_ROOT_ITEMS = ("plan.yaml", "plans", "content", "mkdocs.yml")
TARGET_RATIO = 1.5
TARGET_MEDIAN_KIB = 40
TARGET_PEAK_MIB = 1024

# ---------------------------------------------------------------------------------------------
# Synthetic content
# ---------------------------------------------------------------------------------------------

# program id -> (name used in titles, themes, audience, audience groups, room, weight)
PROGRAMS = {
    "oyako-hiroba": ("親子の広場", ["手遊びと歌遊び", "季節の製作あそび", "絵本と手遊び", "親子でリトミック", "ふれあい遊び"],
                     "乳幼児とその保護者", ["親子・乳幼児"], "アートルーム", 6),
    "ohanashi": ("おはなしの国", ["春のおはなし会", "夏のおはなし会", "秋のおはなし会", "冬のおはなし会", "昔話と紙芝居"],
                 "幼児から大人まで", ["親子・乳幼児", "子ども", "大人"], "研修室A", 5),
    "coordinator-network": ("学校・地域コーディネーター交流会", ["地域と学校をつなぐ実践", "ボランティアの集め方", "放課後の学び"],
                            "学校・地域コーディネーター", ["学びを支える人"], "研修室A", 3),
    "toshokan-renkei": ("図書館と地域の学び", ["調べる学習を楽しもう", "図書館で見つける地域の歴史", "本でつながる居場所"],
                        "どなたでも", ["大人"], "研修室A", 3),
    "dokusho": ("横浜の昔話 紙芝居・影絵の発表会", ["磯子の昔話", "区を超えて語り合う", "影絵づくり"],
                "読み聞かせ・紙芝居の活動をしている方", ["学びを支える人", "大人"], "研修室A", 1),
    "npo-renrakukai": ("磯子区ＮＰＯ連絡会", ["地域活動フェスの準備会", "ＮＰＯの広報を学ぶ", "活動報告会"],
                       "区内のＮＰＯ・市民活動団体", ["大人", "学びを支える人"], "研修室A", 2),
    "kancho-renkei": ("いそっぴゴールデンウィーク", ["工作ひろば", "スポーツ体験", "施設めぐりスタンプラリー"],
                      "どなたでも", ["親子・乳幼児", "子ども"], "スポーツ広場", 1),
    "shakai-kyouikushi-network": ("よこはま社会教育士ネットワーク交流会", ["企画の持ち込みと試行", "実践発表とふり返り", "オンラインでつながる学び"],
                                  "社会教育士、社会教育士に関心のある方", ["学びを支える人"], "研修室A", 4),
    "shakai-kyouikushi-ikusei": ("社会教育士を目指す人の講座", ["ファシリテーション入門", "プレゼンテーションの基礎", "コーディネートの実践"],
                                 "社会教育士を目指す方", ["学びを支える人", "大人"], "研修室A", 3),
    "shimin-kikaku": ("市民企画講座", ["防災とまちづくり", "地域の食と健康", "デジタルとくらし", "多文化共生を考える"],
                      "どなたでも", ["大人"], "研修室A", 5),
    "wakamono": ("若者企画体験プロジェクト", ["企画会議", "異世代交流カフェ", "まちあるきワークショップ"],
                 "高校生・大学生・20代の社会人", ["若者"], "アートルーム", 2),
    "ninaite": ("地域活動の担い手講座", ["会議ファシリテーションの基本", "話し合いを見える化する", "合意のつくり方"],
                "地域活動・市民活動に関心のある方", ["大人", "学びを支える人"], "研修室A", 2),
    "kigyo-renkei": ("親子で学ぶ交通安全教室", ["トラックの死角を知ろう", "自転車の安全な乗り方", "道路の渡り方"],
                     "小学生とその保護者", ["親子・乳幼児", "子ども"], "スポーツ広場", 1),
    "peer-counseling": ("保護者のおしゃべり会", ["入学前の不安を話そう", "きょうだいのこと", "学校との付き合い方"],
                        "発達が気がかりな子どもをもつ保護者", ["大人"], "研修室A", 3),
    "gakushu-shien": ("学習支援", ["夏休みの宿題サポート", "冬休みの学習会", "読書感想文の書き方"],
                      "小学生・中学生", ["子ども"], "研修室A", 2),
    "enquete": ("利用者懇談会", ["コーナーの使い方を話し合う", "来年度の事業への意見交換"],
                "コーナーの利用団体", ["大人"], "研修室A", 1),
}
# Other organisations' events (organizer, external venue): (organizer, venue, address, titles, groups)
OTHERS = [
    ("サンプル区立図書館", "サンプル区立図書館 おはなしのへや", "横浜市磯子区", ["図書館のおはなし会", "図書館で調べもの講座"], ["子ども"]),
    ("サンプル区民活動支援センター", "サンプル区民活動支援センター 会議室", "横浜市南区", ["市民活動はじめて講座", "チラシづくり講座"], ["大人"]),
    ("サンプル地区センター", "サンプル地区センター 体育室", "横浜市中区", ["親子体操教室", "シニアの健康体操"], ["親子・乳幼児", "大人"]),
]
INTERNAL = ("kenshu", "職員研修", ["ファシリテーション基礎", "個人情報の取り扱い", "救命講習", "相談対応のふり返り"])
SENTENCES = [
    "初めての方も安心してご参加いただけるよう、スタッフが丁寧にご案内します。",
    "参加者同士で感想を伝え合う時間も設けますので、気軽にお話しください。",
    "地域で活動している方々を講師に迎え、実際の経験をもとにお話しいただきます。",
    "前半は講師のお話、後半はグループに分かれての話し合いを予定しています。",
    "途中の入退室もできます。お子さん連れの方もどうぞお気軽にお越しください。",
    "資料は当日お配りします。筆記用具をお持ちください。",
    "動きやすい服装でお越しください。飲み物は各自でご用意ください。",
    "駐車場はありませんので、公共交通機関をご利用ください。",
    "申込多数の場合は先着順とし、定員になり次第締め切ります。",
    "終了後にアンケートへのご協力をお願いしています。今後の企画の参考にいたします。",
    "これまでの回に参加していない方も、この回からご参加いただけます。",
    "身近な題材を取り上げ、くらしの中で役立つ考え方を一緒に探ります。",
    "各区の市民活動・生涯学習支援センターの取組も紹介します。",
    "参加された方には、関連する図書の一覧と地域の相談窓口の案内をお渡しします。",
    "手話通訳や要約筆記が必要な方は、申込の際にお知らせください。",
    "当日の様子は、個人が特定されない形でブログやメールマガジンで紹介することがあります。",
    "気象警報が発表された場合は中止とし、ホームページでお知らせします。",
    "講座で学んだことを地域の活動に生かすための、次の一歩を一緒に考えます。",
    "話すのが苦手な方も、聞くだけの参加で構いません。",
    "ワークシートを使い、自分の考えを整理しながら進めます。",
    "会場はエレベーターでお越しいただけます。車いすでの参加もご相談ください。",
]
# Series kinds, cycled: (program, title, rule, start, end, room)
SERIES = [
    ("gakushu-shien", "学習支援教室", {"weekly": ["火", "木"]}, "16:00", "18:00", "研修室A"),
    ("oyako-hiroba", "親子の広場", {"monthly": [{"week": 3, "weekday": "木"}]}, "10:30", "11:30", "アートルーム"),
    ("ohanashi", "土曜おはなし会", {"weekly": ["土"]}, "14:00", "15:00", "研修室A"),
    ("peer-counseling", "保護者のおしゃべり会", {"monthly": [{"week": 2, "weekday": "土"}]}, "10:00", "12:00", "研修室A"),
    ("wakamono", "若者企画ミーティング", {"weekly": ["金"]}, "18:30", "20:30", "アートルーム"),
    ("shakai-kyouikushi-network", "社会教育士 定例交流会", {"monthly": [{"week": 4, "weekday": "水"}]}, "18:30", "20:30", "研修室A"),
]


@dataclass(frozen=True)
class ContentCounts:
    events: int           # single events written (all of them, internal included)
    internal: int
    series: int
    years: tuple[int, ...]


def to_yaml(data: dict) -> str:
    """A small YAML writer for event files: double-quoted strings (JSON), flow collections, a literal description."""
    lines = ["# ベンチマーク用の合成データ（tests/bench/bench.py）"]
    for key, value in data.items():
        if key == "description":
            lines.append("description: |")
            lines += [f"  {line}" if line else "" for line in value.splitlines()]
        else:
            lines.append(f"{key}: {_flow(value)}")
    return "\n".join(lines) + "\n"


def _flow(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, date)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def description_text(rng: random.Random, lead: str, theme: str) -> str:
    """Japanese prose of 200-400 characters, sometimes ending in a Markdown list."""
    target = rng.randint(200, 400)
    parts = [lead.rstrip("。") + "。", f"今回は「{theme}」をテーマに進めます。"]
    pool = rng.sample(SENTENCES, len(SENTENCES))
    while sum(map(len, parts)) < target and pool:
        parts.append(pool.pop())
    text = "".join(parts)
    if rng.random() < 0.3:
        text += "\n\n- 持ち物: 筆記用具、飲み物\n- 服装: 動きやすい服装"
    return text


def open_day(rng: random.Random, year: int, closed) -> date:
    """A random day of fiscal ``year`` on which the Corner is open."""
    first = date(year, 4, 1)
    while True:
        day = first + timedelta(days=rng.randrange((date(year + 1, 4, 1) - first).days))
        if not closed_reason(day, closed):
            return day


def event_times(rng: random.Random, day: date, hours) -> dict:
    """Start and end inside the day's opening hours (Sundays and holidays close at 17:00)."""
    starts = ["10:00", "10:30", "13:00", "13:30", "14:00"]
    if opening_hours(day, hours).close.hour >= 21:
        starts += ["18:00", "18:30", "19:00"]
    start = rng.choice(starts)
    minutes = int(start[:2]) * 60 + int(start[3:]) + rng.choice([60, 90, 120])
    return {"start": start, "end": f"{minutes // 60:02d}:{minutes % 60:02d}"}


def single_event(rng: random.Random, plan, year: int, today: date, kind: str) -> tuple[str, dict]:
    """One event of ``kind`` (program, other, internal) in fiscal ``year``: (id prefix, fields)."""
    facility = plan.facility
    day = open_day(rng, year, facility.closed)
    if kind == "internal":
        program, name, themes = INTERNAL
        theme = rng.choice(themes)
        data = {"title": f"{name}「{theme}」", "program": program, "date": day, **event_times(rng, day, facility.hours),
                "venue": "研修室A", "internal": True, "description": description_text(rng, "職員の専門性を高めるための研修です", theme)}
        return program, data
    if kind == "other":
        organizer, venue, address, titles, groups = rng.choice(OTHERS)
        title = rng.choice(titles)
        data = {"title": f"{title} {day.month}月", "organizer": {"name": organizer}, "date": day,
                **event_times(rng, day, facility.hours), "venue": {"name": venue, "address": address},
                "audience": "どなたでも", "audience_groups": groups,
                "description": description_text(rng, "主催者の催しのご紹介です。内容・申込は主催者にお問い合わせください", title)}
        return "shokai", _announced(rng, data, day, today)
    program_ids = list(PROGRAMS)
    program = rng.choices(program_ids, weights=[PROGRAMS[p][5] for p in program_ids])[0]
    name, themes, audience, groups, room, _ = PROGRAMS[program]
    theme = rng.choice(themes)
    data = {"title": f"{name}「{theme}」", "program": program, "date": day}
    shape = rng.random()
    if shape < 0.02:
        data |= {"end_date": day + timedelta(days=rng.randint(1, 2)), "start": "10:00", "end": "16:00"}
    elif shape > 0.05:
        data |= event_times(rng, day, facility.hours)
    data |= {"venue": room, "audience": audience, "audience_groups": groups}
    if rng.random() < 0.7:
        data["capacity"] = rng.choice([10, 15, 20, 24, 30, 40, 50])
    data["fee"] = rng.choices([0, 300, 500, 1000, "材料費 300円"], weights=[75, 5, 6, 4, 10])[0]
    if rng.random() < 0.65:
        deadline = day - timedelta(days=rng.randint(3, 14))
        data["application"] = {"required": True, "method": rng.choice([["窓口"], ["申込フォーム"], ["窓口", "申込フォーム"]]),
                               "deadline": deadline, **({"opens": deadline - timedelta(days=30)} if rng.random() < 0.3 else {}),
                               **({"note": rng.choice(["先着順", "応募多数の場合は抽選"])} if rng.random() < 0.4 else {})}
        if "申込フォーム" in data["application"]["method"]:
            data["application"]["url"] = "https://example.jp/apply"
    if rng.random() < 0.2:
        data["cohosts"] = [{"name": f"サンプル{rng.choice(['読み聞かせ', 'まちづくり', '子育て支援', '学習支援'])}の会",
                            "role": rng.choice(["共催", "後援", "協力"])}]
    if rng.random() < 0.3:
        data["contact"] = f"{facility.name}（窓口）"
    plan_program = plan.program(program)
    lead = plan_program.content if plan_program else name
    data["description"] = description_text(rng, lead, theme)
    return program, _announced(rng, data, day, today)


def _announced(rng: random.Random, data: dict, day: date, today: date) -> dict:
    """Status, participants (past and held only) and publication dates."""
    status = rng.random()
    if status < 0.03:
        data |= {"status": "cancelled", "status_reason": "講師の都合により中止します"}
    elif status < 0.04:
        data |= {"status": "postponed", "status_reason": "日程を調整しています。決まりしだいお知らせします"}
    elif status < 0.06:
        data["status"] = "full"
    if day <= today and data.get("status") in (None, "full") and "program" in data and rng.random() < 0.7:
        data["participants"] = rng.randint(5, data.get("capacity", 40))
    data["published"] = day - timedelta(days=rng.randint(20, 60))
    if rng.random() < 0.1:
        data["updated"] = data["published"] + timedelta(days=rng.randint(1, 10))
    return data


def series_dates(rule: dict, first: date, last: date, closed) -> list[date]:
    """The dates a series keeps (rule days less holidays and closed days), as generator/rules/series.py expands them."""
    found, day = [], first
    while day <= last:
        weekday = WEEKDAYS[day.weekday()]
        hit = weekday in rule.get("weekly", []) or any(
            m["weekday"] == weekday and (day.day - 1) // 7 + 1 == m["week"] for m in rule.get("monthly", []))
        if hit and not holiday_name(day) and not closed_reason(day, closed):
            found.append(day)
        day += timedelta(days=1)
    return found


def series_event(rng: random.Random, plan, year: int, index: int, today: date) -> tuple[str, dict]:
    program, title, rule, start, end, room = SERIES[index % len(SERIES)]
    name, themes, audience, groups, _, _ = PROGRAMS[program]
    first, last = (date(year, 4, 8), date(year + 1, 3, 19)) if "weekly" in rule else (date(year, 5, 1), date(year + 1, 2, 28))
    kept = series_dates(rule, first, last, plan.facility.closed)
    past = [d for d in kept if d <= today]
    sessions = [{"date": d, "participants": rng.randint(3, 15)} for d in rng.sample(past, min(len(past), 6))]
    future = [d for d in kept if d not in {s["date"] for s in sessions}]
    if future:
        sessions.append({"date": rng.choice(future), "status": "cancelled", "status_reason": "台風の接近のため"})
    data = {"title": f"{title}（{format_nendo(year)}）", "program": program, "start": start, "end": end, "venue": room,
            "audience": audience, "audience_groups": groups,
            "description": description_text(rng, (plan.program(program) or plan.programs[0]).content, rng.choice(themes)),
            "repeat": {"from": first, "until": last, **rule},
            "sessions": sorted(sessions, key=lambda s: s["date"]), "published": first - timedelta(days=14)}
    return f"{program}-{year}-{index + 1}", data


def write_synthetic_content(root: Path, *, events: int, years: int, series_per_year: int, today: date,
                            seed: int = SEED, internal_share: float = 0.01, other_share: float = 0.08) -> ContentCounts:
    """Event and series files under ``root/content/events/<fiscal year>/`` for ``years`` years up to the plan's."""
    plan = load_plan(root / "plan.yaml", root)
    rng = random.Random(seed)
    fiscal_years = tuple(range(plan.fiscal_year - years + 1, plan.fiscal_year + 1))
    internal = 0
    for number in range(events):
        year = fiscal_years[number % years]
        draw = rng.random()
        kind = "internal" if draw < internal_share else "other" if draw < internal_share + other_share else "program"
        internal += kind == "internal"
        prefix, data = single_event(rng, plan, year, today, kind)
        _write_event(root, year, f"{prefix}-{data['date']:%Y%m%d}-{number:05d}", data)
    for year in fiscal_years:
        for index in range(series_per_year):
            item_id, data = series_event(rng, plan, year, index, today)
            _write_event(root, year, item_id, data)
    return ContentCounts(events, internal, series_per_year * years, fiscal_years)


def _write_event(root: Path, year: int, item_id: str, data: dict) -> None:
    folder = root / "content" / "events" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{item_id}.yaml").write_text(to_yaml(data), encoding="utf-8")


def write_archived_plans(root: Path, years: tuple[int, ...]) -> None:
    """``plans/<year>.yaml`` for the earlier years: this year's plan with its year changed (existing ones kept)."""
    text = (root / "plan.yaml").read_text(encoding="utf-8")
    current = load_plan(root / "plan.yaml", root).fiscal_year
    for year in years:
        target = root / "plans" / f"{year}.yaml"
        if year == current or target.exists():
            continue
        target.parent.mkdir(exist_ok=True)
        target.write_text(text.replace(f"fiscal_year: {current}", f"fiscal_year: {year}")
                          .replace(format_nendo(current), format_nendo(year)), encoding="utf-8")


def make_bench_root(dest: Path, scale: int, today: date, *, events_per_scale: int = EVENTS_PER_SCALE,
                    source: Path = REPO) -> ContentCounts:
    """A copy of a site root (the repository's own by default) plus the synthetic years of content for ``scale``."""
    dest.mkdir(parents=True)
    for name in SITE_ROOT_ITEMS:
        item = source / name
        if item.is_dir():
            shutil.copytree(item, dest / name)
        elif item.exists():
            shutil.copy2(item, dest / name)
    counts = write_synthetic_content(dest, events=events_per_scale * scale, years=YEARS,
                                     series_per_year=SERIES_PER_SCALE * scale, today=today)
    write_archived_plans(dest, counts.years)
    return counts


def bench_today(source: Path = REPO) -> date:
    """October 1st of the plan's fiscal year: half a year done, half to come."""
    return date(load_plan(source / "plan.yaml", source).fiscal_year, 10, 1)

# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One measured process: wall seconds; max RSS (KiB) of the process and the children it waited
    for, each on its own; and the largest sum of the RSS of the whole process tree at one moment."""

    seconds: float
    max_rss_kib: int
    output: str = ""
    tree_peak_kib: int = 0

    @property
    def max_rss_mib(self) -> float:
        return self.max_rss_kib / 1024

    @property
    def tree_peak_mib(self) -> float:
        return self.tree_peak_kib / 1024


def _tree_rss_kib(root_pid: int) -> int:
    """RSS of a process and all its descendants now (from /proc; 0 where /proc is missing)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields.get("PPid", "0").strip())
        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0])
    tree, grew = {root_pid}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(rss.get(pid, 0) for pid in tree)


def run_measured(command: list[str], *, cwd: Path | None = None, env: dict | None = None) -> Run:
    with tempfile.TemporaryFile() as log:
        start = perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.05):
                peak[0] = max(peak[0], _tree_rss_kib(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = perf_counter() - start
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:5])} … failed (exit {process.returncode}):\n{output[-4000:]}")
    return Run(seconds, usage.ru_maxrss, output, max(peak[0], usage.ru_maxrss))


@dataclass(frozen=True)
class SiteStats:
    bytes: int
    pagefind_bytes: int
    html_pages: int
    median_kib: float
    largest_kib: float
    largest_path: str


def site_stats(folder: Path) -> SiteStats:
    files = [f for f in folder.rglob("*") if f.is_file()]
    html = sorted(((f.stat().st_size, f.relative_to(folder).as_posix()) for f in files if f.suffix == ".html"))
    pagefind = folder / "pagefind"
    return SiteStats(
        bytes=sum(f.stat().st_size for f in files),
        pagefind_bytes=sum(f.stat().st_size for f in pagefind.rglob("*") if f.is_file()) if pagefind.is_dir() else 0,
        html_pages=len(html),
        median_kib=statistics.median(size for size, _ in html) / 1024 if html else 0.0,
        largest_kib=html[-1][0] / 1024 if html else 0.0,
        largest_path=html[-1][1] if html else "",
    )


def docs_pages(docs: Path, bodies: Path | None = None) -> tuple[int, int]:
    """Number of Markdown pages in a docs folder and their mean size in bytes, counting the bodies
    the builder does not see (build/bodies.json) as part of their pages."""
    sizes = [f.stat().st_size for f in docs.rglob("*.md")]
    deferred = json.loads(bodies.read_text(encoding="utf-8")) if bodies and bodies.exists() else {}
    sizes += [len(page.encode("utf-8")) for page in deferred.get("pages", {}).values()]
    extra = sum(len(body.encode("utf-8")) for body in deferred.get("bodies", {}).values())
    return len(sizes), int((sum(sizes) + extra) / len(sizes)) if sizes else 0


PLAIN_CONFIG = """\
site_name: 素の mkdocs-material
theme:
  name: material
  language: ja
plugins:
  - search
nav:
  - ホーム: index.md
# Out of the sidebar, as in our mkdocs.yml: in the nav, every page embeds every other (quadratic).
not_in_nav: |
  /p/*.md
"""


def write_plain_site(folder: Path, pages: int, page_bytes: int, seed: int = SEED) -> None:
    """``pages`` Markdown pages of about ``page_bytes`` bytes of Japanese text, and a minimal mkdocs.yml."""
    rng = random.Random(seed)
    docs = folder / "docs" / "p"
    docs.mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
    links = "\n".join(f"- [ページ {n}](p/{n:05d}.md)" for n in range(1, min(pages, 20)))
    (folder / "docs" / "index.md").write_text(f"# 素の mkdocs-material\n\n{links}\n", encoding="utf-8")
    for number in range(1, pages):
        parts = [f"# ページ {number}「{rng.choice(PROGRAMS['shimin-kikaku'][1])}」\n\n"]
        size = len(parts[0].encode())
        while size < page_bytes:
            chunk = "".join(rng.sample(SENTENCES, 4)) + "\n\n"
            if rng.random() < 0.2:
                chunk = f"## {rng.choice(SENTENCES)[:12]}\n\n- {rng.choice(SENTENCES)}\n- {rng.choice(SENTENCES)}\n\n"
            parts.append(chunk)
            size += len(chunk.encode())
        (docs / f"{number:05d}.md").write_text("".join(parts), encoding="utf-8")


@dataclass
class ScaleResult:
    scale: int
    counts: ContentCounts
    build: Run              # the whole `python -m generator build`: wall time, peak RSS of any of its processes
    phases: dict            # build/timings.json (seconds per step), plus occurrences and warnings
    plain: Run
    site: SiteStats
    plain_site: SiteStats
    docs_mean_bytes: int

    @property
    def total_seconds(self) -> float:
        return self.build.seconds

    @property
    def ratio(self) -> float:
        return self.total_seconds / self.plain.seconds

    @property
    def peak_mib(self) -> float:
        return self.build.tree_peak_mib

    @property
    def per_thousand(self) -> float:
        return self.counts.events / 1000


def build_command(root: Path, site_dir: Path, today: date) -> list[str]:
    """The build staff and CI run (`make site`), on the synthetic root."""
    return [sys.executable, "-m", "generator", "build", "--root", str(root), "--today", today.isoformat(), "--out", str(site_dir)]


def median_run(runs: list[Run]) -> Run:
    """The run of median time (its output kept), with the largest peak memory of all runs."""
    middle = sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]
    return Run(middle.seconds, max(run.max_rss_kib for run in runs), middle.output, max(run.tree_peak_kib for run in runs))


def measure_scale(work: Path, scale: int, today: date, events_per_scale: int = EVENTS_PER_SCALE,
                  repeat: int = 3) -> ScaleResult:
    """Make the content, then run the real build and the plain site ``repeat`` times, alternately
    (the disk here is noisy: the median of each counts), and collect every figure."""
    root = work / "root"
    say(f"{scale}×: writing synthetic content ({events_per_scale * scale:,} events)…")
    counts = make_bench_root(root, scale, today, events_per_scale=events_per_scale)
    site_dir, plain_dir = work / "site", work / "plain"
    ours: list[tuple[Run, dict]] = []
    plains: list[Run] = []
    md_mean = 0
    for attempt in range(1, repeat + 1):
        shutil.rmtree(site_dir, ignore_errors=True)
        say(f"{scale}×: python -m generator build ({attempt}/{repeat})…")
        run = run_measured(build_command(root, site_dir, today), cwd=REPO)
        ours.append((run, json.loads((root / TIMINGS).read_text(encoding="utf-8"))))
        if attempt == 1:
            site = site_stats(site_dir)
            _, md_mean = docs_pages(root / "build" / "docs", root / "build" / BODIES)
            write_plain_site(plain_dir, site.html_pages - 1, md_mean)  # + its 404.html = the same number of HTML pages
        shutil.rmtree(plain_dir / "site", ignore_errors=True)
        say(f"{scale}×: plain mkdocs-material, {site.html_pages:,} pages ({attempt}/{repeat}, ours took {run.seconds:.1f} s)…")
        plains.append(run_measured([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(plain_dir / "mkdocs.yml"),
                                    "--site-dir", str(plain_dir / "site")], cwd=plain_dir, env=builder_env(today)))
    built = median_run([run for run, _ in ours])
    phases = {name: statistics.median(timings[name] for _, timings in ours) for name in ours[0][1]}
    loaded = load_site(root, today)  # not timed: counts for the report
    phases.update(occurrences=len(loaded.occurrences), warnings=len(warnings_of(loaded.warnings)), runs=repeat)
    return ScaleResult(scale, counts, built, phases, median_run(plains), site, site_stats(plain_dir / "site"), md_mean)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)

# ---------------------------------------------------------------------------------------------
# Serve: how long a saved change takes to reach the preview
# ---------------------------------------------------------------------------------------------

SERVE_EDITS = 7
SERVE_START_TIMEOUT = 600.0   # seconds: the first build of ten years of content on a slow machine
SERVE_EDIT_TIMEOUT = 60.0


SERVE_TARGETS = {"repository": 1.0, "ten years (1×)": 3.0}  # seconds from a save to the page, median


@dataclass(frozen=True)
class ServeResult:
    label: str
    start_seconds: float            # from the command to the first page served
    edit_seconds: tuple[float, ...]  # from each save to the page served with the change

    @property
    def median(self) -> float:
        return statistics.median(self.edit_seconds)

    @property
    def target(self) -> float | None:
        return SERVE_TARGETS.get(self.label)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 5.0) -> tuple[int, str]:
    """Status and text of a page (errors included); (0, "") when nothing answers."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return 0, ""


def serve_command(root: Path, today: date, port: int) -> list[str]:
    """The preview staff run (`make serve`), on ``root``."""
    return [sys.executable, "-m", "generator", "serve", "--root", str(root), "--today", today.isoformat(),
            "--dev-addr", f"127.0.0.1:{port}"]


def edited_event(root: Path, today: date) -> tuple[Path, str]:
    """A public single event of ``root`` to edit: its file and its page's path."""
    site = load_site(root, today)
    public = {r.id for r in site.public_records()}
    record = next(r for r in site.events if r.id in public and not r.is_series and r.path.startswith("content/events/"))
    return root / record.path, f"/events/{record.id}/"


def retitle(file: Path, mark: str) -> None:
    """Append ``mark`` to the event's title (its first ``title:`` line), as an editor would save it."""
    import yaml

    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.startswith("title:"):
            title = yaml.safe_load(line)["title"]
            base = title.split("（計測")[0]
            lines[number] = f"title: {json.dumps(base + mark, ensure_ascii=False)}\n"
            break
    file.write_text("".join(lines), encoding="utf-8")


def measure_serve(root: Path, today: date, label: str, edits: int = SERVE_EDITS, pause: float = 1.0) -> ServeResult:
    """Start `python -m generator serve` on ``root``, then ``edits`` times: change an event's title and
    time how long until its page, fetched over HTTP, shows the new title. Stops the preview (and
    anything it started) at the end."""
    import signal

    port = free_port()
    file, page = edited_event(root, today)
    url = f"http://127.0.0.1:{port}{page}"
    with tempfile.TemporaryFile() as log:
        start = perf_counter()
        process = subprocess.Popen(serve_command(root, today, port), cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            while fetch(url)[0] != 200:
                if process.poll() is not None or perf_counter() - start > SERVE_START_TIMEOUT:
                    log.seek(0)
                    raise RuntimeError(f"serve did not start:\n{log.read().decode('utf-8', 'replace')[-4000:]}")
                time.sleep(0.05)
            started = perf_counter() - start
            times = []
            for number in range(1, edits + 1):
                time.sleep(pause)
                mark = f"（計測{number}）"
                retitle(file, mark)
                saved = perf_counter()
                while mark not in fetch(url)[1]:
                    if perf_counter() - saved > SERVE_EDIT_TIMEOUT:
                        log.seek(0)
                        raise RuntimeError(f"edit {number} did not show:\n{log.read().decode('utf-8', 'replace')[-4000:]}")
                    time.sleep(0.02)
                times.append(perf_counter() - saved)
                say(f"serve ({label}): edit {number}/{edits} showed after {times[-1]:.2f} s")
        finally:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    return ServeResult(label, started, tuple(times))


def site_root_copy(dest: Path) -> Path:
    """A copy of the repository's site root (its real content), for timing serve on it."""
    dest.mkdir(parents=True)
    for name in SITE_ROOT_ITEMS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        elif source.exists():
            shutil.copy2(source, dest / name)
    return dest

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def machine_info() -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), platform.processor())
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem_kib = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal:")), 0)
    release = Path("/etc/os-release")
    pretty = next((line.split("=", 1)[1].strip('"') for line in release.read_text().splitlines()
                   if line.startswith("PRETTY_NAME=")), "") if release.exists() else ""
    versions = ", ".join(f"{name} {_version(name)}" for name in ("mkdocs", "mkdocs-material")) + f", pagefind {_npm_version('pagefind')} (npm)"
    return {
        "CPU": cpu,
        "Cores": f"{os.cpu_count()} (usable: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'})",
        "RAM": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "Python": platform.python_version(),
        "OS": f"{pretty or platform.system()} ({platform.release()})",
        "Tools": versions,
        "Load average at start": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def _npm_version(name: str) -> str:
    try:
        return json.loads((REPO / "node_modules" / name / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return "?"


def _mark(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report_rows(results: list[ScaleResult]) -> list[tuple[str, list[str]]]:
    """Every figure, one row each: (label, one value per scale)."""
    def row(label, fn):
        return (label, [fn(r) for r in results])

    return [
        row("Single events (of which internal)", lambda r: f"{r.counts.events:,} ({r.counts.internal})"),
        row("Series (fiscal years)", lambda r: f"{r.counts.series} ({r.counts.years[0]}–{r.counts.years[-1]})"),
        row("Occurrences", lambda r: f"{r.phases['occurrences']:,}"),
        row("Content warnings", lambda r: f"{r.phases['warnings']}"),
        row("HTML pages", lambda r: f"{r.site.html_pages:,}"),
        row("Generator (s): load / render / write", lambda r: f"{r.phases['load']:.1f} / {r.phases['render']:.1f} / "
            f"{r.phases['write']:.1f}"),
        row("MkDocs (s)", lambda r: f"{r.phases['builder']:.1f}"),
        row("Calendars and feeds, made beside MkDocs (s)", lambda r: f"{r.phases.get('direct (in parallel)', 0.0):.1f}"),
        row("Checking pages, moving calendars in (s)", lambda r: f"{r.phases['fill']:.1f}"),
        row("Pagefind (s)", lambda r: f"{r.phases['search']:.1f}"),
        row("Total: the whole build command (s, median of the runs)", lambda r: f"{r.total_seconds:.1f}"),
        row("Runs of each build", lambda r: f"{r.phases.get('runs', 1)}"),
        row("Plain mkdocs-material (s, median)", lambda r: f"{r.plain.seconds:.1f}"),
        row(f"Total / plain (target ≤ {TARGET_RATIO})", lambda r: f"{r.ratio:.2f} {_mark(r.ratio <= TARGET_RATIO)}"),
        row("Peak RSS of the largest build process (MiB)", lambda r: f"{r.build.max_rss_mib:.0f}"),
        row(f"Peak memory, all build processes at once (target < {TARGET_PEAK_MIB} MiB)",
            lambda r: f"{r.peak_mib:.0f} MiB {_mark(r.peak_mib < TARGET_PEAK_MIB)}"),
        row("Plain mkdocs-material peak RSS (MiB)", lambda r: f"{r.plain.max_rss_mib:.0f}"),
        row("Site size (MB; of which Pagefind)", lambda r: f"{r.site.bytes / 1e6:.0f} ({r.site.pagefind_bytes / 1e6:.0f})"),
        row("Plain site size (MB)", lambda r: f"{r.plain_site.bytes / 1e6:.0f}"),
        row(f"Median HTML page (KiB; target < {TARGET_MEDIAN_KIB})",
            lambda r: f"{r.site.median_kib:.1f} {_mark(r.site.median_kib < TARGET_MEDIAN_KIB)}"),
        row("Plain median HTML page (KiB)", lambda r: f"{r.plain_site.median_kib:.1f}"),
        row("Largest HTML page (KiB)", lambda r: f"{r.site.largest_kib:.0f} ({r.site.largest_path})"),
        row("Mean generated Markdown page (bytes)", lambda r: f"{r.docs_mean_bytes:,}"),
        row("Per 1,000 events: total (s)", lambda r: f"{r.total_seconds / r.per_thousand:.1f}"),
        row("Per 1,000 events: site (MB)", lambda r: f"{r.site.bytes / 1e6 / r.per_thousand:.1f}"),
    ]


def serve_rows(results: list[ServeResult]) -> list[list[str]]:
    """One row per content: how long serve took to start, and from a save to the changed page."""
    rows = [["Content", "Start (s)", "Save → page, median (s)", "Slowest (s)", "Edits", "Target"]]
    for r in results:
        verdict = f"≤ {r.target:g} s {_mark(r.median <= r.target)}" if r.target else ""
        rows.append([r.label, f"{r.start_seconds:.1f}", f"{r.median:.2f}", f"{max(r.edit_seconds):.2f}",
                     str(len(r.edit_seconds)), verdict])
    return rows


def _table(rows: list[list[str]], markdown: bool) -> list[str]:
    if markdown:
        return [_md_row(rows[0]), "|" + "---|" + "---:|" * (len(rows[0]) - 1)] + [_md_row(r) for r in rows[1:]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]


def format_report(results: list[ScaleResult], machine: dict[str, str], *, markdown: bool = False, note: str = "",
                  serve: list[ServeResult] | None = None) -> str:
    """The figures table, the targets, serve's timings and the machine, as plain text or Markdown."""
    if not results:
        return _format_serve_only(serve or [], machine, markdown=markdown, note=note)
    header = ["", *[f"{r.scale}×" for r in results]]
    rows = [[label, *values] for label, values in report_rows(results)]
    if markdown:
        table = [_md_row(header), "|" + "---|" + "---:|" * len(results)] + [_md_row(r) for r in rows]
        machine_lines = [f"- {key}: {value}" for key, value in machine.items()]
    else:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        table = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in [header, *rows]]
        machine_lines = [f"  {key}: {value}" for key, value in machine.items()]
    verdicts = [f"{'- ' if markdown else '  '}{r.scale}×: total/plain {_mark(r.ratio <= TARGET_RATIO)}, "
                f"median page {_mark(r.site.median_kib < TARGET_MEDIAN_KIB)}, peak memory {_mark(r.peak_mib < TARGET_PEAK_MIB)}"
                for r in results]
    title = "## Figures" if markdown else "Figures"
    parts = [title, "", *table, "", "## Targets" if markdown else "Targets", "",
             f"Total within {TARGET_RATIO}× plain mkdocs-material, median page < {TARGET_MEDIAN_KIB} KiB, "
             f"peak memory < {TARGET_PEAK_MIB // 1024} GiB.", "", *verdicts, ""]
    parts += _serve_section(serve or [], markdown)
    parts += ["## Machine" if markdown else "Machine", "", *machine_lines]
    if note:
        parts += ["", f"Note: {note}"]
    return "\n".join(parts) + "\n"


def _serve_section(serve: list[ServeResult], markdown: bool) -> list[str]:
    if not serve:
        return []
    return ["## Serve" if markdown else "Serve", "",
            "`python -m generator serve`: an event's title changed, then its page fetched over HTTP until it shows the change.", "",
            *_table(serve_rows(serve), markdown), ""]


def _format_serve_only(serve: list[ServeResult], machine: dict[str, str], *, markdown: bool, note: str) -> str:
    parts = _serve_section(serve, markdown)
    parts += ["## Machine" if markdown else "Machine", "", *[f"{'- ' if markdown else '  '}{k}: {v}" for k, v in machine.items()]]
    if note:
        parts += ["", f"Note: {note}"]
    return "\n".join(parts) + "\n"


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Build benchmark on synthetic content (see BENCHMARKS.md).")
    parser.add_argument("--scales", default="1,2,4", help="comma-separated multiples of 3,000 events (default 1,2,4)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build per scale; the median counts (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders (content, docs, sites)")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the report as Markdown to this file")
    parser.add_argument("--note", default="", help="a sentence about the conditions, printed with the report")
    parser.add_argument("--serve-edits", type=int, default=SERVE_EDITS,
                        help=f"edits timed in serve, on the repository's content and on ten years (default {SERVE_EDITS}; 0: skip)")
    parser.add_argument("--events-per-scale", type=int, default=EVENTS_PER_SCALE, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def measure_serves(today: date, edits: int, events_per_scale: int = EVENTS_PER_SCALE) -> list[ServeResult]:
    """serve on a copy of the repository's content, then on ten years of synthetic content (1×)."""
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    try:
        say("serve: the repository's content…")
        results = [measure_serve(site_root_copy(work / "repository"), today, "repository", edits)]
        say(f"serve: ten years ({events_per_scale:,} events)…")
        make_bench_root(work / "ten-years", 1, today, events_per_scale=events_per_scale)
        results.append(measure_serve(work / "ten-years", today, "ten years (1×)", edits))
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    today = bench_today()
    machine = machine_info()
    results = []
    for scale in scales:
        work = Path(tempfile.mkdtemp(prefix=f"bench-{scale}x-"))
        try:
            results.append(measure_scale(work, scale, today, args.events_per_scale, args.repeat))
        finally:
            if args.keep:
                say(f"{scale}×: kept {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)
    serve = measure_serves(today, args.serve_edits, args.events_per_scale) if args.serve_edits > 0 else []
    print(format_report(results, machine, note=args.note, serve=serve))
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(format_report(results, machine, markdown=True, note=args.note, serve=serve), encoding="utf-8")
        say(f"Markdown report written to {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
