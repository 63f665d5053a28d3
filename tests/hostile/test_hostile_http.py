"""apytest's HTTP client against real misbehaving servers on 127.0.0.1.

Every failure is one HttpFailure with a one-line message, and the deadline bounds the whole
exchange: a server that sends a byte at a time never keeps the client past it.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile_support import BAD_REPLIES, ServerFactory, http, reply, trickle

from apytest.feedback import http_client


@pytest.mark.parametrize("kind", sorted(BAD_REPLIES))
def test_a_malformed_reply_is_one_line(serve: ServerFactory, kind: str) -> None:
    server = serve(BAD_REPLIES[kind])
    with pytest.raises(http_client.HttpFailure) as caught:
        http_client.request(f"http://{server.address}/x", deadline=5)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"http://{server.address}/x: ")


@pytest.mark.slow
def test_the_deadline_bounds_the_whole_exchange_not_each_read(serve: ServerFactory) -> None:
    server = serve(trickle(0.2))  # every read gets a byte well within any per-read timeout
    started = time.monotonic()
    with pytest.raises(http_client.HttpFailure, match=r"no complete reply within 1\.5 s"):
        http_client.request(f"http://{server.address}/", deadline=1.5)
    assert time.monotonic() - started < 3


def test_a_body_over_the_limit_is_refused(serve: ServerFactory) -> None:
    server = serve(reply(http(b"x" * 5000)))
    with pytest.raises(http_client.HttpFailure, match="reply body over 1000 bytes"):
        http_client.request(f"http://{server.address}/", max_body=1000)


def test_a_good_reply_and_a_chunked_one(serve: ServerFactory) -> None:
    plain = serve(reply(http(b'{"ok": true}', status="404 Not Found")))
    got = http_client.request(f"http://{plain.address}/a?b=c", method="POST", body=b"data")
    assert (got.status, got.reason, got.body) == (404, "Not Found", b'{"ok": true}')
    assert got.headers["content-type"] == "application/json"
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunked = serve(reply(head + b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"))
    assert http_client.request(f"http://{chunked.address}/").body == b"abcde"


def test_a_refused_connection_is_one_line() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(http_client.HttpFailure, match="Connection refused"):
        http_client.request(f"http://127.0.0.1:{port}/")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("127.0.0.1:abc", "invalid port"),
        ("ftp://host/x", "unsupported scheme"),
        ("http://:80/", "no host"),
        ("http://host/a b", "space or control character"),
        ("127.0.0.1:99999", "invalid port"),
    ],
)
def test_a_bad_url_is_refused_before_any_connection(url: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        http_client.parse_url(url)
    with pytest.raises(http_client.HttpFailure, match=reason):
        http_client.request(url)


HUNG_RESOLVER = """
import json, os, pathlib, sys, threading, time
from apytest.feedback import http_client

pid_file = pathlib.Path(sys.argv[1])
# A resolver that never answers: the lookup's child records its pid, then waits forever.
http_client.LOOKUP = (
    f"import os, pathlib, time\\npathlib.Path({str(pid_file)!r}).write_text(str(os.getpid()))\\n"
    "time.sleep(3600)\\n"
)
started = time.monotonic()
try:
    http_client.request("http://pushgateway.example:9091/", deadline=1)
except http_client.HttpFailure as failure:
    message = str(failure)
pid = int(pid_file.read_text())
try:
    os.kill(pid, 0)
    lookup = "alive"
except ProcessLookupError:
    lookup = "gone"
print(json.dumps({
    "message": message,
    "seconds": time.monotonic() - started,
    "threads": [thread.name for thread in threading.enumerate()],
    "lookup": lookup,
}))
"""


@pytest.mark.slow
def test_a_hung_name_lookup_is_abandoned_at_the_deadline_leaving_nothing(
    tmp_path: Path,
) -> None:
    started = time.monotonic()
    done = subprocess.run(  # the interpreter must also exit at once: nothing left to wait for
        [sys.executable, "-c", HUNG_RESOLVER, str(tmp_path / "lookup.pid")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["message"] == (
        "http://pushgateway.example:9091/: cannot resolve pushgateway.example within 1 s"
    )
    assert 1 <= result["seconds"] < 5  # bounded by the deadline (a loaded machine adds some)
    assert result["threads"] == ["MainThread"]  # no thread left waiting on the resolver
    assert result["lookup"] == "gone"  # the lookup's process killed and reaped
    assert time.monotonic() - started < 30


def test_a_name_is_resolved_as_the_system_resolves_it(serve: ServerFactory) -> None:
    server = serve(reply(http(b"ok")))
    port = server.address.rsplit(":", 1)[1]
    assert http_client.request(f"http://localhost:{port}/", deadline=10).body == b"ok"
    with pytest.raises(http_client.HttpFailure) as caught:
        http_client.request("http://no-such-host.invalid/", deadline=10)
    assert str(caught.value).startswith("http://no-such-host.invalid/: ")
    assert "within" not in str(caught.value)  # the resolver's own answer, not the deadline
