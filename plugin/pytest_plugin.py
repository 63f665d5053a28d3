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

import sys
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

import pytest

from apytest.plugin import feedback_hook
from apytest.plugin.options import Settings, register
from apytest.plugin.session import Recorder

RECORDER = pytest.StashKey[Recorder]()

# Options (argparse dests) under which pytest runs no test at all.
_NOTHING_RUNS = ("collectonly", "showfixtures", "show_fixtures_per_test", "setupplan")


def pytest_addoption(parser: pytest.Parser) -> None:
    register(parser)


def _records(config: pytest.Config, options: object) -> Settings | None:
    """The settings when this process records the session, else None."""
    if hasattr(config, "workerinput"):
        return None
    if any(getattr(options, name, False) for name in _NOTHING_RUNS):
        return None
    settings = Settings.from_config(config)
    return settings if settings.enabled else None


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> Generator[None, None, None]:
    """A conftest that cannot be imported ends pytest before any session (exit status 4,
    "ImportError while loading conftest"): recorded here as a session of that one error."""
    try:
        return (yield)
    except Exception as error:
        options = early_config.known_args_namespace
        # pytest's ConftestImportFailure: `cause` since pytest 8, `excinfo` (a sys.exc_info()
        # tuple) in pytest 7.4.
        cause = getattr(error, "cause", None) or (getattr(error, "excinfo", None) or (0, None))[1]
        if isinstance(cause, BaseException) and not (options.help or options.version):
            settings = _records(early_config, options)
            if settings is not None:
                _record_unloadable_conftest(early_config, settings, error, cause)
        raise


def _record_unloadable_conftest(
    config: pytest.Config, settings: Settings, error: Exception, cause: BaseException
) -> None:
    from apytest.plugin import session_reports

    path = Path(str(getattr(error, "path", "conftest.py")))
    inside = path.is_relative_to(config.rootpath)
    nodeid = path.relative_to(config.rootpath).as_posix() if inside else str(path)
    recorder = Recorder(config, settings._replace(lint=False, lint_strict=False))
    feedback = feedback_hook.FeedbackHooks(config, recorder)
    recorder.start()
    feedback.pytest_sessionstart()
    excinfo = pytest.ExceptionInfo.from_exception(cause)
    excinfo.traceback = excinfo.traceback.cut(path=path)  # from the conftest on, as pytest shows
    longrepr = excinfo.getrepr(style="short")
    recorder.session_errors.append(session_reports.session_error(nodeid, longrepr, "collect"))
    recorder.finish(int(pytest.ExitCode.USAGE_ERROR))
    if settings.memory is not None:
        feedback.pytest_sessionfinish(int(pytest.ExitCode.USAGE_ERROR))
    for problem in recorder.problems:  # no terminal summary follows: pytest stops here
        print(f"apytest: warning: {problem}", file=sys.stderr)


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        worker = Settings.from_config(config)
        if worker.enabled and worker.memory is not None:  # the controller reviews the session
            config.pluginmanager.register(feedback_hook.WorkerChanges(config), "apytest-worker")
        return
    settings = _records(config, config.option)
    if settings is not None:
        recorder = config.stash[RECORDER] = Recorder(config, settings)
        config.pluginmanager.register(SessionHooks(recorder), "apytest-session")
        feedback_hook.register(config, recorder)


class SessionHooks:
    """The hooks of a recorded session, each handing over to the Recorder."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def pytest_sessionstart(self) -> None:
        self.recorder.start()

    def pytest_exception_interact(self, report: pytest.TestReport | pytest.CollectReport) -> None:
        """Called only for a failure (not a skip or an xfail): a green run never gets here."""
        self.recorder.failure(report)

    def pytest_internalerror(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        self.recorder.internal_error(excinfo)

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
        """Lint after the tests ran; in strict mode findings fail the session, like a test."""
        result = yield
        if self.recorder.lint is not None and self.recorder.lint.run():
            session.testsfailed += 1
        return result

    def pytest_sessionfinish(self, exitstatus: int) -> None:
        self.recorder.finish(int(exitstatus))

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        self.recorder.summary(terminalreporter)
