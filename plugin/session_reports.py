"""The session's reports, read once at its end instead of one hook call per report.

pytest's terminal reporter keeps every report it is handed, by category, in `stats` (its
summary needs them; under xdist the controller's holds every worker's reports). Reading them at
session end costs the plugin nothing while tests run: a `pytest_runtest_logreport` hook of its
own would make pluggy call it three times per test, for a suite of small tests most of what
the plugin cost. Only without the terminal reporter (`-p no:terminal`) does a `Collector` keep
the reports instead.
"""

import math
import weakref
from collections.abc import Mapping, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

import pytest

from apytest.common.names import RERUN
from apytest.plugin.outcomes import classify

if TYPE_CHECKING:
    from _pytest._code.code import ExceptionChainRepr, ReprExceptionInfo

    LongRepr = ExceptionChainRepr | ReprExceptionInfo

Stats = Mapping[str, Sequence[object]]
Report = pytest.TestReport | pytest.CollectReport

# The terminal reporter's category of passing setups and teardowns (two thirds of all
# reports); `classify` would find no outcome in any of them.
_NO_OUTCOME = ""
# Categories of subtests (pytest 9's `subtests` fixture, the pytest-subtests plugin) that
# pytest's summary counts apart from the tests: "2 passed, 6 subtests passed". A failing or
# skipped subtest is in the "failed" or "skipped" category, and counted there by pytest too.
_SUBTESTS = "subtests "


Tested = tuple[pytest.TestReport, str, str]
"""A test report with an outcome (`outcomes.classify`) and its node id: read once here, for
pytest 9 makes `report.nodeid` a property that builds the string on each read, and the metrics,
the run log and the result records each need it."""


class SessionReports(NamedTuple):
    """What the session's reports say, in the forms the metrics, the log and the review use."""

    tests: list[Tested]
    """Each test report with an outcome, in the order they finished."""
    collect_errors: list[pytest.CollectReport]
    """Modules (or other collectors) that failed to collect, as pytest counts them (under
    xdist a module may be reported by several workers), then the session's own errors: an
    internal error, a conftest that could not be loaded (see `session_error`)."""
    collect_skips: list[pytest.CollectReport]
    """Modules skipped as a whole while collected (`pytest.importorskip` or a module-level
    `pytest.skip`): each is one "skipped" in pytest's summary, as xdist's controller reports
    it (once per module)."""
    reruns: Sequence[pytest.TestReport] = ()
    """The failed attempts pytest-rerunfailures ran again (`RERUN`), in the order they
    finished: the test's outcome is its last attempt's."""


class Collector:
    """Keeps the reports when no terminal reporter does, in a `stats` of one category."""

    def __init__(self) -> None:
        self.reports: list[object] = []
        self.stats: Stats = {"all": self.reports}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.reports.append(report)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        self.reports.append(report)


def stats_of(config: pytest.Config) -> Stats:
    """The terminal reporter's `stats`, or a registered Collector's when there is none.

    Called at session start, when every plugin is configured.
    """
    stats = getattr(config.pluginmanager.get_plugin("terminalreporter"), "stats", None)
    if isinstance(stats, dict):
        return stats
    collector = Collector()
    config.pluginmanager.register(collector, "apytest-reports")
    return collector.stats


# Each failed report's rendered traceback, by the report's identity (pytest 9's SubtestReport
# is a dataclass, which cannot be hashed), and only while the report lives.
_TEXTS: dict[int, tuple["weakref.ref[Report]", str]] = {}


def longreprtext(report: Report) -> str:
    """`report.longreprtext`, rendered once: pytest renders the whole traceback again on each
    read, and the run log and the failure records both read it (a report does not change once
    pytest has reported it)."""
    key = id(report)
    kept = _TEXTS.get(key)
    if kept is not None and kept[0]() is report:
        return kept[1]
    text = report.longreprtext

    def forget(_: object) -> None:
        """The entry goes with its report, before another object can take the report's id."""
        _TEXTS.pop(key, None)

    _TEXTS[key] = (weakref.ref(report, forget), text)
    return text


_STOP = attrgetter("stop")
"""When a report's phase ended, read in C: the sort key of every test report."""


def finished(report: pytest.TestReport) -> float:
    """When the phase ended; last for a report made without times (a crashed xdist worker's)."""
    return report.stop or math.inf


def _in_finishing_order(reports: list[pytest.TestReport]) -> None:
    """Sort `reports` by when their phases ended, those made without times (`stop` 0: a
    crashed xdist worker's) last, each group in arrival order.

    By `stop` itself, compared in C, when every report carries a number (a Python key function
    per report cost a session of 3,000 tests a millisecond); the reports without times are then
    the first ones (times are positive) and move to the end."""
    try:
        ordered = sorted(reports, key=_STOP)
    except TypeError:  # a plugin's report whose `stop` is None
        reports.sort(key=finished)
        return
    untimed = 0
    while untimed < len(ordered) and not ordered[untimed].stop:
        untimed += 1
    reports[:] = [*ordered[untimed:], *ordered[:untimed]]


def session_error(nodeid: str, longrepr: "str | LongRepr", phase: str) -> pytest.CollectReport:
    """A failed report for an error pytest reports outside any test: an internal error
    (`phase` "session"), or a conftest that could not be imported before the session began
    (`phase` "collect"). As a report, it is counted, logged and reviewed like a collection error.
    """
    return pytest.CollectReport(nodeid, "failed", longrepr, [], when=phase)


def gather(stats: Stats, session_errors: Sequence[pytest.CollectReport] = ()) -> SessionReports:
    """The test reports in the order they finished, each classified once, the collection
    errors followed by `session_errors`, and the modules skipped at collection."""
    reports: list[pytest.TestReport] = []
    collect_errors: list[pytest.CollectReport] = []
    collect_skips: list[pytest.CollectReport] = []
    reruns: list[pytest.TestReport] = []
    for category, kept in stats.items():
        if category == _NO_OUTCOME or category.startswith(_SUBTESTS):
            continue
        if category == RERUN:
            reruns += (r for r in kept if isinstance(r, pytest.TestReport))
            continue
        for report in kept:  # warnings and deselected items are in `stats` too
            if isinstance(report, pytest.TestReport):
                reports.append(report)
            elif isinstance(report, pytest.CollectReport):
                if report.failed:
                    collect_errors.append(report)
                elif report.skipped:
                    collect_skips.append(report)
    # The categories are each in arrival order; merged by when each phase ended.
    _in_finishing_order(reports)
    tests = [
        (report, outcome, report.nodeid)
        for report in reports
        if (outcome := classify(report)) is not None
    ]
    _in_finishing_order(reruns)
    return SessionReports(tests, [*collect_errors, *session_errors], collect_skips, reruns)
