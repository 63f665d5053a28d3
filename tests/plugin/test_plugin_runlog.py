"""The run log: header, one record per outcome with the failure's details, footer, rotation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from apytest.feedback import corpus_memory_logging
from apytest.feedback.records import Run


@pytest.mark.slow
def test_run_log_holds_what_a_red_ci_needs(suite: pytest.Pytester) -> None:
    suite.runpytest("-rs")
    log = (suite.path / "logs" / "pytest.log").read_text()
    header, _, rest = log.partition("\n\n")
    records, _, footer = rest.rpartition("\n\n")

    assert f"rootdir: {suite.path}" in header
    assert f"pytest: {pytest.__version__}" in header
    assert "args: -rs" in header
    assert "apytest-0.1.0" in header  # the plugins line

    for outcome, test, phase in [
        ("PASSED", "test_ok", "call"),
        ("FAILED", "test_fail", "call"),
        ("SKIPPED", "test_skip", "setup"),
        ("XFAILED", "test_xfail", "call"),
        ("XPASSED", "test_xpass", "call"),
        ("ERROR", "test_error", "setup"),
    ]:
        assert f" {outcome:<8} test_suite.py::{test} [{phase}] " in records, test
    failure = records.split("test_suite.py::test_fail [call]", 1)[1].split("test_suite.py::")[0]
    assert "the answer is off" in failure  # the assertion message
    assert "test_suite.py:12: AssertionError" in failure  # the traceback
    assert "Captured stdout call:\n        output of the failing test" in failure
    assert "RuntimeError: the fixture broke" in records
    # In the order the tests ran, whatever their outcomes (pytest keeps its reports by outcome).
    ran = [line.split("::")[1].split()[0] for line in records.splitlines() if line[:1].isdigit()]
    assert ran == [
        "test_ok",
        "test_slow",
        "test_fail",
        "test_skip",
        "test_xfail",
        "test_xpass",
        "test_error",
    ]
    assert "reason: Skipped: never here" in records

    for count in ["2 passed", "1 failed", "1 error", "1 skipped", "1 xfailed", "1 xpassed"]:
        assert count in footer
    assert "exit status: 1" in footer


@pytest.mark.slow
def test_a_failure_is_in_the_log_while_the_session_goes_on(pytester: pytest.Pytester) -> None:
    """A run killed outright still leaves the failures it got through; at the end, no copies."""
    pytester.makepyfile(
        test_order="""
        from pathlib import Path

        def test_breaks():
            assert 6 * 7 == 43, "broken on purpose"

        def test_reads_the_log():
            log = Path("logs/pytest.log").read_text()
            assert "FAILED   test_order.py::test_breaks [call]" in log
            assert "broken on purpose" in log
            assert "test_reads_the_log" not in log

        def test_breaks_again():
            assert not "again"
        """
    )
    pytester.runpytest().assert_outcomes(passed=1, failed=2)
    log = (pytester.path / "logs" / "pytest.log").read_text()
    records = [line.split()[2] for line in log.splitlines() if line[:1].isdigit()]
    # Once each, in the order they ran (pytest keeps the two failures together).
    assert records == [
        "test_order.py::test_breaks",
        "test_order.py::test_reads_the_log",
        "test_order.py::test_breaks_again",
    ]


@pytest.mark.slow
def test_run_log_is_replaced_each_session_with_keep_0(suite: pytest.Pytester) -> None:
    suite.runpytest("--apytest-project=first", "--apytest-log-keep=0")
    suite.runpytest("--apytest-project=second", "--apytest-log-keep=0")
    log = (suite.path / "logs" / "pytest.log").read_text()
    assert log.count("=== pytest session started") == 1
    assert "--apytest-project=second" in log
    assert not list((suite.path / "logs").glob("pytest.log.*"))


@pytest.mark.slow
def test_run_log_rotation_keeps_n(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_one="def test_ok():\n    pass\n")
    pytester.makeini("[pytest]\napytest_log_keep = 2\n")
    for run in range(1, 5):
        pytester.runpytest(f"--apytest-project=run{run}")
    logs = pytester.path / "logs"
    assert sorted(p.name for p in logs.iterdir()) == [
        ".gitignore",
        "pytest.log",
        "pytest.log.1",
        "pytest.log.2",
    ]
    for name, run in [("pytest.log", 4), ("pytest.log.1", 3), ("pytest.log.2", 2)]:
        assert f"--apytest-project=run{run}" in (logs / name).read_text()


def test_a_log_another_session_rotated_first_is_no_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sessions of one project running at once rotate the same files (16 concurrent sessions
    lost one's run log so): a file another session moved away just before this one's move is
    rotated already, and this session's log is written all the same."""
    from apytest.plugin.runlog import RunLog

    log = tmp_path / "logs" / "pytest.log"
    log.parent.mkdir()
    log.write_text("the last session\n")
    log.with_name("pytest.log.1").write_text("the one before\n")
    real = os.replace

    def another_session_first(
        source: str | os.PathLike[str], target: str | os.PathLike[str]
    ) -> None:
        real(source, target)  # the other session's identical move wins the race
        real(source, target)

    monkeypatch.setattr(os, "replace", another_session_first)
    run_log = RunLog(log, keep=2)
    monkeypatch.undo()
    run_log.header({"rootdir": str(tmp_path)})
    run_log.close()
    assert run_log.error is None
    assert log.read_text().startswith("=== pytest session started")
    assert log.with_name("pytest.log.1").read_text() == "the last session\n"
    assert log.with_name("pytest.log.2").read_text() == "the one before\n"


