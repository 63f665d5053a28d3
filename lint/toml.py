"""Reading TOML files with errors that name the file and line, as lint errors (exit code 2)."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from apytest.common import settings
from apytest.lint.errors import LintError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


def read_toml(path: Path) -> dict[str, Any]:
    """Parse ``path``; a broken file is a :class:`LintError` naming the file and line."""
    try:
        return settings.read_toml(path)
    except settings.ConfigError as error:
        raise LintError(str(error)) from None


def toml_table(data: Mapping[str, Any], dotted: str) -> Mapping[str, Any]:
    """The table at ``dotted`` (``"tool.setuptools.packages.find"``) of parsed TOML, empty when
    absent or when any part of the way is not a table (``tool = 1`` declares nothing)."""
    node: Any = data
    for part in dotted.split(".") if dotted else ():
        node = node.get(part) if isinstance(node, Mapping) else None
    return node if isinstance(node, Mapping) else {}


def parse_text(text: str) -> dict[str, Any] | None:
    """TOML embedded in another file (a PEP 723 ``# /// script`` block): None when it does
    not parse, for a caller that then reads nothing from it."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def parse_assignment(text: str, where: str) -> dict[str, Any]:
    """One ``KEY = VALUE`` line of TOML (``--config`` on the command line)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        reason = re.sub(settings.POSITION, "", str(error)).strip()
        raise LintError(f"{where} {text!r}: not a file, nor a TOML KEY = VALUE: {reason}") from None
