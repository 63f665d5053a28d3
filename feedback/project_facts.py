"""What the project declares about the packages a run's failures name, for the review.

The dependency model is apytest-lint's (through `apytest.lint.api`), so the feedback loop and
APT101/APT102 always agree on which extra or group declares a package. It is read only when a
failure names a module, a plugin's fixture, marker, option or ini key, a program, or a name a
module could not find while it was collected: a green run never pays for parsing
pyproject.toml or asking the installed metadata.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from apytest.common.names import LOG_FILE, METRICS_FILE
from apytest.common.versions import installed_version
from apytest.feedback.crown_prompt_orchestrator import (
    missing_names,
    named_modules,
    names_installable,
    relative_import_folder,
    unbound_at_collection,
)
from apytest.feedback.import_guards import missing_guard, missing_guard_in
from apytest.feedback.records import Declared, Failure, ProjectFacts


def project_facts(root: Path, failures: Sequence[Failure]) -> ProjectFacts:
    """Declarations, distributions and installed versions for the modules `failures` name
    (declarations also when they name a plugin's fixture, marker, option or ini key, or a
    program).

    An unreadable project (a broken pyproject.toml) gives empty facts: the review then says
    "declared nowhere" less often, but the run is still reviewed.
    """
    modules = named_modules(failures)
    unbound = {(f.crash_path, name) for f in failures if (name := unbound_at_collection(f))}
    packageless = frozenset(
        folder
        for f in failures
        if (folder := relative_import_folder(f)) is not None
        and not (root / folder / "__init__.py").exists()
    )
    if not modules and not unbound and not any(map(names_installable, failures)):
        return ProjectFacts(packageless=packageless)
    guarded = {
        f"{module}.{name}": package
        for module, name in sorted(missing_names(failures))
        if (package := missing_guard(module, name)) is not None
    }
    tested = {
        f"{path}:{name}": package
        for path, name in sorted(unbound)
        if (package := missing_guard_in(root / path, name)) is not None
    }
    modules |= {*guarded.values(), *tested.values()}
    from apytest.lint.api import LintError, dependency_model, distribution_of, loose_providers

    files = sorted({path for f in failures if (path := f.nodeid.split("::", 1)[0]).endswith(".py")})
    try:
        model = dependency_model(root, files)
    except (LintError, OSError, ValueError):
        return ProjectFacts(packageless=packageless)
    declared_names = frozenset(d.name for d in model.declared)
    distributions = {
        module: (distribution_of(module, model.installed, declared_names),) for module in modules
    }
    roots = _roots(root, {module.split(".")[0] for module in modules} & model.first_party)
    return ProjectFacts(
        declared=tuple(Declared(d.name, d.section, d.specifier) for d in model.declared),
        distributions=distributions,
        versions={
            name: version
            for (name,) in distributions.values()
            if (version := installed_version(name)) is not None
        },
        first_party=model.first_party,
        roots=roots,
        absent=frozenset(module for module in modules if _absent(root, module, roots)),
        packageless=packageless,
        # The project's own modules are its own code, not an optional part of a dependency.
        guarded={
            **{
                key: package
                for key, package in guarded.items()
                if key.split(".")[0] not in model.first_party
            },
            **tested,
        },
        loose={
            module: loose
            for module, (name,) in distributions.items()
            if name not in declared_names
            and (loose := _not_installed(loose_providers(module, declared_names)))
        },
    )


def _not_installed(names: Sequence[str]) -> tuple[str, ...]:
    """`names` without the installed ones: an installed distribution under which the module is
    still missing is not its provider."""
    return tuple(name for name in names if installed_version(name) is None)


# Where a project keeps its own packages, in the order a name is looked up.
_SOURCE_FOLDERS = ("src", ".")


def _roots(root: Path, packages: set[str]) -> dict[str, str]:
    """The folder under `root` holding each package as Python source: a module file, or a
    folder of Python files (`src/ujson` of C sources is none: only a build makes it
    importable)."""
    found = {}
    for package in sorted(packages):
        for folder in _SOURCE_FOLDERS:
            base = root / folder
            if (base / f"{package}.py").is_file() or _python_package(base / package):
                found[package] = folder
                break
    return found


def _absent(root: Path, module: str, roots: dict[str, str]) -> bool:
    """Whether `module` (`tests.config`) is missing from the folders of its first-party
    package (`tests/` is there, `tests/config.py` and `tests/config/` are not): not a module a
    package of the same name elsewhere (site-packages' `tests`) lacks. Any file of its name
    (`config.so`, even `config.yaml`) keeps it silent."""
    top = module.split(".")[0]
    if module == top or top not in roots:
        return False
    parent, _, name = module.rpartition(".")
    folder = root / roots[top] / parent.replace(".", "/")
    return folder.is_dir() and not ((folder / name).is_dir() or any(folder.glob(f"{name}.*")))


def _python_package(folder: Path) -> bool:
    try:
        return folder.is_dir() and any(path.suffix == ".py" for path in folder.iterdir())
    except OSError:
        return False


# Bounds of `foreign_variables`' search (files, bytes of one file, bytes in all): a tree past
# them is not searched to its end, and a variable not yet found there counts as the project's
# (reported, as before the search): a session's end must not read a data-heavy tree.
_MAX_FILES = 20_000
_MAX_FILE_BYTES = 1_000_000
_MAX_BYTES = 200_000_000


def foreign_variables(root: Path, names: Sequence[str]) -> frozenset[str]:
    """The changed environment variables that no file of the project spells out: a dependency
    set them, not the tests (polars writes `_RJEM_MALLOC_CONF` when it is imported), and
    monkeypatch in the tests could not undo them.

    Every file under `root` counts (a test's `load_dotenv()` sets what only `.env` names), but
    installed packages do not: hidden folders, `__pycache__`, `node_modules`, `site-packages`
    and virtual environments are skipped. A variable named only by computing it
    (`os.environ[prefix + "_HOME"]`) is taken for a dependency's: silence, not a wrong claim.
    """
    wanted = {os.fsencode(name): name for name in names}
    if not wanted:
        return frozenset()
    # apytest's own run log and metrics (a log of an earlier session may quote a suggestion).
    own_outputs = tuple(os.path.join(root, output) for output in (LOG_FILE, METRICS_FILE))
    scanned = read = 0
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [
            name
            for name in subfolders
            if not name.startswith(".")
            and name not in ("__pycache__", "node_modules", "site-packages")
            and not os.path.isfile(os.path.join(folder, name, "pyvenv.cfg"))
        ]
        for name in files:
            path = os.path.join(folder, name)
            if path.startswith(own_outputs):
                continue
            found, size = _named_in(path, wanted)
            scanned, read = scanned + 1, read + size
            if scanned > _MAX_FILES or read > _MAX_BYTES:
                return frozenset()
            for key in found:
                del wanted[key]
            if not wanted:
                return frozenset()
    return frozenset(wanted.values())


def _named_in(path: str, wanted: dict[bytes, str]) -> tuple[list[bytes], int]:
    """Which of `wanted` the file at `path` holds (none when it is large, unreadable or no
    regular file: a FIFO in the tree would block the read, and the session's end with it),
    and how many bytes were read to know."""
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode) or status.st_size > _MAX_FILE_BYTES:
            return [], 0
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return [], 0
    return [key for key in wanted if key in data], len(data)
