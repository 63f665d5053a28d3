"""A rule's ``triggers`` only skip files in which it could find nothing.

The engine does not walk a rule over a file that holds none of its trigger texts. These tests
write test code from the rules' own vocabulary (every call, method and global they know), with
no imports that could smuggle a trigger in, and check that the findings are the same whether
the engine skips by triggers or walks every file.
"""

from __future__ import annotations

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from apytest.lint.engine import analyse
from apytest.rules import ALL_RULES, FileRule
from apytest.rules import apt203_write_outside_tmp_path as writes
from apytest.rules import apt205_unguarded_external_resource as external
from apytest.rules.api import SourceFile
from apytest.rules.support import global_state

TRIGGERED = [r for r in ALL_RULES if issubclass(r, FileRule) and r.triggers is not None]

VOCABULARY: list[tuple[frozenset[str], tuple[str, ...]]] = [
    (
        writes.OPEN_FUNCTIONS | {"os.open"},
        ("'out.txt', 'w'", "'/srv/out.txt', 'a'", "'out.txt', os.O_WRONLY", "tmp_path, 'w'"),
    ),
    (
        frozenset(writes.OS_WRITES) | writes.SHUTIL_COPIES,
        ("'out.txt'", "'/srv/a', '/srv/b'", "__file__", "tmp_path"),
    ),
    (
        frozenset(
            {"os.chdir", "os.putenv", "os.unsetenv", "sys.path.insert", "sys.modules.update"}
            | {"sys.modules.pop", "monkeypatch.chdir", "shutil.which"}
            | {f"{env}.{m}" for env in global_state.ENVIRON for m in global_state.DICT_MUTATORS}
        ),
        ("'API_TOKEN', 'x'", "0, 'x'", "tmp_path", "'docker'", "{'A': '1'}"),
    ),
    (
        frozenset({f"{m}.{v}" for m in external.NETWORK_MODULES for v in external.HTTP_VERBS})
        | {f"{m}.request" for m in external.NETWORK_MODULES}
        | external.URL_FUNCTIONS
        | external.METHOD_URL_FUNCTIONS
        | {"client.get", "client.request"},
        ("'https://pypi.org/simple/'", "'GET', 'https://pypi.org/simple/'"),
    ),
    (
        external.HOST_FUNCTIONS | {f"socket.{name}" for name in external.SOCKET_CONNECTS},
        ("'pypi.org'", "('pypi.org', 443)"),
    ),
    (
        external.SUBPROCESS_FUNCTIONS | external.SHELL_FUNCTIONS,
        ("['docker', 'ps']", "'docker ps'", "'docker ps', shell=True"),
    ),
]
"""Every call the triggered rules know, with arguments that make them report it."""
METHODS = sorted({*writes.PATH_WRITE_METHODS, "open", "as_cwd"})
PATHS = ("'out.txt'", "'/srv/data/out.txt'", "__file__", "tmp_path")
SUBSCRIPTS = ("os.environ", "environ", "sys.modules", "sys.path")
KEYS = ("'API_TOKEN'", "'requests'", "0")

calls = st.one_of(
    [
        st.builds("{}({})".format, st.sampled_from(sorted(callees)), st.sampled_from(args))
        for callees, args in VOCABULARY
    ]
)
statements = st.one_of(
    calls,
    st.sampled_from(
        (
            "x = pytest.mark.timeout",
            "config.addinivalue_line('markers', 't: x')",
            "x = config.inicfg",
            "pytest.mark.parametrize('x', iter([1]))",
        )
    ),
    calls.map("x = {}".format),
    st.builds("client = {}()".format, st.sampled_from(sorted(external.CLIENT_TYPES))),
    st.builds("Path({}).{}()".format, st.sampled_from(PATHS), st.sampled_from(METHODS)),
    st.builds("{}[{}] = 'x'".format, st.sampled_from(SUBSCRIPTS), st.sampled_from(KEYS)),
    st.builds("y = {}[{}]".format, st.sampled_from(SUBSCRIPTS), st.sampled_from(KEYS)),
    st.builds("del {}[{}]".format, st.sampled_from(SUBSCRIPTS), st.sampled_from(KEYS)),
)
functions = st.builds(
    "{}{}def {}({}):\n    {}\n".format,
    st.sampled_from(("", "", "@pytest.fixture\n", "@pytest.fixture(autouse=True)\n")),
    st.sampled_from(("", "", "async ")),
    st.sampled_from(("test_it", "test_it", "helper", "setup_module")),
    st.sampled_from(("", "", "tmp_path", "monkeypatch", "mocker")),
    st.lists(statements, min_size=1, max_size=4).map("\n    ".join),
)
modules = st.lists(functions, min_size=1, max_size=3).map("\n\n".join)


def findings(source: str, rule: type[FileRule]) -> list[object]:
    """What ``rule`` found in ``source``: its findings, and the facts it leaves for the project
    stage to judge (APT204, APT205, APT401, APT404, APT405 and APT406 decide there)."""
    file = SourceFile("tests/test_generated.py", "test")
    result = analyse(file, source.encode(), [rule.code], {})
    facts = result.facts
    return [
        *result.findings,
        *facts.global_changes,
        *facts.markers,
        *facts.registered_markers,
        *facts.deprecated_apis,
        *facts.plugin_fixture_requests,
        *facts.bound_plugin_fixtures,
        *facts.async_tests,
        *facts.coroutine_hooks,
        *facts.program_uses,
    ]


@pytest.mark.slow
@pytest.mark.parametrize("rule", TRIGGERED, ids=lambda r: r.code)
@settings(max_examples=300, deadline=None)
@given(module=modules)
def test_triggers_never_hide_a_finding(rule: type[FileRule], module: str) -> None:
    skipping = findings(module, rule)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rule, "triggers", None)
        walking = findings(module, rule)
    assert skipping == walking


@pytest.mark.slow
@pytest.mark.parametrize("rule", TRIGGERED, ids=lambda r: r.code)
def test_the_generated_code_reaches_every_rule(rule: type[FileRule]) -> None:
    """Otherwise the comparison above would hold vacuously."""
    found = find(
        modules,
        lambda module: bool(findings(module, rule)),
        settings=settings(database=None, max_examples=2000),
    )
    assert findings(found, rule)


@pytest.mark.parametrize("rule", TRIGGERED, ids=lambda r: r.code)
def test_files_without_triggers_are_not_walked(rule: type[FileRule]) -> None:
    assert rule.triggers
    assert not rule.may_find("def test_sum():\n    assert sum([1, 2]) == 3\n")
    assert all(rule.may_find(f"x = {text}\n") for text in rule.triggers)
