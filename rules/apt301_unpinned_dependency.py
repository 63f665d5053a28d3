"""APT301: a requirement without a version bound (off unless selected)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from packaging.specifiers import SpecifierSet

from apytest.rules.api import (
    Example,
    Finding,
    Option,
    ProjectContext,
    ProjectRule,
)

PIN_POLICIES = ("any-bound", "pinned")


def is_bounded(specifier: str, policy: str) -> bool:
    """Whether a specifier meets the policy: any bound (``!=`` alone is none), or ``==``."""
    specs = list(SpecifierSet(specifier))
    if policy == "pinned":
        return len(specs) == 1 and (
            specs[0].operator == "==="
            or (specs[0].operator == "==" and "*" not in specs[0].version)
        )
    return any(spec.operator != "!=" for spec in specs)


class UnpinnedDependency(ProjectRule):
    """A requirement without a version bound.

    With ``pin-policy = "any-bound"`` any bound satisfies the rule (``x>=1.2,<2``); with
    ``"pinned"`` only an exact ``==`` pin or a direct reference does, as applications with
    lock-style requirement files want. Off unless selected.

    ## Why is this bad?
    An unbounded requirement installs whatever was released last: a new major version can break
    the suite overnight with no change in the project.
    """

    code = "APT301"
    name = "unpinned-dependency"
    lesson = "version-pinning"
    summary = "a requirement with no version bound"
    default_enabled = False
    options: ClassVar[Mapping[str, Option]] = {
        "pin-policy": Option(
            str,
            "any-bound",
            "'any-bound' (any version bound) or 'pinned' (exact == pins)",
            choices=PIN_POLICIES,
        ),
    }
    VALID = (
        Example(
            """
            [project]
            name = 'demo'
            dependencies = ['requests>=2,<3', 'idna @ https://x/i.whl']
            """,
            path="pyproject.toml",
        ),
        Example(
            """
            -r base.txt
            requests==2.32.3
            """,
            path="requirements.txt",
            files={"base.txt": ""},
        ),
    )
    INVALID = (
        Example(
            """
            [project]
            name = 'demo'
            dependencies = [
                'requests',
            ]
            """,
            path="pyproject.toml",
            line=4,
        ),
        Example(
            """
            pytest>=8
            hypothesis
            """,
            path="requirements-dev.txt",
            line=2,
        ),
        Example(
            """
            [dependency-groups]
            test = ['pytest!=8.0']
            """,
            path="pyproject.toml",
            line=2,
        ),
        Example(  # AS3: the name also in [project] keywords, above dependencies: its own line
            """
            [project]
            name = 'demo'
            keywords = ['prefect', 'submitit']
            dependencies = [
                'prefect>=3.6,<4.0',
                'submitit',
            ]
            """,
            path="pyproject.toml",
            line=6,
        ),
        Example(  # AS3's near miss: dependencies written above keywords keep their line
            """
            [project]
            name = 'demo'
            dependencies = ['submitit']
            keywords = ['submitit']
            """,
            path="pyproject.toml",
            line=3,
        ),
    )

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        policy = str(ctx.options["pin-policy"])
        for declared in ctx.model.dependencies.declared:
            if declared.url or is_bounded(declared.specifier, policy):
                continue
            need = "exact == pin" if policy == "pinned" else "version bound"
            yield Finding(
                declared.path,
                declared.line,
                declared.col,
                cls.code,
                f"'{declared.requirement}' has no {need}: a new release can break the suite "
                "without any change here",
            )
