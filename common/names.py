"""Every path, file name and metric name the plugin writes and the commands read.

Each is a public interface (see the README): changing one is a breaking change.
"""

from __future__ import annotations

# Default locations, relative to pytest's rootdir; each has an ini setting (see `settings`).
METRICS_FILE = "monitoring/pytest_metrics.prom"
LOG_FILE = "logs/pytest.log"
STATE = ".apytest"
"""apytest's local state under the project root: the corpus memory, the lint cache."""
MEMORY = f"{STATE}/memory.sqlite3"

# The outcome categories of pytest's summary line, and those that count as failures.
OUTCOMES: tuple[str, ...] = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")
FAILING: frozenset[str] = frozenset({"failed", "error"})
RERUN = "rerun"
"""pytest-rerunfailures' category of a failed attempt it ran again: in pytest's summary ("4
rerun"), the run log and the memory's counts, not among a test's outcomes."""
WORST_FIRST: tuple[str, ...] = ("failed", "error", "xpassed", "xfailed", "passed", "skipped")
"""One result for reports that disagree (a test's phases; tests whose node ids redact alike):
the first of these among theirs."""

# Metric families, by the name their TYPE line writes (a counter's ends in `_total`).
DURATION = "pytest_test_duration_seconds"
FAILURES = "pytest_test_failures_total"
SESSION_DURATION = "pytest_session_duration_seconds"
COVERAGE = "pytest_coverage_percent"
SESSION_TESTS = "pytest_session_tests"
LAST_RUN = "pytest_last_run_timestamp_seconds"
LAST_SUCCESS = "pytest_last_success_timestamp_seconds"
EXIT_STATUS = "pytest_session_exit_status"
