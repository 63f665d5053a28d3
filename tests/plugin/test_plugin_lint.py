"""`--apytest-lint`: the real apytest-lint over the collected files, once per session."""

from __future__ import annotations

import pytest
from metrics_file import MetricsReader

# APT202: a fixture that shadows pytest's built-in `tmp_path`.
SHADOWING = """
import pytest

@pytest.fixture
def tmp_path():
    return 1

def test_uses_it(tmp_path):
    assert tmp_path == 1
"""
FINDING = "test_shadow.py:4:1: APT202 *tmp_path*"


@pytest.fixture
def shadowing(pytester: pytest.Pytester) -> pytest.Pytester:
    # Only the rule under test: the engine's other rules may grow without breaking these tests.
    pytester.makepyprojecttoml('[project]\nname = "demo"\n[tool.apytest]\nselect = ["APT202"]\n')
    pytester.makepyfile(test_shadow=SHADOWING, test_clean="def test_ok():\n    pass\n")
    return pytester


@pytest.mark.slow
def test_findings_are_shown_and_change_nothing(shadowing: pytest.Pytester) -> None:
    result = shadowing.runpytest("--apytest-lint")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        ["*= apytest-lint =*", FINDING, "apytest-lint: 1 finding in 1 of 2 files"]
    )
    assert "strict" not in result.stdout.str()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "ini"),
    [(["--apytest-lint-strict"], ""), ([], "[pytest]\napytest_lint_strict = true\n")],
    ids=["option", "ini"],
)
def test_strict_findings_fail_the_session(
    shadowing: pytest.Pytester, read_metrics: MetricsReader, args: list[str], ini: str
) -> None:
    if ini:
        shadowing.makeini(ini)
    result = shadowing.runpytest(*args)
    result.assert_outcomes(passed=2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([FINDING, "apytest-lint: strict: this fails the session"])
    assert read_metrics().value("pytest_session_exit_status") == pytest.ExitCode.TESTS_FAILED


@pytest.mark.slow
def test_strict_clean_files_pass(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_clean="def test_ok():\n    pass\n")
    result = pytester.runpytest("--apytest-lint-strict")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["apytest-lint: 0 findings in 1 file"])


@pytest.mark.slow
def test_configuration_error_is_shown_and_fails_strict(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml("[tool]\napytest = 1\n")
    pytester.makepyfile(test_clean="def test_ok():\n    pass\n")
    result = pytester.runpytest("--apytest-lint-strict")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["apytest-lint: error: *[[]tool.apytest[]] must be a table*"])
    assert "Traceback" not in result.stdout.str()


@pytest.mark.slow
def test_xdist_controller_lints_once(shadowing: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    result = shadowing.runpytest_subprocess("-n", "2", "--apytest-lint-strict")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert result.stdout.str().count("APT202") == 1
    result.stdout.fnmatch_lines(["apytest-lint: 1 finding in 1 of 2 files"])


@pytest.mark.slow
@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_a_module_that_failed_to_collect_is_linted_too(
    pytester: pytest.Pytester, workers: list[str]
) -> None:
    """The finding that says why a module did not import is shown, though no test ran."""
    pytest.importorskip("xdist")
    pytester.makepyprojecttoml(
        '[project]\nname = "demo"\n[project.optional-dependencies]\n'
        'ml = ["apytest-demo-absent"]\ntest = ["pytest"]\n[tool.apytest]\nselect = ["APT101"]\n'
    )
    pytester.makepyfile(
        test_model="import apytest_demo_absent\n\ndef test_m():\n    pass\n",
        test_clean="def test_ok():\n    pass\n",
    )
    result = pytester.runpytest_subprocess("--apytest-lint", *workers)
    assert result.ret != pytest.ExitCode.OK  # 2 serial (interrupted); xdist runs the rest: 1
    result.stdout.fnmatch_lines(
        [
            "test_model.py:1:1: APT101 *apytest_demo_absent*",
            "apytest-lint: 1 finding in 1 of 2 files",
        ]
    )
