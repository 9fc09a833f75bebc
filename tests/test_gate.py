"""``check`` is the single gate: what the other commands refuse for this month and next, check
refuses too; scaffolds left untouched fail ``--strict``; the newsletter obeys the 特定電子メール法."""

from __future__ import annotations

import email
from datetime import date
from email import policy
from pathlib import Path

import pytest

from conftest import make_root, with_newsletter_facts
from generator.cli import main
from generator.model.errors import ContentError
from generator.reading.load import load_site
from generator.outputs.newsletter import render_newsletter

TODAY = "2025-06-01"


def check(capsys, root: Path, *extra: str) -> tuple[int, str]:
    code = main(["check", "--root", str(root), "--today", TODAY, *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_root(tmp_path, "events")


class TestUntouchedScaffolds:
    def test_an_untouched_new_event_fails_strict_check(self, root, capsys):
        assert main(["new-event", "oyako", "2025-06-21", "--root", str(root), "--today", TODAY]) == 0
        capsys.readouterr()
        code, output = check(capsys, root)
        assert code == 0
        code, output = check(capsys, root, "--strict")
        assert code == 1
        for said in ("説明がひな形の「ここに説明を書きます。」のままです", "対象 'audience' が空欄", "問い合わせ先 'contact' が空欄"):
            assert said in output, output

    def test_an_untouched_newsletter_intro_fails_strict_check(self, root, capsys):
        assert main(["new-newsletter", "2025-07", "--root", str(root), "--today", TODAY]) == 0
        capsys.readouterr()
        code, output = check(capsys, with_newsletter_facts(root), "--strict")
        assert code == 1 and "content/newsletters/2025-07.md:5:1: 警告: 前書きがひな形" in output, output


class TestTheNewsletterLaw:
    def test_no_draft_without_a_contact_or_an_unsubscribe_page(self, root, capsys):
        with pytest.raises(ContentError) as error:
            render_newsletter(load_site(root, date(2025, 6, 1)), 2025, 6)
        said = " ".join(p.message for p in error.value.problems)
        assert "差出人のメールアドレスが必要です" in said and "配信停止の手続きの URL が必要です" in said
        assert main(["newsletter", "2025-06", "--root", str(root), "--today", TODAY, "--out", str(root / "out")]) == 1
        assert not (root / "out").exists()

    def test_check_strict_fails_while_an_issue_is_about_to_go_out(self, root, capsys):
        assert check(capsys, root, "--strict")[0] == 0  # no issue in preparation: only notices
        (root / "content" / "newsletters").mkdir(parents=True, exist_ok=True)
        (root / "content" / "newsletters" / "2025-07.md").write_text("---\n---\n7月号です。\n", encoding="utf-8")
        code, output = check(capsys, root, "--strict")
        assert code == 1 and "特定電子メール法" in output
        assert check(capsys, with_newsletter_facts(root), "--strict")[0] == 0

    def test_the_eml_carries_list_unsubscribe(self, root):
        with_newsletter_facts(root)
        message = email.message_from_bytes(render_newsletter(load_site(root, date(2025, 6, 1)), 2025, 6)["2025-06.eml"],
                                           policy=policy.default)
        assert message["List-Unsubscribe"] == "<https://example.jp/mail/stop>"
        assert message["List-Unsubscribe-Post"] is None  # one-click only when the service says it takes the POST

    def test_one_click_and_mailto_when_configured(self, root):
        with_newsletter_facts(root)
        (root / "content" / "newsletter.yaml").write_text(
            'unsubscribe_url: "https://example.jp/mail/stop"\nunsubscribe_email: "stop@example.jp"\none_click_unsubscribe: true\n', encoding="utf-8")
        message = email.message_from_bytes(render_newsletter(load_site(root, date(2025, 6, 1)), 2025, 6)["2025-06.eml"],
                                           policy=policy.default)
        assert " ".join(str(message["List-Unsubscribe"]).split()) == "<mailto:stop@example.jp?subject=unsubscribe>, <https://example.jp/mail/stop>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


class TestCharacters:
    def test_characters_outside_jis_are_sent_and_noted_with_a_replacement(self, root, capsys):
        with_newsletter_facts(root)
        event = root / "content" / "events" / "2025" / "oyako-05.yaml"
        event.write_text(event.read_text(encoding="utf-8").replace("date: 2025-05-10", "date: 2025-06-14")
                         .replace("title: 親子の広場 5月", "title: ①親子の広場 ㈱ｶ 🎉")
                         .replace("method: [電話]", "method: [窓口]"), encoding="utf-8")  # no phone number yet: contact.py
        code, output = check(capsys, root, "--strict")
        assert code == 0, output
        assert "content/events/2025/oyako-05.yaml:1:8: お知らせ: 「①」（U+2460）はそのまま送ります（メールは UTF-8）" in output
        assert "「(1)」と書けば確実です" in output and "「(株)」" in output and "「カ」" in output
        files = render_newsletter(load_site(root, date(2025, 6, 1)), 2025, 6)
        assert "①親子の広場" in files["2025-06.txt"].decode("utf-8")

    def test_a_month_without_a_plan_still_makes_an_issue(self, root):
        with_newsletter_facts(root)
        files = render_newsletter(load_site(root, date(2026, 3, 20)), 2026, 4)
        assert "2026年4月号" in files["2026-04.txt"].decode("utf-8")
