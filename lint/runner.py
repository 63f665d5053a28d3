"""One lint run from paths to findings: project, discovery, cache, map, reduce."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from apytest.lint.cache import ResultCache
from apytest.lint.chains import conftest_skips, import_chains, package_skips
from apytest.lint.config import LintConfig, enabled_rules, load_config
from apytest.lint.declarations import project_name, project_scripts
from apytest.lint.declarations.runners import commands_mention
from apytest.lint.dependencies import (
    DEFAULT_REGISTRY,
    excluded_packages,
    first_party_names,
    load_dependencies,
    located_at_runtime,
    missing_private_modules,
    missing_suite_modules,
    packaged_suite_modules,
    runtime_installed,
    upper_project,
)
from apytest.lint.discovery import (
    discover,
    iter_plugin_files,
    matches_any,
    package_prefix,
    relative,
    start_paths,
)
from apytest.lint.engine import (
    FileResult,
    ProgressCallback,
    map_files,
    parse_failure,
    read_bytes,
    reduce_project,
)
from apytest.lint.errors import LintError
from apytest.lint.fixture_requests import unrequested_fixtures
from apytest.lint.project import Project, find_project
from apytest.lint.relative_imports import with_relative_imports
from apytest.lint.toml import read_toml
from apytest.rules import Rule
from apytest.rules.api import (
    Deferred,
    DependencyModel,
    FileFacts,
    Finding,
    ImportFact,
    ProjectModel,
    PytestConfig,
    SourceFile,
)
from apytest.rules.support.distributions import guessable, is_stdlib, named_by_tables
from apytest.rules.support.entered_managers import moves_into_temporary
from apytest.rules.support.static_paths import imported_folder

DEPENDENCY_FAMILIES = ("APT1", "APT3", "APT4", "APT205")
"""Rules that read the declarations: dependencies, pinning, startup, and APT205 (a program a
declared distribution installs is no external one)."""


@dataclass(frozen=True)
class LintResult:
    root: Path
    findings: list[Finding]
    files: list[SourceFile]
    rules: tuple[type[Rule], ...]
    warnings: list[str]
    """Problems that are not findings (suppression comments, nothing to lint), one line each."""
    errors: list[str] = field(default_factory=list)
    """Internal errors: a rule that raised on a file, one line each (`FileResult.errors`)."""


def _apytest_table(document: Mapping[str, Any], where: str) -> dict[str, Any]:
    tool = document.get("tool", {})
    table = tool.get("apytest", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise LintError(f"{where}: [tool.apytest] must be a table")
    return table


def project_config(
    project: Project, config_file: Path | None = None, overrides: Mapping[str, Any] | None = None
) -> LintConfig:
    """``[tool.apytest]`` of the root's pyproject.toml, or of ``config_file`` instead (a file
    without a ``[tool]`` table holds the settings at its top level, as ruff.toml does), with
    ``overrides`` (``--config KEY=VALUE``) on top."""
    where = str(config_file or project.root / "pyproject.toml")
    if config_file is None:
        table = _apytest_table(project.pyproject, where)
    else:
        document = read_toml(config_file)
        table = _apytest_table(document, where) if "tool" in document else document
    if overrides:
        table = {**table, **overrides}
        where += " (with --config overrides)"
    return load_config(table, where)


def _per_file_ignored(finding: Finding, config: LintConfig) -> bool:
    return any(
        finding.code.startswith(tuple(codes)) and matches_any(finding.path, [pattern])
        for pattern, codes in config.per_file_ignores.items()
    )


class _Mapper:
    """Runs the map step over files, answering from the cache where it can."""

    def __init__(
        self,
        project: Project,
        config: LintConfig,
        rules: Sequence[type[Rule]],
        use_cache: bool,
        jobs: int,
        progress: ProgressCallback | None,
        contents: Mapping[str, bytes],
    ) -> None:
        self.root = project.root
        self.config = config
        self.codes = [rule.code for rule in rules]
        self.rules = rules
        self.cache = ResultCache(project.root, config.fingerprint(rules)) if use_cache else None
        self.jobs = jobs
        self.progress = progress
        self.contents = contents
        """Files whose bytes do not come from the disk (stdin), by project-relative path."""

    def run(self, files: Sequence[SourceFile]) -> list[tuple[SourceFile, FileResult]]:
        results: dict[str, FileResult] = {}
        pending: list[tuple[SourceFile, bytes, str]] = []
        for file in files:
            data = (
                self.contents[file.path]
                if file.path in self.contents
                else read_bytes(self.root / file.path)
            )
            if isinstance(data, OSError):
                results[file.path] = parse_failure(file, data, self.rules)
                continue
            key = self.cache.key(file, data) if self.cache else ""
            cached = self.cache.get(key) if self.cache else None
            if cached is not None:
                results[file.path] = cached
            else:
                pending.append((file, data, key))
        fresh = map_files(
            [(f, d) for f, d, _ in pending],
            self.codes,
            self.config.options,
            self.jobs,
            self.progress,
        )
        for (file, _data, key), result in zip(pending, fresh, strict=True):
            results[file.path] = result
            if self.cache and not result.errors:
                self.cache.put(key, result)
        return [(file, results[file.path]) for file in files]


def _dependency_model(
    project: Project,
    config: LintConfig,
    rules: Sequence[type[Rule]],
    python_files: set[str],
    suite: set[str],
    use_cache: bool,
    path_folders: Sequence[str],
) -> DependencyModel:
    """Read the declarations only when a dependency (APT1xx) or pinning (APT3xx) rule runs;
    the project's own module names (APT204 asks them too) are a few folder listings."""
    if not any(rule.code.startswith(DEPENDENCY_FAMILIES) for rule in rules):
        first_party = first_party_names(project, python_files, "", {}, suite, path_folders)
        upper = upper_project(project)  # as load_dependencies reads a rootdir naming nothing
        name = project_name(project) or (project_name(upper) if upper else "")
        scripts = project_scripts(project) or (project_scripts(upper) if upper else frozenset())
        return DependencyModel(project_name=name, scripts=scripts, first_party=first_party)
    registry = config.options.get("registry", DEFAULT_REGISTRY)
    return load_dependencies(project, python_files, str(registry), use_cache, suite, path_folders)