def test_bad_log_keep_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\napytest_log_keep = many\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*apytest_log_keep must be an integer, not 'many'*"])


def test_a_passing_tests_secret_parameter_is_redacted_in_the_log(pytester: pytest.Pytester) -> None:
    """A passing record is read only in its node id's parameters, yet a secret there, or one
    a failure's traceback gives away, never reaches the log."""
    pytester.makepyfile(
        test_login="""
        import pytest

        @pytest.mark.parametrize("token", ["ghp_9MPMxYhgFER0Zcboh4XyFOnOrMdgRwD47iDy"])
        def test_login(token):
            assert token

        @pytest.mark.parametrize("word", ["hunter2-horse"])
        def test_echo(word):
            assert word

        def test_connect():
            password = "hunter2-horse"
            assert password == "expected"
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=2, failed=1)
    log = (pytester.path / "logs" / "pytest.log").read_text()
    assert "ghp_9MPMxYhgFER0Zcboh4XyFOnOrMdgRwD47iDy" not in log
    assert "hunter2-horse" not in log
    assert " PASSED   test_login.py::test_login[[REDACTED]] [call] " in log
    assert " PASSED   test_login.py::test_echo[[REDACTED]] [call] " in log
    assert " FAILED   test_login.py::test_connect [call] " in log


LONE_SURROGATES = """
import sys

def test_message():
    assert "caf\\udcff" == "x"

def test_output():
    print("out \\udcfe")
    sys.stderr.write("err \\ud800\\n")
    assert False

def test_passes():
    pass
"""


def _pytest_in(folder: Path) -> tuple[int, str]:
    """pytest run in `folder` as a user runs it: its exit status and its output (pytest
    writes a lone surrogate as the byte it stands for, which pytester cannot decode)."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly"],
        cwd=folder,
        capture_output=True,
        check=False,
    )
    return done.returncode, (done.stdout + done.stderr).decode("utf-8", "replace")


def _recorded_unchanged(folder: Path, summary: str) -> tuple[str, Run]:
    """pytest in `folder`, whose one failing run must end as without apytest (`summary`, exit
    status 1, no internal error, no apytest warning): the run log and the stored run."""
    status, output = _pytest_in(folder)
    assert status == pytest.ExitCode.TESTS_FAILED, output
    assert summary in output
    assert "INTERNALERROR" not in output
    assert "apytest: warning" not in output
    run = corpus_memory_logging.last_run(memory=folder / ".apytest" / "memory.sqlite3")
    assert run is not None
    return (folder / "logs" / "pytest.log").read_text(encoding="utf-8"), run


