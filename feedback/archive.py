"""`apytest archive`: one tar.gz with what a reviewer of a red run needs.

The run logs, `htmlcov/` when present, the metrics file, and a JSON export of the last run's
records and suggestions. Only regular files under the project root go in: symlinks are never
followed (a link to `~/.ssh` must not end up in an attachment), files that usually hold
secrets (`.env`, keys, `.netrc`, ...) are skipped, and text logs are redacted on the way in.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import io
import json
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path

from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback.redact import redact

DEFAULT_OUTPUT = "failure-artifacts.tar.gz"
EXPORT_NAME = "apytest-run.json"
SOURCES = ("logs", "htmlcov", "monitoring/pytest_metrics.prom")
SECRET_NAMES = (
    ".env",
    ".env.*",
    "*.env",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "id_rsa*",
    "id_ed25519*",
    ".netrc",
    ".pypirc",
    "*credentials*",
    "*secret*",
)
REDACTED_SUFFIXES = (".log", ".txt", ".prom", ".json")


def _is_secret(name: str) -> bool:
    return any(fnmatch.fnmatch(name.lower(), pattern) for pattern in SECRET_NAMES)


def _files(root: Path, source: str) -> Iterator[Path]:
    """Regular files of `source` under `root`, never through a symlink, never secrets."""
    start = root / source
    if start.is_symlink() or not start.exists():
        return
    if start.is_file():
        if not _is_secret(start.name):
            yield start
        return
    for folder, dirs, files in os.walk(start, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not (Path(folder) / d).is_symlink())
        for name in sorted(files):
            path = Path(folder) / name
            if not path.is_symlink() and path.is_file() and not _is_secret(name):
                yield path


def export(memory: memory_api.MemoryPath, project: str | None) -> dict[str, object]:
    """The last run's records and the suggestions it produced, as JSON-ready data."""
    run = memory_api.last_run(project, memory=memory)
    if run is None:
        return {"run": None, "failures": [], "findings": [], "suggestions": []}
    summary = {
        k: v for k, v in dataclasses.asdict(run).items() if k not in ("failures", "findings")
    }
    return {
        "run": summary,
        "failures": [dataclasses.asdict(f) for f in run.failures],
        "findings": [dataclasses.asdict(f) for f in run.findings],
        "suggestions": [
            s.as_json() for s in memory_api.suggestions(run.project, run_id=run.id, memory=memory)
        ],
    }


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(mtime)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def write(
    root: Path, output: Path, *, memory: memory_api.MemoryPath, project: str | None = None
) -> list[str]:
    """Write the archive to `output`; return its member names."""
    data = json.dumps(export(memory, project), indent=2, sort_keys=True, default=str)
    members: list[str] = []
    output_resolved = output.resolve()
    with tarfile.open(output, "w:gz") as tar:
        for source in SOURCES:
            for path in _files(root, source):
                if path.resolve() == output_resolved:
                    continue
                name = path.relative_to(root).as_posix()
                content = path.read_bytes()
                if path.suffix in REDACTED_SUFFIXES:
                    content = redact(content.decode("utf-8", "replace")).encode("utf-8")
                _add_bytes(tar, name, content, path.stat().st_mtime)
                members.append(name)
        _add_bytes(tar, EXPORT_NAME, data.encode("utf-8"), os.path.getmtime(root))
        members.append(EXPORT_NAME)
    return members
