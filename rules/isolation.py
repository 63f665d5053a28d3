"""APT203 and APT204: side effects of a test that outlive it.

Both rules decide at the end of the file: whether a write is harmless depends on a
``monkeypatch.chdir`` that may come later in the test or in an autouse fixture, and whether a
global change is harmless depends on a ``finally`` block, the code after a fixture's ``yield`` or a
teardown method that restores it.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from apytest.rules.api import (
    Example,
    FileContext,
    FileRule,
    Finding,
    GlobalChangeFact,
    ProjectContext,
    ProjectRule,
    StateRestorerFact,
)
from apytest.rules.astutil import (
    FUNCTION_NODES,
    EnvironNames,
    FunctionNode,
    called_name,
    dotted_name,
    enclosing_class,
    fixture_decl,
    key_identifiers,
    marker_names,
    parameter_names,
    pytestmark_markers,
    string_value,
    within,
)
from apytest.rules.paths import Origin, PathFlow

OPEN_FUNCTIONS = frozenset({"open", "io.open", "codecs.open", "builtins.open"})
OS_WRITES = {
    "os.makedirs": 1,
    "os.mkdir": 1,
    "os.remove": 1,
    "os.unlink": 1,
    "os.rmdir": 1,
    "os.removedirs": 1,
    "os.truncate": 1,
    "os.mkfifo": 1,
    "os.rename": 2,
    "os.renames": 2,
    "os.replace": 2,
    "os.symlink": 2,
    "os.link": 2,
    "shutil.rmtree": 1,
    "shutil.move": 2,
}
"""Calls that create, change or delete the files named by their first ``n`` arguments."""
SHUTIL_COPIES = frozenset({"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree"})
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
OS_WRITE_FLAGS = frozenset({"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"})
CHDIR_FIXTURES = frozenset({"pytester", "testdir"})
"""Built-in fixtures that run the test inside its own temporary folder."""


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
        return f"{callee}()", call.args[: OS_WRITES[callee]], False
    if callee in SHUTIL_COPIES:
        return f"{callee}()", call.args[1:2], False
    if isinstance(call.func, ast.Attribute):
        method = call.func.attr
        if method in PATH_WRITE_METHODS or (method == "open" and _writes_mode(call, 0)):
            return f".{method}()", [call.func.value], True
    return None


@dataclass(frozen=True)
class _PendingWrite:
    node: ast.Call
    message: str
    relative: bool
    owner: FunctionNode
    cls: ast.ClassDef | None


class WriteOutsideTmpPath(FileRule):
    """A test or fixture writes, creates, renames or deletes files outside its temporary folder.

    Files a test leaves in the checkout make the next run (or the next test, or another xdist
    worker) start from a different state: tests pass alone and fail together, and ``git status``
    is dirty after CI. Build paths from ``tmp_path`` (``tmp_path_factory`` for wider scopes,
    ``tmpdir``, ``tempfile``), or ``monkeypatch.chdir(tmp_path)`` before using relative paths;
    ``pytester`` tests already run in their own folder. Only paths traced to a literal, the
    working directory, ``__file__`` or the home folder are reported; reading is never reported.
    """

    code = "APT203"
    fixable = True
    name = "write-outside-tmp-path"
    lesson = "tmp-path-isolation"
    summary = "a test writes or deletes files at a path not derived from tmp_path"
    triggers = key_identifiers({*OPEN_FUNCTIONS, *OS_WRITES, *SHUTIL_COPIES, *PATH_WRITE_METHODS})
    """``open`` also stands for ``os.open`` and the ``.open()`` of a path."""
    VALID = (
        Example(
            "def test_save(tmp_path):\n    out = tmp_path / 'out.txt'\n"
            "    out.write_text('x')\n    with open(out, 'w') as f:\n        f.write('y')\n"
        ),
        Example(
            "import pytest\n\n@pytest.fixture(autouse=True)\ndef in_tmp(monkeypatch, tmp_path):\n"
            "    monkeypatch.chdir(tmp_path)\n\ndef test_save():\n"
            "    with open('out.txt', 'w') as f:\n        f.write('x')\n"
        ),
        Example(
            "from pathlib import Path\n\nDATA = Path(__file__).parent / 'data'\n\n"
            "def test_read():\n    assert (DATA / 'a.txt').read_text()\n"
            "    with open(DATA / 'b.txt') as f:\n        f.read()\n"
        ),
        Example(
            "import os, shutil, tempfile\n\ndef test_tmp():\n    d = tempfile.mkdtemp()\n"
            "    os.makedirs(os.path.join(d, 'x'))\n    shutil.rmtree(d)\n"
        ),
        Example(
            "from click.testing import CliRunner\n\ndef test_cli():\n    runner = CliRunner()\n"
            "    with runner.isolated_filesystem():\n        with open('hello.txt', 'w') as f:\n"
            "            f.write('Hello')\n"
        ),
    )
    INVALID = (
        Example(
            "def test_save():\n    with open('out.txt', 'w') as f:\n        f.write('x')\n", line=2
        ),
        Example(
            "from pathlib import Path\n\nHERE = Path(__file__).parent\n\n"
            "def test_snapshot():\n    (HERE / 'snapshot.json').write_text('{}')\n",
            line=6,
        ),
        Example(
            "import os\nimport pytest\n\n@pytest.fixture\ndef cleanup():\n    yield\n"
            "    os.remove('/tmp/shared.lock')\n",
            path="tests/conftest.py",
            line=7,
        ),
        Example(
            "from click.testing import CliRunner\n\ndef test_cli():\n    runner = CliRunner()\n"
            "    with runner.isolated_filesystem(temp_dir='build'):\n"
            "        open('hello.txt', 'w').close()\n",
            line=6,
        ),
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.flow = PathFlow(ctx.callee)
        self.pending: list[_PendingWrite] = []
        self.chdir_owners: set[ast.AST] = set()
        self.autouse: list[tuple[FunctionNode, ast.AST | None]] = []

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        self.flow.enter_function(node)
        decl = fixture_decl(node)
        if decl is not None and decl.autouse:
            self.autouse.append((node, self.ctx.ancestors[-1] if self.ctx.ancestors else None))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self.flow.bind(self.ctx.ancestors, target, node.value)

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
        if name not in WRITE_CALL_NAMES and name not in TMP_ENTRY_NAMES:
            return
        owner = self.ctx.test_code()
        if owner is None:
            return
        callee = self.ctx.callee(node)
        if self._enters_tmp(node, callee):
            self.chdir_owners.add(owner)
            return
        found = write_targets(node, callee)
        if found is None:
            return
        operation, targets, needs_path = found
        for target in targets:
            value = self.flow.value(target, self.ctx.ancestors)
            if value.origin not in (Origin.OUTSIDE, Origin.RELATIVE):
                continue
            if needs_path and not value.is_path:
                continue
            relative = value.origin is Origin.RELATIVE
            remedy = (
                "build it from tmp_path, or monkeypatch.chdir(tmp_path) first"
                if relative
                else "build it from tmp_path (or tmp_path_factory)"
            )
            message = (
                f"{operation} changes files under {value.origin.value}, not under tmp_path, "
                f"so they outlive the test; {remedy}"
            )
            cls = enclosing_class(self.ctx.ancestors, owner)
            self.pending.append(_PendingWrite(node, message, relative, owner, cls))
            return

    def _enters_tmp(self, node: ast.Call, callee: str) -> bool:
        """``monkeypatch.chdir(tmp)``, ``os.chdir(tmp)``, ``contextlib.chdir(tmp)``,
        ``tmpdir.as_cwd()``, ``CliRunner().isolated_filesystem()``: afterwards relative paths
        are inside a temporary folder, or somewhere this file does not say (then they are not
        known to be outside one either)."""
        if callee.rpartition(".")[2] == "chdir" and node.args:
            target: ast.expr = node.args[0]
        elif isinstance(node.func, ast.Attribute) and node.func.attr == "as_cwd":
            target = node.func.value
        elif called_name(node) == "isolated_filesystem":
            target = node
        else:
            return False
        origin = self.flow.value(target, self.ctx.ancestors).origin
        return origin in (Origin.TMP, Origin.UNKNOWN)

    def leave_Module(self, node: ast.Module) -> None:
        chdir_fixtures = {
            decl.name
            for owner in self.chdir_owners
            if isinstance(owner, FunctionNode)
            for decl in [fixture_decl(owner)]
            if decl is not None
        }
        chdir_scopes = {parent for func, parent in self.autouse if func in self.chdir_owners}
        for write in self.pending:
            if write.relative and self._in_tmp_cwd(write, chdir_fixtures, chdir_scopes, node):
                continue
            self.report(write.node, write.message)

    def _in_tmp_cwd(
        self,
        write: _PendingWrite,
        chdir_fixtures: set[str],
        chdir_scopes: set[ast.AST | None],
        module: ast.Module,
    ) -> bool:
        params = set(parameter_names(write.owner))
        return (
            write.owner in self.chdir_owners
            or module in chdir_scopes
            or (write.cls is not None and write.cls in chdir_scopes)
            or bool(params & (chdir_fixtures | CHDIR_FIXTURES))
            or any("chdir" in name or "cwd" in name for name in params)
        )


FAMILY_REMEDY = {
    "cwd": "os.chdir changes the working directory of every later test; use monkeypatch.chdir()",
    "environ": "the environment change leaks into every later test; use "
    "monkeypatch.setenv()/delenv() or mock.patch.dict(os.environ)",
    "sys.path": "the sys.path change leaks into every later test; use "
    "monkeypatch.syspath_prepend() (or the pythonpath ini option at module level)",
    "sys.modules": "the sys.modules change leaks into every later test; use "
    "monkeypatch.setitem(sys.modules, ...) or mock.patch.dict(sys.modules)",
}
ENVIRON = frozenset({"os.environ", "environ"})
"""How code names ``os.environ``; a bare ``environ`` only after ``from os import environ``, and
only where no function binds that name itself (``EnvironNames``)."""
DICT_MUTATORS = frozenset({"update", "pop", "setdefault", "clear", "popitem", "__setitem__"})
LIST_MUTATORS = frozenset({"insert", "append", "extend", "remove", "pop", "clear", "__setitem__"})
MODULES_ADDERS = frozenset({"update", "setdefault", "__setitem__"})
MODULES_REMOVERS = frozenset({"pop", "clear", "popitem", "__delitem__"})
PATCH_TARGETS = {
    "cwd": frozenset({"os.chdir"}),
    "environ": frozenset({"os.environ", "environ"}),
    "sys.path": frozenset({"sys.path"}),
    "sys.modules": frozenset({"sys.modules"}),
}
PER_TEST_TEARDOWNS = frozenset({"teardown_method", "teardown", "tearDown", "asyncTearDown"})
"""Teardown methods that run after each test of their class."""
MONKEYPATCH_ENV = frozenset({"setenv", "delenv"})
PYTESTER_RESTORES = frozenset({"cwd", "sys.path", "sys.modules"})
"""What ``pytester``/``testdir`` snapshot before a test and restore after it."""
CLEANUP_CALLS = frozenset({"addfinalizer", "addCleanup", "addClassCleanup", "callback"})
SETUP_PAIRS = {
    "setup_module": "teardown_module",
    "setup_function": "teardown_function",
    "setup_class": "teardown_class",
    "setup_method": "teardown_method",
    "setup": "teardown",
    "setUp": "tearDown",
    "setUpClass": "tearDownClass",
    "setUpModule": "tearDownModule",
    "asyncSetUp": "asyncTearDown",
}
SNAPSHOT_CALLS = frozenset({"dict", "list", "tuple", "set", "copy.copy", "copy.deepcopy", "copy"})
"""Calls that copy ``os.environ``, ``sys.path`` or ``sys.modules`` (so it can be restored)."""
CWD_SNAPSHOTS = frozenset({"os.getcwd", "Path.cwd", "pathlib.Path.cwd"})
RESTORING_SCOPES = frozenset({"function", "class", "module"})
"""Scopes of an autouse fixture whose restore keeps a test's change inside its module."""

