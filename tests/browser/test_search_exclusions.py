"""The staff guide, the accessibility record and the 404 page are in neither the search index nor
the sitemap (issue 14); every other page of the site is in both."""

from __future__ import annotations

import json
import re
from urllib.parse import quote, unquote, urlsplit

import pytest

UNLISTED = ("/staff/", "/accessibility/", "/404.html")


def sitemap_paths(site) -> set[str]:
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    return {unquote(urlsplit(loc).path) for loc in re.findall(r"<loc>([^<]+)</loc>", text)}


def test_unlisted_pages_are_not_in_the_sitemap(built_site):
    paths = sitemap_paths(built_site)
    assert "/" in paths and "/events/" in paths and "/facility/" in paths
    assert not [p for p in paths if p.startswith(UNLISTED)], sorted(paths)


def test_unlisted_pages_are_not_indexed(built_site):
    for path in ("staff/index.html", "accessibility/index.html", "404.html"):
        assert "data-pagefind-body" not in (built_site / path).read_text(encoding="utf-8"), path
    indexed = [f for f in built_site.rglob("*.html") if "data-pagefind-body" in f.read_text(encoding="utf-8")]
    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["ja"]["page_count"] == len(indexed)


def test_every_indexed_page_is_in_the_sitemap(built_site):
    """What search finds, search engines find too (the sitemap leaves out only the unlisted pages)."""
    paths = sitemap_paths(built_site)
    indexed = set()
    for file in built_site.rglob("index.html"):
        if "data-pagefind-body" in file.read_text(encoding="utf-8"):
            folder = file.parent.relative_to(built_site).as_posix()
            indexed.add("/" if folder == "." else f"/{folder}/")
    assert indexed - paths == set()


@pytest.mark.parametrize("query, page", [
    ("職員向けガイド", "/staff/"),
    ("ウェブアクセシビリティ方針", "/accessibility/"),
])
def test_search_does_not_find_unlisted_pages(page_at, query, page):
    found = page_at(f"/search/?q={quote(query)}", 1280)
    found.wait_for_function(
        "() => /検索結果|見つかりません/.test(document.getElementById('search-status').textContent)", timeout=15000)
    links = [a.get_attribute("href") for a in found.query_selector_all("#search-results a")]
    assert page not in links, links
