"""The garbage collector is paused while the plugin allocates in bursts, and only then."""

from __future__ import annotations

import gc

import pytest

from apytest.common.gc_pause import gc_paused

# A conftest that records every automatic collection started inside the plugin's work at the
# session's end (the Recorder's `finish`, the feedback loop's `_review`), and whether the
# collector runs when pytest is done.
RECORDING_CONFTEST = """
import gc
import sys

import pytest

INSIDE = []
WORK = {("apytest.plugin.session", "finish"), ("apytest.plugin.feedback_hook", "_review")}


def _inside_the_plugins_work():
    frame = sys._getframe(1)
    while frame is not None:
        if (frame.f_globals.get("__name__"), frame.f_code.co_name) in WORK:
            return True
        frame = frame.f_back
    return False


def _callback(phase, info):
    if phase == "start" and _inside_the_plugins_work():
        INSIDE.append(info["generation"])


def pytest_configure(config):
    gc.callbacks.append(_callback)
    if config.getini("gc_off_by_user") == "yes":
        gc.disable()


def pytest_addoption(parser):
    parser.addini("gc_off_by_user", "switch the collector off at configure")


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    gc.callbacks.remove(_callback)
    with open("gc.txt", "w") as out:
        out.write(f"{len(INSIDE)} {gc.isenabled()}")
"""

TESTS = """
import pytest

@pytest.mark.parametrize("n", range(2000))
def test_many(n):
    assert n >= 0
"""


def test_paused_inside_then_running_again() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_running_again_after_an_error() -> None:
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_switched_off_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.slow
@pytest.mark.parametrize(("user_choice", "running_after"), [("no", "True"), ("yes", "False")])
def test_no_collection_inside_the_session_end_work(
    pytester: pytest.Pytester, user_choice: str, running_after: str
) -> None:
    """2,000 results gathered, recorded and stored allocate enough to start several young
    collections; paused, none starts inside that work, and pytest ends with the collector as
    the user left it."""
    pytester.makeconftest(RECORDING_CONFTEST)
    pytester.makeini(f"[pytest]\ngc_off_by_user = {user_choice}\n")
    pytester.makepyfile(test_many=TESTS)
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=2000)
    collections, running = (pytester.path / "gc.txt").read_text().split()
    assert (collections, running) == ("0", running_after)
    assert (pytester.path / "logs" / "pytest.log").read_text().count(" PASSED ") == 2000
