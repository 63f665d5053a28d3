"""What the fixtures a test requests make sure of: the packages they ``importorskip`` (installed
whenever the test runs), whether they ``monkeypatch.chdir`` (the working directory comes back
after the test), and which fixtures are set up around it (APT204: one that restores the
environment after its ``yield`` undoes the test's change).

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

from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import TypeAlias

from apytest.rules.api import FixtureFact, ProjectContext
from apytest.rules.support.astutil import CHDIR_FIXTURES, PYTEST_FIXTURES
from apytest.rules.support.plugins import plugin_table

Table: TypeAlias = tuple[str, dict[str, list[FixtureFact]]]
"""A file's path, and its fixture definitions by name."""
Reached: TypeAlias = tuple[str, str | FixtureFact]
"""A fixture set up for a test: the file defining it and its definition, or ``("", name)`` for
one defined in no linted file pytest searches (pytest's own, a plugin's)."""


class FixtureGuards:
    """The packages that the fixtures requested from a file make sure of, transitively."""

    def __init__(self, ctx: ProjectContext) -> None:
        self.by_file: dict[str, dict[str, list[FixtureFact]]] = {}
        self.conftests: dict[str, str] = {}
        """Folder -> the path of its conftest."""
        self.generated: set[str] = set()
        """Argument names the project's ``pytest_generate_tests`` hooks parametrize."""
        for source, facts in ctx.files:
            self.generated.update(facts.generated_arguments)
            named: dict[str, list[FixtureFact]] = {}
            for fixture in facts.fixtures:
                named.setdefault(fixture.name, []).append(fixture)
            self.by_file[source.path] = named
            if source.kind == "conftest":
                self.conftests[source.path.rpartition("/")[0]] = source.path
        self.names_imported: dict[str, set[str]] = {}
        """File -> the names it imports by name from any module (``*`` for a star import)."""
        for source, facts in ctx.files:
            for imported in facts.name_imports:
                self.names_imported.setdefault(source.path, set()).update(imported.names)
        self.imported: dict[str, list[Table]] = {}
        """File -> the fixtures it imports by name from other linted modules, with their file."""
        for source, facts in ctx.files:
            own = self.by_file[source.path]
            for imported in facts.name_imports:
                where = self._module_file(source.path, imported.module)
                table = self.by_file.get(where, {}) if where else {}
                names = {
                    name: [f for f in table.get(name, ()) if not f.container]
                    for name in imported.names
                    if name not in own
                }
                names = {name: found for name, found in names.items() if found}
                if where and names:
                    self.imported.setdefault(source.path, []).append((where, names))

    def _module_file(self, path: str, module: str) -> str | None:
        """The linted file that ``from module import ...`` in ``path`` reads, if one is: a
        relative module against the folder of ``path``, an absolute one as a path of the
        project, or as the tail of one (the folder holding its top package is on ``sys.path``).
        A fixture imported by name is the importing module's own: pytest collects it there."""
        if not module.strip("."):
            return None
        dots = len(module) - len(module.lstrip("."))
        parts = module.lstrip(".").split(".")
        if dots:
            folders = path.split("/")[:-1]
            if dots - 1 > len(folders):
                return None
            base = folders[: len(folders) - (dots - 1)]
            wanted = "/".join([*base, *parts]) + ".py"
            return wanted if wanted in self.by_file else None
        found = self._by_tail.get("/".join(parts) + ".py", [])
        return found[0] if len(found) == 1 else None

    @cached_property
    def _by_tail(self) -> dict[str, list[str]]:
        """Each tail of the linted files' paths (``c.py``, ``b/c.py``, ``a/b/c.py`` for
        ``a/b/c.py``) -> the files ending so: asked once per ``from ... import`` of the suite,
        which a scan of every file made quadratic (pandas' tests: 2,000 imports, 1,000 files)."""
        found: dict[str, list[str]] = {}
        for path in self.by_file:
            parts = path.split("/")
            for start in range(len(parts)):
                found.setdefault("/".join(parts[start:]), []).append(path)
        return found

    def _conftests_over(self, path: str) -> list[str]:
        """The conftests pytest reads for a test in ``path``, nearest first."""
        folders = path.split("/")[:-1]
        found = []
        for depth in range(len(folders), -1, -1):
            conftest = self.conftests.get("/".join(folders[:depth]))
            if conftest is not None and conftest != path:
                found.append(conftest)
        return found

    def _visible(self, path: str) -> list[Table]:
        """The fixture tables pytest searches for a test in ``path``, nearest first."""
        tables = [(path, self.by_file.get(path, {})), *self.imported.get(path, ())]
        for conftest in self._conftests_over(path):
            tables.append((conftest, self.by_file.get(conftest, {})))
            tables.extend(self.imported.get(conftest, ()))
        return tables

    def _reached(self, tables: Sequence[Table], requests: Sequence[str]) -> Iterator[Reached]:
        """Every fixture that requesting ``requests`` sets up, transitively: each definition
        found in ``tables`` with its file, and the name of each one defined in none of them
        (pytest's own)."""
        seen: set[str] = set()
        pending = list(requests)
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            found = [(where, f) for where, table in tables for f in table.get(name, ())]
            if not found:
                yield "", name
            for where, fixture in found:
                yield where, fixture
                pending.extend(fixture.requests)

    @staticmethod
    def _conftest_autouse(tables: Sequence[Table]) -> list[str]:
        """The autouse fixtures of the conftests over a file (its own are named by the file
        stage, which knows the class they apply to)."""
        return [
            fixture.name
            for _, table in tables[1:]
            for fixtures in table.values()
            for fixture in fixtures
            if fixture.autouse
        ]

    def set_up(self, path: str, requests: Sequence[str]) -> Iterator[tuple[str, FixtureFact]]:
        """Every fixture definition set up around test code in ``path`` that requests
        ``requests`` (the autouse ones of its file among them), with the file that defines it:
        those it requests, the autouse ones of the conftests over it, and the fixtures those
        request. Each is set up before that code runs and torn down after it."""
        tables = self._visible(path)
        for where, fixture in self._reached(tables, [*requests, *self._conftest_autouse(tables)]):
            if isinstance(fixture, FixtureFact):
                yield where, fixture

    def assured(self, path: str, requests: Sequence[str]) -> frozenset[str]:
        """Top-level packages installed whenever code requesting ``requests`` in ``path`` runs."""
        if not requests:
            return frozenset()
        reached = self._reached(self._visible(path), requests)
        return frozenset(
            package
            for _, fixture in reached
            if isinstance(fixture, FixtureFact)
            for package in fixture.assured
        )

    def undefined(self, path: str, requests: Sequence[str]) -> set[str]:
        """The fixtures that test code in ``path`` requesting ``requests`` sets up, directly or
        through the fixtures it requests, that no linted file pytest searches for it defines:
        pytest's own, a plugin's, or one a conftest imports from a module that is not linted."""
        reached = self._reached(self._visible(path), requests)
        return {fixture for _, fixture in reached if isinstance(fixture, str)}

    def unknown(self, path: str, requests: Sequence[str]) -> set[str]:
        """The fixtures among `undefined` that nothing apytest-lint knows defines: neither
        pytest's, nor a plugin's of its table. Test code requesting one errors at its setup in
        the project as linted (a conftest the sdist does not ship), or gets it from code not
        read, which may move the test into a temporary folder or restore what it changes. A
        name the file or a conftest over it imports by name is no unknown one."""
        table = plugin_table()
        if "*" in self.generated:
            return set()  # a hook parametrizes names not written literally: any may be one
        # A fixture the test module or a conftest over it imports by name exists (ccdproc's
        # conftest imports `triage_setup` from tests/pytest_fixtures.py): known, if not read.
        imported = set().union(
            *(self.names_imported.get(f, ()) for f in (path, *self._conftests_over(path)))
        )
        return {
            name
            for name in self.undefined(path, requests) - self.generated - imported
            if name not in PYTEST_FIXTURES
            and name not in ("self", "cls", "request")
            and name not in table.builtin["fixture"]
            and not table.owners["fixture"].get(name)
        }

    def restores_cwd(self, path: str, requests: Sequence[str]) -> bool:
        """Whether test code in ``path`` requesting ``requests`` (or an autouse fixture of a
        conftest over it) sets up a fixture that calls ``monkeypatch.chdir``, or pytest's
        ``pytester``/``testdir``: either puts back, after the test, the working directory from
        before it, so an ``os.chdir`` the test makes afterwards does not outlive it."""
        tables = self._visible(path)
        return any(
            fixture in CHDIR_FIXTURES if isinstance(fixture, str) else fixture.monkeypatches_cwd
            for _, fixture in self._reached(tables, [*requests, *self._conftest_autouse(tables)])
        )


def fixture_guards(ctx: ProjectContext) -> FixtureGuards:
    """The run's ``FixtureGuards``, built once: APT203, APT204, APT205, the import judgements
    and the gate of APT405/APT406 all read the same tables."""
    guards: FixtureGuards | None = ctx.memo.get("fixture_guards")
    if guards is None:
        guards = ctx.memo["fixture_guards"] = FixtureGuards(ctx)
    return guards
