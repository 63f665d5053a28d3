"""One observed session: its start, its failures as they happen, and everything at its end.

Only the process that sees every report (the controller under xdist, else the only process)
gets a Recorder: workers measure (their reports carry the durations), the controller counts,
writes the textfile, pushes and lints once. Nothing here may change a test outcome except the
strict lint, on purpose: every write or push failure becomes a warning line instead.
"""

from __future__ import annotations

import contextlib
import platform
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from apytest.common import clock, gitignore
from apytest.common.names import OUTCOMES, RERUN, STATE
from apytest.common.versions import apytest_version
from apytest.plugin import metrics, session_reports, textfile, textformat
from apytest.plugin.lint_summary import LintSummary
from apytest.plugin.options import Settings
from apytest.plugin.outcomes import INTERNAL_ERROR, classify
from apytest.plugin.run_kind import run_kind
from apytest.plugin.runlog import RunLog

_TRACEBACK = "Traceback (most recent call last):"


def _name_version(plugin: tuple[object, Any]) -> tuple[str, str]:
    """Name and version of a plugin's distribution, from the first lines of its metadata.

    Every metadata version starts with one-line `Name:` and `Version:` fields; `dist.metadata`
    would parse the whole file (every classifier and requirement, through the email package),
    which cost more than the rest of the run log's header together.
    """
    dist = plugin[1]
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    fields: dict[str, str] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, colon, value = line.partition(":")
        if colon and key.lower() in ("name", "version"):
            fields.setdefault(key.lower(), value.strip())
    return fields.get("name", "unknown"), fields.get("version", "unknown")


