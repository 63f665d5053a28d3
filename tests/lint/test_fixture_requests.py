"""AO3: which conftest fixtures no file of the suite requests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from apytest.lint.fixture_requests import unrequested_fixtures

TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]
CONFTEST = "import pytest\n\n\n@pytest.fixture\ndef structure():\n    import aiida\n"
CANDIDATES = {"tests/conftest.py": frozenset({"structure", "django_db_setup"})}


@pytest.mark.parametrize(
    ("tree", "unrequested"),
    [
        ({"tests/test_a.py": "def test_a():\n    pass\n"}, {"structure"}),
        ({"tests/sub/test_b.py": "def test_b(structure):\n    pass\n"}, set()),
        ({"tests/test_a.py": "@pytest.mark.usefixtures('structure')\ndef test_a(): ...\n"}, set()),
        ({"tox.ini": "[pytest]\nusefixtures = structure\n"}, set()),
        ({"tests/test_a.py": "# structure is set up by hand\n"}, set()),
        ({"tests/test_a.py": "def test_a(request):\n    request.getfixturevalue(NAME)\n"}, set()),
        ({"tests/test_a.py": "def pytest_generate_tests(metafunc): ...\n"}, set()),
        (
            {"tests/test_a.py": "def test_a(request):\n    request.getfixturevalue('db')\n"},
            {"structure"},
        ),
        ({"tests/test_a.py": "def test_restructure():\n    pass\n"}, {"structure"}),
    ],
)
def test_a_conftest_fixture_is_unrequested_when_no_other_file_names_it(
    tmp_path: Path, write_tree: TreeWriter, tree: Mapping[str, str], unrequested: set[str]
) -> None:
    """Any mention in another file of the suite or an ini file requests it (a comment too:
    precision first), and a computed request may be of any fixture; a name pytest or a known
    plugin defines (``django_db_setup``) is an override the plugin requests, never unrequested."""
    write_tree(tmp_path, {"tests/conftest.py": CONFTEST, **tree})
    files = ["tests/conftest.py", *(path for path in tree if path.endswith(".py"))]
    found = unrequested_fixtures(tmp_path, files, CANDIDATES)
    assert found == {("tests/conftest.py", name) for name in unrequested}
