"""Locks for read-modify-write: one writer at a time per document, and per corpus for what spans documents.

`fcntl.flock` on a lock file under `<corpus>/.akhbar-locks/` (a dot-folder:
the validator and the build skip it; `.gitignore` lists it). A lock file is
never deleted, so two writers always lock the same inode, and the kernel
drops a lock when its holder dies, so a killed writer never leaves one
behind. A document's lock file lives beside, not inside, the document
folder, because `revise` swaps that folder for a new one.

A second writer waits up to `timeout` seconds (default `LOCK_TIMEOUT`, or the
environment's `AKHBAR_LOCK_TIMEOUT`) and then refuses with `WriterBusy`
(exit status 2), having written nothing. Who takes which lock:

- `ingest` (and any command that creates documents): the corpus lock, for the
  whole check-then-create (the id is free, the seed is not already ingested);
- `revise`, `fmt`, `annotate accept/reject`, `markup --apply`: the document's lock,
  for the whole read-validate-write.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import AkhbarError
from .text import escape_controls

__all__ = ["LOCK_FOLDER", "LOCK_TIMEOUT", "WriterBusy", "hold_lock", "corpus_lock", "document_lock"]

LOCK_FOLDER = ".akhbar-locks"
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
    """Hold an exclusive lock on the file `path` (created if need be) for the block; `what` names it in the refusal."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o666)
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
    """The lock of a whole corpus (creating documents: the id and the seed must be free)."""
    return hold_lock(Path(corpus_dir) / LOCK_FOLDER / "corpus.lock", f"corpus {corpus_dir}", timeout)


def document_lock(corpus_dir: Path, doc_id: str, timeout: float | None = None):
    """The lock of one document `corpus_dir/doc_id` (an id is checked before: it cannot climb out)."""
    return hold_lock(Path(corpus_dir) / LOCK_FOLDER / f"{doc_id}.lock", f"document {doc_id}", timeout)
