"""Where a test suite's imports come from, against what the project declares (APT101-APT104).

The dependency rules and the startup rules (APT4xx) ask the same questions of the same
declarations: :class:`DependencyIndex` answers them, :func:`judged_imports` lists the imports
any rule judges, and :func:`chain_culprit` follows a test module's import of a project module
to the third-party import that would fail it.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Literal

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from apytest.rules.api import (
    ANY_PACKAGE,
    CollectIgnoreFact,
    DeclaredDependency,
    DependencyModel,
    FileFacts,
    Finding,
    ImportFact,
    ProjectContext,
    ProjectModel,
)
from apytest.rules.support.astutil import MISSING_MODULE_ERROR
from apytest.rules.support.distributions import (
    RUNNER_DISTRIBUTIONS,
    affix_matches,
    brought_by,
    candidate_distributions,
    extra_requirements,
    guessable,
    hard_dependencies,
    is_stdlib,
    likely_distribution,
    loosely_provides,
    sometimes_required,
    with_requirements,
)
from apytest.rules.support.fixture_guards import fixture_guards

Origin = Literal[
    "stdlib", "runner", "first-party", "required", "optional", "uncertain", "recorded", "undeclared"
]

DEFAULT_TEST_EXTRAS = ["test", "tests", "testing", "dev"]
DEVELOPMENT_NAMES = frozenset({"dev"})
"""Default test-section names that say "development" rather than "tests": such a section
often holds the tests' packages, but may hold only the tools around them (nox, pre-commit)."""
PLAIN_REQUIREMENTS = frozenset({"requirements", "requirement", "reqs", "txt", "in"})
TEST_FOLDERS = frozenset({"tests", "test", "testing"})
TESTS_REQUIRE = "tests_require:setup"
"""The section of ``setup(tests_require=[...])`` (``rules.api``'s section names)."""
CI_WORDS = frozenset({"ci"})
"""A requirements file named for CI (``requirements-ci.txt``) that declares pytest is the
environment CI runs the tests in (ZB7: inklet's, compiled from its ``dev`` and image extras),
a test requirements file whatever the test extras are called."""


TEST_REQUIREMENT_FOLDERS = frozenset({"tests/requirements"})
"""CN2: the test folder's own requirements folder, whose files (``base.txt``,
``dj42_cms41.txt``, one per tox environment) are installed with the tests whatever their
names."""
REQUIREMENT_WORDS = frozenset({"requirements", "requirement", "reqs"})
"""CP1: a requirements file directly in the test folder, whatever else its name says
(``tests/requirements.latest.txt``, ``tests/requirements.oldest.txt``, one per tox factor),
is installed with the tests by where it is, as ``tests/requirements.txt`` is."""


def sections_label(sections: Sequence[str]) -> str:
    return ", ".join(sorted({s.replace(":", " '", 1) + "'" for s in sections}))


@dataclass(frozen=True)
class Resolution:
    """Where an imported module comes from, and the declarations that cover it."""

    origin: Origin
    distribution: str
    declarations: tuple[DeclaredDependency, ...] = ()

    @property
    def brought_only(self) -> bool:
        """Whether no declaration names the distribution itself: an optional one only an
        extra's requirements install (SA2: an extra's ``mongoengine`` brings ``pymongo``)."""
        return all(canonicalize_name(d.name) != self.distribution for d in self.declarations)


def pins_one_release(specifier: str) -> bool:
    """Whether a version specifier allows one release only (``==2.2.3``, ``===1.0``; not
    ``==2.*``): APT301's ``pinned`` policy, and DU1's requirement the tables may not know."""
    try:
        specs = list(SpecifierSet(specifier))
    except InvalidSpecifier:
        return False
    return any(
        s.operator == "===" or (s.operator == "==" and not s.version.endswith("*")) for s in specs
    )