IsEnviron = Callable[[str | None], bool]
"""Whether a dotted name means ``os.environ`` where it is written (``EnvironNames``)."""


def _family_of(name: str | None, is_environ: IsEnviron) -> str | None:
    """``environ``, ``sys.path`` or ``sys.modules`` when ``name`` is that object."""
    if is_environ(name):
        return "environ"
    return name if name in ("sys.path", "sys.modules") else None


def _subscript_family(target: ast.AST, is_environ: IsEnviron) -> str | None:
    if isinstance(target, ast.Subscript):
        return _family_of(dotted_name(target.value), is_environ)
    if not isinstance(target, ast.Attribute):
        return None
    name = dotted_name(target)
    return "environ" if name == "os.environ" else "sys.path" if name == "sys.path" else None


Change = tuple[str, bool]
"""``(family, changes)``: the process-global state a node touches (``cwd``, ``environ``,
``sys.path`` or ``sys.modules``), and whether it changes it (False: it only removes what an
earlier change added, which is how a change is undone)."""


def call_change(callee: str, is_environ: IsEnviron) -> Change | None:
    """What a call of ``callee`` does to process-global state."""
    root, _, method = callee.rpartition(".")
    if callee == "os.chdir":
        return "cwd", True
    if callee in ("os.putenv", "os.unsetenv") or (method in DICT_MUTATORS and is_environ(root)):
        return "environ", True
    if root == "sys.path" and method in LIST_MUTATORS:
        return "sys.path", True
    if root == "sys.modules" and method in MODULES_ADDERS:
        return "sys.modules", True
    if root == "sys.modules" and method in MODULES_REMOVERS:
        return "sys.modules", False
    return None


