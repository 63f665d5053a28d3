"""The corpus memory: concurrent writers, corrupt and newer files, counting, redaction."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from apytest.common.instance import runner_names
from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback.records import Failure, LintFinding, Run, Suggestion, TestResult
from apytest.feedback.store import MIGRATIONS, SCHEMA_VERSION

WRITER = textwrap.dedent(
    """
    import sys
    from apytest.feedback import corpus_memory_logging as m
    from apytest.feedback.records import Failure, Run, Suggestion, TestResult

    memory, writer, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for number in range(count):
        run = Run(
            "demo", 1.0, 2.0, 1.0, 1,
            results=tuple(TestResult(f"t.py::test_{i}", "passed", 0.01) for i in range(20)),
            failures=(Failure(f"t.py::w{writer}", "call", "ValueError", f"run {number}"),),
        )
        m.log_run(run, [Suggestion("same for all", "flaky-tests", "shared", "history")],
                  memory=memory)
        m.log_interaction("note", f"{writer}/{number}", memory=memory)
    """
)


def test_no_record_is_lost_with_several_writer_processes(tmp_path: Path) -> None:
    memory = tmp_path / "memory.sqlite3"
    writers, runs = 4, 15
    processes = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(memory), str(w), str(runs)])
        for w in range(writers)
    ]
    assert [p.wait(timeout=120) for p in processes] == [0] * writers
    assert len(memory_api.runs(memory=memory)) == writers * runs
    assert len(memory_api.recorded_failures(memory=memory)) == writers * runs
    notes = {i.text for i in memory_api.interactions("note", memory=memory)}
    assert notes == {f"{w}/{n}" for w in range(writers) for n in range(runs)}
    [shared] = memory_api.suggestions(memory=memory)
    assert shared.count == writers * runs
    with sqlite3.connect(memory) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_a_corrupt_file_is_reported_and_never_overwritten(tmp_path: Path) -> None:
    memory = tmp_path / "memory.sqlite3"
    garbage = b"this is not a database, but somebody's only copy of something\n" * 100
    memory.write_bytes(garbage)
    with pytest.raises(memory_api.CorpusMemoryError, match="not a usable corpus memory") as info:
        memory_api.log_interaction("note", "hello", memory=memory)
    assert str(memory) in str(info.value)
    assert "left untouched" in str(info.value)
    assert memory.read_bytes() == garbage


def test_a_newer_schema_is_reported_and_never_touched(tmp_path: Path) -> None:
    memory = tmp_path / "memory.sqlite3"
    with sqlite3.connect(memory) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = memory.read_bytes()
    with pytest.raises(memory_api.CorpusMemoryError, match="newer apytest"):
        memory_api.suggestions(memory=memory)
    assert memory.read_bytes() == before


def test_an_empty_file_is_migrated_to_the_current_schema(tmp_path: Path) -> None:
    memory = tmp_path / "memory.sqlite3"
    memory.touch()
    memory_api.log_interaction("note", "first", data={"n": 1}, memory=memory)
    [note] = memory_api.interactions(memory=memory)
    assert (note.kind, note.text, note.data) == ("note", "first", {"n": 1})


def test_a_first_schema_file_is_migrated_in_place_with_its_records(tmp_path: Path) -> None:
    """A memory written by the first release: its runs and per-test results survive."""
    memory = tmp_path / "memory.sqlite3"
    with sqlite3.connect(memory) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.executescript(MIGRATIONS[0])
        db.execute(
            "INSERT INTO runs VALUES (7, 'demo', 1.0, 2.0, 1.0, 1, 88.5, 2, 1,"
            ' \'{"failed": 1, "passed": 1}\', \'{"new_files": [], "changed_env": [],'
            ' "changed_cwd": ""}\')'
        )
        db.executemany(
            "INSERT INTO results VALUES (7, ?, ?, ?)",
            [("t.py::test_a", "passed", 0.25), ("t.py::test_b", "failed", 0.5)],
        )
        db.execute("PRAGMA user_version = 1")
    db.close()

    memory_api.log_interaction("note", "after the upgrade", memory=memory)
    old = memory_api.run(7, memory=memory)
    assert old is not None
    assert (old.project, old.coverage, old.exit_status) == ("demo", 88.5, 1)
    assert sorted(old.results, key=lambda r: r.nodeid) == [
        TestResult("t.py::test_a", "passed", 0.25),
        TestResult("t.py::test_b", "failed", 0.5),
    ]
    history = memory_api.history("demo", memory=memory)
    assert history.outcomes == {"t.py::test_a": ("passed",), "t.py::test_b": ("failed",)}
    with sqlite3.connect(memory) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        [schema] = db.execute("SELECT sql FROM sqlite_master WHERE name = 'results'").fetchone()
    db.close()
    assert "WITHOUT ROWID" in schema


def _schema_file(memory: Path, version: int) -> None:
    """A memory as apytest of schema `version` left it, with one run of runner-less `demo`."""
    with sqlite3.connect(memory) as db:
        db.execute("PRAGMA journal_mode = WAL")
        for script in MIGRATIONS[:version]:
            db.executescript(script)
        db.execute(
            "INSERT INTO runs (id, project, started_at, finished_at, duration, exit_status,"
            " coverage, tests, failed, outcomes, workspace) VALUES (3, 'demo', 1.0, 2.0,"
            ' 1.0, 0, 91.0, 1, 0, \'{"passed": 1}\', \'{"new_files": [], "changed_env":'
            ' [], "changed_cwd": ""}\')'
        )
        if version >= 4:
            db.execute("UPDATE runs SET kind = 'full xdist=0'")
        db.execute("INSERT INTO results VALUES (3, 't.py::test_a', 'passed', 0.25)")
        db.execute(f"PRAGMA user_version = {version}")
    db.close()


def test_a_schema_4_file_is_migrated_in_place_and_its_runs_have_no_instance(
    tmp_path: Path,
) -> None:
    """Schema 5 stores each run's runner; the runs before it keep theirs unknown ("")."""
    memory = tmp_path / "memory.sqlite3"
    _schema_file(memory, 4)
    run = Run("demo", 5.0, 6.0, 1.0, 0, kind="full xdist=0", instance="ci-1")
    memory_api.log_run(run, memory=memory)

    old, new = sorted(memory_api.runs("demo", memory=memory), key=lambda r: r.id)
    assert (old.id, old.coverage, old.kind, old.instance) == (3, 91.0, "full xdist=0", "")
    assert new.instance == "ci-1"
    stored_old = memory_api.run(3, memory=memory)
    assert stored_old is not None
    assert stored_old.results == (TestResult("t.py::test_a", "passed", 0.25),)
    assert [r.id for r in memory_api.runs("demo", instance="ci-1", memory=memory)] == [new.id]
    last = memory_api.last_run("demo", instance="ci-1", memory=memory)
    assert last is not None
    assert last.id == new.id
    assert memory_api.last_run("demo", instance="ci-2", memory=memory) is None
    assert [r.id for r in memory_api.history("demo", memory=memory).runs] == [3, new.id]
    assert [r.id for r in memory_api.history("demo", instance="ci-1", memory=memory).runs] == [
        new.id
    ]
    with sqlite3.connect(memory) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,) == (5,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    db.close()


@pytest.mark.parametrize("version", [2, 3])
def test_older_schema_files_are_migrated_in_place(tmp_path: Path, version: int) -> None:
    memory = tmp_path / "memory.sqlite3"
    _schema_file(memory, version)
    [old] = memory_api.runs(memory=memory)
    assert (old.id, old.project, old.instance) == (3, "demo", "")
    with sqlite3.connect(memory) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    db.close()


def test_a_schema_6_file_is_refused_untouched(tmp_path: Path) -> None:
    """A memory of a later apytest (one migration more) is neither read nor written."""
    memory = tmp_path / "memory.sqlite3"
    _schema_file(memory, SCHEMA_VERSION)
    with sqlite3.connect(memory) as db:
        db.execute("ALTER TABLE runs ADD COLUMN later TEXT NOT NULL DEFAULT ''")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    files = sorted(tmp_path.iterdir())
    before = [path.read_bytes() for path in files]
    with pytest.raises(memory_api.CorpusMemoryError, match="newer apytest") as info:
        memory_api.log_run(Run("demo", 5.0, 6.0, 1.0, 0), memory=memory)
    assert f"schema {SCHEMA_VERSION + 1}, this one knows {SCHEMA_VERSION}" in str(info.value)
    assert sorted(tmp_path.iterdir()) == files
    assert [path.read_bytes() for path in files] == before


@pytest.mark.parametrize(
    ("label", "runners"),
    [
        ("ci-1", ("ci-1",)),
        ("ci-1:9100", ("ci-1:9100", "ci-1")),
        ("10.0.0.7:9100", ("10.0.0.7:9100", "10.0.0.7")),
        ("127.0.0.1:9100", ("127.0.0.1:9100", "127.0.0.1", "<host>")),
        ("[::1]:9100", ("[::1]:9100", "::1", "<host>")),
        ("fe80::1", ("fe80::1",)),
        ("ci-1:http", ("ci-1:http",)),
    ],
)
def test_what_runs_an_instance_label_stands_for(label: str, runners: tuple[str, ...]) -> None:
    expected = tuple(socket.gethostname() if r == "<host>" else r for r in runners)
    assert runner_names(label) == tuple(dict.fromkeys(expected))


def test_the_same_suggestion_fifty_times_is_stored_once(tmp_path: Path) -> None:
    memory = tmp_path / "memory.sqlite3"
    suggestion = Suggestion("t.py:3: guard it", "optional-dependencies", "sig", "failure", "t.py")
    for _ in range(50):
        stored = memory_api.log_suggestion(suggestion, project="demo", memory=memory)
    assert stored.count == 50
    assert stored.first_seen <= stored.last_seen
    other_test = Suggestion("u.py:3: guard it", "optional-dependencies", "sig", "failure", "u.py")
    memory_api.log_suggestion(other_test, project="demo", memory=memory)
    assert sorted(s.count for s in memory_api.suggestions("demo", memory=memory)) == [1, 50]


def test_secrets_are_redacted_before_they_are_stored(tmp_path: Path) -> None:
    memory = tmp_path / "memory.sqlite3"
    token = "ghp_" + "a1B2" * 9
    run = Run(
        "demo",
        1.0,
        2.0,
        1.0,
        1,
        results=(TestResult("t.py::test_login", "failed"),),
        failures=(
            Failure(
                "t.py::test_login",
                "call",
                "AssertionError",
                "login failed for password=hunter2",
                traceback="E   url = 'https://bob:s3cr3t@db.example.com/x'",
                output=f"API_TOKEN={token}\nAuthorization: Bearer abcdefghijklmnopqrstuv\n",
            ),
        ),
        findings=(LintFinding("t.py", 1, 1, "APT205", f"uses {token}"),),
    )
    memory_api.log_run(run, memory=memory)
    data = {"secret": 42, "nested": [{"note": f"with {token}"}], "count": 3}
    memory_api.log_interaction("note", f"pushed with {token}", data=data, memory=memory)
    stored = memory.read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("memory.sqlite3-*")
    )
    for secret in (b"hunter2", b"s3cr3t", token.encode(), b"abcdefghijklmnopqrstuv"):
        assert secret not in stored
    [failure] = memory_api.recorded_failures(memory=memory)
    assert failure.failure.message == "login failed for password=[REDACTED]"
    assert "bob:[REDACTED]@db.example.com" in failure.failure.traceback
    [note] = memory_api.interactions(memory=memory)
    assert note.text == "pushed with [REDACTED]"
    assert note.data == {
        "secret": "[REDACTED]",
        "nested": [{"note": "with [REDACTED]"}],
        "count": 3,
    }