class DependencyIndex:
    """Answers "where does this import come from?" for one project and its options.

    The answer never depends on what is installed where the linter runs: import names map to
    distributions through ``apytest.rules.support.distributions`` alone.
    """

    def __init__(
        self,
        model: DependencyModel,
        test_extras: Sequence[str],
        runner_modules: Iterable[str] = (),
        runner_distributions: Iterable[str] = (),
    ) -> None:
        self.model = model
        self.test_names = frozenset(canonicalize_name(name) for name in test_extras)
        self.by_name: dict[str, list[DeclaredDependency]] = {}
        for declared in model.declared:
            self.by_name.setdefault(declared.name, []).append(declared)
        self.recorded = frozenset(row.name for row in model.registry)
        self.runner_modules = frozenset(name.partition(".")[0] for name in runner_modules)
        self.runner_distributions = RUNNER_DISTRIBUTIONS | {
            canonicalize_name(name) for name in runner_distributions
        }
        self.resolved: dict[str, Resolution] = {}

    def is_test_section(self, section: str) -> bool:
        return self._named_test_section(section) or section in self.runner_sections

    def _named_test_section(self, section: str) -> bool:
        """Installed with the tests by its name (``test-extras``, a test requirements file)
        or by its tool (a tox test env, Poetry's dev group), or the runtime itself."""
        kind, _, name = section.partition(":")
        if kind == "dependencies" or section in self.model.test_sections:
            return True
        folder, _, stem = name.rpartition("/")
        words = {canonicalize_name(w) for w in re.split(r"[^A-Za-z0-9]+", stem) if w}
        if kind in ("extra", "group"):
            # DL1: an extra or group naming a test word among others that declares pytest
            # (kedro-datasets' ``experimental_test``, the environment of a second suite)
            return name in self.test_names or (
                bool(words & self.test_names) and section in self._declaring_pytest
            )
        return (
            folder in TEST_REQUIREMENT_FOLDERS
            or words <= PLAIN_REQUIREMENTS
            or (folder.rpartition("/")[2] in TEST_FOLDERS and bool(words & REQUIREMENT_WORDS))
            or bool(words & self.test_names)
            or (bool(words & CI_WORDS) and section in self._declaring_pytest)
        )

    @cached_property
    def _declaring_pytest(self) -> frozenset[str]:
        return frozenset(d.section for d in self.by_name.get("pytest", ()))

    @cached_property
    def runner_sections(self) -> frozenset[str]:
        """The extras and groups that declare pytest, when no other section is installed with
        the tests: pytest runs no suite it is not installed for, so where the project declares
        it is where it declares its test environment, whatever the name (idna's extra ``all``
        holds pytest and hypothesis; so may a ``build-requirements.txt``). Never
        when a section is a test section by name or tool (except a ``dev`` one of tools only,
        see :meth:`_tools_only`), nor when the runtime (or a plain
        ``requirements.txt``) requires pytest (a plugin's): then those install it."""
        sections = {d.section for d in self.model.declared} | set(self.model.includes)
        declaring = {d.section for d in self.by_name.get("pytest", ())}
        runtime = {"dependencies"} | {s for s in sections if self._plain_requirements(s)}
        if declaring & runtime or any(
            self._named_test_section(s)
            and not self._tools_only(s, declaring)
            and not self._legacy_runner_only(s, declaring)
            for s in sections
            if s not in runtime
        ):
            return frozenset()
        kinds = ("extra", "group", "requirements")
        return frozenset(s for s in declaring if s.partition(":")[0] in kinds)

    def _legacy_runner_only(self, section: str, declaring: set[str]) -> bool:
        """BJ4: ``setup(tests_require=["pytest"])``, naming nothing but the runner, while a
        requirements file declares pytest too (chemdataextractor2's
        ``requirements/development.txt``, with the tests' own packages). Only ``setup.py
        test`` ever read ``tests_require`` (setuptools removed the command in 72.0): the
        environment the tests run in is the file's, so that file declaring pytest stays a
        runner section. A ``tests_require`` that names any other package says where the tests'
        packages are, and still is the test section alone."""
        if section != TESTS_REQUIRE or section in self.model.includes:
            return False
        if not any(s.partition(":")[0] == "requirements" for s in declaring):
            return False
        names = {d.name for d in self.model.declared if d.section == section}
        return bool(names) and names <= self.runner_distributions

    def _tools_only(self, section: str, declaring: set[str]) -> bool:
        """An extra or group named ``dev`` that neither declares pytest nor includes a section
        that does, while another section declares it: the development tools around the tests
        (a ``dev`` group holding only nox, whose session installs the group that declares
        pytest), not where the tests' packages are declared. ``uv sync`` installs such a
        ``dev`` group by default, and pytest would not run there: it stays a test section, and
        the section declaring pytest becomes one too (YB2)."""
        kind, _, name = section.partition(":")
        if kind not in ("extra", "group") or name not in DEVELOPMENT_NAMES:
            return False
        if not declaring:
            return False
        pending, seen = [section], set()
        while pending:
            current = pending.pop()
            if current in declaring:
                return False
            if current not in seen:
                seen.add(current)
                pending.extend(self.model.includes.get(current, ()))
        return True

    def _plain_requirements(self, section: str) -> bool:
        """A plain ``requirements.txt`` outside a test folder that no tool names (at the root,
        in ``docs/``): a test section only as the runtime is (installed wherever the project
        runs), not one that says where the tests' own packages are declared: a
        ``requirements.txt`` listing the runtime while pytest and hypothesis are in
        ``build-requirements.txt``, the file CI installs for the tests."""
        kind, _, name = section.partition(":")
        if kind != "requirements" or section in self.model.test_sections:
            return False
        *folders, stem = name.split("/")
        if TEST_FOLDERS & set(folders):
            return False  # tests/requirements.txt is a test file by where it is
        words = {canonicalize_name(w) for w in re.split(r"[^A-Za-z0-9]+", stem) if w}
        return words <= PLAIN_REQUIREMENTS

    @cached_property
    def required_sections(self) -> frozenset[str]:
        """Sections installed wherever the suite runs: runtime, test extras, what they include."""
        sections = {d.section for d in self.model.declared} | set(self.model.includes)
        pending = [s for s in sections if self.is_test_section(s)]
        required: set[str] = set()
        while pending:
            section = pending.pop()
            if section not in required:
                required.add(section)
                pending.extend(self.model.includes.get(section, ()))
        return frozenset(required)

    @cached_property
    def declares_tests(self) -> bool:
        """Whether the project says what its tests install: a section besides the runtime is
        installed with the tests, or pytest itself is declared in one that is."""
        return any(section != "dependencies" for section in self.required_sections) or any(
            d.section in self.required_sections for d in self.by_name.get("pytest", ())
        )

    @cached_property
    def proves_undeclared(self) -> bool:
        """Whether "declared nowhere" means anything: every declaration could be read, and the
        project declares its test dependencies somewhere (else APT104 says so, once)."""
        return self.model.complete and self.declares_tests

    @cached_property
    def arriving(self) -> frozenset[str]:
        """Distributions installed with the required ones: what they and the extras they name
        require for certain."""
        pending = [d.name for d in self.model.declared if d.section in self.required_sections]
        pending.extend(self._known_extras_bring[0])
        found: set[str] = set(self._known_extras_bring[0])
        while pending:
            for name in hard_dependencies([pending.pop()]) or ():
                if name not in found:
                    found.add(name)
                    pending.append(name)
        return frozenset(found)

    @cached_property
    def may_arrive(self) -> frozenset[str]:
        """Distributions the required ones may install: what they require for certain or
        sometimes (``sometimes_required``: under an environment marker, or in recent releases),
        transitively. A test extra's ``mypy`` brings ``typing-extensions`` on every CPython,
        ``pytest-asyncio`` brings ``backports-asyncio-runner`` before Python 3.11: an import of
        one of them is not known to fail where the suite runs as declared. Requirements the
        table does not know bring nothing here (an unknown package is no proof either way; the
        optional and undeclared judgements keep their recall), unless the project's lock file
        records what they require (BC1: ``uv.lock`` says the declared accounts package brings
        ``django-allauth``); nor does pytest: what it requires only on older Pythons
        (exceptiongroup, tomli) is missing where most suites run."""
        pending = [d.name for d in self.model.declared if d.section in self.required_sections]
        pending.extend(self._known_extras_bring[0])
        found: set[str] = set()
        while pending:
            name = pending.pop()
            if name in found or name in self.runner_distributions:
                continue  # pytest's own (exceptiongroup, tomli before 3.11) are not counted
            found.add(name)
            pending.extend(hard_dependencies([name]) or ())
            pending.extend(sometimes_required(name))
            pending.extend(self.model.locked.get(name, ()))  # BC1: what the lock file brought
        return frozenset(found)

    @cached_property
    def _runtime_brings(self) -> frozenset[str] | None:
        """What the runtime requirements may install: what they require, for certain or
        sometimes (``sometimes_required``), and what that requires, transitively; None when one
        of them is not in the table of hard dependencies (it may bring anything), or is pinned
        to one release (``hier_config = "2.2.3"``): the table holds what the newest release
        requires, and an older one may require more (hier-config 2.x required PyYAML, DU1)."""
        runtime = [d for d in self.model.declared if d.section == "dependencies"]
        if any(pins_one_release(d.specifier) for d in runtime):
            return None
        pending = [d.name for d in runtime]
        found: set[str] = set()
        while pending:
            name = pending.pop()
            if name in found:
                continue
            found.add(name)
            required = hard_dependencies([name])
            if required is None:
                return None
            pending.extend(required | sometimes_required(name))
        return frozenset(found)

    @cached_property
    def _optional_brings(self) -> dict[str, tuple[DeclaredDependency, ...]]:
        """The distributions that optional declarations require for certain, transitively,
        each with the declarations bringing it (SA2): an extra's ``mongoengine`` installs
        ``pymongo``, so ``pymongo`` is declared as far as that extra goes, optional like
        the extra, not declared nowhere."""
        found: dict[str, list[DeclaredDependency]] = {}
        for declared in self.model.declared:
            if declared.section in self.required_sections:
                continue
            for name in with_requirements([declared.name]) - {declared.name}:
                found.setdefault(name, []).append(declared)
        return {name: tuple(declarations) for name, declarations in found.items()}

    @cached_property
    def sibling_may_bring(self) -> bool:
        """Whether a required requirement comes from ``[tool.uv.sources]`` outside a package
        index (a workspace member, a folder, git, a URL): its requirements are in a file this
        project does not hold, so an import no declaration names may come with it (VD1:
        kctl-gsc's ``click`` through its workspace sibling kctl-lib). Only APT102 asks: that
        the tests' own dependencies are declared nowhere (APT104) stays true."""
        sourced = self.model.sourced
        return bool(sourced) and any(
            d.name in sourced and d.section in self.required_sections for d in self.model.declared
        )

    def runtime_may_bring(self, distribution: str) -> bool:
        """Whether the runtime requirements may install ``distribution``. The project's own
        modules import what the runtime brings (a pelican plugin imports docutils, which
        pelican requires; pytest-rerunfailures imports exceptiongroup on the Pythons where
        pytest requires it): an import of theirs that no file declares is then not known to be
        missing. Unknown requirements, also among those of requirements, may bring anything."""
        brought = self._runtime_brings
        return brought is None or distribution in brought

    @cached_property
    def _direct_reference(self) -> bool:
        """Whether the tests install a direct reference (``name @ url``, a requirement file's
        ``git+https://host/org/repo.git#egg=name``): code from a place no table knows, whose
        top-level modules need not be named after it (``dbapi-compliance`` installs
        ``dbapi20``) and whose requirements are unknown, so an import no declaration names
        is not sure to be missing."""
        return any(d.url and d.section in self.required_sections for d in self.model.declared)

    @cached_property
    def extras(self) -> frozenset[str]:
        """Extras of declared requirements (``h5netcdf[h5py]``): each may bring a package of
        its name, in any section, so such an import is never judged."""
        names: set[str] = set()
        for declared in self.model.declared:
            try:
                names.update(canonicalize_name(e) for e in Requirement(declared.requirement).extras)
            except InvalidRequirement:
                continue
        return frozenset(names)

    @cached_property
    def _extras_bring(self) -> frozenset[str] | None:
        """What the extras named by requirements installed with the tests (``Twisted[tls]``)
        bring for certain; None when one of them is not in the table: an extra may install any
        package (twisted's ``tls`` brings service-identity and pyopenssl), so a package no
        section declares is then not known to be missing."""
        known, complete = self._known_extras_bring
        return known if complete else None

    @cached_property
    def _known_extras_bring(self) -> tuple[frozenset[str], bool]:
        """What the extras named by requirements installed with the tests bring as far as the
        table knows them, and whether it knows them all: a known extra's packages arrive even
        when another extra of the same section is unknown (``tablib[all]`` next to
        ``psycopg[binary]``)."""
        found: set[str] = set()
        complete = True
        for declared in self.model.declared:
            if declared.section not in self.required_sections:
                continue
            try:
                extras = Requirement(declared.requirement).extras
            except InvalidRequirement:
                continue
            for extra in extras:
                brought = extra_requirements(declared.name, extra)
                if brought is None:
                    complete = False
                    continue
                found |= brought
        return frozenset(found), complete

    def _maybe_runtime(self, declarations: Sequence[DeclaredDependency]) -> bool:
        """Whether a requirements file declares it while the runtime requirements could not be
        read: ``install_requires=install_requires()`` may read that very file (celery's
        ``requirements/default.txt``), so the package may be installed with the project. A
        conda environment file lists the runtime's packages too (conda installs them instead of
        pip: qtconsole's ``docs/environment.yml`` names qtpy, which its ``setup(**args)``
        requires, RZ4)."""
        return not self.model.runtime_known and any(
            d.section.startswith(("requirements:", "conda:")) for d in declarations
        )

    def resolve(self, module: str) -> Resolution:
        """Where ``module`` comes from; a suite imports the same modules thousands of times."""
        found = self.resolved.get(module)
        if found is None:
            found = self.resolved[module] = self._resolve(module)
        return found

    def _resolve(self, module: str) -> Resolution:
        top = module.partition(".")[0]
        if module == "__future__" or is_stdlib(module):
            return Resolution("stdlib", top)
        candidates = candidate_distributions(module)
        if top in self.runner_modules or candidates & self.runner_distributions:
            return Resolution("runner", top)
        if top in self.model.first_party or self.model.project_name in candidates:
            return Resolution("first-party", top)
        names = sorted(candidates & self.by_name.keys()) or sorted(
            name for name in self.by_name if affix_matches(top, name)
        )
        if candidates & self.arriving:
            return Resolution("required", min(candidates & self.arriving))
        if names:
            declarations = tuple(d for name in names for d in self.by_name[name])
            required = any(d.section in self.required_sections for d in declarations)
            if not required and (self._maybe_runtime(declarations) or candidates & self.may_arrive):
                return Resolution("uncertain", names[0], declarations)
            return Resolution("required" if required else "optional", names[0], declarations)
        loose = sorted(name for name in self.by_name if loosely_provides(top, name))
        if loose or candidates & self.extras:
            return Resolution("uncertain", (loose or sorted(candidates & self.extras))[0])
        recorded = sorted(candidates & self.recorded)
        if recorded:
            return Resolution("recorded", recorded[0])
        if not guessable(module):
            return Resolution("uncertain", top)  # no distribution can be named for it
        if self._extras_bring is None or self._direct_reference or candidates & self.may_arrive:
            return Resolution("uncertain", likely_distribution(module))
        brought = sorted(candidates & self._optional_brings.keys())
        if brought and self.model.complete:  # else what cannot be read may declare it
            return Resolution("optional", brought[0], self._optional_brings[brought[0]])
        return Resolution("undeclared", likely_distribution(module))


