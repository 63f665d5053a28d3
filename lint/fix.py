"""``--fix`` and ``--diff``: rewrite the findings that have a safe fix, keeping every comment.

Analysis read the files with ``ast``; only the files with a fixable finding are parsed again,
with libcst, which keeps comments and blank lines. Each fix (looked up by rule code in
:data:`apytest.rules.fixes.FIXES`; this module knows none of them) records edits against the
nodes its findings point at, and one transform applies them all. Files are written atomically.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import libcst as cst

from apytest.common.atomic import write_atomically
from apytest.common.files import read_regular
from apytest.lint.engine import MAX_FILE_BYTES
from apytest.rules.api import Finding, SourceFile, printable
from apytest.rules.fix_api import EditResult, FixContext, NodeT
from apytest.rules.fixes import FIXES


@dataclass(frozen=True)
class FileFix:
    """One file's rewrite: its text before and after, and the findings it fixes."""

    path: str
    before: str
    after: str
    data: bytes
    """The rewritten file, in the file's own encoding and line endings."""
    fixed: tuple[Finding, ...]

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"a/{printable(self.path)}",  # a newline in a name: still one line
                tofile=f"b/{printable(self.path)}",
            )
        )


class _ApplyEdits(cst.CSTTransformer):
    """Replaces each edited node, after its children, by running its edits in order."""

    def __init__(self, ctx: FixContext) -> None:
        super().__init__()
        self.ctx = ctx

    def on_leave(
        self, original_node: NodeT, updated_node: NodeT
    ) -> NodeT | cst.RemovalSentinel | cst.FlattenSentinel[NodeT]:
        result: EditResult = updated_node
        for edit in self.ctx.edits.get(original_node, {}).values():
            assert isinstance(result, cst.CSTNode)
            result = edit(result)
        # An edit may change the node's type (an ``import`` becomes an assignment); libcst
        # checks the replacement fits where the node was when it generates code.
        return cast("NodeT | cst.RemovalSentinel | cst.FlattenSentinel[NodeT]", result)


def _is_import_of(statement: cst.BaseStatement, module: str) -> bool:
    """``import <module>`` on a line of its own."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    node = statement.body[0]
    return (
        isinstance(node, cst.Import)
        and len(node.names) == 1
        and node.names[0].asname is None
        and node.names[0].evaluated_name == module
    )


def _preamble_end(body: Sequence[cst.BaseStatement]) -> int:
    """Index of the first statement after the module docstring and ``from __future__`` imports."""
    index = 0
    for statement in body:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        docstring = (
            index == 0
            and isinstance(small, cst.Expr)
            and isinstance(small.value, cst.SimpleString | cst.ConcatenatedString)
        )
        future = (
            isinstance(small, cst.ImportFrom)
            and isinstance(small.module, cst.Name)
            and (small.module.value == "__future__")
        )
        if not (docstring or future):
            break
        index += 1
    return index


def _add_import(module: cst.Module, name: str, first_use: int) -> cst.Module:
    """Put ``import <name>`` after the preamble unless it is already imported before its use.

    A bare ``import <name>`` line further down moves up rather than being imported twice; the
    blank lines above the statement the import goes before now stand above the import.
    """
    body = list(module.body)
    if any(_is_import_of(statement, name) for statement in body[:first_use]):
        return module
    later = [
        index
        for index, statement in enumerate(body)
        if index >= first_use and _is_import_of(statement, name) and not _has_comment(statement)
    ]
    if later:
        del body[later[0]]
    at = _preamble_end(body)
    leading = list(body[at].leading_lines) if at < len(body) else []
    blank = next((i for i, line in enumerate(leading) if line.comment is not None), len(leading))
    statement = cst.SimpleStatementLine(
        [cst.Import([cst.ImportAlias(cst.Name(name))])], leading_lines=leading[:blank]
    )
    if at < len(body):
        body[at] = body[at].with_changes(leading_lines=leading[blank:])
    body.insert(at, statement)
    return module.with_changes(body=body)


def _has_comment(statement: cst.BaseStatement) -> bool:
    assert isinstance(statement, cst.SimpleStatementLine)
    return statement.trailing_whitespace.comment is not None or any(
        line.comment is not None for line in statement.leading_lines
    )


def _first_edited_statement(ctx: FixContext) -> int:
    """Index of the first top-level statement that holds an edit."""
    indexes = {id(statement): index for index, statement in enumerate(ctx.module.body)}
    found = [
        indexes[id(outer)]
        for node in ctx.edits
        for outer in (node, *ctx.ancestors(node))
        if id(outer) in indexes
    ]
    return min(found, default=len(ctx.module.body))


def fix_file(root: Path, file: SourceFile, findings: Sequence[Finding]) -> FileFix | None:
    """Apply the fixes for ``findings`` (all in ``file``); None when none of them applies."""
    try:
        module = cst.parse_module(read_regular(root / file.path, MAX_FILE_BYTES))
    except (OSError, cst.ParserSyntaxError, RecursionError, MemoryError):
        return None  # gone since the lint, or a syntax libcst does not know yet: findings stay
    try:
        return _rewrite(file, module, findings)
    except (RecursionError, MemoryError):
        return None  # nested deeper than libcst's recursive passes follow: findings stay


def _rewrite(file: SourceFile, module: cst.Module, findings: Sequence[Finding]) -> FileFix | None:
    ctx = FixContext(file, module)
    fixed = tuple(finding for finding in findings if FIXES[finding.code].apply(ctx, finding))
    if not fixed:
        return None
    first_use = _first_edited_statement(ctx)
    rewritten = ctx.module.visit(_ApplyEdits(ctx))
    for name in sorted(ctx.imports):
        rewritten = _add_import(rewritten, name, first_use)
    if rewritten.code == ctx.module.code:
        return None
    return FileFix(file.path, ctx.module.code, rewritten.code, rewritten.bytes, fixed)


def fix_findings(
    root: Path, files: Sequence[SourceFile], findings: Sequence[Finding]
) -> list[FileFix]:
    """Fix what can be fixed among ``findings``, file by file, without writing anything."""
    by_path: defaultdict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.code in FIXES:
            by_path[finding.path].append(finding)
    kinds = {file.path: file for file in files}
    fixes = (fix_file(root, kinds[path], group) for path, group in by_path.items() if path in kinds)
    return [fix for fix in fixes if fix is not None]


def write_fix(root: Path, fix: FileFix) -> None:
    """Replace the file atomically (a temporary file beside it, then ``os.replace``)."""
    target = root / fix.path
    write_atomically(target, fix.data, mode=target.stat().st_mode & 0o7777)
