"""Ingest: a raw seed file becomes a corpus document with text version 1.

This and `revise` are the only places a text is ever changed, and only by
the normalisation below, which is recorded in the version's note:
strip a UTF-8 BOM, turn CRLF and lone CR into LF, compose to Unicode NFC.
Nothing else: no trimming, no whitespace or letter-form changes.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..format.corpus import (
    ANNOTATIONS_FILE,
    DOCUMENT_FILE,
    atomic_write,
    dumps_annotations,
    dumps_document,
    repo_root,
    sha256_hex,
    version_file_name,
)
from ..errors import NotFoundError, UsageError
from ..format.model import Annotations, Document, License, Source, TextVersion

__all__ = [
    "ID_PATTERN",
    "MAX_ID_LENGTH",
    "Normalised",
    "normalise_text",
    "decode_utf8",
    "read_utf8",
    "utf8_error_position",
    "split_for_id",
    "check_id",
    "parse_date",
    "ingest",
    "ANNOTATIONS_LICENSE",
    "TEXT_RIGHTS",
]

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_ID_LENGTH = 64
SEED_NAME = re.compile(r"^[A-Za-z0-9._-]+$")

ANNOTATIONS_LICENSE = "CC-BY-4.0"
TEXT_RIGHTS = (
    "The article text is the work of its original publisher, who is not identified in the "
    "source file, and remains under that publisher's rights. It is not licensed under "
    "CC-BY-4.0; it is distributed with the annotations for non-commercial research only."
)
SOURCE_NOTE_UNKNOWN = (
    "The seed file is plain text with no metadata: its publisher, publication date "
    "and URL are not known and are left null."
)


@dataclass(frozen=True)
class Normalised:
    """A normalised text and what normalisation did to it."""

    text: str
    bom_removed: bool
    crlf: int
    lone_cr: int
    nfc_changed: bool

    def note(self) -> str:
        """One sentence for the version note saying exactly what was changed."""
        done = []
        if self.bom_removed:
            done.append("removed a UTF-8 byte order mark")
        if self.crlf:
            done.append(f"converted {self.crlf} CRLF line ending(s) to LF")
        if self.lone_cr:
            done.append(f"converted {self.lone_cr} CR line ending(s) to LF")
        if self.nfc_changed:
            done.append("composed the text to Unicode NFC")
        if not done:
            return "no normalisation was needed (UTF-8 without BOM, NFC, LF)"
        return "; ".join(done)


def utf8_error_position(data: bytes, start: int) -> tuple[int, int]:
    """The 1-based line and column (in code points) of byte offset `start`, the first bad byte of `data`."""
    good = data[:start]
    line = good.count(b"\n") + 1
    column = len(good[good.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
    return line, column


def decode_utf8(data: bytes, name: str) -> str:
    """Decode strictly, or raise a UsageError naming the byte offset, line and column of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = utf8_error_position(data, exc.start)
        bad = data[exc.start : exc.end].hex(" ")
        raise UsageError(
            f"{name}: not UTF-8: invalid byte(s) {bad} at byte {exc.start} "
            f"(line {line}, column {column}); re-save the file as UTF-8"
        ) from None


def read_utf8(path: Path, what: str = "file") -> str:
    """The text of a file decoded strictly (NotFoundError when missing, UsageError naming a bad byte)."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise NotFoundError(f"{path}: no such {what}") from None
    return decode_utf8(raw, str(path))


def normalise_text(text: str) -> Normalised:
    """Apply ingest's normalisation (BOM, line endings, NFC) and count what changed. Pure."""
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
    crlf = text.count("\r\n")
    text = text.replace("\r\n", "\n")
    lone_cr = text.count("\r")
    text = text.replace("\r", "\n")
    nfc = unicodedata.normalize("NFC", text)
    return Normalised(nfc, bom, crlf, lone_cr, nfc != text)


def split_for_id(doc_id: str) -> str:
    """The split of a new document: a hash bucket of its id, 80/10/10.

    bucket = int(first 8 hex digits of sha256(id as UTF-8)) mod 100;
    0-79 train, 80-89 validation, 90-99 test. It depends on the id alone, so
    adding documents never moves existing ones. Applied once, at ingest.
    """
    bucket = int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    if bucket < 80:
        return "train"
    if bucket < 90:
        return "validation"
    return "test"


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str) -> str:
    """A calendar date YYYY-MM-DD (a version or release date), checked; returned unchanged."""
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        _dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{text!r} is not a date YYYY-MM-DD") from None
    return text


