"""The feedback loop's data: what a run looked like, what history says, what to do about it.

Immutable typed records, so that the orchestrator is a pure function of them, the store can
write and read them, and the plugin (which knows pytest) and the CLI (which knows the store)
can both build them. Nothing here (nor anywhere in `feedback/`) imports pytest or the plugin:
the plugin turns pytest's reports into these records (`plugin/session_records.py`).

They are named tuples, not frozen dataclasses: the plugin loads this module at the end of every
session, and on Python 3.11 a frozen dataclass compiles six methods when its class is created.
These 14 classes took 60 million instructions (10 ms, a fifth of what the plugin cost a green
run of 3,000 tests) as dataclasses, about a tenth of that as named tuples.
"""

import time
from collections import Counter
from collections.abc import Mapping, Sequence
from operator import attrgetter
from types import MappingProxyType
from typing import Any, NamedTuple

from apytest.common.lessons import reference
from apytest.common.names import WORST_FIRST

EMPTY: Mapping[str, Any] = MappingProxyType({})
"""The default of a mapping field: read-only, so that one object can serve every record."""


def iso(timestamp: float) -> str:
    """A Unix time as ISO 8601 in UTC, the form JSON output and the inventory show."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))


class TestResult(NamedTuple):
    """One test's outcome in one run; `duration` is its call phase in seconds (0 if none)."""

    nodeid: str
    outcome: str
    duration: float = 0.0


# Not a pytest test class, whatever its name (a named tuple's body may hold only its fields).
TestResult.__test__ = False  # type: ignore[attr-defined]
_OUTCOME = attrgetter("outcome")
_NODEID = attrgetter("nodeid")


def _rank(outcome: str) -> int:
    return WORST_FIRST.index(outcome) if outcome in WORST_FIRST else len(WORST_FIRST)


def one_per_test(results: Sequence[TestResult]) -> Sequence[TestResult]:
    """`results` with one per node id, `results` itself when they have that already.

    Redaction can give two tests one node id: `test_x[ghp_...]` and `test_x[ghp_...]` with two
    tokens are both `test_x[[REDACTED]]`. They become one result of the worse outcome
    (`WORST_FIRST`) and the longer duration; the memory keeps one result per node id and run.
    """
    if len(set(map(_NODEID, results))) == len(results):  # in C: the usual case
        return results
    merged: dict[str, TestResult] = {}
    for result in results:
        known = merged.get(result.nodeid)
        if known is not None:
            worse = min(known.outcome, result.outcome, key=_rank)
            result = result._replace(outcome=worse, duration=max(known.duration, result.duration))
        merged[result.nodeid] = result
    return list(merged.values())


class Failure(NamedTuple):
    """One failed or errored phase (`when`: collect, setup, call, teardown) of one node.

    `path`/`line` is the deepest frame inside the project (where to look), `crash_path`/
    `crash_line` where the exception was raised (maybe inside a third-party package). Texts
    are already redacted and cut to an excerpt.
    """

    nodeid: str
    when: str
    exc_type: str
    message: str
    path: str = ""
    line: int = 0
    crash_path: str = ""
    crash_line: int = 0
    traceback: str = ""
    output: str = ""

    @property
    def location(self) -> str:
        """Where a person should look: `path:line`, else the node id."""
        return f"{self.path}:{self.line}" if self.path else self.nodeid


class LintFinding(NamedTuple):
    """One apytest-lint finding, as `--apytest-lint` reported it."""

    path: str
    line: int
    col: int
    code: str
    message: str


class Workspace(NamedTuple):
    """What the session left behind: new files in the working tree, changed environment."""

    new_files: tuple[str, ...] = ()
    changed_env: tuple[str, ...] = ()
    """Names only: the values may be secrets."""
    changed_cwd: str = ""


class MetricsSnapshot(NamedTuple):
    """This project's series as the metrics file (or Prometheus) has them after the run."""

    source: str
    session_duration: float | None = None
    coverage: float | None = None
    failures_total: float | None = None
    exit_status: int | None = None
    tests: Mapping[str, int] = EMPTY


class Declared(NamedTuple):
    """A dependency the project declares: canonical name, where (`extra:x`, ...), bounds."""

    name: str
    section: str
    specifier: str = ""


class ProjectFacts(NamedTuple):
    """What the project declares and what is installed, for dependency suggestions.

    `distributions` maps import names to the distributions that provide them; `versions` holds
    the installed versions of the distributions the run's failures name; `roots` the folder
    (relative to the rootdir: "src", ".") holding each first-party package they name.
    """

    declared: tuple[Declared, ...] = ()
    distributions: Mapping[str, tuple[str, ...]] = EMPTY
    versions: Mapping[str, str] = EMPTY
    first_party: frozenset[str] = frozenset()
    roots: Mapping[str, str] = EMPTY
    guarded: Mapping[str, str] = EMPTY
    """Names the failures find missing that their module binds only when a package imports
    which is not installed here, with that package: `jwt.algorithms.hashes` (an installed
    module's), `/abs/path/test_x.py:settings` (a test module's, failing to collect)."""
    absent: frozenset[str] = frozenset()
    """Modules the failures find missing inside a first-party folder that is there
    (`tests.config` where `tests/` holds no `config.py`): a file this copy of the project
    lacks, as a source distribution that ships only the test modules does."""
    packageless: frozenset[str] = frozenset()
    """Folders (relative to the rootdir) of test modules whose relative import found no parent
    package, that hold no `__init__.py`."""
    loose: Mapping[str, tuple[str, ...]] = EMPTY
    """Modules no declaration is named after, with the declared distributions, not installed
    here, that may provide them by their names (`railroad`: `railroad-diagrams`)."""


