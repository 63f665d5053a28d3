"""`apytest memory copy`: a whole history from one memory to another, across backends.

From the SQLite file of a single runner to the PostgreSQL database a fleet shares, and back
(a local copy to study, a move off a server). Every row of every table, with its id, so that
what refers to a run (results, failures, findings, interactions, a suggestion's first and last
run) still does. Into an empty memory only, in one transaction: a copy is all there or not at
all, and never mixes two histories' ids.
"""

from __future__ import annotations

from apytest.common.memory_location import MemoryLocation
from apytest.feedback.store import Store, StoreError, open_store

# Every table and column of the schema, in the order a copy writes them (runs first: the
# others refer to them). tests/feedback check this against both backends' schemas.
TABLES: dict[str, tuple[str, ...]] = {
    "runs": (
        "id",
        "project",
        "started_at",
        "finished_at",
        "duration",
        "exit_status",
        "coverage",
        "tests",
        "failed",
        "outcomes",
        "workspace",
        "kind",
        "instance",
    ),
    "results": ("run_id", "nodeid", "outcome", "duration"),
    "test_failures": (
        "id",
        "run_id",
        "at",
        "nodeid",
        "phase",
        "exc_type",
        "message",
        "path",
        "line",
        "crash_path",
        "crash_line",
        "traceback",
        "output",
    ),
    "lint_findings": ("id", "run_id", "at", "path", "line", "col", "code", "message"),
    "suggestions": (
        "id",
        "project",
        "nodeid",
        "signature",
        "text",
        "lesson",
        "source",
        "path",
        "line",
        "count",
        "first_seen",
        "last_seen",
        "first_run",
        "last_run",
        "model",
    ),
    "interactions": ("id", "run_id", "at", "kind", "text", "data"),
}
ORDER = {"results": "run_id, nodeid"}
"""How each table is read (by id unless given): a copy keeps the order of records."""


def counts(store: Store) -> dict[str, int]:
    """The number of rows of each table."""
    return {
        table: int(store.query(f"SELECT count(*) AS n FROM {table}")[0]["n"]) for table in TABLES
    }


def copy(source: MemoryLocation, destination: MemoryLocation) -> dict[str, int]:
    """Copy every record of `source` into the empty memory `destination`; the rows per table.

    Raises StoreError (naming the memory) when either cannot be used or `destination` holds
    records already; the destination is then unchanged.
    """
    with open_store(source) as reader, open_store(destination) as writer:
        if any(counts(writer).values()):
            raise StoreError(
                f"{writer.location}: holds records already; copy into a new file or an empty "
                "database (a copy keeps the ids, which two histories would share)"
            )
        copied: dict[str, int] = {}
        with writer.transaction():
            for table, columns in TABLES.items():
                listed = ", ".join(columns)
                rows = reader.query(
                    f"SELECT {listed} FROM {table} ORDER BY {ORDER.get(table, 'id')}"
                )
                writer.executemany(
                    f"INSERT INTO {table} ({listed}) VALUES ({', '.join('?' * len(columns))})",
                    ([row[column] for column in columns] for row in rows),
                )
                copied[table] = len(rows)
            writer.ids_copied([table for table, columns in TABLES.items() if columns[0] == "id"])
    return copied
