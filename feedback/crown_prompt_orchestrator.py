"""Review a run and say what to do about it: a pure function from the run to suggestions.

`review(Review(...))` reads this run's failures, its lint findings, what it left behind, the
metrics snapshot and the project's history, and returns suggestions that are specific: this
test, this line, this lesson, this fix. It does no I/O, so the plugin (at session end), the
CLI (`apytest review`) and tests call it alike with plain records.

A failure is matched against `FAILURE_SIGNATURES`, a table of small functions tried in order
(the first that recognises the failure wins, so the more specific signatures come first); each
one cites the lesson of `testing/failure_inventory.md` it comes from. Run-level reviews
(`RUN_REVIEWS`) look at lint findings, the working tree and the history trends.
"""

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from apytest.feedback import trends
from apytest.feedback.records import (
    EMPTY,
    Failure,
    History,
    LintFinding,
    MetricsSnapshot,
    ProjectFacts,
    Run,
    Suggestion,
)

if TYPE_CHECKING:
    from apytest.lint.api import PluginKind


class Review(NamedTuple):
    """Everything a review reads. `history` holds the runs before `run`."""

    run: Run
    history: History = History()
    metrics: MetricsSnapshot | None = None
    project: ProjectFacts = ProjectFacts()
    reruns: Mapping[str, int] = EMPTY
    """Tests that pytest-rerunfailures ran again in this run, with their failed attempts."""
    foreign_variables: frozenset[str] = frozenset()
    """Changed environment variables no file of the project names: a dependency set them
    (`project_facts.foreign_variables`), so no advice to the tests is about them."""


def review(inputs: Review) -> list[Suggestion]:
    """The suggestions for this run, one per (test, signature), in a stable order."""
    found: dict[tuple[str | None, str], Suggestion] = {}
    for failure in inputs.run.failures:
        for signature in FAILURE_SIGNATURES:
            suggestion = signature(failure, inputs)
            if suggestion is not None:
                found.setdefault((suggestion.nodeid, suggestion.signature), suggestion)
                break
    for run_review in RUN_REVIEWS:
        for suggestion in run_review(inputs):
            found.setdefault((suggestion.nodeid, suggestion.signature), suggestion)
    return list(found.values())


def _text(failure: Failure) -> str:
    return f"{failure.message}\n{failure.traceback}"


def _suggest(failure: Failure, lesson: str, key: str, text: str) -> Suggestion:
    return Suggestion(
        text=f"{failure.location}: {text}",
        lesson=lesson,
        signature=f"{lesson}:{key}",
        source="failure",
        nodeid=failure.nodeid,
        path=failure.path,
        line=failure.line,
    )


# Failure signatures -----------------------------------------------------------------------
# Their patterns are strings: `re` compiles each on first use and caches it, so a green run
# never pays for compiling them.

_MISMATCH = r"imported module '([\w.]+)' has this __file__ attribute:\s*(\S+)"


def import_file_mismatch(failure: Failure, inputs: Review) -> Suggestion | None:
    """Two test modules with one basename: lesson module-name-clashes."""
    text = _text(failure)
    if "import file mismatch" not in text:
        return None
    match = re.search(_MISMATCH, text)
    module, other = (match.group(1), match.group(2)) if match else ("?", "another file")
    here = failure.nodeid.split("::", 1)[0]
    return _suggest(
        failure,
        "module-name-clashes",
        module,
        f'pytest imported module {module!r} from {other} first ("import file mismatch"), so '
        f"{here} cannot be collected. Rename one of the two files to a unique basename, or "
        "add __init__.py files to both folders (or use --import-mode=importlib); apytest-lint "
        "(APT201) finds the clash before a run.",
    )


_FROM_WHERE = r"cannot import name '(\w+)' from '([\w.]+)' \(([^)\n]+)\)"


def shadowed_package(failure: Failure, inputs: Review) -> Suggestion | None:
    """ImportError of a name from a package the project has a folder of, found as something
    else: an installed distribution's top-level package of that name (a `tests` package in
    site-packages), or the project's folder without `__init__.py`, a namespace package that
    defines nothing (jmespath's sdist: `from tests import OrderedDict`). Lesson
    module-name-clashes; anything less sure is left to the other signatures."""
    match = re.search(_FROM_WHERE, failure.message)
    if match is None or failure.exc_type not in ("ImportError", ""):
        return None
    name, package, where = match.groups()
    top = package.split(".")[0]
    if top not in inputs.project.first_party:
        return None
    if where == "unknown location":
        return _suggest(
            failure,
            "module-name-clashes",
            f"namespace:{package}",
            f"`from {package} import {name}` found {package!r} as a namespace package (the "
            f"project's {package.replace('.', '/')}/ holds no __init__.py here), which defines "
            f"nothing: restore its __init__.py (a checkout or an sdist may have left it out), "
            f"or import {name!r} from the module that defines it.",
        )
    # Only a folder at the rootdir can be shadowed: a package under src/ is imported from where
    # it was installed (pyperclip's tests importing a name its own package lacks).
    if not re.search(_THIRD_PARTY, where) or inputs.project.roots.get(top) != ".":
        return None
    distribution = _distribution(top, inputs.project)
    by = f" of {distribution!r}" if distribution != top.lower().replace("_", "-") else ""
    return _suggest(
        failure,
        "module-name-clashes",
        f"shadowed:{top}",
        f"{package!r} was imported from {where}, the top-level {top!r} package an installed "
        f"distribution{by} ships, not the project's own {top}/: it shadows the project's. "
        f"Uninstall that distribution (or rebuild the environment without it), or give the "
        f"project's folder an __init__.py so that pytest's default import mode puts it first.",
    )


_NO_PARENT = "attempted relative import with no known parent package"
_RELATIVE_IMPORT = r"(?m)^\s*(from\s+\.[\w.]*\s+import\b[^\n]*)"


def relative_import_folder(failure: Failure) -> str | None:
    """The folder (relative to the rootdir, "" for itself) of a collected test module whose
    relative import found no parent package: `ProjectFacts.packageless` says whether it holds
    an `__init__.py`."""
    if _NO_PARENT not in failure.message or failure.path != failure.nodeid:
        return None
    return failure.path.rpartition("/")[0]


def relative_import_without_package(failure: Failure, inputs: Review) -> Suggestion | None:
    """A collected test module's `from . import X` failing because its folder holds no
    `__init__.py` (convertdate's sdist left out `tests/__init__.py`): pytest imported the module
    as a top-level one. Said only when the folder has none (an older importlib mode imports a
    package's modules so too); one suggestion per folder (lesson module-name-clashes)."""
    folder = relative_import_folder(failure)
    if folder is None or folder not in inputs.project.packageless:
        return None
    statements = re.findall(_RELATIVE_IMPORT, failure.traceback)
    said = f"`{statements[-1].strip()}`" if statements else "a relative import"
    where, init = (
        (f"{folder}/", f"{folder}/__init__.py") if folder else ("the rootdir", "__init__.py")
    )
    return _suggest(
        failure,
        "module-name-clashes",
        f"no-package:{folder}",
        f"{said} needs {where} to be a package, but it holds no __init__.py, "
        f"so pytest imported its test modules as top-level ones: restore {init} (a checkout "
        "or an sdist may have left it out), or import absolutely.",
    )._replace(nodeid=None)


_FIXTURE = r"fixture '([\w]+)' not found"
_AVAILABLE = r"available fixtures:\s*([^\n]+)"


