"""One run's failures as a bundle for a reviewer that was not there: a person, a tool or a model.

`apytest review --format prompt` (Markdown) and `--format jsonl` (one record per cluster) print
it; the optional AI review sends one cluster at a time. Failures are clustered by fingerprint:
the same signature (exception type and message, with the varying parts replaced) at the same
location is one cluster with a count, however many tests hit it. Each cluster carries what a
reviewer needs to answer without the repository: the test's source around the failing line, the
traceback excerpt, the lesson's text, apytest-lint's findings on the test file, the history of
its tests (new? flaky? failing since when?) and the deterministic suggestion.

Every text is redacted before it is cut to size: cutting first could split a secret so that
the redaction patterns no longer see it. The whole bundle is bounded (`Limits`): clusters that
do not fit are counted, never silently dropped.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from apytest.common.lessons import lessons, reference
from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback import trends
from apytest.feedback.corpus_memory_logging import MemoryPath
from apytest.feedback.inventory import failure_signature
from apytest.feedback.records import Failure, History, Run, Suggestion, iso
from apytest.feedback.redact import redact


@dataclass(frozen=True)
class Limits:
    """Size bounds: per part of a cluster, and for the whole bundle (characters)."""

    total: int = 60_000
    source_lines: int = 12
    """Lines of test source around the failing line."""
    traceback: int = 4_000
    lesson: int = 3_000
    suggestion: int = 1_500
    lint_findings: int = 10
    tests: int = 10
    """Test ids listed per cluster (the count covers all)."""


@dataclass(frozen=True)
class Cluster:
    """Failures with one fingerprint: the same signature at the same location."""

    fingerprint: str
    signature: str
    location: str
    tests: tuple[str, ...]
    """The first `Limits.tests` distinct tests; `more_tests` counts the others."""
    more_tests: int
    count: int
    lesson: str | None
    lesson_text: str
    suggestion: str
    source_path: str
    source_start: int
    source: str
    traceback: str
    lint: tuple[str, ...]
    history: Mapping[str, str] = field(default_factory=dict)
    """Each listed test's history in a few words: new, newly failing, flaky, failing."""

    def as_json(self) -> dict[str, object]:
        return {
            "fingerprint": self.fingerprint,
            "signature": self.signature,
            "location": self.location,
            "count": self.count,
            "tests": list(self.tests),
            "more_tests": self.more_tests,
            "history": dict(self.history),
            "lesson": reference(self.lesson) if self.lesson else None,
            "lesson_text": self.lesson_text,
            "suggestion": self.suggestion,
            "source": {"path": self.source_path, "start": self.source_start, "text": self.source},
            "traceback": self.traceback,
            "lint": list(self.lint),
        }

    def markdown(self, number: int) -> str:
        """This cluster as a Markdown section (`number` orders it within the bundle)."""
        plural = "s" if self.count != 1 else ""
        tests = ", ".join(f"`{t}` ({self.history.get(t, 'no history')})" for t in self.tests)
        more = f" and {self.more_tests} more" if self.more_tests else ""
        lines = [
            f"## {number}. `{self.signature}` at {self.location} ({self.count} failure{plural})",
            "",
            f"- Fingerprint: `{self.fingerprint}`",
            f"- Tests: {tests}{more}",
            f"- Lesson: `{reference(self.lesson)}`" if self.lesson else "- Lesson: none recognised",
            "",
            "### Deterministic suggestion",
            "",
            self.suggestion or "(none: no known failure signature matched)",
            "",
        ]
        if self.source:
            lines += [
                f"### Test source ({self.source_path}, from line {self.source_start})",
                "",
                *_fenced(self.source, "python"),
                "",
            ]
        lines += ["### Traceback (excerpt)", "", *_fenced(self.traceback or "(none)", "text"), ""]
        lines += [f"### apytest-lint on {self.source_path or 'the test file'}", ""]
        lines += [f"- {finding}" for finding in self.lint] or ["(no findings)"]
        lines.append("")
        if self.lesson:
            lines += [f"### Lesson `{self.lesson}`", "", self.lesson_text, ""]
        return "\n".join(lines)


