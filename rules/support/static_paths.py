"""Folders that a test module computes from its own ``__file__``, read without running it, and
the folder pytest's default import mode puts on ``sys.path`` before importing the module.

A module that adds its project's root to ``sys.path`` at import time (``sys.path.insert(0,
os.path.dirname(os.path.dirname(os.path.abspath(__file__))))``, docutils' ``if
str(ROOT) not in sys.path: sys.path.insert(0, str(ROOT))``) changes nothing under
``--import-mode=prepend`` when that folder is the one pytest has just put first to import the
module (the first folder above it without an ``__init__.py``): the entry is there already, the
added one is a duplicate, and no import finds anything else. APT204 needs both folders as
project-relative paths; anything it cannot compute for certain is None (not sure: reported).
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import PurePosixPath

from apytest.rules.support.astutil import assignment, dotted_name
from apytest.rules.support.global_state import SAME_FOLDER_CALLS, SAME_FOLDER_METHODS

Parts = tuple[str, ...]
"""A project-relative folder as its parts (``()`` is the root)."""
_DEPTH = 8
"""How many module-level names deep a path may be built (``HERE``, then ``ROOT`` from it)."""


def store_counts(tree: ast.AST) -> dict[str, int]:
    """How many times each name is assigned anywhere in ``tree``."""
    stores: dict[str, int] = {}
    for sub in ast.walk(tree):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            stores[sub.id] = stores.get(sub.id, 0) + 1
    return stores


def module_bindings(
    module: ast.Module | ast.FunctionDef | ast.AsyncFunctionDef,
) -> dict[str, ast.expr]:
    """Names a module's top level assigns exactly once (``ROOT = Path(__file__).parents[1]``)
    and nothing else in the file binds (not in an ``if``, a loop, a function: not sure); of a
    function, its own body's such names."""
    return _bound_once(module, module.body)


