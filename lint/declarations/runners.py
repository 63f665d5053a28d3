"""Task runner files, ``Justfile`` and ``Makefile`` (and Poe tasks): whether the project's own
commands run the suite with every extra (or every dependency group, or a named extra) installed.

uv (``uv sync --all-extras``, ``uv run --all-extras``), Poetry (``poetry install
--all-extras``) and PDM (``pdm install -G :all``) install all the project's optional
dependencies on request, and uv and Poetry all its dependency groups (``--all-groups``). When
the project's task runner file does so and runs pytest, everything installed that way is there
wherever the suite runs as the project runs it (cattrs' ``just test`` is ``uv run
--all-extras --group test pytest``): an import of a package declared only in an extra cannot
fail there, so every extra (group) counts as a test section. An extra that the command
running pytest installs by name (``uv run --extra pydantic pytest``) counts too. The Poe the
Poet tasks of ``pyproject.toml`` (``[tool.poe.tasks]``) are read as such a file's recipes; a
Makefile's own variables are expanded first (``$(UV) sync --all-extras`` of ``UV = uv``).
GitHub Actions workflows (``.github/workflows/*.yml``) are read the same way, a file at a time
(ZF4: synamine's CI job runs ``uv sync --group dev --all-extras`` then ``uv run pytest``): the
project's CI is its own command too, but only when every workflow that runs pytest installs
every extra or group (``_workflows``). Nothing else is read from these files (their recipes are
shell, with the runner's own variables): they declare nothing, and only ever silence findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from packaging.utils import canonicalize_name

from apytest.lint.declarations.collector import Collector
from apytest.lint.toml import toml_table

RUNNER_FILES = ("Justfile", "justfile", ".justfile", "Makefile", "makefile", "GNUmakefile")
"""Task runner files at the project's root, as ``just`` and ``make`` look them up."""
WORKFLOW_PATTERNS = (".github/workflows/*.yml", ".github/workflows/*.yaml")
"""The project's GitHub Actions workflows, each read as one task runner file."""
_INSTALLER = re.compile(r"\b(?:uv|poetry|pdm)\s+(?:sync|run|install|pip\s+install)\b")
_ALL_EXTRAS = re.compile(r"(?:\s--all-extras|\s(?:-G|--group)[ =]?:all)(?=\s|$)")
_ALL_GROUPS = re.compile(r"\s--all-groups(?=\s|$)")
_RUNS_PYTEST = re.compile(r"\bpytest\b|\bpy\.test\b")
_NAMED_EXTRA = re.compile(r"\s(?:--extra|--extras|-E)[ =]([A-Za-z0-9][A-Za-z0-9._-]*)(?=\s|$)")
"""An extra installed by name (``uv run --extra pydantic``, ``poetry install -E pydantic``)."""


_MAKE_ASSIGNMENT = re.compile(
    r"^(?:override\s+|export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?::{1,3}=|\?=|=)[ \t]*(.*?)\s*$"
)
"""A Makefile's simple variable assignment (``UV = uv``, ``UV_RUN := $(UV) run``)."""
_MAKE_REFERENCE = re.compile(r"\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]")


def _expand_make_variables(text: str) -> str:
    """``text`` with the references of its own variables assigned at the start of a line
    replaced by their values (``$(UV) sync --all-extras`` of ``UV = uv``, through a few
    levels: ``UV_RUN = $(UV) run``); a reference to anything else stays as written."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        match = _MAKE_ASSIGNMENT.match(line)
        if match is not None and not line.startswith("\t"):
            values.setdefault(match.group(1), match.group(2).partition("#")[0].strip())
    if not values:
        return text

    def substitute(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    for _ in range(5):  # nested references; a cycle stops here
        expanded = _MAKE_REFERENCE.sub(substitute, text)
        if expanded == text:
            break
        text = expanded
    return text


def _commands(text: str) -> list[str]:
    """The file's lines, continuation lines (``\\`` at the end) joined, comments dropped."""
    joined = re.sub(r"\\\r?\n", " ", text)
    return [line.partition("#")[0] for line in joined.splitlines()]


