"""Character spans, word tokens and IOB2 tags: pure conversions with no dataset machinery.

Offsets are Unicode code points, 0-based, end exclusive: the span `(start,
end)` is `text[start:end]`; a token is such a span too. The converters take
token offsets, not a tokenizer, so any tokenization can be used with them.

Tokens (`tokenize`) are whole words as in Wojood and ANERcorp: the text is
split at whitespace, and every punctuation mark or symbol (Unicode categories
P* and S*: Arabic ، ؛ ؟ « » and brackets included) is a token of its own. A
clitic stays in its word (وليبيا is one token), and a decimal or thousands
separator between two digits stays in its number (3.5, ١٫٥).

Since a clitic stays in its word, an entity often covers part of a word
(ليبيا in وليبيا). The policy is explicit: the span expands to the whole
words it touches (`expand_to_tokens`), and the word takes the entity's tag.
Two spans of one nesting level whose expansions share a word cannot both be
tagged: `spans_to_iob` raises `SpanOverlapError` (never silently drops one).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

__all__ = [
    "Span",
    "SpanOverlapError",
    "IllFormedTagsError",
    "tokenize",
    "token_range",
    "expand_to_tokens",
    "spans_to_iob",
    "iob_to_spans",
    "iob_labels",
    "nesting_levels",
    "spans_by_level",
]

# (start, end, label) with character offsets, end exclusive.
Span = tuple[int, int, str]


class SpanOverlapError(ValueError):
    """Two spans of one level share a token once expanded to whole words; `spans` names them."""

    def __init__(self, message: str, spans: tuple = ()):
        super().__init__(message)
        self.spans = spans


class IllFormedTagsError(ValueError):
    """An IOB2 sequence with an `I-X` that does not continue a `B-X`/`I-X`, or an unknown tag; `index` is where."""

    def __init__(self, message: str, index: int):
        super().__init__(message)
        self.index = index


# Separators kept inside a number when a digit is on both sides: . , ٫ (U+066B) ٬ (U+066C).
_NUMBER_SEPARATORS = ".,\u066b\u066c"


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@lru_cache(maxsize=2)
def _token_pattern(astral: bool) -> re.Pattern:
    """The token regex; `astral` adds the marks beyond the BMP (emoji, ...).

    Built once (~0.1 s) on first use. `re` matches a class of BMP characters
    with a bitmap but scans a class holding astral characters range by range
    (4x slower), so texts without astral characters use the BMP-only pattern.
    """
    bmp, ranges = [], []
    for c in range(sys.maxunicode + 1 if astral else 0x10000):
        if unicodedata.category(chr(c))[0] in "PS":
            if c < 0x10000:
                bmp.append(chr(c))
            elif ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
    marks = re.escape("".join(bmp)) + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    seps = re.escape(_NUMBER_SEPARATORS)
    word = rf"[^\s{marks}]+"
    # a separator joins two digit runs (3.5, ١٫٥); the lookbehind checks the digit before it
    return re.compile(rf"{word}(?:[{seps}](?<=\d[{seps}])(?=\d){word})*|[{marks}]")


def tokenize(text: str) -> list[tuple[int, int]]:
    """The word tokens of `text` as `(start, end)` code-point offsets, in order.

    A token is a maximal run of characters that are neither whitespace nor
    punctuation/symbol (so clitics, diacritics and tatweel stay in their word),
    or a single punctuation mark or symbol. Whitespace belongs to no token.
    """
    pattern = _token_pattern(_ASTRAL.search(text) is not None)
    return [m.span() for m in pattern.finditer(text)]


def token_range(token_offsets: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """Indexes `(first, stop)` of the tokens that the span `[start, end)` touches (stop exclusive).

    Raises ValueError when the span touches no token (it covers only whitespace
    or lies outside the tokens).
    """
    if not start < end:
        raise ValueError(f"empty or reversed span ({start}, {end})")
    ends = _ends(token_offsets)
    starts = _starts(token_offsets)
    first = bisect_right(ends, start)  # first token ending after `start`
    stop = bisect_left(starts, end)  # tokens starting before `end`
    if first >= stop:
        raise ValueError(f"span ({start}, {end}) covers no token")
    return first, stop


def expand_to_tokens(token_offsets: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The span `[start, end)` expanded to the whole words it touches, as character offsets.

    `expand_to_tokens(tokenize("وليبيا"), 1, 6) == (0, 6)`: a span covering
    part of a word expands to the whole word.
    """
    first, stop = token_range(token_offsets, start, end)
    return token_offsets[first][0], token_offsets[stop - 1][1]


def _starts(token_offsets) -> list[int]:
    return [s for s, _ in token_offsets]


def _ends(token_offsets) -> list[int]:
    return [e for _, e in token_offsets]


