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
(`akhbar.spans`): nesting levels from `parent`, each sentence's text
tokenized into whole words, each span expanded to the words it touches.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, Iterator

from ..spans import nesting_levels, token_range, tokenize
from .parents import parent_findings
from .report import Finding

__all__ = ["Check", "CHECKS", "Facts", "check_annotations", "escape"]

_NON_SPACE = re.compile(r"\S")
_SPACE = re.compile(r"\s")  # the same class `tokenize` splits at


def escape(text: str, limit: int = 40) -> str:
    """`text` quoted with invisible and non-ASCII-space characters shown as escapes, shortened to `limit`."""
    out = []
    for ch in text[:limit]:
        cat = unicodedata.category(ch)
        if ch in "\\\"" or cat in ("Cc", "Cf", "Zl", "Zp") or (cat == "Zs" and ch != " ") or cat.startswith("M"):
            out.append(ch.encode("unicode_escape").decode("ascii") if ch != '"' else '\\"')
        else:
            out.append(ch)
    return '"' + "".join(out) + ('…"' if len(text) > limit else '"')


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def _spans(items: list[tuple[int, dict]], kind: str, text: str) -> Iterator[tuple[Finding, int]]:
    """Span problems of sentences or entities: bounds, order of ends, whitespace and mark boundaries.

    Yields (finding, item index); the engine drops an item whose bounds are wrong from later checks.
    """
    n = len(text)
    for i, item in items:
        start, end = item["start"], item["end"]
        base = f"/{kind}/{i}"
        if start >= end:
            yield Finding("span-empty-or-reversed", f"start {start} is not before end {end}", pointer=f"{base}/start"), i
            continue
        if end > n:
            yield Finding("span-out-of-bounds", f"end {end} is past the end of the text ({n} code points)",
                          pointer=f"{base}/end" if start < n else f"{base}/start"), i
            continue
        if kind == "entities" and item["text"] != text[start:end]:
            yield Finding("entity-text-mismatch", f"text is {escape(item['text'])} but text[{start}:{end}] is "
                          f"{escape(text[start:end])}", pointer=f"{base}/start"), i
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
    """Order, overlap and coverage of sentences (coverage only when every sentence is usable)."""
    previous = None
    ok = complete
    for i, s in items:
        if previous is not None:
            if s["start"] < previous["start"]:
                ok = False
                yield Finding("sentence-order", f"sentence starts at {s['start']}, before the previous one "
                              f"({previous['id']!r} at {previous['start']})", pointer=f"/sentences/{i}/start")
            elif s["start"] < previous["end"]:
                ok = False
                yield Finding("sentence-overlap", f"sentence starts at {s['start']}, inside the previous one "
                              f"({previous['id']!r}, {previous['start']}..{previous['end']})", pointer=f"/sentences/{i}/start")
        previous = s
    if not ok:
        return
    cursor, before = 0, None
    for i, start, end in [(i, s["start"], s["end"]) for i, s in items] + [(None, len(text), len(text))]:
        m = _NON_SPACE.search(text, cursor, start)
        if m:
            stop = len(text[:start].rstrip())
            where = f"/sentences/{before}/end" if before is not None else (f"/sentences/{i}/start" if i is not None else "/sentences")
            yield Finding("sentence-gap", f"text[{m.start()}:{stop}] {escape(text[m.start():stop])} is in no sentence",
                          pointer=where)
        cursor, before = max(cursor, end), i


def _inside_one_sentence(entities, sentences) -> Iterator[Finding]:
    starts = [s["start"] for _, s in sentences]
    for i, e in entities:
        k = bisect_right(starts, e["start"]) - 1
        if k < 0 or e["end"] > sentences[k][1]["end"]:
            yield Finding("entity-outside-sentence", f"entity {e['start']}..{e['end']} is not inside one sentence",
                          pointer=f"/entities/{i}/start")


