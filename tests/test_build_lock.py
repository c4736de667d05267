"""`akhbar build` takes locks (issue 17, section 3): the corpus's for validation and reading, the output parent's
for the swap; and a killed import's staging folder is swept by the next import. Real processes throughout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from akhbar.cli import main
from akhbar.format.lock import corpus_lock, hold_lock
from akhbar.validate import validate_paths
from akhbar.format.index import INDEX_DIR

from conftest import tree

FIXTURES = Path(__file__).resolve().parent / "import_fixtures"


def _build(repo: Path, out: Path, timeout: str | None = None) -> subprocess.Popen:
    env = dict(os.environ, **({"AKHBAR_LOCK_TIMEOUT": timeout} if timeout else {}))
    return subprocess.Popen([sys.executable, "-m", "akhbar", "build", "--corpus", str(repo / "corpus"), "--out",
                             str(out), "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name != INDEX_DIR)


@pytest.mark.parametrize("trial", range(2))
def test_two_builds_to_one_out_both_end_with_a_complete_folder(repo_copy: Path, trial: int):
    out = repo_copy / "dataset"
    procs = [_build(repo_copy, out) for _ in range(2)]
    results = [(p.wait(timeout=600), p.stderr.read()) for p in procs]
    for code, err in results:
        assert "Traceback" not in err, err
        assert code == 0 or (code == 2 and "writer-busy" in err), (code, err)
    assert any(code == 0 for code, _ in results)
    assert main(["build", "--corpus", str(repo_copy / "corpus"), "--check", str(out)]) == 0
    assert _leftovers(repo_copy) == []  # no staged folder, no aside copy


def test_build_waits_for_a_writer_of_the_corpus(repo_copy: Path):
    """While another process holds the corpus lock (a revise, an ingest), build neither validates nor reads:
    with a short timeout it refuses, writer-busy, exit 2, and writes nothing."""
    out = repo_copy / "dataset"
    before = tree(repo_copy)
    with corpus_lock(repo_copy / "corpus"):
        proc = _build(repo_copy, out, timeout="0.5")
        code, err = proc.wait(timeout=600), proc.stderr.read()
    assert (code, "writer-busy" in err, "Traceback" in err) == (2, True, False)
    assert tree(repo_copy) == before and not out.exists()


def test_build_takes_the_lock_of_the_output_folder(repo_copy: Path):
    out = repo_copy / "dataset"
    with hold_lock(repo_copy, "a build swapping its output"):
        proc = _build(repo_copy, out, timeout="0.5")
        code, err = proc.wait(timeout=600), proc.stderr.read()
    assert (code, "writer-busy" in err) == (2, True)
    assert not out.exists()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_imports_staging_folder_is_ignored_then_swept(empty_repo: Path):
    corpus = empty_repo / "corpus"
    stale = corpus / f".import.akhbar-{_dead_pid()}-x1y2z3.tmp"
    (stale / "wj-d9").mkdir(parents=True)
    (stale / "wj-d9" / "document.yaml").write_text("id: wj-d9\n", encoding="utf-8")
    assert validate_paths([corpus]).valid  # the validator ignores the tool's temporary names
    assert main(["import", "--format", "conll", "--corpus", str(corpus), "--date", "2026-12-01", "--id-prefix", "wj",
                 str(FIXTURES / "nested.conll")]) == 0
    assert not stale.exists()
    assert _leftovers(corpus) == []
    assert validate_paths([corpus]).valid


def test_export_waits_for_a_writer_of_the_corpus(repo_copy: Path):
    """Export reads the corpus twice (a scan, then each document as it is written): like build, it holds the
    corpus lock, so while a writer holds it export refuses, writer-busy, exit 2, and writes nothing."""
    out = repo_copy.parent / "export"
    before = tree(repo_copy)
    env = dict(os.environ, AKHBAR_LOCK_TIMEOUT="0.5")
    with corpus_lock(repo_copy / "corpus"):
        proc = subprocess.run([sys.executable, "-m", "akhbar", "export", "--format", "jsonl", "--corpus",
                               str(repo_copy / "corpus"), "--out", str(out)], capture_output=True, text=True, env=env)
    assert (proc.returncode, "writer-busy" in proc.stderr, "Traceback" in proc.stderr) == (2, True, False)
    assert tree(repo_copy) == before and not out.exists()
    ok = subprocess.run([sys.executable, "-m", "akhbar", "export", "--format", "jsonl", "--corpus",
                         str(repo_copy / "corpus"), "--out", str(out)], capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and (out / "train.jsonl").is_file()
