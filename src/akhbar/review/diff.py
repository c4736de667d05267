"""What changed between two annotation files of one text (`akhbar diff`).

Entities are matched by id first (ids are stable across edits), then, among
the rest, by exact span: a matched pair whose label differs is relabelled,
whose span differs is re-spanned, whose kb, note or parent differs is edited;
an unmatched old entity is removed, an unmatched new one added. Sentences
are matched by span; an old sentence exactly tiled by two or more new ones
was split, a new one tiling two or more old ones is a merge; the rest were
moved (same id, other span), added or removed. Offsets are Unicode code
points of the text, 0-based, end exclusive.

Files of two text versions of one document are compared after carrying the
old one onto the new one's version through the version chain
(`carry_across_versions`, by `akhbar.versions.align` as `akhbar revise` does).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace

from ..errors import UsageError
from ..format.model import Annotations, Entity, Sentence, TextVersion
from ..format.text import escape_controls
from ..versions.align import MARKED
from ..versions.migrate import migrate_annotations
from .gcpause import gc_paused
from .load import entity_title
from .render import Mark, Notice, render_page

__all__ = [
    "EntityChange",
    "SentenceChange",
    "AnnotationDiff",
    "diff_annotations",
    "require_same_text",
    "carry_across_versions",
    "format_diff",
    "diff_page",
    "ENTITY_FIELDS",
]

# Fields compared on a matched pair, beyond the span; `text` follows the span.
ENTITY_FIELDS = ("label", "kb", "note", "parent", "review")


@dataclass(frozen=True)
class EntityChange:
    """One entity that differs: `old` and/or `new`; `what` lists the changed fields ("id", "span", "label", ...)."""

    old: Entity | None
    new: Entity | None
    what: tuple[str, ...] = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        """Every kind that applies: a pair can be both relabelled and re-spanned."""
        if self.old is None or self.new is None:
            return (self.kind,)
        out = tuple(k for f, k in (("label", "relabelled"), ("span", "re-spanned")) if f in self.what)
        return out or ("edited",)

    @property
    def kind(self) -> str:
        """added, removed, relabelled, re-spanned (both when both changed: the first wins) or edited."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        if "label" in self.what:
            return "relabelled"
        if "span" in self.what:
            return "re-spanned"
        return "edited"


@dataclass(frozen=True)
class SentenceChange:
    """Sentences that differ: kind is split, merged, moved, added or removed."""

    kind: str
    old: tuple[Sentence, ...]
    new: tuple[Sentence, ...]


@dataclass(frozen=True)
class AnnotationDiff:
    entities: tuple[EntityChange, ...]
    sentences: tuple[SentenceChange, ...]
    unchanged_entities: int
    unchanged_sentences: int

    def counts(self) -> dict[str, int]:
        """Changes by kind; a pair both relabelled and re-spanned counts in both."""
        counts = Counter()
        for c in self.entities:
            if c.old is not None and c.new is not None:
                counts["relabelled"] += "label" in c.what
                counts["re-spanned"] += "span" in c.what
                counts["edited"] += not ({"label", "span"} & set(c.what))
            else:
                counts[c.kind] += 1
        return {k: counts[k] for k in ("added", "removed", "relabelled", "re-spanned", "edited")}

    def sentence_counts(self) -> dict[str, int]:
        counts = Counter(c.kind for c in self.sentences)
        return {k: counts[k] for k in ("split", "merged", "moved", "added", "removed")}

    @property
    def is_empty(self) -> bool:
        return not self.entities and not self.sentences


def require_same_text(old: Annotations, new: Annotations, old_name: str, new_name: str,
                      other_versions: bool = False) -> None:
    """Refuse (UsageError, exit 2) two files that do not annotate the same text version.

    With `other_versions`, two versions of the same document pass (the caller
    carries one onto the other through the version chain).
    """
    if old.document != new.document:
        raise UsageError(f"{old_name} annotates document {old.document!r} but {new_name} annotates {new.document!r}")
    if other_versions and old.text_version != new.text_version:
        return
    if old.text_sha256 != new.text_sha256 or old.text_version != new.text_version:
        raise UsageError(
            f"{old_name} annotates text version {old.text_version} and {new_name} text version "
            f"{new.text_version} of {old.document!r} (or the same version with another text_sha256): "
            "only files of the same text version can be compared here"
        )


