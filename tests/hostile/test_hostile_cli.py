"""The plugin and the `apytest` CLI on bad state: the right exit code and one line, no hang.

Each test is a small reproduction of one failure class: real pytest sessions (pytester, or a
subprocess where a hang must be bounded), the real CLI, real SQLite and real FIFOs.
"""

from __future__ import annotations

import fcntl
import os
import stat
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from apytest.cli.apytest import main
from apytest.feedback import store_sqlite
from apytest.plugin import textfile

FAILING = "def test_fails():\n    assert False\n"
RUN_CLI = "import sys; from apytest.cli.apytest import main; sys.exit(main())"


def cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`apytest ARGS` in a subprocess (a hang fails the test instead of stalling it)."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert "Traceback" not in done.stderr
    return done


@pytest.mark.slow
@pytest.mark.parametrize(
    "pyproject",
    [b'[project]\nname = "\xff\xfe"\n', b"x = " + b"[" * 50_000 + b"]" * 50_000 + b"\n"],
    ids=["not-utf-8", "nested"],
)
def test_pytest_c_beside_a_broken_pyproject_keeps_its_exit_code(
    pytester: pytest.Pytester, pyproject: bytes
) -> None:
    pytester.path.joinpath("pyproject.toml").write_bytes(pyproject)
    pytester.makeini("[pytest]\n")
    pytester.makepyfile(test_a=FAILING)
    result = pytester.runpytest_subprocess("-c", "tox.ini")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()


def test_two_bad_metrics_files_in_one_second_keep_distinct_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(time, "strftime", lambda _format: "20260101T000000")
    path = tmp_path / "pytest_metrics.prom"

    def merge(text: str) -> str:
        if text:
            raise textfile.Unusable("not ours")
        return "# fresh\n"

    for garbage in ("first", "second", "third"):
        path.write_text(garbage)
        textfile.update(path, merge)
    kept = {p.name: p.read_text() for p in tmp_path.glob("*.corrupt-*")}
    assert kept == {
        "pytest_metrics.prom.corrupt-20260101T000000": "first",
        "pytest_metrics.prom.corrupt-20260101T000000-2": "second",
        "pytest_metrics.prom.corrupt-20260101T000000-3": "third",
    }


@pytest.mark.slow
def test_temporary_files_of_killed_sessions_are_removed_once_their_lock_is_free(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_a="def test_ok():\n    pass\n")
    monitoring = pytester.path / "monitoring"
    monitoring.mkdir()
    stale = monitoring / ".pytest_metrics.prom.k1ll3d.tmp"
    stale.write_bytes(b"x" * 1000)
    lock = os.open(monitoring / ".pytest_metrics.prom.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)  # a live writer: its temporary file must stay
    session = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
        cwd=pytester.path,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (pytester.path / "logs" / "pytest.log").exists():
            assert time.monotonic() < deadline
            time.sleep(0.1)
        time.sleep(1)
        assert stale.exists()
    finally:
        os.close(lock)  # the writer is gone, its file is not
    out, _ = session.communicate(timeout=60)
    assert session.returncode == 0, out
    assert sorted(p.name for p in monitoring.iterdir()) == [
        ".gitignore",
        ".pytest_metrics.prom.lock",
        "pytest_metrics.prom",
    ]


HOLD_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(60)
"""


@pytest.mark.slow
def test_a_memory_locked_by_another_process_is_busy_not_corrupt(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_sqlite, "BUSY_TIMEOUT", 1.0)
    pytester.makepyfile(test_a="def test_ok():\n    pass\n")
    pytester.runpytest().assert_outcomes(passed=1)  # creates the memory
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(memory)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "locked\n"
        started = time.monotonic()
        result = pytester.runpytest()
        elapsed = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["apytest: warning: feedback loop: *: memory busy: *"])
    assert "not a usable" not in result.stdout.str()
    assert elapsed < 30


@pytest.mark.parametrize("limit", ["0", "-1", "99999999999999999999", "abc", "1e3"])
def test_history_limit_must_be_a_sane_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], limit: str
) -> None:
    memory = tmp_path / "memory.sqlite3"
    code = main(["history", "--limit", limit, "--memory", str(memory)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "--limit" in err
    assert not memory.exists()


@pytest.mark.parametrize("command", ["history", "suggestions", "review", "archive", "inventory"])
def test_a_memory_that_does_not_exist_is_an_error_not_a_new_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    memory = tmp_path / "typo.sqlite3"
    monkeypatch.chdir(tmp_path)
    code = main([command, "--memory", str(memory)])
    err = capsys.readouterr().err
    assert code == 1
    assert err == f"apytest {command}: {memory}: no corpus memory there\n"
    assert not memory.exists()


@pytest.fixture
def recorded(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project `demo` with one recorded failing run."""
    pytester.makepyprojecttoml('[project]\nname = "demo"\n')
    pytester.makepyfile(test_a=FAILING)
    pytester.runpytest().assert_outcomes(failed=1)
    return pytester


@pytest.mark.slow
def test_inventory_that_is_not_utf8_is_one_line_and_kept(recorded: pytest.Pytester) -> None:
    target = recorded.path / "testing" / "recorded_failures.md"
    target.parent.mkdir()
    target.write_bytes(b"# \xff\xfe lessons\n")
    done = cli("inventory", cwd=recorded.path)
    assert done.returncode == 1
    assert done.stderr == f"apytest inventory: {target}: not UTF-8 (byte 2): left unchanged\n"
    assert target.read_bytes() == b"# \xff\xfe lessons\n"


@pytest.mark.slow
def test_review_with_a_fifo_as_metrics_file_does_not_hang(recorded: pytest.Pytester) -> None:
    fifo = recorded.path / "metrics.fifo"
    os.mkfifo(fifo)
    done = cli("review", "--metrics-file", str(fifo), cwd=recorded.path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("run 1 of demo:")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "target"),
    [
        (["archive", "-o", "out.tar.gz"], "out.tar.gz"),
        (["inventory", "-o", "out.md"], "out.md"),
        (["monitoring", "init", "mon"], "mon/prometheus.yml"),
        (["monitoring", "init", "mon", "--force"], "mon/pytest_rules.yml"),
    ],
)
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_an_output_that_is_no_file_is_refused_and_never_opened(
    recorded: pytest.Pytester, command: list[str], target: str, kind: str
) -> None:
    path = recorded.path / target
    path.parent.mkdir(exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)  # opened for writing, it would block until a reader came: forever
    else:
        path.symlink_to("/dev/null")
    done = cli(*command, cwd=recorded.path, timeout=30)
    what = "a FIFO" if kind == "fifo" else "a character device"
    name = " ".join(command[: 2 if command[0] == "monitoring" else 1])
    assert (done.returncode, done.stderr) == (
        2,
        f"apytest {name}: {target}: not a regular file ({what}): not written\n",
    )
    assert stat.S_ISFIFO(path.stat().st_mode) if kind == "fifo" else path.is_symlink()


