"""``apytest-lint --fix`` twice on a copy of a real project: the second pass changes nothing.

Issue 13 asks that ``--fix`` never touch an import of pytest and that a second ``--fix`` never
change a file again. The tests prove it on every rule example and on generated files; this runs
it on every file of the real projects ``truth.py`` lints (all of them, not a sample: it is
deterministic and cheap, since only files with fixable findings are rewritten). The project is
copied, fixed with every rule selected, fixed again, and compared byte for byte; every import of
pytest that a file held before must still be there after the first pass (the fixes may add an
``import pytest`` for the ``importorskip`` they write, never change or drop one).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SKIPPED = frozenset({".apytest", "__pycache__", ".git"})


@dataclass
class FixCheck:
    files: int = 0
    fixed: list[str] = field(default_factory=list)
    """Files the first ``--fix`` changed."""
    again: list[str] = field(default_factory=list)
    """Files the second ``--fix`` changed (or created, or removed): must stay empty."""
    pytest_imports: list[str] = field(default_factory=list)
    """Imports of pytest that the first pass changed or dropped: must stay empty."""


def snapshot(root: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if SKIPPED.isdisjoint(parts) and path.is_file() and not path.is_symlink():
            files["/".join(parts)] = path.read_bytes()
    return files


def pytest_imports(source: bytes) -> Counter[str]:
    """Every import statement naming pytest or _pytest, as source text."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return Counter()
    found: Counter[str] = Counter()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        if any(name.partition(".")[0] in ("pytest", "_pytest") for name in names):
            found[ast.unparse(node)] += 1
    return found


def _fix(python: Path | str, root: Path) -> None:
    command = [str(python), "-m", "apytest.cli.apytest_lint", "--select", "ALL", "--fix"]
    done = subprocess.run(
        [*command, "--no-cache", "-q"], cwd=root, capture_output=True, text=True, timeout=900
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"--fix failed in {root.name}: {done.stderr.strip()[-1000:]}")


def fix_twice(python: Path | str, root: Path) -> FixCheck:
    """Fix a copy of ``root`` twice with ``python``'s apytest and say what each pass changed."""
    with tempfile.TemporaryDirectory(prefix="apytest-fix-twice-") as tmp:
        copy = Path(tmp) / root.name
        shutil.copytree(root, copy, symlinks=True, ignore=shutil.ignore_patterns(*SKIPPED))
        before = snapshot(copy)
        _fix(python, copy)
        first = snapshot(copy)
        _fix(python, copy)
        second = snapshot(copy)
    check = FixCheck(files=len(before))
    check.fixed = sorted(p for p in first if before.get(p) != first[p])
    check.again = sorted(p for p in first.keys() | second.keys() if first.get(p) != second.get(p))
    for path in check.fixed:
        lost = pytest_imports(before.get(path, b"")) - pytest_imports(first[path])
        check.pytest_imports += [f"{path}: {text}" for text in sorted(lost)]
    return check
