"""APT101-APT103 and APT301: imports against declarations, declarations against the registry.

All four are project rules: they read the import facts of every test module, conftest and test
plugin, and the :class:`DependencyModel` that the engine builds from ``pyproject.toml``,
``requirements*.txt`` and ``dependency_registry.md``.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar, Literal

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from apytest.rules.api import (
    CollectIgnoreFact,
    DeclaredDependency,
    DependencyModel,
    Example,
    Finding,
    ImportFact,
    Option,
    ProjectContext,
    ProjectRule,
)
from apytest.rules.distributions import (
    RUNNER_DISTRIBUTIONS,
    affix_matches,
    candidate_distributions,
    hard_dependencies,
    is_stdlib,
    likely_distribution,
    word_matches,
)

Origin = Literal[
    "stdlib", "runner", "first-party", "required", "optional", "uncertain", "recorded", "undeclared"
]

DEFAULT_TEST_EXTRAS = ["test", "tests", "testing", "dev"]
PLAIN_REQUIREMENTS = frozenset({"requirements", "requirement", "reqs", "txt", "in"})

EXTRAS_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = ['requests>=2']\n\n"
    "[project.optional-dependencies]\nplot = ['matplotlib>=3']\ntest = ['pytest>=8']\n"
)


def _sections_label(sections: Sequence[str]) -> str:
    return ", ".join(sorted({s.replace(":", " '", 1) + "'" for s in sections}))


@dataclass(frozen=True)
class Resolution:
    """Where an imported module comes from, and the declarations that cover it."""

    origin: Origin
    distribution: str
    declarations: tuple[DeclaredDependency, ...] = ()


class DependencyIndex:
    """Answers "where does this import come from?" for one project and its options.

    The answer never depends on what is installed where the linter runs: import names map to
    distributions through ``apytest.rules.distributions`` alone.
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
        kind, _, name = section.partition(":")
        if kind == "dependencies" or section in self.model.test_sections:
            return True
        if kind in ("extra", "group"):
            return name in self.test_names
        stem = name.rsplit("/", 1)[-1]
        words = {canonicalize_name(w) for w in re.split(r"[^A-Za-z0-9]+", stem) if w}
        return words <= PLAIN_REQUIREMENTS or bool(words & self.test_names)

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
        """Distributions installed with the required ones: what they require for certain."""
        pending = [d.name for d in self.model.declared if d.section in self.required_sections]
        found: set[str] = set()
        while pending:
            for name in hard_dependencies([pending.pop()]) or ():
                if name not in found:
                    found.add(name)
                    pending.append(name)
        return frozenset(found)

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
            return Resolution("required" if required else "optional", names[0], declarations)
        loose = sorted(name for name in self.by_name if word_matches(top, name))
        if loose or candidates & self.extras:
            return Resolution("uncertain", (loose or sorted(candidates & self.extras))[0])
        recorded = sorted(candidates & self.recorded)
        if recorded:
            return Resolution("recorded", recorded[0])
        return Resolution("undeclared", likely_distribution(module))


def _index(ctx: ProjectContext) -> DependencyIndex:
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
    loaded: frozenset[str],
) -> bool:
    """Imports neither rule judges: a collect_ignore'd path for that package, a package that the
    conftests loaded before this module bring (``loaded``), or an import that runs only when a
    package that may require it is installed (one whose requirements are not known here, or
    that requires it: ``importorskip("xarray")`` then ``import pandas``, or ``import cf_units``
    in a test marked ``@requires_iris``)."""
    top = fact.module.partition(".")[0]
    if ignores and _ignored(path, top, ignores):
        return True
    if loaded and candidate_distributions(fact.module) & loaded:
        return True
    if fact.assured:
        required = hard_dependencies(likely_distribution(name) for name in fact.assured)
        if required is None or candidate_distributions(fact.module) & required:
            return True
    return False


def _imports(ctx: ProjectContext) -> Iterator[tuple[str, ImportFact]]:
    """Every import fact, less those no rule judges (see ``_unchecked``)."""
    ignores = [
        (source.path.rpartition("/")[0] + "/" if "/" in source.path else "", ignore)
        for source, facts in ctx.files
        for ignore in facts.collect_ignores
    ]
    brought = _conftest_brings(ctx)
    for source, facts in ctx.files:
        folders = source.path.split("/")[:-1]
        depths = range(len(folders) + (0 if source.kind == "conftest" else 1))
        loaded = frozenset[str]().union(
            *(brought.get("/".join(folders[:depth]), frozenset()) for depth in depths)
        )
        for fact in facts.imports:
            if not _unchecked(source.path, fact, ignores, loaded):
                yield source.path, fact


