"""APT101-APT103 and APT301 on real files through the real engine, beyond the rules' examples."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from apytest.lint.runner import run_lint

TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]

PYPROJECT = """\
[project]
name = "demo"
dependencies = ["requests"]

[project.optional-dependencies]
viz = ["apyt-made-up-viz>=1"]
ci = ["apyt-made-up-ci"]
test = ["pytest"]
"""


def findings(root: Path, *codes: str) -> list[tuple[str, int, str]]:
    result = run_lint([root], root=root, select=list(codes), use_cache=False, jobs=1)
    return [(f.path, f.line, f.code) for f in result.findings]


def write_suite(pytester: pytest.Pytester, name: str, files: Mapping[str, str]) -> None:
    """A project declaring a test group (so "declared nowhere" means something), and its files."""
    pytester.makepyprojecttoml(
        f'[project]\nname = "{name}"\ndependencies = []\n\n'
        '[dependency-groups]\ntest = ["hypothesis"]\n'
    )
    for path, source in files.items():
        target = pytester.path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")


@pytest.mark.parametrize(
    "source",
    [
        "import pytest\n\nif False:\n    pass\n"
        "pytest.importorskip('apyt_made_up_viz')\nfrom apyt_made_up_viz import core\n",
        "import pytest\n\ndef test_a():\n    pytest.importorskip('apyt_made_up_viz')\n"
        "    import apyt_made_up_viz.core\n",
        "try:\n    import apyt_made_up_viz\nexcept ImportError:\n    import apyt_made_up_ci\n",
        "import pytest\nfrom importlib.util import find_spec\n\n"
        "if find_spec('apyt_made_up_viz') is None:\n"
        "    pytest.skip('needs viz', allow_module_level=True)\nimport apyt_made_up_viz\n",
    ],
    ids=["module-importorskip", "function-importorskip", "except-fallback", "find-spec-skip"],
)
def test_guards_silence_apt101_and_apt102(
    source: str, tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "tests/test_a.py": source})
    assert findings(tmp_path, "APT101", "APT102") == []


@pytest.mark.slow
def test_test_extras_option_decides_what_is_optional(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    source = "import apyt_made_up_ci\nimport apyt_made_up_viz\n"
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "tests/test_a.py": source})
    assert findings(tmp_path, "APT101") == [
        ("tests/test_a.py", 1, "APT101"),
        ("tests/test_a.py", 2, "APT101"),
    ]
    (tmp_path / "pyproject.toml").write_text(
        PYPROJECT + '\n[tool.apytest]\ntest-extras = ["ci"]\n', encoding="utf-8"
    )
    assert findings(tmp_path, "APT101") == [("tests/test_a.py", 2, "APT101")]


def test_groups_included_by_a_test_group_are_installed(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    pyproject = (
        '[project]\nname = "demo"\n\n[dependency-groups]\nviz = ["apyt-made-up-viz"]\n'
        'test = [{include-group = "viz"}, "pytest"]\n'
    )
    source = "import pytest\nimport apyt_made_up_viz\n"
    write_tree(tmp_path, {"pyproject.toml": pyproject, "tests/test_a.py": source})
    assert findings(tmp_path, "APT101", "APT102") == []


def test_import_names_resolve_without_the_package_installed(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    pyproject = (
        '[project]\nname = "demo"\ndependencies = ["PyYAML", "scikit-learn", "python-magic"]\n'
    )
    source = "import yaml\nimport sklearn.linear_model\nimport magic\nimport dateutil\n"
    tests = "pytest\n"  # test dependencies declared somewhere, so "declared nowhere" is proof
    write_tree(
        tmp_path,
        {"pyproject.toml": pyproject, "requirements-test.txt": tests, "tests/test_a.py": source},
    )
    assert findings(tmp_path, "APT101", "APT102") == [("tests/test_a.py", 4, "APT102")]


def test_messages_name_the_distribution_an_import_most_likely_means(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """The published table's first provider: ratelimit's original (an sdist that says nothing
    of what it ships, more downloaded than asgi-ratelimit, whose wheel ships a ``ratelimit``
    package too), and scikit-learn for ``sklearn`` (the ``sklearn`` sdist is less downloaded)."""
    source = "import ratelimit\nimport sklearn\n"
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "demo"\ndependencies = []\n',
            "requirements-test.txt": "pytest\n",
            "tests/test_a.py": source,
        },
    )
    result = run_lint([tmp_path], root=tmp_path, select=["APT102"], use_cache=False, jobs=1)
    messages = [f.message for f in result.findings]
    assert len(messages) == 2, messages
    assert "'ratelimit' comes from distribution 'ratelimit'," in messages[0]
    assert "'sklearn' comes from distribution 'scikit-learn'," in messages[1]


def test_a_package_the_build_excludes_is_asked_to_ship_not_to_declare(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """BI2: ``mcp_server`` is no distribution the tests need (the tables guess
    django-mcp-server) but the repository's package that the build, and so the sdist, leaves
    out."""
    pyproject = (
        '[project]\nname = "demo"\ndependencies = []\n\n'
        '[tool.setuptools.packages.find]\nexclude = ["tests*", "mcp_server*"]\n'
    )
    write_tree(
        tmp_path,
        {
            "pyproject.toml": pyproject,
            "requirements-test.txt": "pytest\n",
            "tests/test_a.py": "import mcp_server.server\n",
        },
    )
    result = run_lint([tmp_path], root=tmp_path, select=["APT102"], use_cache=False, jobs=1)
    messages = [f.message for f in result.findings]
    assert len(messages) == 1, messages
    assert "the build's package discovery excludes it by name" in messages[0]
    assert "a package of the repository missing from it" in messages[0]
    assert "django" not in messages[0]


def test_a_module_of_the_projects_package_is_named_not_a_distribution(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """pylocalvoice's ``tests/test_pyhmong.py`` imports ``pyhmong``, which is its own
    ``pylocalvoice/pyhmong/`` (the import fails: nothing puts that folder on ``sys.path``); the
    message names that package, not a distribution 'pyhmong' to install. A name no project
    file has keeps the old advice, as does a dotted name of which the project has only the first
    part (galpy's ``galpy/potential/amuse.py`` beside ``import amuse.couple``)."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "demo"\ndependencies = []\n',
            "requirements-test.txt": "pytest>=8\n",
            "demo/__init__.py": "",
            "demo/pyhmong/__init__.py": "",
            "demo/potential/apyt_amuse.py": "",
            "tests/test_a.py": "import pyhmong\nimport apyt_made_up_voice\n",
            "tests/test_b.py": "import apyt_amuse.couple\n",
        },
    )
    result = run_lint([tmp_path], root=tmp_path, select=["APT102"], use_cache=False, jobs=1)
    own, unknown, dotted = (f.message for f in result.findings)
    assert "the project's own 'demo/pyhmong/__init__.py' is named so" in own
    assert "perhaps" not in own
    assert "(perhaps 'apyt-made-up-voice')" in unknown
    assert "(perhaps 'apyt-amuse')" in dotted


def test_modules_a_pytester_test_writes_itself_are_not_dependencies(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    source = (
        "def test_own(pytester):\n    pytester.makepyfile(helper_made_here='x = 1')\n"
        "    pytester.syspathinsert()\n    import helper_made_here\n\n"
        "def test_prepend(monkeypatch, tmp_path):\n    monkeypatch.syspath_prepend(tmp_path)\n"
        "    import other_made_here\n"
    )
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "tests/test_a.py": source})
    assert findings(tmp_path, "APT102") == []


def test_a_file_linted_alone_knows_the_modules_beside_it_and_above_it(
    pytester: pytest.Pytester,
) -> None:
    """pre-commit names only the changed files: a conftest importing the `helpers.py` beside
    it, and a test importing a module of a folder above its own (on `sys.path` through the
    rootdir's conftest), are no findings linted alone either. pytest collects both."""
    write_suite(
        pytester,
        "siblings",
        {
            "tests/conftest.py": "import helpers\n",
            "tests/helpers.py": "VALUE = 1\n",
            "tests/factories.py": "VALUE = 2\n",
            "tests/unit/test_a.py": "import factories\n\ndef test_a():\n    pass\n",
        },
    )
    collected = pytester.runpytest_subprocess("-p", "no:apytest", "-p", "no:cacheprovider")
    assert collected.ret == 0, collected.stdout.str()
    for named in ("tests", "tests/unit/test_a.py", "tests/conftest.py"):
        result = run_lint(
            [pytester.path / named], root=pytester.path, select=["APT102"], use_cache=False
        )
        assert result.findings == [], named
    pytester.path.joinpath("tests/unit/test_b.py").write_text("import apyt_made_up_viz\n")
    result = run_lint(
        [pytester.path / "tests/unit/test_b.py"], root=pytester.path, select=["APT102"]
    )
    assert [(f.path, f.code) for f in result.findings] == [("tests/unit/test_b.py", "APT102")]


