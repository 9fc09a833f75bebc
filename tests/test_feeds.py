"""RSS and Atom: parsed back with feedparser, golden files, stable ids, escaping, no internal items."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SITE, make_root
from generator.feeds import clean, render_feeds
from generator.load import load_site


# After every sample item is announced: feeds carry only what is published by today.
FEED_DAY = date(2026, 2, 1)


@pytest.fixture(scope="module")
def feeds():
    return render_feeds(load_site(SITE, FEED_DAY))


@pytest.mark.parametrize("name", ["feeds/rss.xml", "feeds/atom.xml"])
def test_feeds_parse_back_with_ids_links_and_dates(feeds, name):
    parsed = feedparser.parse(feeds[name])
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.language == "ja" if "rss" in name else parsed.feed.get("language") in ("ja", None)
    assert any(link.rel == "self" for link in parsed.feed.links)
    assert parsed.entries
    for entry in parsed.entries:
        assert entry.id.startswith("https://") and entry.link == entry.id
        assert entry.published_parsed
        assert "+09:00" in entry.published or "+0900" in entry.published


def test_golden_feeds(feeds, golden):
    golden("feeds/rss.xml", feeds["feeds/rss.xml"].decode("utf-8"))
    golden("feeds/atom.xml", feeds["feeds/atom.xml"].decode("utf-8"))


def test_dates_are_the_announcement_not_the_event(feeds):
    parsed = feedparser.parse(feeds["feeds/rss.xml"])
    entry = next(e for e in parsed.entries if e.link.endswith("/events/kotsu-anzen-2025/"))
    assert entry.published == "Wed, 10 Sep 2025 00:00:00 +0900"  # published:, not 2025-10-18
    assert "2025年10月18日（土）" in entry.title


def test_last_build_date_is_the_newest_item_not_the_clock(feeds):
    parsed = feedparser.parse(feeds["feeds/rss.xml"])
    assert parsed.feed.updated == "Mon, 01 Dec 2025 00:00:00 +0900" == parsed.entries[0].published


def test_ids_and_bytes_are_stable_whatever_today_is(feeds):
    other = render_feeds(load_site(SITE, date(2026, 3, 31)))
    assert other == feeds


def test_an_item_enters_the_feed_on_its_publish_date():
    before = feedparser.parse(render_feeds(load_site(SITE, date(2025, 9, 9)))["feeds/rss.xml"])
    on_the_day = feedparser.parse(render_feeds(load_site(SITE, date(2025, 9, 10)))["feeds/rss.xml"])
    assert not any(e.link.endswith("/events/kotsu-anzen-2025/") for e in before.entries)
    assert any(e.link.endswith("/events/kotsu-anzen-2025/") for e in on_the_day.entries)


def test_internal_events_never_appear(feeds):
    for name, data in feeds.items():
        assert "ファシリテーション基礎".encode() not in data and b"shokuin-kenshu" not in data, name


def test_program_feeds_hold_only_their_program(feeds):
    parsed = feedparser.parse(feeds["feeds/programs/oyako-hiroba.rss.xml"])
    assert [e.link for e in parsed.entries] == ["https://yse-yokohama.com/events/oyako-hiroba/"]
    empty = feedparser.parse(feeds["feeds/programs/unei.atom.xml"])
    assert empty.bozo == 0 and empty.entries == []


def test_markup_quotes_emoji_and_rare_kanji_come_back_as_text(tmp_path):
    root = make_root(tmp_path, "events")
    (root / "content/news").mkdir()
    title = '<script>alert("x")</script> & \'引用\' 🎉 𠮷'
    (root / "content/news/2025-05-01-test.md").write_text(
        f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndate: 2025-05-01\n---\n本文 <b>太字</b> & 記号\n", encoding="utf-8")
    site = load_site(root, date(2025, 6, 1))
    for name in ("feeds/rss.xml", "feeds/atom.xml"):
        data = render_feeds(site)[name]
        assert b"<script>" not in data
        entry = feedparser.parse(data).entries[0]
        assert entry.title == title


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_arbitrary_titles_make_well_formed_feeds(tmp_path_factory, text):
    from generator.feeds import Item, _generator

    site = load_site(SITE, date(2025, 6, 1))
    item = Item(text, "https://yse-yokohama.com/news/x/", date(2025, 5, 1), date(2025, 5, 1), text, ("お知らせ",), None)
    for mime, method in (("application/rss+xml", "rss_str"), ("application/atom+xml", "atom_str")):
        data = getattr(_generator(site, "t", "https://yse-yokohama.com/", "https://yse-yokohama.com/f", [item], mime), method)()
        tree = ET.fromstring(data)  # well-formed whatever the title holds
        titles = [e.text for e in tree.iter() if e.tag in ("title", "{http://www.w3.org/2005/Atom}title")]
        assert titles[-1] == (clean(text).strip() or "（題名なし）")


def test_a_feed_carries_only_the_newest_announcements(monkeypatch):
    import generator.feeds as feeds_module

    site = load_site(SITE, date(2025, 6, 1))
    everything = feedparser.parse(render_feeds(site)["feeds/rss.xml"]).entries
    monkeypatch.setattr(feeds_module, "FEED_ITEMS", 2)
    newest = feedparser.parse(render_feeds(site)["feeds/rss.xml"]).entries
    assert len(everything) > 2 and [e.link for e in newest] == [e.link for e in everything[:2]]
