"""APT406: ``async def`` tests where the tests install no plugin that runs coroutines."""

from __future__ import annotations

import ast
from collections.abc import Iterator

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
from apytest.rules.support.startup import (
    TEST_PYPROJECT,
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

TESTS_DECLARE = TEST_PYPROJECT + 'test = ["pytest>=8.4"]\n'
"""The examples' project, whose tests declare pytest alone."""


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
        self.tests.append(NameUseFact(node.name, node.lineno, node.col_offset + 1))

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

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        if not any(facts.async_tests for _file, facts in ctx.files):
            return  # the usual case: the gate below reads every file's fixtures
        index = suite_in_sight(ctx)
        if (
            index is None
            or test_installed(index).intersection(ASYNC_PLUGINS)
            or any(facts.coroutine_hooks for _file, facts in ctx.files)
        ):
            return
        for file, facts in ctx.files:
            if not facts.async_tests:
                continue
            first, count = facts.async_tests[0], len(facts.async_tests)
            tests = "an `async def` test" if count == 1 else f"{count} `async def` tests"
            yield Finding(
                file.path,
                first.line,
                first.col,
                cls.code,
                f"{tests} here, and no plugin that runs coroutines (pytest-asyncio, anyio, "
                "pytest-trio, ...) is declared where the tests install from: pytest 8.4 and "
                'later fail each ("async def functions are not natively supported"), earlier '
                "versions skip them with a warning; declare one for the tests and mark the "
                "tests for it",
            )
