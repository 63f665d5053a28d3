"""APT202: fixtures defined twice in one scope, or shadowing pytest's own fixtures."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence

from apytest.rules.api import (
    Example,
    FileRule,
    Finding,
    FixtureFact,
    ProjectContext,
    ProjectRule,
    SourceFile,
)
from apytest.rules.support.astutil import PYTEST_FIXTURES, fixture_decl

BUILTIN_REQUESTS: Mapping[str, tuple[str, ...]] = {
    "pytester": ("tmp_path_factory", "monkeypatch"),
    "testdir": ("pytester",),
    "tmp_path": ("tmp_path_factory",),
    "tmpdir": ("tmp_path",),
}
"""The built-in fixtures that pytest's own built-ins request (besides ``request``): an override
of ``tmp_path`` that requests ``tmpdir`` gets the built-in ``tmp_path`` through it."""

PYTESTER_FIXTURES = frozenset({"pytester", "testdir"})
"""The fixtures of pytest's ``pytester`` plugin, which pytest does not load by default: a
suite that does not enable it (``pytest_plugins = "pytester"``, ``-p pytester``) has no such
built-in for a fixture of that name to shadow (plumbum's ``testdir`` chdirs to its tests)."""
PYTESTER_PLUGIN = frozenset({"pytester", "_pytest.pytester"})
DOCTEST_NAMESPACE = "doctest_namespace"
"""The built-in whose only reader, pytest's doctest item, takes the items of the ``dict`` it
gives: an override that gives one too replaces nothing the doctests need."""

Visible = Mapping[str, Sequence[FixtureFact]]


def _builtins(ctx: ProjectContext) -> frozenset[str]:
    """pytest's fixtures as this suite sees them: pytester's only where the suite enables
    that plugin by name (one enabled in a way the files do not show, a computed
    ``pytest_plugins`` or a command line's ``-p pytester``, is not sure: silent)."""
    enabled = {
        *ctx.model.plugins,
        *(name for _, facts in ctx.files for name in facts.pytest_plugins),
    }
    if enabled & PYTESTER_PLUGIN:
        return PYTEST_FIXTURES
    return PYTEST_FIXTURES - PYTESTER_FIXTURES


def _requests(fixture: FixtureFact) -> list[str]:
    """The fixtures a definition requests: its parameters, less a method's ``self``/``cls``."""
    names = list(fixture.requests)
    if fixture.container and names and names[0] in ("self", "cls"):
        del names[0]
    return names


def _visible(ctx: ProjectContext, file: SourceFile, container: str) -> dict[str, list[FixtureFact]]:
    """The definitions pytest may pick for a name requested in ``container`` (a class, or ""
    for the module) of ``file``: the file's own (module level or that class), and those of the
    conftests and plugins over it."""
    found: dict[str, list[FixtureFact]] = {}
    for where, facts in ctx.files:
        if where != file and not where.covers(file.path):
            continue
        for fixture in facts.fixtures:
            if fixture.container in ("", container if where == file else ""):
                found.setdefault(fixture.name, []).append(fixture)
    return found


def _may_wrap(fixture: FixtureFact, visible: Visible) -> bool:
    """Whether a fixture named like a built-in may get the built-in through the fixtures it
    requests: pytest gives a fixture that requests the overriding name from within the
    override's setup (``pytester`` -> ``django_pytester`` -> ``pytester``) the definition it
    overrides, not the override itself, so the override wraps it. A requested fixture defined
    nowhere the suite shows (a plugin's) may request it too: unsure, so it counts."""
    seen: set[str] = set()
    pending = _requests(fixture)
    while pending:
        name = pending.pop()
        if name == fixture.name:
            return True
        if name in seen:
            continue
        seen.add(name)
        defined = visible.get(name, ())
        if not defined and name not in PYTEST_FIXTURES:
            return True
        pending.extend(BUILTIN_REQUESTS.get(name, ()))
        for definition in defined:
            pending.extend(_requests(definition))
    return False


class FixtureNameClash(FileRule, ProjectRule):
    """A fixture defined twice in the same module, conftest or class, or named like a built-in.

    Overriding a fixture in a deeper conftest, module or class is a pytest feature, and so is a
    fixture that requests its own name to wrap the outer one (as a parameter, through
    ``request.getfixturevalue`` of that name, or through another fixture it requests that
    requests that name, which pytest resolves to the outer one): none is a finding. Nor is an
    override requesting a fixture defined nowhere the suite shows (a plugin's may do the same).
    ``pytester`` and ``testdir`` are built-ins only where the suite enables pytest's
    ``pytester`` plugin (``pytest_plugins = "pytester"``, ``-p pytester``): pytest does not load
    it by default, and without it a fixture of that name shadows nothing. A ``doctest_namespace``
    that returns or yields a ``dict`` each way it does is the namespace pytest's doctests read,
    given whole (one that returns nothing is still a finding: every doctest then fails).

    ## Why is this bad?
    pytest keeps only the last of two same-named fixtures in one scope, silently: the first one's
    tests get the second one's value. A fixture named like one that pytest provides (``tmp_path``,
    ``monkeypatch``, ``request``, ...) replaces the built-in for every test below it, and for
    plugins that rely on it.
    """

    code = "APT202"
    name = "fixture-name-clash"
    lesson = "fixture-name-clashes"
    summary = "fixture defined twice in one scope, or shadowing a pytest built-in fixture"
    VALID = (
        Example(
            """
            import pytest

            @pytest.fixture
            def tmp_path(tmp_path):
                return tmp_path / 'work'
            """
        ),
        Example(
            """
            import os
            import pytest

            @pytest.fixture
            def testdir():  # pytester is not enabled: there is no built-in testdir
                os.chdir(os.path.dirname(__file__))
            """,
            path="tests/conftest.py",
        ),
        Example(
            """
            import pytest

            @pytest.fixture
            def db():
                return 1

            class TestOverride:
                @pytest.fixture
                def db(self):
                    return 2
            """
        ),
        Example(
            """
            import pytest

            @pytest.fixture
            def db():
                return 2
            """,
            files={
                "tests/conftest.py": """
                    import pytest

                    @pytest.fixture
                    def db():
                        return 1
                    """
            },
        ),
        Example(
            """
            import contextlib

            import pytest

            @pytest.fixture
            def subtests(request):
                try:  # pytest >= 9 has its own
                    return request.getfixturevalue('subtests')
                except pytest.FixtureLookupError:
                    return contextlib.nullcontext()
            """,
            path="tests/conftest.py",
        ),
        Example(
            """
            import pytest

            class TestConfigured:
                @pytest.fixture
                def pytester(self, configured_pytester):
                    configured_pytester.makeini('[pytest]\\naddopts = -q\\n')
                    return configured_pytester

                def test_runs(self, pytester):
                    pytester.runpytest().assert_outcomes()
            """,
            files={
                "tests/conftest.py": """
                    import pytest

                    pytest_plugins = 'pytester'

                    @pytest.fixture
                    def configured_pytester(pytester, monkeypatch):
                        monkeypatch.delenv('PYTEST_ADDOPTS', raising=False)
                        return pytester
                    """
            },
        ),
        Example(
            """
            import pathlib

            import pytest

            @pytest.fixture
            def tmp_path(tmpdir):
                return pathlib.Path(tmpdir) / 'work'
            """
        ),
        Example(
            """
            import pytest

            @pytest.fixture
            def monkeypatch(mocker_from_a_plugin):
                return mocker_from_a_plugin.monkeypatch
            """
        ),
        Example(
            """
            import pprint

            import pytest

            @pytest.fixture
            def doctest_namespace():
                def norm(path):
                    return path.replace('a', 'b')

                return dict(locals(), pprint=pprint.pprint)
            """,
            path="conftest.py",
        ),
    )
    INVALID = (
        Example(
            """
            import numpy
            import pytest

            @pytest.fixture
            def doctest_namespace():
                numpy.set_printoptions(legacy='1.13')
            """,
            path="conftest.py",
            line=5,
        ),
        Example(
            """
            import os
            import pytest

            pytest_plugins = ["pytester"]

            @pytest.fixture
            def testdir():
                os.chdir(os.path.dirname(__file__))
            """,
            path="tests/conftest.py",
            line=7,
        ),
        Example(
            """
            import pytest

            @pytest.fixture
            def subtests(request):
                return request.getfixturevalue('capsys')
            """,
            path="tests/conftest.py",
            line=4,
        ),
        Example(
            """
            import pytest

            @pytest.fixture
            def db():
                return 1

            @pytest.fixture
            def db():
                return 2
            """,
            line=8,
        ),
        Example(
            """
            from pytest import fixture

            @fixture
            def tmp_path():
                return '/tmp/x'
            """,
            path="tests/conftest.py",
            line=4,
        ),
        Example(
            """
            import pytest

            @pytest.fixture(name='request')
            def my_request():
                return 1
            """,
            line=4,
        ),
        Example(
            """
            import pytest

            @pytest.fixture
            def workdir(tmp_path_factory):
                return tmp_path_factory.mktemp('work')

            class TestWork:
                @pytest.fixture
                def tmp_path(self, workdir, request):
                    return workdir
            """,
            line=9,
        ),
    )

    def _check_scope(self, body: list[ast.stmt]) -> None:
        seen: dict[str, int] = {}
        for stmt in body:
            if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            decl = fixture_decl(stmt)
            if decl is None:
                continue
            if decl.name in seen:
                self.report(
                    stmt,
                    f"fixture '{decl.name}' is defined again (first at line {seen[decl.name]}): "
                    "pytest silently keeps only this one",
                )
            seen[decl.name] = stmt.lineno

    def visit_Module(self, node: ast.Module) -> None:
        self._check_scope(node.body)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._check_scope(node.body)

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        """The fixtures named like a built-in that replace it: judged over the suite, as the
        fixture an override requests may live in a conftest and request the built-in there."""
        builtins = _builtins(ctx)
        for file, facts in ctx.files:
            if not cls.applies_to(file):
                continue
            tables: dict[str, dict[str, list[FixtureFact]]] = {}
            for fixture in facts.fixtures:
                if fixture.name not in builtins or fixture.requests_itself:
                    continue
                if fixture.name == DOCTEST_NAMESPACE and fixture.returns_dicts:
                    continue  # the namespace the doctests read, given whole: nothing is lost
                container = fixture.container
                if container not in tables:
                    tables[container] = _visible(ctx, file, container)
                if not _may_wrap(fixture, tables[container]):
                    yield Finding(
                        file.path,
                        fixture.line,
                        fixture.col,
                        cls.code,
                        f"fixture '{fixture.name}' shadows pytest's built-in fixture; rename it, "
                        f"or request '{fixture.name}' in it to wrap the built-in",
                    )
