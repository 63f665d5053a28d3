"""The one argparse design of both commands: a usage error is one line and exit code 2.

argparse's own `error()` prints a usage block and calls `sys.exit`, which would make callers
(and tests) of a `main` exit. `Parser.error` raises `UsageError` instead, subparsers inherit
the class, and `parse` turns the error into its one line on stderr and the exit code, the way
ruff and pytest report a bad command line.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

FORWARDS = "forwards_arguments"
"""A subcommand that sets this default to True takes the arguments its parser does not know
(they belong to another CLI, which parses them); `parse` puts them in `args.forwarded`."""


def reader_gone() -> int:
    """The exit code after a `BrokenPipeError` on stdout (`apytest history | head`): the reader
    has all it wanted, so nothing is said. stdout is pointed at the null device first, or
    Python's own flush at exit would fail on the closed pipe once more."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)
    return EXIT_FAILED


class UsageError(Exception):
    """A command line that the parser rejected: one line, `prog: error: message`."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises `UsageError` instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message}")


def parse(parser: Parser, argv: Sequence[str] | None) -> argparse.Namespace | int:
    """`argv` (default: the process's arguments) parsed, or the exit code when there is
    nothing to run: 0 after `--help` or `--version`, `EXIT_USAGE` after a usage error (its
    line printed on stderr)."""
    try:
        args, rest = parser.parse_known_args(sys.argv[1:] if argv is None else list(argv))
        if rest and not getattr(args, FORWARDS, False):
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
    except UsageError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exited:  # --help, --version
        return exited.code if isinstance(exited.code, int) else EXIT_OK
    args.forwarded = rest
    return args