def _overlaps(entities) -> Iterator[tuple[Finding, int]]:
    """Exact duplicates and crossing spans; yields (finding, index of the entity reported)."""
    seen: dict[tuple, int] = {}
    for i, e in entities:
        key = (e["start"], e["end"], e["label"])
        if key in seen:
            yield Finding("entity-duplicate", f"same span {e['start']}..{e['end']} and label {e['label']} as "
                          f"/entities/{seen[key]}", pointer=f"/entities/{i}/start"), i
        else:
            seen[key] = i
    open_spans: list[tuple[int, int, int]] = []  # (end, start, index), each inside the one before
    for i, e in sorted(entities, key=lambda ie: (ie[1]["start"], -ie[1]["end"])):
        while open_spans and open_spans[-1][0] <= e["start"]:
            open_spans.pop()
        if open_spans and open_spans[-1][0] < e["end"]:
            end, start, j = open_spans[-1]
            yield Finding("entity-partial-overlap", f"entity {e['start']}..{e['end']} crosses /entities/{j} "
                          f"({start}..{end})", pointer=f"/entities/{i}/start"), i
            continue
        open_spans.append((e["end"], e["start"], i))


def _shared_words(entities, sentences, depth: dict, text: str) -> Iterator[Finding]:
    """Entities of one nesting level that share a word once expanded to whole words.

    The build's `ner` config tags each word once per level (`spans_to_iob` over
    `tokenize` of each sentence's text) and refuses such a pair. `depth` is
    `nesting_levels` of the entities; `sentences` are ordered and complete.
    A first pass looks for levels where an entity is not kept apart from the
    ones before it by whitespace (a boundary of every word); only the
    sentences holding two entities of such a level are tokenized (tokenizing
    every sentence would cost more than all the other span checks together).
    The later entity of a pair is reported.
    """
    spans = sorted([(e["start"], e["end"], i, e) for i, e in entities])  # the index is unique: dicts never compared
    reach: dict[int, int] = {}  # level -> the furthest end so far
    suspect: set[int] = set()
    for start, end, _, e in spans:
        level = depth[e["id"]]
        r = reach.get(level)
        if r is None:
            reach[level] = end
            continue
        # the gap's edges first: usually the space right after a mention (str.isspace is `\s`)
        if start <= r or not (text[r].isspace() or text[start - 1].isspace() or _SPACE.search(text, r, start)):
            suspect.add(level)
        if end > r:
            reach[level] = end
    if not suspect:
        return
    starts = [s["start"] for _, s in sentences]
    groups: dict[tuple[int, int], list] = {}  # (level, sentence index) -> spans in order
    for span in spans:
        level = depth[span[3]["id"]]
        k = bisect_right(starts, span[0]) - 1
        if level in suspect and k >= 0 and span[1] <= sentences[k][1]["end"]:  # else entity-outside-sentence
            groups.setdefault((level, k), []).append(span)
    tokens_of: dict[int, list] = {}
    for (level, k), group in sorted(groups.items()):
        if len(group) < 2:
            continue
        if k not in tokens_of:
            s = sentences[k][1]
            tokens_of[k] = [(b + s["start"], f + s["start"]) for b, f in tokenize(text[s["start"]:s["end"]])]
        yield from _sharing(group, tokens_of[k], level, text)


def _sharing(group: list[tuple], tokens: list, level: int, text: str) -> Iterator[Finding]:
    """The spans of `group` (one level, one sentence, sorted) that touch a word an earlier one touches."""
    reach, owner = -1, None
    for start, end, i, e in group:
        try:
            first, stop = token_range(tokens, start, end)
        except ValueError:  # only whitespace: span-whitespace-edge
            continue
        if owner is not None and first < reach:
            j, other = owner
            b, f = tokens[first]
            yield Finding("entities-share-a-word", f"entity {e['id']!r} {escape(e['text'])} and /entities/{j} "
                          f"({other['id']!r} {escape(other['text'])}) share the word {escape(text[b:f])}, "
                          f"both at nesting level {level}", pointer=f"/entities/{i}/start")
        if stop > reach:
            reach, owner = stop, (i, e)


def _usable(data: dict, kind: str, broken: set) -> tuple[list[tuple[int, dict]], bool]:
    """The items of `kind` the schema accepted, and whether that is all of them."""
    items = data.get(kind)
    if not isinstance(items, list) or f"/{kind}" in broken or "" in broken:
        return [], False
    usable = [(i, x) for i, x in enumerate(items) if f"/{kind}/{i}" not in broken]
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
    placed_sentences: Items | None = None  # sentences whose span fits the text
    placed_entities: Items | None = None  # entities whose span fits the text and matches their `text`
    ordered_sentences: Items | None = None  # placed, ordered, not overlapping, covering the text: all of them
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


