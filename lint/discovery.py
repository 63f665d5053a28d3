"""Find the files pytest would import, in the order it would import them."""

from __future__ import annotations

import fnmatch
import glob
import os
import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from apytest.common.files import file_kind, is_dir, is_file, read_regular
from apytest.lint.collect_ignore import Ignored, conftest_ignores
from apytest.lint.errors import LintError
from apytest.lint.project import Project
from apytest.rules.api import FileKind, SourceFile, named_for_tests


@dataclass
class Discovery:
    """Collected files in pytest's order, and what import resolution needs about the tree."""

    files: list[SourceFile] = field(default_factory=list)
    python_files: set[str] = field(default_factory=set)
    package_dirs: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    nested_projects: set[str] = field(default_factory=set)
    """Folders below the root that are projects of their own (see `nested_project`)."""


def relative(path: Path, root: Path) -> str:
    """Project-relative POSIX path ("" for the root itself)."""
    text, base = os.fspath(path), os.fspath(root)
    if text.startswith(base + os.sep):  # the common case, without relpath or pathlib
        return text[len(base) + 1 :].replace(os.sep, "/")
    rel = os.path.relpath(text, base)
    return "" if rel == "." else rel.replace(os.sep, "/")


def pytest_fnmatch(pattern: str, path: Path) -> bool:
    """Match as pytest's ``fnmatch_ex`` does for ``python_files`` and ``norecursedirs``.

    A pattern without a slash matches the basename; one with a slash matches the whole
    absolute path, with ``*/`` put in front of a relative pattern.
    """
    if "/" not in pattern:
        return fnmatch.fnmatch(path.name, pattern)
    if not pattern.startswith("/"):
        pattern = f"*/{pattern}"
    return fnmatch.fnmatch(str(path), pattern)


MAX_CONFIG_BYTES = 4 * 1024 * 1024
PROJECT_TABLES = ("[project]", "[build-system]", "[tool.poetry]")
DEVELOPMENT_TABLES = (
    "[dependency-groups]",
    "[tool.poetry.dev-dependencies]",
    "[tool.pdm.dev-dependencies]",
)
"""``pyproject.toml`` tables that declare what a project's own development (and test)
environment installs; Poetry's groups are ``[tool.poetry.group.<name>.dependencies]``."""
PYTEST_SECTIONS = {
    "pytest.ini": "",
    ".pytest.ini": "",
    "pyproject.toml": "[tool.pytest.ini_options]",
    "tox.ini": "[pytest]",
    "setup.cfg": "[tool:pytest]",
}


def _sections(path: Path) -> set[str] | None:
    """The stripped lines of a small configuration file that look like section headers."""
    try:
        text = read_regular(path, MAX_CONFIG_BYTES).decode("utf-8", "replace")
    except OSError:
        return None
    return {line.strip() for line in text.splitlines() if line.startswith("[")}


def nested_project(folder: Path) -> bool:
    """Whether a folder is a project of its own, whose tests run in its own environment: it
    declares a project (a ``setup.py``, or a ``pyproject.toml`` with a ``[project]``,
    ``[build-system]`` or ``[tool.poetry]`` table), is no package (``__init__.py``) of the
    code under test, and holds a pytest configuration (``pytest.ini``,
    ``[tool.pytest.ini_options]``, ``[pytest]`` in ``tox.ini``, ``[tool:pytest]`` in
    ``setup.cfg``: pytest takes it as its rootdir) or declares its own development
    dependencies (``[dependency-groups]``, Poetry's or PDM's dev groups: kr8s's
    ``examples/kubectl-ng``, whose tests need the typer it declares, run under the root's pytest
    configuration). An example shipped inside the repository, run from its own folder: its
    tests install what its own files declare, not what the root declares."""
    if is_file(folder / "__init__.py"):
        return False  # a package of the code under test (a wheel ships pandas/pyproject.toml)
    pyproject = _sections(folder / "pyproject.toml") or set()
    if not (is_file(folder / "setup.py") or pyproject & set(PROJECT_TABLES)):
        return False
    if pyproject & set(DEVELOPMENT_TABLES) or any(
        header.startswith("[tool.poetry.group.") for header in pyproject
    ):
        return True
    for name, header in PYTEST_SECTIONS.items():
        if name == "pyproject.toml":
            if header in pyproject:
                return True
            continue
        sections = _sections(folder / name)
        if sections is not None and (not header or header in sections):
            return True
    return False


