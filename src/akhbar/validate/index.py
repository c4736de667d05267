"""The corpus index `corpus/.index/` against the documents of a corpus (`index-mismatch`, `index-legacy`)."""

from __future__ import annotations

import os
from pathlib import Path

from ..format.atomic import is_temp_name
from ..format.index import FAMILIES, HEADER, INDEX_DIR, LEGACY_INDEX_FILE, SHARD_NAME, parse_shard, shard_of
from ..format.safe_open import FileRefused, read_bytes_safely
from ..format.text import escape_controls
from .report import Problem

__all__ = ["check_index"]


def _problem(path: Path, message: str, line: int = 1, code: str = "index-mismatch") -> Problem:
    return Problem.make(code, str(path), message, line, 1, None)


def check_index(corpus_dir: Path, rows: dict) -> list[Problem]:
    """corpus/.index against the documents' rows (`rows`: id -> IndexRow); no index, no check.

    In each family (`seed/`, `text/`) every document has one row, equal to the row of its document.yaml, in the
    shard its hash names; each shard file is a header and rows in any order.
    """
    corpus_dir = Path(corpus_dir)
    problems = []
    legacy = corpus_dir / LEGACY_INDEX_FILE
    index_dir = corpus_dir / INDEX_DIR
    if os.path.lexists(legacy):
        what = ("left over from a conversion; remove it" if os.path.lexists(index_dir) else
                "convert it with `akhbar import --rebuild-index` (the next ingest or import converts it too)")
        problems.append(_problem(legacy, f"the single-file index of earlier releases is no longer read: {what}",
                                 code="index-legacy"))
    if not os.path.lexists(index_dir):
        return problems
    if index_dir.is_symlink() or not index_dir.is_dir():
        return problems + [_problem(index_dir, "the index is not a folder")]
    for family in FAMILIES:
        problems += _check_family(corpus_dir, index_dir / family, family, rows)
    for name in sorted(os.listdir(index_dir)):
        if name not in FAMILIES and not is_temp_name(name):
            problems.append(_problem(index_dir / name, f"{escape_controls(name)!r} is not part of the index "
                                     f"(it holds {' and '.join(f'{f}/' for f in FAMILIES)} only)"))
    return problems


def _check_family(corpus_dir: Path, folder: Path, family: str, rows: dict) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    lines_of: dict[str, int] = {}  # shard name -> its number of lines, to point past the end
    names = []
    if folder.is_symlink() or (os.path.lexists(folder) and not folder.is_dir()):
        problems.append(_problem(folder, "not a folder: the index keeps its shards in folders"))
    elif folder.is_dir():
        names = sorted(os.listdir(folder))
    for name in names:
        path = folder / name
        if is_temp_name(name):
            continue
        if not SHARD_NAME.fullmatch(name):
            problems.append(_problem(path, f"{escape_controls(name)!r} is not a shard of the index "
                                     "(two lowercase hex digits and .tsv)"))
            continue
        try:
            data = read_bytes_safely(path, corpus_dir)
            listed = parse_shard(data)
        except FileRefused as refused:
            problems.append(_problem(path, f"cannot read the shard: {refused.code}: {refused.message}"))
            continue
        except UnicodeDecodeError as exc:
            problems.append(_problem(path, f"cannot read the shard: not UTF-8 ({exc.reason})"))
            continue
        lines_of[name] = data.count(b"\n") + 1
        if data.split(b"\n", 1)[0] != HEADER.encode():
            problems.append(_problem(path, f"the first line is not the header {HEADER!r}"))
        for line, fields in listed:
            problems += _check_row(path, name, line, fields, family, rows, seen)
    for ident in sorted(set(rows) - seen):
        name = shard_of(rows[ident].key(family))
        problems.append(_problem(folder / name, f"document {escape_controls(ident)!r} is missing from the index",
                                 lines_of.get(name, 1)))
    return problems


def _check_row(path: Path, name: str, line: int, fields: list[str], family: str, rows: dict,
               seen: set[str]) -> list[Problem]:
    ident = fields[0]
    shown = escape_controls(ident)
    if ident in seen:
        return [_problem(path, f"{shown!r} is listed twice in {family}/", line)]
    seen.add(ident)
    expected = rows.get(ident)
    if expected is None:
        return [_problem(path, f"{shown!r} is listed but is not a document of the corpus", line)]
    right = shard_of(expected.key(family))
    if right != name:
        return [_problem(path, f"the row of {shown!r} is in the wrong shard: its {family} sha256 puts it in "
                         f"{family}/{right}", line)]
    if fields != expected.line().split("\t"):
        return [_problem(path, f"the row of {shown!r} differs from its document.yaml: "
                         f"{escape_controls(expected.line())!r}", line)]
    return []
