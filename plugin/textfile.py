"""Read-merge-write of a textfile under a lock, replaced atomically.

node_exporter's textfile collector reads `*.prom` whenever it is scraped, so a reader must never
see half a file: the new content goes to a temporary file in the same folder (same filesystem)
and `os.replace` swaps it in. Two sessions finishing together must both count, so the whole
read-merge-write runs under an exclusive lock. Neither the temporary file nor the lock file ends
in `.prom`, or the collector would read them.
"""

from __future__ import annotations

import contextlib
import glob
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from apytest.common.atomic import write_atomically
from apytest.common.files import read_regular

# Readable by a node_exporter running as another user; mkstemp alone would give 0600.
_MODE = 0o644
MAX_BYTES = 64 * 1024 * 1024
"""A metrics file larger than this is not one apytest wrote (or has grown without bound): it is
set aside like any other unusable file rather than read into memory."""


class Unusable(ValueError):
    """Raised by a merge function that cannot build on the existing content."""


def lock_file(path: Path) -> Path:
    """Hidden, like the temporary files: `.pytest_metrics.prom.lock`. It stays (removing a lock
    file another session may hold open would let two sessions lock different files)."""
    return path.with_name(f".{path.name}.lock")


def own_files(path: Path) -> tuple[str, ...]:
    """Glob patterns of every file `update` may leave beside `path`, for a `.gitignore`."""
    return (path.name, f".{path.name}.*", f"{path.name}.corrupt-*")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    lock_path = lock_file(path)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, _MODE)
    try:
        if sys.platform == "win32":  # pragma: no cover - POSIX CI
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        # Closing the descriptor releases the lock.
        os.close(fd)


def _read(path: Path) -> str:
    try:
        return read_regular(path, MAX_BYTES).decode("utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as error:
        raise Unusable(f"unreadable ({error})") from None


def _temporary_files(path: Path) -> str:
    """The glob of `write_atomically`'s temporary files for `path`."""
    return f".{glob.escape(path.name)}.*.tmp"


def _remove_stale_temporary_files(path: Path) -> None:
    """Delete what killed sessions left behind. Only the holder of the lock writes a temporary
    file, and this runs under the lock: every one found now belongs to a dead writer."""
    for stale in path.parent.glob(_temporary_files(path)):
        with contextlib.suppress(OSError):
            stale.unlink()


def _aside_name(path: Path) -> Path:
    """`<name>.corrupt-<time>`, with `-2`, `-3`, ... when that name is taken (two files set
    aside within one second must not overwrite each other)."""
    base = f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}"
    aside = path.with_name(base)
    number = 1
    while aside.exists() or aside.is_symlink():
        number += 1
        aside = path.with_name(f"{base}-{number}")
    return aside


def update(path: Path, merge: Callable[[str], str]) -> tuple[Path, str] | None:
    """Replace `path` by `merge(current text)` ("" when missing), under the lock.

    When the current file is unreadable or `merge` raises Unusable, the file is kept aside
    (renamed, not deleted: it may be evidence) and the merge starts from "" instead. Returns
    (where the old file went, why) in that case, else None. OSError means nothing was written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        _remove_stale_temporary_files(path)
        try:
            text = merge(_read(path))
            set_aside = None
        except Unusable as error:
            aside = _aside_name(path)
            os.replace(path, aside)
            set_aside = (aside, str(error))
            text = merge("")
        write_atomically(path, text, mode=_MODE, durable=True)
    return set_aside
