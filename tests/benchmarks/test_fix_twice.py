"""``benchmarks/fix_twice.py``: --fix twice on a copy, what each pass changed, pytest imports."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]


@pytest.fixture
def fix_twice(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("fix_twice")


def test_a_real_fix_changes_the_copy_once_and_keeps_pytest_imports(
    fix_twice: ModuleType, tmp_path: Path, write_tree: TreeWriter
) -> None:
    """The real apytest-lint fixes an unguarded optional import on the first pass, leaves the
    second pass nothing to do, and the project itself is never touched."""
    project = tmp_path / "demo"
    source = "import pytest\nfrom _pytest.monkeypatch import MonkeyPatch\nimport matplotlib\n"
    write_tree(
        project,
        {
            "pyproject.toml": "[project]\nname = 'demo'\ndependencies = []\n\n"
            "[project.optional-dependencies]\nplot = ['matplotlib']\ntest = ['pytest']\n",
            "tests/test_plot.py": source,
        },
    )
    check = fix_twice.fix_twice(sys.executable, project)
    assert check.files == 2
    assert check.fixed == ["tests/test_plot.py"]
    assert check.again == []
    assert check.pytest_imports == []
    assert (project / "tests/test_plot.py").read_text() == source


def test_a_changed_or_dropped_import_of_pytest_is_reported(fix_twice: ModuleType) -> None:
    before = b"import pytest\nfrom _pytest.pytester import Pytester\nimport os\n"
    after = b"pytest = __import__('pytest')\nfrom _pytest.pytester import Pytester\nimport os\n"
    lost = fix_twice.pytest_imports(before) - fix_twice.pytest_imports(after)
    assert list(lost) == ["import pytest"]
    assert not fix_twice.pytest_imports(b"def broken(:\n")
