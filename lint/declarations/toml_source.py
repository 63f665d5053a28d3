"""A parsed TOML file with the positions of its strings, as the TOML readers share it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apytest.lint.declarations.collector import Collector
from apytest.lint.declarations.toml_positions import TomlLocator
from apytest.lint.errors import LintError
from apytest.lint.toml import read_toml, toml_table


@dataclass
class TomlSource:
    """One TOML file: its data, where its strings are, and its name for messages."""

    path: Path
    data: Mapping[str, Any]
    locator: TomlLocator
    where: str

    @classmethod
    def read(
        cls, path: Path, collector: Collector, data: Mapping[str, Any] | None = None
    ) -> TomlSource:
        """Parse ``path`` (or take its already parsed ``data``) and index its strings."""
        try:
            text = path.read_text(encoding="utf-8") if path.is_file() else ""
        except (OSError, UnicodeDecodeError) as error:
            raise LintError(f"{collector.rel(path)}: cannot read: {error}") from None
        parsed = read_toml(path) if data is None else data
        return cls(path, parsed, TomlLocator(text), collector.rel(path))

    def table(self, dotted: str) -> Mapping[str, Any]:
        """The table at ``dotted`` (``"tool.poetry"``), empty when absent or not a table."""
        return toml_table(self.data, dotted)

    def requirements(
        self,
        collector: Collector,
        values: Any,
        section: str,
        table: str,
        label: str,
        *,
        strict: bool = True,
        key: str | None = None,
    ) -> None:
        """A list of PEP 508 strings at ``table`` (written at its ``key``, when given: see
        :meth:`TomlLocator.find`); anything else is an error naming ``label``."""
        if not isinstance(values, list):
            if strict:
                raise LintError(f"{self.where}: {label} must be a list")
            collector.cannot_read(f"{self.where}: {label}")
            return
        for item in values:
            if not isinstance(item, str):
                if strict:
                    raise LintError(f"{self.where}: {label} must hold requirement strings")
                collector.cannot_read(f"{self.where}: {label}")
                continue
            line, col = self.locator.find(item, table, key)
            collector.add(item, section, self.path, line, col, strict=strict)
