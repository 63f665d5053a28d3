"""The run log: what a person reads when CI is red.

One record per reported outcome (a passing test is one line; a failure adds its message,
traceback and captured output, indented), between a header that says what ran where and a
footer with the totals. The file is truncated each session, or rotated keeping N earlier ones,
so it never grows forever.

The records are written at session end from the reports pytest kept (see `session_reports`),
in the order the phases finished, each stamped with the time it finished. A failure is also
written, and flushed, as soon as it happens (in the process that runs the tests, i.e. not under
xdist), so that a run killed outright still leaves the failures it got through; the complete
records replace those at session end (also after Ctrl-C, which pytest ends like a session).

Every record is redacted (`apytest.feedback.redact`) before it is written: the log is attached
to CI runs and archived like the corpus memory. A passing record is one line of apytest's own
words around a node id, whose only data are its parameters: those are read, as the memory reads
node ids, and a green session's log is not scanned line by line. Writing the log must never
change a test outcome: the first OSError stops the log and is kept in `error` for the session
to report as a warning.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

import pytest

from apytest.common import clock
from apytest.common.files import open_for_writing, require_replaceable
from apytest.common.names import FAILING, OUTCOMES, RERUN
from apytest.feedback.redact import redact, redact_with_nodeids
from apytest.plugin.session_reports import Report, Tested, finished, longreprtext

_INDENT = "    "
_LABELS = {outcome: f"{outcome.upper():<8}" for outcome in (*OUTCOMES, RERUN)}


def _rotate(path: Path, keep: int) -> None:
    """Shift `pytest.log.N` to `.N+1` and the log to `.1`. Sessions of one project running at
    once rotate the same files: one that another session moved away first (or that never
    was) is rotated already, no failure of this session's log."""
    for number in range(keep - 1, 0, -1):
        with contextlib.suppress(FileNotFoundError):
            os.replace(
                path.with_name(f"{path.name}.{number}"),
                path.with_name(f"{path.name}.{number + 1}"),
            )
    with contextlib.suppress(FileNotFoundError):
        os.replace(path, path.with_name(f"{path.name}.1"))


def _indented(text: str, depth: int = 1) -> str:
    prefix = _INDENT * depth
    return "".join(f"{prefix}{line}\n" for line in text.rstrip("\n").splitlines())


def _reason(report: Report, outcome: str) -> str:
    if outcome in ("xfailed", "xpassed"):
        return str(getattr(report, "wasxfail", ""))
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):
        # A skip: (path, line, "Skipped: reason").
        return str(longrepr[2])
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None:
        return str(crash.message)
    text = longreprtext(report).strip()
    # The last line of a traceback that has no crash entry, e.g. `E   ModuleNotFoundError: ...`
    return text.splitlines()[-1].removeprefix("E").strip() if text else ""


def _finished(record: Tested) -> float:
    return finished(record[0])


