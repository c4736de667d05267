"""Align two versions of a text and carry stand-off spans from the old one to the new one.

Offsets are Unicode code points of the version they belong to, 0-based, end
exclusive: a span `start, end` is `text[start:end]`. Everything here is pure:
no files, no clock.

The alignment is a character-level Levenshtein alignment (rapidfuzz, C++,
linear in the text for the few edits of a correction, bounded for a rewrite),
re-aligned as a longest common subsequence inside each small edited region,
and reduced to maximal *edits*: regions `old[a:b]` that became `new[c:d]`,
either side possibly empty, separated by runs of unchanged characters.

A span is carried by these rules (`carry_span`):

- no edit overlaps it or touches it: `unchanged` (same offsets) or `shifted`;
- an edit overlaps it (its own characters changed, or a boundary falls inside
  an edited region): `re-anchored` where its old text occurs unchanged at the
  aligned place (its new image, widened by how far an equally good alignment
  could slide the edits around it), otherwise `marked`: kept on its new
  image with a reason for the `review` field;
- an edit touches a boundary that lies inside a word (in the old or the new
  text), e.g. a letter typed right after a name: `marked` and not extended
  (a clitic stays outside a mention), because its extent may have to change;
- its text was deleted entirely: `marked`, kept on one character at the place
  it was. Nothing is ever dropped.

Span boundaries never separate a combining mark (harakat, shadda) from its
base letter: a carried boundary is moved to the edge of the whole cluster.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import Indel, Levenshtein

__all__ = [
    "UNCHANGED",
    "SHIFTED",
    "EDITED_INSIDE",
    "REANCHORED",
    "MARKED",
    "OUTCOMES",
    "Edit",
    "Alignment",
    "align_texts",
    "Carried",
    "carry_span",
    "image_of",
    "whole_clusters",
    "SENTENCE_FINAL",
]

UNCHANGED, SHIFTED, REANCHORED, MARKED = "unchanged", "shifted", "re-anchored", "marked"
# A sentence edited strictly inside (neither end nor a sentence-final mark touched): carried, not marked.
EDITED_INSIDE = "edited inside"
OUTCOMES = (UNCHANGED, SHIFTED, EDITED_INSIDE, REANCHORED, MARKED)
# Characters that end a sentence (or a paragraph): an edit that adds or removes one puts a boundary in doubt.
SENTENCE_FINAL = frozenset(".!?\u061f\u06d4\u2026\n")

# rapidfuzz picks a banded algorithm from this hint; a correction has few
# edits, and the result is the same alignment whatever the hint (only the
# speed differs), so a small constant keeps typical revisions linear.
_SCORE_HINT = 64
# Regions up to this many cells (old length x new length) are re-aligned as an LCS; larger ones
# (a rewrite, not a correction) stay as Levenshtein found them, which keeps the cost bounded.
_MAX_REFINED_CELLS = 4_000_000


@dataclass(frozen=True)
class Edit:
    """A maximal changed region: `old[old_start:old_end]` became `new[new_start:new_end]` (either may be empty)."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int

    @property
    def deleted(self) -> int:
        return self.old_end - self.old_start

    @property
    def inserted(self) -> int:
        return self.new_end - self.new_start


