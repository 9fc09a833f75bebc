"""Events and series as staff write them in ``content/events/**.yaml``.

One file is one event, or one series when it has ``repeat:``. Keys are English,
values Japanese. Cross-file checks (program ids, rooms, duplicate ids, closed days)
live in ``load_events.py``; this module checks what one file can tell alone.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictBool, WithJsonSchema, model_validator

from generator.model.errors import clip_repr
from generator.model.plan import At, Date, Slug, Stamp, Strict, Text, Time, _checked_str

Url = Annotated[str, *_checked_str(r"https?://[^\s]+", "URL は https:// から書いてください")]
Weekday = Literal["月", "火", "水", "木", "金", "土", "日"]
Status = Literal["scheduled", "cancelled", "postponed", "full"]
# Who an event is for, as pre-built filter lists (label -> URL slug).
AUDIENCE_GROUPS = {"親子・乳幼児": "oyako", "子ども": "kodomo", "若者": "wakamono", "大人": "otona", "学びを支える人": "shiensha"}
AudienceGroup = Literal["親子・乳幼児", "子ども", "若者", "大人", "学びを支える人"]
# What the scaffolds (``new-event``, ``new-series``) write for staff to replace; left as is, check warns.
PLACEHOLDER_DESCRIPTION = "ここに説明を書きます。"
PLACEHOLDER_BLANKS = {"audience": "対象", "contact": "問い合わせ先"}
STATUS_LABELS = {"scheduled": "", "cancelled": "中止", "postponed": "延期", "full": "満員"}


def _venue(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


def _fee(value: Any) -> Any:
    if isinstance(value, str) and value.isascii() and value.isdigit():  # "500" (the browser editor writes text): 500円
        return int(value)
    if isinstance(value, bool) or not isinstance(value, (int, str)) or (isinstance(value, int) and value < 0):
        raise ValueError(f'参加費は 0 以上の整数（円）か文章で書いてください（値: {clip_repr(value)}）。例: 500、"材料費300円"')
    return value


class Venue(Strict):
    name: Text = Field(description="会場名。コーナー内なら plan.yaml の部屋の名前（研修室A、アートルーム など）だけ")
    address: str = Field(default="", description="外部の会場の住所（コーナー内なら書かない）")
    url: Url | None = Field(default=None, description="外部の会場の案内ページ")


VenueField = Annotated[
    Venue,
    BeforeValidator(_venue),
    WithJsonSchema({"anyOf": [{"type": "string", "description": "コーナーの部屋名"}, Venue.model_json_schema()]}),
]
Fee = Annotated[
    int | str, BeforeValidator(_fee), WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string"}]})
]


class Organizer(Strict):
    name: Text = Field(description="主催する機関・施設・団体の名前")
    url: Url | None = Field(default=None, description="主催者の案内ページ")


class CoHost(Strict):
    name: Text = Field(description="団体名")
    role: Literal["共催", "後援", "協力"] = Field(description="共催 / 後援 / 協力")


# How citizens apply, and the fact each way needs (``facility.*`` of the plan, or the event's ``url``):
# a way whose fact is unknown is never shown, and ``check --strict`` fails while an event lists it.
APPLY_METHODS = {"電話": "phone", "メール": "email", "窓口": "", "申込フォーム": "url", "はがき": "postal_code"}
ApplyMethod = Literal["電話", "メール", "窓口", "申込フォーム", "はがき"]
_METHOD_WORDS = {
    "電話": ("電話", "TEL", "tel"),
    "メール": ("メール", "mail", "Mail"),
    "窓口": ("窓口", "来館", "受付"),
    "申込フォーム": ("フォーム", "申込ページ", "ウェブ", "web", "Web", "インターネット"),
    "はがき": ("はがき", "ハガキ", "葉書"),
}


def _methods(value: Any) -> Any:
    """The earlier form, one sentence (``電話または窓口``): say the list to write instead."""
    if isinstance(value, str):
        found = [name for name, words in _METHOD_WORDS.items() if any(w in value for w in words)]
        found.sort(key=lambda name: min(value.find(w) for w in _METHOD_WORDS[name] if w in value))
        example = ", ".join(found) if found else "電話, 窓口"
        raise ValueError(
            f"申込方法は一覧で書いてください: method: [{example}]（値: {clip_repr(value)}）。"
            f"使えるのは {' / '.join(APPLY_METHODS)}。ほかの説明（先着順、ご相談ください など）は note: に書きます"
        )
    return value


ApplyMethods = Annotated[
    list[ApplyMethod], BeforeValidator(_methods), WithJsonSchema({"type": "array", "items": {"enum": list(APPLY_METHODS)}})
]


class Application(Strict):
    required: StrictBool = Field(description="申込が必要なら true、不要なら false")
    method: ApplyMethods = Field(
        default=[],
        description="申込方法の一覧: 電話 / メール / 窓口 / 申込フォーム（url も書く）/ はがき。"
        "例: [電話, 窓口]。電話番号などが plan.yaml に未記入のうちは、サイトには出さず窓口を案内します",
    )
    opens: Date | None = Field(default=None, description="申込開始日（YYYY-MM-DD）")
    deadline: Date | None = Field(default=None, description="申込締切日（YYYY-MM-DD）")
    url: Url | None = Field(default=None, description="申込フォームなどの URL")
    note: str = Field(default="", description="申込についての補足（先着順、抽選 など）")

    @model_validator(mode="after")
    def _opens_before_deadline(self) -> Application:
        if self.opens and self.deadline and self.deadline < self.opens:
            raise At("deadline", "申込締切 'deadline' が申込開始 'opens' より前です")
        if len(set(self.method)) != len(self.method):
            raise At("method", "申込方法 'method' に同じものが2回書かれています")
        if not self.required and (self.method or self.opens or self.deadline or self.url):
            raise At(
                "required", "申込不要（required: false）なのに申込方法や締切が書かれています。申込が必要なら required: true に"
            )
        return self


class Image(Strict):
    src: Text = Field(description="画像ファイル（content/images/ からの相対パス）")
    alt: Text = Field(description="画像の内容を説明する文（代替テキスト。必須）")


class Details(Strict):
    """What an event and a series share."""

    id: Slug | None = Field(
        default=None, description="ID（英小文字・数字・ハイフン）。省略するとファイル名。URL になるので公開後は変えない"
    )
    title: Text = Field(description="題名")
    program: Slug | None = Field(
        default=None, description="事業計画の事業 ID（plan.yaml の id）。他機関の催しなら書かずに organizer を"
    )
    organizer: Organizer | None = Field(default=None, description="他の機関・施設・団体の催しを紹介するときの主催者")
    start: Time | None = Field(default=None, description="開始時刻 HH:MM。省略すると終日")
    end: Time | None = Field(default=None, description="終了時刻 HH:MM")
    venue: VenueField = Field(description="会場。コーナー内なら部屋名、外部なら name と address")
    audience: str = Field(default="", description="対象（例: 乳幼児とその保護者）")
    audience_groups: list[AudienceGroup] = Field(
        default=[], description="対象の分類（絞り込みに使う）: 親子・乳幼児 / 子ども / 若者 / 大人 / 学びを支える人"
    )
    capacity: int | None = Field(default=None, ge=1, description="定員（人）")
    fee: Fee = Field(default=0, description="参加費。0 なら無料、整数なら円、または文章")
    application: Application = Field(default=Application(required=False), description="申込（不要なら省略可）")
    cohosts: list[CoHost] = Field(default=[], description="共催・後援・協力の団体")
    contact: str = Field(default="", description="問い合わせ先（個人名は書かない）")
    description: str = Field(default="", description="説明（Markdown）")
    image: Image | None = Field(default=None, description="画像と代替テキスト")
    status: Status = Field(
        default="scheduled", description="scheduled（予定どおり）/ cancelled（中止）/ postponed（延期）/ full（満員）"
    )
    status_reason: str = Field(default="", description="中止・延期などの理由")
    internal: StrictBool = Field(default=False, description="true なら内部の活動（研修・会議など）。回数には数えるが公開しない")
    sample: StrictBool = Field(default=False, description="true なら見本のデータ（サンプルの印が付く）")
    published: Date | None = Field(default=None, description="告知を公開した日（フィードの日付）")
    updated: Stamp | None = Field(
        default=None,
        description="日時・会場・状態・題名を変えた日 YYYY-MM-DD（カレンダーアプリに変更を知らせる）。"
        '同じ日に二度目の変更をしたら "YYYY-MM-DD HH:MM"',
    )

    @model_validator(mode="after")
    def _who(self) -> Details:
        if bool(self.program) == bool(self.organizer):
            raise At(
                "organizer" if self.organizer else "program",
                "事業 ID 'program' か、他機関の主催者 'organizer' のどちらか一方を書いてください",
            )
        if self.end and not self.start:
            raise At("end", "終了時刻 'end' だけが書かれています。開始時刻 'start' も書いてください")
        if self.status == "scheduled" and self.status_reason:
            raise At("status_reason", "'status_reason' は中止・延期・満員のときに書きます（status も変えてください）")
        if self.internal and self.organizer:
            raise At("internal", "他機関の催し（organizer）は内部の活動（internal: true）にできません")
        return self


class Event(Details):
    """One dated event (possibly over several days)."""

    date: Date = Field(description="日付 YYYY-MM-DD")
    end_date: Date | None = Field(default=None, description="複数日にわたるときの最終日 YYYY-MM-DD")
    participants: int | None = Field(default=None, ge=0, description="参加者数（実施後に記入）")

    @model_validator(mode="after")
    def _times(self) -> Event:
        if self.application.opens and self.application.opens > self.date:
            raise At(("application", "opens"), "申込開始 'opens' が講座・イベントの日より後です。日付を確かめてください")
        if self.end_date and self.end_date <= self.date:
            raise At("end_date", "最終日 'end_date' は日付 'date' より後にしてください（1日だけなら end_date は書かない）")
        if self.start and self.end and not self.end_date and self.end <= self.start:
            raise At("end", "終了時刻 'end' が開始時刻 'start' より前です")
        return self


class Move(Strict):
    from_: Date = Field(alias="from", description="もとの日付")
    to: Date = Field(description="移した先の日付")
    start: Time | None = Field(default=None, description="移した先の開始時刻（変わるとき）")
    end: Time | None = Field(default=None, description="移した先の終了時刻（変わるとき）")


class Session(Strict):
    """What happened to one date of a series (cancelled, full, participants)."""

    date: Date = Field(description="その回の日付（もとの日付）")
    status: Status = Field(default="scheduled", description="その回の状態")
    status_reason: str = Field(default="", description="中止などの理由")
    participants: int | None = Field(default=None, ge=0, description="その回の参加者数（実施後に記入）")


MAX_SERIES_DAYS = 731  # from ``from`` to ``until``: every day between is looked at, so a series of 8,000 years is refused


class MonthlyRule(Strict):
    week: int = Field(ge=1, le=5, description="第何週（1〜5）")
    weekday: Weekday = Field(description="曜日（月〜日）")


class Repeat(Strict):
    weekly: list[Weekday] = Field(default=[], description="毎週の曜日（例: [水]）")
    monthly: list[MonthlyRule] = Field(default=[], description="毎月の第何何曜日（例: [{week: 2, weekday: 土}]）")
    from_: Date = Field(alias="from", description="期間の初日 YYYY-MM-DD")
    until: Date = Field(description="期間の最終日 YYYY-MM-DD")
    skip_holidays: StrictBool = Field(default=True, description="祝日を休みにする（既定: true）")
    skip: list[Date] = Field(default=[], description="休みにする日付")
    add: list[Date] = Field(default=[], description="追加で行う日付")
    move: list[Move] = Field(default=[], description="日付を移す回（from → to）")

    @model_validator(mode="after")
    def _rule(self) -> Repeat:
        if not self.weekly and not self.monthly:
            raise ValueError("繰り返しの規則がありません。weekly（毎週の曜日）か monthly（毎月の第何何曜日）を書いてください")
        if self.until < self.from_:
            raise At("until", "期間の最終日 'until' が初日 'from' より前です")
        if (self.until - self.from_).days > MAX_SERIES_DAYS:
            raise At(
                "until",
                f"繰り返しの期間が長すぎます（{(self.until - self.from_).days:,}日）。{MAX_SERIES_DAYS:,}日（2年）までにしてください。"
                "年度ごとにファイルを分けると管理しやすくなります",
            )
        return self


class Series(Details):
    """A repeating event written once; every date becomes an occurrence everywhere."""

    repeat: Repeat = Field(description="繰り返しの規則")
    sessions: list[Session] = Field(default=[], description="回ごとの記録（中止・参加者数など）")

    @model_validator(mode="after")
    def _times(self) -> Series:
        if self.start and self.end and self.end <= self.start:
            raise At("end", "終了時刻 'end' が開始時刻 'start' より前です")
        return self


Item = Event | Series  # what one file under content/events/ holds: a series when it has repeat:

CANCELLED_MARK = "【中止】"  # before the title of a cancelled event or date, wherever it is shown


def cancelled_mark(status: str) -> str:
    """``【中止】`` for a cancelled event or date, else nothing (pages, feeds, calendars, mail, social drafts)."""
    return CANCELLED_MARK if status == "cancelled" else ""
