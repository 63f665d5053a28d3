"""APT201: predict pytest's "import file mismatch" by replaying its imports.

pytest imports each test module and conftest by a module name derived from its path, and Python
caches modules by name. This rule replays, in pytest's collection order, what pytest's import
modes do to ``sys.path`` and ``sys.modules`` (see ``_pytest.pathlib.import_path``), over the
files the project holds, and reports each file that would be rejected or silently replaced.
"""

from __future__ import annotations

import posixpath
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from apytest.rules.api import (
    Example,
    FileFacts,
    Finding,
    ProjectContext,
    ProjectModel,
    ProjectRule,
)
from apytest.rules.support.startup import is_true

TEST_A = "def test_a():\n    pass\n"
TEST_B = "def test_b():\n    pass\n"
"""The examples' test modules."""
EW2_PYPROJECT = "[tool.pytest.ini_options]\ntestpaths = [%s]\n"
"""EW2's examples: the folders a plain ``pytest`` collects."""
IMPORTLIB_MODE = "[tool.pytest.ini_options]\naddopts = '--import-mode=importlib'\n"
RELATIVE_TEST = """
from .helpers import load_fixture


def test_a():
    assert load_fixture("x") == "x"
"""
AM6_FILES = {
    "src/app/__init__.py": "",
    "src/app/database/common.py": "def helper():\n    pass\n",
    "pyproject.toml": """
        [tool.pytest.ini_options]
        python_files = ['*.py']
        consider_namespace_packages = %s
        """,
}
"""A helper module beside a same-named one in a folder without ``__init__.py`` of the package
``app``, every file collected (AM6: promnesia's ``tests/common.py``)."""


ALL_FILES = """
[tool.pytest.ini_options]
python_files = ["*.py"]
testpaths = ["src"]
"""
"""Every .py file a test module, so a package's __init__.py is collected too (AI2)."""
HELPERS = "def load_fixture(name):\n    return name\n"
"""A test module importing a helper beside it by a relative import, and that helper (VB1)."""
EXTERNAL = "<installed>"
"""The ``sys.path`` entries outside the project: the standard library and site-packages."""


def _parent(path: str) -> str:
    return posixpath.dirname(path)


def _join(folder: str, name: str) -> str:
    return posixpath.join(folder, name) if folder else name


@dataclass(frozen=True)
class _Module:
    """Where an imported name was found: a file, a package's folders, or outside the project."""

    file: str | None
    folders: tuple[str, ...] = ()

    @property
    def external(self) -> bool:
        return self.file == EXTERNAL


def _in_package_portion(path: str | None, package_dirs: frozenset[str]) -> bool:
    """Whether ``path`` lies in a folder without ``__init__.py`` right inside a package
    (``src/app/database/common.py`` beside ``src/app/__init__.py``). With
    ``consider_namespace_packages`` pytest names such a module within the package wherever the
    package is importable, as the installed project is (``app.database.common``), not by its
    basename: a clash of basenames is not sure there (AM6, promnesia)."""
    if path is None:
        return False
    folder = _parent(path)
    return bool(folder) and folder not in package_dirs and _parent(folder) in package_dirs


def pytest_import_name(path: str, package_dirs: frozenset[str]) -> tuple[str, str]:
    """``(folder put on sys.path, module name)`` as prepend/append modes compute them.

    Walk up through folders that are packages; the module is named from the outermost package's
    parent, or by its basename outside any package.
    """
    folder = _parent(path)
    package = None
    while folder in package_dirs:
        package = folder
        if not folder:
            break
        folder = _parent(folder)
    stem = posixpath.splitext(path)[0]
    if package is None:
        return _parent(path), posixpath.basename(stem)
    root = _parent(package) if package else ""
    relative = posixpath.relpath(stem, root) if root else stem
    parts = relative.split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return root, ".".join(parts)


