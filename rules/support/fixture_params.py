"""Giving the test or fixture around a statement a built-in fixture (``monkeypatch``, ``tmp_path``).

A fix that rewrites a statement to use a fixture must be sure that the function it adds the
parameter to is one pytest calls with fixtures, once per test: a ``test*`` function of a test
module (or a method of a plain ``Test*`` class), or a fixture of function scope. Anything else
(module level, class bodies, nested helpers, wider fixtures, hypothesis ``@given`` tests, which
reject function-scoped fixtures, ``unittest`` classes) keeps its finding, and so does a function
where the name already means something else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import libcst as cst
import libcst.matchers as m

from apytest.rules.fix_api import FixContext
from apytest.rules.support.cst_nodes import dotted, string_literal

Binding = Literal["parameter", "free", "taken"]

FUNCTION_SCOPES = frozenset({"function", None})
"""Fixture scopes a fix may add a function-scoped fixture to (None: no ``scope=`` given)."""
FIXTURE_DECORATORS = frozenset({"pytest.fixture", "fixture", "pytest_asyncio.fixture"})


def request_fixture(ctx: FixContext, node: cst.CSTNode, name: str) -> bool:
    """Make fixture ``name`` available where ``node`` is, adding the parameter if needed.

    Returns False, and records nothing, when that cannot be done safely.
    """
    owner = ctx.scope_owner(node)
    if not isinstance(owner, cst.FunctionDef) or not _called_with_fixtures(ctx, owner):
        return False
    binding = _binding(owner, name)
    if binding == "taken":
        return False
    if binding == "free":
        if any(param.default is not None for param in _positional(owner.params)):
            return False  # a parameter without default cannot follow one with a default
        ctx.edit(owner, f"parameter:{name}", lambda function: _add_parameter(function, name))
    return True


def _positional(params: cst.Parameters) -> list[cst.Param]:
    return [*params.posonly_params, *params.params]


def _fixture_scope(function: cst.FunctionDef) -> tuple[bool, str | None]:
    """``(is a fixture, its literal scope)``; a scope that is not a literal reads as "?"."""
    for decorator in function.decorators:
        target = decorator.decorator
        func = target.func if isinstance(target, cst.Call) else target
        if dotted(func) not in FIXTURE_DECORATORS:
            continue
        if isinstance(target, cst.Call):
            for arg in target.args:
                if arg.keyword is not None and arg.keyword.value == "scope":
                    return True, string_literal(arg.value) or "?"
        return True, None
    return False, None


def _called_with_fixtures(ctx: FixContext, function: cst.FunctionDef) -> bool:
    if any((dotted(_decorator_name(d)) or "").endswith("given") for d in function.decorators):
        return False
    parent = ctx.parents.get(function)
    container = ctx.parents.get(parent) if isinstance(parent, cst.IndentedBlock) else parent
    if isinstance(container, cst.ClassDef):
        plain_test_class = container.name.value.startswith("Test") and not container.bases
        if not plain_test_class or not isinstance(ctx.parents.get(container), cst.Module):
            return False
    elif not isinstance(container, cst.Module):
        return False
    is_fixture, scope = _fixture_scope(function)
    if is_fixture:
        return scope in FUNCTION_SCOPES
    return ctx.file.kind == "test" and function.name.value.startswith("test")


def _decorator_name(decorator: cst.Decorator) -> cst.BaseExpression:
    target = decorator.decorator
    return target.func if isinstance(target, cst.Call) else target


def _binding(function: cst.FunctionDef, name: str) -> Binding:
    """How ``name`` is bound in ``function``: its fixture parameter, unused, or something else."""
    params = function.params
    for param in (*_positional(params), *params.kwonly_params):
        if param.name.value == name:
            rebound = param.default is not None or name in _bound_names(function.body)
            parametrized = _mentions(function.decorators, name)
            return "taken" if rebound or parametrized else "parameter"
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param) and star.name.value == name:
            return "taken"
    returns = [function.returns] if function.returns is not None else []
    everything = (*function.decorators, function.params, *returns, function.body)
    return "taken" if _mentions(everything, name) else "free"


class _Mentions(cst.CSTVisitor):
    """Finds ``name`` used as a variable, or named in a decorator's string (``parametrize``)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found = False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False  # ``x.name`` is not the variable ``name``

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False  # nor is the keyword of ``f(name=...)``

    def visit_Name(self, node: cst.Name) -> None:
        self.found = self.found or node.value == self.name

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = string_literal(node)
        self.found = self.found or (value is not None and self.name in value)


