"""Map, then reduce: analyse each file once, then run project rules over the facts.

The map step parses a file once with ``ast`` and walks it once, dispatching each node to every
enabled file rule (and the fact collector) that handles its type. It is a pure function of the
file's bytes, its path and kind, and the configuration, which is what makes it cacheable and
parallel. The reduce step never sees a tree.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apytest.common.files import read_regular
from apytest.common.gc_pause import gc_paused
from apytest.lint.facts import FactCollector
from apytest.lint.source import (
    Suppression,
    decode,
    newer_grammar,
    parse,
    scan_suppressions,
    suppressed,
)
from apytest.lint.suppressions import suppression_warnings
from apytest.rules import RULES_BY_CODE, FileRule, ParseFailureRule, ProjectRule, Rule
from apytest.rules.api import (
    FileContext,
    FileFacts,
    FileVisitor,
    Finding,
    Handler,
    ProjectContext,
    ProjectModel,
    SourceFile,
)

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A larger file is an APT001 finding, not read: parsing takes about 200 times a file's size in
memory (a 50 MB file would need gigabytes), and real test modules stay far below 2 MiB."""
PARALLEL_THRESHOLD = 32
"""Below this many files to analyse, starting worker processes costs more than it saves."""


@dataclass
class FileResult:
    """What the map step returns for one file, and what the cache stores."""

    findings: list[Finding] = field(default_factory=list)
    facts: FileFacts = field(default_factory=FileFacts)
    suppressions: dict[int, Suppression] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    """Internal errors (a rule that raised on this file), one line each; such a result is
    never cached."""

    def to_json(self) -> dict[str, Any]:
        return {
            "findings": [vars(f) for f in self.findings],
            "facts": self.facts.to_json(),
            "suppressions": {
                str(line): [None if s.codes is None else sorted(s.codes), s.shared]
                for line, s in self.suppressions.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FileResult:
        return cls(
            findings=[Finding(**f) for f in data["findings"]],
            facts=FileFacts.from_json(data["facts"]),
            suppressions={
                int(line): Suppression(None if codes is None else frozenset(codes), shared)
                for line, (codes, shared) in data["suppressions"].items()
            },
        )


NON_NODE_FIELDS = frozenset(
    {"ctx", "op", "ops", "id", "attr", "arg", "asname", "name", "module", "level", "kind"}
    | {"type_comment", "is_async", "conversion", "kwd_attrs", "rest"}
)
"""Fields that hold identifiers, flags or operator singletons: never worth a rule's visit."""

CHILD_FIELDS: dict[type, tuple[str, ...]] = {
    node_type: tuple(f for f in reversed(node_type._fields) if f not in NON_NODE_FIELDS)
    for node_type in vars(ast).values()
    if isinstance(node_type, type) and issubclass(node_type, ast.AST)
}
"""The fields of each node type that can hold child nodes, last first (the walk's stack order)."""


def _walk(
    tree: ast.AST,
    ctx: FileContext,
    visit: Mapping[type, list[Handler]],
    leave: Mapping[type, list[Handler]],
) -> None:
    """Visit every node once, depth first, with ``ctx.ancestors`` holding its enclosing nodes.

    This loop runs for every node of every file, so it avoids ``ast.iter_child_nodes``: child
    fields are precomputed per node type, ancestors are tracked by depth rather than by a
    "leave" event per node, leave events are queued only for types that have handlers, and
    leaves nobody handles (names and constants, half of all nodes) are never stacked.
    """
    wanted = {
        node_type: bool(fields) or node_type in visit or node_type in leave
        for node_type, fields in CHILD_FIELDS.items()
    }
    ancestors = ctx.ancestors
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    pop, push, is_wanted = stack.pop, stack.append, wanted.get
    while stack:
        node, depth = pop()
        if depth < 0:  # a queued leave event
            del ancestors[~depth:]
            for handler in leave[type(node)]:
                handler(node)
            continue
        del ancestors[depth:]
        node_type = type(node)
        handlers = visit.get(node_type)
        if handlers:
            for handler in handlers:
                handler(node)
        ancestors.append(node)
        if node_type in leave:
            push((node, ~depth))
        child_depth = depth + 1
        for name in CHILD_FIELDS[node_type]:
            value = getattr(node, name)
            if type(value) is list:
                for child in reversed(value):
                    if is_wanted(type(child)):
                        push((child, child_depth))
            elif is_wanted(type(value)):
                push((value, child_depth))


def analyse(
    file: SourceFile, data: bytes, codes: Sequence[str], options: Mapping[str, Any]
) -> FileResult:
    """The map step for one file: findings of the file rules, facts, suppression comments."""
    with gc_paused():
        return _analyse(file, data, codes, options)


def _analyse(
    file: SourceFile, data: bytes, codes: Sequence[str], options: Mapping[str, Any]
) -> FileResult:
    rules = [RULES_BY_CODE[code] for code in codes]
    # RecursionError and MemoryError: nesting deeper than the parser or a rule can follow
    # (thousands of chained `+`, attributes or `/`) is a finding for the file, not a crash.
    try:
        source = decode(data)
    except (SyntaxError, UnicodeDecodeError, ValueError, LookupError) as error:
        return parse_failure(file, error, rules)
    try:
        tree = parse(source, file.path)
    except (SyntaxError, ValueError) as error:
        # Valid for a newer Python than this one: not reported, and not linted either.
        if isinstance(error, SyntaxError) and newer_grammar(source, error):
            return FileResult()
        return parse_failure(file, error, rules)
    except (RecursionError, MemoryError) as error:  # not a parse error: a limit of ours
        return parse_failure(file, error, rules)
    errors: list[str] = []
    while True:
        try:
            result = _apply_rules(file, source, tree, rules, options)
        except (RecursionError, MemoryError) as error:
            return parse_failure(file, error, rules)
        except Exception as error:  # a bug: named with its rule and file, never a traceback
            code = _raising_rule(error)
            errors.append(
                f"{file.path}: internal error in {code or 'the engine'}: "
                f"{type(error).__name__}: {error} (a bug in apytest-lint, please report it); "
                + ("the file's other rules ran" if code else "the file was not linted")
            )
            if code is None:
                return FileResult(errors=errors)
            rules = [rule for rule in rules if rule.code != code]
            continue
        result.errors = errors
        return result


def _raising_rule(error: Exception) -> str | None:
    """The code of the rule whose visitor raised ``error`` (the innermost frame of a method of
    a file rule), None when none did (the engine's own fact collector)."""
    code = None
    traceback = error.__traceback__
    while traceback is not None:
        owner = traceback.tb_frame.f_locals.get("self")
        if isinstance(owner, FileRule):
            code = owner.code
        traceback = traceback.tb_next
    return code


def _apply_rules(
    file: SourceFile,
    source: str,
    tree: ast.Module,
    rules: Sequence[type[Rule]],
    options: Mapping[str, Any],
) -> FileResult:
    lines = source.splitlines()
    ctx = FileContext(file=file, source=source, lines=lines, options=options)
    visitors: list[FileVisitor] = [FactCollector(ctx)]
    visitors += [
        r(ctx)
        for r in rules
        if issubclass(r, FileRule) and r.applies_to(file) and r.may_find(source)
    ]
    visit: defaultdict[type, list[Handler]] = defaultdict(list)
    leave: defaultdict[type, list[Handler]] = defaultdict(list)
    for visitor in visitors:
        for kind, node_type, handler in visitor.handlers():
            (visit if kind == "visit" else leave)[node_type].append(handler)
    _walk(tree, ctx, visit, leave)
    return FileResult(ctx.findings, ctx.facts, scan_suppressions(source))


def parse_failure(file: SourceFile, error: Exception, rules: Sequence[type[Rule]]) -> FileResult:
    """A file that cannot be read or parsed yields the parse-failure rule's finding, if enabled."""
    findings = [
        Finding(file.path, line, col, rule.code, message)
        for rule in rules
        if issubclass(rule, ParseFailureRule)
        for line, col, message in [rule.describe(error)]
    ]
    unparsed = (
        [type(error).__name__]
        if isinstance(error, (SyntaxError, UnicodeDecodeError, ValueError, LookupError))
        else []
    )
    return FileResult(findings=findings, facts=FileFacts(unparsed=unparsed))


def _analyse_job(job: tuple[SourceFile, bytes, Sequence[str], Mapping[str, Any]]) -> FileResult:
    return analyse(*job)


ProgressCallback = Callable[[int, int], None]


def map_files(
    jobs: Sequence[tuple[SourceFile, bytes]],
    codes: Sequence[str],
    options: Mapping[str, Any],
    processes: int,
    progress: ProgressCallback | None = None,
) -> list[FileResult]:
    """Analyse files, across ``processes`` worker processes when there are enough of them."""
    work = [(file, data, tuple(codes), options) for file, data in jobs]
    if processes <= 1 or len(work) < PARALLEL_THRESHOLD:
        return _collect(map(_analyse_job, work), len(work), progress)
    chunk = max(1, len(work) // (processes * 8))
    with ProcessPoolExecutor(max_workers=processes) as pool:
        return _collect(pool.map(_analyse_job, work, chunksize=chunk), len(work), progress)


def _collect(
    results: Iterator[FileResult], total: int, progress: ProgressCallback | None
) -> list[FileResult]:
    collected: list[FileResult] = []
    for result in results:
        collected.append(result)
        if progress is not None:
            progress(len(collected), total)
    return collected


def reduce_project(
    results: Sequence[tuple[SourceFile, FileResult]],
    rules: Sequence[type[Rule]],
    model: ProjectModel,
    options: Mapping[str, Any],
) -> tuple[list[Finding], list[str], list[str]]:
    """Every file's findings plus the project rules', less inline suppressions; the warnings
    about those suppressions (unknown or unused codes); and the project rules that raised."""
    ctx = ProjectContext(
        files=[(f, r.facts) for f, r in results if f.kind != "package"],
        model=model,
        options=options,
        package_inits=[(f, r.facts) for f, r in results if f.kind == "package"],
    )
    findings = [finding for _file, result in results for finding in result.findings]
    errors: list[str] = []
    for rule in rules:
        if issubclass(rule, ProjectRule):
            try:
                findings.extend(list(rule.check(ctx)))
            except Exception as error:  # a bug: named with its rule, never a traceback
                errors.append(
                    f"internal error in {rule.code}: {type(error).__name__}: {error} (a bug in "
                    "apytest-lint, please report it); the other rules ran"
                )
    suppressions = {file.path: result.suppressions for file, result in results}
    kept: list[Finding] = []
    used: set[tuple[str, int, str]] = set()
    for f in findings:
        if suppressed(suppressions.get(f.path, {}), f.line, f.code):
            used.add((f.path, f.line, f.code))
        else:
            kept.append(f)
    return sorted(kept), suppression_warnings(suppressions, used, rules), errors


def read_bytes(path: Path) -> bytes | OSError:
    """A source file's bytes: a regular file of at most MAX_FILE_BYTES, else the error."""
    try:
        return read_regular(path, MAX_FILE_BYTES)
    except OSError as error:
        return error
