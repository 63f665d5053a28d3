"""APT102: a third-party import that nothing the project declares or records installs."""

from __future__ import annotations

from collections.abc import Iterator

from packaging.utils import canonicalize_name

from apytest.rules.api import (
    Example,
    Finding,
    ImportFact,
    ProjectContext,
    ProjectRule,
)
from apytest.rules.support.dependency_index import (
    Judged,
    chain_culprit,
    chain_finding,
    facts_at,
    fails_collecting,
    files_by_bare_name,
    first_per_distribution,
    gated_by_submodule,
    judged_finding,
    judged_imports,
    own_chain_needs,
    project_files_named,
    project_index,
    skipped_on_undeclared,
    suite_conftest,
)
from apytest.rules.support.distributions import named_by_tables

DF4_TEST = """
import pytest


@pytest.fixture({arguments})
def headroom(monkeypatch):
    pytest.importorskip("tensorfold.server.cancellation")
    monkeypatch.setenv("HEADROOM", "10000")


def test_guard():
    from tensorfold.engine.prefill_plan import PrefillPlan
"""
"""DF4: rapid-mlx's autouse fixture skips every test of the module where tensorfold is missing,
so a test's body imports it only where it is installed; the near miss is no autouse fixture."""

SKIP_HELPER_TEST = """
import pytest

import shogym


def _skip_if_unconstructible(name):
    try:
        shogym.make(name)
    except Exception as exc:
        {handler}


def test_user_args():
    _skip_if_unconstructible("tau2_airline")
    from tau2.config import DEFAULT_LLM_ARGS_USER
"""
"""shogym (kit): the test first calls a helper of its module that skips where the environment,
which provides ``tau2`` at run time, cannot be built; the near miss's helper only reports."""

OPT_IN_MODULE_TEST = """
import os

import pytest

if {condition}:
    pytest.skip("not opted in", allow_module_level=True)


def _score_upstream(task):
    from tau2.gym.gym_agent import AgentGymEnv

    return AgentGymEnv(task)


def test_scores_match():
    assert _score_upstream("t1")
"""
"""shogym (kit): a module skipped wherever an environment variable is unset, so its functions'
imports run only where someone opted in; the near miss's skip is about the platform."""


DF2_PYPROJECT = (
    "[project]\nname = 'demo'\noptional-dependencies = "
    "{{ test = ['pytest>=8'], drift = ['{extra}'] }}\n\n"
    "[tool.setuptools.packages.find]\nwhere = ['src']\nexclude = ['version_drift*']\n"
)
"""DF2: memkraft's build leaves out ``src/version_drift``, which ships as its own distribution."""


BG2_PLUGIN = """
class Postgres(BaseOutputModule):
    deps_pip = ["sqlmodel", "asyncpg~=0.30"]
"""
"""BG2's plugin module: the framework pip-installs what ``deps_pip`` lists before its first use."""
BG2_TEST = """
class TestPostgres(ModuleTestBase):
    async def check(self, module_test, events):
        import asyncpg

        conn = await asyncpg.connect(host="127.0.0.1")
"""
BG2_FILES = {
    "requirements-test.txt": "pytest>=8\n",
    "demo/__init__.py": "",
    "demo/modules/__init__.py": "",
    "demo/modules/postgres.py": BG2_PLUGIN,
}


def installed_at_run_time(ctx: ProjectContext, fact: ImportFact, distribution: str) -> bool:
    """BG2: an import inside a function of a distribution the project's own modules list for
    pip to install when they run (``deps_pip = ["asyncpg"]``): the test may run after the
    project installed it, so the project declares it in its own way. A module-level import runs
    at collection, before anything of the project installs it, and is still judged."""
    if fact.module_level:
        return False
    return canonicalize_name(distribution) in ctx.model.dependencies.runtime_installed.get()


OPT_IN_HOOK = """
CUSTOM_MARKS = ("ui", "gpu")


def pytest_addoption(parser):
    for marker in CUSTOM_MARKS:
        parser.addoption(f"--{marker}", action="store_true", default=False)


def pytest_collection_modifyitems(config, items):
    skipped, selected = [], []
    markers = [m for m in CUSTOM_MARKS if config.getoption(f"--{m}")]
    for item in items:
        if not markers and any(m in item.keywords for m in CUSTOM_MARKS):
            skipped.append(item)
        else:
            selected.append(item)
    config.hook.pytest_deselected(items=skipped)
    items[:] = selected
"""
"""A conftest deselecting the tests of its custom markers unless an option asks (holoviews')."""

SIBLING_HOOK = """
import importlib.util

import pytest

HAVE_SIBLING = importlib.util.find_spec("sibling") is not None


def pytest_collection_modifyitems(config, items):
    if HAVE_SIBLING:
        return
    skip = pytest.mark.skip(reason="optional sibling not installed")
    for item in items:
        if "needs_sibling" in item.keywords:
            item.add_marker(skip)
"""
"""A conftest skipping the tests of a marker where an optional package is missing (ZE5)."""
BF4_TEST = """
import importlib.util

import pytest


@pytest.fixture(scope="module")
def engine():
    spec = importlib.util.spec_from_file_location("agent", "competition/agent.py")
    mod = importlib.util.module_from_spec(spec)
    try:
        {body}
    except Exception as exc:
        pytest.skip(f"engine unavailable: {{exc}}")
    return mod


def test_move(engine):
    from cg.game import battle_start

    assert battle_start
"""
"""A fixture loading a module by path that skips its tests where the load fails (BF4)."""

BF3_SCRIPT = """
def _oracle(y):
    import statsmodels.api as sm

    return sm.OLS(y, y).fit()


def _monte_carlo(n):
    return [_oracle([i]) for i in range(n)]


def run_validation():
    print(_monte_carlo(100))


if __name__ == "__main__":
    run_validation()
{other}"""
"""A validation script named like a test module, its helpers reached only as a script (BF3)."""

ZE5_TEST = """
import pytest


def _card():
    from sibling.card import Card
    return Card()


@pytest.mark.needs_sibling
def test_card():
    assert _card()
{other}"""
"""A helper importing an undeclared package, used by a test of that marker (ZE5)."""


POETRY_PYJWT = """
[tool.poetry]
name = "demo"

[tool.poetry.dependencies]
python = "^3.10"
PyJWT = {{ version = "^2.8.0"{extras} }}

[tool.poetry.group.dev.dependencies]
pytest = "^8"
"""
"""A Poetry project requiring PyJWT, with the extras ``{extras}`` writes (UB2)."""
TRIVIAL_TEST = "def test_a():\n    assert True\n"
UV_SOURCED = """
[project]
name = 'kctl-demo'
dependencies = ['kctl-lib>=0.14']
[project.optional-dependencies]
dev = ['pytest']
[tool.uv.sources]
kctl-lib = %s
"""
"""A project requiring kctl-lib from the source ``[tool.uv.sources]`` gives it (VD1)."""
ZB10_TEST = """
def test_validity(genbench):
    from lemat_genbench.metrics import validity
"""
ZB10_CONFTEST = """
import pytest


@pytest.fixture(scope="module")
def genbench():
    try:
        import lemat_genbench
    except ImportError:
        {handler}
"""
"""ZB10: a fixture importing a package in a ``try`` whose ImportError handler skips
(wyckoff-transformer's ``genbench``), ``importorskip`` spelt out; ``{handler}`` says what the
handler does."""
IN_TREE = """
[project]
name = 'demo-tools'
dependencies = ['demo-runtime>=1.3']
[project.optional-dependencies]
dev = ['pytest']
"""
"""A project requiring demo-runtime, whose own ``pyproject.toml`` may ship in the checkout
(ZB1)."""
IN_TREE_SIBLING = "[project]\nname = '%s'\ndependencies = ['deal>=4']\n"
"""The sibling project's ``pyproject.toml``, named ``%s``."""


BC1_UV_LOCK = """
version = 1
requires-python = ">=3.11"

[[package]]
name = "demo"
version = "1.0"
source = { editable = "." }
dependencies = [{ name = "demo-accounts" }]

[package.optional-dependencies]
docs = [{ name = "demo-docs-theme" }]
test = [{ name = "pytest" }]

[[package]]
name = "demo-accounts"
version = "5.0.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "django-allauth" }, { name = "demo-utils", extra = ["api"] }]

[[package]]
name = "demo-utils"
version = "2.0.0"
source = { registry = "https://pypi.org/simple" }

[package.optional-dependencies]
api = [{ name = "djangorestframework" }]

[[package]]
name = "demo-docs-theme"
version = "1.0.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "markdown" }]
"""
"""BC1: the uv lock of a project requiring demo-accounts, which no table knows: the lock says it
brings django-allauth, and djangorestframework through demo-utils' ``api`` extra; markdown
comes only with the ``docs`` extra's theme."""
BC1_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = ['demo-accounts>=5']\n\n"
    "[project.optional-dependencies]\ndocs = ['demo-docs-theme']\ntest = ['pytest']\n"
)
"""BC1's project: what its lock (:data:`BC1_UV_LOCK`, :data:`BC1_POETRY_LOCK`) resolved."""
BC1_POETRY_LOCK = """
[[package]]
name = "demo-accounts"
version = "5.0.0"
description = ""
optional = false
python-versions = ">=3.11"
files = []

[package.dependencies]
django-allauth = ">=65"
pyyaml = {version = ">=6", optional = true}

[package.extras]
yaml = ["pyyaml (>=6)"]
"""
"""BC1: Poetry's lock of the same project: pyyaml comes only with demo-accounts' ``yaml``
extra."""


BP6_PYPROJECT = (
    "[build-system]\nrequires = ['scikit-build-core>=0.11', 'nanobind']\n"
    "build-backend = 'scikit_build_core.build'\n\n"
    "[project]\nname = '{name}'\nversion = '0.3.3'\n\n[dependency-groups]\ndev = ['pytest']\n"
)
"""BP6: a project whose CMake build installs its extension module from a folder named
otherwise (``python/``) into the namespace its dotted name says."""
BP8_TEST = """
import pytest


@pytest.mark.parametrize("debug", {values})
def test_hull(debug):
    if debug:
        from matplotlib import pyplot as plt

        plt.figure()
"""
"""BP8: a test whose plotting, switched by an argument, imports matplotlib (codex-africanus)."""
CA3_TEST = """
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "docs"
GENERATOR = TOOLS / "generate_reference.py"

pytestmark = pytest.mark.skipif({skip}, reason="the generators are not installed")

if GENERATOR.is_file():
    {present}
else:
    {missing}

def test_generate():
    from generate_reference import generate

    assert generate(page_text)
"""
"""CA3 (ingence): the documentation generators of ``tools/docs``, which the sdist leaves out:
the module imports them only where the file is there, and skips its tests where it is not."""
CE2_LOCK = """\
# Generated by conda-lock.
# platform: linux-64
@EXPLICIT
https://conda.anaconda.org/conda-forge/linux-64/python-3.7.12-hb7a2778_100_cpython.tar.bz2#2d94
https://conda.anaconda.org/conda-forge/noarch/pytest-6.2.5-py37h89c1867_0.tar.bz2#1b9e
{more}"""
"""CE2 (igdiscover): conda-lock's explicit environment, the CI's ``environment-file``."""
CE2_SETUPTOOLS = (
    "https://conda.anaconda.org/conda-forge/linux-64/"
    "setuptools-58.4.0-py37h89c1867_1.tar.bz2#ab0c\n"
)
ZG2_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = ['{requirement}']\n\n"
    "[project.optional-dependencies]\ntest = ['pytest']\n"
)
"""ZG2's examples: one runtime requirement and a test extra."""
CL5_TEST = """
import sys
import unittest

if {condition}:
    try:
        from flask import Flask
    except ImportError:
        raise unittest.SkipTest("Flask not found for testing")

    from demo.web import api
"""
"""CL5 (json-rpc): a skip on a failed import of flask, in a branch of a version check, before
the import of a project module that imports flask."""
CL5_FILES = {
    "requirements-test.txt": "pytest>=8\n",
    "pyproject.toml": "[project]\nname = 'demo'\n",
    "demo/__init__.py": "",
    "demo/web.py": "import flask\n\napi = flask.Blueprint('api', __name__)\n",
}
"""CL5's examples: a project whose module imports flask unguarded."""
CI2_TEST = """
import pytest

pa = pytest.importorskip("pyarrow")
from cf_datahive.client import DataHiveClient
"""
"""CI2 (cf-streamfind): the module skips on pyarrow before importing a package declared
nowhere."""
BQ4_TEST = """
import pytest

from demo.native import native_available

pytestmark = pytest.mark.skipif({condition}, reason="{reason}")


def test_native_split():
    import fastsplit_native

    assert fastsplit_native.split("a. b.")
"""
"""BQ4's test module: the module's ``pytestmark`` skips on ``condition``."""
BQ4_FILES = {
    "pyproject.toml": ZG2_PYPROJECT.format(requirement="numpy"),
    "demo/__init__.py": "",
    "demo/native.py": "def native_available():\n    return False\n",
}
"""BQ4's project: ``demo.native`` computes whether the native extension is there."""

BH1_TEST = """
import ansible_collections


def test_collections_root():
    assert ansible_collections
"""
"""BH1's examples: a test importing a namespace folder that one distribution fills."""

AP2_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = []\n\n"
    "[project.optional-dependencies]\ntest = ['pytest', '{test}']\n"
)
"""AP2's examples: a test extra with one distribution beside pytest."""

BB2_SETUP_CFG = "[options.extras_require]\ntest =\n    pytest\n    luma.core>=2.4\n"
"""BB2's examples: a setup.cfg test extra holding luma.core beside pytest."""

AJ1_TEST = """
import pytest
{flag}

if {condition}:
    pytest.skip("datashader not installed", allow_module_level=True)
import xarray
"""
"""AJ1's examples: an import after a module-level skip (holoviews' ``if not ds:`` on a flag its
``tests/_deps.py`` sets)."""

AJ2_TEST = """
from _util import make_song  # tests/_util.py, which the sdist leaves out


def test_song():
    assert make_song()
"""


BY4_TEST = """
import os
import sys
import unittest

HERE = os.path.dirname(__file__)


class TestPkg(unittest.TestCase):
    def setUp(self):
        sys.path.append(HERE)

    def tearDown(self):
        sys.path.remove(HERE)

    def test_reload(self):
        import pkg
{other}"""
"""BY4: a class whose setUp appends the test's own folder, where ``pkg/`` lies, to sys.path
(sferriol-python); ``other`` may add a class without it."""

DZ2_TEST = """
import os
import sys

if sys.platform == "win32":
    from demo import mouse
else:
    parent_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path.insert(0, os.path.join(parent_dir, "linux"))
    import clipboard
"""
"""DZ2 (pywinauto): a test module's platform branch binding its package folder and putting a
folder below it on ``sys.path`` before importing a module of that folder by its bare name."""


DZ2_AFTER_TRY = """
import os
import sys

try:
    parent_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
except NameError:
    raise SystemExit("run me with pytest")
sys.path.insert(0, os.path.join(parent_dir, "linux"))
import clipboard
"""
"""DZ2 read as CV1 reads a package's ``__init__.py``: the folder is bound once, in a module-level
``try`` block, and put on ``sys.path`` after it."""


FL1_TEST = """
import os
import sys

_SAMPLES_DIR = os.path.abspath(
    os.path.sep.join((os.path.dirname(__file__), "../linux/")),
)
sys.path.append(_SAMPLES_DIR)

import clipboard
"""
"""FL1 (dependency-injector's wiring tests): the folder put on ``sys.path`` is spelt by the
separator joining a tuple, ``os.path.sep.join((HERE, "../samples/"))``, as ``os.path.join``."""


WORKSPACE_DEVEL_PYPROJECT = """
[project]
name = 'demo'
dependencies = ['click>=8']

[dependency-groups]
dev = ['pytest>=8', 'demo-devel-common']

[tool.uv.sources]
demo-devel-common = { workspace = true }
"""
"""A project whose tests' group takes a shared test package from a uv workspace member."""


def dz2_files(clipboard: str) -> dict[str, str]:
    """DZ2's package, with its ``clipboard`` module at the path given."""
    return {
        "setup.py": "from setuptools import setup\nsetup(name='demo')\n",
        "requirements-test.txt": "pytest>=8\n",
        "demo/__init__.py": "",
        "demo/unittests/__init__.py": "",
        "demo/linux/__init__.py": "",
        clipboard: "X = 1\n",
    }


BY4_FILES = {
    "setup.py": "from setuptools import setup\nsetup(name='demo')\n",
    "demo/__init__.py": "",
    "demo/test/__init__.py": "",
    "demo/test/pkg/__init__.py": "",
    "requirements-test.txt": "pytest>=8\n",
}
BY4_OTHER = """

class TestOther(unittest.TestCase):
    def test_load(self):
        import pkg
"""

CK1_CONFTEST = """
import os
import sys
from pathlib import Path

bridges_root = {root}
for bridge_dir in sorted(bridges_root.iterdir()):
    if bridge_dir.is_dir() and (bridge_dir / "__init__.py").exists():
        sys.path.insert(0, str(bridge_dir))
"""
"""CK1: a conftest putting each folder below the one given as ``root`` on sys.path in a loop
(piqrypt's ``bridges/conftest.py``)."""


def ck1_files(root: str) -> dict[str, str]:
    """CK1's project: the test ``bridges/ros/test_ros_bridge.py`` imports ``ros_bridge``, a
    module beside it in the package ``ros``, below a conftest whose loop over ``root``'s
    folders may put ``bridges/ros/`` on sys.path."""
    return {
        "pyproject.toml": "[project]\nname = 'demo'\n\n[dependency-groups]\ntest = ['pytest>=8']\n",
        "bridges/conftest.py": CK1_CONFTEST.format(root=root),
        "bridges/ros/__init__.py": "",
        "bridges/ros/ros_bridge.py": "AuditedNode = 1\n",
    }


BN3_PLAIN = {"plugins/ext/db/alchemical/__init__.py": "", "plugins/ext/db/alchemical/aio.py": ""}
"""BN3's tree: a package ``alchemical`` in folders without ``__init__.py``."""
BN3_FILES = {
    "requirements-test.txt": "pytest>=8\n",
    "demo/__init__.py": "",
    "demo/ext/__init__.py": "",
    **{f"demo/{path.partition('/')[2]}": text for path, text in BN3_PLAIN.items()},
}
"""... below the package ``demo.ext``: ``demo/ext/db/`` is a namespace portion of it."""


BI3_TEST = """
from tests.fakes.payloads import TICKER  # tests/fakes/payloads.py, left out of the sdist


def test_ticker():
    assert TICKER
"""
BI3_PYPROJECT = "[project]\nname = 'demo'\ndependencies = ['six']\n"
"""BI3's examples: a project declaring no test dependency, whose tests import a helper module
of their own folder by its dotted path."""


