"""Generate ``rules/support/plugin_table.json``: which pytest plugin registers which marker,
command-line option, ini key, ``-p`` name and fixture, read from the plugins' own wheels.

The startup rules (APT4xx) need to know that ``@pytest.mark.timeout`` comes from pytest-timeout
and ``--cov-config`` from pytest-cov. Guessing from names would be wrong often enough to matter,
so this script downloads the wheels of the most used plugins (``pip download --no-deps``), reads
their ``pytest11`` entry points and, with ``ast``, the literal arguments of every
``addoption``/``addini`` call and of every ``addinivalue_line("markers", ...)`` in the plugin's
modules, and the name of every function they decorate with ``fixture`` (``@pytest.fixture``,
``@pytest_asyncio.fixture``, ``name=`` when given, ``x = pytest.fixture(...)(f)``), and writes
one JSON table with each distribution's version. Nothing is imported or run.

    .venv/bin/python benchmarks/plugin_table.py            # download into a temporary folder
    .venv/bin/python benchmarks/plugin_table.py --wheels /tmp/plugins   # reuse downloaded wheels

pytest's own options, ini keys and markers (from the installed pytest, whose version is recorded)
are listed apart, so that they are never taken for a plugin's. Rerun it to refresh the table.
"""

from __future__ import annotations

import argparse
import ast
import configparser
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from packaging.utils import canonicalize_name, parse_wheel_filename

from apytest.rules.support.astutil import fixture_decl, is_pytest_attr, keyword_value, string_value
from apytest.rules.support.plugins import KINDS

PLUGINS = (
    "anyio",
    "flaky",
    "hypothesis",
    "pytest-aiohttp",
    "pytest-asyncio",
    "pytest-asyncio-cooperative",
    "pytest-bdd",
    "pytest-benchmark",
    "pytest-cases",
    "pytest-check",
    "pytest-codspeed",
    "pytest-console-scripts",
    "pytest-cov",
    "pytest-datadir",
    "pytest-describe",
    "pytest-django",
    "pytest-doctestplus",
    "pytest-env",
    "pytest-flakefinder",
    "pytest-forked",
    "pytest-freezer",
    "pytest-html",
    "pytest-httpbin",
    "pytest-httpserver",
    "pytest-httpx",
    "pytest-instafail",
    "pytest-lazy-fixtures",
    "pytest-localserver",
    "pytest-memray",
    "pytest-metadata",
    "pytest-mock",
    "pytest-mpl",
    "pytest-mypy",
    "pytest-mypy-plugins",
    "pytest-order",
    "pytest-playwright",
    "pytest-qt",
    "pytest-randomly",
    "pytest-recording",
    "pytest-regressions",
    "pytest-remotedata",
    "pytest-repeat",
    "pytest-rerunfailures",
    "pytest-retry",
    "pytest-run-parallel",
    "pytest-socket",
    "pytest-split",
    "pytest-subtests",
    "pytest-sugar",
    "pytest-timeout",
    "pytest-trio",
    "pytest-vcr",
    "pytest-xdist",
    "pytest-xprocess",
    "pytest-xvfb",
    "respx",
    "syrupy",
)
"""The plugins read: the most downloaded ``pytest11`` distributions and those real suites'
configurations name (``addopts``, ``markers``)."""

PIP_DOWNLOAD = (sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q")
OUTPUT = Path(__file__).resolve().parent.parent / "rules" / "support" / "plugin_table.json"


def download(folder: Path) -> None:
    for name in PLUGINS:
        subprocess.run(
            [*PIP_DOWNLOAD, "-d", str(folder), name],
            check=True,
        )


def _assignments(tree: ast.AST) -> dict[str, ast.expr]:
    """``name -> value`` of the module's simple assignments (any scope; the last one wins), so
    that ``config_line = "xdist_group: ..."`` then ``addinivalue_line("markers", config_line)``
    is read."""
    found: dict[str, ast.expr] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                found[target.id] = node.value
    return found


def _text(node: ast.expr, names: dict[str, ast.expr], prefix: bool) -> str | None:
    """A literal string argument; with ``prefix``, also the literal start of a concatenation
    or f-string (enough for a marker's name)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in names:
        return _text(names[node.id], {k: v for k, v in names.items() if k != node.id}, prefix)
    if prefix and isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _text(node.left, names, prefix)
    if prefix and isinstance(node, ast.JoinedStr) and node.values:
        return _text(node.values[0], names, prefix)
    return None


def _fixtures(tree: ast.AST) -> Iterator[str]:
    """The fixtures a module defines: functions decorated as the rules read them
    (``astutil.fixture_decl``), and ``x = pytest.fixture(...)(f)``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            declared = fixture_decl(node)
            if declared is not None:
                yield declared.name
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Call)
            and is_pytest_attr(node.value.func.func, "fixture")
        ):
            name = string_value(keyword_value(node.value.func, "name"))
            yield name or node.targets[0].id


