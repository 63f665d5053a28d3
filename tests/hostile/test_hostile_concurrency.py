"""16 sessions at once, some killed with SIGKILL at random moments, then one more session.

What must hold: the metrics file is always whole (prometheus_client parses it), the failure
counter counts exactly the sessions that wrote it, the memory holds one run per recorded
session and stays readable, and once the dust settles no temporary file is left behind.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

SESSIONS = 16
KILLED = 5
SUITE = "import time\n\ndef test_fails():\n    time.sleep(0.05)\n    assert False\n"


def failures_total(text: str) -> float:
    [value] = [
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "pytest_test_failures_total"
    ]
    return value


@pytest.mark.slow
def test_sixteen_sessions_and_kills_lose_no_committed_record(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml('[project]\nname = "demo"\n')
    pytester.makepyfile(test_slow=SUITE)
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
    running = [
        subprocess.Popen(command, cwd=pytester.path, stdout=subprocess.DEVNULL)
        for _ in range(SESSIONS)
    ]
    chooser = random.Random(14)
    for process in chooser.sample(running, KILLED):
        time.sleep(chooser.uniform(0.0, 1.5))
        process.send_signal(signal.SIGKILL)
    codes = [process.wait(timeout=300) for process in running]
    finished = codes.count(1)  # the suite fails: 1 is a session that ran to its end
    assert finished + codes.count(-signal.SIGKILL) == SESSIONS, codes

    metrics = pytester.path / "monitoring" / "pytest_metrics.prom"
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    with sqlite3.connect(memory) as db:
        recorded = db.execute("SELECT count(*) FROM runs").fetchone()[0]
    counted = failures_total(metrics.read_text())
    # A session killed after writing the file (or committing its run) still counts: never
    # fewer than the sessions that finished, never more than all of them.
    assert finished <= counted <= SESSIONS
    assert finished <= recorded <= SESSIONS

    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(failed=1)
    assert failures_total(metrics.read_text()) == counted + 1
    with sqlite3.connect(memory) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == recorded + 1
    assert not list((pytester.path / "monitoring").glob("*.tmp"))
