"""Locks for read-modify-write: one akhbar writer at a time in a corpus.

`fcntl.flock` on the corpus folder itself (opened read-only): no lock file
is ever created, so nothing appears in the corpus or in git, and the kernel
drops the lock when its holder dies, so a killed writer never leaves one
behind. The corpus folder is never replaced (document folders are: `revise`
swaps them), so every writer locks the same inode. One lock for the corpus
rather than one per document: writes take seconds at most, and a writer that
spans documents (ingest and import check the id, the seed and the index)
needs the whole corpus anyway.

A second writer waits up to `timeout` seconds (default `LOCK_TIMEOUT`, or the
environment's `AKHBAR_LOCK_TIMEOUT`) and then refuses with `WriterBusy`
(exit status 2, code `writer-busy`), having written nothing. Who takes it:
`ingest` and `import` (`corpus_lock`) for the whole check-then-create;
`revise`, `fmt`, `annotate accept/reject` and `unmarkup` (`document_lock`,
the same lock, named after the document in the refusal) for the whole
read-validate-write; `build` for the whole build, so nothing changes between
its validation and its reading, and `hold_lock` on its output's parent folder
so that two builds to one `--out` take turns.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Iterator

from ..errors import AkhbarError
from .text import escape_controls

__all__ = ["LOCK_TIMEOUT", "WriterBusy", "hold_lock", "corpus_lock", "corpus_lock_if_present", "document_lock"]

LOCK_TIMEOUT = 30.0
_POLL = 0.05


class WriterBusy(AkhbarError):
    """Another akhbar process holds the lock; nothing was written."""

    code = "writer-busy"


def _timeout(timeout: float | None) -> float:
    if timeout is not None:
        return timeout
    try:
        return float(os.environ.get("AKHBAR_LOCK_TIMEOUT", LOCK_TIMEOUT))
    except ValueError:
        return LOCK_TIMEOUT


@contextmanager
def hold_lock(path: Path, what: str, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `path` (a folder, created if need be, or an existing file) for the block;
    `what` names it in the refusal."""
    path = Path(path)
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        deadline = time.monotonic() + _timeout(timeout)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
            if time.monotonic() >= deadline:
                raise WriterBusy(f"{escape_controls(what)}: writer-busy: another akhbar command is writing it "
                                 f"(lock {escape_controls(str(path))}); nothing was written, run it again when that one ends")
            time.sleep(_POLL)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def corpus_lock(corpus_dir: Path, timeout: float | None = None):
    """The corpus's write lock (creating documents: the id, the seed and the index must stay free)."""
    return hold_lock(Path(corpus_dir), f"corpus {corpus_dir}", timeout)


def corpus_lock_if_present(corpus_dir: Path, timeout: float | None = None):
    """`corpus_lock` where the corpus exists; none where it does not (for the caller's checks to report, not to create)."""
    return corpus_lock(corpus_dir, timeout) if Path(corpus_dir).is_dir() else nullcontext()


def document_lock(corpus_dir: Path, doc_id: str, timeout: float | None = None):
    """The write lock for document `corpus_dir/doc_id`: the corpus's lock, named after the document."""
    return hold_lock(Path(corpus_dir), f"document {doc_id}", timeout)
