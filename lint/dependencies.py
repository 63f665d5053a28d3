"""Read what a project declares and records about its dependencies, with positions.

Declarations come from PEP 621 (``dependencies``, ``optional-dependencies``, setuptools'
``dynamic`` requirement files), PEP 735 ``[dependency-groups]`` and ``requirements*.txt`` (with
``-r`` includes); records from the Markdown table of ``dependency_registry.md``. Every
declaration keeps its file and line, so findings point at the line to edit. A file that cannot
be read as its format says is a :class:`LintError` naming the file and line.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import packages_distributions
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from apytest.lint.cache import CACHE_DIR, environment_key, read_keyed, write_keyed
from apytest.lint.discovery import relative
from apytest.lint.errors import LintError
from apytest.lint.project import Project
from apytest.rules.api import DeclaredDependency, DependencyModel, RegistryRow

DEFAULT_REGISTRY = "dependency_registry.md"
REQUIREMENTS_GLOBS = ("*requirements*.txt", "requirements/*.txt")

_TOML_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|#.*')
_COMMENT = re.compile(r"(^|\s)#.*$")
_REGISTRY_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


@dataclass(frozen=True)
class _Token:
    line: int
    col: int
    value: str


def _decode_toml_string(token: str) -> str:
    body = token[1:-1]
    if token.startswith("'"):
        return body
    try:
        decoded = json.loads(f'"{body}"')
    except ValueError:
        return body
    return decoded if isinstance(decoded, str) else body


class _TomlLocator:
    """Finds where a string value of ``pyproject.toml`` is written (``tomllib`` keeps no positions).

    Each requirement is matched to the first unused string with the same value after its
    table's header, so duplicates in different tables land on their own lines.
    """

    def __init__(self, text: str) -> None:
        self.tokens: list[_Token] = []
        self.headers: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith("[") and not stripped.startswith("[["):
                self.headers.setdefault(stripped.strip("[] ").replace('"', ""), number)
            for match in _TOML_STRING.finditer(line):
                if not match.group().startswith("#"):
                    value = _decode_toml_string(match.group())
                    self.tokens.append(_Token(number, match.start() + 1, value))
        self.used: set[int] = set()

    def find(self, value: str, table: str) -> tuple[int, int]:
        after = self.headers.get(table, 0)
        for preferred in (True, False):
            for index, token in enumerate(self.tokens):
                if index in self.used or token.value != value:
                    continue
                if preferred and token.line < after:
                    continue
                self.used.add(index)
                return token.line, token.col
        return max(after, 1), 1


@dataclass
class _Collector:
    """Accumulates declarations and section includes while the files are read."""

    root: Path
    project_name: str
    declared: list[DeclaredDependency] = field(default_factory=list)
    includes: dict[str, list[str]] = field(default_factory=dict)
    read_files: set[Path] = field(default_factory=set)

    def include(self, section: str, other: str) -> None:
        targets = self.includes.setdefault(section, [])
        if other not in targets:
            targets.append(other)

    def add(self, text: str, section: str, path: Path, line: int, col: int) -> None:
        """Record one requirement string; raise a LintError naming the place if it is invalid."""
        rel = relative(path, self.root)
        try:
            requirement = Requirement(text)
        except InvalidRequirement as error:
            raise LintError(f"{rel}:{line}: invalid requirement '{text}': {error}") from None
        name = canonicalize_name(requirement.name)
        if name == self.project_name and self.project_name:
            for extra in sorted(requirement.extras):
                self.include(section, f"extra:{canonicalize_name(extra)}")
            return
        self.declared.append(
            DeclaredDependency(
                name=name,
                requirement=text,
                section=section,
                path=rel,
                line=line,
                col=col,
                specifier=str(requirement.specifier),
                url=requirement.url is not None,
            )
        )

    def requirements_file(self, path: Path) -> str:
        """Read a pip requirements file (and its ``-r`` includes); return its section name."""
        section = f"requirements:{relative(path, self.root)}"
        resolved = path.resolve()
        if resolved in self.read_files:
            return section
        self.read_files.add(resolved)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise LintError(f"{relative(path, self.root)}: cannot read: {error}") from None
        for number, line in _logical_lines(text):
            self._requirement_line(line, number, path, section)
        return section

    def _requirement_line(self, line: str, number: int, path: Path, section: str) -> None:
        option, _, argument = line.partition(" ")
        if option in ("-r", "--requirement") or line.startswith("--requirement="):
            target = argument.strip() or line.partition("=")[2].strip()
            included = path.parent / target
            if not included.is_file():
                raise LintError(
                    f"{relative(path, self.root)}:{number}: -r names a missing file '{target}'"
                )
            self.include(section, self.requirements_file(included))
            return
        if line.startswith("-"):
            return  # -c constraints, -e editables, index and install options declare nothing
        text = re.split(r"\s--?[a-z]", line, maxsplit=1)[0].strip()  # per-requirement options
        if text.startswith((".", "/", "~")) or re.match(r"^[a-z][a-z0-9+.-]*://", text):
            return  # a local path or a bare URL names no distribution
        self.add(text, section, path, number, 1)


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines of a requirements file with comments removed and ``\\`` continuations joined."""
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw).rstrip()
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = (pending + line).strip(), ""
        if line:
            yield start, line