def test_text_utf8_cannot_encode_is_logged_and_stored_escaped(pytester: pytest.Pytester) -> None:
    """A lone surrogate in an assertion or in captured output (a string a test built, a byte
    of an undecodable file name) never stops the session: the log and the memory keep it as
    its backslash escape, and pytest's outcome is unchanged."""
    pytester.makepyfile(test_lone=LONE_SURROGATES)
    log, run = _recorded_unchanged(pytester.path, "2 failed, 1 passed")
    assert "caf\\udcff" in log
    assert sorted(f.nodeid for f in run.failures) == [
        "test_lone.py::test_message",
        "test_lone.py::test_output",
    ]


def test_a_test_file_whose_name_is_not_utf8_is_logged_and_stored(
    pytester: pytest.Pytester,
) -> None:
    """Bytes that are not UTF-8 in a test file's name reach pytest's node id as lone
    surrogates: written and stored escaped, the session's outcome unchanged."""
    with open(os.fsencode(pytester.path) + b"/test_caf\xe9.py", "w") as module:
        module.write("def test_fails():\n    assert 0\n\ndef test_passes():\n    pass\n")
    log, run = _recorded_unchanged(pytester.path, "1 failed, 1 passed")
    assert "test_caf\\udce9.py::test_passes" in log
    assert sorted(r.nodeid for r in run.results) == [
        "test_caf\\udce9.py::test_fails",
        "test_caf\\udce9.py::test_passes",
    ]


def test_a_log_whose_folder_a_test_deleted_is_written_again(pytester: pytest.Pytester) -> None:
    """A suite that cleans up `logs/` deletes the open run log: it is written again at the
    session's end, header, records and `.gitignore`."""
    pytester.makepyfile(
        test_cleanup="""
        import shutil

        def test_fails():
            assert 0

        def test_cleans_up():
            shutil.rmtree("logs")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=1, failed=1)
    assert "apytest: warning" not in result.stdout.str()
    log = (pytester.path / "logs" / "pytest.log").read_text()
    assert log.startswith("=== pytest session started ")
    assert f"rootdir: {pytester.path}" in log
    assert " FAILED   test_cleanup.py::test_fails [call] " in log
    assert " PASSED   test_cleanup.py::test_cleans_up [call] " in log
    assert "=== pytest session finished: 1 passed, 1 failed ===" in log
    assert "pytest.log" in (pytester.path / "logs" / ".gitignore").read_text()


FLAKY = """
import pathlib

def test_flaky(tmp_path_factory):
    tries = tmp_path_factory.getbasetemp() / "tries"
    count = int(tries.read_text()) if tries.exists() else 0
    tries.write_text(str(count + 1))
    assert count >= 2, f"attempt {count}"

def test_ok():
    pass
"""


@pytest.mark.slow
@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_attempts_pytest_rerunfailures_ran_again_are_logged_and_counted(
    pytester: pytest.Pytester, workers: list[str]
) -> None:
    """pytest prints "2 passed, 2 rerun": each failed attempt is a RERUN record of the run log
    with its traceback, in the order it finished, the footer and the memory's counts say "2
    rerun", and the test's own outcome (its last attempt) is what the metrics count."""
    pytest.importorskip("pytest_rerunfailures")
    pytester.makepyfile(test_flaky=FLAKY)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-p", "no:randomly", "--reruns", "2", *workers
    )
    assert result.parseoutcomes() == {"passed": 2, "rerun": 2}
    log = (pytester.path / "logs" / "pytest.log").read_text()
    flaky = [line.split()[1] for line in log.splitlines() if "test_flaky.py::test_flaky " in line]
    assert flaky == ["RERUN", "RERUN", "PASSED"]
    assert "AssertionError: attempt 0" in log
    assert "AssertionError: attempt 1" in log
    assert "=== pytest session finished: 2 passed, 2 rerun ===" in log
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [run] = corpus_memory_logging.runs(memory=memory)
    assert run.outcomes == {"passed": 2, "rerun": 2}
    assert (run.tests, run.failed) == (2, 0)
    metrics = (pytester.path / "monitoring" / "pytest_metrics.prom").read_text()
    assert f'pytest_test_duration_seconds_count{{project="{pytester.path.name}"}} 2.0' in metrics
    [rerun] = [s.suggestion for s in corpus_memory_logging.suggestions(memory=memory)]
    assert (rerun.signature, rerun.nodeid) == ("flaky-tests:reruns", "test_flaky.py::test_flaky")
    assert "passed only after 2 failed attempts" in rerun.text
