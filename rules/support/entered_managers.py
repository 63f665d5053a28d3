"""Context managers that are in force around a change without a ``with`` around it.

APT204 leaves a change alone when it sits in a ``with`` of a context manager that puts the
state back (``_managers``). Two shapes keep such a manager in force around code that no
``with`` encloses:

- a function a test defines and calls only inside such ``with`` blocks (AK1:
  ``def rm(): os.environ.pop(K)`` then ``with OSEnvContext(): rm()``): the change runs only
  while the manager is entered; handing it to ``submit``/``map`` of an executor that a
  ``with`` there binds counts as a call (BZ2): leaving that ``with`` waits for the work;
- a test class whose setup enters a manager by hand and whose paired teardown exits it (AK2:
  ``cls.env = OSEnvContext(); cls.env.__enter__()`` in ``setUpClass`` and
  ``cls.env.__exit__()`` in ``tearDownClass``, or ``cls.stack.enter_context(OSEnvContext())``
  closed by ``cls.stack.close()``): the changes made after the entry, by the setup itself and by
  the methods that run while it holds, are taken back at the teardown.

Both give the names of those managers, to be read like the names of a ``with`` around the
change (a manager of the project's own, or one of the file that restores the family).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from apytest.rules.support.astutil import (
    CLASS_SETUPS,
    SETUP_PAIRS,
    FunctionNode,
    called_name,
    class_lineage,
    dotted_name,
)

EXITS = frozenset({"__exit__", "close"})
"""What a teardown calls on the entered manager (or on the ``ExitStack`` holding it)."""


def managers_around_calls(owner: ast.AST | None, func: ast.AST | None) -> tuple[str, ...]:
    """For a function ``func`` defined inside ``owner``: the names of the ``with`` managers
    around every call of it in ``owner`` (none when it is never called, or passed on by name,
    since it may then run anywhere)."""
    if owner is None or not isinstance(func, FunctionNode) or func is owner:
        return ()
    found: list[frozenset[str]] = []
    submitted = _submitted(owner, func.name)
    handed = {id(name) for name, _ in submitted}
    executors = {id(executor) for _, executor in submitted}
    for node, managers in _walk(owner, frozenset()):
        if node is func:
            continue
        if id(node) in executors:
            # BZ2: the hand-over runs under the managers around the executor's ``with``
            found.extend(managers for _, executor in submitted if executor is node)
        if id(node) in handed:
            continue
        if isinstance(node, ast.Name) and node.id == func.name and isinstance(node.ctx, ast.Load):
            found.append(managers)
    calls = len(submitted) + sum(
        1
        for node, _ in _walk(owner, frozenset())
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == func.name
    )
    if not found or calls != len(found):
        return ()  # a use that is not a call: passed on, it may run outside the ``with``
    return tuple(sorted(frozenset.intersection(*found)))


EXECUTORS = frozenset({"ThreadPoolExecutor", "ProcessPoolExecutor"})
"""``concurrent.futures`` executors: leaving their ``with`` shuts them down and waits for every
callable handed to them."""


def _submitted(owner: ast.AST, name: str) -> list[tuple[ast.Name, ast.AST]]:
    """BZ2: each ``name`` that ``owner`` hands on, as the first argument, to ``submit`` or
    ``map`` of an executor bound by a ``with`` around that call (``with ThreadPoolExecutor() as
    executor: executor.submit(name)``), with that ``with``: the function has run by the time
    the ``with`` ends, so it runs under the managers around the ``with``, like a call there."""
    found: list[tuple[ast.Name, ast.AST]] = []
    for node in ast.walk(owner):
        if not isinstance(node, ast.With | ast.AsyncWith):
            continue
        bound = {
            item.optional_vars.id
            for item in node.items
            if isinstance(item.context_expr, ast.Call)
            and called_name(item.context_expr).rpartition(".")[2] in EXECUTORS
            and isinstance(item.optional_vars, ast.Name)
        }
        if not bound:
            continue
        for statement in node.body:
            for call in ast.walk(statement):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr in ("submit", "map")
                    and isinstance(call.func.value, ast.Name)
                    and call.func.value.id in bound
                    and call.args
                    and isinstance(call.args[0], ast.Name)
                    and call.args[0].id == name
                ):
                    found.append((call.args[0], node))
    return found


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


def class_entered_managers(
    cls: ast.ClassDef | None, owner: ast.AST | None, line: int
) -> tuple[str, ...]:
    """The managers a setup of ``cls`` enters by hand and its paired teardown exits, in force
    at ``line`` of ``owner`` (a method of ``cls``): after the entry in the setup itself; in any
    other method for a class-wide setup (``setUpClass``); in the tests for a per-test one."""
    return tuple(sorted({name for name, _ in _class_entered(cls, owner, line)}))


def class_entered_roots(
    cls: ast.ClassDef | None, owner: ast.AST | None, line: int
) -> tuple[str, ...]:
    """The names the managers of :func:`class_entered_managers` are attributes of, as the
    roots of a ``with`` are (CG2: ``cls.cm = fx.isolated_home()`` entered by hand has ``fx``,
    the project module whose manager it is, as a ``with fx.isolated_home():`` has)."""
    return tuple(sorted({root for _, root in _class_entered(cls, owner, line) if root}))


def _class_entered(
    cls: ast.ClassDef | None, owner: ast.AST | None, line: int
) -> set[tuple[str, str]]:
    """``(manager, root)`` for :func:`class_entered_managers` and :func:`class_entered_roots`."""
    if cls is None or not isinstance(owner, FunctionNode) or owner not in cls.body:
        return set()
    methods = {m.name: m for m in cls.body if isinstance(m, FunctionNode)}
    names: set[tuple[str, str]] = set()
    for setup, teardown in SETUP_PAIRS.items():
        if setup not in methods or teardown not in methods:
            continue
        exited = _exited(methods[teardown])
        for entry, holder, name, root in _entered(methods[setup]):
            if holder not in exited:
                continue
            if owner is methods[setup]:
                if entry < line:
                    names.add((name, root))
            elif owner.name != teardown and (
                setup in CLASS_SETUPS or owner.name.startswith("test")
            ):
                names.add((name, root))
    return names


def _entered(setup: FunctionNode) -> Iterator[tuple[int, str, str, str]]:
    """``(line, holder, manager, root)`` for each manager ``setup`` enters by hand: the
    attribute the entry is kept in, the name of the manager's call and the name that call is
    an attribute of (``fx`` for ``fx.isolated_home()``; empty for a bare name)."""
    made: dict[str, tuple[str, str]] = {}
    for node in ast.walk(setup):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            for target in node.targets:
                if isinstance(target, ast.Attribute):
                    made[target.attr] = (called_name(node.value), _root(node.value))
    for node in ast.walk(setup):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        holder = node.func.value
        if not isinstance(holder, ast.Attribute) or not dotted_name(holder):
            continue
        if node.func.attr == "__enter__" and made.get(holder.attr, ("", ""))[0]:
            yield node.lineno, holder.attr, *made[holder.attr]
        elif node.func.attr == "enter_context" and node.args:
            manager = node.args[0]
            if isinstance(manager, ast.Call) and called_name(manager):
                yield node.lineno, holder.attr, called_name(manager), _root(manager)


def _root(call: ast.Call) -> str:
    """The first part of the dotted name ``call`` calls when it is an attribute (``fx`` for
    ``fx.isolated_home()``), as a ``with``'s roots are read; else empty."""
    if isinstance(call.func, ast.Attribute) and (name := dotted_name(call.func)):
        return name.partition(".")[0]
    return ""


