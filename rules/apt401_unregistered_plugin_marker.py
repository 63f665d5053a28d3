"""APT401: a plugin's marker where the plugin is not declared and unknown markers fail."""

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
from apytest.rules.support.astutil import dotted_name, string_value
from apytest.rules.support.dependency_index import project_index, skipped_without
from apytest.rules.support.startup import (
    TEST_PYPROJECT,
    UNKNOWN_MARK_WARNING,
    errors,
    filter_entries,
    linelist,
    missing_plugins,
    owners_label,
    startup_index,
    strictness,
    unknown_mark_message,
    unknown_name_fails,
)

ANY_MARKER = "*"
"""Recorded for ``addinivalue_line("markers", <not a literal>)``: it may register any marker."""


ES1_TEST = """
import pytest

@pytest.mark.flaky(retries=3)
def test_it():
    assert True
"""
"""ES1 (litserve): a test marked ``flaky``, which several plugins register."""
ES1_PYPROJECT = (
    TEST_PYPROJECT
    + 'test = ["pytest>=8", "{plugin}"]\n\n[tool.pytest.ini_options]\n'
    + 'addopts = ["--strict-markers"]\n'
)
"""ES1's project: ``--strict-markers``, and the tests declaring pytest and ``{plugin}``."""
TIMEOUT_TEST = """
import pytest

@pytest.mark.timeout(5)
def test_fast():
    assert True
"""
"""The examples' test module: it uses pytest-timeout's marker."""


