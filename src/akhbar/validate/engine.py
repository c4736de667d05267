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
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import NotFoundError, UsageError
from ..format.atomic import is_temp_name
from ..format.canonical import canonical_annotations, canonical_document
from ..format.corpus import ANNOTATIONS_FILE, DOCUMENT_FILE, document_dir_names, repo_root, sha256_hex, version_file_name
from ..format.ids import is_valid_id
from ..format.index import row_of_dict
from ..format.safe_open import real_path_below
from .checks import check_annotations
from .files import Sink, Structured, check_canonical, load_structured, usable
from .index import check_index
from .parse import Locator, decode
from .report import Finding
from .seeds import check_seed
from .report import Problem, Report
from .versions import check_document, check_text_hygiene, check_version_file

__all__ = ["validate_paths", "validate_document", "DocumentResult"]

_VERSION_FILE = re.compile(r"^text\.v[1-9][0-9]*\.txt$")


@dataclass
class DocumentResult:
    """Problems of one document plus the facts the corpus-wide checks need."""

    problems: list
    files: int
    suppressed: int
    doc_id: tuple | None = None  # (id, file, line, column)
    source_sha: tuple | None = None  # (sha256[#document], file, line, column)
    index_row: object = None  # the document's row of the corpus index (format.index.IndexRow)


def _check_versions(doc_dir: Path, doc_path: Path, clean_versions, wanted, seed_text, sink: Sink):
    """Every listed version file against its record, and its text hygiene.

    Returns the text of version `wanted` and whether it can be trusted for
    span checks (it exists, decodes, and matches its recorded sha256).
    """
    annotated_text, trusted = None, True
    for i, v in clean_versions:
        path = os.path.join(doc_dir, v["file"])
        raw, problem = sink.read_file(path, doc_dir)
        if problem is not None:
            where = (doc_path, problem._replace(pointer=f"/versions/{i}/file")) if problem.code == "file-missing" else (path, problem)
            sink.add(where[0], [where[1]])
            trusted &= v["version"] != wanted
            continue
        text, findings = decode(raw)
        sink.add(path, findings, Locator(text) if text is not None else None)
        before = sink.count(doc_path)
        sink.add(doc_path, check_version_file(i, v, sha256_hex(raw), text))
        if text is None:
            continue
        sink.add(path, check_text_hygiene(text, seed_text, skip_bom=bool(findings)))
        if v["version"] == wanted:
            annotated_text = text
            trusted &= sink.count(doc_path) == before and not findings
    return annotated_text, trusted


def _fallback_text(doc_dir: Path, ann: Structured, sink: Sink) -> str | None:
    """With document.yaml unusable, the annotated text is still `text.v<N>.txt` if its sha256 is the pinned one."""
    if not (usable("/text_version", ann) and usable("/text_sha256", ann)):
        return None
    raw, problem = sink.read_file(doc_dir / version_file_name(ann.data["text_version"]), doc_dir)
    if problem is not None or sha256_hex(raw) != ann.data["text_sha256"]:
        return None
    return decode(raw)[0]


def _check_pinning(doc_dir: Path, ann: Structured, versions, by_number: dict, folder_ok: bool) -> list[Finding]:
    """annotations.json's document, text_version and text_sha256 against the folder and document.yaml."""
    findings = []
    if folder_ok and usable("/document", ann) and ann.data["document"] != doc_dir.name:
        findings.append(Finding("document-id-mismatch", f"document {ann.data['document']!r} differs from the "
                                f"folder name {doc_dir.name!r}", pointer="/document"))
    wanted = ann.data.get("text_version") if usable("/text_version", ann) else None
    if wanted is None:
        return findings
    if wanted not in by_number:
        findings.append(Finding("text-version-unknown", f"text version {wanted} is not listed in "
                                f"{DOCUMENT_FILE} (versions 1..{len(versions)})", pointer="/text_version"))
        return findings
    recorded = by_number[wanted][1]["sha256"]
    if usable("/text_sha256", ann) and ann.data["text_sha256"] != recorded:
        findings.append(Finding("text-sha256-mismatch", f"text_sha256 {ann.data['text_sha256'][:12]}… is not "
                                f"the sha256 of version {wanted} ({recorded[:12]}…)", pointer="/text_sha256"))
    if wanted < len(versions):
        findings.append(Finding("annotations-not-current", f"annotations refer to version {wanted}; the "
                                f"newest is {len(versions)}", pointer="/text_version"))
    return findings


