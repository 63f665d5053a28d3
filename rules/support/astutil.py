"""Small questions about ``ast`` nodes that several rules ask the same way."""

from __future__ import annotations

import ast
import bisect
import builtins
import functools
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
CHDIR_FIXTURES = frozenset({"pytester", "testdir"})
"""Built-in fixtures that run the test inside its own temporary folder."""
PYTEST_FIXTURES = frozenset(
    {
        "cache",
        "capfd",
        "capfdbinary",
        "caplog",
        "capsys",
        "capsysbinary",
        "capteesys",
        "doctest_namespace",
        "monkeypatch",
        "pytestconfig",
        "pytester",
        "record_property",
        "record_testsuite_property",
        "record_xml_attribute",
        "recwarn",
        "request",
        "subtests",
        "testdir",
        "tmp_path",
        "tmp_path_factory",
        "tmpdir",
        "tmpdir_factory",
    }
)
"""pytest's own fixtures: tests request them, and no file of the project defines them."""


def dotted_name(node: ast.AST) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def key_identifiers(names: Iterable[str]) -> frozenset[str]:
    """One identifier of each dotted name that every file using the name contains: its module
    (``subprocess`` for ``subprocess.run``) or, when that is as short and common as ``os``, its
    longest other part (``system`` for ``os.system``).

    Every part of a dotted name in code is an identifier written out in the source, so a file
    that contains none of these texts uses none of the names (``FileRule.triggers``).
    """
    return frozenset(map(_key_identifier, names))


def _key_identifier(name: str) -> str:
    module, *rest = name.split(".")
    return module if len(module) > 3 or not rest else max(rest, key=len)


