"""Issue 17, section 2: nothing is read or written outside where it belongs, and nothing over the size cap.

Every example of the issue is a case here: `show` without `-o` and a hostile
`document`, texts and seeds linked to /etc/passwd, a FIFO, /dev/zero, a 1 GB
one-line file, `export --out` inside the corpus, `revise` and `ingest` over
the cap. Assertions are on exit statuses, codes and files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import review_fixtures as fx
from akhbar.cli import main
from akhbar.format.safe_open import MAX_FILE_BYTES

from conftest import SEED_FILE, SEED_ID, tree

PASSWD = "root:x:0:0"


def _hostile_annotations(tmp_path: Path, document) -> Path:
    data = fx.annotations_a()
    data["document"] = document
    path = tmp_path / "in" / "annotations.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


@pytest.mark.parametrize("document", ["/x/report", "../../../x/rel", "a/../../b", ".hidden"])
def test_show_without_output_never_takes_a_path_from_the_document_field(tmp_path, monkeypatch, capsys, document):
    corpus = fx.write_corpus(tmp_path / "repo")
    work = tmp_path / "work" / "deep" / "er"
    work.mkdir(parents=True)
    path = _hostile_annotations(tmp_path, document)
    monkeypatch.chdir(work)
    before = {p for p in tmp_path.rglob("*")}
    assert main(["show", str(path), "--corpus", str(corpus)]) == 0
    written = {p for p in tmp_path.rglob("*")} - before
    assert written == {work / "annotations.html"}
    assert not Path("/x/report.html").exists()


def test_show_with_a_valid_id_writes_id_html_here(tmp_path, monkeypatch):
    corpus = fx.write_corpus(tmp_path / "repo")
    monkeypatch.chdir(tmp_path)
    assert main(["show", fx.DOC_ID, "--corpus", str(corpus)]) == 0
    assert (tmp_path / f"{fx.DOC_ID}.html").is_file()


def test_show_never_puts_a_linked_text_into_the_page(repo_copy: Path, tmp_path: Path):
    doc = repo_copy / "corpus" / SEED_ID
    versions = yaml.safe_load((doc / "document.yaml").read_text("utf-8"))["versions"]
    current = doc / versions[-1]["file"]
    current.unlink()
    current.symlink_to("/etc/passwd")
    out = tmp_path / "page.html"
    assert main(["show", SEED_ID, "--corpus", str(repo_copy / "corpus"), "-o", str(out)]) == 0
    assert PASSWD not in out.read_text("utf-8")


def test_show_never_reads_an_absolute_version_file_or_seed(repo_copy: Path, tmp_path: Path):
    doc = repo_copy / "corpus" / SEED_ID
    meta = yaml.safe_load((doc / "document.yaml").read_text("utf-8"))
    meta["versions"][-1]["file"] = "/etc/passwd"
    meta["source"]["file"] = "/etc/passwd"
    (doc / "document.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), "utf-8")
    out = tmp_path / "page.html"
    main(["show", SEED_ID, "--corpus", str(repo_copy / "corpus"), "-o", str(out)])
    assert not out.exists() or PASSWD not in out.read_text("utf-8")


def test_show_with_an_absolute_document_reads_no_text_outside_the_corpus(tmp_path: Path):
    corpus = fx.write_corpus(tmp_path / "repo")
    outside = tmp_path / "elsewhere" / "doc"
    fx.write_corpus(tmp_path / "elsewhere-repo")
    outside.parent.mkdir()
    os.rename(tmp_path / "elsewhere-repo" / "corpus" / fx.DOC_ID, outside)
    path = _hostile_annotations(tmp_path, str(outside))
    out = tmp_path / "page.html"
    assert main(["show", str(path), "--corpus", str(corpus), "-o", str(out)]) == 0
    assert fx.TEXT.split()[1] not in out.read_text("utf-8")  # the text outside was not drawn


def _run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    # A child process with the harness's timeout: a reader that blocks fails the test instead of hanging the suite.
    return subprocess.run([sys.executable, "-m", "akhbar", *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_show_fmt_stats_cite_refuse_a_fifo_without_hanging(repo_copy: Path, tmp_path: Path):
    fifo = tmp_path / "annotations.json"
    os.mkfifo(fifo)
    for args in (["show", str(fifo), "-o", str(tmp_path / "x.html")], ["fmt", str(fifo)], ["cite", "--file", str(fifo)]):
        done = _run(args)
        assert done.returncode in (1, 2) and "Traceback" not in done.stderr, (args, done.stderr)
    corpus = repo_copy / "corpus"
    ann = corpus / SEED_ID / "annotations.json"
    ann.unlink()
    os.mkfifo(ann)
    for args in (["stats", "--corpus", str(corpus)], ["validate", str(corpus)], ["fmt", str(corpus)]):
        done = _run(args)
        assert done.returncode in (1, 2) and "Traceback" not in done.stderr, (args, done.stderr)


def test_show_refuses_dev_zero_and_a_huge_one_line_file(tmp_path: Path):
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.truncate(1 << 30)  # sparse: 1 GB, one line of NULs
    done = _run(["show", "/dev/zero", "-o", str(tmp_path / "x.html")])
    assert done.returncode in (1, 2) and "Traceback" not in done.stderr
    done = _run(["show", str(big), "-o", str(tmp_path / "x.html")])  # drawn as far as it can be: a page saying why
    assert done.returncode in (0, 1) and "file-too-large" in done.stdout + done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.html").exists() or (tmp_path / "x.html").stat().st_size < 1 << 20


def test_diff_never_reads_a_linked_text(repo_copy: Path, tmp_path: Path, capsys):
    corpus = repo_copy / "corpus"
    doc = corpus / SEED_ID
    versions = yaml.safe_load((doc / "document.yaml").read_text("utf-8"))["versions"]
    (doc / versions[-1]["file"]).unlink()
    (doc / versions[-1]["file"]).symlink_to("/etc/passwd")
    code = main(["diff", SEED_ID, str(doc / "annotations.json"), "--corpus", str(corpus), "-o", str(tmp_path / "d.html")])
    captured = capsys.readouterr()
    assert code in (1, 2) and PASSWD not in captured.out + captured.err
    assert not (tmp_path / "d.html").exists()


def test_stats_refuses_a_document_folder_linked_out_of_the_corpus(repo_copy: Path, tmp_path_factory, capsys):
    outside = tmp_path_factory.mktemp("outside")
    corpus = repo_copy / "corpus"
    os.rename(corpus / SEED_ID, outside / SEED_ID)
    (corpus / SEED_ID).symlink_to(outside / SEED_ID, target_is_directory=True)
    assert main(["stats", "--corpus", str(corpus)]) in (1, 2)
    assert "path-escapes-corpus" in capsys.readouterr().err


# ---------------------------------------------------------------- writes refused before anything is written

def test_export_into_the_corpus_is_refused(repo_copy: Path, capsys):
    corpus = repo_copy / "corpus"
    before = tree(repo_copy)
    for out in (corpus / "inside", corpus, corpus / SEED_ID / "x"):
        assert main(["export", "--corpus", str(corpus), "--format", "jsonl", "--out", str(out)]) == 2
    assert tree(repo_copy) == before


def test_build_into_the_seeds_or_corpus_is_refused(repo_copy: Path):
    before = tree(repo_copy)
    for out in (repo_copy / "corpus" / "ds", repo_copy / "seeds" / "ds"):
        assert main(["build", "--corpus", str(repo_copy / "corpus"), "--out", str(out), "-q"]) == 2
    assert tree(repo_copy) == before


def _sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as f:
        f.write("خبر\n".encode())
        f.truncate(size)
    return path


def test_revise_refuses_a_text_over_the_cap_before_writing(repo_copy: Path, capsys):
    corpus = repo_copy / "corpus"
    big = _sparse(repo_copy / "big.txt", MAX_FILE_BYTES + 1)
    before = tree(corpus)
    assert main(["revise", SEED_ID, "--text", str(big), "--note", "x", "--corpus", str(corpus)]) == 2
    assert "file-too-large" in capsys.readouterr().err
    assert tree(corpus) == before


def test_ingest_refuses_a_seed_over_the_cap_before_writing(empty_repo: Path, capsys):
    big = _sparse(empty_repo / "seeds" / "big.txt", MAX_FILE_BYTES + 1)
    before = tree(empty_repo)
    assert main(["ingest", str(big), "--id", "big-doc", "--corpus", str(empty_repo / "corpus")]) == 2
    assert "file-too-large" in capsys.readouterr().err
    assert tree(empty_repo) == before


def test_ingest_refuses_a_fifo_seed_and_a_seeds_link_out_of_the_repository(empty_repo: Path, tmp_path_factory):
    fifo = empty_repo / "seeds" / "pipe.txt"
    os.mkfifo(fifo)
    done = _run(["ingest", str(fifo), "--id", "doc-a", "--corpus", str(empty_repo / "corpus")])
    assert done.returncode == 2 and "file-unreadable" in done.stderr
    fifo.unlink()
    outside = tmp_path_factory.mktemp("outside")
    (empty_repo / "seeds").rmdir()
    (empty_repo / "seeds").symlink_to(outside, target_is_directory=True)
    seed = tmp_path_factory.mktemp("inbox") / "a.txt"
    seed.write_bytes(SEED_FILE.read_bytes())
    assert main(["ingest", str(seed), "--id", "doc-a", "--corpus", str(empty_repo / "corpus")]) == 1
    assert list(outside.iterdir()) == [] and not (empty_repo / "corpus" / "doc-a").exists()
