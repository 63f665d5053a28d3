"""What a project declares about its dependencies, read from every file a tool installs from.

One module per source format, all writing into one :class:`Collector`: the standard
``pyproject.toml`` tables, Poetry, PDM, uv, Rye, hatch, pixi, tox, nox, ``Pipfile``, conda
environment files, requirement files, and setuptools' ``setup.py``/``setup.cfg``. Each format
decides which of its sections its tool installs whenever the tests run; each declaration keeps
its file and line; whatever cannot be read without running code makes the result incomplete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from apytest.lint.declarations import conda, requirements, setuptools, tox
from apytest.lint.declarations.collector import Collector
from apytest.lint.declarations.hatch import read_hatch
from apytest.lint.declarations.ini import parse_ini
from apytest.lint.declarations.lockfiles import locked_requirements
from apytest.lint.declarations.nox import read_noxfile
from apytest.lint.declarations.pipfile import read_pipfile
from apytest.lint.declarations.pixi import read_pixi
from apytest.lint.declarations.poetry import read_poetry
from apytest.lint.declarations.pyproject import (
    read_cibuildwheel,
    read_flit,
    read_groups,
    read_pdm,
    read_project,
    read_rye,
    read_uv,
    tree_sourced,
    uv_constraints,
    uv_fixed,
    uv_sourced,
)
from apytest.lint.declarations.runners import poe_commands, read_runners
from apytest.lint.declarations.toml_source import TomlSource
from apytest.lint.declarations.tox_toml import read_tox_toml
from apytest.lint.project import Project
from apytest.lint.toml import toml_table
from apytest.rules.api import DeclaredDependency

LOOKED_FOR = (
    "pyproject.toml ([project], [dependency-groups], Poetry, PDM, uv, Rye, hatch, pixi, tox,"
    " flit, cibuildwheel tables)",
    "requirements files (*requirements*.txt/.in, requirements/, *requirements*/, ci/)",
    "tox.ini",
    "tox.toml",
    "noxfile.py",
    "setup.py",
    "setup.cfg",
    "hatch.toml",
    "pixi.toml",
    "Pipfile",
    "environment.yml",
)
"""What apytest-lint reads, in the words the project-level finding (APT104) uses."""
PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")


@dataclass(frozen=True)
class Declarations:
    """Everything the readers found, for the :class:`DependencyModel`."""

    project_name: str
    declared: tuple[DeclaredDependency, ...]
    includes: dict[str, tuple[str, ...]]
    test_sections: frozenset[str]
    sources: tuple[str, ...]
    unreadable: tuple[str, ...]
    runtime_known: bool
    warnings: tuple[str, ...] = ()
    sourced: frozenset[str] = frozenset()
    """Requirements ``[tool.uv.sources]`` takes from outside a package index."""
    scripts: frozenset[str] = frozenset()
    """The scripts the project installs with itself (:func:`project_scripts`)."""
    uv_fixed: frozenset[str] = frozenset()
    """Requirements ``[tool.uv.sources]`` takes from the checkout, a file or a git commit."""
    uv_constraints: tuple[str, ...] = ()
    """``[tool.uv]``'s constraint and override requirements (:func:`uv_constraints`)."""
    rejected: frozenset[str] = frozenset()
    """Requirements files with a line pip rejects: ``pip install -r`` installs nothing."""
    constraints_only: frozenset[str] = frozenset()
    """Files named for constraints (``constraints.txt``) that a ``-c`` line names and no ``-r``
    line includes: pip constraints, not requirements. A file named otherwise that a ``-c`` names
    may be installed as well (aider's root ``requirements.txt``, the constraints of its
    ``requirements-dev.in`` and the project's runtime requirements)."""
    locked: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """What the project's lock file records each locked distribution as requiring (BC1)."""
    python_requires: str = ""
    """The Pythons the project supports, as a specifier (:func:`project_python_requires`)."""
    installs_project: frozenset[str] = frozenset()
    """Sections (tox environments) that install the project with its runtime requirements."""
    unknown_constraints: frozenset[str] = frozenset()
    """Sections (tox environments) installed under constraints the lint cannot read (EZ1)."""


def _read_text(path: Path, collector: Collector) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        collector.cannot_read(collector.rel(path))
        return None


def _pyproject(project: Project, collector: Collector) -> None:
    path = project.root / "pyproject.toml"
    if not path.is_file():
        return
    source = TomlSource.read(path, collector, project.pyproject)
    if read_project(source, collector) is False:
        collector.cannot_read(f"{source.where}: [project] dynamic optional-dependencies")
    read_flit(source, collector)
    read_cibuildwheel(source, collector)
    read_groups(source, collector)
    read_pdm(source, collector)
    read_uv(source, collector)
    read_rye(source, collector)
    read_poetry(source, collector)
    read_hatch(source, collector, "tool.hatch.envs")
    read_pixi(source, collector, "tool.pixi.")
    legacy = source.table("tool.tox").get("legacy_tox_ini")
    if isinstance(legacy, str):
        start = source.locator.find_key("legacy_tox_ini", "tool.tox")[0]
        tox.read_legacy_tox_ini(collector, path, legacy, start + 1)
    else:
        read_tox_toml(source, collector, "tool.tox.")


