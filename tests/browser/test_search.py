"""Japanese search (Pagefind) over the built site, in Chromium: the right page comes first."""

from __future__ import annotations

from urllib.parse import quote

import pytest


def search(page_at, query: str) -> list[str]:
    page = page_at(f"/search/?q={quote(query)}", 1280)
    page.wait_for_function(
        "() => /検索結果|見つかりません/.test(document.getElementById('search-status').textContent)", timeout=15000)
    return [a.get_attribute("href") for a in page.query_selector_all("#search-results a")]


@pytest.mark.parametrize("query, first", [
    ("ピアカウンセリング", "/programs/peer-counseling/"),   # a program's name
    ("紙芝居", "/programs/dokusho/"),                        # a word from a program's 内容
    ("交通安全教室", "/events/kotsu-anzen-2025/"),           # an event's title
    ("年末年始", "/news/2025-12-01-nenmatsu/"),              # a notice
    ("スポーツ広場", "/events/kotsu-anzen-2025/"),           # a venue: the event held there
    ("10月18日", "/events/kotsu-anzen-2025/"),               # a date
])
def test_the_right_page_comes_first(page_at, query, first):
    results = search(page_at, query)
    assert results and results[0] == first, f"{query}: {results[:5]}"


def test_a_venue_finds_the_events_held_there(page_at):
    assert "/events/oyako-hiroba/" in search(page_at, "アートルーム")[:3]


def test_internal_records_are_not_in_the_index(page_at):
    assert search(page_at, "ファシリテーション基礎") == []


def test_the_search_form_is_labelled_and_keyboard_operable(page_at):
    page = page_at("/search/", 1280)
    assert page.get_by_label("検索する言葉").count() == 1
    page.get_by_label("検索する言葉").focus()
    page.keyboard.type("紙芝居")
    page.keyboard.press("Enter")
    page.wait_for_function("() => /検索結果/.test(document.getElementById('search-status').textContent)")
    assert page.query_selector("#search-results a").get_attribute("href") == "/programs/dokusho/"


@pytest.mark.parametrize("width", (1280, 360), ids=lambda w: f"{w}px")
def test_header_search_is_reachable_from_every_page(page_at, width):
    page = page_at("/events/", width)
    if width == 1280:
        page.get_by_label("サイト内検索").fill("紙芝居")
        page.get_by_label("サイト内検索").press("Enter")
        page.wait_for_url("**/search/?q=*")
        page.wait_for_function("() => /検索結果/.test(document.getElementById('search-status').textContent)")
        assert page.query_selector("#search-results a").get_attribute("href") == "/programs/dokusho/"
    else:
        page.get_by_role("button", name="検索").click()
        page.wait_for_url("**/search/**")
        assert page.get_by_label("検索する言葉").is_visible()


@pytest.mark.parametrize("width", (1280, 360), ids=lambda w: f"{w}px")
def test_the_header_search_button_puts_the_cursor_in_the_field(page_at, width):
    """Nothing typed (on a phone the header has only the button): the search page opens with the
    cursor in its field, so the visitor types at once."""
    page = page_at("/events/", width)
    if width == 1280:
        page.get_by_label("サイト内検索").press("Enter")
    else:
        page.get_by_role("button", name="検索").click()
    page.wait_for_url("**/search/?q=")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'search-query'", timeout=5000)


def test_a_search_page_without_a_query_leaves_the_focus_alone(page_at):
    page = page_at("/search/", 1280)
    assert page.evaluate("() => document.activeElement === document.body")


def _luminance(rgb: str) -> float:
    channels = [int(x) / 255 for x in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


STYLE = """(selector) => {
  const s = getComputedStyle(document.querySelector(selector));
  return {fontSize: parseFloat(s.fontSize), borderWidth: parseFloat(s.borderTopWidth), borderStyle: s.borderTopStyle,
          borderColor: s.borderTopColor, background: s.backgroundColor, color: s.color,
          height: document.querySelector(selector).getBoundingClientRect().height};
}"""


@pytest.mark.parametrize("width", (1280, 360), ids=lambda w: f"{w}px")
def test_the_search_field_and_button_are_easy_to_see(page_at, width):
    """16 px or larger (iOS Safari zooms into smaller fields), a border of 3:1 against the page
    (WCAG 1.4.11), and a button that looks like a button: filled, 3:1 against the page, its text 4.5:1."""
    page = page_at("/search/", width)
    page_background = "rgb(255, 255, 255)"
    field = page.evaluate(STYLE, "#search-query")
    assert field["fontSize"] >= 16, field
    assert field["borderStyle"] != "none" and field["borderWidth"] >= 1, field
    assert _contrast(field["borderColor"], page_background) >= 3, field
    button = page.evaluate(STYLE, ".site-search button[type=submit]")
    assert button["fontSize"] >= 16, button
    assert _contrast(button["background"], page_background) >= 3, button
    assert _contrast(button["color"], button["background"]) >= 4.5, button
    assert button["height"] >= 44 and field["height"] >= 44, (field, button)  # a finger's target
    label = page.get_by_text("検索する言葉", exact=True)
    assert label.is_visible() and page.evaluate(STYLE, ".site-search label")["fontSize"] >= 16


@pytest.mark.parametrize("width", (1280, 360), ids=lambda w: f"{w}px")
def test_results_are_readable_on_a_phone(page_at, axe_violations, width):
    page = page_at("/search/?q=親子", width)
    page.wait_for_function("() => /検索結果/.test(document.getElementById('search-status').textContent)", timeout=15000)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # no sideways scrolling
    assert page.evaluate(STYLE, "#search-results a")["fontSize"] >= 16
    assert page.evaluate(STYLE, "#search-results p")["fontSize"] >= 16
    assert axe_violations(page) == []


def requests_of(browser, url: str, then=None) -> list[str]:
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        seen: list[str] = []
        page.on("request", lambda request: seen.append(request.url))
        page.goto(url, wait_until="networkidle")
        if then:
            then(page)
        return seen
    finally:
        context.close()


def test_search_is_loaded_only_when_used(browser, server):
    home = requests_of(browser, f"{server}/")
    assert not [u for u in home if "pagefind" in u or u.endswith("search.js")], home
    empty = requests_of(browser, f"{server}/search/")
    assert any(u.endswith("assets/search.js") for u in empty)
    assert not [u for u in empty if "/pagefind/" in u], "the index is fetched before anyone searches"

    def search(page):
        page.get_by_label("検索する言葉").fill("紙芝居")
        page.get_by_label("検索する言葉").press("Enter")
        page.wait_for_function("() => /検索結果/.test(document.getElementById('search-status').textContent)")

    used = requests_of(browser, f"{server}/search/", search)
    assert any("/pagefind/pagefind.js" in u for u in used)
