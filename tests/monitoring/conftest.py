"""Fixtures: real Prometheus services and a small project; the helpers are in monitoring_support."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from monitoring_support import (
    PROJECT,
    SHOP,
    STARTUP_TIMEOUT,
    TESTS,
    Service,
    StartService,
    free_port,
    wait_until,
)


@pytest.fixture
def start_service(
    require_binary: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StartService]:
    """Return `start(binary, arguments, ready_path)`: run a server on a free 127.0.0.1 port.

    `arguments(address)` builds the command line around the listen address; `start` waits
    until `ready_path` answers over HTTP (or fails with the server's log if it exits). Every
    server is stopped at teardown, last started first.
    """
    started: list[Service] = []
    logs = tmp_path_factory.mktemp("service-logs")

    def start(binary: str, arguments: Callable[[str], Sequence[str]], ready_path: str) -> Service:
        executable = require_binary(binary)
        port = free_port()
        log = logs / f"{binary}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [str(executable), *arguments(f"127.0.0.1:{port}")],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        service = Service(binary, process, port, log)
        started.append(service)

        def ready() -> bool:
            if process.poll() is not None:
                pytest.fail(f"{binary} exited with {process.returncode}:\n{log.read_text()}")
            return service.answers(ready_path)

        wait_until(ready, STARTUP_TIMEOUT, f"{binary} to answer {ready_path}")
        return service

    yield start
    for service in reversed(started):
        service.stop()


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A small project whose tests all pass, with full coverage of its one module."""
    pytester.makepyprojecttoml(f'[project]\nname = "{PROJECT}"\nversion = "0"\n')
    pytester.makepyfile(shop=SHOP, test_shop=TESTS)
    return pytester
