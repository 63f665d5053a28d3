"""A user's `git status` after a session: nothing new unless they asked for tracked output."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PROMETHEUS_YML = "# the user's own, committed\nglobal:\n  scrape_interval: 15s\n"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def repo(suite: pytest.Pytester) -> pytest.Pytester:
    """The suite in a git repository whose `monitoring/prometheus.yml` is committed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (suite.path / "monitoring").mkdir()
    (suite.path / "monitoring" / "prometheus.yml").write_text(PROMETHEUS_YML)
    git(suite.path, "init", "-q")
    # Python's and pytest's bytecode caches, which a user's global excludes hide: they are
    # written or not as PYTHONDONTWRITEBYTECODE says, and are no output of apytest's
    (suite.path / ".git" / "info" / "exclude").write_text("__pycache__/\n")
    git(suite.path, "add", ".")
    git(suite.path, "commit", "-q", "-m", "the user's project")
    return suite


@pytest.mark.slow
def test_git_status_is_clean_after_sessions(repo: pytest.Pytester) -> None:
    repo.runpytest()
    repo.runpytest()  # a rotated log and an updated textfile are still nobody's business
    assert git(repo.path, "status", "--porcelain", "--untracked-files=all") == ""
    assert (repo.path / "monitoring" / "pytest_metrics.prom").is_file()
    assert (repo.path / "logs" / "pytest.log.1").is_file()
    assert (repo.path / "monitoring" / "prometheus.yml").read_text() == PROMETHEUS_YML
    ignored = git(repo.path, "status", "--porcelain", "--ignored", "--untracked-files=all")
    assert "monitoring/prometheus.yml" not in ignored  # still tracked, never ignored
    assert not (repo.path / ".gitignore").exists()  # nothing written in the rootdir


@pytest.mark.slow
def test_a_memory_elsewhere_is_ignored_too(repo: pytest.Pytester) -> None:
    """`apytest_memory = "mem/m.sqlite3"`: the memory and SQLite's files beside it."""
    repo.runpytest("-o", "apytest_memory=mem/m.sqlite3")
    assert (repo.path / "mem" / "m.sqlite3").is_file()
    assert git(repo.path, "status", "--porcelain", "--untracked-files=all") == ""


@pytest.mark.slow
def test_a_users_gitignore_is_never_touched(repo: pytest.Pytester) -> None:
    users = repo.path / "monitoring" / ".gitignore"
    users.write_text("*.bak\n")
    repo.runpytest()
    assert users.read_text() == "*.bak\n"


@pytest.mark.slow
def test_no_permanent_lock_in_sight(repo: pytest.Pytester) -> None:
    repo.runpytest()
    visible = sorted(p.name for p in (repo.path / "monitoring").iterdir())
    assert visible == [
        ".gitignore",
        ".pytest_metrics.prom.lock",
        "prometheus.yml",
        "pytest_metrics.prom",
    ]
    assert not any(name.endswith(".lock") and not name.startswith(".") for name in visible)


@pytest.mark.slow
def test_tracked_output_when_asked(repo: pytest.Pytester) -> None:
    repo.runpytest("-o", "apytest_gitignore=false")
    status = git(repo.path, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert "?? monitoring/pytest_metrics.prom" in status
    assert "?? logs/pytest.log" in status


@pytest.mark.slow
def test_one_line_says_where_everything_went(suite: pytest.Pytester) -> None:
    first = suite.runpytest()
    first.stdout.fnmatch_lines(
        [
            "apytest: metrics monitoring/pytest_metrics.prom, log logs/pytest.log, "
            "memory .apytest/memory.sqlite3"
        ]
    )
    second = suite.runpytest()
    second.stdout.fnmatch_lines(
        [
            "apytest: metrics monitoring/pytest_metrics.prom, log logs/pytest.log "
            "(previous run: logs/pytest.log.1), memory .apytest/memory.sqlite3"
        ]
    )
    assert "apytest: metrics" not in suite.runpytest("-q").stdout.str()


@pytest.mark.slow
def test_the_previous_log_is_kept_by_default(suite: pytest.Pytester) -> None:
    suite.runpytest("-k", "test_ok")
    suite.runpytest("-k", "test_slow")
    assert "test_suite.py::test_ok" in (suite.path / "logs" / "pytest.log.1").read_text()
    assert "test_suite.py::test_slow" in (suite.path / "logs" / "pytest.log").read_text()
    suite.runpytest("-k", "test_ok", "-o", "apytest_log_keep=0")
    assert not (suite.path / "logs" / "pytest.log.2").exists()


@pytest.mark.slow
def test_the_line_names_the_files_from_where_pytest_started(suite: pytest.Pytester) -> None:
    """pytest-dependency's `pytest tests` from the project finds tests/pytest.ini: the rootdir,
    where the files go, is tests/, and the line said `monitoring/...` as if it were the
    project's. The near miss: started inside the rootdir's own subfolder, the path is absolute."""
    (suite.path / "tests").mkdir()
    (suite.path / "tests" / "pytest.ini").write_text("[pytest]\n")
    (suite.path / "tests" / "test_a.py").write_text("def test_a():\n    pass\n")
    suite.runpytest("tests").stdout.fnmatch_lines(
        [
            "apytest: metrics tests/monitoring/pytest_metrics.prom, log tests/logs/pytest.log, "
            "memory tests/.apytest/memory.sqlite3"
        ]
    )
    (suite.path / "tests" / "sub").mkdir()
    (suite.path / "tests" / "sub" / "test_b.py").write_text("def test_b():\n    pass\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(suite.path / "tests" / "sub")
        result = suite.runpytest(".")
    result.stdout.fnmatch_lines(
        [f"apytest: metrics {suite.path}/tests/monitoring/pytest_metrics.prom*"]
    )


def _collected_folders(suite: pytest.Pytester) -> set[str]:
    """The directory nodes pytest collects in an in-process session, as a plugin sees them."""
    reports = suite.inline_run("-p", "no:cacheprovider").getreports("pytest_collectreport")
    return {report.nodeid for report in reports if "." not in report.nodeid}


@pytest.mark.slow
@pytest.mark.skipif(
    int(pytest.__version__.split(".")[0]) < 8,
    reason="directory nodes: pytest 8 (pytest 7 collects no folder a plugin could see)",
)
def test_apytests_folders_are_not_collected(suite: pytest.Pytester) -> None:
    """pytest-json-report's tests count the collectors of their inner sessions: the `logs/`
    apytest made at session start was one more, and they failed. The near miss: a folder of
    the user's that apytest also writes into (`monitoring/prometheus.yml`) is still collected,
    as it is without apytest."""
    suite.runpytest()
    assert (suite.path / "logs").is_dir()
    assert (suite.path / "monitoring").is_dir()
    assert not {"logs", "monitoring"} & _collected_folders(suite)
    (suite.path / "monitoring" / "prometheus.yml").write_text(PROMETHEUS_YML)
    assert "monitoring" in _collected_folders(suite)
