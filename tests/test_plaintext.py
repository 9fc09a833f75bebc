"""Plain text from the rendered Markdown (feeds, descriptions, calendars, JSON-LD, mail) and where it may be cut."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.jsonld import postal_address, price_of
from generator.render.plaintext import cut, lines_of, plain_text, summary, text_summary
from generator.reading.markdown import render_markdown

POST = """社会教育や生涯学習というと難しく聞こえますが、
図書館のおはなし会など、学びの場は身近にあります。

## 探し方のヒント

- 区役所の広報紙を見てみる
- このサイトの[講座・イベント](../../events/)から、対象で絞り込んでみる
"""


def test_links_lose_their_markdown_and_blocks_stay_apart():
    text = summary(render_markdown(POST), 500)
    assert text == ("社会教育や生涯学習というと難しく聞こえますが、図書館のおはなし会など、学びの場は身近にあります。"
                    " 探し方のヒント ・区役所の広報紙を見てみる ・このサイトの講座・イベントから、対象で絞り込んでみる")


def test_mail_text_keeps_lines_and_gives_each_link_its_address():
    text = plain_text(render_markdown(POST), base="https://yse-yokohama.com/newsletters/2025-06/")
    assert text.splitlines()[1:] == ["探し方のヒント", "・区役所の広報紙を見てみる",
                                     "・このサイトの講座・イベント https://yse-yokohama.com/events/ から、対象で絞り込んでみる"]


def test_raw_html_typed_by_staff_is_text_and_a_cut_never_falls_in_an_entity():
    html = render_markdown("<script>alert('こんにちは')</script> & <b>太字</b>")
    assert "<script>" not in html  # the page shows it as text
    assert plain_text(html) == "<script>alert('こんにちは')</script> & <b>太字</b>"
    assert summary(html, 30) == "<script>alert('こんにちは')</scrip…"


def test_whitespace_is_htmls_only():
    assert text_summary("全角\u3000空白と\u00a0改行しない空白  と\n改行", 100) == "全角\u3000空白と\u00a0改行しない空白 と改行"
    assert lines_of("<p>二行に\n分けた文</p><p>Two\nlines</p>") == ["二行に分けた文", "Two lines"]


def test_a_cut_keeps_a_character_with_its_marks():
    assert cut("あいう👍🏽え", 5) == "あいう…"      # not the thumb without its skin tone
    assert cut("あ👨‍👩‍👧い", 4) == "あ…"            # nor part of a joined family
    assert cut("あいか\u3099き", 4) == "あい…"     # nor か without its combining voiced mark
    assert cut("短い", 10) == "短い"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.integers(min_value=2, max_value=40))
def test_a_cut_is_a_prefix_and_never_longer_than_asked(text, limit):
    out = cut(text, limit)
    assert len(out) <= limit
    assert out == text or (out.endswith("…") and text.startswith(out[:-1]))


def test_japanese_addresses_are_split_as_written_and_nothing_is_made_up():
    assert postal_address("横浜市磯子区磯子3-6-1-1") == {
        "@type": "PostalAddress", "addressRegion": "神奈川県", "addressLocality": "横浜市磯子区",
        "streetAddress": "磯子3-6-1-1", "addressCountry": "JP"}
    assert postal_address("〒231-0023 神奈川県横浜市中区山下町1", "")["postalCode"] == "231-0023"
    assert postal_address("横浜市磯子区磯子3-6-1-1", "235-0016")["postalCode"] == "235-0016"
    assert postal_address("東京都千代田区丸の内1-1")["addressLocality"] == "千代田区"
    assert "addressRegion" not in postal_address("鎌倉市御成町18-10")  # no prefecture written, none known
    assert postal_address("オンライン") == {"@type": "PostalAddress", "streetAddress": "オンライン", "addressCountry": "JP"}


def test_prices_come_from_the_fee_only_when_it_names_one():
    assert price_of(0) == 0 and price_of(500) == 500
    assert price_of("資料代 300円（全4回分）") == 300
    assert price_of("無料") == 0
    assert price_of("材料費 1,000円") == 1000
    assert price_of("大人500円、子ども300円") is None and price_of("実費") is None