def carry_across_versions(old: Annotations, chain: list[tuple[TextVersion, str]]) -> tuple[Annotations, tuple[str, ...]]:
    """`old` carried along `chain` (its own version first, then each next version with its text) by `akhbar.versions.align`.

    Returns the carried annotations, on the last version's text, and for
    each sentence or entity whose carry was uncertain (marked) where it was,
    e.g. "entity e4 (v1 32–35 «أمس»)". The carried items keep the `review` they had: the marks the
    carry would add are reported here instead, so that a diff shows what the
    files say, not what the tool did.
    """
    if not chain or chain[0][0].version != old.text_version:
        raise ValueError("the chain must start at the annotations' own text version")
    current, marked = old, set()
    for (_, before), (version, after) in zip(chain, chain[1:]):
        migration = migrate_annotations(current, before, after, version.version, version.sha256)
        marked |= {(m.kind, m.id) for m in migration.report.moves if m.outcome == MARKED}
        current = migration.annotations
    where = [
        f"{kind} {item.id} (v{old.text_version} {item.start}\u2013{item.end}"
        + (f" \u00ab{item.text}\u00bb)" if kind == "entity" else ")")
        for kind, items in (("sentence", old.sentences), ("entity", old.entities))
        for item in items
        if (kind, item.id) in marked
    ]
    current = current.replace(
        sentences=tuple(replace(c, review=o.review) for o, c in zip(old.sentences, current.sentences)),
        entities=tuple(replace(c, review=o.review) for o, c in zip(old.entities, current.entities)),
    )
    return current, tuple(where)


def _changed_fields(old: Entity, new: Entity) -> tuple[str, ...]:
    what = []
    if old.id != new.id:
        what.append("id")
    if (old.start, old.end) != (new.start, new.end):
        what.append("span")
    what += [f for f in ENTITY_FIELDS if getattr(old, f) != getattr(new, f)]
    return tuple(what)


def _diff_entities(old: tuple[Entity, ...], new: tuple[Entity, ...]) -> tuple[list[EntityChange], int]:
    # One pass over each side with positions, not objects: `taken[i]` marks new[i] as matched (a bytearray, no
    # object per entity), an equal pair costs one comparison and allocates nothing (issue 15: flat cost per entity).
    first_of_id: dict[str, int] = {}
    for i, e in enumerate(new):
        first_of_id.setdefault(e.id, i)
    taken = bytearray(len(new))
    changes: list[EntityChange] = []
    old_left: list[Entity] = []
    unchanged = 0
    for e in old:
        i = first_of_id.get(e.id)
        if i is None or taken[i]:
            old_left.append(e)
            continue
        taken[i] = 1
        n = new[i]
        # The fields `_changed_fields` compares (the id matched), inline: no call, no tuple (a test keeps them equal).
        if (e.start == n.start and e.end == n.end and e.label == n.label and e.kb == n.kb and e.note == n.note
                and e.parent == n.parent and e.review == n.review):
            unchanged += 1
        elif what := _changed_fields(e, n):
            changes.append(EntityChange(e, n, what))
        else:  # differs only in `text`, which follows the span
            unchanged += 1
    removed = []
    if old_left:
        by_span: dict[tuple[int, int], list[int]] = {}
        for i, e in enumerate(new):
            if not taken[i]:
                by_span.setdefault((e.start, e.end), []).append(i)
        for e in old_left:
            candidates = by_span.get((e.start, e.end))
            if candidates:
                # Prefer the same label among entities of the same span (nested entities can share a span).
                i = next((c for c in candidates if new[c].label == e.label), candidates[0])
                candidates.remove(i)
                taken[i] = 1
                if what := _changed_fields(e, new[i]):
                    changes.append(EntityChange(e, new[i], what))
                else:
                    unchanged += 1
            else:
                removed.append(e)
    changes += [EntityChange(e, None) for e in removed]
    changes += [EntityChange(None, new[i]) for i in range(len(new)) if not taken[i]]
    changes.sort(key=_change_order)
    return changes, unchanged


def _change_order(c: EntityChange) -> tuple[int, int, str]:
    e = c.new or c.old
    return e.start, -e.end, c.kind


