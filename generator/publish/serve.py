"""Preview with live reload (``python -m generator serve``): one process, no child processes.

* A thread watches plan.yaml, plans/, content/ and mkdocs.yml (polling: works on any disk, also
  shared or mounted folders where change notifications do not arrive).
* On a change it loads and checks everything again (event files whose bytes did not change are not
  read again: ``load_site(cache=)``), renders every page (event pages whose record did not change are
  not rendered again: ``render_docs(cache=)``) and hands the HTML builder only the pages whose text
  changed (``mkdocs_preview.MkDocsPreview``, the only part that knows MkDocs).
* A small HTTP server of our own serves the built folder (build/preview/), adds a live-reload script
  to every HTML page, and makes the calendar and feed files when someone asks for them.
* While content has errors, every page is replaced by a page listing them (the lines ``check``
  prints, file:line first); when they are fixed the browser goes back to the page by itself.
* Ctrl-C or SIGTERM closes the port and ends the process; it started nothing else.

Why this design and not ``mkdocs serve`` (which rebuilt the whole site on each change, as a child
process): see ``mkdocs_preview.py`` and BENCHMARKS.md ("serve").
"""

from __future__ import annotations

import gc
import mimetypes
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from time import perf_counter
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from generator.model.errors import ContentError, Problem, errors_of, format_summary
from generator.publish.build import BuildError, Docs, check_links, direct_paths, prepare_builder, render_direct, render_docs
from generator.reading.load import load_site
from generator.reading.site import Site
from generator.render.page_cache import PageCache
from generator.render.pages import render_footer
from generator.render.templating import DOCUMENT_ENV, macro, render_document

if TYPE_CHECKING:
    from generator.publish.mkdocs_preview import MkDocsPreview

PREVIEW = Path("build") / "preview"  # the folder served (git-ignored, like the rest of build/)
WATCHED = ("plan.yaml", "plans", "content", "mkdocs.yml")
WAIT = "/__serve__/wait"  # the live-reload script asks here whether anything changed
WAIT_SECONDS = 20.0
SETTLE = 0.05  # seconds without a change before building: editors may save in steps
SAFETY = 2.0  # with change notices, compare the files at least this often anyway
TYPES = {
    ".ics": "text/calendar",
    ".xml": "application/xml",
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
}


Snapshot = dict[str, tuple[int, int]]  # what _snapshot finds


def _snapshot(root: Path) -> Snapshot:
    """Every watched file: relative path -> (modification time in ns, size)."""
    found: Snapshot = {}

    def walk(folder: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):  # editors' swap and lock files; the loader skips them too
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path)
                elif entry.is_file():
                    info = entry.stat()
                    found[os.path.relpath(entry.path, root)] = (info.st_mtime_ns, info.st_size)
            except OSError:  # removed while we looked
                continue

    for name in WATCHED:
        path = root / name
        if path.is_dir():
            walk(str(path))
        elif path.is_file():
            info = path.stat()
            found[name] = (info.st_mtime_ns, info.st_size)
    return found


RELOAD_JS = "/__serve__/reload.js"
# The live-reload script is a file, not inline: built pages declare a Content Security Policy that runs
# scripts from the site's own origin only, and the preview keeps it, so a page that works here works
# when published. The page's version travels in a data attribute, which the policy does not govern.
RELOAD_SOURCE = """/* yse serve: reload this page when the preview changes (python -m generator serve) */
(function () {
  var script = document.currentScript;
  var version = script.dataset.version;
  var address = script.dataset.wait;
  function wait() {
    fetch(address + "?version=" + encodeURIComponent(version), {cache: "no-store"})
      .then(function (response) { return response.text(); })
      .then(function (now) { if (now !== version) { location.reload(); } else { wait(); } },
            function () { setTimeout(wait, 1000); });
  }
  wait();
})();
"""


def reload_tag(version: str) -> str:
    """The live-reload script element (``_serve.j2``), a line of its own, as text to put into a built page."""
    return str(macro("_serve.j2", "reload_script", DOCUMENT_ENV)(RELOAD_JS, version, WAIT))


