"""Hatch environments: ``[tool.hatch.envs.<env>]`` in ``pyproject.toml`` or ``[envs.<env>]`` in
``hatch.toml``.

Each environment is a section ``hatch:<env>`` holding its ``dependencies`` and
``extra-dependencies`` (and those of its matrix ``overrides``); it installs the project's
``features`` (extras) and ``dependency-groups``, and inherits its ``template`` (``default``
unless ``detached``). An environment is a test section unless its scripts plainly run no test
(:func:`collector.is_test_environment`): ``default``, ``hatch-test`` and ``test`` always are.
A ``hatch-test`` environment without ``dependencies`` of its own holds Hatch's defaults
(``HATCH_TEST_DEFAULTS``: pytest-mock, pytest-xdist, ...), at its table's header.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from packaging.utils import canonicalize_name

from apytest.lint.declarations.collector import Collector, is_test_environment
from apytest.lint.declarations.toml_source import TomlSource

_DEPENDENCY_KEYS = ("dependencies", "extra-dependencies")
HATCH_TEST_DEFAULTS = (
    "coverage-enable-subprocess==1.0",
    "coverage[toml]~=7.4",
    "pytest~=8.1",
    "pytest-mock~=3.12",
    "pytest-randomly~=3.15",
    "pytest-rerunfailures~=14.0",
    "pytest-xdist[psutil]~=3.5",
)
"""What ``hatch test`` installs in its ``hatch-test`` environment unless that environment sets
its own ``dependencies`` (``extra-dependencies`` add to these): Hatch's documented defaults."""


def _override_values(node: Any) -> Iterator[Any]:
    """Dependency entries anywhere in ``overrides`` (``{value = ..., if = [...]}`` or strings)."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key in _DEPENDENCY_KEYS and isinstance(value, list):
                for entry in value:
                    yield entry.get("value") if isinstance(entry, Mapping) else entry
            else:
                yield from _override_values(value)
    elif isinstance(node, list):
        for item in node:
            yield from _override_values(item)


def read_hatch(source: TomlSource, collector: Collector, prefix: str) -> bool:
    """Read the environments under ``prefix`` (``tool.hatch.envs`` or ``envs``)."""
    envs = source.table(prefix)
    for name, env in envs.items():
        if not isinstance(env, Mapping):
            continue
        section = f"hatch:{name}"
        table = f"{prefix}.{name}"
        scripts = env.get("scripts")
        commands = (
            " ".join(str(v) for v in scripts.values()) if isinstance(scripts, Mapping) else None
        )
        if is_test_environment(name, commands):
            collector.mark_test(section)
        if name == "hatch-test" and "dependencies" not in env:
            line = max(source.locator.header(table), 1)
            for entry in HATCH_TEST_DEFAULTS:
                collector.add(entry, section, source.path, line, 1, strict=False)
        for key in _DEPENDENCY_KEYS:
            if key in env:
                source.requirements(
                    collector, env[key], section, table, f"[{table}] {key}", strict=False
                )
        for entry in _override_values(env.get("overrides")):
            if isinstance(entry, str):
                line, col = source.locator.find(entry, table)
                collector.add(entry, section, source.path, line, col, strict=False)
            else:
                collector.cannot_read(f"{source.where}: [{table}.overrides]")
        collector.include_extras(section, env.get("features", []))
        for group in env.get("dependency-groups", []) or []:
            if isinstance(group, str):
                collector.include(section, f"group:{canonicalize_name(group)}")
        template = env.get("template", "default")
        if env.get("detached") is not True and isinstance(template, str) and template != name:
            collector.include(section, f"hatch:{template}")
    return bool(envs)