BV1_TEST = """
from cognite.client.data_classes import ViewId


def test_view():
    assert ViewId
"""
BV1_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = ['regex']\n\n"
    "[project.optional-dependencies]\ndev = ['cognite-sdk>=7', 'pytest']\n{build}"
)
BV1_HATCH = "\n[tool.hatch.build.targets.wheel]\npackages = ['cognite']\n"
BV1_FILES = {"cognite/ai/__init__.py": "", "cognite/ai/query.py": "LIMIT = 1\n"}
"""BV1's examples: a test inside the project's namespace package ``cognite/ai/`` (no
``cognite/__init__.py``) importing the declared cognite-sdk's ``cognite.client``."""

AF1_TEST = """
import orjson


def test_dumps():
    assert orjson.dumps(1) == b"1"
"""
AF1_PYPROJECT = """
[project]
name = 'orjson-fork'

[project.optional-dependencies]
test = ['pytest']

[build-system]
requires = ['maturin>=1,<2']
build-backend = '{backend}'
"""
AF1_CARGO = """
[package]
name = 'orjson'
version = '1.0.0'

[lib]
name = 'orjson'
crate-type = ['cdylib']
"""

AF2_PYPROJECT = """
[build-system]
requires = ['flit_core >=3,<4']
build-backend = 'flit_core.buildapi'

[tool.flit.metadata]
module = 'demo'
requires = ['six']
dev-requires = ['pytest']

[tool.flit.metadata.requires-extra]
test = ['pytest-cov', 'iso8601']
"""
AF2_TEST = """
import iso8601
import six
import {third}
"""

AA1_TEST = """
from pywhatwgurl import URL

from demo.auth import sign
"""
BU2_TEST = """
from stp_core.common.log import getlogger
from crypto.bls.bls_multi_signature import MultiSignature
import libnacl.secret
from pympler import asizeof
"""
"""BU2: a test of a Plenum-based node importing what Plenum installs and requires."""


BU1_TEST = """
from demo.fluka.visitor import RegionParserVisitor


def test_visitor():
    assert RegionParserVisitor
"""
BU1_MODULE = """
import numpy

if "." in __name__:
    from .RegionParser import RegionParser
else:
    from {flat} import RegionParser


class RegionParserVisitor:
    parser = RegionParser
"""
"""BU1: ANTLR's generated visitor imports its parser relatively in a package, by bare name
from its own folder otherwise (pyg4ometry)."""
BU1_FILES = {
    "pyproject.toml": ZG2_PYPROJECT.format(requirement="numpy"),
    "src/demo/__init__.py": "",
    "src/demo/fluka/__init__.py": "",
    "src/demo/fluka/RegionParser.py": "class RegionParser: ...\n",
}
"""BU1's project: the parser beside the visitor, in a package."""


AA1_MODULE = "from pywhatwgurl import URLSearchParams\n\n\ndef sign(url): ...\n"
"""AA1: a test and the project module it imports both import a package no file declares."""

EW1_TEST = "from demo.pool import Store\n"
"""EW1: a project module imports a package its test extra declares, whose requirements no
table here knows, and one declared nowhere (total-perspective-vortex: ``from galaxy import
model``, then ``from sqlalchemy.orm import Session``; galaxy requires SQLAlchemy)."""


EW1_UNKNOWN = "zapros-client-demo"
EW1_UNKNOWN_IMPORT = "from zapros_client_demo import model"
EW1_UNDECLARED = "from sqlalchemy.orm import Session"
"""EW1's test requirement no table knows, its import, and the import of one declared nowhere."""


def ew1_files(tested: str, first: str, second: str) -> dict[str, str]:
    """EW1's project: a known runtime requirement, the test extra naming ``tested``, and the
    module ``demo.pool`` importing ``first`` and ``second``."""
    return {
        "pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['six']\n\n"
        f"[project.optional-dependencies]\ntest = ['pytest', '{tested}']\n",
        "src/demo/__init__.py": "",
        "src/demo/pool.py": f"{first}\n{second}\n\n\nclass Store: ...\n",
    }


AA2_TEST = """
try:
    {gate}
except ImportError:
    pyopenssl = None
else:
    import OpenSSL
"""
"""AA2: an import in the ``else`` of a ``try`` that imports an optional feature."""


AQ2_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = ['anaconda-cli-base>=0.4.0', 'sbpy>=0.5.0']\n\n"
    "[project.optional-dependencies]\ntests = ['pytest'{museval}]\n"
)
"""AQ2-AQ4's example project: two runtime rows, and museval's with the tests or not."""
BA3_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = ['requests>=2.31', '{types}']\n\n"
    "[project.optional-dependencies]\ndev = ['pytest>=7']\n"
)
"""BA3's example project: a runtime requirement that brings pydantic, or one that does not."""
AQ5_TEST = """\
import sys

sys.path.append("./scripts")
from {module} import Counter
"""
"""A test module importing a script of a folder it puts on ``sys.path`` (AQ5's examples)."""
AQ5_FILES = {
    "scripts/collect_counts.py": "class Counter:\n    pass\n",
    "requirements-test.txt": "pytest>=8\n",
    # linted from the root, the scripts are no file of the suite
    "pyproject.toml": "[project]\nname = 'demo'\n\n[tool.apytest]\nexclude = ['scripts']\n",
}
"""The rest of AQ5's example project: the scripts folder holds ``collect_counts`` only."""

AW2_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = ['{shapes}~=3.1', 'coherence-cli>=0.6']\n\n"
    "[dependency-groups]\ndev = ['pytest>=8']\n"
)
"""AW2's and AW3's example project: pyshp (or pyproj) and coherence-cli at run time."""

AT1_FACTORIES = """\
import factory

class UserFactory(factory.Factory):
    name = "Ada"
"""
"""A helper module of a test package, importing factory-boy (AT1's examples)."""
AT1_TEST = """\
from .factories import UserFactory

def test_user():
    assert UserFactory.build().name
"""
"""A test module importing that helper relatively (AT1's examples)."""
AT1_FILES = {
    "requirements-test.txt": "pytest>=8\n",
    "tests/__init__.py": "",
    "tests/factories.py": AT1_FACTORIES,
}
"""The rest of AT1's example project: the test module's package and its helper."""

AY5_PYPROJECT = """\
[project]
name = "demo"
dependencies = ["{fastapi}>=0.115"]

[project.optional-dependencies]
test = ["pytest>=8"]
"""
"""AY5: a project requiring fastapi (with the extra given) and testing with pytest; EV1's with
mcp or pyjwt in its place (shipcheck-mcp's shape)."""
AY2_TEST = """\
import os

import pytest

pytestmark = pytest.mark.skipif({condition}, reason="opt-in live smoke")


def test_live_render():
    from companion.render import oracle

    assert oracle()
"""
"""AY2: a test module skipped unless a variable opts it in, importing a companion package
inside its test (python-hwpx's live render smoke); the near miss skips on the platform."""
AO3_CONFTEST = """
import pytest


@pytest.fixture
def generate_structure():
    from aiida_demo.orm import StructureData

    return StructureData()
"""
"""A conftest fixture whose body imports a package declared nowhere (AO3: python-sscha)."""

AO3_TEST = "def test_a():\n    assert True\n"


AU1_PYPROJECT = """
[project]
name = 'demo'
dependencies = ['typing-extensions~=4.12']

[dependency-groups]
test = ['pytest~=8.3']
"""
AU1_CONFTEST = """
import sys
from unittest.mock import Mock

for _name, _mock in (("gcode", Mock()), ("pins", Mock())):
    sys.modules[_name] = _mock
"""
"""AU1's conftest: Klipper's modules, which no distribution installs, as stand-ins."""
AU1_FILES = {
    "pyproject.toml": AU1_PYPROJECT,
    "tests/klipper/conftest.py": AU1_CONFTEST,
    "src/demo/__init__.py": "",
    "src/demo/homing.py": "import pins\nfrom gcode import CommandError\n",
}


BE1_BACKEND = """\
import importlib
import importlib.util
import os
import sys


def load(name):
    root = os.environ.get("DEMO_ENGINE_ROOT", ".")
    sys.path.insert(0, root)
    if importlib.util.find_spec("graphpack") is None:
        raise RuntimeError("the engine was not found")
    return importlib.import_module(name)
"""
BE1_TEST = """
import pytest

from demo.backend import load


def test_fingerprint(engine):
    import graphpack

    assert graphpack.read(engine)
"""
BE1_FILES = {
    "requirements-test.txt": "pytest>=8\n",
    "demo/__init__.py": "",
    "tests/conftest.py": (
        "import pytest\n\nfrom demo.backend import load\n\n\n"
        "@pytest.fixture\ndef engine():\n    return load('engine')\n"
    ),
}


EE1_INIT = """
import sys
import unittest

sys.path.append('../demo')

loader = unittest.TestLoader()
suite = loader.discover('test')
"""
"""EE1: tplinkrouterc6u's ``test/__init__.py``: unittest's ``discover`` puts ``test/`` first on
``sys.path``; any change of ``sys.path`` there leaves the bare name's fate to the run."""

CV1_INIT = """
import os
import sys

if "ovs" not in sys.modules:
    parent_dir = os.path.abspath(os.path.dirname(__file__))
    vendor_dir = os.path.join(parent_dir, "vendor")
    sys.path.insert(1, vendor_dir)
    import ovs  # noqa: F401
"""
"""CV1: ovs-dbg's package ``__init__.py``, putting its own ``vendor/`` folder on ``sys.path``."""
CV1_FILES = {
    "requirements-test.txt": "pytest>=8\n",
    "ovs_dbg/vendor/ovs/__init__.py": "",
    "ovs_dbg/vendor/ovs/flow/__init__.py": "",
    "ovs_dbg/vendor/ovs/flow/ofp.py": "class OFPFlow: ...\n",
    "ovs_dbg/ofparse/__init__.py": "",
    "ovs_dbg/ofparse/ofp.py": "from ovs.flow.ofp import OFPFlow\n",
}
CV1_TEST = "from ovs_dbg.ofparse.ofp import OFPFlow\nfrom ovs.flow.ofp import OFPFlow as Flow\n"

CN1_TEST = """
from importnb import Notebook


def test_basic():
    with Notebook():
        import Untitled42

    assert Untitled42.__file__.endswith(".ipynb")
"""
CN1_FILES = {"requirements-test.txt": "pytest>=8\nimportnb>=2023\n"}
"""CN1: a test importing the notebook ``Untitled42.ipynb`` through importnb's import hook."""


BO4_PYPROJECT = """
[project]
name = "demo"
dependencies = ["numpy>=1.20", "{requirement}"]

[project.optional-dependencies]
dev = ["pytest>=7.0"]
"""
BO4_TEST = """
def test_matches_scipy():
    from scipy import ndimage

    assert ndimage
"""


CR1_TEST = """
import json

import pytest


def default_importerror(obj):
    import doesnotexist

    assert doesnotexist


def test_dumps_chain_default_importerror():
    with pytest.raises(TypeError) as exc_info:
        json.dumps(object(), default=default_importerror)
    assert isinstance(exc_info.value.__cause__, ImportError)
"""
"""CR1: orjson's helper whose import must fail, handed on by a test asserting it did."""


ER1_SCRIPT = """\
# /// script
# dependencies = [
#     "{declared}>=2",
# ]
# ///
import requests


def main():
    requests.get("https://example.org")
"""
"""ER1 (aiosmtplib): a PEP 723 script named like a test module, outside ``testpaths``."""
ER1_FILES = {
    "pytest.ini": "[pytest]\ntestpaths = tests\n",
    "requirements-test.txt": "pytest>=8\n",
    "tests/test_a.py": "def test_a():\n    assert True\n",
}


FF1_TEST = """
import importlib.util

import pytest


@pytest.mark.skipif(importlib.util.find_spec("{skipped}") is None, reason="no pyspark")
class TestPysparkValidator:
    def setup_method(self):
        from pyspark.sql import SparkSession

        self.spark = SparkSession.builder.getOrCreate()

    def test_types(self):
        import pyspark.sql.types as T

        assert T.IntegerType()
"""
"""FF1 (onsdatachecker): a class skipped where ``find_spec`` finds no pyspark, over methods
(its ``setup_method`` too) that import pyspark, declared nowhere."""


