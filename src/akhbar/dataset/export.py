"""Exports of the annotated corpus as plain files: CoNLL (IOB2 columns), brat standoff, JSON Lines.

No dataset machinery: the converters are pure functions from a document's
text and annotations to text, and `read_brat` / `read_jsonl` give back
exactly the sentences and entities that were exported (every field, ids,
parents, kb, notes and review marks included).

Offsets are Unicode code points of the document text, 0-based, end
exclusive; brat counts characters the same way.

`EXPORT_FORMATS` is the table of formats: a name, a title, a one-line
description and a writer. `akhbar export --format` takes its choices and its
help from it, so a new format is a writer and one row here (plus its tests).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import UsageError
from ..format.atomic import (FolderMark, atomic_write, atomic_write_chunks, require_outside_data, require_replaceable,
                             staged_folder)
from ..format.corpus import load_document, read_text
from ..format.lock import corpus_lock_if_present
from ..format.labels import label_names
from ..format.text import escape_controls
from ..format.model import Annotations, Entity, Sentence
from ..spans import iob_labels
from ..validate.gate import require_valid
from .rows import SPLITS, Corpus, CorpusDocument, CorpusScan, DocumentEntry, document_rows, scan_corpus

__all__ = ["ExportFormat", "EXPORT_FORMATS", "FORMATS", "EXPORT_MARK", "to_conll", "to_brat", "from_brat", "brat_config", "to_jsonl_line", "from_jsonl_line",
           "read_brat", "read_jsonl", "export"]

DOCSTART = "-DOCSTART-"
# A folder is an earlier export, which an export may replace, when it holds this file.
EXPORT_MARK = FolderMark(".akhbar-export", "akhbar export", "akhbar export")


def to_conll(doc: CorpusDocument, levels: int) -> str:
    """One document in the CoNLL-2003 layout: columns separated by one space, `token tag [nested tags...]` per word,
    a blank line after each sentence, and a `-DOCSTART-` line with as many columns as a token line (`O` in every
    tag column, as CoNLL-2003's `-DOCSTART- -X- -X- O`) followed by a blank line.

    The first tag column is the outermost entities (IOB2), then one per deeper nesting level. Tokens never hold
    whitespace (the tokenizer splits at it), so every non-blank line has the same number of columns.
    """
    names = iob_labels(label_names())
    lines = [" ".join([DOCSTART, *["O"] * levels]), ""]
    for row in document_rows(doc, levels)["ner"]:
        columns = [row["ner_tags"], *row["nested_ner_tags"]]
        for i, token in enumerate(row["tokens"]):
            lines.append(" ".join([token, *(names[c[i]] for c in columns)]))
        lines.append("")
    return "\n".join(lines) + "\n"


def _brat_value(value: str) -> str:
    # brat lines are tab-separated and end at a newline: such values are JSON-quoted so they read back exactly.
    if any(c in value for c in "\t\n\r") or value.startswith('"'):
        return json.dumps(value, ensure_ascii=False)
    return value


def _read_brat_value(value: str) -> str:
    return json.loads(value) if value.startswith('"') else value


def _fragments(text: str, start: int, end: int) -> str:
    """brat's `start end[;start end]` for a span, split at line breaks (brat spans do not cross lines)."""
    parts, pos = [], start
    for i in range(start, end):
        if text[i] == "\n":
            if i > pos:
                parts.append(f"{pos} {i}")
            pos = i + 1
    if end > pos:
        parts.append(f"{pos} {end}")
    return ";".join(parts) or f"{start} {end}"


def to_brat(text: str, annotations: Annotations) -> str:
    """The `.ann` standoff of one document: sentences as `Sentence` spans, entities with their labels,
    `parent` as a relation, `kb` as a Wikidata normalisation, ids, notes and review marks as notes."""
    lines: list[str] = []
    counters = {"T": 0, "R": 0, "N": 0, "#": 0}

    def new(kind: str) -> str:
        counters[kind] += 1
        return f"{kind}{counters[kind]}"

    def span(kind: str, item) -> str:
        tid = new("T")
        surface = text[item.start : item.end].replace("\n", " ")
        lines.append(f"{tid}\t{kind} {_fragments(text, item.start, item.end)}\t{surface}")
        lines.append(f"{new('#')}\tAkhbarId {tid}\t{_brat_value(item.id)}")
        if item.review is not None:
            lines.append(f"{new('#')}\tAkhbarReview {tid}\t{_brat_value(item.review)}")
        return tid

    for s in annotations.sentences:
        span("Sentence", s)
    tids = {}
    for e in annotations.entities:
        tid = tids[e.id] = span(e.label, e)
        if e.kb is not None:
            surface = text[e.start : e.end].replace("\n", " ")
            lines.append(f"{new('N')}\tReference {tid} Wikidata:{e.kb}\t{surface}")
        if e.note is not None:
            lines.append(f"{new('#')}\tAnnotatorNotes {tid}\t{_brat_value(e.note)}")
    for e in annotations.entities:
        if e.parent is not None:
            lines.append(f"{new('R')}\tParent Arg1:{tids[e.id]} Arg2:{tids[e.parent]}\t")
    return "\n".join(lines) + ("\n" if lines else "")


def brat_config() -> str:
    """brat's `annotation.conf` for the export: the labels, `Sentence`, the `Parent` relation and the note types."""
    entities = "\n".join(["Sentence", *label_names()])
    return (f"[entities]\n{entities}\n\n[relations]\nParent\tArg1:<ENTITY>, Arg2:<ENTITY>\n"
            "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n[events]\n\n[attributes]\n")


def from_brat(text: str, ann: str) -> tuple[tuple[Sentence, ...], tuple[Entity, ...]]:
    """The sentences and entities of a `.ann` written by `to_brat`, in their original order."""
    spans: dict[str, dict] = {}
    order: list[str] = []
    for line in ann.splitlines():
        if not line:
            continue
        ident, body, *rest = line.split("\t")
        kind = ident[0]
        if kind == "T":
            label, frags = body.split(" ", 1)
            points = [int(x) for frag in frags.split(";") for x in frag.split(" ")]
            spans[ident] = {"label": label, "start": min(points), "end": max(points)}
            order.append(ident)
        elif kind == "#":
            note_type, target = body.split(" ")
            key = {"AkhbarId": "id", "AkhbarReview": "review", "AnnotatorNotes": "note"}[note_type]
            spans[target][key] = _read_brat_value(rest[0])
        elif kind == "N":
            _ref, target, kb = body.split(" ")
            spans[target]["kb"] = kb.split(":", 1)[1]
        elif kind == "R":
            _rel, arg1, arg2 = body.split(" ")
            spans[arg1.split(":", 1)[1]]["parent_tid"] = arg2.split(":", 1)[1]
    sentences, entities = [], []
    for tid in order:
        d = spans[tid]
        if d["label"] == "Sentence":
            sentences.append(Sentence(d["id"], d["start"], d["end"], d.get("review")))
        else:
            parent = spans[d["parent_tid"]]["id"] if "parent_tid" in d else None
            entities.append(Entity(d["id"], d["start"], d["end"], d["label"], text[d["start"] : d["end"]],
                                   parent, d.get("kb"), d.get("note"), d.get("review")))
    return tuple(sentences), tuple(entities)


def to_jsonl_line(doc: CorpusDocument) -> str:
    """One document as a JSON object on one line: id, split, title, text and its annotations, every field kept."""
    record = {"id": doc.document.id, "split": doc.document.split, "title": doc.document.title, "text": doc.text,
              **doc.annotations.to_dict()}
    return json.dumps(record, ensure_ascii=False)


def from_jsonl_line(line: str) -> tuple[str, Annotations]:
    """The text and annotations of a line written by `to_jsonl_line`."""
    record = json.loads(line)
    return record["text"], Annotations.from_dict(record)


def read_jsonl(path: Path) -> dict[str, tuple[str, Annotations]]:
    """`{document id: (text, annotations)}` of an exported `.jsonl` file."""
    out = {}
    with open(path, encoding="utf-8", newline="") as f:
        for line in f:
            text, annotations = from_jsonl_line(line)
            out[annotations.document] = (text, annotations)
    return out


def read_brat(folder: Path) -> dict[str, tuple[str, tuple, tuple]]:
    """`{document id: (text, sentences, entities)}` of a brat export folder (one `.txt` + `.ann` per document)."""
    out = {}
    for ann in sorted(Path(folder).rglob("*.ann")):
        text = ann.with_suffix(".txt").read_bytes().decode("utf-8")
        out[ann.stem] = (text, *from_brat(text, ann.read_bytes().decode("utf-8")))
    return out


# ---------------------------------------------------------------- the table of formats

def _write_conll(out: Path, corpus: Corpus) -> None:
    # CoNLL-2003 has no document ids: `<split>.documents.txt` lists them, one per -DOCSTART- line, in order.
    levels = max(corpus.max_depth + 1, 1)
    for split, docs in corpus.by_split().items():
        ids: list[str] = []  # gathered while the documents stream by: they are read once

        def blocks(docs=docs, ids=ids):
            for d in docs:
                ids.append(d.document.id)
                yield to_conll(d, levels)

        atomic_write_chunks(out / f"{split}.conll", blocks())
        atomic_write(out / f"{split}.documents.txt", "".join(i + "\n" for i in ids))


def _write_brat(out: Path, corpus: Corpus) -> None:
    atomic_write(out / "annotation.conf", brat_config())
    for d in corpus.documents:
        folder = out / d.document.split
        folder.mkdir(exist_ok=True)
        atomic_write(folder / f"{d.document.id}.txt", d.text)
        atomic_write(folder / f"{d.document.id}.ann", to_brat(d.text, d.annotations))


def _write_label_studio(out: Path, corpus: Corpus) -> None:
    from .label_studio import labeling_config, to_task

    atomic_write(out / "labeling-config.xml", labeling_config())
    tasks = [to_task(d.document.id, d.text, d.annotations) for d in corpus.documents]
    atomic_write(out / "tasks.json", json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")


def _write_jsonl(out: Path, corpus: Corpus) -> None:
    for split, docs in corpus.by_split().items():
        atomic_write_chunks(out / f"{split}.jsonl", (to_jsonl_line(d) + "\n" for d in docs))


@dataclass(frozen=True)
class ExportFormat:
    """One export format: `write(folder, corpus)` fills an empty folder with the corpus's annotated documents."""

    name: str
    title: str
    description: str
    write: Callable[[Path, Corpus], None]
    # for an annotation tool: documents not annotated yet are exported too, and items waiting for review
    # (`review-pending`) do not block the export
    for_annotation: bool = False


EXPORT_FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("conll", "CoNLL", "CoNLL-2003 layout: space-separated token and IOB2 tag columns, one tag column per "
                 "nesting level, -DOCSTART- before each document, one file per split (document ids in "
                 "<split>.documents.txt)", _write_conll),
    ExportFormat("brat", "brat", ".txt and .ann per document; reads back to exactly the same annotations",
                 _write_brat),
    ExportFormat("jsonl", "JSON Lines", "one document with its annotations per line, one file per split; reads back "
                 "to exactly the same annotations", _write_jsonl),
    ExportFormat("label-studio", "Label Studio", "tasks.json (annotations, pending suggestions as predictions, "
                 "UTF-16 offsets) and labeling-config.xml; `akhbar import --format label-studio` reads an export "
                 "back", _write_label_studio, for_annotation=True),
)}
FORMATS = tuple(EXPORT_FORMATS)


