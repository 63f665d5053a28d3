"""Where a fix would change what a test means, it must leave the code (and the finding) alone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from apytest.lint.fix import fix_file
from apytest.rules.api import Finding, SourceFile

Fixer = Callable[..., str]

ENV = 'os.environ["MODE"] = "1"'


def fix_at(tmp_path: Path, source: str, code: str, line: int, col: int, kind: str = "test") -> str:
    """Fix one finding placed by hand, for code the rules themselves do not flag."""
    path = "tests/test_x.py" if kind == "test" else "tests/helpers.py"
    (tmp_path / "tests").mkdir(exist_ok=True)
    (tmp_path / path).write_text(source, encoding="utf-8")
    finding = Finding(path, line, col, code, "")
    fix = fix_file(tmp_path, SourceFile(path, kind), [finding])  # type: ignore[arg-type]
    return source if fix is None else fix.after


@pytest.mark.slow
@pytest.mark.parametrize("scope", ["session", "module", "package", "class", "SCOPE"])
def test_wider_fixture_is_skipped(scope: str, fixed: Fixer) -> None:
    quoted = scope if scope == "SCOPE" else f'"{scope}"'
    source = (
        f'import os\nimport pytest\nSCOPE = "session"\n\n\n@pytest.fixture(scope={quoted})\n'
        f"def env():\n    {ENV}\n    with open('log.txt', 'w') as out:\n        out.write('x')\n"
    )
    assert fixed(source) == source


@pytest.mark.slow
def test_function_scoped_fixture_is_fixed(fixed: Fixer) -> None:
    source = (
        f'import os\nimport pytest\n\n\n@pytest.fixture(scope="function")\ndef env():\n    {ENV}\n'
    )
    assert "def env(monkeypatch):\n    monkeypatch.setenv(" in fixed(source)


def test_module_level_statements_are_skipped(tmp_path: Path) -> None:
    env = f"import os\n\n{ENV}\n"
    assert fix_at(tmp_path, env, "APT204", 3, 1) == env
    write = "open('out.txt', 'w').close()\n"
    assert fix_at(tmp_path, write, "APT203", 1, 1) == write


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(f"import os\n\n\ndef helper():\n    {ENV}\n", id="helper"),
        pytest.param(
            f"import os\n\n\ndef test_outer():\n    def inner():\n        {ENV}\n    inner()\n",
            id="nested",
        ),
        pytest.param(f"import os\n\n\nclass Test:\n    {ENV}\n", id="class-body"),
        pytest.param(
            f"import os\nimport unittest\n\n\nclass TestU(unittest.TestCase):\n"
            f"    def test_u(self):\n        {ENV}\n",
            id="unittest",
        ),
        pytest.param(
            f"import os\nfrom hypothesis import given, strategies as st\n\n\n"
            f"@given(st.integers())\ndef test_g(n):\n    {ENV}\n",
            id="hypothesis",
        ),
        pytest.param(f"import os\n\n\ndef test_default(x=1):\n    {ENV}\n", id="defaults"),
    ],
)
def test_functions_pytest_does_not_give_fixtures_are_skipped(source: str, tmp_path: Path) -> None:
    line = next(n for n, text in enumerate(source.splitlines(), 1) if "os.environ" in text)
    col = source.splitlines()[line - 1].index("os.environ") + 1
    assert fix_at(tmp_path, source, "APT204", line, col) == source


def test_test_function_outside_a_test_module_is_skipped(tmp_path: Path) -> None:
    source = f"import os\n\n\ndef test_like():\n    {ENV}\n"
    assert fix_at(tmp_path, source, "APT204", 5, 5, kind="other") == source


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(f"import os\n\n\ndef test_e(monkeypatch=None):\n    {ENV}\n", id="default"),
        pytest.param(f"import os\n\n\ndef test_e(*monkeypatch):\n    {ENV}\n", id="star"),
        pytest.param(
            f"import os\n\n\ndef test_e(monkeypatch):\n    monkeypatch = object()\n    {ENV}\n",
            id="rebound-parameter",
        ),
        pytest.param(
            f"import os\n\n\ndef test_e():\n    monkeypatch = object()\n    {ENV}\n", id="local"
        ),
        pytest.param(
            f"import os\nfrom x import monkeypatch\n\n\ndef test_e():\n    {ENV}\n"
            "    monkeypatch.undo()\n",
            id="global",
        ),
        pytest.param(
            f"import os\nimport pytest\n\n\n@pytest.mark.parametrize('monkeypatch', [1])\n"
            f"def test_e(monkeypatch):\n    {ENV}\n",
            id="parametrized",
        ),
    ],
)
def test_name_already_taken_is_skipped(source: str, tmp_path: Path) -> None:
    line = next(n for n, text in enumerate(source.splitlines(), 1) if "os.environ" in text)
    assert fix_at(tmp_path, source, "APT204", line, 5) == source


@pytest.mark.slow
def test_tmp_path_taken_is_skipped(fixed: Fixer) -> None:
    source = (
        "from pathlib import Path\n\ntmp_path = Path('build')\n\n\ndef test_w():\n"
        "    tmp_path.mkdir(exist_ok=True)\n    open('out.txt', 'w').close()\n"
    )
    assert fixed(source) == source


def test_existing_fixture_parameter_is_reused(fixed: Fixer) -> None:
    source = f"import os\n\n\ndef test_e(monkeypatch, tmp_path):\n    {ENV}\n"
    assert fixed(source) == (
        'import os\n\n\ndef test_e(monkeypatch, tmp_path):\n    monkeypatch.setenv("MODE", "1")\n'
    )


def test_test_method_and_trailing_comma_layout(fixed: Fixer) -> None:
    source = (
        "import os\n\n\nclass TestEnv:\n    def test_e(\n        self,\n        tmp_path,\n"
        f"    ):\n        {ENV}\n        os.chdir(tmp_path)\n"
    )
    assert fixed(source) == (
        "import os\n\n\nclass TestEnv:\n    def test_e(\n        self,\n        tmp_path,\n"
        '        monkeypatch,\n    ):\n        monkeypatch.setenv("MODE", "1")\n'
        "        monkeypatch.chdir(tmp_path)\n"
    )


def test_unfixable_global_changes_stay(fixed: Fixer) -> None:
    source = (
        "import os\nimport sys\n\n\ndef test_e():\n    os.environ.update(A='1')\n"
        "    sys.path.append('x')\n    os.environ['A'] += 'x'\n"
    )
    assert fixed(source) == source


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "def test_w():\n    with open('out.txt', 'w') as f:\n        f.write('x')\n"
            "    with open('out.txt') as f:\n        assert f.read() == 'x'\n",
            "def test_w(tmp_path):\n    with open(tmp_path / 'out.txt', 'w') as f:\n"
            "        f.write('x')\n    with open(tmp_path / 'out.txt') as f:\n"
            "        assert f.read() == 'x'\n",
            id="write-then-read",
        ),
        pytest.param(
            "from pathlib import Path\n\n\ndef test_w():\n    Path('a.txt').write_text('x')\n"
            "    p = Path('a.txt')\n",
            "from pathlib import Path\n\n\ndef test_w(tmp_path):\n"
            "    (tmp_path / 'a.txt').write_text('x')\n    p = tmp_path / 'a.txt'\n",
            id="path-objects",
        ),
        pytest.param(
            # Something between the write and its deletion: the folder may outlive the test.
            "import os\n\n\ndef test_w():\n    os.makedirs('out')\n"
            "    assert os.path.isdir('out')\n    os.rmdir('out')\n",
            "import os\n\n\ndef test_w(tmp_path):\n    os.makedirs(tmp_path / 'out')\n"
            "    assert os.path.isdir(tmp_path / 'out')\n    os.rmdir(tmp_path / 'out')\n",
            id="folder",
        ),
    ],
)
def test_tmp_path_moves_every_use(before: str, after: str, fixed: Fixer) -> None:
    assert fixed(before) == after


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("def test_w():\n    open('build/out.txt', 'w').close()\n", id="sub-folder"),
        pytest.param(
            "import os\n\n\ndef test_w():\n    os.remove('stale.txt')\n", id="not-created-first"
        ),
        pytest.param(
            "def test_w():\n    open('out.txt', 'w').close()\n\n\n"
            "def test_r():\n    open('out.txt').close()\n",
            id="used-by-another-test",
        ),
        pytest.param(
            "import subprocess\n\n\ndef test_w():\n    open('in.txt', 'w').close()\n"
            "    subprocess.run(['wc', 'in.txt'])\n",
            id="named-elsewhere",
        ),
    ],
)
def test_tmp_path_skips_what_it_cannot_follow(source: str, fixed: Fixer) -> None:
    assert fixed(source) == source


@pytest.mark.slow
@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            '#!/usr/bin/env python\n"""Doc."""\nfrom __future__ import annotations\n'
            "import os\nimport matplotlib\nimport matplotlib as mpl\n",
            '#!/usr/bin/env python\n"""Doc."""\nfrom __future__ import annotations\n'
            'import pytest\nimport os\nmatplotlib = pytest.importorskip("matplotlib")\n'
            "import matplotlib as mpl\n",  # runs only when the line above did not skip
            id="once-after-preamble",
        ),
        pytest.param(
            "import pytest\n\nimport matplotlib  # plots\n",
            'import pytest\n\nmatplotlib = pytest.importorskip("matplotlib")  # plots\n',
            id="already-imported",
        ),
        pytest.param(
            "import matplotlib\n\n# the test runner\nimport pytest\n",
            'import pytest\nmatplotlib = pytest.importorskip("matplotlib")\n\n'
            "# the test runner\nimport pytest\n",
            id="commented-later-import-stays",
        ),
    ],
)
def test_import_pytest_added_once_in_the_right_place(before: str, after: str, fixed: Fixer) -> None:
    assert fixed(before) == after


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import matplotlib.pyplot\n", id="dotted-without-as"),
        pytest.param("import os, matplotlib\n", id="several-names"),
        pytest.param("from matplotlib import pyplot\n", id="from-import"),
    ],
)
def test_imports_that_cannot_be_rewritten_stay(source: str, fixed: Fixer) -> None:
    assert fixed(source) == source


@pytest.mark.slow
def test_conftest_import_stays(fixed: Fixer) -> None:
    assert fixed("import matplotlib\n", path="tests/conftest.py") == "import matplotlib\n"


@pytest.mark.slow
def test_rename_into_tmp_path_is_not_a_creation(fixed: Fixer) -> None:
    source = "import os\n\n\ndef test_r():\n    os.rename('a.txt', 'b.txt')\n"
    assert fixed(source) == source
