"""The shared collector every declaration reader writes into, and the verdicts they share.

A reader turns one source format into :class:`DeclaredDependency` records (with the file and
line they are written on), section includes (a tox env that installs the project's ``test``
extra, a ``-r`` include), and two verdicts: which sections its tool installs whenever the tests
run, and whether everything it holds could be read without running anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from apytest.lint.discovery import relative
from apytest.lint.errors import LintError
from apytest.rules.api import DeclaredDependency

TEST_WORDS = frozenset({"test", "tests", "testing", "pytest", "unit", "integration", "ci", "check"})
"""Words in an environment's name that say the suite runs there."""
TEST_COMMANDS = re.compile(r"test|coverage|\bnose|unittest|\btrial\b", re.IGNORECASE)
"""What an environment's commands or scripts hold when they run the suite."""
_NAME_WORDS = re.compile(r"[^A-Za-z0-9]+")
_PYTHON_VERSION = re.compile(r"^(py|python|cp|pypy)?\d[\d.]*$")


def one_line(error: Exception) -> str:
    """The first line of an error message (packaging's name the column on later lines)."""
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def is_test_environment(name: str, commands: str | None) -> bool:
    """Whether an environment (tox env, hatch env, pixi feature) runs the suite.

    Precision first: an environment counts as a test environment unless it plainly is not one,
    because a test environment's declarations only silence findings. It is one when its name
    has a test word or is a Python version (``py311``), when its commands run a test runner, or
    when its commands are not known; it is not one when its commands are known and run none
    (``sphinx-build``, ``ruff check src``).
    """
    if test_named(name):
        return True
    return commands is None or not commands.strip() or bool(TEST_COMMANDS.search(commands))


def test_named(name: str) -> bool:
    """Whether an environment's name says the suite runs there (``test``, ``py311``,
    ``default``)."""
    if name.lower() in ("", "default", "testenv", "hatch-test"):
        return True
    words = {word.lower() for word in _NAME_WORDS.split(name) if word}
    return bool(words & TEST_WORDS) or any(_PYTHON_VERSION.match(word) for word in words)


