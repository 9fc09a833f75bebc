"""Screenshots of the browser editor (/admin/) for the staff guide (content/pages/staff/index.md).

Builds the fixture site in a temporary folder, opens its /admin/ in Debian's Chromium in the
local-folder mode (as tests/browser/test_admin.py does) and saves PNGs at a PC width (1280) and a
phone width (360) into content/images/staff/. Run it after a new version of the editor:

    .venv/bin/python tests/tools/admin_screenshots.py
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from browser.conftest import CHROMIUM, CHROMIUM_ARGS, TODAY  # noqa: E402
from browser.test_admin import Editor  # noqa: E402
from conftest import make_root  # noqa: E402

OUT = ROOT / "content" / "images" / "staff"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def shoot(browser, base: str, root: Path, width: int) -> list[Path]:
    suffix = "pc" if width > 800 else "phone"
    editor = Editor(browser, base, root, width)
    page = editor.page
    saved = []

    def save(name: str) -> None:
        page.wait_for_timeout(800)
        path = OUT / f"admin-{name}-{suffix}.png"
        page.screenshot(path=str(path))
        saved.append(path)

    editor.open()
    save("signin")
    editor.sign_in()
    if width > 800:
        editor.collection("講座・イベント 2025年度（1回）")
    save("list")
    if width <= 800:
        page.get_by_text("講座・イベント 2025年度（1回）").first.click()
        page.get_by_text("親子で学ぶ交通安全教室（サンプル）").first.click()
        page.get_by_role("textbox", name="題名").wait_for()
    else:
        editor.open_entry("親子で学ぶ交通安全教室（サンプル）")
        page.frame_locator("iframe").first.locator(".yse-preview").wait_for()
    save("edit")
    if width > 800:
        page.get_by_role("textbox", name="題名").fill("")
        editor.save()
        page.get_by_text("この項目は必須です。").first.wait_for()
        save("error")
    editor.close()
    return saved


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = make_root(Path(tmp), "site")
        out = Path(tmp) / "out"
        subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(root), "--today", TODAY, "--out", str(out)],
                       cwd=ROOT, check=True, capture_output=True)
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, "--lang=ja"],
                                                 env={**os.environ, "LANG": "ja_JP.UTF-8", "LANGUAGE": "ja"})  # date and time inputs as on a Japanese PC
            for width in (1280, 360):
                for path in shoot(browser, base, root, width):
                    print(f"書き出しました: {path.relative_to(ROOT)}")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
