"""Entities of one nesting level that share a word: the build's `ner` config cannot tag both. Pure.

Offsets are code points, 0-based, end exclusive. Words are the build's own
(`akhbar.spans.tokenize` of each sentence's text), levels come from `parent`
as the build computes them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterator

from ..spans import token_range, tokenize
from .hints import escape, share_word_hint
from .report import Finding

__all__ = ["nesting_levels", "shared_words"]

_SPACE = re.compile(r"\s")  # the same class `tokenize` splits at


def nesting_levels(entities) -> dict[str, int]:
    """Nesting levels as the build computes them, in linear time; an entity whose parent chain is broken
    (parent-missing, parent-cycle) has none."""
    parent = {e["id"]: e.get("parent") for _, e in entities}
    depth: dict[str, int | None] = {}  # None: the chain is broken
    for ident, up in parent.items():
        if up is None:  # outermost: level 0 (most entities), no chain to walk
            depth[ident] = 0
            continue
        chain, on_chain, node = [], set(), ident
        while node is not None and node not in depth and node in parent and node not in on_chain:
            chain.append(node)
            on_chain.add(node)
            node = parent[node]
        d = -1 if node is None else depth.get(node) if node in depth else None
        for x in reversed(chain):
            d = None if d is None else d + 1
            depth[x] = d
    return {k: v for k, v in depth.items() if v is not None}


def shared_words(entities, sentences, depth: dict, text: str) -> Iterator[Finding]:
    """Entities of one nesting level that share a word once expanded to whole words.

    The build's `ner` config tags each word once per level (`spans_to_iob` over
    `tokenize` of each sentence's text) and refuses such a pair. `depth` is
    `nesting_levels` of the entities; `sentences` are placed, in any order
    (an entity inside none is tokenized with the whole text, its words then
    being the same unless a sentence boundary has no space).
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
    bounds = sorted((s["start"], s["end"]) for _, s in sentences)
    starts = [b for b, _ in bounds]
    groups: dict[tuple[int, int], list] = {}  # (level, sentence index or -1 for none) -> spans in order
    for span in spans:
        level = depth[span[3]["id"]]
        k = bisect_right(starts, span[0]) - 1
        if level in suspect:
            groups.setdefault((level, k if k >= 0 and span[1] <= bounds[k][1] else -1), []).append(span)
    tokens_of: dict[int, list] = {}
    for (level, k), group in sorted(groups.items()):
        if len(group) < 2:
            continue
        if k not in tokens_of:
            b, f = bounds[k] if k >= 0 else (0, len(text))
            tokens_of[k] = [(x + b, y + b) for x, y in tokenize(text[b:f])]
        yield from _sharing(group, tokens_of[k], level, text, entities)


def _sharing(group: list[tuple], tokens: list, level: int, text: str, entities) -> Iterator[Finding]:
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
                          f"both at nesting level {level}{share_word_hint(text, e, other, entities)}",
                          pointer=f"/entities/{i}/start")
        if stop > reach:
            reach, owner = stop, (i, e)
