"""The session's numbers, carried over from the previous file, as a Prometheus registry.

Counters and the histogram must be real Prometheus counters: a session starts from the values
already in the file, so `rate()` and `increase()` see every failure and every test duration
across sessions (deleting the file is a counter reset, which Prometheus handles). Everything
else describes one session and is a gauge.

The families are built here and written by `textformat` (never through the client library's
global registry, which belongs to the code under test): no `_created` series, no sample
timestamps (node_exporter's textfile collector rejects files that carry them).

Series of *other* projects found in the file are kept unchanged, so several suites may share one
file as well as one textfile folder: their `project` labels keep them apart.
"""

import bisect
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from operator import itemgetter, sub
from types import MappingProxyType
from typing import NamedTuple

import pytest

from apytest.common.names import (
    COVERAGE,
    DURATION,
    EXIT_STATUS,
    FAILING,
    FAILURES,
    LAST_RUN,
    LAST_SUCCESS,
    OUTCOMES,
    RERUN,
    SESSION_DURATION,
    SESSION_TESTS,
)
from apytest.common.run_kind import ran_its_tests
from apytest.plugin.session_reports import Tested
from apytest.plugin.textfile import Unusable
from apytest.plugin.textformat import Family, Sample, format_value, parse

# Call-phase durations, from a millisecond to five minutes.
BUCKETS: tuple[float, ...] = (
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
    30.0,
    60.0,
    120.0,
    300.0,
    math.inf,
)
# Bucket labels as the exposition format writes them (Go float formatting).
_LE = tuple(map(format_value, BUCKETS))
_OUTCOME = itemgetter(1)
"""A `Tested` entry's outcome, read in C."""

# Family name (as the TYPE line writes it) -> (type, help).
FAMILIES: dict[str, tuple[str, str]] = {
    DURATION: ("histogram", "Call-phase duration of each test, across sessions."),
    FAILURES: ("counter", "Failed or errored tests, across sessions."),
    SESSION_DURATION: ("gauge", "Wall time of the last session."),
    COVERAGE: ("gauge", "Total coverage of the last session, as pytest-cov reported it."),
    SESSION_TESTS: ("gauge", "Tests of the last session by outcome."),
    LAST_RUN: ("gauge", "Unix time the last session finished."),
    LAST_SUCCESS: ("gauge", "Unix time the last session with exit status 0 finished."),
    EXIT_STATUS: ("gauge", "Exit status of the last session."),
}


# Gauges that only compare with sessions of the same kind, and the labels that say which
# (see `run_kind`): coverage by scope, session time by scope, xdist workers and whether
# coverage was measured (pytest-cov's tracing slows a suite down). Each series is the last
# session of its kind; at most 2 and 4 x (distinct worker counts) series per project.
KIND_LABELS: dict[str, tuple[str, ...]] = {
    COVERAGE: ("scope",),
    SESSION_DURATION: ("scope", "workers", "cov"),
}


class CorruptMetrics(Unusable):
    """The previous file cannot be continued from: not the text format, or not our families."""


class SessionStats(NamedTuple):
    """What the controller has seen of this session's reports."""

    outcomes: Counter[str]
    failed_tests: set[str]
    """Node ids: a test failing in call and again in teardown is one failed test; a module
    that failed to collect is one too (once, however many xdist workers reported it)."""
    bucket_counts: list[int]
    duration_sum: float

    @classmethod
    def of(
        cls,
        tests: Sequence[Tested],
        errors: Sequence[pytest.CollectReport] = (),
        skips: Sequence[pytest.CollectReport] = (),
        reruns: Sequence[pytest.TestReport] = (),
    ) -> "SessionStats":
        """Count the test reports with their outcomes, each of the collection and session
        `errors` as one error, each module skipped at collection (`skips`) as one skip, and the
        attempts pytest-rerunfailures ran again as `rerun`, as pytest's summary line does (the
        metrics file writes the six outcomes of OUTCOMES; a rerun attempt is no test)."""
        durations = [report.duration for report, _, _ in tests if report.when == "call"]
        # Sorted once, each bucket's upper bound finds how many durations it holds (a test
        # of exactly a bound counts in its bucket, as `le` says): a search per bucket, not
        # per test.
        ordered = sorted(durations)
        held = [bisect.bisect_right(ordered, bound) for bound in BUCKETS]
        buckets = [held[0], *map(sub, held[1:], held)]
        outcomes = Counter(map(_OUTCOME, tests))
        if errors:
            outcomes["error"] += len(errors)
        if skips:
            outcomes["skipped"] += len(skips)
        if reruns:
            outcomes[RERUN] = len(reruns)
        return cls(
            outcomes=outcomes,
            failed_tests={nodeid for _, outcome, nodeid in tests if outcome in FAILING}
            | {report.nodeid for report in errors},
            bucket_counts=buckets,
            duration_sum=sum(durations),
        )


