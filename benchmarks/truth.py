"""Does apytest-lint tell the truth on suites it was never tuned on? Pytest and hand verdicts judge.

For each pinned project below (fetched with pip into ``benchmarks/.cache/``, git-ignored):

1. lint it as a new user would: ``apytest-lint --select ALL --no-cache --format json`` from the
   project's root, with its own declarations, from two environments (the interpreter running
   this script, apytest's dev ``.venv``; and a bare venv holding apytest alone) and compare;
2. build two venvs (cached): *minimal*, the project without extras plus pytest plus what its
   conftest needs to start (``Truth.start``, each with its reason), and *test*, the project with
   its test extra, groups or requirement files; run ``pytest --collect-only`` in each;
3. judge APT101/APT102/APT201 with pytest (see ``truth_judge.judge_dependency``) and every other
   finding by its line in ``benchmarks/truth/<project>.tsv``; print the unjudged findings and
   stale verdicts, the per-rule precision (and recall of the modules that fail to collect in the
   test environment for a missing third-party package), and a per-project table;
4. lint the five projects of ``precision.md`` the same way and print their counts;
5. run ``--fix`` twice on a copy of each of the 25 projects (``fix_twice``): the second pass must
   change no file and no pass may change an import of pytest (exit 1 otherwise).

    .venv/bin/python benchmarks/truth.py [--only NAME ...] [--write-md] [--skip-collect]
"""

from __future__ import annotations

import argparse
import email.parser
import hashlib
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpora import CACHE, PROJECTS, Project, fetch, measured, own_rootdir, unpack, write_results
from fix_twice import FixCheck, fix_twice
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from truth_judge import (
    PYTEST_JUDGED,
    Collection,
    Finding,
    Judgement,
    VerdictError,
    check_verdicts,
    format_verdict,
    imported_at,
    judge_dependency,
    judge_module_names,
    names_package,
    parse_collection,
    read_verdicts,
)

from apytest.lint.toml import read_toml
from apytest.rules import ALL_RULES

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VERDICTS = HERE / "truth"
VENVS = CACHE / "venvs"
PYTHON = os.environ.get("TRUTH_PYTHON", sys.executable)


@dataclass(frozen=True)
class Truth:
    name: str
    version: str
    why: str
    """Why this project is in the set (what it exercises)."""
    start: tuple[tuple[str, str], ...] = ()
    """(requirement, reason): what the minimal env needs for pytest to start collecting."""
    extras: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    """PEP 735 groups (``include-group`` followed) or Poetry groups installed in the test env."""
    requirements: tuple[str, ...] = ()
    """Requirement files (relative to the root) installed in the test env."""
    packages: tuple[str, ...] = ()
    """Test requirements declared where pip cannot read them (``tox.ini`` deps)."""
    wheel: bool = False

    @property
    def key(self) -> str:
        return f"{self.name}-{self.version}"


