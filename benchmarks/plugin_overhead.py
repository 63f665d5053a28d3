"""What the apytest plugin costs: a suite run with it and without it (`-p no:apytest`).

Two scenarios: `green`, 3,000 trivial passing tests (budget 3%), and `red`, 6,000 tests of
which 300 fail (budget 5%: every failure is logged with its traceback, redacted, and stored).

How it is measured, so that a loaded machine (2 cores shared with other work) can still judge it:

- whole `python -m pytest -q -p no:cacheprovider` processes (`-p no:rerunfailures` too: see
  PYTEST), as a user runs them, after one
  warm-up run of each variant (bytecode and filesystem caches);
- CPU time, user + system, of the pytest process and its children (`RUSAGE_CHILDREN` around
  each run): time spent waiting for a busy CPU is not in it, so load inflates it far less than
  wall time, which is reported beside it;
- 21 pairs by default, one run with and one without the plugin each, the order alternating
  from pair to pair (with/without, then without/with), so that a drift in load or CPU
  frequency hits both variants alike;
- judged: the ratio of the medians of CPU time (with / without) against the budget; reported
  as the spread: the quartiles of each variant and the median and quartiles of the ratios
  within the pairs (a pair's two runs ran seconds apart, under the same load).

Exits 1 when the CPU ratio exceeds the budget. `--write` puts the figures into
benchmarks/README.md (between the `plugin-overhead` markers).

`--instructions` counts instead the instructions of one run of each variant under valgrind's
callgrind: deterministic, it shows what a change to the plugin saves (the budget itself is on
time: an instruction of the plugin's costs more time than one of pytest's own loop). Before
that run the corpus memory's stored session times are set to the valgrind run's order of
magnitude, or the review would (rightly) report the slowed-down session as a slower session
and measure that path instead.

`--records FOLDER` writes, for each scenario, the metrics file, the run log and every row of
the corpus memory after four runs, clock times and durations replaced by placeholders: a
change that only makes the plugin cheaper leaves these files identical (`diff -r`).

    .venv/bin/python benchmarks/plugin_overhead.py [--scenario green|red|both] [--runs 21]
        [--tests N] [--write] [--instructions] [--records FOLDER]
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
from typing import NamedTuple

from corpora import machine, write_results
from prometheus_client.parser import text_string_to_metric_families

HERE = Path(__file__).resolve().parent
TESTS_PER_FILE = 100


class Scenario(NamedTuple):
    tests: int
    failing: int
    budget: float
    """The highest CPU-time ratio (with / without the plugin) allowed."""


SCENARIOS = {"green": Scenario(3000, 0, 1.03), "red": Scenario(6000, 300, 1.05)}


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
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:rerunfailures"]
"""Both variants: the development environment's pytest-rerunfailures (a test dependency of
apytest's own, which wraps every test) is switched off, as it was absent when the budget was
set; what it costs is not the plugin's."""
WITHOUT = ["-p", "no:apytest"]


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Timing(NamedTuple):
    wall: float
    cpu: float
    """User + system time of the pytest process and its children: no time spent waiting for
    a busy CPU."""


def timed_run(root: Path, extra: list[str]) -> Timing:
    command = [*PYTEST, *extra]
    started, cpu = time.perf_counter(), _cpu_seconds()
    done = subprocess.run(command, cwd=root, stdout=subprocess.DEVNULL, env=USER_ENVIRONMENT)
    if done.returncode not in (0, 1):  # 1: the red scenario's failing tests
        raise SystemExit(f"pytest exited {done.returncode} in {root}")
    return Timing(time.perf_counter() - started, _cpu_seconds() - cpu)


def instructions(root: Path, extra: list[str]) -> int:
    """Instructions of one pytest run under callgrind, from a memory whose runs look as slow."""
    memory = sqlite3.connect(root / ".apytest" / "memory.sqlite3")
    with memory:
        memory.execute("UPDATE runs SET duration = 100")
    memory.close()
    command = [*PYTEST, *extra]
    callgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    # A fixed hash seed: set and dict orders, and so the work done, are then the same each run.
    environment = {**USER_ENVIRONMENT, "PYTHONHASHSEED": "0"}
    result = subprocess.run(
        [*callgrind, *command], cwd=root, capture_output=True, text=True, env=environment
    )
    found = re.search(r"Collected\s*:\s*(\d+)", result.stderr)
    if result.returncode not in (0, 1) or found is None:  # 1: the red scenario's failures
        raise SystemExit(f"callgrind run failed:\n{result.stderr[-2000:]}")
    return int(found.group(1))


