"""The browser editor at /admin/ (Sveltia CMS) on the built fixture site, in Debian's Chromium.

The editor works on a local folder in its local-repository mode (the File System Access API, as on a
staff member's PC: "ローカルリポジトリで作業"). Headless Chromium cannot show the folder picker (and
Playwright's file chooser refuses it), so ``showDirectoryPicker`` returns a folder of the browser's
own file system (OPFS: real ``FileSystemDirectoryHandle`` objects, which the editor reads and writes
with its own code) filled with a copy of the fixture site. After each save the test copies that folder
back to the copy on disk, asserts the files there and runs ``check`` on the copy (never on content/).
"""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser.conftest import CHROMIUM_ARGS, TODAY, axe_violations  # noqa: F401 - CHROMIUM_ARGS documents the flags
from conftest import make_root

ROOT = Path(__file__).resolve().parents[2]

PICKER = """
window.showDirectoryPicker = async () => {
  const root = await navigator.storage.getDirectory();
  return await root.getDirectoryHandle('repo', {create: true});
};
window.__cspBlocked = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspBlocked.push(e.blockedURI));
"""
FILL = """async (files) => {
  const root = await navigator.storage.getDirectory();
  try { await root.removeEntry('repo', {recursive: true}); } catch (e) {}
  const repo = await root.getDirectoryHandle('repo', {create: true});
  await repo.getDirectoryHandle('.git', {create: true});
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split('/');
    let dir = repo;
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, {create: true});
    const handle = await dir.getFileHandle(parts.at(-1), {create: true});
    const writable = await handle.createWritable();
    await writable.write(text);
    await writable.close();
  }
}"""
READ = r"""async () => {
  const out = {};
  async function walk(dir, prefix) {
    for await (const [name, handle] of dir.entries()) {
      if (handle.kind === 'directory') { await walk(handle, prefix + name + '/'); continue; }
      const file = await handle.getFile();
      if (/\.(yaml|yml|md)$/.test(name)) { out[prefix + name] = await file.text(); continue; }
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      for (const byte of bytes) binary += String.fromCharCode(byte);
      out[prefix + name] = 'base64:' + btoa(binary);
    }
  }
  const root = await navigator.storage.getDirectory();
  // A file the editor renames or removes while it writes (its temporary file) can vanish between the
  // listing and the reading: then the folder was changing, and it is read again from the start.
  for (let attempt = 1; ; attempt++) {
    try {
      await walk(await root.getDirectoryHandle('repo'), '');
      return out;
    } catch (error) {
      if (error.name !== 'NotFoundError' || attempt === 20) throw error;
      for (const key of Object.keys(out)) delete out[key];
      await new Promise((done) => setTimeout(done, 50));
    }
  }
}"""
# Hosts the editor's bundle tries and the page's policy blocks before any request is made: its status
# check of GitHub, its web fonts (we serve the icon font ourselves; text uses the system's fonts) and its
# check for a newer version of itself (we update through package-lock.json).
BLOCKED_BY_POLICY = ("https://www.githubstatus.com/", "https://cdn.jsdelivr.net/fontsource/", "https://unpkg.com/@sveltia/cms/package.json")