class StreamedCorpus:
    """The documents an export writes, read from the folder as the writers iterate them (never held together).

    It answers what the writers ask of a `Corpus` (`documents`, `by_split()`,
    `max_depth`, `fingerprint`), from a `scan_corpus` pass; `items` are the
    scan's entries and, for an annotation tool's formats, the ids of documents
    not annotated yet (written with empty annotations), in id order.
    """

    def __init__(self, corpus_dir: Path, scan: CorpusScan, items: list):
        self.corpus_dir, self.scan, self.items = corpus_dir, scan, items
        self.fingerprint, self.max_depth = scan.fingerprint, scan.max_depth

    @property
    def documents(self) -> "_Documents":
        return _Documents(self, self.items)

    def by_split(self) -> dict[str, "_Documents"]:
        groups: dict[str, list] = {}
        for item in self.items:
            split = item.split if isinstance(item, DocumentEntry) else load_document(self.corpus_dir / item).split
            groups.setdefault(split, []).append(item)
        return {s: _Documents(self, groups[s]) for s in SPLITS if s in groups}

    def read(self, item) -> CorpusDocument:
        if isinstance(item, DocumentEntry):
            return next(self.scan.documents([item]))  # refused if it changed since the scan
        document = load_document(self.corpus_dir / item)
        current = document.current
        empty = Annotations(item, current.version, current.sha256)
        return CorpusDocument(document, empty, read_text(self.corpus_dir / item, current), {})


