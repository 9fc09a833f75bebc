"""make serve: a preview staff can rely on (issue 13).

* it starts on a fresh copy of the repository and serves pages over HTTP;
* a change rebuilds only the pages it affects, and the pages are those ``build`` makes;
* new events and new hand-written pages appear without a restart;
* while content has errors every page shows them (the lines ``check`` prints) and recovers by itself;
* Ctrl-C or SIGTERM stops everything it started and frees the port.

How fast a change shows is measured by ``make bench`` (tests/bench/bench.py, BENCHMARKS.md), not here.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, make_root
from generator.publish.build import BuildError
from generator.cli import main
from generator.model.errors import ContentError
from generator.reading.load import load_site
from generator.publish.mkdocs_preview import MkDocsPreview
from generator.publish.serve import WAIT, Preview, in_background

TODAY = date(2025, 6, 1)
NEW_EVENT = "title: 新しい催し\nprogram: soudan\ndate: 2025-06-14\nvenue: 研修室\ndescription: 新しく足した催しです。\n"
FREE_PAGE = "---\ntitle: 自由なページ\ndescription: 手書きのページです。\n---\n\n# 自由なページ\n\n[施設案内](../facility/)\n"


def wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 10.0) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""


def text_of(preview: Preview, path: str) -> tuple[int, str]:
    status, _, body = preview.respond(path)
    return status, body.decode("utf-8")


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


class Recording(MkDocsPreview):
    """The MkDocs builder, remembering which paths each update was given."""

    def __init__(self, root, site_dir):
        super().__init__(root, site_dir)
        self.updates: list[set[str]] = []

    def update(self, docs, changed, hand_written):
        self.updates.append(set(changed))
        return super().update(docs, changed, hand_written)


@pytest.fixture
def events_root(tmp_path):
    return make_root(tmp_path, "events")


@pytest.fixture
def preview(events_root):
    built = Preview(events_root, TODAY, builder_factory=Recording)
    assert built.rebuild()
    yield built
    built.close()


def files_under(folder: Path) -> dict[str, bytes]:
    return {f.relative_to(folder).as_posix(): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()}


# --------------------------------------------------------------------------- serving and rebuilding


def test_every_page_is_served_with_live_reload_and_calendars_and_feeds_on_request(preview):
    status, home = text_of(preview, "/")
    assert status == 200 and "<title>横浜市社会教育コーナー</title>" in home and "テスト施設" in home
    assert f'data-version="{preview.version}"' in home and WAIT in home  # the live-reload script
    assert home.index(WAIT) < home.rindex("</body>")
    status, page = text_of(preview, "/events/oyako-05/")
    assert status == 200 and "親子の広場 5月" in page
    assert preview.respond("/events/oyako-05") == (301, {"Location": "/events/oyako-05/"}, b"")
    status, headers, css = preview.respond("/assets/site.css")
    assert status == 200 and headers["Content-Type"] == "text/css; charset=utf-8" and css
    status, headers, ics = preview.respond("/ics/all.ics")
    assert status == 200 and headers["Content-Type"].startswith("text/calendar") and b"BEGIN:VCALENDAR" in ics
    assert preview.respond("/feeds/rss.xml")[0] == 200
    status, missing = text_of(preview, "/no-such-page/")
    assert status == 404 and WAIT in missing
    assert preview.respond("/../plan.yaml")[0] == 404


def test_an_edit_rebuilds_only_the_pages_it_changes(preview, events_root):
    site = preview.site_dir
    untouched = site / "events" / "tosho" / "index.html"
    before = untouched.stat().st_mtime_ns
    version = preview.version
    edit(events_root / "content/events/2025/oyako-05.yaml", "title: 親子の広場 5月", "title: 親子の広場 五月")
    assert preview.rebuild()
    changed = preview.builder.updates[-1]
    assert "events/oyako-05.md" in changed and "events/tosho.md" not in changed
    assert len(changed) < len(preview.docs) / 3, sorted(changed)
    assert untouched.stat().st_mtime_ns == before
    assert "親子の広場 五月" in text_of(preview, "/events/oyako-05/")[1]
    assert preview.version != version
    version = preview.version
    assert preview.rebuild() and preview.version == version  # nothing changed: no rebuild, no reload
    assert len(preview.builder.updates) == 2


def test_a_new_phone_number_reaches_the_footer_of_every_page(preview, events_root):
    """The footer's contact block is part of the theme (pages.render_footer): a change to it builds everything."""
    assert "tel:" not in text_of(preview, "/events/tosho/")[1]
    edit(events_root / "plan.yaml", "  address: 横浜市磯子区磯子1-1-1\n", '  address: 横浜市磯子区磯子1-1-1\n  phone: "045-000-0000"\n')
    assert preview.rebuild()
    for path in ("/", "/events/tosho/", "/facility/", "/404.html"):
        assert '電話 <a href="tel:0450000000" class="nowrap">045-000-0000</a>' in text_of(preview, path)[1], path


