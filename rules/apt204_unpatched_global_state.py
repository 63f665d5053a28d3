"""APT204: test code changes process-global state that nothing puts back.

The rule decides at the end of the file (whether a change is harmless depends on a ``finally``
block, the code after a fixture's ``yield`` or a teardown method that restores it), then over
the whole suite (a conftest's autouse fixture or another file's context manager may undo it).
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from fnmatch import fnmatch

from apytest.rules.api import (
    DependencyModel,
    Example,
    FileContext,
    FileRule,
    Finding,
    GlobalChangeFact,
    ProjectContext,
    ProjectModel,
    ProjectRule,
    SourceFile,
    StateRestorerFact,
)
from apytest.rules.support.astutil import (
    CHDIR_FIXTURES,
    CLASS_SETUPS,
    CLASS_TEARDOWNS,
    FUNCTION_NODES,
    PER_TEST_SETUPS,
    PER_TEST_TEARDOWNS,
    SETUP_PAIRS,
    EnvironNames,
    FunctionNode,
    base_origins,
    called_name,
    class_lineage,
    decorator_origins,
    dotted_name,
    enclosing_class,
    fixture_decl,
    hands_off_monkeypatch,
    import_fallback_for,
    key_identifiers,
    marker_names,
    never_runs,
    parameter_names,
    pytestmark_markers,
    requested_fixtures,
    string_value,
    top_imports,
    within,
)
from apytest.rules.support.entered_managers import (
    class_entered_managers,
    class_entered_roots,
    managers_around_calls,
)
from apytest.rules.support.fake_filesystem import fakes_files
from apytest.rules.support.fixture_guards import fixture_guards
from apytest.rules.support.global_state import (
    CLEANUP_CALLS,
    CWD_SNAPSHOTS,
    ENVIRON,
    FAMILY_REMEDY,
    FIXTURE_SETUP,
    MONKEYPATCH_ENV,
    MONKEYPATCH_SAVES,
    PATCH_TARGETS,
    PYTESTER_RESTORES,
    PYTESTER_VARIABLES,
    RESTORING_SCOPES,
    SAME_FOLDER_CALLS,
    SAME_FOLDER_METHODS,
    Change,
    added_environ_keys,
    call_change,
    environ_change_name,
    environ_key,
    environ_key_name,
    environ_key_node,
    family_of,
    line_of,
    next_statement,
    only_if_present,
    patch_mentions,
    snapshot_family,
    statement_change,
)
from apytest.rules.support.startup import addopts, is_true, renames_tests
from apytest.rules.support.static_paths import (
    PathEvaluator,
    added_path_argument,
    existence_guarded_folders,
    imported_path_names,
    module_bindings,
    prepended_folder,
    working_folder,
)
from apytest.rules.support.stdlib_names import STDLIB_MODULES

MOCKER_FIXTURES = frozenset({"mocker", "class_mocker", "module_mocker"})
"""pytest-mock's fixtures whose patches are undone when their scope ends (not
``session_mocker``'s, or ``package_mocker``'s: those outlive a module)."""

PER_TEST_FOLDERS = frozenset({"tmp_path", "tmpdir"})
"""pytest's per-test temporary folders: new for each test, so on no ``sys.path`` before it."""


FORK_CALLS = frozenset({"os.fork", "os.forkpty", "pty.fork"})
"""Calls that return 0 in the child process they start, its pid in the parent (AU2)."""


def _fork_child_branch(test_of: ast.If) -> tuple[str, bool] | None:
    """``(name, in_body)`` when the ``if`` tells the child of a fork by ``name``: the body for
    ``name == 0``, ``0 == name`` and ``not name``; the ``else`` for ``name``, ``name != 0`` and
    ``name > 0``. None for any other test."""
    test = test_of.test
    if isinstance(test, ast.Name):
        return test.id, False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return (test.operand.id, True) if isinstance(test.operand, ast.Name) else None
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return None
    left, op, right = test.left, test.ops[0], test.comparators[0]
    if isinstance(left, ast.Constant) and isinstance(right, ast.Name):
        left, right = right, left
        op = {ast.Gt: ast.Lt(), ast.Lt: ast.Gt()}.get(type(op), op)
    if not (isinstance(left, ast.Name) and isinstance(right, ast.Constant) and right.value == 0):
        return None
    if isinstance(op, ast.Eq):
        return left.id, True
    if isinstance(op, ast.NotEq | ast.Gt):
        return left.id, False
    return None


DISTRIBUTION_RESTORERS: Mapping[str, str] = {"osc_lib.tests.utils.EnvFixture": "environ"}
"""ET1: fixtures-library fixtures of other distributions, by the dotted name they are imported
under, with the family their cleanup puts back whole: osc-lib's ``EnvFixture`` replaces
``os.environ`` in its ``_setUp`` and binds the one it replaced back in the cleanup it
registers (osc-lib's ``osc_lib/tests/utils.py``), so whatever a test does to the environment
after a per-test setup used it lands in the replacement."""

REGRTEST_SUPPORT = "test"
"""The top-level package of CPython's regression-test helpers (``test.support``), which suites
that copy CPython's tests import: its context managers (``import_helper.isolated_modules()``,
``os_helper.EnvironmentVarGuard()``, ``swap_item``) put back what changed in them (CL4). A
project's own ``test`` package is the project's (``any_own``) and is judged as such."""

CHILD_HOOKS = frozenset({"preexec_fn"})
"""Keywords of ``subprocess.Popen``/``run`` whose callable runs in the child process between
fork and exec (CL2)."""
EZ2_MODULE = (
    "import os\nimport unittest\n\n\nclass TestSignals(unittest.TestCase):\n"
    "    def setUp(self):\n        os.environ['HUB_TYPE'] = 'native'\n\n"
    "    @unittest.skip('needs a refactoring')\n    def test_signal(self):\n        pass\n{other}"
)
"""EZ2 (neutron): a ``setUp`` writing ``os.environ``; ``{other}`` may add a test that runs."""


def _in_child_hook(ancestors: Sequence[ast.AST]) -> bool:
    """Whether the change sits in a ``lambda`` handed to ``preexec_fn=`` (CL2: CPython's
    ``subprocess.Popen(..., preexec_fn=lambda: os.putenv("FRUIT", "apple"))``): the child
    process runs it before it execs, so the tests' process never sees the change."""
    return any(
        isinstance(outer, ast.keyword)
        and outer.arg in CHILD_HOOKS
        and index + 1 < len(ancestors)
        and isinstance(ancestors[index + 1], ast.Lambda)
        and ancestors[index + 1] is outer.value
        for index, outer in enumerate(ancestors)
    )


@dataclass
class _Change:
    node: ast.AST
    family: str
    owner: FunctionNode | None
    """The test code (outermost ``def``) that makes the change."""
    func: ast.AST | None
    """The innermost function around the change."""
    cls: ast.ClassDef | None
    reported: bool
    in_finally: bool = False
    """Whether the change sits in a ``finally`` block (it undoes an earlier one)."""
    managers: tuple[str, ...] = ()
    """The names of the calls of the ``with`` statements around the change."""
    key: str | None = None
    roots: tuple[str, ...] = ()
    """The names those calls are attributes of (``contexts`` for ``contexts.save_paths()``)."""
    """The environment variable an ``os.environ`` change names literally."""
    block: tuple[int, str] | None = None
    """The module-level block of statements the change is one of (``_module_block``)."""
    both_ways: int | None = None
    """For a change in a handler that catches everything (``_catch_all_undo``): the line of
    its ``try``, before which a change is undone whichever way the ``try`` ends."""
    fallback_for: tuple[str, ...] = ()
    """The modules whose failed import alone runs the change (``import_fallback_for``)."""


@dataclass(frozen=True)
class _Restorer:
    """A module- or class-level function that puts ``family`` back as it found it."""

    func: FunctionNode
    parent: ast.AST
    kind: str
    """``autouse`` (an autouse fixture) or ``manager`` (a ``@contextmanager``, or a class whose
    ``__exit__`` changes the family back: BA2)."""
    family: str
    manager: str = ""
    """The name a ``with`` calls it by, when not the function's own (a manager class's)."""

    @property
    def name(self) -> str:
        """What a ``with`` around a change calls: the function, or the manager class."""
        return self.manager or self.func.name


ENVIRON_OBJECT = "environ-object"
"""What a variable holds after ``old = os.environ``: the mapping itself, not a copy, so that
``os.environ = old`` binds the original back (a copy bound there would be a plain ``dict``
that no longer reaches the process environment)."""

ENVIRON_KEY_COPIES = "environ-key-copies"
"""What a dict of a function holds after ``saved[k] = os.environ.get(k)``: each key's value
from before, so that ``os.environ[k] = v`` in ``for k, v in saved.items():`` writes them back."""

SYS_PATH_OBJECT = "sys.path-object"
"""What a variable holds after ``p = sys.path``: the list itself, not a copy. Binding it back
(``sys.path = p``) is never a change of its own: it undoes a rebinding by other code
(``sys.path = [folder] + sys.path``) or binds the list that is there already; a change made
in place (``sys.path.insert``) shows in ``p`` too, and stays reported where it is made."""


ENVIRON_REMOVALS = ("pop", "unsetenv")
"""Calls that take one variable out of the environment: ``os.environ.pop(K)``,
``os.unsetenv(K)`` (after ``os.environ[K] = v``, either takes back what that added)."""


def _call_argument(value: ast.expr | None, function: str) -> ast.expr | None:
    """The first argument of ``value`` when it is a call of ``function`` (``importlib.util.
    function(arg)``, ``function(arg)``), else None."""
    if (
        isinstance(value, ast.Call)
        and (called_name(value) or "").rpartition(".")[2] == function
        and value.args
    ):
        return value.args[0]
    return None


def _leading_text(value: ast.expr | None) -> str | None:
    """The text a string built by ``+`` or an f-string starts with (``"released_treg_"`` of
    ``"released_treg_" + version.replace(".", "_")``, AZ5), else None."""
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        return _leading_text(value.left)
    if isinstance(value, ast.JoinedStr) and value.values:
        return string_value(value.values[0])
    return string_value(value)


def _recipe_block(
    scope: ast.Module | FunctionNode, ancestors: Sequence[ast.AST], node: ast.AST
) -> ast.AST | None:
    """The statement holding ``node``'s block when that is ``scope`` itself or an ``if`` in it
    (AX2: a fixture importing the file once, under ``if sys.modules.get(K) is None:``), else
    None: a loop or a ``try`` may run the recipe's statements apart."""
    inner = list(ancestors[ancestors.index(scope) + 1 :]) if scope in ancestors else []
    if any(not isinstance(a, ast.If) for a in inner):
        return None
    block = inner[-1] if inner else scope
    if isinstance(block, ast.If) and node not in block.body and node not in block.orelse:
        return None
    if not isinstance(block, ast.If) and node not in scope.body:
        return None
    return block


def _recipe_value(
    bindings: Mapping[str, ast.expr], block: ast.AST, node: ast.AST, name: str | ast.Attribute
) -> ast.expr | None:
    """What ``name`` holds at ``node``: its one binding in the scope, or else (AX2) the last
    plain assignment before ``node`` in ``node``'s own block with nothing after it rebinding
    ``name`` (``mod = sys.modules.get(K)`` earlier in the fixture is no longer its value).
    ``name`` may be an attribute of a name (BX3: ``cls.m``, a ``setUpClass`` keeping the
    module on its class), found only that second way."""
    if isinstance(name, str) and name in bindings:
        return bindings[name]
    wanted = ast.dump(ast.Name(name) if isinstance(name, str) else _plain(name))
    statements: list[ast.AST] = next(
        (v for _, v in ast.iter_fields(block) if isinstance(v, list) and node in v), []
    )
    for statement in reversed(statements[: statements.index(node)] if statements else []):
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name | ast.Attribute)
            and ast.dump(_plain(statement.targets[0])) == wanted
        ):
            return statement.value
        if any(
            isinstance(sub, ast.Name | ast.Attribute)
            and isinstance(sub.ctx, ast.Store)
            and ast.dump(_plain(sub)) == wanted
            for sub in ast.walk(statement)
        ):
            return None
    return None


def _removes_environ_key(node: ast.AST) -> bool:
    """Whether an environment change takes a variable out: ``del os.environ[K]``,
    ``os.environ.pop(K)``, ``os.unsetenv(K)``."""
    if isinstance(node, ast.Delete):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute | ast.Name)
        and (dotted_name(node.func) or "").rpartition(".")[2] in ENVIRON_REMOVALS
    )


def _plain(node: ast.expr) -> ast.expr:
    """A name or attribute chain rebuilt without its context (``cls.m`` read or written
    alike), for comparing."""
    if isinstance(node, ast.Name):
        return ast.Name(node.id)
    if isinstance(node, ast.Attribute):
        return ast.Attribute(_plain(node.value), node.attr)
    return node


def _recipe_exec(block: ast.AST, node: ast.AST) -> ast.Call | None:
    """The call that runs the recipe's module after the ``sys.modules[K] = m`` at ``node``:
    the statement right after it, or (BX2) the first statement of a ``try`` right after it
    (``try: spec.loader.exec_module(m) finally: sys.path.pop(0)``), past any ``sys.path``
    insertions between (each judged on its own). Else None."""
    following = next_statement(block, node)
    while (
        isinstance(following, ast.Expr)
        and isinstance(following.value, ast.Call)
        and dotted_name(following.value.func) in {"sys.path.insert", "sys.path.append"}
    ):
        following = next_statement(block, following)
    if isinstance(following, ast.Try) and following.body:
        following = following.body[0]
    call = following.value if isinstance(following, ast.Expr) else None
    return call if isinstance(call, ast.Call) else None


def _filtered_names(node: ast.expr) -> tuple[ast.expr, str, list[ast.expr]] | None:
    """For a comprehension that keeps some items of one iterable as they are (``[k for k in
    os.environ if k.startswith(P)]``): that iterable, the name of its items, and the tests that
    filter them (AZ3). None for anything else."""
    if not isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp):
        return None
    if len(node.generators) != 1:
        return None
    generator = node.generators[0]
    target = generator.target
    if generator.is_async or not isinstance(target, ast.Name):
        return None
    if not (isinstance(node.elt, ast.Name) and node.elt.id == target.id):
        return None
    return generator.iter, target.id, list(generator.ifs)


def _catches_all(handler: ast.ExceptHandler) -> bool:
    """Whether the handler runs for any exception: bare ``except:`` or ``except BaseException``
    (not ``except Exception``, which ``pytest.fail``'s and ``pytest.skip``'s outcomes pass)."""
    caught = handler.type
    return caught is None or (isinstance(caught, ast.Name) and caught.id == "BaseException")


def _removes(node: ast.AST) -> bool:
    """Whether an environment change removes a variable (``del``, ``pop``, ``unsetenv``)."""
    return isinstance(node, ast.Delete) or (
        isinstance(node, ast.Call)
        and (dotted_name(node.func) or "").rpartition(".")[2] in ENVIRON_REMOVALS
    )


def _both_ways(changes: Sequence[_Change]) -> bool:
    """Whether a fixture's changes after its ``yield`` put saved variables back both ways: a
    write-back for a variable that was set, and a removal for one that was not (httplib2's
    ``clean_env`` writes back only what was set: a variable a test adds stays)."""
    wrote = any(isinstance(c.node, ast.Assign) for c in changes)
    return wrote and any(_removes(c.node) for c in changes)


def _on_fake_files(change: _Change, module: ast.Module) -> bool:
    """An ``os.chdir`` under pyfakefs moves only its fake working directory
    (``fake_filesystem``)."""
    owner = change.owner
    if change.family != "cwd" or owner is None:
        return False
    requests = requested_fixtures(owner, change.cls, module)
    return "Patcher" in change.managers or fakes_files(owner, change.cls, requests, module)


def _run_chain(cls: ast.ClassDef, name: str, module: ast.Module) -> list[FunctionNode]:
    """The methods ``name`` (``setUp``) that unittest runs for a test of ``cls``: its own, and
    its base's when it defines none or its own calls ``super().setUp()``, through the bases the
    file defines (a ``Base(TestCase)`` whose setUp starts ``patch.dict(os.environ)`` for every
    test case deriving from it). A base the file does not define contributes nothing: what it
    runs is unknown here. Overridden without ``super()``, the base's method never runs (AM2)."""
    classes = {c.name: c for c in module.body if isinstance(c, ast.ClassDef)}
    chain: list[FunctionNode] = []
    pending, seen = [cls], {cls.name}
    while pending:
        current = pending.pop(0)
        own = next(
            (
                f
                for f in current.body
                if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and f.name == name
            ),
            None,
        )
        if own is not None:
            chain.append(own)
            if not _calls_super(own, name):
                continue
        for base in current.bases:
            local = classes.get(dotted_name(base) or "")
            if local is not None and local.name not in seen:
                seen.add(local.name)
                pending.append(local)
    return chain


def _calls_super(func: FunctionNode, name: str) -> bool:
    """Whether ``func`` calls ``super().name()``."""
    return any(
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == name
        and isinstance(call.func.value, ast.Call)
        and dotted_name(call.func.value.func) == "super"
        for call in ast.walk(func)
    )


def _in_test(owner: FunctionNode | None) -> bool:
    """Whether a change by ``owner`` happens inside one test: in the test itself or in a
    function-scoped fixture it requests (autouse fixtures of the same scope run first)."""
    if owner is None:
        return False
    decl = fixture_decl(owner)
    if decl is None:
        return owner.name.startswith("test")
    return decl.scope == "function" and not decl.surely_autouse


def _per_test_setup(owner: FunctionNode | None) -> bool:
    """Whether ``owner`` is an xunit setup run before each test (``setup_method``, ``setUp``,
    ``setup_function``): it runs inside the function-scoped fixtures of the nodes above the one
    that defines it, so that an autouse fixture of a conftest above (of the module, for a
    method) that restores the state after its ``yield`` undoes its change too (coverage.py's
    ``reset_sys_path``). Not one of its own node: pytest sets up the xunit fixture first."""
    return owner is not None and fixture_decl(owner) is None and owner.name in PER_TEST_SETUPS


def _at_start(owner: FunctionNode | None) -> bool:
    """Whether a change by ``owner`` is made for every test before it runs: at module level
    (owner None, before any test), or by an autouse fixture of any scope. A session-scoped one
    sets it once for all; a function-scoped one sets it again before each test, so every test
    starts from the same value whatever the one before it did (an ``autouse=`` expression may
    be true: precision first, it counts)."""
    if owner is None:
        return True
    decl = fixture_decl(owner)
    return decl is not None and decl.autouse


SUITE_FAMILIES = frozenset({"environ", "sys.path", "sys.modules"})
"""What a suite may set up for all its tests. Not the working directory: pytest reads paths
relative to it while it still collects."""


OTHER_TEST = {"tests/test_other.py": "def test_other():\n    pass\n"}
DJ1_CONFTEST = 'import os\n\nos.environ.setdefault("DEMO_URL", "http://127.0.0.1:8080")\n'
"""DJ1 (datadog-api-client): a conftest setting the environment when pytest imports it."""
DJ1_FILES = {
    "tests/test_client.py": "def test_client():\n    pass\n",
    "src/demo/__init__.py": "",
    "src/demo/model/synthetics_test.py": "class SyntheticsTest:\n    def test_it(self):\n"
    "        pass\n",
}
"""DJ1: a suite in ``tests/`` and a package module named like a test module, holding a test
method (FL2: were it none, no test would lie outside the conftest)."""
FL2_FILES = {
    **DJ1_FILES,
    "src/demo/model/synthetics_test.py": "class SyntheticsTest(Variable):\n"
    "    def formula(self):\n        pass\n",
}
"""FL2 (policyengine-uk): the package module named like a test module holds no test."""
EB1_TEST = """
import sys
from multiprocessing import Process, Queue


def test_import_without_sphinx():
    q = Queue()

    def func(q):
        sys.modules["sphinx"] = None
        import demo.app

        q.put(dir(demo.app))

    p = Process(target=func, args=(q,))
    p.start()
    p.join()
{after}"""
"""EB1 (pyodide-cli): a test handing a nested function to ``multiprocessing.Process`` as its
target; ``after`` may add lines to the test's body."""
DS1_TEST = """
import os

def test_default_data_dir():
    os.environ.pop("{variable}", None)
    assert data_dir()
"""
"""DS1 (nilearn): a test removes a variable a conftest's autouse fixture may monkeypatch."""
DS1_FILES = {
    "tests/datasets/conftest.py": """
import pytest


@pytest.fixture(autouse=True)
def temp_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DEMO_DATA", str(tmp_path))
""",
    **OTHER_TEST,
}
"""DS1: the conftest of the test's folder, whose autouse fixture monkeypatches ``DEMO_DATA``."""
"""An examples' second test module: a module-level change of a suite's only test module is its
configuration (see ``_suite_setting``), one of a module among others is reported."""
PREFIX_RESET_CONFTEST = """
import os

import pytest


@pytest.fixture(autouse=True)
def isolate_tests():
    for key in os.environ:
        if key.startswith("DEMO_CLI"):
            os.environ.pop(key)
"""
"""A conftest removing every variable of the prefix ``DEMO_CLI`` before each test (UB3)."""


PREFIXES_RESET_CONFTEST = """
import os

import pytest


@pytest.fixture(autouse=True)
def scrub_environment():
    prefixes = ("DEMO_", "XDG_")
    saved = {k: v for k, v in os.environ.items() if k.startswith(prefixes)}
    for name in [k for k in os.environ if k.startswith(prefixes)]:
        del os.environ[name]
    yield
    os.environ.update(saved)
"""
"""A conftest removing, before each test, every variable of two prefixes that a comprehension
picks (AZ3)."""


AZ5_TEST = """
import importlib.util
import sys
from pathlib import Path

import pytest

WHEELS = Path(__file__).parent / "wheels"


@pytest.mark.parametrize("version", ["0.16.0", "current"])
def test_released_cli(version):
    if version == "current":
        from demo import cli
    else:
        package = WHEELS / version / "demo"
        name = {prefix!r} + version.replace(".", "_")
        spec = importlib.util.spec_from_file_location(
            name, package / "__init__.py", submodule_search_locations=[str(package)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        cli = __import__(name + ".cli", fromlist=["cli"])
    assert cli.main
"""
"""AZ5: a test importing a released copy of the package by path, under a name it builds from
a prefix."""


CD1_CONFTEST = """
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for name in ("Pre_Processor", "Re_Formatter"):
    src = ROOT / name / "src"
    if src.exists() and str(src) not in sys.path:
        sys.path.insert(0, str(src))
"""
"""CD1's examples: a subfolder's conftest adding each component's ``src`` only where it exists
(``parents[1]`` of ``tests/benchmarks/conftest.py`` is ``tests/``)."""
CD1_FILES = {
    "tests/benchmarks/test_speed.py": "def test_speed():\n    pass\n",
    "tests/test_other.py": "def test_other():\n    pass\n",
}
"""CD1's examples: a benchmark beside the conftest and a test outside its folder."""


def _reset(key: str, resets: Set[str]) -> bool:
    """Whether a conftest's autouse fixture removes the variable ``key`` before each test:
    by its name (SC3), by a prefix it starts with (``"P*"``), or by a condition the lint
    cannot read (``"*"``, UB3)."""
    return (
        key in resets
        or "*" in resets
        or (bool(key) and any(p.endswith("*") and key.startswith(p[:-1]) for p in resets))
    )


def _suite_setting(
    file: SourceFile, change: GlobalChangeFact, tests: Sequence[str], model: ProjectModel
) -> bool:
    """The environment, ``sys.path`` or ``sys.modules`` as a conftest or plugin module sets it
    before any test runs (when imported, or in an autouse fixture of any scope: once for all,
    or again before each test), and every test linted lies below it: each test, in any order
    or selection, sees the same state
    (``os.environ["SQLALCHEMY_WARN_20"] = "true"``, ``sys.path.insert(0, "lib")``). That is the
    suite's configuration, not a change one test leaks into another. (A conftest of a subfolder
    changes it for the tests outside only when they run with its own: that stays reported.) So
    is a module-level change of the only test module linted (a one-file suite), also when it
    holds no test (FL2 counts none; tcwindprofile's script named ``test_*.py``): no test lies
    outside it to see the state only in some runs."""
    if not (change.at_start and change.family in SUITE_FAMILIES):
        return False
    if file.kind == "test" and change.module_level:
        return set(tests) <= {file.path} and _only_test_module(file.path, model)
    return file.kind in ("conftest", "plugin") and all(file.covers(test) for test in tests)


def _collected_tests(ctx: ProjectContext) -> list[str]:
    """The linted test modules a plain ``pytest`` collects: those under the folders it collects
    by default (``testpaths``), when that is known. A module pytest finds only when named on the
    command line is no test a conftest must lie above for its settings to be the suite's (DJ1:
    datadog-api-client's ``testpaths = tests`` and its package's model modules named
    ``*_test.py``)."""
    tests = [file.path for file, _ in ctx.files if file.kind == "test"]
    collected = ctx.model.suite_python_files
    tests = [path for path in tests if path in collected] if collected else tests
    config = ctx.model.pytest_config
    if renames_tests(config) or any(arg.startswith("--doctest") for arg in addopts(config)):
        return tests  # other names collected, or any module's docstrings: not sure
    # FL2: a module named like a test module that holds no test (policyengine-uk's variable
    # ``severe_disability_premium_before_non_dependant_test.py``) runs no test to see the state
    empty = {file.path for file, facts in ctx.files if file.kind == "test" and not facts.test_items}
    return [path for path in tests if path not in empty] if empty else tests


def _only_test_module(path: str, model: ProjectModel) -> bool:
    """Whether no other Python file of the suite pytest collects by default is named as pytest
    collects test modules (``python_files``, default ``test_*.py`` and ``*_test.py``). The
    suite's files, not the linted ones: one test file linted on its own
    (``apytest-lint tests/test_a.py``) need not be the suite's only one, and a one-file suite
    linted as ``apytest-lint tests`` is (BN2)."""
    configured = model.pytest_config.ini.get("python_files")
    if isinstance(configured, str):
        patterns = configured.split()
    elif isinstance(configured, list):
        patterns = [str(p) for p in configured]
    else:
        patterns = ["test_*.py", "*_test.py"]
    return not any(
        other != path and any(fnmatch(posixpath.basename(other), p) for p in patterns)
        for other in model.suite_python_files
    )


def _already_first(
    file: SourceFile,
    change: GlobalChangeFact,
    model: ProjectModel,
    conftests: Sequence[SourceFile] = (),
) -> bool:
    """A module's own addition of a folder pytest has already put first on ``sys.path``: one
    the ``pythonpath`` ini option names (inserted at the front when pytest starts, in any import
    mode: chardet's conftest adding ``scripts/`` under ``pythonpath = ["scripts"]``), or the
    folder that the default import mode has just put first to import the module (the parent of
    its outermost package). The entry is there already; the duplicate changes what no import
    finds. Under ``--import-mode=append`` the latter insert moves the folder first, under
    ``importlib`` it was not there: reported; with ``consider_namespace_packages`` pytest may put
    a folder higher up first: not sure. So is the folder the default import mode put on
    ``sys.path`` to import a conftest over the module (the root, for ``test/conftest.py`` in a
    package ``test/``), before it imported the module: the entry is there already, and the
    duplicate makes no import possible that was not. The module's functions (a fixture, a
    test) run after pytest imported it and the conftests over it, so the same holds for their
    additions (RW6: pyquery's ``docs/conftest.py`` fixture adding the root, whose conftest
    pytest imported first)."""
    if change.family != "sys.path" or change.added_path is None:
        return False
    if change.added_path in model.sys_path:
        return True
    if model.import_mode != "prepend":
        return False
    if is_true(model.pytest_config.ini.get("consider_namespace_packages", False)):
        return False
    sources = [file, *(c for c in conftests if c.kind == "conftest" and c.covers(file.path))]
    return any(
        folder is not None and "/".join(folder) == change.added_path
        for source in sources
        for folder in [prepended_folder(source.path, model.package_dirs)]
    )


def _reads_a_parameter(node: ast.expr, module: ast.Module) -> bool:
    """Whether ``node`` reads a name that some function of the module takes as a parameter:
    inside a function it may be that parameter, not the module's binding of the name."""
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    return any(isinstance(n, ast.arg) and n.arg in names for n in ast.walk(module))


def _to_rootdir(change: GlobalChangeFact, model: ProjectModel) -> bool:
    """A module-level ``os.chdir`` to the project's root, which is pytest's rootdir (where its
    configuration was found), worked out from ``__file__`` (``os.chdir(root)`` after ``from
    tests import root``, ``root = Path(__file__).parent.parent``): a run started there, as CI
    and tox start it, is still there; one started elsewhere moves to the folder whose relative
    paths the suite is written for. Not sure to break a later test: not reported. A move
    anywhere else, or to a folder not computed for certain, is."""
    if change.family != "cwd" or not change.module_level:
        return False
    folder = change.added_path
    if folder is None and change.path_from:
        folder = model.folder_names.get(change.path_from)
    return folder == ""


def _fixture_restores(
    restorer: StateRestorerFact,
    change: GlobalChangeFact,
    managers: Set[tuple[str, str]],
    model: DependencyModel,
) -> bool:
    """Whether a fixture's restore after its ``yield`` covers the change's family: its own (a
    copy written back, a ``patch``; or the removal of the very variable the change sets), or
    that of a context manager it yields in: one of the suite's ``@contextmanager``s that
    restores the family (``managers``: name and family), or one from the project's own
    modules, whose body is not read (hatch's ``EnvVars`` puts the whole environment back on
    exit)."""
    if restorer.keys:
        return change.family == restorer.family and change.key in restorer.keys
    family = change.family
    if not restorer.managers:
        return restorer.family == family
    if any((name, family) in managers for name in restorer.managers):
        return True
    return model.any_own(restorer.managers_from)


BW1_TEST = """
import os

from demo import settings
from tests.helpers import restored_env


def test_key_from_store():
    {first}
{indent}    settings.store_key("sk-test")
    del os.environ["DEMO_API_KEY"]
"""
"""BW1: pdf2mcq's test (``{first}`` the statement before the project's call; ``{indent}``
its body's extra indent)."""

BW1_HELPERS = """
import os
from contextlib import contextmanager


@contextmanager
def restored_env():
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
"""

BX2_TEST = """
import importlib.util
import sys
from pathlib import Path


def test_exported_bridge():
    path = Path(__file__).resolve().parents[1] / "bridge.py"
    spec = importlib.util.spec_from_file_location("bridge_behavior", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    {between}
    try:
        spec.loader.exec_module(mod)
    finally:
        sys.path.pop(0)
    assert mod.Bridge
"""
"""BX2: codex-telegram-bridge's test of an exported script, the recipe's ``exec_module`` in a
``try`` that takes the path back (``{between}`` the statement after the ``sys.modules``
entry)."""

BY2_TEST = """
import os

PREV_WORKING_DIR = ""


def setup_function(function):
    global PREV_WORKING_DIR
    PREV_WORKING_DIR = os.getcwd()


def teardown_function(function):
    os.chdir(PREV_WORKING_DIR)


{test}
"""
"""BY2: picorg's module, whose teardown_function goes back to the folder setup_function saved
(``{test}`` the test that changes it)."""

BO6_TEST = """
import sys

sys.path.insert(0, "tests")
from fixtures.forecasters import ScaledForecaster
"""
BO6_PYPROJECT = "[tool.pytest.ini_options]\npythonpath = [{folders}]\n"


BP1_TEST = """
import os
from pathlib import Path

import pytest
from click.testing import CliRunner


@pytest.fixture%s
def project():
    runner = CliRunner()
    with runner.isolated_filesystem() as td:
%s


def test_init(project):
    os.chdir(project)
"""
"""A fixture setting up a project in click's ``isolated_filesystem()`` (the given scope and
body), and a test moving into it (BP1: a CLI suite's ``initialized_project``)."""


