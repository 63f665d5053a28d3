"""The offline half of ``benchmarks/truth.py``: pytest's collection errors, verdict files, judging.

The collection output parsed here is real: each test writes a small suite and collects it with
a real ``pytest --collect-only -q`` in a subprocess, as the benchmark does in each project's venv.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def judge(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("truth_judge")


def collect(pytester: pytest.Pytester) -> str:
    result = pytester.runpytest_subprocess(
        "--collect-only", "-q", "-p", "no:cacheprovider", "-p", "no:apytest"
    )
    return "\n".join(result.outlines + result.errlines)


@pytest.mark.slow
def test_collection_errors_name_the_missing_module(
    pytester: pytest.Pytester, judge: ModuleType
) -> None:
    pytester.makepyfile(
        test_ok="def test_a():\n    pass\n",
        test_missing="import not_installed_pkg.sub\n\ndef test_b():\n    pass\n",
        test_broken="raise ImportError('cannot import name x')\n",
    )
    pytester.mkpydir("sub")
    pytester.path.joinpath("sub", "conftest.py").write_text("import other_missing_pkg\n")
    pytester.path.joinpath("sub", "test_c.py").write_text("def test_c():\n    pass\n")
    collection = judge.parse_collection(collect(pytester), pytester.path)
    assert collection.collected == {"test_ok.py"}
    missing = collection.errors["test_missing.py"]
    assert (missing.kind, missing.missing, missing.missing_top) == (
        "ModuleNotFoundError",
        "not_installed_pkg",
        "not_installed_pkg",
    )
    assert collection.errors["test_broken.py"].kind == "ImportError"
    assert collection.errors["test_broken.py"].missing is None
    assert collection.errors["sub/conftest.py"].missing == "other_missing_pkg"
    assert collection.aborted is None


@pytest.mark.slow
def test_a_root_conftest_that_fails_aborts_collection(
    pytester: pytest.Pytester, judge: ModuleType
) -> None:
    pytester.makeconftest("import no_such_start_pkg\n")
    pytester.makepyfile(test_a="def test_a():\n    pass\n")
    collection = judge.parse_collection(collect(pytester), pytester.path)
    assert collection.aborted is not None
    assert "no_such_start_pkg" in collection.aborted
    assert collection.errors["conftest.py"].missing == "no_such_start_pkg"


VERDICTS = "# comment\n\ntests/test_a.py\t12\tAPT204\ttrue\tputenv without restore\n"


def test_verdict_files_round_trip(judge: ModuleType) -> None:
    [verdict] = judge.read_verdicts(VERDICTS, "a.tsv")
    assert (verdict.path, verdict.line, verdict.code, verdict.true) == (
        "tests/test_a.py",
        12,
        "APT204",
        True,
    )
    assert judge.format_verdict(verdict) == VERDICTS.splitlines()[-1]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("tests/a.py\t1\tAPT204\tmaybe\twhy", "expected path, line, code"),
        ("tests/a.py\tx\tAPT204\ttrue\twhy", "expected path, line, code"),
        ("tests/a.py\t1\tAPT204\ttrue\t ", "a verdict needs a reason"),
        ("tests/a.py\t1\tAPT204\ttrue", "expected path, line, code"),
    ],
)
def test_bad_verdict_lines_name_file_and_line(judge: ModuleType, line: str, message: str) -> None:
    with pytest.raises(judge.VerdictError, match=rf"^v\.tsv:2: {message}"):
        judge.read_verdicts("# header\n" + line + "\n", "v.tsv")


def test_unjudged_findings_and_stale_verdicts(judge: ModuleType) -> None:
    verdicts = judge.read_verdicts(
        "tests/a.py\t3\tAPT204\tfalse\trestored by an autouse fixture\n"
        "pyproject.toml\t9\tAPT301\ttrue\tfirst requirement on the line\n"
        "pyproject.toml\t9\tAPT301\ttrue\tsecond requirement on the line\n"
        "tests/gone.py\t9\tAPT203\ttrue\tfile no longer flagged\n",
        "v.tsv",
    )
    judged = judge.Finding("tests/a.py", 3, "APT204", "m")
    new = judge.Finding("tests/b.py", 7, "APT205", "m")
    first = judge.Finding("pyproject.toml", 9, "APT301", "'a' has no version bound")
    second = judge.Finding("pyproject.toml", 9, "APT301", "'b' has no version bound")
    paired, stale = judge.check_verdicts([judged, new, first, second], verdicts)
    assert [v.reason if v else None for v in paired] == [
        "restored by an autouse fixture",
        None,
        "first requirement on the line",
        "second requirement on the line",
    ]
    assert [(v.path, v.line) for v in stale] == [("tests/gone.py", 9)]
    paired, stale = judge.check_verdicts([first], verdicts)
    assert sorted(v.reason for v in stale) == [
        "file no longer flagged",
        "restored by an autouse fixture",
        "second requirement on the line",
    ]


SOURCE = """\
import numpy as np
from scipy import sparse
try:
    import lxml
except ImportError:
    lxml = None

def test_x():
    import pandas.testing
"""


@pytest.mark.parametrize(
    ("line", "modules", "at_import"),
    [
        (1, ["numpy"], True),
        (2, ["scipy"], True),
        (4, ["lxml"], True),
        (9, ["pandas.testing"], False),
        (6, [], True),
    ],
)
def test_imported_at(judge: ModuleType, line: int, modules: list[str], at_import: bool) -> None:
    assert judge.imported_at(SOURCE, line) == (modules, at_import)


def _collections(
    judge: ModuleType, minimal: dict[str, str], test: dict[str, str]
) -> tuple[Any, Any]:
    def make(errors: dict[str, str]) -> Any:
        collection = judge.Collection()
        for path, missing in errors.items():
            error = judge.CollectError(path, "ModuleNotFoundError", "x", missing)
            collection.errors[path] = error
        return collection

    return make(minimal), make(test)


def test_judging_dependency_findings(judge: ModuleType) -> None:
    envs = _collections(
        judge,
        {"t/a.py": "numpy", "t/b.py": "yaml", "t/d.py": "sniffio"},
        {"t/a.py": "numpy.linalg"},
    )
    available = {"numpy": False, "yaml": True, "lxml": False, "attr": True}

    def verdict(path: str, module: str, at_import: bool = True) -> Any:
        finding = judge.Finding(path, 1, "APT101", f"import of '{module}'")
        undeclared = {"t/d.py": "sniffio"}
        return judge.judge_dependency(finding, [module], at_import, envs, available, undeclared)

    assert verdict("t/a.py", "numpy").true
    assert not verdict("t/b.py", "yaml").true  # only the minimal env lacks it: a test dep
    assert verdict("t/d.py", "sniffio").true  # only the minimal env lacks it, declared nowhere
    assert not verdict("t/c.py", "attr").true  # collected and installed
    assert not verdict("t/c.py", "lxml").true  # absent, but guarded or never collected
    assert verdict("t/c.py", "lxml", at_import=False) is None  # a hand verdict decides


def test_names_package(judge: ModuleType) -> None:
    message = "'yaml' comes from distribution 'PyYAML', which is declared nowhere"
    assert judge.names_package(message, "yaml", None)
    assert judge.names_package("'pyyaml' is undeclared", "yaml", "PyYAML")
    assert not judge.names_package("'toml' is undeclared", "yaml", None)
