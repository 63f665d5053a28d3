"""APT002 and APT401-APT404 against pytest itself: every flagged example stops pytest, every
accepted one runs.

Each example project is written into a pytester folder and run by a real pytest in a
subprocess. The plugins that would register the flagged names are blocked with ``-p no:NAME``
(the test environment may have them installed; a project whose tests do not declare them would
not), so a flagged example must fail to start or to collect, and an accepted one must pass.
"""

from __future__ import annotations

import sys
from importlib import metadata

import pytest
from packaging.requirements import Requirement

from apytest.rules.api import Example
from apytest.rules.apt002_exit_on_import import ExitOnImport
from apytest.rules.apt401_unregistered_plugin_marker import UnregisteredPluginMarker
from apytest.rules.apt402_undeclared_plugin_option import UndeclaredPluginOption
from apytest.rules.apt403_unimportable_warning_category import UnimportableWarningCategory
from apytest.rules.apt404_deprecated_pytest_api import DeprecatedPytestApi
from apytest.rules.support.plugins import plugin_table

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RULES = (
    ExitOnImport,
    UnregisteredPluginMarker,
    UndeclaredPluginOption,
    UnimportableWarningCategory,
    DeprecatedPytestApi,
)
BLOCKED = ("timeout", "pytest_timeout", "flaky", "rerunfailures", "pytest_rerunfailures")
"""The plugins the flagged examples lean on, blocked in case the environment has them."""


def _declared(example: Example) -> list[Requirement]:
    """The requirements of the example project's ``pyproject.toml`` extras."""
    pyproject = example.files.get("pyproject.toml")
    if not isinstance(pyproject, str):
        return []
    extras = tomllib.loads(pyproject).get("project", {}).get("optional-dependencies", {})
    return [Requirement(r) for group in extras.values() for r in group]


def _installed(name: str) -> bool:
    try:
        metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def _runs_here(example: Example) -> bool:
    """Whether the example project's pytest requirement admits the pytest running here: an
    example accepted because its requirement excludes a pytest says nothing of that pytest."""
    return all(
        requirement.specifier.contains(pytest.__version__, prereleases=True)
        for requirement in _declared(example)
        if requirement.name == "pytest"
    )


def _plugins_here(example: Example) -> bool:
    """Whether every plugin of the shipped table that the example project declares is installed
    here: an example accepted because it declares a plugin (ES1: pytest-retry's ``flaky``) says
    nothing of a pytest that lacks it."""
    known = plugin_table().versions
    return all(_installed(r.name) for r in _declared(example) if r.name in known)


def _cases(kind: str) -> list[object]:
    return [
        pytest.param(example, id=f"{rule.code}-{kind}-{index}")
        for rule in RULES
        for index, example in enumerate(getattr(rule, kind))
        if _runs_here(example) and (kind == "INVALID" or _plugins_here(example))
    ]


def run_example(pytester: pytest.Pytester, example: Example, blocked: tuple[str, ...]) -> str:
    files = {**example.files, example.path: example.code}
    for path, content in files.items():
        target = pytester.path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content if isinstance(content, str) else content.decode())
    args = [f"-pno:{name}" for name in blocked]
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:apytest", *args)
    return f"{result.ret}\n" + "\n".join(result.outlines + result.errlines)


def test_the_blocked_plugins_are_the_examples_owners() -> None:
    plugins = plugin_table().owners["plugin"]
    for name in BLOCKED:
        assert set(plugins[name]) <= {"pytest-timeout", "flaky", "pytest-rerunfailures"}


@pytest.mark.slow
@pytest.mark.parametrize("example", _cases("INVALID"))
def test_pytest_stops_on_every_flagged_example(example: Example, pytester: pytest.Pytester) -> None:
    output = run_example(pytester, example, BLOCKED)
    code = int(output.partition("\n")[0])
    assert code not in (0, 5), output  # neither passed nor "no tests collected"
    assert any(
        sign in output
        for sign in (
            "not found in `markers` configuration option",
            "PytestUnknownMarkWarning",
            "unrecognized arguments",
            "Error importing plugin",
            "Unknown config option",
            "Failed to import filter module",
            "PytestRemovedIn10Warning",
            "PluginValidationError",
            "SystemExit",
        )
    ) or (example in ExitOnImport.INVALID and "passed" not in output), output


@pytest.mark.slow
@pytest.mark.parametrize("example", _cases("VALID"))
def test_pytest_runs_every_accepted_example(example: Example, pytester: pytest.Pytester) -> None:
    output = run_example(pytester, example, BLOCKED)
    if example in ExitOnImport.VALID and "KeyError" in output:
        # DL2: the module reads a variable the run lacks before its exit: one module's
        # collection error, never the exit's SystemExit (which would stop the session)
        assert output.startswith("2\n"), output
        assert "SystemExit" not in output, output
        assert "INTERNALERROR" not in output, output
        return
    assert output.startswith("0\n"), output


@pytest.mark.slow
@pytest.mark.parametrize(
    "example",
    [
        pytest.param(e, id=f"{rule.code}-fixed-{i}")
        for rule in RULES
        for i, e in enumerate(rule.INVALID)
        if e.fixed is not None and e.fixed != e.code
    ],
)
def test_pytest_runs_every_fixed_example(example: Example, pytester: pytest.Pytester) -> None:
    """What ``--fix`` makes of a flagged example passes under the same configuration."""
    assert example.fixed is not None
    fixed = Example(example.fixed, path=example.path, files=example.files)
    output = run_example(pytester, fixed, BLOCKED)
    assert output.startswith("0\n"), output
