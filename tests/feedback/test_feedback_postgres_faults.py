"""A shared PostgreSQL memory as CI meets it: many sessions at once, and a server that is
down, refuses the password, loses the connection mid-write or stops answering. The test
outcome and exit status never change, one warning names the server (never the password),
nothing of a failed session-end write stays, and no session hangs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import postgres_server
import psycopg
import pytest

from apytest.common.memory_location import describe
from apytest.feedback import corpus_memory_logging as memory_api

pytestmark = pytest.mark.e2e

SUITE = """
import pytest

def test_ok():
    pass

def test_missing():
    import apytest_demo_mlpkg

@pytest.mark.parametrize("n", range(6))
def test_many(n):
    pass
"""
OUTCOMES = {"passed": 7, "failed": 1}
# Sessions wait for each other at their end, so that their memory writes meet.
BARRIER = """
import os, time

def pytest_sessionfinish(session):
    if hasattr(session.config, "workerinput"):
        return
    folder = os.environ["BARRIER"]
    open(os.path.join(folder, str(os.getpid())), "w").close()
    deadline = time.monotonic() + 120
    while len(os.listdir(folder)) < int(os.environ["SESSIONS"]) and time.monotonic() < deadline:
        time.sleep(0.05)
"""


def _project(root: Path, name: str) -> Path:
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "{name}"\n\n[tool.pytest.ini_options]\n'
        'addopts = ["-p", "no:cacheprovider"]\n'
    )
    (root / "test_suite.py").write_text(SUITE)
    return root


def _pytest(
    project: Path, memory: str, *arguments: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", *arguments],
        cwd=project,
        env={**os.environ, "APYTEST_MEMORY": memory, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(session: subprocess.Popen[str], timeout: float = 240) -> tuple[int, str]:
    out, _ = session.communicate(timeout=timeout)
    return session.returncode, out


def _server_warnings(output: str, memory: str) -> list[str]:
    return [
        line
        for line in output.splitlines()
        if line.startswith("apytest: warning:") and describe(memory) in line
    ]


@pytest.mark.slow
def test_sixteen_sessions_of_two_projects_at_once_lose_nothing(
    tmp_path: Path, postgres_memory: str
) -> None:
    sessions = 16
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    projects = {name: _project(tmp_path / name, name) for name in ("alpha", "beta")}
    for folder in projects.values():
        (folder / "conftest.py").write_text(BARRIER)
    env = {"BARRIER": str(barrier), "SESSIONS": str(sessions)}
    running = [
        _pytest(
            projects[("alpha", "beta")[number % 2]],
            postgres_memory,
            *(["-n", "2"] if number % 4 < 2 else []),
            env=env,
        )
        for number in range(sessions)
    ]
    finished = [_finish(session) for session in running]
    for code, out in finished:
        assert code == 1, out
        assert "apytest: warning" not in out, out

    for name in projects:
        runs = memory_api.runs(name, memory=postgres_memory)
        assert len(runs) == sessions // 2
        assert {run.tests for run in runs} == {8}
        assert all(dict(run.outcomes) == OUTCOMES for run in runs)
        for past in runs:
            stored = memory_api.run(past.id, memory=postgres_memory)
            assert stored is not None
            assert len(stored.results) == 8
            assert len({r.nodeid for r in stored.results}) == 8
        failures = memory_api.recorded_failures(name, memory=postgres_memory)
        assert Counter(f.run_id for f in failures) == {run.id: 1 for run in runs}
        suggestions = memory_api.suggestions(name, memory=postgres_memory)
        keys = Counter((s.suggestion.nodeid, s.suggestion.signature) for s in suggestions)
        assert keys, "no suggestion to deduplicate"
        assert set(keys.values()) == {1}
        for stored_suggestion in suggestions:
            assert stored_suggestion.count == sessions // 2
            assert stored_suggestion.first_seen <= stored_suggestion.last_seen
            assert stored_suggestion.last_run in {run.id for run in runs}
    all_runs = memory_api.runs(memory=postgres_memory)
    assert len({run.id for run in all_runs}) == len(all_runs) == sessions


def test_a_server_that_is_down_is_one_warning(tmp_path: Path) -> None:
    memory = f"postgresql://apytest@127.0.0.1:{postgres_server.free_port()}/nowhere"
    code, out = _finish(_pytest(_project(tmp_path / "demo", "demo"), memory))
    assert code == 1
    assert "1 failed, 7 passed" in out
    [warning] = _server_warnings(out, memory)
    assert "cannot connect" in warning
    assert "Connection refused" in warning


def test_a_refused_password_is_one_warning_that_never_shows_it(
    tmp_path: Path, postgres: postgres_server.Server, postgres_memory: str
) -> None:
    wrong = "Wr0ng-pa55-d9e1c"
    memory = postgres_memory.replace("apytest@", f"apytest:{wrong}@")
    project = _project(tmp_path / "demo", "demo")
    code, out = _finish(_pytest(project, memory, env={"PGPASSWORD": ""}))
    assert code == 1
    assert "1 failed, 7 passed" in out
    [warning] = _server_warnings(out, memory)
    assert "password authentication failed" in warning
    written = out + "".join(
        path.read_text(errors="replace") for path in project.rglob("*") if path.is_file()
    )
    assert wrong not in written
    assert postgres_server.PASSWORD not in written


def test_the_password_is_never_written_anywhere(
    tmp_path: Path, postgres: postgres_server.Server, postgres_memory: str
) -> None:
    """With the password in APYTEST_MEMORY (a CI secret): not in the terminal, the run log,
    the metrics, the archive or the memory."""
    memory = postgres_memory.replace("apytest@", f"apytest:{postgres_server.PASSWORD}@")
    project = _project(tmp_path / "demo", "demo")
    code, out = _finish(_pytest(project, memory, env={"PGPASSWORD": ""}))
    assert code == 1
    assert f"memory {describe(memory)}" in out
    archive = subprocess.run(
        [sys.executable, "-m", "apytest.cli.apytest", "archive", "-o", "out.tar.gz"],
        cwd=project,
        env={**os.environ, "APYTEST_MEMORY": memory, "PGPASSWORD": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert archive.returncode == 0, archive.stderr
    assert len(memory_api.runs(memory=memory)) == 1
    written = b"".join(path.read_bytes() for path in project.rglob("*") if path.is_file())
    dump = subprocess.run(
        [str(postgres.bin / "pg_dump"), postgres.url(postgres_memory.rsplit("/", 1)[1])],
        env={"PGPASSWORD": postgres_server.PASSWORD},
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    for text in (out.encode(), archive.stdout.encode(), archive.stderr.encode(), written, dump):
        assert postgres_server.PASSWORD.encode() not in text


@contextmanager
def _table_locked(
    server: postgres_server.Server, database: str, table: str
) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """Another connection holds `table` so that a session's inserts wait for it."""
    holder = psycopg.connect(server.url(database, password=True))
    try:
        holder.execute(f"LOCK TABLE apytest.{table} IN EXCLUSIVE MODE")
        yield holder
    finally:
        holder.rollback()
        holder.close()


