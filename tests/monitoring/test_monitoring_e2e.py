"""End to end: real pytest sessions, real node_exporter, Pushgateway and Prometheus.

Prometheus runs the configuration that `apytest monitoring init` ships, with two edits a test
needs: the targets files list the services started here, and scrapes and rule evaluations
happen every second instead of every 30 seconds. `test_every_target_of_a_route_comes_up_as_written`
goes further: the services run the commands `init` prints (the README's), ports substituted,
and `init --route` writes the targets itself.
"""

from __future__ import annotations

import re
import shlex
import socket
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from monitoring_support import (
    FAILING_TEST,
    PROJECT,
    SHOP,
    TESTS,
    UNTESTED,
    Service,
    StartService,
    configure_monitoring,
    dashboard_exprs,
    http_get,
    http_json,
    metric_names,
    prometheus_query,
    recorded_names,
    start_node_exporter,
    start_prometheus,
    start_pushgateway,
    wait_until,
)
from prometheus_client.parser import text_string_to_metric_families

from apytest.cli import apytest as cli
from apytest.monitoring import scaffold

pytestmark = pytest.mark.e2e

SELECTOR = f'{{project="{PROJECT}"}}'
# Generous next to the one-second scrape and evaluation intervals; only reached on failure.
TIMEOUT = 30.0


def _run(project: pytest.Pytester, *arguments: str) -> pytest.RunResult:
    # A subprocess: pytest-cov must not measure inside this test process.
    return project.runpytest_subprocess("--cov=shop", "-p", "no:cacheprovider", *arguments)


def _monitoring(
    project: pytest.Pytester, node_exporters: Sequence[Service], pushgateways: Sequence[Service]
) -> Path:
    """`monitoring init` in the project, pointed at these services, at one-second intervals.

    Returns the Prometheus config file.
    """
    return configure_monitoring(project.path / "monitoring", node_exporters, pushgateways)


def _values(prometheus: Service, expr: str) -> list[float]:
    return [float(series["value"][1]) for series in prometheus_query(prometheus, expr)]


def _written(project: pytest.Pytester, sample_name: str) -> float:
    text = (project.path / "monitoring" / "pytest_metrics.prom").read_text()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == sample_name and sample.labels.get("project") == PROJECT:
                return float(sample.value)
    raise AssertionError(f"{sample_name} of {PROJECT} is not in the metrics file")


def _firing(prometheus: Service, alertname: str) -> bool:
    alerts: list[dict[str, Any]] = http_json(f"{prometheus.url}/api/v1/alerts")["data"]["alerts"]
    return any(
        alert["labels"].get("alertname") == alertname
        and alert["labels"].get("project") == PROJECT
        and alert["state"] == "firing"
        for alert in alerts
    )


def _node_exporter_and_prometheus(
    project: pytest.Pytester, start_service: StartService
) -> tuple[Service, Service]:
    node_exporter = start_node_exporter(start_service, project.path / "monitoring")
    config = _monitoring(project, node_exporters=[node_exporter], pushgateways=[])
    prometheus = start_prometheus(start_service, config, project.path / "prometheus-data")
    return node_exporter, prometheus


def test_textfile_route_brings_the_session_to_prometheus(
    project: pytest.Pytester, start_service: StartService
) -> None:
    node_exporter, prometheus = _node_exporter_and_prometheus(project, start_service)
    _run(project).assert_outcomes(passed=2)
    project.makepyfile(shop=SHOP + UNTESTED, test_shop=TESTS + FAILING_TEST)
    _run(project).assert_outcomes(passed=2, failed=1)

    wait_until(
        lambda: _values(prometheus, f"pytest_test_failures_total{SELECTOR}") == [1.0],
        TIMEOUT,
        "Prometheus to scrape the failure count",
    )
    assert _values(prometheus, f"pytest_coverage_percent{SELECTOR}") == [
        _written(project, "pytest_coverage_percent")
    ]
    metrics = http_get(f"{node_exporter.url}/metrics").decode()
    assert re.search(r"^node_textfile_scrape_error 0$", metrics, re.M), metrics

    # Every dashboard panel finds its series, recording rules included.
    def empty_panels() -> list[str]:
        exprs = (
            expr.replace("$project", PROJECT).replace("$job", ".*").replace("$instance", ".*")
            for expr in dashboard_exprs()
        )
        return [expr for expr in exprs if not prometheus_query(prometheus, expr)]

    wait_until(lambda: not empty_panels(), TIMEOUT, "data in every dashboard panel")

    # The rules Prometheus loaded select only series that exist: the plugin's, the recording
    # rules' own and node_exporter's.
    scraped = {
        series["metric"]["__name__"] for series in prometheus_query(prometheus, '{job="node"}')
    }
    groups = http_json(f"{prometheus.url}/api/v1/rules")["data"]["groups"]
    selected = {
        name for group in groups for rule in group["rules"] for name in metric_names(rule["query"])
    }
    assert selected - scraped - recorded_names() == set()


