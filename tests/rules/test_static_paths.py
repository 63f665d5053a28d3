"""The folders ``static_paths`` computes from a module's ``__file__`` without running it, and the
folder pytest's prepend import mode puts first for a module (APT204's no-op ``sys.path`` adds).
"""

from __future__ import annotations

import ast

import pytest

from apytest.rules.support.static_paths import (
    PathEvaluator,
    imported_path_names,
    module_bindings,
    prepended_folder,
)

FILE = "test/test_parsers/test_get.py"


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("os.path.dirname(os.path.abspath(__file__))", "test/test_parsers"),
        ("os.path.dirname(os.path.dirname(os.path.realpath(__file__)))", "test"),
        ("os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))", ""),
        ("str(Path(__file__).resolve().parents[2])", ""),
        ("pathlib.Path(__file__).absolute().parent.parent", "test"),
        ("Path(__file__).parent / '..' / 'data'", "test/data"),
        ("HERE = Path(__file__).parent\nROOT = HERE.parents[1]\nROOT", ""),
        ("os.path.join(os.path.dirname(__file__), '..', '..', '..')", None),  # above the root
        ("Path(__file__).parents[3]", None),
        ("os.getcwd()", None),
        ("'lib'", None),
        ("ROOT = Path(__file__).parent\nif X:\n    ROOT = Path('/opt')\nROOT", None),
        ("ROOT = Path(__file__).parent\nROOT = ROOT.parent\nROOT", None),
        ("os.path.join(os.path.dirname(__file__), SUB)", None),
    ],
)
def test_folder_of_a_path_expression(module: str, expected: str | None) -> None:
    tree = ast.parse(module)
    last = tree.body[-1]
    assert isinstance(last, ast.Expr)
    folder = PathEvaluator(FILE, module_bindings(tree)).folder(last.value)
    assert (None if folder is None else "/".join(folder)) == expected


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("from os.path import dirname, join\njoin(dirname(dirname(__file__)), 'pkg')", "test/pkg"),
        ("import os.path as osp\nosp.dirname(osp.abspath(__file__))", "test/test_parsers"),
        ("from os import path\npath.join(path.dirname(__file__), 'd')", "test/test_parsers/d"),
        ("from pathlib import Path as P\nP(__file__).parent", "test/test_parsers"),
        # ZE2's near misses: a name bound again, or imported from elsewhere, is not sure
        ("from os.path import dirname\ndirname = str\ndirname(__file__)", None),
        ("from posixpath import dirname\nfrom os.path import dirname\ndirname(__file__)", None),
        ("from mylib import dirname\ndirname(__file__)", None),
    ],
)
def test_path_functions_imported_by_name(module: str, expected: str | None) -> None:
    """ZE2: ``from os.path import dirname, join`` (pynzbget's tests) reads as os.path's."""
    tree = ast.parse(module)
    last = tree.body[-1]
    assert isinstance(last, ast.Expr)
    evaluator = PathEvaluator(FILE, module_bindings(tree), imported_path_names(tree))
    folder = evaluator.folder(last.value)
    assert (None if folder is None else "/".join(folder)) == expected


@pytest.mark.parametrize(
    ("file", "packages", "expected"),
    [
        ("tests/test_a.py", set(), "tests"),
        ("test/test_parsers/test_get.py", {"test", "test/test_parsers"}, ""),
        ("src/pkg/tests/test_a.py", {"src/pkg", "src/pkg/tests"}, "src"),
        ("test_a.py", set(), ""),
        ("tests/test_a.py", {"", "tests"}, None),  # the root is a package: above it
    ],
)
def test_the_folder_prepend_mode_puts_first(
    file: str, packages: set[str], expected: str | None
) -> None:
    folder = prepended_folder(file, frozenset(packages))
    assert (None if folder is None else "/".join(folder)) == expected