def fixture_not_found(failure: Failure, inputs: Review) -> Suggestion | None:
    """A requested fixture that nothing on the test's path defines: lesson fixture-not-found."""
    text = _text(failure)
    match = re.search(_FIXTURE, text)
    if match is None:
        return None
    name = match.group(1)
    available = re.search(_AVAILABLE, text)
    offered = {f.strip() for f in available.group(1).split(",")} if available else set()
    from apytest.lint.api import pytester_fixture

    if pytester_fixture(name) and "pytester" not in offered:
        # pytest's own, from a plugin it does not load by default: no definition to move, no
        # package to install (pytest-icdiff's sdist leaves out the conftest that enabled it).
        return _suggest(
            failure,
            "fixture-not-found",
            name,
            f"fixture {name!r} is pytest's own, from its `pytester` plugin, which pytest does "
            'not load unless the suite enables it: add `pytest_plugins = ["pytester"]` to '
            "the top-level conftest.py (or `-p pytester` to addopts). A conftest that did so "
            "may be missing here (an sdist that leaves it out).",
        )._replace(nodeid=None)
    from apytest.lint.api import plugins_owning  # the table is loaded for a missing fixture only

    owners = plugins_owning("fixture", name)
    from apytest.lint.api import plugins_before_pytest

    former, newer = plugins_before_pytest("fixture", name)
    if former:
        # The session's pytest predates the fixture: a newer one has it, a plugin had it before.
        declared = _declared_optionally(former, inputs.project)
        plugin = (
            f"{declared[0]}, which the project declares in {declared[1]}"
            if declared
            else " or ".join(former)
        )
        return _suggest(
            failure,
            "fixture-not-found",
            name,
            f"fixture {name!r} is built into newer pytest releases (pytest {newer} has it) and "
            f"came from {plugin} before; this session's pytest is older and that plugin is not "
            f"installed here. Upgrade pytest, or install {' or '.join(former)}.",
        )._replace(nodeid=None)
    declared = _declared_optionally(owners, inputs.project)
    if declared is not None:
        # The environment's fault, whichever tests request it: one suggestion for the run.
        return _suggest(
            failure,
            "fixture-not-found",
            name,
            f"fixture {name!r} is the fixture of {declared[0]}, which the project declares in "
            f"{declared[1]}, but this environment lacks it (or a `-p no:` switches it off): "
            "install that.",
        )._replace(nodeid=None)
    import difflib  # only a missing fixture needs it

    close = difflib.get_close_matches(name, sorted(offered), n=1)
    hint = f"Did you mean {close[0]!r}? Otherwise move" if close else "Move"
    plugin = (
        f" It is the fixture of {' or '.join(owners)}: if the tests mean that one, install the "
        "plugin where they run and declare it with the test requirements (or drop the "
        "`-p no:` that switches it off)."
        if owners
        else ""
    )
    suggestion = _suggest(
        failure,
        "fixture-not-found",
        name,
        f"fixture {name!r} is not defined in any conftest on this test's path, in its module, "
        f"or in an installed plugin.{plugin} {hint} its definition into a conftest.py above "
        "every test that uses it (if nothing defines it, restore the conftest.py that did: a "
        "checkout or an sdist may have left it out), or register the plugin that provides it "
        "with `pytest_plugins`.",
    )
    # A near name is this test's typo; without one, the cause (a definition out of reach, a
    # conftest an sdist left out, a plugin not installed) is the fixture's, whichever tests
    # request it: one suggestion for the run (cron-descriptor: 135 tests, one missing conftest).
    return suggestion if close else suggestion._replace(nodeid=None)


_RECURSION = r"recursive dependency involving fixture '(\w+)'"


def fixture_recursion(failure: Failure, inputs: Review) -> Suggestion | None:
    """A fixture requesting its own name in the same scope: lesson fixture-name-clashes; or
    one wrapping a plugin's fixture of that name (requests' conftest `httpbin(httpbin)`) where
    the plugin is missing, so no outer fixture is found: fixture-not-found."""
    match = re.search(_RECURSION, _text(failure))
    if match is None:
        return None
    name = match.group(1)
    owners = _owners("fixture", name)
    if owners:
        declared = _declared_optionally(owners, inputs.project)
        remedy = (
            f"The project declares {declared[0]} in {declared[1]}, which this environment "
            "lacks: install that."
            if declared
            else f"Install {' or '.join(owners)} and declare it with the test requirements."
        )
        # The environment's fault, whichever tests request it: one suggestion for the run.
        return _suggest(
            failure,
            "fixture-not-found",
            name,
            f"fixture {name!r} wraps the fixture of the same name of {' or '.join(owners)}, "
            f"which is not installed here: pytest finds no outer {name!r} and reports the "
            f"fixture as requesting itself. {remedy}",
        )._replace(nodeid=None)
    return _suggest(
        failure,
        "fixture-name-clashes",
        name,
        f"fixture {name!r} requests itself in the same scope. To wrap an outer {name!r}, "
        "define the override in a deeper conftest or in the test module; otherwise rename "
        "one of the two fixtures.",
    )


_UNRECOGNIZED = r"unrecognized arguments: ([^\n]+)"
_UNKNOWN_INI = r"Unknown config option: ([\w.-]+)"
_FILTER = (
    r"while parsing the following warning configuration:\s+(\S*:\S*)"
    r"|Failed to import filter module '[\w.]+': (\S+)"
)
_DEPRECATION = r"(PytestRemovedIn\d+Warning|PytestDeprecationWarning): ([^\n]+)"
# pluggy's words for a module registered twice, then its dump of every registered plugin by name.
_REGISTERED_TWICE = r"Plugin already registered under a different name: ([\w.]+)=<module "
# pluggy's words for a hook implementation naming arguments its specification lacks (in a
# collection error's traceback, each line after pytest's "E   ").
_HOOK_ARGUMENTS = (
    r"hookimpl definition: (\w+)\(.*\)\s+(?:E\s+)?Argument\(s\) \{(.*?)\} are declared in "
    r"the hookimpl"
)

# pluggy's words, after collection, for a hook implementation no specification declares.
_UNKNOWN_HOOK = r"unknown hook '(\w+)' in plugin <module '[\w.]+' from '([^']+)'>"


def _owners(kind: "PluginKind", name: str) -> tuple[str, ...]:
    """The plugins that register ``name``: the table the startup rules use (read only when a
    run failed this way)."""
    from apytest.lint.api import plugins_owning

    return plugins_owning(kind, name)


def _needs(kind: "PluginKind", name: str) -> str:
    owners = _owners(kind, name)
    return f"{' or '.join(owners)}, which is not installed here" if owners else "a plugin"


def _plugin_remedy(kind: "PluginKind", name: str, project: ProjectFacts) -> str:
    """Install the plugin from where the project declares it; or declare it."""
    declared = _declared_optionally(_owners(kind, name), project)
    if declared is not None:
        return (
            f"The project declares {declared[0]} in {declared[1]}, which this environment "
            "lacks: install that."
        )
    return (
        "Declare the plugin with the test dependencies (the extra, group or requirements file "
        "the tests install from), so every environment that runs the tests has it; "
        "apytest-lint (APT401-APT403) finds these before a run."
    )


def startup_failure(failure: Failure, inputs: Review) -> Suggestion | None:
    """pytest stopped before a test ran, or a module failed to collect, because the
    configuration needs a plugin the environment lacks (an option, an ini key, a plugin's
    marker, a warning category, a hook of its), a deprecated pytest API met
    ``filterwarnings = error``, or a hook pytest removed: startup-plugins. A marker no known
    plugin registers is left to `unknown_marker` (a typo, or a marker to register)."""
    text = _text(failure)
    marker = re.search(_UNKNOWN_MARK, text)
    if marker is not None:
        name = marker.group(1) or marker.group(2)
        if not _owners("marker", name):
            return None
        key, what = (
            f"marker:{name}",
            f"uses the marker {name!r} of {_needs('marker', name)}: nothing registers it, so "
            "the module fails to collect. "
            + _plugin_remedy("marker", name, inputs.project)
            + f" Or register {name!r} under `markers`.",
        )
    elif found := re.search(_UNRECOGNIZED, text):
        args = found.group(1).split()
        option = next((a.partition("=")[0] for a in args if a.startswith("-")), args[0])
        passed = f"pytest did not start: the arguments (addopts included) pass {' '.join(args)!r}"
        if not _owners("option", option):  # a typo, or a plugin switched off (-p no:terminal)
            return _suggest(
                failure,
                "session-errors",
                f"option:{option}",
                f"{passed}, which neither pytest nor a plugin loaded here knows. Check its "
                "spelling against `pytest --help`, and that no `-p no:<plugin>` switches off "
                "the plugin that provides it.",
            )
        key, what = f"option:{option}", f"{passed}, an option of {_needs('option', option)}. "
        what += _plugin_remedy("option", option, inputs.project)
    elif found := re.search(_UNKNOWN_INI, text):
        name = found.group(1)
        key, what = (
            f"ini:{name}",
            f"pytest stopped: the configuration sets {name!r}, an ini key of "
            f"{_needs('ini', name)}, and unknown keys are errors here (--strict-config or "
            "filterwarnings = error). " + _plugin_remedy("ini", name, inputs.project),
        )
    elif found := re.search(_FILTER, text):
        entry = found.group(1) or found.group(2)
        module = entry.split(":")[2].rpartition(".")[0] if entry.count(":") >= 2 else entry
        key, what = (
            f"warning-category:{module}",
            f"the filterwarnings entry {entry!r} names a warning category from {module!r}, "
            "which is not installed here, and pytest stopped on it. Declare that package for "
            "the tests, or drop the entry (apytest-lint APT403).",
        )
    elif found := re.search(_UNKNOWN_HOOK, text):
        key, what = _unknown_hook(found.group(1), found.group(2))
    elif found := re.search(_HOOK_ARGUMENTS, text):
        hook, arguments = found.group(1), found.group(2)
        removed = _removed_argument(hook, arguments)
        if removed is None:  # no pytest had it: a misspelt argument
            return _suggest(
                failure,
                "session-errors",
                f"hook-argument:{hook}",
                f"implements {hook} with {arguments}, which this pytest's {hook} does not pass, "
                "so pytest cannot register it and stops. Name only the hook's own arguments "
                "(pytest's reference lists them under Hooks).",
            )
        argument, replacement = removed
        key, what = (
            f"removed:{hook}({argument})",
            f"implements {hook} with the argument {argument!r}, which pytest 9 removed (a "
            f"py.path), so pytest cannot register it and stops. Take {replacement!r} instead, a "
            f"pathlib.Path ({argument}.basename becomes {replacement}.name, str() stays), or "
            "bound pytest below 9 until it is changed; apytest-lint APT404 finds these before "
            "a run, and `apytest-lint --fix` rewrites those whose uses read the same from both.",
        )
    elif found := re.search(_DEPRECATION, text):
        category, message = found.group(1), found.group(2).strip()
        plugin = _warning_plugin(failure)
        if plugin is not None:  # a plugin's own deprecation, of its settings or behaviour
            return _plugin_deprecation(failure, plugin, category, message, inputs.project)
        key, what = (
            f"deprecated:{category}",
            f"uses a pytest API this pytest deprecates ({message}), and "
            "filterwarnings makes the deprecation an error. Replace the API (apytest-lint "
            "APT404, `apytest-lint --fix` where it can), or bound pytest until it is replaced.",
        )
    elif found := re.search(_REGISTERED_TWICE, text):
        module = found.group(1)
        entry = re.search(rf"'([^']+)': <module '{re.escape(module)}'", text)
        if entry is None or module.startswith("_pytest."):  # pytest's own: no entry point
            return None
        name = entry.group(1)
        key, what = (
            f"registered-twice:{module}",
            f"pytest did not start: the plugin module {module!r} is registered already, as "
            f"{name!r} (the pytest11 entry point of an installed distribution loads it), and "
            "`pytest_plugins` or `-p` names it again. Load it once: switch the entry point "
            f"off with `-p no:{name}` in addopts (the name then loads it, installed or not), "
            "or drop the module from `pytest_plugins`.",
        )
    else:
        return None
    return _suggest(failure, "startup-plugins", key, what)