def pytest_config(project: Project) -> PytestConfig:
    """The pytest configuration file as written, with its lines for positions."""
    path = project.config_path
    if path is None:
        return PytestConfig()
    try:
        lines = tuple(path.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        lines = ()
    return PytestConfig(relative(path, project.root), dict(project.ini), lines)


def _whole_suite(project: Project, absolute: Sequence[Path]) -> bool:
    """Whether the explicit paths (none: the default) hold every default start path."""
    if not absolute:
        return True
    defaults = start_paths(project, [], [], must_exist=False)
    return all(any(start.is_relative_to(path) for path in absolute) for start in defaults)


def _default_paths(project: Project, absolute: Sequence[Path]) -> bool:
    """Whether the explicit paths (none: the default) are pytest's default start paths, so
    that the linted files are those a plain ``pytest`` collects: ``apytest-lint .`` with
    ``testpaths = tests`` lints more (DJ1: datadog-api-client's model modules named
    ``*_test.py``, which only a run naming them collects)."""
    if not absolute:
        return True
    return set(absolute) == set(start_paths(project, [], [], must_exist=False))


DEPENDENCY_RULES = frozenset({"APT101", "APT102", "APT104"})
"""The rules that judge imports (``dependency_index.judged_imports``)."""


def _unrequested_fixtures(
    project: Project,
    results: Sequence[tuple[SourceFile, FileResult]],
    python_files: Iterable[str],
    first_party: frozenset[str],
) -> frozenset[tuple[str, str]]:
    """The conftest fixtures nothing in the suite requests (AO3), looked for only where a
    conftest's fixture holds an import a dependency rule may judge: unguarded, of a package
    neither standard nor the project's (a fixture's ``import json`` costs nothing)."""
    conftests = [
        file.path
        for file, result in results
        if any(
            i.fixture
            and not i.guarded
            and not is_stdlib(i.module)
            and i.module.partition(".")[0] not in first_party
            for i in result.facts.imports
        )
    ]
    if not conftests:
        return frozenset()
    requested = {name for _f, result in results for name in result.facts.test_requests}
    requested.update(
        name
        for file, result in results
        if file.path not in conftests
        for fixture in result.facts.fixtures
        for name in fixture.requests
    )
    files = sorted({*python_files, *(file.path for file, _r in results)})
    return unrequested_fixtures(project.root, files, conftests, requested)


def run_lint(
    paths: Sequence[Path],
    *,
    root: Path | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
    use_cache: bool = True,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    config_file: Path | None = None,
    config_overrides: Mapping[str, Any] | None = None,
    stdin: bytes | None = None,
) -> LintResult:
    """Lint ``paths`` (or the project's test paths) of the project found at ``root`` or above.

    With ``stdin``, ``paths`` is the one path those bytes stand for (it need not exist).
    """
    start = root or (Path(paths[0]).absolute() if paths else Path.cwd())
    project = find_project(start)
    config = project_config(project, config_file, config_overrides)
    rules = enabled_rules(config, select, ignore, extend_select)
    excluded = (*config.exclude, *project.pytest.ignore)
    absolute = [Path(p).absolute() for p in paths]
    contents = {relative(absolute[0], project.root): stdin} if stdin is not None else {}
    discovered = discover(project, absolute, excluded, must_exist=stdin is None)
    jobs = jobs or os.cpu_count() or 1
    mapper = _Mapper(project, config, rules, use_cache, jobs, progress, contents)
    results = mapper.run(discovered.files)
    plugin_names = [  # pytest reads no ``pytest_plugins`` of a package ``__init__.py``
        name for f, r in results if f.kind != "package" for name in r.facts.pytest_plugins
    ]
    plugins = list(iter_plugin_files(plugin_names, project, discovered))
    results += mapper.run(plugins)
    suite = {file.path for file in discovered.files}
    path_folders = sorted({folder for _f, r in results for folder in r.facts.path_folders})
    whole_suite = _whole_suite(project, absolute)
    default = (
        discovered
        if _default_paths(project, absolute)
        else discover(project, [], excluded, must_exist=False)
    )
    dependencies = _dependency_model(  # BN7: the project's modules whichever files were named
        project,
        config,
        rules,
        discovered.python_files | default.python_files,
        suite | {file.path for file in default.files},
        use_cache,
        path_folders,
    )
    codes = {rule.code for rule in rules}
    if codes & {"APT102", "APT104"}:  # APT104 names no module the tree lacks (AW4)
        suite_facts = [r.facts for f, r in results if f.kind != "package"]
        declared = {d.name for d in dependencies.declared}
        left_out = excluded_packages(project)
        repository = _repository_imports(suite_facts) | _imports_of(suite_facts, left_out)
        # DF2: a package the build leaves out may be a distribution of its own, declared by
        # its distribution name (``version-drift`` installs ``version_drift``)
        canonical = {canonicalize_name(name) for name in declared}
        siblings = _sibling_helpers(
            [(f.path, r.facts) for f, r in results if f.kind != "package"],
            discovered.package_dirs,
        )
        private = (
            _private_imports(suite_facts)
            | siblings
            | {name for name in repository if canonicalize_name(name) not in canonical}
        )
        missing = missing_private_modules(
            project.root, private - dependencies.first_party, left_out, repository
        )
        suite_modules = missing_suite_modules(
            project,
            [f.path for f, _r in results if f.kind != "package"],
            {fact.module for fact in _unguarded_module_level(suite_facts)},
            declared,
        )
        packaged = packaged_suite_modules(
            project.root,
            [
                (f.path, fact.module)
                for f, r in results
                if f.kind != "package"
                for fact in r.facts.imports
                if fact.module_level and not fact.guarded
            ],
            dependencies.first_party,
        )
        located = located_at_runtime(
            project.root, _unknown_in_bodies(suite_facts, dependencies.first_party), suite
        )
        dependencies = replace(
            dependencies,
            missing_private=missing,
            missing_suite=suite_modules,
            packaged_suite=packaged,
            excluded_packages=left_out & missing,
            sibling_helpers=siblings & missing,
            located_at_runtime=located,
        )
    if "APT102" in codes:
        installed = Deferred(functools.partial(runtime_installed, project.root, suite))
        dependencies = replace(dependencies, runtime_installed=installed)
    results = with_relative_imports(results, discovered.package_dirs, dependencies.first_party)
    chains, chain_files = import_chains(
        project,
        [(f, r.facts) for f, r in results],
        dependencies.first_party,
        mapper.cache,
        frozenset(canonicalize_name(d.name) for d in dependencies.declared),
    )
    model = ProjectModel(
        import_mode=project.pytest.import_mode,
        python_files=frozenset(discovered.python_files),
        package_dirs=frozenset(discovered.package_dirs),
        sys_path=tuple(
            relative(project.root / entry, project.root) for entry in project.pytest.pythonpath
        ),
        root_prefix=package_prefix(project.root),
        dependencies=dependencies,
        pytest_config=pytest_config(project),
        plugins=project.pytest.plugins,
        required_plugins=project.pytest.required_plugins,
        chains=chains,
        chain_facts={f.path: r.facts for f, r in mapper.run(chain_files)},
        package_skips=package_skips(project.root, suite, discovered.package_dirs),
        conftest_skips=conftest_skips(
            project.root, [f.path for f, _r in results if f.kind == "conftest"]
        ),
        folder_names=_folder_names(project, [r.facts for _, r in results]),
        cwd_managers=_cwd_managers(project, [r.facts for _, r in results]),
        absent_folders=_absent_folders(project, [r.facts for _, r in results]),
        nested_projects=frozenset(discovered.nested_projects),
        asyncio_mode_named="APT406" in codes
        and any(r.facts.unmarked_async_tests for _f, r in results)
        and commands_mention(
            project.root,
            ASYNCIO_MODE,
            [project.root / f.path for f, _r in results if f.kind == "conftest"],
        ),
        suite_python_files=frozenset(default.python_files),
        unrequested_fixtures=_unrequested_fixtures(
            project, results, discovered.python_files, dependencies.first_party
        )
        if whole_suite and DEPENDENCY_RULES & codes
        else frozenset(),
    )
    findings, warnings, errors = reduce_project(results, rules, model, config.options)
    findings = [f for f in findings if not _per_file_ignored(f, config)]
    return LintResult(
        project.root,
        findings,
        [f for f, _ in results],
        rules,
        [*discovered.warnings, *dependencies.warnings, *warnings],
        [*(error for _, result in results for error in result.errors), *errors],
    )


ASYNCIO_MODE = re.compile(r"asyncio[-_]mode")
"""pytest-asyncio's mode, as an option (``--asyncio-mode``) or a setting (``asyncio_mode``)."""


def _private_imports(facts: Sequence[FileFacts]) -> frozenset[str]:
    """The private top-level modules (``_util``, not ``__future__``) the suite's files import
    unguarded at module level (what APT102 judges of them) that are neither standard nor known
    to the tables: a distribution may not be named after them, so only the tree tells whether
    they are the suite's own."""
    return frozenset(
        top
        for fact in _unguarded_module_level(facts)
        if (top := fact.module.partition(".")[0]).startswith("_")
        and not top.startswith("__")
        and not is_stdlib(top)
        and not guessable(top)
    )


def _sibling_helpers(
    files: Sequence[tuple[str, FileFacts]], package_dirs: Iterable[str]
) -> frozenset[str]:
    """The top-level modules a suite file imports unguarded at module level by a bare name
    that a file of the same folder, a folder with no ``__init__.py``, imports as its sibling
    (``from .name import x``, FC1: compel's ``prompting_test_utils``, imported both ways from
    ``test/``): pytest puts that folder first on ``sys.path``, so the bare name is the sibling
    file, the suite's own helper, whatever PyPI names so; a tree that lacks it left it out
    (:func:`lint.dependencies.missing_private_modules`). Only a folder holding a relative
    import is looked at, with the facts already read."""
    siblings: dict[str, set[str]] = {}
    for path, facts in files:
        for fact in facts.relative_module_imports:
            if fact.module.startswith(".") and not fact.module.startswith(".."):
                folder = path.rpartition("/")[0]
                siblings.setdefault(folder, set()).add(fact.module[1:].partition(".")[0])
    if not siblings:
        return frozenset()
    packages = set(package_dirs)
    return frozenset(
        top
        for path, facts in files
        if (folder := path.rpartition("/")[0]) in siblings and folder not in packages
        for fact in facts.imports
        if fact.module_level
        and not fact.guarded
        and (top := fact.module.partition(".")[0]) in siblings[folder]
        and not is_stdlib(top)
    )


def _unknown_in_bodies(facts: Sequence[FileFacts], first_party: frozenset[str]) -> set[str]:
    """The top-level modules the suite's files import unguarded in a function's body that are
    neither standard, nor the project's, nor known to the tables: only those may be a module
    the project's own code puts on ``sys.path`` when it runs (BE1, ``located_at_runtime``)."""
    return {
        top
        for f in facts
        for fact in f.imports
        if not fact.module_level
        and not fact.guarded
        and (top := fact.module.partition(".")[0]) not in first_party
        and not is_stdlib(top)
        and not named_by_tables(top)
    }


def _unguarded_module_level(facts: Sequence[FileFacts]) -> Iterator[ImportFact]:
    """The suite files' unguarded module-level imports: what fails collecting when missing."""
    return (fact for f in facts for fact in f.imports if fact.module_level and not fact.guarded)


REPOSITORY_FOLDERS = frozenset(
    {"benchmarks", "demo", "demos", "docs", "example", "examples", "samples", "scripts", "tools"}
)
"""Folders a repository keeps beside its package and its sdist often leaves out: a module of
one is the repository's own (``examples/news_api/wrapper.py``), whatever PyPI names so."""

TEST_PACKAGE = re.compile(r"tests_\w+")
"""A package named for tests (EP1: pydevd's ``tests_python``, whose ``debugger_unittest`` its
vendored tests import): the repository's own test package, as a repository folder is. Not
``test_``: distributions install ``test_utils`` (google-cloud-testutils) and ``test_plus``."""


def _repository_imports(facts: Sequence[FileFacts]) -> frozenset[str]:
    """The repository folders (:data:`REPOSITORY_FOLDERS`) whose modules the suite's files import
    unguarded at module level by a dotted path (AW4: pypercache's ``from
    examples.news_api.newsapi_wrapper import NewsApiClient``, with ``pythonpath = .``): a
    package path of the repository, not a distribution, so a tree that holds no such folder
    left it out, as it leaves out a private helper (:func:`_private_imports`). A bare ``import
    examples`` may be the distribution of that name, and stays one."""
    return frozenset(
        top
        for fact in _unguarded_module_level(facts)
        if "." in fact.module
        and (
            (top := fact.module.partition(".")[0]) in REPOSITORY_FOLDERS
            or TEST_PACKAGE.fullmatch(top)  # EP1
        )
    )


def _imports_of(facts: Sequence[FileFacts], packages: frozenset[str]) -> frozenset[str]:
    """Which of ``packages`` the suite's files import unguarded at module level."""
    return frozenset(
        top
        for fact in _unguarded_module_level(facts)
        if (top := fact.module.partition(".")[0]) in packages
    )


def _cwd_managers(project: Project, facts: Sequence[FileFacts]) -> frozenset[str]:
    """The ``"module:name"`` managers around relative writes that the project's own module
    defines to move into a temporary folder it makes (BO1: ``with GitTemporaryDirectory():``
    of ``aider.utils``): read only for the names those writes ask, from the module's file in
    the tree (at the root or under ``src/``)."""
    wanted = {ref for f in facts for w in f.relative_writes for ref in w.managers_from}
    found: set[str] = set()
    for ref in sorted(wanted):
        module, _, name = ref.partition(":")
        own = _own_module(project.root, module, ("", "src/"))
        if own is not None and moves_into_temporary(own[1], name):
            found.add(ref)
    return frozenset(found)


def _own_module(root: Path, module: str, folders: Sequence[str]) -> tuple[str, str] | None:
    """The project-relative path and text of the project's own module ``module``
    (``pkg.utils``) in the first of ``folders`` (``""`` is the root) that holds it, a package
    before a module of the same name as Python finds them; None when the tree holds no file
    of it, or the first one found is no UTF-8 text."""
    base = module.replace(".", "/")
    for folder in folders:
        for path in (f"{folder}{base}/__init__.py", f"{folder}{base}.py"):
            data = read_bytes(root / path)  # a FIFO in its place is never read
            if isinstance(data, OSError):
                continue
            try:
                return path, data.decode("utf-8")
            except UnicodeDecodeError:
                return None
    return None


def _absent_folders(project: Project, facts: Sequence[FileFacts]) -> frozenset[str]:
    """CD1: the folders that guarded ``sys.path`` additions add only where they exist
    (``GlobalChangeFact.exists_guard``) which the project's tree does not hold; FL3: the paths
    without which a test module skips itself (``ProgramUseFact.skipped_unless``), likewise."""
    wanted = {folder for f in facts for c in f.global_changes for folder in c.exists_guard}
    absent = {folder for folder in wanted if not (project.root / folder).is_dir()}
    # FL3: paths whose absence skips a test module (``ProgramUseFact.skipped_unless``)
    paths = {path for f in facts for use in f.program_uses for path in use.skipped_unless}
    absent.update(path for path in paths if not (project.root / path).exists())
    return frozenset(absent)


def _folder_names(project: Project, facts: Sequence[FileFacts]) -> dict[str, str]:
    """The folders that the project's own modules bind the names that module-level changes
    import (``from tests import root`` before ``os.chdir(root)``): ``"module:name"`` -> the
    project-relative folder, for those computed for certain from the module's ``__file__``."""
    found: dict[str, str] = {}
    wanted = {c.path_from for f in facts for c in f.global_changes if c.path_from}
    for ref in sorted(wanted):
        module, _, name = ref.partition(":")
        own = _own_module(project.root, module, ("",))
        folder = imported_folder(*own, name) if own is not None else None
        if folder is not None:
            found[ref] = folder
    return found
