"""What the corpus memory costs as its history grows, on SQLite and on a local PostgreSQL.

For each backend and each size (10, 1,000 and 10,000 stored runs of a 3,000-test project,
per-test results kept for the last 30 as the retention policy leaves them, with failures and
suggestions), measures the medians of:

- `write`: the session-end write of a 3,000-test run with 20 failures and 20 suggestions
  (`corpus_memory_logging.log_run`: connect, one transaction, retention, commit), the cost
  every session pays and which must not grow with the history;
- `plugin read`: the history the plugin's review reads before it (`history` with `focus`: the
  10 previous runs, per-test records of the tests that did not pass);
- `review read`: what `apytest review` reads (the last run with its 3,000 results, and the
  whole window's per-test history).

Then checks the retention policy on each: per-test results only for the last 30 runs.
PostgreSQL: a throwaway server (Debian's binaries, as the tests start one) unless `--url`
names a database (which must be empty; PGPASSWORD etc. for its password).

    .venv/bin/python benchmarks/memory_scale.py [--sizes 10,1000,10000] [--repeat 7]
        [--backend sqlite,postgresql] [--url postgresql://...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from apytest.common.memory_location import MemoryLocation, is_url
from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback import store, trends
from apytest.feedback.records import Failure, Run, Suggestion, TestResult

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import postgres_server

TESTS = 3000
FAILING = 20
PROJECT = "fleet"


def session(number: int) -> tuple[Run, list[Suggestion]]:
    """A 3,000-test run with FAILING failures (the same tests each time) and a suggestion for
    each."""
    failing = {f"tests/test_{i % 30}.py::test_{i}" for i in range(0, TESTS, TESTS // FAILING)}
    results = tuple(
        TestResult(
            f"tests/test_{i % 30}.py::test_{i}",
            "failed" if f"tests/test_{i % 30}.py::test_{i}" in failing else "passed",
            0.001 * (i % 50),
        )
        for i in range(TESTS)
    )
    failures = tuple(
        Failure(nodeid, "call", "AssertionError", f"assert {number} == 0", nodeid.split("::")[0], 3)
        for nodeid in sorted(failing)
    )
    suggestions = [
        Suggestion(f"{nodeid}: look at it", "flaky-tests", f"sig-{nodeid}", "failure", nodeid)
        for nodeid in sorted(failing)
    ]
    start = 1_700_000_000.0 + 600 * number
    return Run(PROJECT, start, start + 60, 60.0, 1, 81.5, results, failures), suggestions


def fill(memory: MemoryLocation, runs: int) -> None:
    """`runs` stored runs as a long history leaves them: every run row, per-test results for
    the last RESULT_RUNS_KEPT, failures and suggestions. Written in bulk (storing 10,000
    sessions one by one would take hours): the same rows the sessions would have left."""
    template, suggestions = session(0)
    with store.open_store(memory) as writer, writer.transaction():
        writer.executemany(
            "INSERT INTO runs (id, project, started_at, finished_at, duration, exit_status,"
            " coverage, tests, failed, outcomes, workspace, kind)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')",
            (
                (
                    number,
                    PROJECT,
                    template.started_at + 600 * number,
                    template.finished_at + 600 * number,
                    60.0,
                    1,
                    81.5,
                    TESTS,
                    FAILING,
                    json.dumps(dict(template.outcomes), sort_keys=True),
                    '{"new_files": [], "changed_env": [], "changed_cwd": ""}',
                )
                for number in range(1, runs + 1)
            ),
        )
        for number in range(max(1, runs - store.RESULT_RUNS_KEPT + 1), runs + 1):
            writer.add_results(
                number, ((r.nodeid, r.outcome, r.duration) for r in template.results)
            )
        for number in range(1, runs + 1):
            writer.add_failures(template.failures, number, template.finished_at + 600 * number)
        for number in range(1, runs + 1, max(1, runs // 100)):  # a suggestion's 100 sightings
            writer.add_suggestions(
                suggestions, PROJECT, number, template.finished_at + 600 * number
            )
        writer.ids_copied(["runs", "test_failures", "suggestions"])
    if is_url(memory):  # as autovacuum does after such a change: the planner's statistics
        with store.open_store(memory) as analyzed:
            analyzed.execute("ANALYZE")


def timed(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of `action` in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(memory: MemoryLocation, stored: int, repeat: int) -> dict[str, float]:
    fill(memory, stored)
    number = iter(range(stored + 1, stored + 1 + 10 * repeat))
    run, suggestions = session(stored + 1)

    def write() -> None:
        memory_api.log_run(session(next(number))[0], suggestions, memory=memory)

    def plugin_read() -> None:
        memory_api.history(PROJECT, focus=trends.focus(run.results), memory=memory)

    def review_read() -> None:
        last = memory_api.last_run(PROJECT, memory=memory)
        if last is None or len(last.results) != TESTS:
            raise SystemExit(f"{memory}: the last run lost its results")
        memory_api.history(PROJECT, before=last.id, memory=memory)

    figures = {
        "write": timed(write, repeat),
        "plugin read": timed(plugin_read, repeat),
        "review read": timed(review_read, repeat),
    }
    # The retention policy: per-test results for the last RESULT_RUNS_KEPT runs only.
    with store.open_store(memory) as reader:
        kept = sorted(row["run_id"] for row in reader.query("SELECT DISTINCT run_id FROM results"))
    newest = memory_api.runs(PROJECT, limit=store.RESULT_RUNS_KEPT, memory=memory)
    if kept != sorted(past.id for past in newest):
        raise SystemExit(f"{memory}: retention broken: results kept for {len(kept)} runs")
    figures["runs with results"] = len(kept)
    return figures


@contextmanager
def memories(backend: str, url: str | None) -> Iterator[Callable[[], MemoryLocation]]:
    """A factory of new, empty memories of `backend`."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            count = iter(range(1000))
            yield lambda: Path(folder) / f"memory{next(count)}.sqlite3"
        return
    if url is not None:
        yield lambda: url
        return
    binaries = postgres_server.binaries()
    if binaries is None:
        raise SystemExit(f"no PostgreSQL binaries: {postgres_server.INSTALL}, or give --url")
    os.environ["PGPASSWORD"] = postgres_server.PASSWORD
    server = postgres_server.start(binaries)
    try:
        yield lambda: server.url(server.new_database())
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,1000,10000")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--backend", default="sqlite,postgresql")
    parser.add_argument("--url", help="an empty PostgreSQL database to use (one size only)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(
        f"{'backend':<11} {'stored runs':>11} {'write ms':>9} {'plugin read ms':>15}"
        f" {'review read ms':>15}  retention"
    )
    for backend in args.backend.split(","):
        with memories(backend, args.url) as new_memory:
            for stored in sizes:
                figures = measure(new_memory(), stored, args.repeat)
                kept = figures["runs with results"]
                print(
                    f"{backend:<11} {stored:>11,} {figures['write']:>9.1f}"
                    f" {figures['plugin read']:>15.1f} {figures['review read']:>15.1f}"
                    f"  results of the last {kept:.0f} runs",
                    flush=True,
                )


if __name__ == "__main__":
    main()
