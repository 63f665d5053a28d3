"""What one test report means: the outcome categories of pytest's own terminal summary.

The metrics and the run log must agree with the line pytest prints ("2 passed, 1 failed, ...");
both use this one classification.
"""

from __future__ import annotations

import pytest

# The node id under which an internal error of the session is logged, counted and stored.
INTERNAL_ERROR = "<internal error>"


def classify(report: pytest.TestReport) -> str | None:
    """The outcome category a report adds to the session, or None for a passing setup/teardown.

    A failing setup or teardown is an "error"; any other failing phase (including the "???"
    report xdist makes for the test a crashed worker was running) is "failed".
    """
    # Read once (`failed`, `passed` and `skipped` are properties of it); a str, not pytest's
    # Literal: plugins report others, such as pytest-rerunfailures' "rerun".
    outcome: str = report.outcome
    if outcome == "passed":
        if report.when != "call":
            return None
        return "xpassed" if hasattr(report, "wasxfail") else "passed"
    if outcome == "failed":
        return "error" if report.when in ("setup", "teardown") else "failed"
    if outcome == "skipped":
        return "xfailed" if hasattr(report, "wasxfail") else "skipped"
    return None
