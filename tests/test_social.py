"""SNS drafts: X's weighted length, drafts that fit, and a golden month document."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import SITE, make_root
from generator.cli import main
from generator.reading.load import load_site
from generator.outputs.social import X_LIMIT, instagram_caption, occurrences_for, render_social, weighted_length, x_post


@pytest.mark.parametrize("text, length", [
    ("a" * 280, 280),
    ("あ" * 140, 280),
    ("漢字かなカナ", 12),
    ("ｱ", 2),                                   # half-width kana is outside U+0000–U+10FF
    ("“引用”", 6),                             # U+201C/U+201D weigh 1
    ("https://example.com/" + "a" * 200, 23),  # a URL weighs 23 whatever its length
    ("詳しくは https://yse-yokohama.com/events/x/ へ", 4 * 2 + 1 + 23 + 1 + 2),
    ("🎉", 2),
    ("👨‍👩‍👧", 2),                                 # one ZWJ sequence
    ("👍🏽", 2),                                  # skin-tone modifier joins
    ("❤️", 2),                                  # variation selector joins
])
def test_weighted_length(text, length):
    assert weighted_length(text) == length


def test_281_ascii_is_over_the_limit():
    assert weighted_length("a" * 281) > X_LIMIT


@pytest.fixture(scope="module")
def site():
    return load_site(SITE, date(2025, 6, 1))


def test_every_draft_fits_and_carries_date_place_and_url(site):
    for occ in site.upcoming():
        draft = x_post(site, occ)
        assert weighted_length(draft) <= X_LIMIT
        assert site.event_url(occ.item_id) in draft
        assert f"{occ.date.month}月{occ.date.day}日" in draft
        if occ.status != "cancelled":
            assert occ.item.venue.name in draft


def test_a_very_long_title_gives_way_first(tmp_path):
    root = make_root(tmp_path, "events")
    (root / "content/events/2025/long.yaml").write_text(
        "title: " + "講" * 300 + "\nprogram: oyako\ndate: 2025-06-14\nstart: \"10:00\"\nvenue: 研修室\n"
        "application: {required: true, method: [窓口], deadline: 2025-06-10}\n", encoding="utf-8")
    site = load_site(root, date(2025, 6, 1))
    occ = next(o for o in site.upcoming() if o.item_id == "long")
    draft = x_post(site, occ)
    assert weighted_length(draft) <= X_LIMIT
    assert "…" in draft and "6月14日（土）10時から" in draft and "会場:" in draft
    assert "要申込（窓口）・6月10日（火）まで" in draft and "https://yse-yokohama.com/events/long/" in draft


def test_samples_and_cancellations_say_so(site):
    cancelled = next(o for o in site.upcoming() if o.status == "cancelled")
    draft = x_post(site, cancelled)
    assert draft.startswith("【サンプル】【中止】") and "中止します" in draft
    assert "中止します" in instagram_caption(site, cancelled)


def test_internal_events_never_get_drafts(site):
    assert all(not o.item.internal for o in occurrences_for(site, (2025, 5)))
    assert "ファシリテーション基礎" not in render_social(site, (2025, 5))


def test_golden_month_document(site, golden):
    golden("social/2025-06.md", render_social(site, (2025, 6)))
    assert render_social(site, (2025, 6)) == render_social(load_site(SITE, date(2025, 6, 1)), (2025, 6))


def test_the_command_prints_or_writes_and_rejects_a_bad_month(tmp_path, capsys):
    assert main(["social", "--month", "2025-06", "--root", str(SITE), "--today", "2025-06-01"]) == 0
    assert capsys.readouterr().out.startswith("# SNS 投稿の下書き（2025年6月）")
    out = tmp_path / "social.md"
    assert main(["social", "--root", str(SITE), "--today", "2025-06-01", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# SNS 投稿の下書き（2025年6月1日（日）から31日間）")
    assert main(["social", "--month", "2025/06", "--root", str(SITE)]) == 2
    assert "月は YYYY-MM で指定してください" in capsys.readouterr().err
