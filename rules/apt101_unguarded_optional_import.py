"""APT101: a module-level import of a library that only a non-test extra declares."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from apytest.rules.api import (
    Example,
    Finding,
    ImportFact,
    Option,
    ProjectContext,
    ProjectRule,
)
from apytest.rules.support.dependency_index import (
    DEFAULT_TEST_EXTRAS,
    chain_culprit,
    chain_finding,
    declared_together,
    fails_collecting,
    first_per_distribution,
    gated_by_submodule,
    judged_finding,
    judged_imports,
    project_index,
    sections_label,
)

DD1_FILES = {
    "pyproject.toml": (
        "[project]\nname = 'demo'\ndependencies = ['pandas']\n\n"
        "[project.optional-dependencies]\npyspark = ['pyspark[sql]~=3.2']\n\n"
        "[dependency-groups]\ndev = ['pytest']\n"
    ),
    "demo/_find.py": (
        "import importlib.util\nimport sys\nfrom pathlib import Path\n\n\n"
        "def find_spark():\n"
        "    if importlib.util.find_spec('pyspark'):\n"
        "        return\n"
        "    demo_spec = importlib.util.find_spec('demo')\n"
        "    vendor_path = Path(demo_spec.origin).parent / 'vendor/pyspark'\n"
        "    sys.path.insert(0, str(vendor_path))\n"
    ),
    "demo/vendor/__init__.py": "",
    "demo/vendor/pyspark/__init__.py": "",
    "demo/vendor/pyspark/pyspark/__init__.py": "",
    "demo/vendor/pyspark/pyspark/sql/__init__.py": "class DataFrame: ...\n",
    "demo/frames.py": "from pyspark.sql import DataFrame\n",
}
"""DD1: tecton's shape: the package's ``__init__.py`` calls, at its top level, a function of
its own that puts the package's shipped ``vendor/pyspark`` folder (found through
``importlib.util.find_spec("demo").origin``) first on ``sys.path`` when no pyspark is
installed."""
DD1_INIT = "from demo._find import find_spark as __find_spark\n\n__find_spark()\n"
AG2_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = ['pyyaml']\n\n"
    "[project.optional-dependencies]\n"
    "proxy = ['fastapi', 'pydantic-settings', 'redis']\n"
    "proxy-minimal = ['fastapi', 'pydantic-settings']\n"
    "full = ['demo[proxy]']\n\n"
    "[dependency-groups]\ndev = ['pytest']\n"
)
"""AG2 (admina): the package a test module skips on and the one a project module it imports
needs, declared together in each extra that declares either."""
BS2_PYPROJECT = """
    [project]
    name = 'demo'

    [project.optional-dependencies]
    redis = ['redis>=5']
    test = ['pytest>=8']
    """
"""BS2: an extra named after a suite folder (``tests/ext/redis/``)."""
BS2_PACKAGES = {
    "tests/__init__.py": "",
    "tests/ext/__init__.py": "",
    "tests/ext/redis/__init__.py": "",
}
"""BS2's suite: ``tests/ext/redis/`` inside the ``tests`` package."""
AG2_PROXY = {"demo/proxy.py": "from pydantic_settings import BaseSettings\n"}
FH1_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = ['pandas']\n\n"
    "[project.optional-dependencies]\n"
    "ray = ['fugue[ray]>=0.9', 'lightgbm_ray']\n"
    "dask = ['fugue[dask]>=0.9', 'dask']\n\n"
    "[dependency-groups]\ndev = ['pytest']\n"
)
"""FH1 (mlforecast): ray, named by no section, comes only with the extra ``ray`` (through
``fugue[ray]`` and ``lightgbm_ray``), which declares fugue too."""
FH1_FILES = {
    "demo/__init__.py": "",
    "demo/dist.py": "import fugue\n",
    "tests/distributed_ray/conftest.py": "import pytest\n\npytest.importorskip('ray')\n",
}

CA1_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = [{runtime}]\n\n"
    "[project.optional-dependencies]\ndocs = ['mkdocs-material']\ndevelop = ['pytest']\n"
)
"""CA1 (fwl-mors): requests is a requirement of mkdocs-material, which only ``docs`` installs."""
CA2_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = [{runtime}]\n\n"
    "[project.optional-dependencies]\npyspark = ['pyspark==4.1.1']\ndev = ['pytest']\n"
)
"""CA2 (sparkctl): the full pyspark only in an extra named after it."""
FM1_SETUP_CFG = (
    "[metadata]\nname = demo\n\n[options]\ninstall_requires =\n    {runtime}\n\n"
    "[options.extras_require]\ncrt = ibm_botocore[crt]>=1.37.4,<2.0a0\ntest = pytest\n"
)
"""FM1 (ibm-cos-sdk-s3transfer): ibm_botocore's own name only in the ``crt`` extra."""
EXTRAS_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = ['requests>=2']\n\n"
    "[project.optional-dependencies]\nplot = ['matplotlib>=3']\ntest = ['pytest>=8']\n"
)
"""The examples' project: matplotlib is optional (``plot``), pytest a test extra."""
PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = ['pytest']\n\n"
    "[project.optional-dependencies]\nplot = ['matplotlib>=3']\n"
)
"""The fixed examples' project: pytest a runtime dependency, matplotlib optional."""
ZF3_SWITCHED = """\
import os

import pytest

if os.environ.get("PLOT_REQUIRED") == "1":
    import matplotlib.pyplot as plt
else:
    plt = pytest.importorskip("{skipped}")
"""
"""ZF3: the ``if`` is the maintainers' switch to require matplotlib (dagster-dex's
``DEX_UPSTREAM_CONTRACT_REQUIRED``); without it the ``else`` skips. The near miss's ``else``
skips on another package, so nothing stands for matplotlib."""
ZF4_WORKFLOW = """\
jobs:
  test:
    steps:
      - run: uv sync --group dev --all-extras
      - run: uv run pytest -m "not llm"
"""
"""ZF4: synamine's CI job (the near miss drops ``--all-extras``)."""
BJ4_SETUP = """
from setuptools import setup

setup(
    name="demo",
    install_requires=["lxml>=4"],
    tests_require={tests_require},
)
"""
"""BJ4: a ``setup.py`` whose ``tests_require`` the examples vary."""
BJ2_FILES = {
    "requirements-dev.txt": "pytest>=8\n",
    "requirements-docs.txt": "sphinx>=7\npyyaml\n",
}
"""BJ2: pyyaml declared for the docs; the runtime's ``requirements.txt`` is added per example."""
BJ4_DEVELOPMENT = "-r production.txt\npytest>=8\ntwine>=6\nplaysound==1.2.2\n"
"""BJ4: the development requirements, which declare pytest and a package of the tests."""
BM1_GUIDE = """\
# Contributing

## Dev setup

```bash
uv sync --all-extras
```

## Running tests

```bash
uv run pytest
```
"""
"""BM1: vgi-rpc's contributor guide: the setup block installs every extra, a later block runs
the suite (the near miss's setup installs none)."""
BM1_README = """\
## Development

```bash
uv sync --dev --extra plot
uv run pytest
```
"""
"""BM1: devnomads' README: one block installs the extra by name and runs the suite (the near
miss installs it in a block of its own)."""
BP5_STARFILE = (
    "[project]\nname = 'demo'\ndependencies = ['numpy', 'starfile', 'mrcfile']\n\n"
    "[project.optional-dependencies]\nplotting = ['matplotlib', 'seaborn']\n"
    "test = ['pytest']\n"
)
"""BP5: pytom-match-pick's shape: starfile (outside the published table) brings pandas, which
seaborn in an extra brings too; seaborn itself is only the extra's."""
BP5_TRAME = (
    "[project]\nname = 'demo'\ndependencies = ['trame']\n\n"
    "[project.optional-dependencies]\ndev = ['pytest', '{rca}']\ndocs = ['sphinx', 'vtk==9.6.0']\n"
)
"""BP5: trame-slicer's shape: the test extra names trame-rca (outside the published table) with
the extra that requires vtk, which the docs extra pins."""
BM2_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = ['varco-core~=3.0']\n\n"
    "[project.optional-dependencies]\notel = ['opentelemetry-sdk>=1.20']\n"
    "memcached = ['aiomcache']\n\n[dependency-groups]\ndev = ['pytest']\n"
)
"""BM2: varco-fastapi's shape: an extra names what a runtime requirement outside the published
table (varco-core) already requires; aiomcache it does not."""
CI1_TEST = """\
import sys

import pytest

if "matplotlib.pyplot" {operator} sys.modules:
    pytest.skip("matplotlib not installed", allow_module_level=True)

import matplotlib.pyplot as plt
"""
"""CI1 (identity-plan-kit): the module skips on what ``sys.modules`` holds."""
FI1_TEST = """\
import sys

if "demo.plugin" {operator} sys.modules:

    def test_dummy():
        pass

else:
    import matplotlib.pyplot as plt

    def test_plot():
        plt.figure()
"""
"""FI1 (trio-typing): the imports in the branch that runs only where a plugin module (loaded
by ``-p demo.plugin``) was imported first; ``{operator}`` the test."""


