"""What the apytest plugin costs: 3,000 trivial tests with it and without it (`-p no:apytest`).

Runs both variants alternately (so machine load hits both alike) several times in one
invocation and compares the medians of the wall times of whole pytest processes. Exits 1 when
the ratio exceeds --max-ratio (the plugin's budget is 5%).

    .venv/bin/python benchmarks/plugin_overhead.py [--tests 3000] [--runs 11]
"""

from __future__ import annotations

import argparse
import os
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


def wall_time(root: Path, extra: list[str]) -> float:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra]
    started = time.perf_counter()
    subprocess.run(command, cwd=root, check=True, stdout=subprocess.DEVNULL, env=USER_ENVIRONMENT)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--max-ratio", type=float, default=1.05)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="apytest-overhead-") as folder:
        root = Path(folder)
        make_suite(root, args.tests)
        wall_time(root, [])  # warm the filesystem cache and the bytecode of both variants
        without, with_plugin = [], []
        for _ in range(args.runs):
            without.append(wall_time(root, ["-p", "no:apytest"]))
            with_plugin.append(wall_time(root, []))
        written = (root / "monitoring" / "pytest_metrics.prom").read_text()
    observed = next(
        sample.value
        for family in text_string_to_metric_families(written)
        for sample in family.samples
        if sample.name == "pytest_test_duration_seconds_count"
    )
    # The warm-up and every measured run with the plugin, each test once: it really ran.
    assert observed == (args.runs + 1) * args.tests, observed
    median_without = statistics.median(without)
    median_with = statistics.median(with_plugin)
    ratio = median_with / median_without
    print(f"{args.tests} trivial tests, {args.runs} runs each, median wall time:")
    print(f"  without apytest (-p no:apytest): {median_without:.3f} s")
    print(f"  with apytest:                    {median_with:.3f} s")
    print(f"  ratio: {ratio:.3f} ({(ratio - 1) * 100:+.1f}%), budget {args.max_ratio:.2f}")
    return 0 if ratio <= args.max_ratio else 1


if __name__ == "__main__":
    raise SystemExit(main())
