"""``apytest-lint --fix`` and ``--diff`` as a user runs them."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from apytest.cli.apytest_lint import main

PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = ['pytest']\n\n"
    "[project.optional-dependencies]\nplot = ['matplotlib>=3']\n"
)
BEFORE = (
    "import os\n\nimport matplotlib  # optional\n\n\ndef test_env():\n"
    "    os.environ['MODE'] = 'test'\n    os.environ.update(OTHER='1')\n"
)
AFTER = (
    'import pytest\nimport os\n\nmatplotlib = pytest.importorskip("matplotlib")  # optional\n\n\n'
    "def test_env(monkeypatch):\n    monkeypatch.setenv('MODE', 'test')\n"
    "    os.environ.update(OTHER='1')\n"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_env.py").write_text(BEFORE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "tests" / "test_env.py"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main([*args, "--no-cache"])
    except SystemExit as exited:
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_diff_prints_and_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--diff"], capsys)
    assert code == 1
    assert out.startswith("--- a/tests/test_env.py\n+++ b/tests/test_env.py\n@@ ")
    assert "\n-    os.environ['MODE'] = 'test'\n" in out
    assert "\n+    monkeypatch.setenv('MODE', 'test')\n" in out
    assert project.read_text(encoding="utf-8") == BEFORE


@pytest.mark.slow
def test_fix_writes_and_reports_what_remains(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project.chmod(0o640)
    code, out, _ = run(["--fix"], capsys)
    assert project.read_text(encoding="utf-8") == AFTER
    assert stat.S_IMODE(project.stat().st_mode) == 0o640
    assert code == 1, "os.environ.update has no fix and stays a finding"
    lines = out.splitlines()
    assert [line.split()[1] for line in lines[:-2]] == ["APT204"]
    assert lines[-2:] == ["Fixed 2 findings.", "Found 1 finding in 1 of 1 file."]
    assert not list(project.parent.glob(".*.tmp")), "no temporary file left behind"


@pytest.mark.slow
def test_nothing_left_to_fix(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["--fix"], capsys)
    assert run(["--diff"], capsys)[:2] == (0, "")
    project.write_text(AFTER.replace("    os.environ.update(OTHER='1')\n", ""), encoding="utf-8")
    code, out, _ = run(["--fix"], capsys)
    assert (code, out) == (0, "All checks passed (1 file).\n")


def test_fix_and_diff_exclude_each_other(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["--fix", "--diff"], capsys)
    assert code == 2
    assert "not allowed with argument" in err


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "loaded", "marked"),
    [
        ([], False, True),  # findings of rules with a fix, marked without loading the fixes
        (["--diff"], True, False),
        (["--fix"], True, False),
    ],
)
def test_libcst_is_loaded_only_when_fixing(
    args: list[str], loaded: bool, marked: bool, project: Path
) -> None:
    project.with_name("test_clash.py").write_text(
        "import socket\n\ndef test_net():\n    socket.create_connection(('example.com', 80))\n"
    )
    script = (
        "import sys\nfrom apytest.cli.apytest_lint import main\n"
        f"code = main(['--no-cache', *{args!r}])\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'libcst'))\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert ("[*]" in done.stdout) is marked
    assert (done.stdout.splitlines()[-1] != "[]") is loaded


def test_the_fixable_rules_are_the_ones_with_fixes() -> None:
    from apytest.rules import ALL_RULES
    from apytest.rules.fixes import FIXES

    assert {rule.code for rule in ALL_RULES if rule.fixable} == set(FIXES)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            b'import os\r\n\r\n\r\ndef test_\xc3\xa9():\r\n    x = "\xc3\xa9"; os.chdir(".")\r\n',
            b"import os\r\n\r\n\r\ndef test_\xc3\xa9(monkeypatch):\r\n"
            b'    x = "\xc3\xa9"; monkeypatch.chdir(".")\r\n',
            id="crlf-and-non-ascii-columns",
        ),
        pytest.param(
            b"# -*- coding: latin-1 -*-\nimport os\n\n\ndef test_l():\n"
            b'    s = "\xe9"; os.chdir(".")\n',
            b"# -*- coding: latin-1 -*-\nimport os\n\n\ndef test_l(monkeypatch):\n"
            b'    s = "\xe9"; monkeypatch.chdir(".")\n',
            id="coding-cookie",
        ),
        pytest.param(
            b'\xef\xbb\xbfimport os\n\n\ndef test_b():\n    os.chdir(".")\n',
            b'\xef\xbb\xbfimport os\n\n\ndef test_b(monkeypatch):\n    monkeypatch.chdir(".")\n',
            id="bom",
        ),
    ],
)
def test_fix_keeps_encoding_and_line_endings(
    before: bytes, after: bytes, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_bytes(before)
    assert run(["--fix"], capsys)[0] == 0
    assert project.read_bytes() == after