# pytest's own packages: a deprecation raised inside them is of a pytest API the project uses.
_PYTEST_PACKAGES = frozenset({"_pytest", "pytest", "pluggy"})
_UNSET_OPTION = r'configuration option "([\w.-]+)" is unset'


def _warning_plugin(failure: Failure) -> str | None:
    """The installed package, other than pytest's own, that raised the warning: a plugin
    warning about its own settings (pytest-asyncio's unset loop scope), not about a pytest API
    the project calls."""
    found = re.search(_THIRD_PARTY, failure.crash_path)
    if found is None:
        return None
    package = found.group(1).removesuffix(".py")
    return None if package in _PYTEST_PACKAGES else package


def _plugin_deprecation(
    failure: Failure, plugin: str, category: str, message: str, project: ProjectFacts
) -> Suggestion:
    unset = re.search(_UNSET_OPTION, message)
    distribution = _distribution(plugin, project)
    remedies = [
        f"set {unset.group(1)!r} in the pytest configuration (the warning says which values it "
        "takes)"
        if unset
        else "do what the warning asks",
        f"let that warning through with the filterwarnings entry "
        f"`default::pytest.{category}:{plugin}`",
    ]
    stray = bool(project.declared) and all(d.name != distribution for d in project.declared)
    if stray:  # pluggy and humanize, which use no pytest-asyncio, stopped on its warning
        remedies.insert(0, "uninstall it")
    said = ", or ".join(remedies)
    return _suggest(
        failure,
        "startup-plugins",
        f"plugin-deprecation:{plugin}:{unset.group(1) if unset else category}",
        f"pytest stopped: the plugin {plugin} warns ({message}) and filterwarnings makes the "
        "warning an error."
        + (
            f" The project declares no {distribution!r}: this environment has it from elsewhere."
            if stray
            else ""
        )
        + f" {said[0].upper()}{said[1:]}.",
    )


def _unknown_hook(hook: str, module: str) -> tuple[str, str]:
    """The key and text for a hook implementation pluggy refused as unknown: one pytest removed
    (`pytest_namespace`), else one of a plugin not installed here, or a misspelt name."""
    from apytest.common.pytest_hooks import REMOVED_HOOKS  # only a failed start needs it

    here = os.getcwd() + os.sep  # pluggy names the module's absolute path; pytest's are relative
    shown = module.removeprefix(here) if module.startswith(here) else module
    stopped = f"pytest stopped after collecting, and no test ran: {shown} implements {hook}, which "
    removed = REMOVED_HOOKS.get(hook)
    if removed is not None:
        since, instead = removed
        return f"removed-hook:{hook}", (
            f"{stopped}pytest {since} removed, so pluggy refuses it as an unknown hook. "
            f"{instead[0].upper()}{instead[1:]} (or mark it "
            "`@pytest.hookimpl(optionalhook=True)` while an older pytest must still call it); "
            "apytest-lint APT404 finds these before a run."
        )
    return f"unknown-hook:{hook}", (
        f"{stopped}neither pytest nor a plugin installed here declares, so pluggy refuses it. "
        "If it is a plugin's hook, install that plugin with the tests or mark the "
        "implementation `@pytest.hookimpl(optionalhook=True)`; otherwise check its name "
        "against pytest's hook reference."
    )


def _removed_argument(hook: str, arguments: str) -> tuple[str, str] | None:
    """The removed argument of `hook` among pluggy's `{'path', ...}`, with its replacement."""
    from apytest.common.pytest_hooks import REMOVED_IN_PYTEST_9  # only a failed start needs it

    removed = REMOVED_IN_PYTEST_9.get(hook)
    return removed if removed and repr(removed[0]) in arguments else None


_NO_MODULE = r"No module named '([\w.]+)'"
# An import statement among a traceback's source lines: `from a.b import c`, `import a.b as d`;
# in pytest's long format the failing line starts with its `>` marker (yamale's
# `>       from ruamel.yaml`, pydantic-settings' `azure.identity`).
_IMPORT_STATEMENT = r"(?m)^>?\s*(?:from\s+([\w.]+)\s+import\b|import\s+([\w.]+))"


def _missing_import(missing: str, text: str) -> str:
    """The dotted import that failed, when Python names only its missing first part.

    `from ruamel.yaml import YAML` without ruamel.yaml fails with "No module named 'ruamel'":
    a namespace package has no distribution of its own, the one declared is named after the
    dotted import (`ruamel.yaml`, `zope.interface`, `jaraco.text`, `backports.zstd`,
    `google-cloud-storage`), so judged by 'ruamel' alone it is "declared nowhere". The last
    import statement under `missing` in the traceback (the failing line) names it.
    """
    found = [
        name
        for statement in re.finditer(_IMPORT_STATEMENT, text)
        if (name := statement.group(1) or statement.group(2)).startswith(f"{missing}.")
    ]
    return found[-1] if found else missing


# A frame of a conftest in a traceback, in pytest's format or Python's.
_CONFTEST_FRAME = r"(?m)^\s*(?:File \")?((?:[^\s\"]*[/\\])?conftest\.py)(?::\d+: in |\", line \d+)"
_TEST_CODE = r"(^|/)(tests?|testing)/|(^|/)(test_[^/]*|[^/]*_test|conftest)\.py$"
"""A path of the suite's code: under a `tests`/`test`/`testing` folder, or a test module or
conftest by its name."""
_THIRD_PARTY = r"[/\\](?:site|dist)-packages[/\\]([\w.-]+)"


def _distribution(module: str, project: ProjectFacts) -> str:
    top = module.split(".")[0]
    dists = project.distributions.get(module) or project.distributions.get(top)
    return dists[0] if dists else top.lower().replace("_", "-")


def _loading_conftest(failure: Failure) -> str | None:
    """The conftest pytest was loading when `failure` happened: the failing node itself, else
    the outermost conftest frame of a collection's traceback (in a test's, a conftest frame is
    a fixture running, which can skip); None when no conftest shows."""
    if failure.nodeid.rpartition("/")[2] == "conftest.py":
        return failure.nodeid
    if failure.when not in ("collect", "session"):
        return None
    found = re.search(_CONFTEST_FRAME, failure.traceback)
    return found.group(1) if found else None


def _sections(distribution: str, project: ProjectFacts) -> list[str]:
    return sorted({d.section for d in project.declared if d.name == distribution})


# What a declaration section of apytest-lint's dependency model is called (`extra:ml`,
# `hatch:test`, `requirements:dev.txt`, ...) and the command that installs it.
_INSTALL_HINTS: dict[str, tuple[str, str]] = {
    "extra": ("the extra {name!r}", "pip install '.[{name}]'"),
    "group": ("the dependency group {name!r}", "pip install --group {name}"),
    "hatch": ("the hatch environment {name!r}", "hatch run {name}:pytest"),
    "tox": ("the tox environment {name!r}", "tox -e {name}"),
    "nox": ("the nox session {name!r}", "nox -s {name}"),
    "pixi": ("the pixi feature {name!r}", ""),  # which environments hold it: pixi's to say
    "conda": ("the conda environment of {name}", "conda env update -f {name}"),
    "requirements": ("{name}", "pip install -r {name}"),
    "pipfile": ("the Pipfile's {name}", "pipenv install --dev"),
}


