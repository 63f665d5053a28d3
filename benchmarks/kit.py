"""The regression kit: the unseen sdists the lint-truth rounds judged, pinned, re-linted on demand.

Each round of ``truth.md`` ("Unseen suites") judges every finding on sdists drawn at random from
PyPI and fixes the false classes. A later change to a rule must not bring a fixed class back nor
drop a true finding elsewhere, so every merge is re-linted on all the rounds' sdists and each
difference explained. The sdists used to live only on the machine of the session that drew them;
``kit.tsv`` pins them (round, name, version, the sdist's SHA-256) so that the kit can be rebuilt
anywhere:

    .venv/bin/python benchmarks/kit.py fetch                    # once: into ~/.cache/apytest-kit
    .venv/bin/python benchmarks/kit.py lint -o build/kit-new.json
    .venv/bin/python benchmarks/kit.py diff build/kit-old.json build/kit-new.json

``lint`` runs ``apytest-lint --select ALL --no-cache --format json .`` from each project's root
as a new user would, with the console script beside this interpreter, or in ``--bin`` (an older
commit installed with ``pip install --no-deps --target``, as ``behaviour_snapshot.py`` shows).
``diff`` prints, per project, the findings only one side has and the ones reworded (same file,
line and code, another message), then the totals; it exits 1 when the two differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "kit.tsv"
KIT = Path.home() / ".cache" / "apytest-kit"
"""Outside the checkout: below it, the lint (as pytest) would take apytest's own
``pyproject.toml`` for the root of every project that has no configuration of its own."""
LINT_TIMEOUT = 300.0
"""Seconds one project's lint may take; the rounds used the same limit."""


@dataclass(frozen=True)
class Sdist:
    round: str
    name: str
    version: str
    sha256: str

    @property
    def key(self) -> str:
        return f"{self.name}=={self.version}"

    def folder(self, kit: Path) -> Path:
        """Where the sdist is unpacked; the project's root is the one folder inside."""
        return kit / "roots" / self.key


def read_manifest(only: list[str]) -> list[Sdist]:
    """The pinned sdists of ``kit.tsv`` (``#`` lines are comments), those named in ``only`` if
    any are."""
    rows = []
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            round_, name, version, sha256 = line.split("\t")
            rows.append(Sdist(round_, name, version, sha256))
    return [row for row in rows if not only or row.name in only]


def _sdist_url(sdist: Sdist) -> str:
    """The URL of the release's sdist whose digest the manifest pins."""
    api = f"https://pypi.org/pypi/{sdist.name}/json"  # the project's; not every index serves
    with urllib.request.urlopen(api, timeout=60) as response:  # the per-version page
        project = json.load(response)
    for entry in project["releases"].get(sdist.version, []):
        if entry["packagetype"] == "sdist" and entry["digests"]["sha256"] == sdist.sha256:
            return urllib.parse.urljoin(api, str(entry["url"]))  # a mirror's may be relative
    raise ValueError(f"no sdist with SHA-256 {sdist.sha256} on PyPI")


def fetch(sdist: Sdist, kit: Path) -> tuple[bool, str]:
    """Download (checked against the pinned digest) and unpack one sdist, once: whether it is
    there now, and what happened (why not, when PyPI cannot give it)."""
    if sdist.folder(kit).is_dir():
        return True, f"{sdist.key}: present"
    try:
        return True, _fetch(sdist, kit)
    except (OSError, ValueError) as error:  # urllib's errors are OSErrors
        return False, f"{sdist.key}: failed ({error})"


