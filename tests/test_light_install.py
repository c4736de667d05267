"""The core install: every core command runs without the `dataset` and `review` extras; the others name theirs.

Each case runs `akhbar` in a subprocess where the extras' packages cannot be imported (as in a fresh
`pip install akhbar`), so a module-level import of one anywhere on a core command's path fails the test.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, REPO, SEED_ID

from akhbar.errors import EXTRAS

BLOCK = f"""
import sys
BLOCKED = {sorted(EXTRAS)!r}
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Blocker())
from akhbar.cli import main
sys.exit(main(sys.argv[1:]))
"""

ANN = f"corpus/{SEED_ID}/annotations.json"
CORE = [
    ["validate", "corpus"],
    ["fmt", "--check", "corpus"],
    ["show", SEED_ID, "-o", "page.html"],
    ["find", SEED_ID, "ليبيا"],
    ["markup", SEED_ID, "-o", "seed.markup"],
    ["suggest", SEED_ID, "--dry-run"],
    ["diff", ANN, ANN],
    ["stats"],
    ["export", "--format", "conll", "--out", "conll"],
    ["export", "--format", "jsonl", "--out", "jsonl"],
    ["cite"],
]
NEEDS = [(["build", "--out", "dataset"], "dataset"), (["agree", ANN, ANN], "review")]


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("light")
    shutil.copytree(CORPUS, root / "corpus")
    shutil.copytree(REPO / "seeds", root / "seeds")
    return root


def _run(repo: Path, argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BLOCK, *argv], cwd=repo, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("argv", CORE, ids=[" ".join(a[:2]) for a in CORE])
def test_core_commands_run_without_the_extras(repo, argv):
    done = _run(repo, argv)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("argv", "extra"), NEEDS, ids=[a[0] for a, _ in NEEDS])
def test_commands_that_need_an_extra_name_it_and_exit_2(repo, argv, extra):
    done = _run(repo, argv)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"pip install 'akhbar[{extra}]'" in done.stderr
    assert not (repo / "dataset").exists()


def test_the_pre_commit_hook_installs_the_core_only():
    tomllib = pytest.importorskip("tomllib")

    hook = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "additional_dependencies" not in hook and "akhbar[" not in hook
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = " ".join(project["dependencies"])
    for module in EXTRAS:
        assert module not in core, module
    extras = project["optional-dependencies"]
    assert {"dataset", "review", "dev"} <= set(extras)
    assert "akhbar[dataset,review]" in extras["dev"]
