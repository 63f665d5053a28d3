"""APT002: a test module or conftest that exits the interpreter when it is imported."""

from __future__ import annotations

import ast

from apytest.rules.api import Example, FileRule
from apytest.rules.support.astutil import dotted_name, keyword_value

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


class ExitOnImport(FileRule):
    """A statement at a test module's or conftest's top level, run whenever pytest imports it,
    that exits: ``unittest.main()``, ``sys.exit()``, ``exit()``, ``quit()``,
    ``os._exit()``, ``raise SystemExit``.

    Silent under ``if __name__ == "__main__":`` or any other condition, in a ``try``, in
    functions, and for ``unittest.main(argv=[...], exit=False)``, which neither reads pytest's
    command line nor exits; ``exit``/``quit`` only when the module does not bind that name
    itself.

    ## Why is this bad?
    pytest collects a module by importing it. ``SystemExit`` is no ``Exception``: collection does
    not turn it into one module's error, and pytest stops with "INTERNALERROR ... SystemExit"
    (or, after ``os._exit``, vanishes without a summary) before running any test of the whole
    session. ``unittest.main()`` also parses pytest's own arguments as its own and exits on
    them even with ``exit=False``. The script was written to be run as ``python test_x.py``.

    ## Use instead
    Put the call under ``if __name__ == "__main__":``, or drop it: pytest runs unittest test
    cases itself.
    """

    code = "APT002"
    name = "exit-on-import"
    lesson = "session-errors"
    summary = "module-level exit (unittest.main(), sys.exit()) that stops collection"
    VALID = (
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
        Example(UNITTEST_MODULE + "unittest.main()\n", line=8),
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
        bound = {name for stmt in node.body for name in _bound_names(stmt)}
        for stmt in node.body:
            exit_call = _exit_call(stmt, bound)
            if exit_call is not None:
                self.report(
                    stmt,
                    f"the module calls {exit_call} when imported: collecting it raises "
                    "SystemExit, and pytest stops the whole session (INTERNALERROR) before "
                    'running any test; put it under `if __name__ == "__main__":`',
                )


def _bound_names(stmt: ast.stmt) -> set[str]:
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
