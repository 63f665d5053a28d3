"""What a firing `Pytest*` alert does: recorded, reviewed, its suggestions logged, once per firing.

`receive(payload, context)` takes the body of an Alertmanager webhook notification (payload
version 4) and, for each firing alert whose name starts with `Pytest`:

1. skips it when this firing was handled before: the key is the alert's fingerprint and its
   `startsAt`, so Alertmanager's resends and the resolved notification add nothing, while the
   same alert firing again later is a new firing;
2. reviews the alert's project on the alert's instance: the last run the corpus memory holds
   of that project from that runner (`apytest.common.instance` says which runs a label such as
   `ci-1:9100` stands for), against the earlier runs of the same runner and kind, with that
   target's metrics from Prometheus' API (or the metrics file), as `apytest review --instance`
   does; an alert without an `instance` label reviews the project's last run;
3. logs through `corpus_memory_logging.log_suggestion` one suggestion for the alert itself
   (what fired, the runbook, the lesson) and the review's suggestions, then records the alert
   as an interaction of kind `alert` (labels, annotations, the firing's key and the signatures
   of what was logged): last, since it marks the firing as handled;
4. when an AI review is configured (`ai_settings`) and the reviewed run failed, returns an
   `AiJob`: the receiver answers Alertmanager first and then has `ask_ai` send the run's failure
   clusters not answered before to the model (`ai_review`: its budgets, its cache by cluster
   fingerprint, a failing model a log line). A model may take `apytest_ai_seconds` (a minute by
   default); Alertmanager gives up on a webhook after 10 seconds and sends again.

The HTTP side is `alerts_server`; this module knows nothing of sockets, so it is tested with
payloads as Alertmanager sends them.
"""

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from apytest.common.memory_location import MemoryLocation
from apytest.common.runbooks import RUNBOOKS
from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback import metrics_source
from apytest.feedback.ai_settings import AiSettings
from apytest.feedback.records import MetricsSnapshot, Run, Suggestion

PREFIX = "Pytest"
PAYLOAD_VERSION = "4"
DEFAULT_PORT = 9095
RUNBOOK_PATH = "/runbooks/"


class BadPayload(Exception):
    """Not an Alertmanager webhook payload of version 4; the message says what is wrong."""


@dataclass(frozen=True)
class Context:
    """Where the receiver reads and writes."""

    memory: MemoryLocation
    root: Path
    prometheus: str | None = None
    metrics_file: Path | None = None
    ai: AiSettings | None = None
    """The AI review's settings; None: off (the default)."""


class AiJob(NamedTuple):
    """The AI review a recorded firing is owed: the run its alert reviewed, with the review's
    suggestions (the bundle's deterministic ones)."""

    alertname: str
    run: Run
    instance: str | None
    suggestions: tuple[Suggestion, ...]
    settings: AiSettings


class Handled(NamedTuple):
    """What one notification did: alerts recorded now, alerts skipped as seen, and the AI
    reviews owed to the recorded ones (to do after answering)."""

    recorded: int
    seen: int
    ai: tuple[AiJob, ...] = ()


