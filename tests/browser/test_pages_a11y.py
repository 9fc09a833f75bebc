"""Every kind of page, in Chromium: axe at both widths, no external requests; print and reflow.

The axe results are what ``--record-a11y`` (``make a11y-record``) writes to content/accessibility.yaml.
"""

from __future__ import annotations

import re

import pytest

from browser.page_checks import open_kind
from browser.pages import AXE_RESULTS, PAGES, WIDTHS


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("key", list(PAGES))
def test_no_axe_violations(page_checks, key, width):
    report = page_checks(key, width)  # the page opened once for every read-only check (browser/page_checks.py)
    problems = report["axe"]
    AXE_RESULTS[(key, width)] = len(problems)
    path = PAGES[key][1]
    assert not problems, f"axe found {len(problems)} problem(s) on {path} at {width}px:\n" + "\n".join(problems)
    assert report.external == []
    report.assert_no_csp_violations()


@pytest.mark.parametrize("key", ["month", "event", "series", "home", "search-open", "progress", "accessibility"])
def test_no_horizontal_scroll_at_320px(page_at, key):
    """WCAG 1.4.10: 320 CSS px is a 1280 px window at 400% zoom."""
    page = open_kind(page_at, key, 320)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_month_calendar_becomes_a_day_list_on_phones(page_at):
    page = page_at(PAGES["month"][1], 360)
    assert page.evaluate("getComputedStyle(document.querySelector('table.calendar td.calendar__day--closed')).display") == "block"
    assert page.locator("table.calendar thead").bounding_box()["width"] <= 1


def test_month_page_prints_on_one_a4_sheet_without_navigation(page_at):
    page = page_at(PAGES["month"][1], 1280)
    page.emulate_media(media="print")
    assert page.locator(".md-header").is_hidden() and page.locator(".md-sidebar--primary").is_hidden()
    pdf = page.pdf(format="A4", landscape=True, prefer_css_page_size=True, print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the month calendar printed on {pages} A4 pages"


def test_upcoming_lists_hide_events_that_ended_after_the_build(page_at):
    page = page_at("/", 1280)
    page.evaluate("""() => {
        const list = document.querySelector('.event-list--upcoming');
        const item = list.querySelector('li');
        item.setAttribute('data-end', '2000-01-01');
    }""")
    page.add_script_tag(url="assets/upcoming.js")
    page.wait_for_function("document.querySelector('.event-list--upcoming li').hidden === true")
