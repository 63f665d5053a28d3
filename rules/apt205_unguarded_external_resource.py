"""APT205: tests that need the network, a program or a secret, with nothing to skip them."""

from __future__ import annotations

import ast
import re
import shlex
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from ipaddress import ip_address
from typing import ClassVar
from urllib.parse import urlsplit

from packaging.utils import canonicalize_name

from apytest.rules.api import (
    Example,
    FileContext,
    FileRule,
    Finding,
    Option,
    ProgramUseFact,
    ProjectContext,
    ProjectRule,
)
from apytest.rules.support.astutil import (
    ENVIRONMENT_READS,
    EnvironNames,
    FixtureDecl,
    FunctionNode,
    called_with_strings,
    decorator_origins,
    dotted_name,
    fixture_decl,
    imported_origins,
    inside_with_call,
    is_pytest_attr,
    is_test_function,
    key_identifiers,
    keyword_value,
    marker_names,
    never_runs,
    parameter_names,
    pytestmark_markers,
    requested_fixtures,
    statements,
    string_value,
)
from apytest.rules.support.distributions import with_requirements
from apytest.rules.support.fixture_guards import fixture_guards
from apytest.rules.support.static_paths import (
    PathEvaluator,
    existence_checked,
    imported_path_names,
    module_bindings,
)

DEFAULT_RESOURCE_MARKERS = [
    "network",
    "internet",
    "online",
    "integration",
    "e2e",
    "external",
    "docker",
    "requires_network",
    # pytest-remotedata (astropy's ecosystem, also through pytest-astropy) skips the tests
    # marked ``remote_data`` unless ``--remote-data`` asks for them
    "remote_data",
]
ZB9_TEST = """
import subprocess

import pytest
from {module} import {decorator}


@{decorator}
@pytest.mark.parametrize("asset", ["app.js"])
def test_parses(asset):
    subprocess.run(["node", "--check", asset], check=True)
"""
"""ZB9: a test whose imported decorator comes from the suite's own ``tests/platform_marks.py``
(a ``skipif`` on ``shutil.which("node")``, netviz); the near miss's comes from a library."""
ZB9_MARKS = (
    "import shutil\n\nimport pytest\n\n"
    'requires_node = pytest.mark.skipif(shutil.which("node") is None, reason="no node")\n'
)

BD2_CONFTEST = """
from pathlib import Path

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        group = Path(str(item.fspath)).parent.name
        if group == "{folder}":
            item.add_marker(pytest.mark.e2e)
"""
"""BD2: a conftest's hook giving the tests of one folder ``e2e``, a resource marker CI
deselects (prismai-sdk); the near miss names another folder."""
BD2_TEST = 'import os\n\n\ndef test_chat():\n    assert os.environ["OPENAI_API_KEY"]\n'
"""BD2: a test of ``tests/live/`` reading a secret, marked by nothing in its file."""


SKIPPING_MARKERS = frozenset({"skip", "skipif", "xfail"})
UNITTEST_SKIPS = frozenset({"skip", "skipIf", "skipUnless", "expectedFailure"})
"""unittest's skip decorators (``@unittest.skipUnless(...)``, ``@skipIf(...)``): pytest reports a
test, TestCase method or TestCase class under one as skipped (or xfailed), like a skip marker."""
EXPECTING_FAILURE = ("pytest.raises", "raises", "suppress", "assertRaises", "assertRaisesRegex")
"""Context managers whose body is expected to fail: pytest's ``raises``, unittest's
``self.assertRaises``/``assertRaisesRegex`` (dnspython's ``getaddrinfo("dns.google")`` under a
fake resolver must raise ``gaierror``), ``contextlib.suppress``. A call in one passes without
the network as it does with it."""
HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "stream"})
NETWORK_MODULES = ("requests", "httpx")
URL_FUNCTIONS = frozenset(
    {"urllib.request.urlopen", "urlopen", "urllib.request.urlretrieve", "urlretrieve"}
)
METHOD_URL_FUNCTIONS = frozenset({"aiohttp.request", "urllib3.request"})
HOST_FUNCTIONS = frozenset(
    {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"}
)
CLIENT_TYPES = frozenset(
    {
        "requests.Session",
        "requests.session",
        "httpx.Client",
        "httpx.AsyncClient",
        "aiohttp.ClientSession",
        "urllib3.PoolManager",
    }
)
SOCKET_CONNECTS = frozenset({"create_connection", "connect", "connect_ex"})
SOCKET_FACTORIES = frozenset({"socket", "create_connection"})
"""The functions of the ``socket`` module that return a socket."""
REROUTING = ("app", "transport", "mounts", "connector", "resolver")
"""Keywords of a client that hand its traffic to something the test built: an app served in
process, a fake transport, an aiohttp connector with a resolver that maps every host to a
local server. Such a client is not known to reach the network."""
PROXIES = ("proxy", "proxies")
"""Keywords of a request (or of the client sending it, AZ1) that send it through a proxy, in a
test a local server's."""
SUBPROCESS_FUNCTIONS = frozenset(
    {
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
        "asyncio.create_subprocess_exec",
    }
)
SHELL_FUNCTIONS = frozenset(
    {
        "os.system",
        "os.popen",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "asyncio.create_subprocess_shell",
    }
)
BASE_PROGRAMS = frozenset(
    {
        *("sh", "bash", "echo", "true", "false", "cat", "ls", "env", "sleep", "printf", "pwd"),
        *("kill", "test", "mkdir", "rm", "cp", "mv", "touch", "chmod", "grep", "sed", "awk"),
        *("head", "tail", "wc", "sort", "uniq", "tr", "cut", "date", "id", "whoami", "uname"),
        *("which", "xargs", "tee", "yes", "find", "dirname", "basename", "readlink", "ln"),
        *("stat", "cmd", "exit"),
        # Debian's Essential set (gzip, tar, diffutils), busybox and macOS ship these too
        *("gzip", "gunzip", "zcat", "tar", "diff", "cmp"),
        # AD1, AB1: the interpreter itself, which every POSIX CPython install (system, pyenv,
        # conda, a venv) puts on PATH as python3; not ``python`` (Debian ships none)
        "python3",
    }
)
"""POSIX utilities, the archivers and comparers of Debian's Essential set, and ``python3``,
that every runner of a Python suite has; finding them missing is not this lesson."""
GUARD_CALLS = frozenset({"skip", "importorskip", "xfail", "which", "skipTest", "SkipTest"})
PROGRAM_USE = "runs the external program"
XUNIT_SETUPS = frozenset(
    {
        *("setup_method", "setup_class", "setup", "setup_module", "setup_function"),
        *("setUp", "setUpClass", "asyncSetUp", "setUpModule"),
    }
)
"""pytest's and unittest's setup functions: each runs before every test of its class or module,
like an autouse fixture, so a fake it starts (``responses.RequestsMock().start()``) guards them."""
MOCK_WORDS = (
    *("mock", "patch"),  # mock.patch, requests_mock, httpx_mock, httmock's HTTMock, mocket
    *("responses",),  # responses, aioresponses, aresponses
    *("respx",),  # respx.mock, respx_mock
    *("vcr", "cassette"),  # vcr.use_cassette, @pytest.mark.vcr (pytest-recording, pytest-vcr)
    *("betamax",),  # Betamax(session), betamax_session
    *("httpretty", "httprettified"),  # @httpretty.activate, @httprettified, httpretty.enable()
    *("pook",),  # @pook.on, pook.activate(), pook.get(...)
    *("httpserver",),  # pytest_httpserver's and pytest-localserver's local server
)
"""Words in the name of a fake for HTTP or the network (or a patch): a test, class, module
``pytestmark``, fixture or xunit setup whose decorators, parameters or calls name one fakes
the traffic. One entry per tool; matched case-insensitively inside dotted names."""
SUBPROCESS_FAKES = frozenset({"fp", "fake_process"})
"""pytest-subprocess's fixtures: a test requesting one runs no real program (every
``subprocess`` call goes to the processes it registers, or raises ``ProcessNotRegisteredError``
unless it allows unregistered ones), so no program it names needs installing."""
LOCAL_HOSTS = frozenset({"localhost", "0.0.0.0", "testserver", "::1", ""})
LOCAL_SUFFIXES = (".localhost", ".test", ".invalid", ".example", ".local", ".internal")
BH3_TEST = """
import os

from demo_app import hydrate


def test_hydration_copies_keys():
    hydrate()
    assert {check}
"""
"""BH3: a test asserting on a variable the code under test sets."""

DY2_TEST = """
import os
import unittest

from demo_app import hydrate


class HydrationTest(unittest.TestCase):
    def test_hydration_copies_keys(self):
        hydrate()
        self.assertEqual({check})
"""
"""DY2: unittest's assertion on a variable the code under test sets."""

BH4_TEST = """
import subprocess


def test_short_entry_point():
    assert subprocess.check_output("rd --help", shell=True)
"""
BH4_SETUP = """
from setuptools import setup

setup(
    name="demo-remote",
    install_requires=["click>=8"],
    entry_points={{"{group}": ["demo-remote = demo_remote:main", "rd = demo_remote:main"]}},
)
"""
"""BH4: a ``setup.py`` naming the project's scripts in a literal ``entry_points``."""

SECRET = re.compile(r"TOKEN|SECRET|PASSW|API_?KEY|ACCESS_KEY|CREDENTIAL|PRIVATE_KEY|AUTH", re.I)


RELEASE_HOOK = """
import pytest


def pytest_addoption(parser):
    parser.addoption("--release", action="store_true", help="run release tests")


def pytest_runtest_setup(item):
    markers = [marker.name for marker in item.iter_markers()]
    if not item.config.getoption("--release") and "release" in markers:
        pytest.skip()
"""
"""An examples' conftest whose hook skips the tests marked ``release`` unless asked."""
PATH_FIXTURE = """
import pytest


@pytest.fixture
def fpath(tmp_path):
    return tmp_path / "data"
"""
"""An examples' conftest fixture that gives a path: neither a fake process nor a skip."""
NO_SKIP_FIXTURE = """
import pytest


@pytest.fixture
def needs_internet():
    return None
"""
"""An examples' conftest fixture named for the network that skips nothing."""


def remote_host(url: str | None) -> str | None:
    """The host of a literal URL when it is a real remote one (not loopback, not reserved)."""
    if not url or "://" not in url:
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    return real_host(host) if parts.scheme in ("http", "https", "ws", "wss", "ftp") else None


def real_host(host: str | None) -> str | None:
    if host is None or host in LOCAL_HOSTS or host.endswith(LOCAL_SUFFIXES):
        return None
    try:
        address = ip_address(host)
    except ValueError:
        return host if "." in host else None  # a single label is a fake name in a test
    return None if address.is_loopback or address.is_unspecified or address.is_private else host


def url_prefix(node: ast.expr | None) -> str | None:
    """The literal text of a URL, or of the start of an f-string up to its first placeholder
    (only when that start already holds the whole host)."""
    text = string_value(node)
    if text is not None:
        return text
    if isinstance(node, ast.JoinedStr) and node.values:
        head = string_value(node.values[0])
        if head and "://" in head and re.search(r"[/:?#]", head.split("://", 1)[1]):
            return head
    return None


def _argument(call: ast.Call, index: int, name: str) -> ast.expr | None:
    return call.args[index] if len(call.args) > index else keyword_value(call, name)


GENERIC_FIRST_WORDS = frozenset({"py", "python", "pytest", "test", "tests", "my", "run"})
"""First words of a program's name too common to tie it to a distribution named alike."""


FL3_TEST = """
import subprocess
from pathlib import Path

import pytest

CHECK_SCRIPT = Path(__file__).resolve().parents[1] / ".github" / "check.py"

if not CHECK_SCRIPT.exists():
    pytest.skip("the .github folder is not shipped", allow_module_level=True)


def test_check(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
"""
"""FL3 (policyengine-uk): a module skipping itself where a script of the repository is
absent, whose test runs git."""


BO2_TEST = """
import subprocess


def test_runs_via_nbconvert():
    result = subprocess.run(
        "jupyter nbconvert --to notebook --execute tests/demo.ipynb", shell=True
    )
    assert result.returncode == 0
"""
BO2_PYPROJECT = """
[project]
name = "demo"
version = "1"

[project.optional-dependencies]
dev = ["pytest", "{requirement}"]
"""


PROGRAM_DISTRIBUTIONS: Mapping[str, str] = {
    "jupyter": "jupyter-core",  # BO2: jupyter-core's [project.scripts] installs ``jupyter``
}
"""Programs named unlike the distribution that installs them as a console script (from its
published metadata), which other distributions require: ``jupyter`` is there wherever
``nbconvert`` or ``notebook``, which require jupyter-core, are installed."""


def _provided_by_requirement(program: str, distributions: Collection[str]) -> bool:
    """Whether a distribution that ``PROGRAM_DISTRIBUTIONS`` names for the program is one of
    ``distributions`` or one they require for certain, transitively (BO2: ``jupyter
    nbconvert`` with ``nbconvert`` declared for the tests)."""
    provider = PROGRAM_DISTRIBUTIONS.get(program)
    return provider is not None and provider in with_requirements(distributions)


def _provided(program: str, distributions: Collection[str]) -> bool:
    """Whether one of the declared ``distributions`` (canonical names) is there to install the
    program: named after it (``coverage``), or a dashed program sharing its first word with
    one (``ansible-galaxy`` of ``ansible-core``, ``sphinx-build`` of ``sphinx``,
    ``django-admin`` of ``django``): the distributions of a family name their scripts that
    way, and without their entry points apytest-lint cannot tell which is whose."""
    if program in distributions:
        return True
    first, dashed, _ = program.partition("-")
    if not dashed or first in GENERIC_FIRST_WORDS:
        return False
    return any(name.partition("-")[0] == first for name in distributions)


def _program(call: ast.Call, shell: bool) -> str | None:
    """The program a subprocess call runs, when it is written literally."""
    command = _argument(call, 0, "args")
    if isinstance(command, ast.List | ast.Tuple) and command.elts:
        return string_value(command.elts[0])
    text = string_value(command)
    if text is None:
        return None
    try:
        words = shlex.split(text) if shell else [text]
    except ValueError:
        return None
    return words[0] if words else None


def _names_program(node: ast.AST, program: str) -> bool:
    """Whether ``node`` builds a path whose last part is ``program``:
    ``os.path.join(folder, "c2d")``, ``folder.joinpath("c2d")`` or ``folder / "c2d"``."""
    if isinstance(node, ast.Call) and node.args:
        last = (dotted_name(node.func) or "").rpartition(".")[2]
        return last in ("join", "joinpath") and string_value(node.args[-1]) == program
    return (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Div)
        and string_value(node.right) == program
    )