def parse(body: bytes) -> list[Mapping[str, Any]]:
    """The alerts of a webhook payload; BadPayload when it is not one."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadPayload("body is not JSON") from None
    if not isinstance(payload, dict):
        raise BadPayload("body is not a JSON object")
    if payload.get("version") != PAYLOAD_VERSION:
        raise BadPayload(f"payload version {payload.get('version')!r}, expected '4'")
    alerts = payload.get("alerts")
    if not isinstance(alerts, list) or not all(isinstance(a, dict) for a in alerts):
        raise BadPayload("'alerts' is not a list of objects")
    for alert in alerts:
        if not isinstance(alert.get("labels"), dict):
            raise BadPayload("an alert without a 'labels' object")
    return alerts


def receive(body: bytes, context: Context, log: Callable[[str], None]) -> Handled:
    """Handle one notification (see the module's docstring); BadPayload for a bad body."""
    recorded = seen = 0
    jobs: list[AiJob] = []
    handled = _handled_keys(context.memory)
    for alert in parse(body):
        labels = {str(k): str(v) for k, v in alert["labels"].items()}
        name = labels.get("alertname", "")
        if alert.get("status") != "firing" or not name.startswith(PREFIX):
            continue
        key = _firing_key(alert, labels)
        if key in handled:
            seen += 1
            continue
        handled.add(key)
        job = _record(alert, labels, key, context, log)
        jobs.extend([job] if job else [])
        recorded += 1
    return Handled(recorded, seen, tuple(jobs))


def _handled_keys(memory: MemoryLocation) -> set[str]:
    return {
        str(record.data.get("key"))
        for record in memory_api.interactions("alert", memory=memory)
        if isinstance(record.data, dict)
    }


def _firing_key(alert: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """One firing of one alert: its fingerprint (or its labels' hash) and when it started."""
    fingerprint = alert.get("fingerprint")
    if not isinstance(fingerprint, str) or not fingerprint:
        fingerprint = hashlib.sha256(json.dumps(sorted(labels.items())).encode()).hexdigest()[:16]
    return f"{fingerprint}@{alert.get('startsAt', '')}"


def _strings(value: object) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _record(
    alert: Mapping[str, Any],
    labels: Mapping[str, str],
    key: str,
    context: Context,
    log: Callable[[str], None],
) -> AiJob | None:
    name = labels["alertname"]
    project = labels.get("project", "")
    instance = labels.get("instance") or None
    annotations = _strings(alert.get("annotations"))
    run = (
        memory_api.last_run(project, instance=instance, memory=context.memory) if project else None
    )
    if project and run is None:
        log(f"{name}: no run of {project} from instance {instance or '*'} in the memory")
    found = [
        _alert_suggestion(name, project, labels, annotations),
        *_review(run, instance, context),
    ]
    for suggestion in found:
        memory_api.log_suggestion(
            suggestion,
            project=project,
            run_id=run.id if run else None,
            memory=context.memory,
        )
    # The record comes last: it marks the firing as handled, for a resend and for readers.
    memory_api.log_interaction(
        "alert",
        f"{name} firing for {project or labels.get('instance', '?')}: "
        f"{annotations.get('summary', '')}".rstrip(": "),
        data={
            "key": key,
            "alertname": name,
            "project": project,
            "instance": labels.get("instance", ""),
            "run_id": run.id if run else None,
            "labels": dict(labels),
            "annotations": annotations,
            "starts_at": str(alert.get("startsAt", "")),
            "generator_url": str(alert.get("generatorURL", "")),
            "suggestions": [s.signature for s in found],
        },
        memory=context.memory,
    )
    log(f"{name} for {project or labels.get('instance', '?')}: {len(found)} suggestion(s) logged")
    if context.ai is None or run is None or not run.failures:
        return None
    return AiJob(name, run, instance, tuple(found), context.ai)


def ask_ai(job: AiJob, context: Context, log: Callable[[str], None]) -> None:
    """The AI review of the run an alert reviewed (see the module's docstring, step 4): its
    answers are stored as suggestions of source "ai" with the model named, prompt and answer
    as interaction records, exactly as a session's or `apytest review --ai`'s."""
    from apytest.feedback import ai_review, prompt_bundle  # only a configured receiver

    where = f"{job.alertname} for {job.run.project}"
    bundle = prompt_bundle.of_stored(
        job.run, job.suggestions, context.root, instance=job.instance, memory=context.memory
    )
    sent = ai_review.review(
        bundle, job.settings, memory=context.memory, warn=lambda line: log(f"{where}: {line}")
    )
    log(
        f"{where}: AI review: {len(sent.suggestions)} answer(s) of {job.settings.model} stored, "
        f"{sent.cached} cluster(s) answered before"
    )


def _alert_suggestion(
    name: str, project: str, labels: Mapping[str, str], annotations: Mapping[str, str]
) -> Suggestion:
    runbook = RUNBOOKS.get(name)
    what = annotations.get("description") or annotations.get("summary") or name
    where = project or labels.get("instance", "")
    url = annotations.get("runbook_url", "")
    return Suggestion(
        text=f"Prometheus alert {name} fired for {where}: {what}"
        + (f" {runbook.do}" if runbook else "")
        + (f" Runbook: {url}" if url else ""),
        lesson=runbook.lesson or "" if runbook else "",
        signature=f"alert:{name}",
        source="alert",
    )


def _review(run: Run | None, instance: str | None, context: Context) -> list[Suggestion]:
    """The review of the run against the earlier runs of its instance, with the metrics of
    that target as they are now."""
    if run is None:
        return []
    from apytest.feedback.session_review import review_stored  # loads pytest: only here

    return review_stored(
        run,
        context.root,
        _metrics(run, instance, context),
        instance=instance,
        memory=context.memory,
    )


def _metrics(run: Run, instance: str | None, context: Context) -> MetricsSnapshot | None:
    try:
        if context.prometheus:
            return metrics_source.from_prometheus(
                context.prometheus, run.project, kind=run.kind, instance=instance
            )
        if context.metrics_file is not None:
            return metrics_source.from_file(context.metrics_file, run.project, run.kind)
    except metrics_source.MetricsUnavailable:
        pass  # the review still reviews the run; the alert names the figure
    return None
