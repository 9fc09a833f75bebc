"""The content model: one source of truth for what staff may write.

Frozen pydantic models, unknown keys rejected, strict types (``no`` is not False).
Every field carries a Japanese description: it becomes the hover text in VS Code
through the exported JSON Schema (``schema/``).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, WithJsonSchema, model_validator

from generator.model.errors import clip_repr


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _checked_str(pattern: str, message: str) -> tuple[BeforeValidator, WithJsonSchema]:
    """The metadata of a string type that fullmatches ``pattern``: ``Annotated[str, *_checked_str(...)]``."""
    regex = re.compile(pattern)

    def check(value: Any) -> str:
        if not isinstance(value, str) or not regex.fullmatch(value):
            raise ValueError(f"{message}（値: {clip_repr(value)}）")
        return value

    return BeforeValidator(check), WithJsonSchema({"type": "string", "pattern": f"^{pattern}$"})


def parse_time(value: Any) -> time:
    if isinstance(value, time):
        return value
    match = re.fullmatch(r"([01]?[0-9]|2[0-3]):([0-5][0-9])", value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f'時刻は HH:MM（24時間制）で書いてください（値: {clip_repr(value)}）。例: "13:30"')
    return time(int(match.group(1)), int(match.group(2)))


FIRST_YEAR, LAST_YEAR = 2000, 2099


def parse_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"存在しない日付です（値: {clip_repr(value)}）。カレンダーで日付を確かめてください") from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:  # a typo (2205), and 9999-12-31 has no next day to compute
            raise ValueError(f"年は {FIRST_YEAR}〜{LAST_YEAR} の範囲で書いてください（値: {clip_repr(value)}）")
        return day
    hint = "数字は半角で書いてください。" if isinstance(value, str) and re.search("[０-９－]", value) else ""
    raise ValueError(f"日付は YYYY-MM-DD で書いてください（値: {clip_repr(value)}）。{hint}例: 2025-05-10")


def parse_stamp(value: Any) -> datetime:
    """A change's date, or date and time: ``2025-06-01`` or ``"2025-06-01 14:30"`` (Japan time, naive)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and (
        match := re.fullmatch(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{1,2}):([0-9]{2})", value.strip())
    ):
        day = parse_date(match.group(1))
        if int(match.group(2)) > 23 or int(match.group(3)) > 59:
            raise ValueError(f'時刻は HH:MM（24時間制）で書いてください（値: {clip_repr(value)}）。例: "2025-06-01 14:30"')
        return datetime.combine(day, time(int(match.group(2)), int(match.group(3))))
    try:
        return datetime.combine(parse_date(value), time(0))
    except ValueError:
        raise ValueError(
            f'日付は YYYY-MM-DD、同じ日に二度目の変更なら "YYYY-MM-DD HH:MM" で書いてください（値: {clip_repr(value)}）'
        ) from None


def _parse_month_day(value: Any) -> str:
    if isinstance(value, str) and re.fullmatch(r"[0-9]{2}-[0-9]{2}", value):
        try:
            date.fromisoformat(f"2000-{value}")  # a leap year, so 02-29 is allowed
            return value
        except ValueError:
            pass
    raise ValueError(f'月日は MM-DD で書いてください（値: {clip_repr(value)}）。例: "12-28"')


TIME_PATTERN = r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$"
Time = Annotated[time, BeforeValidator(parse_time), WithJsonSchema({"type": "string", "pattern": TIME_PATTERN})]
Date = Annotated[date, BeforeValidator(parse_date), WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"})]
Stamp = Annotated[
    datetime, BeforeValidator(parse_stamp), WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}( \d{1,2}:\d{2})?$"})
]
MonthDay = Annotated[str, BeforeValidator(_parse_month_day), WithJsonSchema({"type": "string", "pattern": r"^\d{2}-\d{2}$"})]
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"  # ids, and the file names that give ids (events, posts): one pattern


def is_slug(name: str) -> bool:
    return re.fullmatch(SLUG, name) is not None


