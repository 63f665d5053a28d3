"""Misbehaving servers on 127.0.0.1: raw sockets that answer each connection as told.

Each behaviour is a function of the accepted connection; it reads the request first (a server
that closes before the request is sent makes the client fail on sending, not on the reply).
The server thread is stopped, and its socket closed, when the test ends.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable

Behaviour = Callable[[socket.socket], None]


def read_request(conn: socket.socket) -> bytes:
    """The request line and header (the client sends small bodies with them)."""
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def reply(raw: bytes) -> Behaviour:
    """Send `raw` as the whole reply, then close."""

    def behave(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(raw)

    return behave


def trickle(interval: float) -> Behaviour:
    """A valid-looking reply, one byte every `interval` seconds: each read succeeds."""

    def behave(conn: socket.socket) -> None:
        read_request(conn)
        for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 100000:
            conn.sendall(bytes([byte]))
            time.sleep(interval)

    return behave


def http(body: bytes, status: str = "200 OK", content_type: str = "application/json") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body


BAD_REPLIES: dict[str, Behaviour] = {
    "not-http": reply(b"SSH-2.0-OpenSSH_9.6\r\n" + b"garbage " * 100),
    "bad-status-line": reply(b"HTTP/1.1 two hundred OK\r\n\r\n"),
    "huge-header": reply(b"HTTP/1.1 200 OK\r\n" + b"X-Big: " + b"a" * 70_000 + b"\r\n\r\n"),
    "many-header-lines": reply(
        b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: %s\r\n" % (i, b"b" * 900) for i in range(90))
    ),
    "truncated-body": reply(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + b"{" * 10),
    "closed-at-once": reply(b""),
}


def nested_json(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth


def prometheus_reply(labels: object) -> bytes:
    result = [{"metric": labels, "value": [1.0, "3"]}]
    data = {"status": "success", "data": {"resultType": "vector", "result": result}}
    return json.dumps(data).encode()


class Server:
    """A listening socket and the thread answering it; `address` is HOST:PORT."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        host, port = self.listener.getsockname()
        self.address = f"{host}:{port}"
        self.behaviour = behaviour
        self.connections = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return  # closed by stop()
            self.connections += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):  # the client gave up: what we test
            self.behaviour(conn)

    def stop(self) -> None:
        # shutdown wakes the accept() of the server thread on Linux; close alone does not.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.thread.join(timeout=5)


ServerFactory = Callable[[Behaviour], Server]
