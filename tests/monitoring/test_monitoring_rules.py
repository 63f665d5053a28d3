"""The shipped Prometheus config and rules pass promtool, and every alert is unit-tested."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from monitoring_support import shipped_text

from apytest.monitoring import scaffold

ALERTS = {
    "PytestFailureSpike",
    "PytestCoverageLow",
    "PytestCoverageDropped",
    "PytestSessionSlower",
    "PytestMetricsStale",
}


@pytest.fixture
def promtool(require_binary: Callable[[str], Path], tmp_path: Path) -> Callable[..., str]:
    """Run promtool on a fresh `monitoring init` folder; return its output, fail on error.
    The folder's name needs escaping in the runbook URLs the rules and their tests hold."""
    directory = tmp_path / "my mönitoring"
    scaffold.init(directory)
    executable = require_binary("promtool")

    def run(*arguments: str) -> str:
        done = subprocess.run(
            [str(executable), *arguments],
            cwd=directory,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        output = done.stdout + done.stderr
        assert done.returncode == 0, output
        return output

    return run


def test_config_is_valid_with_its_targets_files(promtool: Callable[..., str]) -> None:
    # promtool only warns about a missing file_sd file; the shipped ones must be found.
    output = promtool("check", "config", "prometheus.yml")
    assert "WARNING" not in output
    assert "1 rule files found" in output


def test_rules_are_valid(promtool: Callable[..., str]) -> None:
    assert "SUCCESS" in promtool("check", "rules", "pytest_rules.yml")


@pytest.mark.slow
def test_rule_unit_tests_pass(promtool: Callable[..., str]) -> None:
    assert "SUCCESS" in promtool("test", "rules", "pytest_rules_test.yml")


def test_alerts_are_the_ones_the_failure_inventory_cites() -> None:
    assert set(re.findall(r"- alert: (\w+)", shipped_text("pytest_rules.yml"))) == ALERTS


def test_every_alert_is_tested_firing_and_staying_quiet() -> None:
    cases: dict[str, set[str]] = {alert: set() for alert in ALERTS}
    # Each alert test case starts with `- eval_time:` followed by its `alertname:`.
    for case in shipped_text("pytest_rules_test.yml").split("- eval_time:")[1:]:
        alert = re.search(r"alertname: (\w+)", case)
        if alert is not None:
            quiet = re.search(r"exp_alerts: \[\]", case) is not None
            cases[alert.group(1)].add("quiet" if quiet else "firing")
    assert cases == {alert: {"firing", "quiet"} for alert in ALERTS}


def test_every_recording_rule_has_an_expression_test() -> None:
    tests = shipped_text("pytest_rules_test.yml")
    recorded = re.findall(r"- record: (\S+)", shipped_text("pytest_rules.yml"))
    assert recorded
    assert [name for name in recorded if f"- expr: {name}" not in tests] == []


@pytest.mark.parametrize(
    ("alertname", "receiver"), [("PytestCoverageDropped", "apytest"), ("NodeDown", "null")]
)
def test_alertmanager_config_routes_the_pytest_alerts_to_the_receiver(
    require_binary: Callable[[str], Path], tmp_path: Path, alertname: str, receiver: str
) -> None:
    scaffold.init(tmp_path)
    amtool = str(require_binary("amtool"))
    check = subprocess.run(
        [amtool, "check-config", "alertmanager.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    route = subprocess.run(
        [
            amtool,
            "config",
            "routes",
            "test",
            "--config.file=alertmanager.yml",
            f"alertname={alertname}",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert route.stdout.strip() == receiver, route.stderr
    assert "url: http://127.0.0.1:9095/alerts" in shipped_text("alertmanager.yml")