def bare_module_name(path: str) -> str | None:
    """The bare name a project file would be imported under from its folder: a ``.py`` file's
    stem, a package's folder name for its ``__init__.py`` (cppstart's
    ``src/cppstart/config.py`` is ``config``); None for any other file."""
    folder, name = posixpath.split(path)
    if name == "__init__.py":
        return posixpath.basename(folder)
    return name[:-3] if name.endswith(".py") else None


def files_by_bare_name(files: Iterable[str]) -> dict[str, list[str]]:
    """The project's files by the bare name :func:`bare_module_name` reads each as, in path
    order: built once, as a suite of thousands of files may have a finding per module."""
    found: dict[str, list[str]] = {}
    for path in sorted(files):
        name = bare_module_name(path)
        if name is not None:
            found.setdefault(name, []).append(path)
    return found


def project_module_names(files: Iterable[str]) -> frozenset[str]:
    """BU5: the bare names the project's own files would be imported under from their folder.
    A test's ``from config import Config`` means that file, put on ``sys.path`` by whatever runs
    the suite (or by nothing: then collection fails for want of a path, and no declaration
    helps): no distribution to declare."""
    return frozenset(files_by_bare_name(files))


def project_files_named(by_name: Mapping[str, Sequence[str]], module: str) -> list[str]:
    """The project's files (:func:`files_by_bare_name`) that are ``module`` below some folder:
    ``a/b.py`` or ``a/b/__init__.py`` at the end of the path for ``a.b`` (pylocalvoice's
    ``pylocalvoice/pyhmong/__init__.py`` for ``pyhmong``). The whole dotted name must be there:
    galpy's ``galpy/potential/amuse.py`` is not the ``amuse.couple`` its test imports."""
    tail = module.replace(".", "/")
    ends = (f"{tail}.py", f"{tail}/__init__.py")
    candidates = by_name.get(module.rpartition(".")[2], ())
    return [path for path in candidates if any(path == e or path.endswith(f"/{e}") for e in ends)]


