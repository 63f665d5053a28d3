"""The real test suites the benchmarks run on: pinned PyPI releases that ship their tests.

Both ``precision.py`` and ``lint_speed.py`` read the same releases, fetched once with pip into
``benchmarks/.cache/`` (git-ignored). pandas and scikit-learn are wheels (their tests ship inside
the package); the others are sdists. A project whose declarations are not static (a wheel's
``METADATA``, a ``setup.py``) gets a ``[project]`` table written from its own metadata, so that
apytest, deptry and the others read the same declarations.
"""

from __future__ import annotations

import email.parser
import json
import os
import platform
import subprocess
import sys
import tarfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement

from apytest.common.settings import read_toml

CACHE = Path(__file__).resolve().parent / ".cache"


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
    """The unpacked release: a wheel into ``<name>-<version>``, an sdist into its own top folder
    (``python_dateutil-4.0.0`` for ``python-dateutil``)."""
    if archive.suffix == ".whl":
        target = CACHE / f"{project.name}-{project.version}"
        if not target.is_dir():
            with zipfile.ZipFile(archive) as wheel:
                wheel.extractall(target)
        return target
    with tarfile.open(archive) as sdist:
        target = CACHE / sdist.getnames()[0].split("/")[0]
        if not target.is_dir():
            sdist.extractall(CACHE, filter="data")
    return target


def _metadata(root: Path) -> email.message.Message | None:
    for candidate in [root / "PKG-INFO", *root.glob("*.dist-info/METADATA")]:
        if candidate.is_file():
            return email.parser.Parser().parsestr(candidate.read_text(encoding="utf-8"))
    return None


def own_rootdir(root: Path) -> None:
    """Give a project without pytest configuration an empty ``[tool.pytest.ini_options]`` table,
    so that its rootdir is its own folder, as in a checkout of its own (a wheel holds no pytest
    configuration, and the search would otherwise climb into apytest's checkout)."""
    pyproject = root / "pyproject.toml"
    data = read_toml(pyproject) if pyproject.is_file() else {}
    if "pytest" in data.get("tool", {}) or (root / "pytest.ini").is_file():
        return
    for name, section in (("tox.ini", "[pytest]"), ("setup.cfg", "[tool:pytest]")):
        ini = root / name
        if ini.is_file() and section in ini.read_text("utf-8", errors="replace").splitlines():
            return
    with pyproject.open("a", encoding="utf-8") as handle:
        handle.write("\n[tool.pytest.ini_options]\n")


def declare_from_metadata(root: Path) -> None:
    """Give a project without a static ``[project]`` table one, from its own metadata."""
    own_rootdir(root)
    pyproject = root / "pyproject.toml"
    data = read_toml(pyproject) if pyproject.is_file() else {}
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


def prepare(project: Project) -> Path:
    """The project's folder, fetched, unpacked and given static declarations."""
    root = unpack(project, fetch(project))
    declare_from_metadata(root)
    return root


def measured(projects: int, elapsed: float) -> str:
    """The line that dates a benchmark's figures: when, at which apytest commit, how long."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=CACHE.parent.parent,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return (
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} at apytest "
        f"{commit}, {projects} projects, {elapsed:.0f} s for the whole run."
    )


def machine() -> str:
    """The machine a benchmark ran on, as its Markdown page says it."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def write_results(path: Path, name: str, body: str, title: str, heading: str) -> None:
    """Put ``body`` between the ``<!-- results: name -->`` markers of ``path`` (a benchmark's
    figures in its Markdown page), or append it under ``heading`` the first time."""
    begin, end = f"<!-- results: {name} -->", f"<!-- /results: {name} -->"
    text = path.read_text(encoding="utf-8") if path.exists() else title
    block = f"{begin}\n{body}\n{end}"
    if begin in text:
        head, _, rest = text.partition(begin)
        text = head + block + rest.partition(end)[2]
    else:
        text = text.rstrip("\n") + f"\n\n{heading}\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
