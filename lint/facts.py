"""Records the facts of a file that project-wide rules read, during the engine's one walk.

Collecting is the engine's job: the rules read facts (their types are the rules' contract, in
``rules/api.py``) and never collect them, so this module sits in ``lint/`` beside the walk.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TypeGuard

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from apytest.lint.collect_ignore import COLLECT_IGNORE, ignore_addition
from apytest.lint.toml import parse_text
from apytest.rules.api import (
    ANY_PACKAGE,
    WORD,
    CollectIgnoreFact,
    FileContext,
    FileVisitor,
    FixtureFact,
    ImportFact,
    NameImportFact,
    PathMarkFact,
    RelativeImportFact,
)
from apytest.rules.support.astutil import (
    CLASS_TEST_SETUPS,
    FUNCTION_NODES,
    SKIP_MARKERS,
    FunctionNode,
    always_raises,
    assignment,
    called_name,
    called_with_strings,
    caught_around,
    checks_file,
    collection_error,
    dotted_name,
    enclosing_function,
    exit_conditions,
    fixture_decl,
    flat_layout_twin,
    handler_catches_import_error,
    import_guard,
    imported_branch,
    in_function,
    is_pytest_attr,
    is_test_function,
    keyword_value,
    marker_names,
    may_skip,
    mentioned_names,
    monkeypatches_cwd,
    never_runs,
    own_nodes,
    parameter_names,
    pytest_names,
    reads_option,
    recorded_names,
    requested_parameters,
    requests_own_name,
    returns_dicts,
    runs_only_before,
    skips_directly,
    skips_module,
    statements_before,
    string_value,
    tolerating_handler,
    top_imports,
    within,
    yields_in_cwd_manager,
)
from apytest.rules.support.distributions import brought_by, is_stdlib, runner_brings_before
from apytest.rules.support.environment_reads import (
    set_condition,
    unset_condition,
    variable_reads,
)
from apytest.rules.support.path_marks import MARKING_HOOKS, path_marks
from apytest.rules.support.regeneration_switches import environment_switch_names
from apytest.rules.support.static_paths import (
    Parts,
    PathEvaluator,
    added_path_argument,
    import_bindings,
    imported_path_names,
    same_folder_spelling,
    top_statements,
    working_folder,
)

IMPORT_PATH_CALLS = frozenset({"syspath_prepend", "syspathinsert", "pyimport", "import_path"})
"""Calls with which a test puts modules it wrote itself on the import path."""
SELF_IMPORTING_FIXTURES = frozenset({"pytester", "testdir"})
IMPORTORSKIP = pytest_names("importorskip")
SYS_PATH_ADDERS = frozenset({"sys.path.insert", "sys.path.append", "site.addsitedir"})
NOTED_CALLS = frozenset({"importorskip", "insert", "append", "addsitedir", *IMPORT_PATH_CALLS})
"""The last parts of the names of every call this collector notes."""

MODULE_SETUPS = frozenset({"setup_module", "setUpModule"})
"""The xunit setups pytest runs once, before a test module's first test."""


HOOK_LISTS = frozenset({"sys.meta_path", "sys.path_hooks"})
"""The import system's lists of finders and path hooks: inserting into one installs a hook."""


HOOK_CONTEXT_PACKAGES = frozenset({"importnb"})
"""CN1: packages whose context managers install an import hook for their block (importnb's
``with Notebook(): import Untitled42`` loads the notebook ``Untitled42.ipynb``)."""


JAVA_IMPORT_HOOK = "jpype.imports"
"""The module whose import installs JPype's import hook: from then on ``import java.lang`` or
``from org.example import Driver`` loads a Java package of the running JVM, no distribution."""

JAVA_DOMAINS = frozenset({"com", "edu", "gov", "java", "javax", "jdk", "mil", "net", "org"})
"""The top-level names JPype's hook serves: the domains it registers, and the JDK's own
packages (it asks the JVM whether any other name is a package)."""


def _imports_java_hook(node: ast.AST) -> bool:
    """``import jpype.imports`` or ``from jpype import imports``."""
    if isinstance(node, ast.Import):
        return any(alias.name == JAVA_IMPORT_HOOK for alias in node.names)
    package, _, name = JAVA_IMPORT_HOOK.rpartition(".")
    return (
        isinstance(node, ast.ImportFrom)
        and not node.level
        and node.module == package
        and any(alias.name == name for alias in node.names)
    )


def _installs_hook(call: ast.Call) -> bool:
    """``sys.meta_path.insert(...)``/``append``, or a call of a ``*import_hook*`` function."""
    owner, _, attr = (dotted_name(call.func) or "").rpartition(".")
    return "import_hook" in attr or (owner in HOOK_LISTS and attr in ("insert", "append"))


def _hook_context_names(module: ast.AST) -> frozenset[str]:
    """The names a module binds to a package of ``HOOK_CONTEXT_PACKAGES`` or to something
    imported from one (``from importnb import Notebook``, ``import importnb``)."""
    names: set[str] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom) and not node.level:
            if (node.module or "").partition(".")[0] in HOOK_CONTEXT_PACKAGES:
                names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(
                alias.asname or alias.name.partition(".")[0]
                for alias in node.names
                if alias.name.partition(".")[0] in HOOK_CONTEXT_PACKAGES
            )
    return frozenset(names)


def _enters_hook_context(module: ast.AST) -> bool:
    """CN1: whether a ``with`` of the module enters a call of an import hook's context manager
    (``with Notebook():`` of importnb): the imports of its block may load files no
    distribution brings."""
    names = _hook_context_names(module)
    return bool(names) and any(
        isinstance(item.context_expr, ast.Call)
        and (dotted_name(item.context_expr.func) or "").partition(".")[0] in names
        for node in ast.walk(module)
        if isinstance(node, (ast.With, ast.AsyncWith))
        for item in node.items
    )


def _is_sys_modules(node: ast.AST) -> bool:
    return dotted_name(node) == "sys.modules" or string_value(node) == "sys.modules"


def _not_none(node: ast.AST | None) -> bool:
    return node is not None and not (isinstance(node, ast.Constant) and node.value is None)


def _faked_names(node: ast.AST) -> list[str]:
    """Module names ``node`` puts into ``sys.modules`` with a value that is not ``None``
    (``patch.dict(sys.modules, {...})``, ``setitem(sys.modules, "x", v)``,
    ``sys.modules["x"] = v``)."""
    if isinstance(node, ast.Assign) and _not_none(node.value):
        return [
            name
            for target in node.targets
            if isinstance(target, ast.Subscript)
            and _is_sys_modules(target.value)
            and (name := string_value(target.slice))
        ]
    if not isinstance(node, ast.Call) or not node.args or not _is_sys_modules(node.args[0]):
        return []
    name = called_name(node)
    if name == "dict" and len(node.args) > 1 and isinstance(node.args[1], ast.Dict):
        values = node.args[1]
        return [
            key
            for key_node, value in zip(values.keys, values.values, strict=True)
            if (key := string_value(key_node)) and _not_none(value)
        ]
    if name == "setitem" and len(node.args) > 2 and _not_none(node.args[2]):
        key = string_value(node.args[1])
        return [key] if key else []
    return []


def _looped_fakes(loop: ast.For) -> list[str]:
    """The module names a ``for`` over a literal puts into ``sys.modules`` (AU1: ``for name in
    ("mcu", "pins"): sys.modules[name] = Mock()``, or ``for name, fake in (("gcode", Mock()),
    ...)`` with the name first): the strings the loop's name takes, when its body assigns
    ``sys.modules[name]`` a value that is not ``None``."""
    target = loop.target
    unpacked = isinstance(target, ast.Tuple) and bool(target.elts)
    first = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
    if not isinstance(first, ast.Name) or not isinstance(loop.iter, ast.Tuple | ast.List):
        return []
    names: list[str] = []
    for item in loop.iter.elts:
        if unpacked:
            item = item.elts[0] if isinstance(item, ast.Tuple) and item.elts else item
        name = string_value(item)
        if name is None:
            return []
        names.append(name)
    assigns = any(
        isinstance(node, ast.Assign)
        and _not_none(node.value)
        and any(
            isinstance(t, ast.Subscript)
            and _is_sys_modules(t.value)
            and isinstance(t.slice, ast.Name)
            and t.slice.id == first.id
            for t in node.targets
        )
        for stmt in loop.body
        for node in ast.walk(stmt)
    )
    return names if assigns else []


def _imported_modules(body: list[ast.stmt]) -> set[str]:
    """Absolute modules that the statements of ``body`` import directly."""
    found: set[str] = set()
    for stmt in body:
        if isinstance(stmt, ast.Import):
            found.update(alias.name for alias in stmt.names)
        elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
            found.add(stmt.module)
    return found


SKIPPING_SETUPS = frozenset(
    {
        "setUp",
        "asyncSetUp",
        "setUpClass",
        "setUpModule",
        "setup_method",
        "setup_class",
        "setup_module",
    }
)
"""xunit setups whose skip skips the tests of their class (or module)."""


def _leaves(body: list[ast.stmt]) -> bool:
    """Whether statements end the test without failing it: a skip, or a ``return`` at their
    end (a ``raise`` of anything else fails it, which an import's own failure does too)."""
    return skips_directly(body) or (bool(body) and isinstance(body[-1], ast.Return))


def _called_before(ancestors: list[ast.AST], node: ast.AST) -> Iterator[str]:
    """The functions that statements before ``node`` call by name, by themselves
    (``_skip_if_unconstructible(env)`` before ``from tau2.config import ...``)."""
    for stmt in statements_before(ancestors, node):
        if (
            isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Name)
        ):
            yield stmt.value.func.id


def _assigned_names(body: list[ast.stmt]) -> set[str]:
    names: set[str] = set()
    for stmt in body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else []
        for target in targets:
            elts = target.elts if isinstance(target, ast.Tuple) else [target]
            names.update(t.id for t in elts if isinstance(t, ast.Name))
    return names


def _self_attributes(body: list[ast.stmt]) -> set[str]:
    """The attributes ``body``'s assignments set on ``self`` or ``cls`` (``self.have_x =
    False``: DM1's flag, read as ``if self.have_x:``)."""
    return {
        target.attr
        for stmt in body
        if isinstance(stmt, ast.Assign)
        for target in stmt.targets
        if isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id in ("self", "cls")
    }


