"""Turning a file's bytes into text, a syntax tree and its suppression comments."""

from __future__ import annotations

import ast
import codecs
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


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_PIP_CODING = re.compile(rb"coding[:=]\s*([-\w.]+)")


def decode_requirements(data: bytes) -> str:
    """Decode a requirements file as pip does (``auto_decode``): a byte order mark (a file
    saved as UTF-16 by Windows' editors, pyorcai2c's), else a ``# coding:`` comment on one of
    the first two lines, else UTF-8 (``UnicodeDecodeError`` when it is not)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding)
    for line in data.split(b"\n")[:2]:
        match = _PIP_CODING.search(line) if line.startswith(b"#") else None
        if match is not None:
            try:
                return data.decode(match.group(1).decode("ascii"))
            except LookupError:
                break
    return data.decode("utf-8")


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


def newer_grammar(source: str, error: SyntaxError) -> bool:
    """Whether source that this Python's parser rejects is valid in a newer Python: a test
    module of `type X = int` (PEP 695) or `f"{x["key"]}"` (PEP 701) read by Python 3.11.

    Such a file is not broken: pytest on the newer Python collects it, and a project that runs
    an older one too keeps it out of collection there (a `collect_ignore_glob` under a
    `sys.version_info` test, which a linter cannot evaluate). libcst's parser knows the newest
    grammar; it is asked only about files that `ast` rejected, and not about a limit of CPython's
    own (`too many nested parentheses`), which no version lifts.
    """
    if "\x00" in source or (error.msg or "").startswith("too many"):
        return False
    import libcst  # only here: a file this Python cannot parse is rare

    try:
        libcst.parse_module(source)
    except (libcst.ParserSyntaxError, RecursionError, MemoryError, ValueError):
        return False
    except Exception:
        # libcst's own defect on source its grammar took (``t"a" t"{b}"``, a concatenation of
        # PEP 750 template strings, raises CSTLogicError in libcst 1.9): not known to be
        # broken, so not reported, and never a traceback
        return True
    return True


def _comments(text: str) -> list[tuple[int, str]]:
    """(line, comment) of every comment token; a suppression inside a string is none."""
    try:
        tokens = tokenize.generate_tokens(io.StringIO(text).readline)
        return [(tok.start[0], tok.string) for tok in tokens if tok.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):  # only for files ast already rejected
        return []


_MENTION = re.compile(r"apytest|noqa", re.IGNORECASE)


def _may_suppress(text: str) -> bool:
    """Whether a line holds an ``apytest: ignore``, a blanket ``noqa`` or a ``noqa`` naming one
    of apytest's codes. A comment lies within its line, so where no line does, no comment does,
    and the file need not be tokenized (pure Python, about as slow as parsing it): suites are
    full of ``# noqa: E501`` for other tools."""
    lower = text.lower()
    if len(lower) != len(text):  # a character whose lower case is longer: positions differ
        return any(_may_suppress_line(text, m.start()) for m in _MENTION.finditer(text))
    for word in ("apytest", "noqa"):
        position = lower.find(word)
        while position != -1:
            if _may_suppress_line(text, position):
                return True
            position = lower.find(word, position + len(word))
    return False


def _may_suppress_line(text: str, position: int) -> bool:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    line = text[start : len(text) if end == -1 else end]
    if _IGNORE.search(line):
        return True
    for match in _NOQA.finditer(line):
        codes = match.group(1)
        if codes is None or OWN_PREFIX in codes.upper():
            return True
    return False


def scan_suppressions(text: str) -> dict[int, Suppression]:
    """``# apytest: ignore[APT201, APT202]``, ``# noqa: APT201`` and their blanket forms."""
    return _scan(text) if _may_suppress(text) else {}


def _scan(text: str) -> dict[int, Suppression]:
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
