"""Import stages without the corpus: readers, NFC offset mapping, UTF-16 offsets, nesting and faults."""

from __future__ import annotations

import json

import unicodedata
from pathlib import Path

from akhbar.imports.assemble import Provenance, assemble
from akhbar.imports.bio import bio_entities
from akhbar.imports.conll import read_conll
from akhbar.imports.conllu import read_conllu
from akhbar.imports.label_studio import read_label_studio, utf16_to_code_points
from akhbar.imports.labelmap import LabelMap, load_label_map
from akhbar.imports.model import Faults, SourceDocument, SourceEntity, SourceSentence, join_tokens
from akhbar.imports.normalise import normalise_with_map
from akhbar.format.model import License

FIXTURES = Path(__file__).resolve().parent / "import_fixtures"
PROVENANCE = Provenance(License("CC-BY-4.0", "Written for the tests."), "test", "2026-12-01")


def _read(reader, name):
    faults = Faults()
    path = FIXTURES / name
    docs, bounded = reader(path, path.read_text(encoding="utf-8"), faults)
    return docs, bounded, faults


def _assemble(doc, labels=LabelMap(), faults=None):
    faults = faults or Faults()
    return assemble(doc, "doc-1", "train", ("seeds/x.txt", "0" * 64), None, labels, PROVENANCE, faults), faults


def _triples(a):
    """(surface, label, depth) of every entity of an assembled document."""
    depth = {}
    for e in a.annotations.entities:
        depth[e.id] = 0 if e.parent is None else depth[e.parent] + 1
    return sorted((e.text, e.label, depth[e.id]) for e in a.annotations.entities)


def test_join_tokens_offsets_and_space_after():
    text, offsets = join_tokens(["ل", "أوباما", "قال"], [False, True, True])
    assert text == "لأوباما قال"
    assert offsets == ((0, 1), (1, 7), (8, 11))


def test_nested_conll_three_levels_deep():
    docs, bounded, faults = _read(read_conll, "nested.conll")
    assert bounded and [d.id for d in docs] == ["d1", "d2"]
    assert faults.items == []
    a, faults = _assemble(docs[0])
    assert faults.items == []
    assert a.text == "وزير خارجية جمهورية مصر العربية زار تونس .\n"
    assert _triples(a) == sorted([
        ("وزير خارجية جمهورية مصر العربية", "OCC", 0),
        ("خارجية جمهورية مصر العربية", "ORG", 1),
        ("جمهورية مصر العربية", "GPE", 2),
        ("مصر", "GPE", 3),
        ("تونس", "GPE", 0),
    ])
    assert [(s.start, s.end) for s in a.annotations.sentences] == [(0, len(a.text) - 1)]


def test_same_span_pair_in_two_columns_takes_the_outer_column_as_parent():
    docs, _, _ = _read(read_conll, "nested.conll")
    a, faults = _assemble(docs[1])
    assert faults.items == []
    date, time = [e for e in a.annotations.entities if e.text == "أمس"]
    assert (date.label, date.parent, time.label, time.parent) == ("DATE", None, "TIME", date.id)
    # two sentences: text = sentences joined by "\n", final "\n"
    assert a.text == "وصل الرئيس أمس .\nبنك مصر\n"


def test_same_span_in_one_level_needs_the_label_map():
    doc = SourceDocument(Path("x.txt"), None, "x", text="الأمم المتحدة\n", spans=((0, 13),),
                         entities=(SourceEntity(0, 13, "ORG", None, 1), SourceEntity(0, 13, "NORP", None, 2)))
    a, faults = _assemble(doc)
    assert a is None and [f.code for f in faults.fatal] == ["same-span-labels"]
    a, faults = _assemble(doc, LabelMap({}, ("ORG", "NORP")))
    org, norp = a.annotations.entities
    assert (org.label, norp.label, norp.parent) == ("ORG", "NORP", org.id)


def test_vocalised_text_offsets_follow_nfc():
    docs, _, _ = _read(read_conll, "vocalised.conll")
    raw = docs[0].sentences[0].text
    assert unicodedata.normalize("NFC", raw) != raw
    a, faults = _assemble(docs[0])
    assert faults.items == []
    assert a.text == unicodedata.normalize("NFC", raw) + "\n"
    assert len(a.text) == len(raw) + 1 - 1  # alef + madda composed into one code point
    for e in a.annotations.entities:
        assert a.text[e.start : e.end] == e.text  # never entity-text-mismatch
    assert sorted(e.text for e in a.annotations.entities) == sorted(
        [unicodedata.normalize("NFC", "\u0627\u0653مال محم\u0651\u064e"), "القاهرة"])
    assert "composed the text to Unicode NFC" in a.document.current.note


def test_normalise_map_is_exact_at_cluster_edges_and_none_inside():
    text = "\ufeffاب\u0651\u064eج\r\nد"
    normalised, mapping = normalise_with_map(text)
    assert normalised.text == "اب\u064e\u0651ج\nد"
    assert mapping[0] == 0 and mapping[1] == 0 and mapping[3] is None and mapping[5] == 4
    assert mapping[len(text)] == len(normalised.text)


