"""Fix for APT404: the deprecated pytest APIs that have an exact replacement get it.

- ``@pytest.yield_fixture`` (with or without arguments) becomes ``@pytest.fixture``: since
  pytest 3.0 the first has been the second under another name.
- parametrize's iterator argvalues become a collection: a generator expression becomes the
  list comprehension of the same clauses, another iterator (``map()``, ``zip()``, ``iter()``,
  ``itertools.product()``...) is wrapped in ``list()``: the list pytest itself makes of it.

Skipped: ``config.inicfg`` (``config.getini()`` returns typed values and refuses unknown keys:
not the same thing), and an iterator that reads a module-level variable. pytest consumes the
iterator when it collects the module, after the whole module ran; a list is made when the
decorator runs, so a variable assigned or changed further down the module would be read
earlier. Only iterators over names nothing at module level assigns (builtins, imports,
functions, the comprehension's own targets) are rewritten.
"""

from __future__ import annotations

import libcst as cst

from apytest.rules.api import Finding
from apytest.rules.fix_api import Fix, FixContext
from apytest.rules.support.cst_nodes import call, dotted


class _ModuleAssignments(cst.CSTVisitor):
    """The names assigned at module level (outside functions, classes and lambdas)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._targets(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._targets(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._targets(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._targets(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._targets(node.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._targets(node.target)

    def _targets(self, node: cst.BaseExpression) -> None:
        self.names.update(n.value for n in _names(node))


def _names(node: cst.CSTNode) -> list[cst.Name]:
    found: list[cst.Name] = []

    class Names(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.append(name)

    node.visit(Names())
    return found


def _reads_module_variable(ctx: FixContext, node: cst.BaseExpression) -> bool:
    """Whether ``node`` reads a name that module-level code assigns (its own comprehension
    targets and ``import`` aliases aside)."""
    assigned = _ModuleAssignments()
    ctx.module.visit(assigned)
    imported = {
        (alias.evaluated_alias or alias.evaluated_name).partition(".")[0]
        for imp in ctx.nodes(cst.Import)
        for alias in imp.names
    }
    imported |= {
        alias.evaluated_alias or alias.evaluated_name
        for imp in ctx.nodes(cst.ImportFrom)
        if not isinstance(imp.names, cst.ImportStar)
        for alias in imp.names
    }
    own = {name.value for comp in _comp_fors(node) for name in _names(comp.target)}
    return any(n.value in assigned.names - imported - own for n in _names(node))


def _comp_fors(node: cst.CSTNode) -> list[cst.CompFor]:
    found: list[cst.CompFor] = []

    class Fors(cst.CSTVisitor):
        def visit_CompFor(self, comp: cst.CompFor) -> None:
            found.append(comp)

    node.visit(Fors())
    return found


def _to_fixture(node: cst.CSTNode) -> cst.CSTNode:
    assert isinstance(node, cst.Attribute)
    return node.with_changes(attr=cst.Name("fixture"))


def _to_list(node: cst.CSTNode) -> cst.CSTNode:
    if isinstance(node, cst.GeneratorExp):
        return cst.ListComp(elt=node.elt, for_in=node.for_in)
    assert isinstance(node, cst.BaseExpression)
    return call("list", node)


class CollectionForDeprecatedApi(Fix):
    """``@pytest.yield_fixture`` becomes ``@pytest.fixture``; parametrize's generator expression
    becomes a list comprehension, another iterator is wrapped in ``list()`` (unless it reads a
    module-level variable); ``config.inicfg`` is left alone."""

    code = "APT404"

    @classmethod
    def apply(cls, ctx: FixContext, finding: Finding) -> bool:
        line, column = finding.line, ctx.column(finding)
        # ast starts a generator expression at its parenthesis, libcst inside it.
        starts = {(line, column), (line, column + 1)}
        for node in ctx.positions:
            start = ctx.start(node)
            if start != (line, column) and not (
                start in starts and isinstance(node, cst.GeneratorExp)
            ):
                continue
            if isinstance(node, cst.Attribute) and dotted(node) == "pytest.yield_fixture":
                ctx.edit(node, "fixture", _to_fixture)
                return True
            if "parametrize" not in finding.message:
                continue
            if isinstance(node, cst.GeneratorExp | cst.Call) and _is_argvalues(ctx, node):
                if _reads_module_variable(ctx, node):
                    return False
                ctx.edit(node, "list", _to_list)
                return True
        return False


def _is_argvalues(ctx: FixContext, node: cst.CSTNode) -> bool:
    """Whether ``node`` is the argvalues argument of a ``parametrize`` call."""
    arg = ctx.parents.get(node)
    owner = ctx.parents.get(arg) if isinstance(arg, cst.Arg) else None
    if not isinstance(arg, cst.Arg) or not isinstance(owner, cst.Call):
        return False
    func = owner.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "parametrize"):
        return False
    keyword = arg.keyword.value if arg.keyword else None
    return keyword == "argvalues" or (keyword is None and owner.args.index(arg) == 1)
