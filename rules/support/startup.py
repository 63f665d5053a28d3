"""What the startup rules (APT401-APT404) read of a suite's pytest configuration.

A suite's pytest configuration names plugins without saying so: ``--cov-config`` in ``addopts``
is pytest-cov's, ``timeout = 30`` is pytest-timeout's ini key, ``@pytest.mark.asyncio`` is
pytest-asyncio's marker. When the environment the tests run in lacks that plugin, because the
project declares it nowhere its tests install from, pytest stops: an unrecognised argument, an
unimportable ``-p`` plugin, and (when the configuration makes warnings errors) an unknown ini
key or an unregistered marker. Which plugin registers what comes from the plugins themselves
(:mod:`apytest.rules.support.plugins`); whether it is declared, from the project's declarations
(:class:`DependencyIndex`). When the declarations cannot be read statically, nothing is
reported.
"""

from __future__ import annotations

import itertools
import re
import shlex
from collections.abc import Iterator, Sequence
from typing import Any

from apytest.rules.api import (
    DependencyModel,
    Example,
    Finding,
    ProjectContext,
    PytestConfig,
    dedented,
)
from apytest.rules.support.dependency_index import DependencyIndex, suite_conftest
from apytest.rules.support.distributions import with_requirements
from apytest.rules.support.fixture_guards import fixture_guards
from apytest.rules.support.plugins import Kind, plugin_table

UNKNOWN_MARK_WARNING = ("PytestUnknownMarkWarning", "PytestWarning", "UserWarning", "Warning")
CONFIG_WARNING = ("PytestConfigWarning", "PytestWarning", "UserWarning", "Warning")
"""The classes a ``filterwarnings`` category can name to catch these warnings (their MROs)."""
ANY_MARKER = "*"
"""Recorded for ``addinivalue_line("markers", <not a literal>)``: it may register any marker."""
FIXTURE_LIBRARIES = frozenset(
    {"snapshottest", "pyfakefs", "requests-mock", "time-machine", "faker", "tpcp"}
)
"""Libraries whose pytest plugin (a ``pytest11`` entry point) registers fixtures although their
name does not say pytest, and that the table does not read (``snapshottest`` registers
``snapshot``, as syrupy does, and so does tpcp: ZB3, mobgap's runtime requirement)."""
WARNING_ACTIONS = ("default", "error", "ignore", "always", "all", "module", "once")

TEST_PYPROJECT = '[project]\nname = "example"\nversion = "0"\n\n[project.optional-dependencies]\n'
"""The examples' project: its optional dependencies follow, then the pytest configuration."""
PYTEST_ONLY = 'test = ["pytest>=8"]\n'
"""The examples' usual ``test`` extra: pytest alone."""
A_TEST = {"tests/test_it.py": "def test_it():\n    assert True\n"}
"""The examples' one passing test."""


def config_example(ini: str, extras: str = PYTEST_ONLY, line: int | None = None) -> Example:
    """An example whose file is ``pyproject.toml``: the project, its optional dependencies
    (``extras``, the ``test`` extra first), then ``ini`` as its pytest configuration, with one
    passing test."""
    toml = f"{TEST_PYPROJECT}{dedented(extras)}\n[tool.pytest.ini_options]\n{dedented(ini)}"
    return Example(toml, path="pyproject.toml", files=A_TEST, line=line)


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


def renames_tests(config: PytestConfig) -> bool:
    """Whether the configuration changes which functions and classes pytest collects as tests
    (``python_functions``, ``python_classes``): then no rule can tell them by their names."""
    return "python_functions" in config.ini or "python_classes" in config.ini


def linelist(config: PytestConfig, key: str) -> list[str]:
    """An ini ``linelist`` value: a TOML list, or one entry per non-empty line."""
    value = config.ini.get(key, ())
    lines = [str(v) for v in value] if isinstance(value, list) else str(value).splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def is_true(value: Any) -> bool:
    """An ini value as pytest reads a boolean: ``true``/``1``/``yes``/``on``, or TOML's true."""
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
        if is_true(config.ini.get(key, False)):
            return f"{key} = true"
    return None


def unknown_name_fails(
    config: PytestConfig,
    flag: str,
    ini_key: str,
    warning: Sequence[str],
    message: str | None = None,
) -> str | None:
    """Why an unknown marker or ini key stops pytest under this configuration, or None: the
    ``flag`` check made strict (``strictness``), else a filter that makes the ``warning`` pytest
    gives for it (saying ``message``, when known) an error (``warning_error``)."""
    why = strictness(config, flag, ini_key)
    if why is None:
        entry = warning_error(config, warning, message)
        why = None if entry is None else f"filterwarnings '{entry}'"
    return why


