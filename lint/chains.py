"""Project modules outside the suite that test modules import at module level.

pytest runs a module's module-level code while it collects it, and with it the code of every
project module that code imports: the package ``__init__`` files on the way and the module
itself. A test module that imports ``pkg.feature`` fails to collect when ``pkg/__init__.py``
imports, unguarded, a package only an extra installs. The dependency rules read those files'
facts too: one level (what the test imports, not what that imports), and of the modules
themselves only the helpers beside the tests (the project's own large modules would cost a
cold run more than the whole suite; their packages' ``__init__`` files are read).
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
    r"^(?:from[ \t]+([\w.]+)[ \t]+import\b|import[ \t]+([^\n#;]+)|try[ \t]*:)", re.M
)
"""A statement at column 0 that can fail for a missing package: an import, or a ``try``."""


def may_need_a_package(path: Path, first_party: frozenset[str]) -> bool:
    """Whether a file holds, at column 0, a ``try:`` or an import of a module that is neither
    standard nor the project's: without one, importing it cannot fail for a missing package
    that APT101/APT102 would name, and its analysis is skipped (most package ``__init__``
    files import only their own modules)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    for match in _TOP_LEVEL.finditer(text):
        if match.group(1) is None and match.group(2) is None:
            return True  # try:
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


def import_chains(
    project: Project,
    results: Iterable[tuple[SourceFile, FileFacts]],
    first_party: frozenset[str],
    suite_files: frozenset[str],
) -> tuple[Chains, list[SourceFile]]:
    """The chains of the suite's unguarded module-level first-party imports, and the project
    files on them that the suite itself does not hold (to analyse as ``other`` files):
    ``__init__.py`` files, and modules among ``suite_files`` (the ``.py`` files under the
    collected folders)."""
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
    wanted: dict[str, bool] = {}
    for importer, module in pending:
        for path in resolver.chain(importer, module):
            if path not in wanted:
                wanted[path] = (
                    path not in suite
                    and (path.endswith("__init__.py") or path in suite_files)
                    and may_need_a_package(project.root / path, first_party)
                )
        chain = tuple(path for path in resolver.chain(importer, module) if wanted[path])
        if chain:
            chains[(importer, module)] = chain
            extra.update(dict.fromkeys(chain))
    return chains, [SourceFile(path, "other") for path in extra]


_IMPORTORSKIP = pytest_names("importorskip")


def package_skips(
    root: Path, suite: Collection[str], package_dirs: Collection[str]
) -> dict[str, frozenset[str]]:
    """Package folder -> the modules its ``__init__.py`` ``importorskip``s in statements of its
    module body (``pytest.importorskip("x")``, ``x = pytest.importorskip("x")``), for the
    package folders holding the suite's files and those above them. Under pytest's
    ``prepend``/``append`` import modes a test module of a package is imported as
    ``pkg.sub.test_x``, its packages' ``__init__`` files first: a skip there skips it."""
    folders: set[str] = set()
    for path in suite:
        parts = path.split("/")[:-1]
        while parts and "/".join(parts) in package_dirs:
            folders.add("/".join(parts))
            parts.pop()
    skips: dict[str, frozenset[str]] = {}
    for folder in sorted(folders):
        try:  # a regular file only (a FIFO is never waited for), nested or not
            tree = ast.parse(read_regular(root / folder / "__init__.py", MAX_FILE_BYTES))
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
            continue
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
        if names:
            skips[folder] = frozenset(names)
    return skips
