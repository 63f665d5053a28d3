"""`apytest alerts serve`: the Alertmanager webhook receiver, with payloads as Alertmanager sends.

The end-to-end test with real Prometheus and Alertmanager binaries is in tests/monitoring.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http.server import HTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from ai_server import ANSWER, MODEL, ModelServer, model_server
from http_serving import serving

from apytest.cli.apytest import main
from apytest.common import runbooks
from apytest.feedback import ai_settings, alerts
from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback.alerts_server import (
    MAX_BODY,
    STOP_GRACE,
    Credentials,
    StartError,
    make_server,
)

MISSING = "import apytest_demo_mlpkg\n\n\ndef test_model():\n    pass\n"


def payload(
    status: str = "firing",
    alertname: str = "PytestCoverageDropped",
    starts: str = "2026-12-02T04:00:00Z",
    project: str = "demo",
    instance: str = "ci-1:9100",
) -> bytes:
    labels = {"alertname": alertname, "project": project, "instance": instance}
    annotations = {
        "summary": f"Coverage of {project} dropped",
        "description": f"{project} ({instance}) covers 88%, more than 1 point below its maximum.",
        "runbook_url": f"http://127.0.0.1:9095/runbooks/{alertname}",
    }
    alert = {
        "status": status,
        "labels": labels,
        "annotations": annotations,
        "startsAt": starts,
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus:9090/graph",
        "fingerprint": "4c8f1b2a9d3e7f60",
    }
    body = {
        "version": "4",
        "groupKey": '{}/{alertname=~"Pytest.*"}:{alertname="PytestCoverageDropped"}',
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "apytest",
        "groupLabels": {"alertname": alertname},
        "commonLabels": labels,
        "commonAnnotations": annotations,
        "externalURL": "http://alertmanager:9093",
        "alerts": [alert],
    }
    return json.dumps(body).encode()


class Receiver:
    """A receiver on a free 127.0.0.1 port, served from a thread, with its log lines."""

    def __init__(self, server: HTTPServer, log: list[str]) -> None:
        self.server = server
        self.log = log
        self.url = f"http://127.0.0.1:{server.server_address[1]}"

    def post(
        self, body: bytes, path: str = "/alerts", headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        request = urllib.request.Request(
            self.url + path, data=body, headers=headers or {}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def _serve(server: HTTPServer) -> Iterator[str]:
    with serving(server) as url:
        yield url


@pytest.fixture
def context(project: pytest.Pytester, memory: Path) -> alerts.Context:
    return alerts.Context(memory=memory, root=project.path)


@pytest.fixture
def receiver(context: alerts.Context) -> Iterator[Receiver]:
    log: list[str] = []
    server = make_server("127.0.0.1", 0, context, Credentials(), log.append)
    yield from (Receiver(server, log) for _ in _serve(server))


def _alert_records(memory: Path) -> list[dict[str, Any]]:
    return [r.data for r in memory_api.interactions(kind="alert", memory=memory)]  # type: ignore[misc]


def _counts(memory: Path) -> dict[str, int]:
    return {s.suggestion.signature: s.count for s in memory_api.suggestions(memory=memory)}


@pytest.mark.slow
@pytest.mark.parametrize("memory", ["sqlite", "postgresql"], indirect=True)
def test_a_firing_alert_is_recorded_reviewed_and_logged_once_per_firing(
    project: pytest.Pytester, memory: Path, receiver: Receiver
) -> None:
    project.makepyfile(test_model=MISSING)
    project.runpytest("--apytest-instance=ci-1").assert_outcomes(errors=1)
    [(review_signature, _)] = _counts(memory).items()
    assert review_signature.startswith("optional-dependencies:")

    assert receiver.post(payload()) == (200, "1 recorded, 0 seen before\n")
    [record] = _alert_records(memory)
    assert record["alertname"] == "PytestCoverageDropped"
    assert (record["project"], record["instance"]) == ("demo", "ci-1:9100")
    assert record["key"] == "4c8f1b2a9d3e7f60@2026-12-02T04:00:00Z"
    assert record["suggestions"] == ["alert:PytestCoverageDropped", review_signature]
    assert _counts(memory) == {review_signature: 2, "alert:PytestCoverageDropped": 1}
    [alert] = [s for s in memory_api.suggestions(memory=memory) if s.suggestion.source == "alert"]
    assert alert.suggestion.lesson == "coverage-regression"
    assert "Runbook: http://127.0.0.1:9095/runbooks/PytestCoverageDropped" in (
        alert.suggestion.text
    )
    assert receiver.log == ["PytestCoverageDropped for demo: 2 suggestion(s) logged"]

    # Alertmanager's resend and the resolved notification add nothing.
    assert receiver.post(payload()) == (200, "0 recorded, 1 seen before\n")
    assert receiver.post(payload(status="resolved")) == (200, "0 recorded, 0 seen before\n")
    assert len(_alert_records(memory)) == 1
    assert _counts(memory) == {review_signature: 2, "alert:PytestCoverageDropped": 1}

    # The same alert firing again later is a new firing.
    assert receiver.post(payload(starts="2026-12-02T06:00:00Z"))[0] == 200
    assert len(_alert_records(memory)) == 2
    assert _counts(memory) == {review_signature: 3, "alert:PytestCoverageDropped": 2}


@pytest.mark.slow
@pytest.mark.parametrize("memory", ["sqlite", "postgresql"], indirect=True)
def test_the_alert_reviews_the_last_run_of_its_instance(
    project: pytest.Pytester, memory: Path, receiver: Receiver
) -> None:
    """Runner ci-1 fails, ci-2 passes later: an alert on ci-1's node_exporter (`ci-1:9100`)
    reviews ci-1's run, not the project's last one, and says so in its record."""
    project.makepyfile(test_model=MISSING)
    project.runpytest("--apytest-instance=ci-1").assert_outcomes(errors=1)
    project.makepyfile(test_model="def test_model():\n    pass\n")
    project.runpytest("--apytest-instance=ci-2").assert_outcomes(passed=1)
    failing, passing = sorted(memory_api.runs("demo", memory=memory), key=lambda r: r.id)
    assert (failing.instance, passing.instance) == ("ci-1", "ci-2")
    [(review_signature, _)] = _counts(memory).items()

    assert receiver.post(payload(instance="ci-2:9100"))[0] == 200
    assert receiver.post(payload(instance="ci-1:9100", starts="2026-12-02T05:00:00Z"))[0] == 200
    assert receiver.post(payload(instance="ci-3:9100", starts="2026-12-02T06:00:00Z"))[0] == 200
    on_2, on_1, on_3 = _alert_records(memory)
    assert (on_2["run_id"], on_1["run_id"], on_3["run_id"]) == (passing.id, failing.id, None)
    assert on_2["suggestions"] == ["alert:PytestCoverageDropped"]
    assert on_1["suggestions"] == ["alert:PytestCoverageDropped", review_signature]
    assert on_3["suggestions"] == ["alert:PytestCoverageDropped"]
    assert "PytestCoverageDropped: no run of demo from instance ci-3:9100 in the memory" in (
        receiver.log
    )


@pytest.mark.slow
def test_other_alerts_and_unknown_projects(
    project: pytest.Pytester, memory: Path, receiver: Receiver
) -> None:
    assert receiver.post(payload(alertname="NodeDown")) == (200, "0 recorded, 0 seen before\n")
    assert receiver.post(payload(project="elsewhere"))[0] == 200
    [record] = _alert_records(memory)
    assert record["suggestions"] == ["alert:PytestCoverageDropped"]  # no run of that project


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "headers", "status", "reason"),
    [
        (b"{not json", {}, 400, "body is not JSON"),
        (b"[]", {}, 400, "body is not a JSON object"),
        (b'{"version": "3", "alerts": []}', {}, 400, "payload version '3', expected '4'"),
        (b'{"version": "4", "alerts": {}}', {}, 400, "'alerts' is not a list of objects"),
        (b'{"version": "4", "alerts": [{"labels": 1}]}', {}, 400, "an alert without a"),
        (b"x", {"Content-Length": str(MAX_BODY + 1)}, 413, "more than"),
    ],
)
def test_bad_bodies_are_refused_with_a_log_line(
    receiver: Receiver,
    memory: Path,
    body: bytes,
    headers: dict[str, str],
    status: int,
    reason: str,
) -> None:
    if status == 413:  # a client announcing a huge body: refused before it is read
        code, text = _raw_post(receiver, body, headers["Content-Length"])
    else:
        code, text = receiver.post(body)
    assert code == status
    assert reason in text
    [line] = receiver.log
    assert re.match(rf"{status} for POST /alerts from 127\.0\.0\.1: .*{re.escape(reason)}", line)
    assert receiver.post(payload())[0] == 200  # still serving


def _raw_post(receiver: Receiver, body: bytes, length: str) -> tuple[int, str]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", receiver.server.server_address[1], 10)
    connection.putrequest("POST", "/alerts")
    connection.putheader("Content-Length", length)
    connection.endheaders()
    connection.send(body)
    response = connection.getresponse()
    answer = response.status, response.read().decode()
    connection.close()
    return answer


@pytest.mark.slow
def test_wrong_paths(receiver: Receiver) -> None:
    assert receiver.post(payload(), path="/api/v2/alerts")[0] == 404
    assert receiver.get("/alerts")[0] == 404
    assert receiver.get("/-/ready") == (200, "ready\n")


def test_credentials_are_required_off_loopback(context: alerts.Context) -> None:
    with pytest.raises(StartError, match="needs APYTEST_ALERTS_TOKEN"):
        make_server("0.0.0.0", 0, context, Credentials(), print)


@pytest.mark.parametrize(
    ("auth", "good", "bad"),
    [
        (Credentials(token="t0ken-abc"), "Bearer t0ken-abc", "Bearer t0ken-abd"),
        (
            Credentials(username="am", password="pw-1"),
            "Basic " + base64.b64encode(b"am:pw-1").decode(),
            "Basic " + base64.b64encode(b"am:pw-2").decode(),
        ),
    ],
)
def test_credentials_when_configured(
    context: alerts.Context, memory: Path, auth: Credentials, good: str, bad: str
) -> None:
    log: list[str] = []
    server = make_server("127.0.0.1", 0, context, auth, log.append)
    for _ in _serve(server):
        receiver = Receiver(server, log)
        assert receiver.post(payload())[0] == 401
        assert receiver.post(payload(), headers={"Authorization": bad})[0] == 401
        assert receiver.post(payload(), headers={"Authorization": good})[0] == 200
    assert len(_alert_records(memory)) == 1
    assert all("t0ken" not in line and "pw-" not in line for line in log)


@pytest.mark.slow
def test_every_alert_rule_links_its_runbook_which_the_receiver_serves(receiver: Receiver) -> None:
    rules = resources.files("apytest.monitoring").joinpath("pytest_rules.yml").read_text()
    names = re.findall(r"^\s*- alert: (\S+)$", rules, re.M)
    links = re.findall(r"^\s*runbook_url: \"?([^\"\n]+)\"?$", rules, re.M)
    assert names
    assert set(names) == set(runbooks.RUNBOOKS)
    # Relative to the rules' folder; `monitoring init` writes the page and makes them file://
    assert links == [f"{runbooks.PAGE}#{n}" for n in names]
    for name in names:
        status, page = receiver.get(f"/runbooks/{name}")
        assert status == 200
        assert page.startswith(f"# {name}\n")
        assert "## What to do" in page
    status, page = receiver.get("/runbooks/PytestCoverageDropped")
    assert "## Lesson `coverage-regression` (apytest lesson coverage-regression)" in page
    assert "**Remedy**" in page
    assert receiver.get("/runbooks/Nope")[0] == 404


def test_apytest_alerts_runbook_prints_it_without_a_server(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["alerts", "runbook"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == list(runbooks.RUNBOOKS)
    assert main(["alerts", "runbook", "PytestCoverageLow"]) == 0
    assert capsys.readouterr().out == runbooks.page("PytestCoverageLow")
    assert main(["alerts", "runbook", "Nope"]) == 2
    assert capsys.readouterr().err == (
        "apytest alerts runbook: unknown alert 'Nope' (`apytest alerts runbook` lists them)\n"
    )


def _free_port() -> int:
    """A port that was free a moment ago on 127.0.0.1 (the receiver binds it right after)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _apytest() -> list[str]:
    return [sys.executable, "-c", "from apytest.cli.apytest import main; raise SystemExit(main())"]


