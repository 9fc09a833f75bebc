"""Keyboard, focus, zoom and text spacing in Chromium (WCAG 2.1.1, 2.4.1, 2.4.7, 2.4.11, 1.4.4, 1.4.10, 1.4.12)."""

from __future__ import annotations

import pytest

from browser.pages import PAGES

MAX_STOPS = 400

# One tab stop: is it visible, does it show a focus ring, is it hidden under the sticky header?
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const line = el.getClientRects()[0] || rect;  // a wrapped link: its first line box
  const header = document.querySelector('.md-header');
  const headerBottom = header ? header.getBoundingClientRect().bottom : 0;
  const inHeader = header && header.contains(el);
  // The part of the element that is below the header and inside the window.
  const top = Math.max(line.top, inHeader || style.position === 'fixed' ? 0 : headerBottom);
  const bottom = Math.min(line.bottom, innerHeight);
  const x = Math.min(Math.max(line.left + Math.min(line.width / 2, 20), 0), innerWidth - 1);
  const y = Math.min(top + Math.min((bottom - top) / 2, 10), innerHeight - 1);
  const hit = top < bottom ? document.elementFromPoint(x, y) : null;
  return {
    name: (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().slice(0, 40),
    html: el.outerHTML.slice(0, 120),
    ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    visible: el.checkVisibility({visibilityProperty: true, opacityProperty: true}) && rect.width > 0 && rect.height > 0,
    inViewport: rect.bottom > 0 && rect.top < innerHeight && rect.right > 0 && rect.left < innerWidth,
    underHeader: !inHeader && style.position !== 'fixed' && rect.bottom <= headerBottom,
    hit: hit ? hit.outerHTML.slice(0, 80) : '',
    onTop: !!hit && (hit === el || el.contains(hit) || hit.contains(el)),
  };
}"""


def walk(page) -> list[dict]:
    """Tab from the top of the page until focus comes back round; every stop's state."""
    stops, first = [], None
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:  # focus left the document (past the last stop)
            if stops:
                break
            continue
        if first is not None and state["html"] == first:
            break
        first = first or state["html"]
        stops.append(state)
    return stops


@pytest.mark.parametrize("width", (1280, 360), ids=lambda w: f"{w}px")
@pytest.mark.parametrize("key", ["home", "event", "month", "search-open", "progress", "accessibility"])
def test_every_tab_stop_is_visible_ringed_and_not_under_the_header(page_at, key, width):
    page = page_at(PAGES[key][1], width)
    if key == "search-open":
        page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0", timeout=15000)
    stops = walk(page)
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


TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }"""

# Elements whose text is cut off (overflow hidden/clip with content larger than the box).
CLIPPED = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!el.checkVisibility() || !el.textContent.trim()) continue;
    const style = getComputedStyle(el);
    const hides = (v) => v === 'hidden' || v === 'clip';
    // Visually hidden on purpose; and the header's one-line title, which repeats the site name and
    // the page's <h1> (both shown in full on the page) and is truncated with an ellipsis by design.
    if (el.closest('.md-skip, .header-search__label, .md-header__title')) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // text for screen readers only (1px box)
    if ((hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1) ||
        (hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1)) {
      out.push(el.outerHTML.slice(0, 160));
    }
  }
  return out;
}"""


@pytest.mark.parametrize("width", (1280, 360), ids=lambda w: f"{w}px")
@pytest.mark.parametrize("key", list(PAGES))
def test_wider_text_spacing_cuts_off_no_text(page_at, key, width):
    page = page_at(PAGES[key][1], width)
    # As a reader's own style sheet, outside the page's Content Security Policy (which refuses a <style> element).
    page.evaluate("(css) => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css); "
                  "document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }", TEXT_SPACING)
    page.wait_for_timeout(50)
    assert page.evaluate("getComputedStyle(document.body).letterSpacing") != "normal", "the wider spacing was not applied"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1"), "sideways scroll with wider spacing"
    clipped = page.evaluate(CLIPPED)
    assert not clipped, f"text cut off on {PAGES[key][1]} at {width}px:\n" + "\n".join(clipped)


@pytest.mark.parametrize("width", (1280, 360), ids=lambda w: f"{w}px")
def test_a_link_to_a_heading_lands_below_the_sticky_header(page_at, width):
    page = page_at("/facility/#closed", width)
    page.wait_for_timeout(100)
    top = page.evaluate("document.getElementById('closed').getBoundingClientRect().top")
    header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert top >= header, f"the heading starts at {top}px, under the header (bottom {header}px)"
