"""iCalendar output, parsed back with a second parser (vobject) and checked line by line."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from conftest import make_root
from generator.outputs.ical import render_ical_files
from generator.reading.load import load_site

TODAY = date(2025, 6, 1)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return load_site(make_root(tmp_path_factory.mktemp("ical"), "events"), TODAY)


@pytest.fixture(scope="module")
def files(site):
    return render_ical_files(site)


def events_of(data: bytes) -> list:
    return list(vobject.readOne(data.decode("utf-8")).vevent_list)


def test_files_for_everything_public(files):
    assert sorted(files) == ["ics/all.ics", "ics/events/chiiki-fes-2025.ics", "ics/events/gakushu.ics",
                             "ics/events/oyako-05.ics", "ics/events/tosho.ics",
                             "ics/programs/fes.ics", "ics/programs/oyako.ics", "ics/programs/soudan.ics"]


def test_internal_events_never_appear(files):
    for data in files.values():
        assert "社外秘".encode() not in data and b"kenshu" not in data


@pytest.mark.parametrize("name", ["ics/all.ics", "ics/events/chiiki-fes-2025.ics"])
def test_lines_are_crlf_folded_at_75_octets_and_never_split_a_character(files, name):
    data = files[name]
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # raises if a fold split a character


def test_calendar_properties(files):
    cal = icalendar.Calendar.from_ical(files["ics/all.ics"])
    assert cal["version"] == "2.0" and cal["method"] == "PUBLISH"
    assert str(cal["x-wr-calname"]) == "テスト施設 講座・イベント" == str(cal["name"])
    text = files["ics/all.ics"].decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in text
    assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo" in text


def test_every_event_has_one_uid_dtstamp_and_dtstart(files):
    cal = icalendar.Calendar.from_ical(files["ics/all.ics"])
    uids = [str(e["uid"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    for event in cal.walk("VEVENT"):
        assert event.decoded("dtstamp").tzinfo is not None
        assert event.decoded("dtstamp").utcoffset() == timedelta(0)


def test_timed_event_round_trips_through_a_second_parser(files):
    (event,) = events_of(files["ics/events/chiiki-fes-2025.ics"])
    tokyo = ZoneInfo("Asia/Tokyo")
    assert event.uid.value == "chiiki-fes-2025@yse-yokohama.com"
    assert event.summary.value == '地域活動フェス & "交流" 𠮷🎉'
    assert event.dtstart.value == datetime(2025, 11, 8, 10, 0, tzinfo=tokyo)
    assert event.dtend.value == datetime(2025, 11, 8, 15, 0, tzinfo=tokyo)
    assert event.location.value == "磯子区民文化センター（横浜市磯子区森1-1-1）"
    assert event.url.value == "https://yse-yokohama.com/events/chiiki-fes-2025/"


def test_all_day_multi_day_has_an_exclusive_end_and_cancelled_status(files):
    (event,) = events_of(files["ics/events/tosho.ics"])
    assert event.dtstart.value == date(2025, 7, 20)
    assert event.dtend.value == date(2025, 7, 22)
    assert event.status.value == "CANCELLED"
    assert event.summary.value == "【中止】図書館のおはなし会"
    assert event.sequence.value == "1"
    assert "【中止】館内工事のため" in event.description.value


def test_series_occurrence_uids_come_from_the_original_date(files):
    events = {e.uid.value: e for e in events_of(files["ics/events/gakushu.ics"])}
    moved = events["gakushu-20250514@yse-yokohama.com"]
    assert moved.dtstart.value.date() == date(2025, 5, 15)
    cancelled = events["gakushu-20250604@yse-yokohama.com"]
    assert cancelled.status.value == "CANCELLED" and cancelled.summary.value == "【中止】学習支援"
    assert "gakushu-20250813@yse-yokohama.com" not in events  # skipped


def test_output_does_not_depend_on_today(tmp_path_factory, files):
    other = load_site(make_root(tmp_path_factory.mktemp("ical2"), "events"), date(2026, 2, 1))
    assert render_ical_files(other) == files


def test_an_updated_date_raises_sequence_and_last_modified(tmp_path):
    root = make_root(tmp_path, "events")
    path = root / "content/events/2025/fes.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "published: 2025-09-01\nupdated: 2025-10-01\n", encoding="utf-8")
    files = render_ical_files(load_site(root, date(2025, 10, 1)))
    (event,) = events_of(files["ics/events/chiiki-fes-2025.ics"])
    assert event.sequence.value == str(30 * 24 * 60 + 1)  # minutes from published to updated, plus one
    assert event.last_modified.value == datetime(2025, 9, 30, 15, 0, tzinfo=ZoneInfo("UTC"))
    assert event.dtstamp.value == datetime(2025, 9, 30, 15, 0, tzinfo=ZoneInfo("UTC"))


def test_the_site_and_program_calendars_hold_the_latest_occurrences_only(site, monkeypatch):
    import generator.outputs.ical as ical_module

    whole = events_of(render_ical_files(site)["ics/all.ics"])
    monkeypatch.setattr(ical_module, "CALENDAR_OCCURRENCES", 3)
    files = render_ical_files(site)
    latest = events_of(files["ics/all.ics"])
    assert len(whole) > 3 and len(latest) == 3
    assert sorted(e.dtstart.value.isoformat() for e in latest) == sorted(e.dtstart.value.isoformat() for e in whole)[-3:]
    assert all(len(events_of(data)) <= 3 for path, data in files.items() if path.startswith("ics/programs/"))
    series = [path for path in files if path.startswith("ics/events/") and len(events_of(files[path])) > 3]
    assert series, "an event's own calendar keeps all its sessions"


def test_every_event_names_the_facility_as_organizer_with_no_made_up_address(files, tmp_path):
    """METHOD:PUBLISH asks for one ORGANIZER per event (RFC 5546 §3.2.1); without an e-mail address in
    the plan it is the site's URL (a CAL-ADDRESS is any URI, RFC 5545 §3.3.3), never an invented mailto."""
    for name, data in files.items():
        for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
            assert str(event["organizer"]) == "https://yse-yokohama.com/", name
            assert event["organizer"].params["CN"] == "テスト施設"
    root = make_root(tmp_path, "events")
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("  address:", '  email: "info@example.jp"\n  address:', 1), encoding="utf-8")
    (event,) = events_of(render_ical_files(load_site(root, TODAY))["ics/events/tosho.ics"])
    assert event.organizer.value == "mailto:info@example.jp" and event.organizer.params["CN"] == ["テスト施設"]
    assert "主催: 磯子図書館" in event.description.value  # another institution's event says whose it is
