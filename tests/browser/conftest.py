"""Browser test harness: build the real site once, serve it locally, drive Debian's Chromium.

Fixtures for browser tests (every test under tests/browser gets the ``browser`` marker):

* ``built_site`` - the fixture site (tests/fixtures/site) copied to a temporary folder and built
  once per run (``--root`` that copy, ``--today`` ``TODAY``; pytest-xdist workers share one build,
  ``conftest.shared_folder``): never the repository's own plan.yaml and content/, which staff
  change, and never into its ``site/``;
* ``server`` - base URL (``http://127.0.0.1:PORT``) of that folder served by ``http.server``;
* ``browser`` - a Playwright Chromium browser (``/usr/bin/chromium``). Skipped when Chromium
  is missing, but a failure when ``CI=true``;
* ``page_at`` - ``page_at("/programs/", 360)`` opens a page at a viewport width, in a tab borrowed from
  the worker's pool and given back cleaned (``_Tab``: storage, cookies and media emulation). Requests to any
  host other than 127.0.0.1/localhost fail (the browser resolves no other name: ``ONLY_LOCAL_HOSTS``) and are
  recorded in ``page_at.external``
  (``page_at.external_for(page)`` for one page). A Content Security Policy violation on any page it
  opened fails the test (``securitypolicyviolation`` events and the console), after loading and at the end;
* ``axe_violations`` - ``axe_violations(page)`` runs axe-core (WCAG 2.0/2.1/2.2 A+AA) and returns
  one readable line per failing element; ``[]`` means no violations;
* ``page_checks`` - ``page_checks("home", 360)`` is the ``browser.page_checks.PageReport`` of that
  page of tests/browser/pages.py at that width: opened once per worker, every read-only check run on
  it (axe, language and h1, the Tab walk, wider text spacing), shared by the tests that assert on it.
  Its tests take ``key`` and ``width`` parameters and go to one pytest-xdist worker per (key, width).

``BROWSER_TEST_ROOT=/some/site/root`` builds another site root instead (for trying the harness
on other content); the default is a copy of the fixture site.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
import time
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from browser.page_checks import PageReport, check_page
from browser.pages import AXE_RESULTS, PAGES, RUN_INFO, WIDTHS
from conftest import make_root, shared_folder
from generator.render.pages import A11Y_LEVEL, A11Y_STANDARD

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2025-12-01"  # every page of tests/browser/pages.py is published by then (publish dates)
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
# The test browser reaches no host but these: Chromium's resolver answers "not found" for every other name and
# address, so nothing leaves the machine, and the tabs record what was asked (``_Tab``). Blocking there rather
# than with Playwright's ``route`` keeps the browser's HTTP and compiled-script caches (routing turns them off)
# and every request off the interception round trip: about 0.15 CPU s a page (BENCHMARKS.md, issue 19).
ONLY_LOCAL_HOSTS = "--host-resolver-rules=MAP * ~NOTFOUND, " + ", ".join(f"EXCLUDE {host}" for host in sorted(LOCAL_HOSTS))
VIEWPORT_HEIGHT = {1280: 800, 360: 740, 640: 400}  # desktop, a typical Android phone, 1280x800 at 200%
QUIET = 0.25  # seconds without a request under way: the page has finished loading (PageOpener)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BROWSER_DIR = Path(__file__).resolve().parent


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real browser (Chromium) against the built site")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's hook reads the xdist_group marks (tests/conftest.py)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
        if "page_checks" in getattr(item, "fixturenames", ()):
            # The tests of one (page, width) share its report: one worker, so it is opened once.
            params = item.callspec.params
            item.add_marker(pytest.mark.xdist_group(f"page-checks:{params['key']}:{params['width']}"))


CHECKS = [
    "axe-core による自動試験（WCAG 2.0・2.1・2.2 のレベル A・AA の達成基準）を、画面の幅 1280px と 360px で",
    "キーボードだけで操作できること（本文へ移動、メニュー、検索、検索結果から講座・イベントのページまで）",
    "フォーカスの位置が見え、固定表示のヘッダーに隠れないこと",
    "幅 320px（400% 拡大に相当）で横スクロールが出ないこと、200% 拡大で内容が欠けないこと",
    "文字の間隔・行間・段落の間隔を広げても文字が欠けないこと（WCAG 1.4.12）",
    "他のサイトへの通信がないこと（外部のフォント・解析ツールを使わない）",
]


def pytest_sessionfinish(session, exitstatus):
    """``--record-a11y``: after a run where every page passed at every width, write content/accessibility.yaml."""
    if not session.config.getoption("--record-a11y", default=False):
        return
    wanted = {(key, width) for key in PAGES for width in WIDTHS}
    missing = sorted(wanted - AXE_RESULTS.keys())
    if exitstatus != 0 or missing or any(AXE_RESULTS.values()):
        print(f"\ncontent/accessibility.yaml は書き直しません（失敗または未実行: {missing[:5]}）", file=sys.stderr)
        return
    write_record(ROOT / "content" / "accessibility.yaml", date.today())


def write_record(file: Path, tested: date) -> None:
    import yaml

    record = {
        "tested": tested.isoformat(),
        "standard": A11Y_STANDARD,
        "level": A11Y_LEVEL,
        "tools": [f"axe-core {RUN_INFO.get('axe', '?')}（自動試験）",
                  f"Chromium {RUN_INFO.get('chromium', '?')}（Playwright で操作）"],
        "checks": CHECKS,
        "pages": [{"kind": name, "path": path, "widths": list(WIDTHS),
                   "violations": max(AXE_RESULTS[(key, w)] for w in WIDTHS)} for key, (name, path) in PAGES.items()],
    }
    header = ("# ウェブアクセシビリティの試験記録。make a11y-record（ブラウザテスト）が書き直します。手で編集しないでください。\n"
              "# 試験するページは tests/browser/pages.py、方針の文章は generator/templates/accessibility.md.j2 にあります。\n")
    body = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=200, default_flow_style=None)
    file.write_text(header + body, encoding="utf-8")
    print(f"\n{file} を書き直しました（{len(PAGES)}ページ × {len(WIDTHS)}幅、違反なし）", file=sys.stderr)


def _unavailable(reason: str) -> None:
    """Skip locally; in CI (CI=true) a missing browser is an error, not a silent pass."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI=true では失敗扱いです / fails because CI=true", pytrace=False)
    pytest.skip(f"{reason}: ブラウザテストを省略します / browser tests skipped")


