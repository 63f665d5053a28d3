"""APT104: the project declares its test dependencies nowhere apytest-lint can read.

One finding for the project instead of one APT101/APT102 per import: when no declaration that
is installed with the tests exists, every third-party import of the suite would otherwise be
"undeclared", which says the same thing hundreds of times and the wrong thing when the
declarations live where apytest-lint does not look.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from apytest.rules.api import Example, Finding, ProjectContext, ProjectRule
from apytest.rules.support.dependency_index import (
    TEST_FOLDERS,
    chain_culprit,
    judged_imports,
    own_chain_needs,
    project_index,
    project_module_names,
    suite_conftest,
)
from apytest.rules.support.distributions import named_by_tables

NAMED = 3
"""How many of the undeclared distributions the message names."""


BU5_PYPROJECT = "[project]\nname = 'demo'\ndependencies = ['requests>=2']\n"
"""BU5: a project that declares its runtime only."""
BU5_FILES = {"src/demo/__init__.py": "", "src/demo/config.py": "class Config: ...\n"}
"""BU5's package: a flat module ``config`` inside ``src/demo/``."""

AT2_TEST = """\
import sys

sys.path.insert(0, "tools")
import {module}

def test_verify():
    assert {module}
"""
"""A test module putting a folder on ``sys.path`` from the rootdir (AT2's examples)."""
AT2_PYPROJECT = "[project]\nname = 'demo'\ndependencies = ['click>=8']\n"
"""A project declaring its runtime and no test dependency (AT2's examples)."""
AW4_PYPROJECT = AT2_PYPROJECT + "\n[tool.pytest.ini_options]\npythonpath = ['.']\n"
"""AT2's project with its root on ``sys.path`` (AW4's examples)."""
BD3_MODULES = {
    "demo/__init__.py": "",
    "demo/geo.py": "from shapely import Point\n",
    "tests/test_geo.py": "from demo import geo\nfrom shapely import Point\n",
}
"""BD3: a test importing the project's module that needs shapely, declared nowhere, before
importing shapely itself (wayfarer); the near miss's module imports shapely only when called."""
BI2_PYPROJECT = AT2_PYPROJECT + "\n[tool.setuptools.packages.find]\nexclude = [{patterns}]\n"
"""BI2: a project whose package discovery leaves out a repository package by name."""
BI2_TEST = {"tests/test_server.py": "from mcp_server.server import serve\n"}
DP1_PYPROJECT = "[project]\nname = 'demo'\ndependencies = ['irisml-demo-tasks']\n"
"""DP1: a project whose one runtime requirement is outside the published table."""
DP1_TEST = "import torch\n\nfrom demo.model import Task\n"
"""DP1: a test importing torch and the project module importing it (irisml-tasks-transformers)."""
DP1_NAMESPACE = "[project]\nname = 'demo'\ndependencies = ['irisml']\n"
"""DP1: a project shipping modules into the namespace of irisml, its one requirement."""
DP1_NS_TEST = "import torch\n\nfrom irisml.tasks.model import Task\n"
"""DP1: a test importing torch and a module the project ships into irisml's namespace."""
DU1_PYPROJECT = "[project]\nname = 'demo'\ndependencies = ['hier-config{specifier}']\n"
"""DU1: a project whose one runtime requirement, in the table, is pinned or only bounded."""
DU1_FILES = {
    "tests/test_parse.py": "from demo.parse import Parser\n",
    "demo/__init__.py": "",
    "demo/parse.py": "import yaml\n",
}
"""DU1: a test importing a project module that imports yaml (ciscoconfparse)."""
BJ2_PYPROJECT = "[project]\nname = 'demo'\ndependencies = ['syft-permissions==0.1.15']\n"
"""BJ2: a project whose one runtime requirement is outside the published table."""

BV3_PYPROJECT = "[project]\nname = 'demo'\ndependencies = ['gnuhealth>=5.0.0,<5.1']\n"
"""BV3: a Tryton module of GNU Health declaring only gnuhealth, outside the published table."""
BV3_TEST = "from trytond.tests.test_tryton import ModuleTestCase\n"


