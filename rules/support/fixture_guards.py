"""What the fixtures a test requests ``importorskip``: installed whenever the test runs.

pytest sets up every fixture a test requests before the test's body runs, and the fixtures
those request before them; one that calls ``pytest.importorskip("boto3")`` skips the test where
boto3 is missing. So an ``import botocore`` inside a test that requests it (or a fixture that
requests it) cannot fail on botocore alone, when boto3 requires it. pandas' ``s3_resource``
fixture imports boto3 after requesting ``s3_base``, which importorskips it.

A fixture name is looked up where pytest would find it for the test: its own module, then the
conftests of its folder and every folder above. When a name has several definitions there
(overrides, a class fixture of that name), all of them count: precision first, the rule stays
silent rather than guess which one pytest picks.
"""

from __future__ import annotations

from collections.abc import Sequence

from apytest.rules.api import FixtureFact, ProjectContext


class FixtureGuards:
    """The packages that the fixtures requested from a file make sure of, transitively."""

    def __init__(self, ctx: ProjectContext) -> None:
        self.by_file: dict[str, dict[str, list[FixtureFact]]] = {}
        self.conftests: dict[str, str] = {}
        """Folder -> the path of its conftest."""
        for source, facts in ctx.files:
            named: dict[str, list[FixtureFact]] = {}
            for fixture in facts.fixtures:
                named.setdefault(fixture.name, []).append(fixture)
            self.by_file[source.path] = named
            if source.kind == "conftest":
                self.conftests[source.path.rpartition("/")[0]] = source.path

    def _visible(self, path: str) -> list[dict[str, list[FixtureFact]]]:
        """The fixture tables pytest searches for a test in ``path``, nearest first."""
        folders = path.split("/")[:-1]
        tables = [self.by_file.get(path, {})]
        for depth in range(len(folders), -1, -1):
            conftest = self.conftests.get("/".join(folders[:depth]))
            if conftest is not None and conftest != path:
                tables.append(self.by_file.get(conftest, {}))
        return tables

    def assured(self, path: str, requests: Sequence[str]) -> frozenset[str]:
        """Top-level packages installed whenever code requesting ``requests`` in ``path`` runs."""
        if not requests:
            return frozenset()
        tables = self._visible(path)
        found: set[str] = set()
        seen: set[str] = set()
        pending = list(requests)
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            for table in tables:
                for fixture in table.get(name, ()):
                    found.update(fixture.assured)
                    pending.extend(fixture.requests)
        return frozenset(found)
