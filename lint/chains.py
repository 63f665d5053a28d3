"""Project modules outside the suite that test modules import at module level.

pytest runs a module's module-level code while it collects it, and with it the code of every
project module that code imports: the package ``__init__`` files on the way and the module
itself. A test module that imports ``pkg.feature`` fails to collect when ``pkg/__init__.py``
imports, unguarded, a package only an extra installs. The dependency rules read those files'
facts too, one level deep: the packages' ``__init__`` files, the module itself (a test
importing ``pkg.server.app``, which imports fastapi from an extra), and the project modules an
``__init__`` on the way imports at module level (``from .geometry import Word`` runs with it,
whatever the test imports from the package); not what those import in turn. Only files that
may need a package are analysed (``may_need_a_package``): a cold run of pytest's own suite,
whose tests import its ``src/_pytest`` modules, costs an eighth more CPU (1.28 s to 1.45 s),
one of pandas' tests 2% (benchmarks/truth.md, sixteenth round).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterable
from pathlib import Path

from apytest.common.files import read_regular
from apytest.lint.discovery import relative
from apytest.lint.engine import MAX_FILE_BYTES
from apytest.lint.project import Project
from apytest.rules.api import FileFacts, SourceFile
from apytest.rules.support.astutil import dotted_name, pytest_names
from apytest.rules.support.distributions import is_stdlib

_TOP_LEVEL = re.compile(
    r"^(?:from[ \t]+([\w.]+)[ \t]+import\b|import[ \t]+([^\n#;]+)|try[ \t]*:|with[ \t])", re.M
)
"""A statement at column 0 that can fail for a missing package: an import, or a ``try`` or
``with`` around one (``with try_import():`` binds nothing without the package)."""


def may_need_a_package(path: Path, first_party: frozenset[str]) -> bool:
    """Whether a file holds, at column 0, a ``try:``, a ``with`` or an import of a module that
    is neither standard nor the project's: without one, importing it cannot fail for a missing
    package that APT101/APT102 would name, and its analysis is skipped (most package
    ``__init__`` files import only their own modules)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    for match in _TOP_LEVEL.finditer(text):
        if match.group(1) is None and match.group(2) is None:
            return True  # try: or with
        names = [match.group(1)] if match.group(1) else match.group(2).split(",")
        for name in names:
            top = name.strip().partition(" ")[0].partition(".")[0]
            if top and top not in first_party and top != "__future__" and not is_stdlib(top):
                return True
    return False


Chains = dict[tuple[str, str], tuple[str, ...]]
"""``(importing file, module) -> project files that importing the module runs``, outermost
package first."""


class _Resolver:
    """Finds the project files behind dotted names, remembering every answer."""

    def __init__(self, project: Project) -> None:
        self.root = project.root
        self.bases = [project.root / p for p in ("", *project.pytest.pythonpath, "src")]
        self.found: dict[tuple[Path, str], str | None] = {}
        self.imported_by_init: dict[str, list[str]] = {}

    def file(self, base: Path, name: str) -> str | None:
        key = (base, name)
        if key not in self.found:
            parts = name.split(".")
            path = None
            for candidate in (
                base.joinpath(*parts, "__init__.py"),
                base.joinpath(*parts).with_suffix(".py"),
            ):
                if candidate.is_file():
                    path = relative(candidate, self.root)
                    break
            self.found[key] = path
        return self.found[key]

    def chain(self, importer: str, module: str) -> tuple[str, ...]:
        """The files that ``import module`` runs, from the first base that holds its top.

        The importer's own folder is no base for a standard module's name when that folder is
        a package (ZG1): pytest's prepend mode puts the package's base on ``sys.path``, not the
        folder, so ``from typing import Callable`` beside a ``typing.py`` still imports the
        standard ``typing``; in a folder without ``__init__.py`` the sibling may shadow it."""
        parts = module.split(".")
        folder = (self.root / importer).parent
        own = [] if is_stdlib(parts[0]) and (folder / "__init__.py").is_file() else [folder]
        for base in [*own, *self.bases]:
            if self.file(base, parts[0]) is None:
                continue
            found = (self.file(base, ".".join(parts[:end])) for end in range(1, len(parts) + 1))
            return tuple(path for path in found if path is not None)
        return ()

    def with_init_imports(self, chain: tuple[str, ...], first_party: frozenset[str]) -> list[str]:
        """``chain`` with, after each ``__init__.py`` on it, the project modules that its
        module-level statements import (not those they import in turn)."""
        files: dict[str, None] = {}
        for path in chain:
            files[path] = None
            if path.endswith("__init__.py"):
                files.update(dict.fromkeys(self._init_imports(path, first_party)))
        return list(files)

    def _init_imports(self, init: str, first_party: frozenset[str]) -> list[str]:
        """The project files that the module-level import statements of the package file
        ``init`` import: ``from .geometry import Word`` and ``from . import geometry``
        beside it, ``from pkg.geometry import Word`` through the resolver. Statements inside
        a ``try``, an ``if`` or a function may not run, and are left out."""
        if init not in self.imported_by_init:
            self.imported_by_init[init] = self._read_init_imports(init, first_party)
        return self.imported_by_init[init]

    def _read_init_imports(self, init: str, first_party: frozenset[str]) -> list[str]:
        try:  # a regular file only (a FIFO is never waited for)
            text = read_regular(self.root / init, MAX_FILE_BYTES)
            if b"import" not in text:
                return []
            tree = ast.parse(text)
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
            return []
        package = (self.root / init).parent
        found: list[str] = []
        for statement in tree.body:
            if isinstance(statement, ast.ImportFrom) and statement.level:
                folder = package
                for _ in range(statement.level - 1):
                    folder = folder.parent
                if folder != self.root and self.root not in folder.parents:
                    continue  # above the project: not its file
                names = (
                    [statement.module]
                    if statement.module
                    else [alias.name for alias in statement.names if alias.name != "*"]
                )
                found.extend(path for name in names if (path := self.file(folder, name)))
            elif isinstance(statement, ast.ImportFrom) and statement.module:
                if statement.module.partition(".")[0] in first_party:
                    found.extend(self.chain(init, statement.module))
            elif isinstance(statement, ast.Import):
                for alias in statement.names:
                    if alias.name.partition(".")[0] in first_party:
                        found.extend(self.chain(init, alias.name))
        return [path for path in found if path != init]