BO7_SETUP = """
from setuptools import find_packages, setup

setup(
    name="demo",
    packages=find_packages(where="src"),
    install_requires=["pydantic>=1.10.0"],
)
"""
BO7_TEST = "from api.logger import AuditLogger\n"
BO3_PYPROJECT = "[project]\nname = 'demo'\ndependencies = ['{requirement}']\n"
CY1_TEST = """
def test_headers():
    from demo import six

    if six.{flag}:
        import {module}
"""


def cy1_files(module: str, flag: str = "PY2") -> dict[str, str]:
    """CY1's project: a test importing ``module`` only where the project's ``six.<flag>``
    holds."""
    return {
        "demo/__init__.py": "",
        "demo/six.py": "PY2 = False\nPY3 = True\n",
        "tests/test_request.py": CY1_TEST.format(module=module, flag=flag),
    }


BO3_TEST = """
import sys

if sys.version_info >= (3, 9):
    from zoneinfo import ZoneInfo
else:
    from backports.zoneinfo import ZoneInfo
"""


CN2_SETUP = """
from setuptools import setup

setup(name="demo", install_requires=["requests>=2"])
"""
CN2_BASE = "html5lib>=1.1\ndjango-app-helper>=3\n"
CN2_MATRIX = "-r base.txt\nDjango>=4.2,<5.0\n"
CN2_FILES = {
    "demo/__init__.py": "",
    "tests/test_html.py": "import html5lib\nfrom djangocms_helper.base_test import BaseTestCase\n",
}
"""CN2: a suite whose files under ``tests/requirements/``, one per tox environment, include
``base.txt``, which declares what the tests import."""


CP3_CONFTEST = """
import importlib.util


def arrayapi_is_available():
    if not importlib.util.find_spec("{checked}"):
        return False
    try:
        import array_api_compat

        return True
    except ImportError:
        return False


if arrayapi_is_available():
    import array_api_compat.numpy as xp
"""
"""CP3: einx's conftest, whose availability function checks ``checked``."""


DM1_TEST = """
import unittest


class TestParser(unittest.TestCase):
    def setUp(self):
        self.have_libxml2 = True
        try:
            import drv_libxml2
        except ImportError:
            self.have_libxml2 = False

    def test_parser(self):
        if {condition}:
            import drv_libxml2
"""
"""DM1: a test importing a package only where its class's setup found it importable
(pyxb-x's ``self.have_libxml2``); the near miss imports it under another condition."""


