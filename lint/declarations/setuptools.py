"""setuptools' legacy declarations: ``setup.py`` (read with ``ast``, never run) and ``setup.cfg``.

``install_requires`` is the runtime (``dependencies``), each ``extras_require`` key an extra
(``"test:python_version<'3.11'"`` is extra ``test``; a key that is only a marker is the
runtime), ``tests_require`` a test section. In ``setup.py`` only literal values are read:
strings, lists, tuples, dicts, ``+`` of those and names bound once at module level to them, plus
a computed value whose only string names a requirement file beside it
(``read("requirements.txt")``), and ``setup(**args)`` of a name bound once to a dict of literal
keys. Anything computed (``open(...)``, comprehensions, other ``**kwargs`` into ``setup()``)
makes the model incomplete; a ``setup()`` that passes no requirement keywords
declares nothing (a shim for ``setup.cfg`` or ``pyproject.toml``).
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from packaging.utils import canonicalize_name

from apytest.common.files import read_regular
from apytest.common.settings import MAX_BYTES
from apytest.lint.declarations import requirements
from apytest.lint.declarations.collector import Collector
from apytest.lint.declarations.ini import IniFile, IniValue, parse_ini
from apytest.lint.declarations.literals import UNKNOWN, Literals, parse_python, strings
from apytest.lint.source import decode, parse
from apytest.rules.support.astutil import dotted_name, string_value

KEYWORDS = ("install_requires", "extras_require", "tests_require")
TESTS_REQUIRE = "tests_require:setup"
_MAX_REFERENCES = 10
"""How deep ``%(name)s`` references of ``setup.cfg`` are followed (a cycle stops there)."""


def _setup_calls(tree: ast.Module) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "setup":
                yield node


def _setup_keywords(call: ast.Call, literals: Literals) -> Iterator[tuple[str | None, ast.expr]]:
    """The keyword arguments of a ``setup()`` call, with ``**name`` spread when ``name`` is
    bound once at module level to a dict of literal keys (``setup_args = dict(name=...,
    install_requires=[...])`` then ``setup(**setup_args)``, RZ4), items set later by
    ``setup_args["key"] = ...`` statements of the module body included; any other ``**``
    comes back as ``(None, expression)``: it cannot be read."""
    for keyword in call.keywords:
        spread = _spread(keyword.value, literals) if keyword.arg is None else None
        if keyword.arg is not None:
            yield keyword.arg, keyword.value
        elif spread is None:
            yield None, keyword.value
        else:
            yield from spread


def _spread(node: ast.expr, literals: Literals) -> list[tuple[str | None, ast.expr]] | None:
    """The ``(key, value)`` items of the dict a name bound once holds; None if not readable."""
    if not isinstance(node, ast.Name):
        return None
    bound = literals.bindings.get(node.id)
    items: list[tuple[str | None, ast.expr]] = []
    if isinstance(bound, ast.Dict):
        for key, value in zip(bound.keys, bound.values, strict=True):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return None
            items.append((key.value, value))
    elif (
        isinstance(bound, ast.Call)
        and isinstance(bound.func, ast.Name)
        and bound.func.id == "dict"
        and not bound.args
        and all(keyword.arg is not None for keyword in bound.keywords)
    ):
        items.extend((keyword.arg, keyword.value) for keyword in bound.keywords)
    else:
        return None
    items.extend(literals.items.get(node.id, ()))
    return items


def quiet_setup_cfg(root: Path) -> IniFile:
    """The root's ``setup.cfg``, parsed; empty without one or when it cannot be read (read
    quietly: what cannot be read is said when the requirements are read)."""
    try:
        return parse_ini(decode(read_regular(root / "setup.cfg", MAX_BYTES)))
    except (OSError, SyntaxError, ValueError, LookupError):
        return {}


def quiet_setup_py(root: Path) -> ast.Module | None:
    """The root's ``setup.py``, parsed once for every reader of a run (its name, scripts,
    extension modules and excluded packages; a changed file is parsed again); None without one
    or when it cannot be read (read quietly, as ``quiet_setup_cfg``)."""
    path = root / "setup.py"
    try:
        stat = path.stat()
    except OSError:
        return None
    return _parsed_setup_py(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _parsed_setup_py(path: Path, _mtime_ns: int, _size: int) -> ast.Module | None:
    """``quiet_setup_py``'s parse, keyed by the file's modification time and size."""
    try:
        return parse(decode(read_regular(path, MAX_BYTES)), "setup.py")
    except (OSError, SyntaxError, ValueError, LookupError, RecursionError, MemoryError):
        return None


def declared_name(root: Path) -> str:
    """The project's name as setuptools' own files give it, for a project whose
    ``pyproject.toml`` names none: ``[metadata] name`` of ``setup.cfg``, else a literal
    ``setup(name="...")`` of ``setup.py`` (or a name bound once to one); "" when neither says
    it. Read quietly: what cannot be read is said when the requirements are read."""
    return _declared(root, "name", ("metadata",))


def declared_python_requires(root: Path) -> str:
    """The Pythons the project supports as setuptools' own files give them (BK3):
    ``python_requires`` of ``setup.cfg`` (``[options]``, else ``[metadata]``, where setuptools
    does not read it but the author says the same), else a literal
    ``setup(python_requires=...)`` of ``setup.py``; "" when neither says it. Read quietly, as
    :func:`declared_name`."""
    return _declared(root, "python_requires", ("options", "metadata"))


def _declared(root: Path, key: str, sections: Sequence[str]) -> str:
    """A one-line value of ``setup.cfg``'s first of ``sections`` that has it, else the literal
    ``setup(key=...)`` of ``setup.py``; "" when neither gives it."""
    ini = quiet_setup_cfg(root)
    for section in sections:
        value = ini.get(section, {}).get(key, IniValue())
        if len(value) == 1 and value[0][1].strip():
            return value[0][1].strip()
    tree = quiet_setup_py(root)
    if tree is None:
        return ""
    literals = Literals(tree)
    for call in _setup_calls(tree):
        for arg, expr in _setup_keywords(call, literals):
            found = literals.value(expr) if arg == key else None
            if isinstance(found, tuple) and str(found[0]).strip():
                return str(found[0]).strip()
    return ""


SCRIPT_GROUPS = ("console_scripts", "gui_scripts")


def declared_scripts(root: Path) -> frozenset[str]:
    """The console and GUI scripts ``[options.entry_points]`` of ``setup.cfg`` names (the part
    before ``=`` of each line), and those of a literal ``setup(entry_points=...)`` of
    ``setup.py`` (BH4), canonical: installed with the project. Read quietly, as
    :func:`declared_name`."""
    points = quiet_setup_cfg(root).get("options.entry_points", {})
    lines = [text for group in SCRIPT_GROUPS for _, text in points.get(group, [])]
    lines += _setup_py_scripts(root)
    return frozenset(
        canonicalize_name(name.strip())
        for text in lines
        if (name := text.partition("=")[0]).strip() and "=" in text
    )


def _setup_py_scripts(root: Path) -> list[str]:
    """The ``name = module:function`` lines of the console and GUI script groups of a
    ``setup(entry_points=...)`` in ``setup.py`` whose value is literal: a dict of lists
    (``{"console_scripts": ["rd = pkg:main"]}``) or setuptools' INI text
    (``"[console_scripts]\nrd = pkg:main"``). BH4: a test running ``rd`` by name runs the
    project's own program, as one of ``setup.cfg``'s would. Read quietly; what cannot be read
    names no script."""
    tree = quiet_setup_py(root)
    if tree is None:
        return []
    literals = Literals(tree)
    found: list[str] = []
    for call in _setup_calls(tree):
        for arg, expr in _setup_keywords(call, literals):
            value = literals.value(expr) if arg == "entry_points" else UNKNOWN
            if isinstance(value, dict):
                groups = [value.get(group, []) for group in SCRIPT_GROUPS]
                found += [text for group in groups for text, _, _ in strings(group)]
            elif isinstance(value, tuple):
                found += _ini_scripts(str(value[0]))
    return found


def _ini_scripts(text: str) -> list[str]:
    """The lines of the console and GUI script sections of setuptools' INI-style
    ``entry_points`` text."""
    lines: list[str] = []
    section = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
        elif section in SCRIPT_GROUPS and stripped and not stripped.startswith(("#", ";")):
            lines.append(stripped)
    return lines


OPENERS = frozenset({"open", "io.open", "codecs.open"})


def _read_in_with(tree: ast.Module, value: ast.expr) -> str | None:
    """The file a name was read from in a ``with`` of the module body (airr's ``with
    open('requirements.txt') as req:`` / ``install_requires = req.read().splitlines()``): the
    ``open`` call's first argument, when the name is bound nowhere else and the value adds no
    items of its own (no list, tuple or set display, no ``+``), only the file's lines."""
    if not isinstance(value, ast.Name):
        return None
    stores = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == value.id and isinstance(node.ctx, ast.Store)
    ]
    if len(stores) != 1:
        return None
    for statement in tree.body:
        if not isinstance(statement, ast.With) or len(statement.items) != 1:
            continue
        opened, handle = statement.items[0].context_expr, statement.items[0].optional_vars
        if not (
            isinstance(opened, ast.Call)
            and dotted_name(opened.func) in OPENERS
            and opened.args
            and isinstance(handle, ast.Name)
        ):
            continue
        for assign in statement.body:
            if not (
                isinstance(assign, ast.Assign)
                and len(assign.targets) == 1
                and assign.targets[0] is stores[0]
            ):
                continue
            inside = list(ast.walk(assign.value))
            if any(isinstance(n, ast.Name) and n.id == handle.id for n in inside) and not any(
                isinstance(n, ast.List | ast.Tuple | ast.Set)
                or (isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add))
                for n in inside
            ):
                return string_value(opened.args[0])
    return None