TRUTH: tuple[Truth, ...] = (
    Truth(
        "flask",
        "3.1.3",
        "WSGI suite; flit; test deps in a PEP 735 group; examples with their own conftests",
        groups=("tests",),
    ),
    Truth(
        "werkzeug",
        "3.1.9",
        "WSGI/HTTP suite, live servers in conftest, environ dicts (APT204), watchdog extra",
        start=(
            ("ephemeral-port-reserve", "tests/conftest.py imports it at module level"),
            ("pytest-timeout", "--strict-markers, and tests use @pytest.mark.timeout"),
        ),
        groups=("tests",),
    ),
    Truth(
        "httpx",
        "0.28.1",
        "HTTP client suite: MockTransport (APT205), optional brotli/zstd/h2/socks extras; "
        "its test requirements file is not in the sdist (declared nowhere there)",
        start=(
            ("uvicorn", "tests/conftest.py imports uvicorn at module level"),
            ("cryptography", "tests/conftest.py imports cryptography at module level"),
            ("trustme", "tests/conftest.py imports trustme at module level"),
            ("trio", "pyproject's filterwarnings names trio.TrioDeprecationWarning"),
        ),
    ),
    Truth(
        "starlette",
        "1.10.0",
        "ASGI suite through TestClient (httpx); hatch; dev group with the full extra",
        start=(("httpx2", "tests/conftest.py imports starlette.testclient, which needs httpx2"),),
        groups=("dev",),
    ),
    Truth(
        "urllib3",
        "2.8.0",
        "HTTP suite with dummy servers; brotli, zstd (backports.zstd), socks, h2 extras guarded "
        "by try/except and skip markers; hatch; dependency groups",
        start=tuple(
            (name, "test/conftest.py and dummyserver/ import it at module level")
            for name in ("trustme", "quart", "quart-trio", "hypercorn", "httpx", "anyio[trio]")
        ),
        groups=("dev",),
    ),
    Truth("click", "8.5.1", "CLI suite (CliRunner.isolated_filesystem, APT203)", groups=("tests",)),
    Truth(
        "typer",
        "0.29.2",
        "CLI suite of 270 files importing docs_src examples; PDM backend; subprocess tests",
        groups=("tests",),
    ),
    Truth(
        "xarray",
        "2026.9.0",
        "scientific suite: requires_x/has_x skip markers from a helper module, importorskip, "
        "pixi.toml, conda environment files in ci/",
        start=(
            (
                "pytest-mypy-plugins",
                "addopts passes --mypy-pyproject-toml-file, an option of that plugin",
            ),
        ),
        groups=("dev",),
    ),
    Truth(
        "networkx",
        "3.6.1",
        "scientific, pure Python: conftest collect_ignore on ImportError, importorskip, "
        "requirements/*.txt",
        extras=("test",),
    ),
    Truth(
        "black",
        "26.10.1",
        "formatter; blackd behind the non-test d extra (aiohttp; tox.ini's commands install it "
        "for the tests, a form no linter reads), jupyter extra; hatch, dependency groups",
        start=(
            (
                "pytest<9",
                "tests/optional.py reads config.inicfg, deprecated in pytest 9: an error under "
                "black's filterwarnings = error",
            ),
        ),
        groups=("tests",),
    ),
    Truth(
        "structlog",
        "26.1.0",
        "logging library with optional rich/twisted/colorama integrations; hatch, tox.ini",
        groups=("tests",),
    ),
    Truth("tomlkit", "0.15.2", "Poetry-built; dev group; YAML fixtures", groups=("dev",)),
    Truth(
        "poetry-core",
        "2.5.0",
        "Poetry dependencies groups ([tool.poetry.group.test]); vendored packages",
        start=(("virtualenv", "tests/conftest.py imports virtualenv at module level"),),
        groups=("test",),
    ),
    Truth(
        "beautifulsoup4",
        "4.15.0",
        "parsers lxml/html5lib guarded by try/except flags plus skipif markers; test deps only "
        "in tox.ini",
        packages=("lxml", "html5lib", "packaging"),
    ),
    Truth(
        "oauthlib",
        "4.0.1",
        "setup.py extras (rsa, signedtoken, signals) imported by the tests, no test extra; "
        "no pytest config",
    ),
    Truth(
        "websocket-client",
        "1.9.2",
        "setup.py extras_require (test, optional: python-socks, wsaccel) guarded by try/except",
        extras=("test",),
    ),
    Truth(
        "python-dateutil",
        "4.0.0",
        "hatch; test deps in requirements-dev.txt and tox.ini; hypothesis property tests",
        requirements=("requirements-dev.txt",),
    ),
    Truth(
        "freezegun",
        "1.5.5",
        "setup.py/setup.cfg; test deps in requirements.txt (maya, dateutil) via tox.ini",
        requirements=("requirements.txt",),
    ),
    Truth(
        "httplib2",
        "0.32.1",
        "setup.py reading requirements-test.txt (tests_require); socks/cryptography tests",
        start=(
            ("pytest-cov", "setup.cfg's addopts pass --cov"),
            ("pytest-timeout", "setup.cfg's addopts pass --timeout"),
        ),
        requirements=("requirements-test.txt",),
    ),
    Truth(
        "pluggy",
        "1.7.0",
        "pytest's plugin system; tox.ini holds the pytest config; testing group",
        groups=("testing",),
    ),
)


