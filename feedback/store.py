"""The corpus memory's SQLite file: schema, migrations, and every SQL statement.

Why SQLite in WAL mode: xdist controllers, parallel sessions and the CLI write the same file at
once, and WAL lets readers go on while one writer commits; every write is one `BEGIN IMMEDIATE`
transaction (the writer lock is taken up front, so two writers queue on the busy timeout instead
of failing half-way through with a deadlock error).

The schema version lives in `PRAGMA user_version`; `MIGRATIONS[n]` takes version n to n + 1.
A file this code cannot use (not SQLite, damaged, or written by a newer apytest) raises
StoreError and is never written to, let alone replaced: it may be the only copy of a history.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import astuple
from pathlib import Path
from typing import Any

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
)
from apytest.feedback.redact import redact_nodeid

BUSY_TIMEOUT = 10.0
"""Seconds to wait for the write lock while nobody else commits. Writers that take turns (many
sessions finishing together) commit every few milliseconds, so a session waits for as long as
they make progress (up to BUSY_LIMIT); a process that holds the lock without committing (a hung
tool, an open `sqlite3` shell) costs a session 10 s and a "memory busy" warning, not a minute."""
BUSY_LIMIT = 120.0
"""Seconds a writer waits in all, even while others keep committing."""
# Per-test results are kept for this many recent runs of a project: enough for flakiness and
# slowdown trends, while a large suite run every few minutes does not grow the file forever.
RESULT_RUNS_KEPT = 30

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        project TEXT NOT NULL,
        started_at REAL NOT NULL,
        finished_at REAL NOT NULL,
        duration REAL NOT NULL,
        exit_status INTEGER NOT NULL,
        coverage REAL,
        tests INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        outcomes TEXT NOT NULL,
        workspace TEXT NOT NULL
    );
    CREATE INDEX runs_by_project ON runs (project, id);
    CREATE TABLE results (
        run_id INTEGER NOT NULL REFERENCES runs (id),
        nodeid TEXT NOT NULL,
        outcome TEXT NOT NULL,
        duration REAL NOT NULL
    );
    CREATE INDEX results_by_run ON results (run_id);
    CREATE TABLE test_failures (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs (id),
        at REAL NOT NULL,
        nodeid TEXT NOT NULL,
        phase TEXT NOT NULL,
        exc_type TEXT NOT NULL,
        message TEXT NOT NULL,
        path TEXT NOT NULL,
        line INTEGER NOT NULL,
        crash_path TEXT NOT NULL,
        crash_line INTEGER NOT NULL,
        traceback TEXT NOT NULL,
        output TEXT NOT NULL
    );
    CREATE INDEX test_failures_by_run ON test_failures (run_id);
    CREATE TABLE lint_findings (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs (id),
        at REAL NOT NULL,
        path TEXT NOT NULL,
        line INTEGER NOT NULL,
        col INTEGER NOT NULL,
        code TEXT NOT NULL,
        message TEXT NOT NULL
    );
    CREATE INDEX lint_findings_by_run ON lint_findings (run_id);
    CREATE TABLE suggestions (
        id INTEGER PRIMARY KEY,
        project TEXT NOT NULL,
        nodeid TEXT NOT NULL,
        signature TEXT NOT NULL,
        text TEXT NOT NULL,
        lesson TEXT NOT NULL,
        source TEXT NOT NULL,
        path TEXT NOT NULL,
        line INTEGER NOT NULL,
        count INTEGER NOT NULL,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        first_run INTEGER,
        last_run INTEGER,
        UNIQUE (project, nodeid, signature)
    );
    CREATE TABLE interactions (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs (id),
        at REAL NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        data TEXT NOT NULL
    );
    """,
    # 2: per-test results keyed by (run, test) in one b-tree, without a rowid, a separate
    # index or a foreign-key check per row: about a quarter cheaper to store at every session
    # end (some 2 ms per 3,000 results).
    """
    CREATE TABLE results_v2 (
        run_id INTEGER NOT NULL,
        nodeid TEXT NOT NULL,
        outcome TEXT NOT NULL,
        duration REAL NOT NULL,
        PRIMARY KEY (run_id, nodeid)
    ) WITHOUT ROWID;
    INSERT OR REPLACE INTO results_v2 SELECT run_id, nodeid, outcome, duration FROM results;
    DROP TABLE results;
    ALTER TABLE results_v2 RENAME TO results;
    """,
    # 3: the model that wrote a suggestion (source "ai"; empty for apytest's own).
    """
    ALTER TABLE suggestions ADD COLUMN model TEXT NOT NULL DEFAULT '';
    """,
    # 4: what kind of run each was (`Run.kind`); runs stored before are of no known kind and
    # are compared with none.
    """
    ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT '';
    CREATE INDEX runs_by_kind ON runs (project, kind, id);
    """,
    # 5: the runner each run came from (`Run.instance`, see `apytest.common.instance`); runs
    # stored before are of no known instance and match no alert's.
    """
    ALTER TABLE runs ADD COLUMN instance TEXT NOT NULL DEFAULT '';
    CREATE INDEX runs_by_instance ON runs (project, instance, id);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The memory cannot be used; the message names the file and what to do. Never a crash."""


