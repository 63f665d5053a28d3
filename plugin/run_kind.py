"""The kind of this session (`apytest.common.run_kind`), read from pytest's options.

What it selected counts only beyond the project's default: explicit paths equal to `testpaths`
(or the rootdir) are the whole suite; node ids, other paths, `-k`, `-m`, `--lf`, `--sw`,
`--deselect`, `--ignore`, `-x`/`--maxfail` and `--doctest-modules` make it partial. The project's
default includes the `addopts` of its configuration file: with `addopts = --doctest-modules -m
"not slow"` every plain `pytest` runs doctests and leaves the slow tests out, so that is its
whole suite, and only a run that selects otherwise is partial. `-x`/`--maxfail` stay partial
wherever they are set: such a run may stop before the end.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from apytest.common.run_kind import RunKind
from apytest.common.text import encodable

# Options that narrow the selection of a run: (argparse dest, as written in the description).
_SELECTING = (
    ("keyword", "-k"),
    ("markexpr", "-m"),
    ("lf", "--lf"),
    ("stepwise", "--sw"),
    ("deselect", "--deselect"),
    ("ignore", "--ignore"),
    ("ignore_glob", "--ignore-glob"),
    ("maxfail", "--maxfail"),  # -x is --maxfail 1: the run stops at its first failures
    ("doctestmodules", "--doctest-modules"),  # doctests besides the suite's tests
)
# Options that make a run partial even when the configuration's addopts set them.
_STOPPING = frozenset({"maxfail"})


def _configured(config: pytest.Config) -> argparse.Namespace | None:
    """The options the configuration file's `addopts` give on their own (None without any, or
    when they do not parse): the project's default run, which no selection of its own narrows.

    pytest merges `addopts` into the command line before parsing it, so `config.option` cannot
    tell them apart; they are parsed again alone with pytest's own parser (every plugin's
    options are registered by then).
    """
    addopts = config.getini("addopts")
    if not addopts:
        return None
    try:
        return config._parser.parse_known_args(addopts)
    except (pytest.UsageError, SystemExit, ValueError):
        return None


def _beyond(value: object, default: object) -> object:
    """What an option's value selects beyond the configuration's own: nothing when equal, the
    items it adds to a list option (`--ignore`, `--deselect`), else the value."""
    if value == default:
        return None
    if isinstance(value, list | tuple) and isinstance(default, list | tuple):
        return [item for item in value if item not in default] or None
    return value


def _default_args(config: pytest.Config) -> set[Path]:
    testpaths = config.getini("testpaths")
    roots = [config.rootpath / path for path in testpaths] if testpaths else [config.rootpath]
    return {path.resolve() for path in roots}


def _selected(
    config: pytest.Config, args: list[str], configured: argparse.Namespace | None
) -> list[str]:
    """The paths and node ids given on the command line, unless they are the default ones
    (`testpaths`, the rootdir, or the paths the configuration's `addopts` name)."""
    if config.args_source != pytest.Config.ArgsSource.ARGS or not args:
        return []
    if configured is not None and args == list(configured.file_or_dir or ()):
        return []
    invocation, root = config.invocation_params.dir, config.rootpath.resolve()
    paths, shown = set(), []
    for arg in args:
        path_text, separator, rest = arg.partition("::")
        path = (invocation / path_text).resolve()
        paths.add(path)
        where = path.relative_to(root).as_posix() if path.is_relative_to(root) else path_text
        shown.append(where + separator + rest)
    if paths == _default_args(config) and not any("::" in arg for arg in args):
        return []
    return shown


def _options(config: pytest.Config) -> tuple[argparse.Namespace, list[str]]:
    """The session's options and its paths and node ids. A session that pytest ended before it
    began (a conftest that failed to import) has only the early parse of its command line:
    `config.option` still holds the defaults and `config.args` is empty (once parsed, it holds
    at least the `testpaths` or the invocation folder), which would make any run the full
    serial suite."""
    if config.args:
        return config.option, list(config.args)
    early = config.known_args_namespace
    return early, [str(arg) for arg in getattr(early, "file_or_dir", None) or ()]


def run_kind(config: pytest.Config) -> RunKind:
    """The kind of this session, from its options."""
    options, args = _options(config)
    configured = _configured(config)
    parts = sorted(_selected(config, args, configured))
    for dest, flag in _SELECTING:
        value = getattr(options, dest, None)
        if configured is not None and dest not in _STOPPING:
            value = _beyond(value, getattr(configured, dest, None))
        if value is True:
            parts.append(flag)
        elif isinstance(value, list | tuple) and value:
            parts.append(f"{flag} {' '.join(sorted(map(str, value)))}")
        elif isinstance(value, str | int) and value:
            parts.append(f"{flag} {value}")
    workers = getattr(options, "numprocesses", None)
    return RunKind(
        selection=encodable(" ".join(parts)),  # paths and expressions of the command line
        # pytest-cov's plugin is there under --no-cov too, measuring nothing
        coverage=config.pluginmanager.getplugin("_cov") is not None
        and not getattr(options, "no_cov", False),
        workers=workers if isinstance(workers, int) else 0,
    )
