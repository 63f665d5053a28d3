"""What the project's lock file records each locked distribution as requiring.

A declared requirement that no table knows (a small distribution of the project's own
organisation) may install anything, and the tests often import what it brings (BC1: a Django
app's tests import ``allauth`` and ``rest_framework``, which its declared accounts package
requires). Where the project ships the lock its tool resolved (``uv.lock``, ``poetry.lock``),
that lock says what each locked distribution requires, so an import its declared requirements
bring is not known to be missing. Only the lock's dependency graph is read; which of its
packages the tests install is still decided from the declarations.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from apytest.common.files import is_file
from apytest.common.settings import ConfigError, read_toml

LOCK_FILES = ("uv.lock", "poetry.lock")
"""The lock files read, in the project's root: uv's and Poetry's, both TOML with one
``[[package]]`` table per locked distribution."""

Graph = dict[str, set[str]]


def locked_requirements(root: Path) -> Mapping[str, frozenset[str]]:
    """Each distribution the root's lock files hold, canonical, with what the lock records it as
    requiring (an extra named on the way included); empty without a readable lock file. A lock
    file that cannot be read (broken, too large) brings nothing: precision then comes from the
    tables alone, as before."""
    graph: Graph = {}
    for name in LOCK_FILES:
        path = root / name
        if not is_file(path):
            continue
        try:
            data = read_toml(path)
        except ConfigError:
            continue
        packages = list(_packages(data))
        if name == "uv.lock":
            _read_uv(packages, graph)
        else:
            _read_poetry(packages, graph)
    return {name: frozenset(required) for name, required in graph.items()}


def _packages(data: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """The ``[[package]]`` tables that name a distribution."""
    packages = data.get("package")
    for package in packages if isinstance(packages, list) else ():
        if isinstance(package, dict) and isinstance(package.get("name"), str):
            yield package


def _read_uv(packages: list[Mapping[str, Any]], graph: Graph) -> None:
    """uv's ``dependencies = [{ name = "x", extra = ["y"] }]``: a dependency that names extras
    brings what the lock records under the target's ``[package.optional-dependencies]`` too.
    A name locked twice (one entry per marker) requires what either entry does."""
    extras: dict[tuple[str, str], set[str]] = {}
    wanted: list[tuple[str, str, str]] = []
    for package in packages:
        name = canonicalize_name(package["name"])
        required = graph.setdefault(name, set())
        for target, named in _uv_entries(package.get("dependencies")):
            required.add(target)
            wanted.extend((name, target, extra) for extra in named)
        optional = package.get("optional-dependencies")
        for extra, entries in optional.items() if isinstance(optional, dict) else ():
            found = extras.setdefault((name, canonicalize_name(extra)), set())
            found.update(target for target, _named in _uv_entries(entries))
    for owner, target, extra in wanted:
        graph[owner] |= extras.get((target, extra), set())


def _uv_entries(entries: object) -> Iterator[tuple[str, list[str]]]:
    """The canonical name and the extras of each entry of a uv dependency list."""
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        named = entry.get("extra")
        listed = named if isinstance(named, list) else []
        yield (
            canonicalize_name(entry["name"]),
            [canonicalize_name(e) for e in listed if isinstance(e, str)],
        )


def _read_poetry(packages: list[Mapping[str, Any]], graph: Graph) -> None:
    """Poetry's ``[package.dependencies]`` table: a dependency marked ``optional = true`` is
    installed only with an extra of the package, so it is left out."""
    for package in packages:
        required = graph.setdefault(canonicalize_name(package["name"]), set())
        dependencies = package.get("dependencies")
        for target, spec in dependencies.items() if isinstance(dependencies, dict) else ():
            specs = spec if isinstance(spec, list) else [spec]
            if all(isinstance(s, dict) and s.get("optional") is True for s in specs):
                continue
            required.add(canonicalize_name(target))
