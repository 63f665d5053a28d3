"""The run log: header, one record per outcome with the failure's details, footer, rotation."""

from __future__ import annotations

import pytest


def test_run_log_holds_what_a_red_ci_needs(suite):
    suite.runpytest("-rs")
    log = (suite.path / "logs" / "pytest.log").read_text()
    header, _, rest = log.partition("\n\n")
    records, _, footer = rest.rpartition("\n\n")

    assert f"rootdir: {suite.path}" in header
    assert f"pytest: {pytest.__version__}" in header
    assert "args: -rs" in header
    assert "apytest-0.1.0" in header  # the plugins line

    for outcome, test, phase in [
        ("PASSED", "test_ok", "call"),
        ("FAILED", "test_fail", "call"),
        ("SKIPPED", "test_skip", "setup"),
        ("XFAILED", "test_xfail", "call"),
        ("XPASSED", "test_xpass", "call"),
        ("ERROR", "test_error", "setup"),
    ]:
        assert f" {outcome:<8} test_suite.py::{test} [{phase}] " in records, test
    failure = records.split("test_suite.py::test_fail [call]", 1)[1].split("test_suite.py::")[0]
    assert "the answer is off" in failure  # the assertion message
    assert "test_suite.py:12: AssertionError" in failure  # the traceback
    assert "Captured stdout call:\n        output of the failing test" in failure
    assert "RuntimeError: the fixture broke" in records
    assert "reason: Skipped: never here" in records

    for count in ["2 passed", "1 failed", "1 error", "1 skipped", "1 xfailed", "1 xpassed"]:
        assert count in footer
    assert "exit status: 1" in footer


def test_run_log_is_truncated_each_session(suite):
    suite.runpytest("--apytest-project=first")
    suite.runpytest("--apytest-project=second")
    log = (suite.path / "logs" / "pytest.log").read_text()
    assert log.count("=== pytest session started") == 1
    assert "--apytest-project=second" in log
    assert not list((suite.path / "logs").glob("pytest.log.*"))


def test_run_log_rotation_keeps_n(pytester):
    pytester.makepyfile(test_one="def test_ok():\n    pass\n")
    pytester.makeini("[pytest]\napytest_log_keep = 2\n")
    for run in range(1, 5):
        pytester.runpytest(f"--apytest-project=run{run}")
    logs = pytester.path / "logs"
    assert sorted(p.name for p in logs.iterdir()) == ["pytest.log", "pytest.log.1", "pytest.log.2"]
    for name, run in [("pytest.log", 4), ("pytest.log.1", 3), ("pytest.log.2", 2)]:
        assert f"--apytest-project=run{run}" in (logs / name).read_text()


def test_bad_log_keep_is_a_usage_error(pytester):
    pytester.makeini("[pytest]\napytest_log_keep = many\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*apytest_log_keep must be an integer, not 'many'*"])