def _ignored_paths(body: list[ast.stmt]) -> dict[bool, list[str]]:
    """Literal paths that statements add to ``collect_ignore`` (False) or ``..._glob`` (True):
    ``append``, ``extend``, ``+=`` and plain assignment."""
    found: dict[bool, list[str]] = {False: [], True: []}
    for stmt in body:
        added = ignore_addition(stmt)
        if added is None:
            continue
        name, values, _ = added
        for value in values:
            items = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
            found[COLLECT_IGNORE[name]].extend(
                text for text in map(string_value, items) if text is not None
            )
    return found


class _Uses:
    """Who names each word of a test module outside a docstring (a name, an attribute, a
    parameter, or a word of a string): the tests, each with its class outermost first
    (``(test,)`` or ``(cls, test)``), and the top-level statements naming it in anything but a
    test. Built once per module when a helper's import first asks (``_helper_users``): walking
    the module once per helper cost minutes on suites of large modules (unsloth-zoo)."""

    def __init__(self, module: ast.Module) -> None:
        self.in_tests: dict[str, list[tuple[ast.stmt, tuple[ast.AST, ...]]]] = {}
        self.elsewhere: dict[str, list[ast.stmt]] = {}
        docstring = _docstring(module)
        for statement in module.body:
            if statement is docstring:
                continue  # a docstring that names it (what the module is about) uses nothing
            candidates: list[tuple[ast.ClassDef | None, FunctionNode]] = []
            if isinstance(statement, FunctionNode):
                candidates = [(None, statement)]
            elif isinstance(statement, ast.ClassDef):
                candidates = [(statement, m) for m in statement.body if isinstance(m, FunctionNode)]
            tests = [(c, t) for c, t in candidates if is_test_function(t, c or module)]
            for cls, test in tests:
                user = (test,) if cls is None else (cls, test)
                for word in {w for sub in ast.walk(test) for w in _words(sub)}:
                    self.in_tests.setdefault(word, []).append((statement, user))
            outside = _outside(statement, [test for _, test in tests])
            for word in {w for node in outside for w in _words(node)}:
                self.elsewhere.setdefault(word, []).append(statement)

    def users(self, name: str, defined: FunctionNode) -> list[tuple[ast.AST, ...]] | None:
        """The tests that use ``name`` outside its definition ``defined``; None when none
        does, or anything but a test does."""
        if any(statement is not defined for statement in self.elsewhere.get(name, ())):
            return None
        found = [user for stmt, user in self.in_tests.get(name, ()) if stmt is not defined]
        return found or None


def _names(node: ast.AST, name: str) -> bool:
    """Whether ``node`` names ``name`` anywhere (a name, an attribute, a parameter, a word of a
    string: what ``_Uses`` counts as a use)."""
    return any(name in _words(sub) for sub in ast.walk(node))


def _decorated(node: ast.AST) -> TypeGuard[FunctionNode | ast.ClassDef]:
    """Whether ``node`` (a test or its class, as ``_users`` gives them) has decorators."""
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)


def _docstring(module: ast.Module) -> ast.stmt | None:
    """The module's docstring statement, if it has one."""
    first = module.body[0] if module.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return first if isinstance(first.value.value, str) else None
    return None


def _outside(statement: ast.stmt, tests: Sequence[ast.AST]) -> Iterator[ast.AST]:
    """The nodes of ``statement`` that lie in none of ``tests`` (their decorators included)."""
    pending: list[ast.AST] = [] if statement in tests else [statement]
    while pending:
        node = pending.pop()
        yield node
        pending.extend(child for child in ast.iter_child_nodes(node) if child not in tests)


def _words(node: ast.AST) -> Iterator[str]:
    """What ``node`` itself (not its children) names: a name, an attribute, a parameter, or
    the words of a string."""
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, ast.Attribute):
        yield node.attr
    elif isinstance(node, ast.arg):
        yield node.arg
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield from WORD.findall(node.value)


def _given_value(stmt: ast.stmt) -> ast.expr | None:
    """The value a fixture's statement returns or yields (``return x``, ``yield x``); None for
    any other statement."""
    if isinstance(stmt, ast.Return):
        return stmt.value
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield):
        return stmt.value.value
    return None


def _autouse_importorskips(scope: ast.Module | ast.ClassDef) -> set[str]:
    """What the autouse fixtures defined in ``scope`` ``importorskip`` first (DF4)."""
    found: set[str] = set()
    for func in scope.body:
        if isinstance(func, FunctionNode):
            decl = fixture_decl(func)
            if decl is not None and decl.surely_autouse:
                found.update(_skipped_first(func))
    return found


def _skipped_first(func: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...]:
    """Top-level packages that a fixture ``importorskip``s in statements of its own body before
    the first one that may return or yield: a test requesting it is skipped there, before its
    own body runs, wherever one of them is missing. The value it returns or yields counts too
    (``return pytest.importorskip("excitingtools")``): it is computed before the test runs."""
    skipped: list[str] = []
    for stmt in func.body:
        given = _given_value(stmt)
        value = stmt.value if isinstance(stmt, ast.Expr | ast.Assign | ast.AnnAssign) else None
        value = given if given is not None else value
        if isinstance(value, ast.Call) and dotted_name(value.func) in IMPORTORSKIP and value.args:
            module = string_value(value.args[0])
            if module:
                skipped.append(module.partition(".")[0])
            if given is not None:
                break  # what follows a yield runs after the test
            continue
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue  # defined here, not run
        if any(isinstance(n, ast.Return | ast.Yield | ast.YieldFrom) for n in ast.walk(stmt)):
            break
        skipped.extend(_import_or_skip(stmt))
    return tuple(sorted(set(skipped)))


def _or_operands(test: ast.expr) -> list[ast.expr]:
    """The operands of an ``or``; the test itself for any other."""
    return test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) else [test]


def _absent_from_sys_modules(test: ast.expr) -> set[str]:
    """CI1: the packages a condition holds for while they are not imported yet: ``"x.sub" not
    in sys.modules`` (alone, or one operand of an ``or``). A module-level skip under it skips
    the module wherever ``x`` was not imported before, so wherever it is not installed: an
    ``import x`` below it never fails. ``"x" in sys.modules`` holds only where it was; a skip
    under that guards nothing."""
    found: set[str] = set()
    for operand in _or_operands(test):
        if (
            isinstance(operand, ast.Compare)
            and len(operand.ops) == 1
            and isinstance(operand.ops[0], ast.NotIn)
            and dotted_name(operand.comparators[0]) == "sys.modules"
        ):
            name = string_value(operand.left)
            if name:
                found.add(name.partition(".")[0])
    return found


ALWAYS_IMPORTED = frozenset({"pytest", "_pytest", "pluggy", "iniconfig"})
"""FI1: modules in ``sys.modules`` in every pytest run (beside the standard library's, which
pytest or the interpreter may have imported): a test on them decides nothing."""


def _imported_only_where_loaded(node: ast.AST, ancestors: Sequence[ast.AST]) -> bool:
    """FI1: an import in a branch that runs only where another module was imported first: the
    body of ``if "m" in sys.modules:`` or the ``else`` of ``if "m" not in sys.modules:``
    (trio-typing's mypy imports, taken only under ``-p trio_typing._tests.datadriven``). A
    plain run may never import ``m``, so the branch may never run; not sure, the rule stays
    silent. A test on pytest's own modules or the standard library's decides nothing."""
    for outer in ancestors:
        if not isinstance(outer, ast.If):
            continue
        test = outer.test
        if not (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.ops[0], ast.In | ast.NotIn)
            and dotted_name(test.comparators[0]) == "sys.modules"
        ):
            continue
        name = string_value(test.left)
        if not name or is_stdlib(name) or name.partition(".")[0] in ALWAYS_IMPORTED:
            continue
        branch = outer.body if isinstance(test.ops[0], ast.In) else outer.orelse
        if within(node, branch):
            return True
    return False


def _else_skips(top: str, node: ast.AST, ancestors: Sequence[ast.AST]) -> bool:
    """An import in the body of an ``if`` whose ``else`` ``importorskip``s the same package
    (ZF3: dagster-dex's ``if os.environ.get("..._REQUIRED") == "1": import x`` / ``else: x =
    pytest.importorskip("x")``): the maintainers' switch to make the package required; a run
    that does not throw it skips without the package, whatever the condition reads."""
    for outer in ancestors:
        if not (isinstance(outer, ast.If) and within(node, outer.body)):
            continue
        for stmt in outer.orelse:
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.Call) and _importorskips(sub, top):
                    return True
    return False


def _importorskips(node: ast.AST | None, top: str) -> bool:
    """Whether ``node`` is a ``pytest.importorskip`` of ``top`` or one of its modules."""
    return (
        isinstance(node, ast.Call)
        and dotted_name(node.func) in IMPORTORSKIP
        and bool(node.args)
        and (string_value(node.args[0]) or "").partition(".")[0] == top
    )


DYNAMIC_LOADERS = frozenset(
    {"exec_module", "import_module", "__import__", "load_module", "load_source", "run_path"}
)
"""Calls that import code named by a path or a string (``spec.loader.exec_module(mod)``,
``importlib.import_module(name)``, ``runpy.run_path(path)``): what it imports is not written
in the file."""


def _runs_on_import(statement: ast.stmt, module: ast.AST) -> bool:
    """Whether ``statement`` runs whenever pytest imports the module: one of the module body's,
    or of the branch a module-level ``if`` always takes there (CL5: json-rpc's ``if
    sys.version_info < (3, 0) or sys.version_info >= (3, 3):`` around ``try: from flask import
    Flask`` / ``except ImportError: raise unittest.SkipTest(...)``)."""
    body = getattr(module, "body", ())
    return statement in body or any(
        statement in imported_branch(outer) for outer in body if isinstance(outer, ast.If)
    )


def _import_or_skip(stmt: ast.stmt) -> set[str]:
    """The packages ``try: import x`` / ``except ImportError: pytest.skip(...)`` imports, the
    first handler catching ImportError skipping outright: ``importorskip`` spelt out (ZB10:
    wyckoff-transformer's ``genbench`` fixture and ``lemat_genbench``). BF4: ``ANY_PACKAGE``
    when the ``try`` loads code dynamically (``DYNAMIC_LOADERS``): a fixture loading a module
    by path and skipping if that fails runs its tests only where whatever that module imports
    (not written here) is installed, so an import of the test may be one of them."""
    if not isinstance(stmt, ast.Try):
        return set()
    handler = next((h for h in stmt.handlers if handler_catches_import_error(h)), None)
    skips = handler is not None and any(
        isinstance(s, ast.Expr)
        and isinstance(s.value, ast.Call)
        and is_pytest_attr(s.value.func, "skip")
        for s in handler.body
    )
    if not skips:
        return set()
    loads = any(
        isinstance(node, ast.Call)
        and (dotted_name(node.func) or "").rpartition(".")[2] in DYNAMIC_LOADERS
        for inner in stmt.body
        for node in ast.walk(inner)
    )
    return top_imports(stmt.body) | ({ANY_PACKAGE} if loads else set())