class UndeclaredTestDependencies(ProjectRule):
    """The project declares its test dependencies in no file apytest-lint reads.

    The suite imports third-party packages that no declaration installs, and nothing the project
    declares is installed specifically for its tests: no test extra or dependency group, no test
    requirements file, tox or hatch test environment, Poetry/PDM/uv dev group, pixi feature,
    ``Pipfile`` dev-packages or conda environment file (the README's "Dependency and isolation
    rules" lists every file read). Reported once, at the file that declares the runtime
    dependencies; per-import APT101/APT102 findings about undeclared packages wait until test
    dependencies are declared somewhere. Silent when some declarations cannot be read statically.

    ## Why is this bad?
    A fresh clone then cannot know what to install to run the tests, and CI works only because
    someone installs them by hand.

    ## Use instead
    Declare them where your tools install from: ``[project.optional-dependencies] test``,
    ``[dependency-groups] test``, ``requirements-test.txt`` or your tox/hatch/Poetry environment.
    """

    code = "APT104"
    name = "undeclared-test-dependencies"
    lesson = "dependency-registration"
    summary = "the test suite's dependencies are declared in no file apytest-lint reads"
    RUNTIME_ONLY = "[project]\nname = 'demo'\ndependencies = ['requests>=2']\n"
    VALID = (
        Example(  # FC1: a bare import of a module a test of the same folder (no __init__.py)
            # imports as its sibling, '.prompting_utils', is the suite's own helper the sdist
            # left out (compel's prompting_test_utils): APT102 asks to ship it
            RUNTIME_ONLY,
            path="pyproject.toml",
            files={
                "test/test_smoke.py": "from prompting_utils import Dummy\n",
                "test/test_rel.py": "from .prompting_utils import Dummy\n",
            },
        ),
        Example(  # DM1: the test imports drv_libxml2 only under ``if self.have_libxml2:``, an
            # attribute its class's setup sets False where ``import drv_libxml2`` fails (pyxb-x)
            RUNTIME_ONLY,
            path="pyproject.toml",
            files={"tests/test_parser.py": DM1_TEST.format(condition="self.have_libxml2")},
        ),
        Example(  # CY1: the tests import mimetools, a Python 2 standard module, in a fallback
            # for Python 2 (sqlmap's `if six.PY2: import mimetools`)
            RUNTIME_ONLY,
            path="pyproject.toml",
            files=cy1_files("mimetools"),
        ),
        Example(  # CY1: whatever a ``six.PY2`` branch imports, no Python 3 runs it (``commands``
            # is no standard name here: a project of today may name a module so)
            RUNTIME_ONLY,
            path="pyproject.toml",
            files=cy1_files("commands"),
        ),
        Example(  # CP3: the conftest imports array_api_compat only under an if calling its
            # function that returns False where find_spec finds no array_api_compat (einx's)
            RUNTIME_ONLY,
            path="pyproject.toml",
            files={"tests/conftest.py": CP3_CONFTEST.format(checked="array_api_compat")},
        ),
        Example(  # CN2: the test folder's requirements folder declares what the tests import,
            # in files named for the tox environments (djangocms-text-ckeditor's)
            CN2_SETUP,
            path="setup.py",
            files={
                **CN2_FILES,
                "tests/requirements/base.txt": CN2_BASE,
                "tests/requirements/dj42_cms41.txt": CN2_MATRIX,
            },
        ),
        Example(  # DB1: cibuildwheel installs the tests' packages before it tests each wheel
            # (tiktoken's before-test, then test-command = "pytest {project}/tests")
            RUNTIME_ONLY
            + '[tool.cibuildwheel]\nbefore-test = "pip install pytest hypothesis"\n'
            + 'test-command = "pytest {project}/tests"\n',
            path="pyproject.toml",
            files={"tests/test_x.py": "import hypothesis\n"},
        ),
        Example(  # DB1: a platform's table of cibuildwheel, with the extras as one string
            "[project]\nname = 'demo'\n\n[project.optional-dependencies]\n"
            'ci = ["numpy"]\n\n[tool.cibuildwheel.linux]\ntest-requires = "pytest"\n'
            'test-extras = "ci,qt"\n',
            path="pyproject.toml",
            files={"tests/test_stretch.py": "import numpy as np\n"},
        ),
        Example(  # CX2: cibuildwheel installs its test-requires before it runs the suite
            # (python-stretch declares pytest and numpy there and nowhere else)
            "[project]\nname = 'demo'\n\n[tool.cibuildwheel]\n"
            'test-command = "pytest {project}/tests"\ntest-requires = ["pytest", "numpy"]\n',
            path="pyproject.toml",
            files={"tests/test_stretch.py": "import numpy as np\n"},
        ),
        Example(  # CX2: cibuildwheel's test-requires may be one space-separated string
            "[project]\nname = 'demo'\n\n[tool.cibuildwheel]\ntest-requires = 'pytest numpy'\n",
            path="pyproject.toml",
            files={"tests/test_stretch.py": "import numpy as np\n"},
        ),
        Example(  # BU5: the tests import the project's flat modules under their bare names
            # (cppstart's tests, whose src/cppstart/ nothing puts on sys.path)
            BU5_PYPROJECT,
            path="pyproject.toml",
            files={
                **BU5_FILES,
                "tests/test_config.py": "from config import Config\n",
            },
        ),
        Example(  # BO7: the sdist lacks src/, where the build takes the project's packages
            BO7_SETUP,
            path="setup.py",
            files={"tests/test_logger.py": BO7_TEST},
        ),
        Example(  # BO3: celery brings backports.zoneinfo on the Pythons the fallback runs on
            BO3_PYPROJECT.format(requirement="celery>=5.0"),
            path="pyproject.toml",
            files={"tests/test_schedules.py": BO3_TEST},
        ),
        Example(  # BJ2: the runtime's syft-permissions, outside the published table, requires
            # pyyaml, which the tests import (syft-perms)
            BJ2_PYPROJECT,
            path="pyproject.toml",
            files={"tests/test_rules.py": "import yaml\n"},
        ),
        Example(  # DP1: the project module the test imports needs torch at module level too, and
            # the runtime's requirement outside the table may bring it (irisml-tasks-transformers)
            DP1_PYPROJECT,
            path="pyproject.toml",
            files={
                "tests/test_model.py": DP1_TEST,
                "demo/__init__.py": "",
                "demo/model.py": "import torch\n",
            },
        ),
        Example(  # DU1: the runtime pins hier-config to 2.2.3, whose release required PyYAML
            # though the newest, which the table holds, does not (ciscoconfparse)
            DU1_PYPROJECT.format(specifier="==2.2.3"),
            path="pyproject.toml",
            files=DU1_FILES,
        ),
        Example(  # DP1: the tokenizer's module needs no torch, the model's, another test's, does
            DP1_PYPROJECT,
            path="pyproject.toml",
            files={
                "tests/test_model.py": "from demo.model import Task\n",
                "tests/test_tok.py": "import torch\n\nfrom demo.tok import Tokenizer\n",
                "demo/__init__.py": "",
                "demo/model.py": "import torch\n",
                "demo/tok.py": "import json\n",
            },
        ),
        Example(  # DP1: the project ships its module into the namespace of its requirement
            # irisml, outside the table, which may bring torch (irisml-tasks-transformers)
            DP1_NAMESPACE,
            path="pyproject.toml",
            files={"test/test_model.py": DP1_NS_TEST, "irisml/tasks/model.py": "import torch\n"},
        ),
        Example(  # BV3: the runtime's gnuhealth, outside the published table, requires trytond,
            # which the tests import (gnuhealth-icd10pcs)
            BV3_PYPROJECT,
            path="pyproject.toml",
            files={"tests/test_icd10pcs.py": BV3_TEST},
        ),
        Example(  # BD3's near miss: the project module imports shapely only when called
            RUNTIME_ONLY,
            path="pyproject.toml",
            files={
                **BD3_MODULES,
                "demo/geo.py": "def point():\n    from shapely import Point\n    return Point\n",
                "tests/test_geo.py": "from demo import geo\n",
            },
        ),
        Example(  # BI2: a package the build excludes by name is the repository's, left out of
            # the sdist with it (adam-network-client's mcp_server*): APT102 asks to ship it
            BI2_PYPROJECT.format(patterns='"tests*", "mcp_server*"'),
            path="pyproject.toml",
            files=BI2_TEST,
        ),
        Example(  # DF6: the header [project.scripts] writes no scripts folder at build time:
            # the suite's own folder the sdist left out (memkraft's scripts.check_version_integrity)
            AW4_PYPROJECT + "\n[project.scripts]\ndemo = 'demo.cli:main'\n",
            path="pyproject.toml",
            files={"tests/test_version.py": "from scripts.check_version import check\n"},
        ),
        Example(  # AW4: a module of a repository folder the sdist left out is the suite's own
            # (pypercache's examples.news_api.newsapi_wrapper): APT102 asks to ship it
            AW4_PYPROJECT,
            path="pyproject.toml",
            files={"tests/test_news.py": "from examples.news_api.wrapper import Client\n"},
        ),
        Example(  # AT2: a folder the tree lacks is put on sys.path first (tamga-protocol's tools)
            AT2_PYPROJECT,
            path="pyproject.toml",
            files={"tests/test_verify.py": AT2_TEST.format(module="attest_verify")},
        ),
        Example(  # AM4: fixinventorylib installs fixlib (fixinventory-plugin-scarf)
            "[project]\nname = 'demo'\ndependencies = ['fixinventorylib']\n",
            path="pyproject.toml",
            files={"tests/test_a.py": "from fixlib.baseresources import BaseResource\n"},
        ),
        Example(  # BK1: DLMUSE, outside the published table, requires nnunetv2, which brings pandas
            "[project]\nname = 'demo'\ndependencies = ['DLMUSE', 'scipy']\n",
            path="pyproject.toml",
            files={"tests/test_a.py": "import pandas as pd\n"},
        ),
        Example(  # AD2: streamlit requires numpy and pandas, so installing it brings them
            "[project]\nname = 'demo'\ndependencies = ['streamlit>=1.45.0']\n",
            path="pyproject.toml",
            files={"tests/test_a.py": "import numpy\nimport pandas\n"},
        ),
        Example(
            """
            import hypothesis
            import requests
            """,
            files={"pyproject.toml": RUNTIME_ONLY, "requirements-test.txt": "hypothesis\n"},
        ),
        Example(
            "import hypothesis\n",
            files={
                "pyproject.toml": RUNTIME_ONLY,
                "tox.ini": """
                [testenv]
                deps = hypothesis
                """,
            },
        ),
        Example("import requests\n", files={"pyproject.toml": RUNTIME_ONLY}),
        Example(  # RX3: google-api-core, the runtime dependency, requires requests and protobuf
            """
            import requests
            from google.protobuf import struct_pb2
            """,
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['google-api-core>=2.28.0']\n"
                )
            },
        ),
        Example(  # ZH2: pin, the runtime dependency, installs the pinocchio package
            "import pinocchio\n",
            files={"pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['pin>=4.0.0']\n"},
        ),
        Example(  # SC1: mkdocs, the runtime dependency, requires click and markdown
            """
            from click.testing import CliRunner
            import markdown
            """,
            files={
                "pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['mkdocs>=1.0.4']\n"
            },
        ),
        Example(  # EP1: the repository's test package its vendored tests import by a dotted
            # path, left out of the sdist beside Cython sources (buggerking's pydevd
            # tests_python.debugger_unittest): APT102 asks to ship it
            "from setuptools import setup\nsetup(install_requires=['six'])\n",
            path="setup.py",
            files={
                "vendored/tests/test_flags.py": "from tests_python.unittest import IS_CPYTHON\n",
                "vendored/speedups.pyx": "",
            },
        ),
        Example(  # SC4: the suite's own conftest.py (not shipped in the sdist) is no dependency
            """
            from conftest import run_validator_for_test_file
            """,
            files={"setup.py": "from setuptools import setup\nsetup(install_requires=[])\n"},
        ),
        Example(  # SE1: the extra's flask requires werkzeug, optional like it (SA2), not undeclared
            """
            import flask
            from werkzeug.test import Client
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['packaging']

                    [project.optional-dependencies]
                    instruments = ['flask >= 1.0']
                    """
            },
        ),
        Example(
            "import syrupy\n",
            files={
                "pyproject.toml": RUNTIME_ONLY
                + "\n[tool.rye]\nmanaged = true\ndev-dependencies = ['pytest>=8', 'syrupy']\n"
            },
        ),
        Example(
            "import hypothesis\n",
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    """,
                "setup.py": """
                    from setuptools import setup
                    setup(install_requires=REQS)
                    """,
            },
        ),
        Example(  # RV7: the inherited setup_class calls the override that importorskips
            RUNTIME_ONLY,
            path="pyproject.toml",
            files={
                "tests/test_a.py": """
                import pytest


                class SolutionTest:
                    @classmethod
                    def setup_class(cls):
                        cls.solution = {"sst": 1}
                        cls.modify_solution()

                    @classmethod
                    def modify_solution(cls):
                        pass


                class TestStandardDask(SolutionTest):
                    @classmethod
                    def modify_solution(cls):
                        pytest.importorskip("dask.array")

                    def test_source_is_dask(self):
                        import dask

                        assert dask
                """
            },
        ),
    )
    INVALID = (
        Example(  # FC1's near miss: the relative import is of another folder's sibling, so the
            # bare name in tests/ stays a distribution declared nowhere
            RUNTIME_ONLY,
            path="pyproject.toml",
            files={
                "tests/test_smoke.py": "from prompting_utils import Dummy\n",
                "other/test_rel.py": "from .prompting_utils import Dummy\n",
            },
            line=1,
        ),
        Example(  # DU1's near miss: hier-config only bounded, the newest release may come
            DU1_PYPROJECT.format(specifier=">=2.2"),
            path="pyproject.toml",
            files=DU1_FILES,
            line=1,
        ),
        Example(  # DM1's near miss: the condition is no flag of the import's package
            RUNTIME_ONLY,
            path="pyproject.toml",
            files={"tests/test_parser.py": DM1_TEST.format(condition="self.verbose")},
            line=1,
        ),
        Example(  # DB1's near miss: before-test installs nothing
            RUNTIME_ONLY + '[tool.cibuildwheel]\nbefore-test = "rm -rf build"\n',
            path="pyproject.toml",
            files={"tests/test_x.py": "import hypothesis\n"},
            line=1,
        ),
        Example(  # CX2's near miss: a cibuildwheel table that installs nothing for the tests
            "[project]\nname = 'demo'\n\n[tool.cibuildwheel]\nbuild-verbosity = 1\n",
            path="pyproject.toml",
            files={"tests/test_stretch.py": "import numpy as np\n"},
            line=1,
        ),
        Example(  # CY1's near miss: the Python 3 branch imports a distribution, declared nowhere
            RUNTIME_ONLY,
            path="pyproject.toml",
            files=cy1_files("dask", flag="PY3"),
            line=1,
        ),
        Example(  # CP3's near miss: the function checks another package
            RUNTIME_ONLY,
            path="pyproject.toml",
            files={"tests/conftest.py": CP3_CONFTEST.format(checked="dask")},
            line=1,
        ),
        Example(  # CN2's near miss: a requirements folder of the docs declares no tests' packages
            CN2_SETUP,
            path="setup.py",
            files={
                **CN2_FILES,
                "docs/requirements/base.txt": CN2_BASE,
                "docs/requirements/dj42_cms41.txt": CN2_MATRIX,
            },
            line=1,
        ),
        Example(  # BU5's near miss: no file of the project is named settings
            BU5_PYPROJECT,
            path="pyproject.toml",
            files={
                **BU5_FILES,
                "tests/test_config.py": "from config import Config\nimport settings\n",
            },
            line=1,
        ),
        Example(  # BO7's near miss: src/ ships, without api: a distribution it must be
            BO7_SETUP,
            path="setup.py",
            files={"tests/test_logger.py": BO7_TEST, "src/audit/__init__.py": ""},
            line=1,
        ),
        Example(  # BO3's near miss: sqlalchemy brings no backports.zoneinfo on any Python
            BO3_PYPROJECT.format(requirement="sqlalchemy"),
            path="pyproject.toml",
            files={"tests/test_schedules.py": BO3_TEST},
            line=1,
        ),
        Example(  # BJ2's near miss: syft-permissions requires no requests
            BJ2_PYPROJECT,
            path="pyproject.toml",
            files={"tests/test_rules.py": "import requests\n"},
            line=1,
        ),
        Example(  # DP1's near miss: the project module imports torch only when called
            DP1_PYPROJECT,
            path="pyproject.toml",
            files={
                "tests/test_model.py": DP1_TEST,
                "demo/__init__.py": "",
                "demo/model.py": "def load():\n    import torch\n",
            },
            line=1,
        ),
        Example(  # DP1's near miss: the namespace portion's module needs no torch
            DP1_NAMESPACE,
            path="pyproject.toml",
            files={"test/test_model.py": DP1_NS_TEST, "irisml/tasks/model.py": "import json\n"},
            line=1,
        ),
        Example(  # BV3's near miss: gnuhealth requires no proteus
            BV3_PYPROJECT,
            path="pyproject.toml",
            files={"tests/test_icd10pcs.py": "from proteus import Model\n"},
            line=1,
        ),
        Example(  # BD3: the tests need shapely through the project's module imported first
            RUNTIME_ONLY,
            path="pyproject.toml",
            files=BD3_MODULES,
            line=1,
        ),
        Example(  # BD7: click's importlib-metadata requires lazy-importer, which brings nothing
            AT2_PYPROJECT,
            path="pyproject.toml",
            files=BD3_MODULES,
            line=1,
        ),
        Example(  # BK1's near miss: nothing DLMUSE requires brings shapely
            "[project]\nname = 'demo'\ndependencies = ['DLMUSE', 'scipy']\n",
            path="pyproject.toml",
            files={"tests/test_a.py": "import shapely\n"},
            line=1,
        ),
        Example(  # BI2's near miss: a pattern after a wildcard names no top-level package
            BI2_PYPROJECT.format(patterns='"tests*", "*.mcp_server"'),
            path="pyproject.toml",
            files=BI2_TEST,
            line=1,
        ),
        Example(  # AW4's near miss: a bare import of that name may be a distribution so named
            AW4_PYPROJECT,
            path="pyproject.toml",
            files={"tests/test_news.py": "import examples\n"},
            line=1,
        ),
        Example(  # AT2's near miss: a distribution the tables know is no module of that folder
            AT2_PYPROJECT,
            path="pyproject.toml",
            files={"tests/test_verify.py": AT2_TEST.format(module="requests")},
            line=1,
        ),
        Example(  # AT2's near miss: the tree holds the folder, and not the module
            AT2_PYPROJECT,
            path="pyproject.toml",
            files={
                "tests/test_verify.py": AT2_TEST.format(module="attest_verify"),
                "tools/release.py": "",
            },
            line=1,
        ),
        Example(  # AM4's near miss: fixinventorylib brings no fixcore
            "[project]\nname = 'demo'\ndependencies = ['fixinventorylib']\n",
            path="pyproject.toml",
            files={"tests/test_a.py": "from fixcore.model import Model\n"},
            line=1,
        ),
        Example(  # AD2's near miss: streamlit brings pandas, not scipy
            "[project]\nname = 'demo'\ndependencies = ['streamlit>=1.45.0']\n",
            path="pyproject.toml",
            files={"tests/test_a.py": "import pandas\nimport scipy\n"},
            line=1,
        ),
        Example(  # google-api-core brings requests, not responses (RX3)
            "[project]\nname = 'demo'\ndependencies = ['google-api-core>=2.28.0']\n",
            path="pyproject.toml",
            files={"tests/test_a.py": "import requests\nimport responses\n"},
            line=1,
        ),
        Example(  # ZH2's near miss: pin brings pinocchio, not the meshcat viewer beside it
            "[project]\nname = 'demo'\ndependencies = ['pin>=4.0.0']\n",
            path="pyproject.toml",
            files={"tests/test_a.py": "import pinocchio\nimport meshcat\n"},
            line=1,
        ),
        Example(  # EP1's near miss: a bare import of the test-named module may be a
            # distribution's, Cython sources beside it or not
            "from setuptools import setup\nsetup(install_requires=['six'])\n",
            path="setup.py",
            files={
                "vendored/tests/test_flags.py": "import tests_python\n",
                "vendored/speedups.pyx": "",
            },
            line=1,
        ),
        Example(  # SC4's near miss: a dependency imported beside the conftest still counts
            "from setuptools import setup\nsetup(install_requires=['flake8'])\n",
            path="setup.py",
            files={"tests/test_a.py": "from conftest import run_validator\nimport mock\n"},
            line=1,
        ),
        Example(  # RV7's near miss: the override importorskips after it may return
            RUNTIME_ONLY,
            path="pyproject.toml",
            files={
                "tests/test_a.py": """
                import pytest


                class SolutionTest:
                    @classmethod
                    def setup_class(cls):
                        cls.solution = {"sst": 1}
                        cls.modify_solution()

                    @classmethod
                    def modify_solution(cls):
                        pass


                class TestStandardDask(SolutionTest):
                    @classmethod
                    def modify_solution(cls):
                        if cls.solution:
                            return
                        pytest.importorskip("dask.array")

                    def test_source_is_dask(self):
                        import dask

                        assert dask
                """
            },
            line=1,
        ),
        Example(
            RUNTIME_ONLY,
            path="pyproject.toml",
            files={
                "tests/test_a.py": """
                import requests
                import hypothesis
                import yaml
                """
            },
            line=1,
        ),
        Example(  # SE1's near miss: the extra's flask does not bring respx
            """
            [project]
            name = 'demo'
            dependencies = ['packaging']

            [project.optional-dependencies]
            instruments = ['flask >= 1.0']
            """,
            path="pyproject.toml",
            files={"tests/test_a.py": "import flask\nimport werkzeug\nimport respx\n"},
            line=1,
        ),
        Example(  # Rye manages the project but lists no dev dependencies
            RUNTIME_ONLY + "\n[tool.rye]\nmanaged = true\n",
            path="pyproject.toml",
            files={"tests/test_a.py": "import syrupy\n"},
            line=1,
        ),
        Example(
            """
            from setuptools import setup
            setup(install_requires=['requests'])
            """,
            path="setup.py",
            files={
                "pyproject.toml": """
                    [build-system]
                    requires = ['setuptools']
                    """,
                "tests/test_a.py": "import responses\n",
            },
            line=1,
        ),
    )

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        model = ctx.model.dependencies
        index = project_index(ctx)
        if not model.complete or index.declares_tests:
            return
        undeclared: dict[str, str] = {}
        direct: set[str] = set()  # imported by a test module or a helper of a test folder
        needed_by: dict[str, str] = {}  # needed by the project's own module at this path
        packaged = {(path, module) for path, module, _dotted in model.packaged_suite}
        own_files = project_module_names(ctx.model.python_files)
        for path, fact in judged_imports(ctx):
            if fact.guarded or suite_conftest(fact.module):  # SC4: not a dependency
                continue
            if (path, fact.module) in packaged:
                continue  # BS3: the package's own module under a bare name (APT102's)
            module, found = fact.module, index.resolve(fact.module)
            culprit = None
            if found.origin == "first-party":  # BD3: what the project module's chain needs
                culprit = chain_culprit(ctx, index, path, fact, declared_tests=False)
                if culprit is None:
                    continue
                module, found = culprit.module, culprit.found
            if model.missing_path_folders and not named_by_tables(module):
                continue  # AT2: maybe a module of a folder the tree lacks, no distribution
            if module.partition(".")[0] in model.missing_private:
                continue  # AJ2, AW4: the suite's own module the tree lacks (APT102's)
            if module.partition(".")[0] in own_files:
                continue  # BU5: a project file under its bare name, no distribution
            if module == fact.module and own_chain_needs(ctx, index, None, module):
                continue  # DP1: a project module the tests import needs it too (APT102's AA1)
            if found.origin == "undeclared":
                undeclared.setdefault(found.distribution, path)
                if culprit is None or TEST_FOLDERS.intersection(culprit.path.split("/")[:-1]):
                    direct.add(found.distribution)  # mpld3's tests/export.py: the suite's own
                else:
                    needed_by.setdefault(found.distribution, culprit.path)
        if not undeclared:
            return
        names = sorted(undeclared)
        anchor = model.sources[0] if model.sources else undeclared[names[0]]
        yield Finding(
            anchor,
            1,
            1,
            cls.code,
            f"no file declares the test dependencies (looked in: {'; '.join(model.looked_for)}) "
            + cls._needed(
                sorted(direct), {n: f for n, f in sorted(needed_by.items()) if n not in direct}
            ),
        )

    @staticmethod
    def _needed(imported: Sequence[str], needed_by: Mapping[str, str]) -> str:
        """What the message says the tests need: the distributions they import themselves, a
        test dependency, and those that only the project's own modules they import need (EJ:
        nopause's ``sdk/voice.py`` imports requests, which ``install_requires`` lacks), which
        belong with the project's own requirements (a helper module in a test folder of the
        package, mpld3's ``mpld3/tests/export.py``, is the suite's own: its packages are the
        tests')."""
        if not needed_by:
            return (
                f"and the tests import {_shown(imported)}, declared nowhere; declare them in a "
                "test extra, dependency group, requirements file or tox/hatch/Poetry environment"
            )
        files = sorted(set(needed_by.values()))
        where = f"'{files[0]}'" + (f" and {len(files) - 1} more" if len(files) > 1 else "")
        modules = f"the project's own modules that the tests import ({where}) need"
        if not imported:
            return (
                f"and {modules} {_shown(sorted(needed_by))}, declared nowhere; declare them "
                "with the project (its runtime requirements, or an extra the tests install)"
            )
        return (
            f"and the tests import {_shown(imported)}, and {modules} "
            f"{_shown(sorted(needed_by))}, all declared nowhere; declare the tests' own in a "
            "test extra, dependency group, requirements file or tox/hatch/Poetry environment, "
            "and the modules' with the project (its runtime requirements, or an extra the "
            "tests install)"
        )


def _shown(names: Sequence[str]) -> str:
    """The first ``NAMED`` names, quoted, and how many more."""
    shown = ", ".join(f"'{name}'" for name in names[:NAMED])
    return shown + (f" and {len(names) - NAMED} more" if len(names) > NAMED else "")
