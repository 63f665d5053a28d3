"""APT405: a test requests a plugin's fixture, and the tests do not declare the plugin."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from apytest.rules.api import (
    Example,
    FileContext,
    FileRule,
    Finding,
    PluginFixtureRequestFact,
    ProjectContext,
    ProjectRule,
    SourceFile,
)
from apytest.rules.support.astutil import (
    SKIP_MARKERS,
    collected_test,
    fixture_decl,
    marker_names,
    module_may_skip,
    parameter_names,
    pytestmark_values,
    requested_parameters,
)
from apytest.rules.support.dependency_index import collect_ignores, ignored_when_missing
from apytest.rules.support.plugins import plugin_table
from apytest.rules.support.startup import (
    TEST_PYPROJECT,
    missing_plugins,
    owners_label,
    suite_in_sight,
)

ANY_NAME = "*"
"""Recorded as bound by a star import: the module may define any fixture."""

MOCKER_TEST = """
def test_reads(mocker):
    opened = mocker.patch("builtins.open")
    assert opened is not None
"""
"""The examples' test: it requests pytest-mock's ``mocker``."""

PYTEST_ONLY = TEST_PYPROJECT + 'test = ["pytest>=8"]\n'
"""The examples' project, whose tests declare pytest alone."""


def _table_fixtures() -> frozenset[str]:
    """The fixture names only plugins of the table register (not pytest, not a library)."""
    table = plugin_table()
    return frozenset(
        name for name in table.owners["fixture"] if table.plugins_owning("fixture", name)
    )


PLUGIN_FIXTURES = _table_fixtures()
"""The names the rule judges; a file spelling none of them holds no request of one."""


CC1_TEST = """
from conftest import ASGITestClient

def test_lists(client: ASGITestClient):
    assert client.get("/api/v1/agents/").status_code == 200
"""
"""CC1: a test requesting ``client`` (pytest-django's name), typed with a class of the suite's
conftest, which the tree does not ship (rich-ai)."""


SNAPSHOT_TEST = "def test_regression(snapshot):\n    snapshot.assert_match(1)\n"
RUNTIME_PYPROJECT = (
    '[project]\nname = "example"\nversion = "0"\ndependencies = ["%s"]\n\n'
    '[project.optional-dependencies]\ntest = ["pytest>=8"]\n'
)
"""A project whose runtime requires ``%s`` and whose ``test`` extra is pytest alone."""

EI2_CONFTEST = """
optional_markers = {"benchmark": {"help": "Run benchmarks"}}


def pytest_addoption(parser):
    for marker, info in optional_markers.items():
        parser.addoption(f"--{marker}", action="store_true", help=info["help"])


def pytest_collection_modifyitems(config, items):
    asked = [m for m in optional_markers if config.getoption(m)]
    skipped = []
    for item in items:
        if not asked and any(m in item.keywords for m in optional_markers):
            skipped.append(item)
    config.hook.pytest_deselected(items=skipped)
    items[:] = [item for item in items if item not in skipped]
"""
"""EI2 (holonote): a conftest hook deselecting the tests bearing a marker of a dict's keys
unless ``--benchmark`` asks for them."""
EI2_TEST = """
import pytest

pytestmark = pytest.mark.%s


def test_speed(benchmark):
    benchmark(sum, [1, 2])
"""
"""EI2's test module: every test bears the module's ``pytestmark``."""


