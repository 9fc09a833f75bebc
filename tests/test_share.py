"""Share cards and feed discovery: Open Graph, Twitter card and feed links on every kind of page."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import make_root
from generator.build import build

KINDS = ["index.html", "programs/index.html", "programs/oyako/index.html", "facility/index.html",
         "events/index.html", "events/oyako-05/index.html", "events/gakushu/index.html", "calendar/2025-05/index.html",
         "calendar/index.html", "events/for/oyako/index.html", "events/past/2025/index.html", "follow/index.html",
         "search/index.html", "news/index.html", "blog/index.html"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_root(tmp_path_factory.mktemp("share"), "events")
    build(root, date(2025, 6, 1))
    return root / "site"


def meta(html: str, key: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return match.group(1) if match else None


@pytest.mark.parametrize("page", KINDS)
def test_every_page_has_a_share_card_and_feed_links(site, page):
    html = (site / page).read_text(encoding="utf-8")
    for key in ("og:title", "og:description", "og:url", "og:image", "og:image:alt", "twitter:card"):
        assert meta(html, key), f"{page}: {key}"
    assert meta(html, "og:url").startswith("https://") and meta(html, "og:image").startswith("https://")
    assert meta(html, "description")
    assert re.search(r'<link rel="alternate ?" type="application/rss\+xml" title="[^"]+" href="https://[^"]+/feeds/rss.xml">', html)
    assert re.search(r'<link rel="alternate ?" type="application/atom\+xml" title="[^"]+" href="https://[^"]+/feeds/atom.xml">', html)


def test_share_card_text_is_escaped(site):
    html = (site / "programs/oyako/index.html").read_text(encoding="utf-8")
    assert meta(html, "og:title") == "親子の広場 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;引用&quot; 🎉 𠮷"


def test_the_default_image_is_there(site):
    assert (site / "assets/og-default.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
