"""Real pytest sessions that fail in each recognised way; then what the memory holds and what
`apytest suggestions --format json` prints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback import trends
from apytest.feedback.records import Run, TestResult

FAILING_SUITE = {
    "test_optional.py": "import apytest_demo_mlpkg\n\ndef test_model():\n    pass\n",
    "test_undeclared.py": "import apytest_demo_nowhere\n\ndef test_x():\n    pass\n",
    "test_group.py": "import apytest_demo_docpkg\n\ndef test_docs():\n    pass\n",
    "a/test_utils.py": "def test_a():\n    pass\n",
    "b/test_utils.py": "def test_b():\n    pass\n",
    "conftest.py": "import pytest\n\n@pytest.fixture\ndef database():\n    return 1\n",
    "test_fixtures.py": (
        "def test_query(databse):\n    pass\n\ndef test_query_again(databse):\n    pass\n\n"
        "def test_mock(mocker):\n    pass\n\ndef test_mock_again(mocker):\n    pass\n"
    ),
    "test_resources.py": (
        "import os, socket, subprocess\n"
        "\n"
        "def test_binary():\n"
        "    subprocess.run(['apytest-no-such-binary', '--version'])\n"
        "\n"
        "def test_secret():\n"
        "    os.environ['DEMO_API_TOKEN']\n"
        "\n"
        "def test_network():\n"
        "    socket.create_connection(('127.0.0.1', 1), timeout=2)\n"
    ),
    "test_shapes.py": (
        "def test_broadcast():\n"
        "    raise ValueError('operands could not be broadcast together with shapes (3,) (4,)')\n"
    ),
    "test_pinning.py": (
        "import prometheus_client\n"
        "\n"
        "def test_old_api():\n"
        "    prometheus_client.start_the_old_server()\n"
    ),
    "test_isolation.py": (
        "import os\n"
        "\n"
        "def test_leaves_file():\n"
        "    with open('left_behind.txt', 'w') as out:\n"
        "        out.write('x')\n"
        "\n"
        "def test_leaks_env():\n"
        "    os.environ['APYTEST_DEMO_LEAK'] = 'changed'\n"
    ),
}


@pytest.fixture
def failed_session(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.RunResult:
    """FAILING_SUITE run once, in a subprocess: an in-process run would share ``sys.modules``
    with this session, where ``test_isolation`` already names apytest's own test module."""
    monkeypatch.setenv("APYTEST_DEMO_LEAK", "before")
    monkeypatch.delenv("DEMO_API_TOKEN", raising=False)
    for name, content in FAILING_SUITE.items():
        path = project.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return project.runpytest_subprocess("--continue-on-collection-errors")


def _by(suggestions: list[dict[str, object]], lesson: str) -> list[dict[str, object]]:
    return [s for s in suggestions if s["lesson"] == f"apytest lesson {lesson}"]


