"""APT404: a pytest API the allowed pytest deprecates (with deprecations made errors) or removed."""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator

from packaging.specifiers import SpecifierSet

from apytest.common.pytest_hooks import REMOVED_HOOKS, REMOVED_IN_PYTEST_9
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
    FunctionNode,
    dotted_name,
    fixture_decl,
    is_pytest_attr,
    keyword_value,
    marker_names,
)
from apytest.rules.support.dependency_index import DependencyIndex
from apytest.rules.support.startup import (
    A_TEST,
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
_REMOVED = "removed:"
"""The prefix of a use that pytest 9 removed rather than deprecated: a hook's argument."""
_REMOVED_HOOK = "removed-hook:"
"""The prefix of an implementation of a hook pytest removed."""
_MARKED_FIXTURE = "marked-fixture"
"""A mark applied to a fixture function, which pytest 9 refuses (AT4)."""


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


AT4_CONFTEST = """
import pytest

@pytest.fixture
@pytest.mark.usefixtures("tmp_cwd")
def account(tmp_path):
    return tmp_path / "account.json"
"""
"""A conftest putting a mark on a fixture (AT4's examples)."""


class DeprecatedPytestApi(FileRule, ProjectRule):
    """A pytest API that the pytest versions the project allows deprecate, where the
    configuration turns that deprecation into an error; or one they removed.

    pytest 9.2 warns ``PytestRemovedIn10Warning`` for ``@pytest.yield_fixture``,
    ``config.inicfg`` and parametrizing over an iterator (a generator expression, ``map()``,
    ``itertools.product()``: a non-Collection iterable). Reported when the project's pytest
    requirement allows the release these deprecations were read from (9.2) and such a filter is
    configured; the message says which. pytest 9 removed the py.path argument of the path hooks
    (``path`` of ``pytest_ignore_collect``, ``pytest_collect_file``,
    ``pytest_pycollect_makemodule``; ``startdir`` of ``pytest_report_header`` and
    ``pytest_report_collectionfinish``): a conftest or ``pytest_plugins`` module whose hook
    names one is reported whenever the requirement allows 9.2, whatever the filters; so is one
    implementing a hook pytest removed (``pytest_namespace``, ``pytest_logwarning``,
    ``pytest_warning_captured``, ``pytest_cmdline_preparse``), unless marked ``optionalhook``;
    and so is a mark on a fixture function (``@pytest.mark.usefixtures("cwd")`` on a
    ``@pytest.fixture``, in either order), which pytest 9 refuses when the module is imported.

    ## Why is this bad?
    A deprecation is harmless until a ``filterwarnings`` entry makes deprecations errors
    (``error``, ``error::DeprecationWarning``): then the module, or the whole run, fails on the
    day the new pytest arrives. A removed hook argument needs no filter: pytest cannot register
    the conftest (``PluginValidationError``) and stops before any test, with a traceback. A
    removed hook is "unknown" to pytest: it collects, then stops with INTERNALERROR (exit
    status 3) and runs no test.
    """

    code = "APT404"
    name = "deprecated-pytest-api"
    lesson = "startup-plugins"
    summary = "a pytest API the allowed pytest deprecates (made an error) or removed"
    triggers = frozenset(
        {"yield_fixture", "inicfg", "parametrize", "mark", *REMOVED_IN_PYTEST_9, *REMOVED_HOOKS}
    )
    fixable = True
    VALID = (
        Example(  # AT4's near miss: pytest 8 only warns of a mark on a fixture
            AT4_CONFTEST,
            path="tests/conftest.py",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8,<9"]\n', **A_TEST},
        ),
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
        Example(
            """
            def pytest_ignore_collect(collection_path, config):
                return collection_path.name.endswith("_py2.py")
            """,
            path="tests/conftest.py",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n', **A_TEST},
        ),
        Example(
            """
            def pytest_ignore_collect(path, config):
                return path.basename.endswith("_py2.py")
            """,
            path="tests/conftest.py",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=7,<9"]\n', **A_TEST},
        ),
        Example(  # pluggy asks only for parameters without a default: ``startdir`` stays None
            """
            def pytest_report_header(config, startdir=None):
                return "Sphinx: 8.2"

            def pytest_collect_file(file_path, parent, *, path=None):
                return None
            """,
            path="tests/conftest.py",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest"]\n', **A_TEST},
        ),
        Example(
            """
            def pytest_collect_file(path, parent):
                return None

            def test_helper_named_like_a_hook():
                assert pytest_collect_file("x", None) is None
            """,
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n'},
        ),
        Example(  # pluggy accepts an unknown hook marked optional
            """
            import pytest

            @pytest.hookimpl(optionalhook=True)
            def pytest_namespace():
                return {"helpers": object()}
            """,
            path="tests/conftest.py",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n', **A_TEST},
        ),
        Example(  # pytest 7 only warns about this hook
            """
            def pytest_cmdline_preparse(config, args):
                args[:] = ["-q", *args]
            """,
            path="tests/conftest.py",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=7,<8"]\n', **A_TEST},
        ),
        Example(  # a method is no hook of the module
            """
            class Legacy:
                def pytest_namespace(self):
                    return {}
            """,
            path="tests/conftest.py",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest"]\n', **A_TEST},
        ),
    )
    INVALID = (
        Example(  # AT4: a mark on a fixture (anaconda-cloud-auth's conftest)
            AT4_CONFTEST,
            path="tests/conftest.py",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n', **A_TEST},
            line=4,
        ),
        Example(
            """
            def pytest_namespace():
                return {"helpers": object()}
            """,
            path="tests/conftest.py",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest"]\n', **A_TEST},
            line=1,
            fixed="""
            def pytest_namespace():
                return {"helpers": object()}
            """,
        ),
        Example(
            """
            import pytest

            @pytest.hookimpl(tryfirst=True)
            def pytest_cmdline_preparse(config, args):
                args[:] = ["-q", *args]
            """,
            path="conftest.py",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=7"]\n', **A_TEST},
            line=4,
            fixed="""
            import pytest

            @pytest.hookimpl(tryfirst=True)
            def pytest_cmdline_preparse(config, args):
                args[:] = ["-q", *args]
            """,
        ),
        Example(
            """
            def pytest_ignore_collect(path, config):
                return path.basename.endswith("_py2.py")
            """,
            path="tests/conftest.py",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=7"]\n', **A_TEST},
            line=1,
            fixed="""
            def pytest_ignore_collect(collection_path, config):
                return collection_path.name.endswith("_py2.py")
            """,
        ),
        Example(
            """
            import pytest

            @pytest.hookimpl(tryfirst=True)
            def pytest_report_header(config, startdir):
                return f"root: {startdir}"
            """,
            path="conftest.py",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest"]\n', **A_TEST},
            line=4,
            fixed="""
            import pytest

            @pytest.hookimpl(tryfirst=True)
            def pytest_report_header(config, start_path):
                return f"root: {start_path}"
            """,
        ),
        Example(
            """
            import pathlib

            def pytest_collect_file(file_path: pathlib.Path, path, parent):
                if file_path.suffix == ".txt" and parent.path.name == "tests":
                    return None
                return None
            """,
            path="tests/conftest.py",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=7"]\n', **A_TEST},
            line=3,
            fixed="""
            import pathlib

            def pytest_collect_file(file_path: pathlib.Path, parent):
                if file_path.suffix == ".txt" and parent.path.name == "tests":
                    return None
                return None
            """,
        ),
        Example(
            """
            def pytest_ignore_collect(collection_path, config, path):
                return collection_path.name == "setup.py"
            """,
            path="tests/conftest.py",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=7"]\n', **A_TEST},
            line=1,
            fixed="""
            def pytest_ignore_collect(collection_path, config):
                return collection_path.name == "setup.py"
            """,
        ),
        Example(
            """
            def pytest_ignore_collect(path, config):
                return path.check(link=1) or str(path).endswith("_py2.py")
            """,
            path="tests/conftest.py",
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=7"]\n', **A_TEST},
            line=1,
            fixed="""
            def pytest_ignore_collect(path, config):
                return path.check(link=1) or str(path).endswith("_py2.py")
            """,
        ),
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

    def _use(self, api: str, node: ast.expr | ast.arg | FunctionNode) -> None:
        self.ctx.facts.deprecated_apis.append(NameUseFact(api, node.lineno, node.col_offset + 1))

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        """A module-level hook of a conftest or plugin module that pytest removed, or naming a
        removed argument; a fixture with a mark on it, in any file (AT4)."""
        if marker_names(node.decorator_list) and fixture_decl(node) is not None:
            mark = next(d for d in node.decorator_list if marker_names([d]))
            self._use(_MARKED_FIXTURE, mark)
        if (
            self.ctx.file.kind not in ("conftest", "plugin")
            or len(self.ctx.ancestors) != 1  # a method or a nested function: no hook of a module
        ):
            return
        if node.name in REMOVED_HOOKS:
            if not _optional_hook(node):
                self._use(f"{_REMOVED_HOOK}{node.name}", node)
            return
        removed = REMOVED_IN_PYTEST_9.get(node.name)
        if removed is None:
            return
        arguments = node.args
        positional = [*arguments.posonlyargs, *arguments.args]
        # pluggy passes (and checks against the hook's spec) only the positional parameters
        # without a default: one with a default, or keyword-only, is never asked for
        required = positional[: len(positional) - len(arguments.defaults)]
        for argument in required:
            if argument.arg == removed[0]:
                self._use(f"{_REMOVED}{node.name}", argument)

    visit_AsyncFunctionDef = visit_FunctionDef

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
        if index is None or not _allows(index, VERIFIED_PYTEST):
            return
        for file, facts in ctx.files:
            for use in facts.deprecated_apis:
                if use.name == _MARKED_FIXTURE:
                    stops = "the whole run stops" if file.kind != "test" else "it fails to collect"
                    yield Finding(
                        file.path,
                        use.line,
                        use.col,
                        cls.code,
                        "pytest 9.0 and later, which the project's pytest requirement allows, "
                        'refuse a mark on a fixture ("Marks cannot be applied to fixtures"): '
                        f"importing this module fails and {stops}; drop the mark (it never "
                        "applied), and mark the tests themselves (`usefixtures` on them)",
                    )
                    continue
                if use.name.startswith(_REMOVED_HOOK):
                    hook = use.name.removeprefix(_REMOVED_HOOK)
                    since, instead = REMOVED_HOOKS[hook]
                    yield Finding(
                        file.path,
                        use.line,
                        use.col,
                        cls.code,
                        f"pytest {since} and later, which the project's pytest requirement "
                        f"allows, have no hook {hook}: pytest refuses this module's "
                        f"implementation and stops before any test runs; {instead}",
                    )
                    continue
                if use.name.startswith(_REMOVED):
                    hook = use.name.removeprefix(_REMOVED)
                    argument, replacement = REMOVED_IN_PYTEST_9[hook]
                    yield Finding(
                        file.path,
                        use.line,
                        use.col,
                        cls.code,
                        f"pytest {VERIFIED_PYTEST}, which the project's pytest requirement "
                        f"allows, removed the argument '{argument}' of {hook} (take "
                        f"'{replacement}', a pathlib.Path): pytest cannot register this hook "
                        "and stops before any test",
                    )
                    continue
                if entry is None:
                    continue
                yield Finding(
                    file.path,
                    use.line,
                    use.col,
                    cls.code,
                    f"pytest {VERIFIED_PYTEST}, which the project's pytest requirement allows, "
                    f"deprecates {DEPRECATED_APIS[use.name]}; filterwarnings '{entry}' makes "
                    "that warning an error, so this fails before the test runs",
                )


def _optional_hook(node: FunctionNode) -> bool:
    """Whether a decorator passes ``optionalhook`` (``@pytest.hookimpl(optionalhook=True)``):
    pluggy accepts such an implementation of a hook it does not know."""
    return any(
        isinstance(decorator, ast.Call) and keyword_value(decorator, "optionalhook") is not None
        for decorator in node.decorator_list
    )


def _allows(index: DependencyIndex, version: str) -> bool:
    """Whether every test-installed pytest requirement allows ``version`` (none: any)."""
    return all(
        SpecifierSet(d.specifier).contains(version, prereleases=True)
        for d in index.by_name.get("pytest", ())
        if d.section in index.required_sections and not d.url
    )
