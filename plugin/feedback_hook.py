"""The feedback loop at session end: review the run, log it, show what is new.

Registered by `pytest_configure` on the process that records the session (the controller under
xdist, never a worker). It collects nothing while tests run: at session end it takes the
reports, lint findings and metrics the Recorder has just gathered and written, calls the
orchestrator, and logs the run, its failures, findings and suggestions through
`corpus_memory_logging` in one transaction.

Whatever goes wrong here (a corrupt memory, a full disk, a bug) becomes a line among the
plugin's warnings: it never changes a test outcome or the exit status.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from apytest.common import clock, umask
from apytest.common.gc_pause import gc_paused
from apytest.common.names import STATE

if TYPE_CHECKING:  # the feedback package is loaded at session end only
    from apytest.feedback.records import MetricsSnapshot, StoredSuggestion
    from apytest.plugin.session import Recorder

SHOWN = 10
OUTPUT_OPTIONS: Mapping[str, str | None] = {
    "xmlpath": None,  # --junitxml
    "htmlpath": None,  # pytest-html's --html
    "report_log": None,  # pytest-reportlog's --report-log
    "resultlog": None,
    "basetemp": None,
    "json_report_file": "json_report",  # pytest-json-report's, written under --json-report
}
"""The options (argparse dests) naming a file or folder pytest or a plugin writes itself, each
with the switch that makes it write there (None: the option itself): no test left it."""

# Top-level entries that pytest, its plugins and apytest create on purpose.
EXPECTED_OUTPUTS = frozenset(
    {
        STATE,
        ".pytest_cache",
        "__pycache__",
        ".hypothesis",
        "htmlcov",
        "coverage.xml",
        "coverage.json",
        "coverage.lcov",
        ".coverage",
    }
)
# coverage.py's parallel data files (`.coverage.<host>.<pid>.<random>`, pytest-cov under xdist).
EXPECTED_OUTPUT_PREFIXES = (".coverage.",)
# Variables that pytest and its plugins set during a session.
EXPECTED_ENV_PREFIXES = ("PYTEST_", "COV_CORE_", "PYTHONHASHSEED")
# Where an xdist worker reports what its tests changed (in `config.workeroutput`).
WORKER_CHANGES = "apytest_changes"
FEEDBACK_PLUGIN = "apytest-feedback"
"""The name the FeedbackHooks of a session are registered under."""


def register(config: pytest.Config, recorder: Recorder) -> None:
    """Add the feedback loop to this session unless it is switched off."""
    if recorder.settings.memory is not None:
        config.pluginmanager.register(FeedbackHooks(config, recorder), FEEDBACK_PLUGIN)


def _cwd() -> str:
    try:
        return os.getcwd()
    except OSError:  # a test changed into a folder that is gone since
        return "(a deleted folder)"


def _entries(folder: Path) -> set[str]:
    try:
        return set(os.listdir(folder))
    except OSError:
        return set()


class LeftCwd:
    """The working directory the tests left. pytest changes back to where the session started
    before `pytest_sessionfinish`, so it is read when the test loop ends."""

    def __init__(self) -> None:
        self._cwd = self.left = _cwd()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self) -> Generator[None, object, object]:
        try:
            return (yield)
        finally:
            self.left = _cwd()

    def changed(self) -> str:
        """Where the tests left the process, "" when where it started."""
        return self.left if self.left != self._cwd else ""


def _byline(same_text: list[StoredSuggestion]) -> str:
    """The line under suggestions of one text: the lesson, then the first test and how many
    more tests the text is about."""
    suggestion = same_text[0].suggestion
    tests = [stored.suggestion.nodeid for stored in same_text if stored.suggestion.nodeid]
    if len(tests) < 2:
        return suggestion.byline
    return f"{suggestion._replace(nodeid=None).byline}; tests: {tests[0]} and {len(tests) - 1} more"


class WorkerChanges(LeftCwd):
    """In an xdist worker: what the worker's tests changed in its environment and working
    directory, handed to the controller (which sees only its own process) at session end."""

    def __init__(self, config: pytest.Config) -> None:
        super().__init__()
        self.config = config
        self._environ = dict(os.environ)

    def pytest_sessionfinish(self) -> None:
        output = getattr(self.config, "workeroutput", None)
        if isinstance(output, dict):
            output[WORKER_CHANGES] = {
                "env": _changed(self._environ, dict(os.environ)),
                "cwd": self.changed(),
            }


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Names of the variables set, unset or changed, except those pytest's plugins manage."""
    names = (set(before) ^ set(after)) | {
        n for n in set(before) & set(after) if before[n] != after[n]
    }
    return sorted(name for name in names if not name.startswith(EXPECTED_ENV_PREFIXES))