def _exited(teardown: FunctionNode) -> set[str]:
    """The attributes whose manager (or ``ExitStack``) ``teardown`` exits."""
    return {
        node.func.value.attr
        for node in ast.walk(teardown)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in EXITS
        and isinstance(node.func.value, ast.Attribute)
    }


TEMPORARY_FOLDER_CALLS = frozenset({"mkdtemp", "TemporaryDirectory"})
"""The last parts of the names of ``tempfile``'s calls that make a temporary folder."""


def moves_into_temporary(source: str, name: str) -> bool:
    """Whether the module ``source`` defines ``name`` as a context manager that moves the
    working directory into a temporary folder it makes (BO1: aider's ``with
    GitTemporaryDirectory():`` is a class whose inherited ``__enter__`` runs
    ``os.chdir(Path(self.temp_dir.name))`` after ``self.temp_dir =
    tempfile.TemporaryDirectory()``): a class whose ``__enter__``, its own or one of a base
    class of the same module, calls ``chdir`` with a folder made by ``tempfile`` in that
    lineage, or a ``@contextmanager`` function doing so before its ``yield``. Anything else
    (a ``chdir`` into a fixed folder, a base class from elsewhere) is not known to move there."""
    try:
        module = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    defined = {
        node.name: node
        for node in module.body
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
    }
    found = defined.get(name)
    if isinstance(found, ast.ClassDef):
        lineage = class_lineage(module)[found]
        temporaries = _temporary_names(lineage)
        return any(
            _chdirs_into(call, temporaries)
            for cls in lineage
            for method in cls.body
            if isinstance(method, ast.FunctionDef) and method.name == "__enter__"
            for call in ast.walk(method)
            if isinstance(call, ast.Call)
        )
    if isinstance(found, ast.FunctionDef) and any(
        (dotted_name(d) or "").rpartition(".")[2] == "contextmanager" for d in found.decorator_list
    ):
        temporaries = _temporary_names([found])
        first_yield = min(
            (n.lineno for n in ast.walk(found) if isinstance(n, ast.Yield)), default=None
        )
        return first_yield is not None and any(
            isinstance(call, ast.Call)
            and call.lineno < first_yield
            and _chdirs_into(call, temporaries)
            for call in ast.walk(found)
        )
    return False


def _temporary_names(scopes: Iterable[ast.ClassDef | ast.FunctionDef]) -> frozenset[str]:
    """The names and attributes (``self.temp_dir``) these scopes bind to a value made by a
    ``tempfile`` call for a temporary folder (``tempfile.TemporaryDirectory()``,
    ``mkdtemp()``)."""
    found: set[str] = set()
    for scope in scopes:
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign) and _makes_temporary(node.value):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found.add(target.id)
                    elif isinstance(target, ast.Attribute):
                        found.add(target.attr)
    return frozenset(found)


def _makes_temporary(node: ast.AST) -> bool:
    """Whether ``node`` holds a call that makes a temporary folder."""
    return any(
        isinstance(sub, ast.Call) and called_name(sub) in TEMPORARY_FOLDER_CALLS
        for sub in ast.walk(node)
    )


def _chdirs_into(call: ast.Call, temporaries: frozenset[str]) -> bool:
    """Whether ``call`` is a ``chdir`` into a temporary folder: one made in its argument, or
    bound to one of ``temporaries`` (a name, or an attribute of ``self``)."""
    if called_name(call) != "chdir" or not call.args:
        return False
    target = call.args[0]
    return _makes_temporary(target) or any(
        (isinstance(sub, ast.Name) and sub.id in temporaries)
        or (isinstance(sub, ast.Attribute) and sub.attr in temporaries)
        for sub in ast.walk(target)
    )
