"""pixi: ``pixi.toml``, or ``[tool.pixi]`` in ``pyproject.toml``.

The top-level ``dependencies`` (conda packages) and ``pypi-dependencies`` (and their
``target.<platform>`` variants) make the default environment, section ``pixi:default``, where
``pixi run`` runs: a test section. Each ``feature.<name>`` is a section ``pixi:<name>``: a test
section when its name, its tasks or an environment using it say tests run there
(:func:`collector.is_test_environment`), else optional.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from apytest.lint.declarations.collector import Collector, is_test_environment, test_named
from apytest.lint.declarations.conda import conda_requirement
from apytest.lint.declarations.poetry import pep440
from apytest.lint.declarations.toml_source import TomlSource


def _tables(base: str, table: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """``(kind, dotted table, entries)`` of a feature or the root, with platform targets."""
    for kind in ("dependencies", "pypi-dependencies"):
        entries = table.get(kind)
        if isinstance(entries, Mapping):
            yield kind, f"{base}{kind}", entries
    targets = table.get("target")
    for platform, target in targets.items() if isinstance(targets, Mapping) else ():
        for kind in ("dependencies", "pypi-dependencies"):
            entries = target.get(kind) if isinstance(target, Mapping) else None
            if isinstance(entries, Mapping):
                yield kind, f"{base}target.{platform}.{kind}", entries


def _version(spec: Any) -> str:
    """The version constraint of a pixi dependency (a string, or a table with ``version``)."""
    version = spec.get("version", "") if isinstance(spec, Mapping) else spec
    return version if isinstance(version, str) else ""


def _read_table(
    source: TomlSource, collector: Collector, prefix: str, table: Mapping[str, Any], section: str
) -> None:
    for kind, dotted, entries in _tables(prefix, table):
        for name, spec in entries.items():
            line, col = source.locator.find_key(name, dotted)
            version = _version(spec)
            if kind == "dependencies":
                found = conda_requirement(f"{name} {version}")
                if found is not None:
                    pypi, specifier = found
                    collector.record(
                        pypi,
                        f"{name} {version}".strip(),
                        section,
                        source.path,
                        line,
                        col,
                        specifier,
                    )
                continue
            if isinstance(spec, Mapping) and "path" in spec:
                collector.include_extras(section, spec.get("extras", []))
                continue  # a local path: the project itself, or a folder of it
            url = isinstance(spec, Mapping) and any(k in spec for k in ("git", "url"))
            collector.record(
                name,
                f"{name} {version}".strip(),
                section,
                source.path,
                line,
                col,
                pep440(version),
                url,
            )


def read_pixi(source: TomlSource, collector: Collector, prefix: str) -> bool:
    """Read a pixi manifest whose tables sit under ``prefix`` (``""`` or ``"tool.pixi."``)."""
    root = source.table(prefix.rstrip("."))
    if not root:
        return False
    collector.mark_test("pixi:default")
    _read_table(source, collector, prefix, root, "pixi:default")
    environments = root.get("environments", {})
    in_test_env: set[str] = set()
    for env, value in environments.items() if isinstance(environments, Mapping) else ():
        features = value.get("features", []) if isinstance(value, Mapping) else value
        if test_named(str(env)) and isinstance(features, list):
            in_test_env.update(str(f) for f in features)
    features = root.get("feature", {})
    for name, feature in features.items() if isinstance(features, Mapping) else ():
        if not isinstance(feature, Mapping):
            continue
        section = f"pixi:{name}"
        tasks = feature.get("tasks")
        commands = " ".join(str(t) for t in tasks.values()) if isinstance(tasks, Mapping) else None
        ran = commands is not None and is_test_environment(name, commands)
        if name in in_test_env or test_named(name) or ran:
            collector.mark_test(section)
        _read_table(source, collector, f"{prefix}feature.{name}.", feature, section)
    return True
