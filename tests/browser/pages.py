"""The pages the accessibility tests visit: one of every kind the generator makes.

This list is also what ``content/accessibility.yaml`` records (``make a11y-record``) and what the
ウェブアクセシビリティ方針 page lists as the tested URLs, so adding a kind of page here adds it there.
"""

from __future__ import annotations

WIDTHS = (1280, 360)  # desktop, a typical Android phone

# key: (ページの種類, path). "search-open" is the search page showing results for a query.
PAGES: dict[str, tuple[str, str]] = {
    "home": ("ホーム", "/"),
    "programs": ("事業一覧", "/programs/"),
    "program": ("事業", "/programs/oyako-hiroba/"),
    "upcoming": ("講座・イベント（今後の予定）", "/events/"),
    "filter": ("講座・イベント（対象で絞り込み）", "/events/for/kodomo/"),
    "event": ("講座・イベント", "/events/kotsu-anzen-2025/"),
    "cancelled": ("講座・イベント（中止）", "/events/peer-counseling-06/"),
    "series": ("繰り返しの講座・イベント", "/events/oyako-hiroba/"),
    "calendar": ("カレンダー", "/calendar/"),
    "month": ("月のカレンダー", "/calendar/2025-06/"),
    "news": ("お知らせ", "/news/2025-12-01-nenmatsu/"),
    "blog": ("ブログ", "/blog/2025-06-10-manabi/"),
    "newsletters": ("メールマガジン（バックナンバー一覧）", "/newsletters/"),
    "newsletter": ("メールマガジン（バックナンバー）", "/newsletters/2025-06/"),
    "progress": ("事業の進捗", "/progress/"),
    "facility": ("施設案内", "/facility/"),
    "contact": ("お問い合わせ", "/contact/"),
    "follow": ("更新情報の受け取り方", "/follow/"),
    "search": ("サイト内検索", "/search/"),
    "search-open": ("サイト内検索（検索結果）", "/search/?q=交通安全"),
    "accessibility": ("ウェブアクセシビリティ方針", "/accessibility/"),
    "staff": ("職員向けガイド", "/staff/"),
    "not-found": ("ページが見つかりません（404）", "/404.html"),
}

# Filled by the test run, read by ``--record-a11y``: {(key, width): violations}, and the tools' versions.
AXE_RESULTS: dict[tuple[str, int], int] = {}
RUN_INFO: dict[str, str] = {}
