"""The shipped Grafana dashboard: importable JSON, templated, and about real series."""

from __future__ import annotations

import json
from typing import Any

import pytest
from monitoring_support import dashboard, dashboard_exprs, metric_names, recorded_names
from prometheus_client.parser import text_string_to_metric_families


def _panels() -> list[dict[str, Any]]:
    panels: list[dict[str, Any]] = dashboard()["panels"]
    return panels


def _variables() -> dict[str, dict[str, Any]]:
    return {variable["name"]: variable for variable in dashboard()["templating"]["list"]}


def test_importable_by_grafana() -> None:
    loaded = dashboard()
    # Grafana migrates dashboards from their schemaVersion; `id` must be null to import a copy.
    assert isinstance(loaded["schemaVersion"], int)
    assert loaded["schemaVersion"] >= 36
    assert loaded["id"] is None
    assert loaded["uid"]
    assert loaded["title"]
    ids = [panel["id"] for panel in _panels()]
    assert len(ids) == len(set(ids))
    for panel in _panels():
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]
        assert panel["targets"], panel["title"]


def test_grafana_import_asks_for_the_data_source() -> None:
    """`__inputs`: Grafana's import offers to pick the Prometheus data source."""
    [source] = dashboard()["__inputs"]
    assert (source["name"], source["type"], source["pluginId"]) == (
        "DS_PROMETHEUS",
        "datasource",
        "prometheus",
    )
    assert "${datasource}" not in json.dumps(dashboard())


def test_project_job_and_instance_variables() -> None:
    variables = _variables()
    assert list(variables) == ["project", "job", "instance"]
    for name, query in [
        ("project", "label_values(pytest_session_duration_seconds, project)"),
        ("job", 'label_values(pytest_session_duration_seconds{project=~"$project"}, job)'),
        (
            "instance",
            'label_values(pytest_session_duration_seconds{project=~"$project", job=~"$job"}, '
            "instance)",
        ),
    ]:
        variable = variables[name]
        assert variable["type"] == "query"
        assert variable["datasource"]["uid"] == "${DS_PROMETHEUS}"
        assert variable["query"]["query"] == query
        assert variable["multi"]
        assert variable["includeAll"]
        assert variable["allValue"] == ".*"


def test_every_query_uses_the_variables() -> None:
    selector = 'project=~"$project", job=~"$job", instance=~"$instance"'
    for panel in _panels():
        assert panel["datasource"]["uid"] == "${DS_PROMETHEUS}", panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${DS_PROMETHEUS}", panel["title"]
            assert selector in target["expr"], target["expr"]


@pytest.mark.parametrize(
    "fragment",
    [
        "rate(pytest_test_failures_total{",
        "pytest_session_duration_seconds{",
        "pytest_coverage_percent{",
        "histogram_quantile(0.9, ",
        "pytest_session_tests{",
    ],
)
def test_required_panel_is_there(fragment: str) -> None:
    assert any(fragment in expr for expr in dashboard_exprs())


@pytest.mark.slow
def test_panels_query_series_that_the_plugin_writes(pytester: pytest.Pytester) -> None:
    """Metric names checked against a real session's file, not against a list kept here."""
    pytester.makepyfile(
        shop="def add(a, b):\n    return a + b\n",
        test_shop="from shop import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
    )
    pytester.runpytest_subprocess("--cov=shop", "-p", "no:cacheprovider").assert_outcomes(passed=1)
    written = (pytester.path / "monitoring" / "pytest_metrics.prom").read_text()
    known = recorded_names() | {
        sample.name
        for family in text_string_to_metric_families(written)
        for sample in family.samples
    }
    for expr in dashboard_exprs():
        names = metric_names(expr)
        assert names, expr
        assert names <= known, expr
