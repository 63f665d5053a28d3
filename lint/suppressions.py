"""Warnings about suppression comments: codes apytest does not know, and codes never used.

Like ruff's RUF100, but warnings on stderr rather than findings: a finding code would need a
lesson, and a stale comment breaks no suite. A code counts as unused only when its rule is a
file rule that ran: a file rule's findings on a file depend on that file alone, while a project
rule's (module-name clashes, dependencies) depend on which paths this run linted. Blanket
comments are not reported as unused (`# noqa` is shared with flake8 and ruff).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from apytest.lint.source import Suppressions
from apytest.rules import RULES_BY_CODE, Rule
from apytest.rules.api import FileRule


def suppression_warnings(
    suppressions: Mapping[str, Suppressions],
    used: Collection[tuple[str, int, str]],
    rules: Sequence[type[Rule]],
) -> list[str]:
    """One line per unknown or unused code: ``path:line: ...``, in path and line order."""
    checked = {rule.code for rule in rules if issubclass(rule, FileRule)}
    warnings: list[str] = []
    for path in sorted(suppressions):
        for line, suppression in sorted(suppressions[path].items()):
            for code in sorted(suppression.codes or ()):
                if code not in RULES_BY_CODE:
                    warnings.append(
                        f"{path}:{line}: unknown rule code '{code}' in a suppression comment"
                    )
                elif code in checked and (path, line, code) not in used:
                    warnings.append(
                        f"{path}:{line}: unused suppression of {code} (no {code} finding on "
                        "this line)"
                    )
    return warnings