def statement_change(
    node: ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete, is_environ: IsEnviron
) -> Change | None:
    """What an assignment to, or a ``del`` of, ``os.environ[...]``, ``sys.path`` or
    ``sys.modules[...]`` does to process-global state."""
    if isinstance(node, ast.Delete):
        families = {_subscript_family(target, is_environ) for target in node.targets}
        if "environ" in families:
            return "environ", True
        return ("sys.modules", False) if "sys.modules" in families else None
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    for target in targets:
        family = _subscript_family(target, is_environ)
        if family is not None:
            return family, True
    return None


def snapshot_family(node: ast.AST, callee: str, is_environ: IsEnviron) -> str | None:
    """The state a call copies so that it can be put back: ``dict(os.environ)``,
    ``os.environ.copy()``, ``list(sys.path)``, ``copy.copy(sys.modules)``, ``os.getcwd()``."""
    if callee in CWD_SNAPSHOTS:
        return "cwd"
    if not isinstance(node, ast.Call):
        return None
    root, _, method = callee.rpartition(".")
    if method == "copy" and not node.args:
        return _family_of(root, is_environ)
    if callee in SNAPSHOT_CALLS and node.args:
        return _family_of(dotted_name(node.args[0]), is_environ)
    return None


def _patch_mentions(call: ast.expr) -> set[str]:
    """What a ``mock.patch*`` call patches: ``os.environ`` for ``patch.dict(os.environ, ...)``,
    ``patch.dict("os.environ")`` and ``patch.object(os, "environ")``."""
    if not isinstance(call, ast.Call) or "patch" not in (dotted_name(call.func) or ""):
        return set()
    mentions = {m for m in (dotted_name(a) or string_value(a) for a in call.args) if m}
    if len(call.args) > 1:
        owner, attr = dotted_name(call.args[0]), string_value(call.args[1])
        if owner and attr:
            mentions.add(f"{owner}.{attr}")
    return mentions


