"""Every declaration format apytest-lint reads, from small real projects: what each declares,
where (file and line), which sections run with the tests, and what the dependency rules then say.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from apytest.lint.dependencies import load_dependencies
from apytest.lint.project import find_project
from apytest.lint.runner import run_lint
from apytest.rules.api import DependencyModel
from apytest.rules.support.dependency_index import DEFAULT_TEST_EXTRAS, DependencyIndex

TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]


def _model(root: Path) -> DependencyModel:
    return load_dependencies(find_project(root), [])


def _declared(model: DependencyModel) -> set[tuple[str, str, str, int]]:
    return {(d.name, d.section, d.path, d.line) for d in model.declared}


def _required(model: DependencyModel) -> set[str]:
    """The distributions installed whenever the tests run, as the dependency rules see them."""
    index = DependencyIndex(model, DEFAULT_TEST_EXTRAS)
    return {d.name for d in model.declared if d.section in index.required_sections}


def _findings(root: Path, codes: list[str]) -> list[tuple[str, int, str]]:
    result = run_lint([root], root=root, select=codes, use_cache=False, jobs=1)
    return [(f.path, f.line, f.code) for f in result.findings]


TOX_INI = """\
[tox]
envlist = py311, docs

[testenv]
deps =
    pytest>=8
    -r requirements/test-extra.txt
    py311: hypothesis  # factor-conditional
    {toxinidir}[plot]
extras = test
commands = pytest {posargs}

[testenv:docs]
deps = sphinx
commands = sphinx-build docs build

[testenv:lint]
deps =
    {[testenv]deps}
    ruff
commands = ruff check src tests
"""


def test_tox_envs_deps_extras_and_which_run_the_tests(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "tox.ini": TOX_INI,
            "requirements/test-extra.txt": "freezegun\n",
            "pyproject.toml": (
                "[project]\nname = 'demo'\n[project.optional-dependencies]\n"
                "test = ['responses']\nplot = ['matplotlib']\nextra = ['yaml-extra']\n"
            ),
        },
    )
    model = _model(tmp_path)
    assert {
        ("pytest", "tox:testenv", "tox.ini", 6),
        ("hypothesis", "tox:testenv", "tox.ini", 8),
        ("freezegun", "requirements:requirements/test-extra.txt", "requirements/test-extra.txt", 1),
        ("sphinx", "tox:testenv:docs", "tox.ini", 14),
        ("ruff", "tox:testenv:lint", "tox.ini", 20),
    } <= _declared(model)
    assert {"tox:testenv", "tox:testenv:lint"} <= model.test_sections
    assert "tox:testenv:docs" not in model.test_sections  # its commands run no test
    assert model.includes["tox:testenv"] == (
        "requirements:requirements/test-extra.txt",
        "extra:plot",
        "extra:test",
    )
    assert model.includes["tox:testenv:lint"][0] == "tox:testenv"
    required = _required(model)
    assert {"pytest", "hypothesis", "freezegun", "matplotlib", "responses", "ruff"} <= required
    assert "sphinx" not in required
    assert "yaml-extra" not in required
    assert model.complete


def test_tox_substitutions_it_cannot_resolve_make_the_model_incomplete(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(tmp_path, {"tox.ini": "[testenv]\ndeps = {env:EXTRA_DEPS}\ncommands = pytest\n"})
    assert not _model(tmp_path).complete


def test_tox_in_setup_cfg_and_legacy_tox_ini_in_pyproject(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "setup.cfg": "[tox:tox]\nenvlist = py\n\n[testenv]\ndeps = mock\n",
            "pyproject.toml": (
                '[project]\nname = \'demo\'\n\n[tool.tox]\nlegacy_tox_ini = """\n'
                '[testenv]\ndeps =\n    pytest\n    attrs\n"""\n'
            ),
        },
    )
    declared = _declared(_model(tmp_path))
    assert ("mock", "tox:testenv", "setup.cfg", 5) in declared
    assert ("attrs", "tox:testenv", "pyproject.toml", 9) in declared


