"""The one safe-open rule: every file akhbar reads is a regular file, inside where it belongs, under the size cap.

A file is read only when all of these hold, checked in this order:

- it exists (`file-missing`, exit 2);
- its real path (symbolic links resolved) lies inside `root`, when a root is
  given: a link, a `../` or an absolute name cannot lead out of the corpus or
  the repository (`path-escapes-corpus`, exit 1);
- it is a regular file: a folder, a FIFO, a socket or a device such as
  `/dev/zero` is refused before it is opened, so nothing blocks and nothing
  streams forever (`file-unreadable`, exit 1);
- it has at most `max_bytes` bytes: the size is known before reading, and the
  read itself stops one byte past the cap should the file grow meanwhile
  (`file-too-large`, exit 1).

The file is opened with O_NOFOLLOW and O_NONBLOCK and checked again with
fstat on the open descriptor, so swapping in a link or a FIFO after the
checks does not help either. The codes are the validator's
(`validate/codes.py`), which reads through this module too.
"""

from __future__ import annotations

import errno
import mmap
import os
import stat
from pathlib import Path

from ..errors import AkhbarError
from .text import escape_controls

__all__ = ["MAX_FILE_BYTES", "FileRefused", "read_bytes_safely", "map_bytes_safely", "check_inside", "is_inside",
           "real_path_below"]

# The one size cap of every file in the format (texts, annotations, metadata, seeds): no news article
# needs more, and it keeps every reader safe on hostile input. validate/codes.py re-exports it.
MAX_FILE_BYTES = 16 * 1024 * 1024

_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_CHUNK = 1 << 20


class FileRefused(AkhbarError):
    """A file the safe-open rule will not read: `code` is a validator problem code, `path` the file."""

    def __init__(self, code: str, path, message: str):
        self.code, self.path, self.message = code, Path(path), message
        self.exit_status = 2 if code == "file-missing" else 1
        super().__init__(f"{escape_controls(str(path))}: {code}: {message}")


def is_inside(path: Path | str, root: Path | str) -> bool:
    """Whether the real path of `path` (links resolved) lies inside the real path of `root`."""
    return _inside(os.path.realpath(path), os.path.realpath(root))


def real_path_below(path: Path | str, root: Path | str | None, real_root: str | None) -> str:
    """`os.path.realpath(path)`, cheaply when the caller knows `real_root`, the real path of `root`.

    For a path written as `root/a/b` (no `.` or `..`), the real path is
    `real_root/a/b` unless `a` or `a/b` is a symbolic link: one lstat per
    name below `root` instead of one per name of the whole path (the
    validator reads four files per document, each under the same folder).
    Anything else (a link, a missing name, another spelling) goes through
    `os.path.realpath`.
    """
    if real_root is None or root is None:
        return os.path.realpath(path)
    spelled, top = os.fspath(path), os.fspath(root)
    if not spelled.startswith(top.rstrip(os.sep) + os.sep):
        return os.path.realpath(path)
    current = real_root
    for name in spelled[len(top.rstrip(os.sep)) + 1:].split(os.sep):
        if name in ("", ".", ".."):
            return os.path.realpath(path)
        current = os.path.join(current, name)
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return os.path.realpath(path)
        except OSError:
            return os.path.realpath(path)
    return current


def _inside(real: str, top: str) -> bool:
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def check_inside(path: Path | str, root: Path | str, what: str = "the corpus", real: str | None = None,
                 real_root: str | None = None) -> None:
    """Refuse (`path-escapes-corpus`) a `path` whose real path is outside `root` (real paths given when known)."""
    if not _inside(real or os.path.realpath(path), real_root or os.path.realpath(root)):
        raise FileRefused("path-escapes-corpus", path, f"leads outside {what} ({escape_controls(os.path.basename(str(root)) or str(root))}/): "
                          "a symbolic link, '..' or an absolute name")


