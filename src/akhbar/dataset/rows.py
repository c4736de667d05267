"""The corpus as rows of the four dataset configs: reading it once, then pure row builders.

Offsets are Unicode code points of a document's text, 0-based, end
exclusive. Labels and IOB2 tags are ClassLabel integers (the order of
schema/labels.yaml). A document whose annotations are empty (no sentences
and no entities) is not annotated yet and is left out of the dataset.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import InvalidDataError
from ..format.corpus import ANNOTATIONS_FILE, DOCUMENT_FILE, document_dir_names, parse_annotations, parse_document, sha256_hex
from ..format.labels import label_names
from ..format.model import Annotations, Document
from ..format.safe_open import read_bytes_safely
from ..spans import iob_labels, nesting_levels, spans_to_iob, tokenize

__all__ = [
    "SPLITS",
    "ROWS_FORMAT",
    "CorpusDocument",
    "Corpus",
    "DocumentEntry",
    "CorpusScan",
    "read_corpus",
    "scan_corpus",
    "document_rows",
    "rows_of",
]

SPLITS = ("train", "validation", "test")

# Bumped whenever the rows made from the same corpus change (tokenizer, fields):
# it is part of the corpus fingerprint, so a new format never reuses an old build.
ROWS_FORMAT = "akhbar-rows-3"  # 2: source.document, source.citation, license.text_spdx; 3: ner sentence_text/
# sentence_start/token_starts/token_ends, entity note


@dataclass(frozen=True)
class CorpusDocument:
    """One annotated document: its metadata, the annotations and the exact text they count."""

    document: Document
    annotations: Annotations
    text: str
    depth: dict  # entity id -> nesting depth (0 = outermost)


@dataclass(frozen=True)
class Corpus:
    """The annotated documents in id order, the ids left out (not annotated yet) and the content fingerprint."""

    documents: tuple[CorpusDocument, ...]
    unannotated: tuple[str, ...]
    fingerprint: str

    @property
    def max_depth(self) -> int:
        """The deepest nesting level of the corpus (0 when no entity is nested, -1 with no entity)."""
        return max((max(d.depth.values(), default=-1) for d in self.documents), default=-1)

    def by_split(self) -> dict[str, list[CorpusDocument]]:
        """The documents of each split that has any, in SPLITS order."""
        out = {s: [d for d in self.documents if d.document.split == s] for s in SPLITS}
        return {s: docs for s, docs in out.items() if docs}


def _read_document(doc_dir: Path, corpus_dir: Path) -> tuple[CorpusDocument | None, str, bytes]:
    """One document folder: `(document or None when not annotated yet, its id, the bytes the fingerprint hashes)`.

    The bytes are the id, metadata, annotations and text, each preceded by its
    length; empty for a document that is not annotated yet.
    """
    meta_bytes = read_bytes_safely(doc_dir / DOCUMENT_FILE, corpus_dir)
    ann_bytes = read_bytes_safely(doc_dir / ANNOTATIONS_FILE, corpus_dir)
    document = parse_document(meta_bytes)
    annotations = parse_annotations(ann_bytes)
    if annotations.is_empty:
        return None, document.id, b""
    version = document.version(annotations.text_version)
    text_bytes = read_bytes_safely(doc_dir / version.file, doc_dir)
    # The rows come from these bytes: they must be the ones validated (a text changed since is refused).
    if sha256_hex(text_bytes) != version.sha256 or annotations.text_sha256 != version.sha256:
        raise InvalidDataError(f"{doc_dir / version.file}: its sha256 is not the one recorded in "
                               f"{DOCUMENT_FILE} and {ANNOTATIONS_FILE} (changed while being read?); "
                               "nothing was written, validate and run again")
    try:
        depth = nesting_levels(annotations.entities)
    except ValueError as exc:
        raise InvalidDataError(f"{doc_dir / ANNOTATIONS_FILE}: {exc}") from None
    parts = b"".join(len(part).to_bytes(8, "big") + part
                     for part in (document.id.encode(), meta_bytes, ann_bytes, text_bytes))
    return CorpusDocument(document, annotations, text_bytes.decode("utf-8"), depth), document.id, parts


def _fingerprint_digest():
    from ..format.resources import schema_dir

    digest = hashlib.sha256(ROWS_FORMAT.encode())
    digest.update((schema_dir() / "labels.yaml").read_bytes())
    return digest


def read_corpus(corpus_dir: Path, progress: Callable[[int, int], None] | None = None) -> Corpus:
    """Every document of `corpus_dir` with its current text and annotations.

    The fingerprint is the sha256 of the rows format, the tag set and the bytes
    of each annotated document's metadata, annotations and text: it changes
    exactly when the dataset built from them can change. `scan_corpus` gives
    the same fingerprint without holding the documents.
    """
    documents: list[CorpusDocument] = []
    scan = scan_corpus(corpus_dir, visit=documents.append, progress=progress)  # the same pass, keeping each document
    return Corpus(tuple(documents), scan.unannotated, scan.fingerprint)


@dataclass(frozen=True)
class DocumentEntry:
    """What a corpus scan keeps of one annotated document: where it is, its split, the digest of its bytes."""

    dir: Path
    id: str
    split: str
    sha256: bytes  # of the bytes the fingerprint hashed for it: a second read must find the same


@dataclass(frozen=True)
class CorpusScan:
    """A corpus read once without keeping its documents: per document only `DocumentEntry`; read them again by split.

    `fingerprint`, `unannotated` and `max_depth` are those of `read_corpus`;
    `documents(entries)` reads the entries' documents one at a time and
    refuses (InvalidDataError) one whose bytes changed since the scan.
    """

    corpus_dir: Path
    entries: tuple[DocumentEntry, ...]
    unannotated: tuple[str, ...]
    fingerprint: str
    max_depth: int

    def by_split(self) -> dict[str, list[DocumentEntry]]:
        """The entries of each split that has any, in SPLITS order (id order within a split)."""
        out = {s: [e for e in self.entries if e.split == s] for s in SPLITS}
        return {s: entries for s, entries in out.items() if entries}

    def documents(self, entries: Iterable[DocumentEntry]) -> Iterator[CorpusDocument]:
        for entry in entries:
            doc, _, parts = _read_document(entry.dir, self.corpus_dir)
            if doc is None or hashlib.sha256(parts).digest() != entry.sha256:
                raise InvalidDataError(f"{entry.dir}: changed while the corpus was being read (by a program "
                                       "other than akhbar); nothing was written, validate and run again")
            yield doc


def scan_corpus(corpus_dir: Path, visit: Callable[[CorpusDocument], None] | None = None,
                progress: Callable[[int, int], None] | None = None) -> CorpusScan:
    """One pass over `corpus_dir` for what must be known before any row is made, holding one document at a time.

    `visit` sees each annotated document in id order (for counts); keeping it holds the corpus (`read_corpus`).
    """
    names = document_dir_names(corpus_dir)  # names, not paths: held for the whole pass
    dirs = (Path(corpus_dir) / name for name in names)
    digest = _fingerprint_digest()
    entries, unannotated, max_depth = [], [], -1
    for n, doc_dir in enumerate(dirs, start=1):
        doc, doc_id, parts = _read_document(doc_dir, corpus_dir)
        if doc is None:
            unannotated.append(doc_id)
        else:
            digest.update(parts)
            entries.append(DocumentEntry(doc_dir, doc_id, doc.document.split, hashlib.sha256(parts).digest()))
            max_depth = max(max_depth, max(doc.depth.values(), default=-1))
            if visit:
                visit(doc)
        del doc, parts
        if progress:
            progress(n, len(names))
    return CorpusScan(Path(corpus_dir), tuple(entries), tuple(unannotated), digest.hexdigest(), max_depth)


def _sentence_of(starts: list[int], sentences, start: int, end: int):
    """The sentence holding `[start, end)`, or None."""
    i = bisect_right(starts, start) - 1
    if i >= 0 and sentences[i].start <= start and end <= sentences[i].end:
        return sentences[i]
    return None


def document_rows(doc: CorpusDocument, levels: int) -> dict[str, list[dict]]:
    """The rows of one document in each config: `{config: [row, ...]}`.

    `levels` is the number of tag sequences per `ner` row (outermost plus
    nested), the same for every row of a corpus. Raises InvalidDataError when
    an entity lies in no sentence or two entities of one level share a word.
    """
    d, a, text = doc.document, doc.annotations, doc.text
    label_id = _label_ids()
    tag_id = _tag_ids()
    # Rows keep the order of annotations.json (sentences are in text order there);
    # a sorted copy serves only to find the sentence of an entity.
    sentences = list(a.sentences)
    by_start = sorted(sentences, key=lambda s: s.start)
    starts = [s.start for s in by_start]
    entities = list(a.entities)

    def entity_dict(e):
        return {"id": e.id, "start": e.start, "end": e.end, "label": label_id[e.label], "text": e.text,
                "parent": e.parent, "kb": e.kb, "note": e.note}

    documents_row = {
        "id": d.id,
        "title": d.title,
        "text": text,
        "text_version": a.text_version,
        "text_sha256": a.text_sha256,
        "language": d.language,
        "split": d.split,
        "source": {**d.source.to_dict(), "document": d.source.document, "citation": d.source.citation},
        "license": {**d.license.to_dict(), "text_spdx": d.license.text_spdx},
        "sentences": [{"id": s.id, "start": s.start, "end": s.end} for s in sentences],
        "entities": [entity_dict(e) for e in entities],
    }

    in_sentence: dict[str, list] = {s.id: [] for s in sentences}
    entity_rows = []
    base = {e.id: row for e, row in zip(entities, documents_row["entities"])}
    for e in entities:
        sentence = _sentence_of(starts, by_start, e.start, e.end)
        if sentence is None:
            raise InvalidDataError(f"document {d.id}: entity {e.id} ({e.start}, {e.end}) lies in no sentence")
        in_sentence[sentence.id].append(e)
        entity_rows.append({**base[e.id], "doc_id": d.id, "sentence_id": sentence.id, "depth": doc.depth[e.id]})

    sentence_rows, ner_rows = [], []
    for index, s in enumerate(sentences):
        inside = in_sentence[s.id]
        sentence_rows.append({
            "id": s.id, "doc_id": d.id, "index": index, "start": s.start, "end": s.end,
            "text": text[s.start:s.end],
            "entities": [{**base[e.id], "start": e.start - s.start, "end": e.end - s.start,
                          "depth": doc.depth[e.id]} for e in inside],
        })
        tokens = [(b + s.start, f + s.start) for b, f in tokenize(text[s.start:s.end])]
        by_level: list[list] = [[] for _ in range(max(levels, 1))]
        for e in inside:
            by_level[doc.depth[e.id]].append((e.start, e.end, e.label))
        try:
            tags = [[tag_id[t] for t in spans_to_iob(tokens, spans)] for spans in by_level]
        except ValueError as exc:  # overlapping spans (SpanOverlapError), or an entity on whitespace only
            raise InvalidDataError(f"document {d.id}, sentence {s.id}: {exc}") from None
        ner_rows.append({
            "id": s.id, "doc_id": d.id,
            "sentence_text": text[s.start:s.end],
            "sentence_start": s.start,
            "tokens": [text[b:f] for b, f in tokens],
            "token_starts": [b - s.start for b, _ in tokens],
            "token_ends": [f - s.start for _, f in tokens],
            "ner_tags": tags[0],
            "nested_ner_tags": tags[1:levels],
        })
    return {"documents": [documents_row], "sentences": sentence_rows, "entities": entity_rows, "ner": ner_rows}


def rows_of(documents: Iterable[CorpusDocument], levels: int) -> dict[str, list[dict]]:
    """The rows of several documents, concatenated per config in document order."""
    out: dict[str, list[dict]] = {"documents": [], "sentences": [], "entities": [], "ner": []}
    for doc in documents:
        for config, rows in document_rows(doc, levels).items():
            out[config].extend(rows)
    return out


_LABEL_IDS: dict[str, int] = {}
_TAG_IDS: dict[str, int] = {}


def _label_ids() -> dict[str, int]:
    if not _LABEL_IDS:
        _LABEL_IDS.update({name: i for i, name in enumerate(label_names())})
    return _LABEL_IDS


def _tag_ids() -> dict[str, int]:
    if not _TAG_IDS:
        _TAG_IDS.update({name: i for i, name in enumerate(iob_labels(label_names()))})
    return _TAG_IDS
