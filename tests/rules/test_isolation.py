"""APT203 and APT204: the tricky cases, through the real engine."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from apytest.lint.runner import run_lint

TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]


def lines_of(code: str, source: str, root: Path, write_tree: TreeWriter) -> list[int]:
    write_tree(root, {"pyproject.toml": "", "tests/test_a.py": source})
    result = run_lint([root], root=root, select=[code], use_cache=False, jobs=1)
    return [f.line for f in result.findings if f.code == code]


@pytest.mark.parametrize(
    "source",
    [
        "def test_text():\n    name = 'a.txt'\n    name.replace('a', 'b')\n",
        "def test_frame(df):\n    df.rename(columns={'a': 'b'})\n",
        "import os\n\ndef test_null():\n    with open(os.devnull, 'w') as f:\n"
        "        f.write('x')\n",
        "def test_in_pytester(pytester):\n    open('out.txt', 'w').close()\n",
        "import pytest\n\n@pytest.fixture\ndef in_tmp(monkeypatch, tmp_path):\n"
        "    monkeypatch.chdir(tmp_path)\n\ndef test_uses(in_tmp):\n"
        "    open('out.txt', 'w').close()\n",
        "def test_param(out_dir):\n    (out_dir / 'x').write_text('y')\n",
        "def test_read():\n    open('data.txt').read()\n    open('data.bin', mode='rb').read()\n",
        "def test_loop(tmp_path):\n    for p in tmp_path.iterdir():\n        p.unlink()\n",
        "from click.testing import CliRunner\n\ndef test_cli(tmp_path):\n"
        "    with CliRunner().isolated_filesystem():\n        open('a.txt', 'w').close()\n"
        "    with CliRunner().isolated_filesystem(temp_dir=tmp_path) as td:\n"
        "        open('b.txt', 'w').close()\n        open(td + '/c.txt', 'w').close()\n",
        "import pytest\nfrom click.testing import CliRunner\n\n@pytest.fixture\n"
        "def fs():\n    with CliRunner().isolated_filesystem():\n        yield\n\n"
        "def test_cli(fs):\n    open('a.txt', 'w').close()\n",
        "import contextlib\n\ndef test_chdir(tmp_path):\n"
        "    with contextlib.chdir(tmp_path):\n        open('a.txt', 'w').close()\n",
        "from contextlib import chdir\n\ndef test_chdir(tmp_path):\n"
        "    with chdir(tmp_path / 'sub'):\n        open('a.txt', 'w').close()\n",
        "def test_as_cwd(tmpdir):\n    with tmpdir.as_cwd():\n        open('a.txt', 'w').close()\n",
        "import os\n\ndef test_somewhere(workdir):\n    os.chdir(workdir)\n"
        "    open('a.txt', 'w').close()\n",
    ],
    ids=[
        "str-replace",
        "frame-rename",
        "devnull",
        "pytester",
        "chdir-fixture",
        "unknown-param",
        "reading",
        "loop-over-tmp",
        "click-isolated-filesystem",
        "isolated-filesystem-fixture",
        "contextlib-chdir",
        "bare-chdir",
        "py-path-as-cwd",
        "chdir-to-unknown",
    ],
)
def test_apt203_stays_silent(source: str, tmp_path: Path, write_tree: TreeWriter) -> None:
    assert lines_of("APT203", source, tmp_path, write_tree) == []


def test_apt203_follows_names_and_ignores_helpers(tmp_path: Path, write_tree: TreeWriter) -> None:
    source = (
        "import os, shutil\nfrom pathlib import Path\n\nOUT = Path('build') / 'out'\n\n"
        "def helper():\n    os.remove('x')\n\n"
        "def test_a(tmp_path):\n    target = OUT / 'a.json'\n    target.write_text('{}')\n"
        "    shutil.copy(tmp_path / 'a', 'copy.txt')\n    os.makedirs(str(tmp_path / 'b'))\n"
    )
    assert lines_of("APT203", source, tmp_path, write_tree) == [11, 12]


@pytest.mark.parametrize(
    "source",
    [
        "import os\n\ndef setUp():\n    pass\n\nclass TestEnv:\n    def setup_method(self):\n"
        "        os.environ['A'] = '1'\n\n    def teardown_method(self):\n"
        "        del os.environ['A']\n",
        "import sys\n\ndef test_snapshot(pytester):\n    sys.modules['x'] = object()\n",
        "import os\nfrom unittest import mock\n\n@mock.patch.dict(os.environ, {})\n"
        "def test_env():\n    os.environ['A'] = '1'\n",
        "import os\n\ndef test_env(request):\n    os.environ['A'] = '1'\n"
        "    request.addfinalizer(lambda: os.environ.pop('A'))\n",
        "import sys\n\nif __name__ == '__main__':\n    sys.path.insert(0, '.')\n",
        "import os\n\ndef helper():\n    os.chdir('/')\n\ndef test_read():\n"
        "    assert os.environ.get('A') is None\n    assert os.environ['HOME']\n",
        "def test_app(environ):\n    environ['PATH_INFO'] = '/'\n    environ.update(A='1')\n"
        "    del environ['QUERY_STRING']\n",
        "from os import environ\n\ndef test_app():\n    environ = {}\n"
        "    environ['PATH_INFO'] = '/'\n\ndef make(environ):\n    environ.pop('A')\n",
        "import os\nimport pytest\n\n@pytest.fixture(autouse=True)\ndef clean_env():\n"
        "    saved = os.environ.copy()\n    yield\n    os.environ.clear()\n"
        "    os.environ.update(saved)\n\n@pytest.fixture\ndef debug():\n"
        "    os.environ['DEBUG'] = '1'\n\ndef test_env(debug):\n    os.environ['A'] = '1'\n",
        "import os\nimport pytest\n\nclass TestEnv:\n    @pytest.fixture(autouse=True)\n"
        "    def clean_env(self):\n        saved = {**os.environ}\n        yield\n"
        "        os.environ = saved\n\n    def test_env(self):\n        del os.environ['A']\n",
        "import os\nimport pytest\nfrom unittest import mock\n\n@pytest.fixture(autouse=True)\n"
        "def clean_env():\n    with mock.patch.dict(os.environ):\n        yield\n\n"
        "def test_env():\n    os.environ['A'] = '1'\n",
        "import sys\nimport pytest\n\n@pytest.fixture(autouse=True)\ndef clean_path():\n"
        "    old = sys.path[:]\n    yield\n    sys.path[:] = old\n\ndef test_path():\n"
        "    sys.path.insert(0, 'x')\n",
        "import os\nfrom contextlib import contextmanager\n\n@contextmanager\n"
        "def cwd(path):\n    old = os.getcwd()\n    os.chdir(path)\n    try:\n"
        "        yield\n    finally:\n        os.chdir(old)\n\ndef test_cd(tmp_path):\n"
        "    with cwd(tmp_path):\n        os.chdir('sub')\n",
        "import os, unittest\n\nclass TestProxy(unittest.TestCase):\n    def setUp(self):\n"
        "        self.saved = os.environ.get('no_proxy')\n\n    def tearDown(self):\n"
        "        if self.saved:\n            os.environ['no_proxy'] = self.saved\n"
        "        elif 'no_proxy' in os.environ:\n            del os.environ['no_proxy']\n\n"
        "    def test_proxy(self):\n        os.environ['no_proxy'] = 'x'\n",
        "import os\n\ndef test_cli(monkeypatch):\n"
        "    monkeypatch.delenv('APP_DEBUG', raising=False)\n"
        "    def callback():\n        os.environ['APP_DEBUG'] = '1'\n    callback()\n",
        "import os\nimport pytest\n\n@pytest.mark.forked\ndef test_clear():\n"
        "    os.environ.clear()\n",
        "import os\nimport pytest\n\npytestmark = pytest.mark.forked\n\ndef test_clear():\n"
        "    os.chdir('/')\n",
    ],
    ids=[
        "setup-teardown",
        "pytester",
        "patch-decorator",
        "finalizer",
        "main-guard",
        "reads",
        "wsgi-environ-parameter",
        "local-environ-shadows-import",
        "autouse-snapshot-restore",
        "class-autouse-restore",
        "autouse-patch-dict",
        "autouse-sys-path-restore",
        "context-manager-restores-in-finally",
        "unittest-teardown-restores",
        "monkeypatch-owns-the-key",
        "forked-test",
        "forked-module",
    ],
)
def test_apt204_stays_silent(source: str, tmp_path: Path, write_tree: TreeWriter) -> None:
    assert lines_of("APT204", source, tmp_path, write_tree) == []


def test_apt204_reports_each_family_at_its_statement(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    source = (
        "import os, sys\n\ndef test_all(tmp_path):\n    os.environ.update(A='1')\n"
        "    del os.environ['B']\n    os.putenv('C', '1')\n    sys.path[:] = []\n"
        "    sys.modules.setdefault('x', None)\n    os.chdir(tmp_path)\n"
    )
    assert lines_of("APT204", source, tmp_path, write_tree) == [4, 5, 6, 7, 8, 9]


def test_apt204_reports_the_change_not_the_write_back_that_undoes_it(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """The saved value written back, and a move taken back by the very next statement, are
    undos: the change before the undo is where a failing test leaks."""
    source = (
        "import os\n\ndef test_env(tmp_path):\n"
        "    old = os.environ['DEMO'] if 'DEMO' in os.environ else ''\n"
        "    if 'DEMO' in os.environ:\n        old = os.environ['DEMO']\n    else:\n"
        "        old = ''\n    os.environ['DEMO'] = 'x'\n    assert old != 'x'\n"
        "    os.environ['DEMO'] = old\n    saved = os.getcwd()\n    os.chdir(tmp_path)\n"
        "    os.chdir(saved)\n    os.chdir(tmp_path)\n    assert saved\n    os.chdir(saved)\n"
    )
    assert lines_of("APT204", source, tmp_path, write_tree) == [9, 15]


def test_apt204_a_variable_removed_set_and_removed_again_is_one_finding(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """oauthlib's pattern: the first removal loses a value set before the run (reported); the
    test's own value set after it and taken out at its end is no second or third change."""
    source = (
        "import os\nimport unittest\n\nclass T(unittest.TestCase):\n"
        "    def test_transport(self):\n        if 'DEMO' in os.environ:\n"
        "            del os.environ['DEMO']\n        self.assertTrue(check())\n"
        "        os.environ['DEMO'] = '1'\n        self.assertTrue(check())\n"
        "        del os.environ['DEMO']\n"
    )
    assert lines_of("APT204", source, tmp_path, write_tree) == [7]


