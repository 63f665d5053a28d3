"""What a conftest's ``collect_ignore``/``collect_ignore_glob`` keep out of collection for
certain: the literal entries of module-level statements that always run.

pytest never imports a path such a list names (``collect_ignore = ["setuptools/_distutils"]``
in a root conftest keeps the vendored suite below it out of every run), so a finding there
is about code that never runs. Only what is sure counts: an entry added under a condition
(``if sys.version_info < (3, 9):``, ``except ImportError:``) may not be there, and a list that
is rebound under a condition, deleted from, cleared or handed to a call may lose entries, so
then none of its entries count (the folder is linted, as before).
"""

from __future__ import annotations

import ast
import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from apytest.common.files import read_regular
from apytest.lint.source import decode, parse
from apytest.rules.support.astutil import string_value

COLLECT_IGNORE = {"collect_ignore": False, "collect_ignore_glob": True}
"""The conftest variables that keep paths from being collected, and whether they hold globs."""
ADDING = frozenset({"append", "extend", "insert"})
MAX_CONFTEST_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Ignored:
    """One entry: an absolute, normalised path (or glob) that applies below ``folder``."""

    folder: str
    target: str
    glob: bool

    def matches(self, path: str) -> bool:
        """Whether pytest's ``pytest_ignore_collect`` skips ``path`` (absolute, normalised):
        the conftest applies to the path's folder, and the path is the entry (or, for a glob,
        ``fnmatch`` of the whole path, as pytest matches it)."""
        if not path.startswith(self.folder.rstrip(os.sep) + os.sep):
            return False
        return fnmatch.fnmatch(path, self.target) if self.glob else path == self.target


def ignore_addition(stmt: ast.stmt) -> tuple[str, list[ast.expr], bool] | None:
    """``(name, values, rebinds)`` for a statement that sets or extends one of the lists
    (``append``, ``extend``, ``+=``, assignment); each value a list or tuple of entries, or
    an expression whose entries are not known."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target, value, rebinds = stmt.targets[0], stmt.value, True
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        target, value, rebinds = stmt.target, stmt.value, True
    elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.op, ast.Add):
        target, value, rebinds = stmt.target, stmt.value, False
    elif (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Attribute)
        and stmt.value.func.attr in ("append", "extend")
        and len(stmt.value.args) == 1
    ):
        target, value, rebinds = stmt.value.func.value, stmt.value.args[0], False
        if stmt.value.func.attr == "append":
            value = ast.List(elts=[value], ctx=ast.Load())
    else:
        return None
    if not isinstance(target, ast.Name) or target.id not in COLLECT_IGNORE:
        return None
    return target.id, [value], rebinds


def _entries(tree: ast.Module) -> dict[str, list[str]]:
    """The literal entries each list surely holds after the module ran."""
    found: dict[str, list[str]] = {name: [] for name in COLLECT_IGNORE}
    sure: set[int] = set()
    for stmt in tree.body:
        added = ignore_addition(stmt)
        if added is None:
            continue
        name, values, rebinds = added
        sure.update(id(node) for node in ast.walk(stmt) if isinstance(node, ast.Name))
        items: list[ast.expr] = []
        for value in values:
            if not isinstance(value, ast.List | ast.Tuple):
                found[name] = []  # a computed value: what it holds is not known
                if rebinds:
                    break
                continue
            items.extend(value.elts)
        if rebinds:
            found[name] = []
        found[name].extend(text for text in map(string_value, items) if text)
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Name) or node.id not in COLLECT_IGNORE or id(node) in sure:
            continue
        parent = parents.get(id(node))
        adds = (
            isinstance(parent, ast.Attribute)
            and parent.attr in ADDING
            and isinstance(parents.get(id(parent)), ast.Call)
        )
        if not adds:  # rebound, deleted from, cleared or handed on somewhere: not sure
            found[node.id] = []
    return found


def conftest_ignores(conftest: Path) -> list[Ignored]:
    """The sure entries of a conftest's ``collect_ignore`` lists; none when it cannot be read
    or parsed (that is the APT001 finding's business, not discovery's)."""
    try:
        data = read_regular(conftest, MAX_CONFTEST_BYTES)
        if b"collect_ignore" not in data:
            return []
        tree = parse(decode(data), os.fspath(conftest))
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
        return []
    folder = os.path.normpath(os.path.abspath(conftest.parent))
    return [
        Ignored(folder, os.path.normpath(os.path.join(folder, entry)), COLLECT_IGNORE[name])
        for name, entries in _entries(tree).items()
        for entry in entries
    ]