def status_page(title: str, paragraphs: list[str], sections: list[tuple[str, str, list[str]]], version: str) -> str:
    """A plain page of our own (serve.html.j2; it must not depend on the site being built): a heading,
    paragraphs, then sections of lines, each with its heading (``(heading, css class, lines)``)."""
    return render_document(
        "serve.html.j2", title=title, paragraphs=paragraphs, sections=sections, src=RELOAD_JS, version=version, wait=WAIT
    )


class Preview:
    """One preview: the last good build, or the problems to show instead, and a version number
    that changes whenever what a browser would show changes."""

    def __init__(
        self, root: Path, today: date, *, recorded_until: date | None = None, site_dir: Path | None = None, builder_factory=None
    ) -> None:
        self.root, self.today, self.recorded_until = root.resolve(), today, recorded_until
        self.site_dir = site_dir or self.root / PREVIEW
        self.builder_factory = builder_factory or _mkdocs_builder
        self.builder: MkDocsPreview | None = None
        self.load_cache: dict = {}
        self.render_cache = PageCache()
        self.docs: Docs = {}  # what the builder has built
        self.footer = ""  # the footer's contact block the builder's theme holds (pages.render_footer)
        self.site: Site | None = None
        self.page: tuple[str, list[str], list[tuple[str, str, list[str]]]] | None = (
            "プレビューを準備しています",
            ["サイトを作っています。できあがると、このページは自動で切り替わります。"],
            [],
        )
        self._started = f"{time.time_ns():x}"
        self._count = 0
        self._changed = threading.Condition()
        self._direct: tuple[Site, dict[str, bytes]] | None = None
        self._direct_lock = threading.Lock()
        self._said: list[str] = []

    # -- building ----------------------------------------------------------------------------

    @property
    def version(self) -> str:
        return f"{self._started}-{self._count}"

    def _bump(self) -> None:
        with self._changed:
            self._count += 1
            self._changed.notify_all()

    def wait(self, version: str, timeout: float = WAIT_SECONDS) -> str:
        """The version, as soon as it differs from ``version`` (or after ``timeout`` seconds)."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != version, timeout)
            return self.version

    def restart_builder(self) -> None:
        """mkdocs.yml changed: the next rebuild starts the builder afresh and builds everything."""
        if self.builder is not None:
            self.builder.close()
        self.builder = None
        self.docs = {}

    def rebuild(self) -> bool:
        """Load, check and render everything, then build what changed. True if the pages are up to date."""
        start = perf_counter()
        rendered = self._render()
        if rendered is None:
            return False
        site, docs = rendered
        self._follow_footer(render_footer(site))
        changed = {
            path for path, content in docs.items() if self.docs.get(path) is not content and self.docs.get(path) != content
        }
        removed = self.docs.keys() - docs.keys()
        built = self._build(site, docs, changed, removed)
        if built is None:
            return False
        self.docs, self.site = docs, site
        self._say_warnings(site.warnings)
        self._announce(len(built) + len(removed), start)
        return True

    def _render(self) -> tuple[Site, Docs] | None:
        """The site loaded and checked, and its docs; None (and a page that says why) if that failed."""
        try:
            site = load_site(self.root, self.today, recorded_until=self.recorded_until, cache=self.load_cache)
            docs = render_docs(site, self.render_cache)
            check_links(site, docs, direct_paths(site))
        except ContentError as error:
            self._show_problems(error.problems)
            return None
        except Exception as error:  # noqa: BLE001 - a bug: say so in the browser, keep serving
            self._show_failure(
                "プレビューの内部エラー",
                ["内容を読むか描画するところで、プログラムが止まりました。開発者に知らせてください。"],
                traceback.format_exception_only(error),
            )
            traceback.print_exc()
            return None
        return site, docs

    def _follow_footer(self, footer: str) -> None:
        """A new contact block in every page's footer: build everything with the new theme partial."""
        if footer != self.footer:
            self.restart_builder()
            self.footer = footer

    def _build(self, site: Site, docs: Docs, changed: set[str], removed: set[str]) -> set[str] | None:
        """Hand the builder the pages that changed (all of them to a new builder): the paths built, or None
        (and a page with the builder's report) if it failed."""
        try:
            if self.builder is None:
                prepare_builder(self.root, self.footer)
                self.builder = self.builder_factory(self.root, self.site_dir)
                changed = set(docs)
            if changed or removed:
                for line in self.builder.update(docs, changed, [page.path for page in site.pages]):
                    print(line, file=sys.stderr)
        except BuildError as error:
            self.restart_builder()  # its state is unknown now: build everything next time
            self._show_failure(
                "サイトの組み立てに失敗しました",
                ["HTML の道具（MkDocs）がページを作れませんでした。下の報告を見て内容を直すか、開発者に知らせてください。"],
                str(error).splitlines(),
            )
            return None
        return changed

    def _announce(self, count: int, start: float) -> None:
        """Pages up to date: browsers reload if anything changed or a status page was shown."""
        shown_before = self.page is not None
        self.page = None
        if count or shown_before:
            self._bump()
            done = "表示できるようになりました" if shown_before else "更新しました"
            print(f"{done}（変わったページ {count}件、{perf_counter() - start:.2f}秒）", file=sys.stderr, flush=True)

    def _show_problems(self, problems: list[Problem]) -> None:
        lines = [problem.format() for problem in problems]
        if lines != self._said:
            print("\n".join(lines + [format_summary(problems)]), file=sys.stderr, flush=True)
            self._said = lines
        errors = errors_of(problems)
        others = [p for p in problems if p.severity != "error"]
        page = (
            "内容にエラーがあります",
            [
                "次のエラーを直して保存してください。直ると、このページは自動で元のページに戻ります。",
                "エラーがある間は、プレビューのどのページもこの表示になります（サイトの作成 build もエラーで止まります）。",
                f"{format_summary(problems)}。python -m generator check と同じ内容です。",
            ],
            [(f"エラー（{len(errors)}件）", "error", [p.format() for p in errors])]
            + ([(f"警告・お知らせ（{len(others)}件）", "warning", [p.format() for p in others])] if others else []),
        )
        self._show(page)

    def _show_failure(self, title: str, paragraphs: list[str], lines: list[str]) -> None:
        print("\n".join([title, *lines]), file=sys.stderr, flush=True)
        self._show((title, paragraphs, [("報告", "error", [line.rstrip() for line in lines if line.strip()])]))

    def _show(self, page) -> None:
        if page != self.page:
            self.page = page
            self._bump()

    def _say_warnings(self, warnings) -> None:
        lines = [problem.format() for problem in warnings]
        if lines != self._said:
            if lines:
                print("\n".join(lines), file=sys.stderr, flush=True)
            self._said = lines

    def close(self) -> None:
        if self.builder is not None:
            self.builder.close()

    # -- serving -----------------------------------------------------------------------------

    def respond(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for a request of ``path`` (already unquoted, no query)."""
        page = self.page
        if page is not None and _is_page(path):
            return 503, _html_headers(), status_page(*page, self.version).encode("utf-8")
        if path.startswith(("/ics/", "/feeds/")):
            data = self.direct_file(path[1:])
            if data is not None:
                return 200, _headers(path), data
        file = self._file(path)
        if isinstance(file, str):
            return 301, {"Location": file}, b""
        if file is None:
            missing = self.site_dir / "404.html"
            text = (
                missing.read_text(encoding="utf-8")
                if missing.is_file()
                else status_page("ページがありません", [f"{path} というページはありません。"], [], self.version)
            )
            return 404, _html_headers(), self._with_reload(text)
        if file.suffix == ".html":
            return 200, _html_headers(), self._with_reload(file.read_text(encoding="utf-8"))
        return 200, _headers(file.name), file.read_bytes()

    def _file(self, path: str) -> Path | str | None:
        """The built file for ``path``, a redirect (a folder without its ``/``) or None."""
        parts = [part for part in PurePosixPath(path).parts if part not in ("/", ".")]
        if ".." in parts or any("\\" in part or ":" in part for part in parts):
            return None
        file = self.site_dir.joinpath(*parts)
        if file.is_dir():
            if not path.endswith("/"):
                return path + "/" if (file / "index.html").is_file() else None
            file = file / "index.html"
        return file if file.is_file() else None

    def _with_reload(self, text: str) -> bytes:
        script = reload_tag(self.version)
        head, body_end, tail = text.rpartition("</body>")
        return (head + script + body_end + tail if body_end else text + script).encode("utf-8")

    def direct_file(self, path: str) -> bytes | None:
        """A calendar or feed file of the last good build, made when first asked for (they are not pages)."""
        with self._direct_lock:
            site = self.site
            if site is None:
                return None
            if self._direct is None or self._direct[0] is not site:
                self._direct = (site, render_direct(site))
            return self._direct[1].get(path)


def _mkdocs_builder(root: Path, site_dir: Path):
    from generator.publish.mkdocs_preview import MkDocsPreview

    return MkDocsPreview(root, site_dir)


def _is_page(path: str) -> bool:
    return path.endswith("/") or PurePosixPath(path).suffix in ("", ".html")


def _html_headers() -> dict[str, str]:
    return {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}


def _headers(name: str) -> dict[str, str]:
    suffix = PurePosixPath(name).suffix
    kind = TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/xml", "application/json"):
        kind += "; charset=utf-8"
    return {"Content-Type": kind, "Cache-Control": "no-cache"}


class _Handler(BaseHTTPRequestHandler):
    preview: Preview
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's names
        self._answer(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(head=True)

    def _answer(self, head: bool) -> None:
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path == WAIT:
            version = parse_qs(url.query).get("version", [""])[0]
            status, headers, body = (
                200,
                {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"},
                self.preview.wait(version).encode("utf-8"),
            )
        elif path == RELOAD_JS:
            status, headers, body = (
                200,
                {"Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache"},
                RELOAD_SOURCE.encode("utf-8"),
            )
        else:
            status, headers, body = self.preview.respond(path)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the terminal is for content problems
        pass


def make_server(preview: Preview, address: str) -> ThreadingHTTPServer:
    """The HTTP server on ``host:port`` (raises OSError if the port is taken)."""
    host, _, port = address.rpartition(":")
    handler = type("Handler", (_Handler,), {"preview": preview})
    server = ThreadingHTTPServer((host or "127.0.0.1", int(port)), handler)
    server.daemon_threads = True
    server.block_on_close = False  # closing does not wait for browsers waiting on WAIT
    return server


class _Notices:
    """Change notices from the operating system (inotify and the like, through watchdog, which MkDocs
    also uses), so that nothing is scanned while nothing changes: a scan of ten years of event files
    takes about 0.1 s, every 0.2 s that would keep half a core busy. ``None`` where unavailable."""

    KINDS = {"created", "deleted", "modified", "moved", "closed"}  # not "opened": loading reads every file

    def __init__(self, root: Path, wake: threading.Event) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                if event.event_type in _Notices.KINDS:
                    wake.set()

        self.root, self.handler, self.watched = root, Handler(), set[str]()
        self.observer = Observer()
        self.observer.daemon = True
        self.observer.schedule(self.handler, str(root), recursive=False)  # plan.yaml, mkdocs.yml, new folders
        self.follow()
        self.observer.start()

    def follow(self) -> None:
        """Watch each watched folder (once it exists) with everything in it."""
        for name in WATCHED:
            folder = self.root / name
            if folder.is_dir() and name not in self.watched:
                self.observer.schedule(self.handler, str(folder), recursive=True)
                self.watched.add(name)

    def stop(self) -> None:
        self.observer.stop()


def _notices(root: Path, wake: threading.Event) -> _Notices | None:
    try:
        return _Notices(root, wake)
    except Exception:  # noqa: BLE001 - no watchdog, no inotify, too many watches: poll instead
        return None


def watch(preview: Preview, stop: threading.Event, interval: float = 0.25, *, notices: bool = True, freeze: bool = False) -> None:
    """Build once, then rebuild after each change to the watched files (a change made while building
    is seen afterwards). With change notices the files are compared after a notice (and every
    ``SAFETY`` seconds), without them every ``interval`` seconds. Either way it waits until the
    files stop changing for a moment: an editor may save in more than one step. ``freeze`` (the
    serve process): the first build's objects, which live as long as the preview, are left out of
    garbage collection (a full collection over them took 0.35 s at ten years of events)."""
    wake = threading.Event()
    notifier = _notices(preview.root, wake) if notices else None
    seen = _snapshot(preview.root)
    preview.rebuild()
    if freeze:
        gc.freeze()
    compared = time.monotonic()
    try:
        while not stop.is_set():
            if notifier is not None:
                now, compared = _after_notice(preview.root, notifier, wake, stop, interval, compared)
            else:
                now = _after_polling(preview.root, stop, interval, seen)
            if now is None or now == seen or stop.is_set():
                continue
            if now.get("mkdocs.yml") != seen.get("mkdocs.yml"):
                preview.restart_builder()
            seen = now
            preview.rebuild()
    finally:
        if notifier is not None:
            notifier.stop()


def _after_notice(
    root: Path, notifier: _Notices, wake: threading.Event, stop: threading.Event, interval: float, compared: float
) -> tuple[Snapshot | None, float]:
    """The watched files once a notice came and they were quiet for a moment (or ``SAFETY`` seconds
    after they were ``compared`` last), and when that was; None if it is not time to compare yet."""
    if not wake.wait(interval) and time.monotonic() - compared < SAFETY:
        return None, compared
    while wake.is_set() and not stop.is_set():  # quiet for a moment
        wake.clear()
        time.sleep(SETTLE)
    compared = time.monotonic()
    notifier.follow()
    return _snapshot(root), compared


def _after_polling(root: Path, stop: threading.Event, interval: float, seen: Snapshot) -> Snapshot | None:
    """The watched files ``interval`` seconds on (if they differ from ``seen``, once they stopped changing
    for a moment); None if asked to stop meanwhile."""
    if stop.wait(interval):
        return None
    now = _snapshot(root)
    while now != seen and not stop.wait(SETTLE):
        again = _snapshot(root)
        if again == now:
            break
        now = again
    return now


@contextmanager
def in_background(
    preview: Preview, address: str = "127.0.0.1:0", *, interval: float = 0.05, notices: bool = True
) -> Iterator[str]:
    """The watcher and the HTTP server on threads of this process, for tests and measurements:
    yields the base URL, and on leaving stops both and closes the preview."""
    server = make_server(preview, address)
    stop = threading.Event()
    threads = [
        threading.Thread(target=watch, args=(preview, stop, interval), kwargs={"notices": notices}, daemon=True),
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": interval}, daemon=True),
    ]
    for thread in threads:
        thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        for thread in threads:
            thread.join(timeout=10)
        preview.close()


def _stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(root: Path, today: date, address: str, *, recorded_until: date | None = None) -> int:
    preview = Preview(root, today, recorded_until=recorded_until)
    try:
        server = make_server(preview, address)
    except OSError as error:
        print(
            f"{address} で待ち受けられません（{error.strerror or error}）。ほかのプレビューが動いていないか確かめるか、"
            f"--dev-addr 127.0.0.1:8001 のように別の番号を指定してください",
            file=sys.stderr,
        )
        return 1
    host, port = server.socket.getsockname()[:2]  # server_address, typed as maybe bytes (a Unix socket's)
    print(f"プレビュー: http://{host}:{port}/ （保存すると自動で更新します。終わるときは Ctrl-C）", file=sys.stderr, flush=True)
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(preview, stop), kwargs={"freeze": True}, name="serve-watch", daemon=True)
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm) if threading.current_thread() is threading.main_thread() else None
    try:
        watcher.start()
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()  # the port is free from here
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        watcher.join(timeout=5)
        preview.close()
        print("プレビューを終了しました", file=sys.stderr, flush=True)
    return 0
