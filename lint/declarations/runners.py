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
every extra or group (``_installing_all``). Nothing else is read from these files (their recipes are
shell, with the runner's own variables): they declare nothing, and only ever silence findings.

BM1: where no CI workflow runs pytest, the project's written development procedure is its own
command too. A contributor guide (``CONTRIBUTING.md`` at the root, in ``.github/`` or ``docs/``)
is read as one recipe file from the text of its code blocks (vgi-rpc's "Dev Setup" block is
``uv sync --all-extras`` and its "Running Tests" block ``uv run pytest``); a README only one
code block at a time, since it also shows how users install the package. In such a code block an
extra installed by name counts when the same block runs pytest (``uv sync --dev --extra acme``
then ``uv run pytest``), whatever command installs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
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
    running = _pytest_workflows(collector.root)
    texts.extend(_installing_all(running))
    blocks = [] if running else _guide_blocks(collector.root)
    texts.extend(text for text, _ in blocks)
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
    for _, block_list in blocks:
        named.update(_block_named_extras(block_list))
    kinds = tuple(kind for kind, wanted in (("extra:", extras), ("group:", groups)) if wanted)
    for section in sections:
        if (kinds and section.startswith(kinds)) or section in named:
            collector.mark_test(section)


def _pytest_workflows(root: Path) -> list[str | None]:
    """The texts of the project's CI workflows that run pytest, None for one that cannot be
    read (it may run pytest): where there is any, the CI says how the suite runs, and a
    guide's procedure for a contributor's machine does not (BM1)."""
    found: list[str | None] = []
    for pattern in WORKFLOW_PATTERNS:
        for path in sorted(root.glob(pattern)):
            text = _read(path) if path.is_file() else None
            if text is None or _RUNS_PYTEST.search(text):
                found.append(text)
    return found


def _installing_all(workflows: Sequence[str | None]) -> list[str]:
    """The texts of the CI workflows running pytest (:func:`_pytest_workflows`), when every one
    of them installs every extra or group there; else none. A workflow running the suite with
    less (rustybt's ``ci.yml``: ``pip install -e ".[dev,test]"`` then ``pytest tests/``, beside
    a benchmarks workflow with ``uv sync --all-extras``) is the project's CI running it without
    them, where a missing extra's package does fail collection."""
    texts = [text for text in workflows if text is not None]
    every = all(
        any(_INSTALLER.search(command) and all_installed([command]) for command in _commands(text))
        for text in texts
    )
    return texts if every else []


GUIDE_FILES = tuple(
    f"{folder}{name}.{suffix}"
    for folder in ("", ".github/", "docs/")
    for name in ("CONTRIBUTING", "contributing")
    for suffix in ("md", "rst", "txt")
)
"""The project's contributor guides, where its development setup and test command are written."""
README_FILES = ("README.md", "README.rst", "README.txt", "README")
"""The project's READMEs: their code blocks are read one at a time (BM1)."""
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_RST_BLOCK = re.compile(r"(?:::|^\s*\.\.\s+(?:code-block|code|sourcecode)::.*)\s*$")


def _code_blocks(text: str) -> list[str]:
    """The code blocks of a Markdown (fenced with ``` or ~~~) or reStructuredText (the
    indented block after ``::`` or a ``.. code-block::`` directive) document, each as its
    text: the commands a guide tells the reader to run, without the prose around them."""
    blocks: list[str] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if _FENCE.match(line):
            body: list[str] = []
            while index < len(lines) and not _FENCE.match(lines[index]):
                body.append(lines[index])
                index += 1
            index += 1  # the closing fence
            blocks.append("\n".join(body))
        elif _RST_BLOCK.search(line):
            body = []
            while index < len(lines) and (not lines[index].strip() or lines[index][:1].isspace()):
                body.append(lines[index])
                index += 1
            if any(part.strip() for part in body):
                blocks.append("\n".join(body))
    return blocks


def _guide_blocks(root: Path) -> list[tuple[str, list[str]]]:
    """BM1: the project's written development procedure, as ``(text read as one recipe
    file, its code blocks)`` pairs: a contributor guide's blocks together (its setup and its
    test run are often separate blocks), each README block alone (a README also shows users
    how to install the package, with extras the suite does not get)."""
    found: list[tuple[str, list[str]]] = []
    for name in GUIDE_FILES:
        path = root / name
        text = _read(path) if path.is_file() else None
        if text is not None:
            blocks = _code_blocks(text)
            found.append(("\n".join(blocks), blocks))
    for name in README_FILES:
        path = root / name
        text = _read(path) if path.is_file() else None
        found.extend((block, [block]) for block in _code_blocks(text or ""))
    return found


def _block_named_extras(blocks: Iterable[str]) -> set[str]:
    """The extras that an installer command of a guide's code block installs by name when the
    same block runs pytest (``uv sync --dev --extra acme`` then ``uv run pytest``): the block is
    one procedure, so the suite runs with them."""
    named: set[str] = set()
    for block in blocks:
        if not _RUNS_PYTEST.search(block):
            continue
        for command in _commands(block):
            if _INSTALLER.search(command):
                named.update(f"extra:{canonicalize_name(m)}" for m in _NAMED_EXTRA.findall(command))
    return named


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