def suite_conftest(module: str) -> bool:
    """Whether an import names a ``conftest`` module: the suite's own conftest.py (missing from
    the tree where it does not resolve), never a distribution a file could declare."""
    return module.partition(".")[0] == "conftest"


def project_index(ctx: ProjectContext) -> DependencyIndex:
    """The index of a lint run: pytest, its requirements and the plugins the configuration loads
    (``-p`` in ``addopts``, ``pytest_plugins``, ``required_plugins``) are there whenever the
    suite runs, so they are never optional or undeclared."""
    plugins = [name for _source, facts in ctx.files for name in facts.pytest_plugins]
    required = []
    for text in ctx.model.required_plugins:
        try:
            required.append(Requirement(text).name)
        except InvalidRequirement:
            continue
    return DependencyIndex(
        ctx.model.dependencies,
        ctx.options.get("test-extras", ()),
        runner_modules=[*ctx.model.plugins, *plugins],
        runner_distributions=required,
    )


def collect_ignores(ctx: ProjectContext) -> list[tuple[str, CollectIgnoreFact]]:
    """The conftests' conditional ``collect_ignore`` entries, each with its conftest's folder:
    gathered once per run (``chain_culprit`` asks for every import of a project module)."""
    found: list[tuple[str, CollectIgnoreFact]] | None = ctx.memo.get("collect_ignores")
    if found is None:
        found = ctx.memo["collect_ignores"] = [
            (source.path.rpartition("/")[0] + "/" if "/" in source.path else "", ignore)
            for source, facts in ctx.files
            for ignore in facts.collect_ignores
        ]
    return found


def ignored_when_missing(path: str, ignores: Sequence[tuple[str, CollectIgnoreFact]]) -> bool:
    """Whether a conftest keeps pytest from collecting ``path`` when some module is missing
    (astroid's benchmarks, ignored unless ``pytest_codspeed`` imports)."""
    return any(
        _ignored(path, top, ignores) for _folder, ignore in ignores for top in ignore.packages
    )


def _ignored(path: str, top: str, ignores: Sequence[tuple[str, CollectIgnoreFact]]) -> bool:
    """Whether a conftest keeps pytest from collecting ``path`` when ``top`` is missing."""
    for folder, ignore in ignores:
        if top not in ignore.packages or not path.startswith(folder):
            continue
        rel = path[len(folder) :]
        prefixes = [rel.rsplit("/", depth)[0] for depth in range(rel.count("/") + 1)]
        for pattern in ignore.patterns:
            pattern = pattern.removeprefix("./").rstrip("/")
            if any(
                fnmatch.fnmatchcase(prefix, pattern) if ignore.glob else prefix == pattern
                for prefix in prefixes
            ):
                return True
    return False


