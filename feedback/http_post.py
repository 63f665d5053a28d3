"""One HTTP POST with an overall deadline, for the AI review's calls to a model endpoint.

urllib's `timeout` bounds each socket operation, not the request: a server that answers one
byte every few seconds would hold a session for ever. Here every step (connect, send, each
read) gets what is left of one deadline, and the body is read in chunks up to a size cap, so a
call never takes longer than its budget nor reads an unbounded answer. The standard library's
`http.client` is enough for one JSON POST; no client library is needed (see
dependency_registry.md).
"""

from __future__ import annotations

import http.client
import ssl
import time
import urllib.parse
from collections.abc import Mapping
from typing import NamedTuple

MAX_BODY = 1_000_000


class HttpFailure(Exception):
    """The request did not produce an answer in time (or at all); the message says why."""


class Answer(NamedTuple):
    status: int
    body: bytes


def post(url: str, headers: Mapping[str, str], body: bytes, deadline: float) -> Answer:
    """POST `body` to `url`; `deadline` is a `time.monotonic()` instant the call must end by."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HttpFailure(f"not an http(s) URL: {url!r}")
    connection_type = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = connection_type(parts.hostname, parts.port, timeout=_left(deadline))
    try:
        connection.request("POST", path, body=body, headers=dict(headers))
        _tighten(connection, deadline)
        response = connection.getresponse()
        chunks: list[bytes] = []
        size = 0
        while chunk := _read(connection, response, deadline):
            size += len(chunk)
            if size > MAX_BODY:
                raise HttpFailure(f"answer larger than {MAX_BODY} bytes")
            chunks.append(chunk)
        return Answer(response.status, b"".join(chunks))
    except TimeoutError:
        raise HttpFailure("timed out") from None
    except (OSError, http.client.HTTPException, ssl.SSLError) as error:
        raise HttpFailure(str(error) or type(error).__name__) from None
    finally:
        connection.close()


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise HttpFailure("timed out")
    return left


def _tighten(connection: http.client.HTTPConnection, deadline: float) -> None:
    if connection.sock is not None:
        connection.sock.settimeout(_left(deadline))


def _read(
    connection: http.client.HTTPConnection, response: http.client.HTTPResponse, deadline: float
) -> bytes:
    _tighten(connection, deadline)
    return response.read1(65536)
