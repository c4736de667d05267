"""The corpus index `corpus/.index/`: sharded by hash prefix, appended by ingest, written whole by import, checked
by validate, converted from the single `corpus/index.tsv` of release 0.2.0."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import akhbar.format.corpus as corpus_module
import akhbar.format.index as index_module
from akhbar.cli import main
from akhbar.format.corpus import sha256_hex
from akhbar.format.index import HEADER, INDEX_DIR, LEGACY_INDEX_FILE, dumps_shards, row_of_dict, shard_of
from akhbar.validate import validate_paths

from conftest import tree

FIXTURES = Path(__file__).resolve().parent / "import_fixtures"


def _seed(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _ingest(corpus: Path, seed: Path, doc_id: str, *extra) -> int:
    return main(["ingest", str(seed), "--id", doc_id, "--corpus", str(corpus), *extra])


def _rows(corpus: Path, family: str) -> list[list[str]]:
    """Every row of a family, shard by shard in name order, each shard's rows in file order."""
    out = []
    for shard in sorted((corpus / INDEX_DIR / family).glob("*.tsv")):
        lines = shard.read_text(encoding="utf-8").splitlines()
        assert lines[0] == HEADER
        out += [line.split("\t") for line in lines[1:]]
    return out


def _problems(corpus: Path) -> list[tuple[str, str, int]]:
    """(code, file relative to the corpus, line) of every index problem of the corpus."""
    report = validate_paths([corpus])
    return sorted((p.code, os.path.relpath(p.file, corpus), p.line) for p in report.problems
                  if p.code.startswith("index"))


def _corpus_of(empty_repo: Path, tmp_path: Path, n: int) -> Path:
    corpus = empty_repo / "corpus"
    for k in range(n):
        assert _ingest(corpus, _seed(tmp_path, f"s{k}.txt", f"عنوان {k}\nنص الخبر رقم {k}.\n"), f"doc-{k}") == 0
    return corpus


# ------------------------------------------------------------------ ingest


def test_ingest_files_its_row_in_the_shard_of_each_hash(empty_repo, tmp_path):
    corpus = empty_repo / "corpus"
    seed = _seed(tmp_path, "story.txt", "عنوان\nنص الخبر.\n")
    assert _ingest(corpus, seed, "story", "--publisher", "Example News") == 0
    seed_sha = sha256_hex(seed.read_bytes())
    text_sha = sha256_hex((corpus / "story" / "text.v1.txt").read_bytes())
    row = ["story", "seeds/story.txt", seed_sha, text_sha]
    assert (corpus / INDEX_DIR / "seed" / shard_of(seed_sha)).read_text(encoding="utf-8") == (
        HEADER + "\n" + "\t".join(row) + "\n")
    assert _rows(corpus, "text") == [row] and (corpus / INDEX_DIR / "text" / shard_of(text_sha)).is_file()
    assert validate_paths([corpus]).valid and _problems(corpus) == []
    # the same text under another seed name: found in its text shard
    assert _ingest(corpus, _seed(tmp_path, "copy.txt", "عنوان\nنص الخبر.\n"), "story-2") == 2
    # the same seed under another name (found in its seed shard, which lists sha256#document too)
    assert _import_conll(empty_repo) == 0
    again = _seed(tmp_path, "nested-again.conll", (FIXTURES / "nested.conll").read_text(encoding="utf-8"))
    assert _ingest(corpus, again, "nested-again") == 2
    assert not (corpus / "story-2").exists() and not (corpus / "nested-again").exists()


def _import_conll(repo: Path) -> int:
    return main(["import", "--format", "conll", "--corpus", str(repo / "corpus"), "--date", "2026-12-01",
                 str(FIXTURES / "nested.conll")])


