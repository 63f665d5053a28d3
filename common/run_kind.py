"""What kind of run a session was, in the words the plugin writes and the feedback loop reads.

Coverage of one file is not a drop from the coverage of the suite, a run on two xdist workers
is not a slowdown of a serial one, and a `-k` run says nothing about flakiness elsewhere. A
session is described by what it selected beyond the project's default (paths or node ids, `-k`,
`-m`, `--lf`, ...), whether it measured coverage, and its xdist workers (the plugin's
`run_kind` reads them from pytest's options). The corpus memory stores `describe()` with each
run and compares only equal ones; the metrics carry the coarse parts the alerts need
(`labels()`: `scope` full or partial, `workers`, `cov`), so that their series stay few.
"""

from collections.abc import Mapping
from typing import NamedTuple

COMPLETED = frozenset({0, 1})
"""Exit statuses of a session whose tests ran: all passed (0) or some failed (1)."""


def ran_its_tests(exit_status: int, outcomes: Mapping[str, int]) -> bool:
    """Whether a session's time and coverage can be compared with its kind's: it ended with
    `COMPLETED`, and unless no outcome was recorded (a record made without them), some test
    passed, failed, skipped or xfailed. A session interrupted (2: a collection error, Ctrl-C),
    ended by an internal or usage error (3, 4), that collected nothing (5), or whose only
    results are errors (xdist's workers that collected different tests end with 1 and no test
    run) stopped early: its figures say nothing of the suite."""
    return exit_status in COMPLETED and (
        not any(outcomes.values())
        or any(count for outcome, count in outcomes.items() if outcome != "error")
    )


class RunKind(NamedTuple):
    selection: str
    """What the run selected beyond the project's default ("" for the whole suite)."""
    coverage: bool
    workers: int
    """xdist workers (0: serial)."""

    @property
    def scope(self) -> str:
        return "partial" if self.selection else "full"

    def describe(self) -> str:
        """The description the memory stores, e.g. `full cov xdist=2` or `partial: -k slow`."""
        words = [self.scope, *(["cov"] if self.coverage else []), f"xdist={self.workers}"]
        return " ".join(words) + (f": {self.selection}" if self.selection else "")

    def labels(self) -> dict[str, str]:
        """The metric labels of this kind."""
        return {
            "scope": self.scope,
            "workers": str(self.workers),
            "cov": "true" if self.coverage else "false",
        }

    @classmethod
    def labels_of(cls, description: str) -> dict[str, str]:
        """The metric labels of a stored description ({} for runs stored before kinds)."""
        words = description.partition(":")[0].split()
        if not words:
            return {}
        workers = next((word[6:] for word in words if word.startswith("xdist=")), "0")
        return {"scope": words[0], "workers": workers, "cov": "true" if "cov" in words else "false"}