class _Documents:
    """Documents of a `StreamedCorpus`, read one at a time on each iteration."""

    def __init__(self, corpus: StreamedCorpus, items: list):
        self._corpus, self._items = corpus, items

    def __iter__(self):
        return (self._corpus.read(item) for item in self._items)

    def __len__(self) -> int:
        return len(self._items)


def export(corpus_dir: Path, fmt: str, out: Path, validate: bool = True, doc_ids=()) -> int:
    """Write the annotated documents of `corpus_dir` (or those of `doc_ids`) to the folder `out` in `fmt`;
    returns the documents written.

    The folder is written beside `out` and swapped in at the end; an existing
    `out` is replaced only when it is empty or an earlier export.
    """
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    corpus_dir, out = Path(corpus_dir), Path(out)
    require_outside_data(out, corpus_dir)  # an export inside the corpus would make it invalid
    require_replaceable(out, EXPORT_MARK)
    spec = EXPORT_FORMATS[fmt]
    # the corpus's write lock, as for a build: no akhbar writer changes a file between validation and the last read
    with corpus_lock_if_present(corpus_dir):
        return _export_locked(corpus_dir, spec, out, validate, doc_ids)


def _export_locked(corpus_dir: Path, spec: "ExportFormat", out: Path, validate: bool, doc_ids) -> int:
    if validate:
        require_valid([corpus_dir], corpus_dir, allow=("review-pending",) if spec.for_annotation else ())
    scan = scan_corpus(corpus_dir)  # one document in memory at a time; the writers read each again
    items: list = list(scan.entries)
    if spec.for_annotation:
        items = sorted(items + list(scan.unannotated), key=lambda i: i.id if isinstance(i, DocumentEntry) else i)
    if doc_ids:
        known = {e.id for e in scan.entries} | set(scan.unannotated)
        unknown = [i for i in doc_ids if i not in known]
        if unknown:
            raise UsageError(f"{corpus_dir}: no document {escape_controls(unknown[0])}" + ("" if spec.for_annotation else
                             " with annotations"))
        wanted = set(doc_ids)
        items = [i for i in items if (i.id if isinstance(i, DocumentEntry) else i) in wanted]
    corpus = StreamedCorpus(corpus_dir, scan, items)
    with staged_folder(out, "exporting") as tmp:
        spec.write(tmp, corpus)
        atomic_write(tmp / EXPORT_MARK.file, f"akhbar export --format {spec.name}\ncorpus fingerprint {corpus.fingerprint}\n")
    return len(corpus.documents)
