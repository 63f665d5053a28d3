"""A behaviour snapshot of apytest: what a fixed scenario writes and prints, normalised.

A refactor that must not change behaviour (issue 15: the CLI folder, typed values between the
layers) is checked by taking a snapshot before and after and diffing them:

    .venv/bin/python benchmarks/behaviour_snapshot.py -o build/before.txt   # on the old commit
    .venv/bin/python benchmarks/behaviour_snapshot.py -o build/after.txt    # on the new one
    diff build/before.txt build/after.txt

The scenario, in a temporary folder: a small suite (a pass, an assertion failure, a missing
module, a fixture error, a skip, an xfail, a file left behind) run twice with the plugin and
`--apytest-lint`; then the metrics file, the run log, the `.gitignore` files, every row of the
corpus memory, the outputs and exit codes of `apytest history/review/suggestions/inventory/
lesson`, every `--help`, a few usage errors of both commands, and `apytest-lint --format json`
on apytest's own `tests/`. The commands run as the installed console scripts beside the Python
that runs this script (or in `--bin`), so the entry points themselves are part of the snapshot.

To snapshot an older commit without touching the checkout's venv, install it into a folder and
put that first on the path:

    git archive OLD | tar -x -C /tmp/old
    .venv/bin/python -m pip install --no-deps --target /tmp/old-site /tmp/old
    PYTHONPATH=/tmp/old-site .venv/bin/python benchmarks/behaviour_snapshot.py \\
        --bin /tmp/old-site/bin -o build/before.txt

Normalised, because they differ between any two runs: the temporary folder, times and
timestamps, durations, the values of duration and timestamp metrics, and version numbers of
the interpreter and plugins in the run log's header.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent

PYPROJECT = """\
[project]
name = "snapshot-demo"
version = "0.1"
dependencies = ["pytest"]

[tool.pytest.ini_options]
addopts = ["-p", "no:cacheprovider"]
"""

TESTS = {
    "tests/test_ok.py": """\
import pytest


def test_passes():
    assert 1 + 1 == 2


@pytest.mark.skip(reason="not today")
def test_skipped():
    pass


@pytest.mark.xfail(reason="known")
def test_expected_failure():
    assert False
""",
    "tests/test_broken.py": """\
import os

import pytest


def test_assertion():
    assert [1, 2] == [1, 3]


def test_missing_module():
    import snapshot_demo_missing_module  # noqa: F401


@pytest.fixture
def broken_fixture():
    raise RuntimeError("fixture broke")


def test_fixture_error(broken_fixture):
    pass


def test_leaves_a_file():
    with open("left_behind.txt", "w") as handle:
        handle.write("x")
    os.environ["SNAPSHOT_DEMO"] = "1"
""",
}

TIME = re.compile(
    r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d| UTC)?"
    r"|\b\d{2}:\d{2}:\d{2}(\.\d+)?\b"
)
SECONDS = re.compile(r"\b\d+(\.\d+)?\s?(s|ms|seconds)\b")
FLOAT = re.compile(r"\b\d+\.\d+(e[+-]?\d+)?\b")
VERSIONS = re.compile(r"\b(\d+\.)+\d+([a-z]+\d*)?(\.dev\d+)?(\+\S+)?\b")
TIME_COLUMNS = {"at", "started_at", "finished_at", "duration", "first_seen", "last_seen"}


def normalise(text: str, project: Path) -> str:
    text = text.replace(str(project.resolve()), "<PROJECT>").replace(str(project), "<PROJECT>")
    text = text.replace(str(REPOSITORY), "<REPOSITORY>")
    text = TIME.sub("<TIME>", text)
    return SECONDS.sub("<DURATION>", text)


def metrics(text: str) -> str:
    """Duration and timestamp series lose their values (bucket counts too: timing decides them)."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#") and re.match(r"\w*(duration|timestamp)\w*", line):
            line = line.rsplit(" ", 1)[0] + " <V>"
        lines.append(line)
    return "\n".join(lines) + "\n"


def memory_rows(path: Path) -> str:
    """Every row of every table, time columns replaced, in a stable order."""
    out = []
    with sqlite3.connect(path) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            cursor = connection.execute(f'SELECT * FROM "{table}"')  # names from the schema
            columns = [d[0] for d in cursor.description]
            rows = []
            for row in cursor:
                cells = [
                    "<T>" if column in TIME_COLUMNS and value is not None else value
                    for column, value in zip(columns, row, strict=True)
                ]
                rows.append(
                    json.dumps(dict(zip(columns, cells, strict=True)), sort_keys=True, default=str)
                )
            out.append(f"-- {table} ({len(rows)} rows)")
            out.extend(sorted(rows))
    return "\n".join(out) + "\n"