@pytest.mark.slow
def test_the_archive_packs_only_what_it_redacts(
    recorded: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = recorded.path
    token = "ghp_" + "a1B2c3D4e5" * 4
    logs = root / "logs"
    (logs / "pytest.log.1").write_text(f"an older run printed {token}\n")
    (logs / "junit.xml").write_text(f"<testsuite>{token}</testsuite>")
    (logs / ".git").mkdir()
    (logs / ".git" / "config").write_text(f"url = https://x:{token}@example.com/r.git\n")
    os.mkfifo(logs / "pytest.log.2")
    outside = tmp_path_factory.mktemp("outside")
    (outside / "pytest_metrics.prom").write_text(f"# {token}\n")
    (root / "monitoring").rename(root / "monitoring.real")
    (root / "monitoring").symlink_to(outside, target_is_directory=True)
    done = cli("archive", cwd=root)
    assert done.returncode == 0, done.stderr
    with tarfile.open(root / "failure-artifacts.tar.gz") as tar:
        names = sorted(tar.getnames())
        contents = b"".join(tar.extractfile(m).read() for m in tar.getmembers())  # type: ignore[union-attr]
    assert names == ["apytest-run.json", "logs/pytest.log", "logs/pytest.log.1"]
    assert token.encode() not in contents
    assert "an older run printed [REDACTED]" in contents.decode()
    assert "skipped monitoring/pytest_metrics.prom: reached through a symlink" in done.stdout
    assert "skipped logs/pytest.log.2: not a regular file (a FIFO): not read" in done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("keep", ["0", "3"])
def test_a_fifo_as_the_run_log_never_blocks_the_session(
    pytester: pytest.Pytester, keep: str
) -> None:
    pytester.makeini(f"[pytest]\napytest_log_keep = {keep}\n")
    pytester.makepyfile(test_a="def test_ok():\n    pass\n")
    log = pytester.path / "logs" / "pytest.log"
    log.parent.mkdir()
    os.mkfifo(log)
    result = pytester.runpytest_subprocess(timeout=120)  # a blocked open would never end
    assert result.ret == pytest.ExitCode.OK
    if keep == "0":  # kept in place, refused: one warning, never opened
        assert stat.S_ISFIFO(log.stat().st_mode)
        result.stdout.fnmatch_lines(
            ["apytest: warning: cannot write the run log *: *not a regular file (a FIFO)*"]
        )
    else:  # rotated away as pytest.log.1, like any earlier log; this session's log is written
        assert stat.S_ISFIFO((log.parent / "pytest.log.1").stat().st_mode)
        assert "PASSED" in log.read_text()
