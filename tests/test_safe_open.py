"""The safe-open rule (format/safe_open.py) and the validator's use of it (issue 17, section 2)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from akhbar.format.safe_open import MAX_FILE_BYTES, FileRefused, is_inside, read_bytes_safely
from akhbar.validate import validate_paths
from akhbar.validate.codes import MAX_FILE_BYTES as VALIDATOR_CAP

from conftest import SEED_ID


def _code(fn) -> str:
    with pytest.raises(FileRefused) as info:
        fn()
    return info.value.code


def test_one_cap_constant():
    assert VALIDATOR_CAP is MAX_FILE_BYTES


def test_reads_a_regular_file_inside(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(b"abc")
    assert read_bytes_safely(tmp_path / "a.txt", tmp_path) == b"abc"
    assert read_bytes_safely(tmp_path / "a.txt") == b"abc"


def test_link_inside_the_root_is_read(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(b"abc")
    (tmp_path / "b.txt").symlink_to("a.txt")
    assert read_bytes_safely(tmp_path / "b.txt", tmp_path) == b"abc"


def test_link_to_etc_passwd_is_refused(tmp_path: Path):
    (tmp_path / "text.v2.txt").symlink_to("/etc/passwd")
    assert _code(lambda: read_bytes_safely(tmp_path / "text.v2.txt", tmp_path)) == "path-escapes-corpus"


def test_absolute_and_dotdot_names_are_refused(tmp_path: Path):
    inner = tmp_path / "corpus"
    inner.mkdir()
    (tmp_path / "secret.txt").write_bytes(b"x")
    assert _code(lambda: read_bytes_safely(inner / "/etc/passwd", inner)) == "path-escapes-corpus"
    assert _code(lambda: read_bytes_safely(inner / ".." / "secret.txt", inner)) == "path-escapes-corpus"
    assert not is_inside(inner / ".." / "secret.txt", inner)
    assert is_inside(inner, inner)


def test_missing_file_and_broken_link(tmp_path: Path):
    assert _code(lambda: read_bytes_safely(tmp_path / "nope", tmp_path)) == "file-missing"
    (tmp_path / "dangling").symlink_to(tmp_path / "nope")
    with pytest.raises(FileRefused) as info:
        read_bytes_safely(tmp_path / "dangling", tmp_path)
    assert info.value.code == "file-missing" and info.value.exit_status == 2


def test_folder_and_device_are_refused(tmp_path: Path):
    assert _code(lambda: read_bytes_safely(tmp_path)) == "file-unreadable"
    assert _code(lambda: read_bytes_safely("/dev/zero")) == "file-unreadable"
    assert _code(lambda: read_bytes_safely("/dev/null")) == "file-unreadable"


def test_fifo_is_refused_without_blocking(tmp_path: Path):
    fifo = tmp_path / "annotations.json"
    os.mkfifo(fifo)
    # A child process, so a regression (a blocking open) fails on the harness's timeout instead of hanging the suite.
    code = ("import sys\nfrom akhbar.format.safe_open import FileRefused, read_bytes_safely\n"
            "try:\n    read_bytes_safely(sys.argv[1], sys.argv[2])\nexcept FileRefused as e:\n    print(e.code)\n")
    done = subprocess.run([sys.executable, "-c", code, str(fifo), str(tmp_path)], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "file-unreadable"


def test_over_the_cap_is_refused_before_reading(tmp_path: Path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:  # sparse: 1 GB of nothing on disk
        f.truncate(1 << 30)
    with pytest.raises(FileRefused) as info:
        read_bytes_safely(big, tmp_path)
    assert info.value.code == "file-too-large" and info.value.exit_status == 1
    small = tmp_path / "small.txt"
    small.write_bytes(b"12345")
    assert _code(lambda: read_bytes_safely(small, tmp_path, max_bytes=4)) == "file-too-large"
    assert read_bytes_safely(small, tmp_path, max_bytes=5) == b"12345"


def test_message_escapes_the_name(tmp_path: Path):
    name = tmp_path / "x\x1b[31m\n::error::y"
    with pytest.raises(FileRefused) as info:
        read_bytes_safely(name, tmp_path)
    assert "\x1b" not in str(info.value) and "\n" not in str(info.value)


# ---------------------------------------------------------------- the validator uses the rule

def _codes(report) -> set[str]:
    return {p.code for p in report.problems}


def test_document_folder_linking_out_of_the_corpus_is_refused(repo_copy: Path, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    shutil.move(repo_copy / "corpus" / SEED_ID, outside / SEED_ID)
    (repo_copy / "corpus" / SEED_ID).symlink_to(outside / SEED_ID, target_is_directory=True)
    report = validate_paths([repo_copy / "corpus"], corpus=repo_copy / "corpus")
    assert not report.valid
    codes = [p.code for p in report.problems if p.is_error]
    assert "path-escapes-corpus" in codes and report.stats["files"] == 0  # nothing read through the link


def test_seeds_folder_linking_out_of_the_repository_is_refused(repo_copy: Path, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    shutil.move(repo_copy / "seeds", outside / "seeds")
    (repo_copy / "seeds").symlink_to(outside / "seeds", target_is_directory=True)
    report = validate_paths([repo_copy / "corpus"], corpus=repo_copy / "corpus")
    assert "path-escapes-corpus" in _codes(report) and not report.valid


def test_text_version_linking_to_etc_passwd_is_refused(repo_copy: Path):
    doc = repo_copy / "corpus" / SEED_ID
    text = doc / "text.v1.txt"
    text.unlink()
    text.symlink_to("/etc/passwd")
    report = validate_paths([doc], corpus=repo_copy / "corpus")
    assert "path-escapes-corpus" in _codes(report)


def test_annotations_file_with_an_absolute_document_reads_nothing_outside(repo_copy: Path, tmp_path: Path):
    import json

    ann = json.loads((repo_copy / "corpus" / SEED_ID / "annotations.json").read_text("utf-8"))
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "text.v1.txt").write_text("x", "utf-8")
    ann["document"] = str(fake)
    path = tmp_path / "a.json"
    path.write_text(json.dumps(ann), "utf-8")
    report = validate_paths([path], corpus=repo_copy / "corpus")
    assert not report.valid and report.stats["files"] == 1  # the text outside was not read


def test_map_gives_the_same_bytes_under_the_same_rule(tmp_path: Path):
    from akhbar.format.safe_open import map_bytes_safely

    data = tmp_path / "index.tsv"
    data.write_bytes("id\tseed\nأ\tب\n".encode("utf-8"))
    mapped = map_bytes_safely(data, tmp_path)
    try:
        assert mapped[:] == read_bytes_safely(data, tmp_path)
    finally:
        mapped.close()
    (tmp_path / "empty").write_bytes(b"")
    assert map_bytes_safely(tmp_path / "empty", tmp_path) == b""
    assert _code(lambda: map_bytes_safely(tmp_path)) == "file-unreadable"  # a folder
    outside = tmp_path.parent / f"{tmp_path.name}-outside.tsv"
    outside.write_bytes(b"x")
    (tmp_path / "link.tsv").symlink_to(outside)
    assert _code(lambda: map_bytes_safely(tmp_path / "link.tsv", tmp_path)) == "path-escapes-corpus"