def _environ_key(node: ast.AST) -> str | None:
    """``K`` of ``os.environ["K"] = v``, ``del os.environ["K"]``, ``os.environ.pop("K")``."""
    if isinstance(node, ast.Call):
        return string_value(node.args[0]) if node.args else None
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign | ast.Delete):
        targets = node.targets
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    keys = {string_value(t.slice) for t in targets if isinstance(t, ast.Subscript)}
    return keys.pop() if len(keys) == 1 else None


def _line(node: ast.AST) -> int:
    return getattr(node, "lineno", 0)


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
    """The environment variable an ``os.environ`` change names literally."""


@dataclass(frozen=True)
class _Restorer:
    """A module- or class-level function that puts ``family`` back as it found it."""

    func: FunctionNode
    parent: ast.AST
    kind: str
    """``autouse`` (an autouse fixture) or ``manager`` (a ``@contextmanager``)."""
    family: str


def _in_test(owner: FunctionNode | None) -> bool:
    """Whether a change by ``owner`` happens inside one test: in the test itself or in a
    function-scoped fixture it requests (autouse fixtures of the same scope run first)."""
    if owner is None:
        return False
    decl = fixture_decl(owner)
    if decl is None:
        return owner.name.startswith("test")
    return decl.scope == "function" and not decl.autouse


