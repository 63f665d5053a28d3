"""APT202: fixtures defined twice in one scope, or shadowing pytest's own fixtures."""

from __future__ import annotations

import ast

from apytest.rules.api import Example, FileRule
from apytest.rules.support.astutil import called_with_strings, fixture_decl, parameter_names

PYTEST_FIXTURES = frozenset(
    {
        "cache",
        "capfd",
        "capfdbinary",
        "caplog",
        "capsys",
        "capsysbinary",
        "capteesys",
        "doctest_namespace",
        "monkeypatch",
        "pytestconfig",
        "pytester",
        "record_property",
        "record_testsuite_property",
        "record_xml_attribute",
        "recwarn",
        "request",
        "subtests",
        "testdir",
        "tmp_path",
        "tmp_path_factory",
        "tmpdir",
        "tmpdir_factory",
    }
)


def _requests_itself(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Whether a fixture named ``name`` requests the fixture it shadows, so that it wraps the
    built-in instead of replacing it: as a parameter, or ``request.getfixturevalue(name)`` (the
    way to ask for a fixture that older pytest lacks, such as ``subtests`` before pytest 9)."""
    parameters = parameter_names(func)
    if name in parameters:
        return True
    return "request" in parameters and name in called_with_strings(func, "request.getfixturevalue")


class FixtureNameClash(FileRule):
    """A fixture defined twice in the same module, conftest or class, or named like a built-in.

    Overriding a fixture in a deeper conftest, module or class is a pytest feature, and so is a
    fixture that requests its own name to wrap the outer one (as a parameter, or through
    ``request.getfixturevalue`` of that name): neither is a finding.

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
    )
    INVALID = (
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
            if decl.name in PYTEST_FIXTURES and not _requests_itself(stmt, decl.name):
                self.report(
                    stmt,
                    f"fixture '{decl.name}' shadows pytest's built-in fixture; rename it, "
                    f"or request '{decl.name}' in it to wrap the built-in",
                )

    def visit_Module(self, node: ast.Module) -> None:
        self._check_scope(node.body)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._check_scope(node.body)