def package_prefix(root: Path) -> str:
    """``"outer/root/"`` when the root folder is itself inside packages, as pytest walks up."""
    parts: list[str] = []
    folder = root
    while is_file(folder / "__init__.py") and folder.name.isidentifier():
        parts.append(folder.name)
        folder = folder.parent
    return "".join(f"{part}/" for part in reversed(parts))


def globstar_variants(pattern: str) -> list[str]:
    """The fnmatch patterns a glob stands for, reading ``**/`` as ruff (and git) do: zero or
    more folders, so ``tests/**/x.py`` also matches ``tests/x.py``."""
    head, star, tail = pattern.partition("**/")
    if not star:
        return [pattern]
    return [head + star + rest for rest in globstar_variants(tail)] + [
        head + rest for rest in globstar_variants(tail)
    ]


def matches_any(rel: str, patterns: Sequence[str]) -> bool:
    """Whether a relative path, one of its parents, or its basename matches a glob."""
    if not rel:
        return False
    parts = rel.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(
        fnmatch.fnmatch(candidate, variant) or fnmatch.fnmatch(parts[-1], variant)
        for pattern in patterns
        for variant in globstar_variants(pattern)
        for candidate in candidates
    )


def suite_package(folder: str) -> bool:
    """Whether a package folder is the suite's: it, or a folder above it, is named for tests
    (``tests``, ``test``, ``testing``, ``unit_tests``). The library package that tests sit
    in (``pkg`` of ``pkg/tests/``) is the project's code, which the tests' imports reach
    (``lint/chains.py``): what it imports is the runtime's to bring (requests-hawk's ``six``
    comes with its ``mohawk``), not the tests' to declare."""
    return any(map(named_for_tests, folder.split("/")))


