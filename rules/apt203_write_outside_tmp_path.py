"""APT203: a test writes, creates or deletes files outside its temporary folder.

The rule decides at the end of the file, and for relative writes over the whole suite: whether
a relative write is harmless depends on a ``monkeypatch.chdir`` that may come later in the test,
in an autouse fixture, or in a fixture of a conftest that the test requests.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from apytest.rules.api import (
    CwdFixtureFact,
    Example,
    FileContext,
    FileRule,
    Finding,
    ProjectContext,
    ProjectRule,
    RelativeWriteFact,
    SourceFile,
)
from apytest.rules.support.astutil import (
    CHDIR_FIXTURES,
    PYTEST_FIXTURES,
    SETUP_PAIRS,
    SETUP_TEARDOWN,
    FunctionNode,
    base_origins,
    called_name,
    class_lineage,
    decorator_origins,
    dotted_name,
    enclosing_class,
    exit_conditions,
    fixture_decl,
    hands_off_monkeypatch,
    imported_origins,
    imported_refs,
    inside_with_call,
    key_identifiers,
    keyword_value,
    never_runs,
    parameter_names,
    reads_option,
    requested_fixtures,
    statements,
    string_value,
    temp_dir_test_classes,
    within,
)
from apytest.rules.support.fake_filesystem import FAKE_FS_FIXTURES, fakes_files
from apytest.rules.support.fixture_guards import FixtureGuards, fixture_guards
from apytest.rules.support.global_state import patches_call
from apytest.rules.support.paths import Origin, PathFlow, replaces_path_home
from apytest.rules.support.plugins import plugin_table
from apytest.rules.support.regeneration_switches import environment_switch
from apytest.rules.support.static_paths import (
    EXISTENCE_FUNCTIONS,
    EXISTENCE_METHODS,
    PathEvaluator,
    existence_checked,
    imported_path_names,
    module_bindings,
    same_folder_spelling,
)

OPEN_FUNCTIONS = frozenset({"open", "io.open", "codecs.open", "builtins.open"})
OS_WRITES = {
    "os.makedirs": (0,),
    "os.mkdir": (0,),
    "os.remove": (0,),
    "os.unlink": (0,),
    "os.rmdir": (0,),
    "os.removedirs": (0,),
    "os.truncate": (0,),
    "os.mkfifo": (0,),
    "os.rename": (0, 1),
    "os.renames": (0, 1),
    "os.replace": (0, 1),
    "os.symlink": (1,),
    "os.link": (1,),
    "shutil.rmtree": (0,),
    "shutil.move": (0, 1),
}
"""Calls that create, change or delete the files named by the arguments at these positions
(``os.symlink(src, dst)`` and ``os.link(src, dst)`` create only ``dst``)."""
SHUTIL_COPIES = frozenset({"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree"})
MOVES = frozenset({"shutil.move", "os.rename", "os.replace"})
PATH_WRITE_METHODS = frozenset(
    {
        "write_text",
        "write_bytes",
        "touch",
        "mkdir",
        "unlink",
        "rmdir",
        "rename",
        "replace",
        "symlink_to",
        "hardlink_to",
    }
)
WRITE_CALL_NAMES = PATH_WRITE_METHODS | {
    name.rpartition(".")[2] for name in (*OPEN_FUNCTIONS, *OS_WRITES, *SHUTIL_COPIES)
}
"""The last parts of the names of the calls ``write_targets`` knows (``open`` is also
``os.open`` and a path's ``.open()``)."""
TMP_ENTRY_NAMES = frozenset({"chdir", "as_cwd", "isolated_filesystem"})
"""Calls that move the working directory: ``chdir``, py.path's ``as_cwd`` and click's
``CliRunner.isolated_filesystem``."""
CWD_HELPER = re.compile(
    r"^(cd|pushd)$|chdir|change_?dir|cwd|working_?dir|work_?dir|^in_?te?mp\w*dir", re.I
)
"""Names of a project's own helpers that move into a folder (``with change_dir(tmp):``,
``with cd(tmp):``), given the folder first, or into a new temporary one when the name says so
(`TEMPORARY`: ``with TemporaryWorkingDirectory():``, ``with InTemporaryDirectory():``,
``with in_tmpdir():``, the nibabel idiom that makes a temporary folder and moves into it)."""
TEMPORARY = re.compile(r"te?mp", re.I)
ISOLATING = re.compile(r"^isolated_", re.I)
"""Names of a helper another module defines that is handed a click runner (CT1: dagster's
``with isolated_example_project_foo_bar(runner):``, which enters ``runner.isolated_filesystem()``
and builds the project there): the test's relative paths are in that temporary folder."""
OS_WRITE_FLAGS = frozenset({"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"})
DELETIONS = frozenset(
    {"os.remove", "os.unlink", "os.rmdir", "os.removedirs", "shutil.rmtree", ".unlink", ".rmdir"}
)
"""Operations (as ``write_targets`` names them, without the call's parentheses) that only
delete: a deletion leaves nothing behind itself, so it is reported only when it is not the
cleanup of a file the suite made (see ``_cleans_up``)."""
TEARDOWNS = frozenset(SETUP_PAIRS.values())
NOT_FIXTURES = frozenset({"self", "cls"})
"""Parameters of a test method that pytest does not look up as fixtures."""
MISSING_ERRORS = frozenset(
    {"FileNotFoundError", "OSError", "IOError", "EnvironmentError", "Exception", "BaseException"}
)
EXISTENCE_NAMES = frozenset(EXISTENCE_METHODS) | {
    name.rpartition(".")[2] for name in EXISTENCE_FUNCTIONS
}
"""The last names of the calls that test whether a path exists (``os.path.isfile(p)``,
``p.exists()``): a deletion under one tolerates a missing file."""
HOME_VARIABLES = frozenset({"HOME", "USERPROFILE"})
DELETE_NAMES = frozenset({"rmtree", "unlink", "rmdir", "removedirs"})
CLEANUP_REGISTRATIONS = frozenset({"addCleanup", "addfinalizer", "callback"})


TEARDOWN_CALL = """
import pickle
import unittest

from demo import Client


class TestClient(unittest.TestCase):
    def setUp(self):
        with open("temp_session.pickle", "wb") as fh:
            pickle.dump({"token": "t"}, fh)
        self.client = Client()

    def tearDown(self):
        self.client.%s

    def test_token(self):
        self.assertTrue(self.client)
"""
"""The examples' test case (ZC2): its setup writes a file, its teardown makes the call given."""

DJ2_TEST = """
import os
import unittest

from tests.helper import try_rm

ROOT = os.path.dirname(os.path.abspath(__file__))
FILE = os.path.join(ROOT, "test.webm")


class TestOverwrites(unittest.TestCase):
    def setUp(self):
        open(FILE, "a").close()

    def tearDown(self):
        try_rm(os.path.join(ROOT, %s))

    def test_size(self):
        self.assertTrue(os.path.getsize(FILE) < 1)
"""
"""The examples' test case (DJ2): its setup writes a file, its teardown hands a joined path to
an imported helper."""

AM7_TEST = """
from pathlib import Path


class TestExpire:
    @classmethod
    def setup_class(cls):
        with Path("/tmp/expired").open("w") as f:
            f.write("18/135900/92720")

    @classmethod
    def teardown_class(cls):
        Path("/tmp/expired").%s()

    def test_a(self):
        pass
"""
"""A test class whose setup writes a fixed file and whose teardown calls the given method on a
``Path`` built in place (AM7: tilecloud-chain's ``Path("/tmp/expired").unlink()``)."""

CT1_TEST = """
from pathlib import Path

from click.testing import CliRunner
from helpers.dg import isolated_example_project


def test_env_file():
    runner = CliRunner()
    with isolated_example_project(%s):
        Path(".env").write_text("A=1")
"""
"""A test writing in the folder another module's ``isolated_*`` helper entered (CT1)."""

CU1_TEST = """
import json

from .test_data_gen_flag import GEN_TEST_DATA


def test_load():
    data = {"a": 1}
    exp_file = "tests/data/out.json"
    if GEN_TEST_DATA:
        with open(exp_file, mode="w", encoding="utf-8") as f:
            f.write(json.dumps(data))
    else:
        with open(exp_file, encoding="utf-8") as f:
            assert json.load(f) == data
"""
"""A test writing expected data under a switch imported from a module of its folder (CU1)."""

CU1_FLAG = """
import os

from pydantic import TypeAdapter

GEN_TEST_DATA = TypeAdapter(bool).validate_python(
    os.getenv("{variable}", 0)
)


def test_gen_test_data_flag():
    assert not GEN_TEST_DATA
"""
"""CU1: that module, binding the switch once to the environment variable ``variable``."""

CM1_TEST = """
from pathlib import Path

POLICY = "~/.config/containers/policy.json"
BACKUP = "~/.config/containers/policy.json.bak"


class TestPolicies:
    @classmethod
    def setup_class(cls):
        policy = Path(POLICY).expanduser()
        if policy.exists():
            target = Path(BACKUP).expanduser()
            policy.rename(target)

    @classmethod
    def teardown_class(cls):
        renamed = Path(BACKUP).expanduser()
        if renamed.exists():
            target = Path(%s).expanduser()
            renamed.rename(target)

    def test_a(self):
        pass
"""
"""A test class whose setup renames the user's file aside and whose teardown renames the backup
to the path given (CM1: ansible-builder's podman ``policy.json``)."""

AM5_TEST = """
import os
import shutil
import unittest

testdir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tmp")


def delete_test_dir():
    if os.path.exists(testdir):
        %s


class TestIO(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(testdir):
            os.makedirs(testdir)

    def tearDown(self):
        delete_test_dir()

    def test_a(self):
        pass
"""
"""A test case whose setup makes a fixed folder and whose teardown calls a function of the file
that does what is given (AM5: lambda-salemx's ``delete_test_dir()``)."""


WITH_PROJECT = """
from functools import wraps

from click.testing import CliRunner


def with_project(fn):
    @wraps(fn)
    def test(*args, **kw):
        with CliRunner().isolated_filesystem():
            return fn(*args, **kw)

    return test
"""
"""An examples' test helper module (not linted) whose decorator runs the test in a temporary
folder, as towncrier's ``@with_project()`` does."""

EXAMPLE_PROJECT = """
import os

import pytest


@pytest.fixture
def in_project_dir(tmp_path):
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(cwd)
"""
"""An examples' fixture module (not linted) that a conftest imports: its fixture moves into the
temporary folder, as python-semantic-release's ``change_to_ex_proj_dir`` does."""

STAR_CONFTEST = {
    "tests/__init__.py": "",
    "tests/conftest.py": "from tests.fixtures import *\n",
    "tests/fixtures/__init__.py": "from tests.fixtures.example_project import *\n",
    "tests/fixtures/example_project.py": EXAMPLE_PROJECT,
}
"""An examples' suite whose conftest star-imports the fixtures of ``EXAMPLE_PROJECT``."""


READ_METHODS = frozenset(
    {"read", "readline", "readlines", "seek", "tell", "close", "fileno", "name", "closed"}
)
"""Methods and attributes of a file handle that read it or move in it, never write."""


def _writes_mode(call: ast.Call, position: int) -> bool:
    mode = call.args[position] if len(call.args) > position else None
    for keyword in call.keywords:
        if keyword.arg == "mode":
            mode = keyword.value
    text = string_value(mode)
    return text is not None and any(c in text for c in "wax+")


def write_targets(call: ast.Call, callee: str) -> tuple[str, list[ast.expr], bool] | None:
    """``(operation, path expressions, needs a path object)`` when ``call`` (of ``callee``)
    writes files."""
    if callee in OPEN_FUNCTIONS and call.args and _writes_mode(call, 1):
        return "open() for writing", call.args[:1], False
    if callee == "os.open" and len(call.args) > 1:
        flags = {n.attr for n in ast.walk(call.args[1]) if isinstance(n, ast.Attribute)}
        return ("os.open() for writing", call.args[:1], False) if flags & OS_WRITE_FLAGS else None
    if callee in OS_WRITES:
        return f"{callee}()", [call.args[i] for i in OS_WRITES[callee] if i < len(call.args)], False
    if callee in SHUTIL_COPIES:
        return f"{callee}()", call.args[1:2], False
    if isinstance(call.func, ast.Attribute):
        method = call.func.attr
        if method in PATH_WRITE_METHODS or (method == "open" and _writes_mode(call, 0)):
            return f".{method}()", [call.func.value], True
    return None


_REMEDIES = {
    Origin.RELATIVE: "build it from tmp_path, or monkeypatch.chdir(tmp_path) first",
    Origin.HOME: 'build it from tmp_path, or monkeypatch.setenv("HOME", str(tmp_path)) first',
    Origin.OUTSIDE: "build it from tmp_path (or tmp_path_factory)",
}


def _message(operation: str, origin: Origin, deletion: bool) -> str:
    """A write's files outlive the test; a deletion's files were made there by something the
    test ran, and outlive it when the test fails before the deletion."""
    if deletion:
        return (
            f"{operation} deletes files under {origin.value}, not under tmp_path: whatever made "
            f"them there leaves them behind when the test fails first; {_REMEDIES[origin]}"
        )
    return (
        f"{operation} changes files under {origin.value}, not under tmp_path, so they outlive "
        f"the test; {_REMEDIES[origin]}"
    )


TEST_SUPPORT = re.compile(r"^_?test_?(support|utils?|helpers?)$|^testing$|^testutils?$")
"""Module names that say the module is there to run tests (``test_support``, ``testing``,
``test_utils``): a package's own such module is a helper of its suite, not what it tests."""


def _support_module(name: str, module: ast.Module) -> str | None:
    """The module a ``with`` call's callee (``pkg.test_support.temp_path``, or ``temp_path``
    after ``from pkg.test_support import temp_path``) comes from, when a part of its path names
    a test-support module (``TEST_SUPPORT``); the project rule counts it as a helper of the
    suite when the package is the project's own."""
    top, _, rest = name.partition(".")
    for node in statements(module):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            if any((alias.asname or alias.name) == top for alias in node.names):
                path = f"{node.module}.{top}.{rest}" if rest else f"{node.module}.{top}"
                break
        elif isinstance(node, ast.Import):
            if any(alias.asname == top for alias in node.names):
                alias_name = next(a.name for a in node.names if a.asname == top)
                path = f"{alias_name}.{rest}" if rest else alias_name
                break
            if any(
                alias.asname is None and alias.name.partition(".")[0] == top for alias in node.names
            ):
                path = name
                break
    else:
        return None
    *package, _callee = path.split(".")
    if len(package) > 1 and any(TEST_SUPPORT.match(part) for part in package[1:]):
        return ".".join(package)
    return None


BO1_HELPERS = """
import os
import tempfile
from pathlib import Path


class QuietTemporaryDirectory:
    def __init__(self):
        self.temp_dir = tempfile.TemporaryDirectory()

    def __enter__(self):
        return self.temp_dir.__enter__()

    def __exit__(self, *exc):
        self.temp_dir.cleanup()


class ChdirTemporaryDirectory(QuietTemporaryDirectory):
    def __enter__(self):
        self.cwd = os.getcwd()
        result = super().__enter__()
        os.chdir({folder})
        return result

    def __exit__(self, *exc):
        os.chdir(self.cwd)
        super().__exit__(*exc)


class RepoTemporaryDirectory(ChdirTemporaryDirectory):
    pass
"""
"""BO1: a project's own manager whose inherited ``__enter__`` moves into the temporary folder
its base class makes (aider's ``GitTemporaryDirectory``); ``{folder}`` is where it moves."""
BO1_TEST = """
from pathlib import Path

from minirepo.utils import RepoTemporaryDirectory


def test_tracks_new_file():
    with RepoTemporaryDirectory():
        Path("added.txt").touch()
"""


EQ1_TEST = """
from pathlib import Path

import minirepo.utils


def test_tracks_new_file():
    with minirepo.utils.RepoTemporaryDirectory():
        Path("added.txt").touch()
"""
"""EQ1: BO1's manager reached as an attribute of a plainly imported module (setupmeta's
``import setupmeta`` then ``with setupmeta.temp_resource():``)."""


def _isolates_runner(node: ast.Call, name: str | None) -> bool:
    """Whether the call is an ``isolated_*`` helper handed a click runner (`ISOLATING`, CT1):
    a name ending in ``runner``, first or as the ``runner=`` keyword."""
    if name is None or not ISOLATING.search(name):
        return False
    handed = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "runner")]
    return any(isinstance(a, ast.Name) and a.id.lower().endswith("runner") for a in handed)


def _moves(name: str | None) -> bool:
    """Whether a call (or fixture) of this name moves the working directory."""
    return name is not None and CWD_HELPER.search(name) is not None


def _module_attribute_ref(name: str, module: ast.Module) -> str | None:
    """EQ1: ``"module:name"`` of a dotted manager reached through a plain import
    (``import pkg`` then ``with pkg.temp_resource():``, ``import pkg.util as u`` then ``with
    u.cd_tmp():``), as :func:`imported_refs` gives for ``from pkg import temp_resource``; None
    for an undotted name or one whose head no absolute ``import`` binds. Run only for the
    managers around a relative write."""
    head, dot, rest = name.rpartition(".")
    if not dot or not head:
        return None
    top = head.partition(".")[0]
    for node in statements(module):
        if not isinstance(node, ast.Import):
            continue
        for alias in node.names:
            if alias.asname == top:
                tail = head.partition(".")[2]
                return f"{alias.name}.{tail}:{rest}" if tail else f"{alias.name}:{rest}"
            if (
                alias.asname is None
                and (alias.name == head or alias.name.startswith(f"{head}."))
                and alias.name.partition(".")[0] == top
            ):
                return f"{head}:{rest}"
    return None


def _own_support(ctx: ProjectContext, origins: tuple[str, ...]) -> bool:
    """Whether one of these origins is a test-support module of the project's own package
    (``inotify.test_support``, see ``_support_module``): its ``with temp_path():`` may move into
    a temporary folder, as a helper module of the suite may."""
    return any(
        origin != "."
        and "." in origin
        and ctx.model.dependencies.any_own([origin.partition(".")[0]])
        for origin in origins
    )


_FOLDER_DEPTH = 24
"""How deep a made folder's path may nest (:class:`PathEvaluator`): each name, ``/`` and
``.parent`` is a level, and a test's ``features = root / "features"`` over ``root = FIXTURES /
"case"`` over ``FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"`` takes ten."""


def _ships_folder(ctx: ProjectContext, folder: str) -> bool:
    """Whether the linted tree holds ``folder``: a ``.py`` file of the tree lies in it (AX3).
    A folder holding no Python file is not known to be there, so its making stays reported."""
    prefix = folder + "/"
    return any(path.startswith(prefix) for path in ctx.model.python_files)


def _defined_over(ctx: ProjectContext, file: SourceFile, names: frozenset[str]) -> set[str]:
    """Which of ``names`` a fixture of ``file`` itself, or of a conftest or plugin over it,
    defines: such a fixture shadows pytest's of the same name."""
    return {
        fixture.name
        for where, facts in ctx.files
        if where == file or where.covers(file.path)
        for fixture in facts.fixtures
        if fixture.name in names
    }


