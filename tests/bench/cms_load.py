"""How heavy the two browser editors are (issue 18): Decap CMS and Sveltia CMS, each from its npm
package, served gzip-compressed from 127.0.0.1 and opened in Debian's Chromium until its sign-in
screen can be used, as a phone (4x slower CPU, "slow 4G": 150 ms, 1.6 Mbit/s down) and as a PC (no
throttling). Prints the bundle sizes (bytes, gzip) and the median load time of several runs.

    .venv/bin/python tests/bench/cms_load.py --decap DIR --sveltia DIR [--runs 5]

DIR is an unpacked npm package (``npm pack decap-cms@3.16.3``, ``tar xzf``): ``DIR/package/dist/...``.
Not part of ``make test``; results in BENCHMARKS.md ("ブラウザの編集画面").
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CONFIG = """backend:
  name: github
  repo: owner/site
  branch: main
locale: ja
media_folder: content/images
public_folder: /images
collections:
  - name: events
    label: 講座・イベント
    folder: content/events/2025
    extension: yaml
    format: yaml
    create: true
    fields:
      - {name: title, label: 題名, widget: string}
      - {name: date, label: 日付, widget: datetime, time_format: false, format: YYYY-MM-DD}
"""
PAGE = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>編集画面</title></head>
<body>{before}<script src="{script}"></script></body></html>"""
LOCAL = Path(__file__).resolve().parents[2] / "generator" / "assets" / "admin" / "cms-local.js"
PHONE = {"cpu": 4, "latency": 150, "down": 1.6e6 / 8, "up": 750e3 / 8}
PC = {"cpu": 1, "latency": 0, "down": -1, "up": -1}
# What each shows when its sign-in screen is ready.
READY = {"decap": "button:has-text('GitHub')", "sveltia": "button:has-text('GitHub')"}


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it (as GitHub Pages serves them)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_file() and path.suffix in (".js", ".css", ".json", ".yml", ".html") and "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return _Body(data)
        return super().send_head()


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def lay_out(folder: Path, decap: Path, sveltia: Path) -> dict[str, list[Path]]:
    """Each editor in its own folder with the same configuration; the files each page loads at start."""
    (folder / "decap").mkdir(parents=True)
    shutil.copy(decap / "package" / "dist" / "decap-cms.js", folder / "decap" / "decap-cms.js")
    (folder / "decap" / "index.html").write_text(PAGE.format(script="decap-cms.js", before=""), encoding="utf-8")
    (folder / "decap" / "config.yml").write_text(CONFIG, encoding="utf-8")
    (folder / "sveltia" / "chunks").mkdir(parents=True)
    (folder / "sveltia" / "locales").mkdir()
    dist = sveltia / "package" / "dist"
    shutil.copy(dist / "sveltia-cms.js", folder / "sveltia" / "sveltia-cms.js")
    shutil.copy(dist / "chunks" / "react-dom.js", folder / "sveltia" / "chunks" / "react-dom.js")
    shutil.copy(sveltia / "package" / "locales" / "ja.json", folder / "sveltia" / "locales" / "ja.json")
    # As /admin/ serves it: our cms-local.js answers the bundle's request for its Japanese strings from here.
    shutil.copy(LOCAL, folder / "sveltia" / "cms-local.js")
    (folder / "sveltia" / "index.html").write_text(
        PAGE.format(script="sveltia-cms.js", before='<script src="cms-local.js"></script>'), encoding="utf-8")
    (folder / "sveltia" / "config.yml").write_text(CONFIG.replace("locale: ja\n", ""), encoding="utf-8")
    return {"decap": [folder / "decap" / "decap-cms.js"],
            "sveltia": [folder / "sveltia" / "sveltia-cms.js", folder / "sveltia" / "locales" / "ja.json",
                        folder / "sveltia" / "cms-local.js"]}


def measure(browser, base: str, name: str, profile: dict) -> float:
    context = browser.new_context(locale="ja-JP", viewport={"width": 360, "height": 740} if profile["cpu"] > 1 else {"width": 1280, "height": 800})
    page = context.new_page()

    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile["cpu"]})
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": profile["latency"],
                                                  "downloadThroughput": profile["down"], "uploadThroughput": profile["up"]})
    start = time.perf_counter()
    page.goto(f"{base}/{name}/", wait_until="commit")
    page.locator(READY[name]).first.wait_for(timeout=120000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--decap", type=Path, required=True)
    parser.add_argument("--sveltia", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        files = lay_out(Path(tmp), args.decap, args.sveltia)
        for name, paths in files.items():
            raw = sum(p.stat().st_size for p in paths)
            packed = sum(len(gzip.compress(p.read_bytes(), 6)) for p in paths)
            print(f"{name}: {raw:,} bytes, gzip {packed:,} bytes ({', '.join(p.name for p in paths)})")
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=tmp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for profile_name, profile in (("phone", PHONE), ("pc", PC)):
                for name in ("decap", "sveltia"):
                    times = [measure(browser, base, name, profile) for _ in range(args.runs)]
                    print(f"{profile_name} {name}: median {statistics.median(times):.2f} s "
                          f"(min {min(times):.2f}, max {max(times):.2f}, {args.runs} runs)")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
