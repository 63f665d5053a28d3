"""The feedback loop inside pytest: switches, xdist, a broken memory, a green run, lint."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from apytest.feedback import corpus_memory_logging as memory_api

SUITE = """
import pytest

def test_ok():
    pass

def test_fail():
    raise ValueError("operands could not be broadcast together with shapes (2,) (3,)")

@pytest.mark.parametrize("n", range(4))
def test_many(n):
    pass
"""


@pytest.fixture
def suite(project: pytest.Pytester) -> pytest.Pytester:
    project.makepyfile(test_suite=SUITE)
    return project


@pytest.mark.slow
@pytest.mark.parametrize(
    "switch",
    [["--no-apytest-feedback"], ["-o", "apytest_feedback=false"], ["--no-apytest"]],
    ids=["flag", "ini", "plugin-off"],
)
def test_the_feedback_loop_can_be_switched_off(
    suite: pytest.Pytester, memory: Path, switch: list[str]
) -> None:
    result = suite.runpytest(*switch)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert not memory.parent.exists()
    assert "apytest suggestions" not in result.stdout.str()


@pytest.mark.slow
def test_memory_path_option(suite: pytest.Pytester, memory: Path) -> None:
    suite.runpytest("--apytest-memory", "state/feedback.sqlite3")
    assert not memory.exists()
    assert len(memory_api.runs(memory=suite.path / "state" / "feedback.sqlite3")) == 1


@pytest.mark.slow
def test_a_corrupt_memory_is_a_warning_and_changes_nothing(
    suite: pytest.Pytester, memory: Path
) -> None:
    memory.parent.mkdir()
    memory.write_bytes(b"not sqlite " * 1000)
    result = suite.runpytest()
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(["apytest: warning: feedback loop: *not a usable corpus memory*"])
    assert memory.read_bytes() == b"not sqlite " * 1000


@pytest.mark.slow
def test_a_green_run_is_recorded_quietly(project: pytest.Pytester, memory: Path) -> None:
    project.makepyfile(test_green="def test_a():\n    pass\n\ndef test_b():\n    pass\n")
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.OK
    assert "apytest suggestions" not in result.stdout.str()
    assert "warning" not in result.stdout.str()
    run = memory_api.last_run(memory=memory)
    assert run is not None
    assert (run.exit_status, run.failures, dict(run.outcomes)) == (0, (), {"passed": 2})
    assert memory_api.suggestions(memory=memory) == []


CLOCK_STEP = """
import time

def test_the_wall_clock_steps_forward():
    real = time.time
    time.time = lambda: real() + 3600.0  # as an NTP step would, for the rest of the session
