"""A Pushgateway or Prometheus that misbehaves: a warning line, never a traceback or a hang.

The push runs in real pytest sessions (pytester); `apytest review --prometheus` through the
CLI's `main`. Every server is a raw socket on 127.0.0.1 (see hostile_support).
"""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from hostile_support import (
    BAD_REPLIES,
    ServerFactory,
    http,
    nested_json,
    prometheus_reply,
    reply,
    trickle,
)

from apytest.cli.apytest import main
from apytest.feedback import alerts, alerts_server, http_client, metrics_source
from apytest.feedback.alerts_server import Credentials

GREEN = "def test_ok():\n    pass\n"


def recorded_runs(pytester: pytest.Pytester) -> int:
    with sqlite3.connect(pytester.path / ".apytest" / "memory.sqlite3") as db:
        count: int = db.execute("SELECT count(*) FROM runs").fetchone()[0]
    return count


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["not-http", "bad-status-line", "huge-header", "truncated-body"])
def test_a_broken_pushgateway_leaves_a_green_run_green_and_recorded(
    pytester: pytest.Pytester, serve: ServerFactory, kind: str
) -> None:
    server = serve(BAD_REPLIES[kind])
    pytester.makepyfile(test_green=GREEN)
    result = pytester.runpytest(f"--apytest-pushgateway={server.address}")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        [f"apytest: warning: cannot push to the Pushgateway {server.address}: http://*"]
    )
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    assert server.connections == 1
    assert recorded_runs(pytester) == 1
    assert "1 passed" in (pytester.path / "logs" / "pytest.log").read_text()


def test_an_http_error_of_the_pushgateway_is_one_line(
    pytester: pytest.Pytester, serve: ServerFactory
) -> None:
    server = serve(reply(http(b"pushed metrics are invalid\nsecond line", "400 Bad Request")))
    pytester.makepyfile(test_green=GREEN)
    result = pytester.runpytest(f"--apytest-pushgateway={server.address}")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        ["*Pushgateway*: HTTP 400 Bad Request: pushed metrics are invalid second line"]
    )


@pytest.mark.slow
def test_a_trickling_pushgateway_is_given_up_on_after_the_deadline(
    pytester: pytest.Pytester, serve: ServerFactory
) -> None:
    server = serve(trickle(2.0))  # a byte every 2 s: no single read ever times out
    pytester.makepyfile(test_green=GREEN)
    started = time.monotonic()
    result = pytester.runpytest_subprocess(f"--apytest-pushgateway={server.address}")
    assert time.monotonic() - started < 20
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*Pushgateway*: no complete reply within 5 s"])


@pytest.mark.slow
@pytest.mark.parametrize("address", ["127.0.0.1:abc", "ftp://gateway:9091", "http://:9091"])
def test_a_bad_pushgateway_address_is_a_usage_error_at_startup(
    pytester: pytest.Pytester, address: str
) -> None:
    pytester.makepyfile(test_green=GREEN)
    result = pytester.runpytest_subprocess(f"--apytest-pushgateway={address}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: --apytest-pushgateway '{address}': *"])
    assert "Traceback" not in result.stderr.str()
    assert not (pytester.path / "logs").exists()  # refused before the session started


@pytest.fixture
def recorded(pytester: pytest.Pytester) -> Path:
    """A project with one recorded run; its memory."""
    pytester.makepyprojecttoml('[project]\nname = "demo"\n')
    pytester.makepyfile(test_green=GREEN)
    pytester.runpytest().assert_outcomes(passed=1)
    return pytester.path / ".apytest" / "memory.sqlite3"


REVIEW_REPLIES = {
    **{kind: BAD_REPLIES[kind] for kind in ("not-http", "huge-header", "truncated-body")},
    "nested-json": reply(http(nested_json())),
    "label-is-an-object": reply(http(prometheus_reply({"__name__": "x", "outcome": {"a": 1}}))),
    "not-a-query-reply": reply(http(b'{"data": []}')),
    "server-error": reply(http(b"{}", "503 Service Unavailable")),
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(REVIEW_REPLIES))
def test_review_with_a_broken_prometheus_is_one_line(
    recorded: Path, serve: ServerFactory, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    server = serve(REVIEW_REPLIES[kind])
    url = f"http://{server.address}"
    code = main(["review", "--prometheus", url, "--memory", str(recorded)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"apytest review: cannot query Prometheus at {url}: ")
    assert err.count("\n") == 1, err


@pytest.mark.slow
def test_review_gives_up_on_a_trickling_prometheus(
    recorded: Path,
    serve: ServerFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(metrics_source, "QUERY_DEADLINE", 2.0)
    server = serve(trickle(0.5))
    started = time.monotonic()
    code = main(["review", "--prometheus", f"http://{server.address}", "--memory", str(recorded)])
    assert code == 1
    assert time.monotonic() - started < 5
    assert "no complete reply within 2 s" in capsys.readouterr().err


AI_PROJECT = """
[project]
name = "demo"

[tool.pytest.ini_options]
apytest_ai_provider = "openai"
apytest_ai_url = "http://{address}"
apytest_ai_model = "demo-model"
apytest_ai_seconds = "2"
apytest_ai_max_clusters = "1"
"""


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["trickle", "not-http", "huge-header", "truncated-body"])
def test_a_broken_model_endpoint_is_one_warning_within_its_deadline(
    pytester: pytest.Pytester, serve: ServerFactory, kind: str
) -> None:
    server = serve(trickle(0.5) if kind == "trickle" else BAD_REPLIES[kind])
    pytester.makepyprojecttoml(AI_PROJECT.format(address=server.address))
    pytester.makepyfile(test_a="def test_fails():\n    assert 6 * 7 == 43\n")
    started = time.monotonic()
    result = pytester.runpytest()
    # A header trickled at 0.5 s a byte alone takes 21 s: only one deadline ends it sooner.
    assert time.monotonic() - started < 20
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([f"apytest: warning: AI review of *(http://{server.address}*): *"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    assert server.connections == 1


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["header", "body"])
def test_the_alert_receiver_drops_a_trickling_client_at_its_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    """A client sending a byte every 0.3 s never trips a per-read timeout; the receiver
    serves one request at a time, so it would otherwise never take another alert."""
    monkeypatch.setattr(alerts_server, "REQUEST_TIMEOUT", 1.5)
    log: list[str] = []
    context = alerts.Context(memory=tmp_path / "memory.sqlite3", root=tmp_path)
    server = alerts_server.make_server("127.0.0.1", 0, context, Credentials(), log.append)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    head = b"POST /alerts HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n"
    trickled, sent = (head, b"") if stage == "header" else (b"{" * 500, head)
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as client:
            client.sendall(sent)
            with contextlib.suppress(OSError):  # the receiver hangs up on us
                for byte in trickled:
                    client.sendall(bytes([byte]))
                    time.sleep(0.3)
                    if time.monotonic() - started > 10:
                        break
            elapsed = time.monotonic() - started
        ready = http_client.request(f"http://127.0.0.1:{server.server_address[1]}/-/ready")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
    assert elapsed < 5
    assert ready.status == 200
    if stage == "body":
        assert log == ["408 for POST /alerts from 127.0.0.1: body not received in time"]