def check_id(doc_id: str) -> None:
    if len(doc_id) > MAX_ID_LENGTH or not ID_PATTERN.fullmatch(doc_id):
        raise UsageError(
            f"id {doc_id!r} is not a valid document id: use lower-case ASCII letters and digits "
            f"in hyphen-separated groups (like 'algeria-libya-2014'), at most {MAX_ID_LENGTH} characters"
        )


def _find_source_sha(corpus_dir: Path, sha: str) -> str | None:
    """The id of a document already ingested from a seed with this sha256, if any.

    A substring test on the raw YAML instead of parsing it: the sha is a
    64-hex-digit token that cannot occur by accident, and this keeps ingest
    fast on a corpus of ten thousand documents.
    """
    if not corpus_dir.is_dir():
        return None
    needle = sha.encode("ascii")
    for doc_yaml in sorted(corpus_dir.glob(f"*/{DOCUMENT_FILE}")):
        if needle in doc_yaml.read_bytes():
            return doc_yaml.parent.name
    return None


def ingest(
    seed_file: Path,
    doc_id: str,
    corpus_dir: Path = Path("corpus"),
    title: str | None = None,
    date: str | None = None,
) -> Document:
    """Create `corpus_dir/<doc_id>/` from a seed file and return its Document.

    A seed outside the repository's `seeds/` folder is first copied there
    byte for byte. Every check runs before anything is written; the document
    folder is built under a temporary name and renamed into place, so a
    failure leaves nothing behind.
    """
    seed_file = Path(seed_file)
    corpus_dir = Path(corpus_dir)
    check_id(doc_id)
    if not seed_file.is_file():
        raise UsageError(f"{seed_file}: no such file")
    if not SEED_NAME.fullmatch(seed_file.name):
        raise UsageError(f"{seed_file}: seed file names may use only ASCII letters, digits, '.', '_' and '-'")
    raw = seed_file.read_bytes()
    if not raw:
        raise UsageError(f"{seed_file}: the file is empty")
    decoded = decode_utf8(raw, str(seed_file))
    normalised = normalise_text(decoded)
    if not normalised.text.strip():
        raise UsageError(f"{seed_file}: the file has no text (only whitespace or a BOM)")

    root = repo_root(corpus_dir)
    doc_dir = corpus_dir / doc_id
    if doc_dir.exists():
        raise UsageError(f"id {doc_id!r} exists already: {doc_dir}")
    seed_sha = sha256_hex(raw)
    other = _find_source_sha(corpus_dir, seed_sha)
    if other is not None:
        raise UsageError(f"{seed_file}: this seed (sha256 {seed_sha[:12]}…) is already ingested as {other!r}")

    seeds_dir = root / "seeds"
    seed_target = seeds_dir / seed_file.name
    copy_seed = seed_file.resolve() != seed_target.resolve()
    if copy_seed and seed_target.exists() and seed_target.read_bytes() != raw:
        raise UsageError(f"{seed_target} exists with different content; rename the new seed file")

    text = normalised.text
    text_bytes = text.encode("utf-8")
    when = parse_date(date) if date is not None else _dt.date.today().isoformat()
    rel_seed = f"seeds/{seed_file.name}"
    version = TextVersion(
        version=1,
        file=version_file_name(1),
        sha256=sha256_hex(text_bytes),
        chars=len(text),
        date=when,
        note=f"Ingested from {rel_seed}: {normalised.note()}.",
    )
    headline = text.split("\n", 1)[0].strip()
    document = Document(
        id=doc_id,
        title=title if title is not None else headline,
        license=License(ANNOTATIONS_LICENSE, TEXT_RIGHTS),
        source=Source(rel_seed, seed_sha, None, None, None, SOURCE_NOTE_UNKNOWN),
        split=split_for_id(doc_id),
        versions=(version,),
    )
    if not document.title.strip():
        raise UsageError(f"{seed_file}: the first line is empty; give the headline with --title")
    annotations = Annotations(document=doc_id, text_version=1, text_sha256=version.sha256)

    corpus_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".ingest-{doc_id}-", dir=corpus_dir))
    copied = False
    try:
        (staging / version.file).write_bytes(text_bytes)
        (staging / DOCUMENT_FILE).write_text(dumps_document(document.to_dict()), encoding="utf-8", newline="\n")
        (staging / ANNOTATIONS_FILE).write_text(
            dumps_annotations(annotations.to_dict()), encoding="utf-8", newline="\n"
        )
        if copy_seed and not seed_target.exists():
            seeds_dir.mkdir(parents=True, exist_ok=True)
            atomic_write(seed_target, raw)
            copied = True
        staging.rename(doc_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if copied:
            seed_target.unlink(missing_ok=True)
        raise
    return document
