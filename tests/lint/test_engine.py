"""The engine: which files it reads, suppressions, per-file ignores, the cache and workers."""

from __future__ import annotations

import ast
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from apytest.lint.cache import CACHE_DIR
from apytest.lint.dependencies import installed_distributions
from apytest.lint.progress import Progress
from apytest.lint.runner import run_lint
from apytest.rules.support.astutil import FunctionNode

TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]
SHADOW = "import pytest\n\n@pytest.fixture\ndef tmp_path():\n    return 1\n"


def linted(root: Path, *paths: Path, **kwargs: object) -> list[str]:
    kwargs.setdefault("use_cache", False)
    result = run_lint(list(paths), root=root, **kwargs)  # type: ignore[arg-type]
    return [f.path for f in result.files]


def test_discovery_follows_pytest_settings(tmp_path: Path, write_tree: TreeWriter) -> None:
    """testpaths, python_files and norecursedirs (which replaces pytest's defaults) decide."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.pytest.ini_options]\ntestpaths = ['suite']\n"
                "python_files = ['check_*.py']\nnorecursedirs = ['skipme', '.*']\n"
            ),
            "suite/conftest.py": "",
            "suite/check_a.py": "",
            "suite/test_not_matching.py": "",
            "suite/skipme/check_b.py": "",
            "suite/.hidden/check_c.py": "",
            "suite/sub/check_d.py": "",
            "suite/venvlike/pyvenv.cfg": "",
            "suite/venvlike/check_e.py": "",
            "elsewhere/check_f.py": "",
        },
    )
    assert linted(tmp_path) == ["suite/conftest.py", "suite/check_a.py", "suite/sub/check_d.py"]


def test_ini_testpaths_are_split_as_a_shell_splits_them(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """pytest reads ``testpaths`` (an ``args`` ini value) with ``shlex.split``: quotes go."""
    write_tree(
        tmp_path,
        {
            "setup.cfg": '[tool:pytest]\ntestpaths = "pkg" "docs"\n',
            "pkg/test_a.py": "",
            "elsewhere/test_b.py": "",
        },
    )
    assert linted(tmp_path) == ["pkg/test_a.py"]


def test_testpaths_dot_is_the_root_and_an_absolute_one_stands_alone(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """``testpaths = .`` (AI1) is the root, as pytest's glob finds it; ``Path.glob`` raised
    IndexError on it, and NotImplementedError on an absolute pattern."""
    write_tree(
        tmp_path,
        {"pytest.ini": "[pytest]\ntestpaths = .\n", "tests/test_a.py": "", "test_b.py": ""},
    )
    assert linted(tmp_path) == ["test_b.py", "tests/test_a.py"]
    (tmp_path / "pytest.ini").write_text(f"[pytest]\ntestpaths = {tmp_path / 'tests'}\n")
    assert linted(tmp_path) == ["tests/test_a.py"]


def test_a_testpaths_file_of_another_kind_is_not_read_as_python(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """``testpaths = ["pkg", "README.rst"]`` (doctest-rst collects the README): the README is
    no module pytest imports, so neither a syntax error nor a module-name clash."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["pkg", "README.rst"]\n',
            "README.rst": "Usage\n=====\n\n>>> 1 + 1\n2\n",
            "pkg/tests/test_a.py": "",
        },
    )
    assert linted(tmp_path) == ["pkg/tests/test_a.py"]


def test_explicit_paths_win_and_bring_their_conftests(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "pytest.ini": "[pytest]\ntestpaths = other\n",
            "conftest.py": "",
            "tests/conftest.py": "",
            "tests/helpers_not_a_test.py": "",
            "tests/test_a.py": "",
        },
    )
    files = linted(tmp_path, tmp_path / "tests" / "helpers_not_a_test.py")
    assert files == ["conftest.py", "tests/conftest.py", "tests/helpers_not_a_test.py"]


