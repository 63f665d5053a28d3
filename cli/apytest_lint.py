"""``apytest-lint``: exit 0 clean, 1 findings, 2 usage or configuration error, or an internal
error (a rule that raised on a file: named with the file on stderr, the other rules' findings
still shown).

With ``--fix`` the exit code is that of the findings that remain; with ``--diff`` it is 1 when
there is something to fix; ``--exit-zero`` makes findings exit 0. The flags follow ruff's where
ruff has one (``--extend-select``, ``--output-file``, ``--config``, ``--color``, ``-`` with
``--stdin-filename``), so that a ruff user's habits work.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Collection, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TextIO

from apytest.cli.parser import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Parser, parse, reader_gone
from apytest.common.files import open_for_writing
from apytest.common.versions import apytest_version
from apytest.lint import report
from apytest.lint.errors import LintError
from apytest.lint.explain import explain
from apytest.lint.progress import Progress
from apytest.lint.runner import LintResult, run_lint
from apytest.lint.toml import parse_assignment
from apytest.rules import RULES_BY_CODE
from apytest.rules.api import Finding, printable

# A configuration error is a usage error: exit 2, as ruff.
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = EXIT_OK, EXIT_FAILED, EXIT_USAGE
STDIN = Path("-")


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


def build_parser() -> Parser:
    parser = Parser(
        prog="apytest-lint",
        description="Find the failures a pytest suite is known to have, without running it.",
    )
    parser.add_argument("--version", action="version", version=f"apytest-lint {apytest_version()}")
    parser.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: testpaths); - for stdin"
    )
    parser.add_argument("--format", choices=sorted(report.FORMATS), default="text")
    parser.add_argument("--select", type=_codes, help="comma-separated codes or prefixes to run")
    parser.add_argument(
        "--extend-select", type=_codes, default=[], help="codes or prefixes to run as well"
    )
    parser.add_argument("--ignore", type=_codes, default=[], help="codes or prefixes to skip")
    parser.add_argument(
        "--extend-ignore", type=_codes, default=[], help="the same as --ignore (ruff's spelling)"
    )
    parser.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="PATH|KEY=VALUE",
        help="a TOML file to read instead of pyproject.toml's [tool.apytest], or one setting "
        "(TOML, such as 'select = [\"APT2\"]') on top; repeatable",
    )
    parser.add_argument("--explain", metavar="CODE", help="print a rule's lesson and examples")
    parser.add_argument("--statistics", action="store_true", help="count findings per rule")
    parser.add_argument("-q", "--quiet", action="store_true", help="print findings only")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    parser.add_argument("-o", "--output-file", type=Path, help="write the report to this file")
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text report (auto: on a terminal, unless NO_COLOR is set)",
    )
    parser.add_argument(
        "--stdin-filename", type=Path, help="the path that stdin's contents (path -) stand for"
    )
    parser.add_argument("--no-cache", action="store_true", help="ignore and skip the cache")
    parser.add_argument("--jobs", "-j", type=int, default=None, help="worker processes")
    fixing = parser.add_mutually_exclusive_group()
    fixing.add_argument(
        "--fix", action="store_true", help="rewrite what has a safe fix, report what remains"
    )
    fixing.add_argument(
        "--diff", action="store_true", help="print the fixes as a diff, write nothing"
    )
    return parser


def _explain(code: str) -> int:
    rule = RULES_BY_CODE.get(code.strip().upper())
    if rule is None:
        raise LintError(f"unknown rule code '{code}'")
    sys.stdout.write(explain(rule))
    return EXIT_CLEAN


def _config(values: Sequence[str]) -> tuple[Path | None, dict[str, Any]]:
    """``--config`` values: at most one file, and ``KEY = VALUE`` settings (as ruff takes)."""
    file: Path | None = None
    overrides: dict[str, Any] = {}
    for value in values:
        if Path(value).is_file():
            if file is not None:
                raise LintError("--config: only one configuration file can be given")
            file = Path(value)
        elif "=" in value:
            overrides.update(parse_assignment(value, "--config"))
        else:
            raise LintError(f"--config {value}: no such file (nor a KEY = VALUE setting)")
    return file, overrides


def _stdin(args: argparse.Namespace) -> bytes | None:
    """Stdin's bytes when the only path is ``-``; ``args.paths`` becomes the path they stand for."""
    if STDIN not in args.paths:
        if args.stdin_filename is not None:
            raise LintError("--stdin-filename needs the path - (read the file from stdin)")
        return None
    if args.paths != [STDIN] or args.stdin_filename is None:
        raise LintError("- (stdin) must be the only path, with --stdin-filename naming it")
    if args.fix or args.diff:
        raise LintError("--fix and --diff rewrite files: they do not read stdin")
    args.paths = [args.stdin_filename]
    return sys.stdin.buffer.read()


