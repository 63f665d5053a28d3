"""Every fix's before/after examples, through the real linter: they are the fix's tests."""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from apytest.lint.fix import fix_findings
from apytest.lint.runner import run_lint
from apytest.rules import RULES_BY_CODE
from apytest.rules.fixes import ALL_FIXES, FIXES
from apytest.rules.fixing import Fix, FixExample

TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]

MINIMAL_PYPROJECT = '[project]\nname = "example"\nversion = "0"\n'


def fixed_text(root: Path, code: str, path: str) -> str:
    """The file at ``path`` after one fixing pass over the project's findings of ``code``."""
    result = run_lint([root], root=root, select=[code], use_cache=False, jobs=1)
    fixes = {fix.path: fix for fix in fix_findings(result.root, result.files, result.findings)}
    return fixes[path].after if path in fixes else (root / path).read_text(encoding="utf-8")


def _cases() -> list[object]:
    return [
        pytest.param(fix, example, id=f"{fix.code}-{index}")
        for fix in FIXES.values()
        for index, example in enumerate(fix.EXAMPLES)
    ]


def test_every_fix_has_a_rule_and_examples_of_both_kinds() -> None:
    assert set(FIXES) == {fix.code for fix in ALL_FIXES} & set(RULES_BY_CODE)
    for fix in FIXES.values():
        assert any(e.before != e.after for e in fix.EXAMPLES), f"{fix.code}: nothing fixed"
        assert any(e.before == e.after for e in fix.EXAMPLES), f"{fix.code}: nothing skipped"


@pytest.mark.parametrize(("fix", "example"), _cases())
def test_example(
    fix: type[Fix], example: FixExample, tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(tmp_path, {"pyproject.toml": MINIMAL_PYPROJECT, **example.files})
    write_tree(tmp_path, {example.path: example.before})
    result = run_lint([tmp_path], root=tmp_path, select=[fix.code], use_cache=False, jobs=1)
    assert any(f.path == example.path for f in result.findings), "the example has no finding"
    after = fixed_text(tmp_path, fix.code, example.path)
    assert after == example.after
    ast.parse(after)
    write_tree(tmp_path, {example.path: after})
    assert fixed_text(tmp_path, fix.code, example.path) == after, "a second fix changed it"
