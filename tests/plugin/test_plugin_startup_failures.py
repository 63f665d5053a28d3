"""Sessions that a missing plugin or a deprecated API ends before a test runs are remembered
with the lesson startup-plugins, and pytest's outcome and exit status stay its own.

Each case is a real pytest session in a subprocess (the matrix runs it on pytest 7.4 and 8 too):
pytest's exit status with apytest must be the one without it, the run log must hold pytest's
reason, and the memory the failure with its startup-plugins signature. Where pytest fails before
any plugin of an entry point is loaded (pytest 9 imports the ``filterwarnings`` categories while
it loads plugins), apytest cannot see the failure, and the case says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

import pytest

from apytest.feedback import corpus_memory_logging as memory_api

PYTEST_MAJOR = int(pytest.__version__.split(".")[0])
OK = "def test_ok():\n    pass\n"


class Case(NamedTuple):
    pyproject: str
    files: dict[str, str]
    nodeid: str
    reason: str
    """pytest's words for it, in the run log and the stored failure."""
    signature: str
    seen: bool = True
    """Whether apytest can see the failure on this pytest."""
    args: tuple[str, ...] = ()


def ini(body: str) -> str:
    return f"[tool.pytest.ini_options]\n{body}"


CASES = {
    "option": Case(
        ini('addopts = "-ra --timeout=30"\n'),
        {"test_a.py": OK},
        "pyproject.toml",
        "unrecognized arguments: --timeout=30",
        "startup-plugins:option:--timeout",
    ),
    "strict ini key": Case(
        ini('addopts = ["--strict-config"]\ntimeout = 30\n'),
        {"test_a.py": OK},
        "pyproject.toml",
        "Unknown config option: timeout",
        "startup-plugins:ini:timeout",
    ),
    "ini key as error": Case(
        ini('filterwarnings = ["error"]\ntimeout = 30\n'),
        {"test_a.py": OK},
        "<internal error>",
        "Unknown config option: timeout",
        "startup-plugins:ini:timeout",
    ),
    "strict marker": Case(
        ini('addopts = ["--strict-markers"]\n'),
        {"test_a.py": "import pytest\n\n@pytest.mark.timeout(5)\n" + OK},
        "test_a.py",
        "'timeout' not found in `markers` configuration option",
        "startup-plugins:marker:timeout",
    ),
    "marker as error": Case(
        ini('filterwarnings = ["error"]\n'),
        {"test_a.py": "import pytest\n\n@pytest.mark.asyncio\n" + OK},
        "test_a.py",
        "Unknown pytest.mark.asyncio",
        "startup-plugins:marker:asyncio",
    ),
    "warning category": Case(
        ini('filterwarnings = ["error", "ignore::apytest_absent.SomeWarning"]\n'),
        {"test_a.py": OK},
        "pyproject.toml",
        "No module named 'apytest_absent'",
        "startup-plugins:warning-category:apytest_absent",
        seen=PYTEST_MAJOR < 9,
    ),
    "deprecated API in a conftest": Case(
        ini('filterwarnings = ["error"]\n'),
        {"conftest.py": "def pytest_configure(config):\n    config.inicfg\n", "test_a.py": OK},
        "<internal error>",
        "config.inicfg is deprecated",
        "startup-plugins:deprecated:PytestRemovedIn10Warning",
        seen=PYTEST_MAJOR >= 9,
    ),
    "deprecated API in an earlier plugin": Case(
        # A -p plugin is registered before apytest, so its pytest_configure runs after apytest's.
        ini('filterwarnings = ["error"]\n'),
        {"inicfg_plugin.py": "def pytest_configure(config):\n    config.inicfg\n", "test_a.py": OK},
        "<internal error>",
        "config.inicfg is deprecated",
        "startup-plugins:deprecated:PytestRemovedIn10Warning",
        seen=PYTEST_MAJOR >= 9,
        args=("-p", "inicfg_plugin"),
    ),
    "deprecated API in a module": Case(
        ini('filterwarnings = ["error"]\n'),
        {
            "test_a.py": "import pytest\n\n@pytest.mark.parametrize('x', iter([1]))\n"
            "def test_x(x):\n    pass\n"
        },
        "test_a.py",
        "non-Collection iterable",
        "startup-plugins:deprecated:PytestRemovedIn10Warning",
        seen=PYTEST_MAJOR >= 9,
    ),
    "a plugin's own deprecation": Case(
        # An installed plugin (a package under a site-packages folder) that warns about its own
        # setting while configured: pytest 9 turns it into an error under filterwarnings.
        ini('pythonpath = ["site-packages"]\nfilterwarnings = ["error"]\n'),
        {
            "site-packages/warnplug/__init__.py": "",
            "site-packages/warnplug/plugin.py": "import warnings\n\nimport pytest\n\n\n"
            "def pytest_configure(config):\n    warnings.warn(pytest.PytestDeprecationWarning("
            "'The configuration option \"warnplug_scope\" is unset.'))\n",
            "conftest.py": 'pytest_plugins = ["warnplug.plugin"]\n',
            "test_a.py": OK,
        },
        "<internal error>",
        'The configuration option "warnplug_scope" is unset.',
        "startup-plugins:plugin-deprecation:warnplug:warnplug_scope",
        seen=PYTEST_MAJOR >= 9,
    ),
    "removed hook argument": Case(
        ini(""),
        {
            "conftest.py": "def pytest_ignore_collect(path, config):\n    return None\n",
            "test_a.py": OK,
        },
        "conftest.py",
        "Argument(s) {'path'} are declared in the hookimpl but can not be found in the hookspec",
        "startup-plugins:removed:pytest_ignore_collect(path)",
        seen=PYTEST_MAJOR >= 9,  # before 9 a deprecation warning, an error only if filtered so
    ),
    "removed hook": Case(
        ini(""),
        {"conftest.py": "def pytest_namespace():\n    return {}\n", "test_a.py": OK},
        "<internal error>",
        "unknown hook 'pytest_namespace'",
        "startup-plugins:removed-hook:pytest_namespace",
    ),
    "a plugin's hook without the plugin": Case(
        ini(""),
        {"conftest.py": "def pytest_made_up_node(node):\n    pass\n", "test_a.py": OK},
        "<internal error>",
        "unknown hook 'pytest_made_up_node'",
        "startup-plugins:unknown-hook:pytest_made_up_node",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_a_failed_start_is_remembered_with_its_lesson(
    pytester: pytest.Pytester, write_tree: Callable[..., object], name: str
) -> None:
    case = CASES[name]
    write_tree(pytester.path, {"pyproject.toml": case.pyproject, **case.files})
    without = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-p", "no:apytest", *case.args
    )
    assert without.ret != pytest.ExitCode.OK or not case.seen, without.stdout.str()
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *case.args)
    assert result.ret == without.ret, result.stdout.str() + result.stderr.str()

    memory = pytester.path / ".apytest" / "memory.sqlite3"
    if not case.seen:
        return  # pytest stopped before apytest was loaded (or did not stop at all)
    log = (pytester.path / "logs" / "pytest.log").read_text()
    record = log.split(f" ERROR    {case.nodeid} [", 1)[1]
    assert case.reason in record
    assert f"exit status: {int(result.ret)}" in log
    [failure] = [f.failure for f in memory_api.recorded_failures(memory=memory)]
    assert failure.nodeid == case.nodeid
    assert case.reason in f"{failure.message}\n{failure.traceback}"
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert (suggestion.signature, suggestion.lesson) == (case.signature, "startup-plugins")
    [run] = memory_api.runs(memory=memory)
    assert run.exit_status == int(result.ret)


