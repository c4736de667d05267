"""`import_sources`: read sources, check everything, assemble the documents, then write them all or nothing.

Nothing is written until every source has been read and every document
assembled and checked: the faults of all sources (unmapped labels among
them) are listed together, and any fatal one stops the import (exit 1).
Documents whose text is already in the corpus, or earlier in the same
import, are skipped and listed. The duplicate check uses the corpus index
(`format.index`), never a rescan.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InvalidDataError, UsageError
from ..format.corpus import repo_root, sha256_hex
from ..format.dates import date_or_today, parse_date
from ..format.ids import ID_PATTERN, MAX_ID_LENGTH, SEED_NAME, split_for_id
from ..format.index import load_index
from ..format.licenses import license_of
from ..format.lock import corpus_lock
from ..validate.checks import check_annotations
from ..validate.codes import ERROR
from ..validate.codes import get as get_code
from ..validate.versions import check_text_hygiene
from .assemble import Assembled, Provenance, assemble
from .formats import FORMATS, read_source
from .labelmap import load_label_map
from .model import Faults, SourceDocument
from .write import Stager

__all__ = ["ImportOptions", "ImportReport", "import_sources", "SPLIT_MODES", "slug"]

SPLIT_MODES = ("hash", "train", "validation", "test", "source")
_SPLIT_WORDS = (("train", "train"), ("validation", "validation"), ("valid", "validation"), ("dev", "validation"),
                ("test", "test"))


@dataclass
class ImportOptions:
    format: str
    sources: list
    corpus: Path = Path("corpus")
    labels: Path | None = None
    id_prefix: str | None = None
    sentences_per_document: int | None = None
    split: str = "hash"
    select: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None
    text_license: str | None = None
    annotations_license: str | None = None
    citation: str | None = None
    note: str | None = None
    annotator: str | None = None
    date: str | None = None
    strict: bool = False
    dry_run: bool = False


@dataclass
class ImportReport:
    documents: list = field(default_factory=list)  # ids of the documents imported (or that would be), in order
    sentences: int = 0
    labels: dict = field(default_factory=dict)  # Wojood label -> entities
    skipped: list = field(default_factory=list)  # (source place, reason)
    faults: list = field(default_factory=list)  # every fault (repairs included)
    repairs: dict = field(default_factory=dict)  # fault code -> count
    dropped: int = 0
    token_differences: int = 0
    written: bool = False

    def count(self, a: Assembled) -> None:
        self.documents.append(a.document.id)
        self.sentences += len(a.annotations.sentences)
        for label, n in a.labels.items():
            self.labels[label] = self.labels.get(label, 0) + n
        self.dropped += a.dropped
        self.token_differences += a.token_differences


def slug(text: str) -> str:
    """`text` in the id alphabet: lower-case ASCII letters and digits in hyphen-separated groups."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _parse_sources(sources) -> list[tuple[Path, str | None]]:
    """SOURCE or SOURCE=SPLIT arguments as (path, split or None)."""
    out = []
    for arg in sources:
        arg = str(arg)
        path, split = Path(arg), None
        if not path.exists() and "=" in arg:
            name, _, value = arg.rpartition("=")
            if value not in ("train", "validation", "test"):
                raise UsageError(f"{arg}: the split after '=' is train, validation or test")
            path, split = Path(name), value
        out.append((path, split))
    return out


def _split_from_name(path: Path) -> str | None:
    words = re.split(r"[^a-z]+", path.name.lower())
    for word, split in _SPLIT_WORDS:
        if word in words:
            return split
    return None


def _chunk(doc: SourceDocument, size: int) -> list[SourceDocument]:
    out = []
    for k in range(0, len(doc.sentences), size):
        part = doc.sentences[k : k + size]
        out.append(SourceDocument(doc.file, part[0].line, None, tuple(part)))
    return out


def _default_provenance(opts: ImportOptions) -> Provenance:
    return Provenance(
        license=license_of(opts.text_license, opts.annotations_license),
        format=opts.format,
        date=date_or_today(opts.date),
        publisher=opts.publisher,
        published=parse_date(opts.published) if opts.published else None,
        url=opts.url,
        note=opts.note,
        citation=opts.citation,
        annotator=opts.annotator,
    )


