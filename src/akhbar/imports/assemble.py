"""Assemble: a `SourceDocument` becomes a corpus `Document`, its `Annotations` and its text. Pure.

- The text is the sentences' texts joined by "\\n", with a final "\\n" (a
  token-based sentence's text is its tokens joined by single spaces), or the
  document's whole text where the source gives one.
- The text goes through ingest's normalisation (BOM, line endings, NFC), and
  every offset is carried through it, so each entity's `text` is the slice
  of the normalised text.
- Sentences are `s1, s2, ...` in text order, without edge whitespace;
  entities `e1, e2, ...` by start, longest first; where the source gives
  every sentence (or every kept entity) a valid id, unique in the document
  (Akhbar jsonl), those ids are kept instead, and so are entity notes. `parent` is the smallest
  entity containing the mention. For two entities with the same span, the
  source's nesting level decides (the outer column is the parent), else the
  label map's `same_span_parent` order, else it is a fault.

Offsets are code points, 0-based, end exclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..format.corpus import sha256_hex, version_file_name
from ..format.model import Annotations, Annotator, Document, Entity, License, Sentence, Source, TextVersion
from ..spans import tokenize
from .labelmap import DROP, LabelMap
from .model import Faults, SourceDocument
from .normalise import normalise_with_map, widen

__all__ = ["Provenance", "Assembled", "assemble", "document_text"]

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # the schema's id pattern


@dataclass(frozen=True)
class Provenance:
    """What every document of one import records about its origin and terms."""

    license: License
    format: str
    date: str
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    note: str | None = None
    citation: str | None = None
    annotator: str | None = None


@dataclass(frozen=True)
class Assembled:
    document: Document
    annotations: Annotations
    text: str
    labels: dict  # Wojood label -> entities
    dropped: int  # entities whose label maps to `drop`
    token_differences: int  # source tokens that are not one token of the project's tokenizer


def document_text(src: SourceDocument) -> tuple[str, list, list]:
    """The raw (not yet normalised) text, the sentences' spans and the entities with their sentence index.

    Entities come back as (start, end, entity, sentence index or None) in text offsets.
    """
    if src.text is not None:
        return src.text, list(src.spans), [(e.start, e.end, e, None) for e in src.entities]
    parts, spans, entities, pos = [], [], [], 0
    for k, s in enumerate(src.sentences):
        body = s.text
        lead = len(body) - len(body.lstrip())
        spans.append((pos + lead, pos + len(body.rstrip())))
        entities += [(pos + e.start, pos + e.end, e, k) for e in s.entities]
        parts.append(body)
        pos += len(body) + 1
    return "\n".join(parts) + "\n", spans, entities


def _token_differences(src: SourceDocument) -> int:
    """Source tokens whose span is not exactly one token of `spans.tokenize` (split off punctuation, merged clitics)."""
    count = 0
    for s in src.sentences:
        if s.tokens:
            ours = set(tokenize(s.text))
            count += sum(1 for t in s.tokens if t not in ours)
    return count


def assemble(src: SourceDocument, doc_id: str, split: str, seed: tuple[str, str], source_document: str | None,
             labels: LabelMap, provenance: Provenance, faults: Faults) -> Assembled | None:
    """The document, or None when a fatal fault was recorded for it. `seed` is (repository path, sha256)."""
    fatal_before = len(faults.fatal)
    line0 = src.line
    raw, spans, raw_entities = document_text(src)
    if not src.sentences and src.text is None or not raw.strip():
        faults.add("empty-document", src.file, line0, f"document {src.id or doc_id!r} has no text")
        return None
    for k, s in enumerate(src.sentences):
        if not s.text.strip():
            faults.add("empty-sentence", src.file, s.line or line0, f"sentence {s.id or k + 1} has no text")
    normalised, mapping = normalise_with_map(raw)
    text = normalised.text

    # sentences
    sentence_spans = []
    span_ids = dict(zip(spans, src.span_ids)) if len(src.span_ids) == len(spans) else {}
    kept_ids = []
    for a, b in spans:
        source_id = span_ids.get((a, b))
        if not (0 <= a < b <= len(raw)):
            faults.add("span-invalid", src.file, line0, f"sentence ({a}, {b}) outside the text of {len(raw)} characters")
            continue
        if mapping is not None:
            a, b, _ = widen(mapping, a, b)
        sentence_spans.append((a, b))
        kept_ids.append(((a, b), source_id))
    sentence_spans.sort()
    sentence_ids = _source_ids([i for _, i in sorted(kept_ids, key=lambda k: k[0])], "s")

    # entities: map labels, check and carry offsets, trim whitespace
    dropped = 0
    items = []  # [start, end, label, level, source entity, sentence index]
    for start, end, e, k in raw_entities:
        line = e.line or line0
        target = labels.target(e.label)
        if target is None:
            continue  # listed by the caller (label-unmapped), before anything is assembled
        if target == DROP:
            dropped += 1
            continue
        if not (0 <= start < end <= len(raw)):
            faults.add("span-invalid", src.file, line, f"{e.label} ({e.start}, {e.end}) is outside its text")
            continue
        if mapping is not None:
            start, end, widened = widen(mapping, start, end)
            if widened and not faults.add("span-splits-character", src.file, line,
                                          f"{e.label} ({e.start}, {e.end}) splits a letter from its marks"):
                continue
        surface = text[start:end]
        if surface != surface.strip():
            if not faults.add("span-whitespace-edge", src.file, line, f"{e.label} {surface!r} has whitespace at an edge"):
                continue
            stripped = surface.strip()
            if not stripped:
                continue
            start += len(surface) - len(surface.lstrip())
            end = start + len(stripped)
        items.append([start, end, target, e.level, e, k])

    entities = _nest(items, labels, src, line0, faults)
    if entities is None:
        return None
    _check_in_sentences(entities, sentence_spans, src, line0, faults)
    if len(faults.fatal) > fatal_before:
        return None

    # ids and records
    sentence_records = tuple(Sentence(i, a, b) for i, (a, b) in zip(sentence_ids, sentence_spans))
    ids = dict(zip((id(item) for item in entities), _source_ids([item[4].id for item in entities], "e")))
    entity_records = tuple(
        Entity(ids[id(item)], item[0], item[1], item[2], text[item[0]:item[1]],
               ids[id(item[6])] if item[6] is not None else None, item[4].kb, item[4].note)
        for item in entities
    )
    text_bytes = text.encode("utf-8")
    seed_file, seed_sha = seed
    where = f"{seed_file}" + (f", document {source_document}" if source_document else "")
    version = TextVersion(1, version_file_name(1), sha256_hex(text_bytes), len(text), provenance.date,
                          f"Imported ({provenance.format}) from {where}: {normalised.note()}.")
    title = (src.title or text.split("\n", 1)[0]).strip()
    note = provenance.note or _unknown_note(provenance)
    document = Document(
        id=doc_id,
        title=title,
        license=provenance.license,
        source=Source(seed_file, seed_sha, provenance.publisher, provenance.published, provenance.url, note,
                      source_document, provenance.citation),
        split=split,
        versions=(version,),
    )
    annotators = tuple(Annotator(i, r) for i, r in dict.fromkeys(src.annotators))
    if provenance.annotator and (provenance.annotator, "import") not in src.annotators:
        annotators += (Annotator(provenance.annotator, "import"),)
    annotations = Annotations(doc_id, 1, version.sha256, annotators, sentence_records, entity_records)
    counts: dict = {}
    for e in entity_records:
        counts[e.label] = counts.get(e.label, 0) + 1
    return Assembled(document, annotations, text, counts, dropped, _token_differences(src))


def _source_ids(given: list, prefix: str) -> list[str]:
    """The source's ids where every one is a valid id and none repeats; else `<prefix>1, <prefix>2, ...`."""
    if given and all(isinstance(i, str) and _ID.fullmatch(i) for i in given) and len(set(given)) == len(given):
        return list(given)
    return [f"{prefix}{k}" for k in range(1, len(given) + 1)]