def _stray_files(doc_dir: Path, versions, all_clean: bool, sink: Sink) -> None:
    listed = ({v["file"] for v in versions if isinstance(v, dict) and isinstance(v.get("file"), str)}
              if isinstance(versions, list) else set())
    try:
        entries = sorted(os.listdir(doc_dir))
    except OSError:
        entries = []
    for name in entries:
        if name in (DOCUMENT_FILE, ANNOTATIONS_FILE) or name in listed or is_temp_name(name):
            continue  # the tool's own temporary files (an interrupted write) are not the document's
        if not all_clean and _VERSION_FILE.fullmatch(name):  # versions unreadable: give a version file the benefit of the doubt
            continue
        sink.add(doc_dir / name, [Finding("stray-file", f"{name} does not belong in a document folder")])


def validate_document(doc_dir: Path, max_problems: int = 100, root: Path | None = None,
                      real_corpus: str | None = None, real_root: str | None = None) -> DocumentResult:
    """Validate one document folder; its seed is looked up in `root`, the repository holding its corpus.

    `real_corpus` and `real_root`, the real paths of the document's parent
    folder and of `root` when the caller walking a corpus has them, save
    resolving every path from `/` again (os.path.realpath: ≈ 16 µs a file).
    """
    doc_dir = doc_dir if isinstance(doc_dir, Path) else Path(doc_dir)
    parent = doc_dir.parent
    root = root if root is not None else repo_root(parent)
    real_corpus = real_corpus or os.path.realpath(parent)
    real_dir = real_path_below(doc_dir, parent, real_corpus)
    sink = Sink({str(doc_dir): real_dir, str(root): real_root or os.path.realpath(root)})
    if not (real_dir == real_corpus or real_dir.startswith(real_corpus.rstrip(os.sep) + os.sep)):
        # a symbolic link out of the corpus: read nothing through it
        sink.add(doc_dir, [Finding("path-escapes-corpus", f"{doc_dir.name}/ leads outside the corpus (a symbolic link)")])
        problems, suppressed = sink.problems(max_problems)
        return DocumentResult(problems, 0, suppressed)
    folder_ok = is_valid_id(doc_dir.name)
    if not folder_ok:
        sink.add(doc_dir, [Finding("folder-name-invalid", f"folder name {doc_dir.name!r} is not a valid document id")])
    # file names as strings: pathlib's joins cost more than everything else done with these names
    doc_path, ann_path = os.path.join(doc_dir, DOCUMENT_FILE), os.path.join(doc_dir, ANNOTATIONS_FILE)
    doc = load_structured(doc_path, doc_dir, "document", sink)
    ann = load_structured(ann_path, doc_dir, "annotations", sink)
    numbering_ok = True
    if doc.usable:
        found = list(check_document(doc.data, doc_dir.name if folder_ok else doc.data.get("id"), doc.broken))
        numbering_ok = not any(f.code == "version-numbering" for f in found)
        sink.add(doc_path, found)
    versions = doc.data.get("versions") if usable("/versions", doc) else None
    clean_versions = [(i, v) for i, v in enumerate(versions or []) if f"/versions/{i}" not in doc.broken]
    all_clean = versions is not None and len(clean_versions) == len(versions) and numbering_ok
    seed_text = check_seed(doc, doc_path, root, sink)
    wanted = ann.data.get("text_version") if usable("/text_version", ann) else None
    text, trusted = _check_versions(doc_dir, doc_path, clean_versions, wanted, seed_text, sink)
    if ann.usable:
        findings = []
        if all_clean:
            pinning = _check_pinning(doc_dir, ann, versions, {v["version"]: (i, v) for i, v in clean_versions}, folder_ok)
            trusted &= not any(f.code in ("text-version-unknown", "text-sha256-mismatch") for f in pinning)
            findings += pinning
        elif not doc.usable:  # document.yaml unusable: check what can be checked against the pinned text
            text, trusted = _fallback_text(doc_dir, ann, sink), True
        else:
            trusted = False
        findings += check_annotations(ann.data, text if trusted else None, ann.broken, schema_valid=ann.clean)
        sink.add(ann_path, findings)
    _stray_files(doc_dir, versions, all_clean, sink)
    check_canonical(doc_path, doc, sink, canonical_document)
    check_canonical(ann_path, ann, sink, canonical_annotations)
    problems, suppressed = sink.problems(max_problems)
    result = DocumentResult(problems, sink.read, suppressed)
    if usable("/id", doc):
        result.doc_id = (doc.data["id"], str(doc_path), *doc.locator.at("/id"))
    if usable("/source", doc) and "/source/sha256" not in doc.broken:
        # one seed may hold many imported documents: the seed and the document in it identify the source
        source = doc.data["source"]
        where = source.get("document") if "/source/document" not in doc.broken else None
        key = source["sha256"] + (f"#{where}" if isinstance(where, str) else "")
        result.source_sha = (key, str(doc_path), *doc.locator.at("/source/sha256"))
    if doc.usable and not doc.broken:
        result.index_row = row_of_dict(doc.data)
    return result