Slug = Annotated[str, *_checked_str(SLUG, "ID は英小文字・数字・ハイフンで書いてください（例: oyako-hiroba）")]
PostalCode = Annotated[
    str, *_checked_str(r"(?:\d{3}-\d{4})?", '郵便番号は 235-0016 のように書いてください（分からなければ空欄 ""）')
]
Phone = Annotated[
    str,
    *_checked_str(
        r"(?:0\d{1,4}-\d{1,4}-\d{3,4})?", '電話番号は 045-000-0000 のように市外局番から書いてください（分からなければ空欄 ""）'
    ),
]
HttpsUrlOrBlank = Annotated[
    str, *_checked_str(r"(?:https://\S+)?", 'URL は https:// から書いてください（分からなければ空欄 ""）')
]
Email = Annotated[
    str, *_checked_str(r"(?:[^@\s]+@[^@\s]+\.[^@\s]+)?", 'メールアドレスの形ではありません（分からなければ空欄 ""）')
]


class At(ValueError):
    """A model-level mistake that belongs to one field: the message points at that key's line."""

    def __init__(self, field: str | tuple[str, ...], message: str):
        super().__init__(message)
        self.field = field if isinstance(field, tuple) else (field,)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("空白だけです。内容を書いてください")
    return value


Text = Annotated[str, Field(min_length=1), AfterValidator(_not_blank)]

AS_NEEDED = "随時"


def _parse_target(value: Any) -> int | str | None:
    if value is None or value == AS_NEEDED or (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
        return value
    raise ValueError(f"目標回数は 1 以上の整数か「随時」にしてください（値: {clip_repr(value)}）")


# None: not filled in yet (a new year's plan made by ``new-year``); allowed only while the plan is a draft.
Target = Annotated[
    int | str | None,
    BeforeValidator(_parse_target),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 1}, {"const": AS_NEEDED}, {"type": "null"}]}),
]
Mark = Literal["共催事業", "後援事業", "新規"]


class OpeningHours(Strict):
    open: Time = Field(description="開館時刻（HH:MM）")
    close: Time = Field(description="閉館時刻（HH:MM）")

    @model_validator(mode="after")
    def _close_after_open(self) -> OpeningHours:
        if self.close <= self.open:
            raise ValueError("閉館時刻 'close' は開館時刻 'open' より後にしてください")
        return self


class Hours(Strict):
    weekdays: OpeningHours = Field(description="月曜〜土曜の開館時間")
    sundays_holidays: OpeningHours = Field(description="日曜・祝日の開館時間")


class YearEnd(Strict):
    start: MonthDay = Field(description="年末年始休館の初日（MM-DD）")
    end: MonthDay = Field(description="年末年始休館の最終日（MM-DD、翌年）")


class TemporaryClosure(Strict):
    date: Date = Field(description="臨時休館する日（YYYY-MM-DD）")
    reason: Text = Field(description="臨時休館の理由（カレンダーと施設案内に表示されます。例: 設備点検のため）")


class TemporaryOpening(Strict):
    date: Date = Field(description="規則では休館日だが臨時に開館する日（YYYY-MM-DD）")
    reason: Text = Field(description="臨時開館の理由（カレンダーと施設案内に表示されます。例: 地域活動フェス開催のため）")


class Closed(Strict):
    # The closed days as the facility publishes them; generator/rules/closed_days.py applies them.
    # Keys of the earlier form: each gets a message saying what to write instead (generator/reading/messages.py).
    retired_keys: ClassVar[dict[str, str]] = {
        "first_monday": "毎月の休館日は monthly: first_monday_unless_first と書いてください"
        "（毎月第1月曜日。第1月曜日が1日のときは第2月曜日）",
        "extra": "臨時休館日は temporary_closures: に、1日ずつ日付と理由を書いてください"
        "（例: - {date: 2025-09-16, reason: 設備点検のため}）",
        "open_anyway": "休館日に臨時に開館する日は temporary_openings: に、1日ずつ日付と理由を書いてください"
        "（例: - {date: 2025-09-08, reason: 地域活動フェス開催のため}）",
        "note": "施設案内の休館日の説明は、休館日の規則から自動で作ります。この行は消してください",
    }

    monthly: Literal["first_monday_unless_first", "none"] = Field(
        description="毎月の休館日。first_monday_unless_first は毎月第1月曜日（第1月曜日が1日のときは第2月曜日）、"
        "none は毎月の休館日なし"
    )
    year_end: YearEnd = Field(description="年末年始の休館期間")
    temporary_closures: list[TemporaryClosure] = Field(
        default=[], description="臨時休館日: 1日ずつ日付 date と理由 reason（理由はサイトに表示されます）"
    )
    temporary_openings: list[TemporaryOpening] = Field(
        default=[],
        description="臨時開館日（規則では休館日だが開館する日）: 1日ずつ日付 date と理由 reason（理由はサイトに表示されます）",
    )


