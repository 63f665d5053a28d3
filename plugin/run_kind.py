"""The kind of this session (`apytest.common.run_kind`), read from pytest's options.

What it selected counts only beyond the project's default: explicit paths equal to `testpaths`
(or the rootdir) are the whole suite; node ids, other paths, `-k`, `-m`, `--lf`, `--sw`,
`--deselect`, `--ignore`, `-x`/`--maxfail` and `--doctest-modules` make it partial.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from apytest.common.run_kind import RunKind

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


def _default_args(config: pytest.Config) -> set[Path]:
    testpaths = config.getini("testpaths")
    roots = [config.rootpath / path for path in testpaths] if testpaths else [config.rootpath]
    return {path.resolve() for path in roots}


def _selected(config: pytest.Config) -> list[str]:
    """The paths and node ids given on the command line, unless they are the default ones."""
    if config.args_source != pytest.Config.ArgsSource.ARGS:
        return []
    invocation, root = config.invocation_params.dir, config.rootpath.resolve()
    paths, shown = set(), []
    for arg in config.args:
        path_text, separator, rest = arg.partition("::")
        path = (invocation / path_text).resolve()
        paths.add(path)
        where = path.relative_to(root).as_posix() if path.is_relative_to(root) else path_text
        shown.append(where + separator + rest)
    if paths == _default_args(config) and not any("::" in arg for arg in config.args):
        return []
    return shown


def run_kind(config: pytest.Config) -> RunKind:
    """The kind of this session, from its options."""
    parts = sorted(_selected(config))
    for dest, flag in _SELECTING:
        value = getattr(config.option, dest, None)
        if value is True:
            parts.append(flag)
        elif isinstance(value, list | tuple) and value:
            parts.append(f"{flag} {' '.join(sorted(map(str, value)))}")
        elif isinstance(value, str | int) and value:
            parts.append(f"{flag} {value}")
    workers = getattr(config.option, "numprocesses", None)
    return RunKind(
        selection=" ".join(parts),
        # pytest-cov's plugin is there under --no-cov too, measuring nothing
        coverage=config.pluginmanager.getplugin("_cov") is not None
        and not getattr(config.option, "no_cov", False),
        workers=workers if isinstance(workers, int) else 0,
    )
