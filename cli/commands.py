"""The feedback loop's subcommands of `apytest`: review, suggestions, history, archive, inventory.

Each has an `*_arguments` function (its argparse declarations) and a runner returning the
exit code; `apytest.COMMANDS` lists them. They read the corpus memory of the project found from the
current directory (as pytest finds its rootdir) unless `--memory` names another file. A memory
that cannot be used is one line on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from apytest.cli.parser import EXIT_FAILED, EXIT_OK, EXIT_USAGE, reader_gone
from apytest.common import memory_location
from apytest.common.files import NotAFileOutput
from apytest.common.memory_location import MemoryLocation, describe
from apytest.common.names import METRICS_FILE
from apytest.common.settings import ConfigError, SharedPaths, shared_paths
from apytest.feedback import archive, inventory, metrics_source, prompt_bundle
from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback.prompt_bundle import Limits
from apytest.feedback.records import Run, StoredSuggestion, Suggestion, iso
from apytest.lint.errors import LintError
from apytest.rules.api import printable

TEXT_OR_JSON = ("text", "json")


def _paths() -> SharedPaths:
    """Where the plugin writes, read from the same ini settings (`apytest_metrics_file`,
    `apytest_log_file`, `apytest_memory`) of the project found from the working directory."""
    return shared_paths()


def _root() -> Path:
    return _paths().root


def _memory(args: argparse.Namespace) -> MemoryLocation:
    """The memory to read: `--memory`, which must exist (a typo must not silently create,
    and then report on, an empty database), else APYTEST_MEMORY or where the project's ini
    puts it."""
    given: MemoryLocation | None = args.memory
    if isinstance(given, str):
        return given
    if given is not None:
        if not given.exists():
            raise memory_api.CorpusMemoryError(f"{given}: no corpus memory there")
        return given
    memory = _paths().memory
    if memory is None:
        raise memory_api.CorpusMemoryError(
            "apytest_memory is empty in the project's pytest configuration (no corpus memory); "
            "name one with --memory"
        )
    return memory


def memory_argument(text: str) -> MemoryLocation:
    """`--memory`: a path, or a `postgresql://` URL whose password is not on the command line
    (shell history, process list)."""
    try:
        return memory_location.setting(Path.cwd(), text, "the command line") or Path(text)
    except memory_location.PasswordInSetting as error:
        raise argparse.ArgumentTypeError(str(error)) from None


MAX_LIMIT = 1_000_000


def _limit(text: str) -> int:
    """A count of runs: a whole number from 1 to MAX_LIMIT."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text[:40]!r}") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be 1 to {MAX_LIMIT:,}, not {text[:40]}")
    return value


def _common_memory(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--memory",
        type=memory_argument,
        metavar="PATH|URL",
        help="corpus memory: a SQLite file or a postgresql:// URL (default: the environment "
        f"variable {memory_location.MEMORY_ENV}, else the ini setting apytest_memory, else "
        f"{memory_api.DEFAULT_MEMORY} under the project root)",
    )


def _common(parser: argparse.ArgumentParser, *, formats: tuple[str, ...] = ()) -> None:
    _common_memory(parser)
    parser.add_argument("--project", help="only this project's records (default: all)")
    if formats:
        parser.add_argument("--format", choices=formats, default="text")


