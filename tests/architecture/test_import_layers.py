"""The layering of DESIGN.md, enforced: every import of every module runs down the layers.

The layers are read from DESIGN.md's drawing (between `<!-- layers -->` and `<!-- /layers -->`),
so the drawing is the rule. Every module is read with `ast`, never imported: relative imports
(`from . import x`, `from ..feedback import y`) are resolved, and imports inside functions and
under `if TYPE_CHECKING:` count like any other. Three rules:

- a module imports from its own folder and from the layers below its own, never from a layer
  above nor from a folder beside it in the same row;
- only `plugin/` imports pytest (`pytest`, `_pytest`, `pluggy`): the plugin turns pytest's
  objects into the feedback loop's records;
- `plugin/` and `feedback/` use the linter only through `lint/api.py`: nothing else of
  `lint/` or `rules/`.

And one rule of the plugin's cost (DESIGN.md, "The plugin"): a module that defines a named
tuple evaluates its annotations (no `from __future__ import annotations`), for
`typing.NamedTuple` compiles each string annotation when the class is created.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPOSITORY = Path(__file__).resolve().parents[2]
PYTEST_MODULES = frozenset({"pytest", "_pytest", "pluggy"})
IMPORTS_PYTEST = frozenset({"plugin"})
LINTER_DOOR = "apytest.lint.api"
THROUGH_THE_DOOR = frozenset({"plugin", "feedback"})
LINTER = frozenset({"lint", "rules"})
NAMED_TUPLE = frozenset({"NamedTuple", "typing.NamedTuple"})

Layers = Sequence[frozenset[str]]


def drawn_layers(design: str) -> list[frozenset[str]]:
    """The rows of the drawing, top first: each row's folders (`feedback, monitoring`)."""
    match = re.search(r"<!-- layers -->\n(.*?)<!-- /layers -->", design, re.DOTALL)
    assert match is not None, "DESIGN.md has no <!-- layers --> drawing"
    rows = []
    for line in match.group(1).splitlines():
        if line.strip() and not line.startswith("```"):
            names = re.split(r"\s{2,}", line.strip())[0]
            rows.append(frozenset(name.strip() for name in names.split(",")))
    return rows