def import_sources(opts: ImportOptions) -> ImportReport:
    """Run an import; raises InvalidDataError (exit 1, `.problems` = the faults) when any fault is fatal."""
    if opts.format not in FORMATS:
        raise UsageError(f"unknown import format {opts.format!r}: choose one of {', '.join(FORMATS)}")
    if opts.split not in SPLIT_MODES:
        raise UsageError(f"--split {opts.split!r}: choose one of {', '.join(SPLIT_MODES)}")
    if opts.sentences_per_document is not None and opts.sentences_per_document < 1:
        raise UsageError("--sentences-per-document must be at least 1")
    if opts.url is not None and not re.match(r"^https?://", opts.url):
        raise UsageError(f"--url {opts.url!r} must start with http:// or https://")
    if opts.annotator is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", opts.annotator):
        raise UsageError(f"--annotator {opts.annotator!r}: use ASCII letters, digits, '_', '.' and '-'")
    try:
        select = re.compile(opts.select) if opts.select else None
    except re.error as exc:
        raise UsageError(f"--select {opts.select!r} is not a regular expression: {exc}") from None
    provenance = _default_provenance(opts)
    labels = load_label_map(opts.labels)
    corpus = Path(opts.corpus)
    root = repo_root(corpus)
    faults = Faults(strict=opts.strict)
    report = ImportReport()

    # The index is read, checked against and rewritten as one step: a second import or ingest waits.
    with nullcontext() if opts.dry_run else corpus_lock(corpus):
        index = load_index(corpus)
        stager = Stager(corpus)
        seeds: dict = {}
        new_ids: dict = {}
        new_texts: dict = {}
        unmapped: dict = {}
        numbered = 0
        try:
            # Each source is read, and its documents assembled, checked and staged, before the next is read;
            # nothing is placed in the corpus until every source has been read without a fatal fault.
            for path, pair_split in _parse_sources(opts.sources):
                for sf in read_source(opts.format, path, faults):
                    numbered = _import_file(opts, sf, path, pair_split, root, labels, provenance, select, index, faults,
                                            report, stager, seeds, new_ids, new_texts, unmapped, numbered)
            for label, (file, line) in unmapped.items():
                faults.add("label-unmapped", file, line, f"source label {label!r} is not mapped (first here); map it "
                           "to a Wojood label or to `drop` in --labels MAP.yaml")
            report.faults = list(faults.items)
            for f in faults.repaired:
                report.repairs[f.code] = report.repairs.get(f.code, 0) + 1
            fatal = faults.fatal
            if fatal:
                raise InvalidDataError(f"{len(fatal)} problem(s) in the source data; nothing was written", tuple(fatal))
            if not opts.dry_run and stager.documents:
                stager.commit(seeds, index)
                report.written = True
        finally:
            stager.abort()
    return report


