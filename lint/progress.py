"""A progress line on a terminal for runs that take more than a moment; silent when piped."""

from __future__ import annotations

import time
from typing import TextIO

DELAY_SECONDS = 1.0
"""Runs shorter than this never show a progress line: on every save it would only flicker."""


class Progress:
    """Rewrites one stderr line with ``files done/total``, and erases it when done."""

    def __init__(self, stream: TextIO, delay: float = DELAY_SECONDS) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.delay = delay
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.started < self.delay:
            return
        self.shown = True
        self.stream.write(f"\rapytest-lint: {done}/{total} files")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
