"""ruff's command-line habits, as a ruff user tries them on apytest-lint."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from lint_support import run_cli

TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]
SCRIPT = Path(sys.executable).with_name("apytest-lint")
PYPROJECT = '[project]\nname = "demo"\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'
LEAKY = 'import os\n\ndef test_env():\n    os.environ["A"] = "1"\n'
"""One APT204 finding at 4:5 that --fix rewrites."""


@pytest.fixture
def project(tmp_path: Path, write_tree: TreeWriter, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "tests/test_env.py": LEAKY})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["--version"], capsys)
    assert code == 0
    assert re.fullmatch(r"apytest-lint \d+\.\d+\.\d+\S*\n", out)


def test_exit_zero_keeps_the_findings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["--exit-zero"], capsys)
    assert code == 0
    assert out.startswith("tests/test_env.py:4:5: APT204 ")


def test_output_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["--format", "json", "--output-file", "report.json"], capsys)
    assert (code, out) == (1, "")
    [record] = json.loads((project / "report.json").read_text())
    assert record["code"] == "APT204"
    code, _, err = run_cli(["--output-file", str(project / "missing" / "r.txt")], capsys)
    assert code == 2
    assert err.startswith(f"apytest-lint: error: {project / 'missing' / 'r.txt'}: cannot write")


@pytest.mark.slow
def test_config_file_and_settings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "other.toml").write_text('ignore = ["APT204"]\n')
    assert run_cli(["--config", "other.toml"], capsys)[0] == 0
    (project / "pyproject.toml").write_text(PYPROJECT + '[tool.apytest]\nignore = ["APT2"]\n')
    assert run_cli([], capsys)[0] == 0
    assert run_cli(["--config", "ignore = []"], capsys)[0] == 1
    code, _, err = run_cli(["--config", "nothing-here.toml"], capsys)
    assert code == 2
    assert "--config nothing-here.toml: no such file" in err


@pytest.mark.slow
def test_extend_select_and_extend_ignore(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "requirements.txt").write_text("requests\n")
    (project / "tests" / "test_env.py").write_text("def test_ok():\n    pass\n")
    _, out, _ = run_cli(["-q", "--extend-select", "APT301"], capsys)
    assert [line.split()[1] for line in out.splitlines()] == ["APT301"]
    assert run_cli(["-q", "--extend-select", "APT301", "--extend-ignore", "APT3"], capsys)[0] == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("comment", "found"),
    [
        ("  # noqa: APT204", False),
        ("  # noqa:APT204,E501", False),
        ("  # noqa", False),  # blanket, as ruff reads it
        ("  # NOQA: apt204", False),
        ("  # noqa: E501", True),  # another tool's code only
        ("  # noqa: APT203", True),
        ("  # apytest: ignore[APT204]", False),
    ],
)
def test_noqa_comments(
    comment: str, found: bool, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "tests" / "test_env.py").write_text(LEAKY.rstrip("\n") + comment + "\n")
    assert run_cli(["-q"], capsys)[0] == (1 if found else 0)


def test_a_suppression_in_a_string_suppresses_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = LEAKY.replace('"1"\n', '"# noqa"\n')
    (project / "tests" / "test_env.py").write_text(source)
    assert run_cli(["-q"], capsys)[0] == 1


def test_unknown_and_unused_suppressions_are_warnings(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "tests" / "test_env.py").write_text(
        LEAKY
        + "\ndef test_other():\n"
        + "    x = 1  # noqa: APT203, E501\n"  # APT203 never found here
        + "    y = 2  # apytest: ignore[APT999]\n"  # no such code
        + "    z = 3  # noqa\n"  # blanket: shared with other tools, never reported
        + "    w = 4  # noqa: APT201\n"  # a project rule: depends on which paths ran
    )
    code, _, err = run_cli(["-q"], capsys)
    assert code == 1  # warnings do not change the exit code
    assert err.splitlines() == [
        "apytest-lint: warning: tests/test_env.py:7: unused suppression of APT203 "
        "(no APT203 finding on this line)",
        "apytest-lint: warning: tests/test_env.py:8: unknown rule code 'APT999' in a "
        "suppression comment",
    ]
    _, _, err = run_cli(["-q", "--select", "APT201"], capsys)
    assert "APT203" not in err  # a rule that did not run cannot be unused


@pytest.mark.slow
def test_fixable_marks_and_count(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "tests" / "test_more.py").write_text(
        "import os\n\ndef test_update():\n    os.environ.update(A='1')\n"
    )
    code, out, _ = run_cli([], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        "tests/test_env.py:4:5: APT204 [*] the environment change leaks into every later test;"
        " use monkeypatch.setenv()/delenv() or mock.patch.dict(os.environ)"
    )
    assert lines[1].startswith("tests/test_more.py:4:5: APT204 [*] the")  # the rule has a fix
    assert lines[2:] == [
        "Found 2 findings in 2 of 2 files.",
        "[*] 2 potentially fixable with --fix.",
    ]
    _, out, _ = run_cli(["--format", "json"], capsys)
    assert [record["fixable"] for record in json.loads(out)] == [True, True]
    code, out, _ = run_cli(["--fix"], capsys)  # the fix declines os.environ.update
    assert code == 1
    assert out.splitlines()[0].startswith("tests/test_more.py:4:5: APT204 the")
    assert out.splitlines()[-2:] == ["Fixed 1 finding.", "Found 1 finding in 1 of 2 files."]
    _, out, _ = run_cli(["--select", "APT2", "--ignore", "APT204"], capsys)
    assert "[*]" not in out  # APT201/APT202 have no fix


def test_diff_with_nothing_to_fix_says_so(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "tests" / "test_env.py").write_text("def test_ok():\n    pass\n")
    code, out, err = run_cli(["--diff"], capsys)
    assert (code, out, err) == (0, "", "apytest-lint: nothing to fix\n")


def test_statistics_with_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["--statistics", "--format", "json"], capsys)
    assert code == 1
    assert json.loads(out) == [
        {"code": "APT204", "name": "unpatched-global-state", "count": 1, "fixable": 1}
    ]
    code, _, err = run_cli(["--statistics", "--format", "sarif"], capsys)
    assert code == 2
    assert "--statistics works with --format text or json" in err


def test_missing_testpaths_warn_instead_of_passing(
    tmp_path: Path,
    write_tree: TreeWriter,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "src/app.py": "x = 1\n"})
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli([], capsys)
    assert code == 0
    assert out == "No files linted.\n"
    assert f"apytest-lint: warning: testpaths (tests) match nothing under {tmp_path}" in err
    assert "apytest-lint: warning: no test modules or conftests found" in err


@pytest.mark.slow
def test_stdin(project: Path) -> None:
    done = subprocess.run(
        [str(SCRIPT), "-", "--stdin-filename", "tests/test_new.py", "--no-cache"],
        input=LEAKY.replace("os.environ", "os.environ"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.startswith("tests/test_new.py:4:5: APT204 the environment")
    assert not (project / "tests" / "test_new.py").exists()
    refused = subprocess.run(
        [str(SCRIPT), "-"], input="", capture_output=True, text=True, check=False
    )
    assert refused.returncode == 2
    assert "--stdin-filename" in refused.stderr


def _on_a_terminal(args: list[str], env: Mapping[str, str]) -> str:
    """Run apytest-lint with stdout on a pseudo-terminal; return what it printed."""
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [str(SCRIPT), "--no-cache", *args],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait()
    os.close(leader)
    return b"".join(chunks).decode()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        ([], {"NO_COLOR": ""}, True),
        ([], {"NO_COLOR": "1"}, False),
        (["--color", "never"], {"NO_COLOR": ""}, False),
        (["--color", "always"], {"NO_COLOR": "1"}, True),
    ],
)
def test_colour_on_a_terminal(
    args: list[str], env: dict[str, str], colored: bool, project: Path
) -> None:
    assert ("\x1b[1;31mAPT204\x1b[0m" in _on_a_terminal(args, env)) is colored


@pytest.mark.slow
def test_no_colour_in_a_pipe_unless_asked(project: Path) -> None:
    piped = subprocess.run([str(SCRIPT), "--no-cache"], capture_output=True, text=True, check=False)
    assert "\x1b[" not in piped.stdout
    forced = subprocess.run(
        [str(SCRIPT), "--no-cache", "--color", "always"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "\x1b[1;31mAPT204\x1b[0m" in forced.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("pattern", "excluded"),
    [
        ("tests/**/test_env.py", True),  # ** is zero or more folders, as in ruff
        ("**/test_env.py", True),
        ("tests/*/test_env.py", False),
        ("tests", True),
    ],
)
def test_exclude_and_per_file_ignores_globs(
    pattern: str, excluded: bool, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for table in (f'exclude = ["{pattern}"]', f'per-file-ignores = {{"{pattern}" = ["APT204"]}}'):
        (project / "pyproject.toml").write_text(PYPROJECT + f"[tool.apytest]\n{table}\n")
        assert run_cli(["-q"], capsys)[0] == (0 if excluded else 1), table
