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
import email.parser
import json
import subprocess
import sys
import tarfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement

from apytest.lint.runner import run_lint
from apytest.lint.toml import read_toml

CACHE = Path(__file__).resolve().parent / ".cache"
CODES = (
    "APT101",
    "APT102",
    "APT103",
    "APT201",
    "APT202",
    "APT203",
    "APT204",
    "APT205",
    "APT301",
)


@dataclass(frozen=True)
class Project:
    name: str
    version: str
    wheel: bool
    tests: str
    """The folder to lint, inside the unpacked project."""


PROJECTS = (
    Project("pandas", "2.2.3", wheel=True, tests="pandas/tests"),
    Project("scikit-learn", "1.6.1", wheel=True, tests="sklearn"),
    Project("pytest", "8.3.4", wheel=False, tests="testing"),
    Project("requests", "2.32.3", wheel=False, tests="tests"),
    Project("attrs", "24.3.0", wheel=False, tests="tests"),
)


def fetch(project: Project) -> Path:
    """Download the pinned release (once) and return the file."""
    spec = f"{project.name}=={project.version}"
    kind = ["--only-binary", ":all:"] if project.wheel else ["--no-binary", ":all:"]
    downloads = CACHE / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    stem = project.name.replace("-", "_")
    found = [p for p in downloads.iterdir() if p.name.lower().startswith(stem.lower() + "-")]
    found = [p for p in found if f"-{project.version}" in p.name]
    if not found:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", *kind, spec]
        subprocess.run([*command, "-d", str(downloads)], check=True)
        return fetch(project)
    return found[0]


def unpack(project: Project, archive: Path) -> Path:
    target = CACHE / f"{project.name}-{project.version}"
    if not target.is_dir():
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as wheel:
                wheel.extractall(target)
        else:
            with tarfile.open(archive) as sdist:
                sdist.extractall(CACHE, filter="data")
    return target


def _metadata(root: Path) -> email.message.Message | None:
    for candidate in [root / "PKG-INFO", *root.glob("*.dist-info/METADATA")]:
        if candidate.is_file():
            return email.parser.Parser().parsestr(candidate.read_text(encoding="utf-8"))
    return None


def declare_from_metadata(root: Path) -> None:
    """Give a project without a static ``[project]`` table one, from its own metadata, and a
    ``[tool.pytest.ini_options]`` table so that its rootdir is its own folder (a wheel holds no
    pytest configuration, and the search would otherwise climb into apytest's checkout)."""
    pyproject = root / "pyproject.toml"
    data = read_toml(pyproject) if pyproject.is_file() else {}
    configured = any((root / n).is_file() for n in ("pytest.ini", "tox.ini", "setup.cfg"))
    if not configured and "pytest" not in data.get("tool", {}):
        with pyproject.open("a", encoding="utf-8") as handle:
            handle.write("\n[tool.pytest.ini_options]\n")
    if isinstance(data.get("project"), dict):
        return
    metadata = _metadata(root)
    if metadata is None:
        return
    runtime: list[str] = []
    extras: dict[str, list[str]] = {}
    for line in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        marker = str(requirement.marker or "")
        if "extra ==" in marker:
            extra = marker.split("extra ==")[1].strip().strip("'\"")
            requirement.marker = None
            extras.setdefault(extra, []).append(str(requirement))
        else:
            runtime.append(line)
    table = [
        "\n[project]",
        f"name = {json.dumps(metadata['Name'])}",
        f"version = {json.dumps(metadata['Version'])}",
        f"dependencies = {json.dumps(runtime)}",
        "\n[project.optional-dependencies]",
        *(f"{json.dumps(extra)} = {json.dumps(reqs)}" for extra, reqs in extras.items()),
    ]
    with pyproject.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(table) + "\n")


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
        root = unpack(project, fetch(project))
        declare_from_metadata(root)
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
