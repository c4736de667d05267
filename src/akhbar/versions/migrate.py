"""Carry the annotations of one text version onto the next (pure; the rules per span are in `akhbar.versions.align`).

Offsets are Unicode code points, 0-based, end exclusive, of the version
named. `migrate_annotations` carries every sentence and entity, keeps ids,
order and count (nothing is dropped), sets `review` on what it marks, and
returns a `MigrationReport` saying what happened to each annotation.

Sentences get one rule more than entities (`_edited_inside`): a sentence
whose inside changed, by edits that touch neither of its ends nor add or
remove a sentence-final character, keeps its boundaries (`edited inside`,
no mark): nothing about where it starts or ends is in doubt. An entity whose
characters changed is still marked: its own text is what a person checks.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ..format.model import Annotations, Entity, Sentence
from .align import (
    EDITED_INSIDE,
    MARKED,
    OUTCOMES,
    REANCHORED,
    SENTENCE_FINAL,
    Alignment,
    Carried,
    Edit,
    align_texts,
    carry_span,
    image_of,
)
from .words import WordEdit, word_edits

__all__ = ["SpanMove", "MigrationReport", "Migration", "migrate_annotations"]


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
    words: tuple[WordEdit, ...] = field(default=())  # the edits in whole words, for people (`akhbar.versions.words`)

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
            "word_edits": [w.to_dict() for w in self.words],
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


def _slides(text: str, pos: int, step: int, piece: str) -> bool:
    """Whether an insertion of `piece` (or deletion of `piece`) at `pos` could equally be placed one character over.

    Rightwards (`step` 1) when the character after it repeats its first one,
    leftwards when the one before it repeats its last one.
    """
    if step > 0:
        return pos < len(text) and piece[:1] == text[pos]
    return pos > 0 and piece[-1:] == text[pos - 1]


def _edited_inside(alignment: Alignment, old: str, new: str, start: int, end: int) -> tuple[int, int] | None:
    """The new [start, end) of old sentence [start, end) when every edit near it lies strictly inside, else None.

    Strictly inside: the sentence's first and last characters are kept (an
    insertion or deletion that an equally good alignment could place one
    character further in counts as inside), and no edit adds or removes a
    character of `SENTENCE_FINAL` (a full stop, a question mark, a line
    break...), which could split or join sentences.
    """
    new_start, new_end = alignment.map_start(start), alignment.map_end(end)
    for e in alignment.edits_within(start, end):
        gone, came = old[e.old_start:e.old_end], new[e.new_start:e.new_end]
        if SENTENCE_FINAL.intersection(gone) or SENTENCE_FINAL.intersection(came):
            return None
        a, b = e.old_start, e.old_end
        if gone and came:
            if not (start < a and b < end):
                return None
            continue
        piece = came or gone
        if a <= start:
            # only an insertion at the start, or a deletion from it, that can slide inwards
            if a < start or not _slides(old, b, 1, piece):
                return None
            if came:
                new_start = e.new_start  # the inserted text begins with the sentence's own first character
            a, b = a + 1, b + 1
        if b >= end:
            if b > end or not _slides(old, a, -1, piece):
                return None
            if came:
                new_end = e.new_end
            a, b = a - 1, b - 1
        if not (start < a and b < end):
            return None
    return (new_start, new_end) if new_start < new_end else None


def _uncovered(new: str, edits, sentences) -> tuple[tuple[int, int], ...]:
    """Inserted stretches of non-whitespace text that no sentence covers (the validator's sentence-gap).

    Each is reported from its first to its last such character within one edit.
    """
    spans = sorted((s.start, s.end) for s in sentences)
    starts = [s for s, _ in spans]
    out = []
    for e in edits:
        run = None
        for p in range(e.new_start, e.new_end):
            if new[p].isspace():
                continue
            k = bisect.bisect_right(starts, p) - 1
            if k >= 0 and p < spans[k][1]:  # covered: closes a stretch
                if run:
                    out.append(tuple(run))
                run = None
            elif run is None:
                run = [p, p + 1]
            else:
                run[1] = p + 1
        if run:
            out.append(tuple(run))
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
    for k, c in enumerate(sentence_moves):
        s = annotations.sentences[k]
        # before re-anchoring: a sentence whose ends are intact stays where they are, not on a copy of its old text
        if c.outcome in (MARKED, REANCHORED) and (inside := _edited_inside(alignment, old, new, s.start, s.end)) is not None:
            sentence_moves[k] = Carried(*inside, EDITED_INSIDE)

    # A re-anchored sentence may not overlap a neighbour; a re-anchored entity may not duplicate another.
    placed = [(c.start, c.end) for c in sentence_moves]
    for k, c in enumerate(sentence_moves):
        if c.outcome != REANCHORED:
            continue
        clash = [annotations.sentences[j].id for j in (k - 1, k + 1)
                 if 0 <= j < len(placed) and _overlaps(placed[k], placed[j])]
        if clash:
            s = annotations.sentences[k]
            lo, hi, _ = image_of(new, alignment.map_start(s.start), alignment.map_end(s.end))
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
            lo, hi, _ = image_of(new, alignment.map_start(ent.start), alignment.map_end(ent.end))
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
    report = MigrationReport(annotations.text_version, new_version, alignment.edits, tuple(moves), uncovered,
                             word_edits(alignment, old, new))
    return Migration(migrated, report)
