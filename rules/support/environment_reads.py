"""Conditions on environment variables that hold wherever one is unset.

CI runners and a fresh checkout have none of a project's secrets or opt-in switches, so code
under ``if not os.getenv("API_KEY"):`` runs there for sure (APT002's exits), and a test skipped
under ``skipif(os.environ.get("RUN_SMOKE") != "1")`` never runs there (its imports are no
failures of a default run).
"""

from __future__ import annotations

import ast

from apytest.rules.support.astutil import ENVIRONMENT_READS, dotted_name

OS_ENVIRONMENT_READS = frozenset(read for read in ENVIRONMENT_READS if read.startswith("os."))
"""``ENVIRONMENT_READS`` spelt through ``os`` (``os.getenv``, ``os.environ.get``), the ones
a condition here is sure of: a bare ``getenv`` may be another module's."""


def variable_reads(body: list[ast.stmt]) -> dict[str, str]:
    """Module-level names bound once to a read of environment variables (``API_KEY =
    os.getenv("API_KEY")``, ``key = os.getenv("A") or os.getenv("B")``): name -> what the
    environment lacks when the name is empty (``'A' and 'B'``)."""
    counts: dict[str, int] = {}
    reads: dict[str, str] = {}
    for stmt in body:
        for name in bound_names(stmt):
            counts[name] = counts.get(name, 0) + 1
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, lacking = stmt.targets[0], _read(stmt.value, {})
            if isinstance(target, ast.Name) and lacking:
                reads[target.id] = lacking
    return {name: lacking for name, lacking in reads.items() if counts.get(name) == 1}


def _read(node: ast.expr, reads: dict[str, str]) -> str:
    """What the environment lacks when ``node``, a read of it, is empty: ``'K'`` for
    ``os.getenv("K")`` or ``os.environ.get("K")`` with no default (a default stands in for an
    unset variable), ``'A' and 'B'`` for ``os.getenv("A") or os.getenv("B")``, a name's from
    ``reads``; "" for anything else."""
    if isinstance(node, ast.Name):
        return reads.get(node.id, "")
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        parts = [_read(value, reads) for value in node.values]
        return " and ".join(parts) if all(parts) else ""
    if not (isinstance(node, ast.Call) and dotted_name(node.func) in OS_ENVIRONMENT_READS):
        return ""
    if len(node.args) != 1 or node.keywords:
        return ""
    name = node.args[0]
    if isinstance(name, ast.Constant) and isinstance(name.value, str):
        return f"'{name.value}'"
    return ""


def unset_condition(test: ast.expr, reads: dict[str, str]) -> str:
    """What the environment lacks when ``test`` holds (``not os.getenv("K")``,
    ``os.environ.get("K") is None``, ``"K" not in os.environ``, ``os.environ.get("K") != "1"``,
    and ``or``/``and`` of those), "" when it tests anything else."""
    if isinstance(test, ast.BoolOp):
        parts = [unset_condition(value, reads) for value in test.values]
        joint = " or " if isinstance(test.op, ast.Or) else " and "
        return joint.join(parts) if all(parts) else ""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _read(test.operand, reads)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if isinstance(op, ast.Is) and isinstance(right, ast.Constant) and right.value is None:
            return _read(left, reads)
        if (
            isinstance(op, ast.NotIn)
            and dotted_name(right) == "os.environ"
            and isinstance(left, ast.Constant)
            and isinstance(left.value, str)
        ):
            return f"'{left.value}'"
        if isinstance(op, ast.NotEq) and isinstance(right, ast.Constant):
            # ``os.environ.get("RUN_SMOKE") != "1"``: None differs from any non-empty text
            return _read(left, reads) if isinstance(right.value, str) and right.value else ""
    return ""


def set_condition(test: ast.expr, reads: dict[str, str]) -> str:
    """What the environment must hold for ``test`` to hold, as ``unset_condition`` names what
    it lacks: ``os.getenv("K")`` (or a name bound to it), ``"K" in os.environ``,
    ``os.environ.get("K") == "1"``, an ``and`` with one of them; "" for anything else. Code
    under ``if`` such a test runs only where someone set the variable (AZ6: torrus's
    ``if _ldap_config_path:`` over its ``ldapgate`` imports)."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return next((part for value in test.values if (part := set_condition(value, reads))), "")
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if (
            isinstance(op, ast.In)
            and dotted_name(right) == "os.environ"
            and isinstance(left, ast.Constant)
            and isinstance(left.value, str)
        ):
            return f"'{left.value}'"
        if isinstance(op, ast.Eq) and isinstance(right, ast.Constant):
            return _read(left, reads) if isinstance(right.value, str) and right.value else ""
        return ""
    return _read(test, reads)


def bound_names(stmt: ast.stmt) -> set[str]:
    """The names a top-level statement binds (a def, a class, an import, an assignment)."""
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {stmt.name}
    if isinstance(stmt, ast.ImportFrom) and stmt.module == "sys":
        return set()  # ``from sys import exit``: still the interpreter's
    if isinstance(stmt, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).partition(".")[0] for a in stmt.names}
    if isinstance(stmt, ast.Assign | ast.AnnAssign):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        return {t.id for t in targets if isinstance(t, ast.Name)}
    return set()