@pytest.mark.slow
def test_each_signature_gives_its_lesson(
    failed_session: pytest.RunResult,
    suggestions_json: Callable[[], list[dict[str, object]]],
) -> None:
    suggestions = suggestions_json()
    for s in suggestions:
        assert {"text", "lesson", "nodeid", "source", "count", "first_seen", "last_seen"} <= set(s)
        assert s["count"] == 1
    optional = _by(suggestions, "optional-dependencies")
    assert {(s["nodeid"], s["source"]) for s in optional} == {
        ("test_optional.py", "failure"),
        ("test_group.py", "failure"),
    }
    texts = {s["nodeid"]: str(s["text"]) for s in optional}
    assert texts["test_optional.py"].startswith("test_optional.py:1: imports 'apytest_demo_mlpkg'")
    assert "the extra 'ml'" in texts["test_optional.py"]
    assert 'pytest.importorskip("apytest_demo_mlpkg")' in texts["test_optional.py"]
    assert "the dependency group 'docs'" in texts["test_group.py"]

    [undeclared] = _by(suggestions, "dependency-registration")
    assert undeclared["nodeid"] == "test_undeclared.py"
    assert "declares 'apytest-demo-nowhere' nowhere" in str(undeclared["text"])

    [mismatch] = _by(suggestions, "module-name-clashes")
    assert mismatch["nodeid"] in {"a/test_utils.py", "b/test_utils.py"}
    assert "import file mismatch" in str(mismatch["text"])

    # A near name is each test's own typo: one suggestion per test. Without one the cause is the
    # fixture's (a plugin not installed, a conftest an sdist left out): one for the run.
    typos = {s["nodeid"]: s for s in _by(suggestions, "fixture-not-found") if s["nodeid"]}
    [plugin] = [s for s in _by(suggestions, "fixture-not-found") if s["nodeid"] is None]
    assert set(typos) == {"test_fixtures.py::test_query", "test_fixtures.py::test_query_again"}
    fixture = typos["test_fixtures.py::test_query"]
    assert "fixture 'databse'" in str(fixture["text"])
    assert "Did you mean 'database'?" in str(fixture["text"])
    # cron-descriptor's sdist lacks the conftest.py defining `options`: no definition to move.
    assert "if nothing defines it, restore the conftest.py that did" in str(fixture["text"])
    assert "It is the fixture of" not in str(fixture["text"])
    # pytest-mock is not installed here: its fixture is named with its plugin.
    assert str(plugin["text"]).startswith("test_fixtures.py:")
    assert "fixture 'mocker'" in str(plugin["text"])
    assert "It is the fixture of pytest-mock: if the tests mean that one" in str(plugin["text"])

    external = {s["nodeid"]: str(s["text"]) for s in _by(suggestions, "external-resources")}
    assert set(external) == {
        "test_resources.py::test_binary",
        "test_resources.py::test_secret",
        "test_resources.py::test_network",
    }
    assert 'shutil.which("apytest-no-such-binary")' in external["test_resources.py::test_binary"]
    assert "DEMO_API_TOKEN" in external["test_resources.py::test_secret"]
    assert "network" in external["test_resources.py::test_network"]

    [shape] = _by(suggestions, "input-validation")
    assert shape["nodeid"] == "test_shapes.py::test_broadcast"
    assert str(shape["text"]).startswith("test_shapes.py:2: ValueError: operands could not")

    [pinning] = _by(suggestions, "version-pinning")
    assert pinning["nodeid"] == "test_pinning.py::test_old_api"
    assert "prometheus-client" in str(pinning["text"])
    assert "without version bounds" in str(pinning["text"])

    [left] = _by(suggestions, "tmp-path-isolation")
    assert left["nodeid"] is None
    assert "left_behind.txt" in str(left["text"])
    [env] = _by(suggestions, "monkeypatch-isolation")
    assert "APYTEST_DEMO_LEAK" in str(env["text"])


@pytest.mark.slow
def test_the_memory_holds_the_run_and_its_failures(
    failed_session: pytest.RunResult, memory: Path
) -> None:
    [run] = memory_api.runs(memory=memory)
    assert run.project == "demo"
    assert run.exit_status == failed_session.ret == pytest.ExitCode.TESTS_FAILED
    # one of test_a/test_b (the other one's module clashes), test_leaves_file, test_leaks_env
    assert run.outcomes["passed"] == 3
    recorded = {r.failure.nodeid: r.failure for r in memory_api.recorded_failures(memory=memory)}
    missing = recorded["test_optional.py"]
    assert (missing.when, missing.exc_type) == ("collect", "ModuleNotFoundError")
    assert missing.message == "ModuleNotFoundError: No module named 'apytest_demo_mlpkg'"
    assert (missing.path, missing.line) == ("test_optional.py", 1)
    pinning = recorded["test_pinning.py::test_old_api"]
    assert pinning.exc_type == "AttributeError"
    assert (pinning.path, pinning.line) == ("test_pinning.py", 4)
    assert "start_the_old_server" in pinning.traceback
    assert recorded["test_fixtures.py::test_query"].when == "setup"


@pytest.mark.slow
def test_the_terminal_shows_new_suggestions_once(
    failed_session: pytest.RunResult, project: pytest.Pytester
) -> None:
    failed_session.stdout.fnmatch_lines(
        ["*= apytest suggestions =*", "- test_optional.py:1: imports 'apytest_demo_mlpkg'*"]
    )
    failed_session.stdout.fnmatch_lines(["apytest: * more new; all of them: apytest suggestions"])
    again = project.runpytest_subprocess("--continue-on-collection-errors")
    assert "apytest suggestions" not in again.stdout.str()
    assert again.ret == failed_session.ret