def _waiting_backend(
    observer: psycopg.Connection[tuple[object, ...]], database: str, timeout: float = 120
) -> int:
    """The PID of the apytest backend waiting for a lock in `database`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = observer.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND application_name = 'apytest'"
            " AND wait_event_type = 'Lock'",
            [database],
        ).fetchone()
        if row is not None:
            return int(str(row[0]))
        time.sleep(0.05)
    raise AssertionError("no session-end write waited for the lock")


def _nothing_stored(memory: str) -> None:
    assert memory_api.runs(memory=memory) == []
    assert memory_api.recorded_failures(memory=memory) == []
    assert memory_api.suggestions(memory=memory) == []


def test_a_connection_killed_during_the_session_end_write_leaves_nothing(
    tmp_path: Path, postgres: postgres_server.Server, postgres_memory: str
) -> None:
    database = postgres_memory.rsplit("/", 1)[1]
    memory_api.runs(memory=postgres_memory)  # the schema exists
    with psycopg.connect(postgres.url(database, password=True), autocommit=True) as observer:
        with _table_locked(postgres, database, "test_failures"):
            session = _pytest(_project(tmp_path / "demo", "demo"), postgres_memory)
            backend = _waiting_backend(observer, database)
            # The run and its results are written by now, in the open transaction.
            observer.execute("SELECT pg_terminate_backend(%s)", [backend])
        code, out = _finish(session)
    assert code == 1
    assert "1 failed, 7 passed" in out
    [warning] = _server_warnings(out, postgres_memory)
    assert "the connection failed" in warning
    _nothing_stored(postgres_memory)


def test_a_lock_held_too_long_is_one_warning_within_the_lock_timeout(
    tmp_path: Path, postgres: postgres_server.Server, postgres_memory: str
) -> None:
    database = postgres_memory.rsplit("/", 1)[1]
    memory = f"{postgres_memory}?options=-c%20lock_timeout%3D1s"
    memory_api.runs(memory=memory)
    with _table_locked(postgres, database, "test_failures"):
        code, out = _finish(_pytest(_project(tmp_path / "demo", "demo"), memory), timeout=120)
    assert code == 1
    [warning] = _server_warnings(out, memory)
    assert "took too long (canceling statement due to lock timeout)" in warning
    _nothing_stored(memory)


def test_a_server_that_stops_answering_mid_write_is_given_up_on(
    tmp_path: Path, postgres: postgres_server.Server, postgres_memory: str
) -> None:
    """A stopped backend cancels nothing: the client's watchdog ends the wait after two
    statement timeouts and its margin (1 s twice and 5 s here)."""
    database = postgres_memory.rsplit("/", 1)[1]
    memory = f"{postgres_memory}?options=-c%20statement_timeout%3D1s"
    memory_api.runs(memory=memory)
    with psycopg.connect(postgres.url(database, password=True), autocommit=True) as observer:
        with _table_locked(postgres, database, "test_failures"):
            session = _pytest(_project(tmp_path / "demo", "demo"), memory)
            backend = _waiting_backend(observer, database)
            os.kill(backend, signal.SIGSTOP)
        try:
            started = time.monotonic()
            code, out = _finish(session, timeout=120)
            waited = time.monotonic() - started
        finally:
            os.kill(backend, signal.SIGCONT)
    assert code == 1
    assert "1 failed, 7 passed" in out
    [warning] = _server_warnings(out, memory)
    assert "no answer from the server within 7 s" in warning
    assert waited < 60
    _nothing_stored(memory)


def test_the_watchdog_times_each_exchange_not_the_connection(
    postgres_memory: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long copy is many quick exchanges: none of them is given up on; one exchange that
    gets no answer is."""
    from apytest.feedback import store, store_postgres

    monkeypatch.setattr(store_postgres, "DEADLINE_MARGIN", 0.3)
    memory = f"{postgres_memory}?options=-c%20statement_timeout%3D100ms"
    with store.open_store(memory) as connected:
        assert connected.deadline == pytest.approx(0.5)  # type: ignore[attr-defined]
        for _ in range(4):
            time.sleep(0.3)
            assert connected.query("SELECT 1 AS one")[0]["one"] == 1
        connected.execute("SET statement_timeout = 0")  # the server would cancel it first
        started = time.monotonic()
        with pytest.raises(store.StoreError, match=r"no answer from the server within 0\.5 s"):
            connected.query("SELECT pg_sleep(5)")
        assert time.monotonic() - started < 4


def test_sessions_starting_together_on_an_empty_database_create_it_once(
    postgres: postgres_server.Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each of 8 processes finds no schema and migrates; they take turns, and each turn sees
    what the one before it committed (a lock taken inside the transaction did not)."""
    first_write = (
        "import sys\nfrom apytest.feedback import corpus_memory_logging as m\n"
        "m.log_interaction('note', 'first', memory=sys.argv[1])\n"
    )
    monkeypatch.setenv("PGPASSWORD", postgres_server.PASSWORD)
    for _ in range(3):
        memory = postgres.url(postgres.new_database())
        writers = [
            subprocess.Popen(
                [sys.executable, "-c", first_write, memory],
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(8)
        ]
        errors = [writer.communicate(timeout=120)[1] for writer in writers]
        assert [writer.returncode for writer in writers] == [0] * 8, errors
        assert len(memory_api.interactions(memory=memory)) == 8