def test_pages_updated_one_by_one_are_those_of_a_full_build_and_of_build(preview, events_root, tmp_path):
    events = events_root / "content/events/2025"
    steps = [
        lambda: edit(events / "oyako-05.yaml", "title: 親子の広場 5月", "title: 親子の広場 五月"),
        lambda: (events / "new-one.yaml").write_text(NEW_EVENT, encoding="utf-8"),
        lambda: (events_root / "content/pages").mkdir(parents=True),
        lambda: (events_root / "content/pages/free.md").write_text(FREE_PAGE, encoding="utf-8"),
        lambda: (events / "tosho.yaml").unlink(),
        lambda: edit(events_root / "content/pages/free.md", "title: 自由なページ", "title: 自由なページ（改）"),
        lambda: edit(events_root / "plan.yaml", "name: 相談", "name: 相談・コーディネート"),
    ]
    for step in steps:
        step()
        assert preview.rebuild()
    assert text_of(preview, "/events/new-one/")[0] == 200 and text_of(preview, "/free/")[0] == 200
    assert text_of(preview, "/events/tosho/")[0] == 404 and not (preview.site_dir / "events" / "tosho").exists()
    fresh = Preview(events_root, TODAY, site_dir=tmp_path / "fresh")
    assert fresh.rebuild()
    assert files_under(preview.site_dir) == files_under(fresh.site_dir)
    # and the HTML is what `python -m generator build` publishes (sitemap dates and search aside)
    assert main(["build", "--root", str(events_root), "--today", TODAY.isoformat(), "--out", str(tmp_path / "site")]) == 0
    built = {path: data for path, data in files_under(tmp_path / "site").items()
             if path.endswith(".html") and not path.startswith("admin/")}  # the browser editor: build only (generator/outputs/admin.py)
    served = {path: data for path, data in files_under(preview.site_dir).items() if path.endswith(".html")}
    assert served.keys() == built.keys()
    assert [path for path in built if built[path] != served[path]] == []


