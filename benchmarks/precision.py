"""Precision of apytest-lint on real test suites: per-rule finding counts, and samples to judge.

Fetches pinned releases from PyPI into ``benchmarks/.cache/`` (git-ignored) with pip, unpacks
them beside their own dependency declarations, runs the real engine on each project's tests and
prints a table of findings per rule. Sdists carry their tests and ``pyproject.toml``; pandas and
scikit-learn are taken as wheels (their tests ship inside the package), and a project whose
declarations are not static (a wheel's ``METADATA``, a ``setup.py``) gets a ``[project]`` table
written from its metadata's ``Requires-Dist`` lines. Every finding is also written to
``.cache/findings-<project>.txt`` for sampling.

    .venv/bin/python benchmarks/precision.py [--sample N]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from corpora import CACHE, PROJECTS, Project, prepare

from apytest.lint.runner import run_lint
from apytest.rules import ALL_RULES

CODES = tuple(sorted(rule.code for rule in ALL_RULES))
"""Every rule (APT301, off by default, too): a new rule is measured from its first day."""


def lint(project: Project, root: Path) -> Counter[str]:
    result = run_lint([root / project.tests], root=root, select=list(CODES), use_cache=False)
    lines = [finding.format() for finding in result.findings]
    (CACHE / f"findings-{project.name}.txt").write_text("\n".join(lines) + "\n", "utf-8")
    counts = Counter(finding.code for finding in result.findings)
    counts["files"] = len(result.files)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0, help="print N findings per rule")
    args = parser.parse_args()
    table: dict[str, Counter[str]] = {}
    for project in PROJECTS:
        root = prepare(project)
        table[f"{project.name} {project.version}"] = lint(project, root)
        if args.sample:
            by_code: dict[str, list[str]] = {}
            text = (CACHE / f"findings-{project.name}.txt").read_text("utf-8")
            for line in text.splitlines():
                if line:
                    by_code.setdefault(line.split()[1], []).append(line)
            for lines in by_code.values():
                print("\n".join(lines[: args.sample]))
    print("| project | files | " + " | ".join(CODES) + " |")
    print("| --- " * (len(CODES) + 2) + "|")
    for name, counts in table.items():
        cells = [str(counts[code]) for code in CODES]
        print(f"| {name} | {counts['files']} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