def _unchecked(
    path: str,
    fact: ImportFact,
    ignores: Sequence[tuple[str, CollectIgnoreFact]],
    loaded: Loaded,
) -> bool:
    """Imports neither rule judges: a collect_ignore'd path for that package, a package that the
    conftests loaded before this module, or the module's own earlier imports, bring
    (``loaded``), or an import that runs only when a
    package that may require it is installed (one whose requirements are not known here, or
    that requires it: ``importorskip("xarray")`` then ``import pandas``, ``import cf_units``
    in a test marked ``@requires_iris``, or in a test requesting a fixture that importorskips
    such a package: ``fixture_guards``; after ``importorskip`` of a submodule, whose own imports
    are not known)."""
    top = fact.module.partition(".")[0]
    if ignores and _ignored(path, top, ignores):
        return True
    if fact.module in loaded.modules or candidate_distributions(fact.module) & loaded.distributions:
        return True
    if fact.assured:
        if any("." in name for name in fact.assured):
            return True
        assured = [likely_distribution(name) for name in fact.assured]
        if hard_dependencies(assured) is None:
            return True
        # what those require, transitively: jupyter brings nbformat through nbconvert (RY4)
        if candidate_distributions(fact.module) & with_requirements(assured):
            return True
    return False


def judged_imports(ctx: ProjectContext) -> tuple[tuple[str, ImportFact], ...]:
    """Every import fact, less those no rule judges (see ``_unchecked``): worked out once per
    run (APT101, APT102 and APT104 each read them; on pandas' tests a third of a warm run)."""
    judged: tuple[tuple[str, ImportFact], ...] | None = ctx.memo.get("judged_imports")
    if judged is None:
        judged = ctx.memo["judged_imports"] = tuple(_judged_imports(ctx))
    return judged


def _judged_imports(ctx: ProjectContext) -> Iterator[tuple[str, ImportFact]]:
    ignores = collect_ignores(ctx)
    own = ctx.model.dependencies.first_party
    brought = _conftest_brings(ctx, own)
    stand_ins = _conftest_stand_ins(ctx)
    guards = fixture_guards(ctx)
    inits = [  # a package's functions are no tests: only its import runs (autobahn's)
        (init, replace(facts, imports=[i for i in facts.imports if i.module_level]))
        for init, facts in ctx.package_inits
    ]
    for source, facts in [*ctx.files, *inits]:
        if ctx.model.in_nested_project(source.path):
            continue  # a project of its own: its imports answer to its own declarations
        folders = source.path.split("/")[:-1]
        # a conftest, or a package's ``__init__`` (imported first, as the conftest's package
        # in the prepend mode), runs after the conftests above its folder, not its own
        own_folder = 0 if source.kind in ("conftest", "package") else 1
        above = ["/".join(folders[:depth]) for depth in range(len(folders) + own_folder)]
        loaded = Loaded().union(*(brought.get(folder, Loaded()) for folder in above))
        stubbed = frozenset[str]().union(*(stand_ins.get(folder, ()) for folder in above))
        stubbed_tops = tuple(sorted(name for name in stubbed if "." not in name))
        package_skipped = _package_skipped(ctx.model, folders) | _skipped(
            ctx.model.conftest_skips, above
        )
        ahead = _module_imports(facts.imports)
        opted_in = ctx.opted_in(source.path)
        for fact in facts.imports:
            if opted_in.intersection(fact.marks):
                continue  # a hook over the test runs it only when asked (``--gpu``, RY5)
            if fact.fixture and (source.path, fact.fixture) in ctx.model.unrequested_fixtures:
                continue  # in a conftest fixture nothing requests: never imported (AO3)
            if fact.module in stubbed:
                continue  # AU1: a conftest above put a stand-in into sys.modules first
            if stubbed_tops:
                fact = replace(fact, stand_ins=tuple(sorted({*fact.stand_ins, *stubbed_tops})))
            earlier = [i for i in ahead if i.line < fact.line or not fact.module_level]
            present = loaded.union(Loaded.of(earlier, own)) if earlier else loaded
            if earlier:
                present = present.union(_chains_load(ctx, source.path, earlier, own))
            tops = {i.module.partition(".")[0] for i in earlier}
            if tops - own:
                fact = replace(fact, preceded_by=tuple(sorted(tops - own)))
            skipped = guards.assured(source.path, fact.requests) | package_skipped
            if fact.module.partition(".")[0] in skipped or ANY_PACKAGE in skipped:
                continue  # a requested fixture importorskips the package itself (or, BF4, any)
            if skipped:
                fact = replace(fact, assured=tuple(sorted(skipped.union(fact.assured))))
            if not _unchecked(source.path, fact, ignores, present):
                yield source.path, fact


def _chains_load(
    ctx: ProjectContext, path: str, earlier: Sequence[ImportFact], own: frozenset[str]
) -> Loaded:
    """What the module-level imports of the project's own modules among ``earlier`` loaded:
    the third-party packages their chains import unguarded at module level, with what those
    require for certain. When one of them is missing the earlier import fails the module
    first (and is judged there): ``import boto3`` in a function of a module that imported
    ``pkg.backends.dynamodb``, which imports ``aioboto3``, cannot fail on boto3."""
    loads = [
        _chain_loads(ctx, path, fact, own)
        for fact in earlier
        if fact.module.partition(".")[0] in own
    ]
    return Loaded().union(*loads)


def _chain_loads(ctx: ProjectContext, path: str, fact: ImportFact, own: frozenset[str]) -> Loaded:
    """What the chain of ``fact``, an import of the file at ``path``, loads (see
    ``_chains_load``), worked out once per chain and per file on it: a chain may hold most of
    a project's modules (scikit-learn's tests import ``sklearn``), and every later import of
    every test module asks."""
    chain = ctx.model.chains.get((path, fact.module, fact.line), ())
    memo: dict[tuple[str, ...], Loaded] = ctx.memo.setdefault("chain_loads", {})
    if chain not in memo:
        memo[chain] = Loaded().union(*(_file_loads(ctx, chain_path, own) for chain_path in chain))
    return memo[chain]


