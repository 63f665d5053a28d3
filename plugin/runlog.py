"""The run log: what a person reads when CI is red.

One record per reported outcome (a passing test is one line; a failure adds its message,
traceback and captured output, indented), between a header that says what ran where and a
footer with the totals. The file is truncated each session, or rotated keeping N earlier ones,
so it never grows forever. Failing records are flushed as they are written, so a run that is
killed still leaves the failures it got through; passing lines are buffered, since a write per
passing test would cost a suite of small tests more than the rest of the plugin.

Writing the log must never change a test outcome: the first OSError stops the log and is kept
in `error` for the session to report as a warning.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TextIO

import pytest

from apytest.plugin.outcomes import FAILING

_INDENT = "    "


def _rotate(path: Path, keep: int) -> None:
    for number in range(keep - 1, 0, -1):
        older = path.with_name(f"{path.name}.{number}")
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{number + 1}"))
    if path.exists():
        os.replace(path, path.with_name(f"{path.name}.1"))


def _indented(text: str, depth: int = 1) -> str:
    prefix = _INDENT * depth
    return "".join(f"{prefix}{line}\n" for line in text.rstrip("\n").splitlines())


def _reason(report: pytest.TestReport, outcome: str) -> str:
    if outcome in ("xfailed", "xpassed"):
        return str(getattr(report, "wasxfail", ""))
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):
        # A skip: (path, line, "Skipped: reason").
        return str(longrepr[2])
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None:
        return str(crash.message)
    return report.longreprtext.strip().splitlines()[-1] if report.longreprtext.strip() else ""


class RunLog:
    """An open run log; every method is a no-op once writing has failed."""

    def __init__(self, path: Path, keep: int) -> None:
        self.path = path
        self.error: str | None = None
        self._stream: TextIO | None = None
        self._stamp_second, self._stamp_text = -1, ""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if keep:
                _rotate(path, keep)
            self._stream = path.open("w", encoding="utf-8")
        except OSError as error:
            self.error = f"cannot write the run log {path}: {error}"

    def _write(self, text: str, flush: bool = False) -> None:
        if self._stream is None:
            return
        try:
            self._stream.write(text)
            if flush:
                self._stream.flush()
        except OSError as error:
            self.error = f"cannot write the run log {self.path}: {error}"
            self.close()

    def header(self, facts: Mapping[str, str]) -> None:
        lines = [f"=== pytest session started {time.strftime('%Y-%m-%d %H:%M:%S %z')} ===\n"]
        lines += [f"{key}: {value}\n" for key, value in facts.items()]
        self._write("".join(lines) + "\n")

    def _stamp(self) -> str:
        """The wall-clock time of day, formatted once per second rather than once per test."""
        now = int(time.time())
        if now != self._stamp_second:
            self._stamp_second, self._stamp_text = (
                now,
                time.strftime("%H:%M:%S", time.localtime(now)),
            )
        return self._stamp_text

    def record(self, report: pytest.TestReport, outcome: str) -> None:
        stamp = self._stamp()
        line = (
            f"{stamp} {outcome.upper():<8} {report.nodeid} [{report.when}] {report.duration:.3f}s\n"
        )
        if outcome in FAILING:
            parts = [line, f"{_INDENT}message:\n", _indented(_reason(report, outcome), 2)]
            parts += [f"{_INDENT}traceback:\n", _indented(report.longreprtext, 2)]
            for title, content in report.sections:
                parts += [f"{_INDENT}{title}:\n", _indented(content, 2)]
            self._write("".join(parts), flush=True)
            return
        if outcome != "passed":
            line += f"{_INDENT}reason: {_reason(report, outcome)}\n"
        self._write(line)

    def footer(self, totals: Iterable[tuple[str, int]], facts: Mapping[str, str]) -> None:
        counts = ", ".join(f"{count} {outcome}" for outcome, count in totals if count)
        lines = [f"\n=== pytest session finished: {counts or 'no tests ran'} ===\n"]
        lines += [f"{key}: {value}\n" for key, value in facts.items()]
        self._write("".join(lines))
        self.close()

    def close(self) -> None:
        if self._stream is not None:
            stream, self._stream = self._stream, None
            try:
                stream.close()
            except OSError as error:
                self.error = self.error or f"cannot write the run log {self.path}: {error}"
