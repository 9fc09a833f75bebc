"""The project's own promises: exact pins, two commands, a CI script that runs them."""

from __future__ import annotations

import re
import shutil
from datetime import date

from conftest import ROOT, make_root
from generator.reading.load import load_site


def test_every_dependency_is_pinned_exactly_and_none_is_a_pre_release():
    lines = [l for l in (ROOT / "requirements.txt").read_text().splitlines() if l.strip() and not l.startswith("#")]
    pins = dict(l.split("==") for l in lines)
    assert all("==" in l for l in lines)
    assert pins["mkdocs"] == "1.6.1" and pins["mkdocs-material"] == "9.8.1"
    assert not [f"{n}=={v}" for n, v in pins.items() if re.search(r"(a|b|rc|dev)\d", v)]


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
