"""`apytest alerts serve`: the HTTP side of the Alertmanager webhook receiver.

`POST /alerts` takes a webhook notification (`alerts.receive` does the work); `GET
/runbooks/<AlertName>` serves the runbook the shipped alert rules link to; `GET /-/ready`
answers when the receiver is up. One request at a time: a notification is handled in one
pass against the memory, so two resends of a firing can never both count as new.

Bad input never stops the receiver: a body that is not a version-4 payload is a 400, one larger
than `MAX_BODY` a 413, a request without a length a 411, a client that stalls or trickles is
dropped after `REQUEST_TIMEOUT` (one deadline for the whole request, not per read); each is one
line on stderr. Bound to anything but loopback, every request needs the bearer token or the
basic-auth credentials from the environment (the receiver refuses to start without them);
SIGTERM and SIGINT stop it cleanly between requests.

With an AI review configured, the reviews a notification's firings are owed (`alerts.AiJob`)
run after its answer, one at a time on a thread of their own (`FollowUps`): Alertmanager waits
10 seconds at most for a webhook, a model may take a minute. At most `AI_QUEUE` wait; a stop
leaves the one running `STOP_GRACE` seconds to finish. A firing whose AI review was dropped is
not sent again, but its clusters stay unanswered: the next firing or `apytest review --ai`
sends them.
"""

import base64
import binascii
import contextlib
import hmac
import ipaddress
import queue
import signal
import socket
import sys
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import FrameType
from typing import NamedTuple

from apytest.common import runbooks
from apytest.feedback import alerts
from apytest.feedback.store import StoreError

MAX_BODY = 1 << 20
REQUEST_TIMEOUT = 10.0
TOKEN_VARIABLE = "APYTEST_ALERTS_TOKEN"
USER_VARIABLE = "APYTEST_ALERTS_USERNAME"
PASSWORD_VARIABLE = "APYTEST_ALERTS_PASSWORD"
AI_QUEUE = 100
STOP_GRACE = 10.0


class Credentials(NamedTuple):
    """What a request must present: a bearer token, or a basic-auth user and password."""

    token: str = ""
    username: str = ""
    password: str = ""

    @property
    def required(self) -> bool:
        return bool(self.token or self.username)

    def accept(self, header: str) -> bool:
        scheme, _, value = header.partition(" ")
        value = value.strip()
        if self.token and scheme.lower() == "bearer":
            return hmac.compare_digest(value.encode(), self.token.encode())
        if self.username and scheme.lower() == "basic":
            try:
                given = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                return False
            expected = f"{self.username}:{self.password}".encode()
            return hmac.compare_digest(given, expected)
        return False

    def __repr__(self) -> str:  # never the secrets
        return f"Credentials(required={self.required})"


class FollowUps:
    """The AI reviews owed to recorded firings, done in order on one thread (see the module)."""

    def __init__(self, context: alerts.Context, log: Callable[[str], None]) -> None:
        self._context = context
        self._log = log
        self._queue: queue.Queue[alerts.AiJob | None] = queue.Queue(AI_QUEUE)
        self._thread = threading.Thread(target=self._work, name="apytest-ai-review", daemon=True)
        self._thread.start()

    def put(self, job: alerts.AiJob) -> None:
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            self._log(
                f"{job.alertname} for {job.run.project}: AI review skipped, "
                f"{AI_QUEUE} already waiting"
            )

    def _work(self) -> None:
        while (job := self._queue.get()) is not None:
            try:
                alerts.ask_ai(job, self._context, self._log)
            except Exception as error:  # one review's failure never stops the next
                detail = str(error) if isinstance(error, StoreError) else repr(error)
                self._log(f"{job.alertname} for {job.run.project}: AI review failed: {detail}")

    def close(self) -> None:
        """Drop what waits, give the running review STOP_GRACE seconds, then return."""
        dropped = 0
        while True:
            try:
                dropped += self._queue.get_nowait() is not None
            except queue.Empty:
                break
        if dropped:
            self._log(f"stopping: {dropped} AI review(s) not started")
        self._queue.put(None)
        self._thread.join(STOP_GRACE)
        if self._thread.is_alive():
            self._log(f"stopping: an AI review still running after {STOP_GRACE:g} s is left")


class StartError(Exception):
    """The receiver cannot start as asked; the message says why."""


def credentials(environ: Mapping[str, str]) -> Credentials:
    """The credentials from the environment (never from the command line, where `ps` shows
    them); a user without a password is an error."""
    found = Credentials(
        environ.get(TOKEN_VARIABLE, ""),
        environ.get(USER_VARIABLE, ""),
        environ.get(PASSWORD_VARIABLE, ""),
    )
    if found.username and not found.password:
        raise StartError(f"{USER_VARIABLE} is set but {PASSWORD_VARIABLE} is not")
    return found


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_listen(text: str) -> tuple[str, int]:
    """`HOST:PORT` (IPv6 hosts in brackets); StartError for anything else."""
    host, sep, port = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise StartError(f"--listen must be HOST:PORT, not {text!r}")
    return host, int(port)