class Recorder:
    """The plugin's state for one session, kept in `config.stash`."""

    def __init__(self, config: pytest.Config, settings: Settings) -> None:
        self.config = config
        self.settings = settings
        self.problems: list[str] = []
        self.lint = LintSummary(config.rootpath, settings.lint_strict) if settings.lint else None
        self._started = clock.monotonic()
        self._log: RunLog | None = None
        self._kept: session_reports.Stats = {}
        self.reports = session_reports.SessionReports([], [], [])
        """The session's reports, gathered at its end (for the feedback loop too)."""
        self.kind = run_kind(config)
        """What kind of run this is: trends compare only runs of one kind."""
        self.session_errors: list[pytest.CollectReport] = []
        """Errors outside any test (an internal error), counted like collection errors."""
        self.written: list[textformat.Family] = []
        """The families the metrics file holds after this session (empty until written)."""
        self.finished = False
        """Whether `finish` ran: a session pytest ended before it began is finished late."""
        self.counts: Mapping[str, int] = {}
        """How many of each outcome the session had, as pytest's summary counts them (the
        metrics file's `pytest_session_tests`); empty until `finish` ran."""
        self.duration: float | None = None
        """The session's duration as the metrics file reports it (a monotonic clock, from
        pytest's configuration to the session's end); None until `finish` ran. The feedback
        loop stores this same figure, so that a wall-clock step cannot make them disagree."""

    def start(self) -> None:
        self._kept = session_reports.stats_of(self.config)
        memory = self.settings.memory
        if isinstance(memory, Path) and memory.parent.name != STATE:
            # A memory elsewhere than `.apytest/` (which ignores itself): its file, SQLite's
            # journal and WAL files beside it.
            self._ignore(memory, (memory.name, f"{memory.name}-*"))
        if self.settings.log_file is None:
            return
        log = self.settings.log_file
        self._ignore_log(log)
        self._log = RunLog(log, self.settings.log_keep)
        versions = dict(map(_name_version, self.config.pluginmanager.list_plugin_distinfo()))
        plugins = sorted(f"{name}-{version}" for name, version in versions.items())
        self._log.header(
            {
                "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
                # Not platform.platform(): it reads the interpreter binary for the libc version.
                "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
                "pytest": pytest.__version__,
                "apytest": versions.get("apytest") or apytest_version(),
                "plugins": ", ".join(plugins) or "none",
                "rootdir": str(self.config.rootpath),
                "configfile": str(self.config.inipath),
                "args": " ".join(self.config.invocation_params.args) or "(none)",
                "workers": str(getattr(self.config.option, "numprocesses", None) or "none"),
            }
        )

    def collect_error_nodeids(self) -> list[str]:
        """The node ids of the collectors that failed so far (modules that did not import)."""
        return [
            report.nodeid
            for reports in self._kept.values()
            for report in reports
            if isinstance(report, pytest.CollectReport) and report.failed
        ]

    def failure(self, report: pytest.TestReport | pytest.CollectReport) -> None:
        """A test phase or a collector failed just now: into the run log at once, in case the
        run is killed."""
        outcome = classify(report) if isinstance(report, pytest.TestReport) else "error"
        if self._log is not None and outcome is not None:
            self._log.failure(report, outcome)

    def internal_error(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        """pytest (or a plugin's or conftest's hook) raised: the session counts one error,
        the first (under xdist a worker's is followed by the controller's own)."""
        if self.session_errors:
            return
        text = str(excinfo.value)
        if isinstance(excinfo.value, AssertionError) and text.startswith(_TRACEBACK):
            # xdist raises a worker's internal error again as an AssertionError of its text.
            longrepr: str | session_reports.LongRepr = text.removesuffix("\nassert False")
        else:
            longrepr = excinfo.getrepr(style="short")
        report = session_reports.session_error(INTERNAL_ERROR, longrepr, "session")
        self.session_errors.append(report)
        self.failure(report)

    def usage_error(self, nodeid: str, message: str) -> None:
        """pytest ended the session with a usage error (an unknown ini key under
        ``--strict-config``): counted as the session's error, under ``nodeid``."""
        report = session_reports.session_error(nodeid, message, "session")
        self.session_errors.append(report)
        self.failure(report)

    def finish(self, exit_status: int) -> None:
        """Count the reports, write the textfile, push, write the log; every failure to write
        becomes a problem line."""
        self.finished = True
        self.reports = reports = session_reports.gather(self._kept, self.session_errors)
        stats = metrics.SessionStats.of(
            reports.tests, reports.collect_errors, reports.collect_skips, reports.reruns
        )
        coverage = getattr(self.config.pluginmanager.getplugin("_cov"), "cov_total", None)
        session = metrics.Session(
            project=self.settings.project,
            duration=clock.monotonic() - self._started,
            exit_status=exit_status,
            finished_at=clock.wall(),
            coverage=None if coverage is None else float(coverage),
            kind=self.kind.labels(),
        )
        self.duration = session.duration
        self.counts = stats.outcomes
        previous = self._write_textfile(stats, session)
        if self.settings.pushgateway:
            self._push(metrics.build_families(stats, previous, session, others=False))
        if self._log is not None:
            self._log.records(
                reports.tests, reports.collect_errors, reports.collect_skips, reports.reruns
            )
            self._log.footer(
                ((outcome, stats.outcomes[outcome]) for outcome in (*OUTCOMES, RERUN)),
                {
                    "exit status": str(exit_status),
                    "duration": f"{session.duration:.3f}s",
                    "failed tests": str(len(stats.failed_tests)),
                    "metrics file": str(self.settings.metrics_file or "none"),
                },
            )
            if self._log.recreated:  # a test deleted the folder, with its `.gitignore`
                self._ignore_log(self._log.path)
            if self._log.error:
                self.problems.append(self._log.error)

    def _write_textfile(
        self, stats: metrics.SessionStats, session: metrics.Session
    ) -> metrics.Previous:
        """Merge into the textfile; returns what the counters continued from (for the push)."""
        path = self.settings.metrics_file
        previous = metrics.Previous()
        if path is None:
            return previous

        families: list[textformat.Family] = []

        def merge(text: str) -> str:
            nonlocal previous, families
            previous = metrics.parse_previous(text, session.project)
            families = metrics.build_families(stats, previous, session, others=True)
            return textformat.render(families)

        try:
            self._ignore(path, textfile.own_files(path))
            set_aside = textfile.update(path, merge)
        except OSError as error:
            self.problems.append(f"cannot write the metrics file {path}: {error}")
        else:
            self.written = families
            if set_aside is not None:
                aside, reason = set_aside
                self.problems.append(
                    f"previous metrics file {path} is {reason}; "
                    f"kept as {aside.name}, counters restart"
                )
        return previous

    def _ignore_log(self, log: Path) -> None:
        self._ignore(log, (log.name, f"{log.name}.*"))

    def _ignore(self, path: Path, patterns: tuple[str, ...]) -> None:
        """A `.gitignore` beside an output (see `gitignore`); a folder that cannot be written
        is reported by the write that follows, with the output's own path."""
        if self.settings.gitignore:
            with contextlib.suppress(OSError):
                gitignore.ignore_beside(path, self.config.rootpath, patterns)

    def _push(self, families: list[textformat.Family]) -> None:
        from apytest.plugin import pushgateway  # prometheus_client: only a push needs it

        try:
            pushgateway.push(
                self.settings.pushgateway, families, self.settings.instance, self.settings.project
            )
        except (pushgateway.PushFailed, ValueError) as error:
            self.problems.append(
                f"cannot push to the Pushgateway {self.settings.pushgateway}: {error}"
            )

    def outputs_line(self) -> str:
        """Where this session's records went: one line for the terminal, relative to where
        pytest was started (the rootdir may be below it: pytest-dependency's `pytest tests`
        finds tests/pytest.ini, and `monitoring/...` would name a folder that is not there),
        else absolute."""
        settings, root = self.settings, self.config.invocation_params.dir

        def shown(path: Path | str | None) -> str:
            if path is None:
                return "none"
            if isinstance(path, str):  # a PostgreSQL memory, shown without its password
                from apytest.common.memory_location import describe

                return describe(path)
            return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

        log = shown(settings.log_file)
        if settings.log_file is not None and settings.log_keep:
            previous = settings.log_file.with_name(f"{settings.log_file.name}.1")
            log += f" (previous run: {shown(previous)})" if previous.exists() else ""
        return (
            f"apytest: metrics {shown(settings.metrics_file)}, log {log}, "
            f"memory {shown(settings.memory)}"
        )

    def release(self) -> None:
        """Let go of the session's gathered reports once nothing reads them (at
        `pytest_unconfigure`): pytest then collects garbage over every live object (two full
        collections on pytest 9, five on 8.4), and a suite's thousands of gathered entries would
        add to each. (The reports themselves stay with the terminal reporter.)"""
        self.reports = session_reports.SessionReports([], [], [])

    def summary(self, terminal: pytest.TerminalReporter) -> None:
        if int(self.config.getoption("verbose")) >= 0:  # not with -q
            terminal.write_line(self.outputs_line())
        if self.lint is not None:
            self.lint.show(terminal)
        if self.problems:
            terminal.write_sep("=", "apytest warnings", yellow=True)
            for problem in self.problems:
                terminal.write_line(f"apytest: warning: {problem}", yellow=True)
