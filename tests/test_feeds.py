"""RSS and Atom: parsed back with feedparser, golden files, stable ids, escaping, no internal items."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SITE, make_root
from generator.outputs.feeds import clean, render_feeds
from generator.reading.load import load_site


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
    assert parsed.feed.updated.startswith("Mon, 01 Dec 2025 00:00:") and parsed.entries[0].published == "Mon, 01 Dec 2025 00:00:00 +0900"
    atom = feedparser.parse(feeds["feeds/atom.xml"])
    assert atom.feed.updated == max(e.updated for e in atom.entries)


def test_entries_updated_the_same_day_get_distinct_times_from_their_own_url(feeds):
    """The W3C validator warns about two entries with the same atom:updated: within the minute staff
    wrote, each entry's URL picks its instant, whatever else the feed holds."""
    from generator.outputs.feeds import Item, entry_updated

    for name, data in feeds.items():
        if name.endswith("atom.xml"):
            stamps = [e.updated for e in feedparser.parse(data).entries]
            assert len(stamps) == len(set(stamps)), name
    first = Item("a", "https://yse-yokohama.com/news/a/", date(2025, 6, 1), datetime(2025, 6, 1, 15, 30), "", (), None)
    second = Item("b", "https://yse-yokohama.com/news/b/", date(2025, 6, 1), datetime(2025, 6, 1, 15, 30), "", (), None)
    assert entry_updated(first) != entry_updated(second)
    for item in (first, second):
        assert entry_updated(item).strftime("%Y-%m-%d %H:%M %z") == "2025-06-01 15:30 +0900"
    assert entry_updated(first) == entry_updated(Item("c", first.url, date(2025, 1, 1), first.updated, "x", (), "p"))


def test_summaries_are_the_text_of_the_rendered_markdown(feeds):
    """The sample blog post's summary: link texts without Markdown or addresses, list items apart."""
    for name in ("feeds/rss.xml", "feeds/atom.xml", "feeds/programs/blog-sns.rss.xml"):
        entry = next(e for e in feedparser.parse(feeds[name]).entries if e.link.endswith("/blog/2025-06-10-manabi/"))
        assert "このサイトの講座・イベントから" in entry.summary, name
        assert "](" not in entry.summary and "../../events/" not in entry.summary, name
        assert "探し方のヒント ・区役所や" in entry.summary, name


def test_markup_staff_typed_stays_text_and_is_never_cut_inside_an_entity(tmp_path):
    root = make_root(tmp_path, "events")
    (root / "content/blog").mkdir()
    body = "前置き" * 57 + "\n\n<script>alert('こんにちは')</script> & 続き\n"
    (root / "content/blog/2025-05-01-x.md").write_text(f"---\ntitle: x\ndate: 2025-05-01\n---\n{body}", encoding="utf-8")
    files = render_feeds(load_site(root, date(2025, 6, 1)))
    atom = feedparser.parse(files["feeds/atom.xml"]).entries[0]
    assert atom.summary_detail.type == "text/plain" and atom.summary.endswith("…") and len(atom.summary) == 200
    assert "<script>alert('こんにちは')</s" in atom.summary and "&lt;" not in atom.summary
    rss = feedparser.parse(files["feeds/rss.xml"]).entries[0]  # read as HTML: escaped, so shown as text
    assert "&lt;script&gt;alert('こんにちは')&lt;/s" in rss.summary and "<script" not in rss.summary
    assert not re.search(r"&[a-z]*…", rss.summary)


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


@pytest.fixture(scope="module")
def site_in_june():
    """The fixture site on 2025-06-01, loaded once: the feed generator only reads it."""
    return load_site(SITE, date(2025, 6, 1))


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_arbitrary_titles_make_well_formed_feeds(site_in_june, text):
    from generator.outputs.feeds import Item, _generator

    site = site_in_june  # not loaded again for each of the 100 examples
    item = Item(text, "https://yse-yokohama.com/news/x/", date(2025, 5, 1), datetime(2025, 5, 1), text, ("お知らせ",), None)
    for mime, method in (("application/rss+xml", "rss_str"), ("application/atom+xml", "atom_str")):
        data = getattr(_generator(site, "t", "https://yse-yokohama.com/", "https://yse-yokohama.com/f", [item], mime), method)()
        tree = ET.fromstring(data)  # well-formed whatever the title holds
        titles = [e.text for e in tree.iter() if e.tag in ("title", "{http://www.w3.org/2005/Atom}title")]
        assert titles[-1] == (clean(text).strip() or "（題名なし）")


def test_a_feed_carries_only_the_newest_announcements(monkeypatch):
    import generator.outputs.feeds as feeds_module

    site = load_site(SITE, date(2025, 6, 1))
    everything = feedparser.parse(render_feeds(site)["feeds/rss.xml"]).entries
    monkeypatch.setattr(feeds_module, "FEED_ITEMS", 2)
    newest = feedparser.parse(render_feeds(site)["feeds/rss.xml"]).entries
    assert len(everything) > 2 and [e.link for e in newest] == [e.link for e in everything[:2]]
