"""Reading TOML files with errors that name the file and line."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from apytest.lint.errors import LintError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse ``path``; a broken file is a :class:`LintError` naming the file and line."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _POSITION.search(message)
        line = f":{match.group(1)}" if match else ""
        reason = _POSITION.sub("", message).strip()
        raise LintError(f"{path}{line}: invalid TOML: {reason}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise LintError(f"{path}: cannot read: {error}") from None
