"""``benchmarks/requirements_table.py`` against a local index: PyPI's JSON API for the
documents and HTTP ranges for the wheels, as files.pythonhosted.org serves them. Real wheels
(zip files written here), a real HTTP server, the script's own command line."""

from __future__ import annotations

import importlib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import pytest
from http_serving import serving

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def generator(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("requirements_table")


def _wheel(files: dict[str, str], requires: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
        # padding, so that the central directory lies past the first block read
        wheel.writestr("demo/big.dat", bytes(range(256)) * 600)
        metadata = "Metadata-Version: 2.1\nName: demo\nVersion: 2.0\n"
        metadata += "".join(f"Requires-Dist: {line}\n" for line in requires)
        wheel.writestr("demo-2.0.dist-info/METADATA", metadata)
    return buffer.getvalue()


WHEEL = _wheel(
    {
        "demo/__init__.py": "",
        "demo_native.cpython-311-x86_64-linux-gnu.so": "",
        "tests/__init__.py": "",
        "acme/demo_one/__init__.py": "",  # acme/ is a namespace: no acme/__init__.py
        "acme/demo_two.py": "",
        "helpers/__init__.py": "",  # a name suites give their own helpers
        "vendored.py": "",  # named unlike the distribution: shipped by mistake
        "meta_tool.py": "",  # what the meta-tool metapackage brings, as jupyter-core's jupyter.py
    },
    [
        "requests>=2",
        "numpy>=1.25 ; python_full_version < '3.13'",
        "numpy>=2.1 ; python_full_version >= '3.13'",
        "colorama ; sys_platform == 'win32'",
        "tomli ; python_version < '3.11'",
        "legacy ; python_version < '3.8'",
        "demo[cli] ; extra == 'all'",
        "rich ; extra == 'cli'",
        "uvloop ; extra == 'cli' and sys_platform != 'win32'",
    ],
)

DOCUMENTS = {
    "demo": {
        "info": {"name": "Demo", "version": "2.0", "requires_dist": None},
        "urls": [
            {"packagetype": "sdist", "filename": "demo-2.0.tar.gz", "url": "../../files/x"},
            {
                "packagetype": "bdist_wheel",
                "filename": "demo-2.0-py3-none-any.whl",
                "url": "../../files/demo-2.0-py3-none-any.whl",
            },
        ],
    },
    "old-sdist": {
        "info": {"name": "old_sdist", "version": "1.0", "requires_dist": ["six"]},
        "urls": [{"packagetype": "sdist", "filename": "old-1.0.tar.gz", "url": "x"}],
    },
    "meta-tool": {
        "info": {"name": "meta-tool", "version": "1.0", "requires_dist": ["demo"]},
        "urls": [{"packagetype": "sdist", "filename": "meta-tool-1.0.tar.gz", "url": "x"}],
    },
    "unread": {
        "info": {"name": "unread", "version": "1.0", "requires_dist": None},
        "urls": [{"packagetype": "sdist", "filename": "unread-1.0.tar.gz", "url": "x"}],
    },
    # sdists whose metadata says nothing, named after modules demo's wheel ships: the one
    # more downloaded than demo is the original, the other a lesser project of that name
    "demo-native": {
        "info": {"name": "demo_native", "version": "0.9", "requires_dist": None},
        "urls": [{"packagetype": "sdist", "filename": "demo_native-0.9.tar.gz", "url": "x"}],
    },
    "acme-demo-two": {
        "info": {"name": "acme-demo-two", "version": "0.1", "requires_dist": None},
        "urls": [{"packagetype": "sdist", "filename": "acme-demo-two-0.1.tar.gz", "url": "x"}],
    },
}


class _Index(BaseHTTPRequestHandler):
    """``/pypi/NAME/json`` documents, and the wheel by ``Range`` only (a ``206`` with
    ``Content-Range``), recording each request."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:  # the name http.server calls
        self.seen.append(f"{self.path} {self.headers.get('Range', '')}".strip())
        document = re.fullmatch(r"/pypi/([^/]+)/json", self.path)
        if document and document.group(1) in DOCUMENTS:
            self._send(200, json.dumps(DOCUMENTS[document.group(1)]).encode(), {})
        elif self.path.endswith(".whl") and (
            wanted := re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range", ""))
        ):
            start, end = int(wanted.group(1)), min(int(wanted.group(2)), len(WHEEL) - 1)
            headers = {"Content-Range": f"bytes {start}-{end}/{len(WHEEL)}"}
            self._send(206, WHEEL[start : end + 1], headers)
        else:
            self._send(404, b"not found", {})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def index() -> Iterator[str]:
    _Index.seen = []
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), _Index)) as url:
        yield f"{url}/pypi"


def test_the_table_is_read_from_the_newest_wheel_by_ranges(
    generator: ModuleType, index: str, tmp_path: Path
) -> None:
    names = tmp_path / "names.txt"
    names.write_text(
        "demo-native\ndemo\nold-sdist\nmeta-tool\nunread\nacme-demo-two\nmissing\n",
        encoding="utf-8",
    )
    output = tmp_path / "table.json"
    argv = ["--names", str(names), "--cache", str(tmp_path / "cache"), "-o", str(output)]
    assert generator.main([*argv, "--index", index, "--threads", "2"]) == 0
    table = json.loads(output.read_text(encoding="utf-8"))
    # numpy under two markers that cover every Python is required; colorama (Windows) and
    # tomli (before 3.11) only sometimes; a Python older than 3.10 is not counted
    assert table["required"] == {
        "demo": "numpy requests",
        "meta-tool": "demo",
        "old-sdist": "six",
    }
    assert table["sometimes"] == {"demo": "colorama tomli"}
    # an extra naming the distribution's own extra adds that one's too; uvloop is not
    # installed on Windows, so it is not added for certain
    extras = json.loads((tmp_path / "table_extras.json").read_text(encoding="utf-8"))
    assert extras == {"extras": {"demo[all]": "rich", "demo[cli]": "rich"}}
    # the package named after the distribution adds nothing; a generic name and one unlike the
    # distribution's are left out; a distribution named after a module comes first among its
    # providers, and so does an unread one more downloaded than the wheel's; a namespace one
    # distribution alone ships into is none
    assert table["modules"] == {
        "acme.demo_one": "demo",
        "acme.demo_two": "demo",
        "demo_native": "demo-native demo",
        "meta_tool": "meta-tool demo",
    }
    assert table["namespaces"] == {}
    wheel_requests = [line for line in _Index.seen if ".whl" in line]
    assert wheel_requests
    assert all("bytes=" in line for line in wheel_requests)
    assert len(wheel_requests) <= 4, wheel_requests

    # the cache answers a second run without the network
    _Index.seen = []
    output.unlink()
    assert generator.main([*argv, "--offline"]) == 0
    assert _Index.seen == []
    assert json.loads(output.read_text(encoding="utf-8"))["required"] == table["required"]