def test_the_package_inits_over_test_modules_are_read_and_no_others(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """pytest imports the ``__init__.py`` of every package folder above a test module before
    its tests run (a folder without one between them too: the package's setup imports it);
    a package holding no test module is imported by no run, and neither the root nor the
    library package the tests sit in is a package of the suite's (the library's imports are
    its runtime's to bring)."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "",
            "__init__.py": "",
            "tests/__init__.py": "",
            "tests/unit/test_a.py": "",
            "tests/unit/data/__init__.py": "",
            "tests/helpers/__init__.py": "",
            "pkg/__init__.py": "",
            "pkg/tests/__init__.py": "",
            "pkg/tests/test_b.py": "",
        },
    )
    result = run_lint([], root=tmp_path, use_cache=False)
    assert [(f.path, f.kind) for f in result.files] == [
        ("pkg/tests/test_b.py", "test"),
        ("tests/unit/test_a.py", "test"),
        ("pkg/tests/__init__.py", "package"),
        ("tests/__init__.py", "package"),
    ]


def test_pytest_plugins_modules_are_linted(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "",
            "tests/conftest.py": "pytest_plugins = ['support.fixtures']\n",
            "support/__init__.py": "",
            "support/fixtures.py": SHADOW,
        },
    )
    result = run_lint([tmp_path / "tests"], root=tmp_path, select=["APT202"], use_cache=False)
    assert [(f.path, f.code) for f in result.findings] == [("support/fixtures.py", "APT202")]


def test_symlink_loop_terminates(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(tmp_path, {"pyproject.toml": "", "tests/test_a.py": ""})
    os.symlink(tmp_path / "tests", tmp_path / "tests" / "loop")
    assert linted(tmp_path) == ["tests/test_a.py"]


def test_exclude_setting(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "[tool.apytest]\nexclude = ['tests/legacy']\n",
            "tests/test_a.py": "",
            "tests/legacy/test_b.py": SHADOW,
        },
    )
    assert linted(tmp_path) == ["tests/test_a.py"]


def _collect_only(root: Path) -> subprocess.CompletedProcess[str]:
    """pytest's own collection of the project, without apytest: the judge of what it imports."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:apytest"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_files_addopts_ignore_are_not_linted_as_pytest_never_collects_them(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "setup.cfg": (
                "[tool:pytest]\naddopts =\n    --ignore=tests/_legacy/\n"
                "    --ignore-glob=*_py2.py\n    -ra\n"
            ),
            "tests/test_a.py": "def test_a():\n    pass\n",
            "tests/_legacy/test_b.py": "import nose\n",
            "tests/test_c_py2.py": "print 'python 2'\n",
        },
    )
    collected = _collect_only(tmp_path)
    assert collected.returncode == 0, collected.stdout  # pytest never imports the two others
    assert linted(tmp_path) == ["tests/test_a.py"]


