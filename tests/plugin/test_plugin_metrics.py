"""The textfile's numbers: one session, sessions continuing the counters, labels, switches."""

from __future__ import annotations

import json
import math
import stat
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from metrics_file import MetricsReader

from apytest.feedback import corpus_memory_logging
from apytest.plugin.options import OPTIONS
from apytest.plugin.pytest_plugin import RECORDER
from apytest.plugin.session_reports import SessionReports

EXPECTED_OUTCOMES = {
    "passed": 2,
    "failed": 1,
    "error": 1,
    "skipped": 1,
    "xfailed": 1,
    "xpassed": 1,
}
BUCKET = "pytest_test_duration_seconds_bucket"


@pytest.mark.slow
def test_one_session_numbers(suite: pytest.Pytester, read_metrics: MetricsReader) -> None:
    before = time.time()
    result = suite.runpytest()
    after = time.time()
    result.assert_outcomes(passed=2, failed=1, errors=1, skipped=1, xfailed=1, xpassed=1)

    metrics = read_metrics()
    # node_exporter may run as another user: the file must be readable by all.
    mode = (suite.path / "monitoring" / "pytest_metrics.prom").stat().st_mode
    assert stat.S_IMODE(mode) == 0o644
    assert metrics.outcomes() == EXPECTED_OUTCOMES
    # The histogram holds exactly the call phases pytest reported: ok, slow, fail, xfail and
    # xpass (skip and error never reach the call phase).
    calls = [
        report.duration
        for report in result.reprec.getreports("pytest_runtest_logreport")  # type: ignore[attr-defined]
        if report.when == "call"
    ]
    assert metrics.value("pytest_test_duration_seconds_count") == len(calls) == 5
    assert metrics.value("pytest_test_duration_seconds_sum") == pytest.approx(sum(calls))
    assert metrics.value("pytest_test_duration_seconds_sum") >= 0.2  # test_slow
    buckets = {
        dict(labels)["le"]: count
        for (name, labels), count in metrics.samples.items()
        if name == BUCKET
    }
    bounds = sorted(map(float, buckets))
    # From a millisecond to five minutes.
    assert (len(bounds), bounds[0], bounds[-2:]) == (18, 0.001, [300.0, math.inf])
    for le, count in buckets.items():
        assert count == sum(duration <= float(le) for duration in calls), le
    assert metrics.value("pytest_test_failures_total") == 2  # test_fail and test_error
    assert metrics.value("pytest_session_exit_status") == pytest.ExitCode.TESTS_FAILED
    # A plain run: the whole suite, serial (see the README's "Like with like").
    duration = metrics.value(
        "pytest_session_duration_seconds", scope="full", workers="0", cov="false"
    )
    assert 0.2 <= duration < after - before
    assert before <= metrics.value("pytest_last_run_timestamp_seconds") <= after
    assert not metrics.has("pytest_last_success_timestamp_seconds")
    assert not metrics.has("pytest_coverage_percent")  # no --cov: absent, not 0
    assert "_created" not in metrics.text
    assert {name for _, labels in metrics.samples for name, _ in labels} == {
        "project",
        "outcome",
        "le",
        "scope",
        "workers",
        "cov",
    }


@pytest.mark.slow
def test_without_the_terminal_reporter_nothing_is_lost(
    suite: pytest.Pytester, read_metrics: MetricsReader
) -> None:
    """The plugin reads the reports the terminal reporter keeps; without one it keeps them."""
    suite.runpytest("-p", "no:terminal")
    metrics = read_metrics()
    assert metrics.outcomes() == EXPECTED_OUTCOMES
    assert metrics.value("pytest_test_duration_seconds_count") == 5
    assert metrics.value("pytest_test_failures_total") == 2
    log = (suite.path / "logs" / "pytest.log").read_text()
    assert " FAILED   test_suite.py::test_fail [call] " in log
    assert "1 error, 1 skipped, 1 xfailed, 1 xpassed ===" in log
    run = corpus_memory_logging.last_run("demo", memory=suite.path / ".apytest/memory.sqlite3")
    assert run is not None
    assert sorted(failure.nodeid for failure in run.failures) == [
        "test_suite.py::test_error",
        "test_suite.py::test_fail",
    ]
    assert len(run.results) == 7


@pytest.mark.slow
def test_the_sessions_reports_are_let_go_at_unconfigure(
    suite: pytest.Pytester, read_metrics: MetricsReader
) -> None:
    """pytest collects garbage over every live object at `pytest_unconfigure` and after it
    (pytest 8.4 and later): by then the plugin holds none of the session's reports, all of them
    written."""
    result = suite.runpytest()
    unconfigure = result.reprec.getcall("pytest_unconfigure")  # type: ignore[attr-defined]
    recorder = unconfigure.config.stash[RECORDER]
    assert recorder.finished
    assert recorder.reports == SessionReports([], [], [])
    assert read_metrics().outcomes() == EXPECTED_OUTCOMES


