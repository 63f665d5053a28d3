"""Which missing import an installed module's name depends on.

`module 'jwt.algorithms' has no attribute 'hashes'` reads like a changed API, and was answered
"bound pyjwt": but pyjwt defines `hashes` (and, under `if has_crypto:`, its RSA classes) only
when `cryptography` imports, inside a `try:` that catches ImportError. The name is missing
because an optional dependency of the dependency is, and no version bound brings it back.

The module's source is read from the import path, parsed with `ast` and never imported (the
review runs in pytest's process, after the tests). Only what the module binds at its top level
is judged, through `if`/`try` blocks: a name bound anywhere without such a guard, a source that
cannot be found or parsed, or guards whose imports are all installed give no answer.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})


def _source(module: str) -> Path | None:
    parts = module.split(".")
    for entry in sys.path:
        base = Path(entry or ".", *parts)
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(kind, ast.Name) and kind.id in _IMPORT_ERRORS for kind in kinds)


def _imported(body: list[ast.stmt]) -> list[str]:
    """The top-level packages the statements import (absolute imports only)."""
    found = []
    for node in body:
        if isinstance(node, ast.Import):
            found += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module.split(".")[0])
    return found


def _bound(node: ast.stmt) -> Iterator[str]:
    """The names one statement binds at its own level."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            yield alias.asname or alias.name.split(".")[0]
    elif isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        yield from (target.id for target in targets if isinstance(target, ast.Name))


class _Guards:
    """The guard of every top-level binding of `name`: the imports of the enclosing guarded
    `try:` (or of the `try:` that set the flag of an enclosing `if FLAG:`), or None."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.guards: list[tuple[str, ...] | None] = []
        self.flags: dict[str, tuple[str, ...]] = {}

    def visit(self, body: list[ast.stmt], guard: tuple[str, ...] | None) -> None:
        for node in body:
            if isinstance(node, ast.Try) and any(map(_catches_import_error, node.handlers)):
                imports = (*(guard or ()), *_imported(node.body))
                for flag in (n for s in node.body for n in _bound(s)):
                    self.flags[flag] = imports
                self.visit(node.body, imports)
                for handler in node.handlers:
                    self.visit(handler.body, guard)
                self.visit(node.orelse, imports)
                self.visit(node.finalbody, guard)
            elif isinstance(node, ast.If):
                test = node.test
                flagged = self.flags.get(test.id) if isinstance(test, ast.Name) else None
                self.visit(node.body, flagged if flagged is not None else guard)
                self.visit(node.orelse, guard)
            elif isinstance(node, ast.Try):
                for part in (node.body, *(h.body for h in node.handlers), node.orelse):
                    self.visit(part, guard)
                self.visit(node.finalbody, guard)
            elif self.name in _bound(node):
                # An import binding the name: its own package is the likeliest missing one.
                own = _imported([node]) if guard is not None else []
                self.guards.append(None if guard is None else (*own, *guard))


def missing_guard(module: str, name: str) -> str | None:
    """The top-level package, not installed here, that `module` must import to bind `name`;
    None when `name` is bound unguarded somewhere, or when no such package can be named."""
    path = _source(module)
    return None if path is None else missing_guard_in(path, name)


def missing_guard_in(path: Path, name: str) -> str | None:
    """`missing_guard` for the module whose source is `path` (a test module that failed to
    collect with `NameError` on a name its guarded import did not bind)."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return None
    guards = _Guards(name)
    guards.visit(tree.body, None)
    if not guards.guards or None in guards.guards:
        return None
    candidates = dict.fromkeys(package for guard in guards.guards for package in guard or ())
    return next((p for p in candidates if _missing(p)), None)


def _missing(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is None
    except (ImportError, ValueError):  # a broken or half-imported package: not known missing
        return False
