"""The glue between a finished session (or a stored run) and the orchestrator.

`review_and_log` is what the plugin calls at session end: records from the reports, history
from the memory, the metrics the plugin wrote, project facts only when a failure needs them,
then one `log_run`. `review_stored` is what `apytest review` calls: the same review of a run
that is already in the memory, printed rather than logged again.
"""

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from apytest.common import clock
from apytest.feedback import ai_settings, trends
from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback.crown_prompt_orchestrator import Review, review
from apytest.feedback.project_facts import foreign_variables, project_facts
from apytest.feedback.records import (
    EMPTY,
    Failure,
    LintFinding,
    MetricsSnapshot,
    Run,
    Suggestion,
    TestResult,
    Workspace,
)


class SessionFacts(NamedTuple):
    """What the plugin hands over at session end; nothing here is collected twice.

    A named tuple: this module is imported at the end of every session, where a frozen
    dataclass would cost a few compilations."""

    project: str
    rootdir: Path
    started_at: float
    exit_status: int
    results: Sequence[TestResult]
    """One per test, and one `error` per module that failed to collect."""
    failures: Sequence[Failure]
    findings: Sequence[LintFinding]
    """`--apytest-lint`'s findings (none without it)."""
    metrics: MetricsSnapshot | None
    """This project's series in the metrics file the plugin wrote (None: none written)."""
    coverage: float | None
    new_entries: Sequence[str] = ()
    changed_env: Sequence[str] = ()
    changed_cwd: str = ""
    kind: str = ""
    """What kind of run it was (`apytest.common.run_kind.RunKind.describe`)."""
    instance: str = ""
    """The runner's name (`apytest_instance`, else the host name)."""
    duration: float | None = None
    """The session's duration as the plugin measured it on a monotonic clock (the figure of
    its metrics file); None: the wall-clock time from `started_at` to now."""
    counts: Mapping[str, int] = EMPTY
    """How many of each outcome pytest's summary counted (`Run.counts`); empty: one per result."""
    reruns: Mapping[str, int] = EMPTY
    """Tests pytest-rerunfailures ran again, with their failed attempts (`Review.reruns`)."""


def run_of(facts: SessionFacts) -> Run:
    """The session as a Run record."""
    finished = clock.wall()
    return Run(
        project=facts.project,
        started_at=facts.started_at,
        finished_at=finished,
        duration=finished - facts.started_at if facts.duration is None else facts.duration,
        exit_status=facts.exit_status,
        coverage=None if facts.coverage is None else float(facts.coverage),
        results=tuple(facts.results),
        failures=tuple(facts.failures),
        findings=tuple(facts.findings),
        workspace=Workspace(tuple(facts.new_entries), tuple(facts.changed_env), facts.changed_cwd),
        kind=facts.kind,
        instance=facts.instance,
        counts=facts.counts,
    )


def review_and_log(
    facts: SessionFacts,
    *,
    memory: memory_api.MemoryPath,
    ai: Mapping[str, object] | None = None,
    warn: Callable[[str], None] = print,
) -> memory_api.LoggedRun:
    """Review the session against its history and store it with its suggestions.

    With `ai` (the AI review's settings by ini name) configured, the run's new failure
    clusters are then sent to the model (`ai_review`); its answers join the suggestions.
    """
    run = run_of(facts)
    history = memory_api.history(
        run.project, focus=trends.focus(run.results), kind=run.kind, memory=memory
    )
    suggestions = review(
        Review(
            run=run,
            history=history,
            metrics=facts.metrics,
            project=project_facts(facts.rootdir, run.failures),
            reruns=facts.reruns,
            foreign_variables=foreign_variables(facts.rootdir, run.workspace.changed_env),
        )
    )
    logged = memory_api.log_run(run, suggestions, memory=memory)
    if ai is None or not run.failures:
        return logged
    settings = ai_settings_of(ai, warn)
    if settings is None:
        return logged
    from apytest.feedback import ai_review, prompt_bundle

    # The run as stored: its texts redacted together, as `apytest review` would read them.
    stored = memory_api.run(logged.run_id, memory=memory)
    if stored is None:  # another process pruned it: nothing redacted to send
        return logged
    files = {f.nodeid.split("::", 1)[0] for f in stored.failures}
    bundle = prompt_bundle.build(
        stored,
        [s.suggestion for s in logged.suggestions],
        history,
        facts.rootdir,
        prompt_bundle.lint_findings(facts.rootdir, files),
    )
    sent = ai_review.review(bundle, settings, memory=memory, warn=warn)
    return memory_api.LoggedRun(logged.run_id, logged.suggestions + sent.suggestions)


def ai_settings_of(
    ini: Mapping[str, object], warn: Callable[[str], None]
) -> ai_settings.AiSettings | None:
    """The AI review's settings from ini values and the environment; a bad one is a warning."""
    try:
        return ai_settings.load(ini, os.environ)
    except ai_settings.SettingsError as error:
        warn(f"AI review: {error}")
        return None


def review_stored(
    run: Run,
    rootdir: Path,
    metrics: MetricsSnapshot | None,
    *,
    instance: str | None = None,
    memory: memory_api.MemoryPath,
) -> list[Suggestion]:
    """Review a stored run again (its history: the runs of its kind stored before it, of
    `instance` when given)."""
    return review(
        Review(
            run=run,
            history=memory_api.history(
                run.project, before=run.id, kind=run.kind, instance=instance, memory=memory
            ),
            metrics=metrics,
            project=project_facts(rootdir, run.failures),
            foreign_variables=foreign_variables(rootdir, run.workspace.changed_env),
        )
    )
