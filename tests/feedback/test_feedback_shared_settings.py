"""The `apytest` commands find what the plugin wrote wherever the ini settings put it.

For each file pytest reads its settings from, the metrics file, the run log and the corpus
memory are moved by `apytest_metrics_file`, `apytest_log_file` and `apytest_memory`; a real
session writes them, then every command, run from a subfolder of the project without any
option, reads them (and creates nothing at the default places).
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from apytest.cli.apytest import main
from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback.records import Run

SETTINGS = {
    "apytest_metrics_file": "out/metrics/suite.prom",
    "apytest_log_file": "out/run.log",
    "apytest_memory": "state/memory.db",
}
LINES = "".join(f"{key} = {value}\n" for key, value in SETTINGS.items())
TOML = "".join(f'{key} = "{value}"\n' for key, value in SETTINGS.items())
INI_FILES = {
    "pytest.ini": ("pytest.ini", f"[pytest]\n{LINES}"),
    "pyproject.toml": (
        "pyproject.toml",
        f'[project]\nname = "shared"\n\n[tool.pytest.ini_options]\n{TOML}',
    ),
    "tox.ini": ("tox.ini", f"[tox]\nenvlist = py\n\n[pytest]\n{LINES}"),
    "setup.cfg": ("setup.cfg", f"[metadata]\nname = shared\n\n[tool:pytest]\n{LINES}"),
}


def _command(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
@pytest.mark.parametrize("ini", list(INI_FILES))
def test_every_command_reads_the_ini_settings_the_plugin_wrote_by(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    ini: str,
) -> None:
    name, content = INI_FILES[ini]
    (pytester.path / name).write_text(content)
    pytester.makepyfile(
        test_shared="def test_ok():\n    pass\n\n"
        "def test_bad():\n    raise ValueError('shape mismatch in the input')\n"
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1, failed=1)
    for key, value in SETTINGS.items():
        assert (pytester.path / value).is_file(), key
    subfolder = pytester.path / "tests" / "deeper"
    subfolder.mkdir(parents=True)
    monkeypatch.chdir(subfolder)

    code, out, err = _command(capsys, "history", "--format", "json")
    assert code == 0, err
    [run] = json.loads(out)
    assert (run["tests"], run["failed"]) == (2, 1)

    code, out, err = _command(capsys, "suggestions", "--format", "json")
    assert code == 0, err
    assert [s["lesson"] for s in json.loads(out)] == ["apytest lesson input-validation"]

    code, out, err = _command(capsys, "review", "--format", "json")
    assert code == 0, err
    assert f"metrics from {pytester.path / SETTINGS['apytest_metrics_file']}" in err
    assert len(json.loads(out)) == 1

    code, out, err = _command(capsys, "archive", "-o", str(pytester.path / "a.tar.gz"))
    assert code == 0, err
    with tarfile.open(pytester.path / "a.tar.gz") as archive:
        members = set(archive.getnames())
        export = json.load(archive.extractfile("apytest-run.json"))  # type: ignore[arg-type]
    assert {"out/run.log", "out/metrics/suite.prom"} <= members
    assert [f["nodeid"] for f in export["failures"]] == ["test_shared.py::test_bad"]

    code, out, err = _command(capsys, "inventory")
    assert code == 0, err
    inventory = (pytester.path / "testing" / "recorded_failures.md").read_text()
    assert "`test_shared.py::test_bad` (1)" in inventory

    # Nothing was written where the defaults would have put it.
    assert not (pytester.path / "monitoring").exists()
    assert not (pytester.path / "logs").exists()
    assert not (pytester.path / ".apytest" / "memory.sqlite3").exists()


@pytest.mark.slow
def test_the_command_line_still_wins(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (pytester.path / "pytest.ini").write_text(f"[pytest]\n{LINES}")
    pytester.makepyfile(test_one="def test_ok():\n    pass\n")
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    monkeypatch.chdir(pytester.path)
    other = pytester.path / "elsewhere.db"
    memory_api.log_run(Run("other", 0.0, 1.0, 1.0, 0), memory=other)
    code, out, _err = _command(capsys, "history", "--memory", str(other), "--format", "json")
    assert code == 0
    assert [run["project"] for run in json.loads(out)] == ["other"]


def test_an_empty_memory_setting_is_one_line(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (pytester.path / "pytest.ini").write_text("[pytest]\napytest_memory =\n")
    monkeypatch.chdir(pytester.path)
    code, _out, err = _command(capsys, "history")
    assert code == 1
    assert err.count("\n") == 1
    assert "apytest_memory is empty" in err
    assert not Path(pytester.path / ".apytest").exists()
