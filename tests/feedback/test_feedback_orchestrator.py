"""The orchestrator as the pure function it is: dataclasses in, suggestions out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from failures import missing_module

from apytest.common.lessons import lessons
from apytest.feedback import crown_prompt_orchestrator, trends
from apytest.feedback.crown_prompt_orchestrator import Review, review
from apytest.feedback.records import (
    Declared,
    Failure,
    History,
    LintFinding,
    MetricsSnapshot,
    PastRun,
    ProjectFacts,
    Run,
    Suggestion,
    TestResult,
    Workspace,
)
from apytest.feedback.redact import redact


def _run(*failures: Failure, results: tuple[TestResult, ...] = (), **fields: object) -> Run:
    return Run("demo", 0.0, 1.0, 1.0, 1, failures=failures, results=results, **fields)  # type: ignore[arg-type]


def test_every_lesson_cited_is_a_shipped_lesson() -> None:
    anchors = set(lessons())
    cited: set[str] = set()
    for module in (crown_prompt_orchestrator, trends):
        source = Path(module.__file__ or "").read_text()
        cited |= set(re.findall(r'lesson="([\w-]+)"', source))
        cited |= set(re.findall(r'_suggest\(\s*failure,\s*"([\w-]+)"', source))
    assert len(cited) >= 12
    assert cited <= anchors


def test_a_runtime_dependency_that_is_not_installed() -> None:
    facts = ProjectFacts(
        declared=(Declared("pyyaml", "dependencies"),), distributions={"yaml": ("pyyaml",)}
    )
    other = missing_module("yaml")._replace(nodeid="tests/test_b.py", path="tests/test_b.py")
    [suggestion] = review(Review(_run(missing_module("yaml"), other), project=facts))
    assert suggestion.lesson == "dependency-registration"
    assert "'pyyaml' is a runtime dependency" in suggestion.text
    assert suggestion.nodeid is None  # the environment's: one for the run, not one per module


@pytest.mark.parametrize(
    ("section", "hint"),
    [
        ("extra:ml", "the extra 'ml' (pip install '.[ml]')"),
        ("group:test", "the dependency group 'test' (pip install --group test)"),
        ("hatch:dev", "the hatch environment 'dev' (hatch run dev:pytest)"),
        ("tox:testenv:py311", "the tox environment 'py311' (tox -e py311)"),
        ("tox:testenv", "tox's [testenv] (tox)"),
        ("nox:tests", "the nox session 'tests' (nox -s tests)"),
        ("requirements:requirements/dev.txt", "requirements/dev.txt (pip install -r requirements"),
        ("pipfile:dev-packages", "the Pipfile's dev-packages (pipenv install --dev)"),
    ],
)
def test_an_optional_dependency_says_what_declares_it_and_how_to_install_that(
    section: str, hint: str
) -> None:
    """soupsieve declares bs4 only in hatch environments: "Install dev" named no tool."""
    facts = ProjectFacts(
        declared=(Declared("torch", section),), distributions={"torch": ("torch",)}
    )
    [suggestion] = review(Review(_run(missing_module("torch")), project=facts))
    assert suggestion.lesson == "optional-dependencies"
    assert f"only declared in {hint}" in suggestion.text


def test_a_package_declared_in_several_places_names_the_first_with_its_command() -> None:
    """soupsieve declares bs4 in four hatch environments: one command, the others named."""
    sections = ("hatch:docs", "hatch:dev", "extra:dev")
    facts = ProjectFacts(
        declared=tuple(Declared("torch", section) for section in sections),
        distributions={"torch": ("torch",)},
    )
    [suggestion] = review(Review(_run(missing_module("torch")), project=facts))
    assert (
        "only declared in the extra 'dev' (pip install '.[dev]') or the hatch environment 'dev' "
        "or the hatch environment 'docs', "
        "which this environment lacks: install that, or guard the import"
    ) in suggestion.text


def test_of_one_kind_the_section_named_for_tests_comes_first() -> None:
    """jinja2 declares trio in requirements/dev.txt and requirements/tests.txt: a test run's
    command is the tests file's."""
    sections = ("requirements:requirements/dev.txt", "requirements:requirements/tests.txt")
    facts = ProjectFacts(
        declared=tuple(Declared("trio", section) for section in sections),
        distributions={"trio": ("trio",)},
    )
    [suggestion] = review(Review(_run(missing_module("trio")), project=facts))
    assert (
        "only declared in requirements/tests.txt (pip install -r requirements/tests.txt) or "
        "requirements/dev.txt, which this environment lacks"
    ) in suggestion.text


def test_of_one_kind_the_section_named_after_the_package_comes_first() -> None:
    """polyfactory declares pydantic in its extras 'beanie', 'full', 'odmantic' and 'pydantic':
    the command to give is the extra 'pydantic', not the first by name; a section named for
    tests still comes before it (the near miss)."""
    sections = ("extra:beanie", "extra:full", "extra:pydantic", "group:pydantic")
    facts = ProjectFacts(
        declared=tuple(Declared("pydantic", section) for section in sections),
        distributions={"pydantic": ("pydantic",)},
    )
    [suggestion] = review(Review(_run(missing_module("pydantic")), project=facts))
    assert (
        "only declared in the extra 'pydantic' (pip install '.[pydantic]') or the extra 'beanie' "
        "or the extra 'full' or the dependency group 'pydantic', which"
    ) in suggestion.text
    tested = facts._replace(declared=(*facts.declared, Declared("pydantic", "extra:tests")))
    [suggestion] = review(Review(_run(missing_module("pydantic")), project=tested))
    assert (
        "only declared in the extra 'tests' (pip install '.[tests]') or the extra 'pydantic'"
        in (suggestion.text)
    )


