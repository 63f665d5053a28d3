"""apytest's one HTTP client: every network call goes through `request`.

Why not urllib alone: its timeout bounds each read, not the operation, so a server that sends a
byte every two seconds keeps it waiting forever; and what a misbehaving server sends (no HTTP at
all, a bad status line, an endless header, a body cut short) surfaces as exceptions of half a
dozen families. Here each operation has one deadline (name lookup, connect, send and every read
share it: each blocking call gets only the time left), the reply's header and body have size
limits, and every failure is one `HttpFailure` whose message is one line. The Pushgateway push,
`apytest review --prometheus` and any later endpoint use it.
"""

import base64
import io
import socket
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from apytest.common import clock

DEFAULT_DEADLINE = 10.0
"""Seconds for one whole operation: lookup, connect, request, reply."""
MAX_HEADER_BYTES = 64 * 1024
"""A status line and header longer than this is not a reply of a server we talk to."""
MAX_BODY_BYTES = 16 * 1024 * 1024
"""Default body limit; callers expecting small replies pass less."""


class HttpFailure(Exception):
    """The operation failed; the message is one line naming the URL and what went wrong."""


class Reply(NamedTuple):
    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes


class Target(NamedTuple):
    """A checked URL: scheme, host, port and the request target (path and query)."""

    scheme: str
    host: str
    port: int
    target: str


def parse_url(url: str) -> Target:
    """Check `url` (``http://`` is assumed without a scheme); ValueError says what is wrong."""
    if "://" not in url:
        url = f"http://{url}"
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"unsupported scheme {parts.scheme!r} (http or https)")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"invalid port in {url!r}") from None
    if not parts.hostname:
        raise ValueError(f"no host in {url!r}")
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    if any(ord(c) < 33 or ord(c) == 127 for c in parts.hostname + target):
        raise ValueError(f"space or control character in {url!r}")
    default = 443 if parts.scheme == "https" else 80
    return Target(parts.scheme, parts.hostname, port or default, target)


def basic_auth(username: str, password: str) -> tuple[str, str]:
    """The ``Authorization`` header of HTTP basic authentication."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return ("Authorization", f"Basic {token}")


class _Clock:
    def __init__(self, seconds: float, url: str) -> None:
        self.end = clock.monotonic() + seconds
        self.seconds = seconds
        self.url = url

    def left(self) -> float:
        """Seconds left; raises HttpFailure when none are."""
        remaining = self.end - clock.monotonic()
        if remaining <= 0:
            raise HttpFailure(f"{self.url}: timed out: no complete reply within {self.seconds:g} s")
        return remaining


class _Reader(io.RawIOBase):
    """The socket as a raw stream whose every read waits only for the time left, and which
    refuses to read past `limit` bytes in total (header and body limits)."""

    def __init__(self, sock: socket.socket, clock: _Clock) -> None:
        self.sock = sock
        self.clock = clock
        self.count = 0
        self.limit = MAX_HEADER_BYTES
        self.what = "header"

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self.count > self.limit:
            raise HttpFailure(f"{self.clock.url}: reply {self.what} over {self.limit} bytes")
        self.sock.settimeout(self.clock.left())
        try:
            received = self.sock.recv_into(buffer)
        except TimeoutError:
            self.clock.left()
            raise
        self.count += received
        return received


class _Socket:
    """What http.client.HTTPResponse needs of a socket: `makefile`."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(self.reader)


LOOKUP = (
    "import json, socket, sys\n"
    "try:\n"
    "    found = socket.getaddrinfo(sys.argv[1], int(sys.argv[2]), type=socket.SOCK_STREAM)\n"
    "except OSError as error:\n"
    "    print(json.dumps({'errno': error.errno, 'strerror': error.strerror}))\n"
    "else:\n"
    "    print(json.dumps({'found': [[f, t, p, c, a] for f, t, p, c, a in found]}))\n"
)
"""The child's program: one lookup, its result as JSON on stdout."""


