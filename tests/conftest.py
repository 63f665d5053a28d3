"""Fixtures shared by apytest's own tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

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
