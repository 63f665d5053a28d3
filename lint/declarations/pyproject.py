"""The standard tables of ``pyproject.toml``: PEP 621 ``[project]``, the requirement files of
``dynamic`` fields (setuptools' ``[tool.setuptools.dynamic]``, the ``hatch-requirements-txt``
hook), PEP 735 ``[dependency-groups]``, the dev groups of PDM, uv and Rye, and flit's legacy
``[tool.flit.metadata]``.

``[project] dependencies`` is the runtime (installed wherever the suite runs); each
``optional-dependencies`` extra and each group is a section whose name decides whether it is a
test section (``test-extras``). PDM installs every ``[tool.pdm.dev-dependencies]`` group by
default, uv its ``dev-dependencies`` and ``default-groups`` (``dev`` unless told otherwise), Rye
its ``dev-dependencies``: those are test sections whatever their names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from apytest.lint.declarations import requirements
from apytest.lint.declarations.collector import Collector
from apytest.lint.declarations.toml_source import TomlSource
from apytest.lint.errors import LintError
from apytest.lint.toml import read_toml, toml_table


def read_project(source: TomlSource, collector: Collector) -> bool | None:
    """Read ``[project]``: None without one, else whether its extras could be read statically
    (dynamic ``dependencies`` that cannot be are reported here, as the runtime's)."""
    table = source.data.get("project")
    if not isinstance(table, dict):
        return None
    dynamic = table.get("dynamic", [])
    complete = True
    if "dependencies" in table:
        source.requirements(
            collector,
            table["dependencies"],
            "dependencies",
            "project",
            "[project] dependencies",
            key="dependencies",
        )
    elif "dependencies" in dynamic and not _dynamic_files(
        source, collector, ("dependencies",), "dependencies"
    ):
        collector.cannot_read(f"{source.where}: [project] dynamic dependencies", runtime=True)
    extras = table.get("optional-dependencies", {})
    if not isinstance(extras, dict):
        raise LintError(f"{source.where}: [project.optional-dependencies] must be a table")
    for extra, values in extras.items():
        source.requirements(
            collector,
            values,
            f"extra:{canonicalize_name(extra)}",
            "project.optional-dependencies",
            f"[project.optional-dependencies] {extra}",
        )
    if "optional-dependencies" in dynamic:
        complete &= _dynamic_extras(source, collector)
    return complete


FLIT_METADATA = "tool.flit.metadata"
"""flit's table from before PEP 621 (flit_core 3 still builds from it when there is no
``[project]``): ``requires`` is the runtime, each ``requires-extra`` entry an extra, and
``dev-requires`` the ``dev`` extra."""


def read_flit(source: TomlSource, collector: Collector) -> bool:
    """flit's legacy ``[tool.flit.metadata]`` (AF2: statelit requires streamlit and pydantic
    there and its ``test`` extra names pytest-cov); whether it declares anything. Unread when
    a ``[project]`` table is there: flit then takes that one."""
    flit = source.table(FLIT_METADATA)
    if not flit or isinstance(source.data.get("project"), dict):
        return False
    if "requires" in flit:
        source.requirements(
            collector,
            flit["requires"],
            "dependencies",
            FLIT_METADATA,
            f"[{FLIT_METADATA}] requires",
            strict=False,
        )
    extras: dict[str, Any] = {}
    if "dev-requires" in flit:
        extras["dev"] = flit["dev-requires"]
    named = flit.get("requires-extra", {})
    extras.update(named if isinstance(named, dict) else {})
    for extra, values in extras.items():
        source.requirements(
            collector,
            values,
            f"extra:{canonicalize_name(extra)}",
            f"{FLIT_METADATA}.requires-extra",
            f"[{FLIT_METADATA}.requires-extra] {extra}",
            strict=False,
        )
    return True


def _setuptools_dynamic(source: TomlSource) -> Mapping[str, Any]:
    return source.table("tool.setuptools.dynamic")


HATCH_REQUIREMENTS_TXT = "tool.hatch.metadata.hooks.requirements_txt"
"""The ``hatch-requirements-txt`` hook: ``files`` and ``optional-dependencies`` name files."""


def _dynamic_entry(source: TomlSource, keys: Sequence[str]) -> Any:
    """The files a build backend reads a dynamic field from: setuptools' ``dynamic`` tables
    (``{file = ...}``) or the ``hatch-requirements-txt`` hook's lists; None when neither says."""
    entry: Any = _setuptools_dynamic(source)
    for key in keys:
        entry = entry.get(key) if isinstance(entry, dict) else None
    if isinstance(entry, dict) and "file" in entry:
        return entry["file"]
    hook: Any = source.table(HATCH_REQUIREMENTS_TXT)
    if tuple(keys) == ("dependencies",):
        return hook.get("files")
    extras = hook.get("optional-dependencies")
    return extras.get(keys[-1]) if isinstance(extras, dict) else None


def _dynamic_files(
    source: TomlSource, collector: Collector, keys: Sequence[str], section: str
) -> bool:
    files = _dynamic_entry(source, keys)
    if files is None:
        return False
    for name in [files] if isinstance(files, str) else files:
        path = collector.root / str(name)
        if not path.is_file():
            runtime = tuple(keys) == ("dependencies",)
            collector.missing_file(source.where, f"dynamic {keys[-1]}", path, runtime=runtime)
            continue
        collector.include(section, requirements.read_file(collector, path))
    return True


def _dynamic_extras(source: TomlSource, collector: Collector) -> bool:
    extras = _setuptools_dynamic(source).get("optional-dependencies")
    if not isinstance(extras, dict):
        extras = source.table(HATCH_REQUIREMENTS_TXT).get("optional-dependencies")
    if not isinstance(extras, dict):
        return False
    return all(
        _dynamic_files(
            source, collector, ("optional-dependencies", extra), f"extra:{canonicalize_name(extra)}"
        )
        for extra in extras
    )


def read_groups(source: TomlSource, collector: Collector) -> bool:
    """PEP 735 ``[dependency-groups]`` (with ``include-group``); whether there are any."""
    groups = source.data.get("dependency-groups", {})
    if not isinstance(groups, dict):
        raise LintError(f"{source.where}: [dependency-groups] must be a table")
    for group, values in groups.items():
        section = f"group:{canonicalize_name(group)}"
        label = f"[dependency-groups] {group}"
        if not isinstance(values, list):
            raise LintError(f"{source.where}: {label} must be a list")
        for item in values:
            if isinstance(item, dict) and isinstance(item.get("include-group"), str):
                collector.include(section, f"group:{canonicalize_name(item['include-group'])}")
            elif isinstance(item, str):  # at or below its group's key: a group named like a
                # requirement may be included above it (``{include-group = "pre-commit"}``)
                line, col = source.locator.find(item, "dependency-groups", group)
                collector.add(item, section, source.path, line, col)
            else:
                raise LintError(
                    f"{source.where}: {label} entries must be strings or {{include-group = ...}}"
                )
    return bool(groups)


def read_pdm(source: TomlSource, collector: Collector) -> bool:
    """``[tool.pdm.dev-dependencies]``: groups ``pdm install`` installs by default."""
    groups = source.table("tool.pdm.dev-dependencies")
    for group, values in groups.items():
        section = f"group:{canonicalize_name(group)}"
        collector.mark_test(section)
        if not isinstance(values, list):
            collector.cannot_read(f"{source.where}: [tool.pdm.dev-dependencies] {group}")
            continue
        for item in values:
            if not isinstance(item, str):
                collector.cannot_read(f"{source.where}: [tool.pdm.dev-dependencies] {group}")
                continue
            line, _ = source.locator.find(item, "tool.pdm.dev-dependencies")
            requirements.requirement_line(
                collector,
                item.replace("file:///${PROJECT_ROOT}", "."),
                line,
                source.path,
                section,
                strict=False,
            )
    return bool(groups)


def _read_dev_dependencies(source: TomlSource, collector: Collector, table: str) -> None:
    """A tool table's ``dev-dependencies`` list: the ``dev`` group, which its tool installs
    whenever it syncs the environment, so a test section whatever the name."""
    tool = source.table(table)
    collector.mark_test("group:dev")
    if "dev-dependencies" in tool:
        source.requirements(
            collector,
            tool["dev-dependencies"],
            "group:dev",
            table,
            f"[{table}] dev-dependencies",
            strict=False,
        )


def read_rye(source: TomlSource, collector: Collector) -> bool:
    """``[tool.rye] dev-dependencies``: ``rye sync`` installs them unless told ``--no-dev``
    (rich-pixels declares pytest and syrupy there and nowhere else, RY1)."""
    if "dev-dependencies" not in source.table("tool.rye"):
        return False
    _read_dev_dependencies(source, collector, "tool.rye")
    return True


CIBUILDWHEEL = "tool.cibuildwheel"
"""cibuildwheel's table: it tests each wheel it builds in a fresh environment holding the wheel,
its ``test-extras``, ``test-requires`` and what ``before-test`` installs with pip."""
CIBUILDWHEEL_TABLES = tuple(
    f"{CIBUILDWHEEL}{platform}" for platform in ("", ".linux", ".macos", ".windows")
)
"""The table and its per-platform overrides, each of which may name what the tests install."""
_PIP_INSTALL = re.compile(r"(?:^|\s)(?:uv\s+)?pip3?\s+install\s+(.*)$")
_COMMAND_SPLIT = re.compile(r"&&|\|\||;|\n")
_PIP_OPTION_VALUES = frozenset(
    {
        *("-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url"),
        *("--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root"),
        *("--only-binary", "--no-binary", "--platform", "--python-version", "--abi", "-C"),
        *("--implementation", "--config-settings", "--global-option", "--trusted-host"),
        *("--upgrade-strategy", "--src", "--log", "--cache-dir", "--timeout", "--retries"),
        *("--proxy", "--cert", "--client-cert", "--exists-action", "--report", "--progress-bar"),
        *("--use-feature", "--use-deprecated", "--root-user-action", "--group", "--python"),
    }
)
"""pip's (and ``uv pip``'s) options whose value may be the next word, not a requirement
(``--only-binary :all:``, ``--platform x86_64``)."""


def _pip_installed(command: str) -> list[str]:
    """The requirements a shell command's ``pip install`` names: no options, paths or
    cibuildwheel placeholders such as ``{project}``."""
    found: list[str] = []
    for part in _COMMAND_SPLIT.split(command):
        match = _PIP_INSTALL.search(part.strip())
        if match is None:
            continue
        skip = False
        for word in match.group(1).split():
            if skip:
                skip = False
            elif word.startswith("-"):
                skip = word in _PIP_OPTION_VALUES
            elif not any(mark in word for mark in "{/\\$") and not word.startswith("."):
                found.append(word.strip("'\""))
    return found


def read_cibuildwheel(source: TomlSource, collector: Collector) -> bool:
    """What cibuildwheel installs beside the built wheel before it runs the suite, in
    ``[tool.cibuildwheel]`` and its ``linux``/``macos``/``windows`` tables: ``test-requires``
    (a list, or one string of space-separated requirements; CX2: python-stretch declares pytest
    and numpy there and nowhere else), the ``pip install`` of ``before-test`` (DB1: tiktoken's
    ``before-test = "pip install pytest hypothesis"``) and ``test-extras``. Whether it declares
    anything."""
    section = "cibuildwheel:test"
    declared = False
    for name in CIBUILDWHEEL_TABLES:
        table = source.table(name)
        requires, extras = table.get("test-requires"), table.get("test-extras")
        before = table.get("before-test")
        commands = (
            [before] if isinstance(before, str) else before if isinstance(before, list) else []
        )
        installed = [w for c in commands if isinstance(c, str) for w in _pip_installed(c)]
        if requires is None and extras is None and not installed:
            continue
        declared = True
        collector.mark_test(section)
        if isinstance(requires, str):
            line = source.locator.find_key("test-requires", name)[0]
            for token in requires.split():
                collector.add(token, section, source.path, line, 1, strict=False)
        elif requires is not None:
            source.requirements(
                collector,
                requires,
                section,
                name,
                f"[{name}] test-requires",
                strict=False,
                key="test-requires",
            )
        if installed:
            line = source.locator.find_key("before-test", name)[0]
            for token in installed:
                collector.add(token, section, source.path, line, 1, strict=False)
        # a string lists them separated by commas or spaces ("test,qt")
        listed = extras.replace(",", " ").split() if isinstance(extras, str) else extras
        collector.include_extras(section, listed)
    return declared


UV_SOURCE_PLACES = frozenset({"workspace", "path", "git", "url"})
"""The keys of a ``[tool.uv.sources]`` entry that take a requirement from somewhere other than
a package index (``index`` only picks another registry)."""


def uv_sourced(pyproject: Mapping[str, Any]) -> frozenset[str]:
    """The requirements ``[tool.uv.sources]`` takes from a workspace member, a folder, a git
    repository or a URL (VD1: ``kctl-lib = { workspace = true }``): code no table knows, whose
    own requirements sit in a ``pyproject.toml`` outside the project (a sibling package of the
    same repository), so they may bring anything."""
    return frozenset(
        name
        for name, entries in _uv_sources(pyproject)
        if any(isinstance(e, dict) and UV_SOURCE_PLACES & e.keys() for e in entries)
    )


def _uv_sources(pyproject: Mapping[str, Any]) -> Iterator[tuple[str, list[object]]]:
    """Each requirement ``[tool.uv.sources]`` names (canonical), with its entries (several
    where each holds under a marker)."""
    sources = toml_table(pyproject, "tool.uv").get("sources")
    for name, source in sources.items() if isinstance(sources, dict) else ():
        yield canonicalize_name(name), source if isinstance(source, list) else [source]


BRANCH_NAMES = frozenset({"main", "master", "develop", "development", "dev", "trunk", "head"})
"""Branches a git ``rev`` names by convention: a new commit there reaches the suite."""


def _fixed_source(entry: object) -> bool:
    """Whether one ``[tool.uv.sources]`` entry installs the same code until the project itself
    changes: a workspace member or a folder (code of the same checkout), a file URL, or a git
    commit or tag; not an ``index`` (which only picks the registry) nor a git branch (``branch
    = "main"``, or ``rev = "main"``: uv's ``rev`` takes any reference, imdb-extract's names its
    main branch)."""
    if not isinstance(entry, dict):
        return False
    if entry.get("workspace") is True or "path" in entry or "url" in entry:
        return True
    rev = entry.get("rev")
    named = isinstance(rev, str) and rev.lower() not in BRANCH_NAMES
    return "git" in entry and ("tag" in entry or named)


def uv_fixed(pyproject: Mapping[str, Any]) -> frozenset[str]:
    """The requirements every ``[tool.uv.sources]`` entry of which fixes the code installed
    (:func:`_fixed_source`; AW1: apprc-core's ``apprc = { workspace = true }``, khocr-gen's
    ``khocr-gen-core = { path = "rust" }``): no release of a package index reaches them, so a
    missing version bound lets nothing new in. Several entries (one per marker) must all fix
    it: an environment that takes it from an index installs whatever was released last."""
    return frozenset(
        name
        for name, entries in _uv_sources(pyproject)
        if entries and all(_fixed_source(e) for e in entries)
    )


UV_CONSTRAINT_KEYS = ("constraint-dependencies", "override-dependencies")
"""The ``[tool.uv]`` lists whose requirements uv applies to every resolution of the project."""


def uv_constraints(pyproject: Mapping[str, Any]) -> tuple[str, ...]:
    """The requirements of ``[tool.uv] constraint-dependencies`` and ``override-dependencies``
    (DV1: datarobot-genai's ``"pytest>=9.0.3"``): uv adds them to every resolution of the
    project's dependencies, extras and groups, so they bound what those leave bare."""
    uv = toml_table(pyproject, "tool.uv")
    return tuple(
        item
        for key in UV_CONSTRAINT_KEYS
        for items in [uv.get(key)]
        for item in (items if isinstance(items, list) else ())
        if isinstance(item, str)
    )


TREE_DEPTHS = ("*/pyproject.toml", "*/*/pyproject.toml")
"""Where a checkout keeps the projects it ships beside its own (``runtime/``,
``packages/core/``): one or two folders below the root."""


def tree_sourced(root: Path, declared: Iterable[str], own: str) -> frozenset[str]:
    """The declared requirements whose own project ships in the checkout, in a folder one or
    two levels below the root whose ``pyproject.toml`` names it (ZB1: invar-tools requires
    invar-runtime, whose ``runtime/pyproject.toml`` requires deal): a sibling package of the
    same repository, as a ``[tool.uv.sources]`` workspace member is (:func:`uv_sourced`), so
    its requirements, which no table knows, may bring what the tests import."""
    wanted = set(declared) - {own}
    if not wanted:
        return frozenset()
    found: set[str] = set()
    for pattern in TREE_DEPTHS:
        for path in root.glob(pattern):
            try:
                table = read_toml(path).get("project")
            except LintError:
                continue  # a broken sibling file declares nothing it can be held to
            name = table.get("name") if isinstance(table, dict) else None
            if isinstance(name, str) and canonicalize_name(name) in wanted:
                found.add(canonicalize_name(name))
    return frozenset(found)


def read_uv(source: TomlSource, collector: Collector) -> bool:
    """``[tool.uv] dev-dependencies`` and ``default-groups``: what ``uv run`` installs."""
    uv = source.table("tool.uv")
    if not uv:
        return False
    _read_dev_dependencies(source, collector, "tool.uv")
    defaults = uv.get("default-groups", ["dev"])
    groups = source.data.get("dependency-groups", {})
    if defaults == "all" and isinstance(groups, dict):
        defaults = list(groups)
    for group in defaults if isinstance(defaults, list) else ():
        if isinstance(group, str):
            collector.mark_test(f"group:{canonicalize_name(group)}")
    return "dev-dependencies" in uv
