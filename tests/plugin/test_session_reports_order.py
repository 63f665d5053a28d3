"""The gathered test reports are in the order their phases finished, untimed ones last."""

from __future__ import annotations

from typing import Literal

import pytest

from apytest.plugin.session_reports import gather


def _report(
    name: str, stop: float | None, outcome: Literal["passed", "failed", "skipped"] = "passed"
) -> pytest.TestReport:
    report = pytest.TestReport(
        f"test_m.py::{name}", ("test_m.py", 0, name), {}, outcome, None, "call", [], 0.0
    )
    report.stop = stop  # type: ignore[assignment]  # None: as a plugin may leave it
    return report


def _order(stats: dict[str, list[object]]) -> list[str]:
    return [nodeid.rpartition("::")[2] for _, _, nodeid in gather(stats).tests]


def test_reports_of_several_categories_merge_by_when_they_finished() -> None:
    stats: dict[str, list[object]] = {
        "passed": [_report("a", 3.0), _report("c", 7.0)],
        "failed": [_report("b", 5.0, "failed"), _report("d", 9.0, "failed")],
        "skipped": [_report("first", 1.0, "skipped")],
    }
    assert _order(stats) == ["first", "a", "b", "c", "d"]


def test_reports_made_without_times_come_last_in_arrival_order() -> None:
    # xdist's report of the test a crashed worker was running has no times (stop 0).
    stats: dict[str, list[object]] = {
        "passed": [_report("late", 8.0), _report("early", 2.0)],
        "failed": [_report("crash-1", 0.0, "failed"), _report("crash-2", 0.0, "failed")],
    }
    assert _order(stats) == ["early", "late", "crash-1", "crash-2"]


def test_a_report_whose_stop_is_none_sorts_with_the_untimed_ones() -> None:
    stats: dict[str, list[object]] = {
        "passed": [_report("none", None), _report("b", 4.0), _report("a", 1.0)],
        "failed": [_report("zero", 0.0, "failed")],
    }
    assert _order(stats) == ["a", "b", "none", "zero"]