def spans_to_iob(token_offsets: Sequence[tuple[int, int]], spans: Iterable[Span]) -> list[str]:
    """IOB2 tags (`O`, `B-X`, `I-X`) over the tokens for non-overlapping spans of one level.

    Each span is expanded to whole words first. Raises `SpanOverlapError` when
    two spans share a token after expansion, and ValueError when a span
    covers no token.
    """
    tags = ["O"] * len(token_offsets)
    owner: list[Span | None] = [None] * len(token_offsets)
    starts, ends = _starts(token_offsets), _ends(token_offsets)
    for span in sorted(spans):
        start, end, label = span
        first, stop = bisect_right(ends, start), bisect_left(starts, end)
        if not start < end or first >= stop:
            raise ValueError(f"span ({start}, {end}, {label!r}) covers no token")
        for i in range(first, stop):
            if owner[i] is not None:
                raise SpanOverlapError(
                    f"spans {owner[i]} and {span} share the token {token_offsets[i]} once expanded to whole words",
                    (owner[i], span),
                )
            owner[i] = span
            tags[i] = ("B-" if i == first else "I-") + label
    return tags


def iob_to_spans(token_offsets: Sequence[tuple[int, int]], tags: Sequence[str]) -> list[Span]:
    """The spans `(start, end, label)` of an IOB2 tag sequence, in character offsets, in order.

    A span runs from the start of its `B-X` token to the end of its last
    `I-X` token. An `I-X` that does not continue a `B-X`/`I-X` raises
    `IllFormedTagsError`.
    """
    if len(tags) != len(token_offsets):
        raise ValueError(f"{len(tags)} tags for {len(token_offsets)} tokens")
    spans: list[Span] = []
    current: list | None = None  # [start, end, label]
    for i, tag in enumerate(tags):
        if tag == "O":
            current = None
            continue
        prefix, _, label = tag.partition("-")
        if prefix == "B" and label:
            current = [token_offsets[i][0], token_offsets[i][1], label]
            spans.append(current)  # type: ignore[arg-type]
        elif prefix == "I" and label:
            if current is None or current[2] != label:
                raise IllFormedTagsError(f"tag {i} is {tag!r} but does not continue a B-{label}", i)
            current[1] = token_offsets[i][1]
        else:
            raise IllFormedTagsError(f"tag {i} is {tag!r}, not O, B-X or I-X", i)
    return [tuple(s) for s in spans]  # type: ignore[misc]


def iob_labels(labels: Iterable[str]) -> list[str]:
    """The IOB2 tag names for entity labels, in ClassLabel order: O, B-X, I-X, B-Y, I-Y, ... (as conll2003)."""
    names = ["O"]
    for label in labels:
        names += [f"B-{label}", f"I-{label}"]
    return names


def nesting_levels(entities: Iterable) -> dict[str, int]:
    """The nesting depth of each entity by id: 0 for an outermost entity, its parent's depth + 1 otherwise.

    `entities` are objects with `id` and `parent` attributes or mappings with
    those keys. A parent that is missing, or a cycle of parents, raises
    ValueError (the validator reports these as problems before a build).
    """
    parents: dict[str, str | None] = {}
    for e in entities:
        # `type(e) is dict` first: the ABC check costs ~0.1 µs, and the validator passes dicts
        is_mapping = type(e) is dict or isinstance(e, Mapping)
        ident, parent = (e["id"], e.get("parent")) if is_mapping else (e.id, e.parent)
        parents[ident] = parent
    depth: dict[str, int] = {ident: 0 for ident, parent in parents.items() if parent is None}
    for ident in parents:
        if ident in depth:
            continue
        chain, on_chain = [], set()  # the set keeps a long chain linear
        node: str | None = ident
        while node is not None and node not in depth:
            if node in on_chain:
                raise ValueError(f"entity {ident!r}: its parents form a cycle")
            if node not in parents:
                raise ValueError(f"entity {chain[-1]!r}: parent {node!r} is not an entity")
            chain.append(node)
            on_chain.add(node)
            node = parents[node]
        base = -1 if node is None else depth[node]
        for offset, n in enumerate(reversed(chain), start=1):
            depth[n] = base + offset
    return depth


def spans_by_level(entities: Iterable) -> list[list[Span]]:
    """The entities' spans grouped by nesting depth: element d holds the spans of depth d, sorted.

    `entities` have `id`, `start`, `end`, `label`, `parent` (attributes or keys).
    """
    entities = list(entities)
    depth = nesting_levels(entities)
    levels: list[list[Span]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for e in entities:
        get = e.__getitem__ if isinstance(e, Mapping) else e.__getattribute__
        levels[depth[get("id")]].append((get("start"), get("end"), get("label")))
    for level in levels:
        level.sort()
    return levels