def test_label_studio_utf16_offsets_become_code_points():
    docs, _, faults = _read(read_label_studio, "utf16.json")
    assert faults.items == []
    (doc,) = docs
    assert doc.id == "7" and doc.text.startswith("\U0001D54F")
    by_label = {e.label: doc.text[e.start : e.end] for e in doc.entities}
    assert by_label == {"LOC": "القاهرة", "PER_TITLE": "الرئيس"}
    labels = load_label_map(FIXTURES / "ls_labels.yaml")
    a, faults = _assemble(doc, labels)
    assert sorted((e.text, e.label) for e in a.annotations.entities) == [("الرئيس", "OCC"), ("القاهرة", "GPE")]
    assert utf16_to_code_points("\U0001D54Fa") == {0: 0, 2: 1, 3: 2}


def test_conllu_documents_text_and_space_after():
    docs, bounded, faults = _read(read_conllu, "news.conllu")
    assert bounded and faults.items == []
    assert [d.id for d in docs] == ["n1", "w1"]  # a repeated newdoc id continues its document
    n1 = docs[0]
    assert [s.text for s in n1.sentences] == ["زار الرئيس مصر.", "وقال المتحدث: نعم"]  # rebuilt with SpaceAfter=No
    a, faults = _assemble(n1)
    assert a.text == "زار الرئيس مصر.\nوقال المتحدث: نعم\n"
    assert sorted((e.text, e.label) for e in a.annotations.entities) == [("الرئيس", "OCC"), ("مصر", "GPE")]
    assert a.token_differences == 0


def test_conll_faults_are_placed_by_line():
    docs, _, faults = _read(read_conll, "faults.conll")
    assert [(f.code, f.line) for f in faults.items] == [
        ("empty-token", 3), ("column-count", 4), ("i-without-b", 5), ("bad-tag", 6)]
    assert [f.code for f in faults.fatal] == ["empty-token", "column-count", "bad-tag"]
    assert [f.code for f in faults.repaired] == ["i-without-b"]


def test_strict_refuses_an_i_without_b():
    faults = Faults(strict=True)
    found = bio_entities([["I-GPE"], ["O"]], ((0, 3), (4, 6)), [1, 2], faults, "x")
    assert found == () and [f.code for f in faults.fatal] == ["i-without-b"]
    faults = Faults()
    (e,) = bio_entities([["I-GPE"], ["I-GPE"]], ((0, 3), (4, 6)), [1, 2], faults, "x")
    assert (e.start, e.end, e.label) == (0, 6, "GPE") and len(faults.repaired) == 1


def test_crossing_entities_are_a_fault():
    doc = SourceDocument(Path("x.txt"), None, "x", text="أ ب ج د\n", spans=((0, 7),),
                         entities=(SourceEntity(0, 3, "GPE", None, 1), SourceEntity(2, 5, "ORG", None, 2)))
    a, faults = _assemble(doc)
    assert a is None and [f.code for f in faults.fatal] == ["entity-crossing"]


def test_whitespace_edge_is_trimmed_and_counted():
    doc = SourceDocument(Path("x.txt"), None, "x", text="زار مصر\n", spans=((0, 7),),
                         entities=(SourceEntity(3, 7, "GPE", None, 1),))
    a, faults = _assemble(doc)
    assert [(e.start, e.end, e.text) for e in a.annotations.entities] == [(4, 7, "مصر")]
    assert [f.code for f in faults.repaired] == ["span-whitespace-edge"]


def test_sentence_mode_entities_are_relative_to_their_sentence():
    s1 = SourceSentence("مصر", (SourceEntity(0, 3, "GPE"),))
    s2 = SourceSentence(" تونس ", (SourceEntity(1, 5, "GPE"),))
    a, faults = _assemble(SourceDocument(Path("x"), 1, None, (s1, s2)))
    assert a.text == "مصر\n تونس \n"
    assert [(s.start, s.end) for s in a.annotations.sentences] == [(0, 3), (5, 9)]
    assert [e.text for e in a.annotations.entities] == ["مصر", "تونس"]


def test_label_studio_faults_name_the_line_where_the_task_starts(tmp_path):
    tasks = [
        {"id": 1, "data": {"text": "زار الرئيس مصر."}, "annotations": [{"result": [
            {"type": "labels", "value": {"start": 4, "end": 10, "labels": ["OCC"]}}]}]},
        {"id": 2, "data": {"text": "قال الوزير."}, "annotations": [{"result": [
            {"type": "labels", "value": {"start": 4, "end": 99, "labels": ["OCC"]}},
            {"type": "relation", "value": {}}]}]},
        {"id": 3, "data": {"count": 5}},
    ]
    text = "[\n" + ",\n".join(json.dumps(t, ensure_ascii=False, indent=1) for t in tasks) + "\n]\n"
    starts = [n for n, line in enumerate(text.split("\n"), start=1) if line == "{"]
    faults = Faults()
    docs, _ = read_label_studio(tmp_path / "ls.json", text, faults)
    assert [(f.code, f.line) for f in faults.items] == [("span-invalid", starts[1]), ("not-supported", starts[1]),
                                                        ("source-unreadable", starts[2])]
    assert [d.line for d in docs] == starts[:2]
