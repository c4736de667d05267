"""The checksum manifest of a built dataset folder.

The manifest `SHA256SUMS` lists the sha256 of every file a build wrote, in
the format of GNU `sha256sum` (`<hex>  <path>`, paths relative to the dataset
folder, sorted), so `sha256sum -c SHA256SUMS` checks a download with no
Python at all.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from ..errors import NotFoundError, UsageError
from ..format.atomic import atomic_write

__all__ = [
    "MANIFEST_FILE",
    "file_sha256",
    "listing",
    "write_manifest",
    "read_manifest",
    "verify_manifest",
]

MANIFEST_FILE = "SHA256SUMS"
_LINE = re.compile(r"^(?P<sha>[0-9a-f]{64}) [ *](?P<path>.+)$")
_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path, skip: frozenset[str] = frozenset()) -> list[str]:
    """Relative POSIX paths of the regular files under `root`, dot-files and dot-folders skipped, sorted."""
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            rel = Path(folder, name).relative_to(root).as_posix()
            if rel not in skip:
                out.append(rel)
    return sorted(out)


def listing(root: Path, skip: frozenset[str] = frozenset()) -> str:
    """`sha256sum` output for every file under `root` (except `skip`), one `<hex>  <path>` line each."""
    root = Path(root)
    if not root.is_dir():
        raise NotFoundError(f"{root}: no such folder")
    return "".join(f"{file_sha256(root / rel)}  {rel}\n" for rel in _files(root, skip))


def write_manifest(dataset_dir: Path) -> Path:
    """Write `SHA256SUMS` listing every file of the dataset folder (but itself); return its path."""
    dataset_dir = Path(dataset_dir)
    path = dataset_dir / MANIFEST_FILE
    atomic_write(path, listing(dataset_dir, skip=frozenset({MANIFEST_FILE})))
    return path


def read_manifest(dataset_dir: Path) -> dict[str, str]:
    """The manifest as {relative path: sha256}."""
    path = Path(dataset_dir) / MANIFEST_FILE
    if not path.is_file():
        raise NotFoundError(f"{path}: no manifest")
    entries = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = _LINE.match(line)
        if not m:
            raise UsageError(f"{path}:{number}: not a sha256sum line")
        entries[m["path"]] = m["sha"]
    return entries


def verify_manifest(dataset_dir: Path) -> list[tuple[str, str]]:
    """Differences between the folder and its manifest as (path, 'changed'|'missing'|'unlisted'); [] if none."""
    dataset_dir = Path(dataset_dir)
    listed = read_manifest(dataset_dir)
    present = set(_files(dataset_dir, skip=frozenset({MANIFEST_FILE})))
    problems = []
    for rel, sha in sorted(listed.items()):
        if rel not in present:
            problems.append((rel, "missing"))
        elif file_sha256(dataset_dir / rel) != sha:
            problems.append((rel, "changed"))
    problems += [(rel, "unlisted") for rel in sorted(present - set(listed))]
    return problems