def _conftest_brings(ctx: ProjectContext) -> dict[str, frozenset[str]]:
    """Folder -> the distributions that its conftest imports unguarded at module level, with
    what they require for certain. pytest loads a folder's conftest before any module below it:
    if one of those is missing, the conftest fails (and is judged there), so a module below
    cannot fail on it alone (httpx's conftest imports uvicorn, which brings click)."""
    brought: dict[str, frozenset[str]] = {}
    for source, facts in ctx.files:
        if source.kind != "conftest":
            continue
        pending = [
            likely_distribution(fact.module)
            for fact in facts.imports
            if fact.module_level and not fact.guarded and not is_stdlib(fact.module)
        ]
        found: set[str] = set()
        while pending:
            name = pending.pop()
            if name not in found:
                found.add(name)
                pending.extend(hard_dependencies([name]) or ())
        brought[source.path.rpartition("/")[0]] = frozenset(found)
    return brought


@dataclass(frozen=True)
class ChainCulprit:
    """The first unguarded module-level import, in a project module that a test module imports,
    of a package that may be missing when the tests run."""

    path: str
    module: str
    found: Resolution


def _chain_culprit(
    ctx: ProjectContext, index: DependencyIndex, path: str, fact: ImportFact
) -> ChainCulprit | None:
    """What makes ``fact`` (a test module's import of a project module) fail collection."""
    if not fact.module_level or fact.guarded:
        return None
    for chain_path in ctx.model.chains.get((path, fact.module), ()):
        facts = ctx.model.chain_facts.get(chain_path)
        for inner in facts.imports if facts is not None else ():
            top = inner.module.partition(".")[0]
            if not inner.module_level or inner.guarded or top in fact.assured:
                continue
            found = index.resolve(inner.module)
            if found.origin == "optional" or (
                found.origin == "undeclared" and index.proves_undeclared
            ):
                return ChainCulprit(chain_path, inner.module, found)
    return None


CHAIN_MESSAGE = "importing '"
"""How a finding about a project module's import starts (its fix is the project's to choose)."""


def _chain_finding(code: str, path: str, fact: ImportFact, culprit: ChainCulprit) -> Finding:
    return Finding(
        path,
        fact.line,
        fact.col,
        code,
        f"{CHAIN_MESSAGE}{fact.module}' runs {culprit.path}, whose module-level import of "
        f"'{culprit.module}' needs '{culprit.found.distribution}' ({_why(culprit.found)}): a run "
        "without it fails collecting this module with ModuleNotFoundError; guard this import "
        f"with pytest.importorskip('{culprit.module.partition('.')[0]}') or guard the import "
        f"in {culprit.path}",
    )


def _why(found: Resolution) -> str:
    if found.origin == "optional":
        return "declared only in " + _sections_label([d.section for d in found.declarations])
    return "declared nowhere"


