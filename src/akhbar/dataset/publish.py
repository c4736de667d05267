"""The release files of a built dataset folder, written after the data and the card.

    DIR/croissant.json   MLCommons Croissant 1.0 metadata (with Responsible-AI fields)
    DIR/datasheet.md     the datasheet (docs/datasheet.md), so the folder documents itself
    DIR/SHA256SUMS       sha256 of every other file of DIR (written last)

`akhbar build` calls `write_release_files` as its final step.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..cite import load_citation, parse_citation
from ..format.atomic import atomic_write
from ..format.resources import packaged_path
from .croissant import write_croissant
from .manifest import write_manifest

__all__ = ["DATASHEET_FILE", "datasheet_path", "write_release_files"]

DATASHEET_FILE = "datasheet.md"


@lru_cache(maxsize=None)
def datasheet_path() -> Path | None:
    """The datasheet: the checkout's docs/datasheet.md, or the copy a wheel carries (None if neither exists)."""
    return packaged_path(DATASHEET_FILE, f"docs/{DATASHEET_FILE}")


def write_release_files(out: Path, facts: dict, fingerprint: str, version: str,
                        citation_text: str | None) -> list[Path]:
    """Write croissant.json, datasheet.md and then SHA256SUMS into the built folder `out`; return their paths.

    `facts` is `croissant.corpus_facts` of the documents in the dataset,
    `fingerprint` the corpus fingerprint; `citation_text` is the CITATION.cff
    the build copied (the packaged one when None).
    """
    from .features import features

    out = Path(out)
    citation = parse_citation(citation_text) if citation_text is not None else load_citation()
    written = [write_croissant(out, features(), version, citation=citation, facts=facts,
                               fingerprint=fingerprint)]
    sheet = datasheet_path()
    if sheet is not None:
        atomic_write(out / DATASHEET_FILE, sheet.read_bytes())
        written.append(out / DATASHEET_FILE)
    written.append(write_manifest(out))
    return written
