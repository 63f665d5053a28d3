"""apytest-lint on hostile trees: a finding or a one-line error, never a traceback or a hang.

Each test is a small reproduction of one failure class, run as a user runs it: the real
`apytest-lint` in a subprocess with a timeout (a FIFO opened for reading would block forever).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from apytest.lint.engine import MAX_FILE_BYTES

PYPROJECT = '[project]\nname = "demo"\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'
GREEN = b"def test_ok():\n    assert True\n"


def lint(
    root: Path,
    *args: str,
    env: dict[str, str] | None = None,
    prefix: Sequence[str] = (),
) -> subprocess.CompletedProcess[bytes]:
    """apytest-lint in `root`, without cache unless asked; fails the test on a traceback."""
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "apytest.cli.apytest_lint", *args],
        cwd=root,
        capture_output=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )
    assert b"Traceback" not in done.stdout + done.stderr, done.stderr.decode(errors="replace")
    assert done.returncode in (0, 1, 2), done.stderr
    return done


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_ok.py").write_bytes(GREEN)
    return tmp_path


def findings(done: subprocess.CompletedProcess[bytes]) -> list[str]:
    return [line for line in done.stdout.decode().splitlines() if ": APT" in line]


@pytest.mark.slow
@pytest.mark.parametrize("given", ["explicit", "testpaths"])
def test_a_fifo_is_an_apt001_finding_and_never_opened(project: Path, given: str) -> None:
    os.mkfifo(project / "tests" / "test_pipe.py")
    if given == "testpaths":
        (project / "pyproject.toml").write_text(
            PYPROJECT.replace('["tests"]', '["tests/test_pipe.py", "tests/test_ok.py"]')
        )
    done = lint(project, "--no-cache", *(["tests/test_pipe.py"] if given == "explicit" else []))
    assert findings(done) == [
        "tests/test_pipe.py:1:1: APT001 cannot read: not a regular file (a FIFO): not read"
    ]


def test_a_fifo_a_module_level_change_imports_its_folder_from_is_never_read(
    project: Path,
) -> None:
    """`from tests import root` before `os.chdir(root)`: APT204 reads `tests/__init__.py` to
    know the folder; a FIFO there is skipped (the change stays reported), never waited for."""
    os.mkfifo(project / "tests" / "__init__.py")
    (project / "tests" / "test_root.py").write_text(
        "import os\nfrom tests import root\nos.chdir(root)\n\ndef test_a():\n    pass\n"
    )
    done = lint(project, "--no-cache", "--select", "APT204")
    assert findings(done) == [
        "tests/test_root.py:3:1: APT204 [*] os.chdir changes the working directory of every "
        "later test; use monkeypatch.chdir()"
    ]


@pytest.mark.slow
@pytest.mark.parametrize("given", ["folder", "testpaths"])
@pytest.mark.parametrize("output", ["text", "json", "sarif", "github"])
def test_special_files_met_while_walking_a_folder_are_skipped_with_a_warning(
    project: Path, given: str, output: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tests = project / "tests"
    os.mkfifo(tests / "test_pipe.py")
    os.mkfifo(tests / "test_new\nline.py")  # escaped on one line
    os.mkfifo(tests / "helpers.py")  # not a test module: pytest would not collect it either
    (tests / "test_null.py").symlink_to("/dev/null")
    (tests / "test_gone.py").symlink_to("nowhere")
    (project / "conftest.py").symlink_to("/dev/null")  # above the walked folder
    # A socket path must be short (108 bytes): bind it elsewhere and link to it.
    place = tmp_path_factory.mktemp("s") / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(place))
        (tests / "test_socket.py").symlink_to(place)
        done = lint(project, "--no-cache", "--format", output, *(["tests"] * (given == "folder")))
    assert done.returncode == 0  # the skips change nothing
    assert done.stderr.decode().splitlines() == [
        f"apytest-lint: warning: {path}: skipped, not linted"
        for path in (
            "conftest.py: not a regular file (a character device)",
            "tests/test_gone.py: a link to nothing",
            "tests/test_new\\nline.py: not a regular file (a FIFO)",
            "tests/test_null.py: not a regular file (a character device)",
            "tests/test_pipe.py: not a regular file (a FIFO)",
            "tests/test_socket.py: not a regular file (a socket)",
        )
    ]
    if output == "text":
        assert done.stdout == b"All checks passed (1 file).\n"
    elif output != "github":
        json.loads(done.stdout)  # stdout stays a valid document


@pytest.mark.slow
def test_data_files_matching_a_catch_all_python_files_are_no_warning(project: Path) -> None:
    """``python_files = *`` (paramiko's) matches a folder's key files too, but pytest collects
    only ``.py`` files: a regular data file, or a FIFO without that suffix, is nothing to
    warn about; a FIFO named ``.py`` still is."""
    with (project / "pyproject.toml").open("a") as config:
        config.write('python_files = ["*"]\n')
    (project / "tests" / "rsa.key").write_text("KEY\n")
    os.mkfifo(project / "tests" / "pipe.log")
    os.mkfifo(project / "tests" / "helper_pipe.py")
    done = lint(project, "--no-cache")
    assert done.stderr.decode().splitlines() == [
        "apytest-lint: warning: tests/helper_pipe.py: not a regular file (a FIFO): skipped,"
        " not linted"
    ]


@pytest.mark.slow
def test_excluded_special_files_are_skipped_silently(project: Path) -> None:
    os.mkfifo(project / "tests" / "test_pipe.py")
    with (project / "pyproject.toml").open("a") as config:
        config.write('[tool.apytest]\nexclude = ["tests/test_pipe.py"]\n')
    done = lint(project, "--no-cache")
    assert (done.returncode, done.stderr) == (0, b"")


@pytest.mark.slow
def test_a_device_linked_as_a_test_file_is_never_read(project: Path) -> None:
    (project / "tests" / "test_zero.py").symlink_to("/dev/zero")
    done = lint(project, "--no-cache", "tests/test_zero.py")
    assert findings(done) == [
        "tests/test_zero.py:1:1: APT001 cannot read: not a regular file "
        "(a character device): not read"
    ]


@pytest.mark.slow
def test_a_file_over_the_cap_is_a_finding_without_reading_it_whole(project: Path) -> None:
    big = project / "tests" / "test_big.py"
    with big.open("wb") as out:
        out.write(GREEN)
        out.truncate(50 * 1024 * 1024)  # 50 MB (sparse): a parse would need gigabytes
    done = lint(project, "--no-cache")
    [finding] = findings(done)
    assert finding.startswith("tests/test_big.py:1:1: APT001 cannot read: larger than ")
    assert f"({MAX_FILE_BYTES} bytes)" in finding


DEEP = "APT001 cannot analyse: nested too deeply (Python's recursion limit)"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("source", "finding"),
    [
        ("x = " + " + ".join(["a"] * 5000) + "\n", f"1:1: {DEEP}"),
        ("x = a" + ".b" * 5000 + "\n", f"1:1: {DEEP}"),
        (
            "from pathlib import Path\n\ndef test_p():\n    p = Path('x')"
            + ' / "x"' * 1000
            + "\n    p.write_text('')\n",
            f"1:1: {DEEP}",
        ),
        ("x = " + "(" * 300 + ")" * 300 + "\n", "1:205: APT001 cannot parse: too many nested"),
    ],
    ids=["plus", "attributes", "path-division", "parentheses"],
)
def test_deep_nesting_is_an_apt001_finding(project: Path, source: str, finding: str) -> None:
    (project / "tests" / "test_deep.py").write_text(source)
    done = lint(project, "--no-cache")
    [found] = findings(done)
    assert found.startswith(f"tests/test_deep.py:{finding}")


@pytest.mark.slow
def test_an_unreadable_folder_is_skipped(project: Path) -> None:
    """As a user the folder's permissions apply to. As root, the capabilities that override
    them (dac_override, dac_read_search) are dropped for the linter's process."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]
    locked = project / "tests" / "locked"
    locked.mkdir()
    (locked / "test_hidden.py").write_bytes(GREEN)
    locked.chmod(0)
    try:
        done = lint(project, "--no-cache", prefix=prefix)
        explicit = lint(project, "--no-cache", "tests/locked/test_hidden.py", prefix=prefix)
    finally:
        locked.chmod(0o755)
    assert done.returncode == 0, done.stderr
    assert b"All checks passed (1 file)" in done.stdout
    assert explicit.returncode == 2
    assert explicit.stderr.count(b"\n") == 1


@pytest.mark.slow
@pytest.mark.parametrize("name", [b"test_\xff.py", b"test_new\nline.py", b"test_\x1b[31m.py"])
@pytest.mark.parametrize("output", ["text", "json", "sarif", "github", "diff"])
def test_every_path_is_printed_escaped_on_one_line(project: Path, name: bytes, output: str) -> None:
    path = os.path.join(os.fsencode(project / "tests"), name)
    with open(path, "wb") as out:
        out.write(
            b"import os\ndef test_env():\n    os.environ['X'] = '1'\n"
            if output == "diff"
            else b"def test_broken(:\n"
        )
    done = lint(project, "--no-cache", *(["--diff"] if output == "diff" else ["--format", output]))
    assert done.returncode == 1
    text = done.stdout.decode("utf-8")  # strict: a lone surrogate would not encode
    assert "\x1b" not in text
    if output == "text":
        [finding] = findings(done)
        assert finding.startswith("tests/test_")
        assert "APT001" in finding
        assert len(done.stdout.splitlines()) == 2  # the finding and the summary
    elif output == "github":
        assert len(done.stdout.splitlines()) == 1
    elif output == "diff":
        headers = [line for line in text.splitlines() if line.startswith(("--- ", "+++ "))]
        assert [h[:16] for h in headers] == ["--- a/tests/test", "+++ b/tests/test"]
        assert all(h.endswith(".py") for h in headers)
    else:
        json.loads(text)


@pytest.mark.slow
@pytest.mark.parametrize("where", ["addopts", "PYTEST_ADDOPTS"])
def test_an_unbalanced_quote_in_addopts_is_a_one_line_error(project: Path, where: str) -> None:
    env = {}
    if where == "addopts":
        (project / "pyproject.toml").write_text(PYPROJECT + 'addopts = "-k \'unbalanced"\n')
    else:
        env["PYTEST_ADDOPTS"] = "-k 'unbalanced"
    done = lint(project, "--no-cache", env=env)
    assert done.returncode == 2
    assert done.stderr.count(b"\n") == 1
    assert where.encode() in done.stderr
    assert b"No closing quotation" in done.stderr


@pytest.mark.slow
def test_1100_nested_folders(project: Path) -> None:
    folders = [project / "tests" / "d"]
    for _ in range(1099):  # one by one: Path.mkdir(parents=True) recurses itself
        folders.append(folders[-1] / "d")
    try:
        for folder in folders:
            folder.mkdir()
        (folders[-1] / "test_deep.py").write_bytes(GREEN)
        done = lint(project, "--no-cache")
    finally:  # deepest first: pytest's own clean-up of old tmp_path folders recurses
        (folders[-1] / "test_deep.py").unlink(missing_ok=True)
        for folder in reversed(folders):
            if folder.exists():
                folder.rmdir()
    assert done.returncode == 0, done.stderr
    assert b"All checks passed (2 files)" in done.stdout


@pytest.mark.slow
def test_a_deeply_nested_cache_entry_is_recomputed(project: Path) -> None:
    (project / "tests" / "test_bad.py").write_text("def test_broken(:\n")
    first = lint(project)
    entries = list((project / ".apytest" / "cache").rglob("*.json"))
    assert entries
    for entry in entries:
        entry.write_text("[" * 100_000 + "]" * 100_000)
    assert lint(project).stdout == first.stdout


@pytest.mark.slow
def test_a_fix_too_deep_for_libcst_leaves_the_finding(project: Path) -> None:
    source = (
        'import os\n\ndef test_a():\n    os.environ["X"] = "1"\n    x = '
        + " + ".join(["a"] * 1000)
        + "\n"
    )
    path = project / "tests" / "test_deep.py"
    path.write_text(source)
    done = lint(project, "--no-cache", "--fix")
    assert done.returncode == 1
    [finding] = findings(done)
    assert finding.startswith("tests/test_deep.py:4:5: APT204 ")
    assert path.read_text() == source


@pytest.mark.slow
def test_a_deleted_working_folder_is_one_line(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    script = "import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); "
    for run in (
        "from apytest.cli.apytest_lint import main; sys.exit(main([]))",
        "from apytest.cli.apytest import main; sys.exit(main(['history']))",
    ):
        gone.mkdir(exist_ok=True)
        done = subprocess.run(
            [sys.executable, "-c", script + run, str(gone)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode in (1, 2)
        assert done.stderr.count("\n") == 1, done.stderr
        assert "No such file or directory" in done.stderr


@pytest.mark.slow
def test_output_file_a_fifo_with_no_reader_is_refused_not_waited_for(project: Path) -> None:
    os.mkfifo(project / "report.fifo")
    done = lint(project, "--no-cache", "-o", "report.fifo")
    assert (done.returncode, done.stderr) == (
        2,
        b"apytest-lint: error: report.fifo: cannot write: a FIFO with no reader: not written\n",
    )


@pytest.mark.slow
def test_output_file_a_device_or_a_fifo_with_a_reader_gets_the_report(project: Path) -> None:
    assert lint(project, "--no-cache", "-o", "/dev/null").returncode == 0
    fifo = project / "report.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:  # the reader must have the FIFO open before the report is written
            done = lint(project, "--no-cache", "-o", "report.fifo")
            if done.returncode != 2 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        out, _ = reader.communicate(timeout=30)
    finally:
        if reader.poll() is None:
            reader.kill()
    assert done.returncode == 0, done.stderr
    assert out == b"All checks passed (1 file).\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("requirements", "warned"),
    [
        ("-e .\n-r requirements-tests.txt\n\nruff\n", "requirements-dev.txt:2: -r names"),
        ("-c constraints.txt\nruff\n", None),
        ("-r requirements-dev.txt\nruff\n", None),
    ],
    ids=["dangling-include", "missing-constraints", "include-cycle"],
)
@pytest.mark.parametrize("select", ["ALL", "APT2"])
def test_a_requirements_file_that_is_not_shipped_never_aborts_the_run(
    project: Path, requirements: str, warned: str | None, select: str
) -> None:
    """An sdist that omits a file its requirements name: the other rules still lint (the
    leak is found), with at most one warning naming the including line, and exit 1."""
    (project / "requirements-dev.txt").write_text(requirements)
    leak = b"import os\n\n\ndef test_env():\n    os.environ['LEAK'] = '1'\n"
    (project / "tests" / "test_leak.py").write_bytes(leak)
    done = lint(project, "--select", select, "--ignore", "APT301", "--no-cache")
    assert done.returncode == 1, done.stderr
    assert [line.split()[1] for line in findings(done)] == ["APT204"]
    stderr = done.stderr.decode()
    if warned is None:
        assert "warning" not in stderr
    else:
        assert stderr.count("missing file 'requirements-tests.txt'") == 1
        assert warned in stderr
