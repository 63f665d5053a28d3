"""Environment variables a suite's runner sets to have expected files written again.

A write of expected data under ``if os.environ.get("X_UPDATE_SNAPSHOTS"):`` happens only when
whoever runs pytest asks for it, as with an ``--update-outputs`` option, so APT203 does not
report it. The facts of each module record its names bound to such a switch, for the test
modules that import one (CU1).
"""

from __future__ import annotations

import ast
import re

from apytest.rules.support.astutil import ENVIRONMENT_READS, dotted_name, string_value

SWITCH_WORDS = (
    "UPDATE",
    "REGEN",
    "GENERATE",
    "SNAPSHOT",
    "GOLDEN",
    "BLESS",
    "ACCEPT",
    "OVERWRITE",
    "REWRITE",
    "REFRESH",
)
"""Words of an environment variable that asks a suite to write its expected files again
(``PROGRESSBAR_UPDATE_API_SNAPSHOT``, ``PGQUEUER_UPDATE_SNAPSHOTS``): whoever runs pytest sets
it to regenerate them, as with an ``--update-outputs`` option. A variable a CI service or the
system sets (``CI``, ``HOME``) names none of them: a write under it stays reported."""


SWITCH_PARTS = frozenset({"GEN", "WRITE"})
"""Words of such a variable that only as a whole word between underscores ask for it
(``DOCLING_GEN_TEST_DATA``, CU1; ``PW_WRITE_SCREENSHOT``, DZ1: playwright's golden screenshots
written again): inside another word (``AGENT``, ``GENOME``, ``WRITER``) they do not."""


def _names_switch(name: str) -> bool:
    upper = name.upper()
    return any(word in upper for word in SWITCH_WORDS) or not SWITCH_PARTS.isdisjoint(
        re.split(r"[^A-Z0-9]+", upper)
    )


def environment_switch_names(module: ast.Module) -> list[str]:
    """The module-level names bound once to an environment switch (CG1's ``UPDATE =
    os.environ.get("K") == "1"``): a module importing one tests it (CU1)."""
    found = []
    for statement in module.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and environment_switch(statement.value, None)
            and _module_constant(module, statement.targets[0].id) is statement.value
        ):
            found.append(statement.targets[0].id)
    return found


def environment_switch(test: ast.expr, module: ast.AST | None) -> bool:
    """An ``if`` test that holds only when such a variable is set: ``os.environ.get("K")``,
    ``os.getenv("K", "").lower() in ("1", "true")``, ``"K" in os.environ``, or a call of a
    module-level function returning one of those (pgqueuer's ``if _should_update():``). A
    negated test (``not os.environ.get("K")``) holds when it is not set: not a switch."""
    if any(
        isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not) for node in ast.walk(test)
    ):
        return False
    for node in ast.walk(test):
        key: ast.AST | None = None
        if isinstance(node, ast.Call) and node.args:
            if (dotted_name(node.func) or "") in ENVIRONMENT_READS:
                key = node.args[0]
        elif (
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and isinstance(node.ops[0], ast.In)
            and (dotted_name(node.comparators[0]) or "") in ("os.environ", "environ")
        ):
            key = node.left
        name = string_value(key) if key is not None else None
        if name and _names_switch(name):
            return True
    if isinstance(test, ast.Name) and isinstance(module, ast.Module):
        # CG1: ``if UPDATE:`` with ``UPDATE = os.environ.get("K") == "1"`` bound once at the
        # module's top and stored nowhere else (no parameter of that name either)
        value = _module_constant(module, test.id)
        return value is not None and environment_switch(value, None)
    if (
        isinstance(test, ast.Call)
        and not test.args
        and isinstance(test.func, ast.Name)
        and isinstance(module, ast.Module)
    ):
        for statement in module.body:
            if (
                isinstance(statement, ast.FunctionDef)
                and statement.name == test.func.id
                and len(statement.body) >= 1
                and isinstance(statement.body[-1], ast.Return)
                and statement.body[-1].value is not None
                and all(isinstance(s, ast.Return | ast.Expr) for s in statement.body)
            ):
                return environment_switch(statement.body[-1].value, None)
    return False


def _module_constant(module: ast.Module, name: str) -> ast.expr | None:
    """The value a top-level ``name = ...`` of ``module`` gives ``name``, when that is the only
    store of ``name`` anywhere in the module and no function takes a parameter of that name:
    else None (another binding may hold anything)."""
    stores = [
        node
        for node in ast.walk(module)
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) and node.id == name
    ]
    if len(stores) != 1 or any(
        isinstance(node, ast.arg) and node.arg == name for node in ast.walk(module)
    ):
        return None
    for statement in module.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and statement.targets[0] is stores[0]
        ):
            return statement.value
    return None
