"""All-or-nothing writing of many imported documents.

Each document is written, as soon as it is assembled and checked, into a
staging folder inside the corpus (a temporary name the validator ignores and
the next import removes, should a kill leave it) (so memory does not grow with the import).
Only when every source has been read without a fatal fault are the staged
folders renamed into place, the new seeds copied into `seeds/` and the index
rewritten, last (every shard into a staged folder swapped in for `corpus/.index`). On any failure, what was already placed is
removed again and the staging folder deleted: a failed import leaves the
corpus as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..errors import UsageError
from ..format.atomic import atomic_write, remove_stale_temps, temp_prefix
from ..format.canonical import dumps_annotations, dumps_document
from ..format.corpus import ANNOTATIONS_FILE, DOCUMENT_FILE, sha256_hex
from ..format.index import Index, row_of

__all__ = ["Stager"]


class Stager:
    """Documents staged under `corpus/.import.akhbar-<pid>-*.tmp/`, then placed all at once (`commit`) or dropped
    (`abort`). The name is the atomic temp-name pattern: the validator ignores it, and the next import (or any
    writer that sweeps the corpus folder) removes one a killed import left."""

    def __init__(self, corpus_dir: Path):
        self.corpus = Path(corpus_dir)
        self.staging: Path | None = None
        self.documents: list = []  # the index rows of the documents staged, in order (small)

    def stage(self, document, annotations, text: str) -> None:
        if self.staging is None:
            self.corpus.mkdir(parents=True, exist_ok=True)
            remove_stale_temps(self.corpus)  # a killed import's or ingest's staging folder
            self.staging = Path(tempfile.mkdtemp(prefix=temp_prefix("import"), suffix=".tmp", dir=self.corpus))
        folder = self.staging / document.id
        folder.mkdir()
        (folder / document.current.file).write_bytes(text.encode("utf-8"))
        (folder / DOCUMENT_FILE).write_bytes(dumps_document(document.to_dict()).encode("utf-8"))
        (folder / ANNOTATIONS_FILE).write_bytes(dumps_annotations(annotations.to_dict()).encode("utf-8"))
        self.documents.append(row_of(document))

    def abort(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None

    def commit(self, seeds: dict, index: Index) -> None:
        """Place every staged document, copy the new `seeds` ({target: (source path, sha256)}), rewrite the index.

        A source is read again to be copied; it must still have the sha256 it was imported with.
        """
        for d in self.documents:
            if (self.corpus / d.id).exists():
                raise UsageError(f"{self.corpus / d.id} exists already")
        for target, (source, sha) in seeds.items():
            if target.exists() and sha256_hex(target.read_bytes()) != sha:
                raise UsageError(f"{target} exists with different content; rename the source file")
        placed: list[Path] = []
        copied: list[Path] = []
        try:
            for target, (source, sha) in seeds.items():
                if not target.exists():
                    raw = Path(source).read_bytes()
                    if sha256_hex(raw) != sha:
                        raise UsageError(f"{source} changed during the import; nothing was written")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    atomic_write(target, raw)
                    copied.append(target)
            for d in self.documents:
                target = self.corpus / d.id
                (self.staging / d.id).rename(target)
                placed.append(target)
                index.add(d)
            index.write()
        except BaseException:
            for target in placed:
                shutil.rmtree(target, ignore_errors=True)
            for target in copied:
                target.unlink(missing_ok=True)
            raise
        finally:
            self.abort()
