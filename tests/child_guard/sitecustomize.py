"""The live-content guard in child processes (tests/conftest.py puts this folder first on PYTHONPATH).

A test's audit hook sees only its own process. Every Python process a test starts (the generator,
a script, pytest itself, make's Python) imports this module at startup and, while
``YSE_LIVE_GUARD_DIR`` is set, records its opens and listings of the repository's live plan.yaml,
plans/ and content/ in that folder, one file per test (named by the test's id from pytest's
``PYTEST_CURRENT_TEST``). The test's own process reads the file when the test ends
(``LiveContentGuard.child_reads``) and reports it like its own reads.
"""

import hashlib
import os
import sys


def _install() -> None:
    folder = os.environ.get("YSE_LIVE_GUARD_DIR")
    root = os.environ.get("YSE_LIVE_GUARD_ROOT")
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
    if not folder or not root or not test:
        return
    plan = os.path.join(root, "plan.yaml")
    dirs = (os.path.join(root, "content"), os.path.join(root, "plans"))
    prefixes = tuple(d + os.sep for d in dirs)
    report = os.path.join(folder, hashlib.sha1(test.encode()).hexdigest() + ".txt")
    events = frozenset({"open", "os.listdir", "os.scandir"})
    busy = []

    def audit(event, args):
        if event not in events or busy:
            return
        path = args[0]
        if isinstance(path, int) or path is None:
            return
        busy.append(1)
        try:
            path = os.path.normpath(os.path.join(os.getcwd(), os.fsdecode(os.fspath(path))))
            if path == plan or path in dirs or path.startswith(prefixes):
                with open(report, "a", encoding="utf-8") as out:
                    out.write(f"{event}\t{os.path.relpath(path, root)}\n")
        except Exception:  # noqa: BLE001 - never disturb the child
            pass
        finally:
            busy.clear()

    sys.addaudithook(audit)


_install()
