"""The project's pytest configuration as pytest finds it, and the paths it sets for apytest.

pytest decides its rootdir and inifile from the working directory: the nearest folder with a
pytest configuration (`pytest.ini`, `.pytest.ini`, `pyproject.toml` with `[tool.pytest]` or
`[tool.pytest.ini_options]`, `tox.ini` with `[pytest]`, `setup.cfg` with `[tool:pytest]`), else
the nearest folder with a project file. The plugin reads `apytest_metrics_file`,
`apytest_log_file` and `apytest_memory` from there through pytest; the `apytest` commands and
apytest-lint read the same file here, so every part finds what the plugin wrote.
"""

import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from apytest.common import memory_location, names
from apytest.common.files import is_dir, is_file, read_regular
from apytest.common.memory_location import MemoryLocation

ROOT_MARKERS = ("pyproject.toml", "pytest.ini", ".pytest.ini", "setup.cfg", "tox.ini", "setup.py")
_INI_FILES = ("pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")
MAX_BYTES = 4 * 1024 * 1024
"""A configuration file larger than this is refused, not read."""
POSITION = r"\(at line (\d+), column (\d+)\)"
"""Where tomllib's error message says the error is (a pattern, compiled on first use: only a
broken file needs it)."""

# The ini settings of the files apytest's parts share, with their defaults (and
# `apytest_memory`, which may be a URL: see `shared_paths`).
SHARED = {
    "apytest_metrics_file": names.METRICS_FILE,
    "apytest_log_file": names.LOG_FILE,
}


class ConfigError(ValueError):
    """A configuration file that cannot be read; the message names the file (and line)."""


def read_toml(path: Path) -> dict[str, Any]:
    """Parse `path`; a broken file is a ConfigError naming the file and line. Only a regular
    file of at most MAX_BYTES is read (`files.read_regular`: a FIFO never blocks).

    The parser is imported here, not with the module: the plugin loads this module at every
    pytest start, and pytest has loaded it already when the project has a pyproject.toml."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

    try:
        return tomllib.loads(read_regular(path, MAX_BYTES).decode("utf-8"))
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(POSITION, message)
        line = f":{match.group(1)}" if match else ""
        reason = re.sub(POSITION, "", message).strip()
        raise ConfigError(f"{path}{line}: invalid TOML: {reason}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None


def _ini_section(path: Path) -> Mapping[str, str] | None:
    """The pytest section of an ini-style file, or None when it has none."""
    import configparser  # not at import: the plugin loads this module at every pytest start

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: invalid ini file: {error}".replace("\n", " ")) from None
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


class ProjectConfig(NamedTuple):
    """The rootdir, the inifile pytest would use (None: none) and its pytest settings."""

    root: Path
    inifile: Path | None
    section: Mapping[str, Any]
    pyproject: Mapping[str, Any]
    """The root's parsed `pyproject.toml` (empty without one)."""


def _pytest_config_in(folder: Path) -> ProjectConfig | None:
    pyproject_path = folder / "pyproject.toml"
    pyproject = read_toml(pyproject_path) if is_file(pyproject_path) else {}
    for name in _INI_FILES:
        path = folder / name
        if not is_file(path):
            continue
        section = _pyproject_pytest(pyproject) if name == "pyproject.toml" else _ini_section(path)
        if section is not None:
            return ProjectConfig(folder, path, section, pyproject)
    return None


def _ancestors(start: Path) -> Iterator[Path]:
    yield start
    yield from start.parents


def find_config(start: Path) -> ProjectConfig:
    """The project root as pytest finds its rootdir from `start`, with its pytest settings.

    The nearest folder with a pytest configuration wins; without one, the nearest folder with a
    project marker (`pyproject.toml`, `setup.cfg`, `tox.ini`, `setup.py`); else `start`.
    Raises ConfigError for a file that cannot be parsed.
    """
    start = start if is_dir(start) else start.parent
    for folder in _ancestors(start):
        found = _pytest_config_in(folder)
        if found is not None:
            return found
    for folder in _ancestors(start):
        if any(is_file(folder / marker) for marker in ROOT_MARKERS):
            pyproject_path = folder / "pyproject.toml"
            pyproject = read_toml(pyproject_path) if is_file(pyproject_path) else {}
            return ProjectConfig(folder, None, {}, pyproject)
    return ProjectConfig(start, None, {}, {})


class SharedPaths(NamedTuple):
    """Where the plugin writes, as the project's configuration says; None: switched off."""

    root: Path
    metrics_file: Path | None
    log_file: Path | None
    memory: MemoryLocation | None
    """The environment variable APYTEST_MEMORY when set, else the ini setting."""


def resolve(root: Path, value: object) -> Path | None:
    """An ini path setting as the plugin applies it: relative to the rootdir; empty: none."""
    raw = str(value).strip()
    return root / raw if raw else None


def shared_paths(start: Path | None = None) -> SharedPaths:
    """The paths of the project found from `start` (default: the working directory); the
    memory from the environment variable APYTEST_MEMORY when it is set."""
    config = find_config((start or Path.cwd()).resolve())
    paths = {
        key: resolve(config.root, config.section.get(key, default))
        for key, default in SHARED.items()
    }
    memory = memory_location.from_environment()
    if memory is None:
        source = config.inifile or config.root
        try:
            memory = memory_location.setting(
                config.root,
                config.section.get("apytest_memory", names.MEMORY),
                f"{source}: apytest_memory",
            )
        except memory_location.PasswordInSetting as error:
            raise ConfigError(str(error)) from None
    return SharedPaths(
        config.root, paths["apytest_metrics_file"], paths["apytest_log_file"], memory
    )