def _guarded(
    run: Callable[[argparse.Namespace], int], name: str
) -> Callable[[argparse.Namespace], int]:
    """Turn a memory or file error into one line on stderr and exit code 1 (2 for an output
    path that is no file)."""

    def guarded(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except (memory_api.CorpusMemoryError, LintError, ConfigError) as error:
            print(f"apytest {name}: {printable(str(error))}", file=sys.stderr)
        except NotAFileOutput as error:
            print(
                f"apytest {name}: {printable(f'{error.filename}: {error.strerror}')}",
                file=sys.stderr,
            )
            return EXIT_USAGE
        except BrokenPipeError:
            return reader_gone()
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            print(
                f"apytest {name}: {printable(where + str(error.strerror or error))}",
                file=sys.stderr,
            )
        return EXIT_FAILED

    return guarded


def _print_suggestions(suggestions: Iterable[Suggestion | StoredSuggestion]) -> None:
    for item in suggestions:
        suggestion = item.suggestion if isinstance(item, StoredSuggestion) else item
        seen = (
            f" (seen {item.count}x, {iso(item.first_seen)} .. {iso(item.last_seen)})"
            if isinstance(item, StoredSuggestion)
            else ""
        )
        print(f"- {suggestion.text}{seen}\n  {suggestion.byline}")


def _metrics_arguments(parser: argparse.ArgumentParser, *, target: bool = True) -> None:
    """--prometheus and --metrics-file; with `target`, --instance and --job (the receiver
    takes both from each alert's labels)."""
    parser.add_argument(
        "--prometheus",
        metavar="URL",
        help="read the run's metrics from this Prometheus server's HTTP API instead of the "
        "metrics file",
    )
    parser.add_argument(
        "--metrics-file",
        type=Path,
        metavar="PATH",
        help="metrics textfile (default: the ini setting apytest_metrics_file, else "
        f"{METRICS_FILE})",
    )
    if not target:
        return
    parser.add_argument(
        "--instance",
        metavar="NAME",
        help="the runner (`apytest_instance`) or Prometheus `instance` label: review its last "
        "run against its earlier runs, and with --prometheus read that target's series "
        "(default: the project's last run; this host's series, else the target whose session "
        "finished last)",
    )
    parser.add_argument(
        "--job", metavar="NAME", help="with --prometheus: the `job` label of the series to read"
    )


def _at_least(low: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, not {value}")
        return value

    return parse


# review ------------------------------------------------------------------------------------


def review_arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser, formats=(*TEXT_OR_JSON, "prompt", "jsonl"))
    _metrics_arguments(parser)
    parser.add_argument(
        "--ai",
        action="store_true",
        help="send the run's failure clusters not answered before to the model configured by "
        "the apytest_ai_* settings, and store its answers",
    )
    parser.add_argument(
        "--max-chars",
        type=_at_least(1000),
        default=Limits.total,
        metavar="N",
        help=f"size bound of --format prompt/jsonl (default {Limits.total})",
    )


def _review(args: argparse.Namespace) -> int:
    from apytest.feedback.session_review import review_stored

    memory = _memory(args)
    run = memory_api.last_run(args.project, instance=args.instance, memory=memory)
    if run is None:
        of = f" of instance {printable(args.instance)}" if args.instance else ""
        print(f"apytest review: no run{of} recorded in {describe(memory)}", file=sys.stderr)
        return EXIT_FAILED
    metrics_file = args.metrics_file or _paths().metrics_file
    try:
        if args.prometheus:
            metrics = metrics_source.from_prometheus(
                args.prometheus, run.project, kind=run.kind, instance=args.instance, job=args.job
            )
        elif metrics_file is not None:
            metrics = metrics_source.from_file(metrics_file, run.project, run.kind)
        else:
            metrics = None
    except metrics_source.MetricsUnavailable as error:
        if args.prometheus:
            print(f"apytest review: {error}", file=sys.stderr)
            return EXIT_FAILED
        print(f"apytest review: no metrics: {error}", file=sys.stderr)
        metrics = None
    if metrics is not None:  # on stderr: stdout stays the chosen format
        print(f"apytest review: metrics from {metrics.source}", file=sys.stderr)
    suggestions = review_stored(run, _root(), metrics, instance=args.instance, memory=memory)
    if args.ai:
        suggestions += _ai_review(run, suggestions, args.instance, memory)
    if args.format in ("prompt", "jsonl"):
        bundle = prompt_bundle.of_stored(
            run,
            suggestions,
            _root(),
            Limits(total=args.max_chars),
            instance=args.instance,
            memory=memory,
        )
        sys.stdout.write(bundle.markdown() if args.format == "prompt" else bundle.jsonl())
    elif args.format == "json":
        print(json.dumps([_suggestion_json(s) for s in suggestions], indent=2))
    else:
        print(f"run {run.id} of {run.project}: {len(suggestions)} suggestion(s)")
        _print_suggestions(suggestions)
    return EXIT_OK


def _ai_review(
    run: Run, suggestions: list[Suggestion], instance: str | None, memory: MemoryLocation
) -> list[Suggestion]:
    """The model's answers to the run's new clusters (none when it is not configured)."""
    from apytest.feedback import ai_review
    from apytest.feedback.session_review import ai_settings_of
    from apytest.lint.project import find_project

    def warn(line: str) -> None:
        print(f"apytest review: {line}", file=sys.stderr)

    settings = ai_settings_of(find_project(_root()).ini, warn)
    if settings is None:
        warn("AI review: not configured (apytest_ai_provider and apytest_ai_model)")
        return []
    bundle = prompt_bundle.of_stored(run, suggestions, _root(), instance=instance, memory=memory)
    sent = ai_review.review(bundle, settings, memory=memory, warn=warn)
    if sent.cached:
        warn(f"AI review: {sent.cached} cluster(s) answered before, not sent again")
    return [stored.suggestion for stored in sent.suggestions]


def _suggestion_json(suggestion: Suggestion) -> dict[str, object]:
    return {
        "text": suggestion.text,
        "lesson": suggestion.lesson_reference,
        "nodeid": suggestion.nodeid,
        "source": suggestion.source,
        "signature": suggestion.signature,
        "model": suggestion.model or None,
    }


review = _guarded(_review, "review")


# suggestions -------------------------------------------------------------------------------


def suggestions_arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser, formats=TEXT_OR_JSON)


