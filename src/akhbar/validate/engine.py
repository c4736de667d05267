"""The engine: reads files safely, runs the checks, places findings in files, walks documents and corpora.

Documents are independent: each is validated from its own folder (plus its
seed), in a worker process with `jobs > 1`, and only small facts (id, seed
sha256) travel back for the corpus-wide checks, so memory does not grow with
the corpus.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from ..corpus import ANNOTATIONS_FILE, DOCUMENT_FILE, dumps_annotations, dumps_document, repo_root, sha256_hex
from ..errors import NotFoundError, UsageError
from ..labels import label_names
from .checks import check_annotations
from .codes import ERROR, MAX_DEPTH, MAX_FILE_BYTES
from .parse import Finding, Locator, decode, line_endings, parse_json, parse_yaml, too_deep
from .report import Problem, Report
from .schema import broken_pointers, schema_findings
from .versions import check_document, check_text_hygiene, check_version_file

__all__ = ["validate_paths", "validate_document", "DocumentResult"]

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_VERSION_FILE = re.compile(r"^text\.v[1-9][0-9]*\.txt$")


@lru_cache(maxsize=None)
def _labels() -> frozenset:
    return frozenset(label_names())


class _Sink:
    """Findings grouped by file, turned into located, sorted, capped problems at the end."""

    def __init__(self):
        self.files: dict[str, list] = {}
        self.read = 0  # files read, for the report's stats

    def read_file(self, path: Path, folder: Path) -> tuple[bytes | None, Finding | None]:
        raw, problem = _read(path, folder)
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


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def _read(path: Path, folder: Path) -> tuple[bytes | None, Finding | None]:
    """The bytes of `path`, or a finding: missing, outside `folder`, unreadable, or over the size cap.

    One lstat decides the common case; only a symbolic link is resolved, because
    names come from schema-checked patterns that cannot climb out by themselves.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None, Finding("file-missing", f"{path.name} is missing")
    except OSError as exc:
        return None, Finding("file-unreadable", f"{path.name}: {exc.strerror or exc}")
    if stat.S_ISLNK(info.st_mode) or os.path.islink(folder):
        if not _inside(path, folder):
            return None, Finding("path-escapes-corpus", f"{path.name} leads outside {folder.name}/ (a symbolic link?)")
        try:
            info = os.stat(path)
        except OSError:
            return None, Finding("file-missing", f"{path.name} is a broken symbolic link")
    if not stat.S_ISREG(info.st_mode):
        return None, Finding("file-unreadable", f"{path.name} is not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        return None, Finding("file-too-large", f"{path.name} has {info.st_size} bytes, over the cap of {MAX_FILE_BYTES}")
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, Finding("file-unreadable", f"{path.name}: {exc.strerror or exc}")
    if len(raw) > MAX_FILE_BYTES:  # it grew since the stat
        return None, Finding("file-too-large", f"{path.name} is over the cap of {MAX_FILE_BYTES} bytes")
    return raw, None


@dataclass
class _Structured:
    data: object = None
    text: str | None = None
    locator: Locator | None = None
    broken: set = field(default_factory=set)
    usable: bool = False  # parsed, and a dict at the top
    canonical: bool | None = None  # known already (JSON), or None: compare at the end


def _load_structured(path: Path, folder: Path, schema: str, sink: _Sink) -> _Structured:
    """Read, decode, parse and schema-check a JSON (annotations) or YAML (document) file into `sink`."""
    raw, problem = sink.read_file(path, folder)
    if problem is not None:
        sink.add(path, [problem])
        return _Structured()
    text, findings = decode(raw)
    if text is None or findings:  # a bad byte or a BOM: reported once, not parsed
        sink.add(path, findings)
        return _Structured()
    canonical = None
    if schema == "document":
        parsed = parse_yaml(text)
        data, findings, locator, implicit = parsed.data, parsed.findings, parsed.locator, parsed.implicit
    else:
        data, findings, locator, canonical = parse_json(text, dumps_annotations)
        implicit = {}
    sink.add(path, line_endings(text, locator) + findings, locator)
    if data is None and findings:
        return _Structured(text=text, locator=locator)
    found = schema_findings(data, schema, implicit)
    deep = too_deep(data) if found else None  # a schema-valid file is 3 deep: only a failing one can be deep
    if deep is not None:
        sink.add(path, [Finding("nesting-too-deep", f"nesting deeper than {MAX_DEPTH} levels", pointer=deep)])
        return _Structured(text=text, locator=locator)
    sink.add(path, found)
    return _Structured(data, text, locator, broken_pointers(found), isinstance(data, dict), canonical)


def _canonical(path: Path, loaded: _Structured, sink: _Sink, dumps) -> None:
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


@dataclass
class DocumentResult:
    """Problems of one document plus the facts the corpus-wide checks need."""

    problems: list
    files: int
    suppressed: int
    doc_id: tuple | None = None  # (id, file, line, column)
    source_sha: tuple | None = None  # (sha256, file, line, column)


def _ok(key: str, loaded: _Structured) -> bool:
    return loaded.usable and key not in loaded.broken and "" not in loaded.broken and key.lstrip("/") in loaded.data


def validate_document(doc_dir: Path, max_problems: int = 100, root: Path | None = None) -> DocumentResult:
    """Validate one document folder; its seed is looked up in `root`, the repository holding its corpus."""
    doc_dir = Path(doc_dir)
    root = root if root is not None else repo_root(doc_dir.parent)
    sink = _Sink()
    folder_ok = len(doc_dir.name) <= 64 and bool(_ID.match(doc_dir.name))
    if not folder_ok:
        sink.add(doc_dir, [Finding("folder-name-invalid", f"folder name {doc_dir.name!r} is not a valid document id")])
    doc_path, ann_path = doc_dir / DOCUMENT_FILE, doc_dir / ANNOTATIONS_FILE
    doc = _load_structured(doc_path, doc_dir, "document", sink)
    ann = _load_structured(ann_path, doc_dir, "annotations", sink)
    numbering_ok = True
    if doc.usable:
        found = list(check_document(doc.data, doc_dir.name if folder_ok else doc.data.get("id"), doc.broken))
        numbering_ok = not any(f.code == "version-numbering" for f in found)
        sink.add(doc_path, found)
    versions = doc.data.get("versions") if _ok("/versions", doc) else None
    clean_versions = [(i, v) for i, v in enumerate(versions or []) if f"/versions/{i}" not in doc.broken]
    by_number = {v["version"]: (i, v) for i, v in clean_versions}

    seed_text = None
    if _ok("/source", doc) and "/source/file" not in doc.broken:
        source = doc.data["source"]
        seed = root / source["file"]
        raw, problem = sink.read_file(seed, root / "seeds")
        if problem is not None:
            code = "seed-missing" if problem.code == "file-missing" else problem.code
            sink.add(doc_path, [problem._replace(code=code, message=f"seed {source['file']}: {problem.message}",
                                                 pointer="/source/file")])
        elif sha256_hex(raw) != source["sha256"]:
            sink.add(doc_path, [Finding("seed-sha256-mismatch", f"{source['file']} has sha256 {sha256_hex(raw)[:12]}…, "
                                        f"recorded {source['sha256'][:12]}…", pointer="/source/sha256")])
        else:
            seed_text = raw.decode("utf-8", errors="replace")

    wanted = ann.data.get("text_version") if _ok("/text_version", ann) else None
    annotated_text, text_trusted = None, True
    for i, v in clean_versions:
        path = doc_dir / v["file"]
        raw, problem = sink.read_file(path, doc_dir)
        if problem is not None:
            if problem.code == "file-missing":
                sink.add(doc_path, [problem._replace(pointer=f"/versions/{i}/file")])
            else:
                sink.add(path, [problem])
            text_trusted &= v["version"] != wanted
            continue
        text, findings = decode(raw)
        locator = Locator(text) if text is not None else None
        sink.add(path, findings, locator)
        before = sink.count(doc_path)
        sink.add(doc_path, check_version_file(i, v, sha256_hex(raw), text))
        if text is None:
            continue
        sink.add(path, check_text_hygiene(text, seed_text, skip_bom=bool(findings)))
        if v["version"] == wanted:
            annotated_text = text
            text_trusted &= sink.count(doc_path) == before and not findings

    if ann.usable:
        findings = []
        if folder_ok and _ok("/document", ann) and ann.data["document"] != doc_dir.name:
            findings.append(Finding("document-id-mismatch", f"document {ann.data['document']!r} differs from the "
                                    f"folder name {doc_dir.name!r}", pointer="/document"))
        if wanted is None or versions is None or len(clean_versions) != len(versions) or not numbering_ok:
            text_trusted = False
        else:
            if wanted not in by_number:
                findings.append(Finding("text-version-unknown", f"text version {wanted} is not listed in "
                                        f"{DOCUMENT_FILE} (versions 1..{len(versions)})", pointer="/text_version"))
                text_trusted = False
            else:
                recorded = by_number[wanted][1]["sha256"]
                if _ok("/text_sha256", ann) and ann.data["text_sha256"] != recorded:
                    findings.append(Finding("text-sha256-mismatch", f"text_sha256 {ann.data['text_sha256'][:12]}… is not "
                                            f"the sha256 of version {wanted} ({recorded[:12]}…)", pointer="/text_sha256"))
                    text_trusted = False
                if wanted < len(versions):
                    findings.append(Finding("annotations-not-current", f"annotations refer to version {wanted}; the "
                                            f"newest is {len(versions)}", pointer="/text_version"))
        findings += check_annotations(ann.data, annotated_text if text_trusted else None, ann.broken, _labels())
        sink.add(ann_path, findings)

    listed = {v.get("file") for v in versions if isinstance(v, dict)} if isinstance(versions, list) else set()
    any_version_file = not isinstance(versions, list) or len(clean_versions) != len(versions)
    try:
        entries = sorted(os.listdir(doc_dir))
    except OSError:
        entries = []
    for name in entries:
        if name in (DOCUMENT_FILE, ANNOTATIONS_FILE):
            continue
        if name in listed or (any_version_file and _VERSION_FILE.match(name)):
            continue
        sink.add(doc_dir / name, [Finding("stray-file", f"{name} does not belong in a document folder")])

    _canonical(doc_path, doc, sink, dumps_document)
    _canonical(ann_path, ann, sink, dumps_annotations)
    problems, suppressed = sink.problems(max_problems)
    result = DocumentResult(problems, sink.read, suppressed)
    if _ok("/id", doc):
        result.doc_id = (doc.data["id"], str(doc_path), *doc.locator.at("/id"))
    if _ok("/source", doc) and "/source/sha256" not in doc.broken:
        result.source_sha = (doc.data["source"]["sha256"], str(doc_path), *doc.locator.at("/source/sha256"))
    return result


def validate_annotations_file(path: Path, corpus: Path, text_path: Path | None, max_problems: int = 100) -> DocumentResult:
    """Validate one annotations.json against its text: `text_path`, or `corpus/<document>/text.v<N>.txt`."""
    sink = _Sink()
    path = Path(path)
    ann = _load_structured(path, path.parent, "annotations", sink)
    text = None
    if ann.usable:
        findings = []
        if text_path is None and _ok("/document", ann) and _ok("/text_version", ann):
            text_path = Path(corpus) / ann.data["document"] / f"text.v{ann.data['text_version']}.txt"
        if text_path is not None:
            raw, problem = sink.read_file(text_path, text_path.parent)
            if problem is not None:
                findings.append(problem._replace(message=f"text {text_path}: {problem.message}", pointer="/text_version"))
            else:
                text, decoded = decode(raw)
                sink.add(text_path, decoded)
                if _ok("/text_sha256", ann) and sha256_hex(raw) != ann.data["text_sha256"]:
                    findings.append(Finding("text-sha256-mismatch", f"text_sha256 is not the sha256 of {text_path} "
                                            f"({sha256_hex(raw)[:12]}…)", pointer="/text_sha256"))
                    text = None
        findings += check_annotations(ann.data, text, ann.broken, _labels())
        sink.add(path, findings)
    _canonical(path, ann, sink, dumps_annotations)
    problems, suppressed = sink.problems(max_problems)
    return DocumentResult(problems, sink.read, suppressed)


def _task(args) -> DocumentResult:
    doc_dir, max_problems, root = args
    return validate_document(doc_dir, max_problems, root)


def _is_document_folder(path: Path) -> bool:
    return any((path / name).exists() for name in (DOCUMENT_FILE, ANNOTATIONS_FILE)) or any(path.glob("text.v*.txt"))


def _document_folders(corpus_dir: Path) -> Iterator[Path]:
    with os.scandir(corpus_dir) as it:
        names = sorted(e.name for e in it if e.is_dir() and not e.name.startswith("."))
    for name in names:
        yield corpus_dir / name


def validate_paths(paths=(Path("corpus"),), corpus: Path = Path("corpus"), text: Path | None = None,
                   max_problems: int = 100, jobs: int = 1) -> Report:
    """Validate corpus folders, document folders and annotations.json files; never raises for bad data.

    Raises NotFoundError for a path that does not exist and UsageError for a
    path that is none of the three kinds (the CLI's exit status 2).
    """
    paths = [Path(p) for p in (paths or [Path("corpus")])]
    documents: list[tuple[Path, Path]] = []  # (document folder, repository root)
    single: list[Path] = []
    for p in paths:
        if not p.exists():
            raise NotFoundError(f"{p}: no such file or folder")
        if p.is_dir() and not _is_document_folder(p):
            root = repo_root(p)
            documents += [(d, root) for d in _document_folders(p)]
        elif p.is_dir():
            documents.append((p, repo_root(p.parent)))
        elif p.name in (DOCUMENT_FILE,) or _VERSION_FILE.match(p.name):
            documents.append((p.parent, repo_root(p.parent.parent)))
        elif p.suffix == ".json":
            single.append(p)
        else:
            raise UsageError(f"{p}: give a corpus folder, a document folder or an annotations .json file")
    if text is not None and (documents or len(single) != 1):
        raise UsageError("--text applies to exactly one annotations .json file")
    if text is not None and not Path(text).is_file():
        raise NotFoundError(f"{text}: no such text file")

    problems: list[Problem] = []
    stats = {"documents": 0, "files": 0, "errors": 0, "warnings": 0, "suppressed": 0}
    ids: dict[str, tuple] = {}
    shas: dict[str, tuple] = {}

    def take(result: DocumentResult) -> None:
        problems.extend(result.problems)
        stats["files"] += result.files
        stats["suppressed"] += result.suppressed
        if result.doc_id:
            ident, file, line, column = result.doc_id
            if ident in ids:
                problems.append(Problem.make("document-id-duplicate", file, f"id {ident!r} is also the id of "
                                             f"{ids[ident][0]}", line, column, "/id"))
            else:
                ids[ident] = (file,)
        if result.source_sha:
            sha, file, line, column = result.source_sha
            if sha in shas:
                problems.append(Problem.make("source-duplicate", file, f"the same seed (sha256 {sha[:12]}…) was "
                                             f"ingested as {shas[sha][0]}", line, column, "/source/sha256"))
            else:
                shas[sha] = (file,)

    tasks = ((d, max_problems, root) for d, root in documents)
    stats["documents"] = len(documents) + len(single)
    if jobs > 1 and len(documents) > 1:
        with multiprocessing.get_context().Pool(jobs) as pool:
            for result in pool.imap(_task, tasks, chunksize=16):
                take(result)
    else:
        for task in tasks:
            take(_task(task))
    for p in single:
        take(validate_annotations_file(p, corpus, Path(text) if text else None, max_problems))
    stats["errors"] = sum(1 for p in problems if p.severity == ERROR)
    stats["warnings"] = len(problems) - stats["errors"]
    return Report(valid=stats["errors"] == 0, problems=problems, stats=stats)
