"""Project modules outside the suite that test modules import at module level.

pytest runs a module's module-level code while it collects it, and with it the code of every
project module that code imports: the package ``__init__`` files on the way, the module itself,
and the project modules each of those imports in its module body, and theirs in turn. A test
module that imports ``pkg.feature`` fails to collect when ``pkg/__init__.py`` imports,
unguarded, a package only an extra installs, and so it does when ``pkg/feature.py`` imports
``pkg.utils``, whose ``__init__`` imports ``.config``, which imports psutil, declared nowhere
(speakub's tests, the twentieth round). The dependency rules read those files' facts too, at
any depth (until stop 47, only the module and what the ``__init__`` files on the way import).

What a file's body imports is read with ``ast`` and kept in the lint cache under its bytes, so
a warm run parses nothing; only files that may need a package are analysed
(``may_need_a_package``). Figures: ``benchmarks/README.md``, "Import chains at any depth".
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

from apytest.common.files import read_regular
from apytest.lint.cache import ResultCache
from apytest.lint.discovery import relative
from apytest.lint.engine import MAX_FILE_BYTES
from apytest.lint.project import Project
from apytest.rules.api import FileFacts, ImportFact, SourceFile
from apytest.rules.support.astutil import dotted_name, pytest_names
from apytest.rules.support.distributions import is_stdlib, named_by_tables

_TOP_LEVEL = re.compile(
    r"^(?:from[ \t]+([\w.]+)[ \t]+import\b|import[ \t]+([^\n#;]+)|try[ \t]*:|with[ \t])", re.M
)
"""A statement at column 0 that can fail for a missing package: an import, or a ``try`` or
``with`` around one (``with try_import():`` binds nothing without the package)."""


def may_need_a_package(text: str, first_party: frozenset[str]) -> bool:
    """Whether a file's text holds, at column 0, a ``try:``, a ``with`` or an import of a
    module that is neither standard nor the project's: without one, importing it cannot fail
    for a missing package that APT101/APT102 would name, and its analysis is skipped (most
    package ``__init__`` files import only their own modules)."""
    for match in _TOP_LEVEL.finditer(text):
        if match.group(1) is None and match.group(2) is None:
            return True  # try: or with
        names = [match.group(1)] if match.group(1) else match.group(2).split(",")
        for name in names:
            top = name.strip().partition(" ")[0].partition(".")[0]
            if top and top not in first_party and top != "__future__" and not is_stdlib(top):
                return True
    return False


Chains = dict[tuple[str, str, int], tuple[str, ...]]
"""``(importing file, module, line of the import) -> project files that the import runs``,
outermost package first, then the submodules its ``from module import name`` imports (BD1)."""


@dataclass(frozen=True)
class ModuleImport:
    """One module-level import statement of a file, as written (level, module, names):
    ``from .a.b import c`` is 1, ``"a.b"``, ``("c",)``; ``from . import c`` 1, ``""``,
    ``("c",)``; ``import a.b`` 0, ``"a.b"``, ``()``. Stored in the lint cache as such a list."""

    level: int
    module: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class ModuleBody:
    """What the chains read of a module's body: its import statements that surely run
    (``module_body``), and the names it binds at module level, None when it may bind any name.
    Stored in the lint cache as such a mapping."""

    imports: tuple[ModuleImport, ...]
    binds: frozenset[str] | None
    stand_ins: tuple[str, ...] = ()
    """FE1: the dotted module names a statement of the body hands a function of the module's
    own or imported (not the standard library's or pytest's) as a literal
    (``stub_module_if_missing("pkg.providers.anthropic", "anthropic")``) or sets in
    ``sys.modules``: that may put a stand-in for the module (and its submodules) in
    ``sys.modules``, so that an import of it later in the run runs none of its files
    (mirascope's providers, stubbed when their extra is missing)."""

    def to_json(self) -> dict[str, object]:
        imports = [[i.level, i.module, list(i.names)] for i in self.imports]
        binds = None if self.binds is None else sorted(self.binds)
        return {"imports": imports, "binds": binds, "stand_ins": list(self.stand_ins)}

    @classmethod
    def from_json(cls, value: object) -> ModuleBody | None:
        """The body ``to_json`` wrote, or None when the value is not as written."""
        if not isinstance(value, dict):
            return None
        imports, binds = value.get("imports"), value.get("binds")
        stand_ins = value.get("stand_ins")
        if not isinstance(imports, list) or not isinstance(binds, list | None):
            return None
        if not isinstance(stand_ins, list):
            return None  # written before FE1: read the file again
        try:
            return cls(
                tuple(ModuleImport(int(a), str(b), tuple(map(str, c))) for a, b, c in imports),
                None if binds is None else frozenset(map(str, binds)),
                tuple(map(str, stand_ins)),
            )
        except (TypeError, ValueError):
            return None


UNREADABLE = ModuleBody((), None)

_MODULE_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
"""A dotted module name, as a stand-in's call names it (``"pkg.providers.anthropic"``)."""


def _stood_in(statement: ast.stmt, helpers: Collection[str]) -> list[str]:
    """FE1: the dotted module names a module-body statement hands one of the project's
    ``helpers`` as a literal (``stub_module_if_missing("pkg.sub", "extra")``) or sets in
    ``sys.modules`` (``sys.modules["pkg.sub"] = stub``): either may put a stand-in there for
    the module. A call of the standard library's or pytest's (``import_module("pkg.sub")``,
    ``pytest.register_assert_rewrite("pkg.sub")``) imports the module itself."""
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        call = statement.value
        if not (isinstance(call.func, ast.Name) and call.func.id in helpers):
            return []
        return [
            arg.value
            for arg in call.args
            if isinstance(arg, ast.Constant)
            and isinstance(arg.value, str)
            and _MODULE_NAME.fullmatch(arg.value)
        ]
    if isinstance(statement, ast.Assign):
        return [
            target.slice.value
            for target in statement.targets
            if isinstance(target, ast.Subscript)
            and dotted_name(target.value) == "sys.modules"
            and isinstance(target.slice, ast.Constant)
            and isinstance(target.slice.value, str)
            and _MODULE_NAME.fullmatch(target.slice.value)
        ]
    return []


_BINDS_ANY = re.compile(
    rb"\b(?:globals|setattr|exec|vars)\(|\b__getattr__\b|\bglobal\s|:=|__dict__"
)
"""Text by which a module may bind names no statement names: ``globals()[name] = ...``,
``setattr(sys.modules[__name__], ...)``, a module ``__getattr__`` (lazy submodules), a
function's ``global``, an assignment expression."""


def module_body(data: bytes) -> ModuleBody:
    """The import statements of a module's body, and the names it binds.

    The imports inside a ``try``, an ``if`` or a function may not run, and are left out. The
    names are every name any statement outside functions and classes may bind (in an ``if``
    or a ``try`` too), the functions' and classes' own; the names ``from . import sub`` binds
    are not counted, since they are the submodules themselves. A star import, or text by
    which a module may bind any name (``_BINDS_ANY``), binds any."""
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return UNREADABLE
    found: list[ModuleImport] = []
    stand_ins: list[str] = []
    helpers: set[str] = set()  # FE1: functions it defines or imports, not stdlib's or pytest's
    for statement in tree.body:
        if isinstance(statement, ast.Expr | ast.Assign):
            stand_ins.extend(_stood_in(statement, helpers))
        elif isinstance(statement, ast.FunctionDef):
            helpers.add(statement.name)
        elif isinstance(statement, ast.ImportFrom):
            names = tuple(alias.name for alias in statement.names if alias.name != "*")
            found.append(ModuleImport(statement.level, statement.module or "", names))
            top = (statement.module or "").partition(".")[0]
            if statement.level or not (is_stdlib(top) or top == "pytest"):
                helpers.update(alias.asname or alias.name for alias in statement.names)
        elif isinstance(statement, ast.Import):
            found.extend(ModuleImport(0, alias.name, ()) for alias in statement.names)
    binds = None if _BINDS_ANY.search(data) else _bound_names(tree)
    return ModuleBody(tuple(found), binds, tuple(stand_ins))


def _bound_names(tree: ast.Module) -> frozenset[str] | None:
    """The names the statements of a module's body may bind (see ``module_body``)."""
    bound: set[str] = set()
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
            continue  # their bodies bind their own names
        if isinstance(node, ast.Import):
            bound.update(a.asname or a.name.partition(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if any(alias.name == "*" for alias in node.names):
                return None
            submodules = node.level == 1 and not node.module
            bound.update(
                a.asname or a.name
                for a in node.names
                if not (submodules and a.asname in (None, a.name))
            )
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        stack.extend(ast.iter_child_nodes(node))
    return frozenset(bound)


def _in_stood_in(path: str, stubbed: list[tuple[str, ...]]) -> bool:
    """FE1: whether the project file ``path`` is the file of, or lies below, a module that a
    file run before it may have put a stand-in for (its folders, taken from the root, hold the
    module name's parts in a row)."""
    parts = tuple(path.removesuffix(".py").removesuffix("/__init__").split("/"))
    return any(
        parts[i : i + len(wanted)] == wanted
        for wanted in stubbed
        for i in range(len(parts) - len(wanted) + 1)
    )


class _Resolver:
    """Finds the project files behind dotted names, remembering every answer."""

    def __init__(
        self,
        project: Project,
        first_party: frozenset[str],
        cache: ResultCache | None,
        declared: frozenset[str],
    ) -> None:
        self.root = project.root
        self.declared = declared
        """Canonical names of the distributions the project declares (see ``_base``)."""
        self.bases = [project.root / p for p in ("", *project.pytest.pythonpath, "src")]
        self.first_party = first_party
        self.cache = cache
        self.found: dict[tuple[Path, str], str | None] = {}
        self.imported: dict[str, tuple[str, ...]] = {}
        self.runs: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.bodies: dict[str, ModuleBody] = {}
        self.packages: dict[tuple[Path, str], frozenset[str] | None] = {}
        self.needs_package: dict[str, bool] = {}
        """Per file read, ``may_need_a_package`` of its text (read once for both)."""

    def file(self, base: Path, name: str) -> str | None:
        key = (base, name)
        if key not in self.found:
            parts = name.split(".")
            path = None
            for candidate in (
                base.joinpath(*parts, "__init__.py"),
                base.joinpath(*parts).with_suffix(".py"),
            ):
                if candidate.is_file():
                    path = relative(candidate, self.root)
                    break
            self.found[key] = path
        return self.found[key]

    def _on_the_way(self, base: Path, name: str) -> list[str]:
        """The files of ``name`` below ``base``, outermost package first."""
        parts = name.split(".")
        found = (self.file(base, ".".join(parts[:end])) for end in range(1, len(parts) + 1))
        return [path for path in found if path is not None]

    def chain(self, importer: str, module: str, names: tuple[str, ...]) -> tuple[str, ...]:
        """The files that ``import module`` (``from module import names``) runs, from the
        first base that holds its top."""
        base = self._base(importer, module.partition(".")[0])
        if base is None:
            base = self._portion_base(module)
        if base is None:
            return ()
        return (*self._on_the_way(base, module), *self._submodules(base, module, names))

    def _submodules(self, base: Path, module: str, names: tuple[str, ...]) -> list[str]:
        """The files of the submodules that ``from module import names`` imports (BD1).

        Python imports ``module`` (the package, below ``base``; ``""`` for ``base`` itself),
        then takes each name from it, and imports the submodule ``module.name`` only when the
        package has no such name: a name its ``__init__.py`` may bind (``from .cli import
        main`` beside a ``main.py``) imports no module, and one that may bind any name
        (``__getattr__``, a star import) leaves every name unfollowed. A module ``module.py``
        has no submodules."""
        binds = self._package_binds(base, module) if names else None
        if binds is None:
            return []
        prefix = f"{module}." if module else ""
        return [
            path for name in names if name not in binds and (path := self.file(base, prefix + name))
        ]

    def _package_binds(self, base: Path, module: str) -> frozenset[str] | None:
        """The names the package ``module`` below ``base`` binds (see ``_submodules``); None
        when it may bind any, or is no package (a module ``module.py``, or nothing here)."""
        key = (base, module)
        if key not in self.packages:
            package = base.joinpath(*module.split(".")) if module else base
            init = package / "__init__.py"
            if init.is_file():
                self.packages[key] = self._body(relative(init, self.root)).binds
            elif package.is_dir() and not (module and package.with_suffix(".py").is_file()):
                self.packages[key] = frozenset()  # a namespace package binds nothing
            else:
                self.packages[key] = None
        return self.packages[key]

    def _base(self, importer: str, top: str) -> Path | None:
        """The first base that holds ``top``, as ``importer`` imports it: a module, a package,
        or else a folder without ``__init__.py`` (a namespace package: ``from
        src.pytrivialsql import duckdb``, ``from tests.helpers import make`` in a ``tests/``
        without one), which Python imports only where no base holds a module or a package. Not
        for a name a distribution the tables know or the project declares is named after: a
        plugin's ``palm/plugins/dbt/`` may be a portion of palm's namespace, or may never be
        imported where palm installs a package of that name.

        The importer's own folder is no base for a standard module's name when that folder is
        a package (ZG1): pytest's prepend mode puts the package's base on ``sys.path``, not the
        folder, so ``from typing import Callable`` beside a ``typing.py`` still imports the
        standard ``typing``; in a folder without ``__init__.py`` the sibling may shadow it."""
        folder = (self.root / importer).parent
        own = [] if is_stdlib(top) and (folder / "__init__.py").is_file() else [folder]
        bases = [*own, *self.bases]
        found = next((base for base in bases if self.file(base, top)), None)
        if found is None and not self._named_elsewhere(top):
            found = next((base for base in bases if (base / top).is_dir()), None)
        return found

    def _portion_base(self, module: str) -> Path | None:
        """The first base holding ``module``'s own file below folders without
        ``__init__.py`` named after a distribution only the project declares (DP1:
        irisml-tasks-transformers ships ``irisml/tasks/create_transformers_model.py`` into the
        namespace of its requirement irisml): the build installs that file as a portion of the
        namespace, so the test's ``from irisml.tasks.create_transformers_model import Task``
        runs it. Not for a top-level name that is a standard module or that the tables know
        (their packages may hold a module of that name), nor for a dotted name below a folder
        with an ``__init__.py`` on the way (a package, not a namespace portion)."""
        parts = module.split(".")
        top = parts[0]
        if len(parts) < 2 or is_stdlib(top) or named_by_tables(top):
            return None
        if canonicalize_name(top) not in self.declared:
            return None
        for base in self.bases:
            folders = [base.joinpath(*parts[:end]) for end in range(1, len(parts))]
            if any(not f.is_dir() or (f / "__init__.py").exists() for f in folders):
                continue
            own = base.joinpath(*parts)
            if own.with_suffix(".py").is_file() or (own / "__init__.py").is_file():
                return base
        return None

    def _named_elsewhere(self, top: str) -> bool:
        """Whether a standard module, a distribution the tables know or one the project
        declares is named ``top``: a folder of that name may be no namespace Python imports."""
        return is_stdlib(top) or named_by_tables(top) or canonicalize_name(top) in self.declared

    def runs_with(self, chain: tuple[str, ...]) -> tuple[str, ...]:
        """``chain`` with every project file its files import at module level, and those
        files' own in turn, in the order a first import runs them (depth first)."""
        if chain not in self.runs:
            seen: dict[str, None] = {}
            stubbed: list[tuple[str, ...]] = []
            stack = list(reversed(chain))
            while stack:
                path = stack.pop()
                if path in seen or (stubbed and _in_stood_in(path, stubbed)):
                    continue  # FE1: once a stand-in is in sys.modules, every import gets it
                seen[path] = None
                imports = self._imports(path)
                stood = self.bodies[path].stand_ins  # read with its imports
                if stood:
                    stubbed.extend(tuple(name.split(".")) for name in stood)
                stack.extend(reversed(imports))
            self.runs[chain] = tuple(seen)
        return self.runs[chain]

    def _imports(self, path: str) -> tuple[str, ...]:
        """The project files that the module-level import statements of ``path`` run:
        ``from .geometry import Word`` and ``from . import geometry`` beside it, ``from
        pkg.geometry import Word`` and ``from pkg import geometry`` through the bases, each
        with the packages on the way (the submodule as ``_submodules`` says)."""
        if path not in self.imported:
            self.imported[path] = self._read_imports(path)
        return self.imported[path]

    def _read_imports(self, path: str) -> tuple[str, ...]:
        package = (self.root / path).parent
        found: list[str] = []
        for statement in self._body(path).imports:
            base: Path | None = None
            if statement.level:
                base = package
                for _ in range(statement.level - 1):
                    base = base.parent
                if base != self.root and self.root not in base.parents:
                    continue  # above the project: not its file
            elif statement.module.partition(".")[0] in self.first_party:
                base = self._base(path, statement.module.partition(".")[0])
            if base is not None:
                if statement.module:
                    found.extend(self._on_the_way(base, statement.module))
                found.extend(self._submodules(base, statement.module, statement.names))
        return tuple(dict.fromkeys(p for p in found if p != path))

    def _body(self, path: str) -> ModuleBody:
        """``module_body`` of a file, read once, from the lint cache when its bytes are known
        there; ``needs_package`` from the same read."""
        if path in self.bodies:
            return self.bodies[path]
        try:  # a regular file only (a FIFO is never waited for)
            data = read_regular(self.root / path, MAX_FILE_BYTES)
        except OSError:
            self.needs_package[path] = False
            self.bodies[path] = UNREADABLE
            return UNREADABLE
        text = data.decode("utf-8", errors="replace")
        self.needs_package[path] = may_need_a_package(text, self.first_party)
        key = self.cache.statements_key(data) if self.cache else ""
        body = ModuleBody.from_json(self.cache.get_value(key)) if self.cache else None
        if body is None:  # not stored, or not as written: read the file again
            body = module_body(data) if data.strip() else ModuleBody((), frozenset())
            if self.cache and data.strip():
                self.cache.put_value(key, body.to_json())
        self.bodies[path] = body
        return body


def import_chains(
    project: Project,
    results: Iterable[tuple[SourceFile, FileFacts]],
    first_party: frozenset[str],
    cache: ResultCache | None,
    declared: frozenset[str],
) -> tuple[Chains, list[SourceFile]]:
    """The chains of the suite's unguarded module-level first-party imports, and the project
    files on them that the suite itself does not hold (to analyse as ``other`` files)."""
    suite: set[str] = set()
    pending: list[tuple[str, ImportFact]] = []
    for source, facts in results:
        suite.add(source.path)
        pending.extend(
            (source.path, fact)
            for fact in facts.imports
            if fact.module_level
            and not fact.guarded
            and fact.module.partition(".")[0] in first_party
        )
    resolver = _Resolver(project, first_party, cache, declared)
    chains: Chains = {}
    extra: dict[str, None] = {}
    for importer, fact in pending:
        chain = tuple(
            path
            for path in resolver.runs_with(resolver.chain(importer, fact.module, fact.names))
            if path not in suite and resolver.needs_package[path]
        )
        if chain:
            chains[(importer, fact.module, fact.line)] = chain
            extra.update(dict.fromkeys(chain))
    return chains, [SourceFile(path, "other") for path in extra]


_IMPORTORSKIP = pytest_names("importorskip")


def package_skips(
    root: Path, suite: Collection[str], package_dirs: Collection[str]
) -> dict[str, frozenset[str]]:
    """Package folder -> the modules its ``__init__.py`` ``importorskip``s (see
    ``_importorskips``), for the package folders holding the suite's files and those above
    them. Under pytest's ``prepend``/``append`` import modes a test module of a package is
    imported as ``pkg.sub.test_x``, its packages' ``__init__`` files first: a skip there skips
    it."""
    folders: set[str] = set()
    for path in suite:
        parts = path.split("/")[:-1]
        while parts and "/".join(parts) in package_dirs:
            folders.add("/".join(parts))
            parts.pop()
    found = {folder: _importorskips(root / folder / "__init__.py") for folder in sorted(folders)}
    return {folder: names for folder, names in found.items() if names}


def conftest_skips(root: Path, conftests: Iterable[str]) -> dict[str, frozenset[str]]:
    """Folder -> the modules its ``conftest.py`` ``importorskip``s (see ``_importorskips``):
    pytest loads a folder's conftest before any module below it, in every import mode, and a
    skip there skips the folder (pytest 7.4 to 9.2)."""
    found = {path.rpartition("/")[0]: _importorskips(root / path) for path in conftests}
    return {folder: names for folder, names in found.items() if names}


def _importorskips(path: Path) -> frozenset[str]:
    """The modules a file ``importorskip``s in statements of its module body
    (``pytest.importorskip("x")``, ``x = pytest.importorskip("x")``); not in an ``if`` or a
    function, which may not run."""
    try:  # a regular file only (a FIFO is never waited for), nested or not
        tree = ast.parse(read_regular(path, MAX_FILE_BYTES))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    names = set()
    for statement in tree.body:
        value = statement.value if isinstance(statement, ast.Expr | ast.Assign) else None
        if (
            isinstance(value, ast.Call)
            and dotted_name(value.func) in _IMPORTORSKIP
            and value.args
            and isinstance(value.args[0], ast.Constant)
            and isinstance(value.args[0].value, str)
        ):
            names.add(value.args[0].value)
    return frozenset(names)
