"""`apytest monitoring init`: copy the shipped monitoring files into a user's project.

The files are package data of `apytest.monitoring`, read with `importlib.resources` so they
come out of an installed wheel as well as a source checkout. A file the user already has is
never replaced unless asked (`force`): thresholds and targets are meant to be edited, and a
re-run of `init` must not undo those edits silently.
"""

from __future__ import annotations

import enum
import errno
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from apytest.common import runbooks
from apytest.common.atomic import write_atomically
from apytest.common.files import read_regular, require_replaceable
from apytest.common.names import METRICS_FILE

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

WRITTEN_FILES = (*SHIPPED_FILES, runbooks.PAGE)
"""What `init` writes: the shipped files, and the alert rules' runbooks (rendered)."""

ROUTES: dict[str, tuple[str, ...]] = {
    "textfile": ("node",),
    "pushgateway": ("pushgateway",),
    "both": ("node", "pushgateway"),
}
"""The scrape jobs of prometheus.yml each route keeps: a job without its service is a target
that stays down."""
TARGETS_FILES = {"node": "node_targets.yml", "pushgateway": "pushgateway_targets.yml"}
DEFAULT_ADDRESSES = {"node": "127.0.0.1:9100", "pushgateway": "127.0.0.1:9091"}
"""Where the README starts node_exporter and the Pushgateway (loopback only)."""
PROMETHEUS_ADDRESS = "127.0.0.1:9090"
PROMETHEUS_DATA = "$HOME/.local/share/apytest-prometheus"
"""Prometheus' data outside the project (a TSDB in the checkout would show in `git status`)."""

# The folder the plugin writes pytest_metrics.prom to, relative to pytest's rootdir; node
# exporter's textfile collector reads that same folder.
DEFAULT_DIRECTORY = Path(METRICS_FILE).parent


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


def _jobs_only(config: str, jobs: tuple[str, ...]) -> str:
    """prometheus.yml with the scrape jobs not in `jobs` removed (each job is one block, from
    its comment to the blank line before the next)."""
    head, marker, body = config.partition("scrape_configs:\n")
    blocks = body.rstrip("\n").split("\n\n")
    kept = [block for block in blocks if any(f"- job_name: {job}\n" in block for job in jobs)]
    return head + marker + "\n\n".join(kept) + "\n"


RUNBOOK_LINKS = ("pytest_rules.yml", "pytest_rules_test.yml")
"""The files whose `runbook_url` says `runbooks.html#<Alert>`, relative to their own folder."""


def render(name: str, route: str, addresses: dict[str, str], directory: Path) -> bytes | None:
    """The content of one file written into `directory` for this route and these addresses;
    None: not for this route. Runbook links become file:// URLs of the runbooks page written
    beside the rules, which a browser opens with no server running (Prometheus and
    Alertmanager pass an annotation on as it is: a relative link would resolve nowhere)."""
    jobs = ROUTES[route]
    if name == runbooks.PAGE:
        return runbooks.document().encode()
    if name in RUNBOOK_LINKS:
        page = (directory.resolve() / runbooks.PAGE).as_uri()
        return shipped(name).replace(f'"{runbooks.PAGE}#'.encode(), f'"{page}#'.encode())
    if name == "prometheus.yml":
        return _jobs_only(shipped(name).decode(), jobs).encode()
    for job, targets_file in TARGETS_FILES.items():
        if name == targets_file:
            if job not in jobs:
                return None
            text = shipped(name).decode()
            return text.replace(DEFAULT_ADDRESSES[job], addresses[job]).encode()
    return shipped(name)


def init(
    directory: Path,
    *,
    force: bool = False,
    route: str = "textfile",
    addresses: dict[str, str] | None = None,
) -> list[FileResult]:
    """Write the files of `route` into `directory` (created if missing) and report each;
    `addresses` are the node_exporter's and the Pushgateway's (`DEFAULT_ADDRESSES`).

    Raises OSError when the folder or a file cannot be written.
    """
    chosen = {**DEFAULT_ADDRESSES, **(addresses or {})}
    directory.mkdir(parents=True, exist_ok=True)
    results = []
    for name in WRITTEN_FILES:
        content = render(name, route, chosen, directory)
        if content is not None:
            results.append(_write(directory / name, content, force=force))
    return results


def _holds(path: Path, content: bytes) -> bool:
    """Whether the file at `path` holds exactly `content` (a longer one is not read whole)."""
    try:
        return read_regular(path, len(content)) == content
    except OSError as error:
        if error.errno == errno.EFBIG:
            return False
        raise


def _write(path: Path, content: bytes, *, force: bool) -> FileResult:
    """Create, keep or (with `force`) replace one file, atomically: Prometheus may be reading
    it. A FIFO or device in its place is refused (NotAFileOutput), never opened."""
    require_replaceable(path)
    if not os.path.lexists(path):
        write_atomically(path, content)
        return FileResult(path, Action.CREATED)
    if _holds(path, content):
        return FileResult(path, Action.UNCHANGED)
    if not force:
        return FileResult(path, Action.KEPT)
    write_atomically(path, content)
    return FileResult(path, Action.OVERWRITTEN)


def commands(directory: Path, route: str, addresses: dict[str, str]) -> list[str]:
    """The commands that start the services `route` scrapes, bound where its targets point,
    and Prometheus with its data outside the project: what the README says to run."""
    chosen = {**DEFAULT_ADDRESSES, **addresses}
    jobs = ROUTES[route]
    lines = []
    if "node" in jobs:
        lines.append(
            f"prometheus-node-exporter --web.listen-address={chosen['node']} "
            f"--collector.textfile.directory={directory}"
        )
    if "pushgateway" in jobs:
        lines.append(f"prometheus-pushgateway --web.listen-address={chosen['pushgateway']}")
    lines.append(
        f"prometheus --config.file={directory / 'prometheus.yml'} "
        f"--web.listen-address={PROMETHEUS_ADDRESS} --storage.tsdb.path={PROMETHEUS_DATA}"
    )
    return lines
