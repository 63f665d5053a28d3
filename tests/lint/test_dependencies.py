"""The dependency model read from real files: declarations with positions, includes, registry."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from apytest.lint.dependencies import (
    excluded_packages,
    load_dependencies,
    missing_private_modules,
    read_registry,
    runtime_installed,
)
from apytest.lint.errors import LintError
from apytest.lint.project import find_project
from apytest.lint.runner import run_lint
from apytest.rules.api import DependencyModel

TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]
REPO = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("apytest-lint")

PYPROJECT = """\
[project]
name = "Demo_Pkg"
dependencies = [
    "requests>=2,<3",
    "tomli>=2; python_version < \\"3.11\\"",
]

[project.optional-dependencies]
plot = ["matplotlib>=3"]
test = ["pytest>=8", "demo-pkg[plot]"]

[dependency-groups]
lint = ["ruff"]
dev = [{include-group = "lint"}, "mypy==1.8"]
"""


def _model(root: Path) -> DependencyModel:
    return load_dependencies(find_project(root), [])


@pytest.mark.slow
def test_pyproject_tables_are_read_with_their_lines(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT})
    model = _model(tmp_path)
    found = {(d.name, d.section, d.line, d.specifier) for d in model.declared}
    assert found == {
        ("requests", "dependencies", 4, "<3,>=2"),
        ("tomli", "dependencies", 5, ">=2"),
        ("matplotlib", "extra:plot", 9, ">=3"),
        ("pytest", "extra:test", 10, ">=8"),
        ("ruff", "group:lint", 13, ""),
        ("mypy", "group:dev", 14, "==1.8"),
    }
    assert model.project_name == "demo-pkg"
    assert model.complete


def test_a_group_requirement_is_found_below_its_group_not_in_an_include(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """flask-caching's ``{include-group = "pre-commit"}`` above the group ``pre-commit``, whose
    requirement ``pre-commit`` is the finding's line, not the include's string."""
    text = (
        "[project]\nname = 'demo'\n\n[dependency-groups]\n"
        'dev = ["ruff", {include-group = "pre-commit"}]\n'
        'pre-commit = [\n    "pre-commit",\n    "pre-commit-uv",\n]\n'
    )
    write_tree(tmp_path, {"pyproject.toml": text})
    found = {(d.name, d.section, d.line, d.col) for d in _model(tmp_path).declared}
    assert found == {
        ("ruff", "group:dev", 5, 8),
        ("pre-commit", "group:pre-commit", 7, 5),
        ("pre-commit-uv", "group:pre-commit", 8, 5),
    }


def test_includes_cover_groups_and_extras_of_the_project_itself(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT})
    includes = _model(tmp_path).includes
    assert includes["group:dev"] == ("group:lint",)
    assert includes["extra:test"] == ("extra:plot",)


def test_requirements_files_follow_includes_and_skip_options(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "requirements-dev.txt": (
                "# tools\n-r requirements/base.txt\n-c constraints.txt\n-e .\n"
                "pytest>=8 \\\n    --hash=sha256:abc  # pinned elsewhere\n"
                "git+https://github.com/x/y.git\nidna @ https://example.org/idna.whl\n"
            ),
            "requirements/base.txt": "requests\n",
        },
    )
    model = _model(tmp_path)
    found = {(d.name, d.path, d.line, d.url) for d in model.declared}
    assert found == {
        ("requests", "requirements/base.txt", 1, False),
        ("pytest", "requirements-dev.txt", 5, False),
        ("y", "requirements-dev.txt", 7, True),  # a bare URL: a direct reference (ZL5)
        ("idna", "requirements-dev.txt", 8, True),
    }
    assert model.includes["requirements:requirements-dev.txt"] == (
        "requirements:requirements/base.txt",
    )
    assert model.complete  # requirement files alone, without setup.py, are the whole story


def test_a_malformed_requirement_names_file_and_line(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(tmp_path, {"requirements.txt": "requests\npytest >= = 8\n"})
    with pytest.raises(
        LintError, match=r"requirements\.txt:2: invalid requirement 'pytest >= = 8'"
    ) as raised:
        _model(tmp_path)
    assert "\n" not in str(raised.value)  # packaging's own message spans three lines


def test_a_missing_include_warns_once_and_makes_the_model_incomplete(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """An sdist that does not ship an included file: one warning naming the including line,
    the rest still read, and the model incomplete (no error: other rules still lint)."""
    write_tree(
        tmp_path,
        {
            "requirements.txt": "-r missing.txt\nrequests\n",
            "requirements-dev.txt": "-r missing.txt\n-c constraints.txt\n",
        },
    )
    model = _model(tmp_path)
    assert model.warnings == (
        "requirements-dev.txt:1: -r names a missing file 'missing.txt': the dependency"
        " declarations are incomplete, so the rules that need them stay silent",
    )
    assert not model.complete
    assert "requests" in {d.name for d in model.declared}


def test_an_include_by_url_warns_with_the_url_and_makes_the_model_incomplete(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """pip's ``-r https://...``: a file the lint never fetches, named as written (a local
    path's reading made it ``https:/...``), once, with the rest still read."""
    url = "https://example.org/reqs/base.txt"
    write_tree(
        tmp_path,
        {
            "requirements.txt": f"-r {url}\nrequests\n",
            "requirements-dev.txt": f"--requirement {url}\n",
        },
    )
    model = _model(tmp_path)
    assert model.warnings == (
        f"requirements-dev.txt:1: -r names a file by URL '{url}', which apytest-lint does not"
        " fetch: the dependency declarations are incomplete, so the rules that need them stay"
        " silent",
    )
    assert not model.complete
    assert "requests" in {d.name for d in model.declared}


