"""APT301: a requirement without a version bound (off unless selected)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from packaging.specifiers import SpecifierSet

from apytest.rules.api import (
    DeclaredDependency,
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
        # AR1: an optional dependency two Poetry extras name is one requirement, reported once
        # (tests/rules/test_dependencies_rules.py counts the findings)
        Example(
            """
            [tool.poetry.dependencies]
            python = "^3.8"
            sphinx = { version = "*", optional = true }

            [tool.poetry.extras]
            dev = ["sphinx"]
            docs = ["sphinx"]
            """,
            path="pyproject.toml",
            line=3,
        ),
        # AR1's near miss: the same name written twice, at two places, is two requirements
        Example(
            """
            [project]
            name = 'demo'

            [project.optional-dependencies]
            dev = ['sphinx']
            docs = ['sphinx']
            """,
            path="pyproject.toml",
            line=6,
        ),
    )

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        policy = str(ctx.options["pin-policy"])
        for declared in cls._written_once(ctx):
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

    @staticmethod
    def _written_once(ctx: ProjectContext) -> Iterator[DeclaredDependency]:
        """Each requirement as written, once (AR1): a Poetry optional dependency that two
        ``[tool.poetry.extras]`` name is declared in both extras from one line of
        ``[tool.poetry.dependencies]``, and one unbounded text is one thing to bound."""
        seen: set[tuple[str, int, int, str]] = set()
        for declared in ctx.model.dependencies.declared:
            place = (declared.path, declared.line, declared.col, declared.requirement)
            if place not in seen:
                seen.add(place)
                yield declared
