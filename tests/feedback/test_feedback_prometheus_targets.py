"""`apytest review --prometheus` reads the series of one target, never a mix, and says which.

The fake server holds project `demo` twice, as a Prometheus fed by both routes would: the
textfile route (job `node`, the node_exporter on localhost) with an old 10.7 s session, and the
Pushgateway route (job `pytest`, this host's name) with the last session, 3.99 s.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from http_serving import serving

from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback import metrics_source
from apytest.feedback.records import Run

TARGETS = {
    ("node", "localhost:9100"): {"duration": "10.7", "coverage": "80", "finished": "100"},
    ("pytest", socket.gethostname()): {"duration": "3.99", "coverage": "91", "finished": "200"},
}


class _TwoRoutes(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        result: list[dict[str, object]] = []
        for (job, instance), values in TARGETS.items():
            labels = {"project": "demo", "job": job, "instance": instance}
            for name, key in (
                ("pytest_session_duration_seconds", "duration"),
                ("pytest_coverage_percent", "coverage"),
                ("pytest_last_run_timestamp_seconds", "finished"),
            ):
                result.append({"metric": {"__name__": name, **labels}, "value": [1, values[key]]})
        data = json.dumps({"status": "success", "data": {"result": result}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def prometheus() -> Iterator[str]:
    with serving(HTTPServer(("127.0.0.1", 0), _TwoRoutes)) as url:
        yield url


@pytest.mark.slow
def test_the_target_whose_session_finished_last_is_read_alone(prometheus: str) -> None:
    metrics = metrics_source.from_prometheus(prometheus, "demo")
    assert (metrics.session_duration, metrics.coverage) == (3.99, 91.0)
    assert f"job=pytest, instance={socket.gethostname()}" in metrics.source
    assert "also there: job=node, instance=localhost:9100" in metrics.source


@pytest.mark.parametrize(
    ("selection", "duration"),
    [
        ({"instance": "localhost:9100"}, 10.7),
        ({"instance": "localhost"}, 10.7),
        ({"job": "node"}, 10.7),
    ],
)
def test_instance_and_job_choose_the_target(
    prometheus: str, selection: dict[str, str], duration: float
) -> None:
    metrics = metrics_source.from_prometheus(
        prometheus, "demo", instance=selection.get("instance"), job=selection.get("job")
    )
    assert (metrics.session_duration, metrics.coverage) == (duration, 80.0)


@pytest.mark.slow
def test_the_command_says_which_target_and_refuses_an_unknown_one(
    prometheus: str, memory: Path, apytest_cli: Callable[..., tuple[int, str, str]]
) -> None:
    memory_api.log_run(Run("demo", 0.0, 1.0, 1.0, 0, instance="ci-9"), memory=memory)
    code, _, err = apytest_cli("review", "--prometheus", prometheus, "--job", "node")
    assert code == 0, err
    assert "metrics from" in err
    assert "(job=node, instance=localhost:9100" in err
    code, out, err = apytest_cli("review", "--prometheus", prometheus, "--instance", "ci-9")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert "no series of project demo with job=*, instance=ci-9" in err
    # --instance chooses the run to review too: ci-8 recorded none.
    code, out, err = apytest_cli("review", "--prometheus", prometheus, "--instance", "ci-8")
    assert (code, out) == (1, "")
    assert err == f"apytest review: no run of instance ci-8 recorded in {memory}\n"
