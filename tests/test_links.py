"""Links and anchors in staff-written Markdown (generator/reading/links.py), and a strict builder.

tests/fixtures/links/content holds a valid link of every kind, on top of the mini site. The bad cases
below each replace one file and must be reported at the exact ``file:line:col`` in Japanese.
(The bad-input corpus tests/bad_inputs/ is for YAML files: its header is a comment on line 1, where a
Markdown file's front matter must begin.)
"""

from __future__ import annotations

import posixpath
import re
import shutil
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import FIXTURES, ROOT, make_root
from generator.publish.build import BuildError, build, check_links, direct_paths, generate, render_direct
from generator.cli import main
from generator.model.errors import ContentError
from generator.reading.config import ALWAYS, parse_builder_config, read_builder_config
from generator.reading.markdown import page_html
from generator.reading.links import Source, find_links, links_of, sources
from generator.reading.load import load_site
from generator.reading.markdown import render_markdown

TODAY = date(2025, 6, 15)  # after every fixture post is published


def links_root(tmp_path: Path) -> Path:
    root = make_root(tmp_path, "mini")
    shutil.copytree(FIXTURES / "links" / "content", root / "content", dirs_exist_ok=True)
    return root


def check(root: Path, capsys) -> tuple[int, list[str]]:
    code = main(["check", "--root", str(root), "--today", TODAY.isoformat()])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).splitlines()


# --- valid links pass -----------------------------------------------------------------------------


def test_valid_links_of_every_kind_pass(tmp_path, capsys):
    root = links_root(tmp_path)
    code, output = check(root, capsys)
    assert code == 0, output
    site = load_site(root, TODAY)
    found = {s.path: len(links_of(s, page_html(s.body, site.builder) if s.by_mkdocs else str(render_markdown(s.body)), 1)) for s in sources(site)}
    assert found == {"content/home.md": 6, "content/pages/guide/index.md": 8, "content/pages/guide/rooms.md": 17,
                     "content/news/2025-06-01-kyukan.md": 3, "content/blog/2025-06-10-manabi.md": 2,
                     "content/newsletters/2025-06.md": 2}


@pytest.mark.live  # the repository's own content and staff guide
def test_the_repository_content_and_the_staff_guide_pass():
    site = load_site(ROOT, TODAY)
    guide = next(s for s in sources(site) if s.path == "content/pages/staff/index.md")
    assert links_of(guide, page_html(guide.body, site.builder), 1), "the staff guide links to other pages"
    check_links(site)  # ContentError on any broken link


def ids_of(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html)) | set(re.findall(r'<a\s[^>]*name="([^"]+)"', html))


