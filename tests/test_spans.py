"""akhbar.spans: tokens built by hand, the whole-word policy, IOB2 round trips, nesting levels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akhbar.spans import (
    IllFormedTagsError,
    SpanOverlapError,
    expand_to_tokens,
    iob_labels,
    iob_to_spans,
    nesting_levels,
    spans_by_level,
    spans_to_iob,
    token_range,
    tokenize,
)


def words(text):
    return [text[s:e] for s, e in tokenize(text)]


def test_tokenize_splits_arabic_punctuation_and_keeps_clitics():
    text = "قال، أمس: «داعش» (تنظيم) وليبيا؟ نعم؛ لا"
    assert words(text) == ["قال", "،", "أمس", ":", "«", "داعش", "»", "(", "تنظيم", ")", "وليبيا", "؟", "نعم", "؛", "لا"]


def test_tokenize_offsets_are_code_points_end_exclusive():
    text = "في  ليبيا.\nو"
    assert tokenize(text) == [(0, 2), (4, 9), (9, 10), (11, 12)]


def test_tokenize_keeps_diacritics_tatweel_and_number_separators_in_the_word():
    assert words("كَتَبَ جـميل 3.5 ١٫٥ 1,000 نهاية.") == ["كَتَبَ", "جـميل", "3.5", "١٫٥", "1,000", "نهاية", "."]


def test_tokenize_splits_symbols_and_hyphens():
    assert words("10% $5 شمال-شرق") == ["10", "%", "$", "5", "شمال", "-", "شرق"]


def test_tokenize_empty_and_whitespace():
    assert tokenize("") == []
    assert tokenize(" \n\t") == []


TOKENS = [(0, 3), (4, 10), (10, 11), (12, 17)]  # e.g. "قال وليبيا، أيمن"


def test_expand_to_tokens_widens_part_of_a_word_to_the_whole_word():
    assert expand_to_tokens(TOKENS, 5, 10) == (4, 10)  # clitic و outside the entity
    assert expand_to_tokens(TOKENS, 4, 10) == (4, 10)  # already whole
    assert expand_to_tokens(TOKENS, 1, 5) == (0, 10)  # touches two words
    assert expand_to_tokens(TOKENS, 2, 13) == (0, 17)


def test_expand_to_tokens_rejects_a_span_on_whitespace_only():
    with pytest.raises(ValueError):
        expand_to_tokens(TOKENS, 3, 4)
    with pytest.raises(ValueError):
        token_range(TOKENS, 20, 25)


def test_token_range_indexes():
    assert token_range(TOKENS, 5, 10) == (1, 2)
    assert token_range(TOKENS, 0, 17) == (0, 4)


def test_spans_to_iob_expands_and_tags():
    assert spans_to_iob(TOKENS, [(5, 10, "GPE"), (12, 17, "PERS")]) == ["O", "B-GPE", "O", "B-PERS"]
    assert spans_to_iob(TOKENS, [(0, 11, "ORG")]) == ["B-ORG", "I-ORG", "I-ORG", "O"]


def test_adjacent_spans_of_one_label_stay_two_spans():
    tags = spans_to_iob(TOKENS, [(0, 3, "GPE"), (4, 10, "GPE")])
    assert tags == ["B-GPE", "B-GPE", "O", "O"]
    assert iob_to_spans(TOKENS, tags) == [(0, 3, "GPE"), (4, 10, "GPE")]


def test_spans_sharing_a_word_after_expansion_raise():
    with pytest.raises(SpanOverlapError) as info:
        spans_to_iob(TOKENS, [(4, 5, "ORG"), (5, 10, "GPE")])
    assert len(info.value.spans) == 2


def test_overlapping_spans_raise():
    with pytest.raises(SpanOverlapError):
        spans_to_iob(TOKENS, [(0, 10, "ORG"), (4, 17, "GPE")])


def test_iob_to_spans_rejects_ill_formed_sequences():
    with pytest.raises(IllFormedTagsError) as info:
        iob_to_spans(TOKENS, ["O", "I-GPE", "O", "O"])
    assert info.value.index == 1
    with pytest.raises(IllFormedTagsError) as info:
        iob_to_spans(TOKENS, ["B-ORG", "I-GPE", "O", "O"])
    assert info.value.index == 1
    with pytest.raises(IllFormedTagsError):
        iob_to_spans(TOKENS, ["X", "O", "O", "O"])
    with pytest.raises(ValueError):
        iob_to_spans(TOKENS, ["O"])


def test_round_trip_on_real_text():
    text = "كشف مصدر أمني جزائري، أمس، عن اجتماع في تونس ومصر والجزائر"
    tokens = tokenize(text)
    spans = [
        (text.index("جزائري"), text.index("جزائري") + 6, "NORP"),
        (text.index("أمس"), text.index("أمس") + 3, "DATE"),
        (text.index("تونس"), text.index("تونس") + 4, "GPE"),
        (text.index("مصر"), text.index("مصر") + 3, "GPE"),  # inside ومصر: expands to the word
        (text.index("الجزائر"), text.index("الجزائر") + 7, "GPE"),
    ]
    back = iob_to_spans(tokens, spans_to_iob(tokens, spans))
    assert back == [(*expand_to_tokens(tokens, s, e), label) for s, e, label in spans]
    assert text[back[3][0] : back[3][1]] == "ومصر"


@st.composite
def tokens_and_spans(draw):
    gaps = draw(st.lists(st.integers(0, 2), min_size=1, max_size=12))
    lengths = draw(st.lists(st.integers(1, 4), min_size=len(gaps), max_size=len(gaps)))
    tokens, pos = [], 0
    for gap, length in zip(gaps, lengths):
        pos += gap
        tokens.append((pos, pos + length))
        pos += length
    # non-overlapping token runs, each span a sub-range of its run's characters
    spans, i = [], 0
    while i < len(tokens):
        if draw(st.booleans()):
            stop = draw(st.integers(i + 1, len(tokens)))
            lo, hi = tokens[i][0], tokens[stop - 1][1]
            start = draw(st.integers(lo, tokens[i][1] - 1))
            end = draw(st.integers(max(start + 1, tokens[stop - 1][0] + 1), hi))
            spans.append((start, end, draw(st.sampled_from(["PERS", "GPE"]))))
            i = stop
        else:
            i += 1
    return tokens, spans


@given(tokens_and_spans())
def test_spans_tags_spans_gives_the_word_expanded_spans(case):
    tokens, spans = case
    tags = spans_to_iob(tokens, spans)
    assert len(tags) == len(tokens)
    assert iob_to_spans(tokens, tags) == [(*expand_to_tokens(tokens, s, e), label) for s, e, label in spans]
    # and tags -> spans -> tags is the identity
    assert spans_to_iob(tokens, iob_to_spans(tokens, tags)) == tags


def test_iob_labels_in_conll2003_order():
    assert iob_labels(["PERS", "ORG"]) == ["O", "B-PERS", "I-PERS", "B-ORG", "I-ORG"]


ENTITIES = [
    {"id": "e1", "start": 0, "end": 20, "label": "ORG", "parent": None},
    {"id": "e2", "start": 5, "end": 10, "label": "GPE", "parent": "e1"},
    {"id": "e3", "start": 5, "end": 7, "label": "PERS", "parent": "e2"},
    {"id": "e4", "start": 30, "end": 35, "label": "DATE"},
    {"id": "e0", "start": 12, "end": 15, "label": "LOC", "parent": "e1"},
]


def test_nesting_levels_by_parent_in_any_order():
    assert nesting_levels(ENTITIES) == {"e1": 0, "e2": 1, "e3": 2, "e4": 0, "e0": 1}
    assert nesting_levels(list(reversed(ENTITIES))) == {"e1": 0, "e2": 1, "e3": 2, "e4": 0, "e0": 1}


def test_nesting_levels_rejects_missing_parent_and_cycles():
    with pytest.raises(ValueError):
        nesting_levels([{"id": "a", "parent": "zz"}])
    with pytest.raises(ValueError):
        nesting_levels([{"id": "a", "parent": "b"}, {"id": "b", "parent": "a"}])


def test_spans_by_level():
    assert spans_by_level(ENTITIES) == [
        [(0, 20, "ORG"), (30, 35, "DATE")],
        [(5, 10, "GPE"), (12, 15, "LOC")],
        [(5, 7, "PERS")],
    ]
    assert spans_by_level([]) == []


def test_tokenize_splits_symbols_beyond_the_bmp_and_keeps_astral_letters():
    assert words("مرحبا😀 𝐀𝐁 ok") == ["مرحبا", "😀", "𝐀𝐁", "ok"]


def test_number_separators_join_only_digits():
    assert words("3.5. x,y ٣،٤ 1,") == ["3.5", ".", "x", ",", "y", "٣", "،", "٤", "1", ","]
