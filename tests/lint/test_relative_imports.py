"""AT1: a suite file's module-level relative imports, named absolutely."""

from __future__ import annotations

import pytest

from apytest.lint.relative_imports import absolute_name, package_parts

PACKAGES = {"tests", "tests/unit", "tests/unit/db"}


@pytest.mark.parametrize(
    ("path", "parts"),
    [
        ("tests/unit/db/test_x.py", ["tests", "unit", "db"]),
        ("tests/test_x.py", ["tests"]),
        ("other/test_x.py", []),
        ("test_x.py", []),
    ],
)
def test_package_parts(path: str, parts: list[str]) -> None:
    assert package_parts(path, PACKAGES) == parts


@pytest.mark.parametrize(
    ("path", "module", "name"),
    [
        ("tests/unit/test_x.py", ".factories", "tests.unit.factories"),
        ("tests/unit/test_x.py", "..helpers.db", "tests.helpers.db"),
        ("tests/unit/db/test_x.py", "...conftest_helpers", "tests.conftest_helpers"),
        ("tests/test_x.py", "..factories", None),  # climbs above its packages: fails itself
        ("other/test_x.py", ".factories", None),  # no package: fails itself
    ],
)
def test_absolute_name(path: str, module: str, name: str | None) -> None:
    assert absolute_name(path, module, PACKAGES) == name