class RoomSlot(Strict):
    start: Time = Field(description="利用区分の開始時刻（HH:MM）")
    end: Time = Field(description="利用区分の終了時刻（HH:MM）")

    @model_validator(mode="after")
    def _end_after_start(self) -> RoomSlot:
        if self.end <= self.start:
            raise At("end", "利用区分の終了時刻 'end' は開始時刻 'start' より後にしてください")
        return self


class RoomFee(Strict):
    yen: int = Field(ge=0, description="1区分の利用料金（円、整数）。例: 1200")
    label: str = Field(default="", description="料金の条件（例: 2時間、平日、土・日・祝日）。1つだけなら空欄")


def _room(value: Any) -> Any:
    """``研修室`` (the earlier form, a name only): a room whose facts are not written."""
    return {"name": value} if isinstance(value, str) else value


class Room(Strict):
    name: Text = Field(description="部屋・場所の名前（講座・イベントの会場 venue に書く名前。例: 研修室A）")
    area: float | None = Field(default=None, gt=0, description="広さ（m²）。例: 66.66。不明なら書かない")
    capacity: int | None = Field(default=None, ge=1, description="定員の目安（人）。決まっていなければ書かない")
    capacity_note: str = Field(default="", description="定員の代わりの説明（例: 1面）")
    slots: list[RoomSlot] = Field(default=[], description='利用区分（時間帯）: - {start: "09:00", end: "13:00"} のように')
    slots_note: str = Field(default="", description="利用区分についての補足（例: 2時間の利用もできます）")
    fees: list[RoomFee] = Field(default=[], description="1区分の利用料金: - {yen: 1200} か、条件つきで - {label: 平日, yen: 700}")

    @property
    def unknown(self) -> list[str]:
        """The facts not written yet, in words (``check`` notes them)."""
        missing = [
            ("広さ", self.area is None),
            ("定員", self.capacity is None and not self.capacity_note),
            ("利用区分", not self.slots),
            ("料金", not self.fees),
        ]
        return [label for label, absent in missing if absent]


class _NameOr:
    """JSON Schema of a model that may also be written as its name alone (a string)."""

    def __get_pydantic_json_schema__(self, core_schema, handler):
        return {
            "anyOf": [
                {"type": "string", "minLength": 1, "description": "部屋の名前だけ（以前の書き方。広さなどは未記入）"},
                handler(core_schema),
            ]
        }


RoomField = Annotated[Room, BeforeValidator(_room), _NameOr()]


class Booking(Strict):
    """How groups use the rooms (施設利用案内), in plain words: only facts of the public record."""

    registration: str = Field(
        default="", description="だれが部屋を使えるか・団体登録について（例: 部屋は、団体登録をした団体が利用できます）"
    )
    how_to_register: str = Field(
        default="", description="団体登録の手続き（どこで、何が要るか）。不明なら空欄（check がお知らせします）"
    )
    how_to_book: str = Field(default="", description="部屋の予約の方法と申込みの始まる日。不明なら空欄（check がお知らせします）")
    availability_url: HttpsUrlOrBlank = Field(default="", description="部屋の空き状況のページの URL（https://）。不明なら空欄")
    notes: list[Text] = Field(default=[], description="利用についての補足（1項目1文）")


class Access(Strict):
    map_url: HttpsUrlOrBlank = Field(
        default="",
        description="地図のページの URL（https://）。空欄なら住所で地図を検索するリンクを作ります（埋め込みはしません）",
    )
    transit: list[Text] = Field(
        default=[],
        description="公共交通機関での行き方（1項目1文。例: ○○線「○○」駅から徒歩○分）。不明なら空欄（check がお知らせします）",
    )
    notes: list[Text] = Field(default=[], description="アクセスについての補足（駐車場・駐輪場など。分かっていることだけ）")


