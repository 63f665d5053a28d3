"""APT405 and APT406 against pytest itself: the modules each flags are exactly those whose tests
fail because a plugin the tests do not declare is not installed.

Each suite below uses a plugin in every shape its rule judges (pytest-mock's ``mocker`` and
pytest-httpx's ``httpx_mock``; coroutine tests for pytest-asyncio), in an environment without
the plugin, and a real pytest run says which modules' tests fail.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from apytest.lint.runner import run_lint

PROJECT = (
    '[project]\nname = "demo"\nversion = "0"\n\n'
    '[project.optional-dependencies]\ntest = ["pytest"]\n'
)
FIXTURE_MODULES: dict[str, str] = {
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
FAILED_LINE = re.compile(r"^(?:ERROR|FAILED) (tests/[^:\s]+)::")


ASYNC_MODULES: dict[str, str] = {
    "test_marked.py": (
        "import asyncio\n\nimport pytest\n\n\n@pytest.mark.asyncio\n"
        "async def test_sleep():\n    await asyncio.sleep(0)\n"
    ),
    "test_method.py": "class TestApi:\n    async def test_get(self):\n        pass\n",
    "test_unittest.py": (
        "import unittest\n\n\nclass TestCase(unittest.IsolatedAsyncioTestCase):\n"
        "    async def test_get(self):\n        self.assertTrue(True)\n"
    ),
    "test_wrapped.py": (
        "import asyncio\nimport functools\n\n\ndef run_sync(test):\n"
        "    @functools.wraps(test)\n    def run(*args, **kwargs):\n"
        "        return asyncio.run(test(*args, **kwargs))\n    return run\n\n\n"
        "@run_sync\nasync def test_sleep():\n    await asyncio.sleep(0)\n"
    ),
    "test_skipped.py": (
        'import pytest\n\n\n@pytest.mark.skip(reason="later")\nasync def test_later():\n    pass\n'
    ),
    "test_helper.py": "async def helper():\n    pass\n\n\ndef test_plain():\n    pass\n",
}


def modules_pytest_fails(pytester: pytest.Pytester, modules: dict[str, str]) -> set[str]:
    """Write the suite, run it with a real pytest (the plugins blocked), and return the
    modules whose tests failed or errored."""
    root = pytester.path
    (root / "pyproject.toml").write_text(PROJECT, encoding="utf-8")
    (root / "tests").mkdir()
    for name, body in modules.items():
        (root / "tests" / name).write_text(body, encoding="utf-8")
    result = pytester.runpytest_subprocess(
        "-q", "-rfE", "-p", "no:apytest", "-p", "no:cacheprovider", "-p", "no:asyncio"
    )
    return {m.group(1) for line in result.outlines if (m := FAILED_LINE.match(line))}


def flagged(root: Path, code: str) -> set[str]:
    result = run_lint([root], root=root, select=[code], use_cache=False, jobs=1)
    return {f.path for f in result.findings}


@pytest.mark.slow
def test_apt405_predicts_pytest_setup_errors(pytester: pytest.Pytester) -> None:
    for plugin in ("pytest_mock", "pytest_httpx"):
        assert importlib.util.find_spec(plugin) is None, f"{plugin} is installed: nothing to test"
    failing = modules_pytest_fails(pytester, FIXTURE_MODULES)
    assert failing == {
        "tests/test_direct.py",
        "tests/test_method.py",
        "tests/test_through_a_fixture.py",
    }
    assert flagged(pytester.path, "APT405") == failing


@pytest.mark.slow
@pytest.mark.skipif(
    tuple(map(int, pytest.__version__.split(".")[:2])) < (8, 4),
    reason="pytest fails unhandled coroutine tests from 8.4 on (earlier it skips them)",
)
def test_apt406_predicts_pytest_failures(pytester: pytest.Pytester) -> None:
    failing = modules_pytest_fails(pytester, ASYNC_MODULES)
    assert failing == {"tests/test_marked.py", "tests/test_method.py"}
    assert flagged(pytester.path, "APT406") == failing