def _hint_order(section: str, distribution: str) -> tuple[int, bool, bool, str]:
    """Extras first, then dependency groups, then tools' environments (_INSTALL_HINTS); of one
    kind, those named for tests first (jinja2's requirements/tests.txt before its dev.txt), then
    the one named after `distribution` (polyfactory's extra 'pydantic' before 'beanie', which
    also holds pydantic among heavier packages)."""
    kinds = list(_INSTALL_HINTS)
    kind, _, name = section.partition(":")
    named_after = re.sub(r"[-_.]+", "-", name).lower() == distribution
    return (
        kinds.index(kind) if kind in kinds else len(kinds),
        "test" not in name,
        not named_after,
        section,
    )


def _install_hint(section: str, *, command: bool) -> str:
    """`the extra 'ml'` for `extra:ml`, with `command` followed by `(pip install '.[ml]')`."""
    kind, _, name = section.partition(":")
    if kind == "tox":  # `tox:testenv`, the base every environment inherits; `tox:testenv:docs`
        if name == "testenv":
            return "tox's [testenv] (tox)" if command else "tox's [testenv]"
        name = name.removeprefix("testenv:")
    if kind not in _INSTALL_HINTS or not name:
        return section
    label, install = _INSTALL_HINTS[kind]
    said = label.format(name=name)
    return f"{said} ({install.format(name=name)})" if command and install else said


def _declared_in(sections: Sequence[str], distribution: str) -> str:
    """Where `distribution` is declared: the first section, in the order of _hint_order, with
    its command; the others only named."""
    first, *others = sorted(sections, key=lambda section: _hint_order(section, distribution))
    return " or ".join(
        [_install_hint(first, command=True), *(_install_hint(s, command=False) for s in others)]
    )


def _declared_optionally(
    distributions: Sequence[str], project: ProjectFacts
) -> tuple[str, str] | None:
    """The first of `distributions` (a plugin's, a program's) that the project declares
    outside its runtime dependencies, with where (`_declared_in`); None when it declares none."""
    for owner in distributions:
        sections = _sections(owner, project)
        if sections and "dependencies" not in sections:
            return owner, _declared_in(sections, owner)
    return None


def _loose_providers(module: str, project: ProjectFacts) -> tuple[str, ...]:
    """The declared distributions, not installed, that may provide `module` by their names."""
    return project.loose.get(module) or project.loose.get(module.split(".")[0], ())


def _loosely_declared(
    failure: Failure, module: str, project: ProjectFacts, guarded: str
) -> Suggestion | None:
    """A missing module that a declared distribution may provide by its name (pyparsing's
    `railroad`, its extra's `railroad-diagrams`): that one to install, hedged, when it is
    declared only optionally; silent when one is a runtime dependency (the environment's fault,
    not an extra to install). Never "declared nowhere": the name may be its declaration."""
    loose = _loose_providers(module, project)
    found = _declared_optionally(loose, project)
    if found is None or any("dependencies" in _sections(name, project) for name in loose):
        return None
    name, where = found
    return _suggest(
        failure,
        "optional-dependencies",
        name,
        f"imports {module!r}: no distribution the project declares is named after it, but "
        f"{name!r}, declared only in {where}, may provide it and is not installed here: "
        f"install that, or {guarded}.",
    )


def _project_not_importable(failure: Failure, package: str, folder: str | None) -> Suggestion:
    """One suggestion for the run (no node id), however many modules failed this way: the
    environment lacks the project, not a module its code. `folder` holds the package."""
    without = (
        f', or, to test it without installing it, add `pythonpath = ["{folder}"]` under '
        "[tool.pytest.ini_options] (its folder)"
        if folder
        else ""
    )
    return _suggest(
        failure,
        "session-errors",
        f"project-not-importable:{package}",
        f"the tests import {package!r}, this project's own package, which this environment "
        "cannot import: install the project where the tests run (`pip install -e .`, or "
        f"`pip install .` in CI){without}.",
    )._replace(nodeid=None)


def _absent_module(failure: Failure, module: str, folder: str) -> Suggestion:
    """A module of the project's own folder that this copy of the project lacks (aiohttp-socks'
    sdist ships tests/test_connector.py, not the tests/config.py it imports): no dependency
    to install, no code to fix, a file to bring."""
    path = "/".join(part for part in (folder, *module.split(".")) if part != ".")
    return _suggest(
        failure,
        "session-errors",
        f"absent:{module}",
        f"imports {module!r}, one of the project's own modules, but there is no {path}.py, though "
        "its folder is here: this copy of the project lacks a file the tests need (as a "
        "source distribution does that ships the test modules without their helpers: run the "
        "tests from a checkout, or ship the file through MANIFEST.in or the build backend's "
        "sdist includes), or the import names a module that was moved or renamed.",
    )


# pytest's words for a collected test module whose import failed (Module, not DoctestModule).
_TEST_MODULE_IMPORT = "while importing test module"


def _doctest_module(failure: Failure) -> bool:
    """A module of the project's code that failed while pytest collected it and was not
    imported as a test module (`--doctest-modules` collects every module: simple-parsing's
    `hparams/priors.py`, whose module `__getattr__` imports numpy when the doctest finder
    looks)."""
    return (
        failure.when == "collect"
        and failure.path == failure.nodeid
        and failure.path.endswith(".py")
        and not re.search(_TEST_CODE, failure.path)
        and bool(failure.traceback)  # a record without one tells nothing
        and _TEST_MODULE_IMPORT not in failure.traceback
    )


def _at_module_level(failure: Failure) -> bool:
    """Whether the failing import ran while its module was imported: during collection, in
    no function's frame (a module `__getattr__` imports when called; a test's call imports in
    its body, a helper, or an example it executes)."""
    frame = re.search(rf"{re.escape(failure.path)}:{failure.line}: in (\S+)", failure.traceback)
    return failure.when in ("collect", "session") and (frame is None or frame[1] == "<module>")


def missing_module(failure: Failure, inputs: Review) -> Suggestion | None:
    """ModuleNotFoundError/ImportError for a third-party package: optional-dependencies, or
    dependency-registration when the project declares the package nowhere."""
    match = re.search(_NO_MODULE, _text(failure))
    if match is None or failure.exc_type not in ("ModuleNotFoundError", "ImportError", ""):
        return None
    module = _missing_import(match.group(1), failure.traceback)
    top = module.split(".")[0]
    # A namespace package's other distributions are not the project's (zope.interface's tests
    # importing zope.testing, which its test extra declares).
    declared_part = module != top and any(
        d.name == _distribution(module, inputs.project) for d in inputs.project.declared
    )
    if top in inputs.project.first_party and not declared_part:
        # The project's own package as a whole: not installed where the tests run. A missing
        # module inside it is the project's own mistake (a typo, a module moved).
        whole = match.group(1) == top and failure.when in ("collect", "session")
        folder = inputs.project.roots.get(top)
        if module in inputs.project.absent:
            return _absent_module(failure, module, folder or ".")
        return _project_not_importable(failure, top, folder) if whole else None
    distribution = _distribution(module, inputs.project)
    sections = _sections(distribution, inputs.project)
    guard = f'`{top} = pytest.importorskip("{top}")`'
    # A skip raised while pytest imports a conftest is no skip: pytest stops with its traceback.
    loader = _loading_conftest(failure)
    in_conftest = failure.path.rpartition("/")[2] == "conftest.py"
    if loader is not None and not in_conftest:
        # cattrs' tests/__init__.py, or polyfactory's test module that a conftest imports
        # (the error is its folder's): no skip there either, and no fixture to move it into.
        guarded = (
            f"import it only where tests use it ({guard} inside them): {failure.path} runs "
            f"while pytest loads {loader}, where nothing can skip"
        )
    elif in_conftest:
        guarded = (
            f"move the import into the fixtures that use it, as {guard}, so that only their "
            "tests skip without it (a conftest cannot skip while pytest loads it)"
        )
    elif _doctest_module(failure):
        guarded = (
            f"leave {failure.path}, the project's own module pytest collects for its doctests, "
            f"out of the collection where {top!r} is missing (a `collect_ignore` list in a "
            f"conftest.py, built with `importlib.util.find_spec({top!r})`): a skip guard has no "
            "place in the project's code"
        )
    elif re.search(_TEST_CODE, failure.path) or failure.path == failure.nodeid.split("::")[0]:
        # A collected module is test code whatever its name (`python_files = property_tests.py`)
        guarded = f"guard the import with {guard} so the module skips without it"
    else:  # the project's own code (soupsieve/css_match.py): no place for pytest's skip
        # or an example of a document a test executes (pydantic-settings' docs/index.md)
        uses = "import" if failure.path.endswith(".py") else "run the code of"
        guarded = f"have the tests that {uses} {failure.path} skip without it: {guard} first"
    if not sections and _loose_providers(module, inputs.project):
        return _loosely_declared(failure, module, inputs.project, guarded)
    if not sections:
        return _suggest(
            failure,
            "dependency-registration",
            distribution,
            f"imports {module!r}, but the project declares {distribution!r} nowhere. Add it "
            "to the test extra or a dependency group in pyproject.toml (and to the "
            "project's dependency registry, if it keeps one: apytest-lint's APT103); if the "
            f"tests can do without it, {guarded}.",
        )
    if "dependencies" in sections:
        # The environment's fault, whichever modules import it: one suggestion for the run.
        return _suggest(
            failure,
            "dependency-registration",
            distribution,
            f"imports {module!r}: {distribution!r} is a runtime dependency of the project but "
            "is not installed in this environment. Reinstall the project (pip install -e .) "
            "or rebuild the CI image from the declared dependencies.",
        )._replace(nodeid=None)
    at = " at module level" if _at_module_level(failure) else ""
    return _suggest(
        failure,
        "optional-dependencies",
        distribution,
        f"imports {module!r}{at}, but {distribution!r} is only declared in "
        f"{_declared_in(sections, distribution)}, which this environment lacks: install that, "
        f"or {guarded}.",
    )