class Editor:
    def __init__(self, browser, base: str, root: Path, width: int = 1280, locale: str = "ja-JP"):
        self.base, self.root = base, root
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 800 if width > 800 else 740},
                                           locale=locale, timezone_id="Asia/Tokyo", service_workers="block")
        self.context.on("request", self._record)  # the browser reaches no other host (conftest.ONLY_LOCAL_HOSTS)
        self.context.add_init_script(PICKER)
        self.page = self.context.new_page()

    def _record(self, request):
        self.requests.append(request.url)

    def open(self):
        self.page.goto(self.base + "/admin/", wait_until="load")
        self.page.get_by_role("button", name="ローカルリポジトリで作業").wait_for()
        return self.page

    def sign_in(self):
        files = {p.relative_to(self.root).as_posix(): p.read_text(encoding="utf-8")
                 for p in sorted(self.root.rglob("*")) if p.is_file() and not p.is_symlink() and p.suffix in (".yaml", ".md")}
        self.page.evaluate(FILL, files)
        self.page.get_by_role("button", name="ローカルリポジトリで作業").click()
        self.page.get_by_text("コレクション").first.wait_for()

    def sync_until(self, rel: str, text: str, seconds: float = 20.0) -> None:
        """``sync`` until the file ``rel`` holds ``text`` (the editor writes its folder after its notice), at most ``seconds``."""
        for _ in range(int(seconds * 4)):
            self.sync()
            if text in (self.root / rel).read_text(encoding="utf-8"):
                return
            self.page.wait_for_timeout(250)

    def sync(self) -> dict[str, str]:
        """What the editor's folder holds now, written to the copy on disk."""
        files = self.page.evaluate(READ)
        for rel, text in files.items():
            name = rel.rsplit("/", 1)[-1]
            # A write under way: the editor's temporary file and Chromium's swap file, renamed or gone once written.
            if rel.startswith(".git/") or name.startswith(".sveltia-tmp-") or name.endswith(".crswap"):
                continue
            target = self.root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            data = base64.b64decode(text[7:]) if text.startswith("base64:") else text.encode("utf-8")
            if not target.exists() or target.read_bytes() != data:
                target.write_bytes(data)
        return files

    def collection(self, label: str):
        self.page.get_by_role("treeitem", name=label).click()

    def open_entry(self, title: str):
        self.page.get_by_role("row", name=title).get_by_role("gridcell").nth(1).click()
        self.page.get_by_role("textbox", name="題名").wait_for()

    def close_entry(self):
        """Back to the list (after a save the editor may have gone back by itself)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        grid = self.page.get_by_role("grid", name="エントリー")
        try:
            grid.wait_for(timeout=5000)
        except PlaywrightTimeout:
            self.page.get_by_role("button", name="編集をキャンセル").click()
            grid.wait_for()

    def reveal(self, key_path: str):
        """The form draws its fields as they scroll into view: scroll until ``key_path``'s is there."""
        field = self.page.locator(f'[data-key-path="{key_path}"]')
        self.page.mouse.move(300, 400)
        for _ in range(30):
            if field.count():
                break
            self.page.mouse.wheel(0, 600)
            self.page.wait_for_timeout(100)
        field.first.scroll_into_view_if_needed()
        return field.first

    def choose(self, field: str, option: str):
        self.page.get_by_role("combobox", name=field).click()
        self.page.get_by_role("option", name=option, exact=True).click()

    def save(self):
        self.page.get_by_role("button", name="保存", exact=True).first.click()

    def close(self):
        self.context.close()


@pytest.fixture
def copy(tmp_path) -> Path:
    return make_root(tmp_path, "site")


@pytest.fixture
def editor(browser, server, copy):
    editor = Editor(browser, server, copy)
    try:
        yield editor
    finally:
        editor.close()


def check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "check", "--root", str(root), "--today", TODAY],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_editor_loads_only_from_our_site(editor):
    page = editor.open()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(editor.base))
    # Every request is to our site or in memory (blob:), or one the page's policy stops before it is sent
    # (the browser reports those too); the policy stops only those we know of.
    elsewhere = [u for u in editor.requests if not u.startswith((origin + "/", "blob:", "data:"))]
    blocked = page.evaluate("() => window.__cspBlocked")
    assert all(url.startswith(BLOCKED_BY_POLICY) for url in blocked), blocked
    assert all(url.startswith(BLOCKED_BY_POLICY) and any(url.startswith(b) for b in blocked) for url in elsewhere), elsewhere
    paths = {urlsplit(u).path for u in editor.requests if u.startswith(origin + "/")}
    assert {"/admin/sveltia-cms.js", "/admin/config.yml", "/admin/backend.yml", "/admin/locales/ja.json"} <= paths
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "connect-src 'self' blob: data: https://api.github.com;" in policy
    assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/=]+';", policy)  # our files and the import map only
    # The interface is Japanese (the strings came from our copy, not the CDN).
    assert page.get_by_text("ローカルリポジトリで作業").count() == 1
    # On GitHub: a personal access token only (no OAuth app, so no server of ours and no secret).
    assert page.get_by_role("button", name="アクセストークンを使用してログイン").count() == 1
    assert page.get_by_role("button", name="GitHub にログイン").count() == 0


