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

from apytest.feedback.records import MetricsSnapshot

_FIELDS = {
    "pytest_session_duration_seconds": "session_duration",
    "pytest_coverage_percent": "coverage",
    "pytest_test_failures_total": "failures_total",
    "pytest_session_exit_status": "exit_status",
}
TESTS = "pytest_session_tests"


class MetricsUnavailable(Exception):
    """The source could not be read; the message says which and why."""


Samples = list[tuple[str, Mapping[str, str], float]]
"""``(name, labels, value)`` of each sample of one project."""


def snapshot(source: str, samples: Samples) -> MetricsSnapshot:
    """The snapshot of one project's samples, read from `source`."""
    values: dict[str, float] = {}
    tests: dict[str, int] = {}
    for name, labels, value in samples:
        if not math.isfinite(value):
            continue
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


def from_file(path: Path, project: str) -> MetricsSnapshot:
    """This project's series in the plugin's Prometheus textfile."""
    from prometheus_client.parser import text_string_to_metric_families  # the CLI's only

    try:
        text = path.read_text(encoding="utf-8")
        families = list(text_string_to_metric_families(text))
    except (OSError, UnicodeDecodeError, ValueError, IndexError, KeyError) as error:
        raise MetricsUnavailable(f"cannot read the metrics file {path}: {error}") from None
    return snapshot(
        str(path),
        [
            (sample.name, sample.labels, sample.value)
            for family in families
            for sample in family.samples
            if sample.labels.get("project") == project
        ],
    )


def from_prometheus(url: str, project: str, timeout: float = 10.0) -> MetricsSnapshot:
    """This project's latest series from a Prometheus server's HTTP API (`/api/v1/query`)."""
    import urllib.parse  # only `apytest review --prometheus` needs them
    import urllib.request

    names = "|".join([*_FIELDS, TESTS])
    selector = f'{{__name__=~"{names}",project="{_escape(project)}"}}'
    query = urllib.parse.urlencode({"query": selector})
    endpoint = f"{url.rstrip('/')}/api/v1/query?{query}"
    try:
        with urllib.request.urlopen(endpoint, timeout=timeout) as response:
            body = json.load(response)
        results = body["data"]["result"]
        samples = [(r["metric"]["__name__"], r["metric"], float(r["value"][1])) for r in results]
    except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
        raise MetricsUnavailable(f"cannot query Prometheus at {url}: {error}") from None
    return snapshot(url, samples)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
