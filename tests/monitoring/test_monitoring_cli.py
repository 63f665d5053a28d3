"""The umbrella `apytest` command: dispatch, pass-through to apytest-lint, exit codes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from apytest.cli import apytest as cli
from apytest.monitoring import scaffold


def test_monitoring_init_reports_each_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "monitoring"
    assert cli.main(["monitoring", "init", str(target)]) == 0
    lines = capsys.readouterr().out.splitlines()
    textfile = [name for name in scaffold.WRITTEN_FILES if name != "pushgateway_targets.yml"]
    assert lines[: len(textfile)] == [f"created     {target / name}" for name in textfile]
    assert lines[len(textfile) :] == [
        "then start (see the README's monitoring section):",
        f"  prometheus-node-exporter --web.listen-address=127.0.0.1:9100 "
        f"--collector.textfile.directory={target}",
        f"  prometheus --config.file={target / 'prometheus.yml'} --web.listen-address="
        "127.0.0.1:9090 --storage.tsdb.path=$HOME/.local/share/apytest-prometheus",
    ]


@pytest.mark.parametrize("value", ["nope", "host:0", "host:99999", ":9100", "host:port"])
def test_monitoring_init_refuses_a_bad_address(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["monitoring", "init", str(tmp_path), "--pushgateway", value]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"apytest monitoring init: error: argument --pushgateway: '{value}' is not HOST:PORT "
        "(a port from 1 to 65535)\n"
    )
    assert not list(tmp_path.iterdir())


def test_monitoring_init_defaults_to_the_plugins_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["monitoring", "init"]) == 0
    assert (tmp_path / "monitoring" / "prometheus.yml").is_file()


def test_monitoring_init_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scaffold.init(tmp_path)
    (tmp_path / "prometheus.yml").write_text("# mine\n")
    assert cli.main(["monitoring", "init", str(tmp_path)]) == 0
    assert "kept        " in capsys.readouterr().out
    assert cli.main(["monitoring", "init", "--force", str(tmp_path)]) == 0
    assert f"overwritten {tmp_path / 'prometheus.yml'}" in capsys.readouterr().out


def test_unwritable_directory_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "taken"
    a_file.write_text("")
    assert cli.main(["monitoring", "init", str(a_file)]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"apytest monitoring init: {a_file}: ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "apytest: error: the following arguments are required: COMMAND"),
        (["bogus"], "apytest: error: argument COMMAND: invalid choice: 'bogus'"),
        (["monitoring"], "apytest monitoring: error: the following arguments are required"),
        (["monitoring", "init", "a", "b"], "apytest: error: unrecognized arguments: b"),
        (["monitoring", "init", "--forse"], "apytest: error: unrecognized arguments: --forse"),
    ],
)
def test_usage_error_is_one_line_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(message)
    assert captured.err.count("\n") == 1
    assert captured.out == ""


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    assert "monitoring" in capsys.readouterr().out


def test_lint_gets_every_remaining_argument(monkeypatch: pytest.MonkeyPatch) -> None:
    from apytest.cli import apytest_lint as lint_cli

    received: list[Sequence[str] | None] = []

    def fake_lint(argv: Sequence[str] | None = None) -> int:
        received.append(argv)
        return 1

    monkeypatch.setattr(lint_cli, "main", fake_lint)
    argv = ["--select", "APT101", "tests", "-h", "--", "-x"]
    assert cli.main(["lint", *argv]) == 1
    assert received == [argv]
