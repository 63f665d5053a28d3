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
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from apytest.feedback import http_client
from apytest.plugin.textformat import Family

USERNAME_VARIABLE = "APYTEST_PUSHGATEWAY_USERNAME"
PASSWORD_VARIABLE = "APYTEST_PUSHGATEWAY_PASSWORD"
DEADLINE_SECONDS = 5.0
"""The whole push (lookup, connect, send, reply), however slowly the gateway answers."""
MAX_REPLY_BYTES = 64 * 1024
"""A Pushgateway answers a push with an empty body or a one-line error."""


class PushFailed(Exception):
    """The push did not succeed; the message is one line naming the gateway and the reason."""


def _handler(
    url: str, method: str, timeout: float | None, headers: list[tuple[str, str]], data: bytes
) -> Callable[[], None]:
    """prometheus_client builds the URL and body; apytest's HTTP client sends them."""

    def send() -> None:
        sent = list(headers)
        username = os.environ.get(USERNAME_VARIABLE)
        if username:
            sent.append(http_client.basic_auth(username, os.environ.get(PASSWORD_VARIABLE, "")))
        try:
            reply = http_client.request(
                url,
                method=method,
                body=data,
                headers=sent,
                deadline=timeout or DEADLINE_SECONDS,
                max_body=MAX_REPLY_BYTES,
            )
        except http_client.HttpFailure as error:
            raise PushFailed(str(error)) from None
        if reply.status >= 400:
            detail = " ".join(reply.body.decode("utf-8", "replace").split())[:200]
            raise PushFailed(f"HTTP {reply.status} {reply.reason}: {detail}".rstrip(": "))

    return send


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
    """Push once within DEADLINE_SECONDS; raises PushFailed (unreachable, refused, too slow,
    not a Pushgateway, an HTTP error)."""
    registry = CollectorRegistry()
    registry.register(_Families(families))
    pushadd_to_gateway(
        address,
        job="pytest",
        registry=registry,
        grouping_key={"instance": instance, "project": project},
        timeout=DEADLINE_SECONDS,
        handler=_handler,
    )
