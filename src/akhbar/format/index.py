"""The corpus index `corpus/.index/`: one row per document, so ingest and import need not rescan the corpus.

    id<TAB>seed<TAB>seed_sha256<TAB>text_sha256

`seed` is the document's `source.file`, `seed_sha256` its `source.sha256`
(followed by `#` and `source.document` where one seed holds several
documents), `text_sha256` the sha256 of text version 1 (the text as it
entered the corpus; never changes).

The rows are sharded by hash prefix, in two families, so that a duplicate is
found by reading one small file whatever the size of the corpus:

    corpus/.index/seed/<xx>.tsv   the rows whose seed sha256 starts with the hex digits xx
    corpus/.index/text/<xx>.tsv   the rows whose text sha256 starts with xx

Each row is in both families (the same line): 256 shards each, about 400
rows (70 kB) per shard at 100,000 documents. A shard is a header line and
rows in any order; a shard with no rows is not written. `akhbar ingest`
appends its row to its two shards (one `write` of one line each, under the
corpus lock); `akhbar import` and `akhbar import --rebuild-index` write the
whole folder, rows sorted by id, staged and swapped in at once. The folder's
name starts with "." so no reader takes it for a document. `akhbar validate`
checks it against the documents (`index-mismatch`). A corpus without it (made
before it existed, or with the single `corpus/index.tsv` of release 0.2.0,
`LEGACY_INDEX_FILE`) gets it on the next ingest or import, from one scan of
the corpus; the old file is then removed.
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .atomic import DiskFull, staged_folder
from .corpus import DOCUMENT_FILE, iter_document_dirs, parse_document
from .safe_open import check_inside, read_bytes_safely

__all__ = ["INDEX_DIR", "LEGACY_INDEX_FILE", "FAMILIES", "HEADER", "SHARD_NAME", "IndexRow", "Index", "row_of",
           "row_of_dict", "shard_of", "shard_path", "dumps_shards", "parse_shard", "load_index", "scan_index",
           "rebuild_index", "write_index", "read_shard", "has_index", "lookup", "append_row"]

INDEX_DIR = ".index"
LEGACY_INDEX_FILE = "index.tsv"  # the single-file index of release 0.2.0: converted on the next write
FAMILIES = ("seed", "text")  # the hash a family's shards are keyed by
PREFIX_DIGITS = 2  # 256 shards per family
SHARD_NAME = re.compile(r"^[0-9a-f]{2}\.tsv$")
HEADER = "id\tseed\tseed_sha256\ttext_sha256"


@dataclass(frozen=True, slots=True)  # one per document kept by validate: no __dict__
class IndexRow:
    id: str
    seed: str
    seed_key: str  # sha256, or sha256#document where a seed holds several documents
    text_sha256: str

    def line(self) -> str:
        return f"{self.id}\t{self.seed}\t{self.seed_key}\t{self.text_sha256}"

    def key(self, family: str) -> str:
        """The hash the row is filed under in `family`."""
        return self.seed_key if family == "seed" else self.text_sha256


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


def shard_of(hash_hex: str) -> str:
    """The shard file name of a hash (its first two hex digits): `3f.tsv`."""
    return f"{hash_hex[:PREFIX_DIGITS]}.tsv"


def shard_path(corpus_dir: Path, family: str, hash_hex: str) -> Path:
    return Path(corpus_dir) / INDEX_DIR / family / shard_of(hash_hex)


def dumps_shards(rows) -> dict[str, str]:
    """Every shard file of an index holding `rows`: {"seed/3f.tsv": text, ...}, rows sorted by id."""
    shards: dict[str, list[str]] = {}
    for row in sorted(rows, key=lambda r: r.id):
        for family in FAMILIES:
            shards.setdefault(f"{family}/{shard_of(row.key(family))}", []).append(row.line())
    return {name: "\n".join([HEADER, *lines]) + "\n" for name, lines in sorted(shards.items())}


def parse_shard(data: bytes) -> list[tuple[int, list[str]]]:
    """(line number, fields) of each row of a shard's bytes, header left out (UnicodeDecodeError if not UTF-8)."""
    lines = data.decode("utf-8").split("\n")
    return [(n, line.split("\t")) for n, line in enumerate(lines, start=1) if n > 1 and line]


class Index:
    """The rows of a corpus's index, by id, by text sha256 and by seed key."""

    def __init__(self, corpus_dir: Path, rows):
        self.corpus = Path(corpus_dir)
        self.path = self.corpus / INDEX_DIR
        self.rows = {r.id: r for r in rows}
        self.by_text = {r.text_sha256: r.id for r in self.rows.values()}
        self.by_seed = {r.seed_key: r.id for r in self.rows.values()}

    def add(self, row: IndexRow) -> None:
        self.rows[row.id] = row
        self.by_text[row.text_sha256] = row.id
        self.by_seed[row.seed_key] = row.id

    def write(self) -> None:
        write_index(self.corpus, self.rows.values())