def _file_loads(ctx: ProjectContext, chain_path: str, own: frozenset[str]) -> Loaded:
    """What the module-level imports of one file on a chain load (see ``_chain_loads``)."""
    memo: dict[str, Loaded] = ctx.memo.setdefault("file_loads", {})
    if chain_path not in memo:
        theirs = [inner for inner in _chain_imports(ctx, chain_path) if not inner.guarded]
        memo[chain_path] = Loaded.of(theirs, own) if theirs else Loaded()
    return memo[chain_path]


def _chain_imports(ctx: ProjectContext, chain_path: str) -> tuple[ImportFact, ...]:
    """The module-level imports of a file on an import chain, neither standard nor of the
    project (only those can fail for a missing package), found once per run."""
    memo: dict[str, tuple[ImportFact, ...]] = ctx.memo.setdefault("chain_imports", {})
    if chain_path not in memo:
        facts = ctx.model.chain_facts.get(chain_path)
        own = ctx.model.dependencies.first_party
        memo[chain_path] = tuple(
            fact
            for fact in (facts.imports if facts is not None else ())
            if fact.module_level
            and not is_stdlib(fact.module)
            and fact.module.partition(".")[0] not in own
        )
    return memo[chain_path]


def _package_skipped(model: ProjectModel, folders: Sequence[str]) -> frozenset[str]:
    """What the ``__init__.py`` files of the packages holding a file ``importorskip``
    (``model.package_skips``): pytest imports them first, in its ``prepend`` and ``append``
    modes, so a file below never runs without them."""
    if model.import_mode == "importlib":
        return frozenset()
    packages: list[str] = []
    parts = list(folders)
    while parts and "/".join(parts) in model.package_dirs:
        packages.append("/".join(parts))
        parts.pop()
    return _skipped(model.package_skips, packages)


def _skipped(skips: Mapping[str, frozenset[str]], folders: Iterable[str]) -> frozenset[str]:
    """The modules that the files of ``folders`` ``importorskip`` (``skips``: packages'
    ``__init__.py`` files or conftests, ZD3: pytest skips a conftest's folder without them),
    with their top-level packages."""
    return frozenset(
        name
        for folder in folders
        for module in skips.get(folder, ())
        for name in (module, module.partition(".")[0])
    )


def _conftest_brings(ctx: ProjectContext, own: frozenset[str]) -> dict[str, Loaded]:
    """Folder -> what its conftest imports unguarded at module level (see ``Loaded``). pytest
    loads a folder's conftest before any module below it: if one of those is missing, the
    conftest fails (and is judged there), so a module below cannot fail on it alone (httpx's
    conftest imports uvicorn, which brings click)."""
    return {
        source.path.rpartition("/")[0]: Loaded.of(_module_imports(facts.imports), own)
        for source, facts in ctx.files
        if source.kind == "conftest"
    }


def _conftest_stand_ins(ctx: ProjectContext) -> dict[str, frozenset[str]]:
    """Folder -> the modules its conftest's body puts into ``sys.modules`` (AU1: Klipper's
    ``gcode``, ``pins`` and ``extras`` as ``Mock()`` objects): pytest runs a folder's conftest
    before it imports any module below it, so their imports there, and those of the project
    modules they run, find the stand-ins instead of a distribution."""
    return {
        source.path.rpartition("/")[0]: frozenset(facts.stand_ins)
        for source, facts in ctx.files
        if source.kind == "conftest" and facts.stand_ins
    }


def _module_imports(imports: Sequence[ImportFact]) -> list[ImportFact]:
    """A file's unguarded module-level non-standard imports: when one of them fails the module
    fails there (and is judged there), so no later import can fail on the same module, nor on
    a package it requires (geopandas brings shapely)."""
    return [
        fact
        for fact in imports
        if fact.module_level and not fact.guarded and not is_stdlib(fact.module)
    ]


@dataclass(frozen=True)
class Loaded:
    """What a module's earlier imports (or its conftests') have loaded when an import runs:
    third-party distributions with what they require for certain, and the project's own
    modules by name (another of its modules may import something else)."""

    distributions: frozenset[str] = frozenset()
    modules: frozenset[str] = frozenset()

    @classmethod
    def of(cls, imports: Sequence[ImportFact], own: frozenset[str]) -> Loaded:
        mine = [i.module for i in imports if i.module.partition(".")[0] in own]
        theirs = [i.module for i in imports if i.module.partition(".")[0] not in own]
        return cls(with_requirements(map(likely_distribution, theirs)), frozenset(mine))

    def union(self, *others: Loaded) -> Loaded:
        return Loaded(
            self.distributions.union(*(o.distributions for o in others)),
            self.modules.union(*(o.modules for o in others)),
        )


@dataclass(frozen=True)
class ChainCulprit:
    """The first unguarded module-level import, in a project module that a test module imports,
    of a package that may be missing when the tests run."""

    path: str
    module: str
    found: Resolution
    error: str
    """What collection fails with (``ImportFact.fails_with``; an ``ImportError`` when the test
    imports a name the module binds only where the package is there)."""


def facts_at(ctx: ProjectContext, path: str) -> FileFacts | None:
    """The facts of the linted file at ``path``, looked up in a map built once per run."""
    by_path: dict[str, FileFacts] | None = ctx.memo.get("facts_by_path")
    if by_path is None:
        by_path = ctx.memo["facts_by_path"] = {source.path: facts for source, facts in ctx.files}
    return by_path.get(path)


def _names_imported(ctx: ProjectContext, path: str, module: str) -> frozenset[str]:
    """The names the file at ``path`` imports from ``module`` at module level (``from module
    import a, b``)."""
    facts = facts_at(ctx, path)
    if facts is None:
        return frozenset()
    return frozenset(
        name for found in facts.name_imports if found.module == module for name in found.names
    )


