"""The pure half of ``truth.py``: reading pytest's collection errors, verdict files and judging.

Nothing here downloads, installs or runs anything, so ``tests/benchmarks`` checks it offline.
``truth.py`` feeds it pytest's ``--collect-only`` output from two environments per project
(minimal: the project without extras; test: with its test extra or requirements) and apytest's
findings; it answers, per finding, true or false and why.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PYTEST_JUDGED = ("APT101", "APT102", "APT201")
"""Rules whose findings pytest judges (but for imports inside functions, see ``judge_dependency``);
every other rule's findings need a line in a verdict file."""

_HEADER = re.compile(r"^_+ ERROR collecting (?P<path>\S+?) _+$")
_CONFTEST = re.compile(r"ImportError while loading conftest '(?P<path>[^']+)'")
_ERROR_LINE = re.compile(r"^E\s+(?P<kind>[\w.]+(?:Error|Exception|Warning)):?\s*(?P<text>.*)$")
_MISSING = re.compile(r"No module named '(?P<module>[\w.]+)'")
_PLUGIN = re.compile(
    r"Error importing plugin \"(?P<plugin>[\w.]+)\": No module named '(?P<m>[\w.]+)'"
)
_FRAME = re.compile(r"^(?P<path>[^\s<]+conftest\.py):\d+: in <module>$")
_COLLECTED = re.compile(r"^(?P<path>[^\s:]+\.py)::")


@dataclass(frozen=True)
class CollectError:
    """One module (or conftest) pytest could not import."""

    path: str
    """Relative to the project root, ``/``-separated."""
    kind: str
    """The exception's name (``ModuleNotFoundError``, ``ImportError``, ...)."""
    text: str
    missing: str | None = None
    """The module named by a ``ModuleNotFoundError``, dotted as pytest printed it."""

    @property
    def missing_top(self) -> str | None:
        return self.missing.partition(".")[0] if self.missing else None


@dataclass
class Collection:
    """What one ``pytest --collect-only -q`` run said."""

    errors: dict[str, CollectError] = field(default_factory=dict)
    collected: set[str] = field(default_factory=set)
    """Modules with at least one collected test."""
    aborted: str | None = None
    """Why collection never started (a conftest or plugin that does not import, a usage error)."""


def _relative(path: str, root: Path) -> str:
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            return candidate.relative_to(root).as_posix()
        except ValueError:
            return candidate.as_posix()
    return candidate.as_posix()


def _block_error(path: str, lines: list[str], root: Path) -> CollectError:
    """The error of one ``ERROR collecting`` block (its last ``E`` line says what failed)."""
    text = "\n".join(lines)
    conftest = _CONFTEST.search(text)
    if conftest:
        path = _relative(conftest["path"], root)
    elif not path.endswith(".py"):  # a folder: its conftest failed (the frame names it)
        frames = [m["path"] for m in map(_FRAME.match, lines) if m]
        path = _relative(frames[-1], root) if frames else path
    kind, message = "unknown", ""
    for line in lines:
        match = _ERROR_LINE.match(line)
        if match:
            kind, message = match["kind"], match["text"]
    missing = _MISSING.search(message) if kind == "ModuleNotFoundError" else None
    if missing is None:  # re-raised (`raise RuntimeError(...) from e`): the cause names it
        missing = _MISSING.search(text)
        kind = "ModuleNotFoundError" if missing and kind == "unknown" else kind
    return CollectError(path, kind, message, missing["module"] if missing else None)


def parse_collection(output: str, root: Path) -> Collection:
    """Read ``pytest --collect-only -q`` output (stdout and stderr together)."""
    result = Collection()
    lines = output.splitlines()
    current: str | None = None
    block: list[str] = []

    def close() -> None:
        if current is not None:
            error = _block_error(current, block, root)
            result.errors[error.path] = error

    for line in lines:
        header = _HEADER.match(line)
        if header:
            close()
            current, block = _relative(header["path"], root), []
            continue
        if current is not None and (line.startswith("=") or line.startswith("___")):
            close()
            current, block = None, []
            continue
        if current is not None:
            block.append(line)
            continue
        collected = _COLLECTED.match(line)
        if collected:
            result.collected.add(collected["path"])
    close()
    if not result.errors and not result.collected:
        plugin = _PLUGIN.search(output)
        conftest = _CONFTEST.search(output)
        missing = _MISSING.search(output)
        if plugin:
            result.aborted = f"plugin {plugin['plugin']} needs {plugin['m']}"
        elif conftest:
            error = _block_error(_relative(conftest["path"], root), lines, root)
            result.errors[error.path] = error
            result.aborted = f"{error.path}: {error.kind} {error.text}"
        elif "error:" in output or missing:
            wanted = [line for line in lines if "error" in line.lower()]
            result.aborted = (wanted or lines or ["no output"])[-1].strip()
    return result


@dataclass(frozen=True)
class Verdict:
    path: str
    line: int
    code: str
    true: bool
    reason: str


class VerdictError(ValueError):
    """A verdict file line that is not ``path<TAB>line<TAB>code<TAB>true|false<TAB>reason``."""


