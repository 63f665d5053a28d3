"""APT002: a test module or conftest that exits the interpreter when it is imported."""

from __future__ import annotations

import ast

from apytest.rules.api import Example, FileRule
from apytest.rules.support.astutil import dotted_name, keyword_value
from apytest.rules.support.environment_reads import bound_names, unset_condition, variable_reads
from apytest.rules.support.global_state import ENVIRON, call_change, statement_change

EXITS = {
    "sys.exit": "sys.exit()",
    "exit": "exit()",
    "quit": "quit()",
    "os._exit": "os._exit()",
    "unittest.main": "unittest.main()",
}
"""The calls that end the interpreter (``unittest.main`` does unless told ``exit=False``)."""

UNITTEST_MODULE = """
import unittest


class TestCodec(unittest.TestCase):
    def test_roundtrip(self):
        self.assertEqual(bytes.fromhex("ff"), b"\\xff")

"""
"""The examples' unittest module, before its last statement."""


AT3_MODULE = """
import os
import sys

API_KEY = os.getenv("OPENAI_API_KEY")

if {condition}:
    print("set OPENAI_API_KEY")
    sys.exit(1)

def test_completion():
    assert API_KEY is None or isinstance(API_KEY, str)
"""
"""A test module exiting on an unset secret, under the condition given (AT3's examples)."""