def _unknown_note(p: Provenance) -> str:
    unknown = [name for name, value in (("publisher", p.publisher), ("publication date", p.published),
                                        ("URL", p.url)) if value is None]
    if not unknown:
        return "Imported from an existing corpus."
    return f"Imported from an existing corpus; its {', '.join(unknown)} were not given and are left null."


def _order_key(item, labels: LabelMap):
    start, end, label, level = item[0], item[1], item[2], item[3]
    rank = labels.parent_rank(label)
    return (start, -end, level if level is not None else -1, rank if rank is not None else 1 << 20)


def _nest(items: list, labels: LabelMap, src: SourceDocument, line0, faults: Faults) -> list | None:
    """The entities in id order, each with its parent (item[6], None at the top), or None after a fatal fault."""
    items.sort(key=lambda it: _order_key(it, labels))
    out, stack = [], []
    previous = None
    for item in items:
        line = item[4].line or line0
        if previous is not None and previous[0] == item[0] and previous[1] == item[1]:
            if previous[2] == item[2]:
                if faults.add("same-span-duplicate", src.file, line,
                              f"{item[2]} ({item[0]}, {item[1]}) is annotated twice"):
                    continue
                return None
            decided = (previous[3] is not None and item[3] is not None and previous[3] != item[3]) or (
                labels.parent_rank(previous[2]) is not None and labels.parent_rank(item[2]) is not None)
            if not decided:
                faults.add("same-span-labels", src.file, line,
                           f"({item[0]}, {item[1]}) is both {previous[2]} and {item[2]}: give the order in the "
                           "label map's same_span_parent")
                continue
        while stack and stack[-1][1] <= item[0]:
            stack.pop()
        parent = None
        if stack:
            top = stack[-1]
            if item[1] <= top[1]:
                parent = top
            else:
                faults.add("entity-crossing", src.file, line, f"{item[2]} ({item[0]}, {item[1]}) crosses "
                           f"{top[2]} ({top[0]}, {top[1]})")
                continue
        item.append(parent)
        stack.append(item)
        out.append(item)
        previous = item
    return out


def _check_in_sentences(entities: list, spans: list, src: SourceDocument, line0, faults: Faults) -> None:
    from bisect import bisect_right

    starts = [a for a, _ in spans]
    for item in entities:
        i = bisect_right(starts, item[0]) - 1
        if i < 0 or item[1] > spans[i][1]:
            faults.add("entity-across-sentences", src.file, item[4].line or line0,
                       f"{item[2]} ({item[0]}, {item[1]}) is not inside one sentence")
