"""Fuzzing: random and adversarial input to every reader of untrusted text.

The linter (source files, `pyproject.toml`, ini files, `PYTEST_ADDOPTS`, its arguments), the
`apytest` CLI's arguments, the text-format parser and the config readers. Whatever comes in:
exit code 0, 1 or 2, errors on one line, no traceback, and each case within a time bound (an
alarm signal fails a case that hangs instead of stalling the suite). Few examples by default;
the `slow` test runs many more.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import signal
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from apytest.cli.apytest import main as apytest_main
from apytest.cli.apytest_lint import main as lint_main
from apytest.lint.errors import LintError
from apytest.lint.project import find_project
from apytest.plugin import textformat
from apytest.plugin.metrics import CorruptMetrics, parse_previous
from apytest.plugin.options import project_name

CASE_SECONDS = 20
"""Far above any case's real time on a loaded machine; only a hang reaches it."""
# No shrinking: each case runs a whole lint, and shrinking one can take minutes. A failure
# still prints the case that failed.
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)
FAST = settings(
    max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), phases=NO_SHRINK
)


class Hang(Exception):
    """A case ran past CASE_SECONDS."""


@contextlib.contextmanager
def bounded(seconds: float = CASE_SECONDS) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"a case ran over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run(main: object, argv: Sequence[str]) -> tuple[int, str, str]:
    """A CLI's `main(argv)` in-process, bounded; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with bounded(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))  # type: ignore[operator]
        except SystemExit as exited:  # argparse's --help and usage errors
            code = exited.code if isinstance(exited.code, int) else 0
    return code, out.getvalue(), err.getvalue()


def assert_well_behaved(code: int, err: str) -> None:
    assert code in (0, 1, 2), err
    assert "Traceback" not in err
    assert err.count("\n") <= 1, err


# Adversarial fragments: each has broken a parser or a walker of some linter somewhere.
SOURCE_FRAGMENTS = [
    "def test_a():\n    assert True\n",
    "import os\nos.environ['X'] = '1'\n",
    "from pathlib import Path\ndef test_w():\n    Path('out.txt').write_text('x')\n",
    "x = " + " + ".join(["a"] * 3000) + "\n",
    "x = a" + ".b" * 3000 + "\n",
    "x = " + "(" * 200 + ")" * 200 + "\n",
    "x = " + "[" * 100 + "]" * 100 + "\n",
    "def f(:\n",
    "\x00",
    "\ufeff# coding: latin-1\nx = 1\n",
    "# -*- coding: no-such-codec -*-\n",
    "'''unterminated\n",
    "@pytest.fixture\ndef tmp_path():\n    pass\n",
    "import pytest\npytest_plugins = ['a.b', 1, None]\n",
    "\r\n\r\n\t\f\v",
    "# apytest: ignore[APT2",
]
sources = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300),
    st.lists(st.sampled_from(SOURCE_FRAGMENTS), max_size=4).map("".join),
).map(lambda s: s if isinstance(s, bytes) else s.encode("utf-8", "surrogatepass"))

TOML_FRAGMENTS = [
    "[project]\nname = 'demo'\n",
    "[tool.pytest.ini_options]\ntestpaths = ['tests']\n",
    '[tool.pytest.ini_options]\naddopts = "-k \'unbalanced"\n',
    "[tool.pytest.ini_options]\naddopts = '--import-mode=importlib'\n",
    "[tool.pytest.ini_options]\npython_files = 42\n",
    "[tool.apytest]\nselect = ['APT', 'NOPE']\n",
    "[tool.apytest]\nignore = 'APT201'\n",
    "[tool.apytest]\nexclude = [1, 2]\n",
    "[tool.apytest.per-file-ignores]\n'*' = 'x'\n",
    "[tool.apytest]\nregistry = '../../etc/passwd'\n",
    "[project]\ndependencies = ['not a requirement !!', 'ok>=1']\n",
    "[project]\noptional-dependencies = 'x'\n",
    "x = " + "[" * 2000 + "]" * 2000 + "\n",
    "[tool]\napytest = 3\n",
    "\xff\xfe",
]
tomls = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(TOML_FRAGMENTS), max_size=4).map("".join),
)
INI_FRAGMENTS = ["[pytest]\n", "addopts = -p 'x\n", "testpaths = a b\n", "[tool:pytest\n", "%("]
inis = st.lists(st.sampled_from(INI_FRAGMENTS), max_size=4).map("".join) | st.text(max_size=80)
addopts = st.sampled_from(["", "-k 'x", '"', "--import-mode=nope", "--import-mode", "-p x"])


def write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "replace"))


def lint_project(
    files: list[bytes], pyproject: str, ini: str | None, environ: str, argv: Sequence[str]
) -> tuple[int, str, str]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write(root / "pyproject.toml", pyproject)
        if ini is not None:
            write(root / "setup.cfg", ini)
        for number, content in enumerate(files):
            write(root / "tests" / f"test_{number}.py", content)
        saved = os.environ.get("PYTEST_ADDOPTS")
        os.environ["PYTEST_ADDOPTS"] = environ
        try:
            return run(lint_main, [*argv, "--no-cache", "-j", "1", str(root)])
        finally:
            if saved is None:
                del os.environ["PYTEST_ADDOPTS"]
            else:
                os.environ["PYTEST_ADDOPTS"] = saved


LINT_TOKENS = ["--format", "json", "sarif", "github", "text", "--select", "APT2", "--ignore"]
LINT_TOKENS += ["NOPE", "--statistics", "-q", "--explain", "APT001", "--diff", "-j", "0", "x", "-"]
lint_args = st.lists(st.sampled_from(LINT_TOKENS), max_size=4)


@pytest.mark.slow
@FAST
@given(
    files=st.lists(sources, min_size=1, max_size=3),
    pyproject=tomls,
    ini=st.none() | inis,
    environ=addopts,
    argv=lint_args,
)
def test_the_linter_on_random_projects(
    files: list[bytes], pyproject: str, ini: str | None, environ: str, argv: list[str]
) -> None:
    code, _out, err = lint_project(files, pyproject, ini, environ, argv)
    assert_well_behaved(code, err)


@pytest.mark.slow
@settings(
    max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), phases=NO_SHRINK
)
@given(files=st.lists(sources, min_size=1, max_size=5), pyproject=tomls, environ=addopts)
def test_the_linter_on_many_random_projects(
    files: list[bytes], pyproject: str, environ: str
) -> None:
    code, _out, err = lint_project(files, pyproject, None, environ, [])
    assert_well_behaved(code, err)


CLI_TOKENS = ["review", "suggestions", "history", "archive", "inventory", "monitoring", "init"]
CLI_TOKENS += ["lint", "--format", "json", "prompt", "--limit", "0", "-1", "3", "--help", "-o"]
CLI_TOKENS += ["99999999999999999999", "--memory", "missing.sqlite3", "--project", "--force"]
CLI_TOKENS += ["--prometheus", "127.0.0.1:abc", "--metrics-file", "nope.prom", "out.tar.gz"]
CLI_TOKENS += ["", "\x00", "é"]
cli_tokens = st.sampled_from(CLI_TOKENS)


@pytest.mark.slow
@FAST
@given(argv=st.lists(cli_tokens, max_size=6))
def test_the_apytest_cli_on_random_arguments(
    argv: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("cli")
    write(folder / "pyproject.toml", "[project]\nname = 'demo'\n")
    cwd = os.getcwd()
    os.chdir(folder)  # restored in finally (monkeypatch is per test, not per example)
    try:
        code, _out, err = run(apytest_main, argv)
    finally:
        os.chdir(cwd)
    assert_well_behaved(code, err)


metric_lines = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "# TYPE pytest_test_failures_total counter",
            "# TYPE pytest_test_failures_total gauge",
            "# TYPE pytest_test_duration_seconds histogram",
            "# HELP x \\",
            'pytest_test_failures_total{project="demo"} 3',
            'pytest_test_failures_total{project="demo"} -1',
            'pytest_test_failures_total{project="demo"} NaN',
            'pytest_test_duration_seconds_bucket{project="demo",le="+Inf"} 1',
            'x{a="\\"} 1',
            'x{a="' + "\\\\" * 500 + "} 1",
            "x{" + 'a="b",' * 200 + "} 1e999",
            "x 1 2 3",
        ]
    ),
)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(lines=st.lists(metric_lines, max_size=8))
def test_the_text_format_parser_raises_only_value_error(lines: list[str]) -> None:
    text = "\n".join(lines)
    with bounded():
        try:
            families = textformat.parse(text)
        except ValueError:
            return
        try:
            previous = parse_previous(text, "demo")
        except CorruptMetrics:
            return
    assert all(family.kind is not None for family in families)
    assert previous.failures >= 0 or math.isnan(previous.failures)


@pytest.mark.slow
@FAST
@given(pyproject=tomls, ini=st.none() | inis, environ=addopts)
def test_the_config_readers_raise_only_lint_error(
    pyproject: str, ini: str | None, environ: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write(root / "pyproject.toml", pyproject)
        if ini is not None:
            write(root / "pytest.ini", ini)
        saved = os.environ.get("PYTEST_ADDOPTS")
        os.environ["PYTEST_ADDOPTS"] = environ
        try:
            with bounded():
                assert project_name(root)  # never raises: the name falls back to the folder's
                try:
                    find_project(root)
                except LintError as error:
                    message = str(error)
                else:
                    message = ""
            assert "\n" not in message
        finally:
            if saved is None:
                del os.environ["PYTEST_ADDOPTS"]
            else:
                os.environ["PYTEST_ADDOPTS"] = saved