# A package's own words for an optional dependency it lacks: validators' "Do `pip install
# validators[crypto-eth-addresses]` to ...", pandas' "Missing optional dependency 'xlrd'",
# pytransform3d's "Please install one of the optional dependencies 'trimesh' or 'open3d'"
# (the first named).
_ANNOUNCED = (
    r"\bpip install ['\"`]?([A-Za-z0-9][\w.-]*)(?:\[([\w,.-]+)\])?"
    r"|Missing optional dependency '([\w.-]+)'"
    r"|\binstall (?:one of )?the optional dependenc(?:y|ies) '([\w.-]+)'"
)


def announced_dependency(failure: Failure, inputs: Review) -> Suggestion | None:
    """An ImportError whose message names the package (or extra) to install: the package said
    which optional dependency it lacks. optional-dependencies, one suggestion for the run."""
    found = re.search(_ANNOUNCED, failure.message)
    if failure.exc_type not in ("ImportError", "ModuleNotFoundError") or found is None:
        return None
    from packaging.utils import canonicalize_name  # only such a failure needs it

    distribution = canonicalize_name(found.group(1) or found.group(3) or found.group(4))
    extra = found.group(2)
    own = {canonicalize_name(name) for name in inputs.project.first_party}
    sections = [s for s in _sections(distribution, inputs.project) if s != "dependencies"]
    if extra and distribution in own:
        where = f"it is the project's own extra {extra!r}: install it (pip install '.[{extra}]')"
    elif sections:
        where = f"the project declares it in {_declared_in(sections, distribution)}: install that"
    else:
        where = (
            "install it where the tests run and declare it with the test requirements, or skip "
            "the tests that need it without it"
        )
    wanted = f"{distribution}[{extra}]" if extra else distribution
    return _suggest(
        failure,
        "optional-dependencies",
        wanted,
        f"{failure.message} The package names the optional dependency it lacks, {wanted!r}, "
        f"which this environment does not have; {where}.",
    )._replace(nodeid=None)


_NO_ATTRIBUTE = r"module '([\w.]+)' has no attribute '(\w+)'"
_CANNOT_IMPORT = r"cannot import name '(\w+)' from '([\w.]+)'"


def _is_stdlib(module: str) -> bool:
    """The standard library's, or the interpreter's own (`__main__`, `__builtins__`): no
    distribution to bound."""
    return module in sys.stdlib_module_names or module.startswith("__")


def _third_party_package(failure: Failure, inputs: Review) -> str | None:
    text = _text(failure)
    for pattern, group in ((_NO_ATTRIBUTE, 1), (_CANNOT_IMPORT, 2)):
        match = re.search(pattern, text)
        if match:
            top = match.group(group).split(".")[0]
            return None if top in inputs.project.first_party or _is_stdlib(top) else top
    crash = re.search(_THIRD_PARTY, failure.crash_path)
    if crash:
        return crash.group(1).removesuffix(".py")
    return None


# pytest's words for an `async def` test or fixture no plugin ran (a failure since pytest 8.4).
_ASYNC_TEST = (
    r"async def functions are not natively supported"
    r"|requested an async fixture '\w+'.*with no plugin or hook that handled it"
)
# The plugins that run `async def` tests (those pytest's message names), with their modules and
# what makes each take a test.
_ASYNC_PLUGINS = {
    "pytest-asyncio": ("pytest_asyncio", "`@pytest.mark.asyncio` (or all: `asyncio_mode = auto`)"),
    "pytest-trio": ("pytest_trio", "`@pytest.mark.trio` (or all: `trio_mode = true`)"),
    "pytest-twisted": ("pytest_twisted", "`@pytest_twisted.ensureDeferred`"),
    "pytest-tornasync": ("pytest_tornasync", "any mark (it runs them all)"),
    "anyio": ("anyio", "`@pytest.mark.anyio`"),
}
# anyio is installed with many libraries (httpx), so its plugin says nothing of the tests' mind.
_INCIDENTAL_ASYNC_PLUGIN = "anyio"


def names_installable(failure: Failure) -> bool:
    """Whether `failure` names a fixture, marker, option or ini key that a plugin may provide,
    a program that is not installed, or the optional dependency a package says it lacks: a
    review wants the project's declarations to say where that is declared."""
    text = _text(failure)
    return (
        any(
            re.search(p, text)
            for p in (_FIXTURE, _RECURSION, _UNKNOWN_MARK, _UNRECOGNIZED, _UNKNOWN_INI)
        )
        or _missing_program(failure) is not None
        or re.search(_ANNOUNCED, failure.message) is not None
    )


def named_modules(failures: Iterable[Failure]) -> set[str]:
    """The modules the failures name (missing, or raising from a third-party API): the ones
    whose distributions, declarations and versions a review wants in its ProjectFacts."""
    modules: set[str] = set()
    for failure in failures:
        text = _text(failure)
        modules.update(
            _missing_import(match.group(1), failure.traceback)
            for match in re.finditer(_NO_MODULE, text)
        )
        for pattern, group in ((_NO_ATTRIBUTE, 1), (_CANNOT_IMPORT, 2)):
            modules.update(match.group(group) for match in re.finditer(pattern, text))
        modules.update(
            match.group(1).removesuffix(".py")
            for match in re.finditer(_THIRD_PARTY, failure.crash_path)
        )
        if re.search(_ASYNC_TEST, failure.message, re.DOTALL):
            modules.update(module for module, _ in _ASYNC_PLUGINS.values())
    return modules


def _example_bounds(distribution: str, version: str | None) -> str:
    """`name>=1.4,<2` for 1.4.2 (`<0.5` for 0.4.1: before 1.0, minor releases may break)."""
    parts = (version or "").split(".")
    if len(parts) < 2 or not (parts[0].isdigit() and parts[1].isdigit()):
        return f"for example `{distribution}>=LAST_GOOD,<NEXT_MAJOR`"
    major, minor = int(parts[0]), int(parts[1])
    upper = f"{major + 1}" if major else f"0.{minor + 1}"
    return f"for example `{distribution}>={major}.{minor},<{upper}`"


# Attributes of pytest's Config that one of pytest's own plugins sets when it is configured: they
# are missing only when the session switched that plugin off (`-p no:cacheprovider`), whatever
# the version of the package that reads them.
_PLUGIN_ATTRIBUTES = {"cache": "cacheprovider", "_tmp_path_factory": "tmpdir"}
_CONFIG_ATTRIBUTE = r"'Config' object has no attribute '(\w+)'"


def disabled_plugin(failure: Failure, inputs: Review) -> Suggestion | None:
    """AttributeError for an attribute of pytest's Config that a pytest plugin sets: the
    session ran with that plugin off. Not a changed API of the package the error was raised
    in (version-pinning would tell to bound a package nothing changed in): startup-plugins."""
    found = re.search(_CONFIG_ATTRIBUTE, failure.message)
    if failure.exc_type != "AttributeError" or found is None:
        return None
    plugin = _PLUGIN_ATTRIBUTES.get(found.group(1))
    if plugin is None:
        return None
    package = _third_party_package(failure, inputs)
    reader = f"{_distribution(package, inputs.project)!r}" if package else "the test"
    return _suggest(
        failure,
        "startup-plugins",
        f"disabled:{plugin}",
        f"pytest's Config has no {found.group(1)!r}, which pytest's own {plugin} plugin sets: "
        f"this session ran with `-p no:{plugin}` (on the command line, in addopts or "
        f"PYTEST_ADDOPTS), and {reader} needs it. Run the suite without `-p no:{plugin}`.",
    )


