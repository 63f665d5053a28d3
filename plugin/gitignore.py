"""Keep the plugin's outputs out of `git status`, as pytest does for `.pytest_cache`.

Beside each file the plugin writes goes a `.gitignore` that lists only apytest's own files and
itself, so the folder shows nothing new to git while every other file in it (a committed
`monitoring/prometheus.yml`, say) stays tracked as before. A `.gitignore` that apytest did not
write is never touched, and none is ever written in the rootdir itself (a file the user asked for
there is theirs to ignore). `apytest_gitignore = false` turns this off, for tracked outputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

HEADER = "# Written by apytest: its own files here are local output, not for version control.\n"


def ignore_beside(path: Path, root: Path, patterns: Sequence[str]) -> None:
    """Create `path`'s folder if needed, with a `.gitignore` listing `patterns` and itself.

    An earlier apytest `.gitignore` gets the patterns it lacks; OSError propagates (the caller
    is about to write into the same folder and reports that failure with its own path).
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    if folder.resolve() == root.resolve() or not folder.resolve().is_relative_to(root.resolve()):
        return
    marker = folder / ".gitignore"
    try:
        text = marker.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = HEADER + ".gitignore\n"
    if not text.startswith(HEADER):
        return  # the user's own
    lines = text.splitlines()
    missing = [pattern for pattern in patterns if pattern not in lines and "*" not in lines]
    if missing or not marker.exists():
        marker.write_text(text + "".join(f"{pattern}\n" for pattern in missing), encoding="utf-8")