UNITTEST_CONDITIONAL_SKIPS = frozenset({"skipIf", "skipUnless"})
"""unittest's conditional skip decorators, which pytest honours as it does ``skipif``."""


def _marker_names(decorator: ast.expr) -> set[str]:
    """The names a skip marker is about: those in a ``skipif``/``skip``/``xfail`` mark's
    arguments or a unittest ``skipIf``/``skipUnless`` decorator's (``@unittest.skipUnless(HAS_X,
    ...)``), or the name of a project marker (``@requires_x``, ``@helpers.needs_x``)."""
    call = decorator if isinstance(decorator, ast.Call) else None
    name = dotted_name(call.func if call is not None else decorator) or ""
    head, _, last = name.rpartition(".")
    if last in UNITTEST_CONDITIONAL_SKIPS and head in ("", "unittest"):
        if call is None:
            return set()
        return {n for arg in [*call.args, *call.keywords] for n in mentioned_names(arg)}
    if head.endswith("mark"):
        if last not in SKIP_MARKERS or call is None:
            return set()
        return {n for arg in [*call.args, *call.keywords] for n in mentioned_names(arg)}
    return {last} if last else set()


def _conditional_skip(decorator: ast.expr) -> tuple[str, ast.expr] | None:
    """``("skipif", cond)`` for ``@pytest.mark.skipif(cond)`` and ``@unittest.skipIf(cond)``,
    ``("skipUnless", cond)`` for ``@unittest.skipUnless(cond)``; None for any other
    decorator."""
    if not isinstance(decorator, ast.Call) or not decorator.args:
        return None
    head, _, last = (dotted_name(decorator.func) or "").rpartition(".")
    if head.endswith("mark") and last == "skipif":
        return "skipif", decorator.args[0]
    if last in UNITTEST_CONDITIONAL_SKIPS and head in ("", "unittest"):
        return ("skipif" if last == "skipIf" else last), decorator.args[0]
    return None


def _called_at_module_level(body: Sequence[ast.stmt]) -> dict[str, int]:
    """BQ5: name -> line of the first module-level statement that only calls that name
    (``_install_haystack_stubs()``): a helper of the module run there, before the statements
    below it, as if its body were written in its place."""
    called: dict[str, int] = {}
    for statement in body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
            called.setdefault(call.func.id, statement.lineno)
    return called


def _skipped_without(decorator: ast.expr) -> set[str]:
    """FF1: the packages without which a conditional skip skips, read from its own condition
    (``@pytest.mark.skipif(importlib.util.find_spec("pyspark") is None)`` on a class, over
    methods that import pyspark): its tests, and their ``setup_method``, run only where they
    are installed."""
    skip = _conditional_skip(decorator)
    if skip is None or skip[0] != "skipif":
        return set()
    return set().union(*map(_missing_spec, _or_operands(skip[1])))


def _skip_condition_names(decorator: ast.expr) -> set[str]:
    """The names in the condition of a conditional skip (see ``_conditional_skip``); nothing
    for any other decorator."""
    skip = _conditional_skip(decorator)
    return mentioned_names(skip[1]) if skip else set()


SKIP_HELPER = re.compile(r"^(skip_?unless|skip_?if_?no|skip_?without|requires?|needs?)(_|$)")
"""A project's own skip decorator, by its name (``skip_unless_package``, ``requires``)."""


def _skip_helper_package(decorator: ast.expr) -> str | None:
    """``langchain`` of ``@skip_unless_package("langchain")``: a project's skip decorator
    given the package it needs as its one argument, a module name (not a ``mark``)."""
    if not isinstance(decorator, ast.Call) or len(decorator.args) != 1 or decorator.keywords:
        return None
    name = dotted_name(decorator.func) or ""
    head, _, last = name.rpartition(".")
    package = string_value(decorator.args[0])
    if head.endswith("mark") or not SKIP_HELPER.match(last.lower()) or package is None:
        return None
    return package.partition(".")[0] if re.fullmatch(r"[A-Za-z_][\w.]*", package) else None


def names_package(name: str, top: str) -> bool:
    """Whether an identifier names a package among its words (``HAS_DASK``, ``requires_dask``
    for ``dask``): how a flag or marker imported from a helper module says what it is about."""
    return f"_{top.lower()}_" in f"_{name.lower()}_"


FLAG_PREFIXES = ("requires_", "require_", "needs_", "need_", "has_", "have_", "with_")
MARKER_SUFFIX = "_skip"


def named_package(name: str) -> str | None:
    """``dask`` for ``requires_dask``/``HAS_DASK``: the package a flag or marker is named after."""
    lower = name.lower()
    for prefix in FLAG_PREFIXES:
        if lower.startswith(prefix) and len(lower) > len(prefix):
            return lower[len(prefix) :]
    return None


SKIPPING_HOOKS = frozenset({"pytest_runtest_setup", "pytest_collection_modifyitems"})
"""Hooks of a conftest or plugin module that skip tests by their markers unless an option asks
for them (``if "release" in markers and not config.getoption("--release"): pytest.skip()``)."""


DROPPING_CALLS = frozenset({"skip", "pytest_deselected"})
"""Calls with which a collection hook drops tests: a skip mark, or reporting them deselected."""


def _skipped_markers(hook: FunctionNode, constants: Mapping[str, list[str]]) -> list[str]:
    """The markers a skipping hook decides on: the names written as strings in the conditions
    of its ``if`` statements, or held by a module-level tuple of strings they name
    (holoviews' ``CUSTOM_MARKS = ("ui", "gpu")``, RY5), when the hook skips
    (``pytest.skip()``, ``pytest.mark.skip(...)`` added to the items) or deselects
    (``config.hook.pytest_deselected(items=...)``). Option names among them (``"--release"``)
    match no marker."""
    calls = (node for node in ast.walk(hook) if isinstance(node, ast.Call))
    if not any((dotted_name(c.func) or "").rpartition(".")[2] in DROPPING_CALLS for c in calls):
        return []
    tests = (node.test for node in ast.walk(hook) if isinstance(node, ast.If | ast.IfExp))
    found: set[str] = set()
    for test in tests:
        for node in ast.walk(test):
            if isinstance(node, ast.Constant):
                found.add(string_value(node) or "")
            elif isinstance(node, ast.Name):
                found.update(constants.get(node.id, ()))
    return sorted(text for text in found if text.isidentifier())


def _string_tuples(module: ast.AST) -> dict[str, list[str]]:
    """The module-level names bound to a tuple or list of strings (``CUSTOM_MARKS``), or to a
    dict whose keys are all strings (EI2: holonote's ``optional_markers = {"benchmark": {...}}``,
    whose keys the hook walks: ``any(m in item.keywords for m in optional_markers)``)."""
    found: dict[str, list[str]] = {}
    for statement in getattr(module, "body", ()):
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
            continue
        target, value = statement.targets[0], statement.value
        if isinstance(target, ast.Name) and isinstance(value, ast.Tuple | ast.List | ast.Dict):
            elements = value.keys if isinstance(value, ast.Dict) else value.elts
            texts = [string_value(e) if e is not None else None for e in elements]
            if texts and all(texts):
                found[target.id] = [t for t in texts if t]
    return found


def marker_package(name: str) -> str | None:
    """The package a skip marker is named after: ``dask`` of ``requires_dask`` (as a flag's,
    see `named_package`) or of ``dask_skip`` (holoviews' ``jupyter_skip`` skips its test
    where jupyter is missing, RY4). Only for markers: a flag named ``x_skip`` says nothing
    about whether ``x`` is installed when it is true."""
    lower = name.lower()
    if lower.endswith(MARKER_SUFFIX) and len(lower) > len(MARKER_SUFFIX):
        return lower.removesuffix(MARKER_SUFFIX)
    return named_package(name)


def _raises_own_error(outer: ast.AST, node: ast.AST) -> bool:
    """Whether ``node`` lies in the body of a ``try`` (``outer``) whose handlers of ImportError
    all end in a ``raise``: the module turns a missing package into its own error (AZ6)."""
    if not isinstance(outer, ast.Try) or not within(node, outer.body):
        return False
    handlers = [h for h in outer.handlers if handler_catches_import_error(h)]
    return bool(handlers) and all(always_raises(h.body) for h in handlers)


def _missing_spec(test: ast.expr) -> set[str]:
    """The packages a condition holds without: ``not find_spec("x")``, ``find_spec("x") is
    None`` (``importlib.util.find_spec`` or a bare ``find_spec``)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        call = test.operand
    elif (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Is)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        call = test.left
    else:
        return set()
    if not (isinstance(call, ast.Call) and len(call.args) == 1):
        return set()
    callee = dotted_name(call.func) or ""
    named = string_value(call.args[0])
    if named is None or callee.rpartition(".")[2] != "find_spec":
        return set()
    return {named.partition(".")[0]}


def _availability_packages(func: FunctionNode) -> set[str]:
    """CP3: the packages a module-level function without required arguments checks first,
    returning a false value where one is missing (einx's ``arrayapi_is_available()``: ``if not
    find_spec("array_api_compat"): return False``, before trying the import): wherever it
    returns true, they are installed, so an ``if`` calling it guards their imports. Only the
    checks before any other ``return`` count."""
    args = func.args
    if len(args.posonlyargs) + len(args.args) > len(args.defaults) or args.kw_defaults.count(None):
        return set()
    found: set[str] = set()
    for stmt in func.body:
        if isinstance(stmt, ast.If) and not stmt.orelse and len(stmt.body) == 1:
            ret = stmt.body[0]
            missing = _missing_spec(stmt.test)
            if (
                missing
                and isinstance(ret, ast.Return)
                and (
                    ret.value is None
                    or (isinstance(ret.value, ast.Constant) and not ret.value.value)
                )
            ):
                found |= missing
                continue
        if any(isinstance(n, ast.Return) for n in own_nodes([stmt])):
            break
    return found


_SCRIPT_BLOCK = re.compile(r"(?m)^# /// script$\s(?P<content>(^#(| .*)$\s)+)^# ///$")
"""PEP 723's inline script metadata block of type ``script``."""


_TOP_LEVEL_TEST = re.compile(r"(?m)^(?:(?:async\s+)?def|class)\s+(?P<name>test\w*|Test\w*)")
"""FL2: a test function or ``Test*`` class at column 0, so at the module's top level: the
module may give pytest a test without a walk of its statements."""


