"""Atomic files and folders: a reader sees the old version or the new one, never a half-written one.

The one place for writing in place: `atomic_write` for a file;
`staged_folder` / `replace_folder` for a whole folder (a document folder, a
dataset build, an export); `FolderMark` and `require_replaceable` for the one
rule that says whether an existing folder is ours to replace.

A folder is swapped in with one Linux `renameat2(RENAME_EXCHANGE)` where the
system has it; elsewhere with two renames, the first undone should the second
fail, so the target is as it was after any error.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import UsageError

__all__ = ["atomic_write", "exchange_folders", "replace_folder", "staged_folder", "FolderMark", "is_ours",
           "require_replaceable"]


def _default_mode(path: Path, default: int) -> int:
    """The mode of the existing `path`, else `default` less the umask (what a plain open()/mkdir() gives)."""
    try:
        return os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return default & ~umask


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    The file keeps the mode of the file it replaces (a new file gets the mode
    a plain open() would). An interruption leaves at most a `.tmp` file, which
    is removed on any error.
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _default_mode(path, 0o666))  # mkstemp makes the file 0600
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange_folders(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # no glibc >= 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):  # kernel or filesystem without it
        return False
    raise OSError(err, os.strerror(err), str(b))


def replace_folder(new: Path, target: Path, create_only: bool = False) -> None:
    """Put the complete folder `new` at `target`; the previous `target`, if any, is removed once `new` is in place.

    One atomic exchange where the system has it. Otherwise two renames: should
    the second fail, the first is undone, so `target` is as it was. With
    `create_only`, `target` must not exist (an OSError if it appeared meanwhile
    with content): a plain rename, never a replacement.
    """
    new, target = Path(new), Path(target)
    if create_only or not target.exists():
        os.rename(new, target)
        return
    if exchange_folders(new, target):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the old folder
        return
    aside = new.with_name(new.name + ".old")
    os.rename(target, aside)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


@contextmanager
def staged_folder(target: Path, purpose: str, copy: bool = False, create_only: bool = False) -> Iterator[Path]:
    """A folder beside `target` to fill; when the block ends without error it replaces `target` (`replace_folder`).

    With `copy`, it starts as a copy of `target`; else empty. `create_only` is
    `replace_folder`'s: the block makes a new folder, never replaces one. On any error it
    is removed and `target` is left as it was. It gets `target`'s mode (a new
    folder the mode a plain mkdir() would give).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.{purpose}-", dir=target.parent))
    try:
        if copy:
            shutil.copytree(target, staging, dirs_exist_ok=True)
        os.chmod(staging, _default_mode(target, 0o777))  # mkdtemp makes it 0700
        yield staging
        replace_folder(staging, target, create_only)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@dataclass(frozen=True)
class FolderMark:
    """How a folder akhbar writes says it is ours: its file `file` contains `text` (in its first 64 KiB).

    `what` names the writer in messages ("akhbar build").
    """

    file: str
    text: str
    what: str


def is_ours(folder: Path, mark: FolderMark) -> bool:
    """Whether `folder` carries `mark`."""
    path = Path(folder) / mark.file
    if not path.is_file():
        return False
    with open(path, encoding="utf-8", errors="replace") as f:
        return mark.text in f.read(1 << 16)


def require_replaceable(folder: Path, mark: FolderMark) -> None:
    """Refuse (UsageError) to replace `folder` unless it is absent, an empty folder, or carries `mark`."""
    folder = Path(folder)
    if folder.exists() and not (folder.is_dir() and (not any(folder.iterdir()) or is_ours(folder, mark))):
        raise UsageError(f"{folder}: exists and is not an {mark.what}; choose a new folder or remove it")
