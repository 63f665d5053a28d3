"""nox sessions: ``noxfile.py``, read with ``ast`` and never run.

Each ``@nox.session`` function is a section ``nox:<name>`` holding what its
``session.install(...)`` calls install (a helper function that installs is a test section of its
own, since the sessions calling it cannot be told apart statically): requirement strings, ``-r``
files, ``.[extras]`` of the project (literals, and names bound once to literal lists at module
level). A session is a test section unless its ``session.run(...)`` commands plainly run no test
(:func:`collector.is_test_environment`). An install of anything computed makes the model
incomplete; the computed argument hides only itself, not the literal ones beside it (DX1).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from apytest.lint.declarations import requirements
from apytest.lint.declarations.collector import Collector, is_test_environment
from apytest.lint.declarations.literals import UNKNOWN, Literals, parse_python, strings

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def _session_name(function: FunctionNode) -> str | None:
    """The session's name when ``function`` is a nox session, else None."""
    for decorator in function.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        target = call.func if call is not None else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name != "session":
            continue
        for keyword in call.keywords if call is not None else ():
            if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                return str(keyword.value.value)
        return function.name
    return None


def _calls(function: FunctionNode, method: str) -> Iterator[ast.Call]:
    """Calls of ``<first parameter>.<method>(...)`` inside ``function``."""
    params = function.args.posonlyargs + function.args.args
    if not params:
        return
    session = params[0].arg
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == method
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == session
        ):
            yield node


def _arguments(call: ast.Call, literals: Literals) -> list[tuple[str, int, int] | None]:
    """The string arguments of a call (``*NAME`` spread), None for each computed one.

    A computed argument (``f"django=={django}"``) hides only itself: the literal ones beside it
    (``".[socialaccount]"``) are installed all the same (DX1).
    """
    found: list[tuple[str, int, int] | None] = []
    for arg in call.args:
        node = arg.value if isinstance(arg, ast.Starred) else arg
        value = literals.value(node)
        if value is UNKNOWN:
            found.append(None)
        else:
            found.extend(strings(value))
    return found


def _install(
    collector: Collector, path: Path, section: str, args: list[tuple[str, int, int] | None]
) -> None:
    pending = ""
    for arg in args:
        if arg is None:  # computed: what it installs (or the file an option names) is unknown
            pending = ""
            continue
        text, line, _col = arg
        if text in ("-r", "--requirement", "-c", "--constraint", "-e", "--editable"):
            pending = text
            continue
        item = f"{pending} {text}".strip() if pending in ("-r", "--requirement", "-e") else text
        if pending in ("-c", "--constraint") or (
            text.startswith("-") and not text.startswith("-r")
        ):
            pending = ""
            continue
        pending = ""
        requirements.requirement_line(collector, item, line, path, section, strict=False)


def read_noxfile(collector: Collector, path: Path) -> bool:
    """Read ``noxfile.py``; whether it had any session."""
    tree = parse_python(collector, path)
    if tree is None:
        return False
    rel = collector.rel(path)
    literals = Literals(tree)
    found = False
    for function in (n for n in tree.body if isinstance(n, FunctionNode)):
        name = _session_name(function)
        installs = list(_calls(function, "install"))
        if name is None and not installs:
            continue
        found = True
        section = f"nox:{name or function.name}"
        commands = [
            arg[0]
            for call in _calls(function, "run")
            if None not in (args := _arguments(call, literals))
            for arg in args
            if arg is not None
        ]
        if name is None or is_test_environment(name, " ".join(commands) if commands else None):
            collector.mark_test(section)  # a helper installs for sessions it cannot tell apart
        for call in installs:
            args = _arguments(call, literals)
            if None in args:
                collector.cannot_read(f"{rel}:{call.lineno}")
            _install(collector, path, section, args)
    if found:
        collector.sources[rel] = None
    return found
