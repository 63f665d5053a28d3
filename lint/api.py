"""The linter's Python API, for the plugin and the feedback loop.

``lint(paths)`` runs apytest-lint as the CLI would and returns its findings; configuration and
usage problems raise :class:`LintError` with a message for humans.
"""

from __future__ import annotations

from apytest.lint.errors import LintError
from apytest.lint.runner import LintResult
from apytest.lint.runner import run_lint as lint
from apytest.rules.api import Finding

__all__ = ["Finding", "LintError", "LintResult", "lint"]