class _Walker:
    def __init__(self, project: Project, exclude: Sequence[str]) -> None:
        self.root = project.root
        self.settings = project.pytest
        self.exclude = exclude
        self.result = Discovery()
        self.seen_files: set[str] = set()
        self.seen_dirs: set[tuple[int, int]] = set()
        self.warned: set[str] = set()
        self.ignored: list[Ignored] = []
        self.read_conftests: set[Path] = set()

    def add(self, path: Path, kind: FileKind) -> None:
        rel = relative(path, self.root)
        self.result.python_files.add(rel)
        if rel in self.seen_files or matches_any(rel, self.exclude):
            return
        self.seen_files.add(rel)
        self.result.files.append(SourceFile(rel, kind))

    def note_folder(self, folder: Path) -> None:
        """Record whether a folder is a package, for module names and import resolution."""
        init = folder / "__init__.py"
        if is_file(init) and (folder.name.isidentifier() or folder == self.root):
            rel = relative(folder, self.root)
            self.result.package_dirs.add(rel)
            self.result.python_files.add(relative(init, self.root))

    def is_test_file(self, path: Path) -> bool:
        return any(pytest_fnmatch(pattern, path) for pattern in self.settings.python_files)

    def conftests_down_to(self, folder: Path) -> None:
        """pytest loads every conftest from the root down to a collected folder first."""
        chain = [folder, *folder.parents]
        inside = [f for f in chain if f == self.root or self.root in f.parents]
        for ancestor in reversed(inside):
            self.note_folder(ancestor)
            self.conftest(ancestor)

    def skip_dir(self, path: Path) -> bool:
        name = path.name
        if name == "__pycache__" or is_file(path / "pyvenv.cfg"):
            return True
        if any(pytest_fnmatch(pattern, path) for pattern in self.settings.norecursedirs):
            return True
        return matches_any(relative(path, self.root), self.exclude) or self.collect_ignored(path)

    def collect_ignored(self, path: Path) -> bool:
        """Whether a conftest over the path surely lists it in ``collect_ignore`` (or a
        ``collect_ignore_glob`` matches it): pytest never collects it."""
        if not self.ignored:
            return False
        text = os.path.normpath(os.fspath(path))
        return any(ignored.matches(text) for ignored in self.ignored)

    def enter(self, folder: Path) -> Iterator[os.DirEntry[str]] | None:
        """Note a folder and its conftest; its entries in name order, or None when it was
        seen before (a symlink loop) or cannot be listed (permissions: skipped, as pytest
        would fail on it rather than report it)."""
        try:
            stat = folder.stat()
        except OSError:
            return None
        key = (stat.st_dev, stat.st_ino)
        if key in self.seen_dirs:
            return None  # a symlink loop, or a folder reached twice
        self.seen_dirs.add(key)
        if folder != self.root and self.root in folder.parents and nested_project(folder):
            self.result.nested_projects.add(relative(folder, self.root))
        self.note_folder(folder)
        self.conftest(folder)
        try:
            return iter(sorted(os.scandir(folder), key=lambda entry: entry.name))
        except OSError:
            return None

    def walk(self, folder: Path) -> None:
        """Depth first in name order, as pytest collects; a stack rather than recursion, so
        that no depth of folders exhausts Python's recursion limit."""
        first = self.enter(folder)
        stack = [first] if first is not None else []
        while stack:
            entry = next(stack[-1], None)
            if entry is None:
                stack.pop()
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
                is_regular = not is_dir and entry.is_file()
            except OSError:
                continue
            if is_dir:
                if not self.skip_dir(path):
                    entries = self.enter(path)
                    if entries is not None:
                        stack.append(entries)
            elif is_regular and entry.name.endswith(".py"):
                self.result.python_files.add(relative(path, self.root))
                if (
                    entry.name != "conftest.py"
                    and self.is_test_file(path)
                    and not self.collect_ignored(path)
                ):
                    self.add(path, "test")
            elif self.would_collect(entry.name, path):
                self.skip_unreadable(path)  # its folder's conftest was seen on entering

    def would_collect(self, name: str, path: Path) -> bool:
        """Whether pytest would collect this entry were it a regular file: a ``.py`` file that
        matches ``python_files`` (pytest looks at no other suffix, so ``python_files = *``
        leaves a folder's key files and fixtures data, never would-be tests)."""
        return name.endswith(".py") and name != "conftest.py" and self.is_test_file(path)

    def skip_unreadable(self, path: Path) -> None:
        """Warn about a would-be test module or conftest that is no regular file (a FIFO, a
        device, a socket, a dangling link): pytest skips it silently, and so does the lint, but
        the user should know a file that looks like a test was not checked. Never opened."""
        rel = relative(path, self.root)
        if rel in self.warned or matches_any(rel, self.exclude):
            return
        self.warned.add(rel)
        try:
            what = f"not a regular file ({file_kind(path.stat().st_mode)})"
        except FileNotFoundError:
            what = "a link to nothing"
        except OSError as error:
            what = f"cannot be examined ({error.strerror or error})"
        self.result.warnings.append(f"{rel}: {what}: skipped, not linted")

    def conftest(self, folder: Path) -> None:
        """Lint the folder's conftest; a conftest that is no regular file gets a warning."""
        conftest = folder / "conftest.py"
        if is_file(conftest):
            self.add(conftest, "conftest")
            if conftest not in self.read_conftests:
                self.read_conftests.add(conftest)
                self.ignored.extend(conftest_ignores(conftest))
        elif os.path.lexists(conftest) and not is_dir(conftest):
            self.skip_unreadable(conftest)

    def package_inits(self) -> None:
        """Add the ``__init__.py`` of every package folder of the suite that holds a test
        module, directly or further down: pytest imports it before the module's tests run (as
        the module's package in its ``prepend``/``append`` modes, in the package's setup in
        every mode), so a missing package it imports fails each module below."""
        folders = {posixpath.dirname(f.path) for f in self.result.files if f.kind == "test"}
        inits: set[str] = set()
        for folder in folders:
            while folder:
                if folder in self.result.package_dirs and suite_package(folder):
                    inits.add(posixpath.join(folder, "__init__.py"))
                folder = posixpath.dirname(folder)
        for init in sorted(inits):
            self.add(self.root / init, "package")

    def target(self, path: Path) -> None:
        if is_dir(path):
            self.conftests_down_to(path.parent if path != self.root else path)
            self.walk(path)
        else:
            self.conftests_down_to(path.parent)
            self.add(path, "conftest" if path.name == "conftest.py" else "test")


