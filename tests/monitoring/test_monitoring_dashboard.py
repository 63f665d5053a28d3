"""The shipped Grafana dashboard: importable JSON, templated, and about real series."""

from __future__ import annotations

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


def test_datasource_and_project_variables() -> None:
    variables = _variables()
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    project = variables["project"]
    assert project["type"] == "query"
    assert project["datasource"]["uid"] == "${datasource}"
    assert project["query"]["query"] == "label_values(pytest_session_duration_seconds, project)"
    assert project["multi"]
    assert project["includeAll"]


def test_every_query_uses_the_variables() -> None:
    for panel in _panels():
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${datasource}", panel["title"]
            assert 'project=~"$project"' in target["expr"], target["expr"]


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