def write_index(corpus_dir: Path, rows) -> None:
    """Write the whole index of `rows`: every shard into a staged folder swapped in for `corpus/.index` at once
    (all or nothing); then remove the single-file index of earlier releases, if any."""
    corpus_dir = Path(corpus_dir)
    target = corpus_dir / INDEX_DIR
    if os.path.islink(target) or (os.path.lexists(target) and not target.is_dir()):
        os.unlink(target)  # not an index folder (the validator says so): replaced, never followed
    with staged_folder(target, "index", sweep=False) as staging:
        for family in FAMILIES:
            (staging / family).mkdir()
        for name, text in dumps_shards(rows).items():
            _write_durably(staging / name, text.encode("utf-8"))
    legacy = corpus_dir / LEGACY_INDEX_FILE
    if os.path.lexists(legacy):
        os.unlink(legacy)


def _write_durably(path: Path, data: bytes) -> None:
    """A new file in a staged folder (no temporary name needed: the folder is swapped in whole)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        _write_line(fd, data, path)
        os.fsync(fd)
    finally:
        os.close(fd)


def scan_index(corpus_dir: Path) -> list[IndexRow]:
    """The rows of every document of a corpus, from its document.yaml files (one scan)."""
    rows = []
    for doc_dir in iter_document_dirs(corpus_dir):
        path = doc_dir / DOCUMENT_FILE
        if path.is_file():
            rows.append(row_of(parse_document(read_bytes_safely(path, doc_dir))))
    return rows


def rebuild_index(corpus_dir: Path) -> Index:
    """Write corpus/.index afresh from the documents (one scan) and return it."""
    index = Index(corpus_dir, scan_index(corpus_dir))
    index.write()
    return index


def read_shard(corpus_dir: Path, family: str, hash_hex: str) -> bytes:
    """The bytes of the shard holding `hash_hex` in `family` (b"" where there is none), read under the safe-open
    rule inside the corpus (FileRefused for a link out, a folder, a file over the cap)."""
    path = shard_path(corpus_dir, family, hash_hex)
    check_inside(path, corpus_dir)  # also where there is no shard yet: ingest then creates it there
    return read_bytes_safely(path, corpus_dir) if os.path.lexists(path) else b""


def has_index(corpus_dir: Path) -> bool:
    """Whether the corpus has a sharded index: `.index` is a folder (a link to one too: reading its shards then
    refuses it as outside the corpus). Anything else there is replaced by the next index written whole."""
    return os.path.isdir(Path(corpus_dir) / INDEX_DIR)


def lookup(data: bytes, value: str, column: int) -> str | None:
    """The id of the first row of a shard's bytes whose `column` (2: seed key, 3: text sha256) starts with
    `value` followed by the column's end (or, for a seed key, `#`). A byte search, no parse."""
    needle = f"\t{value}".encode()
    ends = (b"\n",) if column == 3 else (b"\t", b"#")
    pos = data.find(needle)
    while pos != -1:
        after = data[pos + len(needle) : pos + len(needle) + 1]
        line_start = data.rfind(b"\n", 0, pos) + 1
        fields_before = data[line_start:pos].count(b"\t")
        if after in ends and fields_before == column - 1 and line_start > 0:
            return data[line_start : data.find(b"\t", line_start)].decode()
        pos = data.find(needle, pos + 1)
    return None


def _write_line(fd: int, data: bytes, path: Path) -> None:
    written = os.write(fd, data)
    if written != len(data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def append_row(corpus_dir: Path, shards: dict[str, bytes], row: IndexRow) -> None:
    """Append `row` to its shard in each family; `shards` holds each family's shard bytes, already read under the
    corpus lock (b"" for a shard not yet written, which is then created with its header).

    One `write` of one line per shard with O_APPEND, then fsync: the cost does not depend on the size of the
    corpus. Should a write fail or be cut short, every shard is truncated back to its former length (a shard
    this call created is removed), so the index never keeps half a row, nor a row in one family only.
    """
    done: list[tuple[Path, int | None]] = []  # (shard, former length; None: created here)
    try:
        for family in FAMILIES:
            path = shard_path(corpus_dir, family, row.key(family))
            data = shards[family]
            line = row.line().encode() + b"\n"
            if data and data[-1:] != b"\n":
                line = b"\n" + line  # a hand-edited shard without its last newline
            created = not os.path.lexists(path)
            if created:
                path.parent.mkdir(parents=True, exist_ok=True)
                line = HEADER.encode() + b"\n" + line
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
            else:
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0))
            done.append((path, None if created else len(data)))
            try:
                _write_line(fd, line, path)
                os.fsync(fd)
            finally:
                os.close(fd)
    except BaseException as exc:
        for path, length in reversed(done):
            if length is None:
                Path(path).unlink(missing_ok=True)
            else:
                os.truncate(path, length)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            raise DiskFull(done[-1][0] if done else corpus_dir, exc) from None
        raise


def load_index(corpus_dir: Path) -> Index:
    """The whole index of `corpus_dir` (for a bulk import): its shards, or a scan of the corpus where it has no
    `.index` yet (a corpus from before it, with or without the single `index.tsv` of release 0.2.0)."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        return Index(corpus_dir, [])
    if not has_index(corpus_dir):
        return Index(corpus_dir, scan_index(corpus_dir))
    rows = []
    folder = corpus_dir / INDEX_DIR / FAMILIES[0]  # each family holds every row
    names = sorted(n for n in os.listdir(folder) if SHARD_NAME.fullmatch(n)) if folder.is_dir() else []
    for name in names:
        rows += [IndexRow(*fields) for _, fields in parse_shard(read_bytes_safely(folder / name, corpus_dir))
                 if len(fields) == 4]
    return Index(corpus_dir, rows)
