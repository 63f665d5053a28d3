"""The project facts a review reads: where the project keeps its own packages."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from failures import missing_module

from apytest.feedback.project_facts import foreign_variables, project_facts
from apytest.feedback.records import Failure


@pytest.mark.parametrize(
    ("files", "folder"),
    [
        ({"src/mypkg/__init__.py": ""}, "src"),
        ({"mypkg/__init__.py": ""}, "."),
        ({"mypkg.py": ""}, "."),
    ],
)
def test_the_folder_of_the_projects_own_package(
    tmp_path: Path, files: dict[str, str], folder: str
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "mypkg"\nversion = "1"\n')
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text("import mypkg\n")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    facts = project_facts(tmp_path, [missing_module("mypkg")])
    assert "mypkg" in facts.first_party
    assert facts.roots == {"mypkg": folder}


def test_a_third_party_package_has_no_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "mypkg"\nversion = "1"\n')
    assert project_facts(tmp_path, [missing_module("yaml")]).roots == {}


def test_a_folder_of_c_sources_is_no_package_to_put_on_the_path(tmp_path: Path) -> None:
    """`src/ujson` holding the extension's C sources: only building the project makes it
    importable, so no folder is suggested."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "ujson"\nversion = "1"\n')
    (tmp_path / "src" / "ujson").mkdir(parents=True)
    (tmp_path / "src" / "ujson" / "ujson.c").write_text("/* C */\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text("import ujson\n")
    facts = project_facts(tmp_path, [missing_module("ujson")])
    assert "ujson" in facts.first_party
    assert facts.roots == {}


def test_a_plugins_missing_fixture_reads_the_declarations(tmp_path: Path) -> None:
    """No module is named, but the review says where the fixture's plugin is declared."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1"\n'
        '[project.optional-dependencies]\ntesting = ["pytest-regressions"]\n'
    )
    failure = Failure(
        "tests/test_a.py::test_x",
        "setup",
        "",
        "fixture 'data_regression' not found",
        "tests/test_a.py",
        3,
    )
    declared = project_facts(tmp_path, [failure]).declared
    assert ("pytest-regressions", "extra:testing") in {(d.name, d.section) for d in declared}


def _helper_missing(module: str) -> Failure:
    """`tests/test_a.py`'s first line, `from <module> import X`, failing to collect."""
    return missing_module(module)._replace(
        line=1, traceback=f"tests/test_a.py:1: in <module>\n    from {module} import X"
    )


def test_a_module_of_a_first_party_folder_that_is_not_there_is_absent(tmp_path: Path) -> None:
    """aiohttp-socks' sdist ships tests/test_connector.py without the tests/config.py it
    imports. Where the file is there (a `tests` package elsewhere shadowing the folder), or
    the folder is not, nothing is said absent."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1"\n')
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text("from tests.config import X\n")
    facts = project_facts(tmp_path, [_helper_missing("tests.config")])
    assert facts.absent == {"tests.config"}
    (tmp_path / "tests" / "config.py").write_text("X = 1\n")
    assert project_facts(tmp_path, [_helper_missing("tests.config")]).absent == frozenset()
    assert project_facts(tmp_path, [_helper_missing("tests.util.x")]).absent == frozenset()


@pytest.mark.parametrize(
    ("where", "foreign"),
    [
        ("tests/test_env.py", False),  # the tests set it: theirs to undo
        (".env", False),  # a test's load_dotenv() reads what only this file names
        ("venv/lib/site-packages/dep.py", True),  # an installed package (TD1)
        (".tox/py/lib/dep.py", True),
        ("logs/pytest.log", True),  # apytest's run log may quote an earlier suggestion
    ],
)
def test_a_changed_variable_is_the_projects_where_one_of_its_files_names_it(
    tmp_path: Path, where: str, foreign: bool
) -> None:
    (tmp_path / "venv").mkdir()
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_other.py").write_text("os.environ['OTHER'] = '1'\n")
    path = tmp_path / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("os.environ['_RJEM_MALLOC_CONF'] = 'x'\n")
    found = foreign_variables(tmp_path, ["OTHER", "_RJEM_MALLOC_CONF"])
    assert found == ({"_RJEM_MALLOC_CONF"} if foreign else set())


def test_a_tree_past_the_search_bounds_keeps_every_variable_the_projects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unsure after the bounded search: the change stays reported, as before TD1."""
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text("nothing here\n")
    assert foreign_variables(tmp_path, ["X"]) == {"X"}
    monkeypatch.setattr("apytest.feedback.project_facts._MAX_FILES", 2)
    assert foreign_variables(tmp_path, ["X"]) == set()


def test_a_fifo_in_the_tree_is_not_read(tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer: the search would hang the session's end.
    It is skipped, and the files beside it are still read."""
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "test_a.py").write_text("os.environ['SET_BY_TEST'] = 'x'\n")
    found: list[frozenset[str]] = []
    # In a thread, so that a search blocked on the FIFO fails this test instead of hanging it.
    search = threading.Thread(
        target=lambda: found.append(foreign_variables(tmp_path, ["SET_BY_TEST", "SET_BY_DEP"])),
        daemon=True,
    )
    search.start()
    search.join(timeout=30)
    assert found == [{"SET_BY_DEP"}]