@pytest.mark.slow
def test_serve_stops_cleanly_on_sigterm(project: pytest.Pytester, memory: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [*_apytest(), "alerts", "serve", "--listen", f"127.0.0.1:{port}", "--memory", str(memory)],
        cwd=project.path,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        receiver_url = f"http://127.0.0.1:{port}/-/ready"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(receiver_url, timeout=2).close()
                break
            except OSError:
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < deadline, "the receiver did not start"
                time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert err.splitlines() == [
        f"apytest alerts: {memory} does not exist yet: the first alert creates it",
        f"apytest alerts: listening on 127.0.0.1:{port} (POST /alerts)",
        "apytest alerts: stopped",
    ]


@pytest.mark.slow
def test_serve_refuses_an_open_port_without_credentials(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("APYTEST_ALERTS_TOKEN", "APYTEST_ALERTS_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    result = subprocess.run(
        [*_apytest(), "alerts", "serve", "--listen", "0.0.0.0:1"],
        cwd=project.path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("apytest alerts serve: listening on 0.0.0.0 (not loopback)")
    assert len(result.stderr.splitlines()) == 1


def test_serve_refuses_a_bad_ai_setting(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APYTEST_AI_PROVIDER", "openai")
    monkeypatch.delenv("APYTEST_AI_MODEL", raising=False)
    result = subprocess.run(
        [*_apytest(), "alerts", "serve", "--listen", f"127.0.0.1:{_free_port()}"],
        cwd=project.path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (
        2,
        "apytest alerts serve: AI review: apytest_ai_model is required with "
        "apytest_ai_provider=openai\n",
    )


# The AI review of an alerted run --------------------------------------------------------------

# A GitHub token, built from parts (no scanner takes this file for a leak); pytest's assertion
# message shortens it to 'ghp_a1B2c3D4...2m3N4o5P6q7R8', which must not reach the model either.
TOKEN = "gh" + "p_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
TOKEN_TEST = f'TOKEN = "{TOKEN}"\n\n\ndef test_token():\n    assert TOKEN == "x"\n'
ALERTMANAGER_DEADLINE = 10.0
"""Seconds Alertmanager (0.25) waits for a webhook at most: max(group_interval, 10 s)."""


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with model_server() as running:
        yield running


def _failing_run(project: pytest.Pytester) -> int:
    """A run of runner ci-1 with two failure clusters (a missing extra, a token); its id."""
    project.makepyfile(test_model=MISSING, test_token=TOKEN_TEST)
    result = project.runpytest("--apytest-instance=ci-1", "--continue-on-collection-errors")
    result.assert_outcomes(failed=1, errors=1)
    assert "..." in result.stdout.str()  # pytest shortened the token in its message
    return memory_api.runs("demo", limit=1, memory=project.path / ".apytest" / "memory.sqlite3")[
        0
    ].id


def _ai_receiver(context: alerts.Context, model: ModelServer, log: list[str]) -> HTTPServer:
    settings = ai_settings.load(
        {
            "apytest_ai_provider": "openai",
            "apytest_ai_url": model.url,
            "apytest_ai_model": "demo-model",
            "apytest_ai_seconds": 30,
        },
        {},
    )
    ai_context = dataclasses.replace(context, ai=settings)
    return make_server("127.0.0.1", 0, ai_context, Credentials(), log.append)


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"waited a minute for {what}"
        time.sleep(0.05)


def _ai_done(log: list[str], times: int = 1) -> Callable[[], bool]:
    return lambda: sum(": AI review: " in line for line in log) >= times


@pytest.mark.slow
def test_an_alerted_run_has_its_ai_review_once_per_firing(
    project: pytest.Pytester, memory: Path, context: alerts.Context, model: ModelServer
) -> None:
    run_id = _failing_run(project)
    log: list[str] = []
    for _ in _serve(server := _ai_receiver(context, model, log)):
        receiver = Receiver(server, log)
        assert receiver.post(payload()) == (200, "1 recorded, 0 seen before\n")
        _wait_for(_ai_done(log), "the AI review")
        assert receiver.post(payload()) == (200, "0 recorded, 1 seen before\n")  # a resend
        assert receiver.post(payload(status="resolved"))[0] == 200
        assert receiver.post(payload(starts="2026-12-02T06:00:00Z"))[0] == 200  # firing again
        _wait_for(_ai_done(log, 2), "the second firing's AI review")

    # Both clusters were asked once: the second firing found them answered.
    assert len(model.received) == 2
    ai_lines = [line for line in log if ": AI review: " in line]
    assert ai_lines == [
        "PytestCoverageDropped for demo: AI review: 2 answer(s) of demo-model stored, "
        "0 cluster(s) answered before",
        "PytestCoverageDropped for demo: AI review: 0 answer(s) of demo-model stored, "
        "2 cluster(s) answered before",
    ]
    prompts = [r.body["messages"][1]["content"] for r in model.received]
    assert any("Cite the lesson `apytest lesson optional-dependencies`." in p for p in prompts)
    [token_prompt] = [p for p in prompts if "test_token" in p]
    assert "[REDACTED]" in token_prompt
    sent = json.dumps([r.body for r in model.received])
    for fragment in (TOKEN, TOKEN[:12], TOKEN[-12:]):
        assert fragment not in sent

    stored = [s for s in memory_api.suggestions(memory=memory) if s.suggestion.source == "ai"]
    assert (
        sorted((s.suggestion.model, s.count, s.last_run) for s in stored)
        == [(MODEL, 1, run_id)] * 2
    )
    assert all(ANSWER in s.suggestion.text for s in stored)
    for kind in ("ai_prompt", "ai_answer"):
        records = memory_api.interactions(kind, memory=memory)
        assert [r.run_id for r in records] == [run_id, run_id]
    [first, second] = _alert_records(memory)
    assert first["run_id"] == second["run_id"] == run_id
    assert TOKEN[-12:].encode() not in memory.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (429, "HTTP 429"),
        (500, "HTTP 500"),
        ("garbage", "malformed answer"),
        ("hang", ""),
    ],
)
def test_a_failing_model_costs_the_alert_nothing(
    project: pytest.Pytester,
    memory: Path,
    context: alerts.Context,
    model: ModelServer,
    fault: int | str,
    reason: str,
) -> None:
    """The answer does not wait for the model (a hung one is released only after it), the
    deterministic suggestions are logged, and each failed question is one log line."""
    run_id = _failing_run(project)
    model.fault = fault
    log: list[str] = []
    for _ in _serve(server := _ai_receiver(context, model, log)):
        # Two firings, the second while the model still has the first's question.
        for starts in ("2026-12-02T04:00:00Z", "2026-12-02T05:00:00Z"):
            started = time.monotonic()
            assert Receiver(server, log).post(payload(starts=starts)) == (
                200,
                "1 recorded, 0 seen before\n",
            )
            assert time.monotonic() - started < ALERTMANAGER_DEADLINE
        for record in _alert_records(memory):
            assert record["run_id"] == run_id
            assert record["suggestions"] == [  # the deterministic ones: the alert's, the review's
                "alert:PytestCoverageDropped",
                "optional-dependencies:apytest-demo-mlpkg",
            ]
        model.release.set()
        _wait_for(_ai_done(log, 2), "both AI reviews to give up")

    # Each firing asked both clusters (none was answered), each question one line.
    failed = [line for line in log if "PytestCoverageDropped for demo: AI review of " in line]
    assert len(failed) == 4
    assert all(f"({model.url}/v1/chat/completions): {reason}" in line for line in failed)
    assert not [s for s in memory_api.suggestions(memory=memory) if s.suggestion.source == "ai"]
    assert len(memory_api.interactions("ai_prompt", memory=memory)) == 4
    assert memory_api.interactions("ai_answer", memory=memory) == []


@pytest.mark.slow
def test_sigterm_stops_the_receiver_while_the_model_hangs(
    project: pytest.Pytester, memory: Path, model: ModelServer
) -> None:
    """The running AI review gets STOP_GRACE seconds, then the receiver exits 0 regardless."""
    _failing_run(project)
    model.fault = "hang"
    port = _free_port()
    environment = {
        **os.environ,
        "APYTEST_AI_PROVIDER": "openai",
        "APYTEST_AI_URL": model.url,
        "APYTEST_AI_MODEL": "demo-model",
    }
    process = subprocess.Popen(
        [*_apytest(), "alerts", "serve", "--listen", f"127.0.0.1:{port}", "--memory", str(memory)],
        cwd=project.path,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_for(lambda: _answers(f"{url}/-/ready"), "the receiver to start")
        request = urllib.request.Request(f"{url}/alerts", data=payload(), method="POST")
        with urllib.request.urlopen(request, timeout=ALERTMANAGER_DEADLINE) as response:
            assert response.status == 200
        _wait_for(lambda: len(model.received) == 1, "the model to be asked")
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
        stopped_after = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert STOP_GRACE <= stopped_after < STOP_GRACE + 20
    lines = err.splitlines()
    assert lines[-2:] == [
        f"apytest alerts: stopping: an AI review still running after {STOP_GRACE:g} s is left",
        "apytest alerts: stopped",
    ]
    assert [s.suggestion.source for s in memory_api.suggestions(memory=memory)].count("ai") == 0


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).close()
    except OSError:
        return False
    return True