@pytest.mark.slow
def test_files_a_conftest_surely_collect_ignores_are_not_linted_as_pytest_never_collects_them(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """A module-level ``collect_ignore`` (a vendored suite kept out of the run) and
    ``collect_ignore_glob``; an entry added under a condition, or a list rebound under one,
    may not hold, so those files are still linted."""
    write_tree(
        tmp_path,
        {
            "pytest.ini": "[pytest]\n",
            "conftest.py": (
                "import sys\n"
                "collect_ignore = ['pkg/_vendored', 'tests/manual_test.py']\n"
                "collect_ignore_glob = ['*_py2.py']\n"
                "if sys.version_info < (3, 0):\n"
                "    collect_ignore.append('tests/test_maybe.py')\n"
            ),
            "pkg/_vendored/tests/test_v.py": "import nose\n",
            "pkg/_vendored/tests/conftest.py": "import nose\n",
            "tests/manual_test.py": "import nose\n",
            "tests/test_c_py2.py": "print 'python 2'\n",
            "tests/test_maybe.py": "def test_m():\n    pass\n",
            "tests/test_a.py": "def test_a():\n    pass\n",
            "other/conftest.py": (
                "import os\ncollect_ignore = ['test_o.py']\n"
                "if os.environ.get('ALL'):\n    collect_ignore = []\n"
            ),
            "other/test_o.py": "def test_o():\n    pass\n",
        },
    )
    collected = _collect_only(tmp_path)
    assert collected.returncode == 0, collected.stdout  # pytest never imports the ignored ones
    assert linted(tmp_path) == [
        "conftest.py",
        "other/conftest.py",
        "other/test_o.py",
        "tests/test_a.py",
        "tests/test_maybe.py",
    ]


def test_a_nested_project_with_its_own_pytest_configuration_answers_to_its_own_declarations(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """An example shipped inside the repository with its own project table and pytest
    configuration runs from its own folder, installing what it declares there: the root's
    declarations do not judge its imports. So does one that declares its own development
    dependencies (``[dependency-groups]``, RX6: kr8s's ``examples/kubectl-ng``), under the
    root's pytest configuration. A folder with a project table but neither is judged as
    before, and so are the root's suite and a package of the code under test that ships a
    ``pyproject.toml`` (a wheel's ``pandas/``)."""
    example = "[project]\nname = 'example'\n\n[tool.pytest.ini_options]\naddopts = '-ra'\n"
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                "[project]\nname = 'demo'\ndependencies = []\n\n"
                "[project.optional-dependencies]\ntest = ['pytest']\n"
            ),
            "tests/test_a.py": "import bs4\n",
            "examples/parser/pyproject.toml": example,
            "examples/parser/tests/test_parsing.py": "import bs4\n",
            "examples/plain/pyproject.toml": "[project]\nname = 'plain'\n",
            "examples/grouped/pyproject.toml": (
                "[project]\nname = 'grouped'\ndependencies = ['beautifulsoup4']\n\n"
                "[dependency-groups]\ndev = ['pytest']\n"
            ),
            "examples/grouped/grouped/tests/test_grouped.py": "import bs4\n",
            "examples/plain/tests/test_plain.py": "import bs4\n",
            "pkg/__init__.py": "",
            "pkg/pyproject.toml": example,
            "pkg/tests/test_pkg.py": "import bs4\n",
        },
    )
    result = run_lint([tmp_path], root=tmp_path, select=["APT102"], use_cache=False, jobs=1)
    assert sorted(f.path for f in result.findings) == [
        "examples/plain/tests/test_plain.py",
        "pkg/tests/test_pkg.py",
        "tests/test_a.py",
    ]


@pytest.mark.parametrize(
    ("comment", "reported"),
    [
        ("", True),
        ("  # apytest: ignore", False),
        ("  # apytest: ignore[APT202]", False),
        ("  # apytest: ignore[apt201, APT202]", False),
        ("  # apytest: ignore[APT201]", True),
    ],
)
def test_inline_suppression(
    comment: str, reported: bool, tmp_path: Path, write_tree: TreeWriter
) -> None:
    source = SHADOW.replace("def tmp_path():", f"def tmp_path():{comment}")
    write_tree(tmp_path, {"pyproject.toml": "", "tests/test_a.py": source})
    result = run_lint([], root=tmp_path, select=["APT202"], use_cache=False)
    assert bool(result.findings) is reported


def test_per_file_ignores(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "[tool.apytest.per-file-ignores]\n'tests/legacy/*' = ['APT2']\n",
            "tests/legacy/test_a.py": SHADOW,
            "tests/test_b.py": SHADOW,
        },
    )
    result = run_lint([], root=tmp_path, select=["APT202"], use_cache=False)
    assert [f.path for f in result.findings] == ["tests/test_b.py"]


def _many_files(root: Path, write_tree: TreeWriter, count: int) -> None:
    files: dict[str, str | bytes] = {"pyproject.toml": ""}
    for index in range(count):
        files[f"tests/d{index % 7}/test_m{index % 40}.py"] = SHADOW if index % 3 else "x = (\n"
    write_tree(root, files)