def _test_named(name: str) -> bool:
    return name.startswith(("test", "Test"))


def _first_test_item(body: Sequence[ast.stmt]) -> str | None:
    """FL2: the first top-level name of a module that may give pytest a test (see
    ``FileFacts.test_items``), looking into ``if``/``try``/``with`` blocks; None when none
    can."""
    for stmt in top_statements(body):
        if isinstance(stmt, FunctionNode) and stmt.name.startswith("test"):
            return stmt.name
        if isinstance(stmt, ast.ClassDef) and (
            stmt.name.startswith("Test")
            or any(isinstance(b, FunctionNode) and b.name.startswith("test") for b in stmt.body)
        ):
            return stmt.name
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            for alias in stmt.names:
                bound = alias.asname or alias.name.partition(".")[0]
                if alias.name == "*" and isinstance(stmt, ast.ImportFrom):
                    module = stmt.module or ""
                    if stmt.level or "test" in module.lower():
                        return "*"
                elif _test_named(bound):
                    return bound
        parts = assignment(stmt)
        if parts is not None:
            for target in parts[0]:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Name) and _test_named(sub.id):
                        return sub.id
    return None


def script_dependencies(source: str) -> list[str]:
    """The normalised names of the distributions a PEP 723 ``# /// script`` block declares in
    its ``dependencies`` (ER1): ``uv run``/``pipx run`` install them for the script; [] when
    the block is missing or not valid TOML."""
    match = _SCRIPT_BLOCK.search(source)
    if match is None:
        return []
    content = "".join(
        line[2:] if line.startswith("# ") else line[1:]
        for line in match.group("content").splitlines(keepends=True)
    )
    dependencies = (parse_text(content) or {}).get("dependencies", [])
    names: list[str] = []
    for requirement in dependencies if isinstance(dependencies, list) else []:
        try:
            names.append(canonicalize_name(Requirement(str(requirement)).name))
        except InvalidRequirement:
            continue
    return names