def _imported_fixture(ctx: ProjectContext, file: SourceFile, undefined: set[str]) -> bool:
    """Whether a test may run in a temporary folder that a fixture from a module apytest-lint
    does not read moved it into: among the fixtures it sets up that no linted file defines
    (``undefined``), one that the file itself or a conftest over it imports by name
    (``from tests.fixtures import in_project_dir``), or, when one of them star-imports a
    module of the project's own (``from tests.fixtures import *``), any but pytest's."""
    imports = [
        fact
        for where, facts in ctx.files
        if where == file or where.covers(file.path)
        for fact in facts.name_imports
    ]
    if undefined & {name for fact in imports for name in fact.names}:
        return True
    stars = [fact.origin for fact in imports if "*" in fact.names]
    unknown = undefined - PYTEST_FIXTURES - NOT_FIXTURES
    return bool(unknown) and ctx.model.dependencies.any_own(stars)


def _unknown_plugin_fixture(
    ctx: ProjectContext, guards: FixtureGuards, path: str, requests: Collection[str]
) -> bool:
    """Whether a fixture of the suite's own that the test requests sets up, in turn, a fixture
    that neither a linted file, pytest nor a plugin apytest-lint knows defines: a fixture of an
    unknown plugin (pytest-click's ``isolated_cli_runner`` runs the test in click's
    ``isolated_filesystem()``), which may have moved into a temporary folder. Only fixtures
    that a fixture requests count: a test's own parameters may be ``parametrize`` arguments."""
    reached: set[str] = set()
    for name in requests:
        reached |= guards.undefined(path, [name]) - {name}
    if not reached:
        return False
    table = plugin_table()
    defined = {fixture.name for _, facts in ctx.files for fixture in facts.fixtures}
    return any(
        name not in PYTEST_FIXTURES
        and name not in NOT_FIXTURES
        and name not in defined
        and name not in table.builtin["fixture"]
        and name not in table.owners["fixture"]
        for name in reached
    )


def _catches_missing(handler: ast.ExceptHandler) -> bool:
    types = handler.type
    names = types.elts if isinstance(types, ast.Tuple) else [types]
    return types is None or any(
        (dotted_name(t) or "").rpartition(".")[2] in MISSING_ERRORS for t in names if t
    )


def _tolerates_missing(node: ast.Call, ancestors: list[ast.AST]) -> bool:
    """A deletion written for a file that may not be there (a leftover of an earlier run, or
    of the code under test): ``missing_ok=True``, ``ignore_errors=True``, under an existence
    check, in a ``try`` that catches ``FileNotFoundError`` (or wider), or under ``suppress``."""
    for flag in ("missing_ok", "ignore_errors"):
        value = keyword_value(node, flag)
        if isinstance(value, ast.Constant) and value.value:
            return True
    if inside_with_call(ancestors, node, ("suppress",)):
        return True
    for outer in ancestors:
        if isinstance(outer, ast.If) and within(node, outer.body):
            calls = [c for c in ast.walk(outer.test) if isinstance(c, ast.Call)]
            if any(called_name(c) in EXISTENCE_NAMES for c in calls):
                return True
        if (
            isinstance(outer, ast.Try | ast.TryStar)
            and within(node, outer.body)
            and any(_catches_missing(h) for h in outer.handlers)
        ):
            return True
    return False


REFUSALS = frozenset(
    {
        "PermissionError",
        "FileExistsError",
        "FileNotFoundError",
        "IsADirectoryError",
        "NotADirectoryError",
        "OSError",
        "IOError",
    }
)
"""What the operating system raises when it refuses a write or a deletion at its first step."""
EXPECTING = frozenset({"raises", "assertRaises", "assertRaisesRegex"})
"""Context managers that fail the test unless their body raises what they name."""
ONE_STEP_CALLS = frozenset(
    {
        *("open() for writing", "os.open() for writing", "os.mkdir()", "os.remove()"),
        *("os.unlink()", "os.rmdir()", "os.truncate()", "os.mkfifo()", "os.rename()"),
        *("os.replace()", "os.symlink()", "os.link()", ".write_text()", ".write_bytes()"),
        *(".touch()", ".unlink()", ".rmdir()", ".rename()", ".replace()", ".symlink_to()"),
        *(".hardlink_to()", ".open()", ".mkdir()"),
    }
)
"""Operations (as ``write_targets`` names them) that change nothing when they raise: their
first step is the one the system refuses (``makedirs``, ``rmtree`` and the copies may have done
part of their work when they raise)."""


def _expects_refusal(item: ast.withitem) -> bool:
    """Whether a ``with`` item is ``pytest.raises(E)`` (or unittest's ``assertRaises``) with
    only refusals of the system in ``E`` (a tuple of them too)."""
    expr = item.context_expr
    if not isinstance(expr, ast.Call) or not expr.args:
        return False
    if (dotted_name(expr.func) or "").rpartition(".")[2] not in EXPECTING:
        return False
    first = expr.args[0]
    kinds = first.elts if isinstance(first, ast.Tuple) else [first]
    return bool(kinds) and all(
        (dotted_name(kind) or "").rpartition(".")[2] in REFUSALS for kind in kinds
    )


def _only_uses(body: Sequence[ast.stmt], name: str | None) -> bool:
    """Whether every statement of a ``with`` body is ``pass`` or a call of a method of the file
    it opened (``f.write("wat")``): nothing else that could raise what the test expects."""
    for statement in body:
        if isinstance(statement, ast.Pass):
            continue
        if not isinstance(statement, ast.Expr) or not isinstance(statement.value, ast.Call):
            return False
        func = statement.value.func
        if not (
            name is not None
            and isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == name
        ):
            return False
    return True


def _opened_last(node: ast.Call, last: ast.stmt) -> bool:
    """BG1: whether ``last`` (the last statement of a ``with pytest.raises(OSError):``) is a
    ``with`` whose last item opens ``node`` and whose body only uses the file it opened
    (``with open("/tmp/" + "a" * 1024 + ".txt", "w") as f: f.write("wat")``, a test that the
    system refuses the name). Where the test passes, the refused open made nothing; where it did
    not raise, the test fails, as for AV2's one-step call. A body that calls anything else (a
    helper handed the file) may raise what is expected after the file was made."""
    if not isinstance(last, ast.With | ast.AsyncWith) or not last.items:
        return False
    item = last.items[-1]
    if item.context_expr is not node:
        return False
    target = item.optional_vars
    name = target.id if isinstance(target, ast.Name) else None
    return _only_uses(last.body, name)


def _refused(node: ast.Call, operation: str, ancestors: Sequence[ast.AST]) -> bool:
    """AV2: a one-step write or deletion that is the last statement of a ``with
    pytest.raises(PermissionError):`` (a test that the system refuses it: ``open(os.path.join(
    HOME, "journal.json"), "w")`` run as a user that may not write there). Where the test passes,
    the call raised and changed nothing; where it did not raise, the test fails (``DID NOT
    RAISE``) with nothing after it that could raise instead. ``mkdir(parents=True)`` may have
    made the parents first, so it does not count."""
    parents = any(k.arg == "parents" for k in node.keywords) or (
        operation == ".mkdir()" and len(node.args) > 1
    )
    if operation not in ONE_STEP_CALLS or parents:
        return False
    for outer in ancestors:
        if not isinstance(outer, ast.With | ast.AsyncWith) or not outer.body:
            continue
        last = outer.body[-1]
        if _opened_last(node, last):
            if any(_expects_refusal(item) for item in outer.items):
                return True
            continue
        if not isinstance(last, ast.Expr) or not within(node, [last]):
            continue
        value = last.value
        direct = value is node or (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.value is node
        )
        if direct and any(_expects_refusal(item) for item in outer.items):
            return True
    return False


def _after_yield(owner: FunctionNode, node: ast.AST) -> bool:
    """Whether ``node`` comes after a ``yield`` of the fixture ``owner``: its teardown."""
    line = getattr(node, "lineno", 0)
    return any(
        isinstance(sub, ast.Yield | ast.YieldFrom) and sub.lineno < line for sub in ast.walk(owner)
    )


YD2_TEST = """
import os


def test_saved(save):
    if save:  # pytest --data-save
        os.makedirs("build/examples")


def test_kept(keep):
    if keep:  # pytest --data-save
        os.makedirs("build/kept")
"""
YD2_CONFTEST = """
import pytest

def pytest_addoption(parser):
    parser.addoption("--data-save", action="store_true")

def pytest_generate_tests(metafunc):
    if "save" in metafunc.fixturenames:
        metafunc.parametrize("save", [{save}])

@pytest.fixture
def keep(request):
    return request.config.getoption("data_save")
"""
"""YD2: a write under ``if save:`` where the conftest gives ``save`` the value of a
command-line option (a generated argument, a fixture returning it), as audiotsm's
``--data-save``; its near miss parametrizes ``save`` with ``True`` too."""


AA3_TEST = """
import os

import pytest
from hypothesis import given
from hypothesis.strategies import booleans


{mark}
def test_dam_break(create_png={default}):
    out = os.path.join(os.getcwd(), "verification")
    if create_png:
        os.makedirs(os.path.join(out, "pngs"), exist_ok=True)
"""
"""AA3: a write under ``if`` on a test's parameter that defaults to off; pytest gives such a
parameter no value (``parametrize`` naming it fails collection), a decorator may."""


ZB2_TEST = """
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden" / "plan.txt"


def test_plan(regen_golden):
    if regen_golden:  # pytest --regen-golden
        GOLDEN.write_text("plan")
    assert GOLDEN.read_text() == "plan"
"""
ZB2_CONFTEST = """
import pytest

def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true")

@pytest.fixture(scope="session")
def regen_golden(request):
    \"\"\"Was the suite run with --regen-golden?\"\"\"
    return {value}
"""
"""ZB2: a write to a fixed location (from ``__file__``) under ``if regen_golden:``, the
conftest's fixture returning the option's truth value (netviz); its near miss returns the
negation, true on the default run."""


DX3_TEST = """
import subprocess
import sys
from pathlib import Path

OUTPUT = Path(__file__).parent.parent / "docs" / "examples"
OTHER = Path(__file__).parent / "other"


def _snapshot():
    return {{p.name: p.read_bytes() for p in sorted({source}.glob("*.svg"))}}


def test_examples_are_current():
    before = _snapshot()
    try:
        subprocess.run([sys.executable, "examples.py"], check=True)
    finally:
        for name, data in before.items():
            (OUTPUT / name).write_bytes(data)
"""
"""DX3 (glyphx): a ``finally`` writing back each file of a folder's snapshot taken before its
``try``; the near miss snapshots another folder."""


ZB5_TEST = """
from pathlib import Path

from app import generate

MANIFEST = Path(__file__).parent / "manifest.ttl"
OTHER = Path(__file__).parent / "other.ttl"


def test_refuses_to_overwrite():
    tracked = {source}.read_bytes()
    try:
        generate(MANIFEST)
    finally:
        if MANIFEST.read_bytes() != tracked:
            MANIFEST.write_bytes(tracked)


def test_weights():
    backup = None
    if Path("data/weights.json").exists():
        backup = Path("data/weights.json").read_text()
    try:
        generate("data/weights.json")
    finally:
        if backup:
            Path("data/weights.json").write_text(backup)
"""
"""ZB5: a ``finally`` writing back what the test read from that file before its ``try``
(iladub, skillos); the near miss writes back another file's content."""


ZB8_TEST = """
import os
import shutil

from app import render, run


def test_resume():
    os.makedirs("resume_test", exist_ok=True)
    with open("resume_test/results.csv", "w") as f:
        f.write({content})
    try:
        run("resume_test/results.csv")
    finally:
        shutil.rmtree("resume_test")
"""
"""ZB8: a folder made, then a file filled with constants, right before the ``try`` whose
``finally`` removes the folder (drr); the near miss fills it with the project's output."""

EI1_TEST = """
from pathlib import Path

import yaml

from app import render, setup


def test_setup():
    config = {{"slack": {{"enabled": False}}}}
    sample = Path("config/sample.yml")
    sample.parent.mkdir(parents=True, exist_ok=True)
    with open(sample, "w") as f:
        yaml.dump({value}, f)
    try:
        setup(sample)
    finally:
        sample.unlink()
        sample.parent.rmdir()
"""
"""EI1 (komon): a folder made, then a file filled by a serializer with the test's own data,
right before the ``try`` whose ``finally`` removes both; the near miss dumps the project's
output."""


ZF1_TEST = """
from pathlib import Path

ROOT = Path("/Library/Managed Preferences")


def test_publish():
    path = ROOT / "probe.plist"
    try:
        ROOT.mkdir(exist_ok=True)
        path.write_text("created")
{middle}
"""
"""ZF1: the cleanup sits in the ``finally`` of a ``try`` that is itself in the outer ``finally``
(runlayer: stop the reader process first, then remove the files, each step run even when the one
before raised); the near miss nests that ``try`` in the outer body, after the writes, where a
failure before it skips its ``finally``."""
ZF1_IN_FINALLY = """\
    finally:
        try:
            print("stop the reader")
        finally:
            path.unlink(missing_ok=True)
            ROOT.rmdir()"""
BK2_TEST = """
import os
import subprocess
import sys


def test_server():
    script = "/tmp/demo_server.py"
    with open(script, "w") as f:
        f.write("print('serving')")
    {between}
    try:
        assert proc.wait(timeout=5) == 0
    finally:
        {final}
        os.remove(script)
"""
"""BK2: a test writes the script a server runs, starts it, then stops it in a ``try`` whose
``finally`` removes the script; the near misses may skip that ``try`` or that deletion."""
BK2_POPEN = "proc = subprocess.Popen([sys.executable, script])"
ZF1_IN_BODY = """\
        assert path.read_text() == "created"
        try:
            print("stop the reader")
        finally:
            path.unlink(missing_ok=True)
            ROOT.rmdir()
    finally:
        print("done")"""


ZF2_TEST = """
from pathlib import Path

import pytest


class TestBackups:
    @pytest.fixture(autouse=True)
    def _user_home(self, tmp_path, monkeypatch):
        monkeypatch.setattr({patched}, classmethod(lambda cls: tmp_path))

    def test_config_is_backed_up(self):
        folder = Path.home() / ".codex"
        folder.mkdir()
"""
"""ZF2: a class-wide autouse fixture fakes ``Path.home`` (runlayer), so ``Path.home()`` is the
test's folder; the near miss fakes ``Path.cwd`` instead, and the write lands in the real home."""


ZF6_TEST = """
import json
from pathlib import Path


def test_mdm_install():
    created, seen = [], []
    try:
        config = Path("/etc/demo/aiwatch/config.json")
        {listed}.append(config)
        config.write_text(json.dumps({{"Host": "h"}}))
    finally:
        for path in created:
            try:
                path.unlink()
            except OSError:
                pass
"""
"""ZF6: the ``finally`` deletes each path the test listed in ``created`` (runlayer's frozen
install test); the near miss lists it elsewhere, so nothing deletes the file."""


AX3_TEST = """
from pathlib import Path

from demo import scan

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_big_feature():
    root = FIXTURES / "{name}"
    features = root / "features"
    features.mkdir(parents=True, exist_ok=True)
    feature_file = features / "big.feature"
    feature_file.write_text("Feature: Big")
    try:
        assert scan(features)
    finally:
        feature_file.unlink()
"""
"""AX3: a test making sure of a data folder below ``fixtures/{name}`` and removing the file it
writes there (the tree ships ``fixtures/oversized/features/``)."""
VD5_CONFTEST = """
import pytest

@pytest.fixture
def temp_project(tmp_path, monkeypatch):
    {move}
    return tmp_path
"""
"""An examples' conftest whose fixture may move the test into ``tmp_path`` (``{move}``)."""
VD5_TEST = """
import os

import pytest

@pytest.fixture
def bump_project(temp_project):
    (temp_project / ".cfg").write_text("")
    return temp_project

def test_missing_pyproject(bump_project):
    os.remove("pyproject.toml")
"""
"""A test module whose own fixture requests that conftest's (VD5)."""


SNAPSHOT_WRITES = {"write_text": "read_text", "write_bytes": "read_bytes"}
"""The path methods that write back a snapshot, each with the one that takes it (ZB5)."""


DIR_FD_KEYWORDS = frozenset({"dir_fd", "src_dir_fd", "dst_dir_fd"})
"""The ``os`` keywords that resolve a relative path against an open folder instead of the
working directory (``os.mkdir("x", dir_fd=fd)``, ``os.rename(a, b, src_dir_fd=fd)``)."""


def _relative_to_fd(node: ast.Call) -> bool:
    """Whether the call resolves its relative paths against a folder descriptor it is handed
    (VD6): where they land is that folder, not the working directory, so a relative path is
    no write under the checkout. An absolute path ignores the descriptor and stays judged."""
    return any(
        k.arg in DIR_FD_KEYWORDS
        and not (isinstance(k.value, ast.Constant) and k.value.value is None)
        for k in node.keywords
    )


def _in_teardown(node: ast.Call, owner: FunctionNode, ancestors: list[ast.AST]) -> bool:
    """After a fixture's ``yield``, in an xunit or unittest teardown, or in a function defined
    inside the test or fixture (as a finalizer is)."""
    inner = next(a for a in reversed(ancestors) if isinstance(a, FunctionNode))
    return (
        inner is not owner
        or owner.name in TEARDOWNS
        or (fixture_decl(owner) is not None and _after_yield(owner, node))
    )


def _listed_paths(
    owner: FunctionNode, outer: ast.Try | ast.TryStar, path: ast.expr
) -> list[ast.expr]:
    """What the test appends to a list that the ``finally`` of ``outer`` walks, deleting each
    item as ``path`` (ZF6: runlayer's ``created.append(config)`` before writing it, then
    ``finally: for path in created: path.unlink()``): each appended path is deleted there."""
    if not isinstance(path, ast.Name):
        return []
    lists = {
        loop.iter.id
        for stmt in outer.finalbody
        for loop in ast.walk(stmt)
        if isinstance(loop, ast.For)
        and isinstance(loop.target, ast.Name)
        and loop.target.id == path.id
        and isinstance(loop.iter, ast.Name)
    }
    return [
        node.args[0]
        for node in ast.walk(owner)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "append"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in lists
        and len(node.args) == 1
    ]


def _cleans_up(node: ast.Call, owner: FunctionNode, ancestors: list[ast.AST]) -> bool:
    """Whether a deletion is a cleanup: in a teardown or a ``finally``, or of a file that may
    not be there (``_tolerates_missing``)."""
    return (
        _in_teardown(node, owner, ancestors)
        or any(
            isinstance(outer, ast.Try | ast.TryStar) and within(node, outer.finalbody)
            for outer in ancestors
        )
        or _tolerates_missing(node, ancestors)
    )


def _opted_in(node: ast.AST, ancestors: list[ast.AST]) -> bool:
    """A write under ``if request.config.getoption("--update-outputs"):`` or
    ``if eval_example.update_examples:`` (also one operand of an ``and``): it runs only when
    whoever runs pytest asks for the files to be written (expected outputs regenerated in the
    checkout), which is its purpose, not a leak."""
    module = ancestors[0] if ancestors else None
    return any(
        _reads_opt_in(test) or environment_switch(test, module)
        for tests in _conditions_around(node, ancestors)
        for test in tests
    ) or any(
        isinstance(outer, ast.If) and within(node, outer.body) and _switch_or_missing(outer, module)
        for outer in ancestors
    )


