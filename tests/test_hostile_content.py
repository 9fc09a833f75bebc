"""Hostile or broken content cannot hurt the site, the build machine or its readers (SECURITY.md).

Symlinks and special files are refused where they are, never followed; files and images have size
limits; YAML anchors, aliases and deep nesting are refused before anything is built; Markdown that
Python-Markdown would take minutes over is stopped; long values are cut in messages and the number
of problems printed is capped. The bomb cases run in a subprocess that reports its own time and
peak memory (tests/test_fuzz_content.py feeds random and mutated files)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, make_root
from generator.reading import markdown as templating_markdown
from generator.publish.build import generate, render_docs
from generator.cli import main
from generator.model.errors import ContentError
from generator.reading.limits import MAX_IMAGE_BYTES, MAX_PROBLEMS_SHOWN, MAX_TEXT_BYTES
from generator.reading.load import load_site
from generator.reading.yaml_strict import MAX_DEPTH, load_yaml_text

TODAY = date(2025, 6, 1)
SECRET = "root:x:0:0:do-not-publish-8c1f"
EVENT = "title: 学習\nprogram: soudan\nvenue: 研修室\ndate: 2025-06-10\n"
POST = "---\ntitle: お知らせ\ndate: 2025-05-20\ncategories: [お知らせ]\nauthor: 職員\n---\n\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The events fixture with the links fixture's Markdown (pages, news, home, an image)."""
    root = make_root(tmp_path, "events")
    shutil.copytree(FIXTURES / "links" / "content", root / "content", dirs_exist_ok=True)
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the repository with a file no build may publish."""
    folder = tmp_path / "outside"
    (folder / "docs").mkdir(parents=True)
    (folder / "secret").write_text(SECRET, encoding="utf-8")
    (folder / "docs" / "x.md").write_text(POST + SECRET, encoding="utf-8")
    (folder / "plan.yaml").write_bytes((FIXTURES / "events" / "plan.yaml").read_bytes())
    return folder


def problems_of(root: Path) -> list:
    with pytest.raises(ContentError) as caught:
        load_site(root, TODAY)
    return caught.value.problems


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def files_holding(folder: Path, text: str) -> list[Path]:
    return [f for f in folder.rglob("*") if f.is_file() and not f.is_symlink() and text.encode() in f.read_bytes()]


# --------------------------------------------------------------------------- symlinks and special files


SYMLINKS = {
    "content/images/leak.png": "secret",
    "content/events/2025/leak.yaml": "secret",
    "content/pages/leak.md": "secret",
    "content/news/2025-05-20-leak.md": "secret",
    "content/newsletters/2025-07.md": "secret",
    "content/home.md": "secret",
    "plan.yaml": "plan.yaml",
    "plans/2024.yaml": "plan.yaml",
    "content/pages/docs": "docs",  # a folder
    "content/images/sub": "docs",
    "content/events/2025/plan-copy.yaml": "INSIDE",  # inside the repository is refused too
    "content/somewhere/else.txt": "secret",  # where nothing is read
    "build": "docs",  # where the generator writes
    "out": "docs",
}


@pytest.mark.parametrize("link", SYMLINKS)
def test_a_symlink_is_an_error_at_its_path_and_never_followed(root, outside, link):
    path = root / link
    if path.exists() or path.is_symlink():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    target = root / "plan.yaml" if SYMLINKS[link] == "INSIDE" else outside / SYMLINKS[link]
    path.symlink_to(target)
    problems = problems_of(root)
    mine = [p for p in problems if p.path == link]
    assert mine and all("シンボリックリンクは使えません" in p.message for p in mine), problems
    assert not any(SECRET in p.message for p in problems)


def test_a_symlinked_image_never_reaches_the_site_or_build(root, outside, tmp_path, capsys):
    (root / "content" / "images" / "leak.png").symlink_to(outside / "secret")
    out = tmp_path / "site"
    code, output = run_cli(capsys, "build", "--root", str(root), "--today", TODAY.isoformat(), "--out", str(out))
    assert code == 1
    assert "content/images/leak.png: シンボリックリンクは使えません（" in output and "内部エラー" not in output
    assert not out.exists()
    assert files_holding(root, SECRET) == []


def test_a_symlink_in_the_folder_the_generator_writes_is_removed_not_written_through(root, outside):
    generate(root, TODAY)
    docs = root / "build" / "docs"
    (docs / "index.md").unlink()
    (docs / "index.md").symlink_to(outside / "secret")
    (root / "build" / "bodies.json").unlink()
    (root / "build" / "bodies.json").symlink_to(outside / "secret")
    generate(root, TODAY)
    assert (outside / "secret").read_text(encoding="utf-8") == SECRET
    assert not (docs / "index.md").is_symlink() and not (root / "build" / "bodies.json").is_symlink()
    assert files_holding(root / "build", SECRET) == []


def test_a_named_pipe_is_refused_not_read(root):
    """Reading a FIFO would wait for a writer forever."""
    os.mkfifo(root / "content" / "events" / "2025" / "pipe.yaml")
    problems = problems_of(root)
    assert any(p.path == "content/events/2025/pipe.yaml" and "通常のファイルではありません" in p.message for p in problems)


def test_an_image_path_may_not_leave_content_images(root):
    (root / "content" / "events" / "2025" / "photo.yaml").write_text(
        EVENT + "image: {src: ../../plan.yaml, alt: 地図}\n", encoding="utf-8")
    problems = problems_of(root)
    assert any(p.path == "content/events/2025/photo.yaml" and "が content/images/ にありません" in p.message for p in problems)


# --------------------------------------------------------------------------- sizes and images


def test_a_yaml_file_over_the_limit_is_refused_naming_the_file_and_the_limit(root):
    description = "あ" * (MAX_TEXT_BYTES // 3 + 10)
    (root / "content" / "events" / "2025" / "big.yaml").write_text(EVENT + f"description: {description}\n", encoding="utf-8")
    problems = problems_of(root)
    assert [p.format() for p in problems if p.path.endswith("big.yaml")] == [
        "content/events/2025/big.yaml: ファイルが大きすぎます（257 KiB。上限は 256 KiB）。ファイルを分けるか、内容を減らしてください"]


def test_a_markdown_file_over_the_limit_is_refused(root):
    (root / "content" / "pages" / "big.md").write_text("# 大きい\n\n" + "a" * MAX_TEXT_BYTES, encoding="utf-8")
    problems = problems_of(root)
    assert any(p.path == "content/pages/big.md" and "上限は 256 KiB" in p.message for p in problems)


def test_images_over_the_limit_of_another_kind_or_with_script_are_refused(root):
    images = root / "content" / "images"
    (images / "huge.png").write_bytes(b"\x89PNG" + b"\0" * MAX_IMAGE_BYTES)
    (images / "page.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (images / "evil.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', encoding="utf-8")
    (images / "ok.png").write_bytes(b"\x89PNG\r\n")
    (images / ".gitkeep").write_bytes(b"")
    found = {p.path: p.message for p in problems_of(root)}
    assert "上限は 5 MiB" in found["content/images/huge.png"]
    assert "画像（png、jpg" in found["content/images/page.html"]
    assert "SVG 画像にスクリプト" in found["content/images/evil.svg"]
    assert not any(path in found for path in ("content/images/ok.png", "content/images/map.svg", "content/images/.gitkeep"))


def test_fit_images_are_published_and_hidden_files_are_not(root):
    (root / "content" / "images" / ".gitkeep").write_bytes(b"")
    docs = render_docs(load_site(root, TODAY))
    assert docs["images/map.svg"] == (FIXTURES / "links" / "content" / "images" / "map.svg").read_bytes()
    assert "images/.gitkeep" not in docs


# --------------------------------------------------------------------------- YAML: depth, aliases, values


@pytest.mark.parametrize("text, where", [
    ("title: " + "[" * 5000 + "]" * 5000 + "\n", "1:27"),
    ("".join(" " * (2 * i) + f"k{i}:\n" for i in range(5000))[:200_000], f"{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1}"),
    ("".join("  " * i + "-\n" for i in range(400)), f"{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1}"),
    ("a: " + "{b: " * 5000, "1:80"),
], ids=["flow-5000", "block-mappings", "block-sequences", "unclosed-braces"])
def test_deep_nesting_is_reported_at_its_line_not_as_an_internal_error(root, capsys, text, where):
    (root / "content" / "events" / "2025" / "deep.yaml").write_text(text, encoding="utf-8")
    code, output = run_cli(capsys, "check", "--root", str(root), "--today", TODAY.isoformat())
    assert code == 1 and "内部エラー" not in output and "RecursionError" not in output
    assert f"content/events/2025/deep.yaml:{where}: 入れ子（字下げや [ ] {{ }} の重なり）が深すぎます（20段まで）" in output


def test_nesting_up_to_the_limit_is_read():
    text = "a: " + "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1) + "\n"
    doc, problems = load_yaml_text("f.yaml", text)
    assert doc is not None and problems == []


def test_long_values_are_cut_in_messages(root):
    long = "x" * 10_000
    (root / "content" / "events" / "2025" / "long.yaml").write_text(
        EVENT + f'capacity: "{long}"\ninternal: {long}\n{long[:1000]}: 1\n', encoding="utf-8")  # a key has 1,024 at most
    messages = [p.format() for p in problems_of(root) if p.path.endswith("long.yaml")]
    assert len(messages) == 3
    assert all(len(m) < 600 and "xxx…" in m for m in messages), messages


def test_a_series_of_eight_thousand_years_and_a_year_9999_are_refused(root):
    series = "title: 毎日\nprogram: soudan\nvenue: 研修室\nrepeat:\n  weekly: [月]\n  from: 2025-04-01\n  until: {}\n"
    (root / "content" / "events" / "2025" / "forever.yaml").write_text(series.format("2099-12-31"), encoding="utf-8")
    (root / "content" / "events" / "2025" / "far.yaml").write_text(series.format("9999-12-31"), encoding="utf-8")
    found = {p.path: p.format() for p in problems_of(root)}
    assert "content/events/2025/forever.yaml:7:10: 'repeat': 繰り返しの期間が長すぎます（27,302日）。731日（2年）まで" in found["content/events/2025/forever.yaml"]
    assert "年は 2000〜2099 の範囲で書いてください（値: '9999-12-31'）" in found["content/events/2025/far.yaml"]


def test_the_problems_printed_are_capped_with_a_count_of_the_rest(root, capsys):
    (root / "content" / "events" / "2025" / "many.yaml").write_text(
        EVENT + "".join(f"k{i}: {i}\n" for i in range(990)), encoding="utf-8")
    code, output = run_cli(capsys, "check", "--root", str(root), "--today", TODAY.isoformat())
    lines = output.splitlines()
    assert code == 1
    assert sum(1 for line in lines if line.startswith("content/events/2025/many.yaml:")) == MAX_PROBLEMS_SHOWN
    # and the plan's six notices (postal code, phone, e-mail, rooms' facts, booking, transit)
    assert f"…ほかに {990 + 6 - MAX_PROBLEMS_SHOWN}件あります（最初の {MAX_PROBLEMS_SHOWN}件だけを表示しました。" in output
    assert lines[-1] == "エラー 990件（1ファイル）"


def test_a_list_or_mapping_of_more_than_a_thousand_entries_is_refused_before_it_is_built(root):
    (root / "content" / "events" / "2025" / "list.yaml").write_text(EVENT + "audience_groups: [" + "x," * 120_000 + "]\n", encoding="utf-8")
    found = [p.format() for p in problems_of(root) if p.path.endswith("list.yaml")]
    assert found == ["content/events/2025/list.yaml:5:2019: 1つのリスト（または項目の並び）に 1,000件より多くは書けません"
                     "（ここで 1,001件目）。ファイルを分けてください"]


def test_a_file_tells_its_first_thousand_mistakes_and_counts_the_rest(root):
    """43,000 wrong keys in one file took 10 s and 130 MB to describe one by one."""
    keys = [a + b for a in "abcdefghijklmnopqrstuvwxyz" for b in "abcdefghijklmnopqrstuvwxyz"]
    item = "{" + ", ".join(f"{k}: 1" for k in keys) + "}"
    series = "title: 学習\nprogram: soudan\nvenue: 研修室\nrepeat: {weekly: [月], from: 2025-04-07, until: 2025-06-30}\n"
    (root / "content" / "events" / "2025" / "keys.yaml").write_text(series + f"sessions: [{', '.join([item] * 40)}]\n", encoding="utf-8")
    found = [p for p in problems_of(root) if p.path.endswith("keys.yaml")]
    assert len(found) == 1001
    assert any("このファイルには、ほかにも" in p.message and "件の誤りがあります（最初の 1,000件だけを示しました）" in p.message for p in found)


# --------------------------------------------------------------------------- Markdown


@pytest.mark.parametrize("where, text", [
    ("content/news/2025-05-20-brackets.md", POST + "[" * 20_000),
    ("content/pages/headings.md", "---\ntitle: 見出し\n---\n\n" + "# h\n" * 20_000),
    ("content/events/2025/description.yaml", EVENT + "description: '" + "![" * 20_000 + "'\n"),
])
def test_markdown_that_takes_too_long_is_stopped_and_named(root, monkeypatch, where, text):
    """Python-Markdown takes time squared (or worse) over such texts: minutes, unless stopped."""
    monkeypatch.setattr(templating_markdown, "MARKDOWN_SECONDS", 0.5)
    (root / where).write_text(text, encoding="utf-8")
    problems = [p for p in problems_of(root) if p.path == where]
    assert len(problems) == 1 and problems[0].line >= 1
    assert "この Markdown は変換に 0.5 秒以上かかるため、止めました" in problems[0].message


# --------------------------------------------------------------------------- bombs: time and memory in a subprocess


def alias_bomb(levels: int) -> str:
    """``a: &a [x, …]`` then each level ten aliases of the one before: 10**levels leaves."""
    lines = ["a: &a [" + ",".join(["x"] * 10) + "]"]
    for index in range(1, levels):
        name, before = chr(97 + index), chr(96 + index)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{before}"] * 10) + "]")
    return "\n".join(lines) + "\n"


MEASURE = r"""
import json, resource, sys, time, tracemalloc
from generator.reading.yaml_strict import load_yaml_text
from generator.cli import main
text = open(sys.argv[1], encoding="utf-8").read()
start = time.perf_counter()
doc, problems = load_yaml_text("bomb.yaml", text)
seconds = time.perf_counter() - start
tracemalloc.start()  # again, measuring memory (tracemalloc slows Python down several times)
load_yaml_text("bomb.yaml", text)
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
start = time.perf_counter()
code = main(["check", "--root", sys.argv[2], "--today", "2025-06-01"])
print(json.dumps({"load_seconds": seconds, "load_peak": peak, "problems": [p.format() for p in problems],
                  "check_seconds": time.perf_counter() - start, "check_code": code,
                  "max_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""

BOMBS = {
    "alias-600-bytes": alias_bomb(9),  # a billion leaves in 323 bytes
    "alias-million-nodes": alias_bomb(6),
    "nesting-5000": "title: " + "[" * 5000 + "]" * 5000 + "\n",
    "brackets-256k": "title: " + "[" * (MAX_TEXT_BYTES - 10),
    "flow-list-256k": "title: 学習\nprogram: soudan\nvenue: 研修室\ndate: 2025-06-10\naudience_groups: [" + "x," * 120_000 + "]\n",
}


@pytest.mark.parametrize("name", BOMBS)
def test_a_bomb_costs_little_time_and_memory(root, tmp_path, name):
    text = BOMBS[name]
    assert len(text.encode()) <= MAX_TEXT_BYTES
    if name == "alias-600-bytes":
        assert len(text.encode()) <= 600
    file = root / "content" / "events" / "2025" / "bomb.yaml"
    file.write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", MEASURE, str(file), str(root)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["check_code"] == 1 and "内部エラー" not in result.stderr, result.stderr[-2000:]
    assert measured["load_peak"] < 100 * 2**20, measured  # load_seconds is timed under tracemalloc: bounded for aliases below
    assert measured["check_seconds"] < 30 and measured["max_rss"] < 500 * 2**20, measured  # the bounds
    if name.startswith("alias"):
        assert measured["load_seconds"] < 0.5 and measured["load_peak"] < 2**20, measured
        assert measured["problems"] and measured["problems"][0].startswith("bomb.yaml:1:4: 「&」「*」で始まる値は"), measured


def test_the_year_turn_writes_through_no_symlink(root, outside):
    (root / "plans").symlink_to(outside / "docs")
    with pytest.raises(ContentError) as caught:
        from generator.tools.new_year import start_new_year

        start_new_year(root)
    assert [p.format() for p in caught.value.problems][0].startswith("plans: シンボリックリンクは使えません")
    assert sorted(p.name for p in (outside / "docs").iterdir()) == ["x.md"]


def test_control_characters_in_markdown_are_refused_at_their_line(root):
    """A NUL in a post went into its page as it was (and XML, the feeds, cannot carry one)."""
    (root / "content" / "news" / "2025-05-20-ctl.md").write_text(POST + "本文\x00です\n", encoding="utf-8")
    (root / "content" / "pages" / "ctl.md").write_text("---\ntitle: x\n---\n\n色\x1b[31m赤\n", encoding="utf-8")
    found = {p.path: p.format() for p in problems_of(root)}
    assert found["content/news/2025-05-20-ctl.md"] == "content/news/2025-05-20-ctl.md:8:3: 使えない制御文字（U+0000）が含まれています。削除してください"
    assert found["content/pages/ctl.md"].startswith("content/pages/ctl.md:5:2: 使えない制御文字（U+001B）")