class Spread(NamedTuple):
    """Median and quartiles of some measurements."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        low, median, high = statistics.quantiles(values, n=4, method="inclusive")
        return cls(median, low, high)


class Figures(NamedTuple):
    """One measure (CPU or wall time) of one scenario."""

    without: Spread
    with_plugin: Spread
    pairs: Spread
    """The ratios with / without within each pair."""

    @property
    def ratio(self) -> float:
        """What the budget judges: the ratio of the medians."""
        return self.with_plugin.median / self.without.median

    @classmethod
    def of(cls, without: list[float], with_plugin: list[float]) -> Figures:
        ratios = [w / wo for w, wo in zip(with_plugin, without, strict=True)]
        return cls(Spread.of(without), Spread.of(with_plugin), Spread.of(ratios))


class Result(NamedTuple):
    name: str
    scenario: Scenario
    runs: int
    cpu: Figures
    wall: Figures
    load: tuple[float, float]
    """The 1-minute load average before and after."""


def measure(name: str, scenario: Scenario, runs: int) -> Result:
    """`runs` pairs of runs, with and without the plugin, in alternating order."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="apytest-overhead-") as folder:
        root = Path(folder)
        make_suite(root, scenario.tests, scenario.failing)
        timed_run(root, [])  # warm the filesystem cache and the bytecode of both variants
        timed_run(root, WITHOUT)
        without: list[Timing] = []
        with_plugin: list[Timing] = []
        for pair in range(runs):
            for plugin in (True, False) if pair % 2 else (False, True):
                if plugin:
                    with_plugin.append(timed_run(root, []))
                else:
                    without.append(timed_run(root, WITHOUT))
        written = (root / "monitoring" / "pytest_metrics.prom").read_text()
    observed = next(
        sample.value
        for family in text_string_to_metric_families(written)
        for sample in family.samples
        if sample.name == "pytest_test_duration_seconds_count"
    )
    # The warm-up and every measured run with the plugin, each test once: it really ran.
    assert observed == (runs + 1) * scenario.tests, observed
    return Result(
        name,
        scenario,
        runs,
        cpu=Figures.of([t.cpu for t in without], [t.cpu for t in with_plugin]),
        wall=Figures.of([t.wall for t in without], [t.wall for t in with_plugin]),
        load=(load, os.getloadavg()[0]),
    )


def _percent(ratio: float) -> str:
    return f"{(ratio - 1) * 100:+.1f}%"


def report(result: Result) -> str:
    scenario = result.scenario
    lines = [
        f"{result.name}: {scenario.tests:,} trivial tests ({scenario.failing} failing), "
        f"{result.runs} pairs in alternating order, load average {result.load[0]:.1f} "
        f"before, {result.load[1]:.1f} after; medians [quartiles]:"
    ]
    for what, figures in (("CPU time", result.cpu), ("wall time", result.wall)):
        wo, w, pairs = figures.without, figures.with_plugin, figures.pairs
        lines.append(
            f"  {what}: without apytest {wo.median:.3f} s [{wo.low:.3f}-{wo.high:.3f}], "
            f"with {w.median:.3f} s [{w.low:.3f}-{w.high:.3f}], ratio of medians "
            f"{figures.ratio:.3f} ({_percent(figures.ratio)}); within pairs {pairs.median:.3f} "
            f"[{pairs.low:.3f}-{pairs.high:.3f}]"
        )
    verdict = "within" if result.cpu.ratio <= scenario.budget else "OVER"
    lines.append(f"  CPU-time ratio {result.cpu.ratio:.3f}: {verdict} the budget {scenario.budget}")
    return "\n".join(lines)


def table(results: list[Result]) -> str:
    """The figures as benchmarks/README.md shows them."""
    load = ", ".join(f"{r.name} {r.load[0]:.1f} to {r.load[1]:.1f}" for r in results)
    out = [
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; 1-minute load average {load}.",
        "Medians [quartiles] of the runs; the ratio of the medians is what the budget judges.",
        "",
        "| scenario | measure | without apytest | with apytest | ratio of medians "
        "| ratio within pairs | budget |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        title = (
            f"{r.name}: {r.scenario.tests:,} tests, {r.scenario.failing} failing, {r.runs} pairs"
        )
        for what, f in (("CPU time", r.cpu), ("wall time", r.wall)):
            budget = f"{r.scenario.budget:.2f}" if what == "CPU time" else "(reported)"
            out.append(
                f"| {title} | {what} | {f.without.median:.3f} s [{f.without.low:.3f}-"
                f"{f.without.high:.3f}] | {f.with_plugin.median:.3f} s [{f.with_plugin.low:.3f}-"
                f"{f.with_plugin.high:.3f}] | {f.ratio:.3f} ({_percent(f.ratio)}) | "
                f"{f.pairs.median:.3f} [{f.pairs.low:.3f}-{f.pairs.high:.3f}] | {budget} |"
            )
    return "\n".join(out)


# What varies from run to run in the records of identical runs: clock times and durations.
_TIME_SAMPLES = re.compile(
    r"^(pytest_(?:session_duration_seconds|last_run_timestamp_seconds|"
    r"last_success_timestamp_seconds|test_duration_seconds_sum|"
    r'test_duration_seconds_bucket\{(?![^}]*le="\+Inf")[^}]*\}))(\{[^}]*\})? \S+$',
    re.MULTILINE,
)
_LOG_TIMES = (
    (re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}"), "<date>"),
    (re.compile(r"\b\d\d:\d\d:\d\d\b"), "<time>"),
    (re.compile(r"\b\d+\.\d+s\b"), "<seconds>"),
)
# Columns of the corpus memory that hold clock times or durations.
_TIME_COLUMNS = {"started_at", "finished_at", "duration", "at", "first_seen", "last_seen"}


