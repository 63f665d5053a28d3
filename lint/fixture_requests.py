"""Conftest fixtures that nothing in the suite requests (AO3).

A fixture of a test module serves that module alone, so the file itself tells whether anything
requests it (``FileContext.in_unused_helper``). A conftest's fixture serves every module below
its folder: one that its own conftest does not request (``ImportFact.fixture``) runs only if
another file of the suite names it, as a parameter, in a ``usefixtures`` mark or ini setting, in
an indirect ``parametrize``. When no file does, pytest never sets it up, and the imports in its
body never run: python-sscha's conftest fixtures importing aiida, which no test requests.

Sure only where the whole suite is read (``ProjectModel.whole_suite``) and nothing computes a
request (a ``getfixturevalue`` of no literal, a ``pytest_generate_tests`` hook). A fixture
named as pytest's or a known plugin's overrides it, and the plugin's own fixtures request it
(``django_db_setup``): never taken for unrequested. Any mention counts, a comment or a word of
a string included: precision first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from apytest.common.files import read_regular
from apytest.lint.engine import MAX_FILE_BYTES
from apytest.rules.support.plugins import plugin_table

CONFIG_FILES = ("pyproject.toml", "pytest.ini", ".pytest.ini", "setup.cfg", "tox.ini")
"""Where an ini ``usefixtures`` may name a fixture for every test."""

COMPUTED_REQUEST = re.compile(rb"pytest_generate_tests|getfixturevalue\((?!\s*([\"'])\w+\1\s*\))")
"""A request whose fixture name is computed (anything but one string literal, ``"db"``): any
fixture may be the one."""


def unrequested_fixtures(
    root: Path, files: Iterable[str], candidates: Mapping[str, frozenset[str]]
) -> frozenset[tuple[str, str]]:
    """``(conftest, fixture)`` for each of ``candidates`` (conftest -> its fixtures that it does
    not request itself) that no other of ``files`` (project-relative) nor the configuration
    files mention."""
    table = plugin_table()
    known = table.builtin["fixture"] | frozenset(table.owners["fixture"])
    names = {name for found in candidates.values() for name in found} - known
    if not names:
        return frozenset()
    pattern = re.compile(
        rb"\b(" + b"|".join(re.escape(n.encode()) for n in sorted(names)) + rb")\b"
    )
    mentioned: set[str] = set()
    for path in [*files, *CONFIG_FILES]:
        try:
            text = read_regular(root / path, MAX_FILE_BYTES)
        except FileNotFoundError:
            continue
        except OSError:
            return frozenset()  # a file that cannot be read may request any of them
        if path not in CONFIG_FILES and COMPUTED_REQUEST.search(text):
            return frozenset()
        found = {match.decode() for match in pattern.findall(text)}
        mentioned |= found - candidates.get(path, frozenset())
    return frozenset(
        (conftest, name)
        for conftest, found in candidates.items()
        for name in found
        if name in names and name not in mentioned
    )
