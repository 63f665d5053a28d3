"""tox's native TOML configuration: ``tox.toml``, or ``[tool.tox]`` in ``pyproject.toml``.

``env_run_base`` is the base every environment inherits (section ``tox:testenv``, as in
``tox.ini``); ``env.<name>`` is ``tox:testenv:<name>``. ``deps`` are requirement strings (``-r``
files and ``.[extras]`` too), ``extras`` the project's extras it installs. An environment is a
test section unless its ``commands`` plainly run no test; a test environment whose tox-uv
``uv_sync_flags`` hold ``--all-extras`` (``--all-groups``) installs every extra (group). A
value that is not a list of strings (a ``{ replace = ... }`` table, a conditional) makes the
model incomplete.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apytest.lint.declarations import requirements
from apytest.lint.declarations.collector import Collector, is_test_environment
from apytest.lint.declarations.runners import all_installed
from apytest.lint.declarations.toml_source import TomlSource

BASE = "testenv"


def _commands(env: Mapping[str, Any]) -> str | None:
    commands = env.get("commands")
    if not isinstance(commands, list):
        return None
    return " ".join(
        " ".join(str(word) for word in line) if isinstance(line, list) else str(line)
        for line in commands
    )


def _env(
    source: TomlSource,
    collector: Collector,
    name: str,
    env: Mapping[str, Any],
    table: str,
    base: Mapping[str, Any],
) -> None:
    section = f"tox:{name}"
    commands = _commands(env) if "commands" in env else _commands(base)
    if is_test_environment(name.partition(":")[2] or name, commands):
        collector.mark_test(section)
        flags = env.get("uv_sync_flags", base.get("uv_sync_flags"))
        if isinstance(flags, list):
            collector.installs_all.update(all_installed(str(flag) for flag in flags))
    deps = env.get("deps")
    if deps is None and name != BASE:
        collector.include(section, f"tox:{BASE}")
    for item in deps if isinstance(deps, list) else ([] if deps is None else [None]):
        if not isinstance(item, str):
            collector.cannot_read(f"{source.where}: [{table}] deps")
            continue
        # AX1: a key above ``deps`` may hold the same string (``allowlist_externals =
        # ["pytest"]``); the requirement is the one written in ``deps``
        line, _ = source.locator.find(item, table, key="deps")
        requirements.requirement_line(collector, item, line, source.path, section, strict=False)
    extras = env.get("extras", base.get("extras", []))
    collector.include_extras(section, extras if isinstance(extras, list) else [])


def read_tox_toml(source: TomlSource, collector: Collector, prefix: str) -> bool:
    """Read the environments under ``prefix`` (``""`` for tox.toml, ``"tool.tox."``)."""
    base = source.table(f"{prefix}env_run_base")
    envs = source.table(f"{prefix}env")
    if base:
        _env(source, collector, BASE, base, f"{prefix}env_run_base", base)
    for name, env in envs.items():
        if isinstance(env, Mapping):
            _env(source, collector, f"{BASE}:{name}", env, f"{prefix}env.{name}", base)
    return bool(base or envs)
