"""Issue 17, section 3: writers that are killed at any rename, or meet a full disk, leave nothing half-written.

A kill is simulated for real: a child process patches `os.rename`/`os.replace`
(and the exchange) to `os._exit` at their N-th call, so no `except` or
`finally` runs, as with kill -9. The next run must find the output in place,
and the release files at one version.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

import akhbar.format.atomic as atomic
from akhbar.cli import main
from akhbar.dataset.build import build
from akhbar.release import read_version, recover_release
from akhbar.validate import validate_paths

from conftest import SEED_FILE, SEED_ID, tree

KILLER = textwrap.dedent("""
    import os, sys
    import akhbar.format.atomic as atomic
    limit = int(sys.argv[1])
    folders_only = sys.argv[2] != "release"  # a build: only the renames of folders can lose the output
    calls = [0]
    def counted(real):
        def wrapper(*args, **kwargs):
            if folders_only and real is not atomic.exchange_folders and not os.path.isdir(args[0]):
                return real(*args, **kwargs)
            calls[0] += 1
            if calls[0] == limit:
                os._exit(9)
            return real(*args, **kwargs)
        return wrapper
    os.rename = counted(os.rename)
    os.replace = counted(os.replace)
    if sys.argv[2] == "fallback":
        atomic.exchange_folders = lambda a, b: False
    else:
        atomic.exchange_folders = counted(atomic.exchange_folders)
    from akhbar.cli import main
    sys.exit(main(sys.argv[3:]))
