"""Ingest: a raw seed file becomes a corpus document with text version 1.

This and `revise` are the only places a text is ever changed, and only by
`format.text.normalise_text` (BOM, line endings, NFC), which is recorded in
the version's note.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..errors import UsageError
from ..format.atomic import atomic_write, staged_folder
from ..format.canonical import dumps_annotations, dumps_document
from ..format.corpus import ANNOTATIONS_FILE, DOCUMENT_FILE, repo_root, sha256_hex, version_file_name
from ..format.dates import date_or_today, parse_date
from ..format.ids import SEED_NAME, check_id, split_for_id
from ..format.index import (LEGACY_INDEX_FILE, append_row, has_index, lookup, read_shard, row_of,
                            scan_index, write_index)
from ..format.lock import corpus_lock
from ..format.licenses import ANNOTATIONS_LICENSE, TEXT_RIGHTS, license_of
from ..format.model import Annotations, Document, Source, TextVersion
from ..format.safe_open import MAX_FILE_BYTES, FileRefused, check_inside, read_bytes_safely
from ..format.text import decode_utf8, normalise_text

__all__ = ["split_for_id", "ingest", "ANNOTATIONS_LICENSE", "TEXT_RIGHTS", "PROVENANCE_KEYS"]

# The provenance options ingest shares with import (docs/importing.md).
PROVENANCE_KEYS = ("publisher", "url", "published", "text_license", "annotations_license", "citation", "note")
SOURCE_NOTE_UNKNOWN = (
    "The seed file is plain text with no metadata: its publisher, publication date "
    "and URL are not known and are left null."
)


def _source_note(p: dict) -> str:
    if not any(p.get(k) for k in ("publisher", "published", "url")):
        return SOURCE_NOTE_UNKNOWN
    unknown = [name for key, name in (("publisher", "publisher"), ("published", "publication date"), ("url", "URL"))
               if p.get(key) is None]
    return (f"Its {', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not known and left null."
            if unknown else "")


def ingest(
    seed_file: Path,
    doc_id: str,
    corpus_dir: Path = Path("corpus"),
    title: str | None = None,
    date: str | None = None,
    provenance: dict | None = None,
) -> Document:
    """Create `corpus_dir/<doc_id>/` from a seed file and return its Document.

    A seed outside the repository's `seeds/` folder is first copied there
    byte for byte. Every check runs before anything is written; the document
    folder is built under a temporary name and renamed into place, so a
    failure leaves nothing behind. `provenance` holds the options ingest shares
    with import (PROVENANCE_KEYS); duplicate seeds and texts are found in
    the two shards of the corpus index (`format.index`) that can hold them,
    never by reading every document.yaml; the new row is appended to both.
    """
    seed_file = Path(seed_file)
    corpus_dir = Path(corpus_dir)
    check_id(doc_id)
    if not SEED_NAME.fullmatch(seed_file.name):
        raise UsageError(f"{seed_file}: seed file names may use only ASCII letters, digits, '.', '_' and '-'")
    raw = _read_seed(seed_file)
    decoded = decode_utf8(raw, str(seed_file))
    normalised = normalise_text(decoded)
    if not normalised.text.strip():
        raise UsageError(f"{seed_file}: the file has no text (only whitespace or a BOM)")
    if len(normalised.text.encode("utf-8")) > MAX_FILE_BYTES:
        raise UsageError(f"{seed_file}: file-too-large: its normalised text is over the cap of {MAX_FILE_BYTES} bytes")
    date = date_or_today(date)  # every argument checked before the lock is taken
    with corpus_lock(corpus_dir):  # the id, the seed and the index stay ours from the check to the rename
        return _create(seed_file, raw, normalised, doc_id, corpus_dir, title, date, provenance)


def _read_seed(seed_file: Path) -> bytes:
    """The seed's bytes: a regular file under the size cap (a FIFO, a device or a huge file is refused unread)."""
    try:
        raw = read_bytes_safely(seed_file, None, MAX_FILE_BYTES)
    except FileRefused as refused:
        raise UsageError(str(refused)) from None
    if not raw:
        raise UsageError(f"{seed_file}: the file is empty")
    return raw