def validate_annotations_file(path: Path, corpus: Path, text_path: Path | None, max_problems: int = 100) -> DocumentResult:
    """Validate one annotations.json against its text: `text_path`, or `corpus/<document>/text.v<N>.txt`."""
    sink = Sink()
    path = Path(path)
    ann = load_structured(path, path.parent, "annotations", sink)
    text = None
    if ann.usable:
        findings = []
        inside = text_path.parent if text_path is not None else Path(corpus)  # a text found from the data stays in the corpus
        if text_path is None and usable("/document", ann) and usable("/text_version", ann):
            text_path = Path(corpus) / ann.data["document"] / version_file_name(ann.data["text_version"])
        if text_path is not None:
            raw, problem = sink.read_file(text_path, inside)
            if problem is not None:
                findings.append(problem._replace(message=f"text {text_path}: {problem.message}", pointer="/text_version"))
            else:
                text, decoded = decode(raw)
                sink.add(text_path, decoded)
                if usable("/text_sha256", ann) and sha256_hex(raw) != ann.data["text_sha256"]:
                    findings.append(Finding("text-sha256-mismatch", f"text_sha256 is not the sha256 of {text_path} "
                                            f"({sha256_hex(raw)[:12]}…)", pointer="/text_sha256"))
                    text = None
        findings += check_annotations(ann.data, text, ann.broken)
        sink.add(path, findings)
    check_canonical(path, ann, sink, canonical_annotations)
    problems, suppressed = sink.problems(max_problems)
    return DocumentResult(problems, sink.read, suppressed)


def _task(args) -> DocumentResult:
    return validate_document(*args)


def _is_document_folder(path: Path) -> bool:
    return any((path / name).exists() for name in (DOCUMENT_FILE, ANNOTATIONS_FILE)) or any(path.glob("text.v*.txt"))


def _document_folders(corpus_dir: Path) -> Iterator[Path]:
    """The document folders of a corpus, in name order (dot-folders such as an interrupted ingest's are skipped)."""
    try:
        names = document_dir_names(corpus_dir)  # names only: a Path per document is made as it is reached
    except OSError as exc:  # an unreadable folder given on the command line is a usage error (exit 2)
        raise UsageError(f"{corpus_dir}: cannot read the folder: {exc.strerror or exc}") from None
    for name in names:
        yield corpus_dir / name


def _targets(paths: list[Path]) -> tuple[list[tuple[str, Path]], list[Path]]:
    """Sort the given paths into folders to walk ("corpus" or "document") and annotations files; misuse raises."""
    folders, single = [], []
    for p in paths:
        if not p.exists():
            raise NotFoundError(f"{p}: no such file or folder")
        if p.is_dir():
            folders.append(("document" if _is_document_folder(p) else "corpus", p))
        elif p.name == DOCUMENT_FILE or _VERSION_FILE.fullmatch(p.name):
            folders.append(("document", p.parent))
        elif p.suffix == ".json":
            single.append(p)
        else:
            raise UsageError(f"{p}: give a corpus folder, a document folder or an annotations .json file")
    return folders, single


