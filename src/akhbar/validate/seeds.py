"""The seed check: the file named in `source` exists inside the repository and has its recorded sha256.

One seed may hold thousands of imported documents (a CoNLL-U file): the last
large seed read is kept, with its sha256, so it is read and hashed once per
run, not once per document. Small seeds (one article each) are not kept.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..format.corpus import sha256_hex
from .files import Sink, Structured, usable
from .report import Finding

__all__ = ["check_seed"]


def check_seed(doc: Structured, doc_path: Path, root: Path, sink: Sink) -> bytes | None:
    """The seed named in `source` exists and matches its sha256; returns its bytes (for the bidi allowance)."""
    if not usable("/source", doc) or "/source/file" in doc.broken:
        return None
    source = doc.data["source"]
    seed_path = os.path.join(root, source["file"])
    cached = _seed_cache_get(seed_path)
    if cached is not None:  # one seed read and hashed once, however many documents it holds
        sink.read += 1
        sha, raw = cached
        if sha != source["sha256"]:
            sink.add(doc_path, [Finding("seed-sha256-mismatch", f"{source['file']} has sha256 {sha[:12]}…, "
                                        f"recorded {source['sha256'][:12]}…", pointer="/source/sha256")])
            return None
        return raw
    raw, problem = sink.read_file(seed_path, root)  # the seeds folder may not lead out of the repository
    if problem is not None:
        code = "seed-missing" if problem.code == "file-missing" else problem.code
        sink.add(doc_path, [problem._replace(code=code, message=f"seed {source['file']}: {problem.message}",
                                             pointer="/source/file")])
        return None
    sha = sha256_hex(raw)
    if sha != source["sha256"]:
        sink.add(doc_path, [Finding("seed-sha256-mismatch", f"{source['file']} has sha256 {sha[:12]}…, "
                                    f"recorded {source['sha256'][:12]}…", pointer="/source/sha256")])
        return None
    _seed_cache_put(seed_path, sha, raw)
    return raw


_SEED_CACHE: dict = {}


def _seed_key(path: Path):
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (str(path), info.st_size, info.st_mtime_ns, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def _seed_cache_get(path: Path):
    if not _SEED_CACHE or next(iter(_SEED_CACHE))[0] != str(path):  # one entry: most seeds are never looked up
        return None
    key = _seed_key(path)
    return _SEED_CACHE.get(key) if key is not None else None


def _seed_cache_put(path: Path, sha: str, raw: bytes) -> None:
    key = _seed_key(path) if len(raw) > 1 << 16 else None  # only seeds big enough to hold many documents
    if key is not None:
        _SEED_CACHE.clear()  # one at a time: imports come file by file
        _SEED_CACHE[key] = (sha, raw)
