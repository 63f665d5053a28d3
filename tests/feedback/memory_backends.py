"""The corpus memory's two backends as its tests handle them: where a memory is, what it holds
on disk or on the server, and its schema version, written and read behind apytest's back."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from typing import Protocol

import postgres_server

from apytest.common.memory_location import MemoryLocation
from apytest.feedback import store_sqlite

# Run 7 of project demo with two results, in the columns every schema version has.
OLD_RUN = (
    "INSERT INTO runs (id, project, started_at, finished_at, duration, exit_status, coverage,"
    " tests, failed, outcomes, workspace) VALUES (7, 'demo', 1.0, 2.0, 1.0, 1, 88.5, 2, 1,"
    ' \'{"failed": 1, "passed": 1}\', \'{"new_files": [], "changed_env": [], "changed_cwd": ""}\');'
    " INSERT INTO results (run_id, nodeid, outcome, duration) VALUES"
    " (7, 't.py::test_a', 'passed', 0.25), (7, 't.py::test_b', 'failed', 0.5);"
)


class Backend(Protocol):
    name: str
    oldest: int
    """The oldest schema version a memory of this backend can have."""

    @property
    def memory(self) -> MemoryLocation: ...

    def version(self) -> int: ...

    def write_version(self, version: int) -> None:
        """Make an otherwise empty memory claim this schema version."""

    def write_oldest_with_run(self) -> None:
        """A memory of the oldest schema version holding OLD_RUN."""

    def stored(self) -> bytes:
        """Everything the memory holds, as its backend keeps it."""


class Sqlite:
    name = "sqlite"
    oldest = 1

    def __init__(self, folder: Path) -> None:
        self.memory: Path = folder / "memory.sqlite3"

    def version(self) -> int:
        with sqlite3.connect(self.memory) as db:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
        db.close()
        return version

    def write_version(self, version: int) -> None:
        with sqlite3.connect(self.memory) as db:
            db.execute(f"PRAGMA user_version = {version}")
        db.close()

    def write_oldest_with_run(self) -> None:
        with sqlite3.connect(self.memory) as db:
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript(store_sqlite.MIGRATIONS[0])
            db.executescript(OLD_RUN)
            db.execute("PRAGMA user_version = 1")
        db.close()

    def stored(self) -> bytes:
        return b"".join(
            path.read_bytes() for path in sorted(self.memory.parent.glob("memory.sqlite3*"))
        )


class Postgres:
    """Imports the driver only when used: the pytest matrix's venvs have no psycopg."""

    name = "postgresql"

    def __init__(self, server: postgres_server.Server, url: str) -> None:
        from apytest.feedback import store_postgres

        self.oldest = store_postgres.BASELINE
        self.server = server
        self.memory: str = url
        self.database = url.rsplit("/", 1)[1]

    def version(self) -> int:
        return int(self.server.psql("SELECT version FROM apytest.schema_version", self.database))

    def write_version(self, version: int) -> None:
        self.server.psql(
            "CREATE SCHEMA apytest; CREATE TABLE apytest.schema_version (version INTEGER);"
            f" INSERT INTO apytest.schema_version VALUES ({version})",
            self.database,
        )

    def write_oldest_with_run(self) -> None:
        from apytest.feedback import store_postgres

        self.server.psql(
            f"CREATE SCHEMA apytest; SET search_path = apytest; {store_postgres.MIGRATIONS[0]};"
            f" {OLD_RUN} SELECT setval(pg_get_serial_sequence('runs', 'id'), 7);",
            self.database,
        )

    def stored(self) -> bytes:
        """The database as pg_dump writes it (less the random key of its restrict lines)."""
        dump = subprocess.run(
            [str(self.server.bin / "pg_dump"), "--no-owner", self.server.url(self.database)],
            env={"PGPASSWORD": postgres_server.PASSWORD},
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
        return b"".join(
            line for line in dump.splitlines(keepends=True) if not line.startswith(b"\\")
        )