def _busy(error: sqlite3.Error) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED: another connection holds the lock past the timeout."""
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "database is locked" in str(error) or "database table is locked" in str(error)


def _unusable(path: Path, error: sqlite3.Error) -> StoreError:
    if _busy(error):
        return StoreError(
            f"{path}: memory busy: another process kept it locked for over {BUSY_TIMEOUT:g} s; "
            "nothing was read or written this time (the file is fine)."
        )
    return StoreError(
        f"{path}: not a usable corpus memory ({error}); it was left untouched. "
        "Move it away to start a new memory, or point --apytest-memory elsewhere."
    )


class Store:
    """One open memory file. Use as a context manager; every write is one transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"{path}: cannot open the corpus memory: {error}") from None
        try:
            self._prepare()
        except sqlite3.DatabaseError as error:
            self.db.close()
            raise _unusable(path, error) from None
        except StoreError:
            self.db.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def _prepare(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer apytest (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); it was left untouched. Upgrade apytest to use it."
            )
        if version < SCHEMA_VERSION:
            self._migrate()
        self.db.execute("PRAGMA foreign_keys = ON")
        # In WAL mode NORMAL never corrupts the file; a power cut may lose the last runs, which
        # is cheaper than waiting for the disk at the end of every session.
        self.db.execute("PRAGMA synchronous = NORMAL")

    def _migrate(self) -> None:
        # WAL is a property of the file: set once, before the first schema exists. A second
        # process doing the same finds it already set.
        self.db.execute("PRAGMA journal_mode = WAL")
        with self.transaction() as db:
            # Another process may have migrated while this one waited for the lock.
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for script in MIGRATIONS[version:]:
                for statement in script.split(";"):
                    if statement.strip():
                        db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, waiting while other writers make progress (see BUSY_TIMEOUT)."""
        started = time.monotonic()
        seen = self._data_version()
        while True:
            try:
                self.db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.DatabaseError as error:
                # SQLite waited BUSY_TIMEOUT already; go on only if someone committed meanwhile.
                now = self._data_version() if _busy(error) else None
                if now is None or now == seen or time.monotonic() - started > BUSY_LIMIT:
                    raise _unusable(self.path, error) from None
                seen = now

    def _data_version(self) -> int | None:
        """Changes whenever another connection commits; None when it cannot be read."""
        try:
            return int(self.db.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.DatabaseError:
            return None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error); DatabaseError becomes StoreError."""
        self._begin()
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            raise _unusable(self.path, error) from None

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            with closing(self.db.cursor()) as cursor:
                cursor.row_factory = sqlite3.Row
                return cursor.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError as error:
            raise _unusable(self.path, error) from None

    # Writes ---------------------------------------------------------------------------------

    def add_run(self, db: sqlite3.Connection, run: Run) -> int:
        outcomes = dict(run.outcomes)
        cursor = db.execute(
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
        run_id = int(cursor.lastrowid or 0)
        db.executemany(
            "INSERT INTO results (run_id, nodeid, outcome, duration) VALUES (?, ?, ?, ?)",
            ((run_id, redact_nodeid(r.nodeid), r.outcome, r.duration) for r in run.results),
        )
        db.execute(
            "DELETE FROM results WHERE run_id IN (SELECT id FROM runs WHERE project = ?"
            " ORDER BY id DESC LIMIT -1 OFFSET ?)",
            (run.project, RESULT_RUNS_KEPT),
        )
        return run_id

    def add_failures(
        self, db: sqlite3.Connection, failures: Iterable[Failure], run_id: int | None, at: float
    ) -> None:
        db.executemany(
            "INSERT INTO test_failures (run_id, at, nodeid, phase, exc_type, message, path,"
            " line, crash_path, crash_line, traceback, output)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((run_id, at, *astuple(failure)) for failure in failures),
        )

    def add_findings(
        self, db: sqlite3.Connection, findings: Iterable[LintFinding], run_id: int | None, at: float
    ) -> None:
        db.executemany(
            "INSERT INTO lint_findings (run_id, at, path, line, col, code, message)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((run_id, at, *astuple(finding)) for finding in findings),
        )

    def add_suggestions(
        self,
        db: sqlite3.Connection,
        suggestions: Iterable[Suggestion],
        project: str,
        run_id: int | None,
        at: float,
    ) -> None:
        """Insert new suggestions; a known (project, nodeid, signature) counts one more."""
        db.executemany(
            "INSERT INTO suggestions (project, nodeid, signature, text, lesson, source, path,"
            " line, model, count, first_seen, last_seen, first_run, last_run)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)"
            " ON CONFLICT (project, nodeid, signature) DO UPDATE SET count = count + 1,"
            " text = excluded.text, lesson = excluded.lesson, path = excluded.path,"
            " line = excluded.line, model = excluded.model, last_seen = excluded.last_seen,"
            " last_run = excluded.last_run",
            (
                (
                    project,
                    s.nodeid or "",
                    s.signature,
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
                for s in suggestions
            ),
        )

    def add_interaction(
        self,
        db: sqlite3.Connection,
        kind: str,
        text: str,
        data: object,
        run_id: int | None,
        at: float,
    ) -> int:
        cursor = db.execute(
            "INSERT INTO interactions (run_id, at, kind, text, data) VALUES (?, ?, ?, ?, ?)",
            (run_id, at, kind, text, json.dumps(data, sort_keys=True, default=str)),
        )
        return int(cursor.lastrowid or 0)

    # Reads ----------------------------------------------------------------------------------

    def past_runs(
        self,
        project: str | None = None,
        limit: int | None = None,
        instances: Collection[str] | None = None,
    ) -> list[PastRun]:
        """Runs without their per-test records, newest first (of one project when given, of
        one of `instances` when given)."""
        where, parameters = _filters(("project = ?", project), _of_instances(instances))
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
                f"SELECT * FROM runs {where} ORDER BY id DESC LIMIT ?", [*parameters, limit or -1]
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
            results=tuple(
                TestResult(r["nodeid"], r["outcome"], r["duration"])
                for r in self.query("SELECT * FROM results WHERE run_id = ?", [run_id])
            ),
            failures=tuple(self.failures(run_id)),
            findings=tuple(
                LintFinding(r["path"], r["line"], r["col"], r["code"], r["message"])
                for r in self.query("SELECT * FROM lint_findings WHERE run_id = ?", [run_id])
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
        clauses, kinds = _given(("kind = ?", kind), _of_instances(instances), keep_empty=True)
        same_kind = "".join(f" AND {clause}" for clause in clauses)
        rows = self.query(
            "SELECT id, finished_at, duration, exit_status, coverage, failed FROM runs"
            f" WHERE project = ? AND id < ?{same_kind} ORDER BY id DESC LIMIT ?",
            [project, before if before is not None else 2**62, *kinds, window],
        )
        runs = tuple(PastRun(*row) for row in reversed(rows))
        outcomes: dict[str, list[str]] = {}
        durations: dict[str, list[float]] = {}
        if runs:
            in_window = (
                "run_id BETWEEN ? AND ? AND run_id IN (SELECT id FROM runs WHERE project = ?"
                f"{same_kind})"
            )
            bounds = [runs[0].id, runs[-1].id, project, *kinds]
            sql, parameters = f"SELECT * FROM results WHERE {in_window}", bounds
            if focus is not None:
                wanted = set(focus) | {
                    row["nodeid"]
                    for row in self.query(
                        f"SELECT DISTINCT nodeid FROM test_failures WHERE {in_window}", bounds
                    )
                }
                sql += " AND nodeid IN (SELECT value FROM json_each(?))"
                parameters = [*bounds, json.dumps(sorted(wanted))]
            if focus is None or wanted:
                for row in self.query(f"{sql} ORDER BY run_id", parameters):
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


def _of_instances(instances: Collection[str] | None) -> tuple[str, object]:
    """The condition "stored with one of `instances`" for `_filters` (None: any instance)."""
    listed = None if instances is None else json.dumps(sorted(instances))
    return "instance IN (SELECT value FROM json_each(?))", listed