def _sets_path(node: ast.AST) -> bool:
    """Whether ``node`` writes an environment's ``PATH``: ``env["PATH"] = ...`` or a dict
    literal with a ``"PATH"`` key."""
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
        return string_value(node.slice) == "PATH"
    return isinstance(node, ast.Dict) and any(
        k is not None and string_value(k) == "PATH" for k in node.keys
    )


def _installs_program(call: ast.AST, program: str, test: _Test) -> bool:
    """CO1: whether the test runs ``program`` from a folder it fills itself: the call hands
    ``env=`` to the subprocess, and the test, or its class's setup, both builds a path
    ending in the program's name (``os.path.join(bin_dir, "c2d")``, where it copies a
    script) and writes an environment's ``PATH`` (``env["PATH"] = bin_dir + ...``). The
    program is there wherever the test runs."""
    if not isinstance(call, ast.Call) or keyword_value(call, "env") is None:
        return False
    scopes: list[ast.AST] = [test.func]
    if test.cls is not None:
        scopes += [
            f for f in test.cls.body if isinstance(f, FunctionNode) and f.name in XUNIT_SETUPS
        ]
    nodes = [n for scope in scopes for n in ast.walk(scope)]
    return any(_names_program(n, program) for n in nodes) and any(_sets_path(n) for n in nodes)


AZ4_TEST = """
import subprocess


def test_transitions(media):
    subprocess.run(["ffmpeg", "-h", "filter=xfade"], check=True)
"""
AZ4_GUARD = """
    if shutil.which("ffmpeg") is None:
        pytest.skip("FFmpeg is not installed")"""
AZ4_CONFTEST = """
import shutil

import pytest


@pytest.fixture(scope="session")
def media(tmp_path_factory):{guard}
    return tmp_path_factory.mktemp("media")
"""
"""AZ4: a test requesting a conftest's fixture, which skips where ffmpeg is missing (with
``AZ4_GUARD``) or does not (without)."""


def _proxied(call: ast.Call) -> bool:
    """Whether a client is built to send every request through a proxy (AZ1: ``httpx.Client(
    proxy=f"http://treg:{token}@127.0.0.1:{port}")``): in a test, a local server's, as with a
    request's own ``proxy=`` (``PROXIES``). An explicit ``proxy=None`` sends nothing there."""
    for name in PROXIES:
        value = keyword_value(call, name)
        if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
            return True
    return False


def _status_discarded(call: ast.Call, callee: str, ancestors: Sequence[ast.AST]) -> bool:
    """A command run through a shell whose exit status the test throws away (a statement
    ``os.system("rabbitmqctl stop_app")``, ``subprocess.run(..., shell=True)`` without
    ``check=True``): where the program is missing the shell prints "not found" and returns 127,
    and nothing raises. Whether the test then fails depends on what it expected the program
    to do, which the rule cannot know: it stays silent."""
    if not ancestors or not isinstance(ancestors[-1], ast.Expr) or ancestors[-1].value is not call:
        return False
    if callee == "os.system":
        return True
    if callee not in ("subprocess.run", "subprocess.call"):
        return False
    shell, check = keyword_value(call, "shell"), keyword_value(call, "check")
    shelled = isinstance(shell, ast.Constant) and shell.value is True
    return shelled and (check is None or (isinstance(check, ast.Constant) and not check.value))


