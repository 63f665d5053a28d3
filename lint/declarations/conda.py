"""conda environment files (``environment.yml`` and the like), read without a YAML library.

Only the simple, common subset is read: top-level ``name:``, ``channels:`` and
``dependencies:`` keys, block lists of plain scalars (``- numpy>=1.22``, ``- conda-forge::scipy``,
quoted or not, comments allowed) and a ``- pip:`` block list of pip requirement lines. Anything
else (flow lists, anchors, tags, multi-line scalars, unknown indentation) makes the file "not
statically readable": the model is then incomplete and undeclared imports prove nothing.

An explicit environment (``@EXPLICIT`` and one package file's URL a line, conda-lock's
``conda-linux-64.lock``) at the root is read too: its packages, pinned, setuptools among them.

Which files: ``environment*.yml``/``.yaml`` at the root and in ``ci/``, ``ci/requirements/``,
``ci/envs/``, ``.ci/``, ``conda/``, ``tests/``, ``docs/`` and ``requirements/``, when they have a
top-level ``dependencies:`` list (plus any ``*.yml``/``.yaml`` with one in ``ci/``, ``.ci/``,
``ci/requirements/``, ``ci/envs/`` and ``devtools/conda-envs/``: ``ci/latest.yaml`` is a CI
workflow's ``environment-file``, and MolSSI's computational-chemistry project template keeps
its ``test_env.yaml`` in ``devtools/conda-envs/``).
A file is the environment the suite runs in (a test section) unless its name or folder says it
is for documentation or benchmarks.
"""

from __future__ import annotations

import re
from pathlib import Path

from apytest.lint.declarations import requirements
from apytest.lint.declarations.collector import Collector

NON_TEST_WORDS = frozenset(
    {
        "doc",
        "docs",
        "documentation",
        "sphinx",
        "rtd",
        "readthedocs",
        "bench",
        "benchmark",
        "benchmarks",
        "asv",
    }
)
FOLDERS = (
    "",
    "ci/",
    "ci/requirements/",
    "ci/envs/",
    ".ci/",
    "conda/",
    "tests/",
    "docs/",
    "doc/",
    "requirements/",
    "devtools/conda-envs/",
)
ANY_NAME_FOLDERS = ("ci/", ".ci/", "ci/requirements/", "ci/envs/", "devtools/conda-envs/")
SKIPPED = frozenset({"python", "pip", "setuptools", "wheel"})
"""The interpreter and installer tooling: never an import of the suite."""
CONDA_TO_PYPI = {
    "matplotlib-base": "matplotlib",
    "numpy-base": "numpy",
    "pytorch": "torch",
    "pytorch-cpu": "torch",
    "py-opencv": "opencv-python",
    "pytables": "tables",
    "pyqt": "pyqt5",
    "msgpack-python": "msgpack",
    "py-xgboost": "xgboost",
    "python-graphviz": "graphviz",
    "libgdal": "gdal",
    "tensorflow-base": "tensorflow",
    "pyarrow-core": "pyarrow",
    "dask-core": "dask",
    "jupyterlab-base": "jupyterlab",
    "neo4j-python-driver": "neo4j",
    "docker-py": "docker",
}
"""conda-forge names of common packages whose PyPI distribution is named otherwise."""

_CONDA_SPEC = re.compile(r"^(?:[\w.-]+::)?([A-Za-z0-9][A-Za-z0-9_.-]*)\s*(.*)$")
_ITEM = re.compile(r"^(\s*)-\s+(.*)$")
_KEY = re.compile(r"^([A-Za-z_][\w-]*):\s*(.*)$")


def conda_requirement(text: str) -> tuple[str, str] | None:
    """``(PyPI name, PEP 440 specifier)`` of a conda match spec, None for tooling or nonsense.

    ``numpy=1.22`` means any 1.22.x (``==1.22.*``), ``numpy 1.22.*`` and ``numpy>=1.22,<2``
    read as written; a build string after a second ``=`` or a space is dropped.
    """
    match = _CONDA_SPEC.match(text.strip())
    if match is None:
        return None
    name, spec = match.group(1).lower(), match.group(2).strip()
    if name in SKIPPED:
        return None
    spec = spec.split("[", 1)[0].strip()
    if spec.startswith("=") and not spec.startswith("=="):
        version = spec[1:].split("=", 1)[0].strip()
        spec = f"=={version}" if version.endswith("*") else f"=={version}.*"
    elif spec and spec[0].isdigit():
        version = spec.split()[0]
        spec = f"=={version}"
    else:
        spec = spec.split()[0] if spec else ""
    return pypi_name(name), spec


def pypi_name(name: str) -> str:
    """The PyPI name of a conda package (lower-case)."""
    if name in CONDA_TO_PYPI:
        return CONDA_TO_PYPI[name]
    if name.endswith("-base") and len(name) > len("-base"):
        # conda-forge's "X without its optional dependencies" (geopandas-base, scipy-base)
        return name.removesuffix("-base")
    return name