class Run(NamedTuple):
    """One session as the plugin saw it (or as the memory stored it)."""

    project: str
    started_at: float
    finished_at: float
    duration: float
    exit_status: int
    coverage: float | None = None
    results: tuple[TestResult, ...] = ()
    failures: tuple[Failure, ...] = ()
    findings: tuple[LintFinding, ...] = ()
    workspace: Workspace = Workspace()
    id: int | None = None
    kind: str = ""
    """What kind of run it was (selection, coverage, xdist workers: `plugin.run_kind`); trends
    compare only runs of the same kind. "" for runs stored before apytest recorded it."""
    instance: str = ""
    """The runner it ran on (`apytest_instance`, else the host name: `common.instance`), which
    an alert's `instance` label names. "" for runs stored before apytest recorded it."""
    counts: Mapping[str, int] = EMPTY
    """How many of each outcome pytest's own summary counted, where it differs from one per
    result: each subtest's report counts, and a module whose collection error pytest reports
    twice counts twice. Empty: the results are counted."""

    @property
    def outcomes(self) -> Counter[str]:
        """The outcomes as pytest's summary counted them (`counts`), else one per result."""
        if self.counts:
            return +Counter(self.counts)  # without the outcomes counted 0
        return Counter(map(_OUTCOME, self.results))  # in C: read at each session end


class PastRun(NamedTuple):
    """A stored run without its per-test records: what history and `apytest history` show."""

    id: int
    finished_at: float
    duration: float
    exit_status: int
    coverage: float | None
    failed: int
    project: str = ""
    tests: int = 0
    outcomes: Mapping[str, int] = EMPTY
    kind: str = ""
    instance: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "project": self.project,
            "finished_at": iso(self.finished_at),
            "duration": round(self.duration, 3),
            "exit_status": self.exit_status,
            "coverage": self.coverage,
            "tests": self.tests,
            "failed": self.failed,
            "outcomes": dict(self.outcomes),
            "kind": self.kind,
            "instance": self.instance,
        }


class RecordedFailure(NamedTuple):
    """A stored failure with when it was recorded and the run it belongs to (None: API)."""

    failure: Failure
    at: float
    run_id: int | None


class Interaction(NamedTuple):
    """A free interaction record: what happened (`kind`), a text, and structured data."""

    id: int
    kind: str
    text: str
    data: object
    at: float
    run_id: int | None


class History(NamedTuple):
    """Earlier runs of the project, oldest first, and each test's outcomes and durations there."""

    runs: tuple[PastRun, ...] = ()
    outcomes: Mapping[str, tuple[str, ...]] = EMPTY
    durations: Mapping[str, tuple[float, ...]] = EMPTY
    """Call durations of the runs a test passed in, oldest first."""


class Suggestion(NamedTuple):
    """One remediation: what to do, where, and the lesson it comes from.

    `signature` is stable across runs (no durations or line numbers in it): the memory stores
    the same (nodeid, signature) once and counts it. `lesson` is the anchor of a shipped lesson.
    """

    text: str
    lesson: str
    signature: str
    source: str
    nodeid: str | None = None
    path: str = ""
    line: int = 0
    model: str = ""
    """The model that wrote it (source "ai"); empty for apytest's own suggestions."""

    @property
    def lesson_reference(self) -> str:
        """`apytest lesson <anchor>`; empty when no lesson matched (an AI answer's may not)."""
        return reference(self.lesson) if self.lesson else ""

    @property
    def byline(self) -> str:
        """`lesson: apytest lesson <anchor>`, after the model's name for an AI answer, then the
        test it is about when the text does not name it (the parametrized cases of one
        function share its `path:line`): the line under the text."""
        lesson = self.lesson_reference or "none recognised"
        line = f"answer of {self.model}; lesson: {lesson}" if self.model else f"lesson: {lesson}"
        about = self.nodeid if self.nodeid and self.nodeid not in self.text else None
        return f"{line}; test: {about}" if about else line


class StoredSuggestion(NamedTuple):
    """A suggestion as the memory holds it: seen `count` times between first and last seen."""

    suggestion: Suggestion
    count: int  # type: ignore[assignment]  # the field, in place of tuple.count
    first_seen: float
    last_seen: float
    last_run: int | None

    def as_json(self) -> dict[str, object]:
        s = self.suggestion
        return {
            "text": s.text,
            "lesson": s.lesson_reference or None,
            "nodeid": s.nodeid,
            "source": s.source,
            "signature": s.signature,
            "model": s.model or None,
            "path": s.path or None,
            "line": s.line or None,
            "count": self.count,
            "first_seen": iso(self.first_seen),
            "last_seen": iso(self.last_seen),
            "last_run": self.last_run,
        }