@pytest.mark.parametrize(
    ("where", "advice"),
    [
        ("tests/util.py", 'guard the import with `torch = pytest.importorskip("torch")`'),
        ("tests/test_a.py", 'guard the import with `torch = pytest.importorskip("torch")`'),
        (
            "pkg/core.py",
            "have the tests that import pkg/core.py skip without it: "
            '`torch = pytest.importorskip("torch")` first',
        ),
    ],
)
def test_the_guard_goes_where_a_skip_can_be(where: str, advice: str) -> None:
    """A test module or helper can skip; the project's own module (soupsieve's css_match.py,
    importing bs4 at module level) cannot: its tests skip before importing it."""
    facts = ProjectFacts(
        declared=(Declared("torch", "extra:ml"),), distributions={"torch": ("torch",)}
    )
    failure = missing_module("torch")._replace(path=where, line=11)
    [suggestion] = review(Review(_run(failure), project=facts))
    assert advice in suggestion.text


def test_a_collected_module_is_test_code_whatever_its_name() -> None:
    """jsonpatch collects property_tests.py (`python_files`): its import can skip it."""
    facts = ProjectFacts(
        declared=(Declared("torch", "extra:ml"),), distributions={"torch": ("torch",)}
    )
    failure = missing_module("torch")._replace(nodeid="property_tests.py", path="property_tests.py")
    [suggestion] = review(Review(_run(failure), project=facts))
    assert 'guard the import with `torch = pytest.importorskip("torch")`' in suggestion.text


def _cannot_import(name: str, package: str, where: str) -> Failure:
    """`tests/test_a.py` failing to collect on `from <package> import <name>`."""
    message = f"ImportError: cannot import name '{name}' from '{package}' ({where})"
    return missing_module("x")._replace(exc_type="ImportError", message=message)


SITE = "/venv/lib/python3.11/site-packages"


@pytest.mark.parametrize(
    ("failure", "signature", "said"),
    [
        (
            _cannot_import("OrderedDict", "tests", "unknown location"),
            "module-name-clashes:namespace:tests",
            "found 'tests' as a namespace package (the project's tests/ holds no __init__.py",
        ),
        (
            _cannot_import("helper", "tests.support", "unknown location"),
            "module-name-clashes:namespace:tests.support",
            "the project's tests/support/ holds no __init__.py",
        ),
        (
            _cannot_import("VALUE", "tests", f"{SITE}/tests/__init__.py"),
            "module-name-clashes:shadowed:tests",
            f"'tests' was imported from {SITE}/tests/__init__.py, the top-level 'tests' package",
        ),
    ],
)
def test_a_project_package_found_as_something_else(
    failure: Failure, signature: str, said: str
) -> None:
    """jmespath's sdist lacks tests/__init__.py (`from tests import OrderedDict`); an installed
    distribution shipping a top-level `tests` shadows the project's."""
    facts = ProjectFacts(first_party=frozenset({"tests", "mypkg"}), roots={"tests": "."})
    [suggestion] = review(Review(_run(failure), project=facts))
    assert (suggestion.signature, suggestion.nodeid) == (signature, "tests/test_a.py")
    assert said in suggestion.text


@pytest.mark.parametrize(
    "failure",
    [
        _cannot_import("dumps", "yaml", f"{SITE}/yaml/__init__.py"),  # not the project's
        _cannot_import("VALUE", "tests", "/elsewhere/tests/__init__.py"),  # not surely installed
    ],
)
def test_a_package_not_surely_shadowed_is_left_to_the_other_signatures(failure: Failure) -> None:
    facts = ProjectFacts(first_party=frozenset({"tests"}))
    assert not any(
        s.lesson == "module-name-clashes" for s in review(Review(_run(failure), project=facts))
    )


def test_a_src_layout_package_imported_from_site_packages_is_not_shadowed() -> None:
    """pyperclip's tests import `HAS_DISPLAY`, which its own src/pyperclip lacks too: the
    installed package is the project's, so no other distribution shadows it."""
    failure = _cannot_import("HAS_DISPLAY", "pyperclip", f"{SITE}/pyperclip/__init__.py")
    facts = ProjectFacts(first_party=frozenset({"pyperclip"}), roots={"pyperclip": "src"})
    assert not any(
        s.lesson == "module-name-clashes" for s in review(Review(_run(failure), project=facts))
    )


def test_a_test_that_passed_only_when_rerun_is_flaky_one_that_failed_is_a_failure() -> None:
    results = (TestResult("t.py::test_flaky", "passed"), TestResult("t.py::test_broken", "failed"))
    reruns = {"t.py::test_flaky": 1, "t.py::test_broken": 2}
    suggestions = review(Review(_run(results=results), reruns=reruns))
    assert [(s.signature, s.nodeid) for s in suggestions] == [
        ("flaky-tests:reruns", "t.py::test_flaky")
    ]
    assert "passed only after one failed attempt" in suggestions[0].text