def test_without_static_declarations_nothing_is_undeclared(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    write_tree(
        tmp_path,
        {
            "setup.py": "from setuptools import setup\nsetup(install_requires=['numpy'])\n",
            "tests/test_a.py": "import numpy\n",
        },
    )
    assert findings(tmp_path, "APT101", "APT102") == []


@pytest.mark.parametrize(
    ("runtime", "expected"),
    [
        ("pelican", []),
        ("sphinx", []),
        ("requests", [("tests/test_a.py", 1, "APT102")]),
    ],
    ids=["requirements-unknown", "requirements-known-bring-it", "requirements-known"],
)
def test_a_runtime_requirement_may_bring_what_the_projects_code_imports(
    tmp_path: Path, write_tree: TreeWriter, runtime: str, expected: list[tuple[str, int, str]]
) -> None:
    """pelican and sphinx require docutils: a plugin of theirs imports it, declared nowhere,
    and works wherever it is installed. apytest-lint does not know what pelican requires, so it
    cannot say docutils is missing; it knows that sphinx brings it and requests does not."""
    pyproject = (
        f'[project]\nname = "demo"\ndependencies = ["{runtime}"]\n'
        '[tool.pytest.ini_options]\npythonpath = ["."]\n'
    )
    write_tree(
        tmp_path,
        {
            "pyproject.toml": pyproject,
            "requirements-test.txt": "pytest\n",
            "demo/__init__.py": "import docutils\n",
            "tests/test_a.py": "import demo\n",
        },
    )
    assert findings(tmp_path, "APT102") == expected


@pytest.mark.parametrize(
    ("runtime", "module", "expected"),
    [
        ("pytest", "exceptiongroup", []),
        ("hatchling", "tomli", []),
        ("hatchling", "docutils", [("tests/test_a.py", 1, "APT102")]),
        ("lfpy", "docutils", []),
    ],
    ids=["marker-requirement", "marker-requirement-of-a-tool", "brought-by-none", "unknown-below"],
)
def test_a_runtime_requirement_may_bring_what_it_requires_sometimes(
    tmp_path: Path,
    write_tree: TreeWriter,
    runtime: str,
    module: str,
    expected: list[tuple[str, int, str]],
) -> None:
    """pytest requires exceptiongroup and hatchling tomli only before Python 3.11: the project's
    code imports it there (pytest-rerunfailures does), and it is installed. LFPy requires
    NEURON, whose own requirements apytest-lint does not know: they may bring anything."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                f'[project]\nname = "demo"\ndependencies = ["{runtime}"]\n'
                '[tool.pytest.ini_options]\npythonpath = ["."]\n'
            ),
            "requirements-test.txt": "pytest\n",
            "demo/__init__.py": (
                f"import sys\n\nimport packaging\n\nif sys.version_info < (3, 11):\n"
                f"    import {module}\n"
            ),
            "tests/test_a.py": "import demo\n",
        },
    )
    assert findings(tmp_path, "APT102") == expected


@pytest.mark.parametrize(
    ("declared", "expected"),
    [("ipykernel>=6.14", []), ("jupyter-core", [("tests/test_a.py", 1, "APT102")])],
    ids=["ipykernel-brings-ipython", "jupyter-core-does-not"],
)
def test_a_kernel_in_the_test_extra_brings_ipython(
    tmp_path: Path, write_tree: TreeWriter, declared: str, expected: list[tuple[str, int, str]]
) -> None:
    """ipykernel requires ipython in every release: a test module of a project whose test
    extra declares ipykernel imports ``IPython`` and collects."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "demo"\ndependencies = []\n\n'
                f'[project.optional-dependencies]\ntest = ["pytest", "{declared}"]\n'
            ),
            "tests/test_a.py": "from IPython.utils.capture import capture_output\n",
        },
    )
    assert findings(tmp_path, "APT101", "APT102") == expected


@pytest.mark.parametrize(
    ("declared", "expected"),
    [("moto", []), ("responses", [("tests/test_a.py", 1, "APT101")])],
    ids=["moto-brings-boto3", "responses-does-not"],
)
def test_moto_in_the_test_group_brings_boto3(
    tmp_path: Path, write_tree: TreeWriter, declared: str, expected: list[tuple[str, int, str]]
) -> None:
    """moto requires boto3 in every release: a test module importing ``boto3``, declared only in
    an optional extra, collects where the test group declares moto."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "demo"\ndependencies = []\n\n'
                '[project.optional-dependencies]\noptional = ["boto3"]\n\n'
                f'[dependency-groups]\ntest = ["pytest", "{declared}"]\n'
            ),
            "tests/test_a.py": "import boto3\n",
        },
    )
    assert findings(tmp_path, "APT101", "APT102") == expected


@pytest.mark.parametrize(
    ("runtime", "expected"),
    [("pyspark>=2.1", []), ("pyarrow", [("tests/test_a.py", 1, "APT102")])],
    ids=["pyspark-brings-py4j", "pyarrow-does-not"],
)
def test_pyspark_brings_py4j(
    tmp_path: Path, write_tree: TreeWriter, runtime: str, expected: list[tuple[str, int, str]]
) -> None:
    """pyspark pins py4j in every release: a test importing ``py4j`` of a project requiring
    pyspark collects."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                f'[project]\nname = "demo"\ndependencies = ["{runtime}"]\n\n'
                '[project.optional-dependencies]\ntest = ["pytest"]\n'
            ),
            "tests/test_a.py": "from py4j.protocol import Py4JJavaError\n",
        },
    )
    assert findings(tmp_path, "APT101", "APT102") == expected


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("pytest-aiohttp>=1.1", []),
        (
            "pytest-cov",
            [
                ("pyproject.toml", "APT402"),
                ("tests/conftest.py", "APT102"),
                ("tests/test_app.py", "APT101"),
                ("tests/test_app.py", "APT401"),
            ],
        ),
    ],
)
def test_pytest_aiohttp_brings_aiohttp_and_pytest_asyncio(
    tmp_path: Path, write_tree: TreeWriter, declared: str, expected: list[tuple[str, str]]
) -> None:
    """pytest-aiohttp requires aiohttp (which requires multidict) and pytest-asyncio in every
    release since 1.0: its test group installs both, so pytest-asyncio's ini option, marker and
    module are there, and a project module needing multidict imports."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "demo"\ndependencies = []\n\n'
                '[project.optional-dependencies]\naiohttp = ["aiohttp", "multidict"]\n\n'
                f'[dependency-groups]\ntest = ["pytest", "{declared}"]\n\n'
                '[tool.pytest.ini_options]\nasyncio_mode = "strict"\n'
                'filterwarnings = ["error"]\n'
            ),
            "demo/__init__.py": "",
            "demo/responses.py": "from multidict import MultiDict\n",
            "tests/conftest.py": "import pytest_asyncio\n",
            "tests/test_app.py": (
                "from demo.responses import MultiDict\nimport pytest\n\n"
                "@pytest.mark.asyncio\nasync def test_app():\n    pass\n"
            ),
        },
    )
    got = findings(tmp_path, "APT101", "APT102", "APT401", "APT402")
    assert sorted((path, code) for path, _, code in got) == expected


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("pytest-html >= 1.19.0", []),
        ("pytest-cov", [("pyproject.toml", "APT402")] * 2),  # --metadata, and --html too
    ],
)
def test_pytest_html_brings_pytest_metadata(
    tmp_path: Path, write_tree: TreeWriter, declared: str, expected: list[tuple[str, str]]
) -> None:
    """pytest-html requires pytest-metadata in every release since 1.19 (2018): a test extra
    declaring it has ``--metadata``. (Not an accepted rule example: those run under apytest's
    own environment, which has no pytest-html.)"""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "demo"\ndependencies = []\n\n'
                f'[project.optional-dependencies]\ntest = ["pytest", "{declared}"]\n\n'
                "[tool.pytest.ini_options]\n"
                'addopts = "--metadata PACKAGE_UNDER_TEST demo --html=build/report.html"\n'
            ),
            "tests/test_a.py": "def test_a():\n    pass\n",
        },
    )
    got = findings(tmp_path, "APT402")
    assert sorted((path, code) for path, _, code in got) == expected


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("pytest-astropy", []),
        ("pytest-cov", [("setup.cfg", "APT402")] * 3),  # --doctest-rst, and both ini keys
    ],
)
def test_pytest_astropy_brings_pytest_doctestplus(
    tmp_path: Path, write_tree: TreeWriter, declared: str, expected: list[tuple[str, str]]
) -> None:
    """pytest-astropy, the astropy ecosystem's bundle of plugins, requires pytest-doctestplus
    (and pytest-remotedata, pytest-arraydiff, ...): a test extra declaring it has
    ``--doctest-rst`` and ``doctest_plus``. (Not an accepted rule example: apytest's own
    environment has no pytest-doctestplus.)"""
    write_tree(
        tmp_path,
        {
            "setup.cfg": (
                "[metadata]\nname = demo\n\n[options]\ninstall_requires = numpy\n\n"
                f"[options.extras_require]\ntest =\n    {declared}\n\n"
                '[tool:pytest]\ntestpaths = "demo" "docs"\ndoctest_plus = enabled\n'
                "text_file_format = rst\naddopts = --doctest-rst --strict-config\n"
            ),
            "demo/tests/test_a.py": "def test_a():\n    pass\n",
        },
    )
    got = findings(tmp_path, "APT402")
    assert sorted((path, code) for path, _, code in got) == expected


def test_an_extra_that_a_test_tool_brings_is_no_optional_import(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """factory-boy declared only in an extra is installed with the tests all the same when the
    group that declares pytest also declares pytest-factoryboy, which requires it: an unguarded
    import of it is no APT101. Without that tool in the group, it is."""
    pyproject = (
        '[project]\nname = "demo"\ndependencies = []\n\n'
        '[project.optional-dependencies]\nfactory = ["factory-boy>=3.3"]\n\n'
        '[dependency-groups]\ndev = ["pytest", {tool}]\n'
    )
    files = {"tests/test_a.py": "import factory\n"}
    write_tree(tmp_path, {**files, "pyproject.toml": pyproject.format(tool='"pytest-factoryboy"')})
    assert findings(tmp_path, "APT101", "APT102") == []
    write_tree(tmp_path, {**files, "pyproject.toml": pyproject.format(tool='"pytest-mock"')})
    assert findings(tmp_path, "APT101", "APT102") == [("tests/test_a.py", 1, "APT101")]


def test_a_requirement_file_declaring_pytest_is_the_test_environment(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """A plain ``requirements.txt`` listing only the runtime (or the docs' tools, in
    ``docs/``) says nothing about the tests:
    when the one file that declares pytest is ``build-requirements.txt`` (no test word in its
    name), it is where the test environment is declared, so its hypothesis is no APT101.
    Without pytest there, that file is optional, and the import is APT101; pytest in the plain
    ``requirements.txt`` makes that file the test environment instead."""
    files = {
        "setup.py": "from setuptools import setup\nsetup(name='demo', install_requires=['ecdsa'])",
        "requirements.txt": "ecdsa\n",
        "docs/requirements.txt": "sphinx\n",
        "unit_tests/test_a.py": "import hypothesis\n",
    }
    write_tree(tmp_path, {**files, "build-requirements.txt": "coverage\nhypothesis\npytest\n"})
    assert findings(tmp_path, "APT101", "APT102") == []
    write_tree(tmp_path, {**files, "build-requirements.txt": "coverage\nhypothesis\n"})
    assert findings(tmp_path, "APT101", "APT102") == [("unit_tests/test_a.py", 1, "APT101")]
    write_tree(
        tmp_path,
        {
            **files,
            "requirements.txt": "ecdsa\npytest\n",
            "build-requirements.txt": "coverage\nhypothesis\npytest\n",
        },
    )
    assert findings(tmp_path, "APT101", "APT102") == [("unit_tests/test_a.py", 1, "APT101")]


def test_a_dev_group_of_tools_only_leaves_the_group_declaring_pytest_the_tests(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """YB2: a ``dev`` group holding only nox (uv installs it by default; nox then installs the
    group named ``pytest``) is not where the tests' packages are declared: the group that
    declares pytest is, so its ``mock`` is no APT101. The near miss: a ``dev`` group that
    brings pytest itself (here through an include) stays the one test environment, and the
    other group's ``mock`` is optional."""
    pyproject = (
        '[project]\nname = "demo"\ndependencies = []\n\n'
        '[dependency-groups]\ndev = [{dev}]\nnox = ["nox"]\n'
        'pytest = ["mock", "pytest"]\nrunner = ["pytest"]\n'
    )
    files = {"tests/test_a.py": "import mock\n"}
    write_tree(
        tmp_path, {**files, "pyproject.toml": pyproject.format(dev='{include-group = "nox"}')}
    )
    assert findings(tmp_path, "APT101", "APT102") == []
    write_tree(
        tmp_path, {**files, "pyproject.toml": pyproject.format(dev='{include-group = "runner"}')}
    )
    assert findings(tmp_path, "APT101", "APT102") == [("tests/test_a.py", 1, "APT101")]


