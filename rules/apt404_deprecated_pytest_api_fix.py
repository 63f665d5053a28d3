"""Fix for APT404: the deprecated pytest APIs that have an exact replacement get it.

- ``@pytest.yield_fixture`` (with or without arguments) becomes ``@pytest.fixture``: since
  pytest 3.0 the first has been the second under another name.
- parametrize's iterator argvalues become a collection: a generator expression becomes the
  list comprehension of the same clauses, another iterator (``map()``, ``zip()``, ``iter()``,
  ``itertools.product()``...) is wrapped in ``list()``: the list pytest itself makes of it.
- a hook's py.path argument that pytest 9 removed becomes its ``pathlib.Path`` argument when
  every use of it reads the same thing from both: ``str(path)`` and ``f"{path}"`` (the same
  string), ``path.basename``, ``.ext`` and ``.purebasename`` (``.name``, ``.suffix`` and
  ``.stem``). An unused one is dropped, as is one whose replacement the hook already takes.

Skipped: ``config.inicfg`` (``config.getini()`` returns typed values and refuses unknown keys:
not the same thing), and an iterator that reads a module-level variable.
A removed argument read any other way (``path.check()``, ``path.dirpath()``, ``repr``, passed
on to a function), bound again in the hook, or whose replacement's name the hook already uses
for something else is left to a person: py.path and pathlib differ there. pytest consumes the
iterator when it collects the module, after the whole module ran; a list is made when the
decorator runs, so a variable assigned or changed further down the module would be read
earlier. Only iterators over names nothing at module level assigns (builtins, imports,
functions, the comprehension's own targets) are rewritten.
"""

from __future__ import annotations

import libcst as cst

from apytest.common.pytest_hooks import REMOVED_IN_PYTEST_9
from apytest.rules.api import Finding
from apytest.rules.fix_api import Edit, Fix, FixContext
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


class ReplacementForDeprecatedApi(Fix):
    """``@pytest.yield_fixture`` becomes ``@pytest.fixture``; parametrize's generator expression
    becomes a list comprehension, another iterator is wrapped in ``list()`` (unless it reads a
    module-level variable); a hook's removed py.path argument becomes its ``pathlib.Path`` one
    (when every use reads the same from both); ``config.inicfg`` is left alone."""

    code = "APT404"

    @classmethod
    def apply(cls, ctx: FixContext, finding: Finding) -> bool:
        line, column = finding.line, ctx.column(finding)
        for param in ctx.nodes(cst.Param):
            if ctx.start(param) == (line, column):
                return _replace_removed_argument(ctx, param)
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


# What py.path and pathlib both read from a path, under their two names.
_SAME_READS = {"basename": "name", "ext": "suffix", "purebasename": "stem"}


def _replace_removed_argument(ctx: FixContext, param: cst.Param) -> bool:
    """Record the edits that replace a hook's removed py.path argument ``param`` (the finding's
    node), or none when one of its uses would read something else from a ``pathlib.Path``."""
    function = next((n for n in ctx.ancestors(param) if isinstance(n, cst.FunctionDef)), None)
    removed = REMOVED_IN_PYTEST_9.get(function.name.value) if function else None
    if function is None or removed is None or param.name.value != removed[0] or param.default:
        return False
    old, new = removed
    taken = {p.name.value for p in _all_params(function.params)}
    uses: list[tuple[cst.CSTNode, str]] = []
    for name in _names(function.body):
        if not _is_variable(ctx, name):
            continue
        if name.value == new and new not in taken:
            return False  # the replacement's name means something else in this hook
        if name.value != old:
            continue
        use = _same_read(ctx, name)
        if use is None:
            return False
        uses.append(use)
    for node, attribute in uses:
        ctx.edit(node, "removed-argument", _renamed(new, attribute))
    if new in taken:
        ctx.edit(function.params, "removed-argument", _without(old))
    else:
        ctx.edit(param, "removed-argument", _renamed_param(new))
    return True


def _all_params(params: cst.Parameters) -> tuple[cst.Param, ...]:
    return (*params.posonly_params, *params.params, *params.kwonly_params)


def _is_variable(ctx: FixContext, name: cst.Name) -> bool:
    """Whether ``name`` names a variable, not an attribute (``parent.path``) or a keyword
    argument (``f(path=...)``)."""
    parent = ctx.parents.get(name)
    if isinstance(parent, cst.Attribute) and parent.attr is name:
        return False
    return not (isinstance(parent, cst.Arg) and parent.keyword is name)


def _same_read(ctx: FixContext, name: cst.Name) -> tuple[cst.CSTNode, str] | None:
    """The node to rewrite for one use of the removed argument and the pathlib attribute it
    reads ("" for the path itself), or None when pathlib would read something else there."""
    parent = ctx.parents.get(name)
    if isinstance(parent, cst.Attribute) and parent.value is name:
        attribute = _SAME_READS.get(parent.attr.value)
        return (parent, attribute) if attribute else None
    if isinstance(parent, cst.FormattedStringExpression):
        plain = parent.conversion is None and parent.format_spec is None
        return (name, "") if plain else None
    owner = ctx.parents.get(parent) if isinstance(parent, cst.Arg) else None
    if (
        isinstance(parent, cst.Arg)
        and isinstance(owner, cst.Call)
        and dotted(owner.func) in ("str", "os.fspath")
        and len(owner.args) == 1
        and not parent.keyword
        and not parent.star
    ):
        return name, ""
    return None


def _renamed(new: str, attribute: str) -> Edit:
    def edit(node: cst.CSTNode) -> cst.CSTNode:
        if attribute:
            assert isinstance(node, cst.Attribute)
            return node.with_changes(value=cst.Name(new), attr=cst.Name(attribute))
        return cst.Name(new)

    return edit


def _renamed_param(new: str) -> Edit:
    def edit(node: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(node, cst.Param)
        # A py.path annotation would now be wrong, and a pathlib one is the hook's own business.
        return node.with_changes(name=cst.Name(new), annotation=None)

    return edit


def _without(old: str) -> Edit:
    def edit(node: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(node, cst.Parameters)
        changes: dict[str, tuple[cst.Param, ...]] = {}
        for field in ("posonly_params", "params", "kwonly_params"):
            params: tuple[cst.Param, ...] = getattr(node, field)
            kept = tuple(p for p in params if p.name.value != old)
            if len(kept) == len(params):
                continue
            last = params[-1]
            if kept and last.name.value == old and last.comma == cst.MaybeSentinel.DEFAULT:
                # The last one went: the one before it loses the comma that separated them.
                kept = (*kept[:-1], kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT))
            changes[field] = kept
        return node.with_changes(**changes)

    return edit