@pytest.mark.slow
def test_the_same_failure_again_counts_instead_of_adding(
    project: pytest.Pytester,
    memory: Path,
    suggestions_json: Callable[[], list[dict[str, object]]],
) -> None:
    project.makepyfile(test_shapes="def test_s():\n    raise ValueError('shape mismatch')\n")
    for _ in range(3):
        project.runpytest()
    [suggestion] = suggestions_json()
    assert suggestion["count"] == 3
    assert suggestion["nodeid"] == "test_shapes.py::test_s"
    first_seen, last_seen = suggestion["first_seen"], suggestion["last_seen"]
    assert isinstance(first_seen, str)
    assert isinstance(last_seen, str)
    assert first_seen <= last_seen
    assert suggestion["last_run"] == 3
    assert len(memory_api.runs(memory=memory)) == 3
    assert len(memory_api.recorded_failures(memory=memory)) == 3


def _seed(memory: Path, results: list[dict[str, tuple[str, float]]], duration: float) -> None:
    """Earlier runs of `demo`, each a {nodeid: (outcome, seconds)}."""
    for number, tests in enumerate(results):
        memory_api.log_run(
            Run(
                "demo",
                started_at=1000.0 + number,
                finished_at=1000.5 + number,
                duration=duration,
                exit_status=0,
                results=tuple(TestResult(n, o, d) for n, (o, d) in tests.items()),
                kind="full xdist=0",  # the kind of a plain `pytest` run: comparable
            ),
            memory=memory,
        )


@pytest.mark.slow
def test_history_finds_flaky_and_slower_tests_and_a_slower_session(
    project: pytest.Pytester,
    memory: Path,
    monkeypatch: pytest.MonkeyPatch,
    suggestions_json: Callable[[], list[dict[str, object]]],
) -> None:
    monkeypatch.setattr(trends, "SESSION_MIN_INCREASE", 0.3)
    flip, slow = "test_trend.py::test_flip", "test_trend.py::test_slow"
    _seed(
        memory,
        [
            {flip: ("passed", 0.0), slow: ("passed", 0.01)},
            {flip: ("failed", 0.0), slow: ("passed", 0.01)},
            {flip: ("passed", 0.0), slow: ("passed", 0.02)},
        ],
        duration=0.01,
    )
    project.makepyfile(
        test_trend="import time\n\ndef test_flip():\n    assert False\n\n"
        "def test_slow():\n    time.sleep(0.6)\n"
    )
    project.runpytest()
    found = {(s["lesson"], s["nodeid"]): str(s["text"]) for s in suggestions_json()}
    assert "PFPF" in found["apytest lesson flaky-tests", flip]
    assert "0.01s usually" in found["apytest lesson slow-suite", slow]
    assert "its average of 0.0s over the last 3 runs" in found["apytest lesson slow-suite", None]


@pytest.mark.slow
def test_an_optional_import_of_a_conftest_is_moved_into_its_fixture_not_skipped(
    project: pytest.Pytester,
    memory: Path,
    suggestions_json: Callable[[], list[dict[str, object]]],
) -> None:
    """A conftest importing a package of an extra that is not installed stops pytest (exit
    status 4). A module-level `importorskip` there would not skip: pytest stops with the
    Skipped exception's traceback. The advice is the fixture, and pytest judges it."""
    project.makeconftest("import apytest_demo_mlpkg\n")
    project.makepyfile(test_model="def test_model():\n    pass\n")
    assert project.runpytest_subprocess().ret == pytest.ExitCode.USAGE_ERROR
    [advice] = _by(suggestions_json(), "optional-dependencies")
    text = str(advice["text"])
    assert text.startswith("conftest.py:1: imports 'apytest_demo_mlpkg' at module level")
    assert "move the import into the fixtures that use it" in text
    assert 'pytest.importorskip("apytest_demo_mlpkg")' in text
    assert "so the module skips" not in text

    # The advice not given: pytest stops on the skip (with another status, 3 or 4, by version).
    project.makeconftest("import pytest\n\npytest.importorskip('apytest_demo_mlpkg')\n")
    stopped = project.runpytest_subprocess("-p", "no:apytest")
    assert stopped.ret not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED)
    # The advice given: only the tests of the fixture skip.
    project.makeconftest(
        "import pytest\n\n@pytest.fixture\ndef model():\n"
        "    return pytest.importorskip('apytest_demo_mlpkg')\n"
    )
    project.makepyfile(
        test_model="def test_model(model):\n    pass\n\ndef test_other():\n    pass\n"
    )
    project.runpytest_subprocess("-p", "no:apytest").assert_outcomes(passed=1, skipped=1)


