"""Checks that only read a page, run once per (page, width) and shared by the tests that assert on them.

Opening a page (load, the wait until no request is under way, the CSP listener) costs more than
most checks on it, and the axe, language/h1, keyboard-walk and text-spacing tests all used to open
the same pages of tests/browser/pages.py at the same widths, each for itself. ``check_page(opener,
key, width)`` opens the page once, gathers what every one of those tests asserts on, in an order where
no check sees another's traces, and closes it; the tests keep their own names, ids and assertions and
read their part of the ``PageReport`` (``browser/conftest.py`` ``page_checks``, one per xdist worker:
the tests of one (page, width) go to the same worker).

Order on the page: what it looks like when loaded (language and headings, axe: axe saves and
restores the scroll position and moves no focus), then the walk with Tab (moves focus and
scrolls), then, after taking the focus away and scrolling back to the top, the reader's wider
text spacing (changes the styles, so it comes last). Tests that change a page in other ways
(menus, searches, printing) open their own with ``page_at``.
"""

from __future__ import annotations

from browser.pages import PAGES

MAX_STOPS = 400
WALK_KEYS = ("home", "event", "month", "search-open", "progress", "accessibility")  # every tab stop checked

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


def wider_text_spacing(page) -> dict:
    """WCAG 1.4.12's spacing as a reader's own style sheet (outside the page's Content Security Policy,
    which refuses a <style> element); what it did: letter spacing, sideways scroll, clipped text."""
    page.evaluate("(css) => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css); "
                  "document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }", TEXT_SPACING)
    page.wait_for_timeout(50)
    return {
        "letter_spacing": page.evaluate("getComputedStyle(document.body).letterSpacing"),
        "no_sideways_scroll": page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1"),
        "clipped": page.evaluate(CLIPPED),
    }


def open_kind(page_at, key: str, width: int):
    page = page_at(PAGES[key][1], width)
    if key == "search-open":  # the results list is what the visitor sees after searching
        page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0", timeout=15000)
    return page


class PageReport:
    """What the checks found on one page at one width. ``report["axe"]`` is a check's result, or raises
    what stopped the page from opening or that check from running, so every test that needs it fails."""

    def __init__(self, key: str, width: int):
        self.key, self.width, self.path = key, width, PAGES[key][1]
        self.results: dict[str, object] = {}
        self.failed: BaseException | None = None  # the page did not open (HTTP error, CSP violation on load)
        self.csp: list[str] = []  # CSP violations on the page, after every check ran
        self.external: list[str] = []  # requests to other hosts, blocked

    def __getitem__(self, check: str):
        if self.failed is not None:
            raise self.failed
        value = self.results[check]
        if isinstance(value, BaseException):
            raise AssertionError(f"{check} on {self.path} at {self.width}px could not run: {value!r}") from value  # noqa: TRY004
        return value

    def assert_no_csp_violations(self) -> None:
        assert not self.csp, "Content Security Policy の違反 / CSP violations:\n" + "\n".join(self.csp)

    def run(self, name: str, check, page) -> None:
        try:
            self.results[name] = check(page)
        except Exception as error:  # noqa: BLE001 - kept for the tests that read this check
            self.results[name] = error


def check_page(opener, key: str, width: int, axe_violations) -> PageReport:
    """Open ``key`` at ``width`` once with ``opener`` (a ``PageOpener``) and run every read-only check on it."""
    report = PageReport(key, width)
    try:
        page = open_kind(opener, key, width)
    except Exception as error:  # noqa: BLE001 - every test of this page reports it
        report.failed = error
        return report
    report.run("lang", lambda p: p.get_attribute("html", "lang"), page)
    report.run("h1", lambda p: p.locator("h1").all_inner_texts(), page)
    report.run("axe", axe_violations, page)
    if key in WALK_KEYS:
        report.run("walk", walk, page)
        # The walk leaves focus on a stop and the page scrolled; the spacing check starts from the top.
        page.evaluate("() => { if (document.activeElement) document.activeElement.blur(); window.scrollTo(0, 0); }")
    report.run("text_spacing", wider_text_spacing, page)
    report.external = opener.external_for(page)
    report.csp = opener.csp_violations()
    return report