def _import_file(opts, sf, path, pair_split, root, labels, provenance, select, index, faults, report, stager,
                 seeds, new_ids, new_texts, unmapped, numbered) -> int:
    """Assemble, check and stage the documents of one source file; returns the running number for numbered ids."""
    if not SEED_NAME.fullmatch(sf.path.name):
        raise UsageError(f"{sf.path}: seed file names may use only ASCII letters, digits, '.', '_' and '-'")
    documents = sf.documents
    if not sf.bounded and documents:
        if opts.sentences_per_document is None:
            marker = "# newdoc" if opts.format == "conllu" else "-DOCSTART-"
            raise UsageError(f"{sf.path}: no document boundaries ({marker}); give --sentences-per-document N")
        documents = [c for d in documents for c in _chunk(d, opts.sentences_per_document)]
    seed_rel = f"seeds/{sf.path.name}"
    seed_target = root / "seeds" / sf.path.name
    if seed_target.exists() and seed_target.resolve() != sf.path.resolve() and seed_target.read_bytes() != sf.raw:
        raise UsageError(f"{seed_target} exists with different content; rename the source file {sf.path}")
    seed_sha = sha256_hex(sf.raw)
    seed_text = sf.raw.decode("utf-8", errors="replace")  # once per seed: bidi controls it has are allowed
    if opts.id_prefix is not None:
        prefix = opts.id_prefix
    elif opts.format == "jsonl":
        prefix = ""
    else:
        prefix = path.stem if (path.is_dir() or sf.one_document) else sf.path.stem
    for k, doc in enumerate(documents, start=1):
        designation = None if sf.one_document else (doc.id if doc.id is not None else f"#{k}")
        place = f"{doc.file}:{doc.line}" if doc.line else str(doc.file)
        if select is not None and not select.search(designation or doc.id or ""):
            continue
        for e in [*doc.entities, *(e for s in doc.sentences for e in s.entities)]:
            if e.label not in unmapped and labels.target(e.label) is None:
                unmapped[e.label] = (doc.file, e.line or doc.line)
        if doc.id is not None and slug(doc.id):
            doc_id = slug(f"{prefix}-{doc.id}")
        else:
            numbered += 1
            doc_id = slug(f"{prefix}-{numbered:04d}")
        if not doc_id or len(doc_id) > MAX_ID_LENGTH or not ID_PATTERN.fullmatch(doc_id):
            faults.add("document-id-invalid", doc.file, doc.line, f"{doc_id!r} (from {doc.id!r}) is not a valid "
                       f"document id (at most {MAX_ID_LENGTH} characters); choose a shorter --id-prefix")
            continue
        if doc_id in new_ids:
            faults.add("document-id-repeated", doc.file, doc.line, f"document id {doc_id!r} is made twice "
                       f"(also from {new_ids[doc_id]})")
            continue
        new_ids[doc_id] = place
        split = _split(opts.split, pair_split, doc, sf.path, doc_id)
        assembled = assemble(doc, doc_id, split, (seed_rel, seed_sha), designation, labels, provenance, faults)
        if assembled is None:
            continue
        sha = assembled.document.current.sha256
        if sha in index.by_text:
            report.skipped.append((place, f"its text is already in the corpus as {index.by_text[sha]!r}"))
            continue
        if sha in new_texts:
            report.skipped.append((place, f"its text is the same as {new_texts[sha]}'s"))
            continue
        if doc_id in index.rows or (Path(opts.corpus) / doc_id).exists():
            faults.add("document-id-taken", doc.file, doc.line, f"{doc_id!r} is in the corpus with another "
                       "text; choose another --id-prefix")
            continue
        new_texts[sha] = place
        _check_result(assembled, doc, seed_text, faults)
        report.count(assembled)
        if not opts.dry_run and not faults.fatal:  # after a fatal fault, only look for more faults
            stager.stage(assembled.document, assembled.annotations, assembled.text)
        seeds[seed_target] = (sf.path, seed_sha)  # copied at the end, from the file (not kept in memory)
        for extra_path, extra_raw in sf.extra:
            seeds[root / "seeds" / extra_path.name] = (extra_path, sha256_hex(extra_raw))
    return numbered


def _split(mode: str, pair_split, doc: SourceDocument, path: Path, doc_id: str) -> str:
    if mode == "hash":
        return split_for_id(doc_id)
    if mode != "source":
        return mode
    split = pair_split or doc.split or _split_from_name(path)
    if split not in ("train", "validation", "test"):
        raise UsageError(f"{path}: --split source, but no split is given for it: write {path}=train (or "
                         "validation, test), or name the file after its split")
    return split


def _check_result(a: Assembled, doc: SourceDocument, seed_text: str, faults: Faults) -> None:
    """The validator's own checks on the assembled document: what would fail `akhbar validate` is a fault now."""
    findings = list(check_text_hygiene(a.text, seed_text))
    findings += check_annotations(a.annotations.to_dict(), a.text, set())
    for f in findings:
        if get_code(f.code).severity == ERROR:
            faults.add("invalid-result", doc.file, doc.line, f"document {a.document.id}: {f.code}: {f.message}")

