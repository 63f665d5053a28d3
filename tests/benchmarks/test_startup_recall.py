"""The two tools of ``benchmarks/startup_recall.py`` that decide what a case is: deleting a
plugin's declarations as a maintainer would, and a venv without the plugin as ``pip uninstall``
would leave it. Real files, a real venv built from the one running these tests."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from apytest.common.settings import read_toml

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def recall(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("startup_recall")


PYPROJECT = """\
[project]
name = "demo"
version = "0"

[project.optional-dependencies]
test = ["pytest>=8", "pytest-cov>=4", "pytest-covfoo"]
all = [
    "pytest_cov[toml] ; python_version >= '3.9'",
    "other",
]

[tool.poetry.group.test.dependencies]
pytest-cov = "^4"
"""


def test_every_declaration_of_the_plugin_goes_and_nothing_else(
    recall: ModuleType, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "requirements-test.txt").write_text("pytest\npytest-cov==4.1  # cov\nmock\n")
    (tmp_path / "setup.cfg").write_text("[options.extras_require]\ntest =\n    pytest-cov\n    x\n")
    (tmp_path / "README.md").write_text("pytest-cov\n")  # not a declaration file

    edits = recall.remove_declarations(tmp_path, "pytest-cov")

    assert len(edits) == 5, edits
    data = read_toml(tmp_path / "pyproject.toml")
    assert data["project"]["optional-dependencies"] == {
        "test": ["pytest>=8", "pytest-covfoo"],
        "all": ["other"],
    }
    assert data["tool"]["poetry"]["group"]["test"]["dependencies"] == {}
    assert (tmp_path / "requirements-test.txt").read_text() == "pytest\nmock\n"
    assert (tmp_path / "setup.cfg").read_text() == "[options.extras_require]\ntest =\n    x\n"
    assert (tmp_path / "README.md").read_text() == "pytest-cov\n"


def test_an_item_inside_a_line_goes_and_the_list_stays_valid(
    recall: ModuleType, tmp_path: Path
) -> None:
    text = '[project]\nname = "demo"\ndependencies = [\n  "a", "pytest-cov"]\n'
    (tmp_path / "pyproject.toml").write_text(text)
    assert [e for e in recall.remove_declarations(tmp_path, "pytest-cov") if "UNDONE" in e] == []
    assert read_toml(tmp_path / "pyproject.toml")["project"]["dependencies"] == ["a"]


@pytest.mark.slow
def test_a_venv_without_the_plugin_has_everything_else(recall: ModuleType, tmp_path: Path) -> None:
    base = Path(sys.prefix)
    assert recall.installed_plugins(base).get("pytest-xdist"), "the dev venv has xdist"
    target = recall.venv_without(base, "pytest-xdist", tmp_path / "venv")
    python = str(target / "bin" / "python")
    probe = (
        "import importlib.util as u; print(u.find_spec('xdist'), u.find_spec('pytest') is not None)"
    )
    done = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["None", "True"]
    assert "pytest-xdist" not in recall.installed_plugins(target)
    assert recall.required_by(base, "execnet") == ["pytest-xdist"]