@pytest.mark.slow
def test_same_findings_with_and_without_cache_and_workers(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    _many_files(tmp_path, write_tree, 90)
    serial = run_lint([], root=tmp_path, use_cache=False, jobs=1).findings
    parallel = run_lint([], root=tmp_path, use_cache=False, jobs=2).findings
    cold = run_lint([], root=tmp_path, use_cache=True, jobs=2).findings
    warm = run_lint([], root=tmp_path, use_cache=True, jobs=2).findings
    assert {f.code for f in serial} >= {"APT001", "APT201", "APT202"}
    assert serial == parallel == cold == warm


FALLBACK = (
    "import sys\n\ntry:\n    import {module}\nexcept ImportError:\n"
    "    sys.path.append('..')\n    import {module}\n\n\ndef test_a():\n    pass\n"
)


def test_import_fallback_facts_survive_the_cache(tmp_path: Path, write_tree: TreeWriter) -> None:
    """SD3: the modules whose failed import alone runs a change are a fact the cache stores and
    reads back: the warm run stays silent on the project's own fallback and reports the
    third-party one, as the cold run does."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "",
            "src/demo/__init__.py": "",
            "tests/test_own.py": FALLBACK.format(module="demo"),
            "tests/test_yaml.py": FALLBACK.format(module="yaml"),
        },
    )
    cold = run_lint([], root=tmp_path, select=["APT204"], use_cache=True, jobs=1).findings
    warm = run_lint([], root=tmp_path, select=["APT204"], use_cache=True, jobs=1).findings
    assert [f.path for f in cold] == ["tests/test_yaml.py"]
    assert warm == cold


def test_cache_entries_are_keyed_and_corrupt_ones_recomputed(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    twice = "import pytest\n\n@pytest.fixture\ndef db():\n    return 1\n\n" * 2
    write_tree(tmp_path, {"pyproject.toml": "", "tests/test_a.py": twice})
    first = run_lint([], root=tmp_path, select=["APT202"]).findings
    assert first  # a file-stage finding (a duplicate fixture): stored in the entry
    entries = list((tmp_path / CACHE_DIR).rglob("*.json"))
    assert len(entries) == 1
    assert json.loads(entries[0].read_text())["findings"][0]["code"] == "APT202"
    entries[0].write_text("{not json")
    assert run_lint([], root=tmp_path, select=["APT202"]).findings == first
    assert (tmp_path / ".apytest" / ".gitignore").read_text().endswith("*\n")
    # Another configuration is another key: the cached findings of the first are not reused.
    assert run_lint([], root=tmp_path, select=["APT001"]).findings == []
    assert len(list((tmp_path / CACHE_DIR).rglob("*.json"))) == 2


CHAIN = {
    "pyproject.toml": (
        "[project]\nname = 'demo'\ndependencies = ['pytest']\n\n"
        "[project.optional-dependencies]\nplot = ['matplotlib>=3']\n"
    ),
    "demo/__init__.py": "",
    "demo/report.py": "from demo.layout import grid\n",
    "demo/layout.py": "from . import charts\n\ngrid = charts.plot\n",
    "demo/charts.py": "import matplotlib\n\nplot = matplotlib.figure\n",
    "tests/test_report.py": "from demo.report import grid\n",
}


def test_import_chains_read_from_the_cache_as_written(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """The import statements a chain follows are kept per file's bytes: a warm run follows
    the same chain, a corrupt entry is read again from the file, and an edited module is."""
    write_tree(tmp_path, CHAIN)
    cold = run_lint([], root=tmp_path, select=["APT101"], jobs=1).findings
    assert [(f.path, f.line) for f in cold] == [("tests/test_report.py", 1)]
    assert "demo/charts.py" in cold[0].message
    statements = [
        entry
        for entry in (tmp_path / CACHE_DIR).rglob("*.json")
        if "imports" in json.loads(entry.read_text())
    ]
    assert len(statements) == 3  # report.py's, layout.py's and charts.py's
    for entry in statements:  # a statement that is no statement
        entry.write_text('{"imports": [[0, "demo", 7]], "binds": []}')
    assert run_lint([], root=tmp_path, select=["APT101"], jobs=1).findings == cold
    assert run_lint([], root=tmp_path, select=["APT101"], jobs=1).findings == cold
    (tmp_path / "demo/layout.py").write_text("def grid():\n    from . import charts\n")
    assert run_lint([], root=tmp_path, select=["APT101"], jobs=1).findings == []


def test_progress_line_appears_after_the_delay_and_is_erased() -> None:
    stream = io.StringIO()
    quiet = Progress(stream, delay=60.0)
    quiet(1, 10)
    quiet.close()
    assert stream.getvalue() == ""
    shown = Progress(stream, delay=0.0)
    shown(3, 10)
    shown.close()
    assert stream.getvalue() == "\rapytest-lint: 3/10 files\r\033[K"


@pytest.mark.slow
def test_runner_reports_progress_per_analysed_file(tmp_path: Path, write_tree: TreeWriter) -> None:
    _many_files(tmp_path, write_tree, 40)
    seen: list[tuple[int, int]] = []
    run_lint([], root=tmp_path, use_cache=False, jobs=2, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(done, 40) for done in range(1, 41)]


def test_patterns_with_a_slash_match_the_whole_path(tmp_path: Path, write_tree: TreeWriter) -> None:
    """As pytest's own ``norecursedirs = ["testing/example_scripts"]`` needs."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.pytest.ini_options]\nnorecursedirs = ['testing/example_scripts']\n"
                "python_files = ['test_*.py', 'testing/checks/*.py']\n"
            ),
            "testing/test_a.py": "",
            "testing/example_scripts/test_b.py": "",
            "testing/checks/anything.py": "",
        },
    )
    assert linted(tmp_path) == ["testing/checks/anything.py", "testing/test_a.py"]


