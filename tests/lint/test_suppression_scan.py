"""Suppression comments: the line-by-line prefilter never changes what tokenizing finds.

Tokenizing a file is pure Python and costs about as much as parsing it; most suites carry
``# noqa: E501``-style comments for other tools, so ``scan_suppressions`` first asks, line by
line, whether any comment could be apytest's. These tests hold its answer to the full scan's.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from apytest.lint.source import _scan, scan_suppressions

FRAGMENTS = [
    "import os",
    "x = 1  # noqa",
    "x = 1  # NOQA: E501",
    "x = 1  # noqa: E501, F401",
    "x = 1  # noqa: apt101",
    "x = 1  # noqa:APT204,E501",
    "# noqa:",
    "x1 = 2",
    "APT101 = 3",
    "y = '# noqa'",
    'z = """',
    "# noqa: APT201 inside a string",
    '"""',
    "open('f')  # apytest: ignore[APT203]",
    "open('f')  # apytest: ignore",
    "s = 'apytest: ignore'",
    "name = 'İstanbul'  # a character whose lower case is longer",
    "def f(",
    "    a,  # noqa: APT202",
    "):",
    "    pass",
]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12))
def test_the_prefilter_finds_what_tokenizing_finds(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    assert scan_suppressions(text) == _scan(text)


def test_foreign_codes_alone_are_not_tokenized_and_apytest_codes_are() -> None:
    assert scan_suppressions("import os  # noqa: E501\nx = 1  # NOQA:F401\n") == {}
    found = scan_suppressions("import os  # noqa: E501\nx = 1  # noqa: APT101\n")
    assert list(found) == [2]
    assert scan_suppressions("x = '# noqa'\n") == {}
    assert list(scan_suppressions("x = 'İ'\ny = 1  # noqa\n")) == [2]
