"""Fixtures of the feedback tests: a project to fail in, its memory, and the `apytest` CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from memory_backends import Backend, Postgres, Sqlite

from apytest.cli.apytest import main

PYPROJECT = """
[project]
name = "demo"
dependencies = ["prometheus_client"]

[project.optional-dependencies]
ml = ["apytest-demo-mlpkg"]

[dependency-groups]
docs = ["apytest-demo-docpkg>=1.0"]

[tool.pytest.ini_options]
addopts = ["-p", "no:cacheprovider"]
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester project `demo` that declares one runtime dependency, an extra and a group."""
    pytester.makepyprojecttoml(PYPROJECT)
    return pytester


@pytest.fixture
def memory(pytester: pytest.Pytester, request: pytest.FixtureRequest) -> Path:
    """Where the plugin keeps the corpus memory of the pytester project: its SQLite file, or
    with `@pytest.mark.parametrize("memory", ["sqlite", "postgresql"], indirect=True)` also a
    new PostgreSQL database, which APYTEST_MEMORY then names for the sessions and commands
    (typed as the path the other tests use)."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return pytester.path / ".apytest" / "memory.sqlite3"
    url = request.getfixturevalue("postgres_memory")
    request.getfixturevalue("monkeypatch").setenv("APYTEST_MEMORY", url)
    return url  # type: ignore[no-any-return]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.e2e)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """An empty corpus memory of each backend: a SQLite file, a PostgreSQL database."""
    if request.param == "sqlite":
        return Sqlite(tmp_path)
    return Postgres(request.getfixturevalue("postgres"), request.getfixturevalue("postgres_memory"))


CliRunner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def apytest_cli(capsys: pytest.CaptureFixture[str], memory: Path) -> CliRunner:
    """Run `apytest ARGS --memory <the project's memory>`; return (exit code, stdout, stderr)."""

    def run(*args: str, with_memory: bool = True) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([*args, *(["--memory", str(memory)] if with_memory else [])])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def suggestions_json(apytest_cli: CliRunner) -> Callable[[], list[dict[str, object]]]:
    """What `apytest suggestions --format json` prints, parsed."""

    def read() -> list[dict[str, object]]:
        code, out, err = apytest_cli("suggestions", "--format", "json")
        assert code == 0, err
        parsed = json.loads(out)
        assert isinstance(parsed, list)
        return parsed

    return read
