"""AO3: which conftest fixtures nothing in the suite requests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from apytest.lint.fixture_requests import unrequested_fixtures

TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]

CONFTEST = """\
import pytest


@pytest.fixture
def structure():
    import aiida


@pytest.fixture
def inputs(structure):
    return structure


@pytest.fixture
def django_db_setup():
    import aiida
%s"""
AUTOUSE = "\n\n@pytest.fixture(autouse=True)\ndef always(inputs):\n    pass\n"
BOTH = {"structure", "inputs"}


@pytest.mark.parametrize(
    ("tree", "unrequested"),
    [
        ({"tests/test_a.py": "def test_a():\n    pass\n"}, BOTH),
        ({"tests/sub/test_b.py": "def test_b(inputs):\n    pass\n"}, set()),
        ({"tests/sub/test_b.py": "def test_b(structure):\n    pass\n"}, {"inputs"}),
        (
            {"tests/test_a.py": "@pytest.mark.usefixtures('structure')\ndef test_a(): ...\n"},
            {"inputs"},
        ),
        ({"tox.ini": "[pytest]\nusefixtures = inputs\n"}, set()),
        ({"tests/test_a.py": "# structure is set up by hand\n"}, {"inputs"}),
        ({"tests/test_a.py": "def test_a(request):\n    request.getfixturevalue(NAME)\n"}, set()),
        ({"tests/test_a.py": "def pytest_generate_tests(metafunc): ...\n"}, set()),
        ({"tests/test_a.py": "def test_a(request):\n    request.getfixturevalue('db')\n"}, BOTH),
        ({"tests/test_a.py": "def test_restructure():\n    pass\n"}, BOTH),
        ({"tests/conftest.py": CONFTEST % AUTOUSE}, set()),
    ],
)
def test_a_conftest_fixture_is_unrequested_when_nothing_that_runs_names_it(
    tmp_path: Path, write_tree: TreeWriter, tree: Mapping[str, str], unrequested: set[str]
) -> None:
    """A fixture runs when another file of the suite or an ini file mentions it (a comment too:
    precision first), when its conftest requests it otherwise (an autouse fixture), or when a
    fixture that runs requests it (``inputs`` brings ``structure``); a computed request may be
    of any fixture; a name pytest or a known plugin defines (``django_db_setup``) is an
    override the plugin requests, never unrequested."""
    write_tree(tmp_path, {"tests/conftest.py": CONFTEST % "", **tree})
    files = ["tests/conftest.py", *(path for path in tree if path.endswith(".py"))]
    found = unrequested_fixtures(tmp_path, files, ["tests/conftest.py"], ())
    assert found == {("tests/conftest.py", name) for name in unrequested}


def test_what_the_facts_say_is_requested_runs_without_a_look_at_the_files(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """The names the other files' tests and fixtures request (their facts) run, and what they
    request with them; the files are read only for the fixtures those leave unrequested."""
    write_tree(tmp_path, {"tests/conftest.py": CONFTEST % ""})
    files = ["tests/conftest.py", "tests/test_gone.py"]  # a file not there is not read
    assert unrequested_fixtures(tmp_path, files, ["tests/conftest.py"], ["inputs"]) == set()
    found = unrequested_fixtures(tmp_path, files, ["tests/conftest.py"], ["structure"])
    assert found == {("tests/conftest.py", "inputs")}