@dataclass
class Collector:
    """Accumulates what the readers find while the files are read."""

    root: Path
    project_name: str
    declared: list[DeclaredDependency] = field(default_factory=list)
    includes: dict[str, dict[str, None]] = field(default_factory=dict)
    test_sections: set[str] = field(default_factory=set)
    sources: dict[str, None] = field(default_factory=dict)
    """Project-relative paths of the files that declared something, in reading order."""
    unreadable: list[str] = field(default_factory=list)
    """Why some declarations could not be read statically (empty: the model is complete)."""
    runtime_known: bool = True
    """False when the runtime requirements themselves could not be read (a computed
    ``install_requires``, dynamic ``dependencies`` from a file no table names)."""
    read_files: set[Path] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    """What the user should hear about the declarations (a named file that is not there)."""
    unread_files: set[Path | str] = field(default_factory=set)
    """Files named but not read (missing, or by URL), each already warned about once."""
    rejected: set[str] = field(default_factory=set)
    """Requirements files (project-relative) with a line pip rejects (:func:`pip_rejects`)."""
    constraint_targets: set[str] = field(default_factory=set)
    """Files (project-relative) a requirements file names with ``-c``/``--constraint``."""
    requirement_targets: set[str] = field(default_factory=set)
    """Files (project-relative) a requirements file includes with ``-r``/``--requirement``."""
    unknown_constraints: set[str] = field(default_factory=set)
    """Sections (tox environments) whose pip call takes constraints the lint cannot read: a
    ``constraints`` setting or a ``-c`` deps line naming a URL or a substitution (OpenStack's
    ``{env:TOX_CONSTRAINTS_FILE:https://releases.openstack.org/...}``), EZ1."""
    installs_project: set[str] = field(default_factory=set)
    """tox environments that install the project itself, with its runtime requirements, after
    their ``deps`` (no ``skip_install``, no ``package = skip``, no ``skipsdist``)."""
    installs_all: set[str] = field(default_factory=set)
    """``"extra:"`` and ``"group:"`` when a test environment installs every extra (every
    dependency group) of the project: tox-uv's ``uv_sync_flags = ["--all-extras"]``."""

    def rel(self, path: Path) -> str:
        return relative(path, self.root)

    def include(self, section: str, other: str) -> None:
        """Record that installing ``section`` also installs ``other``."""
        if other != section:
            self.includes.setdefault(section, {})[other] = None

    def include_extras(self, section: str, extras: object) -> None:
        """``section`` installs the project with these extras (``.[test]``, tox ``extras``)."""
        for extra in extras if isinstance(extras, (list, tuple, set, frozenset)) else ():
            if isinstance(extra, str) and extra.strip():
                self.include(section, f"extra:{canonicalize_name(extra.strip())}")

    def mark_test(self, section: str) -> None:
        """``section`` is installed whenever the tests run, whatever its name."""
        self.test_sections.add(section)

    def cannot_read(self, where: str, *, runtime: bool = False) -> None:
        """Some declarations at ``where`` cannot be read without running code (``runtime``:
        among them the runtime requirements)."""
        self.unreadable.append(where)
        self.runtime_known &= not runtime

    def missing_file(self, where: str, what: str, path: Path, *, runtime: bool = False) -> None:
        """A declaration names a file that is not there (an sdist that does not ship an
        included requirements file): warn once per file, naming the place that names it, and
        call the declarations incomplete. Aborting would lint nothing over a file only the
        dependency rules read, and those stay silent on incomplete declarations anyway."""
        self._incomplete(
            where, path.resolve(), f"{what} names a missing file '{self.rel(path)}'", runtime
        )

    def remote_file(self, where: str, what: str, url: str) -> None:
        """A declaration includes a file by URL (pip's ``-r https://.../base.txt``), which the
        lint never fetches (it reads the checkout, and nothing else): warned about once per
        URL, as a missing file is."""
        self._incomplete(
            where, url, f"{what} names a file by URL '{url}', which apytest-lint does not fetch"
        )

    def _incomplete(self, where: str, file: Path | str, what: str, runtime: bool = False) -> None:
        """Declarations incomplete at ``where`` for want of ``file``: one warning per file."""
        self.cannot_read(where, runtime=runtime)
        if file in self.unread_files:
            return
        self.unread_files.add(file)
        self.warnings.append(
            f"{where}: {what}: the dependency declarations are incomplete, so the rules that"
            " need them stay silent"
        )

    def add(
        self, text: str, section: str, path: Path, line: int, col: int, *, strict: bool = True
    ) -> None:
        """Record one PEP 508 requirement string.

        An invalid one is a :class:`LintError` naming the place when ``strict`` (the formats
        whose only syntax is PEP 508); otherwise it makes the model incomplete, because the
        tool that reads the file may understand what apytest-lint does not.
        """
        rel = self.rel(path)
        try:
            requirement = Requirement(text)
        except InvalidRequirement as error:
            if not strict:
                self.cannot_read(f"{rel}:{line}")
                return
            raise LintError(
                f"{rel}:{line}: invalid requirement '{text}': {one_line(error)}"
            ) from None
        name = canonicalize_name(requirement.name)
        if name == self.project_name and self.project_name:
            self.include_extras(section, sorted(requirement.extras))
            return
        self.record(
            name, text, section, path, line, col, str(requirement.specifier), requirement.url
        )

    def record(
        self,
        name: str,
        requirement: str,
        section: str,
        path: Path,
        line: int,
        col: int,
        specifier: str,
        url: object = None,
    ) -> None:
        """Record one declaration whose name and PEP 440 specifier are already known."""
        canonical = canonicalize_name(name)
        if canonical == self.project_name and self.project_name:
            return
        try:
            specifier = str(SpecifierSet(specifier))
        except InvalidSpecifier:
            specifier = "===" + re.sub(r"[\s,;]+", "", specifier)  # bounded, in a tool's words
        rel = self.rel(path)
        self.sources[rel] = None
        self.declared.append(
            DeclaredDependency(
                name=canonical,
                requirement=requirement,
                section=section,
                path=rel,
                line=line,
                col=col,
                specifier=specifier,
                url=bool(url),
            )
        )
