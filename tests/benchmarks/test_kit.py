"""``benchmarks/kit.py``: the pinned regression kit, one project's lint, what differs."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]


@pytest.fixture
def kit(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("kit")


def test_the_manifest_pins_each_sdist_once_by_its_digest(kit: ModuleType) -> None:
    rows = kit.read_manifest([])
    assert len(rows) >= 80
    assert len({row.key for row in rows}) == len(rows)
    assert all(re.fullmatch("[0-9a-f]{64}", row.sha256) for row in rows)
    assert [row.name for row in kit.read_manifest(["liquidctl"])] == ["liquidctl"]


def test_a_project_is_linted_from_the_sdists_top_folder(
    kit: ModuleType, tmp_path: Path, write_tree: TreeWriter
) -> None:
    """The real apytest-lint, run where a user would: paths are relative to the project."""
    folder = tmp_path / "demo==1.0"
    write_tree(
        folder / "demo-1.0",
        {
            "pyproject.toml": "[project]\nname = 'demo'\ndependencies = []\n\n"
            "[project.optional-dependencies]\ntest = ['pytest>=8']\n",
            "tests/test_a.py": "import requests\n\n\ndef test_a():\n    assert requests\n",
        },
    )
    outcome = kit.lint(folder, Path(sys.executable).parent / "apytest-lint")
    assert outcome.exit == 1
    assert [(f["path"], f["line"], f["code"]) for f in outcome.findings] == [
        ("tests/test_a.py", 1, "APT102")
    ]


def test_a_lint_that_crashes_is_kept_with_its_message(kit: ModuleType, tmp_path: Path) -> None:
    broken = tmp_path / "apytest-lint"
    broken.write_text("#!/bin/sh\necho 'apytest-lint: cannot read x' >&2\nexit 2\n")
    broken.chmod(0o755)
    (tmp_path / "demo==1.0" / "demo-1.0").mkdir(parents=True)
    outcome = kit.lint(tmp_path / "demo==1.0", broken)
    assert (outcome.exit, outcome.findings) == (2, [])
    assert "cannot read x" in outcome.error


def test_findings_are_paired_by_file_line_and_code(kit: ModuleType) -> None:
    def finding(line: int, code: str, message: str) -> dict[str, object]:
        return {"path": "t.py", "line": line, "code": code, "message": message}

    before = [finding(1, "APT102", "a"), finding(2, "APT204", "b"), finding(3, "APT301", "c")]
    after = [finding(1, "APT102", "a"), finding(2, "APT204", "b2"), finding(4, "APT301", "c")]
    assert list(kit.differences(before, after)) == [
        ("~", ("t.py", 2, "APT204"), "b2"),
        ("-", ("t.py", 3, "APT301"), "c"),
        ("+", ("t.py", 4, "APT301"), "c"),
    ]


def test_a_lint_that_stops_differs_though_no_finding_moved(
    kit: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pyorcai2c's lint stopped on a UTF-16 requirements file (exit 2, no findings) before BY1."""
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    before.write_text('{"demo==1.0": {"exit": 2, "findings": [], "error": "cannot read"}}')
    after.write_text('{"demo==1.0": {"exit": 0, "findings": [], "error": ""}}')
    assert kit.compare(before, before) == 0
    assert kit.compare(before, after) == 1
    assert "demo==1.0: exit 2 -> 0" in capsys.readouterr().out
