"""`akhbar fmt`: rewrite annotations.json and document.yaml canonically.

Canonical form is a convenience for review (one changed annotation, one
changed diff line), never a condition of validity: the validator reports a
non-canonical file as a warning only.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path
from typing import Callable, NamedTuple

import yaml

from .atomic import atomic_write, remove_stale_temps
from .canonical import canonical_annotations, canonical_document, dumps_annotations, dumps_document
from .corpus import ANNOTATIONS_FILE, DOCUMENT_FILE
from .lock import document_lock
from .safe_open import FileRefused, read_bytes_safely

__all__ = ["canonical_text", "format_paths", "FormatResult", "Loaded"]


def canonical_text(path: Path, raw: bytes) -> str:
    """The canonical text of an annotations.json or document.yaml file's bytes.

    Raises ValueError (or a JSON/YAML error) when the file does not parse; the
    caller reports that, `fmt` never guesses.
    """
    text = raw.decode("utf-8")
    if _is_yaml(path):
        return dumps_document(yaml.safe_load(text))
    return dumps_annotations(json.loads(text))


class Loaded(NamedTuple):
    """What a `load` callable gives `format_paths` for a file it could read: the data and the file's exact text."""

    data: object
    text: str  # the file decoded, byte for byte (strict UTF-8, no BOM): text equality is byte equality
    canonical: bool | None = None  # already known to the loader (the validator's JSON parse), or None: compare


def _is_yaml(path: Path) -> bool:
    return path.name == DOCUMENT_FILE or path.suffix in (".yaml", ".yml")


class FormatResult:
    def __init__(self):
        self.changed: list[Path] = []
        self.unchanged: list[Path] = []
        self.failed: list[tuple[Path, str]] = []


def _targets(paths: list[Path]) -> list[Path]:
    out = []
    for p in paths:
        if p.is_dir():
            out += sorted(p.glob(f"**/{ANNOTATIONS_FILE}")) + sorted(p.glob(f"**/{DOCUMENT_FILE}"))
        else:
            out.append(p)
    return out


def _lock(path: Path, check: bool):
    """The document's lock for a file in a document folder (a read-modify-write); none for --check or a lone file."""
    folder = path.parent
    if check or not (folder / DOCUMENT_FILE).is_file():
        return nullcontext()
    return document_lock(folder.parent, folder.name)


def format_paths(paths: list[Path], check: bool = False, load: Callable | None = None) -> FormatResult:
    """Format (or with `check`, only inspect) every annotations/document file under `paths`.

    `load(path)` returns `(Loaded, None)` or `(None, why)` for a file that
    cannot be formatted; the CLI passes the validator's safe loader, so fmt
    reads exactly what `akhbar validate` reads (size cap, strict UTF-8, no
    duplicate keys, no lone surrogates), each file once. Without it, the file
    is read and parsed here. A file whose data the canonical writer cannot
    take is reported, never written. Bytes are read through the safe-open
    rule; each file is rewritten under its document's lock, and the temporary
    files an interrupted earlier run left in its folder are removed.

    The canonical text is computed with the validator's fast writers
    (`canonical_document`, `canonical_annotations`, equal to the dumps_*
    writers), and not at all for a file the loader already found canonical.
    """
    result = FormatResult()
    cleaned: set[Path] = set()
    for path in _targets([Path(p) for p in paths]):
        if not check and path.parent not in cleaned:
            remove_stale_temps(path.parent)
            cleaned.add(path.parent)
        with _lock(path, check):
            try:
                if load is None:
                    raw = read_bytes_safely(path, path.parent)
                    new = canonical_text(path, raw)
                    same = new.encode("utf-8") == raw
                else:
                    loaded, why = load(path)
                    if loaded is None:
                        result.failed.append((path, why))
                        continue
                    if loaded.canonical:
                        same, new = True, loaded.text
                    else:
                        new = (canonical_document if _is_yaml(path) else canonical_annotations)(loaded.data)
                        same = new == loaded.text
                    new.encode("utf-8")  # a lone surrogate the loader let through fails here, not in the write
            except FileRefused as refused:
                result.failed.append((path, f"{refused.code}: {refused.message}"))
                continue
            except (OSError, ValueError, yaml.YAMLError, KeyError, TypeError, AttributeError, RecursionError) as exc:
                result.failed.append((path, f"{type(exc).__name__}: {exc}".splitlines()[0]))
                continue
            if same:
                result.unchanged.append(path)
                continue
            result.changed.append(path)
            if not check:
                atomic_write(path, new)
    return result
