"""Document ids: the one rule for a document's id and its folder name (docs/format.md)."""

from __future__ import annotations

import hashlib
import re

from ..errors import UsageError

__all__ = ["ID_PATTERN", "MAX_ID_LENGTH", "SEED_NAME", "is_valid_id", "check_id", "split_for_id"]

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_ID_LENGTH = 64
SEED_NAME = re.compile(r"^[A-Za-z0-9._-]+$")  # a file name in seeds/


def split_for_id(doc_id: str) -> str:
    """The split of a new document: a hash bucket of its id, 80/10/10.

    bucket = int(first 8 hex digits of sha256(id as UTF-8)) mod 100;
    0-79 train, 80-89 validation, 90-99 test. It depends on the id alone, so
    adding documents never moves existing ones. Applied once, when a document
    enters the corpus (ingest, import).
    """
    bucket = int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    if bucket < 80:
        return "train"
    if bucket < 90:
        return "validation"
    return "test"


def is_valid_id(doc_id: str) -> bool:
    """Lower-case ASCII letters and digits in hyphen-separated groups, at most MAX_ID_LENGTH characters."""
    return len(doc_id) <= MAX_ID_LENGTH and bool(ID_PATTERN.fullmatch(doc_id))


def check_id(doc_id: str) -> None:
    """Raise a UsageError saying what a valid id looks like unless `is_valid_id(doc_id)`."""
    if not is_valid_id(doc_id):
        raise UsageError(
            f"id {doc_id!r} is not a valid document id: use lower-case ASCII letters and digits "
            f"in hyphen-separated groups (like 'algeria-libya-2014'), at most {MAX_ID_LENGTH} characters"
        )
