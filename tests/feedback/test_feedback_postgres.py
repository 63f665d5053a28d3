"""The corpus memory on a real PostgreSQL server: the plugin and the commands on it, the
memory setting's URL, credentials, and a plain install that never imports the driver."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import postgres_server
import pytest

from apytest.common.memory_location import describe
from apytest.feedback import corpus_memory_logging as memory_api

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
