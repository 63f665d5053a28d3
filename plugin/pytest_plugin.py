"""apytest's pytest plugin (entry point `apytest`, group `pytest11`): the hooks, nothing else.

The module itself only declares the options and decides, at configure time, whether this
process records the session. It does not when the plugin is switched off (`--no-apytest`, ini
`apytest = false`), in an xdist worker (the controller sees every report and does the
counting), or when no test runs (`--collect-only`, `--fixtures`, `--setup-plan`: such a session
would count as a green run). Otherwise the session's Recorder goes into
`config.stash` and a `SessionHooks` object is registered to feed it: a disabled plugin then
costs nothing at all. There is no hook per report: the Recorder reads the reports pytest kept
at session end (`session_reports`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from apytest.common import umask
from apytest.common.gc_pause import gc_paused

with gc_paused():  # the plugin's modules: thousands of objects that live as long as pytest
    from apytest.plugin import feedback_hook, session_reports
    from apytest.plugin.options import Settings, register
    from apytest.plugin.outcomes import INTERNAL_ERROR
    from apytest.plugin.session import Recorder

RECORDER = pytest.StashKey[Recorder]()
CONFIGURED = pytest.StashKey[bool]()
"""Set by ``pytest_configure``: a usage error before it is a failed start."""

OWN_FOLDERS = pytest.StashKey[Mapping[Path, tuple[str, ...]]]()
"""apytest's output folders below the rootdir, each with how the names of its files there
begin."""

_UNCAUGHT_EXCEPTION = 1
"""Python's exit status when an exception ends it, as one that pytest does not handle does."""

# Options (argparse dests) under which pytest runs no test at all.
_NOTHING_RUNS = ("collectonly", "showfixtures", "show_fixtures_per_test", "setupplan")


def pytest_addoption(parser: pytest.Parser) -> None:
    with gc_paused():
        register(parser)


def _runs_no_test(options: object) -> bool:
    """Whether pytest runs no test at all (`--collect-only`, `--fixtures`, ...): a recorded
    session would count as a green run."""
    return any(getattr(options, name, False) for name in _NOTHING_RUNS)


def _records(config: pytest.Config, options: object) -> Settings | None:
    """The settings when this process records the session, else None."""
    if hasattr(config, "workerinput") or _runs_no_test(options):
        return None
    settings = Settings.from_config(config)
    return settings if settings.enabled else None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> Generator[None, None, None]:
    """The earliest hook apytest sees. Three failures end pytest here, before any session: a
    conftest that cannot be imported ("ImportError while loading conftest", exit status 4); on
    pytest 7.4 and 8, a ``filterwarnings`` entry whose category cannot be imported (the warnings
    plugin's wrapper of this hook parses the filters; tryfirst puts this wrapper around it; exit
    status 4); and any other exception, which pytest does not handle (exit status 1): a conftest
    pytest cannot register, whose hook names an argument the hook does not have
    (``PluginValidationError``), or a plugin registered twice. Each is recorded as a session of
    that one error, and raised on unchanged."""
    try:
        result = yield
    except pytest.UsageError as error:
        _record_startup_error(early_config, _startup_nodeid(early_config), str(error))
        raise
    except Exception as error:
        # pytest's ConftestImportFailure: `cause` since pytest 8, `excinfo` (a sys.exc_info()
        # tuple) in pytest 7.4.
        cause = getattr(error, "cause", None) or (getattr(error, "excinfo", None) or (0, None))[1]
        if isinstance(cause, BaseException):
            path = Path(str(getattr(error, "path", "conftest.py")))
            excinfo = pytest.ExceptionInfo.from_exception(cause)
            excinfo.traceback = excinfo.traceback.cut(path=path)  # from the conftest, as pytest
            _record_startup_error(
                early_config, _nodeid(early_config, path), excinfo.getrepr(style="short")
            )
        else:
            # Anything else ends pytest with the traceback, as an uncaught exception ends
            # Python: exit status 1. A conftest that imported but cannot be registered: a hook
            # naming an argument its specification lacks (PluginValidationError, recorded under
            # that conftest), a plugin module its `pytest_plugins` names that an installed entry
            # point registered already (pluggy's ValueError "already registered").
            where = getattr(getattr(error, "plugin", None), "__file__", None)
            nodeid = _nodeid(early_config, Path(where)) if where else _startup_nodeid(early_config)
            message = f"{type(error).__name__}: {error}"
            _record_startup_error(early_config, nodeid, message, _UNCAUGHT_EXCEPTION)
        raise
    early = EarlyErrors(early_config)
    early_config.pluginmanager.register(early, "apytest-early")
    early_config.add_cleanup(early.parse_failed)
    return result


