"""serve in a real browser: a saved change reloads the open page by itself; while content has errors
the page turns into an accessible list of them (axe-core), and back when they are fixed."""

from __future__ import annotations

import time
from datetime import date

import pytest

from browser.conftest import CSP_LISTENER
from conftest import make_root
from generator.publish.serve import Preview, in_background

TODAY = date(2025, 6, 1)


@pytest.fixture
def served(tmp_path):
    root = make_root(tmp_path, "events")
    with in_background(Preview(root, TODAY)) as base:
        yield root, base


def edit(file, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_open_page_follows_edits_and_shows_errors_accessibly(served, browser, axe_violations):
    root, base = served
    event = root / "content/events/2025/oyako-05.yaml"
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 800})
    try:
        context.add_init_script(CSP_LISTENER)  # the preview keeps the pages' policy; its script is a file
        page = context.new_page()
        page.goto(base + "/events/oyako-05/", timeout=120_000)  # the first build may still be running
        page.wait_for_selector("h1:has-text('親子の広場 5月')", timeout=120_000)

        edit(event, "title: 親子の広場 5月", "title: 親子の広場 五月")
        saved = time.monotonic()
        page.wait_for_selector("h1:has-text('親子の広場 五月')", timeout=30_000)  # no reload by the test
        print(f"\nsave -> page in the browser: {time.monotonic() - saved:.2f} s")

        edit(event, "date: 2025-05-10", "date: 2025-05-32")
        page.wait_for_selector("h1:has-text('内容にエラーがあります')", timeout=30_000)
        assert page.evaluate("document.documentElement.lang") == "ja"
        assert "content/events/2025/oyako-05.yaml:3:7: " in page.inner_text("main")
        assert page.locator("h2", has_text="エラー（1件）").count() == 1
        assert axe_violations(page) == []

        edit(event, "date: 2025-05-32", "date: 2025-05-10")
        page.wait_for_selector("h1:has-text('親子の広場 五月')", timeout=30_000)
        assert page.evaluate("window.__cspViolations") == []
        assert page.locator("meta[http-equiv='Content-Security-Policy']").count() == 1
    finally:
        context.close()
