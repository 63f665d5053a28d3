"""The contract between fixes and the engine that applies them (each fix sits beside its rule,
in ``aptNNN_<name>_fix.py``; the libcst helpers they share are in ``support/cst_nodes.py``).

Only ``apytest-lint --fix``/``--diff`` imports this module, so a plain lint run never loads libcst.
A fix resolves each finding to nodes of the file's *original* libcst tree and records edits
against those nodes; the engine then applies every fix's edits in one transform. That keeps the
positions the ``ast`` analysis reported valid however many fixes touch the same file, and lets
edits compose (a statement rewritten inside a function that also gains a parameter).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import ClassVar, TypeVar

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, ParentNodeProvider, PositionProvider

from apytest.rules.api import Finding, SourceFile

EditResult = cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]
Edit = Callable[[cst.CSTNode], EditResult]
"""Turns the node (with its children already edited) into its replacement."""

NodeT = TypeVar("NodeT", bound=cst.CSTNode)


class FixContext:
    """One file's original libcst tree, its metadata, and the edits fixes record against it."""

    def __init__(self, file: SourceFile, module: cst.Module) -> None:
        self.file = file
        self.wrapper = MetadataWrapper(module)
        self.module = self.wrapper.module
        self.positions: Mapping[cst.CSTNode, CodeRange] = self.wrapper.resolve(PositionProvider)
        self.parents: Mapping[cst.CSTNode, cst.CSTNode] = self.wrapper.resolve(ParentNodeProvider)
        self.edits: dict[cst.CSTNode, dict[str, Edit]] = {}
        self.imports: set[str] = set()
        self._lines = self.module.code.splitlines()

    def edit(self, node: cst.CSTNode, key: str, edit: Edit) -> None:
        """Record an edit of ``node``; the same ``key`` twice on one node applies once."""
        self.edits.setdefault(node, {}).setdefault(key, edit)

    def require_import(self, module: str) -> None:
        """Ask for ``import <module>`` at the top of the file unless it is imported there."""
        self.imports.add(module)

    def column(self, finding: Finding) -> int:
        """The finding's 0-based column in characters (``ast`` counts UTF-8 bytes from 1)."""
        line = self._lines[finding.line - 1] if finding.line <= len(self._lines) else ""
        return len(line.encode("utf-8")[: finding.col - 1].decode("utf-8", errors="ignore"))

    def start(self, node: cst.CSTNode) -> tuple[int, int]:
        where = self.positions[node].start
        return where.line, where.column

    def covers(self, node: cst.CSTNode, finding: Finding) -> bool:
        """Whether the finding's position lies inside ``node``'s source range."""
        return self._holds(node, (finding.line, self.column(finding)))

    def covering(self, finding: Finding) -> Iterator[cst.CSTNode]:
        """Every node whose source range holds the finding's position, outermost first."""
        point = (finding.line, self.column(finding))
        return (node for node in self.positions if self._holds(node, point))

    def _holds(self, node: cst.CSTNode, point: tuple[int, int]) -> bool:
        where = self.positions[node]
        return (where.start.line, where.start.column) <= point < (where.end.line, where.end.column)

    def nodes(self, kind: type[NodeT]) -> Iterator[NodeT]:
        """Every node of type ``kind`` in the file, in source order."""
        for node in self.positions:
            if isinstance(node, kind):
                yield node

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        """The nodes enclosing ``node``, innermost first."""
        while node in self.parents:
            node = self.parents[node]
            yield node

    def scope_owner(self, node: cst.CSTNode) -> cst.CSTNode:
        """The innermost function, lambda, class or module around ``node``."""
        for outer in self.ancestors(node):
            if isinstance(outer, cst.FunctionDef | cst.Lambda | cst.ClassDef | cst.Module):
                return outer
        return self.module


class Fix:
    """How to rewrite the findings of one rule. Subclasses set the class attributes.

    ``apply`` records edits for one finding through ``ctx.edit`` and returns whether it did;
    a finding it cannot fix without changing what the test means is left alone, and stays a
    finding. Its tests are the ``fixed`` texts of its rule's INVALID examples, run through the
    real linter.
    """

    code: ClassVar[str]

    @classmethod
    def apply(cls, ctx: FixContext, finding: Finding) -> bool:
        raise NotImplementedError