class FactCollector(FileVisitor):
    """Imports (and whether they are guarded), fixtures, ``pytest_plugins``, ``collect_ignore``.

    ``pytest.importorskip("x")``, or ``pytest.skip(allow_module_level=True)`` under a condition
    on ``x`` (a ``find_spec("x")`` call or an availability flag), skips the rest of its module
    (or function) when ``x`` is missing, so later imports from the same top-level package there
    are guarded too. Imports in a function that puts its own files on the import path
    (``pytester``, ``syspath_prepend``, ``sys.path.insert``, ``site.addsitedir``,
    ``import_path``, or a function of the module that does, called or entered in a ``with``)
    load modules the test wrote, and count as guarded; so do imports of a module the file puts
    into ``sys.modules`` itself (``patch.dict(sys.modules, {"x": fake})``), which find the
    stand-in there.

    Availability flags are names bound by a ``try: import x`` block (``HAS_X = True`` /
    ``HAS_X = False``, ``x = None`` in the handler) or to a ``find_spec("x")`` expression, and
    skip markers built on them (``requires_x = pytest.mark.skipif(not HAS_X, ...)``). A name
    imported from elsewhere counts as a flag for ``x`` when ``x`` is one of its words
    (``has_x``, ``requires_x``). An import under ``if HAS_X:``, or inside a test or class that
    such a marker skips, or in a module whose ``pytestmark`` holds one (only inside its
    functions: a mark never stops a module-level import from failing collection), is guarded.
    Every import also records the packages certainly installed when it runs (``assured``: an
    ``importorskip`` before it, the package a skip marker on its test is about), for the
    project rules to let through what those require. A function that names the module it
    imports in a string (``"app.py"``, ``purge_module("app")``) wrote it itself.
    """

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.skipped_packages: dict[ast.AST, set[str]] = {}
        self.setup_skips: dict[ast.AST, set[str]] = {}
        self.autouse_skips: dict[ast.AST, set[str]] = {}
        """DF4: what the autouse fixtures of each module or class ``importorskip`` first."""
        self.self_importing: set[ast.AST] = set()
        self.path_setup_classes: dict[ast.ClassDef, bool] = {}
        """BY4: whether a class's per-test setup (``setUp``, ``setup_method``) puts a folder on
        the import path: its tests run after it, and may import what that folder holds."""
        self.flags: dict[str, set[str]] = {}
        self.function_strings: dict[ast.AST, frozenset[str]] = {}
        self.setup_files: frozenset[str] | None = None
        """The ``.py`` file names the module's own ``setup_module``/``setUpModule`` names."""
        self.import_hook: bool | None = None
        """Whether the module installs an import hook (see ``_installs_import_hook``)."""
        self.java_hook: int | None = None
        """The line of the module's first import of JPype's hook, 0 for none (``_java``)."""
        self.fake_modules: dict[str, int] | None = None
        """Modules the file puts into ``sys.modules`` itself (see ``_fake_modules``)."""
        self.path_helpers: dict[str, bool] = {}
        """Whether each of the module's own functions called so far puts folders on the import
        path (see ``_is_path_helper``)."""
        self.module_functions: dict[str, list[FunctionNode]] | None = None
        """The module-level functions by name (a name may be defined twice), read on first use."""
        self.bindings: dict[str, ast.expr] | None = None
        """The names the module's import binds once (``static_paths.import_bindings``), read on
        first use."""
        self.skip_conditions: dict[ast.AST, set[str]] = {}
        """Names in the conditions of ``pytest.skip(allow_module_level=True)``, per module."""
        self.marked: set[str] = set()
        """Names in the skip markers of the module's ``pytestmark`` (for imports in functions)."""
        self.module_marks: set[str] = set()
        """The marks of the module's ``pytestmark`` (``gpu`` of ``pytest.mark.gpu``)."""
        self.module_conditions: set[str] = set()
        """Names in the conditions of the module's ``pytestmark`` skips (``skipif(cond)``): one
        another module binds may be about any package (BQ4, see ``_module_skip_foreign``)."""
        self.module_opt_in = False
        """Whether the module's ``pytestmark``, or a module-level ``pytest.skip(...,
        allow_module_level=True)``, skips wherever an environment variable is unset (see
        ``_opt_in``)."""
        self.environment_reads: dict[str, str] | None = None
        """The module-level names bound once to environment reads, read on first use."""
        self.helper_users: dict[ast.AST, list[tuple[ast.AST, ...]] | None] = {}
        """Per module-level helper or fixture of a test module, the tests that use it (see
        ``_helper_users``), worked out once per function."""
        self.uses: _Uses | None = None
        """Who names each word of the test module, read when a helper's import first asks."""
        self.skipping_helpers: dict[str, bool] = {}
        """Per name a test calls before an import that nothing else guards, whether the
        module's function of that name may skip the test (``astutil.may_skip``)."""
        self.helper_optional: set[str] = set()
        """Packages the module imports through another module's helper, by name, into a name of
        theirs (sympy's ``aesara = import_module("aesara")``, None where it is missing): the
        project's own optional-import machinery, whose skips (a module-level ``disabled`` flag
        its conftest skips on, a test's ``if aesara is None: skip()`` before calling a helper)
        the lint does not follow, so the imports of those packages in the module's functions
        are not sure to fail (RZ6)."""
        self.foreign: set[str] = set()
        """Names that module-level imports bind from third-party or project modules: an ``if``
        on one may be about any package (pandas' ``if not pa_version_under10p1: import
        pyarrow``, a flag that ``pandas.compat`` sets from a try-import), so not sure; so are
        the names a module-level assignment binds from one (``_have_doh =
        dns._features.have("doh")``)."""

    def _scope(self) -> ast.AST:
        return enclosing_function(self.ctx.ancestors) or self.ctx.ancestors[0]

    def _about(self, names: set[str], top: str) -> bool:
        """Whether one of ``names`` is an availability flag or skip marker for ``top``."""
        return any(top in self.flags.get(n, ()) or names_package(n, top) for n in names)

    def _flag_guarded(self, top: str, node: ast.AST) -> bool:
        """An ``if`` on a flag for ``top``, a module-level skip on one or on a name from
        another module, (inside functions) a skip marker on ``top`` on the function, its class
        or the module's ``pytestmark``, or an ``if`` on such a flag (or on a name from another
        module) that returns or skips before ``node``."""
        ancestors = self.ctx.ancestors
        inside = in_function(ancestors)
        if inside and (
            self._about(self.marked, top) or self.module_opt_in or self._module_skip_foreign()
        ):
            return True
        for outer in ancestors:
            if (
                inside
                and isinstance(outer, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and any(self._opt_in(decorator) for decorator in outer.decorator_list)
            ):
                return True
            if isinstance(outer, ast.If) and self._may_be_about(mentioned_names(outer.test), top):
                return True
            if self._may_be_about(self.skip_conditions.get(outer, set()), top):
                # a module-level skip on a name another module computes too (holoviews' ``from
                # .._deps import ds`` / ``if not ds: pytest.skip(..., allow_module_level=True)``
                # before ``import xarray``)
                return True
            if inside and self._marked_for(outer, top):
                return True
        for test in exit_conditions(ancestors, node):
            # ``if not HAS_X: return`` (or a helper of the project's) before the import: as
            # an import under ``if HAS_X:``, it runs only where the condition lets it
            if self._may_be_about(mentioned_names(test), top):
                return True
        return False

    def _reads(self) -> dict[str, str]:
        """The module's names bound to environment reads (``variable_reads``), read once."""
        if self.environment_reads is None:
            module = self.ctx.ancestors[0] if self.ctx.ancestors else None
            body = module.body if isinstance(module, ast.Module) else []
            self.environment_reads = variable_reads(body)
        return self.environment_reads

    def _opted_in_branch(self, node: ast.AST) -> bool:
        """Whether ``node`` is an optional feature's import that only a set environment
        variable switches on: in the branch of an ``if`` that runs only where the variable is
        set (the body of ``if os.getenv("K"):``, or of a name the module binds to that read;
        the ``else`` of ``if not os.getenv("K"):``), and in a ``try`` whose every ImportError
        handler raises the module's own error (``raise RuntimeError("pip install
        'torrus[ldap]'")``): the maintainers say the package is needed only where the variable
        is set. As a test opted into by a variable (AY2), a default run never imports it (AZ6:
        torrus' ``server.py`` imports ``ldapgate`` so under ``if _ldap_config_path:``, bound to
        ``os.getenv("TORRUS_LDAP_CONFIG")``, and its tests collect without that extra). An
        import the switch guards without such a ``try`` stays reported: a variable CI sets may
        be the maintainers' way to require the package (ZF3)."""
        ancestors = self.ctx.ancestors
        for index, outer in enumerate(ancestors):
            if not isinstance(outer, ast.If):
                continue
            switched = (
                within(node, outer.body) and bool(set_condition(outer.test, self._reads()))
            ) or (within(node, outer.orelse) and bool(unset_condition(outer.test, self._reads())))
            if switched and any(_raises_own_error(inner, node) for inner in ancestors[index + 1 :]):
                return True
        return False

    def _opt_in(self, mark: ast.expr) -> bool:
        """Whether ``mark`` skips wherever an environment variable is unset (AY2:
        ``@pytest.mark.skipif(os.environ.get("RUN_SMOKE") != "1")``, ``@unittest.skipIf(not
        os.getenv("LIVE"))``): a test opted into by hand, which a default run (CI, a fresh
        checkout) never runs, so its imports are not sure to fail there; the machine opted in
        has what it needs. So is a skip wherever a file is missing (CA3: ``skipif(not
        GENERATOR.is_file())``): a tree without the file never runs the test."""
        skip = _conditional_skip(mark)
        if skip is None or skip[0] != "skipif":
            return False
        condition = skip[1]
        if (
            isinstance(condition, ast.UnaryOp)
            and isinstance(condition.op, ast.Not)
            and checks_file(condition.operand)
        ):
            # CA3: ``skipif(not GENERATOR.is_file())``: skipped wherever a file of the
            # repository is missing, as a tree without it (an sdist) is
            return True
        return bool(unset_condition(condition, self._reads()))

    def _may_be_about(self, names: set[str], top: str) -> bool:
        """Whether a condition on ``names`` may be about ``top``: an availability flag or skip
        marker for it, or a name another module binds, which may be about any package."""
        return self._about(names, top) or bool(names & self.foreign)

    def _module_skip_foreign(self) -> bool:
        """BQ4: whether the module's ``pytestmark`` skips on a condition another module computes
        (``pytestmark = pytest.mark.skipif(not native_sentences_available(), ...)``, the
        function imported from the project, which tries the optional native extension): as
        that condition on a test's own decorator (see ``_marked_for``), it may be about any
        package, so the imports inside the module's tests are not sure to fail. A module-level
        import still runs before any mark is read."""
        return bool(self.module_conditions & self.foreign)

    def _marked_for(self, scope: ast.AST, top: str) -> bool:
        """Whether a skip marker on ``scope`` (a test or class) is about ``top``; or its
        condition is a name another module computes (``@skipif(not
        run_test_for_class(Estimator))``), which may be about any package, as under ``if`` on
        such a name."""
        return isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and any(
            self._about(_marker_names(d), top)
            or _skip_condition_names(d) & self.foreign
            or top in _skipped_without(d)
            for d in scope.decorator_list
        )

    def _setup_files(self) -> frozenset[str]:
        """File names ending in ``.py`` that the module's xunit setup (``setup_module``,
        ``setUpModule``) names in a string: it writes that module, before any test runs, into
        a folder it puts on ``sys.path`` (cffi's ``emit_python_code(tmpdir /
        "re_python_pysrc.py")``), so the tests' imports of it are of no distribution."""
        if self.setup_files is None:
            module = self.ctx.ancestors[0] if self.ctx.ancestors else None
            setups = [
                node
                for node in getattr(module, "body", ())
                if isinstance(node, ast.FunctionDef) and node.name in MODULE_SETUPS
            ]
            self.setup_files = frozenset(
                posixpath.basename(node.value)
                for setup in setups
                for node in ast.walk(setup)
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.endswith(".py")
            )
        return self.setup_files

    def _installs_import_hook(self) -> bool:
        """Whether the module installs an import hook (``sys.meta_path.insert(...)``,
        ``sys.path_hooks.append(...)``, a call of a ``*import_hook*`` function such as xonsh's
        ``imphooks.install_import_hooks(execer)``): its tests' imports may be served by the hook
        from files that are no Python modules (``sample.xsh``), so they are not sure to need a
        distribution (RU9); so does a ``with`` of an import hook's context manager (CN1:
        importnb's ``with Notebook():``)."""
        if self.import_hook is None:
            module = self.ctx.ancestors[0] if self.ctx.ancestors else None
            self.import_hook = module is not None and (
                any(_installs_hook(node) for node in ast.walk(module) if isinstance(node, ast.Call))
                or (
                    any(package in self.ctx.source for package in HOOK_CONTEXT_PACKAGES)
                    and _enters_hook_context(module)
                )  # two more walks, for the modules that name such a package only
            )
        return self.import_hook

    def _java(self, top: str, node: ast.AST) -> bool:
        """UC1: a Java package (``from org.apache.drill.jdbc import Driver``) imported after
        the module imported ``jpype.imports``, whose hook serves it from the JVM: no
        distribution brings it, and without JPype the hook's own import fails first."""
        if top not in JAVA_DOMAINS:
            return False
        if self.java_hook is None:
            module = self.ctx.ancestors[0] if self.ctx.ancestors else None
            hooks = ast.walk(module) if module is not None else iter(())
            lines = [getattr(n, "lineno", 0) for n in hooks if _imports_java_hook(n)]
            self.java_hook = min(lines, default=0)
        return 0 < self.java_hook < getattr(node, "lineno", 0)

    def _written_by_test(self, module: str, top: str) -> bool:
        """Whether the module's setup writes the module (see `_setup_files`), or the function
        around an import names the module in a string (``"app.py"``,
        ``purge_module("app")``): it writes or manages that module itself, on a path a fixture
        put on ``sys.path``; or defines a decorated function of that name, which the decorator
        makes the module (``@create_module`` over ``def module_1(): ...``, then
        ``from module_1 import func``)."""
        outer = self.ctx.outer_function()
        if outer is None:
            return False
        if f"{top}.py" in self._setup_files():
            return True
        strings = self.function_strings.get(outer)
        if strings is None:
            strings = self.function_strings[outer] = frozenset(
                node.value
                for node in ast.walk(outer)
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
            ) | frozenset(
                f"def:{node.name}"
                for node in ast.walk(outer)
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and node is not outer
                and node.decorator_list
            )
        names = {top, f"{top}.py", module, f"def:{top}"}
        return bool(names & strings) or bool(names & self._class_strings(outer))

    def _class_strings(self, outer: ast.AST) -> frozenset[str]:
        """The strings of the class-level assignments of the class a method sits in
        (``MODULE = "namespacedata01"``, ``spec = {"mod.py": ""}``): data the class's setup
        builds the module it names from, on a path it puts on ``sys.path``, for the method's
        import of it (importlib_resources' test classes)."""
        index = next((i for i, node in enumerate(self.ctx.ancestors) if node is outer), 0)
        owner = self.ctx.ancestors[index - 1] if index else None
        if not isinstance(owner, ast.ClassDef):
            return frozenset()
        return frozenset(
            node.value
            for statement in owner.body
            if isinstance(statement, ast.Assign | ast.AnnAssign)
            for node in ast.walk(statement)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        )

    def _marker_packages(self) -> set[str]:
        """Packages that the skip markers on the enclosing tests, classes and ``pytestmark``
        make sure of: a flag's packages, or the package a marker is named after."""
        names = set(self.marked)
        packages: set[str] = set()
        for outer in self.ctx.ancestors:
            if isinstance(outer, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                for decorator in outer.decorator_list:
                    names |= _marker_names(decorator)
                    if helper := _skip_helper_package(decorator):
                        packages.add(helper)
        for name in names:
            packages |= self.flags.get(name) or set(filter(None, [marker_package(name)]))
        return packages

    def _helper_users(self) -> list[tuple[ast.AST, ...]] | None:
        """The tests (with their class) that use the module-level helper or fixture around the
        node being visited, when only tests use it: every use of its name (a call, a
        reference, a parameter requesting it) lies in a test. None for anything else: a use
        elsewhere (a table of builders, another helper or fixture, a word of a string such as
        ``usefixtures``), a helper no test uses, an autouse fixture, a test itself, a file
        other than a test module."""
        outer = self.ctx.outer_function()
        module = self.ctx.ancestors[0] if self.ctx.ancestors else None
        if (
            outer is None
            or not isinstance(module, ast.Module)
            or self.ctx.file.kind != "test"
            or self.ctx.ancestors.index(outer) != 1
        ):
            return None
        if outer not in self.helper_users:
            self.helper_users[outer] = self._find_helper_users(outer, module)
        return self.helper_users[outer]

    def _find_helper_users(
        self, outer: FunctionNode, module: ast.Module
    ) -> list[tuple[ast.AST, ...]] | None:
        fixture = fixture_decl(outer)
        if fixture is not None and fixture.autouse:
            return None
        if fixture is None and is_test_function(outer, module):
            # a test is collected and run itself, so its own import is never only where
            # assured; asking who else names it would read the whole module for nothing
            return None
        if self.uses is None:
            self.uses = _Uses(module)
        return self.uses.users(fixture.name if fixture is not None else outer.name, outer)

    def _used_only_where_assured(self, top: str) -> bool:
        """Whether the module-level helper or fixture around the import is used only inside
        tests whose skip markers make sure of ``top``: xarray-spatial's ``_write_tiff()``,
        called only by tests marked ``@_requires_tifffile``, imports tifffile only where it is
        installed, and so does a fixture only such tests request (see ``_helper_users``)."""
        users = self._helper_users()
        return users is not None and all(
            self._about(self.marked, top)
            or any(self._marked_for(o, top) for o in user)
            or self._skipped_before_call(user[-1], top)
            for user in users
        )

    def _skipped_before_call(self, test: ast.AST, top: str) -> bool:
        """FB1: whether ``test`` ``importorskip``s ``top`` in a statement of its own body before
        the first one naming the plain helper around the import (cognis' ``_measure_under_load``,
        called by tests that skip on psutil first): the helper's import runs only where the
        package is installed. Not for a fixture (it runs before the test's body), nor a helper
        the test's decorators name (a parameter may run it anywhere). Asked only of a helper's
        import no marker assures, so rarely."""
        outer = self.ctx.outer_function()
        if (
            outer is None
            or not isinstance(test, ast.FunctionDef | ast.AsyncFunctionDef)
            or fixture_decl(outer) is not None
        ):
            return False
        name = outer.name
        if any(_names(d, name) for d in test.decorator_list):
            return False
        for stmt in test.body:
            if _names(stmt, name):
                return False
            value = stmt.value if isinstance(stmt, ast.Expr | ast.Assign | ast.AnnAssign) else None
            if _importorskips(value, top):
                return True
        return False

    def _helper_marks(self) -> set[str]:
        """The marks every test using the module-level helper around the node bears, when
        only tests use it: a conftest hook that skips the tests of one of them unless asked
        (skharness' ``needs_skcapstone``, skipped where skcapstone is missing) skips every
        run of the helper too (ZE5)."""
        users = self._helper_users()
        if not users:
            return set()
        marks = [
            {m for o in user if _decorated(o) for m in marker_names(o.decorator_list)}
            for user in users
        ]
        return set.intersection(*marks)

    def _add_import(
        self,
        module: str,
        node: ast.AST,
        guarded: bool,
        relative: bool = False,
        names: tuple[str, ...] = (),
    ) -> None:
        ancestors = self.ctx.ancestors
        if never_runs(ancestors, node) or self.ctx.in_skipped_test() or self.ctx.in_unused_helper():
            return  # run as a script, switched off, skipped or never called: never imported
        if flat_layout_twin(ancestors, node):
            return  # BU1: the bare-name twin of a relative import finds the same sibling file
        top = module.partition(".")[0]
        runs_with = self._runs_with(node)
        setup_skipped = (
            self._setup_skipped() | self._autouse_skipped() if in_function(ancestors) else set()
        )
        guarded = (
            guarded
            or brought_by(module, runs_with)
            or runner_brings_before(module, runs_only_before(ancestors, node))
            or top in setup_skipped
            or any(top in self.skipped_packages.get(scope, ()) for scope in ancestors)
            or any(scope in self.self_importing for scope in ancestors)
            or (in_function(ancestors) and self._path_set_up(ancestors))
            or self._flag_guarded(top, node)
            or self._opted_in_branch(node)
            or _else_skips(top, node, ancestors)
            or ("sys.modules" in self.ctx.source and _imported_only_where_loaded(node, ancestors))
            or self._used_only_where_assured(top)
            or self._written_by_test(module, top)
            or self._java(top, node)
            or (in_function(ancestors) and self._installs_import_hook())
            or (in_function(ancestors) and top in self.helper_optional)
            or (in_function(ancestors) and self.ctx.in_import_error_helper())
            or (in_function(ancestors) and self._skip_helper_before(node))
        )
        module_level = not in_function(ancestors)
        assured = set().union(*(self.skipped_packages.get(scope, ()) for scope in ancestors))
        requests: tuple[str, ...] = ()
        marks: set[str] = set()
        if not module_level:
            assured |= self._marker_packages() | setup_skipped
            test = self.ctx.test_code()
            requests = tuple(parameter_names(test)) if test is not None else ()
            marks = self._marks() | self._helper_marks()
        (self.ctx.facts.relative_module_imports if relative else self.ctx.facts.imports).append(
            ImportFact(
                module=module,
                line=getattr(node, "lineno", 1),
                col=getattr(node, "col_offset", 0) + 1,
                module_level=module_level,
                guarded=guarded or import_guard(node, ancestors),
                assured=tuple(sorted(assured - {top})),
                stand_ins=tuple(sorted(self._faked_before(node))),
                requests=requests,
                runs_with=tuple(sorted(runs_with)),
                marks=tuple(sorted(marks)),
                recorded=recorded_names(node, ancestors),
                names=names,
                fixture="" if module_level else self.ctx.conftest_fixture(),
                fails_with=collection_error(node, ancestors),
                caught=caught_around(node, ancestors),
            )
        )

    def _marks(self) -> set[str]:
        """The pytest marks on the functions and classes around the node, and the module's."""
        return self.module_marks.union(
            *(
                marker_names(outer.decorator_list)
                for outer in self.ctx.ancestors
                if isinstance(outer, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            )
        )

    def _runs_with(self, node: ast.AST) -> set[str]:
        """Modules certainly imported whenever ``node`` runs: in the ``else:`` of a ``try``,
        those its body imports (the ``else`` runs only when they imported); in the body of an
        ``if`` on an availability flag or ``find_spec`` (not negated), the flag's packages."""
        found: set[str] = set()
        for outer in self.ctx.ancestors:
            if isinstance(outer, ast.Try | ast.TryStar) and within(node, outer.orelse):
                found |= _imported_modules(outer.body)
            elif (
                isinstance(outer, ast.If)
                and within(node, outer.body)
                and not (isinstance(outer.test, ast.UnaryOp) and isinstance(outer.test.op, ast.Not))
            ):
                found |= self._condition_packages(outer.test)
                found.update(filter(None, map(named_package, mentioned_names(outer.test))))
        return found

    def _setup_skipped(self) -> set[str]:
        """Packages without which the xunit setup of the enclosing classes (or the module's
        ``setUpModule``/``setup_module``) skips: a test there runs only where they are
        installed (``if find_spec("x") is None: self.skipTest(...)`` in ``setUp``)."""
        found: set[str] = set()
        for scope in self.ctx.ancestors:
            if isinstance(scope, ast.ClassDef | ast.Module):
                known = self.setup_skips.get(scope)
                if known is None:
                    known = self._skips_in_setups(scope.body)
                    if isinstance(scope, ast.ClassDef):
                        known |= self._setup_importorskips(scope)
                    self.setup_skips[scope] = known
                found |= known
        return found

    def _skip_helper_before(self, node: ast.AST) -> bool:
        """Whether the function around ``node`` first calls a function of its module that may
        skip the test where something is missing (shogym: ``_skip_if_unconstructible(env)``,
        then ``from tau2.config import ...``, a package its environment provides at run time):
        the import is not sure to run where the package is missing."""
        module = self.ctx.ancestors[0]
        body = module.body if isinstance(module, ast.Module) else []
        for name in _called_before(self.ctx.ancestors, node):
            known = self.skipping_helpers.get(name)
            if known is None:
                known = self.skipping_helpers[name] = any(
                    isinstance(stmt, FUNCTION_NODES) and stmt.name == name and may_skip(stmt)
                    for stmt in body
                )
            if known:
                return True
        return False

    def _autouse_skipped(self) -> set[str]:
        """Packages that an autouse fixture of the test's module (or of its class)
        ``importorskip``s before it yields (DF4: rapid-mlx's ``memory_headroom`` skipping on
        ``tensorfold``): the test around the node is skipped before its body runs wherever one
        of them is missing. Only for a test's own body: a fixture's body may run before the
        autouse fixture does."""
        outer = self.ctx.outer_function()
        if outer is None or self.ctx.file.kind != "test" or fixture_decl(outer) is not None:
            return set()
        place = self.ctx.ancestors.index(outer)
        parent = self.ctx.ancestors[place - 1] if place else None
        if not is_test_function(outer, parent):
            return set()
        found: set[str] = set()
        for scope in self.ctx.ancestors[:place]:
            if isinstance(scope, ast.Module | ast.ClassDef):
                known = self.autouse_skips.get(scope)
                if known is None:
                    known = self.autouse_skips[scope] = _autouse_importorskips(scope)
                found |= known
        return found

    def _setup_importorskips(self, cls: ast.ClassDef) -> set[str]:
        """What the xunit setups of ``cls`` (its own, or those of its bases in the module)
        ``importorskip`` before they may return, themselves or in a method of the class they
        call first (``cls.modify_solution()``, overridden by eofs' ``TestStandardDask`` to
        ``importorskip("dask.array")``): every test of the class is skipped without them."""
        module = self.ctx.ancestors[0] if self.ctx.ancestors else None
        classes = {c.name: c for c in getattr(module, "body", ()) if isinstance(c, ast.ClassDef)}
        methods: dict[str, FunctionNode] = {}
        pending, seen = [cls], set()
        while pending:  # the class, then its bases: the first definition of a name wins
            current = pending.pop(0)
            if current.name in seen:
                continue
            seen.add(current.name)
            for func in current.body:
                if isinstance(func, FunctionNode):
                    methods.setdefault(func.name, func)
            pending += [classes[n] for b in current.bases if (n := dotted_name(b)) in classes]
        found: set[str] = set()
        for setup in (methods.get(name) for name in SKIPPING_SETUPS):
            if setup is None:
                continue
            found.update(_skipped_first(setup))
            for stmt in setup.body:
                if any(isinstance(n, ast.Return | ast.Yield) for n in ast.walk(stmt)):
                    break
                call = stmt.value if isinstance(stmt, ast.Expr) else None
                name = dotted_name(call.func) if isinstance(call, ast.Call) else None
                head, _, method = (name or "").partition(".")
                if head in ("cls", "self") and method in methods:
                    found.update(_skipped_first(methods[method]))
        return found

    def _skips_in_setups(self, body: list[ast.stmt]) -> set[str]:
        """What the setups among ``body``'s functions skip on: the packages of an ``if`` on
        ``find_spec``/a flag whose body skips, or the imports of a ``try`` whose ImportError
        handler skips."""
        found: set[str] = set()
        for func in body:
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if func.name not in SKIPPING_SETUPS:
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.If) and skips_directly(node.body):
                    found |= self._condition_packages(node.test)
                elif isinstance(node, ast.Try | ast.TryStar) and any(
                    handler_catches_import_error(h) and skips_directly(h.body)
                    for h in node.handlers
                ):
                    found |= top_imports(node.body)
        return found

    def visit_Module(self, node: ast.Module) -> None:
        if "# /// script" in self.ctx.source:  # ER1: rare, so parsed only when present
            self.ctx.facts.script_dependencies = script_dependencies(self.ctx.source)
        if self.ctx.file.kind == "test":  # FL2: top-level statements, to the first test
            shown = _TOP_LEVEL_TEST.search(self.ctx.source)  # most modules: one search
            found = (
                "*"
                if "globals" in self.ctx.source
                else (shown.group("name") if shown else _first_test_item(node.body))
            )
            self.ctx.facts.test_items = [found] if found else []

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            # ``import a.b`` binds ``a``: Python imports ``a`` too, unless it is there already
            top = alias.name.partition(".")[0]
            faked = self._faked(alias.name, node) and self._faked(top, node)
            self._add_import(alias.name, node, guarded=faked)
            self._note_foreign(alias.name, [alias.asname or alias.name.partition(".")[0]])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        names = tuple(alias.name for alias in node.names if alias.name != "*")
        if node.level == 0 and node.module:
            faked = self._faked(node.module, node)
            self._add_import(node.module, node, guarded=faked, names=names)
        elif node.level:
            self._add_relative_import(node)
            if not in_function(self.ctx.ancestors):
                dots = "." * node.level
                if node.module:
                    module = dots + node.module
                    self._add_import(module, node, guarded=False, relative=True, names=names)
                for name in () if node.module else names:
                    self._add_import(dots + name, node, guarded=False, relative=True)
        self._note_foreign(
            node.module if node.level == 0 and node.module else "",
            [alias.asname or alias.name for alias in node.names],
        )
        self._note_name_import(node)

    def _add_relative_import(self, node: ast.ImportFrom) -> None:
        """A relative import that runs, untolerated, whenever pytest imports the module."""
        ancestors = self.ctx.ancestors
        if (
            in_function(ancestors)
            or never_runs(ancestors, node)
            or self.ctx.in_skipped_test()
            or import_guard(node, ancestors)
        ):
            return
        self.ctx.facts.relative_imports.append(
            RelativeImportFact(
                "." * node.level + (node.module or ""), node.lineno, node.col_offset + 1
            )
        )

    def _note_name_import(self, node: ast.ImportFrom) -> None:
        """A module-level ``from module import name`` (or ``*``) from a module that is not
        standard: in a conftest, it may bring in fixtures from a module that is not linted."""
        module = node.module or ""
        if in_function(self.ctx.ancestors) or (not node.level and is_stdlib(module)):
            return
        origin = "." if node.level else module.partition(".")[0]
        names = tuple(alias.asname or alias.name for alias in node.names)
        written = "." * node.level + module
        self.ctx.facts.name_imports.append(NameImportFact(origin, names, written))

    def _note_foreign(self, module: str, names: list[str]) -> None:
        """Note what a module-level import binds from a module that is not standard (a
        relative import's ``module`` is "")."""
        if not in_function(self.ctx.ancestors) and not (module and is_stdlib(module)):
            self.foreign.update(names)

    def _fake_modules(self, module: ast.AST | None = None) -> dict[str, int]:
        """Module name -> line, for each module the file puts into ``sys.modules`` as an object
        of its own (``patch.dict(sys.modules, {"django.core.management.base": fake})``,
        ``monkeypatch.setitem(sys.modules, "x", fake)``, ``sys.modules["x"] = fake``): an
        import finds it there without looking for any distribution (``from K import`` takes
        ``sys.modules[K]`` as it is, its parent packages are not imported). A ``None`` value
        blocks the import instead, and does not count. The line is that of a module-level
        statement (for imports at module level, which run in order), else 0 (in a function,
        which runs when the tests do)."""
        if self.fake_modules is None:
            found: dict[str, int] = {}
            if module is None:
                module = self.ctx.ancestors[0] if self.ctx.ancestors else None
            body = getattr(module, "body", ())
            called = _called_at_module_level(body)
            for statement in body:
                top_level = not isinstance(
                    statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                )
                # BQ5: a module-level helper the module body calls fakes from that call's line
                helper_line = (
                    called.get(statement.name, 0)
                    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef)
                    else 0
                )
                for node in ast.walk(statement):
                    names = _faked_names(node)
                    if isinstance(node, ast.For):
                        names = _looped_fakes(node)
                    for name in names:
                        line = node.lineno if top_level and isinstance(node, ast.stmt) else 0
                        line = line or helper_line
                        found[name] = min(found.get(name, line), line)
            self.fake_modules = found
        return self.fake_modules

    def leave_Module(self, node: ast.Module) -> None:
        """Note the modules the module body puts into ``sys.modules`` (``stand_ins``): for a
        conftest, pytest has run that before it imports any test module below its folder.
        Note also its names bound once to an environment switch (CU1)."""
        if "sys.modules" in self.ctx.source:
            fakes = self._fake_modules(node)
            self.ctx.facts.stand_ins.extend(sorted(n for n, line in fakes.items() if line))
        if "environ" in self.ctx.source or "getenv" in self.ctx.source:
            # CU1: APT203's regeneration switches, for the test modules importing one
            self.ctx.facts.environment_switches.extend(environment_switch_names(node))

    def _faked(self, module: str, node: ast.AST) -> bool:
        """Whether ``module`` is one the file puts into ``sys.modules`` itself, before
        ``node`` runs: anywhere in the file for an import in a function, in an earlier
        statement of the module body for one at module level."""
        if "sys.modules" not in self.ctx.source:
            return False
        line = self._fake_modules().get(module)
        if line is None:
            return False
        if in_function(self.ctx.ancestors):
            return True
        return 0 < line < getattr(node, "lineno", 0)

    def _faked_before(self, node: ast.AST) -> set[str]:
        """The top-level modules the file puts into ``sys.modules`` before ``node`` runs (AC4):
        a project module the import runs finds the stand-in (``sys.modules["ib_insync"] =
        MagicMock()`` before ``from pkg.ib import connect``), as if the package were there."""
        if "sys.modules" not in self.ctx.source:
            return set()
        return {
            name for name in self._fake_modules() if "." not in name and self._faked(name, node)
        }

    def _adds_import_path(self, call: ast.Call) -> bool:
        """Whether ``call`` puts a folder on the import path (``sys.path.insert``,
        ``site.addsitedir``, ``monkeypatch.syspath_prepend``, ...), also a patcher replacing
        ``sys.path`` by name with a list that is not empty (``replacer.replace("sys.path",
        [folder])``, ``mock.patch("sys.path", [...])``, ``monkeypatch.setattr(sys, "path",
        [...])``)."""
        if replaces_sys_path(call):
            return True
        if called_name(call) not in NOTED_CALLS:
            return False
        callee = self.ctx.callee(call)
        return callee.rpartition(".")[2] in IMPORT_PATH_CALLS or callee in SYS_PATH_ADDERS

    def _is_path_helper(self, name: str) -> bool:
        """Whether ``name`` is a module-level function that puts a folder on the import path
        (``import_state(project, extra_site=...)`` around ``sys.path.append`` and
        ``site.addsitedir``): a test that calls one, or enters it in a ``with``, imports the
        modules it wrote there itself. Each function is read once, when first called: reading
        every function of every module up front cost a sixth of a cold lint of pandas' tests."""
        known = self.path_helpers.get(name)
        if known is None:
            if self.module_functions is None:
                module = self.ctx.ancestors[0] if self.ctx.ancestors else None
                self.module_functions = {}
                for statement in getattr(module, "body", ()):
                    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                        self.module_functions.setdefault(statement.name, []).append(statement)
            known = any(
                isinstance(call, ast.Call) and self._adds_import_path(call)
                for function in self.module_functions.get(name, ())
                for call in ast.walk(function)
            )
            self.path_helpers[name] = known
        return known

    def visit_Call(self, node: ast.Call) -> None:
        self._note_generated(node)
        if isinstance(node.func, ast.Name) and self._is_path_helper(node.func.id):
            function = enclosing_function(self.ctx.ancestors)
            if function is not None:
                self.self_importing.add(function)
            return
        if called_name(node) not in NOTED_CALLS and not replaces_sys_path(node):
            return
        callee = self.ctx.callee(node)
        if callee in IMPORTORSKIP and node.args:
            module = string_value(node.args[0])
            if module:
                self._add_import(module, node, guarded=True)
                # A submodule's own imports are skipped on too (``importorskip("pandas.io.
                # formats.style")`` needs jinja2): kept whole, their requirements are not known.
                skipped = {module.partition(".")[0], module}
                self.skipped_packages.setdefault(self._scope(), set()).update(skipped)
        if self._adds_import_path(node):
            function = enclosing_function(self.ctx.ancestors)
            if function is not None:
                self.self_importing.add(function)
            elif callee in SYS_PATH_ADDERS:
                self._note_path_folder(node)

    def _path_set_up(self, ancestors: Sequence[ast.AST]) -> bool:
        """BY4: whether an enclosing class's per-test setup (``setUp`` appending the test's own
        folder, sferriol-python's) puts a folder on the import path before each of its tests,
        whose imports may then come from there; wherever the setup is written in the class."""
        for cls in ancestors:
            if not isinstance(cls, ast.ClassDef):
                continue
            known = self.path_setup_classes.get(cls)
            if known is None:
                known = self.path_setup_classes[cls] = any(
                    isinstance(node, ast.Call) and self._adds_import_path(node)
                    for method in cls.body
                    if isinstance(method, FunctionNode) and method.name in CLASS_TEST_SETUPS
                    for node in ast.walk(method)
                )
            if known:
                return True
        return False

    def _note_path_folder(self, call: ast.Call) -> None:
        """A module-level ``sys.path.insert(0, os.path.join(HERE, "../scripts"))``: the
        project folder it adds, computed from the module's ``__file__``, whose modules the
        suite then imports as its own files (RW4: reader's ``import bench`` from ``scripts/``,
        outside ``testpaths``, read as an undeclared distribution), or a relative literal
        (``sys.path.append("./scripts")``), read from the root (AQ5; AT2: a folder the tree
        lacks leaves the imports no table knows unjudged). Not computed for certain: not
        noted."""
        added = added_path_argument(call)
        module = self.ctx.ancestors[0] if self.ctx.ancestors else None
        if added is None or not isinstance(module, ast.Module):
            return
        if self.bindings is None:
            self.bindings = import_bindings(module)
        imported = imported_path_names(module)
        bindings = self.bindings
        evaluator = PathEvaluator(self.ctx.file.path, bindings, imported)
        folder = evaluator.folder(added)
        if folder is None:
            folder = working_folder(added)
        if folder is not None:
            self.ctx.facts.path_folders.append("/".join(folder))
            return
        listed = self._looped_folder(added, evaluator)
        if listed is not None:  # CK1: each folder below it, as the dependency model reads it
            self.ctx.facts.path_folders.append(f"{'/'.join(listed)}/*" if listed else "*")

    def _looped_folder(self, added: ast.expr, evaluator: PathEvaluator) -> Parts | None:
        """CK1: the folder whose entries a module-level loop puts on ``sys.path`` one by one
        (piqrypt's ``bridges/conftest.py``: ``for bridge_dir in sorted(bridges_root.iterdir()):
        ... sys.path.insert(0, str(bridge_dir))``): the loop's variable, spelt out as the
        added argument (``str()`` around it too, ``same_folder_spelling``), runs over
        ``FOLDER.iterdir()`` (sorted or not) of a folder computed for certain. None for
        anything else."""
        added = same_folder_spelling(added)
        if not isinstance(added, ast.Name):
            return None
        for loop in reversed(self.ctx.ancestors):
            if not isinstance(loop, ast.For):
                continue
            if not (isinstance(loop.target, ast.Name) and loop.target.id == added.id):
                return None  # an inner loop binding another name: not followed
            listing = loop.iter
            if (
                isinstance(listing, ast.Call)
                and called_name(listing) == "sorted"
                and len(listing.args) == 1
                and not listing.keywords
            ):
                listing = listing.args[0]
            if not (
                isinstance(listing, ast.Call)
                and isinstance(listing.func, ast.Attribute)
                and listing.func.attr == "iterdir"
                and not listing.args
                and not listing.keywords
            ):
                return None
            return evaluator.folder(listing.func.value)
        return None

    def _note_helper_import(self, value: ast.expr, targets: set[str]) -> None:
        """``aesara = import_module("aesara")``, the helper another module's: see
        ``helper_optional``."""
        named = string_value(value.args[0]) if isinstance(value, ast.Call) and value.args else None
        top = named.partition(".")[0] if named else ""
        if top and any(names_package(target, top) for target in targets):
            self.helper_optional.add(top)

    def _condition_packages(self, test: ast.expr) -> set[str]:
        """Packages a module-level condition is about: ``find_spec`` arguments and flags."""
        packages = {name.partition(".")[0] for name in called_with_strings(test, "find_spec")}
        for name in mentioned_names(test):
            packages.update(self.flags.get(name, ()))
        return packages

    def visit_If(self, node: ast.If) -> None:
        if in_function(self.ctx.ancestors):
            return
        packages = self._condition_packages(node.test)
        if skips_module(node.body):
            module = self.ctx.ancestors[0]
            self.skipped_packages.setdefault(module, set()).update(packages)
            self.skipped_packages[module].update(_absent_from_sys_modules(node.test))
            self.skip_conditions.setdefault(module, set()).update(mentioned_names(node.test))
            # skipped wherever an environment variable is unset: opted into by hand, as by a
            # ``pytestmark`` on that condition (shogym's ``if not os.getenv("OPENAI_API_KEY")``)
            self.module_opt_in = self.module_opt_in or bool(
                unset_condition(node.test, self._reads())
            )
        if packages and self.ctx.file.kind == "conftest":
            self._note_ignores(packages, node.body + node.orelse)

    def visit_Try(self, node: ast.Try | ast.TryStar) -> None:
        if in_function(self.ctx.ancestors):
            self._note_function_skip(node)
            self._note_function_flags(node)
            return
        if not tolerating_handler(node.handlers):
            return
        tops = top_imports(node.body)
        if not tops:
            return
        handlers = [h for h in node.handlers if handler_catches_import_error(h)]
        module = self.ctx.ancestors[0]
        if (
            handlers
            and all(skips_module(h.body) for h in handlers)
            and _runs_on_import(node, module)
        ):
            # ``try: import x`` / ``except ImportError: pytest.skip(allow_module_level=True)``
            # in the module body (RU7): past it, ``x`` is installed, so the module's later
            # imports from it are guarded
            self.skipped_packages.setdefault(module, set()).update(tops)
        for name in _assigned_names(node.body) | {
            n for h in handlers for n in _assigned_names(h.body)
        }:
            self.flags.setdefault(name, set()).update(tops)
        if self.ctx.file.kind == "conftest":
            for handler in handlers:
                self._note_ignores(tops, handler.body)

    visit_TryStar = visit_Try

    def _note_function_flags(self, node: ast.Try | ast.TryStar) -> None:
        """DM1: ``self.have_x = True`` / ``try: import x`` / ``except ImportError:
        self.have_x = False`` in a function (pyxb's ``setUpClass``): the attribute is an
        availability flag for ``x``, as a module-level one is, so a test's import of ``x``
        under ``if self.have_x:`` runs only where ``x`` is installed. Only the attributes set
        on ``self`` or ``cls`` count: a function's local names are no flags of other
        functions."""
        handlers = [h for h in node.handlers if handler_catches_import_error(h)]
        tops = top_imports(node.body)
        if not (handlers and tops and tolerating_handler(node.handlers)):
            return
        for name in _self_attributes(node.body) | {
            n for h in handlers for n in _self_attributes(h.body)
        }:
            self.flags.setdefault(name, set()).update(tops)

    def _note_function_skip(self, node: ast.Try | ast.TryStar) -> None:
        """``try: import x`` / ``except ImportError: self.skipTest(...)`` (or a skip, or a
        ``return``) in a function's own body: past it, ``x`` is installed, so the function's
        later imports from it are guarded (SE3: rollbar's ``from django.http.request import
        HttpRequest`` after ``try: import django`` whose handler skips), as after an
        ``importorskip``. A handler that goes on, or a ``try`` nested in a branch, proves
        nothing for what follows."""
        function = enclosing_function(self.ctx.ancestors)
        handlers = [h for h in node.handlers if handler_catches_import_error(h)]
        if (
            function is None
            or node not in function.body
            or not handlers
            or not all(_leaves(h.body) for h in handlers)
        ):
            return
        self.skipped_packages.setdefault(function, set()).update(top_imports(node.body))

    def _note_ignores(self, packages: set[str], body: list[ast.stmt]) -> None:
        for glob, patterns in _ignored_paths(body).items():
            if patterns:
                self.ctx.facts.collect_ignores.append(
                    CollectIgnoreFact(tuple(sorted(packages)), tuple(patterns), glob)
                )

    def _note_generated(self, node: ast.Call) -> None:
        """``metafunc.parametrize("a, b", ...)`` in a ``pytest_generate_tests`` hook: the
        argument names it gives the tests (``generated_arguments``); a name not written
        literally may be any, noted as "*"."""
        if not (isinstance(node.func, ast.Attribute) and node.func.attr == "parametrize"):
            return
        hook = enclosing_function(self.ctx.ancestors)
        if hook is None or hook.name != "pytest_generate_tests":
            return
        first = node.args[0] if node.args else None
        for keyword in node.keywords:
            if keyword.arg == "argnames":
                first = keyword.value
        names: list[str] = []
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            names = [n.strip() for n in first.value.split(",") if n.strip()]
        elif isinstance(first, ast.List | ast.Tuple) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in first.elts
        ):
            names = [str(e.value) for e in first.elts if isinstance(e, ast.Constant)]
        self.ctx.facts.generated_arguments.extend(names or ["*"])
        values = node.args[1] if len(node.args) > 1 else keyword_value(node, "argvalues")
        if (
            len(names) == 1
            and isinstance(values, ast.List | ast.Tuple)
            and values.elts
            and all(map(reads_option, values.elts))
        ):
            self.ctx.facts.opt_in_arguments.append(names[0])

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if SELF_IMPORTING_FIXTURES & set(parameter_names(node)):
            self.self_importing.add(node)
        ancestors = self.ctx.ancestors
        if (
            len(ancestors) == 1
            and "find_spec" in self.ctx.source  # a walk of each function only where it may pay
            and (available := _availability_packages(node))
        ):
            # CP3: ``def arrayapi_is_available(): if not find_spec("array_api_compat"): return
            # False``: a flag for the package, as ``HAS_X = find_spec("x") is not None`` is
            self.flags.setdefault(node.name, set()).update(available)
        parent = ancestors[-1] if ancestors else None
        requested = requested_parameters(node, parent) if is_test_function(node, parent) else None
        if requested:
            known = self.ctx.facts.test_requests
            known.extend(n for n in requested if n not in known)
        hook = self.ctx.file.kind in ("conftest", "plugin") and not in_function(ancestors)
        if hook and ancestors and node.name in SKIPPING_HOOKS:
            markers = _skipped_markers(node, _string_tuples(ancestors[0]))
            self.ctx.facts.skipping_markers.extend(markers)
        if hook and ancestors and node.name in MARKING_HOOKS:
            marks = (PathMarkFact(text, markers) for text, markers in path_marks(node))
            self.ctx.facts.path_marks.extend(marks)
        decl = fixture_decl(node)
        if decl is None:
            return
        parent = self.ctx.ancestors[-1] if self.ctx.ancestors else None
        container = parent.name if isinstance(parent, ast.ClassDef) else ""
        if parent is not None and not isinstance(parent, ast.Module | ast.ClassDef):
            return  # a fixture defined inside a function is not registered by pytest
        body = [b for b in node.body if not (isinstance(b, ast.Expr) and string_value(b.value))]
        if (
            len(body) == 1
            and isinstance(body[0], ast.Return)
            and body[0].value is not None
            and reads_option(body[0].value)  # return request.config.getoption("--save")
        ):
            self.ctx.facts.opt_in_arguments.append(decl.name)
        self.ctx.facts.fixtures.append(
            FixtureFact(
                name=decl.name,
                line=node.lineno,
                col=node.col_offset + 1,
                container=container,
                scope=decl.scope,
                autouse=decl.autouse,
                requests_itself=requests_own_name(node, decl.name),
                requests=tuple(parameter_names(node)),
                assured=_skipped_first(node),
                monkeypatches_cwd=monkeypatches_cwd(node)
                or (decl.scope == "function" and yields_in_cwd_manager(node)),
                returns_dicts=returns_dicts(node),
                may_skip=may_skip(node),
            )
        )

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(self.ctx.ancestors) != 1:
            return
        targets = {t.id for t in node.targets if isinstance(t, ast.Name)}
        if mentioned_names(node.value) & self.foreign:
            # HAVE_DOH = dns._features.have("doh"): a flag computed by another module's code
            # may be about any package, as that module's own flags are
            self.foreign.update(targets)
            self._note_helper_import(node.value, targets)
        packages = self._condition_packages(node.value)
        for target in targets:
            if packages:  # HAS_X = find_spec("x") is not None, requires_x = skipif(not HAS_X)
                self.flags.setdefault(target, set()).update(packages)
        if "pytestmark" in targets:
            values = (
                node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else [node.value]
            )
            self.marked.update(name for value in values for name in _marker_names(value))
            self.module_marks.update(marker_names(values))
            self.module_conditions.update(n for v in values for n in _skip_condition_names(v))
            self.module_opt_in = self.module_opt_in or any(map(self._opt_in, values))
        if "pytest_plugins" not in targets:
            return
        values = node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else [node.value]
        self.ctx.facts.pytest_plugins.extend(
            name for name in map(string_value, values) if name is not None
        )


def replaces_sys_path(call: ast.Call) -> bool:
    """A patcher call replacing ``sys.path`` by name with a list it spells out, not empty:
    ``r.replace("sys.path", [folder])``, ``mock.patch("sys.path", [...])``,
    ``monkeypatch.setattr(sys, "path", [...])``: the test imports what it put there."""
    args = call.args
    if len(args) >= 2 and string_value(args[0]) == "sys.path":
        value = args[1]
    elif len(args) >= 3 and dotted_name(args[0]) == "sys" and string_value(args[1]) == "path":
        value = args[2]
    else:
        return False
    return not (isinstance(value, ast.List | ast.Tuple) and not value.elts)
