"""Where a path expression in test code points: under a temporary folder, or into the checkout.

A small flow-insensitive data flow over one file: names are bound in the scope (module or
function) where they are assigned, and a path's origin is the origin of its root (``tmp_path``
in ``tmp_path / "a" / "b"``, the literal in ``os.path.join("out", name)``). Anything that cannot
be traced (a parameter that is not a temporary-folder fixture, an attribute of an unknown
object, the result of an unknown call) is UNKNOWN, and the rules never report UNKNOWN.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from apytest.rules.support.astutil import FUNCTION_NODES, dotted_name, parameter_names


class Origin(Enum):
    TMP = "a temporary folder"
    RELATIVE = "the working directory"
    HOME = "the home folder"
    """Harmless when a fixture points ``HOME`` at a temporary folder first."""
    OUTSIDE = "a fixed location"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PathValue:
    origin: Origin
    is_path: bool
    """A ``pathlib``/``py.path`` object, so ``.rename``/``.replace``/``.open`` touch files."""


UNKNOWN = PathValue(Origin.UNKNOWN, False)

TMP_FIXTURES = frozenset(
    {"tmp_path", "tmpdir", "tmp_path_factory", "tmpdir_factory", "pytester", "testdir"}
)
PATH_TYPES = frozenset(
    {
        "Path",
        "PurePath",
        "PosixPath",
        "PurePosixPath",
        "WindowsPath",
        "PureWindowsPath",
        "local",
        "LocalPath",
    }
)
STRING_PATH_FUNCTIONS = frozenset(
    {
        "str",
        "os.fspath",
        "os.fsencode",
        "os.fsdecode",
        "os.path.join",
        "os.path.abspath",
        "os.path.realpath",
        "os.path.normpath",
        "os.path.normcase",
        "os.path.dirname",
    }
)
PATH_METHODS = frozenset(
    {
        "joinpath",
        "with_name",
        "with_suffix",
        "with_stem",
        "resolve",
        "absolute",
        "expanduser",
        "join",
        "mkdir",
        "ensure",
        "mktemp",
        "getbasetemp",
        "iterdir",
        "glob",
        "rglob",
    }
)
OUTSIDE_ATTRIBUTES = frozenset({"rootdir", "rootpath", "fspath", "invocation_dir"})
CONFIG_ATTRIBUTES = frozenset({"rootdir", "rootpath", "invocation_dir"})
"""Attributes of pytest's ``Config`` alone: on another object (a suite's temporary-folder
helper's ``self.files.rootdir``) they name nothing known."""


def _config_receiver(node: ast.expr) -> bool:
    """Whether ``node`` reads as pytest's ``Config``: ``config``, ``pytestconfig``,
    ``request.config``, ``self.config``."""
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
    return name.lower().endswith("config")


CWD_CALLS = frozenset({"os.getcwd", "os.getcwdb", "Path.cwd", "pathlib.Path.cwd"})
HOME_CALLS = frozenset({"Path.home", "pathlib.Path.home", "os.path.expanduser"})
NULL_DEVICES = frozenset({"/dev/null", "nul", "NUL"})
_ABSOLUTE = re.compile(r"^(/|~|[A-Za-z]:[\\/]|\\\\)")
_KERNEL_FILES = re.compile(r"^/(?:proc|sys|dev)(?:/|$)")
"""Linux's pseudo-filesystems: writing ``/proc/self/comm`` or a device stores no file."""


def replaces_path_home(call: ast.Call) -> bool:
    """Whether ``call`` sets ``Path.home`` to something else: ``monkeypatch.setattr(Path,
    "home", f)``, ``monkeypatch.setattr("pathlib.Path.home", f)`` (or the builtin
    ``setattr``), ``mock.patch("pathlib.Path.home", ...)`` or ``mock.patch.object(Path, "home",
    ...)``. ``os.path.expanduser`` still reads ``HOME``."""
    name = dotted_name(call.func) or ""
    if name.rpartition(".")[2] not in ("setattr", "patch", "object") or not call.args:
        return False
    first = call.args[0]
    if isinstance(first, ast.Constant):
        return isinstance(first.value, str) and first.value.split(".")[-2:] == ["Path", "home"]
    second = call.args[1] if len(call.args) >= 2 else None
    return (
        (dotted_name(first) or "").rpartition(".")[2] == "Path"
        and isinstance(second, ast.Constant)
        and second.value == "home"
    )