def _inside(outer: Sentence, inner: list[Sentence], starts: list[int]) -> list[Sentence]:
    """The sentences of `inner` (sorted by start; `starts` their starts) inside `outer`: a bisected range, not a scan."""
    lo, hi = bisect_left(starts, outer.start), bisect_left(starts, outer.end)
    return [s for s in inner[lo:hi] if s.end <= outer.end]


def _tiles(outer: Sentence, parts: list[Sentence]) -> bool:
    return len(parts) >= 2 and parts[0].start == outer.start and parts[-1].end == outer.end


def _diff_sentences(old: tuple[Sentence, ...], new: tuple[Sentence, ...]) -> tuple[list[SentenceChange], int]:
    if len(old) == len(new) and all(o.start == n.start and o.end == n.end for o, n in zip(old, new)):
        return [], len(new)  # the usual case (one segmentation, two annotators): one sequential pass, no sets
    old_spans = {(s.start, s.end) for s in old}
    new_spans = {(s.start, s.end) for s in new}
    old_left = sorted((s for s in old if (s.start, s.end) not in new_spans), key=lambda s: s.start)
    new_left = sorted((s for s in new if (s.start, s.end) not in old_spans), key=lambda s: s.start)
    unchanged = sum(1 for s in new if (s.start, s.end) in old_spans)
    changes, done_old, done_new = [], set(), set()
    old_starts, new_starts = [s.start for s in old_left], [s.start for s in new_left]
    for o in old_left:
        parts = _inside(o, new_left, new_starts)
        if _tiles(o, parts):
            changes.append(SentenceChange("split", (o,), tuple(parts)))
            done_old.add(id(o))
            done_new.update(id(p) for p in parts)
    for n in new_left:
        if id(n) in done_new:
            continue
        parts = [p for p in _inside(n, old_left, old_starts) if id(p) not in done_old]
        if _tiles(n, parts):
            changes.append(SentenceChange("merged", tuple(parts), (n,)))
            done_new.add(id(n))
            done_old.update(id(p) for p in parts)
    old_rest = [s for s in old_left if id(s) not in done_old]
    new_rest = {s.id: s for s in new_left if id(s) not in done_new}
    for o in old_rest:
        n = new_rest.pop(o.id, None)
        changes.append(SentenceChange("moved", (o,), (n,)) if n else SentenceChange("removed", (o,), ()))
    changes += [SentenceChange("added", (), (n,)) for n in new_rest.values()]
    changes.sort(key=lambda c: min(s.start for s in c.old + c.new))
    return changes, unchanged


def diff_annotations(old: Annotations, new: Annotations) -> AnnotationDiff:
    """The changes from `old` to `new`, two annotations of the same text (see `require_same_text`)."""
    with gc_paused():  # builds lists and changes, no cycles: see gcpause.py
        entity_changes, same_entities = _diff_entities(old.entities, new.entities)
        sentence_changes, same_sentences = _diff_sentences(old.sentences, new.sentences)
    return AnnotationDiff(tuple(entity_changes), tuple(sentence_changes), same_entities, same_sentences)


def _span_text(e: Entity) -> str:
    return f"{e.label} {e.start}\u2013{e.end} \u00ab{e.text}\u00bb"


def describe_change(c: EntityChange) -> str:
    """One plain line for an entity change."""
    if c.old is None:
        return f"added       {c.new.id}  {_span_text(c.new)}"
    if c.new is None:
        return f"removed     {c.old.id}  {_span_text(c.old)}"
    ident = c.new.id if c.old.id == c.new.id else f"{c.old.id} \u2192 {c.new.id}"
    details = [] if "span" in c.what else [f"{c.new.start}\u2013{c.new.end} \u00ab{c.new.text}\u00bb"]
    if "label" in c.what:
        details.append(f"{c.old.label} \u2192 {c.new.label}")
    if "span" in c.what:
        details.append(f"{c.old.start}\u2013{c.old.end} \u00ab{c.old.text}\u00bb \u2192 {c.new.start}\u2013{c.new.end} \u00ab{c.new.text}\u00bb")
    for f in ENTITY_FIELDS[1:]:
        if f in c.what:
            details.append(f"{f}: {getattr(c.old, f)!r} \u2192 {getattr(c.new, f)!r}")
    if not {"label", "span"} & set(c.what):
        details.insert(0, c.new.label)
    return f"{'+'.join(c.kinds):<11} {ident}  " + "; ".join(details)


