"""The per-file result cache in ``.apytest/cache/``: safe to delete, never trusted blindly.

An entry's key hashes apytest's version, the configuration fingerprint, the file's path and kind,
and its bytes, so any change to one of them misses. Entries are written to a temporary file and
renamed into place, so concurrent runs never see half an entry; an entry that does not load is
recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from apytest.common.atomic import write_atomically
from apytest.common.gitignore import ignore_state
from apytest.common.names import STATE
from apytest.common.versions import apytest_version
from apytest.lint.engine import FileResult
from apytest.rules.api import SourceFile

CACHE_DIR = Path(STATE) / "cache" / "lint"
FORMAT = 54
"""Changes with the shape of a stored ``FileResult`` (2: suppressions say whether shared;
3: imports and fixtures say which fixtures they request; 4: global changes say where their
context managers come from; 5: global changes say whether made before any
test, relative writes and cwd fixtures are facts, a file of a newer Python's grammar is no
APT001 finding; 6: the programs tests run are facts, judged over the suite; 7: fixtures say
whether they monkeypatch the working directory, cwd changes which fixtures they request,
writes under the home folder and fixtures that point HOME elsewhere or clean up are facts;
8: a fixture requesting its own name through ``request.getfixturevalue`` requests itself, as
APT202 judges built-in overrides over the suite; every global change by test code says which
fixtures it requests, fixtures that restore state after their yield are state restorers, with
the context managers they yield in; 9: relative writes and global changes say where the test's
decorators come from, module-level ``from ... import`` names are facts, fixtures that hand their
``monkeypatch`` to a helper count as monkeypatching the working directory; 10: a module-level
``sys.path`` addition says which folder it adds, an ``os.environ`` change the variable it
names, and fixtures that remove variables after their yield are state restorers of those;
11: global changes say whether made at module level; 12: program uses say their tests'
markers, and conftests which markers their hooks skip; 13: deprecated-API uses include hook
arguments pytest 9 removed, and imports in a test module's unused helpers or of modules its
setup writes are no facts; 15: imports in the functions of a module that installs an import
hook, and module-level imports guarded by a try whose ImportError handler skips the module,
are no facts; 16: the folders a suite module's body puts on ``sys.path`` from ``__file__``,
imports say their tests' marks, conftests which marks their hooks drop unless an option
asks for them, and imports in a test module's fixtures nothing requests, in helpers only
skip-marked tests call, or under a class's importorskipping xunit setup are no facts; 17:
global changes say which modules' failed import alone runs them, conftests' autouse fixtures
that pop variables before each test are state restorers of those, and a function's imports
past its own try-import whose handler skips or returns are guarded; 18 to 21, one round:
fixtures say whether every value they return or yield is a ``dict``, a method's imports of a
module its class's data names are no facts, an import inside a test is never only where other
tests' marks assure it, astroquery and pyvo bring what they require, and a Java package
imported after ``jpype.imports`` is guarded; conftests' autouse fixtures that remove every
variable of a prefix (or of a condition not read) before each test are state restorers of
those); 22 and 23, one round: a relative write's requested fixtures include those the file's
requested fixtures request in turn, textual brings rich, and the relative imports that run
whenever a module is imported are facts; 24 and 25, one round: the fixtures tests request,
the requests of plugins' fixtures and the names of those a file binds are facts, web3, py-evm,
aiormq and the Ethereum libraries bring what they require, ``algosdk`` is py-algorand-sdk's, an
``os.chdir`` in the handler of a ``try`` that only asks for the working directory is no global
change, a relative write says which of its test's arguments an ``if`` around it tests,
fixtures and generated arguments holding a command-line option's value are facts, program uses
say which fixtures their tests request, a network use by a test requesting any fixture is
one, and ``async def`` tests and the conftest hooks that may run them are facts; 26, one
round: deprecated-API uses include implementations of hooks pytest removed, mlxtend, edx-rbac,
edx-drf-extensions and openfisca-country-template bring what they require, a teardown's call
named ``delete*``/``remove*`` handed a file name is a cleanup, a fixture returning
``bool(config.getoption(...))`` holds an option's value too, and a write to a fixed location
under an ``if`` on a test's argument is a relative write's fact (``fixed``), judged over the
suite; ``pywt`` is PyWavelets', ``cattr`` cattrs', ``pook`` pookx's too, perceval brings what
it requires, statsmodels formulaic and formulaic typing-extensions; program uses say where
their tests' imported decorators come from, and a fixture's ``try: import x`` whose
ImportError handler skips assures ``x`` as ``importorskip`` does; 27, the sixteenth round: an
import in a ``with`` whose context manager is named for imports (``try_import()``) is guarded;
graphene, graphene-django and python-docx bring what they require (ZE1), and a folder put on
``sys.path`` with path functions imported by name (``from os.path import dirname``) is
computed (ZE2); a write that the test's own ``mock.patch`` replaces (ZE3), or built from
``Path.home()`` after the test replaced it (ZE4), is none; an import in a helper used only by
tests bears the marks all of them bear (ZE5); an import in the body of an ``if`` whose ``else``
``importorskip``s the same package is guarded (ZF3); a test class's ``@contextmanager`` method
that moves into a temporary folder moves the tests entering it (ZG3), ``bayes_opt`` is
bayesian-optimization's, ``progressbar`` progressbar2's too, and jax, contextily and
adc-streaming bring what they require (ZG2); an import that runs only on Pythons before 3.11
of a package pytest requires there (``tomli``) is guarded (ZH1), ``pinocchio`` is pin's and
pytest-dpg brings what it requires (ZH2, ZH3); an import in an ``except`` handler other than
``NameError``'s runs only when the ``try`` failed, and is guarded (ZI6), and an import under
``with try_import()`` records the names it binds (ZI4); 28, the seventeenth round: an
import records the top-level modules its file put into ``sys.modules`` before it (AC4, AE1),
LFPy, cvxpy, osqp and riskfolio-lib bring what they require (AC2, AC3), code under ``if
flag:`` on a test's parameter defaulting to a false constant never runs (AA3), a test's
``python3`` is no program use (AD1, AB1), ``ape_*`` are eth-ape's, and haystack-ai, posthog
and pretix bring what they require (AB2); and what the newest wheels of PyPI's 15,000 most
downloaded distributions require and install is known (``requirements_table.json``); 29, the
eighteenth round: an import after a module-level skip on a name another module computes is
guarded (AJ1), loopgrid, openhound, uw-restclients-core, ibauth, klyrek-http and shopyo bring
what they require (AG1, AF3, AI4, AI5), importlib's recipe importing a file by path is an
import in a function's body too (AG3), an environment variable named by a constant
(``branding.BRAND_ENV_VAR``) is a key of a change and of a fixture's ``monkeypatch.setenv``
(AH1), hail brings what it requires and installs ``hailtop`` (AH2), a ``skipif`` mark bound to
a name guards the secrets its condition reads (AH3), and signxml may bring pyOpenSSL (AH4); 30:
the ``async def`` tests without an ``asyncio`` mark are a fact of their own (AJ3); 31: an
environment, ``sys.path`` or working-directory change in a function that the test calls only
inside ``with`` blocks is under those blocks' managers (AK1), and so is one made while a
manager that a test class's setup enters by hand and its teardown exits holds (AK2); a
``sys.path.remove`` of a name the test binds once from its ``tmp_path`` takes back what the
code under test added (AK3); a ``patch.dict`` started in the ``setUp`` of a base class the file
defines covers its subclasses' tests (AM2), a teardown calling a function of the file that
deletes files cleans up (AM5), and so does one deleting through a ``Path`` built in place
(AM7); a dict comprehension of environment variables' values (``{k: os.environ.get(k) for k in
keys}``) keeps each one's value from before, as ``saved[k] = os.environ.get(k)`` does (AL3); an
import names the conftest fixture around it, when not autouse (AO3); 32, the twentieth round:
the module-level relative imports are import facts of their own, which the runner names
absolutely (AT1), a relative literal a module body puts on ``sys.path`` is a path folder read
from the root (AQ5, AT2), ``<api>apiclient`` is ``<api>-api-python-client``'s (AQ1), and
Airflow 2's web stack, localstack-client, Plone's test layers, epubkit, anaconda-cli-base,
museval, sbpy, palm, sfn-blueprint, ast-pluckit and zarrnii bring what they require (AP2, AQ2 to
AQ4, AS1, AS2, AR2); 33, the twenty-first round: a module body's ``sys.modules`` stand-ins
are facts (a conftest's stand in for the imports below its folder, also put there by a ``for``
over literal names: AU1), and so are a fork's child branch, an aliased ``os.environ`` a
``patch.dict`` decorator patches and a dict of environment values written key by key (AU2 to
AU4); a fixture's removals after its ``yield`` name a constant's variable as a change does
(AV1), a one-step write refused under ``pytest.raises(PermissionError)`` is no write (AV2),
boileroom and ipydex bring what they require and ``google.transit`` is gtfs-realtime-bindings'
(AV3, AV4), ``shapefile`` is pyshp's and coherence-cli brings what it requires (AW2,
AW3), imports inside a test that a ``skipif`` skips wherever an environment variable is unset
are guarded (AY2), a fixed ``mkdir(exist_ok=True)`` says which folder it makes (AX3), and a
fixture's file import by path under ``if mod is None:`` is no global change (AX2),
fastapi's ``standard`` and ``all`` extras bring what ``uvicorn[standard]`` installs (AY5); and
entries of a new kind, the import statements of a file's body that the chains follow at any
depth (AY1), kept under the file's bytes alone; 34, the twenty-second round: those entries
hold the names the body binds too, and an import's facts the names ``from module import a,
b`` imports, so that the chains follow a submodule imported by name (BD1); the markers a
conftest's collection hook gives tests by their path are facts (BD2); a fixture says whether
it may skip (AZ4), nothing below a module body's skip runs (AZ2), an autouse fixture's removal
of the variables a comprehension picks by prefix resets them (AZ3), a file imported by path
under a name built from a prefix is no global change (AZ5), and an import only a set
environment variable runs is guarded (AZ6); a module's ``sys.path`` addition spelt through
``__import__("pathlib")`` says which folder it adds (BB1); a suite's manager class whose
``__exit__`` changes the environment back restores it (BA2); turnkey-sdk-types, luma.core,
tomato, ``dict_compare`` and ``robot`` are known (BA3, BB2 to BB5); and what the project's
lock file records a declared requirement as requiring may be installed with it (BC1); 35, the
twenty-third round: a namespace folder one distribution fills is that one's (BH1), a
``sys.modules`` key handed to a fixture that pops its yielded keys is undone (BH2), an
environment read an ``assert`` compares with literals is no secret (BH3), ``setup.py``'s
literal console scripts are the project's own programs (BH4), and agento11y brings the
OpenTelemetry SDK (BH5); 36, the twenty-fourth round: a write to ``os.environ`` after
``monkeypatch.setattr(os, "environ", ...)`` in the same test goes to the stand-in (BJ1),
toolfuncs, syft-permissions and geometamaker are known (BJ2), a root ``test_reqs.txt`` is a
requirements file (BJ3), a ``tests_require`` naming only pytest leaves the requirements
file that declares pytest the tests' environment (BJ4), carculator-utils, dlmuse and
xcube-core are known (BK1), a started process between a write and the ``try`` whose
``finally`` removes it is no gap (BK2), a requirement whose marker holds on no supported
Python is never installed (BK3), a ``mock.patch`` of the module's own global spelt from
``__name__`` replaces a bare call (BL1), a contributor guide's or README's code blocks that
install extras and run pytest make them test sections (BM1), varco-core brings the
OpenTelemetry SDK (BM2), and ``puz`` is puzpy's (BN4); 37, the twenty-fifth round: a
function-scoped fixture yielding inside click's ``isolated_filesystem()`` or
``contextlib.chdir()`` goes back to the test's starting directory (BP1), ``pyworkflow`` is
scipion-pyworkflow's and ``karabind`` karabo-cpp's, scipion-em, tomtoolkit and starfile bring
what they require and trame-rca's ``vtkstreaming`` extra vtk (BP2 to BP5), a dotted project
name fills its namespace package (BP6), a teardown's ``_ensure_deleted("f.csv")`` cleans up
(BP7), code under ``if`` on an argument one ``parametrize`` fills with false constants only
never runs (BP8), and ``sys.modules[K] = importlib.import_module(K)`` changes nothing
(BP9); 38, the twenty-sixth round: the bare-name twin of a relative import under ``if "." in
__name__:`` imports the project's own sibling file, never a distribution (BU1),
(indicio-)indy-plenum installs ``plenum``, ``stp_core``, ``stp_zmq`` and ``crypto`` and brings
what it requires (BU2), g4edge-testdata brings GitPython (BU3), covalent-aws-plugins brings
covalent and cloudpickle (BU4), and a test's bare import of a project file's stem names no
test dependency (BU5); 39, the twenty-seventh round: a package hatch's wheel installs is the
project's own, no suite folder, also as a namespace a declared distribution shares (BV1),
bazis and bazis-test-utils bring django and what else they require (BV2), gnuhealth brings
trytond and its modules (BV3), an environment variable removed again in the function that
removed it first, under the same ``with``s, is one leak reported at the first removal (BW1),
enkie brings equilibrator-api, which brings equilibrator-cache through component-contribution
(BX1), the importlib recipe whose ``exec_module`` runs in a ``try`` after a ``sys.path``
insertion (BX2) or whose module a ``setUpClass`` keeps on its class (``cls.m``, BX3) leaves no
leaking ``sys.modules`` entry, a requirements file is decoded as pip decodes it, a UTF-16 one by
its byte order mark (BY1), a module's ``teardown_function`` that changes a family back restores
what its test functions changed (BY2), a requirements file with a line pip rejects installs
nothing (BY3), and a class's ``setUp`` that puts a folder on ``sys.path`` runs before its tests'
imports (BY4); 40, the twenty-eighth round: an autouse fixture's ``os.environ.pop(var, None)``
after its ``yield``, in a loop over a module constant's literal names, takes back a test's
setting of each of them (BZ1), a function of a test handed to ``submit``/``map`` of an
executor whose ``with`` lies inside a restoring manager runs under that manager (BZ2),
ladybug-display brings ladybug-geometry through ladybug-core, and ladybug-display-schema
pydantic through pydantic-openapi-helper (BZ3), fwl-io brings requests and pooch, gds-analysis
brings gds-sim and gds-framework, which bring pydantic (CA1), pyspark-client installs
``pyspark`` (CA2), and an import under an ``if`` that holds only where a file exists, or in a
test its module skips wherever a file is missing, is guarded (CA3); 41, the twenty-ninth
round: a test importing from a ``conftest`` module the tree lacks keeps the suite's fixtures out
of sight, so no plugin's fixture is judged missing (CC1), a module-level ``sys.path`` addition
under an ``if`` that holds only where the added folder exists says which folders it may add, so
that a tree holding none of them never makes it (CD1), lute3 installs ``lute`` and brings
pyyaml and what else its wheels require (CE1), a root conda explicit environment (conda-lock's
``conda-linux-64.lock``) declares its pinned packages, setuptools among them (CE2), a write
under ``if NAME:``, ``NAME`` bound once at the module's top to an environment switch, is opted
in (CG1), a manager of a helper module entered by hand in a class's setup keeps that module's
name as a ``with``'s does (CG2), a test's removal of a variable that the module's autouse
fixture saves before its ``yield`` and writes back after it is taken back (CG3), and a
requirements file that ``-r`` includes one pip rejects installs nothing either (BY3); 42, the
thirtieth and thirty-first rounds: ratatui installs ``ratatui_py`` beside ``ratatui`` (CJ1);
``Path(name).unlink()`` in a ``finally`` deletes ``name`` as ``os.remove(name)`` does (CH1); a
module-level loop putting each folder below a folder computed for certain on ``sys.path`` (``for d
in sorted(ROOT.iterdir())``) makes their modules the suite's own (CK1); a marked line of a pip-tools
input that the compiled file leaves out is not unbounded (CK2); a module-level skip under ``"x" not
in sys.modules`` skips on ``x`` (CI1); an import below a module-level ``importorskip`` of a package
no declaration installs never runs in a declared environment (CI2); a module entering importnb's
``with Notebook():`` installs an import hook (CN1); every file of ``tests/requirements/`` is a
requirements file installed with the tests (CN2); an xunit teardown moving back what its setup moved
aside is a cleanup (CM1); a ``sys.version_info`` bound below Python 3.6 decides its branch (CL1); a
change in a ``lambda`` handed to ``preexec_fn=`` runs in the child (CL2); a fake stored into
``http.client.HTTPConnection`` guards the test's requests (CL3); a context manager of CPython's
``test.support`` puts back what changed in it (CL4); a ``raise SkipTest`` on a failed import in a
branch every Python 3 takes guards the module's later imports (CL5); and the ``except ImportError``
of ``try: import builtins`` never runs (CL6); 43, the thirty-second round: a requirements file
directly in the test folder is a test requirements file (CP1), google-genai's older releases
require httpx (CP2), a module-level function returning False where ``find_spec`` finds no
package is an availability flag for it (CP3), an extra's bare requirement is bounded by the
runtime's bound on it (CP4), and a program a test runs with an ``env=`` whose ``PATH`` the test
or its class's setup wrote, after building a path named after the program there, is the test's
own (CO1); 43, the thirty-third round: a module-level helper that only tests asserting an
ImportError name imports what must fail (CR1), ``setup.cfg``'s requirement lists written on
the key's line are split on ``;`` (CS1), an ``isolated_*`` helper handed a click runner moves
the test into its temporary folder (CT1), each module's names bound once to an environment
switch (``environment_switches``), APT203 reading a regeneration flag imported from a module of
the test's own folder (CU1), and the folders a top package's ``__init__.py`` puts on
``sys.path`` hold project modules (CV1); 44, the thirty-fourth round: the ``except
ImportError`` of ``try: import builtins`` never runs for any rule (CL6, now in ``never_runs``),
six's ``six.PY2`` branches never run and the Python 2 names of the standard modules PEP 3108
removed or renamed are standard (CY1), and a write in a test module's fixture nothing in the
module requests is none (DB2); 45, the thirty-fifth round: an import in a test's body that an
autouse fixture of its module or class ``importorskip``s first is guarded (DF4), and a
teardown's ``try_rm(os.path.join(root, "f.ext"))`` removes the setup's write (DJ2), and a
conftest's ``pytest_runtest_teardown`` writing back a module-level copy restores state (DK1),
an import in a function after a call to a function of its module that may skip is guarded, and a
module-level ``pytest.skip`` wherever an environment variable is unset opts the module in
(shogym, found by the kit); 46, the thirty-sixth round: an attribute on ``self``/``cls`` a
function's ``try: import`` sets is an availability flag (DM1), and imports say which errors the
``try`` around them catches (DN2); 47, the thirty-seventh round: a ``finally`` handing a
function the file does not define an environment variable's key and saved value puts it back
(DY1), a folder's snapshot written back in a ``finally`` restores it (DX3), code under an ``and``
with a switch that is off among its operands never runs (DW3), and unittest's ``assertEqual`` of a
variable with a literal needs no secret (DY2); 48, the thirty-eighth round: a switch naming
``WRITE`` as a whole word asks for expected files to be written again (DZ1), a folder bound in
the module-level block that puts it on ``sys.path`` is read (DZ2), and a change in a nested
function that runs only as a ``multiprocessing.Process`` target stays in the child (EB1); 49,
the thirty-ninth round: a test module's ``sys.path`` folder may be built from any name its import
binds once (``import_bindings``), a test's plugin-fixture request records its markers and a
hook's markers may be a dict's keys (EI2), and a serializer's dump of the test's own data before
a cleaning ``try`` is no gap (EI1); 50, the fortieth round: a file that cannot be parsed
says so (``unparsed``, EM1), and the project's own managers are followed through a plain import
of their module (EQ1); 51, the forty-first round: a PEP 723 ``# /// script`` block's
dependencies are a file's facts (``script_dependencies``, ER1), and an option's first writing in
the configuration is found as a whole word, as its later ones are; 52, the forty-second round:
the per-test setup of a class whose every test is skipped without a condition never runs (EZ2),
a helper's import past each caller's ``importorskip`` (FB1), and a class's once-per-class
teardown writing back its setup's copy (EX1); 53, the forty-third round: a module body's
stand-ins for modules (``ModuleBody.stand_ins``, FE1), the imports a class's ``skipif`` on a
missing spec guards (FF1), and ANTLR's ``__name__ is not None and "." in __name__`` (FE2); 54,
the forty-fourth round: the first name of a test module that may give a test (``test_items``,
FL2), the paths whose absence skips a module running programs
(``ProgramUseFact.skipped_unless``, FL3), imports only where another module is in
``sys.modules`` (FI1), and ``sys.path`` folders spelt ``os.path.sep.join`` of a tuple (FL1)."""


def environment_key() -> str:
    """Changes when a package is installed or removed: every ``sys.path`` folder's mtime."""
    stamps = [sys.executable]
    for entry in sys.path:
        try:
            stamps.append(f"{entry}:{os.stat(entry or '.').st_mtime_ns}")
        except OSError:
            continue
    return hashlib.sha256("\0".join(stamps).encode()).hexdigest()


