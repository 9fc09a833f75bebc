"""Accessibility of the built site in Chromium: axe-core (WCAG 2.2 AA), language, one h1, no external requests."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

WIDTHS = (1280, 360)
PROGRAM_PATH = re.compile(r"^/programs/[^/]+/$")


@pytest.fixture(scope="session")
def program_path(browser, server) -> str:
    """Path of the first program linked from /programs/ (the plan decides which programs exist)."""
    context = browser.new_context()
    try:
        context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost") else route.abort())
        page = context.new_page()
        page.goto(f"{server}/programs/")
        hrefs = page.eval_on_selector_all("article a[href]", "links => links.map(a => a.href)")
    finally:
        context.close()
    for href in hrefs:
        path = urlsplit(href).path
        if urlsplit(href).netloc == urlsplit(server).netloc and PROGRAM_PATH.match(path):
            return path
    pytest.fail(f"/programs/ に事業ページへのリンクがありません / no program link on /programs/: {hrefs}")


@pytest.fixture(params=["home", "program"])
def path(request, program_path) -> str:
    return "/" if request.param == "home" else program_path


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
def test_no_axe_violations_and_no_external_requests(page_at, axe_violations, path, width):
    page = page_at(path, width)
    problems = axe_violations(page)
    assert not problems, f"axe found {len(problems)} problem(s) on {path} at {width}px:\n" + "\n".join(problems)
    assert page_at.external_for(page) == [], f"{path} requested other hosts: {page_at.external_for(page)}"


def test_language_and_single_h1(page_at, path):
    page = page_at(path, 1280)
    assert page.get_attribute("html", "lang") == "ja"
    headings = page.locator("h1").all_inner_texts()
    assert len(headings) == 1, f"{path} should have exactly one <h1>, found {len(headings)}: {headings}"


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
    button = page.locator('.md-header label[for="__drawer"]')
    assert button.evaluate("el => el === document.activeElement"), "first Tab should reach the menu button"
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