def called_name(call: ast.Call) -> str:
    """The last part of what ``call`` calls (``insert`` for ``sys.path.insert(0, p)``): cheap,
    so that handlers rule most calls out before asking for ``FileContext.callee``."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def reads_option(node: ast.AST) -> bool:
    """``config.getoption(...)``/``getvalue(...)``: a command-line option's value, which only
    whoever runs pytest sets (a regeneration switch such as ``--update-outputs``), also as its
    truth value, ``bool(config.getoption(...))`` (ZB2: netviz's ``--regen-golden``)."""
    while (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "bool"
        and len(node.args) == 1
        and not node.keywords
    ):
        node = node.args[0]
    return isinstance(node, ast.Call) and called_name(node) in ("getoption", "getvalue")


def assignment(node: ast.AST) -> tuple[Sequence[ast.expr], ast.expr] | None:
    """The targets and the value of a plain or annotated assignment that has a value
    (``a = b = 1``, ``a: int = 1``); None for anything else (``a: int`` binds no value)."""
    if isinstance(node, ast.Assign):
        return node.targets, node.value
    if isinstance(node, ast.AnnAssign) and node.value is not None:
        return [node.target], node.value
    return None


def string_value(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def keyword_value(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def pytest_names(attr: str) -> frozenset[str]:
    """How code names pytest's ``attr``: ``pytest.<attr>``, or bare after ``from pytest import``."""
    return frozenset({attr, f"pytest.{attr}", f"_pytest.fixtures.{attr}"})


def is_pytest_attr(node: ast.AST, attr: str) -> bool:
    """Whether ``node`` names pytest's ``attr`` (see ``pytest_names``)."""
    return dotted_name(node) in pytest_names(attr)


@dataclass(frozen=True)
class FixtureDecl:
    name: str
    scope: str
    autouse: bool
    """Whether it may apply to every test in its scope: ``autouse=True``, or an expression
    (``autouse=not SOME_FLAG``) that may be true. Precision first: an exemption that relies
    on an autouse fixture counts such a fixture (not sure whether it applies: silent)."""
    surely_autouse: bool = False
    """``autouse=`` a true literal: the fixture applies to every test in its scope for certain
    (what relies on a fixture *not* being autouse looks at this)."""


def _autouse(call: ast.Call | None) -> tuple[bool, bool]:
    """``(may, surely)``: whether ``autouse=`` may be true, and whether it is a true literal.
    A value only known when the conftest runs (a module flag) may be either."""
    node = keyword_value(call, "autouse") if call is not None else None
    if node is None:
        return False, False
    if isinstance(node, ast.Constant):
        return bool(node.value), bool(node.value)
    return True, False


def fixture_decl(func: ast.FunctionDef | ast.AsyncFunctionDef) -> FixtureDecl | None:
    """The fixture a function declares through ``@pytest.fixture`` (with or without arguments)."""
    for decorator in func.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        target = call.func if call is not None else decorator
        if not (
            is_pytest_attr(target, "fixture") or dotted_name(target) == "pytest_asyncio.fixture"
        ):
            continue
        name, scope = func.name, "function"
        if call is not None:
            name = string_value(keyword_value(call, "name")) or name
            scope = string_value(keyword_value(call, "scope")) or scope
        return FixtureDecl(name, scope, *_autouse(call))
    return None


def mentioned_names(node: ast.AST) -> set[str]:
    """Every plain name and attribute name under ``node`` (``a.b(c)``: a, b, c)."""
    found: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            found.add(sub.attr)
    return found


def parameter_names(func: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[str]:
    args = func.args
    return [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]


def enclosing_function(
    ancestors: Sequence[ast.AST],
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The innermost ``def`` around the node being visited."""
    for node in reversed(ancestors):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return node
    return None


def in_function(ancestors: Sequence[ast.AST]) -> bool:
    return any(isinstance(node, FUNCTION_NODES) for node in ancestors)


def within(node: ast.AST, body: Sequence[ast.stmt]) -> bool:
    """Whether ``node`` lies inside the statements ``body`` (by position)."""
    if not body:
        return False
    line = getattr(node, "lineno", 0)
    end = body[-1].end_lineno or body[-1].lineno
    return body[0].lineno <= line <= end


def _tests_not_main(test: ast.expr) -> bool:
    """Whether an ``if`` test is ``__name__ != "__main__"`` (either way round)."""
    return (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.NotEq)
        and "__main__" in ast.unparse(test)
    )


def script_branch(node: ast.If) -> list[ast.stmt]:
    """The branch of an ``if`` on ``__name__`` that only running the file as a script takes:
    the body of ``if __name__ == "__main__":``, the ``else`` of ``if __name__ != "__main__":``
    (pytest imports a test module under its own name, never as ``__main__``)."""
    if _tests_not_main(node.test):
        return node.orelse
    return node.body if "__main__" in ast.unparse(node.test) else []


def imported_branch(node: ast.If) -> list[ast.stmt]:
    """The branch of an ``if`` that pytest's import of the module always takes: the body of
    ``if __name__ != "__main__":``, or the branch a test on the Python version takes on every
    Python 3 (AZ2: the body of ``if sys.version_info[0] == 3:``, the ``else`` of ``if
    sys.version_info < (3,):``); empty for any other test, which may go either way."""
    if _tests_not_main(node.test):
        return node.body
    value = on_python3(node.test)
    if value is None:
        return []
    return node.body if value else node.orelse


def under_main(ancestors: Sequence[ast.AST], node: ast.AST) -> bool:
    """Whether ``node`` is in the script-only branch of an ``if`` on ``__name__`` (see
    :func:`script_branch`): code for running the file as a script, which pytest, importing
    it, never runs."""
    return any(isinstance(a, ast.If) and within(node, script_branch(a)) for a in ancestors)


def _dot_in_name(test: ast.expr) -> bool | None:
    """True for ``"." in __name__``, False for ``"." not in __name__``, None for any other
    test. FE2: ANTLR 4.9's ``__name__ is not None and "." in __name__`` is the first (the
    other operand always holds); no other ``and`` is either."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        dotted = [v for v in test.values if not _name_not_none(v)]
        return _dot_in_name(dotted[0]) if len(dotted) == 1 else None
    if not (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.left, ast.Constant)
        and test.left.value == "."
        and isinstance(test.comparators[0], ast.Name)
        and test.comparators[0].id == "__name__"
    ):
        return None
    if isinstance(test.ops[0], ast.In):
        return True
    return False if isinstance(test.ops[0], ast.NotIn) else None


def _name_not_none(test: ast.expr) -> bool:
    """``__name__ is not None``, which holds in every module."""
    return (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.IsNot)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    )


def _imported_modules(body: Sequence[ast.stmt], level: int) -> set[str]:
    """The modules the ``from`` imports among ``body``'s statements name at ``level``."""
    return {
        stmt.module or ""
        for stmt in body
        if isinstance(stmt, ast.ImportFrom) and (stmt.level > 0) == (level > 0)
    }


def flat_layout_twin(ancestors: Sequence[ast.AST], node: ast.AST) -> bool:
    """Whether ``node``, an absolute ``from module import ...``, is the flat-layout twin of a
    relative import of the same module (BU1, ANTLR's generated parsers: ``if "." in __name__:
    from .RegionParser import RegionParser`` / ``else: from RegionParser import
    RegionParser``): the absolute one runs only when the file is imported under a bare name,
    from its own folder, where ``module`` is the sibling file that the relative one finds in
    a package. Either way the project's own file is imported, never a distribution."""
    if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
        return False
    for outer in ancestors:
        if not isinstance(outer, ast.If):
            continue
        inside = _dot_in_name(outer.test)
        if inside is None:
            continue
        flat, packaged = (outer.orelse, outer.body) if inside else (outer.body, outer.orelse)
        if within(node, flat) and node.module in _imported_modules(packaged, level=1):
            return True
    return False


LATER_BUILTINS = frozenset(
    {
        "aiter",
        "anext",
        "BaseExceptionGroup",
        "EncodingWarning",
        "ExceptionGroup",
        "PythonFinalizationError",
    }
)
"""Builtins that Pythons after 3.8 added: a probe for one may fail on the Python running pytest."""
PYTHON3_BUILTINS = frozenset(dir(builtins)) - LATER_BUILTINS
"""Builtin names every Python 3 that pytest runs on has (``set``, ``bytes``, ``callable``)."""


PYTHON3_MODULES = frozenset(
    {
        *("builtins", "queue", "configparser", "copyreg", "reprlib", "socketserver", "_thread"),
        *("io", "pickle", "html", "html.parser", "xmlrpc.client", "collections.abc"),
        *("http.client", "http.server", "http.cookies", "http.cookiejar"),
        *("urllib.parse", "urllib.request", "urllib.error"),
    }
)
"""Modules that every Python 3 has (built in or pure Python, never an optional build) under
names Python 2 spelt otherwise (``six.moves``' renames): ``try: import builtins`` never fails
where pytest runs (CL6)."""


def _python2_fallback(outer: ast.AST, handler: ast.AST) -> bool:
    """Whether ``handler`` is Python 2's branch of a ``try``, which no pytest of the last years
    runs: the ``except NameError:`` of a ``try`` whose body only names builtins every Python 3
    has (``try: set`` / ``except NameError: from sets import Set as set``), or a handler catching
    ImportError of a ``try`` whose body only ``import``s ``PYTHON3_MODULES`` (CL6: gevent's
    ``try: import builtins`` / ``except ImportError: sys.modules['builtins'] = builtins()``;
    a ``from builtins import name`` may fail, and is no such body)."""
    if not (
        isinstance(outer, ast.Try)
        and isinstance(handler, ast.ExceptHandler)
        and handler in outer.handlers
        and outer.body
    ):
        return False
    if handler.type is not None and dotted_name(handler.type) == "NameError":
        return all(
            isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Name)
            and stmt.value.id in PYTHON3_BUILTINS
            for stmt in outer.body
        )
    return handler_catches_import_error(handler) and all(
        isinstance(stmt, ast.Import) and all(alias.name in PYTHON3_MODULES for alias in stmt.names)
        for stmt in outer.body
    )


def never_runs(ancestors: Sequence[ast.AST], node: ast.AST) -> bool:
    """Whether pytest never runs ``node``: under ``if __name__ == "__main__":``, in the body
    of an ``if`` on a false constant (``if 0:``, ``if False:``) or on a variable of the
    function around it that it binds only to false constants (``generate = False`` then
    ``if generate:``, a switch flipped by hand to write expected files): code switched off;
    or in a Python 2 fallback for a builtin or a renamed module (``_python2_fallback``); or
    below a statement of the module body that skips the whole module whenever pytest imports it
    (AZ2)."""
    if any(map(_python2_fallback, ancestors, ancestors[1:])):
        return True
    if _after_module_skip(ancestors, node):
        return True
    return under_main(ancestors, node) or any(
        isinstance(a, ast.If)
        and (
            (
                within(node, a.body)
                and (_switched_off(a.test, ancestors) or on_python3(a.test) is False)
            )
            or (within(node, a.orelse) and on_python3(a.test) is True)
        )
        for a in ancestors
    )


_COMPARISONS: Mapping[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


OLDEST_PYTEST_PYTHON = (3, 6)
"""The oldest Python a pytest of the last years runs on (pytest 7.0, early 2022, was the last
for 3.6): a bound at or below it (``sys.version_info < (3, 3)``, json-rpc's guard of ``from mock
import patch``) decides a test on all of them alike (CL1)."""


SIX_VERSION_FLAGS = {"PY2": False, "PY3": True}
"""six's flags for the running Python's major version, and their value on every Python 3."""


def on_python3(test: ast.expr) -> bool | None:
    """The value of an ``if`` test on the Python version wherever pytest runs (every Python 3),
    or None when it depends on which one: ``sys.version_info[0] == 2``, ``sys.version_info <
    (2, 7)``, ``sys.version_info.major < 3`` are false there (a Python 2 branch: no pytest of
    the last years runs it), ``sys.version_info >= (3,)`` true; ``sys.version_info >= (3, 11)``
    depends. Only a bound whose major version is not 3 (or is ``3``/``(3,)`` alone, or a
    Python 3 at or below ``OLDEST_PYTEST_PYTHON``: ``< (3, 3)`` is false) is decided, with
    ``and``/``or``/``not`` of such tests; and six's ``six.PY2`` (false) and ``six.PY3``
    (true)."""
    if isinstance(test, ast.BoolOp):
        values = [on_python3(v) for v in test.values]
        decisive = isinstance(test.op, ast.Or)  # True decides an ``or``, False an ``and``
        if decisive in values:
            return decisive
        return None if None in values else not decisive
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = on_python3(test.operand)
        return None if inner is None else not inner
    if isinstance(test, ast.Attribute) and test.attr in SIX_VERSION_FLAGS:
        owner = dotted_name(test.value) or ""
        if owner == "six" or owner.endswith(".six"):  # CY1: ``six.PY2``, ``thirdparty.six.PY3``
            return SIX_VERSION_FLAGS[test.attr]
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    compare = _COMPARISONS.get(type(test.ops[0]))
    major = _version_major(test.left)
    bound = _version_bound(test.comparators[0], whole=major == "tuple")
    if compare is None or major is None or bound is None:
        return None
    if major == "int":
        return bool(compare(3, bound[0]))
    if bound[0] != 3:
        return bool(compare(3, bound[0]))  # decided by the major version alone
    if len(bound) == 1:
        return bool(compare((3, 0), bound))  # ``>= (3,)``
    if compare not in (operator.eq, operator.ne) and (
        bound < OLDEST_PYTEST_PYTHON
        or (bound == OLDEST_PYTEST_PYTHON and compare in (operator.lt, operator.ge))
    ):
        # CL1: ``< (3, 3)`` is false on every Python a pytest of the last years runs on
        return bool(compare((*OLDEST_PYTEST_PYTHON, 0), bound))
    return None


def runs_only_before(ancestors: Sequence[ast.AST], node: ast.AST) -> tuple[int, ...] | None:
    """The Python version ``node`` runs only before, read from the ``if`` tests around it: the
    body of ``sys.version_info < (3, 11)``, the ``else`` of ``sys.version_info >= (3, 11)``
    give ``(3, 11)``; None when no test around it bounds the version from above. What an
    older Python alone runs may import what the test runner brings only there (pytest's
    ``tomli`` before 3.11)."""
    bounds: list[tuple[int, ...]] = []
    for a in ancestors:
        if not (isinstance(a, ast.If) and isinstance(a.test, ast.Compare)):
            continue
        test = a.test
        if len(test.ops) != 1 or _version_major(test.left) != "tuple":
            continue
        bound = _version_bound(test.comparators[0], whole=True)
        if bound is None:
            continue
        below = isinstance(test.ops[0], ast.Lt) and within(node, a.body)
        if below or (isinstance(test.ops[0], ast.GtE) and within(node, a.orelse)):
            bounds.append(bound)
    return min(bounds) if bounds else None


def _version_major(node: ast.expr) -> str | None:
    """``"tuple"`` for ``sys.version_info`` (or a slice of it from the start), ``"int"`` for
    its major version (``sys.version_info[0]``, ``sys.version_info.major``)."""
    if dotted_name(node) == "sys.version_info":
        return "tuple"
    if isinstance(node, ast.Attribute) and node.attr == "major":
        return "int" if dotted_name(node.value) == "sys.version_info" else None
    if isinstance(node, ast.Subscript) and dotted_name(node.value) == "sys.version_info":
        index = node.slice
        if isinstance(index, ast.Constant) and index.value == 0:
            return "int"
        if isinstance(index, ast.Slice) and index.lower is None and index.step is None:
            return "tuple"
    return None


def _version_bound(node: ast.expr, *, whole: bool) -> tuple[int, ...] | None:
    """The version a comparison is against: a tuple of integers (``(2, 7)``) when the left side
    is a version tuple, else an integer constant (as a 1-tuple)."""
    items = node.elts if whole and isinstance(node, ast.Tuple) else [] if whole else [node]
    values: list[int] = []
    for item in items:
        value = item.value if isinstance(item, ast.Constant) else None
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        values.append(value)
    return tuple(values) or None


def _switched_off(test: ast.expr, ancestors: Sequence[ast.AST]) -> bool:
    if isinstance(test, ast.Constant):
        return not test.value
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        # DW3: thinc's ``if GENERATE and output_filename is not None:`` is off with its switch
        return any(_switched_off(value, ancestors) for value in test.values)
    if not isinstance(test, ast.Name):
        return False
    function = next(
        (a for a in reversed(ancestors) if isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef)),
        None,
    )
    if function is not None and (
        _bound_false_only(function, test.id)
        or _defaulted_off(function, test.id, ancestors)
        or _parametrized_off(function, test.id, ancestors)
    ):
        return True
    return _module_switch_off(test.id, ancestors)


def _parametrized_off(
    function: ast.FunctionDef | ast.AsyncFunctionDef, name: str, ancestors: Sequence[ast.AST]
) -> bool:
    """Whether ``name`` is a test's argument that its one ``parametrize`` mark fills with false
    constants only (BP8: codex-africanus' ``@pytest.mark.parametrize("debug", [False])`` over
    ``if debug:``, which imports matplotlib to draw): every case runs with the switch off,
    flipped by hand to look at plots. As for a defaulted switch (``_defaulted_off``), a store
    to it, another decorator or a call of the test by the module may still turn it on."""
    marks = [
        d
        for d in function.decorator_list
        if isinstance(d, ast.Call) and marker_names([d]) == ["parametrize"]
    ]
    if len(marks) != 1 or len(marks[0].args) < 2 or string_value(marks[0].args[0]) != name:
        return False
    if any(k.arg == "indirect" for k in marks[0].keywords):
        return False  # the values go to a fixture of that name, which may return anything
    index = next((i for i, a in enumerate(ancestors) if a is function), None)
    if index is None or index == 0 or not is_test_function(function, ancestors[index - 1]):
        return False
    values = marks[0].args[1]
    if not isinstance(values, ast.List | ast.Tuple) or not values.elts:
        return False
    if not all(isinstance(v, ast.Constant) and not v.value for v in values.elts):
        return False
    return _switch_stays(function, name, ancestors)


def _defaulted_off(
    function: ast.FunctionDef | ast.AsyncFunctionDef, name: str, ancestors: Sequence[ast.AST]
) -> bool:
    """Whether ``name`` is a parameter of a test that defaults to a false constant and that
    nothing else gives a value under pytest (AA3: struphy's ``def test_dam_break(nx,
    plot_pts, do_plot=False, create_png=False)``, writing its PNGs only ``if create_png:``).
    pytest fills no parameter that has a default (a ``parametrize`` naming one fails
    collection), so the switch stays off, unless a decorator other than a mark may fill it,
    the test stores to it, or the module calls the test (``test_dam_break(...,
    create_png=True)``) outside its ``__main__`` block."""
    index = next((i for i, a in enumerate(ancestors) if a is function), None)
    if index is None or index == 0 or not is_test_function(function, ancestors[index - 1]):
        return False
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    defaults = [
        *zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True),
        *((a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d),
    ]
    if not any(a.arg == name and isinstance(d, ast.Constant) and not d.value for a, d in defaults):
        return False
    return _switch_stays(function, name, ancestors)


def _switch_stays(
    function: ast.FunctionDef | ast.AsyncFunctionDef, name: str, ancestors: Sequence[ast.AST]
) -> bool:
    """Whether a test's switch argument ``name`` keeps the value pytest gives it: the test
    stores nothing to it, no decorator but marks may fill it (hypothesis's ``@given``), and the
    module calls the test only in its ``__main__`` block."""
    if any(
        (isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load))
        or _binds_otherwise(node, name)
        for node in ast.walk(function)
    ):
        return False
    if len(marker_names(function.decorator_list)) < len(function.decorator_list):
        return False  # hypothesis's ``@given(flag=...)``, a wrapper: may give it a value
    names = (function.name, f"self.{function.name}", f"cls.{function.name}")
    scripts = [
        branch
        for node in ast.walk(ancestors[0])
        if isinstance(node, ast.If)
        for branch in [script_branch(node)]
        if branch
    ]
    return all(
        any(within(call, branch) for branch in scripts)
        for call in ast.walk(ancestors[0])
        if isinstance(call, ast.Call) and dotted_name(call.func) in names
    )


