"""Every kind of page so far, in Chromium: axe at both widths, no external requests; print and reflow."""

from __future__ import annotations

import re

import pytest

PAGES = {
    "event": "/events/kotsu-anzen-2025/",
    "cancelled": "/events/peer-counseling-06/",
    "series": "/events/oyako-hiroba/",
    "month": "/calendar/2025-06/",
    "calendar": "/calendar/",
    "events": "/events/",
    "filter": "/events/for/kodomo/",
    "facility": "/facility/",
    "programs": "/programs/",
    "news": "/news/2025-12-01-nenmatsu/",
    "blog": "/blog/2025-06-10-manabi/",
    "follow": "/follow/",
    "search": "/search/",
    "newsletters": "/newsletters/",
    "progress": "/progress/",
    "staff": "/staff/",
    "newsletter": "/newsletters/2025-06/",
}


@pytest.mark.parametrize("width", (1280, 360), ids=lambda w: f"{w}px")
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_axe_violations(page_at, axe_violations, name, width):
    page = page_at(PAGES[name], width)
    problems = axe_violations(page)
    assert not problems, f"axe found {len(problems)} problem(s) on {PAGES[name]} at {width}px:\n" + "\n".join(problems)
    assert page_at.external_for(page) == []


@pytest.mark.parametrize("name", ["month", "event", "series"])
def test_no_horizontal_scroll_at_320px(page_at, name):
    page = page_at(PAGES[name], 320)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_month_calendar_becomes_a_day_list_on_phones(page_at):
    page = page_at(PAGES["month"], 360)
    assert page.evaluate("getComputedStyle(document.querySelector('table.calendar td.calendar__day--closed')).display") == "block"
    assert page.locator("table.calendar thead").bounding_box()["width"] <= 1


def test_month_page_prints_on_one_a4_sheet_without_navigation(page_at):
    page = page_at(PAGES["month"], 1280)
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
