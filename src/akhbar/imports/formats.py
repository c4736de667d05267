"""The table of import formats: `{name: reader}`; the CLI's `--format` choices come from it.

A reader takes a SOURCE path and a `Faults` and returns `SourceFile`s: the
seed file(s) to keep, their bytes, the documents read from them and whether
the source marks document boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import UsageError
from ..format.safe_open import MAX_FILE_BYTES, FileRefused, read_bytes_safely
from ..format.text import decode_utf8
from .brat import brat_files, read_brat
from .conll import read_conll
from .conllu import read_conllu
from .jsonl import read_jsonl
from .label_studio import read_label_studio
from .model import Faults

__all__ = ["SourceFile", "FORMATS", "read_source"]


@dataclass(frozen=True)
class SourceFile:
    """One seed and what was read from it (`extra`: further files kept as received, e.g. brat's .ann)."""

    path: Path
    raw: bytes
    documents: list
    bounded: bool
    extra: tuple = ()
    one_document: bool = False  # the seed is the document (brat): no `source.document`


def _read_raw(path: Path, keep_bom: bool = False) -> tuple[bytes, str]:
    """The bytes and strict UTF-8 text of a file; a BOM is dropped unless offsets count it (brat's .txt)."""
    try:  # a source becomes a seed: a regular file under the size cap (a FIFO or /dev/zero is refused unread)
        raw = read_bytes_safely(path, None, MAX_FILE_BYTES)
    except FileRefused as refused:
        raise UsageError(str(refused)) from None
    text = decode_utf8(raw, str(path))
    return raw, text[1:] if text.startswith("\ufeff") and not keep_bom else text


def _one_file(reader: Callable) -> Callable:
    def read(path: Path, faults: Faults) -> list[SourceFile]:
        raw, text = _read_raw(path)
        documents, bounded = reader(path, text, faults)
        return [SourceFile(path, raw, documents, bounded)]
    return read


def _brat(source: Path, faults: Faults) -> list[SourceFile]:
    if not source.exists():
        raise UsageError(f"{source}: no such file or folder")
    out = []
    pairs = brat_files(source)
    if not pairs:
        raise UsageError(f"{source}: no .ann files")
    for txt, ann in pairs:
        raw, text = _read_raw(txt, keep_bom=True)
        ann_raw, ann_text = _read_raw(ann)
        doc = read_brat(txt, text, ann, ann_text, faults)
        out.append(SourceFile(txt, raw, [doc], True, ((ann, ann_raw),), True))
    return out


FORMATS: dict[str, Callable[[Path, Faults], list[SourceFile]]] = {
    "conllu": _one_file(read_conllu),
    "conll": _one_file(read_conll),
    "brat": _brat,
    "label-studio": _one_file(read_label_studio),
    "jsonl": _one_file(read_jsonl),
}


def read_source(fmt: str, path: Path, faults: Faults) -> list[SourceFile]:
    if fmt not in FORMATS:
        raise UsageError(f"unknown import format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return FORMATS[fmt](Path(path), faults)
