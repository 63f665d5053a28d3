"""What the history says about this run: coverage, session time, slower tests, flaky tests.

Each function compares this run with the earlier runs of the same project and yields at most
what it finds. The thresholds are deliberately coarse (and, for coverage and session time, the
same as the alerts in `monitoring/pytest_rules.yml`, apart from the absolute floor of the
session rule, which a small suite could never reach): a suggestion that fires on noise teaches
people to ignore the section.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence

from apytest.common.names import FAILING
from apytest.common.run_kind import ran_its_tests
from apytest.feedback.records import History, PastRun, Run, Suggestion, TestResult

COVERAGE_RUNS = 5
COVERAGE_DROP = 1.0  # points below the best of the last COVERAGE_RUNS runs
SESSION_RUNS = 3  # earlier runs needed before session time is judged
SESSION_RATIO = 1.5
SESSION_MIN_INCREASE = 2.0  # seconds
TEST_RUNS = 3  # earlier passing runs needed before a test's time is judged
TEST_RATIO = 2.0
TEST_MIN_INCREASE = 0.5  # seconds
FLAKY_FLIPS = 2  # pass->fail or fail->pass changes within the window, this run included


def focus(results: Sequence[TestResult]) -> set[str]:
    """The tests of this run whose history can show a trend whatever happened before: failing
    now (flaky), or slow enough now to be `TEST_MIN_INCREASE` slower. Tests passing now are
    flaky only if they failed in the window, which the memory finds by itself."""
    return {r.nodeid for r in results if r.outcome in FAILING or r.duration >= TEST_MIN_INCREASE}


def _completed(history: History) -> list[PastRun]:
    """The earlier runs whose tests ran (`ran_its_tests`): the others stopped early."""
    return [run for run in history.runs if ran_its_tests(run.exit_status, run.outcomes)]


def coverage_drop(history: History, run: Run, coverage: float | None) -> Iterator[Suggestion]:
    # The cheap test first: `run.outcomes` counts every result.
    if coverage is None or not ran_its_tests(run.exit_status, run.outcomes):
        return
    completed = _completed(history)[-COVERAGE_RUNS:]
    earlier = [past.coverage for past in completed if past.coverage is not None]
    if not earlier or coverage >= max(earlier) - COVERAGE_DROP:
        return
    yield Suggestion(
        text=f"coverage fell to {coverage:.1f}% from {max(earlier):.1f}% (the best of the last "
        f"{len(earlier)} runs with coverage). Test the code added since, check which tests this "
        "run skipped, and enforce a floor with --cov-fail-under.",
        lesson="coverage-regression",
        signature="coverage-regression:drop",
        source="history",
    )


def slower_session(history: History, run: Run, duration: float) -> Iterator[Suggestion]:
    earlier = [past.duration for past in _completed(history)]
    if len(earlier) < SESSION_RUNS or not ran_its_tests(run.exit_status, run.outcomes):
        return
    mean = math.fsum(earlier) / len(earlier)
    if duration <= mean * SESSION_RATIO or duration - mean < SESSION_MIN_INCREASE:
        return
    yield Suggestion(
        text=f"the session took {duration:.1f}s, {duration / mean:.1f}x its average of "
        f"{mean:.1f}s over the last {len(earlier)} runs. Run with --durations=20 to find the "
        "slowest tests and setups; widen the scope of expensive read-only fixtures.",
        lesson="slow-suite",
        signature="slow-suite:session",
        source="history",
    )


def slower_tests(history: History, results: Sequence[TestResult]) -> Iterator[Suggestion]:
    if not history.durations:  # no test has earlier times to compare with (a green history)
        return
    for result in results:
        if result.outcome != "passed" or result.duration < TEST_MIN_INCREASE:
            continue  # too fast now to be TEST_MIN_INCREASE slower than usual
        earlier = history.durations.get(result.nodeid, ())
        if len(earlier) < TEST_RUNS:
            continue
        import statistics  # here: a run without a slow test never needs it (nor its imports)

        usual = statistics.median(earlier)
        if result.duration > usual * TEST_RATIO and result.duration - usual >= TEST_MIN_INCREASE:
            yield Suggestion(
                text=f"{result.nodeid} took {result.duration:.2f}s, {usual:.2f}s usually "
                f"(median of its last {len(earlier)} passing runs). Profile it (--durations, "
                "cProfile): look for real sleeps, network calls, or setup that grew.",
                lesson="slow-suite",
                signature="slow-suite:test",
                source="history",
                nodeid=result.nodeid,
            )


def _passed_or_failed(outcome: str) -> str | None:
    if outcome == "passed":
        return "P"
    return "F" if outcome in FAILING else None


def marks(outcomes: Sequence[str]) -> str:
    """`P`/`F` per passing/failing outcome, oldest first (skips and xfails leave no mark)."""
    return "".join(mark for mark in map(_passed_or_failed, outcomes) if mark)


def flips(seen: str) -> int:
    """How often a `marks` string changes between pass and fail."""
    return sum(a != b for a, b in itertools.pairwise(seen))


def flaky_tests(history: History, results: Sequence[TestResult]) -> Iterator[Suggestion]:
    if not history.outcomes:  # no test has earlier outcomes to flip from (a green history)
        return
    for result in results:
        now = _passed_or_failed(result.outcome)
        earlier = history.outcomes.get(result.nodeid, ())
        if now is None or not earlier:
            continue
        seen = marks(earlier) + now
        changes = flips(seen)
        if changes < FLAKY_FLIPS:
            continue
        yield Suggestion(
            text=f"{result.nodeid} flipped between pass and fail {changes} times in its last "
            f"{len(seen)} runs ({seen}, oldest first). Look for shared state (files, "
            "environment, order), unseeded randomness or timing; quarantine it with a marker "
            "while fixing.",
            lesson="flaky-tests",
            signature="flaky-tests:flips",
            source="history",
            nodeid=result.nodeid,
        )