def test_ingest_appends_to_its_shards_and_import_rewrites_them_sorted(empty_repo, tmp_path):
    corpus = empty_repo / "corpus"
    for k, doc_id in enumerate(("ccc", "aaa", "bbb", "eee", "ddd")):
        before = {p: p.read_bytes() for p in (corpus / INDEX_DIR).glob("*/*.tsv")}
        assert _ingest(corpus, _seed(tmp_path, f"{doc_id}.txt", f"عنوان {doc_id}\nنص {k}.\n"), doc_id) == 0
        after = {p: p.read_bytes() for p in (corpus / INDEX_DIR).glob("*/*.tsv")}
        assert all(after[p].startswith(data) for p, data in before.items())  # appended, never rewritten
        assert sum(len(after[p]) - len(before.get(p, b"")) for p in after) > 0
    ids = sorted(r[0] for r in _rows(corpus, "seed"))
    assert ids == sorted(r[0] for r in _rows(corpus, "text")) == ["aaa", "bbb", "ccc", "ddd", "eee"]
    assert _problems(corpus) == []
    appended = tree(corpus / INDEX_DIR)
    assert main(["import", "--rebuild-index", "--corpus", str(corpus)]) == 0
    rebuilt = tree(corpus / INDEX_DIR)
    assert sorted(rebuilt) == sorted(appended)  # the same shards
    for name, data in rebuilt.items():
        rows = data.decode().splitlines()[1:]
        assert rows == sorted(rows) and sorted(appended[name].decode().splitlines()[1:]) == rows
    assert _import_conll(empty_repo) == 0
    assert len(_rows(corpus, "seed")) == len(_rows(corpus, "text")) == 7 and _problems(corpus) == []


def test_ingest_reads_only_the_two_shards_it_needs(empty_repo, tmp_path, monkeypatch):
    """What makes ingest's cost independent of the corpus size: with an index, no document.yaml is read, neither
    the corpus folder nor the index is listed, the index is appended to (never written whole), and of the index
    only the shard of the new seed's sha256 and the shard of its text's sha256 are read."""
    corpus = _corpus_of(empty_repo, tmp_path, 12)
    shards_before = sorted(p.relative_to(corpus).as_posix() for p in (corpus / INDEX_DIR).glob("*/*.tsv"))
    assert len(shards_before) > 4  # the rows are spread over many shards: reading "only two" can fail

    def refuse(*_a, **_k):
        raise AssertionError("the corpus was scanned or the index rewritten")

    index_folders = {corpus, corpus / INDEX_DIR, corpus / INDEX_DIR / "seed", corpus / INDEX_DIR / "text"}
    real_scandir, real_listdir, real_read = os.scandir, os.listdir, index_module.read_bytes_safely
    read: list[str] = []

    def reading(path, root=None, *a, **k):
        read.append(Path(path).relative_to(corpus).as_posix())
        return real_read(path, root, *a, **k)

    monkeypatch.setattr(os, "scandir", lambda p=".": refuse() if Path(p) in index_folders else real_scandir(p))
    monkeypatch.setattr(os, "listdir", lambda p=".": refuse() if Path(p) in index_folders else real_listdir(p))
    monkeypatch.setattr(corpus_module, "parse_document", refuse)
    monkeypatch.setattr(index_module, "parse_document", refuse)
    monkeypatch.setattr(index_module, "write_index", refuse)
    monkeypatch.setattr(index_module, "staged_folder", refuse)
    monkeypatch.setattr(index_module, "read_bytes_safely", reading)
    seed = _seed(tmp_path, "new.txt", "عنوان جديد\nنص آخر.\n")
    assert _ingest(corpus, seed, "new-doc") == 0
    monkeypatch.undo()
    text_sha = sha256_hex((corpus / "new-doc" / "text.v1.txt").read_bytes())
    wanted = [f"{INDEX_DIR}/seed/{shard_of(sha256_hex(seed.read_bytes()))}", f"{INDEX_DIR}/text/{shard_of(text_sha)}"]
    assert read == [p for p in wanted if p in shards_before]  # a shard not yet written is not read either
    assert len(_rows(corpus, "seed")) == 13 and _problems(corpus) == []