def _section(collector: Collector, path: Path) -> str:
    """The section of a conda file's packages, a test one unless the path's words say it is
    not (``docs/environment.yml``)."""
    rel = collector.rel(path)
    section = f"conda:{rel}"
    words = {w.lower() for w in re.split(r"[^A-Za-z0-9]+", rel) if w}
    if not words & NON_TEST_WORDS:
        collector.mark_test(section)
    return section


def environment_files(root: Path) -> list[Path]:
    found: set[Path] = set()
    for folder in FOLDERS:
        patterns = (
            ("*.yml", "*.yaml")
            if folder in ANY_NAME_FOLDERS
            else ("*environment*.yml", "*environment*.yaml")
        )
        for pattern in patterns:
            found.update(p for p in root.glob(folder + pattern) if p.is_file())
    return sorted(found)


EXPLICIT_LOCKS = ("conda-*.lock", "conda-*.txt")
"""conda's explicit environments at the root: conda-lock's ``conda-linux-64.lock`` (a CI's
``environment-file``) and ``conda list --explicit`` spec files (``conda-spec-file.txt``)."""
_PACKAGE_FILE = re.compile(r"/([^/#\s]+?)-([^-/#\s]+)-([^-/#\s]+)\.(?:tar\.bz2|conda)(?:#\S*)?$")


def explicit_files(root: Path) -> list[Path]:
    """The root's files named as :data:`EXPLICIT_LOCKS` say; :func:`read_explicit` tells which
    of them are explicit environments (``@EXPLICIT`` first)."""
    return sorted({p for pattern in EXPLICIT_LOCKS for p in root.glob(pattern) if p.is_file()})


def read_explicit(collector: Collector, path: Path) -> bool:
    """Read one explicit environment (``@EXPLICIT``, then a package file's URL a line); whether
    it is one. It is the environment itself, installed by ``conda create --file``: every
    package in it is there, pinned, the installer tooling too (CE2: igdiscover's CI lock has
    setuptools 58.4, whose ``pkg_resources`` its modules import)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    body = [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]
    body = [(n, line) for n, line in body if not line.startswith("#")]
    if not body or body[0][1] != "@EXPLICIT":
        return False
    rel = collector.rel(path)
    section = _section(collector, path)
    for number, line in body[1:]:
        match = _PACKAGE_FILE.search(line)
        if match is None:
            collector.cannot_read(f"{rel}:{number}")
            continue
        name, version = pypi_name(match.group(1).lower()), match.group(2)
        if name == "python":
            continue
        collector.record(name, f"{name}=={version}", section, path, number, 1, f"=={version}")
    collector.sources[rel] = None
    return True


def _scalar(text: str) -> str | None:
    """A plain or quoted YAML scalar with its comment removed; None for what needs YAML."""
    text = re.sub(r"(^|\s)#.*$", "", text).strip()
    if text[:1] in ("'", '"'):
        return text[1:-1] if len(text) > 1 and text[-1] == text[0] else None
    if not text or text[0] in "[{&*!|>%@`":
        return None
    return text


def read_environment(collector: Collector, path: Path) -> bool:
    """Read one conda environment file; whether it is one (a top-level ``dependencies:``)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        collector.cannot_read(collector.rel(path))
        return False
    if not any(line.startswith("dependencies:") for line in lines):
        return False
    rel = collector.rel(path)
    section = _section(collector, path)
    key, pip_indent, item_indent = "", -1, -1
    for number, raw in enumerate(lines, start=1):
        if not raw.strip() or raw.lstrip().startswith("#") or raw.strip() == "---":
            continue
        top = _KEY.match(raw)
        if top is not None:
            key, pip_indent = top.group(1), -1
            value = re.sub(r"(^|\s)#.*$", "", top.group(2)).strip()
            if key == "dependencies" and value:
                collector.cannot_read(f"{rel}:{number}")  # a flow list or an alias
            continue
        item = _ITEM.match(raw)
        if key != "dependencies":
            if item is None and not raw.startswith((" ", "\t")):
                collector.cannot_read(f"{rel}:{number}")
            continue
        if item is None:
            collector.cannot_read(f"{rel}:{number}")
            continue
        indent, body = len(item.group(1)), item.group(2)
        if pip_indent >= 0 and indent > pip_indent:
            text = _scalar(body)
            if text is None:
                collector.cannot_read(f"{rel}:{number}")
            else:
                requirements.requirement_line(collector, text, number, path, section, strict=False)
            continue
        if item_indent < 0:
            item_indent = indent
        if indent != item_indent:
            collector.cannot_read(f"{rel}:{number}")
            continue
        pip_indent = -1
        if re.match(r"^pip\s*:\s*(#.*)?$", body):
            pip_indent = indent
            continue
        text = _scalar(body)
        found = conda_requirement(text) if text is not None else None
        if text is None:
            collector.cannot_read(f"{rel}:{number}")
        elif found is not None:
            collector.record(found[0], text, section, path, number, indent + 3, found[1])
    collector.sources[rel] = None
    return True
