"""The metrics textfile a session wrote, parsed with prometheus_client's own parser.

A module of its own, not the conftest, so that the tests can name what the ``read_metrics``
fixture gives them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

# The outcomes of the conftest's SUITE, one test each but two passes.
OUTCOMES = {"passed": 2, "failed": 1, "error": 1, "skipped": 1, "xfailed": 1, "xpassed": 1}


class Metrics:
    """The samples of a textfile, keyed by (name, labels); timestamps must be absent."""

    def __init__(self, path: Path) -> None:
        self.text = path.read_text(encoding="utf-8")
        self.samples: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
        for family in text_string_to_metric_families(self.text):
            for sample in family.samples:
                assert sample.timestamp is None, sample
                self.samples[sample.name, frozenset(sample.labels.items())] = sample.value

    def value(self, name: str, project: str = "demo", **labels: str) -> float:
        return self.samples[name, frozenset({"project": project, **labels}.items())]

    def has(self, name: str) -> bool:
        return any(sample_name == name for sample_name, _ in self.samples)

    def outcomes(self, project: str = "demo") -> dict[str, float]:
        return {
            outcome: self.value("pytest_session_tests", project, outcome=outcome)
            for outcome in OUTCOMES
        }


MetricsReader = Callable[[], Metrics]
"""What the ``read_metrics`` fixture gives: parse the textfile the last session wrote."""