class FeedbackHooks(LeftCwd):
    """Workspace snapshot at session start; review, log and show at session end."""

    def __init__(self, config: pytest.Config, recorder: Recorder) -> None:
        super().__init__()
        self.config = config
        self.recorder = recorder
        self.new: tuple[StoredSuggestion, ...] = ()
        self.repeated = 0
        self._started = clock.wall()
        self._entries: set[str] = set()
        self._environ: dict[str, str] = {}
        self._worker_env: set[str] = set()
        self._worker_cwd = ""

    def pytest_sessionstart(self) -> None:
        with gc_paused():
            self._start()

    def _start(self) -> None:
        self._started = clock.wall()
        self._entries = _entries(self.config.rootpath)
        self._environ = dict(os.environ)
        self._cwd = self.left = _cwd()

    @pytest.hookimpl(trylast=True)  # after the Recorder wrote the metrics file
    def pytest_sessionfinish(self, exitstatus: int) -> None:
        try:
            with gc_paused(), umask.as_loaded():
                self._review(int(exitstatus))
        except Exception as error:  # the feedback loop must never break the run
            from apytest.feedback.store import StoreError

            detail = str(error) if isinstance(error, StoreError) else repr(error)
            self.recorder.problems.append(f"feedback loop: {detail}")

    def _review(self, exit_status: int) -> None:
        from apytest.feedback import session_review  # a run without the hook never loads it
        from apytest.plugin import session_records

        settings = self.recorder.settings
        reports, lint = self.recorder.reports, self.recorder.lint
        results, failures = session_records.records(
            reports.tests, reports.collect_errors, self.config.rootpath, reports.collect_skips
        )
        logged = session_review.review_and_log(
            session_review.SessionFacts(
                project=settings.project,
                rootdir=self.config.rootpath,
                started_at=self._started,
                duration=self.recorder.duration,
                exit_status=exit_status,
                results=results,
                failures=failures,
                findings=session_records.lint_findings(lint.findings) if lint else (),
                metrics=self._metrics(),
                coverage=getattr(self.config.pluginmanager.getplugin("_cov"), "cov_total", None),
                new_entries=sorted(
                    entry
                    for entry in _entries(self.config.rootpath) - self._entries - self._outputs()
                    if not entry.startswith(EXPECTED_OUTPUT_PREFIXES)
                ),
                changed_env=sorted({*_changed(self._environ, dict(os.environ)), *self._worker_env}),
                changed_cwd=self.changed() or self._worker_cwd,
                kind=self.recorder.kind.describe(),
                instance=settings.instance,
                counts=self.recorder.counts,
                reruns=session_records.reruns(reports.reruns),
            ),
            memory=settings.memory,
            ai=settings.ai,
            warn=self.recorder.problems.append,
        )
        # Lint findings are stored as suggestions, but the apytest-lint section shows them.
        shown = [s for s in logged.suggestions if s.suggestion.source != "lint"]
        self.new = tuple(s for s in shown if s.count == 1)
        self.repeated = len(shown) - len(self.new)

    def _metrics(self) -> MetricsSnapshot | None:
        """This project's series as the Recorder just wrote them to the metrics file."""
        from apytest.feedback import metrics_source

        settings = self.recorder.settings
        samples: metrics_source.Samples = [
            (sample.name, sample.labels, sample.value)
            for family in self.recorder.written
            for sample in family.samples
            if sample.labels.get("project") == settings.project
        ]
        if not samples:
            return None
        return metrics_source.snapshot(
            str(settings.metrics_file), samples, self.recorder.kind.describe()
        )

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        """An xdist worker finished: what its tests changed in its own process."""
        changes = getattr(node, "workeroutput", {}).get(WORKER_CHANGES)
        if isinstance(changes, dict):
            self._worker_env.update(map(str, changes.get("env", ())))
            self._worker_cwd = self._worker_cwd or str(changes.get("cwd", ""))

    def _outputs(self) -> set[str]:
        """Top-level entries this session's own outputs (metrics, log, reports, pytest's
        `--basetemp` folder of temporary paths) live in."""
        settings = self.recorder.settings
        names = set(EXPECTED_OUTPUTS)
        for path in (settings.metrics_file, settings.log_file, settings.memory):
            if isinstance(path, Path) and path.is_relative_to(self.config.rootpath):
                names.add(path.relative_to(self.config.rootpath).parts[0])
        for option, switch in OUTPUT_OPTIONS.items():
            value = getattr(self.config.option, option, None)
            if value and getattr(self.config.option, switch or option, None):
                names.add(Path(value).parts[0])
        # pytest-cov's `--cov-report=xml:out/cov.xml` destinations.
        reports = getattr(self.config.option, "cov_report", None)
        for destination in reports.values() if isinstance(reports, dict) else ():
            if isinstance(destination, str) and destination:
                names.add(Path(destination).parts[0])
        return names

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        lines = self.shown_lines()
        if not lines:
            return
        terminalreporter.write_sep("=", "apytest suggestions", yellow=True)
        for line in lines:
            terminalreporter.write_line(line)

    def shown_lines(self) -> list[str]:
        """The new suggestions as the summary shows them ([] when none is new): also printed on
        stderr for a session pytest ended before it began, which has no terminal summary."""
        if not self.new:
            return []
        # One entry per text: 80 modules failing on one helper's missing import are one line,
        # naming the first test and how many more (the memory keeps each test's).
        same_text: dict[tuple[str, str, str], list[StoredSuggestion]] = {}
        for stored in self.new:
            suggestion = stored.suggestion
            same_text.setdefault((suggestion.text, suggestion.lesson, suggestion.model), []).append(
                stored
            )
        shown = list(same_text.values())[:SHOWN]
        lines = []
        for group in shown:
            lines += [f"- {group[0].suggestion.text}", f"  {_byline(group)}"]
        more = len(self.new) - sum(map(len, shown))
        tail = [f"{more} more new"] * (more > 0) + [f"{self.repeated} seen before"] * bool(
            self.repeated
        )
        said = ", ".join(tail)
        lines.append(
            f"apytest: {said}; all of them: apytest suggestions"
            if said
            else "apytest: all of them: apytest suggestions"
        )
        return lines
