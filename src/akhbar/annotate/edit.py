"""Editing a document's annotations without typing offsets: markup round trip, accept, reject.

The pure parts live in `markup` and `find`; this module is the edge that
reads a document's current version and annotations and returns new
`Annotations` for the caller to write. Offsets are code points of one text
version, 0-based, end exclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InvalidDataError, NotFoundError, UsageError
from ..format.corpus import ANNOTATIONS_FILE, load_annotations, load_document, read_text, sha256_hex
from ..format.labels import label_names
from ..format.model import Annotations, Entity
from .markup import MarkupError, first_difference, header_line, parse_header, parse_markup, render_markup

__all__ = [
    "DocumentState",
    "load_state",
    "markup_of",
    "annotations_from_markup",
    "entities_from_spans",
    "accept",
    "reject",
    "SUGGESTED",
]

SUGGESTED = "suggested: "  # review marks left by `akhbar suggest` start with this


@dataclass(frozen=True)
class DocumentState:
    """A document's folder, its current text and its annotations (of that text version)."""

    folder: Path
    text: str
    annotations: Annotations


def load_state(doc_id: str, corpus: Path) -> DocumentState:
    """The current text and annotations of `corpus/<doc_id>`; refuses annotations of another version."""
    folder = Path(corpus) / doc_id
    if not (folder / ANNOTATIONS_FILE).is_file():
        raise NotFoundError(f"{folder}: no such document (no {ANNOTATIONS_FILE})")
    document = load_document(folder)
    annotations = load_annotations(folder / ANNOTATIONS_FILE)
    current = document.current
    if annotations.text_version != current.version:
        raise UsageError(f"{folder / ANNOTATIONS_FILE} belongs to text version {annotations.text_version}, "
                         f"not the current version {current.version}; bring it across with `akhbar revise` first")
    return DocumentState(folder, read_text(folder, current), annotations)


def markup_of(state: DocumentState) -> str:
    """The markup file of a document: the header line, then its text with every entity marked."""
    a = state.annotations
    spans = [(e.start, e.end, e.label) for e in a.entities]
    return header_line(a.document, a.text_version, a.text_sha256) + "\n" + render_markup(state.text, spans)


def _next_ids(taken: set[str], prefix: str = "e"):
    numbers = [int(m.group(1)) for i in taken if (m := re.fullmatch(rf"{prefix}([0-9]+)", i))]
    n = max(numbers, default=0)
    while True:
        n += 1
        yield f"{prefix}{n}"


def entities_from_spans(text: str, spans, existing: tuple[Entity, ...] = ()) -> tuple[Entity, ...]:
    """Entities for `spans` (MarkedSpan: start, end, label, parent index) over `text`, in text order.

    An existing entity with the same start, end and label keeps its id and
    its kb, note and review; new ones get fresh ids (e<N> after the largest).
    `parent` is the id of the span's parent span.
    """
    by_key: dict[tuple[int, int, str], list[Entity]] = {}
    for e in existing:
        by_key.setdefault((e.start, e.end, e.label), []).append(e)
    fresh = _next_ids({e.id for e in existing})
    ids: list[str] = []
    kept: list[Entity | None] = []
    for s in spans:
        old = by_key.get((s.start, s.end, s.label))
        e = old.pop(0) if old else None
        kept.append(e)
        ids.append(e.id if e else next(fresh))
    out = []
    for s, old, ident in zip(spans, kept, ids):
        parent = ids[s.parent] if s.parent is not None else None
        base = old if old is not None else Entity(ident, s.start, s.end, s.label, text[s.start:s.end])
        out.append(replace(base, parent=parent, text=text[s.start:s.end]))
    order = {ident: k for k, ident in enumerate(ids)}
    return tuple(sorted(out, key=lambda e: (e.start, -e.end, order[e.id])))


