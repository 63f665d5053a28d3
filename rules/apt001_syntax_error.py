"""APT001: a file that cannot be read or parsed is one finding, never a crash."""

from __future__ import annotations

from apytest.rules.api import Example, ParseFailureRule


class SyntaxErrorRule(ParseFailureRule):
    """A test file that Python cannot decode or parse.

    apytest reports the file once, where the parser stopped, and goes on with the rest of the suite.
    A file written for a newer Python than the one running apytest-lint (`type X = int` read by
    Python 3.11) is not broken: it is neither reported nor linted.

    ## Why is this bad?
    pytest reports such a file as a collection error, and none of its tests run; a linter that
    crashes on it hides every other finding.
    """

    code = "APT001"
    name = "syntax-error"
    lesson = "unparseable-files"
    summary = "file cannot be read or parsed"
    VALID = (
        Example("""
        def test_ok():
            assert 1 + 1 == 2
        """),
        Example("""
        type Pair[T] = tuple[T, T]

        def test_pair():
            assert f"{"nested"}" == "nested"
        """),
        Example("""
        def test_template():  # PEP 750 template strings, concatenated (Python 3.14)
            query = t"select * from users " t"where id = {1}"
            assert query.values == (1,)
        """),
    )
    INVALID = (
        Example(
            """
            def test_broken(:
                pass
            """,
            line=1,
        ),
        Example(b"def test_nul():\n    x = '\x00'\x00\n", line=2),
        Example(b"# -*- coding: utf-8 -*-\nname = '\xff\xfe'\n", line=1),
        Example(
            """
            <<<<<<< HEAD
            def test_a():
                pass
            """,
            line=1,
        ),
    )

    @classmethod
    def describe(cls, error: Exception) -> tuple[int, int, str]:
        if isinstance(error, SyntaxError):
            line = error.lineno or 1
            col = error.offset or 1
            return line, max(col, 1), f"cannot parse: {error.msg}"
        if isinstance(error, UnicodeDecodeError):
            return 1, 1, f"cannot decode as {error.encoding}: {error.reason} at byte {error.start}"
        if isinstance(error, OSError):
            return 1, 1, f"cannot read: {error.strerror or error}"
        if isinstance(error, RecursionError):
            return 1, 1, "cannot analyse: nested too deeply (Python's recursion limit)"
        if isinstance(error, MemoryError):
            return 1, 1, "cannot analyse: out of memory"
        return 1, 1, f"cannot parse: {error}"
