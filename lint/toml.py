"""Reading TOML files with errors that name the file and line."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from apytest.lint.errors import LintError
from apytest.lint.files import read_regular

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

MAX_BYTES = 4 * 1024 * 1024
"""A configuration file larger than this is refused, not read."""
_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse ``path``; a broken file is a :class:`LintError` naming the file and line."""
    try:
        return tomllib.loads(read_regular(path, MAX_BYTES).decode("utf-8"))
    except RecursionError:
        raise LintError(f"{path}: invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _POSITION.search(message)
        line = f":{match.group(1)}" if match else ""
        reason = _POSITION.sub("", message).strip()
        raise LintError(f"{path}{line}: invalid TOML: {reason}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise LintError(f"{path}: cannot read: {error}") from None


def parse_assignment(text: str, where: str) -> dict[str, Any]:
    """One ``KEY = VALUE`` line of TOML (``--config`` on the command line)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        reason = _POSITION.sub("", str(error)).strip()
        raise LintError(f"{where} {text!r}: not a file, nor a TOML KEY = VALUE: {reason}") from None
