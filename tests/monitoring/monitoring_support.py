"""Helpers shared by the monitoring tests: the shipped files, PromQL names, real services.

A plain module, imported by name (pytest puts this folder on ``sys.path``): test modules never
import ``conftest``, whose module identity changes from folder to folder.

Every external binary is found through `require_binary` (tests/conftest.py), so a machine
without Debian's Prometheus packages skips with an install hint and CI fails instead.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

# The shipped monitoring files, as `apytest monitoring init` copies them.
MONITORING = resources.files("apytest.monitoring")

STARTUP_TIMEOUT = 20.0
HTTP_TIMEOUT = 5.0


def shipped_text(name: str) -> str:
    """A shipped file as installed, the same bytes `monitoring init` writes."""
    return MONITORING.joinpath(name).read_text(encoding="utf-8")


def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(shipped_text("grafana_dashboard.json"))
    return loaded


def dashboard_exprs() -> list[str]:
    """The PromQL of every panel target of the shipped dashboard."""
    return [target["expr"] for panel in dashboard()["panels"] for target in panel["targets"]]


def recorded_names() -> set[str]:
    """The series names that the shipped recording rules create."""
    return set(re.findall(r"^\s*- record: (\S+)$", shipped_text("pytest_rules.yml"), re.M))


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGE = re.compile(r"\[[^\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
# Numbers, and durations such as the `5m` of `offset 5m`.
_NUMBER = re.compile(r"(?<![\w:])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?:ms|[smhdwy])?(?![\w:])")
_IDENTIFIER = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_KEYWORDS = frozenset({"and", "or", "unless", "bool", "offset"})


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (not functions, labels or keywords).

    Enough PromQL for the shipped expressions: label matchers, ranges and grouping clauses
    are dropped first, so what is left is metric names, function names (followed by "("),
    keywords and numbers.
    """
    text = expr
    for pattern in (_STRING, _MATCHERS, _RANGE, _GROUPING, _NUMBER):
        text = pattern.sub(" ", text)
    return {
        match.group()
        for match in _IDENTIFIER.finditer(text)
        if match.group() not in _KEYWORDS and not text[match.end() :].lstrip().startswith("(")
    }


# --- a project and its monitoring ------------------------------------------------------------

PROJECT = "shop-e2e"
SHOP = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
# One more function that no test calls: 5 of 6 statements covered.
UNTESTED = "\n\ndef mul(a, b):\n    return a * b\n"
TESTS = """
from shop import add, sub


def test_add():
    assert add(1, 2) == 3


def test_sub():
    assert sub(3, 2) == 1
"""
FAILING_TEST = "\n\ndef test_fails():\n    assert add(1, 1) == 3\n"


def configure_monitoring(
    directory: Path,
    node_exporters: Sequence[Service],
    pushgateways: Sequence[Service],
    alertmanagers: Sequence[Service] = (),
) -> Path:
    """`monitoring init` into `directory`, pointed at these services, at one-second intervals.

    Returns the Prometheus config file.
    """
    from apytest.monitoring import scaffold

    route = {(True, False): "textfile", (False, True): "pushgateway"}.get(
        (bool(node_exporters), bool(pushgateways)), "both"
    )
    scaffold.init(directory, route=route)
    for name, services in (
        ("node_targets.yml", node_exporters),
        ("pushgateway_targets.yml", pushgateways),
        ("alertmanager_targets.yml", alertmanagers),
    ):
        if services or name == "alertmanager_targets.yml":
            # JSON is YAML: the file_sd format as a team would write it, minus the comments.
            targets = [{"targets": [service.address for service in services]}]
            (directory / name).write_text(json.dumps(targets))
    config = directory / "prometheus.yml"
    fast, edits = re.subn(
        r"^(  (?:scrape|evaluation)_interval:) 30s$", r"\1 1s", config.read_text(), flags=re.M
    )
    assert edits == 2, "the shipped intervals moved: update this test"
    config.write_text(fast)
    return config


# --- real services -------------------------------------------------------------------------


def free_port() -> int:
    """A port that was free a moment ago on 127.0.0.1 (the binary binds it right after)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def http_get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT) as response:
        body: bytes = response.read()
        return body


def http_json(url: str) -> Any:
    return json.loads(http_get(url))


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `condition` until it holds; fail the test naming `what` when time runs out.

    Scrapes and rule evaluations happen on the servers' own clocks, so the tests wait for
    the effect instead of sleeping a guessed time.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


@dataclass(frozen=True)
class Service:
    """A started server: its process and where it answers."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def answers(self, path: str) -> bool:
        try:
            http_get(self.url + path)
        except OSError:
            return False
        return True

    def stop(self) -> None:
        """Stop this process (by its PID, never by name), forcibly if it ignores SIGTERM."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


StartService = Callable[[str, Callable[[str], Sequence[str]], str], Service]


def prometheus_query(prometheus: Service, expr: str) -> list[dict[str, Any]]:
    """The instant vector `expr` evaluates to now, through Prometheus's HTTP API."""
    url = f"{prometheus.url}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    answer = http_json(url)
    assert answer["status"] == "success", answer
    result: list[dict[str, Any]] = answer["data"]["result"]
    return result


def start_node_exporter(start: StartService, textfile_directory: Path) -> Service:
    """node_exporter with nothing but the textfile collector, reading `textfile_directory`."""
    return start(
        "prometheus-node-exporter",
        lambda address: [
            f"--web.listen-address={address}",
            "--collector.disable-defaults",
            "--collector.textfile",
            f"--collector.textfile.directory={textfile_directory}",
        ],
        "/metrics",
    )


def start_pushgateway(start: StartService) -> Service:
    """A Pushgateway without persistence: its groups live as long as the test."""
    return start(
        "prometheus-pushgateway",
        # In memory only: Debian's default persistence file is shared by every user.
        lambda address: [f"--web.listen-address={address}", "--persistence.file="],
        "/-/ready",
    )


def start_prometheus(start: StartService, config_file: Path, data_directory: Path) -> Service:
    """Prometheus on `config_file`, with its own TSDB folder so tests never share data."""
    return start(
        "prometheus",
        lambda address: [
            f"--config.file={config_file}",
            f"--storage.tsdb.path={data_directory}",
            f"--web.listen-address={address}",
        ],
        "/-/ready",
    )
