"""`apytest inventory`: a project's own failure inventory, from the failures it recorded.

Failures are grouped by signature (exception type and message with the varying parts, such
as numbers, addresses and temporary paths, replaced), each with its count, the tests it hit,
when it was first and last seen, and the lesson the orchestrator matches it with. The section
is written between two markers, so the rest of the file (the project's own notes) is kept and
running the command again updates it in place.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from apytest.common.atomic import write_atomically
from apytest.common.files import read_regular, require_replaceable
from apytest.common.lessons import reference
from apytest.feedback.crown_prompt_orchestrator import FAILURE_SIGNATURES, Review
from apytest.feedback.records import Failure, ProjectFacts, RecordedFailure, Run, iso

# Not apytest's own `testing/failure_inventory.md` (the shipped lessons): a project's record of
# its failures is another file, so that neither is mistaken for the other.
DEFAULT_OUTPUT = "testing/recorded_failures.md"
BEGIN = (
    "<!-- apytest inventory: begin (written by `apytest inventory`; edits here are replaced) -->"
)
END = "<!-- apytest inventory: end -->"
SHOWN_TESTS = 5

_VARYING = (
    (re.compile(r"0x[0-9a-fA-F]+"), "0x..."),
    (re.compile(r"(/tmp|/var/folders|[A-Z]:\\\\Users)[^\s'\"]*"), "<tmp>"),
    (re.compile(r"\b\d+(\.\d+)?\b"), "N"),
)


def signature(recorded: RecordedFailure) -> str:
    """`ExcType: message` with the parts that differ between occurrences replaced."""
    return failure_signature(recorded.failure)


def failure_signature(failure: Failure) -> str:
    """`signature` of one failure record: the prompt bundle clusters failures by it."""
    message = failure.message.removeprefix(f"{failure.exc_type}: ")
    for pattern, replacement in _VARYING:
        message = pattern.sub(replacement, message)
    return f"{failure.exc_type}: {message}" if failure.exc_type else message


def lesson(recorded: RecordedFailure, project: ProjectFacts) -> str | None:
    """The lesson the orchestrator's failure signatures give this failure, if any."""
    inputs = Review(run=Run("", 0.0, 0.0, 0.0, 0, failures=(recorded.failure,)), project=project)
    for matcher in FAILURE_SIGNATURES:
        suggestion = matcher(recorded.failure, inputs)
        if suggestion is not None:
            return suggestion.lesson
    return None


@dataclass
class Entry:
    signature: str
    lesson: str | None
    count: int = 0
    first_seen: float = float("inf")
    last_seen: float = 0.0
    tests: dict[str, int] = field(default_factory=dict)


def entries(
    failures: Iterable[RecordedFailure], project: ProjectFacts | None = None
) -> list[Entry]:
    """One entry per signature, the most frequent first; `project` tells the lessons apart
    that depend on declarations (an optional extra, or declared nowhere)."""
    found: dict[str, Entry] = {}
    for recorded in failures:
        key = signature(recorded)
        entry = found.get(key)
        if entry is None:
            entry = found[key] = Entry(key, lesson(recorded, project or ProjectFacts()))
        entry.count += 1
        entry.first_seen = min(entry.first_seen, recorded.at)
        entry.last_seen = max(entry.last_seen, recorded.at)
        nodeid = recorded.failure.nodeid
        entry.tests[nodeid] = entry.tests.get(nodeid, 0) + 1
    return sorted(found.values(), key=lambda e: (-e.count, e.signature))


def render(found: list[Entry]) -> str:
    lines = [BEGIN, "", "## Recorded failures", ""]
    if not found:
        lines += ["No failures recorded yet.", ""]
    for entry in found:
        anchor = "failure-" + hashlib.sha1(entry.signature.encode()).hexdigest()[:10]
        tests = sorted(entry.tests.items(), key=lambda item: (-item[1], item[0]))
        shown = ", ".join(f"`{nodeid}` ({count})" for nodeid, count in tests[:SHOWN_TESTS])
        more = f" and {len(tests) - SHOWN_TESTS} more" if len(tests) > SHOWN_TESTS else ""
        lesson_text = f"`{reference(entry.lesson)}`" if entry.lesson else "none recognised"
        lines += [
            f'<a id="{anchor}"></a>',
            f"### `{entry.signature}`",
            "",
            f"- **Count**: {entry.count}",
            f"- **First seen**: {iso(entry.first_seen)}; **last seen**: {iso(entry.last_seen)}",
            f"- **Tests**: {shown}{more}",
            f"- **Lesson**: {lesson_text}",
            "",
        ]
    lines.append(END)
    return "\n".join(lines) + "\n"


MAX_BYTES = 16 * 1024 * 1024


def _read(path: Path) -> str:
    """The inventory's text; OSError naming the file when it is not UTF-8 text we can keep."""
    data = read_regular(path, MAX_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise OSError(
            errno.EILSEQ, f"not UTF-8 (byte {error.start}): left unchanged", str(path)
        ) from None


def update(path: Path, found: list[Entry]) -> None:
    """Write the section into `path`, replacing an earlier one and keeping everything else."""
    section = render(found)
    require_replaceable(path)  # a FIFO given as the output: refused, never opened
    text = _read(path) if os.path.lexists(path) else "# Failure inventory\n\n"
    if BEGIN in text and END in text:
        before, _, rest = text.partition(BEGIN)
        _, _, after = rest.partition(END)
        text = before + section.rstrip("\n") + after
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text)