@pytest.mark.parametrize("family", ["seed", "text"])
def test_a_failed_append_leaves_every_shard_as_it_was(empty_repo, tmp_path, monkeypatch, family):
    corpus = _corpus_of(empty_repo, tmp_path, 3)
    before = tree(corpus / INDEX_DIR)
    seed = _seed(tmp_path, "second.txt", "عنوان ثان\nنص آخر.\n")
    target = f"{os.sep}{INDEX_DIR}{os.sep}{family}{os.sep}"
    real_write, real_open = os.write, os.open
    opened: dict[int, str] = {}
    cut: list[str] = []

    def tracking_open(path, flags, *a, **k):
        fd = real_open(path, flags, *a, **k)
        opened[fd] = str(path)
        return fd

    def short_write(fd, data):  # the append to one family's shard writes half its line, as a full disk would
        if target in opened.get(fd, "") and b"\tseeds/second.txt\t" in data:
            cut.append(opened[fd])
            return real_write(fd, data[: len(data) // 2])
        return real_write(fd, data)

    monkeypatch.setattr(os, "open", tracking_open)
    monkeypatch.setattr(os, "write", short_write)
    assert _ingest(corpus, seed, "second") != 0
    monkeypatch.undo()
    assert cut  # the fault was injected
    assert tree(corpus / INDEX_DIR) == before  # the other family's line taken back too, a created shard removed
    assert not (corpus / "second").exists() and not (empty_repo / "seeds" / "second.txt").exists()
    assert validate_paths([corpus]).valid and _problems(corpus) == []


def test_an_index_shard_linked_out_of_the_corpus_is_refused_with_a_code(empty_repo, tmp_path, capsys):
    corpus = _corpus_of(empty_repo, tmp_path, 1)
    outside = tmp_path / "elsewhere"
    (corpus / INDEX_DIR / "seed").rename(outside)
    (corpus / INDEX_DIR / "seed").symlink_to(outside)
    seed = _seed(tmp_path, "x.txt", "عنوان آخر\nنص.\n")  # its seed shard is made to be the one linked out
    for name in os.listdir(outside):
        os.rename(outside / name, outside / shard_of(sha256_hex(seed.read_bytes())))
    assert _ingest(corpus, seed, "x") == 1
    err = capsys.readouterr().err
    assert "path-escapes-corpus" in err and "Traceback" not in err
    assert not (corpus / "x").exists()
    assert ("index-mismatch", f"{INDEX_DIR}/seed", 1) in _problems(corpus)


# ------------------------------------------------------------------ validate


def _one_document(empty_repo, tmp_path) -> tuple[Path, str, str]:
    """A corpus of one ingested document whose seed and text sha256 have different first digits."""
    corpus = empty_repo / "corpus"
    for k in range(100):  # a BOM, which ingest removes, makes the two hashes differ
        raw = f"\ufeffعنوان\nنص {k}.\n".encode("utf-8")
        if shard_of(sha256_hex(raw)) != shard_of(sha256_hex(raw[3:])):
            break
    seed = tmp_path / "one.txt"
    seed.write_bytes(raw)
    seed_sha = sha256_hex(seed.read_bytes())
    assert _ingest(corpus, seed, "one") == 0
    text_sha = sha256_hex((corpus / "one" / "text.v1.txt").read_bytes())
    return corpus, f"{INDEX_DIR}/seed/{shard_of(seed_sha)}", f"{INDEX_DIR}/text/{shard_of(text_sha)}"


def test_the_validator_reports_each_kind_of_index_fault_at_its_line(empty_repo, tmp_path):
    corpus, seed_shard, text_shard = _one_document(empty_repo, tmp_path)
    assert validate_paths([corpus]).stats["documents"] == 1  # .index is not taken for a document
    lines = (corpus / seed_shard).read_text(encoding="utf-8").splitlines(keepends=True)
    (corpus / seed_shard).write_text("".join(lines + [lines[1]]), encoding="utf-8")  # listed twice
    assert _problems(corpus) == [("index-mismatch", seed_shard, 3)]
    (corpus / seed_shard).write_text("".join(lines), encoding="utf-8")
    wrong = f"{INDEX_DIR}/text/{'ff' if not text_shard.endswith('ff.tsv') else '00'}.tsv"
    (corpus / text_shard).rename(corpus / wrong)  # in the wrong shard (and none in the right one)
    assert _problems(corpus) == [("index-mismatch", wrong, 2)]
    (corpus / wrong).rename(corpus / text_shard)
    ghost = lines[1].replace("one\t", "ghost\t", 1)
    (corpus / seed_shard).write_text("".join(lines[1:] + [ghost]), encoding="utf-8")  # no header; a row, no document
    # the first line is taken for the header (reported), so the document's row is missing too
    assert _problems(corpus) == [("index-mismatch", seed_shard, 1), ("index-mismatch", seed_shard, 2),
                                 ("index-mismatch", seed_shard, 3)]
    (corpus / seed_shard).write_text(lines[0] + ghost, encoding="utf-8")  # the document's row missing
    assert _problems(corpus) == [("index-mismatch", seed_shard, 2), ("index-mismatch", seed_shard, 3)]
    (corpus / seed_shard).write_text("".join(lines), encoding="utf-8")
    (corpus / INDEX_DIR / "seed" / "notes.txt").write_text("x", encoding="utf-8")  # not a shard
    (corpus / INDEX_DIR / "extra").mkdir()  # not a family
    (corpus / INDEX_DIR / "text" / ".3f.tsv.akhbar-1-abc.tmp").write_text("x", encoding="utf-8")  # ignored
    assert _problems(corpus) == [("index-mismatch", f"{INDEX_DIR}/extra", 1),
                                 ("index-mismatch", f"{INDEX_DIR}/seed/notes.txt", 1)]
    assert validate_paths([corpus]).stats["documents"] == 1


def test_a_row_that_differs_from_its_document_is_reported_in_both_families(empty_repo, tmp_path):
    corpus, seed_shard, text_shard = _one_document(empty_repo, tmp_path)
    for shard in (seed_shard, text_shard):
        path = corpus / shard
        path.write_text(path.read_text(encoding="utf-8").replace("seeds/one.txt", "seeds/other.txt"), encoding="utf-8")
    assert _problems(corpus) == sorted([("index-mismatch", seed_shard, 2), ("index-mismatch", text_shard, 2)])


def test_dumps_shards_files_each_row_once_per_family_by_prefix():
    rows = [row_of_dict({"id": f"d{k}", "source": {"file": "seeds/s.txt", "sha256": f"{k:02x}" + "a" * 62},
                         "versions": [{"sha256": f"{255 - k:02x}" + "b" * 62}]}) for k in range(256)]
    files = dumps_shards(rows)
    assert len(files) == 512 and sorted(files)[0] == "seed/00.tsv" and sorted(files)[-1] == "text/ff.tsv"
    assert files["seed/03.tsv"].splitlines() == [HEADER, rows[3].line()]
    assert files["text/03.tsv"].splitlines() == [HEADER, rows[252].line()]


# ------------------------------------------------------------------ the single index.tsv of release 0.2.0


def _legacy(corpus: Path) -> None:
    """Turn the corpus's index back into the single index.tsv of release 0.2.0 (rows in ingest order)."""
    rows = _rows(corpus, "seed")
    (corpus / LEGACY_INDEX_FILE).write_text("\n".join([HEADER, *("\t".join(r) for r in rows)]) + "\n",
                                            encoding="utf-8")
    for shard in (corpus / INDEX_DIR).glob("*/*.tsv"):
        shard.unlink()
    for folder in (corpus / INDEX_DIR).iterdir():
        folder.rmdir()
    (corpus / INDEX_DIR).rmdir()


@pytest.mark.parametrize("how", ["ingest", "import", "rebuild-index"])
def test_a_corpus_with_the_old_index_is_valid_with_a_warning_and_converted_on_the_next_write(
        empty_repo, tmp_path, how):
    corpus = _corpus_of(empty_repo, tmp_path, 3)
    sharded = tree(corpus / INDEX_DIR)
    _legacy(corpus)
    report = validate_paths([corpus])
    assert report.valid and _problems(corpus) == [("index-legacy", LEGACY_INDEX_FILE, 1)]
    if how == "ingest":
        assert _ingest(corpus, _seed(tmp_path, "new.txt", "عنوان جديد\nنص.\n"), "new-doc") == 0
        assert len(_rows(corpus, "text")) == 4
    elif how == "import":
        assert _import_conll(empty_repo) == 0
        assert len(_rows(corpus, "text")) == 5
    else:
        assert main(["import", "--rebuild-index", "--corpus", str(corpus)]) == 0
        assert tree(corpus / INDEX_DIR) == sharded
    assert not (corpus / LEGACY_INDEX_FILE).exists()
    assert _problems(corpus) == [] and validate_paths([corpus]).valid


def test_an_old_index_left_beside_the_new_one_is_flagged_and_removed_by_the_next_ingest(empty_repo, tmp_path):
    corpus = _corpus_of(empty_repo, tmp_path, 2)
    (corpus / LEGACY_INDEX_FILE).write_text(HEADER + "\n", encoding="utf-8")  # a conversion killed before its end
    assert _problems(corpus) == [("index-legacy", LEGACY_INDEX_FILE, 1)]
    assert _ingest(corpus, _seed(tmp_path, "new.txt", "عنوان جديد\nنص.\n"), "new-doc") == 0
    assert not (corpus / LEGACY_INDEX_FILE).exists() and _problems(corpus) == []


def test_the_repository_corpus_has_the_sharded_index():
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    assert not (corpus / LEGACY_INDEX_FILE).exists()
    assert len(_rows(corpus, "seed")) == len(_rows(corpus, "text")) == len(
        [d for d in corpus.iterdir() if d.is_dir() and not d.name.startswith(".")])


def test_an_index_folder_linked_out_of_the_corpus_is_never_written_through(empty_repo, tmp_path, capsys):
    corpus = _corpus_of(empty_repo, tmp_path, 1)
    outside = tmp_path / "outside-index"
    outside.mkdir()
    before = tree(corpus / INDEX_DIR)
    shutil.rmtree(corpus / INDEX_DIR)
    (corpus / INDEX_DIR).symlink_to(outside)  # empty: ingest would create its shards there
    assert _ingest(corpus, _seed(tmp_path, "new.txt", "عنوان جديد\nنص.\n"), "new-doc") == 1
    assert "path-escapes-corpus" in capsys.readouterr().err
    assert list(outside.iterdir()) == [] and not (corpus / "new-doc").exists()
    assert _problems(corpus) == [("index-mismatch", INDEX_DIR, 1)]
    assert main(["import", "--rebuild-index", "--corpus", str(corpus)]) == 0  # the remedy: a real folder again
    assert not (corpus / INDEX_DIR).is_symlink() and tree(corpus / INDEX_DIR) == before and _problems(corpus) == []


def test_a_file_in_place_of_the_index_folder_is_reported_then_replaced(empty_repo, tmp_path):
    corpus = _corpus_of(empty_repo, tmp_path, 1)
    before = tree(corpus / INDEX_DIR)
    shutil.rmtree(corpus / INDEX_DIR)
    (corpus / INDEX_DIR).write_text("x", encoding="utf-8")
    assert _problems(corpus) == [("index-mismatch", INDEX_DIR, 1)]
    assert _ingest(corpus, _seed(tmp_path, "new.txt", "عنوان جديد\nنص.\n"), "new-doc") == 0  # no index: one scan
    assert (corpus / INDEX_DIR).is_dir() and len(_rows(corpus, "seed")) == 2 and _problems(corpus) == []
    assert (corpus / INDEX_DIR).stat().st_mode & 0o700 == 0o700  # a folder's mode, not the file's
    assert sorted(tree(corpus / INDEX_DIR)) == sorted(set(before) | set(tree(corpus / INDEX_DIR)))