def _fetch(sdist: Sdist, kit: Path) -> str:
    url = _sdist_url(sdist)
    with urllib.request.urlopen(url, timeout=300) as response:
        data = response.read()
    if hashlib.sha256(data).hexdigest() != sdist.sha256:
        raise ValueError(f"{url} does not match the pinned SHA-256")
    archive = kit / "sdists" / url.rsplit("/", 1)[-1]
    archive.parent.mkdir(parents=True, exist_ok=True)
    archive.write_bytes(data)
    partial = sdist.folder(kit).with_name(sdist.folder(kit).name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(partial)
    else:
        with tarfile.open(archive) as tarred:
            tarred.extractall(partial, filter="data")
    partial.rename(sdist.folder(kit))
    return f"{sdist.key}: fetched ({len(data):,} bytes)"


@dataclass
class Outcome:
    """One project's lint: its exit code (or ``"timeout"``), findings as ``--format json``
    gives them, and the end of what it printed when it neither passed nor found."""

    exit: int | str
    findings: list[dict[str, object]] = field(default_factory=list)
    error: str = ""


def project_root(folder: Path) -> Path:
    """The unpacked sdist's top folder, where a user would run the lint."""
    inside = [child for child in folder.iterdir() if child.is_dir()]
    return inside[0] if len(inside) == 1 else folder


def lint(folder: Path, executable: Path) -> Outcome:
    """One project's findings, or why there are none."""
    command = [str(executable), "--select", "ALL", "--no-cache", "--format", "json", "."]
    try:
        done = subprocess.run(
            command,
            cwd=project_root(folder),
            capture_output=True,
            text=True,
            timeout=LINT_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome("timeout")
    if done.returncode not in (0, 1):
        return Outcome(done.returncode, error=(done.stderr or done.stdout)[-2000:])
    return Outcome(done.returncode, json.loads(done.stdout) if done.stdout.strip() else [])


Key = tuple[str, int, str]


def _by_place(findings: list[dict[str, object]]) -> dict[Key, list[str]]:
    places: dict[Key, list[str]] = {}
    for finding in findings:
        key = (str(finding["path"]), int(str(finding["line"])), str(finding["code"]))
        places.setdefault(key, []).append(str(finding["message"]))
    return places


def differences(
    before: list[dict[str, object]], after: list[dict[str, object]]
) -> Iterator[tuple[str, Key, str]]:
    """``("-"|"+"|"~", (path, line, code), message)`` for each finding only one side has, or
    reworded at the same place (``~`` gives the new message)."""
    old, new = _by_place(before), _by_place(after)
    for key in sorted(old.keys() | new.keys()):
        gone, came = old.get(key, []), new.get(key, [])
        paired = min(len(gone), len(came))
        for was, now in zip(sorted(gone)[:paired], sorted(came)[:paired], strict=True):
            if was != now:
                yield "~", key, now
        for message in sorted(gone)[paired:]:
            yield "-", key, message
        for message in sorted(came)[paired:]:
            yield "+", key, message


def compare(before_file: Path, after_file: Path) -> int:
    """Print what differs between two ``lint`` outputs; 1 when anything does, else 0."""
    before = json.loads(before_file.read_text(encoding="utf-8"))
    after = json.loads(after_file.read_text(encoding="utf-8"))
    totals = {"-": 0, "+": 0, "~": 0}
    projects = 0
    for project in sorted(before.keys() | after.keys()):
        old = before.get(project, {"findings": []})
        new = after.get(project, {"findings": []})
        changes = list(differences(old["findings"], new["findings"]))
        exits = (
            ""
            if old.get("exit") == new.get("exit")
            else f" exit {old.get('exit')} -> {new.get('exit')}"
        )
        if changes or exits:  # a lint that stopped, or stopped stopping, differs too
            projects += 1
            print(f"{project}:{exits}")
        for sign, (path, line, code), message in changes:
            totals[sign] += 1
            print(f"  {sign} {path}:{line} {code} {message}")
    print(
        f"{projects} projects differ: +{totals['+']}, -{totals['-']}, {totals['~']} reworded "
        f"({len(before)} projects before, {len(after)} after)"
    )
    return 1 if projects or before.keys() != after.keys() else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fetching = commands.add_parser("fetch", help="download and unpack the pinned sdists")
    linting = commands.add_parser("lint", help="lint every project, write one JSON file")
    for sub in (fetching, linting):
        sub.add_argument("--kit", type=Path, default=KIT, help=f"where the sdists are ({KIT})")
        sub.add_argument("--only", nargs="*", default=[], help="these project names only")
        sub.add_argument("--jobs", type=int, default=2, help="projects at once (default 2)")
    linting.add_argument("-o", "--output", type=Path, required=True)
    linting.add_argument(
        "--bin",
        type=Path,
        default=Path(sys.executable).parent,
        help="the folder holding the apytest-lint to run (default: beside this Python)",
    )
    comparing = commands.add_parser("diff", help="compare two lint outputs")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "diff":
        return compare(args.before, args.after)
    sdists = read_manifest(args.only)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        if args.command == "fetch":
            fetched = list(pool.map(lambda sdist: fetch(sdist, args.kit), sdists))
            print("\n".join(line for _, line in fetched))
            there = sum(ok for ok, _ in fetched)
            print(f"{there} of {len(fetched)} sdists in {args.kit}")
            return 0 if there == len(fetched) else 1
        missing = [sdist.key for sdist in sdists if not sdist.folder(args.kit).is_dir()]
        if missing:
            raise SystemExit(f"kit: not fetched yet ({', '.join(missing[:5])}, ...): run fetch")
        executable = args.bin / "apytest-lint"
        results = dict(
            zip(
                (sdist.key for sdist in sdists),
                pool.map(lambda sdist: lint(sdist.folder(args.kit), executable), sdists),
                strict=True,
            )
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    written = {key: asdict(outcome) for key, outcome in results.items()}
    args.output.write_text(json.dumps(written, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    found = sum(len(outcome.findings) for outcome in results.values())
    print(f"{len(results)} projects linted, {found} findings: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
