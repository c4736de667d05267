"""The entities two annotations of one text disagree on, paired where they overlap (`akhbar agree`).

Offsets are Unicode code points of the text, 0-based, end exclusive. Pure.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from dataclasses import dataclass

from ..format.model import Entity

__all__ = ["Disagreement", "disagreements"]


@dataclass(frozen=True)
class Disagreement:
    """Entities of A and B that do not agree: kind is label, boundary, boundary+label, only_a or only_b."""

    kind: str
    a: Entity | None
    b: Entity | None
    document: str | None = None  # set when several documents are pooled

    def to_dict(self) -> dict:
        side = lambda e: None if e is None else {k: getattr(e, k) for k in ("id", "start", "end", "label", "text")}  # noqa: E731
        out = {"kind": self.kind, "a": side(self.a), "b": side(self.b)}
        if self.document is not None:
            out["document"] = self.document
        return out


def disagreements(a: tuple[Entity, ...], b: tuple[Entity, ...]) -> tuple[Disagreement, ...]:
    """Every entity of A or B without an identical (span and label) partner in the other, paired where they overlap.

    Pairs are formed greedily: same span first (a label disagreement), then
    the largest overlap (a boundary disagreement, with or without a label
    one; on a tie the first entity of B in file order). O(n log n): B is
    indexed by key, by span and by start, and an overlap is searched only
    among the entities of B starting less than B's longest entity before it.
    """
    used = [False] * len(b)
    by_key: dict[tuple, deque] = defaultdict(deque)
    by_span: dict[tuple, deque] = defaultdict(deque)
    for i, x in enumerate(b):
        by_key[(x.start, x.end, x.label)].append(i)
        by_span[(x.start, x.end)].append(i)

    def take(queue: deque) -> int | None:
        while queue and used[queue[0]]:
            queue.popleft()
        if not queue:
            return None
        used[queue[0]] = True
        return queue.popleft()

    a_left = [e for e in a if take(by_key[(e.start, e.end, e.label)]) is None]
    out, rest = [], []
    for e in a_left:
        same = take(by_span[(e.start, e.end)])
        if same is not None:
            out.append(Disagreement("label", e, b[same]))
        else:
            rest.append(e)
    order = sorted((i for i in range(len(b)) if not used[i]), key=lambda i: (b[i].start, i))
    starts = [b[i].start for i in order]
    longest = max((b[i].end - b[i].start for i in order), default=0)
    for e in rest:
        best = None
        # every entity of B overlapping e starts in (e.start - longest, e.end)
        for k in range(bisect_right(starts, e.start - longest), bisect_left(starts, e.end)):
            i = order[k]
            if used[i]:
                continue
            x = b[i]
            overlap = min(e.end, x.end) - max(e.start, x.start)
            if overlap > 0 and (best is None or (overlap, -i) > best[:2]):
                best = (overlap, -i, i)
        if best is not None:
            partner = b[best[2]]
            used[best[2]] = True
            out.append(Disagreement("boundary" if partner.label == e.label else "boundary+label", e, partner))
        else:
            out.append(Disagreement("only_a", e, None))
    out += [Disagreement("only_b", None, x) for i, x in enumerate(b) if not used[i]]
    out.sort(key=lambda d: ((d.a or d.b).start, -(d.a or d.b).end))
    return tuple(out)
