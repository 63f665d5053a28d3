"""Turning a file's bytes into text, a syntax tree and its suppression comments."""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from collections.abc import Mapping, Sequence

Suppressions = Mapping[int, frozenset[str] | None]
"""Line -> the codes ignored on it, or None for ``# apytest: ignore`` (every code)."""

_IGNORE = re.compile(r"#\s*apytest:\s*ignore(?:\[([A-Za-z0-9_,\s]*)\])?")


def decode(data: bytes) -> str:
    """Decode as Python does: BOM, PEP 263 coding cookie, else UTF-8."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)
    return text[1:] if text.startswith("\ufeff") else text


def parse(source: str, path: str) -> ast.Module:
    """``ast.parse``; a NUL byte is a ``SyntaxError`` on every supported Python.

    The compiler's warnings about the file (an invalid escape sequence in test data, ``x is 1``)
    are the file's business, not the linter's: they are silenced, so they neither reach stderr
    nor, under ``-W error``, turn a valid file into a syntax error.
    """
    if "\x00" in source:
        line = source.count("\n", 0, source.index("\x00")) + 1
        raise SyntaxError("source contains a NUL byte", (path, line, 1, None))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, filename=path)


def scan_suppressions(lines: Sequence[str]) -> dict[int, frozenset[str] | None]:
    """Find ``# apytest: ignore`` and ``# apytest: ignore[APT201, APT202]`` comments."""
    found: dict[int, frozenset[str] | None] = {}
    for number, line in enumerate(lines, start=1):
        if "apytest" not in line:
            continue
        match = _IGNORE.search(line)
        if match is None:
            continue
        codes = match.group(1)
        found[number] = (
            None
            if codes is None
            else frozenset(c.strip().upper() for c in codes.split(",") if c.strip())
        )
    return found


def suppressed(suppressions: Suppressions, line: int, code: str) -> bool:
    if line not in suppressions:
        return False
    codes = suppressions[line]
    return codes is None or code in codes
