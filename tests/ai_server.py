"""A model server on 127.0.0.1 for the AI review tests: both APIs' documented shapes, and faults.

No model runs here, so the server answers what the documentation says each API answers
(OpenAI-compatible `POST /v1/chat/completions`, Anthropic `POST /v1/messages`) and records
every request it gets, so a test checks what apytest sent: headers, path, body. A `fault`
makes it answer 429, 500, garbage, or nothing until released (a hung model); a `delay` makes
it answer right, but only after that many seconds (or once released).

In tests/ (not a test folder) so that the feedback and the monitoring tests share it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from http_serving import serving

ANSWER = "Guard the import with pytest.importorskip; see the lesson."
MODEL = "served-model-1"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class ModelServer:
    """What the server got, and how it answers (`fault`: None, 429, 500, 'garbage', 'hang')."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    fault: int | str | None = None
    delay: float = 0.0
    release: threading.Event = field(default_factory=threading.Event)


def _answer(path: str, body: dict[str, Any]) -> dict[str, Any]:
    if path == "/v1/messages":
        return {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": MODEL,
            "content": [{"type": "text", "text": ANSWER}],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 900, "output_tokens": 40},
        }
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": ANSWER},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 900, "completion_tokens": 40, "total_tokens": 940},
    }


@contextmanager
def model_server() -> Iterator[ModelServer]:
    state = ModelServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            body = json.loads(self.rfile.read(length))
            state.received.append(
                Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            if state.fault == "hang":
                state.release.wait(30)
                return
            if state.delay:
                state.release.wait(state.delay)
            if isinstance(state.fault, int):
                status, payload = state.fault, b'{"error": {"type": "rate_limit_error"}}'
            elif state.fault == "garbage":
                status, payload = 200, b"<html>proxy error</html>"
            elif self.path not in ("/v1/messages", "/v1/chat/completions"):
                status, payload = 404, b"{}"
            else:
                status, payload = 200, json.dumps(_answer(self.path, body)).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    with serving(server):
        try:
            yield state
        finally:
            state.release.set()  # before the server stops: a hanging answer returns
