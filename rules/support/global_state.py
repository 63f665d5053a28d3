"""What a statement does to process-global state: the working directory, ``os.environ``,
``sys.path`` and ``sys.modules`` (APT204 and its fix).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence

from apytest.rules.support.astutil import (
    dotted_name,
    string_value,
    within,
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
MONKEYPATCH_ENV = frozenset({"setenv", "delenv"})
MONKEYPATCH_SAVES = {"monkeypatch.chdir": "cwd", "monkeypatch.syspath_prepend": "sys.path"}
"""``monkeypatch`` calls that save the whole family at their first call (the working directory,
a copy of ``sys.path``) and put it back after the test, whatever changed it since."""
PYTESTER_RESTORES = frozenset({"cwd", "sys.path", "sys.modules"})
"""What ``pytester``/``testdir`` snapshot before a test and restore after it."""
PYTESTER_VARIABLES = frozenset({"HOME", "USERPROFILE", "PYTEST_DEBUG_TEMPROOT", "PY_COLORS"})
"""The environment variables ``pytester``/``testdir`` set through the test's ``monkeypatch``,
which writes each one's earlier value back after the test (DN1)."""
CLEANUP_CALLS = frozenset({"addfinalizer", "addCleanup", "addClassCleanup", "callback"})
SNAPSHOT_CALLS = frozenset({"dict", "list", "tuple", "set", "copy.copy", "copy.deepcopy", "copy"})
"""Calls that copy ``os.environ``, ``sys.path`` or ``sys.modules`` (so it can be restored)."""
CWD_SNAPSHOTS = frozenset({"os.getcwd", "Path.cwd", "pathlib.Path.cwd"})
SAME_FOLDER_METHODS = frozenset({"resolve", "absolute"})
"""``Path`` methods whose result names the folder of the path they are called on."""
SAME_FOLDER_CALLS = frozenset(
    {
        "str",
        "os.fspath",
        "os.path.abspath",
        "os.path.realpath",
        "os.path.normpath",
        "Path",
        "pathlib.Path",
    }
)
"""Calls of one path whose result names the same folder (another spelling of it)."""
FIXTURE_SETUP = "_setUp"
"""The method a fixtures-library ``Fixture`` subclass overrides to set itself up: what it
registers with ``self.addCleanup`` runs when the fixture is cleaned up."""
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
        if "sys.path" in families:
            return "sys.path", True  # ``del sys.path[0]``: as ``sys.path.pop(0)``
        return ("sys.modules", False) if "sys.modules" in families else None
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    for target in targets:
        parts = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
        for part in parts:  # ``old, sys.path = sys.path, []`` rebinds sys.path too
            family = _subscript_family(part, is_environ)
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


CALLING_THROUGH = frozenset({"wraps", "side_effect"})
"""``mock.patch`` arguments that may still call the real function (``wraps=shutil.copy2``)."""
PATH_CLASSES = ("pathlib.Path", "Path", "pathlib.PosixPath", "PosixPath")
"""How a ``mock.patch`` target names the class whose methods a path's write calls."""


OWN_MODULE = "<__name__>"
"""How :func:`_patch_target` names the module the patch is written in: ``"%s.open" %
__name__`` replaces the global ``open`` of that very module."""


def patches_call(
    patches: Sequence[ast.expr], callee: str, method: str | None, spelt: str | None = None
) -> bool:
    """Whether one of the ``mock.patch*`` calls ``patches`` (a test's decorators, the ``with``
    items around a call) replaces what the call runs: the function ``callee`` by its dotted
    name (``@patch("shutil.copy2")`` around ``shutil.copy2(a, b)``, ``builtins.open`` around
    ``open``), or a path method ``method`` (``@patch("pathlib.Path.mkdir")``,
    ``patch.object(Path, "mkdir")`` around ``test_dir.mkdir()``). A patch that may call the
    real one through (``wraps=``, ``side_effect=``) replaces nothing for certain (ZE3).
    ``spelt`` is the bare name the call is made by (``open`` of ``open(p, "w")``): a patch of
    that name in the module's own namespace (``@patch("%s.open" % __name__, mock_open())``)
    replaces it too, as a bare name is looked up there before the builtins (BL1)."""
    wanted = {callee, f"builtins.{callee}"} if callee else set()
    if callee and spelt:
        wanted.add(f"{OWN_MODULE}.{spelt}")
    if method:
        wanted.update(f"{cls}.{method}" for cls in PATH_CLASSES)
    return any(_patch_target(patch) in wanted for patch in patches)


