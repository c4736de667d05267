"""The corpus index `corpus/index.tsv`: one row per document, so ingest and import need not rescan the corpus.

    id<TAB>seed<TAB>seed_sha256<TAB>text_sha256

`seed` is the document's `source.file`, `seed_sha256` its `source.sha256`
(followed by `#` and `source.document` where one seed holds several
documents), `text_sha256` the sha256 of text version 1 (the text as it
entered the corpus; never changes). Rows follow a header line in any order:
`akhbar ingest` appends its row (one `write` of one line under the corpus
lock, so its cost does not grow with the corpus); `akhbar import` and
`akhbar import --rebuild-index` write the whole file sorted by id,
atomically. `akhbar validate` checks it against the documents, in any order
(`index-mismatch`: a row that differs, a row without a document, a document
without a row, an id listed twice). A corpus without the file (made before it
existed) gets it on the next ingest or import, from one scan of the corpus.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from .atomic import DiskFull, atomic_write
from .corpus import DOCUMENT_FILE, iter_document_dirs, parse_document

__all__ = ["INDEX_FILE", "HEADER", "IndexRow", "Index", "row_of", "load_index", "read_index_rows", "scan_index",
           "dumps_index", "rebuild_index", "row_of_dict", "lookup", "append_row"]

INDEX_FILE = "index.tsv"
HEADER = "id\tseed\tseed_sha256\ttext_sha256"


@dataclass(frozen=True)
class IndexRow:
    id: str
    seed: str
    seed_key: str  # sha256, or sha256#document where a seed holds several documents
    text_sha256: str

    def line(self) -> str:
        return f"{self.id}\t{self.seed}\t{self.seed_key}\t{self.text_sha256}"


def row_of(document) -> IndexRow:
    """The index row of a `Document`."""
    key = document.source.sha256 + (f"#{document.source.document}" if document.source.document else "")
    return IndexRow(document.id, document.source.file, key, document.versions[0].sha256)


def row_of_dict(data: dict) -> IndexRow | None:
    """The index row of a document.yaml dict, or None when it lacks a field (the validator reports that)."""
    try:
        source = data["source"]
        key = source["sha256"] + (f"#{source['document']}" if source.get("document") else "")
        return IndexRow(data["id"], source["file"], key, data["versions"][0]["sha256"])
    except (KeyError, IndexError, TypeError):
        return None


def dumps_index(rows) -> str:
    return "\n".join([HEADER, *(r.line() for r in sorted(rows, key=lambda r: r.id))]) + "\n"


def read_index_rows(path: Path) -> list[tuple[int, list[str]]]:
    """(line number, fields) of each row of an index file, header left out."""
    text = Path(path).read_bytes().decode("utf-8")
    lines = text.split("\n")
    return [(n, line.split("\t")) for n, line in enumerate(lines, start=1) if n > 1 and line]


class Index:
    """The rows of a corpus's index, by id, by text sha256 and by seed key."""

    def __init__(self, corpus_dir: Path, rows):
        self.path = Path(corpus_dir) / INDEX_FILE
        self.rows = {r.id: r for r in rows}
        self.by_text = {r.text_sha256: r.id for r in self.rows.values()}
        self.by_seed = {r.seed_key: r.id for r in self.rows.values()}

    def add(self, row: IndexRow) -> None:
        self.rows[row.id] = row
        self.by_text[row.text_sha256] = row.id
        self.by_seed[row.seed_key] = row.id

    def dumps(self) -> str:
        return dumps_index(self.rows.values())

    def write(self) -> None:
        atomic_write(self.path, self.dumps())


def scan_index(corpus_dir: Path) -> list[IndexRow]:
    """The rows of every document of a corpus, from its document.yaml files (one scan)."""
    rows = []
    for doc_dir in iter_document_dirs(corpus_dir):
        path = doc_dir / DOCUMENT_FILE
        if path.is_file():
            rows.append(row_of(parse_document(path.read_bytes())))
    return rows


def rebuild_index(corpus_dir: Path) -> Index:
    """Write corpus/index.tsv afresh from the documents (one scan) and return it."""
    index = Index(corpus_dir, scan_index(corpus_dir))
    index.write()
    return index


def lookup(data, value: str, column: int) -> str | None:
    """The id of the first row of an index file's bytes whose `column` (2: seed key, 3: text sha256) starts
    with `value` followed by the column's end (or, for a seed key, `#`). A byte search, no parse: what
    `akhbar ingest` needs to find a duplicate in a corpus of any size."""
    needle = f"\t{value}".encode()
    ends = (b"\n",) if column == 3 else (b"\t", b"#")
    pos = data.find(needle)
    while pos != -1:
        after = data[pos + len(needle) : pos + len(needle) + 1]
        line_start = data.rfind(b"\n", 0, pos) + 1
        fields_before = data[line_start:pos].count(b"\t")  # a slice: `data` may be an mmap, which has no count
        if after in ends and fields_before == column - 1 and line_start > 0:
            return data[line_start : data.find(b"\t", line_start)].decode()
        pos = data.find(needle, pos + 1)
    return None


def append_row(path: Path, data, row: IndexRow) -> None:
    """Append `row` to the index file `path` (whose bytes are `data`, already read under the corpus lock).

    One `write` of one line with O_APPEND, then fsync: the cost does not depend on
    the size of the file. Should the write fail or be cut short, the file is
    truncated back to its former length, so it never keeps half a row.
    """
    line = row.line().encode() + b"\n"
    if len(data) and data[-1:] != b"\n":  # `data` may be an mmap
        line = b"\n" + line  # a hand-edited file without its last newline
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0))
    try:
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
            os.fsync(fd)
        except BaseException as exc:
            os.ftruncate(fd, len(data))
            if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
                raise DiskFull(path, exc) from None
            raise
    finally:
        os.close(fd)


def load_index(corpus_dir: Path) -> Index:
    """The index of `corpus_dir`: its index.tsv, or a scan of the corpus where there is none yet."""
    corpus_dir = Path(corpus_dir)
    path = corpus_dir / INDEX_FILE
    if path.is_file():
        rows = [IndexRow(*fields) for _, fields in read_index_rows(path) if len(fields) == 4]
        return Index(corpus_dir, rows)
    if not corpus_dir.is_dir():
        return Index(corpus_dir, [])
    return Index(corpus_dir, scan_index(corpus_dir))