class EarlyErrors:
    """What ends pytest after the initial conftests loaded but before apytest's own
    ``pytest_configure`` ran, when no session hook will follow: the last parse of the arguments
    failing, or another plugin's or conftest's ``pytest_configure`` raising (called before
    apytest's: the later registered first)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.internal: pytest.ExceptionInfo[BaseException] | None = None

    def parse_failed(self) -> None:
        """The config's cleanup. When pytest's last parse of the arguments fails (an option of
        a plugin that is not installed: "unrecognized arguments"), pytest cleans up the config
        while it handles the UsageError: recorded then."""
        error = sys.exc_info()[1]
        if isinstance(error, pytest.UsageError) and not self.config.stash.get(CONFIGURED, False):
            _record_startup_error(self.config, _startup_nodeid(self.config), str(error))

    def pytest_internalerror(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        if not self.config.stash.get(CONFIGURED, False) and self.internal is None:
            self.internal = excinfo

    def pytest_unconfigure(self) -> None:
        if self.internal is not None and not self.config.stash.get(CONFIGURED, False):
            longrepr = self.internal.getrepr(style="short")
            status = pytest.ExitCode.INTERNAL_ERROR
            _record_startup_error(self.config, INTERNAL_ERROR, longrepr, status, "session")


def _nodeid(config: pytest.Config, path: Path) -> str:
    return (
        path.relative_to(config.rootpath).as_posix()
        if path.is_relative_to(config.rootpath)
        else str(path)
    )


def _startup_nodeid(config: pytest.Config) -> str:
    """What a usage error of the configuration is recorded under: the configuration file (what
    to edit), else the internal error's node id."""
    return _nodeid(config, config.inipath) if config.inipath else INTERNAL_ERROR


def _record_startup_error(
    config: pytest.Config,
    nodeid: str,
    longrepr: str | session_reports.LongRepr,
    status: int = pytest.ExitCode.USAGE_ERROR,
    phase: str = "collect",
) -> None:
    """Record a session that pytest ended before it began, with its one error (whatever goes
    wrong doing so is a warning line on stderr)."""
    options = config.known_args_namespace
    if options.help or options.version:
        return
    settings = _records(config, options)
    if settings is None:
        return
    recorder = Recorder(config, settings._replace(lint=False, lint_strict=False))
    recorder.session_errors.append(session_reports.session_error(nodeid, longrepr, phase))
    _finish_early(recorder, feedback_hook.FeedbackHooks(config, recorder), status)


def _finish_early(
    recorder: Recorder, feedback: feedback_hook.FeedbackHooks | None, status: int
) -> None:
    """Write, review and remember a session pytest ended before it began (no session hook
    runs): its metrics, its run log, its record in the memory."""
    recorder.start()
    if feedback is not None:
        feedback.pytest_sessionstart()
    with umask.as_loaded():
        recorder.finish(int(status))
    if feedback is not None and recorder.settings.memory is not None:
        feedback.pytest_sessionfinish(int(status))
        # No terminal summary follows: pytest stops here. What a new suggestion says (a
        # conftest importing an undeclared package) would otherwise only be stored.
        if lines := feedback.shown_lines():
            print("apytest suggestions:", *lines, sep="\n", file=sys.stderr)
    for problem in recorder.problems:
        print(f"apytest: warning: {problem}", file=sys.stderr)