def test_first_party_and_stdlib_modules_are_not_dependency_problems() -> None:
    facts = ProjectFacts(first_party=frozenset({"mypkg"}))
    stdlib_api = Failure(
        "t.py::test",
        "call",
        "AttributeError",
        "AttributeError: module 'json' has no attribute 'foo'",
        "t.py",
        2,
    )
    # Not a dependency problem: only the last resort for any collection error speaks.
    [collect] = review(Review(_run(missing_module("mypkg.sub"), stdlib_api), project=facts))
    assert (collect.signature, collect.nodeid) == (
        "session-errors:collect:ModuleNotFoundError",
        "tests/test_a.py",
    )


def test_the_projects_own_package_missing_is_an_install_problem() -> None:
    """`No module named 'mypkg'` while collecting, mypkg being the project's own package: the
    project is not installed where the tests run (a src layout CI forgot to install)."""
    facts = ProjectFacts(first_party=frozenset({"mypkg"}), roots={"mypkg": "src"})
    other = missing_module("mypkg")._replace(nodeid="tests/test_b.py", path="tests/test_b.py")
    [suggestion] = review(Review(_run(missing_module("mypkg"), other), project=facts))
    assert suggestion.signature == "session-errors:project-not-importable:mypkg"
    assert suggestion.nodeid is None  # one for the run, however many modules failed
    assert "this project's own package" in suggestion.text
    assert "pip install -e ." in suggestion.text
    assert 'pythonpath = ["src"]' in suggestion.text
    flat = facts._replace(roots={"mypkg": "."})
    [suggestion] = review(Review(_run(missing_module("mypkg")), project=flat))
    assert 'pythonpath = ["."]' in suggestion.text
    unknown = facts._replace(roots={})
    [suggestion] = review(Review(_run(missing_module("mypkg")), project=unknown))
    assert "pythonpath" not in suggestion.text


def _call_failure(exc_type: str, message: str, traceback: str = "") -> Failure:
    return Failure("t.py::test_x", "call", exc_type, message, "t.py", 4, traceback=traceback)


def test_only_a_remote_service_is_a_network_resource() -> None:
    """A refused connection to the test's own server on this machine, or an assertion about a
    connection, is not a test needing the network; a remote host is."""
    local = _call_failure(
        "ConnectionRefusedError",
        "ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 8080)",
    )
    asserted = _call_failure(
        "AssertionError",
        "AssertionError: assert False",
        "ConnectionRefusedError: Connection refused",
    )
    remote = _call_failure(
        "requests.exceptions.ConnectionError",
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='pypi.org', port=443): "
        "Max retries exceeded",
    )
    found = review(Review(_run(local, asserted, remote)))
    assert [s.lesson for s in found] == ["external-resources"]
    assert "pypi.org" in found[0].text


def test_a_resolver_of_its_own_that_finds_no_name_is_a_network_resource() -> None:
    """aiodns' tests resolve google.com through c-ares, which words a failed lookup its own
    way (not getaddrinfo's "Name or service not known"); dnspython likewise. An assertion
    about such a message is still no network failure."""
    cares = _call_failure(
        "aiodns.error.DNSError", "aiodns.error.DNSError: (4, 'Domain name not found')"
    )
    dnspython = _call_failure(
        "dns.resolver.LifetimeTimeout",
        "dns.resolver.LifetimeTimeout: The resolution lifetime expired after 5.4 seconds",
    )._replace(nodeid="t.py::test_dnspython")
    asserted = _call_failure(
        "AssertionError", "AssertionError: assert 'Domain name not found' == 'ok'"
    )
    found = review(Review(_run(cares, dnspython, asserted)))
    assert [s.signature for s in found] == ["external-resources:network"] * 2
    assert "Domain name not found" in found[0].text


def _async_failure(nodeid: str = "t.py::test_x") -> Failure:
    """pytest's failure of an `async def` test no plugin ran (pytrace=False: no location)."""
    return Failure(
        nodeid,
        "call",
        "Failed",
        "async def functions are not natively supported.\nYou need to install a suitable "
        "plugin for your async framework, for example:\n  - anyio\n  - pytest-asyncio",
    )


def test_async_tests_without_their_plugin_are_one_suggestion_for_the_run() -> None:
    """aiodns declares no test dependencies: its `@pytest.mark.asyncio` tests all failed
    without pytest-asyncio. anyio installed (httpx brings it) runs only anyio's tests."""
    run = _run(_async_failure("t.py::test_a"), _async_failure("t.py::test_b"))
    [suggestion] = review(Review(run, project=ProjectFacts(versions={"anyio": "4.9.0"})))
    assert (suggestion.signature, suggestion.nodeid) == ("startup-plugins:async:no-plugin", None)
    assert "none that runs them (pytest-asyncio, pytest-trio" in suggestion.text
    assert "(anyio runs those marked `@pytest.mark.anyio`)" in suggestion.text
    assert "declare it with the test dependencies" in suggestion.text

    declared = ProjectFacts(declared=(Declared("pytest-asyncio", "group:dev", ">=1"),))
    [suggestion] = review(Review(run, project=declared))
    assert "The project declares pytest-asyncio in the dependency group 'dev'" in suggestion.text


