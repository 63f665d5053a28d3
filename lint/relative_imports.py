"""The module-level relative imports of the suite's files, named absolutely (AT1).

A test module of a package (``tests/__init__.py`` beside it) that runs ``from .factories
import UserFactory`` runs ``tests/factories.py`` while pytest collects it, as ``from
tests.factories import UserFactory`` would: a helper importing factory-boy, declared nowhere,
fails the module either way. The facts hold such imports as written (``.factories``), since
only the project's folders say which package a file belongs to; here they get the name
pytest's ``prepend`` and ``append`` modes import them under (the folders with ``__init__.py``
above the file, then the module), and join the file's absolute imports, so that the
dependency rules follow their chains (``lint/chains.py``) as they follow any import of a
project module. An import that climbs above the file's packages fails on its own (APT201's
to say), and is left out, as is one whose top package is not the project's.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from apytest.lint.engine import FileResult
from apytest.rules.api import ImportFact, SourceFile


def package_parts(path: str, package_dirs: Collection[str]) -> list[str]:
    """The dotted name of the package holding the file at ``path`` (relative to the root), as
    parts: its folder and those above it, as long as each holds an ``__init__.py``."""
    folders = path.split("/")[:-1]
    parts: list[str] = []
    while folders and "/".join(folders) in package_dirs:
        parts.insert(0, folders.pop())
    return parts


def absolute_name(path: str, module: str, package_dirs: Collection[str]) -> str | None:
    """``module`` as written in the file at ``path`` (``.factories``, ``..helpers.db``),
    named from the top package; None when it climbs above the file's packages."""
    level = len(module) - len(module.lstrip("."))
    package = package_parts(path, package_dirs)
    if level > len(package):
        return None
    return ".".join([*package[: len(package) - level + 1], module[level:]])


def with_relative_imports(
    results: Sequence[tuple[SourceFile, FileResult]],
    package_dirs: Collection[str],
    first_party: Collection[str],
) -> list[tuple[SourceFile, FileResult]]:
    """``results`` with each file's module-level relative imports added to its imports,
    named absolutely (in line order, as the rules read them)."""
    named: list[tuple[SourceFile, FileResult]] = []
    for source, result in results:
        relative = result.facts.relative_module_imports
        found = [
            replace(fact, module=name)
            for fact in relative
            if (name := absolute_name(source.path, fact.module, package_dirs)) is not None
            and name.partition(".")[0] in first_party
        ]
        if found:
            imports = sorted([*result.facts.imports, *found], key=_position)
            result = replace(result, facts=replace(result.facts, imports=imports))
        named.append((source, result))
    return named


def _position(fact: ImportFact) -> tuple[int, int]:
    return fact.line, fact.col
