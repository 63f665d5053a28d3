"""``apytest-lint``: exit 0 clean, 1 findings, 2 usage or configuration error.

With ``--fix`` the exit code is that of the findings that remain; with ``--diff`` it is 1 when
there is something to fix.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from apytest.lint import report
from apytest.lint.cache import apytest_version
from apytest.lint.errors import LintError
from apytest.lint.explain import explain
from apytest.lint.progress import Progress
from apytest.lint.runner import LintResult, run_lint
from apytest.rules import RULES_BY_CODE
from apytest.rules.api import printable

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="apytest-lint",
        description="Find the failures a pytest suite is known to have, without running it.",
    )
    parser.add_argument("--version", action="version", version=f"apytest-lint {apytest_version()}")
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: testpaths)")
    parser.add_argument("--format", choices=sorted(report.FORMATS), default="text")
    parser.add_argument("--select", type=_codes, help="comma-separated codes or prefixes to run")
    parser.add_argument("--ignore", type=_codes, default=[], help="codes or prefixes to skip")
    parser.add_argument("--explain", metavar="CODE", help="print a rule's lesson and examples")
    parser.add_argument("--statistics", action="store_true", help="count findings per rule")
    parser.add_argument("-q", "--quiet", action="store_true", help="print findings only")
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


def _lint(args: argparse.Namespace) -> LintResult:
    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    try:
        return run_lint(
            args.paths,
            select=args.select,
            ignore=args.ignore,
            use_cache=not args.no_cache,
            jobs=args.jobs,
            progress=progress,
        )
    finally:
        if progress is not None:
            progress.close()


def _run(args: argparse.Namespace) -> int:
    if args.explain:
        return _explain(args.explain)
    if args.jobs is not None and args.jobs < 1:
        raise LintError("--jobs must be at least 1")
    result = _lint(args)
    fixed = 0
    if args.fix or args.diff:
        from apytest.lint.fix import fix_findings, write_fix  # loads libcst: only when fixing

        fixes = fix_findings(result.root, result.files, result.findings)
        if args.diff:
            sys.stdout.write("".join(fix.diff() for fix in fixes))
            return EXIT_FINDINGS if fixes else EXIT_CLEAN
        for fix in fixes:
            write_fix(result.root, fix)
        fixed = sum(len(fix.fixed) for fix in fixes)
        result = _lint(args) if fixes else result
    sys.stdout.write(report.FORMATS[args.format](result.findings, result.rules))
    if args.format == "text":
        if args.statistics:
            sys.stdout.write(report.statistics(result.findings))
        if not args.quiet:
            if fixed:
                sys.stdout.write(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.\n")
            sys.stdout.write(report.summary(result.findings, len(result.files)))
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except LintError as error:
        sys.stderr.write(f"apytest-lint: error: {printable(str(error))}\n")  # one line, always
        return EXIT_ERROR
    except OSError as error:  # the working folder deleted, an output that cannot be written
        where = f"{error.filename}: " if error.filename else ""
        sys.stderr.write(f"apytest-lint: error: {printable(where + (error.strerror or ''))}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("apytest-lint: interrupted\n")
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