def test_an_async_test_an_installed_plugin_did_not_take_lacks_its_marker() -> None:
    """pytest-asyncio in strict mode runs only marked tests: the test lacks the marker, the
    environment lacks nothing. The fixture's wording is pytest's other failure of the kind."""
    fixture = Failure(
        "t.py::test_y",
        "setup",
        "Failed",
        "'test_y' requested an async fixture 'client', with no plugin or hook that handled "
        "it. This is an error, as pytest does not natively support it.",
    )
    facts = ProjectFacts(versions={"pytest-asyncio": "1.2.0"})
    found = review(Review(_run(_async_failure(), fixture), project=facts))
    assert [(s.signature, s.nodeid) for s in found] == [
        ("startup-plugins:async:unmarked", "t.py::test_x"),
        ("startup-plugins:async:unmarked", "t.py::test_y"),
    ]
    assert "pytest-asyncio runs those marked `@pytest.mark.asyncio`" in found[0].text
    assert "Install" not in found[0].text


def test_the_interpreters_own_modules_are_no_package_to_bound() -> None:
    failure = _call_failure(
        "AttributeError", "AttributeError: module '__main__' has no attribute '__file__'"
    )
    assert [s.lesson for s in review(Review(_run(failure)))] == []


def test_a_changed_api_of_a_package_that_passed_before() -> None:
    failure = Failure(
        "t.py::test_api",
        "call",
        "TypeError",
        "TypeError: get() got an unexpected keyword argument 'stream'",
        "t.py",
        9,
        crash_path="/venv/lib/python3.11/site-packages/requests/api.py",
        crash_line=70,
    )
    facts = ProjectFacts(
        declared=(Declared("requests", "dependencies", ">=2"),), versions={"requests": "2.32.3"}
    )
    history = History(outcomes={"t.py::test_api": ("passed", "passed")})
    [suggestion] = review(Review(_run(failure), history=history, project=facts))
    assert suggestion.lesson == "version-pinning"
    assert suggestion.text.startswith("t.py:9: TypeError from the API of requests 2.32.3")
    assert "passed in earlier runs" in suggestion.text
    assert "it is declared as requests>=2" in suggestion.text
    assert "`requests>=2.32,<3`" in suggestion.text


def _unregistrable(hook: str, definition: str, arguments: str) -> Failure:
    """pluggy's words for a conftest hook naming arguments its specification lacks."""
    message = (
        f"PluginValidationError: Plugin '/r/tests/conftest.py' for hook '{hook}'\n"
        f"hookimpl definition: {hook}({definition})\n"
        f"Argument(s) {arguments} are declared in the hookimpl but can not be found in the "
        "hookspec"
    )
    return Failure("tests/conftest.py", "collect", "PluginValidationError", message)


@pytest.mark.parametrize(
    ("hook", "definition", "arguments", "replacement"),
    [
        ("pytest_ignore_collect", "path, config", "{'path'}", "collection_path"),
        ("pytest_report_header", "config, startdir", "{'startdir'}", "start_path"),
    ],
)
def test_a_hook_argument_pytest_9_removed_names_its_replacement(
    hook: str, definition: str, arguments: str, replacement: str
) -> None:
    [suggestion] = review(Review(_run(_unregistrable(hook, definition, arguments))))
    removed = arguments.strip("{}'")
    assert (suggestion.signature, suggestion.lesson) == (
        f"startup-plugins:removed:{hook}({removed})",
        "startup-plugins",
    )
    assert f"Take {replacement!r} instead" in suggestion.text


def test_a_removed_hook_argument_of_a_conftest_met_while_collecting() -> None:
    """A conftest below the initial ones is registered while pytest collects its folder: the
    error is that folder's, pluggy's lines in its traceback after pytest's "E   "."""
    traceback = (
        "E   pluggy._manager.PluginValidationError: Plugin '/r/tests/sub/conftest.py' for "
        "hook 'pytest_collect_file'\n"
        "E   hookimpl definition: pytest_collect_file(path, parent)\n"
        "E   Argument(s) {'path'} are declared in the hookimpl but can not be found in the "
        "hookspec"
    )
    failure = Failure(
        "tests/sub", "collect", "pluggy._manager.PluginValidationError", "Plugin ...", "", 0
    )._replace(traceback=traceback)
    [suggestion] = review(Review(_run(failure)))
    assert suggestion.signature == "startup-plugins:removed:pytest_collect_file(path)"
    assert "Take 'file_path' instead" in suggestion.text


def _deprecation(message: str, raised_in: str) -> Failure:
    """pytest's internal error for a deprecation warning that filterwarnings = error raised
    while plugins were configured."""
    return Failure(
        "<internal error>",
        "session",
        "pytest.PytestDeprecationWarning",
        f"pytest.PytestDeprecationWarning: {message}",
        crash_path=raised_in,
        crash_line=306,
        traceback=f"{raised_in}:306: in pytest_configure\nE   pytest.PytestDeprecationWarning: "
        f"{message}",
    )


def test_a_plugins_own_deprecation_names_the_plugin_and_its_setting() -> None:
    """pytest-asyncio warns that its loop scope option is unset: the project uses no
    deprecated pytest API, the plugin wants a setting."""
    message = 'The configuration option "asyncio_default_fixture_loop_scope" is unset.'
    where = "/venv/lib/python3.11/site-packages/pytest_asyncio/plugin.py"
    [suggestion] = review(Review(_run(_deprecation(message, where))))
    assert suggestion.signature == (
        "startup-plugins:plugin-deprecation:pytest_asyncio:asyncio_default_fixture_loop_scope"
    )
    assert "the plugin pytest_asyncio warns" in suggestion.text
    assert "Set 'asyncio_default_fixture_loop_scope' in the pytest configuration" in suggestion.text
    assert "default::pytest.PytestDeprecationWarning:pytest_asyncio" in suggestion.text
    assert "pytest API" not in suggestion.text
    assert "from elsewhere" not in suggestion.text  # nothing known of what the project declares


