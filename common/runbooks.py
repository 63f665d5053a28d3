"""What each shipped alert means and what to do: the runbooks its `runbook_url` opens.

The shipped rules (`monitoring/pytest_rules.yml`) link each alert to `runbooks.html#<Alert>`,
and `apytest monitoring init` writes that page beside the rules and makes the link a `file://`
URL: it opens in a browser on the machine with no server running, for a user who installed
apytest with pip. `apytest alerts runbook NAME` prints the same runbook in a terminal, and the
alert receiver (`apytest alerts serve`) serves it as `/runbooks/<Alert>` and quotes it in the
suggestion it logs. One table, here in the bottom layer, because all of them cite it.
"""

import html
from collections.abc import Mapping
from typing import NamedTuple

from apytest.common.lessons import lessons, reference

PAGE = "runbooks.html"
"""The file `monitoring init` writes beside the rules; each alert is the element of its name."""


class Runbook(NamedTuple):
    """What an alert means and what to do; `lesson` is the inventory anchor, if one applies."""

    means: str
    do: str
    lesson: str | None


RUNBOOKS: Mapping[str, Runbook] = {
    "PytestFailureSpike": Runbook(
        "More than 3 tests of the project failed within 5 minutes.",
        "Run `apytest review` in the project (or read the suggestions this alert logged: "
        "`apytest suggestions`): each failure is named with its signature and lesson. "
        "`apytest review --format prompt` gives the whole evidence for a reviewer.",
        None,
    ),
    "PytestCoverageLow": Runbook(
        "The project's coverage is below the floor of the alert rule (80%).",
        "Find the code added without tests (`pytest --cov --cov-report=term-missing`) and "
        "test it, or lower the floor in pytest_rules.yml deliberately.",
        "coverage-regression",
    ),
    "PytestCoverageDropped": Runbook(
        "Coverage fell more than 1 point below its best of the last day.",
        "Compare the last runs (`apytest history`): code added without tests, or tests "
        "deleted or skipped. Enforce a floor with --cov-fail-under.",
        "coverage-regression",
    ),
    "PytestSessionSlower": Runbook(
        "The test session took more than 1.5 times its weekly average, and 10 s more.",
        "Run with --durations=20 to find the slowest tests and setups; `apytest review` "
        "names the tests that got slower.",
        "slow-suite",
    ),
    "PytestMetricsStale": Runbook(
        "No test session rewrote pytest_metrics.prom on that host for a day.",
        "Check that the test job still runs there, with the apytest plugin enabled and "
        "writing its metrics file into node_exporter's textfile folder.",
        None,
    ),
}


def page(name: str) -> str | None:
    """The runbook of alert `name` as Markdown (with its lesson's text), None if unknown."""
    runbook = RUNBOOKS.get(name)
    if runbook is None:
        return None
    lesson = (
        f"\n\n## Lesson `{runbook.lesson}` ({reference(runbook.lesson)})\n\n"
        + lessons()[runbook.lesson].text.strip()
        if runbook.lesson
        else ""
    )
    return f"# {name}\n\n{runbook.means}\n\n## What to do\n\n{runbook.do}{lesson}\n"


def document() -> str:
    """Every runbook on one HTML page (`PAGE`), each in an element whose id is the alert's
    name, so that `runbooks.html#PytestCoverageLow` opens at that alert. The texts are
    Markdown, shown as written."""
    sections = "".join(
        f'<section id="{html.escape(name)}">\n<pre>{html.escape(page(name) or "")}</pre>\n'
        "</section>\n"
        for name in RUNBOOKS
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>apytest alert runbooks</title>\n"
        "<style>pre { white-space: pre-wrap; max-width: 50em; }</style>\n</head>\n<body>\n"
        "<h1>apytest alert runbooks</h1>\n" + sections + "</body>\n</html>\n"
    )