class UnregisteredPluginMarker(FileRule, ProjectRule):
    """A marker of a plugin the project does not declare, under a configuration that makes an
    unregistered marker an error.

    ``@pytest.mark.timeout`` is registered by pytest-timeout, ``asyncio`` by pytest-asyncio,
    ``xdist_group`` by pytest-xdist. Reported once per module and marker; silent without such a
    configuration, for markers no plugin in the shipped table registers, and when the
    declarations are not static.

    ## Why is this bad?
    Where the plugin is not installed, nothing registers the marker, and under
    ``--strict-markers`` (or ``strict_markers``/``strict`` in the ini) pytest fails the module
    ("'timeout' not found in `markers` configuration option"); under a ``filterwarnings`` that
    makes ``PytestUnknownMarkWarning`` an error (``error``) it fails with that warning. The module
    then never collects.

    ## Use instead
    Declare the plugin with the test dependencies, or register the marker under ``markers``
    (``pytest_configure``'s ``addinivalue_line`` counts too).
    """

    code = "APT401"
    name = "unregistered-plugin-marker"
    lesson = "startup-plugins"
    summary = "a plugin's marker, unregistered, where the plugin is not declared and strict"
    triggers = frozenset({"mark"})
    VALID = (
        Example(  # the package skips it where django is missing: with the tests' dependencies
            "import pytest\n\n\n@pytest.mark.django_db\ndef test_user():\n    assert True\n",
            path="tests/test_django/test_models.py",
            files={
                "pyproject.toml": TEST_PYPROJECT
                + 'test = ["pytest>=8"]\ndjango = ["django>=4"]\n\n'
                '[tool.pytest.ini_options]\naddopts = ["--strict-markers"]\n',
                "tests/__init__.py": "",
                "tests/test_django/__init__.py": "import pytest\n\npytest.importorskip('django')\n",
                "tests/test_other.py": "def test_other():\n    assert True\n",
            },
        ),
        Example(
            TIMEOUT_TEST,
            files={
                "pyproject.toml": TEST_PYPROJECT
                + 'test = ["pytest>=8"]\n\n[tool.pytest.ini_options]\n'
                'addopts = ["--strict-markers"]\nmarkers = ["timeout: a time limit"]\n'
            },
        ),
        Example(
            TIMEOUT_TEST,
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8"]\n'},
        ),
        Example(
            """
            import pytest

            @pytest.mark.xdist_group('db')
            def test_db():
                assert True
            """,
            files={
                "pyproject.toml": TEST_PYPROJECT
                + 'test = ["pytest>=8", "pytest-xdist>=3"]\n\n[tool.pytest.ini_options]\n'
                'addopts = ["--strict-markers"]\n'
            },
        ),
        Example(
            """
            import pytest

            pytestmark = pytest.mark.flaky

            def test_it():
                assert True
            """,
            files={
                "pyproject.toml": TEST_PYPROJECT
                + 'test = ["pytest>=8"]\n\n[tool.pytest.ini_options]\n'
                'filterwarnings = ["error"]\n',
                "tests/conftest.py": """
                    def pytest_configure(config):
                        config.addinivalue_line('markers', 'flaky: retried')
                    """,
            },
        ),
        Example(  # ES1: pytest-retry registers `flaky` too (litserve)
            ES1_TEST, files={"pyproject.toml": ES1_PYPROJECT.format(plugin="pytest-retry>=1.6")}
        ),
    )
    INVALID = (
        Example(  # ES1 near miss: pytest-repeat registers no `flaky`
            ES1_TEST,
            files={"pyproject.toml": ES1_PYPROJECT.format(plugin="pytest-repeat>=0.9")},
            line=3,
        ),
        Example(  # the tests install hypothesis: the package's guard lets the module run
            "import pytest\n\n\n@pytest.mark.django_db\ndef test_user():\n    assert True\n",
            path="tests/test_props/test_models.py",
            files={
                "pyproject.toml": TEST_PYPROJECT + 'test = ["pytest>=8", "hypothesis"]\n\n'
                '[tool.pytest.ini_options]\naddopts = ["--strict-markers"]\n',
                "tests/__init__.py": "",
                "tests/test_props/__init__.py": (
                    "import pytest\n\npytest.importorskip('hypothesis')\n"
                ),
            },
            line=4,
        ),
        Example(
            """
            from test_timed import helper

            def test_uses_the_helper():
                assert helper() == 1
            """,
            files={
                "pyproject.toml": TEST_PYPROJECT
                + 'test = ["pytest>=8"]\n\n[tool.pytest.ini_options]\n'
                'addopts = ["--strict-markers"]\n',
                "tests/test_timed.py": "import pytest\n\ndef helper():\n    return 1\n\n"
                "@pytest.mark.timeout(5)\ndef test_fast():\n    assert helper() == 1\n",
            },
            line=1,
        ),
        Example(
            TIMEOUT_TEST,
            files={
                "pyproject.toml": TEST_PYPROJECT
                + 'test = ["pytest>=8"]\n\n[tool.pytest.ini_options]\n'
                'addopts = ["--strict-markers"]\n'
            },
            line=3,
        ),
        Example(
            """
            import pytest

            pytestmark = pytest.mark.flaky(reruns=2)

            def test_it():
                assert True
            """,
            files={
                "pyproject.toml": TEST_PYPROJECT
                + 'test = ["pytest>=8"]\nretry = ["pytest-rerunfailures"]\n\n'
                '[tool.pytest.ini_options]\nfilterwarnings = ["error", '
                '"ignore::DeprecationWarning"]\n'
            },
            line=3,
        ),
        Example(
            "import pytest\n\n@pytest.mark.timeout(5)\ndef test_fast():\n    assert True\n",
            files={
                "pyproject.toml": TEST_PYPROJECT
                + 'test = ["pytest>=8"]\n\n[tool.pytest.ini_options]\nfilterwarnings = [\n'
                '    "error",\n    "default:No IPv6 support:UserWarning",\n]\n'
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
        strict = strictness(config, "--strict-markers", "strict_markers")
        index = startup_index(ctx)
        if index is None or (strict is None and not any(map(errors, filter_entries(config)))):
            return  # (a filter may make one marker's warning an error: looked at per marker)
        registered = {_marker_name(line) for line in linelist(config, "markers")}
        registered.update(name for _f, facts in ctx.files for name in facts.registered_markers)
        if ANY_MARKER in registered:
            return  # a marker registered from a computed string may be any of them
        # Test modules that fail for a marker: (marker, its plugins, why it is an error).
        failing: dict[str, tuple[str, str, str]] = {}
        dependencies = project_index(ctx)
        for file, facts in ctx.files:
            if (
                facts.markers
                and not file.path.endswith("conftest.py")
                and skipped_without(dependencies, ctx.model, file.path)
            ):
                continue  # its package skips it where the tests' dependencies run it
            for marker in facts.markers:
                if marker.name in registered:
                    continue
                owners = missing_plugins("marker", marker.name, ctx.model.dependencies, index)
                why = owners and unknown_name_fails(
                    config,
                    "--strict-markers",
                    "strict_markers",
                    UNKNOWN_MARK_WARNING,
                    unknown_mark_message(marker.name),
                )
                if why:
                    failing.setdefault(file.path, (marker.name, owners_label(owners), why))
                    yield Finding(
                        file.path,
                        marker.line,
                        marker.col,
                        cls.code,
                        f"marker '{marker.name}' is registered only by {owners_label(owners)}, "
                        "which the tests' dependencies do not declare: where it is missing, "
                        f"{_fails(file.path)} ({why}); declare the plugin for the tests, or "
                        "register the marker under `markers`",
                    )
        yield from cls._importers(ctx, failing)

    @classmethod
    def _importers(
        cls, ctx: ProjectContext, failing: dict[str, tuple[str, str, str]]
    ) -> Iterator[Finding]:
        """A module that imports, at module level, a test module that fails to collect for its
        marker fails with it (the marker is met when the import runs it): reported once, at the
        import (absolute imports: a relative one is not among the facts)."""
        by_name = {
            name: path
            for path in failing
            if not path.endswith("conftest.py")
            for name in _module_names(path)
        }
        for file, facts in ctx.files:
            if file.path in failing:
                continue
            for fact in facts.imports:
                imported = by_name.get(fact.module)
                if imported is None or not fact.module_level or fact.guarded:
                    continue
                name, owners, why = failing[imported]
                yield Finding(
                    file.path,
                    fact.line,
                    fact.col,
                    cls.code,
                    f"imports {fact.module}, whose marker '{name}' is registered only by "
                    f"{owners}, which the tests' dependencies do not declare: where it is "
                    f"missing, that import fails and so does this module's collection ({why}); "
                    "declare the plugin for the tests, or register the marker under `markers`",
                )
                break


def _fails(path: str) -> str:
    """What the unregistered marker breaks: a test module's collection; in a conftest, whatever
    meets it (its import or a hook of it ends the whole run)."""
    if path.rpartition("/")[2] == "conftest.py":
        return "pytest fails where this conftest uses it (at import or in a hook: the whole run)"
    return "this module fails to collect"


def _module_names(path: str) -> set[str]:
    """The dotted names a module at ``path`` can be imported under (from any folder above it
    on the import path: ``pkg.tests.test_a``, ``tests.test_a``, ``test_a``)."""
    parts = path.removesuffix(".py").split("/")
    return {".".join(parts[start:]) for start in range(len(parts))}


def _marker_name(line: str) -> str:
    return line.split(":", 1)[0].split("(", 1)[0].strip()