# ---------------------------------------------------------------- fetching and environments


def prepare(truth: Truth) -> tuple[Path, Path]:
    """The downloaded archive and the unpacked root (made the rootdir of its own suite)."""
    project = Project(truth.name, truth.version, wheel=truth.wheel, tests="")
    archive = fetch(project)
    root = unpack(project, archive)
    own_rootdir(root)
    return archive, root


def _group_requirements(root: Path, names: tuple[str, ...]) -> list[str]:
    data = read_toml(root / "pyproject.toml")
    groups = data.get("dependency-groups", {})
    poetry = data.get("tool", {}).get("poetry", {}).get("group", {})
    wanted: list[str] = []

    def add(name: str) -> None:
        if name in groups:
            for item in groups[name]:
                if isinstance(item, dict):
                    add(item["include-group"])
                else:
                    wanted.append(item)
        elif name in poetry:
            for dist, spec in poetry[name].get("dependencies", {}).items():
                wanted.append(dist if not isinstance(spec, str) else f"{dist}")
        else:
            raise SystemExit(f"truth: {root.name} has no dependency group {name!r}")

    for name in names:
        add(name)
    return [w for w in wanted if "@" not in w]


def _venv(name: str, args: list[str], cwd: Path | None = None, salt: bytes = b"") -> Path:
    """A cached venv with ``pip install args``; rebuilt when the arguments (or ``salt``:
    what else decides what they install) change."""
    target = VENVS / name
    stamp = target / "truth-installed"
    wanted = hashlib.sha256(json.dumps(args).encode() + salt).hexdigest()
    if stamp.is_file() and stamp.read_text() == wanted:
        return target
    if target.exists():
        subprocess.run(["rm", "-rf", str(target)], check=True)
    subprocess.run([PYTHON, "-m", "venv", str(target)], check=True)
    pip = [str(target / "bin" / "python"), "-m", "pip", "install", "-q"]
    done = subprocess.run([*pip, *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        print(f"truth: installing {name} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        raise SystemExit(1)
    stamp.write_text(wanted)
    return target


def environments(truth: Truth, archive: Path, root: Path) -> tuple[Path, Path]:
    spec = f"{truth.name} @ {archive.as_uri()}"
    minimal = _venv(f"{truth.key}-minimal", [spec, "pytest", *(r for r, _ in truth.start)])
    extras = f"[{','.join(truth.extras)}]" if truth.extras else ""
    test_args = [f"{truth.name}{extras} @ {archive.as_uri()}", "pytest", *truth.packages]
    test_args += _group_requirements(root, truth.groups)
    for requirement_file in truth.requirements:
        test_args += ["-r", str(root / requirement_file)]
    test_args += [r for r, _ in truth.start]
    return minimal, _venv(f"{truth.key}-test", test_args)


def bare_lint_env() -> Path:
    """A venv holding apytest (editable, this checkout) and its runtime dependencies only;
    rebuilt when ``pyproject.toml`` changes (a new package or dependency of apytest)."""
    return _venv("apytest-bare", ["-e", str(REPO)], salt=(REPO / "pyproject.toml").read_bytes())


def collect(env: Path, root: Path) -> tuple[Collection, str]:
    command = [str(env / "bin" / "python"), "-m", "pytest", "--collect-only", "-q"]
    command += ["-p", "no:cacheprovider", "-p", "no:apytest"]
    environ = {**os.environ, "COLUMNS": "300", "PYTHONDONTWRITEBYTECODE": "1"}
    environ.pop("PYTEST_ADDOPTS", None)
    done = subprocess.run(
        command, cwd=root, capture_output=True, text=True, env=environ, timeout=900
    )
    output = done.stdout + "\n" + done.stderr
    return parse_collection(output, root), output


def collect_once(env: Path, root: Path, name: str, reuse: bool) -> Collection:
    """Collect, or with ``reuse`` read the output saved by a run in the same venv (saved after
    the venv was last built): what pytest collects does not depend on apytest, so a rerun after
    a rule change is fast."""
    saved = CACHE / f"collect-{name}.txt"
    built = (env / "truth-installed").stat().st_mtime
    if reuse and saved.is_file() and saved.stat().st_mtime > built:
        return parse_collection(saved.read_text("utf-8"), root)
    collection, output = collect(env, root)
    saved.write_text(output, "utf-8")
    return collection


def _json_in(env: Path, script: str, args: set[str]) -> Any:
    """What ``script``, run by the env's Python outside any project folder with ``args``,
    prints as JSON."""
    done = subprocess.run(
        [str(env / "bin" / "python"), "-c", script, *sorted(args)],
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
    )
    return json.loads(done.stdout)


def probe(env: Path, names: set[str], root: Path) -> tuple[dict[str, bool], dict[str, str]]:
    """For each top-level name: can the env import it (outside the project's folder), and
    which installed distribution provides it (canonical name), when one does."""
    script = (
        "import importlib.util, importlib.metadata as m, json, sys\n"
        "sys.path = [p for p in sys.path if p not in ('', '.')]\n"
        "names = sys.argv[1:]\n"
        "dists = m.packages_distributions()\n"
        "print(json.dumps([{n: importlib.util.find_spec(n) is not None for n in names},\n"
        "                  {n: dists[n][0] for n in names if n in dists}]))"
    )
    found, dists = _json_in(env, script, names)
    for name in names:  # first-party: a folder or module at the root
        if (root / name).is_dir() or (root / f"{name}.py").is_file():
            found[name] = True
    return found, {name: canonicalize_name(dist) for name, dist in dists.items()}


def brought_by(env: Path, declared: set[str]) -> set[str]:
    """The distributions the declared ones require in the env, for certain (no extra; markers
    evaluated there), all the way down: whatever installs the declarations installs them, so a
    module importing one cannot fail collection where the suite runs as declared (deptry would
    still call it a transitive dependency; apytest-lint does not, being precision-first)."""
    script = (
        "import importlib.metadata as m, json, sys\n"
        "from packaging.requirements import Requirement\n"
        "from packaging.utils import canonicalize_name as c\n"
        "todo, seen = [c(n) for n in sys.argv[1:]], set()\n"
        "while todo:\n"
        "    name = todo.pop()\n"
        "    if name in seen:\n"
        "        continue\n"
        "    seen.add(name)\n"
        "    try:\n"
        "        requires = m.requires(name) or []\n"
        "    except m.PackageNotFoundError:\n"
        "        continue\n"
        "    for line in requires:\n"
        "        r = Requirement(line)\n"
        "        if r.marker is None or r.marker.evaluate({'extra': ''}):\n"
        "            todo.append(c(r.name))\n"
        "print(json.dumps(sorted(seen)))"
    )
    return set(_json_in(env, script, declared)) - declared


def declared_for_tests(truth: Truth, root: Path) -> set[str]:
    """The distributions the project declares for a test run: its runtime dependencies and the
    test extras, groups, requirement files and tox deps the test env was built from."""
    names: list[str] = [*truth.packages, *_group_requirements(root, truth.groups)]
    for requirement_file in truth.requirements:
        for line in (root / requirement_file).read_text("utf-8").splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-"):
                names.append(line)
    metadata = email.parser.Parser().parsestr((root / "PKG-INFO").read_text("utf-8"))
    own = canonicalize_name(metadata["Name"])
    requires = [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]
    declared: set[str] = set()
    extras = set(truth.extras)
    for name in names:
        try:
            requirement = Requirement(name)
        except InvalidRequirement:
            continue
        declared.add(canonicalize_name(requirement.name))
        if canonicalize_name(requirement.name) == own:  # a group naming the project's extras
            extras |= requirement.extras
    while True:  # extras that name the project's other extras (xarray[complete])
        more = {
            extra
            for r in requires
            if canonicalize_name(r.name) == own and _in_extras(r, extras)
            for extra in r.extras
        }
        if more <= extras:
            break
        extras |= more
    declared |= {canonicalize_name(r.name) for r in requires if _in_extras(r, extras)}
    return declared


def _in_extras(requirement: Requirement, extras: set[str]) -> bool:
    marker = requirement.marker
    return marker is None or any(marker.evaluate({"extra": e}) for e in extras)


def lint(python: Path | str, root: Path) -> list[Finding]:
    command = [str(python), "-m", "apytest.cli.apytest_lint", "--select", "ALL", "--no-cache"]
    command += ["--format", "json", "-q"]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=900)
    try:  # the JSON format always prints a list, "[]" when nothing is found
        items = json.loads(done.stdout) if done.returncode in (0, 1) else None
    except json.JSONDecodeError:
        items = None
    if not isinstance(items, list):
        # a crash (exit 1 with a traceback) must not pass for "no findings"
        print(f"truth: lint failed in {root.name} with {python}:", file=sys.stderr)
        print(done.stderr.strip()[-2000:], file=sys.stderr)
        raise SystemExit(2)
    if done.stderr.strip():
        print(f"truth: {root.name}: lint wrote to stderr: {done.stderr.strip()[:300]}")
    return [
        Finding(item["path"], int(item["line"]), item["code"], item["message"]) for item in items
    ]


# ---------------------------------------------------------------- judging


@dataclass
class Tally:
    findings: Counter[str] = field(default_factory=Counter)
    true: Counter[str] = field(default_factory=Counter)
    unjudged: Counter[str] = field(default_factory=Counter)
    failing: int = 0
    predicted: int = 0
    named: int = 0


@dataclass
class Outcome:
    truth: Truth
    findings: list[Finding]
    judgements: list[Judgement | None]
    """Parallel to ``findings``; None: no verdict yet."""
    failing: dict[str, str]
    """Modules failing to collect in the test env for a missing third-party module."""
    predicted: set[str]
    named: set[str]
    unjudged: list[Finding]
    stale: list[str]
    env_diff: list[str]
    minimal_aborted: str | None
    test_aborted: str | None
    fix: FixCheck


def first_party(root: Path, missing: str) -> bool:
    top = missing.partition(".")[0]
    places = [root, root / "src"]
    return any((p / top).is_dir() or (p / f"{top}.py").is_file() for p in places)


def judge_project(
    truth: Truth, skip_collect: bool, drop_stale: bool = False, reuse: bool = False
) -> Outcome:
    archive, root = prepare(truth)
    findings = lint(sys.executable, root)
    bare = lint(bare_lint_env() / "bin" / "python", root)
    ours = {(f.key, f.message) for f in findings}
    theirs = {(f.key, f.message) for f in bare}
    env_diff = [f"dev only: {k[0]}:{k[1]} {k[2]} {m}" for k, m in sorted(ours - theirs)]
    env_diff += [f"bare only: {k[0]}:{k[1]} {k[2]} {m}" for k, m in sorted(theirs - ours)]
    fix = fix_twice(sys.executable, root)

    if skip_collect:
        minimal_c, test_c, test_env = Collection(), Collection(), None
    else:
        minimal_env, test_env = environments(truth, archive, root)
        minimal_c = collect_once(minimal_env, root, f"{truth.key}-minimal", reuse)
        test_c = collect_once(test_env, root, f"{truth.key}-test", reuse)

    sources: dict[str, str] = {}
    lines_of: dict[tuple[str, int, str], tuple[list[str], bool]] = {}
    tops: set[str] = set()
    for f in findings:
        if f.code in ("APT101", "APT102"):
            if f.path not in sources:
                sources[f.path] = (root / f.path).read_text("utf-8", errors="replace")
            modules, at_import = imported_at(sources[f.path], f.line)
            lines_of[f.key] = (modules, at_import)
            tops.update(m.partition(".")[0] for m in modules)
    missing_minimal = {e.missing_top for e in minimal_c.errors.values() if e.missing_top}
    can_import, provider = probe(test_env, tops | missing_minimal, root) if test_env else ({}, {})
    declared = declared_for_tests(truth, root)
    brought = brought_by(test_env, declared) if test_env else set()
    # A module that only the minimal env fails to collect, for a package the project declares
    # nowhere for its tests and that no declared distribution requires (it reaches the test env
    # by chance, through something else): must be flagged.
    undeclared = {
        path: error.missing
        for path, error in minimal_c.errors.items()
        if error.missing
        and path not in test_c.errors
        and provider.get(error.missing.partition(".")[0]) not in declared | brought
        and not first_party(root, error.missing)
    }

    verdict_file = VERDICTS / f"{truth.name}.tsv"
    verdicts = []
    if verdict_file.is_file():
        verdicts = read_verdicts(verdict_file.read_text("utf-8"), str(verdict_file))
    judgements: list[Judgement | None] = []
    needing: list[int] = []
    for index, f in enumerate(findings):
        judged: Judgement | None = None
        if f.code in ("APT101", "APT102"):
            modules, at_import = lines_of[f.key]
            envs = (minimal_c, test_c)
            judged = judge_dependency(f, modules, at_import, envs, can_import, undeclared)
        elif f.code == "APT201":
            judged = judge_module_names(f, minimal_c, test_c)
        if judged is None:
            needing.append(index)
        judgements.append(judged)
    paired, stale_verdicts = check_verdicts([findings[i] for i in needing], verdicts)
    unjudged = []
    for index, verdict in zip(needing, paired, strict=True):
        if verdict is None:
            unjudged.append(findings[index])
        else:
            judgements[index] = Judgement(verdict.true, verdict.reason)
    stale = [f"{v.path}:{v.line} {v.code}" for v in stale_verdicts]
    if drop_stale and stale_verdicts:
        kept = [v for v in verdicts if not any(v is s for s in stale_verdicts)]
        lines = [line for line in verdict_file.read_text("utf-8").splitlines() if line[:1] == "#"]
        verdict_file.write_text("\n".join(lines + [format_verdict(v) for v in kept]) + "\n")
        stale = []

    failing = {
        path: error.missing
        for path, error in test_c.errors.items()
        if error.missing and not first_party(root, error.missing)
    }
    failing.update(undeclared)
    predicted, named = set(), set()
    for f in findings:
        if f.code in ("APT101", "APT102") and f.path in failing:
            predicted.add(f.path)
            if names_package(
                f.message, failing[f.path], provider.get(failing[f.path].split(".")[0])
            ):
                named.add(f.path)
    # APT104, the project-level finding for test dependencies declared nowhere, flags every
    # module failing for a package it names (one finding instead of one per import).
    for f in findings:
        if f.code == "APT104":
            for path, missing in failing.items():
                if names_package(f.message, missing, provider.get(missing.partition(".")[0])):
                    predicted.add(path)
                    named.add(path)
    return Outcome(
        truth,
        findings,
        judgements,
        failing,
        predicted,
        named,
        unjudged,
        stale,
        env_diff,
        minimal_c.aborted,
        test_c.aborted,
        fix,
    )


# ---------------------------------------------------------------- reporting

CODES = tuple(sorted(rule.code for rule in ALL_RULES))


def report(outcomes: list[Outcome]) -> list[str]:
    tally = Tally()
    lines: list[str] = []
    for o in outcomes:
        for f, j in zip(o.findings, o.judgements, strict=True):
            if j is None:
                tally.unjudged[f.code] += 1
                continue
            tally.findings[f.code] += 1
            tally.true[f.code] += j.true
        tally.failing += len(o.failing)
        tally.predicted += len(o.predicted)
        tally.named += len(o.named)
    lines.append("| rule | judged findings | true | false | precision | unjudged | judge |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for code in CODES:
        n, t, u = tally.findings[code], tally.true[code], tally.unjudged[code]
        precision = f"{t / n:.2f}" if n else "-"
        judge = "pytest" if code in PYTEST_JUDGED else "verdict file"
        if code in ("APT101", "APT102"):
            judge += " (imports in functions: verdict file)"
        lines.append(f"| {code} | {n} | {t} | {n - t} | {precision} | {u} | {judge} |")
    recall = f"{tally.predicted / tally.failing:.2f}" if tally.failing else "-"
    lines.append("")
    lines.append(
        f"Modules failing to collect in the test env for a missing third-party package: "
        f"{tally.failing}; flagged by APT101/APT102: {tally.predicted} (recall {recall}); "
        f"the finding names the missing package: {tally.named}."
    )
    lines.append("")
    header = "| project | findings | " + " | ".join(CODES) + " | failing | predicted |"
    lines.append(header)
    lines.append("| --- " * (len(CODES) + 4) + "|")
    for o in outcomes:
        per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for f, j in zip(o.findings, o.judgements, strict=True):
            per[f.code][0] += 1
            per[f.code][1] += bool(j and j.true)
        cells = [f"{per[c][1]}/{per[c][0]}" if per[c][0] else "" for c in CODES]
        lines.append(
            f"| {o.truth.key} | {len(o.findings)} | "
            + " | ".join(cells)
            + f" | {len(o.failing)} | {len(o.predicted)} |"
        )
    lines.append("")
    lines.append("Cells are true/findings.")
    return lines


def projects() -> list[str]:
    lines = ["| project | why it is in the set |", "| --- | --- |"]
    lines += [f"| {t.name} {t.version} | {t.why} |" for t in TRUTH]
    return lines


def details(outcomes: list[Outcome]) -> list[str]:
    lines: list[str] = []
    for o in outcomes:
        lines.append(f"## {o.truth.key}")
        if o.minimal_aborted:
            lines.append(f"  minimal env: collection aborted: {o.minimal_aborted}")
        if o.test_aborted:
            lines.append(f"  test env: collection aborted: {o.test_aborted}")
        for f, j in zip(o.findings, o.judgements, strict=True):
            mark = "?" if j is None else ("T" if j.true else "F")
            why = j.reason if j else "UNJUDGED"
            lines.append(f"  {mark} {f.path}:{f.line} {f.code} [{why}] {f.message[:160]}")
        for path, missing in sorted(o.failing.items()):
            flag = "predicted" if path in o.predicted else "MISSED"
            lines.append(f"  collect: {path} needs {missing}: {flag}")
        for s in o.stale:
            lines.append(f"  stale verdict: {s}")
        for d in o.env_diff:
            lines.append(f"  env: {d}")
        lines += fix_details(o.fix)
    return lines


def fix_details(fix: FixCheck) -> list[str]:
    lines = [f"  fix: the first --fix changed {len(fix.fixed)} of {fix.files} files"]
    lines += [f"  fix: changed by the first --fix: {path}" for path in fix.fixed]
    lines += [f"  fix: changed again by the second --fix: {path}" for path in fix.again]
    lines += [f"  fix: import of pytest changed: {text}" for text in fix.pytest_imports]
    return lines


def fix_summary(checks: list[FixCheck]) -> str:
    return (
        f"`--fix` twice (every rule) on a copy of each project: {len(checks)} projects, "
        f"{sum(c.files for c in checks):,} files; the first pass changed "
        f"{sum(len(c.fixed) for c in checks)} files, the second "
        f"{sum(len(c.again) for c in checks)}; imports of pytest changed or dropped: "
        f"{sum(len(c.pytest_imports) for c in checks)}."
    )


def precision_five() -> tuple[list[str], list[FixCheck]]:
    """Lint (and fix twice) the five suites of precision.md the same way (their releases,
    prepared as there)."""
    from corpora import prepare as prepare_corpus

    lines = ["| project | " + " | ".join(CODES) + " |", "| --- " * (len(CODES) + 1) + "|"]
    checks = []
    for project in PROJECTS:
        root = prepare_corpus(project)
        findings = lint(sys.executable, root)
        checks.append(fix_twice(sys.executable, root))
        print(f"## {project.name}\n" + "\n".join(fix_details(checks[-1])))
        text = [f"{f.path}:{f.line} {f.code} {f.message}" for f in findings]
        (CACHE / f"truth-findings-{project.name}.txt").write_text("\n".join(text) + "\n")
        counts = Counter(f.code for f in findings)
        cells = [str(counts[c]) for c in CODES]
        lines.append(f"| {project.name} {project.version} | " + " | ".join(cells) + " |")
    return lines, checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="project names to run")
    parser.add_argument("--skip-collect", action="store_true", help="lint only, no pytest")
    parser.add_argument("--no-five", action="store_true", help="skip the precision.md five")
    parser.add_argument(
        "--drop-stale", action="store_true", help="remove verdicts whose finding is gone"
    )
    parser.add_argument(
        "--reuse-collect",
        action="store_true",
        help="read pytest's saved collection output when the venv is unchanged",
    )
    parser.add_argument("--write-md", action="store_true", help="write the tables into truth.md")
    args = parser.parse_args()
    started = time.monotonic()
    chosen = [t for t in TRUTH if args.only is None or t.name in args.only]
    outcomes = []
    for truth in chosen:
        began = time.monotonic()
        try:
            outcomes.append(
                judge_project(truth, args.skip_collect, args.drop_stale, args.reuse_collect)
            )
        except VerdictError as error:
            print(f"truth: {error}", file=sys.stderr)
            return 2
        print(f"truth: {truth.key} done in {time.monotonic() - began:.0f} s", flush=True)
    text = details(outcomes)
    (CACHE / "truth-details.txt").write_text("\n".join(text) + "\n", "utf-8")
    print("\n".join(text))
    print()
    print("\n".join(report(outcomes)))
    unjudged = [f for o in outcomes for f in o.unjudged]
    stale = [s for o in outcomes for s in o.stale]
    five, five_fixes = ([], []) if args.no_five else precision_five()
    print("\n" + "\n".join(five))
    fixes = [o.fix for o in outcomes] + five_fixes
    print("\n" + fix_summary(fixes))
    elapsed = time.monotonic() - started
    if args.write_md:
        stamp = measured(len(outcomes), elapsed)
        body = [stamp, "", *projects(), "", *report(outcomes)]
        if five:
            body += ["", "The five suites of `precision.md`, linted the same way:", "", *five]
        body += ["", fix_summary(fixes)]
        write_results(HERE / "truth.md", "truth", "\n".join(body), "# Truth\n", "## Results")
    print(
        f"\ntruth: {len(unjudged)} unjudged findings, {len(stale)} stale verdicts, "
        f"{sum(len(o.env_diff) for o in outcomes)} environment differences; {elapsed:.0f} s"
    )
    refixed = any(c.again or c.pytest_imports for c in fixes)
    return 1 if unjudged or stale or refixed else 0


if __name__ == "__main__":
    sys.exit(main())
