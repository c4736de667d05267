"""`akhbar ingest`: what it writes, what it records, and every refusal leaving nothing behind."""

from __future__ import annotations

import json

import pytest
import yaml

from akhbar.cli import main
from akhbar.format.corpus import sha256_hex
from akhbar.format.text import normalise_text
from akhbar.versions.ingest import split_for_id
from akhbar.format.index import INDEX_DIR

from conftest import SEED_FILE, tree


def _ingest(repo, seed, doc_id, *extra):
    return main(["ingest", str(seed), "--id", doc_id, "--corpus", str(repo / "corpus"), *extra])


def test_ingest_writes_the_document(empty_repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("inbox") / "article.txt"
    raw = "\ufeffعنوان الخبر\r\nنص الخبر.\r\n".encode("utf-8")
    outside.write_bytes(raw)
    assert _ingest(empty_repo, outside, "news-1", "--date", "2026-11-28") == 0
    # copied into seeds/ byte for byte
    assert (empty_repo / "seeds" / "article.txt").read_bytes() == raw
    doc_dir = empty_repo / "corpus" / "news-1"
    text = (doc_dir / "text.v1.txt").read_bytes()
    assert text == "عنوان الخبر\nنص الخبر.\n".encode("utf-8")  # BOM and CR removed, nothing else
    meta = yaml.safe_load((doc_dir / "document.yaml").read_text(encoding="utf-8"))
    assert meta["title"] == "عنوان الخبر"
    assert meta["source"]["sha256"] == sha256_hex(raw)
    assert meta["source"]["publisher"] is None and meta["source"]["url"] is None
    assert meta["split"] == split_for_id("news-1")
    (v1,) = meta["versions"]
    assert v1["sha256"] == sha256_hex(text) and v1["chars"] == len(text.decode())
    assert v1["date"] == "2026-11-28"
    assert "byte order mark" in v1["note"] and "2 CRLF" in v1["note"]
    ann = json.loads((doc_dir / "annotations.json").read_text(encoding="utf-8"))
    assert ann["text_version"] == 1 and ann["text_sha256"] == v1["sha256"]
    assert ann["sentences"] == [] and ann["entities"] == []
    assert sorted(p.name for p in doc_dir.iterdir()) == ["annotations.json", "document.yaml", "text.v1.txt"]


def test_normalise_composes_nfc_and_counts_line_endings():
    decomposed = "e\u0301\r\na\rb"
    n = normalise_text(decomposed)
    assert n.text == "\u00e9\na\nb"
    assert (n.crlf, n.lone_cr, n.nfc_changed, n.bom_removed) == (1, 1, True, False)


def test_split_rule_is_deterministic_and_roughly_80_10_10():
    splits = [split_for_id(f"doc-{i}") for i in range(5000)]
    assert splits == [split_for_id(f"doc-{i}") for i in range(5000)]
    share = {s: splits.count(s) / len(splits) for s in ("train", "validation", "test")}
    assert 0.77 < share["train"] < 0.83 and 0.08 < share["validation"] < 0.12 and 0.08 < share["test"] < 0.12


@pytest.mark.parametrize(
    "case, content, doc_id, needle",
    [
        ("not-utf8", b"abc\n\xff\xfe def", "doc-a", "line 2, column 1"),
        ("empty", b"", "doc-a", "empty"),
        ("only-bom", "\ufeff".encode(), "doc-a", "no text"),
        ("bad-id-upper", "نص".encode(), "Doc-A", "not a valid document id"),
        ("bad-id-slash", "نص".encode(), "../escape", "not a valid document id"),
        ("bad-id-long", "نص".encode(), "a" * 65, "not a valid document id"),
    ],
)
def test_ingest_refuses_bad_input_and_writes_nothing(empty_repo, tmp_path_factory, capsys, case, content, doc_id, needle):
    seed = tmp_path_factory.mktemp(case) / "seed.txt"
    seed.write_bytes(content)
    before = tree(empty_repo)
    assert _ingest(empty_repo, seed, doc_id) == 2
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1
    assert tree(empty_repo) == before


def test_ingest_refuses_an_existing_id_and_a_seed_ingested_twice(empty_repo, capsys):
    seed = empty_repo / "seeds" / SEED_FILE.name
    seed.write_bytes(SEED_FILE.read_bytes())
    assert _ingest(empty_repo, seed, "first") == 0
    before = tree(empty_repo)

    other = empty_repo / "seeds" / "other.txt"
    other.write_bytes("نص آخر".encode())
    before_other = tree(empty_repo)
    assert _ingest(empty_repo, other, "first") == 2
    assert "exists already" in capsys.readouterr().err
    assert tree(empty_repo) == before_other

    other.unlink()
    assert _ingest(empty_repo, seed, "second") == 2
    assert "already ingested as 'first'" in capsys.readouterr().err
    assert tree(empty_repo) == before


def test_ingest_of_a_missing_file_is_a_usage_error(empty_repo, capsys):
    assert _ingest(empty_repo, empty_repo / "nope.txt", "doc-a") == 2
    assert "no such file" in capsys.readouterr().err


def test_fmt_check_reports_and_fmt_rewrites(repo_copy, capsys):
    ann = next(d for d in (repo_copy / "corpus").iterdir() if d.is_dir() and d.name != INDEX_DIR) / "annotations.json"
    data = json.loads(ann.read_text(encoding="utf-8"))
    ann.write_text(json.dumps(data, indent=4), encoding="utf-8")  # valid, not canonical
    assert main(["fmt", "--check", str(repo_copy / "corpus")]) == 1
    assert main(["fmt", str(repo_copy / "corpus")]) == 0
    assert main(["fmt", "--check", str(repo_copy / "corpus")]) == 0
    assert json.loads(ann.read_text(encoding="utf-8")) == data


@pytest.mark.parametrize("date", ["2026-02-30", "2026-W48-1", "29/11/2026", "2026-11-29\n"])
def test_ingest_refuses_a_bad_version_date_and_writes_nothing(empty_repo, capsys, date):
    seed = empty_repo / "seeds" / "seed.txt"
    seed.write_bytes("عنوان\nنص.".encode())
    before = tree(empty_repo)
    assert _ingest(empty_repo, seed, "doc-a", "--date", date) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert tree(empty_repo) == before