@pytest.mark.slow
def test_a_typo_marker_keeps_its_own_lesson(
    pytester: pytest.Pytester, write_tree: Callable[..., object]
) -> None:
    """A marker no plugin registers is a typo or a marker to register: session-errors."""
    write_tree(
        pytester.path,
        {
            "pyproject.toml": ini('addopts = ["--strict-markers"]\n'),
            "test_a.py": "import pytest\n\n@pytest.mark.slowish\n" + OK,
        },
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert (suggestion.signature, suggestion.lesson) == (
        "session-errors:marker:slowish",
        "session-errors",
    )


@pytest.mark.slow
def test_an_option_no_plugin_knows_is_a_typo_not_a_missing_plugin(
    pytester: pytest.Pytester, write_tree: Callable[..., object]
) -> None:
    """`--maxfial` is no plugin's option: the advice is to check its spelling."""
    write_tree(pytester.path, {"pyproject.toml": ini('addopts = "--maxfial=1"\n'), "test_a.py": OK})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert (suggestion.signature, suggestion.lesson) == (
        "session-errors:option:--maxfial",
        "session-errors",
    )
    assert "neither pytest nor a plugin loaded here knows" in suggestion.text
    assert "an option of" not in suggestion.text


@pytest.mark.slow
def test_a_failed_start_shows_its_new_suggestions_on_stderr(pytester: pytest.Pytester) -> None:
    """pytest prints no terminal summary when a conftest fails to import: the suggestion the
    session brought would only be stored. It is printed on stderr, once (then seen before)."""
    pytester.makeconftest("import apytest_not_installed_anywhere\n")
    pytester.makepyfile(test_a=OK)
    first = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert first.ret == pytest.ExitCode.USAGE_ERROR
    err = first.stderr.str()
    assert "apytest suggestions:" in err
    assert "conftest.py:1: imports 'apytest_not_installed_anywhere'" in err
    assert "lesson: apytest lesson dependency-registration" in err
    again = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert again.ret == pytest.ExitCode.USAGE_ERROR
    assert "apytest suggestions" not in again.stderr.str() + again.stdout.str()


@pytest.mark.slow
def test_a_conftest_hook_with_a_misspelt_argument_is_a_session_error(
    pytester: pytest.Pytester, write_tree: Callable[..., object]
) -> None:
    """pytest cannot register a hook naming an argument no pytest passes: it stops with the
    traceback (exit status 1) before any session. Recorded as that conftest's error; the
    advice is the session-errors one, for no pytest version had that argument."""
    conftest = "def pytest_ignore_collect(collection_pth, config):\n    return None\n"
    write_tree(pytester.path, {"pyproject.toml": ini(""), "conftest.py": conftest, "test_a.py": OK})
    without = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:apytest")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == without.ret == 1
    log = (pytester.path / "logs" / "pytest.log").read_text()
    assert "PluginValidationError" in log.split(" ERROR    conftest.py [collect]", 1)[1]
    assert "exit status: 1" in log
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [run] = memory_api.runs(memory=memory)
    assert (run.exit_status, run.tests, run.failed) == (1, 1, 1)
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert suggestion.signature == "session-errors:hook-argument:pytest_ignore_collect"
    assert "with 'collection_pth', which this pytest's" in suggestion.text
    metrics = (pytester.path / "monitoring" / "pytest_metrics.prom").read_text()
    assert re.search(r"^pytest_test_failures_total\{[^}]*\} 1\.0$", metrics, re.M)
    assert re.search(r"^pytest_session_exit_status\{[^}]*\} 1\.0$", metrics, re.M)


@pytest.mark.slow
def test_a_plugin_registered_twice_is_remembered_with_its_remedy(
    pytester: pytest.Pytester,
    write_tree: Callable[..., object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An installed plugin whose entry point registered its module under another name, which a
    conftest's `pytest_plugins` names again (pytest-lazy-fixtures' own suite): pluggy's
    ValueError ends pytest with the traceback, exit status 1, before any session. Recorded as
    the session's one error; the remedy it names is checked by pytest."""
    site = "site-packages"
    write_tree(
        pytester.path,
        {
            "pyproject.toml": ini(""),
            f"{site}/demoplug/__init__.py": "",
            f"{site}/demoplug/plugin.py": "import pytest\n\n@pytest.fixture\ndef lazy():\n"
            "    return 1\n",
            f"{site}/demoplug-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: demoplug\n"
            "Version: 1.0\n",
            f"{site}/demoplug-1.0.dist-info/entry_points.txt": "[pytest11]\n"
            "demo_entry = demoplug.plugin\n",
            "conftest.py": 'pytest_plugins = ["demoplug.plugin"]\n',
            "test_a.py": "def test_lazy(lazy):\n    assert lazy == 1\n",
        },
    )
    monkeypatch.setenv("PYTHONPATH", str(pytester.path / site))
    without = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:apytest")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == without.ret == 1
    assert "already registered under a different name" in result.stderr.str()
    log = (pytester.path / "logs" / "pytest.log").read_text()
    assert "ValueError: Plugin already registered" in log.split(" ERROR    pyproject.toml [", 1)[1]
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [run] = memory_api.runs(memory=memory)
    assert (run.exit_status, run.tests, run.failed) == (1, 1, 1)
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert (suggestion.signature, suggestion.lesson) == (
        "startup-plugins:registered-twice:demoplug.plugin",
        "startup-plugins",
    )
    assert "registered already, as 'demo_entry'" in suggestion.text
    assert "`-p no:demo_entry` in addopts" in suggestion.text
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:demo_entry").assert_outcomes(
        passed=1
    )


DECLARES_PLUGINS = """\
[project]
name = "demo"
version = "1"
[project.optional-dependencies]
test = ["pytest-timeout>=2"]
[dependency-groups]
dev = ["pytest-mock"]
[tool.pytest.ini_options]
addopts = "--timeout=30"
"""


@pytest.mark.slow
def test_a_plugin_the_project_declares_is_installed_from_where_it_is_declared(
    pytester: pytest.Pytester, write_tree: Callable[..., object]
) -> None:
    """markdown-it-py declares pytest-regressions in its extra `testing`: "declare it with the
    test requirements" was the wrong advice for an environment that did not install that."""
    write_tree(pytester.path, {"pyproject.toml": DECLARES_PLUGINS, "test_a.py": OK})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert suggestion.signature == "startup-plugins:option:--timeout"
    assert (
        "The project declares pytest-timeout in the extra 'test' (pip install '.[test]'), "
        "which this environment lacks: install that."
    ) in suggestion.text
    assert "Declare the plugin" not in suggestion.text


@pytest.mark.slow
def test_a_declared_plugins_missing_fixture_is_one_suggestion_for_the_run(
    pytester: pytest.Pytester, write_tree: Callable[..., object]
) -> None:
    uses_mocker = "def test_{0}(mocker):\n    pass\n"
    write_tree(
        pytester.path,
        {
            "pyproject.toml": DECLARES_PLUGINS.replace('addopts = "--timeout=30"\n', ""),
            "test_a.py": uses_mocker.format("a"),
            "test_b.py": uses_mocker.format("b"),
        },
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=2)
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert (suggestion.signature, suggestion.nodeid) == ("fixture-not-found:mocker", None)
    assert (
        "fixture 'mocker' is the fixture of pytest-mock, which the project declares in the "
        "dependency group 'dev' (pip install --group dev), but this environment lacks it"
    ) in suggestion.text
    assert "conftest" not in suggestion.text
    assert result.stdout.str().count("is the fixture of pytest-mock") == 1


@pytest.mark.slow
def test_a_conftest_wrapping_a_missing_plugins_fixture(
    pytester: pytest.Pytester, write_tree: Callable[..., object]
) -> None:
    write_tree(
        pytester.path,
        {
            "pyproject.toml": DECLARES_PLUGINS.replace("pytest-mock", "pytest-httpbin").replace(
                'addopts = "--timeout=30"\n', ""
            ),
            "conftest.py": "import pytest\n\n\n@pytest.fixture\n"
            "def httpbin(httpbin):\n    return httpbin.url\n",
            "test_a.py": "def test_get(httpbin):\n    pass\n",
        },
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(errors=1)
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert suggestion.signature == "fixture-not-found:httpbin"
    assert "The project declares pytest-httpbin in the dependency group 'dev'" in suggestion.text


@pytest.mark.slow
def test_a_test_module_exiting_while_imported(pytester: pytest.Pytester) -> None:
    """uncertainties' test_ulinalg.py calls `sys.exit()` when numpy is missing: pytest stops
    with an internal error; "fix the hook of the conftest or plugin" named the wrong place."""
    pytester.makepyfile(
        test_linalg="try:\n    import apytest_absent_numpy\nexcept ImportError:\n"
        "    import sys\n\n    sys.exit()\n\n\ndef test_x():\n    pass\n",
        test_other=OK,
    )
    without = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:apytest")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    if PYTEST_MAJOR < 8:  # pytest 7 reports a collection error: the missing import's advice
        assert result.ret == without.ret == pytest.ExitCode.INTERRUPTED
        assert suggestion.signature == "dependency-registration:apytest-absent-numpy"
        return
    assert result.ret == without.ret == pytest.ExitCode.INTERNAL_ERROR
    assert suggestion.signature == "session-errors:system-exit"
    assert suggestion.text.startswith(
        "test_linalg.py:6: test_linalg.py raises SystemExit (`sys.exit()`) while pytest imports it"
    )
    assert "allow_module_level=True" in suggestion.text


@pytest.mark.slow
def test_a_pytester_fixture_the_suite_never_enables(
    pytester: pytest.Pytester, write_tree: Callable[..., object]
) -> None:
    """pytest-icdiff's sdist leaves out the conftest that enabled `pytester`: its tests'
    `testdir` is pytest's own, not a definition to move ("Did you mean 'tmpdir'?" was false).
    The near miss: a fixture of that name nothing provides, once the suite enables pytester."""
    uses = "def test_{0}(testdir):\n    pass\n"
    write_tree(pytester.path, {"test_a.py": uses.format("a"), "test_b.py": uses.format("b")})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=2)
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert (suggestion.signature, suggestion.nodeid) == ("fixture-not-found:testdir", None)
    assert "pytest's own, from its `pytester` plugin" in suggestion.text
    assert "tmpdir" not in suggestion.text
    write_tree(pytester.path, {"conftest.py": 'pytest_plugins = ["pytester"]\n'})
    assert pytester.runpytest_subprocess("-p", "no:cacheprovider").ret == 0
