"""APT201 against pytest itself: its findings are exactly the files pytest rejects or replaces.

Each layout is written to disk and collected by a real ``pytest --collect-only`` in every import
mode. A file is *lost* when pytest reports an error collecting it, or when the tests it collects
under that file are not the ones the file defines (importlib mode reusing another module).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from apytest.lint.runner import run_lint

LAYOUTS: dict[str, list[str]] = {
    "same-basename": ["tests/a/test_u.py", "tests/b/test_u.py"],
    "same-basename-packages": [
        "tests/a/__init__.py",
        "tests/a/test_u.py",
        "tests/b/__init__.py",
        "tests/b/test_u.py",
    ],
    "one-side-package": ["tests/a/__init__.py", "tests/a/test_u.py", "tests/b/test_u.py"],
    "same-named-package-roots": [
        "one/tests/__init__.py",
        "one/tests/test_x.py",
        "two/tests/__init__.py",
        "two/tests/test_x.py",
    ],
    "same-package-root-other-modules": [
        "one/tests/__init__.py",
        "one/tests/test_x.py",
        "two/tests/__init__.py",
        "two/tests/test_y.py",
    ],
    "sibling-conftests": [
        "tests/a/conftest.py",
        "tests/a/test_a.py",
        "tests/b/conftest.py",
        "tests/b/test_b.py",
    ],
    "root-and-nested-conftest": ["conftest.py", "tests/conftest.py", "tests/test_c.py"],
    "nested-packages": [
        "tests/__init__.py",
        "tests/unit/__init__.py",
        "tests/unit/test_u.py",
        "tests/test_u.py",
        "other/test_u.py",
    ],
    "three-way": ["a/test_same.py", "b/test_same.py", "c/test_same.py"],
    "root-is-a-package": [
        "__init__.py",
        "conftest.py",
        "tests/__init__.py",
        "tests/test_r.py",
        "other/test_r.py",
        "more/test_r.py",
    ],
    "dotted-file-name": ["docs/test_mod.1.py", "tests/test_ok.py"],
}
MODES = ("prepend", "append", "importlib")
ERROR_LINE = re.compile(r"^ERROR (\S+)")
CONFTEST_FAILURE = re.compile(r"^ImportError while loading conftest '(.+)'")


def _test_name(path: str) -> str:
    return "test_" + re.sub(r"\W", "_", path.removesuffix(".py"))


def write_layout(root: Path, files: list[str], mode: str) -> None:
    (root / "pyproject.toml").write_text(
        f'[tool.pytest.ini_options]\naddopts = "--import-mode={mode}"\n', encoding="utf-8"
    )
    for relative in files:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        name = target.name
        body = (
            ""
            if name in ("__init__.py", "conftest.py")
            else f"def {_test_name(relative)}():\n    pass\n"
        )
        target.write_text(body, encoding="utf-8")


def files_pytest_loses(root: Path, files: list[str]) -> set[str]:
    pytest_script = Path(sys.executable).with_name("pytest")
    completed = subprocess.run(
        [str(pytest_script), "--collect-only", "-q", "-p", "no:apytest", "-p", "no:cacheprovider"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = completed.stdout + completed.stderr
    for line in output.splitlines():
        if conftest := CONFTEST_FAILURE.match(line):
            return {Path(conftest.group(1)).relative_to(root).as_posix()}  # the session aborts
    lost: set[str] = set()
    for line in output.splitlines():
        if error := ERROR_LINE.match(line):
            reported = error.group(1)
            # A folder's error is its conftest failing to import.
            lost.add(reported if reported.endswith(".py") else f"{reported}/conftest.py")
    collected = [line.strip() for line in completed.stdout.splitlines() if "::" in line]
    failed_folders = tuple(p.removesuffix("conftest.py") for p in lost if p.endswith("conftest.py"))
    for relative in files:
        if relative.endswith(("__init__.py", "conftest.py")) or relative in lost:
            continue
        if relative.startswith(failed_folders):
            continue  # not collected because its folder's conftest failed: not a clash of its own
        here = {
            nodeid.partition("::")[2] for nodeid in collected if nodeid.startswith(relative + "::")
        }
        if here != {_test_name(relative)}:
            lost.add(relative)
    return lost


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_apt201_predicts_pytest_collection(layout: str, mode: str, tmp_path: Path) -> None:
    files = LAYOUTS[layout]
    write_layout(tmp_path, files, mode)
    lost = files_pytest_loses(tmp_path, files)
    result = run_lint([tmp_path], root=tmp_path, select=["APT201"], use_cache=False, jobs=1)
    predicted = {f.path for f in result.findings}
    assert predicted == lost


@pytest.mark.slow
def test_layouts_exercise_both_outcomes(tmp_path: Path) -> None:
    """The comparison above means something only if pytest loses files in some layouts."""
    write_layout(tmp_path, LAYOUTS["same-basename"], "prepend")
    assert files_pytest_loses(tmp_path, LAYOUTS["same-basename"]) == {"tests/b/test_u.py"}


@pytest.mark.slow
def test_a_dotted_file_name_is_named_as_the_cause(tmp_path: Path) -> None:
    """A dot in the file's own name, not another package, is why pytest cannot import it
    (cosmic-ray's ``test_mod.1.py``): the message says so, and pytest agrees."""
    write_layout(tmp_path, LAYOUTS["dotted-file-name"], "prepend")
    assert files_pytest_loses(tmp_path, LAYOUTS["dotted-file-name"]) == {"docs/test_mod.1.py"}
    result = run_lint([tmp_path], root=tmp_path, select=["APT201"], use_cache=False, jobs=1)
    [finding] = result.findings
    assert "the file name 'test_mod.1.py' holds a dot" in finding.message
    assert "package 'test_mod' that does not exist" in finding.message
    assert "another package" not in finding.message


RELATIVE = "from .helpers import VALUE\n\n\ndef {name}():\n    assert VALUE\n"
RELATIVE_LAYOUTS: dict[str, dict[str, str]] = {
    "relative-outside-packages": {"tests/helpers.py": "VALUE = 1\n", "tests/test_r.py": RELATIVE},
    "relative-in-a-package": {
        "tests/__init__.py": "",
        "tests/helpers.py": "VALUE = 1\n",
        "tests/test_r.py": RELATIVE,
    },
    "relative-beyond-the-package": {
        "tests/helpers.py": "VALUE = 1\n",
        "tests/unit/__init__.py": "",
        "tests/unit/test_r.py": RELATIVE.replace(".helpers", "..helpers"),
    },
    "relative-tolerated": {
        "tests/test_r.py": "try:\n    from .helpers import VALUE\nexcept ImportError:\n"
        "    VALUE = 1\n\n\ndef {name}():\n    assert VALUE\n",
    },
    "relative-in-a-conftest": {
        "tests/helpers.py": "VALUE = 1\n",
        "tests/conftest.py": "from .helpers import VALUE\n",
        "tests/test_r.py": "def {name}():\n    pass\n",
    },
}


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("layout", sorted(RELATIVE_LAYOUTS))
def test_apt201_predicts_pytest_on_relative_imports(layout: str, mode: str, tmp_path: Path) -> None:
    """VB1: in the prepend and append modes the files APT201 flags for a relative import are
    exactly those pytest fails to collect; under importlib mode, which may name the module
    within its folders, it flags none (silent where not sure)."""
    files = RELATIVE_LAYOUTS[layout]
    write_layout(tmp_path, [], mode)
    for relative, body in files.items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body.format(name=_test_name(relative)), encoding="utf-8")
    tests = [p for p in files if Path(p).name.startswith("test_") or p.endswith("conftest.py")]
    lost = files_pytest_loses(tmp_path, tests)
    result = run_lint([tmp_path], root=tmp_path, select=["APT201"], use_cache=False, jobs=1)
    predicted = {f.path for f in result.findings}
    assert predicted == (lost if mode != "importlib" else set())
    assert predicted <= lost
