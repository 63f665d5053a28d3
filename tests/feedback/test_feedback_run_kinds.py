"""Trends compare like with like: a run records its kind, and coverage, session time and
flakiness are judged only against earlier runs of the same kind; files pytest and its plugins
write are never "left behind"; an xdist worker's environment change is seen."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback import trends
from apytest.feedback.records import Run, TestResult

pytest.importorskip("pytest_cov")
pytest.importorskip("xdist")

SHOP = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
TEST_ADD = "from shop import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n"
TEST_SUB = "from shop import sub\n\n\ndef test_sub():\n    assert sub(3, 2) == 1\n"


@pytest.fixture
def shop(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(shop=SHOP, test_add=TEST_ADD, test_sub=TEST_SUB)
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider\n")
    return pytester


def _suggestions(memory: Path) -> list[str]:
    return [s.suggestion.signature for s in memory_api.suggestions(memory=memory)]


def _gauges(path: Path, name: str) -> dict[frozenset[tuple[str, str]], float]:
    """The samples of `name` in a metrics file, by their labels other than `project`."""
    from prometheus_client.parser import text_string_to_metric_families

    return {
        frozenset((k, v) for k, v in sample.labels.items() if k != "project"): sample.value
        for family in text_string_to_metric_families(path.read_text())
        for sample in family.samples
        if sample.name == name
    }


@pytest.mark.slow
def test_a_partial_coverage_run_is_not_a_drop_and_leaves_nothing_behind(
    shop: pytest.Pytester, memory: Path
) -> None:
    shop.runpytest_subprocess().assert_outcomes(passed=2)  # without coverage: another kind
    for _ in range(2):
        shop.runpytest_subprocess("--cov=shop").assert_outcomes(passed=2)
    # One file with --cov: coverage 75% against 100%, a different kind of run.
    shop.runpytest_subprocess("--cov=shop", "test_add.py").assert_outcomes(passed=1)
    # Under xdist coverage.py writes .coverage.<host>.<pid>.<n> files and combines them.
    shop.runpytest_subprocess("--cov=shop", "-n", "2").assert_outcomes(passed=2)
    assert (shop.path / ".coverage").exists()
    signatures = _suggestions(memory)
    assert not [s for s in signatures if s.startswith(("coverage-regression", "tmp-path"))]

    runs = memory_api.runs(memory=memory)
    assert [run.kind for run in reversed(runs)] == [
        "full xdist=0",
        "full cov xdist=0",
        "full cov xdist=0",
        "partial cov xdist=0: test_add.py",
        "full cov xdist=2",
    ]
    # Each kind keeps its own series: the last session of that kind.
    metrics = shop.path / "monitoring" / "pytest_metrics.prom"
    assert _gauges(metrics, "pytest_coverage_percent") == {
        frozenset({("scope", "full")}): 100.0,
        frozenset({("scope", "partial")}): 75.0,
    }
    assert set(_gauges(metrics, "pytest_session_duration_seconds")) == {
        frozenset({("scope", "full"), ("workers", "0"), ("cov", "false")}),
        frozenset({("scope", "full"), ("workers", "0"), ("cov", "true")}),
        frozenset({("scope", "full"), ("workers", "2"), ("cov", "true")}),
        frozenset({("scope", "partial"), ("workers", "0"), ("cov", "true")}),
    }


@pytest.mark.slow
def test_a_drop_among_runs_of_the_same_kind_is_still_found(
    shop: pytest.Pytester, memory: Path
) -> None:
    shop.runpytest_subprocess("--cov=shop").assert_outcomes(passed=2)
    (shop.path / "test_sub.py").unlink()
    shop.runpytest_subprocess("--cov=shop").assert_outcomes(passed=1)
    assert "coverage-regression:drop" in _suggestions(memory)


@pytest.mark.slow
def test_no_cov_and_sessions_stopped_early_leave_the_series_of_completed_runs(
    shop: pytest.Pytester, memory: Path
) -> None:
    """--no-cov measures nothing: a run without coverage. A session that stopped early (a usage
    error, a collection error) is no session time or coverage of its kind, and no trend
    compares with it."""
    metrics = shop.path / "monitoring" / "pytest_metrics.prom"
    shop.runpytest_subprocess("--cov=shop").assert_outcomes(passed=2)
    measured = _gauges(metrics, "pytest_coverage_percent")
    timed = _gauges(metrics, "pytest_session_duration_seconds")
    assert measured == {frozenset({("scope", "full")}): 100.0}

    shop.runpytest_subprocess("--cov=shop", "--no-cov").assert_outcomes(passed=2)
    assert _gauges(metrics, "pytest_coverage_percent") == measured
    assert set(_gauges(metrics, "pytest_session_duration_seconds")) == {
        *timed,
        frozenset({("scope", "full"), ("workers", "0"), ("cov", "false")}),
    }
    assert memory_api.runs(memory=memory, limit=1)[0].kind == "full xdist=0"

    timed = _gauges(metrics, "pytest_session_duration_seconds")
    assert shop.runpytest_subprocess("--cov=shop", "--maxfial=1").ret == 4
    shop.makepyfile(test_broken="import not_installed_anywhere\n")
    assert shop.runpytest_subprocess("--cov=shop").ret == 2
    assert _gauges(metrics, "pytest_session_duration_seconds") == timed
    assert _gauges(metrics, "pytest_coverage_percent") == measured


@pytest.mark.slow
def test_a_basetemp_in_the_working_tree_is_not_left_behind(
    pytester: pytest.Pytester, memory: Path
) -> None:
    """pytest's own folder of temporary paths, wherever `--basetemp` puts it."""
    pytester.makepyfile("def test_writes(tmp_path):\n    (tmp_path / 'a').write_text('x')\n")
    pytester.runpytest_subprocess("--basetemp=tmpbase").assert_outcomes(passed=1)
    assert (pytester.path / "tmpbase").is_dir()
    assert not [s for s in _suggestions(memory) if s.startswith("tmp-path")]
    pytester.makepyfile(test_litter="def test_litter():\n    open('litter.txt', 'w').close()\n")
    pytester.runpytest_subprocess("--basetemp=tmpbase").assert_outcomes(passed=2)
    assert [s for s in _suggestions(memory) if s.startswith("tmp-path")]