def async_without_plugin(failure: Failure, inputs: Review) -> Suggestion | None:
    """An `async def` test or fixture that pytest failed because no installed plugin took it:
    startup-plugins. With no plugin for it installed, the environment lacks the plugin (one
    suggestion for the run); with one, the test lacks what makes that plugin run it."""
    if not re.search(_ASYNC_TEST, failure.message, re.DOTALL):
        return None
    installed = [name for name in _ASYNC_PLUGINS if name in inputs.project.versions]
    takes = "; ".join(f"{name} runs those marked {_ASYNC_PLUGINS[name][1]}" for name in installed)
    if set(installed) - {_INCIDENTAL_ASYNC_PLUGIN}:
        return _suggest(
            failure,
            "startup-plugins",
            "async:unmarked",
            "pytest failed this `async def` test (or its async fixture) without running it: "
            f"the async plugins installed here did not take it ({takes}). Mark it for the "
            "plugin of the framework it is written for.",
        )
    runners = [name for name in _ASYNC_PLUGINS if name != _INCIDENTAL_ASYNC_PLUGIN]
    declared = _declared_optionally(runners, inputs.project)
    remedy = (
        f"The project declares {declared[0]} in {declared[1]}, which this environment lacks: "
        "install that."
        if declared is not None
        else "Install the plugin of the framework the tests are written for (pytest-asyncio "
        "for `@pytest.mark.asyncio`, pytest-trio for `@pytest.mark.trio`, ...) and declare it "
        "with the test dependencies (the extra, group or requirements file they install from)."
    )
    return _suggest(
        failure,
        "startup-plugins",
        "async:no-plugin",
        "pytest fails `async def` tests and async fixtures without running them when no "
        f"installed plugin takes them, and none that runs them ({', '.join(runners)}) is "
        f"installed here{f' ({takes})' if installed else ''}. {remedy}",
    )._replace(nodeid=None)


def _missing_name(failure: Failure) -> tuple[str, str] | None:
    """(module, name) of `module 'X' has no attribute 'Y'` or `cannot import name 'Y' from
    'X'`."""
    if found := re.search(_NO_ATTRIBUTE, failure.message):
        return found.group(1), found.group(2)
    if found := re.search(_CANNOT_IMPORT, failure.message):
        return found.group(2), found.group(1)
    return None


def missing_names(failures: Iterable[Failure]) -> set[tuple[str, str]]:
    """The (module, name) pairs the failures find missing from a module that is not the
    standard library's: a review wants to know which of them a missing import leaves out."""
    return {
        pair
        for failure in failures
        if (pair := _missing_name(failure)) and not _is_stdlib(pair[0].split(".")[0])
    }


_NOT_DEFINED = r"NameError: name '(\w+)' is not defined"


def unbound_at_collection(failure: Failure) -> str | None:
    """The name of a `NameError` that stopped a module's collection, raised in its own code
    (`crash_path`): maybe a name only its guarded import binds."""
    found = re.search(_NOT_DEFINED, failure.message)
    if found is None or failure.when != "collect" or not failure.crash_path.endswith(".py"):
        return None
    return found.group(1)


def guard_key(failure: Failure) -> str | None:
    """The key of `ProjectFacts.guarded` that `failure` would be under."""
    if failure.exc_type in ("AttributeError", "ImportError"):
        pair = _missing_name(failure)
        return ".".join(pair) if pair else None
    name = unbound_at_collection(failure) if failure.exc_type == "NameError" else None
    return f"{failure.crash_path}:{name}" if name else None


def missing_optional_part(failure: Failure, inputs: Review) -> Suggestion | None:
    """A name a module binds only when an optional package imports: a third-party module
    (pyjwt's `jwt.algorithms.hashes` without cryptography), optional-dependencies and not a
    changed API; or a test module that uses such a name while it is imported (mccabe's
    `@settings(...)` of a guarded hypothesis import), where the guard cannot help."""
    key = guard_key(failure)
    package = inputs.project.guarded.get(key) if key else None
    if key is None or package is None:
        return None
    distribution = _distribution(package, inputs.project)
    sections = [s for s in _sections(distribution, inputs.project) if s != "dependencies"]
    if failure.exc_type == "NameError":
        name = key.rpartition(":")[2]
        return _suggest(
            failure,
            "optional-dependencies",
            distribution,
            f"NameError: {name!r} is bound only by a guarded import of {package!r} (a `try:` "
            f"that catches ImportError), and {distribution!r} is not installed here; the "
            f"module uses {name!r} while it is imported (a decorator, a default, module-level "
            "code), so the guard cannot help and none of its tests is collected. "
            + (
                f"The project declares {distribution!r} in "
                f"{_declared_in(sections, distribution)}, which this environment lacks: install "
                "that, or "
                if sections
                else ""
            )
            + f'skip the module without it: `pytest.importorskip("{package}")` at its top.',
        )
    module, _, name = key.rpartition(".")
    owner = _distribution(module, inputs.project)
    install = (
        f"The project declares {distribution!r} in {_declared_in(sections, distribution)}, "
        "which this environment lacks: install that."
        if sections
        else f"Install {distribution!r} where the tests run (often an extra of {owner!r}) "
        "and declare it with the test requirements, or skip the tests that need it "
        f'without it (`pytest.importorskip("{package}")`).'
    )
    return _suggest(
        failure,
        "optional-dependencies",
        distribution,
        f"{failure.exc_type}: {module!r} defines {name!r} only when {package!r} imports, and "
        f"{distribution!r} is not installed here: an optional dependency of {owner!r} is "
        f"missing, not a changed API. {install}",
    )


def changed_api(failure: Failure, inputs: Review) -> Suggestion | None:
    """AttributeError/TypeError/ImportError raised by a third-party API: version-pinning."""
    if failure.exc_type not in ("AttributeError", "TypeError", "ImportError"):
        return None
    package = _third_party_package(failure, inputs)
    if package is None:
        return None
    distribution = _distribution(package, inputs.project)
    version = inputs.project.versions.get(distribution)
    installed = f"{distribution} {version}" if version else distribution
    declared = [d for d in inputs.project.declared if d.name == distribution]
    if not declared:
        bounds = f"{distribution!r} is not declared"
    elif any(d.specifier for d in declared):
        bounds = f"it is declared as {declared[0].name}{declared[0].specifier}"
    else:
        bounds = f"{distribution!r} is declared without version bounds"
    earlier = inputs.history.outcomes.get(failure.nodeid, ())
    since = " The test passed in earlier runs, so a new release likely changed it." * (
        "passed" in earlier
    )
    return _suggest(
        failure,
        "version-pinning",
        f"{distribution}:{failure.exc_type}",
        f"{failure.exc_type} from the API of {installed} ({failure.message}).{since} {bounds}: "
        f"bound it ({_example_bounds(distribution, version)}, or the last version that worked) "
        "and upgrade deliberately, or adapt the call to the new API.",
    )


_CONNECTION_TYPES = frozenset(
    {
        "ConnectionError",
        "ConnectionRefusedError",
        "ConnectionResetError",
        "ConnectionAbortedError",
        "TimeoutError",
        "gaierror",
        "socket.gaierror",
        "socket.timeout",
        "URLError",
        "urllib.error.URLError",
        "requests.exceptions.ConnectionError",
        "requests.exceptions.ConnectTimeout",
        "httpx.ConnectError",
        "httpx.ConnectTimeout",
        # dnspython's resolver: no nameserver answered, or none in time
        "dns.resolver.NoNameservers",
        "dns.resolver.LifetimeTimeout",
    }
)
_CONNECTION_TEXT = (
    r"Connection refused|Name or service not known|Temporary failure in name resolution|"
    r"nodename nor servname|Network is unreachable|Max retries exceeded|No route to host|"
    # c-ares (pycares, aiodns), a resolver of its own: not getaddrinfo's words
    r"Domain name not found|Could not contact DNS servers|Timeout while contacting DNS servers"
)
_MISSING_BINARY = r"No such file or directory: '([\w.+-]+)'"
_MISSING_SECRET = r"^'?([A-Z][A-Z0-9_]*(?:TOKEN|KEY|SECRET|PASSWORD|URL|HOST)\w*)'?$"


_LOOPBACK = r"(?i)\blocalhost\b|127\.0\.0\.1|\[?::1\]?|0\.0\.0\.0"
"""A service on this machine (the test's own server): no network to mark the test for."""


def _raised_error(kind: str) -> bool:
    """An error the code raised, not a failed assertion about it (`assert False`)."""
    return "Error" in kind and kind != "AssertionError"


def _missing_program(failure: Failure) -> str | None:
    """The program a test ran through subprocess that is not installed."""
    binary = re.search(_MISSING_BINARY, failure.message)
    if (
        failure.exc_type.endswith("FileNotFoundError")
        and binary
        and "subprocess" in failure.traceback
    ):
        return binary.group(1)
    return None


_NO_LOCALE = "unsupported locale setting"
_LOCALE_ARGUMENT = r"\blocale = '([^'\n]+)'"
"""The locale `setlocale` was asked for, as pytest shows a frame's arguments."""