def _group_plugin_files(extra: str, group: str, plugin: str) -> dict[str, str]:
    """A pyproject where only the ``cli`` extra declares a package (``extra``), and a test
    group with pytest and one plugin, which may or may not bring it (ZA2, DR1)."""
    return {
        "pyproject.toml": "[project]\nname = 'demo'\n\n[project.optional-dependencies]\n"
        f"cli = ['{extra}']\n\n[dependency-groups]\n{group} = ['pytest', '{plugin}']\n"
    }


DL1_PYPROJECT = (
    "[project]\nname = 'demo'\n\n[project.optional-dependencies]\n"
    "test = ['pytest']\nexperimental = ['faiss-cpu']\nexperimental_test = [{second}]\n"
)
"""DL1 (kedro-datasets): a second suite's extra, named with a test word, declares pytest."""
DX1_PYPROJECT = (
    "[project]\nname = 'demo'\n\n[project.optional-dependencies]\n"
    "jwt = ['pyjwt>=2']\nmfa = ['qrcode>=7']\n"
)
DX1_NOXFILE = (
    "import nox\n\n\n@nox.session\n@nox.parametrize('django', ['4.2', '5.2'])\n"
    "def test(session, django):\n"
    "    session.install(f'django=={{django}}', 'pytest', '.[{extras}]')\n"
    "    session.run('pytest')\n"
)
"""DX1 (zango-allauth): one computed argument beside the literal ``.[extras]`` it installs."""
TWO_EXTRAS_PYPROJECT = EXTRAS_PYPROJECT + "ssh = ['paramiko']\n"
"""matplotlib and paramiko optional, each in its own extra."""
OWN_MODULES = {
    "demo/__init__.py": "",
    "demo/plots.py": "import matplotlib\n",
    "demo/ssh.py": "import paramiko\n",
}
"""The project's own modules, each importing one optional package at module level."""
AY1_MODULES = {
    "pyproject.toml": PYPROJECT,
    "demo/__init__.py": "",
    "demo/report.py": "from demo.layout import grid\n",
    "demo/layout.py": "from . import charts\n\ngrid = charts.plot\n",
    "demo/charts.py": "import matplotlib\n\nplot = matplotlib.figure\n",
}
"""AY1: a chain of the project's modules, each importing the next at module level, the last
importing an optional package."""
FE1_INIT = "from demo._stubs import stub_if_missing\n\nstub_if_missing({name!r}, 'plots')\n"
"""FE1 (mirascope): a package's ``__init__`` handing a helper a module's dotted name before
anything imports it; the helper puts a stand-in in ``sys.modules`` when the extra is missing."""
FE1_STUBS = {"demo/_stubs.py": "def stub_if_missing(module, extra):\n    return module, extra\n"}
"""FE1's helper (mirascope's ``stub_module_if_missing``, reduced to its signature)."""
BD4_PROJECT = {
    "pyproject.toml": (
        "[project]\nname = 'demo'\ndependencies = [{runtime}]\n\n"
        "[project.optional-dependencies]\nmongo = ['mongoengine>=0.23']\ntest = ['pytest']\n"
    ),
    "demo/__init__.py": "",
    "demo/store.py": "import pymongo\n",
}
"""BD4: the project's module imports pymongo, which only the ``mongo`` extra's mongoengine
brings; the runtime requirement is one no table knows (VALID) or ``requests`` (the near miss)."""
BD1_MODULES = {
    "pyproject.toml": PYPROJECT,
    "demo/__init__.py": "def setup():\n    charts = None\n    return charts\n",
    "demo/charts.py": "import matplotlib\n\nplot = matplotlib.figure\n",
}
"""BD1: a package whose submodule imports an optional package; its ``__init__.py`` binds
``charts`` only inside a function, so ``from demo import charts`` imports the submodule."""
DN2_MODULES = {
    "pyproject.toml": PYPROJECT,
    "demo/__init__.py": "",
    "demo/errors.py": "class PlotImportError(ImportError):\n    pass\n",
    "demo/charts.py": (
        "from demo.errors import PlotImportError\n\n"
        "try:\n    import matplotlib\nexcept ImportError as exc:\n"
        "    raise PlotImportError from exc\n"
    ),
}
"""DN2 (tronpy): the project's module raises its own ImportError subclass without matplotlib."""
DN2_TEST = (
    "from demo.errors import PlotImportError\n\n"
    "try:\n    from demo import charts\nexcept {caught}:\n    charts = None\n"
)
AZ6_SSH = """
import os

import requests

_key_path = os.getenv("DEMO_SSH_KEY")
if {condition}:
    try:
        import paramiko
    except ImportError as e:
        raise RuntimeError("pip install 'demo[ssh]'") from e
"""
"""AZ6: the project's module imports paramiko only where a variable opts in to it (with the
condition ``_key_path``), or where it does not (``not _key_path``)."""
RUNNER_EXTRA_PYPROJECT = (
    "[project]\nname = 'demo'\n\n"
    "[project.optional-dependencies]\nall = ['pytest>=8', 'hypothesis']\n"
)
"""No test extra by name: the extra declaring pytest is where the tests' packages are."""


CI_EXTRAS = (
    "[project]\nname = 'demo'\n\n[project.optional-dependencies]\n"
    "dev = ['pytest>=8']\nimages = ['numpy>=1.24']\n"
)
"""A project whose ``dev`` extra holds pytest alone and whose ``images`` extra numpy (ZB7)."""
ASTROQUERY_ELSE = """
try:
    from astroquery.simbad import Simbad
except ImportError:
    Simbad = None
else:
    {line}
"""
"""A test module's try-import of astroquery whose ``else`` imports one more module (UA2)."""
DOCS_EXTRA = (
    "[project]\nname = 'demo'\n\n[project.optional-dependencies]\n"
    "docs = ['{requirement}']\ntest = ['pytest']\n"
)
"""A project declaring ``requirement`` only in a docs extra (UA2)."""


AK4_CONFTEST = """
import importlib.util

collect_ignore = []
if importlib.util.find_spec("%s") is None:
    collect_ignore.extend(["test_ssh.py"])
"""
"""A conftest leaving ``test_ssh.py`` out wherever a package is missing (AK4: ncp-olmo-eval)."""


AV3_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = ['ipydex>=0.8.2', 'pytest']\n\n"
    "[project.optional-dependencies]\nvisualization = ['ipywidgets>=7.5']\n"
)
"""AV3's examples: ipydex (which requires IPython) at run time, ipywidgets in an extra."""

