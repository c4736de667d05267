"""Files: safe reading (size cap, symbolic links), loading JSON/YAML with schema checks, and placing findings.

The `Sink` gathers findings per file and turns them into located, sorted,
capped `Problem`s at the end, computing line and column only for files that
have a problem.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..format.canonical import is_canonical_annotations
from ..format.safe_open import FileRefused, read_bytes_safely
from .codes import MAX_DEPTH, MAX_FILE_BYTES
from .parse import Locator, decode, line_endings, parse_json, too_deep
from .report import Finding
from .report import Problem
from .schema import broken_pointers, has_float, schema_findings
from .versions import check_strings
from .yamlfast import parse_canonical
from .yamlparse import parse_yaml

__all__ = ["Sink", "Structured", "load_structured", "check_canonical", "read_file", "usable", "load_file", "UNUSABLE"]


class Sink:
    """Findings grouped by file, turned into located, sorted, capped problems at the end."""

    def __init__(self, real: dict[str, str] | None = None):
        self.files: dict[str, list] = {}
        self.read = 0  # files read, for the report's stats
        self.real = real or {}  # folder -> its real path, where the caller resolved it already

    def read_file(self, path: Path, folder: Path) -> tuple[bytes | None, Finding | None]:
        raw, problem = read_file(path, folder, self.real.get(str(folder)))
        self.read += raw is not None
        return raw, problem

    def add(self, path, findings: Iterable[Finding], locator: Locator | None = None) -> int:
        entry = self.files.setdefault(str(path), [locator, []])
        if locator is not None:
            entry[0] = locator
        before = len(entry[1])
        entry[1].extend(findings)
        return len(entry[1]) - before

    def count(self, path) -> int:
        return len(self.files.get(str(path), (None, []))[1])

    def problems(self, max_problems: int) -> tuple[list[Problem], int]:
        out, suppressed = [], 0
        for path, (locator, findings) in self.files.items():
            placed = []
            for f in findings:
                line, column = f.line, f.column
                if line is None and locator is not None:
                    if f.offset is not None:
                        line, column = locator.line_column(f.offset)
                    elif f.pointer is not None:
                        line, column = locator.at(f.pointer, f.key)
                placed.append(Problem.make(f.code, path, f.message, line, column, f.pointer))
            placed.sort(key=lambda p: (p.line or 0, p.column or 0))
            if max_problems and len(placed) > max_problems:
                suppressed += len(placed) - max_problems
                placed = placed[:max_problems]
            out += placed
        return out, suppressed


def read_file(path: Path, folder: Path, real_folder: str | None = None) -> tuple[bytes | None, Finding | None]:
    """The bytes of `path`, or a finding: missing, outside `folder`, not a regular file, or over the size cap.

    The one safe-open rule (`format.safe_open`), as a finding instead of an exception; `real_folder` is
    `folder`'s real path when the caller has it.
    """
    try:
        return read_bytes_safely(path, folder, MAX_FILE_BYTES, real_folder), None
    except FileRefused as refused:
        return None, Finding(refused.code, f"{os.path.basename(path)}: {refused.message}")


@dataclass
class Structured:
    data: object = None
    text: str | None = None
    locator: Locator | None = None
    broken: set = field(default_factory=set)
    usable: bool = False  # parsed, and a dict at the top
    canonical: bool | None = None  # known already (JSON), or None: compare at the end
    clean: bool = False  # parsed, and the schema and string checks found nothing at all


def load_structured(path: Path, folder: Path, schema: str, sink: Sink) -> Structured:
    """Read, decode, parse and schema-check a JSON (annotations) or YAML (document) file into `sink`."""
    raw, problem = sink.read_file(path, folder)
    if problem is not None:
        sink.add(path, [problem])
        return Structured()
    text, findings = decode(raw)
    if text is None or findings:  # a bad byte or a BOM: reported once, not parsed
        sink.add(path, findings)
        return Structured()
    canonical = None
    if schema == "document":
        parsed = parse_canonical(text)  # the usual case, proven canonical line by line; else the full parse
        canonical = True if parsed is not None else None
        parsed = parsed or parse_yaml(text)
        data, findings, locator, implicit = parsed.data, parsed.findings, parsed.locator, parsed.implicit
        floats = has_float(data)
    else:
        seen: list = []
        data, findings, locator, canonical = parse_json(text, is_canonical_annotations, seen)
        implicit, floats = {}, bool(seen)
    sink.add(path, line_endings(text, locator) + findings, locator)
    if data is None and findings:
        return Structured(text=text, locator=locator)
    found = schema_findings(data, schema, implicit, floats)
    deep = too_deep(data) if found else None  # a schema-valid file is 3 deep: only a failing one can be deep
    if deep is not None:
        sink.add(path, [Finding("nesting-too-deep", f"nesting deeper than {MAX_DEPTH} levels", pointer=deep)])
        return Structured(text=text, locator=locator)
    reported = {f.pointer for f in found}  # one problem per value: a bad id is `id-invalid` only
    # a lone surrogate is always reported: it makes the data unusable (it cannot even be written as UTF-8)
    found += [f for f in check_strings(data, schema, text if schema == "annotations" else None,
                                                 text if schema == "document" and canonical else None)
              if f.pointer not in reported or f.code == "string-lone-surrogate"]
    sink.add(path, found)
    return Structured(data, text, locator, broken_pointers(found), isinstance(data, dict), canonical,
                      clean=not found and not findings)


def check_canonical(path: Path, loaded: Structured, sink: Sink, dumps) -> None:
    """A `not-canonical` warning for a file with no other problem whose canonical form differs."""
    if not loaded.usable or sink.count(path) or loaded.canonical:
        return
    if loaded.canonical is None:
        try:
            if dumps(loaded.data) == loaded.text:
                return
        except Exception:  # noqa: BLE001 - canonical form is advice; never let it crash validation
            return
    sink.add(path, [Finding("not-canonical", "not in canonical form; `akhbar fmt` would rewrite it", line=1, column=1)])


def usable(key: str, loaded: Structured) -> bool:
    return loaded.usable and key not in loaded.broken and "" not in loaded.broken and key.lstrip("/") in loaded.data


# Problems after which the parsed data cannot be written back or shown as it is.
UNUSABLE = frozenset({"file-missing", "file-unreadable", "file-too-large", "path-escapes-corpus", "encoding-not-utf8",
                      "encoding-bom", "json-syntax", "json-duplicate-key", "json-non-finite", "nesting-too-deep",
                      "yaml-syntax", "yaml-duplicate-key", "yaml-anchor-alias", "yaml-explicit-tag",
                      "yaml-unsupported", "string-lone-surrogate"})


def load_file(path: Path, folder: Path, kind: str) -> tuple[Structured, list[Problem]]:
    """The one safe loader for commands other than `validate`: a file read, parsed and checked as the validator does.

    `kind` is "annotations" (JSON) or "document" (YAML). Returns what was
    loaded (its `data` is None when the file does not parse) and the file's
    located problems, all of them; a caller refuses on those it cannot use
    (`UNUSABLE`, or any error). Never raises for bad content.
    """
    sink = Sink()
    loaded = load_structured(Path(path), Path(folder), kind, sink)
    problems, _ = sink.problems(0)
    return loaded, problems