def literal_origin(text: str) -> Origin:
    if text in NULL_DEVICES or _KERNEL_FILES.match(text):
        return Origin.TMP  # leaves nothing behind
    if not text:
        return Origin.UNKNOWN
    return Origin.OUTSIDE if _ABSOLUTE.match(text) else Origin.RELATIVE


SYSTEM_TEMP_FOLDERS = frozenset({"/tmp", "/tmp/", "/var/tmp", "/var/tmp/"})
UNIQUE_NAME_CALLS = frozenset({"uuid1", "uuid4", "token_hex", "token_urlsafe"})
"""Calls that make a fresh name (``uuid.uuid4().hex``, ``secrets.token_hex()``)."""


def _unique_in_system_temp(args: Sequence[ast.expr], callee: Callable[[ast.Call], str]) -> bool:
    """``os.path.join("/tmp", uuid.uuid4().hex)``: a fresh name in the system's temporary
    folder, as ``tempfile.mkstemp()`` makes one (a fixed name there, ``/tmp/shared.lock``, is
    shared by every run and stays reported)."""
    first = args[0] if args else None
    if not isinstance(first, ast.Constant) or first.value not in SYSTEM_TEMP_FOLDERS:
        return False
    return any(
        isinstance(node, ast.Call) and callee(node).rpartition(".")[2] in UNIQUE_NAME_CALLS
        for arg in args[1:]
        for node in ast.walk(arg)
    )


