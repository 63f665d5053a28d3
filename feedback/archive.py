"""`apytest archive`: one tar.gz with what a reviewer of a red run needs, and nothing else.

An archive leaves the machine (an attachment, a CI artifact), so it takes only what apytest can
redact: the run log (`logs/pytest.log`, or where `apytest_log_file` puts it) and its rotations
`pytest.log.1` ... `.N`, the metrics file (`monitoring/pytest_metrics.prom`, or
`apytest_metrics_file`), each read as text and redacted on the way in, and a
JSON export of the last run's records and suggestions (redacted when they were stored, and
again here). Nothing else of `logs/` goes in (a `junit.xml`, a stray `.git/config` may hold
anything), nor `htmlcov/` (source code, which no redactor can vouch for). A candidate goes in
only as a regular file whose real path is inside the project, with no symlink on the way (a
`monitoring/` link to a folder elsewhere is not followed), outside VCS folders, and under
MAX_FILE_BYTES; every other candidate is listed as skipped, with the reason.
"""

import io
import json
import os
import re
import tarfile
from pathlib import Path
from typing import NamedTuple

from apytest.common.atomic import write_atomically
from apytest.common.files import read_regular, require_replaceable
from apytest.common.settings import SharedPaths
from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback.redact import redact

DEFAULT_OUTPUT = "failure-artifacts.tar.gz"
EXPORT_NAME = "apytest-run.json"
ROTATED = r"(?:\.[0-9]+)?"
"""The run log's rotations (`pytest.log.1`): the only other files of its folder that go in."""
VCS_FOLDERS = frozenset({".git", ".hg", ".svn", ".bzr", "CVS", "_darcs", ".jj"})
MAX_FILE_BYTES = 64 * 1024 * 1024
"""A larger log is skipped: it would be read and redacted in memory."""


class Packed(NamedTuple):
    members: list[str]
    skipped: list[tuple[str, str]]
    """(project-relative path, why it was left out)."""


def _candidates(paths: SharedPaths) -> list[str]:
    """Project-relative paths that may go in: the metrics file, then the run logs, where the
    project's ini settings put them (the plugin's own settings)."""
    names = []
    if paths.metrics_file is not None and paths.metrics_file.is_relative_to(paths.root):
        names.append(paths.metrics_file.relative_to(paths.root).as_posix())
    log = paths.log_file
    if log is not None and log.is_relative_to(paths.root):
        try:
            entries = sorted(os.listdir(log.parent))
        except OSError:
            entries = []
        folder = log.parent.relative_to(paths.root).as_posix()
        run_log = re.escape(log.name) + ROTATED
        names += [
            f"{folder}/{name}" if folder != "." else name
            for name in entries
            if re.fullmatch(run_log, name)
        ]
    return names


def _refusal(root: Path, relative: str) -> str | None:
    """Why `relative` must not go in, or None when it may."""
    parts = relative.split("/")
    if VCS_FOLDERS.intersection(parts[:-1]):
        return "inside a VCS folder"
    real_root = os.path.realpath(root)
    if os.path.realpath(root / relative) != os.path.join(real_root, *parts):
        return "reached through a symlink"
    return None


def export(memory: memory_api.MemoryPath, project: str | None) -> dict[str, object]:
    """The last run's records and the suggestions it produced, as JSON-ready data."""
    run = memory_api.last_run(project, memory=memory)
    if run is None:
        return {"run": None, "failures": [], "findings": [], "suggestions": []}
    summary = {
        **{k: v for k, v in run._asdict().items() if k not in ("failures", "findings")},
        "results": [result._asdict() for result in run.results],
        "workspace": run.workspace._asdict(),
    }
    return {
        "run": summary,
        "failures": [f._asdict() for f in run.failures],
        "findings": [f._asdict() for f in run.findings],
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
    paths: SharedPaths,
    output: Path,
    *,
    memory: memory_api.MemoryPath,
    project: str | None = None,
) -> Packed:
    """Write the archive of the project at `paths.root` to `output` (atomically: never half an
    archive; an `output` that is a FIFO or device raises NotAFileOutput and is never opened);
    return its member names and what was left out."""
    root = paths.root
    data = json.dumps(export(memory, project), indent=2, sort_keys=True, default=str)
    packed = Packed([], [])
    require_replaceable(output)
    output_resolved = output.resolve()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for relative in _candidates(paths):
            path = root / relative
            if not os.path.lexists(path):
                continue
            refusal = _refusal(root, relative)
            if refusal is None and path.resolve() == output_resolved:
                continue
            content = b""
            if refusal is None:
                try:
                    content = read_regular(path, MAX_FILE_BYTES)
                except OSError as error:
                    refusal = error.strerror or str(error)
            if refusal is not None:
                packed.skipped.append((relative, refusal))
                continue
            text = redact(content.decode("utf-8", "replace"))
            _add_bytes(tar, relative, text.encode("utf-8"), path.stat().st_mtime)
            packed.members.append(relative)
        _add_bytes(tar, EXPORT_NAME, redact(data).encode("utf-8"), os.path.getmtime(root))
        packed.members.append(EXPORT_NAME)
    write_atomically(output, buffer.getvalue())
    return packed
