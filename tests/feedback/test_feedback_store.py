"""The corpus memory on each backend (SQLite, PostgreSQL): concurrent writers, newer and older
schemas, counting, redaction, retention; and what only a SQLite file can be (corrupt)."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from memory_backends import Backend, Sqlite

from apytest.common.instance import runner_names
from apytest.common.memory_location import describe
from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback.records import Failure, LintFinding, Run, Suggestion, TestResult
from apytest.feedback.store_sqlite import MIGRATIONS, SCHEMA_VERSION

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


@pytest.mark.slow
def test_no_record_is_lost_with_several_writer_processes(backend: Backend) -> None:
    memory = backend.memory
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
    assert backend.version() == SCHEMA_VERSION


def test_a_sqlite_memory_is_in_wal_mode(tmp_path: Path) -> None:
    memory = tmp_path / "memory.sqlite3"
    memory_api.log_interaction("note", "first", memory=memory)
    with sqlite3.connect(memory) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    db.close()


def test_a_corrupt_file_is_reported_and_never_overwritten(tmp_path: Path) -> None:
    memory = tmp_path / "memory.sqlite3"
    garbage = b"this is not a database, but somebody's only copy of something\n" * 100
    memory.write_bytes(garbage)
    with pytest.raises(memory_api.CorpusMemoryError, match="not a usable corpus memory") as info:
        memory_api.log_interaction("note", "hello", memory=memory)
    assert str(memory) in str(info.value)
    assert "left untouched" in str(info.value)
    assert memory.read_bytes() == garbage


def test_a_newer_schema_is_reported_and_never_touched(backend: Backend) -> None:
    backend.write_version(SCHEMA_VERSION + 1)
    before = backend.stored()
    with pytest.raises(memory_api.CorpusMemoryError, match="newer apytest") as info:
        memory_api.suggestions(memory=backend.memory)
    assert str(info.value).startswith(describe(backend.memory))
    with pytest.raises(memory_api.CorpusMemoryError, match="newer apytest"):
        memory_api.log_interaction("note", "not written", memory=backend.memory)
    assert backend.stored() == before
    assert backend.version() == SCHEMA_VERSION + 1


def test_an_empty_memory_is_migrated_to_the_current_schema(backend: Backend) -> None:
    memory_api.log_interaction("note", "first", data={"n": 1}, memory=backend.memory)
    [note] = memory_api.interactions(memory=backend.memory)
    assert (note.kind, note.text, note.data) == ("note", "first", {"n": 1})
    assert backend.version() == SCHEMA_VERSION


def test_the_oldest_schema_is_migrated_in_place_with_its_records(backend: Backend) -> None:
    """A memory written by the first release of each backend: its runs and per-test results
    survive, and the next run gets an id after theirs."""
    backend.write_oldest_with_run()
    memory = backend.memory

    memory_api.log_interaction("note", "after the upgrade", memory=memory)
    old = memory_api.run(7, memory=memory)
    assert old is not None
    assert (old.project, old.coverage, old.exit_status, old.instance) == ("demo", 88.5, 1, "")
    assert sorted(old.results, key=lambda r: r.nodeid) == [
        TestResult("t.py::test_a", "passed", 0.25),
        TestResult("t.py::test_b", "failed", 0.5),
    ]
    history = memory_api.history("demo", memory=memory)
    assert history.outcomes == {"t.py::test_a": ("passed",), "t.py::test_b": ("failed",)}
    assert backend.version() == SCHEMA_VERSION
    new = memory_api.log_run(Run("demo", 3.0, 4.0, 1.0, 0), memory=memory)
    assert new.run_id > 7
    assert [past.id for past in memory_api.runs("demo", memory=memory)] == [new.run_id, 7]


def test_the_first_sqlite_results_table_is_rebuilt_without_rowid(tmp_path: Path) -> None:
    sqlite = Sqlite(tmp_path)
    sqlite.write_oldest_with_run()
    memory_api.log_interaction("note", "after the upgrade", memory=sqlite.memory)
    with sqlite3.connect(sqlite.memory) as db:
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


def test_runs_are_selected_by_instance(backend: Backend) -> None:
    """Three runners, runs interleaved: each label selects its runner's runs, on either
    backend, for the last run, the run list and the history of one kind."""
    memory = backend.memory
    here = socket.gethostname()
    for number, instance in enumerate(["ci-1", "ci-2", here, "ci-1", "ci-2", "ci-1:9100"]):
        run = Run("demo", number, number + 1.0, 1.0, 0, kind="full xdist=0", instance=instance)
        memory_api.log_run(run, memory=memory)
    ids = {r.id: r.instance for r in memory_api.runs("demo", memory=memory)}

    def of(*instances: str) -> list[int]:
        return sorted(run_id for run_id, name in ids.items() if name in instances)

    assert sorted(r.id for r in memory_api.runs("demo", instance="ci-1", memory=memory)) == of(
        "ci-1"
    )
    assert sorted(r.id for r in memory_api.runs("demo", instance="ci-1:9100", memory=memory)) == of(
        "ci-1", "ci-1:9100"
    )
    assert sorted(
        r.id for r in memory_api.runs("demo", instance="127.0.0.1:9100", memory=memory)
    ) == of(here)
    last = memory_api.last_run("demo", instance="ci-2:9100", memory=memory)
    assert last is not None
    assert last.id == max(of("ci-2"))
    assert last.instance == "ci-2"
    history = memory_api.history("demo", instance="ci-1", kind="full xdist=0", memory=memory)
    assert [r.id for r in history.runs] == of("ci-1")
    assert memory_api.runs("demo", instance="ci-9", memory=memory) == []


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


@pytest.mark.slow
def test_the_same_suggestion_fifty_times_is_stored_once(backend: Backend) -> None:
    memory = backend.memory
    suggestion = Suggestion("t.py:3: guard it", "optional-dependencies", "sig", "failure", "t.py")
    for _ in range(50):
        stored = memory_api.log_suggestion(suggestion, project="demo", memory=memory)
    assert stored.count == 50
    assert stored.first_seen <= stored.last_seen
    other_test = Suggestion("u.py:3: guard it", "optional-dependencies", "sig", "failure", "u.py")
    memory_api.log_suggestion(other_test, project="demo", memory=memory)
    assert sorted(s.count for s in memory_api.suggestions("demo", memory=memory)) == [1, 50]


def test_secrets_are_redacted_before_they_are_stored(backend: Backend) -> None:
    memory = backend.memory
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
    stored = backend.stored()
    assert b"login failed for password=[REDACTED]" in stored
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


def test_a_secret_named_in_the_traceback_is_masked_in_the_message_too(backend: Backend) -> None:
    memory = backend.memory
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


def test_results_whose_node_ids_redact_alike_are_stored_as_one(backend: Backend) -> None:
    """Two tokens as parameters give two tests one redacted node id: one row, of the worse
    outcome and the longer duration, never a run refused by the results' key."""
    a, b = "ghp_" + "a" * 36, "ghp_" + "b" * 36
    results = (
        TestResult(f"t.py::test_x[{a}]", "passed", 0.5),
        TestResult(f"t.py::test_x[{b}]", "xfailed", 0.2),
        TestResult("t.py::test_y", "failed", 0.1),
    )
    memory_api.log_run(Run("p", 0.0, 1.0, 1.0, 1, results=results), memory=backend.memory)
    stored = memory_api.last_run(memory=backend.memory)
    assert stored is not None
    assert [tuple(r) for r in stored.results] == [
        ("t.py::test_x[[REDACTED]]", "xfailed", 0.5),
        ("t.py::test_y", "failed", 0.1),
    ]