def test_a_requirement_file_in_a_package_test_folder_declares_the_tests(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """A suite inside the package (``demo/tests/``) declares what it installs in
    ``demo/tests/requirements.txt``: pyotp there is no APT101 although an extra also lists it.
    Without that file the import is APT101 (declared only in the extra)."""
    files = {
        "setup.py": (
            "from setuptools import setup\nsetup(name='demo', install_requires=['django'],\n"
            "      extras_require={'mfa': ['pyotp']}, tests_require=['responses'])\n"
        ),
        "demo/__init__.py": "",
        "demo/tests/__init__.py": "",
        "demo/tests/test_a.py": "import pyotp\n",
    }
    write_tree(tmp_path, files)
    assert findings(tmp_path, "APT101", "APT102") == [("demo/tests/test_a.py", 1, "APT101")]
    write_tree(tmp_path, {"demo/tests/requirements.txt": "responses\npyotp~=2.9\n"})
    assert findings(tmp_path, "APT101", "APT102") == []


def test_pyjwt_arrives_with_a_declared_simplejwt(tmp_path: Path, write_tree: TreeWriter) -> None:
    """djangorestframework-simplejwt requires pyjwt: a test importing ``jwt`` runs wherever the
    declared tests' packages are installed (no APT102); with simplejwt declared only in an
    extra, ``jwt`` comes only with that extra: APT101, as for a package the extra names (SA2)."""
    setup = (
        "from setuptools import setup\nsetup(name='demo', install_requires=['django'],\n"
        "      extras_require={{'jwt': ['djangorestframework-simplejwt']}},\n"
        "      tests_require=[{tests}])\n"
    )
    files = {"tests/test_a.py": "from jwt import decode\n"}
    tests = "'responses', 'djangorestframework-simplejwt==5.5.1'"
    write_tree(tmp_path, {**files, "setup.py": setup.format(tests=tests)})
    assert findings(tmp_path, "APT101", "APT102") == []
    write_tree(tmp_path, {**files, "setup.py": setup.format(tests="'responses'")})
    assert findings(tmp_path, "APT101", "APT102") == [("tests/test_a.py", 1, "APT101")]


def test_sqlalchemy_database_arrives_with_a_required_fastapi_amis_admin(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """fastapi-amis-admin requires sqlalchemy-database (AN1): a conftest importing
    ``sqlalchemy_database`` runs wherever the project's own requirement is installed (no APT102);
    without fastapi-amis-admin among the requirements nothing brings it: APT102."""
    pyproject = (
        '[project]\nname = "demo"\ndependencies = [{deps}]\n\n'
        '[project.optional-dependencies]\ntest = ["pytest", "httpx"]\n'
    )
    files = {"tests/conftest.py": "from sqlalchemy_database import Database\n"}
    write_tree(tmp_path, {**files, "pyproject.toml": pyproject.format(deps='"fastapi-amis-admin"')})
    assert findings(tmp_path, "APT101", "APT102") == []
    write_tree(tmp_path, {**files, "pyproject.toml": pyproject.format(deps='"fastapi"')})
    assert findings(tmp_path, "APT101", "APT102") == [("tests/conftest.py", 1, "APT102")]


def test_a_tox_uv_environment_installing_every_extra_makes_them_test_sections(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """tox-uv's ``uv_sync_flags = ["--all-extras"]`` in a test environment installs every extra
    wherever tox runs the suite: an import declared only in an extra is no APT101 there, and
    what that extra's packages require (opentelemetry-instrumentation's wrapt) no APT102. A
    docs environment with the flag says nothing about the tests: both are optional there (SA2)."""
    pyproject = (
        '[project]\nname = "demo"\ndependencies = []\n\n'
        '[project.optional-dependencies]\notel = ["opentelemetry-instrumentation", "psutil"]\n\n'
        '[dependency-groups]\ndev = ["pytest"]\n\n'
        "[tool.tox.env.{env}]\nrunner = 'uv-venv-lock-runner'\n"
        "uv_sync_flags = ['--all-extras']\ncommands = [['{command}', 'x']]\n"
    )
    files = {"tests/test_a.py": "import psutil\nimport wrapt\n"}
    test_env = pyproject.format(env="unit", command="pytest")
    write_tree(tmp_path, {**files, "pyproject.toml": test_env})
    assert findings(tmp_path, "APT101", "APT102") == []
    docs_env = pyproject.format(env="docs", command="sphinx-build")
    write_tree(tmp_path, {**files, "pyproject.toml": docs_env})
    assert findings(tmp_path, "APT101", "APT102") == [
        ("tests/test_a.py", 1, "APT101"),
        ("tests/test_a.py", 2, "APT101"),
    ]


def test_a_module_inside_a_package_is_no_top_level_name(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """``src/demo/preconf/bson.py`` is ``demo.preconf.bson``: ``import bson`` is pymongo's."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "demo"\n'
                '[project.optional-dependencies]\nbson = ["pymongo"]\ntest = ["pytest"]\n'
            ),
            "src/demo/__init__.py": "",
            "src/demo/preconf/__init__.py": "",
            "src/demo/preconf/bson.py": "",
            "tests/helpers.py": "",
            "tests/test_a.py": "import bson\nimport helpers\nimport demo.preconf.bson\n",
        },
    )
    assert findings(tmp_path, "APT101", "APT102") == [("tests/test_a.py", 1, "APT101")]


@pytest.mark.parametrize(
    ("install_requires", "expected"),
    [
        ("install_requires()", []),
        ("['kombu']", [("tests/test_a.py", 1, "APT101")]),
    ],
    ids=["computed", "literal"],
)
def test_a_requirements_file_may_be_the_runtime_when_that_is_computed(
    tmp_path: Path,
    write_tree: TreeWriter,
    install_requires: str,
    expected: list[tuple[str, int, str]],
) -> None:
    """``install_requires=install_requires()`` may read requirements/default.txt (celery's):
    a package declared there is then not known to be optional."""
    setup = (
        "from setuptools import setup\n\ndef install_requires():\n"
        "    return open('requirements/default.txt').read().split()\n\n"
        f"setup(install_requires={install_requires})\n"
    )
    write_tree(
        tmp_path,
        {
            "setup.py": setup,
            "requirements/default.txt": "billiard>=4\n",
            "requirements/test.txt": "pytest>=8\n",
            "tests/test_a.py": "import billiard\n",
        },
    )
    assert findings(tmp_path, "APT101") == expected


@pytest.mark.slow
def test_require_registry_reports_every_declaration(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT})
    assert findings(tmp_path, "APT103") == []
    (tmp_path / "pyproject.toml").write_text(
        PYPROJECT + "\n[tool.apytest]\nrequire-registry = true\n", encoding="utf-8"
    )
    assert findings(tmp_path, "APT103") == [
        ("pyproject.toml", 3, "APT103"),
        ("pyproject.toml", 6, "APT103"),
        ("pyproject.toml", 7, "APT103"),
        ("pyproject.toml", 8, "APT103"),
    ]


def test_pinned_policy_accepts_only_exact_pins(tmp_path: Path, write_tree: TreeWriter) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "demo"\n\n[tool.apytest]\npin-policy = "pinned"\n',
            "requirements.txt": "a==1.0\nb>=1,<2\nc==1.*\nd @ https://x/d.whl\n",
        },
    )
    assert findings(tmp_path, "APT301") == [
        ("requirements.txt", 2, "APT301"),
        ("requirements.txt", 3, "APT301"),
    ]


def test_an_unbounded_requirement_is_quoted_without_its_marker_or_poetrys_star(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """The message names what to bound: a marker's own quotes (``python_version >= '3.7'``)
    and Poetry's ``"*"`` (any version) made the quoted requirement unreadable."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                '[tool.poetry]\nname = "demo"\n\n[tool.poetry.dependencies]\n'
                'python = "^3.9"\nsetuptools = "*"\n'
            ),
            "requirements.txt": "pytest ; python_version >= '3.7'\nGitPython!=2.1.4 \n",
        },
    )
    result = run_lint([tmp_path], root=tmp_path, select=["APT301"], use_cache=False, jobs=1)
    quoted = [f.message.split("' has no")[0] + "'" for f in result.findings]
    assert quoted == ["'setuptools'", "'pytest'", "'GitPython!=2.1.4'"]


def test_one_requirement_in_two_poetry_extras_is_reported_once(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """AR1: Poetry declares an optional dependency once per extra naming it, from one line."""
    poetry = (
        '[tool.poetry]\nname = "demo"\n\n[tool.poetry.dependencies]\npython = "^3.8"\n'
        'sphinx = { version = "*", optional = true }\n\n'
        '[tool.poetry.extras]\ndev = ["sphinx"]\ndocs = ["sphinx"]\n'
    )
    write_tree(tmp_path, {"pyproject.toml": poetry})
    assert findings(tmp_path, "APT301") == [("pyproject.toml", 6, "APT301")]
    # AR1's near miss: written twice, at two places, it is reported at both
    pep621 = '[project]\nname = "demo"\n\n[project.optional-dependencies]\ndev = ["sphinx"]\n'
    write_tree(tmp_path, {"pyproject.toml": pep621 + 'docs = ["sphinx"]\n'})
    assert findings(tmp_path, "APT301") == [
        ("pyproject.toml", 5, "APT301"),
        ("pyproject.toml", 6, "APT301"),
    ]


@pytest.mark.slow
def test_apytest_own_tests_and_registry_are_clean() -> None:
    repo = Path(__file__).resolve().parents[2]
    codes = ("APT101", "APT102", "APT103")
    result = run_lint([repo / "tests"], root=repo, select=list(codes), use_cache=False, jobs=1)
    assert [f.format() for f in result.findings] == []


REALITY_MODULES = {
    "test_bare.py": "import apyt_reality_viz\n\ndef test_a():\n    pass\n",
    "test_from.py": "from apyt_reality_viz.sub import x\n\ndef test_a():\n    pass\n",
    "test_undeclared.py": "import apyt_reality_nowhere\n\ndef test_a():\n    pass\n",
    "test_skip.py": (
        "import pytest\n\npytest.importorskip('apyt_reality_viz')\nimport apyt_reality_viz\n\n"
        "def test_a():\n    pass\n"
    ),
    "test_try.py": (
        "try:\n    import apyt_reality_viz\nexcept ImportError:\n    apyt_reality_viz = None\n\n"
        "def test_a():\n    pass\n"
    ),
    "test_typing.py": (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import apyt_reality_viz\n\n"
        "def test_a():\n    pass\n"
    ),
    "test_inside.py": "def test_a():\n    import apyt_reality_viz\n",
    "test_fixture.py": (
        "import pytest\n\n@pytest.fixture\ndef viz():\n    return pytest.importorskip("
        "'apyt_reality_viz')\n\ndef test_a(viz):\n    pass\n"
    ),
    "test_reraise.py": (
        "try:\n    import apyt_reality_viz\nexcept ImportError as error:\n"
        "    raise RuntimeError('install the viz extra') from error\n\ndef test_a():\n    pass\n"
    ),
    "test_suppress.py": (
        "import contextlib\n\nwith contextlib.suppress(ModuleNotFoundError):\n"
        "    import apyt_reality_viz\n\ndef test_a():\n    pass\n"
    ),
    "test_runner.py": (
        "import iniconfig\nimport packaging.version\nimport pluggy\nimport py\nimport pytest\n"
        "from _pytest.monkeypatch import MonkeyPatch\n\ndef test_a():\n    pass\n"
    ),
    "test_newer_stdlib.py": (
        "import sys\n\nif sys.version_info >= (3, 14):\n    import annotationlib\n\n"
        "def test_a():\n    pass\n"
    ),
    "conftest.py": "import json\nimport pytest\n",
}


@pytest.mark.slow
def test_findings_match_what_pytest_fails_to_collect(pytester: pytest.Pytester) -> None:
    """A generated suite with made-up optional packages (declared, never installed): exactly the
    modules that pytest fails to collect with ModuleNotFoundError carry APT101 or APT102."""
    pytester.makepyprojecttoml(
        '[project]\nname = "reality"\ndependencies = []\n\n'
        '[dependency-groups]\ntest = ["hypothesis"]\n\n'
        '[project.optional-dependencies]\nviz = ["apyt-reality-viz"]\n'
    )
    for name, source in REALITY_MODULES.items():
        pytester.path.joinpath(name).write_text(source, encoding="utf-8")
    reprec = pytester.inline_run("--collect-only", "-p", "no:apytest")
    broken = {
        Path(str(report.fspath)).name
        for report in reprec.getreports("pytest_collectreport")
        if report.failed and "ModuleNotFoundError" in str(report.longrepr)
    }
    failed = {
        Path(str(report.fspath)).name
        for report in reprec.getreports("pytest_collectreport")
        if report.failed
    }
    assert broken == {"test_bare.py", "test_from.py", "test_undeclared.py", "test_reraise.py"}
    assert failed == broken
    result = run_lint(
        [pytester.path], root=pytester.path, select=["APT101", "APT102"], use_cache=False
    )
    flagged = [Path(f.path).name for f in result.findings]
    assert sorted(flagged) == sorted(failed), "one finding per module that fails, none elsewhere"


ERROR_MODULES = {
    "reality/__init__.py": "",
    "reality/ext.py": (
        "try:\n    import apyt_reality_viz\nexcept ImportError as exc:\n"
        "    raise RuntimeError('pip install reality[viz]') from exc\n"
    ),
    "test_chain.py": "from reality import ext\n\ndef test_a():\n    pass\n",
    "test_wrapped.py": (
        "try:\n    import apyt_reality_viz\nexcept ImportError:\n"
        "    raise ImportError('install the viz extra')\n\ndef test_a():\n    pass\n"
    ),
    "test_same.py": (
        "try:\n    import apyt_reality_viz\nexcept ImportError as error:\n"
        "    print('viz missing')\n    raise error\n\ndef test_a():\n    pass\n"
    ),
}


@pytest.mark.slow
def test_messages_name_the_error_pytest_reports(pytester: pytest.Pytester) -> None:
    """BS1: a finding names the error its module fails collecting with, as pytest reports it:
    a missing module's, or the one a handler raises instead (a project module's ``raise
    RuntimeError("pip install ...") from exc``, a test module's own ``ImportError``)."""
    pytester.makepyprojecttoml(
        '[project]\nname = "reality"\ndependencies = []\n\n'
        '[dependency-groups]\ntest = ["hypothesis"]\n\n'
        '[project.optional-dependencies]\nviz = ["apyt-reality-viz"]\n\n'
        '[tool.pytest.ini_options]\npythonpath = ["."]\n'
    )
    for name, source in {**REALITY_MODULES, **ERROR_MODULES}.items():
        pytester.path.joinpath(name).parent.mkdir(exist_ok=True)
        pytester.path.joinpath(name).write_text(source, encoding="utf-8")
    reprec = pytester.inline_run("--collect-only", "-p", "no:apytest")
    reported = {
        Path(str(report.fspath)).name: str(report.longrepr)
        .rpartition("\nE   ")[2]
        .partition(":")[0]
        for report in reprec.getreports("pytest_collectreport")
        if report.failed
    }
    assert reported == {
        "test_bare.py": "ModuleNotFoundError",
        "test_from.py": "ModuleNotFoundError",
        "test_undeclared.py": "ModuleNotFoundError",
        "test_reraise.py": "RuntimeError",
        "test_chain.py": "RuntimeError",
        "test_wrapped.py": "ImportError",
        "test_same.py": "ModuleNotFoundError",
    }
    result = run_lint(
        [pytester.path], root=pytester.path, select=["APT101", "APT102"], use_cache=False
    )
    named = {
        Path(f.path).name: f.message.partition(" fails collecting this module with ")[2].split(";")[
            0
        ]
        for f in result.findings
    }
    assert named == reported


@pytest.mark.parametrize("package", [True, False], ids=["package", "plain-folder"])
def test_a_bare_import_of_a_module_of_the_own_package_is_what_pytest_fails(
    pytester: pytest.Pytester, package: bool
) -> None:
    """BS2, BS3: inside a package pytest puts only the folder above it on ``sys.path``, so a
    test module's bare ``import helpers`` of the ``helpers.py`` beside it fails collecting; in
    a plain folder it imports. APT102 says which name to use, and APT104 lists no distribution
    for it (the project declares nothing)."""
    pytester.makepyprojecttoml('[project]\nname = "demo"\ndependencies = []\n')
    files = {
        "suite/helpers.py": "X = 1\n",
        "suite/test_a.py": "import helpers\n\ndef test_a():\n    assert helpers.X\n",
    }
    if package:
        files["suite/__init__.py"] = ""
    for name, source in files.items():
        pytester.path.joinpath(name).parent.mkdir(exist_ok=True)
        pytester.path.joinpath(name).write_text(source, encoding="utf-8")
    result = pytester.runpytest_subprocess("-p", "no:apytest", "-p", "no:cacheprovider")
    if package:
        result.assert_outcomes(errors=1)
    else:
        result.assert_outcomes(passed=1)
    found = run_lint(
        [pytester.path], root=pytester.path, select=["APT102", "APT104"], use_cache=False
    )
    messages = [(f.path, f.code, f.message) for f in found.findings]
    if not package:
        assert messages == []
        return
    assert [(path, code) for path, code, _m in messages] == [("suite/test_a.py", "APT102")]
    assert "import it as 'suite.helpers'" in messages[0][2]


def test_one_finding_per_import_and_undeclared_is_apt102(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """A module-level import of a package declared nowhere is APT102's alone; one declared only
    in a non-test extra is APT101's alone."""
    source = "import apyt_made_up_nowhere\nimport apyt_made_up_viz\n"
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "tests/test_a.py": source})
    assert findings(tmp_path, "APT101", "APT102") == [
        ("tests/test_a.py", 1, "APT102"),
        ("tests/test_a.py", 2, "APT101"),
    ]


def test_plugins_the_configuration_loads_are_never_flagged(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """``-p`` in addopts, ``required_plugins`` and ``pytest_plugins`` name what pytest loads
    before it collects anything; pytest and its own requirements are there too."""
    pyproject = (
        '[project]\nname = "demo"\ndependencies = []\n\n'
        '[dependency-groups]\ntest = ["hypothesis"]\n\n'
        "[tool.pytest.ini_options]\n"
        'addopts = "-p apyt_made_up_plugin.hooks -p no:apyt_made_up_disabled"\n'
        'required_plugins = "apyt-made-up-required>=1"\n'
    )
    source = (
        "import apyt_made_up_disabled\nimport apyt_made_up_fixtures\nimport apyt_made_up_plugin\n"
        "import apyt_made_up_required\nimport iniconfig\nimport packaging\nimport pluggy\n"
        "import py\nimport pytest\nfrom _pytest.fixtures import FixtureRequest\n"
    )
    write_tree(
        tmp_path,
        {
            "pyproject.toml": pyproject,
            "tests/conftest.py": 'pytest_plugins = ["apyt_made_up_fixtures.shared"]\n',
            "tests/test_a.py": source,
        },
    )
    assert findings(tmp_path, "APT101", "APT102") == [("tests/test_a.py", 1, "APT102")]


@pytest.mark.slow
@pytest.mark.parametrize(
    "config",
    [
        "[pytest]\naddopts = -p apyt_missing_plugin\n",
        "[pytest]\nrequired_plugins = apyt-missing-plugin\n",
    ],
    ids=["addopts-p", "required_plugins"],
)
def test_pytest_does_not_start_without_configured_plugins(
    pytester: pytest.Pytester, config: str
) -> None:
    """The reason configured plugins are never flagged: without them no module is collected."""
    pytester.makefile(".ini", pytest=config)
    pytester.makepyfile(test_a="import apyt_missing_plugin\n\ndef test_a():\n    pass\n")
    result = pytester.runpytest_subprocess("--collect-only", "-p", "no:apytest")
    assert result.ret not in (0, 5)
    assert "test_a.py" not in result.stdout.str()


@pytest.mark.slow
def test_results_do_not_depend_on_the_installed_environment(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """One project linted from two environments: one where a distribution providing the
    imported name is installed, one where it is not. The findings are the same."""
    project = tmp_path / "project"
    write_tree(
        project,
        {
            "pyproject.toml": (
                '[project]\nname = "demo"\ndependencies = []\n\n'
                '[dependency-groups]\ntest = ["hypothesis"]\n\n'
                '[project.optional-dependencies]\nviz = ["apyt-env-dist"]\n'
            ),
            "tests/test_a.py": "import apyt_env_probe\nimport yaml\n",
        },
    )
    site = tmp_path / "site"
    write_tree(
        site,
        {
            "apyt_env_dist-1.0.dist-info/METADATA": (
                "Metadata-Version: 2.1\nName: apyt-env-dist\nVersion: 1.0\n"
            ),
            "apyt_env_dist-1.0.dist-info/top_level.txt": "apyt_env_probe\n",
            "apyt_env_dist-1.0.dist-info/RECORD": "",
            "apyt_env_probe/__init__.py": "",
        },
    )
    script = Path(sys.executable).with_name("apytest-lint")
    outputs = []
    for extra in ("", str(site)):
        env = {**os.environ, "PYTHONPATH": extra}
        completed = subprocess.run(
            [str(script), "--no-cache", "-q", "--select", "APT101,APT102"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.stderr == ""
        outputs.append(completed.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].splitlines() == [
        line for line in outputs[0].splitlines() if "APT102" in line and "test_a.py:" in line
    ]
    assert len(outputs[0].splitlines()) == 2


GUARD_IDIOMS = {
    "conftest.py": (
        "import pytest\n\ncollect_ignore = []\ncollect_ignore_glob = []\ntry:\n"
        "    import vizmadeup\nexcept ImportError:\n    collect_ignore.append('viz_only')\n"
        "    collect_ignore_glob += ['test_viz_*.py']\n\n@pytest.fixture\n"
        "def mods(tmp_path, monkeypatch):\n    monkeypatch.syspath_prepend(str(tmp_path))\n"
        "    return tmp_path\n"
    ),
    "test_written.py": (
        "def test_a(mods):\n    (mods / 'zzwritten.py').write_text('x = 1')\n"
        "    import zzwritten\n    assert zzwritten.x == 1\n"
    ),
    "test_raise_in_function.py": (
        "def load():\n    try:\n        import vizmadeup\n    except ImportError as error:\n"
        "        raise RuntimeError('install vizmadeup') from error\n\ndef test_a():\n    pass\n"
    ),
    "test_marker_dependency.py": (
        "from helpers import requires_vizmadeup\n\n@requires_vizmadeup\ndef test_a():\n"
        "    import apyt_dep_of_vizmadeup\n"
    ),
    "helpers.py": (
        "import pytest\n\ntry:\n    import vizmadeup\n    HAS_VIZMADEUP = True\n"
        "except ImportError:\n    HAS_VIZMADEUP = False\n\n"
        "requires_vizmadeup = pytest.mark.skipif(not HAS_VIZMADEUP, reason='needs vizmadeup')\n"
        "new_enough = HAS_VIZMADEUP\n"
    ),
    "test_foreign_condition.py": (
        "from helpers import new_enough\n\nif not new_enough:\n    pass\nelse:\n"
        "    import vizmadeup\n\ndef test_a():\n    pass\n"
    ),
    "viz_only/test_in_folder.py": "import vizmadeup\n\ndef test_a():\n    pass\n",
    "test_viz_glob.py": "import vizmadeup\n\ndef test_a():\n    pass\n",
    "test_marked_function.py": (
        "from helpers import requires_vizmadeup\n\n@requires_vizmadeup\ndef test_a():\n"
        "    import vizmadeup\n"
    ),
    "test_marked_class.py": (
        "import pytest\nfrom helpers import HAS_VIZMADEUP\n\n"
        "@pytest.mark.skipif(not HAS_VIZMADEUP, reason='x')\nclass TestViz:\n"
        "    def test_a(self):\n        import vizmadeup\n"
    ),
    "test_marked_module.py": (
        "from helpers import requires_vizmadeup\nimport vizmadeup\n\n"
        "pytestmark = requires_vizmadeup\n\ndef test_a():\n    pass\n"
    ),
    "test_local_flag.py": (
        "import pytest\n\ntry:\n    import vizmadeup\nexcept ImportError:\n    vizmadeup = None\n\n"
        "needs_it = pytest.mark.skipif(vizmadeup is None, reason='x')\n\n"
        "@needs_it\ndef test_a():\n    from vizmadeup import sub\n"
    ),
    "test_module_skip.py": (
        "import pytest\nfrom helpers import HAS_VIZMADEUP\n\nif not HAS_VIZMADEUP:\n"
        "    pytest.skip('needs vizmadeup', allow_module_level=True)\nimport vizmadeup\n\n"
        "def test_a():\n    pass\n"
    ),
    "test_if_flag.py": (
        "from helpers import HAS_VIZMADEUP\n\nif HAS_VIZMADEUP:\n    import vizmadeup\n\n"
        "def test_a():\n    pass\n"
    ),
    "test_after_skip.py": (
        "import pytest\n\npytest.importorskip('apyt_unknown_base')\nimport vizmadeup\n\n"
        "def test_a():\n    pass\n"
    ),
}


@pytest.mark.slow
def test_guard_idioms_match_what_pytest_collects(pytester: pytest.Pytester) -> None:
    """Conftest ``collect_ignore`` under a failed import, availability flags and skip markers
    from a helper module, module-level skips: pytest (without the made-up ``vizmadeup``, which
    the project declares nowhere) fails to collect exactly the flagged modules. A ``skipif``
    mark in ``pytestmark`` does not stop a module-level import from failing collection. An
    ``if`` on a name imported from elsewhere (pandas' ``pa_version_under10p1``) may be about
    the package: not sure, so silent."""
    write_suite(pytester, "idioms", GUARD_IDIOMS)
    reprec = pytester.inline_run("-p", "no:apytest", "--continue-on-collection-errors")
    passed, skipped, failed = reprec.listoutcomes()
    assert {Path(r.fspath).name for r in passed} == {
        "test_if_flag.py",
        "test_foreign_condition.py",
        "test_written.py",
        "test_raise_in_function.py",
    }
    assert {Path(r.fspath).name for r in failed} == {"test_marked_module.py"}
    assert {Path(r.fspath).name for r in skipped} == {
        "test_marked_function.py",
        "test_marked_class.py",
        "test_local_flag.py",
        "test_module_skip.py",
        "test_after_skip.py",
        "test_marker_dependency.py",
    }
    result = run_lint(
        [pytester.path], root=pytester.path, select=["APT101", "APT102"], use_cache=False
    )
    assert [(Path(f.path).name, f.line) for f in result.findings] == [("test_marked_module.py", 2)]


def test_a_package_required_by_what_comes_before_it(tmp_path: Path, write_tree: TreeWriter) -> None:
    """What a required or importorskipped package requires for certain is there with it; what
    it does not require is still judged, and a package whose requirements apytest does not know
    silences what follows it (not sure, so silent). The importorskipped xarray is declared: one
    declared nowhere skips the module before what follows it in every declared run (CI2)."""
    pyproject = (
        '[project]\nname = "demo"\ndependencies = ["scikit-learn", "h5netcdf[h5py]"]\n\n'
        '[project.optional-dependencies]\nio = ["zarr"]\ntyping = ["types-requests"]\n\n'
        '[dependency-groups]\ntest = ["hypothesis", "xarray"]\n'
    )
    source = (
        "import pytest\nimport numpy\nimport h5py\n\npytest.importorskip('xarray')\n"
        "import pandas\nimport zarr\nimport apyt_made_up_nowhere\n\n\n"
        "@pytest.mark.skipif(not has_dask, reason='needs dask')\ndef test_dask():\n"
        "    import toolz\n    import cupy\n    import requests\n"
    )
    write_tree(tmp_path, {"pyproject.toml": pyproject, "tests/test_a.py": source})
    assert findings(tmp_path, "APT101", "APT102") == [
        ("tests/test_a.py", 7, "APT101"),
        ("tests/test_a.py", 8, "APT102"),
        ("tests/test_a.py", 14, "APT102"),
        ("tests/test_a.py", 15, "APT102"),
    ]


CHAINED_PROJECT = {
    "pyproject.toml": (
        '[project]\nname = "chained"\ndependencies = []\n\n'
        '[dependency-groups]\ntest = ["hypothesis"]\n\n'
        "[project.optional-dependencies]\n"
        'viz = ["vizmadeup"]\n\n[tool.pytest.ini_options]\npythonpath = ["."]\n'
    ),
    "chained/__init__.py": "import vizmadeup\n",
    "plain/__init__.py": "",
    "plain/feature/__init__.py": (
        "try:\n    import vizmadeup\nexcept ImportError as error:\n"
        "    raise RuntimeError('plain.feature needs the viz extra') from error\nx = 1\n"
    ),
    "plain/safe.py": "try:\n    import vizmadeup\nexcept ImportError:\n    vizmadeup = None\n",
    "tests/test_chained.py": "import chained\n\ndef test_a():\n    pass\n",
    "tests/test_feature.py": "from plain.feature import x\n\ndef test_a():\n    pass\n",
    "tests/test_safe.py": "import plain.safe\n\ndef test_a():\n    pass\n",
    "tests/test_skipped.py": (
        "import pytest\n\npytest.importorskip('vizmadeup')\nimport chained\n\n"
        "def test_a():\n    pass\n"
    ),
    # iladub's shape: the package's ``__init__`` imports a sibling that needs the extra, and
    # the test imports another sibling; the near misses import it where it may not run.
    "deep/__init__.py": "from .geometry import x\n",
    "deep/geometry.py": "import vizmadeup\nx = 1\n",
    "deep/adoption.py": "y = 1\n",
    "tests/test_deep.py": "from deep.adoption import y\n\ndef test_a():\n    pass\n",
    "lazy/__init__.py": (
        "try:\n    from .geometry import x\nexcept ImportError:\n    x = None\n\n"
        "def load():\n    from . import geometry\n    return geometry\n"
    ),
    "lazy/geometry.py": "import vizmadeup\nx = 1\n",
    "lazy/adoption.py": "y = 1\n",
    "tests/test_lazy.py": "from lazy.adoption import y\n\ndef test_a():\n    pass\n",
    # noomexai-raven's shape: the module itself, not a helper beside the tests, needs the extra;
    # its near miss imports it in a function.
    "served/__init__.py": "",
    "served/app.py": "import vizmadeup\n\ndef make():\n    return vizmadeup\n",
    "served/later.py": "def make():\n    import vizmadeup\n    return vizmadeup\n",
    "tests/test_served.py": "from served.app import make\n\ndef test_a():\n    pass\n",
    "tests/test_later.py": "from served.later import make\n\ndef test_a():\n    pass\n",
    # optuna's shape: a context manager of the project's that records the ImportError.
    "served/_imports.py": (
        "import contextlib\n\n@contextlib.contextmanager\ndef try_import():\n"
        "    try:\n        yield\n    except ImportError:\n        pass\n"
    ),
    "served/tried.py": (
        "from served._imports import try_import\n\n"
        "with try_import() as _imports:\n    import vizmadeup\n"
    ),
    "tests/test_tried.py": "import served.tried\n\ndef test_a():\n    pass\n",
    # and its near miss: a name that block binds is missing, so importing it fails
    "tests/test_tried_name.py": "from served.tried import vizmadeup\n\ndef test_a():\n    pass\n",
}


@pytest.mark.slow
def test_project_modules_that_need_an_extra_fail_the_modules_importing_them(
    pytester: pytest.Pytester,
) -> None:
    """A test module importing a project package whose ``__init__`` (or the imported module,
    or a module the ``__init__`` imports) imports an optional extra unguarded fails to collect;
    it is flagged at its import line, naming the file on the chain. Guarded chains and an
    importorskip first are fine."""
    for name, source in CHAINED_PROJECT.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    reprec = pytester.inline_run("-p", "no:apytest", "--continue-on-collection-errors")
    passed, skipped, failed = reprec.listoutcomes()
    assert {Path(r.fspath).name for r in failed} == {
        "test_chained.py",
        "test_deep.py",
        "test_feature.py",
        "test_served.py",
        "test_tried_name.py",
    }
    assert {Path(r.fspath).name for r in passed} == {
        "test_later.py",
        "test_lazy.py",
        "test_safe.py",
        "test_tried.py",
    }
    assert {Path(r.fspath).name for r in skipped} == {"test_skipped.py"}
    result = run_lint(
        [pytester.path / "tests"],
        root=pytester.path,
        select=["APT101", "APT102"],
        use_cache=False,
    )
    assert [(f.path, f.line, f.code) for f in result.findings] == [
        ("tests/test_chained.py", 1, "APT101"),
        ("tests/test_deep.py", 1, "APT101"),
        ("tests/test_feature.py", 1, "APT101"),
        ("tests/test_served.py", 1, "APT101"),
        ("tests/test_tried_name.py", 1, "APT101"),
    ]
    assert "runs chained/__init__.py" in result.findings[0].message
    assert "runs deep/geometry.py" in result.findings[1].message
    assert "runs plain/feature/__init__.py" in result.findings[2].message
    assert "runs served/app.py" in result.findings[3].message


@pytest.mark.slow
def test_a_conftest_importorskip_skips_its_folder(pytester: pytest.Pytester) -> None:
    """ZD3: pytest loads a folder's conftest before the modules below it; a module-level
    ``importorskip`` there skips the folder, so an import of that package below cannot fail.
    The near miss: the same call in a fixture skips no module, and the import fails."""
    pytester.makepyprojecttoml(
        '[project]\nname = "skipper"\ndependencies = []\n\n'
        '[dependency-groups]\ntest = ["hypothesis"]\n\n'
        '[project.optional-dependencies]\nviz = ["apyt-made-up-viz"]\n'
    )
    tree = {
        "tests/skipped/conftest.py": "import pytest\n\npytest.importorskip('apyt_made_up_viz')\n",
        "tests/skipped/deeper/test_a.py": "import apyt_made_up_viz\n\ndef test_a():\n    pass\n",
        "tests/fixtured/conftest.py": (
            "import pytest\n\n@pytest.fixture\ndef viz():\n"
            "    return pytest.importorskip('apyt_made_up_viz')\n"
        ),
        "tests/fixtured/test_b.py": "import apyt_made_up_viz\n\ndef test_b(viz):\n    pass\n",
    }
    for name, source in tree.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    run = pytester.runpytest("-p", "no:apytest", "-rs", "--continue-on-collection-errors")
    run.stdout.fnmatch_lines(["*ERROR collecting tests/fixtured/test_b.py*"])
    run.stdout.fnmatch_lines(["SKIPPED*tests/skipped/conftest.py:3*"])
    result = run_lint(
        [pytester.path / "tests"], root=pytester.path, select=["APT101"], use_cache=False
    )
    assert [(f.path, f.line) for f in result.findings] == [("tests/fixtured/test_b.py", 1)]


def test_two_project_modules_needing_one_missing_package_are_one_cause(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """Two imports of the project's own modules that both need the same optional package fail
    the module at the first: one finding. A second package missing, or a project module that
    needs a different one, is a cause of its own and stays reported."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": PYPROJECT,
            "demo/__init__.py": "",
            "demo/codec.py": "import apyt_made_up_viz\n",
            "demo/mixin.py": "from apyt_made_up_viz import render\n",
            "demo/remote.py": "import apyt_made_up_ci\n",
            "tests/test_codec.py": (
                "from demo.codec import x\n"
                "import os\n"
                "from demo.mixin import y\n"
                "from demo.remote import z\n\n"
                "def test_late():\n    from demo.mixin import w\n"
            ),
        },
    )
    assert findings(tmp_path, "APT101") == [
        ("tests/test_codec.py", 1, "APT101"),
        ("tests/test_codec.py", 4, "APT101"),
    ]


@pytest.mark.slow
def test_what_a_conftest_loads_is_judged_at_the_conftest_alone(pytester: pytest.Pytester) -> None:
    """pytest loads a folder's conftest before any module below it: a package the conftest
    imports unguarded, and what that package requires for certain, cannot fail those modules on
    its own. pytest reports the conftest, and so does the linter; modules outside its folder are
    still judged."""
    pytester.makepyprojecttoml(
        '[project]\nname = "loaded"\ndependencies = []\n\n'
        '[dependency-groups]\ntest = ["hypothesis"]\n\n'
        '[project.optional-dependencies]\ncli = ["click"]\nserve = ["apyt-loaded-server"]\n'
    )
    pytester.mkpydir("tests")
    pytester.path.joinpath("tests/conftest.py").write_text("import apyt_loaded_server\n")
    pytester.path.joinpath("tests/test_below.py").write_text(
        "import apyt_loaded_server\n\ndef test_a():\n    pass\n"
    )
    pytester.path.joinpath("test_beside.py").write_text(
        "import apyt_loaded_server\n\ndef test_a():\n    pass\n"
    )
    below = pytester.runpytest("--collect-only", "-p", "no:apytest", "tests/test_below.py")
    assert "ImportError while loading conftest" in below.stdout.str() + below.stderr.str()
    assert "ERROR collecting tests/test_below.py" not in below.stdout.str()
    beside = pytester.runpytest("--collect-only", "-p", "no:apytest", "test_beside.py")
    beside.stdout.fnmatch_lines(["*ERROR collecting test_beside.py*"])
    result = run_lint(
        [pytester.path], root=pytester.path, select=["APT101", "APT102"], use_cache=False
    )
    assert sorted(f.path for f in result.findings) == ["test_beside.py", "tests/conftest.py"]


def test_what_a_conftest_package_requires_is_there_below_it(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """uvicorn requires click in every release: a module below a conftest that imports uvicorn
    has click whenever it is collected; beside that folder, click is judged as usual, and the
    conftest's own import too."""
    pyproject = (
        '[project]\nname = "demo"\ndependencies = []\n\n'
        '[dependency-groups]\ntest = ["hypothesis"]\n\n'
        '[project.optional-dependencies]\ncli = ["click"]\nserve = ["uvicorn"]\n'
    )
    write_tree(
        tmp_path,
        {
            "pyproject.toml": pyproject,
            "tests/conftest.py": "import uvicorn\n",
            "tests/test_main.py": "import click\n",
            "other/test_other.py": "import click\n",
        },
    )
    assert findings(tmp_path, "APT101", "APT102") == [
        ("other/test_other.py", 1, "APT101"),
        ("tests/conftest.py", 1, "APT101"),
    ]


FIXTURE_GUARDS = {
    "conftest.py": (
        "import pytest\n\n@pytest.fixture\ndef viz():\n    '''A made-up service.'''\n"
        "    pytest.importorskip('apyt_fixture_base')\n    return 1\n\n"
        "@pytest.fixture\ndef chart(viz):\n    return viz\n\n"
        "@pytest.fixture\ndef late():\n    yield 1\n    pytest.importorskip('apyt_fixture_base')\n"
    ),
    "test_requests.py": "def test_a(viz):\n    import apyt_fixture_dep\n",
    "test_transitive.py": "def test_a(chart):\n    import apyt_fixture_dep\n",
    "test_same_package.py": "def test_a(viz):\n    import apyt_fixture_base.sub\n",
    "sub/test_below.py": "def test_a(chart):\n    from apyt_fixture_dep import x\n",
    "test_own_fixture.py": (
        "import pytest\n\n@pytest.fixture\ndef here():\n"
        "    pytest.importorskip('apyt_fixture_base')\n\n"
        "@pytest.fixture\ndef conn(here):\n    import apyt_fixture_dep\n\n"
        "def test_a(conn):\n    pass\n"
    ),
    "test_unrequested.py": "def test_a():\n    import apyt_fixture_dep\n",
    "test_after_yield.py": "def test_a(late):\n    import apyt_fixture_dep\n",
}


def test_what_a_requested_fixture_importorskips_guards_the_test(
    pytester: pytest.Pytester,
) -> None:
    """pytest sets up the fixtures a test requests (and theirs) before its body: one that
    importorskips a package skips the test where it is missing, so an import in the test (or
    in a fixture requesting it) runs only where that package is. apytest knows nothing of the
    made-up ``apyt_fixture_base``'s requirements, so it stays silent there; a test requesting
    no such fixture, or one that importorskips only after its ``yield``, fails on the import
    and is flagged (pandas: ``import boto3`` in ``s3_resource(s3_base)``)."""
    write_suite(pytester, "guards", FIXTURE_GUARDS)
    reprec = pytester.inline_run("-p", "no:apytest")
    outcomes = {  # where the test's body ran (call) or was skipped before it (setup)
        Path(r.fspath).name: r.outcome
        for r in reprec.getreports("pytest_runtest_logreport")
        if r.when == "call" or (r.when == "setup" and r.skipped)
    }
    assert outcomes == {
        "test_requests.py": "skipped",
        "test_transitive.py": "skipped",
        "test_same_package.py": "skipped",
        "test_below.py": "skipped",
        "test_own_fixture.py": "skipped",
        "test_unrequested.py": "failed",
        "test_after_yield.py": "failed",
    }
    result = run_lint(
        [pytester.path], root=pytester.path, select=["APT101", "APT102"], use_cache=False
    )
    assert [(f.path, f.line) for f in result.findings] == [
        ("test_after_yield.py", 2),
        ("test_unrequested.py", 2),
    ]


def test_a_fixture_importorskipping_a_known_package_assures_only_its_requirements(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """boto3 requires botocore, pyarrow requires nothing in its recent releases: behind a
    fixture that importorskips boto3, botocore cannot be missing but PyYAML can; behind one
    that importorskips pyarrow, botocore can be missing (the rule is sure, so it says so)."""
    conftest = (
        "import pytest\n\n@pytest.fixture\ndef s3():\n    pytest.importorskip('boto3')\n\n"
        "@pytest.fixture\ndef arrow():\n    pa = pytest.importorskip('pyarrow')\n    return pa\n"
    )
    test = (
        "def test_s3(s3):\n    import botocore\n    import yaml\n\n"
        "def test_arrow(arrow):\n    import botocore\n"
    )
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "demo"\n\n[dependency-groups]\ntest = ["x"]\n',
            "tests/conftest.py": conftest,
            "tests/test_a.py": test,
        },
    )
    assert findings(tmp_path, "APT101", "APT102") == [
        ("tests/test_a.py", 3, "APT102"),
        ("tests/test_a.py", 6, "APT102"),
    ]


@pytest.mark.parametrize(
    ("module", "distribution"),
    [
        ("zest.releaser.utils", "zest-releaser"),
        ("google.cloud.storage.blob", "google-cloud-storage"),
        ("sphinxcontrib.bibtex", "sphinxcontrib-bibtex"),
        ("jaraco.functools", "jaraco-functools"),
        ("numpy.linalg", "numpy"),
        ("yaml", "pyyaml"),
    ],
)
def test_a_namespace_package_module_names_its_two_part_distribution(
    tmp_path: Path, write_tree: TreeWriter, module: str, distribution: str
) -> None:
    """APT102 never tells the user to declare the namespace's own name (``zest``): that is
    another distribution, or none; and a declaration of the dotted name matches."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "demo"\n[dependency-groups]\ntest = ["pytest"]\n',
            "tests/test_a.py": f"import {module}\n",
        },
    )
    result = run_lint([tmp_path], root=tmp_path, select=["APT102"], use_cache=False, jobs=1)
    assert [f.message.split("'")[3] for f in result.findings] == [distribution]
    dotted = distribution.replace("-", ".")  # declared as written: ``zest.releaser``
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                f'[project]\nname = "demo"\n[dependency-groups]\ntest = ["pytest", "{dotted}"]\n'
            )
        },
    )
    assert findings(tmp_path, "APT102") == []


def test_a_package_in_a_folder_pytest_does_not_walk(tmp_path: Path, write_tree: TreeWriter) -> None:
    """A suite's folder that discovery skips (``*.egg`` is in pytest's ``norecursedirs``)
    holds a package the suite puts on ``sys.path`` itself: the project's files, not a package
    to declare. What no folder of the project holds is still reported."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "demo"\n\n[project.optional-dependencies]\ntest = ["pytest"]\n'
            ),
            "tests/__init__.py": (
                "import os\nimport sys\n\n"
                "sys.path.append(os.path.join(os.path.dirname(__file__), 'fakes', 'Fake.egg'))\n"
            ),
            "tests/fakes/Fake.egg/fakeapp/__init__.py": "",
            "tests/fakes/Fake.egg/fakeapp/apps.py": "app = object()\n",
            "tests/test_a.py": "import fakeapp.apps\nimport yaml\n",
        },
    )
    assert findings(tmp_path, "APT101", "APT102") == [("tests/test_a.py", 2, "APT102")]


def test_a_self_extra_of_the_test_extra_brings_what_its_packages_require(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """A test extra naming the project's own ``signing`` extra (``demo[signing]``) installs
    pyHanko, which requires asn1crypto and cryptography: importing them is no APT102. A package
    that nothing declared requires stays reported."""
    pyproject = (
        '[project]\nname = "demo"\ndependencies = []\n\n'
        '[project.optional-dependencies]\nsigning = ["pyHanko>=0.37.0"]\n'
        'test = ["demo[signing]", "pytest"]\n'
    )
    source = "import asn1crypto\nimport cryptography\nimport nosuchpkg\n"
    write_tree(tmp_path, {"pyproject.toml": pyproject, "tests/test_a.py": source})
    assert findings(tmp_path, "APT101", "APT102") == [("tests/test_a.py", 3, "APT102")]


def test_a_known_extra_next_to_an_unknown_one(tmp_path: Path, write_tree: TreeWriter) -> None:
    """A test extra's known extra (``tablib[all]``) brings its packages even when another
    requirement of the extra names one the table does not know (``psycopg[binary]``): an import
    of ``openpyxl``, also declared in a docs extra, is there in a test run. Another package
    declared only in the docs extra is still optional."""
    pyproject = (
        '[project]\nname = "demo"\n\n'
        '[project.optional-dependencies]\ndocs = ["openpyxl", "sphinx"]\n'
        'tests = ["psycopg[binary]", "tablib[all]"]\n'
    )
    source = "import openpyxl\nimport sphinx\n\n\ndef test_a():\n    pass\n"
    write_tree(tmp_path, {"pyproject.toml": pyproject, "tests/test_a.py": source})
    assert findings(tmp_path, "APT101", "APT102") == [("tests/test_a.py", 2, "APT101")]


def test_an_import_a_lite_distribution_provides(tmp_path: Path, write_tree: TreeWriter) -> None:
    """``phonenumberslite`` installs the ``phonenumbers`` module: the extra that tox installs
    (``extras = phonenumberslite``) provides the import declared under the full name in another
    extra."""
    pyproject = (
        '[project]\nname = "demo"\n\n'
        '[project.optional-dependencies]\nphonenumbers = ["phonenumbers"]\n'
        'phonenumberslite = ["phonenumberslite"]\n'
    )
    tox = "[tox]\nenvlist = py\n\n[testenv]\nextras = phonenumberslite\ncommands = pytest\n"
    source = "import phonenumbers\n\n\ndef test_a():\n    pass\n"
    write_tree(tmp_path, {"pyproject.toml": pyproject, "tox.ini": tox, "tests/test_a.py": source})
    assert findings(tmp_path, "APT101", "APT102") == []


@pytest.mark.parametrize("select", [("APT102",), ("APT102", "APT204")])
def test_a_module_in_a_folder_the_suite_puts_on_sys_path_outside_testpaths(
    tmp_path: Path, write_tree: TreeWriter, select: tuple[str, ...]
) -> None:
    """RW4: a test module puts ``scripts/`` (computed from its ``__file__``) on ``sys.path``
    and imports ``bench`` from it; ``testpaths = ["tests"]`` leaves ``scripts/`` unlinted, but
    its modules are the project's files, not distributions to declare (alike whichever rules
    run). A module that folder does not hold, or one imported after an addition not computed
    for certain, is still reported."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "demo"\n\n[dependency-groups]\ntests = ["pytest"]\n\n'
                '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'
            ),
            "scripts/bench.py": "X = 1\n",
            "tests/test_bench.py": (
                "import os.path\nimport sys\n\nroot_dir = os.path.dirname(__file__)\n"
                "sys.path.insert(0, os.path.join(root_dir, '../scripts'))\n"
                "import bench\nimport eval_common\n"
            ),
            "tests/test_other.py": (
                "import sys\n\nsys.path.insert(0, sys.argv[0])\nimport runner\n"
            ),
        },
    )
    result = run_lint([], root=tmp_path, select=list(select), use_cache=False, jobs=1)
    assert sorted((f.path, f.line) for f in result.findings if f.code == "APT102") == [
        ("tests/test_bench.py", 7),
        ("tests/test_other.py", 4),
    ]


def test_a_folder_put_on_sys_path_with_path_functions_imported_by_name(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """ZE2: ``sys.path.insert(0, join(dirname(dirname(__file__)), 'nzbget'))`` with ``dirname``
    and ``join`` imported from ``os.path`` (pynzbget's tests) puts the package folder first:
    ``from Utils import ...`` is its module, no distribution. A module that folder does not
    hold is still reported."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "demo"\n\n[dependency-groups]\ntests = ["pytest"]\n'
            ),
            "nzbget/Utils.py": "X = 1\n",
            "test/test_utils.py": (
                "import sys\nfrom os.path import dirname\nfrom os.path import join\n"
                "sys.path.insert(0, join(dirname(dirname(__file__)), 'nzbget'))\n"
                "from Utils import X\nfrom Missing import Y\n"
            ),
        },
    )
    result = run_lint([], root=tmp_path, select=["APT102"], use_cache=False, jobs=1)
    assert [(f.path, f.line) for f in result.findings if f.code == "APT102"] == [
        ("test/test_utils.py", 6)
    ]


def test_a_name_no_table_maps_is_reported_as_a_guess_with_both_ways_out(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """An undeclared import the tables know names its distribution; one they do not (a test app
    kept in the repository and left out of the sdist, AN's icv-search) is only a guess: the
    message says so, and advises shipping the module if it is the project's own."""
    test = "import faker\nimport search_testapp.models\n"
    write_tree(tmp_path, {"tests/test_a.py": test, "requirements-test.txt": "pytest\n"})
    result = run_lint([tmp_path], root=tmp_path, select=["APT102"], use_cache=False, jobs=1)
    known, guessed = (f.message for f in sorted(result.findings, key=lambda f: f.line))
    assert known.startswith("'faker' comes from distribution 'faker', which is declared")
    assert guessed.startswith(
        "no distribution apytest-lint knows installs 'search_testapp.models' (perhaps"
        " 'search-testapp')"
    )
    assert guessed.endswith(
        "if it is a module of the project left out of this tree, ship it with the tests"
    )


@pytest.mark.parametrize(
    ("setup_py", "expected"),
    [
        (
            'from setuptools import setup\n\nextra_test = ("pytest",)\n\n'
            'setup(name="demo", extras_require={"dev": [*extra_test], "ci": [*extra_test]})\n',
            [("setup.py", 3, "APT301")],
        ),
        (
            'from setuptools import setup\n\nTEST = ["pytest"]\n\n'
            'setup(name="demo", tests_require=TEST, extras_require={"test": TEST})\n',
            [("setup.py", 3, "APT301")],
        ),
        (
            "from setuptools import setup\n\n"
            'setup(name="demo", extras_require={"dev": ["pytest"],\n'
            '    "ci": ["pytest"]})\n',
            [("setup.py", 3, "APT301"), ("setup.py", 4, "APT301")],
        ),
    ],
    ids=["unpacked-twice", "one-list-two-sections", "written-twice"],
)
def test_a_requirement_written_once_is_reported_once(
    tmp_path: Path, write_tree: TreeWriter, setup_py: str, expected: list[tuple[str, int, str]]
) -> None:
    """AP1: a requirement string that several sections share (a tuple two extras unpack, one
    list bound to a name) is one line to fix: one APT301 finding, not one per section; the same
    name written in two places is two."""
    write_tree(tmp_path, {"setup.py": setup_py})
    assert findings(tmp_path, "APT301") == expected


def test_requirements_sharing_a_place_are_each_reported(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """AP1's near miss, from the merge's regression: ``session.install("numpy",
    "pytest-benchmark")`` declares two requirements at one place of ``noxfile.py``; each is
    a finding of its own."""
    noxfile = (
        "import nox\n\n@nox.session\ndef tests(session):\n"
        '    session.install("numpy", "pytest-benchmark")\n    session.run("pytest")\n'
    )
    write_tree(tmp_path, {"noxfile.py": noxfile})
    assert findings(tmp_path, "APT301") == [("noxfile.py", 5, "APT301")] * 2


def test_apt104_says_which_packages_only_the_projects_own_modules_need(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """EJ (nopause): the tests import the project's ``sdk/voice.py``, which imports requests,
    declared nowhere: a requirement of the project, not of its tests, and APT104 says so; a
    package the tests import themselves, or a helper in a test folder of the package does
    (mpld3's ``mpld3/tests/export.py``), stays a test dependency, as before."""
    project = {
        "setup.py": (
            "from setuptools import setup\nsetup(name='demo', install_requires=['click'])\n"
        ),
        "demo/__init__.py": "",
        "demo/voice.py": "import requests\n",
        "demo/tests/__init__.py": "",
        "demo/tests/export.py": "import diffimg\n",
    }

    def message(**tests: str) -> str:
        files = {f"tests/test_{name}.py": text for name, text in tests.items()}
        write_tree(tmp_path, {**project, **files})
        result = run_lint([tmp_path], root=tmp_path, select=["APT104"], use_cache=False, jobs=1)
        [finding] = result.findings
        return finding.message.partition(") and ")[2]

    assert message(voice="from demo import voice\n") == (
        "the project's own modules that the tests import ('demo/voice.py') need 'requests', "
        "declared nowhere; declare them with the project (its runtime requirements, or an extra "
        "the tests install)"
    )
    assert message(voice="from demo import voice\n", http="import responses\n") == (
        "the tests import 'responses', and the project's own modules that the tests import "
        "('demo/voice.py') need 'requests', all declared nowhere; declare the tests' own in a "
        "test extra, dependency group, requirements file or tox/hatch/Poetry environment, and "
        "the modules' with the project (its runtime requirements, or an extra the tests install)"
    )
    assert message(voice="from demo import voice\n", http="import requests\n") == (
        "the tests import 'requests', declared nowhere; declare them in a test extra, "
        "dependency group, requirements file or tox/hatch/Poetry environment"
    )
    assert message(voice="from demo.tests import export\n", http="import numpy\n") == (
        "the tests import 'diffimg', 'numpy', declared nowhere; declare them in a test extra, "
        "dependency group, requirements file or tox/hatch/Poetry environment"
    )