def _own_folders(config: pytest.Config, settings: Settings) -> dict[Path, tuple[str, ...]]:
    """The folders below the rootdir that hold apytest's run log, metrics and memory, each with
    the beginnings of its files' names there (`pytest.log` and its rotations, the metrics'
    hidden lock, the memory's journal, the `.gitignore` apytest writes)."""
    folders: dict[Path, list[str]] = {}
    root = config.rootpath
    for path in (settings.log_file, settings.metrics_file, settings.memory):
        if isinstance(path, Path) and path.parent != root and path.parent.is_relative_to(root):
            folders.setdefault(path.parent, [".gitignore"]).extend((path.name, f".{path.name}"))
    return {folder: tuple(names) for folder, names in folders.items()}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """apytest's own output folders are no part of the suite. pytest would collect `logs/`
    (made at session start) and `monitoring/` as directory nodes, which plugins see:
    pytest-json-report's collectors gained one, and its tests, run with apytest in their inner
    sessions, failed. Ignored only while they hold nothing but apytest's files: a folder of
    the user's that apytest writes into (their `monitoring/prometheus.yml`) stays pytest's to
    collect, as without apytest."""
    names = config.stash.get(OWN_FOLDERS, {}).get(collection_path)
    if names is None:
        return None
    try:
        with os.scandir(collection_path) as entries:
            ours = all(entry.is_file() and entry.name.startswith(names) for entry in entries)
    except OSError:
        return None
    return True if ours else None


def pytest_configure(config: pytest.Config) -> None:
    config.stash[CONFIGURED] = True
    with gc_paused():
        settings = Settings.from_config(config)
        if not settings.enabled:
            return
        config.stash[OWN_FOLDERS] = _own_folders(config, settings)
        if hasattr(config, "workerinput"):
            if settings.memory is not None:  # the controller reviews the session
                changes = feedback_hook.WorkerChanges(config)
                config.pluginmanager.register(changes, "apytest-worker")
            return
        if not _runs_no_test(config.option):
            recorder = config.stash[RECORDER] = Recorder(config, settings)
            config.pluginmanager.register(SessionHooks(recorder), "apytest-session")
            feedback_hook.register(config, recorder)


class SessionHooks:
    """The hooks of a recorded session, each handing over to the Recorder."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def pytest_sessionstart(self) -> None:
        with gc_paused():
            self.recorder.start()

    def pytest_exception_interact(self, report: pytest.TestReport | pytest.CollectReport) -> None:
        """Called only for a failure (not a skip or an xfail): a green run never gets here."""
        self.recorder.failure(report)

    def pytest_internalerror(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        self.recorder.internal_error(excinfo)

    @pytest.hookimpl(tryfirst=True)  # before pytest's own, which collects garbage
    def pytest_unconfigure(self, config: pytest.Config) -> None:
        """A ``pytest_configure`` of a conftest or plugin that raised (a deprecated pytest API
        under ``filterwarnings = error``) ends pytest before the session: no session hook runs,
        so the internal error recorded above is written here. Then the session's reports are
        let go."""
        if self.recorder.session_errors and not self.recorder.finished:
            feedback = config.pluginmanager.get_plugin(feedback_hook.FEEDBACK_PLUGIN)
            _finish_early(self.recorder, feedback, pytest.ExitCode.INTERNAL_ERROR)
        self.recorder.release()

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_collection(self, session: pytest.Session) -> Generator[None, object, object]:
        """pytest checks the ini keys after collecting: under ``--strict-config`` a key of a
        plugin that is not installed ("Unknown config option") is a UsageError that ends the
        session (exit status 4) without a report. Recorded as the session's error."""
        try:
            return (yield)
        except pytest.UsageError as error:
            self.recorder.usage_error(_startup_nodeid(session.config), str(error))
            raise

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if self.recorder.lint is not None:
            self.recorder.lint.add_nodeids(item.nodeid for item in session.items)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: Sequence[str]) -> None:
        """xdist's controller collects nothing itself: its workers report their node ids."""
        if self.recorder.lint is not None:
            self.recorder.lint.add_nodeids(ids)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Generator[None, object, object]:
        """Lint after the tests ran, also when a collection error stopped them (pytest raises
        out of its test loop then), with the modules that failed to collect: a finding may say
        why. In strict mode findings fail the session, like a test."""
        lint = self.recorder.lint
        try:
            return (yield)
        finally:
            if lint is not None:
                lint.add_nodeids(self.recorder.collect_error_nodeids())
                with umask.as_loaded():  # its cache
                    failed = lint.run()
                if failed:
                    session.testsfailed += 1

    def pytest_sessionfinish(self, exitstatus: int) -> None:
        with gc_paused(), umask.as_loaded():
            self.recorder.finish(int(exitstatus))

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        self.recorder.summary(terminalreporter)