# --------------------------------------------------------------------------- site and server


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """Built once per run: with pytest-xdist the first worker builds, the others wait and share it (read-only)."""
    def make(folder: Path) -> None:
        if os.environ.get("BROWSER_TEST_ROOT"):
            root = Path(os.environ["BROWSER_TEST_ROOT"]).resolve()
        else:
            root = make_root(folder, "site")
        out = folder / "out"
        command = [sys.executable, "-m", "generator", "build", "--root", str(root), "--today", TODAY, "--out", str(out)]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            pytest.fail(
                f"サイトを作れませんでした / site build failed (exit {result.returncode}):\n"
                f"{' '.join(command)}\n{result.stdout}\n{result.stderr}",
                pytrace=False,
            )

    return shared_folder(tmp_path_factory, "browser-site", make) / "out"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@pytest.fixture(scope="session")
def server(built_site):
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------- browser and pages


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"Chromium ({CHROMIUM}) がありません（sudo apt-get install chromium） / Chromium not found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright が入っていません（make test で .venv を作り直してください） / playwright not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, ONLY_LOCAL_HOSTS])
        RUN_INFO["chromium"] = chromium.version
        try:
            yield chromium
        finally:
            chromium.close()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


# Every Content Security Policy violation a page reports (theme/main.html has the policy): the event
# for the document, the console for what the event does not reach (workers, the policy itself).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + (event.sourceFile || "the page") + ":" + event.lineNumber + " " + (event.sample || ""));
});
"""


TabKey = tuple[int, str, bool, bool]  # viewport width, time zone, JavaScript on, clock installed


class _Tab:
    """A browser page kept open through the worker's run and lent to one test at a time (``PageOpener``, ``visit``).

    Each fresh context started a renderer process: about 1 CPU second of Chromium's per page opened,
    against about 0.3 for a navigation in a page already open (BENCHMARKS.md, issue 19). A tab goes back
    to the pool only from a page of the served site: its cookies, local and session storage are cleared
    and the CSS media emulation undone, and the next page is a new document (``goto``: scripts, styles,
    focus and scroll start afresh). Requests to other hosts (which fail) and policy messages are recorded for its current owner."""

    def __init__(self, browser, key: TabKey):
        width, timezone, js, clock = self.key = key
        self.owner: PageOpener | None = None
        self.path = ""
        self.context = browser.new_context(
            viewport={"width": width, "height": VIEWPORT_HEIGHT.get(width, 800)},
            locale="ja-JP",
            timezone_id=timezone,
            java_script_enabled=js,
            service_workers="block",
        )
        if clock:  # Playwright's clock; each page sets its time (``borrow_tab``)
            self.context.clock.install(time="2025-01-01T00:00:00+09:00")
        self.context.on("request", self._record_other_host)  # the browser fails them itself (ONLY_LOCAL_HOSTS)
        self.context.add_init_script(CSP_LISTENER)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.loading: set[object] = set()  # requests under way
        self.moved = time.monotonic()  # when one last started or ended
        self.page.on("request", self._started)
        self.page.on("requestfinished", self._ended)
        self.page.on("requestfailed", self._ended)

    def _started(self, request) -> None:
        self.loading.add(request)
        self.moved = time.monotonic()

    def _ended(self, request) -> None:
        self.loading.discard(request)
        self.moved = time.monotonic()

    def settle(self, quiet: float = QUIET, limit: float = 15.0) -> None:
        """Until no request has been under way for ``quiet`` seconds (Playwright's ``networkidle`` waits
        500 ms whatever the page does), so that late requests (search index, worker) are checked too."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if not self.loading and time.monotonic() - self.moved >= quiet:
                return
            self.page.wait_for_timeout(25)  # lets Playwright deliver the request events meanwhile

    def _record_other_host(self, request) -> None:
        if self.owner is not None and not is_local(request.url):
            self.owner.external.append((self.path, request.url))

    def _console(self, message) -> None:
        if self.owner is not None and "Content Security Policy" in message.text:
            self.owner._console.append((self.path, message.text))

    def goto(self, url: str):
        """Load ``url`` as a new document, also when the page now open differs from it only in its #fragment."""
        if urldefrag(self.page.url)[0] == urldefrag(url)[0]:
            self.page.goto("about:blank")
        return self.page.goto(url, wait_until="load")

    def lend(self, owner: PageOpener | None, path: str):
        self.owner, self.path = owner, path
        self.loading.clear()  # the last page's requests ended with it
        return self.page

    def give_back(self, base_url: str) -> bool:
        """Clean for the next test; False when it cannot be (closed, or left on another origin)."""
        self.owner = None
        if self.page.is_closed() or len(self.context.pages) != 1 or not self.page.url.startswith(base_url + "/"):
            return False
        try:
            self.page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
            self.context.clear_cookies()
            self.page.emulate_media(media="null")
        except Exception:  # noqa: BLE001 - a tab that cannot be cleaned is closed instead
            return False
        return True