class Facility(Strict):
    name: Text = Field(description="施設名")
    postal_code: PostalCode = Field(default="", description="郵便番号（例: 235-0016）。不明なら空欄")
    address: Text = Field(description="所在地（都道府県名は省略可）")
    operator: str = Field(default="", description="運営者（指定管理者）の名称。不明なら空欄")
    phone: Phone = Field(
        default="",
        description="電話番号（045- から）。不明なら空欄（サイトに出さず、電話で申し込む催しは check --strict が止めます）",
    )
    email: Email = Field(
        default="",
        description="問い合わせ用メールアドレス。不明なら空欄（サイトに出さず、メールで申し込む催しは check --strict が止めます）",
    )
    rooms: list[RoomField] = Field(
        default=[], description="部屋・場所（講座・イベントの会場 venue はこの名前で書きます）と、その広さ・定員・利用区分・料金"
    )
    booking: Booking = Field(default=Booking(), description="部屋の利用（団体登録・予約の方法）。分かっていることだけ")
    access: Access = Field(default=Access(), description="アクセス（地図・公共交通機関）。分かっていることだけ")
    hours: Hours = Field(description="開館時間")
    closed: Closed = Field(description="休館日")

    def room(self, name: str) -> Room | None:
        return next((r for r in self.rooms if r.name == name), None)

    @property
    def room_names(self) -> list[str]:
        return [r.name for r in self.rooms]

    @property
    def map_url(self) -> str:
        """The staff's map page, else a map search for the address (a link: nothing is loaded from elsewhere)."""
        from urllib.parse import quote

        return self.access.map_url or "https://www.google.com/maps/search/?api=1&query=" + quote(self.address)


class Program(Strict):
    id: Slug = Field(description="事業の ID（英小文字・数字・ハイフン）。URL になるので変えないでください")
    name: Text = Field(description="事業名（計画書のとおり）")
    purpose: str = Field(default="", description="目的（計画書のとおり）")
    content: Text = Field(description="内容（計画書のとおり。【共催事業】などの印は marks へ）")
    target: Target = Field(description="目標回数（1 以上の整数、または「随時」）。下書き（draft: true）の間は空欄でも可")
    marks: list[Mark] = Field(default=[], description="印: 共催事業 / 後援事業 / 新規")

    @property
    def has_target(self) -> bool:
        return isinstance(self.target, int)

    @property
    def target_unset(self) -> bool:
        """Not filled in yet (a draft plan)."""
        return self.target is None


class Section(Strict):
    id: Slug = Field(description="目標・区分の ID（英小文字・数字・ハイフン）")
    kind: Literal["goal", "section"] = Field(description="goal（事業目標）または section（その他の区分）")
    number: int | None = Field(default=None, description="事業目標の番号（goal のみ）")
    name: Text = Field(description="目標・区分の名前")
    subtitle: str = Field(default="", description="副題")
    programs: list[Program] = Field(description="この目標・区分の事業")

    @model_validator(mode="after")
    def _goal_has_number(self) -> Section:
        if self.kind == "goal" and self.number is None:
            raise ValueError("事業目標（kind: goal）には番号 'number' が必要です")
        if self.kind == "section" and self.number is not None:
            raise ValueError("'number' は事業目標（kind: goal）にだけ書きます")
        return self

    @property
    def label(self) -> str:
        return f"事業目標{self.number}　{self.name}" if self.kind == "goal" else self.name


class Plan(Strict):
    fiscal_year: int = Field(ge=2000, le=2100, description="年度（西暦）。2025 なら 2025年4月1日〜2026年3月31日")
    draft: StrictBool = Field(
        default=False,
        description="true なら作成中の計画（サイトには「準備中」と出ます）。計画書のとおりに書き終えたら消してください",
    )
    title: Text = Field(description="計画書の表題")
    policy: Text = Field(description="事業実施の方針")
    facility: Facility = Field(description="施設の基本情報")
    sections: list[Section] = Field(min_length=1, description="事業目標と区分（計画書の順）")

    @property
    def programs(self) -> list[Program]:
        return [program for section in self.sections for program in section.programs]

    def program(self, program_id: str) -> Program | None:
        return next((p for p in self.programs if p.id == program_id), None)

    def section_of(self, program_id: str) -> Section:
        return next(s for s in self.sections if any(p.id == program_id for p in s.programs))


class PageMeta(Strict):
    """Front matter of a hand-written page under ``content/pages/``."""

    title: Text = Field(description="ページの題名（見出しとブラウザのタブに出ます）")
    description: str = Field(default="", description="ページの説明（検索結果や SNS で使われます）")


class Page(BaseModel):
    """A hand-written Markdown page: where it goes, its checked front matter, its body."""

    model_config = ConfigDict(frozen=True)
    path: str
    meta: PageMeta
    body: str

    def __init__(self, path: str, meta: PageMeta, body: str):
        super().__init__(path=path, meta=meta, body=body)


