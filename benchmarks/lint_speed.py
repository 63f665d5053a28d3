"""How fast apytest-lint is, next to the tools users would pick instead, on real test suites.

    python benchmarks/lint_speed.py [--runs 3] [--slow-runs 1] [--corpus pandas ...]

Fetches pinned PyPI releases that ship their tests (pandas' and scikit-learn's wheels, pytest's
sdist) into ``benchmarks/.cache/``, builds a separate virtualenv there with pinned Fixit,
flake8 + flake8-pytest-style, ruff and deptry, and times on the same files in one run:

- ``ast.parse`` of exactly the files apytest-lint reads, in one process (the floor), and the
  same with Python's cycle collector off, as apytest-lint runs its analysis (a syntax tree has
  no reference cycles), to show what that alone is worth;
- apytest-lint cold (``--no-cache``) on one process and with its default parallelism, warm
  (second run, nothing changed) and with one file changed;
- the other tools on the same test folder.

Reports medians of wall and CPU time (user + system of every process), their ratios to the
parse-only floor, lines per second and the peak memory of any process, and writes the table into
``benchmarks/README.md``. On a shared machine CPU time is the figure to trust: wall time there
includes waiting for a core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from corpora import CACHE, PROJECTS, Project, machine, prepare, write_results

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
TOOLS = (
    "fixit==2.2.1",
    "flake8==7.5.0",
    "flake8-pytest-style==2.2.0",
    "ruff==0.17.6",
    "deptry==0.25.1",
)
SLOW_TOOLS = frozenset({"Fixit (default rules)", "flake8 + flake8-pytest-style (PT)"})


BENCHMARKED = ("pytest", "scikit-learn", "pandas")
"""The corpora of ``corpora.PROJECTS`` timed here: three sizes, for lines/s and scaling."""

# Wall time, and CPU time (user + system) and peak RSS of the command and every process it
# waited for (apytest-lint's workers included). CPU time is what a loaded machine distorts least.
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "wall = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)\n"
)
PARSE_ONLY = (
    "import ast, sys\n"
    "for path in open(sys.argv[1]).read().splitlines():\n"
    "    with open(path, 'rb') as handle:\n"
    "        try:\n"
    "            ast.parse(handle.read())\n"
    "        except (SyntaxError, ValueError):\n"
    "            pass\n"
)


def tools_venv() -> Path:
    venv = CACHE / "tools"
    if not (venv / "bin" / "ruff").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *TOOLS], check=True)
    return venv / "bin"


# As users run: with bytecode caches, even if the caller's shell disables them.
USER_ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS in MB of one run of ``command``."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        env=USER_ENVIRONMENT,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]) // 1024


@dataclass
class Row:
    tool: str
    seconds: float
    cpu: float
    peak_mb: int


def timed(tool: str, command: list[str], cwd: Path, runs: int, before: object = None) -> Row:
    samples: list[tuple[float, float, int]] = []
    for _ in range(runs):
        if callable(before):
            before()
        samples.append(measure(command, cwd))
    return Row(
        tool,
        statistics.median(s[0] for s in samples),
        statistics.median(s[1] for s in samples),
        max(s[2] for s in samples),
    )


def linted_files(tests: Path) -> list[Path]:
    from apytest.lint.runner import run_lint

    result = run_lint([tests], use_cache=False, select=["APT001"])
    return [result.root / f.path for f in result.files]


def bench_corpus(
    corpus: Project, tools: Path, runs: int, slow_runs: int
) -> tuple[list[Row], int, int]:
    """Every row for one corpus; ``slow_runs`` 0 leaves out Fixit and flake8."""
    root = prepare(corpus)
    tests = root / corpus.tests
    files = linted_files(tests)
    listing = CACHE / f"{corpus.name}.files"
    listing.write_text("\n".join(map(str, files)))
    lines = sum(len(p.read_bytes().splitlines()) for p in files)
    lint = str(Path(sys.executable).with_name("apytest-lint"))
    changed = files[len(files) // 2]
    original = changed.read_bytes()
    counter = iter(range(10**6))

    def change_one_file() -> None:
        changed.write_bytes(original + f"\n# benchmark edit {next(counter)}\n".encode())

    rows = [
        timed(
            "ast.parse only, one process",
            [sys.executable, "-c", PARSE_ONLY, str(listing)],
            root,
            runs,
        ),
        timed(
            "ast.parse only, one process, cycle collector off",
            [sys.executable, "-c", "import gc; gc.disable()\n" + PARSE_ONLY, str(listing)],
            root,
            runs,
        ),
        timed(
            "apytest-lint cold, --jobs 1",
            [lint, "--no-cache", "--jobs", "1", str(tests)],
            root,
            runs,
        ),
        timed("apytest-lint cold, default jobs", [lint, "--no-cache", str(tests)], root, runs),
    ]
    subprocess.run([lint, str(tests)], cwd=root, capture_output=True, check=False)
    rows.append(timed("apytest-lint warm (nothing changed)", [lint, str(tests)], root, runs))
    try:
        rows.append(
            timed("apytest-lint, one file changed", [lint, str(tests)], root, runs, change_one_file)
        )
    finally:
        changed.write_bytes(original)
    others = [
        (
            "ruff --select PT --no-cache",
            [
                str(tools / "ruff"),
                "check",
                "--select",
                "PT",
                "--no-cache",
                "--exit-zero",
                str(tests),
            ],
        ),
        (
            "flake8 + flake8-pytest-style (PT)",
            [str(tools / "flake8"), "--select", "PT", str(tests)],
        ),
        ("Fixit (default rules)", [str(tools / "fixit"), "lint", str(tests)]),
    ]
    others.append(("deptry (whole project)", [str(tools / "deptry"), str(root)]))
    for tool, command in others:
        if tool in SLOW_TOOLS and not slow_runs:
            continue
        rows.append(timed(tool, command, root, slow_runs if tool in SLOW_TOOLS else runs))
    return rows, len(files), lines


def table(corpus: Project, rows: list[Row], files: int, lines: int) -> str:
    floor, cpu_floor = rows[0].seconds, rows[0].cpu
    out = [
        f"**{corpus.name}** (`{corpus.name}=={corpus.version}`, `{corpus.tests}`: "
        f"{files} files, {lines:,} lines)",
        "",
        "| tool | median wall | x ast.parse | median CPU | CPU x ast.parse | lines/s (wall) "
        "| peak RSS |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        out.append(
            f"| {row.tool} | {row.seconds:.2f} s | {row.seconds / floor:.2f} "
            f"| {row.cpu:.2f} s | {row.cpu / cpu_floor:.2f} "
            f"| {lines / row.seconds:,.0f} | {row.peak_mb} MB |"
        )
    return "\n".join(out)


def write_readme(body: str) -> None:
    write_results(README, "lint-speed", body, "# Benchmarks\n", "## Lint speed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per fast tool (median)")
    parser.add_argument(
        "--slow-runs", type=int, default=1, help="runs of Fixit and flake8 (0: leave them out)"
    )
    parser.add_argument("--corpus", action="append", choices=BENCHMARKED)
    parser.add_argument("--no-readme", action="store_true", help="print only")
    args = parser.parse_args()
    tools = tools_venv()
    chosen = [p for p in PROJECTS if p.name in (args.corpus or BENCHMARKED)]
    slow = f"{args.slow_runs} for Fixit and flake8" if args.slow_runs else "Fixit, flake8 left out"
    sections = [
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; medians of {args.runs} "
        f"runs ({slow}), all in one invocation."
    ]
    for corpus in chosen:
        rows, files, lines = bench_corpus(corpus, tools, args.runs, args.slow_runs)
        section = table(corpus, rows, files, lines)
        print(section + "\n", flush=True)
        sections.append(section)
    if not args.no_readme:
        write_readme("\n\n".join(sections))


if __name__ == "__main__":
    main()