def _registrations(tree: ast.AST) -> Iterator[tuple[str, str]]:
    """``(kind, name)`` for each option, ini key, marker and fixture a plugin module
    registers."""
    for fixture in _fixtures(tree):
        if not fixture.startswith("_"):  # private helpers, never requested by name
            yield "fixture", fixture
    names = _assignments(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method = node.func.attr
        if method in ("addoption", "_addoption"):
            for arg in node.args:
                text = _text(arg, names, prefix=False)
                if text is not None and text.startswith("-"):
                    yield "option", text
        elif method == "addini" and node.args:
            keys = [node.args[0]]
            for keyword in node.keywords:
                if keyword.arg == "aliases" and isinstance(keyword.value, ast.List | ast.Tuple):
                    keys += keyword.value.elts
            for key in keys:
                text = _text(key, names, prefix=False)
                if text is not None and text.isidentifier():
                    yield "ini", text
        elif method == "addinivalue_line" and len(node.args) == 2:
            if _text(node.args[0], names, prefix=False) != "markers":
                continue
            line = _text(node.args[1], names, prefix=True) or ""
            marker = line.split(":", 1)[0].split("(", 1)[0].strip()
            if marker.isidentifier():
                yield "marker", marker


def read_wheel(path: Path) -> tuple[str, str, dict[str, set[str]]]:
    """The distribution, its version, and its registrations by kind."""
    name, version, _build, _tags = parse_wheel_filename(path.name)
    found: dict[str, set[str]] = {kind: set() for kind in KINDS}
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        modules: set[str] = set()
        for member in names:
            if member.endswith(".dist-info/entry_points.txt"):
                parser = configparser.ConfigParser(interpolation=None)
                parser.read_string(wheel.read(member).decode())
                if parser.has_section("pytest11"):
                    for entry, target in parser.items("pytest11"):
                        found["plugin"].add(entry)
                        module = target.split(":", 1)[0].strip()
                        found["plugin"].add(module)
                        modules.add(module.split(".", 1)[0])
        for member in names:
            top = member.split("/", 1)[0].removesuffix(".py")
            if not member.endswith(".py") or top not in modules:
                continue
            try:
                tree = ast.parse(wheel.read(member))
            except SyntaxError:
                continue
            for kind, value in _registrations(tree):
                found[kind].add(value)
    return str(canonicalize_name(name)), str(version), found


def read_pytest() -> tuple[str, dict[str, set[str]]]:
    """What pytest itself registers (the installed one: its version is recorded), so that its
    own options, ini keys and markers are never taken for a plugin's."""
    import _pytest
    import pytest

    found: dict[str, set[str]] = {kind: set() for kind in KINDS if kind != "plugin"}
    for module in sorted(Path(_pytest.__file__).parent.rglob("*.py")):
        for kind, value in _registrations(ast.parse(module.read_bytes())):
            found[kind].add(value)
    return pytest.__version__, found


def build(folder: Path) -> dict[str, object]:
    distributions: dict[str, str] = {}
    rows: dict[str, dict[str, list[str]]] = {kind: {} for kind in KINDS}
    for wheel in sorted(folder.glob("*.whl")):
        name, version, found = read_wheel(wheel)
        if not any(found.values()):
            continue
        distributions[name] = version
        for kind, values in found.items():
            for value in values:
                owners = rows[kind].setdefault(value, [])
                if name not in owners:
                    owners.append(name)
    pytest_version, builtin = read_pytest()
    return {
        "generated_by": "benchmarks/plugin_table.py",
        "pytest": pytest_version,
        "builtin": {kind: sorted(values) for kind, values in builtin.items()},
        "distributions": dict(sorted(distributions.items())),
        **{kind: {k: sorted(v) for k, v in sorted(rows[kind].items())} for kind in rows},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheels", type=Path, help="read wheels already downloaded here")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.wheels or Path(temporary)
        if args.wheels is None:
            download(folder)
        table = build(folder)
    args.output.write_text(json.dumps(table, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    counts = {kind: len(table[kind]) for kind in KINDS}  # type: ignore[arg-type]
    print(f"{args.output}: {len(table['distributions'])} plugins, {counts}")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