TESTS_ROOT = "from pathlib import Path\n\nroot = Path(__file__).parent.parent\n"
"""A suite package binding the project root, computed from its ``__file__``."""

RESTORE_ENVIRON = """
import os
import pytest

@pytest.fixture(autouse=True)
def restore_environ():
    old = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(old)
"""
"""An examples' conftest whose autouse fixture snapshots ``os.environ`` and restores it."""
DY1_TEST = """
import os

from tests.support import _restore_env


def test_missing_database():
    old = {saved}
    try:
        os.environ.pop("DATABASE_URL", None)
        start_node()
    finally:
        _restore_env("DATABASE_URL", old)
"""
"""DY1 (luma-infra): a ``finally`` handing a helper the file does not define the variable's key
and the value ``old`` saved before the change."""

ENV_FIXTURE = """
import os

import fixtures
import testtools


class EnvFixture(fixtures.Fixture):
    def __init__(self, env=None):
        self.new_env = env or {}

    def _setUp(self):
        self.orig_env, os.environ = os.environ, self.new_env
        self.addCleanup(self.revert)

    def revert(self):
        os.environ = self.orig_env
"""
"""A fixtures-library fixture (osc-lib's) that replaces ``os.environ`` and, at its cleanup,
puts the one it replaced back."""
USES_ENV_FIXTURE = """

class TestOptions(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.useFixture(EnvFixture())

    def test_empty(self):
        os.environ = {}
"""
"""A test case whose setUp uses ``EnvFixture`` and whose test replaces ``os.environ``."""
OSC_LIB_ENV_FIXTURE = """
import os

import fixtures
import testtools
from osc_lib.tests import utils as osc_lib_test_utils


class TestShellTokenAuthEnv(testtools.TestCase):
    def setUp(self):
        super().setUp()
        env = {{"OS_TOKEN": "xyzpdq"}}
        self.useFixture({fixture})

    def test_empty_auth(self):
        os.environ = {{}}
        assert "OS_TOKEN" not in os.environ
"""
"""ET1: a test case whose setUp hands ``self.useFixture`` a fixture of another distribution
and whose test replaces ``os.environ``."""
RESTORE_SYS_PATH = """
import sys
import pytest

@pytest.fixture(autouse=True)
def reset_sys_path():
    saved = list(sys.path)
    yield
    sys.path[:] = saved
"""
"""An examples' conftest whose autouse fixture snapshots ``sys.path`` and restores it."""

RESTORING_FIXTURES = """
import os
from unittest import mock

import pytest

from demo.envvars import EnvVars


@pytest.fixture
def cache_env(tmp_path):
    with EnvVars({"DEMO_CACHE": str(tmp_path)}):
        yield tmp_path


@pytest.fixture
def patched_env():
    with mock.patch.dict(os.environ):
        yield


@pytest.fixture
def saved_env():
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def session_env():
    with mock.patch.dict(os.environ):
        yield
"""
"""An examples' conftest whose fixtures (requested, not autouse) put the environment back after
their ``yield``: in a context manager of the project's (hatch's ``EnvVars`` restores the whole
environment on exit, in a module apytest-lint does not read), under ``mock.patch.dict``, or by
writing back a copy; the session-scoped one only when the run ends."""

ENVVARS = """
import os


class EnvVars(dict):
    def __init__(self, env_vars=None):
        super().__init__(os.environ)
        self.old_env = dict(self)
        self.update(env_vars or {})

    def __enter__(self):
        os.environ.clear()
        os.environ.update(self)

    def __exit__(self, *exc):
        os.environ.clear()
        os.environ.update(self.old_env)
"""
"""The project's own context manager that the ``RESTORING_FIXTURES`` yield in."""

OS_ENV_CONTEXT = """
import os


class OSEnvContext:
    def __init__(self, **kwargs):
        self.env = {}
        self.kwargs = kwargs

    def __enter__(self):
        self.env = os.environ.copy()
        os.environ.update(self.kwargs)

    def __exit__(self, *_args):
        os.environ.clear()
        os.environ.update(self.env)
"""
"""A context manager of the project's (xpra's) that snapshots the environment on entry and
puts it back on exit: entered by a ``with``, an ``ExitStack`` or by hand (AK1, AK2)."""


AK2_DISPLAY = """\
import os
import unittest

from demo.env import OSEnvContext

class TestDisplay(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.env_context = OSEnvContext(GDK_BACKEND="x11")
        cls.env_context.__enter__()
        os.environ["DISPLAY"] = ":99"

    @classmethod
    def tearDownClass(cls):
        %s

    def test_display(self):
        assert os.environ["DISPLAY"] == ":99"
"""
"""A class whose setup enters a manager by hand, and the teardown given (AK2: xpra)."""


CG2_HOME_TEST = """\
import os
import tempfile
import unittest

import _fixtures as fx

class TestHome(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._home_cm = %s()
        cls.home = cls._home_cm.__enter__()
        os.environ["XDG_CONFIG_HOME"] = os.path.join(cls.home, "cfg")

    @classmethod
    def tearDownClass(cls):
        cls._home_cm.__exit__(None, None, None)

    def test_home(self):
        assert os.environ["XDG_CONFIG_HOME"].endswith("cfg")
"""
CG3_TEST = """\
import os

import pytest


@pytest.fixture(autouse=True)
def setup_project():
    orig_env = os.environ.get("DJANGO_SETTINGS_MODULE")
    os.environ["DJANGO_SETTINGS_MODULE"] = "testproj.settings"
    yield
    if orig_env is not None:
        os.environ["DJANGO_SETTINGS_MODULE"] = orig_env


def test_missing_env_var():
    %s
    with pytest.raises(LookupError):
        do_patch()
"""
"""CG3: the module's autouse fixture saves a variable before its ``yield`` and writes it back
after it when it was set (django-production); the test given changes that variable."""


"""CG2: a class whose setup enters by hand a manager of a helper module of the suite's,
reached through that module's name (actualis's ``fx.isolated_home()``)."""

CG2_FIXTURES = """\
import contextlib
import os
import tempfile
from pathlib import Path
from unittest import mock


@contextlib.contextmanager
def isolated_home():
    with tempfile.TemporaryDirectory() as td:
        with mock.patch.dict(os.environ, {"HOME": td}, clear=True):
            yield Path(td)
"""
"""The helper module: ``isolated_home`` puts the environment back on exit."""


_IMPORTS_THE_MODULE = {
    "pkg/__init__.py": "",
    "pkg/tests/__init__.py": "",
    "pkg/tests/test_deprecation.py": """
        def test_getattr():
            import pkg.tests.test_deprecated

            assert pkg.tests.test_deprecated.NAME is None
    """,
}
"""An examples' suite whose test imports ``pkg/tests/test_deprecated.py``, the example's module."""


def _monkeypatched_keys(func: FunctionNode) -> tuple[str, ...]:
    """The variables a fixture sets or removes through the ``monkeypatch`` it requests, named
    literally (VD4: ``monkeypatch.setenv("PHASE_ALIAS", "x")``) or by a constant
    (``environ_key_name``, AH1): monkeypatch remembers each one's value before its first change
    and writes that back when the test ends, so a test's own ``os.environ["PHASE_ALIAS"] = v``
    goes with that teardown too."""
    if "monkeypatch" not in parameter_names(func):
        return ()
    return tuple(
        sorted(
            {
                key
                for call in ast.walk(func)
                if isinstance(call, ast.Call)
                and (dotted_name(call.func) or "") in ("monkeypatch.setenv", "monkeypatch.delenv")
                and call.args
                and (key := environ_key_name(call.args[0]))
            }
        )
    )


def _environ_swapped_before(node: ast.AST, ancestors: Sequence[ast.AST]) -> bool:
    """BJ1: the change writes ``os.environ`` (spelled so, looked up when it runs) in a function
    that requests ``monkeypatch`` and, in a statement of its own body before it, replaced the
    mapping: ``monkeypatch.setattr(os, "environ", dict(os.environ))``. The write goes to the
    stand-in, and monkeypatch puts the real ``os.environ`` back when the test ends, whatever
    its outcome. ``os.putenv`` and a name bound by ``from os import environ`` still reach the
    real environment."""
    if not _spells_os_environ(node):
        return False
    func = next((a for a in reversed(ancestors) if isinstance(a, FUNCTION_NODES)), None)
    if not isinstance(func, FunctionNode) or "monkeypatch" not in parameter_names(func):
        return False
    return any(
        isinstance(statement, ast.Expr)
        and _swaps_environ(statement.value)
        and (statement.end_lineno or statement.lineno) < getattr(node, "lineno", 0)
        for statement in func.body
    )