class UnguardedOptionalImport(ProjectRule):
    """A module-level import of a library that the test run may not have installed.

    When a test module, conftest or test plugin imports at module level a distribution that the
    project declares only in an extra or dependency group other than its test extras (or not at
    all), any environment that installed only the package and its test extra fails collecting
    that module with ``ModuleNotFoundError``: every test in it errors, not just those that need
    the library. Guard the import: ``x = pytest.importorskip("x")`` (an ``importorskip`` earlier
    in the module also covers later ``import x.sub``), ``try: import x`` / ``except ImportError``
    with a handler that goes on (one that raises fails collection all the same),
    ``with contextlib.suppress(ImportError):``, a ``find_spec`` condition, or
    ``if TYPE_CHECKING:`` for typing-only imports. A package declared nowhere is APT102's
    finding, not this rule's: one finding per import.
    """

    code = "APT101"
    fixable = True
    name = "unguarded-optional-import"
    lesson = "optional-dependencies"
    summary = "optional dependency imported at module level without an importorskip/try guard"
    options: ClassVar[Mapping[str, Option]] = {
        "test-extras": Option(
            list,
            DEFAULT_TEST_EXTRAS,
            "extras and dependency groups that are installed whenever the tests run",
        ),
    }
    VALID = (
        Example(
            "import pytest\n\nplt = pytest.importorskip('matplotlib.pyplot')\n",
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(
            "import pytest\n\npytest.importorskip('matplotlib', minversion='3.5')\n"
            "import matplotlib.pyplot as plt\n",
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(
            "try:\n    import matplotlib\nexcept ImportError:\n    matplotlib = None\n",
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import matplotlib\n",
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(
            "import requests\nimport pytest\n\n\ndef test_plot():\n    import matplotlib\n",
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(
            "import contextlib\n\nwith contextlib.suppress(ImportError):\n    import matplotlib\n",
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(
            "import matplotlib\n",
            path="tests/plots/test_example.py",
            files={
                "pyproject.toml": EXTRAS_PYPROJECT,
                "tests/conftest.py": "collect_ignore = []\ntry:\n    import matplotlib\n"
                "except ImportError:\n    collect_ignore.append('plots')\n",
            },
        ),
        Example(
            "import pytest\nfrom helpers import HAS_MATPLOTLIB\n\nif not HAS_MATPLOTLIB:\n"
            "    pytest.skip('needs matplotlib', allow_module_level=True)\nimport matplotlib\n",
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
    )
    INVALID = (
        Example(
            "import pytest\nimport matplotlib.pyplot as plt\n",
            files={"pyproject.toml": EXTRAS_PYPROJECT},
            line=2,
        ),
        Example(
            "from helpers import requires_matplotlib\nimport matplotlib\n\n"
            "pytestmark = requires_matplotlib  # a mark: the import above still fails collection\n",
            files={"pyproject.toml": EXTRAS_PYPROJECT},
            line=2,
        ),
        Example(
            "try:\n    import matplotlib\nexcept ImportError as error:\n"
            "    raise RuntimeError('the plot tests need matplotlib') from error\n",
            files={"pyproject.toml": EXTRAS_PYPROJECT},
            line=2,
        ),
        Example(
            "from matplotlib import pyplot\n",
            path="tests/conftest.py",
            files={"pyproject.toml": EXTRAS_PYPROJECT},
            line=1,
        ),
    )

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        index = _index(ctx)
        for path, fact in _imports(ctx):
            if not fact.module_level or fact.guarded:
                continue
            culprit = _chain_culprit(ctx, index, path, fact)
            if culprit is not None:
                if culprit.found.origin == "optional":
                    yield _chain_finding(cls.code, path, fact, culprit)
                continue
            found = index.resolve(fact.module)
            if found.origin != "optional":
                continue  # a package declared nowhere is APT102's: one finding per import
            where = _sections_label([d.section for d in found.declarations])
            why = f"'{found.distribution}' is declared only in {where}"
            yield Finding(
                path,
                fact.line,
                fact.col,
                cls.code,
                f"module-level import of '{fact.module}': {why}, so a run without it fails "
                f"collecting this module with ModuleNotFoundError; guard it with "
                f"pytest.importorskip('{fact.module.partition('.')[0]}') or add it to a "
                "test extra",
            )


class UndeclaredDependency(ProjectRule):
    """A third-party import that no requirements file, pyproject table or registry row declares.

    It works on the machine where the library happens to be installed (by hand, or as some other
    package's dependency) and fails with ``ModuleNotFoundError`` on a fresh clone or a new CI
    image. Declare it: in ``dependencies``, an extra, a dependency group or a requirements file.
    Guarded imports (``importorskip``, ``try/except ImportError``) are deliberate "use it when
    present" and are not reported; imports the project cannot resolve statically (a ``setup.py``
    computing its lists, dynamic metadata) are not reported either, nor are they when the
    project declares its test dependencies nowhere (APT104 says that once). pytest, its own
    requirements and the plugins the pytest configuration loads are there whenever the suite
    runs, declared or not.
    """

    code = "APT102"
    name = "undeclared-dependency"
    lesson = "dependency-registration"
    summary = "third-party import declared in no requirements file, pyproject table or registry"
    VALID = (
        Example(
            "import pytest\nimport requests\nimport yaml\n",
            files={
                "pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['requests']\n",
                "requirements-dev.txt": "pytest>=8\nPyYAML>=6\n",
            },
        ),
        Example(
            "import os\nimport demo.core\nfrom helpers import make\n",
            files={
                "pyproject.toml": "[project]\nname = 'demo'\n",
                "src/demo/__init__.py": "",
                "tests/helpers.py": "def make():\n    return 1\n",
            },
        ),
        Example(
            "import pytest\n\nnumpy = pytest.importorskip('numpy')\n",
            files={"pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['pytest']\n"},
        ),
        Example(
            "import pluggy\nimport py\nimport pytest\nimport xdist\n"
            "from _pytest.pytester import Pytester\n",
            files={
                "pyproject.toml": "[project]\nname = 'demo'\ndependencies = []\n\n"
                "[tool.pytest.ini_options]\naddopts = '-p xdist.plugin'\n",
            },
        ),
        Example(
            "import sys\n\nif sys.version_info >= (3, 14):\n    from compression import zstd\n"
            "else:\n    from backports import zstd\nimport iris\nimport tlz\n",
            files={
                "pyproject.toml": "[project]\nname = 'demo'\ndependencies = [\n"
                "    'backports.zstd; python_version < \"3.14\"', 'scitools-iris', 'toolz',\n]\n",
            },
        ),
        Example(
            "import pytest\n\ntry:\n    import cupy\n    has_cupy = True\nexcept ImportError:\n"
            "    has_cupy = False\n"
            "requires_cupy = pytest.mark.skipif(not has_cupy, reason='GPU')\n\n\n"
            "@requires_cupy\ndef test_on_gpu():\n    import cupy.linalg\n",
            files={"pyproject.toml": "[project]\nname = 'demo'\ndependencies = []\n"},
        ),
        Example(
            "from pytest_pyodide import run_in_pyodide\n\n\n"
            "@run_in_pyodide(packages=['micropip'])\n"
            "def test_in_pyodide(selenium):\n    import micropip\n",
            files={
                "pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['pytest-pyodide']\n"
            },
        ),
    )
    INVALID = (
        Example(
            "import requests\n\n\ndef test_get():\n    import yaml\n",
            files={
                "pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['requests']\n",
                "requirements-test.txt": "pytest>=8\n",
            },
            line=5,
        ),
        Example(
            "import sklearn\n",
            files={"requirements.txt": "scipy>=1\n"},
            line=1,
        ),
        Example(
            "import pytest\nimport toolz\n",
            files={
                "pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['cytoolz']\n",
                "requirements-test.txt": "hypothesis\n",
            },
            line=2,
        ),
    )

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        index = _index(ctx)
        if not index.proves_undeclared:
            return  # APT104 says once that the test dependencies are declared nowhere
        for path, fact in _imports(ctx):
            if fact.guarded:
                continue
            culprit = _chain_culprit(ctx, index, path, fact)
            if culprit is not None:
                if culprit.found.origin == "undeclared":
                    yield _chain_finding(cls.code, path, fact, culprit)
                continue
            found = index.resolve(fact.module)
            if found.origin == "undeclared":
                fails = (
                    "; a run without it fails collecting this module with ModuleNotFoundError"
                    if fact.module_level
                    else ""
                )
                yield Finding(
                    path,
                    fact.line,
                    fact.col,
                    cls.code,
                    f"'{fact.module}' comes from distribution '{found.distribution}', which is "
                    f"declared in no requirements file, pyproject table or registry row{fails}; "
                    "declare it",
                )


class UnrecordedDependency(ProjectRule):
    """A declared dependency without a row in the registry, or a row for an undeclared one.

    ``dependency_registry.md`` says why each dependency is there, who owns it and what bounds it
    needs; a package declared without a row is one nobody can later explain or safely upgrade,
    and a row for a package no longer declared misleads. Silent when the project keeps no
    registry, unless ``require-registry`` is set.
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
            files={"pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['Requests>=2']\n"},
        ),
        Example(
            "[project]\nname = 'demo'\ndependencies = ['requests>=2']\n",
            path="pyproject.toml",
        ),
    )
    INVALID = (
        Example(
            "[project]\nname = 'demo'\ndependencies = [\n    'requests>=2',\n    'idna>=3',\n]\n",
            path="pyproject.toml",
            files={"dependency_registry.md": REGISTRY},
            line=5,
        ),
        Example(
            REGISTRY + "| six | gone |\n",
            path="dependency_registry.md",
            files={"pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['requests']\n"},
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

    An unbounded requirement installs whatever was released last: a new major version can break
    the suite overnight with no change in the project. With ``pin-policy = "any-bound"`` any
    bound satisfies the rule (``x>=1.2,<2``); with ``"pinned"`` only an exact ``==`` pin or a
    direct reference does, as applications with lock-style requirement files want. Off unless
    selected.
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
            "[project]\nname = 'demo'\ndependencies = ['requests>=2,<3', 'idna @ https://x/i.whl']\n",
            path="pyproject.toml",
        ),
        Example("-r base.txt\nrequests==2.32.3\n", path="requirements.txt", files={"base.txt": ""}),
    )
    INVALID = (
        Example(
            "[project]\nname = 'demo'\ndependencies = [\n    'requests',\n]\n",
            path="pyproject.toml",
            line=4,
        ),
        Example("pytest>=8\nhypothesis\n", path="requirements-dev.txt", line=2),
        Example("[dependency-groups]\ntest = ['pytest!=8.0']\n", path="pyproject.toml", line=2),
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