def warning_error(
    config: PytestConfig, classes: Sequence[str], message: str | None = None
) -> str | None:
    """The ``filterwarnings``/``-W`` entry that turns a warning of ``classes`` into an error, or
    None (also when a later entry may override it: the last matching entry wins). With the
    warning's ``message`` known, an entry whose message pattern cannot match it (matched as
    Python's warning filters do: a case-insensitive regex at the start) does not apply."""
    if "no:warnings" in _option_values(addopts(config), "-p", "--plugin"):
        return None
    state: str | None = None
    for entry in filter_entries(config):
        action, pattern, category, module, *_ = [*entry.split(":", 4), "", "", "", ""]
        action = next((a for a in WARNING_ACTIONS if action and a.startswith(action.strip())), "")
        name = category.strip().rpartition(".")[2] or "Warning"
        if name not in classes or _misses(pattern.strip(), message):
            continue
        if not pattern.strip() and not module.strip():
            state = entry if action == "error" else None
        elif action != "error":
            state = None  # may or may not override: not sure, so not an error
    return state


def errors(entry: str) -> bool:
    """Whether a warning filter's action is ``error`` (pytest accepts any prefix of it)."""
    action = entry.split(":", 1)[0].strip()
    return bool(action) and "error".startswith(action)


def _misses(pattern: str, message: str | None) -> bool:
    """Whether a filter's message ``pattern`` surely does not match ``message``."""
    if not pattern or message is None:
        return False
    try:
        return re.match(pattern, message, re.IGNORECASE) is None
    except re.error:
        return False


def unknown_mark_message(name: str) -> str:
    """What ``PytestUnknownMarkWarning`` says for marker ``name`` (pytest 7.4 to 9)."""
    return f"Unknown pytest.mark.{name} - is this a typo?"


def _installed(index: DependencyIndex) -> frozenset[str]:
    """What the tests install for certain: the distributions declared where they install from,
    and what those require for certain (pytest-coverage brings pytest-cov)."""
    return with_requirements(
        name
        for name, declarations in index.by_name.items()
        if any(d.section in index.required_sections for d in declarations)
    )


def _declares_pytest(index: DependencyIndex) -> bool:
    """Whether a section the tests install declares pytest itself: the surest sign that a file
    describes the tests' environment (a ``docs/requirements.txt`` read as one does not)."""
    return any(d.section in index.required_sections for d in index.by_name.get("pytest", ()))


def test_installed(index: DependencyIndex) -> frozenset[str]:
    """What the tests install for certain (``_installed``) or may install (``may_arrive``)."""
    return _installed(index) | index.may_arrive


def _fixtures_unaccounted(ctx: ProjectContext) -> bool:
    """Whether a test, or an autouse fixture (set up for tests without their asking), requests,
    directly or through fixtures, one that no file defines or imports, pytest does not provide
    and the table does not know (``FixtureGuards.unknown``): the suite then gets fixtures, and
    perhaps its plugins, from somewhere the lint does not see (a conftest or test environment
    file an sdist left out, a plugin the table does not know). An autouse fixture counts on its
    own: the tests that request the unknown name themselves may be decorated (ZA3: a
    ``responses.activate`` test's arguments are not read as requests)."""
    guards = fixture_guards(ctx)
    for file, facts in ctx.files:
        requests = [*facts.test_requests, *(f.name for f in facts.fixtures if f.autouse)]
        if requests and guards.unknown(file.path, requests):
            return True
    return False


def _imports_missing_conftest(ctx: ProjectContext) -> bool:
    """Whether a file of the suite imports a ``conftest`` module that no ``conftest.py`` of the
    tree provides (CC1: ``from conftest import ASGITestClient``, the sdist shipping none): the
    suite's conftest is missing, and whatever fixtures it defined (``client``) with it."""
    if "conftest" in ctx.model.dependencies.first_party:
        return False
    return any(suite_conftest(fact.module) for _file, facts in ctx.files for fact in facts.imports)


def _loads_plugins(ctx: ProjectContext, args: Sequence[str]) -> bool:
    """Whether ``pytest_plugins`` or a ``-p`` in ``args`` loads a plugin: it may register any
    fixture, or run tests its own way."""
    if any(not name.startswith("no:") for name in _option_values(args, "-p", "--plugin")):
        return True
    return any(facts.pytest_plugins for _file, facts in (*ctx.files, *ctx.package_inits))


