"""Installed versions, from the distributions' metadata (never by importing them)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def installed_version(distribution: str) -> str | None:
    """The version of `distribution` installed where apytest runs; None when it is not."""
    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def apytest_version() -> str:
    """apytest's own version, for `--version`, reports, the run log and the lint cache's key;
    "unknown" when running from a checkout that was never installed."""
    return installed_version("apytest") or "unknown"