def _own_module_target(node: ast.expr) -> str | None:
    """``<__name__>.open`` for a patch target built from the module's own ``__name__``:
    ``"%s.open" % __name__``, ``f"{__name__}.open"``, ``__name__ + ".open"`` and
    ``"{}.open".format(__name__)``; None for any other expression, and for another module's
    ``other.__name__`` (BL1)."""
    suffix = _own_module_suffix(node)
    if suffix is None or not suffix.startswith(".") or "." in suffix[1:] or len(suffix) < 2:
        return None
    return f"{OWN_MODULE}{suffix}"


def _own_module_suffix(node: ast.expr) -> str | None:
    """What a target built from the bare ``__name__`` adds after it (``".open"``), None when
    ``node`` is no such spelling (see :func:`_own_module_target`)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _is_own_name(node.right):
        return _after_prefix(string_value(node.left), "%s")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and _is_own_name(node.left):
        return string_value(node.right)
    if isinstance(node, ast.JoinedStr) and len(node.values) == 2:
        head, tail = node.values
        if not isinstance(head, ast.FormattedValue) or head.conversion != -1:
            return None
        return string_value(tail) if head.format_spec is None and _is_own_name(head.value) else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        one_name = len(node.args) == 1 and not node.keywords and _is_own_name(node.args[0])
        if node.func.attr == "format" and one_name:
            return _after_prefix(string_value(node.func.value), "{}")
    return None


def _is_own_name(node: ast.expr) -> bool:
    """Whether ``node`` is the bare ``__name__`` of the module (not ``other.__name__``)."""
    return isinstance(node, ast.Name) and node.id == "__name__"


def _after_prefix(text: str | None, prefix: str) -> str | None:
    """What follows the placeholder ``prefix`` that opens a format string, None when the
    string does not open with it or holds a second placeholder."""
    if text is None or not text.startswith(prefix):
        return None
    rest = text[len(prefix) :]
    return None if "%" in rest or "{" in rest else rest


def _patch_target(patch: ast.expr) -> str | None:
    """The dotted name a ``mock.patch("a.b")`` or ``mock.patch.object(a, "b")`` call replaces
    for certain, None for anything else (see :func:`patches_call`)."""
    if not isinstance(patch, ast.Call) or not patch.args:
        return None
    if any(keyword.arg in CALLING_THROUGH for keyword in patch.keywords):
        return None
    callee = dotted_name(patch.func) or ""
    if callee in ("patch", "mock.patch", "unittest.mock.patch"):
        return string_value(patch.args[0]) or _own_module_target(patch.args[0])
    if callee in ("patch.object", "mock.patch.object", "unittest.mock.patch.object"):
        owner = dotted_name(patch.args[0])
        attr = string_value(patch.args[1]) if len(patch.args) > 1 else None
        return f"{owner}.{attr}" if owner and attr else None
    return None


def environ_key(node: ast.AST) -> str | None:
    """``K`` of ``os.environ["K"] = v``, ``del os.environ["K"]``, ``os.environ.pop("K")``."""
    key = _changed_key(node)
    return string_value(key) if key is not None else None


def _changed_key(node: ast.AST) -> ast.expr | None:
    """The key expression an environment change sets or removes (``os.environ.pop(K)`` too)."""
    if isinstance(node, ast.Call):
        return node.args[0] if node.args else None
    return environ_key_node(node)


def environ_key_name(key: ast.expr) -> str | None:
    """How a variable's name is spelled where ``monkeypatch`` and a test both change it: the
    literal ``"K"``, or a constant named by convention (``BRAND_ENV_VAR``,
    ``branding.BRAND_ENV_VAR``: an upper-case last part) in angle brackets
    (``<branding.BRAND_ENV_VAR>``), which no literal variable is called. A fixture's
    ``monkeypatch.setenv(branding.BRAND_ENV_VAR, v)`` and a test's
    ``os.environ.pop(branding.BRAND_ENV_VAR)`` then name one variable (AH1); a lower-case name
    (a loop's ``key``, a parameter) or a call may stand for another variable in each, so it
    names none."""
    literal = string_value(key)
    if literal:
        return literal
    name = dotted_name(key) if isinstance(key, ast.Name | ast.Attribute) else None
    last = (name or "").rpartition(".")[2]
    return f"<{name}>" if name and last.isupper() else None


def environ_change_name(node: ast.AST) -> str | None:
    """``environ_key_name`` of the key an environment change sets or removes (``os.environ[K]
    = v``, ``del os.environ[K]``, ``os.environ.pop(K)``)."""
    key = _changed_key(node)
    return environ_key_name(key) if key is not None else None


def environ_key_node(node: ast.AST) -> ast.expr | None:
    """The key expression of ``os.environ[K] = v`` or ``del os.environ[K]`` (one target)."""
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign | ast.Delete):
        targets = node.targets
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    if len(targets) != 1 or not isinstance(targets[0], ast.Subscript):
        return None
    return targets[0].slice


def added_environ_keys(node: ast.AST, method: str) -> list[ast.expr]:
    """The keys an environment change adds (or overwrites): ``os.environ[K] = v``,
    ``os.environ.setdefault(K, v)``, ``os.environ.update({K: v})`` and ``update(K=v)``."""
    if not isinstance(node, ast.Call):
        key = environ_key_node(node)
        return [key] if key is not None and not isinstance(node, ast.Delete) else []
    if method in ("setdefault", "__setitem__") and node.args:
        return [node.args[0]]
    if method != "update":
        return []
    keys: list[ast.expr] = [ast.Constant(k.arg) for k in node.keywords if k.arg is not None]
    for arg in node.args:
        if isinstance(arg, ast.Dict):
            keys += [key for key in arg.keys if key is not None]
    return keys


KEY_ERRORS = frozenset({"KeyError", "LookupError", "Exception", "BaseException"})
"""Exceptions whose handler tolerates the variable being absent already."""


def only_if_present(
    node: ast.AST, key: ast.expr, ancestors: Sequence[ast.AST], is_environ: IsEnviron
) -> bool:
    """Whether the removal ``node`` of ``key`` from the environment happens only when the
    variable is there: in a ``try`` whose handler takes ``KeyError``, or under
    ``if key in os.environ``."""
    for outer in ancestors:
        if isinstance(outer, ast.Try | ast.TryStar) and within(node, outer.body):
            tolerated = any(_catches(handler, KEY_ERRORS) for handler in outer.handlers)
        elif isinstance(outer, ast.If) and within(node, outer.body):
            tolerated = _tests_presence(outer.test, key, is_environ)
        else:
            continue
        if tolerated:
            return True
    return False


def _catches(handler: ast.ExceptHandler, names: frozenset[str]) -> bool:
    """Whether ``handler`` (bare, one type or a tuple of them) catches one of ``names``."""
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any((dotted_name(t) or "").rpartition(".")[2] in names for t in types)


def _tests_presence(test: ast.expr, key: ast.expr, is_environ: IsEnviron) -> bool:
    """``key in os.environ`` (alone, or one operand of an ``and``)."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_tests_presence(value, key, is_environ) for value in test.values)
    return (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.In)
        and ast.dump(test.left) == ast.dump(key)
        and is_environ(dotted_name(test.comparators[0]))
    )


def next_statement(parent: ast.AST, statement: ast.AST) -> ast.stmt | None:
    """The statement right after ``statement`` in the block of ``parent`` that holds it."""
    for _, value in ast.iter_fields(parent):
        if isinstance(value, list) and statement in value:
            index = value.index(statement)
            following = value[index + 1] if index + 1 < len(value) else None
            return following if isinstance(following, ast.stmt) else None
    return None


def line_of(node: ast.AST) -> int:
    return getattr(node, "lineno", 0)