def test_trends_compare_only_runs_that_completed(tmp_path: Path) -> None:
    """Runs that stopped early (exit status 2 to 5, or no test ran) are no average or best to
    compare with, and a run that stopped early is not judged."""
    memory = tmp_path / "memory.sqlite3"
    passed, errored = (TestResult("t::a", "passed"),), (TestResult("t.py", "error"),)
    for status, duration, coverage, results in [
        (0, 10.0, 90.0, passed),
        (4, 0.01, None, ()),
        (0, 10.0, 90.0, passed),
        (2, 0.5, 20.0, passed),
        (0, 10.0, 90.0, passed),
        (1, 0.4, 30.0, errored),  # xdist's workers collected different tests: none ran
    ]:
        run = Run("p", 0.0, duration, duration, status, coverage, results, kind="full xdist=0")
        memory_api.log_run(run, memory=memory)
    history = memory_api.history("p", kind="full xdist=0", memory=memory)

    def judged(status: int, duration: float, coverage: float) -> list[str]:
        run = Run("p", 0.0, duration, duration, status, coverage=coverage, results=passed)
        found = [*trends.coverage_drop(history, run, coverage)]
        found += trends.slower_session(history, run, duration)
        return sorted(s.signature for s in found)

    assert judged(0, 12.0, 89.0) == []  # against 10 s and 90%, not 3.5 s and 55%
    assert judged(2, 30.0, 10.0) == []
    assert judged(1, 31.0, 50.0) == ["coverage-regression:drop", "slow-suite:session"]


