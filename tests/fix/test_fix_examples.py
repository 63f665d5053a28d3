"""Every fix's examples (its rule's flagged examples with the ``fixed`` text), through the real
linter: they are the fix's tests."""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from apytest.lint.fix import fix_findings
from apytest.lint.runner import run_lint
from apytest.rules import ALL_RULES, RULES_BY_CODE, Rule
from apytest.rules.api import Example
from apytest.rules.fixes import ALL_FIXES, FIXES

TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]

MINIMAL_PYPROJECT = '[project]\nname = "example"\nversion = "0"\n'


def fixed_text(root: Path, code: str, path: str) -> str:
    """The file at ``path`` after one fixing pass over the project's findings of ``code``."""
    result = run_lint([root], root=root, select=[code], use_cache=False, jobs=1)
    fixes = {fix.path: fix for fix in fix_findings(result.root, result.files, result.findings)}
    return fixes[path].after if path in fixes else (root / path).read_text(encoding="utf-8")


def fixed_examples(rule: type[Rule]) -> list[Example]:
    return [example for example in rule.INVALID if example.fixed is not None]


def _cases() -> list[object]:
    return [
        pytest.param(rule, example, id=f"{rule.code}-{index}")
        for rule in ALL_RULES
        for index, example in enumerate(fixed_examples(rule))
    ]


def test_every_fix_has_a_rule_and_examples_of_both_kinds() -> None:
    assert set(FIXES) == {fix.code for fix in ALL_FIXES} & set(RULES_BY_CODE)
    for code in FIXES:
        examples = fixed_examples(RULES_BY_CODE[code])
        assert any(e.code != e.fixed for e in examples), f"{code}: nothing fixed"
        assert any(e.code == e.fixed for e in examples), f"{code}: nothing skipped"
    assert all(rule.code in FIXES for rule in ALL_RULES if fixed_examples(rule)), "fixed, no fix"


@pytest.mark.slow
@pytest.mark.parametrize(("rule", "example"), _cases())
def test_example(
    rule: type[Rule], example: Example, tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(tmp_path, {"pyproject.toml": MINIMAL_PYPROJECT, **example.files})
    write_tree(tmp_path, {example.path: example.code})
    result = run_lint([tmp_path], root=tmp_path, select=[rule.code], use_cache=False, jobs=1)
    assert any(f.path == example.path for f in result.findings), "the example has no finding"
    after = fixed_text(tmp_path, rule.code, example.path)
    assert after == example.fixed
    ast.parse(after)
    write_tree(tmp_path, {example.path: after})
    assert fixed_text(tmp_path, rule.code, example.path) == after, "a second fix changed it"
