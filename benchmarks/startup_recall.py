"""Remove each declared pytest plugin in turn: does pytest still start and collect, and does
apytest-lint say so beforehand?

The judge is pytest. For each project of ``truth.py`` whose test environment holds pytest
plugins (distributions with a ``pytest11`` entry point) that the project declares for its tests
(not its runtime dependencies), and for each such plugin in turn:

1. copy the project to a scratch folder and delete every declaration of the plugin there
   (requirement strings in ``pyproject.toml``, ``setup.py``/``setup.cfg``, ``tox.ini``,
   requirement files, ``PKG-INFO``...), as a maintainer dropping it would;
2. "uninstall" it: a venv whose ``site-packages`` links every entry of the cached test venv but
   the plugin's own files (its ``RECORD``), as ``pip uninstall`` would leave it;
3. run ``pytest --collect-only`` there, and compare with the untouched project in the untouched
   venv: the run cannot start any more (``aborted``), or these modules no longer collect;
4. lint the edited copy with ``apytest-lint --select ALL`` and keep the findings that the
   untouched copy does not have.

Recall: of the breaks pytest shows (an aborted start, or a module newly failing), those with a
new finding in that module (a start: in the configuration file or the conftest pytest names).
Precision: of the new findings, those in a module (or, for the configuration file, a run) that
pytest shows broken. The untouched copies are the precision check "nothing removed": their
APT401-APT404 findings are listed with the verdicts of ``benchmarks/truth/``.

The cached venvs and projects of ``truth.py`` are only read (``--cache``, default
``benchmarks/.cache``); everything edited lives under ``--work`` (default a temporary folder).

    .venv/bin/python benchmarks/startup_recall.py [--cache DIR] [--only NAME ...] [--write-md]
"""

from __future__ import annotations

import argparse
import email.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from corpora import measured, write_results
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from truth import TRUTH, Truth, declared_for_tests
from truth_judge import CollectError, Collection, Finding, parse_collection

from apytest.common.settings import ConfigError, read_toml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
STARTUP_CODES = ("APT401", "APT402", "APT403", "APT404")
DECLARATION_FILES = re.compile(
    r"^(pyproject\.toml|setup\.py|setup\.cfg|tox\.ini|tox\.toml|noxfile\.py|hatch\.toml|"
    r"pixi\.toml|Pipfile|PKG-INFO|environment[\w.-]*\.ya?ml|[\w.-]*requirements[\w.-]*\.(txt|in))$"
)
DECLARATION_FOLDERS = ("requirements", "ci")


# ---------------------------------------------------------------- finding what to remove


def _root(cache: Path, truth: Truth) -> Path | None:
    """The unpacked project in the cache (``python_dateutil-4.0.0`` for ``python-dateutil``)."""
    wanted = canonicalize_name(truth.name)
    for path in cache.iterdir():
        name, _, version = path.name.rpartition("-")
        if path.is_dir() and version == truth.version and canonicalize_name(name) == wanted:
            return path
    return None


def _site_packages(venv: Path) -> Path:
    return next((venv / "lib").glob("python3*/site-packages"))


def installed_plugins(venv: Path) -> dict[str, str]:
    """Canonical name -> version of the venv's distributions with a ``pytest11`` entry point."""
    script = (
        "import importlib.metadata as m, json\n"
        "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()\n"
        "    if any(e.group == 'pytest11' for e in d.entry_points)}))"
    )
    python = str(venv / "bin" / "python")
    done = subprocess.run([python, "-c", script], capture_output=True, text=True, check=True)
    return {canonicalize_name(k): v for k, v in json.loads(done.stdout).items()}


def runtime_requirements(root: Path) -> set[str]:
    """The project's own runtime dependencies (``Requires-Dist`` without an extra)."""
    metadata = email.parser.Parser().parsestr((root / "PKG-INFO").read_text("utf-8"))
    names = set()
    for line in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        if requirement.marker is None or "extra" not in str(requirement.marker):
            names.add(canonicalize_name(requirement.name))
    return names