def test_an_include_cycle_reads_each_file_once(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(
        tmp_path,
        {
            "requirements.txt": "-r requirements-dev.txt\nrequests\n",
            "requirements-dev.txt": "-r requirements.txt\nruff\n",
        },
    )
    model = _model(tmp_path)
    assert model.complete
    assert not model.warnings
    assert sorted(d.name for d in model.declared) == ["requests", "ruff"]


def test_a_missing_dynamic_file_warns_and_makes_the_runtime_unknown(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    pyproject = (
        '[project]\nname = "demo"\ndynamic = ["dependencies"]\n'
        '[tool.setuptools.dynamic]\ndependencies = {file = ["requirements.in"]}\n'
    )
    write_tree(tmp_path, {"pyproject.toml": pyproject})
    model = _model(tmp_path)
    assert not model.complete
    assert not model.runtime_known
    assert model.warnings[0].startswith("pyproject.toml: dynamic dependencies names a missing file")


@pytest.mark.slow
def test_a_setup_py_computing_its_lists_makes_the_model_incomplete(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "setup.py": (
                "from setuptools import setup\n"
                "setup(install_requires=open('reqs.txt').read().split())\n"
            ),
            "requirements-dev.txt": "pytest\n",
        },
    )
    assert not _model(tmp_path).complete


@pytest.mark.slow
def test_apytest_registry_matches_its_own_pyproject() -> None:
    rows = read_registry(REPO / "dependency_registry.md", "dependency_registry.md")
    names = [row.name for row in rows]
    assert names[:2] == ["pytest", "libcst"]
    assert "prometheus-client" in names  # canonicalised from prometheus_client
    assert rows[0].line > 1  # the header and separator rows are skipped
    model = load_dependencies(find_project(REPO), [])
    assert {d.name for d in model.declared} == set(names)


def test_registry_rows_accept_links_and_code_and_reject_empty_names(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "dependency_registry.md": (
                "intro\n\n| package | why |\n|---|---|\n| [Requests](https://x) | http |\n"
                "| `PyYAML` | config |\n\n| other | table |\n| --- | --- |\n|  | no name |\n"
            )
        },
    )
    with pytest.raises(LintError, match=r"dependency_registry\.md:10: the first column"):
        read_registry(tmp_path / "dependency_registry.md", "dependency_registry.md")
    (tmp_path / "dependency_registry.md").write_text(
        "| package |\n| --- |\n| [Requests](https://x) |\n| `PyYAML` |\n", encoding="utf-8"
    )
    rows = read_registry(tmp_path / "dependency_registry.md", "dependency_registry.md")
    assert [(r.name, r.line) for r in rows] == [("requests", 3), ("pyyaml", 4)]


