"""Properties of ``--fix`` over generated test suites, every rule's examples, realistic files and
a copy of apytest's own tests.

Generated files mix what can be fixed with what cannot (module-level changes, session fixtures,
helpers, names already taken, sub-folder paths), plus comments and blank lines. Whatever the
mix: the fixed files parse, a second ``--fix`` changes nothing, and pytest still collects them.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apytest.lint.fix import FileFix, fix_findings, write_fix
from apytest.lint.runner import run_lint
from apytest.rules import ALL_RULES
from apytest.rules.api import Example

PYPROJECT = (
    '[project]\nname = "sample"\nversion = "0"\ndependencies = ["pytest"]\n\n'
    '[project.optional-dependencies]\nplot = ["apytest-missing-plot"]\n'
)
HEADER = "import os\nimport sys\nfrom pathlib import Path\n\nimport pytest\n"

names = st.integers(min_value=0, max_value=2)
statement = st.one_of(
    names.map(lambda n: f'os.environ["K{n}"] = "v"'),
    names.map(lambda n: f'del os.environ["K{n}"]'),
    st.just("os.chdir(os.getcwd())"),
    names.map(lambda n: f'sys.path.insert(0, "lib{n}")'),
    names.map(lambda n: f'with open("out{n}.txt", "w") as fh:\n    fh.write("x")  # kept'),
    names.map(lambda n: f'Path("out{n}.txt").write_text("x")'),
    names.map(lambda n: f'assert Path("out{n}.txt").exists()'),
    st.just('os.environ.update(A="1")'),
    st.just('sys.path.append("x")'),
    names.map(lambda n: f'open("sub/f{n}.txt", "w").close()'),
    st.just("monkeypatch = None"),
    st.just("# a comment"),
    st.just(""),
)
parameters = st.lists(st.sampled_from(["tmp_path", "monkeypatch", "request"]), unique=True)
function_head = st.one_of(
    st.builds(lambda p: f"def test_it({', '.join(p)}):", parameters),
    st.builds(lambda p: f"@pytest.fixture\ndef thing({', '.join(p)}):", parameters),
    st.just('@pytest.fixture(scope="session")\ndef shared():'),
    st.just("def helper():"),
)
module_item = st.one_of(
    st.builds(lambda head, body: (head, body), function_head, st.lists(statement, max_size=5)),
    st.sampled_from(
        [
            "import apytest_missing_plot",
            "import apytest_missing_plot as plot  # optional",
            'os.environ["AT_IMPORT"] = "1"',
            'sys.path.insert(0, "lib")',
            "# module comment",
        ]
    ),
)


def render(items: list[str | tuple[str, list[str]]]) -> str:
    parts = [HEADER]
    for index, item in enumerate(items):
        if isinstance(item, str):
            parts.append(item + "\n")
            continue
        head, body = item
        head = head.replace("test_it", f"test_it{index}").replace("thing", f"thing{index}")
        head = head.replace("shared", f"shared{index}").replace("helper", f"helper{index}")
        lines = [
            f"    {line}" if line else "" for text in [*body, "pass"] for line in text.split("\n")
        ]
        parts.append("\n\n" + head + "\n" + "\n".join(lines) + "\n")
    return "".join(parts)


def fix_once(root: Path) -> list[FileFix]:
    result = run_lint([root], root=root, use_cache=False, jobs=1)
    fixes = fix_findings(result.root, result.files, result.findings)
    for fix in fixes:
        write_fix(root, fix)
    return fixes


def collect(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=root,
        capture_output=True,
        text=True,
    )


def write_suite(root: Path, files: list[list[str | tuple[str, list[str]]]]) -> None:
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "tests").mkdir()
    for index, items in enumerate(files):
        (root / "tests" / f"test_gen{index}.py").write_text(render(items), encoding="utf-8")


suites = st.lists(st.lists(module_item, max_size=6), min_size=1, max_size=2)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(suites)
def test_fixed_files_parse_and_a_second_fix_changes_nothing(
    files: list[list[str | tuple[str, list[str]]]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_suite(root, files)
        for fix in fix_once(root):
            ast.parse(fix.after)
            assert fix.before != fix.after
        assert fix_once(root) == []


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(suites)
def test_fixed_suite_collects(files: list[list[str | tuple[str, list[str]]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_suite(root, files)
        before = collect(root)
        fix_once(root)
        after = collect(root)
        assert after.returncode in (0, 5), after.stdout + after.stderr
        if before.returncode in (0, 5):
            assert after.stdout.count("::") == before.stdout.count("::"), "tests went missing"


@pytest.mark.slow
def test_fixing_apytests_own_tests_keeps_them_collectable(tmp_path: Path) -> None:
    repo = Path(__file__).parents[2]
    shutil.copy(repo / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        repo / "tests", tmp_path / "tests", ignore=shutil.ignore_patterns("__pycache__")
    )
    before = collect(tmp_path)
    fixes = fix_once(tmp_path)
    for fix in fixes:
        ast.parse(fix.after)
    assert fix_once(tmp_path) == []
    after = collect(tmp_path)
    assert after.returncode == before.returncode == 0, after.stdout + after.stderr
    assert after.stdout.count("::") == before.stdout.count("::")


def pytest_import_lines(text: str) -> list[str]:
    """The lines of a file that import pytest or its internals."""
    return [
        line
        for line in text.splitlines()
        if line.lstrip().startswith(
            ("import pytest", "from pytest", "import _pytest", "from _pytest")
        )
    ]


def assert_fix_is_idempotent_and_spares_pytest(root: Path) -> None:
    """One ``--fix`` pass, then a second that must change nothing; pytest's imports untouched."""
    before = {p: p.read_text(encoding="utf-8") for p in root.rglob("*.py")}
    for fix in fix_once(root):
        ast.parse(fix.after)
        assert 'importorskip("pytest")' not in fix.after
        assert 'importorskip("_pytest' not in fix.after
    for path, text in before.items():
        after = path.read_text(encoding="utf-8")
        assert set(pytest_import_lines(text)) <= set(after.splitlines()), path
    assert fix_once(root) == [], "a second --fix changed a file again"


