"""The guard in conftest.py: a test that reads the live plan.yaml or content/ fails the session."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import conftest
from conftest import GUARD, ROOT, SITE, LiveContentGuard


@pytest.fixture
def guard(tmp_path):
    guard = LiveContentGuard(tmp_path)
    guard.where = "tests/test_x.py::test_y"
    return guard


def opened(guard, path) -> list[str]:
    guard.audit("open", (path, "r", 0))
    return [detail for seen in guard.violations.values() for detail in seen]


def popen(guard, argv, cwd) -> bool:
    guard.audit("subprocess.Popen", (argv[0], argv, cwd, None))
    return bool(guard.violations)


def test_reads_of_the_plan_plans_and_content_are_recorded_with_the_test(guard, tmp_path):
    guard.audit("open", (str(tmp_path / "content" / "news" / "a.md"), "r", 0))
    guard.audit("open", (tmp_path / "plan.yaml", "r", 0))  # a Path, as pathlib passes it
    guard.audit("os.scandir", (str(tmp_path / "content"),))
    assert guard.violations == {"tests/test_x.py::test_y": {
        "content/news/a.md": "open", "plan.yaml": "open", "content": "os.scandir"}}
    guard.audit("os.listdir", (os.fsencode(tmp_path / "plans"),))
    guard.audit("open", (str(tmp_path / "tests" / ".." / "content" / "home.md"), "r", 0))
    assert len(guard.violations["tests/test_x.py::test_y"]) == 3 and guard.more == {"tests/test_x.py::test_y": 2}
    report = guard.report()
    assert "  tests/test_x.py::test_y\n      open content/news/a.md\n" in report and "… and 2 more" in report


def test_relative_paths_are_resolved_against_the_working_folder(guard, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert opened(guard, "content/events/2025/a.yaml") == ["content/events/2025/a.yaml"]


@pytest.mark.parametrize("name", ["mkdocs.yml", "contents.txt", "tests/fixtures/site/plan.yaml",
                                  "tests/fixtures/site/content/home.md", "plan.yaml.bak", "generator/reading/load.py"])
def test_other_files_are_not_recorded(guard, tmp_path, name):
    assert opened(guard, str(tmp_path / name)) == []
    assert opened(guard, 3) == []  # a file descriptor
    assert opened(guard, "/elsewhere/content/x.md") == []


def test_nothing_is_recorded_outside_tests_or_in_live_tests(guard, tmp_path):
    guard.allowed = True
    assert opened(guard, str(tmp_path / "plan.yaml")) == []
    guard.allowed, guard.where = False, None
    assert opened(guard, str(tmp_path / "plan.yaml")) == []


@pytest.mark.parametrize("command, cwd, recorded", [
    ("python -m generator build", "{root}", True),
    ("python -m generator check --root .", "{root}", True),
    ("python -m generator check --root={name}", "{parent}", True),
    ("python -m generator build --root {root} --out /tmp/x", "/tmp", True),
    ("python -m generator build --root ../copy", "{root}", False),
    ("python -m generator build --root /tmp/copy", "{root}", False),
    ("python -m generator --help", "/tmp", False),
    ("make site", "{root}", True),
    ("make", "{root}", True),
    ("make check ARGS=--strict", "{root}", True),
    ("make test", "{root}", False),
    ("git status", "{root}", False),
])
def test_generator_runs_on_the_repository_are_recorded(guard, tmp_path, command, cwd, recorded):
    names = {"root": str(tmp_path), "parent": str(tmp_path.parent), "name": tmp_path.name}
    argv = command.format(**names).split()
    assert popen(guard, argv, cwd.format(**names)) is recorded
    assert popen(LiveContentGuard(tmp_path), argv, cwd.format(**names)) is False  # nothing while no test runs


def test_make_with_a_root_in_args_and_shell_command_lines(guard, tmp_path):
    assert not popen(guard, ["make", "site", "ARGS=--root /tmp/copy"], str(tmp_path))
    assert popen(guard, "python -m generator build", str(tmp_path))  # shell=True: one string
    assert popen(guard, [b"python", b"-m", b"generator", b"check"], os.fsencode(tmp_path))


def test_the_guard_is_on_in_this_session(request):
    """The real hook records a read by this very test; the entry is taken back so the session passes."""
    key = request.node.nodeid
    before = dict(GUARD.violations.get(key, {}))
    (ROOT / "plan.yaml").read_bytes()
    try:
        assert GUARD.violations[key].get("plan.yaml") == "open"
    finally:
        if before:
            GUARD.violations[key] = before
        else:
            GUARD.violations.pop(key, None)
        GUARD.more.pop(key, None)


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist workers"])
def test_a_session_that_reads_the_live_content_fails_naming_the_test_and_the_path(tmp_path, workers):
    """Also with pytest-xdist (make test): each worker has its own hook, and the controller reports for all."""
    tests = tmp_path / "suite"
    tests.mkdir()
    (tests / "test_reads.py").write_text(textwrap.dedent(f"""
        import subprocess, sys
        from pathlib import Path
        import pytest

        ROOT = Path({str(ROOT)!r})
        STAFF_GUIDE = (ROOT / "content" / "pages" / "staff" / "index.md").read_text(encoding="utf-8")  # at import

        def test_reads_the_plan():
            (ROOT / "plan.yaml").read_text(encoding="utf-8")

        def test_lists_the_news():
            list((ROOT / "content" / "news").iterdir())

        def test_runs_the_generator_in_the_repository():
            subprocess.run([sys.executable, "-m", "generator", "--help"], cwd=ROOT, capture_output=True)

        def test_a_child_process_reads_the_plan():
            subprocess.run([sys.executable, "-c", "open('plan.yaml').read()"], cwd=ROOT, check=True)

        def test_a_child_process_reads_the_fixture_site():
            subprocess.run([sys.executable, "-c", "open({str(SITE / 'plan.yaml')!r}).read()"], cwd=ROOT, check=True)

        def test_reads_the_fixture_site():
            (Path({str(SITE)!r}) / "plan.yaml").read_text(encoding="utf-8")

        @pytest.mark.live
        def test_marked_live():
            (ROOT / "plan.yaml").read_text(encoding="utf-8")
            subprocess.run([sys.executable, "-m", "generator", "--help"], cwd=ROOT, capture_output=True)
            subprocess.run([sys.executable, "-c", "open('plan.yaml').read()"], cwd=ROOT, check=True)
    """), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(conftest.__file__).parent), str(ROOT)])
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", "-q", *workers, str(tests)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    out = result.stdout
    assert result.returncode == 1, out
    assert "7 passed" in out  # every test passed: the session fails for the guard alone
    assert "live content read by tests" in out
    report = out.split("live content read by tests", 1)[1]
    assert "test_reads.py (collection)\n      open content/pages/staff/index.md" in report
    assert "test_reads.py::test_reads_the_plan\n      open plan.yaml" in report
    assert "test_reads.py::test_lists_the_news\n      os.listdir content/news" in report
    assert "test_reads.py::test_runs_the_generator_in_the_repository\n      subprocess.Popen" in report
    assert "test_reads.py::test_a_child_process_reads_the_plan\n      open (child process) plan.yaml" in report
    assert "test_reads_the_fixture_site" not in report and "test_marked_live" not in report
    assert "fixture_site" not in report


def test_the_fixture_sites_mkdocs_yml_is_the_real_one():
    """tests/fixtures/site loads in place, so it holds a copy of mkdocs.yml (a symlink is refused as content)."""
    from conftest import ROOT, SITE

    assert (SITE / "mkdocs.yml").read_bytes() == (ROOT / "mkdocs.yml").read_bytes(), "copy mkdocs.yml to tests/fixtures/site/"
