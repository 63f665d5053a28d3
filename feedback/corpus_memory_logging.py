"""The corpus memory: every interaction record of a project, kept so history can be analysed.

Public API (a promise: see the README's feedback section). Records are typed: runs (with
per-test results), test failures, lint findings, suggestions, and free interaction records.
Every function takes `memory`: a SQLite file's path, or a `postgresql://` URL of a database a
fleet of runners shares (`apytest.feedback.store_postgres`; needs `apytest[postgres]`). None
means the default: the environment variable APYTEST_MEMORY, else the ini setting
`apytest_memory`, else `.apytest/memory.sqlite3` under the project root found from the current
directory the way pytest finds its rootdir.

Texts are redacted (`apytest.feedback.redact`) on the way in: messages and captured output are
where passwords and tokens leak, and the memory outlives the run. A memory that cannot be used
raises CorpusMemoryError with a message for humans (naming the file, or the server without its
password); a memory is never overwritten.

The same suggestion for the same test (same project, node id and signature) is stored once,
with a count and the first and last time (and run) it was seen.
"""

import contextlib
import json
import os
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from apytest.common import clock, names
from apytest.common.gitignore import ignore_state
from apytest.common.instance import runner_names
from apytest.common.memory_location import MemoryLocation, is_url
from apytest.common.settings import shared_paths
from apytest.feedback.records import (
    Failure,
    History,
    Interaction,
    LintFinding,
    PastRun,
    RecordedFailure,
    Run,
    StoredSuggestion,
    Suggestion,
)
from apytest.feedback.redact import redact, redact_data, redact_nodeid, redact_together
from apytest.feedback.store import Store, StoreError, open_store

CorpusMemoryError = StoreError
DEFAULT_MEMORY = Path(names.MEMORY)
# Earlier runs the orchestrator compares a run with.
HISTORY_WINDOW = 10

MemoryPath = str | os.PathLike[str] | None

__all__ = [
    "DEFAULT_MEMORY",
    "CorpusMemoryError",
    "LoggedRun",
    "default_memory",
    "history",
    "interactions",
    "last_run",
    "log_interaction",
    "log_lint_findings",
    "log_run",
    "log_suggestion",
    "log_test_failure",
    "recorded_failures",
    "run",
    "runs",
    "suggestions",
]


def default_memory(start: Path | None = None) -> MemoryLocation:
    """Where the plugin writes the memory of the project above `start` (default: the current
    directory): the environment variable APYTEST_MEMORY, else the ini setting `apytest_memory`
    of the project found the way pytest finds its rootdir and inifile, else
    `.apytest/memory.sqlite3` under the project root."""
    paths = shared_paths(start)
    return paths.memory or paths.root / DEFAULT_MEMORY


def _open(memory: MemoryPath) -> Store:
    location = memory if memory is not None else default_memory()
    if is_url(location):
        return open_store(str(location))
    path = Path(location)
    if path.parent.name == DEFAULT_MEMORY.parent.name and not path.parent.exists():
        # `.apytest/` holds local state (this memory, the lint cache): kept out of commits. The
        # Store reports an unwritable folder with the memory's own path.
        with contextlib.suppress(OSError):
            ignore_state(path.parent)
    return open_store(path)


def _redacted_failure(failure: Failure) -> Failure:
    message, traceback, output = redact_together(failure.message, failure.traceback, failure.output)
    return failure._replace(
        nodeid=redact_nodeid(failure.nodeid),
        path=redact(failure.path),
        crash_path=redact(failure.crash_path),
        message=message,
        traceback=traceback,
        output=output,
    )


def _redacted_finding(finding: LintFinding) -> LintFinding:
    return finding._replace(path=redact(finding.path), message=redact(finding.message))


def _redacted_suggestion(suggestion: Suggestion) -> Suggestion:
    return suggestion._replace(
        text=redact(suggestion.text),
        nodeid=suggestion.nodeid and redact_nodeid(suggestion.nodeid),
        path=redact(suggestion.path),
    )


class LoggedRun(NamedTuple):
    """What `log_run` stored: the run's id and its suggestions with their counts."""

    run_id: int
    suggestions: tuple[StoredSuggestion, ...]
    """With their counts: 1 for a suggestion this run saw first."""


def log_run(
    run: Run, suggestions: Iterable[Suggestion] = (), *, memory: MemoryPath = None
) -> LoggedRun:
    """Store a run with its per-test results, failures, lint findings and suggestions.

    One transaction, so a session end costs one commit however large the suite, and a reader
    never sees half a run.
    """
    at = clock.wall()
    with _open(memory) as store:
        with store.transaction():
            run_id = store.add_run(run)
            store.add_failures(map(_redacted_failure, run.failures), run_id, at)
            store.add_findings(map(_redacted_finding, run.findings), run_id, at)
            store.add_suggestions(map(_redacted_suggestion, suggestions), run.project, run_id, at)
            store.lock_project(run.project)
            store.prune(run.project)
            # Read before the commit: a run finishing at the same time may see them last.
            seen = tuple(store.suggestions(run.project, run_id))
        return LoggedRun(run_id, seen)