def _resolve(host: str, port: int, clock: _Clock) -> list[tuple[object, ...]]:
    """getaddrinfo within the deadline: a hung resolver must not hang the caller.

    The C library's lookup cannot be interrupted, and the standard library has no other (asyncio
    runs it in a thread too): a thread left waiting on a resolver that never answers outlives the
    operation, one more per call, for the life of the process (the alert receiver runs for
    weeks). So a host name is looked up in a child Python process with the same environment
    (hosts file, nsswitch, resolv.conf), which is killed and reaped at the deadline: nothing is
    left behind. It costs a process start (about 30 ms) per lookup of a name; an IP address is
    used as it is.
    """
    import ipaddress
    import json
    import subprocess
    import sys

    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return list(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
    child = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", LOOKUP, host, str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        out, _ = child.communicate(timeout=clock.left())
    except subprocess.TimeoutExpired:
        late = f"{clock.url}: cannot resolve {host} within {clock.seconds:g} s"
        raise HttpFailure(late) from None
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    try:
        answer = json.loads(out)
        if "found" not in answer:
            raise socket.gaierror(int(answer["errno"]), str(answer["strerror"]))
        return [
            (socket.AddressFamily(f), socket.SocketKind(t), p, c, tuple(a))
            for f, t, p, c, a in answer["found"]
        ]
    except (ValueError, KeyError, TypeError):
        raise HttpFailure(f"{clock.url}: cannot resolve {host} (lookup failed)") from None


def _connect(target: Target, clock: _Clock) -> socket.socket:
    last: OSError | None = None
    for family, kind, proto, _name, address in _resolve(target.host, target.port, clock):
        sock = socket.socket(family, kind, proto)  # type: ignore[arg-type]
        try:
            sock.settimeout(clock.left())
            sock.connect(address)  # type: ignore[arg-type]
        except OSError as error:
            sock.close()
            last = error
            continue
        if target.scheme == "https":
            import ssl

            context = ssl.create_default_context()
            sock.settimeout(clock.left())
            try:
                sock = context.wrap_socket(sock, server_hostname=target.host)
            except BaseException:
                sock.close()
                raise
        return sock
    raise last or OSError(f"no address for {target.host}")


def _request_bytes(
    method: str, target: Target, headers: Sequence[tuple[str, str]], body: bytes
) -> bytes:
    host = f"[{target.host}]" if ":" in target.host else target.host
    lines = [
        f"{method} {target.target} HTTP/1.1",
        f"Host: {host}:{target.port}",
        "Connection: close",
        "Accept-Encoding: identity",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in headers),
    ]
    for line in lines:
        if "\r" in line or "\n" in line:
            raise ValueError("a header holds a line break")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def request(
    url: str,
    *,
    method: str = "GET",
    body: bytes = b"",
    headers: Sequence[tuple[str, str]] = (),
    deadline: float = DEFAULT_DEADLINE,
    max_body: int = MAX_BODY_BYTES,
) -> Reply:
    """One HTTP exchange within `deadline` seconds, whatever the server does.

    Returns the reply whatever its status (the caller decides what a 404 means). Raises only
    HttpFailure, with a one-line message: a bad URL, a refused or unreachable server, the
    deadline passed, a reply that is not HTTP, a header over MAX_HEADER_BYTES, a body over
    `max_body` or shorter than announced.
    """
    import http.client  # only network calls need it

    clock = _Clock(deadline, url)
    try:
        target = parse_url(url)
        data = _request_bytes(method, target, headers, body)
        sock = _connect(target, clock)
    except HttpFailure:
        raise
    except (OSError, ValueError, UnicodeError) as error:
        raise HttpFailure(f"{url}: {_describe(error)}") from None
    try:
        sock.settimeout(clock.left())
        reader = _Reader(sock, clock)
        response = http.client.HTTPResponse(_Socket(reader), method=method)  # type: ignore[arg-type]
        sock.sendall(data)
        response.begin()
        reader.count, reader.limit, reader.what = 0, max_body + io.DEFAULT_BUFFER_SIZE, "body"
        content = bytearray()
        while chunk := response.read(64 * 1024):
            content += chunk
            if len(content) > max_body:
                raise HttpFailure(f"{url}: reply body over {max_body} bytes")
        if response.length:  # bytes announced by Content-Length that never came
            raise HttpFailure(f"{url}: reply body cut short ({response.length} bytes missing)")
        return Reply(
            response.status,
            _one_line(response.reason),
            {name.lower(): value for name, value in response.getheaders()},
            bytes(content),
        )
    except HttpFailure:
        raise
    except TimeoutError:
        raise HttpFailure(f"{url}: timed out: no complete reply within {deadline:g} s") from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise HttpFailure(f"{url}: {_describe(error)}") from None
    finally:
        sock.close()


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "..."


def _describe(error: Exception) -> str:
    """One line for any failure of the exchange, naming its kind."""
    import http.client

    if isinstance(error, http.client.IncompleteRead):
        return "reply body cut short"
    if isinstance(error, http.client.LineTooLong):
        return "reply header line too long (not an HTTP server?)"
    if isinstance(error, http.client.RemoteDisconnected):
        return "the server closed the connection without a reply"
    if isinstance(error, http.client.BadStatusLine):
        return f"not an HTTP reply (status line {_one_line(str(error), 80)!r})"
    if isinstance(error, http.client.HTTPException):
        return f"malformed HTTP reply: {_one_line(str(error) or type(error).__name__)}"
    if isinstance(error, OSError) and error.strerror:
        return _one_line(error.strerror)
    return _one_line(str(error) or type(error).__name__)
