"""RSS 2.0 and Atom feeds of announcements: published events, notices and blog posts.

feedgen is wrapped here and nowhere else. Dates are the announcement's (``published`` for
events, ``date`` for posts), never the event date and never the build clock; ids are the
page URLs; items come newest first with the URL as tiebreaker, so two builds are identical.

Summaries are plain text taken from the rendered Markdown (``plaintext``), cut before they are
escaped. Atom's summary is text; RSS readers read a description as HTML, so there the text is
escaped once more and ``<script>`` written by staff still shows as ``<script>``.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from feedgen.feed import FeedGenerator

from generator.model.event import cancelled_mark
from generator.reading.markdown import render_markdown
from generator.reading.site import Record, Site
from generator.render.plaintext import summary
from generator.render.posts import summary_of
from generator.render.templating import format_fee
from generator.rules import dates

# XML 1.0 forbids (or, for DEL and C1, discourages) these; pasted into a title they would make
# the feed unreadable or turn into stray symbols in readers. They carry no meaning in Japanese text.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    published: date
    updated: datetime  # Japan time, naive: a date at midnight, or the date and time staff wrote
    summary: str
    categories: tuple[str, ...]
    program: str | None


def clean(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)


def _stamp(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=dates.JST)


def entry_updated(item: Item) -> datetime:
    """When the entry last changed, distinct from every other entry's: the W3C validator warns about
    two entries with the same ``atom:updated``, and posts and events share dates. The entry's own URL
    picks an instant within the minute it was updated (always the same for the same URL, never the
    clock), so the date and the minute stay as staff wrote them."""
    digest = int.from_bytes(hashlib.sha256(item.url.encode("utf-8")).digest()[:8], "big")
    return item.updated.replace(tzinfo=dates.JST) + timedelta(microseconds=digest % 60_000_000)


def _event_item(site: Site, record: Record) -> Item:
    item = record.item
    upcoming = [o for o in record.occurrences if o.status != "cancelled"] or list(record.occurrences)
    first = upcoming[0]
    when = dates.format_span(first.date, first.end_date, first.start, first.end)
    if record.is_series:
        when = f"{when}から全{len(record.occurrences)}回"
    prefix = cancelled_mark(item.status)
    program = site.program(item.program) if item.program else None
    details = [f"日時: {when}", f"会場: {item.venue.name}"]
    details += [f"対象: {item.audience}"] if item.audience else []
    details += [f"参加費: {format_fee(item.fee)}", f"申込: {'必要' if item.application.required else '不要'}"]
    description = summary(render_markdown(item.description), SUMMARY_LENGTH) if item.description.strip() else ""
    details += [description] if description else []
    categories = (program.name,) if program else ("他の機関・施設の催し",)
    published = item.published
    assert published is not None, "render_feeds announces only events with published"
    return Item(
        f"{prefix}{item.title}（{when}）",
        site.event_url(record.id),
        published,
        item.updated or datetime.combine(published, time(0)),
        "\n".join(details),
        categories,
        item.program,
    )


SUMMARY_LENGTH = 200  # characters of a post's or an event description's text in a feed


def collect_items(site: Site) -> list[Item]:
    """Every announcement, newest first (ties by URL). Events without ``published`` are not announced."""
    items = [_event_item(site, r) for r in site.public_records() if r.item.published]
    for post in site.posts:
        label = "お知らせ" if post.kind == "news" else "ブログ"
        items.append(
            Item(
                post.meta.title,
                f"{site.site_url}{post.kind}/{post.slug}/",
                post.meta.date,
                datetime.combine(post.meta.updated or post.meta.date, time(0)),
                summary_of(post, SUMMARY_LENGTH),
                (label, *post.meta.categories),
                post.meta.program,
            )
        )
    return sorted(items, key=lambda i: (i.published, i.url), reverse=True)


def _generator(site: Site, title: str, link: str, feed_url: str, items: list[Item], mime: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(clean(title))
    feed.link(href=feed_url, rel="self", type=mime)
    feed.link(href=link, rel="alternate")  # feedgen takes the last link as the RSS channel link
    feed.description(clean(f"{site.plan.facility.name}の新しい講座・イベントの告知、お知らせ、ブログ"))
    feed.language("ja")
    feed.author({"name": site.plan.facility.name})
    feed.generator("横浜市社会教育コーナー サイト生成")
    newest = max((entry_updated(i) for i in items), default=_stamp(dates.fiscal_year_range(site.plan.fiscal_year)[0]))
    feed.lastBuildDate(newest)
    feed.updated(newest)
    for item in items:
        entry = feed.add_entry(order="append")
        entry.id(item.url)
        entry.guid(item.url, permalink=True)
        entry.title(clean(item.title).strip() or "（題名なし）")
        entry.link(href=item.url)
        text = clean(item.summary) or clean(item.title)
        if mime == "application/atom+xml":
            entry.summary(text)  # type text: readers show it as it is
        else:
            entry.description(html.escape(text, quote=False))  # read as HTML: escaped, so markup typed by staff stays text
        entry.published(_stamp(item.published))
        entry.updated(entry_updated(item))
        for category in item.categories:
            entry.category(term=clean(category))
    return feed


# A feed carries the newest announcements only (readers keep what they have already seen); with ten
# years of events it would otherwise be megabytes that every subscriber downloads on every refresh.
FEED_ITEMS = 50


def _pair(site: Site, path: str, title: str, link: str, items: list[Item]) -> dict[str, bytes]:
    items = items[:FEED_ITEMS]
    rss_url, atom_url = f"{site.site_url}{path}.rss.xml", f"{site.site_url}{path}.atom.xml"
    if path == "feeds/all":
        rss_url, atom_url = f"{site.site_url}feeds/rss.xml", f"{site.site_url}feeds/atom.xml"
    rss = _generator(site, title, link, rss_url, items, "application/rss+xml").rss_str(pretty=True)
    atom = _generator(site, title, link, atom_url, items, "application/atom+xml").atom_str(pretty=True)
    return {rss_url.removeprefix(site.site_url): rss, atom_url.removeprefix(site.site_url): atom}


def render_feeds(site: Site) -> dict[str, bytes]:
    """The site-wide RSS and Atom feeds, and one pair per program (empty ones too: links stay valid)."""
    items = collect_items(site)
    facility = site.plan.facility.name
    files = _pair(site, "feeds/all", f"{facility} 更新情報", site.site_url, items)
    for program in site.all_programs():
        mine = [i for i in items if i.program == program.id]
        files.update(
            _pair(
                site,
                f"feeds/programs/{program.id}",
                f"{facility}「{program.name}」更新情報",
                f"{site.site_url}programs/{program.id}/",
                mine,
            )
        )
    return files
