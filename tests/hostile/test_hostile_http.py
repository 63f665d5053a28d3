"""apytest's HTTP client against real misbehaving servers on 127.0.0.1.

Every failure is one HttpFailure with a one-line message, and the deadline bounds the whole
exchange: a server that sends a byte at a time never keeps the client past it.
"""

from __future__ import annotations

import socket
import time

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
