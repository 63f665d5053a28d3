"""pip requirement files: which names are read, and their lines (with ``-r`` includes).

Requirement files have no standard name. apytest-lint reads the ones projects use for what
their tests install: ``*requirements*.txt``/``.in`` at the root (``requirements-dev.txt``,
``test-requirements.txt``, ``dev-requirements.txt``), in the usual folders for them
(``requirements/``, ``reqs/``, ``ci/``, ``ci/requirements/``, ``tests/``, ``docs/``, ...,
and the test folder of a package, ``<package>/tests/``, where the suite lives beside its code),
root files named with the short word ``reqs`` (``test_reqs.txt``), and every file they
include. Whether a file is installed when the tests run is decided by its name
(``rules.support.dependency_index.DependencyIndex``): a plain ``requirements.txt`` or a
test-named one is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from apytest.lint.declarations.collector import Collector
from apytest.lint.errors import LintError
from apytest.lint.project import DEFAULT_PYTHON_FILES
from apytest.lint.source import decode_requirements

FOLDERS = (
    "",
    "requirements/",
    "reqs/",
    "requirements/ci/",
    "ci/",
    "ci/requirements/",
    ".ci/",
    "tests/",
    "tests/requirements/",
    "test/",
    "testing/",
    "*/tests/",
    "*/test/",
    "src/*/tests/",
    "tools/",
    "dev/",
    "docs/",
    "doc/",
    ".github/",
    ".github/requirements/",
)
"""Folders searched for requirement files (``""`` is the root; ``*`` is one folder)."""
ANY_NAME_FOLDERS = (
    "requirements/",
    "reqs/",
    "requirements/ci/",
    "ci/requirements/",
    "tests/requirements/",
)
"""Folders where every ``.txt``/``.in`` file is a requirement file, whatever its name (CN2:
``tests/requirements/dj42_cms41.txt``, the tox matrix's file for one Django and CMS pair,
including ``base.txt``)."""
SUFFIXES = (".txt", ".in")
_METADATA_FOLDERS = (".egg-info", ".dist-info")
"""A distribution's metadata folder, named for it, not for requirements (EG1)."""

_COMMENT = re.compile(r"(^|\s)#.*$")
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|file:)", re.IGNORECASE)
"""A URL as pip and uv take one: ``scheme://...``, or ``file:`` with a relative path
(``file:.``, ``file:../sub``), which has no ``//``."""
_LOCAL_EXTRAS = re.compile(r"^(?:\.|\{toxinidir\}|\$\{PROJECT_ROOT\})/?\[([^\]]*)\]$")


SHORT_WORD = "reqs"
"""The short word for requirements that a root file's name may use instead (BJ3)."""

STRICT_FOLDERS = ("", "requirements/")
"""Where a requirement file is surely one: an invalid line there is an error. Elsewhere
(``tests/``, ``docs/``, ...) a file by that name may be test data, and an invalid line only
makes the declarations incomplete."""


def requirement_files(root: Path) -> list[tuple[Path, bool]]:
    """The requirement files of the project, by the names above, sorted, each with whether it
    is read strictly (it sits in one of :data:`STRICT_FOLDERS`).

    A root folder named for requirements (``dev-requirements/``, ``requirements-dev/``) holds
    them whatever their names, as ``requirements/`` does: ``dev-requirements/tests.in`` is
    where such a project declares what its tests install (YB3). A package folder so named
    (``requirements_detector/``) holds code and data, not requirements, and so does the
    metadata folder that setuptools writes for a distribution so named (EG1:
    ``to_requirements.txt.egg-info/``, whose ``SOURCES.txt`` lists files)."""
    found: set[Path] = set()
    named = sorted(
        f"{folder.name}/"
        for folder in root.glob("*requirements*/")
        if folder.is_dir()
        and not folder.name.endswith(_METADATA_FOLDERS)
        and not (folder / "__init__.py").exists()
    )
    for folder in (*FOLDERS, *named):
        any_name = folder in ANY_NAME_FOLDERS or folder in named
        pattern = "*" if any_name else "*requirements*"
        for suffix in SUFFIXES:
            found.update(p for p in root.glob(f"{folder}{pattern}{suffix}") if p.is_file())
    strict = {root / folder for folder in STRICT_FOLDERS}
    loose = (_short_named(root) | _beside_tests(root)) - found
    return sorted(
        [(path, path.parent in strict) for path in found] + [(path, False) for path in loose]
    )


