"""Checks of annotations against their text: small pure generators yielding `Finding`s.

Offsets are Unicode code points of one text version, 0-based, end exclusive:
a span `start, end` is `text[start:end]`. Every check receives only items the
schema accepted (the engine filters out the rest), so a check never reports a
follow-on of a problem already reported; an item whose offsets are wrong is
likewise left out of the checks that rely on its offsets.

Entities that share a word are found with the build's own tools
(`akhbar.spans`): nesting levels from `parent`, each sentence's text
tokenized into whole words, each span expanded to the words it touches.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from typing import Iterator

from ..spans import nesting_levels, token_range, tokenize
from .report import Finding

__all__ = ["check_annotations", "escape"]

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


def _parents(entities, all_ids: set) -> Iterator[Finding]:
    by_id = {e["id"]: (i, e) for i, e in entities}
    for i, e in entities:
        parent = e.get("parent")
        if parent is None:
            continue
        if parent not in all_ids:
            yield Finding("parent-missing", f"parent {parent!r} is not an entity of this file", pointer=f"/entities/{i}/parent")
        elif parent in by_id and parent != e["id"]:
            p = by_id[parent][1]
            if not (p["start"] <= e["start"] and e["end"] <= p["end"]):
                yield Finding("parent-not-containing", f"entity {e['start']}..{e['end']} is not inside its parent "
                              f"{parent!r} ({p['start']}..{p['end']})", pointer=f"/entities/{i}/parent")
    reported: set = set()
    for _, e in entities:  # follow parent links; a revisit means a cycle
        chain, ident = [], e["id"]
        while ident is not None and ident in by_id and ident not in chain:
            chain.append(ident)
            ident = by_id[ident][1].get("parent")
        if ident is not None and ident in chain:
            cycle = frozenset(chain[chain.index(ident):])
            if cycle not in reported:
                reported.add(cycle)
                j = min(by_id[x][0] for x in cycle)
                yield Finding("parent-cycle", f"parent links form a cycle: {' -> '.join(sorted(cycle))}",
                              pointer=f"/entities/{j}/parent")


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


def check_annotations(data: dict, text: str | None, broken: set, labels: set[str]) -> Iterator[Finding]:
    """Every semantic problem of an annotations dict (already schema-checked) against its version's `text`.

    `broken` holds the pointers of items the schema rejected (`schema.broken_pointers`); `text`
    is None when it could not be read (then only the text-free checks run).
    """
    if data.get("sentences") == [] and data.get("entities") == []:
        yield Finding("not-annotated", "no sentences and no entities yet", pointer="/sentences")
        return
    sentences, all_sentences = _usable(data, "sentences", broken)
    entities, _ = _usable(data, "entities", broken)
    for kind, items in (("sentences", sentences), ("entities", entities)):
        for i, item in items:
            if "review" in item:
                yield Finding("review-pending", f"waits for review: {escape(item['review'], 120)}",
                              pointer=f"/{kind}/{i}/review")
    yield from _duplicate_ids(sentences, "sentences")
    yield from _duplicate_ids(entities, "entities")
    listed = data.get("entities")
    entity_ids = {e.get("id") for e in listed if isinstance(e, dict)} if isinstance(listed, list) else set()
    for i, e in entities:
        if e["label"] not in labels:
            yield Finding("label-unknown", f"label {e['label']!r} is not in the tag set", pointer=f"/entities/{i}/label")
    if text is None:
        return
    bad = set()
    for finding, i in _spans(sentences, "sentences", text):
        bad.add(i)
        yield finding
    sentences_ok = [(i, s) for i, s in sentences if i not in bad]
    bad = set()
    for finding, i in _spans(entities, "entities", text):
        if finding.code != "span-whitespace-edge" and finding.code != "span-splits-character":
            bad.add(i)
        yield finding
    entities_ok = [(i, e) for i, e in entities if i not in bad]
    sentence_findings = list(_sentences(sentences_ok, text, all_sentences and len(sentences_ok) == len(sentences)))
    yield from sentence_findings
    sentences_usable = bool(sentences_ok) and not sentence_findings and all_sentences and len(sentences_ok) == len(sentences)
    if sentences_usable:
        yield from _inside_one_sentence(entities_ok, sentences_ok)
    yield from _parents(entities_ok, entity_ids)
    crossing = set()
    for finding, i in _overlaps(entities_ok):
        crossing.add(i)
        yield finding
    if sentences_usable and len(entities_ok) > 1:
        try:  # levels as the build computes them, over every entity the schema accepted
            depth = nesting_levels([e for _, e in entities])
        except ValueError:  # parent-missing or parent-cycle, reported above
            return
        if crossing:
            entities_ok = [(i, e) for i, e in entities_ok if i not in crossing]
        yield from _shared_words(entities_ok, sentences_ok, depth, text)