def test_unchanged_files_are_not_read_again_but_what_they_are_checked_against_is(events_root):
    cache: dict = {}
    first = {r.id: r for r in load_site(events_root, TODAY, cache=cache).events}
    edit(events_root / "content/events/2025/oyako-05.yaml", "title: 親子の広場 5月", "title: 親子の広場 五月")
    second = {r.id: r for r in load_site(events_root, TODAY, cache=cache).events}
    assert second["tosho"] is first["tosho"] and second["oyako-05"] is not first["oyako-05"]
    assert second["oyako-05"].item.title.startswith("親子の広場 五月")
    # an event whose image is missing is an error until the image is added, though its own file stays the same
    edit(events_root / "content/events/2025/tosho.yaml", "venue:", "image: {src: map.png, alt: 会場の地図}\nvenue:")
    with pytest.raises(ContentError, match="画像 'map.png' が content/images/ にありません"):
        load_site(events_root, TODAY, cache=cache)
    (events_root / "content/images").mkdir()
    (events_root / "content/images/map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert load_site(events_root, TODAY, cache=cache).events
    # and a plan change checks every event again
    edit(events_root / "plan.yaml", "rooms: [研修室, アートルーム]", "rooms: [アートルーム]")
    with pytest.raises(ContentError, match="会場 '研修室' はコーナーの部屋にありません"):
        load_site(events_root, TODAY, cache=cache)


@pytest.mark.parametrize("notices", [True, False], ids=["change-notices", "polling"])
def test_new_events_and_new_pages_appear_without_a_restart(events_root, notices):
    """The real thing: the watcher thread and the HTTP server, as `serve` runs them (with the
    operating system's change notices, and polling where there are none)."""
    with serving(events_root, notices) as (preview, base):
        assert fetch(base + "/events/new-one/")[0] == 404
        (events_root / "content/events/2025/new-one.yaml").write_text(NEW_EVENT, encoding="utf-8")
        assert wait_for(lambda: fetch(base + "/events/new-one/")[0] == 200)
        assert "新しい催し" in fetch(base + "/events/")[1]
        (events_root / "content/pages").mkdir(parents=True)
        (events_root / "content/pages/free.md").write_text(FREE_PAGE, encoding="utf-8")
        assert wait_for(lambda: fetch(base + "/free/")[0] == 200)
        assert "自由なページ" in fetch(base + "/free/")[1]


def test_the_reload_script_learns_of_a_change_as_soon_as_it_is_built(events_root):
    with serving(events_root) as (preview, base):
        version = preview.version
        assert fetch(f"{base}{WAIT}?version=old-version")[1] == version  # a page from before: reload at once
        answer: list[str] = []
        waiter = threading.Thread(target=lambda: answer.append(fetch(f"{base}{WAIT}?version={version}", 30)[1]))
        waiter.start()
        time.sleep(0.3)
        assert not answer  # nothing changed: the request waits
        edit(events_root / "content/events/2025/oyako-05.yaml", "title: 親子の広場 5月", "title: 親子の広場 五月")
        waiter.join(timeout=30)
        assert answer and answer[0] == preview.version != version
        assert "親子の広場 五月" in fetch(base + "/events/oyako-05/")[1]


# --------------------------------------------------------------------------- errors in the browser


def check_lines(root: Path, capsys) -> list[str]:
    assert main(["check", "--root", str(root), "--today", TODAY.isoformat()]) == 1
    return capsys.readouterr().err.splitlines()


def test_errors_replace_every_page_with_the_lines_check_prints_until_fixed(preview, events_root, capsys):
    event = events_root / "content/events/2025/oyako-05.yaml"
    edit(event, "date: 2025-05-10", "date: 2025-05-32")
    capsys.readouterr()
    assert not preview.rebuild()
    printed = capsys.readouterr().err.splitlines()
    lines = check_lines(events_root, capsys)
    assert lines[0].startswith("content/events/2025/oyako-05.yaml:3:7: ") and lines[-1] == "エラー 1件（1ファイル）"
    assert printed == lines  # the terminal says what check says
    for path in ("/", "/events/oyako-05/", "/events/tosho/", "/no-such-page/", "/calendar/2025-06/index.html"):
        status, page = text_of(preview, path)
        assert status == 503, path
        shown = [html.unescape(line) for line in re.findall(r"<li[^>]*><code>(.*?)</code></li>", page)]
        assert shown == [line for line in lines[:-1]], path
        assert lines[-1] in page
        assert '<html lang="ja">' in page and "<h1>内容にエラーがあります</h1>" in page
        assert "<h2>エラー（1件）</h2>" in page  # said in words, not only by colour
        assert f'data-version="{preview.version}"' in page  # it reloads itself when fixed
    assert preview.respond("/assets/site.css")[0] == 200  # the rest still loads
    broken = preview.version
    edit(event, "date: 2025-05-32", "date: 2025-05-10")
    edit(event, "title: 親子の広場 5月", "title: 親子の広場 五月")
    assert preview.rebuild()
    assert preview.version != broken
    status, page = text_of(preview, "/events/oyako-05/")
    assert status == 200 and "親子の広場 五月" in page


def test_a_preview_started_with_errors_shows_them_then_builds_when_fixed(events_root, capsys):
    plan = events_root / "plan.yaml"
    edit(plan, "target: 10", "target: 0")
    preview = Preview(events_root, TODAY)
    assert not preview.rebuild()
    status, page = text_of(preview, "/")
    assert status == 503 and "目標回数は 1 以上の整数か「随時」にしてください" in page
    assert not (events_root / "build").exists()  # nothing written while content is wrong
    edit(plan, "target: 0", "target: 10")
    assert preview.rebuild() and text_of(preview, "/")[0] == 200


def test_a_builder_failure_is_shown_and_the_next_change_builds_everything(events_root):
    class Failing(Recording):
        fail = True

        def update(self, docs, changed, hand_written):
            if Failing.fail:
                Failing.fail = False
                raise BuildError("MkDocs（HTML の道具）が次のように報告しました:\nERROR: テンプレートが壊れています")
            return super().update(docs, changed, hand_written)

    preview = Preview(events_root, TODAY, builder_factory=Failing)
    assert not preview.rebuild()
    status, page = text_of(preview, "/")
    assert status == 503 and "<h1>サイトの組み立てに失敗しました</h1>" in page and "テンプレートが壊れています" in page
    assert preview.rebuild()
    assert preview.builder.updates[-1] == set(preview.docs) and text_of(preview, "/")[0] == 200


# --------------------------------------------------------------------------- starting and stopping


@contextmanager
def serving(root: Path, notices: bool = True):
    """`serve` in this process: the watcher thread (polling every 50 ms without notices) and the HTTP server."""
    preview = Preview(root, TODAY)
    with in_background(preview, notices=notices) as base:
        assert wait_for(lambda: fetch(base + "/")[0] == 200, 60)
        yield preview, base


def start_serve(root: Path, port: int, cwd: Path = ROOT, today: str | None = TODAY.isoformat()) -> subprocess.Popen:
    command = [sys.executable, "-m", "generator", "serve", "--root", str(root), "--dev-addr", f"127.0.0.1:{port}"]
    command += ["--today", today] if today else []
    # A run started in the background by a shell (`make test &`) ignores SIGINT, and a child would inherit that:
    # serve is started as from a terminal, where Ctrl-C reaches it. PYTHONFAULTHANDLER: a serve that does not
    # stop is sent SIGABRT (``stop``) and writes where each thread was.
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True, env={**os.environ, "PYTHONFAULTHANDLER": "1"})
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def children_of(pid: int) -> list[int]:
    """Every process started by ``pid``, and theirs (from /proc)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        kids = [child for child, of in parents.items() if of == parent]
        found += kids
        todo += kids
    return found


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def stop(process: subprocess.Popen, how: int) -> tuple[int, str]:
    try:
        signals = [line for line in Path(f"/proc/{process.pid}/status").read_text().splitlines() if line.startswith("Sig")]
        os.kill(process.pid, how)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGABRT)  # the threads' tracebacks (faulthandler) into the output
            output, _ = process.communicate(timeout=30)
            raise AssertionError(f"serve did not stop within 30 s of signal {how} ({signals}):\n{output[-6000:]}") from None
        return process.returncode, output
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to list child processes")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_stopping_serve_ends_everything_it_started_and_frees_the_port(tmp_path, how):
    root = make_root(tmp_path, "events")
    port = free_port()
    process = start_serve(root, port)
    try:
        assert wait_for(lambda: fetch(f"http://127.0.0.1:{port}/")[0] == 200, 120), process.stdout
        assert fetch(f"http://127.0.0.1:{port}/events/oyako-05/")[0] == 200
        started = children_of(process.pid)
    finally:
        code, output = stop(process, how)
    assert code == 0, output
    assert "プレビューを終了しました" in output
    assert started == [] or not [pid for pid in started if Path(f"/proc/{pid}").exists()]
    assert port_is_free(port)


def test_a_taken_port_is_said_in_japanese(tmp_path):
    root = make_root(tmp_path, "events")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start_serve(root, port)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 1
    assert f"127.0.0.1:{port} で待ち受けられません" in output and "--dev-addr" in output


@pytest.mark.live  # a copy of the whole repository, its live content included
def test_serve_starts_from_a_fresh_copy_of_the_repository(tmp_path):
    """A copy of this checkout without build/, site/ or anything made by a run: the first thing a
    new member of staff does after `git clone` is `make serve`. The repository's own content."""
    copy = tmp_path / "clone"
    made = shutil.ignore_patterns(".git", ".venv", ".uv", ".mypy_cache", ".ruff_cache", "node_modules", "build", "site", "out", "__pycache__", ".pytest_cache")
    shutil.copytree(ROOT, copy, ignore=made, symlinks=True)
    assert not (copy / "build").exists() and not (copy / "site").exists()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_serve(Path("."), port, cwd=copy)
    try:
        assert wait_for(lambda: fetch(base + "/")[0] == 200, 180), "serve did not answer"
        for path in ("/", "/events/", "/calendar/", "/programs/", "/facility/", "/staff/", "/assets/site.css", "/ics/all.ics"):
            status, text = fetch(base + path)
            assert status == 200, (path, text[:500])
        assert "横浜市社会教育コーナー" in fetch(base + "/")[1]
    finally:
        code, output = stop(process, signal.SIGTERM)
    assert code == 0, output
    assert port_is_free(port)
