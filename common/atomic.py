"""Replacing a file so that no reader ever sees half of it.

The metrics file is read by a scraper at any moment, the lint cache and inventory by concurrent
runs, a fixed test file by the editor: each is written to a temporary file in the same folder
(same filesystem) and swapped in with `os.replace`. The temporary name starts with a dot and
ends in `.tmp`, so neither node_exporter (`*.prom`) nor pytest (`test_*.py`) picks it up.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

_NEW_FILE_MODE = 0o644


def write_atomically(
    path: Path, data: bytes | str, *, mode: int | None = None, durable: bool = False
) -> None:
    """Replace `path` by `data` (text is written as UTF-8) in one step.

    `mode` sets the permissions (default: those of the file replaced, else 0644; mkstemp alone
    would give 0600); `durable` waits for the disk before the swap, for files whose loss after
    a power cut would cost more than the wait.
    Raises OSError with nothing replaced; the temporary file is removed.
    """
    content = data.encode("utf-8") if isinstance(data, str) else data
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(content)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        if mode is None:
            try:
                mode = path.stat().st_mode & 0o7777
            except OSError:
                mode = _NEW_FILE_MODE
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