def _mentions(parts: Sequence[cst.CSTNode], name: str) -> bool:
    finder = _Mentions(name)
    for part in parts:
        part.visit(finder)
    return finder.found


class _Bindings(cst.CSTVisitor):
    """Names a block (re)binds: assignment targets, ``as`` names, imports, defs, ``global``."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def _targets(self, node: cst.CSTNode) -> None:
        self.names.update(
            name.value for name in m.findall(node, m.Name()) if isinstance(name, cst.Name)
        )

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._targets(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._targets(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._targets(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._targets(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._targets(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._targets(node.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._targets(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self._targets(node.target)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        self._targets(node.name)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.names.add(node.name.value)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.names.add(node.name.value)

    def visit_Global(self, node: cst.Global) -> None:
        self.names.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.names.update(item.name.value for item in node.names)


def _bound_names(block: cst.CSTNode) -> set[str]:
    bindings = _Bindings()
    block.visit(bindings)
    return bindings.names


def _add_parameter(node: cst.CSTNode, name: str) -> cst.CSTNode:
    """Append ``name`` to the positional parameters in the signature's own layout: on a line of
    its own, indented like the others, when they are one per line; after ``, `` when they share
    one line. What closed the list (a trailing comma, the line break before ``)``) closes it
    after the new parameter, and a comment after the last one stays on its line."""
    if not isinstance(node, cst.FunctionDef):
        return node
    params = list(node.params.params)
    added = cst.Param(cst.Name(name))
    if params:
        last, separator = params[-1], _separator(node, params)
        if isinstance(last.comma, cst.Comma):  # a trailing comma
            between, after = _split(last.comma.whitespace_after, separator)
            added = added.with_changes(comma=last.comma.with_changes(whitespace_after=after))
            last = last.with_changes(comma=last.comma.with_changes(whitespace_after=between))
        else:
            between, after = _split(last.whitespace_after_param, separator)
            added = added.with_changes(whitespace_after_param=after)
            last = last.with_changes(
                comma=cst.Comma(whitespace_after=between),
                whitespace_after_param=cst.SimpleWhitespace(""),
            )
        params[-1] = last
    return node.with_changes(params=node.params.with_changes(params=[*params, added]))


def _split(
    closing: cst.BaseParenthesizableWhitespace, separator: cst.BaseParenthesizableWhitespace
) -> tuple[cst.BaseParenthesizableWhitespace, cst.BaseParenthesizableWhitespace]:
    """``(between, after)``: the whitespace between the last parameter and the new one, and
    after the new one, from ``closing``, which followed the last parameter. On separate lines,
    ``closing``'s comment stays with the parameter it was written after and its line break and
    indentation (that of the ``)``) follow the new one."""
    if isinstance(closing, cst.ParenthesizedWhitespace) and isinstance(
        separator, cst.ParenthesizedWhitespace
    ):
        between = closing.with_changes(indent=separator.indent, last_line=separator.last_line)
        return between, cst.ParenthesizedWhitespace(
            indent=closing.indent, last_line=closing.last_line
        )
    return separator, closing


def _separator(
    node: cst.FunctionDef, params: Sequence[cst.Param]
) -> cst.BaseParenthesizableWhitespace:
    """What goes between two parameters of ``node``: the whitespace after the comma between the
    last two, else the line break and indentation after ``(`` (one parameter per line), else one
    space. A comment copied from there would be said twice, so none is kept."""
    previous = params[-2].comma if len(params) > 1 else None
    if isinstance(previous, cst.Comma):
        whitespace = previous.whitespace_after
    else:
        whitespace = node.whitespace_before_params
    if isinstance(whitespace, cst.ParenthesizedWhitespace):
        return cst.ParenthesizedWhitespace(indent=whitespace.indent, last_line=whitespace.last_line)
    return cst.SimpleWhitespace(" ")