@pytest.mark.slow
def test_installed_distributions_are_cached_per_environment(tmp_path: Path) -> None:
    fresh = installed_distributions(tmp_path)
    assert fresh["pytest"] == ("pytest",)
    stored = tmp_path / ".apytest" / "cache" / "installed-distributions.json"
    data = json.loads(stored.read_text())
    data["value"]["pytest"] = ["from-the-cache"]
    stored.write_text(json.dumps(data))
    assert installed_distributions(tmp_path)["pytest"] == ("from-the-cache",)
    assert installed_distributions(tmp_path, use_cache=False)["pytest"] == ("pytest",)
    data["key"] = "another environment"
    stored.write_text(json.dumps(data))
    assert installed_distributions(tmp_path)["pytest"] == ("pytest",)


@pytest.mark.slow
def test_installed_metadata_naming_nothing_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RV1: an sdist's ``*.egg-info`` holding only ``SOURCES.txt``, on ``sys.path`` through the
    working folder, is a distribution without a name: the lint crashed canonicalizing None."""
    egg_info = tmp_path / "gsw.egg-info"
    egg_info.mkdir()
    (egg_info / "SOURCES.txt").write_text("setup.py\ngsw/__init__.py\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    found = installed_distributions(tmp_path, use_cache=False)
    assert "gsw" not in found
    assert all(all(found[module]) for module in found)
    assert found["pytest"] == ("pytest",)
    installed_distributions(tmp_path)
    stored = tmp_path / ".apytest" / "cache" / "installed-distributions.json"
    data = json.loads(stored.read_text())
    data["value"]["gsw"] = [None]  # written by a release that kept them
    stored.write_text(json.dumps(data))
    assert "gsw" not in installed_distributions(tmp_path)


def test_a_test_module_is_read_once_for_its_helpers_users_and_never_for_a_tests(
    tmp_path: Path, write_tree: TreeWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test runs itself, so its own import is never 'only where assured': asking who else
    names it walked the whole module once per import (galpy's 20,000-line modules, whose
    tests import inside, linted for minutes). A helper's import is still asked about, and the
    module is read once for all its helpers (unsloth-zoo's large modules took minutes while
    each helper read it again)."""
    from apytest.lint import facts

    built: list[ast.Module] = []
    asked: list[str] = []

    class Counted(facts._Uses):
        def __init__(self, module: ast.Module) -> None:
            built.append(module)
            super().__init__(module)

        def users(self, name: str, defined: FunctionNode) -> list[tuple[ast.AST, ...]] | None:
            asked.append(name)
            return super().users(name, defined)

    monkeypatch.setattr(facts, "_Uses", Counted)
    test = "def test_{}():\n    import numpy\n    numpy.ones(1)\n\n\n"
    tests = "".join(test.format(i) for i in range(30))
    helper = "def _make{}():\n    import numpy\n    return numpy\n\n\n"
    helpers = "".join(helper.format(i) for i in range(2))
    helpers += "def test_helper():\n    _make0()\n    _make1()\n"
    write_tree(tmp_path, {"pyproject.toml": "", "tests/test_m.py": tests + helpers})
    codes = [f.code for f in run_lint([], root=tmp_path, use_cache=False).findings]
    assert len(built) == 1
    assert asked == ["_make0", "_make1"]
    assert "APT104" in codes  # numpy, declared nowhere, still reported