def _setuptools(root: Path, collector: Collector, project_table: object) -> None:
    cfg = root / "setup.cfg"
    text = _read_text(cfg, collector) if cfg.is_file() else None
    if (root / "setup.py").is_file():
        elsewhere = (isinstance(project_table, dict) and "dependencies" in project_table) or (
            text is not None and "install_requires" in text
        )
        setuptools.read_setup_py(collector, root / "setup.py", runtime_elsewhere=elsewhere)
    if text is not None:
        ini = parse_ini(text)
        setuptools.read_setup_cfg(collector, cfg, ini)
        if "tox:tox" in ini:
            tox.read_tox(collector, cfg, ini)


def project_name(project: Project) -> str:
    """The canonical name the project distributes under (``[project]``, Poetry's table, then
    ``setup.py``/``setup.cfg``); "" when none says."""
    raw_name = declared_project_name(project)
    return canonicalize_name(raw_name) if raw_name else ""


def declared_project_name(project: Project) -> str:
    """The project's name as written (``[project]``, Poetry's table, then
    ``setup.py``/``setup.cfg``), not canonicalized: ``dioptic.profileparser`` keeps the dot that
    says which namespace package it fills; "" when none says."""
    table = project.pyproject.get("project")
    raw_name = table.get("name", "") if isinstance(table, dict) else ""
    if not raw_name:
        raw_name = toml_table(project.pyproject, "tool.poetry").get("name", "")
    if not raw_name:
        raw_name = setuptools.declared_name(project.root)
    return raw_name if isinstance(raw_name, str) else ""


def project_scripts(project: Project) -> frozenset[str]:
    """The canonical names of the scripts the project installs with itself: the keys of
    ``[project.scripts]``/``[project.gui-scripts]``, Poetry's ``[tool.poetry.scripts]`` and
    the console scripts of ``setup.cfg`` and of a literal ``setup(entry_points=...)`` (BH4). A
    test running one by name runs the project's own program (an extra a Poetry script names
    does not stop pip from writing it)."""
    names = {canonicalize_name(k) for t in script_tables(project.pyproject) for k in t}
    return frozenset(names) | setuptools.declared_scripts(project.root)


def project_python_requires(project: Project) -> str:
    """The Pythons the project says it supports (BK3): ``[project] requires-python``, else
    ``python_requires`` of ``setup.cfg`` or a literal one of ``setup.py``; "" when none says
    (Poetry's ``python`` dependency, in its own caret syntax, is not read)."""
    table = project.pyproject.get("project")
    value = table.get("requires-python", "") if isinstance(table, dict) else ""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return setuptools.declared_python_requires(project.root)


def script_tables(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The pyproject tables naming the scripts the project installs with itself:
    ``[project.scripts]``, ``[project.gui-scripts]`` and Poetry's ``[tool.poetry.scripts]``
    (name to ``"module:function"``, or Poetry's table for a script of an extra)."""
    table = data.get("project")
    tables = [table.get(k) for k in ("scripts", "gui-scripts")] if isinstance(table, dict) else []
    tables.append(toml_table(data, "tool.poetry").get("scripts"))
    return [t for t in tables if isinstance(t, Mapping)]


def read_declarations(project: Project) -> Declarations:
    """Read every declaration file of ``project`` that apytest-lint knows."""
    root = project.root
    collector = Collector(root, project_name(project))
    _pyproject(project, collector)
    for name, prefix in (("hatch.toml", "envs"), ("pixi.toml", "")):
        if (root / name).is_file():
            source = TomlSource.read(root / name, collector)
            if name == "hatch.toml":
                read_hatch(source, collector, prefix)
            else:
                read_pixi(source, collector, prefix)
    if (root / "Pipfile").is_file():
        read_pipfile(TomlSource.read(root / "Pipfile", collector), collector)
    _setuptools(root, collector, project.pyproject.get("project"))
    if (root / "tox.ini").is_file():
        tox.read_tox_file(collector, root / "tox.ini")
    if (root / "tox.toml").is_file():
        read_tox_toml(TomlSource.read(root / "tox.toml", collector), collector, "")
    if (root / "noxfile.py").is_file():
        read_noxfile(collector, root / "noxfile.py")
    for path, strict in requirements.requirement_files(root):
        requirements.read_file(collector, path, strict=strict)
    for path in conda.environment_files(root):
        conda.read_environment(collector, path)
    for path in conda.explicit_files(root):
        conda.read_explicit(collector, path)
    sections = {d.section for d in collector.declared} | set(collector.includes)
    sections.update(target for targets in collector.includes.values() for target in targets)
    read_runners(collector, sections, poe_commands(project.pyproject))
    if not collector.sources:  # declares nothing: name the project's own file, if it has one
        for name in PROJECT_FILES:
            if (root / name).is_file():
                collector.sources[name] = None
                break
    return Declarations(
        project_name=collector.project_name,
        declared=tuple(collector.declared),
        includes={section: tuple(targets) for section, targets in collector.includes.items()},
        test_sections=frozenset(collector.test_sections),
        sources=tuple(collector.sources),
        unreadable=tuple(collector.unreadable),
        runtime_known=collector.runtime_known,
        warnings=tuple(collector.warnings),
        sourced=uv_sourced(project.pyproject)
        | tree_sourced(root, (d.name for d in collector.declared), collector.project_name),
        scripts=project_scripts(project),
        uv_fixed=uv_fixed(project.pyproject),
        uv_constraints=uv_constraints(project.pyproject),
        rejected=frozenset(collector.rejected),
        constraints_only=frozenset(
            path
            for path in collector.constraint_targets - collector.requirement_targets
            if "constraint" in Path(path).name.lower()
        ),
        locked=locked_requirements(root),
        python_requires=project_python_requires(project),
        installs_project=frozenset(collector.installs_project),
        unknown_constraints=frozenset(collector.unknown_constraints),
    )
