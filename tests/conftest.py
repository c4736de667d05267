"""Shared fixtures: the real repository paths and throwaway repositories for commands that write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SEEDS = REPO / "seeds"
SEED_FILE = SEEDS / "000_2a47d67380bc8a8f.txt"
SEED_ID = "000-2a47d67380bc8a8f"
SEED_SHA256 = "4522a1f8201e73c7569fe33693125d3c366e0e9c130cc1f71158d53fd5b634b2"


@pytest.fixture
def empty_repo(tmp_path: Path) -> Path:
    """A repository with empty corpus/ and seeds/ folders."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "seeds").mkdir()
    return tmp_path


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A repository holding a copy of the real seed document (its folder, its seed file, its index row), safe to modify.

    The seed only, not the whole corpus: the tests that write need a small, known corpus; the tests of the
    real corpus read CORPUS itself.
    """
    (tmp_path / "corpus").mkdir()
    (tmp_path / "seeds").mkdir()
    shutil.copytree(CORPUS / SEED_ID, tmp_path / "corpus" / SEED_ID)
    shutil.copy(SEED_FILE, tmp_path / "seeds" / SEED_FILE.name)
    for shard in sorted((CORPUS / ".index").glob("*/*.tsv")):  # the seed document's row, in each family's shard
        lines = shard.read_text(encoding="utf-8").splitlines(keepends=True)
        rows = [line for line in lines[1:] if line.startswith(SEED_ID + "\t")]
        if rows:
            target = tmp_path / "corpus" / ".index" / shard.parent.name / shard.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(lines[0] + "".join(rows), encoding="utf-8")
    return tmp_path


def tree(path: Path) -> dict[str, bytes]:
    """Every file under `path` with its bytes: to assert that nothing was written."""
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}