CONNECTION_CLASSES = ("http.client.HTTPConnection", "http.client.HTTPSConnection")
"""The classes ``urllib.request.urlopen`` opens its connections with: a test that stores a fake
in their place (or on one of their attributes) sends nothing out (CL3)."""


def _replaces_connection(node: ast.Assign) -> bool:
    """Whether the assignment stores into ``http.client.HTTPConnection`` or an attribute of it
    (``http.client.HTTPConnection = fakehttp(data)``, ``http.client.HTTPConnection.request =
    request``), as ``monkeypatch.setattr`` would."""
    return any(
        (name := dotted_name(target)) is not None
        and any(name == c or name.startswith(f"{c}.") for c in CONNECTION_CLASSES)
        for target in node.targets
    )


def _mocks(words: Sequence[str]) -> bool:
    """Whether a name says it fakes HTTP or patches (``respx_mock``, ``responses.activate``,
    ``httpx.MockTransport``, ``requests_mock.Mocker``, ``httpserver``, ``aioresponses``)."""
    return any(word in name.lower() for name in words for word in MOCK_WORDS)


def _skip_names(decorators: Sequence[ast.expr]) -> list[str]:
    """The skip markers a decorator list applies: pytest's (``skipif`` for
    ``@pytest.mark.skipif(...)``), and ``skip`` for unittest's (``@unittest.skipUnless(...)``,
    ``@skipIf(...)``), which pytest honours on functions, methods and classes alike."""
    names = marker_names(decorators)
    for decorator in decorators:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if (dotted_name(target) or "").rpartition(".")[2] in UNITTEST_SKIPS:
            names.append("skip")
    return names


def _read_keys(expr: ast.AST, functions: Mapping[str, FunctionNode]) -> frozenset[str]:
    """The variables an expression reads without failing (``os.environ.get("K")``,
    ``os.getenv("K")``, ``"K" in os.environ``), also in the module's functions it calls,
    theirs in turn (``not _openai_ready()`` where ``_openai_ready`` reads the key)."""
    keys: set[str] = set()
    pending, seen = [expr], set[str]()
    while pending:
        for node in ast.walk(pending.pop()):
            if isinstance(node, ast.Call):
                name = dotted_name(node.func) or ""
                if name in ENVIRONMENT_READS and node.args and (key := string_value(node.args[0])):
                    keys.add(key)
                elif name in functions and name not in seen:
                    seen.add(name)
                    pending.append(functions[name])
            elif (
                isinstance(node, ast.Compare)
                and len(node.ops) == 1
                and isinstance(node.ops[0], ast.In | ast.NotIn)
                and (dotted_name(node.comparators[0]) or "").endswith("environ")
                and (key := string_value(node.left))
            ):
                keys.add(key)
    return frozenset(keys)


def _skipped_unless(module: ast.Module, file: str) -> tuple[str, ...]:
    """FL3: the paths whose absence makes the module skip itself at import: a top-level ``if
    not P.exists():`` (``is_file``/``is_dir``, ``os.path.exists(P)``/``isfile``/``isdir``)
    whose body calls ``pytest.skip(..., allow_module_level=True)``, ``P`` computed for certain
    from the module's ``__file__`` (``static_paths``). Empty for anything else."""
    found: list[str] = []
    evaluator: PathEvaluator | None = None
    for stmt in module.body:
        if not (
            isinstance(stmt, ast.If)
            and isinstance(stmt.test, ast.UnaryOp)
            and isinstance(stmt.test.op, ast.Not)
            and any(_skips_module(part) for part in stmt.body)
        ):
            continue
        checked = existence_checked(stmt.test.operand)
        if checked is None:
            continue
        path = checked[1]
        if evaluator is None:
            evaluator = PathEvaluator(file, module_bindings(module), imported_path_names(module))
        folder = evaluator.folder(path)
        if folder:
            found.append("/".join(folder))
    return tuple(found)


def _skips_module(stmt: ast.stmt) -> bool:
    """``pytest.skip(..., allow_module_level=True)`` as a statement."""
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    return (
        isinstance(call, ast.Call)
        and is_pytest_attr(call.func, "skip")
        and any(
            k.arg == "allow_module_level"
            and isinstance(k.value, ast.Constant)
            and k.value.value is True
            for k in call.keywords
        )
    )


def _skip_alias_keys(module: ast.Module) -> dict[str, frozenset[str]]:
    """The module's skip marks bound to a name (``openai_only = pytest.mark.skipif(not
    _openai_ready(), ...)``), each with the variables its condition checks (AH3): a test
    decorated ``@openai_only`` is skipped where they are missing, as under a ``skipif`` written
    on it. A mark whose condition checks no variable (``sys.platform == "win32"``) guards no
    secret."""
    functions = {stmt.name: stmt for stmt in module.body if isinstance(stmt, ast.FunctionDef)}
    aliases: dict[str, frozenset[str]] = {}
    for stmt in module.body:
        if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
            continue
        target, value = stmt.targets[0], stmt.value
        if not isinstance(target, ast.Name) or not isinstance(value, ast.Call) or not value.args:
            continue
        if marker_names([value]) == ["skipif"]:
            aliases[target.id] = _read_keys(value.args[0], functions)
    return aliases


def _alias_guarded(
    decorators: Sequence[ast.expr], aliases: Mapping[str, frozenset[str]]
) -> set[str]:
    """The variables the skip marks bound to names (`_skip_alias_keys`) in a decorator list
    check."""
    return {
        key
        for decorator in decorators
        if isinstance(decorator, ast.Name)
        for key in aliases.get(decorator.id, ())
    }


@dataclass
class _SocketImports:
    """How the file names the ``socket`` module: its aliases (``import socket as s``) and the
    names it imports from it (``from socket import create_connection``), by original name."""

    modules: set[str] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, module: ast.Module) -> _SocketImports:
        found = cls()
        for node in statements(module):
            if isinstance(node, ast.Import):
                found.modules.update(a.asname or a.name for a in node.names if a.name == "socket")
            elif isinstance(node, ast.ImportFrom) and node.module == "socket" and not node.level:
                found.names.update((a.asname or a.name, a.name) for a in node.names)
        return found

    def function(self, callee: str, rebound: set[str]) -> str | None:
        """The ``socket`` module function that ``callee`` names (``"create_connection"`` for
        ``socket.create_connection``), unless the test rebinds the name it goes through."""
        root, _, last = callee.rpartition(".")
        if root:
            return last if root in self.modules and root not in rebound else None
        return self.names.get(callee) if callee not in rebound else None


def _rebound_call(call: ast.Call, rebound: set[str]) -> bool:
    """BQ1: whether the test bound the name this call goes through to something else before
    it (``socket.getaddrinfo = fake_getaddrinfo`` before ``socket.getaddrinfo("example.com",
    80)``): the call runs the test's fake, which resolves nothing. Only an assignment the test
    made earlier counts; a call before it still reaches the resolver."""
    name = dotted_name(call.func)
    return name is not None and name in rebound


def _references(
    node: ast.AST, name: str, chain: tuple[ast.AST, ...], skip: ast.AST
) -> Iterator[tuple[ast.Name, tuple[ast.AST, ...]]]:
    """Every read of ``name`` under ``node`` (outside ``skip``), with the nodes around it."""
    for child in ast.iter_child_nodes(node):
        if child is skip:
            continue
        if isinstance(child, ast.Name) and child.id == name and isinstance(child.ctx, ast.Load):
            yield child, (*chain, node)
        yield from _references(child, name, (*chain, node), skip)


def _helper_called_expecting_failure(ancestors: Sequence[ast.AST]) -> bool:
    """BQ2: whether the use sits in a function nested in the test that the test names only
    inside ``with pytest.raises(...)`` (``async def _attempt(): await
    asyncio.create_subprocess_exec("systemctl", ...)`` then, under ``pytest.raises``,
    ``asyncio.run(_attempt())``): the helper runs only where the test expects it to fail, as a
    use written directly in that block. A helper named once outside such a block (called, or
    handed on) may run the program for real."""
    functions = [a for a in ancestors if isinstance(a, FunctionNode)]
    if len(functions) < 2:
        return False
    host, helper = functions[-2], functions[-1]
    reads = list(_references(host, helper.name, (), helper))
    return bool(reads) and all(
        inside_with_call(chain, read, EXPECTING_FAILURE) for read, chain in reads
    )


UNITTEST_EQUALITY = frozenset({"assertEqual", "assertEquals", "assertNotEqual"})
"""unittest's assertions comparing their first two arguments (DY2)."""

LITERAL_CHECKS = frozenset({"startswith", "endswith"})
"""String methods an ``assert`` checks a value with against literals."""


def _literal(node: ast.expr) -> bool:
    """A constant, or a tuple of constants (``endswith((".a", ".b"))``)."""
    if isinstance(node, ast.Tuple):
        return all(isinstance(item, ast.Constant) for item in node.elts)
    return isinstance(node, ast.Constant)


