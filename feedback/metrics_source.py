"""Where a review reads the run's metrics: the plugin's textfile, or a Prometheus server.

At session end the plugin hands over the samples it has just written to its textfile
(`snapshot`); the CLI reads the textfile (`from_file`) or, from a machine that never saw the
file (a CI job that pushed to a Pushgateway), a Prometheus server's HTTP API
(`from_prometheus`). All give the same MetricsSnapshot of one project; a source that cannot be
read raises MetricsUnavailable, and a review without metrics still reviews the failures.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

from apytest.common import names
from apytest.common.files import read_regular
from apytest.common.instance import LOOPBACK, default_instance, host
from apytest.common.run_kind import RunKind
from apytest.feedback.records import MetricsSnapshot

_FIELDS = {
    names.SESSION_DURATION: "session_duration",
    names.COVERAGE: "coverage",
    names.FAILURES: "failures_total",
    names.EXIT_STATUS: "exit_status",
}
TESTS = names.SESSION_TESTS
MAX_FILE_BYTES = 64 * 1024 * 1024
"""The most of a metrics file a review reads; one project's series are a few KB."""
QUERY_DEADLINE = 10.0
"""Seconds for the whole query, however slowly the server answers."""
MAX_QUERY_REPLY_BYTES = 4 * 1024 * 1024
"""One project's handful of series is a few KB; anything near this is not that reply."""


class MetricsUnavailable(Exception):
    """The source could not be read; the message says which and why."""


Samples = list[tuple[str, Mapping[str, str], float]]
"""``(name, labels, value)`` of each sample of one project."""


def snapshot(source: str, samples: Samples, kind: str = "") -> MetricsSnapshot:
    """The snapshot of one project's samples, read from `source`; of the gauges kept per kind
    of run (`scope`, `workers` labels), only those of the run's `kind` (a stored description)."""
    wanted = RunKind.labels_of(kind)
    values: dict[str, float] = {}
    tests: dict[str, int] = {}
    for name, labels, value in samples:
        if not math.isfinite(value):
            continue
        if any(labels.get(label, given) != given for label, given in wanted.items()):
            continue  # a session of another kind
        if name == TESTS and "outcome" in labels:
            tests[labels["outcome"]] = int(value)
        elif name in _FIELDS:
            values[_FIELDS[name]] = value
    exit_status = values.get("exit_status")
    return MetricsSnapshot(
        source=source,
        session_duration=values.get("session_duration"),
        coverage=values.get("coverage"),
        failures_total=values.get("failures_total"),
        exit_status=None if exit_status is None else int(exit_status),
        tests=tests,
    )


def from_file(path: Path, project: str, kind: str = "") -> MetricsSnapshot:
    """This project's series in the plugin's Prometheus textfile."""
    from prometheus_client.parser import text_string_to_metric_families  # the CLI's only

    try:  # read_regular: a FIFO or device in its place is refused, never waited on
        text = read_regular(path, MAX_FILE_BYTES).decode("utf-8")
        families = list(text_string_to_metric_families(text))
    except (OSError, UnicodeDecodeError, ValueError, IndexError, KeyError) as error:
        raise MetricsUnavailable(f"cannot read the metrics file {path}: {error}") from None
    return snapshot(
        str(path),
        kind=kind,
        samples=[
            (sample.name, sample.labels, sample.value)
            for family in families
            for sample in family.samples
            if sample.labels.get("project") == project
        ],
    )


def from_prometheus(
    url: str,
    project: str,
    deadline: float | None = None,
    *,
    kind: str = "",
    instance: str | None = None,
    job: str | None = None,
) -> MetricsSnapshot:
    """This project's latest series of one run from a Prometheus server's HTTP API
    (`/api/v1/query`): those of one `job` and `instance` (see `one_target`), never a mix.

    The whole query has one deadline, and a reply that is not the API's JSON (not HTTP, too
    large, cut short, nested past any sense, labels that are not strings) is MetricsUnavailable.
    """
    import urllib.parse  # only `apytest review --prometheus` needs them, not a session's end

    from apytest.feedback import http_client

    wanted = "|".join([*_FIELDS, TESTS, names.LAST_RUN])
    selector = f'{{__name__=~"{wanted}",project="{_escape(project)}"}}'
    query = urllib.parse.urlencode({"query": selector})
    endpoint = f"{url.rstrip('/')}/api/v1/query?{query}"
    try:
        reply = http_client.request(
            endpoint, deadline=deadline or QUERY_DEADLINE, max_body=MAX_QUERY_REPLY_BYTES
        )
    except http_client.HttpFailure as error:
        raise MetricsUnavailable(f"cannot query Prometheus at {url}: {error}") from None
    if reply.status != 200:
        raise MetricsUnavailable(
            f"cannot query Prometheus at {url}: HTTP {reply.status} {reply.reason}"
        )
    try:
        samples = _query_samples(json.loads(reply.body))
    except (ValueError, KeyError, TypeError, IndexError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else error
        raise MetricsUnavailable(
            f"cannot query Prometheus at {url}: not a Prometheus query reply ({reason})"
        ) from None
    (chosen_job, chosen_instance), chosen, others = one_target(samples, project, instance, job)
    source = f"{url} (job={chosen_job}, instance={chosen_instance}"
    source += f"; also there: {', '.join(others)})" if others else ")"
    return snapshot(source, chosen, kind)


def one_target(
    samples: Samples, project: str, instance: str | None, job: str | None
) -> tuple[tuple[str, str], Samples, list[str]]:
    """The samples of one (job, instance): the textfile route (job `node`, the node_exporter's
    address) and the Pushgateway route (job `pytest`, the runner's name) each hold a project's
    series, and a review mixing them would compare one run's duration with another's coverage.

    `instance` and `job` given: exactly those (an instance also matches `instance:port`).
    Otherwise this host's (its name, or localhost); when several or none match, the one whose
    session finished last. Returns the target, its samples and the other targets found.
    """
    targets: dict[tuple[str, str], Samples] = {}
    for sample in samples:
        labels = sample[1]
        targets.setdefault((labels.get("job", ""), labels.get("instance", "")), []).append(sample)

    wanted = [
        target
        for target in targets
        if (job is None or target[0] == job)
        and (instance is None or instance in (target[1], host(target[1])))
    ]
    if instance is None and job is None:
        here = (default_instance(), *LOOPBACK)
        wanted = [target for target in wanted if host(target[1]) in here] or wanted
    if not wanted:
        found = ", ".join(f"job={j}, instance={i}" for j, i in targets) or "none"
        raise MetricsUnavailable(
            f"no series of project {project} with job={job or '*'}, instance={instance or '*'}"
            f" (found: {found})"
        )

    def finished(target: tuple[str, str]) -> float:
        return max((v for n, _, v in targets[target] if n == names.LAST_RUN), default=0.0)

    chosen = max(wanted, key=finished)
    others = [f"job={j}, instance={i}" for j, i in targets if (j, i) != chosen]
    return chosen, targets[chosen], others


def _query_samples(body: object) -> Samples:
    """The samples of an instant-vector query reply; TypeError for anything else."""
    if not isinstance(body, dict) or not isinstance(body["data"], dict):
        raise TypeError("no data object")
    results = body["data"]["result"]
    if not isinstance(results, list):
        raise TypeError("result is not a list")
    samples: Samples = []
    for result in results:
        labels, value = result["metric"], result["value"]
        if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
            raise TypeError("labels must be strings")
        if not isinstance(value, list) or not isinstance(value[1], (str, int, float)):
            raise TypeError("a value is not [time, number]")
        samples.append((labels["__name__"], labels, float(value[1])))
    return samples


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
