"""Keep apytest's own files out of `git status`, as pytest does for `.pytest_cache`.

Two kinds of folder get a `.gitignore` that apytest writes:

- beside each output file of the plugin (metrics file, run log), one that lists only apytest's
  own files and itself, so the folder shows nothing new to git while every other file in it (a
  committed `monitoring/prometheus.yml`, say) stays tracked as before; none is ever written in
  the rootdir itself (a file the user asked for there is theirs to ignore), and
  `apytest_gitignore = false` turns this off, for tracked outputs;
- the state folder (`.apytest/`: the corpus memory, the lint cache), ignored whole.

A `.gitignore` that apytest did not write (its first line is not apytest's) is never touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

HEADER = "# Written by apytest: its own files here are local output, not for version control.\n"
STATE_HEADER = "# Written by apytest: local state, not for version control.\n"


def ignore_beside(path: Path, root: Path, patterns: Sequence[str]) -> None:
    """Create `path`'s folder if needed, with a `.gitignore` listing `patterns` and itself.

    An earlier apytest `.gitignore` gets the patterns it lacks; OSError propagates (the caller
    is about to write into the same folder and reports that failure with its own path).
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    if folder.resolve() == root.resolve() or not folder.resolve().is_relative_to(root.resolve()):
        return
    _ignore_in(folder, HEADER, [".gitignore", *patterns])


def ignore_state(folder: Path) -> None:
    """Create the state folder if needed, with a `.gitignore` that ignores all of it.

    OSError propagates (the caller decides whether a state it cannot write matters)."""
    folder.mkdir(parents=True, exist_ok=True)
    _ignore_in(folder, STATE_HEADER, ["*"])


def _ignore_in(folder: Path, header: str, patterns: Sequence[str]) -> None:
    """`folder`'s `.gitignore`: written as `header` and `patterns` when there is none; one of
    apytest's (starting with `header`) gets the patterns it lacks; any other is left alone."""
    marker = folder / ".gitignore"
    try:
        text = marker.read_text(encoding="utf-8")
        new = False
    except FileNotFoundError:
        text, new = header, True
    if not text.startswith(header):
        return  # the user's own
    lines = text.splitlines()
    missing = [pattern for pattern in patterns if pattern not in lines and "*" not in lines]
    if missing or new:
        marker.write_text(text + "".join(f"{pattern}\n" for pattern in missing), encoding="utf-8")
