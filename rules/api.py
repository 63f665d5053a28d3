"""The contract between the lessons (rules) and the engine that runs them.

Rules know nothing of the CLI, the cache or the reporters: a file rule is an ``ast`` visitor that
the engine attaches to its single walk of each file, and a project rule is a function of the facts
that walk recorded. Everything here is plain data so that the engine can cache it and ship it
between processes.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import posixpath
import re
import textwrap
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, Generic, Literal, TypeVar

from apytest.common.lessons import reference
from apytest.rules.support.astutil import (
    MISSING_MODULE_ERROR,
    FunctionNode,
    dotted_name,
    fixture_decl,
    import_error_helpers,
    is_test_code,
    mentioned_names,
    script_branch,
    skipped_module,
    skipped_test,
)

FileKind = Literal["test", "conftest", "plugin", "package", "other"]
"""``package``: the ``__init__.py`` of a suite's package folder holding test modules, which
pytest imports before any of them (only the dependency rules read it); ``other``: a project
module outside the suite that a test module's import runs (read through ``chain_facts``)."""


def named_for_tests(folder: str) -> bool:
    """Whether a folder's name says it holds tests (``tests``, ``test``, ``testing``,
    ``unit_tests``)."""
    return "test" in folder.lower()


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place: ``path:line:col: CODE message`` (line and col are 1-based)."""

    path: str
    line: int
    col: int
    code: str
    message: str

    def format(self) -> str:
        """The finding on one printable line, whatever the file name holds."""
        return printable(f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}")


def printable(text: str) -> str:
    """`text` on one line that any UTF-8 terminal shows as it is written.

    A file name may hold a newline (which would split a finding over two lines), a terminal
    escape sequence, or bytes that are not UTF-8 (which Python keeps as lone surrogates, and
    which no UTF-8 output can encode): each becomes a backslash escape (``\\n``, ``\\x1b``,
    ``\\xff`` for the byte 0xff).
    """
    if text.isprintable():
        return text
    return "".join(
        char
        if char.isprintable()
        else f"\\x{ord(char) - 0xDC00:02x}"
        if 0xDC80 <= ord(char) <= 0xDCFF
        else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


def dedented(text: str) -> str:
    """An example's text as the file holds it.

    Examples are written as Fixit writes them: a triple-quoted string that opens with a newline
    and is indented with the code around it. Such a text loses that first newline and the
    indentation its lines share; any other text (a one-liner, ``""``) is the file as it stands.
    """
    return textwrap.dedent(text[1:]) if text.startswith("\n") else text


@dataclass(frozen=True)
class Example:
    """A source file that a rule must accept (VALID) or flag (INVALID): the rule's tests.

    ``code`` is the file at ``path``; ``files`` are the rest of the example project (conftests,
    ``pyproject.toml``, requirements), so project-wide rules can have examples too. ``line`` pins
    where an INVALID example's finding must be. Bytes are for examples that are not UTF-8. Texts
    are :func:`dedented`.
    """

    code: str | bytes
    path: str = "tests/test_example.py"
    files: Mapping[str, str] = field(default_factory=dict)
    line: int | None = None
    fixed: str | None = None
    """For a flagged example of a rule with a fix: the file after ``--fix`` (the same text when
    the fix must leave the finding alone)."""

    def __post_init__(self) -> None:
        if isinstance(self.code, str):
            object.__setattr__(self, "code", dedented(self.code))
        object.__setattr__(self, "files", {p: dedented(t) for p, t in self.files.items()})
        if self.fixed is not None:
            object.__setattr__(self, "fixed", dedented(self.fixed))


@dataclass(frozen=True)
class Option:
    """A rule setting read from ``[tool.apytest]``; the engine validates its type and default."""

    kind: type
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    """For a string option, the values it may take (empty: any)."""


@dataclass(frozen=True)
class ImportFact:
    """An import of an absolute module, or a ``pytest.importorskip("name")``.

    ``guarded`` is true when a missing module would skip or be tolerated rather than fail
    collection: inside ``try/except ImportError``, under ``if TYPE_CHECKING:``, under a condition on
    ``find_spec``, or an ``importorskip`` itself.
    """

    module: str
    line: int
    col: int
    module_level: bool
    guarded: bool
    assured: tuple[str, ...]
    """Top-level packages installed for certain whenever this import runs (and so whatever they
    require): a module-level ``importorskip`` before it, a skip marker on its test."""
    requests: tuple[str, ...] = ()
    """The fixtures that the test or fixture around the import requests (its parameters): what
    they ``importorskip`` is installed whenever it runs."""
    runs_with: tuple[str, ...] = ()
    """Modules certainly imported whenever this import runs: those of the ``try`` whose
    ``else:`` holds it, the packages of an availability flag an ``if`` around it tests. An
    import of a project module is guarded for what they bring, as a direct import is."""
    marks: tuple[str, ...] = ()
    """The pytest marks on the test, its class and its module (``pytestmark``) around an import
    in a function (``gpu`` of ``@pytest.mark.gpu``): a hook may run such tests only when asked
    (``ProjectContext.opted_in``)."""
    preceded_by: tuple[str, ...] = ()
    """Top-level packages that the module's unguarded module-level imports before this one (all
    of them, for an import inside a function) import: when one is missing, the module fails
    there first. Filled when the project is judged (``dependency_index.judged_imports``)."""
    recorded: tuple[str, ...] = ()
    """The names the import binds when a ``with`` that records the ImportError guards it
    (optuna's ``with try_import():``): the module imports without the package, but these names
    are missing, so importing them from the module fails (``astutil.recorded_names``)."""
    stand_ins: tuple[str, ...] = ()
    """Top-level modules the file put into ``sys.modules`` before this import runs (AC4): a
    project module the import runs finds the stand-in (``sys.modules["ib_insync"] =
    MagicMock()``) as if the package were there. Unlike ``assured`` no package is installed,
    so nothing it would require comes with it."""
    names: tuple[str, ...] = ()
    """The names a ``from module import a, b`` imports, as written before any ``as`` (BD1): a
    name the package's ``__init__.py`` does not bind imports its submodule ``module.a``, whose
    module body runs then (``lint/chains.py``)."""
    fixture: str = ""
    """The fixture around the import when it is a module-level fixture of a conftest, not
    autouse (AO3): it runs only if something requests it, which the project model answers
    (``ProjectModel.unrequested_fixtures``)."""
    fails_with: str = MISSING_MODULE_ERROR
    """The error its module fails with when the import finds no module: a missing module's, or
    the one a ``try`` around it raises instead (``astutil.collection_error``); "" when the
    handler raises what no name says."""
    caught: tuple[str, ...] = ()
    """The exception classes the ``try`` statements around the import catch
    (``astutil.caught_around``): an import of a project module whose module-level import
    fails with one of them (``fails_with``) is guarded (DN2)."""


@dataclass(frozen=True)
class CollectIgnoreFact:
    """Paths a conftest adds to ``collect_ignore`` (or, with ``glob``, ``collect_ignore_glob``)
    when one of ``packages`` cannot be imported: pytest never imports what they name then."""

    packages: tuple[str, ...]
    patterns: tuple[str, ...]
    glob: bool


ANY_PACKAGE = "*"
"""In ``FixtureFact.assured``: whatever a test requesting the fixture imports may be there for
certain (BF4: the fixture skips where the code it loads dynamically fails to import)."""


@dataclass(frozen=True)
class FixtureFact:
    """A fixture definition; ``container`` is "" at module level or the enclosing class name."""

    name: str
    line: int
    col: int
    container: str
    scope: str
    autouse: bool
    requests_itself: bool
    """It requests its own name (as a parameter, or ``request.getfixturevalue``): it wraps the
    fixture of that name it overrides."""
    requests: tuple[str, ...] = ()
    """The fixtures it requests (its parameters; a method's ``self`` among them)."""
    assured: tuple[str, ...] = ()
    """Top-level packages its body ``importorskip``s before anything can skip or yield: a test
    requesting it runs only where they are installed; ``ANY_PACKAGE`` when it skips where
    code it loads by path or name fails to import (BF4), which may need any package."""
    monkeypatches_cwd: bool = False
    """Its body calls ``monkeypatch.chdir``, or yields inside a manager that goes back to the
    directory it found (click's ``isolated_filesystem()``, ``contextlib.chdir()``; BP1): at
    teardown the working directory from before the test comes back, whatever changed it
    afterwards."""
    returns_dicts: bool = False
    """Every ``return``/``yield`` of its own gives a ``dict`` (``astutil.returns_dicts``)."""
    may_skip: bool = False
    """Its body skips under some condition (``pytest.skip``, ``importorskip``, ``xfail``,
    ``self.skipTest``, ``raise SkipTest``; ``astutil.may_skip``): a test requesting it, through a
    conftest too, may be skipped where what it checks is missing (APT205, AZ4)."""


@dataclass(frozen=True)
class GlobalChangeFact:
    """A change of process-global state (APT204) that nothing in its own file undoes.

    Another file still can: a conftest's autouse fixture that snapshots and restores the state
    (when ``in_test``: made by a test, a function-scoped fixture or an xunit per-test setup),
    or a context manager the change sits in (``managers``: the names of the ``with`` calls
    around it; ``managers_from``: the top-level modules those of them that the file imports
    come from, "." for a relative import). ``at_start``: made for every test before it runs:
    when the module is imported, or by an autouse fixture (of any scope, or whose ``autouse=``
    is an expression).
    """

    line: int
    col: int
    family: str
    in_test: bool
    managers: tuple[str, ...]
    managers_from: tuple[str, ...] = ()
    at_start: bool = False
    bases_from: tuple[str, ...] = ()
    """The modules the imported bases of the test's class come from ("." for relative)."""
    decorators_from: tuple[str, ...] = ()
    """The modules the imported decorators of the test code come from ("." for relative): one
    of the project's may run the test in a temporary folder it changes back from."""
    requests: tuple[str, ...] = ()
    """For a change by test code (``in_test``): the fixtures it requests (by parameter,
    ``usefixtures``, and the autouse ones of its own file that apply to it), set up before it and
    torn down after it: one that restores the family after its ``yield`` (or, for the working
    directory, calls ``monkeypatch.chdir``) puts it back after the change."""
    module_level: bool = False
    """Made when the module is imported (not in a function): for every test of the module, in
    any order or selection, before the first of them runs."""
    added_path: str | None = None
    """For a ``sys.path.insert``/``append`` (of the module body, or of a function whose
    parameters it does not read): the project-relative folder it adds when the module computes
    it from its own ``__file__`` ("" is the root) or spells it as a relative literal, read from
    the root (BO6: ``sys.path.insert(0, "tests")``), else None; for a module-level
    ``os.chdir``, the folder it moves to."""
    key: str = ""
    """The environment variable an ``os.environ`` change names literally ("" for none): a
    fixture that removes that variable after its ``yield`` takes the change back."""
    path_from: str = ""
    """For a module-level ``os.chdir(name)`` of a name imported with ``from module import
    name``: ``"module:name"`` ("" otherwise); ``ProjectModel.folder_names`` holds the folder."""
    fallback_for: tuple[str, ...] = ()
    """For a change in the ``except ImportError`` fallback of a ``try`` that only imports: the
    top-level modules it imports, whose import must fail for the change to run."""
    exists_guard: tuple[str, ...] = ()
    """CD1: for a module-level ``sys.path`` addition in the body of an ``if`` that holds only
    where the added folder exists (``if p.exists(): sys.path.insert(0, str(p))``), the
    project-relative folders it may add (one per turn of a ``for`` over literal strings); a
    tree holding none of them (``ProjectModel.absent_folders``) never makes the change. Empty
    when not computed for certain."""


@dataclass(frozen=True)
class RelativeWriteFact:
    """A test's write to a relative path (APT203) that nothing in its own file moves into a
    temporary folder: a conftest's fixture it requests (``requests``, its parameters and
    ``usefixtures``), or an autouse one, still can."""

    line: int
    col: int
    message: str
    requests: tuple[str, ...]
    bases_from: tuple[str, ...] = ()
    """The modules the test class's imported bases come from ("." for a relative import)."""
    home: bool = False
    """A write under the home folder (``~``), not the working directory: a fixture that points
    ``HOME`` at a temporary folder makes it harmless, not one that changes directory."""
    decorators_from: tuple[str, ...] = ()
    """The modules the test's imported decorators, and the calls of the ``with`` statements
    around the write, come from ("." for a relative import)."""
    switches: tuple[str, ...] = ()
    """The test's arguments an ``if`` around the write tests by name (``if save:``): the write
    runs only when one is true, which a command-line opt-in may decide (``opt_in_arguments``),
    or ``".flag:NAME"`` for a name imported from a module of the file's folder, which may bind it
    to an environment switch (CU1, ``environment_switches``)."""
    fixed: bool = False
    """A write to a fixed location (built from ``__file__`` or an absolute path), not a
    relative one, recorded only for its ``switches`` (ZB2: netviz's golden files under ``if
    regen_golden:``): only a command-line opt-in makes it harmless, not a fixture that moves."""
    folder: str = ""
    """For a fixed ``mkdir``/``makedirs`` with ``exist_ok=True``: the project-relative folder
    it makes, when its path is computed for certain (AX3): a folder the tree ships already
    (a ``.py`` file lies in it) is not made, and nothing outlives the test."""
    managers_from: tuple[str, ...] = ()
    """``"module:name"`` for the calls of the ``with`` statements around the write that name
    what an absolute ``from module import name`` binds (BO1: ``with GitTemporaryDirectory():``
    after ``from aider.utils import GitTemporaryDirectory``): the project's own module may
    define it to move into a temporary folder (:attr:`ProjectModel.cwd_managers`)."""


@dataclass(frozen=True)
class ProgramUseFact:
    """A test's use of an external resource (APT205: a program run by name, the network, a
    secret) that nothing in its file guards, judged with the project: a console script of a
    declared distribution (``coverage``, ``mypy``) is installed with the tests, which only the
    project's declarations say, and a conftest's hook may mark or skip the test (BD2)."""

    line: int
    col: int
    message: str
    program: str
    """The program's name; "" for a use of the network or a secret that waits only on the
    test's markers (``markers``)."""
    markers: tuple[str, ...] = ()
    """The markers of the test, its class and its module: a conftest or plugin hook may skip
    the tests bearing one (``skipping_markers``)."""
    requests: tuple[str, ...] = ()
    """The fixtures the test requests (parameters, ``usefixtures``): one that no read file
    defines may skip it (``FixtureGuards.unknown``)."""
    decorators_from: tuple[str, ...] = ()
    """The modules the imported decorators of the test and its class come from ("." for a
    relative import): a skip mark of the suite's own helpers (``@requires_node`` of ``from
    platform_marks import requires_node``) may skip it (ZB9)."""
    skipped_unless: tuple[str, ...] = ()
    """FL3: project-relative paths, computed for certain from the module's ``__file__``, whose
    absence makes the module skip itself at import (``if not CHECK_SCRIPT.exists():
    pytest.skip(..., allow_module_level=True)``, policyengine-uk's test of a ``.github`` script
    the sdist leaves out): a tree without one never runs the test."""


@dataclass(frozen=True)
class PathMarkFact:
    """Markers a collection hook of a conftest or plugin module adds to the tests whose path
    holds ``text`` (BD2: ``if Path(str(item.fspath)).parent.name == "live_provider":
    item.add_marker(pytest.mark.e2e)``; ``support/path_marks.py``)."""

    text: str
    markers: tuple[str, ...]


@dataclass(frozen=True)
class CwdFixtureFact:
    """A fixture that makes the relative writes of the tests using it harmless (APT203).

    ``covers``: ``"cwd"`` when it moves the working directory into a temporary folder
    (``monkeypatch.chdir(tmp_path)``), or somewhere the file does not say; ``"home"`` when it
    points ``HOME`` there (``monkeypatch.setenv("HOME", str(tmp_path))``); ``"cleanup"`` when
    its teardown deletes files (whatever the tests wrote, it is there to remove).
    """

    name: str
    autouse: bool
    covers: Literal["cwd", "home", "cleanup"] = "cwd"


@dataclass(frozen=True)
class NameImportFact:
    """A module-level ``from module import a, b`` (``names`` ``("*",)`` for a star import): a
    conftest brings in fixtures defined in a module that apytest-lint may not read.

    ``origin`` is the top-level module ("." for a relative import)."""

    origin: str
    names: tuple[str, ...]
    module: str = ""
    """The module as written, with a relative import's leading dots (``.test_environment``):
    fixtures imported by name from a linted module are the importing module's own."""


@dataclass(frozen=True)
class RelativeImportFact:
    """A relative import that runs whenever the module is imported (at module level, not
    tolerated by a ``try``, not in code that never runs): it needs the module to be imported
    as part of a package ``level`` deep or deeper."""

    module: str
    """As written, with its leading dots (``.helpers``, ``..``)."""
    line: int
    col: int

    @property
    def level(self) -> int:
        """How many packages up it climbs: its leading dots."""
        return len(self.module) - len(self.module.lstrip("."))


@dataclass(frozen=True)
class NameUseFact:
    """The first use in a file of a name the project stage judges (a ``pytest.mark.<name>``
    marker, a deprecated pytest API), where it is written."""

    name: str
    line: int
    col: int


@dataclass(frozen=True)
class PluginFixtureRequestFact:
    """A request of a fixture that only plugins of the shipped table register (APT405), by a
    test (``fixture`` empty) or by the fixture named ``fixture``; the first in its file of each
    set of markers."""

    name: str
    line: int
    col: int
    fixture: str
    autouse: bool
    markers: tuple[str, ...] = ()
    """A test's markers: its decorators', its class's and its module's ``pytestmark``'s (EI2:
    a conftest hook may deselect the tests bearing one unless an option asks for them)."""


@dataclass(frozen=True)
class StateRestorerFact:
    """A function that puts a family of process-global state back as it found it: a
    module-level autouse fixture (``kind`` ``"autouse"``) or ``@contextmanager``
    (``"manager"``), or a fixture of the module or a class (``"fixture"``, autouse or not,
    by the fixture's name) that does so after its ``yield``, for the test code it is set up
    around; or an autouse fixture that removes the ``keys`` before each test (``"reset"``)."""

    name: str
    family: str
    kind: str
    managers: tuple[str, ...] = ()
    """For a ``"fixture"`` whose ``yield`` sits in ``with`` calls (``family`` is then ""):
    their names. It restores what one of them restores: a ``@contextmanager`` of the suite
    that does, or one imported from the project's own modules (``managers_from``), whose body
    is not read."""
    managers_from: tuple[str, ...] = ()
    """The top-level modules the imported ``managers`` come from ("." for a relative import)."""
    keys: tuple[str, ...] = ()
    """For a ``"fixture"`` of ``family`` ``"environ"`` that puts back nothing but removes
    these variables after its ``yield`` (``del os.environ[K]``, ``os.environ.pop(K, None)``):
    it takes back a test's change of exactly those (falcon's ``cleanup_constants``)."""


@dataclass
class FileFacts:
    """What the project pass needs to know about one file; computed once and cached."""

    imports: list[ImportFact] = field(default_factory=list)
    fixtures: list[FixtureFact] = field(default_factory=list)
    pytest_plugins: list[str] = field(default_factory=list)
    global_changes: list[GlobalChangeFact] = field(default_factory=list)
    state_restorers: list[StateRestorerFact] = field(default_factory=list)
    markers: list[NameUseFact] = field(default_factory=list)
    registered_markers: list[str] = field(default_factory=list)
    """Markers the file registers with ``config.addinivalue_line("markers", ...)``."""
    deprecated_apis: list[NameUseFact] = field(default_factory=list)
    collect_ignores: list[CollectIgnoreFact] = field(default_factory=list)
    relative_writes: list[RelativeWriteFact] = field(default_factory=list)
    cwd_fixtures: list[CwdFixtureFact] = field(default_factory=list)
    program_uses: list[ProgramUseFact] = field(default_factory=list)
    skipping_markers: list[str] = field(default_factory=list)
    """Markers a ``pytest_runtest_setup`` or ``pytest_collection_modifyitems`` hook of a
    conftest or plugin module skips the tests of unless asked (``--release``, ``--run-slow``):
    tests bearing one are opted in, like those of a resource marker CI deselects (APT205)."""
    path_marks: list[PathMarkFact] = field(default_factory=list)
    name_imports: list[NameImportFact] = field(default_factory=list)
    generated_arguments: list[str] = field(default_factory=list)
    """Argument names a ``pytest_generate_tests`` hook of the file parametrizes
    (``metafunc.parametrize("backend", ...)``): tests and fixtures get them from the hook, not
    from a fixture definition."""
    opt_in_arguments: list[str] = field(default_factory=list)
    """Fixtures and generated arguments whose every value is a command-line option
    (``return request.config.getoption("--data-save")``, ``metafunc.parametrize("save",
    [metafunc.config.getoption("data_save")])``): true only when whoever runs pytest asks."""
    environment_switches: list[str] = field(default_factory=list)
    """Module-level names bound once to an environment switch that asks for expected files to
    be written again (``GEN_TEST_DATA = TypeAdapter(bool).validate_python(os.getenv(
    "DOCLING_GEN_TEST_DATA", 0))``): a test module importing one tests it in ``if`` (CU1,
    APT203). Read only in modules whose text names ``environ`` or ``getenv``."""
    path_folders: list[str] = field(default_factory=list)
    """Project folders the module body puts on ``sys.path``, computed from its ``__file__``
    (``sys.path.insert(0, os.path.join(HERE, "../scripts"))``): their modules are the
    project's own files wherever they lie, not distributions (RW4)."""
    relative_imports: list[RelativeImportFact] = field(default_factory=list)
    relative_module_imports: list[ImportFact] = field(default_factory=list)
    """The module-level imports written relatively (``from .factories import Factory``), as
    ``imports`` holds the absolute ones, with the module as written (``.factories``): only the
    project knows which package they climb into, so the runner names them absolutely and adds
    them to ``imports`` (``lint/relative_imports.py``)."""
    test_requests: list[str] = field(default_factory=list)
    """The fixtures the file's test functions request (their parameters)."""
    plugin_fixture_requests: list[PluginFixtureRequestFact] = field(default_factory=list)
    async_tests: list[NameUseFact] = field(default_factory=list)
    """``async def`` tests pytest would call itself (APT406)."""
    unmarked_async_tests: list[NameUseFact] = field(default_factory=list)
    """Those of ``async_tests`` with no ``asyncio`` mark on them, their class or the module:
    pytest-asyncio's strict mode leaves them to pytest too (APT406)."""
    coroutine_hooks: list[str] = field(default_factory=list)
    """Hooks of a conftest or plugin module that may run coroutine tests their own way."""
    stand_ins: list[str] = field(default_factory=list)
    """Modules the module body puts into ``sys.modules`` (``sys.modules["gcode"] = Mock()``,
    also in a ``for`` over literal names): a conftest's stand-ins are there before pytest
    imports any test module below its folder, so their imports find them (AU1)."""
    bound_plugin_fixtures: list[str] = field(default_factory=list)
    """Names of plugins' fixtures that the file binds or spells itself (a definition, an
    import, an assignment, a keyword, a word of a string; "*" for a star import): where the
    project does, a request of that name may be its own."""
    script_dependencies: list[str] = field(default_factory=list)
    """The normalised distribution names a PEP 723 inline script block (``# /// script``)
    declares in its ``dependencies``: the file is a standalone script ``uv run`` installs them
    for (ER1), read only when the source holds such a block."""
    test_items: list[str] = field(default_factory=list)
    """Of a test module, the first name at its top level that may give pytest a test (FL2): a
    ``test*`` function, a class named ``Test*`` or holding a ``test*`` method, a name bound
    ``test*``/``Test*`` by an import or assignment, a star import (unless of an absolute module
    whose name has no ``test``), ``"*"`` when the module touches ``globals()``. Empty for a
    module named like a test module that holds none (policyengine-uk's variable
    ``..._test.py``), which no conftest need lie above."""
    unparsed: list[str] = field(default_factory=list)
    """The error Python's own import meets before running a line of the file, when it cannot be
    decoded or parsed (``["SyntaxError"]``; empty for every file that parses, and for a limit
    of ours such as RecursionError): such a module never stays in ``sys.modules`` (EM1,
    APT201)."""

    def to_json(self) -> dict[str, Any]:
        kinds = _fact_kinds()
        return {
            name: [vars(item) for item in value] if name in kinds else list(value)
            for name, value in vars(self).items()
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FileFacts:
        """The facts ``to_json`` wrote, each fact rebuilt with its tuples as tuples (JSON has
        lists only: ``tests/lint/test_facts_json.py`` checks every field)."""
        kinds = _fact_kinds()
        return cls(
            **{
                name: [
                    kinds[name](**{k: tuple(v) if isinstance(v, list) else v for k, v in i.items()})
                    if name in kinds
                    else i
                    for i in value
                ]
                for name, value in data.items()
            }
        )


@functools.cache
def _fact_kinds() -> dict[str, type[Any]]:
    """The fields of :class:`FileFacts` that hold facts, with the fact's class (the others hold
    names): read from the annotations once, so a new kind of fact needs no line here."""
    hints = typing.get_type_hints(FileFacts)
    return {
        field.name: kind
        for field in dataclasses.fields(FileFacts)
        if dataclasses.is_dataclass(kind := typing.get_args(hints[field.name])[0])
        and isinstance(kind, type)
    }


@dataclass(frozen=True)
class SourceFile:
    """A file the linter looks at, as discovery found it: never its contents."""

    path: str
    """Project-relative POSIX path."""
    kind: FileKind

    def covers(self, path: str) -> bool:
        """Whether this conftest (for its folder and below) or plugin module (for the whole
        session) applies to the file at ``path``: its fixtures and hooks are there."""
        if self.kind == "plugin":
            return True
        folder = posixpath.dirname(self.path)
        return self.kind == "conftest" and (not folder or path.startswith(folder + "/"))


def _names_written(module: ast.AST) -> frozenset[str]:
    """Every name a module mentions other than by defining it: names, attributes, the names
    of ``global`` statements and imports, and strings (a name in ``__all__`` or a
    ``getattr``)."""
    found = mentioned_names(module)
    for node in ast.walk(module):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            found.update(node.names)
        elif isinstance(node, ast.alias):
            found.add(node.asname or node.name)
    return frozenset(found)


def _plain_helper(stmt: ast.stmt) -> bool:
    """A module-level function pytest calls by no name of its own: not decorated (a hook or a
    registration may call it), no test, hook, ``load_tests`` nor xunit setup or teardown."""
    return (
        isinstance(stmt, FunctionNode)
        and not stmt.decorator_list
        and not is_test_code(stmt, None)
        and not stmt.name.startswith(("test", "pytest_"))
        and stmt.name != "load_tests"
    )


def _names_run(module: ast.Module) -> frozenset[str]:
    """The names (see ``_names_written``) mentioned by what pytest may run of a test module:
    its body less the plain helpers (``_plain_helper``) and the branch of an ``if`` on
    ``__name__`` that only a script takes, then, until none is left, the plain helpers those
    names call. BF3: a validation script named ``test_*.py`` whose helpers only its
    ``__main__`` block reaches, through other helpers (``run_validation()`` calling
    ``run_oracle_mc()`` calling ``linear_oracle()``), never runs them under pytest."""
    helpers: dict[str, list[ast.stmt]] = {}
    run: list[ast.AST] = []
    for stmt in module.body:
        if _plain_helper(stmt):
            helpers.setdefault(getattr(stmt, "name", ""), []).append(stmt)
        elif isinstance(stmt, ast.If) and (script := script_branch(stmt)):
            run.append(stmt.test)
            run.extend(s for s in (*stmt.body, *stmt.orelse) if not any(s is b for b in script))
        else:
            run.append(stmt)
    found: set[str] = set().union(*(_names_written(node) for node in run))
    reached: set[str] = set()
    while waiting := [name for name in helpers if name in found and name not in reached]:
        for name in waiting:
            reached.add(name)
            found.update(*(_names_written(helper) for helper in helpers[name]))
    return frozenset(found)


WORD = re.compile(r"\w+")


def fixture_requests(module: ast.AST) -> frozenset[str] | None:
    """Every name a test module may request a fixture by: the parameters of its functions, the
    names it mentions and each word of its strings (``usefixtures("db")``, ``getfixturevalue``,
    an indirect ``parametrize("db, user", ...)``); None when it computes one (a
    ``getfixturevalue`` of no literal, a ``pytest_generate_tests`` hook): any may be."""
    found = set(_names_written(module))
    for node in ast.walk(module):
        if isinstance(node, FunctionNode | ast.Lambda):
            found.update(a.arg for a in (*node.args.posonlyargs, *node.args.args))
            found.update(a.arg for a in node.args.kwonlyargs)
            if getattr(node, "name", "") == "pytest_generate_tests":
                return None
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.update(WORD.findall(node.value))
        elif (
            isinstance(node, ast.Call)
            and (dotted_name(node.func) or "").endswith("getfixturevalue")
            and not (node.args and isinstance(node.args[0], ast.Constant))
        ):
            return None
    return frozenset(found)


@dataclass
class FileContext:
    """What a file rule sees while the engine walks one file."""

    file: SourceFile
    source: str
    lines: Sequence[str]
    options: Mapping[str, Any]
    ancestors: list[ast.AST] = field(default_factory=list)
    """The nodes enclosing the one being visited, outermost first (the module is ``[0]``)."""
    findings: list[Finding] = field(default_factory=list)
    facts: FileFacts = field(default_factory=FileFacts)
    _callees: dict[ast.AST, str] = field(default_factory=dict, repr=False)
    _test_code: dict[ast.AST, FunctionNode | None] = field(default_factory=dict, repr=False)
    _module_skipped: bool | None = field(default=None, repr=False)
    _skipped_tests: set[ast.AST] = field(default_factory=set, repr=False)
    _names: frozenset[str] | None = field(default=None, repr=False)
    _requests: frozenset[str] | None = field(default=None, repr=False)
    _requests_read: bool = field(default=False, repr=False)
    _import_error_helpers: frozenset[str] | None = field(default=None, repr=False)

    def callee(self, call: ast.Call) -> str:
        """What ``call`` calls as a dotted name (``"os.environ.pop"``), ``""`` for anything else.

        Every rule asks this of every call; the answer is worked out once per call node.
        """
        name = self._callees.get(call)
        if name is None:
            name = self._callees[call] = dotted_name(call.func) or ""
        return name

    def outer_function(self) -> FunctionNode | None:
        """The outermost ``def`` around the node being visited."""
        for node in self.ancestors:
            if isinstance(node, FunctionNode):
                return node
        return None

    def test_code(self) -> FunctionNode | None:
        """The outermost ``def`` around the node being visited if pytest runs it as test code
        (``astutil.is_test_code``), else None; decided once per function.

        Code that never runs is none: a test (or its class, or its test module) skipped
        without a condition (``@pytest.mark.skip``, ``@unittest.skip``, ``skipif(True)``), so
        no rule judges what it would do if it were enabled.
        """
        outer = self.outer_function()
        if outer is not None and outer not in self._test_code:
            index = self.ancestors.index(outer)
            parent = self.ancestors[index - 1] if index else None
            if not is_test_code(outer, parent):
                self._test_code[outer] = None
            elif self._skipped(outer):
                self._test_code[outer] = None
                self._skipped_tests.add(outer)
            else:
                self._test_code[outer] = outer
        return None if outer is None else self._test_code[outer]

    def in_skipped_test(self) -> bool:
        """Whether the node being visited is in test code that never runs (see
        :meth:`test_code`): what it imports or changes is never imported or changed."""
        self.test_code()
        return self.outer_function() in self._skipped_tests

    def in_unused_helper(self) -> bool:
        """Whether the node being visited is in a module-level function of a test module that
        nothing runs: no test code (see :meth:`test_code`), no decorator (a hook or a
        registration may call it), no name pytest or unittest calls by itself (``pytest_*``
        hooks, ``load_tests``), and a name that appears nowhere else in the module: no call, no
        reference, no string (``__all__``, ``getattr``). Leftovers such as ``_test_pearson``,
        and helpers only the ``__main__`` block or other such helpers call (BF3, ``_names_run``).
        Helper modules beside the tests are imported by them and are never judged so.

        A module-level fixture of a test module serves that module's tests only: one neither
        autouse nor requested in the module (see ``fixture_requests``) never runs either, as
        ase's ``cat_plugin`` fixture importing a demo plugin no one installs."""
        outer = self.outer_function()
        if outer is None or self.file.kind != "test" or self.ancestors.index(outer) != 1:
            return False  # in a class, or nested in an ``if``
        if fixture_decl(outer) is not None:
            module = self.ancestors[0]
            return isinstance(module, ast.Module) and self.unrequested_fixture(outer, module)
        if (
            outer.decorator_list
            or outer.name.startswith("pytest_")
            or outer.name == "load_tests"
            or self.test_code() is not None
        ):
            return False
        if self._names is None:
            module = self.ancestors[0]
            self._names = (
                _names_run(module) if isinstance(module, ast.Module) else _names_written(module)
            )
        return outer.name not in self._names

    def unrequested_fixture(self, function: FunctionNode, module: ast.Module) -> bool:
        """Whether ``function`` is a fixture of this test module that is neither autouse nor
        requested anywhere in ``module`` (see ``fixture_requests``, read once per module): it
        serves that module's tests only, so it never runs (ase's ``cat_plugin`` importing a
        demo plugin no one installs; awkward's fixture writing to a mistyped path, DB2)."""
        fixture = fixture_decl(function)
        if fixture is None or fixture.autouse or self.file.kind != "test":
            return False
        if not self._requests_read:
            self._requests = fixture_requests(module)
            self._requests_read = True
        return self._requests is not None and fixture.name not in self._requests

    def in_import_error_helper(self) -> bool:
        """CR1: whether the node being visited is in a module-level function of a test module
        that only tests expecting an ImportError mention (``astutil.import_error_helpers``):
        its import is meant to fail. Read once per module, and only for a module whose text
        names ``ImportError`` or ``ModuleNotFoundError``."""
        outer = self.outer_function()
        if (
            outer is None
            or self.file.kind != "test"
            or outer.decorator_list
            or self.ancestors.index(outer) != 1
        ):
            return False
        if self._import_error_helpers is None:
            module = self.ancestors[0]
            names_error = "ImportError" in self.source or "ModuleNotFoundError" in self.source
            self._import_error_helpers = (
                import_error_helpers(module, self.source)
                if names_error and isinstance(module, ast.Module)
                else frozenset()
            )
        return outer.name in self._import_error_helpers and self.test_code() is None

    def conftest_fixture(self) -> str:
        """The name of the module-level fixture of a conftest around the node being visited,
        when it is not autouse; "" otherwise. Such a fixture serves the whole folder: whether
        anything requests it is a question for every file of the suite, the conftest's other
        fixtures among them (AO3, ``lint/fixture_requests.py``: python-sscha's
        ``generate_structure`` importing aiida, which no test requests)."""
        outer = self.outer_function()
        if outer is None or self.file.kind != "conftest" or self.ancestors.index(outer) != 1:
            return ""
        fixture = fixture_decl(outer)
        return "" if fixture is None or fixture.autouse else fixture.name

    def _skipped(self, func: FunctionNode) -> bool:
        """Whether ``func`` (an enclosing ``def`` of the node being visited) never runs: it,
        a class around it, or its test module is skipped without a condition."""
        if self._module_skipped is None:
            module = self.ancestors[0] if self.ancestors else None
            self._module_skipped = (
                self.file.kind == "test"
                and isinstance(module, ast.Module)
                and skipped_module(module)
            )
        if self._module_skipped:
            return True
        return skipped_test(func, self.ancestors[: self.ancestors.index(func)])

    def report(self, code: str, node: ast.AST | None, message: str) -> None:
        line = getattr(node, "lineno", 1) if node is not None else 1
        col = getattr(node, "col_offset", 0) + 1 if node is not None else 1
        self.findings.append(Finding(self.file.path, line, col, code, message))


@dataclass(frozen=True)
class DeclaredDependency:
    """One requirement as the project declares it, where it is written.

    ``section`` names where it belongs: ``dependencies``, ``extra:<name>``, ``group:<name>``,
    ``requirements:<path>``, or a tool's own (``tox:testenv:<env>``, ``hatch:<env>``,
    ``pixi:<feature>``, ``conda:<path>``, ``pipfile:<category>``, ``tests_require:setup``,
    ``optional:tool.poetry.dependencies``); ``specifier`` is its version specifier (``""`` when
    unbounded) and ``url`` says whether it is a direct reference (``name @ url``), which fixes
    the version.
    """

    name: str
    """Canonical distribution name (``packaging.utils.canonicalize_name``)."""
    requirement: str
    section: str
    path: str
    line: int
    col: int
    specifier: str
    url: bool


@dataclass(frozen=True)
class RegistryRow:
    """A row of ``dependency_registry.md``: the canonical package name and its line."""

    name: str
    line: int


T = TypeVar("T")


class Deferred(Generic[T]):
    """A project fact worked out on its first use, at most once (BN1): a read of the whole tree
    that only a finding about to be reported needs. A run over part of the suite
    (``apytest-lint tests``, pre-commit's changed files, ``testpaths``) must answer as the
    whole tree would, without every run paying for the read."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute: Callable[[], T] | None = compute
        self._value: T | None = None

    def get(self) -> T:
        """The fact, computed on the first call."""
        if self._compute is not None:
            self._value, self._compute = self._compute(), None
        return typing.cast(T, self._value)


@dataclass(frozen=True)
class DependencyModel:
    """What the project declares and records, for the dependency rules.

    ``includes`` maps a section to the sections it pulls in (``-r`` includes, PEP 735
    ``include-group``, an extra that requires the project's own other extras, a tox env's
    ``extras``). ``test_sections`` are the sections whose own tool installs them whenever the
    tests run, whatever their names (a tox test env, Poetry's non-optional groups, uv's default
    groups, ``Pipfile`` dev-packages, a conda environment file). ``complete`` is false when some
    declarations cannot be read statically (a computed ``setup.py`` list, dynamic metadata), so
    a missing declaration proves nothing. ``sources`` are the files that declared something, in
    reading order (else the project's own ``pyproject.toml``/``setup.py``/``setup.cfg``), and
    ``looked_for`` what the reader looks at, in words for messages. ``installed`` is
    ``packages_distributions()`` of the environment the linter runs in.
    """

    project_name: str = ""
    scripts: frozenset[str] = frozenset()
    """The canonical names of the scripts the project installs with itself."""
    declared: tuple[DeclaredDependency, ...] = ()
    includes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    complete: bool = False
    runtime_known: bool = True
    """False when the runtime requirements could not be read (a computed ``install_requires``
    that may read any requirements file): a requirements file is then maybe the runtime."""
    test_sections: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()
    looked_for: tuple[str, ...] = ()
    registry_path: str | None = None
    registry: tuple[RegistryRow, ...] = ()
    first_party: frozenset[str] = frozenset()
    """Top-level import names the project itself provides (packages, modules, test helpers)."""
    installed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    """What reading the declarations has to tell the user (a missing included file)."""
    sourced: frozenset[str] = frozenset()
    """Requirements ``[tool.uv.sources]`` takes from a workspace member, a folder, git or a URL
    (canonical names): code no table knows, whose own requirements may bring anything."""
    uv_fixed: frozenset[str] = frozenset()
    """Requirements every ``[tool.uv.sources]`` entry of which installs the same code until the
    project changes (a workspace member, a folder, a file URL, a git commit or tag; canonical
    names): ``uv`` takes them from no package index, so no release reaches them (APT301)."""
    uv_constraints: tuple[str, ...] = ()
    """The requirements of the root ``pyproject.toml``'s ``[tool.uv] constraint-dependencies``
    and ``override-dependencies``, as written: uv applies them to every resolution of the
    project's dependencies, extras and groups, so their bounds hold there (DV1, APT301)."""
    rejected_files: frozenset[str] = frozenset()
    """Requirements files (project-relative paths) holding a line that pip rejects, neither a
    requirement, an option, a URL nor a path (a docstring, a shell command pasted in):
    ``pip install -r`` stops at it and installs nothing of the file (BY3, APT301)."""
    constraint_files: frozenset[str] = frozenset()
    """Requirements files (project-relative paths) named for constraints that a requirements
    file names only with ``-c``/``--constraint``: pip constraints, which bound what something
    else requires and install nothing themselves (DC1, APT301;
    ``Declarations.constraints_only``)."""
    locked: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """What the project's lock file (``uv.lock``, ``poetry.lock``) records each locked
    distribution as requiring (canonical names; BC1): a declared requirement no table knows
    may bring what the tests import, and the lock says what it brought."""
    python_requires: str = ""
    """The Pythons the project says it supports, as a specifier (``[project]
    requires-python``, ``python_requires`` of ``setup.cfg``/``setup.py``); "" when none says:
    a requirement under a marker none of them meets is never installed (BK3, APT301)."""
    installs_project: frozenset[str] = frozenset()
    """Sections (tox environments) that install the project itself, with its runtime
    requirements, in a pip call after their own ``deps``: a bare line of such a section gets the
    runtime's bound on the same distribution (DT1, APT301)."""
    unknown_constraints: frozenset[str] = frozenset()
    """Sections (tox environments) whose pip call takes constraints the lint cannot read (a
    ``constraints`` setting or a ``-c`` deps line naming a URL or a ``{env:...}``
    substitution): any of their bare lines may be bounded there (EZ1, APT301)."""
    missing_path_folders: tuple[str, ...] = ()
    """Folders the suite's modules put on ``sys.path`` that the tree does not hold (AT2:
    ``sys.path.insert(0, "tools")`` in a sdist without ``tools/``): any import no table knows
    may be one of their modules, so APT104 names none as an undeclared distribution (APT102's
    message already offers to ship a module left out of the tree). So are the folders the build
    takes the project's packages from that the tree lacks (BO7: ``find_packages(where="src")``
    in a sdist without ``src/``)."""
    located_at_runtime: frozenset[str] = frozenset()
    """Top-level modules no table knows, imported in a test's body, that a project module
    outside the suite names in a string while it both extends ``sys.path`` and imports modules
    by name (BE1: a backend that finds an engine's checkout, puts it on ``sys.path`` and
    imports the engine's modules from it; ``lint.dependencies.located_at_runtime``): a test
    that imports one after that code ran finds it there, so no declaration is missing."""
    missing_private: frozenset[str] = frozenset()
    """Private top-level modules (``_util``) the suite imports that no file or folder of the
    project's tree is named after, in a tree that compiles nothing and whose build files name
    none of them (``lint.dependencies.missing_private_modules``): helpers of the suite that its
    sdist leaves out, which no distribution is named after. Also a repository folder the suite
    imports a module of by a dotted path (AW4: ``from examples.news_api.wrapper import C``), that
    the tree lacks and no declaration names: the repository's own, left out of the sdist. Also
    a package the build's discovery excludes by name (:attr:`excluded_packages`)."""
    missing_suite: frozenset[str] = frozenset()
    """Dotted modules of the suite's own folders that the suite imports and the tree does not
    hold (BI3: ``from tests.conftest import make_app`` in an sdist without the conftest;
    ``lint.dependencies.missing_suite_modules``): helpers its sdist leaves out."""
    packaged_suite: frozenset[tuple[str, str, str]] = frozenset()
    """Imports (suite file, module) by a bare name of a module inside the file's own package,
    with the name pytest imports that one as (BS3: ``globalvar`` of ``tianchi/test_gpu.py``,
    which is ``tianchi.globalvar``; ``lint.dependencies.packaged_suite_modules``): the project's
    own module under a name that fails collecting, no distribution."""
    excluded_packages: frozenset[str] = frozenset()
    """Top-level packages the build's package discovery leaves out by name (BI2:
    ``[tool.setuptools.packages.find] exclude = ["mcp_server*"]``): folders of the repository,
    which its sdist leaves out too (``lint.dependencies.excluded_packages``)."""
    sibling_helpers: frozenset[str] = frozenset()
    """Of :attr:`missing_private`, the bare names a suite module imports that a test module of
    the same folder, a folder with no ``__init__.py``, imports as its sibling (FC1: compel's
    ``from .prompting_test_utils import ...`` beside ``from prompting_test_utils import ...``):
    the suite's own helper module, which its sdist leaves out."""
    runtime_installed: Deferred[frozenset[str]] = field(default_factory=lambda: Deferred(frozenset))
    """BG2: canonical names of the distributions the project's own modules list for pip to
    install when they run (``deps_pip = ["asyncpg"]``): see ``runtime_installed`` in
    ``lint/dependencies.py``. Read from the whole tree only when a finding depends on it."""

    def any_own(self, origins: Iterable[str]) -> bool:
        """Whether one of these import origins (a top-level module, "." for a relative import)
        is the project's own: a module a rule may not have read (a helper, a base class)."""
        return any(origin == "." or origin in self.first_party for origin in origins)


@dataclass(frozen=True)
class PytestConfig:
    """The suite's pytest configuration file as written, for the startup rules (APT4xx)."""

    path: str = ""
    """Project-relative path of the file that holds it ("" when there is none)."""
    ini: Mapping[str, Any] = field(default_factory=dict)
    """Key -> value as the file gives it (strings from ini files, TOML types from pyproject)."""
    lines: tuple[str, ...] = ()
    """The file's lines, to point a finding at the option or key that breaks the start."""


@dataclass(frozen=True)
class ProjectModel:
    """The project as pytest and packaging see it, for project-wide rules."""

    import_mode: str
    """``prepend``, ``append`` or ``importlib``, from ``addopts``."""
    python_files: frozenset[str]
    """Every ``.py`` file under the collected folders, project-relative, to resolve imports."""
    package_dirs: frozenset[str]
    """Folders holding an ``__init__.py`` whose name is an identifier ("" is the root)."""
    sys_path: tuple[str, ...]
    """Project folders on ``sys.path`` before collection starts (rootdir, ``pythonpath``)."""
    root_prefix: str = ""
    """Where the root sits below its outermost enclosing package's parent, as ``"pkg/"``, when
    the root folder is itself a package (``""`` otherwise): module names start there."""
    dependencies: DependencyModel = field(default_factory=DependencyModel)
    """Declared dependencies, the registry, first-party and installed import names."""
    pytest_config: PytestConfig = field(default_factory=PytestConfig)
    plugins: tuple[str, ...] = ()
    """Modules the pytest configuration loads (``-p NAME`` in ``addopts``): present whenever the
    suite runs, or it does not start."""
    required_plugins: tuple[str, ...] = ()
    """Requirements of pytest's ``required_plugins``: installed whenever the suite runs."""
    chains: Mapping[tuple[str, str, int], tuple[str, ...]] = field(default_factory=dict)
    """``(test file, module it imports at module level, line of the import) -> project files
    outside the suite that the import runs`` (package ``__init__`` files, then the module, and
    the submodules a ``from module import name`` imports): see ``lint/chains.py``."""
    chain_facts: Mapping[str, FileFacts] = field(default_factory=dict)
    """The facts of the files on those chains."""
    package_skips: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Package folder of the suite -> the modules its ``__init__.py`` ``importorskip``s in
    statements of its module body: pytest imports that file before any test module below it,
    so a missing one skips them all."""
    conftest_skips: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Folder -> the modules its ``conftest.py`` ``importorskip``s in statements of its module
    body: pytest loads it before any module below, in every import mode, and skips the folder
    when one is missing (ZD3)."""
    folder_names: Mapping[str, str] = field(default_factory=dict)
    """``"module:name"`` -> the project-relative folder that module binds the name to at its
    top level, computed from its own ``__file__`` (``root = Path(__file__).parent.parent`` of a
    ``tests/__init__.py``): only for the names changes' ``path_from`` asks, and only those
    computed for certain."""
    nested_projects: frozenset[str] = frozenset()
    """Folders below the root that are projects of their own (a ``setup.py``, or a
    ``pyproject.toml`` with a ``[project]``/``[build-system]`` table): an example shipped with
    its own declarations, whose tests run from there."""
    asyncio_mode_named: bool = False
    """Whether a command file (tox, nox, a ``Makefile``/``Justfile``, a CI workflow), the
    ``pyproject.toml``/``setup.cfg`` or a conftest of the project names pytest-asyncio's mode
    (``--asyncio-mode``, ``asyncio_mode``): the suite may run in auto mode however its
    configuration file reads. Worked out only for a suite with unmarked ``async def`` tests."""
    suite_python_files: frozenset[str] = frozenset()
    """Every ``.py`` file under the folders pytest collects by default: :attr:`python_files`
    when the run lints the whole suite, else found by walking them (BN2: which test modules
    the suite has, when ``apytest-lint tests`` lints a folder below the root; BN7: which
    modules the project has)."""
    unrequested_fixtures: frozenset[tuple[str, str]] = frozenset()
    """``(conftest, fixture)``: fixtures of a conftest that no file of the whole suite requests
    (``lint/fixture_requests.py``); the imports in their bodies never run."""
    cwd_managers: frozenset[str] = frozenset()
    """``"module:name"`` of :attr:`RelativeWriteFact.managers_from` that the project's own
    module defines as a context manager moving into a temporary folder it makes
    (``entered_managers.moves_into_temporary``, BO1)."""
    absent_folders: frozenset[str] = frozenset()
    """CD1: the folders of ``GlobalChangeFact.exists_guard`` that the project's tree does not
    hold (an sdist leaving a workspace member out, a path computed one level off): the
    guarded ``sys.path`` addition never runs there. FL3: also the paths of
    ``ProgramUseFact.skipped_unless`` (files or folders) the tree lacks: the test module skips
    itself there."""

    def in_nested_project(self, path: str) -> bool:
        """Whether a project-relative file lies in a project of its own below the root."""
        return any(path.startswith(folder + "/") for folder in self.nested_projects)


@dataclass(frozen=True)
class ProjectContext:
    """What a project rule sees: every file's facts in collection order, and the model."""

    files: Sequence[tuple[SourceFile, FileFacts]]
    model: ProjectModel
    options: Mapping[str, Any]
    package_inits: Sequence[tuple[SourceFile, FileFacts]] = ()
    """The suite's package ``__init__.py`` files (kind ``package``): not in ``files``, as
    nothing but their imports concerns the rules (pytest collects no test or fixture there)."""
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """What several project rules derive alike from this context, worked out once per run by
    the first that asks (``dependency_index.judged_imports``)."""

    @cached_property
    def _test_roots(self) -> frozenset[str]:
        """Top-level test folders that hold linted test modules or conftests."""
        return frozenset(
            root
            for source, _ in self.files
            if source.kind in ("test", "conftest")
            for root, sep, _ in [source.path.partition("/")]
            if sep and named_for_tests(root)
        )

    @cached_property
    def _skipping_hooks(self) -> tuple[tuple[SourceFile, frozenset[str]], ...]:
        """The conftests and plugin modules whose hooks skip or deselect tests by marker."""
        return tuple(
            (source, frozenset(facts.skipping_markers))
            for source, facts in self.files
            if facts.skipping_markers
        )

    @cached_property
    def _marking_hooks(self) -> tuple[tuple[SourceFile, tuple[PathMarkFact, ...]], ...]:
        """The conftests and plugin modules whose hooks mark tests by their path."""
        return tuple(
            (source, tuple(facts.path_marks)) for source, facts in self.files if facts.path_marks
        )

    def hook_marks(self, path: str) -> frozenset[str]:
        """The markers a collection hook of a conftest over ``path`` (or of a plugin module)
        adds to the test module at ``path`` by its path (BD2), as if written on its tests."""
        return frozenset(
            marker
            for where, marks in self._marking_hooks
            if where.covers(path)
            for mark in marks
            if mark.text in path
            for marker in mark.markers
        )

    def opted_in(self, path: str) -> frozenset[str]:
        """The markers whose tests a hook of a conftest over ``path`` (or of a plugin module)
        skips or deselects unless an option asks for them (``--release``, ``--gpu``): those
        tests do not run in a plain run, as those of a resource marker CI deselects."""
        return frozenset(
            m for where, names in self._skipping_hooks if where.covers(path) for m in names
        )

    def from_test_helpers(self, origins: Iterable[str]) -> bool:
        """Whether one of these import origins is a helper module of the suite itself: a
        relative import (".") or a top-level test folder that holds linted test modules or
        conftests (``tests.helpers``, ``testing.fixtures``). A project's shipped package is not,
        even with test modules inside (moto's ``mock_aws``, tested by its own suite): its
        decorators are what the tests exercise, not how they are run."""
        return any(origin == "." or origin in self._test_roots for origin in origins)


class Rule:
    """A lesson as code. Subclasses set the class attributes and ship their own examples.

    ``lesson`` is the anchor of the lesson in ``testing/failure_inventory.md`` (shipped, printed
    by ``apytest lesson ANCHOR``); the rule's
    docstring is its ``--explain`` text: what it finds, and why that breaks a suite.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    lesson: ClassVar[str]
    summary: ClassVar[str]
    default_enabled: ClassVar[bool] = True
    fixable: ClassVar[bool] = False
    """Whether ``--fix`` has a fix for its findings (one in ``rules.fixes.FIXES``): the ``[*]``
    marks and counts come from this fact alone, so a lint run without ``--fix``/``--diff`` never
    loads libcst. The fix may still decline a finding it cannot rewrite safely."""
    options: ClassVar[Mapping[str, Option]] = {}
    VALID: ClassVar[Sequence[Example]] = ()
    INVALID: ClassVar[Sequence[Example]] = ()

    @classmethod
    def lesson_reference(cls) -> str:
        return reference(cls.lesson)


Handler = Callable[[Any], None]


class FileVisitor:
    """Something the engine attaches to its one walk of a file.

    Define ``visit_<NodeType>(self, node)`` (and ``leave_<NodeType>``) methods; the engine calls
    them with ``self.ctx.ancestors`` holding the enclosing nodes.
    """

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx

    def handlers(self) -> Iterator[tuple[str, type[ast.AST], Handler]]:
        """Yield ``("visit"|"leave", node type, bound method)`` for the engine's dispatch."""
        for kind, node_type, attr in _handler_methods(type(self)):
            yield kind, node_type, getattr(self, attr)


_handler_methods_of: dict[type, tuple[tuple[str, type[ast.AST], str], ...]] = {}


def _handler_methods(visitor: type) -> tuple[tuple[str, type[ast.AST], str], ...]:
    """``(kind, node type, method name)`` of a visitor class: looked up once per class, not per
    file."""
    if visitor not in _handler_methods_of:
        found = []
        for attr in dir(visitor):
            kind, _, type_name = attr.partition("_")
            node_type = getattr(ast, type_name, None) if kind in ("visit", "leave") else None
            if isinstance(node_type, type) and issubclass(node_type, ast.AST):
                found.append((kind, node_type, attr))
        _handler_methods_of[visitor] = tuple(found)
    return _handler_methods_of[visitor]


class FileRule(Rule, FileVisitor):
    """A rule that looks at one file's syntax tree; it reports with ``self.report``."""

    triggers: ClassVar[frozenset[str] | None] = None
    """Texts of which a file must contain at least one for the rule to find anything in it
    (None: no such texts). The engine does not walk the rule over other files; the identifiers
    its findings need (``astutil.key_identifiers``) make this exact, not a guess."""

    def report(self, node: ast.AST | None, message: str) -> None:
        self.ctx.report(self.code, node, message)

    @classmethod
    def applies_to(cls, file: SourceFile) -> bool:
        """Which files the rule reads; by default tests, conftests and test plugins."""
        return file.kind not in ("package", "other")

    @classmethod
    def may_find(cls, source: str) -> bool:
        """Whether ``source`` holds one of the rule's ``triggers``."""
        return cls.triggers is None or any(text in source for text in cls.triggers)


class ParseFailureRule(Rule):
    """The rule that turns a file that cannot be read or parsed into a finding."""

    @classmethod
    def describe(cls, error: Exception) -> tuple[int, int, str]:
        """Return ``(line, col, message)`` for the read or parse error."""
        raise NotImplementedError


class ProjectRule(Rule):
    """A rule over the whole suite; it reads facts and the project model, never trees."""

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        raise NotImplementedError