def _sentence_layout(f: Facts) -> Iterator[Finding]:
    complete = f.all_sentences and len(f.placed_sentences) == len(f.sentences)
    findings = list(_sentences(f.placed_sentences, f.text, complete))
    yield from findings
    if f.placed_sentences and not findings and complete:
        f.ordered_sentences = f.placed_sentences


def _in_sentences(f: Facts) -> Iterator[Finding]:
    yield from _inside_one_sentence(f.placed_entities, f.ordered_sentences)


def _parent_links(f: Facts) -> Iterator[Finding]:
    yield from parent_findings(f.placed_entities, f.entity_ids)


def _entity_overlaps(f: Facts) -> Iterator[Finding]:
    crossing = set()
    for finding, i in _overlaps(f.placed_entities):
        crossing.add(i)
        yield finding
    f.uncrossed_entities = [(i, e) for i, e in f.placed_entities if i not in crossing]


def _words(f: Facts) -> Iterator[Finding]:
    if len(f.placed_entities) < 2:
        return
    try:  # levels as the build computes them, over every entity the schema accepted
        depth = nesting_levels([e for _, e in f.entities])
    except ValueError:  # parent-missing or parent-cycle, reported by `parents`
        return
    yield from _shared_words(f.uncrossed_entities, f.ordered_sentences, depth, f.text)


# In order: a check comes after those that give what it needs. A new check is a generator and a row here.
CHECKS: tuple[Check, ...] = (
    Check("review", ("review-pending",), (), (), _review_pending),
    Check("ids", ("id-duplicate",), (), (), _ids),
    Check("sentence-spans", _SPAN_CODES, ("text",), ("placed_sentences",), _sentence_spans),
    Check("entity-spans", (*_SPAN_CODES, "entity-text-mismatch"), ("text",), ("placed_entities",), _entity_spans),
    Check("sentences", ("sentence-order", "sentence-overlap", "sentence-gap"), ("text", "placed_sentences"),
          ("ordered_sentences",), _sentence_layout),
    Check("entity-in-sentence", ("entity-outside-sentence",), ("ordered_sentences", "placed_entities"), (),
          _in_sentences),
    Check("parents", ("parent-missing", "parent-not-containing", "parent-cycle", "entity-nesting-too-deep"), ("placed_entities",), (),
          _parent_links),
    Check("overlaps", ("entity-duplicate", "entity-partial-overlap"), ("placed_entities",), ("uncrossed_entities",),
          _entity_overlaps),
    Check("shared-words", ("entities-share-a-word",), ("text", "ordered_sentences", "uncrossed_entities"), (),
          _words),
)


def check_annotations(data: dict, text: str | None, broken: set) -> Iterator[Finding]:
    """Every semantic problem of an annotations dict (already schema-checked) against its version's `text`.

    `broken` holds the pointers of items the schema rejected (`schema.broken_pointers`); `text`
    is None when it could not be trusted (then only the checks that do not need it run). Labels
    are the schema's to check (its enum is generated from schema/labels.yaml: `label-unknown`).
    """
    if data.get("sentences") == [] and data.get("entities") == []:  # nothing to check yet
        yield Finding("not-annotated", "no sentences and no entities yet", pointer="/sentences")
        return
    sentences, all_sentences = _usable(data, "sentences", broken)
    entities, _ = _usable(data, "entities", broken)
    listed = data.get("entities")
    # every id listed, the schema-rejected items' too (a parent naming one is not "missing"); only strings are ids
    entity_ids = ({e["id"] for e in listed if isinstance(e, dict) and isinstance(e.get("id"), str)}
                  if isinstance(listed, list) else set())
    facts = Facts(text, sentences, entities, all_sentences, entity_ids)
    for check in CHECKS:
        if all(getattr(facts, need) is not None for need in check.needs):
            for finding in check.run(facts):
                assert finding.code in check.codes, (check.name, finding.code)
                yield finding
