"""What the session produced as the feedback loop's records: per-test results, failures, findings.

pytest's report objects become records here, in the plugin, and nowhere else: the feedback
loop receives typed records (`apytest.feedback.records`) and never imports pytest. The reports
are the ones the plugin gathers at session end from what pytest's terminal reporter
kept (under xdist the controller's, which holds every worker's reports), already classified:
the feedback loop collects nothing itself while tests run, and a green run pays only for one
pass over the results.

Failures keep where to look (the deepest frame inside the project), where the exception was
raised (maybe in a third-party package), the exception type and message, and excerpts of the
traceback and captured output, each redacted before it is cut (a cut could split a secret so
that no pattern finds it).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from apytest.common.names import FAILING, WORST_FIRST
from apytest.feedback.records import Failure, LintFinding, TestResult, one_per_test
from apytest.feedback.redact import redact, redact_nodeid, redact_together
from apytest.plugin.session_reports import Tested, longreprtext

if TYPE_CHECKING:  # the engine is loaded only when the session linted
    from apytest.lint.api import Finding

TRACEBACK_LINES = 60
OUTPUT_CHARS = 4000

# Strings, compiled by `re` on first use: a green run never needs them.
_EXCEPTION = r"^((?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)):(?:\s|$)"
_FRAME = r"^(\S+\.py):(\d+)(?::|$)|^File \"(.+\.py)\", line (\d+)"  # pytest's, Python's
_THIRD_PARTY = ("site-packages", "dist-packages")


def records(
    tests: Sequence[Tested],
    collect_errors: Sequence[pytest.CollectReport],
    rootdir: Path,
    collect_skips: Sequence[pytest.CollectReport] = (),
) -> tuple[tuple[TestResult, ...], tuple[Failure, ...]]:
    """The session's results and failures: each test report with its outcome (passing setups
    and teardowns have none), the collection errors, and the modules skipped at collection."""
    # Under xdist each worker may report the same module's collection error: stored once.
    errors = {(r.nodeid, longreprtext(r)): r for r in collect_errors}
    failing: list[pytest.TestReport | pytest.CollectReport] = [
        *errors.values(),
        *(report for report, outcome, _ in tests if outcome in FAILING),
    ]
    # A module that failed to collect counts as an errored result, as in pytest's summary.
    errored = [TestResult(nodeid, "error") for nodeid in dict.fromkeys(n for n, _ in errors)]
    # A module skipped at collection counts as a skipped result, as in pytest's summary.
    skipped = [
        TestResult(nodeid, "skipped") for nodeid in dict.fromkeys(r.nodeid for r in collect_skips)
    ]
    return (*errored, *skipped, *results(tests)), tuple(failures(failing, rootdir))


def reruns(attempts: Iterable[pytest.TestReport]) -> dict[str, int]:
    """How many failed attempts pytest-rerunfailures ran again, by test (node ids redacted as
    the results' are)."""
    counted = Counter(attempt.nodeid for attempt in attempts)
    return {_stored(nodeid): count for nodeid, count in counted.items()}


def lint_findings(findings: Iterable[Finding]) -> tuple[LintFinding, ...]:
    """The `--apytest-lint` findings as records, each part printable on one line as the
    session's terminal showed it (a file name may hold a newline or an escape sequence)."""
    from apytest.lint.api import printable

    return tuple(
        LintFinding(printable(f.path), f.line, f.col, f.code, printable(f.message))
        for f in findings
    )


def results(tests: Iterable[Tested]) -> Sequence[TestResult]:
    """One result per test: its worst outcome over the phases, and its call duration; tests
    whose node ids redact alike are one result (`one_per_test`)."""
    outcomes: dict[str, str] = {}
    durations: dict[str, float] = {}
    for report, outcome, nodeid in tests:
        known = outcomes.get(nodeid)
        if known is None or WORST_FIRST.index(outcome) < WORST_FIRST.index(known):
            outcomes[nodeid] = outcome
        if report.when == "call":
            durations[nodeid] = report.duration
    # `_make` builds the tuple without the class's own `__new__` (a third cheaper at each
    # session end).
    make = TestResult._make
    return one_per_test(
        [
            make((_stored(nodeid), outcome, durations.get(nodeid, 0.0)))
            for nodeid, outcome in outcomes.items()
        ]
    )


def _stored(nodeid: str) -> str:
    """A node id as the memory stores it: its parameters redacted (one without parameters, most
    of them, needs no call to the redactor)."""
    return nodeid if "[" not in nodeid else redact_nodeid(nodeid)


def exception_type(message: str) -> str:
    """`ValueError` of `ValueError: bad`, `socket.gaierror` of ...; "" for `assert x == y`."""
    match = re.match(_EXCEPTION, message)
    if match is None:
        return ""
    last = match.group(2)
    return match.group(1) if last[0].isupper() or "error" in last or last == "timeout" else ""


def _relative(path: str, rootdir: Path) -> str | None:
    """`path` relative to rootdir, None when it is outside it or inside an installed package."""
    if any(part in path for part in _THIRD_PARTY):
        return None
    candidate = Path(path)
    if not candidate.is_absolute():
        candidate = Path.cwd() / candidate
    try:
        relative = candidate.resolve().relative_to(rootdir.resolve())
    except (ValueError, OSError):
        return None
    return relative.as_posix() if candidate.is_file() else None  # not `<frozen os>`


def _frames(report: pytest.TestReport | pytest.CollectReport) -> list[tuple[str, int]]:
    """(path, line) of each traceback entry, outermost first (both kinds of longrepr)."""
    chain = getattr(report.longrepr, "chain", None)
    if chain:
        entries = getattr(chain[-1][0], "reprentries", [])
        return [
            (entry.reprfileloc.path, entry.reprfileloc.lineno)
            for entry in entries
            if getattr(entry, "reprfileloc", None) is not None
        ]
    return [
        (match.group(1) or match.group(3), int(match.group(2) or match.group(4)))
        for line in longreprtext(report).splitlines()
        if (match := re.match(_FRAME, line.strip()))
    ]


def _message(
    report: pytest.TestReport | pytest.CollectReport, text: str, crash_message: str
) -> tuple[str, str, int]:
    """The exception message and where it was raised when pytest knows, from the report's
    redacted `text` and `crash_message`."""
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return crash_message.split("\n", 1)[0], str(crash.path), int(crash.lineno)
    lines = [line for line in text.splitlines() if line.strip()]
    raised = [line[1:].strip() for line in lines if line.startswith("E ")]
    if not raised and lines and lines[0].startswith("Traceback (most recent call last)"):
        raised = [lines[-1].strip()]  # Python's own format: the exception is the last line
    return (raised[0] if raised else lines[0] if lines else ""), "", 0


def failure(
    report: pytest.TestReport | pytest.CollectReport, relative: Callable[[str], str | None]
) -> Failure:
    """The failure record of a failed report (a test phase, or the collection of a module):
    its texts redacted together (a value a key gives away in one is masked in all), then cut.
    `relative` is `_relative` for the session's rootdir."""
    crash = getattr(report.longrepr, "reprcrash", None)
    text, output, crash_message = redact_together(
        longreprtext(report),
        "\n".join(f"--- {title} ---\n{content}" for title, content in report.sections),
        "" if crash is None else str(crash.message),
    )
    message, crash_path, crash_line = _message(report, text, crash_message)
    inside = [(rel, line) for path, line in _frames(report) if (rel := relative(path))]
    path, line = inside[-1] if inside else ("", 0)
    if not crash_path and inside:
        crash_path, crash_line = path, line
    return Failure(
        nodeid=redact_nodeid(report.nodeid),
        when=getattr(report, "when", "collect"),
        exc_type=exception_type(message),
        message=message,
        path=redact(path),
        line=line,
        crash_path=redact(crash_path),
        crash_line=crash_line,
        traceback="\n".join(text.splitlines()[-TRACEBACK_LINES:]),
        output=output[-OUTPUT_CHARS:],
    )


def failures(
    reports: Iterable[pytest.TestReport | pytest.CollectReport], rootdir: Path
) -> list[Failure]:
    """Failure records of failed reports: test phases (a strict xpass is one too; an xfail is
    a skipped report) and collectors."""
    # Each file once (its path resolved, its existence checked): the failures of one module
    # share the paths of their frames.
    relative = functools.cache(functools.partial(_relative, rootdir=rootdir))
    return [failure(report, relative) for report in reports]