@pytest.mark.slow
def test_xdist_workers_that_collect_different_tests_are_told_why(
    project: pytest.Pytester,
    memory: Path,
    suggestions_json: Callable[[], list[dict[str, object]]],
) -> None:
    """A parametrize whose ids differ per process stops xdist before any test: the advice names
    the workers and the cause, not a module that "could not be collected"."""
    pytest.importorskip("xdist")
    project.makepyfile(
        test_ids="import os, pytest\n\n@pytest.mark.parametrize('pid', [os.getpid()])\n"
        "def test_pid(pid):\n    pass\n"
    )
    result = project.runpytest_subprocess("-n", "2")
    result.stdout.fnmatch_lines(["*Different tests were collected between gw* and gw*"])
    [advice] = _by(suggestions_json(), "session-errors")
    text = str(advice["text"])
    assert text.startswith("the xdist workers gw")
    assert "collected different tests" in text
    assert "could not be collected" not in text


def test_a_missing_namespace_package_is_the_dotted_distribution_declared(
    pytester: pytest.Pytester,
    memory: Path,
    suggestions_json: Callable[[], list[dict[str, object]]],
) -> None:
    """`from apytestns.demo import x` without it fails with "No module named 'apytestns'": the
    namespace package has no distribution of its own, the extra declares `apytestns.demo`
    (as `ruamel.yaml`, `zope.interface`). That is an optional dependency, not one declared
    nowhere."""
    pytester.makepyprojecttoml(
        '[project]\nname = "nsdemo"\n\n[project.optional-dependencies]\n'
        'yaml = ["apytestns.demo>=1"]\n\n'
        '[tool.pytest.ini_options]\naddopts = ["-p", "no:cacheprovider"]\n'
    )
    pytester.makepyfile(
        test_ns="from apytestns.demo import load\n\n\ndef test_load():\n    assert load\n"
    )
    pytester.runpytest().assert_outcomes(errors=1)
    [advice] = suggestions_json()
    assert advice["lesson"] == "apytest lesson optional-dependencies"
    assert str(advice["text"]).startswith(
        "test_ns.py:1: imports 'apytestns.demo' at module level, but 'apytestns-demo' is only "
        "declared in the extra 'yaml'"
    )


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        pytest.param(
            "apytestrr-diagrams",
            "test_rr.py:1: imports 'apytestrr': no distribution the project declares is named "
            "after it, but 'apytestrr-diagrams', declared only in the extra 'diagrams' (pip "
            "install '.[diagrams]'), may provide it and is not installed here: install that, "
            'or guard the import with `apytestrr = pytest.importorskip("apytestrr")`',
            id="a declared name holds the import's as a word",
        ),
        pytest.param(
            "apytestrrdiagrams",
            "test_rr.py:1: imports 'apytestrr', but the project declares 'apytestrr' nowhere.",
            id="no declared name holds it",
        ),
    ],
)
def test_a_missing_module_a_declared_distribution_may_provide_is_not_declared_nowhere(
    pytester: pytest.Pytester,
    memory: Path,
    suggestions_json: Callable[[], list[dict[str, object]]],
    extra: str,
    expected: str,
) -> None:
    """pyparsing's diagram tests import `railroad`, which its extra `diagrams` declares as
    `railroad-diagrams`: no table knows that name, but the import's is a word of it (APT102's
    reason to stay silent). "Declared nowhere" was false; that extra may well provide it."""
    pytester.makepyprojecttoml(
        f'[project]\nname = "rrdemo"\n\n[project.optional-dependencies]\ndiagrams = ["{extra}"]\n'
    )
    pytester.makepyfile(test_rr="import apytestrr\n\n\ndef test_draw():\n    pass\n")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(errors=1)
    [advice] = suggestions_json()
    assert str(advice["text"]).startswith(expected)