AV4_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = []\n\n"
    "[project.optional-dependencies]\ndata = ['gtfs-realtime-bindings>=1.0.0,<3']\n"
    "test = ['pytest']\n"
)
"""AV4's example: the GTFS Realtime bindings only in an extra."""


CP1_PYPROJECT = """
[project]
name = 'demo'

[project.optional-dependencies]
instruments = ['google-genai>=1.32.0,<3']
"""
"""CP1: the instrumented library, declared in an extra the tests' environment installs only
where a test requirements file says so."""


class UnguardedOptionalImport(ProjectRule):
    """A module-level import of a library that the test run may not have installed.

    A package declared nowhere is APT102's finding, not this rule's: one finding per import.

    ## Why is this bad?
    When a test module, conftest or test plugin imports at module level a distribution that the
    project declares only in an extra or dependency group other than its test extras (or not at
    all), any environment that installed only the package and its test extra fails collecting
    that module with ``ModuleNotFoundError``: every test in it errors, not just those that need
    the library. A package that only such an optional declaration's requirement brings (an
    extra's ``mongoengine`` brings ``pymongo``) is optional like it, when every declaration
    could be read.

    ## Use instead
    Guard the import: ``x = pytest.importorskip("x")`` (an ``importorskip`` earlier in the module
    also covers later ``import x.sub``), ``try: import x`` / ``except ImportError`` with a handler
    that goes on (one that raises fails collection all the same),
    ``with contextlib.suppress(ImportError):``, a ``find_spec`` condition, or
    ``if TYPE_CHECKING:`` for typing-only imports.
    """

    code = "APT101"
    fixable = True
    name = "unguarded-optional-import"
    lesson = "optional-dependencies"
    summary = "optional dependency imported at module level without an importorskip/try guard"
    options: ClassVar[Mapping[str, Option]] = {
        "test-extras": Option(
            list,
            DEFAULT_TEST_EXTRAS,
            "extras and dependency groups that are installed whenever the tests run",
        ),
    }
    VALID = (
        Example(  # DX1: the nox test session installs the extra beside a computed argument
            "import jwt\n",
            files={"pyproject.toml": DX1_PYPROJECT, "noxfile.py": DX1_NOXFILE.format(extras="jwt")},
        ),
        Example(  # DL1: experimental_test names a test word and declares pytest
            "import faiss\n",
            files={"pyproject.toml": DL1_PYPROJECT.format(second="'faiss-cpu', 'pytest'")},
        ),
        Example(  # DN2: the test catches the very error the module raises without matplotlib
            DN2_TEST.format(caught="PlotImportError"),
            files=DN2_MODULES,
        ),
        Example(  # DD1: importing demo first runs find_spark(), which puts vendor/pyspark on
            # sys.path, so demo/frames.py's pyspark is the package's own copy
            "from demo.frames import DataFrame\n",
            files={**DD1_FILES, "demo/__init__.py": DD1_INIT},
        ),
        Example(  # CP1: a requirements file directly in the test folder, one per tox factor,
            # declares the instrumented library (opentelemetry-instrumentation-google-genai's
            # tests/requirements.latest.txt)
            "from google import genai\n",
            files={
                "pyproject.toml": CP1_PYPROJECT,
                "tests/requirements.latest.txt": "google-genai==2.32.0\n",
            },
        ),
        Example(  # BS2's near miss: tests/ext/ is no package, so pytest puts it on sys.path for
            # its own test module and redis is the suite's folder there
            "from redis import helpers\n",
            path="tests/ext/redis/test_service.py",
            files={
                "pyproject.toml": BS2_PYPROJECT,
                "tests/ext/test_ext.py": "def test_ext():\n    pass\n",
                "tests/ext/redis/__init__.py": "",
                "tests/ext/redis/helpers.py": "",
            },
        ),
        Example(  # CA1: the runtime's fwl-io, outside the published table, requires requests
            "import requests\n",
            files={"pyproject.toml": CA1_PYPROJECT.format(runtime="'fwl-io>=26.7.22'")},
        ),
        Example(  # CA2: pyspark-client, a runtime requirement, installs the pyspark package
            "from pyspark.sql import SparkSession\n",
            files={"pyproject.toml": CA2_PYPROJECT.format(runtime="'pyspark-client==4.1.1'")},
        ),
        Example(  # FM1: ibm-cos-sdk-core, a runtime requirement, installs the ibm_botocore package
            "from ibm_botocore.exceptions import ClientError\n",
            files={"setup.cfg": FM1_SETUP_CFG.format(runtime="ibm-cos-sdk-core==2.16.2")},
        ),
        Example(  # BJ2: the runtime's geometamaker, outside the published table, requires pyyaml
            "import yaml\n",
            files={**BJ2_FILES, "requirements.txt": "gdal>=3.4.2\ngeometamaker>=0.3.1\n"},
        ),
        Example(  # BJ4: tests_require names only pytest; the development file is the tests'
            "import playsound\n",
            files={
                "setup.py": BJ4_SETUP.format(tests_require='["pytest"]'),
                "requirements/production.txt": "lxml>=4\n",
                "requirements/development.txt": BJ4_DEVELOPMENT,
            },
        ),
        Example(  # AZ6: the project's module imports it only where a variable is set
            "from demo.ssh import connect\n",
            files={
                "pyproject.toml": TWO_EXTRAS_PYPROJECT,
                **OWN_MODULES,
                "demo/ssh.py": AZ6_SSH.format(condition="_key_path"),
            },
        ),
        Example(  # AV3: IPython comes with ipydex, a runtime requirement, not only with ipywidgets
            "from IPython import embed as IPS\n",
            files={"pyproject.toml": AV3_PYPROJECT},
        ),
        Example(  # AC4: a stand-in in sys.modules is what the project module's import finds
            # (tradingo's ib_insync)
            """
            import sys
            from unittest.mock import MagicMock

            if "paramiko" not in sys.modules:
                sys.modules["paramiko"] = MagicMock()

            from demo.ssh import connect
            """,
            files={"pyproject.toml": TWO_EXTRAS_PYPROJECT, **OWN_MODULES},
        ),
        Example(  # BQ5: a helper of the module, called by its body, puts the stand-in there
            """
            import sys
            import types


            def _install_paramiko_stub():
                sys.modules["paramiko"] = types.ModuleType("paramiko")


            _install_paramiko_stub()

            from demo.ssh import connect
            """,
            files={"pyproject.toml": TWO_EXTRAS_PYPROJECT, **OWN_MODULES},
        ),
        Example(  # AC3: riskfolio-lib requires cvxpy, cvxpy osqp, and osqp jinja2 since 1.0
            # (tradingo: jinja2 declared only in a group, there through the runtime)
            "import jinja2\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['riskfolio-lib']\n\n"
                    "[dependency-groups]\ndev = ['pytest']\nresearch = ['jinja2']\n"
                )
            },
        ),
        Example(  # AM1: 'my' is not mypy's module: a bare 'py' ends a name, it is no affix
            "from my.core.cfg import tmp_config\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\n\n"
                    "[dependency-groups]\ntesting = ['pytest']\ntypecheck = ['mypy']\n"
                )
            },
        ),
        Example(  # ZG1: a package folder is not on sys.path, so 'typing' is the standard one
            "from typing import Callable\n",
            path="demo/core/a_test.py",
            files={
                "pyproject.toml": EXTRAS_PYPROJECT,
                "demo/__init__.py": "",
                "demo/core/__init__.py": "",
                "demo/core/typing.py": "import matplotlib\n",
            },
        ),
        Example(  # ZB7: CI installs requirements-ci.txt, which declares pytest (inklet)
            "import numpy\n",
            files={
                "pyproject.toml": CI_EXTRAS,
                "requirements-ci.txt": "numpy==2.3.0\npytest==9.0.0\n",
            },
        ),
        Example(  # UA2: the else of astroquery's try-import runs only where it (so requests,
            # so urllib3) imported; galpy's _optional_deps
            ASTROQUERY_ELSE.format(line="from urllib3.exceptions import ProtocolError"),
            files={"pyproject.toml": DOCS_EXTRA.format(requirement="urllib3")},
        ),
        Example(
            """
            import pytest

            plt = pytest.importorskip('matplotlib.pyplot')
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(
            """
            try:
                import matplotlib
            except ImportError:
                HAS_MPL = False
            else:  # runs only once matplotlib imported
                HAS_MPL = True
                import matplotlib.pyplot as plt
                from demo.plots import draw

            if HAS_MPL:  # the flag guards the project module that needs matplotlib too
                import demo.plots
            """,
            files={"pyproject.toml": TWO_EXTRAS_PYPROJECT, **OWN_MODULES},
        ),
        Example(
            """
            import pytest

            pytest.importorskip('matplotlib', minversion='3.5')
            import matplotlib.pyplot as plt
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(
            """
            try:
                import matplotlib
            except ImportError:
                matplotlib = None
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(
            """
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                import matplotlib
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(
            """
            import requests
            import pytest


            def test_plot():
                import matplotlib
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(
            """
            import contextlib

            with contextlib.suppress(ImportError):
                import matplotlib
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(  # optuna's helper: the context manager records the ImportError
            """
            from demo._imports import try_import

            with try_import() as _imports:
                import matplotlib
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(
            "import matplotlib\n",
            path="tests/plots/test_example.py",
            files={
                "pyproject.toml": EXTRAS_PYPROJECT,
                "tests/conftest.py": """
                    collect_ignore = []
                    try:
                        import matplotlib
                    except ImportError:
                        collect_ignore.append('plots')
                    """,
            },
        ),
        Example(  # AK4: the conftest leaves the module out where the chain's package is missing
            "from demo.ssh import connect\n",
            path="tests/test_ssh.py",
            files={
                "pyproject.toml": TWO_EXTRAS_PYPROJECT,
                **OWN_MODULES,
                "tests/conftest.py": AK4_CONFTEST % "paramiko",
            },
        ),
        Example(  # FI1: the else runs only where the plugin module was imported before
            FI1_TEST.format(operator="not in"),
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(  # CI1: skipped unless matplotlib was imported before, so it is installed
            CI1_TEST.format(operator="not in"),
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(  # RU7: the handler skips the module, so past it matplotlib is installed
            """
            import pytest

            try:
                import matplotlib  # noqa: F401
            except ImportError:
                pytest.skip("matplotlib not installed", allow_module_level=True)

            from matplotlib.pyplot import figure
            import matplotlib as mpl
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(
            """
            import pytest
            from helpers import HAS_MATPLOTLIB

            if not HAS_MATPLOTLIB:
                pytest.skip('needs matplotlib', allow_module_level=True)
            import matplotlib
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(
            """
            import matplotlib.pyplot as plt
            """,
            files={
                "pyproject.toml": EXTRAS_PYPROJECT,
                # the project's own test command installs every extra: the import cannot fail
                "Justfile": "test *args:\n    uv run --all-extras --extra test pytest {{args}}\n",
            },
        ),
        Example(
            """
            import matplotlib.pyplot as plt
            """,
            files={
                "pyproject.toml": EXTRAS_PYPROJECT,
                # the installer through the Makefile's own variables
                "Makefile": (
                    "UV     = uv\nUV_RUN = $(UV) run\n\nbuild:\n\t$(UV) sync --locked --all-extras"
                    " --dev\n\ntest:\n\t$(UV_RUN) pytest\n"
                ),
            },
        ),
        Example(
            """
            import unittest

            try:
                import matplotlib
                HAS_MPL = True
            except ImportError:
                HAS_MPL = False

            if not HAS_MPL:  # pytest skips the module, as with pytest.skip(allow_module_level)
                raise unittest.SkipTest("needs matplotlib")

            import matplotlib.pyplot as plt
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(
            "from hypothesis import given\n",
            files={"pyproject.toml": RUNNER_EXTRA_PYPROJECT},
        ),
        Example(
            "import path  # jaraco.envs, which the test extra installs, requires it\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\n\n[project.optional-dependencies]\n"
                    "test = ['pytest>=8', 'jaraco.envs>=2.2']\nvendor = ['path']\n"
                )
            },
        ),
        Example(  # RU4: mediafile, a core dependency, requires mutagen in every release
            "import mutagen.wave\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['mediafile>=0.17.0']\n\n"
                    "[project.optional-dependencies]\nscrub = ['mutagen>=1.33']\n"
                    "test = ['pytest']\n"
                )
            },
        ),
        Example(  # RW1: mf2py, a core dependency, requires requests in every release
            "from requests.exceptions import HTTPError\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['lxml', 'mf2py']\n\n"
                    "[project.optional-dependencies]\ncli = ['requests']\n"
                    "test = ['pytest']\n"
                )
            },
        ),
        Example(  # ZA2: plummet, which the dev group installs, requires pendulum
            "import pendulum\nfrom qtpy.QtWidgets import QWidget  # napari requires qtpy\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\n\n[project.optional-dependencies]\n"
                    "cli = ['pendulum>=3']\nnapari = ['napari', 'qtpy']\n\n"
                    "[dependency-groups]\n"
                    "dev = ['pytest', 'plummet[time-machine]>=1.2', 'napari[qt]']\n"
                )
            },
        ),
        Example(  # twisted, which the test extra installs, requires zope.interface (ZK3)
            "from zope.interface import implementer\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\n\n[project.optional-dependencies]\n"
                    "twisted = ['zope.interface>=6.2', 'twisted>=22.10']\n"
                    "dev = ['pytest', 'twisted>=22.10']\n"
                )
            },
        ),
        Example(  # the test extra's mypy requires it, under python_version markers (ZK1)
            "from typing_extensions import get_annotations\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\n\n[project.optional-dependencies]\n"
                    "test = ['pytest', \"mypy; implementation_name=='cpython'\"]\n"
                    "typetest = ['pyright', 'typing-extensions']\n"
                )
            },
        ),
        Example(  # the package's ``__init__.py`` skips every module below it first
            "import matplotlib.pyplot as plt\n\n\ndef test_plot():\n    plt.figure()\n",
            path="tests/plots/test_plot.py",
            files={
                "pyproject.toml": PYPROJECT,
                "tests/__init__.py": "",
                "tests/plots/__init__.py": "import pytest\n\npytest.importorskip('matplotlib')\n",
            },
        ),
        Example(  # ZD3: a conftest's importorskip skips its folder, in every import mode
            "import matplotlib.pyplot as plt\n\n\ndef test_plot():\n    plt.figure()\n",
            path="tests/plots/sub/test_plot.py",
            files={
                "pyproject.toml": PYPROJECT
                + "\n[tool.pytest.ini_options]\naddopts = '--import-mode=importlib'\n",
                "tests/plots/conftest.py": "import pytest\n\npytest.importorskip('matplotlib')\n",
            },
        ),
        Example(  # FH1: a conftest skips on ray, which only the extra ``ray`` brings, with fugue
            "import demo.dist\n\n\ndef test_fit():\n    pass\n",
            path="tests/distributed_ray/test_ray.py",
            files={"pyproject.toml": FH1_PYPROJECT, **FH1_FILES},
        ),
        Example(  # AG2: every extra declaring the package skipped on declares the import's too
            """
            import pytest

            pytest.importorskip("fastapi")

            from pydantic_settings import BaseSettings
            import demo.proxy
            """,
            files={"pyproject.toml": AG2_PYPROJECT, "demo/__init__.py": "", **AG2_PROXY},
        ),
        Example(  # boto3 requires botocore: once it is skipped on, the chain cannot fail
            """
            import pytest

            pytest.importorskip("boto3")

            import demo.aws
            """,
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['pytest']\n\n"
                    "[project.optional-dependencies]\naws = ['boto3', 'botocore']\n"
                ),
                "demo/__init__.py": "",
                "demo/aws.py": "import botocore.client\n",
            },
        ),
        Example(
            "import demo.remote\n",
            files={
                "pyproject.toml": TWO_EXTRAS_PYPROJECT,
                "demo/__init__.py": "",
                "demo/features.py": "def have(feature): ...\n",
                "demo/remote.py": """
                    import demo.features

                    try:
                        import ssl
                    except ImportError:
                        ssl = None

                    _have_ssh = demo.features.have('ssh')  # another module's check
                    if _have_ssh:
                        import paramiko
                    """,
            },
        ),
        Example(
            """
            import matplotlib.pyplot as plt
            """,
            files={
                # the project's own test task installs the extra by name
                "pyproject.toml": EXTRAS_PYPROJECT
                + "\n[tool.poe.tasks]\n"
                + 'test = "uv run --extra plot pytest --cov"\n'
                + 'check-types = { cmd = "uv run --extra plot mypy" }\n',
            },
        ),
        Example(  # RX2: google-cloud-pubsub, which the test extra installs, requires grpcio
            "import grpc\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\n\n[project.optional-dependencies]\n"
                    "grpc = ['grpcio>=1.59.0']\ntesting = ['pytest', 'google-cloud-pubsub']\n"
                )
            },
        ),
        Example(  # RZ4: ``setup(**setup_args)`` spreads a dict bound once; qtpy is required
            """
            from qtpy import QtCore
            """,
            files={
                "setup.py": """
                    from setuptools import setup

                    setup_args = dict(
                        name="demo",
                        install_requires=["qtpy>=2.4", "pygments"],
                        extras_require={"test": ["pytest"], "gui": ["pyqt5"]},
                    )

                    if __name__ == "__main__":
                        setup(**setup_args)
                    """,
                "docs/environment.yml": "dependencies:\n  - qtpy\n  - sphinx\n",
            },
        ),
        Example(  # RZ1: the runtime's terminado requires tornado, declared for the docs too
            """
            from tornado.httpclient import HTTPClientError
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['terminado>=0.8.3']

                    [project.optional-dependencies]
                    test = ['pytest']
                    docs = ['tornado', 'sphinx']
                    """,
            },
        ),
        Example(  # the runtime's causal-learn requires matplotlib (dowhy, SB3)
            "import matplotlib.pyplot as plt\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['causal-learn>=0.1.3']\n\n"
                    "[project.optional-dependencies]\nplotting = ['matplotlib']\n"
                    "test = ['pytest']\n"
                )
            },
        ),
        Example(  # ZC1: the runtime's mlxtend requires matplotlib (facmodts)
            "import matplotlib.pyplot as plt\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['mlxtend>=0.22', 'polars']\n\n"
                    "[project.optional-dependencies]\nplot = ['matplotlib']\n"
                    "test = ['pytest']\n"
                )
            },
        ),
        Example(  # the test group's pytest-mpl requires matplotlib (shap, SB3)
            "import matplotlib.pyplot as plt\n",
            path="tests/conftest.py",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\n\n[dependency-groups]\n"
                    "plots = ['matplotlib']\ntest = ['pytest', 'pytest-mpl']\n"
                )
            },
        ),
        Example(  # VA1: the runtime's datasets requires huggingface-hub (mteb)
            "from huggingface_hub import HfApi\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['datasets>=2.19']\n\n"
                    "[project.optional-dependencies]\nxet = ['huggingface_hub>=0.32']\n"
                    "test = ['pytest']\n"
                )
            },
        ),
        Example(  # SA2 needs every declaration read: a computed install_requires may hold it
            "from pymongo import MongoClient\n",
            files={
                "setup.py": """
                    from setuptools import setup
                    setup(
                        name="demo",
                        install_requires=read_requirements(),
                        extras_require={"mongoengine": ["mongoengine>=0.23"], "test": ["pytest"]},
                    )
                    """
            },
        ),
        Example(  # ZF3: the else importorskips the package the if's body imports
            ZF3_SWITCHED.format(skipped="matplotlib.pyplot"),
            files={"pyproject.toml": PYPROJECT},
        ),
        Example(  # ZF4: the CI workflow installs every extra, then runs pytest
            "import matplotlib\n",
            files={"pyproject.toml": PYPROJECT, ".github/workflows/ci.yml": ZF4_WORKFLOW},
        ),
        Example(  # FE1: the package's __init__ may put a stand-in for demo.charts in
            # sys.modules first, so the chain's `from . import charts` may run none of its file
            "from demo.report import grid\n",
            files={
                **AY1_MODULES,
                **FE1_STUBS,
                "demo/__init__.py": FE1_INIT.format(name="demo.charts"),
            },
        ),
        Example(  # AY1's near miss: the second module imports the third only when called
            "from demo.report import grid\n",
            files={
                **AY1_MODULES,
                "demo/layout.py": "def grid():\n    from . import charts\n    return charts.plot\n",
            },
        ),
        Example(  # BD4: a requirement no table knows may bring what the project names nowhere
            "from demo.store import pymongo\n",
            files={
                **BD4_PROJECT,
                "pyproject.toml": BD4_PROJECT["pyproject.toml"].format(runtime="'acme-store-sdk'"),
            },
        ),
        Example(  # BD1: the package binds the name, so importing it imports no submodule
            "from demo import charts\n",
            files={**BD1_MODULES, "demo/__init__.py": "def charts():\n    return None\n"},
        ),
        Example(  # BD1: a module __getattr__ may answer any name (lazy submodules)
            "from demo import charts\n",
            files={**BD1_MODULES, "demo/__init__.py": "def __getattr__(name):\n    return name\n"},
        ),
        Example(  # BI4's near miss: a folder named after a standard package is no namespace
            # Python imports (the standard ``test`` package, a regular one, comes first)
            "from test.charts import plot\n",
            files={"pyproject.toml": PYPROJECT, "test/charts.py": BD1_MODULES["demo/charts.py"]},
        ),
        Example(  # BI4's near miss: nor one named after a distribution the tables know (palm's
            # plugins ship palm/plugins/x/, and palm may install a package of that name)
            "from pelican.charts import plot\n",
            files={
                "pyproject.toml": PYPROJECT,
                "pelican/charts.py": BD1_MODULES["demo/charts.py"],
            },
        ),
        Example(  # BM1: the contributor guide installs every extra, then runs pytest
            "import matplotlib\n",
            files={"pyproject.toml": PYPROJECT, "CONTRIBUTING.md": BM1_GUIDE},
        ),
        Example(  # BM1: a README code block installs the extra by name and runs pytest
            "import matplotlib\n",
            files={"pyproject.toml": PYPROJECT, "README.md": BM1_README},
        ),
        Example(  # BP5: starfile, a runtime requirement outside the published table, brings pandas
            "import pandas as pd\nimport starfile\n",
            files={"pyproject.toml": BP5_STARFILE},
        ),
        Example(  # BP5: the test extra's trame-rca[vtkstreaming] requires vtk
            "from vtkmodules.vtkCommonCore import vtkObject\n",
            files={"pyproject.toml": BP5_TRAME.format(rca="trame-rca[vtkstreaming]>=2.10.2")},
        ),
        Example(  # BM2: varco-core, outside the published table, requires the SDK
            "from opentelemetry.sdk.trace import TracerProvider\n",
            files={"pyproject.toml": BM2_PYPROJECT},
        ),
        Example(  # DR1: the tests group's pytest-clarity, outside the published table, brings rich
            "from rich.console import Console\n",
            files=_group_plugin_files("rich>=12", "tests", "pytest-clarity>=1.0.1"),
        ),
    )
    INVALID = (
        Example(  # DX1's near miss: the session's literal extra is another one
            "import jwt\n",
            files={"pyproject.toml": DX1_PYPROJECT, "noxfile.py": DX1_NOXFILE.format(extras="mfa")},
            line=1,
        ),
        Example(  # DL1's near miss: the extra names a test word but does not declare pytest
            "import faiss\n",
            files={"pyproject.toml": DL1_PYPROJECT.format(second="'faiss-cpu'")},
            line=1,
        ),
        Example(  # DR1's near miss: the tests group's pytest-timeout brings no rich
            "from rich.console import Console\n",
            files=_group_plugin_files("rich>=12", "tests", "pytest-timeout"),
            line=1,
        ),
        Example(  # DD1's near miss: the __init__.py imports find_spark but never calls it
            "from demo.frames import DataFrame\n",
            files={**DD1_FILES, "demo/__init__.py": DD1_INIT.replace("__find_spark()", "")},
            line=1,
        ),
        Example(  # CP1's near miss: the same file of the docs folder is no test requirements
            "from google import genai\n",
            files={
                "pyproject.toml": CP1_PYPROJECT,
                "docs/requirements.latest.txt": "google-genai==2.32.0\n",
            },
            line=1,
        ),
        Example(  # BS2: tests/ext/redis/ is tests.ext.redis, so redis is the distribution's
            "from redis.asyncio import Redis\n",
            path="tests/ext/redis/test_service.py",
            files={"pyproject.toml": BS2_PYPROJECT, **BS2_PACKAGES},
            line=1,
        ),
        Example(  # BP5's near miss: seaborn itself comes only with the plotting extra
            "import seaborn as sns\nimport starfile\n",
            files={"pyproject.toml": BP5_STARFILE},
            line=1,
        ),
        Example(  # BP5's near miss: trame-rca without its vtkstreaming extra brings no vtk
            "from vtkmodules.vtkCommonCore import vtkObject\n",
            files={"pyproject.toml": BP5_TRAME.format(rca="trame-rca>=2.10.2")},
            line=1,
        ),
        Example(  # BN4: puzpy installs the module puz, which only an extra declares
            "import puz\n",
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'

                    [project.optional-dependencies]
                    convert = ['puzpy>=0.7']
                    test = ['pytest>=8']
                    """
            },
            line=1,
        ),
        Example(  # CA1's near miss: click requires no requests, which only the docs extra brings
            "import requests\n",
            files={"pyproject.toml": CA1_PYPROJECT.format(runtime="'click'")},
            line=1,
        ),
        Example(  # CA2's near miss: without pyspark-client, pyspark comes only with its extra
            "from pyspark.sql import SparkSession\n",
            files={"pyproject.toml": CA2_PYPROJECT.format(runtime="'click>=8'")},
            line=1,
        ),
        Example(  # FM1's near miss: without ibm-cos-sdk-core, ibm_botocore comes only with crt
            "from ibm_botocore.exceptions import ClientError\n",
            files={"setup.cfg": FM1_SETUP_CFG.format(runtime="click>=8")},
            line=1,
        ),
        Example(  # BJ2's near miss: gdal alone requires no pyyaml
            "import yaml\n",
            files={**BJ2_FILES, "requirements.txt": "gdal>=3.4.2\n"},
            line=1,
        ),
        Example(  # BJ4's near miss: tests_require also names mock, a package of the tests
            "import playsound\n",
            files={
                "setup.py": BJ4_SETUP.format(tests_require='["pytest", "mock"]'),
                "requirements/production.txt": "lxml>=4\n",
                "requirements/development.txt": BJ4_DEVELOPMENT,
            },
            line=1,
        ),
        Example(  # AZ6's near miss: it imports it where the variable is unset
            "from demo.ssh import connect\n",
            files={
                "pyproject.toml": TWO_EXTRAS_PYPROJECT,
                **OWN_MODULES,
                "demo/ssh.py": AZ6_SSH.format(condition="not _key_path"),
            },
            line=1,
        ),
        Example(  # AV3's near miss: ipywidgets itself comes only with the extra
            "import ipywidgets\n",
            files={"pyproject.toml": AV3_PYPROJECT},
            line=1,
        ),
        Example(  # AV4: google.transit is the GTFS Realtime bindings', declared in an extra only
            "from google.transit import gtfs_realtime_pb2\n",
            files={"pyproject.toml": AV4_PYPROJECT},
            line=1,
        ),
        Example(  # AY1: importing a module runs the project modules it imports, and theirs
            "from demo.report import grid\n",
            files=AY1_MODULES,
            line=1,
        ),
        Example(  # FE1's near miss: the stand-in is for another module, demo.charts runs
            "from demo.report import grid\n",
            files={
                **AY1_MODULES,
                **FE1_STUBS,
                "demo/__init__.py": FE1_INIT.format(name="demo.plots"),
            },
            line=1,
        ),
        Example(  # FE1's near miss: the standard library's import_module imports demo.charts
            # itself, no stand-in
            "from demo.report import grid\n",
            files={
                **AY1_MODULES,
                "demo/__init__.py": "from importlib import import_module\n\n"
                "import_module('demo.charts')\n",
            },
            line=1,
        ),
        Example(  # BD4's near miss: every runtime requirement is known, and none brings it
            "from demo.store import pymongo\n",
            files={
                **BD4_PROJECT,
                "pyproject.toml": BD4_PROJECT["pyproject.toml"].format(runtime="'requests>=2'"),
            },
            line=1,
        ),
        Example(  # BD1: a name the package does not bind imports the submodule
            "from demo import charts\n",
            files=BD1_MODULES,
            line=1,
        ),
        Example(  # DN2's near miss: the test catches some other error
            DN2_TEST.format(caught="ValueError"),
            files=DN2_MODULES,
            line=4,
        ),
        Example(  # BI4: through a folder without __init__.py, a namespace package (pytrivialsql's
            # tests import ``from src.pytrivialsql import duckdb``)
            "from src.demo import charts\n",
            files={
                "pyproject.toml": PYPROJECT,
                "src/demo/__init__.py": "",
                "src/demo/charts.py": BD1_MODULES["demo/charts.py"],
            },
            line=1,
        ),
        Example(  # BD1's near miss: the same inside the project, a module importing it by name
            "from demo.report import grid\n",
            files={**AY1_MODULES, "demo/layout.py": "from demo import charts\n\ngrid = 1\n"},
            line=1,
        ),
        Example(  # AK4's near miss: the conftest leaves it out when another package is missing
            "from demo.ssh import connect\n",
            path="tests/test_ssh.py",
            files={
                "pyproject.toml": TWO_EXTRAS_PYPROJECT,
                **OWN_MODULES,
                "tests/conftest.py": AK4_CONFTEST % "matplotlib",
            },
            line=1,
        ),
        Example(  # BQ5's near miss: the module body calls the helper after the import
            """
            import sys
            import types


            def _install_paramiko_stub():
                sys.modules["paramiko"] = types.ModuleType("paramiko")


            from demo.ssh import connect

            _install_paramiko_stub()
            """,
            files={"pyproject.toml": TWO_EXTRAS_PYPROJECT, **OWN_MODULES},
            line=9,
        ),
        Example(  # FI1's near miss: the else runs where the plugin module was not imported
            FI1_TEST.format(operator="in"),
            files={"pyproject.toml": EXTRAS_PYPROJECT},
            line=9,
        ),
        Example(  # FI1's near miss: pytest is imported in every run, so the else always runs
            FI1_TEST.replace("demo.plugin", "pytest").format(operator="not in"),
            files={"pyproject.toml": EXTRAS_PYPROJECT},
            line=9,
        ),
        Example(  # CI1's near miss: it skips where matplotlib was imported, and runs elsewhere
            CI1_TEST.format(operator="in"),
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(  # AC4's near miss: the stand-in comes after the import that needs it
            """
            import sys
            from unittest.mock import MagicMock

            from demo.ssh import connect

            sys.modules["paramiko"] = MagicMock()
            """,
            files={"pyproject.toml": TWO_EXTRAS_PYPROJECT, **OWN_MODULES},
            line=4,
        ),
        Example(  # AC4's near miss: a stand-in for another package than the one needed
            """
            import sys
            from unittest.mock import MagicMock

            sys.modules["matplotlib"] = MagicMock()
            from demo.ssh import connect
            """,
            files={"pyproject.toml": TWO_EXTRAS_PYPROJECT, **OWN_MODULES},
            line=5,
        ),
        Example(  # AM1's near miss: '-py' with its separator is an affix ('my' from my-py)
            "from my.core.cfg import tmp_config\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\n\n"
                    "[dependency-groups]\ntesting = ['pytest']\ntypecheck = ['my-py']\n"
                )
            },
            line=1,
        ),
        Example(  # AC3's near miss: cvxpy brings no flask
            "import flask\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['cvxpy']\n\n"
                    "[dependency-groups]\ndev = ['pytest']\nweb = ['flask']\n"
                )
            },
            line=1,
        ),
        Example(  # the try_import example's near miss: catch_warnings lets ImportError through
            """
            import warnings

            with warnings.catch_warnings():
                import matplotlib
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
            line=4,
        ),
        Example(  # ZG1's near miss: a folder without __init__.py is put first on sys.path
            "import colorsys\n",
            path="tests/core/test_a.py",
            files={
                "pyproject.toml": EXTRAS_PYPROJECT,
                "tests/core/colorsys.py": "import matplotlib\n",
            },
            line=1,
        ),
        Example(  # ZB7's near miss: a CI requirements file without pytest is CI's tools
            "import numpy\n",
            files={"pyproject.toml": CI_EXTRAS, "requirements-ci.txt": "numpy==2.3.0\nruff\n"},
            line=1,
        ),
        Example(  # UA2's near miss: astroquery does not require pandas
            ASTROQUERY_ELSE.format(line="import pandas"),
            files={"pyproject.toml": DOCS_EXTRA.format(requirement="pandas")},
            line=6,
        ),
        Example(  # ZA2's near miss: the dev group's time-machine brings no pendulum
            "import pendulum\n",
            files=_group_plugin_files("pendulum>=3", "dev", "time-machine"),
            line=1,
        ),
        Example(  # ZC1's near miss: the runtime's mlxtend brings no plotly
            "import plotly\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['mlxtend>=0.22', 'polars']\n\n"
                    "[project.optional-dependencies]\nplot = ['matplotlib', 'plotly']\n"
                    "test = ['pytest']\n"
                )
            },
            line=1,
        ),
        Example(  # SA2: only an extra's mongoengine brings pymongo
            "from pymongo import AsyncMongoClient\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\n\n[project.optional-dependencies]\n"
                    "mongoengine = ['mongoengine>=0.23']\n\n[dependency-groups]\n"
                    "dev = ['pytest']\n"
                )
            },
            line=1,
        ),
        Example(  # VA1's near miss: only an optional group's langgraph brings langchain-core
            "from langchain_core.messages import AIMessage\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['boto3']\n\n"
                    "[dependency-groups]\ntest = ['pytest']\nagents = ['langgraph>=1']\n"
                )
            },
            line=1,
        ),
        Example(  # pytest-cov, the test group's, does not require matplotlib (SB3)
            "import matplotlib.pyplot as plt\n",
            path="tests/conftest.py",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\n\n[dependency-groups]\n"
                    "plots = ['matplotlib']\ntest = ['pytest', 'pytest-cov']\n"
                )
            },
        ),
        Example(  # google-cloud-testutils, the test extra's, does not require grpcio (RX2)
            "import grpc\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\n\n[project.optional-dependencies]\n"
                    "grpc = ['grpcio>=1.59.0']\ntesting = ['pytest', 'google-cloud-testutils']\n"
                )
            },
            line=1,
        ),
        Example(  # RZ4's near miss: ``setup(**setup_args)`` spreads a dict bound once
            """
            from PyQt5 import QtCore
            """,
            files={
                "setup.py": """
                    from setuptools import setup

                    setup_args = dict(
                        name="demo",
                        install_requires=["qtpy>=2.4"],
                        extras_require={"test": ["pytest"], "gui": ["pyqt5"]},
                    )

                    if __name__ == "__main__":
                        setup(**setup_args)
                    """,
            },
            line=1,
        ),
        Example(  # a handler that does not skip lets the later import fail collection
            """
            import pytest

            try:
                import matplotlib  # noqa: F401
            except ImportError:
                print("matplotlib not installed")

            from matplotlib.pyplot import figure
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(  # a skip inside an ``if`` of the module does not always run
            """
            import sys
            import pytest

            if sys.platform == "linux":
                try:
                    import matplotlib  # noqa: F401
                except ImportError:
                    pytest.skip("no matplotlib", allow_module_level=True)

            from matplotlib.pyplot import figure
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
        ),
        Example(  # the package skips on django, which does not require matplotlib
            "import matplotlib.pyplot as plt\n",
            path="tests/web/test_plot.py",
            files={
                "pyproject.toml": PYPROJECT,
                "tests/__init__.py": "",
                "tests/web/__init__.py": "import pytest\n\npytest.importorskip('django')\n",
            },
            line=1,
        ),
        Example(  # ZD3's near miss: a conftest's importorskip in a fixture skips no module
            "import matplotlib.pyplot as plt\n",
            path="tests/plots/test_plot.py",
            files={
                "pyproject.toml": PYPROJECT,
                "tests/plots/conftest.py": (
                    "import pytest\n\n\n@pytest.fixture\ndef plt():\n"
                    "    return pytest.importorskip('matplotlib.pyplot')\n"
                ),
            },
            line=1,
        ),
        Example(  # ``sub`` is no package: pytest imports the module without ``plots``'s init
            "import matplotlib.pyplot as plt\n",
            path="tests/plots/sub/test_plot.py",
            files={
                "pyproject.toml": PYPROJECT,
                "tests/__init__.py": "",
                "tests/plots/__init__.py": "import pytest\n\npytest.importorskip('matplotlib')\n",
            },
            line=1,
        ),
        Example(  # under ``--import-mode=importlib`` the package's init is not read as a guard
            "import matplotlib.pyplot as plt\n",
            path="tests/plots/test_plot.py",
            files={
                "pyproject.toml": PYPROJECT
                + "\n[tool.pytest.ini_options]\naddopts = '--import-mode=importlib'\n",
                "tests/__init__.py": "",
                "tests/plots/__init__.py": "import pytest\n\npytest.importorskip('matplotlib')\n",
            },
            line=1,
        ),
        Example(
            """
            import matplotlib.pyplot as plt
            """,
            files={
                # the extra goes with the type check only, not with the task that runs pytest
                "pyproject.toml": EXTRAS_PYPROJECT
                + "\n[tool.poe.tasks]\n"
                + 'test = "uv run pytest --cov"\n'
                + 'check-types = { cmd = "uv run --extra plot mypy" }\n',
            },
            line=1,
        ),
        Example(
            "import demo.remote\n",
            files={
                "pyproject.toml": TWO_EXTRAS_PYPROJECT,
                "demo/__init__.py": "",
                "demo/remote.py": """
                    import os

                    try:
                        import ssl
                    except ImportError:
                        ssl = None

                    _verbose = os.environ.get('VERBOSE')  # the standard library's: no check
                    if _verbose:
                        import paramiko
                    """,
            },
            line=1,
        ),
        Example(
            "from hypothesis import given\n",
            files={
                "pyproject.toml": RUNNER_EXTRA_PYPROJECT.replace(
                    "\n[project.opt", "dependencies = ['pytest']\n\n[project.opt"
                )
            },
            line=1,
        ),
        Example(
            "from hypothesis import given\n",
            files={"pyproject.toml": RUNNER_EXTRA_PYPROJECT + "test = ['pytest-cov']\n"},
            line=1,
        ),
        Example(
            """
            import matplotlib.pyplot as plt
            """,
            files={
                "pyproject.toml": EXTRAS_PYPROJECT,
                # every extra is installed for the docs only; the tests run without them
                "Makefile": "docs:\n\tuv sync --all-extras\n\tsphinx-build docs out\n",
            },
            line=1,
        ),
        Example(
            """
            import matplotlib.pyplot as plt
            """,
            files={
                "pyproject.toml": EXTRAS_PYPROJECT,
                # a variable that is no installer: nothing installs the extras
                "Makefile": "UV = echo\n\ntest:\n\t$(UV) sync --all-extras\n\tpytest\n",
            },
            line=1,
        ),
        Example(
            """
            import pytest
            import matplotlib.pyplot as plt
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
            line=2,
        ),
        Example(
            """
            try:
                import matplotlib
            except ImportError:
                matplotlib = None
            else:
                import paramiko  # matplotlib does not bring paramiko
            """,
            files={"pyproject.toml": TWO_EXTRAS_PYPROJECT},
            line=6,
        ),
        Example(
            """
            try:
                import matplotlib
                HAS_MPL = True
            except ImportError:
                HAS_MPL = False

            if HAS_MPL:
                from demo.ssh import connect  # needs paramiko, not matplotlib
            """,
            files={"pyproject.toml": TWO_EXTRAS_PYPROJECT, **OWN_MODULES},
            line=8,
        ),
        Example(
            """
            from helpers import requires_matplotlib
            import matplotlib

            pytestmark = requires_matplotlib  # a mark: the import above still fails collection
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
            line=2,
        ),
        Example(
            """
            try:
                import matplotlib
            except ImportError as error:
                raise RuntimeError('the plot tests need matplotlib') from error
            """,
            files={"pyproject.toml": EXTRAS_PYPROJECT},
            line=2,
        ),
        Example(
            "from matplotlib import pyplot\n",
            path="tests/conftest.py",
            files={"pyproject.toml": EXTRAS_PYPROJECT},
            line=1,
        ),
        Example(
            '"""Plots."""\n\nfrom __future__ import annotations\n\n'
            "# plotting is optional\nimport matplotlib.pyplot as plt\n",
            fixed='"""Plots."""\n\nfrom __future__ import annotations\n\nimport pytest\n'
            '# plotting is optional\nplt = pytest.importorskip("matplotlib.pyplot")\n',
            files={"pyproject.toml": PYPROJECT},
        ),
        Example(
            """
            import matplotlib
            import pytest
            """,
            fixed="""
            import pytest
            matplotlib = pytest.importorskip("matplotlib")
            """,
            files={"pyproject.toml": PYPROJECT},
        ),
        Example(
            """
            import pytest
            from matplotlib import pyplot
            """,
            fixed="""
            import pytest
            from matplotlib import pyplot
            """,
            files={"pyproject.toml": PYPROJECT},
        ),
        Example(
            "import matplotlib\n",
            fixed="import matplotlib\n",
            path="tests/conftest.py",
            files={"pyproject.toml": PYPROJECT},
        ),
        Example(  # FH1's near miss: the dev group installs lightgbm_ray, which brings ray alone
            "import demo.dist\n\n\ndef test_fit():\n    pass\n",
            path="tests/distributed_ray/test_ray.py",
            files={
                "pyproject.toml": FH1_PYPROJECT.replace("'pytest'", "'pytest', 'lightgbm_ray'"),
                **FH1_FILES,
            },
        ),
        Example(  # FH1's near miss: the extra ``ray`` brings ray without fugue
            "import demo.dist\n\n\ndef test_fit():\n    pass\n",
            path="tests/distributed_ray/test_ray.py",
            files={
                "pyproject.toml": FH1_PYPROJECT.replace("'fugue[ray]>=0.9', ", "'ray', "),
                **FH1_FILES,
            },
        ),
        Example(  # AG2's near miss: extra ``web`` installs fastapi without pydantic-settings
            """
            import pytest

            pytest.importorskip("fastapi")

            import demo.proxy
            """,
            files={
                "pyproject.toml": AG2_PYPROJECT.replace(
                    "[project.optional-dependencies]\n",
                    "[project.optional-dependencies]\nweb = ['fastapi']\n",
                ),
                "demo/__init__.py": "",
                **AG2_PROXY,
            },
            line=5,
        ),
        Example(  # ZF3's near miss: the else skips on another package
            ZF3_SWITCHED.format(skipped="seaborn"),
            files={"pyproject.toml": PYPROJECT},
            line=6,
        ),
        Example(  # ZF4's near miss: the workflow installs the dev group only
            "import matplotlib\n",
            files={
                "pyproject.toml": PYPROJECT,
                ".github/workflows/ci.yml": ZF4_WORKFLOW.replace(" --all-extras", ""),
            },
            line=1,
        ),
        Example(  # ZF4's near miss: another workflow runs the suite without every extra
            "import matplotlib\n",
            files={
                "pyproject.toml": PYPROJECT,
                ".github/workflows/bench.yml": ZF4_WORKFLOW,
                ".github/workflows/ci.yml": ZF4_WORKFLOW.replace(
                    "uv sync --group dev --all-extras", 'pip install -e ".[test]"'
                ),
            },
            line=1,
        ),
        Example(  # BM1's near miss: the guide's setup installs no extra
            "import matplotlib\n",
            files={
                "pyproject.toml": PYPROJECT,
                "CONTRIBUTING.md": BM1_GUIDE.replace(" --all-extras", ""),
            },
            line=1,
        ),
        Example(  # BM1's near miss: the README installs the extra in a block that runs no pytest
            "import matplotlib\n",
            files={
                "pyproject.toml": PYPROJECT,
                "README.md": BM1_README.replace("plot\n", "plot\n```\n\n```bash\n"),
            },
            line=1,
        ),
        Example(  # BM1's near miss: a CI workflow runs the suite without the extras the guide
            # installs; the CI, not the guide, says how the suite runs
            "import matplotlib\n",
            files={
                "pyproject.toml": PYPROJECT,
                "CONTRIBUTING.md": BM1_GUIDE,
                ".github/workflows/ci.yml": ZF4_WORKFLOW.replace(" --all-extras", ""),
            },
            line=1,
        ),
        Example(  # BM2's near miss: varco-core does not require aiomcache
            "import aiomcache\n",
            files={"pyproject.toml": BM2_PYPROJECT},
            line=1,
        ),
    )

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        yield from first_per_distribution(cls._judged(ctx))

    @classmethod
    def _judged(cls, ctx: ProjectContext) -> Iterator[tuple[str, ImportFact, str, Finding]]:
        index = project_index(ctx)
        for path, fact in judged_imports(ctx):
            if not fact.module_level or fact.guarded or gated_by_submodule(index, fact):
                continue
            culprit = chain_culprit(ctx, index, path, fact)
            if culprit is not None:
                if culprit.found.origin == "optional":
                    finding = chain_finding(cls.code, path, fact, culprit)
                    yield path, fact, culprit.found.distribution, finding
                continue
            found = index.resolve(fact.module)
            if found.origin != "optional":
                continue  # a package declared nowhere is APT102's: one finding per import
            if declared_together(index, fact.assured, fact.module):
                continue  # skipped on a package whose every declaration brings this one too
            where = sections_label([d.section for d in found.declarations])
            why = f"'{found.distribution}' is declared only in {where}"
            bringers = sorted({d.name for d in found.declarations} - {found.distribution})
            if bringers:  # SA2: what an optional declaration requires
                why = f"'{found.distribution}' comes only with '{bringers[0]}', declared in {where}"
            yield judged_finding(
                path,
                fact,
                found.distribution,
                cls.code,
                f"module-level import of '{fact.module}': {why}, so a run without it "
                f"{fails_collecting(path, fact.fails_with)}; guard it with "
                f"pytest.importorskip('{fact.module.partition('.')[0]}') or add it to a "
                "test extra",
            )