class Alignment:
    """The character alignment of an old text to a new one: its edits and the unchanged runs between them."""

    def __init__(self, old_length: int, new_length: int, edits: tuple[Edit, ...]):
        self.old_length = old_length
        self.new_length = new_length
        self.edits = tuple(edits)
        self._starts = [e.old_start for e in self.edits]
        self._ends = [e.old_end for e in self.edits]

    def __repr__(self) -> str:
        return f"Alignment({self.old_length} -> {self.new_length} chars, {len(self.edits)} edits)"

    @property
    def chars_inserted(self) -> int:
        return sum(e.inserted for e in self.edits)

    @property
    def chars_deleted(self) -> int:
        return sum(e.deleted for e in self.edits)

    def _last_edit_from(self, i: int) -> Edit | None:
        """The last edit starting at or before old offset `i`."""
        k = bisect.bisect_right(self._starts, i) - 1
        return self.edits[k] if k >= 0 else None

    def edit_containing(self, i: int) -> Edit | None:
        """The edit that changed old character `i`, or None if it is unchanged."""
        e = self._last_edit_from(i)
        return e if e is not None and e.old_start <= i < e.old_end else None

    def new_index(self, i: int) -> int | None:
        """The new offset of old character `i`, or None if that character changed."""
        e = self._last_edit_from(i)
        if e is None:
            return i
        if i < e.old_end:
            return None
        return i + (e.new_end - e.old_end)  # new_end - old_end: the shift after edit e

    def edits_within(self, start: int, end: int) -> list[Edit]:
        """Edits overlapping or touching old range [start, end]."""
        lo = bisect.bisect_left(self._ends, start)
        hi = bisect.bisect_right(self._starts, end)
        return list(self.edits[lo:hi])

    def neighbours(self, start: int, end: int) -> list[Edit]:
        """The nearest edit ending at or before old offset `start` and the nearest starting at or after `end`."""
        out = []
        k = bisect.bisect_right(self._ends, start) - 1
        if k >= 0:
            out.append(self.edits[k])
        k = bisect.bisect_left(self._starts, end)
        if k < len(self.edits):
            out.append(self.edits[k])
        return out

    def map_start(self, start: int) -> int:
        """Where a span starting at old offset `start` starts in the new text (its aligned place)."""
        e = self.edit_containing(start)
        if e is None:
            return self.new_index(start)
        if start == e.old_start:
            return e.new_start
        return e.new_start + min(start - e.old_start, e.inserted)

    def map_end(self, end: int) -> int:
        """Where a span ending at old offset `end` (exclusive) ends in the new text."""
        e = self.edit_containing(end - 1)
        if e is None:
            return self.new_index(end - 1) + 1
        if end == e.old_end:
            return e.new_end
        return e.new_start + min(end - e.old_start, e.inserted)

    def edits_near(self, start: int, end: int) -> tuple[list[Edit], Edit | None, Edit | None]:
        """Edits overlapping old span [start, end), and the edit touching its start and its end from outside.

        An insertion strictly inside the span overlaps it; one exactly at a
        boundary touches it.
        """
        lo = bisect.bisect_left(self._ends, start)
        hi = bisect.bisect_right(self._starts, end)
        overlapping, before, after = [], None, None
        for e in self.edits[lo:hi]:
            if (e.old_start < end and e.old_end > start) or start < e.old_start == e.old_end < end:
                overlapping.append(e)
            elif e.old_end == start:
                before = e
            elif e.old_start == end:
                after = e
        return overlapping, before, after


def _regions(opcodes, old_offset: int = 0, new_offset: int = 0) -> list[Edit]:
    """Maximal edits of an opcode list: runs of non-equal opcodes between non-empty equal ones."""
    edits, current = [], None
    for op in opcodes:
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if tag == "equal" and i2 > i1:
            if current is not None:
                edits.append(Edit(*current))
                current = None
        elif tag != "equal":
            i1, i2, j1, j2 = i1 + old_offset, i2 + old_offset, j1 + new_offset, j2 + new_offset
            current = [i1, i2, j1, j2] if current is None else [current[0], i2, current[2], j2]
    if current is not None:
        edits.append(Edit(*current))
    return edits