def _module_switch_off(name: str, ancestors: Sequence[ast.AST]) -> bool:
    """Whether ``name`` is a module-level switch that is off: no function around the ``if``
    binds it (a parameter, a store, ``global``), and every binding of it in the whole module,
    functions and ``__main__`` blocks included, is a false constant (``GRAPH_MODE = False``
    at the top, flipped by hand to draw plots)."""
    module = ancestors[0] if ancestors and isinstance(ancestors[0], ast.Module) else None
    if module is None:
        return False
    if any(
        name in {a.arg for a in ast.walk(scope.args) if isinstance(a, ast.arg)}
        for scope in ancestors
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
    ):
        return False
    if not _only_false_stores(module, name):
        return False
    return any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
        for node in module.body
    )


def _bound_false_only(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Whether every binding of ``name`` in ``function`` (nested code included) assigns a
    false constant, and there is one: not a parameter, a ``global``/``nonlocal``, a loop or
    ``with`` target, an import or any other store."""
    if name in {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}:
        return False
    return _only_false_stores(function, name)


def _only_false_stores(tree: ast.AST, name: str) -> bool:
    """Whether ``tree`` stores ``name`` at least once, and every store assigns a false
    constant (no other kind of binding: a loop or ``with`` target, an import, ...)."""
    stores = false_stores = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name:
            stores += not isinstance(node.ctx, ast.Load)
        elif _binds_otherwise(node, name):
            return False
        elif isinstance(node, ast.Assign | ast.AnnAssign) and (
            isinstance(node.value, ast.Constant) and not node.value.value
        ):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            false_stores += sum(isinstance(t, ast.Name) and t.id == name for t in targets)
    return stores > 0 and stores == false_stores


def _binds_otherwise(node: ast.AST, name: str) -> bool:
    """Whether ``node`` binds ``name`` other than by a store: ``global``/``nonlocal``, a
    ``def``/``class`` of that name, an import."""
    if isinstance(node, ast.Global | ast.Nonlocal):
        return name in node.names
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name == name
    if isinstance(node, ast.Import | ast.ImportFrom):
        return any((a.asname or a.name.partition(".")[0]) == name for a in node.names)
    return False


def _caught(types: ast.expr) -> list[str]:
    """The exception classes an ``except`` clause names (alone or in a tuple), by their last
    dotted part."""
    names = types.elts if isinstance(types, ast.Tuple) else [types]
    return [(dotted_name(t) or "").rpartition(".")[2] for t in names]


def _catches_import_error(types: ast.expr | None) -> bool:
    return types is None or any(name in IMPORT_ERRORS for name in _caught(types))


def handler_catches_import_error(handler: ast.ExceptHandler) -> bool:
    return _catches_import_error(handler.type)


def top_imports(nodes: Iterable[ast.AST]) -> set[str]:
    """Top-level packages that the import statements among ``nodes`` name absolutely
    (``import a.b``, ``from a.b import c``: ``a``); relative imports name none."""
    tops: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            tops.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            tops.add(node.module.partition(".")[0])
    return tops


def import_fallback_for(ancestors: Sequence[ast.AST]) -> tuple[str, ...]:
    """The top-level modules a ``try`` imports when the code in ``ancestors``' innermost
    handler that catches an ImportError runs only if that import fails: the ``try`` body only
    imports, absolutely (``try: from pkg import core`` / ``except ImportError:
    sys.path.append(".."); from pkg import core``); ``()`` otherwise."""
    for outer, handler in reversed(list(pairwise(ancestors))):
        if not (
            isinstance(outer, ast.Try)
            and isinstance(handler, ast.ExceptHandler)
            and handler in outer.handlers
            and handler_catches_import_error(handler)
        ):
            continue
        absolute = all(
            isinstance(stmt, ast.Import)
            or (isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level)
            for stmt in outer.body
        )
        return tuple(sorted(top_imports(outer.body))) if absolute else ()
    return ()


SKIP_EXCEPTIONS = frozenset({"SkipTest", "Skipped"})
"""Exceptions that pytest turns into a skip when a module raises them while it is imported."""


def raised_name(stmt: ast.Raise) -> str:
    """The last part of the name a ``raise`` raises (``SkipTest`` of ``raise
    unittest.SkipTest("...")``); "" for a bare ``raise`` or an expression."""
    raised = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
    return (dotted_name(raised) or "").rpartition(".")[2] if raised is not None else ""


def always_raises(body: Sequence[ast.stmt]) -> bool:
    """Whether statements end in a ``raise`` of anything but a skip (a handler that re-raises
    or wraps the ImportError lets the module fail collection all the same)."""
    for stmt in body:
        if isinstance(stmt, ast.Raise):
            return raised_name(stmt) not in SKIP_EXCEPTIONS
    return False


SKIP_CALLS = frozenset({"skipTest", "skip"})
"""The last parts of the calls that skip the running test (unittest's and pytest's)."""


def skips_directly(body: Sequence[ast.stmt]) -> bool:
    """Whether statements skip directly: ``self.skipTest(...)``, ``pytest.skip(...)``,
    ``raise unittest.SkipTest(...)``."""
    for stmt in body:
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if isinstance(call, ast.Call) and called_name(call) in SKIP_CALLS:
            return True
        if isinstance(stmt, ast.Raise) and raised_name(stmt) in SKIP_EXCEPTIONS:
            return True
    return False


def exits_function(body: Sequence[ast.stmt]) -> bool:
    """Whether statements leave the function (or skip the test) at their end: a ``return``, a
    skip, or a ``raise``."""
    return bool(body) and (isinstance(body[-1], ast.Return | ast.Raise) or skips_directly(body))


def statements_before(ancestors: Sequence[ast.AST], node: ast.AST) -> Iterator[ast.stmt]:
    """The statements that come before ``node`` in the blocks around it, inside its innermost
    function (none outside functions): each has run when ``node`` runs."""
    function = next(
        (i for i in range(len(ancestors) - 1, -1, -1) if isinstance(ancestors[i], FUNCTION_NODES)),
        None,
    )
    if function is None:
        return
    chain = [*ancestors[function:], node]
    for parent, child in pairwise(chain):
        for name in ("body", "orelse", "finalbody"):
            block = getattr(parent, name, None)
            if isinstance(block, list) and child in block:
                yield from block[: block.index(child)]


def exit_conditions(ancestors: Sequence[ast.AST], node: ast.AST) -> list[ast.expr]:
    """The conditions of ``if ...: return`` (or a skip, or a raise) statements that come before
    ``node`` in the blocks around it, inside its innermost function: ``node`` runs only where
    each is false (``if not is_x_installed(): return`` then ``import x``)."""
    return [
        stmt.test
        for stmt in statements_before(ancestors, node)
        if isinstance(stmt, ast.If) and exits_function(stmt.body)
    ]


def tolerating_handler(handlers: Sequence[ast.ExceptHandler]) -> bool:
    """Whether the first handler that catches an ImportError goes on instead of raising."""
    for handler in handlers:
        if handler_catches_import_error(handler):
            return not always_raises(handler.body)
    return False


MISSING_MODULE_ERROR = "ModuleNotFoundError"
"""What a module fails with when one of its imports finds no module."""


def collection_error(node: ast.AST, ancestors: Sequence[ast.AST]) -> str:
    """The error a module fails with when the import at ``node`` finds no module: a missing
    module's own, unless the innermost ``try`` around it that catches the ImportError raises
    its own instead (BS1: dyne's ``except ImportError as exc: raise RuntimeError("pip install
    dyne[sqlalchemy]") from exc``, which pytest reports as a ``RuntimeError``). "" when the
    handler raises what no name says (``raise missing("alchemical")``)."""
    for outer in reversed(ancestors):
        if not (isinstance(outer, ast.Try | ast.TryStar) and within(node, outer.body)):
            continue
        handler = next((h for h in outer.handlers if handler_catches_import_error(h)), None)
        if handler is None:
            continue
        raised = next((s for s in handler.body if isinstance(s, ast.Raise)), None)
        if raised is None or raised.exc is None:
            return MISSING_MODULE_ERROR  # tolerated, or re-raised as it came
        name = raised_name(raised)
        if isinstance(raised.exc, ast.Name) and raised.exc.id == handler.name:
            return MISSING_MODULE_ERROR  # ``except ImportError as e: raise e``
        return name if name[:1].isupper() else ""
    return MISSING_MODULE_ERROR


def caught_around(node: ast.AST, ancestors: Sequence[ast.AST]) -> tuple[str, ...]:
    """The exception classes (by their last dotted part) that the handlers of the ``try``
    statements whose body holds ``node`` catch (DN2: tronpy's ``try: from tronpy import proto``
    / ``except ProtobufImportError:``, the very error its module raises without protobuf)."""
    caught: set[str] = set()
    for outer in ancestors:
        if isinstance(outer, ast.Try | ast.TryStar) and within(node, outer.body):
            for handler in outer.handlers:
                if handler.type is not None:
                    caught.update(_caught(handler.type))
    return tuple(sorted(caught - {""}))


def suppresses_import_error(statement: ast.With | ast.AsyncWith) -> bool:
    """``with contextlib.suppress(ImportError):`` (or a broader exception), a ``with`` that
    expects the import to fail: its first argument names ``ImportError`` or
    ``ModuleNotFoundError``, or builds one (``pytest.raises(ImportError)``,
    ``self.assertRaises(ModuleNotFoundError)``, ``ShouldRaise(ModuleNotFoundError("..."))``),
    or one that records it (``records_import_error``)."""
    if records_import_error(statement):
        return True
    for item in statement.items:
        expr = item.context_expr
        if not isinstance(expr, ast.Call):
            continue
        if (dotted_name(expr.func) or "").rpartition(".")[2] == "suppress" and any(
            _catches_import_error(a) for a in expr.args if not isinstance(a, ast.Starred)
        ):
            return True
        if expr.args and _expects_import_error(expr.args[0]):
            return True
    return False


def records_import_error(statement: ast.With | ast.AsyncWith) -> bool:
    """A ``with`` whose context manager is named for imports (optuna's ``with try_import() as
    _imports:``, ``optional_import()``): a library's own helper that records the ImportError
    instead of raising it, whose code the linter may not read. The module imports; what the
    block binds is missing."""
    return any(
        isinstance(item.context_expr, ast.Call)
        and "import" in (dotted_name(item.context_expr.func) or "").rpartition(".")[2].lower()
        for item in statement.items
    )


def recorded_names(node: ast.AST, ancestors: Sequence[ast.AST]) -> tuple[str, ...]:
    """The names an import statement binds when it is in the body of a ``with`` that records
    an ImportError (``records_import_error``): without the package they are missing from the
    module (``from matplotlib import pyplot as plt``: ``plt``); () elsewhere."""
    if not isinstance(node, ast.Import | ast.ImportFrom) or not any(
        isinstance(outer, ast.With | ast.AsyncWith)
        and within(node, outer.body)
        and records_import_error(outer)
        for outer in ancestors
    ):
        return ()
    if isinstance(node, ast.Import):
        return tuple(alias.asname or alias.name.partition(".")[0] for alias in node.names)
    return tuple(alias.asname or alias.name for alias in node.names)


def _expects_import_error(expected: ast.expr) -> bool:
    """Whether an expected exception is ``ImportError``/``ModuleNotFoundError`` (a class, a
    tuple holding one, or an instance built from one)."""
    if isinstance(expected, ast.Call):
        expected = expected.func
    names = expected.elts if isinstance(expected, ast.Tuple) else [expected]
    return any(
        (dotted_name(t) or "").rpartition(".")[2] in ("ImportError", "ModuleNotFoundError")
        for t in names
    )


def _guards_import_error(statement: ast.AST, node: ast.AST) -> bool:
    """Whether ``node`` is in the body of ``statement``, a ``try`` one of whose handlers catches
    ImportError or a ``with`` that suppresses or expects it."""
    if isinstance(statement, ast.Try | ast.TryStar):
        return within(node, statement.body) and any(
            map(handler_catches_import_error, statement.handlers)
        )
    if isinstance(statement, ast.With | ast.AsyncWith):
        return within(node, statement.body) and suppresses_import_error(statement)
    return False


def called_under_guard(ancestors: Sequence[ast.AST]) -> bool:
    """Whether the code around an import is a function (or a class's) defined inside another
    function, which calls it (by name) only where an ImportError is caught or expected: ``def
    load(): import x`` then ``with pytest.raises(ImportError): load()``, or a local class whose
    ``__init__`` imports, built in a ``try`` whose handler catches ImportError (ZK5); or never
    calls by name, only stores in a dispatch table (QN10)."""
    for index in range(len(ancestors) - 1, 0, -1):
        defined = ancestors[index]
        if not isinstance(defined, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        host = next(
            (
                a
                for a in reversed(ancestors[:index])
                if isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef)
            ),
            None,
        )
        if host is None:
            continue
        calls = [
            sub
            for sub in ast.walk(host)
            if isinstance(sub, ast.Call) and dotted_name(sub.func) == defined.name
        ]
        if calls and all(
            any(_guards_import_error(statement, call) for statement in ast.walk(host))
            for call in calls
        ):
            return True
        if not calls and _only_in_dispatch_tables(host, defined.name):
            return True
    return False


def _only_in_dispatch_tables(host: ast.AST, name: str) -> bool:
    """Whether a local function is never called by name in ``host``, only stored as a value of
    a dict literal (``{"tf": logsumexp_tf, "numpy": logsumexp_numpy}``): which entry runs is
    chosen at run time (by the backend under test, say), so its imports are not sure to run
    where their package is missing."""
    loads = [
        sub
        for sub in ast.walk(host)
        if isinstance(sub, ast.Name) and sub.id == name and isinstance(sub.ctx, ast.Load)
    ]
    values = {
        id(value) for sub in ast.walk(host) if isinstance(sub, ast.Dict) for value in sub.values
    }
    return bool(loads) and all(id(load) in values for load in loads)


_RAISES_CALLS = frozenset({"raises", "assertRaises", "assertRaisesRegex", "assertRaisesRegexp"})


def _expects_import_error_in(function: ast.AST) -> bool:
    """Whether a function checks that an ImportError happened: an ``assert`` naming
    ``ImportError``/``ModuleNotFoundError`` (``assert isinstance(exc.__cause__, ImportError)``)
    or a ``raises``/``assertRaises`` call expecting one. Catching one (to skip) is no check."""
    for sub in ast.walk(function):
        if isinstance(sub, ast.Assert) and mentioned_names(sub.test) & {
            "ImportError",
            "ModuleNotFoundError",
        }:
            return True
        if (
            isinstance(sub, ast.Call)
            and (dotted_name(sub.func) or "").rpartition(".")[2] in _RAISES_CALLS
            and sub.args
            and _expects_import_error(sub.args[0])
        ):
            return True
    return False


def _spans_any(statement: ast.stmt, lines: Sequence[int]) -> bool:
    """Whether ``statement`` (its decorators included) spans one of ``lines`` (ascending)."""
    decorators = getattr(statement, "decorator_list", [])
    first = min([statement.lineno, *(d.lineno for d in decorators)])
    index = bisect.bisect_left(lines, first)
    return index < len(lines) and lines[index] <= (statement.end_lineno or statement.lineno)


def import_error_helpers(module: ast.Module, source: str) -> frozenset[str]:
    """CR1: the module-level functions of a test module that only tests expecting an
    ImportError mention: orjson's ``def default_importerror(obj): import doesnotexist``, handed
    as ``default=`` inside ``pytest.raises(orjson.JSONEncodeError)`` by a test asserting
    ``isinstance(exc.__cause__, ImportError)``. The failing import is the test's point. Every
    mention of the name outside its own ``def`` must be inside such a test. Only the top-level
    statements on whose lines ``source`` (the module's text) spells a helper's name are walked."""
    helpers = {
        stmt.name: stmt
        for stmt in module.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
        and not stmt.decorator_list
        and not stmt.name.startswith("test")
        and any(isinstance(n, ast.Import | ast.ImportFrom) for n in ast.walk(stmt))
    }
    if not helpers:  # the module's walks below only where a helper imports something
        return frozenset()
    # one pass over the module: each mention of a helper outside its own ``def`` with the
    # functions around it; only those functions are asked whether they expect an ImportError
    names = "|".join(map(re.escape, helpers))
    spelt = re.compile(rf"\b(?:{names})\b")
    texts = re.split(r"\r\n?|\n", source)  # the line ends the parser counts, no others
    lines = [number for number, text in enumerate(texts, 1) if spelt.search(text)]
    outside: dict[str, list[tuple[ast.AST, ...]]] = {}
    pending: list[tuple[ast.AST, tuple[ast.AST, ...]]] = [
        (statement, ()) for statement in module.body if _spans_any(statement, lines)
    ]
    while pending:
        node, functions = pending.pop()
        if isinstance(node, ast.Name) and node.id in helpers:
            if helpers[node.id] not in functions:
                outside.setdefault(node.id, []).append(functions)
            continue
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            functions = (*functions, node)
        pending.extend((child, functions) for child in ast.iter_child_nodes(node))
    expects: dict[ast.AST, bool] = {}

    def covered(functions: tuple[ast.AST, ...]) -> bool:
        for function in functions:
            if function not in expects:
                expects[function] = _expects_import_error_in(function)
            if expects[function]:
                return True
        return False

    return frozenset(name for name, uses in outside.items() if all(covered(use) for use in uses))


OTHER_INTERPRETER_DECORATORS = frozenset({"run_in_pyodide"})
"""Decorators whose function runs in another interpreter (Pyodide), not where pytest imports."""


def runs_elsewhere(node: ast.AST) -> bool:
    """Whether a function is decorated to run in another interpreter (``@run_in_pyodide``)."""
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if (dotted_name(target) or "").rpartition(".")[2] in OTHER_INTERPRETER_DECORATORS:
            return True
    return False


def mentions_call(node: ast.AST, name: str) -> bool:
    """Whether ``node`` contains a call to ``name`` or to an attribute ``.name``."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            callee = dotted_name(sub.func) or ""
            if callee == name or callee.endswith("." + name):
                return True
    return False


FILE_CHECKS = frozenset({"exists", "is_file", "is_dir", "isfile", "isdir"})
"""Calls that hold only where a file or folder exists (``Path``'s and ``os.path``'s)."""


def checks_file(test: ast.expr) -> bool:
    """CA3: whether ``test`` holds only where a file or folder exists: a call of
    ``.exists()``, ``.is_file()``, ``.is_dir()`` (``Path``'s; ``os.path``'s ``exists``,
    ``isfile``, ``isdir``), alone or in an ``and``."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(checks_file(value) for value in test.values)
    if not isinstance(test, ast.Call):
        return False
    function = test.func
    if isinstance(function, ast.Attribute):
        return function.attr in FILE_CHECKS
    return isinstance(function, ast.Name) and function.id in ("isfile", "isdir")


def import_guard(node: ast.AST, ancestors: Sequence[ast.AST]) -> bool:
    """Whether a failing import at ``node`` would be tolerated instead of failing collection.

    Guards: the ``try`` body of a ``try/except ImportError`` (or a broader exception) whose
    handler does not raise (inside a function, any such handler: raising a clearer error there
    is deliberate, and fails no collection), and the fallback in such a handler; any other
    ``except`` handler's body (it runs only when the ``try`` failed); the body of
    ``with contextlib.suppress(ImportError):``; the body of ``if TYPE_CHECKING:``; a branch of an
    ``if`` whose condition calls ``find_spec``; the body of an ``if`` that holds only where a
    file exists (CA3: ``if (TOOLS / "gen.py").is_file():`` before importing the tools it puts on
    ``sys.path``, which a tree without them never imports); a function that runs in another
    interpreter.
    """
    for outer in ancestors:
        if isinstance(outer, ast.Try | ast.TryStar) and within(node, outer.body):
            if tolerating_handler(outer.handlers) or (
                in_function(ancestors) and any(map(handler_catches_import_error, outer.handlers))
            ):
                return True  # in a function, a handler that raises is a deliberate message
        elif isinstance(outer, ast.ExceptHandler) and handler_catches_import_error(outer):
            if not always_raises(outer.body):
                return True  # the fallback of ``try: import new / except ImportError: import old``
        elif isinstance(outer, ast.ExceptHandler) and (
            outer.type is None or "NameError" not in _caught(outer.type)
        ):
            # runs only when the ``try`` failed, which may never happen where the tests run
            # (spatialist's ``except RuntimeError: from pysqlite2 import dbapi2``, taken only
            # where the standard sqlite3 cannot load extensions); a ``NameError`` handler is
            # Python 2's fallback, judged by the builtin its ``try`` names (RV8)
            return True
        elif isinstance(outer, ast.With | ast.AsyncWith) and within(node, outer.body):
            if suppresses_import_error(outer):
                return True
        elif isinstance(outer, ast.If):
            test_name = dotted_name(outer.test) or ""
            if test_name.rpartition(".")[2] == "TYPE_CHECKING" and within(node, outer.body):
                return True
            if mentions_call(outer.test, "find_spec"):
                return True
            if within(node, outer.body) and checks_file(outer.test):
                return True
        elif runs_elsewhere(outer):
            return True
    return called_under_guard(ancestors)


def called_with_strings(node: ast.AST, name: str) -> list[str]:
    """The literal first arguments of calls to ``name`` (or ``.name``) inside ``node``."""
    found: list[str] = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and sub.args:
            callee = dotted_name(sub.func) or ""
            value = string_value(sub.args[0])
            if value is not None and (callee == name or callee.endswith("." + name)):
                found.append(value)
    return found


def requests_own_name(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Whether a fixture named ``name`` requests the fixture of that name it overrides, so that
    it wraps that one instead of replacing it: as a parameter, or
    ``request.getfixturevalue(name)`` (the way to ask for a fixture that older pytest lacks,
    such as ``subtests`` before pytest 9)."""
    parameters = parameter_names(func)
    if name in parameters:
        return True
    return "request" in parameters and name in called_with_strings(func, "request.getfixturevalue")


NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
"""Nodes whose body is another scope: a ``return``, ``yield`` or call in them is not the
enclosing function's."""


def own_nodes(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Every node at or under ``nodes`` (a function's body), without the functions, lambdas
    and classes among them and what lies in those: what the function itself runs."""
    pending = [node for node in nodes if not isinstance(node, NESTED_SCOPES)]
    while pending:
        node = pending.pop()
        yield node
        pending.extend(
            child for child in ast.iter_child_nodes(node) if not isinstance(child, NESTED_SCOPES)
        )


def returns_dicts(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether the function gives back a ``dict`` every way it does (a literal, a comprehension
    or a ``dict(...)`` call in each ``return``/``yield`` of its own, at least one): a
    ``doctest_namespace`` override that does hands pytest's doctests the namespace they read,
    as the built-in would, while one that returns nothing breaks every doctest."""
    values = [n.value for n in own_nodes(func.body) if isinstance(n, ast.Return | ast.Yield)]
    return bool(values) and all(
        isinstance(value, ast.Dict | ast.DictComp)
        or (isinstance(value, ast.Call) and called_name(value) == "dict")
        for value in values
    )


def skips_module(body: Sequence[ast.stmt]) -> bool:
    """Whether statements skip the module directly: ``pytest.skip(...,
    allow_module_level=True)``, or ``raise unittest.SkipTest(...)``, which pytest turns into a
    skip of the module when its import raises it (unittest-style suites skip a module so)."""
    for stmt in body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            call = stmt.value
            flag = keyword_value(call, "allow_module_level")
            if is_pytest_attr(call.func, "skip") and isinstance(flag, ast.Constant) and flag.value:
                return True
        if isinstance(stmt, ast.Raise) and stmt.exc is not None:
            raised = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
            if (dotted_name(raised) or "").rpartition(".")[2] == "SkipTest":
                return True
    return False


SETUP_PAIRS = {
    "setup_module": "teardown_module",
    "setup_function": "teardown_function",
    "setup_class": "teardown_class",
    "setup_method": "teardown_method",
    "setup": "teardown",
    "setUp": "tearDown",
    "setUpClass": "tearDownClass",
    "setUpModule": "tearDownModule",
    "asyncSetUp": "asyncTearDown",
}
"""pytest's and unittest's xunit-style setup names, each with the teardown that undoes it."""
SETUP_TEARDOWN = frozenset(SETUP_PAIRS) | frozenset(SETUP_PAIRS.values())
"""The xunit-style and unittest methods that pytest runs around tests."""
PER_TEST_SETUPS = frozenset({"setup_method", "setup", "setUp", "asyncSetUp", "setup_function"})
"""xunit setups that run before each test, inside the function-scoped fixtures of the nodes
above the one defining them (a conftest's autouse fixture wraps them), and only before a test
that runs (a skipped test skips its ``setUp`` too, EZ2)."""
CLASS_TEST_SETUPS = PER_TEST_SETUPS - {"setup_function"}
"""The per-test setups of a class: each of its tests runs after one."""
PER_TEST_TEARDOWNS = frozenset(SETUP_PAIRS[name] for name in CLASS_TEST_SETUPS)
"""Teardown methods that run after each test of their class."""
PER_TEST_METHODS = CLASS_TEST_SETUPS | PER_TEST_TEARDOWNS
"""A class's methods that run around each of its tests, and only around one that runs (EZ2)."""
CLASS_SETUPS = frozenset({"setup_class", "setUpClass"})
"""Setups that run once before the tests of their class (the others run before each test)."""
CLASS_TEARDOWNS = frozenset(SETUP_PAIRS[name] for name in CLASS_SETUPS)
"""Teardowns that run once after the tests of their class (EX1)."""

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def is_test_function(func: FunctionNode, parent: ast.AST | None) -> bool:
    """A function pytest collects as a test: ``test*`` at module level or in a class."""
    return func.name.startswith("test") and isinstance(parent, ast.Module | ast.ClassDef)


def is_test_code(func: FunctionNode, parent: ast.AST | None) -> bool:
    """Whether pytest runs ``func`` (defined directly in ``parent``) as test code.

    Test code is a test function, a fixture or an xunit/unittest setup or teardown method, and
    everything nested in them; other helpers and hooks are not (their callers are unknown).
    """
    return (
        is_test_function(func, parent)
        or func.name in SETUP_TEARDOWN
        or fixture_decl(func) is not None
    )


def requested_parameters(func: FunctionNode, parent: ast.AST | None) -> list[str] | None:
    """The parameters pytest fills with fixtures for a test or fixture function defined in
    ``parent``: less a method's ``self`` and the ``direct_parameters``. None when a decorator
    other than a pytest mark or ``pytest.fixture`` may fill or rename them (``mock.patch``,
    ``hypothesis.given``, ``functools.wraps``)."""
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = dotted_name(target) or ""
        if not (name.rpartition(".")[0].endswith("mark") or is_pytest_attr(target, "fixture")):
            return None
    cls = parent if isinstance(parent, ast.ClassDef) else None
    names = parameter_names(func)[1:] if cls is not None else parameter_names(func)
    direct = direct_parameters(func, cls)
    return [name for name in names if name not in direct]


ENVIRONMENT_READS = frozenset({"os.environ.get", "environ.get", "os.getenv", "getenv"})
"""Calls that read an environment variable without failing where it is missing."""

SKIP_MARKERS = frozenset({"skipif", "skip", "xfail"})
"""The markers that may keep a test from running (``xfail`` turns its error into a pass)."""


def module_may_skip(module: ast.Module) -> bool:
    """Whether the module's tests may never run: its top level skips (``skips_module``) or
    ``importorskip``s, or its ``pytestmark`` holds a skip or xfail marker."""
    for stmt in module.body:
        value = stmt.value if isinstance(stmt, ast.Expr | ast.Assign) else None
        if isinstance(value, ast.Call) and called_name(value) == "importorskip":
            return True
    marks = marker_names(pytestmark_values(module.body))
    return skips_module(module.body) or bool(SKIP_MARKERS.intersection(marks))


def collected_test(func: FunctionNode, parent: ast.AST | None) -> bool:
    """A ``test*`` function pytest collects and calls with fixtures: at module level, or in a
    ``Test*`` class without bases (a base may be ``unittest.TestCase``, whose methods get no
    fixtures and whose coroutines unittest itself runs)."""
    if not func.name.startswith("test"):
        return False
    if isinstance(parent, ast.Module):
        return True
    return isinstance(parent, ast.ClassDef) and parent.name.startswith("Test") and not parent.bases


def marker_names(decorators: Sequence[ast.expr]) -> list[str]:
    """``skipif`` for ``@pytest.mark.skipif(...)``: the markers a decorator list applies."""
    names: list[str] = []
    for decorator in decorators:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = dotted_name(target) or ""
        head, _, marker = name.rpartition(".")
        if head.endswith("mark") and marker:
            names.append(marker)
    return names


def statements(tree: ast.AST) -> Iterator[ast.stmt]:
    """Every statement under ``tree``, at any depth (in functions, classes, branches, loops,
    ``try`` handlers, ``match`` cases), without entering expressions: imports and class
    definitions are statements, and a test file's expressions (sympy's are large literals) are
    most of its nodes."""
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.stmt):
            yield node
        for _, value in ast.iter_fields(node):
            if isinstance(value, list) and value and isinstance(value[0], _BLOCK_ITEMS):
                pending.extend(reversed(value))


_BLOCK_ITEMS = (ast.stmt, ast.excepthandler, ast.match_case)


# Several rules ask these of the same module at its end (APT203 and APT204 both, APT203 each
# of them twice): each is one walk of the whole tree, worked out once per module. The cache
# holds the last modules asked about (the engine lints one file at a time).
_PER_MODULE = functools.lru_cache(maxsize=2)


@_PER_MODULE
def module_skip_line(module: ast.Module) -> int | None:
    """The last line of the first statement of the module body that skips the module whenever
    pytest imports it: ``raise unittest.SkipTest()`` or ``pytest.skip(...,
    allow_module_level=True)``, directly or in the branch of an ``if`` that import always takes
    (``imported_branch``: reppy2's ``if sys.version_info[0] == 3 or ...: raise
    unittest.SkipTest()``). pytest reports the module skipped, and nothing below that statement
    ever runs (AZ2). None when no statement does."""
    for statement in module.body:
        branch = imported_branch(statement) if isinstance(statement, ast.If) else [statement]
        if skips_module(branch):
            return statement.end_lineno or statement.lineno
    return None


def _after_module_skip(ancestors: Sequence[ast.AST], node: ast.AST) -> bool:
    """Whether ``node`` lies in a statement of the module body below its ``module_skip_line``."""
    module = ancestors[0] if ancestors else None
    if not isinstance(module, ast.Module):
        return False
    skip = module_skip_line(module)
    top = ancestors[1] if len(ancestors) > 1 else node
    return skip is not None and getattr(top, "lineno", 0) > skip


@_PER_MODULE
def imported_origins(module: ast.Module) -> Mapping[str, str]:
    """Names the file binds by importing, with the top-level module each comes from ("." for
    a relative import)."""
    found: dict[str, str] = {}
    for node in statements(module):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.partition(".")[0]
                found[alias.asname or top] = top
        elif isinstance(node, ast.ImportFrom):
            origin = "." if node.level else (node.module or "").partition(".")[0]
            for alias in node.names:
                found[alias.asname or alias.name] = origin
    return found


@_PER_MODULE
def imported_refs(module: ast.Module) -> Mapping[str, str]:
    """The names the file binds by an absolute ``from module import name``, each with
    ``"module:name"`` (APT203's BO1: where the project's own module defining it can be read)."""
    return {
        alias.asname or alias.name: f"{node.module}:{alias.name}"
        for node in statements(module)
        if isinstance(node, ast.ImportFrom) and not node.level and node.module
        for alias in node.names
        if alias.name != "*"
    }


@_PER_MODULE
def class_lineage(module: ast.Module) -> Mapping[ast.ClassDef, frozenset[ast.ClassDef]]:
    """For each class of the file, itself and the classes of the same file it derives from,
    directly or through each other (``class TestGit(VCSMixin, TestCase)``): the ``setUp``,
    ``tearDown`` and fixtures it inherits from them run around its tests as if it defined
    them."""
    classes = {node.name: node for node in statements(module) if isinstance(node, ast.ClassDef)}
    found: dict[ast.ClassDef, frozenset[ast.ClassDef]] = {}

    def lineage(cls: ast.ClassDef, seen: frozenset[str]) -> frozenset[ast.ClassDef]:
        known = found.get(cls)
        if known is not None:
            return known
        result = {cls}
        for base in cls.bases:
            name = dotted_name(base) or ""
            local = classes.get(name)
            if local is not None and name not in seen:
                result |= lineage(local, seen | {name})
        found[cls] = frozenset(result)
        return found[cls]

    for cls in classes.values():
        lineage(cls, frozenset({cls.name}))
    return found


@_PER_MODULE
def base_origins(module: ast.Module) -> Mapping[ast.ClassDef, frozenset[str]]:
    """For each class of the file, the modules its imported base classes come from, also
    through the file's own classes (``class B(A)``, ``class A(CoverageTest)``): what a test
    class inherits (an autouse fixture, a ``setUp``) that the file does not show. A base
    named like the class itself (``class TestCase(TestCase)``) is the imported one."""
    imported = imported_origins(module)
    lineages = class_lineage(module)
    local = {cls.name for cls in lineages}
    return {
        cls: frozenset(
            imported[top]
            for ancestor in lineage
            for base in ancestor.bases
            for name in [dotted_name(base) or ""]
            for top in [name.partition(".")[0]]
            if (name not in local or name == ancestor.name) and top in imported
        )
        for cls, lineage in lineages.items()
    }


TEMP_DIR_TEST_BASES = frozenset(
    f"{package}.tests:{name}"
    for package in ("breezy", "bzrlib")
    for name in ("TestCaseInTempDir", "TestCaseWithMemoryTransport", "TestCaseWithTransport")
)
"""Third-party test base classes whose ``setUp`` moves each test into a temporary working
directory it made (breezy's ``makeAndChdirToTestDir``), as ``"module:name"``."""


def temp_dir_test_classes(module: ast.Module) -> frozenset[ast.ClassDef]:
    """The classes of the file deriving, directly or through the file's own classes, from a
    base of :data:`TEMP_DIR_TEST_BASES` (``from breezy.tests import TestCaseWithTransport``,
    ``from breezy import tests`` then ``tests.TestCaseInTempDir``, or ``import breezy.tests``):
    their tests run in a temporary folder, so relative paths land there."""
    refs = imported_refs(module)
    imports = {
        alias.asname or alias.name.partition(".")[0]
        for node in statements(module)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.asname is None or "." not in alias.name
    }
    lineages = class_lineage(module)  # worked out once per module (``_PER_MODULE``)
    local = {cls.name for cls in lineages}

    def harness(base: ast.expr, owner: ast.ClassDef) -> bool:
        name = dotted_name(base) or ""
        if name in local and name != owner.name:
            return False
        head, _, rest = name.partition(".")
        if head in refs:
            full = refs[head].replace(":", ".") + (f".{rest}" if rest else "")
        elif head in imports and rest:
            full = name
        else:
            return False
        path, _, cls = full.rpartition(".")
        return f"{path}:{cls}" in TEMP_DIR_TEST_BASES

    return frozenset(
        cls
        for cls, lineage in lineages.items()
        if any(harness(base, ancestor) for ancestor in lineage for base in ancestor.bases)
    )


def decorator_origins(
    func: FunctionNode | ast.ClassDef, imported: Mapping[str, str]
) -> frozenset[str]:
    """The modules the imported decorators of ``func`` come from (``imported``: the file's
    ``imported_origins``): ``@with_project()`` of ``from .helpers import with_project`` may run
    the test anywhere, in a temporary folder (click's ``isolated_filesystem()``) among them."""
    found: set[str] = set()
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        top = (dotted_name(target) or "").partition(".")[0]
        if top in imported:
            found.add(imported[top])
    return frozenset(found)


def _named_fixture(node: ast.expr) -> str | None:
    """A fixture's name as ``usefixtures`` is given it: a string, or ``func.__name__`` of the
    fixture function itself (``usefixtures(change_to_ex_proj_dir.__name__)``)."""
    if isinstance(node, ast.Attribute) and node.attr == "__name__":
        return node.value.id if isinstance(node.value, ast.Name) else None
    return string_value(node)


def used_fixtures(decorators: Sequence[ast.expr]) -> list[str]:
    """``a``, ``b`` of ``@pytest.mark.usefixtures("a", "b")``: fixtures requested by a mark."""
    return [
        text
        for decorator in decorators
        if isinstance(decorator, ast.Call)
        and (dotted_name(decorator.func) or "").endswith("mark.usefixtures")
        for text in map(_named_fixture, decorator.args)
        if text
    ]


def pytestmark_values(body: Sequence[ast.stmt]) -> list[ast.expr]:
    """The marks a module's or class's ``pytestmark = ...`` assignments apply."""
    values: list[ast.expr] = []
    for node in body:
        if isinstance(node, ast.Assign) and pytestmark_markers(node) is not None:
            value = node.value
            values += value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
    return values


def requested_fixtures(
    func: FunctionNode, cls: ast.ClassDef | None, module: ast.Module
) -> set[str]:
    """The fixtures pytest sets up for ``func`` by name: its parameters and the ``usefixtures``
    marks of the function, its class (decorator or ``pytestmark``) and its module's
    ``pytestmark``. Autouse fixtures are not named here: where they apply is a question of the
    files and classes that define them."""
    requested = {*parameter_names(func), *used_fixtures(func.decorator_list)}
    requested.update(used_fixtures(pytestmark_values(module.body)))
    if cls is not None:
        requested.update(used_fixtures(cls.decorator_list))
        requested.update(used_fixtures(pytestmark_values(cls.body)))
    return requested - direct_parameters(func, cls)


def direct_parameters(func: FunctionNode, cls: ast.ClassDef | None) -> set[str]:
    """Parameters of a test that pytest does not look up as fixtures: those with a default
    value, the first ones that ``@mock.patch`` decorators fill with their mocks, those
    hypothesis's ``@given`` fills (by keyword, or its strategies the last ones), and the names a
    ``parametrize`` mark of the function or its class gives values directly (not
    ``indirect``)."""
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    names = {a.arg for a in positional[len(positional) - len(args.defaults) :]}
    names.update(a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d)
    patches = [
        d
        for d in func.decorator_list
        if isinstance(d, ast.Call)
        and (dotted_name(d.func) or "").endswith(("patch", "patch.object"))
        and not any(keyword.arg == "new" for keyword in d.keywords)
        and len(d.args) < (3 if (dotted_name(d.func) or "").endswith("object") else 2)
    ]
    own = [a.arg for a in positional if a.arg not in ("self", "cls")]
    names.update(own[: len(patches)])  # ``@mock.patch("x")`` passes its mock first
    for given in func.decorator_list:  # hypothesis fills these: by name, or the last ones
        if isinstance(given, ast.Call) and (dotted_name(given.func) or "").endswith("given"):
            names.update(keyword.arg for keyword in given.keywords if keyword.arg)
            names.update(own[len(own) - len(given.args) :] if given.args else ())
    decorators = [*func.decorator_list, *(cls.decorator_list if cls is not None else ())]
    for decorator in decorators:
        if not isinstance(decorator, ast.Call) or not decorator.args:
            continue
        if (dotted_name(decorator.func) or "").rpartition(".")[2] != "parametrize":
            continue
        if any(keyword.arg == "indirect" for keyword in decorator.keywords):
            continue
        first = decorator.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.update(n.strip() for n in first.value.split(",") if n.strip())
        elif isinstance(first, ast.List | ast.Tuple):
            names.update(
                e.value
                for e in first.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            )
    return names


def hands_off_monkeypatch(call: ast.Call) -> bool:
    """Whether ``call`` passes ``monkeypatch`` to a helper (``process_package(pkg,
    monkeypatch)``): the helper may ``monkeypatch.chdir`` with it, out of sight."""
    values = [*call.args, *(keyword.value for keyword in call.keywords)]
    return any(isinstance(value, ast.Name) and value.id == "monkeypatch" for value in values)


SKIPPING_CALLS = frozenset({"skip", "importorskip", "xfail", "skipTest"})
"""What a function calls to skip the test it runs for: ``pytest.skip``/``importorskip``/
``xfail``, unittest's ``self.skipTest``."""


def may_skip(func: FunctionNode) -> bool:
    """Whether ``func`` (a fixture) skips the test, under any condition: a call of
    ``SKIPPING_CALLS`` or a ``raise`` of ``SkipTest`` in its own body (not a nested function's).
    A test requesting it, directly or through other fixtures, may then be skipped where what
    it checks is missing (AZ4: core-flux's conftest fixture ``media`` skips ``if
    shutil.which("ffmpeg") is None``)."""
    return any(
        (isinstance(node, ast.Call) and called_name(node) in SKIPPING_CALLS)
        or (isinstance(node, ast.Raise) and raised_name(node) in SKIP_EXCEPTIONS)
        for node in own_nodes(func.body)
    )


def monkeypatches_cwd(func: FunctionNode) -> bool:
    """Whether ``func`` calls ``monkeypatch.chdir`` on its ``monkeypatch`` parameter, or hands
    that ``monkeypatch`` to a helper that may: that fixture saves the working directory at its
    first ``chdir`` and goes back there when the test ends, so a later ``os.chdir`` in the test
    is undone as well."""
    if "monkeypatch" not in parameter_names(func):
        return False
    return any(
        isinstance(node, ast.Call)
        and (dotted_name(node.func) == "monkeypatch.chdir" or hands_off_monkeypatch(node))
        for node in ast.walk(func)
    )


CWD_RESTORING_MANAGERS = frozenset({"isolated_filesystem", "chdir"})
"""Context managers that move into a folder on entry and go back on exit: click's
``CliRunner().isolated_filesystem()`` and ``contextlib.chdir()`` (Python 3.11)."""


def yields_in_cwd_manager(func: FunctionNode) -> bool:
    """Whether ``func`` yields inside a ``with`` of a manager that goes back to the working
    directory it found (BP1: ``with runner.isolated_filesystem(temp_dir=tmp_path) as td: yield
    Path(td)``). Such a fixture's teardown exits the manager after the test, which changes the
    directory back to the one from before it, so an ``os.chdir`` the test makes in between is
    undone too. A manager left before the ``yield`` (or a ``return`` in it) undoes nothing
    after the test."""
    for node in ast.walk(func):
        if not isinstance(node, ast.With | ast.AsyncWith) or not any(
            isinstance(item.context_expr, ast.Call)
            and called_name(item.context_expr) in CWD_RESTORING_MANAGERS
            and dotted_name(item.context_expr.func) != "os.chdir"
            for item in node.items
        ):
            continue
        if any(isinstance(inner, ast.Yield | ast.YieldFrom) for inner in own_nodes(node.body)):
            return True
    return False


def pytestmark_markers(node: ast.Assign) -> list[str] | None:
    """The markers of a ``pytestmark = ...`` assignment, or None for any other assignment."""
    if not any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets):
        return None
    value = node.value
    values = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
    return marker_names(values)


UNCONDITIONAL_SKIPS = frozenset({"skip"})
"""Skip decorators and marks without a condition: ``@pytest.mark.skip(reason=...)``,
``@unittest.skip("...")``."""
CONDITIONAL_SKIPS = {"skipif": True, "skipIf": True, "skipUnless": False}
"""Skips with a condition, each with the value of the condition that skips."""


def skips_unconditionally(mark: ast.expr, *, on_class: ast.ClassDef | None = None) -> bool:
    """Whether a decorator or ``pytestmark`` entry keeps the test from ever running.

    ``skip`` marks and unittest's ``skip`` always do; ``skipif``/``skipIf``/``skipUnless`` when
    their condition is a literal (``skipif(True, ...)``); ``xfail(run=False)`` without a
    condition. unittest's ``skip`` on a class only skips a ``TestCase`` (it sets an attribute
    pytest reads there), so a class without bases is not taken as skipped.
    """
    call = mark if isinstance(mark, ast.Call) else None
    name = dotted_name(call.func if call is not None else mark) or ""
    head, _, last = name.rpartition(".")
    if last in UNCONDITIONAL_SKIPS:
        return head.endswith("mark") or on_class is None or bool(on_class.bases)
    if call is None:
        return False
    condition = call.args[0] if call.args else keyword_value(call, "condition")
    applies = head.endswith("mark") or on_class is None or bool(on_class.bases)
    if last in CONDITIONAL_SKIPS and isinstance(condition, ast.Constant) and applies:
        return bool(condition.value) is CONDITIONAL_SKIPS[last]
    run = keyword_value(call, "run")
    return (
        last == "xfail"
        and head.endswith("mark")
        and condition is None
        and isinstance(run, ast.Constant)
        and run.value is False
    )


def skipped_module(module: ast.Module) -> bool:
    """Whether a test module's ``pytestmark`` skips all its tests without a condition, or a
    module-level ``pytest.skip(..., allow_module_level=True)`` or ``raise SkipTest`` skips the
    whole module, directly or under ``if __name__ != "__main__":``, which holds whenever pytest
    imports it (pytest never reads ``pytestmark`` of a conftest: callers ask this of test
    modules only)."""
    marks = pytestmark_values(module.body)
    return (
        any(skips_unconditionally(mark) for mark in marks)
        or skips_module(module.body)
        or any(
            skips_module(imported_branch(stmt)) for stmt in module.body if isinstance(stmt, ast.If)
        )
    )


PLAIN_TEST_BASES = frozenset(
    {"unittest.TestCase", "TestCase", "unittest.IsolatedAsyncioTestCase", "object"}
)
"""Bases that bring no test of their own to a class (EZ2)."""


def _setup_of_skipped_tests(func: FunctionNode, ancestors: Sequence[ast.AST]) -> bool:
    """EZ2: whether ``func`` is a per-test method (``setUp``) of a class whose every test is
    skipped without a condition (neutron's ``TestSignalHandling``, its one test under
    ``@unittest.skip``): nothing runs it. Only a class with tests of its own, no base that may
    bring others, and no subclass in its module that may add some; asked of such methods only."""
    cls = ancestors[-1] if ancestors else None
    if not isinstance(cls, ast.ClassDef):
        return False
    tests = [
        node
        for node in cls.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    ]
    if not tests or not all(
        any(skips_unconditionally(d) for d in test.decorator_list) for test in tests
    ):
        return False
    if not all(dotted_name(base) in PLAIN_TEST_BASES for base in cls.bases):
        return False
    module = ancestors[0]
    return not any(
        isinstance(node, ast.ClassDef)
        and any((dotted_name(base) or "").rpartition(".")[2] == cls.name for base in node.bases)
        for node in ast.walk(module)
    )


def skipped_test(func: FunctionNode, ancestors: Sequence[ast.AST]) -> bool:
    """Whether a test function, method or setup never runs because it, or a class around it,
    is skipped without a condition (its module's marks are :func:`skipped_module`'s), or it is
    the ``setUp`` of a class whose tests all are (EZ2)."""
    if any(skips_unconditionally(d) for d in func.decorator_list):
        return True
    for node in ancestors:
        if isinstance(node, ast.ClassDef):
            marks = [*node.decorator_list, *pytestmark_values(node.body)]
            if any(skips_unconditionally(mark, on_class=node) for mark in marks):
                return True
    return func.name in PER_TEST_METHODS and _setup_of_skipped_tests(func, ancestors)


def enclosing_class(ancestors: Sequence[ast.AST], func: ast.AST) -> ast.ClassDef | None:
    """The class whose body directly holds ``func``, if any."""
    for index, node in enumerate(ancestors):
        if node is func:
            parent = ancestors[index - 1] if index else None
            return parent if isinstance(parent, ast.ClassDef) else None
    return None


def inside_with_call(ancestors: Sequence[ast.AST], node: ast.AST, names: Sequence[str]) -> bool:
    """Whether ``node`` is in the body of a ``with`` whose context is a call to one of ``names``
    (a dotted name or its last part, e.g. ``pytest.raises``)."""
    for outer in ancestors:
        if isinstance(outer, ast.With | ast.AsyncWith) and within(node, outer.body):
            for item in outer.items:
                expr = item.context_expr
                callee = dotted_name(expr.func) if isinstance(expr, ast.Call) else None
                if callee and (callee in names or callee.rpartition(".")[2] in names):
                    return True
    return False


class EnvironNames:
    """Which names mean the process environment, ``os.environ``, in one file.

    ``os.environ`` always does; a bare name does when ``from os import environ [as name]``
    bound it (earlier in the file) and no enclosing function binds the same name itself: a WSGI
    ``environ`` parameter, or a local dict called ``environ``, is not the process environment.
    """

    def __init__(self) -> None:
        self.aliases: set[str] = set()
        self._bound: dict[ast.AST, frozenset[str]] = {}

    def note_import(self, node: ast.ImportFrom) -> None:
        if node.module == "os" and not node.level:
            self.aliases.update(a.asname or a.name for a in node.names if a.name == "environ")

    def means_environ(self, name: str | None, ancestors: Sequence[ast.AST]) -> bool:
        if name == "os.environ":
            return True
        if name is None or name not in self.aliases:
            return False
        return not any(
            name in self._bound_in(outer)
            for outer in ancestors
            if isinstance(outer, FUNCTION_NODES)
        )

    def _bound_in(self, func: ast.AST) -> frozenset[str]:
        """Names a function binds (parameters, assignments, imports other than ``os.environ``)."""
        bound = self._bound.get(func)
        if bound is None:
            names: set[str] = set()
            for node in ast.walk(func):
                if isinstance(node, ast.arg):
                    names.add(node.arg)
                elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                    names.add(node.id)
                elif isinstance(node, ast.Import) or (
                    isinstance(node, ast.ImportFrom) and node.module != "os"
                ):
                    names.update((a.asname or a.name).partition(".")[0] for a in node.names)
            bound = self._bound[func] = frozenset(names)
        return bound