@dataclass(frozen=True)
class Bundle:
    """The clusters of one run, bounded; `omitted` counts the clusters that did not fit."""

    project: str
    run_id: int | None
    header: str
    clusters: tuple[Cluster, ...]
    run_suggestions: tuple[str, ...]
    omitted: int

    def markdown(self) -> str:
        parts = [self.header]
        if self.run_suggestions:
            parts.append(
                "## Run-level suggestions\n\n" + "\n".join(f"- {s}" for s in self.run_suggestions)
            )
        parts += [cluster.markdown(n) for n, cluster in enumerate(self.clusters, 1)]
        if self.omitted:
            parts.append(f"({self.omitted} more cluster(s) left out: the bundle's size bound)")
        return "\n\n".join(parts).rstrip() + "\n"

    def jsonl(self) -> str:
        return "".join(
            json.dumps({"project": self.project, "run": self.run_id, **c.as_json()}) + "\n"
            for c in self.clusters
        )


def clip(text: str, limit: int) -> str:
    """`text` redacted, then cut to `limit` characters with a mark saying so."""
    text = redact(text)
    if len(text) <= limit:
        return text
    return text[: max(limit - 20, 0)].rstrip() + "\n[... cut to size]"


def _fenced(text: str, language: str) -> list[str]:
    """A code fence longer than any backtick run inside `text`, so the text cannot end it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{language}", text, fence]


def fingerprint(failure: Failure) -> tuple[str, str]:
    """(fingerprint, signature): a stable id of the signature at the failure's location."""
    signature = failure_signature(failure)
    digest = hashlib.sha256(f"{signature}\n{failure.location}".encode()).hexdigest()
    return digest[:16], signature


def lesson_text(anchor: str, limit: int) -> str:
    """The text of the shipped lesson, or where to read it."""
    lesson = lessons().get(anchor)
    return clip(lesson.text.strip(), limit) if lesson else f"(see `{reference(anchor)}`)"


