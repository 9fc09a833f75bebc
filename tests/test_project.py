"""The project's own promises: exact pins, a lock with hashes in step with pyproject.toml, two commands,
a CI script that runs them."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import date
from importlib import metadata
from pathlib import Path

import pytest

from conftest import ROOT, make_root
from generator.reading.load import load_site

UV = ROOT / ".uv" / "bin" / "uv"


def _name(requirement: str) -> str:
    """A distribution's normalised name (PEP 503), as uv.lock writes it."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", requirement).group()).lower()


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _lock() -> dict:
    return tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))


def _closure(lock: dict, names) -> set[str]:
    """The locked distributions that ``names`` need, themselves included."""
    needs = {p["name"]: [d["name"] for d in p.get("dependencies", [])] for p in lock["package"]}
    found, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo += needs[name]
    return found


def _uv() -> str:
    if not UV.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("uv is not installed (make test installs it into .uv/)")
        pytest.skip("uv is missing: make uv (or make test) installs it into .uv/")
    return str(UV)


def test_every_direct_dependency_is_pinned_exactly_and_the_lock_has_hashes_and_no_pre_release():
    project = _pyproject()
    declared = project["project"]["dependencies"] + [r for group in project["dependency-groups"].values() for r in group]
    pins = {}
    for requirement in declared:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([0-9][0-9A-Za-z.+]*)", requirement)
        assert match, f"not an exact pin: {requirement}"
        pins[_name(requirement)] = match.group(2)
    assert pins["mkdocs"] == "1.6.1" and pins["mkdocs-material"] == "9.8.1"
    locked = [p for p in _lock()["package"] if "registry" in p["source"]]
    versions = {p["name"]: p["version"] for p in locked}
    assert {name: versions[name] for name in pins} == pins
    assert not [f"{p['name']}=={p['version']}" for p in locked if re.search(r"(a|b|rc|dev)\d", p["version"])]
    for package in locked:
        files = package.get("wheels", []) + ([package["sdist"]] if "sdist" in package else [])
        assert files and all(re.fullmatch(r"sha256:[0-9a-f]{64}", f["hash"]) for f in files), package["name"]


