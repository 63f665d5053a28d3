"""The project's dependency model: what it declares, records, provides and has installed.

Declarations are read by :mod:`apytest.lint.declarations` (one module per source format, each
keeping file and line, so findings point at the line to edit); records come from the Markdown
table of ``dependency_registry.md``. A registry that cannot be read is a :class:`LintError`
naming the file and line.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from importlib.metadata import packages_distributions
from pathlib import Path, PurePosixPath
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from apytest.common.files import is_file, read_regular
from apytest.common.settings import MAX_BYTES, ConfigError, read_toml
from apytest.lint.cache import CACHE_DIR, environment_key, read_keyed, write_keyed
from apytest.lint.declarations import (
    LOOKED_FOR,
    declared_project_name,
    read_declarations,
    script_tables,
)
from apytest.lint.declarations import project_name as distribution_name
from apytest.lint.declarations.literals import UNKNOWN, Literals
from apytest.lint.declarations.setuptools import quiet_setup_cfg, quiet_setup_py
from apytest.lint.errors import LintError
from apytest.lint.project import Project
from apytest.lint.source import decode
from apytest.lint.toml import toml_table
from apytest.rules.api import DependencyModel, RegistryRow
from apytest.rules.support.astutil import assignment, dotted_name
from apytest.rules.support.distributions import is_stdlib, named_by_tables
from apytest.rules.support.global_state import call_change, statement_change
from apytest.rules.support.static_paths import (
    PathEvaluator,
    added_path_argument,
    import_bindings,
    imported_path_names,
    top_statements,
)

DEFAULT_REGISTRY = "dependency_registry.md"
_REGISTRY_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def read_registry(path: Path, rel: str) -> tuple[RegistryRow, ...]:
    """The package names in the first column of the Markdown tables of ``path``.

    Each table's header row and its ``| --- |`` separator are skipped; a data row whose first
    cell names no package is an error naming the line.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise LintError(f"{rel}: cannot read: {error}") from None
    rows: list[RegistryRow] = []
    in_table = False
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line.startswith("|"):
            in_table = False
            continue
        if not in_table or _SEPARATOR.match(line):
            in_table = True  # the header row, or the separator below it
            continue
        cell = line.strip("|").split("|")[0]
        cell = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", cell).replace("`", "").replace("*", "")
        match = _REGISTRY_NAME.match(cell.strip())
        if match is None:
            raise LintError(f"{rel}:{number}: the first column of the registry must name a package")
        rows.append(RegistryRow(canonicalize_name(match.group()), number))
    return tuple(rows)


MODULE_SUFFIXES = (".py", ".so", ".pyd", ".pyx")
"""The files that make a module of their stem: a source, a built extension, or a Cython
source that the build compiles beside it (CMake's ``add_cython_target``, ``pyximport``, a
``build_ext --inplace``), which an sdist ships unbuilt."""


HOOKED_SUFFIXES: Mapping[str, str] = {".capnp": "_capnp"}
"""Schema files an import hook serves as modules, and the tail it gives their names: pycapnp's
hook, which ``import capnp`` installs, imports ``X.capnp`` of a folder on ``sys.path`` as
``X_capnp`` (a dash read as an underscore)."""


def _module_names(folder: Path) -> Iterator[str]:
    """Top-level import names that files and folders directly in ``folder`` provide."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if entry.is_dir() and name.isidentifier():
            yield name
        elif name.endswith(MODULE_SUFFIXES):
            yield name.partition(".")[0]
        else:
            stem, _, suffix = name.rpartition(".")
            tail = HOOKED_SUFFIXES.get(f".{suffix}")
            if stem and tail is not None:
                yield stem.replace("-", "_") + tail


SKIPPED_DEPTH = 3
"""How deep :func:`_skipped_packages` looks into a folder pytest does not walk."""


def _skipped_packages(
    folder: Path, walked: Collection[Path], depth: int = SKIPPED_DEPTH
) -> Iterator[str]:
    """Top packages inside the subfolders of a suite's folder that discovery did not walk
    (``norecursedirs``: ``*.egg``, ``build``, ``dist``; a folder without test files): a
    suite puts such a folder on ``sys.path`` itself (``sys.path.append(".../FakeApp.egg")``
    in its ``__init__.py``) and imports its packages, which are the project's files, not
    packages to declare. A package counts from the first folder up that is no package."""
    if depth <= 0:
        return
    try:
        entries = [e for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for entry in entries:
        path = Path(entry.path)
        if path in walked or entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        if is_file(path / "pyvenv.cfg"):  # False, not PermissionError, in a locked folder
            continue
        if entry.name.isidentifier() and is_file(path / "__init__.py"):
            yield entry.name
        else:
            yield from _skipped_packages(path, walked, depth - 1)


def _setuptools_packages(data: Mapping[str, Any]) -> Iterator[str]:
    setuptools = toml_table(data, "tool.setuptools")
    packages = setuptools.get("packages", [])
    names = list(packages) if isinstance(packages, list) else []
    package_dir = setuptools.get("package-dir", {})
    names += list(package_dir) if isinstance(package_dir, dict) else []
    yield from (str(name).partition(".")[0] for name in names if name)


def _hatch_packages(data: Mapping[str, Any]) -> Iterator[str]:
    """BV1: the top-level packages hatch's ``[tool.hatch.build.targets.wheel] packages``
    installs (``["cognite"]`` installs ``cognite``, ``["src/demo"]`` installs ``demo``): the
    project's own package, also where it is a namespace folder without an ``__init__.py`` that
    a declared distribution shares (cognite-ai's ``cognite/ai`` beside cognite-sdk's
    ``cognite.client``)."""
    listed = toml_table(data, "tool.hatch.build.targets.wheel").get("packages", [])
    for path in listed if isinstance(listed, list) else []:  # a table renames: not read
        if isinstance(path, str) and path.strip("/"):
            yield path.strip("/").rpartition("/")[2]


def _script_modules(data: Mapping[str, Any]) -> Iterator[str]:
    """The top-level modules the project's own console and GUI scripts point into: the
    ``pkg`` of ``[project.scripts]``/``[project.gui-scripts]`` values ``"pkg.cli:main"`` and
    of Poetry's string scripts. A build that installs a folder under another name (meson's
    ``py.install_sources([...], subdir: 'sscha')`` for ``Modules/``, AL1) shows the name
    there and in no folder; a script points into what the project installs with itself."""
    for scripts in script_tables(data):
        for value in scripts.values():
            if isinstance(value, str):
                module = value.partition(":")[0].strip().partition(".")[0]
                if module.isidentifier():
                    yield module


EGG_INFO_FOLDERS = ("", "src")
"""Where a setuptools sdist ships its ``*.egg-info`` folder: the root, or ``src/``."""


def _package_folders(data: Mapping[str, Any]) -> Iterator[str]:
    """Project-relative folders whose packages the build installs although they lie neither
    at the root nor in ``src/``: setuptools' ``[tool.setuptools.packages.find] where``
    (``["python"]``), the parents of scikit-build-core's ``[tool.scikit-build]
    wheel.packages`` (``["python/skfemntv"]``, a C++ project's Python half beside its
    sources) and of hatch's ``[tool.hatch.build.targets.wheel] packages``
    (``["translator/ha2st_edge"]`` installs ``ha2st_edge`` at the top level, BN6), and
    maturin's ``[tool.maturin] python-source`` (``"python"``: a Rust project's Python package,
    AI3). A test importing such a package imports the project, not a package to declare."""
    where = toml_table(data, "tool.setuptools.packages.find").get("where", [])
    yield from (w for w in ([where] if isinstance(where, str) else where) if isinstance(w, str))
    source = toml_table(data, "tool.maturin").get("python-source")
    if isinstance(source, str):
        yield source.strip("/")
    for table in ("tool.scikit-build.wheel", "tool.hatch.build.targets.wheel"):
        listed = toml_table(data, table).get("packages", [])
        for path in listed if isinstance(listed, list) else []:  # a table renames: not read
            if isinstance(path, str):
                yield path.rstrip("/").rpartition("/")[0]


def _egg_info_top_level(root: Path) -> Iterator[str]:
    """The import names a setuptools sdist's ``*.egg-info/top_level.txt`` lists: what the
    project installs, also a package that ``package_dir`` maps to a folder of another name
    (``{"supybot": "src"}``), which no folder name shows."""
    for folder in EGG_INFO_FOLDERS:
        try:
            infos = sorted((root / folder).glob("*.egg-info"))
        except OSError:
            continue
        for info in infos:
            try:
                text = read_regular(info / "top_level.txt", MAX_BYTES).decode("utf-8", "replace")
            except OSError:
                continue
            for line in text.splitlines():
                name = line.strip()
                if name.isidentifier():
                    yield name


def _extension_name(call: ast.Call, literals: Literals) -> str | None:
    """The module an ``Extension(...)`` call builds (its first argument or ``name=``), when it
    is a literal: ``Extension``, ``Pybind11Extension``, ``CUDAExtension``, ``RustExtension``
    all name the built module first."""
    func = call.func
    callee = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if not callee.endswith("Extension"):
        return None
    named = call.args[0] if call.args else None
    named = next((k.value for k in call.keywords if k.arg in ("name", "target")), named)
    value = literals.value(named) if named is not None else UNKNOWN
    return value[0] if isinstance(value, tuple) else None


def _extension_modules(project: Project) -> Iterator[str]:
    """Top-level modules the project compiles itself: ``Extension("_speedups", ...)`` in
    ``setup.py`` and ``[tool.setuptools] ext-modules`` in ``pyproject.toml`` (maturin's:
    ``_maturin_modules``). A test importing ``_speedups`` imports the project's own build, not
    a package to declare."""
    modules = toml_table(project.pyproject, "tool.setuptools").get("ext-modules", [])
    for module in modules if isinstance(modules, list) else []:
        name = module.get("name") if isinstance(module, dict) else None
        if isinstance(name, str):
            yield name.partition(".")[0]
    tree = quiet_setup_py(project.root)
    if tree is None:
        return  # no setup.py, or one the declarations already call unreadable
    literals = Literals(tree)
    for node in ast.walk(tree):
        name = _extension_name(node, literals) if isinstance(node, ast.Call) else None
        if name:
            yield name.partition(".")[0]


MESON_EXTENSION = re.compile(r"""\.extension_module\(\s*(?:(['"])(\w+)\1|(\w+)\s*[,)])""")
"""meson's ``py.extension_module('name', ...)``, or with a variable as its first argument."""
MESON_STRING = re.compile(r"""^[ \t]*(\w+)[ \t]*=[ \t]*(['"])(\w+)\2[ \t]*$""", re.MULTILINE)
"""A meson variable bound to a plain string (``module_name = 'pkg_fortran'``)."""


def _meson_extensions(root: Path) -> Iterator[str]:
    """The top-level modules a root ``meson.build`` compiles with ``extension_module`` (BD5:
    pyoculus builds ``pyoculus_spec_fortran_module`` with f2py, named by a variable): its
    own build, not a package to declare. A name the call computes is not read."""
    try:
        text = decode(read_regular(root / "meson.build", MAX_BYTES))
    except (OSError, ValueError):
        return
    strings = {match.group(1): match.group(3) for match in MESON_STRING.finditer(text)}
    for match in MESON_EXTENSION.finditer(text):
        name = match.group(2) or strings.get(match.group(3) or "")
        if name:
            yield name


MATURIN_BACKEND = "maturin"


def _maturin_modules(project: Project) -> Iterator[str]:
    """The top-level module a maturin build compiles from Rust: ``[tool.maturin] module-name``
    (``"lev._lev"``, AI3), else, under the maturin backend, the crate's ``[lib] name``, else its
    ``[package] name`` (dashes made underscores), in the ``Cargo.toml`` that ``manifest-path``
    names or the root's. orjson-pydantic's sdist builds ``orjson``, a name no folder or Python
    file of the sdist shows: a test importing it imports the project's own build, not a package
    to declare."""
    maturin = toml_table(project.pyproject, "tool.maturin")
    named = maturin.get("module-name")
    if isinstance(named, str) and named:
        yield named.partition(".")[0]
        return
    backend = toml_table(project.pyproject, "build-system").get("build-backend")
    if not isinstance(backend, str) or backend.partition(".")[0] != MATURIN_BACKEND:
        return  # a Cargo.toml beside another backend builds no module of the project's
    manifest = maturin.get("manifest-path")
    path = project.root / (manifest if isinstance(manifest, str) else "Cargo.toml")
    try:
        cargo = read_toml(path)
    except (OSError, ConfigError):
        return  # no readable manifest: nothing to read the name from
    for table in ("lib", "package"):
        name = toml_table(cargo, table).get("name")
        if isinstance(name, str) and name:
            yield name.replace("-", "_")
            return


_PATH_LOADERS = frozenset({"addsitedir", "discover"})
"""Calls by these last names put a folder on ``sys.path`` (``site.addsitedir``, unittest's
loaders' ``discover``)."""


def _changes_path(node: ast.AST) -> bool:
    """Whether ``node`` changes ``sys.path`` as APT204 reads such changes (a call of one of its
    list methods, an assignment to it or a slice of it), or calls ``site.addsitedir`` or a
    ``discover`` (unittest's loaders put their top folder on it; EE1)."""
    if isinstance(node, ast.Call):
        func = node.func
        last = (
            func.attr
            if isinstance(func, ast.Attribute)
            else func.id
            if isinstance(func, ast.Name)
            else None
        )
        if last in _PATH_LOADERS:
            return True
        callee = dotted_name(func)
        change = None if callee is None else call_change(callee, _no_environ)
    elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete):
        change = statement_change(node, _no_environ)
    else:
        return False
    return change is not None and change[0] == "sys.path"


def _no_environ(name: str | None) -> bool:
    """``os.environ`` is not asked about here: only ``sys.path`` changes count."""
    return False


class _PackageFolders:
    """Which folders of the tree (as path parts below ``root``) are packages, each asked of the
    filesystem once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.known: dict[tuple[str, ...], bool] = {}
        self.path_changes: dict[tuple[str, ...], bool] = {}

    def __call__(self, parts: tuple[str, ...]) -> bool:
        """Whether the folder holds an ``__init__.py`` (the root itself never counts)."""
        known = self.known.get(parts)
        if known is None:
            known = self.known[parts] = (
                bool(parts) and self.root.joinpath(*parts, "__init__.py").is_file()
            )
        return known

    def base(self, folder: tuple[str, ...]) -> int:
        """How many of ``folder``'s parts lie above its packages: pytest puts that first
        folder up without ``__init__.py`` on ``sys.path`` for a module in ``folder``, which
        it imports with the packages' names in front (the default ``prepend`` import mode)."""
        base = len(folder)
        while base > 0 and self(folder[:base]):
            base -= 1
        return base

    def changes_path(self, parts: tuple[str, ...]) -> bool:
        """Whether the package's ``__init__.py``, which Python runs before any module of the
        package, changes ``sys.path`` (EE1: tplinkrouterc6u's ``test/__init__.py`` appends to
        it and runs ``unittest.TestLoader().discover('test')``, which puts ``test/`` itself
        first on it): a sibling's bare name may then import. Asked only of the packages above
        a module importing a sibling by its bare name, each read once; an unreadable one
        counts as changing it (silence when unsure)."""
        known = self.path_changes.get(parts)
        if known is None:
            try:
                tree = ast.parse(read_regular(self.root.joinpath(*parts, "__init__.py"), MAX_BYTES))
            except (OSError, SyntaxError, ValueError):
                known = True
            else:
                known = any(_changes_path(node) for node in ast.walk(tree))
            self.path_changes[parts] = known
        return known


def first_party_names(
    project: Project,
    python_files: Iterable[str],
    project_name: str,
    installed: Mapping[str, Sequence[str]],
    suite: Collection[str] | None = None,
    path_folders: Iterable[str] = (),
) -> frozenset[str]:
    """Import names the project provides: its packages (flat or ``src`` layout, ``pythonpath``),
    every folder and module of the test suite, and whatever installed metadata says the project
    itself provides (an editable install), and the extension modules it builds (a maturin
    build's Rust module too). So do the modules in the folders the suite's modules put on
    ``sys.path`` themselves (``path_folders``), wherever they lie: ``testpaths`` may leave them
    unlinted.

    The modules beside each file of the suite (``suite``: test modules, conftests, plugins;
    None: every one of ``python_files``) and in every folder above it count too, whether linted
    or not: pytest puts a test module's or conftest's folder (or its package's base) on
    ``sys.path``, so a conftest's ``import helpers`` finds the ``helpers.py`` next to it; not a
    package above it, which only its base puts there (DH1: ``tests/bench/`` of a ``tests/``
    package above ``tests/unit/`` is no top-level ``bench``). Inside
    a package only the package's base counts (BS2): ``tests/ext/redis/`` of a ``tests/``
    package is ``tests.ext.redis``, so ``import redis`` there needs the distribution. The
    answer must not depend on which files were named: pre-commit passes only the changed ones.
    Any other module provides only what Python imports it as: the top package it lies in
    (``cattrs`` for ``src/cattrs/preconf/bson.py``, which is no top-level ``bson``), through
    folders without ``__init__.py`` inside it too (BN3).
    """
    root = project.root
    names: set[str] = set()
    folders = {root, root / "src", *(root / p for p in project.pytest.pythonpath)}
    folders.update(_path_folders(root, path_folders))
    folders.update(root / folder for folder in _package_folders(project.pyproject))
    folders.update(_vendored_folders(root))
    is_package = _PackageFolders(root)

    def in_package(parts: tuple[str, ...]) -> bool:
        """BN3: a folder without ``__init__.py`` inside a package is a namespace portion of it
        (``dyne/ext/db/`` of ``dyne.ext``), imported as ``dyne.ext.db``: a package below it
        (``alchemical``) is no top-level module."""
        return len(parts) > 1 and is_package(parts[:-1])

    above: set[tuple[str, ...]] = set()  # folders as parts: one Path each, not one per file
    for path in python_files:
        parts = tuple(path.split("/"))
        base = len(parts) - 1
        if suite is None or path in suite:
            # BS2: a package between pytest's ``sys.path`` entry and the module is imported
            # below its top package (``tests/ext/redis/`` is ``tests.ext.redis``, never the
            # ``redis`` distribution)
            base = is_package.base(parts[:-1])
            names.update(parts[:base])
        else:  # only its top package, from the first folder up that lies in no package
            while base > 0 and (is_package(parts[:base]) or in_package(parts[:base])):
                base -= 1
        names.add(parts[base].partition(".")[0])
        # a package above (``tests/`` over ``tests/unit/`` without ``__init__.py``) is never
        # on ``sys.path`` itself: pytest puts only a package's base there (DH1)
        above.update(parts[:depth] for depth in range(1, base + 1) if not is_package(parts[:depth]))
    folders.update(root.joinpath(*parts) for parts in above)
    for folder in folders:
        names.update(_module_names(folder))
    parents = {path.rpartition("/")[0] for path in python_files}
    walked = {root.joinpath(*parent.split("/")) for parent in parents}
    walked.update(parent for folder in list(walked) for parent in folder.parents)
    suite_parents = {
        path.rpartition("/")[0] for path in python_files if suite is None or path in suite
    }
    suite_folders = {root.joinpath(*parent.split("/")) for parent in suite_parents if parent}
    for folder in suite_folders:
        names.update(_skipped_packages(folder, walked))
    names.update(_setuptools_packages(project.pyproject))
    names.update(_script_modules(project.pyproject))
    names.update(_egg_info_top_level(root))
    names.update(_extension_modules(project))
    names.update(_meson_extensions(root))
    names.update(_maturin_modules(project))
    names.update(_namespace_top(declared_project_name(project)))
    if project_name:
        names.add(project_name.replace("-", "_"))
        names.update(
            module
            for module, dists in installed.items()
            if project_name in {canonicalize_name(d) for d in dists}
        )
    return frozenset(name for name in names if name)


def _vendored_folders(root: Path) -> Iterator[Path]:
    """CV1: the project folders that a top package's ``__init__.py`` puts on ``sys.path`` when
    imported, at its top level or in an ``if``/``try`` there (ovs-dbg's ``vendor_dir =
    os.path.join(parent_dir, "vendor")`` / ``sys.path.insert(1, vendor_dir)`` under ``if "ovs"
    not in sys.modules:``): importing any module of the package first runs it, so the packages
    in that folder (``ovs``) are the project's own files. Only the ``__init__.py`` of the
    packages at the root and in ``src/`` whose text names ``sys.path`` are parsed; an insertion
    inside a function, which may never run, is not read, unless the ``__init__.py`` calls
    that function at its top level (DD1: tecton's ``__find_spark()``, putting its shipped
    ``vendor/pyspark`` folder first when no pyspark is installed)."""
    for base in (root, root / "src"):
        try:
            entries = [e for e in os.scandir(base) if e.is_dir() and e.name.isidentifier()]
        except OSError:
            continue
        for entry in entries:
            init = Path(entry.path) / "__init__.py"
            try:
                text = decode(read_regular(init, MAX_BYTES))
            except (OSError, UnicodeDecodeError, ValueError):
                continue
            if "sys.path" not in text and "()" not in text:
                continue  # DD1: a call with no arguments may run a function that inserts
            try:
                module = ast.parse(text)
            except (SyntaxError, ValueError):
                continue
            relative = init.relative_to(root).as_posix()
            for parts in _inserted_folders(module, relative):
                yield root.joinpath(*parts)
            origins = {entry.name: PurePosixPath(relative).parts}
            called = _called_functions(module, relative, Path(entry.path), root)
            for body, defining, file in called:
                for parts in _inserted_folders(body, file, defining, origins):
                    yield root.joinpath(*parts)


def _called_functions(
    module: ast.Module, relative: str, package: Path, root: Path
) -> Iterator[tuple[ast.Module, ast.Module, str]]:
    """DD1: the functions a top package's ``__init__.py`` (``module``, at the project-relative
    ``relative``, of the folder ``package``) calls with no arguments at its top level, defined
    there or imported from a module of the package (tecton's ``from
    tecton._internals.find_spark import find_spark as __find_spark`` / ``__find_spark()``):
    each body as a module, the module defining it and that module's project-relative path."""
    called = {
        stmt.value.func.id
        for stmt in top_statements(module.body)
        if isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Name)
        and not stmt.value.args
        and not stmt.value.keywords
    }
    if not called:
        return
    for stmt in module.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name in called:
            yield ast.Module(body=stmt.body, type_ignores=[]), module, relative
        if not isinstance(stmt, ast.ImportFrom) or not stmt.module or stmt.level > 1:
            continue
        names = stmt.module.split(".")
        if stmt.level == 0:
            if names[0] != package.name:
                continue
            names = names[1:]
        if not names:
            continue
        source = package.joinpath(*names[:-1], names[-1] + ".py")
        for alias in stmt.names:
            if (alias.asname or alias.name) not in called:
                continue
            try:
                text = decode(read_regular(source, MAX_BYTES))
                defining = ast.parse(text) if "sys.path" in text else None
            except (OSError, UnicodeDecodeError, ValueError, SyntaxError):
                continue
            if defining is None:
                continue
            for node in defining.body:
                if isinstance(node, ast.FunctionDef) and node.name == alias.name:
                    body = ast.Module(body=node.body, type_ignores=[])
                    yield body, defining, source.relative_to(root).as_posix()


def _inserted_folders(
    module: ast.Module,
    file: str,
    defining: ast.Module | None = None,
    origins: Mapping[str, tuple[str, ...]] | None = None,
) -> Iterator[tuple[str, ...]]:
    """CV1: the project-relative folders the top-level ``sys.path.insert``/``append`` calls
    of ``module`` (at ``file``) add, each computed for certain from ``__file__`` through
    names the file binds once (in an ``if`` too). DD1: ``module`` may be the body of a
    function of ``defining`` (whose imports name the path functions), and ``origins`` the
    packages whose ``importlib.util.find_spec(NAME).origin`` is known."""
    imported = imported_path_names(module if defining is None else defining)
    evaluator = PathEvaluator(file, import_bindings(module), imported, origins=origins)
    for stmt in top_statements(module.body):
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if not isinstance(call, ast.Call) or dotted_name(call.func) not in {
            "sys.path.insert",
            "sys.path.append",
        }:
            continue
        added = added_path_argument(call)
        folder = None if added is None else evaluator.folder(added)
        if folder and ".." not in folder:
            yield folder


def _listed(folder: str) -> str:
    """The folder a ``path_folders`` entry names: of ``bridges/*`` (CK1: a loop put each
    folder below ``bridges/`` on ``sys.path``), ``bridges``; of ``*``, the root."""
    if folder == "*":
        return ""
    return folder.removesuffix("/*")


def _path_folders(root: Path, path_folders: Iterable[str]) -> set[Path]:
    """The folders the suite's modules put on ``sys.path``: each one named, and for an entry
    ``FOLDER/*`` (CK1: ``for d in FOLDER.iterdir(): sys.path.insert(0, str(d))``) every
    folder below ``FOLDER``, whichever of them the loop's own test keeps (not sure: all)."""
    folders: set[Path] = set()
    for folder in path_folders:
        if folder != "*" and not folder.endswith("/*"):
            folders.add(root / folder)
            continue
        try:
            folders.update(entry for entry in (root / _listed(folder)).iterdir() if entry.is_dir())
        except OSError:
            continue
    return folders


def _namespace_top(raw_name: str) -> set[str]:
    """The namespace package a dotted project name fills (BP6: ``dioptic.profileparser``, as
    ``zope.interface`` and ``jaraco.functools``, installs ``dioptic/profileparser``): its own
    modules, wherever its build takes them from (a CMake build's ``python/`` folder, which no
    folder of the tree names). A dashed or underscored name (``dioptic-profileparser``) says
    nothing of a namespace."""
    parts = raw_name.split(".")
    if len(parts) < 2 or not all(part.isidentifier() for part in parts):
        return set()
    return {parts[0]}


UPPER_LEVELS = 2
"""How many folders above the rootdir ``upper_project`` looks: a suite folder (``tests/``,
``tests/unit/``) in its project, no further (a folder far above may be another project)."""
VCS_FOLDERS = (".git", ".hg", ".svn")
UPPER_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "tox.ini")


def upper_project(project: Project) -> Project | None:
    """The project a rootdir that declares nothing lies in: pypubsub's ``tests/pytest.ini``
    makes ``tests/`` the rootdir (tox runs pytest in ``tests/suite``), while ``pyproject.toml``
    and ``tox.ini`` one folder up name the package and the test dependencies. The nearest of
    the ``UPPER_LEVELS`` folders above the rootdir, not past a repository's top, holding a
    ``pyproject.toml``, ``setup.py``, ``setup.cfg`` or ``tox.ini``; None when none does."""
    folder = project.root
    for _ in range(UPPER_LEVELS):
        if any((folder / vcs).exists() for vcs in VCS_FOLDERS) or folder.parent == folder:
            return None
        folder = folder.parent
        if any(is_file(folder / name) for name in UPPER_MARKERS):
            pyproject = folder / "pyproject.toml"
            try:
                data = read_toml(pyproject) if is_file(pyproject) else {}
            except ConfigError:
                data = {}  # unreadable: the declarations name it so
            return Project(folder, project.pytest, data)
    return None


def _named_distributions(
    found: Mapping[str, Iterable[str | None]],
) -> dict[str, tuple[str, ...]]:
    """Each import name's distributions that have a name (a cache written before unnamed ones
    were left out may still hold them), as plain tuples; import names left with none dropped."""
    return {
        module: named
        for module, dists in found.items()
        if (named := tuple(dist for dist in dists if dist))
    }


def installed_distributions(root: Path, use_cache: bool = True) -> dict[str, tuple[str, ...]]:
    """``packages_distributions()`` of the running environment, as plain tuples.

    Reading every installed distribution's metadata costs more than a whole warm lint run, so
    the answer is kept in the project's cache until the environment changes. A distribution
    whose metadata names nothing (an sdist's ``*.egg-info`` holding only ``SOURCES.txt``, found
    on ``sys.path`` through the working folder) is no distribution of any name: left out.
    """
    key = environment_key()
    path = root / CACHE_DIR.parent / "installed-distributions.json"
    cached = read_keyed(path, key) if use_cache else None
    if isinstance(cached, dict):
        return _named_distributions(cached)
    found = _named_distributions(packages_distributions())
    if use_cache:
        write_keyed(path, key, found)
    return found


def load_dependencies(
    project: Project,
    python_files: Iterable[str],
    registry: str = DEFAULT_REGISTRY,
    use_cache: bool = True,
    suite: Collection[str] | None = None,
    path_folders: Collection[str] = (),
) -> DependencyModel:
    """The project's :class:`DependencyModel`, read from its files (those of the project above
    the rootdir, when the rootdir is a folder of the suite declaring nothing: ``upper_project``);
    ``path_folders`` as :func:`first_party_names` reads them."""
    root = project.root
    found = read_declarations(project)
    upper = upper_project(project) if not found.sources else None
    if upper is not None:
        found = read_declarations(upper)
    registry_path = root / registry
    installed = installed_distributions(root, use_cache)
    return DependencyModel(
        project_name=found.project_name,
        scripts=found.scripts,
        declared=found.declared,
        includes=found.includes,
        complete=not found.unreadable,
        runtime_known=found.runtime_known,
        test_sections=found.test_sections,
        sources=found.sources,
        looked_for=LOOKED_FOR,
        registry_path=registry if registry_path.is_file() else None,
        registry=read_registry(registry_path, registry) if registry_path.is_file() else (),
        first_party=first_party_names(
            project, python_files, found.project_name, installed, suite, path_folders
        )
        # the packages of the project above, as its own rootdir would name them
        | (first_party_names(upper, (), found.project_name, installed) if upper else frozenset()),
        installed=installed,
        warnings=found.warnings,
        sourced=found.sourced,
        uv_fixed=found.uv_fixed,
        uv_constraints=found.uv_constraints,
        rejected_files=found.rejected,
        constraint_files=found.constraints_only,
        locked=found.locked,
        python_requires=found.python_requires,
        installs_project=found.installs_project,
        unknown_constraints=found.unknown_constraints,
        missing_path_folders=tuple(
            folder for folder in path_folders if not (root / _listed(folder)).is_dir()
        )
        + missing_build_folders(project),
    )


COMPILED_SUFFIXES = frozenset(
    {".c", ".cc", ".cpp", ".cxx", ".cu", ".f", ".f90", ".pyd", ".pyx", ".rs", ".so"}
)
"""Sources (and builds) of compiled modules, whose names no Python file shows."""

BUILD_DESCRIPTIONS = frozenset({"CMakeLists.txt", "Cargo.toml", "meson.build"})
"""Build descriptions that may name a compiled top-level module (``pybind11_add_module(_core
...)``) in no string."""

COMPILING_BUILD = re.compile(
    r"Extension\(|ext_modules|ext-modules|cffi_modules|scikit.build|mesonpy|maturin|cmake",
    re.IGNORECASE,
)
"""Words of a build file that compiles modules (setuptools' ``Extension(`` and
``ext_modules``, cffi, scikit-build, meson-python, maturin, CMake), whose names need not
show in any file of the tree."""

TABLE_HEADER = re.compile(r"^[ \t]*\[[^\]\n]*\][ \t]*$", re.MULTILINE)
"""A table header of ``pyproject.toml`` or a section of ``setup.cfg`` (``[project.scripts]``,
``[options.packages.find]``): it names a setting, not a module the build writes (DF6: memkraft's
``[project.scripts]``, whose word hid the ``scripts`` folder its sdist leaves out)."""

COMMENT_LINE = re.compile(r"^[ \t]*[#;].*$", re.MULTILINE)
"""A whole-line comment of ``pyproject.toml``, ``setup.py`` or ``setup.cfg``: words in it build
nothing (admina's ``# ... (a maturin build)``, geoaquacrop-visualize's ``# tests/_paths.py
finds ...``), so they neither make the build a compiling one nor name a module it writes."""

PRUNED_FOLDERS = frozenset({"__pycache__", "node_modules"})

MAX_TREE_ENTRIES = 50_000
"""How many files and folders a walk of the tree (``_walk``) looks at before it gives up."""


class _TreeTooLarge(Exception):
    """The tree holds more than ``MAX_TREE_ENTRIES`` files and folders: not sure, so silent."""


def _walk(root: Path) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk`` of the tree without hidden folders and ``PRUNED_FOLDERS``, raising
    ``_TreeTooLarge`` past ``MAX_TREE_ENTRIES`` entries."""
    seen = 0
    for folder, folders, files in os.walk(root):
        folders[:] = [f for f in folders if not f.startswith(".") and f not in PRUNED_FOLDERS]
        seen += len(folders) + len(files)
        if seen > MAX_TREE_ENTRIES:
            raise _TreeTooLarge
        yield folder, folders, files


RUNTIME_PIP_NAME = re.compile(r"(?:^|_)pip(?:_|$)", re.IGNORECASE)
"""A name the project binds to what pip installs when it runs (``deps_pip``, ``pip_deps``,
``PIP_PACKAGES``): a word of it is ``pip``."""

PIP_LIST_LINE = re.compile(
    r"[ \t]*(?:\w+\.)*\w*pip\w*[ \t]*(?::[^=\n]*)?=[ \t]*[\[({]", re.IGNORECASE
)
"""A line binding such a name to a list (``deps_pip = [``, ``self.pip_deps = (``), looked for
before the module is parsed to read it."""


def runtime_installed(root: Path, suite: Collection[str]) -> frozenset[str]:
    """BG2: the distributions the project's own modules (outside the suite) list for pip to
    install when they run, in a literal list bound to a pip name (``deps_pip = ["asyncpg",
    "sqlmodel~=0.0.22"]`` of a plugin module its framework installs before the plugin's first
    use): an import of one inside a test's function may run after the project installed it,
    so the declaration is the project's own. The whole tree is read, whatever was linted
    (BN1: with ``testpaths = ["tests"]`` or ``apytest-lint tests`` the plugin module is no
    linted file); nothing in a tree too large to walk (a name it misses is reported)."""
    names: set[str] = set()
    try:
        for folder, _folders, files in _walk(root):
            for name in files:
                path = Path(folder) / name
                if name.endswith(".py") and path.relative_to(root).as_posix() not in suite:
                    names.update(_pip_listed_in(path))
    except _TreeTooLarge:
        return frozenset()
    return frozenset(names)


def _pip_listed_in(path: Path) -> Iterator[str]:
    """``_pip_listed`` of the module at ``path``, parsed only when a line of it may bind a
    list to a pip name; none for a module that cannot be read or parsed."""
    try:
        text = decode(read_regular(path, MAX_BYTES))
    except (OSError, ValueError):
        return
    if not _may_bind_pip_list(text):
        return
    try:
        module = ast.parse(text)
    except (SyntaxError, ValueError):
        return
    yield from _pip_listed(module)


def _may_bind_pip_list(text: str) -> bool:
    """Whether a line of ``text`` holding ``pip`` binds a list (``PIP_LIST_LINE``): only those
    lines are matched. On scikit-learn's 600 modules a regular expression over whole texts
    cost 0.05 to 0.47 s a warm run; this costs a few milliseconds."""
    lower = text.lower()
    found = lower.find("pip")
    while found != -1:
        start = lower.rfind("\n", 0, found) + 1
        end = lower.find("\n", found)
        end = len(lower) if end == -1 else end
        if PIP_LIST_LINE.match(text, start, end):
            return True
        found = lower.find("pip", end)
    return False


def _pip_listed(module: ast.Module) -> Iterator[str]:
    """The canonical names of the requirements in ``module``'s literal lists bound to a pip
    name (``RUNTIME_PIP_NAME``); a list holding anything but requirement strings names none."""
    for node in ast.walk(module):
        parts = assignment(node)
        if parts is None:
            continue
        targets, value = parts
        if not any(RUNTIME_PIP_NAME.search(_bound_name(t)) for t in targets):
            continue
        if not isinstance(value, ast.List | ast.Tuple | ast.Set):
            continue
        texts = [e.value for e in value.elts if isinstance(e, ast.Constant)]
        if len(texts) != len(value.elts) or not all(isinstance(t, str) for t in texts):
            continue
        for text in texts:
            try:
                yield canonicalize_name(Requirement(str(text)).name)
            except InvalidRequirement:
                continue


def _bound_name(target: ast.expr) -> str:
    """The name an assignment binds: a variable's, or an attribute's (``self.deps_pip``)."""
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return ""


DISCOVERY_PATTERN = re.compile(r"([A-Za-z_]\w*)(?:\.?\*)?")
"""A package discovery pattern naming a top-level package: ``mcp_server``, ``mcp_server*``,
``mcp_server.*`` (not ``*.tests``, nor a subpackage's ``pkg.sub``)."""


def excluded_packages(project: Project) -> frozenset[str]:
    """The top-level packages the build's package discovery leaves out by name:
    ``[tool.setuptools.packages.find] exclude``, ``setup.cfg``'s ``[options.packages.find]
    exclude`` and ``find_packages(exclude=...)`` (or ``find_namespace_packages``) in
    ``setup.py``. Each is a folder of the repository that the wheel, and with it the sdist,
    leaves out (BI2: adam-network-client's ``mcp_server*``, a server beside the client whose
    tests import it), so a suite's import of one names the project's own code."""
    found: list[str] = []
    excluded = toml_table(project.pyproject, "tool.setuptools.packages.find").get("exclude", [])
    found += [p for p in excluded if isinstance(p, str)] if isinstance(excluded, list) else []
    cfg = quiet_setup_cfg(project.root).get("options.packages.find", {})
    found += [part for _line, text in cfg.get("exclude", []) for part in text.split(",")]
    found += _setup_py_excludes(project.root)
    names = (DISCOVERY_PATTERN.fullmatch(pattern.strip()) for pattern in found)
    return frozenset(match.group(1) for match in names if match)


def missing_build_folders(project: Project) -> tuple[str, ...]:
    """The folders the build takes the project's packages from that the tree does not hold
    (BO7: ``find_packages(where="src")`` in a sdist shipping no ``src/``): any import no table
    knows may be one of the project's own modules left out, not a distribution to declare."""
    folders = [*_package_folders(project.pyproject), *_setup_py_wheres(project.root)]
    cfg = quiet_setup_cfg(project.root).get("options.packages.find", {})
    folders += [text.strip() for _line, text in cfg.get("where", [])]
    found = {folder.strip("/") for folder in folders if folder.strip("/.")}
    return tuple(sorted(f for f in found if not (project.root / f).is_dir()))


FIND_PACKAGES_CALLS = ("find_packages", "find_namespace_packages")
"""setuptools' package finders, whose ``where`` and ``exclude`` ``setup.py`` may spell."""


def _setup_py_calls(root: Path) -> Iterator[tuple[ast.Call, str, Literals]]:
    """Every call in ``setup.py``, with the last part of its callee's name and the file's
    literals (to read an argument spelt through a module constant)."""
    tree = quiet_setup_py(root)
    if tree is None:
        return
    literals = Literals(tree)
    for call in ast.walk(tree):
        if isinstance(call, ast.Call):
            yield call, (dotted_name(call.func) or "").rpartition(".")[2], literals


def _setup_py_wheres(root: Path) -> Iterator[str]:
    """The literal folders ``setup.py`` takes packages from: the ``where`` of its
    ``find_packages``/``find_namespace_packages`` calls (keyword or first argument), and the
    root package's folder of a literal ``package_dir`` (``{"": "src"}``)."""
    for call, callee, literals in _setup_py_calls(root):
        if callee in FIND_PACKAGES_CALLS:
            given = call.args[0] if call.args else None
            given = next((k.value for k in call.keywords if k.arg == "where"), given)
            value = literals.value(given) if given is not None else UNKNOWN
            if isinstance(value, tuple) and isinstance(value[0], str):
                yield value[0]  # the literal's text (with its line and column)
        package_dir = next((k.value for k in call.keywords if k.arg == "package_dir"), None)
        if isinstance(package_dir, ast.Dict):
            for key, folder in zip(package_dir.keys, package_dir.values, strict=True):
                root_package = isinstance(key, ast.Constant) and key.value == ""
                text = folder.value if isinstance(folder, ast.Constant) else None
                if root_package and isinstance(text, str):
                    yield text


def _setup_py_excludes(root: Path) -> Iterator[str]:
    """The literal ``exclude`` patterns of the ``find_packages`` or ``find_namespace_packages``
    calls of ``setup.py`` (keyword, or the second argument after ``where``)."""
    for call, callee, literals in _setup_py_calls(root):
        if callee not in FIND_PACKAGES_CALLS:
            continue
        given = call.args[1] if len(call.args) > 1 else None
        given = next((k.value for k in call.keywords if k.arg == "exclude"), given)
        value = literals.value(given) if given is not None else UNKNOWN
        items = value if isinstance(value, list) else []
        yield from (item[0] for item in items if isinstance(item, tuple))


def _build_text(root: Path) -> str | None:
    """The root's build files (``pyproject.toml``, ``setup.py``, ``setup.cfg``) as one text,
    whole-line comments left out; None when one cannot be read (it may name anything)."""
    try:
        return COMMENT_LINE.sub(
            "",
            "\n".join(
                decode(read_regular(root / name, MAX_BYTES))
                for name in ("pyproject.toml", "setup.py", "setup.cfg")
                if is_file(root / name)
            ),
        )
    except (OSError, SyntaxError, ValueError):
        return None


def missing_suite_modules(
    project: Project, suite_files: Iterable[str], imported: Iterable[str], declared: Iterable[str]
) -> frozenset[str]:
    """The dotted modules of the suite's own folders that the suite imports (``from
    tests.conftest import make_app``, ``tests.fakes.payloads``) and the tree does not hold:
    helpers of the suite its sdist leaves out (BI3: 34 sdists of the lint rounds import a
    ``tests.conftest``, ``tests.utils`` or ``tests.fixtures.data`` they do not ship). A suite
    folder is a top-level folder holding suite files that the build does not install (no
    package of its build files, egg-info or scripts, none named after the project), and that
    no distribution the tables know or the project declares is named after (``pelican``, whose
    plugins ship ``pelican/plugins/x`` and import ``pelican.generators`` from pelican itself).
    Silent where unsure: a folder of that name anywhere in the tree that holds the module
    (``pkg/tests/factories.py``, which pytest's rootdir insertion finds as
    ``tests.factories``), a module below a module file (which may make itself a package), a
    build that compiles, a name the build files mention (a file written at build time), a
    tree too large to walk."""
    root = project.root
    installed = {
        *_setuptools_packages(project.pyproject),
        *_hatch_packages(project.pyproject),
        *_script_modules(project.pyproject),
        *_egg_info_top_level(root),
        distribution_name(project).replace("-", "_"),
    }
    named = {canonicalize_name(name) for name in declared}
    tops = {
        top
        for top in {path.partition("/")[0] for path in suite_files if "/" in path}
        if top.isidentifier()
        and top not in installed
        and canonicalize_name(top) not in named
        and not named_by_tables(top)
    }
    wanted = sorted({m for m in imported if "." in m and m.partition(".")[0] in tops})
    build_text = _build_text(root) if wanted else None
    if build_text is None or COMPILING_BUILD.search(build_text):
        return frozenset()
    folders = _folders_named(root, {m.partition(".")[0] for m in wanted})
    if folders is None:
        return frozenset()
    return frozenset(
        module
        for module in wanted
        if all(_absent(folder, module.split(".")) for folder in folders[module.partition(".")[0]])
        and not re.search(rf"\b{re.escape(module.rpartition('.')[2])}\b", build_text)
    )


def packaged_suite_modules(
    root: Path, imports: Iterable[tuple[str, str]], first_party: Collection[str]
) -> frozenset[tuple[str, str, str]]:
    """The imports (suite file, module) of a top-level name that no module of the project
    provides but a module or package inside the file's own package does (BS3: tianchi's
    ``tianchi/test_gpu.py`` imports ``globalvar``, which is ``tianchi/globalvar.py``), with
    the name Python imports that one as (``tianchi.globalvar``): pytest puts only the folder
    above the package on ``sys.path``, so the bare name fails collecting the module, and no
    distribution is meant. Not a standard module's name (``daktari/os.py`` beside ``import
    os`` imports the standard one), nor one the tables know a distribution by (hera2's
    ``_openmetadata_testutils/pydantic/`` beside ``from pydantic import BaseModel`` means
    pydantic); whether a declared distribution brings any other name instead is the rules'
    to say, which know what the declarations bring."""
    packages = _PackageFolders(root)
    found: set[tuple[str, str, str]] = set()
    for path, module in imports:
        top = module.partition(".")[0]
        if top in first_party or not top.isidentifier() or is_stdlib(top) or named_by_tables(top):
            continue
        folder = tuple(path.split("/")[:-1])
        base = packages.base(folder)
        for depth in range(len(folder), base, -1):
            if _holds(root.joinpath(*folder[:depth]), module.split(".")):
                if not any(
                    packages.changes_path(folder[:above])
                    for above in range(base + 1, len(folder) + 1)
                ):
                    found.add((path, module, ".".join((*folder[base:depth], top))))
                break
    return frozenset(found)


def _holds(folder: Path, parts: Sequence[str]) -> bool:
    """Whether ``folder`` holds the module ``parts`` names: the module itself, or for a dotted
    one a package of its top name (whose submodule may be compiled: cython-dev-tools'
    ``cytoolzz.tests.test_cytoolzz_class_`` is a ``.pyx``); a module file of the top name has
    no submodules (dcm-spec-tools' ``spec_reader/spec_reader.py`` beside ``import
    spec_reader.edition_reader``)."""
    target = folder.joinpath(*parts)
    if target.with_name(f"{parts[-1]}.py").is_file() or (target / "__init__.py").is_file():
        return True
    return len(parts) > 1 and (folder / parts[0] / "__init__.py").is_file()


def _folders_named(root: Path, names: Collection[str]) -> dict[str, list[Path]] | None:
    """Every folder of the tree named one of ``names``, by name; None for a tree too large to
    walk (``MAX_TREE_ENTRIES``)."""
    found: dict[str, list[Path]] = {name: [] for name in names}
    try:
        for folder, folders, _files in _walk(root):
            for name in folders:
                if name in found:
                    found[name].append(Path(folder, name))
    except _TreeTooLarge:
        return None
    return found


def _absent(folder: Path, parts: Sequence[str]) -> bool:
    """Whether the module ``parts`` names is missing below ``folder`` (a folder named
    ``parts[0]``) for certain: the first of its parts that no file or folder is named after
    lies in a folder (a package or a namespace), not below a module file."""
    for part in parts[1:]:
        try:
            names = {entry.partition(".")[0] for entry in os.listdir(folder)}
        except OSError:
            return False  # a module file, or a folder that cannot be read
        if part not in names:
            return True
        folder = folder / part
    return False


def missing_private_modules(
    root: Path,
    imported: Collection[str],
    excluded: Collection[str] = (),
    packages: Collection[str] = (),
) -> frozenset[str]:
    """Which of ``imported``, private top-level modules the suite imports (``_util``,
    ``_fakes``), no file or folder anywhere under ``root`` is named after: helpers of the suite
    that its sdist leaves out (AJ2: pytheory's ``_util``, admina's ``_fakes``,
    termux-app-store's ``_loader``), which no distribution is named after, so that the
    guessed-distribution reading stayed silent on them. None is missing where it cannot be
    sure: a build that compiles (``COMPILING_BUILD``), a tree holding sources of compiled
    modules or a build description (a compiled ``_core`` shows in no Python file), a name the
    build files mention (setuptools-scm's ``write_to = "_version.py"`` writes it at build
    time), a tree too large to walk. Whole-line comments of the build files count for
    neither (``COMMENT_LINE``). The build files name the ``excluded`` packages to leave them
    out (:func:`excluded_packages`), not to write them. Of ``packages``, the ones imported by a
    dotted path (``examples.news_api``, ``tests_python.debugger_unittest``), a compiling build
    or compiled sources keep none from missing (EP1: pydevd's ``tests_python`` beside its
    Cython sources): a compiled module is no package of modules; a build description still
    does (it may install a folder under any name)."""
    if not imported:
        return frozenset()
    build_text = _build_text(root)
    if build_text is None:
        return frozenset()
    compiling = bool(COMPILING_BUILD.search(build_text))
    if compiling:
        imported = [name for name in imported if name in packages]  # EP1
        if not imported:
            return frozenset()
    named = TABLE_HEADER.sub("", build_text)  # DF6: ``[project.scripts]`` writes no scripts
    wanted = {
        name
        for name in imported
        if name in excluded or not re.search(rf"\b{re.escape(name)}\b", named)
    }
    try:
        for _folder, folders, files in _walk(root):
            if not wanted:
                break
            for name in (*folders, *files):
                if name in BUILD_DESCRIPTIONS:
                    return frozenset()
                if os.path.splitext(name)[1] in COMPILED_SUFFIXES:
                    wanted.intersection_update(packages)  # EP1: no compiled module is one
                wanted.discard(name.partition(".")[0])
    except _TreeTooLarge:
        return frozenset()
    return frozenset(wanted)


RUNTIME_PATH = re.compile(r"\bsys\.path\.(?:insert|append|extend)\(")
"""A call that puts a folder on ``sys.path`` while the code runs."""

BY_NAME = re.compile(r"\b(?:import_module|find_spec|__import__)\(")
"""A call that imports (or looks up) a module by a name held in a value."""


def located_at_runtime(
    root: Path, wanted: Collection[str], suite: Collection[str]
) -> frozenset[str]:
    """Which of ``wanted``, modules no table knows that a test imports in its body, a project
    module outside the suite names in a quoted string while it both puts a folder on
    ``sys.path`` and imports modules by name (BE1: a backend that locates an engine's checkout
    from an option or an environment variable, inserts it into ``sys.path`` and imports the
    engine's ``kgpack`` from it). Once a fixture has run that code, the test's own import
    finds the module there: it needs the checkout, not a distribution to declare. Nothing is
    found in a tree too large to walk (the findings stay as they were)."""
    if not wanted:
        return frozenset()
    remaining = set(wanted)
    try:
        for folder, _folders, files in _walk(root):
            for name in files:
                path = Path(folder) / name
                if name.endswith(".py") and path.relative_to(root).as_posix() not in suite:
                    remaining -= set(_named_with_runtime_path(path, remaining))
            if not remaining:
                break
    except _TreeTooLarge:
        return frozenset()
    return frozenset(wanted) - remaining


def _named_with_runtime_path(path: Path, wanted: Collection[str]) -> Iterator[str]:
    """The modules of ``wanted`` that the file at ``path`` names in a quoted string, when it
    both extends ``sys.path`` and imports by name (``located_at_runtime``); none otherwise."""
    try:
        text = decode(read_regular(path, MAX_BYTES))
    except (OSError, SyntaxError, ValueError):
        return
    if RUNTIME_PATH.search(text) and BY_NAME.search(text):
        yield from (m for m in wanted if re.search(rf"""(['"]){re.escape(m)}\1""", text))
