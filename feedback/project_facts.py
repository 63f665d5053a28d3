"""What the project declares about the packages a run's failures name, for the review.

The dependency model is apytest-lint's (`apytest.lint.dependencies`), so the feedback loop and
APT101/APT102 always agree on which extra or group declares a package. It is read only when a
failure names a module: a green run never pays for parsing pyproject.toml or asking the
installed metadata.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Sequence
from pathlib import Path

from apytest.feedback.crown_prompt_orchestrator import named_modules
from apytest.feedback.records import Declared, Failure, ProjectFacts


def project_facts(root: Path, failures: Sequence[Failure]) -> ProjectFacts:
    """Declarations, distributions and installed versions for the modules `failures` name.

    An unreadable project (a broken pyproject.toml) gives empty facts: the review then says
    "declared nowhere" less often, but the run is still reviewed.
    """
    modules = named_modules(failures)
    if not modules:
        return ProjectFacts()
    from apytest.lint.dependencies import load_dependencies
    from apytest.lint.errors import LintError
    from apytest.lint.project import find_project
    from apytest.rules.support.distributions import candidate_distributions, likely_distribution

    files = sorted({path for f in failures if (path := f.nodeid.split("::", 1)[0]).endswith(".py")})
    try:
        model = load_dependencies(find_project(root), files)
    except (LintError, OSError, ValueError):
        return ProjectFacts()
    declared_names = {d.name for d in model.declared}
    distributions: dict[str, tuple[str, ...]] = {}
    for module in modules:
        candidates = candidate_distributions(module, model.installed)
        chosen = sorted(candidates & declared_names) or [
            likely_distribution(module, model.installed)
        ]
        distributions[module] = (chosen[0],)
    return ProjectFacts(
        declared=tuple(Declared(d.name, d.section, d.specifier) for d in model.declared),
        distributions=distributions,
        versions={
            name: version
            for (name,) in distributions.values()
            if (version := _version(name)) is not None
        },
        first_party=model.first_party,
    )


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