@pytest.mark.slow
def test_first_party_covers_src_layout_and_test_helpers(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "demo"\n',
            "src/demo_core/__init__.py": "",
            "flat.py": "",
        },
    )
    model = load_dependencies(find_project(tmp_path), ["tests/helpers/factories.py"])
    assert {"demo_core", "flat", "helpers", "factories", "demo"} <= model.first_party


@pytest.mark.slow
def test_first_party_reads_the_sdists_egg_info_top_level(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """RU5: setup.py's ``package_dir={"supybot": "src"}`` names the package after no folder;
    the sdist's ``top_level.txt`` says what it installs."""
    write_tree(
        tmp_path,
        {
            "setup.py": "from setuptools import setup\nsetup(name='limn')\n",
            "src/__init__.py": "",
            "src/callbacks.py": "",
            "limn.egg-info/top_level.txt": "supybot\n\n",
            "other.egg-info/top_level.txt": "not a name!\n",
        },
    )
    model = load_dependencies(find_project(tmp_path), ["test/test_callbacks.py"])
    assert "supybot" in model.first_party
    assert "not a name!" not in model.first_party


@pytest.mark.slow
def test_first_party_reads_the_modules_the_projects_scripts_point_into(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """AL1: meson's ``py.install_sources([...], subdir: 'sscha')`` installs ``Modules/`` as
    ``sscha``, a name no folder shows; the project's ``sscha = "sscha.cli:main"`` script
    points into it. A module no script names stays third-party."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "python-demo"\ndependencies = ["numpy"]\n'
                '[project.scripts]\ndemo = "demo_pkg.cli:main"\n'
                '[project.gui-scripts]\ndemo-gui = "demo_gui:run"\n'
                '[tool.poetry.scripts]\nextra = {reference = "extra_pkg:main", extras = ["x"]}\n'
            ),
            "Modules/__init__.py": "",
            "Modules/cli.py": "",
        },
    )
    model = load_dependencies(find_project(tmp_path), ["tests/test_cli.py"])
    assert {"demo_pkg", "demo_gui"} <= model.first_party
    assert not {"requests", "extra_pkg", "cli"} & model.first_party


@pytest.mark.slow
def test_first_party_holds_the_modules_meson_compiles(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """BD5: ``py.extension_module`` with a literal name, or a variable bound to one, compiles
    a top-level module of the project; a name the build computes is not read."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "demo"\ndependencies = ["numpy"]\n',
            "meson.build": (
                "project('demo', 'c')\npy = import('python').find_installation()\n"
                "module_name = 'demo_fortran'\n"
                "py.extension_module(module_name, ['a.c'], install: true)\n"
                "py.extension_module('demo_speedups', 'b.c')\n"
                "py.extension_module(prefix + '_computed', 'c.c')\n"
            ),
            "demo/__init__.py": "",
        },
    )
    model = load_dependencies(find_project(tmp_path), ["tests/test_demo.py"])
    assert {"demo_fortran", "demo_speedups"} <= model.first_party
    assert not {"prefix", "_computed", "module_name"} & model.first_party