@pytest.mark.parametrize(("declared", "stray"), [("pytest-asyncio", False), ("pytest-cov", True)])
def test_a_plugin_the_project_does_not_declare_is_said_to_come_from_elsewhere(
    declared: str, stray: bool
) -> None:
    """pluggy, humanize and dateutil stopped on pytest-asyncio's warning in an environment
    that had it for another project."""
    message = 'The configuration option "asyncio_default_fixture_loop_scope" is unset.'
    where = "/venv/lib/python3.11/site-packages/pytest_asyncio/plugin.py"
    facts = ProjectFacts(
        declared=(Declared(declared, "group:test"),),
        distributions={"pytest_asyncio": ("pytest-asyncio",)},
    )
    [suggestion] = review(Review(_run(_deprecation(message, where)), project=facts))
    said = (
        "The project declares no 'pytest-asyncio': this environment has it from elsewhere. "
        "Uninstall it, or set 'asyncio_default_fixture_loop_scope'"
    )
    assert (said in suggestion.text) is stray


def test_a_deprecation_raised_inside_pytest_is_of_an_api_the_project_uses() -> None:
    message = "config.inicfg is deprecated, use config.getini() to access configuration values."
    where = "/venv/lib/python3.11/site-packages/_pytest/config/__init__.py"
    [suggestion] = review(Review(_run(_deprecation(message, where))))
    assert suggestion.signature == "startup-plugins:deprecated:PytestDeprecationWarning"
    assert "uses a pytest API this pytest deprecates" in suggestion.text


def test_a_misspelt_hook_argument_is_no_removed_one() -> None:
    """`paths` is not `path`: the removed-argument advice would be wrong."""
    failure = _unregistrable("pytest_ignore_collect", "paths, config", "{'paths'}")
    [suggestion] = review(Review(_run(failure)))
    assert (suggestion.signature, suggestion.lesson) == (
        "session-errors:hook-argument:pytest_ignore_collect",
        "session-errors",
    )


def test_coverage_drop_reads_the_metrics_snapshot() -> None:
    history = History(
        runs=tuple(PastRun(i, 0.0, 1.0, 0, cov, 0) for i, cov in enumerate((90.0, 93.0)))
    )
    metrics = MetricsSnapshot("monitoring/pytest_metrics.prom", coverage=92.5)
    assert review(Review(_run(), history=history, metrics=metrics)) == []
    metrics = MetricsSnapshot("monitoring/pytest_metrics.prom", coverage=92.1)
    assert review(Review(_run(coverage=85.0), history=history, metrics=metrics)) == []
    [drop] = review(Review(_run(coverage=91.0), history=history))
    assert drop.lesson == "coverage-regression"
    assert drop.nodeid is None
    assert "91.0% from 93.0%" in drop.text


@pytest.mark.parametrize(
    ("earlier", "now", "flaky"),
    [
        (("passed", "passed", "passed"), "failed", False),  # a regression, not a flake
        (("passed", "failed", "failed"), "failed", False),
        (("failed", "passed"), "failed", True),
        (("passed", "skipped", "failed", "skipped"), "passed", True),
    ],
)
def test_flaky_means_flipping_at_least_twice(
    earlier: tuple[str, ...], now: str, flaky: bool
) -> None:
    history = History(outcomes={"t.py::test_x": earlier})
    found = review(Review(_run(results=(TestResult("t.py::test_x", now),)), history=history))
    assert [s.lesson for s in found] == (["flaky-tests"] if flaky else [])


def test_the_same_inputs_give_the_same_suggestions() -> None:
    inputs = Review(_run(missing_module("numpy"), missing_module("numpy")))
    first = review(inputs)
    assert first == review(inputs)
    assert len(first) == 1  # one per (test, signature)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("password=hunter2 and more", "password=[REDACTED] and more"),
        ("assert token == expected", "assert token == expected"),
        ("tests/test_auth.py::test_token", "tests/test_auth.py::test_token"),
        ("{'api_key': 'a b c', 'n': 1}", "{'api_key': '[REDACTED]', 'n': 1}"),
        ("postgres://app:pw123@db/x", "postgres://app:[REDACTED]@db/x"),
        ("key " + "AKIA" + "ABCDEFGHIJKLMNOP", "key [REDACTED]"),
        ("KeyError: 'API_TOKEN'", "KeyError: 'API_TOKEN'"),
    ],
)
def test_redaction(text: str, kept: str) -> None:
    assert redact(text) == kept


def test_findings_with_the_same_text_in_one_file_keep_every_line() -> None:
    same = "writes 'out.txt' outside tmp_path"
    findings = (
        LintFinding("tests/test_io.py", 3, 5, "APT203", same),
        LintFinding("tests/test_io.py", 9, 5, "APT203", same),
        LintFinding("tests/test_other.py", 9, 5, "APT203", same),
    )
    suggestions = review(Review(Run("p", 0.0, 1.0, 1.0, 0, findings=findings)))
    texts = sorted(s.text for s in suggestions if s.source == "lint")
    assert len(texts) == 2
    assert texts[0].startswith("tests/test_io.py:3:5, 9:5: APT203 ")
    assert texts[1].startswith("tests/test_other.py:9:5: APT203 ")