@pytest.mark.slow
def test_promtool_accepts_the_file(
    suite: pytest.Pytester, read_metrics: MetricsReader, require_binary: Callable[[str], Path]
) -> None:
    promtool = require_binary("promtool")
    suite.runpytest()
    checked = subprocess.run(
        [str(promtool), "check", "metrics"],
        input=read_metrics().text,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")


@pytest.mark.slow
def test_counters_continue_across_sessions_until_the_file_is_deleted(
    suite: pytest.Pytester, read_metrics: MetricsReader
) -> None:
    suite.runpytest()
    suite.runpytest()
    twice = read_metrics()
    assert twice.value("pytest_test_failures_total") == 4
    assert twice.value("pytest_test_duration_seconds_count") == 10
    assert twice.value("pytest_test_duration_seconds_sum") >= 0.4
    # The two sleeping tests never land at or below 0.1 s; the eight others do unless the
    # machine is loaded, so the bucket is bounded, not counted (it flaked at 7 under load).
    assert 0 < twice.value(BUCKET, le="0.1") <= 8
    assert twice.value(BUCKET, le="+Inf") == 10
    assert twice.outcomes() == EXPECTED_OUTCOMES  # gauges: this session only

    suite.makepyfile(test_suite="def test_ok():\n    pass\n")
    suite.runpytest().assert_outcomes(passed=1)
    green = read_metrics()
    assert green.value("pytest_test_failures_total") == 4
    assert green.value("pytest_test_duration_seconds_count") == 11
    assert green.outcomes()["passed"] == 1
    assert green.outcomes()["failed"] == 0
    assert green.value("pytest_session_exit_status") == 0
    assert green.value("pytest_last_success_timestamp_seconds") == green.value(
        "pytest_last_run_timestamp_seconds"
    )

    suite.makepyfile(test_suite="def test_bad():\n    assert False\n")
    suite.runpytest()
    red = read_metrics()
    # A red session keeps the last success of the green one.
    assert red.value("pytest_last_success_timestamp_seconds") == green.value(
        "pytest_last_success_timestamp_seconds"
    )

    (suite.path / "monitoring" / "pytest_metrics.prom").unlink()
    suite.runpytest()
    assert read_metrics().value("pytest_test_failures_total") == 1


@pytest.mark.slow
def test_session_times_written_before_a_kind_label_existed_are_dropped(
    pytester: pytest.Pytester, read_metrics: MetricsReader
) -> None:
    """A file of an older release holds the session time without `scope` and `workers` (before
    kinds) or without `cov`: the next session continues the counters and drops those series,
    which no later session would ever replace."""
    pytester.makepyfile(test_one="def test_ok():\n    pass\n")
    metrics_file = pytester.path / "monitoring" / "pytest_metrics.prom"
    metrics_file.parent.mkdir()
    metrics_file.write_text(
        "# TYPE pytest_test_failures_total counter\n"
        'pytest_test_failures_total{project="demo"} 7.0\n'
        "# TYPE pytest_session_duration_seconds gauge\n"
        'pytest_session_duration_seconds{project="demo"} 50.0\n'
        'pytest_session_duration_seconds{project="demo",scope="full",workers="0"} 60.0\n'
        'pytest_session_duration_seconds{project="demo",scope="full",workers="2",cov="true"} 9.0\n'
    )
    pytester.runpytest("--apytest-project", "demo").assert_outcomes(passed=1)
    metrics = read_metrics()
    assert metrics.value("pytest_test_failures_total") == 7
    durations = {
        labels: value
        for (name, labels), value in metrics.samples.items()
        if name == "pytest_session_duration_seconds"
    }
    kept = frozenset({"project": "demo", "scope": "full", "workers": "2", "cov": "true"}.items())
    assert durations.pop(kept) == 9.0
    [(labels, value)] = durations.items()
    assert dict(labels) == {"project": "demo", "scope": "full", "workers": "0", "cov": "false"}
    assert value < 50.0


@pytest.mark.slow
def test_project_label_default_option_and_shared_file(
    pytester: pytest.Pytester, read_metrics: MetricsReader
) -> None:
    pytester.makepyfile(test_one="def test_bad():\n    assert False\n")
    pytester.runpytest()
    assert read_metrics().value("pytest_test_failures_total", project=pytester.path.name) == 1

    pytester.runpytest("--apytest-project=alpha")
    pytester.makeini("[pytest]\napytest_project = beta\n")
    pytester.runpytest()
    pytester.runpytest()
    shared = read_metrics()
    # Three projects in one file: each keeps its own counter, none overwrites another.
    assert shared.value("pytest_test_failures_total", project=pytester.path.name) == 1
    assert shared.value("pytest_test_failures_total", project="alpha") == 1
    assert shared.value("pytest_test_failures_total", project="beta") == 2
    assert shared.value("pytest_session_tests", project="alpha", outcome="failed") == 1


@pytest.mark.slow
def test_coverage_gauge_is_pytest_covs_total(
    pytester: pytest.Pytester, read_metrics: MetricsReader
) -> None:
    pytester.makepyfile(
        calc="""
        def add(a, b):
            return a + b

        def unused(a):
            if a:
                return 1
            return 2
        """,
        test_calc="""
        from calc import add

        def test_add():
            assert add(1, 2) == 3
        """,
    )
    result = pytester.runpytest_subprocess("--cov=calc", "--cov-report=json:coverage.json")
    assert result.ret == 0
    coverage_total = json.loads((pytester.path / "coverage.json").read_text())["totals"]
    gauge = read_metrics().value(
        "pytest_coverage_percent", project=pytester.path.name, scope="full"
    )
    assert 0 < gauge < 100
    assert math.isclose(gauge, coverage_total["percent_covered"], rel_tol=1e-9)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "ini"),
    [
        (["-p", "no:apytest"], ""),
        (["--no-apytest"], ""),
        ([], "[pytest]\napytest = false\n"),
        (["--collect-only"], ""),
        (["--fixtures"], ""),
        (["--setup-plan"], ""),
    ],
    ids=["no-plugin", "option", "ini", "collect-only", "fixtures", "setup-plan"],
)
def test_switched_off_writes_nothing(suite: pytest.Pytester, args: list[str], ini: str) -> None:
    if ini:
        suite.makeini(ini)
    suite.runpytest(*args)
    assert not (suite.path / "monitoring").exists()
    assert not (suite.path / "logs").exists()


