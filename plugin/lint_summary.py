"""`--apytest-lint`: apytest-lint over the files this session collected, once, shown at the end.

The controller gathers the paths (from its own collection, or from the node ids xdist workers
report) and lints once, however many workers there are. The engine is imported only when
linting, so a run without `--apytest-lint` never pays for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the engine is loaded only when linting
    from apytest.lint.api import Finding


class LintSummary:
    """Paths to lint, then the findings (or the engine's error) to show."""

    def __init__(self, rootdir: Path, strict: bool) -> None:
        self.rootdir = rootdir
        self.strict = strict
        self.paths: set[Path] = set()
        self.findings: list[Finding] = []
        self.error: str | None = None

    def add_nodeids(self, nodeids: Iterable[str]) -> None:
        """Remember the Python files of these node ids (relative to rootdir, as pytest has them)."""
        for nodeid in nodeids:
            path = self.rootdir / nodeid.split("::", 1)[0]
            if path.suffix == ".py":
                self.paths.add(path)

    def run(self) -> bool:
        """Lint the remembered files; True when the session must fail (strict, not clean)."""
        return self._lint() and self.strict

    def _lint(self) -> bool:
        """True when there is anything to report: findings, or an engine error."""
        if not self.paths:
            # The engine would lint the whole project instead: nothing ran, nothing to lint.
            return False
        from apytest.lint.api import LintError, lint

        try:
            result = lint(sorted(self.paths), root=self.rootdir)
        except LintError as error:
            self.error = str(error)
            return True
        except Exception as error:  # a broken linter must not break the test run
            self.error = f"apytest-lint failed: {type(error).__name__}: {error}"
            return True
        self.findings = list(result.findings)
        if result.errors:  # a rule that raised on a file: named, as apytest-lint does
            self.error = "; ".join(result.errors)
        return bool(self.findings) or self.error is not None

    def show(self, terminal: pytest.TerminalReporter) -> None:
        terminal.write_sep("=", "apytest-lint")
        for finding in self.findings:
            terminal.write_line(finding.format())
        if self.error is not None:
            terminal.write_line(f"apytest-lint: error: {self.error}", red=True)
        else:
            count, files = len(self.findings), len(self.paths)
            # As apytest-lint's own closing line: the files with findings, of the files read.
            where = f"{len({f.path for f in self.findings})} of " if count else ""
            terminal.write_line(
                f"apytest-lint: {count} finding{'s' * (count != 1)} "
                f"in {where}{files} file{'s' * (files != 1)}",
                red=bool(count),
                green=not count,
            )
        if self.strict and (self.findings or self.error is not None):
            terminal.write_line("apytest-lint: strict: this fails the session", red=True)