def test_the_lock_is_in_step_with_pyproject():
    """uv.lock resolves exactly what pyproject.toml declares (offline: the lock's own records suffice)."""
    result = subprocess.run([_uv(), "lock", "--check", "--offline"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"uv.lock is stale: run make lock\n{result.stderr}"


def test_a_stale_lock_fails_the_check(tmp_path):
    """The check above can fail: a dependency dropped from pyproject.toml leaves the lock stale."""
    uv = _uv()
    shutil.copy(ROOT / "uv.lock", tmp_path / "uv.lock")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '    "watchdog==7.1.0",\n' in pyproject
    (tmp_path / "pyproject.toml").write_text(pyproject.replace('    "watchdog==7.1.0",\n', ""), encoding="utf-8")
    result = subprocess.run([uv, "lock", "--check", "--offline"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode != 0 and "needs to be updated" in result.stderr, result.stderr


def _third_party_imports(folder: Path) -> dict[str, str]:
    """Top-level names imported by the Python files under ``folder`` (not the standard library), each with
    one place that imports it."""
    found = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "generator":
                    found.setdefault(top, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_generator_needs_only_the_runtime_set_and_the_tests_only_what_is_locked():
    """``make site`` installs [project] dependencies alone: whatever generator/ imports must be among them or
    what they need. The tests may also import the test group. A test-only package imported by the
    generator, or a package nobody declared, fails here and not at import time on a fresh machine."""
    lock = _lock()
    project = next(p for p in lock["package"] if p["source"].get("virtual") == ".")
    runtime = _closure(lock, [d["name"] for d in project["dependencies"]])
    test = _closure(lock, runtime | {d["name"] for d in project["dev-dependencies"]["test"]})
    distributions = {top: {_name(d) for d in dists} for top, dists in metadata.packages_distributions().items()}
    local = {p.stem for p in (ROOT / "tests").rglob("*.py")} | {p.name for p in (ROOT / "tests").rglob("*") if p.is_dir()}
    for folder, allowed in ((ROOT / "generator", runtime), (ROOT / "tests", test)):
        for top, where in _third_party_imports(folder).items():
            if folder.name == "tests" and top in local:
                continue
            assert top in distributions, f"{where}: {top} is not installed from the lock"
            assert distributions[top] & allowed, f"{where}: {top} ({distributions[top]}) is not in {folder.name}'s set"
    assert "playwright" not in runtime and "pytest" not in runtime and "mkdocs-material" in runtime


def _dry_run(tmp_path: Path, target: str) -> str:
    """What ``make TARGET`` would run on a fresh clone (make -n in a folder with the files the rules read)."""
    for name in ("Makefile", "pyproject.toml", "uv.lock", "requirements-uv.txt", "package.json", "package-lock.json"):
        if not (tmp_path / name).exists():
            shutil.copy(ROOT / name, tmp_path / name)
    result = subprocess.run(["make", "-n", target], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_site_installs_the_runtime_set_and_make_test_adds_the_test_group(tmp_path):
    site = _dry_run(tmp_path, "site")
    assert "pip install --quiet --disable-pip-version-check --require-hashes -r requirements-uv.txt" in site
    assert re.search(r"\.uv/bin/uv sync --locked .*--inexact", site) and "--group" not in site
    assert "npm ci --omit=dev" in site and ".venv/bin/python -m generator build" in site
    test = _dry_run(tmp_path, "test")
    assert re.search(r"\.uv/bin/uv sync --locked .*--group test", test) and "-m pytest" in test
    assert not [l for l in (site + test).splitlines() if "pip install" in l and "--require-hashes -r requirements-uv.txt" not in l]
    # The venv's stamp names the lock: a changed lock is installed by the next make.
    stamp = re.search(r"touch (\.venv/\.installed-\w+)", site).group(1)
    (tmp_path / "uv.lock").write_text((ROOT / "uv.lock").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert stamp not in _dry_run(tmp_path, "site")


def test_uv_itself_is_pinned_with_hashes():
    lines = [l.strip() for l in (ROOT / "requirements-uv.txt").read_text().splitlines() if l.strip() and not l.startswith("#")]
    assert re.fullmatch(r"uv==\d+\.\d+\.\d+ \\", lines[0]), lines[0]
    assert len(lines) > 2 and all(re.fullmatch(r"--hash=sha256:[0-9a-f]{64}( \\)?", l) for l in lines[1:])


def test_readme_starts_with_the_two_commands_and_ci_runs_make_test():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert "make site" in first_block and "make test" in first_block
    assert "make test" in (ROOT / ".ci/run").read_text()


def test_next_years_plan_is_a_new_file_of_the_same_shape(tmp_path):
    root = make_root(tmp_path)
    (root / "plans").mkdir()
    shutil.copy(root / "plan.yaml", root / "plans" / "2025.yaml")
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("fiscal_year: 2025", "fiscal_year: 2026")
                    .replace("令和7年度", "令和8年度"), encoding="utf-8")
    assert load_site(root, date(2026, 5, 1)).plan.fiscal_year == 2026
    assert load_site(root, date(2025, 5, 1)).plan.fiscal_year == 2025
    site = load_site(root, date(2030, 5, 1))
    assert site.plan.fiscal_year == 2026
    assert site.preparing_year == 2030
    assert any("2030-05-01）の2030年度の事業計画がまだないため" in w.message and "2026年度の計画と実績を表示します" in w.message
               for w in site.warnings)


def test_npm_packages_are_pinned_exactly_and_the_site_needs_only_pagefind_and_the_editor():
    """make site installs the npm "dependencies" alone (npm ci --omit=dev): Pagefind and the browser editor
    (Sveltia CMS and its icon font), at exact versions, the ones the build uses (generator/publish/build.py,
    generator/outputs/admin.py)."""
    import json

    from generator.outputs.admin import FONT_PACKAGE, PACKAGE
    from generator.publish.build import PAGEFIND

    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert sorted(package["dependencies"]) == ["@fontsource-variable/material-symbols-outlined", "@sveltia/cms", "pagefind"]
    assert PACKAGE.relative_to(ROOT).parts == ("node_modules", "@sveltia", "cms")
    assert FONT_PACKAGE.relative_to(ROOT).parts == ("node_modules", "@fontsource-variable", "material-symbols-outlined")
    versions = {**package["dependencies"], **package["devDependencies"]}
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in versions.values()), versions
    assert PAGEFIND.relative_to(ROOT).parts[:2] == ("node_modules", "pagefind")
    assert "npm ci --omit=dev" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_every_make_target_that_runs_browser_tests_installs_the_npm_test_tools():
    """axe-core and Lighthouse come from npm's devDependencies (``npm ci``, $(NODE_TOOLS)): make test, a11y-record
    and lighthouse run browser tests, so each installs them first (a fresh clone has no node_modules)."""
    import json

    from browser.conftest import AXE_CORE
    from browser.test_lighthouse import LIGHTHOUSE

    dev = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    assert {"axe-core", "lighthouse"} <= set(dev)
    assert AXE_CORE.relative_to(ROOT).parts[:2] == ("node_modules", "axe-core")
    assert LIGHTHOUSE.relative_to(ROOT).parts[:2] == ("node_modules", "lighthouse")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("test", "a11y-record", "lighthouse"):
        prerequisites = re.search(rf"^{re.escape(target)}:(.*)$", makefile, re.M).group(1)
        assert "$(NODE_TOOLS)" in prerequisites, f"make {target} does not install the npm test tools"
