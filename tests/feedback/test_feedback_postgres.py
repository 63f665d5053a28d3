"""The corpus memory on a real PostgreSQL server: the plugin and the commands on it, the
memory setting's URL, credentials, and a plain install that never imports the driver."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import postgres_server
import pytest

from apytest.cli.apytest import main
from apytest.common.memory_location import MemoryLocation, describe
from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback import memory_copy
from apytest.feedback.records import Failure, LintFinding, Run, Suggestion, TestResult

pytestmark = pytest.mark.e2e

SUITE = """
def test_ok():
    pass

def test_missing():
    import apytest_demo_mlpkg

def test_prints_secret():
    print("DB_PASSWORD=hunter2")
    assert False
"""

NO_DRIVER = textwrap.dedent(
    """
    import sys
    import pytest

    code = pytest.main(["-q", "-p", "no:cacheprovider", sys.argv[1]])
    from apytest.feedback import corpus_memory_logging as m

    assert len(m.runs(memory=sys.argv[2])) == 1, "the session was not recorded"
    print("loaded:", sorted(name for name in sys.modules if name.split(".")[0] == "psycopg"))
    sys.exit(int(code))
    """
)


@pytest.mark.slow
def test_a_sqlite_session_never_imports_the_driver(tmp_path: Path) -> None:
    """The plugin, the feedback loop and the memory's API of a session on SQLite: no psycopg,
    although it is installed here (it is in the development extras)."""
    (tmp_path / "test_one.py").write_text("def test_fails():\n    assert False\n")
    memory = tmp_path / ".apytest" / "memory.sqlite3"
    done = subprocess.run(
        [sys.executable, "-c", NO_DRIVER, str(tmp_path), str(memory)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "loaded: []" in done.stdout


@pytest.mark.slow
def test_sessions_record_into_postgresql(
    project: pytest.Pytester, postgres_memory: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APYTEST_MEMORY", postgres_memory)
    project.makepyfile(test_suite=SUITE)
    first = project.runpytest()
    second = project.runpytest("-n", "2")
    for result in (first, second):
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        result.assert_outcomes(passed=1, failed=2)
        result.stdout.fnmatch_lines([f"apytest: metrics *, memory {describe(postgres_memory)}"])
        assert "apytest warnings" not in result.stdout.str()
    assert not (project.path / ".apytest" / "memory.sqlite3").exists()
    runs = memory_api.runs("demo", memory=postgres_memory)
    assert [(run.id, run.tests, run.failed) for run in runs] == [(2, 3, 2), (1, 3, 2)]
    [missing] = [
        s
        for s in memory_api.suggestions("demo", memory=postgres_memory)
        if s.suggestion.nodeid == "test_suite.py::test_missing"
    ]
    assert (missing.count, missing.last_run) == (2, 2)
    failures = memory_api.recorded_failures("demo", memory=postgres_memory)
    assert len(failures) == 4
    assert all("hunter2" not in f.failure.output for f in failures)


def test_a_password_in_the_ini_file_or_on_the_command_line_is_refused(
    project: pytest.Pytester, postgres: postgres_server.Server
) -> None:
    url = postgres.url(password=True)
    project.makepyfile(test_one="def test_ok():\n    pass\n")
    result = project.runpytest("--apytest-memory", url)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "*--apytest-memory: postgresql://apytest@127.0.0.1:*/postgres:"
            " the URL carries a password; *APYTEST_MEMORY*"
        ]
    )
    (project.path / "pytest.ini").write_text(f"[pytest]\napytest_memory = {url}\n")
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert postgres_server.PASSWORD not in result.stdout.str() + result.stderr.str()


def test_the_memory_is_named_without_its_password() -> None:
    assert describe("postgresql://bob:s3cr3t@db.example.com:6543/ci?sslmode=require") == (
        "postgresql://bob@db.example.com:6543/ci"
    )
    assert describe("postgres://db/ci?password=s3cr3t&user=bob") == "postgresql://bob@db/ci"
    assert describe("postgresql:///?service=apytest") == "postgresql:// (service apytest)"
    with pytest.raises(memory_api.CorpusMemoryError) as bad:
        memory_api.runs(memory="postgresql://bob:s3cr3t@db/ci?no_such_parameter=1")
    assert str(bad.value).startswith("postgresql://bob@db/ci: not a PostgreSQL URL")
    assert "s3cr3t" not in str(bad.value)


def _everything(memory: MemoryLocation) -> dict[str, object]:
    """All a memory holds, read through the public API."""
    runs = memory_api.runs(memory=memory)
    return {
        "runs": runs,
        "records": [memory_api.run(past.id, memory=memory) for past in runs],
        "suggestions": memory_api.suggestions(memory=memory),
        "failures": memory_api.recorded_failures(memory=memory),
        "interactions": memory_api.interactions(memory=memory),
    }


def test_memory_copy_moves_a_history_to_postgresql_and_back(
    tmp_path: Path, postgres_memory: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "runner.sqlite3"
    for number in range(3):
        project = ("demo", "other")[number % 2]
        run = Run(
            project,
            1.0 + number,
            2.0 + number,
            1.0,
            number % 2,
            coverage=80.0 + number,
            results=(
                TestResult("t.py::test_a", "passed", 0.5),
                TestResult("t.py::test_b", "failed"),
            ),
            failures=(Failure("t.py::test_b", "call", "ValueError", f"boom {number}", "t.py", 3),),
            findings=(LintFinding("t.py", 1, 1, "APT101", "undeclared"),),
            kind="selection" if number else "",
        )
        suggestion = Suggestion(
            "guard it", "optional-dependencies", "sig", "failure", "t.py::test_b"
        )
        logged = memory_api.log_run(run, [suggestion], memory=source)
        memory_api.log_interaction(
            "note", f"run {number}", data={"n": number}, run_id=logged.run_id, memory=source
        )
    back = tmp_path / "back.sqlite3"

    assert main(["memory", "copy", str(source), postgres_memory]) == 0
    out = capsys.readouterr().out
    assert out.strip() == (
        f"apytest memory copy: {source} -> {describe(postgres_memory)}: 3 runs, 6 results, "
        "3 test_failures, 3 lint_findings, 2 suggestions, 3 interactions"
    )
    assert main(["memory", "copy", postgres_memory, str(back)]) == 0
    original = _everything(source)
    assert _everything(postgres_memory) == original
    assert _everything(back) == original
    # New records go on after the copied ones on both backends.
    for memory in (postgres_memory, back):
        assert memory_api.log_run(Run("demo", 9.0, 9.5, 0.5, 0), memory=memory).run_id == 4
        assert memory_api.log_interaction("note", "after", memory=memory) == 4


def test_memory_copy_refuses_a_destination_with_records(
    tmp_path: Path, postgres_memory: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "runner.sqlite3"
    memory_api.log_run(Run("demo", 1.0, 2.0, 1.0, 0), memory=source)
    memory_api.log_interaction("note", "theirs", memory=postgres_memory)
    assert main(["memory", "copy", str(source), postgres_memory]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"apytest memory copy: {describe(postgres_memory)}: holds records")
    assert [i.text for i in memory_api.interactions(memory=postgres_memory)] == ["theirs"]
    assert main(["memory", "copy", str(tmp_path / "typo.sqlite3"), postgres_memory]) == 1
    assert "typo.sqlite3: no corpus memory there" in capsys.readouterr().err
    assert not (tmp_path / "typo.sqlite3").exists()


def test_the_copied_tables_are_every_column_of_both_schemas(
    tmp_path: Path, postgres: postgres_server.Server, postgres_memory: str
) -> None:
    sqlite_file = tmp_path / "memory.sqlite3"
    memory_api.runs(memory=sqlite_file)
    memory_api.runs(memory=postgres_memory)
    with sqlite3.connect(sqlite_file) as db:
        in_sqlite = {
            table: tuple(row[1] for row in db.execute(f"PRAGMA table_info({table})"))
            for table in memory_copy.TABLES
        }
    db.close()
    listed = postgres.psql(
        "SELECT table_name || ' ' || string_agg(column_name, ' ' ORDER BY ordinal_position)"
        " FROM information_schema.columns WHERE table_schema = 'apytest'"
        " AND table_name <> 'schema_version' GROUP BY table_name",
        postgres_memory.rsplit("/", 1)[1],
    )
    in_postgres = {line.split()[0]: tuple(line.split()[1:]) for line in listed.splitlines()}
    assert in_sqlite == in_postgres == memory_copy.TABLES


@pytest.mark.slow
def test_every_command_reads_the_same_from_both_backends(
    project: pytest.Pytester,
    postgres_memory: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Sessions record into PostgreSQL; a copy into SQLite; then each command that reads the
    memory prints the same from both."""
    monkeypatch.setenv("APYTEST_MEMORY", postgres_memory)
    project.makepyfile(test_suite=SUITE)
    project.runpytest()
    project.runpytest("-n", "2")
    local = project.path / "copy.sqlite3"
    assert main(["memory", "copy", postgres_memory, str(local)]) == 0
    monkeypatch.delenv("APYTEST_MEMORY")

    def outputs(memory: MemoryLocation) -> dict[str, object]:
        seen: dict[str, object] = {}
        for command in (
            ["review", "--format", "json"],
            ["review", "--format", "prompt"],
            ["suggestions", "--format", "json"],
            ["history", "--format", "json"],
            ["inventory", "-o", "inventory.md"],
            ["archive", "-o", "archive.tar.gz"],
        ):
            capsys.readouterr()
            code = main([*command, "--memory", str(memory)])
            out, err = capsys.readouterr()
            seen[command[0] + command[-1]] = (code, out.replace(str(memory), "MEMORY"), err)
        seen["inventory.md"] = (project.path / "inventory.md").read_text()
        with tarfile.open(project.path / "archive.tar.gz") as archive:
            member = archive.extractfile("apytest-run.json")
            assert member is not None
            seen["apytest-run.json"] = json.loads(member.read())
        return seen

    from_postgres = outputs(postgres_memory)
    assert json.loads(from_postgres["historyjson"][1])[0]["tests"] == 3  # type: ignore[index]
    assert from_postgres == outputs(local)


