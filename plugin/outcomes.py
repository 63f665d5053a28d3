"""What one test report means: the outcome categories of pytest's own terminal summary.

The metrics and the run log must agree with the line pytest prints ("2 passed, 1 failed, ...");
both use this one classification.
"""

from __future__ import annotations

import pytest

OUTCOMES: tuple[str, ...] = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")

# Outcomes that make a test count in pytest_test_failures_total.
FAILING: frozenset[str] = frozenset({"failed", "error"})


def classify(report: pytest.TestReport) -> str | None:
    """The outcome category a report adds to the session, or None for a passing setup/teardown.

    A failing setup or teardown is an "error"; any other failing phase (including the "???"
    report xdist makes for the test a crashed worker was running) is "failed".
    """
    xfail = hasattr(report, "wasxfail")
    if report.failed:
        return "error" if report.when in ("setup", "teardown") else "failed"
    if report.skipped:
        return "xfailed" if xfail else "skipped"
    if report.passed and report.when == "call":
        return "xpassed" if xfail else "passed"
    return None