def required_by(venv: Path, plugin: str) -> list[str]:
    """The other distributions of the venv that require ``plugin`` (markers evaluated, extras
    not): pip would install it for them although the project no longer declares it."""
    found = []
    for dist_info in _site_packages(venv).glob("*.dist-info"):
        metadata = email.parser.Parser().parsestr((dist_info / "METADATA").read_text("utf-8"))
        for line in metadata.get_all("Requires-Dist") or []:
            requirement = Requirement(line)
            if canonicalize_name(requirement.name) != plugin:
                continue
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                found.append(canonicalize_name(metadata["Name"]))
    return sorted(set(found))


# ---------------------------------------------------------------- removing a declaration


def _name_pattern(name: str) -> str:
    parts = [re.escape(p) for p in re.split(r"[-_.]+", name)]
    return r"[-_.]".join(parts)


def removal_patterns(name: str) -> list[re.Pattern[str]]:
    """A requirement of ``name`` as it is written in the declaration formats: a quoted string
    (TOML/Python lists), a TOML key (Poetry, pixi), a line of its own (requirement files,
    ``setup.cfg``/``tox.ini`` continuation lines, ``Requires-Dist:``, ``- name`` in YAML)."""
    n = _name_pattern(name)
    inside = r"(?:(?!\1)[^\n])"  # any character of the string but its closing quote
    quoted = rf"[ \t]*([\"']){n}(?:\[{inside}*?\])?(?:\s*[<>=!~;@(]{inside}*?)?\s*\1[ \t]*,?"
    tail = r"(?:\[[^\]\n]*\])?(?:\s*[<>=!~;@(][^\n]*?)?"
    return [
        re.compile(quoted, re.I),
        re.compile(rf"^[ \t]*[\"']?{n}[\"']?[ \t]*=[^\n]*$", re.I | re.M),
        re.compile(
            rf"^[ \t]*(?:-[ \t]+|Requires-Dist:[ \t]*)?{n}{tail}[ \t]*(?:#[^\n]*)?$", re.I | re.M
        ),
    ]


def declaration_files(root: Path) -> list[Path]:
    found = [p for p in root.iterdir() if p.is_file() and DECLARATION_FILES.match(p.name)]
    for folder in DECLARATION_FOLDERS:
        if (root / folder).is_dir():
            found += [
                p
                for p in (root / folder).rglob("*")
                if p.is_file() and p.suffix in (".txt", ".in", ".yml", ".yaml")
            ]
    return found


def remove_declarations(root: Path, name: str) -> list[str]:
    """Delete every requirement of ``name`` under ``root``; the edits, ``file: text``. An edit
    that leaves a TOML file or ``setup.py`` unparseable is undone and reported as such."""
    edits: list[str] = []
    for path in declaration_files(root):
        original = path.read_text("utf-8", errors="replace")
        kept = []
        for line in original.splitlines(keepends=True):
            edited = line
            for pattern in removal_patterns(name):
                edited = pattern.sub("", edited.rstrip("\n")) + (
                    "\n" if edited.endswith("\n") else ""
                )
            if edited != line:
                edits.append(f"{path.relative_to(root)}: {line.strip()}")
                if not edited.strip():
                    continue  # the line held only the requirement
            kept.append(edited)
        text = "".join(kept)
        if text == original:
            continue
        path.write_text(text, "utf-8")
        try:
            if path.suffix == ".toml":
                read_toml(path)
            elif path.suffix == ".py":
                compile(text, str(path), "exec")
        except (SyntaxError, ConfigError) as error:
            path.write_text(original, "utf-8")
            edits.append(f"{path.relative_to(root)}: EDIT UNDONE ({error})")
    return edits


# ---------------------------------------------------------------- uninstalling


