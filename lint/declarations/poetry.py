"""Poetry's tables: ``[tool.poetry.dependencies]``, ``extras``, groups and ``dev-dependencies``.

``poetry install`` installs the runtime dependencies and every group not marked
``optional = true`` (and the legacy ``dev-dependencies``): those are test sections. A runtime
dependency with ``optional = true`` is installed only by the extras that list it, so it belongs
to those extras' sections (``extra:<name>``, test or not by name) and, listed by none, to
``optional:tool.poetry.dependencies``, which nothing installs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from packaging.utils import canonicalize_name

from apytest.lint.declarations.collector import Collector
from apytest.lint.declarations.toml_source import TomlSource

UNLISTED_OPTIONAL = "optional:tool.poetry.dependencies"
_VERSION = re.compile(r"^\d[\w.+!-]*(\.\*)?$")


def pep440(constraint: str) -> str:
    """A Poetry version constraint as a PEP 440 specifier, as far as boundedness goes.

    ``^1.2`` and ``~1.2`` become ``>=1.2`` (a bound, not a pin), ``1.2.3`` becomes ``==1.2.3``,
    ``*`` nothing; comparisons pass through, with spaces as separators; ``a || b`` keeps the
    alternatives' common form only when it is one, else it stays a bound in words.
    """
    text = constraint.strip()
    if text in ("", "*"):
        return ""
    if "||" in text:
        return "===" + re.sub(r"\s+", "", text)
    parts = [p for p in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", text) if p]
    out = []
    for part in parts:
        if part[0] in "^~" and not part.startswith("~="):
            out.append(">=" + part.lstrip("^~").strip())
        elif _VERSION.match(part):
            out.append("==" + part)
        else:
            out.append(part.replace(" ", ""))
    return ",".join(out)


def _requirement_text(name: str, constraint: str, extras: Sequence[str]) -> str:
    """How a dependency reads in findings: Poetry's own words, or, with ``extras = [...]``
    (UB2: ``PyJWT = { version = "^2.8.0", extras = ["crypto"] }``), a PEP 508 requirement, so
    that the extras are read like ``pyjwt[crypto]``'s: what they bring is declared. ``"*"``
    (any version) is the name alone, as pip would read it."""
    if not extras:
        return name if constraint.strip() == "*" else f"{name} {constraint}".strip()
    return f"{name}[{','.join(extras)}]{pep440(constraint)}"


def _dependency_table(
    source: TomlSource,
    collector: Collector,
    table: str,
    section: str,
    extras_of: Mapping[str, list[str]],
) -> None:
    for name, spec in source.table(table).items():
        if canonicalize_name(name) == "python":
            continue
        entries = spec if isinstance(spec, list) else [spec]
        line, col = source.locator.find_key(name, table)
        for entry in entries:
            extras: list[str] = []
            if isinstance(entry, str):
                constraint, optional, url = entry, False, False
            elif isinstance(entry, Mapping):
                version = entry.get("version", "")
                constraint = version if isinstance(version, str) else ""
                optional = entry.get("optional") is True
                url = any(key in entry for key in ("git", "url", "path", "file"))
                extras = [e for e in entry.get("extras", []) if isinstance(e, str)]
            else:
                collector.cannot_read(f"{source.where}:{line}")
                continue
            sections = [section]
            if optional:
                sections = [
                    f"extra:{extra}" for extra in extras_of.get(canonicalize_name(name), [])
                ]
                sections = sections or [UNLISTED_OPTIONAL]
            for target in sections:
                collector.record(
                    name,
                    _requirement_text(name, constraint, extras),
                    target,
                    source.path,
                    line,
                    col,
                    pep440(constraint),
                    url,
                )


def read_poetry(source: TomlSource, collector: Collector) -> bool:
    """Read Poetry's tables; whether the project declares anything with Poetry."""
    poetry = source.table("tool.poetry")
    if not poetry:
        return False
    extras_of: dict[str, list[str]] = {}
    for extra, names in source.table("tool.poetry.extras").items():
        for name in names if isinstance(names, list) else ():
            if isinstance(name, str):
                base = canonicalize_name(re.split(r"[\[\s;<>=!~]", name, maxsplit=1)[0])
                extras_of.setdefault(base, []).append(canonicalize_name(extra))
    _dependency_table(source, collector, "tool.poetry.dependencies", "dependencies", extras_of)
    collector.mark_test("group:dev")
    _dependency_table(source, collector, "tool.poetry.dev-dependencies", "group:dev", {})
    for group, table in source.table("tool.poetry.group").items():
        section = f"group:{canonicalize_name(group)}"
        if not (isinstance(table, Mapping) and table.get("optional") is True):
            collector.mark_test(section)
        _dependency_table(source, collector, f"tool.poetry.group.{group}.dependencies", section, {})
    return any(key in poetry for key in ("dependencies", "dev-dependencies", "group"))
