"""``[tool.apytest]``: which rules run, where, and with which rule options."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from apytest.lint.errors import LintError
from apytest.rules import ALL_RULES, RULES_BY_CODE, Rule

ENGINE_KEYS = ("select", "extend-select", "ignore", "exclude", "per-file-ignores")


@dataclass(frozen=True)
class LintConfig:
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    """Every rule option, with defaults filled in, keyed by its ``[tool.apytest]`` name."""

    def fingerprint(self, rules: Sequence[type[Rule]]) -> str:
        """A hash of everything that changes what a file's analysis returns."""
        payload = json.dumps(
            {"rules": [r.code for r in rules], "options": self.options},
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _rule_options() -> dict[str, Any]:
    return {name: spec for rule in ALL_RULES for name, spec in rule.options.items()}


def _strings(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise LintError(f"{where}: [tool.apytest] {key} must be a list of strings")


def load_config(table: Mapping[str, Any], where: str) -> LintConfig:
    """Validate ``[tool.apytest]``; anything unknown or mistyped is an error naming ``where``."""
    specs = _rule_options()
    unknown = sorted(set(table) - set(ENGINE_KEYS) - set(specs))
    if unknown:
        raise LintError(f"{where}: unknown [tool.apytest] setting '{unknown[0]}'")
    options: dict[str, Any] = {}
    for name, spec in specs.items():
        value = table.get(name, spec.default)
        if spec.kind is list:
            value = list(_strings(value, name, where))
        elif not isinstance(value, spec.kind):
            raise LintError(f"{where}: [tool.apytest] {name} must be a {spec.kind.__name__}")
        elif spec.choices and value not in spec.choices:
            allowed = ", ".join(repr(choice) for choice in spec.choices)
            raise LintError(f"{where}: [tool.apytest] {name} must be one of {allowed}")
        options[name] = value
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise LintError(f"{where}: [tool.apytest] per-file-ignores must be a table")
    config = LintConfig(
        select=_strings(table["select"], "select", where) if "select" in table else None,
        extend_select=_strings(table.get("extend-select", []), "extend-select", where),
        ignore=_strings(table.get("ignore", []), "ignore", where),
        exclude=_strings(table.get("exclude", []), "exclude", where),
        per_file_ignores={
            pattern: _strings(codes, f"per-file-ignores.{pattern}", where)
            for pattern, codes in per_file.items()
        },
        options=options,
    )
    for selectors in (config.select or (), config.extend_select, config.ignore):
        expand(selectors, where)
    for codes in config.per_file_ignores.values():
        expand(codes, where)
    return config


def expand(selectors: Sequence[str], where: str) -> set[str]:
    """Rule codes matched by selectors: a code, a prefix such as ``APT2``, or ``ALL``."""
    codes: set[str] = set()
    for selector in selectors:
        selector = selector.strip().upper()
        matched = {c for c in RULES_BY_CODE if selector == "ALL" or c.startswith(selector)}
        if not matched:
            raise LintError(f"{where}: unknown rule code or prefix '{selector}'")
        codes |= matched
    return codes


def enabled_rules(
    config: LintConfig,
    cli_select: Sequence[str] | None = None,
    cli_ignore: Sequence[str] = (),
    cli_extend_select: Sequence[str] = (),
) -> tuple[type[Rule], ...]:
    """``--select`` replaces the configured selection; ``--extend-select`` and ``--ignore``
    (or ``--extend-ignore``) add to the configured ones."""
    select = cli_select if cli_select is not None else config.select
    if select is None:
        codes = {rule.code for rule in ALL_RULES if rule.default_enabled}
    else:
        codes = expand(select, "--select" if cli_select is not None else "[tool.apytest] select")
    codes |= expand(config.extend_select, "[tool.apytest] extend-select")
    codes |= expand(cli_extend_select, "--extend-select")
    codes -= expand(config.ignore, "[tool.apytest] ignore")
    codes -= expand(cli_ignore, "--ignore")
    return tuple(rule for rule in ALL_RULES if rule.code in codes)