def read_keyed(path: Path, key: str) -> Any | None:
    """The value stored at ``path`` under ``key``, or None if absent, stale or unreadable."""
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError, RecursionError):  # RecursionError: nested past any real entry
        return None
    return data.get("value") if isinstance(data, dict) and data.get("key") == key else None


def write_keyed(path: Path, key: str, value: Any) -> None:
    """Store ``value`` atomically; a cache that cannot be written only costs speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps({"key": key, "value": value}, separators=(",", ":")))
    except OSError:
        return


class ResultCache:
    def __init__(self, root: Path, fingerprint: str) -> None:
        self.folder = root / CACHE_DIR
        version = f"{apytest_version()}\0{FORMAT}\0"
        self.salt = f"{version}{fingerprint}\0".encode()
        self.statements_salt = f"{version}statements\0".encode()

    def key(self, file: SourceFile, data: bytes) -> str:
        digest = hashlib.sha256(self.salt)
        digest.update(f"{file.path}\0{file.kind}\0".encode("utf-8", "surrogateescape"))
        digest.update(data)
        return digest.hexdigest()

    def statements_key(self, data: bytes) -> str:
        """The key of what a file's bytes alone decide (the import statements of its body that
        ``lint/chains.py`` follows), whatever its path or the configuration."""
        return hashlib.sha256(self.statements_salt + data).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> FileResult | None:
        value = self.get_value(key)
        try:
            return FileResult.from_json(value) if value is not None else None
        except (ValueError, KeyError, TypeError, RecursionError):
            return None

    def put(self, key: str, result: FileResult) -> None:
        self.put_value(key, result.to_json())

    def get_value(self, key: str) -> Any | None:
        """The JSON value stored under ``key``, or None if absent or unreadable."""
        try:
            with self._path(key).open(encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError, RecursionError):
            return None

    def put_value(self, key: str, value: Any) -> None:
        """Store an entry; a cache that cannot be written only costs speed."""
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            ignore_state(self.folder.parents[1])
            write_atomically(target, json.dumps(value, separators=(",", ":")))
        except OSError:
            return
