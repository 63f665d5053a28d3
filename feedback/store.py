"""The corpus memory's records in SQL: every statement, written once for both backends.

A memory is a SQLite file (`store_sqlite`, the default: one checkout, one runner) or a
PostgreSQL database (`store_postgres`, which a fleet of CI runners shares). The two differ in
how they connect, lock, keep their schema version and migrate; what they store and how it is
read is here, in SQL both understand (`?` placeholders; the PostgreSQL store translates them).
`open_store` picks the backend from the memory setting: a `postgresql://` URL or a path.

A memory that cannot be used raises StoreError with a message for humans that names the file
or the server (never a password); nothing is ever overwritten to make it usable.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Sequence
from contextlib import AbstractContextManager
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any, Protocol

from apytest.common.memory_location import MemoryLocation, describe, is_url
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
    TestResult,
    Workspace,
    one_per_test,
)
from apytest.feedback.redact import redact_nodeid

# Per-test results are kept for this many recent runs of a project: enough for flakiness and
# slowdown trends, while a large suite run every few minutes does not grow the memory forever.
RESULT_RUNS_KEPT = 30
PRUNE_SCAN = 50
"""Runs below the kept ones whose results a session end deletes. A session deletes those of the
run that just left the window; the others are there for runs that finished at the same time on
other runners (each saw the window without the other's run). Bounded, so that the session-end
cost does not grow with the stored history."""
_NODEID = attrgetter("nodeid")
RESULTS_PER_INSERT = 100
"""Per-test results written by one INSERT: a statement per result spent more on entering
SQLite (the GIL, its mutex, resetting the statement) than on the result itself (9 million of
40 million instructions for 3,000 results); 300 parameters stay far below SQLite's limit."""


class Row(Protocol):
    """A result row: its columns by name (`sqlite3.Row`, psycopg's `dict_row`)."""

    def __getitem__(self, key: str, /) -> Any: ...


class StoreError(Exception):
    """The memory cannot be used; the message names the memory and what to do. Never a crash."""


def newer_schema(location: str, version: int, known: int) -> StoreError:
    """A memory of schema `version` that this apytest (which knows `known`) must not touch."""
    return StoreError(
        f"{location}: written by a newer apytest (schema {version}, this one knows "
        f"{known}); it was left untouched. Upgrade apytest to use it."
    )


def refused(location: str, detail: str) -> StoreError:
    """Records that break a rule of the schema (a `run_id` naming no stored run): the fault of
    the records, not of the memory, which stays as it was."""
    return StoreError(
        f"{location}: the records were refused ({detail}); none of them was stored, and the "
        "memory is fine and unchanged"
    )


def open_store(location: MemoryLocation) -> Store:
    """The store of a memory setting: a `postgresql://` URL, else a SQLite file's path."""
    if is_url(location):
        try:
            from apytest.feedback.store_postgres import PostgresStore  # needs apytest[postgres]
        except ImportError as error:
            raise StoreError(
                f"{describe(location)}: a PostgreSQL memory needs the driver psycopg"
                f" ({error.name} is missing): pip install 'apytest[postgres]'"
            ) from None
        return PostgresStore(str(location))
    from apytest.feedback.store_sqlite import SqliteStore

    return SqliteStore(Path(location))


class Store(ABC):
    """One open memory. Use as a context manager; every write is one `transaction()`."""

    location: str
    """What messages name: the file, or the server without credentials."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """BEGIN ... COMMIT (ROLLBACK on error); a database error becomes StoreError."""

    @abstractmethod
    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[Row]:
        """Rows as mappings by column name."""

    @abstractmethod
    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    @abstractmethod
    def insert(self, sql: str, parameters: Sequence[Any]) -> int:
        """Run an INSERT into a table with an `id` column; return the new row's id."""

    @abstractmethod
    def member(self, column: str, values: Collection[str | int]) -> tuple[str, object]:
        """The condition "`column` is one of `values`" and its one parameter."""

    def _of_instances(self, instances: Collection[str] | None) -> tuple[str, object]:
        """The condition "stored with one of `instances`" for `_filters` (None: any)."""
        if instances is None:
            return "", None  # no condition: `_given` leaves it out
        return self.member("instance", sorted(instances))

    @abstractmethod
    def ids_copied(self, tables: Sequence[str]) -> None:
        """Rows with their own ids went into `tables` (a copy): new rows get ids after them."""

    @abstractmethod
    def lock_project(self, project: str) -> None:
        """Writers of one project take turns from here to their commit (see `prune`)."""

    # Writes ---------------------------------------------------------------------------------

    def add_run(self, run: Run) -> int:
        outcomes = dict(run.outcomes)
        run_id = self.insert(
            "INSERT INTO runs (project, started_at, finished_at, duration, exit_status, coverage,"
            " tests, failed, outcomes, workspace, kind, instance)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run.project,
                run.started_at,
                run.finished_at,
                run.duration,
                run.exit_status,
                run.coverage,
                len(run.results),
                len({f.nodeid for f in run.failures}),
                json.dumps(outcomes, sort_keys=True),
                json.dumps(
                    {
                        "new_files": run.workspace.new_files,
                        "changed_env": run.workspace.changed_env,
                        "changed_cwd": run.workspace.changed_cwd,
                    }
                ),
                run.kind,
                run.instance,
            ),
        )
        results: Sequence[TestResult] = run.results
        # Most node ids have neither parameters nor characters UTF-8 cannot encode: both are
        # looked for in one string, in C. Otherwise each is redacted, and tests whose node ids
        # then read alike become one result.
        nodeids = "\n".join(map(_NODEID, results))
        if "[" in nodeids or not nodeids.isascii():
            results = one_per_test([r._replace(nodeid=redact_nodeid(r.nodeid)) for r in results])
        self.add_results(run_id, results)
        return run_id

    def add_results(self, run_id: int, results: Iterable[tuple[str, str, float]]) -> None:
        """Per-test results (node id, outcome, duration) of a run, RESULTS_PER_INSERT at a time,
        in the order of the table's key: appended to its B-tree rather than spread over it
        (5.8 of 40 million instructions fewer for 3,000 results). Node ids must be distinct."""
        rows = sorted(results)
        # The run's id (an int) is written into the statement: no row is built per result.
        values = f"({int(run_id)}, ?, ?, ?)"
        for start in range(0, len(rows), RESULTS_PER_INSERT):
            batch = rows[start : start + RESULTS_PER_INSERT]
            self.execute(
                "INSERT INTO results (run_id, nodeid, outcome, duration)"
                f" VALUES {', '.join([values] * len(batch))}",
                list(chain.from_iterable(batch)),
            )

    def prune(self, project: str) -> None:
        """Keep per-test results for the last RESULT_RUNS_KEPT runs of `project` only.

        Deletes those of the PRUNE_SCAN runs below the kept ones: a cost that does not grow
        with the history. Call it last in a transaction, after `lock_project`: writers of the
        same project then never delete each other's rows in opposite orders (a deadlock).
        """
        kept = self.query(
            "SELECT id FROM runs WHERE project = ? ORDER BY id DESC LIMIT 1 OFFSET ?",
            [project, RESULT_RUNS_KEPT - 1],
        )
        if kept:
            below = self.query(
                "SELECT id FROM runs WHERE project = ? AND id < ? ORDER BY id DESC LIMIT ?",
                [project, kept[0]["id"], PRUNE_SCAN],
            )
            # By id: whatever the planner's statistics, each is a look-up in the results' key.
            listed, ids = self.member("run_id", [row["id"] for row in below])
            self.execute(f"DELETE FROM results WHERE {listed}", [ids])

    def add_failures(self, failures: Iterable[Failure], run_id: int | None, at: float) -> None:
        self.executemany(
            "INSERT INTO test_failures (run_id, at, nodeid, phase, exc_type, message, path,"
            " line, crash_path, crash_line, traceback, output)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((run_id, at, *failure) for failure in failures),
        )

    def add_findings(self, findings: Iterable[LintFinding], run_id: int | None, at: float) -> None:
        self.executemany(
            "INSERT INTO lint_findings (run_id, at, path, line, col, code, message)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((run_id, at, *finding) for finding in findings),
        )

    def add_suggestions(
        self, suggestions: Iterable[Suggestion], project: str, run_id: int | None, at: float
    ) -> None:
        """Insert new suggestions; a known (project, nodeid, signature) counts one more.

        The count is incremented in the statement, never read and written back, and the last
        sighting is the latest one whatever the order of commits: writers at the same time lose
        no update. In key order, so that two writers never wait for each other's rows.
        """
        unique = {(s.nodeid or "", s.signature): s for s in suggestions}
        self.executemany(
            "INSERT INTO suggestions (project, nodeid, signature, text, lesson, source, path,"
            " line, model, count, first_seen, last_seen, first_run, last_run)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)"
            " ON CONFLICT (project, nodeid, signature) DO UPDATE SET"
            " count = suggestions.count + 1, text = excluded.text, lesson = excluded.lesson,"
            " path = excluded.path, line = excluded.line, model = excluded.model,"
            " last_seen = CASE WHEN excluded.last_seen >= suggestions.last_seen"
            " THEN excluded.last_seen ELSE suggestions.last_seen END,"
            " last_run = CASE WHEN excluded.last_seen >= suggestions.last_seen"
            " THEN excluded.last_run ELSE suggestions.last_run END",
            (
                (
                    project,
                    nodeid,
                    signature,
                    s.text,
                    s.lesson,
                    s.source,
                    s.path,
                    s.line,
                    s.model,
                    at,
                    at,
                    run_id,
                    run_id,
                )
                for (nodeid, signature), s in sorted(unique.items())
            ),
        )

    def add_interaction(
        self, kind: str, text: str, data: object, run_id: int | None, at: float
    ) -> int:
        return self.insert(
            "INSERT INTO interactions (run_id, at, kind, text, data) VALUES (?, ?, ?, ?, ?)",
            (run_id, at, kind, text, json.dumps(data, sort_keys=True, default=str)),
        )

    # Reads ----------------------------------------------------------------------------------

    def past_runs(
        self,
        project: str | None = None,
        limit: int | None = None,
        instances: Collection[str] | None = None,
    ) -> list[PastRun]:
        """Runs without their per-test records, newest first (of one project when given, of
        one of `instances` when given)."""
        where, parameters = _filters(("project = ?", project), self._of_instances(instances))
        limited = " LIMIT ?" if limit else ""
        return [
            PastRun(
                r["id"],
                r["finished_at"],
                r["duration"],
                r["exit_status"],
                r["coverage"],
                r["failed"],
                r["project"],
                r["tests"],
                json.loads(r["outcomes"]),
                r["kind"],
                r["instance"],
            )
            for r in self.query(
                f"SELECT * FROM runs {where} ORDER BY id DESC{limited}",
                [*parameters, *([limit] if limit else [])],
            )
        ]

    def run(self, run_id: int) -> Run | None:
        """The stored run with its results (when still kept), failures and findings."""
        rows = self.query("SELECT * FROM runs WHERE id = ?", [run_id])
        if not rows:
            return None
        row = rows[0]
        workspace = json.loads(row["workspace"])
        return Run(
            project=row["project"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            duration=row["duration"],
            exit_status=row["exit_status"],
            coverage=row["coverage"],
            counts=json.loads(row["outcomes"]),
            results=tuple(
                TestResult(r["nodeid"], r["outcome"], r["duration"])
                for r in self.query(
                    "SELECT * FROM results WHERE run_id = ? ORDER BY nodeid", [run_id]
                )
            ),
            failures=tuple(self.failures(run_id)),
            findings=tuple(
                LintFinding(r["path"], r["line"], r["col"], r["code"], r["message"])
                for r in self.query(
                    "SELECT * FROM lint_findings WHERE run_id = ? ORDER BY id", [run_id]
                )
            ),
            workspace=Workspace(
                tuple(workspace["new_files"]),
                tuple(workspace["changed_env"]),
                workspace["changed_cwd"],
            ),
            id=run_id,
            kind=row["kind"],
            instance=row["instance"],
        )

    def failures(self, run_id: int | None = None) -> list[Failure]:
        return [recorded.failure for recorded in self.recorded_failures(run_id=run_id)]

    def recorded_failures(
        self, project: str | None = None, run_id: int | None = None
    ) -> list[RecordedFailure]:
        """Stored failures in the order they were recorded, of one run or project when given."""
        clauses, parameters = _filters(
            ("run_id = ?", run_id),
            ("run_id IN (SELECT id FROM runs WHERE project = ?)", project),
        )
        return [
            RecordedFailure(
                Failure(
                    r["nodeid"],
                    r["phase"],
                    r["exc_type"],
                    r["message"],
                    r["path"],
                    r["line"],
                    r["crash_path"],
                    r["crash_line"],
                    r["traceback"],
                    r["output"],
                ),
                r["at"],
                r["run_id"],
            )
            for r in self.query(f"SELECT * FROM test_failures {clauses} ORDER BY id", parameters)
        ]

    def history(
        self,
        project: str,
        before: int | None,
        window: int,
        focus: Collection[str] | None = None,
        kind: str | None = None,
        instances: Collection[str] | None = None,
    ) -> History:
        """The `window` runs of `project` before run `before` (all when None), oldest first,
        of `kind` and of one of `instances` when given.

        Per-test records cover every test, or with `focus` only those tests plus every test
        that did not pass somewhere in the window: the only ones whose history can show a
        trend. A green run of a large suite then reads almost nothing.
        """
        # A kind of "" is asked for too: the runs stored before kinds were recorded.
        clauses, kinds = _given(("kind = ?", kind), self._of_instances(instances), keep_empty=True)
        same_kind = "".join(f" AND {clause}" for clause in clauses)
        rows = self.query(
            "SELECT id, finished_at, duration, exit_status, coverage, failed, tests, outcomes"
            f" FROM runs WHERE project = ? AND id < ?{same_kind} ORDER BY id DESC LIMIT ?",
            [project, before if before is not None else 2**62, *kinds, window],
        )
        runs = tuple(
            PastRun(
                r["id"],
                r["finished_at"],
                r["duration"],
                r["exit_status"],
                r["coverage"],
                r["failed"],
                tests=r["tests"],
                outcomes=json.loads(r["outcomes"]),
            )
            for r in reversed(rows)
        )
        outcomes: dict[str, list[str]] = {}
        durations: dict[str, list[float]] = {}
        if runs:
            # The window's own ids: a cost that does not grow with the project's history.
            in_window, ids = self.member("run_id", [past.id for past in runs])
            sql, parameters = f"SELECT * FROM results WHERE {in_window}", [ids]
            if focus is not None:
                wanted = set(focus) | {
                    row["nodeid"]
                    for row in self.query(
                        f"SELECT DISTINCT nodeid FROM test_failures WHERE {in_window}", [ids]
                    )
                }
                listed, values = self.member("nodeid", sorted(wanted))
                sql += f" AND {listed}"
                parameters = [ids, values]
            if focus is None or wanted:
                for row in self.query(f"{sql} ORDER BY run_id, nodeid", parameters):
                    outcomes.setdefault(row["nodeid"], []).append(row["outcome"])
                    if row["outcome"] == "passed":
                        durations.setdefault(row["nodeid"], []).append(row["duration"])
        return History(
            runs,
            {nodeid: tuple(seen) for nodeid, seen in outcomes.items()},
            {nodeid: tuple(seen) for nodeid, seen in durations.items()},
        )

    def suggestions(
        self, project: str | None = None, run_id: int | None = None
    ) -> list[StoredSuggestion]:
        """Stored suggestions, most recently seen first; those seen in `run_id` when given."""
        where, parameters = _filters(("project = ?", project), ("last_run = ?", run_id))
        return [
            StoredSuggestion(
                Suggestion(
                    r["text"],
                    r["lesson"],
                    r["signature"],
                    r["source"],
                    r["nodeid"] or None,
                    r["path"],
                    r["line"],
                    r["model"],
                ),
                r["count"],
                r["first_seen"],
                r["last_seen"],
                r["last_run"],
            )
            for r in self.query(
                f"SELECT * FROM suggestions {where} ORDER BY last_seen DESC, id", parameters
            )
        ]

    def interactions(self, kind: str | None = None, run_id: int | None = None) -> list[Interaction]:
        where, parameters = _filters(("kind = ?", kind), ("run_id = ?", run_id))
        return [
            Interaction(r["id"], r["kind"], r["text"], json.loads(r["data"]), r["at"], r["run_id"])
            for r in self.query(f"SELECT * FROM interactions {where} ORDER BY id", parameters)
        ]


def _given(
    *conditions: tuple[str, object], keep_empty: bool = False
) -> tuple[list[str], list[object]]:
    """The conditions whose value is given (not None; not "" either unless `keep_empty`),
    and their values."""
    given = [
        (clause, value)
        for clause, value in conditions
        if value is not None and (keep_empty or value != "")
    ]
    return [clause for clause, _ in given], [value for _, value in given]


def _filters(*conditions: tuple[str, object]) -> tuple[str, list[object]]:
    """A WHERE clause of the conditions whose value is given (not None or empty)."""
    clauses, values = _given(*conditions)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), values
