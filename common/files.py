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
