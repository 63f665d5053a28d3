"""Helpers of the plugin tests: a suite with every outcome, and the written metrics, parsed.

Every test runs real pytest sessions through `pytester` and reads what the plugin wrote with
prometheus_client's own parser, never by matching text.
"""

from __future__ import annotations

import pytest
from metrics_file import Metrics, MetricsReader

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


@pytest.fixture
def read_metrics(pytester: pytest.Pytester) -> MetricsReader:
    """Parse the textfile the last session wrote under pytester's rootdir."""
    return lambda: Metrics(pytester.path / "monitoring" / "pytest_metrics.prom")


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester project named `demo` holding SUITE."""
    pytester.makepyprojecttoml('[project]\nname = "demo"\n')
    pytester.makepyfile(test_suite=SUITE)
    return pytester
