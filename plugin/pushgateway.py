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


def push(address: str, registry: CollectorRegistry, instance: str, project: str) -> None:
    """Push once; raises OSError (unreachable, refused, HTTP error) or ValueError (bad address)."""
    pushadd_to_gateway(
        address,
        job="pytest",
        registry=registry,
        grouping_key={"instance": instance, "project": project},
        timeout=TIMEOUT_SECONDS,
        handler=_handler(),
    )
