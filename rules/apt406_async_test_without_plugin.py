"""APT406: ``async def`` tests where the tests install no plugin that runs coroutines."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from apytest.rules.api import (
    Example,
    FileContext,
    FileRule,
    Finding,
    NameUseFact,
    ProjectContext,
    ProjectRule,
)
from apytest.rules.support.astutil import (
    SKIP_MARKERS,
    collected_test,
    marker_names,
    module_may_skip,
    pytestmark_values,
    requested_parameters,
)
from apytest.rules.support.dependency_index import DependencyIndex
from apytest.rules.support.startup import (
    TEST_PYPROJECT,
    addopts,
    suite_in_sight,
    test_installed,
)

ASYNC_PLUGINS = (
    "pytest-asyncio",
    "anyio",
    "pytest-trio",
    "pytest-aiohttp",
    "pytest-tornasync",
    "pytest-tornado",
    "pytest-twisted",
    "pytest-asyncio-cooperative",
    "pytest-curio",
    "pytest-aio",
)
"""Distributions whose pytest plugin runs ``async def`` tests (anyio's, those marked for it)."""

RUNNER_HOOKS = frozenset(
    {
        "pytest_pyfunc_call",
        "pytest_pycollect_makeitem",
        "pytest_collection_modifyitems",
        "pytest_itemcollected",
        "pytest_runtest_call",
    }
)
"""Hooks through which a conftest can run a coroutine itself (or wrap it in a function)."""

ASYNC_TEST = """
import asyncio

import pytest


@pytest.mark.asyncio
async def test_sleep():
    await asyncio.sleep(0)
"""
"""The examples' test module: one coroutine test, marked for pytest-asyncio."""

WITHOUT_PLUGIN = (
    ", and no plugin that runs coroutines (pytest-asyncio, anyio, pytest-trio, ...) is declared "
    'where the tests install from: pytest 8.4 and later fail each ("async def functions are not '
    'natively supported"), earlier versions skip them with a warning; declare one for the tests '
    "and mark the tests for it"
)
"""What the finding says where the tests install no plugin that runs coroutines."""

UNMARKED = (
    " with no `asyncio` mark, and pytest-asyncio, the only plugin the tests install that runs "
    'coroutines, runs in strict mode (no `asyncio_mode = "auto"`): it leaves them to pytest, '
    'which fails each from 8.4 on ("async def functions are not natively supported") and skips '
    "them before; mark them `@pytest.mark.asyncio` (or `pytestmark`), or set `asyncio_mode = "
    '"auto"`'
)
"""What the finding says where strict mode leaves unmarked tests to pytest (AJ3)."""

STRICT_COMPANIONS = frozenset({"pytest-asyncio", "anyio"})
"""The plugins beside which pytest-asyncio alone decides an unmarked coroutine test's fate
(anyio's runs only tests marked ``anyio``, which are never counted)."""

STRICT_RELEASES = ("0.17.0", "0.21.2", "0.23.8", "0.26.0", "1.0.0", "1.3.0")
"""pytest-asyncio releases whose default mode is strict (0.17 made it the default)."""


def _strict_mode(ctx: ProjectContext, index: DependencyIndex) -> bool:
    """Whether pytest-asyncio runs in strict mode wherever the suite runs: the configuration
    file sets no other mode (``asyncio_mode``, ``--asyncio-mode`` in ``addopts``), no command
    file, CI workflow or conftest names the mode at all (``asyncio_mode_named``), and every
    declaration of it allows a release whose default is strict (``pytest-asyncio<0.17`` ran
    unmarked coroutines in its legacy mode)."""
    config = ctx.model.pytest_config
    mode = config.ini.get("asyncio_mode", "strict")
    if mode != "strict" or any(a.startswith("--asyncio-mode") for a in addopts(config)):
        return False
    if ctx.model.asyncio_mode_named:
        return False
    for declared in index.by_name.get("pytest-asyncio", ()):
        try:
            allowed = SpecifierSet(declared.specifier, prereleases=True)
        except InvalidSpecifier:
            return False
        if not any(allowed.contains(release) for release in STRICT_RELEASES):
            return False
    return True


TESTS_DECLARE = TEST_PYPROJECT + 'test = ["pytest>=8.4"]\n'
"""The examples' project, whose tests declare pytest alone."""

UNMARKED_TEST = """
import asyncio


async def test_sleep():
    await asyncio.sleep(0)
"""
"""AJ3's examples' test module: a coroutine test with no mark."""

STRICT_DECLARE = TEST_PYPROJECT + 'test = ["pytest>=8.4", "pytest-asyncio{spec}"]\n'
"""AJ3's examples' project: pytest-asyncio declared with the tests, in its default mode."""


class AsyncTestWithoutPlugin(FileRule, ProjectRule):
    """``async def`` tests in a suite whose tests install no plugin that runs coroutines
    (pytest-asyncio, anyio, pytest-trio, pytest-aiohttp, pytest-twisted, ...).

    Reported once per module, at its first such test, and judged only where the suite's test
    environment is in sight, as APT405 is (``suite_in_sight``: static declarations, pytest
    declared by a section the tests install, every requested fixture accounted for, no unknown
    pytest plugin, no ``pytest_plugins``/``-p``, no ``[tool.uv.sources]`` outside an index).
    Silent also:

    - when a conftest or plugin module defines a hook that may run coroutines itself
      (``pytest_pyfunc_call``, ``pytest_collection_modifyitems``, ...);
    - for tests marked ``anyio`` or requesting ``anyio_backend`` (anyio may arrive with any
      dependency), and tests a skip or xfail marker may keep from running;
    - for functions with other decorators (which may run the coroutine), and methods of
      classes with bases (``IsolatedAsyncioTestCase`` runs its own).

    Where pytest-asyncio is the tests' only such plugin (anyio aside) and runs in strict mode,
    its default since 0.17 (no ``asyncio_mode`` or ``--asyncio-mode`` in the configuration
    file, none named in a command file, CI workflow or conftest, no declaration pinning a
    release before 0.17), the ``async def`` tests with no ``asyncio`` mark on them, their class
    or the module are reported the same way: strict mode leaves them to pytest.

    ## Why is this bad?
    pytest calls a test and does not await what it returns. Since pytest 8.4 an ``async def``
    test without a plugin to run it fails: "async def functions are not natively supported";
    earlier versions skip it with a warning, and its body never runs. It works on the machine
    where pytest-asyncio was installed by hand.

    ## Use instead
    Declare the plugin with the test dependencies, and mark the tests for it
    (``@pytest.mark.asyncio``, or ``asyncio_mode = "auto"``).
    """

    code = "APT406"
    name = "async-test-without-plugin"
    lesson = "startup-plugins"
    summary = "async def tests where the tests install no plugin that runs coroutines"
    triggers = frozenset({"async", *RUNNER_HOOKS})
    VALID = (
        Example(  # AJ3: auto mode runs unmarked coroutine tests
            UNMARKED_TEST,
            files={
                "pyproject.toml": STRICT_DECLARE.format(spec="")
                + '\n[tool.pytest.ini_options]\nasyncio_mode = "auto"\n'
            },
        ),
        Example(  # AJ3: a command of the project may pass the mode
            UNMARKED_TEST,
            files={
                "pyproject.toml": STRICT_DECLARE.format(spec=""),
                "tox.ini": "[testenv]\nextras = test\ncommands = pytest --asyncio-mode=auto\n",
            },
        ),
        Example(  # AJ3: a conftest may set the mode
            UNMARKED_TEST,
            files={
                "pyproject.toml": STRICT_DECLARE.format(spec=""),
                "tests/conftest.py": """
                    def pytest_configure(config):
                        config.option.asyncio_mode = "auto"
                    """,
            },
        ),
        Example(  # AJ3: pytest-asyncio before 0.17 ran unmarked coroutine tests (legacy mode)
            UNMARKED_TEST,
            files={"pyproject.toml": STRICT_DECLARE.format(spec="<0.17")},
        ),
        Example(  # AJ3: the module's pytestmark marks every test
            "import pytest\n\npytestmark = pytest.mark.asyncio\n" + UNMARKED_TEST,
            files={"pyproject.toml": STRICT_DECLARE.format(spec="")},
        ),
        Example(  # declared with the tests
            ASYNC_TEST,
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest", "pytest-asyncio"]\n'},
        ),
        Example(  # the conftest runs coroutines itself
            ASYNC_TEST,
            files={
                "pyproject.toml": TESTS_DECLARE,
                "tests/conftest.py": """
                    import asyncio
                    import inspect

                    def pytest_pyfunc_call(pyfuncitem):
                        if inspect.iscoroutinefunction(pyfuncitem.obj):
                            names = pyfuncitem._fixtureinfo.argnames
                            args = {n: pyfuncitem.funcargs[n] for n in names}
                            asyncio.run(pyfuncitem.obj(**args))
                            return True
                    """,
            },
        ),
        Example(  # unittest runs the coroutines of an IsolatedAsyncioTestCase
            """
            import unittest

            class TestClient(unittest.IsolatedAsyncioTestCase):
                async def test_get(self):
                    self.assertTrue(True)
            """,
            files={"pyproject.toml": TESTS_DECLARE},
        ),
        Example(  # a decorator makes it a plain function
            """
            import asyncio

            from helpers import run_sync

            @run_sync
            async def test_sleep():
                await asyncio.sleep(0)
            """,
            files={"pyproject.toml": TESTS_DECLARE},
        ),
        Example(  # anyio, which may come with another dependency, runs what is marked for it
            ASYNC_TEST.replace("asyncio\nasync", "anyio\nasync"),
            files={"pyproject.toml": TESTS_DECLARE},
        ),
    )
    INVALID = (
        Example(ASYNC_TEST, files={"pyproject.toml": TESTS_DECLARE}, line=7),
        Example(  # AJ3: strict mode leaves an unmarked coroutine test to pytest
            UNMARKED_TEST,
            files={"pyproject.toml": STRICT_DECLARE.format(spec=">=0.23")},
            line=4,
        ),
        Example(  # AJ3: a mark on another test of the module covers only that one
            "import pytest\n"
            + UNMARKED_TEST
            + "\n\n@pytest.mark.asyncio\nasync def test_marked():\n    pass\n",
            files={"pyproject.toml": STRICT_DECLARE.format(spec="")},
            line=6,
        ),
        Example(  # declared only in an extra the tests do not install
            ASYNC_TEST,
            files={"pyproject.toml": TESTS_DECLARE + 'aio = ["pytest-asyncio"]\n'},
            line=7,
        ),
        Example(
            """
            class TestApi:
                async def test_get(self):
                    assert True
            """,
            files={"pyproject.toml": TESTS_DECLARE},
            line=2,
        ),
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.tests: list[NameUseFact] = []
        self.unmarked: list[NameUseFact] = []

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        parent = self.ctx.ancestors[-1] if self.ctx.ancestors else None
        if not collected_test(node, parent):
            return
        requested = requested_parameters(node, parent)
        marks = set(marker_names(node.decorator_list))
        if isinstance(parent, ast.ClassDef):
            marks.update(marker_names(parent.decorator_list))
            marks.update(marker_names(pytestmark_values(parent.body)))
        if requested is None or "anyio_backend" in requested or marks & {"anyio", *SKIP_MARKERS}:
            return
        test = NameUseFact(node.name, node.lineno, node.col_offset + 1)
        self.tests.append(test)
        if "asyncio" not in marks:
            self.unmarked.append(test)

    def leave_Module(self, node: ast.Module) -> None:
        facts = self.ctx.facts
        if self.ctx.file.kind in ("conftest", "plugin"):
            facts.coroutine_hooks.extend(
                stmt.name
                for stmt in node.body
                if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
                and stmt.name in RUNNER_HOOKS
            )
        module_marks = marker_names(pytestmark_values(node.body))
        if self.tests and not module_may_skip(node) and "anyio" not in module_marks:
            facts.async_tests.extend(self.tests)
            if "asyncio" not in module_marks:
                facts.unmarked_async_tests.extend(self.unmarked)

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        if not any(facts.async_tests for _file, facts in ctx.files):
            return  # the usual case: the gate below reads every file's fixtures
        index = suite_in_sight(ctx)
        if index is None or any(facts.coroutine_hooks for _file, facts in ctx.files):
            return
        plugins = test_installed(index).intersection(ASYNC_PLUGINS)
        if not plugins:
            yield from cls._per_module(ctx, "async_tests", WITHOUT_PLUGIN)
        elif (
            "pytest-asyncio" in plugins
            and plugins <= STRICT_COMPANIONS
            and _strict_mode(ctx, index)
        ):
            yield from cls._per_module(ctx, "unmarked_async_tests", UNMARKED)

    @classmethod
    def _per_module(cls, ctx: ProjectContext, kind: str, why: str) -> Iterator[Finding]:
        """One finding per module, at the first of its tests of ``kind`` (a list of
        ``FileFacts``: every coroutine test, or those with no ``asyncio`` mark)."""
        for file, facts in ctx.files:
            tests: list[NameUseFact] = getattr(facts, kind)
            if not tests:
                continue
            count = "an `async def` test" if len(tests) == 1 else f"{len(tests)} `async def` tests"
            yield Finding(file.path, tests[0].line, tests[0].col, cls.code, f"{count} here{why}")
