"""End to end: a coverage drop (or a failure spike) fires in real Prometheus, real Alertmanager
calls apytest's receiver, and the review's suggestion (and the AI review's answer, from a local
model server) lands in the corpus memory.

Everything runs the files `apytest monitoring init` ships, with the edits a test needs: the
targets files list the services started here, Alertmanager's webhook points at this test's
receiver, and scrapes, rule evaluations and Alertmanager's grouping happen every second.
"""

from __future__ import annotations

import json
import os
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
from ai_server import ANSWER, MODEL, ModelServer, model_server
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
from apytest.feedback.ai_review import PROMPT_CHARS
from apytest.monitoring import scaffold

pytestmark = pytest.mark.e2e

# Scrape, evaluation and grouping take a second each; only reached on failure.
TIMEOUT = 60.0


@pytest.fixture
def receiver(project: pytest.Pytester, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """`apytest alerts serve` in the project, on a free port; (port, its log file)."""
    yield from _receiver(project, tmp_path, {})


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with model_server() as running:
        yield running


@pytest.fixture
def ai_receiver(
    project: pytest.Pytester, tmp_path: Path, model: ModelServer
) -> Iterator[tuple[int, Path]]:
    """The receiver with the AI review configured (in its environment only: the test sessions
    have none) against the local model server."""
    ai = {
        "APYTEST_AI_PROVIDER": "openai",
        "APYTEST_AI_URL": model.url,
        "APYTEST_AI_MODEL": "demo-model",
    }
    yield from _receiver(project, tmp_path, ai)


def _receiver(
    project: pytest.Pytester, tmp_path: Path, environment: dict[str, str]
) -> Iterator[tuple[int, Path]]:
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
            env={**os.environ, **environment},
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


def _the_alert(memory: Path, name: str, receiver_log: Path) -> dict[str, Any]:
    """The one alert the receiver records, once it has."""
    wait_until(
        lambda: any(a["alertname"] == name for a in _alerts(memory)),
        TIMEOUT,
        f"the receiver to record {name} (its log: {receiver_log})",
    )
    [alert] = _alerts(memory)
    return alert


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
    alert = _the_alert(memory, "PytestCoverageDropped", receiver_log)
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


# A GitHub token, built from parts (no scanner takes this file for a leak); pytest shortens it
# in the assertion message ('ghp_a1B2c3D4...2m3N4o5P6q7R8'). Four failures of one test: the
# spike alert fires (more than 3), and they are one cluster for the model.
TOKEN = "gh" + "p_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
FAILING = f"""
import pytest

TOKEN = "{TOKEN}"


@pytest.mark.parametrize("n", range(4))
def test_token(n):
    assert TOKEN == "x"
"""
MISSING_EXTRA = "import apytest_demo_mlpkg\n\n\ndef test_model():\n    pass\n"
WITH_EXTRA = f"""
[project]
name = "{PROJECT}"
version = "0"

[project.optional-dependencies]
ml = ["apytest-demo-mlpkg"]
"""
AI_TIMEOUT = 120.0
"""Two questions, each answered after MODEL_DELAY, on a loaded machine."""
MODEL_DELAY = 11.0
"""Longer than Alertmanager waits for a webhook (0.25: max(group_interval, 10 s))."""


def _webhook_notifications(alertmanager: Service) -> tuple[float, float]:
    """Alertmanager's own count of webhook notifications: (sent, failed)."""
    with urllib.request.urlopen(f"{alertmanager.url}/metrics", timeout=5) as response:
        text = response.read().decode()
    counts = {
        "alertmanager_notifications_total": 0.0,
        "alertmanager_notifications_failed_total": 0.0,
    }
    for line in text.splitlines():
        name, _, rest = line.partition("{")
        if name in counts and 'integration="webhook"' in rest:
            counts[name] += float(line.rsplit(" ", 1)[1])
    return counts["alertmanager_notifications_total"], counts[
        "alertmanager_notifications_failed_total"
    ]


def test_failure_spike_gets_its_ai_review_without_delaying_alertmanager(
    project: pytest.Pytester,
    start_service: StartService,
    ai_receiver: tuple[int, Path],
    model: ModelServer,
) -> None:
    """The model answers slower than Alertmanager waits: the receiver answers first, records
    the firing and the deterministic review, then stores the model's answers; Alertmanager
    counts no failed notification (a late answer would be one, and a resend)."""
    port, receiver_log = ai_receiver
    model.delay = MODEL_DELAY
    directory = project.path / "monitoring"
    scaffold.init(directory)
    alertmanager = _start_alertmanager(start_service, directory, port)
    node_exporter = start_node_exporter(start_service, directory)
    config = configure_monitoring(directory, [node_exporter], [], [alertmanager])
    start_prometheus(start_service, config, project.path / "tsdb")
    project.makepyprojecttoml(WITH_EXTRA)
    project.makepyfile(test_token=FAILING, test_model=MISSING_EXTRA)
    project.runpytest_subprocess(
        "-p", "no:cacheprovider", "--continue-on-collection-errors"
    ).assert_outcomes(passed=2, failed=4, errors=1)

    memory = project.path / ".apytest" / "memory.sqlite3"
    alert = _the_alert(memory, "PytestFailureSpike", receiver_log)
    run = memory_api.last_run(PROJECT, memory=memory)
    assert run is not None
    assert alert["run_id"] == run.id
    assert alert["suggestions"] == [
        "alert:PytestFailureSpike",
        "optional-dependencies:apytest-demo-mlpkg",
    ]

    def answers() -> list[str]:
        return [
            s.suggestion.text
            for s in memory_api.suggestions(PROJECT, memory=memory)
            if s.suggestion.source == "ai"
        ]

    wait_until(lambda: len(answers()) == 2, AI_TIMEOUT, f"two AI answers ({receiver_log})")
    assert all(ANSWER in text for text in answers())
    assert {s.suggestion.model for s in memory_api.suggestions(PROJECT, memory=memory)} >= {MODEL}
    wait_until(
        lambda: _webhook_notifications(alertmanager)[0] >= 1,
        TIMEOUT,
        "Alertmanager to count its notification",
    )
    assert _webhook_notifications(alertmanager)[1] == 0

    # What the model got: two questions, once each, redacted, bounded, citing the lesson.
    assert len(model.received) == 2
    prompts = [r.body["messages"][1]["content"] for r in model.received]
    assert all(len(p) <= PROMPT_CHARS for p in prompts)
    assert any("Cite the lesson `apytest lesson optional-dependencies`." in p for p in prompts)
    [token_prompt] = [p for p in prompts if "test_token" in p]
    assert "(4 failures)" in token_prompt  # one cluster of the four
    sent = json.dumps([r.body for r in model.received])
    for fragment in (TOKEN, TOKEN[:12], TOKEN[-12:]):
        assert fragment not in sent
    assert TOKEN[-12:].encode() not in memory.read_bytes()