def align_texts(old: str, new: str) -> Alignment:
    """Align `old` to `new` character by character (code points) into maximal edits.

    Levenshtein finds the edited regions fast; inside each (small) region the
    alignment is redone as a longest common subsequence (Indel), which keeps
    every character it can unchanged instead of pairing it by substitution
    with another one: fewer annotations touched.
    """
    edits: list[Edit] = []
    if old == new:
        return Alignment(len(old), len(new), ())
    for region in _regions(Levenshtein.opcodes(old, new, score_hint=_SCORE_HINT)):
        a, b, c, d = region.old_start, region.old_end, region.new_start, region.new_end
        if a < b and c < d and (b - a) * (d - c) <= _MAX_REFINED_CELLS:
            edits += _regions(Indel.opcodes(old[a:b], new[c:d]), a, c)
        else:
            edits.append(region)
    return Alignment(len(old), len(new), tuple(edits))


# ------------------------------------------------------------------ one span

def _is_mark(c: str) -> bool:
    return unicodedata.category(c).startswith("M")


def _is_word(c: str) -> bool:
    return unicodedata.category(c)[0] in "LMN"


def whole_clusters(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened so that no combining mark is cut from its base letter."""
    while 0 < start < len(text) and _is_mark(text[start]):
        start -= 1
    while end < len(text) and _is_mark(text[end]):
        end += 1
    return start, end


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Carried:
    """Where a span went: its new offsets, the outcome, and for `marked` the reason (else None)."""

    start: int
    end: int
    outcome: str
    reason: str | None = None


def _periodic(text: str, max_period: int, limit: int = 256) -> bool:
    """True for a short run repeating with a period of at most `max_period` at least twice ("ااا", "ـ ـ ـ").

    Equally good alignments slide edits along such runs. The empty run counts.
    """
    if len(text) > limit:
        return False
    return not text or any(text[p:] == text[:-p] for p in range(1, min(max_period, len(text) // 2) + 1))


def _edit_cluster(alignment: Alignment, old: str, start: int, end: int) -> tuple[int, int, int]:
    """The old zone [zone_start, zone_end) of the edits around span [start, end), and the reach of a slide.

    Edits join the cluster when they lie within the reach so far, or beyond a
    short periodic run; each adds its size to the reach.
    """
    zone_start, zone_end, reach, seen = start, end, end - start, set()
    while True:
        cluster = [e for e in alignment.edits_within(zone_start - reach, zone_end + reach) if e not in seen]
        for e in alignment.neighbours(zone_start, zone_end):
            gap = old[e.old_end:zone_start] if e.old_end <= zone_start else old[zone_end:e.old_start]
            if e not in seen and e not in cluster and _periodic(gap, reach):
                cluster.append(e)
        if not cluster:
            return zone_start, zone_end, reach
        seen.update(cluster)
        reach += sum(max(e.deleted, e.inserted) for e in cluster)
        zone_start = min(zone_start, *(e.old_start for e in cluster))
        zone_end = max(zone_end, *(e.old_end for e in cluster))


def _reanchor(alignment: Alignment, old: str, new: str, start: int, end: int, image_start: int) -> int | None:
    """Where the old span [start, end) occurs unchanged at its aligned place in `new`, or None.

    The aligned place is the span's image (starting at `image_start`) widened
    on each side by the reach of the edits around it (`_edit_cluster`): as
    far as an equally good alignment could have slid it. The occurrence
    nearest to the image wins. (Whether another annotation already holds it
    is checked by `migrate_annotations`.)
    """
    old_text = old[start:end]
    size = len(old_text)
    zone_start, zone_end, reach = _edit_cluster(alignment, old, start, end)
    lo = max(0, image_start - reach - (start - zone_start))
    hi = min(len(new), image_start + (zone_end - start) + reach)
    best = None
    p = new.find(old_text, lo, hi)
    while p != -1:
        if best is not None and abs(p - image_start) >= abs(best - image_start):
            break  # occurrences come in order: the rest are farther
        if whole_clusters(new, p, p + size) == (p, p + size):
            best = p
        p = new.find(old_text, p + 1, hi)
    return best


def _placeholder(new: str, at: int) -> tuple[int, int]:
    """One whole character near new offset `at`, preferring a non-whitespace one: where a deleted span stays."""
    at = min(max(at, 0), len(new) - 1)
    for p in list(range(at, len(new))) + list(range(at - 1, -1, -1)):
        if not new[p].isspace():
            return whole_clusters(new, p, p + 1)
    return whole_clusters(new, at, at + 1)


def _joined_word(old: str, new: str, inner_old: int, outer_old: int, outer_new: int) -> bool:
    """True when a boundary lies inside a word: its inner character and the outer one (old or new) are word characters."""
    if not _is_word(old[inner_old]):
        return False
    return (0 <= outer_old < len(old) and _is_word(old[outer_old])) or (
        0 <= outer_new < len(new) and _is_word(new[outer_new])
    )


def carry_span(alignment: Alignment, old: str, new: str, start: int, end: int) -> Carried:
    """Carry the old span [start, end) onto the new text by the rules of this module's docstring."""
    if not 0 <= start < end <= len(old):
        raise ValueError(f"span {start}..{end} is not inside the old text of {len(old)} characters")
    old_text = old[start:end]
    overlapping, before, after = alignment.edits_near(start, end)
    mapped_start, mapped_end = alignment.map_start(start), alignment.map_end(end)
    new_start, new_end = whole_clusters(new, mapped_start, mapped_end)
    if not overlapping:
        joined = []
        if before is not None and _joined_word(old, new, start, start - 1, mapped_start - 1):
            joined.append("start")
        if after is not None and _joined_word(old, new, end - 1, end, mapped_end):
            joined.append("end")
        if joined or new[new_start:new_end] != old_text:  # the latter: a mark added after its last character
            where = " and ".join(joined) or "end"
            return Carried(new_start, new_end, MARKED,
                           f"an edit joined the word at its {where} (was {start}..{end} «{_clip(old_text)}»); "
                           "check its extent")
        return Carried(new_start, new_end, UNCHANGED if (new_start, new_end) == (start, end) else SHIFTED)

    found = _reanchor(alignment, old, new, start, end, new_start)
    if found is not None:
        return Carried(found, found + len(old_text), REANCHORED)
    hold_start, hold_end, deleted = image_of(new, new_start, new_end)
    if deleted:
        return Carried(hold_start, hold_end, MARKED,
                       f"its text «{_clip(old_text)}» (was {start}..{end}) was deleted; kept on one character "
                       "where it was: correct or delete it")
    now = new[hold_start:hold_end]
    texts = f" «{old_text}» → «{now}»" if max(len(old_text), len(now)) <= 60 else ""
    return Carried(hold_start, hold_end, MARKED,
                   f"its text changed: {_describe(old, new, overlapping)}; was {start}..{end}{texts}; check it")


def _describe(old: str, new: str, edits: list[Edit], shown: int = 3) -> str:
    """The edits as a reader sees them: «x» deleted / «y» inserted / «x» → «y», at their new offsets."""
    parts = []
    for e in edits[:shown]:
        gone, came = _clip(old[e.old_start:e.old_end], 20), _clip(new[e.new_start:e.new_end], 20)
        what = f"«{gone}» → «{came}»" if gone and came else f"«{gone}» deleted" if gone else f"«{came}» inserted"
        parts.append(f"{what} at {e.new_start}")
    if len(edits) > shown:
        parts.append(f"and {len(edits) - shown} more edit(s)")
    return ", ".join(parts)


def image_of(new: str, start: int, end: int) -> tuple[int, int, bool]:
    """The range a marked span keeps: [start, end) without edge whitespace, or one character if nothing is left.

    The flag says the span's text is gone (the placeholder case).
    """
    text = new[start:end]
    if start < end and text.strip():
        # trim whitespace the edit brought to the edges: spans start and end on a character
        lo = start + len(text) - len(text.lstrip())
        hi = end - (len(text) - len(text.rstrip()))
        return (*whole_clusters(new, lo, hi), False)
    return (*_placeholder(new, start), True)
