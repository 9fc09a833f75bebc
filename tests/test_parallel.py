"""The test run's own machinery for pytest-xdist (tests/conftest.py): shared builds and tests that need the machine alone."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

import conftest
from conftest import _GroupCheck, distributing_by_group, lost_groups, machine_alone, machine_share, shared_folder


class _Factory:
    def __init__(self, base):
        self.base = base

    def getbasetemp(self):
        return self.base


def test_a_shared_folder_is_made_once_for_all_workers(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    made = []

    def make(folder):
        made.append(folder)
        (folder / "page.html").write_text("built", encoding="utf-8")

    workers = [_Factory(tmp_path / f"popen-gw{n}") for n in range(2)]
    folders = [shared_folder(worker, "site", make) for worker in workers]
    assert folders[0] == folders[1] and len(made) == 1 and (folders[1] / "page.html").read_text(encoding="utf-8") == "built"


def test_a_failed_make_is_tried_again_from_an_empty_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    worker = _Factory(tmp_path / "popen-gw0")

    def broken(folder):
        (folder / "half").write_text("", encoding="utf-8")
        raise RuntimeError("build failed")

    try:
        shared_folder(worker, "site", broken)
    except RuntimeError:
        pass
    folder = shared_folder(worker, "site", lambda f: (f / "whole").write_text("", encoding="utf-8"))
    assert sorted(p.name for p in folder.iterdir()) == ["whole"]


def test_a_test_marked_alone_waits_for_the_others_and_holds_them_off(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    config = SimpleNamespace(_tmp_path_factory=_Factory(tmp_path / "popen-gw0"))
    events: list[str] = []
    others_running = threading.Event()
    release_other = threading.Event()

    def other(name, started=None, wait=None):
        with machine_share(config, alone=False):
            events.append(f"{name} start")
            if started:
                started.set()
            if wait:
                wait.wait(5)
            events.append(f"{name} end")

    def alone():
        with machine_share(config, alone=True):
            events.append("alone start")
            time.sleep(0.3)
            events.append("alone end")

    first = threading.Thread(target=other, args=("first", others_running, release_other))
    first.start()
    others_running.wait(5)
    lighthouse = threading.Thread(target=alone)
    lighthouse.start()
    time.sleep(0.2)
    later = threading.Thread(target=other, args=("later",))
    later.start()
    time.sleep(0.2)
    assert events == ["first start"]  # the alone test waits; the later one waits behind it
    release_other.set()
    for thread in (first, lighthouse, later):
        thread.join(5)
    assert events == ["first start", "first end", "alone start", "alone end", "later start", "later end"]


def test_only_a_test_that_holds_no_share_can_have_the_machine_alone(tmp_path, monkeypatch):
    """A test not marked ``alone`` holds a share of the machine all along (tests/conftest.py), so asking for
    the machine to itself would wait for itself forever: it is refused at once."""
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    config = SimpleNamespace(_tmp_path_factory=_Factory(tmp_path))
    monkeypatch.setattr(conftest, "_SHARE_HELD", ["tests/a.py::t"])
    with pytest.raises(RuntimeError, match="marked alone"):
        machine_alone(config)
    monkeypatch.setattr(conftest, "_SHARE_HELD", [])
    with machine_alone(config):
        pass


def test_tests_marked_alone_are_handed_out_first_then_the_long_work(monkeypatch):
    """Lighthouse (``alone``) goes first, so the other workers have tests to run around its measurement; then
    the living-site run, then the modules that share a build, then the rest (tests/conftest.py)."""
    def item(nodeid, *marks, shared=False):
        found = {name: object() for name in marks}
        it = SimpleNamespace(nodeid=nodeid, get_closest_marker=found.get, added=[])
        it.add_marker = it.added.append
        it._fixtureinfo = SimpleNamespace(name2fixturedefs={"f": [SimpleNamespace(scope="module" if shared else "function")]})
        return it

    plain = item("tests/test_a.py::t")
    built = item("tests/test_b.py::t", shared=True)
    living = item("tests/test_living_site.py::t", "live")
    lighthouse = item("tests/browser/test_lighthouse.py::t", "alone", shared=True)
    items = [plain, built, living, lighthouse]
    conftest.pytest_collection_modifyitems(SimpleNamespace(option=SimpleNamespace(loadgroup=True)), items)
    assert items == [lighthouse, living, built, plain]
    assert [len(i.added) for i in (lighthouse, living, built, plain)] == [1, 0, 1, 0]  # xdist_group of its module


def test_without_xdist_nothing_waits(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    config = SimpleNamespace(_tmp_path_factory=_Factory(tmp_path))
    with machine_share(config, alone=True), machine_share(config, alone=False):
        pass
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def module_resource():
    return object()


def test_tests_sharing_a_module_fixture_carry_their_module_as_group(module_resource, request):
    """Under make test (``--dist loadgroup``) this test's node id names its group, so pytest-xdist keeps the
    module's tests on one worker and ``module_resource`` is made once (tests/conftest.py)."""
    if distributing_by_group(request.config):
        assert request.node.nodeid.endswith("@tests/test_parallel.py"), request.node.nodeid


def _item(nodeid: str, group: bool):
    return SimpleNamespace(nodeid=nodeid, get_closest_marker=lambda name: object() if group and name == "xdist_group" else None)


def test_a_test_whose_group_pytest_xdist_lost_fails_and_says_why(monkeypatch):
    lost, kept, plain = _item("tests/a.py::t", True), _item("tests/a.py::u@tests/a.py", True), _item("tests/a.py::v", False)
    assert lost_groups([lost, kept, plain]) == ["tests/a.py::t"]
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    check = _GroupCheck()
    check.pytest_collection_modifyitems(SimpleNamespace(option=SimpleNamespace(loadgroup=True)), [lost, kept, plain])
    with pytest.raises(pytest.fail.Exception, match="xdist_group"):
        check.pytest_runtest_setup(lost)
    check.pytest_runtest_setup(kept)
    check.pytest_runtest_setup(plain)