def test_records_that_break_the_schema_are_refused_and_the_memory_stays_usable(
    backend: Backend,
) -> None:
    """A failure of a run that was never stored: the message blames the records, not the
    memory, and the memory goes on working."""
    failure = Failure("t.py::test_x", "call", "ValueError", "bad")
    with pytest.raises(memory_api.CorpusMemoryError, match="the records were refused") as info:
        memory_api.log_test_failure(failure, run_id=999, memory=backend.memory)
    assert "not a usable corpus memory" not in str(info.value)
    assert memory_api.recorded_failures(memory=backend.memory) == []
    memory_api.log_test_failure(failure, memory=backend.memory)
    assert len(memory_api.recorded_failures(memory=backend.memory)) == 1


def test_every_result_of_a_large_run_is_stored_with_its_parameters_redacted(
    backend: Backend,
) -> None:
    """More results than one INSERT holds (`RESULTS_PER_INSERT`), and not a multiple of it;
    node ids with parameters among them, one a token."""
    from apytest.feedback.store import RESULTS_PER_INSERT

    token = "ghp_" + "a1B2" * 9
    count = 2 * RESULTS_PER_INSERT + 7
    results = tuple(
        TestResult(f"t.py::test_{n}[{token if n == count - 1 else n}]", "passed", n / 1000)
        for n in range(count)
    )
    run_id = memory_api.log_run(
        Run("demo", 0.0, 1.0, 1.0, 0, results=results), memory=backend.memory
    ).run_id
    stored = memory_api.run(run_id, memory=backend.memory)
    assert stored is not None
    expected = {r.nodeid.replace(token, "[REDACTED]"): (r.outcome, r.duration) for r in results}
    assert {r.nodeid: (r.outcome, r.duration) for r in stored.results} == expected
    assert token.encode() not in backend.stored()


@pytest.mark.slow
def test_per_test_results_are_kept_for_recent_runs_of_each_project_only(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apytest.feedback import store

    monkeypatch.setattr(store, "RESULT_RUNS_KEPT", 3)
    memory = backend.memory
    for number in range(5):
        result = TestResult("t.py::test_a", "passed", float(number))
        memory_api.log_run(Run("demo", 0.0, 1.0, 1.0, 0, results=(result,)), memory=memory)
        memory_api.log_run(Run("other", 0.0, 1.0, 1.0, 0, results=(result,)), memory=memory)
    for project in ("demo", "other"):
        history = memory_api.history(project, memory=memory)
        assert len(history.runs) == 5
        assert history.durations["t.py::test_a"] == (2.0, 3.0, 4.0)
        kept = [
            len(memory_api.run(past.id, memory=memory).results)  # type: ignore[union-attr]
            for past in memory_api.runs(project, memory=memory)
        ]
        assert kept == [1, 1, 1, 0, 0]


def test_text_the_database_cannot_hold_is_stored_all_the_same(backend: Backend) -> None:
    """A NUL in captured output (PostgreSQL text cannot hold one) costs the character only."""
    failure = Failure("t.py::test_bin", "call", "ValueError", "bad\x00byte", output="a\x00b")
    memory_api.log_test_failure(failure, memory=backend.memory)
    [stored] = memory_api.recorded_failures(memory=backend.memory)
    kept = {"sqlite": "\x00", "postgresql": "\ufffd"}[backend.name]
    assert (stored.failure.message, stored.failure.output) == (f"bad{kept}byte", f"a{kept}b")
