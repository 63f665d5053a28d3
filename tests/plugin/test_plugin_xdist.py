"""Under xdist the controller alone counts and writes: the numbers equal a serial run's."""

from __future__ import annotations

import pytest
from metrics_file import MetricsReader

pytest.importorskip("xdist")


@pytest.mark.slow
def test_two_workers_give_the_serial_numbers(
    suite: pytest.Pytester, read_metrics: MetricsReader
) -> None:
    metrics_file = suite.path / "monitoring" / "pytest_metrics.prom"
    serial = suite.runpytest_subprocess()
    serial.assert_outcomes(passed=2, failed=1, errors=1, skipped=1, xfailed=1, xpassed=1)
    alone = read_metrics()
    metrics_file.unlink()

    parallel = suite.runpytest_subprocess("-n", "2")
    parallel.assert_outcomes(passed=2, failed=1, errors=1, skipped=1, xfailed=1, xpassed=1)
    shared = read_metrics()

    for name, labels in [
        ("pytest_test_failures_total", {}),
        ("pytest_test_duration_seconds_count", {}),
        ("pytest_test_duration_seconds_bucket", {"le": "0.1"}),
        ("pytest_session_exit_status", {}),
    ]:
        assert shared.value(name, **labels) == alone.value(name, **labels), name
    assert shared.outcomes() == alone.outcomes()
    assert shared.value("pytest_test_failures_total") == 2
    assert shared.value("pytest_test_duration_seconds_sum") >= 0.2
    # Only the controller writes: no worker left a file or a temporary behind.
    assert sorted(p.name for p in metrics_file.parent.iterdir()) == [
        ".gitignore",
        ".pytest_metrics.prom.lock",
        "pytest_metrics.prom",
    ]


@pytest.mark.slow
def test_a_crashed_workers_test_counts_as_failed(
    pytester: pytest.Pytester, read_metrics: MetricsReader
) -> None:
    pytester.makepyfile(
        test_crash="""
        import os

        def test_ok():
            pass

        def test_crash():
            os._exit(3)
        """
    )
    result = pytester.runpytest_subprocess("-n", "2")
    result.assert_outcomes(passed=1, failed=1)
    metrics = read_metrics()
    project = pytester.path.name
    assert metrics.value("pytest_test_failures_total", project=project) == 1
    assert metrics.value("pytest_session_tests", project=project, outcome="failed") == 1
    assert metrics.value("pytest_session_tests", project=project, outcome="passed") == 1
