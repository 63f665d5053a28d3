"""Writing the textfile: corrupt previous file, unwritable folder, concurrent sessions."""

from __future__ import annotations

import subprocess
import sys

import pytest
from metrics_file import MetricsReader


@pytest.mark.slow
@pytest.mark.parametrize(
    "previous",
    [
        b'pytest_test_failures_total{project="demo"} not-a-number\n{{{\n',
        b"\xff\xfe not UTF-8\n",
        b'# TYPE pytest_test_failures_total gauge\npytest_test_failures_total{project="demo"} 5\n',
        b"# TYPE pytest_test_failures_total counter\n"
        b'pytest_test_failures_total{project="demo"} -3\n',
    ],
    ids=["garbage", "not-utf8", "wrong-type", "negative-counter"],
)
def test_corrupt_previous_file_is_kept_aside_and_counting_restarts(
    suite: pytest.Pytester, read_metrics: MetricsReader, previous: bytes
) -> None:
    metrics_file = suite.path / "monitoring" / "pytest_metrics.prom"
    metrics_file.parent.mkdir()
    metrics_file.write_bytes(previous)

    result = suite.runpytest()

    assert result.ret == pytest.ExitCode.TESTS_FAILED  # the same as without the plugin
    result.stdout.fnmatch_lines(
        [f"apytest: warning: previous metrics file {metrics_file} is *kept as *counters restart"]
    )
    (aside,) = metrics_file.parent.glob("pytest_metrics.prom.corrupt-*")
    assert aside.read_bytes() == previous
    assert read_metrics().value("pytest_test_failures_total") == 2
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_unwritable_folder_warns_and_changes_no_outcome(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_green="def test_ok():\n    pass\n")
    # Root can write anywhere, but nobody can create a folder below a regular file.
    blocker = pytester.makefile(".txt", blocker="a file, not a folder")

    result = pytester.runpytest(
        f"--apytest-metrics-file={blocker}/metrics.prom",
        f"--apytest-log-file={blocker}/pytest.log",
    )

    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            f"apytest: warning: cannot write the metrics file {blocker}/metrics.prom: *",
            f"apytest: warning: cannot write the run log {blocker}/pytest.log: *",
        ]
    )
    output = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in output
    assert "INTERNALERROR" not in output


# Each session waits until all of them are running, so they finish (and write) together.
BARRIER_SUITE = """
import os
import time
from pathlib import Path

SESSIONS = {sessions}

def test_wait_for_the_others():
    Path(f"ready-{{os.getpid()}}").touch()
    deadline = time.monotonic() + 60
    while len(list(Path(".").glob("ready-*"))) < SESSIONS:
        assert time.monotonic() < deadline, "the other sessions never started"
        time.sleep(0.01)

def test_fails():
    assert False
"""


@pytest.mark.slow
def test_concurrent_sessions_are_all_counted(
    pytester: pytest.Pytester, read_metrics: MetricsReader
) -> None:
    sessions = 3
    pytester.makepyprojecttoml('[project]\nname = "demo"\n')
    pytester.makepyfile(test_barrier=BARRIER_SUITE.format(sessions=sessions))
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
    running = [
        subprocess.Popen(command, cwd=pytester.path, stdout=subprocess.PIPE, text=True)
        for _ in range(sessions)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in running]

    assert [process.returncode for process in running] == [1] * sessions, outputs
    metrics = read_metrics()
    assert metrics.value("pytest_test_failures_total") == sessions
    assert metrics.value("pytest_test_duration_seconds_count") == 2 * sessions
    leftovers = sorted(p.name for p in (pytester.path / "monitoring").iterdir())
    assert leftovers == [".gitignore", ".pytest_metrics.prom.lock", "pytest_metrics.prom"]
