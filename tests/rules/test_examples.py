"""Every rule's VALID and INVALID examples, run through the real engine: they are its tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from apytest.lint.runner import run_lint
from apytest.rules import ALL_RULES, Rule
from apytest.rules.api import Example

TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]

MINIMAL_PYPROJECT = '[project]\nname = "example"\nversion = "0"\n'


def _cases(kind: str) -> list[object]:
    return [
        pytest.param(rule, example, id=f"{rule.code}-{kind}-{index}")
        for rule in ALL_RULES
        for index, example in enumerate(getattr(rule, kind))
    ]


def write_example(root: Path, example: Example, write_tree: TreeWriter) -> None:
    files: dict[str, str | bytes] = {"pyproject.toml": MINIMAL_PYPROJECT, **example.files}
    files[example.path] = example.code
    write_tree(root, files)


def findings_of(rule: type[Rule], root: Path) -> list[tuple[str, int]]:
    result = run_lint([root], root=root, select=[rule.code], use_cache=False, jobs=1)
    return [(f.path, f.line) for f in result.findings if f.code == rule.code]


def test_every_rule_has_examples_of_both_kinds() -> None:
    for rule in ALL_RULES:
        assert rule.VALID, f"{rule.code} has no VALID example"
        assert rule.INVALID, f"{rule.code} has no INVALID example"


@pytest.mark.parametrize(("rule", "example"), _cases("VALID"))
def test_valid_example_is_accepted(
    rule: type[Rule], example: Example, tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_example(tmp_path, example, write_tree)
    assert findings_of(rule, tmp_path) == []


@pytest.mark.parametrize(("rule", "example"), _cases("INVALID"))
def test_invalid_example_is_flagged(
    rule: type[Rule], example: Example, tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_example(tmp_path, example, write_tree)
    found = findings_of(rule, tmp_path)
    at_path = [line for path, line in found if path == example.path]
    assert at_path, f"{rule.code} found nothing in {example.path}: {found}"
    if example.line is not None:
        assert example.line in at_path
