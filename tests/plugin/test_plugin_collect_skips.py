"""A module skipped while collected is one "skipped", as in pytest's own summary.

`pytest.importorskip` at module level (an optional dependency missing) and a module-level
`pytest.skip` skip a whole module before any test of it exists: pytest reports the module's
collection as skipped and counts it once in its summary line ("1 passed, 1 skipped"), also
under xdist, whose controller reports each skipped module once however many workers saw it.
The metrics, the run log and the memory must say the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from apytest.feedback import corpus_memory_logging as memory_api

pytest.importorskip("xdist")

OK = "def test_ok():\n    pass\n"
SKIPPING = {
    "importorskip": (
        "import pytest\n\npytest.importorskip('apytest_no_such_module')\n\n" + OK,
        "could not import 'apytest_no_such_module'",
    ),
    "skip": (
        "import pytest\n\npytest.skip('needs a GPU', allow_module_level=True)\n\n" + OK,
        "needs a GPU",
    ),
}


def _summary(stdout: str, outcome: str) -> int:
    """The count of `outcome` in pytest's own summary line."""
    [summary] = [line for line in stdout.splitlines() if re.search(r" in [\d.]+s\b", line)][-1:]
    found = re.search(rf"(\d+) {outcome}\b", summary)
    return int(found.group(1)) if found else 0


@pytest.mark.slow
@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
@pytest.mark.parametrize("how", list(SKIPPING))
def test_a_module_skipped_at_collection_counts_as_pytest_counts_it(
    pytester: pytest.Pytester,
    write_tree: Callable[..., object],
    read_metrics: Callable[[], Any],
    how: str,
    workers: list[str],
) -> None:
    source, reason = SKIPPING[how]
    write_tree(
        pytester.path,
        {
            "test_optional.py": source,
            "test_other.py": source,
            "test_ok.py": OK,
            "test_marked.py": "import pytest\n\n@pytest.mark.skip(reason='later')\n" + OK,
        },
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rs", *workers)
    assert result.ret == 0, result.stdout.str()
    stdout = result.stdout.str()
    assert _summary(stdout, "skipped") == 3, stdout  # two modules and one test
    project = pytester.path.name

    metrics = read_metrics()
    assert metrics.value("pytest_session_tests", project, outcome="skipped") == 3
    assert metrics.value("pytest_session_tests", project, outcome="passed") == 1
    assert metrics.value("pytest_test_failures_total", project) == 0

    log = (pytester.path / "logs" / "pytest.log").read_text()
    for module in ("test_optional.py", "test_other.py"):
        [record] = [line for line in log.splitlines() if f" {module} [collect]" in line]
        assert record.split()[1] == "SKIPPED", record
        assert reason in log.split(record, 1)[1].split("\n", 2)[1]
    assert "=== pytest session finished: 1 passed, 3 skipped ===" in log

    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [past] = memory_api.runs(memory=memory)
    assert past.outcomes.get("skipped") == 3
    assert past.tests == 4
    stored = memory_api.run(past.id, memory=memory)
    assert stored is not None
    assert {r.nodeid: r.outcome for r in stored.results} == {
        "test_optional.py": "skipped",
        "test_other.py": "skipped",
        "test_ok.py::test_ok": "passed",
        "test_marked.py::test_ok": "skipped",
    }
    assert memory_api.recorded_failures(memory=memory) == []


SUBTESTS = """
def test_sub(subtests):
    for i in range(4):
        with subtests.test(msg="case", i=i):
            assert i != 2

def test_ok():
    pass

def test_all_good(subtests):
    for i in range(3):
        with subtests.test(i=i):
            pass
"""


@pytest.mark.slow
@pytest.mark.skipif(int(pytest.__version__.split(".")[0]) < 9, reason="subtests: pytest 9")
@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_passing_subtests_are_not_tests_as_in_pytests_summary(
    pytester: pytest.Pytester, read_metrics: Callable[[], Any], workers: list[str]
) -> None:
    """pytest 9 prints "2 failed, 2 passed, 6 subtests passed" (with `-q`; without, it leaves
    passing subtests out): a failing subtest and the test it fails are two failures, a passing
    subtest is no passed test."""
    pytester.makepyfile(test_sub=SUBTESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", *workers)
    stdout = result.stdout.str()
    assert (_summary(stdout, "failed"), _summary(stdout, "passed")) == (2, 2), stdout
    assert _summary(stdout, "subtests passed") == 6, stdout
    project = pytester.path.name

    metrics = read_metrics()
    assert metrics.value("pytest_session_tests", project, outcome="passed") == 2
    assert metrics.value("pytest_session_tests", project, outcome="failed") == 2
    assert metrics.value("pytest_test_failures_total", project) == 1  # one failing test

    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [past] = memory_api.runs(memory=memory)
    assert (past.tests, past.failed) == (3, 1)
    assert past.outcomes == {"passed": 2, "failed": 2}  # pytest's summary, not one per test
    log = (pytester.path / "logs" / "pytest.log").read_text()
    assert "=== pytest session finished: 2 passed, 2 failed ===" in log