def run(command: list[str], cwd: Path) -> str:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "PYTHONHASHSEED": "0"}
    env.pop("PYTEST_ADDOPTS", None)
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    return (
        f"$ {' '.join(command)}\nexit {done.returncode}\n"
        f"--- stdout\n{done.stdout}--- stderr\n{done.stderr}"
    )


def runlog(text: str) -> str:
    """The run log without its header's version numbers (the interpreter, pytest, plugins)."""
    return "\n".join(
        VERSIONS.sub("<VERSION>", line) if "version" in line.lower() or "platform" in line else line
        for line in text.splitlines()
    )


def snapshot(project: Path, bin: Path) -> str:
    project.joinpath("pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    for name, source in TESTS.items():
        project.joinpath(name).parent.mkdir(parents=True, exist_ok=True)
        project.joinpath(name).write_text(source, encoding="utf-8")
    apytest, lint = str(bin / "apytest"), str(bin / "apytest-lint")
    sections: list[tuple[str, str]] = []
    pytest_run = [sys.executable, "-m", "pytest", "-q", "--apytest-lint", "-p", "no:randomly"]
    for number in (1, 2):
        output = run(pytest_run, project)
        sections.append((f"pytest run {number}", FLOAT.sub("<F>", output)))
    files = sorted(
        path
        for path in project.rglob("*")
        if path.is_file()
        and "tests" not in path.parts
        and (".apytest" not in path.parts or path.name == ".gitignore")
    )
    sections.append(("files", "\n".join(str(p.relative_to(project)) for p in files) + "\n"))
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".prom":
            text = metrics(text)
        elif ".log" in path.name:
            text = runlog(text)
        sections.append((f"file {path.relative_to(project)}", text))
    sections.append(("memory", memory_rows(project / ".apytest" / "memory.sqlite3")))
    commands = [
        [apytest, "--help"],
        [apytest, "--version"],
        [apytest],
        [apytest, "nonsense"],
        [apytest, "history", "--limit", "0"],
        [apytest, "history", "--bogus"],
        [apytest, "history"],
        [apytest, "history", "--format", "json"],
        [apytest, "review"],
        [apytest, "review", "--format", "json"],
        [apytest, "suggestions"],
        [apytest, "inventory", "-o", "inventory.md"],
        [apytest, "lesson"],
        [apytest, "lesson", "coverage-regression"],
        [apytest, "lesson", "no-such-lesson"],
        [apytest, "monitoring", "init", "--pushgateway", "nohost"],
        [apytest, "lint", "--bogus"],
        [apytest, "lint", "--help"],
        [apytest, "memory", "copy"],
        [apytest, "lint", "--select", "APT2", "tests"],
        [lint, "--help"],
        [lint, "--bogus"],
        [lint, "--jobs", "x"],
        [lint, "--explain", "APT203"],
        [lint, "--select", "APT2", "tests"],
    ]
    for name in ("review", "suggestions", "history", "archive", "inventory", "mcp", "lesson"):
        commands.append([apytest, name, "--help"])
    commands += [[apytest, "monitoring", "init", "--help"], [apytest, "alerts", "serve", "--help"]]
    for command in commands:
        sections.append(("command", FLOAT.sub("<F>", run(command, project))))
    inventory = project / "inventory.md"
    if inventory.exists():
        sections.append(("file inventory.md", inventory.read_text(encoding="utf-8")))
    own_tests = run([lint, "--format", "json", "--no-cache", "tests"], REPOSITORY)
    sections.append(("apytest-lint on apytest's tests", own_tests))
    text = "".join(f"===== {title}\n{body}\n" for title, body in sections)
    text = text.replace(apytest, "apytest").replace(lint, "apytest-lint")
    return normalise(text.replace(sys.executable, "python"), project)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-o", "--output", type=Path, help="write here (default: stdout)")
    parser.add_argument(
        "--bin",
        type=Path,
        default=Path(sys.executable).parent,
        help="the folder of the apytest and apytest-lint scripts (default: beside this Python)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="apytest-snapshot-") as folder:
        text = snapshot(Path(folder), args.bin)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