def missing_locale(failure: Failure, inputs: Review) -> Suggestion | None:
    """`locale.setlocale` refusing a locale the machine has not generated (natsort's conftest
    loading en_US.UTF-8, on a runner with only C.UTF-8): the machine's fault, one suggestion
    for the run however many tests met it (lesson external-resources)."""
    if failure.exc_type != "locale.Error" or _NO_LOCALE not in failure.message:
        return None
    named = re.findall(_LOCALE_ARGUMENT, failure.traceback)
    name = named[-1] if named else ""
    which = f"the locale {name!r}" if name else "a locale"
    return _suggest(
        failure,
        "external-resources",
        f"locale:{name}",
        f"needs {which}, which this machine has not generated (locale.Error: {_NO_LOCALE}). "
        "Generate it where the tests run (Debian, Ubuntu: the `locales` package and "
        "`locale-gen`), or skip where `locale.setlocale` raises locale.Error, as "
        '`pytest.skip("requires the locale")` in an `except locale.Error:`.',
    )._replace(nodeid=None)


def external_resource(failure: Failure, inputs: Review) -> Suggestion | None:
    """Network, external programs and secrets missing where the test ran: external-resources."""
    kind = failure.exc_type.rsplit(".", 1)[-1]
    message = failure.message.removeprefix(f"{failure.exc_type}: ")
    program = _missing_program(failure)
    secret = re.match(_MISSING_SECRET, message.strip()) if kind == "KeyError" else None
    if program is not None:
        guard = (
            f'`@pytest.mark.skipif(shutil.which("{program}") is None, reason="needs {program}")`'
        )
        # A program of the distribution of its name (mypy, black) the tests declare: installed
        # with that section (typeguard's group 'test' holds mypy).
        from packaging.utils import canonicalize_name  # only a missing program needs it

        declared = _declared_optionally((canonicalize_name(program),), inputs.project)
        key, fix = (
            f"binary:{program}",
            f"runs {program!r}, which is not installed here. Guard the test with {guard}."
            if declared is None
            else f"runs {program!r}, which is not installed here: the project declares "
            f"{declared[0]!r} in {declared[1]}, which this environment lacks. Install that, "
            f"or guard the test with {guard}.",
        )
    elif secret:
        name = secret.group(1)
        key, fix = (
            f"secret:{name}",
            f"reads the environment variable {name}, which is not set here. Read it with "
            f"`os.environ.get({name!r})` and skip the test when it is missing.",
        )
    elif (
        failure.exc_type in _CONNECTION_TYPES
        or kind in _CONNECTION_TYPES
        or (re.search(_CONNECTION_TEXT, _text(failure)) and _raised_error(kind))
    ) and not re.search(_LOOPBACK, failure.message):
        key, fix = (
            "network",
            f"needs a network service that was not reachable ({failure.message}). Mark it "
            "(for example `@pytest.mark.network`, registered in the pytest config) so jobs "
            "without network deselect it with `-m 'not network'`, or replace the service with "
            "a local fake.",
        )
    else:
        return None
    return _suggest(failure, "external-resources", key, fix)


_SHAPE_OR_DTYPE = (
    r"(?i)could not be broadcast|shapes? .* not aligned|shape mismatch|cannot reshape|"
    r"size mismatch|mat1 and mat2 shapes|dtype mismatch|Buffer dtype|cannot cast array|"
    r"dtype\('[\w<>]+'\) to dtype|must have the same shape|incompatible shapes?|"
    r"Cannot cast|expected .*dtype|dimension mismatch"
)


def shape_or_dtype(failure: Failure, inputs: Review) -> Suggestion | None:
    """Shape and dtype errors: input-validation."""
    if not re.search(_SHAPE_OR_DTYPE, failure.message):
        return None
    return _suggest(
        failure,
        "input-validation",
        failure.exc_type or "shape",
        f"{failure.message}. Build the test data with an explicit dtype= and assert its "
        ".shape where it is created; validate shapes and dtypes at the function's public "
        "boundary so the error names the bad argument instead of failing deep inside.",
    )


_UNKNOWN_MARK = r"Unknown pytest\.mark\.(\w+)|'(\w+)' not found in `markers` configuration option"


def unknown_marker(failure: Failure, inputs: Review) -> Suggestion | None:
    """A marker pytest does not know, an error under `--strict-markers` or
    `filterwarnings = error`: session-errors."""
    found = re.search(_UNKNOWN_MARK, failure.message)
    if found is None:
        return None
    name = found.group(1) or found.group(2)
    return _suggest(
        failure,
        "session-errors",
        f"marker:{name}",
        f"uses the marker {name!r}, which pytest does not know, so the whole module fails to "
        f'collect. Register it (`markers = ["{name}: what it means"]` under '
        "[tool.pytest.ini_options]) or fix its spelling.",
    )


_NOT_A_TEST_CLASS = (
    r"PytestCollectionWarning: cannot collect test class '(\w+)' because it has a "
    r"(__init__|__new__) constructor"
)


def collection_warning_error(failure: Failure, inputs: Review) -> Suggestion | None:
    """pytest's warning that a class named like a test class cannot be collected, made an error
    by a warnings filter: the module fails to collect. markdown's tests import unittest's
    `TestSuite`, and another module calls `warnings.simplefilter("error")` at import."""
    found = re.search(_NOT_A_TEST_CLASS, failure.message)
    if failure.when != "collect" or found is None:
        return None
    name, constructor = found.groups()
    return _suggest(
        failure,
        "session-errors",
        f"collection-warning:{name}",
        f"pytest takes the class {name!r} for a test class (by its name) but cannot collect it "
        f"(it has a {constructor} constructor), and a warnings filter makes that warning an "
        'error: `filterwarnings = error`, `-W error`, or a module calling `warnings.simplefilter("'
        'error")` when imported, which also holds while pytest collects the modules after it. '
        f"If {name!r} is no test class, say so with `__test__ = False` in its body, or import "
        f"it under a name pytest does not collect (`import ... as _{name}`, or its module and "
        f"then `module.{name}`); if it is one, drop its constructor.",
    )


_XDIST_MISMATCH = r"Different tests were collected between (\S+) and (\S+)"


def xdist_collection_mismatch(failure: Failure, inputs: Review) -> Suggestion | None:
    """pytest-xdist stops when its workers collected different tests: the node ids of a
    parametrize differ from one process to the next. Its report names a worker (``gw1``), not a
    module, and nothing failed to import."""
    found = re.search(_XDIST_MISMATCH, f"{failure.message}\n{failure.traceback}")
    if failure.when != "collect" or found is None:
        return None
    return Suggestion(
        text=f"the xdist workers {found.group(1)} and {found.group(2)} collected different "
        "tests, so none ran: a parametrize whose values or ids change from one process to the "
        "next (iterating a set or a dict built from one, datetime.now(), random values). Make "
        "them the same everywhere (sorted(...), fixed values, explicit ids=); compare "
        "`PYTHONHASHSEED=1 pytest --collect-only -q` with `PYTHONHASHSEED=2 ...` to find them.",
        lesson="session-errors",
        signature="session-errors:xdist-collection-mismatch",
        source="failure",
        nodeid=failure.nodeid,
    )


def exit_while_collected(failure: Failure, inputs: Review) -> Suggestion | None:
    """A module of the project that raised SystemExit (`sys.exit()`) while pytest imported it:
    pytest stops the whole session with an internal error (uncertainties' test_ulinalg.py
    exits when numpy is missing). session-errors, with the module-level skip to use instead."""
    if failure.when != "session" or not re.match(r"SystemExit\b", failure.message):
        return None
    if not failure.path.endswith(".py") or re.search(_THIRD_PARTY, failure.crash_path):
        return None
    return _suggest(
        failure,
        "session-errors",
        "system-exit",
        f"{failure.path} raises SystemExit (`sys.exit()`) while pytest imports it, which ends "
        "the whole session with an internal error: no test of any module ran. To leave the "
        'module out where something is missing, skip it instead: `pytest.importorskip("x")` '
        'or `pytest.skip("why", allow_module_level=True)`.',
    )


_MISSING_PATH = r"No such file or directory: '(/[^'\n]+)'"


def missing_project_file(failure: Failure, inputs: Review) -> Suggestion | None:
    """A module that cannot be collected because it reads a file of the project's tree that is
    not there (hjson's sdist ships no `hjson/tests/assets/`). While collecting, no test has run
    to create it: the tree lacks it. The rootdir is where pytest's absolute path of the
    module ends in its rootdir-relative one; a path outside it says nothing of the tree."""
    missing = re.search(_MISSING_PATH, failure.message)
    crash = failure.crash_path
    if (
        failure.when != "collect"
        or not failure.exc_type.endswith("FileNotFoundError")
        or missing is None
        or not crash.startswith("/")
        or not crash.endswith(f"/{failure.path}")
    ):
        return None
    rootdir = crash.removesuffix(failure.path)
    path = missing.group(1)
    if not path.startswith(rootdir):
        return None
    shown = path.removeprefix(rootdir)
    return _suggest(
        failure,
        "session-errors",
        f"missing-file:{shown}",
        f"could not be collected: it reads {shown}, which this tree of the project lacks (a "
        "checkout or an sdist may have left it out: list it in MANIFEST.in or the build "
        "backend's sdist includes). None of its tests ran.",
    )