def _tasks(folders: list[tuple[str, Path]], max_problems: int) -> Iterator[tuple]:
    """One task per document folder, lazily, each folder once even when named twice (directly or in a corpus).

    Only the folders named on the command line are remembered, not every
    document, so memory does not grow with the corpus.
    """
    named_documents = {os.path.realpath(f) for kind, f in folders if kind == "document"}
    walked: set[str] = set()
    for kind, folder in folders:
        real = os.path.realpath(folder)
        if real in walked:
            continue
        walked.add(real)
        if kind == "document":
            yield folder, max_problems, repo_root(folder.parent)
            continue
        root = repo_root(folder)
        real_root = os.path.realpath(root)  # resolved once per corpus, not once per file read
        for doc_dir in _document_folders(folder):
            if os.path.join(real, doc_dir.name) not in named_documents:
                yield doc_dir, max_problems, root, real, real_root


def validate_paths(paths=(Path("corpus"),), corpus: Path = Path("corpus"), text: Path | None = None,
                   max_problems: int = 100, jobs: int = 1) -> Report:
    """Validate corpus folders, document folders and annotations.json files; never raises for bad data.

    Documents are streamed (with `jobs > 1`, through a pool of processes);
    only problems and each document's id and seed hash are kept, for the
    corpus-wide checks. Raises NotFoundError for a path that does not exist
    and UsageError for a path that is none of the three kinds (the CLI's exit
    status 2).
    """
    folders, single = _targets([Path(p) for p in (paths or [Path("corpus")])])
    if text is not None and (folders or len(single) != 1):
        raise UsageError("--text applies to exactly one annotations .json file")
    if text is not None and not Path(text).is_file():
        raise NotFoundError(f"{text}: no such text file")

    problems: list[Problem] = []
    stats = {"documents": 0, "files": 0, "errors": 0, "warnings": 0, "suppressed": 0}
    first_with_id: dict[str, str] = {}
    first_with_seed: dict[str, str] = {}
    index_rows: dict[str, dict] = {}  # corpus folder -> {id: index row}

    def take(result: DocumentResult, corpus_dir: str | None = None) -> None:
        if corpus_dir is not None and result.index_row is not None:
            index_rows.setdefault(corpus_dir, {})[result.index_row.id] = result.index_row
        problems.extend(result.problems)
        stats["documents"] += 1
        stats["files"] += result.files
        stats["suppressed"] += result.suppressed
        for fact, first, code, what in ((result.doc_id, first_with_id, "document-id-duplicate", "the id"),
                                        (result.source_sha, first_with_seed, "source-duplicate", "the seed")):
            if fact is None:
                continue
            value, file, line, column = fact
            if value in first:
                pointer = "/id" if code == "document-id-duplicate" else "/source/sha256"
                problems.append(Problem.make(code, file, f"{what} {value[:20]!r} is also in {first[value]}",
                                             line, column, pointer))
            else:
                first[value] = file

    tasks = _tasks(folders, max_problems)
    corpora = {os.path.realpath(f) for kind, f in folders if kind == "corpus"}

    def corpus_of(task) -> str | None:
        parent = task[3] if len(task) > 3 else os.path.realpath(task[0].parent)
        return parent if parent in corpora else None

    if jobs > 1:
        with multiprocessing.get_context().Pool(jobs) as pool:
            pending = []
            def fed():
                for task in tasks:
                    pending.append(corpus_of(task))
                    yield task
            for k, result in enumerate(pool.imap(_task, fed(), chunksize=16)):
                take(result, pending[k])
    else:
        for task in tasks:
            take(_task(task), corpus_of(task))
    for kind, folder in folders:
        if kind == "corpus":
            problems.extend(check_index(folder, index_rows.get(os.path.realpath(folder), {})))
    for p in single:
        take(validate_annotations_file(p, corpus, Path(text) if text else None, max_problems))
    stats["errors"] = sum(1 for p in problems if p.is_error)
    stats["warnings"] = len(problems) - stats["errors"]
    return Report(valid=stats["errors"] == 0, problems=problems, stats=stats)
