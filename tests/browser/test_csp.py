"""The Content Security Policy in the browser: the harness sees a violation, the policy blocks what
staff-written HTML could smuggle in, and the site's own scripts, data blocks and search run under it
(every other browser test fails on a violation: conftest.PageOpener)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from browser.conftest import PageOpener


def test_the_harness_reports_inline_script_style_and_handlers(browser, server):
    opener = PageOpener(browser, server)
    try:
        page = opener("/facility/")
        page.evaluate("""() => {
            window.ran = [];
            const script = document.createElement("script");
            script.textContent = "window.ran.push('inline script')";
            document.body.append(script);
            const image = document.createElement("img");
            image.setAttribute("onerror", "window.ran.push('handler')");
            image.src = "/no-such-image.png";
            document.body.append(image);
            const box = document.createElement("div");
            box.setAttribute("style", "color: red");
            document.body.append(box);
        }""")
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.ran") == []
        violations = "\n".join(opener.csp_violations())
        assert "script-src-elem blocked inline" in violations and "script-src-attr blocked inline" in violations, violations
        assert "style-src-attr blocked inline" in violations, violations
    finally:
        opener.close()


def test_the_harness_blocks_and_records_requests_to_other_hosts(browser, server):
    """The browser reaches only 127.0.0.1/localhost (conftest.ONLY_LOCAL_HOSTS): a request anywhere else fails
    before it leaves, however the address dresses up as local, and is recorded; the site's own requests go on."""
    opener = PageOpener(browser, server)
    try:
        page = opener("/facility/")
        assert opener.external == []
        others = ["http://example.com/font.woff2", "https://localhost.example.com/", "http://127.0.0.1@example.com/",
                  "http://127.0.0.1.example.com:8000/x", "http://192.0.2.1/x", "http://[2001:db8::1]/x"]
        for url in others:
            with pytest.raises(PlaywrightError, match="ERR_NAME_NOT_RESOLVED"):
                page.goto(url, timeout=5000)
        asked = lambda: list(dict.fromkeys(opener.external))  # noqa: E731 - Chromium may ask twice (a retry)
        assert [where for where, _ in asked()] == ["/facility/"] * len(others)
        assert [url.split("//", 1)[1].split("/", 1)[0] for _, url in asked()] == \
            ["example.com", "localhost.example.com", "127.0.0.1@example.com", "127.0.0.1.example.com:8000", "192.0.2.1",
             "[2001:db8::1]"]
        contact = opener("/contact/")  # the site's own page, its styles, scripts and images: nothing recorded
        assert len(asked()) == len(others), asked()[len(others):]
        # What a page itself asks of another host (here an image, which the policy allows) fails the same way.
        result = contact.evaluate("""() => new Promise((done) => {
            const image = new Image();
            image.onerror = () => done("failed");
            image.onload = () => done("loaded");
            image.src = "https://example.org/pixel.png";
        })""")
        assert result == "failed"
        assert [url for where, url in asked() if where == "/contact/"] == ["https://example.org/pixel.png"]
    finally:
        opener.close()


def test_json_ld_and_the_theme_config_are_data_not_blocked_script(page_at):
    page = page_at("/events/oyako-hiroba/")
    assert page.locator('script[type="application/ld+json"]').count() >= 1
    assert page.evaluate("() => JSON.parse(document.getElementById('__config').textContent).base") == "../.."
    assert page.evaluate("() => typeof __md_get") == "function"  # assets/theme-init.js ran, before the theme's bundle


def test_the_policy_is_the_first_thing_in_head(page_at):
    page = page_at("/")
    first = page.evaluate("() => document.head.firstElementChild.outerHTML")
    assert first.startswith('<meta http-equiv="Content-Security-Policy"')
    assert "script-src 'self' 'wasm-unsafe-eval';" in first and "'unsafe-inline'" not in first


def test_a_tab_comes_back_clean_for_the_next_test(browser, server):
    """Pages open in tabs the worker keeps (conftest._Tab): the next test gets the tab without the last one's
    storage, cookies, print emulation or scripts' state, also when its URL differs only in the #fragment."""
    first = PageOpener(browser, server)
    page = first("/facility/", 360)
    page.evaluate("() => { localStorage.setItem('x', '1'); sessionStorage.setItem('y', '2'); "
                  "document.cookie = 'z=3; path=/'; window.leftover = 1; }")
    page.emulate_media(media="print")
    first.close()
    second = PageOpener(browser, server)
    try:
        again = second("/facility/#closed", 360)
        assert again is page  # the same tab, lent again
        state = again.evaluate("() => [localStorage.length, sessionStorage.length, document.cookie, typeof window.leftover, "
                               "matchMedia('print').matches]")
        assert state == [0, 0, "", "undefined", False]
    finally:
        second.close()
