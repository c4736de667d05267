"""The gold annotations of the seed document, checked directly (independently of the validator).

These are the corpus invariants of docs/guidelines.md, asserted with plain
code so that they guard the data even if the validator has a bug.
"""

from __future__ import annotations

import json
from collections import Counter

import jsonschema
import pytest

from akhbar.format.corpus import load_annotations, load_document, read_text
from akhbar.format.resources import load_schema

from conftest import CORPUS, SEED_ID

DOC_DIR = CORPUS / SEED_ID
PROCLITICS = set("وفبكل")
QUOTES_AND_PUNCT = set("«»()[]{}\"'.,،؛:!?؟-")


@pytest.fixture(scope="module")
def seed():
    doc = load_document(DOC_DIR)
    ann = load_annotations(DOC_DIR / "annotations.json")
    text = read_text(DOC_DIR, doc.version(ann.text_version))
    return text, ann


def test_matches_the_schema():
    data = json.loads((DOC_DIR / "annotations.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(load_schema("annotations")).validate(data)


def test_is_annotated_by_a_recorded_annotator(seed):
    _, ann = seed
    assert ann.annotators and {a.role for a in ann.annotators} >= {"annotator"}
    assert len(ann.sentences) == 9  # the headline and eight sentences
    assert len(ann.entities) >= 80


def test_every_text_equals_its_slice(seed):
    text, ann = seed
    for e in ann.entities:
        assert text[e.start : e.end] == e.text, e.id


def test_sentences_are_ordered_trimmed_and_cover_all_non_whitespace_once(seed):
    text, ann = seed
    covered = [0] * len(text)
    previous_end = 0
    for s in ann.sentences:
        assert previous_end <= s.start < s.end <= len(text), s.id
        assert not text[s.start].isspace() and not text[s.end - 1].isspace(), s.id
        for i in range(s.start, s.end):
            covered[i] += 1
        previous_end = s.end
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert covered[i] == 1, (i, ch)
    # the headline is the first sentence and ends with the first line
    assert ann.sentences[0].start == 0 and ann.sentences[0].end == text.index("\n")


def test_ids_are_unique(seed):
    _, ann = seed
    ids = [s.id for s in ann.sentences] + [e.id for e in ann.entities]
    assert len(ids) == len(set(ids))


def test_every_entity_lies_inside_one_sentence(seed):
    _, ann = seed
    for e in ann.entities:
        inside = [s for s in ann.sentences if s.start <= e.start and e.end <= s.end]
        assert len(inside) == 1, e.id


def test_parents_exist_contain_their_children_and_no_partial_overlap(seed):
    _, ann = seed
    by_id = {e.id: e for e in ann.entities}
    for e in ann.entities:
        if e.parent is not None:
            p = by_id[e.parent]
            assert p.start <= e.start and e.end <= p.end and (p.start, p.end) != (e.start, e.end), e.id
    for a in ann.entities:
        for b in ann.entities:
            if a.id < b.id and a.start < b.end and b.start < a.end:  # they overlap
                nested = (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)
                assert nested, (a.id, b.id)
                inner, outer = (b, a) if (a.start <= b.start and b.end <= a.end) else (a, b)
                # a nested entity must say what contains it (its parent or a descendant of it)
                chain, cur = [], inner
                while cur.parent is not None:
                    chain.append(cur.parent)
                    cur = by_id[cur.parent]
                assert outer.id in chain, (inner.id, outer.id)


def test_spans_follow_the_span_rules(seed):
    text, ann = seed
    for e in ann.entities:
        assert e.text == e.text.strip(), e.id
        assert e.text[0] not in QUOTES_AND_PUNCT and e.text[-1] not in QUOTES_AND_PUNCT, e.id
        # a span ends at a word end: the next character is not a letter
        assert e.end == len(text) or not text[e.end].isalpha(), e.id
        # a span starts at a word start or right after a proclitic (و، ف، ب، ك، ل) or لـ
        before = text[: e.start]
        word_prefix = before[len(before.rstrip("".join(PROCLITICS) + "ـ")) :] if before else ""
        assert e.start == 0 or not before[-1].isalpha() or set(word_prefix) <= PROCLITICS | {"ـ"}, e.id


def test_kb_links_are_wikidata_items(seed):
    _, ann = seed
    linked = {e.text: e.kb for e in ann.entities if e.kb}
    assert linked["ليبيا"] == "Q1016" and linked["الجزائر"] == "Q262"
    # the same name is linked the same way everywhere
    for e in ann.entities:
        if e.text in linked and e.label == "GPE":
            assert e.kb == linked[e.text], e.id


def test_regression_hard_cases(seed):
    """Decisions recorded in docs/guidelines.md, guarded by name."""
    text, ann = seed
    by_text = Counter((e.text, e.label) for e in ann.entities)
    # the typo in the last paragraph (annotated as written in version 1) is corrected in version 2
    assert ann.text_version == 2
    assert by_text[("أبوبكر البغدادي", "PERS")] == 2 and by_text[("أبوبكرالبغدادي", "PERS")] == 0
    # ل absorbing the article's alif: the span starts after the preposition
    assert by_text[("لظواهري", "PERS")] == 1
    assert by_text[("لأمن القطري", "ORG")] == 1
    # every mention of داعش, also inside «» and لـ(...)
    assert by_text[("داعش", "ORG")] == text.count("داعش")
    # the ISIS name nests its places; AQIM nests al-Qaeda and its region
    isis = next(e for e in ann.entities if e.text == "تنظيم الدولة الإسلامية في العراق والشام")
    assert {(e.text, e.label) for e in ann.entities if e.parent == isis.id} == {("العراق", "GPE"), ("الشام", "LOC")}
    aqim = next(e for e in ann.entities if e.text.startswith("تنظيم القاعدة في بلاد"))
    assert {(e.text, e.label) for e in ann.entities if e.parent == aqim.id} == {
        ("تنظيم القاعدة", "ORG"),
        ("بلاد المغرب الإسلامي", "LOC"),
    }
