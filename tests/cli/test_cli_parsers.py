"""Both commands share one parser design: a usage error is one line on stderr and exit code 2,
returned by `main` (never a SystemExit out of it, never a usage block), as ruff and pytest do."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from apytest.cli import apytest, apytest_lint

Main = Callable[[Sequence[str]], int]
USAGE_ERRORS: list[tuple[Main, list[str], str]] = [
    (apytest.main, [], "apytest: error: the following arguments are required: COMMAND"),
    (apytest.main, ["nonsense"], "apytest: error: argument COMMAND: invalid choice: 'nonsense'"),
    (apytest.main, ["history", "--bogus"], "apytest: error: unrecognized arguments: --bogus"),
    (apytest.main, ["history", "--limit", "0"], "apytest history: error: argument --limit:"),
    (apytest.main, ["lint", "--bogus"], "apytest-lint: error: unrecognized arguments: --bogus"),
    (apytest_lint.main, ["--bogus"], "apytest-lint: error: unrecognized arguments: --bogus"),
    (apytest_lint.main, ["--jobs", "x"], "apytest-lint: error: argument --jobs/-j: invalid int"),
    (apytest_lint.main, ["--fix", "--diff"], "apytest-lint: error: argument --diff: not allowed"),
]


@pytest.mark.parametrize(("main", "argv", "start"), USAGE_ERRORS)
def test_a_usage_error_is_one_line_and_exit_2(
    main: Main, argv: list[str], start: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(start)
    assert err.count("\n") == 1, err


@pytest.mark.parametrize(
    ("main", "argv", "first"),
    [
        (apytest.main, ["--help"], "usage: apytest "),
        (apytest.main, ["history", "--help"], "usage: apytest history "),
        (apytest_lint.main, ["--help"], "usage: apytest-lint "),
        (apytest.main, ["--version"], "apytest "),
        (apytest_lint.main, ["--version"], "apytest-lint "),
    ],
)
def test_help_and_version_exit_0_on_stdout(
    main: Main, argv: list[str], first: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert out.startswith(first)
    assert err == ""
