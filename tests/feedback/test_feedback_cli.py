"""`apytest review`, `history`, `archive` and `inventory` on a memory that real sessions wrote."""

from __future__ import annotations

import json
import socket
import tarfile
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from http_serving import serving

from apytest.feedback import inventory

Cli = Callable[..., tuple[int, str, str]]

SUITE = """

def test_ok():
    pass

def test_missing():
    import apytest_demo_mlpkg

def test_prints_secret():
    print("DB_PASSWORD=hunter2")
    assert False
"""


@pytest.fixture
def two_runs(project: pytest.Pytester) -> pytest.Pytester:
    project.makepyfile(test_suite=SUITE)
    project.runpytest()
    project.runpytest()
    return project


@pytest.mark.slow
def test_history_lists_the_runs(two_runs: pytest.Pytester, apytest_cli: Cli) -> None:
    code, out, _ = apytest_cli("history", "--format", "json")
    assert code == 0
    runs = json.loads(out)
    assert [run["id"] for run in runs] == [2, 1]
    for run in runs:
        assert (run["project"], run["tests"], run["failed"], run["exit_status"]) == (
            "demo",
            3,
            2,
            1,
        )
        assert run["outcomes"] == {"passed": 1, "failed": 2}
        assert run["coverage"] is None
        assert run["instance"] == socket.gethostname()  # apytest_instance's default
        assert run["duration"] > 0
    code, out, _ = apytest_cli("history")
    assert code == 0
    assert out.splitlines()[1].split()[:2] == ["2", runs[0]["finished_at"]]


@pytest.mark.slow
def test_review_prints_the_last_runs_suggestions(
    two_runs: pytest.Pytester, apytest_cli: Cli
) -> None:
    code, out, _ = apytest_cli("review", "--format", "json")
    assert code == 0
    [suggestion] = json.loads(out)
    assert suggestion["nodeid"] == "test_suite.py::test_missing"
    assert suggestion["lesson"] == "apytest lesson optional-dependencies"
    code, out, _ = apytest_cli("review")
    assert out.startswith("run 2 of demo: 1 suggestion(s)")


def test_review_of_an_instance_reviews_its_last_run(
    project: pytest.Pytester, apytest_cli: Cli
) -> None:
    """Runner ci-1 fails, ci-2 passes after it: `--instance` names the runner by its name or
    by the node_exporter address Prometheus labels it with."""
    project.makepyfile(test_suite=SUITE)
    project.runpytest("--apytest-instance=ci-1")
    project.makepyfile(test_suite="def test_ok():\n    pass\n")
    project.runpytest("--apytest-instance=ci-2")

    def nodeids(*args: str) -> list[object]:
        code, out, err = apytest_cli("review", "--format", "json", *args)
        assert code == 0, err
        return [suggestion["nodeid"] for suggestion in json.loads(out)]

    assert "test_suite.py::test_missing" not in nodeids()
    assert nodeids("--instance", "ci-1") == ["test_suite.py::test_missing"]
    assert nodeids("--instance", "ci-1:9100") == ["test_suite.py::test_missing"]
    assert "test_suite.py::test_missing" not in nodeids("--instance", "ci-2")


def test_review_without_runs_says_so(
    project: pytest.Pytester, memory: Path, apytest_cli: Cli
) -> None:
    from apytest.feedback.store_sqlite import SqliteStore

    memory.parent.mkdir()
    with SqliteStore(memory):  # a memory without runs (one that does not exist is an error)
        pass
    code, _, err = apytest_cli("review")
    assert code == 1
    assert "no run recorded" in err


def test_suggestions_of_a_corrupt_memory_is_one_line(
    project: pytest.Pytester, memory: Path, apytest_cli: Cli
) -> None:
    memory.parent.mkdir()
    memory.write_bytes(b"garbage" * 100)
    code, out, err = apytest_cli("suggestions")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert "not a usable corpus memory" in err


class _Prometheus(BaseHTTPRequestHandler):
    """Answers /api/v1/query like Prometheus, for project `demo`."""

    queries: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.queries.append(self.path)
        sample = {"project": "demo", "job": "pytest"}
        body = {
            "status": "success",
            "data": {
                "resultType": "vector",
                "result": [
                    {
                        "metric": {"__name__": "pytest_coverage_percent", **sample},
                        "value": [1, "71.5"],
                    },
                    {
                        "metric": {"__name__": "pytest_session_duration_seconds", **sample},
                        "value": [1, "3.5"],
                    },
                ],
            },
        }
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def prometheus() -> Iterator[str]:
    with serving(HTTPServer(("127.0.0.1", 0), _Prometheus)) as url:
        yield url


