"""Records the facts of a file that project-wide rules read, during the engine's one walk."""

from __future__ import annotations

import ast

from apytest.rules.api import FileVisitor, FixtureFact, ImportFact
from apytest.rules.astutil import (
    fixture_decl,
    import_guard,
    in_function,
    is_pytest_attr,
    parameter_names,
    string_value,
)


class FactCollector(FileVisitor):
    """Imports (and whether they are guarded), fixtures, and ``pytest_plugins``."""

    def _add_import(self, module: str, node: ast.AST, guarded: bool) -> None:
        ancestors = self.ctx.ancestors
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
        if is_pytest_attr(node.func, "importorskip") and node.args:
            module = string_value(node.args[0])
            if module:
                self._add_import(module, node, guarded=True)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
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