def test_poetry_runtime_optional_extras_and_groups(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": """\
[tool.poetry]
name = "demo"

[tool.poetry.dependencies]
python = "^3.10"
requests = "^2.31"
numpy = { version = ">=1.24", optional = true }
pandas = { version = "*", optional = true }
orphan = { version = "1.0", optional = true }

[tool.poetry.extras]
test = ["numpy"]
plot = ["pandas"]

[tool.poetry.dev-dependencies]
black = "23.1.0"

[tool.poetry.group.test.dependencies]
pytest = "^8"

[tool.poetry.group.docs]
optional = true

[tool.poetry.group.docs.dependencies]
sphinx = "*"
"""
        },
    )
    model = _model(tmp_path)
    assert {
        ("requests", "dependencies", "pyproject.toml", 6),
        ("numpy", "extra:test", "pyproject.toml", 7),
        ("pandas", "extra:plot", "pyproject.toml", 8),
        ("orphan", "optional:tool.poetry.dependencies", "pyproject.toml", 9),
        ("black", "group:dev", "pyproject.toml", 16),
        ("pytest", "group:test", "pyproject.toml", 19),
        ("sphinx", "group:docs", "pyproject.toml", 25),
    } == _declared(model)
    specifiers = {d.name: d.specifier for d in model.declared}
    assert specifiers == {
        "requests": ">=2.31",
        "numpy": ">=1.24",
        "pandas": "",
        "orphan": "==1.0",
        "black": "==23.1.0",
        "pytest": ">=8",
        "sphinx": "",
    }
    assert _required(model) == {"requests", "numpy", "black", "pytest"}
    assert model.project_name == "demo"
    assert model.complete


def test_pdm_and_uv_dev_dependencies_are_installed_by_default(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": """\
[project]
name = "demo"

[tool.pdm.dev-dependencies]
lint = ["ruff>=0.4"]
test = ["pytest>=8", "-e file:///${PROJECT_ROOT}/sub#egg=sub"]

[tool.uv]
dev-dependencies = ["hypothesis>=6"]
default-groups = ["dev", "bench"]

[dependency-groups]
bench = ["pytest-benchmark"]
docs = ["sphinx"]
"""
        },
    )
    model = _model(tmp_path)
    assert {
        ("ruff", "group:lint", "pyproject.toml", 5),
        ("pytest", "group:test", "pyproject.toml", 6),
        ("hypothesis", "group:dev", "pyproject.toml", 9),
    } <= _declared(model)
    assert _required(model) == {"ruff", "pytest", "hypothesis", "pytest-benchmark"}


RUNNER_PYPROJECT = """\
[project]
name = "demo"

[project.optional-dependencies]
yaml = ["pyyaml"]
all = ["demo[yaml]", "ujson"]

[dependency-groups]
test = ["pytest>=8"]
docs = ["sphinx"]
"""


@pytest.mark.parametrize(
    ("runner", "required"),
    [
        (  # just: the test recipe installs every extra
            {
                "Justfile": 'test *args="tests":\n'
                "    uv run --all-extras --group test pytest {{args}}\n"
            },
            {"pyyaml", "ujson"},
        ),
        (  # make: every extra and group synced by one target, pytest run by another
            {
                "Makefile": "install:\n\tuv sync --all-extras \\\n\t\t--all-groups\n"
                "test:\n\tuv run pytest\n"
            },
            {"pyyaml", "ujson", "pytest", "sphinx"},
        ),
        ({"Makefile": "test:\n\tpdm install -G :all\n\tpdm run pytest\n"}, {"pyyaml", "ujson"}),
        ({"Makefile": "docs:\n\tuv sync --all-extras\n\tsphinx-build docs out\n"}, set()),
        ({"Makefile": "# uv sync --all-extras\ntest:\n\tuv run pytest\n"}, set()),
        ({"Makefile": "test:\n\tuv sync --extra yaml\n\tuv run pytest\n"}, set()),
    ],
    ids=["justfile", "makefile-all-groups", "pdm", "no-pytest", "commented-out", "one-extra"],
)
def test_a_task_runner_that_installs_every_extra_makes_them_test_sections(
    tmp_path: Path, write_tree: TreeWriter, runner: dict[str, str], required: set[str]
) -> None:
    write_tree(tmp_path, {"pyproject.toml": RUNNER_PYPROJECT, **runner})
    # without a runner only the runtime (nothing) and the default test group are required
    assert _required(_model(tmp_path)) - {"pytest"} == required - {"pytest"}


def test_hatch_environments_features_templates_and_overrides(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": """\
[project]
name = "demo"
[project.optional-dependencies]
cli = ["click"]

[tool.hatch.envs.default]
dependencies = ["pytest", "coverage[toml]"]
features = ["cli"]

[tool.hatch.envs.default.overrides]
matrix.version.extra-dependencies = [{ value = "numpy", if = ["new"] }, "pandas"]

[tool.hatch.envs.docs]
detached = true
dependencies = ["mkdocs"]
[tool.hatch.envs.docs.scripts]
build = "mkdocs build"

[tool.hatch.envs.types]
extra-dependencies = ["mypy"]
[tool.hatch.envs.types.scripts]
check = "mypy src"
"""
        },
    )
    model = _model(tmp_path)
    assert {
        ("pytest", "hatch:default", "pyproject.toml", 7),
        ("numpy", "hatch:default", "pyproject.toml", 11),
        ("mkdocs", "hatch:docs", "pyproject.toml", 15),
        ("mypy", "hatch:types", "pyproject.toml", 20),
    } <= _declared(model)
    assert model.includes["hatch:default"] == ("extra:cli",)
    assert model.includes["hatch:types"] == ("hatch:default",)  # inherits the default env
    assert "hatch:docs" not in model.includes  # detached
    assert _required(model) == {"pytest", "coverage", "numpy", "pandas", "click"}


def test_hatch_toml(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(tmp_path, {"hatch.toml": "[envs.test]\ndependencies = ['pytest-mock']\n"})
    assert ("pytest-mock", "hatch:test", "hatch.toml", 2) in _declared(_model(tmp_path))


def test_hatch_test_environment_brings_hatchs_defaults_unless_it_sets_its_own(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """``hatch test`` installs pytest-mock, pytest-xdist, ... in ``hatch-test`` unless that
    environment names its own ``dependencies``; ``extra-dependencies`` add to the defaults."""
    write_tree(tmp_path, {"hatch.toml": "[envs.hatch-test]\nextra-dependencies = ['trustme']\n"})
    declared = _declared(_model(tmp_path))
    assert ("pytest-mock", "hatch:hatch-test", "hatch.toml", 1) in declared
    assert ("pytest-xdist", "hatch:hatch-test", "hatch.toml", 1) in declared
    assert ("trustme", "hatch:hatch-test", "hatch.toml", 2) in declared
    write_tree(tmp_path, {"hatch.toml": "[envs.hatch-test]\ndependencies = ['pytest']\n"})
    assert {name for name, *_ in _declared(_model(tmp_path))} == {"pytest"}


def test_pixi_manifest_features_and_environments(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(
        tmp_path,
        {
            "pixi.toml": """\
[workspace]
name = "demo"

[dependencies]
python = ">=3.11"
numpy = ">=1.26"
matplotlib-base = "*"

[pypi-dependencies]
demo = { path = ".", editable = true }
rich = ">=13"

[target.linux-64.dependencies]
pyinotify = "*"

[feature.test.dependencies]
pytest = "*"

[feature.gpu.pypi-dependencies]
cupy = "*"

[feature.docs.dependencies]
sphinx = "*"
[feature.docs.tasks]
docs = "sphinx-build docs build"

[environments]
ci = ["gpu"]
docs = ["docs"]
"""
        },
    )
    model = _model(tmp_path)
    assert {
        ("numpy", "pixi:default", "pixi.toml", 6),
        ("matplotlib", "pixi:default", "pixi.toml", 7),
        ("rich", "pixi:default", "pixi.toml", 11),
        ("pyinotify", "pixi:default", "pixi.toml", 14),
        ("pytest", "pixi:test", "pixi.toml", 17),
        ("cupy", "pixi:gpu", "pixi.toml", 20),
        ("sphinx", "pixi:docs", "pixi.toml", 23),
    } == _declared(model)
    assert _required(model) == {"numpy", "matplotlib", "rich", "pyinotify", "pytest", "cupy"}


def test_pixi_tables_in_pyproject(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                "[project]\nname = 'demo'\n\n[tool.pixi.feature.test.pypi-dependencies]\n"
                "pytest-xdist = '>=3'\n"
            )
        },
    )
    assert ("pytest-xdist", "pixi:test", "pyproject.toml", 5) in _declared(_model(tmp_path))


@pytest.mark.slow
def test_pipfile_packages_dev_packages_and_categories(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "Pipfile": """\
[[source]]
url = "https://pypi.org/simple"
name = "pypi"

[packages]
flask = "==3.0.0"
demo = { path = ".", editable = true, extras = ["test"] }

[dev-packages]
pytest = "*"
requests-mock = { version = ">=1.11" }

[docs]
sphinx = "*"

[requires]
python_version = "3.11"
"""
        },
    )
    model = _model(tmp_path)
    assert {
        ("flask", "dependencies", "Pipfile", 6),
        ("pytest", "pipfile:dev-packages", "Pipfile", 10),
        ("requests-mock", "pipfile:dev-packages", "Pipfile", 11),
        ("sphinx", "pipfile:docs", "Pipfile", 14),
    } == _declared(model)
    assert model.includes["dependencies"] == ("extra:test",)
    assert _required(model) == {"flask", "pytest", "requests-mock"}


ENVIRONMENT_YML = """\
name: demo-dev
channels:
  - conda-forge
dependencies:
  - python=3.11
  - numpy>=1.26   # arrays
  - conda-forge::scipy=1.11
  - "pandas"
  - pip
  - pip:
      - pytest-timeout==2.3.1
      - -r requirements-extra.txt
"""


def test_conda_environment_files_and_their_pip_list(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(
        tmp_path,
        {
            "environment.yml": ENVIRONMENT_YML,
            "requirements-extra.txt": "xarray\n",
            "ci/requirements/py311.yml": "dependencies:\n  - dask-core\n",
            "docs/environment.yml": "dependencies:\n  - sphinx\n",
            "ci/azure.yml": "jobs:\n  - job: x\n",
            "ci/latest.yaml": "channels:\n  - conda-forge\ndependencies:\n  - geopandas-base\n",
        },
    )
    model = _model(tmp_path)
    assert {
        ("numpy", "conda:environment.yml", "environment.yml", 6),
        ("scipy", "conda:environment.yml", "environment.yml", 7),
        ("pandas", "conda:environment.yml", "environment.yml", 8),
        ("pytest-timeout", "conda:environment.yml", "environment.yml", 11),
        ("xarray", "requirements:requirements-extra.txt", "requirements-extra.txt", 1),
        ("dask", "conda:ci/requirements/py311.yml", "ci/requirements/py311.yml", 2),
        ("sphinx", "conda:docs/environment.yml", "docs/environment.yml", 2),
        ("geopandas", "conda:ci/latest.yaml", "ci/latest.yaml", 4),
    } == _declared(model)
    assert {d.name: d.specifier for d in model.declared}["scipy"] == "==1.11.*"
    assert _required(model) == {
        "numpy",
        "scipy",
        "pandas",
        "pytest-timeout",
        "xarray",
        "dask",
        "geopandas",
    }
    assert model.complete


def test_conda_explicit_environment(tmp_path: Path, write_tree: TreeWriter) -> None:
    """CE2: a root conda explicit environment (conda-lock's ``conda-linux-64.lock``) declares
    its pinned packages, setuptools among them; a ``conda-*.txt`` that is no explicit
    environment declares nothing."""
    conda = "https://conda.anaconda.org/conda-forge"
    write_tree(
        tmp_path,
        {
            "conda-linux-64.lock": (
                "# Generated by conda-lock.\n@EXPLICIT\n"
                f"{conda}/linux-64/python-3.7.12-hb7a2778_100_cpython.tar.bz2#2d94\n"
                f"{conda}/linux-64/setuptools-58.4.0-py37h89c1867_1.tar.bz2#ab0c\n"
                f"{conda}/linux-64/matplotlib-base-3.4.3-py37h1058ff1_1.conda\n"
            ),
            "conda-requirements.txt": "numpy\n",
        },
    )
    model = _model(tmp_path)
    assert {
        ("setuptools", "conda:conda-linux-64.lock", "conda-linux-64.lock", 4),
        ("matplotlib", "conda:conda-linux-64.lock", "conda-linux-64.lock", 5),
    } <= _declared(model)
    assert {d.name: d.specifier for d in model.declared}["setuptools"] == "==58.4.0"
    assert {"setuptools", "matplotlib"} <= _required(model)
    assert "python" not in {d.name for d in model.declared}


def test_conda_environments_of_the_molssi_template(tmp_path: Path, write_tree: TreeWriter) -> None:
    """ZD4: a computational-chemistry project keeps its CI's environments, of any name, in
    ``devtools/conda-envs/`` (and conda-forge names the neo4j driver otherwise); a YAML file
    of any name in another folder of ``devtools/`` is no environment."""
    write_tree(
        tmp_path,
        {
            "devtools/conda-envs/test.yml": (
                "dependencies:\n  - neo4j-python-driver\n  - moto\n  - docker-py\n"
            ),
            "devtools/conda-envs/docs.yml": "dependencies:\n  - sphinx\n",
            "devtools/configs/test.yml": "dependencies:\n  - requests\n",
        },
    )
    model = _model(tmp_path)
    assert {
        ("neo4j", "conda:devtools/conda-envs/test.yml", "devtools/conda-envs/test.yml", 2),
        ("moto", "conda:devtools/conda-envs/test.yml", "devtools/conda-envs/test.yml", 3),
        ("docker", "conda:devtools/conda-envs/test.yml", "devtools/conda-envs/test.yml", 4),
        ("sphinx", "conda:devtools/conda-envs/docs.yml", "devtools/conda-envs/docs.yml", 2),
    } == _declared(model)
    assert _required(model) == {"neo4j", "moto", "docker"}


def test_conda_yaml_beyond_the_simple_subset_is_not_statically_readable(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(tmp_path, {"environment.yml": "dependencies: [numpy, scipy]\n"})
    assert not _model(tmp_path).complete
    write_tree(tmp_path, {"environment.yml": "dependencies:\n  - &np numpy\n  - *np\n"})
    assert not _model(tmp_path).complete


SETUP_PY = """\
from setuptools import setup

TESTS = ["pytest>=8", "hypothesis"]
setup(
    name="demo",
    install_requires=["requests>=2", "click"],
    extras_require={
        "test": TESTS + ["freezegun"],
        "plot:python_version >= '3.10'": ["matplotlib"],
        ":sys_platform == 'win32'": ["colorama"],
    },
    tests_require=["mock"],
)
"""


@pytest.mark.slow
def test_static_setup_py_is_read_with_ast_and_never_run(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(tmp_path, {"setup.py": SETUP_PY + "raise SystemExit('setup.py was executed')\n"})
    model = _model(tmp_path)
    assert {
        ("requests", "dependencies", "setup.py", 6),
        ("click", "dependencies", "setup.py", 6),
        ("pytest", "extra:test", "setup.py", 3),
        ("hypothesis", "extra:test", "setup.py", 3),
        ("freezegun", "extra:test", "setup.py", 8),
        ("matplotlib", "extra:plot", "setup.py", 9),
        ("colorama", "dependencies", "setup.py", 10),
        ("mock", "tests_require:setup", "setup.py", 12),
    } == _declared(model)
    assert model.complete
    assert "matplotlib" not in _required(model)


def test_setup_py_extras_dict_filled_item_by_item(tmp_path: Path, write_tree: TreeWriter) -> None:
    """QN8: ``extras = {}`` then ``extras["test"] = extras["dev"] + [...]`` at module level, and
    ``extras_require=extras``: each item is an extra (they were read as no extras at all); an
    item set anywhere else (a function, a computed key, a ``del``) leaves the dict unknown."""
    write_tree(
        tmp_path,
        {
            "setup.py": (
                "from setuptools import setup\n"
                "extras = {}\n"
                "extras['quality'] = ['ruff']\n"
                "extras['test'] = extras['quality'] + ['pytest', 'datasets']\n"
                "extras['all'] = list(set(sum(extras.values(), [])))\n"
                "setup(name='demo', install_requires=['numpy'], extras_require=extras)\n"
            )
        },
    )
    model = _model(tmp_path)
    assert {
        ("numpy", "dependencies", "setup.py", 6),
        ("ruff", "extra:quality", "setup.py", 3),
        ("ruff", "extra:test", "setup.py", 3),
        ("pytest", "extra:test", "setup.py", 4),
        ("datasets", "extra:test", "setup.py", 4),
        ("ruff", "extra:all", "setup.py", 3),
        ("pytest", "extra:all", "setup.py", 4),
        ("datasets", "extra:all", "setup.py", 4),
    } == _declared(model)
    assert model.complete
    write_tree(
        tmp_path,
        {
            "setup.py": (
                "from setuptools import setup\n"
                "extras = {}\n"
                "extras['test'] = ['pytest']\n"
                "for name in NAMES:\n"
                "    extras[name] = [name]\n"
                "setup(name='demo', install_requires=['numpy'], extras_require=extras)\n"
            )
        },
    )
    assert not _model(tmp_path).complete


def test_setup_py_extra_of_every_item_before_it(tmp_path: Path, write_tree: TreeWriter) -> None:
    """SB1: ``extras["tests"] = list(chain(*extras.values(), ["pytest"]))`` (aif360) installs
    every extra set before it and the lists passed along: the tests extra was dropped as a
    mere union, so APT104 said the tests declared nothing and APT101 called its packages
    optional. An item that reads the dict otherwise, or filters it, declares nothing."""
    write_tree(
        tmp_path,
        {
            "setup.py": (
                "from itertools import chain\n"
                "from setuptools import setup\n"
                "extras = {'plot': ['matplotlib'], 'ot': ['pot']}\n"
                "extras['tests'] = list(chain(*extras.values(), ['pytest']))\n"
                "extras['docs'] = extras['plot'] + read('docs.txt')\n"
                "extras['all'] = [r for k, v in extras.items() if k != 'ot' for r in v]\n"
                "setup(name='demo', install_requires=['numpy'], extras_require=extras)\n"
            )
        },
    )
    model = _model(tmp_path)
    assert {
        ("numpy", "dependencies", "setup.py", 7),
        ("matplotlib", "extra:plot", "setup.py", 3),
        ("pot", "extra:ot", "setup.py", 3),
        ("matplotlib", "extra:tests", "setup.py", 3),
        ("pot", "extra:tests", "setup.py", 3),
        ("pytest", "extra:tests", "setup.py", 4),
    } == _declared(model)
    assert {"numpy", "matplotlib", "pot", "pytest"} <= _required(model)


def test_setup_py_nested_requirement_lists_are_read_through(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """RW2: setuptools flattens nested lists of requirements, so the trailing comma that makes
    ``tests_require = [...],`` a tuple holding the list still declares each of them (flanker's
    ``tests`` extra was read as empty: APT104 said its tests declared nothing)."""
    write_tree(
        tmp_path,
        {
            "setup.py": (
                "from setuptools import setup\n"
                "tests_require = [\n"
                "    'mock',\n"
                "    'nose',\n"
                "],\n"
                "setup(name='demo', install_requires=['six'], tests_require=tests_require,\n"
                "      extras_require={'tests': tests_require})\n"
            )
        },
    )
    model = _model(tmp_path)
    assert {
        ("six", "dependencies", "setup.py", 6),
        ("mock", "tests_require:setup", "setup.py", 3),
        ("nose", "tests_require:setup", "setup.py", 4),
        ("mock", "extra:tests", "setup.py", 3),
        ("nose", "extra:tests", "setup.py", 4),
    } == _declared(model)
    assert model.complete


def test_setup_py_lists_splicing_named_lists_are_read_through(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """YB4: ``[*encryption, "aiosqlite"]`` splices a list bound once, also two levels deep:
    the ``test`` extra declares ``unpaddedbase64`` (mautrix's APT101 said it was declared only
    in an optional requirements file). A starred name that is no list stays unreadable."""
    setup_py = (
        "from setuptools import setup\n"
        "encryption = ['unpaddedbase64']\n"
        "test_dependencies = ['aiosqlite', *encryption]\n"
        "setup(name='demo', extras_require={{'test': ['pytest', *{spliced}]}})\n"
    )
    write_tree(tmp_path, {"setup.py": setup_py.format(spliced="test_dependencies")})
    model = _model(tmp_path)
    assert {
        ("pytest", "extra:test", "setup.py", 4),
        ("aiosqlite", "extra:test", "setup.py", 3),
        ("unpaddedbase64", "extra:test", "setup.py", 2),
    } == _declared(model)
    assert model.complete
    write_tree(tmp_path, {"setup.py": setup_py.format(spliced="computed()")})
    assert not _model(tmp_path).complete


def test_python_declaration_files_are_read_like_test_files(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """setup.py and noxfile.py are parsed as test files are: the compiler's warnings about them
    (an invalid escape) are the file's business, neither printed nor an error under -W error."""
    warned = SETUP_PY + 'PATTERN = "\\d+"\n'
    write_tree(tmp_path, {"setup.py": warned, "noxfile.py": 'PATTERN = "\\d+"\n'})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = _model(tmp_path)
    assert ("requests", "dependencies", "setup.py", 6) in _declared(model)
    assert model.complete


@pytest.mark.slow
def test_setup_py_with_kwargs_or_computed_values_is_incomplete(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(tmp_path, {"setup.py": "from setuptools import setup\nsetup(**KW)\n"})
    assert not _model(tmp_path).complete
    write_tree(
        tmp_path,
        {"setup.py": "import setuptools\nsetuptools.setup(extras_require={'x': [r for r in R]})\n"},
    )
    assert not _model(tmp_path).complete


@pytest.mark.slow
def test_setup_py_keywords_spread_from_a_dict_bound_once(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """``setup(**setup_args)`` of a name bound once to ``dict(...)`` or a dict literal reads as
    its keywords, items set later at module level included (RZ4, qtconsole); a dict changed
    any other way (a nested item, ``update``) cannot be read, and a conda environment file's
    packages are then not known to be optional."""
    setup_py = (
        "from setuptools import setup\n\n"
        "setup_args = dict(\n"
        "    name='demo',\n"
        "    install_requires=['qtpy>=2.4', 'pygments'],\n"
        "    extras_require={'test': ['pytest']},\n"
        ")\n"
        "setup_args['tests_require'] = ['mock']\n"
        "if __name__ == '__main__':\n"
        "    setup(**setup_args)\n"
    )
    write_tree(
        tmp_path,
        {
            "setup.py": setup_py,
            "docs/environment.yml": "dependencies:\n  - qtpy\n",
            "tests/test_a.py": "import qtpy\n\n\ndef test_a():\n    pass\n",
        },
    )
    model = _model(tmp_path)
    assert {
        ("qtpy", "dependencies", "setup.py", 5),
        ("pytest", "extra:test", "setup.py", 6),
        ("mock", "tests_require:setup", "setup.py", 8),
    } < _declared(model)
    assert model.complete
    assert model.project_name == "demo"
    literal = (
        "from setuptools import setup\n\n"
        "KW = {'name': 'demo', 'install_requires': ['qtpy'],\n"
        "      'extras_require': {'test': ['pytest']}}\n"
        "setup(**KW)\n"
    )
    write_tree(tmp_path, {"setup.py": literal})
    model = _model(tmp_path)
    assert ("qtpy", "dependencies", "setup.py", 3) in _declared(model)
    assert model.complete
    nested = setup_py + "setup_args['extras_require']['docs'] = ['sphinx']\n"
    write_tree(tmp_path, {"setup.py": nested})
    model = _model(tmp_path)
    assert not model.runtime_known
    assert _findings(tmp_path, ["APT101", "APT102"]) == []


@pytest.mark.slow
def test_setup_py_through_a_wrapper_leaves_the_runtime_unknown(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """A setup.py calling its own wrapper instead of setup() may read its runtime requirements
    from a requirements file (ZJ5): an import of what that file declares is not known to be
    optional (APT101), and stays so when [project] declares the runtime statically."""
    write_tree(
        tmp_path,
        {
            "setup.py": (
                "from setup_utils import get_requirements, setup_package\n\n"
                "setup_package(required=get_requirements('requirements.prod.txt'))\n"
            ),
            "requirements.prod.txt": "typing_extensions>=4\n",
            "requirements-test.txt": "pytest>=8\n",
            "tests/test_a.py": "import typing_extensions\n\n\ndef test_a():\n    pass\n",
        },
    )
    model = _model(tmp_path)
    assert not model.runtime_known
    assert _findings(tmp_path, ["APT101", "APT102"]) == []
    write_tree(
        tmp_path,
        {"pyproject.toml": "[project]\nname = 'demo'\nversion = '1'\ndependencies = []\n"},
    )
    assert _model(tmp_path).runtime_known
    assert _findings(tmp_path, ["APT101"]) == [("tests/test_a.py", 1, "APT101")]


@pytest.mark.slow
def test_setup_cfg_options_and_extras(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(
        tmp_path,
        {
            "setup.cfg": """\
[metadata]
name = demo

[options]
install_requires =
    requests>=2
    importlib-metadata; python_version < "3.10"
tests_require = file: test-reqs.txt

[options.extras_require]
testing =
    pytest
plot = matplotlib
""",
            "test-reqs.txt": "mock\n",
        },
    )
    model = _model(tmp_path)
    assert {
        ("requests", "dependencies", "setup.cfg", 6),
        ("importlib-metadata", "dependencies", "setup.cfg", 7),
        ("pytest", "extra:testing", "setup.cfg", 12),
        ("matplotlib", "extra:plot", "setup.cfg", 13),
        ("mock", "requirements:test-reqs.txt", "test-reqs.txt", 1),
    } == _declared(model)
    assert _required(model) == {"requests", "importlib-metadata", "pytest", "mock"}


def test_setup_cfg_one_line_lists_split_on_semicolons(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """setuptools splits a requirement list written on the key's line on ``;``: ``dev = mypy;
    black`` installs both (the metadata says ``Requires-Dist: mypy; extra == "dev"`` and
    ``black; extra == "dev"``), so APT301 reports both unbounded; in a list of several lines a
    ``;`` starts the line's marker."""
    write_tree(
        tmp_path,
        {
            "setup.cfg": """\
[metadata]
name = demo

[options]
install_requires = requests>=2; attrs>=20
tests_require =
    pytest>=8; python_version >= "3.8"

[options.extras_require]
dev = mypy; black
""",
        },
    )
    model = _model(tmp_path)
    assert {
        ("requests", "dependencies", "setup.cfg", 5),
        ("attrs", "dependencies", "setup.cfg", 5),
        ("pytest", "tests_require:setup", "setup.cfg", 7),
        ("mypy", "extra:dev", "setup.cfg", 10),
        ("black", "extra:dev", "setup.cfg", 10),
    } == _declared(model)
    assert [d.requirement for d in model.declared if d.name == "pytest"] == [
        'pytest>=8; python_version >= "3.8"'
    ]
    assert _findings(tmp_path, ["APT301"]) == [
        ("setup.cfg", 10, "APT301"),
        ("setup.cfg", 10, "APT301"),
    ]


def test_setup_cfg_extra_referencing_another(tmp_path: Path, write_tree: TreeWriter) -> None:
    """SB2: ``testing = %(dask)s`` then more lines: ``ConfigParser``'s interpolation puts the
    ``dask`` extra's requirements into ``testing`` (tsfresh), so they are installed with the
    tests; a reference to a key the section lacks declares nothing."""
    write_tree(
        tmp_path,
        {
            "setup.cfg": """\
[metadata]
name = demo

[options.extras_require]
dask =
    dask[dataframe]>=2.9.0
    distributed
testing =
    %(dask)s
    %(missing)s
    pytest
""",
        },
    )
    model = _model(tmp_path)
    assert {
        ("dask", "extra:dask", "setup.cfg", 6),
        ("distributed", "extra:dask", "setup.cfg", 7),
        ("dask", "extra:testing", "setup.cfg", 6),
        ("distributed", "extra:testing", "setup.cfg", 7),
        ("pytest", "extra:testing", "setup.cfg", 11),
    } == _declared(model)
    assert {"dask", "distributed", "pytest"} <= _required(model)


@pytest.mark.slow
def test_pbr_extras_in_setup_cfg(tmp_path: Path, write_tree: TreeWriter) -> None:
    """pbr's ``[extras]`` (with a ``[pbr]`` section, or a ``setup.py`` passing ``pbr=True``)
    declares extras, as bandit's ``baseline = GitPython`` that its tox env installs; without
    either the section is not pbr's and declares nothing."""
    cfg = """\
[metadata]
name = demo

[extras]
baseline =
    GitPython>=3.1.30
old =
    bet:python_version=='3.2'
"""
    write_tree(tmp_path, {"setup.cfg": cfg + "\n[pbr]\nwarnerrors = True\n"})
    assert {
        ("gitpython", "extra:baseline", "setup.cfg", 6),
        ("bet", "extra:old", "setup.cfg", 8),
    } == _declared(_model(tmp_path))
    write_tree(tmp_path, {"setup.cfg": cfg})
    assert not _declared(_model(tmp_path))
    # AY3: pbr needs no section of its own; a setup.py passing pbr=True says pbr builds it
    write_tree(tmp_path, {"setup.py": "from setuptools import setup\n\nsetup(pbr=True)\n"})
    assert ("gitpython", "extra:baseline", "setup.cfg", 6) in _declared(_model(tmp_path))
    write_tree(tmp_path, {"setup.py": "from setuptools import setup\n\nsetup(pbr=False)\n"})
    assert not _declared(_model(tmp_path))


@pytest.mark.slow
def test_requirement_files_by_other_names_and_folders(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "requirements-dev.txt": "-e .[test]\nblack\n",
            "test-requirements.txt": "pytest\n",
            "dev-requirements.in": "ipdb\n",
            "requirements/tests.in": "hypothesis\n",
            "ci/requirements-ci.txt": "pytest-cov\n",
            "tests/requirements.txt": "responses\n",
            "docs/requirements.txt": "sphinx\n",
            "data/requirements.txt": "not read\n",
            "dev-requirements/tests.in": "freezegun\n",  # YB3: a folder named for them
            "requirements_detector/__init__.py": "",  # a package so named: its data is not read
            "requirements_detector/words.txt": "not read\n",
            "pyproject.toml": (
                "[project]\nname = 'demo'\n[project.optional-dependencies]\ntest = ['x1']\n"
            ),
        },
    )
    model = _model(tmp_path)
    names = {d.name for d in model.declared}
    assert names == {
        "black",
        "pytest",
        "ipdb",
        "hypothesis",
        "pytest-cov",
        "responses",
        "sphinx",
        "x1",
        "freezegun",
    }
    assert model.includes["requirements:requirements-dev.txt"] == ("extra:test",)
    assert {"x1", "freezegun"} <= _required(model)


TESTS = {
    "tests/test_a.py": "import pytest\nimport hypothesis\nimport sphinx\n",
    "tests/test_b.py": "import numpy\n",
}


def test_the_rules_believe_a_tox_project(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(
        tmp_path,
        {
            **TESTS,
            "pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['numpy']\n",
            "tox.ini": (
                "[testenv]\ndeps =\n    pytest\n    hypothesis\ncommands = pytest\n\n"
                "[testenv:docs]\ndeps = sphinx\ncommands = sphinx-build -W docs out\n"
            ),
        },
    )
    assert _findings(tmp_path, ["APT101", "APT102"]) == [("tests/test_a.py", 3, "APT101")]


def test_the_rules_believe_a_poetry_project(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(
        tmp_path,
        {
            **TESTS,
            "pyproject.toml": (
                "[tool.poetry]\nname = 'demo'\n[tool.poetry.dependencies]\npython = '^3.10'\n"
                "numpy = { version = '^1.26', optional = true }\n"
                "[tool.poetry.extras]\narrays = ['numpy']\n"
                "[tool.poetry.group.dev.dependencies]\npytest = '^8'\nhypothesis = '^6'\n"
                "sphinx = '^7'\n"
            ),
        },
    )
    assert _findings(tmp_path, ["APT101", "APT102"]) == [("tests/test_b.py", 1, "APT101")]


def test_the_rules_believe_a_conda_project(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(
        tmp_path,
        {
            **TESTS,
            "environment.yml": "dependencies:\n  - numpy\n  - pytest\n  - pip:\n    - hypothesis\n",
            "docs/environment.yml": "dependencies:\n  - sphinx\n",
        },
    )
    assert _findings(tmp_path, ["APT101", "APT102"]) == [("tests/test_a.py", 3, "APT101")]


@pytest.mark.slow
def test_one_project_finding_instead_of_one_per_import_until_tests_are_declared(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['requests']\n",
            "tests/test_a.py": "import requests\nimport hypothesis\n",
            "tests/test_b.py": "import hypothesis\nimport responses\n",
        },
    )
    codes = ["APT101", "APT102", "APT104"]
    result = run_lint([tmp_path], root=tmp_path, select=codes, use_cache=False, jobs=1)
    [finding] = result.findings
    assert (finding.path, finding.line, finding.code) == ("pyproject.toml", 1, "APT104")
    assert "'hypothesis', 'responses'" in finding.message
    assert "tox.ini" in finding.message  # it names the files it looked for
    write_tree(tmp_path, {"requirements-test.txt": "pytest\nhypothesis\n"})
    assert _findings(tmp_path, codes) == [("tests/test_b.py", 2, "APT102")]  # one per import


NOXFILE = """\
import nox

LINT = ["ruff>=0.4"]
TEST_DEPS = ["pytest>=8", "hypothesis"]


def install_extras(session):
    session.install("-e", ".[plot]")


@nox.session(python=["3.11", "3.12"])
def tests(session):
    session.install(*TEST_DEPS, "-r", "requirements/nox-test.txt")
    install_extras(session)
    session.run("pytest", *session.posargs)


@nox.session(name="docs")
def build_docs(session):
    session.install("sphinx")
    session.run("sphinx-build", "docs", "out")


@nox.session
def lint(session):
    session.install(*LINT)
    session.run("ruff", "check", "src")
"""


def test_noxfile_sessions_are_read_with_ast_and_never_run(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "noxfile.py": NOXFILE + "raise SystemExit('noxfile.py was executed')\n",
            "requirements/nox-test.txt": "freezegun\n",
            "pyproject.toml": (
                "[project]\nname = 'demo'\n[project.optional-dependencies]\nplot = ['matplotlib']\n"
            ),
        },
    )
    model = _model(tmp_path)
    assert {
        ("pytest", "nox:tests", "noxfile.py", 4),
        ("hypothesis", "nox:tests", "noxfile.py", 4),
        ("freezegun", "requirements:requirements/nox-test.txt", "requirements/nox-test.txt", 1),
        ("sphinx", "nox:docs", "noxfile.py", 20),
        ("ruff", "nox:lint", "noxfile.py", 3),
        ("matplotlib", "extra:plot", "pyproject.toml", 4),
    } == _declared(model)
    assert model.includes["nox:install_extras"] == ("extra:plot",)
    assert _required(model) == {"pytest", "hypothesis", "freezegun", "matplotlib"}
    assert model.complete


def test_a_noxfile_installing_computed_values_is_incomplete(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "noxfile.py": (
                "import nox\n\n@nox.session\ndef tests(session):\n"
                "    session.install(*nox.project.load_toml('pyproject.toml')['deps'])\n"
            )
        },
    )
    assert not _model(tmp_path).complete


@pytest.mark.slow
def test_native_tox_toml_and_tool_tox_tables(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(
        tmp_path,
        {
            "tox.toml": """\
env_list = ["3.12", "docs"]

[env_run_base]
deps = ["pytest>=8", "-r requirements/tox.txt"]
extras = ["test"]
commands = [["pytest", { replace = "posargs", extend = true }]]

[env.docs]
deps = ["sphinx"]
commands = [["sphinx-build", "docs", "out"]]

[env.type]
deps = ["mypy"]
commands = [["mypy", "src", "tests"]]
""",
            "requirements/tox.txt": "responses\n",
            "pyproject.toml": (
                "[project]\nname = 'demo'\n[project.optional-dependencies]\ntest = ['attrs']\n"
            ),
        },
    )
    model = _model(tmp_path)
    assert {
        ("pytest", "tox:testenv", "tox.toml", 4),
        ("sphinx", "tox:testenv:docs", "tox.toml", 9),
        ("mypy", "tox:testenv:type", "tox.toml", 13),
    } <= _declared(model)
    assert _required(model) == {"pytest", "responses", "attrs", "mypy"}
    write_tree(
        tmp_path,
        {
            "tox.toml": "",
            "pyproject.toml": (
                "[project]\nname = 'demo'\n\n[tool.tox.env_run_base]\ndeps = ['pytest-mock']\n"
            ),
        },
    )
    assert ("pytest-mock", "tox:testenv", "pyproject.toml", 5) in _declared(_model(tmp_path))


@pytest.mark.slow
def test_hatch_requirements_txt_hook_makes_dynamic_dependencies_readable(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": """\
[project]
name = "demo"
dynamic = ["dependencies", "optional-dependencies"]

[tool.hatch.metadata.hooks.requirements_txt]
files = ["requirements/base.txt"]

[tool.hatch.metadata.hooks.requirements_txt.optional-dependencies]
test = ["requirements/test.txt"]
plot = ["requirements/plot.txt"]
""",
            "requirements/base.txt": "requests\n",
            "requirements/test.txt": "pytest\n",
            "requirements/plot.txt": "matplotlib\n",
        },
    )
    model = _model(tmp_path)
    assert model.complete
    assert model.includes["extra:plot"] == ("requirements:requirements/plot.txt",)
    assert _required(model) == {"requests", "pytest"}


@pytest.mark.slow
def test_a_requirements_file_outside_the_declaration_folders_may_be_test_data(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "requirements-dev.txt": "pytest\n",
            "tests/requirements.txt": "this is = not a requirement\n",
        },
    )
    model = _model(tmp_path)  # no error: the file may be data the suite parses
    assert not model.complete
    assert {d.name for d in model.declared} == {"pytest"}


@pytest.mark.slow
def test_setup_py_names_bound_once_annotated_or_read_from_a_requirement_file(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "setup.py": (
                "import os\nfrom setuptools import setup\n\n"
                "install_requires: list[str] = ['six']\n\n"
                "def read(name):\n    with open(os.path.join(HERE, name)) as f:\n"
                "        return f.read().splitlines()\n\n"
                "setup(install_requires=install_requires, tests_require=read('reqs-test.txt'))\n"
            ),
            "reqs-test.txt": "pytest\nmock\n",
        },
    )
    model = _model(tmp_path)
    assert {("six", "dependencies", "setup.py", 4)} < _declared(model)
    assert _required(model) == {"six", "pytest", "mock"}
    assert model.complete
    mutated = "REQS = ['six']\nREQS.append(X)\nsetup(install_requires=REQS)\n"
    write_tree(tmp_path, {"setup.py": mutated})
    assert not _model(tmp_path).complete


@pytest.mark.parametrize(
    ("reading", "read"),
    [
        ("    install_requires = req.read().splitlines()\n", True),
        ("    install_requires = [l for l in req.read().split('\\n') if l]\n", True),
        ("    install_requires = req.read().splitlines() + ['six']\n", False),
        ("    install_requires = ['six']\n", False),
    ],
)
def test_setup_py_reads_a_name_read_from_a_requirement_file_in_a_with(
    tmp_path: Path, write_tree: TreeWriter, reading: str, read: bool
) -> None:
    """airr's ``with open('requirements.txt') as req:`` (here ``deps.txt``, which no name
    pattern reads by itself) binding ``install_requires`` once from
    the file's lines is that file; a value adding items of its own (or not reading the file)
    stays unreadable."""
    write_tree(
        tmp_path,
        {
            "setup.py": (
                "from setuptools import setup\n\n"
                "with open('deps.txt', 'r', encoding='utf-8') as req:\n"
                f"{reading}\n"
                "setup(name='demo', install_requires=install_requires)\n"
            ),
            "deps.txt": "pyyaml\njsonschema\n",
        },
    )
    model = _model(tmp_path)
    assert model.complete is read
    assert ({"pyyaml", "jsonschema"} <= _required(model)) is read


def test_a_file_url_without_slashes_names_no_distribution(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """``file:.`` (uv's and pip's spelling of the project itself, as ``pip-compile``'s input
    writes it) is a URL, not an invalid requirement that stops the run."""
    write_tree(
        tmp_path,
        {
            "test-requirements.in": "file:.\nFILE:../sibling\npytest\n",
            "pyproject.toml": "[project]\nname = 'demo'\n",
        },
    )
    assert {d.name for d in _model(tmp_path).declared} == {"pytest"}


def test_url_lines_of_a_requirements_file_are_direct_references(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """A bare VCS or archive URL installs a distribution named by ``#egg=`` or the URL's last
    segment (ZL5); a ``file:`` URL or a local path is the project's own folder."""
    write_tree(
        tmp_path,
        {
            "requirements-test.txt": (
                "git+https://github.com/org/dbapi-compliance.git@ea7cb1b4#egg=dbapi-compliance\n"
                "-e git+https://github.com/org/helper-lib.git#egg=helper_lib\n"
                "https://example.org/dist/archive-pkg.tar.gz\n"
                "file:.\n"
                "./vendor/thing\n"
                "pytest>=8\n"
            ),
        },
    )
    model = _model(tmp_path)
    assert _declared(model) == {
        ("dbapi-compliance", "requirements:requirements-test.txt", "requirements-test.txt", 1),
        ("helper-lib", "requirements:requirements-test.txt", "requirements-test.txt", 2),
        ("archive-pkg", "requirements:requirements-test.txt", "requirements-test.txt", 3),
        ("pytest", "requirements:requirements-test.txt", "requirements-test.txt", 6),
    }
    assert {d.name for d in model.declared if d.url} == {
        "dbapi-compliance",
        "helper-lib",
        "archive-pkg",
    }
    assert model.complete


def test_lock_files_record_what_each_locked_distribution_requires(
    write_tree: TreeWriter, tmp_path: Path
) -> None:
    """BC1: uv's lock follows an extra named on the way (``demo-utils[api]``) and merges a name
    locked once per marker; Poetry's leaves out what only an extra installs; a broken lock file
    records nothing."""
    uv_lock = (
        '[[package]]\nname = "Demo_Accounts"\n'
        'dependencies = [{ name = "demo-utils", extra = ["api"] }]\n\n'
        '[[package]]\nname = "demo-accounts"\ndependencies = [{ name = "Django" }]\n\n'
        '[[package]]\nname = "demo-utils"\n\n'
        '[package.optional-dependencies]\napi = [{ name = "djangorestframework" }]\n'
        'cli = [{ name = "click" }]\n'
    )
    poetry_lock = (
        '[[package]]\nname = "demo-theme"\n\n[package.dependencies]\nmarkdown = ">=3"\n'
        'pyyaml = {version = ">=6", optional = true}\n'
    )
    pyproject = "[project]\nname = 'demo'\ndependencies = ['demo-accounts']\n"
    root = write_tree(tmp_path / "uv", {"pyproject.toml": pyproject, "uv.lock": uv_lock})
    assert _model(root).locked == {
        "demo-accounts": frozenset({"demo-utils", "djangorestframework", "django"}),
        "demo-utils": frozenset(),
    }
    root = write_tree(
        tmp_path / "poetry", {"pyproject.toml": pyproject, "poetry.lock": poetry_lock}
    )
    assert _model(root).locked == {"demo-theme": frozenset({"markdown"})}
    root = write_tree(tmp_path / "broken", {"pyproject.toml": pyproject, "uv.lock": "[[package"})
    assert _model(root).locked == {}
