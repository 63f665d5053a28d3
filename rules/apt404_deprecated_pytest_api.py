"""APT404: a pytest API the allowed pytest deprecates, with deprecations made errors."""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator

from packaging.specifiers import SpecifierSet

from apytest.rules.api import (
    Example,
    FileContext,
    FileRule,
    Finding,
    NameUseFact,
    ProjectContext,
    ProjectRule,
)
from apytest.rules.support.astutil import dotted_name, is_pytest_attr, keyword_value
from apytest.rules.support.dependency_index import DependencyIndex
from apytest.rules.support.startup import (
    TEST_PYPROJECT,
    startup_index,
    warning_error,
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


def _iterator(node: ast.expr | None, from_itertools: Collection[str]) -> bool:
    """An expression that evaluates to an iterator, not a collection: a generator expression,
    ``iter()``/``map()``/``zip()``..., or anything from ``itertools`` (`from_itertools`: the
    names the file binds to itertools or to a function of it, such as ``chain``)."""
    if isinstance(node, ast.GeneratorExp):
        return True
    if not isinstance(node, ast.Call):
        return False
    name = dotted_name(node.func) or ""
    return name in ITERATOR_CALLS or name.partition(".")[0] in from_itertools


class DeprecatedPytestApi(FileRule, ProjectRule):
    """A pytest API that the pytest versions the project allows deprecate, where the
    configuration turns that deprecation into an error.

    pytest 9.2 warns ``PytestRemovedIn10Warning`` for ``@pytest.yield_fixture``,
    ``config.inicfg`` and parametrizing over an iterator (a generator expression, ``map()``,
    ``itertools.product()``: a non-Collection iterable). Reported when the project's pytest
    requirement allows the release these deprecations were read from (9.2) and such a filter is
    configured; the message says which.

    ## Why is this bad?
    Harmless until a ``filterwarnings`` entry makes deprecations errors (``error``,
    ``error::DeprecationWarning``): then the module, or the whole run, fails on the day the new
    pytest arrives.
    """

    code = "APT404"
    name = "deprecated-pytest-api"
    lesson = "startup-plugins"
    summary = "a pytest API deprecated in the allowed pytest, with deprecations made errors"
    triggers = frozenset({"yield_fixture", "inicfg", "parametrize"})
    fixable = True
    VALID = (
        Example(
            """
            import pytest

            @pytest.mark.parametrize('x', [n * 2 for n in range(3)])
            def test_even(x):
                assert x % 2 == 0
            """,
            files={
                "pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n\n'
                '[tool.pytest.ini_options]\nfilterwarnings = ["error"]\n'
            },
        ),
        Example(
            """
            import pytest

            @pytest.mark.parametrize('x', (n * 2 for n in range(3)))
            def test_even(x):
                assert x % 2 == 0
            """,
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n'},
        ),
    )
    INVALID = (
        Example(
            """
            import pytest

            @pytest.mark.parametrize('x', (n * 2 for n in range(3)))
            def test_even(x):
                assert x % 2 == 0
            """,
            files={
                "pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n\n'
                '[tool.pytest.ini_options]\nfilterwarnings = ["error"]\n'
            },
            line=3,
            fixed="""
            import pytest

            @pytest.mark.parametrize('x', [n * 2 for n in range(3)])
            def test_even(x):
                assert x % 2 == 0
            """,
        ),
        Example(
            """
            import itertools

            import pytest

            @pytest.mark.parametrize(('a', 'b'), itertools.product('xy', range(2)))
            def test_pairs(a, b):
                assert a in 'xy'
            """,
            files={
                "pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n\n'
                '[tool.pytest.ini_options]\nfilterwarnings = ["error"]\n'
            },
            line=5,
            fixed="""
            import itertools

            import pytest

            @pytest.mark.parametrize(('a', 'b'), list(itertools.product('xy', range(2))))
            def test_pairs(a, b):
                assert a in 'xy'
            """,
        ),
        Example(
            """
            from itertools import chain

            import pytest

            @pytest.mark.parametrize('x', chain((1, 2), (3,)))
            def test_positive(x):
                assert x > 0
            """,
            files={
                "pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n\n'
                '[tool.pytest.ini_options]\nfilterwarnings = ["error"]\n'
            },
            line=5,
            fixed="""
            from itertools import chain

            import pytest

            @pytest.mark.parametrize('x', list(chain((1, 2), (3,))))
            def test_positive(x):
                assert x > 0
            """,
        ),
        Example(
            """
            import pytest

            @pytest.yield_fixture(scope="module")
            def resource():
                yield 1

            def test_it(resource):
                assert resource == 1
            """,
            files={
                "pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n\n'
                '[tool.pytest.ini_options]\nfilterwarnings = ["error::DeprecationWarning"]\n'
            },
            line=3,
            fixed="""
            import pytest

            @pytest.fixture(scope="module")
            def resource():
                yield 1

            def test_it(resource):
                assert resource == 1
            """,
        ),
        Example(
            """
            import pytest

            CASES = [1, 2]

            @pytest.mark.parametrize('x', map(abs, CASES))
            def test_positive(x):
                assert x > 0

            CASES.append(3)
            """,
            files={
                "pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n\n'
                '[tool.pytest.ini_options]\nfilterwarnings = ["error"]\n'
            },
            line=5,
            fixed="""
            import pytest

            CASES = [1, 2]

            @pytest.mark.parametrize('x', map(abs, CASES))
            def test_positive(x):
                assert x > 0

            CASES.append(3)
            """,
        ),
        Example(
            """
            def pytest_configure(config):
                config.inicfg.get("timeout")
            """,
            path="tests/conftest.py",
            files={
                "pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n\n'
                '[tool.pytest.ini_options]\nfilterwarnings = ["error"]\n'
            },
            line=2,
            fixed="""
            def pytest_configure(config):
                config.inicfg.get("timeout")
            """,
        ),
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.from_itertools = {"itertools"}
        """Names bound to itertools (``import itertools as it``) or to one of its functions
        (``from itertools import chain``)."""

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name == "itertools":
                self.from_itertools.add(alias.asname or alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module == "itertools" and not node.level:
            self.from_itertools.update(alias.asname or alias.name for alias in node.names)

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
        if _iterator(argvalues, self.from_itertools):
            assert argvalues is not None
            self._use("parametrize-iterator", argvalues)

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        config = ctx.model.pytest_config
        entry = warning_error(config, DEPRECATION_WARNING)
        index = startup_index(ctx)
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