def _rule_examples() -> list[object]:
    return [
        pytest.param(example, id=f"{rule.code}-{kind}-{index}")
        for rule in ALL_RULES
        for kind, examples in (("valid", rule.VALID), ("invalid", rule.INVALID))
        for index, example in enumerate(examples)
        if isinstance(example.code, str)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("example", _rule_examples())
def test_fixing_a_rule_example_twice_changes_nothing_the_second_time(
    example: Example, tmp_path: Path
) -> None:
    files = {"pyproject.toml": '[project]\nname = "example"\n', **example.files}
    files[example.path] = str(example.code)
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    assert_fix_is_idempotent_and_spares_pytest(tmp_path)


REALISTIC_LINES = (
    "import pytest",
    "import _pytest.monkeypatch",
    "from _pytest.pytester import Pytester",
    "from pytest import MonkeyPatch, fixture",
    "import pluggy",
    "import py",
    "import numpy as np",
    "import pandas as pd",
    "import matplotlib",
    "import matplotlib.pyplot as plt",
    "from scipy import stats",
    "import apytest_missing_plot",
    "import apytest_missing_plot as plot",
    "np = pytest.importorskip('numpy')",
    "try:\n    import yaml\nexcept ImportError:\n    yaml = None",
    "with contextlib.suppress(ImportError):\n    import tomli",
    "if TYPE_CHECKING:\n    import apytest_missing_plot",
    "import os, json",
    "def test_one():\n    import apytest_missing_plot\n    assert apytest_missing_plot",
    "@pytest.fixture\ndef data(tmp_path):\n    return tmp_path",
    "class TestThing:\n    def test_it(self):\n        assert True",
)
"""Import styles and test shapes seen in real suites, to compose files from."""

REALISTIC_PYPROJECTS = (
    '[project]\nname = "sample"\ndependencies = []\n',
    PYPROJECT,
    '[project]\nname = "sample"\ndependencies = ["numpy"]\n\n'
    '[project.optional-dependencies]\nplot = ["matplotlib", "pandas", "apytest-missing-plot"]\n',
)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(st.sampled_from(REALISTIC_LINES), max_size=8), min_size=1, max_size=3),
    st.sampled_from(REALISTIC_PYPROJECTS),
)
def test_fix_never_touches_pytest_and_is_idempotent_on_realistic_files(
    modules: list[list[str]], pyproject: str
) -> None:
    """Whatever a project declares (pytest nowhere, in an extra, in dependencies), ``--fix``
    leaves every import of pytest alone and a second pass changes nothing."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
        (root / "tests").mkdir()
        for index, lines in enumerate(modules):
            text = "import contextlib\nfrom typing import TYPE_CHECKING\n\n" + "\n".join(lines)
            (root / "tests" / f"test_real{index}.py").write_text(text + "\n", encoding="utf-8")
        assert_fix_is_idempotent_and_spares_pytest(root)
