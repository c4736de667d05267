"""Checks of annotations against their text: small pure generators yielding `Finding`s.

Offsets are Unicode code points of one text version, 0-based, end exclusive:
a span `start, end` is `text[start:end]`. Every check receives only items the
schema accepted (the engine filters out the rest), so a check never reports a
follow-on of a problem already reported; an item whose offsets are wrong is
likewise left out of the checks that rely on its offsets.

The checks are a declared list, `CHECKS`, walked in order by
`check_annotations`: each `Check` names the codes it can report, the facts
it needs (the text, the sentences that are placed and ordered, ...) and the
facts it gives. A check whose needs are not known is skipped; nothing is
threaded from one check to another outside `Facts`. A new check is a
generator and one row of `CHECKS` (plus its code in `codes.py` and a fixture).

Entities that share a word are found with the build's own tools
(`words.py`, over `akhbar.spans`); the guidelines' span rules are in
`rules.py`, the fix hints the messages carry in `hints.py`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterator

from ..format.labels import same_span_pairs
from . import rules
from .hints import duplicate_hint, escape, text_mismatch_hint
from .parents import parent_findings
from .report import Finding
from .words import nesting_levels, shared_words

__all__ = ["Check", "CHECKS", "Facts", "check_annotations", "checks_for", "escape"]

_NON_SPACE = re.compile(r"\S")


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def _spans(items: list[tuple[int, dict]], kind: str, text: str) -> Iterator[tuple[Finding, int]]:
    """Span problems of sentences or entities: bounds, order of ends, whitespace and mark boundaries.

    Yields (finding, item index); the engine drops an item whose bounds are wrong from later checks.
    """
    n = len(text)
    for i, item in items:
        start, end = item["start"], item["end"]
        if start >= end or end > n or (kind == "entities" and item["text"] != text[start:end]) \
                or text[start].isspace() or text[end - 1].isspace() \
                or (not text[start].isalnum() and _is_mark(text[start])) \
                or (end < n and not text[end].isalnum() and _is_mark(text[end])):
            pass  # one of the problems below: letters and digits, the usual edges, are never marks
        else:
            continue
        base = f"/{kind}/{i}"
        if start >= end:
            yield Finding("span-empty-or-reversed", f"start {start} is not before end {end}", pointer=f"{base}/start"), i
            continue
        if end > n:
            yield Finding("span-out-of-bounds", f"end {end} is past the end of the text ({n} code points)",
                          pointer=f"{base}/end" if start < n else f"{base}/start"), i
            continue
        if kind == "entities" and item["text"] != text[start:end]:
            yield Finding("entity-text-mismatch", f"entity {item['id']}: text is {escape(item['text'])} but "
                          f"text[{start}:{end}] is {escape(text[start:end])}{text_mismatch_hint(text, item)}",
                          pointer=f"{base}/start"), i
            continue
        if text[start].isspace() or text[end - 1].isspace():
            where = "start" if text[start].isspace() else "end"
            yield Finding("span-whitespace-edge", f"the span {escape(text[start:end])} has whitespace at its {where}",
                          pointer=f"{base}/{where}"), i
        elif _is_mark(text[start]):
            yield Finding("span-splits-character", f"start {start} falls on the combining mark U+{ord(text[start]):04X}, "
                          "cutting it from its base letter", pointer=f"{base}/start"), i
        elif end < n and _is_mark(text[end]):
            yield Finding("span-splits-character", f"end {end} cuts the combining mark U+{ord(text[end]):04X} "
                          "from its base letter", pointer=f"{base}/end"), i


def _duplicate_ids(items: list[tuple[int, dict]], kind: str) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, item in items:
        ident = item["id"]
        if ident in seen:
            yield Finding("id-duplicate", f"{kind[:-1]} id {ident!r} is used already at /{kind}/{seen[ident]}",
                          pointer=f"/{kind}/{i}/id")
        else:
            seen[ident] = i


def _sentences(items: list[tuple[int, dict]], text: str, complete: bool) -> Iterator[Finding]:
    """Order, overlap and coverage of sentences (coverage only when every sentence is placed, in any order)."""
    previous = None
    for i, s in items:
        if previous is not None:
            if s["start"] < previous["start"]:
                yield Finding("sentence-order", f"sentence starts at {s['start']}, before the previous one "
                              f"({previous['id']!r} at {previous['start']})", pointer=f"/sentences/{i}/start")
            elif s["start"] < previous["end"]:
                yield Finding("sentence-overlap", f"sentence starts at {s['start']}, inside the previous one "
                              f"({previous['id']!r}, {previous['start']}..{previous['end']})", pointer=f"/sentences/{i}/start")
        previous = s
    if not complete:
        return
    cursor, before = 0, None
    ordered = sorted((s["start"], s["end"], i) for i, s in items)
    for i, start, end in [(i, start, end) for start, end, i in ordered] + [(None, len(text), len(text))]:
        m = _NON_SPACE.search(text, cursor, start)
        if m:
            stop = len(text[:start].rstrip())
            where = f"/sentences/{before}/end" if before is not None else (f"/sentences/{i}/start" if i is not None else "/sentences")
            yield Finding("sentence-gap", f"text[{m.start()}:{stop}] {escape(text[m.start():stop])} is in no sentence",
                          pointer=where)
        cursor, before = max(cursor, end), i


def _inside_one_sentence(entities, sentences, complete: bool) -> Iterator[Finding]:
    """Entities inside no sentence: all of them when the sentences cover the text, else those crossing a boundary."""
    spans = sorted((s["start"], s["end"]) for _, s in sentences)
    starts = [b for b, _ in spans]
    reach, furthest = [], -1  # reach[k]: the furthest end among spans[:k + 1] (sentences may overlap)
    for _, f in spans:
        furthest = max(furthest, f)
        reach.append(furthest)
    for i, e in entities:
        k = bisect_right(starts, e["start"]) - 1
        inside = k >= 0 and reach[k] >= e["end"]
        crossing = (k >= 0 and e["start"] < reach[k] < e["end"]) or (k + 1 < len(spans) and spans[k + 1][0] < e["end"])
        if not inside and (complete or crossing):
            yield Finding("entity-outside-sentence", f"entity {e['id']} {e['start']}..{e['end']} is not inside one "
                          "sentence", pointer=f"/entities/{i}/start")


def _overlaps(entities, text: str) -> Iterator[tuple[Finding, int]]:
    """Exact duplicates and crossing spans; yields (finding, index of the entity reported)."""
    seen: dict[tuple, int] = {}
    for i, e in entities:
        key = (e["start"], e["end"], e["label"])
        if key in seen:
            yield Finding("entity-duplicate", f"entity {e['id']} has the same span {e['start']}..{e['end']} and label "
                          f"{e['label']} as /entities/{seen[key]}{duplicate_hint(text, e, entities)}",
                          pointer=f"/entities/{i}/start"), i
        else:
            seen[key] = i
    open_spans: list[tuple[int, int, int]] = []  # (end, start, index), each inside the one before
    for i, e in sorted(entities, key=lambda ie: (ie[1]["start"], -ie[1]["end"])):
        while open_spans and open_spans[-1][0] <= e["start"]:
            open_spans.pop()
        if open_spans and open_spans[-1][0] < e["end"]:
            end, start, j = open_spans[-1]
            yield Finding("entity-partial-overlap", f"entity {e['id']} {e['start']}..{e['end']} crosses /entities/{j} "
                          f"({start}..{end})", pointer=f"/entities/{i}/start"), i
            continue
        open_spans.append((e["end"], e["start"], i))


_NEEDED = {"sentences": ("id", "start", "end"), "entities": ("id", "start", "end", "label", "text")}


def _placeable(item, kind: str) -> bool:
    """The fields the span checks read are there and well typed (other schema problems leave the item usable)."""
    if not isinstance(item, dict) or not all(k in item for k in _NEEDED[kind]):
        return False
    start, end = item["start"], item["end"]
    if type(start) is not int or type(end) is not int or start < 0 or not isinstance(item["id"], str):
        return False
    return kind == "sentences" or (isinstance(item["label"], str) and isinstance(item["text"], str)
                                   and isinstance(item.get("parent", ""), str))


def _usable(data: dict, kind: str, broken: set, schema_valid: bool = False) -> tuple[list[tuple[int, dict]], bool]:
    """The items of `kind` whose span fields are usable (the schema may reject them for another field), and whether that is all.

    `schema_valid`: the schema accepted the whole file, so every item has its fields, well typed.
    """
    items = data.get(kind)
    if not isinstance(items, list) or f"/{kind}" in broken or "" in broken:
        return [], False
    if schema_valid:
        return list(enumerate(items)), True
    usable = [(i, x) for i, x in enumerate(items) if _placeable(x, kind)]
    return usable, len(usable) == len(items)


# ---------------------------------------------------------------- the declared checks

Items = list[tuple[int, dict]]  # (index in the file, item) pairs


@dataclass
class Facts:
    """What the checks know of one annotations file.

    The first fields come from the engine; the others are added by the
    check that establishes them (its `gives`) and stay None until then, or
    when it found them not to hold. A check runs only when every fact it
    `needs` is known (not None).
    """

    text: str | None  # the annotated text version, None when it cannot be trusted
    sentences: Items  # the sentences and entities the schema accepted
    entities: Items
    all_sentences: bool  # the schema accepted every sentence
    entity_ids: set  # ids of every listed entity, accepted or not (for parent-missing)
    data: dict | None = None  # the whole file (for file-level rules such as annotators-missing)
    placed_sentences: Items | None = None  # sentences whose span fits the text
    placed_entities: Items | None = None  # entities whose span fits the text and matches their `text`
    uncrossed_entities: Items | None = None  # placed entities that cross no other


@dataclass(frozen=True)
class Check:
    """One semantic check: the codes it can report, the facts it needs and gives, and `run(facts)` yielding findings."""

    name: str
    codes: tuple[str, ...]
    needs: tuple[str, ...]
    gives: tuple[str, ...]
    run: Callable[[Facts], Iterator[Finding]]


_SPAN_CODES = ("span-empty-or-reversed", "span-out-of-bounds", "span-whitespace-edge", "span-splits-character")
_COSMETIC = {"span-whitespace-edge", "span-splits-character"}  # the span is still where it says


def _review_pending(f: Facts) -> Iterator[Finding]:
    for kind, items in (("sentences", f.sentences), ("entities", f.entities)):
        for i, item in items:
            if "review" in item:
                yield Finding("review-pending", f"waits for review: {escape(item['review'], 120)}",
                              pointer=f"/{kind}/{i}/review")


def _ids(f: Facts) -> Iterator[Finding]:
    yield from _duplicate_ids(f.sentences, "sentences")
    yield from _duplicate_ids(f.entities, "entities")


def _sentence_spans(f: Facts) -> Iterator[Finding]:
    misplaced = set()
    for finding, i in _spans(f.sentences, "sentences", f.text):
        misplaced.add(i)
        yield finding
    f.placed_sentences = [(i, s) for i, s in f.sentences if i not in misplaced]


def _entity_spans(f: Facts) -> Iterator[Finding]:
    misplaced = set()
    for finding, i in _spans(f.entities, "entities", f.text):
        if finding.code not in _COSMETIC:
            misplaced.add(i)
        yield finding
    f.placed_entities = [(i, e) for i, e in f.entities if i not in misplaced]


def _complete(f: Facts) -> bool:
    return f.all_sentences and len(f.placed_sentences) == len(f.sentences)


def _sentence_layout(f: Facts) -> Iterator[Finding]:
    yield from _sentences(f.placed_sentences, f.text, _complete(f))


def _in_sentences(f: Facts) -> Iterator[Finding]:
    yield from _inside_one_sentence(f.placed_entities, f.placed_sentences, _complete(f))


def _parent_links(f: Facts) -> Iterator[Finding]:
    yield from parent_findings(f.placed_entities, f.entity_ids)


def _entity_overlaps(f: Facts) -> Iterator[Finding]:
    crossing = set()
    for finding, i in _overlaps(f.placed_entities, f.text):
        crossing.add(i)
        yield finding
    yield from (finding for finding, _ in rules.same_span_labels(f.placed_entities, same_span_pairs()))
    f.uncrossed_entities = [(i, e) for i, e in f.placed_entities if i not in crossing]


def _words(f: Facts) -> Iterator[Finding]:
    if len(f.placed_entities) < 2:
        return
    depth = nesting_levels(f.entities)  # over every usable entity, as the build does; broken chains are left out
    entities = [(i, e) for i, e in f.uncrossed_entities if e["id"] in depth]
    yield from shared_words(entities, f.placed_sentences, depth, f.text)


def _guideline_spans(f: Facts) -> Iterator[Finding]:
    yield from rules.proclitic_inside(f.placed_entities, f.text)
    yield from rules.punctuation_edge(f.placed_entities, f.text)
    yield from rules.splits_parent_word(f.uncrossed_entities, f.text)


def _skipped(f: Facts) -> Iterator[Finding]:
    """Say what was left out of the checks and why, so that a clean report is never a silent partial one."""
    if f.text is None and (f.sentences or f.entities):
        yield Finding("check-skipped", "span checks skipped: the text version these annotations pin cannot be "
                      "trusted (see the problems of document.yaml, the text file or text_sha256)", pointer="/text_version")
    for kind in ("sentences", "entities"):
        items = f.data.get(kind) if isinstance(f.data, dict) else None
        if not isinstance(items, list):
            continue
        placed = f.sentences if kind == "sentences" else f.entities
        if len(placed) == len(items):  # every item usable: nothing left out
            continue
        usable = {i for i, _ in placed}
        left = [i for i in range(len(items)) if i not in usable]
        if left:
            shown = ", ".join(f"/{kind}/{i}" for i in left[:5]) + (f" and {len(left) - 5} more" if len(left) > 5 else "")
            yield Finding("check-skipped", f"{shown} left out of the span checks: no usable id, offsets"
                          f"{' or text' if kind == 'entities' else ''} (see the schema problem there)",
                          pointer=f"/{kind}/{left[0]}")


# In order: a check comes after those that give what it needs. A new check is a generator and a row here.
CHECKS: tuple[Check, ...] = (
    Check("review", ("review-pending",), (), (), _review_pending),
    Check("ids", ("id-duplicate",), (), (), _ids),
    Check("sentence-spans", _SPAN_CODES, ("text",), ("placed_sentences",), _sentence_spans),
    Check("entity-spans", (*_SPAN_CODES, "entity-text-mismatch"), ("text",), ("placed_entities",), _entity_spans),
    Check("sentences", ("sentence-order", "sentence-overlap", "sentence-gap"), ("text", "placed_sentences"), (),
          _sentence_layout),
    Check("entity-in-sentence", ("entity-outside-sentence",), ("placed_sentences", "placed_entities"), (),
          _in_sentences),
    Check("parents", ("parent-missing", "parent-not-containing", "parent-cycle", "entity-nesting-too-deep"), ("placed_entities",), (),
          _parent_links),
    Check("overlaps", ("entity-duplicate", "entity-partial-overlap", "entity-same-span-labels"), ("placed_entities",),
          ("uncrossed_entities",), _entity_overlaps),
    Check("shared-words", ("entities-share-a-word",), ("text", "placed_sentences", "uncrossed_entities"), (), _words),
    # the guidelines' span rules (docs/guidelines.md), warnings: see rules.py for each condition
    Check("guideline-spans", ("entity-proclitic-inside", "entity-punctuation-edge", "entity-splits-parent-word"),
          ("text", "placed_entities", "uncrossed_entities"), (), _guideline_spans),
    Check("guideline-sentences", ("sentence-holds-several",), ("text", "placed_sentences"), (),
          lambda f: rules.sentences_holding_several(f.placed_sentences, f.text)),
    Check("annotators", ("annotators-missing",), ("data",), (), lambda f: rules.annotators_missing(f.data)),
    Check("skipped", ("check-skipped",), ("data",), (), _skipped),
)


@lru_cache(maxsize=16)
def checks_for(codes: frozenset[str]) -> tuple[Check, ...]:
    """The checks that can report one of `codes`, and the checks giving the facts they need, in `CHECKS` order."""
    wanted, needs = set(), set()
    for check in reversed(CHECKS):  # a check comes after those that give what it needs: one walk back closes it
        if codes.intersection(check.codes) or needs.intersection(check.gives):
            wanted.add(check.name)
            needs.update(check.needs)
    return tuple(c for c in CHECKS if c.name in wanted)


def check_annotations(data: dict, text: str | None, broken: set, schema_valid: bool = False,
                      codes: frozenset[str] | None = None) -> Iterator[Finding]:
    """Every semantic problem of an annotations dict (already schema-checked) against its version's `text`.

    `broken` holds the pointers of items the schema rejected (`schema.broken_pointers`); `text`
    is None when it could not be trusted (then only the checks that do not need it run); `schema_valid`
    says the schema checked the file and accepted all of it (the engine's case). Labels
    are the schema's to check (its enum is generated from schema/labels.yaml: `label-unknown`).
    With `codes`, only the checks that can report one of them run (`checks_for`): every finding
    with one of those codes is found, others may be too (a check reports all of its own codes).
    """
    if data.get("sentences") == [] and data.get("entities") == []:  # nothing to check yet
        yield Finding("not-annotated", "no sentences and no entities yet", pointer="/sentences")
        return
    sentences, all_sentences = _usable(data, "sentences", broken, schema_valid)
    entities, _ = _usable(data, "entities", broken, schema_valid)
    listed = data.get("entities")
    # every id listed, the schema-rejected items' too (a parent naming one is not "missing"); only strings are ids
    entity_ids = ({e["id"] for e in listed if isinstance(e, dict) and isinstance(e.get("id"), str)}
                  if isinstance(listed, list) else set())
    facts = Facts(text, sentences, entities, all_sentences, entity_ids, data)
    for check in CHECKS if codes is None else checks_for(codes):
        if all(getattr(facts, need) is not None for need in check.needs):
            for finding in check.run(facts):
                assert finding.code in check.codes, (check.name, finding.code)
                yield finding
