"""tox environments: ``tox.ini``, ``[tox:tox]``/``[testenv]`` in ``setup.cfg``, and
``legacy_tox_ini`` in ``[tool.tox]`` of ``pyproject.toml``.

Each ``[testenv]``/``[testenv:<name>]`` is a section ``tox:testenv[:<name>]`` holding its
``deps`` (requirement lines, ``-r`` files, ``.[extra]``, factor-conditional lines such as
``py311: numpy``, and ``{[testenv]deps}`` references) and installing the project's ``extras``.
An env without its own ``deps``/``extras`` inherits ``[testenv]``'s. An env is a test section
unless its ``commands`` plainly run no test (``sphinx-build``, ``ruff check``):
:func:`collector.is_test_environment`. Factor-conditional deps count as installed: which factors
run is chosen on the command line. A line with a substitution apytest-lint cannot resolve
(``{env:DEPS}``) makes the model incomplete.
"""

from __future__ import annotations

import re
from pathlib import Path

from apytest.lint.declarations import requirements
from apytest.lint.declarations.collector import Collector, is_test_environment
from apytest.lint.declarations.ini import IniFile, IniValue, joined, parse_ini

BASE = "testenv"
_FACTORS = re.compile(r"^([!\w.,{}-]+):\s+(.*)$")
_REFERENCE = re.compile(r"^\{\[([^\]]+)\]([\w-]+)\}$")


def _section(env: str) -> str:
    return f"tox:{env}"


def _strip_factors(text: str) -> str:
    match = _FACTORS.match(text)
    return match.group(2).strip() if match and "//" not in match.group(1) else text


def _local(text: str) -> str:
    """A location with tox's ``{toxinidir}`` read as the folder of the ini file."""
    return text.replace("{toxinidir}/", "").replace("{toxinidir}", ".")


def _deps(collector: Collector, path: Path, section: str, value: IniValue) -> None:
    for number, raw in value:
        text = _local(_strip_factors(raw))
        reference = _REFERENCE.match(text)
        if reference is not None:
            if reference.group(2) == "deps" and reference.group(1).startswith(BASE):
                collector.include(section, _section(reference.group(1)))
            else:
                collector.cannot_read(f"{collector.rel(path)}:{number}")
            continue
        if "{" in text:
            if requirements.constraint_location(text):  # EZ1: a substitution only tox resolves
                collector.unknown_constraints.add(section)
            collector.cannot_read(f"{collector.rel(path)}:{number}")
            continue
        # a -c line is judged there too: a URL, or a local file naming one (EZ1, FN4)
        requirements.requirement_line(collector, text, number, path, section, strict=False)


def _is_true(value: IniValue | None) -> bool:
    return value is not None and joined(value).strip().lower() in ("true", "1", "yes")


def _installs_project(ini: IniFile, keys: dict[str, IniValue], base: dict[str, IniValue]) -> bool:
    """Whether an environment installs the project (and so its runtime requirements, in a pip
    call after its ``deps``): not unless ``skip_install``, the ``[tox]`` table's
    ``skipsdist``/``no_package`` or ``package = skip`` plainly say so. A value that is not
    plain (a substitution, a factor condition) counts as installing: APT301 then stays silent
    on a bare line the runtime requirements bound, as it must when unsure."""
    tox = ini.get("tox", ini.get("tox:tox", {}))
    if any(_is_true(tox.get(key)) for key in ("skipsdist", "no_package")):
        return False
    if _is_true(keys.get("skip_install", base.get("skip_install"))):
        return False
    package = keys.get("package", base.get("package"))
    return package is None or joined(package).strip().lower() != "skip"


def read_tox(collector: Collector, path: Path, ini: IniFile) -> bool:
    """Read the tox environments of an already parsed ini file; whether it had any."""
    envs = {name: keys for name, keys in ini.items() if name == BASE or name.startswith(BASE + ":")}
    base = envs.get(BASE, {})
    for env, keys in envs.items():
        section = _section(env)
        commands = keys.get("commands", base.get("commands"))
        if is_test_environment(
            env.partition(":")[2] or env, None if commands is None else joined(commands)
        ):
            collector.mark_test(section)
        if "deps" in keys:
            _deps(collector, path, section, keys["deps"])
        elif env != BASE:
            collector.include(section, _section(BASE))
        constraints = keys.get("constraints", base.get("constraints", IniValue()))
        if any(
            requirements.unreadable_constraints(_local(line.strip()), path.parent)
            for _, line in constraints
            if line.strip()
        ):
            collector.unknown_constraints.add(section)  # EZ1: tox's own constraints setting
        extras = keys.get("extras", base.get("extras", IniValue()))
        names = [
            name.strip()
            for _, line in extras
            for name in _strip_factors(line).split(",")
            if name.strip() and "{" not in name
        ]
        collector.include_extras(section, names)
        if _installs_project(ini, keys, base):
            collector.installs_project.add(section)
    if _section(BASE) in collector.unknown_constraints:
        # EZ1: an env that inherits or references [testenv]'s deps shares their -c line
        collector.unknown_constraints.update(
            section
            for section, targets in collector.includes.items()
            if section.startswith(_section(BASE)) and _section(BASE) in targets
        )
    if envs:
        collector.sources[collector.rel(path)] = None
    return bool(envs)


def read_tox_file(collector: Collector, path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        collector.cannot_read(collector.rel(path))
        return False
    return read_tox(collector, path, parse_ini(text))


def read_legacy_tox_ini(collector: Collector, path: Path, text: str, first_line: int) -> bool:
    """``[tool.tox] legacy_tox_ini``: an ini file inside a TOML string starting at a line."""
    return read_tox(collector, path, parse_ini(text, first_line))