class ExitOnImport(FileRule):
    """A statement at a test module's or conftest's top level, run whenever pytest imports it,
    that exits: ``unittest.main()``, ``sys.exit()``, ``exit()``, ``quit()``,
    ``os._exit()``, ``raise SystemExit``.

    Also one under a top-level ``if`` that holds wherever an environment variable is unset
    (``if not os.getenv("API_KEY"): sys.exit(1)``, ``"K" not in os.environ``,
    ``os.environ.get("K") != "1"``): CI and a fresh checkout have no such secret. Silent under
    ``if __name__ == "__main__":`` or any other condition, in a ``try``, in functions, and for
    ``unittest.main(argv=[...], exit=False)``, which neither reads pytest's command line nor
    exits; ``exit``/``quit`` only when the module does not bind that name itself.

    ## Why is this bad?
    pytest collects a module by importing it. ``SystemExit`` is no ``Exception``: collection does
    not turn it into one module's error, and pytest stops with "INTERNALERROR ... SystemExit"
    (or, after ``os._exit``, vanishes without a summary) before running any test of the whole
    session. ``unittest.main()`` also parses pytest's own arguments as its own and exits on
    them even with ``exit=False``. The script was written to be run as ``python test_x.py``.

    ## Use instead
    Put the call under ``if __name__ == "__main__":``, or drop it: pytest runs unittest test
    cases itself. Where a secret is missing, skip the module instead:
    ``pytest.skip("needs API_KEY", allow_module_level=True)`` under the same condition.
    """

    code = "APT002"
    name = "exit-on-import"
    lesson = "session-errors"
    summary = "module-level exit (unittest.main(), sys.exit()) that stops collection"
    VALID = (
        Example(  # DL2: a KeyError wherever GTEST_OUTPUT is unset comes first (lit's stand-in)
            """
            import os
            import sys

            json_filename = os.environ["GTEST_OUTPUT"].split(":", 1)[1]
            sys.exit(0)
            """
        ),
        Example(UNITTEST_MODULE + 'if __name__ == "__main__":\n    unittest.main()\n'),
        Example(UNITTEST_MODULE + 'unittest.main(argv=["codec"], exit=False)\n'),
        Example(  # conditional: only where the condition holds
            """
            import sys

            if sys.platform == "win32":
                sys.exit("POSIX only")

            def test_posix():
                assert True
            """
        ),
        Example(  # AY2's near miss: the exit needs the variable set to the switch's value
            AT3_MODULE.format(condition='os.environ.get("RUN_LIVE") == "1"')
        ),
        Example(  # AT3's near miss: a default stands in for the unset variable
            AT3_MODULE.format(condition='not os.getenv("OPENAI_API_KEY", "test")')
        ),
        Example(  # AT3's near miss: the exit needs more than the variable unset
            AT3_MODULE.format(condition='not API_KEY and sys.platform == "win32"')
        ),
        Example(  # the module's own exit(), not the interpreter's
            """
            def exit():
                return None

            exit()

            def test_after():
                assert True
            """
        ),
        Example(  # inside a string: a script the test runs in a subprocess
            '''
            SCRIPT = """
            import sys
            sys.exit(1)
            """

            def test_script_fails():
                assert "exit" in SCRIPT
            '''
        ),
    )
    INVALID = (
        Example(  # DL2's near miss: the module sets the variable it reads first
            """
            import os
            import sys

            os.environ.setdefault("GTEST_OUTPUT", "json:out.json")
            json_filename = os.environ["GTEST_OUTPUT"].split(":", 1)[1]
            sys.exit(0)
            """,
            line=6,
        ),
        Example(  # DL2's near miss: a default stands in for the unset variable
            """
            import os
            import sys

            json_filename = os.environ.get("GTEST_OUTPUT", "json:out.json")
            sys.exit(0)
            """,
            line=5,
        ),
        Example(UNITTEST_MODULE + "unittest.main()\n", line=8),
        Example(  # AT3: an exit wherever a secret is unset (ultragpt)
            AT3_MODULE.format(condition='not os.getenv("OPENAI_API_KEY")'), line=8
        ),
        Example(  # AT3: through a name bound once to the read, or a membership test
            AT3_MODULE.format(condition='not API_KEY or "ORG" not in os.environ'), line=8
        ),
        Example(  # AY2: a variable that must equal a switch's value, None where it is unset
            AT3_MODULE.format(condition='os.environ.get("RUN_LIVE") != "1"'), line=8
        ),
        Example(  # AT3: a name bound to either of two variables (ultragpt)
            AT3_MODULE.replace(
                '"OPENAI_API_KEY")', '"OPENROUTER_API_KEY") or os.getenv("OPENAI_API_KEY")'
            ).format(condition="not API_KEY"),
            line=8,
        ),
        Example(
            """
            import sys

            def test_build():
                assert True

            sys.exit(0)
            """,
            line=6,
        ),
        Example('raise SystemExit("run me with python")\n', path="tests/conftest.py", line=1),
    )

    def visit_Module(self, node: ast.Module) -> None:
        """Only the top-level statements: a cheap pass, so no ``triggers`` are needed."""
        bound = {name for stmt in node.body for name in bound_names(stmt)}
        reads: dict[str, str] | None = None  # read once, for the first ``if`` that exits
        fails_at: int | None = None  # DL2's first failing statement, read at the first exit
        for index, stmt in enumerate(node.body):
            exits: list[tuple[ast.stmt, str]] = []
            if isinstance(stmt, ast.If):
                exits = [
                    (inner, call)
                    for inner in stmt.body
                    if (call := _exit_call(inner, bound)) is not None
                ]
            exit_call = _exit_call(stmt, bound)
            if not exits and exit_call is None:
                continue
            fails_at = _fails_at(node) if fails_at is None else fails_at
            if fails_at <= index:
                return  # DL2: a KeyError wherever the variable is unset, before any exit below
            if exits and isinstance(stmt, ast.If):
                reads = variable_reads(node.body) if reads is None else reads
                self._check_unset_exit(stmt, exits[0], reads)
            if exit_call is not None:
                self.report(
                    stmt,
                    f"the module calls {exit_call} when imported: collecting it raises "
                    "SystemExit, and pytest stops the whole session (INTERNALERROR) before "
                    'running any test; put it under `if __name__ == "__main__":`',
                )

    def _check_unset_exit(
        self, test: ast.If, first_exit: tuple[ast.stmt, str], reads: dict[str, str]
    ) -> None:
        """AT3: ``if not os.getenv("API_KEY"): sys.exit(1)`` at the top level exits wherever
        the variable is unset, as in CI and a fresh checkout (a secret no runner has): a
        condition on anything else may not hold, and stays silent. ``first_exit`` is the first
        statement of the ``if``'s body that exits, with the call."""
        unset = unset_condition(test.test, reads)
        if unset:
            stmt, exit_call = first_exit
            self.report(
                stmt,
                f"the module calls {exit_call} when imported where the environment lacks "
                f"{unset}: a run without it (CI, a fresh checkout) raises SystemExit while "
                "collecting, and pytest stops the whole session (INTERNALERROR) before "
                "running any test; skip instead, `pytest.skip(..., allow_module_level=True)` "
                "under the same condition",
            )


