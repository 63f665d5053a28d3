"""The project as pytest sees it: its root and the settings that decide collection and imports."""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apytest.common.settings import ConfigError, find_config
from apytest.lint.errors import LintError

DEFAULT_PYTHON_FILES = ("test_*.py", "*_test.py")
DEFAULT_NORECURSEDIRS = (
    "*.egg",
    ".*",
    "_darcs",
    "build",
    "CVS",
    "dist",
    "node_modules",
    "venv",
    "{arch}",
)
IMPORT_MODES = ("prepend", "append", "importlib")


@dataclass(frozen=True)
class PytestSettings:
    """The pytest ini settings apytest-lint honours."""

    testpaths: tuple[str, ...] = ()
    python_files: tuple[str, ...] = DEFAULT_PYTHON_FILES
    norecursedirs: tuple[str, ...] = DEFAULT_NORECURSEDIRS
    import_mode: str = "prepend"
    pythonpath: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    """``--ignore`` paths and ``--ignore-glob`` patterns of ``addopts``: never collected."""
    plugins: tuple[str, ...] = ()
    """Modules that ``-p NAME`` in ``addopts`` loads (``-p no:NAME`` excluded)."""
    required_plugins: tuple[str, ...] = ()
    """Distributions named by ``required_plugins``: pytest refuses to start without them."""


@dataclass(frozen=True)
class Project:
    root: Path
    pytest: PytestSettings
    pyproject: Mapping[str, Any]
    """The root's parsed ``pyproject.toml`` (empty without one)."""
    ini: Mapping[str, Any] = field(default_factory=dict)
    """The raw pytest ini section that made this folder the root (empty without one)."""
    config_path: Path | None = None
    """The file that holds that section (the startup rules point at its lines)."""


def _lines(value: Any) -> tuple[str, ...]:
    """An ini value as pytest's ``args``/``paths`` types read it (``testpaths``,
    ``python_files``, ``norecursedirs``, ``pythonpath``, ``required_plugins``): split as a shell
    would, so ``testpaths = "pkg" "docs"`` names ``pkg`` and ``docs``; a value ``shlex`` cannot
    split (an unbalanced quote) is split at whitespace."""
    if isinstance(value, str):
        try:
            return tuple(shlex.split(value))
        except ValueError:
            return tuple(value.split())
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    return ()


def _split(value: str, where: str) -> list[str]:
    """Split a command line as pytest does; a broken one is a one-line error naming it."""
    try:
        return shlex.split(value)
    except ValueError as error:
        raise LintError(f"{where}: cannot split {value!r}: {error}") from None


def _args(value: Any, where: str) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    return _split(str(value), where) if value else []


def import_mode_from(args: Sequence[str]) -> str | None:
    """The last ``--import-mode`` in a command line, as pytest would apply it."""
    mode = None
    for index, arg in enumerate(args):
        if arg.startswith("--import-mode="):
            mode = arg.partition("=")[2]
        elif arg == "--import-mode" and index + 1 < len(args):
            mode = args[index + 1]
    return mode


def ignored_from(args: Sequence[str]) -> tuple[str, ...]:
    """The ``--ignore``/``--ignore-glob`` values of a command line, as project-relative globs."""
    found: list[str] = []
    for index, arg in enumerate(args):
        for flag in ("--ignore", "--ignore-glob"):
            if arg.startswith(flag + "="):
                found.append(arg.partition("=")[2])
            elif arg == flag and index + 1 < len(args):
                found.append(args[index + 1])
    return tuple(value.removeprefix("./").rstrip("/") for value in found if value.strip("./"))


def plugins_from(args: Sequence[str]) -> tuple[str, ...]:
    """The modules that ``-p NAME`` / ``-pNAME`` in a command line load."""
    names: list[str] = []
    for index, arg in enumerate(args):
        if arg == "-p" and index + 1 < len(args):
            names.append(args[index + 1])
        elif arg.startswith("-p") and len(arg) > 2 and not arg.startswith("-p="):
            names.append(arg[2:])
    return tuple(name for name in names if not name.startswith("no:"))


def settings_from(section: Mapping[str, Any], where: Path) -> PytestSettings:
    addopts = [
        *_args(section.get("addopts", ""), f"{where}: addopts"),
        *_split(os.environ.get("PYTEST_ADDOPTS", ""), "PYTEST_ADDOPTS"),
    ]
    mode = import_mode_from(addopts) or "prepend"
    if mode not in IMPORT_MODES:
        raise LintError(f"{where}: unknown --import-mode '{mode}' in addopts")
    return PytestSettings(
        testpaths=_lines(section.get("testpaths", ())),
        python_files=_lines(section.get("python_files", ())) or DEFAULT_PYTHON_FILES,
        norecursedirs=_lines(section.get("norecursedirs", ())) or DEFAULT_NORECURSEDIRS,
        import_mode=mode,
        pythonpath=_lines(section.get("pythonpath", ())),
        ignore=ignored_from(addopts),
        plugins=plugins_from(addopts),
        required_plugins=_lines(section.get("required_plugins", ())),
    )


def find_project(start: Path) -> Project:
    """The project root as pytest finds its rootdir, with the settings found there (see
    `apytest.common.settings.find_config`)."""
    try:
        config = find_config(start)
    except ConfigError as error:
        raise LintError(str(error)) from None
    return Project(
        config.root,
        settings_from(config.section, config.root),
        config.pyproject,
        config.section,
        config.inifile,
    )
