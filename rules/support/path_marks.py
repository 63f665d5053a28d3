"""Markers a collection hook gives the tests of a path (BD2).

A conftest's ``pytest_collection_modifyitems`` may mark tests by where they live, instead of
each test module marking its own::

    for item in items:
        group = Path(str(item.fspath)).parent.name
        if group == "live_provider":
            item.add_marker(pytest.mark.e2e)

Every test below ``live_provider/`` bears ``e2e`` then, a resource marker CI deselects, as if
written on the test (prismai-sdk, the twenty-first round's AU5). Only a marker added in the
body of an ``if`` whose condition compares the item's path (``fspath``, ``path``, ``nodeid``,
or a name the hook binds from one of them) with strings counts, for the paths holding one of
those strings; a condition that negates (``not``, ``!=``, ``not in``) says nothing.
"""

from __future__ import annotations

import ast

from apytest.rules.support.astutil import dotted_name, string_value

MARKING_HOOKS = frozenset({"pytest_collection_modifyitems", "pytest_itemcollected"})
"""Hooks that see each collected item, and may add markers to it."""

PATH_ATTRIBUTES = frozenset({"fspath", "path", "nodeid"})
"""An item's attributes that say where its test lives."""


def path_marks(hook: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[str, tuple[str, ...]]]:
    """``(text, markers)``: the markers the hook adds to items whose path holds ``text``."""
    about_path = _path_names(hook)
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in _walk(hook.body):
        if not isinstance(node, ast.If):
            continue
        texts = _compared_texts(node.test, about_path)
        markers = tuple(sorted({m for n in _walk(node.body) if (m := _added_marker(n))}))
        if texts and markers:
            found.extend((text, markers) for text in texts)
    return found


def _walk(body: list[ast.stmt]) -> list[ast.AST]:
    """The nodes of ``body``, not those of the functions and classes it defines."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return found


def _mentions_path(node: ast.AST, about_path: set[str]) -> bool:
    return any(
        (isinstance(n, ast.Attribute) and n.attr in PATH_ATTRIBUTES)
        or (isinstance(n, ast.Name) and n.id in about_path)
        for n in ast.walk(node)
    )


def _path_names(hook: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The names the hook binds from an item's path, or from such a name, by assignment."""
    assignments = [
        (target.id, node.value)
        for node in _walk(hook.body)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    ]
    names: set[str] = set()
    grew = True
    while grew:
        found = {name for name, value in assignments if _mentions_path(value, names)}
        grew = not found <= names
        names |= found
    return names


def _compared_texts(test: ast.expr, about_path: set[str]) -> list[str]:
    """The strings a condition compares the item's path with (``==``, ``in``, ``startswith``,
    ``endswith``), when it negates nothing."""
    if any(
        isinstance(n, ast.Not | ast.NotEq | ast.NotIn | ast.IsNot) for n in ast.walk(test)
    ) or not _mentions_path(test, about_path):
        return []
    texts: list[str] = []
    for node in ast.walk(test):
        if isinstance(node, ast.Compare) and all(
            isinstance(op, ast.Eq | ast.In) for op in node.ops
        ):
            sides = [node.left, *node.comparators]
            if any(_mentions_path(side, about_path) for side in sides):
                texts.extend(t for side in sides if (t := string_value(side)))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("startswith", "endswith")
            and _mentions_path(node.func.value, about_path)
        ):
            texts.extend(t for arg in node.args if (t := string_value(arg)))
    return [text for text in texts if text.strip("/\\.")]


def _added_marker(node: ast.AST) -> str | None:
    """The marker an ``item.add_marker(pytest.mark.NAME)`` call adds (``"NAME"`` too)."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "add_marker"
        and node.args
    ):
        return None
    mark = node.args[0].func if isinstance(node.args[0], ast.Call) else node.args[0]
    written = string_value(mark)
    if written is not None:
        return written if written.isidentifier() else None
    prefix, _, name = (dotted_name(mark) or "").rpartition(".")
    return name if prefix.endswith("mark") and name.isidentifier() else None
