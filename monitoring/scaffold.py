"""`apytest monitoring init`: copy the shipped monitoring files into a user's project.

The files are package data of `apytest.monitoring`, read with `importlib.resources` so they
come out of an installed wheel as well as a source checkout. A file the user already has is
never replaced unless asked (`force`): thresholds and targets are meant to be edited, and a
re-run of `init` must not undo those edits silently.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

# What `init` writes. Prometheus resolves the relative paths inside prometheus.yml (rule file,
# targets files) against the config file's own folder, so these files stay together.
SHIPPED_FILES: tuple[str, ...] = (
    "prometheus.yml",
    "node_targets.yml",
    "pushgateway_targets.yml",
    "pytest_rules.yml",
    "pytest_rules_test.yml",
    "grafana_dashboard.json",
    "alertmanager.yml",
    "alertmanager_targets.yml",
)

# The folder the plugin writes pytest_metrics.prom to, relative to pytest's rootdir; node
# exporter's textfile collector reads that same folder.
DEFAULT_DIRECTORY = Path("monitoring")


class Action(enum.Enum):
    """What `init` did with one file; the value is the word reported to the user."""

    CREATED = "created"
    UNCHANGED = "unchanged"
    KEPT = "kept"
    OVERWRITTEN = "overwritten"


@dataclass(frozen=True)
class FileResult:
    """One file of the scaffold and what happened to it."""

    path: Path
    action: Action

    def describe(self) -> str:
        """The line shown to the user, with the way out when an edited file was kept."""
        line = f"{self.action.value:<11} {self.path}"
        if self.action is Action.KEPT:
            return f"{line} (differs from the shipped version; --force replaces it)"
        return line


def shipped(name: str) -> bytes:
    """The content of one shipped monitoring file."""
    return resources.files("apytest.monitoring").joinpath(name).read_bytes()


def init(directory: Path, *, force: bool = False) -> list[FileResult]:
    """Write every shipped file into `directory` (created if missing) and report each.

    Raises OSError when the folder or a file cannot be written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    return [_write(directory / name, shipped(name), force=force) for name in SHIPPED_FILES]


def _write(path: Path, content: bytes, *, force: bool) -> FileResult:
    if not path.exists():
        path.write_bytes(content)
        return FileResult(path, Action.CREATED)
    if path.read_bytes() == content:
        return FileResult(path, Action.UNCHANGED)
    if not force:
        return FileResult(path, Action.KEPT)
    path.write_bytes(content)
    return FileResult(path, Action.OVERWRITTEN)