def _suggestions(args: argparse.Namespace) -> int:
    stored = memory_api.suggestions(args.project, memory=_memory(args))
    if args.format == "json":
        print(json.dumps([s.as_json() for s in stored], indent=2))
    else:
        _print_suggestions(stored)
    return EXIT_OK


suggestions = _guarded(_suggestions, "suggestions")


# history -----------------------------------------------------------------------------------


def history_arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser, formats=TEXT_OR_JSON)
    parser.add_argument(
        "--limit",
        type=_limit,
        default=20,
        help=f"newest runs to show, 1 to {MAX_LIMIT:,} (default 20)",
    )


def _history(args: argparse.Namespace) -> int:
    runs = memory_api.runs(args.project, limit=args.limit, memory=_memory(args))
    if args.format == "json":
        print(json.dumps([run.as_json() for run in runs], indent=2))
        return EXIT_OK
    print(
        f"{'run':>5}  {'finished (UTC)':20}  {'project':16} {'tests':>6} {'failed':>6} "
        f"{'coverage':>8} {'duration':>9}  exit"
    )
    for run in runs:
        coverage = f"{run.coverage:.1f}%" if run.coverage is not None else "-"
        print(
            f"{run.id:>5}  {iso(run.finished_at):20}  {run.project[:16]:16} {run.tests:>6} "
            f"{run.failed:>6} {coverage:>8} {run.duration:>8.2f}s  {run.exit_status}"
        )
    return EXIT_OK


history = _guarded(_history, "history")


# archive -----------------------------------------------------------------------------------


def archive_arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path(archive.DEFAULT_OUTPUT),
        help=f"archive to write (default: {archive.DEFAULT_OUTPUT})",
    )


def _archive(args: argparse.Namespace) -> int:
    packed = archive.write(_paths(), args.output, memory=_memory(args), project=args.project)
    print(f"{args.output}: {len(packed.members)} file(s)")
    for name in packed.members:
        print(f"  {printable(name)}")
    for name, reason in packed.skipped:
        print(f"  skipped {printable(name)}: {reason}")
    return EXIT_OK


archive_command = _guarded(_archive, "archive")


# inventory ---------------------------------------------------------------------------------


def inventory_arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help=f"inventory file to write or update (default: {inventory.DEFAULT_OUTPUT} under "
        "the project root)",
    )


def _inventory(args: argparse.Namespace) -> int:
    failures = memory_api.recorded_failures(args.project, memory=_memory(args))
    from apytest.feedback.project_facts import project_facts

    root = _root()
    found = inventory.entries(failures, project_facts(root, [r.failure for r in failures]))
    output = args.output or root / inventory.DEFAULT_OUTPUT
    inventory.update(output, found)
    print(f"{output}: {len(found)} failure signature(s) from {len(failures)} recorded failure(s)")
    return EXIT_OK


inventory_command = _guarded(_inventory, "inventory")


# alerts ------------------------------------------------------------------------------------


def alerts_arguments(parser: argparse.ArgumentParser) -> None:
    from apytest.feedback.alerts import DEFAULT_PORT

    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    serve = actions.add_parser(
        "serve",
        help="receive Alertmanager's webhook: review and record each firing Pytest* alert",
        description="An Alertmanager webhook receiver (POST /alerts, payload version 4). Each "
        "firing Pytest* alert is recorded as an interaction of kind 'alert', the last run of "
        "the alert's instance is reviewed against that runner's earlier runs and the "
        "metrics (and, when configured, by the AI review after the answer), and the "
        "suggestions are logged, once per alert and firing. Bound beyond loopback, requests need "
        "APYTEST_ALERTS_TOKEN (bearer) or APYTEST_ALERTS_USERNAME/APYTEST_ALERTS_PASSWORD "
        "(basic auth) from the environment. Stops on SIGTERM.",
    )
    _common_memory(serve)
    serve.add_argument(
        "--listen",
        default=f"127.0.0.1:{DEFAULT_PORT}",
        metavar="HOST:PORT",
        help=f"address to listen on (default 127.0.0.1:{DEFAULT_PORT})",
    )
    _metrics_arguments(serve, target=False)
    runbook = actions.add_parser(
        "runbook",
        help="print the runbook of an alert (what its runbook_url opens), or list the alerts",
    )
    runbook.add_argument("name", metavar="ALERT", nargs="?", help="e.g. PytestCoverageLow")


