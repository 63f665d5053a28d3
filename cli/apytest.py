"""`apytest`: the umbrella command line, one subcommand per part of apytest.

Each subcommand is one row of `COMMANDS`: its name, its help, a function that declares its
arguments and a function that runs it. Adding a subcommand means adding a row and two small
functions; `main` never changes. Exit codes: 0 success, 1 the command ran and failed (or, for
`lint`, found something), 2 usage error. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from apytest.cli import commands
from apytest.cli.parser import EXIT_FAILED, EXIT_OK, EXIT_USAGE, FORWARDS, Parser, parse
from apytest.common.files import NotAFileOutput
from apytest.common.names import METRICS_FILE
from apytest.monitoring import scaffold


@dataclass(frozen=True)
class Command:
    """One subcommand of `apytest`."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    # The rest of the command line belongs to another CLI, which parses (and documents) it:
    # `apytest lint --help` shows apytest-lint's help.
    forwards_arguments: bool = False


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """For commands whose arguments another CLI parses."""


def _lint(args: argparse.Namespace) -> int:
    # Imported here so that the other subcommands do not pay for loading the linter.
    from apytest.cli.apytest_lint import main as lint_main

    return lint_main(args.forwarded)


def _lesson_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "anchor", metavar="ANCHOR", nargs="?", help="the lesson to print (default: list them)"
    )


def _lesson(args: argparse.Namespace) -> int:
    from apytest.common.lessons import lessons

    known = lessons()
    if args.anchor is None:
        width = max(map(len, known))
        for lesson in known.values():
            print(f"{lesson.anchor:<{width}}  {lesson.title}")
        return EXIT_OK
    found = known.get(args.anchor.strip().lstrip("#"))
    if found is None:
        print(
            f"apytest lesson: unknown lesson '{args.anchor}' (`apytest lesson` lists them)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    sys.stdout.write(found.text)
    return EXIT_OK


def _monitoring_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help="write the Prometheus config, alert rules and Grafana dashboard into DIR",
        description="Write the Prometheus config, targets files, alert and recording rules with "
        "their promtool tests, and the Grafana dashboard into DIR. Files that already exist "
        "and differ from the shipped version are kept unless --force is given.",
    )
    init.add_argument(
        "directory",
        metavar="DIR",
        nargs="?",
        type=Path,
        default=scaffold.DEFAULT_DIRECTORY,
        help=f"target folder (default: {scaffold.DEFAULT_DIRECTORY}, where the plugin writes "
        f"{Path(METRICS_FILE).name})",
    )
    init.add_argument(
        "--force", action="store_true", help="overwrite files that differ from the shipped ones"
    )
    init.add_argument(
        "--route",
        choices=sorted(scaffold.ROUTES),
        default="textfile",
        help="how the metrics reach Prometheus: node_exporter's textfile collector, a "
        "Pushgateway, or both; prometheus.yml scrapes only these (default: textfile)",
    )
    for job, flag in (("node", "--node-exporter"), ("pushgateway", "--pushgateway")):
        init.add_argument(
            flag,
            dest=f"{job}_address",
            metavar="HOST:PORT",
            type=_address,
            default=scaffold.DEFAULT_ADDRESSES[job],
            help=f"where it listens, the target Prometheus scrapes "
            f"(default: {scaffold.DEFAULT_ADDRESSES[job]})",
        )


def _address(value: str) -> str:
    """HOST:PORT with a port from 1 to 65535, else a usage error."""
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"'{value}' is not HOST:PORT (a port from 1 to 65535)")
    return value


def _monitoring(args: argparse.Namespace) -> int:
    # `init` is the only action so far, and argparse requires one.
    addresses = {"node": args.node_address, "pushgateway": args.pushgateway_address}
    try:
        results = scaffold.init(
            args.directory, force=args.force, route=args.route, addresses=addresses
        )
    except OSError as exc:
        print(f"apytest monitoring init: {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, NotAFileOutput) else EXIT_FAILED
    for result in results:
        print(result.describe())
    print("then start (see the README's monitoring section):")
    for command in scaffold.commands(args.directory, args.route, addresses):
        print(f"  {command}")
    return EXIT_OK


COMMANDS: tuple[Command, ...] = (
    Command(
        "lesson",
        "print one of apytest's lessons (every finding and suggestion cites one), or list them",
        _lesson_arguments,
        _lesson,
    ),
    Command(
        "lint",
        "lint a test suite for catalogued failures (the same as apytest-lint)",
        _no_arguments,
        _lint,
        forwards_arguments=True,
    ),
    Command(
        "monitoring",
        "set up Prometheus and Grafana for the plugin's metrics",
        _monitoring_arguments,
        _monitoring,
    ),
    Command(
        "review",
        "review the last recorded run and print its suggestions",
        commands.review_arguments,
        commands.review,
    ),
    Command(
        "suggestions",
        "the suggestions in the corpus memory, with counts and first/last seen",
        commands.suggestions_arguments,
        commands.suggestions,
    ),
    Command(
        "history",
        "recorded runs: failures, coverage, durations",
        commands.history_arguments,
        commands.history,
    ),
    Command(
        "archive",
        "pack the run log, the metrics file and the last run's records, redacted, for a reviewer",
        commands.archive_arguments,
        commands.archive_command,
    ),
    Command(
        "alerts",
        "receive Alertmanager's alerts: each firing Pytest* alert reviewed and recorded",
        commands.alerts_arguments,
        commands.alerts_command,
    ),
    Command(
        "mcp",
        "serve the runs, suggestions, lessons, lint and review bundle to AI agents (MCP, stdio)",
        commands.mcp_arguments,
        commands.mcp_command,
    ),
    Command(
        "memory",
        "copy the corpus memory between backends (apytest memory copy SOURCE DEST)",
        commands.memory_arguments,
        commands.memory_command,
    ),
    Command(
        "inventory",
        "write or update the project's failure inventory from its recorded failures",
        commands.inventory_arguments,
        commands.inventory_command,
    ),
)


def _parser() -> Parser:
    from apytest.common.versions import apytest_version

    parser = Parser(prog="apytest", description="The Absolute Pytest.")
    parser.add_argument("--version", action="version", version=f"apytest {apytest_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        sub = commands.add_parser(
            command.name, help=command.help, add_help=not command.forwards_arguments
        )
        command.add_arguments(sub)
        sub.set_defaults(command_row=command, **{FORWARDS: command.forwards_arguments})
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `apytest` with `argv` (default: the process's arguments); return the exit code."""
    args = parse(_parser(), argv)
    if isinstance(args, int):
        return args
    command: Command = args.command_row
    return command.run(args)