def _beside_tests(root: Path) -> set[Path]:
    """EN1: a requirement file of a top folder that holds test modules directly, named for
    requirements in the singular or plural (``e2e_benchmarks/requirement.txt`` beside the
    ``test_*.py`` it serves, as facebook-wda's end-to-end suite declares jsonschema and lxml):
    the folder is a suite of its own, and the file is what its README installs for it. The
    folder's test modules are looked for only once such a file is seen; a folder without them
    (``examples/requirements.txt``) declares nothing for the tests. Read leniently, as a
    guessed name is."""
    found: set[Path] = set()
    for suffix in SUFFIXES:
        for path in root.glob(f"*/*requirement*{suffix}"):
            folder = path.parent
            if path.is_file() and any(
                next(folder.glob(pattern), None) is not None for pattern in DEFAULT_PYTHON_FILES
            ):
                found.add(path)
    return found


def _short_named(root: Path) -> set[Path]:
    """BJ3: root files that name themselves requirements by the short word ``reqs``
    (``test_reqs.txt``, ``dev-reqs.txt``, ``reqs.txt``), as py4cli declares what its tests
    install. The word must stand alone between separators (``prereqs.txt`` is prose), and such a
    file is read leniently: by a guessed name, an unreadable line makes the declarations
    incomplete, not an error."""
    return {
        path
        for suffix in SUFFIXES
        for path in root.glob(f"*reqs*{suffix}")
        if path.is_file() and SHORT_WORD in re.split(r"[^A-Za-z0-9]+", path.stem.lower())
    }


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines of a requirements file with comments removed and ``\\`` continuations joined."""
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw).rstrip()
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = (pending + line).strip(), ""
        if line:
            yield start, line


def local_extras(text: str) -> list[str] | None:
    """The extras of the project itself that ``.[test,docs]`` (or ``-e .[test]``) installs."""
    match = _LOCAL_EXTRAS.match(text.strip().removeprefix("-e").strip())
    return None if match is None else [e for e in match.group(1).split(",") if e.strip()]


def read_file(collector: Collector, path: Path, *, strict: bool = True) -> str:
    """Read a pip requirements file (and its ``-r`` includes); return its section name.

    Not ``strict``, what cannot be read makes the declarations incomplete instead of an error.
    """
    section = f"requirements:{collector.rel(path)}"
    resolved = path.resolve()
    if resolved in collector.read_files:
        return section
    collector.read_files.add(resolved)
    try:
        text = decode_requirements(path.read_bytes())
    except (OSError, UnicodeDecodeError) as error:
        if not strict:
            collector.cannot_read(collector.rel(path))
            return section
        raise LintError(f"{collector.rel(path)}: cannot read: {error}") from None
    for number, line in logical_lines(text):
        if pip_rejects(line):
            collector.rejected.add(collector.rel(path))
        requirement_line(collector, line, number, path, section, strict=strict)
    return section


_ARCHIVE = re.compile(r"\.(?:whl|zip|tar\.gz|tgz|tar\.bz2|tar\.xz|tar)$", re.IGNORECASE)


def pip_rejects(line: str) -> bool:
    """Whether pip certainly rejects this logical line of a requirements file (BY3): no option
    (``-``), URL, local path or archive, no ``${VAR}`` pip would expand, and no PEP 508
    requirement (``\"\"\"``, ``Requirements file for the tests``). A line with a path separator,
    a colon or a ``$`` may be something pip reads that this reader does not: not certain."""
    text = re.split(r"\s--?[a-z]", line, maxsplit=1)[0].strip()
    if not text or line.startswith(("-", ".", "~")) or _ARCHIVE.search(text):
        return False
    if any(mark in text for mark in ("/", "\\", ":", "$")):
        return False
    try:
        Requirement(text)
    except InvalidRequirement:
        return True
    return False


def constraint_location(line: str) -> str:
    """The location a ``-c``/``--constraint`` line names ("" for any other line)."""
    option, _, argument = line.partition(" ")
    if option in ("-c", "--constraint"):
        return argument.strip()
    if line.startswith("--constraint="):
        return line.partition("=")[2].strip()
    if line.startswith("-c") and not line.startswith("-c "):
        return line[2:].strip()
    return ""


def unreadable_constraints(
    location: str, folder: Path, seen: frozenset[Path] = frozenset()
) -> bool:
    """Whether the constraints a ``-c`` line (or tox's ``constraints`` setting) names hold
    bounds the lint cannot read: a URL, a ``${VAR}`` pip expands or a substitution only tox
    resolves (EZ1: ``{env:TOX_CONSTRAINTS_FILE:https://...}``), or a local constraints file
    reaching one through its own ``-c`` lines (FN4: openedx-events' ``constraints.txt``, whose
    one line names edx-lint's common constraints by URL)."""
    if _URL.match(location) or "$" in location or "{" in location:
        return True
    named = Path(os.path.normpath(folder / location))
    if named in seen or not named.is_file():
        return False
    try:
        text = decode_requirements(named.read_bytes())
    except (OSError, UnicodeDecodeError):
        return False  # what cannot be read names no constraints
    return any(
        unreadable_constraints(nested, named.parent, seen | {named})
        for _, line in logical_lines(text)
        if (nested := constraint_location(line))
    )


def requirement_line(
    collector: Collector, line: str, number: int, path: Path, section: str, *, strict: bool = True
) -> None:
    """One logical line of a requirements file (also a tox ``deps`` line), in ``section``."""
    option, _, argument = line.partition(" ")
    target = ""
    if option in ("-r", "--requirement"):
        target = argument.strip()
    elif line.startswith("--requirement="):
        target = line.partition("=")[2].strip()
    elif line.startswith("-r"):
        target = line[2:].strip()
    constraint = constraint_location(line)
    if constraint and unreadable_constraints(constraint, path.parent):
        collector.unknown_constraints.add(section)  # EZ1, FN4: bounds no one can read here
    if constraint and not _URL.match(constraint):
        named = path.parent / constraint.replace("{toxinidir}/", "").replace("{toxinidir}", ".")
        collector.constraint_targets.add(collector.rel(Path(os.path.normpath(named))))
    if target and _URL.match(target):
        collector.remote_file(f"{collector.rel(path)}:{number}", "-r", target)
        return
    if target:
        included = path.parent / target.replace("{toxinidir}/", "").replace("{toxinidir}", ".")
        if not included.is_file():
            where = f"{collector.rel(path)}:{number}"
            if strict and not included.exists():
                collector.missing_file(where, "-r", included)
            else:  # a folder, or a line in what may be test data: incomplete, quietly
                collector.cannot_read(where)
            return
        collector.requirement_targets.add(collector.rel(Path(os.path.normpath(included))))
        collector.include(section, read_file(collector, included, strict=strict))
        if collector.rel(included) in collector.rejected:
            collector.rejected.add(collector.rel(path))  # pip reads every include first
        return
    extras = local_extras(line)
    if extras is not None:
        collector.include_extras(section, extras)
        return
    if option in ("-e", "--editable") and _URL.match(argument.strip()):
        _url_line(collector, argument.strip(), number, path, section)
        return
    if line.startswith("-"):
        return  # -c constraints, -e editables, index and install options declare nothing
    text = re.split(r"\s--?[a-z]", line, maxsplit=1)[0].strip()  # per-requirement options
    if _URL.match(text):
        _url_line(collector, text, number, path, section)
        return
    if text.startswith((".", "/", "~")):
        return  # a local path: the project or a folder of its own
    collector.add(text, section, path, number, 1, strict=strict)


_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_URL_NAME = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*?)(?:\.git|\.zip|\.tar\.gz|\.tgz|\.whl)?$")


def _url_line(collector: Collector, url: str, number: int, path: Path, section: str) -> None:
    """A bare URL line (``git+https://host/org/pkg.git@rev#egg=pkg``, ``-e`` of one): pip
    installs a distribution from there, named by its ``#egg=`` fragment or, failing that, the
    URL's last path segment; recorded as the direct reference ``name @ url``, whose modules
    and requirements no table can know. A ``file:`` URL is the project's own folder: nothing."""
    if url.lower().startswith("file:"):
        return
    egg = _EGG.search(url)
    if egg is not None:
        name = egg.group(1)
    else:
        tail = url.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        found = _URL_NAME.match(tail.split("@", 1)[0])
        if found is None:
            return
        name = found.group(1)
    collector.record(name, f"{name} @ {url}", section, path, number, 1, "", url)