def test_history_compares_only_runs_of_the_same_kind(tmp_path: Path) -> None:
    memory = tmp_path / "memory.sqlite3"
    for kind, outcome, duration in [
        ("full xdist=0", "passed", 10.0),
        ("full xdist=2", "failed", 40.0),
        ("full xdist=0", "passed", 11.0),
        ("partial xdist=0: -k flip", "failed", 1.0),
    ]:
        results = (TestResult("t::flip", outcome),)
        memory_api.log_run(
            Run("p", 0.0, duration, duration, 0, results=results, kind=kind), memory=memory
        )
    history = memory_api.history("p", kind="full xdist=0", memory=memory)
    assert [run.duration for run in history.runs] == [10.0, 11.0]
    assert history.outcomes == {"t::flip": ("passed", "passed")}
    latest = memory_api.runs("p", limit=1, memory=memory)[0]
    assert latest.kind == "partial xdist=0: -k flip"


@pytest.mark.slow
@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_an_environment_or_directory_change_is_found_serial_or_in_an_xdist_worker(
    pytester: pytest.Pytester, memory: Path, workers: list[str]
) -> None:
    """pytest changes back to the session's starting folder before `pytest_sessionfinish`,
    after the tests ran in the folder a test left: the change is read when the tests end."""
    pytester.makepyfile(
        test_env="import os\n\n\ndef test_leaks(tmp_path):\n"
        "    os.environ['APYTEST_LEAKED'] = '1'\n    os.chdir(tmp_path)\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *workers)
    result.assert_outcomes(passed=1)
    [run] = memory_api.runs(memory=memory)
    stored = memory_api.run(run.id, memory=memory)
    assert stored is not None
    assert stored.workspace.changed_env == ("APYTEST_LEAKED",)
    assert stored.workspace.changed_cwd.endswith("test_leaks0")
    assert "monkeypatch-isolation:APYTEST_LEAKED,cwd" in _suggestions(memory)


@pytest.mark.slow
def test_a_variable_a_dependency_sets_when_imported_is_no_advice_to_the_tests(
    pytester: pytest.Pytester,
    memory: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    apytest_cli: Callable[..., tuple[int, str, str]],
) -> None:
    """polars writes `_RJEM_MALLOC_CONF` into os.environ when it is imported (TD1): the memory
    keeps the change, but monkeypatch in the tests could not undo it, so no suggestion names
    it. A variable the suite's own files name stays reported, by the session and by review."""
    installed = tmp_path_factory.mktemp("site")
    (installed / "tuned_dependency.py").write_text(
        "import os\n\nos.environ['APYTEST_' + 'TUNED'] = '1'\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(installed), prepend=os.pathsep)
    pytester.makepyfile(
        test_env="import os\n\nimport tuned_dependency\n\n\ndef test_uses_it():\n"
        "    assert tuned_dependency\n\n\ndef test_leaks():\n"
        "    os.environ['APYTEST_LEAKED'] = '1'\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    [run] = memory_api.runs(memory=memory)
    stored = memory_api.run(run.id, memory=memory)
    assert stored is not None
    assert stored.workspace.changed_env == ("APYTEST_LEAKED", "APYTEST_TUNED")
    assert "monkeypatch-isolation:APYTEST_LEAKED" in _suggestions(memory)
    assert "APYTEST_TUNED" not in result.stdout.str()
    code, out, err = apytest_cli("review")
    assert code == 0, err
    assert "environment variable APYTEST_LEAKED and" in out
    assert "APYTEST_TUNED" not in out


@pytest.mark.slow
def test_history_json_says_the_kind(
    shop: pytest.Pytester, memory: Path, apytest_cli: Callable[..., tuple[int, str, str]]
) -> None:
    shop.runpytest_subprocess("-k", "add").assert_outcomes(passed=1, deselected=1)
    code, out, err = apytest_cli("history", "--format", "json")
    assert code == 0, err
    assert json.loads(out)[0]["kind"] == "partial xdist=0: -k add"
    # A run that stops at its first failure, or adds the doctests, is no run of the suite.
    shop.runpytest_subprocess("-x", "--doctest-modules").assert_outcomes(passed=2)
    code, out, err = apytest_cli("history", "--format", "json")
    assert json.loads(out)[0]["kind"] == "partial xdist=0: --maxfail 1 --doctest-modules"


def test_the_configurations_addopts_are_the_suites_default_run(
    pytester: pytest.Pytester, memory: Path
) -> None:
    """`addopts` in the configuration file is what every plain `pytest` of the project runs
    (its doctests, its `-m "not slow"`, its `--ignore`): the whole suite, not a partial run that
    a run of one file would share a series with. Selecting beyond it is partial; `-x` in
    addopts stays partial, as a run that may stop early."""
    pytester.makepyfile(
        test_a="import pytest\n\n\ndef test_a():\n    pass\n\n\n"
        "@pytest.mark.slow\ndef test_slow():\n    pass\n",
        test_b="def test_b():\n    pass\n",
    )
    pytester.makeini(
        "[pytest]\naddopts = -p no:cacheprovider --doctest-modules -m 'not slow' "
        "--ignore=build\nmarkers = slow\n"
    )
    pytester.runpytest().assert_outcomes(passed=2, deselected=1)
    pytester.runpytest("test_b.py").assert_outcomes(passed=1)
    pytester.runpytest("-m", "slow").assert_outcomes(passed=1, deselected=2)
    pytester.runpytest("--ignore=test_b.py").assert_outcomes(passed=1, deselected=1)
    assert [run.kind for run in reversed(memory_api.runs(memory=memory))] == [
        "full xdist=0",
        "partial xdist=0: test_b.py",
        "partial xdist=0: -m slow",
        "partial xdist=0: --ignore test_b.py",
    ]
    metrics = pytester.path / "monitoring" / "pytest_metrics.prom"
    assert set(_gauges(metrics, "pytest_session_duration_seconds")) == {
        frozenset({("scope", "full"), ("workers", "0"), ("cov", "false")}),
        frozenset({("scope", "partial"), ("workers", "0"), ("cov", "false")}),
    }
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -x\n")
    pytester.runpytest().assert_outcomes(passed=3)
    assert memory_api.runs(memory=memory, limit=1)[0].kind == "partial xdist=0: --maxfail 1"


@pytest.mark.slow
def test_a_session_ended_before_it_began_keeps_its_kind(
    shop: pytest.Pytester, memory: Path
) -> None:
    """A conftest that fails to import ends pytest before it parsed the whole command line:
    the run's kind comes from the early parse, not the defaults (which said `full xdist=0` of
    any run)."""
    shop.makeconftest("import apytest_not_installed_anywhere\n")
    assert shop.runpytest_subprocess("-n", "2", "test_add.py").ret == pytest.ExitCode.USAGE_ERROR
    assert shop.runpytest_subprocess("--cov=shop", "-k", "add").ret == pytest.ExitCode.USAGE_ERROR
    assert [run.kind for run in reversed(memory_api.runs(memory=memory))] == [
        "partial xdist=2: test_add.py",
        "partial cov xdist=0: -k add",
    ]


JSON_REPORT = """\
import json


def pytest_addoption(parser):
    parser.addoption("--json-report", action="store_true", dest="json_report")
    parser.addoption("--json-report-file", default=".report.json", dest="json_report_file")


def pytest_sessionfinish(session):
    if session.config.option.json_report:
        with open(session.config.option.json_report_file, "w") as out:
            json.dump({}, out)
"""
"""pytest-json-report's options, and its report written at session end."""


@pytest.mark.slow
def test_a_plugins_own_report_is_not_left_behind(pytester: pytest.Pytester, memory: Path) -> None:
    """pytest-json-report writes `.report.json` under `--json-report`: its tests' inner sessions
    were told that a test left it. The near miss: without the switch, a test writing that name
    left it."""
    pytester.makeconftest(JSON_REPORT)
    pytester.makepyfile("def test_ok():\n    pass\n")
    pytester.runpytest_subprocess("--json-report").assert_outcomes(passed=1)
    assert (pytester.path / ".report.json").is_file()
    assert not [s for s in _suggestions(memory) if s.startswith("tmp-path")]
    (pytester.path / ".report.json").unlink()
    pytester.makepyfile("def test_ok():\n    open('.report.json', 'w').close()\n")
    pytester.runpytest_subprocess().assert_outcomes(passed=1)
    assert [s for s in _suggestions(memory) if s.startswith("tmp-path")]