def _create(seed_file: Path, raw: bytes, normalised, doc_id: str, corpus_dir: Path, title, date,
            provenance) -> Document:
    """Check the id, the seed and the text are free and write the document; the caller holds the corpus lock."""
    root = repo_root(corpus_dir)
    doc_dir = corpus_dir / doc_id
    if os.path.lexists(doc_dir):
        raise UsageError(f"id {doc_id!r} exists already: {doc_dir}")
    seed_sha = sha256_hex(raw)
    text_sha = sha256_hex(normalised.text.encode("utf-8"))
    # With an index, only the two shards that can hold this seed and this text are read (a few kB at any corpus
    # size). A corpus without one (new, or with the single index.tsv of earlier releases) gets it written whole,
    # from one scan, once the document is in place.
    if has_index(corpus_dir):
        scanned = None
        shards = {"seed": read_shard(corpus_dir, "seed", seed_sha), "text": read_shard(corpus_dir, "text", text_sha)}
        other_seed, other_text = lookup(shards["seed"], seed_sha, 2), lookup(shards["text"], text_sha, 3)
    else:
        scanned = scan_index(corpus_dir) if corpus_dir.is_dir() else []
        other_seed = next((r.id for r in scanned if r.seed_key.split("#")[0] == seed_sha), None)
        other_text = next((r.id for r in scanned if r.text_sha256 == text_sha), None)
    if other_seed is not None:
        raise UsageError(f"{seed_file}: this seed (sha256 {seed_sha[:12]}…) is already ingested as {other_seed!r}")
    p = dict(provenance or {})
    if p.get("published") is not None:
        parse_date(p["published"])
    if p.get("url") is not None and not p["url"].startswith(("http://", "https://")):
        raise UsageError(f"--url {p['url']!r} must start with http:// or https://")
    license = license_of(p.get("text_license"), p.get("annotations_license"))

    seeds_dir = root / "seeds"
    if os.path.lexists(seeds_dir):
        check_inside(seeds_dir, root, "the repository")
    seed_target = seeds_dir / seed_file.name
    copy_seed = seed_file.resolve() != seed_target.resolve()
    if copy_seed and os.path.lexists(seed_target) and _read_seed(seed_target) != raw:
        raise UsageError(f"{seed_target} exists with different content; rename the new seed file")

    text = normalised.text
    text_bytes = text.encode("utf-8")
    when = date
    rel_seed = f"seeds/{seed_file.name}"
    version = TextVersion(
        version=1,
        file=version_file_name(1),
        sha256=text_sha,
        chars=len(text),
        date=when,
        note=f"Ingested from {rel_seed}: {normalised.note()}.",
    )
    headline = text.split("\n", 1)[0].strip()
    document = Document(
        id=doc_id,
        title=title if title is not None else headline,
        license=license,
        source=Source(rel_seed, seed_sha, p.get("publisher"), p.get("published"), p.get("url"),
                      p.get("note") or _source_note(p), None, p.get("citation")),
        split=split_for_id(doc_id),
        versions=(version,),
    )
    if other_text is not None:
        raise UsageError(f"{seed_file}: this text is already in the corpus as {other_text!r}")
    if not document.title.strip():
        raise UsageError(f"{seed_file}: the first line is empty; give the headline with --title")
    annotations = Annotations(document=doc_id, text_version=1, text_sha256=version.sha256)

    copied = placed = False
    try:
        # No sweep of the corpus folder (O(documents)): a killed ingest's temporary folder, which the
        # validator ignores, is removed by the next import or revise.
        with staged_folder(doc_dir, "ingest", create_only=True, sweep=False) as staging:
            atomic_write(staging / version.file, text_bytes)
            atomic_write(staging / DOCUMENT_FILE, dumps_document(document.to_dict()))
            atomic_write(staging / ANNOTATIONS_FILE, dumps_annotations(annotations.to_dict()))
            if copy_seed and not seed_target.exists():
                seeds_dir.mkdir(parents=True, exist_ok=True)
                atomic_write(seed_target, raw)
                copied = True
        placed = True
        if scanned is None:
            append_row(corpus_dir, shards, row_of(document))
            if os.path.lexists(corpus_dir / LEGACY_INDEX_FILE):  # left by a conversion a kill interrupted
                os.unlink(corpus_dir / LEGACY_INDEX_FILE)
        else:
            write_index(corpus_dir, [*scanned, row_of(document)])
    except BaseException:
        if placed:
            shutil.rmtree(doc_dir, ignore_errors=True)
        if copied:
            seed_target.unlink(missing_ok=True)
        raise
    return document