def describe_sentence_change(c: SentenceChange) -> str:
    old = " + ".join(f"{s.id} {s.start}\u2013{s.end}" for s in c.old) or "-"
    new = " + ".join(f"{s.id} {s.start}\u2013{s.end}" for s in c.new) or "-"
    return f"{c.kind:<11} sentence {old} \u2192 {new}"


def format_diff(d: AnnotationDiff, old_name: str, new_name: str, preface: tuple[str, ...] = ()) -> str:
    """The terminal summary: counts, then one line per change; `preface` lines (how OLD was carried) first."""
    counts, scounts = d.counts(), d.sentence_counts()
    lines = [
        f"--- {old_name}",
        f"+++ {new_name}",
        *preface,
        "entities: " + ", ".join(f"{n} {k}" for k, n in counts.items()) + f", {d.unchanged_entities} unchanged",
        "sentences: " + ", ".join(f"{n} {k}" for k, n in scounts.items()) + f", {d.unchanged_sentences} unchanged",
    ]
    lines += ["  " + describe_sentence_change(c) for c in d.sentences]
    lines += ["  " + describe_change(c) for c in d.entities]
    if d.is_empty:
        lines.append("no changes")
    return "".join(escape_controls(line) + "\n" for line in lines)  # labels, ids and text never reach a terminal raw


def diff_page(d: AnnotationDiff, old: Annotations, new: Annotations, text: str, old_name: str, new_name: str,
              preface: tuple[str, ...] = ()) -> str:
    """The review page of `new` with the changes marked; removed entities are drawn struck through."""
    with gc_paused():  # a mark, a node and HTML pieces per entity, no cycles: see gcpause.py
        return _diff_page(d, old, new, text, old_name, new_name, preface)


def _diff_page(d: AnnotationDiff, old: Annotations, new: Annotations, text: str, old_name: str, new_name: str,
               preface: tuple[str, ...]) -> str:
    change_of_new = {id(c.new): c for c in d.entities if c.new is not None}
    sentence_change = {id(s): c.kind for c in d.sentences for s in c.new}
    marks, notices = [], [Notice("info", line) for line in preface]
    for i, s in enumerate(new.sentences):
        kind = sentence_change.get(id(s))
        attrs = (("data-change", kind),) if kind else ()
        marks.append(Mark("sentence", s.id, f"s{i}", s.start, s.end, badge=str(i + 1),
                          title=f"sentence {i + 1} ({s.id}) \u00b7 {s.start}\u2013{s.end}" + (f" \u00b7 {kind}" if kind else ""),
                          classes=(f"chg-{kind}",) if kind else (), attrs=attrs))
    for i, e in enumerate(new.entities):
        c = change_of_new.get(id(e))
        title = entity_title(e.to_dict())
        attrs, classes = (), ()
        if c is not None:
            title += "\n" + describe_change(c)
            attrs, classes = (("data-change", " ".join(c.kinds)),), tuple(f"chg-{k}" for k in c.kinds)
            notices.append(Notice("added" if c.kind == "added" else "changed", describe_change(c), f"e{i}"))
        marks.append(Mark("entity", e.id, f"e{i}", e.start, e.end, badge=e.label, title=title, label=e.label,
                          classes=classes, attrs=attrs))
    for i, c in enumerate(x for x in d.entities if x.new is None):
        e = c.old
        marks.append(Mark("entity", e.id, f"old{i}", e.start, e.end, badge=e.label,
                          title=entity_title(e.to_dict()) + "\nremoved", label=e.label,
                          classes=("chg-removed",), attrs=(("data-change", "removed"),)))
        notices.append(Notice("removed", describe_change(c), f"old{i}"))
    for c in d.sentences:
        notices.append(Notice("changed", describe_sentence_change(c)))
    counts = d.counts()
    subtitle = (f"{old_name} \u2192 {new_name} \u00b7 document {new.document} \u00b7 text version {new.text_version} \u00b7 "
                + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return render_page(text, marks, title=f"Akhbar diff \u00b7 {new.document}", notices=notices, subtitle=subtitle)