def chain_culprit(
    ctx: ProjectContext,
    index: DependencyIndex,
    path: str,
    fact: ImportFact,
    declared_tests: bool = True,
) -> ChainCulprit | None:
    """What makes ``fact`` (a test module's import of a project module) fail collection.

    A package declared nowhere counts only where "declared nowhere" means something
    (``proves_undeclared``); ``declared_tests=False`` is APT104's question, asked where the
    project declares no test dependencies at all: which packages declared nowhere do the
    tests need (BD3: ``from wayfarer import linearref`` needs shapely)."""
    if not fact.module_level or fact.guarded:
        return None
    stem = fact.module.replace(".", "/")
    names = _names_imported(ctx, path, fact.module)
    ignores = collect_ignores(ctx)
    for chain_path in ctx.model.chains.get((path, fact.module, fact.line), ()):
        # the module the test imports names from: a name that a ``with try_import():`` there
        # binds is missing without the package, and the test's ``from module import name`` fails
        imported_from = names and chain_path.endswith((f"{stem}.py", f"{stem}/__init__.py"))
        imports = _chain_imports(ctx, chain_path)
        for position, inner in enumerate(imports):
            top = inner.module.partition(".")[0]
            missing = imported_from and not names.isdisjoint(inner.recorded)
            if inner.guarded and not missing:
                continue
            if inner.fails_with and inner.fails_with in fact.caught:
                continue  # DN2: the test catches the very error the module raises without it
            found = index.resolve(inner.module)
            if found.origin != "optional" and (
                found.origin != "undeclared"
                or (declared_tests and not index.proves_undeclared)
                or index.runtime_may_bring(found.distribution)
            ):
                continue  # not known to be missing where the tests run
            if found.brought_only and index.runtime_may_bring(found.distribution):
                continue  # BD4: the project names it nowhere; its runtime may bring it too
            if top in fact.assured + fact.preceded_by + fact.stand_ins:
                continue
            if ignores and _ignored(path, top, ignores):
                continue  # AK4: a conftest keeps the test module out where the package is missing
            if brought_by(inner.module, fact.assured + fact.preceded_by):
                continue  # ``importorskip("boto3")`` or ``import boto3`` first: botocore is there
            if fact.runs_with and brought_by(inner.module, fact.runs_with):
                continue  # ``if HAS_X: import own_x_module``: the chain is guarded as x is
            if gated_by_submodule(index, inner):
                continue  # in the else of a required package's integration submodule
            if declared_together(index, fact.assured, inner.module):
                continue  # skipped on a package whose every declaration brings this one too
            if found.origin == "undeclared" and _brought_by_unknown(index, imports, position):
                continue  # EW1: a package the same module imports may bring it
            error = "ImportError" if missing and inner.guarded else inner.fails_with
            return ChainCulprit(chain_path, inner.module, found, error)
    return None


def _brought_by_unknown(index: DependencyIndex, imports: Sequence[ImportFact], judged: int) -> bool:
    """EW1: whether the chain module whose import ``imports[judged]`` is judged also imports,
    unguarded, a package the tests install whose requirements no table here knows, which may
    bring the undeclared one (total-perspective-vortex's ``from galaxy import model``, then
    ``sqlalchemy``: galaxy requires SQLAlchemy): the module is written against that package,
    installed whatever the order of the imports. Asked only for a culprit about to be
    reported; a requirement of unknown requirements the module does not import silences
    nothing."""
    for position, inner in enumerate(imports):
        if position != judged and not inner.guarded:
            found = index.resolve(inner.module)
            if found.origin == "required" and hard_dependencies([found.distribution]) is None:
                return True
    return False


def declared_together(index: DependencyIndex, skipped: Sequence[str], module: str) -> bool:
    """Whether ``module``'s optional distribution is declared (or brought) by every extra or
    group that declares a package the module was skipped on (AG2: ``importorskip("fastapi")``,
    then ``admina.proxy.config``, which imports ``pydantic_settings``; both only in the extras
    ``proxy`` and ``proxy-minimal``). The import runs only once the skipped package is there,
    and every declared way of installing it installs the module's distribution too; a package
    skipped on that some section declares without it (``fastapi`` in an extra ``web``) leaves
    the import judged, as does a skipped package the tests require anyway.

    FH1: a skipped package no section names, whose only way in is an extra named after it
    (mlforecast's conftest ``importorskip('ray')``; extra ``ray`` declares ``fugue[ray]``,
    which brings ray, and ``fugue``, the import's): that extra is how it is installed, so it
    counts as the package's declaration."""
    found = index.resolve(module)
    if found.origin != "optional":
        return False
    with_module = {d.section for d in found.declarations}
    for name in skipped:
        gate = index.resolve(name)
        if gate.origin == "optional" and {d.section for d in gate.declarations} <= with_module:
            return True
        if gate.origin in ("undeclared", "uncertain") and _only_by_named_extra(
            index, name, gate, with_module
        ):
            return True
    return False


def _only_by_named_extra(
    index: DependencyIndex, name: str, gate: Resolution, with_module: set[str]
) -> bool:
    """FH1: whether the skipped package ``name``, which no section declares by its name, has
    an extra named after it among ``with_module`` (the sections declaring the import's
    distribution), and every declaration that may bring it (its own, and those of the
    distributions named like it: ``lightgbm_ray`` for ``ray``) is in those sections too."""
    top = name.partition(".")[0]
    if f"extra:{canonicalize_name(top)}" not in with_module:
        return False
    sections = {d.section for d in gate.declarations}
    for distribution, declarations in index.by_name.items():
        if loosely_provides(top, distribution):
            sections.update(d.section for d in declarations)
    return sections <= with_module


