"""What the apytest plugin costs: 3,000 trivial tests with it and without it (`-p no:apytest`).

Runs both variants alternately (so machine load hits both alike) several times in one
invocation and compares the medians of the wall times of whole pytest processes. Exits 1 when
the ratio exceeds --max-ratio (the plugin's budget is 5%).

Wall times on a shared machine swing between invocations, so `--instructions` also counts the
instructions of one run of each variant under valgrind's callgrind: deterministic, it shows
what a change to the plugin saves (the budget itself is on time: an instruction of the plugin's
costs more time than one of pytest's own loop). Before that run the corpus memory's stored
session times are set to the valgrind run's order of magnitude, or the review would (rightly)
report the slowed-down session as a slower session and measure that path instead of a green run.

    .venv/bin/python benchmarks/plugin_overhead.py [--tests 3000] [--runs 21] [--instructions]
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


def make_suite(root: Path, tests: int) -> None:
    (root / "pyproject.toml").write_text('[project]\nname = "overhead"\n')
    for start in range(0, tests, TESTS_PER_FILE):
        count = min(TESTS_PER_FILE, tests - start)
        body = "".join(f"def test_{start + i}():\n    assert True\n\n" for i in range(count))
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
    subprocess.run(command, cwd=root, check=True, stdout=subprocess.DEVNULL, env=USER_ENVIRONMENT)
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
    parser.add_argument("--tests", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--max-ratio", type=float, default=1.05)
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions with callgrind instead"
    )
    args = parser.parse_args()
    if args.instructions:
        return count_instructions(args.tests, args.max_ratio)
    with tempfile.TemporaryDirectory(prefix="apytest-overhead-") as folder:
        root = Path(folder)
        make_suite(root, args.tests)
        timed_run(root, [])  # warm the filesystem cache and the bytecode of both variants
        without, with_plugin = [], []
        for _ in range(args.runs):
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
    assert observed == (args.runs + 1) * args.tests, observed
    ratio = 0.0
    print(f"{args.tests} trivial tests, {args.runs} runs each, medians:")
    for index, measure in enumerate(("wall time", "CPU time (user + system)")):
        median_without = statistics.median(run[index] for run in without)
        median_with = statistics.median(run[index] for run in with_plugin)
        ratio = ratio or median_with / median_without
        print(
            f"  {measure}: without apytest {median_without:.3f} s, with {median_with:.3f} s, "
            f"ratio {median_with / median_without:.3f}"
        )
    print(f"wall-time ratio {ratio:.3f} ({(ratio - 1) * 100:+.1f}%), budget {args.max_ratio:.2f}")
    return 0 if ratio <= args.max_ratio else 1


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
