"""APT401 and APT402: suites that break before a test runs because a plugin is missing.

A suite's pytest configuration names plugins without saying so: ``--cov-config`` in ``addopts``
is pytest-cov's, ``timeout = 30`` is pytest-timeout's ini key, ``@pytest.mark.asyncio`` is
pytest-asyncio's marker. When the environment the tests run in lacks that plugin, because the
project declares it nowhere its tests install from, pytest stops: an unrecognised argument, an
unimportable ``-p`` plugin, and (when the configuration makes warnings errors) an unknown ini
key or an unregistered marker. Which plugin registers what comes from the plugins themselves
(:mod:`apytest.rules.plugins`); whether it is declared, from the project's declarations
(:class:`DependencyIndex`). When the declarations cannot be read statically, nothing is
reported.
"""

from __future__ import annotations

import ast
import re
import shlex
from collections.abc import Iterator, Sequence
from typing import Any

from packaging.specifiers import SpecifierSet

from apytest.rules.api import (
    DependencyModel,
    Example,
    FileContext,
    FileRule,
    Finding,
    NameUseFact,
    ProjectContext,
    ProjectRule,
    PytestConfig,
)
from apytest.rules.astutil import dotted_name, is_pytest_attr, keyword_value, string_value
from apytest.rules.dependencies import DependencyIndex
from apytest.rules.plugins import Kind, plugin_table

UNKNOWN_MARK_WARNING = ("PytestUnknownMarkWarning", "PytestWarning", "UserWarning", "Warning")
CONFIG_WARNING = ("PytestConfigWarning", "PytestWarning", "UserWarning", "Warning")
"""The classes a ``filterwarnings`` category can name to catch these warnings (their MROs)."""
ANY_MARKER = "*"
"""Recorded for ``addinivalue_line("markers", <not a literal>)``: it may register any marker."""
WARNING_ACTIONS = ("default", "error", "ignore", "always", "all", "module", "once")

TEST_PYPROJECT = '[project]\nname = "example"\nversion = "0"\n\n[project.optional-dependencies]\n'
A_TEST = {"tests/test_it.py": "def test_it():\n    assert True\n"}
"""The examples' project: a ``test`` extra follows, then the pytest configuration."""


def config_example(body: str, line: int | None = None) -> Example:
    """An example whose file is ``pyproject.toml``: the project, then ``body`` (the ``test``
    extra and the pytest configuration), with one passing test."""
    return Example(TEST_PYPROJECT + body, path="pyproject.toml", files=A_TEST, line=line)


def addopts(config: PytestConfig) -> list[str]:
    """The ``addopts`` of the configuration file as pytest splits them (``PYTEST_ADDOPTS`` is
    left out: it belongs to an environment, not to the project)."""
    value = config.ini.get("addopts", "")
    if isinstance(value, list):
        return [str(item) for item in value]
    try:
        return shlex.split(str(value))
    except ValueError:
        return []


