"""Accessibility of the built site in Chromium: language, one h1 on every kind of page, the mobile menu."""

from __future__ import annotations

import pytest

from browser.pages import PAGES


@pytest.mark.parametrize("width", [1280], ids=lambda w: f"{w}px")
@pytest.mark.parametrize("key", [k for k in PAGES if k != "search-open"])
def test_language_and_single_h1(page_checks, key, width):
    report = page_checks(key, width)  # the page opened once for every read-only check (browser/page_checks.py)
    path = PAGES[key][1]
    assert report["lang"] == "ja"
    headings = report["h1"]
    assert len(headings) == 1, f"{path} should have exactly one <h1>, found {len(headings)}: {headings}"
    report.assert_no_csp_violations()


def test_mobile_menu_works_by_keyboard(page_at, axe_violations):
    """At 360px (also what 400% zoom looks like) the drawer links are not tab stops while closed;
    the menu button is reachable, named, opens with Enter and closes with Escape."""
    page = page_at("/", 360)
    hidden_stops = page.eval_on_selector_all(
        ".md-sidebar--primary a[href]",
        "links => links.filter(a => a.checkVisibility({visibilityProperty: true})).map(a => a.textContent.trim())",
    )
    assert hidden_stops == [], f"closed drawer still has tab stops: {hidden_stops}"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.matches('a.skip-link')"), "first Tab should reach 本文へ移動"
    page.keyboard.press("Tab")
    button = page.locator('.md-header .drawer-button')
    assert button.evaluate("el => el === document.activeElement"), "the second Tab should reach the menu button"
    assert button.get_attribute("aria-label") == "メニュー"
    assert button.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.evaluate("() => document.querySelector('.md-sidebar--primary').contains(document.activeElement)")
    page.wait_for_timeout(300)  # the slide-in transition, before axe measures colours
    problems = axe_violations(page)
    assert not problems, "axe with the menu open:\n" + "\n".join(problems)
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert button.evaluate("el => el === document.activeElement"), "Escape should return focus to the menu button"
