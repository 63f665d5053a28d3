"""Conftest fixtures that nothing in the suite requests (AO3).

A fixture of a test module serves that module alone, so the file itself tells whether anything
requests it (``FileContext.in_unused_helper``). A conftest's fixture serves every module below
its folder: it runs only if a file of the suite names it (as a parameter, in a ``usefixtures``
mark or ini setting, in an indirect ``parametrize``), or if a fixture that runs requests it.
When nothing does, pytest never sets it up, and the imports in its body never run: python-sscha's
conftest fixtures importing aiida, which no test requests, nor the fixtures requesting them.

So, per conftest: the fixtures requested by something other than the parameter lists of its own
fixtures (its tests, hooks, strings, autouse fixtures; the tests and fixtures of the other files,
from their facts; for what those leave unrequested, any mention in another file of the suite's
folders or an ini file) run, and so does every fixture a running one requests; the rest never
run. The facts answer most names, so the files' text is searched for few (on pandas' suite,
searching it for every fixture of its conftests cost a third of a warm run, 1.45 s against
0.98 s; now 1.03 s).

Sure only where the whole suite is read (``runner._whole_suite``) and nothing computes a
request (a ``getfixturevalue`` of anything but one string literal, a ``pytest_generate_tests``
hook). A fixture named as pytest's or a known plugin's overrides it,
and the plugin's own fixtures request it (``django_db_setup``): it always counts as requested.
Any mention counts, a comment or a word of a string included: precision first.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterable
from pathlib import Path

from apytest.common.files import read_regular
from apytest.lint.engine import MAX_FILE_BYTES
from apytest.rules.api import fixture_requests
from apytest.rules.support.astutil import FunctionNode, fixture_decl
from apytest.rules.support.plugins import plugin_table

CONFIG_FILES = ("pyproject.toml", "pytest.ini", ".pytest.ini", "setup.cfg", "tox.ini")
"""Where an ini ``usefixtures`` may name a fixture for every test."""

COMPUTED_REQUEST = re.compile(rb"pytest_generate_tests|getfixturevalue\((?!\s*([\"'])\w+\1\s*\))")
"""A request whose fixture name is computed (anything but one string literal, ``"db"``): any
fixture may be the one."""


class _Conftest:
    """A conftest's own fixtures (not autouse) with what each requests, and what the conftest
    requests otherwise."""

    def __init__(self, tree: ast.Module) -> None:
        self.requests: dict[str, tuple[str, ...]] = {}
        others: list[frozenset[str] | None] = []
        rest: list[ast.stmt] = []
        for node in tree.body:
            fixture = fixture_decl(node) if isinstance(node, FunctionNode) else None
            if not isinstance(node, FunctionNode) or fixture is None or fixture.autouse:
                rest.append(node)
                continue
            arguments = node.args
            own = tuple(
                a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
            )
            self.requests[fixture.name] = own
            node.args = ast.arguments(
                posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]
            )
            found = fixture_requests(node)  # its body, less the parameters it names there
            others.append(None if found is None else found - frozenset(own))
        tree.body = rest
        others.append(fixture_requests(tree))
        self.others: frozenset[str] | None = (
            None if None in others else frozenset().union(*(o for o in others if o is not None))
        )
        """Requested other than through those fixtures' parameters; None when computed."""

    def unrequested(self, requested_elsewhere: Iterable[str]) -> frozenset[str]:
        """Its fixtures that neither the conftest otherwise, nor ``requested_elsewhere``, nor a
        fixture requested so (transitively) requests."""
        if self.others is None:
            return frozenset()
        pending = [*self.others, *requested_elsewhere]
        running: set[str] = set()
        while pending:
            name = pending.pop()
            if name not in running:
                running.add(name)
                pending.extend(self.requests.get(name, ()))
        return frozenset(self.requests) - running


def unrequested_fixtures(
    root: Path, files: Iterable[str], conftests: Iterable[str], requested: Collection[str]
) -> frozenset[tuple[str, str]]:
    """``(conftest, fixture)`` for each fixture of ``conftests`` (project-relative) that nothing
    requests, directly or through the conftest's fixtures that run: neither ``requested`` (what
    the other files' tests and fixtures request, from their facts) nor any mention in ``files``
    (the suite's Python files, project-relative) or the configuration files. Only the fixtures
    the facts leave unrequested are looked for in the files' text."""
    graphs: dict[str, _Conftest] = {}
    for path in conftests:
        try:
            graphs[path] = _Conftest(ast.parse(read_regular(root / path, MAX_FILE_BYTES)))
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # not read: all of its fixtures may run
    table = plugin_table()
    running = {*requested, *table.builtin["fixture"], *table.owners["fixture"]}
    names = {name for graph in graphs.values() for name in graph.unrequested(running)}
    if not names:
        return frozenset()
    pattern = re.compile(
        rb"\b(" + b"|".join(re.escape(n.encode()) for n in sorted(names)) + rb")\b"
    )
    mentioned: dict[str, set[str]] = {path: set() for path in graphs}
    for path in [*files, *CONFIG_FILES]:
        try:
            text = read_regular(root / path, MAX_FILE_BYTES)
        except FileNotFoundError:
            continue
        except OSError:
            return frozenset()  # a file that cannot be read may request any of them
        if path not in CONFIG_FILES and COMPUTED_REQUEST.search(text):
            return frozenset()
        found = {match.decode() for match in pattern.findall(text)}
        for conftest in graphs:
            if conftest != path:
                mentioned[conftest] |= found
    return frozenset(
        (path, name)
        for path, graph in graphs.items()
        for name in graph.unrequested({*running, *mentioned[path]})
    )
