"""Atomic files and folders: a reader sees the old version or the new one, never a half-written one.

The one place for writing in place: `atomic_write` for a file;
`staged_folder` / `replace_folder` for a whole folder (a document folder, a
dataset build, an export); `FolderMark` and `require_replaceable` for the one
rule that says whether an existing folder is ours to replace.

A folder is swapped in with one Linux `renameat2(RENAME_EXCHANGE)` where the
system has it; elsewhere with two renames, the first undone should the second
fail, so the target is as it was after any error. A kill between those two
renames leaves the old folder at `.<name>.akhbar-old`: the next write of that
folder (`recover_folder`, called by `staged_folder`) puts it back first.

Every temporary file or folder the tool makes is named `.<name>.akhbar-<pid>-<random>.tmp`
(`is_temp_name`): the validator ignores such names, and `remove_stale_temps`
deletes those whose process is gone, so a killed `fmt` or `revise` never
leaves a corpus invalid. A full disk (ENOSPC, EDQUOT, EFBIG) is `DiskFull`:
one coded line and exit status 2, the target left as it was.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import AkhbarError, UsageError
from .text import escape_controls

__all__ = ["atomic_write", "atomic_write_chunks", "exchange_folders", "replace_folder", "staged_folder", "FolderMark", "is_ours",
           "require_replaceable", "require_outside_data", "DiskFull", "is_temp_name", "remove_stale_temps", "recover_folder", "temp_prefix"]

_TEMP_NAME = re.compile(r"^\..*\.akhbar-([0-9]+)-[A-Za-z0-9_]+\.tmp$")
_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


class DiskFull(AkhbarError):
    """No room left to write `path` (ENOSPC, EDQUOT, EFBIG); nothing was replaced."""

    code = "disk-full"

    def __init__(self, path, exc: OSError):
        self.path = Path(path)
        super().__init__(f"{escape_controls(str(path))}: disk-full: {exc.strerror or exc}; nothing was replaced "
                         "(free some space and run the command again)")


def _full(exc: BaseException) -> bool:
    if isinstance(exc, shutil.Error):  # copytree gathers its errors
        return any(isinstance(a, tuple) and len(a) == 3 and any(str(e) in a[2] for e in _FULL_TEXTS) for a in exc.args[0])
    return isinstance(exc, OSError) and exc.errno in _FULL


_FULL_TEXTS = tuple(os.strerror(e) for e in _FULL)


def temp_prefix(name: str) -> str:
    """The start of a temporary name for `name` made by this process (`.<name>.akhbar-<pid>-`)."""
    return f".{name}.akhbar-{os.getpid()}-"


def is_temp_name(name: str) -> bool:
    """Whether `name` is one of the tool's own temporary files or folders (the validator ignores them)."""
    return _TEMP_NAME.fullmatch(name) is not None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or a pid we cannot check: leave its files alone
    return True


def remove_stale_temps(folder: Path) -> list[str]:
    """Delete the tool's temporary files and folders in `folder` whose process has ended; returns their names."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP_NAME.fullmatch(entry.name)
        if m is None or _alive(int(m.group(1))):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(entry.name)
        except FileNotFoundError:
            pass
        except OSError:
            pass  # another cleaner, or no permission: it stays ignored by the validator
    return removed


def _aside(target: Path) -> Path:
    return target.with_name(f".{target.name}.akhbar-old")


def recover_folder(target: Path) -> None:
    """Finish a folder swap that a kill interrupted: restore `target` from its aside copy, or drop the copy."""
    target = Path(target)
    aside = _aside(target)
    if not os.path.lexists(aside):
        return
    if not os.path.lexists(target):
        os.rename(aside, target)
    else:
        shutil.rmtree(aside, ignore_errors=True)


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
    atomic_write_chunks(path, (data,))


def atomic_write_chunks(path: Path, chunks: Iterable[bytes | str]) -> None:
    """`atomic_write` of the concatenation of `chunks`, written as they come: a large file is never held whole."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name), suffix=".tmp", dir=path.parent)
    except OSError as exc:
        if _full(exc):
            raise DiskFull(path, exc) from None
        raise
    try:
        os.fchmod(fd, _default_mode(path, 0o666))  # mkstemp makes the file 0600
        with os.fdopen(fd, "wb") as f:
            for data in chunks:
                _write_all(f, data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if _full(exc):
            raise DiskFull(path, exc) from None
        raise


def _write_all(f, data: bytes) -> None:
    """The one place file contents are written (tests patch it to simulate a full disk)."""
    f.write(data)


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
    aside = _aside(target)  # a fixed name: a kill after the first rename is undone by the next recover_folder
    shutil.rmtree(aside, ignore_errors=True)
    os.rename(target, aside)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


@contextmanager
def staged_folder(target: Path, purpose: str, copy: bool = False, create_only: bool = False,
                  sweep: bool = True) -> Iterator[Path]:
    """A folder beside `target` to fill; when the block ends without error it replaces `target` (`replace_folder`).

    With `copy`, it starts as a copy of `target`; else empty. `create_only` is
    `replace_folder`'s: the block makes a new folder, never replaces one. On any error it
    is removed and `target` is left as it was. It gets `target`'s mode (a new
    folder the mode a plain mkdir() would give). With `sweep` (the default) the
    stale temporary names in `target`'s parent are removed first; `akhbar ingest`
    leaves that to the bulk writers, since listing a corpus folder of many
    documents would make each ingest grow with the corpus.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_folder(target)
    if sweep:
        remove_stale_temps(target.parent)
    try:
        staging = Path(tempfile.mkdtemp(prefix=temp_prefix(f"{target.name}.{purpose}"), suffix=".tmp", dir=target.parent))
    except OSError as exc:
        if _full(exc):
            raise DiskFull(target, exc) from None
        raise
    try:
        if copy:
            remove_stale_temps(target)
            shutil.copytree(target, staging, dirs_exist_ok=True,
                            ignore=lambda _d, names: [n for n in names if is_temp_name(n)])
        os.chmod(staging, _default_mode(target, 0o777))  # mkdtemp makes it 0700
        yield staging
        replace_folder(staging, target, create_only)
    except (OSError, shutil.Error) as exc:
        if _full(exc):
            raise DiskFull(target, exc) from None
        raise
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


def require_outside_data(out: Path, corpus_dir: Path) -> None:
    """Refuse (UsageError) an output folder inside the corpus or the repository's seeds, or one holding the corpus:
    a build or an export there would make the corpus invalid, or replace it."""
    out, corpus_dir = Path(out), Path(corpus_dir)
    real_out = os.path.realpath(out)
    for folder in (corpus_dir, corpus_dir.resolve().parent / "seeds"):
        real = os.path.realpath(folder)
        if real_out == real or real_out.startswith(real.rstrip(os.sep) + os.sep) or real.startswith(real_out.rstrip(os.sep) + os.sep):
            raise UsageError(f"{escape_controls(str(out))}: is inside (or holds) {escape_controls(str(folder))}; "
                             "write the output elsewhere")


def require_replaceable(folder: Path, mark: FolderMark) -> None:
    """Refuse (UsageError) to replace `folder` unless it is absent, an empty folder, or carries `mark`."""
    folder = Path(folder)
    if folder.exists() and not (folder.is_dir() and (not any(folder.iterdir()) or is_ours(folder, mark))):
        raise UsageError(f"{folder}: exists and is not an {mark.what}; choose a new folder or remove it")
