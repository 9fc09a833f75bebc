"""Building: generated docs, MkDocs, the atomic swap, repeatable bytes."""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
import re
from datetime import date
from pathlib import Path

import pytest

from generator.publish.build import build, render_all, write_tree
from generator.model.errors import ContentError
from generator.reading.load import load_site

TODAY = date(2025, 6, 1)


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from conftest import make_root

    root = make_root(tmp_path_factory.mktemp("built"))
    build(root, TODAY)
    return root


def test_every_page_is_built(built):
    site = built / "site"
    for page in ["index.html", "programs/index.html", "programs/oyako/index.html", "facility/index.html", "sitemap.xml"]:
        assert (site / page).is_file(), page


def test_html_is_japanese_and_loads_nothing_from_another_host(built):
    for page in (built / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert '<html lang="ja"' in text, page
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
        assert not re.search(r'<(?:script|img|iframe|source|video|audio)[^>]+src="(?:https?:)?//', text), page
        for link in re.findall(r"<link [^>]+>", text):
            if 'href="http' in link or 'href="//' in link:
                assert re.search(r'rel="(?:canonical|alternate ?)"', link), (page, link)


def test_titles_are_escaped_in_title_and_heading(built):
    text = (built / "site/programs/oyako/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in text
    assert "<title>親子の広場 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;引用&quot; 🎉 𠮷｜横浜市社会教育コーナー</title>" in text
    assert "<h1>親子の広場 &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;引用&#34; 🎉 𠮷</h1>" in text


def test_program_pages_stay_out_of_the_sidebar(built):
    home = (built / "site/index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    nav = nav[: nav.index("</nav>")]
    assert "programs/oyako/" not in nav
    assert "事業一覧" in nav


def test_japanese_headings_get_readable_anchors(mini_root):
    (mini_root / "content/pages").mkdir(parents=True)
    (mini_root / "content/pages/about.md").write_text("---\ntitle: 利用について\n---\n\n# 利用について\n\n## 開館時間\n", encoding="utf-8")
    build(mini_root, TODAY)
    html = (mini_root / "site/about/index.html").read_text(encoding="utf-8")
    assert 'id="開館時間"' in html and 'id="_1"' not in html


def test_two_builds_are_byte_identical(built, tmp_path):
    first = digest(built / "site")
    build(built, TODAY, out=tmp_path / "again")
    assert digest(tmp_path / "again") == first


@contextmanager
def replaced(path: Path, text: str):
    """The file holds ``text`` inside the block and its own content again afterwards."""
    good = path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    try:
        yield good
    finally:
        path.write_text(good, encoding="utf-8")


def test_a_failed_build_leaves_the_previous_site_untouched(built):
    before = digest(built / "site")
    plan = built / "plan.yaml"
    with replaced(plan, plan.read_text(encoding="utf-8").replace("target: 10", "target: 0")):
        with pytest.raises(ContentError):
            build(built, TODAY)
    assert digest(built / "site") == before


def test_a_builder_failure_also_leaves_the_site_untouched(built):
    from generator.publish.build import BuildError

    before = digest(built / "site")
    config = built / "mkdocs.yml"
    with replaced(config, config.read_text(encoding="utf-8") + "\nnot_a_setting: 1\n"):
        with pytest.raises(BuildError):
            build(built, TODAY)
    assert digest(built / "site") == before
    assert not [p for p in built.iterdir() if p.name.startswith(".site-")]


def test_write_tree_removes_stale_files_and_keeps_unchanged_ones(tmp_path):
    write_tree({"a.md": "1", "b/c.md": "2"}, tmp_path)
    stamp = (tmp_path / "a.md").stat().st_mtime_ns
    changed = write_tree({"a.md": "1"}, tmp_path)
    assert changed == 1 and not (tmp_path / "b").exists()
    assert (tmp_path / "a.md").stat().st_mtime_ns == stamp


def page_error(root, name: str, text: str) -> str:
    (root / "content/pages").mkdir(parents=True)
    (root / "content/pages" / name).write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_site(root, TODAY)
    return str(error.value)


def test_a_page_may_not_take_a_generated_path(mini_root):
    assert "content/pages/facility.md: 'facility.md' は自動生成されるページと同じ場所です" in page_error(
        mini_root, "facility.md", "---\ntitle: x\n---\n")


def test_page_front_matter_is_checked_strictly(mini_root):
    assert "content/pages/about.md:3:1: 'titel' という項目はありません。もしかして 'title'？" in page_error(
        mini_root, "about.md", "---\ntitle: 利用\ntitel: x\n---\n本文\n")


def test_render_all_refuses_nothing_twice(mini_root):
    files = render_all(load_site(mini_root, TODAY))
    assert "index.md" in files and "assets/site.css" in files


def readable(path: Path) -> bytes:
    """A built file's bytes, decompressed when Pagefind or the sitemap gzipped them."""
    import gzip

    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def test_internal_events_reach_no_file_of_the_site(tmp_path):
    from conftest import make_root

    root = make_root(tmp_path, "events")
    build(root, TODAY)
    files = [p for p in (root / "site").rglob("*") if p.is_file()]
    assert any("pagefind" in p.parts for p in files) and (root / "site/sitemap.xml").exists()
    for path in files:
        data = readable(path)
        for secret in ("社外秘".encode(), b"kenshu-06"):
            assert secret not in data, f"{path.relative_to(root)} contains internal text"


def test_every_page_has_its_own_meta_description(built):
    descriptions = {}
    for page in sorted((built / "site").rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        found = re.findall(r'<meta name="description" content="([^"]*)"', text)
        assert len(found) == 1 and found[0].strip(), f"{page.relative_to(built)} has no meta description"
        descriptions.setdefault(found[0], []).append(page.relative_to(built / "site").as_posix())
    shared = {d: pages for d, pages in descriptions.items() if len(pages) > 1 and pages != ["404.html", "index.html"]}
    assert not shared, f"pages share a description: {shared}"


@pytest.mark.parametrize("hook", [True, False], ids=["with-hook", "without-hook"])
def test_pages_given_to_the_builder_in_memory_equal_pages_built_from_files(tmp_path, hook):
    """For a build the generated pages are not written to build/docs: the MkDocs hook adds them from
    build/bodies.json and puts each body in. The result is byte for byte what MkDocs makes of the
    whole pages on disk; without the hook the build fails instead of publishing less."""
    from conftest import make_root
    from generator.publish.build import BuildError, _write_docs, check_bodies, generate, render_docs, run_builder, split_bodies
    from generator.render.pages import render_footer

    root = make_root(tmp_path, "events")
    if not hook:
        config = root / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("hooks:\n  - build/mkdocs_hooks.py\n", ""), encoding="utf-8")
    generate(root, TODAY)
    run_builder(root, tmp_path / "whole", TODAY)
    whole = digest(tmp_path / "whole")
    docs, pages, bodies = split_bodies(render_docs(load_site(root, TODAY)))
    _write_docs(root, docs, pages, bodies, footer=render_footer(load_site(root, TODAY)))
    assert not (root / "build/docs/events").exists() and not (root / "build/docs/ics").exists()
    if not hook:  # MkDocs misses the nav's pages (a warning: strict fails), else check_bodies the bodies
        with pytest.raises(BuildError, match="nav"):
            run_builder(root, tmp_path / "built", TODAY)
            check_bodies(bodies, tmp_path / "built")
        return
    run_builder(root, tmp_path / "built", TODAY)
    assert check_bodies(bodies, tmp_path / "built") > 10
    assert digest(tmp_path / "built") == {path: sha for path, sha in whole.items() if not path.startswith(("ics/", "feeds/"))}


def test_the_whole_build_equals_a_builder_run_on_whole_pages(tmp_path):
    """build(): stubs, the hook, calendars and feeds made beside the builder and moved in."""
    from conftest import make_root
    from generator.publish.build import TIMINGS, generate, run_builder

    root = make_root(tmp_path, "events")
    generate(root, TODAY)
    run_builder(root, tmp_path / "whole", TODAY)
    whole = digest(tmp_path / "whole")
    build(root, TODAY, out=tmp_path / "site")
    built = digest(tmp_path / "site")
    assert {p: d for p, d in built.items() if not p.startswith(("pagefind/", "admin/"))} == whole
    assert "admin/index.html" in built and "admin/config.yml" in built  # the browser editor, made beside the builder too
    assert any(p.startswith("ics/events/") for p in built) and "feeds/rss.xml" in built
    assert {"load", "render", "write", "builder", "fill", "search"} <= json.loads((root / TIMINGS).read_text()).keys()
    assert not list(tmp_path.glob(".direct-*")) and not list(tmp_path.glob(".site-*"))


def test_a_page_whose_html_the_builder_lost_fails_the_build(tmp_path):
    from generator.publish.build import BuildError, check_bodies

    bodies = {"a/index.html": "<h1>A</h1>"}
    (tmp_path / "site/a").mkdir(parents=True)
    for html in ("<main></main>", "<main><h1>B</h1></main>"):
        (tmp_path / "site/a/index.html").write_text(html, encoding="utf-8")
        with pytest.raises(BuildError):
            check_bodies(bodies, tmp_path / "site")
    (tmp_path / "site/a/index.html").write_text("<main><h1>A</h1></main>", encoding="utf-8")
    assert check_bodies(bodies, tmp_path / "site") == 1


def test_pages_are_values_the_bridge_serialises_without_parsing(tmp_path):
    """A renderer returns a Page (metadata as fields, finished HTML or Markdown); the bridge writes
    its front matter for the builder and hands the HTML on, whatever the HTML looks like: a page
    whose HTML does not start with the usual wrapper is not silently given to Markdown (issue 15)."""
    from generator.publish.build import as_files, split_bodies
    from generator.render.page import Page

    odd = Page("odd.md", "題 & <名>", "説明", "odd", html="<section><h1>題</h1></section>\n", searchable=False)
    mine = Page("mine.md", "手書き", "説明", "custom", markdown="# 見出し\n\n本文\n", hide_toc=False)
    files, stubs, bodies = split_bodies({"odd.md": odd, "mine.md": mine, "assets/x.css": b"a{}"})
    assert stubs == {"odd.md": '---\ntitle: "題 &amp; &lt;名&gt;"\ndescription: "説明"\nhide:\n  - toc\n---\n'}
    assert bodies == {"odd/index.html": "<section><h1>題</h1></section>"}
    assert files["assets/x.css"] == b"a{}" and "odd.md" not in files
    assert files["mine.md"] == ('---\ntitle: "手書き"\ndescription: "説明"\n---\n\n'
                                '<div class="page page--custom" data-pagefind-body markdown="1">\n\n# 見出し\n\n本文\n\n\n</div>\n')
    assert as_files({"odd.md": odd})["odd.md"] == stubs["odd.md"] + "\n" + odd.html
    with pytest.raises(ValueError, match="says it is"):
        from generator.publish.build import _collect
        _collect({"other.md": odd})
