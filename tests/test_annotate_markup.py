"""Inline markup: pure round trips (Hypothesis), the corpus round trip, and unmarkup's refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.annotate.edit import annotations_from_markup, load_state, markup_of
from akhbar.annotate.markup import MarkupError, parse_markup, render_markup
from akhbar.cli import main
from akhbar.errors import InvalidDataError, UsageError
from akhbar.format.corpus import ANNOTATIONS_FILE, iter_document_dirs, load_annotations
from conftest import CORPUS, SEED_ID, tree

LABELS = {"GPE", "ORG", "PERS", "NORP"}


@st.composite
def texts_with_nested_spans(draw):
    """A text (brackets and backslashes included) and properly nested spans over it."""
    text = draw(st.text(alphabet=st.sampled_from(list("ab [ج]\\\nليبيا")), min_size=1, max_size=40))
    spans = set()

    def fill(lo, hi, depth):
        if hi - lo < 1 or depth > 3:
            return
        cuts = sorted(draw(st.lists(st.integers(lo, hi), max_size=4, unique=True)))
        for a, b in zip(cuts[::2], cuts[1::2]):
            if a < b and draw(st.booleans()):
                spans.add((a, b, draw(st.sampled_from(sorted(LABELS)))))
                fill(a, b, depth + 1)

    fill(0, len(text), 0)
    return text, sorted(spans)


@settings(max_examples=60, deadline=None)
@given(texts_with_nested_spans())
def test_render_then_parse_gives_the_text_and_spans_back(case):
    text, spans = case
    parsed = parse_markup(render_markup(text, spans), LABELS)
    assert parsed.text == text
    assert sorted((s.start, s.end, s.label) for s in parsed.spans) == spans
    for s in parsed.spans:  # every parent contains its child and is the innermost such span
        if s.parent is not None:
            p = parsed.spans[s.parent]
            assert p.start <= s.start and s.end <= p.end


def test_literal_brackets_are_escaped_and_come_back():
    markup = render_markup("قال [المصدر] إن", [(5, 11, "ORG")])
    assert markup == "قال \\[[ORG المصدر]\\] إن"
    assert parse_markup(markup, LABELS).text == "قال [المصدر] إن"


@pytest.mark.parametrize("markup, line, column", [
    ("ab\ncd [XYZ ef]", 2, 5),       # unknown label (points at the label)
    ("ab\n[GPE cd", 2, 1),           # never closed
    ("ab] cd", 1, 3),                # a ] that closes nothing
    ("ab [ cd", 1, 4),               # [ with no label
    ("[GPE ]", 1, 6),                # empty entity
])
def test_bad_markup_is_located(markup, line, column):
    with pytest.raises(MarkupError) as info:
        parse_markup(markup, LABELS | {"ABC"})
    assert (info.value.line, info.value.column) == (line, column)


def test_every_corpus_document_round_trips(tmp_path):
    for folder in iter_document_dirs(CORPUS):
        state = load_state(folder.name, CORPUS)
        back = annotations_from_markup(markup_of(state), CORPUS)
        assert back == state.annotations


def test_markup_edit_adds_and_removes_entities_through_the_cli(repo_copy, capsys):
    corpus = repo_copy / "corpus"
    out = repo_copy / "seed.markup"
    assert main(["markup", SEED_ID, "-o", str(out), "--corpus", str(corpus)]) == 0
    markup = out.read_text(encoding="utf-8")
    before = load_annotations(corpus / SEED_ID / ANNOTATIONS_FILE)
    first = before.entities[0]  # e1 جزائري NORP in the headline
    # remove e1's brackets, and mark the headline's "أمني" (not an entity) as NORP
    edited = markup.replace(f"[{first.label} {first.text}]", first.text, 1).replace("أمني", "[NORP أمني]", 1)
    out.write_text(edited, encoding="utf-8")
    assert main(["unmarkup", str(out), "--corpus", str(corpus)]) == 0
    after = load_annotations(corpus / SEED_ID / ANNOTATIONS_FILE)
    assert first.id not in {e.id for e in after.entities}
    added = [e for e in after.entities if e.id not in {x.id for x in before.entities}]
    assert [(e.label, e.text) for e in added] == [("NORP", "أمني")]
    assert len(after.entities) == len(before.entities)
    assert main(["validate", str(corpus / SEED_ID)]) == 0


def test_unmarkup_refuses_a_changed_text_and_names_where(repo_copy):
    corpus = repo_copy / "corpus"
    state = load_state(SEED_ID, corpus)
    markup = markup_of(state)
    lines = markup.split("\n")
    lines[3] = lines[3].replace("ليبيا", "لبيا", 1)  # a typo on line 4 of the file
    before = tree(repo_copy)
    with pytest.raises(InvalidDataError) as info:
        annotations_from_markup("\n".join(lines), corpus)
    assert str(info.value).startswith("line 4, column ")
    path = repo_copy / "bad.markup"
    path.write_text("\n".join(lines), encoding="utf-8")
    before = tree(repo_copy)
    assert main(["unmarkup", str(path), "--corpus", str(corpus)]) == 1
    assert tree(repo_copy) == before


def test_unmarkup_refuses_a_markup_of_another_version(repo_copy):
    corpus = repo_copy / "corpus"
    markup = markup_of(load_state(SEED_ID, corpus)).replace("text_version=2", "text_version=1", 1)
    with pytest.raises(UsageError):
        annotations_from_markup(markup, corpus)