def _imports(tree: ast.Module, package: str) -> Iterator[tuple[int, str]]:
    """(line, dotted module) of every import anywhere in the module; `from X import a, b`
    counts as X.a and X.b (a name may be a module), relative ones resolved against `package`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}" if alias.name != "*" else module


def violations(root: Path, layers: Layers) -> list[str]:
    """`path:line: what` for every import against the layering, in the folders of `layers`
    under `root` (each folder installs as `apytest.<folder>`)."""
    rank = {folder: index for index, row in enumerate(layers) for folder in row}
    found = []
    for folder in sorted(rank):
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root)
            # The package a relative import starts from (a package's own for `__init__.py`).
            package = ".".join(["apytest", *relative.parent.parts])
            tree = ast.parse(path.read_bytes(), str(path))
            for line, module in sorted(_imports(tree, package)):
                problem = _problem(folder, module, rank)
                if problem:
                    found.append(f"{relative.as_posix()}:{line}: {problem}")
    return found


def _problem(folder: str, module: str, rank: dict[str, int]) -> str | None:
    top, _, rest = module.partition(".")
    if top in PYTEST_MODULES and folder not in IMPORTS_PYTEST:
        return f"imports {module}: only {', '.join(sorted(IMPORTS_PYTEST))}/ imports pytest"
    if top != "apytest" or not rest:
        return None
    target = rest.split(".")[0]
    if target == folder:
        return None
    if target not in rank:
        return f"imports {module}: {target} is in no layer of DESIGN.md"
    if rank[target] <= rank[folder]:
        where = "beside" if rank[target] == rank[folder] else "above"
        return f"imports {module}: {target}/ is {where} {folder}/"
    if (
        folder in THROUGH_THE_DOOR
        and target in LINTER
        and not (module == LINTER_DOOR or module.startswith(LINTER_DOOR + "."))
    ):
        return f"imports {module}: {folder}/ uses the linter only through {LINTER_DOOR}"
    return None


def deferred_named_tuples(root: Path, folders: Iterable[str]) -> list[str]:
    """`path:line` of every named tuple class in a module that defers its annotations."""
    found = []
    for folder in sorted(folders):
        for path in sorted((root / folder).rglob("*.py")):
            tree = ast.parse(path.read_bytes(), str(path))
            deferred = any(
                isinstance(node, ast.ImportFrom)
                and node.module == "__future__"
                and any(alias.name == "annotations" for alias in node.names)
                for node in tree.body
            )
            found += [
                f"{path.relative_to(root).as_posix()}:{node.lineno}: {node.name}"
                for node in ast.walk(tree)
                if deferred
                and isinstance(node, ast.ClassDef)
                and any(ast.unparse(base) in NAMED_TUPLE for base in node.bases)
            ]
    return found


def test_every_import_runs_down_the_layers() -> None:
    layers = drawn_layers((REPOSITORY / "DESIGN.md").read_text(encoding="utf-8"))
    assert violations(REPOSITORY, layers) == []


def test_the_drawing_has_every_installed_folder_once() -> None:
    layers = drawn_layers((REPOSITORY / "DESIGN.md").read_text(encoding="utf-8"))
    pyproject = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    folders = set(pyproject["tool"]["setuptools"]["package-dir"].values())
    drawn = [folder for row in layers for folder in row]
    assert sorted(drawn) == sorted(folders)
    assert layers[0] == {"cli"}
    assert layers[-1] >= {"common"}


def test_no_named_tuple_compiles_its_annotations_from_strings() -> None:
    layers = drawn_layers((REPOSITORY / "DESIGN.md").read_text(encoding="utf-8"))
    assert deferred_named_tuples(REPOSITORY, [folder for row in layers for folder in row]) == []


def test_the_check_finds_a_named_tuple_with_deferred_annotations(tmp_path: Path) -> None:
    (tmp_path / "feedback").mkdir()
    future = "from __future__ import annotations\n"
    sources = {
        "deferred.py": f"{future}import typing\nclass A(typing.NamedTuple):\n    x: int\n",
        "evaluated.py": "from typing import NamedTuple\nclass B(NamedTuple):\n    x: int\n",
        "other.py": f"{future}class C(tuple):\n    pass\n",
    }
    for name, source in sources.items():
        (tmp_path / "feedback" / name).write_text(source, encoding="utf-8")
    assert deferred_named_tuples(tmp_path, ["feedback"]) == ["feedback/deferred.py:3: A"]


LAYERS = [
    frozenset({"cli"}),
    frozenset({"plugin"}),
    frozenset({"feedback", "monitoring"}),
    frozenset({"lint"}),
    frozenset({"rules"}),
    frozenset({"common"}),
]
BAD_TREE = {
    "lint/declarations/reader.py": "def read():\n    from ...feedback import records\n",
    "lint/engine.py": "from . import helpers\nfrom .declarations import reader\n",
    "lint/helpers.py": "import apytest.cli.apytest\n",
    "rules/api.py": "from apytest.common import names\n",
    "feedback/store.py": (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import pytest\n"
        "from apytest.lint.api import lint\nfrom apytest.lint import api\n"
        "from apytest.monitoring import scaffold\n"
    ),
    "feedback/facts.py": "def facts():\n    from apytest.lint.project import find_project\n",
    "feedback/lessons.py": "from apytest.rules.lessons import reference\n",
    "plugin/hooks.py": "import pytest\nfrom _pytest.reports import TestReport\n",
    "plugin/summary.py": "from apytest.lint import runner\n",
    "monitoring/scaffold.py": "from apytest.common.names import METRICS_FILE\n",
    "common/names.py": "import apytest.rules\n",
}


def test_the_check_finds_each_kind_of_wrong_import(tmp_path: Path) -> None:
    for name, source in BAD_TREE.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source, encoding="utf-8")
    assert violations(tmp_path, LAYERS) == [
        "common/names.py:1: imports apytest.rules: rules/ is above common/",
        "feedback/facts.py:2: imports apytest.lint.project.find_project: "
        "feedback/ uses the linter only through apytest.lint.api",
        "feedback/lessons.py:1: imports apytest.rules.lessons.reference: "
        "feedback/ uses the linter only through apytest.lint.api",
        "feedback/store.py:3: imports pytest: only plugin/ imports pytest",
        "feedback/store.py:6: imports apytest.monitoring.scaffold: monitoring/ is beside feedback/",
        "lint/declarations/reader.py:2: imports apytest.feedback.records: feedback/ is above lint/",
        "lint/helpers.py:1: imports apytest.cli.apytest: cli/ is above lint/",
        "plugin/summary.py:1: imports apytest.lint.runner: "
        "plugin/ uses the linter only through apytest.lint.api",
    ]


@pytest.mark.parametrize(
    ("package", "source", "module"),
    [
        ("apytest.lint", "from . import engine", "apytest.lint.engine"),
        ("apytest.lint.declarations", "from .. import project", "apytest.lint.project"),
        ("apytest.lint.declarations", "from ...rules.api import X", "apytest.rules.api.X"),
        ("apytest.lint", "from .api import *", "apytest.lint.api"),
    ],
)
def test_relative_imports_resolve_as_python_does(package: str, source: str, module: str) -> None:
    assert [m for _, m in _imports(ast.parse(source), package)] == [module]
