"""Revise: a new version of a document's text, with its annotations carried across (docs/versions.md).

`revise` appends `text.v<N+1>.txt` (normalised like ingest: BOM, CRLF/CR to
LF, NFC, and nothing else, recorded in the version's note next to the
maintainer's note), a `versions` entry in `document.yaml`, and rewrites
`annotations.json` for version N+1 with offsets carried by `akhbar.versions.align`.
Earlier version files are never touched.

Everything is checked before anything is written, and the write is atomic:
the new document folder is staged complete beside the old one and swapped in
(`format.atomic.staged_folder`), so an interruption leaves the document as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidDataError, NotFoundError, UsageError
from ..format.atomic import atomic_write, staged_folder
from ..format.canonical import dumps_annotations, dumps_document
from ..format.corpus import ANNOTATIONS_FILE, DOCUMENT_FILE, load_annotations, load_document, sha256_hex, version_file_name
from ..format.dates import date_or_today
from ..format.ids import check_id
from ..format.lock import document_lock
from ..format.safe_open import MAX_FILE_BYTES, FileRefused, read_bytes_safely
from ..format.model import Annotator, Document, TextVersion
from ..format.text import Normalised, decode_utf8, normalise_text
from ..validate.gate import require_valid
from .align import align_texts
from .migrate import Migration, MigrationReport, migrate_annotations
from .words import WordEdit, describe_word_edits, word_edits

__all__ = ["REVISE_ANNOTATOR", "PENDING_REVIEW_CODE", "Revision", "revise", "version_note"]

# Recorded among the annotators of a migrated file: its offsets were computed by this tool.
REVISE_ANNOTATOR = Annotator("akhbar-revise", "tool")
# The validator's code for an unresolved `review` mark: it does not stop a further revision
# (the mark is carried along), every other error does.
PENDING_REVIEW_CODE = "review-pending"


@dataclass(frozen=True)
class Revision:
    """The outcome of `revise`: the updated document, the new version, the migration report."""

    document: Document
    version: TextVersion
    report: MigrationReport
    normalised: Normalised
    doc_dir: Path


def version_note(note: str, previous: int, edits: int | tuple[WordEdit, ...], inserted: int, deleted: int,
                 normalised: Normalised) -> str:
    """The `note` of a new version: the maintainer's words, then what revise measured and normalised.

    `edits` are the edits in whole words (`akhbar.versions.words`), said as
    "inserted «اليوم» at 61" (the first few); a bare count is still accepted.
    """
    if isinstance(edits, int):
        said = f"{edits} edited region(s)"
    else:
        said = f"{len(edits)} edit(s) in words: {describe_word_edits(edits)}" if edits else "0 edit(s)"
    return (f"{note.strip()} (Revised from version {previous}: {said}; "
            f"{inserted} character(s) inserted, {deleted} deleted; normalisation: {normalised.note()}.)")


def _read_new_text(text_file: Path) -> Normalised:
    """The new text, normalised: a regular file, and under the size cap before and after normalisation."""
    text_file = Path(text_file)
    try:
        raw = read_bytes_safely(text_file, None, MAX_FILE_BYTES)
    except FileRefused as refused:
        raise UsageError(str(refused)) from None
    normalised = normalise_text(decode_utf8(raw, str(text_file)))
    if not normalised.text.strip():
        raise UsageError(f"{text_file}: the file has no text (empty, or only whitespace or a BOM)")
    if len(normalised.text.encode("utf-8")) > MAX_FILE_BYTES:
        raise UsageError(f"{text_file}: file-too-large: its normalised text is over the cap of {MAX_FILE_BYTES} bytes")
    return normalised


def _read_version(doc_dir: Path, version: TextVersion) -> str:
    data = read_bytes_safely(doc_dir / version.file, doc_dir)
    if sha256_hex(data) != version.sha256:  # the validator says so too; this guards the offsets we carry
        raise InvalidDataError(f"{doc_dir / version.file} does not match its sha256 in {DOCUMENT_FILE}")
    return data.decode("utf-8")


def _commit(doc_dir: Path, files: dict[str, bytes]) -> None:
    """Write `files` (name -> bytes) into a staged copy of `doc_dir` and swap it in; all or nothing."""
    with staged_folder(doc_dir, "revise", copy=True) as staging:
        for name, data in files.items():
            atomic_write(staging / name, data)


# ------------------------------------------------------------------ revise

def revise(doc_id: str, text_file: Path, note: str, corpus_dir: Path = Path("corpus"),
           date: str | None = None) -> Revision:
    """Make version N+1 of document `doc_id` from `text_file` and carry its annotations to it.

    Refuses (UsageError, exit 2; NotFoundError, exit 2; InvalidDataError,
    exit 1), writing nothing: an empty note, an unknown document, a missing,
    empty or non-UTF-8 text file, a text identical to version N after
    normalisation, a document that does not validate (unresolved review
    marks excepted: they are carried along).
    """
    corpus_dir = Path(corpus_dir)
    if not note or not note.strip():
        raise UsageError("--note must say what changed and why")
    check_id(doc_id)
    doc_dir = corpus_dir / doc_id
    if not (doc_dir / DOCUMENT_FILE).is_file():
        raise NotFoundError(f"unknown document {doc_id!r}: no {doc_dir / DOCUMENT_FILE}")
    when = date_or_today(date)
    normalised = _read_new_text(text_file)
    with document_lock(corpus_dir, doc_id):  # the whole read-validate-write: a second revise waits, then builds on this one
        return _revise_locked(doc_id, text_file, note, corpus_dir, doc_dir, when, normalised)


def _revise_locked(doc_id: str, text_file: Path, note: str, corpus_dir: Path, doc_dir: Path, when,
                   normalised: Normalised) -> Revision:
    new_text = normalised.text
    # A document that does not validate cannot be trusted to carry its offsets (review marks are carried along).
    require_valid([doc_dir], corpus_dir, allow={PENDING_REVIEW_CODE}, refusal="fix it before revising")
    document = load_document(doc_dir)
    current = document.current
    current_text = _read_version(doc_dir, current)
    if new_text == current_text:
        raise UsageError(f"{text_file}: identical to version {current.version} of {doc_id!r} "
                         f"after normalisation ({normalised.note()}); nothing to revise")
    number = current.version + 1
    new_file = version_file_name(number)
    if (doc_dir / new_file).exists():
        raise UsageError(f"{doc_dir / new_file} exists but is not listed in {DOCUMENT_FILE}; remove it first")

    annotations = load_annotations(doc_dir / ANNOTATIONS_FILE)
    # Annotations normally refer to version N; older ones are carried from the text they were made on.
    base = document.version(annotations.text_version)
    base_text = current_text if base.version == current.version else _read_version(doc_dir, base)
    step = align_texts(current_text, new_text)
    alignment = step if base.version == current.version else align_texts(base_text, new_text)

    data = new_text.encode("utf-8")
    version = TextVersion(
        version=number,
        file=new_file,
        sha256=sha256_hex(data),
        chars=len(new_text),
        date=when,
        note=version_note(note, current.version, word_edits(step, current_text, new_text), step.chars_inserted,
                          step.chars_deleted, normalised),
    )
    migration: Migration = migrate_annotations(annotations, base_text, new_text, number, version.sha256, alignment)
    migrated = migration.annotations
    if not migrated.is_empty and REVISE_ANNOTATOR.id not in {a.id for a in migrated.annotators}:
        migrated = migrated.replace(annotators=migrated.annotators + (REVISE_ANNOTATOR,))
    # A title taken from the headline at ingest follows the headline's correction; a title given by hand stays.
    old_headline, new_headline = current_text.split("\n", 1)[0].strip(), new_text.split("\n", 1)[0].strip()
    title = new_headline if document.title == old_headline and new_headline else document.title
    revised = Document(
        id=document.id,
        title=title,
        license=document.license,
        source=document.source,
        split=document.split,
        versions=document.versions + (version,),
        language=document.language,
    )
    _commit(doc_dir, {
        new_file: data,
        ANNOTATIONS_FILE: dumps_annotations(migrated.to_dict()).encode("utf-8"),
        DOCUMENT_FILE: dumps_document(revised.to_dict()).encode("utf-8"),
    })
    return Revision(revised, version, migration.report, normalised, doc_dir)
