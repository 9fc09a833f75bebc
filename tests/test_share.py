"""Share cards and feed discovery: Open Graph, Twitter card and feed links on every kind of page."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import make_root
from generator.publish.build import build

KINDS = ["404.html", "staff/index.html", "index.html", "programs/index.html", "programs/oyako/index.html", "facility/index.html",
         "events/index.html", "events/oyako-05/index.html", "events/gakushu/index.html", "calendar/2025-05/index.html",
         "calendar/index.html", "events/for/oyako/index.html", "events/past/2025/index.html", "follow/index.html",
         "search/index.html", "news/index.html", "blog/index.html"]


GUIDE = """---
title: 職員向けの手引き
description: 職員向けの手引き。
---

# 職員向けの手引き

## 講座を載せる

本文。

## お知らせを書く

本文。
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_root(tmp_path_factory.mktemp("share"), "events")
    (root / "content/pages/staff").mkdir(parents=True)
    (root / "content/pages/staff/index.md").write_text(GUIDE, encoding="utf-8")  # headings, outside the menu
    build(root, date(2025, 6, 15))
    return root / "site"


def meta(html: str, key: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return match.group(1) if match else None


@pytest.mark.parametrize("page", KINDS)
def test_every_page_has_a_share_card_and_feed_links(site, page):
    html = (site / page).read_text(encoding="utf-8")
    for key in ("og:title", "og:description", "og:url", "og:image", "og:image:alt", "twitter:card", "twitter:image",
                "twitter:image:alt"):
        assert meta(html, key), f"{page}: {key}"
    assert meta(html, "og:url").startswith("https://") and meta(html, "og:image").startswith("https://")
    assert meta(html, "twitter:image") == meta(html, "og:image") and meta(html, "twitter:image:alt") == meta(html, "og:image:alt")
    assert re.findall(r'<link rel="canonical" href="([^"]+)">', html) == [meta(html, "og:url")]
    assert meta(html, "description")
    assert re.search(r'<link rel="alternate ?" type="application/rss\+xml" title="[^"]+" href="https://[^"]+/feeds/rss.xml">', html)
    assert re.search(r'<link rel="alternate ?" type="application/atom\+xml" title="[^"]+" href="https://[^"]+/feeds/atom.xml">', html)


def test_share_card_text_is_escaped(site):
    html = (site / "programs/oyako/index.html").read_text(encoding="utf-8")
    assert meta(html, "og:title") == "親子の広場 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;引用&quot; 🎉 𠮷"


def test_the_default_image_is_there(site):
    assert (site / "assets/og-default.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_404_page_has_its_own_address(site):
    html = (site / "404.html").read_text(encoding="utf-8")
    assert meta(html, "og:url") == "https://yse-yokohama.com/404.html"
    assert '<link rel="canonical" href="https://yse-yokohama.com/404.html">' in html


def test_the_sitemap_dates_the_build_in_japan(site):
    """The build's SOURCE_DATE_EPOCH is midnight in Japan; formatted in UTC it was the day before."""
    import gzip

    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {"2025-06-15"}
    assert b"2025-06-15" in gzip.decompress((site / "sitemap.xml.gz").read_bytes())


def test_a_table_of_contents_outside_the_menu_labels_no_missing_control(site):
    """A label for="__toc" where Material writes no such checkbox (a page outside the menu) points at nothing."""
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if 'for="__toc"' in html:
            assert 'id="__toc"' in html, page
    guide = (site / "staff/index.html").read_text(encoding="utf-8")
    assert 'data-md-component="toc"' in guide and '<div class="md-nav__title">' in guide
