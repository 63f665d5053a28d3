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
    ],
    ids=["setup-teardown", "pytester", "patch-decorator", "finalizer", "main-guard", "reads"],
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