class _Importer:
    """Python's import system reduced to what decides which file a name resolves to."""

    def __init__(self, model: ProjectModel) -> None:
        self.files = model.python_files
        self.package_dirs = model.package_dirs
        self.folders = {_parent(f) for f in model.python_files}
        self.sys_path: list[str] = [*model.sys_path, EXTERNAL]
        self.modules: dict[str, _Module] = {}

    def prepend(self, folder: str) -> None:
        if self.sys_path[0] != folder:
            self.sys_path.insert(0, folder)

    def append(self, folder: str) -> None:
        if folder not in self.sys_path:
            self.sys_path.append(folder)

    def _find(self, folders: Sequence[str], name: str, top_level: bool) -> _Module | None:
        portions: list[str] = []
        for folder in folders:
            if folder == EXTERNAL:
                if top_level and name in sys.stdlib_module_names:
                    return _Module(EXTERNAL)
                continue
            candidate = _join(folder, name)
            if _join(candidate, "__init__.py") in self.files:
                return _Module(_join(candidate, "__init__.py"), (candidate,))
            if candidate + ".py" in self.files:
                return _Module(candidate + ".py")
            if candidate in self.folders:
                portions.append(candidate)
        return _Module(None, tuple(portions)) if portions else None

    def import_module(self, name: str) -> _Module | None:
        """What ``importlib.import_module(name)`` finds, caching it like ``sys.modules``."""
        if name in self.modules:
            return self.modules[name]
        parent_name, _, last = name.rpartition(".")
        if parent_name:
            parent = self.import_module(parent_name)
            if parent is None or parent.external:
                return parent
            found = self._find(parent.folders, last, top_level=False)
        else:
            found = self._find(self.sys_path, last, top_level=True)
        if found is not None:
            self.modules[name] = found
        return found


def _straddles(ctx: ProjectContext, path: str, other: str, model: ProjectModel) -> bool:
    """EW2: whether one of two clashing test modules lies in what a plain ``pytest`` collects
    (``testpaths``) and the other outside it, linted only because the run named its folder
    (``apytest-lint .``; iminuit's ``tests/test_cost.py`` and ``bench/test_cost.py`` under
    ``testpaths = ["tests"]``): only a run naming both meets the clash. Conftests and plugins
    count as collected (pytest loads the root's conftest whatever it collects)."""
    collected = ctx.model.suite_python_files
    if not collected:
        return False
    kinds = ctx.memo.get("apt201_kinds")
    if kinds is None:
        kinds = ctx.memo["apt201_kinds"] = {f.path: f.kind for f, _ in ctx.files}

    def inside(file: str) -> bool:
        return kinds.get(file) != "test" or file in collected

    return inside(path) != inside(other.removeprefix(model.root_prefix))


def _anchored(model: ProjectModel) -> tuple[ProjectModel, Callable[[str], str]]:
    """The model with paths relative to the folder above the root's outermost package.

    When the root is itself a package (a wheel's ``pandas/`` with a ``pyproject.toml``), pytest
    keeps walking up through ``__init__.py`` folders, so module names start above the root.
    """
    prefix = model.root_prefix

    def anchor(path: str) -> str:
        return prefix + path if path else prefix.rstrip("/")

    if not prefix:
        return model, anchor
    parts = prefix.rstrip("/").split("/")
    outer = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return (
        replace(
            model,
            python_files=frozenset(
                {anchor(p) for p in model.python_files} | {f"{d}/__init__.py" for d in outer}
            ),
            package_dirs=frozenset({anchor(d) for d in model.package_dirs} | set(outer)),
            sys_path=tuple(anchor(p) for p in model.sys_path),
        ),
        anchor,
    )