def log_test_failure(
    failure: Failure, *, run_id: int | None = None, memory: MemoryPath = None
) -> None:
    """Store one test failure (redacted), optionally as part of a stored run."""
    with _open(memory) as store, store.transaction():
        store.add_failures([_redacted_failure(failure)], run_id, clock.wall())


def log_lint_findings(
    findings: Iterable[LintFinding], *, run_id: int | None = None, memory: MemoryPath = None
) -> None:
    """Store apytest-lint findings, optionally as part of a stored run."""
    with _open(memory) as store, store.transaction():
        store.add_findings(map(_redacted_finding, findings), run_id, clock.wall())


def log_suggestion(
    suggestion: Suggestion,
    *,
    project: str = "",
    run_id: int | None = None,
    memory: MemoryPath = None,
) -> StoredSuggestion:
    """Store a suggestion, or count one more sighting of the same one; return it as stored."""
    at = clock.wall()
    with _open(memory) as store:
        with store.transaction():
            store.add_suggestions([_redacted_suggestion(suggestion)], project, run_id, at)
        return next(
            stored
            for stored in store.suggestions(project)
            if stored.suggestion.signature == suggestion.signature
            and stored.suggestion.nodeid == suggestion.nodeid
        )


def log_interaction(
    kind: str,
    text: str,
    *,
    data: Mapping[str, object] | None = None,
    run_id: int | None = None,
    memory: MemoryPath = None,
) -> int:
    """Store a free interaction record (`kind` says what it is); return its id.

    `data` must be JSON-serialisable (other values are stored as their `str`); its strings
    are redacted like the text.
    """
    payload = redact_data(json.loads(json.dumps(dict(data or {}), default=str)))
    with _open(memory) as store, store.transaction():
        return store.add_interaction(kind, redact(text), payload, run_id, clock.wall())


def _runners(instance: str | None) -> tuple[str, ...] | None:
    """The stored instances an `instance` label stands for (None: any)."""
    return None if instance is None else runner_names(instance)


def last_run(
    project: str | None = None, *, instance: str | None = None, memory: MemoryPath = None
) -> Run | None:
    """The most recent stored run (of `project` and of `instance` when given), with its
    records. `instance` is a runner's name or a Prometheus `instance` label such as
    `ci-1:9100` (see `apytest.common.instance`)."""
    with _open(memory) as store:
        latest = store.past_runs(project, limit=1, instances=_runners(instance))
        return store.run(latest[0].id) if latest else None


def run(run_id: int, *, memory: MemoryPath = None) -> Run | None:
    """The stored run `run_id` with its records, None when there is none."""
    with _open(memory) as store:
        return store.run(run_id)


def runs(
    project: str | None = None,
    *,
    limit: int | None = None,
    instance: str | None = None,
    memory: MemoryPath = None,
) -> list[PastRun]:
    """Stored runs without their per-test records, newest first (of `instance` when given,
    as `last_run` matches it)."""
    with _open(memory) as store:
        return store.past_runs(project, limit, _runners(instance))


def history(
    project: str,
    *,
    before: int | None = None,
    window: int = HISTORY_WINDOW,
    focus: Collection[str] | None = None,
    kind: str | None = None,
    instance: str | None = None,
    memory: MemoryPath = None,
) -> History:
    """The `window` runs of `project` before run `before` (default: the latest), per test too.

    With `kind`, only runs of that kind (`Run.kind`): trends compare like with like. With
    `instance`, only runs of that runner (matched as `last_run` does).
    With `focus`, per-test records only for those tests and the ones that did not pass in the
    window (see `trends.focus`): what a review needs, at a fraction of the reading.
    """
    with _open(memory) as store:
        return store.history(project, before, window, focus, kind, _runners(instance))


def suggestions(
    project: str | None = None, *, run_id: int | None = None, memory: MemoryPath = None
) -> list[StoredSuggestion]:
    """Stored suggestions, most recently seen first; with `run_id`, those seen in that run."""
    with _open(memory) as store:
        return store.suggestions(project, run_id)


def recorded_failures(
    project: str | None = None, *, run_id: int | None = None, memory: MemoryPath = None
) -> list[RecordedFailure]:
    """Stored test failures in the order they were recorded."""
    with _open(memory) as store:
        return store.recorded_failures(project, run_id)


def interactions(
    kind: str | None = None, *, run_id: int | None = None, memory: MemoryPath = None
) -> list[Interaction]:
    """Stored free interaction records, oldest first."""
    with _open(memory) as store:
        return store.interactions(kind, run_id)
