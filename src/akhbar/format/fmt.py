"""`akhbar fmt`: rewrite annotations.json and document.yaml canonically.

Canonical form is a convenience for review (one changed annotation, one
changed diff line), never a condition of validity: the validator reports a
non-canonical file as a warning only.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path
from typing import Callable

import yaml

from .atomic import atomic_write, remove_stale_temps
from .canonical import dumps_annotations, dumps_document
from .corpus import ANNOTATIONS_FILE, DOCUMENT_FILE
from .lock import document_lock
from .safe_open import FileRefused, read_bytes_safely

__all__ = ["canonical_text", "format_paths", "FormatResult"]


def canonical_text(path: Path, raw: bytes) -> str:
    """The canonical text of an annotations.json or document.yaml file's bytes.

    Raises ValueError (or a JSON/YAML error) when the file does not parse; the
    caller reports that, `fmt` never guesses.
    """
    text = raw.decode("utf-8")
    if path.name == DOCUMENT_FILE or path.suffix in (".yaml", ".yml"):
        return dumps_document(yaml.safe_load(text))
    return dumps_annotations(json.loads(text))


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

    `load(path)` returns `(data, None)` or `(None, why)` for a file that
    cannot be formatted; the CLI passes the validator's safe loader, so fmt
    reads exactly what `akhbar validate` reads (size cap, strict UTF-8, no
    duplicate keys, no lone surrogates). Without it, the file is parsed here.
    A file whose data the canonical writer cannot take is reported, never
    written. Bytes are read through the safe-open rule; each file is rewritten
    under its document's lock, and the temporary files an interrupted earlier
    run left in its folder are removed.
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
                else:
                    data, why = load(path)
                    if data is None:
                        result.failed.append((path, why))
                        continue
                    raw = read_bytes_safely(path, path.parent)
                    dumps = dumps_document if path.name == DOCUMENT_FILE or path.suffix in (".yaml", ".yml") else dumps_annotations
                    new = dumps(data)
                encoded = new.encode("utf-8")
            except FileRefused as refused:
                result.failed.append((path, f"{refused.code}: {refused.message}"))
                continue
            except (OSError, ValueError, yaml.YAMLError, KeyError, TypeError, AttributeError, RecursionError) as exc:
                result.failed.append((path, f"{type(exc).__name__}: {exc}".splitlines()[0]))
                continue
            if encoded == raw:
                result.unchanged.append(path)
                continue
            result.changed.append(path)
            if not check:
                atomic_write(path, new)
    return result