"""


@pytest.mark.slow
def test_a_wall_clock_step_leaves_the_stored_duration_that_of_the_metrics(
    project: pytest.Pytester, memory: Path
) -> None:
    """The memory stores the session's duration as the metrics file reports it, measured on a
    monotonic clock: a wall-clock step during the session (an NTP correction of a freshly
    booted runner) must not make the run an hour long, nor the review call it slow."""
    project.makepyfile(test_clock=CLOCK_STEP)
    result = project.runpytest_subprocess()  # the step must not reach this process
    assert result.ret == pytest.ExitCode.OK
    run = memory_api.last_run(memory=memory)
    assert run is not None
    metrics = (project.path / "monitoring" / "pytest_metrics.prom").read_text()
    gauge = re.search(r"^pytest_session_duration_seconds\{[^}]*\} (\S+)$", metrics, re.M)
    assert gauge is not None
    assert run.duration == float(gauge.group(1)) < 600


@pytest.mark.slow
def test_under_xdist_only_the_controller_writes(
    suite: pytest.Pytester,
    memory: Path,
    suggestions_json: Callable[[], list[dict[str, object]]],
) -> None:
    pytest.importorskip("xdist")
    result = suite.runpytest_subprocess("-n", "2")
    result.assert_outcomes(passed=5, failed=1)
    [run] = memory_api.runs(memory=memory)
    assert (run.tests, run.failed) == (6, 1)
    [failure] = memory_api.recorded_failures(memory=memory)
    assert failure.failure.nodeid == "test_suite.py::test_fail"
    assert (failure.failure.path, failure.failure.line) == ("test_suite.py", 7)
    [suggestion] = suggestions_json()
    assert suggestion["lesson"] == "apytest lesson input-validation"


@pytest.mark.slow
def test_lint_findings_are_recorded_with_their_lesson(
    project: pytest.Pytester,
    memory: Path,
    suggestions_json: Callable[[], list[dict[str, object]]],
) -> None:
    project.makepyfile(
        test_shadow="import pytest\n\n@pytest.fixture\ndef tmp_path():\n    return 1\n\n"
        "def test_a(tmp_path):\n    assert tmp_path == 1\n"
    )
    result = project.runpytest("--apytest-lint")
    # Shown once, in the apytest-lint section, though stored as suggestions too.
    assert result.stdout.str().count("APT202") == 1
    run = memory_api.last_run(memory=memory)
    assert run is not None
    # `demo` does not declare pytest: APT101/APT102 find `import pytest` too.
    assert ("test_shadow.py", "APT202") in [(f.path, f.code) for f in run.findings]
    [suggestion] = [s for s in suggestions_json() if "APT202" in str(s["text"])]
    assert suggestion["lesson"] == "apytest lesson fixture-name-clashes"
    assert suggestion["source"] == "lint"
    assert str(suggestion["text"]).startswith("test_shadow.py:4:")


@pytest.mark.slow
def test_suggestions_of_one_text_are_one_entry_of_the_summary(
    project: pytest.Pytester, memory: Path
) -> None:
    """Three modules failing on one helper's import of a package of the extra `ml` (soupsieve:
    86 modules, one `tests/util.py:3`): the summary shows the text once, with the first test
    and how many more; the memory keeps the suggestion of each module."""
    project.makepyfile(
        helper="import apytest_demo_mlpkg\n",
        test_a="from helper import *\n\ndef test_a():\n    pass\n",
        test_b="from helper import *\n\ndef test_b():\n    pass\n",
        test_c="from helper import *\n\ndef test_c():\n    pass\n",
    )
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED  # pytest stops on collection errors
    summary = result.stdout.str().split("apytest suggestions", 1)[1]
    [entry] = [line for line in summary.splitlines() if line.startswith("- ")]
    assert entry.startswith("- helper.py:1: imports 'apytest_demo_mlpkg' at module level")
    assert "  lesson: apytest lesson optional-dependencies; tests: test_a.py and 2 more" in summary
    assert "more new" not in summary
    stored = memory_api.suggestions(memory=memory)
    assert sorted(s.suggestion.nodeid or "" for s in stored) == [
        "test_a.py",
        "test_b.py",
        "test_c.py",
    ]


@pytest.mark.slow
def test_an_installed_tests_package_shadowing_the_projects_is_named(
    project: pytest.Pytester, memory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real session: the project's `tests/` has no `__init__.py`, and a distribution in
    site-packages ships a top-level `tests` package; `from tests import VALUE` gets the
    installed one. The suggestion names where it came from (module-name-clashes)."""
    installed = project.path / "env" / "site-packages"
    (installed / "tests").mkdir(parents=True)
    (installed / "tests" / "__init__.py").write_text("OTHER = 1\n")
    monkeypatch.setenv("PYTHONPATH", str(installed))
    (project.path / "tests").mkdir()
    (project.path / "tests" / "test_a.py").write_text(
        "from tests import VALUE\n\ndef test_a():\n    assert VALUE\n"
    )
    result = project.runpytest_subprocess("tests")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert (suggestion.signature, suggestion.nodeid) == (
        "module-name-clashes:shadowed:tests",
        "tests/test_a.py",
    )
    assert f"'tests' was imported from {installed}/tests/__init__.py" in suggestion.text
    result.stdout.fnmatch_lines(["- tests/test_a.py:1: 'tests' was imported from *"])


@pytest.mark.slow
def test_a_class_named_like_a_test_under_warnings_as_errors(
    project: pytest.Pytester, memory: Path
) -> None:
    """A real session: a module-level `warnings.simplefilter("error")` in one module (markdown's
    tests/test_legacy.py) turns pytest's warning about another module's `TestSuite` import into
    a collection error; the suggestion says why and what to write."""
    project.makepyfile(
        test_a="import warnings\n\nwarnings.simplefilter('error')\n\ndef test_a():\n    pass\n",
        test_b="from unittest import TestSuite\n\ndef test_b():\n    assert TestSuite\n",
    )
    result = project.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert (suggestion.signature, suggestion.nodeid) == (
        "session-errors:collection-warning:TestSuite",
        "test_b.py::TestSuite",
    )
    assert "`__test__ = False`" in suggestion.text
    assert '`warnings.simplefilter("error")` when imported' in suggestion.text