def venv_without(base: Path, plugin: str, target: Path) -> Path:
    """A venv with every distribution of ``base`` but ``plugin``: its ``site-packages`` links
    the entries of ``base``'s, less the files the plugin's ``RECORD`` lists."""
    if target.exists():
        shutil.rmtree(target)
    python = base / "bin" / "python"
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(target)], check=True)
    source, site = _site_packages(base), _site_packages(target)
    record = next(
        d / "RECORD"
        for d in source.glob("*.dist-info")
        if canonicalize_name(d.name.removesuffix(".dist-info").rsplit("-", 1)[0]) == plugin
    )
    owned = {line.split(",")[0] for line in record.read_text("utf-8").splitlines() if line}
    owned_top = {p.split("/")[0] for p in owned if not p.startswith("..")}
    shared = {top for top in owned_top if (source / top).is_dir() and not _only(source, top, owned)}
    for entry in source.iterdir():
        if entry.name in owned_top and entry.name not in shared:
            continue
        if entry.name in shared:  # a namespace folder other distributions also fill
            (site / entry.name).mkdir()
            for child in entry.iterdir():
                if f"{entry.name}/{child.name}" not in {"/".join(p.split("/")[:2]) for p in owned}:
                    (site / entry.name / child.name).symlink_to(child)
            continue
        (site / entry.name).symlink_to(entry)
    return target


def _only(source: Path, top: str, owned: set[str]) -> bool:
    """Whether every file under ``source/top`` belongs to the plugin."""
    return all(
        p.relative_to(source).as_posix() in owned or "__pycache__" in p.parts
        for p in (source / top).rglob("*")
        if p.is_file()
    )


# ---------------------------------------------------------------- running the judges


def collect(venv: Path, root: Path) -> tuple[Collection, str]:
    command = [str(venv / "bin" / "python"), "-m", "pytest", "--collect-only", "-q"]
    command += ["-p", "no:cacheprovider"]
    environ = {**os.environ, "COLUMNS": "300", "PYTHONDONTWRITEBYTECODE": "1"}
    environ.pop("PYTEST_ADDOPTS", None)
    done = subprocess.run(
        command, cwd=root, capture_output=True, text=True, env=environ, timeout=1200
    )
    output = done.stdout + "\n" + done.stderr
    collection = parse_collection(output, root)
    if done.returncode in (3, 4) and not collection.aborted:  # INTERNALERROR, usage error
        said = output.splitlines()
        lines = [line for line in said if line.startswith("ERROR: ")]
        lines += [
            line for line in said if re.match(r"INTERNALERROR> \w+\.\w+(Error|Warning)", line)
        ]
        collection.aborted = (lines or [f"exit code {done.returncode}"])[0].strip()[:300]
    return collection, output


LINT = [str(REPO / ".venv" / "bin" / "apytest-lint")]


def lint(root: Path) -> list[Finding]:
    command = [*LINT, "--select", "ALL", "--no-cache"]
    command += ["--format", "json", "-q"]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=1200)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"lint failed in {root}: {done.stderr.strip()[-500:]}")
    return [
        Finding(item["path"], int(item["line"]), item["code"], item["message"])
        for item in json.loads(done.stdout or "[]")
    ]


def _key(finding: Finding) -> tuple[str, str, str]:
    return finding.path, finding.code, finding.message


# ---------------------------------------------------------------- judging a case


@dataclass
class Case:
    project: str
    plugin: str
    edits: list[str]
    aborted: str | None = None
    broken: dict[str, str] = field(default_factory=dict)
    """Module -> why it no longer collects (new collection errors)."""
    new: list[Finding] = field(default_factory=list)
    true: list[Finding] = field(default_factory=list)
    predicted: set[str] = field(default_factory=set)
    """Of the breaks (module paths, ``<start>`` for an aborted run), those a finding names."""
    kept_for: list[str] = field(default_factory=list)
    """Installed distributions requiring the plugin: an environment built from the edited
    declarations still has it, so the case is shown but left out of the figures."""

    @property
    def breaks(self) -> set[str]:
        return set(self.broken) | ({"<start>"} if self.aborted else set())


def _config_files(root: Path) -> set[str]:
    names = ("pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")
    return {n for n in names if (root / n).is_file()}