def test_apt204_a_variable_removed_again_is_one_finding(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """BW1, pdf2mcq's pattern: the test pops a variable, the project sets it, the test deletes
    it. The pop takes what the test was given (reported); the delete only takes out what was
    set since, so it is no second leak. A delete after a pop of another variable, or after a pop
    under a ``with`` that puts the environment back, stays reported."""
    source = (
        "import os\nfrom unittest import mock\nfrom demo import settings\n\n"
        "def test_store():\n    os.environ.pop('DEMO_KEY', None)\n"
        "    settings.store_key('sk')\n    del os.environ['DEMO_KEY']\n\n"
        "def test_twice():\n    del os.environ['DEMO_KEY']\n    settings.store_key('sk')\n"
        "    os.environ.pop('DEMO_KEY')\n\n"
        "def test_other():\n    os.environ.pop('DEMO_TOKEN', None)\n"
        "    del os.environ['DEMO_KEY']\n\n"
        "def test_patched():\n    with mock.patch.dict(os.environ):\n"
        "        os.environ.pop('DEMO_KEY', None)\n    del os.environ['DEMO_KEY']\n"
    )
    assert lines_of("APT204", source, tmp_path, write_tree) == [6, 11, 16, 17, 22]


def test_apt204_a_module_put_back_into_sys_modules_is_an_undo(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """``sys.modules["typing"] = saved`` after ``import typing as saved`` (or ``saved =
    sys.modules["typing"]``) puts back the module it held: the mock set before it is the change,
    the write back is not; a module of another name written back stays a change."""
    source = (
        "import sys\nfrom unittest import mock\n\ndef test_import():\n"
        "    import typing as temp_typing\n    sys.modules['typing'] = mock.MagicMock()\n"
        "    assert True\n    sys.modules['typing'] = temp_typing\n\n"
        "def test_get():\n    saved = sys.modules.get('json')\n"
        "    sys.modules['json'] = None\n    sys.modules['json'] = saved\n"
        "    sys.modules['pickle'] = saved\n"
    )
    assert lines_of("APT204", source, tmp_path, write_tree) == [6, 12, 14]


def test_apt204_restores_that_do_not_cover_the_change_are_no_excuse(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    source = (
        "import os\nimport pytest\nfrom contextlib import contextmanager\n\n"
        "@pytest.fixture(autouse=True, scope='session')\ndef session_env():\n"
        "    saved = dict(os.environ)\n    yield\n    os.environ.update(saved)\n\n"
        "@pytest.fixture(autouse=True)\ndef own_key():\n    yield\n"
        "    os.environ.pop('B', None)\n\n"
        "@contextmanager\ndef quiet():\n    yield\n\n"
        "def test_env():\n    with quiet():\n        os.environ['A'] = '1'\n"
        "    os.environ['C'] = '1'\n\nos.environ['D'] = '1'\n"
    )
    write_tree(tmp_path, {"tests/test_other.py": "def test_other():\n    pass\n"})
    assert lines_of("APT204", source, tmp_path, write_tree) == [22, 23, 25]


def test_apt204_the_only_test_module_configures_its_suite(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """A one-file suite's module-level change is made before any of its tests runs, and no
    test lies outside the module to see it only in some runs; a second module makes it a leak
    into that module's tests (seen only when this module is collected too). Linting the module
    or its folder alone answers as the whole run does (BN2): the suite's files decide."""
    source = 'import os\nimport time\n\nos.environ["TZ"] = "UTC0"\ntime.tzset()\n\n'
    source += "def test_now():\n    os.environ['LATER'] = '1'\n"
    assert lines_of("APT204", source, tmp_path, write_tree) == [8]

    def selected(path: str) -> list[int]:
        found = run_lint(
            [tmp_path / path], root=tmp_path, select=["APT204"], use_cache=False, jobs=1
        )
        return [f.line for f in found.findings]

    assert selected("tests/test_a.py") == selected("tests") == [8]
    write_tree(tmp_path, {"tests/test_other.py": "def test_other():\n    pass\n"})
    assert selected("tests/test_a.py") == [4, 8]  # the other module sees it when run after
    assert lines_of("APT204", source, tmp_path, write_tree) == [4, 8]


def test_apt204_conftest_restores_apply_to_the_folders_below_it(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    conftest = (
        "import os\nimport pytest\nfrom contextlib import contextmanager\n\n"
        "@pytest.fixture(autouse=True)\ndef clean_env():\n    saved = dict(os.environ)\n"
        "    yield\n    os.environ.clear()\n    os.environ.update(saved)\n\n"
        "@contextmanager\ndef in_dir(path):\n    old = os.getcwd()\n    os.chdir(path)\n"
        "    try:\n        yield\n    finally:\n        os.chdir(old)\n"
    )
    test = (
        "import os\nfrom conftest import in_dir\n\nos.environ['AT_IMPORT'] = '1'\n\n"
        "def test_env(tmp_path):\n    os.environ['A'] = '1'\n    with in_dir(tmp_path):\n"
        "        os.chdir('sub')\n    os.chdir(tmp_path)\n"
    )
    write_tree(
        tmp_path,
        {"pyproject.toml": "", "a/conftest.py": conftest, "a/test_a.py": test, "b/test_b.py": test},
    )
    result = run_lint([tmp_path], root=tmp_path, select=["APT204"], use_cache=False, jobs=1)
    found = [(f.path, f.line) for f in result.findings]
    assert found == [
        ("a/test_a.py", 4),
        ("a/test_a.py", 10),
        ("b/test_b.py", 4),
        ("b/test_b.py", 7),
        ("b/test_b.py", 10),
    ]


def test_apt204_a_context_manager_of_a_helper_module_is_given_the_benefit_of_the_doubt(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """A `with` of the project's own helper module (not a test file or conftest, so its body is
    not linted) may restore the state: silent, linted whole or alone. A library's context
    manager is no excuse."""
    helpers = (
        "import os\nfrom contextlib import contextmanager\n\n@contextmanager\n"
        "def scratch_env():\n    saved = dict(os.environ)\n    try:\n        yield\n"
        "    finally:\n        os.environ.clear()\n        os.environ.update(saved)\n"
    )
    test = (
        "import os\nfrom contextlib import nullcontext\n\nfrom .helpers import scratch_env\n"
        "from .support import in_dir\n\n\ndef test_env(tmp_path):\n"
        "    with scratch_env():\n        os.environ['A'] = '1'\n"
        "    with in_dir(tmp_path):\n        os.chdir('sub')\n"
        "    with nullcontext():\n        os.environ['B'] = '1'\n"
    )
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "",
            "tests/__init__.py": "",
            "tests/helpers.py": helpers,
            "tests/support.py": "",
            "tests/test_a.py": test,
        },
    )
    for named in ("tests", "tests/test_a.py"):
        for select in (["APT204"], []):
            result = run_lint(
                [tmp_path / named], root=tmp_path, select=select or None, use_cache=False, jobs=1
            )
            found = [(f.path, f.line) for f in result.findings if f.code == "APT204"]
            assert found == [("tests/test_a.py", 14)], (named, select)


def test_apt204_a_restore_of_one_key_or_one_class_covers_only_that(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    source = (
        "import os, unittest\n\nclass TestA(unittest.TestCase):\n    def tearDown(self):\n"
        "        os.environ.pop('A', None)\n\nclass TestB(unittest.TestCase):\n"
        "    def test_b(self):\n        os.environ['B'] = '1'\n\n"
        "def test_c(monkeypatch):\n    monkeypatch.setenv('C', '1')\n    os.environ['D'] = '1'\n"
    )
    assert lines_of("APT204", source, tmp_path, write_tree) == [9, 13]


def test_apt204_writing_back_a_copy_is_a_restore_not_a_change(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """Only the change is reported (restored on success only); the write-back of the copy
    taken before it is not a second change."""
    source = (
        "import os, sys\n\ndef test_cd(tmp_path):\n    old = os.getcwd()\n"
        "    os.chdir(tmp_path)\n    assert True\n    os.chdir(old)\n\n"
        "def test_path():\n    saved = sys.path[:]\n    sys.path.insert(0, 'x')\n"
        "    sys.path[:] = saved\n\n"
        "def test_rebound(tmp_path):\n    old = os.getcwd()\n    old = tmp_path\n"
        "    os.chdir(old)\n\n"
        "def test_str(tmp_path):\n    here = os.getcwd()\n    os.chdir(str(tmp_path))\n"
        "    assert here\n    os.chdir(str(here))\n"
    )
    assert lines_of("APT204", source, tmp_path, write_tree) == [5, 11, 17, 21]


def test_apt204_a_conftest_above_every_test_configures_the_suite(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """At import, or in an autouse fixture of any scope (a function-scoped one sets it again
    before each test): every test sees it alike, unless some test lies elsewhere."""
    conftest = (
        "import os, sys, pytest\n\nos.environ['MODE'] = 'test'\nsys.path.insert(0, 'lib')\n"
        "@pytest.fixture(autouse=True, scope='session')\ndef app_data():\n"
        "    os.environ['APP_DATA'] = 'x'\n\n"
        "@pytest.fixture(autouse=True)\ndef each_test():\n    os.environ['EACH'] = 'x'\n"
    )
    test = "def test_a():\n    pass\n"
    tree = {"pyproject.toml": "", "tests/conftest.py": conftest, "tests/unit/test_a.py": test}
    write_tree(tmp_path, tree)
    result = run_lint([tmp_path], root=tmp_path, select=["APT204"], use_cache=False, jobs=1)
    assert [f.line for f in result.findings] == []
    write_tree(tmp_path, {"other/test_b.py": test})
    result = run_lint([tmp_path], root=tmp_path, select=["APT204"], use_cache=False, jobs=1)
    assert [f.line for f in result.findings] == [3, 4, 7, 11]


def test_apt203_a_conftest_fixture_that_enters_tmp_path_covers_relative_writes(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """Requested by parameter or usefixtures, or autouse, from a conftest over the test; a
    conftest of another folder covers nothing."""
    in_tmp = (
        "import pytest\n\n@pytest.fixture\ndef in_tmp(tmp_path, monkeypatch):\n"
        "    monkeypatch.chdir(tmp_path)\n"
    )
    autouse = (
        "import pytest\n\n@pytest.fixture(autouse=True)\ndef _cd(tmp_path, monkeypatch):\n"
        "    monkeypatch.chdir(tmp_path)\n"
    )
    write = "    open('out.txt', 'w').close()\n"
    tests = (
        f"import pytest\n\ndef test_param(in_tmp):\n{write}\n"
        f"@pytest.mark.usefixtures('in_tmp')\ndef test_mark():\n{write}\n"
        f"def test_plain():\n{write}"
    )
    tree = {
        "pyproject.toml": "",
        "tests/conftest.py": in_tmp,
        "tests/a/test_a.py": tests,
        "tests/b/conftest.py": autouse,
        "tests/b/test_b.py": f"def test_b():\n{write}",
        # a fixture of a conftest not over it is defined nowhere for it: setup fails (QN9)
        "other/test_c.py": f"def test_c():\n{write}",
    }
    write_tree(tmp_path, tree)
    result = run_lint([tmp_path], root=tmp_path, select=["APT203"], use_cache=False, jobs=1)
    found = sorted((f.path, f.line) for f in result.findings)
    assert found == [("other/test_c.py", 2), ("tests/a/test_a.py", 11)]


def test_apt203_a_project_fixture_named_testdir_is_not_pytests(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """pytest's ``testdir`` runs a test in its own folder; a conftest's own ``testdir`` (that
    moves to the source tree) shadows it."""
    conftest = "import os, pytest\n\n@pytest.fixture\ndef testdir():\n    os.chdir('tests')\n"
    test = "def test_w(testdir):\n    open('out.txt', 'w').close()\n"
    write_tree(tmp_path, {"pyproject.toml": "", "tests/test_a.py": test})
    result = run_lint([tmp_path], root=tmp_path, select=["APT203"], use_cache=False, jobs=1)
    assert result.findings == []
    write_tree(tmp_path, {"tests/conftest.py": conftest})
    result = run_lint([tmp_path], root=tmp_path, select=["APT203"], use_cache=False, jobs=1)
    assert [(f.path, f.line) for f in result.findings] == [("tests/test_a.py", 2)]


def test_a_base_class_of_the_projects_own_may_move_or_restore_state(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """coverage.py's ``CoverageTest`` (a helper module apytest-lint does not read) runs each test
    in a temporary folder and restores it: its subclasses' relative writes and chdirs are not
    findings; an environment change still is (nothing says the base restores that).
    unittest's ``TestCase`` does no such thing."""
    source = (
        "import os, unittest\nfrom tests.coveragetest import CoverageTest\n\n"
        "class Base(CoverageTest):\n    pass\n\n"
        "class TestOwn(Base):\n    def test_w(self):\n        open('a.txt', 'w').close()\n"
        "        os.chdir('sub')\n        os.environ['X'] = '1'\n\n"
        "class TestStd(unittest.TestCase):\n    def test_w(self):\n"
        "        open('a.txt', 'w').close()\n        os.chdir('sub')\n"
    )
    tree = {"pyproject.toml": "", "tests/coveragetest.py": "", "tests/test_a.py": source}
    write_tree(tmp_path, tree)
    result = run_lint(
        [tmp_path], root=tmp_path, select=["APT203", "APT204"], use_cache=False, jobs=1
    )
    found = sorted((f.line, f.code) for f in result.findings)
    assert found == [(11, "APT204"), (15, "APT203"), (16, "APT204")]


def test_apt203_a_helper_that_changes_into_tmp_path_covers_relative_writes(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    source = (
        "from tests.helpers import change_dir\n\ndef test_w(tmp_path):\n"
        "    with change_dir(tmp_path):\n        open('a.txt', 'w').close()\n\n"
        "def test_here():\n    open('b.txt', 'w').close()\n\n"
        "def test_temporary():\n    with TemporaryWorkingDirectory():\n"
        "        open('c.txt', 'w').close()\n"
    )
    assert lines_of("APT203", source, tmp_path, write_tree) == [8]


def test_apt203_a_fixture_running_in_pytests_folder_covers_its_tests(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """pytest-benchmark's `crazytestdir` requests `testdir` and changes into a folder of it."""
    source = (
        "import pytest\n\n@pytest.fixture\ndef crazy(testdir):\n"
        "    testdir.tmpdir.join('foo').ensure(dir=1).chdir()\n    return testdir\n\n"
        "def test_commit(crazy):\n    open('a.py', 'w').close()\n\n"
        "def test_plain(tmpdir):\n    tmpdir.join('sub').chdir()\n    open('b.py', 'w').close()\n\n"
        "def test_here():\n    open('c.py', 'w').close()\n"
    )
    assert lines_of("APT203", source, tmp_path, write_tree) == [16]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (  # the loop over the saved values writes them back: the set is the leak
            "import os\n\nNEW = {'A': '1', 'B': '2'}\n\ndef test_env():\n    old = {}\n"
            "    for key, value in NEW.items():\n        old[key] = os.environ.get(key)\n"
            "        os.environ[key] = value\n    check()\n"
            "    for key, value in old.items():\n        if value is not None:\n"
            "            os.environ[key] = value\n",
            [9],
        ),
        (  # one variable set three times and left set: one leak
            "import os\n\ndef test_env():\n    os.environ['K'] = 'False'\n    check()\n"
            "    os.environ['K'] = '0'\n    check()\n    os.environ['K'] = 'True'\n",
            [4],
        ),
        (  # two variables: two leaks
            "import os\n\ndef test_env():\n    os.environ['K'] = '1'\n    os.environ['L'] = '1'\n",
            [4, 5],
        ),
    ],
    ids=["loop-restore", "same-key-again", "two-keys"],
)
def test_apt204_one_leak_per_variable_and_loop_restores(
    source: str, expected: list[int], tmp_path: Path, write_tree: TreeWriter
) -> None:
    """QN1, QN5: ``for k, v in saved.items(): os.environ[k] = v`` over the values saved with
    ``os.environ.get`` is the undo; the same variable set again in the test is the same leak."""
    assert lines_of("APT204", source, tmp_path, write_tree) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "def test_docs():\n    with open('site/index.html', 'r+') as f:\n"
            "        for line in f.readlines():\n            assert line\n",
            [],
        ),
        (
            "def test_docs():\n    with open('site/index.html', 'r+') as f:\n"
            "        f.write('x')\n",
            [2],
        ),
        (
            "import os\n\ndef test_dir():\n    fn = 'made'\n    try:\n        make(fn)\n"
            "        os.rmdir(fn)\n    finally:\n        if os.path.isdir(fn):\n"
            "            os.rmdir(fn)\n",
            [],
        ),
        (
            "import os\n\ndef test_dir():\n    fn = 'made'\n    try:\n        make(fn)\n"
            "        os.rmdir(fn)\n    finally:\n        os.rmdir('other')\n",
            [7],
        ),
    ],
    ids=["r-plus-read", "r-plus-write", "deleted-again-in-finally", "finally-deletes-another"],
)
def test_apt203_read_only_update_mode_and_deletions_the_finally_repeats(
    source: str, expected: list[int], tmp_path: Path, write_tree: TreeWriter
) -> None:
    """QN3, QN4."""
    assert lines_of("APT203", source, tmp_path, write_tree) == expected


@pytest.mark.parametrize(
    ("code", "source", "expected"),
    [
        (  # the sdist lacks the conftest defining it: setup fails, or it moves into a tmp dir
            "APT203",
            "from pathlib import Path\n\ndef test_init(tmp_directory):\n"
            "    Path('some_dir').mkdir()\n",
            [],
        ),
        (
            "APT204",
            "import os\n\ndef test_init(tmp_nbs):\n    os.chdir('sub')\n",
            [],
        ),
        (  # a plugin's fixture apytest knows: it does not move the test
            "APT203",
            "from pathlib import Path\n\ndef test_init(mocker):\n    Path('some_dir').mkdir()\n",
            [4],
        ),
        (  # a parametrized argument is no fixture
            "APT203",
            "import pytest\nfrom pathlib import Path\n\n"
            "@pytest.mark.parametrize('name', ['a', 'b'])\ndef test_init(name):\n"
            "    Path('some_dir').mkdir()\n",
            [6],
        ),
        (  # a parameter with a default is no fixture
            "APT204",
            "import os\n\ndef test_init(where='sub'):\n    os.chdir(where)\n",
            [4],
        ),
    ],
    ids=["unknown-fixture-write", "unknown-fixture-chdir", "plugin", "parametrized", "default"],
)
def test_a_fixture_defined_nowhere_read_silences_isolation_findings(
    code: str, source: str, expected: list[int], tmp_path: Path, write_tree: TreeWriter
) -> None:
    """QN9: a test requesting a fixture no linted file, pytest or a known plugin defines either
    errors at setup (the sdist lacks the conftest) or gets it from code not read, which may
    move it into a temporary folder or restore what it changes: not sure, so silent."""
    assert lines_of(code, source, tmp_path, write_tree) == expected


def test_an_argument_a_generate_tests_hook_parametrizes_is_no_unknown_fixture(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """QN9's limit: ``metafunc.parametrize("cache_settings", ...)`` in a conftest's
    ``pytest_generate_tests`` gives the argument; the fixture's change stays reported."""
    conftest = (
        "import os\nimport pytest\n\ndef pytest_generate_tests(metafunc):\n"
        "    if 'cache_settings' in metafunc.fixturenames:\n"
        "        metafunc.parametrize('cache_settings', ['a', 'b'])\n\n"
        "@pytest.fixture\ndef cache(cache_settings):\n"
        "    os.environ['DJANGO_SETTINGS_MODULE'] = cache_settings\n    yield\n"
    )
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "",
            "tests/conftest.py": conftest,
            "tests/test_a.py": "def test_get(cache):\n    pass\n",
        },
    )
    result = run_lint([tmp_path], root=tmp_path, select=["APT204"], use_cache=False, jobs=1)
    assert [(f.path, f.line) for f in result.findings] == [("tests/conftest.py", 10)]


def test_a_fixture_a_conftest_imports_by_name_is_no_unknown_one(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """ccdproc's conftest imports `triage_setup` from tests/pytest_fixtures.py, a module
    apytest-lint does not read: the fixture exists, so a test's own `os.chdir` stays reported
    (QN9 is for fixtures defined nowhere, as in an sdist that lacks a conftest)."""
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/conftest.py": "from .tests.pytest_fixtures import triage_setup  # noqa\n",
            "pkg/tests/__init__.py": "",
            "pkg/tests/pytest_fixtures.py": "import pytest\n\n@pytest.fixture\n"
            "def triage_setup():\n    return 1\n",
            "pkg/tests/test_a.py": "import os\n\ndef test_x(triage_setup):\n    os.chdir('sub')\n",
        },
    )
    result = run_lint([tmp_path], root=tmp_path, select=["APT204"], use_cache=False, jobs=1)
    assert [(f.path, f.line) for f in result.findings] == [("pkg/tests/test_a.py", 4)]


def test_apt203_the_cleanup_of_a_file_written_through_path_is_said_with_the_write(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """RV4: ``Path(name).touch()`` then ``os.remove(name)``: one file, one leak (the write)."""
    source = (
        "import os\nfrom pathlib import Path\n\n\ndef test_load():\n"
        "    file_final = Path(os.getcwd(), 'datalink_output.zip')\n"
        "    Path(file_final).touch()\n"
        "    assert os.path.exists(file_final)\n"
        "    os.remove(str(file_final))\n"
    )
    assert lines_of("APT203", source, tmp_path, write_tree) == [7]


def test_apt204_unsetenv_of_a_variable_the_test_set_is_its_undo(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """RV9: sunpy's ``os.unsetenv(K)`` then ``del os.environ[K]`` after ``os.environ[K] = v``
    take back the set (reported once, where it is made), as ``os.environ.pop(K)`` would."""
    source = (
        "import os\n\n\ndef test_configdir(tmp_path):\n"
        "    os.environ['DEMO_CONFIGDIR'] = str(tmp_path)\n"
        "    assert check()\n"
        "    os.unsetenv('DEMO_CONFIGDIR')\n"
        "    del os.environ['DEMO_CONFIGDIR']\n"
        "    os.environ['DEMO_CONFIGDIR'] = str(tmp_path / 'x')\n"
        "    os.unsetenv('DEMO_CONFIGDIR')\n"
        "    del os.environ['DEMO_CONFIGDIR']\n"
        "\n\ndef test_unset_only():\n"
        "    os.unsetenv('DEMO_OTHER')\n"
    )
    assert lines_of("APT204", source, tmp_path, write_tree) == [5, 15]


def test_apt204_removal_of_a_variable_a_nested_function_set_is_its_undo(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """YC2: keynet-inference's mock ``side_effect`` defined in the test sets a variable that
    the test pops after the call: the set is reported (where it is made), the pop is its
    undo. A pop of a variable no nested function set, or of one another test's nested
    function set, is still a change."""
    source = (
        "import os\nfrom unittest.mock import patch\n\n\n"
        "def test_env_loaded():\n"
        "    with patch('demo.load_env') as load_env:\n"
        "        def set_env(args):\n"
        "            os.environ['DEMO_LOADED'] = 'true'\n"
        "        load_env.side_effect = set_env\n"
        "        assert run()['loaded'] == 'true'\n"
        "        os.environ.pop('DEMO_LOADED', None)\n"
        "        os.environ.pop('DEMO_OTHER', None)\n"
        "\n\ndef test_other():\n"
        "    os.environ.pop('DEMO_LOADED', None)\n"
    )
    assert lines_of("APT204", source, tmp_path, write_tree) == [8, 12, 16]
