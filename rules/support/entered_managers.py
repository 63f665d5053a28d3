"""Context managers that are in force around a change without a ``with`` around it.

APT204 leaves a change alone when it sits in a ``with`` of a context manager that puts the
state back (``_managers``). A function a test defines and calls only inside such ``with``
blocks keeps the manager in force around code that no ``with`` encloses (AK1:
``def rm(): os.environ.pop(K)`` then ``with OSEnvContext(): rm()``): the change runs only
while the manager is entered.

This gives the names of those managers, to be read like the names of a ``with`` around the
change (a manager of the project's own, or one of the file that restores the family).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from apytest.rules.support.astutil import FunctionNode, called_name


def managers_around_calls(owner: ast.AST | None, func: ast.AST | None) -> tuple[str, ...]:
    """For a function ``func`` defined inside ``owner``: the names of the ``with`` managers
    around every call of it in ``owner`` (none when it is never called, or passed on by name,
    since it may then run anywhere)."""
    if owner is None or not isinstance(func, FunctionNode) or func is owner:
        return ()
    found: list[frozenset[str]] = []
    for node, managers in _walk(owner, frozenset()):
        if node is func:
            continue
        if isinstance(node, ast.Name) and node.id == func.name and isinstance(node.ctx, ast.Load):
            found.append(managers)
    calls = sum(
        1
        for node, _ in _walk(owner, frozenset())
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == func.name
    )
    if not found or calls != len(found):
        return ()  # a use that is not a call: passed on, it may run outside the ``with``
    return tuple(sorted(frozenset.intersection(*found)))


def _walk(node: ast.AST, managers: frozenset[str]) -> Iterator[tuple[ast.AST, frozenset[str]]]:
    """Every node under ``node`` with the names of the ``with`` managers around it."""
    for child in ast.iter_child_nodes(node):
        yield child, managers
        if isinstance(child, ast.With | ast.AsyncWith):
            inner = managers | {
                called_name(item.context_expr)
                for item in child.items
                if isinstance(item.context_expr, ast.Call)
            }
            for item in child.items:
                yield from _walk(item, managers)
            for statement in child.body:
                yield statement, inner
                yield from _walk(statement, inner)
        else:
            yield from _walk(child, managers)