@pytest.mark.slow
def test_a_rootdir_of_the_suite_declaring_nothing_reads_the_project_above(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "Demo_Pubsub"\n',
            "tox.ini": "[testenv]\ndeps =\n    pytest\n    pytest-cov\n",
            "src/pubsub/__init__.py": "",
            "tests/pytest.ini": "[pytest]\npython_files = test*.py\n",
            "tests/suite/test1_listener.py": "import pubsub\n",
        },
    )
    project = find_project(tmp_path / "tests" / "suite")
    assert project.root == tmp_path / "tests"  # pytest's rootdir: the ini file's folder
    model = load_dependencies(project, ["suite/test1_listener.py"])
    assert {"pytest", "pytest-cov"} <= {d.name for d in model.declared}
    assert {"pubsub", "suite"} <= model.first_party
    assert model.project_name == "demo-pubsub"


@pytest.mark.slow
def test_a_rootdir_declaring_something_or_far_below_reads_only_itself(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "outer"\ndependencies = ["requests"]\n',
            "inner/pytest.ini": "[pytest]\n",
            "inner/requirements-test.txt": "pytest\n",
            "a/b/c/pytest.ini": "[pytest]\n",
            "git/.git/HEAD": "",
            "git/pytest.ini": "[pytest]\n",
        },
    )
    for folder in ("inner", "a/b/c", "git"):
        model = load_dependencies(find_project(tmp_path / folder), [])
        assert "requests" not in {d.name for d in model.declared}, folder
        assert model.project_name == "", folder


