"""The linter's door for the layers above it: the plugin and the feedback loop import nothing
else of `lint/` or `rules/` (tests/architecture/test_import_layers.py enforces it).

``lint(paths)`` runs apytest-lint as the CLI would and returns its findings; configuration and
usage problems raise :class:`LintError` with a message for humans. A rule's lesson and the
project's dependency model are here too, for the review.

Callers import it when they need the linter (a run with ``--apytest-lint``, a failure that names
a module), never at session end regardless; the engine, the project model and the dependency
tables load only when a function that needs them is called.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from apytest.lint.errors import LintError
from apytest.rules.api import DependencyModel, Finding, printable
from apytest.rules.support.plugins import Kind as PluginKind

if TYPE_CHECKING:
    from apytest.lint.runner import LintResult

__all__ = [
    "DependencyModel",
    "Finding",
    "LintError",
    "LintResult",
    "PluginKind",
    "dependency_model",
    "distribution_of",
    "lint",
    "loose_providers",
    "plugins_owning",
    "printable",
    "rule_lesson",
]


def lint(paths: Sequence[Path], *, root: Path | None = None) -> LintResult:
    """Lint ``paths`` (or the project's test paths) of the project found at ``root`` or above,
    with the project's configuration and the cache, as ``apytest-lint`` would."""
    from apytest.lint.runner import run_lint

    return run_lint(paths, root=root)


def rule_lesson(code: str) -> str | None:
    """The lesson anchor of the rule with this code; None for a code apytest does not have."""
    from apytest.rules import RULES_BY_CODE

    rule = RULES_BY_CODE.get(code)
    return None if rule is None else rule.lesson


def plugins_owning(kind: PluginKind, name: str) -> tuple[str, ...]:
    """The plugins that register ``name`` (a marker, an option, an ini key, a ``-p`` plugin):
    the table the startup rules use."""
    from apytest.rules.support.plugins import plugin_table

    return plugin_table().plugins_owning(kind, name)


def plugins_before_pytest(kind: PluginKind, name: str) -> tuple[tuple[str, ...], str]:
    """The plugins that registered ``name`` before pytest had it built in (pytest-subtests'
    ``subtests`` fixture, pytest's own since 9), with the pytest version of the table that has
    it; no plugins when the table's pytest does not have it built in."""
    from apytest.rules.support.plugins import plugin_table

    table = plugin_table()
    former = table.owners[kind].get(name, ()) if name in table.builtin[kind] else ()
    return former, table.pytest_version


def pytester_fixture(name: str) -> bool:
    """Whether ``name`` is a fixture of pytest's own ``pytester`` plugin (``pytester``,
    ``testdir``), which pytest does not load unless the suite enables it."""
    from apytest.rules.apt202_fixture_name_clash import PYTESTER_FIXTURES

    return name in PYTESTER_FIXTURES


def dependency_model(root: Path, files: Sequence[str]) -> DependencyModel:
    """What the project found at ``root`` declares, as APT101/APT102 read it for ``files``
    (project-relative test files); :class:`LintError` when its configuration cannot be read."""
    from apytest.lint.dependencies import load_dependencies
    from apytest.lint.project import find_project

    return load_dependencies(find_project(root), files)


def distribution_of(
    module: str, installed: Mapping[str, Sequence[str]], declared: frozenset[str]
) -> str:
    """The canonical name of the distribution that provides ``module`` (a dotted import): a
    declared candidate when there is one, else the likeliest (the rules' import-name table,
    then the installed metadata, then the import name itself)."""
    from apytest.rules.support.distributions import candidate_distributions, likely_distribution

    chosen = sorted(candidate_distributions(module, installed) & declared)
    return chosen[0] if chosen else likely_distribution(module, installed)


def loose_providers(module: str, declared: frozenset[str]) -> tuple[str, ...]:
    """The ``declared`` distributions that may provide ``module`` though neither the import-name
    table nor the names say so (``railroad-diagrams`` for ``railroad``): APT102's reason to stay
    silent, the review's "may provide"."""
    from apytest.rules.support.distributions import loosely_provides

    top = module.partition(".")[0]
    return tuple(sorted(name for name in declared if loosely_provides(top, name)))