AUTHOR_ROLES = ("横浜市社会教育コーナー", "職員", "社会教育士", "コーディネーター", "学習支援スタッフ", "若者スタッフ")
AuthorRole = Literal["横浜市社会教育コーナー", "職員", "社会教育士", "コーディネーター", "学習支援スタッフ", "若者スタッフ"]


class PostMeta(Strict):
    """Front matter of a notice (``content/news/``) or blog post (``content/blog/``)."""

    title: Text = Field(description="題名")
    date: Date = Field(description="公開日 YYYY-MM-DD（フィードの日付）")
    updated: Date | None = Field(default=None, description="内容を直した日 YYYY-MM-DD")
    categories: list[Text] = Field(default=[], description="分類（例: 休館のお知らせ、申込受付、学びの話題）")
    author: AuthorRole = Field(default="横浜市社会教育コーナー", description="書いた人の役割（個人名は書かない）")
    summary: str = Field(default="", description="要約（一覧・フィード・SNS で使う。省略すると本文の冒頭）")
    program: Slug | None = Field(default=None, description="関係する事業の ID（事業ごとのフィードに載る）")
    sample: StrictBool = Field(default=False, description="true なら見本のデータ（サンプルの印が付く）")


class Post(BaseModel):
    """A checked notice or blog post: its kind (news/blog), slug, front matter and Markdown body."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["news", "blog"]
    slug: str
    path: str
    meta: PostMeta
    body: str


class NewsletterSettings(Strict):
    """``content/newsletter.yaml``: how readers subscribe and leave (the delivery service's pages)."""

    subscribe_url: str = Field(default="", description="配信サービスの登録フォームの URL。不明なら空欄（check が警告します）")
    unsubscribe_url: str = Field(
        default="",
        description="配信停止の手続きの URL（https://）。これがないとメールマガジンの原稿を作りません（特定電子メール法）",
    )
    unsubscribe_email: Email = Field(
        default="", description="配信停止を受け付けるメールアドレス（あれば List-Unsubscribe に載せます）"
    )
    one_click_unsubscribe: StrictBool = Field(
        default=False, description="配信停止の URL がワンクリック（RFC 8058 の POST）に対応しているなら true"
    )
    change_url: str = Field(default="", description="登録アドレス変更の手続きの URL。不明なら空欄")
    replies_read: StrictBool = Field(default=False, description="返信を読むなら true。false なら「送信専用」と書きます")
    program: Slug | None = Field(default=None, description="送った号を実施回数に数える事業の ID（例: mailmagazine）")


# What ``new-newsletter`` writes as the introduction; left as is, check warns.
PLACEHOLDER_INTRO = "（ここに今月の前書きを書きます。講座・イベントやお知らせは自動で入ります。）"


class NewsletterMeta(Strict):
    """Front matter of one issue's editorial, ``content/newsletters/YYYY-MM.md``."""

    sent: Date | None = Field(default=None, description="送った日 YYYY-MM-DD。書くとバックナンバーに載り、発行回数に数えます")
    issued: Date | None = Field(default=None, description="発行日（省略すると sent、それもなければ月の1日）")


class Newsletter(BaseModel):
    """A checked editorial file: its month, front matter and Markdown introduction."""

    model_config = ConfigDict(frozen=True)
    year: int
    month: int
    path: str
    meta: NewsletterMeta
    body: str


class TestedPage(Strict):
    """One page of the accessibility test run."""

    kind: str = Field(description="ページの種類（例: ホーム、講座・イベント）")
    path: str = Field(pattern=r"^/", description="サイト内のパス（例: /events/）")
    widths: list[int] = Field(description="試験した画面の幅（CSS ピクセル）")
    violations: int = Field(ge=0, description="axe-core が見つけた違反の数")


class AccessibilityRecord(Strict):
    """``content/accessibility.yaml``: the last accessibility test run, written by ``make a11y-record``."""

    tested: Date = Field(description="試験した日 YYYY-MM-DD")
    standard: str = Field(description="規格（例: JIS X 8341-3:2016）")
    level: Literal["A", "AA", "AAA"] = Field(description="目標とする適合レベル")
    tools: list[str] = Field(description="試験に使ったツールと版")
    checks: list[str] = Field(description="確認した項目")
    pages: list[TestedPage] = Field(min_length=1, description="試験したページ")
