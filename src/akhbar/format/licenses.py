"""Licences of a document: the defaults, the `--text-license`/`--annotations-license` rule and share-alike.

Used by `akhbar ingest` and `akhbar import` alike (docs/importing.md).
"""

from __future__ import annotations

import re

from ..errors import UsageError
from .model import License, is_share_alike

__all__ = ["ANNOTATIONS_LICENSE", "TEXT_RIGHTS", "SPDX_ID", "license_of", "is_share_alike"]

ANNOTATIONS_LICENSE = "CC-BY-4.0"
TEXT_RIGHTS = (
    "The article text is the work of its original publisher, who is not identified in the "
    "source file, and remains under that publisher's rights. It is not licensed under "
    "CC-BY-4.0; it is distributed with the annotations for non-commercial research only."
)
SPDX_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")


def license_of(text_license: str | None, annotations_license: str | None) -> License:
    """The License of `--text-license` (an SPDX id, or a statement) and `--annotations-license` (an SPDX id).

    A one-word text licence is an SPDX id: it goes to `text_spdx`, and `text`
    says so; a statement (it has spaces) goes to `text`. Refuses (UsageError) a
    share-alike text with annotations that are not share-alike.
    """
    annotations = annotations_license or ANNOTATIONS_LICENSE
    if not SPDX_ID.fullmatch(annotations):
        raise UsageError(f"--annotations-license {annotations!r} is not an SPDX licence id (like CC-BY-4.0)")
    if text_license is None:
        result = License(annotations, TEXT_RIGHTS)
    elif SPDX_ID.fullmatch(text_license):
        statement = (f"The text is licensed under {text_license} (https://spdx.org/licenses/{text_license}.html) "
                     "by its source.")
        result = License(annotations, statement, text_license)
    elif not text_license.strip():
        raise UsageError("--text-license is empty")
    else:
        result = License(annotations, text_license)
    if result.share_alike_conflict:
        raise UsageError(f"the text is under the share-alike licence {result.text_spdx}: give share-alike "
                         "annotations too (--annotations-license CC-BY-SA-4.0)")
    return result
