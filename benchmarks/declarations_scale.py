"""How apytest-lint's time grows with the number of declared dependencies (issue 14).

    python benchmarks/declarations_scale.py [--sizes 1000 10000 100000] [--runs 3]

Writes, in a temporary folder, a project whose ``pyproject.toml`` declares N distinct
requirements (one per line) and one test module, and times a whole ``apytest-lint --no-cache``
process with the dependency rules selected (APT101, APT102, APT301: every declaration is read,
located and reported). Prints the median wall time per size and the time per declaration
above the smallest size's: flat when the reading is linear.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LINT = Path(sys.executable).with_name("apytest-lint")


def write_project(root: Path, size: int) -> None:
    deps = "".join(f'    "package-{i}>=1.{i}",\n' for i in range(size))
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "big"\ndependencies = [\n{deps}]\n', encoding="utf-8"
    )
    (root / "tests").mkdir()
    (root / "tests" / "test_a.py").write_text("import pytest\n", encoding="utf-8")


def time_lint(root: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [str(LINT), "--no-cache", "-q", "--select", "APT101,APT102,APT301", "tests"],
            cwd=root,
            capture_output=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            root = Path(folder) / str(size)
            root.mkdir()
            write_project(root, size)
            results.append((size, time_lint(root, args.runs)))
    base_size, base_time = results[0]
    print("| declarations | wall (median) | per extra declaration |")
    print("| --- | --- | --- |")
    for size, wall in results:
        extra = (wall - base_time) / (size - base_size) * 1e6 if size > base_size else 0.0
        per = f"{extra:.0f} µs" if size > base_size else "-"
        print(f"| {size:,} | {wall:.2f} s | {per} |")


if __name__ == "__main__":
    main()