def test_review_reads_metrics_from_prometheus(
    project: pytest.Pytester, memory: Path, apytest_cli: Cli, prometheus: str
) -> None:
    from apytest.feedback import corpus_memory_logging as memory_api
    from apytest.feedback.records import Run

    for coverage in (90.0, 92.0):
        memory_api.log_run(Run("demo", 0.0, 1.0, 1.0, 0, coverage=coverage), memory=memory)
    memory_api.log_run(Run("demo", 0.0, 1.0, 1.0, 0), memory=memory)
    code, out, err = apytest_cli("review", "--prometheus", prometheus, "--format", "json")
    assert code == 0, err
    [drop] = json.loads(out)
    assert drop["lesson"] == "apytest lesson coverage-regression"
    assert "coverage fell to 71.5% from 92.0%" in drop["text"]
    assert 'project="demo"' in _Prometheus.queries[-1].replace("%22", '"').replace("%3D", "=")


@pytest.mark.slow
def test_archive_holds_the_run_and_nothing_else(
    two_runs: pytest.Pytester, apytest_cli: Cli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = two_runs.path
    outside = tmp_path_factory.mktemp("outside")
    (outside / "id_rsa").write_text("PRIVATE")
    (root / "htmlcov").mkdir()
    (root / "htmlcov" / "index.html").write_text("<html>coverage</html>")
    (root / "htmlcov" / "escape").symlink_to(outside, target_is_directory=True)
    (root / "logs" / "linked.log").symlink_to(outside / "id_rsa")
    (root / "logs" / ".env").write_text("DB_PASSWORD=hunter2\n")
    (root / ".env").write_text("DB_PASSWORD=hunter2\n")
    output = root / "failure-artifacts.tar.gz"
    code, _, err = apytest_cli("archive")
    assert code == 0, err
    with tarfile.open(output) as tar:
        members = {m.name: m for m in tar.getmembers()}
        assert sorted(members) == [  # htmlcov/ is source code: never packed
            "apytest-run.json",
            "logs/pytest.log",
            "logs/pytest.log.1",  # the first run's log, kept by default
            "monitoring/pytest_metrics.prom",
        ]
        assert all(m.isfile() for m in members.values())
        contents = {name: tar.extractfile(m).read().decode() for name, m in members.items()}  # type: ignore[union-attr]
    assert "test_prints_secret" in contents["logs/pytest.log"]
    assert "hunter2" not in "".join(contents.values())
    assert "pytest_session_duration_seconds" in contents["monitoring/pytest_metrics.prom"]
    export = json.loads(contents["apytest-run.json"])
    assert export["run"]["id"] == 2
    assert {f["nodeid"] for f in export["failures"]} == {
        "test_suite.py::test_missing",
        "test_suite.py::test_prints_secret",
    }
    [suggestion] = export["suggestions"]
    assert (suggestion["nodeid"], suggestion["count"]) == ("test_suite.py::test_missing", 2)


@pytest.mark.slow
def test_inventory_writes_and_updates_its_section(
    two_runs: pytest.Pytester, apytest_cli: Cli
) -> None:
    target = two_runs.path / "testing" / "recorded_failures.md"
    target.parent.mkdir()
    target.write_text("# Our lessons\n\nKeep this paragraph.\n")
    code, out, _ = apytest_cli("inventory")
    assert code == 0
    assert "2 failure signature(s) from 4 recorded failure(s)" in out
    text = target.read_text()
    assert text.startswith("# Our lessons\n\nKeep this paragraph.\n")
    assert "### `ModuleNotFoundError: No module named 'apytest_demo_mlpkg'`" in text
    assert "- **Count**: 2" in text
    assert "`test_suite.py::test_missing` (2)" in text
    assert "apytest lesson optional-dependencies" in text
    two_runs.runpytest()
    apytest_cli("inventory")
    again = target.read_text()
    assert again.count(inventory.BEGIN) == 1
    assert "- **Count**: 3" in again
    assert again.startswith("# Our lessons\n\nKeep this paragraph.\n")
