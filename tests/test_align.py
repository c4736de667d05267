"""Carrying spans across a text revision (akhbar.versions.align, akhbar.versions.migrate): hand-made cases, then a Hypothesis property.

Offsets are code points, end exclusive. Each case asserts outcomes and
offsets, never the wording of a review mark.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.versions.align import (
    EDITED_INSIDE,
    MARKED,
    REANCHORED,
    SHIFTED,
    UNCHANGED,
    Alignment,
    Edit,
    align_texts,
    carry_span,
)
from akhbar.versions.migrate import migrate_annotations
from akhbar.format.model import Annotations, Entity, Sentence

OLD = "قال علي حسن في بغداد إن الوضع هادئ. وأكد محمد ذلك."
#      0123456789...  entities below are found by their text


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def carry(old: str, new: str, needle: str, nth: int = 0):
    start, end = at(old, needle, nth)
    return carry_span(align_texts(old, new), old, new, start, end)


def check_alignment(old: str, new: str) -> None:
    """The edits rebuild `new` from `old`, and characters between them are equal."""
    al = align_texts(old, new)
    out, pos = [], 0
    for e in al.edits:
        assert pos <= e.old_start <= e.old_end and e.new_start <= e.new_end
        out.append(old[pos:e.old_start])
        out.append(new[e.new_start:e.new_end])
        pos = e.old_end
    out.append(old[pos:])
    assert "".join(out) == new


# ------------------------------------------------------------------ one edit around one span: علي حسن

SPAN = "علي حسن"


@pytest.mark.parametrize(
    "case, new, outcome, expected_text, shift",
    [
        ("insert-before", OLD.replace("قال", "قال أمس"), SHIFTED, SPAN, 4),
        ("insert-after", OLD.replace("في بغداد", "في مدينة بغداد"), UNCHANGED, SPAN, 0),
        ("insert-inside", OLD.replace("علي حسن", "علي محمد حسن"), MARKED, "علي محمد حسن", 0),
        ("delete-before", OLD.replace("قال ", ""), SHIFTED, SPAN, -4),
        ("delete-after", OLD.replace(" في بغداد", ""), UNCHANGED, SPAN, 0),
        ("delete-inside", OLD.replace("علي حسن", "علي حس"), MARKED, "علي حس", 0),
        ("replace-before", OLD.replace("قال", "صرح"), UNCHANGED, SPAN, 0),
        ("replace-before-longer", OLD.replace("قال", "صرّح أمس"), SHIFTED, SPAN, 5),
        ("replace-inside", OLD.replace("علي حسن", "علي حسين"), MARKED, "علي حسين", 0),
        ("replace-after", OLD.replace("بغداد", "البصرة"), UNCHANGED, SPAN, 0),
        # at the boundaries: an edit across the start, one joined to the end, one separated by a space
        ("replace-across-start", OLD.replace("قال علي", "قالت عليا"), MARKED, None, None),
        ("insert-joined-to-end", OLD.replace("حسن في", "حسنين في"), MARKED, "علي حسن", 0),
        ("insert-at-end-with-space", OLD.replace("حسن في", "حسن الكبير في"), UNCHANGED, SPAN, 0),
    ],
)
def test_one_edit_around_a_span(case, new, outcome, expected_text, shift):
    check_alignment(OLD, new)
    start, end = at(OLD, SPAN)
    c = carry(OLD, new, SPAN)
    assert c.outcome == outcome, case
    assert (c.reason is not None) == (outcome == MARKED)
    if expected_text is not None:
        assert new[c.start:c.end] == expected_text
    if shift is not None:
        assert c.start == start + shift
    assert 0 <= c.start < c.end <= len(new)


def test_an_edit_across_the_start_keeps_the_span_on_the_new_word():
    new = OLD.replace("قال علي", "قالت عليا")
    c = carry(OLD, new, SPAN)
    assert c.outcome == MARKED
    assert new[c.start:c.end].endswith("حسن") and "عليا" in new[c.start:c.end]


def test_whole_mention_replaced_is_marked_on_the_new_name():
    new = OLD.replace("محمد", "سعيد")
    c = carry(OLD, new, "محمد")
    assert c.outcome == MARKED and new[c.start:c.end] == "سعيد"


def test_a_name_rewritten_around_shared_letters_is_marked_on_them():
    # "محمد" -> "أحمد بن علي": the letters حمد stay, so the mark sits on "أحمد", the rest is for the reviewer
    new = OLD.replace("محمد", "أحمد بن علي")
    c = carry(OLD, new, "محمد")
    assert c.outcome == MARKED and new[c.start:c.end] == "أحمد"


def test_seed_typo_space_inserted_inside_the_name():
    old = "أمير «داعش» أبوبكرالبغدادي، بينما يحافظ"
    new = old.replace("أبوبكرالبغدادي", "أبوبكر البغدادي")
    al = align_texts(old, new)
    assert al.edits == (Edit(18, 18, 18, 19),)
    name = carry_span(al, old, new, *at(old, "أبوبكرالبغدادي"))
    assert (name.start, name.end, name.outcome) == (12, 27, MARKED)
    after = carry_span(al, old, new, *at(old, "يحافظ"))
    assert after.outcome == SHIFTED and after.start == at(old, "يحافظ")[0] + 1
    before = carry_span(al, old, new, *at(old, "داعش"))
    assert before.outcome == UNCHANGED


def test_a_shadda_added_to_the_last_letter_moves_the_end_past_it():
    old, new = "باب الدار", "بابّ الدار"
    c = carry(old, new, "باب")
    assert c.outcome == MARKED and (c.start, c.end) == (0, 4)  # never between ب and its shadda


# ------------------------------------------------------------------ deletions, re-anchoring, conflicts

def test_entity_whose_text_is_deleted_is_marked_not_dropped():
    new = OLD.replace(" علي حسن", "")
    c = carry(OLD, new, SPAN)
    assert c.outcome == MARKED and "deleted" in c.reason
    assert 0 <= c.start < c.end <= len(new) and c.end - c.start == 1 and not new[c.start].isspace()


def test_a_slid_alignment_is_re_anchored_on_the_unchanged_text():
    # "aab" -> "ab": an aligner may delete either "a"; this one deleted the span's own first character
    old, new = "xx aab yy", "xx ab yy"
    slid = Alignment(len(old), len(new), (Edit(4, 5, 4, 4),))
    c = carry_span(slid, old, new, 4, 6)  # the span "ab"
    assert (c.start, c.end, c.outcome) == (3, 5, REANCHORED)


def test_re_anchoring_never_puts_two_entities_with_one_label_on_one_place():
    old, new = "ab.ab", "ab"
    # an aligner's choice: "b.a" deleted, so both mentions lost a character and both find "ab" at 0..2
    al = Alignment(len(old), len(new), (Edit(1, 4, 1, 1),))
    ann = Annotations("d", 1, "0" * 64, entities=(Entity("e1", 0, 2, "PERS", "ab"), Entity("e2", 3, 5, "PERS", "ab")))
    m = migrate_annotations(ann, old, new, 2, "1" * 64, al)
    assert {mv.id: mv.outcome for mv in m.report.moves} == {"e1": REANCHORED, "e2": MARKED}
    e1, e2 = m.annotations.entities
    assert (e1.start, e1.end, e1.review) == (0, 2, None) and e2.review is not None


def test_when_one_of_two_equal_mentions_is_deleted_only_that_one_is_marked():
    old, new = "ab ab", "ab"
    al = Alignment(len(old), len(new), (Edit(0, 3, 0, 0),))  # the first "ab " deleted
    ann = Annotations("d", 1, "0" * 64, entities=(Entity("e1", 0, 2, "PERS", "ab"), Entity("e2", 3, 5, "PERS", "ab")))
    m = migrate_annotations(ann, old, new, 2, "1" * 64, al)
    assert {mv.id: mv.outcome for mv in m.report.moves} == {"e1": MARKED, "e2": SHIFTED}
    assert len(m.annotations.entities) == 2


# ------------------------------------------------------------------ nesting, sentences, many edits

def _ann(text, sentences=(), entities=()):
    sents = tuple(Sentence(f"s{k + 1}", *at(text, s)) for k, s in enumerate(sentences))
    ents = []
    for ident, needle, label, parent in entities:
        start, end = at(text, needle)
        ents.append(Entity(ident, start, end, label, needle, parent))
    return Annotations("d", 1, "0" * 64, sentences=sents, entities=tuple(ents))


NESTED = "زار وزير خارجية الجزائر تونس."
NESTED_ENTITIES = (("e1", "وزير خارجية الجزائر", "OCC", None), ("e2", "الجزائر", "GPE", "e1"), ("e3", "تونس", "GPE", None))


@pytest.mark.parametrize(
    "case, new, outcomes",
    [
        ("edit-in-child", NESTED.replace("الجزائر", "الجزائرية"), {"e1": MARKED, "e2": MARKED, "e3": SHIFTED}),
        ("edit-in-parent-outside-child", NESTED.replace("خارجية", "الخارجية"), {"e1": MARKED, "e2": SHIFTED, "e3": SHIFTED}),
        ("edit-before-both", NESTED.replace("زار", "استقبل"), {"e1": SHIFTED, "e2": SHIFTED, "e3": SHIFTED}),
        ("child-deleted", NESTED.replace(" الجزائر", ""), {"e1": MARKED, "e2": MARKED, "e3": SHIFTED}),
    ],
)
def test_nested_entities(case, new, outcomes):
    m = migrate_annotations(_ann(NESTED, [NESTED], NESTED_ENTITIES), NESTED, new, 2, "1" * 64)
    assert {mv.id: mv.outcome for mv in m.report.moves if mv.kind == "entity"} == outcomes
    by_id = {e.id: e for e in m.annotations.entities}
    parent, child = by_id["e1"], by_id["e2"]
    assert parent.start <= child.start and child.end <= parent.end or child.review is not None
    for e in m.annotations.entities:
        assert e.text == new[e.start:e.end]


def test_a_change_inside_a_sentence_boundary_marks_the_sentence_and_keeps_them_apart():
    old = "وصل الوفد. وبدأ الاجتماع."
    new = old.replace("الوفد. وبدأ", "الوفد، وبدأ")  # the full stop becomes a comma: one sentence now?
    m = migrate_annotations(_ann(old, ["وصل الوفد.", "وبدأ الاجتماع."]), old, new, 2, "1" * 64)
    s1, s2 = m.annotations.sentences
    assert m.report.counts()["sentence"] == {UNCHANGED: 1, SHIFTED: 0, EDITED_INSIDE: 0, REANCHORED: 0, MARKED: 1}
    assert s1.review is not None and s2.review is None
    assert s1.end <= s2.start and new[s2.start:s2.end] == "وبدأ الاجتماع."


def test_text_inserted_between_sentences_is_reported_uncovered():
    old = "وصل الوفد. وبدأ الاجتماع."
    new = old.replace(". و", ". ثم جلسوا. و")
    m = migrate_annotations(_ann(old, ["وصل الوفد.", "وبدأ الاجتماع."]), old, new, 2, "1" * 64)
    assert [new[a:b] for a, b in m.report.uncovered] == ["ثم جلسوا."]


def test_many_edits_at_once():
    words = [f"كلمة{n}" for n in range(200)]
    old = " ".join(words)
    new_words = list(words)
    edited = set(range(3, 200, 10))  # 20 words changed
    for n in edited:
        new_words[n] = new_words[n] + "ة"
    new_words.insert(100, "جديدة")
    new = " ".join(new_words)
    ents = tuple((f"e{n}", f"كلمة{n}", "PERS", None) for n in range(0, 200, 3))
    m = migrate_annotations(_ann(old, entities=ents), old, new, 2, "1" * 64)
    assert len(m.annotations.entities) == len(ents)
    for mv, e in zip(m.report.moves, m.annotations.entities):
        n = int(mv.id[1:])
        assert e.text == f"كلمة{n}"  # a letter joined to a mention marks it, and never extends it silently
        if n in edited:
            assert mv.outcome == MARKED and e.review is not None
        else:
            assert mv.outcome == (UNCHANGED if n < 3 else SHIFTED) and e.review is None
    assert len(m.report.edits) == 21


def test_existing_review_mark_is_kept_and_extended():
    old, new = "علي هنا.", "عليّ هنا."
    ann = Annotations("d", 3, "0" * 64, entities=(Entity("e1", 0, 3, "PERS", "علي", review="older mark"),))
    m = migrate_annotations(ann, old, new, 4, "1" * 64)
    (e1,) = m.annotations.entities
    assert e1.review.startswith("older mark | text v3→v4")
    assert m.annotations.text_version == 4 and m.annotations.text_sha256 == "1" * 64


def test_the_alignment_rebuilds_the_new_text():
    for old, new in [("", "abc"), ("abc", ""), ("abc", "abc"), (OLD, OLD[::-1]), (OLD, OLD.replace(" ", ""))]:
        check_alignment(old, new)


# ------------------------------------------------------------------ the property

ALPHABET = "ابتجدرسعلمنهوي ."


@st.composite
def spans_and_edits(draw):
    text = draw(st.text(alphabet=ALPHABET, min_size=20, max_size=120))
    # disjoint spans on non-space edges, and edits only in the gaps between them
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), min_size=2, max_size=12)))
    spans, gaps, pos = [], [], 0
    for k in range(0, len(cuts) - 1, 2):
        s, e = cuts[k], cuts[k + 1]
        if s < e and not text[s].isspace() and not text[e - 1].isspace():
            gaps.append((pos, s))
            spans.append((s, e))
            pos = e
    gaps.append((pos, len(text)))
    edits = []
    for lo, hi in gaps:
        if draw(st.booleans()):
            a = draw(st.integers(lo, hi))
            b = draw(st.integers(a, hi))
            edits.append((a, b, draw(st.text(alphabet=ALPHABET, max_size=6))))
    return text, spans, edits


@settings(max_examples=500, deadline=None)
@given(spans_and_edits())
def test_edits_outside_every_span_keep_every_spans_text(case):
    old, spans, edits = case
    new, pos = [], 0
    for a, b, insert in edits:
        new += [old[pos:a], insert]
        pos = b
    new = "".join(new + [old[pos:]])
    al = align_texts(old, new)
    for s, e in spans:
        c = carry_span(al, old, new, s, e)
        assert new[c.start:c.end] == old[s:e], (c, old[s:e])
        assert c.outcome in (UNCHANGED, SHIFTED, REANCHORED, MARKED)


@st.composite
def any_edits(draw):
    text = draw(st.text(alphabet=ALPHABET + "\u064b", min_size=5, max_size=80))
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        s = draw(st.integers(0, len(text) - 1))
        e = draw(st.integers(s + 1, len(text)))
        spans.append((s, e))
    new = text
    for _ in range(draw(st.integers(1, 5))):
        a = draw(st.integers(0, len(new)))
        b = draw(st.integers(a, min(len(new), a + 10)))
        new = new[:a] + draw(st.text(alphabet=ALPHABET + "\u064b", max_size=6)) + new[b:]
    return text, spans, new if new.strip() else new + "ب"


@settings(max_examples=300, deadline=None)
@given(any_edits())
def test_any_revision_keeps_every_span_valid_and_marks_every_changed_one(case):
    old, spans, new = case
    ann = Annotations("d", 1, "0" * 64, entities=tuple(
        Entity(f"e{k}", s, e, "PERS", old[s:e]) for k, (s, e) in enumerate(spans)))
    m = migrate_annotations(ann, old, new, 2, "1" * 64)
    assert len(m.annotations.entities) == len(spans)
    for (s, e), ent, mv in zip(spans, m.annotations.entities, m.report.moves):
        assert 0 <= ent.start < ent.end <= len(new) and ent.text == new[ent.start:ent.end]
        if mv.outcome != MARKED:
            assert ent.text == old[s:e] and ent.review is None
        else:
            assert ent.review