class Previous(NamedTuple):
    """The values this project's counters and histogram reached in earlier sessions."""

    failures: float = 0.0
    buckets: tuple[float, ...] = (0.0,) * len(BUCKETS)
    duration_sum: float = 0.0
    last_success: float | None = None
    others: Mapping[str, list[Sample]] = MappingProxyType({})
    kinds: tuple[Sample, ...] = ()
    """This project's samples of the families kept per kind of run (`KIND_LABELS`)."""


def _checked(value: float, what: str) -> float:
    if not math.isfinite(value) or value < 0:
        raise CorruptMetrics(f"{what} is {value}")
    return value


def parse_previous(text: str, project: str) -> Previous:
    """Read the counters to continue from, and the other projects' series to keep.

    Raises CorruptMetrics when the text is not the exposition format or our families have
    another type; a histogram written with other buckets restarts from zero (a counter reset).
    """
    failures, duration_sum, last_success = 0.0, 0.0, None
    buckets: dict[str, float] = {}
    others: dict[str, list[Sample]] = {}
    kinds: list[Sample] = []
    try:
        families = parse(text)
    except ValueError as error:
        raise CorruptMetrics(f"not the Prometheus text format ({error})") from None
    for family in families:
        expected = FAMILIES.get(family.name)
        if expected is None:
            continue
        if family.kind != expected[0]:
            raise CorruptMetrics(f"{family.name} is a {family.kind}")
        for sample in family.samples:
            if sample.labels.get("project") != project:
                others.setdefault(family.name, []).append(sample)
            elif sample.name == FAILURES:
                failures = _checked(sample.value, sample.name)
            elif sample.name == f"{DURATION}_bucket":
                buckets[sample.labels.get("le", "")] = _checked(sample.value, sample.name)
            elif sample.name == f"{DURATION}_sum":
                duration_sum = _checked(sample.value, sample.name)
            elif sample.name == LAST_SUCCESS:
                last_success = sample.value
            elif sample.name in KIND_LABELS and sample.labels.keys() >= {*KIND_LABELS[sample.name]}:
                kinds.append(sample)  # series of before a label was added are dropped
    if set(buckets) != set(_LE):
        return Previous(failures, last_success=last_success, others=others, kinds=tuple(kinds))
    return Previous(
        failures, tuple(buckets[le] for le in _LE), duration_sum, last_success, others, tuple(kinds)
    )


class Session(NamedTuple):
    """The per-session facts that are not counted from reports."""

    project: str
    duration: float
    exit_status: int
    finished_at: float
    coverage: float | None
    kind: Mapping[str, str]
    """The labels of this kind of run (`run_kind.RunKind.labels`)."""


def build_families(
    stats: SessionStats, previous: Previous, session: Session, *, others: bool
) -> list[Family]:
    """This project's series, the counters and the histogram continued from `previous`.

    With `others`, also the other projects' series found in `previous`: the file holds them all,
    while a push sends only ours (its grouping key names our project).
    """
    labels = {"project": session.project}
    families = {name: Family(name, kind, doc, []) for name, (kind, doc) in FAMILIES.items()}

    def add(family: str, value: float, name: str = "", **extra: str) -> None:
        families[family].samples.append(Sample(name or family, {**labels, **extra}, value))

    cumulative = 0.0
    for le, before, now in zip(_LE, previous.buckets, stats.bucket_counts, strict=True):
        cumulative += now
        add(DURATION, before + cumulative, f"{DURATION}_bucket", le=le)
    add(DURATION, previous.duration_sum + stats.duration_sum, f"{DURATION}_sum")
    add(DURATION, previous.buckets[-1] + cumulative, f"{DURATION}_count")
    add(FAILURES, previous.failures + len(stats.failed_tests))
    kind = {
        name: {label: session.kind[label] for label in labels}
        for name, labels in KIND_LABELS.items()
    }
    written: set[str] = set()
    if ran_its_tests(session.exit_status, stats.outcomes):  # else it compares with nothing
        add(SESSION_DURATION, session.duration, **kind[SESSION_DURATION])
        written.add(SESSION_DURATION)
        if session.coverage is not None:
            add(COVERAGE, session.coverage, **kind[COVERAGE])
            written.add(COVERAGE)
    for sample in previous.kinds:  # the last session of every other kind stays, and of this
        # kind too where this session wrote nothing (no coverage measured, stopped early)
        ours = all(sample.labels.get(k) == v for k, v in kind[sample.name].items())
        if not ours or sample.name not in written:
            families[sample.name].samples.append(sample)
    for outcome in OUTCOMES:
        add(SESSION_TESTS, stats.outcomes[outcome], outcome=outcome)
    add(LAST_RUN, session.finished_at)
    last_success = session.finished_at if session.exit_status == 0 else previous.last_success
    if last_success is not None:
        add(LAST_SUCCESS, last_success)
    add(EXIT_STATUS, session.exit_status)

    for name, samples in previous.others.items() if others else ():
        families[name].samples.extend(samples)
    return [family for family in families.values() if family.samples]
