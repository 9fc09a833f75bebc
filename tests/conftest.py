"""Shared test helpers: the repository root, fixture sites, golden files, and the live-content guard.

Tests render the fixture site ``tests/fixtures/site`` (``SITE``), never the repository's own
``plan.yaml`` and ``content/``: those belong to staff, and adding a news post must not turn the
tests red. Only tests marked ``@pytest.mark.live`` (tests/test_live_content.py,
tests/test_living_site.py) may read the live content; a guard (``LiveContentGuard``) fails the
session when any other test or test module does.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SITE = FIXTURES / "site"   # the fixture site: a copy of the real plan and content, frozen for the tests
GOLDEN = Path(__file__).parent / "golden"

# Set in the environment of the suite that tests/test_living_site.py runs inside a copy of the
# repository, so that run never starts another one.
NESTED_ENV = "YSE_LIVING_SITE_RUN"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the current output")
    parser.addoption("--record-a11y", action="store_true",
                     help="after a passing browser run, write the tested pages and results to content/accessibility.yaml")


def make_root(tmp_path: Path, fixture: str = "mini") -> Path:
    """A throw-away site root: a fixture's plan and content plus the real mkdocs.yml."""
    root = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, root)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


# Never copied with the repository: environments, outputs and history at its top (tests/fixtures/site
# is not site/), caches anywhere.
NOT_COPIED_AT_TOP = frozenset({".venv", ".uv", "node_modules", "site", "build", "out", ".git"})
NOT_COPIED = frozenset({"__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache"})


