"""Reading and writing the corpus format (see docs/format.md).

    corpus/<id>/document.yaml      metadata and the list of text versions
    corpus/<id>/text.v<N>.txt      immutable text of version N (UTF-8, NFC, LF, no BOM)
    corpus/<id>/annotations.json   stand-off sentences and entities of one version

Texts are read as bytes and decoded strictly, never through a newline- or
encoding-translating layer: the offsets count code points of the exact text.
`write_annotations` and `write_document` write through the one canonical
writer (`format.canonical`) and `atomic_write`.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Iterator

import yaml

from ..errors import NotFoundError
from .atomic import atomic_write
from .canonical import dumps_annotations, dumps_document
from .model import Annotations, Document, TextVersion
from .safe_open import read_bytes_safely

__all__ = [
    "DOCUMENT_FILE",
    "ANNOTATIONS_FILE",
    "sha256_hex",
    "load_annotations",
    "load_document",
    "parse_annotations",
    "parse_document",
    "read_text",
    "write_annotations",
    "write_document",
    "iter_document_dirs",
    "document_dir_names",
    "repo_root",
    "version_file_name",
]

DOCUMENT_FILE = "document.yaml"
ANNOTATIONS_FILE = "annotations.json"

try:  # the C loader is ~10x faster; fall back where libyaml is absent
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def version_file_name(number: int) -> str:
    return f"text.v{number}.txt"


def parse_annotations(data: bytes) -> Annotations:
    """The bytes of an `annotations.json` as `Annotations` (strict UTF-8)."""
    return Annotations.from_dict(json.loads(data.decode("utf-8")))


def parse_document(data: bytes) -> Document:
    """The bytes of a `document.yaml` as a `Document` (strict UTF-8)."""
    return Document.from_dict(yaml.load(data.decode("utf-8"), Loader=_Loader))


def load_annotations(path: Path) -> Annotations:
    """An `annotations.json` as `Annotations`, read through the safe-open rule (FileRefused when it is not a capped regular file)."""
    path = Path(path)
    return parse_annotations(read_bytes_safely(path, path.parent))


def load_document(path: Path) -> Document:
    """`document.yaml` (or the folder holding it) as a `Document`."""
    path = Path(path)
    if path.is_dir():
        path = path / DOCUMENT_FILE
    if not os.path.lexists(path):
        raise NotFoundError(f"{path}: no such document metadata file")
    return parse_document(read_bytes_safely(path, path.parent))


def read_text(doc_dir: Path, version: TextVersion) -> str:
    """The exact text of `version` (strict UTF-8 decode, no newline translation).

    Read through the safe-open rule inside `doc_dir`: a version `file` that is
    a link out, an absolute name or `../` is refused (FileRefused), never read.
    """
    return read_bytes_safely(Path(doc_dir) / version.file, doc_dir).decode("utf-8")


def write_annotations(path: Path, annotations: Annotations) -> None:
    atomic_write(path, dumps_annotations(annotations.to_dict()))


def write_document(path: Path, document: Document) -> None:
    atomic_write(path, dumps_document(document.to_dict()))


def iter_document_dirs(corpus_dir: Path) -> Iterator[Path]:
    """Every sub-folder of a corpus whose name does not start with ".", in name order.

    A folder is yielded whether or not it holds a `document.yaml`: the
    validator reports one that does not (`file-missing`); the build, which
    runs on a valid corpus only, reads each.
    """
    corpus_dir = Path(corpus_dir)
    for name in document_dir_names(corpus_dir):
        yield corpus_dir / name


def document_dir_names(corpus_dir: Path) -> list[str]:
    """The names of `iter_document_dirs`, read at once (an unreadable folder raises here, not midway).

    Names, not paths: for 100,000 documents the list is a few MB, where
    `os.DirEntry` or `Path` objects cost several times that.
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise NotFoundError(f"{corpus_dir}: no such corpus folder")
    with os.scandir(corpus_dir) as entries:
        return sorted(entry.name for entry in entries if not entry.name.startswith(".") and entry.is_dir())


def repo_root(corpus_dir: Path) -> Path:
    """The repository a corpus folder belongs to: `source.file` paths (seeds/...) are relative to it."""
    return Path(corpus_dir).resolve().parent
