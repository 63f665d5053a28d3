"""Which runner a run came from, and which runs a Prometheus `instance` label stands for.

A run's instance is the runner's name: the ini setting `apytest_instance` (`--apytest-instance`),
else the host name. The plugin pushes it as the Pushgateway group's `instance` label and the
corpus memory stores it with each run. On the textfile route Prometheus labels the series with
the node_exporter's address instead (`ci-1:9100`, `127.0.0.1:9100`), which no session can know;
so a label stands for the runs stored under itself, under its host without the port, and, for a
loopback host, under this machine's name (node_exporter and the receiver of the alert then run
on the machine whose sessions wrote the textfile).
"""

from __future__ import annotations

import socket

LOOPBACK = ("localhost", "127.0.0.1", "::1", "[::1]")


def default_instance() -> str:
    """The instance of a run on this machine when none is configured: the host name."""
    return socket.gethostname()


def host(label: str) -> str:
    """`ci-1` of `ci-1:9100`, `::1` of `[::1]:9100`; a label without a port unchanged (a bare
    IPv6 address has several colons and no port)."""
    if label.startswith("["):
        return label[1:].partition("]")[0]
    name, colon, port = label.rpartition(":")
    return name if colon and port.isdigit() and ":" not in name else label


def runner_names(label: str) -> tuple[str, ...]:
    """The stored instances the `instance` label `label` stands for (see the module)."""
    found = dict.fromkeys([label, host(label)])
    if host(label) in LOOPBACK:
        found[default_instance()] = None
    return tuple(name for name in found if name)