def _asserted_value(node: ast.Subscript, ancestors: Sequence[ast.AST]) -> bool:
    """BH3: whether a read of a variable is an ``assert`` comparing it with literals
    (``assert os.environ["OPENAI_API_KEY"] == "oa"``, ``assert
    os.environ["CLIENT_SECRET"].startswith("GOCSPX-")``): the test knows the value, so the test
    or the code it runs put it there; the environment holds no secret it needs. A read handed
    on (``login(os.environ["TOKEN"])``) or checked only for being there (``assert
    os.environ["TOKEN"]``) still uses the secret. unittest's ``self.assertEqual(
    os.environ["TOKEN"], "from-env")`` compares it with a literal too (DY2)."""
    parent = ancestors[-1] if ancestors else None
    if (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Attribute)
        and parent.func.attr in UNITTEST_EQUALITY
        and node in parent.args[:2]
    ):
        return len(parent.args) >= 2 and all(_literal(a) for a in parent.args[:2] if a is not node)
    if not any(isinstance(a, ast.Assert) for a in ancestors):
        return False
    if isinstance(parent, ast.Compare):
        operands = [parent.left, *parent.comparators]
        others = [o for o in operands if o is not node]
        return len(others) == len(operands) - 1 and all(_literal(o) for o in others)
    call = ancestors[-2] if len(ancestors) > 1 else None
    return (
        isinstance(parent, ast.Attribute)
        and parent.attr in LITERAL_CHECKS
        and isinstance(call, ast.Call)
        and call.func is parent
        and bool(call.args)
        and all(_literal(a) for a in call.args)
    )


def _method(call: ast.Call) -> str:
    """The name a call ends in, also on a receiver that is not a dotted name
    (``wrap_socket`` of ``ssl.create_default_context().wrap_socket(...)``)."""
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else dotted_name(func) or ""


def _words(decorator: ast.expr) -> list[str]:
    """What a decorator says about a test: its name and literal arguments
    (``mock.patch``, ``"requests.get"`` for ``@mock.patch("requests.get")``)."""
    if not isinstance(decorator, ast.Call):
        return [dotted_name(decorator) or ""]
    arguments = [*decorator.args, *(k.value for k in decorator.keywords)]
    return [dotted_name(decorator.func) or "", *filter(None, map(string_value, arguments))]


def _alias_applied(decorators: Sequence[ast.expr], aliases: Mapping[str, frozenset[str]]) -> bool:
    """FJ3: whether a decorator list applies a ``skipif`` mark bound to a name in the module
    (``mac_ci_only = pytest.mark.skipif(sys.platform != "darwin", ...)``, then ``@mac_ci_only``
    on a test running macOS's ``security``): for a program it guards as a ``skipif`` written
    on the test does, whatever its condition; a secret stays judged by the variables the
    condition reads (AH3)."""
    return any(isinstance(d, ast.Name) and d.id in aliases for d in decorators)


@dataclass(frozen=True)
class _Use:
    node: ast.AST
    what: str
    key: str
    """What a guard names: the program (`shutil.which`), the variable (`setenv`), else ""."""
    program: bool = False
    """A program run by name: judged over the project (a declared distribution may install
    it)."""


@dataclass
class _Test:
    """A test, or a fixture (``decl``): what it reaches, and what keeps it off real resources."""

    func: FunctionNode
    cls: ast.ClassDef | None
    decl: FixtureDecl | None = None
    uses: list[_Use] = field(default_factory=list)
    """Each resource the test reaches."""
    guarded: bool = False
    setup: bool = False
    """An xunit-style setup (`XUNIT_SETUPS`), not a test: its guard is its class's or module's."""
    clients: set[str] = field(default_factory=set)
    env_set: set[str] = field(default_factory=set)
    sockets: set[str] = field(default_factory=set)
    """Names (``sock``, ``self.sock``) the test bound to a socket: whose ``.connect`` connects."""
    rebound: set[str] = field(default_factory=set)
    """Names the test bound to something else: a local ``socket`` is not the module."""
    fakes_programs: bool = False
    """The test requests a fixture faking every subprocess (`SUBPROCESS_FAKES`)."""


