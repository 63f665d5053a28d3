"""Turning a file's bytes into text, a syntax tree and its suppression comments."""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

_IGNORE = re.compile(r"#\s*apytest:\s*ignore(?:\[([A-Za-z0-9_,\s]*)\])?")
# ruff's reading of noqa comments: the codes after a colon, else (blanket) every code.
_NOQA = re.compile(r"#\s*noqa(?::\s*([A-Za-z]+[0-9]+(?:[,\s]+[A-Za-z]+[0-9]+)*))?", re.IGNORECASE)
OWN_PREFIX = "APT"
"""Codes of `# noqa: ...` that are apytest's; the others belong to other tools."""


@dataclass(frozen=True)
class Suppression:
    """The suppression comments of one line, merged."""

    codes: frozenset[str] | None
    """The codes ignored on the line; None: every code."""
    shared: bool = False
    """Only a blanket `# noqa` ignores every code here: flake8 and ruff read it too, so it is
    never reported as unused."""


Suppressions = Mapping[int, Suppression]


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


def _comments(text: str) -> list[tuple[int, str]]:
    """(line, comment) of every comment token; a suppression inside a string is none."""
    try:
        tokens = tokenize.generate_tokens(io.StringIO(text).readline)
        return [(tok.start[0], tok.string) for tok in tokens if tok.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):  # only for files ast already rejected
        return []


def scan_suppressions(text: str) -> dict[int, Suppression]:
    """``# apytest: ignore[APT201, APT202]``, ``# noqa: APT201`` and their blanket forms."""
    if "apytest" not in text and "noqa" not in text.lower():
        return {}  # the common case: no tokenizing
    found: dict[int, Suppression] = {}
    for number, comment in _comments(text):
        codes: set[str] = set()
        every = shared = False
        for match in _IGNORE.finditer(comment):
            if match.group(1) is None:
                every = True
                continue
            codes.update(c.strip().upper() for c in match.group(1).split(",") if c.strip())
        for match in _NOQA.finditer(comment):
            if match.group(1) is None:
                every = shared = True
                continue
            named = {c.upper() for c in re.split(r"[,\s]+", match.group(1)) if c}
            codes.update(c for c in named if c.startswith(OWN_PREFIX))
        if every:
            found[number] = Suppression(None, shared=shared and not _IGNORE.search(comment))
        elif codes:
            found[number] = Suppression(frozenset(codes))
    return found


def suppressed(suppressions: Suppressions, line: int, code: str) -> bool:
    suppression = suppressions.get(line)
    return suppression is not None and (suppression.codes is None or code in suppression.codes)
