"""What the project declares about the packages a run's failures name, for the review.

The dependency model is apytest-lint's (through `apytest.lint.api`), so the feedback loop and
APT101/APT102 always agree on which extra or group declares a package. It is read only when a
failure names a module: a green run never pays for parsing pyproject.toml or asking the
installed metadata.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from apytest.common.versions import installed_version
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
    from apytest.lint.api import LintError, dependency_model, distribution_of

    files = sorted({path for f in failures if (path := f.nodeid.split("::", 1)[0]).endswith(".py")})
    try:
        model = dependency_model(root, files)
    except (LintError, OSError, ValueError):
        return ProjectFacts()
    declared_names = frozenset(d.name for d in model.declared)
    distributions = {
        module: (distribution_of(module, model.installed, declared_names),) for module in modules
    }
    return ProjectFacts(
        declared=tuple(Declared(d.name, d.section, d.specifier) for d in model.declared),
        distributions=distributions,
        versions={
            name: version
            for (name,) in distributions.values()
            if (version := installed_version(name)) is not None
        },
        first_party=model.first_party,
    )