def _requirements_file_read(
    collector: Collector, path: Path, arg: str, value: ast.expr, tree: ast.Module
) -> None:
    """``install_requires=read("requirements.txt")`` and the like: a computed value whose only
    string names a requirement file beside ``setup.py`` is that file, and so is a name read
    from such a file in a ``with`` (``_read_in_with``); anything else cannot be read
    statically."""
    texts = [
        node.value
        for node in ast.walk(value)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    file = _read_in_with(tree, value) or (texts[0] if len(texts) == 1 else None)
    named = path.parent / file if file else None
    readable = named is not None and named.is_file() and named.suffix in requirements.SUFFIXES
    if arg == "extras_require" or named is None or not readable:
        where = f"{collector.rel(path)}:{value.lineno}: {arg}"
        collector.cannot_read(where, runtime=arg == "install_requires")
    else:
        section = "dependencies" if arg == "install_requires" else TESTS_REQUIRE
        if section == TESTS_REQUIRE:
            collector.mark_test(section)
        collector.include(section, requirements.read_file(collector, named, strict=False))


def _extra_section(key: str) -> str:
    extra = key.partition(":")[0].strip()
    return f"extra:{canonicalize_name(extra)}" if extra else "dependencies"


def _with_key_marker(text: str, key: str) -> str:
    """A requirement of the ``extras_require`` key ``key``, with the key's marker
    (``':python_version<"3.5"'``, ``'test:sys_platform=="win32"'``) joined to its own, as
    setuptools writes it into the metadata's ``Requires-Dist`` (DW1: bravado's
    ``typing`` under a marker no supported Python meets)."""
    marker = key.partition(":")[2].strip()
    if not marker:
        return text
    name, semicolon, own = text.partition(";")
    if semicolon and own.strip():
        return f"{name.rstrip()}; ({own.strip()}) and ({marker})"
    return f"{name.rstrip()}; {marker}"


def read_setup_py(collector: Collector, path: Path, *, runtime_elsewhere: bool = False) -> bool:
    """Read ``setup.py``; whether it declared something (its gaps make the model incomplete).

    A ``setup.py`` without a ``setup()`` call passes its requirements through a wrapper of its
    own (``setup_package(required=get_requirements_from_file(...))``): the runtime
    requirements are then unknown, unless ``runtime_elsewhere`` (``[project] dependencies``,
    ``setup.cfg``'s ``install_requires``) declares them."""
    tree = parse_python(collector, path)
    if tree is None:
        return False
    rel = collector.rel(path)
    calls = list(_setup_calls(tree))
    if not calls:
        collector.cannot_read(f"{rel}: no setup() call", runtime=not runtime_elsewhere)
        return False
    literals = Literals(tree)
    declared = False
    for call in calls:
        keywords = list(_setup_keywords(call, literals))
        if any(arg is None for arg, _ in keywords):
            collector.cannot_read(f"{rel}:{call.lineno}: setup(**...)", runtime=True)
        for arg, expr in keywords:
            if arg not in KEYWORDS:
                continue
            declared = True
            value = literals.value(expr)
            if value is UNKNOWN:
                _requirements_file_read(collector, path, arg, expr, tree)
                continue
            if arg == "extras_require":
                for key, items in value.items() if isinstance(value, dict) else ():
                    for text, line, col in strings(items):
                        requirement = _with_key_marker(text, key)
                        section = _extra_section(key)
                        collector.add(requirement, section, path, line, col, strict=False)
                continue
            section = "dependencies" if arg == "install_requires" else TESTS_REQUIRE
            if section == TESTS_REQUIRE:
                collector.mark_test(section)
            for text, line, col in strings(value):
                collector.add(text, section, path, line, col, strict=False)
    return declared


def _value_lines(
    collector: Collector, path: Path, value: list[tuple[int, str]], section: str
) -> None:
    for number, text in value:
        if text.startswith("file:"):
            for name in text[5:].split(","):
                included = path.parent / name.strip()
                if included.is_file():
                    collector.include(
                        section, requirements.read_file(collector, included, strict=False)
                    )
                else:
                    collector.cannot_read(f"{collector.rel(path)}:{number}")
            continue
        requirements.requirement_line(collector, text, number, path, section, strict=False)


_PBR_SETUP = re.compile(rb"\bpbr\s*=\s*True\b")
"""``setup(setup_requires=["pbr"], pbr=True)``: the ``setup.py`` of a project pbr builds."""


def _built_by_pbr(path: Path, ini: IniFile) -> bool:
    """Whether pbr builds the project of ``setup.cfg`` at ``path``: it has a ``[pbr]`` section,
    or its ``setup.py`` passes ``pbr=True`` (AY3: shaystack's, whose ``[extras]`` name ``dev``;
    pbr needs no section of its own)."""
    if "pbr" in ini:
        return True
    try:
        return bool(_PBR_SETUP.search(read_regular(path.with_name("setup.py"), MAX_BYTES)))
    except OSError:
        return False


def _pbr_extras(path: Path, ini: IniFile) -> dict[str, list[tuple[int, str]]]:
    """pbr's ``[extras]`` section (see ``_built_by_pbr``): each key an extra, as
    ``[options.extras_require]`` for setuptools (bandit's ``baseline = GitPython``); pbr's own
    ``name:marker`` spelling of a marker reads as ``name; marker``."""
    if "extras" not in ini or not _built_by_pbr(path, ini):
        return {}
    return {
        extra: [(number, _pbr_marker(text)) for number, text in value]
        for extra, value in ini.get("extras", {}).items()
    }


def _pbr_marker(text: str) -> str:
    """``bet:python_version=='3.2'`` -> ``bet; python_version=='3.2'`` (pbr's legacy marker
    separator); a line with ``;`` already, or a URL, stays as it is."""
    name, colon, marker = text.partition(":")
    if not colon or ";" in text or "//" in marker or not name.strip():
        return text
    return f"{name.strip()}; {marker.strip()}"


_REFERENCE = re.compile(r"%\(([^)]+)\)s")


def _interpolated(
    values: dict[str, list[tuple[int, str]]], value: list[tuple[int, str]], depth: int = 0
) -> list[tuple[int, str]]:
    """A value with each line that is a reference to another key of its section (``testing =
    %(dask)s``) replaced by that key's lines: setuptools reads ``setup.cfg`` with
    ``ConfigParser``'s interpolation, so the ``testing`` extra installs the ``dask`` extra's
    requirements too (tsfresh, SB2). A reference to a key the section lacks stays as it is."""
    out: list[tuple[int, str]] = []
    for number, text in value:
        reference = _REFERENCE.fullmatch(text)
        included = values.get(reference.group(1).lower()) if reference else None
        if included is None or depth > _MAX_REFERENCES:
            out.append((number, text))
        else:
            out.extend(_interpolated(values, included, depth + 1))
    return out


def _requirement_list(value: IniValue) -> list[tuple[int, str]]:
    """A setuptools requirement list as setuptools splits it: a value on one line is split on
    ``;`` (``dev = mypy; black`` installs mypy and black, as the metadata's two
    ``Requires-Dist`` say; CS's http-sfv), a value of several lines by line, where a ``;``
    starts a line's environment marker."""
    if not value.inline or value[0][1].startswith("file:"):
        return value
    number, text = value[0]
    return [(number, part.strip()) for part in text.split(";") if part.strip()]


def read_setup_cfg(collector: Collector, path: Path, ini: IniFile) -> bool:
    """``[options] install_requires``/``tests_require``, ``[options.extras_require]`` and
    pbr's ``[extras]``."""
    options = ini.get("options", {})
    own_extras = ini.get("options.extras_require", {})
    extras = {
        **_pbr_extras(path, ini),
        **{extra: _requirement_list(value) for extra, value in own_extras.items()},
    }
    extras = {extra: _interpolated(extras, value) for extra, value in extras.items()}
    declared = False
    for key, section in (("install_requires", "dependencies"), ("tests_require", TESTS_REQUIRE)):
        if key in options:
            declared = True
            if section == TESTS_REQUIRE:
                collector.mark_test(section)
            _value_lines(collector, path, _requirement_list(options[key]), section)
    for extra, value in extras.items():
        declared = True
        _value_lines(collector, path, value, _extra_section(extra))
    if declared:
        collector.sources[collector.rel(path)] = None
    return declared