def copy_repository(dest: Path) -> Path:
    """A copy of the working tree (what is on disk, committed or not) without outputs and caches. For live tests."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == ROOT
        return {n for n in names if n in NOT_COPIED or (top and n in NOT_COPIED_AT_TOP)}

    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    return dest


def shared_folder(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder made once per test run and then only read: ``make(folder)`` fills it.

    With pytest-xdist (``make test`` runs ``-n auto``) every worker is its own process with its own
    session fixtures; the folder lives beside the workers' temporary folders, and the first worker to
    get the lock makes it while the others wait, so an expensive build (the browser tests' site, a
    validator's site) runs once, not once per worker. A ``make`` that failed is tried again by the
    next worker (and fails there too, with its own message). Tests that change files must copy it.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this run, new for every run
    shared = base / "shared"
    shared.mkdir(exist_ok=True)
    folder = shared / name
    done = shared / f"{name}.done"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def with_newsletter_facts(root: Path, *, email: str = "info@example.jp", unsubscribe: str = "https://example.jp/mail/stop") -> Path:
    """The facts the 特定電子メール法 needs before a newsletter may be drafted (a contact and an
    unsubscribe page), added to a fixture copy as test data (example.jp is reserved for examples)."""
    plan = root / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    if re.search(r"^  email:", text, re.M):
        text = re.sub(r"^  email:.*$", f'  email: "{email}"', text, count=1, flags=re.M)
    else:
        text = re.sub(r"^(  address:.*)$", rf'\1\n  email: "{email}"', text, count=1, flags=re.M)
    plan.write_text(text, encoding="utf-8")
    settings = root / "content" / "newsletter.yaml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    old = settings.read_text(encoding="utf-8") if settings.exists() else ""
    old = re.sub(r"^unsubscribe_url:.*\n?", "", old, flags=re.M)
    settings.write_text(old + f'unsubscribe_url: "{unsubscribe}"\n', encoding="utf-8")
    return root


@pytest.fixture
def mini_root(tmp_path: Path) -> Path:
    return make_root(tmp_path)


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    """A writable copy of the fixture site (for anything that builds or edits files)."""
    return make_root(tmp_path, "site")


@pytest.fixture
def golden(request):
    """``golden("name.md", text)`` compares text with tests/golden/name.md (``--update-golden`` rewrites it)."""
    update = request.config.getoption("--update-golden") or os.environ.get("UPDATE_GOLDEN") == "1"

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
            return
        assert path.exists(), f"golden file {name} missing: run pytest --update-golden and review the diff"
        with open(path, encoding="utf-8", newline="") as file:  # keep CRLF (CSV, .ics) as written
            expected = file.read()
        assert text == expected, f"{name} differs from the golden file: run pytest --update-golden and review `git diff`"

    return check


# --------------------------------------------------------------------------- the live-content guard


class LiveContentGuard:
    """Records when a test reads the repository's live content (an audit hook, see ``sys.addaudithook``).

    Watched: ``open``, ``os.listdir`` and ``os.scandir`` of ``plan.yaml``, ``plans/`` and ``content/``
    under ``root``, and ``subprocess.Popen`` of the generator (``python -m generator``, or
    ``make site/check/serve``) whose site root is ``root``: run in ``root`` without ``--root``,
    or with ``--root`` naming ``root``. ``where`` is the test (or test module being collected)
    running now; nothing is recorded while it is ``None`` (pytest itself, session hooks) or while
    ``allowed`` (a test marked ``live``).
    """

    EVENTS = frozenset({"open", "os.listdir", "os.scandir", "subprocess.Popen"})
    SHOWN = 3  # paths kept per test: a test that loads the site reads every file, the first ones say enough

    def __init__(self, root: Path):
        self.root = os.path.normpath(str(root))
        self.plan = os.path.join(self.root, "plan.yaml")
        self.dirs = (os.path.join(self.root, "content"), os.path.join(self.root, "plans"))
        self.prefixes = tuple(d + os.sep for d in self.dirs)
        self.where: str | None = None
        self.allowed = False
        self.violations: dict[str, dict[str, str]] = {}  # where -> {path or command: event}
        self.more: dict[str, int] = {}  # where -> paths not kept

    # Runs on every audited event of the process, so the common case returns at the first line.
    def audit(self, event: str, args: tuple) -> None:
        if event not in self.EVENTS or self.where is None or self.allowed:
            return
        try:  # an exception here would surface in the test's own open()
            if event == "subprocess.Popen":
                self._popen(args)
            else:
                self._path(event, args[0])
        except Exception:  # noqa: BLE001
            pass

    def _path(self, event: str, path) -> None:
        if isinstance(path, int) or path is None:
            return
        try:
            path = os.fsdecode(os.fspath(path))
        except TypeError:
            return
        if os.path.isabs(path):
            if not path.startswith(self.root):
                return
        else:
            try:
                path = os.path.join(os.getcwd(), path)
            except OSError:  # the working folder is gone
                return
        path = os.path.normpath(path)
        if path == self.plan or path in self.dirs or path.startswith(self.prefixes):
            self.record(event, os.path.relpath(path, self.root))

    def _popen(self, args: tuple) -> None:
        _executable, argv, cwd, _env = args
        if isinstance(argv, (str, bytes, os.PathLike)):
            argv = os.fsdecode(argv).split()  # shell=True: a command line
        argv = [os.fsdecode(a) if isinstance(a, (bytes, os.PathLike)) else str(a) for a in argv]
        kind = self.runs_generator(argv)
        if not kind:
            return
        base = os.fsdecode(cwd) if cwd is not None else os.getcwd()
        root = base
        if kind == "make":  # make site ARGS="--root x": the variable's text holds the option
            if any("--root" in a for a in argv):
                return
        else:
            for i, arg in enumerate(argv):
                if arg == "--root" and i + 1 < len(argv):
                    root = argv[i + 1]
                elif arg.startswith("--root="):
                    root = arg.split("=", 1)[1]
        if os.path.realpath(os.path.join(base, root)) == os.path.realpath(self.root):
            self.record("subprocess.Popen", " ".join(argv))

    @staticmethod
    def runs_generator(argv: list[str]) -> str:
        """"generator" for ``python -m generator``, "make" for ``make [site|check|serve]``, else ""."""
        if "-mgenerator" in argv or any(a == "-m" and b == "generator" for a, b in zip(argv, argv[1:])):
            return "generator"
        if argv and os.path.basename(argv[0]) == "make":
            targets = [a for a in argv[1:] if not a.startswith("-") and "=" not in a]
            return "make" if not targets or {"site", "check", "serve"} & set(targets) else ""
        return ""

    def child_reads(self, folder: Path, test: str) -> None:
        """What the Python processes started by ``test`` read of the live content (tests/child_guard/)."""
        report = folder / (hashlib.sha1(test.encode()).hexdigest() + ".txt")
        if not report.is_file():
            return
        lines = report.read_text(encoding="utf-8").splitlines()
        report.unlink()
        if self.allowed:
            return
        for line in lines:
            event, _, path = line.partition("\t")
            self.record(f"{event} (child process)", path)

    def record(self, event: str, detail: str) -> None:
        seen = self.violations.setdefault(self.where, {})
        if len(seen) < self.SHOWN or detail in seen:
            seen[detail] = event
        else:
            self.more[self.where] = self.more.get(self.where, 0) + 1

    def report(self) -> str:
        lines = [
            "本番の内容（plan.yaml・plans/・content/）を読んだテストがあります。tests/fixtures/site を使ってください"
            "（conftest の SITE、書き込むなら site_root）。本番の内容を確かめるテストなら @pytest.mark.live を付けます。",
            "Tests not marked @pytest.mark.live read the repository's live content; use the fixture site "
            "(conftest.SITE, or the site_root fixture for a writable copy):",
        ]
        for where, seen in self.violations.items():
            lines.append(f"  {where}")
            lines += [f"      {event} {detail}" for detail, event in seen.items()]
            if self.more.get(where):
                lines.append(f"      … and {self.more[where]} more")
        return "\n".join(lines)


GUARD = LiveContentGuard(ROOT)
CHILD_GUARD = Path(__file__).parent / "child_guard"
CHILD_GUARD_DIR, CHILD_GUARD_ROOT = "YSE_LIVE_GUARD_DIR", "YSE_LIVE_GUARD_ROOT"
_hook_installed = False


def pytest_configure(config):
    global _hook_installed
    config.addinivalue_line("markers", "live: reads the repository's live plan.yaml and content/ (the only tests allowed to)")
    config.addinivalue_line("markers", "alone: measures speed: takes the machine to itself for the measured part (machine_alone), run first")
    if config.getoption("--record-a11y") and getattr(config.option, "numprocesses", None):
        # Each pytest-xdist worker would see only its share of the pages (make a11y-record runs without -n).
        raise pytest.UsageError("--record-a11y は -n なしで実行してください（make a11y-record） / run --record-a11y without -n")
    if not config.pluginmanager.has_plugin("yse-group-check"):
        config.pluginmanager.register(_GroupCheck(), "yse-group-check")
    if not _hook_installed:  # audit hooks cannot be removed: one per process, however many sessions
        sys.addaudithook(GUARD.audit)
        _hook_installed = True
    # Every Python process a test starts watches itself the same way (tests/child_guard/sitecustomize.py).
    # The folder is made by the first process (pytest-xdist's workers inherit the controller's).
    if not os.environ.get(CHILD_GUARD_DIR):
        os.environ[CHILD_GUARD_DIR] = tempfile.mkdtemp(prefix="yse-live-guard-")
    os.environ[CHILD_GUARD_ROOT] = str(ROOT)
    path = os.environ.get("PYTHONPATH", "")
    if not path.startswith(str(CHILD_GUARD)):
        os.environ["PYTHONPATH"] = os.pathsep.join([str(CHILD_GUARD), *([path] if path else [])])


# --------------------------------------------------------------------------- running in parallel (pytest-xdist)


def shares_a_module_fixture(item) -> bool:
    """Whether the test uses a module- or class-scoped fixture (a build of a fixture site, a server...)."""
    info = getattr(item, "_fixtureinfo", None)
    defs = info.name2fixturedefs.values() if info is not None else ()
    return any(d.scope in ("module", "class") for chain in defs for d in chain)


def distributing_by_group(config) -> bool:
    """``--dist loadgroup`` (make test), asked in a worker, which collects the tests: there pytest-xdist sets
    ``loadgroup`` (and leaves ``numprocesses`` unset). The controller collects nothing."""
    return bool(getattr(config.option, "loadgroup", False))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """For ``-n`` with ``--dist loadgroup`` (make test): the tests of a module that share a module-scoped
    fixture go to one worker, so the fixture (often a whole build) is made once, not once per worker;
    and the longest work is handed out first, so no worker is left with it at the end: the tests marked
    ``alone`` (Lighthouse: they take the machine to themselves only while they measure, ``machine_alone``,
    so early in the run the other workers have plenty to do around that), the living-site run, then those
    modules, then single tests, each in their usual order. The Makefile
    passes ``--no-loadscope-reorder`` so xdist keeps this order. ``tryfirst``: pytest-xdist turns the
    ``xdist_group`` marks into node ids in its own hook, which must see these (``_GroupCheck``)."""
    if not distributing_by_group(config):
        return
    groups: dict[str, list] = {}
    for item in items:
        if shares_a_module_fixture(item):
            module = item.nodeid.split("::", 1)[0]
            item.add_marker(pytest.mark.xdist_group(module))
            groups.setdefault(module, []).append(item)
    alone = [item for item in items if item.get_closest_marker("alone")]
    first = alone + [item for item in items if item.get_closest_marker("live") and "test_living_site" in item.nodeid]
    grouped = [item for module in groups for item in groups[module] if item not in first]
    chosen = {id(item) for item in first + grouped}
    items[:] = first + grouped + [item for item in items if id(item) not in chosen]


def lost_groups(items) -> list[str]:
    """The tests with an ``xdist_group`` mark whose node id lacks the group (``test@group``), which is how
    pytest-xdist's scheduler keeps a group on one worker. pytest 9.2 made that silently fail with
    pytest-xdist 3.8 (pytest-dev/pytest-xdist#1386): every shared build and page check was made on
    both workers. ``_GroupCheck`` fails those tests rather than let that happen again unnoticed."""
    return [item.nodeid for item in items if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]


LOST_GROUP = (
    "pytest-xdist がテストのグループ（xdist_group）を反映していません。pytest と pytest-xdist の組み合わせを確かめてください"
    "（pyproject.toml）。/ pytest-xdist did not put this test's xdist_group in its node id, so its group is spread over "
    "the workers: check the pytest and pytest-xdist versions (pytest-dev/pytest-xdist#1386)."
)


class _GroupCheck:
    def __init__(self):
        self.lost: set[str] = set()

    @pytest.hookimpl(trylast=True)  # after pytest-xdist's hook in the worker
    def pytest_collection_modifyitems(self, config, items):
        if distributing_by_group(config):
            self.lost = set(lost_groups(items))

    def pytest_runtest_setup(self, item):
        if item.nodeid in self.lost:
            pytest.fail(LOST_GROUP, pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """Module-level code (parametrize lists, module constants) belongs to the module being collected."""
    if not isinstance(collector, pytest.Module):
        return (yield)
    before = GUARD.where, GUARD.allowed
    GUARD.where, GUARD.allowed = f"{collector.nodeid} (collection)", False
    try:
        return (yield)
    finally:
        GUARD.where, GUARD.allowed = before


_SHARE_HELD: list[str] = []  # the test of this process that holds a share of the machine now


@contextmanager
def machine_share(config, alone: bool):
    """Under pytest-xdist, every test holds a share of the machine while it runs, and the measured part of a
    test marked ``alone`` (``machine_alone``: Lighthouse loading the pages) holds all of it: it waits until the
    other workers' current tests end, and keeps them from starting new ones until it ends. A reader-writer
    lock on two files shared by the workers of the run (the turnstile keeps the measurement from waiting
    forever while the others take turns). Without xdist there is nothing to wait for."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        yield
        return
    shared = config._tmp_path_factory.getbasetemp().parent
    with open(shared / "machine.turnstile", "a") as turnstile, open(shared / "machine.room", "a") as room:
        if alone:
            fcntl.flock(turnstile, fcntl.LOCK_EX)
            fcntl.flock(room, fcntl.LOCK_EX)
        else:
            fcntl.flock(turnstile, fcntl.LOCK_SH)
            fcntl.flock(room, fcntl.LOCK_SH)
            fcntl.flock(turnstile, fcntl.LOCK_UN)
        try:
            yield
        finally:
            fcntl.flock(room, fcntl.LOCK_UN)
            fcntl.flock(turnstile, fcntl.LOCK_UN)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    GUARD.where, GUARD.allowed = item.nodeid, item.get_closest_marker("live") is not None
    try:
        if item.get_closest_marker("alone"):  # holds no share, or its own measurement would wait for it
            return (yield)
        with machine_share(item.config, alone=False):
            _SHARE_HELD.append(item.nodeid)
            try:
                return (yield)
            finally:
                _SHARE_HELD.pop()
    finally:
        GUARD.child_reads(Path(os.environ[CHILD_GUARD_DIR]), item.nodeid)
        GUARD.where, GUARD.allowed = None, False


def machine_alone(config):
    """``with machine_alone(config):`` the machine to this test alone (``machine_share``), for a test marked
    ``alone`` while it measures speed; the rest of it (starting tools, reading results) shares the machine.
    A test not marked ``alone`` holds a share all along, so it would wait for itself: that is refused."""
    if _SHARE_HELD:
        raise RuntimeError("machine_alone is for tests marked alone (pytest.mark.alone)")
    return machine_share(config, alone=True)


def pytest_sessionfinish(session, exitstatus):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: the controller reports for the whole run
        workeroutput["live_content_read"] = {"violations": GUARD.violations, "more": GUARD.more}
    if GUARD.violations:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist's controller: gather what each worker's guard recorded (every worker has its own hook)."""
    found = getattr(node, "workeroutput", {}).get("live_content_read")
    if found:
        for where, seen in found["violations"].items():
            GUARD.violations.setdefault(where, {}).update(seen)
        for where, more in found["more"].items():
            GUARD.more[where] = GUARD.more.get(where, 0) + more


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if GUARD.violations:
        terminalreporter.section("live content read by tests", sep="=", red=True, bold=True)
        terminalreporter.line(GUARD.report(), red=True)