def _spells_os_environ(node: ast.AST) -> bool:
    """Whether a change reaches the environment through the attribute ``os.environ`` itself:
    ``os.environ[K] = v``, ``del os.environ[K]``, ``os.environ.update(...)``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return dotted_name(node.func.value) == "os.environ"
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign | ast.Delete):
        targets = list(node.targets)
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    return bool(targets) and all(
        isinstance(t, ast.Subscript) and dotted_name(t.value) == "os.environ" for t in targets
    )


def _swaps_environ(call: ast.expr) -> bool:
    """``monkeypatch.setattr(os, "environ", value)`` or ``monkeypatch.setattr("os.environ",
    value)`` with a value other than ``os.environ`` itself."""
    if not isinstance(call, ast.Call) or dotted_name(call.func) != "monkeypatch.setattr":
        return False
    args = call.args
    if len(args) == 3 and dotted_name(args[0]) == "os" and string_value(args[1]) == "environ":
        value = args[2]
    elif len(args) == 2 and string_value(args[0]) == "os.environ":
        value = args[1]
    else:
        return False
    return dotted_name(value) != "os.environ"


def _patcher_name(node: ast.expr) -> str | None:
    """How a patcher is named: ``environment`` (a module's), ``self.env_patcher`` (a test
    case's); None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}" if node.value.id == "self" else None
    return None


KEYED_MAPPINGS: Mapping[str, frozenset[str]] = {
    "sys.modules": frozenset({"sys.modules"}),
    "environ": ENVIRON,
}
"""The families changed one key at a time, by the names code writes their mapping with."""

HANDING_METHODS = frozenset({"append", "add", "extend"})
"""The methods a test hands keys to a fixture's yielded list or set with."""


def _set_key(node: ast.AST) -> ast.expr | None:
    """``K`` of a change ``mapping[K] = value``."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        if isinstance(target, ast.Subscript):
            return target.slice
    return None


def _handed_keys(func: FunctionNode, name: str) -> list[str]:
    """The keys (as ``ast.dump`` spells them) that ``func`` hands the object ``name`` holds:
    ``name.append(K)``, ``name.add(K)``, ``name.extend([K, ...])``, ``name += [K, ...]``."""
    handed: list[ast.expr] = []
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func
            if dotted_name(method.value) == name and method.attr in HANDING_METHODS:
                if method.attr == "extend" and node.args:
                    handed += _displayed(node.args[0])
                else:
                    handed += node.args[:1]
        elif (
            isinstance(node, ast.AugAssign)
            and isinstance(node.op, ast.Add)
            and isinstance(node.target, ast.Name)
            and node.target.id == name
        ):
            handed += _displayed(node.value)
    return [ast.dump(key) for key in handed]


def _displayed(node: ast.expr) -> list[ast.expr]:
    """The items of a list, tuple or set display; none of anything else."""
    return list(node.elts) if isinstance(node, ast.List | ast.Tuple | ast.Set) else []


def _removes_yielded(fixture: FunctionNode, family: str) -> bool:
    """Whether a fixture yields a name (``yield added``) and, after that ``yield``, takes each
    item of it out of the family's mapping: ``for key in added:`` around
    ``sys.modules.pop(key, None)`` or ``del os.environ[key]``."""
    mappings = KEYED_MAPPINGS.get(family, frozenset())
    yielded = {
        (node.value.id, line_of(node))
        for node in ast.walk(fixture)
        if isinstance(node, ast.Yield) and isinstance(node.value, ast.Name)
    }
    for loop in ast.walk(fixture):
        if not (isinstance(loop, ast.For) and isinstance(loop.target, ast.Name)):
            continue
        over = dotted_name(loop.iter)
        if not any(over == name and line < line_of(loop) for name, line in yielded):
            continue
        for node in (n for statement in loop.body for n in ast.walk(statement)):
            if _removes_key(node, mappings, loop.target.id):
                return True
    return False


def _removes_key(node: ast.AST, mappings: frozenset[str], key: str) -> bool:
    """Whether ``node`` is ``mapping.pop(key, ...)`` or ``del mapping[key]``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
        first = node.args[0]
        return (
            node.func.attr == "pop"
            and dotted_name(node.func.value) in mappings
            and isinstance(first, ast.Name)
            and first.id == key
        )
    if isinstance(node, ast.Delete):
        return any(
            isinstance(t, ast.Subscript)
            and dotted_name(t.value) in mappings
            and isinstance(t.slice, ast.Name)
            and t.slice.id == key
            for t in node.targets
        )
    return False


BH2_TEST = """
import sys
import types

import pytest


@pytest.fixture
def extra_modules():
    added = []
    yield added
    for name in added:
        sys.modules.pop(name, None)


def test_resolves_from_fake_module(extra_modules):
    sys.modules["demo_plugins.fake"] = types.ModuleType("demo_plugins.fake")
    extra_modules.append("{handed}")
"""
"""BH2's examples: a fixture yielding a list whose keys it takes out of sys.modules after."""


def _modules_assignment(node: ast.AST) -> ast.Subscript | None:
    """The ``sys.modules[K]`` that ``node`` assigns alone (``sys.modules[K] = m``), or None."""
    if not isinstance(node, ast.Assign) or len(node.targets) != 1:
        return None
    target = node.targets[0]
    if isinstance(target, ast.Subscript) and dotted_name(target.value) == "sys.modules":
        return target
    return None


def _from_harness_package(ctx: ProjectContext, origins: Sequence[str]) -> bool:
    """Whether a test class's base comes from the package the project distributes (its import
    name is the project's name) and the linted suite lies outside that package: a test harness
    shipped for its users (beets' ``beets.test.helper``). A package holding the suite's own
    test modules (nose2's ``nose2.tests._common``, certbot's ``src/certbot/.../tests``) or a
    helper module beside the tests (luigi's ``helpers``) is the suite's, and read as such."""
    package = ctx.model.dependencies.project_name.replace("-", "_")  # canonical: lowercase, dashes
    if not package or package not in origins:
        return False
    inside = (f"{package}/", f"src/{package}/")
    return not any(
        source.path.startswith(inside)
        for source, _ in ctx.files
        if source.kind in ("test", "conftest")
    )


BF1_TEST = """
import sys

from demo.common import ensure_importable

def test_idempotent():
    before = list(sys.path)
    ensure_importable()
    for entry in ("/opt/engine", "/opt/assets"):
        if entry not in before {op} entry in sys.path:
            sys.path.remove(entry)
"""
"""BF1's examples: a test removing from ``sys.path`` the entries a copy taken before the code
ran lacks (``and``), or, the near miss, any of them (``or``)."""


EX1_TEST = """\
import os
import unittest

class TestMultiplexed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._original_env = %s

    @classmethod
    def tearDownClass(cls):
        os.environ.clear()
        os.environ.update(cls._original_env)

    def test_multiplexed(self):
        os.environ["DEMO_MULTIPLEXED"] = "true"
        assert os.environ["DEMO_MULTIPLEXED"] == "true"
"""
"""EX1 (google-cloud-spanner): a class whose ``setUpClass`` keeps what it is given (a copy of
the environment, or the near miss's empty dict) and whose ``tearDownClass`` writes it back."""


FB3_MODULE = """\
import os

import pytest


@pytest.fixture(scope="{scope}")
def workdir(tmp_path_factory):
    orig = os.getcwd()
    folder = tmp_path_factory.mktemp("work")
    yield folder
    os.chdir(orig)


@pytest.fixture(scope="module")
def molecule(workdir):
    os.chdir(workdir)
    return str(workdir)


def test_molecule(molecule):
    assert molecule
"""
"""FB3 (htpolynet): a module fixture's ``chdir`` into the folder of a fixture of ``{scope}``
that it requests, which writes the working directory back after its ``yield``."""


class UnpatchedGlobalState(FileRule, ProjectRule):
    """Test code changes the working directory, environment, ``sys.path`` or ``sys.modules``.

    Changes undone in a ``finally`` block, after a fixture's ``yield``, in a matching teardown
    method or by a registered finalizer are not reported, nor are a test's changes that an
    autouse fixture (of its class, module, or a conftest that applies) undoes by snapshotting
    the state and restoring it after its ``yield``, or that a fixture it requests (not
    session-scoped) undoes after its ``yield`` that way, under ``mock.patch.dict`` or in a
    context manager that restores the state, nor changes inside a ``with`` of a
    ``@contextmanager`` that restores the state in ``finally`` (or of a class whose ``__exit__``
    changes it back), nor a test method's change that
    its class's per-test teardown (its own, or a same-file base's) changes back (a module-level
    test function's: the module's ``teardown_function``), or that its class's once-per-class
    teardown writes back from a copy taken there or in ``setUpClass``/``setup_class`` (like a
    class-scoped autouse fixture), or a cleanup
    of a same-file fixture its per-test setup hands ``self.useFixture`` (the fixture's
    ``_setUp`` registering ``self.addCleanup(self.revert)``), nor an
    ``os.chdir`` in a test whose base class or decorator comes from the project's own modules,
    nor an ``os.environ["K"]`` change of a variable
    the test (or a fixture it requests) hands to ``monkeypatch.setenv``/``delenv``, by its
    literal name or by the same upper-case constant (``branding.BRAND_ENV_VAR``), nor anything
    in a test marked ``forked`` (it runs in a child process), nor a test's ``sys.modules[K]``
    or ``os.environ[K]`` that it hands ``K`` to the list a same-file fixture it requests yields
    (``added.append(K)``), when that fixture pops each key of the list after its ``yield``.
    The statement that undoes an
    earlier change of its function (``del os.environ[K]`` after ``os.environ[K] = v`` and the
    other way round, ``sys.path.remove`` after
    ``append``, the write-back of a copy; ``os.environ.pop(K)`` after a function defined in
    the test, such as a mock's side effect, set ``K``) is not reported: the change is. Nor is
    a second removal of a variable that the function already removed under the same ``with``s
    (``del os.environ[K]`` after ``os.environ.pop(K, None)`` and a call that set it again):
    the first removal is the leak. Nor is
    an ``os.chdir``
    after a ``monkeypatch.chdir`` of the test or of a fixture it requests, or a call handing
    that ``monkeypatch`` to a helper (monkeypatch restores the directory it saved first), or in
    a test requesting a function-scoped fixture that yields inside click's
    ``isolated_filesystem()`` or ``contextlib.chdir()`` (their exit goes back), nor a
    fixture's or xunit setup's removal of a variable only if it is there (a reset to a clean
    baseline). Reading is never reported; a local ``environ`` (a WSGI environ
    dict) is not ``os.environ``. Module-level changes run at import, so they are reported too,
    except the environment, ``sys.path`` or ``sys.modules`` as a conftest above every linted
    test that a plain ``pytest`` collects (under ``testpaths``), or a plugin module, sets it
    before any test runs (at module level or in an autouse
    fixture of any scope, also one whose ``autouse=`` is an expression): each test, in any
    order or selection, sees it alike (the suite's configuration, not a leak), and except a
    ``sys.path`` addition in the body of an ``if`` that holds only where the added folder
    exists (``if src.exists(): sys.path.insert(0, str(src))``) when the tree holds no such
    folder: it never runs there.

    The decision is made over the whole suite: a conftest's fixture or another file's context
    manager can undo what a test module changes.

    ## Why is this bad?
    These are process-wide: a change made by one test is still there for every test after it,
    on every xdist worker that ran it, and it is undone only by luck. Tests then pass alone and
    fail in a suite, or the reverse.

    ## Use instead
    ``monkeypatch`` (``chdir``, ``setenv``, ``delenv``, ``syspath_prepend``, ``setitem``) and
    ``mock.patch.dict`` undo the change after the test whatever its outcome.
    """

    code = "APT204"
    fixable = True
    name = "unpatched-global-state"
    lesson = "monkeypatch-isolation"
    summary = "os.chdir, os.environ, sys.path or sys.modules changed without monkeypatch"
    triggers = key_identifiers({"os.chdir", "os.putenv", "os.unsetenv", *ENVIRON}) | {
        "sys",
        *MONKEYPATCH_ENV,  # DS1: a conftest's autouse fixture that monkeypatches variables
    }
    """``sys`` is the name written in every ``sys.path`` and ``sys.modules`` change."""
    VALID = (
        Example(  # FM2: the test asserts the call set the variable, and its pop takes it out
            """
            import os

            from demo import supervisor

            def test_child_main():
                supervisor.child_exec_main()
                assert os.environ.pop("_DEMO_FORK_EXEC") == "1"
            """
        ),
        Example(  # EX1: tearDownClass writes back the copy setUpClass took of the environment
            EX1_TEST % "dict(os.environ)"
        ),
        Example(  # EZ2: the setUp of a TestCase whose every test is skipped without a condition
            # never runs (neutron's TestSignalHandling)
            EZ2_MODULE.format(other=""),
        ),
        Example(  # EB1: the nested function runs only in the child process Process starts
            EB1_TEST.format(after="")
        ),
        Example(  # DN1: pytester's monkeypatch set HOME first, and writes it back after the test
            """
            import os

            def test_home(pytester):
                os.environ["HOME"] = str(pytester.path / "home")
            """
        ),
        Example(  # CD1: added only where the folder exists, and the tree holds none of them
            CD1_CONFTEST, path="tests/benchmarks/conftest.py", files=CD1_FILES
        ),
        Example(  # CD1: the same through os.path, a test module's vendored folder left out
            """
            import os
            import sys

            VENDOR = os.path.join(os.path.dirname(__file__), "vendor")
            if os.path.isdir(VENDOR):
                sys.path.append(VENDOR)


            def test_vendored():
                pass
            """,
            files=OTHER_TEST,
        ),
        Example(  # BO6: a relative literal naming a folder the ini's pythonpath put first
            BO6_TEST,
            path="tests/test_panel/test_regression.py",
            files={
                "pyproject.toml": BO6_PYPROJECT.format(folders='"src", "tests"'),
                "tests/test_other.py": "def test_other():\n    pass\n",
            },
        ),
        Example(  # BP9: the store puts back the very module the import left under the key
            """
            import importlib
            import sys


            def test_menu():
                sys.modules["tkinter"] = importlib.import_module("tkinter")
            """,
        ),
        Example(  # BP1: the fixture yields in isolated_filesystem(), whose exit goes back after
            BP1_TEST % ("", "        yield Path(td)"),  # the test, wherever it moved
        ),
        Example(  # BJ1: monkeypatch first swaps os.environ for a copy, which the test then writes
            """
            import os


            def test_selection(monkeypatch):
                monkeypatch.setattr(os, "environ", dict(os.environ))
                os.environ.update({"DEMO_SESSION": "one"})
                for name in ("DEMO_CATALOG", "DEMO_STATUS"):
                    os.environ[name] = "ambient"
            """,
        ),
        Example(  # BH2: the test hands the key to the fixture that pops it after its yield
            BH2_TEST.format(handed="demo_plugins.fake"),
        ),
        Example(  # AZ5: a recipe whose entry's name starts with a prefix no module has
            AZ5_TEST.format(prefix="released_demo_"),
            files=OTHER_TEST,
        ),
        Example(  # AZ3: the autouse fixture removes every DEMO_ variable before each test
            """
            import os

            def test_audit(tmp_path):
                os.environ["DEMO_AUDIT_DB"] = str(tmp_path / "audit.db")
            """,
            files={"tests/conftest.py": PREFIXES_RESET_CONFTEST},
        ),
        Example(  # YB6: a repair that runs only once the working directory is gone
            """
            import os

            import pytest


            @pytest.fixture(autouse=True)
            def validate_cwd(request):
                try:
                    os.getcwd()
                except OSError:
                    os.chdir(request.config.rootpath)
            """,
            path="tests/conftest.py",
            files={"tests/test_a.py": "def test_a():\n    pass\n"},
        ),
        Example(
            """
            import os
            import pytest

            @pytest.fixture
            def tz_env():
                old = os.environ.get('USE_TZ')
                yield
                if old is None:
                    os.environ.pop('USE_TZ', None)
                else:
                    os.environ['USE_TZ'] = old

            def test_utc(tz_env):
                os.environ['USE_TZ'] = 'True'
            """
        ),
        Example(  # AL3: a dict comprehension keeps each variable's value; after the yield set
            # back or removed by the module's autouse fixture
            """
            import os
            import pytest

            @pytest.fixture(autouse=True)
            def _isolate_env():
                keys = ("DEMO_ENDPOINT", "DEMO_NO_MIRROR")
                saved = {k: os.environ.get(k) for k in keys}
                for k in keys:
                    os.environ.pop(k, None)
                yield
                for k, v in saved.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v

            def test_endpoint():
                os.environ["DEMO_ENDPOINT"] = "https://mirror.example"
            """
        ),
        Example(  # RZ5: a dict keeps each variable's value; after the yield set back or removed
            """
            import os
            import pytest

            @pytest.fixture
            def clean_environment():
                backups = {}
                for var in ['DEMO_DEPTH']:
                    backups[var] = os.environ.get(var)
                    if backups[var]:
                        del os.environ[var]
                yield
                for var in backups:
                    if backups[var]:
                        os.environ[var] = backups[var]
                    elif os.environ.get(var):
                        del os.environ[var]

            def test_depth(clean_environment):
                os.environ['DEMO_DEPTH'] = '0'
            """
        ),
        Example(
            """
            import os
            import unittest
            from os import environ

            import pytest


            class Examples(unittest.TestCase):
                @unittest.skip("needs IAM credentials")  # never runs, under unittest or pytest
                def test_iam(self):
                    environ.setdefault("MONGODB_URI", "localhost")


            @unittest.skipIf(True, "switched off")
            class Disabled(unittest.TestCase):
                def setUp(self):
                    os.chdir("/")


            @pytest.mark.skip(reason="never runs")
            def test_skipped():
                os.environ["FOO"] = "1"


            @pytest.mark.skipif(1, reason="switched off")
            def test_off():
                os.environ["BAR"] = "1"
            """
        ),
        Example(
            """
            import os

            import pytest

            pytestmark = [pytest.mark.skip(reason="not ported yet")]


            def test_env():
                os.environ["FOO"] = "1"
            """
        ),
        Example(
            """
            import os

            def test_fake_tree(fs):  # pyfakefs: a file system and working directory in memory
                fs.create_dir('/data')
                os.chdir('/data')
            """
        ),
        Example(
            """
            import os

            def test_env(monkeypatch, tmp_path):
                monkeypatch.setenv('A', '1')
                monkeypatch.chdir(tmp_path)
                assert os.environ['A'] == '1'
            """
        ),
        Example(
            """
            import os
            from unittest import mock

            def test_env():
                with mock.patch.dict(os.environ, {'A': '1'}):
                    os.environ['B'] = '2'
            """
        ),
        Example(
            """
            import os
            import pytest

            @pytest.fixture
            def in_tmp(tmp_path):
                old = os.getcwd()
                os.chdir(tmp_path)
                yield tmp_path
                os.chdir(old)
            """
        ),
        Example(
            """
            import sys

            def test_path():
                sys.path.insert(0, 'x')
                try:
                    pass
                finally:
                    sys.path.remove('x')
            """
        ),
        Example(
            """
            import sys

            def test_import_package():
                sys.path.insert(0, 'data')
                try:
                    import package
                finally:
                    del sys.path[0]  # as sys.path.pop(0)
            """
        ),
        Example(  # SC3: a conftest above every test removes it before each one
            """
            import os

            def test_default_config(tmp_path):
                os.environ["DEMO_CONFIG_PATH"] = str(tmp_path)
                assert load_config()
            """,
            files={
                "tests/conftest.py": """
                    import os

                    import pytest


                    @pytest.fixture(autouse=True)
                    def _unset_config_path():
                        os.environ.pop("DEMO_CONFIG_PATH", None)
                    """,
                **OTHER_TEST,
            },
        ),
        Example(  # DJ1: with testpaths, pytest never collects the package's model module named
            # *_test.py, so the conftest lies above every test it collects (datadog-api-client)
            DJ1_CONFTEST,
            path="tests/conftest.py",
            files={**DJ1_FILES, "pytest.ini": "[pytest]\ntestpaths = tests\n"},
        ),
        Example(  # FL2: without testpaths pytest collects src/ too, but the module there
            # named like a test module holds no test: every test lies below the conftest
            DJ1_CONFTEST,
            path="tests/conftest.py",
            files=FL2_FILES,
        ),
        Example(  # DS1: a subfolder conftest's autouse monkeypatch puts the variable back
            DS1_TEST.format(variable="DEMO_DATA"),
            path="tests/datasets/test_utils.py",
            files=DS1_FILES,
        ),
        Example(  # UB3: the conftest removes every variable with the prefix before each test
            """
            import os

            def test_env_var_config():
                os.environ["DEMO_CLI_TOKEN"] = "other"
            """,
            files={
                "tests/conftest.py": PREFIX_RESET_CONFTEST,
                **OTHER_TEST,
            },
        ),
        Example(  # UB3: a prefix the lint cannot read (the project's setting) may be any
            """
            import os

            def test_env_var_config():
                os.environ["DEMO_CLI_TOKEN"] = "other"
            """,
            files={
                "tests/conftest.py": """
                    import os

                    import pytest

                    from demo import settings


                    @pytest.fixture(autouse=True)
                    def isolate_tests():
                        for key in list(os.environ):
                            if key.startswith(settings.ENV_PREFIX):
                                del os.environ[key]
                    """,
                **OTHER_TEST,
            },
        ),
        Example(  # SC2: back at the end of the try, and in a handler catching everything
            """
            import os

            def test_git_in_docs_dir(tmp_path):
                cwd = os.getcwd()
                os.chdir(tmp_path / "docs")
                try:
                    commit("page.md")
                    os.chdir(cwd)
                except:
                    os.chdir(cwd)
                    raise
            """
        ),
        Example(
            """
            import sys

            from .helpers import fake_home, run_init_hook

            def test_init_hook(tmp_path):
                with fake_home() as home:
                    run_init_hook(f"import sys; sys.path.append({home!r})")
                    sys.path.remove(home)  # what the code under test appended
                run_init_hook(f"import sys; sys.path.append({str(tmp_path)!r})")
                sys.path.remove(str(tmp_path))  # new for this test: not the session's
            """
        ),
        Example(  # AK1: a function of the test called only inside the project's manager
            """
            import os

            from demo.env import OSEnvContext

            def test_start_dbus():
                def rm():
                    os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
                with OSEnvContext():
                    rm()
                    assert not os.environ.get("DBUS_SESSION_BUS_ADDRESS")
            """,
            files={"src/demo/env.py": OS_ENV_CONTEXT},
        ),
        Example(  # BZ2: a function of the test handed to an executor's submit, the executor's
            # with (which waits for it) inside the project's manager
            """
            import os
            from concurrent.futures import ThreadPoolExecutor

            from demo.env import OSEnvContext

            def test_start_dbus():
                def rm():
                    os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
                with OSEnvContext():
                    with ThreadPoolExecutor(max_workers=2) as executor:
                        future = executor.submit(rm)
                        future.result(timeout=5)
            """,
            files={"src/demo/env.py": OS_ENV_CONTEXT},
        ),
        Example(  # AK2: entered by hand in setUpClass, exited in tearDownClass
            AK2_DISPLAY % "cls.env_context.__exit__()",
            files={"src/demo/env.py": OS_ENV_CONTEXT},
        ),
        Example(  # CG3: the test removes a variable the module's autouse fixture saved
            # before its yield and writes back after it when it was set: absent again otherwise
            CG3_TEST % 'del os.environ["DJANGO_SETTINGS_MODULE"]',
        ),
        Example(  # CG2: a helper module's manager, entered by hand in setUpClass as
            # ``fx.isolated_home()`` and exited in tearDownClass, puts the environment back
            CG2_HOME_TEST % "fx.isolated_home",
            files={"tests/_fixtures.py": CG2_FIXTURES},
        ),
        Example(  # AK2: entered through an ExitStack in setUpClass, closed in tearDownClass
            """
            import os
            import unittest
            from contextlib import ExitStack

            from demo.env import OSEnvContext

            class TestStack(unittest.TestCase):
                @classmethod
                def setUpClass(cls):
                    cls.stack = ExitStack()
                    cls.stack.enter_context(OSEnvContext())
                    os.environ["DISPLAY"] = ":98"

                @classmethod
                def tearDownClass(cls):
                    cls.stack.close()

                def setUp(self):
                    os.environ["DISPLAY"] = ":98"  # a test before may have changed it

                def test_display(self):
                    assert os.environ["DISPLAY"] == ":98"
            """,
            files={"src/demo/env.py": OS_ENV_CONTEXT},
        ),
        Example(  # BF1: only entries missing from a copy taken before the code ran
            BF1_TEST.format(op="and")
        ),
        Example(  # AK3: the folder under a name the test binds once from its tmp_path
            """
            import sys

            from demo.site import append_site_packages

            def test_append(tmp_path):
                path = str(tmp_path.resolve())
                assert append_site_packages(path) == [path]
                sys.path.remove(path)  # what the code under test appended
            """
        ),
        Example(
            """
            def test_wsgi(app):
                environ = {'PATH_INFO': '/'}
                environ['PATH_INFO'] = '/x'
                environ.update(QUERY_STRING='')
            """
        ),
        Example(
            """
            import os

            def test_env():
                os.environ['DEBUG'] = '1'
            """,
            files={"tests/conftest.py": RESTORE_ENVIRON},
        ),
        Example(
            """
            import os

            os.environ["SQLALCHEMY_WARN_20"] = "true"
            """,
            path="tests/conftest.py",
            files={"tests/unit/test_a.py": "def test_a():\n    pass\n"},
        ),
        Example(
            """
            import os
            from contextlib import contextmanager

            @contextmanager
            def modified_environ(**values):
                old = dict(os.environ)
                os.environ.update(values)
                try:
                    yield
                finally:
                    os.environ.clear()
                    os.environ.update(old)

            def test_env():
                with modified_environ(A='1'):
                    os.environ['B'] = '2'
            """
        ),
        Example(
            """
            import os

            def test_switch_dir(workdirs):
                first, second = workdirs
                os.chdir(second)
            """,
            files={
                "tests/conftest.py": (
                    "import pytest\n\n\n@pytest.fixture\ndef workdirs(tmp_path, monkeypatch):\n"
                    "    monkeypatch.chdir(tmp_path)\n"
                    "    return tmp_path / 'a', tmp_path / 'b'\n"
                )
            },
        ),
        Example(
            """
            import os
            import pytest

            @pytest.fixture(autouse=True)
            def in_tmp(tmp_path, monkeypatch):
                monkeypatch.chdir(tmp_path)

            def test_sub(tmp_path, monkeypatch):
                os.chdir(tmp_path / 'sub')

            def test_own(tmp_path, monkeypatch):
                monkeypatch.chdir(tmp_path)
                os.chdir(tmp_path / 'sub')
            """
        ),
        Example(
            """
            import os
            import pytest

            @pytest.fixture(autouse=True)
            def reset():
                os.environ.pop('DEMO_OUTPUT', None)
                try:
                    del os.environ['DEMO_CACHE']
                except KeyError:
                    pass
                if 'DEMO_HOME' in os.environ:
                    del os.environ['DEMO_HOME']
            """
        ),
        Example(
            """
            import os
            import pytest


            def test_project_manager(cache_env):
                os.environ["DEMO_REPO"] = "x"
                del os.environ["DEMO_CACHE"]


            def test_patch_dict(patched_env):
                os.environ["DEMO_REPO"] = "x"


            @pytest.mark.usefixtures("saved_env")
            def test_saved_copy():
                os.environ["DEMO_REPO"] = "x"


            @pytest.fixture
            def repo_env(saved_env):
                os.environ["DEMO_REPO"] = "x"
            """,
            files={"tests/conftest.py": RESTORING_FIXTURES, "src/demo/envvars.py": ENVVARS},
        ),
        Example(  # RU8: the fixture starts a patch.dict of os.environ and stops it after
            """
            import os
            from unittest import mock

            import pytest


            @pytest.fixture
            def environ():
                patcher = mock.patch.dict(os.environ, clear=True)
                yield patcher.start()
                patcher.stop()


            def test_cache_dir_from_env(environ):
                os.environ["XDG_CACHE_HOME"] = "/foo/bar"
            """
        ),
        Example(  # RU3: the package's own test harness class may patch the environment
            """
            import os

            from demo.testing import HarnessCase


            class ConfigTest(HarnessCase):
                def setUp(self):
                    super().setUp()
                    del os.environ["DEMO_DIR"]

                def test_editor(self):
                    os.environ["EDITOR"] = "myeditor"
            """,
            files={
                "pyproject.toml": '[project]\nname = "demo"\n',
                "src/demo/__init__.py": "",
                "src/demo/testing.py": "class HarnessCase:\n    pass\n",
            },
        ),
        Example(  # ``p`` is the list itself: binding it back undoes the helper's rebinding
            """
            import sys

            from demo.extract import parse_spec


            def test_parse_spec():
                p = sys.path
                assert parse_spec("demo.py") == "demo"  # rebinds sys.path to a new list
                sys.path = p
            """
        ),
        Example(  # the variable's own value from a copy of the whole environment, written back
            """
            import os
            from unittest import TestCase


            class TestPandoc(TestCase):
                def __init__(self, *args, **kwargs):
                    super().__init__(*args, **kwargs)
                    self.original_env = os.environ.copy()

                def test_path_back(self):
                    os.environ["PATH"] = self.original_env["PATH"]


            def test_local_copy():
                env = dict(os.environ)
                os.environ["HOME"] = env["HOME"]
            """
        ),
        Example(  # UB1: the per-test teardown calls a method of the class that pops it
            """
            import os
            import unittest


            class CredentialsTest(unittest.TestCase):
                def tearDown(self):
                    self.reset_env("SERVER_SOFTWARE")

                def reset_env(self, env):
                    os.environ.pop(env, None)

                def test_caching(self):
                    os.environ["SERVER_SOFTWARE"] = "Development/XYZ"
            """
        ),
        Example(  # TB5: a test case's patch.dict, started in setUp and stopped in tearDown
            """
            import os
            import unittest
            from unittest.mock import patch


            class EnvSourceTest(unittest.TestCase):
                def setUp(self):
                    self.env_patcher = patch.dict("os.environ", {})
                    self.env_patcher.start()

                def tearDown(self):
                    self.env_patcher.stop()

                def test_prefix(self):
                    os.environ["TEST_FOO"] = "a"
            """
        ),
        Example(  # VD4: the module's autouse fixture monkeypatched the same variable first
            """
            import os

            import pytest


            @pytest.fixture(autouse=True)
            def poisoned_phase(monkeypatch):
                monkeypatch.setenv("PHASE_ALIAS", "ENV-NOT-AN-IDENTITY")


            def test_state_alias():
                os.environ["PHASE_ALIAS"] = "STATE"  # monkeypatch writes back the original
            """,
            files=OTHER_TEST,
        ),
        Example(  # AH1: a requested fixture monkeypatched the variable a constant names
            """
            import os

            import pytest

            from demo import branding


            @pytest.fixture
            def alt_brand(monkeypatch):
                monkeypatch.setenv(branding.BRAND_ENV_VAR, "alt")


            def test_default_brand(alt_brand):
                os.environ.pop(branding.BRAND_ENV_VAR)  # monkeypatch puts it back
            """,
            files=OTHER_TEST,
        ),
        Example(  # AH1: the test monkeypatched the variable a constant names first
            """
            import os

            BRAND_ENV_VAR = "DEMO_BRAND"


            def test_default_brand(monkeypatch):
                monkeypatch.setenv(BRAND_ENV_VAR, "alt")
                del os.environ[BRAND_ENV_VAR]
            """,
            files=OTHER_TEST,
        ),
        Example(  # YA2: a fixture the setUp uses puts back, at its cleanup, what it replaced
            ENV_FIXTURE + USES_ENV_FIXTURE
        ),
        Example(  # ET1: osc-lib's EnvFixture, used in setUp, binds the replaced os.environ
            # back at its cleanup (python-openstackclient's test_shell.py)
            OSC_LIB_ENV_FIXTURE.format(fixture="osc_lib_test_utils.EnvFixture(env.copy())")
        ),
        Example(  # VD3: a test case's patch.dict, started in setUp, stopped by addCleanup
            """
            import os
            import unittest
            from unittest import mock


            class GuardTest(unittest.TestCase):
                def setUp(self):
                    env = mock.patch.dict(os.environ, {}, clear=False)
                    env.start()
                    self.addCleanup(env.stop)
                    os.environ.pop("APP_BYPASS", None)

                def test_bypass(self):
                    os.environ["APP_BYPASS"] = "1"
            """
        ),
        Example(  # AM2: the patch.dict is started by the setUp of a base class of the file
            """
            import os
            import unittest
            from unittest import mock


            class Base(unittest.TestCase):
                def setUp(self):
                    p = mock.patch.dict(os.environ, {}, clear=False)
                    p.start()
                    self.addCleanup(p.stop)


            class KeyTests(Base):
                def test_env_var(self):
                    os.environ["TOKEN"] = "x"


            class AdminTests(Base):
                def setUp(self):
                    super().setUp()
                    os.environ.pop("ADMIN_KEY", None)

                def test_admin_key(self):
                    os.environ["ADMIN_KEY"] = "y"
            """
        ),
        Example(  # a module's patch.dict started before each test and stopped after it
            """
            import os
            from unittest.mock import patch

            environment = patch.dict("os.environ")


            def setup_function():
                environment.start()
                os.environ["JUPYTER_PREFER_ENV_PATH"] = "no"


            def teardown_function():
                environment.stop()


            def test_prefer():
                os.environ.pop("JUPYTER_PREFER_ENV_PATH", None)
            """
        ),
        Example(  # FB3: a module fixture's chdir, put back by the module fixture it requests
            FB3_MODULE.format(scope="module")
        ),
        Example(  # a requested fixture copies the cwd and registers a finalizer writing it back
            """
            import os


            class TestLoader:
                def test_relative(self, restore_cwd):
                    os.chdir(os.path.dirname(__file__))
            """,
            files={
                "tests/conftest.py": (
                    "import os\nimport pytest\n\n\n@pytest.fixture\n"
                    "def restore_cwd(request):\n    previous = os.getcwd()\n\n"
                    "    def restore_cwd():\n        os.chdir(previous)\n\n"
                    "    request.addfinalizer(restore_cwd)\n"
                )
            },
        ),
        Example(
            """
            import os
            import sys
            import pytest

            @pytest.fixture
            def clean_state():
                environ, path = dict(os.environ), sys.path[:]
                yield
                os.environ.clear()
                os.environ.update(environ)
                sys.path[:] = path

            def test_env(clean_state):
                os.environ['DEBUG'] = '1'
                sys.path.insert(0, 'x')
            """
        ),
        Example(  # a fixture imported by name from another test module is this module's own
            """
            import os
            import pytest
            from .test_environment import with_environment

            @pytest.fixture
            def with_data_env(with_environment):
                yield

            def test_data_path(with_data_env):
                if "DATA" in os.environ:
                    del os.environ["DATA"]
            """,
            path="tests/test_data.py",
            files={
                "tests/__init__.py": "",
                "tests/test_environment.py": (
                    "import pytest\nfrom os import environ as env\n\n\n@pytest.fixture\n"
                    "def with_environment():\n    saved = env.copy()\n    yield\n"
                    "    for key in list(env):\n        if key not in saved:\n"
                    "            del env[key]\n    env.update(saved)\n"
                ),
            },
        ),
        Example(
            """
            import os

            def test_env():
                os.environ['DEBUG'] = '1'
            """,
            files={
                "tests/conftest.py": (
                    "import os\nfrom contextlib import contextmanager\n\nimport pytest\n\n\n"
                    "@contextmanager\ndef restored_environ():\n"
                    "    old = dict(os.environ)\n    try:\n        yield\n    finally:\n"
                    "        os.environ.clear()\n        os.environ.update(old)\n\n\n"
                    "@pytest.fixture(autouse=True)\ndef isolated():\n"
                    "    with restored_environ():\n        yield\n"
                )
            },
        ),
        Example(
            """
            import os
            import pytest

            @pytest.fixture(autouse=True)
            def config_file(tmp_path):
                path = tmp_path / "config.toml"
                os.environ["DEMO_CONFIG"] = str(path)
                return path
            """,
            path="tests/conftest.py",
            files={"tests/unit/test_a.py": "def test_a(config_file):\n    pass\n"},
        ),
        Example(
            """
            import os
            import pytest

            USE_LOCAL_SERVER = os.getenv("USE_LOCAL_SERVER", "").lower() == "true"

            @pytest.fixture(scope="session", autouse=USE_LOCAL_SERVER)
            def server_url():
                os.environ["DEMO_URL"] = "http://127.0.0.1:8080"
                return os.environ["DEMO_URL"]
            """,
            path="tests/conftest.py",
            files={"tests/test_a.py": "def test_a():\n    pass\n"},
        ),
        Example(
            """
            import os
            import unittest

            from .helpers import with_project


            class TestBuild(unittest.TestCase):
                @with_project()  # runs the test in click's isolated_filesystem()
                def test_subdir(self):
                    os.mkdir("sub")
                    os.chdir("sub")
            """
        ),
        Example(
            """
            import os

            from .helpers import enter_project


            def test_sub(tmp_path, monkeypatch):
                enter_project(tmp_path, monkeypatch)  # may monkeypatch.chdir(tmp_path)
                os.chdir("sub")
            """
        ),
        Example(
            """
            import sys

            from . import contexts


            def test_finder(tmp_path):
                with contexts.save_paths():  # a context manager of the suite's helper module
                    sys.path.append(str(tmp_path / "project2"))
            """
        ),
        Example(
            """
            import os
            import pathlib
            import tempfile
            import unittest


            class TestFunctional(unittest.TestCase):
                @classmethod
                def setUpClass(cls):
                    cls.startdir = os.getcwd()

                def test_skip(self):
                    os.chdir(self.startdir)  # back where setUpClass was: an undo, not a move


            class ConfigBase(unittest.TestCase):
                def setUp(self):
                    self.addCleanup(os.chdir, pathlib.Path.cwd())  # after every test
                    os.chdir(tempfile.mkdtemp())


            class TestConfig(ConfigBase):
                def test_env_cwd(self):
                    os.chdir(tempfile.mkdtemp())  # the base's cleanup goes back
            """
        ),
        Example(
            """
            import os
            import shutil
            import tempfile
            import unittest


            class InTmpMixin:
                def setUp(self):
                    self.olddir = os.getcwd()
                    os.chdir(tempfile.mkdtemp())

                def tearDown(self):
                    os.chdir(self.olddir)


            class TestGit(InTmpMixin, unittest.TestCase):
                def test_branch(self):
                    os.chdir("main")


            class ChangesBack:
                def tearDown(self):
                    os.chdir(self.olddir)


            class TestHg(ChangesBack, unittest.TestCase):
                def setUp(self):
                    self.olddir = os.getcwd()
                    os.chdir(tempfile.mkdtemp())
            """
        ),
        Example(
            """
            import os
            import unittest


            class TestConfFromEnv(unittest.TestCase):
                def setUp(self):
                    self.addCleanup(self._remove_config_key)  # runs after every test

                def _remove_config_key(self):
                    os.environ.pop("DEMO_CONFIG", None)

                def test_invalid_path(self):
                    os.environ["DEMO_CONFIG"] = "/"


            class TestSubclass(TestConfFromEnv):
                def test_valid_path(self):
                    os.environ["DEMO_CONFIG"] = __file__
            """
        ),
        Example(  # RX4: the setUp defines the cleanup itself and registers it
            """
            import os
            import unittest


            class TestEnvironment(unittest.TestCase):
                def setUp(self):
                    def cleanup():
                        for env in ("OS_FOO__BAR", "OS_FOO__BAZ"):
                            if env in os.environ:
                                del os.environ[env]

                    self.addCleanup(cleanup)

                def test_simple_environment_get(self):
                    os.environ["OS_FOO__BAR"] = "goodbye"
            """
        ),
        Example(
            """
            import os


            def setUpModule():
                try:
                    del os.environ["DEMO_ENCODING"]
                except KeyError:
                    pass


            def setup_function():
                os.environ.pop("DEMO_CACHE", None)
            """
        ),
        Example(
            """
            import sys
            import unittest
            from pathlib import Path

            if __name__ != "__main__":  # pytest imports it: the else runs only as a script
                raise unittest.SkipTest("run stand-alone to test the external converters")
            else:
                sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


            class Converters(unittest.TestCase):
                def test_convert(self):
                    sys.path.append("vendor")
            """
        ),
        Example(
            """
            import sys
            from pathlib import Path

            # pytest's default import mode has just put the folder above the outermost package
            # first on sys.path to import this module: the same folder again changes nothing
            ROOT = Path(__file__).resolve().parents[2]
            if str(ROOT) not in sys.path:
                sys.path.insert(0, str(ROOT))
            """,
            path="test/test_parsers/test_get_parser.py",
            files={"test/__init__.py": "", "test/test_parsers/__init__.py": ""},
        ),
        Example(  # RW6: the root conftest's import put the root on sys.path already
            """
            import os
            import sys

            import pytest


            @pytest.fixture
            def scrap_url():
                sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))
                yield "http://localhost"
            """,
            path="docs/conftest.py",
            files={"conftest.py": "", "docs/test_a.py": "def test_a(scrap_url):\n    pass\n"},
        ),
        Example(
            """
            import sys
            from pathlib import Path

            # pytest put scripts/ first when it started: the ini's pythonpath names it
            sys.path.insert(0, str(Path(__file__).parent.parent / "scripts"))
            """,
            files={"pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["scripts"]\n'},
        ),
        Example(
            """
            import os
            import sys

            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            """,
        ),
        # BB1: the module's own folder (tests/ holds no __init__.py), which pytest's prepend
        # mode has just put first, through an inline import of pathlib
        Example(
            """
            import sys

            sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
            """,
            files=OTHER_TEST,
        ),
        Example(
            """
            import os
            import pytest


            @pytest.fixture
            def cleanup_methods():
                yield
                if 'DEMO_METHODS' in os.environ:
                    del os.environ['DEMO_METHODS']


            def test_override(cleanup_methods):
                os.environ['DEMO_METHODS'] = 'FOO'


            def test_rebound():
                old_environ = os.environ
                read_env()
                os.environ = old_environ
            """
        ),
        Example(
            """
            import os
            from pathlib import Path


            def test_chdir_back(tmp_path, make_session):
                current = Path.cwd().resolve()
                make_session().chdir(tmp_path)  # the code under test moves
                os.chdir(current)


            def test_realpath(tmp_path, make_session):
                here = os.path.realpath(os.getcwd())
                make_session().chdir(tmp_path)
                os.chdir(here)
            """
        ),
        Example(
            """
            import sys
            import unittest


            class TestPlain:
                def setup_method(self):
                    sys.path.insert(0, "plugins")


            class TestUnit(unittest.TestCase):
                def setUp(self):
                    sys.path.insert(0, "plugins")


            def setup_function():
                sys.path.insert(0, "plugins")
            """,
            files={"tests/conftest.py": RESTORE_SYS_PATH},
        ),
        Example(
            """
            import sys
            import pytest


            @pytest.fixture(autouse=True)
            def reset_sys_path():
                saved = list(sys.path)
                yield
                sys.path[:] = saved


            class TestPlain:
                def setup_method(self):
                    sys.path.insert(0, "plugins")
            """
        ),
        Example(
            """
            import os
            import sys

            sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))
            import demo_tests

            sys.path.pop(0)
            os.environ["DEMO_MODE"] = "import"
            import demo_settings

            del os.environ["DEMO_MODE"]
            """
        ),
        Example(  # pytest-mock copies the whole mapping and writes it back after the test
            """
            import os
            import sys
            import types

            import pytest

            @pytest.fixture
            def fake_dbus(mocker):
                module = types.ModuleType("dbus")
                mocker.patch.dict(sys.modules, {"dbus": module})
                return module

            def test_without_qt(fake_dbus):
                sys.modules["dbus.mainloop.qt"] = None

            def test_clean(clean_env):
                os.environ["DEMO_HOME"] = "/nowhere"

            def test_own(mocker):
                mocker.patch.dict(os.environ, {"DEMO_MODE": "1"})
                os.environ["DEMO_HOME"] = "/nowhere"
            """,
            files={
                "tests/conftest.py": (
                    "import os\n\nimport pytest\n\n\n@pytest.fixture\ndef clean_env(mocker):\n"
                    "    mocker.patch.dict(os.environ, clear=True)\n    yield\n"
                )
            },
        ),
        Example(  # the entry is gone before anything could run with it
            """
            import sys
            import types

            from demo import manager

            def test_evict_missing_entry():
                sys.modules["ghostlib"] = types.ModuleType("ghostlib")
                del sys.modules["ghostlib"]
                manager.evict("ghostlib")
            """,
            files=OTHER_TEST,
        ),
        Example(  # both in one handler: if the import fails, so does the module's collection
            """
            import os
            import sys

            try:
                import examples
            except ImportError:
                project = os.path.dirname(os.path.dirname(__file__))
                sys.path.append(project)
                import examples

                sys.path.remove(project)
            """,
            files=OTHER_TEST,
        ),
        Example(
            """
            import os

            # CI may set it; the tests need it unset.
            os.environ.pop("DEMO_SESSION", None)
            if "DEMO_COLOR" in os.environ:
                del os.environ["DEMO_COLOR"]
            """
        ),
        Example(
            """
            import sys
            from pathlib import Path

            # the root: pytest put it on sys.path to import test/conftest.py (test/ is a package)
            sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
            from examples.app import create_app
            """,
            path="test/integration/test_app.py",
            files={**OTHER_TEST, "test/__init__.py": "", "test/conftest.py": "import pytest\n"},
        ),
        Example(
            """
            import sys


            def test_without_optional_imports():
                old, sys.path = sys.path, []  # sys.path rebound: old keeps the list untouched
                try:
                    schedule_job()
                finally:
                    sys.path = old  # the restore, not a second change
            """
        ),
        Example(  # the suite's only test module holds no test (a script named like one), so
            # no test sees the change (round 44's first FL2 reported it: tcwindprofile)
            """
            import os
            import sys

            sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

            import numpy as np

            print(np.hypot(3.0, 4.0))
            """
        ),
        Example(
            """
            import os
            import time

            # the suite's only test module: every test sees it, in any order or selection
            os.environ["TZ"] = "CET-1CEST,M3.5.0,M10.5.0/3"
            time.tzset()


            def test_next_run():
                assert time.localtime().tm_zone in ("CET", "CEST")
            """
        ),
        Example(
            """
            import sys

            from pkg.deprecation import ModuleAPI

            # the module puts a wrapper of itself in its own place (importing it leaves an
            # entry under its name anyway); a test imports it to check the deprecated names
            sys.modules["pkg.tests.test_deprecated"] = ModuleAPI(
                sys.modules["pkg.tests.test_deprecated"]
            )
            sys.modules[__name__] = ModuleAPI(sys.modules[__name__])
            """,
            path="pkg/tests/test_deprecated.py",
            files=_IMPORTS_THE_MODULE,
        ),
        Example(
            """
            import importlib
            import sys
            import types

            # a test module built in memory for each family no file provides (ZL1)
            for family in ("OO", "II"):
                name = "pkg.tests.test_" + family + "Tree"
                try:
                    importlib.import_module(name)
                except ModuleNotFoundError:
                    module = types.ModuleType(name)
                    sys.modules[name] = module
            """,
            path="src/pkg/tests/test_dynamic.py",
            files=_IMPORTS_THE_MODULE,
        ),
        Example(  # a move to the rootdir, imported from the suite's package: where runs start
            """
            import os

            from tests import root

            os.chdir(root)


            def test_generate():
                assert os.path.isdir("tests")
            """,
            path="tests/test_generate.py",
            files={
                "tests/__init__.py": TESTS_ROOT,
            },
        ),
        Example(  # the same folder computed in the module itself
            """
            import os

            os.chdir(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
            """,
            path="tests/test_generate.py",
        ),
        Example(  # AV1: the module's autouse fixture removes, after its yield, the variable
            # the test sets, both named by the same upper-case constant
            """
            import os

            import pytest

            _NAME = "DEMO_TEST_KEY"


            @pytest.fixture(autouse=True)
            def _clean():
                os.environ.pop(_NAME, None)
                yield
                os.environ.pop(_NAME, None)


            def test_environment_wins():
                os.environ[_NAME] = "from-env"
                assert lookup(_NAME) == "from-env"
            """
        ),
        Example(  # BZ1: the module's autouse fixture pops, after its yield, every variable of a
            # module constant's literal names in a loop, the one the test sets among them
            """
            import os

            import pytest

            _CLI_VARS = ("DEMO_POLICY_FILE", "DEMO_STRICT")


            @pytest.fixture(autouse=True)
            def _isolated(monkeypatch):
                for var in _CLI_VARS:
                    monkeypatch.delenv(var, raising=False)
                yield
                for var in _CLI_VARS:
                    os.environ.pop(var, None)


            def test_empty_variable_does_not_mask_the_file():
                os.environ["DEMO_POLICY_FILE"] = ""
                apply_config({"policy": "./policy.yaml"})
            """
        ),
        Example(  # RV10: the requested fixture writes the variable back after its yield
            """
            import os


            def test_get_user_configdir(tmp_path, undo_config_dir_patch):
                os.environ["DEMO_CONFIGDIR"] = str(tmp_path)
                assert check()
                del os.environ["DEMO_CONFIGDIR"]
            """,
            files={
                "tests/conftest.py": """
                    import os

                    import pytest


                    @pytest.fixture
                    def undo_config_dir_patch():
                        oridir = os.environ["DEMO_CONFIGDIR"]
                        del os.environ["DEMO_CONFIGDIR"]
                        yield
                        os.environ["DEMO_CONFIGDIR"] = oridir
                    """
            },
        ),
        Example(  # SD3: the fallback for the project's own import runs only where it fails
            """
            import sys

            try:
                from demo import core
            except ImportError:
                sys.path.append("..")
                from demo import core


            def test_core():
                assert core
            """,
            files={**OTHER_TEST, "src/demo/__init__.py": "", "src/demo/core.py": ""},
        ),
        Example(  # SD2: the importlib recipe that imports a file by its path
            """
            import importlib.util
            import sys
            from pathlib import Path

            _PATH = Path(__file__).resolve().parent.parent / "bench" / "comparison.py"
            _spec = importlib.util.spec_from_file_location("comparison_bench", _PATH)
            comparison = importlib.util.module_from_spec(_spec)
            sys.modules["comparison_bench"] = comparison
            _spec.loader.exec_module(comparison)


            def test_measure():
                assert comparison.measure()
            """,
            files=OTHER_TEST,
        ),
        Example(  # AG3: the same recipe as a test's own statements
            """
            import importlib.util
            import sys
            from pathlib import Path

            SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


            def test_entry_points():
                spec = importlib.util.spec_from_file_location("load_check", SCRIPTS / "load.py")
                mod = importlib.util.module_from_spec(spec)
                sys.modules["load_check"] = mod
                spec.loader.exec_module(mod)
                assert hasattr(mod, "main")
            """,
            files=OTHER_TEST,
        ),
        Example(  # AX2: a fixture runs the recipe once, under a name bound to the module's name
            """
            import importlib.util
            import sys
            from pathlib import Path

            import pytest

            ROOT = Path(__file__).resolve().parents[1]


            @pytest.fixture(scope="session")
            def api_app():
                module_name = "sample_mock_api"
                mod = sys.modules.get(module_name)
                if mod is None:
                    spec = importlib.util.spec_from_file_location(module_name, ROOT / "api.py")
                    if spec is None or spec.loader is None:
                        raise ImportError(module_name)
                    mod = importlib.util.module_from_spec(spec)
                    sys.modules[module_name] = mod
                    spec.loader.exec_module(mod)
                return mod.app


            def test_app(api_app):
                assert api_app
            """,
            files=OTHER_TEST,
        ),
        Example(  # VA2: the recipe's entry written as the spec's own name (smg-grpc-servicer)
            """
            import importlib.util
            import sys
            from pathlib import Path

            _PATH = Path(__file__).parents[1] / "demo" / "mm_rdma.py"
            _spec = importlib.util.spec_from_file_location("mm_rdma", _PATH)
            mm_rdma = importlib.util.module_from_spec(_spec)
            sys.modules[_spec.name] = mm_rdma
            _spec.loader.exec_module(mm_rdma)


            def test_switch():
                assert mm_rdma.enabled("1")
            """,
            files=OTHER_TEST,
        ),
        Example(  # BX2: the recipe runs the file under a try that puts sys.path back, the
            # path put in between (codex-telegram-bridge's test of an exported script)
            BX2_TEST.format(between="sys.path.insert(0, str(path.parent))"),
            files=OTHER_TEST,
        ),
        Example(  # BX3: a setUpClass runs the recipe for a module it keeps on its class
            """
            import importlib.util
            import sys
            import unittest
            from pathlib import Path


            class BridgeTest(unittest.TestCase):
                @classmethod
                def setUpClass(cls):
                    scripts = Path(__file__).resolve().parents[1]
                    spec = importlib.util.spec_from_file_location("bridge_test", scripts / "b.py")
                    cls.m = importlib.util.module_from_spec(spec); sys.modules[spec.name] = cls.m
                    spec.loader.exec_module(cls.m)

                def test_bridge(self):
                    assert self.m.Bridge
            """,
            files=OTHER_TEST,
        ),
        Example(  # UC2: a finally calls the class's helper that puts the variable back
            """
            import os


            class TestInit:
                def test_lang(self):
                    prev = os.environ.get("LANG")
                    try:
                        os.environ["LANG"] = "C"
                        start_node()
                    finally:
                        __class__.restore_envvar("LANG", prev)

                @staticmethod
                def restore_envvar(name, prev):
                    if prev is None:
                        os.environ.pop(name, None)
                    else:
                        os.environ[name] = prev
            """
        ),
        Example(  # UC2: the same through a module-level helper
            """
            import os


            def restore_envvar(name, prev):
                if prev is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = prev


            def test_lang():
                prev = os.environ.get("LANG")
                try:
                    os.environ["LANG"] = "C"
                finally:
                    restore_envvar("LANG", prev)
            """
        ),
        Example(  # DY1: a finally hands an imported helper the key and the value saved of it
            DY1_TEST.format(saved='os.environ.get("DATABASE_URL")')
        ),
        Example(  # DY1: the same with the value the test took out
            DY1_TEST.format(saved='os.environ.pop("DATABASE_URL", None)')
        ),
        Example(  # AU3: the decorator patches os.environ under the name an import gave it
            """
            from os import environ as env
            from unittest.mock import patch


            @patch.dict(env, {"EMPTY": ""}, clear=True)
            def test_update_default():
                del env["EMPTY"]
                env.update({"FOO": "foo"})
            """
        ),
        Example(  # AU2: the child of a fork changes its own environment, then execs
            """
            import os
            import pty
            import sys


            def test_viewer(tmp_path):
                pid, fd = pty.fork()
                if pid == 0:
                    os.environ.update(TERM="xterm-256color", HOME=str(tmp_path))
                    os.execvp(sys.executable, [sys.executable, "-m", "demo.cli"])
                os.waitpid(pid, 0)
            """
        ),
        Example(  # CL6: Python 2's branch of ``try: import builtins`` never runs
            """
            import sys

            try:
                import builtins
            except ImportError:
                class builtins(object):
                    pass
                sys.modules["builtins"] = builtins()


            def test_import():
                assert hasattr(builtins, "__import__")
            """,
            files=OTHER_TEST,
        ),
        Example(  # CL4: CPython's test.support manager puts sys.modules back
            """
            import sys
            import unittest

            from test.support import import_helper


            class TestSSLDisabled(unittest.TestCase):
                def test_https_server_raises_runtime_error(self):
                    with import_helper.isolated_modules():
                        sys.modules["ssl"] = None
                        with self.assertRaises(ImportError):
                            import ssl  # noqa: F401
            """
        ),
        Example(  # CL2: preexec_fn's lambda runs in the child process before it execs
            """
            import os
            import subprocess
            import sys


            def test_preexec():
                p = subprocess.Popen(
                    [sys.executable, "-c", "import os; print(os.getenv('FRUIT'))"],
                    stdout=subprocess.PIPE,
                    preexec_fn=lambda: os.putenv("FRUIT", "apple"),
                )
                with p:
                    assert p.stdout.read() == b"apple\\n"
            """
        ),
        Example(  # AU4: the class's autouse fixture keeps each variable's value in a dict
            # written out key by key; after the yield it removes them and writes back the set
            """
            import os

            import pytest


            class TestClientInitialization:
                @pytest.fixture(autouse=True)
                def cleanup_env_vars(self):
                    original = {
                        "DEMO_BASE_URL": os.environ.get("DEMO_BASE_URL"),
                        "DEMO_HOST": os.environ.get("DEMO_HOST"),
                    }
                    yield
                    for key in ["DEMO_BASE_URL", "DEMO_HOST"]:
                        if key in os.environ:
                            del os.environ[key]
                    for key, value in original.items():
                        if value is not None:
                            os.environ[key] = value

                def test_base_url(self):
                    os.environ["DEMO_BASE_URL"] = "http://env-base-url.com"
            """
        ),
        Example(  # BA2: a manager class of the test module puts the variables back in __exit__
            """
            import os
            import tempfile

            import demo


            class _IsolatedSettings:
                _CLEARED = ("DEMO_API_KEY", "DEMO_BASE_URL")

                def __enter__(self):
                    self._saved = {name: os.environ.pop(name, None) for name in self._CLEARED}
                    self._dir = tempfile.mkdtemp()
                    return self

                def __exit__(self, *exc_info):
                    for name, value in self._saved.items():
                        if value is None:
                            os.environ.pop(name, None)
                        else:
                            os.environ[name] = value
                    return False


            def test_key_set_afterwards():
                with _IsolatedSettings():
                    os.environ["DEMO_API_KEY"] = "sk-set-afterwards"
                    assert demo.call() == "answered"
            """
        ),
        Example(  # BY2: the module's teardown_function goes back to the folder that its
            # setup_function saved, after each test function, whatever the test did (picorg)
            BY2_TEST.format(test="def test_find_new(tmp_path):\n    os.chdir(tmp_path)")
        ),
        Example(  # DK1: the conftest's pytest_runtest_teardown goes back, after each test, to
            # the folder it saved at import, whatever the test or its fixtures did (reuse)
            """
            import os

            import pytest

            @pytest.fixture(scope="session")
            def cached_repo(tmp_path_factory):
                directory = tmp_path_factory.mktemp("repo")
                os.chdir(directory)
                return directory

            def test_root(cached_repo, tmp_path):
                os.chdir(tmp_path)
            """,
            path="tests/test_root.py",
            files={
                "tests/conftest.py": (
                    "import os\nfrom pathlib import Path\n\nCWD = Path.cwd()\n\n\n"
                    "def pytest_runtest_teardown(item):\n    os.chdir(CWD)\n"
                )
            },
        ),
    )
    INVALID = (
        Example(  # FM2's near miss: a bare pop of a variable the test never saw set
            """
            import os

            from demo import supervisor

            def test_child_main():
                supervisor.child_exec_main()
                os.environ.pop("_DEMO_FORK_EXEC")
            """,
            line=7,
        ),
        Example(  # EX1's near miss: setUpClass keeps no copy, so tearDownClass restores nothing
            EX1_TEST % "{}",
            line=15,
        ),
        Example(  # EZ2's near miss: one test of the class runs, and its setUp with it
            EZ2_MODULE.format(other="\n    def test_runs(self):\n        pass\n"),
        ),
        Example(  # FB3's near miss: the restoring fixture is session-scoped, so the module's
            # chdir outlives it into later modules
            FB3_MODULE.format(scope="session"),
            line=16,
        ),
        Example(  # EB1's near miss: the test also calls the function in its own process
            EB1_TEST.format(after="    func(q)\n"),
            line=9,
        ),
        Example(  # EB1's near miss: a thread's target runs in the tests' process
            """
            import multiprocessing
            import sys
            import threading


            def test_import_without_sphinx():
                def func():
                    sys.modules["sphinx"] = None

                t = threading.Thread(target=func)
                t.start()
                t.join()
            """,
            line=8,
        ),
        Example(  # DN1's near miss: pytester's monkeypatch never set that variable
            """
            import os

            def test_token(pytester):
                os.environ["TOKEN"] = "x"
            """,
            line=4,
        ),
        Example(  # DK1's near miss: the teardown hook moves to a fixed folder, saved nowhere
            """
            import os

            def test_root(tmp_path):
                os.chdir(tmp_path)
            """,
            path="tests/test_root.py",
            files={
                "tests/conftest.py": (
                    "import os\n\n\ndef pytest_runtest_teardown(item):\n    os.chdir('/')\n"
                )
            },
        ),
        Example(  # CD1's near miss: the tree holds one of the folders, which the loop adds
            CD1_CONFTEST,
            path="tests/benchmarks/conftest.py",
            files={**CD1_FILES, "tests/Re_Formatter/src/re_formatter.py": "X = 1\n"},
            line=8,
        ),
        Example(  # CD1's near miss: the condition asks about another folder than the one added
            """
            import os
            import sys

            HERE = os.path.dirname(__file__)
            VENDOR = os.path.join(HERE, "vendor")
            if os.path.isdir(os.path.join(HERE, "data")):
                sys.path.append(VENDOR)


            def test_vendored():
                pass
            """,
            files=OTHER_TEST,
            line=7,
        ),
        Example(  # BW1: the del after the test's own pop of the key is no second leak (the pop
            BW1_TEST.format(first='os.environ.pop("DEMO_API_KEY", None)', indent=""),  # is)
            line=8,
        ),
        Example(  # BW1's near miss: the pop sits in a with that puts the environment back, so
            BW1_TEST.format(  # the del takes out the variable the test was given
                first='with restored_env():\n        os.environ.pop("DEMO_API_KEY", None)',
                indent="    ",
            ),
            files={"tests/helpers.py": BW1_HELPERS},
            line=11,
        ),
        Example(  # BW1's near miss: the pop before takes out another variable
            BW1_TEST.format(first='os.environ.pop("DEMO_TOKEN", None)', indent=""),
            line=10,
        ),
        Example(  # BY2's near miss: teardown_function runs after module-level functions only,
            BY2_TEST.format(  # not after a class's methods
                test="class TestFindNew:\n"
                "    def test_find_new(self, tmp_path):\n"
                "        os.chdir(tmp_path)"
            ),
            line=17,
        ),
        Example(  # BO6's near miss: the ini's pythonpath names src/ only; tests/ is new there
            BO6_TEST,
            path="tests/test_panel/test_regression.py",
            files={
                "pyproject.toml": BO6_PYPROJECT.format(folders='"src"'),
                "tests/test_other.py": "def test_other():\n    pass\n",
            },
            line=3,
        ),
        Example(  # BP9's near miss: another module takes the key's place
            """
            import importlib
            import sys


            def test_menu():
                sys.modules["tkinter"] = importlib.import_module("tests.fake_tkinter")
            """,
            line=6,
        ),
        Example(  # BP1's near miss: the fixture leaves isolated_filesystem() before the test
            BP1_TEST % ("", "        pass\n    return Path(td)"),
            line=17,
        ),
        Example(  # BP1's near miss: the yield belongs to a function defined in the with
            BP1_TEST % ("", "        def files():\n            yield td\n    return Path(td)"),
            line=18,
        ),
        Example(  # BP1's near miss: a module-scoped fixture goes back after the module's last
            BP1_TEST % ('(scope="module")', "        yield Path(td)"),  # test only
            line=16,
        ),
        Example(  # BJ1's near miss: the swap comes after the write, which reaches the real one
            """
            import os


            def test_selection(monkeypatch):
                os.environ["DEMO_SESSION"] = "one"
                monkeypatch.setattr(os, "environ", dict(os.environ))
            """,
            line=5,
        ),
        Example(  # BJ1's near miss: os.putenv writes the process environment, not the mapping
            """
            import os


            def test_selection(monkeypatch):
                monkeypatch.setattr("os.environ", {})
                os.putenv("DEMO_SESSION", "one")
            """,
            line=6,
        ),
        Example(  # BH2's near miss: the test hands the fixture another key
            BH2_TEST.format(handed="demo_plugins.other"),
            line=16,
        ),
        Example(  # BA2's near miss: the class's __exit__ only removes its folder, no variable
            """
            import os
            import shutil
            import tempfile


            class _Scratch:
                def __enter__(self):
                    self._dir = tempfile.mkdtemp()
                    return self._dir

                def __exit__(self, *exc_info):
                    shutil.rmtree(self._dir, ignore_errors=True)


            def test_key_set_afterwards():
                with _Scratch():
                    os.environ["DEMO_API_KEY"] = "sk-set-afterwards"
            """,
            line=17,
        ),
        Example(  # AZ5's near miss: the name may be a module of the standard library
            AZ5_TEST.format(prefix="json"),
            files=OTHER_TEST,
            line=21,
        ),
        Example(  # AZ3's near miss: a variable of neither prefix
            """
            import os

            def test_audit(tmp_path):
                os.environ["OTHER_AUDIT_DB"] = str(tmp_path / "audit.db")
            """,
            files={"tests/conftest.py": PREFIXES_RESET_CONFTEST},
            line=4,
        ),
        Example(  # AU4's near miss: the dict's values are written back, a variable a test adds
            # stays
            """
            import os

            import pytest


            class TestClientInitialization:
                @pytest.fixture(autouse=True)
                def cleanup_env_vars(self):
                    original = {"DEMO_BASE_URL": os.environ.get("DEMO_BASE_URL")}
                    yield
                    for key, value in original.items():
                        if value is not None:
                            os.environ[key] = value

                def test_base_url(self):
                    os.environ["DEMO_BASE_URL"] = "http://env-base-url.com"
            """,
            line=16,
        ),
        Example(  # CL6's near miss: Python 3's builtins has no ``unicode``
            """
            import os

            try:
                from builtins import unicode
            except ImportError:
                os.environ["DEMO_TEXT_TYPE"] = "str"


            def test_text_type():
                assert os.environ["DEMO_TEXT_TYPE"] == "str"
            """,
            line=6,
            files=OTHER_TEST,
        ),
        Example(  # CL4's near miss: contextlib's nullcontext puts nothing back
            """
            import sys
            import unittest
            from contextlib import nullcontext


            class TestSSLDisabled(unittest.TestCase):
                def test_https_server_raises_runtime_error(self):
                    with nullcontext():
                        sys.modules["ssl"] = None
            """,
            line=9,
        ),
        Example(  # CL2's near miss: a lambda the tests' process calls itself changes its env
            """
            import os
            import subprocess
            import sys


            def test_callback():
                set_fruit = lambda: os.putenv("FRUIT", "apple")
                set_fruit()
                subprocess.run([sys.executable, "-c", "pass"], check=True)
            """,
            line=7,
        ),
        Example(  # AU2's near miss: the parent's branch of the fork changes the tests' process
            """
            import os
            import pty
            import sys


            def test_viewer(tmp_path):
                pid, fd = pty.fork()
                if pid == 0:
                    os.execvp(sys.executable, [sys.executable, "-m", "demo.cli"])
                else:
                    os.environ["TERM"] = "xterm-256color"
                os.waitpid(pid, 0)
            """,
            line=11,
        ),
        Example(  # AU3's near miss: the decorator patches another mapping of that name
            """
            from os import environ as env
            from unittest.mock import patch

            settings = {}


            @patch.dict(settings, {"EMPTY": ""}, clear=True)
            def test_update_default():
                env.update({"FOO": "foo"})
            """,
            line=9,
        ),
        Example(  # AV1's near miss: the autouse fixture removes another constant's variable
            """
            import os

            import pytest

            _NAME = "DEMO_TEST_KEY"
            _OTHER = "DEMO_OTHER_KEY"


            @pytest.fixture(autouse=True)
            def _clean():
                yield
                os.environ.pop(_OTHER, None)


            def test_environment_wins():
                os.environ[_NAME] = "from-env"
            """,
            line=16,
        ),
        Example(  # BZ1's near miss: the variable the test sets is not among the names popped
            """
            import os

            import pytest

            _CLI_VARS = ("DEMO_POLICY_FILE", "DEMO_STRICT")


            @pytest.fixture(autouse=True)
            def _isolated():
                yield
                for var in _CLI_VARS:
                    os.environ.pop(var, None)


            def test_token():
                os.environ["DEMO_TOKEN"] = "x"
            """,
            line=16,
        ),
        Example(  # BZ1's near miss: pop without a default: a missing variable's KeyError ends
            # the loop before the one the test sets
            """
            import os

            import pytest

            _CLI_VARS = ("DEMO_STRICT", "DEMO_POLICY_FILE")


            @pytest.fixture(autouse=True)
            def _isolated():
                yield
                for var in _CLI_VARS:
                    os.environ.pop(var)


            def test_policy():
                os.environ["DEMO_POLICY_FILE"] = ""
            """,
            line=16,
        ),
        Example(  # AK1's near miss: the function runs outside the manager too
            """
            import os

            from demo.env import OSEnvContext

            def test_start_dbus():
                def rm():
                    os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
                with OSEnvContext():
                    rm()
                rm()
            """,
            files={"src/demo/env.py": OS_ENV_CONTEXT},
            line=7,
        ),
        Example(  # BZ2's near miss: the executor, bound outside any with, may run the
            # function after the manager has exited
            """
            import os
            from concurrent.futures import ThreadPoolExecutor

            from demo.env import OSEnvContext

            def test_start_dbus():
                def rm():
                    os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
                executor = ThreadPoolExecutor(max_workers=2)
                with OSEnvContext():
                    executor.submit(rm)
            """,
            files={"src/demo/env.py": OS_ENV_CONTEXT},
            line=8,
        ),
        Example(  # BZ2's near miss: the executor's with is outside the manager's
            """
            import os
            from concurrent.futures import ThreadPoolExecutor

            from demo.env import OSEnvContext

            def test_start_dbus():
                def rm():
                    os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
                with ThreadPoolExecutor(max_workers=2) as executor:
                    with OSEnvContext():
                        executor.submit(rm)
            """,
            files={"src/demo/env.py": OS_ENV_CONTEXT},
            line=8,
        ),
        Example(  # CG3's near miss: the test sets the variable instead: where it was not
            # set before the fixture, the write-back is skipped and the test's value stays
            CG3_TEST % 'os.environ["DJANGO_SETTINGS_MODULE"] = "other.settings"',
            line=16,
        ),
        Example(  # CG3's near miss: the fixture saves and writes back another variable
            CG3_TEST.replace('"DJANGO_SETTINGS_MODULE"', '"DJANGO_ENV"', 3)
            % 'del os.environ["DJANGO_SETTINGS_MODULE"]',
            line=16,
        ),
        Example(  # CG2's near miss: a manager of the standard library's, entered and exited
            # the same way, does not put the environment back
            CG2_HOME_TEST % "tempfile.TemporaryDirectory",
            files={"tests/_fixtures.py": CG2_FIXTURES},
            line=12,
        ),
        Example(  # AK2's near miss: the teardown never exits what the setup entered
            AK2_DISPLAY % "cls.env_context = None",
            files={"src/demo/env.py": OS_ENV_CONTEXT},
            line=11,
        ),
        Example(  # BF1's near miss: an ``or`` lets a session entry through to the removal
            BF1_TEST.format(op="or"),
            line=10,
        ),
        Example(  # BF1's near miss: the copy is of another global, not of sys.path
            """
            import sys

            def test_drop():
                before = list(sys.modules)
                for entry in ("/opt/engine",):
                    if entry not in before:
                        sys.path.remove(entry)
            """,
            line=7,
        ),
        Example(  # AK3's near miss: the name is bound twice, once to a folder of the session
            """
            import sys

            def test_drop(tmp_path):
                path = str(tmp_path)
                path = sys.path[0]
                sys.path.remove(path)
            """,
            line=6,
        ),
        Example(  # YB6's near miss: the try runs more than the question, the handler moves
            """
            import os

            from app import project


            def test_build():
                try:
                    os.getcwd()
                    project.build()
                except OSError:
                    os.chdir(project.root)
            """,
            line=11,
        ),
        Example(  # ET1's near miss: fixtures' EnvironmentVariable puts back its one variable
            # in whatever os.environ is then, never the mapping the test replaced
            OSC_LIB_ENV_FIXTURE.format(fixture='fixtures.EnvironmentVariable("OS_TOKEN", "x")'),
            line=15,
        ),
        Example(  # YA2's near miss: the fixture's revert is never registered as a cleanup
            ENV_FIXTURE.replace("        self.addCleanup(self.revert)\n", "") + USES_ENV_FIXTURE,
            line=24,
        ),
        Example(  # DY1's near miss: a fixture keeps what it takes out of the variables there
            # (langsmith-mcp): a test adding one that was missing is not undone
            """
            import os

            import pytest


            @pytest.fixture
            def clean_env():
                original = {}
                for key in list(os.environ.keys()):
                    if key.startswith("DEMO_"):
                        original[key] = os.environ.pop(key, None)
                yield
                for key, value in original.items():
                    if value is not None:
                        os.environ[key] = value
                    else:
                        os.environ.pop(key, None)


            def test_key(clean_env):
                os.environ["DEMO_API_KEY"] = "k"
            """,
            line=21,
        ),
        Example(  # DY1's near miss: the value handed back was saved of another variable
            DY1_TEST.format(saved='os.environ.get("HOME")'),
            line=9,
        ),
        Example(  # UC2's near miss: the finally's helper puts back another family
            """
            import os


            def restore_cwd(prev):
                os.chdir(prev)


            def test_lang():
                prev = os.getcwd()
                try:
                    os.environ["LANG"] = "C"
                finally:
                    restore_cwd(prev)
            """,
            line=11,
        ),
        Example(  # UB1's near miss: the method the teardown calls changes nothing back
            """
            import os
            import unittest


            class CredentialsTest(unittest.TestCase):
                def tearDown(self):
                    self.close_client()

                def close_client(self):
                    self.client = None

                def test_caching(self):
                    os.environ["SERVER_SOFTWARE"] = "Development/XYZ"
            """,
            line=13,
        ),
        Example(  # UB3's near miss: the variable is outside the prefix the conftest removes
            """
            import os

            def test_env_var_config():
                os.environ["DEMO_OTHER"] = "other"
            """,
            files={
                "tests/conftest.py": PREFIX_RESET_CONFTEST,
                **OTHER_TEST,
            },
            line=4,
        ),
        Example(  # SC3's near miss: the conftest resets another variable
            """
            import os

            def test_default_config(tmp_path):
                os.environ["DEMO_CONFIG_DIR"] = str(tmp_path)
                assert load_config()
            """,
            files={
                "tests/conftest.py": """
                    import os

                    import pytest


                    @pytest.fixture(autouse=True)
                    def _unset_config_path():
                        os.environ.pop("DEMO_CONFIG_PATH", None)
                    """,
                **OTHER_TEST,
            },
            line=4,
        ),
        Example(  # FL2's near miss: --doctest-modules collects the outside module's doctests
            DJ1_CONFTEST,
            path="tests/conftest.py",
            files={**FL2_FILES, "pytest.ini": "[pytest]\naddopts = --doctest-modules\n"},
            line=3,
        ),
        Example(  # FL2's near miss: the module outside star-imports shared tests, which
            # pytest collects there too
            DJ1_CONFTEST,
            path="tests/conftest.py",
            files={
                **DJ1_FILES,
                "src/demo/model/synthetics_test.py": "from demo.shared_tests import *\n",
            },
            line=3,
        ),
        Example(  # DJ1's near miss: without testpaths pytest collects src/ too, and the module
            # there lies outside the conftest's folder (FL2's near miss: it holds a test method)
            DJ1_CONFTEST,
            path="tests/conftest.py",
            files=DJ1_FILES,
            line=3,
        ),
        Example(  # SC3's near miss: the resetting conftest is not above the other tests
            """
            import os

            def test_default_config(tmp_path):
                os.environ["DEMO_CONFIG_PATH"] = str(tmp_path)
                assert load_config()
            """,
            path="tests/e2e/test_cli.py",
            files={
                "tests/e2e/conftest.py": """
                    import os

                    import pytest


                    @pytest.fixture(autouse=True)
                    def _unset_config_path():
                        os.environ.pop("DEMO_CONFIG_PATH", None)
                    """,
                **OTHER_TEST,
            },
            line=4,
        ),
        Example(  # DS1's near miss: the conftest's autouse monkeypatch sets another variable
            DS1_TEST.format(variable="DEMO_SHARED_DATA"),
            path="tests/datasets/test_utils.py",
            files=DS1_FILES,
            line=4,
        ),
        Example(  # SC2's near miss: pytest.fail's and skip's outcomes pass ``except Exception``
            """
            import os

            def test_cwd(tmp_path):
                cwd = os.getcwd()
                os.chdir(tmp_path)
                try:
                    commit("page.md")
                    os.chdir(cwd)
                except Exception:
                    os.chdir(cwd)
                    raise
            """,
            line=5,
        ),
        Example(  # SC2's near miss: the body's restore sits under a branch that may not run
            """
            import os

            def test_branch(tmp_path):
                cwd = os.getcwd()
                os.chdir(tmp_path)
                try:
                    if commit("page.md"):
                        os.chdir(cwd)
                except:
                    os.chdir(cwd)
                    raise
            """,
            line=5,
        ),
        Example(  # RV10's near miss: the fixture writes back another variable
            """
            import os


            def test_get_user_configdir(tmp_path, undo_config_dir_patch):
                os.environ["DEMO_CONFIGDIR"] = str(tmp_path)
                assert check()
                del os.environ["DEMO_CONFIGDIR"]
            """,
            files={
                "tests/conftest.py": """
                    import os

                    import pytest


                    @pytest.fixture
                    def undo_config_dir_patch():
                        oridir = os.environ["DEMO_OTHER"]
                        del os.environ["DEMO_OTHER"]
                        yield
                        os.environ["DEMO_OTHER"] = oridir
                    """
            },
            line=5,
        ),
        Example(  # a patcher started but never stopped keeps the test's change
            """
            import os
            from unittest import mock

            import pytest


            @pytest.fixture
            def environ():
                patcher = mock.patch.dict(os.environ, clear=True)
                yield patcher.start()


            def test_cache_dir_from_env(environ):
                os.environ["XDG_CACHE_HOME"] = "/foo/bar"
            """
        ),
        Example(  # a base from the package that holds the suite is the suite's own helper
            """
            import sys

            from demo.tests._common import FunctionalCase


            class TestPlugin(FunctionalCase):
                def test_scenario(self):
                    sys.path.append("scenario/slow")
            """,
            path="demo/tests/functional/test_plugin.py",
            files={
                "pyproject.toml": '[project]\nname = "demo"\n',
                "demo/__init__.py": "",
                "demo/tests/__init__.py": "",
                "demo/tests/functional/__init__.py": "",
                "demo/tests/_common.py": "class FunctionalCase:\n    pass\n",
            },
            line=8,
        ),
        Example(  # a helper module beside the tests is the suite's, whatever its name
            """
            import os

            from helpers import unittest


            class TestCopy(unittest.TestCase):
                def test_missing_credentials(self):
                    del os.environ["DEMO_KEY"]
            """,
            files={
                "pyproject.toml": '[project]\nname = "demo"\n',
                "src/demo/__init__.py": "",
                "tests/helpers.py": "import unittest\n",
            },
            line=8,
        ),
        Example(  # a base class from the suite's own helpers is read as restoring nothing
            """
            import os

            from tests.helpers import BaseCase


            class ConfigTest(BaseCase):
                def test_editor(self):
                    os.environ["EDITOR"] = "myeditor"
            """,
            files={
                "tests/helpers.py": (
                    "import unittest\n\nclass BaseCase(unittest.TestCase):\n    pass\n"
                )
            },
        ),
        Example(  # an insert per example folder in a loop, none taken back: later tests see them
            """
            import glob
            import os
            import sys

            def test_examples():
                for path in glob.glob(os.path.join("examples", "*", "*.py")):
                    sys.path.insert(0, os.path.dirname(path))
                    __import__(os.path.basename(path)[:-3])
            """,
            line=7,
        ),
        Example(  # the removal leaks when the import fails; the loop only writes them back
            """
            import os

            def test_import_without_environment():
                saved = {k: os.environ.pop(k) for k in list(os.environ)}
                import json
                for key, value in saved.items():
                    os.environ[key] = value
            """,
            line=4,
        ),
        Example(  # the imported fixture saves nothing: the change leaks
            """
            import os
            from .test_base import data_dir

            def test_data_path(data_dir):
                os.environ["DATA"] = data_dir
            """,
            path="tests/test_data.py",
            line=5,
            files={
                "tests/__init__.py": "",
                "tests/test_base.py": (
                    "import pytest\n\n\n@pytest.fixture\ndef data_dir(tmp_path):\n"
                    "    yield str(tmp_path)\n"
                ),
            },
        ),
        Example(
            """
            import os
            import tempfile
            import unittest


            class TestFunctional(unittest.TestCase):
                @classmethod
                def setUpClass(cls):
                    cls.startdir = os.getcwd()
                    cls.tmpdir = tempfile.mkdtemp()

                def test_skip(self):
                    os.chdir(self.tmpdir)  # the move: a failure below leaves it
                    assert os.listdir(".") == []
                    os.chdir(self.startdir)  # the undo, on success only
            """,
            line=13,
        ),
        Example(  # the move into a subfolder leaks when the import fails; ".." takes it back
            """
            import importlib
            import os

            def test_examples():
                tmp = "_tmp/"
                for name in ["first", "second"]:
                    os.chdir(tmp)
                    importlib.import_module(name)
                    os.chdir("../")
            """,
            line=7,
        ),
        Example(  # ".." after a move two folders down does not go back: both reported
            """
            import os

            def test_nested():
                os.chdir("a/b")
                os.chdir("..")
            """,
            line=4,
        ),
        Example(  # a move to the test folder, not the rootdir: later tests run there
            """
            import os

            os.chdir(os.path.dirname(os.path.abspath(__file__)))
            """,
            path="tests/test_generate.py",
            files={"tests/test_other.py": "def test_other():\n    pass\n"},
            line=3,
        ),
        Example(  # the imported root's subfolder: not worked out, reported
            """
            import os

            from tests import root

            os.chdir(root / "fixtures")
            """,
            path="tests/test_generate.py",
            files={
                "tests/__init__.py": TESTS_ROOT,
            },
            line=5,
        ),
        Example(  # the imported name is bound twice: not sure what it is, reported
            """
            import os

            from tests import root

            os.chdir(root)
            """,
            path="tests/test_generate.py",
            files={
                "tests/__init__.py": (
                    "import os\nfrom pathlib import Path\n\nroot = Path(__file__).parent.parent\n"
                    "if os.name == 'nt':\n    root = Path('C:/')\n"
                ),
            },
            line=5,
        ),
        Example(  # TB5's near miss: a test case's patch.dict started, never stopped
            """
            import os
            import unittest
            from unittest.mock import patch


            class ConfigEnvTest(unittest.TestCase):
                def setUp(self):
                    self.env_patcher = patch.dict("os.environ", {"TESTAPP_FOO": "a"})
                    self.env_patcher.start()

                def test_defaults(self):
                    os.environ["TESTAPP_BAR"] = "b"
            """,
            line=12,
        ),
        Example(  # AH1's near miss: the fixture monkeypatched another constant's variable
            """
            import os

            import pytest

            from demo import branding


            @pytest.fixture
            def alt_brand(monkeypatch):
                monkeypatch.setenv(branding.THEME_ENV_VAR, "alt")


            def test_default_brand(alt_brand):
                os.environ.pop(branding.BRAND_ENV_VAR)
            """,
            files=OTHER_TEST,
            line=14,
        ),
        Example(  # AH1's near miss: a call may name another variable each time
            """
            import os

            import pytest

            from demo import branding


            @pytest.fixture
            def alt_brand(monkeypatch):
                monkeypatch.setenv(branding.brand_env_var(), "alt")


            def test_default_brand(alt_brand):
                os.environ.pop(branding.brand_env_var())
            """,
            files=OTHER_TEST,
            line=14,
        ),
        Example(  # VD4's near miss: the fixture monkeypatched another variable
            """
            import os

            import pytest


            @pytest.fixture(autouse=True)
            def poisoned_phase(monkeypatch):
                monkeypatch.setenv("PHASE_LOOP_ALIAS", "ENV-NOT-AN-IDENTITY")


            def test_state_alias():
                os.environ["PHASE_ALIAS"] = "STATE"
            """,
            files=OTHER_TEST,
            line=12,
        ),
        Example(  # AM2's near miss: the subclass's setUp overrides the base's without super()
            """
            import os
            import unittest
            from unittest import mock


            class Base(unittest.TestCase):
                def setUp(self):
                    p = mock.patch.dict(os.environ, {}, clear=False)
                    p.start()
                    self.addCleanup(p.stop)


            class AdminTests(Base):
                def setUp(self):
                    os.environ.pop("ADMIN_KEY", None)

                def test_admin_key(self):
                    os.environ["ADMIN_KEY"] = "y"
            """,
            line=18,
        ),
        Example(  # VD3's near miss: addCleanup is handed the patcher's start, not its stop
            """
            import os
            import unittest
            from unittest import mock


            class GuardTest(unittest.TestCase):
                def setUp(self):
                    self.env = mock.patch.dict(os.environ, {}, clear=False)
                    self.env.start()
                    self.addCleanup(self.env.start)

                def test_bypass(self):
                    os.environ["APP_BYPASS"] = "1"
            """,
            line=13,
        ),
        Example(  # started, never stopped: the changes stay
            """
            import os
            from unittest.mock import patch

            environment = patch.dict("os.environ")


            def setup_function():
                environment.start()


            def test_prefer():
                os.environ["JUPYTER_PREFER_ENV_PATH"] = "no"
            """,
            line=12,
        ),
        Example(  # another variable's saved value: PATH changes
            """
            import os


            def test_other_key():
                env = os.environ.copy()
                os.environ["PATH"] = env["HOME"]
            """,
            line=6,
        ),
        Example(  # an insert in place shows in the alias: binding it back undoes nothing
            """
            import sys


            def test_insert(tmp_path):
                p = sys.path
                sys.path.insert(0, "src")
                sys.path = p
            """,
            line=6,
        ),
        Example(  # the fixture's finalizer removes a file: the working directory stays moved
            """
            import os


            def test_relative(cleanup_db):
                os.chdir(os.path.dirname(__file__))
            """,
            files={
                "tests/conftest.py": (
                    "import os\nimport pytest\n\n\n@pytest.fixture\n"
                    "def cleanup_db(request):\n    previous = os.getcwd()\n\n"
                    "    def remove():\n        os.remove(os.path.join(previous, 'db'))\n\n"
                    "    request.addfinalizer(remove)\n"
                )
            },
            line=5,
        ),
        Example(
            """
            import sys

            from pkg.deprecation import ModuleAPI

            # another module's entry, replaced when a test imports this one: it stays
            sys.modules["pkg.tests.other"] = ModuleAPI(sys.modules["pkg.tests.other"])
            """,
            path="pkg/tests/test_deprecated.py",
            files=_IMPORTS_THE_MODULE,
            line=6,
        ),
        Example(
            """
            import os
            import unittest


            class TestConfFromEnv(unittest.TestCase):
                def setUp(self):
                    self.addCleanup(self._go_home)  # undoes the directory, not the variable

                def _go_home(self):
                    os.chdir(os.path.expanduser("~"))

                def test_invalid_path(self):
                    os.environ["DEMO_CONFIG"] = "/"
            """,
            line=13,
        ),
        Example(  # RX4's near miss: the function the setUp defines is never registered
            """
            import os
            import unittest


            class TestEnvironment(unittest.TestCase):
                def setUp(self):
                    def cleanup():
                        os.environ.pop("OS_FOO__BAR", None)

                    self.addCleanup(print)

                def test_simple_environment_get(self):
                    os.environ["OS_FOO__BAR"] = "goodbye"
            """,
            line=13,
        ),
        Example(
            """
            import os
            import sys


            def test_finder(tmp_path):
                with os.scandir(tmp_path):  # the standard library's: restores nothing
                    sys.path.append(str(tmp_path / "project2"))
            """,
            line=7,
        ),
        Example(
            """
            import sys

            def test_import_package():
                sys.path.insert(0, 'data')
                import package  # fails: the entry stays
                del sys.path[0]  # the undo is not a second leak
            """,
            line=4,
        ),
        Example(
            """
            import os

            def test_no_agent():
                del os.environ['DEMO_AGENT']  # fails: the variable stays unset
                connect_agent()
                os.environ['DEMO_AGENT'] = 'agent'  # the undo is not a second leak
            """,
            line=4,
        ),
        Example(  # the same variable set again: one variable left set, said once
            """
            import os

            def test_validation_from_env():
                os.environ["DEMO_ENABLED"] = "False"
                assert not load_config().enabled
                os.environ["DEMO_ENABLED"] = "True"
                assert load_config().enabled
            """,
            line=4,
        ),
        Example(  # the loop writes the saved values back: only the first set is the leak
            """
            import os

            NEW = {"DEMO_LEVEL": "debug", "DEMO_MODE": "fast"}

            def test_levels_from_env():
                old = {}
                for key, value in NEW.items():
                    old[key] = os.environ.get(key, None)
                    os.environ[key] = value  # fails: unset before, stays set
                check_levels()
                for key, value in old.items():
                    if value is not None:
                        os.environ[key] = value
            """,
            line=9,
        ),
        Example(
            """
            import os
            import unittest

            class TransportTests(unittest.TestCase):
                def test_insecure_transport(self):
                    if 'DEMO_INSECURE' in os.environ:
                        del os.environ['DEMO_INSECURE']  # a value set before the run is lost
                    self.assertTrue(check())
                    os.environ['DEMO_INSECURE'] = '1'
                    self.assertTrue(check())
                    del os.environ['DEMO_INSECURE']  # takes the test's own value out again
            """,
            line=7,
        ),
        Example(
            """
            import sys

            def test_without_first():
                del sys.path[0]  # takes out an entry some other code put there
            """,
            line=4,
        ),
        Example(
            """
            import os
            import sys

            def test_not_importable(tmp_path):
                sys.path.remove(os.getcwd())  # the session's entry: gone for later tests
            """,
            line=5,
        ),
        Example(  # RW6's near miss: no conftest in the root, so nothing put it on sys.path
            """
            import os
            import sys

            import pytest


            @pytest.fixture
            def scrap_url():
                sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))
                yield "http://localhost"
            """,
            path="docs/conftest.py",
            files={"docs/test_a.py": "def test_a(scrap_url):\n    pass\n"},
            line=9,
        ),
        Example(  # RW6's near miss: inside a function, the name may be its parameter
            """
            import os
            import sys

            import pytest

            HERE = os.path.dirname(__file__)


            def add(HERE):
                sys.path.insert(0, HERE)


            @pytest.fixture
            def scrap_url():
                sys.path.insert(0, HERE)
                yield "http://localhost"
            """,
            path="tests/conftest.py",
            files={"tests/test_a.py": "def test_a(scrap_url):\n    pass\n"},
            line=15,
        ),
        Example(
            """
            import sys
            from pathlib import Path

            # no conftest over it: only this module's import puts the root on sys.path
            sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
            from examples.app import create_app
            """,
            path="test/integration/test_app.py",
            files={**OTHER_TEST, "test/__init__.py": ""},
            line=5,
        ),
        Example(
            """
            import sys


            def test_without_optional_imports():
                old, sys.path = sys.path, []
                schedule_job()  # when it raises, sys.path stays empty for every later test
                sys.path = old
            """,
            line=5,
        ),
        Example(
            """
            import sys
            from pathlib import Path

            sys.path.insert(0, str(Path(__file__).parent.parent / "scripts"))
            """,
            files={
                **OTHER_TEST,
                "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["src"]\n',
            },
            line=4,
        ),
        Example(
            """
            import sys
            import pytest


            class TestPlain:
                @pytest.fixture(autouse=True)
                def reset_sys_path(self):
                    saved = list(sys.path)
                    yield
                    sys.path[:] = saved

                def setup_method(self):
                    sys.path.insert(0, "plugins")  # set up before the class's own fixtures
            """,
            line=13,
        ),
        Example(
            """
            import sys


            class TestPlain:
                @classmethod
                def setup_class(cls):
                    sys.path.insert(0, "plugins")  # before the per-test snapshot is taken
            """,
            files={"tests/conftest.py": RESTORE_SYS_PATH},
            line=7,
        ),
        Example(
            """
            import os
            import sys

            sys.path.insert(0, "plugins")
            if sys.platform == "win32":
                sys.path.pop(0)
            """,
            files=OTHER_TEST,
            line=4,
        ),
        Example(  # a statement between them may fail first: the entry stays
            """
            import sys
            import types

            from demo import manager

            def test_evict():
                sys.modules["ghostlib"] = types.ModuleType("ghostlib")
                manager.evict("ghostlib")
                del sys.modules["ghostlib"]
            """,
            line=7,
        ),
        Example(  # the copy is taken after the change: writing it back keeps the change
            """
            import os

            import pytest

            @pytest.fixture(scope="session")
            def session_env(session_mocker):
                session_mocker.patch.dict(os.environ, {"DEMO_MODE": "1"})

            def test_before(mocker):
                os.environ["DEMO_HOME"] = "/nowhere"
                mocker.patch.dict(os.environ, {"DEMO_MODE": "1"})

            def test_session(session_env):
                os.environ["DEMO_HOME"] = "/nowhere"
            """,
            line=10,
        ),
        Example(  # a failing import between them is swallowed: the entry stays
            """
            import sys

            try:
                sys.path.insert(0, "plugins")
                import demo_plugins
                sys.path.pop(0)
            except ImportError:
                demo_plugins = None
            """,
            files=OTHER_TEST,
            line=4,
        ),
        Example(  # the handler of a ``try`` within another's body: the outer one may swallow
            """
            import sys

            try:
                try:
                    import demo_plugins
                except ImportError:
                    sys.path.insert(0, "plugins")
                    import demo_plugins
                    sys.path.pop(0)
            except ImportError:
                demo_plugins = None
            """,
            files=OTHER_TEST,
            line=7,
        ),
        Example(
            """
            import os

            os.environ["DEMO_MODE"] = "import"
            os.environ["DEMO_OTHER"] = "1"
            del os.environ["DEMO_OTHER"]
            """,
            files=OTHER_TEST,
            line=3,
        ),
        Example(
            """
            import os
            from pathlib import Path


            def test_elsewhere(tmp_path):
                parent = Path.cwd().parent.resolve()
                os.chdir(parent)
            """,
            line=7,
        ),
        Example(
            """
            import os
            import sys

            # the project root, above tests/: only this module's import puts it on sys.path
            sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
            """,
            files=OTHER_TEST,
            line=5,
        ),
        # BB1's near miss: the same inline import naming the folder above tests/, which no
        # import mode puts on sys.path for this module
        Example(
            """
            import sys

            sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
            """,
            files=OTHER_TEST,
            line=3,
        ),
        Example(
            """
            import os
            import sys

            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            """,
            files={
                **OTHER_TEST,
                "pyproject.toml": (
                    "[tool.pytest.ini_options]\naddopts = '--import-mode=importlib'\n"
                ),
            },
            line=4,
        ),
        Example(
            """
            import sys

            if __name__ != "__main__":  # pytest imports it: this branch runs
                sys.path.insert(0, "lib")
            """,
            files=OTHER_TEST,
            line=4,
        ),
        Example(
            """
            import os
            import pytest


            @pytest.fixture
            def cleanup_methods():
                yield
                os.environ.pop('DEMO_METHODS', None)


            def test_other_variable(cleanup_methods):
                os.environ['DEMO_OTHER'] = 'FOO'  # not the one the fixture removes
            """,
            line=12,
        ),
        Example(
            """
            import os


            def test_rebound_to_a_copy():
                saved = dict(os.environ)
                os.environ = saved  # a plain dict: later changes miss the process
            """,
            line=6,
        ),
        Example(
            """
            import os
            import pytest

            @pytest.fixture
            def clean_env():
                old = os.environ.pop('CA_CERTS', None)
                yield
                if old is not None:
                    os.environ['CA_CERTS'] = old  # a variable the test adds stays

            def test_certs(clean_env):
                os.environ['CA_CERTS'] = '/tmp/ca.pem'
            """,
            line=12,
        ),
        Example(  # AL3's near miss: the comprehension's copies only written back, never removed
            """
            import os
            import pytest

            @pytest.fixture(autouse=True)
            def _isolate_env():
                saved = {k: os.environ.get(k) for k in ("DEMO_ENDPOINT",)}
                yield
                for k, v in saved.items():
                    if v is not None:
                        os.environ[k] = v

            def test_endpoint():
                os.environ["DEMO_ENDPOINT"] = "https://mirror.example"
            """,
            line=13,
        ),
        Example(  # RZ5's near miss: only the variables that were set are written back
            """
            import os
            import pytest

            @pytest.fixture
            def saved_environment():
                backups = {}
                for var in ['DEMO_DEPTH']:
                    backups[var] = os.environ.get(var)
                yield
                for var in backups:
                    if backups[var]:
                        os.environ[var] = backups[var]  # a variable the test adds stays

            def test_depth(saved_environment):
                os.environ['DEMO_DEPTH'] = '0'
            """,
            line=15,
        ),
        Example(
            """
            import os
            import unittest


            class ChangesBack:
                def tearDown(self):
                    os.chdir(self.olddir)


            class TestHg(unittest.TestCase):
                def test_sub(self):
                    os.chdir("sub")
            """,
            line=12,
        ),
        Example(
            """
            import os

            from .helpers import enter_project


            def test_sub(tmp_path, monkeypatch):
                os.chdir(tmp_path)
                enter_project(tmp_path, monkeypatch)
            """,
            line=7,
        ),
        Example(
            """
            import os

            import pytest


            @pytest.mark.slow
            def test_sub(tmp_path):
                os.chdir(tmp_path)
            """,
            line=8,
        ),
        Example(
            """
            import os

            from .helpers import with_project


            @with_project()
            def test_env():
                os.environ["DEMO_MODE"] = "test"
            """,
            line=8,
        ),
        Example(
            """
            import os


            def setUpModule():
                os.environ["DEMO_MODE"] = "test"
            """,
            line=5,
        ),
        Example(
            """
            import os

            def test_env():
                os.environ['DEBUG'] = '1'
            """,
            line=4,
        ),
        Example(
            """
            import os
            import sys

            import pytest


            @pytest.mark.skipif(sys.platform == "win32", reason="a condition: runs elsewhere")
            def test_env():
                os.environ["DEBUG"] = "1"
            """,
            line=9,
        ),
        Example(
            """
            import os
            import unittest


            @unittest.skip("a plain class: unittest's skip only skips a TestCase")
            class TestPlain:
                def test_env(self):
                    os.environ["OTHER"] = "1"
            """,
            line=8,
        ),
        Example(
            """
            import os

            def test_cd(tmp_path):
                os.chdir(tmp_path)
            """,
            line=4,
        ),
        Example(
            """
            import os, sys

            sys.path.insert(0, os.path.join(os.path.dirname(__file__), "helpers"))
            """,
            path="tests/unit/conftest.py",
            files={"tests/functional/test_app.py": "def test_app():\n    pass\n"},
            line=3,
        ),
        Example(
            """
            import sys

            def test_fake():
                sys.modules['requests'] = object()
            """,
            line=4,
        ),
        Example(
            """
            import importlib
            import sys
            import types

            # a stand-in for a missing dependency: a later importorskip("yaml") gets it
            try:
                importlib.import_module("yaml")
            except ImportError:
                sys.modules["yaml"] = types.ModuleType("yaml")
            """,
            path="src/pkg/tests/test_dynamic.py",
            files=_IMPORTS_THE_MODULE,
            line=9,
        ),
        Example(
            """
            import importlib
            import sys
            import types

            # another package's module, built when its import fails: it stays
            name = "other.tests.test_" + "OOTree"
            try:
                importlib.import_module(name)
            except ModuleNotFoundError:
                sys.modules[name] = types.ModuleType(name)
            """,
            path="src/pkg/tests/test_dynamic.py",
            files=_IMPORTS_THE_MODULE,
            line=10,
        ),
        Example(
            """
            from os import environ

            def test_env():
                environ['DEBUG'] = '1'
            """,
            line=4,
        ),
        Example(
            """
            import os

            def test_env():
                os.environ['DEBUG'] = '1'
            """,
            files={"tests/other/conftest.py": RESTORE_ENVIRON},
            line=4,
        ),
        Example(
            """
            import os

            os.environ["SQLALCHEMY_WARN_20"] = "true"
            """,
            path="tests/sqla/conftest.py",
            files={"tests/test_a.py": "def test_a():\n    pass\n"},
            line=3,
        ),
        Example(
            """
            import os
            import sys


            def test_env(tmp_path):
                os.environ["MODE"] = "test"  # the app reads it
                del os.environ["HOME"]
                os.chdir(tmp_path)
                sys.path.insert(0, str(tmp_path))
            """,
            fixed="""
            import os
            import sys


            def test_env(tmp_path, monkeypatch):
                monkeypatch.setenv("MODE", "test")  # the app reads it
                monkeypatch.delenv("HOME")
                monkeypatch.chdir(tmp_path)
                monkeypatch.syspath_prepend(str(tmp_path))
            """,
        ),
        Example(
            """
            import os
            import pytest


            @pytest.fixture
            def debug(monkeypatch):
                os.environ["DEBUG"] = "1"
            """,
            fixed="""
            import os
            import pytest


            @pytest.fixture
            def debug(monkeypatch):
                monkeypatch.setenv("DEBUG", "1")
            """,
        ),
        Example(
            """
            import os
            import pytest


            @pytest.fixture(scope="session")
            def debug():
                os.environ["DEBUG"] = "1"
            """,
            fixed="""
            import os
            import pytest


            @pytest.fixture(scope="session")
            def debug():
                os.environ["DEBUG"] = "1"
            """,
        ),
        Example(
            """
            import os

            os.environ["DEBUG"] = "1"
            """,
            files=OTHER_TEST,
            fixed="""
            import os

            os.environ["DEBUG"] = "1"
            """,
        ),
        Example(
            """
            import os

            def test_cd(tmp_path, monkeypatch):
                os.chdir(tmp_path / 'sub')
                monkeypatch.chdir(tmp_path)
            """,
            line=4,
        ),
        Example(
            """
            import os

            def test_env():
                os.environ.pop('DEMO_OUTPUT', None)
            """,
            line=4,
        ),
        Example(
            """
            import os
            import sys


            def test_import(tmp_path):
                saved = dict(os.environ)
                os.environ["MODE"] = "test"
                sys.path.insert(0, str(tmp_path))
                assert __import__("plugin")
                sys.path.remove(str(tmp_path))
                del os.environ["MODE"]
                os.environ.clear()
                os.environ.update(saved)
            """,
            fixed="""
            import os
            import sys


            def test_import(tmp_path, monkeypatch):
                saved = dict(os.environ)
                monkeypatch.setenv("MODE", "test")
                monkeypatch.syspath_prepend(str(tmp_path))
                assert __import__("plugin")
                sys.path.remove(str(tmp_path))
                del os.environ["MODE"]
                os.environ.clear()
                os.environ.update(saved)
            """,
        ),
        Example(
            """
            import os
            from pathlib import Path


            def test_switch(
                tmp_path: Path
            ) -> None:
                os.chdir(tmp_path)
            """,
            fixed="""
            import os
            from pathlib import Path


            def test_switch(
                tmp_path: Path,
                monkeypatch
            ) -> None:
                monkeypatch.chdir(tmp_path)
            """,
        ),
        Example(
            """
            import os

            def test_session_restore(session_env):
                os.environ["DEMO_REPO"] = "x"
            """,
            files={"tests/conftest.py": RESTORING_FIXTURES, "src/demo/envvars.py": ENVVARS},
            line=4,
        ),
        Example(
            """
            import os
            import sys
            import pytest

            @pytest.fixture
            def clean_path():
                saved = sys.path[:]
                yield
                sys.path[:] = saved

            def test_env(clean_path):
                os.environ['DEBUG'] = '1'
            """,
            line=12,
        ),
        Example(
            """
            import os
            import pytest

            @pytest.fixture
            def saved_env():
                saved = dict(os.environ)
                yield
                os.environ.clear()
                os.environ.update(saved)

            def test_env():
                os.environ['DEBUG'] = '1'
            """,
            line=12,
        ),
        Example(
            """
            import os
            import pytest

            @pytest.fixture(autouse=True)
            def config_file(tmp_path):
                os.environ["DEMO_CONFIG"] = str(tmp_path)
            """,
            path="tests/unit/conftest.py",
            files={"tests/functional/test_app.py": "def test_app():\n    pass\n"},
            line=6,
        ),
        Example(
            """
            import os
            import pytest

            FLAG = os.getenv("FLAG") == "1"

            @pytest.fixture(scope="session", autouse=FLAG)
            def server_url():
                os.environ["DEMO_URL"] = "http://127.0.0.1:8080"
            """,
            line=8,
        ),
        Example(  # SD3's near miss: the fallback runs wherever yaml is not installed
            """
            import sys

            try:
                import yaml
            except ImportError:
                sys.path.append("vendor")
                import yaml


            def test_load():
                assert yaml
            """,
            files={**OTHER_TEST, "src/demo/__init__.py": ""},
        ),
        Example(  # SD3's near miss: the try does more than import the project's package
            """
            import sys

            try:
                from demo import core

                core.check()
            except ImportError:
                sys.path.append("..")


            def test_core():
                pass
            """,
            files={**OTHER_TEST, "src/demo/__init__.py": "", "src/demo/core.py": ""},
        ),
        Example(  # SD2's near miss: the file takes the place of a module that exists
            """
            import importlib.util
            import sys

            _spec = importlib.util.spec_from_file_location("json", "vendor/json.py")
            fake = importlib.util.module_from_spec(_spec)
            sys.modules["json"] = fake
            _spec.loader.exec_module(fake)


            def test_dumps():
                assert fake.dumps({})
            """,
            files=OTHER_TEST,
        ),
        Example(  # VA2's near miss: the spec's name is a module of the standard library
            """
            import importlib.util
            import sys

            _spec = importlib.util.spec_from_file_location("json", "vendor/json.py")
            fake = importlib.util.module_from_spec(_spec)
            sys.modules[_spec.name] = fake
            _spec.loader.exec_module(fake)


            def test_dumps():
                assert fake.dumps({})
            """,
            files=OTHER_TEST,
        ),
        Example(  # BX2's near miss: a call other than a sys.path change sits between the entry
            # and the try
            BX2_TEST.format(between="prepare_settings(path.parent)"),
            files=OTHER_TEST,
            line=10,
        ),
        Example(  # BX3's near miss: the module the class keeps takes the place of json
            """
            import importlib.util
            import sys
            import unittest


            class BridgeTest(unittest.TestCase):
                @classmethod
                def setUpClass(cls):
                    spec = importlib.util.spec_from_file_location("json", "vendor/json.py")
                    cls.m = importlib.util.module_from_spec(spec); sys.modules[spec.name] = cls.m
                    spec.loader.exec_module(cls.m)

                def test_dumps(self):
                    assert self.m.dumps({})
            """,
            files=OTHER_TEST,
            line=10,
        ),
        Example(  # AG3's near miss: a test's file takes the place of a module the file imports
            """
            import importlib.util
            import sys

            import helper


            def test_helper():
                spec = importlib.util.spec_from_file_location("helper", "vendor/helper.py")
                fake = importlib.util.module_from_spec(spec)
                sys.modules["helper"] = fake
                spec.loader.exec_module(fake)
                assert helper.version() == fake.version()
            """,
            files=OTHER_TEST,
        ),
        Example(  # AX2's near miss: the name the fixture binds is a module of the standard library
            """
            import importlib.util
            import sys

            import pytest


            @pytest.fixture(scope="session")
            def fake_json():
                module_name = "json"
                mod = sys.modules.get("vendored")
                if mod is None:
                    spec = importlib.util.spec_from_file_location(module_name, "vendor/json.py")
                    mod = importlib.util.module_from_spec(spec)
                    sys.modules[module_name] = mod
                    spec.loader.exec_module(mod)
                return mod


            def test_json(fake_json):
                assert fake_json
            """,
            files=OTHER_TEST,
            line=14,
        ),
        Example(  # SD2's near miss: the entry is set apart from the recipe's import
            """
            import importlib.util
            import sys

            _spec = importlib.util.spec_from_file_location("helper", "tests/helper.py")
            helper = importlib.util.module_from_spec(_spec)
            sys.modules["helper"] = helper


            def test_helper():
                _spec.loader.exec_module(helper)
            """,
            files=OTHER_TEST,
        ),
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.changes: list[_Change] = []
        self.first_yield: dict[ast.AST, int] = {}
        self.cleanups: set[ast.AST] = set()
        self.cleanup_methods: dict[ast.ClassDef, set[str]] = {}
        """The methods a class's per-test setup registers with ``self.addCleanup(self.name)``,
        or its per-test teardown calls as ``self.name(...)``: they run after each of its
        tests, like its ``tearDown``."""
        self.cleanup_functions: dict[ast.ClassDef, set[ast.AST]] = {}
        """The functions a class's per-test setup defines and registers with
        ``self.addCleanup(name)``: they too run after each of its tests."""
        self.method_class: dict[ast.AST, ast.ClassDef | None] = {}
        """The class whose body holds each function that makes a change."""
        self.used_fixtures: dict[ast.ClassDef, set[str]] = {}
        """The classes of the file whose instances a class's per-test setup hands
        ``self.useFixture`` (testtools, the fixtures library): their cleanups run after each
        of its tests (YA2)."""
        self.restored_families: dict[ast.ClassDef, set[str]] = {}
        """ET1: the families that a fixture of another distribution (``DISTRIBUTION_RESTORERS``),
        handed ``self.useFixture`` in a class's per-test setup, puts back after each test."""
        self.environ = EnvironNames()
        self.snapshots: dict[ast.AST | None, set[str]] = {}
        """The families each function (None: the module) copies, so that it can restore them."""
        self.yields: dict[ast.AST, list[ast.AST]] = {}
        """The ``yield``s of each function (the innermost one around them)."""
        self.patched_yields: dict[ast.AST, set[str]] = {}
        """The families a function yields under ``mock.patch.dict``/``patch`` of."""
        self.yield_managers: dict[ast.AST, set[str]] = {}
        self.yield_roots: dict[ast.AST, set[str]] = {}
        """The names of the ``with`` calls a function yields in."""
        self.definitions: list[tuple[FunctionNode, ast.AST]] = []
        """Functions defined directly in the module or a class, with that parent."""
        self.finally_calls: list[tuple[ast.AST, ast.expr, int, frozenset[str]]] = []
        """``(test code, called expression, line, keys handed back)`` of each call in a
        ``finally`` block of test code: one to a helper of the file that changes a family puts
        that family back (UC2); one to a helper the file does not define that is handed a
        variable's literal key with the value the test saved of it puts that variable back
        (DY1)."""
        self.monkeypatched: dict[ast.AST, set[str]] = {}
        """The variables each test hands to ``monkeypatch.setenv``/``delenv`` (restored after
        it, whatever else changed them)."""
        self.forked_module = False
        self.key_copies: set[ast.AST | None] = set()
        """Functions that save an environment variable (``old = os.environ.get(K)``, or into a
        dict, ``saved[k] = os.environ.get(k)``: RZ5): a fixture that puts such copies back both
        ways after its ``yield`` restores the environment for its tests (which keys, not known:
        not sure, so silent)."""
        self.saved: dict[tuple[ast.AST | None, str], str] = {}
        """``(function, variable)``: the family a variable of a function holds a copy of
        (``old = os.getcwd()``), so that writing it back (``os.chdir(old)``) is a restore."""
        self.imported: dict[str, str] = {}
        self.imported_from: dict[str, str] = {}
        """Names a module-level ``from module import name`` binds: ``"module:name"``."""
        """Names the file binds by importing, with the top-level module they come from ("."
        for a relative import)."""
        self.process_targets: dict[ast.AST, bool] = {}
        """Per nested ``def``: whether it runs only as a Process's ``target=`` (EB1)."""
        self.reset_keys: dict[FunctionNode, dict[str, int]] = {}
        """The variables each fixture applying to every test (``autouse=True``, function
        scope) resets, named literally, with the line of the first reset (``_note_reset``)."""
        self.undone_keys: dict[FunctionNode, set[str]] = {}
        """The variables each function-scoped autouse fixture changes through ``monkeypatch``,
        which puts them back after each test (``_note_undone``)."""
        self.set_keys: dict[ast.AST | None, set[str]] = {}
        """The ``os.environ`` keys each function (None: the module) has set so far, as
        ``ast.dump`` of the key expression: removing one of them undoes that change."""
        self.removed_keys: dict[ast.AST | None, set[str]] = {}
        """The ``os.environ`` keys each function (None: the module) has removed so far (a
        reported change), as ``ast.dump`` of the key expression: setting one of them again
        is that removal's undo, the removal the leak."""
        self.path_adders: set[ast.AST | None] = set()
        """The functions that have added to ``sys.path`` so far: taking an entry out again
        undoes that change."""
        self.lineage: Mapping[ast.ClassDef, frozenset[ast.ClassDef]] = {}
        """Each class of the file with those of the file it derives from (set at its end)."""
        self.module_undos: list[tuple[str, int, str | None, tuple[int, str] | None]] = []
        """``(family, line, scope, block)``: undos written as statements of the module body (or
        of a block of it, ``_module_block``), with what they take back
        (``_call_undo_scope``)."""
        self.cwd_cleanups: set[ast.ClassDef] = set()
        """Classes whose per-test setup registers ``self.addCleanup(os.chdir, os.getcwd())``:
        the working directory goes back after each of their tests (and their subclasses')."""
        self.cwd_attributes: set[tuple[str, str]] = set()
        """``(class name, "startdir")``: attributes a method of the class binds to the working
        directory (``cls.startdir = os.getcwd()`` in ``setUpClass``, ``self.olddir = ...`` in
        ``setUp``): ``os.chdir(self.startdir)`` in a method of it, or of a class of the module
        deriving from it, goes back there."""
        self.attribute_copies: set[tuple[ast.ClassDef, str]] = set()
        """``(class, "self.saved")``: attributes a method of the class binds to a copy of the
        whole environment (``self.saved = os.environ.copy()`` in ``setUp``)."""
        self.monkeypatch_saved: dict[tuple[ast.AST, str], int] = {}
        """``(test, family)``: the line where the test's ``monkeypatch`` first saved that
        family as it was (``MONKEYPATCH_SAVES``)."""
        self.mocker_patched: dict[ast.AST, set[str]] = {}
        """The families each test code hands to ``mocker.patch.dict`` (pytest-mock's
        ``mocker``, ``class_mocker``, ``module_mocker``): put back when its scope ends."""

    def _is_environ(self, name: str | None) -> bool:
        return self.environ.means_environ(name, self.ctx.ancestors)

    def _record(self, node: ast.AST, change: Change | None) -> None:
        if change is None:
            return
        family, changes = change
        ancestors = self.ctx.ancestors
        owner = self.ctx.test_code()
        at_module = not any(isinstance(a, FunctionNode | ast.Lambda) for a in ancestors)
        reported = changes and (
            (owner is not None or at_module)
            and not never_runs(ancestors, node)
            and not self._patched(node, family)
            and not self._in_forked_child(node)
            and not _in_child_hook(ancestors)
            and not self._in_process_target(ancestors)
            and not (family == "environ" and _environ_swapped_before(node, ancestors))
        )
        in_finally = any(
            isinstance(outer, ast.Try | ast.TryStar) and within(node, outer.finalbody)
            for outer in ancestors
        )
        both_ways = next(
            (line_of(outer) for outer in ancestors if self._catch_all_undo(outer, node, family)),
            None,
        )
        cls = enclosing_class(ancestors, owner) if owner is not None else None
        func = self._function()
        if func is not None and func not in self.method_class:
            self.method_class[func] = enclosing_class(ancestors, func)
        managers = self._managers(node)
        key = environ_key(node) if family == "environ" else None
        self.changes.append(
            _Change(
                node,
                family,
                owner,
                func,
                cls,
                reported,
                in_finally,
                managers,
                key,
                self._manager_roots(node),
                self._module_block(node),
                fallback_for=import_fallback_for(ancestors),
                both_ways=both_ways,
            )
        )

    def _in_process_target(self, ancestors: Sequence[ast.AST]) -> bool:
        """Whether the change sits in a ``def`` nested in test code that runs only as the
        ``target=`` of a ``multiprocessing.Process`` (EB1: ``def func(q): sys.modules["sphinx"]
        = None`` / ``Process(target=func, args=(q,)).start()``): the child process makes the
        change, which never reaches the tests' process. Every other use of the name (a direct
        call, a thread's target) keeps the change reported. The enclosing function is walked
        only for a change inside a nested ``def``, which is rare."""
        defs = [a for a in ancestors if isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef)]
        if len(defs) < 2 or any(isinstance(a, ast.Lambda) for a in ancestors):
            return False
        inner, outer = defs[-1], defs[-2]
        if not isinstance(inner, ast.FunctionDef) or inner not in outer.body:
            return False
        known = self.process_targets.get(inner)
        if known is None:
            known = self.process_targets[inner] = self._only_process_target(inner, outer)
        return known

    def _only_process_target(self, inner: ast.FunctionDef, outer: FunctionNode) -> bool:
        """Whether every use of ``inner``'s name in ``outer`` is a Process's ``target=``."""
        handed: set[int] = set()
        uses: list[ast.Name] = []
        for node in ast.walk(outer):
            if isinstance(node, ast.Call) and self._is_process_class(node.func):
                handed.update(
                    id(k.value)
                    for k in node.keywords
                    if k.arg == "target" and isinstance(k.value, ast.Name)
                )
            elif isinstance(node, ast.Name) and node.id == inner.name:
                if not isinstance(node.ctx, ast.Load):
                    return False
                uses.append(node)
        return bool(uses) and all(id(use) in handed for use in uses)

    def _is_process_class(self, func: ast.expr) -> bool:
        """Whether ``func`` names ``multiprocessing.Process`` (as imported here)."""
        if isinstance(func, ast.Name):
            return self.imported_from.get(func.id) == "multiprocessing:Process"
        return (
            isinstance(func, ast.Attribute)
            and func.attr == "Process"
            and isinstance(func.value, ast.Name)
            and self.imported.get(func.value.id) == "multiprocessing"
            and func.value.id not in self.imported_from
        )

    def _in_forked_child(self, node: ast.AST) -> bool:
        """Whether ``node`` runs only in the child of an ``os.fork()`` (AU2: ``pid, fd =
        pty.fork()`` / ``if pid == 0: os.environ.update(...); os.execvp(...)``): the child is a
        process of its own, so what it changes never reaches the tests' process. The branch is
        the body of ``if pid == 0``/``if not pid``, or the ``else`` of ``if pid``/``if pid !=
        0``, ``pid`` bound from the fork earlier in the same function."""
        func = self._function()
        if func is None:
            return False
        for outer in self.ctx.ancestors:
            if not isinstance(outer, ast.If):
                continue
            child = _fork_child_branch(outer)
            if child is None:
                continue
            name, in_body = child
            branch = outer.body if in_body else outer.orelse
            if within(node, branch) and self._bound_from_fork(func, name, line_of(outer)):
                return True
        return False

    def _bound_from_fork(self, func: ast.AST, name: str, before: int) -> bool:
        """Whether ``func`` binds ``name`` from a fork (``os.fork()``, ``os.forkpty()``,
        ``pty.fork()``; the first name of a tuple target) before line ``before``."""
        for stmt in ast.walk(func):
            if not isinstance(stmt, ast.Assign) or line_of(stmt) >= before:
                continue
            if not isinstance(stmt.value, ast.Call) or len(stmt.targets) != 1:
                continue
            if self.ctx.callee(stmt.value) not in FORK_CALLS:
                continue
            target = stmt.targets[0]
            if isinstance(target, ast.Tuple | ast.List) and target.elts:
                target = target.elts[0]
            if isinstance(target, ast.Name) and target.id == name:
                return True
        return False

    def _repairs_lost_cwd(self, node: ast.Call) -> bool:
        """Whether ``node`` (an ``os.chdir``) sits in a handler of a ``try`` whose body only
        asks for the working directory (``try: os.getcwd()`` / ``except OSError:
        os.chdir(root)``): it runs only when that folder is gone (an earlier test removed the
        temporary folder it was in), and moves the process to a folder that exists rather than
        away from one a later test could rely on (YB6)."""
        for outer in self.ctx.ancestors:
            if not isinstance(outer, ast.Try | ast.TryStar):
                continue
            if not any(within(node, h.body) for h in outer.handlers):
                continue
            return bool(outer.body) and all(
                isinstance(statement, ast.Expr | ast.Assign)
                and isinstance(statement.value, ast.Call)
                and self.ctx.callee(statement.value) in CWD_SNAPSHOTS
                for statement in outer.body
            )
        return False

    def _catch_all_undo(self, outer: ast.AST, node: ast.AST, family: str) -> bool:
        """Whether ``node`` sits in a handler of the ``try`` ``outer`` that catches everything
        (bare ``except:``, ``except BaseException``: pytest's failures and skips too) while the
        ``try`` body changes the family back in a statement of its own, not under a branch
        (``try: ...; os.chdir(cwd)`` / ``except: os.chdir(cwd); raise``): the body's last word
        on success, the handler's on any exception, the same as a ``finally``."""
        if not isinstance(outer, ast.Try | ast.TryStar):
            return False
        handlers = [h for h in outer.handlers if within(node, h.body)]
        if not handlers or not _catches_all(handlers[0]):
            return False
        simple = [s for s in outer.body if isinstance(s, ast.Expr | ast.Assign | ast.Delete)]
        return any(
            c.family == family and any(within(c.node, [s]) for s in simple)
            for c in self.changes
            if c.func is self._function()
        )

    def _module_block(self, node: ast.AST) -> tuple[int, str] | None:
        """The list of statements run at import that holds ``node``'s statement, when every
        statement of it runs once the first has, or the import fails: one under ``if`` or in
        an ``except`` handler of the module body (not in a function or class, nor in the body
        of a ``try`` whose handler could swallow a failure between two of its statements, nor
        in a ``with`` whose manager could). None otherwise, and for the module body itself."""
        ancestors = self.ctx.ancestors
        if len(ancestors) < 2 or not isinstance(ancestors[0], ast.Module):
            return None
        chain = [*ancestors, node]
        at = max((i for i, outer in enumerate(chain) if isinstance(outer, ast.stmt)), default=0)
        if at == 0:
            return None
        statement, parent = chain[at], chain[at - 1]
        for outer in chain[1:at]:
            if isinstance(outer, ast.Try | ast.TryStar) and within(statement, outer.body):
                return None
            if not isinstance(outer, ast.If | ast.Try | ast.TryStar | ast.ExceptHandler):
                return None
        for field in ("body", "orelse", "finalbody"):
            if any(statement is s for s in getattr(parent, field, ())):
                return (id(parent), field) if parent is not ancestors[0] else None
        return None

    def _managers(self, node: ast.AST) -> tuple[str, ...]:
        """The names of the calls of the ``with`` statements around ``node``."""
        return tuple(
            called_name(item.context_expr)
            for outer in self.ctx.ancestors
            if isinstance(outer, ast.With | ast.AsyncWith) and within(node, outer.body)
            for item in outer.items
            if isinstance(item.context_expr, ast.Call)
        )

    def _manager_roots(self, node: ast.AST) -> tuple[str, ...]:
        """The names that the calls of the ``with`` statements around ``node`` are attributes
        of: ``contexts`` for ``with contexts.save_paths():``, a context manager of a module the
        file imports (``from . import contexts``), whose origin says whose it is."""
        return tuple(
            name.partition(".")[0]
            for outer in self.ctx.ancestors
            if isinstance(outer, ast.With | ast.AsyncWith) and within(node, outer.body)
            for item in outer.items
            if isinstance(item.context_expr, ast.Call)
            and isinstance(item.context_expr.func, ast.Attribute)
            and (name := dotted_name(item.context_expr.func))
        )

    def _origins(self, managers: Sequence[str]) -> tuple[str, ...]:
        """The top-level modules the imported ones among ``managers`` come from."""
        origins = {self.imported.get(m.partition(".")[0], "") for m in managers}
        return tuple(sorted(origins - {""}))

    def _patched(self, node: ast.AST, family: str) -> bool:
        """Inside ``with mock.patch.dict(os.environ, ...)`` or under such a decorator."""
        for outer in self.ctx.ancestors:
            calls: Sequence[ast.expr] = ()
            if isinstance(outer, ast.With | ast.AsyncWith) and within(node, outer.body):
                calls = [item.context_expr for item in outer.items]
            elif isinstance(outer, FunctionNode | ast.ClassDef):
                calls = outer.decorator_list
            if any(self._patches_family(call, family) for call in calls):
                return True
        return False

    def _patches_family(self, call: ast.expr, family: str) -> bool:
        """Whether a ``mock.patch*`` call patches ``family``; for the environment also under
        the name ``from os import environ as env`` bound (AU3: ``@patch.dict(env, {},
        clear=True)`` puts back what the test's ``env[K] = v`` changed, as that change is
        read as one of ``os.environ``)."""
        mentions = patch_mentions(call)
        if mentions & PATCH_TARGETS[family]:
            return True
        return family == "environ" and any(
            self.environ.means_environ(name, self.ctx.ancestors) for name in mentions
        )

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.environ.note_import(node)
        origin = "." if node.level else (node.module or "").partition(".")[0]
        for alias in node.names:
            self.imported[alias.asname or alias.name] = origin
            if not node.level and node.module and self._function() is None:
                self.imported_from[alias.asname or alias.name] = f"{node.module}:{alias.name}"

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            top = alias.name.partition(".")[0]
            self.imported[alias.asname or top] = top
            if self._function() is not None:
                # ``import typing as saved`` in a function: the module ``sys.modules`` holds
                # then, which ``sys.modules["typing"] = saved`` puts back
                name = alias.name if alias.asname else top
                self.saved[(self._function(), alias.asname or top)] = f"module:{name}"

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        parent = self.ctx.ancestors[-1] if self.ctx.ancestors else None
        if isinstance(parent, ast.Module | ast.ClassDef):
            self.definitions.append((node, parent))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        callee = self.ctx.callee(node)
        change = call_change(callee, self._is_environ)
        if change is not None and change[0] == "cwd" and self._repairs_lost_cwd(node):
            change = None
        if change is not None and change[1] and self._call_undoes(node, callee, change[0]):
            self._note_module_undo(node, change[0], self._call_undo_scope(node, callee, change[0]))
            change = (change[0], False)
        self._record(node, change)
        self._note_finally_call(node)
        self._note_added(node, callee, change)
        self._note_monkeypatch_saves(node, callee)
        self._snapshot(snapshot_family(node, callee, self._is_environ))
        method = callee.rpartition(".")[2]
        if method in MONKEYPATCH_ENV and node.args and (key := environ_key_name(node.args[0])):
            owner = self.ctx.test_code()
            if owner is not None:
                self.monkeypatched.setdefault(owner, set()).add(key)
                self._note_undone(key, owner)
        if method in CLEANUP_CALLS:
            owner = self.ctx.test_code()
            if owner is not None:
                self.cleanups.add(owner)
            if method == "addCleanup":
                self._note_cleanup_method(node, owner)
                self._note_fixture_cleanup(node)
        if method == "useFixture":
            self._note_used_fixture(node)
        self._note_teardown_helper(node)

    def _note_finally_call(self, node: ast.Call) -> None:
        """Note a call of test code that sits in a ``finally`` block (``restore(prev)``,
        ``self._restore(prev)``): if the helper it calls changes a family, the call is the
        way back, as a change written there would be."""
        owner = self.ctx.test_code()
        if owner is not None and any(
            isinstance(outer, ast.Try | ast.TryStar) and within(node, outer.finalbody)
            for outer in self.ctx.ancestors
        ):
            self.finally_calls.append((owner, node.func, line_of(node), self._handed_back(node)))

    def _handed_back(self, call: ast.Call) -> frozenset[str]:
        """DY1: the environment variables a call hands back, each as its literal key together
        with the variable the function saved its value in (``_restore_env("DATABASE_URL",
        old_db)`` after ``old_db = os.environ.get("DATABASE_URL")``)."""
        copies = {self._copy_of(arg) for arg in call.args}
        return frozenset(
            key
            for arg in call.args
            if (key := string_value(arg)) is not None and f"environ:{ast.dump(arg)}" in copies
        )

    def _helper(self, target: ast.expr, cls: ast.ClassDef | None) -> FunctionNode | None:
        """The function of this file a call's target names: a module-level function by its
        name, or a method of the test's class through ``self``, ``cls``, ``__class__`` or the
        class's own name. Anything else (an import, a base's method): None, not known."""
        if isinstance(target, ast.Name):
            name, scope = target.id, None
        elif (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and cls is not None
            and target.value.id in ("self", "cls", "__class__", cls.name)
        ):
            name, scope = target.attr, cls
        else:
            return None
        return next(
            (
                func
                for func, parent in self.definitions
                if func.name == name
                and (parent is scope if scope is not None else isinstance(parent, ast.Module))
            ),
            None,
        )

    def _helper_in_finally(self, change: _Change) -> bool:
        """UC2: a later call in a ``finally`` block of the same test code to a helper of the
        file that changes the same family (testgres's ``finally:
        __class__.helper__restore_envvar("LANG", prev)``) puts the change back however the
        test ends. A helper changing another family restores nothing of this one."""
        line = line_of(change.node)
        for owner, target, call_line, handed in self.finally_calls:
            if owner is not change.owner or call_line <= line:
                continue
            helper = self._helper(target, change.cls)
            if helper is not None and any(
                c.func is helper and c.family == change.family for c in self.changes
            ):
                return True
            if helper is None and change.family == "environ" and change.key in handed:
                return True  # DY1: a helper the file does not define gets the saved value back
        return False

    def _note_cleanup_method(self, node: ast.Call, owner: FunctionNode | None) -> None:
        """``self.addCleanup(self._remove_key)`` in a per-test setup (``setUp``): that method
        runs after every test of the class, so what it changes back is undone there."""
        first = node.args[0] if node.args else None
        if not _per_test_setup(owner) or owner is None:
            return
        if isinstance(first, ast.Name):
            self._note_cleanup_function(first.id, owner)
            return
        if not isinstance(first, ast.Attribute):
            return
        back = node.args[1] if len(node.args) == 2 else None
        if (
            dotted_name(first) in ("os.chdir", "chdir")
            and back is not None
            and (self._names_cwd(back) or self._copy_of(back) == "cwd")
            and (cls := enclosing_class(self.ctx.ancestors, owner)) is not None
        ):
            self.cwd_cleanups.add(cls)  # ``self.addCleanup(os.chdir, Path.cwd())``
            return
        if isinstance(first.value, ast.Name) and first.value.id == "self":
            cls = enclosing_class(self.ctx.ancestors, owner)
            if cls is not None:
                self.cleanup_methods.setdefault(cls, set()).add(first.attr)

    def _note_used_fixture(self, node: ast.Call) -> None:
        """YA2: ``self.useFixture(EnvFixture())`` in a per-test setup: testtools sets the
        fixture up there and runs its cleanups after each test of the class, whatever the
        test's outcome (osc-lib's ``EnvFixture`` puts back the ``os.environ`` it replaced)."""
        owner = self._function()
        made = node.args[0] if len(node.args) == 1 else None
        if not (
            isinstance(owner, FunctionNode)
            and _per_test_setup(owner)
            and (dotted_name(node.func) or "") == "self.useFixture"
            and isinstance(made, ast.Call)
        ):
            return
        cls = enclosing_class(self.ctx.ancestors, owner)
        if cls is None:
            return
        if isinstance(made.func, ast.Name):
            self.used_fixtures.setdefault(cls, set()).add(made.func.id)
        family = DISTRIBUTION_RESTORERS.get(self._imported_as(dotted_name(made.func) or ""))
        if family is not None:
            self.restored_families.setdefault(cls, set()).add(family)

    def _imported_as(self, name: str) -> str:
        """ET1: the full dotted name an imported ``name`` stands for (``osc_lib_test_utils.
        EnvFixture`` after ``from osc_lib.tests import utils as osc_lib_test_utils``), from the
        module-level imports visited so far; ``""`` when its first part is no such import."""
        head, dot, rest = name.partition(".")
        origin = self.imported_from.get(head)
        if origin is not None:
            module, _, imported = origin.partition(":")
            return f"{module}.{imported}{dot}{rest}"
        return name if self.imported.get(head) == head else ""

    def _note_fixture_cleanup(self, node: ast.Call) -> None:
        """``self.addCleanup(self.revert)`` in a fixtures-library fixture's ``_setUp``: the
        method runs when the fixture is cleaned up, after each test of a class whose per-test
        setup uses it (`_note_used_fixture`)."""
        owner = self._function()
        first = node.args[0] if node.args else None
        if (
            isinstance(owner, FunctionNode)
            and owner.name == FIXTURE_SETUP
            and isinstance(first, ast.Attribute)
            and isinstance(first.value, ast.Name)
            and first.value.id == "self"
        ):
            cls = enclosing_class(self.ctx.ancestors, owner)
            if cls is not None:
                self.cleanup_methods.setdefault(cls, set()).add(first.attr)

    def _note_teardown_helper(self, node: ast.Call) -> None:
        """UB1: ``self.reset_env(K)`` called by a class's per-test teardown (``tearDown``): that
        method runs after every test of the class as the teardown does, so what it changes
        back is undone there (oauth2client's ``reset_env`` popping each variable its tests
        set). A method the teardown calls that changes nothing back restores nothing."""
        func, owner = node.func, self._function()
        if not (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "self"
            and isinstance(owner, FunctionNode)
            and owner.name in PER_TEST_TEARDOWNS
            and fixture_decl(owner) is None
        ):
            return
        cls = enclosing_class(self.ctx.ancestors, owner)
        if cls is not None:
            self.cleanup_methods.setdefault(cls, set()).add(func.attr)

    def _note_cleanup_function(self, name: str, owner: FunctionNode) -> None:
        """``self.addCleanup(cleanup)`` where the setup itself defines ``def cleanup():``
        (oslo.config's ``del os.environ[env]`` for the variables its tests set): that function
        runs after every test of the class, as a registered method does."""
        cls = enclosing_class(self.ctx.ancestors, owner)
        defined = [
            func
            for func in owner.body
            if isinstance(func, FunctionNode) and func.name == name and not func.decorator_list
        ]
        if cls is not None and len(defined) == 1:
            self.cleanup_functions.setdefault(cls, set()).add(defined[0])

    def _call_undoes(self, node: ast.Call, callee: str, family: str) -> bool:
        """Whether a call that changes ``family`` takes back an earlier change instead (the
        undo is not the leak: the change before it is, and stays reported), or resets the
        environment in a fixture."""
        method = callee.rpartition(".")[2]
        first = node.args[0] if node.args else None
        if family == "cwd":  # ``os.chdir(old)``, or a move that the next statement takes back
            return (first is not None and self._copy_of(first) == "cwd") or (
                self._written_back_next("cwd")
                or self._cwd_attribute(first)
                or self._back_up(node, first)
            )
        if method in ("update", "extend") and len(node.args) == 1 and first is not None:
            return self._copy_of(first) == family  # ``os.environ.update(saved)``
        if method == "clear":
            return self._written_back_next(family)
        if family == "environ" and method in ENVIRON_REMOVALS and first is not None:
            return (
                self._removes_set_key(first)
                or self._resets(node, first)
                or self._asserted_removal(node)
            )
        if family == "sys.path" and method in ("remove", "pop"):
            fresh = method == "remove" and first is not None and self._fresh_entry(node, first)
            return fresh or self._function() in self.path_adders
        return False

    def _asserted_removal(self, node: ast.Call) -> bool:
        """FM2: ``assert os.environ.pop(K) == v``, with no default, takes out a variable the
        test asserts is there, which a test can only count on when the code it ran set it
        (``_child_exec_main()`` sets ``K``): the removal is that code's cleanup, not a leak.
        A bare ``os.environ.pop(K)`` statement, or one with a default, stays reported."""
        if len(node.args) != 1 or node.keywords or len(self.ctx.ancestors) < 2:
            return False
        statement, compare = self.ctx.ancestors[-2], self.ctx.ancestors[-1]
        return (
            isinstance(statement, ast.Assert)
            and statement.test is compare
            and isinstance(compare, ast.Compare)
            and any(side is node for side in (compare.left, *compare.comparators))
        )

    def _fresh_entry(self, node: ast.Call, value: ast.expr) -> bool:
        """Whether ``sys.path.remove(value)`` takes out a folder made for this test, which
        was on ``sys.path`` before it only if the test (or the code it ran) put it there: the
        test's ``tmp_path``/``tmpdir`` (or a name it binds once from one, AK3), or the ``as``
        name of a ``with`` around the call (pylint's ``with fake_home() as home: ...;
        sys.path.remove(home)`` after an init hook appended it). A removal of anything else
        may take out an entry of the session's."""
        requested = {
            name
            for outer in self.ctx.ancestors
            if isinstance(outer, FUNCTION_NODES)
            for name in parameter_names(outer)
        }
        names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
        if names & requested & PER_TEST_FOLDERS or self._absent_from_copy(node, value):
            return True
        if not isinstance(value, ast.Name):
            return False
        func = self._function()
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            # AK3: a name the test binds once from its folder (``path = str(tmp_path)``)
            bound = module_bindings(func).get(value.id)
            read = {n.id for n in ast.walk(bound) if isinstance(n, ast.Name)} if bound else set()
            if read & requested & PER_TEST_FOLDERS:
                return True
        return any(
            isinstance(outer, ast.With | ast.AsyncWith)
            and within(node, outer.body)
            and any(
                isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == value.id
                for item in outer.items
            )
            for outer in self.ctx.ancestors
        )

    def _absent_from_copy(self, node: ast.Call, value: ast.expr) -> bool:
        """BF1: ``if entry not in before: sys.path.remove(entry)`` with ``before`` a copy of
        ``sys.path`` the function took earlier (``before = list(sys.path)``): the removal takes
        out only what was put there since, by the test or the code it ran, never the session's
        own entry. The question must hold for the whole ``if`` (itself, or a term of an
        ``and``); one of an ``or`` lets other entries through."""
        removed = ast.dump(value)
        for outer in self.ctx.ancestors:
            if not isinstance(outer, ast.If) or not within(node, outer.body):
                continue
            terms = outer.test.values if isinstance(outer.test, ast.BoolOp) else [outer.test]
            if isinstance(outer.test, ast.BoolOp) and not isinstance(outer.test.op, ast.And):
                continue
            for term in terms:
                if (
                    isinstance(term, ast.Compare)
                    and len(term.ops) == 1
                    and isinstance(term.ops[0], ast.NotIn)
                    and ast.dump(term.left) == removed
                    and self._copy_of(term.comparators[0]) == "sys.path"
                ):
                    return True
        return False

    def _call_undo_scope(self, node: ast.Call, callee: str, family: str) -> str | None:
        """What an undoing call (``_call_undoes``) takes back of an earlier change: ``*`` the
        whole family (``os.chdir(old)``, ``os.environ.update(saved)``, ``sys.path.pop(0)``), a
        variable's name (``os.environ.pop("K")`` after ``os.environ["K"] = v``), or None when
        it undoes nothing before it (a fixture's reset, a move the next statement takes
        back)."""
        method = callee.rpartition(".")[2]
        first = node.args[0] if node.args else None
        if first is not None and self._copy_of(first) == family:
            return "*"
        if family == "sys.path" and method in ("remove", "pop"):
            return "*"
        if family == "environ" and method in ENVIRON_REMOVALS and first is not None:
            return environ_key(node) if self._removes_set_key(first) else None
        return None

    def _note_module_undo(self, node: ast.AST, family: str, scope: str | None) -> None:
        """Remember an undo that is a statement of the module body itself (not under ``if``,
        ``try`` or ``__main__``), with what it takes back (``_call_undo_scope``): an earlier
        change of the module body is then put back while pytest imports the module, before
        any test runs. If something between them fails, so does the import: a collection error
        that stops the run before its first test."""
        if scope is None or not self.ctx.ancestors:
            return
        module, statement = self.ctx.ancestors[0], node
        if not isinstance(node, ast.stmt):
            statement = self.ctx.ancestors[-1]
        if isinstance(module, ast.Module) and any(statement is s for s in module.body):
            self.module_undos.append((family, line_of(node), scope, None))
        elif (block := self._module_block(node)) is not None:
            self.module_undos.append((family, line_of(node), scope, block))

    def _undone_in_module(self, change: _Change) -> bool:
        """A change of the module body that a later statement of the module body takes back
        (``sys.path.insert(0, root)``, an import, ``sys.path.pop(0)``): no test sees it."""
        if change.owner is not None or change.func is not None:
            return False
        line = line_of(change.node)
        return any(
            family == change.family
            and at > line
            and scope in ("*", change.key)
            and (block is None or block == change.block)
            for family, at, scope, block in self.module_undos
        )

    def _undoes_del(self, node: ast.Delete, key: ast.expr) -> bool:
        """``del os.environ[K]`` that takes back this function's own ``os.environ[K] = v``,
        or a fixture's reset of ``K``."""
        return self._removes_set_key(key) or self._resets(node, key)

    def _removes_set_key(self, key: ast.expr) -> bool:
        """``del os.environ[K]``, ``os.environ.pop(K)`` after ``os.environ[K] = v`` in the
        same function, or in a function defined inside it (a mock's ``side_effect`` that the
        test runs, YC2): it takes back what that change added. The nested change stays
        reported where it is made."""
        dumped = ast.dump(key)
        function = self._function()
        return any(
            dumped in keys
            and (
                owner is function
                or (
                    isinstance(owner, FUNCTION_NODES)
                    and isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
                    and within(owner, function.body)
                )
            )
            for owner, keys in self.set_keys.items()
        )

    def _resets(self, node: ast.Call | ast.Delete, key: ast.expr) -> bool:
        """A fixture that removes an environment variable only if it is there
        (``os.environ.pop("K", None)``, ``del`` under ``except KeyError`` or ``if "K" in
        os.environ``) brings the environment back to the clean baseline that the code under
        test dirties; whether that leaks anything is not sure, so it is not reported. An xunit
        setup (``setUpModule``, ``setup_method``) resets the same way, and so does the module
        body (nox's ``os.environ.pop("NOXSESSION", None)``: run when pytest imports it, as a
        ``setUpModule``). A test's removal still is."""
        owner = self.ctx.test_code()
        at_module = owner is None and self._function() is None
        if not at_module and (
            owner is None or (fixture_decl(owner) is None and owner.name not in SETUP_PAIRS)
        ):
            return False
        if isinstance(node, ast.Call) and len(node.args) == 2:
            self._note_reset(node, owner)
            return True  # ``pop(K, default)``
        if only_if_present(node, key, self.ctx.ancestors, self._is_environ):
            self._note_reset(node, owner)
            return True
        patterns = self._environ_loop_patterns(key)
        if patterns is not None:
            self._note_reset(node, owner, patterns)
            return True
        return False

    def _environ_loop_patterns(self, key: ast.expr) -> tuple[str, ...] | None:
        """UB3: the variables a removal of the loop variable of ``for K in os.environ:`` (or
        ``list(os.environ)``, ``os.environ.keys()``/``copy()``) takes out, every one there by
        construction: ``"P*"`` under ``if K.startswith("P"):``, and ``"*"`` (any variable, as
        far as the lint can tell) for a prefix it cannot read (vault-cli's
        ``settings.ENV_PREFIX``) or another condition. AZ3: the loop may as well walk a list
        the comprehension filters (``for name in [k for k in os.environ if
        k.startswith(prefixes)]:``), and the prefix be a tuple of them, or a name the function
        binds once to one (``prefixes = ("TORRUS_", "XDG_")``): one pattern each. None for any
        other removal."""
        if not isinstance(key, ast.Name):
            return None
        loop = next(
            (
                outer
                for outer in reversed(self.ctx.ancestors)
                if isinstance(outer, ast.For)
                and isinstance(outer.target, ast.Name)
                and outer.target.id == key.id
            ),
            None,
        )
        if loop is None:
            return None
        source, variable, tests = _filtered_names(loop.iter) or (loop.iter, key.id, [])
        if not self._iterates_environ(source):
            return None
        inner = [
            outer.test
            for outer in self.ctx.ancestors[self.ctx.ancestors.index(loop) + 1 :]
            if isinstance(outer, ast.If)
        ]
        if len(tests) + len(inner) == 1:
            prefixes = (
                self._prefixes(tests[0], variable) if tests else self._prefixes(inner[0], key.id)
            )
            if prefixes:
                return tuple(f"{prefix}*" for prefix in prefixes)
        return ("*",)

    def _prefixes(self, test: ast.expr, variable: str) -> tuple[str, ...] | None:
        """The prefixes of ``variable.startswith(P)``: ``P`` a string, a tuple of strings, or a
        name the function around binds once to either (AZ3). None for any other test."""
        if not (
            isinstance(test, ast.Call)
            and isinstance(test.func, ast.Attribute)
            and test.func.attr == "startswith"
            and isinstance(test.func.value, ast.Name)
            and test.func.value.id == variable
            and len(test.args) == 1
            and not test.keywords
        ):
            return None
        value: ast.expr | None = test.args[0]
        function = self._function()
        if isinstance(value, ast.Name) and function is not None:
            value = _bound_once(function, value.id)
        items = value.elts if isinstance(value, ast.Tuple) else [value] if value else []
        texts = [string_value(item) for item in items]
        if not texts or not all(texts):
            return None
        return tuple(text for text in texts if text)

    def _iterates_environ(self, node: ast.expr) -> bool:
        """``os.environ``, ``list(os.environ)``, ``os.environ.keys()`` or ``.copy()``."""
        if (
            isinstance(node, ast.Call)
            and len(node.args) == 1
            and not node.keywords
            and self.ctx.callee(node) in ("list", "tuple", "sorted")
        ):
            return self._iterates_environ(node.args[0])
        if isinstance(node, ast.Call) and not node.args and isinstance(node.func, ast.Attribute):
            return node.func.attr in ("keys", "copy") and self._is_environ(
                dotted_name(node.func.value)
            )
        return self._is_environ(dotted_name(node))

    def _note_reset(
        self,
        node: ast.Call | ast.Delete,
        owner: FunctionNode | None,
        patterns: tuple[str, ...] = (),
    ) -> None:
        """Remember a reset that a function-scoped fixture applying to every test for certain
        (``autouse=True``) makes in its own body: it runs before each test it wraps. A loop's
        removal gives its ``patterns`` (``"P*"``, ``"*"``) instead of one variable."""
        decl = fixture_decl(owner) if owner is not None else None
        key = environ_key(node)
        keys = patterns or ((key,) if key is not None else ())
        if decl is None or owner is None or not keys or self._function() is not owner:
            return
        if decl.surely_autouse and decl.scope == "function":
            for each in keys:
                self.reset_keys.setdefault(owner, {}).setdefault(each, line_of(node))

    def _note_undone(self, key: str, owner: FunctionNode) -> None:
        """Remember a variable (``key``, as ``environ_key_name`` spells it) that a
        function-scoped autouse fixture sets or removes through ``monkeypatch``: its undo after
        each test puts the variable back as it was before the fixture, whatever the test did to
        it since (``kind`` ``"undone"``)."""
        decl = fixture_decl(owner)
        if decl is None or self._function() is not owner:
            return
        if decl.surely_autouse and decl.scope == "function":
            self.undone_keys.setdefault(owner, set()).add(key)

    def _written_back_next(self, family: str) -> bool:
        """Whether the statement after the one being visited writes a copy of ``family`` back
        (``os.environ.clear()`` then ``os.environ.update(saved)``, ``os.chdir(x)`` then
        ``os.chdir(old)``): the two restore together, nothing between them can fail."""
        if len(self.ctx.ancestors) < 2:
            return False
        statement, parent = self.ctx.ancestors[-1], self.ctx.ancestors[-2]
        following = next_statement(parent, statement)
        if not (isinstance(following, ast.Expr) and isinstance(following.value, ast.Call)):
            return False
        call = following.value
        if family == "cwd":
            return (
                call_change(self.ctx.callee(call), self._is_environ) == ("cwd", True)
                and len(call.args) == 1
                and self._copy_of(call.args[0]) == "cwd"
            )
        root, _, method = self.ctx.callee(call).rpartition(".")
        return (
            method in ("update", "extend")
            and family_of(root, self._is_environ) == family
            and len(call.args) == 1
            and self._copy_of(call.args[0]) == family
        )

    def _note_added(self, node: ast.AST, callee: str, change: Change | None) -> None:
        """Remember the environment keys and ``sys.path`` entries a change adds, so that
        taking them out later in the same function reads as its undo."""
        if change is None or not change[1]:
            return
        family, function = change[0], self._function()
        method = callee.rpartition(".")[2]
        removes = method in ("remove", "clear", *ENVIRON_REMOVALS) or isinstance(node, ast.Delete)
        if family == "sys.path" and not removes:
            self.path_adders.add(function)
        elif family == "environ":
            keys = self.set_keys.setdefault(function, set())
            keys.update(ast.dump(key) for key in added_environ_keys(node, method))
            removed = environ_key_node(node) if isinstance(node, ast.Delete) else None
            if isinstance(node, ast.Call) and method in ENVIRON_REMOVALS and node.args:
                removed = node.args[0]
            if removed is not None:
                self.removed_keys.setdefault(function, set()).add(ast.dump(removed))

    def _note_monkeypatch_saves(self, node: ast.Call, callee: str) -> None:
        """``monkeypatch.chdir``/``syspath_prepend`` in a test: the fixture saves the whole
        working directory or ``sys.path`` at its first such call and restores it after the
        test, undoing a later ``os.chdir`` or ``sys.path`` change too."""
        owner = self.ctx.test_code()
        family = MONKEYPATCH_SAVES.get(callee)
        if family is None and hands_off_monkeypatch(node):
            family = "cwd"  # a helper given the ``monkeypatch`` may ``chdir`` with it
        if family and owner is not None and "monkeypatch" in parameter_names(owner):
            self.monkeypatch_saved.setdefault((owner, family), node.lineno)
        root, _, method = callee.partition(".")
        if owner is None or method != "patch.dict" or root not in MOCKER_FIXTURES:
            return
        if root not in parameter_names(owner):
            return
        for family in ("environ", "sys.modules"):
            if patch_mentions(node) & PATCH_TARGETS[family]:
                # pytest-mock's ``mocker.patch.dict`` copies the whole mapping now and
                # writes the copy back when the fixture's scope ends, after the test
                self.monkeypatch_saved.setdefault((owner, family), node.lineno)
                self.mocker_patched.setdefault(owner, set()).add(family)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        """``sys.path[:]`` copies ``sys.path``."""
        if isinstance(node.slice, ast.Slice) and isinstance(node.ctx, ast.Load):
            self._snapshot(family_of(dotted_name(node.value), self._is_environ))

    def visit_Dict(self, node: ast.Dict) -> None:
        """``{**os.environ}`` copies the environment."""
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                self._snapshot(family_of(dotted_name(value), self._is_environ))

    def _snapshot(self, family: str | None) -> None:
        if family is not None:
            self.snapshots.setdefault(self._function(), set()).add(family)

    def _back_up(self, node: ast.Call, first: ast.expr | None) -> bool:
        """Whether ``os.chdir("..")`` takes back an earlier ``os.chdir(sub)`` of the same
        function into one relative folder (a literal, or a name the function binds once to
        one: ``tmp = "_tmp/"``): the move into ``sub`` is the leak, and stays reported."""
        parent = string_value(first) in ("..", "../") or (
            first is not None and dotted_name(first) == "os.pardir"
        )
        func = self._function()
        if not parent or func is None:
            return False
        line = line_of(node)
        return any(
            change.family == "cwd"
            and change.func is func
            and line_of(change.node) < line
            and isinstance(change.node, ast.Call)
            and self._one_folder(func, change.node.args[0] if change.node.args else None)
            for change in self.changes
        )

    @staticmethod
    def _one_folder(func: ast.AST, value: ast.expr | None) -> bool:
        """A relative path of one folder (``"sub"``, ``"sub/"``), written or bound once."""
        if isinstance(value, ast.Name):
            value = _bound_once(func, value.id)
        text = string_value(value)
        folder = (text or "").rstrip("/")
        return bool(folder) and "/" not in folder and folder not in (".", "..")

    def _function(self) -> ast.AST | None:
        """The innermost function around the node being visited."""
        return next(
            (a for a in reversed(self.ctx.ancestors) if isinstance(a, FUNCTION_NODES)), None
        )

    def _copy_of(self, value: ast.expr) -> str | None:
        """The family a variable of the current function copied, if ``value`` is one (also
        as ``str(old)`` or ``os.fspath(old)``)."""
        if (
            isinstance(value, ast.Call)
            and len(value.args) == 1
            and self.ctx.callee(value) in ("str", "os.fspath")
        ):
            value = value.args[0]
        if not isinstance(value, ast.Name):
            return None
        return self.saved.get((self._function(), value.id))

    def _note_attribute_copy(self, target: ast.Attribute, value: ast.expr) -> None:
        """``self.saved = os.environ.copy()`` in a method: the class keeps a copy."""
        if not isinstance(value, ast.Call):
            return
        if snapshot_family(value, self.ctx.callee(value), self._is_environ) != "environ":
            return
        cls = self._method_class()
        if cls is not None:
            self.attribute_copies.add((cls, f"self.{target.attr}"))

    def _cwd_attribute(self, value: ast.expr | None) -> bool:
        """Whether ``value`` (``self.startdir``, ``cls.startdir``) is an attribute that a
        method of the current class, or of a class it names as a base, bound to the working
        directory before (`cwd_attributes`)."""
        cls = self._method_class()
        if cls is None or not isinstance(value, ast.Attribute):
            return False
        if dotted_name(value) not in (f"self.{value.attr}", f"cls.{value.attr}"):
            return False
        names = {cls.name, *((dotted_name(b) or "").rpartition(".")[2] for b in cls.bases)}
        return any((name, value.attr) in self.cwd_attributes for name in names)

    def _method_class(self) -> ast.ClassDef | None:
        """The class whose method (``__init__``, ``setUp``, a test) the node visited is in."""
        classes = [a for a in self.ctx.ancestors if isinstance(a, ast.ClassDef)]
        return classes[-1] if classes else None

    def _key_of_copy(self, value: ast.expr, key: ast.expr) -> bool:
        """Whether ``value`` is ``saved[K]`` (or ``self.saved[K]``) for the very key ``K`` the
        assignment writes, ``saved`` a copy of the whole environment this function, or for
        ``self.saved`` a method of the class, took (``os.environ.copy()``, ``dict(os.environ)``):
        the variable's value from before, written back."""
        if not isinstance(value, ast.Subscript) or ast.dump(value.slice) != ast.dump(key):
            return False
        copy = value.value
        if isinstance(copy, ast.Name):
            return self._copy_of(copy) == "environ"
        name, cls = dotted_name(copy), self._method_class()
        return name is not None and cls is not None and (cls, name) in self.attribute_copies

    def _environ_values(self, value: ast.expr) -> bool:
        """Whether ``value`` is ``{k: os.environ.pop(k) for k in ...}`` (or ``os.environ[k]``,
        ``os.environ.get(k)``), or the same written out key by key (AU4: ``{"K":
        os.environ.get("K"), ...}``): the variables it names, as they were."""
        if isinstance(value, ast.Dict) and value.keys:
            return all(
                key is not None and self._reads_variable(taken, key)
                for key, taken in zip(value.keys, value.values, strict=True)
            )
        if not isinstance(value, ast.DictComp) or not isinstance(value.key, ast.Name):
            return False
        return self._reads_variable(value.value, value.key)

    def _reads_variable(self, taken: ast.expr, key: ast.expr) -> bool:
        """Whether ``taken`` reads (or takes out) the environment variable ``key`` names, a
        name or a literal: ``os.environ[key]``, ``os.environ.get(key)``,
        ``os.environ.pop(key)``."""
        if isinstance(taken, ast.Subscript):
            source, arg = taken.value, taken.slice
        elif isinstance(taken, ast.Call) and isinstance(taken.func, ast.Attribute):
            if taken.func.attr not in ("pop", "get") or len(taken.args) != 1:
                return False
            source, arg = taken.func.value, taken.args[0]
        else:
            return False
        return self._is_environ(dotted_name(source)) and ast.dump(arg) == ast.dump(key)

    def _loop_write_back(self, node: ast.Assign, key: ast.expr) -> bool:
        """Whether ``os.environ[k] = v`` sits in ``for k, v in saved.items():``, ``saved`` a
        copy of the environment (or of some of its variables) this function took, or a dict it
        filled with each key's value from before (``saved[k] = os.environ.get(k)``): each
        variable written back as it was."""
        value = node.value
        if not isinstance(key, ast.Name) or not isinstance(value, ast.Name):
            return False
        for outer in reversed(self.ctx.ancestors):
            if isinstance(outer, FUNCTION_NODES):
                return False
            if not isinstance(outer, ast.For) or not within(node, outer.body):
                continue
            target, source = outer.target, outer.iter
            names = (
                [e.id if isinstance(e, ast.Name) else "" for e in target.elts]
                if isinstance(target, ast.Tuple)
                else []
            )
            if names != [key.id, value.id] or not isinstance(source, ast.Call):
                continue
            func = source.func
            if isinstance(func, ast.Attribute) and func.attr == "items" and not source.args:
                saved = func.value
                return self._copy_of(saved) == "environ" or (
                    isinstance(saved, ast.Name)
                    and self.saved.get((self._function(), saved.id)) == ENVIRON_KEY_COPIES
                )
        return False

    def _note_swap(self, node: ast.Assign) -> None:
        """``old, sys.path = sys.path, []``: ``old`` keeps the list itself, untouched, while
        ``sys.path`` is rebound to another: writing ``old`` back is a restore."""
        target, value = node.targets[0], node.value
        if not isinstance(target, ast.Tuple | ast.List) or not isinstance(value, ast.Tuple):
            return
        if len(target.elts) != len(value.elts):
            return
        rebound = {dotted_name(t) for t in target.elts if isinstance(t, ast.Attribute)}
        for name, old in zip(target.elts, value.elts, strict=True):
            state = dotted_name(old)
            if isinstance(name, ast.Name) and state == "sys.path" and state in rebound:
                self.saved[(self._function(), name.id)] = "sys.path"

    def _note_copy(self, node: ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete) -> None:
        """``old = os.getcwd()``, ``saved = sys.path[:]``: a copy kept to be written back."""
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            return
        self._note_swap(node)
        target, value = node.targets[0], node.value
        if isinstance(target, ast.Attribute) and dotted_name(target) == f"self.{target.attr}":
            self._note_attribute_copy(target, value)
        if (
            isinstance(target, ast.Attribute)
            and dotted_name(target) in (f"self.{target.attr}", f"cls.{target.attr}")
            and self._names_cwd(value)
            and (cls := self._method_class()) is not None
        ):
            self.cwd_attributes.add((cls.name, target.attr))
        if (
            isinstance(target, ast.Subscript)
            and isinstance(target.value, ast.Name)
            and self._variable_copy(value, taken=False) is not None
        ):
            # ``saved[k] = os.environ.get(k)``: the dict keeps each key's value from before
            self.saved[(self._function(), target.value.id)] = ENVIRON_KEY_COPIES
            self.key_copies.add(self._function())
        if not isinstance(target, ast.Name):
            return
        family = None
        if isinstance(value, ast.Call):
            family = snapshot_family(value, self.ctx.callee(value), self._is_environ)
            if family is None and self._names_cwd(value):
                family = "cwd"
        elif isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Slice):
            family = family_of(dotted_name(value.value), self._is_environ)
        if family is None and (family := self._variable_copy(value)) is not None:
            self.key_copies.add(self._function())
        if family is None:
            family = self._module_copy(value)
        if family is None and self._is_environ(dotted_name(value)):
            family = ENVIRON_OBJECT
        if family is None and self._environ_values(value):
            family = "environ"  # ``{k: os.environ.pop(k) for k in keys}``: what it took out
            # each key's value from before, as ``saved[k] = os.environ.get(k)`` keeps it (AL3)
            self.key_copies.add(self._function())
        if family is None and isinstance(value, ast.Attribute) and dotted_name(value) == "sys.path":
            family = SYS_PATH_OBJECT
        key = (self._function(), target.id)
        if family is None and isinstance(value, ast.Constant):
            return  # ``old = ""`` in the other branch of ``if K in os.environ:``
        if family is None:
            self.saved.pop(key, None)  # rebound to something else
        else:
            self.saved[key] = family

    def _names_cwd(self, value: ast.expr) -> bool:
        """Whether ``value`` is the working directory in another spelling
        (``Path.cwd().resolve()``, ``os.path.realpath(os.getcwd())``, ``str(Path.cwd())``): the
        same folder, so that ``os.chdir`` back to it is a restore as after ``os.getcwd()``."""
        while isinstance(value, ast.Call):
            func = value.func
            if isinstance(func, ast.Attribute) and func.attr in SAME_FOLDER_METHODS:
                if value.args:
                    return False
                value = func.value
            elif len(value.args) == 1 and self.ctx.callee(value) in SAME_FOLDER_CALLS:
                value = value.args[0]
            else:
                return self.ctx.callee(value) in CWD_SNAPSHOTS
        return False

    def _removed_next(self, node: ast.AST) -> bool:
        """``sys.modules[K] = module`` whose very next statement takes the entry out again
        (``del sys.modules[K]``, ``sys.modules.pop(K)``): a test that simulates an entry gone
        before the code under test looks it up. Only ``sys.modules``: a removal of it is no
        change of its own, while ``del os.environ[K]`` after setting ``K`` removes a variable
        that may have been set before, and stays reported."""
        target = _modules_assignment(node)
        if target is None or not self.ctx.ancestors:
            return False
        following = next_statement(self.ctx.ancestors[-1], node)
        removed: ast.expr | None = None
        if (
            isinstance(following, ast.Delete)
            and len(following.targets) == 1
            and isinstance(following.targets[0], ast.Subscript)
            and dotted_name(following.targets[0].value) == "sys.modules"
        ):
            removed = following.targets[0].slice
        elif (
            isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Call)
            and dotted_name(following.value.func) == "sys.modules.pop"
            and following.value.args
        ):
            removed = following.value.args[0]
        return removed is not None and ast.dump(removed) == ast.dump(target.slice)

    def _stores_own_import(self, node: ast.AST) -> bool:
        """``sys.modules["K"] = importlib.import_module("K")``: the import leaves that very
        module under ``K`` before the store, which then changes nothing (BP9: bw-menu's
        ``sys.modules["tkinter"] = importlib.import_module("tkinter")``); what the import
        leaves, any ``import K`` leaves too. Another key, or another module, is a change."""
        target = _modules_assignment(node)
        if target is None or not isinstance(node, ast.Assign):
            return False
        value = node.value
        key = string_value(target.slice)
        return (
            key is not None
            and isinstance(value, ast.Call)
            and len(value.args) == 1
            and not value.keywords
            and self.ctx.callee(value) == "importlib.import_module"
            and string_value(value.args[0]) == key
        )

    @staticmethod
    def _modules_key(node: ast.expr) -> str | None:
        """``K`` of ``sys.modules["K"]``."""
        if isinstance(node, ast.Subscript) and dotted_name(node.value) == "sys.modules":
            return string_value(node.slice)
        return None

    def _replaces_own_entry(self, node: ast.AST) -> bool:
        """Whether a module-level ``sys.modules[K] = ...`` puts something in place of the
        module itself: ``K`` is ``__name__``, or the module's dotted name as its path spells it
        (``pkg.tests.helper`` for ``pkg/tests/helper.py``, any tail of it, which the import mode
        picks). Importing the module leaves an entry under that name anyway, wrapper or not."""
        target = _modules_assignment(node)
        if target is None:
            return False
        if any(isinstance(a, FunctionNode | ast.Lambda | ast.ClassDef) for a in self.ctx.ancestors):
            return False
        if isinstance(target.slice, ast.Name) and target.slice.id == "__name__":
            return True
        key = string_value(target.slice)
        if not key:
            return False
        parts = posixpath.splitext(self.ctx.file.path)[0].split("/")
        if parts[-1] == "__init__":
            parts.pop()
        words = key.split(".")
        return 0 < len(words) <= len(parts) and parts[-len(words) :] == words

    def _imports_by_path(self, node: ast.AST) -> bool:
        """Whether a ``sys.modules[K] = m`` at module level, or in a function's own body, is the
        importlib documentation's recipe for importing a source file: ``spec =
        spec_from_file_location(K, path)`` and ``m = module_from_spec(spec)`` before it,
        ``spec.loader.exec_module(m)`` right after (or first in a ``try`` right after, past
        ``sys.path`` insertions, BX2; ``m`` may be a class's ``cls.m``, BX3). That is
        an import by path, which leaves an entry under ``K`` as every import does. ``K`` may
        be written as the spec's own name (``sys.modules[spec.name] = m``, VA2), which is the
        first argument of ``spec_from_file_location``. A ``K`` of the standard library or of a
        module the file imports otherwise stays reported: the file then takes the place of a
        module that exists. The recipe may as well be a test's (or a helper's) own statements
        (AG3: a test importing a script by path to check its entry points): it is the same
        import, run when the test runs."""
        target = _modules_assignment(node)
        module = self.ctx.ancestors[0] if self.ctx.ancestors else None
        if target is None or not isinstance(module, ast.Module):
            return False
        functions = [a for a in self.ctx.ancestors if isinstance(a, FunctionNode)]
        scope: ast.Module | FunctionNode = functions[-1] if functions else module
        block = _recipe_block(scope, self.ctx.ancestors, node)
        value = node.value if isinstance(node, ast.Assign) else None
        if isinstance(value, ast.Attribute) and not isinstance(value.value, ast.Name):
            return False
        if block is None or not isinstance(value, ast.Name | ast.Attribute):
            return False
        call = _recipe_exec(block, node)
        if not (
            isinstance(call, ast.Call)
            and (dotted_name(call.func) or "").endswith(".loader.exec_module")
            and [ast.dump(a) for a in call.args] == [ast.dump(value)]
        ):
            return False
        bindings = module_bindings(scope)
        held = value.id if isinstance(value, ast.Name) else value
        spec = _call_argument(_recipe_value(bindings, block, node, held), "module_from_spec")
        if not isinstance(spec, ast.Name):
            return False
        location = _call_argument(
            _recipe_value(bindings, block, node, spec.id), "spec_from_file_location"
        )
        key = string_value(location)
        written = target.slice
        exact = True
        if key is None and isinstance(location, ast.Name):
            # AX2: ``module_name = "K"`` names the spec and the entry alike
            bound = _recipe_value(bindings, block, node, location.id)
            key = string_value(bound)
            if key is None:
                # AZ5: ``name = "released_treg_" + version``: only its start is known
                key, exact = _leading_text(bound), False
            if isinstance(written, ast.Name) and written.id == location.id:
                written = ast.Constant(key)
        spec_name = (
            isinstance(written, ast.Attribute)
            and written.attr == "name"
            and isinstance(written.value, ast.Name)
            and written.value.id == spec.id
        )
        if not key or (string_value(written) != key and not spec_name):
            return False
        top = key.partition(".")[0]
        taken = top_imports(ast.walk(module))
        if not exact and "." not in key:
            # AZ5: the top-level name only starts with ``key``: no module it may be exists
            return not any(name.startswith(key) for name in (*STDLIB_MODULES, *taken))
        return top not in STDLIB_MODULES and top not in taken

    def _fills_missing_sibling(self, node: ast.AST) -> bool:
        """Whether a module-level ``sys.modules[K] = m`` sits in the ``except ImportError``
        (or ``ModuleNotFoundError``) handler of a ``try`` whose body imports that very ``K``
        (``import_module(K)``), ``K`` a module of the file's own package (a string, or a name
        the module binds only to strings that start with that package): a test module built in
        memory for a name no file provides. The import has just failed, so the entry is new,
        and no later test imports that name otherwise."""
        target = _modules_assignment(node)
        if target is None:
            return False
        ancestors = self.ctx.ancestors
        if any(isinstance(a, FunctionNode | ast.Lambda | ast.ClassDef) for a in ancestors):
            return False
        handler = next((a for a in reversed(ancestors) if isinstance(a, ast.ExceptHandler)), None)
        if handler is None or not self._catches_import_error(handler.type):
            return False
        trial = ancestors[ancestors.index(handler) - 1]
        if not isinstance(trial, ast.Try) or handler not in trial.handlers:
            return False
        key = ast.dump(target.slice)
        if not any(
            isinstance(call, ast.Call)
            and called_name(call) in {"import_module", "importlib.import_module", "__import__"}
            and len(call.args) == 1
            and ast.dump(call.args[0]) == key
            for statement in trial.body
            for call in ast.walk(statement)
        ):
            return False
        prefixes = self._string_prefixes(target.slice, ancestors[0])
        if not prefixes:
            return False
        package = posixpath.dirname(self.ctx.file.path).split("/")
        for prefix in prefixes:
            words = prefix.split(".")[:-1]  # the package part: what follows the last dot varies
            if not words or len(words) > len(package) or package[-len(words) :] != words:
                return False
        return True

    @staticmethod
    def _catches_import_error(kind: ast.expr | None) -> bool:
        kinds = kind.elts if isinstance(kind, ast.Tuple) else [kind]
        return any(
            isinstance(k, ast.Name | ast.Attribute)
            and (dotted_name(k) or "").rpartition(".")[2] in {"ImportError", "ModuleNotFoundError"}
            for k in kinds
            if k is not None
        )

    @staticmethod
    def _string_prefixes(key: ast.expr, module: ast.AST) -> list[str]:
        """The constant starts of ``key``: the string itself, or for a name every value the
        module binds it to outside functions (``"pkg.tests.test_" + family``, an f-string);
        empty when one of them does not start with a constant."""

        def start(value: ast.expr) -> str | None:
            while isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
                value = value.left
            if isinstance(value, ast.JoinedStr) and value.values:
                value = value.values[0]
            text = string_value(value)
            return text or None

        if not isinstance(key, ast.Name):
            text = start(key)
            return [text] if text else []
        found: list[str] = []
        pending: list[ast.AST] = [module]
        while pending:
            current = pending.pop()
            for child in ast.iter_child_nodes(current):
                if isinstance(child, FunctionNode | ast.Lambda | ast.ClassDef):
                    continue
                if isinstance(child, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
                    targets = child.targets if isinstance(child, ast.Assign) else [child.target]
                    if any(isinstance(t, ast.Name) and t.id == key.id for t in targets):
                        text = start(child.value) if child.value is not None else None
                        if text is None or isinstance(child, ast.AugAssign):
                            return []
                        found.append(text)
                    elif any(
                        isinstance(n, ast.Name) and n.id == key.id and isinstance(n.ctx, ast.Store)
                        for t in targets
                        for n in ast.walk(t)
                    ):
                        return []  # bound by unpacking: not read
                elif isinstance(child, ast.For | ast.AsyncFor | ast.With | ast.AsyncWith) and any(
                    isinstance(n, ast.Name) and n.id == key.id
                    for t in (
                        [child.target]
                        if isinstance(child, ast.For | ast.AsyncFor)
                        else [i.optional_vars for i in child.items if i.optional_vars]
                    )
                    for n in ast.walk(t)
                ):
                    return []
                pending.append(child)
        return found

    def _module_copy(self, value: ast.expr) -> str | None:
        """``module:<K>`` when ``value`` is the module ``sys.modules[K]`` holds
        (``sys.modules["K"]``, ``sys.modules.get("K")``): writing it back to ``K`` is a
        restore."""
        key = self._modules_key(value)
        if (
            key is None
            and isinstance(value, ast.Call)
            and dotted_name(value.func) == "sys.modules.get"
            and value.args
        ):
            key = string_value(value.args[0])
        return None if key is None else f"module:{key}"

    def _variable_copy(self, value: ast.expr, taken: bool = True) -> str | None:
        """``environ:<key>`` when ``value`` reads one environment variable (``os.environ[K]``,
        ``os.environ.get(K)``, ``os.getenv(K)``, or, when ``taken``, takes it out:
        ``old = os.environ.pop(K, None)``, DY1): writing it back to ``K`` is a restore. A dict
        filled with what a loop takes out (``saved[k] = os.environ.pop(k, None)`` for the keys
        there) keeps no key that was missing, so a test adding one is not undone by it."""
        key: ast.expr | None = None
        methods = ("get", "pop") if taken else ("get",)
        if isinstance(value, ast.Subscript) and self._is_environ(dotted_name(value.value)):
            key = value.slice
        elif isinstance(value, ast.Call) and value.args:
            callee = self.ctx.callee(value)
            root, _, method = callee.rpartition(".")
            if callee == "os.getenv" or (method in methods and self._is_environ(root)):
                key = value.args[0]
        return None if key is None else f"environ:{ast.dump(key)}"

    def visit_Assign(self, node: ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete) -> None:
        self._note_copy(node)
        change = statement_change(node, self._is_environ)
        if (
            change == ("sys.path", True)
            and isinstance(node, ast.Assign)
            and self._copy_of(node.value) == "sys.path"
        ):
            change = ("sys.path", False)  # ``sys.path[:] = saved`` after ``saved = sys.path[:]``
            self._note_module_undo(node, "sys.path", "*")
        if (
            change == ("sys.path", True)
            and isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and dotted_name(node.targets[0]) == "sys.path"
            and self._copy_of(node.value) == SYS_PATH_OBJECT
        ):
            change = ("sys.path", False)  # ``sys.path = p`` after ``p = sys.path``
        if (
            change == ("sys.path", True)
            and isinstance(node, ast.Delete)
            and self._function() in self.path_adders
        ):
            change = ("sys.path", False)  # ``del sys.path[0]`` after ``sys.path.insert(0, p)``
            self._note_module_undo(node, "sys.path", "*")
        key = environ_key_node(node) if change == ("environ", True) else None
        if isinstance(node, ast.Delete) and key is not None and self._undoes_del(node, key):
            if self._removes_set_key(key):
                self._note_module_undo(node, "environ", environ_key(node))
            change = ("environ", False)
        if (
            isinstance(node, ast.Assign)
            and key is not None
            and ast.dump(key) in self.removed_keys.get(self._function(), ())
        ):
            # ``os.environ[K] = v`` after ``del os.environ[K]``: the removal is the leak and
            # stays reported, this puts the variable back (as the value it had, or not); a
            # later ``del os.environ[K]`` takes this value out again, not a third change
            change = ("environ", False)
            self.set_keys.setdefault(self._function(), set()).add(ast.dump(key))
        if isinstance(node, ast.Assign) and key is not None and self._loop_write_back(node, key):
            # ``for k, v in saved.items(): os.environ[k] = v``, ``saved`` a copy of it or of
            # each variable's value
            change = ("environ", False)
        if isinstance(node, ast.Assign) and key is not None and self._key_of_copy(node.value, key):
            # ``os.environ[K] = saved[K]`` after ``saved = os.environ.copy()``
            change = ("environ", False)
        if (
            isinstance(node, ast.Assign)
            and key is not None
            and self._copy_of(node.value) == f"environ:{ast.dump(key)}"
        ):
            change = ("environ", False)  # ``os.environ[K] = old`` after ``old = os.environ[K]``
            self._note_module_undo(node, "environ", environ_key(node))
        if (
            change == ("environ", True)
            and isinstance(node, ast.Assign)
            and key is None
            and self._copy_of(node.value) == ENVIRON_OBJECT
        ):
            change = ("environ", False)  # ``os.environ = old`` after ``old = os.environ``
        if (
            change == ("sys.modules", True)
            and isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and (module := self._modules_key(node.targets[0])) is not None
            and self._copy_of(node.value) == f"module:{module}"
        ):
            change = ("sys.modules", False)  # ``sys.modules[K] = saved``, the module it held
        if change == ("sys.modules", True) and self._replaces_own_entry(node):
            change = None  # importing the module leaves an entry under its name either way
        if change == ("sys.modules", True) and self._imports_by_path(node):
            change = None  # an import of a file by its path: every import leaves an entry
        if change == ("sys.modules", True) and self._fills_missing_sibling(node):
            change = None  # a module built for a name no file provides, after its import failed
        if change == ("sys.modules", True) and self._removed_next(node):
            change = None  # nothing between the two can fail: no test ever sees the entry
        if change == ("sys.modules", True) and self._stores_own_import(node):
            change = None  # BP9: the import already put that very module under the key
        self._record(node, change)
        self._note_added(node, "", change)
        if isinstance(node, ast.Assign) and self.ctx.ancestors == [self.ctx.ancestors[0]]:
            self.forked_module |= "forked" in (pytestmark_markers(node) or ())

    visit_AugAssign = visit_AnnAssign = visit_Delete = visit_Assign

    def visit_Yield(self, node: ast.Yield | ast.YieldFrom) -> None:
        owner = self.ctx.test_code()
        if owner is not None:
            self.first_yield.setdefault(owner, node.lineno)
        func = self._function()
        if func is not None:
            self.yields.setdefault(func, []).append(node)
            patched = {family for family in PATCH_TARGETS if self._patched(node, family)}
            self.patched_yields.setdefault(func, set()).update(patched)
            self.yield_managers.setdefault(func, set()).update(self._managers(node))
            self.yield_roots.setdefault(func, set()).update(self._manager_roots(node))

    visit_YieldFrom = visit_Yield

    def leave_Module(self, node: ast.Module) -> None:
        restorers = self._restorers(node)
        facts = self.ctx.facts
        for restorer in restorers:
            if isinstance(restorer.parent, ast.Module):
                fact = StateRestorerFact(restorer.name, restorer.family, restorer.kind)
                facts.state_restorers.append(fact)
        facts.state_restorers.extend(self._fixture_restorers(node))
        facts.state_restorers.extend(self._reset_facts())
        bases = base_origins(node)
        self.lineage = class_lineage(node)
        leaking_sets: set[tuple[int, str, tuple[str, ...], tuple[str, ...]]] = set()
        leaking_removals: set[tuple[int, str, tuple[str, ...], tuple[str, ...]]] = set()
        for change in self.changes:
            if not change.reported or self._restored(change):
                continue
            entered = managers_around_calls(change.owner, change.func) + class_entered_managers(
                change.cls, change.owner, line_of(change.node)
            )
            if entered:  # AK1, AK2: managers in force around the change with no ``with``
                change = replace(change, managers=change.managers + entered)
            entered_roots = class_entered_roots(change.cls, change.owner, line_of(change.node))
            if entered_roots:  # CG2: ``fx`` of ``cls.cm = fx.isolated_home()``, as of a ``with``
                change = replace(change, roots=change.roots + entered_roots)
            if self._restored_here(change, restorers) or _on_fake_files(change, node):
                continue
            if self._removal_written_back(change):
                continue
            if self._under_started_patch(change, node):
                continue
            if change.family == "environ" and change.key and isinstance(change.node, ast.Assign):
                # ``os.environ["K"] = "0"`` after ``os.environ["K"] = "False"`` left unrestored
                # in the same function, under the same ``with``s: one variable left set, one
                # leak, reported at its first line
                same = (id(change.func), change.key, change.managers, change.roots)
                if same in leaking_sets:
                    continue
                leaking_sets.add(same)
            if change.family == "environ" and change.key and _removes_environ_key(change.node):
                # BW1: ``del os.environ["K"]`` after ``os.environ.pop("K", None)`` left
                # unrestored in the same function, under the same ``with``s: the first removal
                # took what the test was given, ``K`` is there again only because the test or
                # the code it ran set it, so the second one leaks nothing: one leak, reported
                # at its first line
                same = (id(change.func), change.key, change.managers, change.roots)
                if same in leaking_removals:
                    continue
                leaking_removals.add(same)
            line, col = line_of(change.node), getattr(change.node, "col_offset", 0) + 1
            inherited = bases.get(change.cls, frozenset()) if change.cls else frozenset()
            requests = self._requests(change, node)
            owner = change.owner
            decorated = decorator_origins(owner, self.imported) if owner else frozenset()
            facts.global_changes.append(
                GlobalChangeFact(
                    line,
                    col,
                    change.family,
                    _in_test(change.owner) or _per_test_setup(change.owner),
                    change.managers,
                    self._origins(change.managers + change.roots),
                    at_start=_at_start(change.owner),
                    module_level=change.owner is None,
                    bases_from=tuple(sorted(inherited)),
                    decorators_from=tuple(sorted(decorated)),
                    requests=requests,
                    added_path=self._added_folder(change, node),
                    key=(change.family == "environ" and environ_change_name(change.node)) or "",
                    path_from=self._folder_import(change),
                    fallback_for=change.fallback_for,
                    exists_guard=self._exists_guard(change, node),
                )
            )

    def _exists_guard(self, change: _Change, module: ast.Module) -> tuple[str, ...]:
        """CD1: for a module-level ``sys.path`` addition under an ``if`` that holds only where
        the added folder exists, the folders it may add (``static_paths``)."""
        call = change.node
        if change.family != "sys.path" or change.func is not None:
            return ()
        if not isinstance(call, ast.Call):
            return ()
        return existence_guarded_folders(module, self.ctx.file.path, call)

    def _moved_to(self, change: _Change) -> ast.expr | None:
        """The argument of a module-level ``os.chdir(p)``."""
        call = change.node
        if change.family != "cwd" or change.func is not None or not isinstance(call, ast.Call):
            return None
        if dotted_name(call.func) not in ("os.chdir", "chdir") or len(call.args) != 1:
            return None
        return call.args[0]

    def _folder_import(self, change: _Change) -> str:
        """For a module-level ``os.chdir(name)`` of a name imported with ``from module import
        name``: ``"module:name"`` (the runner works out the folder that module binds it to)."""
        moved = self._moved_to(change)
        if isinstance(moved, ast.Name):
            return self.imported_from.get(moved.id, "")
        return ""

    def _added_folder(self, change: _Change, module: ast.Module) -> str | None:
        """For a ``sys.path.insert(i, p)``/``append(p)`` (of the module body, or of a function
        whose parameters do not name what ``p`` reads: RW6, pyquery's fixture adding the root
        its conftest lies in), or a module-level ``os.chdir(p)``: the project-relative folder
        ``p`` is, when the module computes it from its ``__file__`` (see ``static_paths``)."""
        call = change.node
        moved = self._moved_to(change)
        if moved is not None:
            evaluator = PathEvaluator(
                self.ctx.file.path, module_bindings(module), imported_path_names(module)
            )
            folder = evaluator.folder(moved)
            return None if folder is None else "/".join(folder)
        if change.family != "sys.path":
            return None
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
            return None
        # ``site.addsitedir`` also runs the folder's ``.pth`` files: more than the entry
        added = None if call.func.attr == "addsitedir" else added_path_argument(call)
        if added is None or (change.func is not None and _reads_a_parameter(added, module)):
            return None
        evaluator = PathEvaluator(
            self.ctx.file.path, module_bindings(module), imported_path_names(module)
        )
        # BO6: a relative literal (``sys.path.insert(0, "tests")``) names a folder of the
        # working directory, which a suite spelling one expects to be the root (AQ5)
        folder = evaluator.folder(added)
        if folder is None:
            folder = working_folder(added)
        return None if folder is None else "/".join(folder)

    def _requests(self, change: _Change, module: ast.Module) -> tuple[str, ...]:
        """For a change by test code: the fixtures set up before it, by name or autouse in this
        file (the project stage looks among them and theirs for one that puts the family back
        after its ``yield``, or a ``monkeypatch.chdir``)."""
        owner = change.owner
        if owner is None or not _in_test(owner):
            return ()
        requests = requested_fixtures(owner, change.cls, module)
        for func, parent in self.definitions:
            decl = fixture_decl(func)
            applies = isinstance(parent, ast.Module) or parent is change.cls
            if decl is not None and decl.autouse and applies:
                requests.add(decl.name)
        return tuple(sorted(requests))

    def _restorers(self, module: ast.Module) -> list[_Restorer]:
        """The autouse fixtures, ``@contextmanager`` functions and manager classes of the file
        that put a family back as they found it."""
        found: list[_Restorer] = []
        for func, parent in self.definitions:
            decl = fixture_decl(func)
            if decl is not None and decl.autouse and decl.scope in RESTORING_SCOPES:
                kind = "autouse"
            elif any(
                (dotted_name(d) or "").endswith("contextmanager") for d in func.decorator_list
            ):
                kind = "manager"
            elif func.name == "pytest_runtest_teardown" and isinstance(parent, ast.Module):
                found.extend(  # DK1: the hook writes back, after each test, a module-level copy
                    _Restorer(func, parent, "teardown_hook", family)
                    for family in FAMILY_REMEDY
                    if family in self.snapshots.get(None, set())
                    and any(c.func is func and c.family == family for c in self.changes)
                )
                continue
            else:
                continue
            for family in FAMILY_REMEDY:
                if self._restores(func, family, needs_snapshot=kind == "autouse"):
                    found.append(_Restorer(func, parent, kind, family))
        return found + self._manager_classes(module)

    def _manager_classes(self, module: ast.Module) -> list[_Restorer]:
        """BA2: the module's classes whose ``__exit__`` (or ``__aexit__``) changes a family,
        the class-written twin of a ``@contextmanager`` changing it after its ``yield``: what
        a ``with`` of the class changed inside is put back on the way out (``self._saved =
        {k: os.environ.pop(k, None) ...}`` in ``__enter__``, each key written back or popped
        in ``__exit__``). An ``__exit__`` that changes nothing of the family restores none."""
        found: list[_Restorer] = []
        for cls in module.body:
            if not isinstance(cls, ast.ClassDef):
                continue
            exits = [
                func
                for func, parent in self.definitions
                if parent is cls and func.name in ("__exit__", "__aexit__")
            ]
            for func in exits:
                for family in sorted({c.family for c in self.changes if c.func is func}):
                    found.append(_Restorer(func, module, "manager", family, cls.name))
        return found

    def _fixture_restorers(self, module: ast.Module) -> Iterator[StateRestorerFact]:
        """The fixtures of the file (of the module or a class, autouse or not) that put a
        family back after their ``yield``, for the test code they are set up around: by
        writing back a copy, by yielding under a ``patch`` of it, or by yielding in a ``with``
        of a context manager that restores it (which ones do, the project stage knows: a
        conftest's fixture may use another file's). A session-scoped one restores only when
        the whole run ends, after every later test."""
        for func, _ in self.definitions:
            decl = fixture_decl(func)
            if decl is None or decl.scope not in RESTORING_SCOPES:
                continue
            for family in sorted(self.mocker_patched.get(func, ())):
                yield StateRestorerFact(decl.name, family, "fixture")
            monkeypatched = _monkeypatched_keys(func)
            if monkeypatched:
                yield StateRestorerFact(decl.name, "environ", "fixture", keys=monkeypatched)
            if not self.yields.get(func):
                for family in FAMILY_REMEDY:
                    if self._finalizer_restores(func, family):
                        yield StateRestorerFact(decl.name, family, "fixture")
                continue
            for family in FAMILY_REMEDY:
                if self._restores(func, family, needs_snapshot=True) or self._patcher_around_yield(
                    func, family
                ):
                    yield StateRestorerFact(decl.name, family, "fixture")
            managers = tuple(sorted(self.yield_managers.get(func, ())))
            if managers:
                origins = self._origins(managers + tuple(sorted(self.yield_roots.get(func, ()))))
                yield StateRestorerFact(decl.name, "", "fixture", managers, origins)
            written = self._written_after_yield(func, module)
            if written:
                yield StateRestorerFact(decl.name, "environ", "fixture", keys=written)

    def _reset_facts(self) -> Iterator[StateRestorerFact]:
        """The autouse fixtures that remove variables before each test (``_note_reset``, a
        line before their first ``yield``, if any): what a test set of those, the next test
        never sees (``kind`` ``"reset"``)."""
        for func, resets in self.reset_keys.items():
            first = min(map(line_of, self.yields.get(func, ())), default=None)
            keys = tuple(sorted(k for k, at in resets.items() if first is None or at < first))
            if keys:
                yield StateRestorerFact(func.name, "environ", "reset", keys=keys)
        for func, undone in self.undone_keys.items():
            yield StateRestorerFact(func.name, "environ", "undone", keys=tuple(sorted(undone)))

    def _patcher_around_yield(self, func: ast.AST, family: str) -> bool:
        """Whether a fixture binds a ``patch.dict`` of the family (``patcher =
        mock.patch.dict(os.environ, clear=True)``), starts it before its first ``yield`` (also
        in the yield, ``yield patcher.start()``) and stops it after (RU8): pytest runs the code
        after the ``yield`` whether the test passed or not, and the stop puts the copy back."""
        first = min(map(line_of, self.yields.get(func, ())), default=None)
        if first is None:
            return False
        targets = PATCH_TARGETS[family]
        patchers = {
            target.id
            for node in ast.walk(func)
            if isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(target := node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
            and (dotted_name(node.value.func) or "").endswith("patch.dict")
            and patch_mentions(node.value) & targets
            and line_of(node) <= first
        }
        if not patchers:
            return False
        started: set[str] = set()
        stopped: set[str] = set()
        for node in ast.walk(func):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in patchers
                and not node.args
            ):
                if node.func.attr == "start" and line_of(node) <= first:
                    started.add(node.func.value.id)
                elif node.func.attr == "stop" and line_of(node) > first:
                    stopped.add(node.func.value.id)
        return bool(started & stopped)

    def _under_started_patch(self, change: _Change, module: ast.Module) -> bool:
        """Whether the change runs between ``patcher.start()`` in a per-test setup and
        ``patcher.stop()`` in its teardown, ``patcher`` a module-level ``patch.dict`` of the
        family (``environment = patch.dict("os.environ")``): the stop puts it back. Covered:
        the tests of that module (``setup_function``) or class (``setup_method``, ``setUp``),
        and the setup's own changes after its ``start()``."""
        targets = PATCH_TARGETS[change.family]
        scope: ast.Module | ast.ClassDef = change.cls if change.cls is not None else module
        methods = {
            f.name: f for f in scope.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        lineage = self.lineage.get(change.cls, frozenset()) if change.cls else frozenset()
        # A module's patchers, and a class's bound to `self` in its methods or those of the
        # file's classes it derives from (confuse's `self.env_patcher = patch.dict(...)` in
        # setUp)
        in_methods = [
            n
            for cls in lineage | ({change.cls} if change.cls else set())
            for f in cls.body
            if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
            for n in ast.walk(f)
        ]
        statements = [*module.body, *in_methods]
        patchers: set[str] = set()
        for statement in statements:
            if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
                continue
            name, value = _patcher_name(statement.targets[0]), statement.value
            if name is None or not isinstance(value, ast.Call):
                continue
            if (dotted_name(value.func) or "").endswith("patch.dict") and (
                patch_mentions(value) & targets
            ):
                patchers.add(name)
        if not patchers or change.owner is None:
            return False

        def calls(func: FunctionNode | None, method: str) -> dict[str, int]:
            found: dict[str, int] = {}
            for call in ast.walk(func) if func is not None else ():
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == method
                    and (name := _patcher_name(call.func.value)) in patchers
                ):
                    found.setdefault(name, call.lineno)
            return found

        def cleanups(func: FunctionNode) -> dict[str, int]:
            """Patchers whose ``stop`` the setup hands ``self.addCleanup`` (VD3): unittest
            calls it after each test, after ``tearDown``, whatever the test's outcome."""
            found: dict[str, int] = {}
            for call in ast.walk(func):
                if (
                    isinstance(call, ast.Call)
                    and (dotted_name(call.func) or "") == "self.addCleanup"
                    and call.args
                    and isinstance(stop := call.args[0], ast.Attribute)
                    and stop.attr == "stop"
                    and (name := _patcher_name(stop.value)) in patchers
                ):
                    found.setdefault(name, call.lineno)
            return found

        for setup in PER_TEST_SETUPS:
            if (setup == "setup_function") != (scope is module):
                continue
            teardown = SETUP_PAIRS.get(setup, "")
            if isinstance(scope, ast.ClassDef):
                chain = _run_chain(scope, setup, module)
                teardowns = _run_chain(scope, teardown, module)
            else:
                chain = [methods[setup]] if setup in methods else []
                teardowns = [methods[teardown]] if teardown in methods else []
            if not chain:
                continue
            started = {k: v for f in chain for k, v in calls(f, "start").items()}
            stopped = {k: v for f in teardowns for k, v in calls(f, "stop").items()}
            stopped |= {k: v for f in chain for k, v in cleanups(f).items()}
            for name in started.keys() & stopped.keys():
                if change.owner is methods.get(setup):
                    if line_of(change.node) > started[name]:
                        return True
                elif _in_test(change.owner):
                    return True
        return False

    def _finalizer_restores(self, func: FunctionNode, family: str) -> bool:
        """Whether a fixture without a ``yield`` copies ``family`` (``previous = os.getcwd()``)
        and hands ``request.addfinalizer`` a function of its own (or a ``lambda``) that writes
        it back: the finalizer runs after each test the fixture is set up for."""
        copied = self.snapshots.get(func, set()) | self.snapshots.get(None, set())
        if family not in copied:
            return False
        nested = {
            n.name: n
            for n in ast.walk(func)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n is not func
        }
        finalizers: set[ast.AST] = set()
        for call in ast.walk(func):
            if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
                continue
            if call.func.attr != "addfinalizer" or len(call.args) != 1:
                continue
            arg = call.args[0]
            if isinstance(arg, ast.Name) and arg.id in nested:
                finalizers.add(nested[arg.id])
            elif isinstance(arg, ast.Lambda):
                finalizers.add(arg)
        return any(c.func in finalizers and c.family == family for c in self.changes)

    def _removal_written_back(self, change: _Change) -> bool:
        """CG3: a test's removal of a variable (``del os.environ[K]``) that a per-test,
        surely autouse fixture of its module or class saves before its ``yield`` (``saved =
        os.environ.get(K)``) and writes back after it (``os.environ[K] = saved``, also under
        ``if saved is not None:``): a variable that was set is set again, one that was not
        stays absent, as it was (django-production's ``setup_testproj``). A test's setting
        of the variable is not taken back so (the write-back may be skipped): still reported."""
        if change.family != "environ" or not _removes(change.node) or not _in_test(change.owner):
            return False
        name = environ_change_name(change.node)
        if not name:
            return False
        for func, parent in self.definitions:
            decl = fixture_decl(func)
            if decl is None or not decl.surely_autouse or decl.scope != "function":
                continue
            if not (isinstance(parent, ast.Module) or parent is change.cls):
                continue
            first = min(map(line_of, self.yields.get(func, ())), default=None)
            if first is None:
                continue
            saved = {
                target.id
                for statement in ast.walk(func)
                if isinstance(statement, ast.Assign)
                and line_of(statement) < first
                and len(statement.targets) == 1
                and isinstance(target := statement.targets[0], ast.Name)
                and _reads_variable(statement.value, name)
            }
            for c in self.changes:
                if (
                    c.func is func
                    and c.family == "environ"
                    and isinstance(c.node, ast.Assign)
                    and line_of(c.node) > first
                    and environ_change_name(c.node) == name
                    and isinstance(c.node.value, ast.Name)
                    and c.node.value.id in saved
                    and _bound_once(func, c.node.value.id) is not None
                ):
                    return True
        return False

    def _written_after_yield(self, func: FunctionNode, module: ast.Module) -> tuple[str, ...]:
        """The variables a fixture removes or sets after its first ``yield``, named literally
        (``del os.environ[K]``, ``os.environ.pop(K, None)``, also under ``if K in
        os.environ:``; sunpy's ``os.environ[K] = oridir``, a statement of the fixture's own
        body: under ``if old is not None:`` a variable the test adds may stay): a test's
        setting of one of them goes with the fixture's teardown, which decides what the
        variable holds after it. Named also by an upper-case constant (AV1: ``_NAME =
        "DEMO_KEY"``, then ``os.environ.pop(_NAME, None)`` after the ``yield`` and
        ``os.environ[_NAME] = v`` in the test), spelled as ``environ_change_name`` spells the
        test's change, so that the two meet only on the same constant. BZ1: a removal of the
        variable of a loop of the fixture's own body walking a literal list of names, or a
        module constant bound once to one (``for var in _CLI_VARS: os.environ.pop(var,
        None)``), removes each of them."""
        body = func.body
        first = min(map(line_of, self.yields.get(func, ())), default=None)
        if first is None:
            return ()
        found: set[str] = set()
        for c in self.changes:
            if not (c.func is func and c.family == "environ" and line_of(c.node) > first):
                continue
            if _removes(c.node) or (isinstance(c.node, ast.Assign) and c.node in body):
                name = environ_change_name(c.node)
                if name:
                    found.add(name)
                elif _removes(c.node):
                    found.update(_looped_literal_keys(func, c.node, module))
        return tuple(sorted(found))

    def _restores(self, func: FunctionNode, family: str, needs_snapshot: bool) -> bool:
        """Whether ``func`` yields under a ``patch`` of ``family``, or changes it after its
        first ``yield`` (or in a ``finally``) with, for a fixture, a copy of it taken in the
        fixture or at module level: the restoring side of a snapshot."""
        yields = self.yields.get(func)
        if not yields:
            return False
        if family in self.patched_yields.get(func, ()):
            return True
        first = min(map(line_of, yields))
        after = [
            c
            for c in self.changes
            if c.func is func and c.family == family and (c.in_finally or line_of(c.node) > first)
        ]
        copied = self.snapshots.get(func, set()) | self.snapshots.get(None, set())
        if needs_snapshot and family not in copied:
            return family == "environ" and func in self.key_copies and _both_ways(after)
        return bool(after)

    def _forked(self, change: _Change) -> bool:
        """A test marked ``forked`` (pytest-forked) runs in a child process: nothing leaks."""
        if not _in_test(change.owner) or change.owner is None:
            return False
        decorators = [*change.owner.decorator_list]
        if change.cls is not None:
            decorators += change.cls.decorator_list
        return self.forked_module or "forked" in marker_names(decorators)

    def _restored_here(self, change: _Change, restorers: Sequence[_Restorer]) -> bool:
        """Undone by an autouse fixture of the module or the test's class, or by a context
        manager of this file that the change sits in."""
        for restorer in restorers:
            if restorer.family != change.family:
                continue
            if restorer.kind == "manager" and restorer.name in change.managers:
                return True
            if restorer.kind == "teardown_hook" and change.owner is not None:
                return True  # DK1: put back after the test whose setup or call made the change
            applies = isinstance(restorer.parent, ast.Module) or restorer.parent is change.cls
            if restorer.kind == "autouse" and applies and _in_test(change.owner):
                return True
            around_method = isinstance(restorer.parent, ast.Module) and change.cls is not None
            if restorer.kind == "autouse" and around_method and _per_test_setup(change.owner):
                return True  # a module's autouse fixture wraps its classes' per-test setups
        return False

    def _restored(self, change: _Change) -> bool:
        owner = change.owner
        if change.in_finally or owner in self.cleanups or self._forked(change):
            return True
        if self._helper_in_finally(change):
            return True
        if self._undone_in_module(change):
            return True
        patched = self.monkeypatched.get(owner, set()) if owner is not None else set()
        if change.family == "environ" and environ_change_name(change.node) in patched:
            return True  # monkeypatch puts that variable back after the test
        params = set(parameter_names(owner)) if owner is not None else set()
        if change.family in PYTESTER_RESTORES and CHDIR_FIXTURES & params:
            return True
        if (
            change.family == "environ"
            and CHDIR_FIXTURES & params
            and environ_change_name(change.node) in PYTESTER_VARIABLES
        ):
            return True  # DN1: pytester's monkeypatch set it first and puts it back
        others = [c for c in self.changes if c.family == change.family and c is not change]
        line = line_of(change.node)
        if any(c.in_finally and c.owner is owner and line_of(c.node) > line for c in others):
            return True
        if any(c.both_ways is not None and c.owner is owner and line < c.both_ways for c in others):
            return True  # SC2: undone at the end of a try body and in its catch-all handler
        if owner is None:
            return False
        if self._handed_to_remover(change, owner):
            return True  # BH2: a fixture it requests takes the key it was handed back out
        if self._same_scope_restorer(change, owner):
            return True  # FB3: a fixture of its scope it requests puts it back after it
        saved = self.monkeypatch_saved.get((owner, change.family))
        if saved is not None and saved < line:
            return True  # monkeypatch goes back to the state of before its first change
        yield_line = self.first_yield.get(owner)
        if yield_line is not None:
            if line > yield_line:
                return True  # fixture teardown: this is the restoring side
            after = (c for c in others if c.owner is owner)
            if any(line_of(c.node) > yield_line for c in after):
                return True
        if owner.name in SETUP_PAIRS.values():
            return True
        inherited = self._inherited(change.cls)
        if change.cls is not None and _in_test(owner):
            torn_down = (c for c in others if c.cls in inherited and c.owner is not None)
            if any(c.owner.name in PER_TEST_TEARDOWNS for c in torn_down if c.owner):
                return True  # the class's per-test teardown (its own or a base's) puts it back
            if self._class_restores(others, inherited, change.family):
                return True  # EX1: the class's teardown writes back its setup's copy
            if self._cleaned_up(others, self._with_used_fixtures(inherited)):
                return True  # a method its setUp (or a fixture it uses) registers puts it back
            if any(change.family in self.restored_families.get(c, ()) for c in inherited if c):
                return True  # ET1: a fixture of another distribution its setUp uses puts it back
            if change.family == "cwd" and self.cwd_cleanups.intersection(inherited):
                return True  # its setUp (its own or a base's) registers the way back
        if change.cls is None and _in_test(owner):
            module_funcs = (c.owner for c in others if c.cls is None and c.owner is not None)
            if any(func.name == "teardown_function" for func in module_funcs):
                return True  # BY2: the module's teardown_function, after each of its functions
        teardown = SETUP_PAIRS.get(owner.name)
        return teardown is not None and any(
            c.owner is not None and c.owner.name == teardown and c.cls in inherited for c in others
        )

    def _same_scope_restorer(self, change: _Change, owner: FunctionNode) -> bool:
        """FB3: whether the fixture making the change requests a fixture of this file, of the
        module or its own class and of the same scope, that snapshots the family and writes it
        back after its ``yield`` (htpolynet's module-scoped ``sty_workdir``: ``orig =
        os.getcwd()``, ``yield``, ``os.chdir(orig)``, requested by module-scoped fixtures that
        ``os.chdir`` into it): pytest tears a fixture down after every fixture requesting it,
        so that restore follows the change before anything of a wider scope or a later module
        runs. A wider-scoped restorer leaves the change to later modules; a test's change is
        the project stage's (``requests``). Asked only of a change no other undo covers."""
        decl = fixture_decl(owner)
        if decl is None:
            return False
        requested = set(parameter_names(owner))
        for func, parent in self.definitions:
            other = fixture_decl(func)
            if (
                other is None
                or func is owner
                or other.name not in requested
                or other.scope != decl.scope
                or not (isinstance(parent, ast.Module) or parent is change.cls)
            ):
                continue
            if self._restores(func, change.family, needs_snapshot=True):
                return True
        return False

    def _handed_to_remover(self, change: _Change, owner: FunctionNode) -> bool:
        """BH2: whether a test's ``sys.modules[K] = m`` (or ``os.environ[K] = v``) hands the
        same ``K`` to what a fixture of this file it requests yields (``extra_modules.append(K)``),
        and that fixture takes each key it was handed out of the mapping after its ``yield``:
        the entry goes with the fixture's teardown. Handing another key, or a fixture that
        removes nothing, leaves the change reported."""
        key = _set_key(change.node)
        if key is None or change.family not in KEYED_MAPPINGS or not _in_test(owner):
            return False
        requested = set(parameter_names(owner))
        for func, _ in self.definitions:
            decl = fixture_decl(func)
            if decl is None or decl.name not in requested or decl.scope not in RESTORING_SCOPES:
                continue
            handed = _handed_keys(owner, decl.name)
            if ast.dump(key) in handed and _removes_yielded(func, change.family):
                return True
        return False

    def _cleaned_up(
        self, others: Sequence[_Change], inherited: frozenset[ast.ClassDef | None]
    ) -> bool:
        """Whether a change of the family sits in a method of the test's class (or a same-file
        base), or in a function a per-test setup of those classes defines, that the setup
        registers with ``self.addCleanup``."""
        names = {
            n for cls in inherited if cls is not None for n in self.cleanup_methods.get(cls, ())
        }
        functions = {
            f for cls in inherited if cls is not None for f in self.cleanup_functions.get(cls, ())
        }
        return any(
            isinstance(c.func, FunctionNode)
            and (
                (c.func.name in names and self.method_class.get(c.func) in inherited)
                or c.func in functions
            )
            for c in others
        )

    def _with_used_fixtures(
        self, inherited: frozenset[ast.ClassDef | None]
    ) -> frozenset[ast.ClassDef | None]:
        """The classes ``inherited`` and those of the fixtures their per-test setups hand
        ``self.useFixture`` (with the file's classes those derive from): their registered
        cleanups run after each test too."""
        names = {n for cls in inherited if cls is not None for n in self.used_fixtures.get(cls, ())}
        fixtures = [self._inherited(cls) for cls in self.lineage if cls.name in names]
        return inherited.union(*fixtures)

    def _class_restores(
        self, others: Sequence[_Change], inherited: frozenset[ast.ClassDef | None], family: str
    ) -> bool:
        """EX1 (google-cloud-spanner): the class's once-per-class teardown (``tearDownClass``,
        ``teardown_class``; its own or a same-file base's) changes the family back with a
        copy of it taken in that teardown or the class's once-per-class setup
        (``cls._env = dict(os.environ)`` in ``setUpClass``; ``os.environ.clear()`` and
        ``os.environ.update(cls._env)`` after the class): the xunit twin of a class-scoped
        autouse fixture that snapshots and restores, which keeps a test's change inside its
        class. A class teardown changing the family without such a copy restores nothing."""
        for other in others:
            owner = other.owner
            if other.cls not in inherited or owner is None or owner.name not in CLASS_TEARDOWNS:
                continue
            setups = [
                func
                for func, parent in self.definitions
                if parent is other.cls and func.name in CLASS_SETUPS
            ]
            if any(family in self.snapshots.get(func, ()) for func in (owner, *setups)):
                return True
        return False

    def _inherited(self, cls: ast.ClassDef | None) -> frozenset[ast.ClassDef | None]:
        """The classes whose teardowns run after the test methods of ``cls``: itself and the
        classes of the file it derives from (a mixin's ``tearDown``); None for module level."""
        if cls is None:
            return frozenset({None})
        return self.lineage.get(cls, frozenset({cls}))

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        """Report the changes no file undoes: not an autouse fixture of a conftest above the
        test (or of a plugin module), not a fixture set up around the test code that restores
        the state after its ``yield``, not a context manager of the project around them."""
        autouse: list[tuple[SourceFile, str]] = []
        hooks: list[tuple[SourceFile, str]] = []  # DK1: pytest_runtest_teardown write-backs
        managers: set[tuple[str, str]] = set()
        by_fixture: dict[tuple[str, str], list[StateRestorerFact]] = {}
        resets: set[str] = set()  # variables a conftest above every test resets (SC3)
        undone: list[tuple[SourceFile, set[str]]] = []  # DS1: a conftest's monkeypatch undoes
        tests = _collected_tests(ctx)
        model = ctx.model.dependencies
        for file, facts in ctx.files:
            for restorer in facts.state_restorers:
                if restorer.kind == "manager":
                    managers.add((restorer.name, restorer.family))
                elif restorer.kind == "fixture":
                    by_fixture.setdefault((file.path, restorer.name), []).append(restorer)
                elif restorer.kind == "reset":
                    if file.kind == "conftest" and all(file.covers(t) for t in tests):
                        resets.update(restorer.keys)
                elif restorer.kind == "undone":
                    if file.kind == "conftest":
                        undone.append((file, set(restorer.keys)))
                elif restorer.kind == "teardown_hook":
                    if file.kind in ("conftest", "plugin"):
                        hooks.append((file, restorer.family))
                elif file.kind in ("conftest", "plugin"):
                    autouse.append((file, restorer.family))
        conftests = [file for file, _ in ctx.files if file.kind == "conftest"]
        fixtures = fixture_guards(ctx)
        for file, facts in ctx.files:
            for change in facts.global_changes:
                if _suite_setting(file, change, tests, ctx.model):
                    continue
                if _already_first(file, change, ctx.model, conftests):
                    continue
                if _to_rootdir(change, ctx.model):
                    continue
                if change.exists_guard and all(
                    folder in ctx.model.absent_folders for folder in change.exists_guard
                ):
                    continue  # CD1: added only where the folder exists, which the tree lacks
                if change.fallback_for and all(
                    module in model.first_party for module in change.fallback_for
                ):
                    continue  # SD3: a fallback for the project's own import failing never runs
                if change.in_test and any(
                    family == change.family and restorer.covers(file.path)
                    for restorer, family in autouse
                ):
                    continue
                if not change.module_level and any(
                    family == change.family and hook.covers(file.path) for hook, family in hooks
                ):
                    continue  # DK1: a conftest's pytest_runtest_teardown writes it back
                if change.in_test and any(
                    _fixture_restores(restorer, change, managers, model)
                    for where, fixture in fixtures.set_up(file.path, change.requests)
                    for restorer in by_fixture.get((where, fixture.name), ())
                ):
                    continue  # a fixture set up around the change restores after its yield
                if change.in_test and change.family == "environ" and _reset(change.key, resets):
                    continue  # SC3: reset before each later test, which never sees it
                if (
                    change.in_test
                    and change.family == "environ"
                    and any(change.key in keys and c.covers(file.path) for c, keys in undone)
                ):
                    continue  # DS1: a conftest's autouse monkeypatch puts it back after the test
                if change.in_test and fixtures.unknown(file.path, change.requests):
                    continue  # a fixture defined nowhere read: setup fails, or it may restore
                if any((name, change.family) in managers for name in change.managers):
                    continue
                if model.any_own(change.managers_from):
                    continue  # a context manager of the project's whose body is not linted
                if REGRTEST_SUPPORT in change.managers_from:
                    continue  # CL4: CPython's ``test.support`` managers restore what they change
                if change.family == "cwd" and (
                    model.any_own(change.bases_from)
                    or ctx.from_test_helpers(change.decorators_from)
                ):
                    continue  # a test base class, or a suite helper's decorator, may manage it
                if change.in_test and _from_harness_package(ctx, change.bases_from):
                    # RU3: a test harness class the package under test ships (beets'
                    # ``beets.test.helper.TestHelper`` patches os.environ around each test in
                    # an autouse fixture), whose body is not linted, may restore any state; a
                    # base from the suite's own helpers (``tests.unittest``, a ``helpers``
                    # module beside the tests, a package holding the suite) stays reported
                    continue
                if (
                    change.family == "cwd"
                    and change.in_test
                    and fixtures.restores_cwd(file.path, change.requests)
                ):
                    continue  # a fixture's monkeypatch.chdir goes back after the test
                message = FAMILY_REMEDY[change.family]
                yield Finding(file.path, change.line, change.col, cls.code, message)


def _looped_literal_keys(func: FunctionNode, node: ast.AST, module: ast.Module) -> list[str]:
    """BZ1: the names a removal keyed by a loop variable takes out (``os.environ.pop(var,
    None)``), when it is a statement of
    the body of a ``for`` loop that is itself a statement of ``func``'s body and walks a
    literal tuple, list or set of strings, or a name of the module bound once to one, which
    neither the module nor ``func`` touches otherwise (``_CLI_VARS.append``, a rebinding):
    every name of it, one per turn. Any other key, loop or sequence: none."""
    # only ``pop(K, default)``: a missing variable's ``KeyError`` ends the loop early
    key = node.args[0] if isinstance(node, ast.Call) and len(node.args) == 2 else None
    if not isinstance(key, ast.Name):
        return []
    loop = next(
        (
            statement
            for statement in func.body
            if isinstance(statement, ast.For)
            and isinstance(statement.target, ast.Name)
            and statement.target.id == key.id
            and any(
                part is node or (isinstance(part, ast.Expr) and part.value is node)
                for part in statement.body
            )
        ),
        None,
    )
    if loop is None or _bound_once(func, key.id) is not None:
        return []
    sequence: ast.expr | None = loop.iter
    if isinstance(sequence, ast.Name):
        sequence = _unchanged_constant(module, sequence.id)
    if not isinstance(sequence, ast.Tuple | ast.List | ast.Set) or not sequence.elts:
        return []
    texts = [string_value(item) for item in sequence.elts]
    return [text for text in texts if text] if all(texts) else []


def _unchanged_constant(module: ast.Module, name: str) -> ast.expr | None:
    """The value of ``name`` where the module binds it once and nothing else stores it or
    touches an attribute of it (``_CLI_VARS.append``): else None."""
    value = _bound_once(module, name)
    touched = sum(
        1
        for use in ast.walk(module)
        if (isinstance(use, ast.Name) and use.id == name and not isinstance(use.ctx, ast.Load))
        or (
            isinstance(use, ast.Attribute)
            and isinstance(use.value, ast.Name)
            and use.value.id == name
        )
    )
    return value if touched == 1 else None


def _reads_variable(value: ast.expr, name: str) -> bool:
    """``os.environ.get("K")`` or ``os.getenv("K")`` (a default too) for the variable ``name``."""
    return (
        isinstance(value, ast.Call)
        and bool(value.args)
        and (dotted_name(value.func) or "") in ("os.environ.get", "os.getenv", "environ.get")
        and string_value(value.args[0]) == name
    )


def _bound_once(scope: ast.AST, name: str) -> ast.expr | None:
    """The value ``name`` is assigned in ``scope``, when it is assigned exactly once there."""
    bound = [
        node.value
        for node in ast.walk(scope)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    ]
    return bound[0] if len(bound) == 1 else None