def gated_by_submodule(index: DependencyIndex, fact: ImportFact) -> bool:
    """Whether ``fact`` runs only once a third-party submodule imported whose package the
    tests require (AA2: requests' ``help.py``, ``try: from urllib3.contrib import pyopenssl``
    / ``except ImportError:`` / ``else: import OpenSSL``, urllib3 required). The package is
    there, so the ``try`` fails only on what the submodule itself needs, which no table here
    knows: the ``else`` imports it once it did, and is not known to fail. When the package
    itself is optional (UA2's astroquery), the ``try`` gates on the package, whose known
    requirements say what its ``else`` may import (``brought_by``)."""
    return any(
        "." in module and not is_stdlib(module) and index.resolve(module).origin == "required"
        for module in fact.runs_with
    )


def own_chain_needs(
    ctx: ProjectContext, index: DependencyIndex, path: str | None, module: str
) -> bool:
    """Whether a project module that the test module at ``path`` imports at module level
    imports ``module``'s package unguarded at module level too, and the runtime requirements
    may bring it (AA1: capo-customer-profiles' tests and its ``_sigv4`` module both import
    ``pywhatwgurl``, which its one requirement, unknown to the table, installs). The chain is
    silent then (``chain_culprit``): the project's own code would not import at all without
    the package, so the test's direct import of it is no more known to fail than that chain.
    ``path=None`` asks of every test module's chains: APT104's question about the whole suite
    (DP1: irisml-tasks-transformers' tokenizer test imports torch, which its tokenizer module
    does not, while the model modules other tests import do)."""
    if not index.runtime_may_bring(likely_distribution(module)):
        return False
    return module.partition(".")[0] in _own_chain_packages(ctx).get(path, frozenset())


def _own_chain_packages(ctx: ProjectContext) -> dict[str | None, frozenset[str]]:
    """For each test module, the top-level packages that the project modules it imports at
    module level import unguarded at module level (under ``None``: those of every test
    module), worked out once per run: asking every chain again for each import cost large
    suites minutes (unsloth-zoo, 863 test files)."""
    memo: dict[str | None, frozenset[str]] | None = ctx.memo.get("own_chain_packages")
    if memo is None:
        found: dict[str | None, set[str]] = {None: set()}
        for (importer, _imported, _line), chain in ctx.model.chains.items():
            packages = {
                inner.module.partition(".")[0]
                for chain_path in chain
                for inner in _chain_imports(ctx, chain_path)
                if not inner.guarded
            }
            found.setdefault(importer, set()).update(packages)
            found[None].update(packages)
        memo = ctx.memo["own_chain_packages"] = {
            path: frozenset(packages) for path, packages in found.items()
        }
    return memo


def fails_collecting(path: str, error: str = MISSING_MODULE_ERROR) -> str:
    """What a run without an import's package fails to collect, and with which error: the
    module, or for a package's ``__init__.py`` every test module below it (the error left
    unsaid when no name says it, ``ImportFact.fails_with``)."""
    what = "every test module of this package" if path.endswith("/__init__.py") else "this module"
    return f"fails collecting {what}" + (f" with {error}" if error else "")


CHAIN_MESSAGE = "importing '"
"""How a finding about a project module's import starts (its fix is the project's to choose)."""


def chain_finding(code: str, path: str, fact: ImportFact, culprit: ChainCulprit) -> Finding:
    return Finding(
        path,
        fact.line,
        fact.col,
        code,
        f"{CHAIN_MESSAGE}{fact.module}' runs {culprit.path}, whose module-level import of "
        f"'{culprit.module}' needs '{culprit.found.distribution}' ({_why(culprit.found)}): a run "
        f"without it {fails_collecting(path, culprit.error)}; guard this import "
        f"with pytest.importorskip('{culprit.module.partition('.')[0]}') or guard the import "
        f"in {culprit.path}",
    )


Judged = tuple[str, ImportFact, str, Finding]
"""A finding about an import with its file, the import, and the distribution it fails on."""


def judged_finding(
    path: str, fact: ImportFact, distribution: str, code: str, message: str
) -> Judged:
    """The finding `code` at `fact`, kept with what `first_per_distribution` compares."""
    return path, fact, distribution, Finding(path, fact.line, fact.col, code, message)


def first_per_distribution(
    judged: Iterable[Judged],
) -> Iterator[Finding]:
    """The findings (path, import, distribution it fails on, finding) less the duplicates of
    one missing distribution in one module: when a module-level import fails on it, the module
    fails there, and installing it mends every later import that needs it too. Two imports of
    the project's own modules that both need it (``mashumaro.codecs.orjson`` and
    ``mashumaro.mixins.orjson``) are one cause, reported at the first; an import inside a
    function, which runs after every module-level one, is a duplicate of any of them."""
    items = list(judged)
    first: dict[tuple[str, str], int] = {}
    for path, fact, distribution, _ in items:
        if fact.module_level:
            key = (path, distribution)
            first[key] = min(first.get(key, fact.line), fact.line)
    for path, fact, distribution, finding in items:
        line = first.get((path, distribution))
        if line is None or (fact.module_level and line == fact.line):
            yield finding


def _why(found: Resolution) -> str:
    if found.origin == "optional":
        return "declared only in " + sections_label([d.section for d in found.declarations])
    return "declared nowhere"


def skipped_on_undeclared(index: DependencyIndex, fact: ImportFact) -> bool:
    """CI2: whether a module-level import runs only past a skip of its module on a package that
    no declaration installs (``pytest.importorskip("pyarrow")`` above it, pyarrow declared
    nowhere): a run from the declarations skips the module there, before the import. Judged
    only where "declared nowhere" means something (``proves_undeclared``)."""
    if not fact.module_level or not index.proves_undeclared:
        return False
    return any(
        "." not in name and index.resolve(name).origin == "undeclared" for name in fact.assured
    )


def skipped_without(index: DependencyIndex, model: ProjectModel, path: str) -> bool:
    """Whether a package ``__init__.py`` above ``path`` ``importorskip``s a module that the
    tests' dependencies do not install (declared only in a section not installed with the
    tests, or nowhere): there pytest skips the file's package before it imports the file, so
    nothing the file does at import (an unregistered marker) is met."""
    if not index.proves_undeclared:
        return False
    skipped = _package_skipped(model, path.split("/")[:-1])
    return any(index.resolve(module).origin in ("optional", "undeclared") for module in skipped)
