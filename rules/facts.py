"""Records the facts of a file that project-wide rules read, during the engine's one walk."""

from __future__ import annotations

import ast

from apytest.rules.api import FileContext, FileVisitor, FixtureFact, ImportFact
from apytest.rules.astutil import (
    called_name,
    called_with_strings,
    enclosing_function,
    fixture_decl,
    import_guard,
    in_function,
    parameter_names,
    pytest_names,
    skips_module,
    string_value,
)

IMPORT_PATH_CALLS = frozenset({"syspath_prepend", "syspathinsert", "pyimport", "import_path"})
"""Calls with which a test puts modules it wrote itself on the import path."""
SELF_IMPORTING_FIXTURES = frozenset({"pytester", "testdir"})
IMPORTORSKIP = pytest_names("importorskip")
SYS_PATH_ADDERS = frozenset({"sys.path.insert", "sys.path.append"})
NOTED_CALLS = frozenset({"importorskip", "insert", "append", *IMPORT_PATH_CALLS})
"""The last parts of the names of every call this collector notes."""


class FactCollector(FileVisitor):
    """Imports (and whether they are guarded), fixtures, and ``pytest_plugins``.

    ``pytest.importorskip("x")``, or ``pytest.skip(allow_module_level=True)`` under a
    ``find_spec("x")`` condition, skips the rest of its module (or function) when ``x`` is
    missing, so later imports from the same top-level package there are guarded too. Imports in a
    function that puts its own files on the import path (``pytester``, ``syspath_prepend``,
    ``sys.path.insert``, ``import_path``) load modules the test wrote, and count as guarded.
    """

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.skipped_packages: dict[ast.AST, set[str]] = {}
        self.self_importing: set[ast.AST] = set()

    def _scope(self) -> ast.AST:
        return enclosing_function(self.ctx.ancestors) or self.ctx.ancestors[0]

    def _add_import(self, module: str, node: ast.AST, guarded: bool) -> None:
        ancestors = self.ctx.ancestors
        top = module.partition(".")[0]
        guarded = (
            guarded
            or any(top in self.skipped_packages.get(scope, ()) for scope in ancestors)
            or any(scope in self.self_importing for scope in ancestors)
        )
        self.ctx.facts.imports.append(
            ImportFact(
                module=module,
                line=getattr(node, "lineno", 1),
                col=getattr(node, "col_offset", 0) + 1,
                module_level=not in_function(ancestors),
                guarded=guarded or import_guard(node, ancestors),
            )
        )

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add_import(alias.name, node, guarded=False)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module:
            self._add_import(node.module, node, guarded=False)

    def visit_Call(self, node: ast.Call) -> None:
        if called_name(node) not in NOTED_CALLS:
            return
        callee = self.ctx.callee(node)
        if callee in IMPORTORSKIP and node.args:
            module = string_value(node.args[0])
            if module:
                self._add_import(module, node, guarded=True)
                self.skipped_packages.setdefault(self._scope(), set()).add(module.partition(".")[0])
        if callee.rpartition(".")[2] in IMPORT_PATH_CALLS or callee in SYS_PATH_ADDERS:
            function = enclosing_function(self.ctx.ancestors)
            if function is not None:
                self.self_importing.add(function)

    def visit_If(self, node: ast.If) -> None:
        if in_function(self.ctx.ancestors) or not skips_module(node.body):
            return
        self.skipped_packages.setdefault(self.ctx.ancestors[0], set()).update(
            name.partition(".")[0] for name in called_with_strings(node.test, "find_spec")
        )

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if SELF_IMPORTING_FIXTURES & set(parameter_names(node)):
            self.self_importing.add(node)
        decl = fixture_decl(node)
        if decl is None:
            return
        parent = self.ctx.ancestors[-1] if self.ctx.ancestors else None
        container = parent.name if isinstance(parent, ast.ClassDef) else ""
        if parent is not None and not isinstance(parent, ast.Module | ast.ClassDef):
            return  # a fixture defined inside a function is not registered by pytest
        self.ctx.facts.fixtures.append(
            FixtureFact(
                name=decl.name,
                line=node.lineno,
                col=node.col_offset + 1,
                container=container,
                scope=decl.scope,
                autouse=decl.autouse,
                requests_itself=decl.name in parameter_names(node),
            )
        )

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(self.ctx.ancestors) != 1:
            return
        if not any(isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in node.targets):
            return
        values = node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else [node.value]
        self.ctx.facts.pytest_plugins.extend(
            name for name in map(string_value, values) if name is not None
        )