def all_installed(flags: Iterable[str]) -> set[str]:
    """Which kinds of section (``"extra:"``, ``"group:"``) these installer flags install all
    of (tox-uv's ``uv_sync_flags``)."""
    command = " " + " ".join(flags) + " "
    kinds = (("extra:", _ALL_EXTRAS), ("group:", _ALL_GROUPS))
    return {kind for kind, flag in kinds if flag.search(command)}


def poe_commands(pyproject: object) -> list[str]:
    """The command lines of the Poe the Poet tasks in ``[tool.poe.tasks]`` (a string, or a
    table's ``cmd``/``shell``): the project's own commands, as a ``Justfile``'s recipes are."""
    tasks = toml_table(pyproject, "tool.poe").get("tasks") if isinstance(pyproject, dict) else None
    found: list[str] = []
    for task in tasks.values() if isinstance(tasks, dict) else ():
        if isinstance(task, dict):
            task = task.get("cmd", task.get("shell"))
        if isinstance(task, str):
            found.append(task)
    return found


def read_runners(collector: Collector, sections: set[str], commands: Iterable[str] = ()) -> None:
    """Mark every extra (``extra:*``) and dependency group (``group:*``) of ``sections`` as a
    test section when a task runner file at the root, a CI workflow (or one of ``commands``,
    the Poe tasks) installs them all and runs pytest, or a test environment of tox does
    (``Collector.installs_all``); and an extra such a command installs by name in the command
    that runs pytest (``uv run --extra pydantic pytest``)."""
    extras = "extra:" in collector.installs_all
    groups = "group:" in collector.installs_all
    named: set[str] = set()
    texts = ["\n".join(f" {line}" for line in commands)] if commands else []
    for name in RUNNER_FILES:
        path = collector.root / name
        text = _read(path) if path.is_file() else None
        if text is not None:
            texts.append(_expand_make_variables(text) if "make" in name.lower() else text)
    texts.extend(_workflows(collector.root))
    for text in texts:
        if not _RUNS_PYTEST.search(text):
            continue
        for command in _commands(text):
            if _INSTALLER.search(command):
                extras |= bool(_ALL_EXTRAS.search(command))
                groups |= bool(_ALL_GROUPS.search(command))
                if _RUNS_PYTEST.search(command):
                    named.update(
                        f"extra:{canonicalize_name(m)}" for m in _NAMED_EXTRA.findall(command)
                    )
    kinds = tuple(kind for kind, wanted in (("extra:", extras), ("group:", groups)) if wanted)
    for section in sections:
        if (kinds and section.startswith(kinds)) or section in named:
            collector.mark_test(section)


def _workflows(root: Path) -> list[str]:
    """The texts of the project's CI workflows, when every one of them that runs pytest installs
    every extra or group there; else none. A workflow running the suite with less (rustybt's
    ``ci.yml``: ``pip install -e ".[dev,test]"`` then ``pytest tests/``, beside a benchmarks
    workflow with ``uv sync --all-extras``) is the project's CI running it without them, where
    a missing extra's package does fail collection."""
    texts = []
    for pattern in WORKFLOW_PATTERNS:
        for path in sorted(root.glob(pattern)):
            text = _read(path) if path.is_file() else None
            if text is not None and _RUNS_PYTEST.search(text):
                texts.append(text)
    every = all(
        any(_INSTALLER.search(command) and all_installed([command]) for command in _commands(text))
        for text in texts
    )
    return texts if every else []


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


COMMAND_FILES = (
    *RUNNER_FILES,
    "tox.ini",
    "tox.toml",
    "setup.cfg",
    "pyproject.toml",
    "noxfile.py",
    ".gitlab-ci.yml",
    "azure-pipelines.yml",
)
"""Files at the project's root that may hold a pytest command line or pytest's options."""


def commands_mention(root: Path, pattern: re.Pattern[str], others: Iterable[Path] = ()) -> bool:
    """Whether the project's command files (``COMMAND_FILES``, the CI workflows) or ``others``
    mention ``pattern``: a command line may give pytest an option its configuration file does
    not (``pytest --asyncio-mode=auto`` in a ``tox.ini``). A file that cannot be read may."""
    paths = [root / name for name in COMMAND_FILES]
    paths.extend(path for glob in WORKFLOW_PATTERNS for path in sorted(root.glob(glob)))
    for path in [*paths, *others]:
        if not path.is_file():
            continue
        text = _read(path)
        if text is None or pattern.search(text):
            return True
    return False