class UnguardedExternalResource(FileRule, ProjectRule):
    """A test that needs the network, an external program or a secret, and nothing skips it.

    Loopback and reserved hosts, URLs that are not literal (a local test server's), mocked HTTP,
    POSIX base utilities and ``python3``, calls inside ``pytest.raises``, unittest's
    ``assertRaises``, ``contextlib.suppress`` or ``try``, requests sent through a ``proxy``, and
    clients given a
    ``connector`` or ``resolver`` (aiohttp's way to send every host to a local server), and
    commands run through a shell whose exit status the test throws away (``os.system(...)`` as
    a statement: without the program the shell returns 127 and nothing raises), and a
    variable that an ``assert`` compares with literals (``assert os.environ["API_KEY"] ==
    "from-store"``: the test, or the code it runs, put it there) are not
    reported. HTTP is
    mocked when the test, its class, the module's ``pytestmark`` or a fixture it requests (or an
    autouse one of its module or class, or an xunit setup such as ``setup_method`` or ``setUp``
    of its class, a base class in the module, or the module) names a fake:
    ``httpx.MockTransport``, ``respx`` (``respx_mock``, ``respx.mock``), ``requests_mock``,
    ``responses``, ``pytest_httpserver``'s ``httpserver``, ``aioresponses``, ``httpretty``
    (``@httpretty.activate``, ``@httprettified``, ``httpretty.enable()``), ``vcr.use_cassette``
    or ``@pytest.mark.vcr``, ``betamax``, ``pook``, ``httmock``, ``mocket``, ``mock.patch``.
    A socket connection counts only on a socket the test traceably made
    (``socket.socket``, ``socket.create_connection``, ``wrap_socket`` of one): another object's
    ``connect(("host", port))`` may be a fake. unittest's ``skip``/``skipIf``/``skipUnless``/
    ``expectedFailure`` decorators and ``self.skipTest`` skip like pytest's markers. A
    ``skipif`` mark bound to a name in the module (``openai_only = pytest.mark.skipif(not
    os.getenv("OPENAI_API_KEY"), ...)``) skips the tests and classes it decorates where the
    variables its condition reads (also in the module's functions it calls) are missing. A test
    requesting a fixture that no linted file, pytest nor a known plugin defines (one of a
    plugin the project ships, such as a ``needs_internet`` that skips offline) is not reported:
    its setup may skip it. Nor is a test decorated with a name imported from the suite's own
    modules (``@requires_node`` of ``from platform_marks import requires_node``): it may be a
    skip mark.

    ## Why is this bad?
    CI runners often have no network access, lack a program that a developer has installed, or
    do not hold the secret: the test then fails with ``ConnectionError``, ``FileNotFoundError`` or
    ``KeyError`` instead of skipping, and the build is red for a reason that has nothing to do
    with the change.

    ## Use instead
    Guard it: a ``skipif`` on the test, its class or the module's ``pytestmark``
    (``shutil.which("docker") is None``), ``pytest.skip``/``importorskip`` in the test, or a
    marker that CI deselects (``resource-markers``).
    """

    code = "APT205"
    name = "unguarded-external-resource"
    lesson = "external-resources"
    summary = "network, external binary or environment secret used without a skip guard"
    triggers = key_identifiers(
        {
            *NETWORK_MODULES,
            *CLIENT_TYPES,
            *URL_FUNCTIONS,
            *METHOD_URL_FUNCTIONS,
            *HOST_FUNCTIONS,
            *SOCKET_CONNECTS,
            *SUBPROCESS_FUNCTIONS,
            *SHELL_FUNCTIONS,
            "os.environ",
        }
    )
    options: ClassVar[Mapping[str, Option]] = {
        "resource-markers": Option(
            list,
            DEFAULT_RESOURCE_MARKERS,
            "markers that tell CI a test needs an external resource (it deselects them)",
        ),
    }
    VALID = (
        Example(  # FL3: the tree lacks .github/check.py, so the module skips itself at import
            FL3_TEST,
            path="tests/test_check.py",
        ),
        Example(  # BO2: nbconvert, declared for the tests, requires jupyter-core's ``jupyter``
            BO2_TEST,
            files={"pyproject.toml": BO2_PYPROJECT.format(requirement="nbconvert")},
        ),
        Example(  # BH3: the test checks values the code under test put in the environment
            BH3_TEST.format(check='os.environ["DEMO_API_KEY"] == "from-store"'),
        ),
        Example(  # BH3: a string method checks the value against a literal
            BH3_TEST.format(check='os.environ["DEMO_CLIENT_SECRET"].startswith("demo-")'),
        ),
        Example(  # DY2: unittest's assertEqual compares the variable with a literal
            DY2_TEST.format(check='os.environ["DEMO_API_KEY"], "from-store"')
        ),
        Example(  # BH4: setup.py installs the program the test runs as the project's own script
            BH4_TEST,
            files={"setup.py": BH4_SETUP.format(group="console_scripts")},
        ),
        Example(  # BD2: a conftest hook gives the folder's tests a resource marker by path
            BD2_TEST,
            path="tests/live/test_chat.py",
            files={"tests/conftest.py": BD2_CONFTEST.replace("{folder}", "live")},
        ),
        Example(  # AZ4: the conftest's fixture the test requests skips where ffmpeg is missing
            AZ4_TEST,
            files={"tests/conftest.py": AZ4_CONFTEST.format(guard=AZ4_GUARD)},
        ),
        Example(  # AZ1: a client built to send its requests through a local proxy
            """
            import httpx


            def test_agent_call():
                with httpx.Client(proxy="http://127.0.0.1:8899", timeout=10) as agent:
                    assert agent.get("https://api.intercom.io/echo").status_code == 200
            """
        ),
        Example(  # AH3: a skip mark bound to a name checks the secret through a helper
            """
            import os

            import pytest


            def _openai_ready():
                return os.environ.get("RUN_LIVE") == "1" and bool(os.getenv("OPENAI_API_KEY"))


            openai_only = pytest.mark.skipif(not _openai_ready(), reason="live canary")


            @openai_only
            def test_streamed_usage():
                assert os.environ["OPENAI_API_KEY"]
            """
        ),
        Example(  # AH3: the same on the class, with an ``in`` check
            """
            import os

            import pytest

            needs_key = pytest.mark.skipif("OPENAI_API_KEY" not in os.environ, reason="no key")


            @needs_key
            class TestLive:
                def test_streamed_usage(self):
                    assert os.environ["OPENAI_API_KEY"]
            """
        ),
        Example(  # FJ3: a skipif bound to a name runs the test only where the program is
            """
            import subprocess
            import sys

            import pytest

            mac_only = pytest.mark.skipif(sys.platform != "darwin", reason="macOS keychain")


            @mac_only
            def test_keychain():
                subprocess.run(["security", "list-keychains"], check=True)
            """
        ),
        Example(  # ZB9: a skip mark of the suite's own helper module
            ZB9_TEST.format(module="platform_marks", decorator="requires_node"),
            files={"tests/platform_marks.py": ZB9_MARKS},
        ),
        Example(  # the class's usefixtures sets up the fixture that fakes the service
            """
            import pytest
            import requests

            @pytest.fixture()
            def tap_service(requests_mock):
                requests_mock.post("http://example.com/tap/sync", content=b"<VOTABLE/>")
                yield

            @pytest.mark.usefixtures("tap_service")
            class TestOverflow:
                def test_post(self):
                    assert requests.post("http://example.com/tap/sync").content
            """
        ),
        Example(  # pytest-remotedata skips it unless --remote-data
            """
            import urllib.request
            import pytest

            @pytest.mark.remote_data
            def test_spectrum_from_archive():
                with urllib.request.urlopen("https://data.sdss.org/sas/spPlate.fits") as r:
                    assert r.read(80)
            """
        ),
        Example(
            """
            import subprocess

            def test_git(fp):  # pytest-subprocess: every subprocess call meets a fake
                fp.register(["git", "branch"], stdout="* main")
                assert subprocess.check_output(["git", "branch"]) == b"* main"

            def test_nested(fake_process):
                def callback(process):
                    subprocess.run(["cmake", "--version"], check=True)
                fake_process.register(["make"], callback=callback)
            """
        ),
        Example(
            """
            import socket, unittest

            class ResolverTest(unittest.TestCase):
                def test_unknown_host_fails(self):
                    with self.assertRaises(socket.gaierror):
                        socket.getaddrinfo('dns.google')
            """
        ),
        Example(  # BQ1: the test replaced the resolver with its fake before calling it
            """
            import socket

            def test_prefers_ipv4():
                calls = []

                def fake_getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
                    calls.append(family)
                    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80))]

                socket.getaddrinfo = fake_getaddrinfo
                socket.getaddrinfo("example.com", 80)
                assert calls == [0]
            """
        ),
        Example(  # BQ2: the helper that runs the program is called only where a failure is expected
            """
            import asyncio

            import pytest

            def test_restart_blocked():
                async def _attempt():
                    await asyncio.create_subprocess_exec("systemctl", "--user", "restart", "app")

                with pytest.raises(RuntimeError, match="guard"):
                    asyncio.run(_attempt())
            """
        ),
        Example(  # AD1, AB1: the interpreter by its POSIX name is wherever the suite runs
            """
            import subprocess

            def test_cli_help():
                proc = subprocess.run(["python3", "tool.py", "--help"], capture_output=True)
                assert proc.returncode == 0
            """
        ),
        Example(
            """
            import subprocess

            def test_demultiplex(tmp_path):  # RU1: gzip, tar and diff are on every runner
                subprocess.run(["gzip", "-d", str(tmp_path / "a.fasta.gz")], check=True)
                subprocess.run(["tar", "-xf", str(tmp_path / "a.tar")], check=True)
                subprocess.run(["diff", "-u", "a", "b"], check=True)
            """
        ),
        Example(
            """
            import shutil, subprocess
            import pytest

            @pytest.mark.skipif(shutil.which('docker') is None, reason='no docker')
            def test_docker():
                subprocess.run(['docker', 'ps'], check=True)
            """
        ),
        Example(
            """
            import pytest, requests

            pytestmark = pytest.mark.network

            def test_get():
                requests.get('https://pypi.org/simple/')
            """
        ),
        Example(
            """
            import requests

            def test_local(httpbin):
                requests.get(httpbin.url)
                requests.get('http://127.0.0.1:8000/')
            """
        ),
        Example(
            """
            import os

            def test_token(monkeypatch):
                monkeypatch.setenv('API_TOKEN', 'x')
                assert os.environ['API_TOKEN'] == 'x'
            """
        ),
        Example(
            """
            import httpx, pytest

            @pytest.fixture
            def api(respx_mock):
                respx_mock.get('https://pypi.org/simple/').respond(200)

            def test_get(api):
                assert httpx.get('https://pypi.org/simple/').is_success
            """
        ),
        Example(
            """
            import requests, responses

            class TestMocked:
                def setup_method(self):
                    self.mock = responses.RequestsMock()
                    self.mock.start()
                    self.mock.get('https://example.com', status=505)

                def teardown_method(self):
                    self.mock.stop()

            class TestMockedToo(TestMocked):
                def test_get(self):
                    assert requests.get('https://example.com').status_code == 505
            """
        ),
        Example(
            """
            import unittest

            import httpretty
            import pook
            import pytest
            import requests
            from httpretty import httprettified

            @httpretty.activate(allow_net_connect=False)
            def test_activate():
                httpretty.register_uri(httpretty.GET, 'https://example.com/', body='hi')
                assert requests.get('https://example.com/').text == 'hi'

            @httprettified
            def test_httprettified():
                assert requests.get('https://example.com/').status_code == 200

            @pytest.mark.vcr
            def test_cassette():
                assert requests.get('https://example.com/').ok

            @pook.on
            def test_pook():
                pook.get('https://example.com/').reply(204)
                assert requests.get('https://example.com/').status_code == 204

            class TestEnabled(unittest.TestCase):
                def setUp(self):
                    httpretty.enable(allow_net_connect=False)
                    self.addCleanup(httpretty.disable)

                def test_get(self):
                    requests.get('https://example.com/')
            """
        ),
        Example(
            """
            class FakeSocket:
                def connect(self, address):
                    self.address = address

            def test_fake():
                socket = FakeSocket()
                socket.connect(('example.com', 80))
            """
        ),
        Example(
            """
            import os
            import unittest
            import urllib.request
            from unittest import skipUnless

            @skipUnless(os.environ.get('ONLINE'), 'needs network')
            def test_function():
                urllib.request.urlopen('https://example.com/')

            class TestMethod(unittest.TestCase):
                @unittest.skipIf(not os.environ.get('ONLINE'), 'needs network')
                def test_get(self):
                    urllib.request.urlopen('https://example.com/')

                def test_skip_test(self):
                    if not os.environ.get('ONLINE'):
                        self.skipTest('needs network')
                    urllib.request.urlopen('https://example.com/')

            @unittest.skip('needs network')
            class TestClass(unittest.TestCase):
                def test_get(self):
                    urllib.request.urlopen('https://example.com/')
            """
        ),
        Example(
            """
            import os

            def test_survives_an_outage(broker):
                os.system("rabbitmqctl stop_app")  # missing: "not found", status 127, no error
                os.system("rabbitmqctl start_app")
                broker.join()
            """
        ),
        Example(
            """
            import subprocess

            import pytest

            pytestmark = pytest.mark.release


            def test_poetry_check():
                subprocess.run(["poetry", "check"], check=True)
            """,
            files={"tests/conftest.py": RELEASE_HOOK},
        ),
        Example(  # YA1: a fixture of a plugin not read (the project's own pytest11) may skip
            """
            import urllib.request

            import pytest


            @pytest.mark.usefixtures("needs_internet")
            def test_needs_internet():
                urllib.request.urlopen("http://pypi.org/")
            """
        ),
        Example(  # CL3: the test puts a fake in place of the connection class urlopen uses
            """
            import http.client
            import unittest
            import urllib.request

            from demo_fakes import fakehttp


            class RedirectTests(unittest.TestCase):
                def test_redirect_no_path(self):
                    real_class = http.client.HTTPConnection
                    http.client.HTTPConnection = fakehttp(b"HTTP/1.1 200 OK\\r\\n\\r\\nHi")
                    self.addCleanup(setattr, http.client, "HTTPConnection", real_class)
                    fp = urllib.request.urlopen("http://python.org/path")
                    assert fp.geturl() == "http://python.org/path"
            """
        ),
        Example(  # CL3: a mixin's method of the module puts the fake in place (FakeHTTPMixin)
            """
            import http.client
            import unittest
            import urllib.request

            from demo_fakes import fakehttp


            class FakeHTTPMixin:
                def fakehttp(self, data):
                    self._connection_class = http.client.HTTPConnection
                    http.client.HTTPConnection = fakehttp(data)

                def unfakehttp(self):
                    http.client.HTTPConnection = self._connection_class


            class UrlopenTests(unittest.TestCase, FakeHTTPMixin):
                def test_willclose(self):
                    self.fakehttp(b"HTTP/1.1 200 OK\\r\\n\\r\\nHello!")
                    try:
                        resp = urllib.request.urlopen("http://www.python.org")
                        assert resp.will_close
                    finally:
                        self.unfakehttp()
            """
        ),
        Example(  # CO: setUp copies the script into a folder it puts first on the PATH handed
            """
            import os
            import shutil
            import subprocess
            import tempfile
            import unittest


            class CliTest(unittest.TestCase):
                def setUp(self):
                    self.bin_path = tempfile.TemporaryDirectory()
                    c2d_exe = os.path.join(self.bin_path.name, "c2d")
                    shutil.copyfile("cli/c2d.py", c2d_exe)
                    os.chmod(c2d_exe, 0o755)
                    self.myenv = os.environ.copy()
                    self.myenv["PATH"] = os.pathsep.join((self.bin_path.name, self.myenv["PATH"]))

                def tearDown(self):
                    self.bin_path.cleanup()

                def test_c2d(self):
                    subprocess.run(["c2d", "in.npz", "out.xyz"], check=True, env=self.myenv)
            """
        ),
    )
    INVALID = (
        Example(  # FL3's near miss: the tree holds .github/check.py, so the test runs git
            FL3_TEST,
            path="tests/test_check.py",
            files={".github/check.py": ""},
            line=13,
        ),
        Example(  # CO's near miss: the PATH naming the folder is not handed to the call
            """
            import os
            import shutil
            import subprocess
            import tempfile
            import unittest


            class CliTest(unittest.TestCase):
                def setUp(self):
                    self.bin_path = tempfile.TemporaryDirectory()
                    c2d_exe = os.path.join(self.bin_path.name, "c2d")
                    shutil.copyfile("cli/c2d.py", c2d_exe)
                    self.myenv = os.environ.copy()
                    self.myenv["PATH"] = os.pathsep.join((self.bin_path.name, self.myenv["PATH"]))

                def test_c2d(self):
                    subprocess.run(["c2d", "in.npz", "out.xyz"], check=True)
            """,
            line=17,
        ),
        Example(  # CO's near miss: the folder on the PATH holds another program than the one run
            """
            import os
            import shutil
            import subprocess
            import tempfile
            import unittest


            class CliTest(unittest.TestCase):
                def setUp(self):
                    self.bin_path = tempfile.TemporaryDirectory()
                    shutil.copyfile("cli/pnp.py", os.path.join(self.bin_path.name, "pnp"))
                    self.myenv = os.environ.copy()
                    self.myenv["PATH"] = os.pathsep.join((self.bin_path.name, self.myenv["PATH"]))

                def test_c2d(self):
                    subprocess.run(["c2d", "in.npz", "out.xyz"], check=True, env=self.myenv)
            """,
            line=16,
        ),
        Example(  # CL3's near miss: the mixin's method only reads the connection class
            """
            import http.client
            import unittest
            import urllib.request


            class ConnectionMixin:
                def fakehttp(self, data):
                    self._connection_class = http.client.HTTPConnection


            class UrlopenTests(unittest.TestCase, ConnectionMixin):
                def test_willclose(self):
                    self.fakehttp(b"HTTP/1.1 200 OK")
                    resp = urllib.request.urlopen("http://www.python.org")
                    assert resp.will_close
            """,
            line=14,
        ),
        Example(  # BO2's near miss: ipython, declared instead, does not bring ``jupyter``
            BO2_TEST,
            files={"pyproject.toml": BO2_PYPROJECT.format(requirement="ipython")},
            line=5,
        ),
        Example(  # BQ2's near miss: the helper is also called outside pytest.raises
            """
            import asyncio

            import pytest

            def test_restart_allowed_then_blocked():
                async def _attempt():
                    await asyncio.create_subprocess_exec("systemctl", "--user", "restart", "app")

                asyncio.run(_attempt())
                with pytest.raises(RuntimeError, match="guard"):
                    asyncio.run(_attempt())
            """,
            line=7,
        ),
        Example(  # BQ1's near miss: the test resolves before it puts its fake in place
            """
            import socket

            def test_resolves_then_fakes():
                socket.getaddrinfo("example.com", 80)
                socket.getaddrinfo = lambda *args, **kwargs: []
            """,
            line=4,
        ),
        Example(  # BH3's near miss: the assert checks only that the secret is there
            BH3_TEST.format(check='os.environ["DEMO_API_KEY"]'),
            line=8,
        ),
        Example(  # BH3's near miss: the assert hands the secret to a call
            BH3_TEST.format(check='hydrate(os.environ["DEMO_API_KEY"]) == "from-store"'),
            line=8,
        ),
        Example(  # DY2's near miss: assertEqual compares the variable with a call's result
            DY2_TEST.format(check='os.environ["DEMO_API_KEY"], hydrate()'),
            line=10,
        ),
        Example(  # BH4's near miss: setup.py names the program in another entry point group
            BH4_TEST,
            files={"setup.py": BH4_SETUP.format(group="demo.plugins")},
            line=5,
        ),
        Example(  # BD2's near miss: the hook marks another folder's tests
            BD2_TEST,
            path="tests/live/test_chat.py",
            files={"tests/conftest.py": BD2_CONFTEST.replace("{folder}", "offline")},
            line=5,
        ),
        Example(  # AZ4's near miss: the conftest's fixture makes the folder but skips nothing
            AZ4_TEST,
            files={"tests/conftest.py": AZ4_CONFTEST.format(guard="")},
            line=5,
        ),
        Example(  # AZ1's near miss: a client with no proxy (``proxy=None`` sends none there)
            """
            import httpx


            def test_agent_call():
                with httpx.Client(proxy=None, timeout=10) as agent:
                    assert agent.get("https://api.intercom.io/echo").status_code == 200
            """,
            line=6,
        ),
        Example(  # AH3's near miss: the skip mark bound to a name checks another secret
            """
            import os

            import pytest

            anthropic_only = pytest.mark.skipif(not os.getenv("ANTHROPIC_API_KEY"), reason="key")


            @anthropic_only
            def test_streamed_usage():
                assert os.environ["OPENAI_API_KEY"]
            """,
            line=10,
        ),
        Example(  # FJ3's near miss: a mark bound to a name that is no skipif skips nothing
            """
            import subprocess

            import pytest

            keychain = pytest.mark.keychain


            @keychain
            def test_keychain():
                subprocess.run(["security", "list-keychains"], check=True)
            """,
            line=10,
        ),
        Example(  # AH3's near miss: the test the skip mark bound to a name is not applied to
            """
            import os

            import pytest

            openai_only = pytest.mark.skipif(not os.getenv("OPENAI_API_KEY"), reason="no key")


            @openai_only
            def test_guarded():
                assert os.environ["OPENAI_API_KEY"]


            def test_unguarded():
                assert os.environ["OPENAI_API_KEY"]
            """,
            line=14,
        ),
        Example(  # AD1's and AB1's near miss: Debian has no ``python`` unless python-is-python3
            """
            import subprocess

            def test_cli_help():
                proc = subprocess.run(["python", "tool.py", "--help"], capture_output=True)
                assert proc.returncode == 0
            """,
            line=4,
        ),
        Example(  # ZB9's near miss: a library's decorator skips nothing
            ZB9_TEST.format(module="flaky", decorator="flaky"),
            files={"tests/platform_marks.py": ZB9_MARKS},
            line=10,
        ),
        Example(
            """
            import subprocess

            def test_real(fpath):  # not a fake process: a path
                subprocess.run(["docker", "ps"], check=True)
            """,
            files={"tests/conftest.py": PATH_FIXTURE},
            line=4,
        ),
        Example(  # YA1's near miss: the fixture is read, and it skips nothing
            """
            import urllib.request

            import pytest


            @pytest.mark.usefixtures("needs_internet")
            def test_needs_internet():
                urllib.request.urlopen("http://pypi.org/")
            """,
            files={"tests/conftest.py": NO_SKIP_FIXTURE},
            line=8,
        ),
        Example(  # YA1's near miss: hypothesis, not a fixture, fills the test's arguments
            """
            import subprocess

            from hypothesis import given, strategies as st


            @given(seed=st.integers())
            def test_against_node(seed):
                subprocess.run(["node", "check.js", str(seed)], check=True)
            """,
            line=8,
        ),
        Example(
            """
            import requests

            def test_pypi():
                assert requests.get('https://pypi.org/simple/').ok
            """,
            line=4,
        ),
        Example(
            """
            import subprocess

            class TestDocker:
                def test_ps(self):
                    subprocess.run(['docker', 'ps'], check=True)
            """,
            line=5,
        ),
        Example(
            """
            import os

            def test_deploy():
                token = os.environ['GITHUB_TOKEN']
            """,
            line=4,
        ),
        Example(
            """
            import socket
            import ssl

            def test_tls():
                raw = socket.socket()
                sock = ssl.create_default_context().wrap_socket(raw, server_hostname='pypi.org')
                sock.connect(('pypi.org', 443))
            """,
            line=7,
        ),
        Example(
            """
            from socket import create_connection

            def test_connect():
                with create_connection(('pypi.org', 443)) as sock:
                    sock.sendall(b'x')
            """,
            line=4,
        ),
        Example(
            """
            import unittest
            import urllib.request

            class TestOnline(unittest.TestCase):
                @unittest.expectedFailure
                def test_known_bug(self):
                    raise ValueError

                def test_get(self):
                    urllib.request.urlopen('https://pypi.org/simple/')
            """,
            line=10,
        ),
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.tests: dict[ast.AST, _Test] = {}
        self.module_markers: list[str] = []
        self.class_markers: dict[ast.AST, list[str]] = {}
        self.which_programs: set[str] = set()
        self.class_guarded: set[ast.AST] = set()
        self.module_guarded = False
        self.environ = EnvironNames()
        self._socket_imports: _SocketImports | None = None

    def _socket(self) -> _SocketImports:
        """How this file names the ``socket`` module, read once from the whole module."""
        if self._socket_imports is None:
            module = self.ctx.ancestors[0] if self.ctx.ancestors else None
            found = _SocketImports.of(module) if isinstance(module, ast.Module) else None
            self._socket_imports = found or _SocketImports()
        return self._socket_imports

    def _is_socket(self, expr: ast.expr, test: _Test) -> bool:
        """Whether ``expr`` is traceably a socket: made by ``socket.socket(...)`` or
        ``socket.create_connection(...)`` (through a name the file imported from ``socket``),
        ``wrap_socket`` of one (``ssl.wrap_socket``, ``SSLContext.wrap_socket``), or a name the
        test bound to one. Anything else with a ``connect`` method may be a fake."""
        if isinstance(expr, ast.Call):
            callee = self.ctx.callee(expr)
            if _method(expr) == "wrap_socket":
                wrapped = _argument(expr, 0, "sock")
                return wrapped is not None and self._is_socket(wrapped, test)
            return self._socket().function(callee, test.rebound) in SOCKET_FACTORIES
        name = dotted_name(expr)
        return name is not None and name in test.sockets

    def _note_socket(self, test: _Test, value: ast.expr, targets: Sequence[ast.expr]) -> None:
        """Remember which names now hold a socket, and which were rebound to something else."""
        socket = self._is_socket(value, test)
        for target in targets:
            name = dotted_name(target)
            if name is None:
                continue
            if socket:
                test.sockets.add(name)
            else:
                test.sockets.discard(name)
                test.rebound.add(name)

    def _test(self) -> _Test | None:
        """The test whose code is being visited (also inside functions nested in it)."""
        outer = self.ctx.outer_function()
        return self.tests.get(outer) if outer is not None else None

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.environ.note_import(node)

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        ancestors = self.ctx.ancestors
        parent = ancestors[-1] if ancestors else None
        if any(isinstance(a, FunctionNode) for a in ancestors):
            return
        decl = fixture_decl(node)
        setup = decl is None and node.name in XUNIT_SETUPS
        if decl is None and not setup and not is_test_function(node, parent):
            return
        test = _Test(node, parent if isinstance(parent, ast.ClassDef) else None, decl, setup=setup)
        words = [*parameter_names(node), *(w for d in node.decorator_list for w in _words(d))]
        test.guarded = _mocks(words)
        test.fakes_programs = bool(SUBPROCESS_FAKES.intersection(parameter_names(node)))
        self.tests[node] = test

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.class_markers[node] = _skip_names(node.decorator_list)
        if _mocks([w for d in node.decorator_list for w in _words(d)]):
            self.class_guarded.add(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        markers = pytestmark_markers(node)
        parent = self.ctx.ancestors[-1] if self.ctx.ancestors else None
        if markers is not None:
            values = node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else []
            mocked = _mocks([w for v in values or [node.value] for w in _words(v)])
            if isinstance(parent, ast.Module):
                self.module_markers += markers
                self.module_guarded |= mocked
            elif isinstance(parent, ast.ClassDef):
                self.class_markers.setdefault(parent, []).extend(markers)
                if mocked:
                    self.class_guarded.add(parent)
        test = self._test()
        if test is not None and _replaces_connection(node):
            test.guarded = True  # CL3: ``http.client.HTTPConnection = fakehttp(...)``
        if test is not None:
            self._note_socket(test, node.value, node.targets)
        if test is not None and isinstance(node.value, ast.Call):
            self._note_client(test, node.value, node.targets)

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        test = self._test()
        for item in node.items:
            expr = item.context_expr
            if test is None:
                continue
            if not isinstance(expr, ast.Call):
                test.guarded |= _mocks([dotted_name(expr) or ""])  # ``with respx.mock:``
            elif item.optional_vars is not None:
                self._note_client(test, expr, [item.optional_vars])
                self._note_socket(test, expr, [item.optional_vars])

    visit_AsyncWith = visit_With

    def _note_client(self, test: _Test, call: ast.Call, targets: Sequence[ast.expr]) -> None:
        transport = next((v for k in REROUTING if (v := keyword_value(call, k))), None)
        if self.ctx.callee(call) in CLIENT_TYPES and transport is None and not _proxied(call):
            test.clients.update(t.id for t in targets if isinstance(t, ast.Name))

    def visit_Subscript(self, node: ast.Subscript) -> None:
        test = self._test()
        key = string_value(node.slice)
        if test is None or key is None or not isinstance(node.ctx, ast.Load):
            return
        if (
            self.environ.means_environ(dotted_name(node.value), self.ctx.ancestors)
            and SECRET.search(key)
            and not _asserted_value(node, self.ctx.ancestors)  # BH3: a value it knows
        ):
            self._use(test, _Use(node, f"requires the environment secret '{key}'", key))

    def visit_Call(self, node: ast.Call) -> None:
        callee = self.ctx.callee(node)
        last = callee.rpartition(".")[2]
        if last == "which":
            self.which_programs.update(called_with_strings(node, callee))
        test = self._test()
        if test is None:
            return
        root = callee.rpartition(".")[0]
        if last in GUARD_CALLS or _mocks([root if last in HTTP_VERBS else callee]):
            test.guarded = True  # also a fake built in the test: ``httpx.MockTransport(...)``
        elif last == "setenv" and node.args and string_value(node.args[0]):
            test.env_set.add(string_value(node.args[0]) or "")
        elif last in ("mount", "setattr"):
            test.guarded = True  # fake adapters or monkeypatched clients: no real traffic
        elif root == "self" and self._method_replaces_connection(last):
            test.guarded = True  # CL3: ``self.fakehttp(...)`` of a mixin in the module
        network = self._network(node, callee, test)
        if network is not None:
            self._use(test, _Use(node, network, ""))
        program = self._program_use(node, callee)
        if program is not None and _status_discarded(node, callee, self.ctx.ancestors):
            program = None  # a shell says "not found" and returns 127: nothing fails here
        if program is not None:
            self._use(test, _Use(node, f"{PROGRAM_USE} '{program}'", program, program=True))

    def _method_replaces_connection(self, name: str) -> bool:
        """Whether a method ``name`` of a class in the module replaces the connection class
        ``urlopen`` sends through (CL3: CPython's ``FakeHTTPMixin.fakehttp``, whose tests call
        ``self.fakehttp(b"HTTP/1.1 200 OK...")`` before ``urlopen("http://www.python.org")``)."""
        module = self.ctx.ancestors[0] if self.ctx.ancestors else None
        if not isinstance(module, ast.Module):
            return False
        return any(
            isinstance(method, FunctionNode)
            and method.name == name
            and any(
                isinstance(statement, ast.Assign) and _replaces_connection(statement)
                for statement in ast.walk(method)
            )
            for cls in module.body
            if isinstance(cls, ast.ClassDef)
            for method in cls.body
        )

    def _network(self, node: ast.Call, callee: str, test: _Test) -> str | None:
        root, _, last = callee.rpartition(".")
        host: str | None = None
        if (root in NETWORK_MODULES or root in test.clients) and last in HTTP_VERBS:
            host = remote_host(url_prefix(_argument(node, 0, "url")))
        elif (root in NETWORK_MODULES or root in test.clients) and last == "request":
            host = remote_host(url_prefix(_argument(node, 1, "url")))
        elif callee in URL_FUNCTIONS:
            host = remote_host(url_prefix(_argument(node, 0, "url")))
        elif callee in METHOD_URL_FUNCTIONS:
            host = remote_host(url_prefix(_argument(node, 1, "url")))
        elif callee in HOST_FUNCTIONS and not _rebound_call(node, test.rebound):
            host = real_host(string_value(_argument(node, 0, "host")))
        elif _method(node) in SOCKET_CONNECTS and node.args and self._connects(node, callee, test):
            address = node.args[0]
            if isinstance(address, ast.Tuple) and address.elts:
                host = real_host(string_value(address.elts[0]))
        if host and any(keyword_value(node, k) is not None for k in PROXIES):
            return None  # through a proxy, a local one in a test
        return f"reaches the network ({host})" if host else None

    def _connects(self, node: ast.Call, callee: str, test: _Test) -> bool:
        """Whether a ``create_connection``/``connect``/``connect_ex`` call opens a real socket
        connection: ``socket.create_connection``, or ``connect`` on a traceable socket. Any
        other object's ``connect(("host", port))`` (a fake socket, a client) is not known to."""
        if self._socket().function(callee, test.rebound) == "create_connection":
            return True
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        return _method(node) != "create_connection" and (
            receiver is not None and self._is_socket(receiver, test)
        )

    def _program_use(self, node: ast.Call, callee: str) -> str | None:
        """The program a subprocess or shell call runs by name, unless a POSIX base utility."""
        if callee in SUBPROCESS_FUNCTIONS:
            shell = keyword_value(node, "shell")
            program = _program(node, isinstance(shell, ast.Constant) and shell.value is True)
        elif callee in SHELL_FUNCTIONS:
            program = _program(node, True)
        else:
            return None
        if not program or "/" in program or "\\" in program or program in BASE_PROGRAMS:
            return None
        return program

    def _use(self, test: _Test, use: _Use) -> None:
        ancestors = self.ctx.ancestors
        if inside_with_call(ancestors, use.node, EXPECTING_FAILURE):
            return  # the test expects the failure, as inside ``try``
        if _helper_called_expecting_failure(ancestors):
            return  # BQ2: run only by a call the test expects to fail
        if any(isinstance(a, ast.Try) and a.handlers for a in ancestors):
            return
        if never_runs(ancestors, use.node):
            return  # switched off: ``if False:``, ``if regenerate:`` bound only to False
        test.uses.append(use)

    def leave_Module(self, node: ast.Module) -> None:
        allowed = SKIPPING_MARKERS | set(self.ctx.options.get("resource-markers", ()))
        self._guard_by_setups()
        if allowed & set(self.module_markers) or self.module_guarded:
            return
        guarding = self._guarding_fixtures()
        imported = imported_origins(node)
        aliases = _skip_alias_keys(node)
        skipped_unless: tuple[str, ...] | None = None  # FL3: read at the first use only
        for test in self.tests.values():
            markers = _skip_names(test.func.decorator_list)
            checked = _alias_guarded(test.func.decorator_list, aliases)
            decorators = test.func.decorator_list
            if isinstance(test.cls, ast.ClassDef):
                checked |= _alias_guarded(test.cls.decorator_list, aliases)
                decorators = [*decorators, *test.cls.decorator_list]
            alias_skipped = bool(aliases) and _alias_applied(decorators, aliases)
            if test.cls is not None:
                markers += self.class_markers.get(test.cls, [])
            if test.decl is not None or test.setup or test.guarded or allowed & set(markers):
                continue
            if test.cls in self.class_guarded or self._requests(test, guarding, node):
                continue
            marked = tuple(sorted({*markers, *self.module_markers}))
            decorated = tuple(
                sorted(
                    decorator_origins(test.func, imported)
                    | (
                        decorator_origins(test.cls, imported)
                        if isinstance(test.cls, ast.ClassDef)
                        else frozenset()
                    )
                )
            )
            requests = tuple(
                sorted(requested_fixtures(test.func, test.cls, node) - {"self", "cls"})
            )
            for use in test.uses:
                if use.key in self.which_programs or use.key in test.env_set:
                    continue
                if not use.program and use.key in checked:
                    continue  # a skip mark bound to a name checks the secret (AH3)
                if use.program and alias_skipped:
                    continue  # FJ3: a skipif bound to a name skips as one written on the test
                if use.program and test.fakes_programs:
                    continue  # a fake process answers it
                if use.program and _installs_program(use.node, use.key, test):
                    continue  # CO1: the test puts the program on the PATH it hands the call
                message = (
                    f"this test {use.what} and nothing skips it where that is missing; add a "
                    "skipif (shutil.which, os.environ.get) or a resource marker CI deselects"
                )
                line = getattr(use.node, "lineno", 1)  # judged with the project: see check
                col = getattr(use.node, "col_offset", 0) + 1
                program = use.key if use.program else ""
                if skipped_unless is None:
                    skipped_unless = _skipped_unless(node, self.ctx.file.path)
                fact = ProgramUseFact(
                    line, col, message, program, marked, requests, decorated, skipped_unless
                )
                self.ctx.facts.program_uses.append(fact)

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        """The programs run by name that no declared distribution provides: a console script
        of one the project declares (``coverage`` of ``coverage[toml]``), the project's own
        (named after it, or any its own tables name: a key of ``[project.scripts]``) is there
        wherever the tests' dependencies are installed. Neither they nor the marked
        tests' other uses are reported when a hook of a conftest over the test (or of a plugin
        module) skips tests by one of their markers unless asked (``--release``), nor when the
        test requests a fixture that no read file defines, nor pytest or a known plugin (YA1:
        jaraco.test's ``needs_internet``, from the project's own ``pytest11`` plugin, skips
        where pypi.org is out of reach): its setup may skip the test, as a guarding fixture of
        the module does. A marker a hook gives the test by its path counts as written on it
        (BD2)."""
        model = ctx.model.dependencies
        provided = {d.name for d in model.declared} | {model.project_name}
        fixtures = fixture_guards(ctx)
        allowed = SKIPPING_MARKERS | set(ctx.options.get("resource-markers", ()))
        for file, facts in ctx.files:
            marked = ctx.hook_marks(file.path) if facts.program_uses else frozenset()
            if allowed & marked:
                continue  # BD2: a hook gives the module's tests a resource marker by their path
            skipped = ctx.opted_in(file.path)
            for use in facts.program_uses:
                absent = ctx.model.absent_folders
                if any(path in absent for path in use.skipped_unless):
                    continue  # FL3: the module skips itself in this tree, which lacks the path
                if skipped.intersection(marked.union(use.markers)):
                    continue  # a hook over the test skips it unless asked for
                if use.requests and fixtures.unknown(file.path, use.requests):
                    continue  # a fixture defined where nothing is read may skip it
                if any(f.may_skip for _, f in fixtures.set_up(file.path, use.requests)):
                    continue  # a fixture it requests, a conftest's too, may skip it (AZ4)
                if model.any_own(use.decorators_from):
                    continue  # a decorator of the suite's own (a skip mark) may skip it
                program = canonicalize_name(use.program) if use.program else ""
                if not program or not (
                    program in model.scripts
                    or _provided(program, provided)
                    or _provided_by_requirement(program, provided)
                ):
                    yield Finding(file.path, use.line, use.col, cls.code, use.message)

    def _guard_by_setups(self) -> None:
        """A setup that fakes or skips guards its class (and the module's classes that derive
        from it), or, at module level, the module."""
        for setup in self.tests.values():
            if setup.setup and setup.guarded:
                if setup.cls is None:
                    self.module_guarded = True
                else:
                    self.class_guarded.add(setup.cls)
        classes = [c for c in self.class_markers if isinstance(c, ast.ClassDef)]
        grew = True
        while grew:
            names = {c.name for c in self.class_guarded if isinstance(c, ast.ClassDef)}
            found = {
                c
                for c in classes
                if any((dotted_name(b) or "").rpartition(".")[2] in names for b in c.bases)
            }
            grew = not found <= self.class_guarded
            self.class_guarded |= found

    def _guarding_fixtures(self) -> set[str]:
        """The module's fixtures that fake HTTP or skip, or request one that does."""
        fixtures = [t for t in self.tests.values() if t.decl is not None]
        guarding = {t.decl.name for t in fixtures if t.decl is not None and t.guarded}
        grew = True
        while grew:
            found = {
                t.decl.name
                for t in fixtures
                if t.decl is not None and guarding & set(parameter_names(t.func))
            }
            grew = not found <= guarding
            guarding |= found
        return guarding

    def _requests(self, test: _Test, guarding: set[str], module: ast.Module) -> bool:
        """Whether ``test`` requests a guarding fixture (as a parameter, or by ``usefixtures``
        on it, its class or the module), or one applies to it by autouse."""
        if guarding & requested_fixtures(test.func, test.cls, module):
            return True
        return any(
            other.decl is not None
            and other.decl.autouse
            and other.decl.name in guarding
            and other.cls in (None, test.cls)
            for other in self.tests.values()
        )
