"""The `serve` fixture: misbehaving servers on 127.0.0.1, stopped when the test ends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hostile_support import Behaviour, Server, ServerFactory


@pytest.fixture
def serve() -> Iterator[ServerFactory]:
    """Start misbehaving servers; all are stopped when the test ends."""
    started: list[Server] = []

    def start(behaviour: Behaviour) -> Server:
        server = Server(behaviour)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
