"""The corpus memory in a SQLite file: the default, for one checkout or one runner.

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
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from apytest.common import clock
from apytest.feedback.store import Row, Store, StoreError, newer_schema, refused

BUSY_TIMEOUT = 10.0
"""Seconds to wait for the write lock while nobody else commits. Writers that take turns (many
sessions finishing together) commit every few milliseconds, so a session waits for as long as
they make progress (up to BUSY_LIMIT); a process that holds the lock without committing (a hung
tool, an open `sqlite3` shell) costs a session 10 s and a "memory busy" warning, not a minute."""
BUSY_LIMIT = 120.0
"""Seconds a writer waits in all, even while others keep committing."""
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
    if isinstance(error, sqlite3.IntegrityError):
        return refused(str(path), str(error))
    return StoreError(
        f"{path}: not a usable corpus memory ({error}); it was left untouched. "
        "Move it away to start a new memory, or point --apytest-memory elsewhere."
    )


class SqliteStore(Store):
    """One open memory file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)
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

    def close(self) -> None:
        self.db.close()

    def _prepare(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise newer_schema(self.location, version, SCHEMA_VERSION)
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
        with self.transaction():
            # Another process may have migrated while this one waited for the lock.
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            for script in MIGRATIONS[version:]:
                for statement in script.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, waiting while other writers make progress (see BUSY_TIMEOUT)."""
        started = clock.monotonic()
        seen = self._data_version()
        while True:
            try:
                self.db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.DatabaseError as error:
                # SQLite waited BUSY_TIMEOUT already; go on only if someone committed meanwhile.
                now = self._data_version() if _busy(error) else None
                if now is None or now == seen or clock.monotonic() - started > BUSY_LIMIT:
                    raise _unusable(self.path, error) from None
                seen = now

    def _data_version(self) -> int | None:
        """Changes whenever another connection commits; None when it cannot be read."""
        try:
            return int(self.db.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.DatabaseError:
            return None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error); DatabaseError becomes StoreError."""
        self._begin()
        try:
            yield
        except sqlite3.DatabaseError as error:
            self.db.execute("ROLLBACK")
            raise _unusable(self.path, error) from None
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            raise _unusable(self.path, error) from None

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[Row]:
        try:
            with closing(self.db.cursor()) as cursor:
                cursor.row_factory = sqlite3.Row
                return cursor.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError as error:
            raise _unusable(self.path, error) from None

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> None:
        self.db.execute(sql, parameters)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.db.executemany(sql, rows)

    def insert(self, sql: str, parameters: Sequence[Any]) -> int:
        return int(self.db.execute(sql, parameters).lastrowid or 0)

    def ids_copied(self, tables: Sequence[str]) -> None:
        """Nothing to do: a new row's id is one more than the largest."""

    def lock_project(self, project: str) -> None:
        """Nothing to do: a transaction holds the only write lock from its start."""

    def member(self, column: str, values: Collection[str | int]) -> tuple[str, object]:
        return f"{column} IN (SELECT value FROM json_each(?))", json.dumps(list(values))
