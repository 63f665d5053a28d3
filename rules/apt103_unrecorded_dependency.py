"""APT103: declarations and ``dependency_registry.md`` rows that do not match."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from apytest.rules.api import (
    DeclaredDependency,
    Example,
    Finding,
    Option,
    ProjectContext,
    ProjectRule,
)


class UnrecordedDependency(ProjectRule):
    """A declared dependency without a row in the registry, or a row for an undeclared one.

    Silent when the project keeps no registry, unless ``require-registry`` is set.

    ## Why is this bad?
    ``dependency_registry.md`` says why each dependency is there, who owns it and what bounds it
    needs; a package declared without a row is one nobody can later explain or safely upgrade,
    and a row for a package no longer declared misleads.
    """

    code = "APT103"
    name = "unrecorded-dependency"
    lesson = "dependency-registration"
    summary = "declared dependency missing from dependency_registry.md, or recorded but undeclared"
    options: ClassVar[Mapping[str, Option]] = {
        "registry": Option(str, "dependency_registry.md", "the registry file, from the root"),
        "require-registry": Option(
            bool, False, "report every declared dependency when the registry file is missing"
        ),
    }
    REGISTRY = "| package | why |\n| --- | --- |\n| requests | HTTP client |\n"
    VALID = (
        Example(
            REGISTRY,
            path="dependency_registry.md",
            files={
                "pyproject.toml": """
                [project]
                name = 'demo'
                dependencies = ['Requests>=2']
                """
            },
        ),
        Example(
            """
            [project]
            name = 'demo'
            dependencies = ['requests>=2']
            """,
            path="pyproject.toml",
        ),
    )
    INVALID = (
        Example(
            """
            [project]
            name = 'demo'
            dependencies = [
                'requests>=2',
                'idna>=3',
            ]
            """,
            path="pyproject.toml",
            files={"dependency_registry.md": REGISTRY},
            line=5,
        ),
        Example(
            REGISTRY + "| six | gone |\n",
            path="dependency_registry.md",
            files={
                "pyproject.toml": """
                [project]
                name = 'demo'
                dependencies = ['requests']
                """
            },
            line=4,
        ),
        Example("requests>=2\n", path="requirements.txt", files={"dependency_registry.md": ""}),
    )

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        model = ctx.model.dependencies
        first: dict[str, DeclaredDependency] = {}
        for declared in model.declared:
            first.setdefault(declared.name, declared)
        if model.registry_path is None:
            if ctx.options.get("require-registry"):
                for declared in first.values():
                    yield cls._at(declared, f"no {ctx.options.get('registry')} records it")
            return
        recorded = {row.name for row in model.registry}
        for name, declared in first.items():
            if name not in recorded:
                yield cls._at(declared, f"has no row in {model.registry_path}; add one")
        for row in model.registry:
            if row.name not in first and row.name != model.project_name:
                yield Finding(
                    model.registry_path,
                    row.line,
                    1,
                    cls.code,
                    f"'{row.name}' is recorded but no longer declared; remove the row",
                )

    @classmethod
    def _at(cls, declared: DeclaredDependency, why: str) -> Finding:
        return Finding(
            declared.path,
            declared.line,
            declared.col,
            cls.code,
            f"dependency '{declared.name}' is declared but {why}",
        )
