"""Fixtures shared by apytest's own tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import NoReturn

import postgres_server
import pytest

INSTALL_HINT = (
    "install it with `make system-deps` (Debian: apt-get install prometheus "
    "prometheus-node-exporter prometheus-pushgateway prometheus-alertmanager)"
)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture
def require_binary() -> Callable[[str], Path]:
    """Return a function that finds a real binary on PATH.

    Locally a missing binary skips the test with an install hint; under ``CI=true`` it fails,
    so CI never passes by silently skipping the real component tests.
    """

    def find(name: str) -> Path:
        found = shutil.which(name)
        if found is not None:
            return Path(found)
        message = f"`{name}` is not on PATH: {INSTALL_HINT}"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)

    return find


TreeWriter = Callable[[Path, Mapping[str, "str | bytes"]], Path]


@pytest.fixture
def write_tree() -> TreeWriter:
    """Return a function that writes ``{relative path: content}`` under a folder."""

    def write(root: Path, files: Mapping[str, str | bytes]) -> Path:
        for relative, content in files.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return root

    return write


def _unavailable(message: str) -> NoReturn:
    if _in_ci():
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres() -> Iterator[postgres_server.Server]:
    """A real PostgreSQL server of this test process (initdb into a temporary folder, a free
    port on 127.0.0.1, stopped by PID). Without Debian's package or the driver it skips
    locally with the command to install it, and fails under CI=true."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is missing: pip install -e '.[postgres]' (make install)")
    folder = postgres_server.binaries()
    if folder is None:
        _unavailable(f"no PostgreSQL server binaries: {postgres_server.INSTALL}")
    yield from postgres_server.serve(folder)


@pytest.fixture
def postgres_memory(postgres: postgres_server.Server, monkeypatch: pytest.MonkeyPatch) -> str:
    """The URL of a new, empty database on the test server, without its password: libpq
    reads it from PGPASSWORD, which this sets (sessions started from here inherit it)."""
    monkeypatch.setenv("PGPASSWORD", postgres_server.PASSWORD)
    return postgres.url(postgres.new_database())