class UndeclaredPluginFixture(FileRule, ProjectRule):
    """A test (or a fixture that tests use) requests a fixture that only a plugin the tests do
    not declare registers.

    ``mocker`` is pytest-mock's, ``aiohttp_client`` pytest-aiohttp's, ``httpx_mock``
    pytest-httpx's. Reported once per module and fixture, only where the whole picture of the
    suite's fixtures is in sight. Silent:

    - when the test module, or a conftest or helper module anywhere, binds the name itself (a
      fixture, an import, an assignment, a keyword argument, a word of a string such as a
      ``parametrize`` argument name or ``fixture(name=...)``), or star-imports;
    - when the suite (a test, or an autouse fixture) requests any fixture it does not define or
      import, pytest does not provide and the table does not know: a conftest the checkout
      lacks, or a plugin unseen, may define the plugin's name too; so when a test imports from
      a ``conftest`` module no ``conftest.py`` of the tree provides (``from conftest import
      ASGITestClient``): the checkout lacks that conftest, and the fixtures it defined;
    - when ``pytest_plugins`` or ``-p`` loads a plugin, when the tests install a pytest plugin
      the table does not know, or any requirement comes from ``[tool.uv.sources]`` outside an
      index (a member of a workspace: the root's groups or a sibling may bring the plugin);
    - when no section the tests install declares pytest itself (no file then describes the
      tests' environment: a ``docs/requirements.txt`` does not), or the declarations are not
      static;
    - for modules a conftest's ``collect_ignore`` leaves out when an import fails, tests a
      marker may skip, functions with other decorators (``mock.patch`` and
      ``hypothesis.given`` fill arguments), and when ``python_functions``/``python_classes``
      say which functions are tests.

    ## Why is this bad?
    Where the plugin is not installed, nothing provides the fixture, and every test requesting
    it errors at setup: "fixture 'mocker' not found". It works on the machine where the plugin
    was installed by hand, and fails in CI, which installs what the project declares.

    ## Use instead
    Declare the plugin with the test dependencies (the extra, group or requirements file the
    tests install from).
    """

    code = "APT405"
    name = "undeclared-plugin-fixture"
    lesson = "fixture-not-found"
    summary = "a plugin's fixture requested where the tests do not declare the plugin"
    triggers = PLUGIN_FIXTURES
    VALID = (
        Example(
            MOCKER_TEST,
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest", "pytest-mock"]\n'},
        ),
        Example(  # the project defines its own fixture of that name
            MOCKER_TEST,
            files={
                "pyproject.toml": PYTEST_ONLY,
                "tests/conftest.py": """
                    import pytest
                    from unittest import mock

                    @pytest.fixture
                    def mocker():
                        with mock.patch.object(mock, "DEFAULT"):
                            yield mock
                    """,
            },
        ),
        Example(  # `hatch test` installs pytest-mock unless the environment names its own
            MOCKER_TEST,
            files={
                "pyproject.toml": PYTEST_ONLY,
                "hatch.toml": '[envs.hatch-test]\nextra-dependencies = ["trustme"]\n',
            },
        ),
        Example(  # `other` is defined nowhere in sight (a conftest left out): so may be `db`
            """
            def test_saves(db, other):
                assert db is not None
            """,
            files={"pyproject.toml": PYTEST_ONLY},
        ),
        Example(  # ZA3: an autouse fixture also requests `session`, defined nowhere in sight
            """
            import pytest
            import responses

            @pytest.fixture(autouse=True)
            def _patch_setup(monkeypatch, session, base_url):
                monkeypatch.setattr("os.sep", base_url)

            @responses.activate
            def test_get(session):
                assert session is not None

            def test_plain():
                assert True
            """,
            files={"pyproject.toml": PYTEST_ONLY},
        ),
        Example(  # a plugin the table does not know may register it
            MOCKER_TEST,
            files={"pyproject.toml": TEST_PYPROJECT + 'test = ["pytest", "pytest-mocktools"]\n'},
        ),
        Example(  # its arguments come from parametrize, not from fixtures
            """
            import pytest

            @pytest.mark.parametrize("mocker", [None])
            def test_value(mocker):
                assert mocker is None
            """,
            files={"pyproject.toml": PYTEST_ONLY},
        ),
        Example(  # mock.patch fills the argument
            """
            from unittest import mock

            @mock.patch("os.getcwd")
            def test_cwd(mocker):
                assert mocker is not None
            """,
            files={"pyproject.toml": PYTEST_ONLY},
        ),
        Example(  # skipped where the plugin is missing
            """
            import pytest

            pytest.importorskip("pytest_mock")

            def test_reads(mocker):
                assert mocker is not None
            """,
            files={"pyproject.toml": PYTEST_ONLY},
        ),
        Example(  # collected only where the plugin imports
            MOCKER_TEST,
            path="tests/bench/test_speed.py",
            files={
                "pyproject.toml": PYTEST_ONLY,
                "tests/bench/conftest.py": """
                    try:
                        import pytest_mock
                    except ImportError:
                        collect_ignore_glob = ["test_*.py"]
                    """,
            },
        ),
        Example(  # loaded by name: that plugin may provide it
            MOCKER_TEST,
            files={
                "pyproject.toml": PYTEST_ONLY,
                "tests/conftest.py": 'pytest_plugins = ["tests.fixtures"]\n',
            },
        ),
        Example(  # no declaration of the tests' dependencies: nothing is proved missing
            MOCKER_TEST,
            files={"pyproject.toml": TEST_PYPROJECT},
        ),
        Example(  # CC1: the conftest the test imports from is missing: it may define `client`
            CC1_TEST,
            files={"pyproject.toml": PYTEST_ONLY},
        ),
        Example(  # ZB3: tpcp's pytest plugin registers `snapshot`, as syrupy does (mobgap)
            SNAPSHOT_TEST,
            files={"pyproject.toml": RUNTIME_PYPROJECT % "tpcp>=2"},
        ),
        Example(  # EI2: the conftest deselects the module's `benchmark` tests unless asked
            EI2_TEST % "benchmark",
            files={"pyproject.toml": PYTEST_ONLY, "tests/conftest.py": EI2_CONFTEST},
        ),
    )
    INVALID = (
        Example(MOCKER_TEST, files={"pyproject.toml": PYTEST_ONLY}, line=1),
        Example(  # EI2's near miss: the module's marker is not one the conftest deselects
            EI2_TEST % "slow",
            files={"pyproject.toml": PYTEST_ONLY, "tests/conftest.py": EI2_CONFTEST},
            line=6,
        ),
        Example(  # ZB3's near miss: a runtime requirement that registers no fixture
            SNAPSHOT_TEST,
            files={"pyproject.toml": RUNTIME_PYPROJECT % "numpy>=2"},
            line=1,
        ),
        Example(  # CC1's near miss: the conftest it imports from is shipped, defining no `client`
            CC1_TEST,
            files={
                "pyproject.toml": PYTEST_ONLY,
                "tests/conftest.py": "class ASGITestClient:\n    pass\n",
            },
            line=3,
        ),
        Example(  # another test module's parametrize names its own tests' argument only
            MOCKER_TEST,
            files={
                "pyproject.toml": PYTEST_ONLY,
                "tests/test_other.py": """
                    import pytest

                    @pytest.mark.parametrize("mocker", [None])
                    def test_value(mocker):
                        assert mocker is None
                    """,
            },
            line=1,
        ),
        Example(  # the plugin is declared, but in an extra the tests do not install
            """
            import pytest

            class TestApi:
                @pytest.mark.asyncio
                async def test_get(self, aiohttp_client):
                    assert aiohttp_client is not None
            """,
            files={
                "pyproject.toml": TEST_PYPROJECT
                + 'test = ["pytest", "pytest-asyncio"]\naio = ["pytest-aiohttp"]\n'
            },
            line=5,
        ),
        Example(  # ZA3's near miss: the autouse fixture's other request is defined in sight
            """
            import pytest

            @pytest.fixture
            def session():
                return object()

            @pytest.fixture(autouse=True)
            def _patch_setup(monkeypatch, session, base_url):
                monkeypatch.setattr("os.sep", base_url)

            def test_plain():
                assert True
            """,
            files={"pyproject.toml": PYTEST_ONLY},
            line=8,
        ),
        Example(  # a fixture the tests use requests it
            """
            import pytest

            @pytest.fixture
            def opened(mocker):
                return mocker.patch("builtins.open")

            def test_reads(opened):
                assert opened is not None
            """,
            files={"pyproject.toml": PYTEST_ONLY},
            line=4,
        ),
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.names = PLUGIN_FIXTURES
        self.requests: dict[tuple[str, tuple[str, ...]], PluginFixtureRequestFact] = {}
        self.bound: set[str] = set()
        self.shared = ctx.file.kind != "test"
        """Whether what the file binds counts for every module (a conftest, a helper): a test
        module's calls and assignments are read only once it requests a plugin's fixture."""

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if node.name in self.names:
            self.bound.add(node.name)
        if self.names.isdisjoint(parameter_names(node)):
            return  # most functions: nothing to judge, so nothing more to work out
        parent = self.ctx.ancestors[-1] if self.ctx.ancestors else None
        decl = fixture_decl(node)
        if decl is None and not collected_test(node, parent):
            return
        requested = requested_parameters(node, parent)
        if requested is None or SKIP_MARKERS & set(marker_names(node.decorator_list)):
            return
        markers = () if decl is not None else self._markers(node)
        for name in requested:
            if name in self.names and (name, markers) not in self.requests:
                self.requests[name, markers] = PluginFixtureRequestFact(
                    name,
                    node.lineno,
                    node.col_offset + 1,
                    "" if decl is None else decl.name,
                    decl is not None and decl.autouse,
                    markers,
                )

    def _markers(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...]:
        """The markers of a test requesting a plugin's fixture (rare: read only then): its
        decorators', its classes' (decorators and ``pytestmark``) and its module's
        ``pytestmark``'s (EI2)."""
        found = set(marker_names(node.decorator_list))
        for outer in self.ctx.ancestors:
            if isinstance(outer, ast.ClassDef):
                found.update(marker_names(outer.decorator_list))
            if isinstance(outer, ast.ClassDef | ast.Module):
                found.update(marker_names(pytestmark_values(outer.body)))
        return tuple(sorted(found))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.name in self.names:
            self.bound.add(node.name)

    def visit_Assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        if self.shared:
            self._note_assignment(node)

    visit_AnnAssign = visit_Assign

    def _note_assignment(self, node: ast.Assign | ast.AnnAssign) -> None:
        """``mocker = pytest.fixture(...)``, and the strings an assignment keeps for later
        (``ARGS = "mocker,value"`` handed to ``parametrize``)."""
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            names = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
            self.bound.update(n.id for n in names if isinstance(n, ast.Name) and n.id in self.names)
        if node.value is not None:
            self._note_words(node.value)

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name.partition(".")[0]
            if bound == "*" or bound in self.names:
                self.bound.add(ANY_NAME if bound == "*" else bound)

    visit_ImportFrom = visit_Import

    def visit_Call(self, node: ast.Call) -> None:
        if self.shared:
            self._note_call(node)

    def _note_call(self, node: ast.Call) -> None:
        """A keyword argument named like the fixture (``@given(mocker=...)``), or a word of a
        string argument (``parametrize("mocker", ...)``, ``fixture(name="mocker")``)."""
        for keyword in node.keywords:
            if keyword.arg in self.names:
                self.bound.add(keyword.arg)
            self._note_words(keyword.value)
        for arg in node.args:
            self._note_words(arg)

    def _note_words(self, value: ast.expr) -> None:
        """The fixture names among the words of a string constant (or of the strings of a list
        or tuple). Only calls' arguments and assigned values are read: visiting every constant
        and name of every file would cost the walk the leaves it skips."""
        if isinstance(value, ast.List | ast.Tuple):
            for item in value.elts:
                self._note_words(item)
        elif isinstance(value, ast.Constant) and isinstance(value.value, str):
            self.bound.update(self.names.intersection(value.value.replace(",", " ").split()))

    def leave_Module(self, node: ast.Module) -> None:
        facts = self.ctx.facts
        if self.requests and not self.shared:  # rare: read this test module's bindings now
            for sub in ast.walk(node):
                if isinstance(sub, ast.Call):
                    self._note_call(sub)
                elif isinstance(sub, ast.Assign | ast.AnnAssign):
                    self._note_assignment(sub)
        facts.bound_plugin_fixtures.extend(sorted(self.bound))
        if module_may_skip(node):
            return
        facts.plugin_fixture_requests.extend(self.requests.values())

    @classmethod
    def applies_to(cls, file: SourceFile) -> bool:
        return True  # helper modules and package files bind names too

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        if not any(facts.plugin_fixture_requests for _file, facts in ctx.files):
            return  # the usual case: the gate below reads every file's fixtures
        index = suite_in_sight(ctx)
        if index is None:
            return
        shared = {
            name
            for file, facts in (*ctx.files, *ctx.package_inits)
            if file.kind != "test"
            for name in facts.bound_plugin_fixtures
        }
        if ANY_NAME in shared:
            return
        used = _used_fixtures(ctx)
        ignores = collect_ignores(ctx)
        for file, facts in ctx.files:
            bound = shared.union(facts.bound_plugin_fixtures)
            if ANY_NAME in bound or ignored_when_missing(file.path, ignores):
                continue
            reported: set[str] = set()
            opted = ctx.opted_in(file.path) if facts.plugin_fixture_requests else frozenset()
            marked = ctx.hook_marks(file.path) if opted else frozenset()
            for request in facts.plugin_fixture_requests:
                if (
                    request.name in bound
                    or request.name in reported
                    or (request.fixture and not request.autouse and request.fixture not in used)
                ):
                    continue
                if not request.fixture and opted.intersection(marked.union(request.markers)):
                    continue  # EI2: a hook over the test deselects it unless an option asks
                reported.add(request.name)
                owners = missing_plugins("fixture", request.name, ctx.model.dependencies, index)
                if not owners:
                    continue
                who = f"fixture '{request.fixture}'" if request.fixture else "the test"
                yield Finding(
                    file.path,
                    request.line,
                    request.col,
                    cls.code,
                    f"{who} requests '{request.name}', a fixture only {owners_label(owners)} "
                    "registers, which the tests' dependencies do not declare: where it is "
                    f"missing, each test using it errors (\"fixture '{request.name}' not "
                    'found"); declare the plugin for the tests',
                )


def _used_fixtures(ctx: ProjectContext) -> frozenset[str]:
    """The fixtures the tests request, directly or through other fixtures."""
    requested_by: dict[str, set[str]] = {}
    for _file, facts in ctx.files:
        for fixture in facts.fixtures:
            requested_by.setdefault(fixture.name, set()).update(fixture.requests)
    pending = [name for _file, facts in ctx.files for name in facts.test_requests]
    used: set[str] = set()
    while pending:
        name = pending.pop()
        if name not in used:
            used.add(name)
            pending.extend(requested_by.get(name, ()))
    return frozenset(used)