_TABS: dict[TabKey, list[_Tab]] = {}  # free tabs of this worker


def borrow_tab(browser, width: int, *, timezone: str = "Asia/Tokyo", js: bool = True, at: str | None = None) -> _Tab:
    """A free tab of this worker with that viewport width, time zone and JavaScript setting (a new one if
    none is free); ``at``: its clock (Playwright's) starts at that ISO time for the next page."""
    key = (width, timezone, js, at is not None)
    free = _TABS.setdefault(key, [])
    tab = free.pop() if free else _Tab(browser, key)
    if at is not None:
        tab.context.clock.set_system_time(at)
    return tab


def give_back_tab(tab: _Tab, base_url: str) -> None:
    if tab.give_back(base_url):
        _TABS.setdefault(tab.key, []).append(tab)
    else:
        tab.context.close()


class PageOpener:
    """``opener(path, width)`` opens ``path`` of the served site at that width, in a tab of its own
    (``_Tab``: borrowed from the worker's pool, given back cleaned by ``close``). A Content Security
    Policy violation fails the test: when the page has loaded, and again when the fixture closes
    (after whatever the test did on the page)."""

    def __init__(self, browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.external: list[tuple[str, str]] = []  # (page path, blocked request URL)
        self._tabs: list[_Tab] = []
        self._pages: list[tuple[str, object]] = []
        self._console: list[tuple[str, str]] = []  # (page path, console message about the policy)

    def csp_violations(self) -> list[str]:
        """Every violation reported so far, on every page opened: ``path: what was blocked``."""
        found = [f"{path}: {message}" for path, message in self._console]
        for path, page in self._pages:
            if not page.is_closed():
                found += [f"{path}: {v}" for v in page.evaluate("() => window.__cspViolations || []")]
        return found

    def assert_no_csp_violations(self) -> None:
        violations = self.csp_violations()
        assert not violations, "Content Security Policy の違反 / CSP violations:\n" + "\n".join(violations)

    def url(self, path: str) -> str:
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def _tab(self, width: int) -> _Tab:
        tab = borrow_tab(self.browser, width)
        self._tabs.append(tab)
        return tab

    def __call__(self, path: str, width: int = 1280):
        tab = self._tab(width)
        page = tab.lend(self, path)
        self._pages.append((path, page))
        response = tab.goto(self.url(path))
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else '?'}"
        tab.settle()
        self.assert_no_csp_violations()
        return page

    def external_for(self, page) -> list[str]:
        path = urlsplit(page.url).path
        return [url for where, url in self.external if urlsplit(self.url(where)).path == path]

    def close(self) -> None:
        for tab in self._tabs:
            give_back_tab(tab, self.base_url)
        self._tabs.clear()
        self._pages.clear()