def top_statements(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements a module's import runs (or may run): its top level and what its ``if``,
    ``try`` and ``with`` blocks hold, never a function's or a class's body."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from top_statements(stmt.body)
            yield from top_statements(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            for block in (stmt.body, stmt.orelse, stmt.finalbody):
                yield from top_statements(block)
        elif isinstance(stmt, ast.With):
            yield from top_statements(stmt.body)


def import_bindings(module: ast.Module) -> dict[str, ast.expr]:
    """Names that a module's import binds by a plain assignment, at its top level or in an
    ``if``/``else``, ``try`` or ``with`` block there, when nothing else in the file binds them:
    whichever branch runs, a read of such a name that does not fail reads that value.
    pywinauto's tests bind ``parent_dir = os.path.dirname(...)`` in an ``else:`` and then put a
    folder below it on ``sys.path`` (DZ2); ovs-dbg's ``__init__.py`` binds its ``vendor_dir``
    under ``if "ovs" not in sys.modules:`` (CV1). A module's own top-level names
    (``module_bindings``) are among them."""
    return _bound_once(module, top_statements(module.body))


def _bound_once(tree: ast.AST, statements: Iterable[ast.stmt]) -> dict[str, ast.expr]:
    """The names that ``statements`` assign a value, of those ``tree`` stores only once."""
    stores = store_counts(tree)
    bound: dict[str, ast.expr] = {}
    for stmt in statements:
        parts = assignment(stmt)
        if parts is None:
            continue
        targets, value = parts
        for target in targets:
            if isinstance(target, ast.Name) and stores.get(target.id) == 1:
                bound[target.id] = value
    return bound


PATH_MODULES = frozenset({"os", "os.path", "pathlib"})
"""Modules whose functions a path expression may call by a name imported from them."""


def imported_path_names(module: ast.Module) -> dict[str, str]:
    """Names the module's top level imports from the path modules, with what they name
    (``from os.path import dirname, join`` binds ``dirname`` to ``os.path.dirname``, ``import
    os.path as osp`` binds ``osp`` to ``os.path``), so that ``join(dirname(dirname(__file__)),
    "src")`` reads as its ``os.path`` spelling (ZE2: pynzbget's tests put the package folder
    first so). A name bound anywhere else in the file too is left out: not sure."""
    stored = {
        sub.id
        for sub in ast.walk(module)
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store)
    }
    found: dict[str, str] = {}
    counts: dict[str, int] = {}
    for node in ast.walk(module):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        for alias in node.names:
            local = alias.asname or alias.name.partition(".")[0]
            counts[local] = counts.get(local, 0) + 1
            if node not in module.body:
                continue
            if isinstance(node, ast.ImportFrom):
                if not node.level and node.module in PATH_MODULES:
                    found[local] = f"{node.module}.{alias.name}"
            elif alias.asname and alias.name in PATH_MODULES:
                found[local] = alias.name
    return {
        name: value
        for name, value in found.items()
        if counts.get(name) == 1 and name not in stored and name != value
    }


def _inline_import_name(node: ast.expr) -> str | None:
    """The dotted name of an attribute taken of an inline import, as if the module were
    imported (``pathlib.Path`` for ``__import__("pathlib").Path``, BB1: a module that imports
    ``pathlib`` only where it puts its own folder on ``sys.path``). ``__import__("a.b")``
    returns the top-level package ``a``, so the name starts there. None for anything else
    (keywords, a computed name, no attribute after the call)."""
    attributes: list[str] = []
    while isinstance(node, ast.Attribute):
        attributes.append(node.attr)
        node = node.value
    if not (
        attributes
        and isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "__import__"
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return None
    top = node.args[0].value.partition(".")[0]
    return ".".join((top, *reversed(attributes))) if top.isidentifier() else None


def _step(parts: Parts | None, piece: str) -> Parts | None:
    """``parts`` joined with one relative path string (``".."`` goes up, never above root)."""
    if parts is None or piece.startswith("/"):
        return None
    for name in PurePosixPath(piece).parts:
        if name == "..":
            if not parts:
                return None
            parts = parts[:-1]
        elif name != ".":
            parts = (*parts, name)
    return parts


def _parent(parts: Parts | None, levels: int = 1) -> Parts | None:
    if parts is None or levels > len(parts):
        return None
    return parts[: len(parts) - levels]


class PathEvaluator:
    """Evaluates path expressions of one module, whose project-relative path is ``file``."""

    def __init__(
        self,
        file: str,
        bindings: Mapping[str, ast.expr],
        imported: Mapping[str, str] | None = None,
        limit: int = _DEPTH,
        origins: Mapping[str, Parts] | None = None,
    ) -> None:
        self.file: Parts = PurePosixPath(file).parts
        self.bindings = bindings
        self.imported = imported or {}
        """The module's names for path functions (:func:`imported_path_names`)."""
        self.origins = origins or {}
        """DD1: packages whose ``importlib.util.find_spec(NAME).origin`` the caller knows (a
        top package's ``__init__.py``, as project-relative parts)."""
        self.limit = limit
        """How deep an expression may nest, names followed included (a guard against names
        bound in a cycle): a test's own names over the module's take more (AX3)."""

    def _callee(self, node: ast.Call) -> str:
        """What ``node`` calls, in its module's spelling (``os.path.dirname`` for a
        ``dirname`` imported from ``os.path``, ``pathlib.Path`` for
        ``__import__("pathlib").Path``)."""
        inline = _inline_import_name(node.func)
        if inline is not None:
            return inline  # the module's own name, whatever the file binds to it
        callee = dotted_name(node.func) or ""
        head, dot, rest = callee.partition(".")
        known = self.imported.get(head)
        return callee if known is None else known + dot + rest

    def folder(self, node: ast.expr, depth: int = 0) -> Parts | None:
        """The project-relative path ``node`` stands for, or None when not sure."""
        if depth > self.limit:
            return None
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return self.file
            bound = self.bindings.get(node.id)
            return None if bound is None else self.folder(bound, depth + 1)
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            return _parent(self.folder(node.value, depth + 1))
        if isinstance(node, ast.Attribute) and node.attr == "origin":
            return self._origin(node.value, depth)
        if isinstance(node, ast.Subscript):
            return self._parents(node, depth)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            piece = node.right.value if isinstance(node.right, ast.Constant) else None
            base = self.folder(node.left, depth + 1)
            return _step(base, piece) if isinstance(piece, str) else None
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        return None

    def _origin(self, node: ast.expr, depth: int) -> Parts | None:
        """DD1: ``importlib.util.find_spec("NAME").origin`` (the call or a name bound to it)
        of a package in ``origins``: its ``__init__.py``."""
        while isinstance(node, ast.Name) and depth <= self.limit:
            bound = self.bindings.get(node.id)
            if bound is None:
                return None
            node, depth = bound, depth + 1
        if not (
            isinstance(node, ast.Call)
            and self._callee(node) == "importlib.util.find_spec"
            and len(node.args) == 1
            and not node.keywords
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            return None
        return self.origins.get(node.args[0].value)

    def _parents(self, node: ast.Subscript, depth: int) -> Parts | None:
        """``x.parents[N]``: N + 1 levels up."""
        value, index = node.value, node.slice
        if not (isinstance(value, ast.Attribute) and value.attr == "parents"):
            return None
        if not isinstance(index, ast.Constant) or type(index.value) is not int:
            return None
        return _parent(self.folder(value.value, depth + 1), index.value + 1)

    def _call(self, node: ast.Call, depth: int) -> Parts | None:
        callee = self._callee(node)
        args = node.args
        if node.keywords or any(isinstance(a, ast.Starred) for a in args):
            return None
        # the path given, in another spelling (absolute already: ``__file__`` is, under pytest)
        if callee in SAME_FOLDER_CALLS and len(args) == 1:
            return self.folder(args[0], depth + 1)
        if callee == "os.path.dirname" and len(args) == 1:
            return _parent(self.folder(args[0], depth + 1))
        if callee == "os.path.join" and args:
            return self._joined(args, depth)
        if callee in ("os.sep.join", "os.path.sep.join") and len(args) == 1:
            # FL1: ``os.path.sep.join((os.path.dirname(__file__), "../samples/"))`` (the
            # separator joining a tuple or list literal) reads as ``os.path.join`` of its items
            items = args[0]
            if isinstance(items, ast.Tuple | ast.List) and items.elts:
                return self._joined(items.elts, depth)
            return None
        method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        if method in SAME_FOLDER_METHODS and not args and isinstance(node.func, ast.Attribute):
            return self.folder(node.func.value, depth + 1)
        return None

    def _joined(self, args: Sequence[ast.expr], depth: int) -> Parts | None:
        """``os.path.join(first, "piece", ...)``: the first argument's folder, then each piece
        (a string constant; anything else is not sure)."""
        parts = self.folder(args[0], depth + 1)
        for arg in args[1:]:
            piece = arg.value if isinstance(arg, ast.Constant) else None
            parts = _step(parts, piece) if isinstance(piece, str) else None
        return parts


def added_path_argument(call: ast.Call) -> ast.expr | None:
    """The folder argument of ``sys.path.insert(i, p)``, ``sys.path.append(p)`` or
    ``site.addsitedir(p)`` (matched by method name: the caller knows the callee), None when
    the call does not spell it out."""
    if not isinstance(call.func, ast.Attribute) or call.keywords:
        return None
    method, args = call.func.attr, call.args
    if method == "insert":
        return args[1] if len(args) == 2 else None
    if method in ("append", "addsitedir"):
        return args[0] if len(args) == 1 else None
    return None


def working_folder(node: ast.expr) -> Parts | None:
    """The project-relative folder a relative path literal names (``sys.path.append(
    "./scripts")``), read from the project's root (AQ5): such a path is relative to the working
    directory, and a suite that spells one expects to run from the root, where its own files
    live; a folder of the tree found there holds the suite's own modules, not a distribution's.
    None for anything else (an absolute path, one above the root, a computed one)."""
    if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or not node.value:
        return None
    return _step((), node.value)


def prepended_folder(file: str, package_dirs: frozenset[str]) -> Parts | None:
    """The folder ``--import-mode=prepend`` puts first on ``sys.path`` to import the module at
    ``file``: the parent of its outermost package (folders with an ``__init__.py`` and an
    identifier name), its own folder outside packages; None above the project's root."""
    parts = PurePosixPath(file).parts[:-1]
    while "/".join(parts) in package_dirs:
        if not parts:
            return None  # the root is a package itself: the folder is above it
        parts = parts[:-1]
    return parts


def imported_folder(module_path: str, source: str, name: str) -> str | None:
    """The project-relative folder a module (at ``module_path``, with text ``source``) binds
    ``name`` to at its top level, computed from its own ``__file__`` (``root =
    Path(__file__).parent.parent``), or None when not sure (a syntax error, another binding)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    evaluator = PathEvaluator(module_path, module_bindings(tree), imported_path_names(tree))
    folder = evaluator.folder(ast.Name(name, ast.Load()))
    return None if folder is None else "/".join(folder)


EXISTENCE_METHODS = {"exists": "exists", "is_dir": "is_dir", "is_file": "is_file"}
"""``Path`` methods true only where the path they are called on exists, by what they say of
it: ``exists`` (anything), ``is_dir`` (a folder), ``is_file`` (a file)."""
EXISTENCE_FUNCTIONS = {
    "os.path.exists": "exists",
    "os.path.lexists": "exists",
    "os.path.isdir": "is_dir",
    "os.path.isfile": "is_file",
}
"""The ``os.path`` functions alike, by the same words."""
FOLDER_CHECKS = frozenset({"exists", "is_dir"})
"""The checks that hold where a folder exists."""


def existence_checked(call: ast.expr) -> tuple[str, ast.expr] | None:
    """What an existence check says and the path it tests: ``p.exists()``, ``p.is_file()``,
    ``os.path.isdir(p)``, ... give ``("exists", p)``, ``("is_file", p)``, ``("is_dir", p)``;
    None for any other expression."""
    if not isinstance(call, ast.Call) or call.keywords:
        return None
    function = call.func
    if not call.args and isinstance(function, ast.Attribute) and function.attr in EXISTENCE_METHODS:
        return EXISTENCE_METHODS[function.attr], function.value
    kind = EXISTENCE_FUNCTIONS.get(dotted_name(function) or "")
    return (kind, call.args[0]) if kind is not None and len(call.args) == 1 else None


def same_folder_spelling(path: ast.expr) -> ast.expr:
    """The path that ``Path(path)``, ``str(path)``, ``os.fspath(path)`` (any of
    ``SAME_FOLDER_CALLS`` of one argument, nested too) name another spelling of."""
    while (
        isinstance(path, ast.Call)
        and len(path.args) == 1
        and not path.keywords
        and dotted_name(path.func) in SAME_FOLDER_CALLS
    ):
        path = path.args[0]
    return path


def _checks_existence_of(test: ast.expr, path: ast.expr) -> bool:
    """Whether ``test`` holds only where the folder ``path`` names exists: ``p.exists()``,
    ``p.is_dir()``, ``os.path.exists(p)`` or ``os.path.isdir(p)`` of the same expression
    (``str(p)`` alike), alone or in an ``and`` (never under a ``not``)."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_checks_existence_of(value, path) for value in test.values)
    found = existence_checked(test)
    return (
        found is not None
        and found[0] in FOLDER_CHECKS
        and ast.dump(same_folder_spelling(found[1])) == ast.dump(same_folder_spelling(path))
    )


def _enclosing(body: list[ast.stmt], target: ast.AST) -> list[tuple[ast.stmt, bool]] | None:
    """The compound statements of a module's top level (no function or class) that the
    statement ``target`` lies in, outermost first, each with whether ``target`` lies in its
    main body (an ``if``'s body, a loop's): None when it is none of theirs."""
    for statement in body:
        if statement is target:
            return []
        branches: list[tuple[list[ast.stmt], bool]] = []
        if isinstance(statement, ast.If | ast.For | ast.While):
            branches = [(statement.body, True), (statement.orelse, False)]
        elif isinstance(statement, ast.With):
            branches = [(statement.body, True)]
        elif isinstance(statement, ast.Try | ast.TryStar):
            branches = [(statement.body, True), (statement.orelse, False)]
            branches += [(handler.body, False) for handler in statement.handlers]
            branches.append((statement.finalbody, False))
        for branch, main in branches:
            inner = _enclosing(branch, target)
            if inner is not None:
                return [(statement, main), *inner]
    return None


class _Substituted(ast.NodeTransformer):
    """A loop variable replaced by one of the strings the loop walks."""

    def __init__(self, name: str, value: str) -> None:
        self.name = name
        self.value = value

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id == self.name and isinstance(node.ctx, ast.Load):
            return ast.copy_location(ast.Constant(self.value), node)
        return node


def _substituted(node: ast.expr, name: str, value: str) -> ast.expr:
    result = _Substituted(name, value).visit(copy.deepcopy(node))
    assert isinstance(result, ast.expr)
    return result


def existence_guarded_folders(module: ast.Module, file: str, call: ast.Call) -> tuple[str, ...]:
    """CD1: the project-relative folders a module-level ``sys.path.insert(i, p)``/``append(p)``
    adds, when it sits in the body of an ``if`` that holds only where ``p`` exists (``if
    p.exists() and str(p) not in sys.path:``), ``p`` computed from the module's ``__file__``;
    in a ``for`` over literal strings, one folder per string (omni-suite's benchmark conftest:
    ``for name in ("Omni_Pre_Processor", ...): src = ROOT / name / "src"``). A tree that holds
    none of them never makes the change. Empty when not computed for certain (another loop,
    a name bound again, a path the evaluator cannot read)."""
    added = added_path_argument(call)
    statement = next(
        (node for node in ast.walk(module) if isinstance(node, ast.Expr) and node.value is call),
        None,
    )
    if added is None or statement is None:
        return ()
    chain = _enclosing(module.body, statement)
    if not chain or not any(
        isinstance(outer, ast.If) and main and _checks_existence_of(outer.test, added)
        for outer, main in chain
    ):
        return ()
    loops = [outer for outer, _main in chain if isinstance(outer, ast.For | ast.While)]
    stores: dict[str, int] = {}
    for sub in ast.walk(module):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            stores[sub.id] = stores.get(sub.id, 0) + 1
    bindings = dict(module_bindings(module))
    imported = imported_path_names(module)
    if not loops:
        folder = PathEvaluator(file, bindings, imported).folder(added)
        return () if folder is None else ("/".join(folder),)
    loop = loops[0]
    if len(loops) > 1 or not isinstance(loop, ast.For) or not isinstance(loop.target, ast.Name):
        return ()
    name = loop.target.id
    values = loop.iter.elts if isinstance(loop.iter, ast.Tuple | ast.List) else []
    texts = [v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    if not texts or len(texts) != len(values) or stores.get(name) != 1:
        return ()
    own = {
        target.id: part.value
        for part in loop.body
        if isinstance(part, ast.Assign) and len(part.targets) == 1
        for target in part.targets
        if isinstance(target, ast.Name) and stores.get(target.id) == 1
    }
    found: list[str] = []
    for text in texts:
        turn = {**bindings, **{k: _substituted(v, name, text) for k, v in own.items()}}
        folder = PathEvaluator(file, turn, imported).folder(_substituted(added, name, text))
        if folder is None:
            return ()
        found.append("/".join(folder))
    return tuple(sorted(set(found)))
