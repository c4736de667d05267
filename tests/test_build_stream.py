"""The build streams the corpus (issue 15): one batch of documents alive at a time, the same bytes as a whole-table build."""

from __future__ import annotations

import io
import os
import shutil
import weakref

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

from pathlib import Path  # noqa: E402

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import pytest  # noqa: E402
from conftest import CORPUS, tree  # noqa: E402
from hypothesis import given, settings, strategies as st  # noqa: E402

from akhbar.dataset import build as build_module, parquet, rows  # noqa: E402
from akhbar.dataset.build import build_into, scan_for_build  # noqa: E402
from akhbar.dataset.features import CONFIGS, features  # noqa: E402
from akhbar.dataset.rows import read_corpus, rows_of, scan_corpus  # noqa: E402
from akhbar.errors import InvalidDataError  # noqa: E402

SCHEMAS = {c: features()[c].arrow_schema for c in CONFIGS}


@pytest.fixture(scope="module")
def corpus_rows() -> dict[str, list[dict]]:
    corpus = read_corpus(CORPUS)
    return rows_of(corpus.documents, max(corpus.max_depth + 1, 1))


def _build(out: Path, docs_per_shard: int) -> dict[str, bytes]:
    out.mkdir()
    build_into(scan_for_build(CORPUS), out, "0.0.0", None, docs_per_shard)
    return tree(out)


def test_the_scan_gives_read_corpus_fingerprint_ids_and_depth():
    whole, scan = read_corpus(CORPUS), scan_corpus(CORPUS)
    assert scan.fingerprint == whole.fingerprint
    assert [e.id for e in scan.entries] == [d.document.id for d in whole.documents]
    assert scan.unannotated == whole.unannotated
    assert scan.max_depth == whole.max_depth
    assert {s: [e.id for e in es] for s, es in scan.by_split().items()} == {
        s: [d.document.id for d in ds] for s, ds in whole.by_split().items()}


@settings(max_examples=25, deadline=None)
@given(config=st.sampled_from(CONFIGS), cuts=st.lists(st.integers(0, 600), max_size=6),
       group_bytes=st.sampled_from([4 << 10, 20 << 10, 100 << 10, 32 << 20]))
def test_a_spill_writes_the_bytes_of_the_whole_table(corpus_rows, config, cuts, group_bytes):
    """Any cut into batches and any row-group size: the same Parquet bytes, rows and nbytes as the combined table."""
    all_rows = corpus_rows[config]
    bounds = sorted({0, len(all_rows), *(min(c, len(all_rows)) for c in cuts)})
    batches = [pa.Table.from_pylist(all_rows[a:b], schema=SCHEMAS[config]) for a, b in zip(bounds, bounds[1:])]
    old = parquet.ROW_GROUP_BYTES
    parquet.ROW_GROUP_BYTES = group_bytes
    try:
        whole = pa.concat_tables(batches).combine_chunks() if batches else SCHEMAS[config].empty_table()
        want = parquet.parquet_bytes(whole)
        spill = parquet.TableSpill(SCHEMAS[config])
        for b in batches:
            spill.add(b)
        data, n, nbytes = spill.finish()
    finally:
        parquet.ROW_GROUP_BYTES = old
    assert (n, nbytes) == (whole.num_rows, whole.nbytes)
    assert data == want
    assert pq.ParquetFile(io.BytesIO(data)).metadata.num_row_groups == pq.ParquetFile(io.BytesIO(want)).metadata.num_row_groups


def test_a_spill_of_small_row_groups_writes_several(corpus_rows, monkeypatch):
    """The case the property relies on: batches that straddle row groups (so the regrouping is exercised)."""
    monkeypatch.setattr(parquet, "ROW_GROUP_BYTES", 20 << 10)
    spill = parquet.TableSpill(SCHEMAS["ner"])
    for k in range(0, 350, 70):
        spill.add(pa.Table.from_pylist(corpus_rows["ner"][k:k + 70], schema=SCHEMAS["ner"]))
    data, n, _ = spill.finish()
    meta = pq.ParquetFile(io.BytesIO(data)).metadata
    assert n == 350 and meta.num_rows == 350
    assert meta.num_row_groups > 5
    assert len({meta.row_group(i).num_rows for i in range(meta.num_row_groups - 1)}) == 1


def test_the_build_holds_one_batch_of_documents_and_writes_the_same_files(tmp_path, monkeypatch):
    """Counted through the reader: never more than ROWS_BATCH documents alive, each read twice (scan, shard)."""
    scan = scan_corpus(CORPUS)
    annotated, train = len(scan.entries), len(scan.by_split()["train"])
    live: set[int] = set()
    reads = {"n": 0, "most": 0}
    original = rows._read_document

    def counted(doc_dir, corpus_dir):
        doc, doc_id, parts = original(doc_dir, corpus_dir)
        if doc is not None:
            reads["n"] += 1
            live.add(id(doc))
            weakref.finalize(doc, live.discard, id(doc))
            reads["most"] = max(reads["most"], len(live))
        return doc, doc_id, parts

    monkeypatch.setattr(rows, "_read_document", counted)
    monkeypatch.setattr(build_module, "ROWS_BATCH", 4)
    streamed = _build(tmp_path / "streamed", docs_per_shard=30)
    assert reads["n"] == 2 * annotated
    assert 1 < reads["most"] <= 4
    monkeypatch.setattr(build_module, "ROWS_BATCH", 10_000)  # each shard one batch: the whole-table route
    assert _build(tmp_path / "whole", docs_per_shard=30) == streamed
    assert sum(name.startswith("data/ner/train-") for name in streamed) == -(-train // 30)


def test_a_document_changed_after_the_scan_is_refused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    ids = [e.id for e in scan_corpus(CORPUS).entries[:3]]
    for doc_id in ids:
        shutil.copytree(CORPUS / doc_id, corpus / doc_id)
    source = scan_for_build(corpus)
    meta = corpus / ids[1] / "document.yaml"
    meta.write_bytes(meta.read_bytes() + b"\n")  # the same document, other bytes: the fingerprint no longer holds
    (tmp_path / "out").mkdir()
    with pytest.raises(InvalidDataError):
        build_into(source, tmp_path / "out", "0.0.0")