def test_coverage_drop_fires_the_alert(
    project: pytest.Pytester, start_service: StartService
) -> None:
    _, prometheus = _node_exporter_and_prometheus(project, start_service)
    _run(project).assert_outcomes(passed=2)
    wait_until(
        lambda: _values(prometheus, f"pytest:coverage_percent:max1d{SELECTOR}") == [100.0],
        TIMEOUT,
        "the recording rule to see 100% coverage",
    )
    assert not _firing(prometheus, "PytestCoverageDropped")

    project.makepyfile(shop=SHOP + UNTESTED)
    _run(project).assert_outcomes(passed=2)
    wait_until(
        lambda: _firing(prometheus, "PytestCoverageDropped"),
        TIMEOUT,
        "PytestCoverageDropped to fire",
    )


def test_pushgateway_route_keeps_the_runners_labels(
    project: pytest.Pytester, start_service: StartService
) -> None:
    pushgateway = start_pushgateway(start_service)
    config = _monitoring(project, node_exporters=[], pushgateways=[pushgateway])
    prometheus = start_prometheus(start_service, config, project.path / "prometheus-data")
    project.makepyfile(test_shop=TESTS + FAILING_TEST)
    _run(project, f"--apytest-pushgateway={pushgateway.address}").assert_outcomes(
        passed=2, failed=1
    )

    grouping = {"job": "pytest", "instance": socket.gethostname(), "project": PROJECT}
    groups = http_json(f"{pushgateway.url}/api/v1/metrics")["data"]
    pushed = [group for group in groups if group["labels"] == grouping]
    assert pushed, groups
    failures = pushed[0]["pytest_test_failures_total"]["metrics"]
    assert [float(metric["value"]) for metric in failures] == [1.0]

    # honor_labels: Prometheus keeps the pushed job and instance, not the Pushgateway's.
    selector = ",".join(f'{name}="{value}"' for name, value in grouping.items())
    wait_until(
        lambda: _values(prometheus, f"pytest_test_failures_total{{{selector}}}") == [1.0],
        TIMEOUT,
        "Prometheus to scrape the pushed failure count",
    )


def _as_written(command: str, replacements: dict[str, str]) -> list[str]:
    """A command `apytest monitoring init` prints (the README's), with its ports and data
    folder replaced: the arguments after the program's name."""
    for old, new in replacements.items():
        command = command.replace(old, new)
    return shlex.split(command)[1:]


@pytest.mark.parametrize("route", ["textfile", "pushgateway", "both"])
def test_every_target_of_a_route_comes_up_as_written(
    route: str,
    project: pytest.Pytester,
    start_service: StartService,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`apytest monitoring init --route R` and the commands it prints (the README's), each with
    a free port: every target of the written prometheus.yml is up, none is missing."""
    directory = Path("monitoring")
    monkeypatch.chdir(project.path)  # the README's commands run from the project's root
    commands = {
        line.split()[0]: line
        for line in scaffold.commands(directory, route, scaffold.DEFAULT_ADDRESSES)
    }
    addresses: dict[str, str] = {}
    for job, binary, ready in (
        ("node", "prometheus-node-exporter", "/metrics"),
        ("pushgateway", "prometheus-pushgateway", "/-/ready"),
    ):
        if binary in commands:
            written, default = commands[binary], scaffold.DEFAULT_ADDRESSES[job]

            def arguments(address: str, line: str = written, default: str = default) -> list[str]:
                return _as_written(line, {default: address})

            service = start_service(binary, arguments, ready)
            addresses[job] = service.address
    flags = [
        f"--node-exporter={a}" if j == "node" else f"--pushgateway={a}"
        for j, a in addresses.items()
    ]
    assert cli.main(["monitoring", "init", "--route", route, *flags]) == 0
    config = directory / "prometheus.yml"
    # The one edit: scrape every second, so the test need not wait 30 s for a first scrape.
    config.write_text(re.sub(r"_interval: 30s", "_interval: 1s", config.read_text()))
    data = project.path.parent / f"{project.path.name}-prometheus-data"
    prometheus = start_service(
        "prometheus",
        lambda address: _as_written(
            commands["prometheus"],
            {scaffold.PROMETHEUS_ADDRESS: address, scaffold.PROMETHEUS_DATA: str(data)},
        ),
        "/-/ready",
    )

    def health() -> dict[str, str]:
        targets = http_json(f"{prometheus.url}/api/v1/targets")["data"]["activeTargets"]
        return {target["scrapePool"]: target["health"] for target in targets}

    jobs = dict.fromkeys(scaffold.ROUTES[route], "up")
    wait_until(lambda: health() == jobs, TIMEOUT, f"every target of {route} up: {jobs}")