def _switch_or_missing(outer: ast.If, module: ast.AST | None) -> bool:
    """FJ1: ``if REGEN or not GOLDEN.exists():`` (eval-toolkit's golden files): a
    regeneration switch (or option), or-ed with checks that an expected file is missing, each
    of a file the block itself writes (``GOLDEN.write_text(...)``): the block writes expected
    files when asked to, or the one that is not there yet, as a snapshot tool creates a
    missing snapshot; a shipped file is never written unasked. Without the switch (``if not
    CACHE.exists():``) nothing says the file is an expected output: still reported."""
    test = outer.test
    if not (isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or)):
        return False
    switches = {
        id(value)
        for value in test.values
        if _reads_opt_in(value) or environment_switch(value, module)
    }
    missing = [value for value in test.values if id(value) not in switches]
    return bool(switches) and all(_written_if_missing(value, outer.body) for value in missing)


def _written_if_missing(check: ast.expr, body: Sequence[ast.stmt]) -> bool:
    """Whether ``check`` is ``not P.exists()`` (``not os.path.isfile(P)``, ...) and ``body``
    writes ``P`` itself (a path method's write, or ``open(P, "w")``)."""
    found = (
        existence_checked(check.operand)
        if isinstance(check, ast.UnaryOp) and isinstance(check.op, ast.Not)
        else None
    )
    if found is None or found[0] == "is_dir":
        return False
    checked = found[1]
    spelt = ast.dump(checked)
    for statement in body:
        for node in ast.walk(statement):
            if not isinstance(node, ast.Call):
                continue
            if (
                isinstance(node.func, ast.Attribute)
                and node.func.attr in PATH_WRITE_METHODS
                and ast.dump(node.func.value) == spelt
            ) or (
                dotted_name(node.func) in OPEN_FUNCTIONS
                and node.args
                and ast.dump(node.args[0]) == spelt
                and _writes_mode(node, 1)
            ):
                return True
    return False


def _opted_in_above(node: ast.AST, ancestors: list[ast.AST]) -> bool:
    """FB4: a write after a statement that leaves its function unless the run opted in
    (``if not request.config.getoption("--gen-figs"): return None``, or ``raise``,
    ``pytest.skip(...)``): past it the write runs only when whoever runs pytest asked for the
    files, as under :func:`_opted_in`'s ``if``. Read only for a write about to be reported."""
    module = ancestors[0] if ancestors else None
    return any(
        isinstance(test, ast.UnaryOp)
        and isinstance(test.op, ast.Not)
        and (_reads_opt_in(test.operand) or environment_switch(test.operand, module))
        for test in exit_conditions(ancestors, node)
    )


def _conditions_around(node: ast.AST, ancestors: list[ast.AST]) -> Iterator[list[ast.expr]]:
    """For each ``if`` whose body holds ``node``, what it tests: the operands of an ``and``,
    else the one condition (each must hold for ``node`` to run)."""
    for outer in ancestors:
        if isinstance(outer, ast.If) and within(node, outer.body):
            test = outer.test
            yield (
                test.values
                if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And)
                else [test]
            )


def _switches(node: ast.AST, owner: FunctionNode, ancestors: list[ast.AST]) -> tuple[str, ...]:
    """The arguments of ``owner`` that an ``if`` around ``node`` tests by bare name (``if
    save:``, one operand of an ``and``): a fixture or generated argument the project's
    conftests give a command-line option's value to (``opt_in_arguments``) opts the write in,
    as ``if request.config.getoption(...):`` does (:func:`_opted_in`). A name tested so that
    the module's top imports from a module of its own folder (``from .flag import GEN``, no
    parameter of that name) is ``".flag:GEN"``: the project says whether that module binds it
    to an environment switch (CU1, :attr:`FileFacts.environment_switches`)."""
    arguments = set(parameter_names(owner))
    tested = {
        test.id
        for tests in _conditions_around(node, ancestors)
        for test in tests
        if isinstance(test, ast.Name)
    }
    found = tested & arguments
    module = ancestors[0] if ancestors else None
    if tested - arguments and isinstance(module, ast.Module):
        for statement in module.body:
            if (
                isinstance(statement, ast.ImportFrom)
                and statement.module
                and statement.level <= 1
                and "." not in statement.module
            ):
                found.update(
                    f"{'.' * statement.level}{statement.module}:{alias.name}"
                    for alias in statement.names
                    if alias.asname is None and alias.name in tested - arguments
                )
    return tuple(sorted(found))


def _imported_switch(ctx: ProjectContext, file: SourceFile, switch: str) -> bool:
    """CU1: whether ``switch`` (``".flag:GEN"``, :func:`_switches`) names a module of the
    file's own folder that binds the name once to an environment switch (the folder is where
    ``from .flag import`` and, under pytest's ``rootdir``-less prepend import mode, ``from flag
    import`` look first)."""
    module, _, name = switch.partition(":")
    folder = posixpath.dirname(file.path)
    path = posixpath.join(folder, module.lstrip(".") + ".py")
    return any(
        where.path == path and name in facts.environment_switches for where, facts in ctx.files
    )


def _opted_in_by_option(ctx: ProjectContext, file: SourceFile, switches: Sequence[str]) -> bool:
    """Whether one of a write's ``switches`` holds a command-line option's value in every
    definition that reaches the file: the file's own and its conftests' ``opt_in_arguments``,
    and no other fixture of that name there (precision first: another may return anything)."""
    if not switches:
        return False
    reaching = [
        facts for where, facts in ctx.files if where.path == file.path or where.covers(file.path)
    ]
    for name in switches:
        if ":" in name:
            if _imported_switch(ctx, file, name):
                return True
            continue
        opted = sum(facts.opt_in_arguments.count(name) for facts in reaching)
        defined = sum(1 for facts in reaching for f in facts.fixtures if f.name == name)
        if opted and defined <= opted:
            return True
    return False


OPT_IN_FLAGS = {("eval_example", "update_examples")}
"""Fixture attributes that hold a command-line opt-in to write: pytest-examples'
``eval_example.update_examples`` (``pytest --update-examples``)."""


def _reads_opt_in(test: ast.expr) -> bool:
    """``config.getoption(...)``/``getvalue(...)``, or a plugin fixture's opt-in flag."""
    if isinstance(test, ast.Call):
        return reads_option(test)
    return (
        isinstance(test, ast.Attribute)
        and isinstance(test.value, ast.Name)
        and (test.value.id, test.attr) in OPT_IN_FLAGS
    )


def _deletes(callee: str) -> bool:
    """A call that deletes files: ``os.remove``, and anything named ``rmtree``, ``unlink``,
    ``rmdir`` or ``removedirs`` (a project's own ``utils.rmtree`` too)."""
    return callee == "os.remove" or callee.rpartition(".")[2] in DELETE_NAMES


FILE_DELETING_PREFIXES = ("delete", "remove")
"""How a word of the name of a project's own method that deletes a file it is handed tends to
begin (``delete_session``, ``remove_file``, ``remove``, ``_ensure_deleted``)."""

FILE_DELETING_WORDS = frozenset({"rm"})
"""Whole words that name a deletion in such a name (DJ2: yt-dlp's ``try_rm``; as a prefix
``rm`` would also take ``rmsd_of``)."""


def _deletes_named_file(call: ast.Call) -> bool:
    """``client.delete_session("temp_session.pickle")``: a call named as a deletion and handed
    a file name (a string literal with a suffix), which a teardown makes to remove what the
    setup wrote through the project's own helper (ZC2: monarchmoney). A name without a suffix
    (``delete_user("bob")``) is a record, not a file: no cleanup. The deleting word need not
    come first (BP7: aqmlator's ``self._ensure_deleted("learning_data.csv")``)."""
    if not call.args:
        return False  # most calls: nothing handed, so no file named (and no name split)
    words = called_name(call).lower().split("_")
    if not any(
        word.startswith(FILE_DELETING_PREFIXES) or word in FILE_DELETING_WORDS for word in words
    ):
        return False
    return any(
        "." in text.rpartition("/")[2].strip(".")
        for arg in call.args
        if (text := string_value(_file_name_part(arg))) is not None
    )


def _file_name_part(arg: ast.expr) -> ast.expr:
    """The part of a path handed to a deleting helper that names the file: the path itself, or
    the last part of ``os.path.join(root, "test.webm")`` (DJ2: yt-dlp's teardown
    ``try_rm(os.path.join(root_dir, "test.webm"))``, a helper whose ``rm`` word deletes)."""
    if (
        isinstance(arg, ast.Call)
        and arg.args
        and not arg.keywords
        and dotted_name(arg.func) == "os.path.join"
    ):
        return arg.args[-1]
    return arg


def _path_deletion(call: ast.Call) -> ast.expr | None:
    """The path a method deletes without arguments: ``path`` of ``path.unlink()``,
    ``path.rmdir()``, ``path.rmtree()`` (a ``finally`` cleaning up ``path.symlink_to(...)``)."""
    func = call.func
    if call.args or not isinstance(func, ast.Attribute) or func.attr not in DELETE_NAMES:
        return None
    return func.value


PATH_CONSTRUCTORS = frozenset({"Path", "pathlib.Path"})
"""Calls that build a ``pathlib.Path`` of the one path they are handed."""


def _deletes_built_path(call: ast.Call) -> bool:
    """``Path(name).unlink()``, ``pathlib.Path(name).rmdir()``: a deleting method called on a
    path built right there of one path (CH1: mci-py's ``finally: if Path(templated_file).exists():
    Path(templated_file).unlink()``), whose callee no dotted name spells. Another receiver
    built by a call (``Store(name).unlink()``) is the project's own: no deletion known."""
    receiver = _path_deletion(call)
    return (
        isinstance(receiver, ast.Call)
        and len(receiver.args) == 1
        and not receiver.keywords
        and dotted_name(receiver.func) in PATH_CONSTRUCTORS
    )


def _same_file(
    deleted: ast.expr, written: ast.expr, text: Callable[[ast.expr], str | None]
) -> bool:
    """Whether a deletion's path is a written path, or a folder holding it (``rmtree("out")``
    after ``open("out/a.txt", "w")``), as the source spells them or as ``text`` reads them (a
    name bound to the literal), also when one spells it through ``Path(...)``, ``str(...)``
    (``Path(name).touch()`` then ``os.remove(name)``)."""
    deleted, written = same_folder_spelling(deleted), same_folder_spelling(written)
    if ast.dump(deleted) == ast.dump(written):
        return True
    folder, path = text(deleted), text(written)
    return (
        folder is not None
        and path is not None
        and (path == folder or path.startswith(folder.rstrip("/") + "/"))
    )


def _single_bindings(owner: FunctionNode) -> dict[str, ast.expr]:
    """Names that ``owner`` binds exactly once, by a plain ``name = value``, to their values."""
    values: dict[str, ast.expr] = {}
    seen: set[str] = set()
    for node in ast.walk(owner):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.For | ast.AsyncFor):
            targets = [node.target]
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            targets = [node.optional_vars]
        elif isinstance(node, ast.NamedExpr):
            targets = [node.target]
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    if name.id in seen:
                        values.pop(name.id, None)
                    elif isinstance(node, ast.Assign) and target is name:
                        values[name.id] = node.value
                    seen.add(name.id)
    return values


def _move_ends(node: ast.Call, callee: str | None) -> tuple[ast.expr, ast.expr] | None:
    """Where a move takes a file from and to: ``os.rename(a, b)``, ``shutil.move(a, b)``,
    ``os.replace(a, b)`` or a path's ``a.rename(b)`` / ``a.replace(b)``."""
    if callee in MOVES and len(node.args) >= 2:
        return node.args[0], node.args[1]
    if (
        isinstance(node.func, ast.Attribute)
        and node.func.attr in ("rename", "replace")
        and len(node.args) == 1
        and not node.keywords
    ):
        return node.func.value, node.args[0]
    return None


def _spelling(path: ast.expr, bindings: Mapping[str, ast.expr]) -> str:
    """How a path reads once the names its function binds once are replaced by their values
    (``target = Path(BACKUP).expanduser()`` then ``target``), and ``Path(...)``, ``str(...)``
    dropped: one function's ``target`` and another's ``renamed`` compare as the paths they
    name."""
    for _ in range(5):
        path = same_folder_spelling(path)
        if not isinstance(path, ast.Name) or path.id not in bindings:
            break
        path = bindings[path.id]
    return ast.dump(same_folder_spelling(path))


def _built_inside(deleted: ast.expr, written: ast.expr, owner: FunctionNode) -> bool:
    """Whether the written path is built from the deleted one as its folder: ``folder / "a"``,
    ``os.path.join(folder, "a")``, ``folder.joinpath("a")``, directly or through names the
    function binds once (``stub = folder / "dot"`` then ``stub.write_text(...)``), where the
    ``finally`` deletes ``folder`` (``shutil.rmtree(folder)``, also spelt ``str(folder)``)."""
    deleted = same_folder_spelling(deleted)
    if not isinstance(deleted, ast.Name):
        return False
    bindings = _single_bindings(owner)
    if deleted.id in {n.id for n in ast.walk(owner) if isinstance(n, ast.Name)} - {
        *bindings,
        *parameter_names(owner),
    }:
        return False  # bound more than once (or not plainly): which folder goes is not sure
    node: ast.expr | None = written
    for _ in range(20):
        if node is None:
            return False
        if isinstance(node, ast.Name):
            if node.id == deleted.id:
                return node is not written  # the folder itself is ``_same_file``'s case
            node = bindings.get(node.id)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            node = node.left
        elif (
            isinstance(node, ast.Call)
            and node.args
            and (dotted_name(node.func) or "").endswith("path.join")
        ):
            node = node.args[0]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "joinpath"
        ):
            node = node.func.value
        else:
            return False
    return False


def _statement_after(owner: FunctionNode, node: ast.AST) -> ast.stmt | None:
    """The statement that runs next once the expression statement (or assignment) whose value
    is ``node`` completes without an error: its next sibling, or, for the last statement of a
    ``try`` body with no ``else`` or ``finally``, the statement after the ``try``. None when
    ``node`` is not such a statement's value, or nothing follows in ``owner``."""
    where: dict[int, tuple[ast.AST, str, list[ast.stmt], int]] = {}
    statement: ast.stmt | None = None
    for parent in ast.walk(owner):
        if isinstance(parent, ast.Expr | ast.Assign) and parent.value is node:
            statement = parent
        for name in ("body", "orelse", "finalbody"):
            body = getattr(parent, name, None)
            if isinstance(body, list):
                for index, child in enumerate(body):
                    where[id(child)] = (parent, name, body, index)
    while statement is not None and id(statement) in where:
        parent, name, body, index = where[id(statement)]
        if index + 1 < len(body):
            return body[index + 1]
        if (
            isinstance(parent, ast.Try | ast.TryStar)
            and name == "body"
            and not parent.orelse
            and not parent.finalbody
        ):
            statement = parent
            continue
        return None
    return None


def _just_before(node: ast.AST, statement: ast.stmt, owner: FunctionNode) -> bool:
    """Whether ``node`` lies in the statement right before ``statement`` in the same block of
    ``owner`` (``with open(name, "w") as f: ...`` followed by ``try: ... finally: ...``): once
    that statement has run, nothing else runs before the ``try``. Statements between them that
    only bind paths or write files themselves (``sub = folder / "a"``, ``sub.mkdir()``,
    ``config.folder = folder``) count as nothing (YB7): a test that makes a folder, fills it
    and points its settings there before the ``try`` whose ``finally`` removes the folder."""
    for block in ast.walk(owner):
        for name in ("body", "orelse", "finalbody"):
            statements = getattr(block, name, None)
            if isinstance(statements, list) and statement in statements:
                index = statements.index(statement)
                while index > 0 and not within(node, statements[index - 1 : index]):
                    if not _only_binds_or_writes(statements[index - 1]):
                        return False
                    index -= 1
                return index > 0
    return False


def _only_binds_or_writes(statement: ast.stmt) -> bool:
    """A statement that binds a path built of names, attributes and constants
    (``sub = folder / "a"``, ``settings.DATA = folder``) or makes one by a path method
    (``sub.mkdir(parents=True)``, ``(sub / "f").write_text("x")``): nothing in it runs the
    test's own code."""
    if isinstance(statement, ast.Assign):
        return _path_expression(statement.value) or _starts_process(statement.value)
    if isinstance(statement, ast.With):
        return _only_fills(statement)
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        func = statement.value.func
        if dotted_name(func) in OS_FOLDER_MAKERS:
            return all(_path_expression(a) for a in statement.value.args) and all(
                _path_expression(k.value) for k in statement.value.keywords
            )
        return (
            isinstance(func, ast.Attribute)
            and func.attr in PATH_WRITE_METHODS
            and _path_expression(func.value)
            and all(_path_expression(a) for a in statement.value.args)
            and all(_path_expression(k.value) for k in statement.value.keywords)
        )
    return False


PROCESS_STARTS = frozenset({"subprocess.Popen", "Popen"})
"""Calls that start a process and return at once (BK2)."""


def _starts_process(value: ast.expr) -> bool:
    """``proc = subprocess.Popen([sys.executable, script], ...)`` (BK2: a test writing the
    script a server runs, starting it, then the ``try`` whose ``finally`` stops the server
    and removes the script): ``Popen`` returns once the child has started, and the child's
    failure raises nothing here, so nothing that skips the ``try`` runs in between.
    ``subprocess.run``/``check_call`` wait for the child and may raise: not this."""
    return isinstance(value, ast.Call) and dotted_name(value.func) in PROCESS_STARTS


def _after_final_assert(call: ast.Call, around: ast.stmt) -> bool:
    """Whether ``call`` comes after an ``assert`` at the top of ``around``'s ``finally``
    (BK2's near miss: ``finally: assert "GET /ping" in logs`` then ``os.remove(script)``):
    a failing assertion skips the deletion, and the file outlives the test."""
    final = getattr(around, "finalbody", None)
    if not isinstance(final, list):
        return False
    for statement in final:
        if within(call, [statement]):
            return False
        if isinstance(statement, ast.Assert):
            return True
    return False


def _only_fills(statement: ast.With) -> bool:
    """``with open(path, "w") as f:`` whose body only writes constants to ``f``
    (``f.write("a,b\\n")``), ``path`` built of names, attributes and constants (ZB8: drr's
    results file, written into the folder made before it and removed in the ``finally``):
    nothing in it runs the test's own code, as a path method's write does not."""
    if len(statement.items) != 1:
        return False
    item = statement.items[0]
    opened, handle = item.context_expr, item.optional_vars
    if not (
        isinstance(opened, ast.Call)
        and dotted_name(opened.func) in OPEN_FUNCTIONS
        and opened.args
        and _path_expression(opened.args[0])
        and _writes_mode(opened, 1)
        and isinstance(handle, ast.Name)
    ):
        return False
    return all(
        isinstance(line, ast.Expr)
        and isinstance(line.value, ast.Call)
        and (
            (
                isinstance(line.value.func, ast.Attribute)
                and line.value.func.attr == "write"
                and dotted_name(line.value.func.value) == handle.id
                # a constant, or a name (FJ2: the text bound before): ``write`` runs no code
                and all(isinstance(a, ast.Constant | ast.Name) for a in line.value.args)
            )
            or _dumps_data(line.value, handle.id)
        )
        for line in statement.body
    )


DUMP_FUNCTIONS = frozenset({"json.dump", "yaml.dump", "yaml.safe_dump", "toml.dump"})
"""Serializers writing a value to an open file: library code, not the test's own."""