def test_a_secret_named_in_the_traceback_is_masked_in_the_message_too(tmp_path: Path) -> None:
    memory = tmp_path / "memory.sqlite3"
    diff = "AssertionError: assert 'hunter2-xyz' == 'letmein'"
    failure = Failure(
        "t.py::test_login",
        "call",
        "AssertionError",
        diff,
        traceback=f'    password = "hunter2-xyz"\nE   {diff}\nE     + hunter2-xyz',
        output="logged in as bob with hunter2-xyz\n",
    )
    memory_api.log_test_failure(failure, memory=memory)
    [stored] = memory_api.recorded_failures(memory=memory)
    assert stored.failure.message == "AssertionError: assert '[REDACTED]' == 'letmein'"
    assert "hunter2" not in stored.failure.traceback + stored.failure.output
    assert stored.failure.output == "logged in as bob with [REDACTED]\n"


def test_per_test_results_are_kept_for_recent_runs_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apytest.feedback import store

    monkeypatch.setattr(store, "RESULT_RUNS_KEPT", 3)
    memory = tmp_path / "memory.sqlite3"
    for number in range(5):
        result = TestResult("t.py::test_a", "passed", float(number))
        memory_api.log_run(Run("demo", 0.0, 1.0, 1.0, 0, results=(result,)), memory=memory)
    history = memory_api.history("demo", memory=memory)
    assert len(history.runs) == 5
    assert history.durations["t.py::test_a"] == (2.0, 3.0, 4.0)