@pytest.fixture
def page_at(browser, server):
    opener = PageOpener(browser, server)
    try:
        yield opener
        opener.assert_no_csp_violations()  # what the test did on its pages (search, menus) counts too
    finally:
        opener.close()


# --------------------------------------------------------------------------- axe


# axe-core from npm, pinned in package.json (4.14 checks our pages in about half the time of 4.12; BENCHMARKS.md).
AXE_CORE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@functools.cache
def axe_script() -> str:
    if not AXE_CORE.exists():
        _unavailable("axe-core がありません（make test が npm ci で入れます） / axe-core not installed")
    return AXE_CORE.read_text(encoding="utf-8")


def load_axe(target) -> None:
    """axe-core into ``target`` (a page or a frame), unless it is there already."""
    if not target.evaluate("() => typeof window.axe !== 'undefined'"):
        target.evaluate(axe_script())


def axe_violations(page, tags: list[str] | None = None) -> list[str]:
    """Run axe-core on ``page``; one line per failing element: rule, impact, selector, what to fix."""
    load_axe(page)
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        tags or AXE_TAGS,
    )
    RUN_INFO["axe"] = results["testEngine"]["version"]
    lines = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            target = " ".join(" >> ".join(t) if isinstance(t, list) else t for t in node["target"])
            details = "; ".join(check["message"] for kind in ("any", "all", "none") for check in node.get(kind, []))
            lines.append(
                f"{violation['id']} [{violation.get('impact') or node.get('impact')}] {target}\n"
                f"    {violation['help']} ({violation['helpUrl']})\n"
                f"    {details}\n"
                f"    html: {node['html'][:200]}"
            )
    return lines


@pytest.fixture(name="axe_violations")
def axe_violations_fixture():
    return axe_violations


# --------------------------------------------------------------------------- shared read-only checks

_REPORTS: dict[tuple[str, int], PageReport] = {}  # per worker process


@pytest.fixture
def page_checks(browser, server):
    def report(key: str, width: int) -> PageReport:
        if (key, width) not in _REPORTS:
            opener = PageOpener(browser, server)
            try:
                _REPORTS[key, width] = check_page(opener, key, width, axe_violations)
            finally:
                opener.close()
        return _REPORTS[key, width]

    return report
