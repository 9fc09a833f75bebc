"""Contact and rooms in Chromium at 360 px and 1280 px: the facility page's rooms table reads as a
table on wide screens and as one block per room on phones, the footer of every page (404 too)
gives the address and a way to the お問い合わせ page, and the event's application line points to
the 窓口 while the phone number is unknown (the fixture site, like the live plan, has none)."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from browser.pages import PAGES, WIDTHS


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
def test_rooms_table_fits_and_reads(page_at, axe_violations, width):
    page = page_at(PAGES["facility"][1], width)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    table = page.locator("table.rooms")
    assert table.locator("caption").inner_text() == "部屋の広さ・定員・利用区分・料金"
    assert table.locator("tbody th[scope=row]").all_inner_texts() == ["研修室A", "研修室B", "研修室C", "アートルーム", "トレーニングルーム", "スポーツ広場"]
    cell = table.locator("tbody tr").nth(4).locator("td").nth(2)  # トレーニングルーム's time slots
    display = cell.evaluate("td => getComputedStyle(td).display")
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    if width < 720:  # one block per room, each value after its heading
        assert display == "block" and label == '"利用区分："'
        assert table.locator("thead").bounding_box()["width"] <= 1
    else:
        assert display == "table-cell" and label in ("none", "normal")
    # a time never breaks inside itself
    box = cell.locator(".nowrap").first.bounding_box()
    assert box["height"] < 40, box
    assert page.get_by_role("link", name="地図で場所を見る").get_attribute("href").startswith("https://www.google.com/maps/search/?api=1&query=")
    assert page.locator("iframe").count() == 0


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("path", ["/", "/facility/", "/events/kotsu-anzen-2025/", "/404.html"])
def test_footer_gives_address_and_contact_without_unknown_facts(page_at, path, width):
    page = page_at(path, width)
    footer = page.locator("footer .footer-contact")
    assert footer.is_visible()
    text = footer.inner_text()
    assert "横浜市社会教育コーナー" in text and "横浜市磯子区磯子3-6-1-1" in text and "開館 月〜土 9時〜21時" in text
    assert page.locator("footer a[href^='tel:'], footer a[href^='mailto:']").count() == 0  # unknown in the plan
    link = page.locator("footer a", has_text="お問い合わせ・アクセス")
    href = link.get_attribute("href")
    response = page.goto(urljoin(page.url, href))
    assert response.ok and page.locator("h1").inner_text() == "お問い合わせ"


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
def test_application_line_points_to_the_counter(page_at, width):
    page = page_at("/events/shimin-kikaku-2025/", width)  # method: [電話, 窓口], no phone number yet
    line = page.locator("dl.facts dt:text-is('申込') + dd")
    assert "申込方法: 窓口（横浜市磯子区磯子3-6-1-1）" in line.inner_text()
    assert "電話" not in line.inner_text() and line.locator("a[href^='tel:']").count() == 0
    line.get_by_role("link", name="窓口").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/contact/")