""")


def _killed_at(n: int, mode: str, args: list[str]) -> int:
    return subprocess.run([sys.executable, "-c", KILLER, str(n), mode, *args], capture_output=True, text=True,
                          timeout=300).returncode


def _corpus(tmp_path: Path) -> Path:
    from corpus_fixture import write_corpus

    repo = tmp_path / "repo"
    repo.mkdir()
    write_corpus(repo)
    return repo / "corpus"


@pytest.mark.parametrize("mode", ["exchange", "fallback"])
def test_build_killed_at_every_rename_never_leaves_the_output_missing(tmp_path: Path, mode: str):
    corpus = _corpus(tmp_path)
    out = tmp_path / "dataset"
    assert main(["build", "--corpus", str(corpus), "--out", str(out), "-q"]) == 0
    first = tree(out)
    n, killed = 1, 0
    while True:
        code = _killed_at(n, mode, ["build", "--corpus", str(corpus), "--out", str(out), "-q"])
        if code != 9:
            assert code == 0
            break
        killed += 1
        atomic.recover_folder(out)  # what the next run does first
        assert tree(out) == first, f"killed at rename {n}"
        n += 1
    assert killed >= (2 if mode == "fallback" else 1)  # the swap's renames were really reached
    assert main(["build", "--corpus", str(corpus), "--out", str(out), "-q"]) == 0
    assert tree(out) == first
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # stale temps removed by the last run


def test_the_next_build_restores_an_output_left_aside(tmp_path: Path, monkeypatch):
    corpus = _corpus(tmp_path)
    out = tmp_path / "dataset"
    build(corpus, out)
    first = tree(out)
    os.rename(out, out.with_name(f".{out.name}.akhbar-old"))  # a kill between the two renames of the fallback
    build(corpus, out)
    assert tree(out) == first and not out.with_name(f".{out.name}.akhbar-old").exists()


def _release_state(repo: Path) -> tuple[str, str, bool]:
    cff = yaml.safe_load((repo / "CITATION.cff").read_text("utf-8"))
    dated = "## [0.2.0] - " in (repo / "CHANGELOG.md").read_text("utf-8")
    return read_version(repo), str(cff["version"]), dated


def test_release_killed_at_every_rename_states_one_version(tmp_path: Path):
    from test_release import CHANGELOG, COPIED, REPO, prepare

    base = tmp_path / "base"
    base.mkdir()
    for name in COPIED:
        src = REPO / name
        (shutil.copytree(src, base / name, ignore=shutil.ignore_patterns("__pycache__")) if src.is_dir()
         else shutil.copy2(src, base / name))
    (base / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    prepare(base)
    old = _release_state(base)
    n = 1
    while True:
        repo = tmp_path / f"r{n}"
        shutil.copytree(base, repo, symlinks=True)
        code = _killed_at(n, "release", ["release", "0.2.0", "--date", "2027-01-15", "--repo", str(repo)])
        if code != 9:
            assert code == 0 and _release_state(repo) == ("0.2.0", "0.2.0", True)
            break
        recover_release(repo)
        state = _release_state(repo)
        assert state in (old, ("0.2.0", "0.2.0", True)), f"killed at rename {n}: {state}"
        assert not (repo / ".akhbar-release.journal").exists()
        assert not list(repo.glob(".*.akhbar-release-new")) and not list((repo / "src" / "akhbar").glob(".*akhbar-release-new"))
        n += 1
    assert n >= 5  # three staged writes, the journal, then the renames into place were each interrupted


# ---------------------------------------------------------------- the tool's temporary files

def test_a_stray_temporary_file_never_makes_the_corpus_invalid_and_the_next_fmt_removes_it(repo_copy: Path):
    corpus = repo_copy / "corpus"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    stray = corpus / SEED_ID / f".annotations.json.akhbar-{pid}-abc123_x.tmp"
    stray.write_text("{half", "utf-8")
    report = validate_paths([corpus], corpus=corpus)
    assert report.valid and "stray-file" not in {p.code for p in report.problems}
    assert main(["fmt", str(corpus)]) == 0
    assert not stray.exists()


def test_a_live_writers_temporary_file_is_left_alone(tmp_path: Path):
    live = tmp_path / f".x.akhbar-{os.getpid()}-abc.tmp"
    live.write_text("", "utf-8")
    assert atomic.remove_stale_temps(tmp_path) == [] and live.exists()
    assert atomic.is_temp_name(live.name) and not atomic.is_temp_name("annotations.json~")


def test_a_file_that_only_looks_like_a_temporary_file_is_still_stray(repo_copy: Path):
    corpus = repo_copy / "corpus"
    (corpus / SEED_ID / ".annotations.json.XXXX.tmp").write_text("", "utf-8")  # not the tool's pattern
    assert "stray-file" in {p.code for p in validate_paths([corpus], corpus=corpus).problems}


# ---------------------------------------------------------------- a full disk

@pytest.fixture
def full_disk(monkeypatch):
    def no_space(f, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic, "_write_all", no_space)


def _one_coded_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and "disk-full" in err and len(err.strip().splitlines()) == 1
    return err


def test_build_on_a_full_disk(tmp_path: Path, capsys, monkeypatch):
    corpus = _corpus(tmp_path)
    out = tmp_path / "dataset"
    assert main(["build", "--corpus", str(corpus), "--out", str(out), "-q"]) == 0
    before = tree(out)
    capsys.readouterr()
    monkeypatch.setattr(atomic, "_write_all", lambda f, d: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space")))
    assert main(["build", "--corpus", str(corpus), "--out", str(out), "-q"]) == 2
    _one_coded_line(capsys)
    assert tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_revise_fmt_ingest_show_on_a_full_disk(repo_copy: Path, tmp_path_factory, capsys, full_disk):
    corpus = repo_copy / "corpus"
    tmp_path = tmp_path_factory.mktemp("elsewhere")
    before = tree(repo_copy)
    versions = yaml.safe_load((corpus / SEED_ID / "document.yaml").read_text("utf-8"))["versions"]
    new = tmp_path / "new.txt"
    text = (corpus / SEED_ID / versions[-1]["file"]).read_text("utf-8")
    cut = text.index(" ", 100)
    new.write_text(text[:cut] + " جدا" + text[cut:], "utf-8")
    assert main(["revise", SEED_ID, "--text", str(new), "--note", "x", "--corpus", str(corpus)]) == 2
    _one_coded_line(capsys)
    ann = corpus / SEED_ID / "annotations.json"
    ann.write_bytes(json.dumps(json.loads(ann.read_bytes())).encode())  # not canonical: fmt would rewrite it
    before = tree(repo_copy)
    assert main(["fmt", str(corpus)]) == 2
    _one_coded_line(capsys)
    seed = tmp_path / "inbox.txt"
    seed.write_text("عنوان\nنص جديد.\n", "utf-8")
    assert main(["ingest", str(seed), "--id", "new-doc", "--corpus", str(corpus)]) == 2
    _one_coded_line(capsys)
    assert main(["show", SEED_ID, "--corpus", str(corpus), "-o", str(tmp_path / "p.html")]) == 2
    _one_coded_line(capsys)
    assert tree(repo_copy) == before and not (tmp_path / "p.html").exists()
