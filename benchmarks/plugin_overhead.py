"""What the apytest plugin costs: a suite run with it and without it (`-p no:apytest`).

Two scenarios: `green`, 3,000 trivial passing tests (budget 3%), and `red`, 6,000 tests of
which 300 fail (budget 5%: every failure is logged with its traceback, redacted, and stored
with its suggestion). Runs both variants alternately (so machine load hits both alike) 21
times by default and compares the medians of whole pytest processes: CPU time (user +
system, which waiting for a busy CPU does not inflate) is judged, wall time reported beside
it. Exits 1 when a ratio exceeds its budget.

Wall times on a shared machine swing between invocations, so `--instructions` also counts the
instructions of one run of each variant under valgrind's callgrind: deterministic, it shows
what a change to the plugin saves (the budget itself is on time: an instruction of the plugin's
costs more time than one of pytest's own loop). Before that run the corpus memory's stored
session times are set to the valgrind run's order of magnitude, or the review would (rightly)
report the slowed-down session as a slower session and measure that path instead of a green run.

    .venv/bin/python benchmarks/plugin_overhead.py [--scenario green|red|both] [--runs 21]
        [--tests N] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

TESTS_PER_FILE = 100
# name: (tests, of which failing, budget)
SCENARIOS = {"green": (3000, 0, 1.03), "red": (6000, 300, 1.05)}


def make_suite(root: Path, tests: int, failing: int = 0) -> None:
    """`tests` trivial tests; `failing` of them, spread evenly, fail with a message."""
    (root / "pyproject.toml").write_text('[project]\nname = "overhead"\n')
    every = tests // failing if failing else 0
    for start in range(0, tests, TESTS_PER_FILE):
        count = min(TESTS_PER_FILE, tests - start)
        body = "".join(
            f"def test_{n}():\n    assert {n} % 7 == 8, 'value {n} is off'\n\n"
            if every and n % every == every - 1
            else f"def test_{n}():\n    assert True\n\n"
            for n in range(start, start + count)
        )
        (root / f"test_trivial_{start // TESTS_PER_FILE}.py").write_text(body)


# As users run: with bytecode caches, even if the caller's shell disables them.
USER_ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(root: Path, extra: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system: no time spent waiting for a busy CPU)."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra]
    started, cpu = time.perf_counter(), _cpu_seconds()
    done = subprocess.run(command, cwd=root, stdout=subprocess.DEVNULL, env=USER_ENVIRONMENT)
    if done.returncode not in (0, 1):  # 1: the red scenario's failing tests
        raise SystemExit(f"pytest exited {done.returncode} in {root}")
    return time.perf_counter() - started, _cpu_seconds() - cpu


def instructions(root: Path, extra: list[str]) -> int:
    """Instructions of one pytest run under callgrind, from a memory whose runs look as slow."""
    memory = sqlite3.connect(root / ".apytest" / "memory.sqlite3")
    with memory:
        memory.execute("UPDATE runs SET duration = 100")
    memory.close()
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra]
    callgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    # A fixed hash seed: set and dict orders, and so the work done, are then the same each run.
    environment = {**USER_ENVIRONMENT, "PYTHONHASHSEED": "0"}
    result = subprocess.run(
        [*callgrind, *command], cwd=root, capture_output=True, text=True, env=environment
    )
    found = re.search(r"Collected\s*:\s*(\d+)", result.stderr)
    if result.returncode != 0 or found is None:
        raise SystemExit(f"callgrind run failed:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=(*SCENARIOS, "both"), default="both")
    parser.add_argument("--tests", type=int, help="tests of the scenario (default: its own)")
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--max-ratio", type=float, help="budget (default: the scenario's)")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions with callgrind instead"
    )
    args = parser.parse_args()
    names = list(SCENARIOS) if args.scenario == "both" else [args.scenario]
    status = 0
    for name in names:
        tests, failing, budget = SCENARIOS[name]
        tests = args.tests or tests
        failing = failing * tests // SCENARIOS[name][0]
        budget = args.max_ratio or budget
        if args.instructions:
            status |= count_instructions(tests, budget)
        else:
            status |= measure(name, tests, failing, args.runs, budget)
    return status


def measure(name: str, tests: int, failing: int, runs: int, budget: float) -> int:
    """Median CPU and wall time of `runs` alternating runs; 1 when CPU exceeds `budget`."""
    with tempfile.TemporaryDirectory(prefix="apytest-overhead-") as folder:
        root = Path(folder)
        make_suite(root, tests, failing)
        timed_run(root, [])  # warm the filesystem cache and the bytecode of both variants
        without, with_plugin = [], []
        for _ in range(runs):
            without.append(timed_run(root, ["-p", "no:apytest"]))
            with_plugin.append(timed_run(root, []))
        written = (root / "monitoring" / "pytest_metrics.prom").read_text()
    observed = next(
        sample.value
        for family in text_string_to_metric_families(written)
        for sample in family.samples
        if sample.name == "pytest_test_duration_seconds_count"
    )
    # The warm-up and every measured run with the plugin, each test once: it really ran.
    assert observed == (runs + 1) * tests, observed
    ratios = []
    print(f"{name}: {tests} trivial tests ({failing} failing), {runs} alternating runs, medians:")
    for index, what in enumerate(("wall time", "CPU time (user + system)")):
        median_without = statistics.median(run[index] for run in without)
        median_with = statistics.median(run[index] for run in with_plugin)
        ratios.append(median_with / median_without)
        print(
            f"  {what}: without apytest {median_without:.3f} s, with {median_with:.3f} s, "
            f"ratio {ratios[-1]:.3f} ({(ratios[-1] - 1) * 100:+.1f}%)"
        )
    print(f"  CPU-time ratio {ratios[1]:.3f}, budget {budget:.2f}")
    return 0 if ratios[1] <= budget else 1


def count_instructions(tests: int, max_ratio: float) -> int:
    with tempfile.TemporaryDirectory(prefix="apytest-overhead-") as folder:
        root = Path(folder)
        make_suite(root, tests)
        for _ in range(3):  # bytecode caches, and a history like a project's
            timed_run(root, [])
        without = instructions(root, ["-p", "no:apytest"])
        with_plugin = instructions(root, [])
    ratio = with_plugin / without
    print(f"{tests} trivial tests, one run each under callgrind, instructions:")
    print(f"  without apytest (-p no:apytest): {without:,}")
    print(f"  with apytest:                    {with_plugin:,}")
    print(f"  ratio: {ratio:.4f} ({(ratio - 1) * 100:+.2f}%), budget {max_ratio:.2f}")
    return 0 if ratio <= max_ratio else 1


if __name__ == "__main__":
    raise SystemExit(main())
