"""Issue 15, flat cost per entity: the faster diff and page keep their answers, and the GC pause is sound.

The diff matches entities by position with an inline field comparison and the
page tree is built with one sort instead of a heap; both are checked here
against straightforward references on random input (crossings, shared
spans, duplicate ids included). No timing here: scripts/bench_review.py.
"""

from __future__ import annotations

import dataclasses
import gc
import heapq

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.format.model import Entity
from akhbar.review.diff import ENTITY_FIELDS, _changed_fields, _diff_entities
from akhbar.review.gcpause import gc_paused
from akhbar.review.render import _KIND_RANK, Mark, Node, build_tree


def _reference_tree(text_length: int, marks: list[Mark]) -> Node:
    """build_tree as it was before issue 15's flattening: a heap push and pop per mark."""
    root = Node(None, 0, text_length)
    heap = []
    for seq, m in enumerate(marks):
        heapq.heappush(heap, (m.start, -m.end, _KIND_RANK.get(m.kind, 2), seq, m.start, m.end, 0, m))
    stack = [root]
    while heap:
        _, _, rank, seq, start, end, piece, mark = heapq.heappop(heap)
        while True:
            top = stack[-1]
            if top.start <= start and end <= top.end:
                break
            if start >= top.end:
                stack.pop()
                continue
            piece = piece or 1
            heapq.heappush(heap, (top.end, -end, rank, seq, top.end, end, piece + 1, mark))
            end = top.end
        node = Node(mark, start, end, piece)
        stack[-1].children.append(node)
        stack.append(node)
    return root


def _shape(node: Node):
    return [(c.mark.anchor, c.start, c.end, c.fragment, _shape(c)) for c in node.children]


_spans = st.tuples(st.integers(0, 30), st.integers(1, 12)).map(lambda t: (t[0], min(40, t[0] + t[1])))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["sentence", "entity"]), _spans), max_size=25))
def test_tree_equals_the_heap_reference_with_crossings_and_shared_spans(specs):
    marks = [Mark(kind, f"k{i}", f"a{i}", s, e, label="PERS") for i, (kind, (s, e)) in enumerate(specs)]
    assert _shape(build_tree(40, marks)) == _shape(_reference_tree(40, marks))


def test_tree_of_crossing_sentence_and_entity_cuts_the_entity():
    marks = [Mark("entity", "e", "e0", 2, 9, label="PERS"), Mark("sentence", "s", "s0", 0, 5)]
    assert _shape(build_tree(10, marks)) == [("s0", 0, 5, 0, [("e0", 2, 5, 1, [])]), ("e0", 5, 9, 2, [])]


def _reference_diff(old, new):
    """The entity pairing before issue 15 (id() sets, every pair through _changed_fields), as (changes, unchanged)."""
    new_by_id = {}
    for e in new:
        new_by_id.setdefault(e.id, e)
    pairs, old_left, used = [], [], set()
    for e in old:
        match = new_by_id.get(e.id)
        if match is not None and id(match) not in used:
            pairs.append((e, match))
            used.add(id(match))
        else:
            old_left.append(e)
    by_span = {}
    for e in (e for e in new if id(e) not in used):
        by_span.setdefault((e.start, e.end), []).append(e)
    removed = []
    for e in old_left:
        candidates = by_span.get((e.start, e.end))
        if candidates:
            match = next((c for c in candidates if c.label == e.label), candidates[0])
            candidates.remove(match)
            pairs.append((e, match))
            used.add(id(match))
        else:
            removed.append(e)
    changes = [(o, n, w) for o, n in pairs if (w := _changed_fields(o, n))]
    unchanged = len(pairs) - len(changes)
    changes += [(e, None, ()) for e in removed] + [(None, e, ()) for e in new if id(e) not in used]
    changes.sort(key=lambda c: ((c[1] or c[0]).start, -(c[1] or c[0]).end,
                                "added" if c[0] is None else "removed" if c[1] is None else
                                "relabelled" if "label" in c[2] else "re-spanned" if "span" in c[2] else "edited"))
    return [(o, n, w) for o, n, w in changes], unchanged


_entity = st.builds(
    lambda i, s, n, label, kb, note, review: Entity(f"e{i}", s, s + n, label, "x" * n, None, kb, note, review),
    st.integers(0, 6), st.integers(0, 8), st.integers(1, 3), st.sampled_from(["PERS", "ORG"]),
    st.sampled_from([None, "Q1"]), st.sampled_from([None, "n"]), st.sampled_from([None, "r"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_entity, max_size=12), st.lists(_entity, max_size=12))
def test_entity_pairing_equals_the_reference_with_duplicate_ids_and_shared_spans(old, new):
    changes, unchanged = _diff_entities(tuple(old), tuple(new))
    ref_changes, ref_unchanged = _reference_diff(old, new)
    assert unchanged == ref_unchanged
    assert [(c.old, c.new, c.what) for c in changes] == ref_changes


def test_inline_comparison_covers_every_compared_field():
    # _diff_entities compares these fields inline for a pair matched by id; a new field needs adding there too.
    assert ENTITY_FIELDS == ("label", "kb", "note", "parent", "review")
    base = Entity("e1", 0, 3, "PERS", "abc")
    for field, value in (("start", 1), ("end", 2), ("label", "ORG"), ("kb", "Q1"), ("note", "n"),
                         ("parent", "e0"), ("review", "r")):
        other = dataclasses.replace(base, **{field: value, "text": "abc"[: (2 if field == "end" else 3)]})
        changes, unchanged = _diff_entities((base,), (other,))
        assert (len(changes), unchanged) == (1, 0), field
    changes, unchanged = _diff_entities((base,), (Entity("e1", 0, 3, "PERS", "xyz"),))
    assert (changes, unchanged) == ([], 1)  # the text follows the span: not a change of its own


def test_gc_pause_restores_the_collector_even_on_error_and_when_nested():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller that disabled it keeps it disabled
    finally:
        gc.enable()