def test_the_documented_privileges_are_enough(
    postgres: postgres_server.Server, postgres_memory: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README's privileges: the owner of the schema `apytest` creates it; a user with USAGE on
    it and SELECT, INSERT, UPDATE, DELETE on its tables records sessions, counts suggestions,
    prunes per-test results and reads the review's history; a user without them gets an error
    naming the server."""
    from apytest.feedback import store

    monkeypatch.setattr(store, "RESULT_RUNS_KEPT", 3)
    database = postgres_memory.rsplit("/", 1)[1]
    owner, writer, stranger = (f"{role}_{database}" for role in ("owner", "writer", "stranger"))
    postgres.psql(
        f"CREATE ROLE {owner} LOGIN PASSWORD 'pw'; CREATE ROLE {writer} LOGIN PASSWORD 'pw';"
        f" CREATE ROLE {stranger} LOGIN PASSWORD 'pw'; CREATE SCHEMA apytest AUTHORIZATION {owner}",
        database,
    )
    as_role = {
        role: postgres_memory.replace("apytest@", f"{role}:pw@")
        for role in (owner, writer, stranger)
    }
    assert memory_api.runs(memory=as_role[owner]) == []  # the schema's owner creates the tables
    postgres.psql(
        f"SET ROLE {owner}; GRANT USAGE ON SCHEMA apytest TO {writer};"
        f" GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA apytest TO {writer}",
        database,
    )
    suggestion = Suggestion("guard it", "optional-dependencies", "sig", "failure", "t.py::test_b")
    for number in range(5):
        run = Run(
            "demo",
            1.0,
            2.0,
            1.0,
            1,
            results=(TestResult("t.py::test_b", "failed"),),
            failures=(Failure("t.py::test_b", "call", "ValueError", f"boom {number}"),),
        )
        memory_api.log_run(run, [suggestion], memory=as_role[writer])
    assert memory_api.history("demo", memory=as_role[writer]).outcomes == {
        "t.py::test_b": ("failed",) * 3
    }
    [stored] = memory_api.suggestions(memory=as_role[writer])
    assert stored.count == 5
    with pytest.raises(memory_api.CorpusMemoryError, match="permission denied") as denied:
        memory_api.log_interaction("note", "not mine to write", memory=as_role[stranger])
    assert str(denied.value).startswith(describe(as_role[stranger]))
    assert "pw" not in str(denied.value).replace(describe(as_role[stranger]), "")


def test_a_postgresql_memory_without_the_driver_names_the_extra(tmp_path: Path) -> None:
    """As on a plain install: the import of psycopg fails; one error, naming the extra."""
    check = textwrap.dedent(
        """
        import sys
        sys.modules["psycopg"] = None  # what a plain install without the extra has
        from apytest.feedback import corpus_memory_logging as m

        try:
            m.runs(memory="postgresql://ci:s3cr3t-pw@127.0.0.1:1/memory")
        except m.CorpusMemoryError as error:
            print(error)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "postgresql://ci@127.0.0.1:1/memory: a PostgreSQL memory needs the driver psycopg"
        " (psycopg is missing): pip install 'apytest[postgres]'\n"
    )