class RunLog:
    """An open run log; every method is a no-op once writing has failed."""

    def __init__(self, path: Path, keep: int) -> None:
        self.path = path
        self.error: str | None = None
        self._stream: TextIO | None = None
        self._stamp_second, self._stamp_text = -1, ""
        self._header = ""
        self._body = 0  # where the records start, after the header
        self.recreated = False
        """Whether a test deleted the log and it was written again at the session's end."""
        self._written: dict[int, tuple[Report, str, str]] = {}
        """The test failures written while the session ran, by the report's identity (pytest
        9's SubtestReport cannot be hashed), with their outcomes and records: their tracebacks
        are not rendered a second time at its end (a report does not change once pytest has
        reported it)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if keep:
                _rotate(path, keep)
            # A FIFO or device in its place is refused, never opened: the session would block
            # on a FIFO with no reader, and the records are rewritten in place at the end.
            require_replaceable(path)
            self._stream = open_for_writing(path)
        except OSError as error:
            self.error = self._problem(error)

    def _problem(self, error: OSError) -> str:
        return f"cannot write the run log {self.path}: {error}"

    def _write(self, text: str, flush: bool = False) -> None:
        if self._stream is None:
            return
        try:
            self._stream.write(text)
            if flush:
                self._stream.flush()
        except OSError as error:
            self._fail(error)

    def _fail(self, error: OSError) -> None:
        self.error = self._problem(error)
        self.close()

    def header(self, facts: Mapping[str, str]) -> None:
        title = f"=== pytest session started {time.strftime('%Y-%m-%d %H:%M:%S %z')} ===\n"
        # The facts are redacted (the arguments may hold a secret), not the title: its word
        # "session" would send it through every rule (and compile each) for nothing.
        facts_text = redact("".join(f"{key}: {value}\n" for key, value in facts.items()))
        self._header = f"{title}{facts_text}\n"
        self._write(self._header, flush=True)
        if self._stream is not None:
            self._body = self._stream.tell()

    def _reopen_if_deleted(self) -> None:
        """A test that deleted the log's folder (a suite that cleans up `logs/`) took the open
        file with it: the log is written again, header first. A log replaced by another file
        (a concurrent session's rotation) is that session's: left alone."""
        if self._stream is None or self.path.exists():
            return
        self.close()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._stream = open_for_writing(self.path)
        except OSError as error:
            self.error = self._problem(error)
            return
        self.recreated = True
        self._write(self._header)
        if self._stream is not None:
            self._body = self._stream.tell()

    def _line(self, report: Report, outcome: str, nodeid: str) -> str:
        """The first line of a record, the whole record of a passing test: stamped with the
        time of day the phase ended, formatted once per second rather than per test."""
        # A collection or session error has no times (nor has a crashed xdist worker's
        # report): stamped when written.
        stop, duration = getattr(report, "stop", 0.0), getattr(report, "duration", 0.0)
        second = int(stop or clock.wall())
        if second != self._stamp_second:
            self._stamp_second = second
            self._stamp_text = time.strftime("%H:%M:%S", time.localtime(second))
        return f"{self._stamp_text} {_LABELS[outcome]} {nodeid} [{report.when}] {duration:.3f}s\n"

    def _record(self, report: Report, outcome: str) -> str:
        line = self._line(report, outcome, report.nodeid)
        if outcome == "passed":
            return line
        if outcome in FAILING or outcome == RERUN:  # a rerun attempt failed: why, as a failure
            parts = [line, f"{_INDENT}message:\n", _indented(_reason(report, outcome), 2)]
            parts += [f"{_INDENT}traceback:\n", _indented(longreprtext(report), 2)]
            for title, content in report.sections:
                parts += [f"{_INDENT}{title}:\n", _indented(content, 2)]
            return "".join(parts)
        return f"{line}{_INDENT}reason: {_reason(report, outcome)}\n"

    def failure(self, report: Report, outcome: str) -> None:
        """Write one failing record now, while the session goes on."""
        record = self._record(report, outcome)
        if isinstance(report, pytest.TestReport):  # the others are stamped when written
            self._written[id(report)] = (report, outcome, record)
        self._write(redact(record), flush=True)

    def _final(self, report: Report, outcome: str) -> str:
        """The record of `report` at the session's end, as written before if it was."""
        written = self._written.get(id(report))
        if written and written[0] is report and written[1] == outcome:
            return written[2]
        return self._record(report, outcome)

    def records(
        self,
        tests: Iterable[Tested],
        errors: Sequence[pytest.CollectReport] = (),
        skips: Sequence[pytest.CollectReport] = (),
        reruns: Sequence[pytest.TestReport] = (),
    ) -> None:
        """Write every record of the session, in place of the failures written so far: the
        collection errors, the modules skipped at collection, the tests (each attempt that
        pytest-rerunfailures ran again, `reruns`, among them in the order they finished),
        then the errors of the session itself (`errors` with the phase "session")."""
        self._reopen_if_deleted()
        if self._stream is None:
            return
        try:
            self._stream.seek(self._body)
            self._stream.truncate()
        except OSError as error:
            self._fail(error)
            return
        records: list[tuple[Report, str, str]]
        records = [(r, "error", r.nodeid) for r in errors if r.when != "session"]
        records += [(r, "skipped", r.nodeid) for r in skips]
        if reruns:
            attempts: list[Tested] = [(report, RERUN, report.nodeid) for report in reruns]
            merged: Iterable[Tested] = heapq.merge(tests, attempts, key=_finished)
            records += merged
        else:
            records += tests
        records += [(r, "error", r.nodeid) for r in errors if r.when == "session"]
        # A passing record holds a node id and apytest's own words: only the node id's
        # parameters are read for secrets, as the memory stores node ids. Every other record is
        # read whole, and a value given away in one is masked in all.
        texts: list[str] = []
        passing: list[Report] = []
        passing_ids: list[str] = []
        for report, outcome, nodeid in records:  # one pass: a green session's are all passing
            if outcome == "passed":
                passing.append(report)
                passing_ids.append(nodeid)
            else:
                texts.append(self._final(report, outcome))
        redacted, nodeids = redact_with_nodeids(texts, passing_ids)
        line = self._line
        lines = [line(r, "passed", id_) for r, id_ in zip(passing, nodeids, strict=True)]
        if not texts:  # a green session
            self._write("".join(lines))
            return
        others, passed = iter(redacted), iter(lines)
        self._write("".join([next(passed if o == "passed" else others) for _, o, _ in records]))

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
                self.error = self.error or self._problem(error)