# A traceback's frame in pytest's format, and the files of pytest, pluggy and the standard
# library: the frames that are no conftest's or plugin's.
_FRAME = r"(?m)^(\S[^\n]*?):\d+: in \S+$"
_PYTEST_OWN = (
    r"[/\\](?:site|dist)-packages[/\\](?:_pytest|pytest|pluggy)[/\\]"
    r"|[/\\]lib[/\\]python3\.\d+[/\\](?!(?:site|dist)-packages[/\\])"
)


def _pytest_own_crash(failure: Failure) -> bool:
    """An internal error whose every frame is pytest's, pluggy's or the standard library's
    (pydantic-settings' run: pytest's `repr_failure` fails in `traceback.extract_tb` on a
    failing docs example): no hook of a conftest or plugin raised it."""
    frames = re.findall(_FRAME, failure.traceback)
    return bool(frames) and all(re.search(_PYTEST_OWN, frame) for frame in frames)


def session_error(failure: Failure, inputs: Review) -> Suggestion | None:
    """Last resort for what stops tests before they run: a module or conftest that cannot be
    collected, or an internal error of pytest or a plugin's hook: session-errors."""
    if failure.when not in ("collect", "session"):
        return None
    where = failure.crash_path and f" (raised at {failure.crash_path}:{failure.crash_line})"
    if failure.when == "session" and _pytest_own_crash(failure):
        during = " while it formatted a test's failure" * ("in repr_failure" in failure.traceback)
        key, text = (
            "internal:pytest",
            f"pytest stopped with an internal error{where}{during}: {failure.message}. Every "
            "frame of its traceback is pytest's, pluggy's or Python's own: no conftest or "
            "plugin hook is there to fix. No test result of this session can be trusted; try "
            "the newest pytest, and report the crash to pytest with the traceback "
            "(--full-trace) if it stays.",
        )
    elif failure.when == "session":
        key, text = (
            "internal",
            f"pytest stopped with an internal error{where}: {failure.message}. No test "
            "result of this session can be trusted; fix the hook of the conftest or plugin "
            "the traceback names (run with --full-trace for the whole stack).",
        )
    else:
        key, text = (
            f"collect:{failure.exc_type or 'error'}",
            f"could not be collected{where}: {failure.message}. None of its tests ran; run "
            "`pytest --collect-only` on it until it imports cleanly.",
        )
    return _suggest(failure, "session-errors", key, text)


FailureSignature = Callable[[Failure, Review], "Suggestion | None"]

FAILURE_SIGNATURES: tuple[FailureSignature, ...] = (
    import_file_mismatch,
    shadowed_package,
    relative_import_without_package,
    fixture_not_found,
    fixture_recursion,
    startup_failure,
    missing_module,
    announced_dependency,
    disabled_plugin,
    async_without_plugin,
    missing_optional_part,
    changed_api,
    missing_locale,
    external_resource,
    shape_or_dtype,
    unknown_marker,
    collection_warning_error,
    xdist_collection_mismatch,
    exit_while_collected,
    missing_project_file,
    session_error,
)


# Run reviews ------------------------------------------------------------------------------


def lint_findings(inputs: Review) -> Iterator[Suggestion]:
    """Each `--apytest-lint` finding, with its rule's lesson; said louder when its file failed.

    Findings with the same code and text in one file are one suggestion (its signature has no
    line number, so that it stays the same suggestion when lines move) citing every line."""
    if not inputs.run.findings:
        return
    from apytest.lint.api import rule_lesson  # the catalogue is loaded: the linter ran

    failed_files = {f.nodeid.split("::", 1)[0] for f in inputs.run.failures}
    same: dict[tuple[str, str, str], list[LintFinding]] = {}
    for finding in inputs.run.findings:
        same.setdefault((finding.code, finding.path, finding.message), []).append(finding)
    for found in same.values():
        finding = found[0]
        lesson = rule_lesson(finding.code)
        if lesson is None:
            continue
        also = " This file also failed in this run." * (finding.path in failed_files)
        places = ", ".join(f"{f.line}:{f.col}" for f in found)
        yield Suggestion(
            text=f"{finding.path}:{places}: {finding.code} {finding.message}.{also}",
            lesson=lesson,
            signature=f"lint:{finding.code}:{finding.path}:{finding.message}",
            source="lint",
            path=finding.path,
            line=finding.line,
        )


def _findings_named(inputs: Review, code: str) -> str:
    places = [f"{f.path}:{f.line}" for f in inputs.run.findings if f.code == code]
    return f" apytest-lint ({code}) points at {', '.join(places[:5])}." if places else ""


SHOWN_NAMES = 5
"""Files or variables a workspace suggestion names; the others are counted."""


def _names_key(names: Sequence[str]) -> str:
    """A signature part for a set of names, the same for the same set and bounded however
    many a session left (the first names sorted, then how many more)."""
    ordered = sorted(names)
    more = len(ordered) - SHOWN_NAMES
    return ",".join(ordered[:SHOWN_NAMES]) + (f",+{more}" if more > 0 else "")


def workspace(inputs: Review) -> Iterator[Suggestion]:
    """Files left in the working tree and environment changes: the isolation lessons."""
    left = inputs.run.workspace
    if left.new_files:
        shown = ", ".join(left.new_files[:SHOWN_NAMES]) + (
            " ..." if len(left.new_files) > SHOWN_NAMES else ""
        )
        yield Suggestion(
            text=f"the session left {len(left.new_files)} new file(s) in the working tree: "
            f"{shown}. Tests must write under `tmp_path` (or `monkeypatch.chdir(tmp_path)` "
            "before using relative paths; a unittest.TestCase, which takes no fixtures, under "
            "a `tempfile.TemporaryDirectory()` it removes with `self.addCleanup`)."
            f"{_findings_named(inputs, 'APT203')}",
            lesson="tmp-path-isolation",
            signature="tmp-path-isolation:files:" + _names_key(left.new_files),
            source="workspace",
        )
    changed_env = [name for name in left.changed_env if name not in inputs.foreign_variables]
    changes = [f"environment variable {name}" for name in changed_env[:SHOWN_NAMES]]
    if len(changed_env) > SHOWN_NAMES:
        more = len(changed_env) - SHOWN_NAMES
        changes.append(f"{more} more environment variable{'s' * (more > 1)}")
    if left.changed_cwd:
        changes.append(f"current directory (now {left.changed_cwd})")
    if changes:
        yield Suggestion(
            text=f"the session changed the {', '.join(changes)} and did not restore it. Use "
            "monkeypatch.setenv/delenv/chdir, which undo the change after each test (in a "
            "unittest.TestCase, which takes no fixtures: `mock.patch.dict(os.environ, ...)`, "
            "or `self.addCleanup` to change it back)."
            f"{_findings_named(inputs, 'APT204')}",
            lesson="monkeypatch-isolation",
            signature="monkeypatch-isolation:"
            + ",".join(filter(None, (_names_key(changed_env), "cwd" * bool(left.changed_cwd)))),
            source="workspace",
        )


def history_trends(inputs: Review) -> Iterator[Suggestion]:
    """Coverage and session time as the metrics report them (the run's own figures when there
    are no metrics), and the per-test trends."""
    metrics = inputs.metrics
    coverage = metrics.coverage if metrics and metrics.coverage is not None else None
    duration = metrics.session_duration if metrics and metrics.session_duration else None
    run = inputs.run
    yield from trends.coverage_drop(inputs.history, run, coverage or run.coverage)
    yield from trends.slower_session(inputs.history, run, duration or run.duration)
    yield from trends.slower_tests(inputs.history, inputs.run.results)
    yield from trends.flaky_tests(inputs.history, inputs.run.results)


RunReview = Callable[[Review], Iterator[Suggestion]]


def rerun_tests(inputs: Review) -> Iterator[Suggestion]:
    """A test that passed only when pytest-rerunfailures ran it again is flaky in this very
    run, whatever its history: the reruns keep the build green and the flakiness out of sight."""
    if not inputs.reruns:
        return
    passed = {r.nodeid for r in inputs.run.results if r.outcome in ("passed", "xfailed")}
    for nodeid, attempts in sorted(inputs.reruns.items()):
        if nodeid not in passed:
            continue  # failed in the end: its failure has its own suggestion
        failed = "one failed attempt" if attempts == 1 else f"{attempts} failed attempts"
        yield Suggestion(
            text=f"{nodeid} passed only after {failed} (pytest-rerunfailures ran it again): it "
            "is flaky, and the reruns hide it. The run log holds each attempt's traceback "
            "(RERUN records); look for shared state, unseeded randomness or timing, and keep "
            "the reruns for what no fix can reach (a remote service).",
            lesson="flaky-tests",
            signature="flaky-tests:reruns",
            source="failure",
            nodeid=nodeid,
        )


RUN_REVIEWS: tuple[RunReview, ...] = (lint_findings, workspace, history_trends, rerun_tests)