def make_server(
    host: str,
    port: int,
    context: alerts.Context,
    auth: Credentials,
    log: Callable[[str], None],
) -> HTTPServer:
    """The receiver's server, bound; StartError when it may not or cannot be."""
    follow_ups: FollowUps | None = None  # started once the server is bound
    if not is_loopback(host) and not auth.required:
        raise StartError(
            f"listening on {host} (not loopback) needs {TOKEN_VARIABLE}, or {USER_VARIABLE} "
            f"and {PASSWORD_VARIABLE}, in the environment"
        )

    class Handler(BaseHTTPRequestHandler):
        timeout = REQUEST_TIMEOUT
        server_version = "apytest-alerts"
        _deadline: threading.Timer

        def setup(self) -> None:
            """`timeout` bounds each read; a client sending a byte every few seconds would
            still hold the (one-at-a-time) receiver for ever. So the whole request also has
            one deadline: when it passes, the connection's reading side is shut down and
            every read returns at once."""
            super().setup()
            self._deadline = threading.Timer(REQUEST_TIMEOUT, self._expire)
            self._deadline.daemon = True
            self._deadline.start()

        def _expire(self) -> None:
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RD)

        def finish(self) -> None:
            self._deadline.cancel()
            super().finish()

        def do_GET(self) -> None:
            if self.path == "/-/ready":
                self._answer(200, "ready\n")
            elif self.path.startswith(alerts.RUNBOOK_PATH):
                page = runbooks.page(self.path.removeprefix(alerts.RUNBOOK_PATH))
                if page is None:
                    self._answer(404, "no runbook by that name\n")
                else:
                    self._answer(200, page, "text/markdown; charset=utf-8")
            else:
                self._answer(404, "not found\n")

        def do_POST(self) -> None:
            if self.path != "/alerts":
                self._refuse(404, f"POST {self.path[:100]!r}: only /alerts takes alerts")
                return
            if auth.required and not auth.accept(self.headers.get("Authorization", "")):
                self._refuse(401, "missing or wrong credentials")
                return
            length = self.headers.get("Content-Length")
            if length is None or not length.isdigit():
                self._refuse(411, "no Content-Length")
                return
            if int(length) > MAX_BODY:
                self._refuse(413, f"body of {length} bytes, more than {MAX_BODY}")
                return
            try:
                body = self.rfile.read(int(length))
                if len(body) < int(length):  # the request's deadline shut the reading side
                    raise TimeoutError
                handled = alerts.receive(body, context, log)
            except TimeoutError:
                self._refuse(408, "body not received in time")
                return
            except alerts.BadPayload as error:
                self._refuse(400, str(error))
                return
            except StoreError as error:
                log(f"cannot use the corpus memory: {error}")
                self._answer(503, "corpus memory unavailable\n")
                return
            self._answer(200, f"{handled.recorded} recorded, {handled.seen} seen before\n")
            for job in handled.ai:  # after the answer: Alertmanager does not wait for a model
                if follow_ups is not None:
                    follow_ups.put(job)

        def _refuse(self, status: int, reason: str) -> None:
            log(
                f"{status} for {self.command} {self.path[:100]} from {self.client_address[0]}: "
                f"{reason}"
            )
            self._answer(status, reason + "\n")

        def _answer(self, status: int, text: str, kind: str = "text/plain; charset=utf-8") -> None:
            payload = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            if status == 401:
                self.send_header("WWW-Authenticate", 'Bearer, Basic realm="apytest"')
            self.end_headers()
            self.wfile.write(payload)
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass  # one line per refusal or alert is logged by the handlers themselves

    class Server(HTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            # A bug or a broken connection costs that request, never the receiver.
            log(f"error while handling a request from {client_address}: {sys.exc_info()[1]!r}")

        def server_close(self) -> None:
            super().server_close()
            if follow_ups is not None:
                follow_ups.close()

    try:
        server = Server((host, port), Handler)
    except OSError as error:
        raise StartError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    follow_ups = FollowUps(context, log) if context.ai is not None else None
    return server


def serve(server: HTTPServer, log: Callable[[str], None]) -> None:
    """Serve until SIGTERM or SIGINT, then close the socket and return."""

    def stop(signum: int, frame: FrameType | None) -> None:
        # shutdown() waits for serve_forever to return: from another thread, never this one.
        threading.Thread(target=server.shutdown, daemon=True).start()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    host = server.server_address[0]
    shown = host.decode() if isinstance(host, bytes) else host
    log(f"listening on {shown}:{server.server_port} (POST /alerts)")
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log("stopped")