class TestModuleNameClash(ProjectRule):
    """Two test modules, conftests or plugins that pytest would import under one module name.

    Only files that pytest would really reject or replace are reported, at the file that loses.

    ## Why is this bad?
    In the default ``prepend`` and the ``append`` import modes, pytest imports
    ``tests/unit/test_utils.py`` as ``test_utils`` unless its folders are packages (hold
    ``__init__.py``). A second ``test_utils.py`` elsewhere then fails collection with "import file
    mismatch", and a second package named like the first (two ``tests`` packages) cannot import
    its modules at all. Under ``--import-mode=importlib`` same-named *packages* still collide:
    pytest reuses the first module for the second file and that file's tests silently never run.

    The same naming decides a relative import: a module pytest imports as ``test_a``, outside
    any package, fails collecting at ``from .helpers import x`` with "attempted relative import
    with no known parent package" (a ``tests/`` folder without ``__init__.py``).

    ## Use instead
    Give test modules unique basenames, or add ``__init__.py`` files so that their folders
    are packages (``tests/unit/test_utils.py`` becomes ``unit.test_utils``).
    """

    __test__ = False  # a rule, not a pytest test class

    code = "APT201"
    name = "test-module-name-clash"
    lesson = "module-name-clashes"
    summary = "two test modules that pytest would import under the same module name"
    VALID = (
        Example(  # EW2: testpaths keeps bench/ out of a plain run, which never meets both
            TEST_B,
            path="tests/test_cost.py",
            files={"bench/test_cost.py": TEST_A, "pyproject.toml": EW2_PYPROJECT % '"tests"'},
        ),
        Example(
            TEST_B,
            path="tests/b/test_utils.py",
            files={
                "tests/a/test_utils.py": TEST_A,
                "tests/a/__init__.py": "",
                "tests/b/__init__.py": "",
            },
        ),
        Example(
            TEST_B,
            path="tests/b/test_utils.py",
            files={
                "tests/a/test_utils.py": TEST_A,
                "pyproject.toml": IMPORTLIB_MODE,
            },
        ),
        Example(  # VB1's near miss: the folder is a package, so the module is 'tests.test_a'
            RELATIVE_TEST,
            files={"tests/__init__.py": "", "tests/helpers.py": HELPERS},
        ),
        Example(  # VB1's near miss: the failure is tolerated, the fallback imports it by name
            """
            try:
                from .helpers import load_fixture
            except ImportError:
                from helpers import load_fixture


            def test_a():
                assert load_fixture("x") == "x"
            """,
            files={"tests/helpers.py": HELPERS},
        ),
        Example(  # VB1's near miss: importlib mode may name the module within its folders
            RELATIVE_TEST,
            files={"tests/helpers.py": HELPERS, "pyproject.toml": IMPORTLIB_MODE},
        ),
        Example(  # AM6: pytest names the package's module 'app.database.common'
            "def helper():\n    pass\n",
            path="tests/common.py",
            files={**AM6_FILES, "pyproject.toml": AM6_FILES["pyproject.toml"] % "true"},
        ),
        Example(  # EM1: the first 'test_utils' cannot be parsed, so Python's import leaves
            # it out of sys.modules and the second imports as its own (uncompyle6's test/decompyle)
            TEST_B,
            path="tests/b/test_utils.py",
            files={"tests/a/test_utils.py": "def test_a(:\n    pass\n"},
        ),
        Example(  # AI2: a package's __init__.py collected as a module (python_files = *.py)
            "from .cli import main\n",
            path="src/pkg/__init__.py",
            files={"src/pkg/cli.py": "def main():\n    pass\n", "pyproject.toml": ALL_FILES},
        ),
    )
    INVALID = (
        Example(  # EW2's near miss: testpaths naming both folders, a plain run collects both
            TEST_B,
            path="tests/test_cost.py",
            files={
                "bench/test_cost.py": TEST_A,
                "pyproject.toml": EW2_PYPROJECT % '"bench", "tests"',
            },
            line=1,
        ),
        Example(  # EM1's near miss: the parsed one is imported first, so the broken one,
            # collected second, meets the cached module: "import file mismatch"
            "def test_b(:\n    pass\n",
            path="tests/b/test_utils.py",
            files={"tests/a/test_utils.py": TEST_A},
            line=1,
        ),
        Example(  # AM6's near miss: without consider_namespace_packages both are 'common'
            "def helper():\n    pass\n",
            path="tests/common.py",
            files={**AM6_FILES, "pyproject.toml": AM6_FILES["pyproject.toml"] % "false"},
            line=1,
        ),
        Example(  # AI2's near miss: two levels up from the top-level package 'pkg' leaves it
            "from ..cli import main\n",
            path="src/pkg/__init__.py",
            files={"src/cli.py": "def main():\n    pass\n", "pyproject.toml": ALL_FILES},
            line=1,
        ),
        Example(
            TEST_B,
            path="tests/b/test_utils.py",
            files={"tests/a/test_utils.py": TEST_A},
            line=1,
        ),
        Example(
            TEST_B,
            path="two/tests/test_one.py",
            files={
                "one/tests/__init__.py": "",
                "one/tests/test_one.py": TEST_A,
                "two/tests/__init__.py": "",
                "pyproject.toml": IMPORTLIB_MODE,
            },
            line=1,
        ),
        Example(
            "",
            path="tests/b/conftest.py",
            files={
                "tests/a/conftest.py": "",
                "tests/a/test_a.py": TEST_A,
                "tests/b/test_b.py": TEST_B,
                "pyproject.toml": """
                    [tool.pytest.ini_options]
                    addopts = '--import-mode=append'
                    """,
            },
            line=1,
        ),
        Example(  # VB1: no __init__.py, pytest imports 'test_a' (aioaquarite, pyfronius, ...)
            RELATIVE_TEST,
            files={"tests/helpers.py": HELPERS},
            line=1,
        ),
        Example(  # VB1: found once, at the first: the module's later ones never run
            """
            import os
            from .helpers import load_fixture
            from .helpers import HELPERS
            """,
            files={"tests/helpers.py": HELPERS},
            line=2,
        ),
        Example(  # VB1: two levels up from 'unit.test_a' leaves the packages
            """
            from .. import helpers


            def test_a():
                assert helpers.load_fixture("x") == "x"
            """,
            path="tests/unit/test_a.py",
            files={"tests/unit/__init__.py": "", "tests/helpers.py": HELPERS},
            line=1,
        ),
    )

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        model, anchor = _anchored(ctx.model)
        findings = (
            cls._check_importlib(ctx, model, anchor)
            if model.import_mode == "importlib"
            else cls._check_sys_path(ctx, model, anchor)
        )
        for finding in findings:
            yield replace(finding, path=finding.path.removeprefix(model.root_prefix))

    @classmethod
    def _check_sys_path(
        cls, ctx: ProjectContext, model: ProjectModel, anchor: Callable[[str], str]
    ) -> Iterator[Finding]:
        importer = _Importer(model)
        namespaces = is_true(model.pytest_config.ini.get("consider_namespace_packages", False))
        for source, facts in ctx.files:
            if source.kind == "plugin":
                continue  # imported by name from sys.path, not through pytest's import modes
            path = anchor(source.path)
            folder, name = pytest_import_name(path, model.package_dirs)
            if not namespaces:  # else pytest may name the module within a namespace package
                yield from cls._check_relative(source.path, name, facts, model)
            if source.kind == "conftest" and "." not in name:
                importer.modules.pop(name, None)  # pytest forgets the previous rootless conftest
            if model.import_mode == "append":
                importer.append(folder)
            else:
                importer.prepend(folder)
            found = importer.import_module(name)
            if found is not None and found.file == path and facts.unparsed:
                # Python's import drops a module that fails to parse from sys.modules: the
                # next file of that name imports as its own (EM1, uncompyle6's Python 2 files)
                importer.modules.pop(name, None)
                continue
            if (found is not None and found.file == path) or posixpath.basename(
                path
            ) == "__init__.py":
                continue
            if namespaces and any(
                _in_package_portion(p, model.package_dirs)
                for p in (path, found.file if found is not None else None)
            ):
                continue  # pytest may name it inside the package (AM6)
            if found is not None and found.file and _straddles(ctx, source.path, found.file, model):
                continue  # EW2: a plain ``pytest`` never collects both
            yield Finding(path, 1, 1, cls.code, cls._message(path, name, found, model))

    @classmethod
    def _check_relative(
        cls, path: str, name: str, facts: FileFacts, model: ProjectModel
    ) -> Iterator[Finding]:
        """The first relative import deeper than the packages pytest imports the module in
        (VB1): outside any package, ``from .helpers import x`` fails its collection there, and
        the module's later relative imports never run."""
        # A package's own __init__.py is the package (AI2): its '.' is itself, one level more.
        own = posixpath.basename(path) == "__init__.py"
        package = name if own else name.rpartition(".")[0]
        depth = name.count(".") + own
        mode = f"--import-mode={model.import_mode}"
        failing = [fact for fact in facts.relative_imports if fact.level > depth]
        for fact in sorted(failing, key=lambda fact: (fact.line, fact.col))[:1]:
            folder = posixpath.dirname(path) or "."
            if depth:
                failure = "attempted relative import beyond top-level package"
                where = f"inside package '{package}' only"
            else:
                failure = "attempted relative import with no known parent package"
                where = f"outside any package ({folder} has no __init__.py)"
            yield Finding(
                path,
                fact.line,
                fact.col,
                cls.code,
                f"relative import '{fact.module}': pytest imports this file as '{name}', "
                f"{where}, under {mode}, so collecting it fails with ImportError: {failure}; "
                "add the __init__.py files that make its folders packages, or import it by "
                "its absolute name",
            )

    @classmethod
    def _message(cls, path: str, name: str, found: _Module | None, model: ProjectModel) -> str:
        mode = f"--import-mode={model.import_mode}"
        stem = posixpath.basename(path).removesuffix(".py")
        if (found is None or found.file is None) and "." in stem:
            # a dot in the file's own name (cosmic-ray's ``test_mod.1.py``): no other package
            # is to blame, the name reads as a module of a package that does not exist
            package, _, module = name.rpartition(".")
            return (
                f"the file name '{stem}.py' holds a dot: pytest imports it as '{name}', a "
                f"module '{module}' of a package '{package}' that does not exist, so collection "
                f"fails with ModuleNotFoundError under {mode}; rename the file without the dot"
            )
        if found is None or found.file is None:
            package = name.partition(".")[0]
            return (
                f"pytest imports this file as '{name}' but '{package}' already names another "
                f"package: collection fails "
                f"with ModuleNotFoundError under {mode}; give the packages distinct names"
            )
        if found.external:
            return (
                f"pytest imports this file as '{name}', which is an installed module under "
                f"{mode}; rename the file"
            )
        return (
            f"module name '{name}' is also {found.file.removeprefix(model.root_prefix)}: "
            "pytest fails with "
            f'"import file mismatch" under {mode}; rename one or add __init__.py files'
        )

    @classmethod
    def _check_importlib(
        cls, ctx: ProjectContext, model: ProjectModel, anchor: Callable[[str], str]
    ) -> Iterator[Finding]:
        first: dict[str, str] = {}
        for source, _facts in ctx.files:
            path = anchor(source.path)
            if source.kind == "plugin" or _parent(path) not in model.package_dirs:
                continue  # outside packages importlib mode names modules uniquely by path
            _folder, name = pytest_import_name(path, model.package_dirs)
            previous = first.setdefault(name, path)
            if previous != path and _straddles(ctx, source.path, previous, model):
                continue  # EW2: a plain ``pytest`` never collects both
            if previous != path and posixpath.basename(path) != "__init__.py":
                yield Finding(
                    path,
                    1,
                    1,
                    cls.code,
                    f"module name '{name}' is also {previous.removeprefix(model.root_prefix)}: "
                    "under --import-mode=importlib "
                    "pytest reuses that module and this file's tests silently never run; "
                    "give the packages distinct names",
                )