def test_the_byline_names_the_test_the_text_does_not() -> None:
    """Parametrized cases of one function share its `path:line`: printed suggestions would be
    identical lines."""
    case = Suggestion("t.py:4: needs x", "flaky-tests", "s", "failure", nodeid="t.py::test_x[1]")
    assert case.byline == "lesson: apytest lesson flaky-tests; test: t.py::test_x[1]"
    named = case._replace(text="t.py::test_x[1] flipped", nodeid="t.py::test_x[1]")
    assert named.byline == "lesson: apytest lesson flaky-tests"


def test_a_session_that_left_hundreds_of_files_and_variables_names_a_few() -> None:
    """The text names five of each and counts the others; the signature stays short and the
    same for the same leftovers."""
    files = tuple(f"out_{n:04d}.txt" for n in range(500))
    env = tuple(sorted(f"LEAK_{n}" for n in range(200)))
    run = _run(workspace=Workspace(files, env, ""))
    by_lesson = {s.lesson: s for s in review(Review(run))}
    left, changed = by_lesson["tmp-path-isolation"], by_lesson["monkeypatch-isolation"]
    assert "the session left 500 new file(s)" in left.text
    assert "out_0005.txt" not in left.text
    assert left.signature == (
        "tmp-path-isolation:files:out_0000.txt,out_0001.txt,out_0002.txt,out_0003.txt,"
        "out_0004.txt,+495"
    )
    assert changed.text.count("environment variable ") == 5
    assert "195 more environment variables" in changed.text
    assert changed.signature == f"monkeypatch-isolation:{','.join(env[:5])},+195"
    again = {s.lesson: s.signature for s in review(Review(run))}
    assert again == {
        "tmp-path-isolation": left.signature,
        "monkeypatch-isolation": changed.signature,
    }


@pytest.mark.parametrize(
    ("declared", "advice"),
    [
        (
            (Declared("pytest-asyncio", "extra:test"),),
            "The project declares pytest-asyncio in the extra 'test' (pip install '.[test]'), "
            "which this environment lacks: install that.",
        ),
        ((), "Declare the plugin with the test dependencies"),
        # A plugin the project's runtime needs: not an optional part to install on its own.
        ((Declared("pytest-asyncio", "dependencies"),), "Declare the plugin"),
    ],
)
def test_a_missing_plugin_is_installed_from_where_the_project_declares_it(
    declared: tuple[Declared, ...], advice: str
) -> None:
    failure = Failure(
        "tests/test_a.py", "collect", "Failed", "Unknown pytest.mark.asyncio", "tests/test_a.py", 3
    )
    [suggestion] = review(Review(_run(failure), project=ProjectFacts(declared=declared)))
    assert suggestion.signature == "startup-plugins:marker:asyncio"
    assert advice in suggestion.text


def test_a_dependencys_optional_part_the_project_does_not_declare() -> None:
    failure = Failure(
        "tests/test_a.py::test_sign",
        "call",
        "AttributeError",
        "AttributeError: module 'jwt.algorithms' has no attribute 'hashes'",
        "tests/test_a.py",
        5,
    )
    facts = ProjectFacts(
        distributions={"jwt.algorithms": ("pyjwt",), "cryptography": ("cryptography",)},
        guarded={"jwt.algorithms.hashes": "cryptography"},
    )
    [suggestion] = review(Review(_run(failure), project=facts))
    assert suggestion.signature == "optional-dependencies:cryptography"
    assert "Install 'cryptography' where the tests run (often an extra of 'pyjwt')" in (
        suggestion.text
    )


def test_an_extra_named_like_a_secret_survives_redaction() -> None:
    """oauthlib's extra 'signedtoken' before `: install that.` read as a key and its value."""
    failure = Failure(
        "tests/test_a.py", "collect", "Failed", "Unknown pytest.mark.asyncio", "tests/test_a.py", 3
    )
    facts = ProjectFacts(declared=(Declared("pytest-asyncio", "extra:signedtoken"),))
    [suggestion] = review(Review(_run(failure), project=facts))
    assert redact(suggestion.text) == suggestion.text


@pytest.mark.parametrize(
    ("message", "facts", "said"),
    [
        (
            "Do `pip install validators[crypto-eth-addresses]` to perform `eth_address` "
            "validation.",
            ProjectFacts(first_party=frozenset({"validators"})),
            "'validators[crypto-eth-addresses]', which this environment does not have; it is "
            "the project's own extra 'crypto-eth-addresses': install it (pip install "
            "'.[crypto-eth-addresses]').",
        ),
        (
            "Missing optional dependency 'xlrd'. Use pip or conda to install xlrd.",
            ProjectFacts(declared=(Declared("xlrd", "extra:excel"),)),
            "the project declares it in the extra 'excel' (pip install '.[excel]'): install that.",
        ),
        (
            "Missing optional dependency 'xlrd'. Use pip or conda to install xlrd.",
            ProjectFacts(),
            "install it where the tests run and declare it with the test requirements",
        ),
        (  # TD2: pytransform3d's mesh loader
            "Could not load mesh from 'test/test_data/cone.stl'. Please install one of the "
            "optional dependencies 'trimesh' or 'open3d'.",
            ProjectFacts(declared=(Declared("trimesh", "extra:all"),)),
            "lacks, 'trimesh', which this environment does not have; the project declares it "
            "in the extra 'all' (pip install '.[all]'): install that.",
        ),
    ],
)
def test_an_optional_dependency_a_package_says_it_lacks(
    message: str, facts: ProjectFacts, said: str
) -> None:
    """validators raises ImportError naming the extra to install: it got no suggestion."""
    failure = Failure(
        "tests/test_a.py::test_x", "call", "ImportError", f"ImportError: {message}", "lib.py", 9
    )
    [suggestion] = review(Review(_run(failure), project=facts))
    assert suggestion.lesson == "optional-dependencies"
    assert suggestion.nodeid is None
    assert said in suggestion.text


