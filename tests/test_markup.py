"""Markup comes from templates only (issue 15, point 3), and the files it makes stay byte for byte.

The golden files here pin every HTML and SVG output that was written by hand in Python before it
moved into templates: the newsletter's mail HTML (every section, links in the introduction), the
back-number page, the report's HTML and SVG, the progress page's chart and the preview's error page,
all from a site whose titles, names and links hold ``<script>``, ``&``, both quotes, ``<!--``, emoji
and 𠮷 (so the escaping itself is pinned, not only the layout).
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from conftest import make_root, with_newsletter_facts
from generator.load import load_site
from generator.newsletter import render_archive_pages, render_newsletter
from generator.progress import render_progress_page
from generator.report import render_report
from generator.serve import reload_tag, status_page

HOSTILE = "<script>alert('x')</script> & \"引用\" <!-- 🎉 𠮷"
TODAY = date(2025, 6, 30)


def _yaml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory):
    """The events fixture (a program named with markup, a title with & and quotes) and, in June 2025, an
    event of a program with a deadline, another institution's event, a notice and a sent issue whose
    introduction links with & and quotes, every text holding HOSTILE."""
    root = with_newsletter_facts(make_root(tmp_path_factory.mktemp("markup"), "events"))
    events = root / "content/events/2025"
    (events / "hostile.yaml").write_text(
        f"title: {_yaml(HOSTILE)}\nprogram: oyako\ndate: 2025-06-14\nstart: \"10:00\"\nend: \"11:30\"\nvenue: 研修室\n"
        f"audience: {_yaml(HOSTILE)}\napplication: {{required: true, method: [窓口], deadline: 2025-06-10}}\n"
        "published: 2025-05-20\n", encoding="utf-8")
    (events / "hostile-other.yaml").write_text(
        f"title: {_yaml(HOSTILE + ' 他機関')}\norganizer: {{name: {_yaml(HOSTILE)}}}\ndate: 2025-06-21\n"
        f"venue: {{name: {_yaml(HOSTILE)}, address: 横浜市磯子区森1-1-1}}\n", encoding="utf-8")
    (root / "content/news").mkdir(parents=True)
    (root / "content/news/2025-06-05-hostile.md").write_text(
        f"---\ntitle: {_yaml(HOSTILE)}\ndate: 2025-06-05\n---\n本文 {HOSTILE}\n", encoding="utf-8")
    (root / "content/newsletters").mkdir(parents=True)
    (root / "content/newsletters/2025-06.md").write_text(
        "---\nsent: 2025-06-01\n---\n"
        f"今月は[講座・イベント](../../events/?a=1&b='x'&c=\"y\")と[外のページ](https://example.com/?q=<1>&r=2)を。{HOSTILE}\n\n"
        "## 見出し & \"引用\"\n\n- 項目 <b>太字</b>\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile(hostile_root):
    return load_site(hostile_root, TODAY)


def test_golden_newsletter_mail_html(hostile, golden):
    files = render_newsletter(hostile, 2025, 6)
    golden("markup/newsletter-2025-06.html", files["2025-06.html"].decode("utf-8"))
    golden("markup/newsletter-2025-06.txt", files["2025-06.txt"].decode("utf-8"))


def test_golden_newsletter_back_number_page(hostile, golden):
    pages = render_archive_pages(hostile)
    golden("markup/newsletters__2025-06.md", pages["newsletters/2025-06.md"])


def test_golden_report_html_and_svg(hostile, golden):
    files = render_report(hostile, 2025)
    golden("markup/report-2025.html", files["report-2025.html"].decode("utf-8"))
    golden("markup/report-2025.svg", files["report-2025.svg"].decode("utf-8"))


def test_golden_progress_page_chart(hostile, golden):
    golden("markup/progress.md", render_progress_page(hostile)["progress.md"])


def test_golden_preview_pages(golden):
    page = status_page(f"タイトル {HOSTILE}", [f"段落 {HOSTILE}", "二つ目"],
                       [(f"見出し {HOSTILE}", "error", [f"content/x.yaml:1:2: {HOSTILE}", "二行目"]),
                        ("注意", "notice", ["三行目"])], f"7{HOSTILE}")
    golden("markup/serve-status.html", page + "----\n" + reload_tag(f"8{HOSTILE}"))
