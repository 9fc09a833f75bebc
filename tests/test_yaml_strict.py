"""The strict YAML loader: YAML 1.1 traps are caught or handled, never silently wrong."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.reading.yaml_strict import load_yaml_text


def load(text: str):
    doc, problems = load_yaml_text("content/events/x.yaml", text)
    return (doc.data if doc else None), [p.format() for p in problems]


class TestYaml12Scalars:
    def test_a_time_stays_a_string_not_base60(self):
        assert load("start: 10:30\n") == ({"start": "10:30"}, [])

    def test_no_yes_on_off_stay_strings(self):
        data, problems = load("a: no\nb: yes\nc: on\nd: off\ne: NO\n")
        assert data == {"a": "no", "b": "yes", "c": "on", "d": "off", "e": "NO"}
        assert problems == []

    def test_true_and_false_are_booleans(self):
        assert load("a: true\nb: false\nc: True\n")[0] == {"a": True, "b": False, "c": True}

    def test_leading_zeros_stay_strings(self):
        assert load("room: 0755\ncode: 0012\n")[0] == {"room": "0755", "code": "0012"}

    def test_plain_integers_and_decimals_are_numbers(self):
        assert load("a: 12\nb: -3\nc: 0\nd: 1.5\n")[0] == {"a": 12, "b": -3, "c": 0, "d": 1.5}

    def test_dates_stay_strings_for_the_model_to_check(self):
        assert load("date: 2026-02-30\n")[0] == {"date": "2026-02-30"}

    def test_null_forms(self):
        assert load("a: ~\nb: null\nc:\n")[0] == {"a": None, "b": None, "c": None}


class TestMistakes:
    def test_duplicate_key_names_both_lines(self):
        data, problems = load("title: A\ndate: 2025-05-10\ntitle: B\n")
        assert data is None
        assert problems == ["content/events/x.yaml:3:1: 項目 'title' が重複しています（1行目にもあります）。どちらか一方にまとめてください"]

    def test_duplicate_key_in_a_nested_mapping(self):
        _, problems = load("facility:\n  name: A\n  name: B\n")
        assert problems and problems[0].startswith("content/events/x.yaml:3:3:") and "2行目" in problems[0]

    def test_full_width_space_indentation(self):
        _, problems = load("facility:\n\u3000name: A\n")
        assert problems[0] == "content/events/x.yaml:2:1: 行頭に全角スペースがあります。字下げには半角スペースを使ってください"

    def test_tab_indentation(self):
        _, problems = load("facility:\n\tname: A\n")
        assert problems == ["content/events/x.yaml:2:1: 行頭にタブがあります。字下げには半角スペースを使ってください"]

    def test_hash_in_a_title_would_be_cut(self):
        data, problems = load("title: 第3回 #科学カフェ\n")
        assert data == {"title": "第3回"}
        assert problems[0].startswith("content/events/x.yaml:1:12: 値 '第3回' の後の「#科学カフェ」はコメントとして読み捨てられます")
        assert '"第3回 #科学カフェ"' in problems[0]

    def test_ordinary_comments_are_fine(self):
        assert load("target: 10  # 年10回\nname: a # note\n") == ({"target": 10, "name": "a"}, [])

    def test_quoted_hash_is_kept(self):
        assert load('title: "第3回 #科学カフェ"\n') == ({"title": "第3回 #科学カフェ"}, [])

    def test_full_width_colon(self):
        _, problems = load("title：講座\n")
        assert problems == ["content/events/x.yaml:1:6: 全角のコロン「：」があります。項目名の後は半角の「: 」にしてください"]

    def test_full_width_space_after_colon(self):
        _, problems = load("title:\u3000講座\n")
        assert problems == ["content/events/x.yaml:1:7: コロンの後が全角スペースです。半角スペースにしてください"]

    def test_control_characters_and_unicode_line_separators_are_reported(self):
        assert load("a: ok\nb: x\x08y\n")[1] == ["content/events/x.yaml:2:5: 使えない制御文字（U+0008）が含まれています。削除してください"]
        assert load("title: 一行目\u2028二行目\n")[1] == ["content/events/x.yaml:1:11: 使えない制御文字（U+2028）が含まれています。削除してください"]

    def test_broken_syntax_reports_a_line(self):
        _, problems = load("a: [1, 2\nb: 3\n")
        assert problems[0].startswith("content/events/x.yaml:2:") and "YAML として読めません" in problems[0]


    @pytest.mark.parametrize("value", ["講演会: 地域と学び", "[満員] 親子の広場", "{注} 会", "@ab", "`ab`", "!注意 b", "> b", '"ab" cd'])
    def test_a_value_that_needs_quotes_is_told_so_with_the_fixed_line(self, value):
        _, problems = load(f"date: 2025-06-01\ntitle: {value}\n")
        assert len(problems) == 1 and problems[0].startswith("content/events/x.yaml:2:8: 'title' の値は引用符で囲んでください"), problems
        fixed = problems[0].split("例: ", 1)[1]
        doc, again = load(fixed + "\n")
        assert again == [] and doc["title"] == value

    def test_an_unclosed_list_is_not_told_to_quote(self):
        _, problems = load("a: [1, 2\nb: 3\n")
        assert "引用符で囲んで" not in problems[0]

    @pytest.mark.parametrize("text", ["a: &x [1]\nb: *x\n", "a: &a [1, 1]\nb: &b [*a, *a]\nc: [*b, *b]\n", "title: *x b\n"])
    def test_anchors_and_aliases_are_refused(self, text):
        doc, problems = load(text)
        assert doc is None and len(problems) == 1 and "アンカー・別名" in problems[0]


class TestPositions:
    def test_keys_and_values_have_one_based_positions(self):
        doc, _ = load_yaml_text("f.yaml", "a:\n  b:\n    - x\n    - y: 1\n")
        assert doc.keys[("a",)] == (1, 1)
        assert doc.keys[("a", "b")] == (2, 3)
        assert doc.values[("a", "b", 1)] == (4, 7)
        assert doc.values[("a", "b", 1, "y")] == (4, 10)

    def test_unknown_location_falls_back_to_the_nearest_parent(self):
        doc, _ = load_yaml_text("f.yaml", "a:\n  b: 1\n")
        assert doc.where(("a", "missing")) == (2, 3)


keys = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=8)
# U+0085, U+2028 and U+2029 are line breaks to YAML: the loader rejects them (tested above).
texts = st.text(alphabet=st.characters(exclude_characters="\x85\u2028\u2029"), max_size=40)
scalars = st.one_of(texts, st.integers(), st.booleans())


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, scalars, max_size=6))
def test_anything_pyyaml_writes_reads_back_unchanged(data):
    text = yaml.safe_dump(data, allow_unicode=True)
    doc, problems = load_yaml_text("f.yaml", text)
    assert doc is not None and (doc.data or {}) == data


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes_the_loader(text):
    doc, problems = load_yaml_text("f.yaml", text)
    assert doc is not None or problems
    for problem in problems:
        assert problem.format().startswith("f.yaml")
