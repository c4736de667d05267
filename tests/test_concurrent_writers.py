"""Two writers at once (issue 17, section 3): real processes, no lost correction, no duplicate seed, a clean loser.

Every run here starts real `akhbar` processes at the same moment. A loser
either waits for the lock and then builds on the winner's result, or (with a
short `AKHBAR_LOCK_TIMEOUT`) refuses with exit status 2 and `writer-busy`;
never a traceback, never a silent overwrite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from akhbar.format.lock import WriterBusy, corpus_lock, document_lock, hold_lock
from akhbar.validate import validate_paths

from conftest import SEED_FILE, SEED_ID, tree


def _start(args: list[str], env_extra: dict | None = None) -> subprocess.Popen:
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.Popen([sys.executable, "-m", "akhbar", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def _finish(procs: list[subprocess.Popen]) -> list[tuple[int, str]]:
    out = []
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert "Traceback" not in err, err
        out.append((p.returncode, err))
    return out


def _versions(doc_dir: Path) -> list[dict]:
    return yaml.safe_load((doc_dir / "document.yaml").read_text("utf-8"))["versions"]


def _errors(corpus: Path) -> list[str]:
    return [p.code for p in validate_paths([corpus], corpus=corpus).errors if p.code != "review-pending"]


@pytest.mark.parametrize("trial", range(3))
def test_two_revise_runs_at_once_lose_no_correction(repo_copy: Path, trial: int):
    corpus = repo_copy / "corpus"
    before = _versions(corpus / SEED_ID)
    old = (corpus / SEED_ID / before[-1]["file"]).read_text("utf-8")
    texts = []
    for i, at in enumerate((200, 600)):  # a word added inside a sentence: the document stays valid
        cut = old.index(" ", at)
        path = repo_copy / f"new{i}.txt"
        path.write_text(old[:cut] + " جدا" + old[cut:], "utf-8")
        texts.append(path)
    procs = [_start(["revise", SEED_ID, "--text", str(t), "--note", f"fix {i}", "--corpus", str(corpus)])
             for i, t in enumerate(texts)]
    results = _finish(procs)
    assert all(code == 0 for code, _ in results)  # the second waited for the first, then revised its result
    versions = _versions(corpus / SEED_ID)
    assert [v["version"] for v in versions] == list(range(1, len(before) + 3))
    assert sorted((corpus / SEED_ID / v["file"]).read_text("utf-8") for v in versions[-2:]) == \
        sorted(t.read_text("utf-8") for t in texts)  # both corrections are kept, one per version
    assert _errors(corpus) == []


def test_a_revise_that_cannot_get_the_lock_refuses_with_exit_2_and_writes_nothing(repo_copy: Path):
    corpus = repo_copy / "corpus"
    new = repo_copy / "new.txt"
    new.write_text((corpus / SEED_ID / _versions(corpus / SEED_ID)[-1]["file"]).read_text("utf-8") + "زيادة.\n", "utf-8")
    before = tree(corpus)
    with document_lock(corpus, SEED_ID):
        (code, err), = _finish([_start(["revise", SEED_ID, "--text", str(new), "--note", "x", "--corpus", str(corpus)],
                                        {"AKHBAR_LOCK_TIMEOUT": "0.3"})])
    assert code == 2 and "writer-busy" in err
    assert tree(corpus) == before


@pytest.mark.parametrize("trial", range(3))
def test_two_ingests_of_one_seed_under_two_ids_leave_one_document(empty_repo: Path, tmp_path_factory, trial: int):
    seed = tmp_path_factory.mktemp("inbox") / "article.txt"
    seed.write_bytes(SEED_FILE.read_bytes())
    corpus = empty_repo / "corpus"
    procs = [_start(["ingest", str(seed), "--id", doc_id, "--corpus", str(corpus)]) for doc_id in ("doc-a", "doc-b")]
    codes = sorted(code for code, _ in _finish(procs))
    assert codes == [0, 2]
    assert len([d for d in corpus.iterdir() if d.is_dir() and not d.name.startswith(".")]) == 1
    assert [p.name for p in (empty_repo / "seeds").iterdir()] == ["article.txt"]
    assert _errors(corpus) == []


@pytest.mark.parametrize("trial", range(3))
def test_two_ingests_of_one_id_at_once_one_wins_the_other_refuses(empty_repo: Path, tmp_path_factory, trial: int):
    inbox = tmp_path_factory.mktemp("inbox")
    seeds = []
    for i in range(2):
        seed = inbox / f"article{i}.txt"
        seed.write_text(f"عنوان {i}\nنص الخبر رقم {i}.\n", "utf-8")
        seeds.append(seed)
    corpus = empty_repo / "corpus"
    procs = [_start(["ingest", str(s), "--id", "same-id", "--corpus", str(corpus)]) for s in seeds]
    results = _finish(procs)
    assert sorted(code for code, _ in results) == [0, 2]
    assert [d.name for d in corpus.iterdir() if d.is_dir() and not d.name.startswith(".")] == ["same-id"]
    # the loser's seed was not copied: only the winner's seed is in seeds/
    winner = [s for s, (code, _) in zip(seeds, results) if code == 0][0]
    assert [p.name for p in (empty_repo / "seeds").iterdir()] == [winner.name]
    assert _errors(corpus) == []


def test_an_ingest_that_cannot_get_the_corpus_lock_refuses(empty_repo: Path, tmp_path_factory):
    seed = tmp_path_factory.mktemp("inbox") / "article.txt"
    seed.write_bytes(SEED_FILE.read_bytes())
    corpus = empty_repo / "corpus"
    with corpus_lock(corpus):
        (code, err), = _finish([_start(["ingest", str(seed), "--id", "doc-a", "--corpus", str(corpus)],
                                        {"AKHBAR_LOCK_TIMEOUT": "0.3"})])
    assert code == 2 and "writer-busy" in err
    assert tree(empty_repo) == {}


def test_the_lock_is_released_when_its_holder_dies(tmp_path: Path):
    lock = tmp_path / "x.lock"
    code = ("import os, sys\nfrom akhbar.format.lock import hold_lock\n"
            "with hold_lock(sys.argv[1], 'x'):\n    print('held', flush=True)\n    os._exit(9)\n")
    done = subprocess.run([sys.executable, "-c", code, str(lock)], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "held" and done.returncode == 9
    with hold_lock(lock, "x", timeout=0):
        pass


def test_a_held_lock_refuses_a_second_holder_in_time(tmp_path: Path):
    lock = tmp_path / "x.lock"
    code = ("import sys, time\nfrom akhbar.format.lock import hold_lock\n"
            "with hold_lock(sys.argv[1], 'x'):\n    print('held', flush=True)\n    sys.stdin.readline()\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(lock)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WriterBusy) as info:
            with hold_lock(lock, "x", timeout=0.1):
                pass
        assert info.value.exit_status == 2
    finally:
        holder.communicate("\n", timeout=60)
    with hold_lock(lock, "x", timeout=0):
        pass
