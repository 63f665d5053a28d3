"""APT205: what counts as an external resource, and what counts as a guard."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from apytest.lint.runner import run_lint

TreeWriter = Callable[[Path, Mapping[str, str | bytes]], Path]


def lines_of(source: str, root: Path, write_tree: TreeWriter, pyproject: str = "") -> list[int]:
    write_tree(root, {"pyproject.toml": pyproject, "tests/test_a.py": source})
    result = run_lint([root], root=root, select=["APT205"], use_cache=False, jobs=1)
    return [f.line for f in result.findings]


@pytest.mark.parametrize(
    "source",
    [
        "import requests\n\ndef test_local():\n    requests.get('http://localhost:8000/')\n"
        "    requests.get('http://[::1]/')\n    requests.get('http://api.test/')\n"
        "    requests.get('http://server/')\n",
        "import requests, pytest\n\ndef test_bad_url():\n    with pytest.raises(Exception):\n"
        "        requests.get('http://pypi.org:99999/')\n",
        "import requests\n\ndef test_mocked(requests_mock):\n    requests.get('https://pypi.org/')\n",
        "import subprocess\n\ndef test_base():\n    subprocess.run(['echo', 'hi'])\n"
        "    subprocess.run('/usr/bin/env true', shell=True)\n",
        "import shutil, subprocess\n\ndef test_which():\n    if not shutil.which('git'):\n"
        "        return\n    subprocess.run(['git', 'status'])\n",
        "import os\n\ndef test_env():\n    os.environ.get('API_TOKEN')\n    os.environ['HOME']\n",
        "import httpx\n\ndef test_app(app):\n    client = httpx.Client(app=app)\n"
        "    client.get('https://example.org/')\n",
        "import httpx, respx\n\ndef test_api():\n    with respx.mock:\n"
        "        httpx.get('https://example.org/')\n\nasync def test_async_api():\n"
        "    async with respx.mock:\n        httpx.get('https://example.org/')\n",
        "import httpx\n\ndef test_api():\n"
        "    transport = httpx.MockTransport(lambda request: httpx.Response(200))\n"
        "    httpx.get('https://example.org/')\n",
        "import httpx, pytest\n\n@pytest.fixture\ndef api(respx_mock):\n"
        "    respx_mock.get('https://example.org/')\n\n@pytest.fixture\ndef client(api):\n"
        "    return None\n\ndef test_api(client):\n    httpx.get('https://example.org/')\n",
        "import pytest, requests, responses\n\n@pytest.fixture(autouse=True)\ndef fake_http():\n"
        "    with responses.RequestsMock() as rsps:\n        yield rsps\n\n"
        "class TestApi:\n    def test_get(self):\n        requests.get('https://pypi.org/')\n",
        "import requests, requests_mock\n\n@requests_mock.Mocker()\nclass TestApi:\n"
        "    def test_get(self, m):\n        requests.get('https://pypi.org/')\n",
        "import pytest, requests\n\npytestmark = pytest.mark.usefixtures('requests_mock')\n\n"
        "def test_get():\n    requests.get('https://pypi.org/')\n",
        "import aiohttp\nfrom aioresponses import aioresponses\n\nasync def test_get():\n"
        "    with aioresponses() as m:\n        await aiohttp.request('GET', 'https://pypi.org/')\n",
        "import requests\n\ndef test_served(httpserver):\n    requests.get('https://pypi.org/')\n",
        "def test_wsgi(app, environ):\n    assert environ['HTTP_AUTHORIZATION']\n",
        "import httpx\n\ndef test_mounts(transport):\n"
        "    client = httpx.Client(mounts={'all://': transport})\n"
        "    client.get('https://www.example.com')\n",
        "import requests, responses\n\nclass Base:\n    def setup_method(self):\n"
        "        self.mock = responses.RequestsMock()\n        self.mock.start()\n\n"
        "class TestGet(Base):\n    def test_get(self):\n"
        "        requests.get('https://pypi.org/')\n\n"
        "def setup_module():\n    responses.start()\n\n"
        "def test_module_level():\n    requests.get('https://pypi.org/')\n",
        "import aiohttp\n\nasync def test_fake_dns(resolver):\n"
        "    connector = aiohttp.TCPConnector(resolver=resolver)\n"
        "    async with aiohttp.ClientSession(connector=connector) as session:\n"
        "        await session.get('http://www.amazon.it:8080/')\n",
        "import contextlib, aiohttp\n\nasync def test_proxy(proxy_url):\n"
        "    session = aiohttp.ClientSession()\n"
        "    await session.get('https://example.com/test', proxy=proxy_url)\n"
        "    with contextlib.suppress(aiohttp.ClientError):\n"
        "        await session.get('https://example.com/')\n",
    ],
    ids=[
        "loopback-and-fake-hosts",
        "pytest-raises",
        "mock-fixture",
        "base-utilities",
        "which",
        "optional-env",
        "asgi-client",
        "respx-mock-context",
        "httpx-mock-transport",
        "mocking-fixture-requested",
        "autouse-mocking-fixture",
        "mocking-class-decorator",
        "pytestmark-usefixtures",
        "aioresponses",
        "pytest-httpserver",
        "wsgi-environ-secret",
        "httpx-mounts",
        "xunit-setup-mock",
        "aiohttp-connector",
        "proxy-and-suppress",
    ],
)
def test_apt205_stays_silent(source: str, tmp_path: Path, write_tree: TreeWriter) -> None:
    assert lines_of(source, tmp_path, write_tree) == []


def test_apt205_sees_clients_sockets_and_shell_commands(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    source = (
        "import os, socket, requests\n\ndef test_all():\n    s = requests.Session()\n"
        "    s.get(f'https://api.github.com/repos/{1}')\n"
        "    socket.create_connection(('pypi.org', 443))\n    assert os.system('docker ps') == 0\n"
    )
    assert lines_of(source, tmp_path, write_tree) == [5, 6, 7]


def test_apt205_a_shell_status_thrown_away_fails_nothing(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """Without the program a shell prints "not found" and returns 127: a statement that throws
    the status away raises nothing; one that checks it, or runs without a shell, fails."""
    source = (
        "import os, subprocess\n\ndef test_outage():\n    os.system('rabbitmqctl stop_app')\n"
        "    subprocess.run('rabbitmqctl start_app', shell=True)\n"
        "    subprocess.call('rabbitmqctl status', shell=True)\n"
        "    subprocess.run('rabbitmqctl status', shell=True, check=True)\n"
        "    subprocess.run(['rabbitmqctl', 'status'])\n"
        "    status = os.system('rabbitmqctl status')\n"
    )
    assert lines_of(source, tmp_path, write_tree) == [7, 8, 9]


def test_resource_markers_are_configurable(tmp_path: Path, write_tree: TreeWriter) -> None:
    source = (
        "import pytest, requests\n\n@pytest.mark.webtest\ndef test_get():\n"
        "    requests.get('https://pypi.org/')\n"
    )
    assert lines_of(source, tmp_path, write_tree) == [5]
    config = '[tool.apytest]\nresource-markers = ["webtest"]\n'
    assert lines_of(source, tmp_path, write_tree, config) == []


def test_apt205_a_fixture_that_fakes_nothing_or_another_class_guards_nothing(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    source = (
        "import pytest, requests, responses\n\n@pytest.fixture\ndef data():\n    return 1\n\n"
        "class TestMocked:\n    @pytest.fixture(autouse=True)\n    def fake_http(self):\n"
        "        with responses.RequestsMock():\n            yield\n\n"
        "class TestReal:\n    def test_get(self, data):\n"
        "        requests.get('https://pypi.org/')\n\n"
        "def test_secret():\n    from os import environ\n    assert environ['API_TOKEN']\n"
    )
    assert lines_of(source, tmp_path, write_tree) == [15, 19]


def test_apt205_a_program_of_a_declared_distribution_is_installed_with_the_tests(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """`coverage` is the console script of the declared `coverage[toml]`; `docker` is no
    distribution the project declares."""
    source = (
        "import subprocess\n\ndef test_cov():\n    subprocess.run(['coverage', 'report'])\n\n"
        "def test_docker():\n    subprocess.run(['docker', 'ps'])\n"
    )
    pyproject = (
        '[project]\nname = "demo"\n[project.optional-dependencies]\n'
        'test = ["pytest", "coverage[toml]>=7"]\n'
    )
    assert lines_of(source, tmp_path, write_tree, pyproject) == [7]


def test_apt205_a_dashed_program_of_a_declared_family_is_installed_with_the_tests(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """`ansible-galaxy` shares its first word with the declared `ansible-core`, whose console
    script it is; `docker-compose`, `pytest-x` and `ffmpeg` share nothing declared, or only a
    word too common to tell (`pytest`), or are no dashed name of a family (`ffmpeg` of a
    declared `ffmpeg-python`)."""
    source = (
        "import subprocess\n\ndef test_galaxy():\n"
        "    subprocess.run(['ansible-galaxy', 'install'])\n\n"
        "def test_compose():\n    subprocess.run(['docker-compose', 'up'])\n\n"
        "def test_plugin():\n    subprocess.run(['pytest-x', 'a'])\n\n"
        "def test_ffmpeg():\n    subprocess.run(['ffmpeg', '-i', 'a'])\n"
    )
    pyproject = (
        '[project]\nname = "demo"\ndependencies = ["ansible-core>=2", "ffmpeg-python"]\n'
        '[project.optional-dependencies]\ntest = ["pytest", "pytest-cov"]\n'
    )
    assert lines_of(source, tmp_path, write_tree, pyproject) == [7, 10, 13]


@pytest.mark.parametrize(
    "files",
    [
        {"setup.py": "from setuptools import setup\n\nsetup(name='demo-tool', version='1')\n"},
        {
            "setup.py": "from setuptools import setup\n\nNAME = 'demo-tool'\nsetup(name=NAME)\n",
            "setup.cfg": "[egg_info]\ntag_build =\n",
        },
        {
            "setup.py": "import setuptools\nsetuptools.setup()\n",
            "setup.cfg": "[metadata]\nname = demo-tool\n",
        },
    ],
)
def test_apt205_the_project_named_by_setuptools_files_provides_its_own_script(
    files: dict[str, str], tmp_path: Path, write_tree: TreeWriter
) -> None:
    """A project without a ``[project]`` table named in ``setup.py`` or ``setup.cfg``: its
    console script ``demo-tool`` is installed with the project; ``docker`` is not."""
    source = (
        "import subprocess\n\ndef test_cli():\n    subprocess.run(['demo-tool', 'a'])\n\n"
        "def test_docker():\n    subprocess.run(['docker', 'ps'])\n"
    )
    write_tree(tmp_path, {**files, "tests/test_a.py": source})
    result = run_lint([tmp_path], root=tmp_path, select=["APT205"], use_cache=False, jobs=1)
    assert [f.line for f in result.findings] == [7]


@pytest.mark.parametrize(
    "files",
    [
        {
            "pyproject.toml": '[project]\nname = "demo"\n'
            '[project.scripts]\nrelay-tunnel = "demo:m"\n'
        },
        {
            "pyproject.toml": '[tool.poetry]\nname = "demo"\n[tool.poetry.scripts]\n'
            'relay-tunnel = "demo.__main__:tunnel [tunnel]"\n'
        },
        {
            "setup.py": "import setuptools\nsetuptools.setup()\n",
            "setup.cfg": "[metadata]\nname = demo\n[options.entry_points]\n"
            "console_scripts =\n    relay-tunnel = demo:main\n",
        },
    ],
)
def test_apt205_a_script_the_project_declares_is_installed_with_it(
    files: dict[str, str], tmp_path: Path, write_tree: TreeWriter
) -> None:
    """A script the project's own tables name, not after the project (``relay-tunnel`` of
    ``demo``), is installed with the project; ``other-tunnel``, named nowhere, is not."""
    source = (
        "import subprocess\n\ndef test_cli():\n    subprocess.getstatusoutput('relay-tunnel')\n\n"
        "def test_other():\n    subprocess.getstatusoutput('other-tunnel')\n"
    )
    write_tree(tmp_path, {**files, "tests/test_a.py": source})
    for select in (["APT205"], ["APT205", "APT102"]):
        result = run_lint([tmp_path], root=tmp_path, select=select, use_cache=False, jobs=1)
        assert [f.line for f in result.findings if f.code == "APT205"] == [7]


MODIFYITEMS_HOOK = (
    "import pytest\n\ndef pytest_collection_modifyitems(config, items):\n"
    "    if config.getoption('--run-online'):\n        return\n"
    "    skip = pytest.mark.skip(reason='needs --run-online')\n    for item in items:\n"
    "        if 'online_api' in item.keywords:\n            item.add_marker(skip)\n"
)


def test_apt205_a_conftest_hook_that_skips_a_marker_guards_its_tests(
    tmp_path: Path, write_tree: TreeWriter
) -> None:
    """A hook of a conftest over the test that skips by a marker unless an option asks
    (``--run-online``) guards the tests bearing it; another marker, or the same hook in a
    conftest of a sibling folder, guards nothing."""
    source = (
        "import pytest, requests\n\n@pytest.mark.online_api\ndef test_get():\n"
        "    requests.get('https://pypi.org/')\n\n@pytest.mark.other\ndef test_other():\n"
        "    requests.get('https://pypi.org/')\n"
    )
    write_tree(tmp_path, {"tests/conftest.py": MODIFYITEMS_HOOK})
    assert lines_of(source, tmp_path, write_tree) == [9]
    (tmp_path / "tests" / "conftest.py").unlink()
    write_tree(tmp_path, {"other/conftest.py": MODIFYITEMS_HOOK})
    assert lines_of(source, tmp_path, write_tree) == [5, 9]