def _dumps_data(call: ast.Call, handle: str) -> bool:
    """``yaml.dump(sample_config, f)`` into the opened file ``handle``, of a name or of a
    literal of names and constants (EI1: komon's settings sample, written right before the
    ``try`` whose ``finally`` puts it back): a serializer runs, not the project's code. A
    value computed by a call (``yaml.dump(build_config(), f)``) is the project's output."""
    if dotted_name(call.func) not in DUMP_FUNCTIONS or len(call.args) != 2:
        return False
    value, stream = call.args
    return dotted_name(stream) == handle and _data_expression(value)


def _data_expression(node: ast.expr) -> bool:
    """A name, a constant, or a dict, list or tuple of them: no call runs in it."""
    if isinstance(node, ast.Dict):
        return all(k is not None and _data_expression(k) for k in node.keys) and all(
            map(_data_expression, node.values)
        )
    if isinstance(node, ast.List | ast.Tuple):
        return all(map(_data_expression, node.elts))
    return isinstance(node, ast.Name | ast.Constant)


def _path_expression(node: ast.expr) -> bool:
    """Names, attributes, constants and ``/`` of them: ``Path.home() / ".ape"`` is not (a
    call), ``folder / "sub"`` is; nor the ``os`` module's spelling of such a path (FJ2:
    ``os.path.join(folder, "sub")``, ``os.getcwd()``), which runs no code of the project."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return _path_expression(node.left) and _path_expression(node.right)
    if isinstance(node, ast.Attribute):
        return _path_expression(node.value)
    if isinstance(node, ast.Call) and not node.keywords:
        callee = dotted_name(node.func)
        if callee == "os.getcwd":
            return not node.args
        return callee == "os.path.join" and all(_path_expression(a) for a in node.args)
    return isinstance(node, ast.Name | ast.Constant)


OS_FOLDER_MAKERS = frozenset({"os.makedirs", "os.mkdir"})
"""FJ2: the ``os`` module's spelling of ``path.mkdir()``: a statement between a write and the
``try`` that cleans it up that only makes a folder."""


FJ1_TEST = """
import json
import os
from pathlib import Path

GOLDEN_DIR = Path(__file__).parent / "golden"
GOLDEN_PATH = GOLDEN_DIR / "cases.json"
REGEN = os.environ.get("REGEN_GOLDEN") == "1"


def test_golden():
    actual = {"a": 1}
    if REGEN or not GOLDEN_PATH.exists():
        GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
        GOLDEN_PATH.write_text(json.dumps(actual))
    assert json.loads(GOLDEN_PATH.read_text()) == actual
"""
"""FJ1 (eval-toolkit): an expected file written when regeneration is asked for, or when it is
missing."""


DB2_TEST = """
import os

import pytest


@pytest.fixture
def corrupted(tmp_path):
    with open(os.path.join("path", "_metadata"), "wb") as f:
        f.write(b"not parquet")
    return tmp_path


def test_reads(tmp_path):
    assert tmp_path.exists()
%s"""
"""DB2: awkward's fixture that no test of its module requests (a typo'd path it never runs);
its near miss is requested by a test."""


def _file_deleting_functions(module: ast.Module, callee: Callable[[ast.Call], str]) -> set[str]:
    """The module's top-level functions that delete files (``def delete_test_dir():
    shutil.rmtree(testdir)``): an xunit teardown calling one cleans up as one deleting files
    itself does (AM5), whichever path it names."""
    return {
        func.name
        for func in module.body
        if isinstance(func, FunctionNode)
        and any(isinstance(c, ast.Call) and _deletes(callee(c)) for c in ast.walk(func))
    }


def _deleting_helpers(
    module: ast.Module, callee: Callable[[ast.Call], str], names: Collection[str]
) -> dict[str, tuple[int, ...]]:
    """Those of the module's top-level functions called ``names`` that delete files named by
    their parameters: for each, the positions of those parameters (``def remove(filename):
    os.remove(filename)`` -> 0)."""
    helpers: dict[str, tuple[int, ...]] = {}
    for func in module.body:
        if not isinstance(func, FunctionNode) or func.name not in names:
            continue
        params = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
        indexes = {
            params.index(first.id)
            for call in ast.walk(func)
            if isinstance(call, ast.Call) and call.args and _deletes(callee(call))
            for first in call.args[:1]
            if isinstance(first, ast.Name) and first.id in params
        }
        if indexes:
            helpers[func.name] = tuple(sorted(indexes))
    return helpers


ZG3_ISOLATE = """
import contextlib
import os
import shutil
import tempfile
import unittest


class TestUget(unittest.TestCase):
    @contextlib.contextmanager
    def isolate(self):
        current = os.getcwd()
        folder = {folder}
        try:
            os.chdir(folder)
            yield folder
        finally:
            os.chdir(current)
            shutil.rmtree(folder)

    def test_uget(self):
        with self.isolate():
            with open("data", "w") as fh:
                fh.write("x")
            os.unlink("data")
"""
"""ZG3's examples: a ``unittest`` class's ``@contextmanager`` method that moves into ``folder``."""

CH1_TEST = """
from pathlib import Path

from demo.store import Store


def test_reads_templated_path():
    templated_dir = "/tmp/users/john"
    templated_file = f"{{templated_dir}}/data.txt"
    Path(templated_file).write_text("User data for john")

    try:
        assert Path(templated_file).read_text() == "User data for john"
    finally:
        if Path(templated_file).exists():
            {deleted}.unlink()
"""
"""CH1's examples: a file written right before the ``try`` whose ``finally`` deletes
``{deleted}`` (mci-py: ``Path(templated_file).unlink()``)."""


@dataclass(frozen=True)
class _PendingWrite:
    node: ast.Call
    message: str
    origin: Origin
    owner: FunctionNode
    cls: ast.ClassDef | None
    target: ast.expr
    deletion: bool
    patched: bool
    """Inside ``with Patcher():`` (pyfakefs)."""
    managers: tuple[str, ...] = ()
    """The names the calls of the ``with`` statements around the write start from
    (``TempDirWithoutEnvVars`` of ``with TempDirWithoutEnvVars("X") as tmpdir:``)."""
    switches: tuple[str, ...] = ()
    """The owner's arguments an ``if`` around the write tests by name (:func:`_switches`)."""

    @property
    def relative(self) -> bool:
        return self.origin is Origin.RELATIVE


DQ1_TEST = """
import os

from breezy.tests import {base}


class Base({base}):
    pass


class TestLoader(Base):
    def test_renames(self):
        os.mkdir("dir1")
        os.mkdir("dir2")
"""
"""DQ1: a test class deriving (through the file's own ``Base``) from a breezy test base."""


