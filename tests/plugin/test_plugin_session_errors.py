"""Errors outside any test are counted, logged and remembered like failing tests.

Each kind runs as a real pytest session in a subprocess, serially and under two xdist workers:
a test module that cannot be imported, a marker pytest rejects (`filterwarnings = error`), a
conftest below the rootdir that cannot be imported, the rootdir's own conftest that cannot be
imported (pytest stops before any session: exit status 4), and an internal error (a conftest
hook raising: exit status 3).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest

from apytest.feedback import corpus_memory_logging as memory_api

PYTEST_MAJOR = int(pytest.__version__.split(".")[0])

pytest.importorskip("xdist")


class Kind(NamedTuple):
    files: dict[str, str]
    nodeid: str
    """The node id of the error, as logged, counted and stored."""
    message: str
    traceback: str
    """A line of the traceback that must be in the run log."""
    lesson: str
    exit_status: int
    """pytest's exit status when serial (xdist turns a collection error's 2 into 1)."""


OK = "def test_ok():\n    pass\n"

KINDS = {
    "module": Kind(
        {"test_broken.py": "import apytest_no_such_module\n\n" + OK, "test_ok.py": OK},
        "test_broken.py",
        "No module named 'apytest_no_such_module'",
        "test_broken.py:1: in <module>",
        "dependency-registration",
        2,
    ),
    "marker": Kind(
        {
            "pytest.ini": "[pytest]\nfilterwarnings = error\n",
            "test_marked.py": "import pytest\n\n@pytest.mark.slowish\n" + OK,
            "test_ok.py": OK,
        },
        "test_marked.py",
        "Unknown pytest.mark.slowish",
        "test_marked.py:3: in <module>",
        "session-errors",
        2,
    ),
    "nested conftest": Kind(
        {
            "sub/conftest.py": "raise ImportError('cannot load the sub conftest')\n",
            "sub/test_a.py": OK,
        },
        "sub",
        "ImportError: cannot load the sub conftest",
        "sub/conftest.py:1: in <module>",
        "session-errors",
        2,
    ),
    "root conftest": Kind(
        {"conftest.py": "import os\n\nraise OSError('no database here')\n", "test_ok.py": OK},
        "conftest.py",
        "OSError: no database here",
        "conftest.py:3: in <module>",
        "session-errors",
        4,
    ),
    "internal": Kind(
        {
            "conftest.py": "def pytest_collection_modifyitems(items):\n"
            "    raise RuntimeError('the hook broke')\n",
            "test_ok.py": OK,
        },
        "<internal error>",
        "RuntimeError: the hook broke",
        "raise RuntimeError('the hook broke')",
        "session-errors",
        3,
    ),
}


def _summary_errors(stdout: str) -> int:
    """The error count of pytest's own summary line; 1 when pytest stopped before one (a root
    conftest) or printed `INTERNALERROR>` lines instead ("no tests ran")."""
    summary = [line for line in stdout.splitlines() if re.search(r" in [\d.]+s\b", line)]
    if not summary or "INTERNALERROR>" in stdout:
        return 1
    found = re.search(r"(\d+) errors?\b", summary[-1])
    return int(found.group(1)) if found else 0


@pytest.mark.slow
@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_an_error_outside_any_test_is_counted_logged_and_remembered(
    pytester: pytest.Pytester,
    write_tree: Callable[..., object],
    read_metrics: Callable[[], Any],
    kind: str,
    workers: list[str],
) -> None:
    case = KINDS[kind]
    if kind == "nested conftest" and PYTEST_MAJOR < 8:
        # pytest 7.4 reports a nested conftest's import error on the session's node ("").
        case = case._replace(nodeid="")
    write_tree(pytester.path, case.files)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *workers)
    status = int(result.ret)
    # Under xdist the controller's status depends on when a worker's internal error arrives:
    # pytest-xdist 3.8 returns 3, 1 or (about one run in ten, with or without apytest) 0 with
    # "no tests ran" and no error in its summary. apytest records the status pytest returned and
    # still counts the error it saw.
    lost = bool(workers) and kind == "internal" and status == 0
    assert status == case.exit_status or (workers and status == 1) or lost, result.stdout.str()
    project = pytester.path.name

    log = (pytester.path / "logs" / "pytest.log").read_text()
    record = log.split(f" ERROR    {case.nodeid} [", 1)[1]
    assert case.message in record
    assert case.traceback in record
    assert f"exit status: {status}" in log

    metrics = read_metrics()
    errors = metrics.value("pytest_session_tests", project, outcome="error")
    assert errors == (1 if lost else _summary_errors(result.stdout.str())) >= 1
    # Each erroring node once, however many workers reported it (test_ok may also have run).
    assert metrics.value("pytest_test_failures_total", project) == 1
    assert metrics.value("pytest_session_exit_status", project) == status

    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [failure] = [f.failure for f in memory_api.recorded_failures(memory=memory)]
    assert failure.nodeid == case.nodeid
    assert case.message in failure.message
    [run] = memory_api.runs(memory=memory)
    # As pytest's summary counts: a module each of two workers failed to import is two errors.
    assert run.outcomes["error"] == errors
    assert run.exit_status == status
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert suggestion.nodeid == (case.nodeid or None)
    assert suggestion.lesson == case.lesson
