"""Helpers of the linter's CLI tests (imported by name, as pytest's prepend mode allows)."""

from __future__ import annotations

import pytest

from apytest.cli.apytest_lint import main


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process (without the cache, but for --explain); argparse's own exits
    count as exit codes; never a traceback."""
    try:
        code = main([*args, "--no-cache"] if "--explain" not in args else args)
    except SystemExit as exited:
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err