def _exit_call(stmt: ast.stmt, bound: set[str]) -> str | None:
    """What the statement calls that exits, as the message names it, or None."""
    if isinstance(stmt, ast.Raise) and stmt.exc is not None:
        raised = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
        return "raise SystemExit" if dotted_name(raised) == "SystemExit" else None
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return None
    call = stmt.value
    name = dotted_name(call.func) or ""
    if name in ("exit", "quit") and name in bound:
        return None
    if name == "unittest.main":
        quiet = keyword_value(call, "exit")
        if keyword_value(call, "argv") is not None and isinstance(quiet, ast.Constant):
            return None if quiet.value is False else EXITS[name]
    return EXITS.get(name)


def _writes_environment(module: ast.Module) -> bool:
    """Whether the module may put a variable into the environment anywhere, as APT204 reads
    a change of it (an assignment or ``del`` of ``os.environ[K]``, a rebinding of
    ``os.environ``, ``update``/``pop``/``setdefault``/..., ``os.putenv``), or names dotenv,
    which loads a file into it: then a read of it may not fail."""
    for node in ast.walk(module):
        change = None
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete):
            change = statement_change(node, _is_environ)
        elif isinstance(node, ast.Call):
            change = call_change(dotted_name(node.func) or "", _is_environ)
        if (change is not None and change[0] == "environ") or _names_dotenv(node):
            return True
    return False


def _names_dotenv(node: ast.AST) -> bool:
    """Whether an import or a call names dotenv (``from dotenv import load_dotenv``)."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        return any("dotenv" in n.lower() for n in [*names, *(a.name for a in node.names)])
    return isinstance(node, ast.Call) and "dotenv" in (dotted_name(node.func) or "").lower()


def _is_environ(name: str | None) -> bool:
    """``os.environ`` by any of the names it is written with (``environ`` after ``from os
    import environ`` too): more writes seen keeps more exits reported."""
    return name in ENVIRON


def _fails_at(module: ast.Module) -> int:
    """DL2: the index of the first top-level statement that reads ``os.environ["K"]`` for
    sure, in a module that never writes the environment (its length when there is none):
    read only once a statement may exit, as both walks cost more than the rule's pass."""
    body = module.body
    first = next((i for i, stmt in enumerate(body) if _sure_environment_key(stmt)), len(body))
    return first if first == len(body) or not _writes_environment(module) else len(body)


def _sure_environment_key(stmt: ast.stmt) -> str:
    """DL2: the variable a top-level statement reads as ``os.environ["K"]`` whenever it runs
    (in its value, an ``if``'s or ``while``'s test, a ``for``'s iterable, a ``with``'s
    managers; not in a ``try``, a lambda, a branch of ``and``/``or``/``x if c else y`` or a
    comprehension's body): wherever ``K`` is unset, the module raises KeyError there, a plain
    collection error, and no exit after it runs (lit's googletest stand-in reads
    ``GTEST_OUTPUT`` before its ``sys.exit``). "" when there is none."""
    if isinstance(stmt, (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign)):
        roots = [stmt.value] if stmt.value is not None else []
    elif isinstance(stmt, (ast.If, ast.While)):
        roots = [stmt.test]
    elif isinstance(stmt, ast.For):
        roots = [stmt.iter]
    elif isinstance(stmt, ast.With):
        roots = [item.context_expr for item in stmt.items]
    else:
        return ""
    while roots:
        expr = roots.pop()
        if isinstance(expr, ast.Subscript) and dotted_name(expr.value) == "os.environ":
            key = expr.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                return key.value
        if isinstance(expr, ast.BoolOp):
            roots.append(expr.values[0])
        elif isinstance(expr, ast.IfExp):
            roots.append(expr.test)
        elif isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            roots.append(expr.generators[0].iter)
        elif not isinstance(expr, ast.Lambda):
            roots.extend(
                child for child in ast.iter_child_nodes(expr) if isinstance(child, ast.expr)
            )
    return ""
