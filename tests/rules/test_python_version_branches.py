"""``on_python3``: which ``sys.version_info`` tests every Python 3 decides (ZK4)."""

from __future__ import annotations

import ast

import pytest

from apytest.rules.support.astutil import on_python3


@pytest.mark.parametrize(
    ("test", "expected"),
    [
        ("sys.version_info[0] == 2", False),
        ("sys.version_info.major < 3", False),
        ("sys.version_info < (2, 7)", False),
        ("sys.version_info[:2] <= (2, 7)", False),
        ("sys.version_info < (3,)", False),
        ("sys.version_info >= (3,)", True),
        ("sys.version_info[0] == 3", True),
        ("sys.version_info[0] >= 3 and sys.version_info >= (3, 0)", True),
        ("sys.version_info < (3, 3)", False),  # CL1: no pytest of the last years runs there
        ("sys.version_info[:2] >= (3, 6)", True),
        ("sys.version_info > (3, 5)", True),
        ("sys.version_info < (3, 7)", None),
        ("sys.version_info == (3, 3)", None),
        ("not sys.version_info[0] == 2", True),
        ("sys.version_info[0] == 2 or PY2", None),
        ("sys.version_info[0] == 2 and PY2", False),
        ("sys.version_info >= (3, 11)", None),
        ("sys.version_info == (3, 8)", None),
        ("sys.version_info[1] >= 7", None),
        ("sys.version_info >= (True,)", None),
        ("version_info < (3,)", None),
        ("sys.version < '3'", None),
        ("six.PY2", False),  # CY1: six's flags
        ("not six.PY3", False),
        ("thirdparty.six.PY3", True),
        ("six.PY2 or sys.version_info[0] == 2", False),
        ("PY2", None),  # a bare name may be anyone's
        ("compat.PY2", None),
        ("six.PY34", None),
    ],
)
def test_on_python3(test: str, expected: bool | None) -> None:
    assert on_python3(ast.parse(test, mode="eval").body) is expected