def test_every_option_has_an_ini_twin_in_help(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    assert "apytest: run metrics, run log, Pushgateway, lint:" in result.stdout.str()
    ini_section = result.stdout.str().split("\n[pytest] ", 1)[1]
    for option in OPTIONS:
        result.stdout.fnmatch_lines([f"  {option.flag}*"])
        assert f"  {option.ini} ({option.kind if option.kind == 'bool' else 'string'})" in (
            ini_section
        )


LEAKED_UMASK = """
import os
import shutil

def test_fails():
    assert 0

def test_leaks_a_mask_and_cleans_up_logs():
    shutil.rmtree("logs")
    os.umask(0o777)
"""


def test_a_mask_a_test_left_set_does_not_lock_apytest_out_of_its_files(
    pytester: pytest.Pytester,
) -> None:
    """A test that sets the file-creation mask to 0o777 and leaves it: the memory, the lint
    cache, their folder, the metrics file and the run log written again after it are created
    under the mask the session started with (mode 000 files would lock every later session of a
    non-root user out of the memory); the outcome is pytest's."""
    pytester.makepyfile(test_mask=LEAKED_UMASK)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-p", "no:randomly", "--apytest-lint"
    )
    result.assert_outcomes(passed=1, failed=1)
    assert "apytest: warning" not in result.stdout.str()
    created = [
        pytester.path / name
        for name in (
            ".apytest",
            ".apytest/memory.sqlite3",
            ".apytest/cache",
            "monitoring/pytest_metrics.prom",
            "logs",
            "logs/pytest.log",
            "logs/.gitignore",
        )
    ]
    for path in created:
        wanted = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) & wanted == wanted, path
    run = corpus_memory_logging.last_run(memory=pytester.path / ".apytest" / "memory.sqlite3")
    assert run is not None
    assert run.outcomes == {"passed": 1, "failed": 1}


LEAKED_CLOCKS = """
import time

def test_fails():
    assert 0

def test_stops_the_clocks():
    time.time = lambda: 1.0e9
    time.monotonic = lambda: 5.0
"""


def test_clocks_a_test_replaced_and_left_do_not_date_the_session(
    pytester: pytest.Pytester, read_metrics: MetricsReader
) -> None:
    """A test that replaces `time.time` and `time.monotonic` without restoring them: the
    session is still timed and dated by the real clocks (no negative duration, no run in 2001),
    and its memory is written without waiting on a clock that stands still."""
    pytester.makepyfile(test_clocks=LEAKED_CLOCKS)
    before = time.time()
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-p", "no:randomly", "--apytest-project", "demo"
    )
    result.assert_outcomes(passed=1, failed=1)
    metrics = read_metrics()
    kind = {"scope": "full", "workers": "0", "cov": "false"}
    assert 0 < metrics.value("pytest_session_duration_seconds", **kind) < 60
    assert metrics.value("pytest_last_run_timestamp_seconds") >= int(before)
    run = corpus_memory_logging.last_run(memory=pytester.path / ".apytest" / "memory.sqlite3")
    assert run is not None
    assert run.finished_at >= before
    assert 0 < run.duration < 60
    [failure] = corpus_memory_logging.recorded_failures(
        memory=pytester.path / ".apytest" / "memory.sqlite3"
    )
    assert failure.at >= before
