"""APT401-APT403: reading the pytest configuration, and what counts as declared."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from apytest.lint.runner import run_lint
from apytest.rules.api import PytestConfig
from apytest.rules.support.plugins import plugin_table
from apytest.rules.support.startup import (
    CONFIG_WARNING,
    UNKNOWN_MARK_WARNING,
    strictness,
    unknown_mark_message,
    warning_error,
)

TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]

PROJECT = '[project]\nname = "demo"\nversion = "0"\n\n[project.optional-dependencies]\n'


def config(**ini: Any) -> PytestConfig:
    return PytestConfig("pyproject.toml", ini, ())


@pytest.mark.parametrize(
    ("ini", "expected"),
    [
        ({"filterwarnings": ["error"]}, "error"),
        ({"filterwarnings": "\n    error\n    ignore::DeprecationWarning\n"}, "error"),
        ({"filterwarnings": ["error", "ignore::pytest.PytestUnknownMarkWarning"]}, None),
        ({"filterwarnings": ["error::DeprecationWarning"]}, None),
        (
            {"filterwarnings": ["default", "error::pytest.PytestWarning"]},
            "error::pytest.PytestWarning",
        ),
        ({"filterwarnings": ["error", "ignore:Unknown pytest.mark:UserWarning"]}, None),
        ({"filterwarnings": ["ignore", "e"]}, "e"),
        ({"addopts": "-W error"}, "error"),
        ({"addopts": ["-Werror::UserWarning"]}, "error::UserWarning"),
        ({"addopts": "-p no:warnings", "filterwarnings": ["error"]}, None),
        ({}, None),
    ],
)
def test_which_filter_makes_an_unknown_marker_an_error(
    ini: dict[str, Any], expected: str | None
) -> None:
    assert warning_error(config(**ini), UNKNOWN_MARK_WARNING) == expected


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        (["error", "default:urllib3 v2 only supports OpenSSL.*"], "error"),
        (["error", "default:No IPv6 support:urllib3.exceptions.HTTPWarning"], "error"),
        (["error", "ignore:unknown PYTEST.mark"], None),
        (["error", "ignore:Unknown pytest\\.mark\\.timeout"], None),
        (["error", "ignore:Unknown pytest\\.mark\\.flaky"], "error"),
        (["error", "ignore:[unclosed"], None),
        (["error", "ignore::UserWarning:tests"], None),
    ],
)
def test_a_filter_whose_message_cannot_match_does_not_apply(
    entries: list[str], expected: str | None
) -> None:
    """Python's filters match their message pattern at the start, ignoring case; a pattern
    that is no regex may match anything, and a module pattern is never judged."""
    message = unknown_mark_message("timeout")
    assert warning_error(config(filterwarnings=entries), UNKNOWN_MARK_WARNING, message) == expected


def test_config_warnings_follow_their_own_class() -> None:
    entries = ["error::pytest.PytestConfigWarning"]
    assert warning_error(config(filterwarnings=entries), CONFIG_WARNING) == entries[0]
    assert warning_error(config(filterwarnings=entries), UNKNOWN_MARK_WARNING) is None


@pytest.mark.parametrize(
    ("ini", "expected"),
    [
        ({"addopts": "-ra --strict-markers"}, "--strict-markers in addopts"),
        ({"addopts": ["--strict"]}, "--strict-markers in addopts"),
        ({"strict_markers": "true"}, "strict_markers = true"),
        ({"strict": True}, "strict = true"),
        ({"strict_markers": "false"}, None),
    ],
)
def test_strict_markers(ini: dict[str, Any], expected: str | None) -> None:
    assert strictness(config(**ini), "--strict-markers", "strict_markers") == expected


def test_the_table_never_gives_pytest_names_to_a_plugin() -> None:
    table = plugin_table()
    assert table.plugins_owning("marker", "timeout") == ("pytest-timeout",)
    assert table.plugins_owning("option", "--cov-config") == ("pytest-cov",)
    assert table.plugins_owning("ini", "asyncio_mode") == ("pytest-asyncio",)
    assert table.plugins_owning("plugin", "xdist") == ("pytest-xdist",)
    for kind in ("marker", "option", "ini"):
        for name in table.builtin[kind]:
            assert table.plugins_owning(kind, name) == ()
    assert table.plugins_owning("marker", "anyio") == ()  # a library another package brings
    owners = {o for rows in table.owners.values() for names in rows.values() for o in names}
    assert owners <= set(table.versions)


def found(
    root: Path, write_tree: TreeWriter, files: Mapping[str, str]
) -> list[tuple[str, int, str]]:
    write_tree(root, files)
    result = run_lint([root], root=root, select=["APT4"], use_cache=False, jobs=1)
    return [(f.path, f.line, f.code) for f in result.findings]


STRICT = '\n[tool.pytest.ini_options]\naddopts = "--strict-markers"\n'


def test_markers_of_undeclared_plugins_once_per_module(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    test = (
        "import pytest as pt\nfrom pytest import mark as m\n\n@pt.mark.timeout(1)\ndef test_a():\n"
        "    pass\n\n@m.timeout(2)\n@m.order(1)\n@pt.mark.anyio\n@pt.mark.slow\n"
        "@pt.mark.parametrize('x', [1])\ndef test_b(x):\n    pass\n"
    )
    files = {"pyproject.toml": PROJECT + 'test = ["pytest"]\n' + STRICT, "tests/test_a.py": test}
    assert found(tmp_path, write_tree, files) == [
        ("tests/test_a.py", 4, "APT401"),
        ("tests/test_a.py", 9, "APT401"),
    ]


@pytest.mark.parametrize(
    "files",
    [
        {"pyproject.toml": PROJECT + 'test = ["pytest", "pytest-timeout>=2"]\n' + STRICT},
        {"pyproject.toml": PROJECT + 'test = ["pytest"]\n' + STRICT, "setup.py": ""},
        {
            "pyproject.toml": PROJECT.replace("demo", "pytest-timeout")
            + 'test = ["pytest"]\n'
            + STRICT
        },
        {
            "pyproject.toml": PROJECT + 'test = ["pytest"]\n' + STRICT,
            "tests/conftest.py": "def pytest_configure(config):\n"
            "    config.addinivalue_line('markers', 'timeout(seconds): a limit')\n",
        },
        {"pyproject.toml": PROJECT + 'test = ["pytest"]\n'},
        {
            "pyproject.toml": PROJECT + 'test = ["pytest"]\n' + STRICT,
            "tests/conftest.py": "def pytest_configure(config):\n    for name in NAMES:\n"
            "        config.addinivalue_line('markers', f'{name}: one of ours')\n",
        },
        {
            "pyproject.toml": '[project]\nname = "demo"\nversion = "0"\n',
            "requirements-test.txt": "pytest\npytest-timeout\n",
            "pytest.ini": "[pytest]\naddopts = --strict-markers\n",
        },
    ],
    ids=[
        "declared-for-tests",
        "declarations-not-static",
        "the-project-is-the-plugin",
        "registered-by-conftest",
        "not-strict",
        "registered-from-a-computed-string",
        "test-requirements-file",
    ],
)
def test_markers_stay_silent(files: dict[str, str], tmp_path: Path, write_tree: TreeWriter) -> None:
    test = "import pytest\n\n@pytest.mark.timeout(1)\ndef test_a():\n    pass\n"
    assert found(tmp_path, write_tree, {**files, "tests/test_a.py": test}) == []


def test_a_project_plugin_module_named_like_a_plugin(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    files = {
        "pyproject.toml": PROJECT + 'test = ["pytest"]\n\n[tool.pytest.ini_options]\n'
        'addopts = "-p env"\n',
        "env.py": "def pytest_configure(config):\n    pass\n",
        "tests/test_a.py": "def test_a():\n    pass\n",
    }
    assert found(tmp_path, write_tree, files) == []


def test_options_plugins_and_keys_in_an_ini_file(tmp_path: Path, write_tree: TreeWriter) -> None:
    ini = (
        "[pytest]\naddopts =\n    -ra --cov=demo\n    -n4 -p no:randomly\n    -p xdist\n"
        "strict_config = true\nasyncio_mode = auto\nxfail_strict = true\n"
    )
    files = {
        "pyproject.toml": PROJECT + 'test = ["pytest"]\ncov = ["pytest-cov"]\n',
        "pytest.ini": ini,
        "tests/test_a.py": "def test_a():\n    pass\n",
    }
    assert found(tmp_path, write_tree, files) == [
        ("pytest.ini", 3, "APT402"),
        ("pytest.ini", 4, "APT402"),
        ("pytest.ini", 5, "APT402"),
        ("pytest.ini", 7, "APT402"),
    ]


def test_no_test_dependencies_declared_anywhere_proves_nothing_missing(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """An sdist without its noxfile (respx): `--cov` in addopts, no test dependency declared
    anywhere. APT104 says that once; no plugin is "not declared" among nothing."""
    files = {
        "setup.cfg": "[tool:pytest]\naddopts =\n    --cov=demo\n",
        "setup.py": "from setuptools import setup\nsetup(install_requires=['httpx'])\n",
        "tests/test_a.py": "def test_a():\n    pass\n",
    }
    assert found(tmp_path, write_tree, files) == []
    write_tree(tmp_path, {"requirements-test.txt": "pytest\n"})
    assert found(tmp_path, write_tree, {}) == [("setup.cfg", 3, "APT402")]


@pytest.mark.slow
def test_deprecated_apis_follow_the_allowed_pytest(tmp_path: Path, write_tree: TreeWriter) -> None:
    conftest = "def pytest_configure(config):\n    assert config.inicfg is not None\n"
    test = (
        "import itertools, pytest\n\n@pytest.mark.parametrize('x', itertools.product([1], [2]))\n"
        "def test_a(x):\n    pass\n\n@pytest.mark.parametrize('y', range(3))\n"
        "def test_b(y):\n    pass\n"
    )
    erroring = (
        '\n[tool.pytest.ini_options]\nfilterwarnings = ["error::pytest.PytestRemovedIn10Warning"]\n'
    )
    files = {
        "pyproject.toml": PROJECT + 'test = ["pytest>=8"]\n' + erroring,
        "tests/conftest.py": conftest,
        "tests/test_a.py": test,
    }
    assert found(tmp_path, write_tree, files) == [
        ("tests/conftest.py", 2, "APT404"),
        ("tests/test_a.py", 3, "APT404"),
    ]
    files["pyproject.toml"] = PROJECT + 'test = ["pytest>=8,<9"]\n' + erroring
    assert found(tmp_path, write_tree, files) == []