def _runbook(args: argparse.Namespace) -> int:
    """`apytest alerts runbook [ALERT]`: the runbook in a terminal, no server needed."""
    from apytest.common import runbooks

    if args.name is None:
        for name, runbook in runbooks.RUNBOOKS.items():
            print(f"{name:<22}  {runbook.means}")
        return EXIT_OK
    page = runbooks.page(args.name)
    if page is None:
        print(
            f"apytest alerts runbook: unknown alert '{printable(args.name)}' "
            "(`apytest alerts runbook` lists them)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    sys.stdout.write(page)
    return EXIT_OK


def _alerts(args: argparse.Namespace) -> int:
    if args.action == "runbook":
        return _runbook(args)
    return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    import os

    from apytest.feedback import alerts, alerts_server
    from apytest.feedback.ai_settings import SettingsError, load
    from apytest.lint.project import find_project

    def log(line: str) -> None:
        print(f"apytest alerts: {line}", file=sys.stderr, flush=True)

    paths = _paths()
    root = paths.root
    memory = args.memory or memory_api.default_memory()
    memory = memory.resolve() if isinstance(memory, Path) else memory
    try:
        ai = load(find_project(root).ini, os.environ)
    except SettingsError as error:
        print(f"apytest alerts serve: AI review: {printable(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    context = alerts.Context(
        # The receiver writes (each alert is a record), so a memory that does not exist yet
        # is created on the first alert; said at startup, in case the path is a typo.
        memory=memory,
        root=root,
        prometheus=args.prometheus,
        metrics_file=None if args.prometheus else (args.metrics_file or paths.metrics_file),
        ai=ai,
    )
    try:
        host, port = alerts_server.parse_listen(args.listen)
        server = alerts_server.make_server(
            host, port, context, alerts_server.credentials(os.environ), log
        )
    except alerts_server.StartError as error:
        print(f"apytest alerts serve: {error}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(memory, Path) and not memory.exists():
        log(f"{memory} does not exist yet: the first alert creates it")
    if ai is not None:
        log(
            f"AI review of each alerted run's new failure clusters: {ai.provider} model "
            f"{ai.model} at {ai.url} (at most {ai.max_clusters} cluster(s), "
            f"{ai.budget_tokens} tokens, {ai.seconds} s per alert)"
        )
    alerts_server.serve(server, log)
    return EXIT_OK


alerts_command = _guarded(_alerts, "alerts serve")  # runbook raises none of its errors


# mcp ---------------------------------------------------------------------------------------


def mcp_arguments(parser: argparse.ArgumentParser) -> None:
    _common_memory(parser)


def _mcp(args: argparse.Namespace) -> int:
    from apytest.feedback import mcp_server

    try:
        memory = _memory(args)
        app = mcp_server.server(_root(), memory.resolve() if isinstance(memory, Path) else memory)
    except ModuleNotFoundError as error:
        print(f"apytest mcp: {error}", file=sys.stderr)
        return EXIT_FAILED
    app.run("stdio")
    return EXIT_OK


mcp_command = _guarded(_mcp, "mcp")


# memory copy -------------------------------------------------------------------------------


def memory_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    copy = actions.add_parser(
        "copy",
        help="copy a whole history into an empty memory (SQLite <-> PostgreSQL)",
        description="Copy every record of SOURCE (runs, per-test results, failures, lint "
        "findings, suggestions, interactions, with their ids) into DEST, a new SQLite file or "
        "an empty PostgreSQL database, in one transaction. Each is a path or a postgresql:// "
        "URL without password (PGPASSWORD, ~/.pgpass or a service file give it).",
    )
    copy.add_argument("source", metavar="SOURCE", type=memory_argument)
    copy.add_argument("destination", metavar="DEST", type=memory_argument)


def _memory_copy(args: argparse.Namespace) -> int:
    from apytest.feedback import memory_copy

    source: MemoryLocation = args.source
    if isinstance(source, Path) and not source.is_file():
        raise memory_api.CorpusMemoryError(f"{source}: no corpus memory there")
    copied = memory_copy.copy(source, args.destination)
    listed = ", ".join(f"{count} {table}" for table, count in copied.items())
    print(f"apytest memory copy: {describe(source)} -> {describe(args.destination)}: {listed}")
    return EXIT_OK


memory_command = _guarded(_memory_copy, "memory copy")
