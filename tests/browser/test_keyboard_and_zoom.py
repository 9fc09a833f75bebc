"""Keyboard, focus, zoom and text spacing in Chromium (WCAG 2.1.1, 2.4.1, 2.4.7, 2.4.11, 1.4.4, 1.4.10, 1.4.12)."""

from __future__ import annotations

import pytest

from browser.page_checks import FOCUS_STATE, WALK_KEYS
from browser.pages import PAGES


@pytest.mark.parametrize("width", (1280, 360), ids=lambda w: f"{w}px")
@pytest.mark.parametrize("key", WALK_KEYS)
def test_every_tab_stop_is_visible_ringed_and_not_under_the_header(page_checks, key, width):
    report = page_checks(key, width)  # the page opened once for every read-only check (browser/page_checks.py)
    report.assert_no_csp_violations()
    stops = report["walk"]
    assert len(stops) >= 3, f"{key}: only {len(stops)} tab stops"
    bad = [f"{s['name']!r}: {', '.join(k for k in ('visible', 'ring', 'inViewport', 'onTop') if not s[k])}"
           f"{', under the header' if s['underHeader'] else ''}  {s['html']} (on top: {s['hit']})"
           for s in stops if not (s["visible"] and s["ring"] and s["inViewport"] and s["onTop"]) or s["underHeader"]]
    assert not bad, f"{PAGES[key][1]} at {width}px:\n" + "\n".join(bad)


@pytest.mark.parametrize("width", (1280, 360), ids=lambda w: f"{w}px")
def test_the_first_tab_stop_skips_to_the_content(page_at, width):
    page = page_at(PAGES["event"][1], width)
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("el => el === document.activeElement"), "the first Tab should reach 本文へ移動"
    assert skip.is_visible() and page.evaluate(FOCUS_STATE)["onTop"]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('article.md-content__inner').contains(document.activeElement)"), \
        "after 本文へ移動, the next Tab should be inside the page's content"


def press_tab_until(page, predicate: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({predicate}); }}"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def test_a_visitor_finds_and_opens_an_event_with_the_keyboard_only(page_at):
    """Home → header search → results → the event page, with Tab, typing and Enter only."""
    page = page_at("/", 1280)
    press_tab_until(page, "el.id === 'header-search-query'")
    page.keyboard.type("交通安全教室")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_function("() => document.querySelectorAll('#search-results li a').length > 0", timeout=15000)
    press_tab_until(page, "el.closest('#search-results') && el.tagName === 'A'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/events/kotsu-anzen-2025/")
    assert "交通安全教室" in page.locator("h1").inner_text()


def test_on_a_phone_the_menu_leads_to_the_calendar_by_keyboard(page_at):
    page = page_at("/", 360)
    press_tab_until(page, "el.matches('.drawer-button')")
    page.keyboard.press("Enter")
    press_tab_until(page, "el.closest('.md-sidebar--primary') && el.textContent.trim() === 'カレンダー'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/calendar/")
    assert page.locator("h1").inner_text().strip().startswith("カレンダー") or "カレンダー" in page.title()


@pytest.mark.parametrize("key", list(PAGES))
def test_200_percent_zoom_keeps_everything_on_screen(page_at, key):
    """A 1280x800 window at 200% is a 640x400 CSS viewport: no sideways scroll, the heading is
    readable, and the sticky header takes at most a quarter of the height (WCAG 1.4.4, 1.4.10)."""
    page = page_at(PAGES[key][1], 640)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1"), "sideways scroll at 200%"
    header = page.locator(".md-header").bounding_box()
    assert header["height"] <= 400 / 4, f"the header takes {header['height']}px of 400px"
    heading = page.locator("h1").first.bounding_box()
    assert heading and heading["x"] >= 0 and heading["x"] + heading["width"] <= 641


@pytest.mark.parametrize("width", (1280, 360), ids=lambda w: f"{w}px")
@pytest.mark.parametrize("key", list(PAGES))
def test_wider_text_spacing_cuts_off_no_text(page_checks, key, width):
    report = page_checks(key, width)  # the page opened once for every read-only check (browser/page_checks.py)
    report.assert_no_csp_violations()
    spacing = report["text_spacing"]  # page_checks.wider_text_spacing: WCAG 1.4.12's spacing as a reader's style sheet
    assert spacing["letter_spacing"] != "normal", "the wider spacing was not applied"
    assert spacing["no_sideways_scroll"], "sideways scroll with wider spacing"
    clipped = spacing["clipped"]
    assert not clipped, f"text cut off on {PAGES[key][1]} at {width}px:\n" + "\n".join(clipped)


@pytest.mark.parametrize("width", (1280, 360), ids=lambda w: f"{w}px")
def test_a_link_to_a_heading_lands_below_the_sticky_header(page_at, width):
    page = page_at("/facility/#closed", width)
    page.wait_for_timeout(100)
    top = page.evaluate("document.getElementById('closed').getBoundingClientRect().top")
    header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert top >= header, f"the heading starts at {top}px, under the header (bottom {header}px)"