def read_verdicts(text: str, source: str) -> list[Verdict]:
    """Parse a verdict file; ``#`` lines and blank lines are comments. Several findings can share
    a path, line and code (two requirements on one line): each gets its own verdict, in order."""
    verdicts: list[Verdict] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if len(cells) != 5 or cells[3] not in ("true", "false") or not cells[1].isdigit():
            raise VerdictError(f"{source}:{number}: expected path, line, code, true|false, reason")
        if not cells[4].strip():
            raise VerdictError(f"{source}:{number}: a verdict needs a reason")
        verdicts.append(Verdict(cells[0], int(cells[1]), cells[2], cells[3] == "true", cells[4]))
    return verdicts


def format_verdict(verdict: Verdict) -> str:
    true = "true" if verdict.true else "false"
    return f"{verdict.path}\t{verdict.line}\t{verdict.code}\t{true}\t{verdict.reason}"


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    code: str
    message: str

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.path, self.line, self.code)


def check_verdicts(
    needing: Sequence[Finding], verdicts: Sequence[Verdict]
) -> tuple[list[Verdict | None], list[Verdict]]:
    """Pair each finding that needs a hand verdict with one (None: unjudged, so a new finding
    shows), in file order for findings sharing path, line and code; and the verdicts left over
    (stale: their finding is gone)."""
    waiting: dict[tuple[str, int, str], list[Verdict]] = {}
    for verdict in verdicts:
        waiting.setdefault((verdict.path, verdict.line, verdict.code), []).append(verdict)
    paired = [waiting[f.key].pop(0) if waiting.get(f.key) else None for f in needing]
    stale = [verdict for left in waiting.values() for verdict in left]
    return paired, stale


def imported_at(source: str, line: int) -> tuple[list[str], bool]:
    """The modules imported on ``line`` and whether that import runs when the module is imported
    (not inside a function body, where only running the test would fail)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [], False
    found: list[str] = []
    at_import = True

    def visit(node: ast.AST, in_function: bool) -> None:
        nonlocal at_import
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if isinstance(child, ast.Import | ast.ImportFrom) and child.lineno <= line <= (
                child.end_lineno or child.lineno
            ):
                if isinstance(child, ast.Import):
                    found.extend(alias.name for alias in child.names)
                elif child.module and not child.level:
                    found.append(child.module)
                at_import = not in_function
            call = _dynamic_import(child)
            if call and child.lineno == line:
                found.append(call)
                at_import = not in_function
            visit(child, inner)

    visit(tree, False)
    return found, at_import


def _dynamic_import(node: ast.AST) -> str | None:
    if not isinstance(node, ast.Call) or not node.args:
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    first = node.args[0]
    if name in ("import_module", "__import__") and isinstance(first, ast.Constant):
        return str(first.value)
    return None


@dataclass(frozen=True)
class Judgement:
    true: bool
    reason: str


def judge_dependency(
    finding: Finding,
    modules: list[str],
    at_import: bool,
    envs: tuple[Collection, Collection],
    importable: Mapping[str, bool],
    undeclared: Mapping[str, str],
) -> Judgement | None:
    """Pytest's verdict on an APT101/APT102 finding, or None when collection cannot tell.

    ``modules`` are the imports on the finding's line; ``importable`` says for each top-level
    name whether the test environment can import it; ``undeclared`` maps the modules that only
    the minimal environment fails to collect, for a package the project declares nowhere for its
    tests (it reaches the test environment through another one), to that package.

    An import that runs when the module is imported is true exactly when the module fails to
    collect for that import: in the test environment (or for an earlier import there, the
    package being absent too), or only in the minimal one for a package declared nowhere for
    the tests. An import inside a function runs only with the test, so collection says nothing:
    a verdict file judges it.
    """
    minimal, test = envs
    tops = [m.partition(".")[0] for m in modules]
    if not tops:
        return Judgement(False, "no import on that line")
    if not at_import:
        return None
    error = test.errors.get(finding.path)
    named = error and error.missing and names_package(finding.message, error.missing, None)
    if error and (error.missing_top in tops or named):
        return Judgement(True, f"test env: ModuleNotFoundError {error.missing}")
    minimal_error = minimal.errors.get(finding.path)
    if minimal_error and minimal_error.missing_top in tops and not error:
        if finding.path in undeclared:
            return Judgement(True, f"minimal env lacks {minimal_error.missing}, declared nowhere")
        return Judgement(False, f"only the minimal env lacks {minimal_error.missing}: a test dep")
    absent = [t for t in tops if not importable.get(t, True)]
    if not absent:
        return Judgement(False, "collected, and the package is in the test env")
    if error:
        return Judgement(True, f"{absent[0]} absent from the test env (the module fails earlier)")
    return Judgement(False, f"{absent[0]} absent, but the module is guarded or never collected")


def judge_module_names(finding: Finding, minimal: Collection, test: Collection) -> Judgement:
    for collection in (minimal, test):
        error = collection.errors.get(finding.path)
        if error and "mismatch" in (error.text + error.kind).lower():
            return Judgement(True, "pytest: import file mismatch")
    return Judgement(False, "pytest collects the module")


def names_package(message: str, missing: str, distribution: str | None) -> bool:
    """Whether a finding's message names the missing module or its distribution."""
    quoted = {q.lower() for q in re.findall(r"'([^']+)'", message)}
    wanted = {missing.lower(), missing.partition(".")[0].lower()}
    if distribution:
        wanted.add(distribution.lower())
    return bool(quoted & wanted)
