"""apytest-lint as a user runs it: output formats, exit codes, and clear errors on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from lint_support import run_cli

from apytest.common.lessons import lessons
from apytest.rules import ALL_RULES, RULES_BY_CODE, Rule

TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]

CLASHING = {
    "pyproject.toml": (
        '[project]\nname = "demo"\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'
        '[tool.apytest]\nselect = ["APT0", "APT2"]\n'
    ),
    "tests/a/test_u.py": "def test_a():\n    pass\n",
    "tests/b/test_u.py": "def test_b():\n    pass\n",
    "tests/conftest.py": "import pytest\n\n@pytest.fixture\ndef capsys():\n    return 1\n",
}


@pytest.fixture
def clashing(tmp_path: Path, write_tree: TreeWriter, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_tree(tmp_path, CLASHING)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_text_findings_and_exit_1(clashing: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli([], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("tests/b/test_u.py:1:1: APT201 module name 'test_u' is also")
    assert lines[1].startswith("tests/conftest.py:4:1: APT202 fixture 'capsys' shadows")
    assert lines[-1] == "Found 2 findings in 2 of 3 files."


def test_summary_counts_declaration_files_read(
    tmp_path: Path,
    write_tree: TreeWriter,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A finding in a declaration file counts that file too: never "in 2 of 1 file"."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "demo"\ndependencies = ["requests"]\n',
            "requirements-dev.txt": "hypothesis\n",
            "tests/test_ok.py": "def test_ok():\n    pass\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(["--select", "APT301"], capsys)
    assert code == 1
    assert out.splitlines()[-1] == "Found 2 findings in 2 of 3 files."


@pytest.mark.slow
def test_clean_project_exits_0(
    tmp_path: Path, write_tree: TreeWriter, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, {"pyproject.toml": "", "tests/test_ok.py": "def test_ok():\n    pass\n"})
    code, out, _ = run_cli([str(tmp_path / "tests")], capsys)
    assert (code, out) == (0, "All checks passed (1 file).\n")


def test_quiet_and_statistics(clashing: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["-q"], capsys)
    assert code == 1
    assert len(out.splitlines()) == 2
    _, out, _ = run_cli(["-q", "--statistics"], capsys)
    assert "    1  APT201  test-module-name-clash" in out.splitlines()
    assert "    1  APT202  fixture-name-clash" in out.splitlines()


def test_select_and_ignore(clashing: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(["-q", "--select", "APT2", "--ignore", "APT202"], capsys)
    assert [line.split()[1] for line in out.splitlines()] == ["APT201"]
    code, out, _ = run_cli(["-q", "--select", "APT001"], capsys)
    assert (code, out) == (0, "")


def test_json_format(clashing: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(["--format", "json"], capsys)
    records = json.loads(out)
    assert [r["code"] for r in records] == ["APT201", "APT202"]
    assert records[0]["path"] == "tests/b/test_u.py"
    assert records[0]["lesson"] == "apytest lesson module-name-clashes"
    assert records[1]["name"] == "fixture-name-clash"


def test_sarif_format(clashing: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(["--format", "sarif"], capsys)
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    result = run["results"][1]
    assert result["ruleId"] == "APT202"
    assert rule_ids[result["ruleIndex"]] == "APT202"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "tests/conftest.py"
    assert location["region"] == {"startLine": 4, "startColumn": 1}
    lessons = {rule["id"]: rule["properties"]["lesson"] for rule in run["tool"]["driver"]["rules"]}
    assert lessons["APT202"] == "apytest lesson fixture-name-clashes"


def test_github_format(clashing: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(["--format", "github"], capsys)
    first = out.splitlines()[0]
    assert first.startswith("::error file=tests/b/test_u.py,line=1,col=1,title=APT201::APT201 ")


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_explain_prints_ruffs_sections_lesson_and_examples(
    rule: type[Rule], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["--explain", rule.code.lower()], capsys)
    assert code == 0
    assert out.startswith(f"{rule.code} ({rule.name}): ")
    assert f"Lesson: apytest lesson {rule.lesson}" in out
    assert ("Fix: none" in out) is not rule.fixable
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    sections = ["## What it does", "## Why is this bad?", "## Example", "## Use instead"]
    assert headings == sections + (["## Options"] if rule.options else [])
    for heading in ("## What it does", "## Why is this bad?"):
        assert out.split(heading + "\n", 1)[1][:1].strip(), f"{heading} is empty"
    assert out.count("\nFlagged:\n") == len(rule.INVALID)
    assert out.count("\nAccepted:\n") == len(rule.VALID)
    fixed = [example for example in rule.INVALID if example.fixed is not None]
    assert out.count("\nAfter --fix:") == len(fixed)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_every_lesson_anchor_is_a_shipped_lesson(rule: type[Rule]) -> None:
    assert rule.lesson in lessons()


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        ({}, ["does-not-exist"], "does-not-exist: no such file or folder"),
        (
            {"pyproject.toml": "[project]\nname = 'x'\n[tool.apytest\nselect = []\n"},
            [],
            "pyproject.toml:3: invalid TOML",
        ),
        ({"pyproject.toml": ""}, ["--select", "APT999"], "unknown rule code or prefix 'APT999'"),
        ({"pyproject.toml": ""}, ["--explain", "APT999"], "unknown rule code 'APT999'"),
        (
            {"pyproject.toml": "[tool.apytest]\nselct = ['APT2']\n"},
            [],
            "pyproject.toml: unknown [tool.apytest] setting 'selct'",
        ),
        (
            {"pyproject.toml": "[tool.apytest]\nignore = 'APT0X'\n"},
            [],
            "unknown rule code or prefix 'APT0X'",
        ),
        (
            {"pyproject.toml": "[tool.pytest.ini_options]\naddopts = '--import-mode=sideways'\n"},
            [],
            "unknown --import-mode 'sideways'",
        ),
        ({"pyproject.toml": ""}, ["--format", "xml"], "invalid choice: 'xml'"),
        (
            {"pyproject.toml": "[tool.apytest]\npin-policy = 'exact'\n"},
            [],
            "pin-policy must be one of 'any-bound', 'pinned'",
        ),
    ],
    ids=[
        "no-path",
        "broken-toml",
        "unknown-select",
        "unknown-explain",
        "unknown-key",
        "bad-ignore",
        "bad-import-mode",
        "bad-format",
        "bad-choice",
    ],
)
def test_usage_and_config_errors_exit_2_with_one_line(
    files: dict[str, str],
    args: list[str],
    message: str,
    tmp_path: Path,
    write_tree: TreeWriter,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(args, capsys)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_console_script_is_installed(clashing: Path) -> None:
    script = Path(sys.executable).with_name("apytest-lint")
    completed = subprocess.run(
        [str(script), "-q", "--no-cache"], cwd=clashing, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 1
    assert completed.stdout.count("\n") == 2
    assert completed.stderr == ""  # no progress line when not on a terminal


@pytest.mark.slow
@pytest.mark.parametrize("python_warnings", ["", "always", "error"])
def test_compiler_warnings_of_linted_files_stay_silent(
    python_warnings: str, tmp_path: Path, write_tree: TreeWriter
) -> None:
    """Test data with an invalid escape sequence or ``x is 1`` makes the compiler warn; the
    warning is about the linted file, so it reaches neither stderr nor (under ``-W error``)
    the findings as a syntax error."""
    source = "import re\n\nPATTERN = re.compile('\\d+')\n\ndef test_it(x=1):\n    assert x is 1\n"
    write_tree(tmp_path, {"pyproject.toml": "", "tests/test_data.py": source})
    script = Path(sys.executable).with_name("apytest-lint")
    completed = subprocess.run(
        [str(script), "--no-cache", "-j", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": python_warnings},
    )
    assert completed.stderr == ""
    assert "APT001" not in completed.stdout
    assert completed.returncode == 0, completed.stdout


@pytest.mark.slow
def test_a_reader_that_stops_early_gets_no_error(tmp_path: Path, write_tree: TreeWriter) -> None:
    """`apytest-lint | head -1`: the pipe closes while findings are still written; the
    command says nothing about it (a broken pipe is the reader's choice)."""
    requirements = "".join(f"package-{n}\n" for n in range(3000))
    write_tree(tmp_path, {"requirements-dev.txt": requirements, "tests/test_a.py": ""})
    script = Path(sys.executable).with_name("apytest-lint")
    with subprocess.Popen(
        [str(script), "--select", "APT301", "--no-cache"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        assert "APT301" in process.stdout.readline()
        process.stdout.close()
        error = process.stderr.read()
        code = process.wait(timeout=60)
    assert error == ""
    assert code == 1


def test_a_file_rule_that_raises_is_named_and_the_rest_still_reported(
    clashing: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug of one rule on one file: an error line naming the rule and the file, exit 2 (as
    ruff after an internal error), the other rules' findings on that file and the others kept;
    never a traceback (`run_cli` checks)."""

    def broken(self: Rule, node: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(RULES_BY_CODE["APT203"], "triggers", None)  # reads every file
    monkeypatch.setattr(RULES_BY_CODE["APT203"], "visit_FunctionDef", broken)
    code, out, err = run_cli([], capsys)
    assert code == 2
    assert (
        "apytest-lint: error: tests/conftest.py: internal error in APT203: RuntimeError: boom"
        in err
    )
    assert "the file's other rules ran" in err
    assert "tests/b/test_u.py:1:1: APT201 module name 'test_u'" in out
    assert "tests/conftest.py:4:1: APT202 fixture 'capsys' shadows" in out


def test_a_project_rule_that_raises_is_named_and_the_rest_still_reported(
    clashing: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(cls: type[Rule], ctx: object) -> list[object]:
        raise KeyError("boom")

    monkeypatch.setattr(RULES_BY_CODE["APT201"], "check", classmethod(broken))
    code, out, err = run_cli([], capsys)
    assert code == 2
    assert "apytest-lint: error: internal error in APT201: KeyError: 'boom'" in err
    assert "APT201" not in out
    assert "tests/conftest.py:4:1: APT202 fixture 'capsys' shadows" in out
