"""Contact that works (issue 14): the facility's contact facts, the ways to apply for an event, the
rooms (施設利用案内) and the venue checks.

While a fact is unknown (the fixture site, a copy of the live plan, has no phone, e-mail or postal
code) nothing tells citizens to use it: the application line points to the 窓口 with the address, and
``check --strict`` fails at the event's ``method`` entry. Known facts (test data: 045-000-0000 is no
number, example.jp is reserved) become tel: and mailto: links on the event page, the facility and
contact pages and the footer.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import SITE, make_root
from generator.cli import main
from generator.rules.contact import area_text, slots_text, ways_text
from generator.render.events import render_event_page
from generator.reading.load_plans import load_plan_file
from generator.reading.load import load_site
from generator.render.pages import render_contact, render_facility, render_footer
from generator.render.templating import document

TODAY = date(2025, 6, 1)
PHONE, EMAIL, POSTAL = "045-000-0000", "info@example.jp", "235-0000"


def with_facts(root: Path, *, phone: str = PHONE, email: str = EMAIL, postal: str = POSTAL) -> Path:
    plan = root / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    for key, value in (("phone", phone), ("email", email), ("postal_code", postal)):
        text = re.sub(rf"^  {key}: .*$", f'  {key}: "{value}"', text, count=1, flags=re.M)
    plan.write_text(text, encoding="utf-8")
    return root


def application_line(site, record_id: str) -> str:
    page = document(render_event_page(site, next(r for r in site.events if r.id == record_id)))
    return re.search(r"<dt>申込</dt><dd>(.*?)</dd>", page).group(1)


def run_check(capsys, root: Path, *extra: str) -> tuple[int, list[str]]:
    code = main(["check", "--root", str(root), "--today", TODAY.isoformat(), *extra])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).splitlines()


@pytest.fixture(scope="module")
def site():
    return load_site(SITE, TODAY)


@pytest.fixture
def known(tmp_path):
    return load_site(with_facts(make_root(tmp_path, "site")), TODAY)


# --- the application line ----------------------------------------------------------------------

class TestApplicationLine:
    def test_unknown_phone_is_never_named_the_counter_and_address_instead(self, site):
        line = application_line(site, "kotsu-anzen-2025")  # method: [電話, 窓口]
        assert line == ('必要<br>申込方法: <a href="../../contact/">窓口</a>（<span class="nowrap">横浜市磯子区磯子3-6-1-1</span>）'
                        '<br>受付期間: <time datetime="2025-09-16">2025年9月16日（火）</time>から'
                        '<time datetime="2025-10-10">2025年10月10日（金）</time>まで')
        assert "電話" not in line and "tel:" not in line

    def test_no_usable_way_points_to_the_counter(self, site):
        # method: [申込フォーム] without a url
        assert application_line(site, "shakai-kyouikushi-nw-09").startswith(
            '必要<br>申込方法: <a href="../../contact/">窓口</a>（<span class="nowrap">横浜市磯子区磯子3-6-1-1</span>）でおたずねください')

    def test_known_facts_are_links(self, known):
        assert application_line(known, "kotsu-anzen-2025").startswith(
            '必要<br>申込方法: 電話（<a href="tel:0450000000" class="nowrap">045-000-0000</a>）、'
            '<a href="../../contact/">窓口</a>（<span class="nowrap">横浜市磯子区磯子3-6-1-1</span>）')

    def test_every_way_in_plain_text(self, known):
        record = next(r for r in known.events if r.id == "kotsu-anzen-2025")
        item = record.item.model_copy(update={"application": record.item.application.model_copy(
            update={"method": ["メール", "はがき", "申込フォーム", "窓口"], "url": "https://example.jp/form"})})
        assert ways_text(item, known.plan.facility) == (
            "メール info@example.jp、はがき、申込フォーム、窓口")
        assert ways_text(item, known.plan.facility, numbers=False) == "メール、はがき、申込フォーム、窓口"
        page = document(render_event_page(known, record.__class__(record.id, item, record.path, record.occurrences, record.method_at)))
        assert '<a href="mailto:info@example.jp">info@example.jp</a>' in page
        assert "はがき（〒235-0000 横浜市磯子区磯子3-6-1-1 横浜市社会教育コーナーあて）" in page
        assert '<a href="https://example.jp/form">申込フォーム</a>' in page and "申込ページ" not in page


# --- check ------------------------------------------------------------------------------------

class TestCheck:
    def test_strict_fails_at_the_method_entry_naming_the_fact(self, tmp_path, capsys):
        root = make_root(tmp_path, "site")
        code, lines = run_check(capsys, root)
        assert code == 0  # plain check warns
        code, lines = run_check(capsys, root, "--strict")
        assert code == 1
        warned = [line for line in lines if "警告: 申込方法" in line]
        assert "content/events/2025/kotsu-anzen-2025.yaml:13:12: 警告: 申込方法「電話」には電話番号が要りますが、plan.yaml の facility.phone が未記入です。" \
               "plan.yaml の facility.phone に書き入れるか、分かるまでは method から「電話」を外してください" \
               "（サイトには「電話」と出さず、窓口と所在地を案内しています）" in warned
        assert any(line.startswith("content/events/2025/gakushu-shien.yaml:12:16: 警告: 申込方法「電話」") for line in warned)  # [窓口, 電話]
        assert any(line.startswith("content/events/2025/shakai-kyouikushi-nw-09.yaml:14:12: 警告: 申込方法「申込フォーム」には申込フォームの URL") for line in warned)
        # cancelled (peer-counseling-06, [電話]) and internal events tell citizens nothing: no warning
        assert not any("peer-counseling-06" in line for line in warned)

    def test_known_facts_pass(self, tmp_path, capsys):
        root = with_facts(make_root(tmp_path, "site"))
        code, lines = run_check(capsys, root, "--strict")
        assert [line for line in lines if "警告: 申込方法" in line] == [
            line for line in lines if "shakai-kyouikushi-nw-09.yaml:14:12: 警告: 申込方法「申込フォーム」" in line]

    def test_events_already_over_do_not_warn(self, tmp_path, capsys):
        root = make_root(tmp_path, "site")
        code = main(["check", "--strict", "--root", str(root), "--today", "2026-04-01"])
        assert "警告: 申込方法" not in capsys.readouterr().err
        assert code == 0

    def test_another_organizers_phone_is_not_ours(self, tmp_path, capsys):
        root = make_root(tmp_path, "site")
        (root / "content/events/2025/other.yaml").write_text(
            "title: 図書館の講座\norganizer: {name: 磯子図書館}\ndate: 2025-07-05\nvenue: {name: 磯子図書館, address: 横浜市磯子区磯子1-1}\n"
            "application: {required: true, method: [電話]}\n", encoding="utf-8")
        code, lines = run_check(capsys, root, "--strict")
        assert not any("other.yaml" in line for line in lines)
        assert "申込方法: 電話（磯子図書館へ）" in application_line(load_site(root, TODAY), "other")

    def test_a_sentence_as_method_says_the_list_to_write(self, tmp_path, capsys):
        root = make_root(tmp_path, "site")
        event = root / "content/events/2025/kotsu-anzen-2025.yaml"
        event.write_text(event.read_text(encoding="utf-8").replace("method: [電話, 窓口]", "method: 窓口または電話でご相談ください"), encoding="utf-8")
        code, lines = run_check(capsys, root)
        assert code == 1
        assert ("content/events/2025/kotsu-anzen-2025.yaml:13:11: 'method': 申込方法は一覧で書いてください: method: [窓口, 電話]"
                "（値: '窓口または電話でご相談ください'）。使えるのは 電話 / メール / 窓口 / 申込フォーム / はがき。"
                "ほかの説明（先着順、ご相談ください など）は note: に書きます") in lines

    def test_a_way_twice_is_an_error(self, tmp_path, capsys):
        root = make_root(tmp_path, "site")
        event = root / "content/events/2025/kotsu-anzen-2025.yaml"
        event.write_text(event.read_text(encoding="utf-8").replace("method: [電話, 窓口]", "method: [窓口, 窓口]"), encoding="utf-8")
        code, lines = run_check(capsys, root)
        assert code == 1 and any(line.startswith("content/events/2025/kotsu-anzen-2025.yaml:13:11: ") and "申込方法 'method' に同じもの" in line
                                 for line in lines), lines


# --- rooms and venues -------------------------------------------------------------------------

class TestRooms:
    def test_a_bare_kenshushitsu_names_the_three_rooms(self, tmp_path, capsys):
        root = make_root(tmp_path, "site")
        event = root / "content/events/2025/ohanashi-no-kuni-07.yaml"
        event.write_text(event.read_text(encoding="utf-8").replace("venue: 研修室A", "venue: 研修室"), encoding="utf-8")
        code, lines = run_check(capsys, root)
        assert code == 1
        assert ("content/events/2025/ohanashi-no-kuni-07.yaml:7:8: 会場 '研修室' はコーナーの部屋にありません。"
                "2025年度の計画では 研修室A・研修室B・研修室C に分かれています。使う部屋を一つ書いてください（例: venue: 研修室A）。"
                "外部の会場なら name と address を書いてください") in lines

    def test_a_typo_gets_a_suggestion(self, tmp_path, capsys):
        root = make_root(tmp_path, "site")
        event = root / "content/events/2025/oyako-hiroba.yaml"
        event.write_text(event.read_text(encoding="utf-8").replace("venue: アートルーム", "venue: アートルム"), encoding="utf-8")
        code, lines = run_check(capsys, root)
        assert code == 1
        assert any(line.startswith("content/events/2025/oyako-hiroba.yaml:7:8: 会場 'アートルム' はコーナーの部屋にありません。もしかして 'アートルーム'？")
                   for line in lines), lines

    def test_the_earlier_name_only_form_still_loads(self, tmp_path):
        # an old year's plan (plans/2024.yaml): rooms: [研修室, アートルーム]
        (tmp_path / "plan.yaml").write_text((SITE.parent / "mini" / "plan.yaml").read_text(encoding="utf-8"), encoding="utf-8")
        plan, problems = load_plan_file(tmp_path / "plan.yaml", tmp_path)
        assert plan is not None and plan.facility.room_names == ["研修室", "アートルーム"]
        assert plan.facility.room("研修室").unknown == ["広さ", "定員", "利用区分", "料金"]
        assert [p.format() for p in problems if "部屋の次の情報" in p.message] == [
            "plan.yaml:9:3: お知らせ: 部屋の次の情報が未記入です: 研修室（広さ・定員・利用区分・料金）、アートルーム（広さ・定員・利用区分・料金）。"
            "分かったら記入してください（それまでは施設案内に「—」と出します）"]

    @pytest.mark.parametrize("old, new, expected", [
        ('        - {start: "09:00", end: "13:00"}\n        - {start: "13:00", end: "17:00"}\n        - {start: "17:00", end: "21:00"}\n      slots_note',
         '        - {start: "13:00", end: "09:00"}\n      slots_note',
         "plan.yaml:26:33: 利用区分の終了時刻 'end' は開始時刻 'start' より後にしてください"),
        ("    - name: 研修室B\n", "    - name: 研修室A\n", "plan.yaml:33:7: 部屋 '研修室A' が2回書かれています（22行目にもあります）"),
        ("      area: 66.66\n", "      area: 六十六\n", "plan.yaml:23:13: 'area'"),
        ("        - {label: 4時間, yen: 1200}\n", "        - {label: 4時間, yen: 1200円}\n", "plan.yaml:31:29: 'yen' は整数で"),
        ('    availability_url: ""', '    availability_url: "yse-yokohama.com/rooms"', "plan.yaml:89:23: 'availability_url': URL は https:// から"),
    ])
    def test_room_mistakes_at_their_line(self, tmp_path, old, new, expected):
        text = (SITE / "plan.yaml").read_text(encoding="utf-8")
        assert old in text
        (tmp_path / "plan.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
        plan, problems = load_plan_file(tmp_path / "plan.yaml", tmp_path)
        assert any(p.format().startswith(expected) for p in problems), [p.format() for p in problems]

    def test_formats(self, site):
        rooms = {r.name: r for r in site.plan.facility.rooms}
        assert [area_text(r.area) for r in rooms.values()] == ["66.66m²", "66.66m²", "54.57m²", "88.88m²", "134.70m²", "800m²"]
        assert slots_text(rooms["研修室C"]) == ["9時〜13時", "13時〜17時", "17時〜21時"]
        assert slots_text(rooms["トレーニングルーム"]) == ["9時〜21時（2時間ごと）"]


# --- pages: facility, contact, footer ---------------------------------------------------------

class TestPages:
    def test_facility_page_has_an_accessible_rooms_table_and_a_map_link(self, site):
        page = document(render_facility(site))
        assert '<table class="rooms">\n<caption>' in page and page.count('<th scope="row">') == 2 + 6
        assert page.count('<th scope="col">') == 2 + 5
        assert '<a href="https://www.google.com/maps/search/?api=1&amp;query=%E6%A8%AA' in page
        assert "<iframe" not in page and "tel:" not in page and "mailto:" not in page

    def test_known_facts_on_the_facility_and_contact_pages(self, known):
        for page in (document(render_facility(known)), document(render_contact(known))):
            assert '<a href="tel:0450000000" class="nowrap">045-000-0000</a>' in page
            assert '<a href="mailto:info@example.jp">info@example.jp</a>' in page
            assert "〒235-0000 横浜市磯子区磯子3-6-1-1" in page

    def test_contact_page_without_phone_or_mail_sends_to_the_counter(self, site):
        page = document(render_contact(site))
        assert "<p>横浜市社会教育コーナーへのお問い合わせは、窓口でどうぞ。</p>" in page
        assert "tel:" not in page and "mailto:" not in page

    def test_footer_shows_only_known_facts(self, site, known):
        footer = render_footer(site)
        assert "横浜市磯子区磯子3-6-1-1" in footer and "tel:" not in footer and "mailto:" not in footer
        assert "開館 月〜土 9時〜21時、日・祝 9時〜17時" in footer
        footer = render_footer(known)
        assert '電話 <a href="tel:0450000000" class="nowrap">045-000-0000</a>' in footer
        assert 'メール <a href="mailto:info@example.jp">info@example.jp</a>' in footer
        assert "〒235-0000 横浜市磯子区磯子3-6-1-1" in footer

    def test_footer_is_jinja_safe(self, tmp_path):
        root = make_root(tmp_path, "site")
        plan = root / "plan.yaml"
        plan.write_text(plan.read_text(encoding="utf-8").replace("address: 横浜市磯子区磯子3-6-1-1", 'address: "横浜市{{ 7 * 7 }}{% raw %}"'), encoding="utf-8")
        footer = render_footer(load_site(root, TODAY))
        assert "{" not in footer and "横浜市&#123;&#123; 7 * 7 &#125;&#125;&#123;% raw %&#125;" in footer


def test_new_event_suggests_a_real_room(tmp_path, capsys):
    root = make_root(tmp_path, "site")
    assert main(["new-event", "oyako-hiroba", "2025-09-18", "--root", str(root), "--today", "2025-06-01"]) == 0
    text = next((root / "content/events/2025").glob("oyako-hiroba-20250918.yaml")).read_text(encoding="utf-8")
    assert "venue: 研修室A   # 会場: コーナーの部屋名（研修室A、研修室B、研修室C、アートルーム、トレーニングルーム、スポーツ広場）" in text
