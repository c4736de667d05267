"""Ingest: a raw seed file becomes a corpus document with text version 1.

This and `revise` are the only places a text is ever changed, and only by
`format.text.normalise_text` (BOM, line endings, NFC), which is recorded in
the version's note.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..errors import UsageError
from ..format.atomic import atomic_write, staged_folder
from ..format.canonical import dumps_annotations, dumps_document
from ..format.corpus import ANNOTATIONS_FILE, DOCUMENT_FILE, repo_root, sha256_hex, version_file_name
from ..format.dates import date_or_today
from ..format.ids import check_id
from ..format.model import Annotations, Document, License, Source, TextVersion
from ..format.text import decode_utf8, normalise_text

__all__ = ["split_for_id", "ingest", "ANNOTATIONS_LICENSE", "TEXT_RIGHTS"]

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
    when = date_or_today(date)
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

    copied = False
    try:
        with staged_folder(doc_dir, "ingest", create_only=True) as staging:
            atomic_write(staging / version.file, text_bytes)
            atomic_write(staging / DOCUMENT_FILE, dumps_document(document.to_dict()))
            atomic_write(staging / ANNOTATIONS_FILE, dumps_annotations(annotations.to_dict()))
            if copy_seed and not seed_target.exists():
                seeds_dir.mkdir(parents=True, exist_ok=True)
                atomic_write(seed_target, raw)
                copied = True
    except BaseException:
        if copied:
            seed_target.unlink(missing_ok=True)
        raise
    return document