def records(root: Path) -> str:
    """The metrics file, the run log and every row of the corpus memory, with clock times,
    durations and the suite's folder replaced by placeholders: equal for equal runs."""
    metrics = _TIME_SAMPLES.sub(
        r"\1\2 <time>", (root / "monitoring" / "pytest_metrics.prom").read_text()
    )
    log = (root / "logs" / "pytest.log").read_text()
    for pattern, placeholder in _LOG_TIMES:
        log = pattern.sub(placeholder, log)
    memory = sqlite3.connect(root / ".apytest" / "memory.sqlite3")
    rows = []
    tables = memory.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    for (table,) in tables.fetchall():
        cursor = memory.execute(f"SELECT * FROM {table} ORDER BY 1, 2")
        columns = [column[0] for column in cursor.description]
        for row in cursor:
            pairs = zip(columns, row, strict=True)
            shown = ["<time>" if column in _TIME_COLUMNS else value for column, value in pairs]
            rows.append(f"{table}: {shown!r}")
    memory.close()
    text = "\n".join(["== metrics file", metrics, "== run log", log, "== corpus memory", *rows, ""])
    return text.replace(str(root), "<root>")


def write_records(folder: Path, names: list[str], tests_override: int | None) -> None:
    """Four runs of each scenario with the plugin (a history to compare with), their records
    normalised by `records` into `folder/<scenario>.txt`: compare them before and after a
    change to the plugin (`diff -r`)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        scenario = sized(SCENARIOS[name], tests_override)
        with tempfile.TemporaryDirectory(prefix="apytest-records-") as temporary:
            root = Path(temporary)
            make_suite(root, scenario.tests, scenario.failing)
            for run in range(4):
                if run:  # earlier sessions as slow as this one: no "slower session" by chance
                    memory = sqlite3.connect(root / ".apytest" / "memory.sqlite3")
                    with memory:
                        memory.execute("UPDATE runs SET duration = 100")
                    memory.close()
                timed_run(root, [])
            (folder / f"{name}.txt").write_text(records(root))
        print(f"{name}: records in {folder / name}.txt")


def count_instructions(scenario: Scenario) -> int:
    """Instructions of one run of each variant; 1 when their ratio exceeds the budget."""
    tests, max_ratio = scenario.tests, scenario.budget
    with tempfile.TemporaryDirectory(prefix="apytest-overhead-") as folder:
        root = Path(folder)
        make_suite(root, tests, scenario.failing)
        for _ in range(3):  # bytecode caches, and a history like a project's
            timed_run(root, [])
        without = instructions(root, WITHOUT)
        with_plugin = instructions(root, [])
    ratio = with_plugin / without
    print(f"{tests:,} trivial tests ({scenario.failing} failing), one run each under callgrind:")
    print(f"  without apytest (-p no:apytest): {without:,}")
    print(f"  with apytest:                    {with_plugin:,}")
    print(f"  ratio: {ratio:.4f} ({(ratio - 1) * 100:+.2f}%), budget {max_ratio:.2f}")
    return 0 if ratio <= max_ratio else 1


def sized(scenario: Scenario, tests: int | None) -> Scenario:
    """The scenario with `tests` tests (its own count when None), failing in the same share."""
    if tests is None:
        return scenario
    return scenario._replace(tests=tests, failing=scenario.failing * tests // scenario.tests)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=(*SCENARIOS, "both"), default="both")
    parser.add_argument("--tests", type=int, help="tests of the scenario (default: its own)")
    parser.add_argument("--runs", type=int, default=21, help="pairs of runs (default: 21)")
    parser.add_argument("--max-ratio", type=float, help="budget (default: the scenario's)")
    parser.add_argument(
        "--write", action="store_true", help="put the figures into benchmarks/README.md"
    )
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions with callgrind instead"
    )
    parser.add_argument(
        "--records",
        type=Path,
        metavar="FOLDER",
        help="write each scenario's normalised records (metrics file, run log, memory) there",
    )
    args = parser.parse_args()
    if args.runs < 2:
        parser.error("--runs must be at least 2 (quartiles need two runs of each variant)")
    names = list(SCENARIOS) if args.scenario == "both" else [args.scenario]
    if args.records:
        write_records(args.records, names, args.tests)
        return 0
    status = 0
    results = []
    for name in names:
        scenario = sized(SCENARIOS[name], args.tests)
        scenario = scenario._replace(budget=args.max_ratio or scenario.budget)
        if args.instructions:
            status |= count_instructions(scenario)
            continue
        result = measure(name, scenario, args.runs)
        print(report(result), flush=True)
        results.append(result)
        status |= result.cpu.ratio > scenario.budget
    if args.write and results:
        write_results(HERE / "README.md", "plugin-overhead", table(results), "", "")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