class WriteOutsideTmpPath(FileRule, ProjectRule):
    """A test or fixture writes, creates, renames or deletes files outside its temporary folder.

    Only paths traced to a literal, the working directory, ``__file__`` or the home folder are
    reported; reading is never reported, nor a write in a ``try`` (or in the statement right
    before it) whose ``finally`` deletes that path (directly, or through a function of the
    module that deletes its parameter).

    ## Why is this bad?
    Files a test leaves in the checkout make the next run (or the next test, or another xdist
    worker) start from a different state: tests pass alone and fail together, and ``git status``
    is dirty after CI.

    ## Use instead
    Build paths from ``tmp_path`` (``tmp_path_factory`` for wider scopes, ``tmpdir``,
    ``tempfile``), or ``monkeypatch.chdir(tmp_path)`` before using relative paths; ``pytester``
    tests already run in their own folder.
    """

    code = "APT203"
    fixable = True
    name = "write-outside-tmp-path"
    lesson = "tmp-path-isolation"
    summary = "a test writes or deletes files at a path not derived from tmp_path"
    triggers = key_identifiers(
        {
            *OPEN_FUNCTIONS,
            *OS_WRITES,
            *SHUTIL_COPIES,
            *PATH_WRITE_METHODS,
            *TMP_ENTRY_NAMES,
            "setenv",
            "monkeypatch",
        }
    )
    """``open`` also stands for ``os.open`` and the ``.open()`` of a path; a conftest that only
    moves the working directory, points ``HOME`` elsewhere, or hands its ``monkeypatch`` to a
    helper, is read too, for the fixtures it offers."""
    VALID = (
        Example(DB2_TEST % ""),  # DB2: no test requests the fixture: its write never runs
        Example(  # AV2: a test that the system refuses the write: passing, it wrote nothing
            """
            import os

            import pytest

            HOME = "/tmp/demo-signer-home"


            def test_agent_cannot_rewind_the_journal(signer):
                with pytest.raises(PermissionError):
                    open(os.path.join(HOME, "journal.json"), "w")
                with pytest.raises((PermissionError, IsADirectoryError)):
                    open(os.path.join(HOME, "socket.sock"), "w").write("x")
            """,
        ),
        Example(  # BG1: the refused write opens a file whose body only writes to it
            """
            import pytest


            def test_filename_truncation():
                super_long_filename = "/tmp/" + ("a" * 1024) + ".txt"
                with pytest.raises(OSError):
                    with open(super_long_filename, "w") as f:
                        f.write("wat")
            """,
        ),
        Example(  # AA3: the earlier near miss, never run under pytest
            """
            def test_generated(tmp_path, regenerate=False):
                expected = render()
                if regenerate:  # pytest gives a parameter with a default no value
                    with open("expected.txt", "w") as f:
                        f.write(expected)
            """,
        ),
        Example(  # AA3: pytest gives no value to a parameter with a default (struphy)
            AA3_TEST.format(mark="@pytest.mark.slow", default="False"),
        ),
        Example(  # ZG3: a test class's own context manager moves the test (vortex-nwp)
            ZG3_ISOLATE.format(folder="tempfile.mkdtemp()")
        ),
        Example(  # YD2: the argument holds a command-line opt-in, as getoption() in the test
            YD2_TEST,
            files={
                "tests/conftest.py": YD2_CONFTEST.format(
                    save='metafunc.config.getoption("data_save")'
                )
            },
        ),
        Example(  # ZB2: a fixed location written only under the option's truth value
            ZB2_TEST,
            files={
                "tests/conftest.py": ZB2_CONFTEST.format(
                    value='bool(request.config.getoption("--regen-golden"))'
                )
            },
        ),
        Example(  # ZB8: nothing but constants written between the folder and the try
            ZB8_TEST.format(content='"name,value\\n"'),
        ),
        Example(  # EI1: a serializer writes the test's own data between the folder and the try
            EI1_TEST.format(value="config"),
        ),
        Example(  # ZB5: the file's own snapshot written back: the file as it was
            ZB5_TEST.format(source="MANIFEST"),
        ),
        Example(  # DX3: each file of the folder's snapshot written back: the folder as it was
            DX3_TEST.format(source="OUTPUT"),
        ),
        Example(  # VD5: the module's fixture requests the conftest's, which moves into tmp_path
            VD5_TEST,
            files={"tests/conftest.py": VD5_CONFTEST.format(move="monkeypatch.chdir(tmp_path)")},
        ),
        Example(  # VD6: relative to a folder descriptor, not to the working directory
            """
            import os

            def test_swap(tmp_path):
                fd = os.open(tmp_path, os.O_RDONLY)
                os.mkdir("nested", mode=0o700, dir_fd=fd)
                os.rename("nested", "moved", src_dir_fd=fd, dst_dir_fd=fd)
            """
        ),
        Example(  # a mode that may write, but the handle is only read: the file is unchanged
            """
            def test_docs_built():
                with open("./site/index.html", "r+") as f:
                    for line in f.readlines():
                        assert "add_columns" in line
            """
        ),
        Example(  # the finally removes the folder whatever happens: the test's own, cleaned
            """
            import os

            def test_temp_dir():
                fn = "test_temp_dir"
                try:
                    make_folder(fn)
                    os.rmdir(fn)
                    assert not os.path.exists(fn)
                finally:
                    if os.path.isdir(fn):
                        os.rmdir(fn)
            """
        ),
        Example(
            """
            import shutil
            import unittest
            from pathlib import Path


            class TestDump(unittest.TestCase):
                def test_dump(self):
                    out = Path(__file__).parent / "scripts"
                    out.mkdir(parents=True, exist_ok=True)
                    self.addCleanup(shutil.rmtree, out)  # registered right after: pass or fail
                    with (out / "test.py").open("w") as f:
                        f.write("x")


            def test_report(request):
                log = Path(__file__).parent / "report.txt"
                request.addfinalizer(lambda: log.unlink())
                log.write_text("x")
            """
        ),
        Example(  # RX5: the finalizer moves the backup back over the original, pass or fail
            """
            import os
            import shutil

            import pytest

            here = os.path.dirname(__file__)


            @pytest.fixture
            def fmt_file(request):
                original = os.path.join(here, "bad_fmt", "test.tf")
                backup = os.path.join(here, "bad_fmt", "test.backup")
                shutil.copy(original, backup)

                def restore():
                    shutil.move(backup, original)

                request.addfinalizer(restore)
            """
        ),
        Example(
            """
            import os
            import uuid


            def test_bad_private_data_dir():
                tmpfile = os.path.join("/tmp", str(uuid.uuid4().hex))  # a fresh name, as mkstemp
                with open(tmpfile, "w") as f:
                    f.write("x")
            """
        ),
        Example(
            """
            import pathlib


            def test_symlink():
                link = (pathlib.Path(__file__).parent / "example").absolute()
                link.symlink_to(link.parent / "other", target_is_directory=True)
                try:
                    pass
                finally:
                    link.unlink()  # the method form of os.remove(link)
            """
        ),
        Example(
            """
            import os


            def test_build_abort(project_cli_runner):
                os.mkdir("build_dir")  # in the plugin's isolated filesystem
                with open("build_dir/test", "w"):
                    pass
            """,
            files={
                "tests/conftest.py": """
                    import pytest


                    @pytest.fixture
                    def project_cli_runner(isolated_cli_runner):  # an unknown plugin's fixture
                        return isolated_cli_runner
                    """,
            },
        ),
        Example(
            """
            import os
            import unittest


            class TestDownload(unittest.TestCase):
                def test_to_fileobj(self):
                    # ``files``: the suite's helper around ``tempfile.mkdtemp()``, not
                    # pytest's config: its ``rootdir`` names nothing known
                    path = os.path.join(self.files.rootdir, "1mb.txt")
                    with open(path, "wb") as f:
                        f.write(b"x")
            """
        ),
        Example(
            """
            from pathlib import Path

            here = Path(__file__).parent


            def test_syntax_error():
                f = here / "syntax_err" / "syntax_err.py"
                f.write_bytes(b"class")  # broken for the test, put back in the finally
                try:
                    compile(f.read_text(), str(f), "exec")
                finally:
                    f.write_bytes(b"# a syntax error is inserted here by the test\\n")
            """
        ),
        Example(
            """
            import os

            def test_abspath():
                link = "link.json"
                abs_link = os.path.abspath(link)
                os.symlink("target.json", link)
                os.remove(abs_link)  # the written link, spelt absolute, removed next
            """
        ),
        Example(
            """
            import os

            from nibabel.tmpdirs import InTemporaryDirectory


            def test_tree():
                with InTemporaryDirectory():  # makes a temporary folder and moves into it
                    os.makedirs("dynlibs")
            """
        ),
        Example(
            """
            import os

            from .env_tools import TempDirWithoutEnvVars


            def test_lookup():
                with TempDirWithoutEnvVars("DYLD_LIBRARY_PATH"):  # a suite helper's: may move
                    os.mkdir("hidden")
            """
        ),
        Example(
            """
            import os

            import watcher.test_support
            from watcher.testing import in_scratch


            def test_cycle():
                with watcher.test_support.temp_path() as path:  # the package's test helper
                    with open("ignored_new_file", "w"):
                        pass
                with in_scratch():
                    os.mkdir("hidden")
            """,
            files={
                "watcher/__init__.py": "",
                "watcher/test_support.py": "",
                "watcher/testing.py": "",
            },
        ),
        Example(
            """
            import os

            import pytest


            @pytest.fixture
            def can_symlink():
                try:
                    os.symlink("target", "link")  # the next statement deletes it
                except OSError:
                    pytest.skip("cannot create symbolic links")
                os.remove("link")
            """
        ),
        Example(
            """
            def test_generated(tmp_path):
                expected = render()
                regenerate = False  # set to True to write the expected file again
                if regenerate:
                    with open("expected.txt", "w") as f:
                        f.write(expected)
            """
        ),
        Example(
            """
            import unittest

            import pytest


            @pytest.mark.skip("Doesn't work yet")  # never runs: nothing is written
            def test_skipped_write():
                with open("out.txt", "w") as f:
                    f.write("x")


            class TestCache(unittest.TestCase):
                @unittest.skip("flaky")
                def test_write(self):
                    open("cache.db", "w").close()
            """
        ),
        Example(
            """
            def test_save(tmp_path):
                out = tmp_path / 'out.txt'
                out.write_text('x')
                with open(out, 'w') as f:
                    f.write('y')
            """
        ),
        Example(
            """
            import pytest

            @pytest.fixture(autouse=True)
            def in_tmp(monkeypatch, tmp_path):
                monkeypatch.chdir(tmp_path)

            def test_save():
                with open('out.txt', 'w') as f:
                    f.write('x')
            """
        ),
        Example(
            """
            from pathlib import Path

            DATA = Path(__file__).parent / 'data'

            def test_read():
                assert (DATA / 'a.txt').read_text()
                with open(DATA / 'b.txt') as f:
                    f.read()
            """
        ),
        Example(
            """
            import os, shutil, tempfile

            def test_tmp():
                d = tempfile.mkdtemp()
                os.makedirs(os.path.join(d, 'x'))
                shutil.rmtree(d)
            """
        ),
        Example(
            """
            import os
            import shutil

            def test_link(tmp_path):
                link = "linked_module.py"
                try:
                    os.symlink(tmp_path / "a.py", link)  # the finally removes it, pass or fail
                    assert os.path.islink(link)
                finally:
                    os.remove(link)
                try:
                    os.makedirs("build/out")
                    open("build/out/a.txt", "w").close()
                finally:
                    shutil.rmtree("build")
            """
        ),
        Example(
            """
            import os
            import shutil
            import tempfile
            from contextlib import contextmanager


            def test_relative_imports():
                with tempdir():
                    with open("x.py", "w") as f:
                        f.write("X = 1")


            @contextmanager
            def tempdir():
                tmp = tempfile.mkdtemp()
                current = os.getcwd()
                os.chdir(tmp)  # entering it moves the test into a temporary folder
                try:
                    yield tmp
                finally:
                    os.chdir(current)
                    shutil.rmtree(tmp)
            """
        ),
        Example(
            """
            from pathlib import Path

            OUTPUTS = Path(__file__).parent / "outputs"


            def test_output(request):
                merged = render()
                expected = OUTPUTS / "a.txt"
                if request.config.getoption("update_outputs"):  # pytest --update-outputs
                    expected.write_text(merged)
                else:
                    assert merged == expected.read_text()


            def test_docs_output(eval_example):
                if eval_example.update_examples:  # pytest-examples' --update-examples
                    (OUTPUTS / "docs.html").write_text(render())
            """
        ),
        Example(  # FB4: the fixture leaves first unless the run opted in to the figures
            """
            from pathlib import Path

            import pytest


            @pytest.fixture
            def figdir(request):
                if not request.config.getoption("--gen-figs"):
                    return None
                folder = Path(__file__).parent.parent / "docs" / "pics"
                folder.mkdir(parents=True, exist_ok=True)
                return folder


            def test_figure(figdir):
                if figdir is None:
                    pytest.skip("no --gen-figs")
            """
        ),
        Example(  # DW3: under a module-level name bound once to False (one operand of an
            # and), the write runs only after someone edits that line (thinc's GENERATE = False)
            """
            from pathlib import Path

            GENERATE = False
            EXPECTED = Path(__file__).parent / "expected.txt"


            def test_output():
                actual = "x"
                if GENERATE and actual is not None:
                    EXPECTED.write_text(actual)
                else:
                    assert actual == EXPECTED.read_text()
            """
        ),
        Example(FJ1_TEST),  # FJ1: regeneration asked for, or the file the block writes missing
        Example(  # a leftover of an earlier run deleted under os.path.isfile (biopython's Nexus
            # tests: round 44's first FJ1 shadowed the names this reads and reported it)
            """
            import os

            from app import write_data


            def test_write():
                filename = "data/test_temp.nex"
                if os.path.isfile(filename):
                    os.remove(filename)
                write_data(filename)
                assert os.path.isfile(filename)
            """
        ),
        Example(  # CG1: regeneration asked for through a module-level name bound once to
            # an environment switch (actualis's ``UPDATE = os.environ.get(...) == "1"``)
            """
            import os
            from pathlib import Path

            GOLDENS = Path(__file__).parent / "goldens"
            UPDATE = os.environ.get("DEMO_UPDATE_GOLDENS") == "1"


            def test_golden():
                path = GOLDENS / "card.svg"
                if UPDATE:
                    GOLDENS.mkdir(exist_ok=True)
                    with path.open("w", encoding="utf-8") as fh:
                        fh.write("<svg/>")
                assert path.read_text(encoding="utf-8") == "<svg/>"
            """
        ),
        Example(  # CU1: regeneration asked for through a name imported from a module of the
            # test's own folder that binds it once to an environment switch (langchain-docling's
            # ``from .test_data_gen_flag import GEN_TEST_DATA``, ``DOCLING_GEN_TEST_DATA``)
            CU1_TEST,
            path="tests/test_loader.py",
            files={
                "tests/__init__.py": "",
                "tests/test_data_gen_flag.py": CU1_FLAG.format(variable="DEMO_GEN_TEST_DATA"),
            },
        ),
        Example(  # DZ1: a switch naming WRITE as a whole word asks for the expected file to
            # be written again (playwright's ``if os.getenv("PW_WRITE_SCREENSHOT"):``)
            """
            import os
            from pathlib import Path

            import pytest

            HERE = Path(__file__).parent


            @pytest.fixture
            def assert_golden():
                def compare(received, name):
                    try:
                        assert (HERE / "golden" / name).read_bytes() == received
                    except Exception:
                        if os.getenv("DEMO_WRITE_SCREENSHOT"):
                            path = HERE / "golden" / name
                            path.parent.mkdir(parents=True, exist_ok=True)
                            path.write_bytes(received)
                        raise

                return compare


            def test_page(assert_golden):
                assert_golden(b"png", "page.png")
            """
        ),
        Example(  # regeneration asked for through the environment
            """
            import json
            import os
            from pathlib import Path

            import pytest

            SNAPSHOT = Path(__file__).parent / "api_snapshot.json"


            def _should_update():
                return os.environ.get("DEMO_UPDATE_SNAPSHOTS", "").lower() in ("1", "true")


            def test_api_surface():
                surface = describe()
                if os.environ.get("DEMO_UPDATE_API_SNAPSHOT"):
                    SNAPSHOT.write_text(json.dumps(surface))
                    pytest.skip("snapshot regenerated")
                assert json.loads(SNAPSHOT.read_text()) == surface


            def test_shapes():
                if _should_update():
                    (SNAPSHOT.parent / "shapes.json").write_text("{}")
                if "DEMO_REGEN" in os.environ:
                    (SNAPSHOT.parent / "regen.json").write_text("{}")
            """
        ),
        Example(
            """
            from click.testing import CliRunner

            def test_cli():
                runner = CliRunner()
                with runner.isolated_filesystem():
                    with open('hello.txt', 'w') as f:
                        f.write('Hello')
            """
        ),
        Example(
            """
            import os, shutil
            import pytest

            @pytest.fixture(autouse=True)
            def remove_scratch():
                yield
                shutil.rmtree('scratch', ignore_errors=True)

            def test_scratch():
                os.makedirs('scratch')
                with open('scratch/a.txt', 'w') as f:
                    f.write('x')
            """
        ),
        Example(
            """
            import os

            def test_fake(fs):  # pyfakefs: os and open act on a file system in memory
                os.makedirs('/data/sub')
                with open('/data/sub/a.txt', 'w') as f:
                    f.write('x')
            """
        ),
        Example(
            """
            import os
            import pytest

            @pytest.fixture(autouse=True)
            def home(monkeypatch, tmp_path):
                monkeypatch.setenv('HOME', str(tmp_path))

            def test_rc():
                with open(os.path.expanduser('~/.demorc'), 'w') as f:
                    f.write('x')
            """
        ),
        Example(
            """
            import os, shutil
            from pathlib import Path

            def test_long_path(tmp_path):
                shutil.rmtree('\\\\\\\\?\\\\' + str(tmp_path))  # Windows' long-path form
                Path('/proc/self/comm').write_bytes(b'renamed')  # a kernel pseudo-file
                os.symlink('/etc/hosts', tmp_path / 'hosts')  # creates only the link
            """
        ),
        Example(
            """
            import os
            from pathlib import Path
            import unittest

            from .helpers import with_project


            class TestBuild(unittest.TestCase):
                @with_project
                def test_news(self):
                    Path("news").mkdir()
                    with open("news/1.rst", "w") as f:
                        f.write("x")
            """,
            files={"tests/__init__.py": "", "tests/helpers.py": WITH_PROJECT},
        ),
        Example(
            """
            from pathlib import Path


            def test_stamp(in_project_dir):
                Path("VERSION").write_text("1.2.3")
            """,
            files=STAR_CONFTEST,
        ),
        Example(
            """
            from pathlib import Path

            import pytest

            from tests.fixtures.example_project import in_project_dir


            @pytest.mark.usefixtures(in_project_dir.__name__)
            def test_stamp():
                Path("VERSION").write_text("1.2.3")
            """,
            files={
                "tests/__init__.py": "",
                "tests/fixtures/__init__.py": "",
                "tests/fixtures/example_project.py": EXAMPLE_PROJECT,
            },
        ),
        Example(
            """
            import shutil

            import pytest

            from .helpers import process_package


            @pytest.fixture
            def package(tmp_path, monkeypatch):
                process_package(tmp_path, monkeypatch)  # may monkeypatch.chdir(tmp_path)
                return tmp_path


            @pytest.mark.usefixtures("package")
            def test_copy():
                shutil.copy("pyproject.toml", "pyproject2.toml")
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
                    os.mkdir("main")
            """
        ),
        Example(
            """
            import unittest
            from pathlib import Path

            if __name__ != "__main__":  # pytest skips the whole module when it imports it
                raise unittest.SkipTest("run stand-alone to test the external converters")


            class Converters(unittest.TestCase):
                def test_convert(self):
                    Path("maths.html").write_text("<math/>")
            """
        ),
        Example(
            """
            import os


            def remove(filename):
                try:
                    os.remove(filename)
                except OSError:
                    pass


            def test_pid_file(start_cli):
                try:
                    filename = "test_garbage.pid"
                    with open(filename, "w") as f:
                        f.write("important!")
                    assert start_cli("--pid-file", filename).wait() == 4
                finally:
                    remove(filename)  # whatever the outcome: the file is gone


            def test_lock():
                try:
                    open("demo.lock", "w").close()
                finally:
                    os.remove("demo.lock")


            def test_extra_input():
                name = os.path.join(os.path.dirname(__file__), "data", "extra")
                with open(name + ".in", "w") as fhl:
                    fhl.write("# x")
                try:
                    assert load(name + ".in")
                finally:
                    os.unlink(name + ".in")
            """
        ),
        Example(
            """
            import os
            import shutil
            from pathlib import Path


            def test_stand_in():
                bindir = Path.home() / f".stub_{os.getpid()}"
                bindir.mkdir(mode=0o700)
                try:
                    stub = bindir / "dot"  # a file of the folder the finally removes
                    stub.write_text("#!/bin/sh\\n")
                    (bindir / "b").write_text("x")
                    with open(os.path.join(bindir, "c"), "w") as handle:
                        handle.write("x")
                finally:
                    shutil.rmtree(bindir, ignore_errors=True)
            """
        ),
        Example(  # AX3: the data folder it makes sure of is shipped; the file it writes is removed
            AX3_TEST.format(name="oversized"),
            files={"tests/fixtures/oversized/features/steps/steps.py": ""},
        ),
        Example(  # BK2: a process started between the write and the try whose finally deletes it
            BK2_TEST.format(between=BK2_POPEN, final="proc.kill()")
        ),
        Example(  # YB7: made, filled and pointed at before the try whose finally removes it
            """
            import shutil
            from pathlib import Path

            from app import config


            def test_keep():
                folder = Path.home() / ".app" / "__test__"
                folder.mkdir(parents=True, exist_ok=True)
                sub = folder / "sub"
                sub.mkdir(parents=True, exist_ok=True)
                (sub / "file.txt").write_text("x")
                config.DATA_FOLDER = folder
                try:
                    assert config.load()
                finally:
                    shutil.rmtree(str(folder), ignore_errors=True)
            """
        ),
        Example(  # FJ2: YB7 spelt with the os module: os.makedirs, os.path.join, os.getcwd()
            """
            import os
            import shutil

            from app import run


            def test_run():
                folder = os.path.join(os.getcwd(), "work", "runner-test")
                os.makedirs(os.path.join(folder, "conf"), exist_ok=True)
                text = "name: test"
                config = os.path.join(folder, "conf", "run.yml")
                with open(config, "w") as f:
                    f.write(text)
                os.makedirs(os.path.join(folder, "out"), exist_ok=True)
                try:
                    assert run(folder)
                finally:
                    if os.path.exists(folder):
                        shutil.rmtree(folder)
            """
        ),
        Example(  # RV4: Path(output) is another spelling of the path the finally removes
            """
            import os
            from pathlib import Path


            def test_exists():
                output = Path(os.getcwd(), "datalink_output.zip")
                Path(output).touch()
                try:
                    assert os.path.exists(output)
                finally:
                    os.remove(output)
            """
        ),
        Example(  # ZC2: the teardown removes the setup's file through the project's own method
            TEARDOWN_CALL % 'delete_session("temp_session.pickle")'
        ),
        Example(  # BP7: a helper whose name says so after another word (_ensure_deleted)
            TEARDOWN_CALL % '_ensure_deleted("temp_session.pickle")'
        ),
        Example(  # AM7: the teardown deletes through a method of a Path built in place
            AM7_TEST % "unlink"
        ),
        Example(  # DJ2: an imported helper whose rm word deletes, handed a joined file name
            DJ2_TEST % '"test.webm"'
        ),
        Example(  # AM5: the teardown removes the setup's folder through a function of the file
            AM5_TEST % "shutil.rmtree(testdir)"
        ),
        Example(  # ZE3: the test's own patches replace the very calls that would write
            """
            import shutil
            import unittest
            from pathlib import Path
            from unittest.mock import patch


            class TestErrors(unittest.TestCase):
                @patch("pathlib.Path.mkdir")
                def test_mkdir_denied(self, mock_mkdir):
                    mock_mkdir.side_effect = PermissionError("denied")
                    with self.assertRaises(PermissionError):
                        Path("out_dir").mkdir(parents=True)

                @patch("shutil.copy2")
                def test_copy_denied(self, mock_copy):
                    mock_copy.side_effect = PermissionError("denied")
                    with self.assertRaises(PermissionError):
                        shutil.copy2("source.txt", "destination.txt")

                def test_open_replaced(self):
                    with patch("builtins.open") as fake:
                        open("out.txt", "w").write("x")
            """
        ),
        Example(  # BL1: the module's own global open replaced by a patch named from __name__
            """
            import unittest
            from unittest import mock


            class TestDownload(unittest.TestCase):
                @mock.patch("%s.open" % __name__, new=mock.mock_open(), create=True)
                def test_download_file_url(self):
                    with open("/whatever/target", "w") as target:
                        target.write("x")

                @mock.patch(f"{__name__}.open", new=mock.mock_open(), create=True)
                def test_download_again(self):
                    open("/whatever/other", "w").write("x")

                @mock.patch(__name__ + ".open", new=mock.mock_open(), create=True)
                def test_download_joined(self):
                    open("/whatever/joined", "w").write("x")

                @mock.patch("{}.open".format(__name__), new=mock.mock_open(), create=True)
                def test_download_formatted(self):
                    open("/whatever/formatted", "w").write("x")
            """
        ),
        Example(  # ZE4: the test points Path.home elsewhere before building its path from it
            """
            from pathlib import Path


            def test_token(tmp_path, monkeypatch):
                monkeypatch.setattr(Path, "home", lambda: tmp_path / "home")
                token = Path.home() / ".suite" / "token"
                token.parent.mkdir(parents=True)
                token.write_text("x")
            """
        ),
        Example(  # ZF2: Path.home faked by the class's autouse fixture
            ZF2_TEST.format(patched='Path, "home"'),
        ),
        Example(  # ZF2: the same, spelled as a dotted string
            ZF2_TEST.format(patched='"pathlib.Path.home"'),
        ),
        Example(  # ZF6: the finally deletes every path appended to the list
            ZF6_TEST.format(listed="created"),
        ),
        Example(  # ZF1: the cleanup in a finally nested in the finally around the writes
            ZF1_TEST.format(middle=ZF1_IN_FINALLY),
        ),
        Example(  # CM1: the teardown renames back, under another name, what the setup moved aside
            CM1_TEST % "POLICY"
        ),
        Example(  # CM1: also spelt os.rename, the paths bound to names of either method
            """
            import os
            import unittest

            ORIGINAL = os.path.expanduser("~/.pypirc")


            class TestUpload(unittest.TestCase):
                @classmethod
                def setUpClass(cls):
                    backup = ORIGINAL + ".orig"
                    os.rename(ORIGINAL, backup)

                @classmethod
                def tearDownClass(cls):
                    saved = ORIGINAL + ".orig"
                    os.rename(saved, ORIGINAL)

                def test_a(self):
                    pass
            """
        ),
        Example(  # BO1: the project's own manager moves into the temporary folder it makes
            BO1_TEST,
            files={
                "minirepo/__init__.py": "",
                "minirepo/utils.py": BO1_HELPERS.format(folder="Path(self.temp_dir.name)"),
            },
        ),
        Example(  # EQ1: the same manager reached through ``import minirepo.utils``
            EQ1_TEST,
            files={
                "minirepo/__init__.py": "",
                "minirepo/utils.py": BO1_HELPERS.format(folder="Path(self.temp_dir.name)"),
            },
        ),
        Example(  # EQ1: through ``import minirepo.utils as mu`` (the alias resolved)
            EQ1_TEST.replace("import minirepo.utils", "import minirepo.utils as mu").replace(
                "with minirepo.utils.", "with mu."
            ),
            files={
                "minirepo/__init__.py": "",
                "minirepo/utils.py": BO1_HELPERS.format(folder="Path(self.temp_dir.name)"),
            },
        ),
        Example(  # CH1: the finally unlinks Path(name) of the file written right before the try
            CH1_TEST.format(deleted="Path(templated_file)"),
            files={"demo/__init__.py": "", "demo/store.py": "class Store: ..."},
        ),
        Example(  # CT1: another module's isolated_* helper handed the click runner moves into
            CT1_TEST % "runner"  # its isolated_filesystem(); the test writes there
        ),
        Example(  # DQ1: breezy's TestCaseWithTransport runs each test in a temporary folder
            DQ1_TEST.format(base="TestCaseWithTransport")
        ),
    )
    INVALID = (
        Example(  # FB4's near miss: the early exit is on the option being given, not missing
            """
            from pathlib import Path

            import pytest


            @pytest.fixture
            def figdir(request):
                if request.config.getoption("--gen-figs"):
                    return None
                folder = Path(__file__).parent.parent / "docs" / "pics"
                folder.mkdir(parents=True, exist_ok=True)
                return folder


            def test_figure(figdir):
                assert figdir
            """,
            line=11,
        ),
        Example(  # DQ1's near miss: breezy's plain TestCase stays in the working directory
            DQ1_TEST.format(base="TestCase"),
            line=12,
        ),
        Example(  # DB2's near miss: a test requests the fixture
            DB2_TEST % "\n\ndef test_corrupted(corrupted):\n    assert corrupted\n",
            line=8,
        ),
        Example(  # CT1's near miss: the isolated_* helper is handed a path, not the runner
            CT1_TEST % "Path.cwd()",
            line=10,
        ),
        Example(  # CH1's near miss: the finally unlinks through the project's own Store
            CH1_TEST.format(deleted="Store(templated_file)"),
            files={"demo/__init__.py": "", "demo/store.py": "class Store: ..."},
            line=9,
        ),
        Example(  # CH1's near miss: the finally deletes a path the test did not write
            CH1_TEST.format(deleted='Path(templated_dir + ".bak")'),
            files={"demo/__init__.py": "", "demo/store.py": "class Store: ..."},
            line=9,
        ),
        Example(  # CM1's near miss: the teardown moves the backup elsewhere, not back
            CM1_TEST % '"~/policy.json"',
            line=13,
        ),
        Example(  # EQ1's near miss: reached through the import, it moves into a fixed folder
            EQ1_TEST,
            files={
                "minirepo/__init__.py": "",
                "minirepo/utils.py": BO1_HELPERS.format(folder='Path(__file__).parent / "data"'),
            },
            line=8,
        ),
        Example(  # BO1's near miss: the same manager moves into a fixed folder of the checkout
            BO1_TEST,
            files={
                "minirepo/__init__.py": "",
                "minirepo/utils.py": BO1_HELPERS.format(folder='Path(__file__).parent / "data"'),
            },
            line=8,
        ),
        Example(  # AV2's near miss: a statement after the write may raise what is expected
            """
            import os

            import pytest

            HOME = "/tmp/demo-signer-home"


            def test_agent_cannot_rewind_the_journal(signer):
                with pytest.raises(PermissionError):
                    open(os.path.join(HOME, "journal.json"), "w")
                    os.chmod(HOME, 0o700)
            """,
            line=10,
        ),
        Example(  # BG1's near miss: a helper handed the opened file may raise what is expected
            """
            import pytest


            def test_save_refused():
                with pytest.raises(OSError):
                    with open("/tmp/demo-out.json", "w") as f:
                        save_state(f)
            """,
            line=6,
        ),
        Example(  # AV2's near miss: makedirs may make the parents before it is refused
            """
            import os

            import pytest


            def test_denied():
                with pytest.raises(PermissionError):
                    os.makedirs("/tmp/demo-out/a/b")
            """,
            line=8,
        ),
        Example(  # AA3's near miss: a decorator other than a mark may give it a value
            AA3_TEST.format(mark="@given(create_png=booleans())", default="False"),
            line=12,
        ),
        Example(  # AA3's near miss: the switch defaults to on
            AA3_TEST.format(mark="@pytest.mark.slow", default="True"),
            line=12,
        ),
        Example(  # ZE4's near miss: expanduser reads HOME, which the patch leaves alone
            """
            import os
            from pathlib import Path


            def test_token(tmp_path, monkeypatch):
                monkeypatch.setattr(Path, "home", lambda: tmp_path)
                with open(os.path.expanduser("~/.suite-token"), "w") as f:
                    f.write("x")
            """,
            line=7,
        ),
        Example(  # ZE4's near miss: the write comes before the patch
            """
            from pathlib import Path


            def test_token(tmp_path, monkeypatch):
                (Path.home() / ".suite-token").write_text("x")
                monkeypatch.setattr(Path, "home", lambda: tmp_path)
            """,
            line=5,
        ),
        Example(  # ZE3's near miss: the patch replaces another function than the write's
            """
            import shutil
            from unittest.mock import patch


            @patch("shutil.copy")
            def test_copy(mock_copy):
                shutil.copy2("source.txt", "destination.txt")
            """,
            line=7,
        ),
        Example(  # BL1's near miss: the patch replaces another module's open, not this one's
            """
            import unittest
            from unittest import mock

            import helpers


            class TestDownload(unittest.TestCase):
                @mock.patch("%s.open" % helpers.__name__, new=mock.mock_open(), create=True)
                def test_download_file_url(self):
                    with open("/whatever/target", "w") as target:
                        target.write("x")
            """,
            line=10,
        ),
        Example(  # ZE3's near miss: the patch calls the real method through
            """
            from pathlib import Path
            from unittest.mock import patch


            @patch("pathlib.Path.write_text", wraps=Path.write_text, autospec=True)
            def test_write(mock_write):
                Path("out.txt").write_text("x")
            """,
            line=7,
        ),
        Example(  # ZG3's near miss: the folder it moves to is the checkout's
            ZG3_ISOLATE.format(folder='"build"'),
            line=22,
        ),
        Example(  # ZB8's near miss: render() may fail before the try, leaving the folder
            ZB8_TEST.format(content="render()"),
            line=8,
        ),
        Example(  # EI1's near miss: render() may fail before the try, leaving the folder
            EI1_TEST.format(value="render(config)"),
            line=11,
        ),
        Example(  # ZB5's near miss: another file's content written over the manifest
            ZB5_TEST.format(source="OTHER"),
            line=15,
        ),
        Example(  # DX3's near miss: another folder's files written into the output folder
            DX3_TEST.format(source="OTHER"),
            line=19,
        ),
        Example(  # ZB2's near miss: the fixture is true on the default run
            ZB2_TEST,
            files={
                "tests/conftest.py": ZB2_CONFTEST.format(
                    value='not request.config.getoption("--regen-golden")'
                )
            },
            line=8,
        ),
        Example(  # YD2's near miss: ``save`` is true in one of the generated tests, always
            YD2_TEST.replace("def test_kept(keep):\n    if keep", "def test_kept():\n    if False"),
            files={"tests/conftest.py": YD2_CONFTEST.format(save="False, True")},
            line=6,
        ),
        Example(  # VD5's near miss: the conftest's fixture stays in the working directory
            VD5_TEST,
            files={"tests/conftest.py": VD5_CONFTEST.format(move="monkeypatch.setenv('A', '1')")},
            line=11,
        ),
        Example(  # AX3's near miss: the tree ships no file in the folder the test makes
            AX3_TEST.format(name="generated"),
            files={"tests/fixtures/oversized/features/steps/steps.py": ""},
            line=11,
        ),
        Example(  # BK2's near miss: run(check=True) raises when the child fails, before the try
            BK2_TEST.format(
                between="proc = subprocess.run([sys.executable, script], check=True)",
                final="print(proc)",
            ),
            line=8,
        ),
        Example(  # BK2's near miss: an assertion failing in the finally skips the deletion
            BK2_TEST.format(between=BK2_POPEN, final="assert proc.returncode == 0"),
            line=8,
        ),
        Example(  # YB7's near miss: the test's own code runs between the write and the try
            """
            import shutil
            from pathlib import Path

            from app import config


            def test_keep():
                folder = Path.home() / ".app" / "__test__"
                folder.mkdir(parents=True, exist_ok=True)
                config.reload()
                try:
                    assert config.load()
                finally:
                    shutil.rmtree(str(folder), ignore_errors=True)
            """,
            line=9,
        ),
        Example(  # FJ2's near miss: the folder made between is computed by the project's code
            """
            import os
            import shutil

            from app import out_folder, run


            def test_run():
                folder = os.path.join(os.getcwd(), "work", "runner-test")
                os.makedirs(os.path.join(folder, "conf"), exist_ok=True)
                os.makedirs(out_folder(folder), exist_ok=True)
                try:
                    assert run(folder)
                finally:
                    if os.path.exists(folder):
                        shutil.rmtree(folder)
            """,
            line=9,
        ),
        Example(  # VD6's near miss: dir_fd=None resolves against the working directory
            """
            import os

            def test_swap():
                os.mkdir("nested", dir_fd=None)
            """,
            line=4,
        ),
        Example(  # RX5's near miss: the backup is moved elsewhere, the original stays changed
            """
            import os
            import shutil

            import pytest

            here = os.path.dirname(__file__)


            @pytest.fixture
            def fmt_file(request):
                original = os.path.join(here, "bad_fmt", "test.tf")
                backup = os.path.join(here, "bad_fmt", "test.backup")
                shutil.copy(original, backup)

                def restore():
                    shutil.move(backup, os.path.join(here, "old.tf"))

                request.addfinalizer(restore)


            def test_fmt(fmt_file):
                pass
            """,
            line=13,
        ),
        Example(  # CU1's near miss: the imported name holds a variable whose GEN is inside
            # another word (``AGENT``), not a switch
            CU1_TEST,
            path="tests/test_loader.py",
            files={
                "tests/__init__.py": "",
                "tests/test_data_gen_flag.py": CU1_FLAG.format(variable="DEMO_AGENT_TEST_DATA"),
            },
            line=10,
        ),
        Example(  # FJ1's near miss: no switch asks for it; the missing file is a cache's
            FJ1_TEST.replace("REGEN or not", "not"),
            line=13,
        ),
        Example(  # FJ1's near miss: the file checked is not the one the block writes
            FJ1_TEST.replace("not GOLDEN_PATH.exists()", "not GOLDEN_DIR.exists()").replace(
                "        GOLDEN_DIR.mkdir(parents=True, exist_ok=True)\n", ""
            ),
            line=13,
        ),
        Example(  # CG1's near miss: the module's name holds a variable CI sets, not a switch
            """
            import os
            from pathlib import Path

            OUT = Path(__file__).parent / "out.json"
            ON_CI = os.environ.get("CI") == "true"


            def test_ci_report():
                if ON_CI:
                    OUT.write_text("{}")
            """,
            line=10,
        ),
        Example(  # DW3's near miss: a function sets the False switch again
            """
            from pathlib import Path

            GENERATE = False
            EXPECTED = Path(__file__).parent / "expected.txt"


            def test_output():
                global GENERATE
                GENERATE = True
                if GENERATE:
                    EXPECTED.write_text("x")
            """,
            line=11,
        ),
        Example(  # CG1's near miss: the name is bound again, so it may hold anything
            """
            import os
            from pathlib import Path

            GOLDEN = Path(__file__).parent / "golden.txt"
            UPDATE = os.environ.get("DEMO_UPDATE_GOLDENS") == "1"


            def test_golden():
                UPDATE = True
                if UPDATE:
                    GOLDEN.write_text("x")
            """,
            line=11,
        ),
        Example(  # DZ1's near miss: WRITE only inside another word (WRITER), no switch
            """
            import os
            from pathlib import Path

            OUT = Path(__file__).parent / "out.json"


            def test_writer_report():
                if os.environ.get("DEMO_WRITER_HOST"):
                    OUT.write_text("{}")
            """,
            line=9,
        ),
        Example(  # a variable CI sets, and a switch that holds when it is not set: stay
            """
            import os
            from pathlib import Path

            OUT = Path(__file__).parent / "out.json"


            def test_ci_report():
                if os.environ.get("CI"):
                    OUT.write_text("{}")


            def test_unless_update():
                if not os.environ.get("DEMO_UPDATE_SNAPSHOTS"):
                    OUT.write_text("{}")
            """,
            line=9,
        ),
        Example(  # ``r+`` and a write through the handle: the file changes
            """
            def test_stamp():
                with open("stamp.txt", "r+") as f:
                    f.read()
                    f.write("x")
            """,
            line=2,
        ),
        Example(  # ``r+`` handed to a helper, which may write: stays
            """
            def test_stamp():
                with open("stamp.txt", "r+") as f:
                    update(f)
            """,
            line=2,
        ),
        Example(
            """
            import os


            def test_shared_name():
                with open(os.path.join("/tmp", "shared.txt"), "w") as f:  # every run's file
                    f.write("x")
            """,
            line=5,
        ),
        Example(
            """
            import pathlib


            def test_symlink():
                link = (pathlib.Path(__file__).parent / "example").absolute()
                other = link.parent / "other"
                link.symlink_to(other, target_is_directory=True)
                try:
                    pass
                finally:
                    other.unlink()  # another path: the link stays
            """,
            line=7,
        ),
        Example(
            """
            import os

            import pytest


            @pytest.mark.parametrize("runner", [1, 2])
            def test_build(patched, runner):  # a known plugin's fixture, a parametrize argument
                os.mkdir("build_dir")
            """,
            files={
                "tests/conftest.py": """
                    import pytest


                    @pytest.fixture
                    def patched(mocker):
                        return mocker
                    """,
            },
            line=8,
        ),
        Example(
            """
            import os


            def test_report(request):
                with open(os.path.join(request.config.rootdir, "report.txt"), "w") as f:
                    f.write("x")
            """,
            line=5,
        ),
        Example(
            """
            import numpy as np


            def test_dump():
                with np.testing.suppress_warnings():  # a third-party test helper: stays
                    with open("dump.txt", "w") as f:
                        f.write("x")
            """,
            line=6,
        ),
        Example(
            """
            import shutil
            import unittest
            from pathlib import Path


            class TestDump(unittest.TestCase):
                def test_dump(self):
                    out = Path(__file__).parent / "scripts"
                    out.mkdir(parents=True, exist_ok=True)
                    (out / "a.txt").write_text("x")  # a failure here skips the registration
                    self.addCleanup(shutil.rmtree, out)
            """,
            line=9,
        ),
        Example(
            """
            import shutil
            from pathlib import Path


            def test_stand_in():
                bindir = Path.home() / ".stub"
                other = Path.home() / ".other"
                try:
                    stub = other / "dot"  # not in the folder the finally removes
                    stub.write_text("x")
                finally:
                    shutil.rmtree(bindir, ignore_errors=True)
            """,
            line=10,
        ),
        Example(
            """
            from pathlib import Path

            here = Path(__file__).parent


            def test_syntax_error():
                f = here / "syntax_err.py"
                f.write_bytes(b"class")  # the finally writes another file: this one stays
                try:
                    compile(f.read_text(), str(f), "exec")
                finally:
                    (here / "log.txt").write_text("done")
            """,
            line=8,
        ),
        Example(
            """
            import os
            import warnings


            def test_tree():
                with warnings.catch_warnings():  # the standard library's: moves nowhere
                    os.makedirs("dynlibs")
            """,
            line=7,
        ),
        Example(
            """
            from pathlib import Path

            OUTPUTS = Path(__file__).parent / "outputs"


            def test_output(request):
                expected = OUTPUTS / "a.txt"
                if not request.config.getoption("keep_outputs"):
                    expected.unlink()
                else:
                    expected.write_text("x")  # the default run writes it


            def test_docs_output(eval_example):
                if not eval_example.update_examples:
                    (OUTPUTS / "docs.html").write_text("x")  # the default run writes it
            """,
            line=16,
        ),
        Example(
            """
            import os
            from contextlib import contextmanager
            from pathlib import Path

            HERE = Path(__file__).parent


            @contextmanager
            def in_data():
                current = os.getcwd()
                os.chdir(HERE / "data")  # a folder of the checkout, not a temporary one
                yield
                os.chdir(current)


            def test_write():
                with in_data():
                    open("out.txt", "w").close()
            """,
            line=18,
        ),
        Example(
            """
            import os


            def test_probe():
                os.symlink("target", "link")
                assert os.path.islink("link")  # may fail: the link stays
                os.remove("link")
            """,
            line=5,
        ),
        Example(
            """
            import os

            def test_link(tmp_path):
                link = "linked_module.py"
                os.symlink(tmp_path / "a.py", link)  # not guarded by the try below
                assert os.path.islink(link)  # a failure here leaks the link
                try:
                    open("other.txt", "w").close()  # the finally removes another file
                finally:
                    os.remove(link)
            """,
            line=5,
        ),
        Example(
            """
            import os

            def test_other():
                try:
                    open("other.txt", "w").close()  # the finally removes another file
                finally:
                    os.remove("linked_module.py")
            """,
            line=5,
        ),
        Example(
            """
            def test_generated(tmp_path):
                regenerate = False
                if MISSING:
                    regenerate = True
                if regenerate:
                    with open("expected.txt", "w") as f:
                        f.write("x")
            """,
            line=6,
        ),
        Example(
            """
            from unittest import mock

            import pytest


            @pytest.mark.slow
            @mock.patch("time.time")
            def test_save(now):
                with open("out.txt", "w") as f:
                    f.write("x")
            """,
            line=9,
        ),
        Example(
            """
            from pathlib import Path


            def test_stamp(tmp_path, capsys):
                Path("VERSION").write_text("1.2.3")
            """,
            files=STAR_CONFTEST,
            line=5,
        ),
        Example(
            """
            import os
            import unittest


            class InTmpMixin:
                def setUp(self):
                    os.chdir(self.tmpdir)


            class TestGit(unittest.TestCase):
                def test_branch(self):
                    os.mkdir("main")
            """,
            line=12,
        ),
        Example(
            """
            def test_save():
                with open('out.txt', 'w') as f:
                    f.write('x')
            """,
            line=2,
        ),
        Example(
            """
            import os


            def test_lock():
                try:
                    open("demo.lock", "w").close()
                finally:
                    os.remove("demo.pid")  # another file: the lock stays
            """,
            line=6,
        ),
        Example(
            """
            import os


            def test_lock():
                open("demo.lock", "w").close()
                check()  # when it fails, the try below never starts
                try:
                    use("demo.lock")
                finally:
                    os.remove("demo.lock")
            """,
            line=5,
        ),
        Example(
            """
            from pathlib import Path

            HERE = Path(__file__).parent

            def test_snapshot():
                (HERE / 'snapshot.json').write_text('{}')
            """,
            line=6,
        ),
        Example(
            """
            import pytest

            @pytest.fixture
            def lock():
                with open('/tmp/shared.lock', 'w') as f:
                    f.write('1')
                yield
            """,
            path="tests/conftest.py",
            line=5,
        ),
        Example(
            """
            import os
            from pathlib import Path

            def test_access():
                marker = Path(__file__).parent / 'marker.txt'
                if marker.exists():
                    os.remove(marker)  # a leftover: cleanup, not reported
                marker.touch()
                assert os.access(marker, os.R_OK)
                os.remove(marker)  # skipped when the assert fails: the touch is reported
            """,
            line=8,
        ),
        Example(
            """
            import os

            def test_abspath():
                cf = "absolute.json"
                abs_cf = os.path.abspath(cf)
                with open(cf, "w") as f:  # left in the working directory when the assert fails
                    f.write("{}")
                assert os.path.exists(abs_cf)
                os.remove(abs_cf)  # the written file, spelt absolute: cleanup, not reported
            """,
            line=6,
        ),
        Example(
            """
            from click.testing import CliRunner

            def test_cli():
                runner = CliRunner()
                with runner.isolated_filesystem(temp_dir='build'):
                    open('hello.txt', 'w').close()
            """,
            line=6,
        ),
        Example(
            """
            from pathlib import Path


            def test_report():
                with open("report.txt", "w") as out:  # written by the test
                    out.write("ok")
                assert Path("report.txt").read_text() == "ok"
            """,
            fixed="""
            from pathlib import Path


            def test_report(tmp_path):
                with open(tmp_path / "report.txt", "w") as out:  # written by the test
                    out.write("ok")
                assert (tmp_path / "report.txt").read_text() == "ok"
            """,
        ),
        Example(
            """
            import os


            def test_log():
                with open("app.log", "w") as log:
                    log.write("x")
                os.system("cat app.log")
            """,
            fixed="""
            import os


            def test_log():
                with open("app.log", "w") as log:
                    log.write("x")
                os.system("cat app.log")
            """,
        ),
        Example(  # ZC2's near miss: the teardown deletes a record, not a file
            TEARDOWN_CALL % 'delete_user("bob")', line=9
        ),
        Example(  # BP7's near miss: no word of the helper's name deletes (_ensure_exists)
            TEARDOWN_CALL % '_ensure_exists("temp_session.pickle")', line=9
        ),
        Example(  # AM7's near miss: the teardown only looks at the file
            AM7_TEST % "exists", line=7
        ),
        Example(  # DJ2's near miss: the joined name has no suffix (a record, not a file)
            DJ2_TEST % '"session"', line=12
        ),
        Example(  # AM5's near miss: the function of the file the teardown calls deletes nothing
            AM5_TEST % "print(testdir)", line=16
        ),
        Example(  # AM5's near miss: a fixture's finalizer calling it clears other outputs
            """
            import shutil
            from pathlib import Path

            import pytest

            from demo import build

            FIXTURES = Path(__file__).parent / "fixtures"

            def clear_dist():
                for dist in FIXTURES.glob("**/dist"):
                    shutil.rmtree(dist)

            @pytest.fixture(autouse=True)
            def setup():
                yield
                clear_dist()

            def test_build_script():
                module_path = FIXTURES / "build_script"
                build(module_path)
                shutil.rmtree(module_path / "my_package")
            """,
            line=22,
        ),
        Example(  # ZF2's near miss: Path.cwd faked, the home folder is the user's
            ZF2_TEST.format(patched='Path, "cwd"'),
            line=13,
        ),
        Example(  # ZF1's near miss: the inner try is in the body, after the writes
            ZF1_TEST.format(middle=ZF1_IN_BODY),
            line=10,
        ),
        Example(  # ZF6's near miss: appended to another list, which nothing walks
            ZF6_TEST.format(listed="seen"),
            line=10,
        ),
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.flow = PathFlow(ctx.callee)
        self.pending: list[_PendingWrite] = []
        self.chdir_owners: set[ast.AST] = set()
        self.autouse: list[tuple[FunctionNode, ast.AST | None]] = []
        self.fixtures: list[FunctionNode] = []
        self.texts: dict[tuple[ast.AST, str], str] = {}
        """Names that a test or fixture binds to a string literal (``name = "out.txt"``)."""
        self.parents: dict[ast.AST, ast.AST | None] = {}
        """Each function's parent: its module, class or enclosing function."""
        self.cleaners: set[ast.AST] = set()
        """Fixtures and xunit teardowns whose teardown deletes files: the suite removes what the
        tests they cover write (which files, a computed list often says)."""
        self.lineage: Mapping[ast.ClassDef, frozenset[ast.ClassDef]] = {}
        """Each class of the file with those of the file it derives from (set at its end)."""
        self.tmp_managers: set[str] = set()
        """The file's own ``@contextmanager`` functions that move the working directory into a
        temporary folder before they yield (pylint's ``tempdir()``)."""
        self.managed: list[tuple[FunctionNode, str]] = []
        """``(test or fixture, name)``: the file's functions it enters with ``with name():``."""
        self.final_calls: list[tuple[FunctionNode, ast.Try | ast.TryStar, ast.Call, str]] = []
        """Calls in the ``finally`` of a ``try`` of a test or fixture, with their callees: the
        deletions among them (also through a helper of the module) clean up whatever the
        ``try`` body wrote at the same path, whether the test passes or fails."""
        self.final_tries: dict[int, list[ast.Try | ast.TryStar]] = {}
        """Each such call's ``try`` statements whose ``finally`` holds it, outermost first: a
        cleanup in the ``finally`` of a ``try`` nested in an outer ``finally`` (ZF1: a chain of
        cleanups, each run even when the one before raised) runs whatever the outer ``try``
        body did, so it cleans up after that body too."""
        self.registered: list[tuple[FunctionNode, ast.Call, ast.expr]] = []
        """``(test or fixture, registration, path)`` for each deletion a test registers to run
        after it (``self.addCleanup(shutil.rmtree, folder)``)."""
        self.teardown_calls: list[tuple[FunctionNode, str]] = []
        """``(owner, name)``: the calls an xunit teardown makes to a plain name, which may be a
        function of the file that deletes files (AM5: ``delete_test_dir()`` in ``tearDown``,
        undoing its class's ``setUp``). Not a fixture's finalizer: poetry-core's autouse
        fixture calls ``clear_samples_dist()`` after its ``yield``, which clears build outputs,
        not the folder a test's build script makes (a true finding there)."""
        self.home_owners: set[ast.AST] = set()
        """Tests and fixtures that point ``HOME`` somewhere (``monkeypatch.setenv("HOME", ...)``,
        ``os.environ["HOME"] = ...``): the home folder of the tests they cover is not the
        user's."""

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        self.flow.enter_function(node)
        parent = self.ctx.ancestors[-1] if self.ctx.ancestors else None
        self.parents[node] = parent
        decl = fixture_decl(node)
        if decl is not None:
            self.fixtures.append(node)
        if decl is not None and decl.autouse:
            self.autouse.append((node, parent))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign) -> None:
        owner = self.ctx.test_code()
        text = string_value(node.value)
        if text is None and owner is not None:
            text = self._absolute_text(owner, node.value)
        for target in node.targets:
            self.flow.bind(self.ctx.ancestors, target, node.value)
            if owner is not None and text is not None and isinstance(target, ast.Name):
                self.texts[(owner, target.id)] = text
            if (
                isinstance(target, ast.Subscript)
                and dotted_name(target.value) == "os.environ"
                and string_value(target.slice) in HOME_VARIABLES
            ):
                self._points_home()

    def _absolute_text(self, owner: ast.AST, value: ast.expr) -> str | None:
        """``os.path.abspath(p)``/``realpath(p)`` of a literal path, or of a name bound to one:
        the same file as ``p`` (deleting it removes what a write to ``p`` made)."""
        if not isinstance(value, ast.Call) or len(value.args) != 1 or value.keywords:
            return None
        if self.ctx.callee(value) not in ("os.path.abspath", "os.path.realpath"):
            return None
        return self._text(owner)(value.args[0])

    def _text(self, owner: ast.AST) -> Callable[[ast.expr], str | None]:
        """How ``owner`` spells a path: a literal, or a name it bound to one."""

        def text(node: ast.expr) -> str | None:
            if isinstance(node, ast.Name):
                return self.texts.get((owner, node.id))
            return string_value(node)

        return text

    def _points_home(self) -> None:
        owner = self.ctx.test_code()
        if owner is not None:
            self.home_owners.add(owner)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.flow.bind(self.ctx.ancestors, node.target, node.value)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.flow.bind(self.ctx.ancestors, node.target, node.iter)

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                self.flow.bind(self.ctx.ancestors, item.optional_vars, item.context_expr)

    visit_AsyncWith = visit_With

    def visit_Call(self, node: ast.Call) -> None:
        name = called_name(node)
        if name == "setenv" and string_value(node.args[0] if node.args else None) in (
            HOME_VARIABLES
        ):
            self._points_home()
            return
        owner = self.ctx.test_code()
        if owner is not None and replaces_path_home(node):
            if fixture_decl(owner) is not None or owner.name in SETUP_TEARDOWN:
                # ZF2: a fixture (runlayer's class-wide autouse one) or a setup fakes it for
                # the tests after it, as one pointing HOME elsewhere does
                self._points_home()
            else:  # ZE4: the test's own ``Path.home()`` calls after it are elsewhere
                self.flow.home_patched.add(owner)
            return
        if owner is not None and self._lends_monkeypatch(node, owner):
            self.chdir_owners.add(owner)
            return
        if owner is None and name == "chdir":
            self._note_tmp_manager(node)
        if owner is not None and name is not None and self._entered(node):
            self.managed.append((owner, name))
        if owner is not None and (node.args or _path_deletion(node) is not None):
            self._note_final_call(node, owner)
        if owner is not None and name in CLEANUP_REGISTRATIONS:
            self._note_registered_deletion(node, owner)
        if (
            owner is not None
            and _deletes_named_file(node)
            and _in_teardown(node, owner, self.ctx.ancestors)
        ):
            self.cleaners.add(owner)
            return
        if owner is not None and isinstance(node.func, ast.Name) and owner.name in TEARDOWNS:
            self.teardown_calls.append((owner, node.func.id))
        if (
            name not in WRITE_CALL_NAMES
            and name not in TMP_ENTRY_NAMES
            and not _moves(name)
            and not _isolates_runner(node, name)
        ):
            return
        if owner is None or never_runs(self.ctx.ancestors, node):
            return
        callee = self.ctx.callee(node)
        if self._enters_tmp(node, callee):
            self.chdir_owners.add(owner)
            return
        if _in_teardown(node, owner, self.ctx.ancestors) and (
            _deletes(callee or name or "")
            or self._puts_back(node, callee, owner)
            or self._moves_back(node, callee, owner)
        ):  # ``callee or name``: ``Path("/tmp/x").unlink()`` names no dotted callee (AM7)
            self.cleaners.add(owner)
            return
        found = write_targets(node, callee)
        if found is None or self._read_only_update_open(node, callee):
            return
        operation, targets, needs_path = found
        if _refused(node, operation, self.ctx.ancestors):
            return
        deletion = operation.removesuffix("()") in DELETIONS
        if deletion and _cleans_up(node, owner, self.ctx.ancestors):
            return
        for target in targets:
            value = self.flow.value(target, self.ctx.ancestors)
            if value.origin not in (Origin.OUTSIDE, Origin.RELATIVE, Origin.HOME):
                continue
            if value.origin is Origin.RELATIVE and _relative_to_fd(node):
                continue
            if needs_path and not value.is_path:
                continue
            if not deletion and (
                _opted_in(node, self.ctx.ancestors) or _opted_in_above(node, self.ctx.ancestors)
            ):
                continue
            message = _message(operation, value.origin, deletion)
            cls = enclosing_class(self.ctx.ancestors, owner)
            patched = inside_with_call(
                self.ctx.ancestors, node, ("Patcher",)
            ) or self._patched_away(node, callee, operation, owner, cls)
            managers = tuple(
                dotted_name(item.context_expr.func) or ""
                for outer in self.ctx.ancestors
                if isinstance(outer, ast.With | ast.AsyncWith) and within(node, outer.body)
                for item in outer.items
                if isinstance(item.context_expr, ast.Call)
            )
            switches = _switches(node, owner, self.ctx.ancestors)
            self.pending.append(
                _PendingWrite(
                    node,
                    message,
                    value.origin,
                    owner,
                    cls,
                    target,
                    deletion,
                    patched,
                    managers,
                    switches,
                )
            )
            return

    def _patched_away(
        self,
        node: ast.Call,
        callee: str,
        operation: str,
        owner: FunctionNode,
        cls: ast.ClassDef | None,
    ) -> bool:
        """Whether a ``mock.patch`` decorating the test (or its class, for its tests), or a
        ``with mock.patch(...)`` around the write, replaces the very function or path method
        that writes: ``@patch("shutil.copy2")`` over ``shutil.copy2(a, b)``, or
        ``@patch("pathlib.Path.mkdir")`` over ``Path("out").mkdir()``, writes nothing (ZE3:
        rxiv-maker's permission-error tests)."""
        patches: list[ast.expr] = list(owner.decorator_list)
        if cls is not None and owner.name.startswith("test"):
            patches += cls.decorator_list
        patches += [
            item.context_expr
            for outer in self.ctx.ancestors
            if isinstance(outer, ast.With | ast.AsyncWith) and within(node, outer.body)
            for item in outer.items
        ]
        method = operation[1:].removesuffix("()") if operation.startswith(".") else None
        spelt = node.func.id if isinstance(node.func, ast.Name) else None
        return patches_call(patches, "" if method else callee, method, spelt)

    def _puts_back(self, node: ast.Call, callee: str, owner: FunctionNode) -> bool:
        """Whether a move puts a backup back where the test or fixture copied (or moved) it
        from: ``shutil.copy(original, backup)``, then, in its teardown,
        ``shutil.move(backup, original)``. The backup is gone and the original as it was,
        whatever the test did to it: a cleanup, as a deletion in a teardown is."""
        if callee not in MOVES or len(node.args) < 2:
            return False
        back = [ast.dump(node.args[1]), ast.dump(node.args[0])]
        return any(
            isinstance(call, ast.Call)
            and call.lineno < node.lineno
            and len(call.args) >= 2
            and self.ctx.callee(call) in SHUTIL_COPIES | MOVES
            and [ast.dump(a) for a in call.args[:2]] == back
            for call in ast.walk(owner)
        )

    def _moves_back(self, node: ast.Call, callee: str | None, owner: FunctionNode) -> bool:
        """Whether an xunit teardown moves back what its setup moved aside (CM1:
        ansible-builder's ``setup_class`` renaming the user's ``policy.json`` to a backup,
        ``teardown_class`` renaming the backup back): the file is where it was after the
        tests, the setup's move undone, as a teardown deleting what its setup wrote."""
        ends = _move_ends(node, callee)
        setup = next((s for s, t in SETUP_PAIRS.items() if t == owner.name), None)
        if ends is None or setup is None:
            return False
        cls = enclosing_class(self.ctx.ancestors, owner)
        module = self.ctx.ancestors[0] if self.ctx.ancestors else None
        scope = cls.body if cls is not None else getattr(module, "body", [])
        here = _single_bindings(owner)
        back = (_spelling(ends[1], here), _spelling(ends[0], here))
        for func in scope:
            if not isinstance(func, FunctionNode) or func.name != setup:
                continue
            there = _single_bindings(func)
            for call in ast.walk(func):
                if not isinstance(call, ast.Call):
                    continue
                moved = _move_ends(call, self.ctx.callee(call))
                if moved is not None and (
                    (_spelling(moved[0], there), _spelling(moved[1], there)) == back
                ):
                    return True
        return False

    def _note_tmp_manager(self, node: ast.Call) -> None:
        """``os.chdir(tmp)`` before the ``yield`` of a module-level ``@contextmanager`` of the
        file, or of one that a module-level class defines (``with self.isolate():``, ZG3),
        ``tmp`` a temporary folder (``tempfile.mkdtemp()``): entering it moves the test into
        that folder."""
        if not node.args or self.ctx.callee(node) not in ("os.chdir", "chdir"):
            return
        func = next((a for a in reversed(self.ctx.ancestors) if isinstance(a, FunctionNode)), None)
        if func is None:
            return
        between = self.ctx.ancestors[1 : self.ctx.ancestors.index(func)]
        if len(between) > 1 or not all(isinstance(a, ast.ClassDef) for a in between):
            return
        decorators = (dotted_name(d) or "" for d in func.decorator_list)
        if not any(d.rpartition(".")[2] == "contextmanager" for d in decorators):
            return
        if _after_yield(func, node):
            return
        if self.flow.value(node.args[0], self.ctx.ancestors).origin is Origin.TMP:
            self.tmp_managers.add(func.name)

    def _entered(self, node: ast.Call) -> bool:
        """Whether ``node`` is the context expression of a ``with`` around the code visited."""
        outer = self.ctx.ancestors[-1] if self.ctx.ancestors else None
        return isinstance(outer, ast.withitem) and outer.context_expr is node

    def _note_registered_deletion(self, node: ast.Call, owner: FunctionNode) -> None:
        """``self.addCleanup(shutil.rmtree, folder)``, ``stack.callback(os.remove, name)``,
        ``request.addfinalizer(lambda: shutil.rmtree(folder))``: the path is deleted after the
        test whether it passes or fails."""
        if not node.args:
            return
        first = node.args[0]
        if isinstance(first, ast.Lambda) and isinstance(first.body, ast.Call):
            call = first.body
            path = call.args[0] if call.args else _path_deletion(call)
            if _deletes(self.ctx.callee(call)) and path is not None:
                self.registered.append((owner, node, path))
            return
        callee = dotted_name(first)
        if callee is not None and _deletes(callee) and len(node.args) > 1:
            self.registered.append((owner, node, node.args[1]))

    def _registered_cleanup(self, write: _PendingWrite) -> bool:
        """Whether the test registers the deletion of what it wrote, or of a folder holding it,
        before the write or in the statement right after it (``path.mkdir()`` then
        ``self.addCleanup(shutil.rmtree, path)``): nothing that could fail runs in between."""
        after = _statement_after(write.owner, write.node)
        return any(
            owner is write.owner
            and (
                call.lineno < write.node.lineno
                or (isinstance(after, ast.Expr) and after.value is call)
            )
            and (
                _same_file(path, write.target, self._text(owner))
                or _built_inside(path, write.target, owner)
            )
            for owner, call, path in self.registered
        )

    def _note_final_call(self, node: ast.Call, owner: FunctionNode) -> None:
        tries = [
            outer
            for outer in self.ctx.ancestors
            if isinstance(outer, ast.Try | ast.TryStar) and within(node, outer.finalbody)
        ]
        if tries:
            self.final_calls.append((owner, tries[-1], node, self.ctx.callee(node)))
            self.final_tries[id(node)] = tries

    def _finally_deleted(self, module: ast.Module) -> list[tuple[FunctionNode, ast.stmt, ast.expr]]:
        """``(owner, try, path)`` for each path a ``finally`` deletes: by a deleting call
        (``os.remove(name)``, ``shutil.rmtree(name)``), or by a function of the module that
        deletes one of its parameters (``remove(name)`` with ``def remove(filename):
        os.remove(filename)``, in a ``try`` of its own or not)."""
        if not self.final_calls:
            return []
        called = {callee for _, _, _, callee in self.final_calls}
        helpers = _deleting_helpers(module, self.ctx.callee, called)
        found: list[tuple[FunctionNode, ast.stmt, ast.expr]] = []
        for owner, outer, call, callee in self.final_calls:
            path = call.args[0] if call.args else _path_deletion(call)
            for around in self.final_tries.get(id(call), [outer]):
                if _after_final_assert(call, around):
                    continue  # BK2's near miss: a failing assertion skips it
                if (_deletes(callee) or _deletes_built_path(call)) and path is not None:
                    found.append((owner, around, path))
                    found.extend((owner, around, p) for p in _listed_paths(owner, around, path))
                for index in helpers.get(callee, ()):
                    if index < len(call.args):
                        found.append((owner, around, call.args[index]))
        return found

    def _finally_rewritten(self) -> list[tuple[FunctionNode, ast.stmt, ast.expr]]:
        """``(owner, try, path)`` for each path a ``finally`` writes again
        (``f.write_bytes(b"# placeholder")`` after ``f.write_bytes(b"class")`` in the ``try``):
        the test puts the file back as it was, whatever its outcome."""
        finals = {id(call): (owner, outer) for owner, outer, call, _ in self.final_calls}
        return [
            (*finals[id(w.node)], w.target)
            for w in self.pending
            if not w.deletion and id(w.node) in finals and finals[id(w.node)][0] is w.owner
        ]

    def _restores_snapshot(self, write: _PendingWrite) -> bool:
        """Whether a ``finally`` writes back the content read from the same file before its
        ``try`` (ZB5: iladub's ``tracked = MANIFEST.read_bytes()`` then, in the ``finally``,
        ``MANIFEST.write_bytes(tracked)``; skillos' ``backup = path.read_text()``, also bound
        to ``None`` when there was none): the file is as it was, whatever the code under test
        wrote to it; the write back is the cure, not the leak. Every other binding of the
        name must be a constant (no snapshot, no write back)."""
        call = write.node
        if (
            len(call.args) != 1
            or not isinstance(call.args[0], ast.Name)
            or not isinstance(call.func, ast.Attribute)
            or call.func.attr not in SNAPSHOT_WRITES
        ):
            return False
        outer = next(
            (o for owner, o, c, _ in self.final_calls if c is call and owner is write.owner),
            None,
        )
        if outer is None:
            return False
        name, text = call.args[0].id, self._text(write.owner)
        constants: set[int] = set()
        snapshots: set[int] = set()
        for node in ast.walk(write.owner):
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
                continue
            target, value = node.targets[0], node.value
            if not (isinstance(target, ast.Name) and target.id == name):
                continue
            if isinstance(value, ast.Constant):
                constants.add(id(target))
            elif (
                node.lineno < outer.lineno
                and isinstance(value, ast.Call)
                and not value.args
                and isinstance(value.func, ast.Attribute)
                and value.func.attr == SNAPSHOT_WRITES[call.func.attr]
                and _same_file(value.func.value, write.target, text)
                and _same_file(write.target, value.func.value, text)
            ):
                snapshots.add(id(target))
        bound = {
            id(n)
            for n in ast.walk(write.owner)
            if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
        }
        return bool(snapshots) and bound <= constants | snapshots

    def _restores_folder_snapshot(self, write: _PendingWrite, module: ast.Module) -> bool:
        """ZB5 for a folder (DX3: glyphx): the ``finally`` writes back each file of a snapshot
        taken before its ``try``, ``before = {p.name: p.read_bytes() for p in OUT.glob("*")}``
        (or the same dict returned by a module-level function), by ``for name, data in
        before.items(): (OUT / name).write_bytes(data)``: every file read is as it was."""
        call, attr = write.node, getattr(write.node.func, "attr", "")
        if not (
            attr in SNAPSHOT_WRITES
            and len(call.args) == 1
            and isinstance(call.args[0], ast.Name)
            and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.BinOp)
            and isinstance(call.func.value.op, ast.Div)
            and isinstance(call.func.value.right, ast.Name)
        ):
            return False
        outer = next(
            (o for owner, o, c, _ in self.final_calls if c is call and owner is write.owner),
            None,
        )
        loop = next(
            (
                n
                for stmt in (outer.finalbody if outer is not None else ())
                for n in ast.walk(stmt)
                if isinstance(n, ast.For) and any(c is call for c in ast.walk(n))
            ),
            None,
        )
        if (
            outer is None
            or loop is None
            or not isinstance(loop.target, ast.Tuple)
            or [getattr(e, "id", None) for e in loop.target.elts]
            != [call.func.value.right.id, call.args[0].id]
            or not isinstance(loop.iter, ast.Call)
            or loop.iter.args
            or not isinstance(loop.iter.func, ast.Attribute)
            or loop.iter.func.attr != "items"
            or not isinstance(loop.iter.func.value, ast.Name)
        ):
            return False
        name = loop.iter.func.value.id
        stores = [
            n
            for n in ast.walk(write.owner)
            if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
        ]
        binding = next(
            (
                n
                for n in ast.walk(write.owner)
                if isinstance(n, ast.Assign)
                and len(n.targets) == 1
                and n.targets[0] in stores
                and n.lineno < outer.lineno
            ),
            None,
        )
        if binding is None or len(stores) != 1:
            return False
        value = binding.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and not value.args:
            helper = next(
                (
                    f
                    for f in module.body
                    if isinstance(f, FunctionNode) and f.name == value.func.id and f.body
                ),
                None,
            )
            last = helper.body[-1] if helper is not None else None
            value = last.value if isinstance(last, ast.Return) and last.value else value
        if not (isinstance(value, ast.DictComp) and len(value.generators) == 1):
            return False
        loop_var, source = value.generators[0].target, value.generators[0].iter
        if isinstance(source, ast.Call) and getattr(source.func, "id", "") == "sorted":
            source = source.args[0] if len(source.args) == 1 else source
        return (
            isinstance(loop_var, ast.Name)
            and not value.generators[0].ifs
            and ast.dump(value.key)
            == ast.dump(ast.Attribute(ast.Name(loop_var.id, ast.Load()), "name", ast.Load()))
            and isinstance(value.value, ast.Call)
            and not value.value.args
            and ast.dump(value.value.func)
            == ast.dump(
                ast.Attribute(ast.Name(loop_var.id, ast.Load()), SNAPSHOT_WRITES[attr], ast.Load())
            )
            # one folder's own files: ``glob`` or ``iterdir``, not ``rglob``'s nested ones
            and isinstance(source, ast.Call)
            and isinstance(source.func, ast.Attribute)
            and source.func.attr in ("glob", "iterdir")
            and ast.dump(source.func.value) == ast.dump(call.func.value.left)
        )

    def _cleaned_in_finally(
        self, write: _PendingWrite, deleted: list[tuple[FunctionNode, ast.stmt, ast.expr]]
    ) -> bool:
        """Whether the test deletes what it wrote in the ``finally`` of a ``try`` around the
        write: the file is gone after the test whatever its outcome."""
        return any(
            owner is write.owner
            and isinstance(outer, ast.Try | ast.TryStar)
            and bool(outer.finalbody)
            # in the try (its handlers and else too: the finally runs after each), or just before
            and (
                outer.lineno <= write.node.lineno < outer.finalbody[0].lineno
                or _just_before(write.node, outer, owner)
            )
            and (
                _same_file(path, write.target, self._text(owner))
                or _built_inside(path, write.target, owner)
            )
            for owner, outer, path in deleted
        )

    def _read_only_update_open(self, node: ast.Call, callee: str) -> bool:
        """``with open(name, "r+") as f:`` whose body only reads ``f`` (``f.read()``,
        ``f.readlines()``, ``for line in f``): a mode that may write, but nothing is written,
        so the file is as it was. Any other use of ``f`` (a write, handing it to a function)
        may write: not read-only."""
        if callee not in OPEN_FUNCTIONS or (len(node.args) < 2 and not node.keywords):
            return False
        mode = node.args[1] if len(node.args) > 1 else None
        for keyword in node.keywords:
            if keyword.arg == "mode":
                mode = keyword.value
        text = string_value(mode)
        if text is None or "r" not in text or "+" not in text or any(c in text for c in "wax"):
            return False
        statement = next(
            (a for a in reversed(self.ctx.ancestors) if isinstance(a, ast.With | ast.AsyncWith)),
            None,
        )
        if statement is None:
            return False
        item = next((i for i in statement.items if i.context_expr is node), None)
        if item is None or not isinstance(item.optional_vars, ast.Name):
            return False
        handle = item.optional_vars.id
        readers: set[int] = set()
        for sub in ast.walk(ast.Module(body=statement.body, type_ignores=[])):
            if (
                isinstance(sub, ast.Attribute)
                and isinstance(sub.value, ast.Name)
                and sub.value.id == handle
                and sub.attr in READ_METHODS
            ):
                readers.add(id(sub.value))
            elif (
                isinstance(sub, ast.For | ast.AsyncFor | ast.comprehension)
                and isinstance(sub.iter, ast.Name)
                and sub.iter.id == handle
            ):
                readers.add(id(sub.iter))
        return all(
            id(sub) in readers
            for sub in ast.walk(ast.Module(body=statement.body, type_ignores=[]))
            if isinstance(sub, ast.Name) and sub.id == handle
        )

    @staticmethod
    def _lends_monkeypatch(node: ast.Call, owner: FunctionNode) -> bool:
        """A test or fixture that hands its own ``monkeypatch`` to a helper
        (``process_package(pkg, monkeypatch)``) may be moved by it into a temporary folder
        (``monkeypatch.chdir(tmp)`` in the helper): where its relative paths go is not sure."""
        return "monkeypatch" in parameter_names(owner) and hands_off_monkeypatch(node)

    def _enters_tmp(self, node: ast.Call, callee: str) -> bool:
        """``monkeypatch.chdir(tmp)``, ``os.chdir(tmp)``, ``contextlib.chdir(tmp)``,
        ``tmpdir.as_cwd()``, ``CliRunner().isolated_filesystem()``: afterwards relative paths
        are inside a temporary folder, or somewhere this file does not say (then they are not
        known to be outside one either)."""
        last = callee.rpartition(".")[2]
        if _isolates_runner(node, last):
            return True
        if _moves(last) and not node.args and TEMPORARY.search(last):
            return True  # ``with TemporaryWorkingDirectory():``, ``with tmp_chdir():``
        if _moves(last) and node.args:
            target: ast.expr = node.args[0]
        elif (
            isinstance(node.func, ast.Attribute)
            and node.func.attr in ("as_cwd", "chdir")
            and not node.args
        ):
            target = node.func.value  # py.path's ``tmpdir.join("a").chdir()``
        elif called_name(node) == "isolated_filesystem":
            target = node
        else:
            return False
        origin = self.flow.value(target, self.ctx.ancestors).origin
        return origin in (Origin.TMP, Origin.UNKNOWN)

    def leave_Module(self, node: ast.Module) -> None:
        self.chdir_owners.update(o for o, name in self.managed if name in self.tmp_managers)
        through_cwd = self._through_fixtures(self.chdir_owners, set(CHDIR_FIXTURES))
        fake_owners = self._through_fixtures(set(), set(FAKE_FS_FIXTURES))
        fake_names = {f.name for f in fake_owners if isinstance(f, FunctionNode)}
        self.chdir_owners |= through_cwd | fake_owners
        self.home_owners |= self._through_fixtures(self.home_owners, set()) | fake_owners
        if self.teardown_calls:
            deleters = _file_deleting_functions(node, self.ctx.callee)
            self.cleaners.update(o for o, name in self.teardown_calls if name in deleters)
        self.cleaners |= self._through_fixtures(self.cleaners, set())
        chdir_fixtures = self._declare(self.chdir_owners, "cwd")
        home_fixtures = self._declare(self.home_owners, "home")
        cleaning_fixtures = self._declare(self.cleaners, "cleanup")
        chdir_scopes = self._scopes(self.chdir_owners) | {
            self.parents.get(func)
            for func in self.chdir_owners
            if isinstance(func, FunctionNode) and func.name in SETUP_PAIRS
        }
        home_scopes = self._scopes(self.home_owners)
        fake_scopes = self._scopes(fake_owners)
        cleaned_scopes = self._scopes(self.cleaners) | {
            self.parents.get(func)
            for func in self.cleaners
            if isinstance(func, FunctionNode) and func.name in TEARDOWNS
        }
        bases = base_origins(node)
        imported = imported_origins(node)
        self.lineage = class_lineage(node)
        harnessed: frozenset[ast.ClassDef] | None = None  # DQ1's, read at a class's first write
        created = {(w.owner, ast.dump(w.target)): w.target for w in self.pending if not w.deletion}
        deletions = {id(w.node): w for w in self.pending if w.deletion}
        deleting: set[FunctionNode] = set()
        deleted = self._finally_deleted(node)
        restores = self._finally_rewritten()
        for write in self.pending:
            if self.ctx.unrequested_fixture(write.owner, node):
                continue  # DB2: a fixture of this test module that nothing in it requests
            if not write.deletion and self._undone_next(write, deletions):
                continue  # deleted by the very next statement: nothing outlives the test
            if not write.deletion and self._registered_cleanup(write):
                continue  # a registered cleanup deletes it, pass or fail
            if self._cleaned_in_finally(write, deleted):
                continue  # deleted in the ``finally`` of a ``try`` around it (a deletion too:
                # the finally removes that path whatever the outcome, the test's own)
            if not write.deletion and self._cleaned_in_finally(write, restores):
                continue  # written back in the ``finally`` of a ``try`` around it
            if not write.deletion and any(
                self._cleaned_in_finally(earlier, [(owner, outer, write.target)])
                for owner, outer, path in restores
                if path is write.target
                for earlier in self.pending
                if earlier is not write and not earlier.deletion and earlier.owner is owner
            ):
                continue  # the write back itself: the file as it was before the test
            if not write.deletion and (
                self._restores_snapshot(write) or self._restores_folder_snapshot(write, node)
            ):
                continue  # writes back what the test read from that file before the try
            requests = requested_fixtures(write.owner, write.cls, node)
            if write.deletion and any(
                owner is write.owner and _same_file(write.target, target, self._text(owner))
                for (owner, _), target in created.items()
            ):
                continue  # the cleanup of a file the test writes itself: the write is reported
            if (
                write.patched
                or write.owner in fake_owners
                or {node, write.cls} & fake_scopes
                or requests & fake_names
                or fakes_files(write.owner, write.cls, requests, node)
            ):
                continue  # pyfakefs: the files are in memory
            cleaned = (self.cleaners, cleaning_fixtures, cleaned_scopes)
            if self._covered(write, requests, node, *cleaned):
                continue  # a teardown deletes files: the suite cleans up after the test
            if write.deletion:
                if write.owner in deleting:
                    continue  # one cleanup that a failure skips: said once per test
                deleting.add(write.owner)
            folder = self._made_folder(write, node) if write.origin is Origin.OUTSIDE else None
            if folder is not None:  # AX3: the project decides whether the tree ships it
                line, col = write.node.lineno, write.node.col_offset + 1
                self.ctx.facts.relative_writes.append(
                    RelativeWriteFact(
                        line,
                        col,
                        write.message,
                        (),
                        switches=write.switches,
                        fixed=True,
                        folder=folder,
                    )
                )
                continue
            if write.origin is Origin.OUTSIDE and not write.switches:
                self.report(write.node, write.message)
                continue
            if write.origin is Origin.OUTSIDE:  # the project decides whether it is opted in
                line, col = write.node.lineno, write.node.col_offset + 1
                self.ctx.facts.relative_writes.append(
                    RelativeWriteFact(
                        line, col, write.message, (), switches=write.switches, fixed=True
                    )
                )
                continue
            home = write.origin is Origin.HOME
            if write.relative and write.cls is not None:
                if harnessed is None:
                    harnessed = temp_dir_test_classes(node)
                if write.cls in harnessed:
                    continue  # DQ1: breezy's TestCaseWithTransport runs each test in a temp folder
            owners, fixtures, scopes = (
                (self.home_owners, home_fixtures, home_scopes)
                if home
                else (self.chdir_owners, chdir_fixtures, chdir_scopes)
            )
            if self._covered(write, requests, node, owners, fixtures, scopes) or (
                not home and any(map(_moves, requests))
            ):
                continue
            line, col = write.node.lineno, write.node.col_offset + 1
            inherited = tuple(sorted(bases.get(write.cls, ()))) if write.cls else ()
            decorated = tuple(
                sorted(
                    decorator_origins(write.owner, imported)
                    | {
                        imported[top]
                        for name in write.managers
                        if (top := name.partition(".")[0]) in imported
                    }
                    | {
                        origin
                        for name in write.managers
                        if (origin := _support_module(name, node)) is not None
                    }
                )
            )
            requested = tuple(sorted(self._requested_through(requests)))
            refs = imported_refs(node) if write.managers else {}
            managers_from = tuple(
                sorted(
                    {
                        ref
                        for name in write.managers
                        if (ref := refs.get(name) or _module_attribute_ref(name, node))
                    }
                )
            )
            fact = RelativeWriteFact(
                line,
                col,
                write.message,
                requested,
                inherited,
                home,
                decorated,
                write.switches,
                managers_from=managers_from,
            )
            self.ctx.facts.relative_writes.append(fact)

    def _made_folder(self, write: _PendingWrite, module: ast.Module) -> str | None:
        """The project-relative folder a fixed ``Path.mkdir(..., exist_ok=True)`` or
        ``os.makedirs(..., exist_ok=True)`` makes, when the module or the test computes it for
        certain from ``__file__`` (``FIXTURES = Path(__file__).parent / "fixtures"``, then
        ``(FIXTURES / "sample").mkdir(parents=True, exist_ok=True)``), else None. On a folder
        that exists the call changes nothing (AX3: a test making sure its data folder is there
        before it writes a file it removes in a ``finally``)."""
        call = write.node
        if not isinstance(call, ast.Call) or write.deletion:
            return None
        exist_ok = keyword_value(call, "exist_ok")
        if not (isinstance(exist_ok, ast.Constant) and exist_ok.value is True):
            return None
        method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
        if method != "mkdir" and self.ctx.callee(call) != "os.makedirs":
            return None
        bindings = {**module_bindings(module), **module_bindings(write.owner)}
        evaluator = PathEvaluator(
            self.ctx.file.path, bindings, imported_path_names(module), limit=_FOLDER_DEPTH
        )
        parts = evaluator.folder(write.target)
        return "/".join(parts) if parts else None

    def _undone_next(self, write: _PendingWrite, deletions: Mapping[int, _PendingWrite]) -> bool:
        """Whether the statement that runs right after the write deletes the file it wrote
        (``os.symlink("target", "link")`` then ``os.remove("link")``, a probe): nothing between
        them can fail, so the file never outlives the test, as a move taken back by the next
        statement is no change (APT204)."""
        after = _statement_after(write.owner, write.node)
        if not isinstance(after, ast.Expr):
            return False
        deletion = deletions.get(id(after.value))
        return (
            deletion is not None
            and deletion.owner is write.owner
            and _same_file(deletion.target, write.target, self._text(write.owner))
        )

    def _declare(self, owners: set[ast.AST], covers: Literal["cwd", "home", "cleanup"]) -> set[str]:
        """The names of the file's fixtures among ``owners``, offered to the files below as
        facts (a conftest's fixtures cover the tests under it)."""
        declared = [
            decl
            for owner in owners
            if isinstance(owner, FunctionNode)
            for decl in [fixture_decl(owner)]
            if decl is not None
        ]
        facts = self.ctx.facts.cwd_fixtures
        facts += [CwdFixtureFact(d.name, d.autouse, covers) for d in declared]
        return {decl.name for decl in declared}

    def _scopes(self, owners: set[ast.AST]) -> set[ast.AST | None]:
        """Where the autouse fixtures among ``owners`` apply: their module or class."""
        return {parent for func, parent in self.autouse if func in owners}

    def _requested_through(self, requests: set[str]) -> set[str]:
        """The fixtures a test requests and, through the file's fixtures among them, the ones
        those request in turn (VD5): pytest sets them all up before the test, so a conftest's
        fixture that moves into ``tmp_path`` still holds the working directory when a module's
        fixture requesting it hands the test its folder (``bump_project(temp_project)``)."""
        found = set(requests)
        pending = list(requests)
        while pending:
            name = pending.pop()
            for func in self.fixtures:
                decl = fixture_decl(func)
                if decl is not None and decl.name == name:
                    more = set(parameter_names(func)) - found
                    found |= more
                    pending.extend(more)
        return found

    def _through_fixtures(self, owners: set[ast.AST], builtins: set[str]) -> set[ast.AST]:
        """The file's fixtures that request one of ``owners`` (or a fixture named in
        ``builtins``: pytest's ``testdir``, pyfakefs's ``fs``), directly or through each
        other: they run in the same place."""
        found: set[ast.AST] = set()
        grew = True
        while grew:
            names = set(builtins)
            for owner in owners | found:
                decl = fixture_decl(owner) if isinstance(owner, FunctionNode) else None
                names |= {decl.name} if decl is not None else set()
            more = {f for f in self.fixtures if names & set(parameter_names(f))}
            grew = not more <= found
            found |= more
        return found

    def _covered(
        self,
        write: _PendingWrite,
        requests: set[str],
        module: ast.Module,
        owners: set[ast.AST],
        fixtures: set[str],
        scopes: set[ast.AST | None],
    ) -> bool:
        """Whether one of ``owners`` (the file's tests and fixtures that make such writes
        harmless) applies to the write: the test itself, an autouse fixture or xunit setup or
        teardown of its module or class, or of a class of the file it derives from (``scopes``;
        a mixin's ``setUp``), or a fixture it requests (``fixtures``)."""
        inherited = self.lineage.get(write.cls, frozenset()) if write.cls else frozenset()
        places = {module, write.cls, *inherited}
        return write.owner in owners or bool(places & scopes) or bool(requests & fixtures)

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        """The relative writes that no conftest (or plugin module) over their file moves into a
        temporary folder (by an autouse fixture, or one the test requests), nor pytest's own
        ``pytester``/``testdir`` unless the project defines a fixture of that name itself, nor
        a base class or a decorator from the project's own modules (coverage.py's
        ``CoverageTest`` runs each test in a temporary folder, towncrier's ``@with_project()``
        in click's ``isolated_filesystem()``; apytest-lint does not read that helper module),
        nor a write inside a ``with`` of a context manager from the suite's helper modules
        (``with TempDirWithoutEnvVars("X"):`` may move into a temporary folder as well),
        nor a fixture a conftest imports from a module it does not read
        (``_imported_fixture``)."""
        guards = fixture_guards(ctx)
        offered = [
            (file, fixture)
            for file, facts in ctx.files
            if file.kind in ("conftest", "plugin")
            for fixture in facts.cwd_fixtures
        ]
        for file, facts in ctx.files:
            for write in facts.relative_writes:
                # A project decorator may run the test in a temporary folder (click's
                # isolated_filesystem()), which moves the working directory, not HOME.
                if ctx.model.dependencies.any_own(write.bases_from) or (
                    not write.home
                    and (
                        ctx.from_test_helpers(write.decorators_from)
                        or _own_support(ctx, write.decorators_from)
                    )
                ):
                    continue
                if not write.home and ctx.model.cwd_managers.intersection(write.managers_from):
                    continue  # BO1: a manager of the project's own moves into a temporary folder
                if _opted_in_by_option(ctx, file, write.switches):
                    continue  # written only when whoever runs pytest asks for it
                if write.folder and _ships_folder(ctx, write.folder):
                    continue  # AX3: the folder is there already; making it changes nothing
                if write.fixed:  # no fixture moves a fixed location
                    yield Finding(file.path, write.line, write.col, cls.code, write.message)
                    continue
                undefined = guards.undefined(file.path, write.requests)
                if not write.home and _imported_fixture(ctx, file, undefined):
                    continue
                if not write.home and _unknown_plugin_fixture(
                    ctx, guards, file.path, write.requests
                ):
                    continue
                if guards.unknown(file.path, write.requests):
                    continue  # a fixture defined nowhere read: setup fails, or it may move
                kind = "home" if write.home else "cwd"
                if any(
                    (fixture.autouse or fixture.name in write.requests)
                    and fixture.covers in (kind, "cleanup")
                    and where.covers(file.path)
                    for where, fixture in offered
                ):
                    continue
                builtin = CHDIR_FIXTURES.intersection(write.requests)
                if builtin - _defined_over(ctx, file, builtin):
                    continue
                yield Finding(file.path, write.line, write.col, cls.code, write.message)
