"""Document ids: the one rule for a document's id and its folder name (docs/format.md)."""

from __future__ import annotations

import re

from ..errors import UsageError

__all__ = ["ID_PATTERN", "MAX_ID_LENGTH", "is_valid_id", "check_id"]

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_ID_LENGTH = 64


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
