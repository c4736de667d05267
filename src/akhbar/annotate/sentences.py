"""A sentence splitter for Arabic news text, and boundary precision/recall against gold sentences. Pure.

Offsets are code points, 0-based, end exclusive. The sentences returned
cover every non-whitespace character of the text, in order, each from its
first to its last non-whitespace character, as the validator requires.

Rules (measured against the corpus's gold sentences; `akhbar suggest
--evaluate` and docs/benchmarks.md give the figures):

- a line break ends a sentence (the headline is one);
- `.` `؟` `?` `!` `…` (and `...`) end one when whitespace or the end of the
  text follows, after any run of further marks and closing quotes or
  brackets (`»` `"` `)` `]` `”`), which stay in the sentence;
- a mark between digits (3.5, 12.05.2015) or followed by a letter or digit
  never ends one; nor does `.` after a single letter (an initial: د. محمد).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SPLITTER", "split_sentences", "boundaries", "BoundaryScore", "score_boundaries"]

SPLITTER = "sentences"  # the recommender name in `review: "suggested: sentences"`

_FINAL = ".؟?!…"
_CLOSING = "»\"')]}”’›>"
# A final mark (a run of them), then closing quotes/brackets, then whitespace or the end.
_END = re.compile(rf"[{re.escape(_FINAL)}]+[{re.escape(_CLOSING)}]*(?=\s|$)")
_INITIAL = re.compile(r"(?:^|(?<=\s))\w\.$")  # a single letter and its dot: an initial, not an end


def _trimmed(text: str, start: int, end: int):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of `text` as (start, end) code-point spans, whitespace trimmed, covering all other text."""
    cuts = {0, len(text)}
    for i, ch in enumerate(text):
        if ch in "\n\r\u2028\u2029":
            cuts.add(i + 1)
    for m in _END.finditer(text):
        if m.group(0)[0] == "." and len(m.group(0).rstrip(_CLOSING)) == 1 and _INITIAL.search(text[:m.start() + 1]):
            continue
        cuts.add(m.end())
    ordered = sorted(cuts)
    out = []
    for a, b in zip(ordered, ordered[1:]):
        span = _trimmed(text, a, b)
        if span:
            out.append(span)
    return out


def boundaries(spans) -> set[int]:
    """The interior boundaries of a sentence split: the end of every sentence but the last."""
    ends = sorted(end for _, end in spans)
    return set(ends[:-1])


@dataclass(frozen=True)
class BoundaryScore:
    """Counts of interior sentence boundaries: found and right, found and wrong, missed."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def __add__(self, other: "BoundaryScore") -> "BoundaryScore":
        return BoundaryScore(self.true_positives + other.true_positives,
                             self.false_positives + other.false_positives,
                             self.false_negatives + other.false_negatives)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_boundaries(gold, predicted) -> BoundaryScore:
    """Compare two sentence splits of one text by their interior boundaries (sentence ends)."""
    g, p = boundaries(gold), boundaries(predicted)
    return BoundaryScore(len(g & p), len(p - g), len(g - p))
