"""Helpers of the plugin tests: a suite with every outcome, and the written metrics, parsed.

Every test runs real pytest sessions through `pytester` and reads what the plugin wrote with
prometheus_client's own parser, never by matching text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

# One test of each outcome; the call phases of test_slow, test_fail, test_xfail and test_xpass
# and test_ok are observed (5), test_skip skips at setup and test_error errors at setup.
SUITE = """
import time
import pytest

def test_ok():
    pass

def test_slow():
    time.sleep(0.2)

def test_fail():
    print("output of the failing test")
    assert 6 * 7 == 43, "the answer is off"

@pytest.mark.skipif(True, reason="never here")
def test_skip():
    pass

@pytest.mark.xfail(reason="known bug", strict=False)
def test_xfail():
    assert False

@pytest.mark.xfail(reason="fixed bug", strict=False)
def test_xpass():
    pass

@pytest.fixture
def broken():
    raise RuntimeError("the fixture broke")

def test_error(broken):
    pass
"""

OUTCOMES = {"passed": 2, "failed": 1, "error": 1, "skipped": 1, "xfailed": 1, "xpassed": 1}


class Metrics:
    """The samples of a textfile, keyed by (name, labels); timestamps must be absent."""

    def __init__(self, path: Path) -> None:
        self.text = path.read_text(encoding="utf-8")
        self.samples: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
        for family in text_string_to_metric_families(self.text):
            for sample in family.samples:
                assert sample.timestamp is None, sample
                self.samples[sample.name, frozenset(sample.labels.items())] = sample.value

    def value(self, name: str, project: str = "demo", **labels: str) -> float:
        return self.samples[name, frozenset({"project": project, **labels}.items())]

    def has(self, name: str) -> bool:
        return any(sample_name == name for sample_name, _ in self.samples)

    def outcomes(self, project: str = "demo") -> dict[str, float]:
        return {
            outcome: self.value("pytest_session_tests", project, outcome=outcome)
            for outcome in OUTCOMES
        }


@pytest.fixture
def read_metrics(pytester: pytest.Pytester) -> Callable[[], Metrics]:
    """Parse the textfile the last session wrote under pytester's rootdir."""
    return lambda: Metrics(pytester.path / "monitoring" / "pytest_metrics.prom")


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester project named `demo` holding SUITE."""
    pytester.makepyprojecttoml('[project]\nname = "demo"\n')
    pytester.makepyfile(test_suite=SUITE)
    return pytester
