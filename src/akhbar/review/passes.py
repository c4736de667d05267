"""What `akhbar agree` compares: files of one document, or whole annotation passes (folders), on one text version.

Files of different text versions of one document are compared on the newest
one: each older file is carried onto it through the version chain by
`carry_across_versions`, the machinery `akhbar diff` uses (and `akhbar
revise`), and the report says so. A *pass* is a folder of annotation files,
one per document (any file names, any depth); passes are paired by each
file's `document`, and the documents that every pass holds are compared,
pooled. Offsets are Unicode code points, 0-based, end exclusive.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidDataError, UsageError
from ..format.corpus import ANNOTATIONS_FILE, DOCUMENT_FILE
from ..format.text import escape_controls
from .agree import DocumentFiles
from .diff import carry_across_versions, require_same_text
from .load import CheckedAnnotations, load_checked, version_chain

__all__ = ["on_newest_version", "is_pass_folder", "load_pass", "pair_passes"]


def on_newest_version(loaded: list[tuple[str, CheckedAnnotations]]) -> DocumentFiles:
    """The files of one document, each older one carried onto the newest text version among them.

    Refuses (UsageError) files of different documents; a file whose
    text_sha256 is not that of its version is invalid data (exit 1).
    """
    newest_name, newest = max(loaded, key=lambda x: x[1].annotations.text_version)
    target = newest.annotations.text_version
    files, notes = [], []
    for name, checked in loaded:
        ann = checked.annotations
        require_same_text(newest.annotations, ann, newest_name, name, other_versions=True)
        if ann.text_version != target:
            chain = version_chain(newest.doc_dir, ann.text_version, target)
            if chain[0][0].sha256 != ann.text_sha256:
                raise InvalidDataError(f"{escape_controls(name)}: its text_sha256 is not that of text version "
                                       f"{ann.text_version}")
            ann, marked = carry_across_versions(ann, chain)
            notes.append(f"{name} carried from text version {checked.annotations.text_version} to {target} "
                         "through the version chain (as akhbar diff and akhbar revise do)"
                         + (f"; uncertain, check by hand: {', '.join(marked)}" if marked else ""))
        files.append((name, ann))
    return DocumentFiles(newest.annotations.document, target, newest.text, tuple(files), tuple(notes))


def is_pass_folder(path: str | Path) -> bool:
    """A folder that is not a document folder: it holds annotation files of a pass."""
    path = Path(path)
    return path.is_dir() and not (path / ANNOTATIONS_FILE).is_file() and not (path / DOCUMENT_FILE).is_file()


def load_pass(folder: Path, corpus: Path) -> dict[str, CheckedAnnotations]:
    """The annotation files (`*.json`, at any depth) of a pass folder by document; one file per document."""
    folder = Path(folder)
    files = sorted(p for p in folder.rglob("*.json") if p.is_file())
    if not files:
        raise UsageError(f"{escape_controls(str(folder))}: no annotation files (*.json) in this folder")
    by_document: dict[str, CheckedAnnotations] = {}
    for f in files:
        checked = load_checked(f, corpus)
        doc = checked.annotations.document
        if doc in by_document:
            raise UsageError(f"{escape_controls(str(f))} and {escape_controls(str(by_document[doc].path))} both "
                             f"annotate document {escape_controls(doc)!r}: a pass holds one file per document")
        by_document[doc] = checked
    return by_document


def pair_passes(folders: list[Path], corpus: Path) -> tuple[list[DocumentFiles], dict[str, list[str]]]:
    """The documents every pass holds, each on its newest text version, and per pass the documents left out."""
    passes = [load_pass(f, corpus) for f in folders]
    common = sorted(set.intersection(*(set(p) for p in passes)))
    unpaired = {str(f): sorted(set(p) - set(common)) for f, p in zip(folders, passes) if set(p) - set(common)}
    if not common:
        raise UsageError("no document is annotated in every pass: " + ", ".join(escape_controls(str(f)) for f in folders))
    documents = [on_newest_version([(str(p[doc].path), p[doc]) for p in passes]) for doc in common]
    return documents, unpaired