def _lint(args: argparse.Namespace, stdin: bytes | None) -> LintResult:
    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    config_file, overrides = _config(args.config)
    try:
        return run_lint(
            args.paths,
            select=args.select,
            ignore=args.ignore + args.extend_ignore,
            extend_select=args.extend_select,
            use_cache=not args.no_cache,
            jobs=args.jobs,
            progress=progress,
            config_file=config_file,
            config_overrides=overrides,
            stdin=stdin,
        )
    finally:
        if progress is not None:
            progress.close()


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _fixable(result: LintResult) -> frozenset[Finding]:
    """The findings of a rule that has a fix: a fact of the rule, so no file is parsed again.

    Telling which of them ``--fix`` actually rewrites would run the fixes, which load libcst and
    parse each file again with it; a plain run does neither. ``--diff`` shows the exact rewrites.
    """
    return frozenset(f for f in result.findings if RULES_BY_CODE[f.code].fixable)


def _report(
    args: argparse.Namespace,
    result: LintResult,
    fixable: Collection[Finding],
    fixed: int,
    out: TextIO,
) -> None:
    style = report.Style(_use_color(args.color, out))
    if args.statistics and args.format == "json":
        out.write(report.statistics_json(result.findings, fixable))
        return
    listing = report.Listing(result.findings, result.rules, fixable, style)
    out.write(report.FORMATS[args.format](listing))
    if args.format == "text":
        if args.statistics:
            out.write(report.statistics(result.findings, fixable))
        if not args.quiet:
            if fixed:
                out.write(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.\n")
            linted = {file.path for file in result.files}
            out.write(report.summary(result.findings, linted, fixable, style))


def _run(args: argparse.Namespace, out: TextIO) -> int:
    if args.explain:
        return _explain(args.explain)
    if args.jobs is not None and args.jobs < 1:
        raise LintError("--jobs must be at least 1")
    if args.statistics and args.format not in report.STATISTICS_FORMATS:
        raise LintError("--statistics works with --format text or json")
    stdin = _stdin(args)
    result = _lint(args, stdin)
    for warning in result.warnings:
        sys.stderr.write(f"apytest-lint: warning: {printable(warning)}\n")
    for error in result.errors:
        sys.stderr.write(f"apytest-lint: error: {printable(error)}\n")
    fixed = 0
    if args.fix or args.diff:
        from apytest.lint.fix import fix_findings, write_fix  # loads libcst: only when fixing

        fixes = fix_findings(result.root, result.files, result.findings)
        if args.diff:
            out.write("".join(fix.diff() for fix in fixes))
            if not fixes:
                sys.stderr.write("apytest-lint: nothing to fix\n")
            return EXIT_FINDINGS if fixes and not args.exit_zero else EXIT_CLEAN
        for fix in fixes:
            write_fix(result.root, fix)
        fixed = sum(len(fix.fixed) for fix in fixes)
        result = _lint(args, stdin) if fixes else result
    # Fixes read the files on disk: nothing read from stdin is fixable; after --fix, what is
    # left is what the fixes declined.
    fixable = frozenset() if args.fix or stdin is not None else _fixable(result)
    _report(args, result, fixable, fixed, out)
    if result.errors:  # as ruff after an internal error: the findings shown may be incomplete
        return EXIT_ERROR
    return EXIT_FINDINGS if result.findings and not args.exit_zero else EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    """Run `apytest-lint` with `argv` (default: the process's arguments); return the exit code."""
    args = parse(build_parser(), argv)
    if isinstance(args, int):
        return args
    try:
        with ExitStack() as stack:
            out: TextIO = sys.stdout
            if args.output_file is not None:
                try:
                    out = stack.enter_context(open_for_writing(args.output_file))
                except OSError as error:
                    raise LintError(f"{args.output_file}: cannot write: {error.strerror}") from None
            return _run(args, out)
    except LintError as error:
        sys.stderr.write(f"apytest-lint: error: {printable(str(error))}\n")  # one line, always
        return EXIT_ERROR
    except BrokenPipeError:  # `apytest-lint | head`: the reader has what it wanted
        return reader_gone()
    except OSError as error:  # the working folder deleted, an output that cannot be written
        where = f"{error.filename}: " if error.filename else ""
        sys.stderr.write(f"apytest-lint: error: {printable(where + (error.strerror or ''))}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("apytest-lint: interrupted\n")
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
