"""`akhbar export` (brat and jsonl read back exactly; CoNLL columns) and `akhbar stats`."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import tree
from corpus_fixture import DOCUMENTS, write_corpus

from akhbar.cli import main
from akhbar.dataset.export import from_brat, read_brat, read_jsonl, to_brat
from akhbar.format.model import Annotations, Entity, Sentence
from akhbar.dataset.rows import read_corpus, rows_of
from akhbar.format.labels import label_names
from akhbar.spans import iob_labels, iob_to_spans
from akhbar.dataset.stats import corpus_stats


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("export") / "repo")


def originals(corpus: Path) -> dict:
    return {d.document.id: d for d in read_corpus(corpus).documents}


def test_jsonl_reads_back_to_exactly_the_same_annotations(corpus, tmp_path):
    out = tmp_path / "jsonl"
    assert main(["export", "--corpus", str(corpus), "--format", "jsonl", "--out", str(out)]) == 0
    back = {}
    for split in ("train", "validation", "test"):
        back.update(read_jsonl(out / f"{split}.jsonl"))
    want = originals(corpus)
    assert sorted(back) == sorted(want)
    for doc_id, (text, ann) in back.items():
        assert text == want[doc_id].text
        assert ann == want[doc_id].annotations


def test_brat_reads_back_to_exactly_the_same_annotations(corpus, tmp_path):
    out = tmp_path / "brat"
    assert main(["export", "--corpus", str(corpus), "--format", "brat", "--out", str(out)]) == 0
    back = read_brat(out)
    want = originals(corpus)
    assert sorted(back) == sorted(want)
    for doc_id, (text, sentences, entities) in back.items():
        assert text == want[doc_id].text
        assert sentences == want[doc_id].annotations.sentences
        assert entities == want[doc_id].annotations.entities
    assert (out / "annotation.conf").is_file()


def test_brat_keeps_notes_reviews_and_spans_across_a_line_break():
    text = "سطر أول\nسطر ثان"
    annotations = Annotations(
        document="x", text_version=1, text_sha256="0" * 64,
        sentences=(Sentence("s1", 0, 7, review="moved\tby revise"), Sentence("s2", 8, 15)),
        entities=(Entity("e.1", 4, 12, "LOC", text[4:12], note='"quoted"\nnote', kb="Q42"),
                  Entity("e_2", 9, 12, "GPE", text[9:12], parent="e.1", review="check me")),
    )
    ann = to_brat(text, annotations)
    assert "T3\tLOC 4 7;8 12\t" in ann
    assert from_brat(text, ann) == (annotations.sentences, annotations.entities)


def test_conll_has_token_and_tag_columns_sentences_and_document_separators(corpus, tmp_path):
    out = tmp_path / "conll"
    assert main(["export", "--corpus", str(corpus), "--format", "conll", "--out", str(out)]) == 0
    text = (out / "train.conll").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert [line for line in lines if line.startswith("-DOCSTART-")] == ["-DOCSTART- O O"] * 2
    # CoNLL-2003: every -DOCSTART- line is followed by one blank line; sentences are separated by one blank line.
    assert all(lines[i + 1] == "" for i, line in enumerate(lines) if line.startswith("-DOCSTART-"))
    assert "\n\n\n" not in text and text.endswith(" O\n\n")
    rows = [line.split(" ") for line in lines if line]
    assert {len(r) for r in rows} == {3}  # token, outermost tag, one nested level: the -DOCSTART- line too
    assert "\t" not in text
    assert ["وتونس", "B-GPE", "O"] in rows and ["التونسي", "I-OCC", "B-NORP"] in rows
    sentences = [b for b in text.split("\n\n") if b.strip() and not b.strip().startswith("-DOCSTART-")]
    assert len(sentences) == sum(len(v[2]) for v in DOCUMENTS.values() if v[1] and v[0] == "train" and v[3])
    train = [k for k, v in DOCUMENTS.items() if v[0] == "train" and v[3]]
    assert (out / "train.documents.txt").read_text(encoding="utf-8").split() == sorted(train)


def _read_columns(path: Path) -> list[tuple[list[str], list[list[str]]]]:
    """The HF `conll2003` loader's reading, column for column: split each line at " ", skip -DOCSTART-,
    a blank line ends a sentence. Returns (tokens, [tags per column]) per sentence; raises on ragged columns."""
    sentences, tokens, columns, width = [], [], [], None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("-DOCSTART-") or line == "":
            if tokens:
                sentences.append((tokens, columns))
                tokens, columns = [], []
            if line:
                width = width or len(line.split(" "))
                assert len(line.split(" ")) == width
            continue
        parts = line.split(" ")
        width = width or len(parts)
        assert len(parts) == width, line
        tokens.append(parts[0])
        columns = columns or [[] for _ in parts[1:]]
        for column, tag in zip(columns, parts[1:]):
            column.append(tag)
    return sentences


def test_conll_export_reads_with_a_column_reader_and_seqeval_gives_back_the_word_expanded_entities(corpus, tmp_path):
    from seqeval.metrics import f1_score
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2

    out = tmp_path / "conll"
    assert main(["export", "--corpus", str(corpus), "--format", "conll", "--out", str(out)]) == 0
    docs = read_corpus(corpus)
    levels = max(docs.max_depth + 1, 1)
    for split, split_docs in docs.by_split().items():
        got = _read_columns(out / f"{split}.conll")
        rows = [r for d in split_docs for r in rows_of([d], levels)["ner"]]
        assert [tokens for tokens, _ in got] == [r["tokens"] for r in rows]
        names = iob_labels(label_names())
        for (tokens, columns), row in zip(got, rows):
            want = [[names[t] for t in tags] for tags in [row["ner_tags"], *row["nested_ner_tags"]]]
            assert columns == want
            # seqeval reads the tags as the spans the `ner` rows hold (IOB2, strict)
            offsets = list(zip(row["token_starts"], row["token_ends"]))
            for tags in columns:
                spans = [(label, offsets[b][0], offsets[e][1]) for label, b, e in get_entities(tags)]
                assert spans == [(lab, s, e) for s, e, lab in iob_to_spans(offsets, tags)]
        gold = [c[0] for _, c in got]
        assert f1_score(gold, gold, mode="strict", scheme=IOB2) == 1.0


def test_export_replaces_an_earlier_export_but_not_another_folder(corpus, tmp_path):
    out = tmp_path / "jsonl"
    assert main(["export", "--corpus", str(corpus), "--format", "jsonl", "--out", str(out)]) == 0
    assert main(["export", "--corpus", str(corpus), "--format", "jsonl", "--out", str(out)]) == 0
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("x", encoding="utf-8")
    assert main(["export", "--corpus", str(corpus), "--format", "brat", "--out", str(other)]) == 2
    assert tree(other) == {"keep.txt": b"x"}


def test_stats_counts(corpus, capsys):
    st = corpus_stats(read_corpus(corpus))
    assert {s: r["documents"] for s, r in st.splits.items()} == {"train": 2, "validation": 1, "test": 1}
    assert st.depths == {0: 19, 1: 8}
    assert sum(st.labels["GPE"].values()) == 12 and st.labels["GPE"]["train"] == 7
    assert st.unannotated == 1
    assert len(st.lengths) == 8 and min(st.lengths) == 2
    assert main(["stats", "--corpus", str(corpus)]) == 0
    assert "GPE" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["conll", "brat", "jsonl", "label-studio"])
def test_export_streams_documents_and_writes_what_the_whole_corpus_gives(corpus, tmp_path, monkeypatch, fmt):
    """An export reads one document at a time (never the corpus whole) and writes the same files as the format's
    writer given the corpus read whole (documents not annotated yet added for an annotation tool's format)."""
    import weakref

    from akhbar.dataset import export as ex
    from akhbar.format.corpus import load_document, read_text

    alive, most = [0], [0]
    read = ex.StreamedCorpus.read

    def counted(self, item):
        doc = read(self, item)
        alive[0] += 1
        most[0] = max(most[0], alive[0])
        weakref.finalize(doc, lambda: alive.__setitem__(0, alive[0] - 1))
        return doc

    monkeypatch.setattr(ex.StreamedCorpus, "read", counted)
    assert main(["export", "--format", fmt, "--corpus", str(corpus), "--out", str(tmp_path / "streamed")]) == 0
    assert 1 <= most[0] <= 2 < len(read_corpus(corpus).documents)  # the one being written, and the one before until its loop variable moves on

    whole = read_corpus(corpus)
    if ex.EXPORT_FORMATS[fmt].for_annotation:
        extra = []
        for doc_id in whole.unannotated:
            document = load_document(corpus / doc_id)
            empty = Annotations(doc_id, document.current.version, document.current.sha256)
            extra.append(ex.CorpusDocument(document, empty, read_text(corpus / doc_id, document.current), {}))
        whole = ex.Corpus(tuple(sorted(whole.documents + tuple(extra), key=lambda d: d.document.id)), (), whole.fingerprint)
    (tmp_path / "whole").mkdir()
    ex.EXPORT_FORMATS[fmt].write(tmp_path / "whole", whole)
    streamed = {k: v for k, v in tree(tmp_path / "streamed").items() if not k.startswith(".")}
    assert streamed and streamed == tree(tmp_path / "whole")


def test_stats_of_a_streamed_corpus_equal_those_of_the_corpus_read_whole(corpus):
    from akhbar.dataset.rows import scan_corpus
    from akhbar.dataset.stats import StatsCounter

    counter = StatsCounter()
    scan = scan_corpus(corpus, visit=counter.add)
    assert counter.stats(len(scan.unannotated)) == corpus_stats(read_corpus(corpus))
