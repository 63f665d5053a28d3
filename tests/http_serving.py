"""One way for the tests to run a local HTTP server in a thread and stop it again.

The fake Prometheus APIs, the alert receiver and the model server of the tests all need the same
start (a daemon thread serving forever) and the same stop (shutdown, close, join), in that order.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import HTTPServer


@contextmanager
def serving(server: HTTPServer) -> Iterator[str]:
    """Serve ``server`` until the block ends; yields its ``http://`` URL."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
