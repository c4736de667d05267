"""The corpus index `corpus/index.tsv` against the documents of a corpus (`index-mismatch`)."""

from __future__ import annotations

from pathlib import Path

from ..format.index import INDEX_FILE, read_index_rows
from .report import Problem

__all__ = ["check_index"]


def check_index(corpus_dir: Path, rows: dict) -> list[Problem]:
    """corpus/index.tsv against the documents' rows (`rows`: id -> IndexRow), in any row order; no file, no check."""
    path = corpus_dir / INDEX_FILE
    if not path.is_file():
        return []
    problems = []
    try:
        listed = read_index_rows(path)
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem.make("index-mismatch", str(path), f"cannot read the index: {exc}", 1, 1, None)]
    seen = set()
    for line, fields in listed:
        ident = fields[0]
        expected = rows.get(ident)
        if ident in seen:
            problems.append(Problem.make("index-mismatch", str(path), f"{ident!r} is listed twice", line, 1, None))
            continue
        seen.add(ident)
        if expected is None:
            problems.append(Problem.make("index-mismatch", str(path), f"{ident!r} is listed but is not a document "
                                         "of the corpus", line, 1, None))
        elif fields != expected.line().split("\t"):
            problems.append(Problem.make("index-mismatch", str(path), f"the row of {ident!r} differs from its "
                                         f"document.yaml: {expected.line()!r}", line, 1, None))
    for ident in sorted(set(rows) - seen):
        problems.append(Problem.make("index-mismatch", str(path), f"document {ident!r} is missing from the index",
                                     len(listed) + 1, 1, None))
    return problems