def test_the_editor_speaks_japanese_in_a_browser_set_to_english(browser, server, copy):
    editor = Editor(browser, server, copy, locale="en-US")
    try:
        page = editor.open()
        assert page.get_by_role("button", name="アクセストークンを使用してログイン").count() == 1
    finally:
        editor.close()


def test_create_and_edit_through_the_forms_write_what_check_accepts(editor, copy):
    page = editor.open()
    editor.sign_in()

    # A required field left empty: the form says so in Japanese and writes nothing.
    editor.collection("講座・イベント 2025年度（1回）")
    page.get_by_role("button", name="新しいエントリーを作成").click()
    editor.save()
    page.get_by_text("この項目は必須です。").first.wait_for()
    assert page.get_by_text("この項目は必須です。").count() >= 3  # title, program, date, venue
    before = {p for p in editor.sync() if p.startswith("content/events/")}

    # A new event through the form.
    page.get_by_role("textbox", name="題名").fill("ブラウザで作った講座 no")
    editor.choose("事業", "親子の広場（oyako-hiroba）")
    page.get_by_role("textbox", name="日付", exact=True).fill("2025-06-19")
    page.get_by_role("textbox", name="開始時刻").fill("10:30")
    page.get_by_role("textbox", name="終了時刻").fill("11:30")
    editor.choose("会場", "アートルーム")
    page.get_by_role("textbox", name="対象").fill("乳幼児とその保護者")
    page.get_by_role("spinbutton", name="定員").fill("15")
    editor.save()
    page.get_by_text("エントリーが保存されました").first.wait_for()
    files = editor.sync()
    created = sorted({p for p in files if p.startswith("content/events/")} - before)
    assert created == ["content/events/2025/oyako-hiroba-2025-06-19.yaml"]
    text = (copy / created[0]).read_text(encoding="utf-8")
    assert 'start: "10:30"' in text and 'end: "11:30"' in text and 'date: "2025-06-19"' in text
    assert 'title: "ブラウザで作った講座 no"' in text and "capacity: 15" in text
    assert "end_date" not in text and "status_reason" not in text  # empty optional fields are left out
    assert written_like_the_editor(copy / created[0]) == text  # tests/test_admin.py writes files the same way

    # An existing event and a news post, edited.
    editor.close_entry()
    editor.open_entry("親子で学ぶ交通安全教室（サンプル）")
    page.get_by_role("textbox", name="題名").fill("親子で学ぶ交通安全教室（サンプル・改）")
    image = editor.reveal("image")
    image.get_by_role("checkbox").click()
    image.locator("input[type=file]").first.set_input_files(str(ROOT / "generator" / "assets" / "og-default.png"))  # "参照"
    image.get_by_text("og-default.png").wait_for()
    editor.save()
    page.get_by_text("この項目は必須です。").first.wait_for()  # an image needs its description
    page.get_by_role("textbox", name="代替テキスト（画像の説明）").fill("交通安全教室のポスター")
    editor.save()
    page.get_by_text("エントリーが保存されました").first.wait_for()
    editor.close_entry()
    editor.collection("お知らせ")
    editor.open_entry("年末年始の休館のお知らせ（サンプル）")
    page.get_by_role("textbox", name="題名").fill("年末年始の休館のお知らせ（サンプル・改）")
    editor.save()
    page.get_by_text("エントリーが保存されました").first.wait_for()  # may still be the event's notice: wait for the file
    editor.sync_until("content/news/2025-12-01-nenmatsu.md", "（サンプル・改）")
    event = (copy / "content/events/2025/kotsu-anzen-2025.yaml").read_text(encoding="utf-8")
    assert 'title: "親子で学ぶ交通安全教室（サンプル・改）"' in event
    assert 'name: "サンプル運輸株式会社"' in event and 'opens: "2025-09-16"' in event  # nothing lost
    assert 'src: "og-default.png"' in event and 'alt: "交通安全教室のポスター"' in event
    assert (copy / "content/images/og-default.png").read_bytes() == (ROOT / "generator/assets/og-default.png").read_bytes()
    assert written_like_the_editor(copy / "content/events/2025/kotsu-anzen-2025.yaml") == event
    news = (copy / "content/news/2025-12-01-nenmatsu.md").read_text(encoding="utf-8")
    assert news.startswith("---\n") and 'title: "年末年始の休館のお知らせ（サンプル・改）"' in news
    assert "12月28日（日）から1月4日（日）まで休館します。" in news

    result = check(copy)
    assert result.returncode == 0, result.stderr