def _strings(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise LintError(f"{where} must be a list")
    return value


class _PyprojectReader:
    """The dependency tables of ``pyproject.toml``."""

    def __init__(self, project: Project, collector: _Collector) -> None:
        self.path = project.root / "pyproject.toml"
        self.data = project.pyproject
        self.collector = collector
        text = self.path.read_text(encoding="utf-8") if self.path.is_file() else ""
        self.locator = _TomlLocator(text)
        self.where = "pyproject.toml"

    def requirement_list(self, values: Any, section: str, table: str, label: str) -> None:
        for item in _strings(values, f"{self.where}: {label}"):
            if not isinstance(item, str):
                raise LintError(f"{self.where}: {label} must hold requirement strings")
            line, col = self.locator.find(item, table)
            self.collector.add(item, section, self.path, line, col)

    def project_tables(self) -> bool:
        """Read ``[project]``; return whether its declarations could all be read statically."""
        table = self.data.get("project")
        if not isinstance(table, dict):
            return False
        dynamic = table.get("dynamic", [])
        complete = True
        if "dependencies" in table:
            self.requirement_list(
                table["dependencies"], "dependencies", "project", "[project] dependencies"
            )
        elif "dependencies" in dynamic:
            complete &= self._dynamic_files(("dependencies",), "dependencies")
        extras = table.get("optional-dependencies", {})
        if not isinstance(extras, dict):
            raise LintError(f"{self.where}: [project.optional-dependencies] must be a table")
        for extra, values in extras.items():
            self.requirement_list(
                values,
                f"extra:{canonicalize_name(extra)}",
                "project.optional-dependencies",
                f"[project.optional-dependencies] {extra}",
            )
        if "optional-dependencies" in dynamic:
            complete &= self._dynamic_extras()
        return complete

    def _setuptools_dynamic(self) -> Mapping[str, Any]:
        tool = self.data.get("tool", {})
        setuptools = tool.get("setuptools", {}) if isinstance(tool, dict) else {}
        dynamic = setuptools.get("dynamic", {}) if isinstance(setuptools, dict) else {}
        return dynamic if isinstance(dynamic, dict) else {}

    def _dynamic_files(self, keys: Sequence[str], section: str) -> bool:
        entry: Any = self._setuptools_dynamic()
        for key in keys:
            entry = entry.get(key) if isinstance(entry, dict) else None
        files = entry.get("file") if isinstance(entry, dict) else None
        if files is None:
            return False
        for name in [files] if isinstance(files, str) else files:
            path = self.collector.root / str(name)
            if not path.is_file():
                raise LintError(f"{self.where}: [tool.setuptools.dynamic] names missing '{name}'")
            self.collector.include(section, self.collector.requirements_file(path))
        return True

    def _dynamic_extras(self) -> bool:
        extras = self._setuptools_dynamic().get("optional-dependencies")
        if not isinstance(extras, dict):
            return False
        return all(
            self._dynamic_files(
                ("optional-dependencies", extra), f"extra:{canonicalize_name(extra)}"
            )
            for extra in extras
        )

    def dependency_groups(self) -> bool:
        groups = self.data.get("dependency-groups", {})
        if not isinstance(groups, dict):
            raise LintError(f"{self.where}: [dependency-groups] must be a table")
        for group, values in groups.items():
            section = f"group:{canonicalize_name(group)}"
            label = f"[dependency-groups] {group}"
            for item in _strings(values, f"{self.where}: {label}"):
                if isinstance(item, dict) and isinstance(item.get("include-group"), str):
                    self.collector.include(
                        section, f"group:{canonicalize_name(item['include-group'])}"
                    )
                elif isinstance(item, str):
                    line, col = self.locator.find(item, "dependency-groups")
                    self.collector.add(item, section, self.path, line, col)
                else:
                    raise LintError(
                        f"{self.where}: {label} entries must be strings or {{include-group = ...}}"
                    )
        return bool(groups)


def read_registry(path: Path, rel: str) -> tuple[RegistryRow, ...]:
    """The package names in the first column of the Markdown tables of ``path``.

    Each table's header row and its ``| --- |`` separator are skipped; a data row whose first
    cell names no package is an error naming the line.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise LintError(f"{rel}: cannot read: {error}") from None
    rows: list[RegistryRow] = []
    in_table = False
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line.startswith("|"):
            in_table = False
            continue
        if not in_table or _SEPARATOR.match(line):
            in_table = True  # the header row, or the separator below it
            continue
        cell = line.strip("|").split("|")[0]
        cell = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", cell).replace("`", "").replace("*", "")
        match = _REGISTRY_NAME.match(cell.strip())
        if match is None:
            raise LintError(f"{rel}:{number}: the first column of the registry must name a package")
        rows.append(RegistryRow(canonicalize_name(match.group()), number))
    return tuple(rows)


def _module_names(folder: Path) -> Iterator[str]:
    """Top-level import names that files and folders directly in ``folder`` provide."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if entry.is_dir() and name.isidentifier():
            yield name
        elif name.endswith((".py", ".so", ".pyd")):
            yield name.partition(".")[0]


def _setuptools_packages(data: Mapping[str, Any]) -> Iterator[str]:
    tool = data.get("tool", {})
    setuptools = tool.get("setuptools", {}) if isinstance(tool, dict) else {}
    if not isinstance(setuptools, dict):
        return
    packages = setuptools.get("packages", [])
    names = list(packages) if isinstance(packages, list) else []
    package_dir = setuptools.get("package-dir", {})
    names += list(package_dir) if isinstance(package_dir, dict) else []
    yield from (str(name).partition(".")[0] for name in names if name)


def first_party_names(
    project: Project,
    python_files: Iterable[str],
    project_name: str,
    installed: Mapping[str, Sequence[str]],
) -> frozenset[str]:
    """Import names the project provides: its packages (flat or ``src`` layout, ``pythonpath``),
    every folder and module of the test suite, and whatever installed metadata says the project
    itself provides (an editable install)."""
    root = project.root
    names: set[str] = set()
    for base in (root, root / "src", *(root / p for p in project.pytest.pythonpath)):
        names.update(_module_names(base))
    for path in python_files:
        parts = path.split("/")
        names.update(parts[:-1])
        names.add(parts[-1].partition(".")[0])
    names.update(_setuptools_packages(project.pyproject))
    if project_name:
        names.add(project_name.replace("-", "_"))
        names.update(
            module
            for module, dists in installed.items()
            if project_name in {canonicalize_name(d) for d in dists}
        )
    return frozenset(name for name in names if name)


def installed_distributions(root: Path, use_cache: bool = True) -> dict[str, tuple[str, ...]]:
    """``packages_distributions()`` of the running environment, as plain tuples.

    Reading every installed distribution's metadata costs more than a whole warm lint run, so
    the answer is kept in the project's cache until the environment changes.
    """
    key = environment_key()
    path = root / CACHE_DIR.parent / "installed-distributions.json"
    cached = read_keyed(path, key) if use_cache else None
    if isinstance(cached, dict):
        return {module: tuple(dists) for module, dists in cached.items()}
    found = {module: tuple(dists) for module, dists in packages_distributions().items()}
    if use_cache:
        write_keyed(path, key, found)
    return found


def _declares_in_setup_cfg(path: Path) -> bool:
    """Whether ``setup.cfg`` declares requirements (``install_requires``/``extras_require``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "install_requires" in text or "extras_require" in text


def load_dependencies(
    project: Project,
    python_files: Iterable[str],
    registry: str = DEFAULT_REGISTRY,
    use_cache: bool = True,
) -> DependencyModel:
    """The project's :class:`DependencyModel`, read from its files."""
    root = project.root
    table = project.pyproject.get("project")
    raw_name = table.get("name", "") if isinstance(table, dict) else ""
    project_name = canonicalize_name(raw_name) if isinstance(raw_name, str) and raw_name else ""
    collector = _Collector(root, project_name)
    reader = _PyprojectReader(project, collector)
    static_project = reader.project_tables()
    has_groups = reader.dependency_groups()
    requirement_files = sorted({p for g in REQUIREMENTS_GLOBS for p in root.glob(g) if p.is_file()})
    for path in requirement_files:
        collector.requirements_file(path)
    legacy = (root / "setup.py").is_file() or _declares_in_setup_cfg(root / "setup.cfg")
    complete = static_project or (
        not legacy and "project" not in project.pyproject and bool(has_groups or requirement_files)
    )
    registry_path = root / registry
    installed = installed_distributions(root, use_cache)
    return DependencyModel(
        project_name=project_name,
        declared=tuple(collector.declared),
        includes={section: tuple(targets) for section, targets in collector.includes.items()},
        complete=complete,
        registry_path=registry if registry_path.is_file() else None,
        registry=read_registry(registry_path, registry) if registry_path.is_file() else (),
        first_party=first_party_names(project, python_files, project_name, installed),
        installed=installed,
    )