def start_paths(
    project: Project, explicit: Sequence[Path], warnings: list[str], must_exist: bool = True
) -> list[Path]:
    """Explicit paths win; else pytest's ``testpaths`` (globs); else the root.

    ``testpaths`` that match nothing fall back to the root, as pytest does, with a warning
    appended to ``warnings``: a misspelt folder must not pass as a clean suite.
    """
    if explicit:
        for path in explicit:
            if not must_exist:
                continue
            try:
                path.stat()
            except FileNotFoundError:
                raise LintError(f"{path}: no such file or folder") from None
            except OSError as error:
                raise LintError(f"{path}: cannot access: {error.strerror or error}") from None
        return list(explicit)
    found: list[Path] = []
    for pattern in project.pytest.testpaths:
        found.extend(p for p in _testpaths_matches(project.root, pattern) if _exists(p))
    if project.pytest.testpaths and not found:
        shown = ", ".join(project.pytest.testpaths)
        warnings.append(f"testpaths ({shown}) match nothing under {project.root}; linting the root")
    # A file of another kind (``README.rst``) is collected by a plugin (doctest), never imported
    # as a module: nothing to read as Python.
    return [p for p in found if p.suffix == ".py" or not is_file(p)] if found else [project.root]


def _testpaths_matches(root: Path, pattern: str) -> list[Path]:
    """What pytest finds for one ``testpaths`` entry: ``glob.iglob(pattern, recursive=True)``
    run from the root. ``Path.glob`` is no stand-in: it refuses ``.`` (the root itself) and an
    absolute pattern with an exception (AI1), where pytest collects the root or that path."""
    return sorted(root / match for match in glob.glob(pattern, root_dir=root, recursive=True))


def _exists(path: Path) -> bool:
    try:
        path.stat()
    except OSError:
        return False
    return True


def discover(
    project: Project, explicit: Sequence[Path], exclude: Sequence[str], must_exist: bool = True
) -> Discovery:
    """The files to lint; ``must_exist=False`` for a path that names stdin's contents."""
    walker = _Walker(project, exclude)
    for path in start_paths(project, explicit, walker.result.warnings, must_exist):
        walker.target(path.absolute())
    walker.package_inits()
    if not walker.result.files:
        walker.result.warnings.append("no test modules or conftests found: nothing was linted")
    return walker.result


def find_module(name: str, project: Project, discovered: Discovery) -> Path | None:
    """The project file a ``pytest_plugins`` module name refers to, if the project holds it."""
    parts = name.split(".")
    for base in ("", *project.pytest.pythonpath, "src"):
        folder = project.root / base
        for candidate in (
            folder.joinpath(*parts).with_suffix(".py"),
            folder.joinpath(*parts, "__init__.py"),
        ):
            if is_file(candidate):
                return candidate
    return None


def iter_plugin_files(
    names: Sequence[str], project: Project, discovered: Discovery
) -> Iterator[SourceFile]:
    """Plugins named in ``pytest_plugins`` that live in the project and were not collected."""
    known = {f.path for f in discovered.files}
    for name in names:
        path = find_module(name, project, discovered)
        if path is None:
            continue
        rel = relative(path, project.root)
        if rel not in known:
            known.add(rel)
            discovered.python_files.add(rel)
            yield SourceFile(rel, "plugin")