def import_chains(
    project: Project,
    results: Iterable[tuple[SourceFile, FileFacts]],
    first_party: frozenset[str],
) -> tuple[Chains, list[SourceFile]]:
    """The chains of the suite's unguarded module-level first-party imports, and the project
    files on them that the suite itself does not hold (to analyse as ``other`` files)."""
    suite: set[str] = set()
    pending: list[tuple[str, str]] = []
    for source, facts in results:
        suite.add(source.path)
        pending.extend(
            (source.path, fact.module)
            for fact in facts.imports
            if fact.module_level
            and not fact.guarded
            and fact.module.partition(".")[0] in first_party
        )
    resolver = _Resolver(project)
    chains: Chains = {}
    extra: dict[str, None] = {}
    may_fail: dict[str, bool] = {}
    for importer, module in pending:
        files = [
            path
            for path in resolver.with_init_imports(resolver.chain(importer, module), first_party)
            if path not in suite
        ]
        for path in files:
            if path not in may_fail:
                may_fail[path] = may_need_a_package(project.root / path, first_party)
        chain = tuple(path for path in files if may_fail[path])
        if chain:
            chains[(importer, module)] = chain
            extra.update(dict.fromkeys(chain))
    return chains, [SourceFile(path, "other") for path in extra]


_IMPORTORSKIP = pytest_names("importorskip")


def package_skips(
    root: Path, suite: Collection[str], package_dirs: Collection[str]
) -> dict[str, frozenset[str]]:
    """Package folder -> the modules its ``__init__.py`` ``importorskip``s (see
    ``_importorskips``), for the package folders holding the suite's files and those above
    them. Under pytest's ``prepend``/``append`` import modes a test module of a package is
    imported as ``pkg.sub.test_x``, its packages' ``__init__`` files first: a skip there skips
    it."""
    folders: set[str] = set()
    for path in suite:
        parts = path.split("/")[:-1]
        while parts and "/".join(parts) in package_dirs:
            folders.add("/".join(parts))
            parts.pop()
    found = {folder: _importorskips(root / folder / "__init__.py") for folder in sorted(folders)}
    return {folder: names for folder, names in found.items() if names}


def conftest_skips(root: Path, conftests: Iterable[str]) -> dict[str, frozenset[str]]:
    """Folder -> the modules its ``conftest.py`` ``importorskip``s (see ``_importorskips``):
    pytest loads a folder's conftest before any module below it, in every import mode, and a
    skip there skips the folder (pytest 7.4 to 9.2)."""
    found = {path.rpartition("/")[0]: _importorskips(root / path) for path in conftests}
    return {folder: names for folder, names in found.items() if names}


def _importorskips(path: Path) -> frozenset[str]:
    """The modules a file ``importorskip``s in statements of its module body
    (``pytest.importorskip("x")``, ``x = pytest.importorskip("x")``); not in an ``if`` or a
    function, which may not run."""
    try:  # a regular file only (a FIFO is never waited for), nested or not
        tree = ast.parse(read_regular(path, MAX_FILE_BYTES))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    names = set()
    for statement in tree.body:
        value = statement.value if isinstance(statement, ast.Expr | ast.Assign) else None
        if (
            isinstance(value, ast.Call)
            and dotted_name(value.func) in _IMPORTORSKIP
            and value.args
            and isinstance(value.args[0], ast.Constant)
            and isinstance(value.args[0].value, str)
        ):
            names.add(value.args[0].value)
    return frozenset(names)
