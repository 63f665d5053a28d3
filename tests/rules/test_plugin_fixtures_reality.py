"""APT405 against pytest itself: the modules it flags are exactly those whose tests error for a
plugin's fixture that is not installed.

The suite below requests pytest-mock's ``mocker`` and pytest-httpx's ``httpx_mock`` in every
shape the rule judges, in an environment without either plugin, and a real pytest run says which
tests error at setup.
"""

from __future__ import annotations

import importlib.util
import re

import pytest

from apytest.lint.runner import run_lint

PROJECT = (
    '[project]\nname = "demo"\nversion = "0"\n\n'
    '[project.optional-dependencies]\ntest = ["pytest"]\n'
)
MODULES: dict[str, str] = {
    "test_direct.py": "def test_reads(mocker):\n    pass\n",
    "test_method.py": "class TestApi:\n    def test_get(self, httpx_mock):\n        pass\n",
    "test_through_a_fixture.py": (
        "import pytest\n\n\n@pytest.fixture\ndef opened(mocker):\n    return mocker\n\n\n"
        "def test_reads(opened):\n    pass\n"
    ),
    "test_unused_fixture.py": (
        "import pytest\n\n\n@pytest.fixture\ndef spy(mocker):\n    return mocker\n\n\n"
        "def test_plain():\n    pass\n"
    ),
    "test_own_fixture.py": (
        "import pytest\n\n\n@pytest.fixture\ndef httpx_mock():\n    return None\n\n\n"
        "def test_uses_it(httpx_mock):\n    assert httpx_mock is None\n"
    ),
    "test_parametrized.py": (
        'import pytest\n\n\n@pytest.mark.parametrize("mocker", [1])\n'
        "def test_value(mocker):\n    assert mocker == 1\n"
    ),
    "test_patched.py": (
        'from unittest import mock\n\n\n@mock.patch("os.getcwd")\n'
        "def test_cwd(mocker):\n    assert mocker is not None\n"
    ),
    "test_skipped.py": (
        'import pytest\n\n\n@pytest.mark.skip(reason="later")\ndef test_later(mocker):\n    pass\n'
    ),
    "test_default.py": "def test_default(mocker=None):\n    assert mocker is None\n",
    "test_unittest.py": (
        "import unittest\n\n\nclass TestCaseStyle(unittest.TestCase):\n"
        "    def test_it(self, mocker=None):\n        self.assertIsNone(mocker)\n"
    ),
}
ERROR_LINE = re.compile(r"^ERROR (tests/[^:\s]+)::")


def modules_pytest_errors(pytester: pytest.Pytester) -> set[str]:
    result = pytester.runpytest_subprocess(
        "-q", "-rE", "-p", "no:apytest", "-p", "no:cacheprovider"
    )
    output = "\n".join(result.outlines + result.errlines)
    assert "fixture 'mocker' not found" in output, output
    return {m.group(1) for line in result.outlines if (m := ERROR_LINE.match(line))}


@pytest.mark.slow
def test_apt405_predicts_pytest_setup_errors(pytester: pytest.Pytester) -> None:
    for plugin in ("pytest_mock", "pytest_httpx"):
        assert importlib.util.find_spec(plugin) is None, f"{plugin} is installed: nothing to test"
    root = pytester.path
    (root / "pyproject.toml").write_text(PROJECT, encoding="utf-8")
    (root / "tests").mkdir()
    for name, body in MODULES.items():
        (root / "tests" / name).write_text(body, encoding="utf-8")
    erroring = modules_pytest_errors(pytester)
    result = run_lint([root], root=root, select=["APT405"], use_cache=False, jobs=1)
    predicted = {f.path for f in result.findings}
    assert erroring == {
        "tests/test_direct.py",
        "tests/test_method.py",
        "tests/test_through_a_fixture.py",
    }
    assert predicted == erroring