def test_what_the_check_accepts_works_in_the_built_site(tmp_path):
    """Build the fixture (its hand-written pages are in no nav: no warning): every link on the
    staff-written pages reaches a built file, and each fragment an id there; the ids the check finds
    on a hand-written page are those MkDocs made."""
    root = links_root(tmp_path)
    build(root, TODAY)
    site = root / "site"
    pages = ["index.html", "guide/index.html", "guide/rooms/index.html", "news/2025-06-01-kyukan/index.html",
             "blog/2025-06-10-manabi/index.html", "newsletters/2025-06/index.html"]
    checked = 0
    for page in pages:
        html = (site / page).read_text(encoding="utf-8")
        for url in re.findall(r'<(?:a|img|link)\s[^>]*?(?:href|src)="([^"]*)"', html):
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue
            base = "/" + posixpath.dirname(page) + "/"
            target = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else "/" + page
            file = site / target.lstrip("/")
            file = file / "index.html" if file.is_dir() else file
            assert file.is_file(), f"{page}: {url}"
            fragment = unquote(parts.fragment)
            if fragment and fragment != "top" and file.suffix == ".html":
                assert fragment in ids_of(file.read_text(encoding="utf-8")), f"{page}: {url}"
            checked += 1
    assert checked > 40
    rooms = (root / "content/pages/guide/rooms.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    built = ids_of((site / "guide/rooms/index.html").read_text(encoding="utf-8"))
    assert ids_of(page_html(rooms, read_builder_config(root)[0])) == {"部屋の案内", "opening-hours", "room-a", "raw-id"} <= built


def test_the_check_converts_pages_with_the_extensions_of_mkdocs_yml():
    """One source: the extensions (and the toc's slugify) come from mkdocs.yml through MkDocs' own loader."""
    config, problems = read_builder_config(FIXTURES / "site")
    assert problems == [] and config is not None

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    listed = yaml.load((FIXTURES / "site" / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    names = [next(iter(e)) if isinstance(e, dict) else e for e in listed["markdown_extensions"]]
    assert config.extension_names == list(dict.fromkeys([*ALWAYS, *names]))
    assert config.extension_configs["toc"]["slugify"]("Room A", "-") == "room-a"
    assert config.site_url == listed["site_url"] and config.docs_dir == listed["docs_dir"]
    assert listed["validation"]["links"] == dict.fromkeys(["not_found", "absolute_links", "unrecognized_links", "anchors"], "info")


@pytest.mark.parametrize("setting", ["docs_dir: docs", "docs_dir: content", "docs_dir: build/../content", "docs_dir: /tmp/x",
                                     "theme:\n  custom_dir: generator", "hooks:\n  - mkdocs_hooks.py"])
def test_the_generator_writes_only_inside_build(setting):
    """mkdocs.yml says where the generator writes, and it empties those folders of what it did not
    write: anywhere outside build/ is refused before anything is written."""
    text = "site_url: https://example.org/\ndocs_dir: build/docs\ntheme:\n  custom_dir: build/theme\nhooks:\n  - build/mkdocs_hooks.py\n"
    key = setting.split(":")[0]
    kept = "\n".join(line for line in text.splitlines() if not line.startswith(key) and not (key in ("theme", "hooks") and line.startswith("  ")))
    config, problems = parse_builder_config(kept + "\n" + setting + "\n")
    assert config is None and problems and "build/ の中に" in problems[0].message


def test_a_site_url_is_required():
    config, problems = parse_builder_config("docs_dir: build/docs\n")
    assert config is None and "site_url" in problems[0].message


def test_direct_paths_name_what_render_direct_makes(tmp_path):
    for fixture in ("mini", "events"):
        site = load_site(make_root(tmp_path / fixture, fixture), TODAY)
        assert direct_paths(site) == set(render_direct(site))


# --- broken links are reported where they are -------------------------------------------------------

PAGE = "---\ntitle: 部屋の案内\n---\n\n# 部屋の案内\n\n{}\n"
NEWS = "---\ntitle: 臨時休館のお知らせ\ndate: 2025-06-01\nauthor: 職員\n---\n## 休館日\n\n{}\n"
HOME = "テスト施設のホームです。\n\n{}\n"

CASES = {
    "page-link": ("content/pages/guide/extra.md", PAGE, "- [事業一覧](../../program/)", "7:10",
                  "リンク先 '../../program/' が見つかりません（このページ /guide/extra/ から見ると /program/ です）。"
                  "サイトにあるページやファイルの URL を書いてください。もしかして '../../programs/'？"),
    "page-anchor": ("content/pages/guide/extra.md", PAGE, "開館時間は[施設案内](../../facility/#hour)へ", "7:13",
                    "リンク先 '../../facility/#hour' の '#hour' がページ /facility/ にありません。見出しへのリンクは、"
                    "見出しの文字（英字は小文字、空白は -）か {#id} で付けた id で書いてください。もしかして '#hours'？"),
    "page-own-anchor": ("content/pages/guide/extra.md", PAGE, "[上の見出し](#部屋の案内_1)", "7:9",
                        "リンク先 '#部屋の案内_1' がこのページにありません。"),
    "page-md": ("content/pages/guide/extra.md", PAGE, "[手引き](indx.md)", "7:7",
                "リンク先 'indx.md' のファイルがありません（.md で書いたリンクは、このファイルの場所 content/pages/guide/ "
                "から見たページのファイル名です）。もしかして 'index.md'？"),
    "page-image": ("content/pages/guide/extra.md", PAGE, "地図:\n\n![館内の地図](../../images/mao.svg)", "9:10",
                   "画像 '../../images/mao.svg' が見つかりません（このページ /guide/extra/ から見ると /images/mao.svg です）。"
                   "content/images/ に置いた画像は /images/ファイル名 で表示できます。もしかして '../../images/map.svg'？"),
    "page-reference": ("content/pages/guide/extra.md", PAGE, "[検索][s]\n\n[s]: /serch/", "9:6",
                       "リンク先 '/serch/' が見つかりません（このページ /guide/extra/ から見ると /serch/ です）。"
                       "サイトにあるページやファイルの URL を書いてください。もしかして '/search/'？"),
    "news-link": ("content/news/2025-06-01-kyukan.md", NEWS, "詳しくは[施設案内](../facility/)へ。", "8:12",
                  "リンク先 '../facility/' が見つかりません（このページ /news/2025-06-01-kyukan/ から見ると /news/facility/ です）。"
                  "サイトにあるページやファイルの URL を書いてください。もしかして '../../facility/'？"),
    "news-anchor": ("content/news/2025-06-01-kyukan.md", NEWS, "[休館日](#休館)", "8:7",
                    "リンク先 '#休館' がこのページにありません。見出しへのリンクは、見出しの文字（英字は小文字、"
                    "空白は -）か {#id} で付けた id で書いてください。もしかして '#休館日'？"),
    "news-md": ("content/news/2025-06-01-kyukan.md", NEWS, "[講座](../../events/index.md)", "8:6",
                "リンク先 '../../events/index.md': お知らせ・ブログ・ホーム・メールマガジンでは .md のファイル名は使えません。"
                "ページの URL（例: '../events/'）で書いてください。もしかして '../../events/'？"),
    "news-above-top": ("content/news/2025-06-01-kyukan.md", NEWS, "[講座](../../../events/)", "8:6",
                       "リンク先 '../../../events/' はサイトの一番上より上を指しています（'../' が多すぎます）。"
                       "もしかして '../../events/'？"),
    "home-link": ("content/home.md", HOME, "- [講座・イベント](event/)", "3:13",
                  "リンク先 'event/' が見つかりません（このページ / から見ると /event/ です）。"
                  "サイトにあるページやファイルの URL を書いてください。もしかして 'events/'？"),
    "home-anchor": ("content/home.md", HOME, "- [開館時間](facility/#開館時間)", "3:10",
                    "リンク先 'facility/#開館時間' の '#開館時間' がページ /facility/ にありません。"),
    "page-image-no-alt": ("content/pages/guide/extra.md", PAGE, "地図:\n\n![](../../images/map.svg)", "9:1",
                          "画像に代替テキストがありません。"),
    "news-image-no-alt": ("content/news/2025-06-01-kyukan.md", NEWS, "![ ](/images/map.svg)", "8:1",
                          "画像に代替テキストがありません。"),
    "newsletter-link": ("content/newsletters/2025-06.md", "---\nsent: 2025-06-01\n---\n{}\n", "[お知らせ](../news/)", "4:8",
                        "リンク先 '../news/' が見つかりません（このページ /newsletters/2025-06/ から見ると /newsletters/news/ です）。"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_broken_link_is_reported_where_it_is(tmp_path, capsys, case):
    path, template, line, where, message = CASES[case]
    root = links_root(tmp_path)
    (root / path).write_text(template.format(line), encoding="utf-8")
    code, output = check(root, capsys)
    assert code == 1
    reported = [line for line in output if line.startswith(f"{path}:")]
    assert len(reported) == 1 and reported[0].startswith(f"{path}:{where}: {message}"), output
    assert output[-1] == "エラー 1件（1ファイル）"


def test_a_broken_link_stops_build_and_serve_before_anything_is_written(tmp_path, capsys):
    root = links_root(tmp_path)
    (root / "content/home.md").write_text("[講座](event/)\n", encoding="utf-8")
    assert main(["build", "--root", str(root), "--today", TODAY.isoformat()]) == 1
    assert "content/home.md:1:6: リンク先 'event/' が見つかりません" in capsys.readouterr().err
    assert not (root / "site").exists() and not (root / "build").exists() and not list(tmp_path.glob("*/.site-*"))
    with pytest.raises(ContentError, match="content/home.md:1:6"):
        generate(root, TODAY)  # what serve writes from
    assert not (root / "build").exists()


def test_links_are_found_with_their_place_and_code_is_skipped():
    text = ("[a](x/) `[b](code/)` ![c](<p q.png> \"t\")\n"
            "[![img](i.png)](outer/ 'title') \\[d](not-a-link/)\n"
            "```\n[e](fenced/)\n```\n"
            "[用例][ref]\n\n"
            "  [ref]: <ref/url>\n"
            "[unused]: not/used/\n")
    assert find_links(text) == [(text.index("x/"), "x/", False), (text.index("p q"), "p q.png", True),
                                (text.index("i.png"), "i.png", True), (text.index("outer/"), "outer/", False),
                                (text.index("ref/url"), "ref/url", False), (text.index("not/used/"), "not/used/", False)]
    source = Source("content/home.md", text, "index.md", False)
    placed = [(link.line, link.col, link.url) for link in links_of(source, str(render_markdown(text)), 1)]
    assert placed == [(1, 5, "x/"), (1, 28, "p q.png"), (2, 9, "i.png"), (2, 17, "outer/"), (8, 11, "ref/url")]  # what Markdown makes a link


# --- the builder is strict ----------------------------------------------------------------------------


def test_a_builder_warning_fails_the_build_and_leaves_the_site_untouched(tmp_path, capsys):
    root = links_root(tmp_path)
    assert main(["build", "--root", str(root), "--today", TODAY.isoformat()]) == 0
    out, err = capsys.readouterr()
    assert "INFO" not in out + err and "Documentation built" not in out + err  # its output only on failure
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - 施設案内: facility.md\n", "  - 施設案内: facility.md\n  - 無いページ: nowhere.md\n"), encoding="utf-8")
    with pytest.raises(BuildError, match="WARNING -  A reference to 'nowhere.md' is included in the 'nav' configuration"):
        build(root, TODAY)
    assert main(["build", "--root", str(root), "--today", TODAY.isoformat()]) == 1
    err = capsys.readouterr().err
    assert err.startswith("サイトの組み立てに失敗しました。site/ は前のままです。\nMkDocs（HTML の道具）が次のように報告しました")
    assert "nowhere.md" in err and "Aborted with 1 warnings in strict mode!" in err and "INFO" not in err
    assert {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} == before
    assert not list(root.parent.glob(".site-*")) and not list(root.parent.glob(".direct-*"))


def test_a_broken_mkdocs_yml_is_a_staff_error_before_anything_is_written():
    config, problems = parse_builder_config("site_url: https://example.org/\nnav: [\n")
    assert config is None and problems[0].path == "mkdocs.yml" and "読めません" in problems[0].message