def test_an_import_error_naming_no_optional_dependency_is_not_announced() -> None:
    """The near miss of TD2: an ImportError that says "optional dependencies" but quotes no
    package name tells nothing to install."""
    failure = Failure(
        "tests/test_a.py::test_x",
        "call",
        "ImportError",
        "ImportError: Please install the optional dependencies of the mesh loader.",
        "lib.py",
        9,
    )
    assert review(Review(_run(failure))) == []


def _recursion(name: str) -> Failure:
    return Failure(
        "tests/test_a.py::test_get",
        "setup",
        "",
        f"recursive dependency involving fixture '{name}' detected",
        "tests/conftest.py",
        34,
    )


def test_a_fixture_requesting_itself_is_a_name_clash() -> None:
    [suggestion] = review(Review(_run(_recursion("database"))))
    assert suggestion.signature == "fixture-name-clashes:database"
    assert suggestion.nodeid == "tests/test_a.py::test_get"


def test_a_fixture_wrapping_a_missing_plugins_fixture_names_the_plugin() -> None:
    """requests' conftest wraps pytest-httpbin's `httpbin`: without the plugin pytest says
    the fixture requests itself, and "rename one of the two fixtures" was the wrong advice."""
    facts = ProjectFacts(declared=(Declared("pytest-httpbin", "group:test"),))
    [suggestion] = review(Review(_run(_recursion("httpbin")), project=facts))
    assert (suggestion.signature, suggestion.nodeid) == ("fixture-not-found:httpbin", None)
    assert "wraps the fixture of the same name of pytest-httpbin, which is not installed" in (
        suggestion.text
    )
    assert "the dependency group 'test' (pip install --group test)" in suggestion.text


def test_another_distribution_of_the_projects_namespace_package() -> None:
    """zope.interface's tests import zope.testing: `zope` is first-party, zope.testing is a
    declared test dependency, not a module of the project gone missing."""
    facts = ProjectFacts(
        declared=(Declared("zope-testing", "extra:test"),),
        distributions={"zope.testing": ("zope-testing",)},
        first_party=frozenset({"zope"}),
    )
    [suggestion] = review(Review(_run(missing_module("zope.testing")), project=facts))
    assert suggestion.signature == "optional-dependencies:zope-testing"
    assert "only declared in the extra 'test'" in suggestion.text


def test_a_fixture_pytest_gained_later_on_an_older_pytest() -> None:
    """referencing's tests request `subtests` (pytest's own since 9, pytest-subtests' before)
    and declare pytest-subtests: on pytest 8 without it, "move its definition into a conftest"
    was the wrong advice, 296 times."""
    failure = Failure(
        "tests/test_a.py::test_x", "setup", "", "fixture 'subtests' not found", "tests/test_a.py", 3
    )
    facts = ProjectFacts(declared=(Declared("pytest-subtests", "requirements:test.in"),))
    [suggestion] = review(Review(_run(failure), project=facts))
    assert (suggestion.signature, suggestion.nodeid) == ("fixture-not-found:subtests", None)
    assert "built into newer pytest releases" in suggestion.text
    assert "came from pytest-subtests, which the project declares in test.in" in suggestion.text
    assert "Upgrade pytest, or install pytest-subtests." in suggestion.text


def test_a_test_module_a_conftest_imports_is_no_place_for_a_fixture() -> None:
    """polyfactory's sqlalchemy_factory/conftest.py imports its test_example_4.py, which imports
    sqlalchemy: the error is the folder's, the import in the test module, and "move the import
    into the fixtures" was advice for a conftest. The near miss: the same frames in a test's
    setup are a fixture of the conftest running, where a skip works."""
    facts = ProjectFacts(
        declared=(Declared("sqlalchemy", "extra:sqlalchemy"),),
        distributions={"sqlalchemy": ("sqlalchemy",)},
    )
    traceback = (
        "docs/sqla/conftest.py:5: in <module>\n"
        "    from docs.sqla.test_example_4 import BaseFactory\n"
        "docs/sqla/test_example_4.py:1: in <module>\n"
        "    from sqlalchemy import ForeignKey\n"
        "E   ModuleNotFoundError: No module named 'sqlalchemy'"
    )
    failure = missing_module("sqlalchemy")._replace(
        nodeid="docs/sqla", path="docs/sqla/test_example_4.py", line=1, traceback=traceback
    )
    [suggestion] = review(Review(_run(failure), project=facts))
    assert (
        'import it only where tests use it (`sqlalchemy = pytest.importorskip("sqlalchemy")` '
        "inside them): docs/sqla/test_example_4.py runs while pytest loads docs/sqla/conftest.py"
    ) in suggestion.text
    fixture = failure._replace(nodeid="docs/sqla/test_example_4.py::test_x", when="setup")
    [suggestion] = review(Review(_run(fixture), project=facts))
    assert "guard the import with `sqlalchemy = pytest.importorskip(" in suggestion.text


