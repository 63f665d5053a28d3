"""One push of the session's metrics to a Pushgateway.

`pushadd` (POST) replaces only the pushed metric names in the group, so nothing else in it is
lost. The group is `job="pytest"`, a stable `instance` (the runner, never a per-run id, or the
gateway would keep one group per run forever) and the `project` (two projects tested on one
runner would otherwise replace each other's series). Credentials come from the environment,
never the command line, where every user of the machine can read them in the process list.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from prometheus_client import CollectorRegistry, pushadd_to_gateway
from prometheus_client.exposition import basic_auth_handler, default_handler
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from apytest.plugin.textformat import Family

USERNAME_VARIABLE = "APYTEST_PUSHGATEWAY_USERNAME"
PASSWORD_VARIABLE = "APYTEST_PUSHGATEWAY_PASSWORD"
TIMEOUT_SECONDS = 5.0

Handler = Callable[[str, str, float | None, list[tuple[str, str]], bytes], Callable[[], None]]


def _handler() -> Handler:
    username = os.environ.get(USERNAME_VARIABLE)
    if not username:
        return default_handler

    def with_credentials(
        url: str, method: str, timeout: float | None, headers: list[tuple[str, str]], data: bytes
    ) -> Callable[[], None]:
        password = os.environ.get(PASSWORD_VARIABLE, "")
        return basic_auth_handler(url, method, timeout, headers, data, username, password)

    return with_credentials


class _Families(Collector):
    """The session's families as prometheus_client metrics, exactly as they are."""

    def __init__(self, families: list[Family]) -> None:
        self._metrics = []
        for family in families:
            # prometheus_client names a counter's family without `_total`, and adds it back.
            counter = family.kind == "counter"
            name = family.name.removesuffix("_total") if counter else family.name
            metric = Metric(name, family.help, family.kind)
            for sample in family.samples:
                metric.add_sample(sample.name, dict(sample.labels), sample.value)
            self._metrics.append(metric)

    def collect(self) -> list[Metric]:
        return self._metrics


def push(address: str, families: list[Family], instance: str, project: str) -> None:
    """Push once; raises OSError (unreachable, refused, HTTP error) or ValueError (bad address)."""
    registry = CollectorRegistry()
    registry.register(_Families(families))
    pushadd_to_gateway(
        address,
        job="pytest",
        registry=registry,
        grouping_key={"instance": instance, "project": project},
        timeout=TIMEOUT_SECONDS,
        handler=_handler(),
    )
