"""Reading a file that may be hostile: only a regular file, only up to a limit.

Opening a FIFO for reading blocks until a writer appears (forever, for a linter), and a
symlink to `/dev/zero` never ends; a file far larger than any real one would be read, decoded
and parsed whole. So a file is opened without blocking, checked to be a regular file on the
open descriptor (no window to swap it), and read up to `limit` bytes at most.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import TextIO

_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is ("a FIFO", "a socket"...), for messages."""
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Raises OSError (its strerror a short phrase) for anything else: not a regular file (never
    read, and a FIFO never blocks), larger than `limit`, or the usual read errors.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(
                errno.EINVAL, f"not a regular file ({file_kind(info.st_mode)}): not read", str(path)
            )
        if info.st_size > limit:
            raise OSError(errno.EFBIG, _too_large(limit), str(path))
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # grew while being read
                raise OSError(errno.EFBIG, _too_large(limit), str(path))
        return b"".join(chunks)
    finally:
        os.close(fd)


def _too_large(limit: int) -> str:
    return f"larger than {limit / 2**20:g} MiB ({limit} bytes): not read"


def is_file(path: Path) -> bool:
    """``Path.is_file``, but False (not PermissionError) inside a folder we may not search."""
    try:
        return path.is_file()
    except OSError:
        return False


def is_dir(path: Path) -> bool:
    """``Path.is_dir``, but False (not PermissionError) inside a folder we may not search."""
    try:
        return path.is_dir()
    except OSError:
        return False


class NotAFileOutput(OSError):
    """An output path that names a FIFO, device, socket or folder: a usage error (exit 2)."""


def require_replaceable(path: Path) -> None:
    """Raise NotAFileOutput (a short strerror) unless `path` is absent or a regular file.

    For an output that is replaced whole with `write_atomically`: that never opens the target,
    so it cannot block on a FIFO, but it would swap a FIFO, device or socket the user named for
    a plain file; such a path is refused instead.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise NotAFileOutput(
            errno.EINVAL, f"not a regular file ({file_kind(mode)}): not written", str(path)
        )


def open_for_writing(path: Path) -> TextIO:
    """Open a report stream for writing (UTF-8 text), never blocking on the open.

    A regular file is truncated; a device (``/dev/null``) or a FIFO that has a reader is written
    as a stream. A FIFO with no reader would block the open until one comes (forever, in CI):
    it is refused with OSError, as is a folder.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as error:
        if error.errno != errno.ENXIO:
            raise
        raise OSError(errno.ENXIO, "a FIFO with no reader: not written", str(path)) from None
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            os.ftruncate(fd, 0)
        os.set_blocking(fd, True)
        # A character UTF-8 cannot encode (a lone surrogate: see `text`) is written escaped.
        return os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace")
    except BaseException:
        os.close(fd)
        raise
