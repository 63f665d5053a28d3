"""What a statement does to process-global state: the working directory, ``os.environ``,
``sys.path`` and ``sys.modules`` (APT204 and its fix).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from apytest.rules.support.astutil import (
    dotted_name,
    string_value,
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
SNAPSHOT_CALLS = frozenset({"dict", "list", "tuple", "set", "copy.copy", "copy.deepcopy", "copy"})
"""Calls that copy ``os.environ``, ``sys.path`` or ``sys.modules`` (so it can be restored)."""
CWD_SNAPSHOTS = frozenset({"os.getcwd", "Path.cwd", "pathlib.Path.cwd"})
RESTORING_SCOPES = frozenset({"function", "class", "module"})
"""Scopes of an autouse fixture whose restore keeps a test's change inside its module."""

IsEnviron = Callable[[str | None], bool]
"""Whether a dotted name means ``os.environ`` where it is written (``EnvironNames``)."""


def family_of(name: str | None, is_environ: IsEnviron) -> str | None:
    """``environ``, ``sys.path`` or ``sys.modules`` when ``name`` is that object."""
    if is_environ(name):
        return "environ"
    return name if name in ("sys.path", "sys.modules") else None


def _subscript_family(target: ast.AST, is_environ: IsEnviron) -> str | None:
    if isinstance(target, ast.Subscript):
        return family_of(dotted_name(target.value), is_environ)
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
        return family_of(root, is_environ)
    if callee in SNAPSHOT_CALLS and node.args:
        return family_of(dotted_name(node.args[0]), is_environ)
    return None


def patch_mentions(call: ast.expr) -> set[str]:
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


def environ_key(node: ast.AST) -> str | None:
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


def line_of(node: ast.AST) -> int:
    return getattr(node, "lineno", 0)