def _plugins_unknown_to_table(index: DependencyIndex) -> tuple[str, ...]:
    """The pytest plugins the tests may install that the shipped table does not know (a name
    saying pytest, or a library of ``FIXTURE_LIBRARIES``): they may register any fixture,
    marker or option."""
    known = plugin_table().versions
    return tuple(
        sorted(
            name
            for name in test_installed(index)
            if name not in known
            and name != "pytest"
            and ("pytest" in name or name in FIXTURE_LIBRARIES)
        )
    )


def missing_plugins(
    kind: Kind, name: str, model: DependencyModel, index: DependencyIndex
) -> tuple[str, ...]:
    """The plugins that register ``name`` when none of them is declared where the tests install
    from, or may arrive with them (``test_installed``: DG1, rpaframework-pdf's dev group names
    only a folder's ``rpaframework-devutils``, which its ``uv.lock`` records as requiring
    pytest-cov); empty otherwise, or when the table does not know ``name``."""
    owners = plugin_table().plugins_owning(kind, name)
    if not owners or model.project_name in owners:
        return ()
    installed = test_installed(index)
    return () if any(owner in installed for owner in owners) else owners


def suite_in_sight(ctx: ProjectContext) -> DependencyIndex | None:
    """The declarations' index when the suite's whole test environment is in sight, else None:
    the declarations are static and say what the tests install (``startup_index``), a section
    the tests install declares pytest itself, no requirement comes from ``[tool.uv.sources]``
    outside an index (a workspace's root or sibling may bring more), the tests install no
    pytest plugin the table does not know, ``pytest_plugins``/``-p`` load none, pytest's own
    collection settings are left alone (``python_functions``, ``python_classes``), and every
    fixture the tests request is accounted for, and no test imports a ``conftest`` the tree
    lacks (CC1). What APT405 and APT406 judge (a plugin the tests lack) is sure only then.
    Worked out once per run: both rules ask."""
    if "suite_in_sight" not in ctx.memo:
        ctx.memo["suite_in_sight"] = _suite_in_sight(ctx)
    found: DependencyIndex | None = ctx.memo["suite_in_sight"]
    return found


def _suite_in_sight(ctx: ProjectContext) -> DependencyIndex | None:
    index = startup_index(ctx)
    config = ctx.model.pytest_config
    if (
        index is None
        or not _declares_pytest(index)
        or ctx.model.dependencies.sourced
        or _plugins_unknown_to_table(index)
        or _loads_plugins(ctx, addopts(config))
        or renames_tests(config)
        or _fixtures_unaccounted(ctx)
        or _imports_missing_conftest(ctx)
    ):
        return None
    return index


def startup_index(ctx: ProjectContext) -> DependencyIndex | None:
    """The declarations, when they can be read statically and say what the tests install
    (else a missing one proves nothing: respx's sdist configures `--cov` and declares no test
    dependency anywhere, its noxfile not being shipped)."""
    model = ctx.model.dependencies
    if not model.complete:
        return None
    index = DependencyIndex(model, ctx.options.get("test-extras", ()))
    return index if index.proves_undeclared else None


def filter_entries(config: PytestConfig) -> list[str]:
    """The warning filters in the order pytest applies them: ``filterwarnings``, then ``-W``."""
    args = addopts(config)
    return [*linelist(config, "filterwarnings"), *_option_values(args, "-W", "--pythonwarnings")]


def owners_label(owners: Sequence[str]) -> str:
    return " or ".join(owners)


def _position(config: PytestConfig, text: str, occurrence: int = 0) -> tuple[int, int]:
    """Where ``text`` (an ini key at the start of a line, or an option) is written: the key's
    line; else the ``occurrence``-th writing (from 0) of the option as a whole word, so that
    ``--cov`` is not found in ``--cov-report`` and a repeated option is pointed at where each is
    written (EO1); else the first line holding it at all."""
    if not occurrence:
        key = re.compile(rf"^\s*{re.escape(text)}\s*[=:]")
        for number, line in enumerate(config.lines, start=1):
            if key.match(line):
                return number, line.index(text) + 1
    whole = re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])")
    writings = (
        (number, match.start() + 1)
        for number, line in enumerate(config.lines, start=1)
        for match in whole.finditer(line)
    )
    found = list(itertools.islice(writings, occurrence + 1))
    if found:  # the first writing when the configuration has fewer
        return found[occurrence] if len(found) > occurrence else found[0]
    for number, line in enumerate(config.lines, start=1):
        if text in line:
            return number, line.index(text) + 1
    return 1, 1


def config_finding(
    code: str, config: PytestConfig, text: str, message: str, occurrence: int = 0
) -> Finding:
    """A finding at ``text`` in the configuration file (an option, or an ini key); at its
    ``occurrence``-th writing when the configuration repeats it."""
    line, col = _position(config, text, occurrence)
    return Finding(config.path, line, col, code, message)