def _refuse_kind(path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kind = ("a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    raise FileRefused("file-unreadable", path, f"is {kind}, not a regular file")


def _refuse_size(path, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileRefused("file-too-large", path, f"has {size} bytes or more, over the cap of {max_bytes}")


def _open_checked(path: Path, root, max_bytes: int, real_root: str | None) -> tuple[int, os.stat_result]:
    """An open descriptor of `path` and its fstat, after every check of the safe-open rule; the caller closes it."""
    path = Path(path)
    try:
        info = os.stat(path)  # follows links: the kind and size of what would be read
    except FileNotFoundError:
        raise FileRefused("file-missing", path, "no such file" + (" (a broken symbolic link)" if os.path.islink(path) else "")) from None
    except OSError as exc:
        raise FileRefused("file-unreadable", path, exc.strerror or str(exc)) from None
    real = real_path_below(path, root, real_root)  # resolved once: checked, then opened
    if root is not None:
        check_inside(path, root, real=real, real_root=real_root)
    _refuse_kind(path, info.st_mode)
    _refuse_size(path, info.st_size, max_bytes)
    try:
        fd = os.open(real, _FLAGS)
    except OSError as exc:
        code = "path-escapes-corpus" if exc.errno == errno.ELOOP else "file-unreadable"
        raise FileRefused(code, path, exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        _refuse_kind(path, info.st_mode)  # swapped for a FIFO or a device after the stat
        _refuse_size(path, info.st_size, max_bytes)
    except BaseException as exc:
        os.close(fd)
        if isinstance(exc, OSError):
            raise FileRefused("file-unreadable", path, exc.strerror or str(exc)) from None
        raise
    return fd, info


def read_bytes_safely(path: Path | str, root: Path | str | None = None, max_bytes: int = MAX_FILE_BYTES,
                      real_root: str | None = None) -> bytes:
    """The bytes of `path` under the safe-open rule (see the module docstring); raises `FileRefused`.

    `root` is the folder the file must stay inside (the corpus, a document
    folder, the repository); None for a file the user named on the command
    line, which is still refused when it is not a regular file or too large.
    `real_root`, when the caller has it, is `os.path.realpath(root)`: it
    saves resolving the whole path again for every file read.
    """
    if real_root is not None and root is not None:
        raw = _read_below(os.fspath(path), os.fspath(root), real_root, max_bytes)
        if raw is not None:
            return raw
    path = Path(path)
    fd, info = _open_checked(path, root, max_bytes, real_root)
    return _read_open(fd, info, path, max_bytes)


def _read_below(spelled: str, top: str, real_root: str, max_bytes: int) -> bytes | None:
    """The validator's fast path: `spelled` is `top/a/b`, no name of it a link, a regular file under the cap.

    One lstat per name below `top` (whose real path is known), then the same
    O_NOFOLLOW open and fstat as the full rule. Anything else (a link, a
    missing name, `..`, a FIFO, a file over the cap) returns None and goes
    through the full rule, which gives the precise refusal. Nothing that is not
    a regular file is opened here.
    """
    top = top.rstrip(os.sep)
    if not spelled.startswith(top + os.sep):
        return None
    current = real_root.rstrip(os.sep)
    for name in spelled[len(top) + 1:].split(os.sep):
        if name in ("", ".", ".."):
            return None
        current = current + os.sep + name
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            return None
        if stat.S_ISLNK(mode):
            return None
    if not stat.S_ISREG(mode):
        return None
    try:
        fd = os.open(current, _FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
    except OSError:
        os.close(fd)
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        os.close(fd)
        return None
    return _read_open(fd, info, spelled, max_bytes)


def _read_open(fd: int, info: os.stat_result, path, max_bytes: int) -> bytes:
    """Read an open, checked descriptor to its end (closing it), refusing a file that grew past the cap."""
    try:
        chunks, total = [], 0
        want = min(info.st_size, max_bytes) + 1  # the whole file in one read; the +1 sees it grow
        while total <= max_bytes:
            chunk = os.read(fd, want if not chunks else min(_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise FileRefused("file-unreadable", path, exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    _refuse_size(path, total, max_bytes)  # it grew past the cap while being read
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def map_bytes_safely(path: Path | str, root: Path | str | None = None, max_bytes: int = MAX_FILE_BYTES):
    """`path` mapped read-only (an `mmap`, or b"" for an empty file) under the same rule as `read_bytes_safely`.

    For a large file a caller only searches (the corpus index): the pages are
    the system's cache, nothing is copied, and a search touches memory at
    memchr speed. The caller closes the map.
    """
    path = Path(path)
    fd, info = _open_checked(path, root, max_bytes, None)
    try:
        return mmap.mmap(fd, 0, access=mmap.ACCESS_READ) if info.st_size else b""
    except (OSError, ValueError) as exc:
        raise FileRefused("file-unreadable", path, str(exc)) from None
    finally:
        os.close(fd)