def _source(root: Path, failure: Failure, limits: Limits) -> tuple[str, int, str]:
    """(path, first line, excerpt) of the test file around the failing line."""
    path = failure.nodeid.split("::", 1)[0]
    line = failure.line if failure.path == path else 0
    try:
        lines = (root / path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return path, 0, ""
    if line <= 0:  # the failure is elsewhere: show the test function's definition
        name = failure.nodeid.split("::")[-1].split("[", 1)[0]
        line = next((n for n, t in enumerate(lines, 1) if f"def {name}(" in t), 1)
    start = max(1, line - limits.source_lines // 2)
    excerpt = "\n".join(lines[start - 1 : start - 1 + limits.source_lines])
    return path, start, clip(excerpt, limits.source_lines * 200)


def test_history(history: History, nodeid: str, outcome: str) -> str:
    """A test's history in a few words: new, newly failing, flaky, failing since."""
    earlier = history.outcomes.get(nodeid, ())
    if not history.runs:
        return "no earlier runs recorded"
    if not earlier:
        return "new: in none of the last runs"
    marks = trends.marks([*earlier, outcome])
    flips = trends.flips(marks)
    if flips >= trends.FLAKY_FLIPS:
        return f"flaky: {marks} over its last {len(marks)} runs, oldest first"
    if "F" not in marks[:-1]:
        return f"newly failing: passed in its last {len(marks) - 1} runs"
    return f"failing: {marks} over its last {len(marks)} runs, oldest first"


def build(
    run: Run,
    suggestions: Sequence[Suggestion],
    history: History,
    root: Path,
    lint_findings: Mapping[str, Sequence[str]],
    limits: Limits = Limits(),
) -> Bundle:
    """The bundle of `run`: its failures clustered, each with its evidence, within `limits`.

    `suggestions` are the orchestrator's for this run, `history` the runs before it,
    `lint_findings` apytest-lint's findings (formatted lines) per test file.
    """
    grouped: dict[str, list[Failure]] = {}
    for failure in run.failures:
        grouped.setdefault(fingerprint(failure)[0], []).append(failure)
    context = _Context(
        root,
        history,
        {r.nodeid: r.outcome for r in run.results},
        {s.nodeid: s for s in suggestions if s.source == "failure"},
        lint_findings,
        limits,
    )
    header = _header(run, len(grouped))
    budget = limits.total - len(header)
    clusters: list[Cluster] = []
    for failures in sorted(grouped.values(), key=lambda found: -len(found)):
        cluster = context.cluster(failures)
        size = len(cluster.markdown(len(clusters) + 1))
        if size > budget and clusters:
            break
        budget -= size
        clusters.append(cluster)
    return Bundle(
        project=run.project,
        run_id=run.id,
        header=header,
        clusters=tuple(clusters),
        run_suggestions=tuple(
            clip(f"{s.text} (lesson: {s.lesson_reference})", limits.suggestion)
            for s in suggestions
            if s.source not in ("failure", "lint")
        ),
        omitted=len(grouped) - len(clusters),
    )


def _header(run: Run, clusters: int) -> str:
    coverage = f"{run.coverage:.1f}%" if run.coverage is not None else "not measured"
    failed = len({f.nodeid for f in run.failures})
    return (
        f"# apytest review of {run.project}, run {run.id}\n\n"
        f"Finished {iso(run.finished_at)}: {len(run.results)} tests, {failed} failed, "
        f"coverage {coverage}, exit status {run.exit_status}. {clusters} failure cluster(s): "
        "failures with the same signature at the same location are one cluster.\n\n"
        "Texts are redacted (passwords, tokens, keys) and cut to size. Lessons are apytest's "
        "(`apytest lesson <anchor>` prints one)."
    )


@dataclass(frozen=True)
class _Context:
    """What every cluster of one run reads its evidence from."""

    root: Path
    history: History
    outcomes: Mapping[str, str]
    suggestions: Mapping[str | None, Suggestion]
    lint: Mapping[str, Sequence[str]]
    limits: Limits

    def cluster(self, failures: Sequence[Failure]) -> Cluster:
        """The cluster of `failures` (one fingerprint), redacted and cut to the limits."""
        first, limits = failures[0], self.limits
        key, signature = fingerprint(first)
        tests = tuple(dict.fromkeys(f.nodeid for f in failures))
        shown = tests[: limits.tests]
        suggestion = next((self.suggestions[t] for t in tests if t in self.suggestions), None)
        lesson = suggestion.lesson if suggestion else None
        path, start, source = _source(self.root, first, limits)
        return Cluster(
            fingerprint=key,
            signature=clip(signature, 300),
            location=first.location,
            tests=shown,
            more_tests=len(tests) - len(shown),
            count=len(failures),
            lesson=lesson,
            lesson_text=lesson_text(lesson, limits.lesson) if lesson else "",
            suggestion=clip(suggestion.text, limits.suggestion) if suggestion else "",
            source_path=path,
            source_start=start,
            source=source,
            traceback=clip(
                (first.traceback or first.message)[-limits.traceback * 2 :], limits.traceback
            ),
            lint=tuple(clip(f, 500) for f in self.lint.get(path, ())[: limits.lint_findings]),
            history={
                t: test_history(self.history, t, self.outcomes.get(t, "failed")) for t in shown
            },
        )


def lint_findings(root: Path, files: Iterable[str]) -> dict[str, list[str]]:
    """apytest-lint's findings on `files` (paths under `root`), formatted, per file."""
    from apytest.lint.api import LintError, lint

    existing = sorted({f for f in files if (root / f).is_file()})
    if not existing:
        return {}
    try:
        result = lint([root / f for f in existing], root=root)
    except (LintError, OSError) as error:
        return {f: [f"(apytest-lint could not run: {error})"] for f in existing}
    found: dict[str, list[str]] = {}
    for finding in result.findings:
        found.setdefault(finding.path, []).append(finding.format())
    return found


def of_stored(
    run: Run,
    suggestions: Sequence[Suggestion],
    root: Path,
    limits: Limits = Limits(),
    *,
    instance: str | None = None,
    memory: MemoryPath,
) -> Bundle:
    """The bundle of a stored run: its history from the memory (of `instance` when given),
    lint findings read now."""
    tests = {f.nodeid for f in run.failures}
    return build(
        run,
        suggestions,
        memory_api.history(
            run.project, before=run.id, focus=tests, instance=instance, memory=memory
        ),
        root,
        lint_findings(root, {t.split("::", 1)[0] for t in tests}),
        limits,
    )