def _cause(text: str) -> str:
    """The class of a break, from what pytest printed."""
    checks = (
        ("marker", ("not found in `markers`", "PytestUnknownMarkWarning", "Unknown pytest.mark")),
        ("option", ("unrecognized arguments",)),
        ("ini key", ("Unknown config option", "PytestConfigWarning")),
        ("warning category", ("filter module", "warning configuration")),
        ("plugin", ("Error importing plugin",)),
        ("import", ("No module named", "ImportError", "ModuleNotFoundError")),
    )
    return next((cause for cause, marks in checks if any(m in text for m in marks)), "other")


def judge(case: Case, root: Path, after: Collection, before: Collection, output: str) -> None:
    if after.aborted and not before.aborted:
        case.aborted = after.aborted
    elif not after.collected and before.collected and not after.errors:
        case.aborted = (output.strip().splitlines() or ["no output"])[-1][:300]
    for path, error in after.errors.items():
        if path not in before.errors and not (case.aborted and path.endswith("conftest.py")):
            # pytest.fail()'s "Failed: ..." has no exception line: the short summary says it.
            summary = re.search(rf"^ERROR {re.escape(path)} - (.+)$", output, re.M)
            why = f"{error.kind}: {error.text}" if error.text or not summary else summary[1]
            case.broken[path] = why[:200]
    # A run that cannot start names the configuration file, or the conftest it stopped in.
    conftests = {f.path for f in case.new if f.path.endswith("conftest.py") and f.path in output}
    starts = (
        _config_files(root) | conftests | {p for p in after.errors if p.endswith("conftest.py")}
    )
    for finding in case.new:
        if finding.path in case.broken:
            case.true.append(finding)
            case.predicted.add(finding.path)
        elif case.aborted and finding.path in starts:
            case.true.append(finding)
            case.predicted.add("<start>")


def run_project(
    truth: Truth, cache: Path, work: Path, log: list[str], only_plugins: set[str] | None = None
) -> tuple[list[Case], list[Finding]]:
    """The project's cases and its untouched startup findings; kept in ``result.json`` of its
    scratch folder, and read from there when present (several runs can share the work)."""
    saved = work / truth.key / "result.json"
    if saved.is_file():
        data = json.loads(saved.read_text("utf-8"))
        log.extend(data["log"])
        cases = [_case(c) for c in data["cases"]]
        return cases, [Finding(**f) for f in data["startup"]]
    cases, startup = _run_project(truth, cache, work, log, only_plugins)
    if (work / truth.key).is_dir() and only_plugins is None:
        ours = log[[i for i, line in enumerate(log) if line.startswith(truth.key)][-1] :]
        record = {
            "cases": [{**asdict(c), "predicted": sorted(c.predicted)} for c in cases],
            "startup": [asdict(f) for f in startup],
            "log": ours,
        }
        saved.write_text(json.dumps(record, indent=1), "utf-8")
    return cases, startup


def _case(data: dict[str, Any]) -> Case:
    findings = {k: [Finding(**f) for f in data[k]] for k in ("new", "true")}
    return Case(**{**data, **findings, "predicted": set(data["predicted"])})


def _baseline(source: Path, venv: Path, work: Path) -> tuple[Collection, list[Finding]]:
    """pytest's collection and apytest-lint's findings of the untouched project (kept in
    ``base.json``)."""
    saved = work / "base.json"
    if saved.is_file():
        data = json.loads(saved.read_text("utf-8"))
        errors = {p: CollectError(**e) for p, e in data["errors"].items()}
        before = Collection(errors, set(data["collected"]), data["aborted"])
        return before, [Finding(**f) for f in data["findings"]]
    base_root = work / "base"
    if not base_root.is_dir():
        shutil.copytree(source, base_root, symlinks=True)
    before, _ = collect(venv, base_root)
    baseline = lint(base_root)
    record = {
        "errors": {p: asdict(e) for p, e in before.errors.items()},
        "collected": sorted(before.collected),
        "aborted": before.aborted,
        "findings": [asdict(f) for f in baseline],
    }
    saved.write_text(json.dumps(record), "utf-8")
    return before, baseline


