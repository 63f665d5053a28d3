"""Literal values of a Python module read with ``ast`` (``setup.py``, ``noxfile.py``), never run.

Strings, lists, tuples (also with ``*name`` of a list spliced in), dicts with string keys,
``+`` of lists, and names bound exactly once in the module (at its top level, never
reassigned, augmented or changed by ``.append`` and the like) to such values. Anything else
is :data:`UNKNOWN`: the caller then says the declarations are not statically readable.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apytest.common.files import read_regular
from apytest.common.settings import MAX_BYTES
from apytest.lint.source import decode, parse

if TYPE_CHECKING:
    from apytest.lint.declarations.collector import Collector

UNKNOWN = object()
_MAX_DEPTH = 50
_MUTATORS = frozenset(
    {"append", "extend", "insert", "update", "setdefault", "pop", "remove", "clear"}
)


class Literals:
    """Evaluates the literal expressions of one module, with names bound once to literals."""

    def __init__(self, tree: ast.Module) -> None:
        stores: dict[str, int] = {}
        item_stores: dict[str, int] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                stores[node.id] = stores.get(node.id, 0) + 1
            elif isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load):
                root = node.value
                while isinstance(root, ast.Subscript):  # ``extras["test"]["x"] = ...`` too
                    root = root.value
                if isinstance(root, ast.Name):
                    item_stores[root.id] = item_stores.get(root.id, 0) + 1
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                receiver = node.func.value
                if isinstance(receiver, ast.Name) and node.func.attr in _MUTATORS:
                    stores[receiver.id] = stores.get(receiver.id, 0) + 2
        self.bindings: dict[str, ast.expr] = {}
        for statement in tree.body:
            target, value = None, None
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target, value = statement.targets[0], statement.value
            elif isinstance(statement, ast.AnnAssign):
                target, value = statement.target, statement.value
            if isinstance(target, ast.Name) and value is not None and stores[target.id] == 1:
                self.bindings[target.id] = value
        self.items: dict[str, list[tuple[str, ast.expr]]] = {}
        """``extras["test"] = [...]`` statements of the module body, per dict name, in order."""
        for statement in tree.body:
            if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
                continue
            target = statement.targets[0]
            if (
                isinstance(target, ast.Subscript)
                and isinstance(target.value, ast.Name)
                and isinstance(target.slice, ast.Constant)
                and isinstance(target.slice.value, str)
            ):
                self.items.setdefault(target.value.id, []).append(
                    (target.slice.value, statement.value)
                )
        for name, count in item_stores.items():
            if count != len(self.items.get(name, ())):
                self.bindings.pop(name, None)  # an item set elsewhere, deleted or computed
        self._building: dict[str, dict[str, Any]] = {}

    def value(self, node: ast.expr, depth: int = 0) -> Any:
        """A tree of str/list/dict whose strings are ``(text, line, col)``; UNKNOWN if not."""
        if depth > _MAX_DEPTH:
            return UNKNOWN
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return (node.value, node.lineno, node.col_offset + 1)
        if isinstance(node, (ast.List, ast.Tuple)):
            items: list[Any] = []
            for element in node.elts:
                if isinstance(element, ast.Starred):  # ``[*base, "pytest"]`` (YB4)
                    spliced = self.value(element.value, depth + 1)
                    if not isinstance(spliced, list):
                        return UNKNOWN
                    items.extend(spliced)
                    continue
                item = self.value(element, depth + 1)
                if item is UNKNOWN:
                    return UNKNOWN
                items.append(item)
            return items
        if isinstance(node, ast.Dict):
            out: dict[str, Any] = {}
            for key, item in zip(node.keys, node.values, strict=True):
                if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                    return UNKNOWN
                out[key.value] = self.value(item, depth + 1)
                if out[key.value] is UNKNOWN:
                    return UNKNOWN
            return out
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.value(node.left, depth + 1), self.value(node.right, depth + 1)
            if isinstance(left, list) and isinstance(right, list):
                return left + right
            return UNKNOWN
        if isinstance(node, ast.Name):
            if node.id in self._building:
                return self._building[node.id]  # ``extras["dev"]`` while filling ``extras``
            bound = self.bindings.get(node.id)
            if bound is None:
                return UNKNOWN
            if node.id in self.items:
                return self._filled_dict(node.id, bound, depth)
            return self.value(bound, depth + 1)
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
        ):
            container = self.value(node.value, depth + 1)
            if isinstance(container, dict) and node.slice.value in container:
                return container[node.slice.value]
        return UNKNOWN

    def _filled_dict(self, name: str, bound: ast.expr, depth: int) -> Any:
        """``extras = {}`` then ``extras["test"] = [...]`` statements of the module body: the
        dict with those items set in order (an item may read earlier ones)."""
        out = self.value(bound, depth + 1)
        if not isinstance(out, dict):
            return UNKNOWN
        self._building[name] = out
        try:
            for key, expr in self.items[name]:
                item = self.value(expr, depth + 1)
                if item is UNKNOWN and _reads(expr, name):
                    # ``extras["all"] = list(set(sum(extras.values(), [])))``: a union of the
                    # items before it, whose requirements those extras declare already
                    item = self._union(name, expr, depth)
                    if item is UNKNOWN:
                        continue
                if item is UNKNOWN:
                    return UNKNOWN
                out[key] = item
        finally:
            del self._building[name]
        return out

    def _union(self, name: str, expr: ast.expr, depth: int) -> Any:
        """The requirements of an item computed from all the items before it and literal lists
        passed along (``extras["tests"] = list(chain(*extras.values(), ["pytest"]))``, SB1):
        every earlier item's, then those lists'. An item that reads the dict otherwise
        (``extras["dev"] + read()``) or may pick some of its items (a comprehension, a
        condition) is UNKNOWN: the extra it fills is then not known to install any of them."""
        nodes = list(ast.walk(expr))
        reads = sum(isinstance(n, ast.Name) and n.id == name for n in nodes)
        values = sum(
            isinstance(n, ast.Attribute)
            and n.attr == "values"
            and isinstance(n.value, ast.Name)
            and n.value.id == name
            for n in nodes
        )
        if reads != values or any(
            isinstance(n, (ast.comprehension, ast.IfExp, ast.Compare)) for n in nodes
        ):
            return UNKNOWN
        items = self._building[name]
        union: list[Any] = list(items.values())  # ``strings`` reads nested lists through
        for node in nodes:
            for argument in node.args if isinstance(node, ast.Call) else ():
                value = self.value(argument, depth + 1)
                if isinstance(argument, (ast.List, ast.Tuple)) and isinstance(value, list):
                    union.append(value)
        return union


def _reads(expr: ast.expr, name: str) -> bool:
    """Whether ``expr`` reads the variable ``name``."""
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(expr))


def strings(value: Any) -> Iterator[tuple[str, int, int]]:
    """``(text, line, col)`` of each requirement line of a literal string or list of strings:
    one string may hold several lines, and ``#`` comments are dropped. Lists inside the list
    are read through, as setuptools reads them (its ``yield_lines`` flattens nested
    iterables): a trailing comma makes ``tests_require = ['mock', 'nose'],`` a tuple holding
    the list, which still declares both (RW2)."""
    items = [value] if isinstance(value, tuple) else value if isinstance(value, list) else []
    for item in items:
        if isinstance(item, list):
            yield from strings(item)
            continue
        if not isinstance(item, tuple):
            continue
        text, line, col = item
        for offset, part in enumerate(text.splitlines()):
            part = part.split("#", 1)[0].strip()
            if part:
                yield part, line + offset, col if offset == 0 else 1


def parse_python(collector: Collector, path: Path) -> ast.Module | None:
    """A declaration file written in Python (``setup.py``, ``noxfile.py``), parsed, never run.

    Read like every configuration file (a regular file up to ``MAX_BYTES``: a FIFO never
    blocks) and parsed like a test file (the compiler's warnings silenced); None, with the
    declarations marked incomplete, when it cannot be.
    """
    rel = collector.rel(path)
    try:
        return parse(decode(read_regular(path, MAX_BYTES)), rel)
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        collector.cannot_read(rel)
        return None
