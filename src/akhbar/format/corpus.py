"""Reading and writing the corpus format (see docs/format.md).

    corpus/<id>/document.yaml      metadata and the list of text versions
    corpus/<id>/text.v<N>.txt      immutable text of version N (UTF-8, NFC, LF, no BOM)
    corpus/<id>/annotations.json   stand-off sentences and entities of one version

Texts are read as bytes and decoded strictly, never through a newline- or
encoding-translating layer: the offsets count code points of the exact text.
The writers are canonical (`dumps_annotations`, `dumps_document`) and atomic.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Iterator

import yaml

from ..errors import NotFoundError
from .model import ENTITY_KEYS, SENTENCE_KEYS, Annotations, Document, TextVersion

__all__ = [
    "DOCUMENT_FILE",
    "ANNOTATIONS_FILE",
    "sha256_hex",
    "atomic_write",
    "dumps_annotations",
    "dumps_document",
    "load_annotations",
    "load_document",
    "parse_annotations",
    "parse_document",
    "read_text",
    "write_annotations",
    "write_document",
    "iter_document_dirs",
    "repo_root",
    "version_file_name",
]

DOCUMENT_FILE = "document.yaml"
ANNOTATIONS_FILE = "annotations.json"

_HEADER_KEYS = ("schema_version", "document", "text_version", "text_sha256")
_YAML_KEYS = ("id", "title", "language", "license", "source", "split", "versions")

try:  # the C loader/dumper is ~10x faster; fall back where libyaml is absent
    _Loader = yaml.CSafeLoader
    _Dumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def version_file_name(number: int) -> str:
    return f"text.v{number}.txt"


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    A reader sees the old file or the new one, never a half-written one; an
    interruption leaves at most a `.tmp` file that is removed on the next error.
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file 0600; give it the mode a plain open() would (or the old file's).
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _mode_for(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))  # one encoder, not one per call


def _json(value) -> str:
    return _ENCODER.encode(value)


def _ordered(item: dict, keys: tuple[str, ...]) -> dict:
    """`item` with known keys in canonical order, unknown ones after them (kept, not dropped)."""
    out = {k: item[k] for k in keys if k in item}
    out.update((k, v) for k, v in item.items() if k not in out)
    return out


def _list_block(name: str, items: list, keys: tuple[str, ...] | None, last: bool) -> list[str]:
    tail = "" if last else ","
    if not items:
        return [f"  {_json(name)}: []{tail}"]
    lines = [f"  {_json(name)}: ["]
    for i, item in enumerate(items):
        obj = _ordered(item, keys) if keys and isinstance(item, dict) else item
        lines.append(f"    {_json(obj)}{',' if i < len(items) - 1 else ''}")
    lines.append(f"  ]{tail}")
    return lines


def dumps_annotations(data: dict) -> str:
    """The canonical JSON text of an annotations dict.

    Stable key order, one annotator, sentence or entity per line, UTF-8
    unescaped, LF, final newline: a git diff shows one line per changed
    annotation.
    """
    lines = ["{"]
    for key in _HEADER_KEYS:
        if key in data:
            lines.append(f"  {_json(key)}: {_json(data[key])},")
    extra = [k for k in data if k not in _HEADER_KEYS and k not in ("annotators", "sentences", "entities")]
    for key in extra:  # unknown top-level keys are kept so `fmt` never loses data
        lines.append(f"  {_json(key)}: {_json(data[key])},")
    lines += _list_block("annotators", list(data.get("annotators", [])), ("id", "role"), last=False)
    lines += _list_block("sentences", list(data.get("sentences", [])), SENTENCE_KEYS, last=False)
    lines += _list_block("entities", list(data.get("entities", [])), ENTITY_KEYS, last=True)
    lines.append("}")
    return "\n".join(lines) + "\n"


def dumps_document(data: dict) -> str:
    """The canonical YAML text of a document metadata dict (dates stay quoted strings)."""
    ordered = _ordered(data, _YAML_KEYS)
    return yaml.dump(
        ordered,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1 << 30,  # never fold a long Arabic title or note across lines
    )


def parse_annotations(data: bytes) -> Annotations:
    """The bytes of an `annotations.json` as `Annotations` (strict UTF-8)."""
    return Annotations.from_dict(json.loads(data.decode("utf-8")))


def parse_document(data: bytes) -> Document:
    """The bytes of a `document.yaml` as a `Document` (strict UTF-8)."""
    return Document.from_dict(yaml.load(data.decode("utf-8"), Loader=_Loader))


def load_annotations(path: Path) -> Annotations:
    with open(path, "rb") as f:
        return parse_annotations(f.read())


def load_document(path: Path) -> Document:
    """`document.yaml` (or the folder holding it) as a `Document`."""
    path = Path(path)
    if path.is_dir():
        path = path / DOCUMENT_FILE
    if not path.is_file():
        raise NotFoundError(f"{path}: no such document metadata file")
    with open(path, "rb") as f:
        return parse_document(f.read())


def read_text(doc_dir: Path, version: TextVersion) -> str:
    """The exact text of `version` (strict UTF-8 decode, no newline translation)."""
    with open(Path(doc_dir) / version.file, "rb") as f:
        return f.read().decode("utf-8")


def write_annotations(path: Path, annotations: Annotations) -> None:
    atomic_write(path, dumps_annotations(annotations.to_dict()))


def write_document(path: Path, document: Document) -> None:
    atomic_write(path, dumps_document(document.to_dict()))


def iter_document_dirs(corpus_dir: Path) -> Iterator[Path]:
    """Document folders of a corpus in id order (folders holding a document.yaml; dot-folders skipped)."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise NotFoundError(f"{corpus_dir}: no such corpus folder")
    for entry in sorted(os.scandir(corpus_dir), key=lambda e: e.name):
        if entry.is_dir() and not entry.name.startswith("."):
            yield Path(entry.path)


def repo_root(corpus_dir: Path) -> Path:
    """The repository a corpus folder belongs to: `source.file` paths (seeds/...) are relative to it."""
    return Path(corpus_dir).resolve().parent
