"""`apytest review --format prompt|jsonl`: the bundle for AI reviewers, from real sessions."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

Cli = Callable[..., tuple[int, str, str]]

TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
SUITE = f"""
import sys

import pytest


@pytest.mark.parametrize("n", [1, 2, 3])
def test_total(n):
    assert n * 2 == 7, "totals differ"


def test_token():
    sys.path.append("vendor")
    token = "{TOKEN}"
    assert token == "expected"


def test_ok():
    pass
"""
MODEL = "import apytest_demo_mlpkg\n\n\ndef test_model():\n    pass\n"


@pytest.fixture
def failed_twice(project: pytest.Pytester) -> pytest.Pytester:
    """Two runs: the first with everything passing, the second with the suite above."""
    project.makepyfile(test_suite="def test_total():\n    pass\n\n\ndef test_ok():\n    pass\n")
    project.runpytest().assert_outcomes(passed=2)
    project.makepyfile(test_suite=SUITE, test_model=MODEL)
    project.runpytest("--continue-on-collection-errors").assert_outcomes(
        failed=4, passed=1, errors=1
    )
    return project


def _records(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


@pytest.mark.slow
def test_jsonl_clusters_by_signature_and_location(
    failed_twice: pytest.Pytester, apytest_cli: Cli
) -> None:
    code, out, err = apytest_cli("review", "--format", "jsonl")
    assert code == 0, err
    records = _records(out)
    by_location = {str(r["location"]): r for r in records}
    assert len(records) == 3, [r["location"] for r in records]

    total = next(r for r in records if r["count"] == 3)
    assert total["tests"] == [f"test_suite.py::test_total[{n}]" for n in (1, 2, 3)]
    assert total["location"] == "test_suite.py:8"
    assert total["project"] == "demo"
    assert total["run"] == 2
    assert "assert n * 2 == 7" in str(total["source"])
    assert "totals differ" in str(total["traceback"])
    assert total["history"] == {
        "test_suite.py::test_total[1]": "new: in none of the last runs",
        "test_suite.py::test_total[2]": "new: in none of the last runs",
        "test_suite.py::test_total[3]": "new: in none of the last runs",
    }

    model = by_location["test_model.py:1"]
    assert model["lesson"] == "apytest lesson optional-dependencies"
    assert "importorskip" in str(model["suggestion"])
    assert "**Remedy**" in str(model["lesson_text"])
    assert any("APT101" in finding for finding in model["lint"])  # type: ignore[attr-defined]


@pytest.mark.slow
def test_the_bundle_is_redacted(failed_twice: pytest.Pytester, apytest_cli: Cli) -> None:
    for output in ("prompt", "jsonl"):
        code, out, _ = apytest_cli("review", "--format", output)
        assert code == 0
        assert "[REDACTED]" in out
        assert TOKEN not in out  # neither in the source excerpt nor in pytest's diff


@pytest.mark.slow
def test_prompt_is_markdown_with_every_part(
    failed_twice: pytest.Pytester, apytest_cli: Cli
) -> None:
    code, out, _ = apytest_cli("review", "--format", "prompt")
    assert code == 0
    assert out.startswith("# apytest review of demo, run 2\n")
    assert "3 failure cluster(s)" in out
    for part in (
        "(3 failures)",
        "### Deterministic suggestion",
        "### Test source (test_suite.py, from line",
        "### Traceback (excerpt)",
        "### apytest-lint on test_model.py",
        "### Lesson `optional-dependencies`",
        "APT204",  # the sys.path change in test_token
    ):
        assert part in out, part


@pytest.mark.slow
def test_history_tells_newly_failing_from_new(project: pytest.Pytester, apytest_cli: Cli) -> None:
    project.makepyfile(test_a="import os\n\ndef test_a():\n    assert os.environ.get('X')\n")
    project.runpytest("-p", "no:randomly").assert_outcomes(failed=1)
    for _ in range(2):
        project.runpytest().assert_outcomes(failed=1)
    _, out, _ = apytest_cli("review", "--format", "jsonl")
    [record] = _records(out)
    assert record["history"] == {
        "test_a.py::test_a": "failing: FFF over its last 3 runs, oldest first"
    }


@pytest.mark.slow
def test_size_bound_keeps_whole_clusters_and_counts_the_rest(
    failed_twice: pytest.Pytester, apytest_cli: Cli
) -> None:
    _, full, _ = apytest_cli("review", "--format", "prompt")
    code, out, _ = apytest_cli("review", "--format", "prompt", "--max-chars", "3000")
    assert code == 0
    assert len(out) < len(full)
    assert "more cluster(s) left out: the bundle's size bound" in out
    assert out.count("### Deterministic suggestion") >= 1


def test_max_chars_below_the_floor_is_a_usage_error(
    project: pytest.Pytester, apytest_cli: Cli
) -> None:
    code, out, err = apytest_cli("review", "--format", "prompt", "--max-chars", "10")
    assert (code, out) == (2, "")
    assert "--max-chars: must be at least 1000, not 10" in err
