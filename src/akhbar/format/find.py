"""Finding a string in a text version: every occurrence, what kind of word it sits in, what covers it. Pure.

Offsets are code points, 0-based, end exclusive. This replaces `text.find`,
which returns only the first occurrence, often the wrong one (inside
«التونسي», or in the headline instead of the body).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ..arabic import is_proclitic_prefix
from ..spans import tokenize

__all__ = ["WHOLE_WORD", "AFTER_PROCLITIC", "INSIDE_WORD", "Occurrence", "find_occurrences"]

WHOLE_WORD = "whole word"
AFTER_PROCLITIC = "after a proclitic"
INSIDE_WORD = "inside a longer word"


@dataclass(frozen=True)
class Occurrence:
    """`text[start:end] == needle`; `kind` is one of the three constants; `covered_by` the ids of covering entities, outermost first."""

    start: int
    end: int
    kind: str
    word: str
    covered_by: tuple[str, ...]


def _kind(text: str, start: int, end: int, tokens: list[tuple[int, int]], starts: list[int]) -> tuple[str, str]:
    first = max(bisect_right(starts, start) - 1, 0)
    word_start = tokens[first][0] if tokens and tokens[first][0] <= start < tokens[first][1] else start
    last = max(bisect_right(starts, end - 1) - 1, 0)
    word_end = tokens[last][1] if tokens and tokens[last][0] <= end - 1 < tokens[last][1] else end
    word = text[word_start:word_end]
    if word_start == start and word_end == end:
        return WHOLE_WORD, word
    if word_end == end and is_proclitic_prefix(text[word_start:start]):
        return AFTER_PROCLITIC, word
    return INSIDE_WORD, word


def find_occurrences(text: str, needle: str, entities=()) -> list[Occurrence]:
    """Every occurrence of `needle` in `text` (overlapping ones included), in order.

    `entities`: objects with `id`, `start`, `end` (akhbar.model.Entity);
    an occurrence is covered by an entity whose span contains it.
    """
    if not needle:
        raise ValueError("nothing to find: the search text is empty")
    tokens = tokenize(text)
    starts = [s for s, _ in tokens]
    spans = sorted(entities, key=lambda e: (e.start, -e.end))
    found = []
    i = text.find(needle)
    while i != -1:
        end = i + len(needle)
        kind, word = _kind(text, i, end, tokens, starts)
        covered = tuple(e.id for e in spans if e.start <= i and end <= e.end)
        found.append(Occurrence(i, end, kind, word, covered))
        i = text.find(needle, i + 1)
    return found