def linelist(config: PytestConfig, key: str) -> list[str]:
    """An ini ``linelist`` value: a TOML list, or one entry per non-empty line."""
    value = config.ini.get(key, ())
    lines = [str(v) for v in value] if isinstance(value, list) else str(value).splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def _is_true(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("true", "1", "yes", "on")


def _option_values(args: Sequence[str], short: str, long: str) -> Iterator[str]:
    """The values given to an option (``-W x``, ``-Wx``, ``--pythonwarnings=x``)."""
    for index, arg in enumerate(args):
        if arg in (short, long) and index + 1 < len(args):
            yield args[index + 1]
        elif arg.startswith(long + "="):
            yield arg.partition("=")[2]
        elif arg.startswith(short) and len(arg) > len(short) and not arg.startswith("--"):
            yield arg[len(short) :]


def strictness(config: PytestConfig, flag: str, ini_key: str) -> str | None:
    """Why the configuration makes the ``flag`` check strict, or None."""
    args = addopts(config)
    if flag in args or (flag == "--strict-markers" and "--strict" in args):
        return f"{flag} in addopts"
    for key in (ini_key, "strict"):
        if _is_true(config.ini.get(key, False)):
            return f"{key} = true"
    return None


def warning_error(config: PytestConfig, classes: Sequence[str]) -> str | None:
    """The ``filterwarnings``/``-W`` entry that turns a warning of ``classes`` into an error, or
    None (also when a later entry may override it: the last matching entry wins)."""
    if "no:warnings" in _option_values(addopts(config), "-p", "--plugin"):
        return None
    state: str | None = None
    for entry in filter_entries(config):
        action, message, category, module, *_ = [*entry.split(":", 4), "", "", "", ""]
        action = next((a for a in WARNING_ACTIONS if action and a.startswith(action.strip())), "")
        name = category.strip().rpartition(".")[2] or "Warning"
        if name not in classes:
            continue
        if not message.strip() and not module.strip():
            state = entry if action == "error" else None
        elif action != "error":
            state = None  # may or may not override: not sure, so not an error
    return state


def _declared(owner: str, index: DependencyIndex) -> bool:
    return any(d.section in index.required_sections for d in index.by_name.get(owner, ()))


def missing_plugins(
    kind: Kind, name: str, model: DependencyModel, index: DependencyIndex
) -> tuple[str, ...]:
    """The plugins that register ``name`` when none of them is declared where the tests install
    from (empty otherwise, or when the table does not know ``name``)."""
    owners = plugin_table().plugins_owning(kind, name)
    if not owners or model.project_name in owners:
        return ()
    return () if any(_declared(owner, index) for owner in owners) else owners


def _index(ctx: ProjectContext) -> DependencyIndex | None:
    """The declarations, when they can be read statically (else a missing one proves nothing)."""
    model = ctx.model.dependencies
    if not model.complete:
        return None
    return DependencyIndex(model, ctx.options.get("test-extras", ()))


class ConfigRule(ProjectRule):
    """A startup rule that judges the configuration file against the declarations."""

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        config, index = ctx.model.pytest_config, _index(ctx)
        if config.path and index is not None:
            yield from cls.judge(config, index, ctx.model.dependencies)

    @classmethod
    def judge(
        cls, config: PytestConfig, index: DependencyIndex, model: DependencyModel
    ) -> Iterator[Finding]:
        raise NotImplementedError


def filter_entries(config: PytestConfig) -> list[str]:
    """The warning filters in the order pytest applies them: ``filterwarnings``, then ``-W``."""
    args = addopts(config)
    return [*linelist(config, "filterwarnings"), *_option_values(args, "-W", "--pythonwarnings")]


def _owners_label(owners: Sequence[str]) -> str:
    return " or ".join(owners)


class UnregisteredPluginMarker(FileRule, ProjectRule):
    """A marker of a plugin the project does not declare, under a configuration that makes an
    unregistered marker an error.

    ``@pytest.mark.timeout`` is registered by pytest-timeout, ``asyncio`` by pytest-asyncio,
    ``xdist_group`` by pytest-xdist. Where the plugin is not installed, nothing registers the
    marker, and under ``--strict-markers`` (or ``strict_markers``/``strict`` in the ini) pytest
    fails the module ("'timeout' not found in `markers` configuration option"); under a
    ``filterwarnings`` that makes ``PytestUnknownMarkWarning`` an error (``error``) it fails with
    that warning. The module then never collects. Declare the plugin with the test dependencies,
    or register the marker under ``markers`` (``pytest_configure``'s ``addinivalue_line`` counts
    too). Reported once per module and marker; silent without such a configuration, for markers
    no plugin in the shipped table registers, and when the declarations are not static.
    """

    code = "APT401"
    name = "unregistered-plugin-marker"
    lesson = "startup-plugins"
    summary = "a plugin's marker, unregistered, where the plugin is not declared and strict"
    triggers = frozenset({"mark"})
    VALID = (
        Example(
            "import pytest\n\n@pytest.mark.timeout(5)\ndef test_fast():\n    assert True\n",
            files={
                "pyproject.toml": TEST_PYPROJECT
                + 'test = ["pytest>=8"]\n\n[tool.pytest.ini_options]\n'
                'addopts = ["--strict-markers"]\nmarkers = ["timeout: a time limit"]\n'
            },
        ),
        Example(
            "import pytest\n\n@pytest.mark.timeout(5)\ndef test_fast():\n    assert True\n",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n'},
        ),
        Example(
            "import pytest\n\n@pytest.mark.xdist_group('db')\ndef test_db():\n    assert True\n",
            files={
                "pyproject.toml": TEST_PYPROJECT
                + 'test = ["pytest>=8", "pytest-xdist>=3"]\n\n[tool.pytest.ini_options]\n'
                'addopts = ["--strict-markers"]\n'
            },
        ),
        Example(
            "import pytest\n\npytestmark = pytest.mark.flaky\n\ndef test_it():\n    assert True\n",
            files={
                "pyproject.toml": TEST_PYPROJECT
                + 'test = ["pytest>=8"]\n\n[tool.pytest.ini_options]\n'
                'filterwarnings = ["error"]\n',
                "tests/conftest.py": "def pytest_configure(config):\n"
                "    config.addinivalue_line('markers', 'flaky: retried')\n",
            },
        ),
    )
    INVALID = (
        Example(
            "import pytest\n\n@pytest.mark.timeout(5)\ndef test_fast():\n    assert True\n",
            files={
                "pyproject.toml": TEST_PYPROJECT
                + 'test = ["pytest>=8"]\n\n[tool.pytest.ini_options]\n'
                'addopts = ["--strict-markers"]\n'
            },
            line=3,
        ),
        Example(
            "import pytest\n\npytestmark = pytest.mark.flaky(reruns=2)\n\n"
            "def test_it():\n    assert True\n",
            files={
                "pyproject.toml": TEST_PYPROJECT
                + 'test = ["pytest>=8"]\nretry = ["pytest-rerunfailures"]\n\n'
                '[tool.pytest.ini_options]\nfilterwarnings = ["error", '
                '"ignore::DeprecationWarning"]\n'
            },
            line=3,
        ),
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.marks = {"pytest.mark"}
        """How the file names ``pytest.mark`` (``import pytest as pt``, ``from pytest import
        mark``)."""
        self.seen: set[str] = set()

    def visit_Import(self, node: ast.Import) -> None:
        self.marks.update(f"{a.asname}.mark" for a in node.names if a.name == "pytest" and a.asname)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module == "pytest" and not node.level:
            self.marks.update(a.asname or a.name for a in node.names if a.name == "mark")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        value = node.value  # cheap tests first: most attributes of a file are not markers
        if isinstance(value, ast.Attribute) and value.attr != "mark":
            return
        if node.attr.startswith("_") or node.attr in self.seen:
            return
        if dotted_name(value) in self.marks:
            self.seen.add(node.attr)
            self.ctx.facts.markers.append(NameUseFact(node.attr, node.lineno, node.col_offset + 1))

    def visit_Call(self, node: ast.Call) -> None:
        """``config.addinivalue_line("markers", "name(args): help")`` registers ``name``."""
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr != "addinivalue_line":
            return
        if len(node.args) == 2 and string_value(node.args[0]) == "markers":
            line = string_value(node.args[1])
            registered = ANY_MARKER if line is None else _marker_name(line)
            self.ctx.facts.registered_markers.append(registered)

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        config = ctx.model.pytest_config
        why = strictness(config, "--strict-markers", "strict_markers")
        if why is None:
            entry = warning_error(config, UNKNOWN_MARK_WARNING)
            why = None if entry is None else f"filterwarnings '{entry}'"
        index = _index(ctx)
        if why is None or index is None:
            return
        registered = {_marker_name(line) for line in linelist(config, "markers")}
        registered.update(name for _f, facts in ctx.files for name in facts.registered_markers)
        if ANY_MARKER in registered:
            return  # a marker registered from a computed string may be any of them
        for file, facts in ctx.files:
            for marker in facts.markers:
                if marker.name in registered:
                    continue
                owners = missing_plugins("marker", marker.name, ctx.model.dependencies, index)
                if owners:
                    yield Finding(
                        file.path,
                        marker.line,
                        marker.col,
                        cls.code,
                        f"marker '{marker.name}' is registered only by {_owners_label(owners)}, "
                        "which the tests' dependencies do not declare: where it is missing, "
                        f"this module fails to collect ({why}); declare the plugin for the "
                        "tests, or register the marker under `markers`",
                    )


def _marker_name(line: str) -> str:
    return line.split(":", 1)[0].split("(", 1)[0].strip()


class UndeclaredPluginOption(ConfigRule):
    """``addopts`` options, ``-p`` plugins and ini keys of a plugin the project does not declare.

    ``addopts = "--cov=pkg --cov-config=.coveragerc"`` works where pytest-cov is installed; where
    it is not, pytest stops before collecting anything: "unrecognized arguments: --cov=pkg". A
    ``-p xdist`` fails with "Error importing plugin", and a plugin's ini key (``timeout = 30``)
    is an unknown config option that ``--strict-config`` (or ``strict_config``/``strict``) or a
    ``filterwarnings`` making ``PytestConfigWarning`` an error turns into a failed start. The
    plugin is missing because nothing the tests install from declares it. Declare it with the
    test dependencies (or move the option to the command line of the job that has it).
    Reported at the configuration line; silent for names no plugin in the shipped table
    registers, for ``-p no:...``, and when the declarations are not static.
    """

    code = "APT402"
    name = "undeclared-plugin-option"
    lesson = "startup-plugins"
    summary = "addopts option, -p plugin or ini key of a plugin the tests do not declare"
    VALID = (
        config_example(
            'test = ["pytest>=8", "pytest-xdist>=3"]\n\n'
            '[tool.pytest.ini_options]\naddopts = ["-n", "2", "-p", "xdist", "-p", "no:timeout"]\n',
        ),
        config_example(
            'test = ["pytest>=8"]\n\n[tool.pytest.ini_options]\ntimeout = 30\n',
        ),
    )
    INVALID = (
        config_example(
            'test = ["pytest>=8"]\n\n[tool.pytest.ini_options]\naddopts = "-ra --timeout=30"\n',
            line=9,
        ),
        config_example(
            'test = ["pytest>=8"]\n\n[tool.pytest.ini_options]\naddopts = ["-p", "timeout"]\n',
            line=9,
        ),
        config_example(
            'test = ["pytest>=8"]\n\n[tool.pytest.ini_options]\n'
            'filterwarnings = ["error"]\ntimeout = 30\n',
            line=10,
        ),
    )

    @classmethod
    def judge(
        cls, config: PytestConfig, index: DependencyIndex, model: DependencyModel
    ) -> Iterator[Finding]:
        for kind, name, text, failure in _startup_names(config):
            if kind == "plugin" and name.partition(".")[0] in model.first_party:
                continue  # the project's own plugin module of that name
            owners = missing_plugins(kind, name, model, index)
            if owners:
                line, col = _position(config, text)
                yield Finding(
                    config.path,
                    line,
                    col,
                    cls.code,
                    f"{text!r} needs {_owners_label(owners)}, which the tests' dependencies do "
                    f"not declare: where it is missing, pytest does not start ({failure}); "
                    "declare the plugin for the tests",
                )


def _plugin_argument(args: Sequence[str], index: int) -> str | None:
    """The plugin a ``-p NAME``, ``-pNAME`` or ``--plugin=NAME`` at ``index`` names."""
    arg = args[index]
    if arg in ("-p", "--plugin"):
        return args[index + 1] if index + 1 < len(args) else None
    if arg.startswith("--plugin="):
        return arg.partition("=")[2]
    return arg[2:] if arg.startswith("-p") and len(arg) > 2 else None


def _startup_names(config: PytestConfig) -> Iterator[tuple[Kind, str, str, str]]:
    """``(kind, name, text to point at, how pytest fails)`` for each plugin name in the
    configuration that stops pytest when its plugin is missing."""
    args = addopts(config)
    for index, arg in enumerate(args):
        plugin = _plugin_argument(args, index)
        if plugin is not None:
            if not plugin.startswith("no:"):
                yield "plugin", plugin, plugin, f'Error importing plugin "{plugin}"'
            continue
        if arg.startswith("--"):
            option = arg.partition("=")[0]
        elif arg.startswith("-") and len(arg) >= 2:
            option = arg[:2]  # a short option and its attached value: -n4
        else:
            continue
        yield "option", option, arg, f"unrecognized arguments: {arg}"
    why = strictness(config, "--strict-config", "strict_config")
    if why is None:
        entry = warning_error(config, CONFIG_WARNING)
        why = None if entry is None else f"filterwarnings '{entry}'"
    if why is not None:
        for key in config.ini:
            yield "ini", key, key, f"Unknown config option: {key}, under {why}"


def _position(config: PytestConfig, text: str) -> tuple[int, int]:
    """Where ``text`` (an option, or an ini key at the start of a line) is written."""
    key = re.compile(rf"^\s*{re.escape(text)}\s*[=:]")
    for number, line in enumerate(config.lines, start=1):
        if key.match(line):
            return number, line.index(text) + 1
    for number, line in enumerate(config.lines, start=1):
        if text in line:
            return number, line.index(text) + 1
    return 1, 1


class UnimportableWarningCategory(ConfigRule):
    """A ``filterwarnings`` entry whose warning category lives in a package the tests lack.

    pytest imports the category of every ``filterwarnings`` (and ``-W``) entry to apply it:
    ``ignore::trio.TrioDeprecationWarning`` needs trio. Where the package is not installed,
    pytest warns "Failed to import filter module 'trio'" (older releases stopped with "while
    parsing the following warning configuration"), and where ``filterwarnings`` makes warnings
    errors (``error``) that warning stops the run before a test. Reported then, when the
    category's package is declared only in an extra or group the tests do not install.
    Categories of the standard library, pytest, the project itself or a test dependency are
    fine; a package declared nowhere may arrive with another dependency, so (precision first)
    it is not reported either.
    """

    code = "APT403"
    name = "unimportable-warning-category"
    lesson = "startup-plugins"
    summary = "a filterwarnings category from a package only a non-test extra declares"
    VALID = (
        config_example(
            'test = ["pytest>=8", "hypothesis>=6"]\n\n'
            "[tool.pytest.ini_options]\nfilterwarnings = [\n    'error',\n"
            "    'ignore::DeprecationWarning',\n"
            "    'ignore::pytest.PytestUnraisableExceptionWarning',\n"
            "    'ignore::hypothesis.errors.NonInteractiveExampleWarning',\n]\n",
        ),
        config_example(
            'test = ["pytest>=8"]\nasync = ["fancywarnings>=1"]\n\n'
            "[tool.pytest.ini_options]\n"
            "filterwarnings = ['ignore::fancywarnings.FancyDeprecationWarning']\n",
        ),
    )
    INVALID = (
        config_example(
            'test = ["pytest>=8"]\nasync = ["fancywarnings>=1"]\n\n'
            "[tool.pytest.ini_options]\nfilterwarnings = [\n    'error',\n"
            "    'ignore::fancywarnings.FancyDeprecationWarning',\n]\n",
            line=12,
        ),
    )

    @classmethod
    def judge(
        cls, config: PytestConfig, index: DependencyIndex, model: DependencyModel
    ) -> Iterator[Finding]:
        error = warning_error(config, CONFIG_WARNING)
        if error is None:
            return  # pytest only warns "Failed to import filter module"
        for entry in filter_entries(config):
            fields = entry.split(":")
            category = fields[2].strip() if len(fields) > 2 else ""
            module = category.rpartition(".")[0]
            if not module or module.partition(".")[0] in ("pytest", "_pytest", "builtins"):
                continue
            resolution = index.resolve(module)
            if resolution.origin != "optional":
                continue
            sections = sorted({d.section for d in resolution.declarations})
            line, col = _position(config, entry)
            yield Finding(
                config.path,
                line,
                col,
                cls.code,
                f"filterwarnings entry {entry!r} imports {module}, from "
                f"{resolution.distribution}, which only {', '.join(sections)} declares: where "
                f"the tests run without it, pytest does not start (filterwarnings '{error}' "
                "makes its 'Failed to import filter module' an error); declare it for the "
                "tests, or drop the entry",
            )


DEPRECATION_WARNING = (
    "PytestRemovedIn10Warning",
    "PytestDeprecationWarning",
    "DeprecationWarning",
    "PytestWarning",
    "UserWarning",
    "Warning",
)
VERIFIED_PYTEST = "9.2.0"
"""The pytest release whose ``_pytest/deprecated.py`` the deprecations below were read from."""
DEPRECATED_APIS = {
    "yield_fixture": "@pytest.yield_fixture (use @pytest.fixture)",
    "inicfg": "config.inicfg (use config.getini())",
    "parametrize-iterator": "a non-Collection iterable as parametrize's argvalues (use a list)",
}
ITERATOR_CALLS = frozenset({"iter", "map", "filter", "zip", "reversed", "enumerate"})


def _iterator(node: ast.expr | None) -> bool:
    """An expression that evaluates to an iterator, not a collection: a generator expression,
    ``iter()``/``map()``/``zip()``..., or anything from ``itertools``."""
    if isinstance(node, ast.GeneratorExp):
        return True
    if not isinstance(node, ast.Call):
        return False
    name = dotted_name(node.func) or ""
    return name in ITERATOR_CALLS or name.startswith("itertools.")


class DeprecatedPytestApi(FileRule, ProjectRule):
    """A pytest API that the pytest versions the project allows deprecate, where the
    configuration turns that deprecation into an error.

    pytest 9.2 warns ``PytestRemovedIn10Warning`` for ``@pytest.yield_fixture``,
    ``config.inicfg`` and parametrizing over an iterator (a generator expression, ``map()``,
    ``itertools.product()``: a non-Collection iterable). Harmless until a ``filterwarnings``
    entry makes deprecations errors (``error``, ``error::DeprecationWarning``): then the module,
    or the whole run, fails on the day the new pytest arrives. Reported when the project's
    pytest requirement allows the release these deprecations were read from (9.2) and such a
    filter is configured; the message says which.
    """

    code = "APT404"
    name = "deprecated-pytest-api"
    lesson = "startup-plugins"
    summary = "a pytest API deprecated in the allowed pytest, with deprecations made errors"
    triggers = frozenset({"yield_fixture", "inicfg", "parametrize"})
    VALID = (
        Example(
            "import pytest\n\n@pytest.mark.parametrize('x', [n * 2 for n in range(3)])\n"
            "def test_even(x):\n    assert x % 2 == 0\n",
            files={
                "pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n\n'
                '[tool.pytest.ini_options]\nfilterwarnings = ["error"]\n'
            },
        ),
        Example(
            "import pytest\n\n@pytest.mark.parametrize('x', (n * 2 for n in range(3)))\n"
            "def test_even(x):\n    assert x % 2 == 0\n",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n'},
        ),
    )
    INVALID = (
        Example(
            "import pytest\n\n@pytest.mark.parametrize('x', (n * 2 for n in range(3)))\n"
            "def test_even(x):\n    assert x % 2 == 0\n",
            files={
                "pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n\n'
                '[tool.pytest.ini_options]\nfilterwarnings = ["error"]\n'
            },
            line=3,
        ),
        Example(
            "import pytest\n\n@pytest.yield_fixture\ndef resource():\n    yield 1\n\n"
            "def test_it(resource):\n    assert resource == 1\n",
            files={
                "pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n\n'
                '[tool.pytest.ini_options]\nfilterwarnings = ["error::DeprecationWarning"]\n'
            },
            line=3,
        ),
    )

    def _use(self, api: str, node: ast.expr) -> None:
        self.ctx.facts.deprecated_apis.append(NameUseFact(api, node.lineno, node.col_offset + 1))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "inicfg" or (
            node.attr == "yield_fixture" and is_pytest_attr(node, node.attr)
        ):
            self._use(node.attr, node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr == "parametrize"):
            return
        argvalues = node.args[1] if len(node.args) > 1 else keyword_value(node, "argvalues")
        if _iterator(argvalues):
            assert argvalues is not None
            self._use("parametrize-iterator", argvalues)

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        config = ctx.model.pytest_config
        entry = warning_error(config, DEPRECATION_WARNING)
        index = _index(ctx)
        if entry is None or index is None or not _allows(index, VERIFIED_PYTEST):
            return
        for file, facts in ctx.files:
            for use in facts.deprecated_apis:
                yield Finding(
                    file.path,
                    use.line,
                    use.col,
                    cls.code,
                    f"pytest {VERIFIED_PYTEST}, which the project's pytest requirement allows, "
                    f"deprecates {DEPRECATED_APIS[use.name]}; filterwarnings '{entry}' makes "
                    "that warning an error, so this fails before the test runs",
                )


def _allows(index: DependencyIndex, version: str) -> bool:
    """Whether every test-installed pytest requirement allows ``version`` (none: any)."""
    return all(
        SpecifierSet(d.specifier).contains(version, prereleases=True)
        for d in index.by_name.get("pytest", ())
        if d.section in index.required_sections and not d.url
    )
