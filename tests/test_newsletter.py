"""The monthly メールマガジン: golden text and HTML, a parseable .eml, Japanese mail rules on every line."""

from __future__ import annotations

import email
from datetime import date
from email import policy

import pytest

from conftest import make_root, with_newsletter_facts
from generator.cli import main
from generator.model.errors import ContentError
from generator.reading.load import load_site
from generator.outputs.mailtext import URL, width, wrap
from generator.outputs.newsletter import build_issue, check_characters, parse_month, render_newsletter
from generator.publish.build import as_files

TODAY = date(2025, 6, 1)


@pytest.fixture(scope="module")
def site_root(tmp_path_factory):
    """The fixture site with the facts a newsletter needs (a contact and an unsubscribe page)."""
    return with_newsletter_facts(make_root(tmp_path_factory.mktemp("newsletter"), "site"))


@pytest.fixture(scope="module")
def site(site_root):
    return load_site(site_root, TODAY)


@pytest.fixture(scope="module")
def files(site):
    return render_newsletter(site, 2025, 6)


def test_golden_text_and_html(files, golden):
    golden("newsletter/2025-06.txt", files["2025-06.txt"].decode("utf-8"))
    golden("newsletter/2025-06.html", files["2025-06.html"].decode("utf-8"))


def test_eml_is_a_multipart_alternative_utf8_draft(files):
    message = email.message_from_bytes(files["2025-06.eml"], policy=policy.default)
    assert message["Subject"] == "【横浜市社会教育コーナー】メールマガジン 2025年6月号"
    assert message["X-Unsent"] == "1" and message["To"] is None and message["Bcc"] is None
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.iter_parts()
    assert (text.get_content_type(), text.get_content_charset()) == ("text/plain", "utf-8")
    assert (html.get_content_type(), html.get_content_charset()) == ("text/html", "utf-8")
    assert text.get_content() == files["2025-06.txt"].decode("utf-8")
    assert '<html lang="ja">' in html.get_content()


def test_every_line_obeys_the_japanese_mail_rules(files):
    text = files["2025-06.txt"].decode("utf-8")
    text.encode("iso2022_jp")  # JIS X 0208 only: no ①, ㈱, half-width kana, emoji
    for line in text.splitlines():
        if URL.fullmatch(line):
            continue
        assert width(line) <= 70, line
        assert "http" not in line, f"a URL must stand on its own line: {line}"
        assert not (line and line[0] in "、。）」』"), f"禁則: {line}"
        assert not (line and line[-1] in "（「『"), f"禁則: {line}"


def test_every_public_event_of_the_month_is_there_and_internal_ones_never(site, files):
    text = files["2025-06.txt"].decode("utf-8")
    issue = build_issue(site, 2025, 6)
    for occ in site.public_occurrences():
        if date(2025, 6, 1) <= occ.date <= date(2025, 6, 30):
            assert site.event_url(occ.item_id) in text
    assert "ファシリテーション基礎" not in text and "ファシリテーション基礎" not in files["2025-06.html"].decode()
    assert "◆【中止】保護者のおしゃべり会（サンプル）" in text
    assert issue.corner and all(e.item.program for e in issue.corner)


def test_footer_has_sender_address_how_to_stop_and_back_numbers(files):
    text = files["2025-06.txt"].decode("utf-8")
    for part in ("発行: 横浜市社会教育コーナー", "住所: 横浜市磯子区磯子3-6-1-1", "配信停止は、次のページから手続きできます。\nhttps://",
                 "登録アドレスの変更は", "バックナンバー:\nhttps://yse-yokohama.com/newsletters/", "このメールは送信専用です"):
        assert part in text, part
    assert "電話:" not in text  # unknown facts render nothing


def test_other_institutions_and_deadlines_have_their_own_sections(site_root):
    # Drafted on the 20th of the month before, as the monthly workflow does: what is announced by then.
    text = render_newsletter(load_site(site_root, date(2025, 9, 20)), 2025, 10)["2025-10.txt"].decode("utf-8")
    assert "■今月が申込締切の講座\n\n・10月10日（金）まで: 親子で学ぶ交通安全教室（サンプル）" in text
    november = render_newsletter(load_site(site_root, date(2025, 10, 20)), 2025, 11)["2025-11.txt"].decode("utf-8")
    assert "■市内の機関・施設の催し" in november


def test_a_month_with_no_events_still_makes_a_valid_issue(tmp_path):
    site = load_site(with_newsletter_facts(make_root(tmp_path)), TODAY)
    text = render_newsletter(site, 2025, 7)["2025-07.txt"].decode("utf-8")
    assert "今月ご案内できる講座・イベントはありません。" in text