def _run_project(
    truth: Truth, cache: Path, work: Path, log: list[str], only_plugins: set[str] | None
) -> tuple[list[Case], list[Finding]]:
    source = _root(cache, truth)
    venv = cache / "venvs" / f"{truth.key}-test"
    if source is None or not venv.is_dir():
        log.append(f"{truth.key}: not in the cache, skipped")
        return [], []
    declared = declared_for_tests(truth, source)
    runtime = runtime_requirements(source)
    own = canonicalize_name(truth.name)
    plugins = sorted(
        p for p in installed_plugins(venv) if p in declared and p not in runtime and p != own
    )
    skipped = sorted(set(installed_plugins(venv)) - set(plugins))
    log.append(f"{truth.key}: plugins {plugins or 'none'}; installed, not test-declared {skipped}")
    before, baseline = _baseline(source, venv, work / truth.key)
    known = {_key(f) for f in baseline}
    cases = []
    for plugin in plugins:
        if only_plugins is not None and plugin not in only_plugins:
            continue
        saved = work / truth.key / f"{plugin}.json"
        if saved.is_file():
            cases.append(_case(json.loads(saved.read_text("utf-8"))))
            log.append(f"  {plugin}: read from {saved}")
            continue
        root = work / truth.key / plugin
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(source, root, symlinks=True)
        case = Case(truth.name, plugin, remove_declarations(root, plugin))
        case.kept_for = required_by(venv, plugin)
        if not any("EDIT UNDONE" not in e for e in case.edits):
            log.append(f"  {plugin}: no declaration found to remove: {case.edits}")
            continue
        stripped = venv_without(venv, plugin, work / "venvs" / f"{truth.key}-{plugin}")
        after, output = collect(stripped, root)
        case.new = [f for f in lint(root) if _key(f) not in known]
        judge(case, root, after, before, output)
        cases.append(case)
        causes = Counter(_cause(t) for t in case.broken.values())
        if case.aborted:
            causes[_cause(output)] += 1
        log.append(
            f"  {plugin}: removed {case.edits}; "
            + (f"ABORTED ({case.aborted}); " if case.aborted else "")
            + f"{len(case.broken)} modules broken {dict(causes)}; "
            + f"{len(case.new)} new findings, {len(case.true)} true; "
            + f"predicted {len(case.predicted)}/{len(case.breaks)}"
            + (f"; pip keeps it for {case.kept_for}" if case.kept_for else "")
        )
        for path in sorted(case.breaks - case.predicted):
            log.append(f"    MISSED {path}: {case.broken.get(path, case.aborted)}")
        for finding in case.new:
            mark = "T" if finding in case.true else "F"
            log.append(f"    {mark} {finding.path}:{finding.line} {finding.code} {finding.message}")
        shutil.rmtree(stripped)
        saved.write_text(json.dumps({**asdict(case), "predicted": sorted(case.predicted)}), "utf-8")
    startup = [f for f in baseline if f.code in STARTUP_CODES]
    for finding in startup:
        log.append(f"  untouched: {finding.path}:{finding.line} {finding.code} {finding.message}")
    return cases, startup


# ---------------------------------------------------------------- reporting


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.2f}" if b else "0/0 (n/a)"


