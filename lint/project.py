"""The project as pytest sees it: its root and the settings that decide collection and imports."""

from __future__ import annotations

import configparser
import os
import shlex
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apytest.lint.errors import LintError
from apytest.lint.files import is_dir, is_file
from apytest.lint.toml import read_toml

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
ROOT_MARKERS = ("pyproject.toml", "pytest.ini", ".pytest.ini", "setup.cfg", "tox.ini", "setup.py")
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


def _ini_section(path: Path) -> Mapping[str, str] | None:
    """The pytest section of an ini-style file, or None when it has none."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as error:
        raise LintError(f"{path}: invalid ini file: {error}".replace("\n", " ")) from None
    section = {"setup.cfg": "tool:pytest"}.get(path.name, "pytest")
    if path.name in ("pytest.ini", ".pytest.ini"):
        return dict(parser[section]) if parser.has_section(section) else {}
    return dict(parser[section]) if parser.has_section(section) else None


def _pyproject_pytest(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    tool = data.get("tool", {})
    pytest_table = tool.get("pytest") if isinstance(tool, dict) else None
    if not isinstance(pytest_table, dict):
        return None
    legacy = pytest_table.get("ini_options")
    return legacy if isinstance(legacy, dict) else pytest_table


def _pytest_config_in(
    folder: Path,
) -> tuple[Mapping[str, Any], Mapping[str, Any], Path] | None:
    """``(pytest settings, pyproject data, file)`` when ``folder`` holds a pytest
    configuration."""
    pyproject_path = folder / "pyproject.toml"
    pyproject = read_toml(pyproject_path) if is_file(pyproject_path) else {}
    for name in ("pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"):
        path = folder / name
        if not is_file(path):
            continue
        section = _pyproject_pytest(pyproject) if name == "pyproject.toml" else _ini_section(path)
        if section is not None:
            return section, pyproject, path
    return None


def _lines(value: Any) -> tuple[str, ...]:
    """An ini value as pytest's ``linelist``/``args`` types read it."""
    if isinstance(value, str):
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


def _ancestors(start: Path) -> Iterator[Path]:
    yield start
    yield from start.parents


def find_project(start: Path) -> Project:
    """The project root as pytest finds its rootdir, with the settings found there.

    The nearest folder with a pytest configuration wins; without one, the nearest folder with a
    project marker (``pyproject.toml``, ``setup.cfg``, ``tox.ini``, ``setup.py``); else ``start``.
    """
    start = start if is_dir(start) else start.parent
    for folder in _ancestors(start):
        found = _pytest_config_in(folder)
        if found is not None:
            section, pyproject, path = found
            return Project(folder, settings_from(section, folder), pyproject, section, path)
    for folder in _ancestors(start):
        if any(is_file(folder / marker) for marker in ROOT_MARKERS):
            pyproject_path = folder / "pyproject.toml"
            pyproject = read_toml(pyproject_path) if is_file(pyproject_path) else {}
            return Project(folder, settings_from({}, folder), pyproject)
    return Project(start, settings_from({}, start), {})