def test_characters_outside_jis_are_sent_and_noted_with_their_file_and_line(tmp_path):

    site = load_site(with_newsletter_facts(make_root(tmp_path, "events")), date(2025, 10, 1))
    files = render_newsletter(site, 2025, 11)  # the mail is UTF-8: nothing refused
    assert "🎉" in files["2025-11.txt"].decode("utf-8")
    notes = [p.format() for p in check_characters(build_issue(site, 2025, 11), site)]
    assert any(n.startswith("content/events/2025/fes.yaml:2:") and "「𠮷」" in n and "お知らせ:" in n for n in notes), notes


def test_wave_dash_and_minus_are_normalised():
    assert wrap("9時～12時 Ａ－１") == "9時〜12時 Ａ−１"


def test_bad_input(tmp_path, capsys, site_root):
    assert main(["newsletter", "2025-13", "--root", str(site_root)]) == 2  # a usage mistake, as everywhere
    assert "月は YYYY-MM で指定してください（値: 2025-13）" in capsys.readouterr().err
    root = with_newsletter_facts(make_root(tmp_path / "broken"))
    (root / "content/newsletters").mkdir(parents=True)
    (root / "content/newsletters/2025-06.md").write_text("---\nsent: 2025-06-31\n---\n本文\n", encoding="utf-8")
    assert main(["newsletter", "2025-06", "--root", str(root), "--today", "2025-06-01", "--out", str(tmp_path)]) == 1
    assert "content/newsletters/2025-06.md:2:7: 'sent': 存在しない日付です" in capsys.readouterr().err


def test_parse_month():
    assert parse_month("2025-06") == (2025, 6)
    with pytest.raises(ValueError):
        parse_month("2025-6")


def test_the_command_writes_three_files(tmp_path, site_root):
    assert main(["newsletter", "2025-06", "--root", str(site_root), "--today", "2025-06-01", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025-06.eml", "2025-06.html", "2025-06.txt"]


def test_sent_issues_appear_as_back_numbers(site):
    from generator.outputs.newsletter import render_archive_pages

    pages = as_files(render_archive_pages(site))
    assert '<a href="2025-06/">2025年6月号</a>' in pages["newsletters/index.md"]
    assert "newsletters/2025-06.md" in pages and "登録の受付方法は準備中です。" in pages["newsletters/index.md"]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

japanese = st.text(alphabet=st.sampled_from(list("あいうえお漢字講座、。（）「」・ー1234567890abc 〜")), max_size=300)


@settings(max_examples=300, deadline=None)
@given(japanese)
def test_wrapping_keeps_every_character_and_the_width(text):
    wrapped = wrap(text)
    for line in wrapped.splitlines():
        assert width(line) <= 70
    assert wrapped.replace("\n", "").replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_the_eml_has_date_from_and_message_id_from_the_data(files):
    """RFC 5322 §3.6: Date and From are required; all three come from the issue and the plan, never the clock."""
    message = email.message_from_bytes(files["2025-06.eml"], policy=policy.default)
    assert message["Date"] == "Sun, 01 Jun 2025 00:00:00 +0900"  # the issue date (sent: 2025-06-01) in Japan
    assert message["From"].addresses[0].display_name == "横浜市社会教育コーナー"
    assert message["From"].addresses[0].addr_spec == "info@example.jp"
    assert message["Message-ID"] == "<newsletter-2025-06@yse-yokohama.com>"


def test_no_eml_without_the_senders_address(tmp_path):
    root = with_newsletter_facts(make_root(tmp_path, "events"), email="")
    with pytest.raises(ContentError) as error:
        render_newsletter(load_site(root, TODAY), 2025, 6)
    assert "差出人のメールアドレスが必要です" in str(error.value)


def test_links_in_the_introduction_reach_the_site_from_the_mail(tmp_path):
    root = with_newsletter_facts(make_root(tmp_path, "events"))
    (root / "content/newsletters").mkdir(parents=True)
    (root / "content/newsletters/2025-06.md").write_text(
        "---\n---\n今月は[講座・イベント](../../events/)の**新しい**一覧をご覧ください。\n\n## お知らせ\n\n- 休館日\n", encoding="utf-8")
    files = render_newsletter(load_site(root, TODAY), 2025, 6)
    text = files["2025-06.txt"].decode("utf-8")
    assert "今月は講座・イベント\nhttps://yse-yokohama.com/events/\nの新しい一覧をご覧ください。\nお知らせ\n・休館日" in text
    assert "](" not in text and "**" not in text
    assert '<a href="https://yse-yokohama.com/events/">講座・イベント</a>' in files["2025-06.html"].decode("utf-8")