def report(every: list[Case], untouched: dict[str, list[Finding]]) -> list[str]:
    lines = ["| project | plugin removed | pytest says | breaks predicted | new findings (true) |"]
    lines.append("| --- | --- | --- | --- | --- |")
    cases = [c for c in every if not c.kept_for]
    for c in every:
        said = (
            f"cannot start: {c.aborted[:90]}"
            if c.aborted
            else (f"{len(c.broken)} modules fail to collect" if c.broken else "accepts")
        )
        codes = Counter(f.code for f in c.new)
        true = Counter(f.code for f in c.true)
        found = ", ".join(f"{k} {v} ({true[k]})" for k, v in sorted(codes.items())) or "none"
        predicted = f"{len(c.predicted)}/{len(c.breaks)}" if c.breaks else "-"
        if c.kept_for:
            predicted = f"- (pip keeps it for {', '.join(c.kept_for)}: not counted)"
        lines.append(f"| {c.project} | {c.plugin} | {said} | {predicted} | {found} |")
    breaks = sum(len(c.breaks) for c in cases)
    predicted = sum(len(c.predicted) for c in cases)
    new = sum(len(c.new) for c in cases)
    true = sum(len(c.true) for c in cases)
    startup_new = [f for c in cases for f in c.new if f.code in STARTUP_CODES]
    startup_true = [f for c in cases for f in c.true if f.code in STARTUP_CODES]
    broken_cases = [c for c in cases if c.breaks]
    seen = [c for c in broken_cases if c.predicted]
    by_kind: dict[str, list[int]] = {}
    for c in cases:
        whys = {**c.broken, **({"<start>": c.aborted} if c.aborted else {})}
        for where, why in whys.items():
            tally = by_kind.setdefault(_cause(why), [0, 0])
            tally[0] += where in c.predicted
            tally[1] += 1
    per_project = ", ".join(f"{k} {len(v)}" for k, v in untouched.items() if v)
    lines += [
        "",
        f"- Cases (project, plugin): {len(cases)} in {len({c.project for c in cases})} "
        f"projects; pytest shows a break in {len(broken_cases)} "
        f"({sum(1 for c in cases if c.aborted)} cannot start, "
        f"{sum(1 for c in cases if c.broken and not c.aborted)} with modules failing).",
        f"- Recall, every rule: {_ratio(predicted, breaks)} of the breaks (aborted starts and "
        "modules newly failing) have a new finding where pytest fails.",
        f"- Recall of the cases: {_ratio(len(seen), len(broken_cases))} broken cases with at "
        "least one predicted break.",
        *(f"- Recall, breaks of {kind}: {_ratio(*by_kind[kind])}." for kind in sorted(by_kind)),
        f"- Precision, every rule: {_ratio(true, new)} new findings where pytest shows the break.",
        f"- Precision, APT401-APT404: {_ratio(len(startup_true), len(startup_new))}.",
        f"- Nothing removed: {sum(len(v) for v in untouched.values())} APT401-APT404 findings on "
        f"the untouched projects ({per_project or 'none'}).",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=HERE / ".cache", help="truth.py's cache")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: tmp)")
    parser.add_argument("--only", nargs="*", default=None, help="project names to run")
    parser.add_argument("--write-md", action="store_true", help="write the table into truth.md")
    parser.add_argument("--lint", default=LINT[0], help="the apytest-lint to run")
    parser.add_argument(
        "--plugins", nargs="*", default=None, help="only these plugins' cases (not kept whole)"
    )
    args = parser.parse_args()
    LINT[:] = [args.lint]
    only = None if args.plugins is None else set(args.plugins)
    work = args.work or Path(tempfile.mkdtemp(prefix="startup-recall-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    cases: list[Case] = []
    untouched: dict[str, list[Finding]] = {}
    log: list[str] = []
    printed = 0
    for truth in TRUTH:
        if args.only is not None and truth.name not in args.only:
            continue
        began = time.monotonic()
        found, startup = run_project(truth, args.cache.resolve(), work, log, only)
        cases += found
        untouched[truth.name] = startup
        log.append(f"startup-recall: {truth.key} done in {time.monotonic() - began:.0f} s")
        print("\n".join(log[printed:]), flush=True)
        printed = len(log)
        (work / f"details-{os.getpid()}.txt").write_text("\n".join(log) + "\n", "utf-8")
    table = report(cases, untouched)
    print("\n".join(table))
    elapsed = time.monotonic() - started
    if args.write_md:
        stamp = measured(len(untouched), elapsed)
        write_results(
            HERE / "truth.md",
            "startup-recall",
            "\n".join([stamp, "", *table]),
            "# Truth\n",
            "### Results",
        )
    print(
        f"startup-recall: {len(cases)} cases in {elapsed:.0f} s; "
        f"details in {work}/details-{os.getpid()}.txt"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