class UndeclaredDependency(ProjectRule):
    """A third-party import that no requirements file, pyproject table or registry row declares.

    Guarded imports (``importorskip``, ``try/except ImportError``) are deliberate "use it when
    present" and are not reported; imports the project cannot resolve statically (a ``setup.py``
    computing its lists, dynamic metadata) are not reported either, nor are they when the
    project declares its test dependencies nowhere (APT104 says that once). pytest, its own
    requirements and the plugins the pytest configuration loads are there whenever the suite
    runs, declared or not.

    A module-level import of a private module (``_util``) that no file or folder of the tree is
    named after is reported too, declarations or not: no distribution is named so, and in a tree
    that compiles nothing and whose build files do not name it, it is a helper of the suite that
    the tree (an sdist) leaves out.

    Nor is an import inside a function of a distribution that the project's own modules list
    for pip to install when they run (a literal list bound to a ``pip`` name: a plugin's
    ``deps_pip = ["asyncpg"]``): the test may run after the project installed it.

    ## Why is this bad?
    It works on the machine where the library happens to be installed (by hand, or as some other
    package's dependency) and fails with ``ModuleNotFoundError`` on a fresh clone or a new CI
    image.

    ## Use instead
    Declare it: in ``dependencies``, an extra, a dependency group or a requirements file; ship
    a missing helper of the suite with the tests.
    """

    code = "APT102"
    name = "undeclared-dependency"
    lesson = "dependency-registration"
    summary = "third-party import declared in no requirements file, pyproject table or registry"
    VALID = (
        Example(  # FN1: connected-components-3d installs cc3d
            "import cc3d\n",
            files={"requirements-test.txt": "pytest>=8\nconnected-components-3d>=3\n"},
        ),
        Example(  # FF1: the class's skipif on find_spec guards its methods' imports
            FF1_TEST.format(skipped="pyspark"),
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # ER1: a PEP 723 script outside testpaths declares what it imports inline
            ER1_SCRIPT.format(declared="requests"),
            path="scripts/test_gmail.py",
            files=ER1_FILES,
        ),
        Example(  # the tests' group takes a requirement from a uv workspace member, which may
            # install the missing package (Airflow providers' tests_common, of the workspace's
            # apache-airflow-devel-common), as it may install any undeclared one
            "from tests_common.test_utils import config\n",
            files={
                "pyproject.toml": WORKSPACE_DEVEL_PYPROJECT,
                "demo/__init__.py": "",
            },
        ),
        Example(  # EF1: pythonnet's clr serves .NET namespaces to every later import
            "import clr\nimport System\nfrom System.Collections.Generic import List\n",
            files={"requirements-test.txt": "pytest>=8\npythonnet>=3\n"},
        ),
        Example(  # EF1: another module of the suite imported clr first
            "import System\n",
            files={
                "requirements-test.txt": "pytest>=8\npythonnet>=3\n",
                "tests/test_clr.py": "import clr\n",
            },
        ),
        Example(  # DF4: an autouse fixture of the module importorskips the package first
            DF4_TEST.format(arguments="autouse=True"),
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # shogym: a helper of the module that may skip runs before the import
            SKIP_HELPER_TEST.format(handler='pytest.skip(f"not constructible: {exc}")'),
            files={"requirements-test.txt": "pytest>=8\n", "shogym/__init__.py": ""},
        ),
        Example(  # shogym: the module is skipped wherever an environment variable is unset
            OPT_IN_MODULE_TEST.format(condition='not os.getenv("OPENAI_API_KEY")'),
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # DF1: black installs blib2to3, a name sharing no four letters with it
            "import black\nimport blib2to3\n",
            files={"requirements-test.txt": "pytest>=8\nblack\n"},
        ),
        Example(  # DW2: panda3d installs direct, eccodes installs gribapi (panda3d-gltf, cfgrib)
            "import gribapi\nfrom direct.actor.Actor import Actor\n",
            files={"requirements-test.txt": "pytest>=8\npanda3d>=1.10\neccodes>=2\n"},
        ),
        Example(  # EU1: future installs past, a name sharing nothing with it
            "from past.builtins import basestring\n",
            files={"requirements-test.txt": "pytest>=8\nfuture==0.18.2\n"},
        ),
        Example(  # DF2: the package the build leaves out is a distribution of its own, which an
            # extra declares by its distribution name (APT101's, not a missing helper)
            "from version_drift import inspect_project\n",
            files={"pyproject.toml": DF2_PYPROJECT.format(extra="version-drift>=0.1,<0.2")},
        ),
        Example(  # CP2: google-genai 2.32, which the test requirements pin, requires httpx (its
            # newest releases require httpx2 instead)
            "import httpx\n",
            files={"tests/requirements.txt": "google-genai==2.32.0\npytest>=8\n"},
        ),
        Example(  # BO4: chinook, outside the published table, requires scipy
            BO4_TEST,
            files={"pyproject.toml": BO4_PYPROJECT.format(requirement="chinook>=1.1.3")},
        ),
        Example(  # BF4: the fixture skips where the module it loads by path fails to import
            BF4_TEST.format(body="spec.loader.exec_module(mod)  # imports the game engine"),
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # BF3: a script named test_*.py; only its __main__ block reaches the helper
            BF3_SCRIPT.format(other=""),
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # BF2: earthengine-api installs ``ee``, a name sharing no four letters with it
            "import ee\n",
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['earthengine-api>=1']

                    [project.optional-dependencies]
                    test = ['pytest>=8']
                    """,
            },
        ),
        Example(  # EN1: a top folder's own suite, its singular requirement.txt beside it
            "import jsonschema\n",
            path="e2e_benchmarks/test_example.py",
            files={
                "requirements.txt": "six\n",
                "e2e_benchmarks/requirement.txt": "pytest==7.4.4\njsonschema==4.17.3\n",
            },
        ),
        Example(  # BJ3: a root test_reqs.txt, named with the short word reqs, declares pandas
            "import pandas\n",
            files={
                "pyproject.toml": ZG2_PYPROJECT.format(requirement="pyyaml>=6"),
                "test_reqs.txt": "pytest==6.2.5\npandas\n",
            },
        ),
        Example(  # BJ2: the declared toolfuncs, outside the published table, requires uv-launch
            "from uv_launch.session import new_session_environment\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="toolfuncs>=2.2,<3")},
        ),
        Example(  # BK1: carculator-utils, outside the published table, requires numpy and pandas
            "import numpy as np\nimport pandas as pd\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="carculator_utils>=1.3.7")},
        ),
        Example(  # BK1: xcube-core, outside the published table, requires jsonschema
            "from jsonschema.exceptions import ValidationError\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="xcube-core")},
        ),
        Example(  # BP8: parametrize gives the switch false values only: the import never runs
            BP8_TEST.format(values="[False]"),
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="numpy")},
        ),
        Example(  # BP6: a dotted project name fills that namespace package with its own modules
            "from dioptic import profileparser\n",
            files={"pyproject.toml": BP6_PYPROJECT.format(name="dioptic.profileparser")},
        ),
        Example(  # BP2: pyworkflow is scipion-pyworkflow's, which scipion-em requires
            "from pyworkflow.tests import BaseTest\nfrom pwem.protocols import ProtImportMovies\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="scipion-em>=3.11.0")},
        ),
        Example(  # CJ1: ratatui installs its ctypes bindings as ratatui_py
            "import ratatui_py\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="ratatui>=0.4.2")},
        ),
        Example(  # BP3: karabind is karabo-cpp's binding module
            "from karabind import EventLoop, SignalSlotable\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="karabo-cpp==3.1.2")},
        ),
        Example(  # BP4: tomtoolkit, outside the published table, requires Django
            "from django.urls import reverse\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="tomtoolkit>=3.0.1")},
        ),
        Example(  # BV2: the declared bazis, outside the published table, requires django
            # (bazis-notify's conftest)
            "from django.core.management import call_command\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="bazis>=2.16.0")},
        ),
        Example(  # BR1: the declared db-chat-widget, outside the published table, requires it
            "from sqlalchemy.pool import StaticPool\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="db-chat-widget>=0.2.1")},
        ),
        Example(  # FB2: the declared oemof.solph, outside the published table, requires Pyomo
            "from pyomo.repn.tests.lp_diff import lp_diff\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="oemof.solph<=0.5.5")},
        ),
        Example(  # BH5: the declared agento11y, outside the published table, requires the SDK
            "from opentelemetry.sdk.trace import TracerProvider\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="agento11y>=0.21")},
        ),
        Example(  # BH1: ansible ships the ansible_collections namespace folder, no row of its own
            BH1_TEST,
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="ansible>=9")},
        ),
        Example(  # AZ2: every Python 3 skips the module before its Python 2 only imports
            """
            import sys
            import unittest

            if sys.version_info[0] == 3 or "__pypy__" in sys.builtin_module_names:
                raise unittest.SkipTest()

            from gevent import monkey
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # AY5: fastapi[standard] requires uvicorn[standard], which brings watchfiles
            "import watchfiles\n",
            files={"pyproject.toml": AY5_PYPROJECT.format(fastapi="fastapi[standard]")},
        ),
        Example(  # EV1: mcp requires pyjwt[crypto], whose extra installs cryptography
            "from cryptography.hazmat.primitives import serialization\n",
            files={"pyproject.toml": AY5_PYPROJECT.format(fastapi="mcp")},
        ),
        Example(  # BG2: a plugin lists it for pip to install before the test's method runs
            BG2_TEST,
            path="demo/test/test_postgres.py",
            files=BG2_FILES,
        ),
        Example(  # BN1: ... read from the whole tree when testpaths lints only the suite
            BG2_TEST,
            files={**BG2_FILES, "pytest.ini": "[pytest]\ntestpaths = tests\n"},
        ),
        Example(  # BC1: the lock says the declared demo-accounts, unknown to the table, brings it
            "from allauth.account.models import EmailAddress\n",
            files={"pyproject.toml": BC1_PYPROJECT, "uv.lock": BC1_UV_LOCK},
        ),
        Example(  # BC1: ... and what an extra it names on the way brings (demo-utils[api])
            "from rest_framework.test import APIClient\n",
            files={"pyproject.toml": BC1_PYPROJECT, "uv.lock": BC1_UV_LOCK},
        ),
        Example(  # BC1: the same in Poetry's lock
            "from allauth.account.models import EmailAddress\n",
            files={"pyproject.toml": BC1_PYPROJECT, "poetry.lock": BC1_POETRY_LOCK},
        ),
        Example(  # AY2: a test opted into by an environment variable never runs by default
            AY2_TEST.format(condition='os.environ.get("RUN_LIVE_SMOKE") != "1"'),
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # AY2: the same skip on the test, through a name bound to the variable
            """
            import os

            import pytest

            LIVE = os.getenv("LIVE_TESTS")


            @pytest.mark.skipif(not LIVE, reason="set LIVE_TESTS to run against the service")
            def test_live_render():
                from companion.render import oracle

                assert oracle()
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # AA2: the else runs only once the integration submodule imported (pymrequests)
            AA2_TEST.format(gate="from urllib3.contrib import pyopenssl"),
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="urllib3")},
        ),
        Example(  # EW1: the test extra's package the module imports, unknown to the table,
            # may bring it
            EW1_TEST,
            files=ew1_files(EW1_UNKNOWN, EW1_UNKNOWN_IMPORT, EW1_UNDECLARED),
        ),
        Example(  # EW1: whichever comes first: what is installed does not follow import order
            EW1_TEST,
            files=ew1_files(EW1_UNKNOWN, EW1_UNDECLARED, EW1_UNKNOWN_IMPORT),
        ),
        Example(  # AA1: the project's own module imports it too, and its one requirement,
            # unknown to the table, installs it (capo-customer-profiles: zapros, pywhatwgurl)
            AA1_TEST,
            files={
                "pyproject.toml": ZG2_PYPROJECT.format(requirement="zapros-client-demo"),
                "src/demo/__init__.py": "",
                "src/demo/auth.py": AA1_MODULE,
            },
        ),
        Example(  # ZI6: the handler runs only where the standard sqlite3 fails (spatialist)
            """
            try:
                import sqlite3

                sqlite3.connect(":memory:").enable_load_extension(True)
            except AttributeError:
                from pysqlite2 import dbapi2 as sqlite3
            """,
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="numpy")},
        ),
        Example(  # ZG2: bayesian-optimization installs bayes_opt (climada)
            "import bayes_opt\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="bayesian-optimization")},
        ),
        Example(  # ZG2: progressbar2 installs progressbar (spatialist)
            "import progressbar\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="progressbar2")},
        ),
        Example(  # ZG2: jax requires scipy (neuralgcm)
            "import scipy.stats\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="jax")},
        ),
        Example(  # ZG2: adc-streaming requires confluent-kafka (hop-client)
            "import confluent_kafka\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="adc-streaming")},
        ),
        Example(  # AF3: ibauth requires tenacity (ibproxy)
            "from tenacity import RetryError\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="ibauth>=0.1.6")},
        ),
        Example(  # AC2: LFPy requires numpy and lfpykit (lfpykernels)
            "import numpy as np\nimport lfpykit\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="LFPy>=2.2.4")},
        ),
        Example(  # AH2: hail requires google-auth and installs hailtop (cpg-workflows)
            "import google.auth\nimport hailtop.batch as hb\n",
            files={"requirements.txt": "hail>=0.2.133\n"},
        ),
        Example(  # AS1: Airflow 2.x required Flask-AppBuilder and Flask-WTF; 3.0 moved them out
            "from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget\n"
            "from wtforms import PasswordField\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="apache-airflow>=2.9,<3")},
        ),
        Example(  # AS2: Palm CLI requires click (its plugins' commands)
            "import click\n",
            files={"requirements.txt": "palm >=2.6.0, <3.0\npytest\n"},
        ),
        Example(  # AS2: sfn-blueprint's 0.7 releases require langchain-classic, so sqlalchemy
            "from sqlalchemy import create_engine\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="sfn-blueprint>=0.6.6")},
        ),
        Example(  # CA1: gds-analysis, outside the published table, requires gds-sim, which
            # requires pydantic
            "from gds_sim import Model\nfrom pydantic import ValidationError\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="gds-analysis>=0.1.2")},
        ),
        Example(  # CA3: the tools' folder is put on sys.path and imported only where the
            # tree holds it (the sdist leaves tools/ out), and the module's tests are skipped
            # wherever it is missing
            CA3_TEST.format(
                skip="not GENERATOR.is_file()",
                present="from reference_pages import page_text",
                missing="page_text = None",
            ),
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # CE1: the declared lute3, outside the published table, installs ``lute``
            # and requires pyyaml (lute3-khmer's conftest)
            "import yaml\nfrom lute.parse.registry import init_parser_plugins\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="lute3>=3.4.2")},
        ),
        Example(  # CE2: the CI's conda-lock environment has setuptools (pkg_resources)
            "import pkg_resources\n",
            files={"conda-linux-64.lock": CE2_LOCK.format(more=CE2_SETUPTOOLS)},
        ),
        Example(  # BQ3: bw2io, outside the published table, requires openpyxl (its Excel I/O)
            "import openpyxl\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="bw2io>=0.9.3")},
        ),
        Example(  # BQ3: idessem, outside the published table, requires pandas (its tables)
            "import pandas as pd\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="idessem>=1.2.1")},
        ),
        Example(  # BQ3: pixell, outside the published table, requires healpy
            "import healpy\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="pixell>=0.29.0")},
        ),
        Example(  # BZ3: ladybug-display, outside the published table, brings ladybug-geometry
            # (through ladybug-core)
            "from ladybug_geometry.geometry2d import Point2D\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="ladybug-display>=0.13.3")},
        ),
        Example(  # BZ3: ladybug-display-schema brings pydantic (through pydantic-openapi-helper)
            "import pydantic\n",
            files={
                "pyproject.toml": ZG2_PYPROJECT.format(requirement="ladybug-display-schema>=1.0.1")
            },
        ),
        Example(  # AV3: boileroom requires modal (a conftest's Modal app context)
            "import modal\nfrom boileroom import app\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="boileroom==0.2.2")},
        ),
        Example(  # AV4: google.transit comes from the GTFS Realtime bindings, declared
            "from google.transit import gtfs_realtime_pb2\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="gtfs-realtime-bindings")},
        ),
        Example(  # AH4: signxml 2.x required pyOpenSSL (erpbrasil.assinatura-light pins 2.8.2)
            "import OpenSSL\n",
            files={"requirements.txt": "signxml==2.8.2\n"},
        ),
        Example(  # AM3: sd-jwt requires jwcrypto, which requires cryptography (acapy-agent)
            "from cryptography.hazmat.primitives import serialization\n",
            files={"requirements.txt": "sd-jwt\n"},
        ),
        Example(  # AP2: localstack-client requires boto3, the library it configures
            "import boto3\n",
            files={"requirements.txt": "localstack-client\n"},
        ),
        Example(  # BB2: luma.core, which the display drivers build on, requires pillow
            "from PIL import Image\n",
            files={"setup.cfg": BB2_SETUP_CFG},
        ),
        Example(  # BB3: yadict-compare installs dict_compare
            "from dict_compare import compare_dicts\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="yadict_compare")},
        ),
        Example(  # BB5: robotframework installs robot (its asserts used in a unit test)
            "from robot.utils.asserts import assert_true\n",
            files={"requirements.txt": "pytest==8.3.3\nrobotframework==7.0\n"},
        ),
        Example(  # BB4: tomato, which a tomato driver builds on, requires dgbowl-schemas
            "from dgbowl_schemas.tomato.payload import Task\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="tomato >= 2.1rc3")},
        ),
        Example(  # AP2: Plone's test layers install Plone, and zope.i18nmessageid with it
            "from zope.i18nmessageid import MessageFactory\n",
            files={"pyproject.toml": AP2_PYPROJECT.format(test="plone.app.testing")},
        ),
        Example(  # AP2: epubkit parses with beautifulsoup4 (a test importing bs4 in its body)
            "def test_a():\n    from bs4 import NavigableString\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="epubkit>=0.1")},
        ),
        Example(  # AP2: plone.api installs Plone too
            "from zope.i18nmessageid import MessageFactory\n",
            files={"pyproject.toml": AP2_PYPROJECT.format(test="plone.api")},
        ),
        Example(  # AR2: ast-pluckit requires duckdb, zarrnii ome-zarr (two outside the table)
            "import duckdb\nfrom ome_zarr.data import create_zarr\n",
            files={"requirements.txt": "ast-pluckit>=0.7.0\nzarrnii>=0.21.0\npytest\n"},
        ),
        Example(  # ZG2: contextily requires requests (climada)
            "import requests\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="contextily")},
        ),
        Example(  # VM1's near miss: no run imports a package folder holding no test module
            "import requests\n",
            path="tests/helpers/__init__.py",
            files={"tests/test_a.py": TRIVIAL_TEST, "requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # VM1's near miss: the library the tests sit in is the runtime's to bring
            "import six\n",
            path="pkg/__init__.py",
            files={"pkg/tests/test_a.py": TRIVIAL_TEST, "requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # VM1's near miss: a package's function runs only when a test calls it
            """
            def flatbuffers_version():
                import requests
            """,
            path="tests/__init__.py",
            files={"tests/test_a.py": TRIVIAL_TEST, "requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # scikit-survival installs sksurv, a name no table knows (surpyval, SB4)
            "from sksurv.tree.tree import SurvivalTree\n",
            files={"requirements-test.txt": "pytest>=8\nscikit-survival\n"},
        ),
        Example(  # DK2: h2o-cloud-discovery installs h2o_discovery, its middle word left
            # out (h2o-authn)
            "import h2o_discovery\n",
            files={"requirements-test.txt": "pytest>=8\nh2o-cloud-discovery>=1.1\n"},
        ),
        Example(  # CX1: scspell3k, a Python 3 fork no table knows, installs scspell
            # (colcon-devtools)
            "from scspell import spell_check\n",
            files={"requirements-test.txt": "pytest>=8\nscspell3k>=2.2\n"},
        ),
        Example(  # AC1: graphql-schema-diff installs schemadiff, its last words run together
            # (graph-service-framework)
            "from schemadiff.changes import CriticalityLevel\n",
            files={"requirements-test.txt": "pytest>=8\ngraphql-schema-diff>=1.2\n"},
        ),
        Example(  # AQ1: a client generated for a REST API is named <api>-api-python-client and
            # installs <api>apiclient, the words run together without "python"
            "from acmeapiclient import discovery\n",
            files={"requirements-test.txt": "pytest>=8\nacme-api-python-client>=2\n"},
        ),
        Example(  # AQ2, AQ3, AQ4: what three distributions outside the published table require
            """
            from click.testing import CliRunner  # anaconda-cli-base requires it
            import simplejson  # museval requires it
            import astropy.units as u  # sbpy requires it
            """,
            files={"pyproject.toml": AQ2_PYPROJECT.format(museval=", 'museval>=0.4.0'")},
        ),
        Example(  # AW2, AW3: pyshp installs shapefile; coherence-cli requires numpy (a row
            # each, outside the published table: rastertoolkit, embodiment)
            """
            from shapefile import Reader

            def test_pcm():
                import numpy
            """,
            files={"pyproject.toml": AW2_PYPROJECT.format(shapes="pyshp")},
        ),
        Example(  # BA3: the runtime's turnkey-sdk-types requires pydantic (a row, outside the
            # published table: turnkey-http)
            "from pydantic import ValidationError\n",
            files={"pyproject.toml": BA3_PYPROJECT.format(types="turnkey-sdk-types>=0.2.0")},
        ),
        Example(  # AQ5: a relative folder put on sys.path is read from the root, where the
            # suite runs: the script it imports is the project's own
            AQ5_TEST.format(module="collect_counts"),
            files=AQ5_FILES,
        ),
        Example(  # VA1: the runtime's mcp requires anyio (mcp-server-time, mcp-server-git)
            "import anyio\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['mcp>=1.0', 'pydantic']\n\n"
                    "[dependency-groups]\ndev = ['pytest']\n"
                )
            },
        ),
        Example(  # ZC1: the runtime's edx-rbac requires edx-drf-extensions, which requires
            # djangorestframework (openedx-ledger)
            "from rest_framework.test import APIClient\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['Django', 'edx-rbac']\n\n"
                    "[dependency-groups]\ntest = ['pytest', 'pytest-django']\n"
                )
            },
        ),
        Example(  # a module-level switch, off: flipped by hand to draw the shapes
            """
            GRAPH_MODE = False


            class drawn:
                def __call__(self, func):
                    def run(*args):
                        if GRAPH_MODE:
                            from matplotlib import pyplot as plt
                        return func(*args)

                    return run
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(
            """
            from tests.util import skip_unless_package


            @skip_unless_package("langchain")  # the suite's own skip: runs only with langchain
            def test_retriever():
                from langchain_core.retrievers import BaseRetriever  # langchain requires it
            """,
            files={"requirements-test.txt": "pytest>=8\n", "tests/util.py": ""},
        ),
        Example(
            """
            from tests.deps import jupyter_skip


            @jupyter_skip  # the suite's marker skipping without jupyter (RY4)
            def test_notebook():
                import nbformat  # jupyter brings it, through nbconvert
            """,
            files={"requirements-test.txt": "pytest>=8\n", "tests/deps.py": ""},
        ),
        Example(
            """
            import pytest

            pytestmark = pytest.mark.gpu  # the conftest deselects it unless --gpu (RY5)


            def test_frame():
                import cudf
            """,
            files={"requirements-test.txt": "pytest>=8\n", "tests/conftest.py": OPT_IN_HOOK},
        ),
        Example(  # ZE5: the helper runs only in tests the conftest skips without the package
            ZE5_TEST.format(other=""),
            files={"requirements-test.txt": "pytest>=8\n", "tests/conftest.py": SIBLING_HOOK},
        ),
        Example(
            """
            def test_globals_of_the_module(create_module):
                @create_module  # the fixture makes a module of the function's body
                def module_1():
                    A = int

                def inner():
                    from module_1 import A

                    return A
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(
            """
            import anyio  # httpx2 requires it
            import sniffio  # trio requires it
            import outcome
            from pymongo import read_preferences  # mongoengine requires it
            import factory  # pytest-factoryboy requires factory-boy
            import yaml  # vcrpy requires pyyaml
            from cryptography import x509  # trustme requires it (RU2)
            from dateutil import tz  # arrow requires python-dateutil (RU6)
            from test_utils.retry import RetryErrors  # google-cloud-testutils installs it (RX1)
            import wsgiadapter  # requests-wsgi-adapter provides it (RW3)
            from grpc_reflection.v1alpha import reflection  # grpcio-reflection installs it (VD2)
            from bumpversion.config import get_configuration  # bump-my-version's package (VD2)
            from rich.console import Console  # textual requires rich (VD2)
            import griffe  # griffelib installs it since griffe 2.0 (VC1)
            import eth_account  # web3 requires it (YB1)
            from eth_hash.auto import keccak  # py-evm requires eth-utils, which requires it (YB1)
            import pamqp  # aiormq is built on it (YB1)
            import algosdk  # py-algorand-sdk installs it (YB5)
            import pinocchio  # pin installs it (ZH2)
            import pyautogui  # pytest-dpg requires it (ZH3)
            from ape_ethereum.transactions import TransactionType  # eth-ape installs it (AB2)
            import requests  # haystack-ai requires posthog, which requires it (AB2)
            from django_scopes import scopes_disabled  # pretix requires it (AB2)
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = []

                    [dependency-groups]
                    test = ['pytest', 'trio>=0.34.0', 'httpx2', 'mongoengine', 'pytest-factoryboy',
                        'vcrpy', 'trustme', 'arrow>=1.0.0', 'google-cloud-testutils',
                        'requests-wsgi-adapter', 'grpcio-reflection>=1.60', 'bump-my-version',
                        'textual', 'griffelib>=2.0', 'web3', 'py-evm', 'aiormq',
                        'py-algorand-sdk', 'pin', 'pytest-dpg', 'eth-ape', 'haystack-ai',
                        'pretix==4.16.1']
                    """,
            },
        ),
        Example(  # AG1: what three distributions outside the published table require
            """
            import httpx  # loopgrid requires it
            from dlt.extract.validation import PydanticValidator  # openhound requires it
            import mock  # uw-restclients-core requires it
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['loopgrid>=0.8.0,<0.9', 'uw-restclients-core']

                    [dependency-groups]
                    dev = ['openhound', 'pytest>=9.0.1']
                    """,
            },
        ),
        Example(
            """
            from cassandra.cluster import Cluster  # the extra's scylla-driver installs it (SA1)
            from pymongo import AsyncMongoClient  # the extra's mongoengine requires it (SA2)


            def test_async_db():
                from playhouse.pwasyncio import AsyncSqliteDatabase  # peewee's (SA1)
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = []

                    [project.optional-dependencies]
                    mongoengine = ['mongoengine>=0.23']
                    peewee = ['peewee>=4.0']
                    scylla-driver = ['scylla-driver>=3.25']

                    [dependency-groups]
                    dev = ['pytest']
                    """,
            },
        ),
        Example(
            """
            import requests  # codecov requires it (RY2)
            import yaml  # pre-commit requires pyyaml (RY3)
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = []

                    [tool.uv]
                    dev-dependencies = ['pytest', 'codecov', 'pre-commit']
                    """,
            },
        ),
        Example(
            """
            import nbformat  # nbconvert requires it (RZ1)
            from traitlets import default  # jupyter-server requires it (RZ1)
            import mistune  # jupyter-server requires nbconvert, which requires it (RZ1)
            import parso  # jedi requires it (RZ2)
            from pylsp_jsonrpc.endpoint import Endpoint  # python-lsp-jsonrpc's (RZ3)
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['nbconvert>=6', 'jupyter_server>=1.21', 'jedi>=0.17.2',
                        'python-lsp-jsonrpc>=1.1.0,<2.0.0']

                    [project.optional-dependencies]
                    test = ['pytest']
                    """,
            },
        ),
        Example(
            """
            from jinja2 import Environment  # mkdocs requires it (SC1)
            from click.testing import CliRunner  # and click
            from mkdocs.config import load_config
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['mkdocs >=1.2, <=1.6.1']
                    """,
                "requirements-test.txt": "pytest\n",
            },
        ),
        Example(
            """
            import traitlets  # ipywidgets requires it (RZ1)
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['ipywidgets>=7.6.0']

                    [project.optional-dependencies]
                    test = ['nbval', 'pytest']
                    """,
            },
        ),
        Example(  # RZ6: the project's helper imports aesara by name; its machinery skips
            """
            from demo.external import import_module

            aesara = import_module("aesara")
            if not aesara:
                disabled = True  # the conftest's autouse fixture skips such modules


            def test_function_scalar():
                from aesara.compile.function.types import Function
            """,
            files={
                "requirements-test.txt": "pytest>=8\n",
                "src/demo/__init__.py": "",
                "src/demo/external.py": "def import_module(name): ...\n",
            },
        ),
        Example(  # RU9: the import hook the fixture installs serves sample.xsh
            """
            import pytest

            from demo import imphooks


            @pytest.fixture(autouse=True)
            def imp_env(session):
                imphooks.install_import_hooks(session.execer)


            def test_import():
                import sample

                assert sample.x
            """,
            files={
                "requirements-test.txt": "pytest>=8\n",
                "tests/sample.xsh": "x = 1\n",
                "src/demo/__init__.py": "",
                "src/demo/imphooks.py": "",
            },
        ),
        Example(
            """
            from cleo.io.null_io import NullIO  # poetry requires cleo
            import pkg_resources  # pyramid requires setuptools
            from cryptography.hazmat.primitives import serialization  # pyopenssl requires it
            from BTrees.Length import Length  # ZODB requires BTrees (ZL2)
            import zope.interface  # and zope.interface
            from typing_extensions import ParamSpec  # mypy requires it (ZL4)


            def test_card():
                from smartcard.Exceptions import NoCardException  # pyscard's, of an extra
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['poetry>=2.1', 'pyramid>=1.10', 'ZODB >= 5.1.1']

                    [project.optional-dependencies]
                    tests = ['pytest', 'pyopenssl', 'mypy>=1.4']
                    pcsc = ['pyscard>=1.9']
                    """,
            },
        ),
        Example(
            """
            import importlib.util
            import unittest

            import pytest


            class SSHSigTests(unittest.TestCase):
                def setUp(self):  # every test of the class skips without sshsig
                    if importlib.util.find_spec("sshsig") is None:
                        self.skipTest("sshsig package not available")

                def test_allowed_signers(self):
                    import sshsig.allowed_signers


            @pytest.mark.skip(reason="never runs")
            def test_disabled():
                import manuel.testing
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(
            """
            import pytest
            import requests


            def test_get():
                assert requests.codes.ok == 200


            if __name__ == "__main__":  # run as a script: pytest never imports these
                import yaml
                import test_load

            if 0:  # switched off
                import manuel.testing
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['requests']
                    """,
                "requirements-test.txt": "pytest>=8\n",
            },
        ),
        Example(
            """
            import pytest
            import requests
            import yaml
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['requests']
                    """,
                "requirements-dev.txt": """
                    pytest>=8
                    PyYAML>=6
                    """,
            },
        ),
        Example(
            """
            import os
            import demo.core
            from helpers import make
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    """,
                "src/demo/__init__.py": "",
                "tests/helpers.py": """
                    def make():
                        return 1
                    """,
            },
        ),
        Example(
            """
            import pytest

            numpy = pytest.importorskip('numpy')
            """,
            files={
                "pyproject.toml": """
                [project]
                name = 'demo'
                dependencies = ['pytest']
                """
            },
        ),
        Example(
            """
            import pluggy
            import py
            import pytest
            import xdist
            from _pytest.pytester import Pytester
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = []

                    [tool.pytest.ini_options]
                    addopts = '-p xdist.plugin'
                    """,
            },
        ),
        Example(
            """
            import sys

            if sys.version_info >= (3, 14):
                from compression import zstd
            else:
                from backports import zstd
            import iris
            import tlz
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = [
                        'backports.zstd; python_version < "3.14"', 'scitools-iris', 'toolz',
                    ]
                    """,
            },
        ),
        Example(
            """
            import pytest

            try:
                import cupy
                has_cupy = True
            except ImportError:
                has_cupy = False
            requires_cupy = pytest.mark.skipif(not has_cupy, reason='GPU')


            @requires_cupy
            def test_on_gpu():
                import cupy.linalg
            """,
            files={
                "pyproject.toml": """
                [project]
                name = 'demo'
                dependencies = []
                """
            },
        ),
        Example(
            """
            from pytest_pyodide import run_in_pyodide


            @run_in_pyodide(packages=['micropip'])
            def test_in_pyodide(selenium):
                import micropip
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['pytest-pyodide']
                    """
            },
        ),
        Example(  # a dispatch table: the tensorflow entry runs only for a tensorflow backend
            """
            def test_reduce(backends):
                def logsumexp_tf(x):
                    import tensorflow as tf

                    return tf.reduce_logsumexp(x)

                def logsumexp_numpy(x):
                    return x

                callbacks = {"tf": logsumexp_tf, "numpy": logsumexp_numpy}
                for backend in backends:
                    callbacks[backend.name](backend.data)
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # BX1: enkie requires equilibrator-api, which brings equilibrator-cache through
            # component-contribution (pta's conftest)
            "from equilibrator_cache.compound_cache import CompoundCache\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="enkie>=0.1.2")},
        ),
        Example(  # BU4: covalent-aws-plugins requires covalent, which requires cloudpickle
            # (covalent-ecs-plugin's tests)
            "import cloudpickle as pickle\n",
            files={
                "pyproject.toml": ZG2_PYPROJECT.format(requirement="covalent-aws-plugins>=0.12")
            },
        ),
        Example(  # BU3: the test extra's g4edge-testdata requires GitPython (pyg4ometry)
            "import git\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['numpy']\n\n"
                    "[project.optional-dependencies]\ntest = ['g4edge-testdata', 'pytest']\n"
                )
            },
        ),
        Example(  # BU2: indicio-indy-plenum installs stp_core and crypto and requires libnacl
            # and pympler (indicio-indy-node's tests, per the fork's wheel)
            BU2_TEST,
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="indicio-indy-plenum")},
        ),
        Example(  # BU1: the bare-name twin of a relative import runs only outside a package,
            # where it finds the same sibling file (pyg4ometry's ANTLR visitor, RegionParser)
            BU1_TEST,
            files={
                **BU1_FILES,
                "src/demo/fluka/visitor.py": BU1_MODULE.format(flat="RegionParser"),
            },
        ),
        Example(  # FE2: ANTLR 4.9's test, `__name__ is not None and "." in __name__` (pyshexc's
            # ShExDocVisitor): the other operand always holds, the else still runs only outside
            BU1_TEST,
            files={
                **BU1_FILES,
                "src/demo/fluka/visitor.py": BU1_MODULE.format(flat="RegionParser").replace(
                    'if "."', 'if __name__ is not None and "."'
                ),
            },
        ),
        Example(  # CI2: no declaration installs pyarrow: pytest skips before the import
            CI2_TEST,
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="requests")},
        ),
        Example(  # BQ4: the module's pytestmark skips on a check another module computes
            BQ4_TEST.format(condition="not native_available()", reason="native optional"),
            files=BQ4_FILES,
        ),
        Example(  # a skip condition another module computes may check any package (QN7)
            """
            import pytest

            from demo.testing import run_test_for_class
            from demo.filters import KalmanFilter


            @pytest.mark.skipif(
                not run_test_for_class(KalmanFilter), reason="soft dependencies missing"
            )
            def test_against_reference():
                from filterpy.kalman import batch_filter
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'

                    [dependency-groups]
                    test = ['pytest']
                    """,
                "demo/__init__.py": "",
                "demo/testing.py": "def run_test_for_class(cls):\n    return False\n",
                "demo/filters.py": "class KalmanFilter:\n    pass\n",
            },
        ),
        Example(
            """
            import sys

            import pytest


            @pytest.mark.skipif(sys.platform != 'win32', reason='Windows only')
            def test_credentials():
                from win32ctypes.core import _authentication
                import sqlitevec
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = [
                        'pywin32-ctypes>=0.2.0; sys_platform=="win32"', 'python-sqlite-vec',
                    ]

                    [dependency-groups]
                    test = ['pytest']
                    """,
            },
        ),
        Example(
            """
            import _demo_fsevents
            import _vendored_helper
            import demo_speedups
            import fastpath.core
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = []

                    [project.optional-dependencies]
                    test = ['pytest']

                    [[tool.setuptools.ext-modules]]
                    name = 'demo_speedups'
                    sources = ['src/speedups.c']
                    """,
                "setup.py": """
                    from setuptools import Extension, setup

                    EVENTS = '_demo_fsevents'
                    setup(
                        ext_modules=[
                            Extension(name=EVENTS, sources=['ev.c']),
                            Extension('fastpath.core', ['fast.c']),
                        ],
                    )
                    """,
            },
        ),
        Example(  # AF2: flit's legacy table declares the runtime and the extras (statelit)
            AF2_TEST.format(third="pytest_cov"),
            files={"pyproject.toml": AF2_PYPROJECT},
        ),
        Example(  # AF1: a maturin build compiles the Rust crate Cargo.toml names (orjson-pydantic)
            AF1_TEST,
            files={
                "pyproject.toml": AF1_PYPROJECT.format(backend="maturin"),
                "Cargo.toml": AF1_CARGO,
            },
        ),
        Example(  # AF1: ``[tool.maturin] module-name`` names the module, whatever the crate is
            AF1_TEST,
            files={
                "pyproject.toml": AF1_PYPROJECT.format(backend="maturin")
                + "\n[tool.maturin]\nmodule-name = 'orjson._native'\n",
                "Cargo.toml": "[package]\nname = 'fastjson-core'\n",
            },
        ),
        Example(
            """
            import pytest
            import requests
            import urllib3  # requests requires it: there whenever the line above imports

            pytest.importorskip('pandas.io.formats.style')
            import jinja2  # that module's own import: skipped on when missing
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['requests', 'pandas']

                    [dependency-groups]
                    test = ['pytest']
                    """
            },
        ),
        Example(
            """
            import coverage
            import execnet
            import pathspec
            import pycodestyle
            import trove_classifiers
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['hatchling>=1.27']

                    [dependency-groups]
                    test = ['pytest', 'pytest-cov', 'pytest-xdist', 'flake8']
                    """,
            },
        ),
        Example(
            """
            import sys
            import tempfile
            from pathlib import Path


            def setup_module(module):  # writes the module its tests import, before them
                folder = Path(tempfile.mkdtemp())
                (folder / "re_python_pysrc.py").write_text("ffi = object()\n")
                sys.path.insert(0, str(folder))


            def test_constant():
                from re_python_pysrc import ffi

                assert ffi is not None
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(
            """
            import sys
            from unittest import mock

            import pytest
            from testkit import Replacer, ShouldRaise


            def test_replaced_path(tmp_path):  # replaces sys.path by name: imports what it wrote
                (tmp_path / "module.py").write_text("foo = 1")
                with Replacer() as r:
                    r.replace("sys.path", [str(tmp_path)])
                    from module import foo


            def test_patched_path(tmp_path):
                with mock.patch.object(sys, "path", [str(tmp_path)]):
                    import written_module


            def test_missing():  # expects the import to fail
                with pytest.raises(ImportError):
                    import not_installed_a
                with ShouldRaise(ModuleNotFoundError("No module named 'not_installed_b'")):
                    import not_installed_b.sub
            """,
            files={"requirements-test.txt": "pytest>=8\ntestkit\n"},
        ),
        Example(
            """
            import contextlib
            import site
            import sys


            @contextlib.contextmanager
            def import_state(extra_site):  # puts the test's own folder on the import path
                saved = list(sys.path)
                site.addsitedir(str(extra_site))
                try:
                    yield
                finally:
                    sys.path[:] = saved


            def test_make_project(tmp_path):
                (tmp_path / "foo.py").write_text("var = 42")
                with import_state(tmp_path):
                    import foo  # the module the test just wrote

                    assert foo.var == 42
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(
            """
            import sys
            from types import ModuleType
            from unittest.mock import patch

            import pytest


            @pytest.fixture(autouse=True)
            def fake_django():  # the test imports this stand-in, never Django
                module = ModuleType("django.core.management.base")
                module.BaseCommand = object
                with patch.dict("sys.modules", {"django.core.management.base": module}):
                    yield


            def test_command(monkeypatch):
                monkeypatch.setitem(sys.modules, "yaml", ModuleType("yaml"))
                import yaml
                from django.core.management.base import BaseCommand
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(
            """
            def _test_pearson():  # a leftover nothing calls: pytest never imports statsutils
                from statsutils import pearson_type

                return pearson_type


            def test_mean():
                assert sum([1, 2, 3]) / 3 == 2
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # UB2: a Poetry dependency's extras = [...] are read as pyjwt[crypto]'s
            """
            from cryptography.hazmat.primitives import serialization  # pyjwt's crypto extra
            """,
            files={"pyproject.toml": POETRY_PYJWT.format(extras=', extras = ["crypto"]')},
        ),
        Example(
            """
            from service_identity.cryptography import verify_certificate_hostname  # twisted[tls]
            from cryptography.hazmat.primitives import hashes  # pyopenssl of twisted[tls]
            import websockets  # uvicorn[standard]: an extra no table knows may bring anything
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['Twisted[tls] >= 22.10.0', 'uvicorn[standard]']

                    [project.optional-dependencies]
                    dev = ['pytest']
                    """,
            },
        ),
        Example(
            """
            import pytest

            from tests.util import is_opencolorio_installed


            def test_process_image():
                if not is_opencolorio_installed():  # the project's try-import of it
                    return

                import PyOpenColorIO  # runs only where the helper found it


            def test_process_other():
                if not is_opencolorio_installed():
                    pytest.skip("OpenColorIO is not installed")
                from PyOpenColorIO import Config
            """,
            files={"requirements-test.txt": "pytest>=8\n", "tests/util.py": ""},
        ),
        Example(
            """
            import PyOpenColorIO  # shipped by the declared opencolorio, which no table names
            """,
            files={"requirements-test.txt": "pytest>=8\nopencolorio>=2\n"},
        ),
        Example(  # unittest's conditional skip on the availability flag (ZK2)
            """
            import unittest

            try:
                import zlmdb.flatbuffers

                HAS_ZLMDB = True
            except ImportError:
                HAS_ZLMDB = False


            class TestSync(unittest.TestCase):
                @unittest.skipUnless(HAS_ZLMDB, "zlmdb not installed")
                def test_in_sync(self):
                    import zlmdb.flatbuffers


            @unittest.skipIf(not HAS_ZLMDB, "zlmdb not installed")
            def test_other():
                import zlmdb
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # the project module imported first needs aioboto3, which brings boto3 (ZK6)
            """
            import pytest

            import demo.backends.dynamodb


            def is_dynamodb_running():
                import boto3

                return boto3.client("dynamodb") is not None


            pytestmark = pytest.mark.skipif(not is_dynamodb_running(), reason="no dynamodb")
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'

                    [project.optional-dependencies]
                    dynamodb = ['aioboto3']
                    test = ['pytest']
                    """,
                "demo/__init__.py": "",
                "demo/backends/__init__.py": "",
                "demo/backends/dynamodb.py": "import aioboto3\n",
            },
        ),
        Example(  # the test expects the import to fail (ZK5)
            """
            import pytest


            def test_raises():
                with pytest.raises(ImportError):
                    import nonexistent_module


            def test_placeholder_backend():
                class Backend:
                    def __init__(self):
                        import nonexistent_module

                try:
                    Backend()
                except ImportError as e:
                    assert "nonexistent" in str(e)


            def test_loader():
                def load():
                    import nonexistent_module

                with pytest.raises(ModuleNotFoundError):
                    load()
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # CV1: the package's __init__.py puts its vendor/ folder, holding ovs, on sys.path
            CV1_TEST,
            files={**CV1_FILES, "ovs_dbg/__init__.py": CV1_INIT},
        ),
        Example(  # CR1: a helper whose import must fail, handed on by a test asserting it did
            CR1_TEST,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # Python 2 branches: no pytest of the last years runs them (ZK4)
            """
            import sys

            if sys.version_info[0] == 2:
                from cStringIO import StringIO

                if sys.version_info < (2, 7):
                    import unittest2 as unittest
            else:
                from io import StringIO

            if sys.version_info >= (3,):
                import io
            else:
                import funcsigs
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # CL5: the skip guarding flask sits in a branch every Python 3 takes
            CL5_TEST.format(condition="sys.version_info < (3, 0) or sys.version_info >= (3, 3)"),
            files=CL5_FILES,
        ),
        Example(  # CL1: a branch for Pythons before 3.3, which no pytest of the last years runs
            """
            import sys

            if sys.version_info < (3, 3):
                from mock import patch
            else:
                from unittest.mock import patch
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # pytest-asyncio requires it before Python 3.11 (ZK1)
            """
            import sys

            if sys.version_info >= (3, 11):
                from asyncio import Runner
            else:
                from backports.asyncio.runner import Runner
            """,
            files={"requirements-test.txt": "pytest>=8\npytest-asyncio\n"},
        ),
        Example(  # pytest itself requires them before Python 3.11 (ZH1)
            """
            import sys

            if sys.version_info >= (3, 11):
                import tomllib
            else:
                import tomli as tomllib

            if sys.version_info < (3, 11):
                from exceptiongroup import ExceptionGroup
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(
            """
            import dbapi20  # what the repository the test requirements name installs (ZL5)
            """,
            files={
                "requirements-test.txt": (
                    "git+https://github.com/org/dbapi-compliance.git@ea7cb1b4"
                    "#egg=dbapi-compliance\npytest>=8\n"
                )
            },
        ),
        Example(  # RV2: the fixture returns what it importorskips, before the test runs
            """
            def test_template(excitingtools):
                from excitingtools.input.bandstructure import band_structure
            """,
            files={
                "requirements-test.txt": "pytest>=8\n",
                "tests/conftest.py": """
                    import pytest


                    @pytest.fixture()
                    def excitingtools():
                        return pytest.importorskip("excitingtools")
                    """,
            },
        ),
        Example(  # ZB10: the fixture's try-import skips where the package is missing
            ZB10_TEST,
            files={
                "requirements-test.txt": "pytest>=8\n",
                "tests/conftest.py": ZB10_CONFTEST.format(handler='pytest.skip("no genbench")'),
            },
        ),
        Example(  # AT1's near miss: the test module skips on the helper's package first
            'import pytest\n\npytest.importorskip("factory")\n\n' + AT1_TEST,
            files=AT1_FILES,
        ),
        Example(  # AT1's near miss: no package holds the module, so the import fails first
            AT1_TEST,
            files={"requirements-test.txt": "pytest>=8\n", "tests/factories.py": AT1_FACTORIES},
        ),
        Example(  # AO3: a conftest fixture that no file of the suite requests never runs
            AO3_CONFTEST,
            path="tests/conftest.py",
            files={"requirements-test.txt": "pytest>=8\n", "tests/test_a.py": AO3_TEST},
        ),
        Example(  # RV3: a test module's fixture that nothing in the module requests never runs
            """
            import pytest


            @pytest.fixture(scope="module")
            def cat_plugin():
                from ase_entry_demo.plugin import Plugin

                return Plugin(name="Felix")


            def test_build(sample_plugins):
                assert sample_plugins
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # RV5: import names of distributions named otherwise, and what they require
            """
            from CifFile.yapps3_compiled_rt import YappsSyntaxError  # pycifrw's
            import cupyx.scipy.ndimage  # cupy-cuda12x's
            import nbformat  # nbsphinx requires it
            import plotly.graph_objs as go  # pymatgen-core requires it
            import yaml  # pre-commit requires pyyaml
            import dask  # reproject requires it
            """,
            files={
                "requirements-test.txt": (
                    "pytest\npycifrw\ncupy-cuda12x\nnbsphinx\npymatgen-core\npre-commit\n"
                    "reproject\n"
                )
            },
        ),
        Example(  # RV6: a helper that only tests marked for tifffile call
            """
            import importlib.util

            import pytest

            _HAS_TIFFFILE = importlib.util.find_spec("tifffile") is not None
            _requires_tifffile = pytest.mark.skipif(not _HAS_TIFFFILE, reason="tifffile")
            LERC_AVAILABLE = importlib.util.find_spec("lerc") is not None


            def _write_tiff(path, data):
                import tifffile  # gated by _requires_tifffile on every caller

                tifffile.imwrite(path, data)


            @_requires_tifffile
            @pytest.mark.parametrize("planar", ["separate", "contig"])
            def test_planar(planar, tmp_path):
                _write_tiff(tmp_path / "a.tif", planar)


            @pytest.fixture
            def lerc_writer(monkeypatch):
                import lerc  # requested only by the tests of a class marked for lerc

                return lerc


            @pytest.mark.skipif(not LERC_AVAILABLE, reason="lerc not installed")
            class TestLerc:
                def test_mask(self, lerc_writer):
                    assert lerc_writer
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # FB1: a helper every caller of which importorskips its package first
            """
            import pytest


            def _measure(pid):
                import psutil  # runs only past each caller's importorskip

                return psutil.Process(pid).memory_info()


            def test_lexical_load():
                pytest.importorskip("psutil")
                pytest.importorskip("mcp")
                assert _measure(1)


            def test_semantic_load():
                pytest.importorskip("psutil")
                assert _measure(2)
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # RV8: a Python 2 fallback for a builtin every Python 3 has never runs
            """
            try:
                set
            except NameError:  # older Python versions
                from sets import Set as set
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # UC1: a Java package that JPype's import hook serves from the JVM
            """
            import jpype
            import jpype.imports

            jpype.startJVM(classpath="lib/*")

            from org.apache.drill.jdbc import Driver
            from java.lang import String


            def test_driver():
                assert Driver and String
            """,
            files={"requirements-test.txt": "pytest>=8\njpype1\n"},
        ),
        Example(  # SD4: a schema beside the test that pycapnp's import hook serves
            """
            import capnp
            import test_capability_capnp as capability


            def test_server():
                assert capability.TestInterface
            """,
            files={
                "requirements-test.txt": "pytest>=8\npycapnp\n",
                "tests/test_capability.capnp": "",
            },
        ),
        Example(  # SD1: a Cython source beside the test, which the build compiles there
            """
            import test_utils


            def test_checksum():
                assert test_utils.hashNumpyArray([])
            """,
            files={
                "requirements-test.txt": "pytest>=8\n",
                "tests/test_utils.pyx": "def f(): pass\n",
            },
        ),
        Example(  # SE3: past a try-import whose handler skips, the package is installed
            """
            import unittest


            class TestPerson(unittest.TestCase):
                def test_django_person(self):
                    try:
                        import django
                    except ImportError:
                        self.skipTest("Requires Django to be installed")
                    from django.http.request import HttpRequest
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(  # UD2: the class's data names the module its setup builds on sys.path
            """
            import unittest


            class ModulesFiles(unittest.TestCase):
                spec = {"mod.py": "", "res.txt": "resources"}

                def test_module_resources(self):
                    import mod


            class NamespaceTests(unittest.TestCase):
                MODULE = "namespacedata01"

                def test_namespace(self):
                    import namespacedata01
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
        ),
        Example(
            "import click  # the workspace sibling kctl-lib may require it (VD1)\n",
            files={"pyproject.toml": UV_SOURCED % "{ workspace = true }"},
        ),
        Example(  # ZB11: the fork pookx installs pook (aa-blueprints)
            "import pook\n",
            files={"requirements-test.txt": "pytest>=8\npookx\n"},
        ),
        Example(  # ZB12: statsmodels 0.15 requires formulaic, which requires it (mobgap)
            "from typing_extensions import Self\n",
            files={"requirements-test.txt": "pytest>=8\nstatsmodels\n"},
        ),
        Example(  # ZB6: perceval requires python-dateutil (perceval-weblate)
            "import dateutil.parser\n",
            files={"requirements-test.txt": "pytest>=8\nperceval>=0.19\n"},
        ),
        Example(  # ZB4: import names their distributions do not spell (mobgap, bsbgateway)
            "import cattr\nimport pywt\n",
            files={"requirements-test.txt": "pytest>=8\ncattrs\npywavelets\n"},
        ),
        Example(  # ZB1: the required demo-runtime ships in runtime/, which requires deal
            "import deal\n",
            files={
                "pyproject.toml": IN_TREE,
                "runtime/pyproject.toml": IN_TREE_SIBLING % "demo-runtime",
            },
        ),
        Example(  # sphinx-book-theme requires pydata-sphinx-theme, which requires it (VC2)
            "from bs4 import BeautifulSoup\n",
            files={"requirements-test.txt": "pytest>=8\nsphinx-book-theme\n"},
        ),
        Example(  # YC1: what the runtime's llm, fastmcp, oceanum and tox's pytest-recording bring
            """
            import vcr  # pytest-recording requires vcrpy
            from click.testing import CliRunner  # llm requires click
            from pydantic import BaseModel  # and pydantic
            from mcp.shared.exceptions import McpError  # fastmcp requires mcp
            from starlette.testclient import TestClient  # which requires starlette
            import dask.array as da  # oceanum requires dask
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['llm>=0.32', 'fastmcp>=4.0', 'oceanum>=1.2.1']
                    """,
                "tox.ini": "[testenv]\ndeps =\n    pytest\n    pytest-recording\n",
            },
        ),
        Example(  # ZF5: mathics is Mathics3's package; plain (the framework) requires click
            "from mathics.core.builtin import Builtin\nfrom click.testing import CliRunner\n",
            files={"requirements.txt": "Mathics3>=10\nplain>=0.135\n"},
        ),
        Example(  # ZA4: pwem is scipion-em's package
            "from pwem.protocols import ProtImportParticles\n",
            files={"requirements.txt": "scipion-em\nscipion-pyworkflow\n"},
        ),
        Example(  # ZA1: google.rpc is googleapis-common-protos', which p4runtime requires
            """
            from google.rpc import code_pb2
            from google.api import annotations_pb2
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['p4runtime>=1.5', 'grpcio>=1.60']

                    [project.optional-dependencies]
                    test = ['pytest']
                    """,
            },
        ),
        Example(  # ZA2: langchain-core brings langsmith and so requests and urllib3;
            # pymdoccbor brings pycose, faster-whisper huggingface-hub
            """
            import urllib3
            from pycose.headers import Algorithm
            import huggingface_hub
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['langchain-core>=0.3', 'pymdoccbor>=1.0', 'faster-whisper']

                    [project.optional-dependencies]
                    test = ['pytest']
                    """,
            },
        ),
        Example(  # ZD2, ZI1: what qiskit, grpcio-health-checking, PennyLane, jupyterlab bring
            "import numpy as np\nfrom scipy.linalg import expm\nimport grpc\n"
            "from typing_extensions import Self  # qiskit since 1.0\n"
            "from IPython.display import display  # jupyterlab brings it\n"
            "import nbformat  # nbstripout brings it\nimport autograd  # and PennyLane this\n",
            files={
                "pyproject.toml": "[project]\nname = 'demo'\n"
                "dependencies = ['qiskit>=2.0', 'grpcio-health-checking', 'pennylane']\n",
                "requirements-test.txt": "pytest>=8\njupyterlab\nnbstripout\n",
            },
        ),
        Example(  # ZE1: graphene-django brings graphene and so graphql-relay; python-docx lxml
            "from graphql_relay import to_global_id\nfrom lxml import etree\n",
            files={
                "pyproject.toml": "[project]\nname = 'demo'\n"
                "dependencies = ['graphene-django>=3.0', 'python-docx>=1.1']\n"
                "[project.optional-dependencies]\ntest = ['pytest']\n",
            },
        ),
        Example(  # AJ1: a module-level skip on a flag the suite's helper module computes
            AJ1_TEST.format(flag="from ._deps import ds", condition="not ds"),
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="six")},
        ),
        Example(  # AJ2's near miss: a tree that compiles code may build the private module
            AJ2_TEST,
            files={
                "pyproject.toml": ZG2_PYPROJECT.format(requirement="six"),
                "src/demo/speedups.c": "",
            },
        ),
        Example(  # BI3's near miss: below a module file, which may make itself a package
            BI3_TEST,
            files={"pyproject.toml": BI3_PYPROJECT, "tests/fakes.py": "__path__ = []\n"},
        ),
        Example(  # BI3's near miss: another folder of that name holds it, which pytest's
            # rootdir insertion may put first (katana's server/tests/factories.py)
            BI3_TEST,
            files={
                "pyproject.toml": BI3_PYPROJECT,
                "server/tests/__init__.py": "",
                "server/tests/fakes/payloads.py": "TICKER = 1\n",
            },
        ),
        Example(  # BI3's near miss: a folder named after a distribution the tables know may be
            # a portion of its namespace (a pelican plugin's pelican/plugins/share/)
            "from pelican.generators import ArticlesGenerator\n",
            path="pelican/plugins/share/test_share.py",
            files={"pyproject.toml": BI3_PYPROJECT},
        ),
        Example(  # BV1: the folder is the package hatch's wheel installs, a namespace without an
            # __init__.py that the declared cognite-sdk shares (cognite-ai's cognite/ai/)
            BV1_TEST,
            path="cognite/ai/test_query.py",
            files={"pyproject.toml": BV1_PYPROJECT.format(build=BV1_HATCH), **BV1_FILES},
        ),
        Example(  # AJ2's near miss: the build writes it (setuptools-scm's write_to)
            "from _version import version\n",
            files={
                "pyproject.toml": ZG2_PYPROJECT.format(requirement="six")
                + "[tool.setuptools_scm]\nwrite_to = 'tests/_version.py'\n"
            },
        ),
        Example(  # AJ2's near miss: a stand-in in sys.modules answers the import
            """
            import sys
            import types

            sys.modules["_util"] = types.ModuleType("_util")
            from _util import make_song
            """,
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="six")},
        ),
        Example(  # BE1: the project's backend puts the engine's checkout on sys.path and
            # imports its modules by name; the test's body imports one after the fixture ran it
            BE1_TEST,
            path="tests/test_engine.py",
            files={**BE1_FILES, "demo/backend.py": BE1_BACKEND},
        ),
        Example(  # CN1: the body imports a notebook beside the test in importnb's hook context
            CN1_TEST,
            path="docs/test_notebooks.py",
            files={**CN1_FILES, "docs/Untitled42.ipynb": "{}"},
        ),
        Example(  # AU1: a conftest above the test put the modules into sys.modules first
            """
            import gcode

            from demo.homing import CommandError
            """,
            path="tests/klipper/test_homing.py",
            files=AU1_FILES,
        ),
        Example(  # BN3's near miss: below a folder that lies in no package, the package is
            # a top-level module of the project (its folder may be put on sys.path)
            "from alchemical.aio import Alchemical\n",
            files={"requirements-test.txt": "pytest>=8\n", **BN3_PLAIN},
        ),
        Example(  # BS3's near miss: a package's json/ never hides the standard json
            "import json\n",
            path="demo/test_models.py",
            files={
                "setup.py": "from setuptools import setup\nsetup(name='demo')\n",
                "demo/__init__.py": "",
                "demo/json/__init__.py": "",
            },
        ),
        Example(  # CK1: the conftest's loop puts each folder below bridges/, ros/ too, on
            # sys.path, so the module beside the test imports by its bare name
            "from ros_bridge import AuditedNode\n",
            path="bridges/ros/test_ros_bridge.py",
            files=ck1_files("Path(__file__).parent"),
        ),
        Example(  # BY4: the class's setUp puts the test's folder on sys.path before each test
            BY4_TEST.format(other=""), path="demo/test/test_pkg.py", files=BY4_FILES
        ),
        Example(  # BY4: the setUp may be written below the tests it runs before
            """
            import os
            import sys
            import unittest

            HERE = os.path.dirname(__file__)


            class TestPkg(unittest.TestCase):
                def test_reload(self):
                    import pkg

                def setUp(self):
                    sys.path.append(HERE)
            """,
            path="demo/test/test_pkg.py",
            files=BY4_FILES,
        ),
        Example(  # BS3's near miss: a folder without __init__.py is what pytest puts on
            # sys.path, so the module beside the test is a top-level module
            "import globalvar\n",
            path="demo/test_gpu.py",
            files={"requirements-test.txt": "pytest>=8\n", "demo/globalvar.py": "X = 1\n"},
        ),
        Example(  # DZ2: the module-level else: binds the folder and puts it on sys.path, so
            # clipboard is demo/linux/clipboard.py (pywinauto's unittests/test_mouse.py)
            DZ2_TEST,
            path="demo/unittests/test_mouse.py",
            files=dz2_files("demo/linux/clipboard.py"),
        ),
        Example(  # DZ2: bound once in the module-level try, put on sys.path after it
            DZ2_AFTER_TRY,
            path="demo/unittests/test_mouse.py",
            files=dz2_files("demo/linux/clipboard.py"),
        ),
        Example(  # FL1: os.path.sep.join of a tuple names the folder as os.path.join does
            FL1_TEST,
            path="demo/unittests/test_mouse.py",
            files=dz2_files("demo/linux/clipboard.py"),
        ),
        Example(  # EE1: the package's __init__.py runs unittest's discover, which puts test/
            # itself first on sys.path before any module of the package is imported
            "from test_client import TestClient\n",
            path="test/test_client_ax.py",
            files={
                "setup.py": "from setuptools import setup\nsetup(name='demo')\n",
                "test/__init__.py": EE1_INIT,
                "test/test_client.py": "class TestClient: ...\n",
            },
        ),
        Example(  # EE1: an __init__.py above it appending the package's folder to sys.path
            "import globalvar\n",
            path="demo/sub/test_gpu.py",
            files={
                "setup.py": "from setuptools import setup\nsetup(name='demo')\n",
                "demo/__init__.py": (
                    "import os, sys\n"
                    "sys.path[:0] = [os.path.join(os.path.dirname(__file__), 'sub')]\n"
                ),
                "demo/sub/__init__.py": "",
                "demo/sub/globalvar.py": "X = 1\n",
            },
        ),
    )
    INVALID = (
        Example(  # FF1's near miss: the class skips on another package's find_spec
            FF1_TEST.format(skipped="pandas"),
            files={"requirements-test.txt": "pytest>=8\n"},
            line=9,
        ),
        Example(  # FC1: a bare import of a module a test of the same folder (no __init__.py)
            # imports as its sibling: the suite's helper the sdist left out (compel's
            # prompting_test_utils), test dependencies declared nowhere
            "from prompting_utils import Dummy\n",
            path="test/test_smoke.py",
            files={
                "pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['six']\n",
                "test/test_rel.py": "from .prompting_utils import Dummy\n",
            },
            line=1,
        ),
        Example(  # ER1's near miss: the script's inline block declares another distribution
            ER1_SCRIPT.format(declared="httpx"),
            path="scripts/test_gmail.py",
            files=ER1_FILES,
            line=6,
        ),
        Example(  # ER1's near miss: without testpaths a plain pytest collects the script too
            ER1_SCRIPT.format(declared="requests"),
            path="scripts/test_gmail.py",
            files={**ER1_FILES, "pytest.ini": "[pytest]\n"},
            line=6,
        ),
        Example(  # EN1's near miss: the folder of the requirement file holds no test module
            "import jsonschema\n",
            path="e2e_benchmarks/test_example.py",
            files={
                "requirements.txt": "six\n",
                "examples/requirement.txt": "jsonschema==4.17.3\n",
                "examples/demo.py": "",
            },
            line=1,
        ),
        Example(  # EU1's near miss: past is future's, which no requirement declares
            "from past.builtins import basestring\n",
            files={"requirements-test.txt": "pytest>=8\nsix\n"},
            line=1,
        ),
        Example(  # FN1's near miss: connected-components-3d declared, cc3d's own name not
            "import cc3d\nimport fastremap\n",
            files={"requirements-test.txt": "pytest>=8\nconnected-components-3d>=3\n"},
            line=2,
        ),
        Example(  # EF1's near miss: nothing in the suite imports clr
            "import System\n",
            files={"requirements-test.txt": "pytest>=8\n"},
            line=1,
        ),
        Example(  # EF1's near miss: under clr, a lower-case name is no .NET namespace
            "import clr\nimport systemtools\n",
            files={"requirements-test.txt": "pytest>=8\npythonnet>=3\n"},
            line=2,
        ),
        Example(  # DF4: the fixture that skips is no autouse one, and the test requests none
            DF4_TEST.format(arguments=""),
            files={"requirements-test.txt": "pytest>=8\n"},
            line=11,
        ),
        Example(  # shogym's near miss: the helper only prints, so the import runs anyway
            SKIP_HELPER_TEST.format(handler="print(exc)"),
            files={"requirements-test.txt": "pytest>=8\n", "shogym/__init__.py": ""},
            line=15,
        ),
        Example(  # shogym's near miss: the module-level skip is about the platform
            OPT_IN_MODULE_TEST.format(condition='os.name == "nt"'),
            files={"requirements-test.txt": "pytest>=8\n"},
            line=10,
        ),
        Example(  # DF2: no declaration names the package the build leaves out
            "from version_drift import inspect_project\n",
            files={"pyproject.toml": DF2_PYPROJECT.format(extra="other>=1")},
            line=1,
        ),
        Example(  # CP2's near miss: no google-genai release requires vcrpy
            "import vcr\n",
            files={"tests/requirements.txt": "google-genai==2.32.0\npytest>=8\n"},
            line=1,
        ),
        Example(  # BS3: globalvar beside the test is demo.globalvar, demo/ being a package
            "import globalvar\n",
            path="demo/test_gpu.py",
            files={
                "setup.py": "from setuptools import setup\nsetup(name='demo')\n",
                "demo/__init__.py": "",
                "demo/globalvar.py": "X = 1\n",
            },
            line=1,
        ),
        Example(  # DZ2's near miss: the except branch binds the folder too, so which one
            # is put on sys.path is not known, and clipboard is read as a distribution
            DZ2_AFTER_TRY.replace('raise SystemExit("run me with pytest")', "parent_dir = '.'"),
            path="demo/unittests/test_mouse.py",
            files=dz2_files("demo/linux/clipboard.py"),
        ),
        Example(  # FL1's near miss: the joined folder holds no clipboard, which is then
            # read as a distribution no one declares
            FL1_TEST,
            path="demo/unittests/test_mouse.py",
            files=dz2_files("demo/clipboard.py"),
            line=9,
        ),
        Example(  # DZ2's near miss: the folder the block puts on sys.path holds no
            # clipboard; the package's own demo/clipboard.py is demo.clipboard
            DZ2_TEST,
            path="demo/unittests/test_mouse.py",
            files=dz2_files("demo/clipboard.py"),
            line=9,
        ),
        Example(  # EE1's near miss: the package's __init__.py only reads sys.path and runs
            # the suite's own loader by another name, so nothing puts test/ on it
            "from test_client import TestClient\n",
            path="test/test_client_ax.py",
            files={
                "setup.py": "from setuptools import setup\nsetup(name='demo')\n",
                "test/__init__.py": EE1_INIT.replace("discover", "loadTestsFromName").replace(
                    "sys.path.append('../demo')", "print(sys.path)"
                ),
                "test/test_client.py": "class TestClient: ...\n",
            },
            line=1,
        ),
        Example(  # DH1: tests/unit/ without __init__.py puts itself on sys.path, not the
            # tests/ package above it, so tests/bench/ is tests.bench, no top-level bench
            "from bench.record import Record\n",
            path="tests/bench/test_record.py",
            files={
                "requirements-test.txt": "pytest>=8\n",
                "tests/__init__.py": "",
                "tests/bench/__init__.py": "",
                "tests/unit/test_unit.py": "def test_unit():\n    pass\n",
            },
            line=1,
        ),
        Example(  # CK1's near miss: the folder the loop lists is not known for certain (an
            # environment variable's): the module beside the test stays the package's
            "from ros_bridge import AuditedNode\n",
            path="bridges/ros/test_ros_bridge.py",
            files=ck1_files('Path(os.environ["BRIDGES"])'),
            line=1,
        ),
        Example(  # CL5's near miss: a branch only Python 3.11 and later take
            CL5_TEST.format(condition="sys.version_info >= (3, 11)"),
            files=CL5_FILES,
            line=10,
        ),
        Example(  # CL1's near miss: Python 3.7, below 3.8, still runs pytest 7
            """
            import sys

            if sys.version_info < (3, 8):
                from mock import patch
            else:
                from unittest.mock import patch
            """,
            files={"requirements-test.txt": "pytest>=7\n"},
            line=4,
        ),
        Example(  # BY4's near miss: another class of the module has no such setUp
            BY4_TEST.format(other=BY4_OTHER),
            path="demo/test/test_pkg.py",
            files=BY4_FILES,
            line=21,
        ),
        Example(  # BO4's near miss: psutil requires no scipy
            BO4_TEST,
            files={"pyproject.toml": BO4_PYPROJECT.format(requirement="psutil>=5.8")},
            line=2,
        ),
        Example(  # CI2's near miss: the runtime requirements install pyarrow, so the import runs
            CI2_TEST,
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="pyarrow")},
            line=4,
        ),
        Example(  # BP8's near miss: one case turns the switch on
            BP8_TEST.format(values="[False, True]"),
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="numpy")},
            line=7,
        ),
        Example(  # BP8's near miss: the values go to a fixture of that name (indirect)
            BP8_TEST.format(values="[False], indirect=True"),
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="numpy")},
            line=7,
        ),
        Example(  # BP6's near miss: a dashed name says nothing of a namespace package
            "from dioptic import profileparser\n",
            files={"pyproject.toml": BP6_PYPROJECT.format(name="dioptic-profileparser")},
            line=1,
        ),
        Example(  # BP2's near miss: tomo is scipion-em-tomo's, which scipion-em does not require
            "from pwem.protocols import ProtImportMovies\n"
            "from tomo.objects import SetOfTiltSeries\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="scipion-em>=3.11.0")},
            line=2,
        ),
        Example(  # CJ1's near miss: ratatui loads the C library by ctypes, installs no ratatui_ffi
            "import ratatui_ffi\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="ratatui>=0.4.2")},
            line=1,
        ),
        Example(  # BP3's near miss: karabo-native, which karabo-cpp requires, installs no karabind
            "from karabind import EventLoop\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="karabo-native==3.1.2")},
            line=1,
        ),
        Example(  # BP4's near miss: tomtoolkit brings Django, not factory_boy
            "import factory\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="tomtoolkit>=3.0.1")},
            line=1,
        ),
        Example(  # CV1's near miss: the insertion is in a function that importing never runs
            CV1_TEST,
            files={
                **CV1_FILES,
                "ovs_dbg/__init__.py": CV1_INIT.replace(
                    'if "ovs" not in sys.modules:', "def use():"
                ),
            },
            line=1,
        ),
        Example(  # CN1's near miss: importnb only loads a file; no with-block installs its hook
            """
            from importnb import Notebook


            def test_basic():
                assert Notebook.load_file("docs/Untitled42.ipynb")
                import Untitled42
            """,
            path="docs/test_notebooks.py",
            files={**CN1_FILES, "docs/Untitled42.ipynb": "{}"},
            line=6,
        ),
        Example(  # CN1's near miss: a module-level import runs before any hook is installed
            "import Untitled42\n",
            path="docs/test_notebooks.py",
            files={**CN1_FILES, "docs/Untitled42.ipynb": "{}"},
            line=1,
        ),
        Example(  # BE1's near miss: the backend only looks the module up, on no path of its own
            BE1_TEST,
            path="tests/test_engine.py",
            files={
                **BE1_FILES,
                "demo/backend.py": BE1_BACKEND.replace("    sys.path.insert(0, root)\n", ""),
            },
            line=7,
        ),
        Example(  # BF4's near miss: the guarded load is a written import, of another package
            BF4_TEST.format(body="import numpy"),
            files={"requirements-test.txt": "pytest>=8\n"},
            line=18,
        ),
        Example(  # BF3's near miss: a test reaches the helper through the same chain
            BF3_SCRIPT.format(other="\n\ndef test_validation():\n    run_validation()\n"),
            files={"requirements-test.txt": "pytest>=8\n"},
            line=2,
        ),
        Example(  # BF2's near miss: ``ee`` with earthengine-api declared nowhere
            "import ee\n",
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['pandas>=2']

                    [project.optional-dependencies]
                    test = ['pytest>=8']
                    """,
            },
            line=1,
        ),
        Example(  # BJ3's near miss: prereqs.txt only ends in the word, no requirements file
            "import pandas\n",
            files={
                "pyproject.toml": ZG2_PYPROJECT.format(requirement="pyyaml>=6"),
                "prereqs.txt": "pandas\n",
            },
            line=1,
        ),
        Example(  # BJ2's near miss: fastmcp, which toolfuncs requires, brings no uv-launch
            "from uv_launch.session import new_session_environment\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="fastmcp>=2")},
            line=1,
        ),
        Example(  # BK1's near miss: only carculator-utils' recent releases require scipy
            "import scipy\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="carculator_utils>=1.3.7")},
            line=1,
        ),
        Example(  # BV2's near miss: bazis requires no celery
            "import celery\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="bazis>=2.16.0")},
            line=1,
        ),
        Example(  # BR1's near miss: db-chat-widget requires no pandas
            "import pandas\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="db-chat-widget>=0.2.1")},
            line=1,
        ),
        Example(  # FB2's near miss: oemof.solph requires no matplotlib
            "import matplotlib\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="oemof.solph<=0.5.5")},
            line=1,
        ),
        Example(  # BH5's near miss: agento11y requires no numpy
            "import numpy\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="agento11y>=0.21")},
            line=1,
        ),
        Example(  # BH1's near miss: ansible-core ships no collections
            BH1_TEST,
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="ansible-core>=2.16")},
            line=1,
        ),
        Example(  # BG2's near miss: at module level it runs at collection, before any install
            "import asyncpg\n",
            path="demo/test/test_postgres.py",
            files=BG2_FILES,
            line=1,
        ),
        Example(  # BG2's near miss: a list not bound to a pip name may name what it supports
            BG2_TEST,
            path="demo/test/test_postgres.py",
            files={**BG2_FILES, "demo/modules/postgres.py": 'SUPPORTED = ["asyncpg"]\n'},
            line=3,
        ),
        Example(  # BN1's near miss: a list in a module of the suite is no project module's
            'deps_pip = ["asyncpg"]\n' + BG2_TEST,
            files={
                "requirements-test.txt": "pytest>=8\n",
                "pytest.ini": "[pytest]\ntestpaths = tests\n",
            },
            line=5,
        ),
        Example(  # BC1's near miss: the lock brings markdown only with the docs extra's theme
            "import markdown\n",
            files={"pyproject.toml": BC1_PYPROJECT, "uv.lock": BC1_UV_LOCK},
            line=1,
        ),
        Example(  # BC1's near miss: Poetry locks pyyaml only for demo-accounts' yaml extra
            "import yaml\n",
            files={"pyproject.toml": BC1_PYPROJECT, "poetry.lock": BC1_POETRY_LOCK},
            line=1,
        ),
        Example(  # AZ2's near miss: a skip that only some Pythons 3 take
            """
            import sys
            import unittest

            if sys.version_info < (3, 8):
                raise unittest.SkipTest()

            from gevent import monkey
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=7,
        ),
        Example(  # AY5's near miss: fastapi alone brings no uvicorn
            "import watchfiles\n",
            files={"pyproject.toml": AY5_PYPROJECT.format(fastapi="fastapi")},
            line=1,
        ),
        Example(  # EV1's near miss: pyjwt without its crypto extra brings no cryptography
            "from cryptography.hazmat.primitives import serialization\n",
            files={"pyproject.toml": AY5_PYPROJECT.format(fastapi="pyjwt")},
            line=1,
        ),
        Example(  # AY2's near miss: a skip on the platform, which CI may well run on
            AY2_TEST.format(condition='os.name != "posix"'),
            files={"requirements-test.txt": "pytest>=8\n"},
            line=9,
        ),
        Example(  # AU1's near miss: that conftest's folder does not hold the test
            """
            from demo.homing import CommandError
            """,
            path="tests/test_homing.py",
            files=AU1_FILES,
            line=1,
        ),
        Example(  # AJ2: a private helper of the suite that its sdist leaves out
            AJ2_TEST,
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="six")},
            line=1,
        ),
        Example(  # BV1's near miss: a folder no build file installs is the suite's own, and the
            # module below it that the tree lacks a helper the sdist leaves out
            BV1_TEST,
            path="cognite/ai/test_query.py",
            files={"pyproject.toml": BV1_PYPROJECT.format(build=""), **BV1_FILES},
            line=1,
        ),
        Example(  # BI3: a helper of the suite's own folder that the sdist leaves out (courier's
            # tests.conftest, rachiopy's tests.constants), test dependencies declared or not
            BI3_TEST,
            files={"pyproject.toml": BI3_PYPROJECT},
            line=1,
        ),
        Example(  # AJ2: the same where the test dependencies are declared nowhere (APT104's)
            AJ2_TEST,
            files={"pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['six']\n"},
            line=1,
        ),
        Example(  # AJ1's near miss: a skip on the platform is about no package
            AJ1_TEST.format(flag="import sys", condition="sys.platform == 'win32'"),
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="six")},
            line=6,
        ),
        Example(  # AR2's near miss: ast-pluckit brings fledgling only with an extra of its own
            "import fledgling\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="ast-pluckit>=0.7.0")},
            line=1,
        ),
        Example(  # AF3's near miss: ibauth brings no backoff
            "from backoff import on_exception\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="ibauth>=0.1.6")},
            line=1,
        ),
        Example(  # AF2's near miss: a package flit's legacy table does not name
            AF2_TEST.format(third="pywhatwgurl"),
            files={"pyproject.toml": AF2_PYPROJECT},
            line=3,
        ),
        Example(  # AF1's near miss: a Cargo.toml beside another build backend builds nothing
            AF1_TEST,
            files={
                "pyproject.toml": AF1_PYPROJECT.format(backend="setuptools.build_meta"),
                "Cargo.toml": AF1_CARGO,
            },
            line=1,
        ),
        Example(  # AF1's near miss: the maturin build names another module
            AF1_TEST,
            files={
                "pyproject.toml": AF1_PYPROJECT.format(backend="maturin"),
                "Cargo.toml": AF1_CARGO.replace("'orjson'", "'fastjson'"),
            },
            line=1,
        ),
        Example(  # AC4's near miss: a stand-in in sys.modules installs nothing it would require
            # (cloudanalyzer: a script of a folder its sdist leaves out, after a faked package)
            """
            import sys
            from unittest.mock import MagicMock

            sys.modules["vendor_core"] = MagicMock()


            def test_review():
                import review_relations
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=8,
        ),
        Example(  # AA2's near miss: a whole required package imports wherever the suite runs
            AA2_TEST.format(gate="import urllib3"),
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="urllib3")},
            line=6,
        ),
        Example(  # AA2's near miss: urllib3 itself is optional, so the try gates on it
            AA2_TEST.format(gate="from urllib3.contrib import pyopenssl"),
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="six")},
            line=6,
        ),
        Example(  # EW1's near miss: the test extra's six, known to the table, brings no sqlalchemy
            EW1_TEST,
            files=ew1_files("six", "from six import moves", EW1_UNDECLARED),
            line=1,
        ),
        Example(  # EW1's near miss: the unknown package declared for the tests, which the
            # module does not import: an unknown requirement alone silences nothing
            EW1_TEST,
            files=ew1_files(EW1_UNKNOWN, "from six import moves", EW1_UNDECLARED),
            line=1,
        ),
        Example(  # AA1's near miss: six, which the table knows, brings no pywhatwgurl
            AA1_TEST,
            files={
                "pyproject.toml": ZG2_PYPROJECT.format(requirement="six"),
                "src/demo/__init__.py": "",
                "src/demo/auth.py": AA1_MODULE,
            },
        ),
        Example(  # BX1's near miss: enkie brings no sbtab (equilibrator-api's test extra's)
            "import sbtab\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="enkie>=0.1.2")},
            line=1,
        ),
        Example(  # BU2's near miss: six brings no Plenum
            BU2_TEST,
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="six")},
            line=1,
        ),
        Example(  # BU1's near miss: the bare-name import outside the if runs in the package too
            BU1_TEST,
            files={
                **BU1_FILES,
                "src/demo/fluka/visitor.py": BU1_MODULE.format(flat="RegionParser").replace(
                    "else:\n    from", "from"
                ),
            },
        ),
        Example(  # FE2's near miss: under ANTLR 4.9's test, the bare name is no twin of the
            # relative import (no sibling file holds it): a distribution, declared nowhere
            BU1_TEST,
            files={
                **BU1_FILES,
                "src/demo/fluka/visitor.py": BU1_MODULE.format(flat="regionparser").replace(
                    'if "."', 'if __name__ is not None and "."'
                ),
            },
        ),
        Example(  # AA1's near miss: no module of the project imports it
            AA1_TEST,
            files={
                "pyproject.toml": ZG2_PYPROJECT.format(requirement="zapros-client-demo"),
                "src/demo/__init__.py": "",
                "src/demo/auth.py": "import json\n",
            },
        ),
        Example(  # ZI6's near miss: the import after the try runs whenever the module does
            """
            try:
                import sqlite3
            except AttributeError:
                sqlite3 = None
            from pysqlite2 import dbapi2
            """,
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="numpy")},
            line=5,
        ),
        Example(  # AC1's near miss: graphql-schema-diff's words, not consecutive
            "from graphqldiff import diff\n",
            files={"requirements-test.txt": "pytest>=8\ngraphql-schema-diff>=1.2\n"},
        ),
        Example(  # AQ1's near miss: without "python" the words still run in order; not "api"
            "from acmeclient import discovery\n",
            files={"requirements-test.txt": "pytest>=8\nacme-api-python-client>=2\n"},
        ),
        Example(  # BA3's near miss: without turnkey-sdk-types, requests brings no pydantic
            "from pydantic import ValidationError\n",
            files={"pyproject.toml": BA3_PYPROJECT.format(types="certifi>=2024")},
            line=1,
        ),
        Example(  # AQ2's, AQ3's and AQ4's near miss: what none of the three requires
            """
            import simplejson
            import astroquery  # sbpy's 'recommended' extra only
            """,
            files={"pyproject.toml": AQ2_PYPROJECT.format(museval="")},
            line=1,
        ),
        Example(  # EP1: the repository's test package, left out beside Cython sources
            # (buggerking's vendored pydevd tests import tests_python.debugger_unittest)
            "from tests_python.unittest import IS_CPYTHON\n",
            files={
                "setup.py": "from setuptools import setup\nsetup(install_requires=['six'])\n",
                "vendored/speedups.pyx": "",
            },
            line=1,
        ),
        Example(  # the workspace example's near miss: the group's requirement comes from an
            # index, so nothing may bring tests_common
            "from tests_common.test_utils import config\n",
            files={
                "pyproject.toml": WORKSPACE_DEVEL_PYPROJECT.split("\n[tool.uv.sources]")[0],
                "demo/__init__.py": "",
            },
            line=1,
        ),
        Example(  # AW4: a module of a repository folder the sdist left out (pypercache's
            # examples.news_api.newsapi_wrapper), though no test dependency is declared
            "from examples.news_api.wrapper import Client\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['click>=8']\n\n"
                    "[tool.pytest.ini_options]\npythonpath = ['.']\n"
                )
            },
            line=1,
        ),
        Example(  # AW2's near miss: pyproj is no pyshp, and installs no shapefile
            "from shapefile import Reader\n",
            files={"pyproject.toml": AW2_PYPROJECT.format(shapes="pyproj")},
            line=1,
        ),
        Example(  # AW3's near miss: coherence-cli requires numpy, not pandas
            "def test_frame():\n    import pandas\n",
            files={"pyproject.toml": AW2_PYPROJECT.format(shapes="pyshp")},
            line=2,
        ),
        Example(  # AQ5's near miss: the relative folder holds no module of that name
            AQ5_TEST.format(module="count_tools"),
            files=AQ5_FILES,
            line=4,
        ),
        Example(  # ZE1's near miss: Django alone brings no graphql-relay
            "from graphql_relay import to_global_id\n",
            files={
                "pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['django>=5']\n"
                "[project.optional-dependencies]\ntest = ['pytest']\n",
            },
        ),
        Example(  # AB2's near miss: eth-ape installs its core plugins, not ape-arbitrum
            "from ape_arbitrum.ecosystems import Arbitrum\n",
            files={"requirements.txt": "eth-ape\n"},
        ),
        Example(  # AG1's near miss: openhound brings no boto3
            "import boto3\n",
            files={"requirements.txt": "openhound\n"},
        ),
        Example(  # AH2's near miss: hail brings no fsspec
            "import fsspec\n",
            files={"requirements.txt": "hail>=0.2.133\n"},
        ),
        Example(  # AM3's near miss: sd-jwt brings no requests
            "import requests\n",
            files={"requirements.txt": "sd-jwt\n"},
        ),
        Example(  # BB2's near miss: luma.core brings no numpy
            "import numpy\n",
            files={"setup.cfg": BB2_SETUP_CFG},
            line=1,
        ),
        Example(  # BB3's near miss: dict_compare where another comparison tool is declared
            "from dict_compare import compare_dicts\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="dictdiffer")},
            line=1,
        ),
        Example(  # BB5's near miss: robotframework brings no RequestsLibrary (its own distribution)
            "from RequestsLibrary import RequestsLibrary\n",
            files={"requirements.txt": "pytest==8.3.3\nrobotframework==7.0\n"},
            line=1,
        ),
        Example(  # BB4's near miss: tomato brings no netCDF4 (2.1 required it, 1.0 and 3.0 not)
            "import netCDF4\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="tomato >= 2.1rc3")},
            line=1,
        ),
        Example(  # AS1's near miss: no Airflow release required boto3
            "import boto3\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="apache-airflow>=2.9,<3")},
            line=1,
        ),
        Example(  # BQ4's near miss: the module's pytestmark skips on the platform only
            "import sys\n"
            + BQ4_TEST.format(condition='sys.platform == "win32"', reason="posix only"),
            files=BQ4_FILES,
            line=11,
        ),
        Example(  # CA1's near miss: gds-framework requires pydantic but no gds-sim
            "from pydantic import ValidationError\nfrom gds_sim import Model\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="gds-framework>=0.3.0")},
            line=2,
        ),
        Example(  # CA3's near miss: the else of the file check runs where the tools are missing
            CA3_TEST.format(
                skip="not GENERATOR.is_file()",
                present="page_text = None",
                missing="from reference_pages import page_text",
            ),
            files={"requirements-test.txt": "pytest>=8\n"},
            line=14,
        ),
        Example(  # CA3's near miss: a module skipped where the file exists runs where it is not
            CA3_TEST.format(
                skip="GENERATOR.is_file()",
                present="from reference_pages import page_text",
                missing="page_text = None",
            ),
            files={"requirements-test.txt": "pytest>=8\n"},
            line=17,
        ),
        Example(  # CE1's near miss: lute3 requires no pandas
            "from lute.parse.registry import init_parser_plugins\nimport pandas\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="lute3>=3.4.2")},
            line=2,
        ),
        Example(  # CE2's near miss: a conda-lock environment without setuptools
            "import pkg_resources\n",
            files={"conda-linux-64.lock": CE2_LOCK.format(more="")},
            line=1,
        ),
        Example(  # BQ3's near miss: bw2io requires no pyside6
            "import PySide6\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="bw2io>=0.9.3")},
            line=1,
        ),
        Example(  # BQ3's near miss: pixell requires no pymaster (NaMaster, a separate install)
            "import pymaster\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="pixell>=0.29.0")},
            line=1,
        ),
        Example(  # BZ3's near miss: ladybug-display brings no ladybug-comfort
            "import ladybug_comfort\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="ladybug-display>=0.13.3")},
            line=1,
        ),
        Example(  # AS2's near miss: Palm CLI brings no boto3
            "import boto3\n",
            files={"requirements.txt": "palm >=2.6.0, <3.0\npytest\n"},
            line=1,
        ),
        Example(  # AS2's near miss: sfn-blueprint brings no psycopg2
            "import psycopg2\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="sfn-blueprint>=0.6.6")},
            line=1,
        ),
        Example(  # AV3's near miss: boileroom brings no wandb
            "import wandb\nfrom boileroom import app\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="boileroom==0.2.2")},
            line=1,
        ),
        Example(  # AH4's near miss: no signxml ever required xmlsec
            "import xmlsec\n",
            files={"requirements.txt": "signxml==2.8.2\n"},
        ),
        Example(  # AP2's near miss: epubkit brings no psutil
            "def test_a():\n    import psutil\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="epubkit>=0.1")},
        ),
        Example(  # AP2's near miss: LocalStack itself (its command line) brings no boto3
            "import boto3\n",
            files={"requirements.txt": "localstack\n"},
        ),
        Example(  # AP2's near miss: plone.testing alone brings zope.testing, not Plone
            "from zope.i18nmessageid import MessageFactory\n",
            files={"pyproject.toml": AP2_PYPROJECT.format(test="plone.testing")},
        ),
        Example(  # AB2's near miss: haystack-ai brings no boto3
            "import boto3\n",
            files={"requirements.txt": "haystack-ai\n"},
        ),
        Example(  # ZF5's near miss: Mathics3-Module-Base alone brings no mathics
            "from mathics.core.builtin import Builtin\n",
            files={"requirements.txt": "Mathics3-Module-Base\n"},
        ),
        Example(  # ZF5's near miss: h2, which plain requires, brings no click
            "from click.testing import CliRunner\n",
            files={"requirements.txt": "h2\n"},
        ),
        Example(  # ZG2's near miss: jax brings no tree_math
            "import tree_math\n",
            files={"pyproject.toml": ZG2_PYPROJECT.format(requirement="jax")},
            line=1,
        ),
        Example(  # ZA4's near miss: scipion-pyworkflow alone brings no pwem
            "from pwem.protocols import ProtImportParticles\n",
            files={"requirements.txt": "scipion-pyworkflow\n"},
        ),
        Example(  # ZA1's near miss: grpcio alone brings no googleapis-common-protos
            "from google.rpc import code_pb2\n",
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['grpcio>=1.60']

                    [project.optional-dependencies]
                    test = ['pytest']
                    """,
            },
        ),
        Example(  # ZA2's near miss: cbor2 alone brings no pycose
            "from pycose.headers import Algorithm\n",
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['cbor2']

                    [project.optional-dependencies]
                    test = ['pytest']
                    """,
            },
        ),
        Example(  # ZD2's near miss: qiskit requires no requests
            "import requests\n",
            files={
                "pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['qiskit>=2.0']\n",
                "requirements-test.txt": "pytest>=8\n",
            },
        ),
        Example(  # YC1's near miss: pytest-httpx brings httpx and pytest, no vcrpy
            "import vcr\n",
            files={"tox.ini": "[testenv]\ndeps =\n    pytest\n    pytest-httpx\n"},
        ),
        Example(  # ZC1's near miss: edx-rbac and what it requires bring no django-filter
            "import django_filters\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['Django', 'edx-rbac']\n\n"
                    "[dependency-groups]\ntest = ['pytest', 'pytest-django']\n"
                )
            },
            line=1,
        ),
        Example(  # VM1: pytest imports a test package's __init__ before its modules (vakt)
            "import requests\n",
            path="tests/__init__.py",
            files={"tests/test_a.py": TRIVIAL_TEST, "requirements-test.txt": "pytest>=8\n"},
            line=1,
        ),
        Example(  # VM1: and that of every package above a test module's folder
            "import requests\n",
            path="tests/__init__.py",
            files={
                "tests/unit/test_a.py": TRIVIAL_TEST,
                "requirements-test.txt": "pytest>=8\n",
            },
            line=1,
        ),
        Example(  # VC1's near miss: griffelib is not declared, nor griffe
            "import griffe\n",
            files={"requirements-test.txt": "pytest>=8\nmarkdown\n"},
        ),
        Example(  # YB1's near miss: eth-typing, which web3 also requires, brings no eth-hash
            "from eth_hash.auto import keccak\n",
            files={"requirements-test.txt": "pytest>=8\neth-typing\n"},
        ),
        Example(  # VC2's near miss: sphinx alone does not bring beautifulsoup4
            "from bs4 import BeautifulSoup\n",
            files={"requirements-test.txt": "pytest>=8\nsphinx\n"},
        ),
        Example(  # VD2's near miss: grpcio alone installs no grpc_reflection
            "from grpc_reflection.v1alpha import reflection\n",
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['grpcio>=1.60', 'textual']
                    [dependency-groups]
                    test = ['pytest']
                    """,
            },
        ),
        Example(  # ZB11's near miss: a package named like pook installs no pook
            "import pook\n",
            files={"requirements-test.txt": "pytest>=8\npookie\n"},
            line=1,
        ),
        Example(  # ZB12's near miss: statsmodels brings no scikit-learn
            "import sklearn\n",
            files={"requirements-test.txt": "pytest>=8\nstatsmodels\n"},
            line=1,
        ),
        Example(  # ZB6's near miss: perceval does not require httpretty
            "import httpretty\n",
            files={"requirements-test.txt": "pytest>=8\nperceval>=0.19\n"},
            line=1,
        ),
        Example(  # ZB4's near miss: cattrs installs cattr, not pywt
            "import cattr\nimport pywt\n",
            files={"requirements-test.txt": "pytest>=8\ncattrs\n"},
            line=2,
        ),
        Example(  # ZB1's near miss: the project in the checkout is not one it requires
            "import deal\n",
            files={
                "pyproject.toml": IN_TREE,
                "examples/plugin/pyproject.toml": IN_TREE_SIBLING % "demo-plugin",
            },
            line=1,
        ),
        Example(  # VD1's near miss: an index source is a registry's package like any other
            "import click\n",
            files={"pyproject.toml": UV_SOURCED % "{ index = 'internal' }"},
            line=1,
        ),
        Example(  # DK2's near miss: the import's last word is not the distribution's
            "import h2o_metrics\n",
            files={"requirements-test.txt": "pytest>=8\nh2o-cloud-discovery>=1.1\n"},
        ),
        Example(  # CX1's near miss: a bare 3 is no fork suffix (boto3 installs no boto)
            "import scspell\n",
            files={"requirements-test.txt": "pytest>=8\nscspell3\n"},
        ),
        Example(  # SB4's near miss: skfoo abbreviates no declared scikit- name
            "import skfoo\n",
            files={"requirements-test.txt": "pytest>=8\nscikit-survival\n"},
        ),
        Example(  # VA1's near miss: mcp does not require trio
            "import trio\n",
            files={
                "pyproject.toml": (
                    "[project]\nname = 'demo'\ndependencies = ['mcp>=1.0', 'pydantic']\n\n"
                    "[dependency-groups]\ndev = ['pytest']\n"
                )
            },
            line=1,
        ),
        Example(  # UD2's near miss: the class's data names another module than the import
            """
            import unittest


            class NamespaceTests(unittest.TestCase):
                MODULE = "namespacedata01"

                def test_namespace(self):
                    import skfoo
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=8,
        ),
        Example(  # SD1's near miss: the Cython source lies in another project folder
            """
            import test_utils


            def test_checksum():
                assert test_utils.hashNumpyArray([])
            """,
            files={"requirements-test.txt": "pytest>=8\n", "lib/zfp/test_utils.pyx": ""},
        ),
        Example(  # SE3's near miss: a handler that goes on proves nothing for what follows
            """
            def test_django_person():
                try:
                    import django
                except ImportError:
                    django = None
                from django.http.request import HttpRequest
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=6,
        ),
        Example(  # RZ6's near miss: the helper imports numpy, the test imports aesara
            """
            from demo.external import import_module

            numpy = import_module("numpy")


            def test_function_scalar():
                from aesara.compile.function.types import Function
            """,
            files={
                "requirements-test.txt": "pytest>=8\n",
                "src/demo/__init__.py": "",
                "src/demo/external.py": "def import_module(name): ...\n",
            },
            line=7,
        ),
        Example(  # RZ1's near miss: jupyter-server does not require ipykernel
            """
            import nbformat
            from ipykernel.kernelbase import Kernel
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['jupyter_server>=1.21']

                    [project.optional-dependencies]
                    test = ['pytest']
                    """,
            },
            line=2,
        ),
        Example(  # SA2's near miss: mongoengine requires pymongo, not motor
            """
            from motor.motor_asyncio import AsyncIOMotorClient
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = []

                    [project.optional-dependencies]
                    mongoengine = ['mongoengine>=0.23']

                    [dependency-groups]
                    dev = ['pytest']
                    """,
            },
            line=1,
        ),
        Example(  # RV8's near miss: no Python 3 has unicode, so the fallback runs
            """
            try:
                unicode
            except NameError:
                from six import text_type as unicode
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=4,
        ),
        Example(  # FB1's near miss: one caller skips only after it has called the helper
            """
            import pytest


            def _measure(pid):
                import psutil

                return psutil.Process(pid).memory_info()


            def test_lexical_load():
                pytest.importorskip("psutil")
                assert _measure(1)


            def test_semantic_load():
                assert _measure(2)
                pytest.importorskip("psutil")
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=5,
        ),
        Example(  # RV6's near miss: one caller is not marked
            """
            import importlib.util

            import pytest

            _HAS_TIFFFILE = importlib.util.find_spec("tifffile") is not None
            _requires_tifffile = pytest.mark.skipif(not _HAS_TIFFFILE, reason="tifffile")


            def _write_tiff(path, data):
                import tifffile

                tifffile.imwrite(path, data)


            @_requires_tifffile
            def test_planar(tmp_path):
                _write_tiff(tmp_path / "a.tif", 1)


            def test_plain(tmp_path):
                _write_tiff(tmp_path / "b.tif", 2)
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=10,
        ),
        Example(  # RV6's near miss: a table of builders holds it (its marks are not read)
            """
            import importlib.util

            import pytest

            _HAS_TIFFFILE = importlib.util.find_spec("tifffile") is not None
            _requires_tifffile = pytest.mark.skipif(not _HAS_TIFFFILE, reason="tifffile")


            def _write_tiff(path):
                import tifffile

                tifffile.imwrite(path, 1)


            BUILDERS = [pytest.param(_write_tiff, marks=_requires_tifffile)]


            @_requires_tifffile
            @pytest.mark.parametrize("builder", BUILDERS)
            def test_planar(builder, tmp_path):
                _write_tiff(tmp_path / "a.tif")
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=10,
        ),
        Example(  # RV3's near miss: requested by a word of a string (usefixtures, parametrize)
            """
            import pytest


            @pytest.fixture(scope="module")
            def cat_plugin():
                from ase_entry_demo.plugin import Plugin

                return Plugin(name="Felix")


            @pytest.mark.parametrize("cat_plugin, n", [(1, 2)], indirect=["cat_plugin"])
            def test_build(n):
                assert n
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=6,
        ),
        Example(  # RV3's near miss: a name computed for getfixturevalue may be any fixture's
            """
            import pytest


            @pytest.fixture(scope="module")
            def cat_plugin():
                from ase_entry_demo.plugin import Plugin

                return Plugin(name="Felix")


            def test_build(request):
                assert request.getfixturevalue("cat" + "_plugin")
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=6,
        ),
        Example(  # AT1: a relative import runs its helper module as an absolute one does
            AT1_TEST,
            files=AT1_FILES,
            line=1,
        ),
        Example(  # AT2: after a folder the tree lacks is put on sys.path, a name no table
            # knows still fails collection, and the message offers to ship it (APT104 is silent)
            """
            import sys

            sys.path.append("scripts")
            from deploy_helpers import render

            def test_render():
                assert render()
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=4,
        ),
        Example(  # AO3's near miss: a test module requests it
            AO3_CONFTEST,
            path="tests/conftest.py",
            files={
                "requirements-test.txt": "pytest>=8\n",
                "tests/test_a.py": AO3_TEST,
                "tests/sub/test_b.py": "def test_b(generate_structure):\n    pass\n",
            },
            line=6,
        ),
        Example(  # AO3's near miss: an ini usefixtures names it for every test
            AO3_CONFTEST,
            path="tests/conftest.py",
            files={
                "requirements-test.txt": "pytest>=8\n",
                "tests/test_a.py": AO3_TEST,
                "pytest.ini": "[pytest]\nusefixtures = generate_structure\n",
            },
            line=6,
        ),
        Example(  # AO3's near miss: a computed getfixturevalue may request any fixture
            AO3_CONFTEST,
            path="tests/conftest.py",
            files={
                "requirements-test.txt": "pytest>=8\n",
                "tests/test_a.py": (
                    "def test_a(request):\n    request.getfixturevalue('generate_' + 'structure')\n"
                ),
            },
            line=6,
        ),
        Example(  # ZB10's near miss: the handler goes on without the package
            ZB10_TEST,
            files={
                "requirements-test.txt": "pytest>=8\n",
                "tests/conftest.py": ZB10_CONFTEST.format(handler="pass"),
            },
            line=2,
        ),
        Example(  # RV2's near miss: what a fixture importorskips after its yield, after the test
            """
            def test_template(excitingtools):
                from excitingtools.input.bandstructure import band_structure
            """,
            files={
                "requirements-test.txt": "pytest>=8\n",
                "tests/conftest.py": """
                    import pytest


                    @pytest.fixture()
                    def excitingtools():
                        yield None
                        pytest.importorskip("excitingtools")
                    """,
            },
            line=2,
        ),
        Example(  # RZ3's near miss: the import's ``py`` spelled out names another project
            """
            from pylsp_jsonrpc.endpoint import Endpoint
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['python-lsp-jsonrpc-extras']

                    [project.optional-dependencies]
                    test = ['pytest']
                    """,
            },
            line=1,
        ),
        Example(  # UC1's near miss: no ``jpype.imports``, so nothing serves ``org``
            """
            import jpype

            from org.apache.drill.jdbc import Driver


            def test_driver():
                assert Driver
            """,
            files={"requirements-test.txt": "pytest>=8\njpype1\n"},
            line=3,
        ),
        Example(  # no import hook in the module: ``sample`` must come from a distribution
            """
            def test_import():
                import sample

                assert sample.x
            """,
            files={"requirements-test.txt": "pytest>=8\n", "tests/sample.xsh": "x = 1\n"},
            line=2,
        ),
        Example(  # the suite's conftest.py, left out of the sdist: no distribution provides it
            """
            from conftest import ThreadedTest


            def test_wait():
                ThreadedTest(lambda: None)
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=1,
        ),
        Example(  # the switch is turned on elsewhere in the module: may run
            """
            GRAPH_MODE = False


            def test_draw():
                if GRAPH_MODE:
                    from matplotlib import pyplot as plt


            def enable():
                global GRAPH_MODE
                GRAPH_MODE = True
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=6,
        ),
        Example(
            """
            import pytest


            def test_render():
                def load():
                    import jinja2

                load()  # called where nothing catches the ImportError
                with pytest.raises(ImportError):
                    load()
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=6,
        ),
        Example(  # CR1's near miss: a decorator of another test, on the lines above its
            # ``def``, hands the helper on too
            CR1_TEST
            + """

@pytest.mark.parametrize(
    "default",
    [default_importerror],
)
def test_dumps_default(default):
    assert json.dumps(object(), default=default)
""",
            files={"requirements-test.txt": "pytest>=8\n"},
            line=7,
        ),
        Example(  # CR1's near miss: the test only catches an ImportError, to skip
            """
            import json

            import pytest


            def default_yaml(obj):
                import yaml

                return yaml.safe_dump(obj)


            def test_dumps_yaml():
                try:
                    import ujson
                except ImportError:
                    pytest.skip("no ujson")
                assert json.dumps(object(), default=default_yaml) == ujson.dumps({})
            """,
            files={"requirements-test.txt": "pytest>=8\nujson>=5\n"},
            line=7,
        ),
        Example(  # called by name as well as stored: it runs
            """
            def test_reduce():
                def logsumexp_tf(x):
                    import tensorflow as tf

                    return tf.reduce_logsumexp(x)

                callbacks = {"tf": logsumexp_tf}
                logsumexp_tf(1)
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=3,
        ),
        Example(
            """
            import sys

            if sys.version_info >= (3, 8):  # depends on which Python 3: judged
                import jinja2
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=4,
        ),
        Example(  # ZH3's near miss: pytest-dpg brings pyautogui, not OpenCV
            """
            import pyautogui
            import cv2
            """,
            files={"requirements-test.txt": "pytest>=8\npytest-dpg\n"},
            line=2,
        ),
        Example(  # ZH1's near miss: Python 3.11 runs it, where pytest brings no tomli
            """
            import sys

            if sys.version_info < (3, 12):
                import tomli
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=4,
        ),
        Example(
            """
            import sys
            import unittest


            @unittest.skipUnless(sys.platform == "linux", "linux only")  # not about the package
            def test_render():
                import jinja2
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=7,
        ),
        Example(
            """
            import pytest

            from demo.testing import on_ci


            @pytest.mark.skip_if_slow(on_ci())  # not a conditional skip: the test runs
            def test_render():
                import jinja2
            """,
            files={
                "requirements-test.txt": "pytest>=8\n",
                "demo/__init__.py": "",
                "demo/testing.py": "def on_ci():\n    return False\n",
            },
            line=8,
        ),
        Example(
            """
            import dbapi20  # the repository is a docs requirement: not installed with the tests
            """,
            files={
                "requirements-test.txt": "pytest>=8\n",
                "requirements-docs.txt": (
                    "sphinx\n-e git+https://github.com/org/dbapi-compliance.git#egg=dbapi-compliance\n"
                ),
            },
            line=1,
        ),
        Example(
            """
            import sys
            from unittest import mock

            import pytest


            def test_emptied_path():
                with mock.patch("sys.path", []):  # an empty path: nothing of the test's own
                    with pytest.raises(ValueError):  # expects another failure, not the import's
                        import numpy
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=10,
        ),
        Example(
            """
            import sys
            from unittest import mock


            def test_without_numpy():
                with mock.patch.dict(sys.modules, {"numpy": None}):  # blocks it: not a stand-in
                    assert True


            def test_with_numpy():
                import numpy
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=11,
        ),
        Example(
            """
            import contextlib
            import os


            @contextlib.contextmanager
            def in_folder(folder):  # changes the working directory, not the import path
                saved = os.getcwd()
                os.chdir(folder)
                try:
                    yield
                finally:
                    os.chdir(saved)


            def test_render(tmp_path):
                with in_folder(tmp_path):
                    import jinja2
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=17,
        ),
        Example(  # UB2's near miss: the Poetry dependency names no extra
            """
            from cryptography.hazmat.primitives import serialization
            """,
            files={"pyproject.toml": POETRY_PYJWT.format(extras="")},
            line=1,
        ),
        Example(
            """
            import OpenSSL  # twisted's tls extra brings pyopenssl
            import yaml  # nor it nor coverage's toml extra brings pyyaml
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['Twisted[tls]']

                    [project.optional-dependencies]
                    dev = ['pytest', 'coverage[toml]']
                    """,
            },
            line=2,
        ),
        Example(
            """
            import os


            def test_process_image():
                if os.name == "nt":  # about the platform, not about the package
                    return

                import PyOpenColorIO
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=8,
        ),
        Example(
            """
            def _pearson():
                from statsutils import pearson_type

                return pearson_type


            def test_pearson():
                assert _pearson() is not None
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=2,
        ),
        Example(
            """
            from tests.util import skip_unless_package


            @skip_unless_package("langchain")
            def test_retriever():
                import pandas  # langchain does not make sure of it
            """,
            files={"requirements-test.txt": "pytest>=8\n", "tests/util.py": ""},
            line=6,
        ),
        Example(
            """
            from tests.deps import jupyter_skip


            @jupyter_skip
            def test_notebook():
                import scipy  # jupyter does not bring it (its newest release brings pyyaml)
            """,
            files={"requirements-test.txt": "pytest>=8\n", "tests/deps.py": ""},
            line=6,
        ),
        Example(
            """
            import pytest


            @pytest.mark.slow  # a marker the conftest's hook does not drop
            def test_frame():
                import cudf
            """,
            files={"requirements-test.txt": "pytest>=8\n", "tests/conftest.py": OPT_IN_HOOK},
            line=6,
        ),
        Example(  # ZE5's near miss: an unmarked test uses the helper too
            ZE5_TEST.format(other="\n\ndef test_plain():\n    assert _card()\n"),
            files={"requirements-test.txt": "pytest>=8\n", "tests/conftest.py": SIBLING_HOOK},
            line=5,
        ),
        Example(
            """
            import functools


            def test_load(create_module):
                @functools.lru_cache  # a decorated helper of another name
                def loader():
                    return 1

                import yaml
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=9,
        ),
        Example(
            """
            import importlib.util
            import unittest


            class ClientTests(unittest.TestCase):
                def setUp(self):
                    if importlib.util.find_spec("httpx") is None:
                        self.skipTest("httpx is not installed")

                def test_client(self):
                    import httpx
                    import yaml  # httpx does not bring it
            """,
            files={"requirements-test.txt": "pytest>=8\n"},
            line=12,
        ),
        Example(
            """
            import requests


            def test_get():
                import yaml
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['requests']
                    """,
                "requirements-test.txt": "pytest>=8\n",
            },
            line=5,
        ),
        Example(
            "import sklearn\n",
            files={"requirements.txt": "scipy>=1\n"},
            line=1,
        ),
        Example(
            """
            import pytest
            import toolz
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['pyyaml']
                    """,
                "requirements-test.txt": "hypothesis\n",
            },
            line=2,
        ),
        Example(
            """
            import win32ctypes
            import win32gui
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['pywin32-ctypes']

                    [dependency-groups]
                    test = ['pytest']
                    """,
            },
            line=2,
        ),
        Example(
            """
            import coverage
            import yaml
            """,
            files={
                "pyproject.toml": """
                    [project]
                    name = 'demo'
                    dependencies = ['hatchling>=1.27']

                    [dependency-groups]
                    test = ['pytest', 'pytest-cov']
                    """,
            },
            line=2,
        ),
        Example(  # BN3: a package below a folder without __init__.py inside a package is no
            # top-level module: Python imports it as demo.ext.db.alchemical only
            "from alchemical.aio import Alchemical\n",
            files=BN3_FILES,
            line=1,
        ),
    )

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        yield from first_per_distribution(cls._judged(ctx))

    @classmethod
    def _missing_helper(cls, ctx: ProjectContext, path: str, fact: ImportFact) -> Judged:
        """A module-level import of a private module no file of the tree is named after (AJ2),
        of a module of a repository folder the tree lacks (AW4, ``examples.news_api``), of a
        package the build's discovery excludes (BI2), or of a module of the suite's own folder
        that the tree lacks (BI3, ``tests.conftest``), or of a bare name a test of its folder
        imports as its sibling (FC1, ``.name``): the project's own code, which its sdist leaves
        out; declaring cannot help, as no distribution is meant."""
        fails = f"; a run {fails_collecting(path, fact.fails_with)}"
        dependencies = ctx.model.dependencies
        name = fact.module.partition(".")[0]
        what = "a helper of the suite"
        if fact.module in dependencies.missing_suite:
            name = fact.module
            why = f"'{fact.module.partition('.')[0]}' is the suite's own folder"
        elif name in dependencies.excluded_packages:
            why = "the build's package discovery excludes it by name"
            what = "a package of the repository"
        elif name.startswith("_"):
            why = "a private name is no distribution's"
        elif name in dependencies.sibling_helpers:  # FC1: a module of its folder's imports
            why = f"a test module of the suite imports it as its sibling, '.{name}'"
        else:
            why = f"a dotted path into a repository folder, '{fact.module}', is no distribution's"
        message = (
            f"'{name}' is no module of this tree (no file or folder of it is named so, and "
            f"{why}): {what} missing from it{fails}; ship it with the tests"
        )
        return judged_finding(path, fact, name, cls.code, message)

    @classmethod
    def _packaged_helper(cls, path: str, fact: ImportFact, dotted: str) -> Judged:
        """A module-level import of a module of the test module's own package by its bare name
        (BS3, ``packaged_suite``): the project's own code, which no declaration brings."""
        top = fact.module.partition(".")[0]
        message = (
            f"'{top}' is the project's module '{dotted}', inside the package this module lies "
            f"in, not a top-level module: pytest puts only the folder above the package "
            f"'{dotted.partition('.')[0]}' on sys.path, so a run "
            f"{fails_collecting(path, fact.fails_with)}; import it as '{dotted}' or relatively"
        )
        return judged_finding(path, fact, top, cls.code, message)

    @staticmethod
    def _located_at_runtime(ctx: ProjectContext, fact: ImportFact, top: str) -> bool:
        """Whether a test's body imports a module no table knows that the project's own code
        puts on ``sys.path`` when it runs (BE1): the fixture that ran that code has made it
        importable, from a checkout no distribution installs, so there is nothing to declare.
        A module-level import runs before any fixture, and stays judged."""
        return (
            not fact.module_level
            and top in ctx.model.dependencies.located_at_runtime
            and not named_by_tables(fact.module)
        )

    @staticmethod
    def _clr_namespace(ctx: ProjectContext, fact: ImportFact) -> bool:
        """Whether an import no table knows, whose top-level name is capitalised as .NET
        namespaces are (``System``, ``Python.Runtime``), runs in a suite that imports ``clr``
        (EF1): pythonnet's ``clr`` installs an import hook that serves the CLR's namespaces
        (the runtime's and those of the assemblies ``clr.AddReference`` loads) to every later
        import of the process, so no distribution is meant. Whether the suite imports ``clr``
        is looked up once, and only once such a name is seen."""
        if not fact.module[:1].isupper() or named_by_tables(fact.module):
            return False
        imports_clr: bool | None = ctx.memo.get("imports_clr")
        if imports_clr is None:
            imports_clr = ctx.memo["imports_clr"] = any(
                i.module == "clr" for _, facts in ctx.files for i in facts.imports
            )
        return imports_clr

    @staticmethod
    def _inline_script_declares(ctx: ProjectContext, path: str, distribution: str) -> bool:
        """Whether the module is a PEP 723 script (``# /// script``) whose own inline
        ``dependencies`` declare the distribution, and a plain ``pytest`` does not collect it
        (outside ``testpaths``; ER1: aiosmtplib's ``scripts/test_gmail_oauth.py``, run with
        ``uv run``): its requirements are declared where its runner reads them, and only a run
        naming its folder imports it. Looked up only for a finding about to be made."""
        collected = ctx.model.suite_python_files
        if not collected or path in collected:
            return False
        facts = facts_at(ctx, path)
        return facts is not None and canonicalize_name(distribution) in facts.script_dependencies

    @classmethod
    def _judged(cls, ctx: ProjectContext) -> Iterator[Judged]:
        index = project_index(ctx)
        missing = ctx.model.dependencies.missing_private
        suite = ctx.model.dependencies.missing_suite
        packaged = {(p, m): dotted for p, m, dotted in ctx.model.dependencies.packaged_suite}
        if not (index.proves_undeclared or missing or suite or packaged):
            return  # APT104 says once that the test dependencies are declared nowhere
        own_files = files_by_bare_name(ctx.model.python_files)
        for path, fact in judged_imports(ctx):
            if (
                fact.guarded
                or gated_by_submodule(index, fact)
                or skipped_on_undeclared(index, fact)
            ):
                continue
            top = fact.module.partition(".")[0]
            dotted = packaged.get((path, fact.module))
            if dotted is not None and index.resolve(fact.module).origin == "undeclared":
                # no declared distribution brings the name: the package's own module is meant
                yield cls._packaged_helper(path, fact, dotted)
                continue
            if top in missing or fact.module in suite:
                if fact.module_level and top not in fact.stand_ins and not index.sibling_may_bring:
                    # in a function, the helper may sit behind an opt-in the lint cannot read
                    # (learnctl's ``if not _coach(): return`` on LEARNCTL_COACH)
                    yield cls._missing_helper(ctx, path, fact)
                continue
            if not index.proves_undeclared:
                continue  # whether a declaration is missing is APT104's, once
            culprit = chain_culprit(ctx, index, path, fact)
            if culprit is not None:
                if culprit.found.origin == "undeclared":
                    finding = chain_finding(cls.code, path, fact, culprit)
                    yield path, fact, culprit.found.distribution, finding
                continue
            found = index.resolve(fact.module)
            if (
                found.origin == "undeclared"
                and not index.sibling_may_bring
                and not own_chain_needs(ctx, index, path, fact.module)
                and not cls._located_at_runtime(ctx, fact, top)
                and not installed_at_run_time(ctx, fact, found.distribution)
                and not cls._clr_namespace(ctx, fact)
                and not cls._inline_script_declares(ctx, path, found.distribution)
            ):
                fails = (
                    f"; a run without it {fails_collecting(path, fact.fails_with)}"
                    if fact.module_level
                    else ""
                )
                if suite_conftest(fact.module):  # the suite's own, not shipped
                    message = (
                        f"'{fact.module}' is no conftest.py on this module's path (the suite's "
                        f"own, missing from this tree){fails}; ship that conftest.py, or move "
                        "what the tests import from it into a helper module of the suite"
                    )
                elif named_by_tables(fact.module):
                    message = (
                        f"'{fact.module}' comes from distribution '{found.distribution}', "
                        "which is declared in no requirements file, pyproject table or "
                        f"registry row{fails}; declare it"
                    )
                elif own := project_files_named(own_files, fact.module):
                    message = (  # the project's own, where pytest does not look for it
                        f"no distribution apytest-lint knows installs '{fact.module}', and none "
                        "is declared for it in a requirements file, pyproject table or "
                        f"registry row{fails}; the project's own '{own[0]}' is named so, which "
                        "nothing puts on sys.path: import it by the name its package gives it "
                        "(or put its folder on sys.path); if a distribution is meant, declare it"
                    )
                else:  # a small distribution, or the project's own module left out of the tree
                    message = (
                        f"no distribution apytest-lint knows installs '{fact.module}' (perhaps "
                        f"'{found.distribution}'), and none is declared for it in a "
                        f"requirements file, pyproject table or registry row{fails}; declare "
                        "the distribution that provides it, or, if it is a module of the "
                        "project left out of this tree, ship it with the tests"
                    )
                yield judged_finding(path, fact, found.distribution, cls.code, message)