def annotations_from_markup(markup: str, corpus: Path) -> Annotations:
    """The annotations a markup file describes, for the document and version its header names.

    Refuses (UsageError) a header naming another version than the current
    one, and (InvalidDataError) a markup whose text, markup removed, differs
    from the version's text, naming the line and column of the first
    difference in the markup file. Sentences are kept as they are.
    """
    first, _, body = markup.partition("\n")
    try:
        doc_id, version, sha = parse_header(first)
    except MarkupError as exc:
        raise UsageError(f"line {exc.line}: {exc}") from None
    state = load_state(doc_id, corpus)
    a = state.annotations
    if version != a.text_version or sha != a.text_sha256:
        raise UsageError(f"the markup is of text version {version} (sha256 {sha[:12]}…), but {doc_id}'s "
                         f"annotations are of version {a.text_version} (sha256 {a.text_sha256[:12]}…); "
                         f"make a new markup file with `akhbar markup {doc_id}`")
    try:
        parsed = parse_markup(body, frozenset(label_names()), line_offset=1)
    except MarkupError as exc:
        raise InvalidDataError(f"line {exc.line}, column {exc.column}: {exc}") from None
    diff = first_difference(parsed.text, state.text)
    if diff is not None:
        k, _, _ = diff
        line, column = parsed.position(body, k, line_offset=1)
        got = parsed.text[k:k + 12]
        want = state.text[k:k + 12]
        raise InvalidDataError(f"line {line}, column {column}: with the markup removed the text differs from "
                               f"version {version} of {doc_id}: the file has {got!r} where the text has {want!r}; "
                               "edit only the brackets and labels, never the text (a text correction is "
                               "`akhbar revise`)")
    if sha256_hex(state.text.encode("utf-8")) != a.text_sha256:  # pragma: no cover - validate catches this
        raise InvalidDataError(f"{doc_id}: the text does not match its sha256")
    return a.replace(entities=entities_from_spans(state.text, parsed.spans, a.entities))


def _select(annotations: Annotations, ids, everything: bool, recommender: str | None):
    items = {x.id: x for x in annotations.sentences + annotations.entities}
    if ids:
        unknown = [i for i in ids if i not in items]
        if unknown:
            raise UsageError(f"{annotations.document}: no sentence or entity {', '.join(unknown)}")
        return set(ids)
    if recommender is not None:
        mark = f"{SUGGESTED}{recommender}"
        return {i for i, x in items.items() if x.review == mark}
    if everything:
        return {i for i, x in items.items() if x.review is not None}
    raise UsageError("name the ids to accept, or give --all or --recommender NAME")


def accept(annotations: Annotations, ids=(), everything: bool = False,
           recommender: str | None = None) -> tuple[Annotations, int]:
    """Clear the `review` mark of the chosen items; returns the new annotations and how many were cleared."""
    chosen = _select(annotations, ids, everything, recommender)
    cleared = sum(1 for x in annotations.sentences + annotations.entities if x.id in chosen and x.review)
    return annotations.replace(
        sentences=tuple(replace(s, review=None) if s.id in chosen else s for s in annotations.sentences),
        entities=tuple(replace(e, review=None) if e.id in chosen else e for e in annotations.entities),
    ), cleared


def reject(annotations: Annotations, ids) -> tuple[Annotations, int]:
    """Remove the chosen entities (or sentences); an entity's children move up to its parent."""
    chosen = _select(annotations, ids, False, None)
    parent_of = {e.id: e.parent for e in annotations.entities}

    def surviving_parent(p):
        while p is not None and p in chosen:
            p = parent_of.get(p)
        return p

    entities = tuple(replace(e, parent=surviving_parent(e.parent))
                     for e in annotations.entities if e.id not in chosen)
    sentences = tuple(s for s in annotations.sentences if s.id not in chosen)
    removed = len(annotations.entities) + len(annotations.sentences) - len(entities) - len(sentences)
    return annotations.replace(sentences=sentences, entities=entities), removed