def written_like_the_editor(path: Path) -> str:
    """The file as tests/test_admin.py's writer (the editor's YAML library and settings) writes its data."""
    from generator.reading.yaml_strict import load_yaml_file
    from test_admin import write_like_the_editor

    doc, problems = load_yaml_file(path, path.parent)
    assert not problems
    return write_like_the_editor([{"format": "yaml", "data": doc.data, "body": None}])[0]


def test_the_editor_is_in_neither_the_sitemap_nor_the_search_index(built_site):
    assert "/admin/" not in (built_site / "sitemap.xml").read_text(encoding="utf-8")
    page = (built_site / "admin" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in page and '<meta name="robots" content="noindex">' in page


@pytest.fixture(scope="module")
def preview_script(browser, server, tmp_path_factory):
    """The editor opened once for the date cases: they only call preview.js's formatSpan, which keeps no state."""
    editor = Editor(browser, server, make_root(tmp_path_factory.mktemp("admin"), "site"))
    try:
        page = editor.open()
        page.wait_for_function("() => window.ysePreview && Object.keys(window.ysePreview.data.holidays).length > 0")
        yield page
    finally:
        editor.close()


@pytest.mark.parametrize("start_day, end_day, start, end", [
    ("2025-05-10", None, "10:30", "11:30"), ("2025-05-05", None, "10:00", None), ("2025-08-01", "2025-08-03", None, None),
    ("2025-12-27", "2026-01-05", "13:00", "15:05"), ("2026-02-11", None, None, None), ("2025-09-15", None, "09:00", "12:00"),
])
def test_the_previews_write_dates_as_the_site_does(preview_script, start_day, end_day, start, end):
    """preview.js formats like generator/rules/dates.py (weekdays, holidays from preview-data.json, times)."""
    from datetime import date, time

    from generator.rules.dates import format_span

    shown = preview_script.evaluate("(a) => window.ysePreview.formatSpan(...a)", [start_day, end_day, start, end])
    day = date.fromisoformat(start_day)
    expected = format_span(day, date.fromisoformat(end_day) if end_day else day,
                           time.fromisoformat(start) if start else None, time.fromisoformat(end) if end else None)
    assert shown == expected


def test_the_event_preview_looks_like_the_site_and_passes_axe(editor):
    page = editor.open()
    editor.sign_in()
    editor.collection("講座・イベント 2025年度（1回）")
    editor.open_entry("親子で学ぶ交通安全教室（サンプル）")
    frame = page.frame_locator("iframe").first
    preview = frame.locator(".yse-preview")
    preview.wait_for()
    text = preview.inner_text()
    assert "2025年10月18日（土）10時〜11時30分" in text
    assert "サンプル" in text and "スポーツ広場" in text
    editor.reveal("status").get_by_role("radio", name="中止").click()  # few choices: radio buttons
    assert "【中止】" in preview.inner_text()
    assert preview.locator(".badge--status").inner_text() == "中止"
    # The site's own stylesheet styles the preview: the mark is a badge, as on the event page.
    assert preview.locator(".badge--sample").evaluate("e => getComputedStyle(e).display") != "inline"
    violations = axe_violations_in(next(f for f in page.frames if f.query_selector(".yse-preview")), ".yse-preview")
    assert violations == [], "\n".join(violations)


def axe_violations_in(frame, selector: str) -> list[str]:
    """axe-core on our preview only, in the editor's preview frame (the editor's own interface is
    third-party and outside our gate)."""
    from browser.conftest import AXE_TAGS, load_axe

    load_axe(frame)
    results = frame.evaluate(
        "async ([selector, tags]) => await axe.run({include: [[selector]]}, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        [selector, AXE_TAGS])
    return [f"{v['id']}: {n['html'][:120]}" for v in results["violations"] for n in v["nodes"]]
