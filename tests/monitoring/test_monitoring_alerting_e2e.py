"""End to end: a coverage drop fires in real Prometheus, real Alertmanager calls apytest's
receiver, and the review's suggestion lands in the corpus memory.

Everything runs the files `apytest monitoring init` ships, with the edits a test needs: the
targets files list the services started here, Alertmanager's webhook points at this test's
receiver, and scrapes, rule evaluations and Alertmanager's grouping happen every second.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pytest
from monitoring_support import (
    PROJECT,
    SHOP,
    STARTUP_TIMEOUT,
    UNTESTED,
    Service,
    StartService,
    configure_monitoring,
    free_port,
    prometheus_query,
    start_node_exporter,
    start_prometheus,
    wait_until,
)

from apytest.feedback import corpus_memory_logging as memory_api
from apytest.monitoring import scaffold

pytestmark = pytest.mark.e2e

# Scrape, evaluation and grouping take a second each; only reached on failure.
TIMEOUT = 60.0


@pytest.fixture
def receiver(project: pytest.Pytester, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """`apytest alerts serve` in the project, on a free port; (port, its log file)."""
    port = free_port()
    log = tmp_path / "receiver.log"
    memory = project.path / ".apytest" / "memory.sqlite3"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from apytest.cli.apytest import main; raise SystemExit(main())",
                "alerts",
                "serve",
                "--listen",
                f"127.0.0.1:{port}",
                "--memory",
                str(memory),
            ],
            cwd=project.path,
            stdout=output,
            stderr=subprocess.STDOUT,
        )

    def ready() -> bool:
        if process.poll() is not None:
            pytest.fail(f"the receiver exited with {process.returncode}:\n{log.read_text()}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=2).close()
        except OSError:
            return False
        return True

    try:
        wait_until(ready, STARTUP_TIMEOUT, "the receiver to answer /-/ready")
        yield port, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _start_alertmanager(start: StartService, directory: Path, receiver_port: int) -> Service:
    config = directory / "alertmanager.yml"
    text, edits = re.subn(
        r"url: http://127\.0\.0\.1:\d+/alerts",
        f"url: http://127.0.0.1:{receiver_port}/alerts",
        config.read_text(),
    )
    assert edits == 1, "the shipped webhook moved: update this test"
    text, edits = re.subn(r"^(  group_(?:wait|interval):) \S+$", r"\1 1s", text, flags=re.M)
    assert edits == 2, "the shipped grouping moved: update this test"
    config.write_text(text)
    return start(
        "prometheus-alertmanager",
        lambda address: [
            f"--config.file={config}",
            f"--storage.path={directory / 'alertmanager-data'}",
            f"--web.listen-address={address}",
            "--cluster.listen-address=",  # no gossip port: one instance, nothing shared
        ],
        "/-/ready",
    )


def _alerts(memory: Path) -> list[dict[str, Any]]:
    if not memory.exists():
        return []
    return [
        record.data
        for record in memory_api.interactions(kind="alert", memory=memory)
        if isinstance(record.data, dict)
    ]


def test_coverage_drop_reaches_the_memory_through_alertmanager(
    project: pytest.Pytester,
    start_service: StartService,
    receiver: tuple[int, Path],
) -> None:
    port, receiver_log = receiver
    directory = project.path / "monitoring"
    scaffold.init(directory)
    alertmanager = _start_alertmanager(start_service, directory, port)
    node_exporter = start_node_exporter(start_service, directory)
    config = configure_monitoring(directory, [node_exporter], [], [alertmanager])
    prometheus = start_prometheus(start_service, config, project.path / "tsdb")
    selector = f'{{project="{PROJECT}"}}'

    def run() -> None:
        # A subprocess: pytest-cov must not measure inside this test process.
        project.runpytest_subprocess("--cov=shop", "-p", "no:cacheprovider").assert_outcomes(
            passed=2
        )

    run()
    best = f"pytest:coverage_percent:max1d{selector}"
    wait_until(
        lambda: [s["value"][1] for s in prometheus_query(prometheus, best)] == ["100"],
        TIMEOUT,
        "the recording rule to see 100% coverage",
    )
    project.makepyfile(shop=SHOP + UNTESTED)
    run()

    memory = project.path / ".apytest" / "memory.sqlite3"
    wait_until(
        lambda: any(a["alertname"] == "PytestCoverageDropped" for a in _alerts(memory)),
        TIMEOUT,
        f"the receiver to record PytestCoverageDropped (its log: {receiver_log})",
    )
    [alert] = _alerts(memory)
    assert alert["project"] == PROJECT
    # The alert names the node_exporter (a loopback address); the runs name this host: the
    # receiver reviewed the last run of this host.
    last = memory_api.last_run(PROJECT, memory=memory)
    assert last is not None
    assert last.instance == socket.gethostname()
    assert (alert["instance"], alert["run_id"]) == (node_exporter.address, last.id)
    runbook = urlsplit(alert["annotations"]["runbook_url"])
    assert (runbook.scheme, runbook.fragment) == ("file", "PytestCoverageDropped")
    assert Path(url2pathname(runbook.path)).is_file()  # written by monitoring init
    assert alert["suggestions"] == ["alert:PytestCoverageDropped", "coverage-regression:drop"]
    counts = {
        s.suggestion.signature: (s.suggestion.source, s.count)
        for s in memory_api.suggestions(PROJECT, memory=memory)
    }
    # The session's own review found the drop; the alert's review found it again.
    assert counts["coverage-regression:drop"] == ("history", 2)
    assert counts["alert:PytestCoverageDropped"] == ("alert", 1)
    assert json.dumps(alert)  # a plain JSON record
