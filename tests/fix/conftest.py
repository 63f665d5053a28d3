"""Helpers for the fix tests: run the real linter on a small project, then its fixes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from apytest.lint.fix import fix_findings
from apytest.lint.runner import run_lint

OPTIONAL_PLOT = (
    "[project]\nname = 'demo'\ndependencies = ['pytest']\n\n"
    "[project.optional-dependencies]\nplot = ['matplotlib>=3']\n"
)

Fixer = Callable[..., str]


@pytest.fixture
def fixed(tmp_path: Path) -> Fixer:
    """Return ``fixed(source, path=..., pyproject=...)``: the file after one ``--fix`` pass."""

    def run(
        source: str, path: str = "tests/test_example.py", pyproject: str = OPTIONAL_PLOT
    ) -> str:
        files: Mapping[str, str] = {"pyproject.toml": pyproject, path: source}
        for relative, text in files.items():
            (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / relative).write_text(text, encoding="utf-8")
        result = run_lint([tmp_path], root=tmp_path, use_cache=False, jobs=1)
        fixes = fix_findings(result.root, result.files, result.findings)
        return next((fix.after for fix in fixes if fix.path == path), source)

    return run