def test_a_relative_import_in_a_folder_without_init_is_one_suggestion_for_the_folder(
    pytester: pytest.Pytester,
    memory: Path,
    suggestions_json: Callable[[], list[dict[str, object]]],
) -> None:
    """convertdate's sdist left out tests/__init__.py, which defines `CalTestCase`: every test
    module's `from . import CalTestCase` fails with "no known parent package". One suggestion
    naming the missing file, not "run --collect-only" per module; a folder that has its
    __init__.py (here `other/`, whose import fails otherwise) is not said to lack it."""
    pytester.makepyfile(
        **{
            "tests/test_a.py": "from . import CalTestCase\n\n\ndef test_a():\n    pass\n",
            "tests/test_b.py": "from .helpers import CalTestCase\n\n\ndef test_b():\n    pass\n",
            "other/__init__.py": "",
            "other/test_c.py": "from . import CalTestCase\n\n\ndef test_c():\n    pass\n",
        }
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(errors=3)
    clashes = _by(suggestions_json(), "module-name-clashes")
    assert [(s["nodeid"], s["text"]) for s in clashes] == [
        (
            None,
            "tests/test_a.py:1: `from . import CalTestCase` needs tests/ to be a package, but it "
            "holds no __init__.py, so pytest imported its test modules as top-level ones: "
            "restore tests/__init__.py (a checkout or an sdist may have left it out), or import "
            "absolutely.",
        )
    ]


@pytest.mark.parametrize(
    ("where", "said"),
    [
        pytest.param(
            "os.path.join(os.path.dirname(__file__), 'assets', 'list.txt')",
            "test_assets.py:4: could not be collected: it reads assets/list.txt, which this tree "
            "of the project lacks (a checkout or an sdist may have left it out: list it in "
            "MANIFEST.in or the build backend's sdist includes). None of its tests ran.",
            id="a file beside the module",
        ),
        pytest.param(
            "'/apytest-no-such-folder/list.txt'",
            "test_assets.py:4: could not be collected (raised at",
            id="a file outside the project's tree",
        ),
    ],
)
def test_a_module_reading_a_file_the_tree_lacks_while_collected(
    pytester: pytest.Pytester,
    memory: Path,
    suggestions_json: Callable[[], list[dict[str, object]]],
    where: str,
    said: str,
) -> None:
    """hjson's tests read tests/assets/testlist.txt while collected, and its sdist ships no
    assets: the file to restore, not "run --collect-only until it imports cleanly". A path
    outside the project's tree says nothing about the tree: the generic advice stays."""
    pytester.makepyfile(
        test_assets=f"import os\n\n\nNAMES = open({where}).read().split()\n\n\n"
        "def test_a():\n    pass\n"
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(errors=1)
    [advice] = suggestions_json()
    assert advice["lesson"] == "apytest lesson session-errors"
    assert str(advice["text"]).startswith(said)


def test_a_locale_the_machine_lacks_is_one_suggestion_for_the_run(
    pytester: pytest.Pytester,
    memory: Path,
    suggestions_json: Callable[[], list[dict[str, object]]],
) -> None:
    """natsort's conftest loads en_US.UTF-8 in a fixture; a runner without that locale errors
    59 tests with "unsupported locale setting" and got no suggestion. A locale.Error of other
    words (a test's own) is not said to be a missing locale."""
    pytester.makeconftest(
        "import locale\n\nimport pytest\n\n\n@pytest.fixture\ndef with_locale():\n"
        "    locale.setlocale(locale.LC_ALL, 'xx_APYTEST.UTF-8')\n"
    )
    pytester.makepyfile(
        test_sort="import locale\n\n\ndef test_a(with_locale):\n    pass\n\n\n"
        "def test_b(with_locale):\n    pass\n\n\n"
        "def test_own():\n    raise locale.Error('no such category')\n"
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(errors=2, failed=1)
    [advice] = _by(suggestions_json(), "external-resources")
    assert advice["nodeid"] is None
    assert str(advice["text"]).startswith(
        "conftest.py:8: needs the locale 'xx_APYTEST.UTF-8', which this machine has not "
        "generated "
        "(locale.Error: unsupported locale setting). Generate it where the tests run"
    )


def test_a_namespace_package_missing_in_a_tests_call_is_the_dotted_distribution_declared(
    pytester: pytest.Pytester,
    memory: Path,
    suggestions_json: Callable[[], list[dict[str, object]]],
) -> None:
    """The same import failing inside a test (pydantic-settings' docs examples importing
    `azure.identity`): pytest's long format marks the failing line with `>`, and the dotted
    import is still read there, not 'apytestns' "declared nowhere". A namespace package the
    project declares nowhere in any form stays dependency-registration."""
    pytester.makepyprojecttoml(
        '[project]\nname = "nsdemo"\n\n[project.optional-dependencies]\n'
        'yaml = ["apytestns.demo>=1"]\n\n'
        '[tool.pytest.ini_options]\naddopts = ["-p", "no:cacheprovider"]\n'
    )
    pytester.makepyfile(
        test_ns="def test_load():\n    from apytestns.demo import load\n\n    assert load\n\n\n"
        "def test_other():\n    from otherns.part import thing\n\n    assert thing\n"
    )
    pytester.runpytest().assert_outcomes(failed=2)
    declared, nowhere = sorted(suggestions_json(), key=lambda advice: str(advice["text"]))
    assert declared["lesson"] == "apytest lesson optional-dependencies"
    assert str(declared["text"]).startswith(
        "test_ns.py:2: imports 'apytestns.demo', but 'apytestns-demo' is only "
        "declared in the extra 'yaml'"
    )
    assert nowhere["lesson"] == "apytest lesson dependency-registration"
    assert "imports 'otherns.part', but the project declares 'otherns' nowhere" in str(
        nowhere["text"]
    )


def test_a_module_collected_for_its_doctests_is_left_out_not_guarded(
    pytester: pytest.Pytester,
    memory: Path,
    suggestions_json: Callable[[], list[dict[str, object]]],
) -> None:
    """`--doctest-modules` collects the project's own modules (simple-parsing's
    `hparams/priors.py`, whose module `__getattr__` imports numpy): no `pytest.importorskip`
    belongs there, and an import in a function is not "at module level". A test module
    importing the same package keeps its guard."""
    pytester.makepyprojecttoml(
        '[project]\nname = "docdemo"\n\n[project.optional-dependencies]\n'
        'ml = ["nodocdep"]\n\n'
        '[tool.pytest.ini_options]\naddopts = ["-p", "no:cacheprovider", "--doctest-modules"]\n'
    )
    pytester.mkpydir("docdemo").joinpath("lazy.py").write_text(
        "def __getattr__(name):\n    import nodocdep\n\n    return getattr(nodocdep, name)\n"
    )
    pytester.makepyfile(test_ml="import nodocdep\n\n\ndef test_ml():\n    assert nodocdep\n")
    pytester.runpytest().assert_outcomes(errors=3)  # test_ml.py: as a module and for doctests
    doctests, module = sorted(suggestions_json(), key=lambda advice: str(advice["text"]))
    assert str(doctests["text"]).startswith(
        "docdemo/lazy.py:2: imports 'nodocdep', but 'nodocdep' is only declared in the extra 'ml'"
    )
    assert "the project's own module pytest collects for its doctests" in str(doctests["text"])
    assert "importorskip" not in str(doctests["text"])
    assert str(module["text"]).startswith("test_ml.py:1: imports 'nodocdep' at module level")
    assert 'guard the import with `nodocdep = pytest.importorskip("nodocdep")`' in str(
        module["text"]
    )


def test_a_package_reading_a_plugins_config_attribute_needs_the_plugin_not_a_pin(
    pytester: pytest.Pytester,
    memory: Path,
    suggestions_json: Callable[[], list[dict[str, object]]],
) -> None:
    """`-p no:cacheprovider` removes `config.cache`, and a package that reads it (as
    pytest-xprocess does) raises AttributeError: nothing was released, the session switched
    off the plugin. No version-pinning, even after runs that passed."""
    pytester.makepyprojecttoml('[project]\nname = "cachedemo"\ndependencies = ["cachereader"]\n')
    packages = pytester.mkdir("lib").joinpath("site-packages")
    packages.mkdir()
    packages.joinpath("cachereader.py").write_text(
        "def remembered(config):\n    return config.cache.get('key', None)\n"
    )
    pytester.makeconftest(f"import sys\n\nsys.path.insert(0, {str(packages)!r})\n")
    pytester.makepyfile(
        test_cache="import cachereader\n\n\ndef test_remembers(request):\n"
        "    assert cachereader.remembered(request.config) is None\n"
    )
    pytester.runpytest().assert_outcomes(passed=1)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(failed=1)
    [advice] = suggestions_json()
    assert advice["lesson"] == "apytest lesson startup-plugins"
    assert advice["signature"] == "startup-plugins:disabled:cacheprovider"
    assert "`-p no:cacheprovider`" in str(advice["text"])
    assert "'cachereader' needs it" in str(advice["text"])


@pytest.mark.slow
def test_a_missing_program_the_tests_declare_is_installed_from_there(
    pytester: pytest.Pytester,
) -> None:
    """typeguard's tests run mypy, which its dependency group 'test' declares: "guard the test"
    alone missed that the environment did not install the group."""
    pytester.makepyprojecttoml(
        '[project]\nname = "demo"\nversion = "1"\n'
        '[dependency-groups]\ntest = ["apytest-demo-checker>=1"]\n'
    )
    pytester.makepyfile(
        test_types="import subprocess\n\n\ndef test_types():\n"
        "    subprocess.run(['apytest-demo-checker', 'positive.py'])\n"
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(failed=1)
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert suggestion.signature == "external-resources:binary:apytest-demo-checker"
    assert (
        "runs 'apytest-demo-checker', which is not installed here: the project declares "
        "'apytest-demo-checker' in the dependency group 'test' (pip install --group test), "
        "which this environment lacks. Install that, or guard the test with"
    ) in suggestion.text


@pytest.mark.slow
def test_an_optional_dependency_the_package_announces(pytester: pytest.Pytester) -> None:
    """The project's own code raises ImportError naming its extra (validators' eth_address):
    one suggestion for the run, however many tests met it, naming the extra's command."""
    pytester.makepyprojecttoml(
        '[project]\nname = "demo"\nversion = "1"\n'
        '[project.optional-dependencies]\nfast = ["apytest-absent-speedups"]\n'
    )
    pytester.makepyfile(
        **{
            "demo/__init__.py": "def speed():\n    raise ImportError("
            "'Do `pip install demo[fast]` to use speed().')\n",
            "test_speed.py": "import demo\n\n\ndef test_a():\n    demo.speed()\n\n\n"
            "def test_b():\n    demo.speed()\n",
        }
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(failed=2)
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert (suggestion.signature, suggestion.nodeid) == ("optional-dependencies:demo[fast]", None)
    assert "it is the project's own extra 'fast': install it (pip install '.[fast]')" in (
        suggestion.text
    )


@pytest.mark.slow
def test_async_tests_no_installed_plugin_runs(pytester: pytest.Pytester) -> None:
    """pytest fails an `async def` test no plugin takes: the review names the plugins it looked
    for as installed or not, read from the environment of the run."""
    pytester.makepyprojecttoml('[project]\nname = "demo"\nversion = "1"\n')
    pytester.makepyfile(
        test_io="import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:asyncio")
    result.assert_outcomes(failed=1)
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert suggestion.signature in {
        "startup-plugins:async:no-plugin",
        "startup-plugins:async:unmarked",  # pytest-asyncio installed, switched off here
    }
    assert "`async def`" in suggestion.text


@pytest.mark.slow
def test_a_helper_module_the_copy_of_the_project_lacks(pytester: pytest.Pytester) -> None:
    """An sdist that ships tests/test_conn.py without the tests/config.py it imports: a file
    to bring, not a module that fails to import (the generic collection error said only that)."""
    pytester.makepyprojecttoml('[project]\nname = "demo"\nversion = "1"\n')
    pytester.mkdir("tests")
    pytester.makepyfile(
        **{"tests/test_conn.py": "from tests.config import PROXY\n\n\ndef test_a():\n    pass\n"}
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "tests")
    result.assert_outcomes(errors=1)
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert suggestion.signature == "session-errors:absent:tests.config"
    assert "there is no tests/config.py, though its folder is here" in suggestion.text