class PathFlow:
    """Bindings of names to path origins, per scope, fed by the rule's visit methods."""

    def __init__(self, callee: Callable[[ast.Call], str]) -> None:
        self.scopes: dict[ast.AST, dict[str, PathValue]] = {}
        self.callee = callee
        """The dotted name of a call's callee (``FileContext.callee``)."""
        self.home_patched: set[ast.AST] = set()
        """Functions that replaced ``Path.home`` (``monkeypatch.setattr(Path, "home", f)``):
        from then on their ``Path.home()`` is whatever ``f`` returns, not the home folder
        (ZE4); ``os.path.expanduser`` still reads ``HOME``."""

    def enter_function(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scopes[func] = {
            name: PathValue(Origin.TMP, True) if name in TMP_FIXTURES else UNKNOWN
            for name in parameter_names(func)
        }

    def bind(self, ancestors: Sequence[ast.AST], target: ast.AST, value: ast.expr | None) -> None:
        """Bind ``target = value`` in the innermost scope (tuples pairwise, others unknown)."""
        owner = next((n for n in reversed(ancestors) if isinstance(n, FUNCTION_NODES)), None)
        scope = self.scopes.setdefault(owner if owner is not None else ancestors[0], {})
        if isinstance(target, ast.Name):
            scope[target.id] = UNKNOWN if value is None else self.value(value, ancestors)
        elif isinstance(target, ast.Tuple | ast.List):
            values = value.elts if isinstance(value, ast.Tuple | ast.List) else []
            for index, element in enumerate(target.elts):
                self.bind(
                    ancestors, element, values[index] if len(values) == len(target.elts) else None
                )

    def lookup(self, name: str, ancestors: Sequence[ast.AST]) -> PathValue:
        for node in reversed(ancestors):
            scope = self.scopes.get(node)
            if scope is not None and name in scope:
                return scope[name]
        if name == "__file__":
            return PathValue(Origin.OUTSIDE, False)
        return UNKNOWN

    def value(self, node: ast.expr, ancestors: Sequence[ast.AST]) -> PathValue:
        """The origin of the path ``node`` evaluates to, and whether it is a path object."""
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                return PathValue(literal_origin(node.value), False)
            return UNKNOWN
        if isinstance(node, ast.JoinedStr):
            first = node.values[0] if node.values else None
            parts = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
            if self._any_tmp(parts, ancestors):
                return PathValue(Origin.TMP, False)  # ``f"\\\\?\\{tmp_path}"``
            if isinstance(first, ast.FormattedValue):
                return PathValue(self.value(first.value, ancestors).origin, False)
            return self.value(first, ancestors) if isinstance(first, ast.Constant) else UNKNOWN
        if isinstance(node, ast.Name):
            return self.lookup(node.id, ancestors)
        if isinstance(node, ast.Attribute):
            if dotted_name(node) == "os.devnull":
                return PathValue(Origin.TMP, False)
            if node.attr in OUTSIDE_ATTRIBUTES and (
                node.attr not in CONFIG_ATTRIBUTES or _config_receiver(node.value)
            ):
                return PathValue(Origin.OUTSIDE, True)
            inner = self.value(node.value, ancestors)
            return PathValue(inner.origin, inner.is_path and node.attr == "parent")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div | ast.Add):
            if self._any_tmp([node.right], ancestors):
                return PathValue(Origin.TMP, isinstance(node.op, ast.Div))
            inner = self.value(node.left, ancestors)
            return PathValue(inner.origin, inner.is_path or isinstance(node.op, ast.Div))
        if isinstance(node, ast.Subscript | ast.Starred):
            return PathValue(self.value(node.value, ancestors).origin, False)
        if isinstance(node, ast.IfExp):
            body, orelse = self.value(node.body, ancestors), self.value(node.orelse, ancestors)
            return body if body == orelse else UNKNOWN
        if isinstance(node, ast.Call):
            return self._call(node, ancestors)
        return UNKNOWN

    def _call(self, node: ast.Call, ancestors: Sequence[ast.AST]) -> PathValue:
        callee = self.callee(node)
        last = callee.rpartition(".")[2]
        if callee.startswith("tempfile.") or last in ("mkdtemp", "mkstemp", "gettempdir"):
            return PathValue(Origin.TMP, False)
        if callee in CWD_CALLS:
            return PathValue(Origin.RELATIVE, callee != "os.getcwd")
        if callee in HOME_CALLS:
            if callee != "os.path.expanduser" and self.home_patched.intersection(ancestors):
                return UNKNOWN
            return PathValue(Origin.HOME, callee != "os.path.expanduser")
        if last in PATH_TYPES or callee in STRING_PATH_FUNCTIONS:
            if not node.args:
                return PathValue(Origin.RELATIVE, last in PATH_TYPES)
            if self._any_tmp(node.args[1:], ancestors):
                return PathValue(Origin.TMP, last in PATH_TYPES)
            if _unique_in_system_temp(node.args, self.callee):
                return PathValue(Origin.TMP, last in PATH_TYPES)
            inner = self.value(node.args[0], ancestors)
            return PathValue(inner.origin, last in PATH_TYPES)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "isolated_filesystem":
            # click's CliRunner: a new temporary folder, inside ``temp_dir`` when one is given
            temp_dir = next((k.value for k in node.keywords if k.arg == "temp_dir"), None)
            return PathValue(
                Origin.TMP if temp_dir is None else self.value(temp_dir, ancestors).origin, False
            )
        if isinstance(node.func, ast.Attribute) and node.func.attr in PATH_METHODS:
            if node.func.attr == "joinpath" and self._any_tmp(node.args, ancestors):
                return PathValue(Origin.TMP, True)
            inner = self.value(node.func.value, ancestors)
            return PathValue(inner.origin, inner.is_path)
        return UNKNOWN

    def _any_tmp(self, parts: Sequence[ast.expr], ancestors: Sequence[ast.AST]) -> bool:
        """Whether a later part of a joined path is a temporary folder: an absolute path
        replaces what ``os.path.join``, ``Path(a, b)`` and ``/`` joined before it, and a text
        prefix (``"\\\\?\\" + str(tmp_path)``, Windows' long-path form) does not move it."""
        return any(self.value(part, ancestors).origin is Origin.TMP for part in parts)