@pytest.mark.slow
def test_twenty_thousand_declarations_are_read_and_located_in_one_pass(tmp_path: Path) -> None:
    """Issue 14: the time grew with the square of the declarations (100,000 took 352 s).

    The figure is measured by ``benchmarks/declarations_scale.py``; the timeout here only
    guards against a hang, and the assertions check every position at that scale.
    """
    size = 20_000
    deps = "".join(f'    "package-{i % 5000}>={i}",\n' for i in range(size))  # with duplicates
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "big"\ndependencies = [\n{deps}]\n', encoding="utf-8"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text("import pytest\n", encoding="utf-8")
    completed = subprocess.run(
        [str(LINT), "--no-cache", "-q", "--select", "APT301", "tests"],  # all bounded
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    model = load_dependencies(find_project(tmp_path), [])
    assert [d.line for d in model.declared] == list(range(4, 4 + size))
    assert [d.specifier for d in model.declared[:2]] == [">=0", ">=1"]


@pytest.mark.slow
def test_an_invalid_requirement_is_one_line_on_stderr_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\ndependencies = ["requests >= = 2"]\n', encoding="utf-8"
    )
    completed = subprocess.run(
        [str(LINT), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.count("\n") == 1
    assert "pyproject.toml:3: invalid requirement 'requests >= = 2'" in completed.stderr


@pytest.mark.slow
def test_first_party_reads_the_package_folders_the_build_names(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """ZD1: a C++ project's Python half in ``python/``, which setuptools' ``packages.find
    where`` or scikit-build-core's ``wheel.packages`` install, and AI3: maturin's
    ``python-source`` folder and ``module-name``; BN6: hatch's wheel ``packages``
    (``translator/ha2st_edge`` lands at the wheel's top level); a folder no build names stays
    foreign (``scripts/`` beside it)."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "fem-native"\n'
                '[tool.scikit-build]\nwheel.packages = ["python/femntv"]\n'
                '[tool.setuptools.packages.find]\nwhere = ["lib"]\n'
                '[tool.maturin]\npython-source = "rust"\nmodule-name = "fast._native"\n'
                '[tool.hatch.build.targets.wheel]\npackages = ["translator/ha2st_edge"]\n'
            ),
            "python/femntv/__init__.py": "",
            "translator/ha2st_edge/__init__.py": "",
            "lib/bridge/__init__.py": "",
            "rust/lev/__init__.py": "",
            "other/stray/__init__.py": "",
        },
    )
    model = load_dependencies(find_project(tmp_path), ["tests/test_assembly.py"])
    assert {"femntv", "bridge", "lev", "fast", "ha2st_edge"} <= model.first_party
    assert "stray" not in model.first_party


@pytest.mark.parametrize("tool", ["1", '"poetry"', "[1, 2]"])
def test_a_tool_key_that_is_no_table_declares_nothing(
    tmp_path: Path, write_tree: TreeWriter, tool: str
) -> None:
    """``tool = 1`` in pyproject.toml: every reader of a ``[tool.*]`` table (the project's name
    from Poetry's, its scripts, uv's sources, setuptools' packages) finds nothing there; the
    name lookup raised AttributeError before."""
    write_tree(
        tmp_path,
        {"pyproject.toml": f"tool = {tool}\n", "tests/test_a.py": "def test_a():\n    pass\n"},
    )
    model = load_dependencies(find_project(tmp_path), ["tests/test_a.py"])
    assert not model.declared


@pytest.mark.parametrize(
    ("tree", "missing"),
    [
        ({"tests/test_a.py": ""}, {"_util", "_fakes"}),
        ({"tests/_util.py": "", "tests/test_a.py": ""}, {"_fakes"}),
        ({"tests/_fakes/__init__.py": "", "tests/_util.pyi": ""}, set()),
        ({"src/demo/_util.cpython-311-x86_64-linux-gnu.so": ""}, set()),
        ({"native/CMakeLists.txt": "pybind11_add_module(_fakes fakes.cpp)\n"}, set()),
        ({"setup.py": "from setuptools import setup\nsetup(cffi_modules=['b.py:ffi'])\n"}, set()),
        ({"pyproject.toml": "[tool.setuptools_scm]\nwrite_to = 'tests/_util.py'\n"}, {"_fakes"}),
        ({".git/_util.py": "", "node_modules/_fakes/x.js": ""}, {"_util", "_fakes"}),
        # whole-line comments build nothing and name nothing the build writes
        (
            {"pyproject.toml": "# a maturin build elsewhere\n  # tests/_util.py runs\n"},
            {"_util", "_fakes"},
        ),
        ({"setup.cfg": "; ext_modules come later\n[metadata]\nname = demo\n"}, {"_util", "_fakes"}),
        ({"pyproject.toml": "[build-system]\nrequires = ['maturin']  # the Rust core\n"}, set()),
    ],
)
def test_missing_private_modules_are_those_no_file_is_named_after(
    tmp_path: Path, write_tree: TreeWriter, tree: Mapping[str, str], missing: set[str]
) -> None:
    """AJ2: a private module the suite imports is the suite's missing helper only where no file
    or folder of the tree (hidden and ``node_modules`` folders aside) is named after it, nothing
    is compiled (a source, a build description, a compiling build file) and no build file
    names it, whole-line comments aside."""
    write_tree(tmp_path, tree)
    assert missing_private_modules(tmp_path, {"_util", "_fakes"}) == missing


@pytest.mark.parametrize(
    ("tree", "missing"),
    [
        ({"setup.py": "", "vendored/speedups.pyx": ""}, {"tests_python"}),
        ({"setup.py": "setup(ext_modules=[])\n"}, {"tests_python"}),
        ({"setup.py": "", "CMakeLists.txt": ""}, set()),
    ],
    ids=["compiled-source", "compiling-build", "build-description"],
)
def test_a_package_imported_by_a_dotted_path_is_missing_despite_compiled_modules(
    tmp_path: Path, write_tree: TreeWriter, tree: Mapping[str, str], missing: set[str]
) -> None:
    """EP1: a compiled module is no package of modules, so a repository package the suite
    imports by a dotted path (pydevd's ``tests_python``) stays missing beside compiled sources
    or a compiling build, while a private module does not; a build description may install a
    folder under any name."""
    write_tree(tmp_path, tree)
    found = missing_private_modules(tmp_path, {"_util", "tests_python"}, (), {"tests_python"})
    assert found == missing


@pytest.mark.parametrize(
    "files",
    [
        {"pyproject.toml": '[tool.setuptools.packages.find]\nexclude = ["tests*", "srv*"]\n'},
        {"setup.cfg": "[options.packages.find]\nexclude =\n    tests.*\n    srv.*\n"},
        {"setup.cfg": "[options.packages.find]\nexclude = tests*, srv\n"},
        {
            "setup.py": "from setuptools import find_packages, setup\n"
            "SKIP = ['tests', 'srv*']\nsetup(packages=find_packages(exclude=SKIP))\n"
        },
        {
            "setup.py": "import setuptools\n"
            "setuptools.setup(packages=setuptools.find_namespace_packages('.', ('srv.*',)))\n"
        },
    ],
    ids=["pyproject", "setup-cfg-lines", "setup-cfg-commas", "setup-py", "setup-py-positional"],
)
def test_excluded_packages_are_the_repository_packages_the_build_leaves_out(
    tmp_path: Path, write_tree: TreeWriter, files: Mapping[str, str]
) -> None:
    """BI2: the packages the build's discovery excludes by name are the repository's, and its
    sdist leaves them out: the build files name them, yet they are missing, not written at
    build time. A pattern after a wildcard (``*.tests``) names no top-level package."""
    write_tree(tmp_path, {**files, "tests/test_a.py": ""})
    excluded = excluded_packages(find_project(tmp_path))
    assert "srv" in excluded
    assert missing_private_modules(tmp_path, {"srv", "tests"}, excluded) == {"srv"}
    assert missing_private_modules(tmp_path, {"srv"}) == set()  # a build file names it


def test_a_pattern_after_a_wildcard_excludes_no_top_level_package(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    pyproject = '[tool.setuptools.packages.find]\nexclude = ["*.srv", "srv.sub", 3]\n'
    write_tree(tmp_path, {"pyproject.toml": pyproject})
    assert excluded_packages(find_project(tmp_path)) == frozenset()


@pytest.mark.parametrize(
    ("source", "installed"),
    [
        (
            'deps_pip = ["sqlmodel", "asyncpg~=0.30", "aio_pika>=9"]\n',
            {"sqlmodel", "asyncpg", "aio-pika"},
        ),
        ("class M:\n    def setup(self):\n        self.pip_deps = ('PyMongo',)\n", {"pymongo"}),
        ('PIP_PACKAGES: list[str] = ["orjson"]\n', {"orjson"}),
        # not a pip name, a list with anything but strings, a name merely containing the letters
        ('SUPPORTED = ["asyncpg"]\n', set()),
        ('deps_pip = ["asyncpg", VERSION]\n', set()),
        ('pipeline_steps = ["asyncpg"]\n', set()),
    ],
)
def test_runtime_installed_reads_lists_bound_to_a_pip_name(
    tmp_path: Path, write_tree: TreeWriter, source: str, installed: set[str]
) -> None:
    """BG2: what the project's own modules list for pip to install when they run, by canonical
    name, wherever they lie in the tree (BN1); the suite's own files count for nothing."""
    write_tree(tmp_path, {"demo/plugin.py": source, "tests/test_a.py": 'deps_pip = ["six"]\n'})
    assert runtime_installed(tmp_path, {"tests/test_a.py"}) == installed


@pytest.mark.parametrize("named", [[], ["tests/examples/test_parse.py"], ["tests/examples"]])
def test_a_run_over_part_of_the_suite_knows_the_whole_suites_modules(
    tmp_path: Path, write_tree: TreeWriter, named: list[str]
) -> None:
    """BN7: ``tests/shim/pyparsing.py``, a module of the suite's folders that a run script
    puts on ``sys.path``, is the project's whichever files were named: pre-commit passing one
    changed test module gets the whole run's answer (silent), not an undeclared ``pyparsing``.
    A name no module of the tree has is still reported, in every run."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['six']\n",
            "tests/shim/pyparsing.py": "from cparse import *\n",
            "tests/examples/test_parse.py": "import pyparsing\nimport lark\n",
        },
    )
    paths = [tmp_path / name for name in named] or [tmp_path]
    result = run_lint(paths, root=tmp_path, select=["APT104"], use_cache=False, jobs=1)
    [finding] = result.findings
    assert "'lark'" in finding.message
    assert "pyparsing" not in finding.message