def test_a_package_init_imported_while_a_conftest_loads_cannot_skip() -> None:
    """cattrs' tests/__init__.py imports hypothesis; pytest imports it loading the conftest:
    "guard the import so the module skips" cannot work there."""
    facts = ProjectFacts(
        declared=(Declared("hypothesis", "group:test"),),
        distributions={"hypothesis": ("hypothesis",)},
    )
    failure = missing_module("hypothesis")._replace(
        nodeid="tests/conftest.py", path="tests/__init__.py"
    )
    [suggestion] = review(Review(_run(failure), project=facts))
    assert "tests/__init__.py runs while pytest loads tests/conftest.py" in suggestion.text
    assert "so the module skips" not in suggestion.text


def test_a_function_import_in_a_long_traceback_is_the_dotted_distribution_declared() -> None:
    """yamale's `_ruamel` imports `from ruamel.yaml import YAML` when a test calls it; pytest's
    long traceback marks that line with ">", which hid the dotted import: "declares 'ruamel'
    nowhere" was false (its extra 'ruamel' declares ruamel.yaml), and "at module level" too."""
    facts = ProjectFacts(
        declared=(Declared("ruamel-yaml", "extra:ruamel"),),
        distributions={"ruamel.yaml": ("ruamel-yaml",), "ruamel": ("ruamel",)},
    )
    failure = missing_module("ruamel")._replace(
        nodeid="yamale/readers/tests/test_yaml.py::test_parse",
        when="call",
        path="yamale/readers/yaml_reader.py",
        traceback="    def _ruamel(f):\n>       from ruamel.yaml import YAML\n"
        "E       ModuleNotFoundError: No module named 'ruamel'",
    )
    [suggestion] = review(Review(_run(failure), project=facts))
    assert suggestion.signature == "optional-dependencies:ruamel-yaml"
    assert "imports 'ruamel.yaml', but 'ruamel-yaml' is only declared in the extra 'ruamel'" in (
        suggestion.text
    )


_PYTEST_OWN_FRAMES = (
    "../venv/lib/python3.11/site-packages/_pytest/runner.py:385: in pytest_runtest_makereport\n"
    "    return TestReport.from_item_and_call(item, call)\n"
    "../venv/lib/python3.11/site-packages/_pytest/python.py:1840: in repr_failure\n"
    "    return self._repr_failure_py(excinfo, style=style)\n"
    "../venv/lib/python3.11/site-packages/pluggy/_manager.py:183: in _hookexec\n"
    "    return self._inner_hookexec(hook_name, methods, kwargs, firstresult)\n"
    "/usr/lib/python3.11/traceback.py:413: in _extract_from_extended_frame_gen\n"
    "    for f, (lineno, end_lineno, colno, end_colno) in frame_gen:\n"
)


@pytest.mark.parametrize(
    ("extra_frame", "signature"),
    [
        ("", "internal:pytest"),
        ("conftest.py:12: in pytest_runtest_makereport\n    raise StopIteration\n", "internal"),
        (
            "../venv/lib/python3.11/site-packages/pytest_pretty/__init__.py:40: in "
            "pytest_runtest_logreport\n    report.longrepr\n",
            "internal",
        ),
    ],
)
def test_an_internal_error_of_pytests_own_code_names_no_hook_to_fix(
    extra_frame: str, signature: str
) -> None:
    """pydantic-settings: pytest's `repr_failure` fails in `traceback.extract_tb` on a failing
    docs example; every frame is pytest's, pluggy's or Python's, so "fix the hook of the
    conftest or plugin the traceback names" names nothing. A conftest's or a plugin's frame
    keeps that advice."""
    failure = Failure(
        "<internal error>",
        "session",
        "RuntimeError",
        "RuntimeError: generator raised StopIteration",
        crash_path="/usr/lib/python3.11/traceback.py",
        crash_line=413,
        traceback=extra_frame + _PYTEST_OWN_FRAMES + "E   RuntimeError: generator raised",
    )
    [suggestion] = review(Review(_run(failure)))
    assert suggestion.signature == f"session-errors:{signature}"
    own = signature.endswith(":pytest")
    assert ("no conftest or plugin hook is there to fix" in suggestion.text) is own
    assert ("while it formatted a test's failure" in suggestion.text) is own
    assert ("fix the hook of the conftest or plugin" in suggestion.text) is not own


@pytest.mark.parametrize(
    ("path", "said"),
    [("docs/index.md", "run the code of docs/index.md"), ("pkg/io.py", "import pkg/io.py")],
)
def test_a_missing_module_in_a_documents_example_is_not_imported_by_tests(
    path: str, said: str
) -> None:
    """pydantic-settings' test runs the examples of docs/index.md: no test imports a Markdown
    file. The project's own module keeps "the tests that import" it."""
    failure = Failure(
        "tests/test_docs.py::test_docs_examples[docs/index.md:2836-2879]",
        "call",
        "ModuleNotFoundError",
        "ModuleNotFoundError: No module named 'boltons'",
        path,
        2839,
        traceback=">   import boltons\nE   ModuleNotFoundError: No module named 'boltons'",
    )
    project = ProjectFacts(declared=(Declared("boltons", "extra:utils"),))
    [suggestion] = review(Review(_run(failure), project=project))
    assert f"have the tests that {said} skip without it" in suggestion.text
    assert "at module level" not in suggestion.text