def _under(path: str, folder: str) -> bool:
    return not folder or path.startswith(folder + "/")


class UnpatchedGlobalState(FileRule, ProjectRule):
    """Test code changes the working directory, environment, ``sys.path`` or ``sys.modules``.

    These are process-wide: a change made by one test is still there for every test after it,
    on every xdist worker that ran it, and it is undone only by luck. Tests then pass alone and
    fail in a suite, or the reverse. ``monkeypatch`` (``chdir``, ``setenv``, ``delenv``,
    ``syspath_prepend``, ``setitem``) and ``mock.patch.dict`` undo the change after the test
    whatever its outcome. Changes undone in a ``finally`` block, after a fixture's ``yield``, in a
    matching teardown method or by a registered finalizer are not reported, nor are a test's
    changes that an autouse fixture (of its class, module, or a conftest that applies) undoes by
    snapshotting the state and restoring it after its ``yield``, nor changes inside a ``with`` of
    a ``@contextmanager`` that restores the state in ``finally``, nor a test method's change that
    its class's per-test teardown changes back, nor an ``os.environ["K"]`` change of a variable
    the test hands to ``monkeypatch.setenv``/``delenv``, nor anything in a test marked
    ``forked`` (it runs in a child process). Reading is never reported; a
    local ``environ`` (a WSGI environ dict) is not ``os.environ``. Module-level changes run at
    import, so they are reported too.

    The decision is made over the whole suite: a conftest's fixture or another file's context
    manager can undo what a test module changes.
    """

    code = "APT204"
    fixable = True
    name = "unpatched-global-state"
    lesson = "monkeypatch-isolation"
    summary = "os.chdir, os.environ, sys.path or sys.modules changed without monkeypatch"
    triggers = key_identifiers({"os.chdir", "os.putenv", "os.unsetenv", *ENVIRON}) | {"sys"}
    """``sys`` is the name written in every ``sys.path`` and ``sys.modules`` change."""
    VALID = (
        Example(
            "import os\n\ndef test_env(monkeypatch, tmp_path):\n    monkeypatch.setenv('A', '1')\n"
            "    monkeypatch.chdir(tmp_path)\n    assert os.environ['A'] == '1'\n"
        ),
        Example(
            "import os\nfrom unittest import mock\n\ndef test_env():\n"
            "    with mock.patch.dict(os.environ, {'A': '1'}):\n        os.environ['B'] = '2'\n"
        ),
        Example(
            "import os\nimport pytest\n\n@pytest.fixture\ndef in_tmp(tmp_path):\n"
            "    old = os.getcwd()\n    os.chdir(tmp_path)\n    yield tmp_path\n    os.chdir(old)\n"
        ),
        Example(
            "import sys\n\ndef test_path():\n    sys.path.insert(0, 'x')\n    try:\n"
            "        pass\n    finally:\n        sys.path.remove('x')\n"
        ),
        Example(
            "def test_wsgi(app):\n    environ = {'PATH_INFO': '/'}\n"
            "    environ['PATH_INFO'] = '/x'\n    environ.update(QUERY_STRING='')\n"
        ),
        Example(
            "import os\n\ndef test_env():\n    os.environ['DEBUG'] = '1'\n",
            files={
                "tests/conftest.py": "import os\nimport pytest\n\n"
                "@pytest.fixture(autouse=True)\ndef restore_environ():\n"
                "    old = dict(os.environ)\n    yield\n    os.environ.clear()\n"
                "    os.environ.update(old)\n"
            },
        ),
        Example(
            "import os\nfrom contextlib import contextmanager\n\n@contextmanager\n"
            "def modified_environ(**values):\n    old = dict(os.environ)\n"
            "    os.environ.update(values)\n    try:\n        yield\n    finally:\n"
            "        os.environ.clear()\n        os.environ.update(old)\n\n"
            "def test_env():\n    with modified_environ(A='1'):\n"
            "        os.environ['B'] = '2'\n"
        ),
    )
    INVALID = (
        Example("import os\n\ndef test_env():\n    os.environ['DEBUG'] = '1'\n", line=4),
        Example("import os\n\ndef test_cd(tmp_path):\n    os.chdir(tmp_path)\n", line=4),
        Example(
            "import os, sys\n\nsys.path.insert(0, os.path.dirname(__file__))\n",
            path="tests/conftest.py",
            line=3,
        ),
        Example("import sys\n\ndef test_fake():\n    sys.modules['requests'] = object()\n", line=4),
        Example("from os import environ\n\ndef test_env():\n    environ['DEBUG'] = '1'\n", line=4),
        Example(
            "import os\n\ndef test_env():\n    os.environ['DEBUG'] = '1'\n",
            files={
                "tests/other/conftest.py": "import os\nimport pytest\n\n"
                "@pytest.fixture(autouse=True)\ndef restore_environ():\n"
                "    old = dict(os.environ)\n    yield\n    os.environ.clear()\n"
                "    os.environ.update(old)\n"
            },
            line=4,
        ),
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.changes: list[_Change] = []
        self.first_yield: dict[ast.AST, int] = {}
        self.cleanups: set[ast.AST] = set()
        self.environ = EnvironNames()
        self.snapshots: dict[ast.AST | None, set[str]] = {}
        """The families each function (None: the module) copies, so that it can restore them."""
        self.yields: dict[ast.AST, list[ast.AST]] = {}
        """The ``yield``s of each function (the innermost one around them)."""
        self.patched_yields: dict[ast.AST, set[str]] = {}
        """The families a function yields under ``mock.patch.dict``/``patch`` of."""
        self.definitions: list[tuple[FunctionNode, ast.AST]] = []
        """Functions defined directly in the module or a class, with that parent."""
        self.monkeypatched: dict[ast.AST, set[str]] = {}
        """The variables each test hands to ``monkeypatch.setenv``/``delenv`` (restored after
        it, whatever else changed them)."""
        self.forked_module = False

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
            (owner is not None or (at_module and not self._under_main(node)))
            and not self._patched(node, family)
        )
        in_finally = any(
            isinstance(outer, ast.Try | ast.TryStar) and within(node, outer.finalbody)
            for outer in ancestors
        )
        cls = enclosing_class(ancestors, owner) if owner is not None else None
        func = self._function()
        managers = tuple(
            called_name(item.context_expr)
            for outer in ancestors
            if isinstance(outer, ast.With | ast.AsyncWith) and within(node, outer.body)
            for item in outer.items
            if isinstance(item.context_expr, ast.Call)
        )
        key = _environ_key(node) if family == "environ" else None
        self.changes.append(
            _Change(node, family, owner, func, cls, reported, in_finally, managers, key)
        )

    def _under_main(self, node: ast.AST) -> bool:
        return any(
            isinstance(a, ast.If) and "__main__" in ast.unparse(a.test) and within(node, a.body)
            for a in self.ctx.ancestors
        )

    def _patched(self, node: ast.AST, family: str) -> bool:
        """Inside ``with mock.patch.dict(os.environ, ...)`` or under such a decorator."""
        targets = PATCH_TARGETS[family]
        for outer in self.ctx.ancestors:
            calls: Sequence[ast.expr] = ()
            if isinstance(outer, ast.With | ast.AsyncWith) and within(node, outer.body):
                calls = [item.context_expr for item in outer.items]
            elif isinstance(outer, FunctionNode | ast.ClassDef):
                calls = outer.decorator_list
            if any(_patch_mentions(call) & targets for call in calls):
                return True
        return False

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.environ.note_import(node)

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        parent = self.ctx.ancestors[-1] if self.ctx.ancestors else None
        if isinstance(parent, ast.Module | ast.ClassDef):
            self.definitions.append((node, parent))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        callee = self.ctx.callee(node)
        self._record(node, call_change(callee, self._is_environ))
        self._snapshot(snapshot_family(node, callee, self._is_environ))
        method = callee.rpartition(".")[2]
        if method in MONKEYPATCH_ENV and node.args and string_value(node.args[0]):
            owner = self.ctx.test_code()
            if owner is not None:
                self.monkeypatched.setdefault(owner, set()).add(string_value(node.args[0]) or "")
        if method in CLEANUP_CALLS:
            owner = self.ctx.test_code()
            if owner is not None:
                self.cleanups.add(owner)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        """``sys.path[:]`` copies ``sys.path``."""
        if isinstance(node.slice, ast.Slice) and isinstance(node.ctx, ast.Load):
            self._snapshot(_family_of(dotted_name(node.value), self._is_environ))

    def visit_Dict(self, node: ast.Dict) -> None:
        """``{**os.environ}`` copies the environment."""
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                self._snapshot(_family_of(dotted_name(value), self._is_environ))

    def _snapshot(self, family: str | None) -> None:
        if family is not None:
            self.snapshots.setdefault(self._function(), set()).add(family)

    def _function(self) -> ast.AST | None:
        """The innermost function around the node being visited."""
        return next(
            (a for a in reversed(self.ctx.ancestors) if isinstance(a, FUNCTION_NODES)), None
        )

    def visit_Assign(self, node: ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete) -> None:
        self._record(node, statement_change(node, self._is_environ))
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

    visit_YieldFrom = visit_Yield

    def leave_Module(self, node: ast.Module) -> None:
        restorers = self._restorers()
        facts = self.ctx.facts
        for restorer in restorers:
            if isinstance(restorer.parent, ast.Module):
                fact = StateRestorerFact(restorer.func.name, restorer.family, restorer.kind)
                facts.state_restorers.append(fact)
        for change in self.changes:
            if not change.reported or self._restored(change):
                continue
            if self._restored_here(change, restorers):
                continue
            line, col = _line(change.node), getattr(change.node, "col_offset", 0) + 1
            facts.global_changes.append(
                GlobalChangeFact(line, col, change.family, _in_test(change.owner), change.managers)
            )

    def _restorers(self) -> list[_Restorer]:
        """The autouse fixtures and ``@contextmanager`` functions of the file that put a family
        back as they found it."""
        found: list[_Restorer] = []
        for func, parent in self.definitions:
            decl = fixture_decl(func)
            if decl is not None and decl.autouse and decl.scope in RESTORING_SCOPES:
                kind = "autouse"
            elif any(
                (dotted_name(d) or "").endswith("contextmanager") for d in func.decorator_list
            ):
                kind = "manager"
            else:
                continue
            for family in FAMILY_REMEDY:
                if self._restores(func, family, needs_snapshot=kind == "autouse"):
                    found.append(_Restorer(func, parent, kind, family))
        return found

    def _restores(self, func: FunctionNode, family: str, needs_snapshot: bool) -> bool:
        """Whether ``func`` yields under a ``patch`` of ``family``, or changes it after its
        first ``yield`` (or in a ``finally``) with, for a fixture, a copy of it taken in the
        fixture or at module level: the restoring side of a snapshot."""
        yields = self.yields.get(func)
        if not yields:
            return False
        if family in self.patched_yields.get(func, ()):
            return True
        copied = self.snapshots.get(func, set()) | self.snapshots.get(None, set())
        if needs_snapshot and family not in copied:
            return False
        first = min(map(_line, yields))
        return any(
            c.func is func and c.family == family and (c.in_finally or _line(c.node) > first)
            for c in self.changes
        )

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
            if restorer.kind == "manager" and restorer.func.name in change.managers:
                return True
            applies = isinstance(restorer.parent, ast.Module) or restorer.parent is change.cls
            if restorer.kind == "autouse" and applies and _in_test(change.owner):
                return True
        return False

    def _restored(self, change: _Change) -> bool:
        owner = change.owner
        if change.in_finally or owner in self.cleanups or self._forked(change):
            return True
        patched = self.monkeypatched.get(owner, set()) if owner is not None else set()
        if change.key is not None and change.key in patched:
            return True  # monkeypatch puts that variable back after the test
        params = set(parameter_names(owner)) if owner is not None else set()
        if change.family in PYTESTER_RESTORES and CHDIR_FIXTURES & params:
            return True
        others = [c for c in self.changes if c.family == change.family and c is not change]
        line = _line(change.node)
        if any(c.in_finally and c.owner is owner and _line(c.node) > line for c in others):
            return True
        if owner is None:
            return False
        yield_line = self.first_yield.get(owner)
        if yield_line is not None:
            if line > yield_line:
                return True  # fixture teardown: this is the restoring side
            after = (c for c in others if c.owner is owner)
            if any(_line(c.node) > yield_line for c in after):
                return True
        if owner.name in SETUP_PAIRS.values():
            return True
        if change.cls is not None and _in_test(owner):
            torn_down = (c for c in others if c.cls is change.cls and c.owner is not None)
            if any(c.owner.name in PER_TEST_TEARDOWNS for c in torn_down if c.owner):
                return True  # the class's per-test teardown puts the state back
        teardown = SETUP_PAIRS.get(owner.name)
        return teardown is not None and any(
            c.owner is not None and c.owner.name == teardown and c.cls is change.cls for c in others
        )

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        """Report the changes no file undoes: not an autouse fixture of a conftest above the
        test (or of a plugin module), not a context manager of the project around them."""
        autouse: list[tuple[str, str]] = []
        managers: set[tuple[str, str]] = set()
        for file, facts in ctx.files:
            for restorer in facts.state_restorers:
                if restorer.kind == "manager":
                    managers.add((restorer.name, restorer.family))
                elif file.kind in ("conftest", "plugin"):
                    folder = posixpath.dirname(file.path) if file.kind == "conftest" else ""
                    autouse.append((folder, restorer.family))
        for file, facts in ctx.files:
            for change in facts.global_changes:
                if change.in_test and any(
                    family == change.family and _under(file.path, folder)
                    for folder, family in autouse
                ):
                    continue
                if any((name, change.family) in managers for name in change.managers):
                    continue
                message = FAMILY_REMEDY[change.family]
                yield Finding(file.path, change.line, change.col, cls.code, message)
