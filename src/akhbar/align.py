"""Align two versions of a text and carry stand-off spans from the old one to the new one.

Offsets are Unicode code points of the version they belong to, 0-based, end
exclusive: a span `start, end` is `text[start:end]`. Everything here is pure:
no files, no clock.

The alignment is a character-level Levenshtein alignment (rapidfuzz, C++,
O(N) for the few edits of a correction and still bounded for a rewrite),
reduced to maximal *edits*: regions `old[a:b]` that became `new[c:d]`, either
side possibly empty, separated by runs of unchanged characters.

A span is carried by these rules (`carry_span`):

- no edit overlaps it or touches it: `unchanged` (same offsets) or `shifted`;
- an edit overlaps it (its own characters changed, or a boundary falls inside
  an edited region): `re-anchored` where its old text occurs unchanged at the
  aligned place (overlapping the span's new image), otherwise `marked`: kept on
  its new image with a `review` string saying what happened;
- an edit touches a boundary that lies inside a word (in the old or the new
  text), e.g. a letter typed right after a name: `marked`, because the span's
  extent may have to change even though its characters did not;
- its text was deleted entirely: `marked`, kept on one character at the place
  it was. Nothing is ever dropped.

Span boundaries never separate a combining mark (harakat, shadda) from its
base letter: a carried boundary is moved to the edge of the whole cluster.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from .model import Annotations, Entity, Sentence

__all__ = [
    "UNCHANGED",
    "SHIFTED",
    "REANCHORED",
    "MARKED",
    "OUTCOMES",
    "Edit",
    "Alignment",
    "align_texts",
    "Carried",
    "carry_span",
    "SpanMove",
    "MigrationReport",
    "Migration",
    "migrate_annotations",
]

UNCHANGED, SHIFTED, REANCHORED, MARKED = "unchanged", "shifted", "re-anchored", "marked"
OUTCOMES = (UNCHANGED, SHIFTED, REANCHORED, MARKED)

# rapidfuzz picks a banded algorithm from this hint; a correction has few
# edits, and the result is the same alignment whatever the hint (only the
# speed differs), so a small constant keeps typical revisions linear.
_SCORE_HINT = 64


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


def align_texts(old: str, new: str) -> Alignment:
    """Align `old` to `new` character by character (code points) into maximal edits."""
    edits: list[Edit] = []
    if old != new:
        current = None
        for op in Levenshtein.opcodes(old, new, score_hint=_SCORE_HINT):
            tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
            if tag == "equal" and i2 > i1:
                if current is not None:
                    edits.append(Edit(*current))
                    current = None
            elif tag != "equal":
                current = [i1, i2, j1, j2] if current is None else [current[0], i2, current[2], j2]
        if current is not None:
            edits.append(Edit(*current))
    return Alignment(len(old), len(new), tuple(edits))


# ------------------------------------------------------------------ one span

def _is_mark(c: str) -> bool:
    return unicodedata.category(c).startswith("M")


def _is_word(c: str) -> bool:
    return unicodedata.category(c)[0] in "LMN"


def _whole_clusters(text: str, start: int, end: int) -> tuple[int, int]:
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


def _find_near(new: str, old_text: str, lo: int, hi: int) -> int | None:
    """Start of the occurrence of `old_text` overlapping new[lo:hi] nearest to `lo` (whole clusters only)."""
    if lo >= hi:
        return None
    size = len(old_text)
    best = None
    p = new.find(old_text, max(0, lo - size + 1), min(len(new), hi + size - 1))
    while p != -1:
        if _whole_clusters(new, p, p + size) == (p, p + size):
            if best is None or abs(p - lo) < abs(best - lo):
                best = p
        p = new.find(old_text, p + 1, min(len(new), hi + size - 1))
    return best


def _placeholder(new: str, at: int) -> tuple[int, int]:
    """One whole character near new offset `at`, preferring a non-whitespace one: where a deleted span stays."""
    at = min(max(at, 0), len(new) - 1)
    for p in list(range(at, len(new))) + list(range(at - 1, -1, -1)):
        if not new[p].isspace():
            return _whole_clusters(new, p, p + 1)
    return _whole_clusters(new, at, at + 1)


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
    new_start, new_end = _whole_clusters(new, mapped_start, mapped_end)
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

    found = _find_near(new, old_text, new_start, new_end)
    if found is not None:
        return Carried(found, found + len(old_text), REANCHORED)
    hold_start, hold_end, deleted = _image(new, new_start, new_end)
    if deleted:
        return Carried(hold_start, hold_end, MARKED,
                       f"its text «{_clip(old_text)}» (was {start}..{end}) was deleted; kept on one character "
                       "where it was: correct or delete it")
    deleted = sum(e.deleted for e in overlapping)
    inserted = sum(e.inserted for e in overlapping)
    return Carried(hold_start, hold_end, MARKED,
                   f"its text changed (was {start}..{end} «{_clip(old_text)}», now «{_clip(new[hold_start:hold_end])}»: "
                   f"{len(overlapping)} edit(s), {deleted} character(s) deleted, {inserted} inserted); check it")


def _image(new: str, start: int, end: int) -> tuple[int, int, bool]:
    """The range a marked span keeps: [start, end) without edge whitespace, or one character if nothing is left.

    The flag says the span's text is gone (the placeholder case).
    """
    text = new[start:end]
    if start < end and text.strip():
        # trim whitespace the edit brought to the edges: spans start and end on a character
        lo = start + len(text) - len(text.lstrip())
        hi = end - (len(text) - len(text.rstrip()))
        return (*_whole_clusters(new, lo, hi), False)
    return (*_placeholder(new, start), True)


# ------------------------------------------------------------------ whole annotations

@dataclass(frozen=True)
class SpanMove:
    """What happened to one sentence or entity: old and new offsets, outcome, and the review mark it got."""

    kind: str  # "sentence" or "entity"
    id: str
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    outcome: str
    review: str | None = None

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class MigrationReport:
    """What a migration did: the edits, and one move per sentence and entity (in file order)."""

    old_version: int
    new_version: int
    edits: tuple[Edit, ...]
    moves: tuple[SpanMove, ...]
    uncovered: tuple[tuple[int, int], ...] = field(default=())  # inserted non-whitespace text outside every sentence

    def ids(self, kind: str, outcome: str) -> list[str]:
        return [m.id for m in self.moves if m.kind == kind and m.outcome == outcome]

    def counts(self) -> dict[str, dict[str, int]]:
        """{"sentence": {outcome: n}, "entity": {outcome: n}}, every outcome present."""
        out = {kind: {o: 0 for o in OUTCOMES} for kind in ("sentence", "entity")}
        for m in self.moves:
            out[m.kind][m.outcome] += 1
        return out

    @property
    def marked(self) -> list[SpanMove]:
        return [m for m in self.moves if m.outcome == MARKED]

    def to_dict(self) -> dict:
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "edits": [e.__dict__ for e in self.edits],
            "chars_inserted": sum(e.inserted for e in self.edits),
            "chars_deleted": sum(e.deleted for e in self.edits),
            "counts": self.counts(),
            "moves": [m.to_dict() for m in self.moves],
            "uncovered": [list(u) for u in self.uncovered],
        }


@dataclass(frozen=True)
class Migration:
    annotations: Annotations
    report: MigrationReport


def _mark(existing: str | None, prefix: str, reason: str) -> str:
    """A review string: the new reason, after any mark still unresolved from an earlier revision."""
    text = f"{prefix}: {reason}"
    return f"{existing} | {text}" if existing else text


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _uncovered(new: str, edits, sentences) -> tuple[tuple[int, int], ...]:
    """Inserted regions holding non-whitespace text that no sentence covers (the validator's sentence-gap)."""
    spans = sorted((s.start, s.end) for s in sentences)
    starts = [s for s, _ in spans]
    out = []
    for e in edits:
        for p in range(e.new_start, e.new_end):
            if new[p].isspace():
                continue
            k = bisect.bisect_right(starts, p) - 1
            if k < 0 or spans[k][1] <= p:
                if out and out[-1][1] == p:
                    out[-1] = (out[-1][0], p + 1)
                else:
                    out.append((p, p + 1))
    return tuple(out)


def migrate_annotations(annotations: Annotations, old: str, new: str, new_version: int, new_sha256: str,
                        alignment: Alignment | None = None) -> Migration:
    """Carry every sentence and entity of `annotations` (offsets into `old`) onto `new`.

    Returns the annotations of version `new_version` (same ids, same order,
    same count: nothing is dropped; `text` of each entity re-read from `new`)
    and a report. Re-anchoring never lands on a place another annotation holds:
    an entity on the span and label of another one, or a sentence overlapping
    another, is marked instead; a nested entity carried outside its parent is
    marked too.
    """
    if not new and (annotations.sentences or annotations.entities):
        raise ValueError("an empty text cannot hold annotations")
    alignment = alignment or align_texts(old, new)
    prefix = f"text v{annotations.text_version}→v{new_version}"

    def carry(items):
        return [carry_span(alignment, old, new, x.start, x.end) for x in items]

    sentence_moves = carry(annotations.sentences)
    entity_moves = carry(annotations.entities)

    # A re-anchored sentence may not overlap a neighbour; a re-anchored entity may not duplicate another.
    placed = [(c.start, c.end) for c in sentence_moves]
    for k, c in enumerate(sentence_moves):
        if c.outcome != REANCHORED:
            continue
        clash = [annotations.sentences[j].id for j in (k - 1, k + 1)
                 if 0 <= j < len(placed) and _overlaps(placed[k], placed[j])]
        if clash:
            s = annotations.sentences[k]
            lo, hi, _ = _image(new, alignment.map_start(s.start), alignment.map_end(s.end))
            sentence_moves[k] = Carried(lo, hi, MARKED, f"its old text occurs unchanged at {c.start}..{c.end}, "
                                        f"but that overlaps sentence {', '.join(clash)}; check its boundaries")
            placed[k] = (lo, hi)
    taken: dict[tuple, str] = {}
    for k, c in enumerate(entity_moves):
        if c.outcome != REANCHORED:
            taken.setdefault((c.start, c.end, annotations.entities[k].label), annotations.entities[k].id)
    for k, c in enumerate(entity_moves):
        ent = annotations.entities[k]
        key = (c.start, c.end, ent.label)
        if c.outcome == REANCHORED and key in taken:
            lo, hi, _ = _image(new, alignment.map_start(ent.start), alignment.map_end(ent.end))
            entity_moves[k] = Carried(lo, hi, MARKED, f"its old text occurs unchanged at {c.start}..{c.end}, "
                                      f"but entity {taken[key]} with the same label is there; check it")
        elif c.outcome == REANCHORED:
            taken[key] = ent.id

    by_id = {e.id: k for k, e in enumerate(annotations.entities)}
    for k, ent in enumerate(annotations.entities):
        parent = by_id.get(ent.parent) if ent.parent is not None else None
        if parent is None:
            continue
        p, c = entity_moves[parent], entity_moves[k]
        old_parent = annotations.entities[parent]
        was_inside = old_parent.start <= ent.start and ent.end <= old_parent.end
        if was_inside and not (p.start <= c.start and c.end <= p.end):
            reason = f"it is no longer inside its parent {ent.parent}; check both"
            entity_moves[k] = Carried(c.start, c.end, MARKED, f"{c.reason}; {reason}" if c.reason else reason)

    sentences, entities, moves = [], [], []
    for s, c in zip(annotations.sentences, sentence_moves):
        review = _mark(s.review, prefix, c.reason) if c.outcome == MARKED else s.review
        sentences.append(Sentence(s.id, c.start, c.end, review))
        moves.append(SpanMove("sentence", s.id, s.start, s.end, c.start, c.end, c.outcome, review if c.outcome == MARKED else None))
    for e, c in zip(annotations.entities, entity_moves):
        review = _mark(e.review, prefix, c.reason) if c.outcome == MARKED else e.review
        entities.append(Entity(e.id, c.start, c.end, e.label, new[c.start:c.end], e.parent, e.kb, e.note, review))
        moves.append(SpanMove("entity", e.id, e.start, e.end, c.start, c.end, c.outcome, review if c.outcome == MARKED else None))

    migrated = annotations.replace(text_version=new_version, text_sha256=new_sha256,
                                   sentences=tuple(sentences), entities=tuple(entities))
    uncovered = _uncovered(new, alignment.edits, sentences) if sentences else ()
    report = MigrationReport(annotations.text_version, new_version, alignment.edits, tuple(moves), uncovered)
    return Migration(migrated, report)
