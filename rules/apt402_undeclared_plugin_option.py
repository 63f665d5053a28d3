"""APT402: ``addopts`` options, ``-p`` plugins and ini keys of a plugin the tests lack."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from apytest.rules.api import (
    Finding,
    ProjectContext,
    ProjectRule,
    PytestConfig,
)
from apytest.rules.support.plugins import Kind
from apytest.rules.support.startup import (
    A_TEST,
    CONFIG_WARNING,
    addopts,
    config_example,
    config_finding,
    missing_plugins,
    owners_label,
    startup_index,
    unknown_name_fails,
)

DG1_UV_LOCK = """
[[package]]
name = "demo-devutils"
version = "0.1.0"
source = { editable = "../devutils" }
dependencies = [{ name = "pytest" }, { name = "{plugin}" }]
"""
"""DG1 (rpaframework-pdf): the lock of a project whose test extra names only a folder's
``demo-devutils``; the lock records what it brings."""


EO1_ADDOPTS = """
addopts = [
    "--timeout", "30",
    "--timeout", "60",
]
"""
"""EO1 (deepcr's repeated ``--cov-report``): an option written twice, each reported where it is
written (pytest-timeout's, which the startup tests block, so pytest stops on it there)."""


class UndeclaredPluginOption(ProjectRule):
    """``addopts`` options, ``-p`` plugins and ini keys of a plugin the project does not declare.

    Reported at the configuration line; silent for names no plugin in the shipped table
    registers, for ``-p no:...``, and when the declarations are not static.

    ## Why is this bad?
    ``addopts = "--cov=pkg --cov-config=.coveragerc"`` works where pytest-cov is installed; where
    it is not, pytest stops before collecting anything: "unrecognized arguments: --cov=pkg". A
    ``-p xdist`` fails with "Error importing plugin", and a plugin's ini key (``timeout = 30``)
    is an unknown config option that ``--strict-config`` (or ``strict_config``/``strict``) or a
    ``filterwarnings`` making ``PytestConfigWarning`` an error turns into a failed start. The
    plugin is missing because nothing the tests install from declares it.

    ## Use instead
    Declare it with the test dependencies (or move the option to the command line of the job
    that has it).
    """

    code = "APT402"
    name = "undeclared-plugin-option"
    lesson = "startup-plugins"
    summary = "addopts option, -p plugin or ini key of a plugin the tests do not declare"
    VALID = (
        config_example(
            'addopts = ["-n", "2", "-p", "xdist", "-p", "no:timeout"]\n',
            extras='test = ["pytest>=8", "pytest-xdist>=3"]\n',
        ),
        config_example("timeout = 30\n"),
        config_example(  # EO1 (deepcr): an option repeated in addopts, its plugin declared
            """
            addopts = [
                "--cov-report", "term",
                "--cov-report", "xml",
            ]
            """,
            extras='test = ["pytest", "pytest-cov"]\n',
        ),
        config_example(  # pytest-coverage requires pytest-cover, which requires pytest-cov
            'addopts = ["--cov=demo", "--cov-report="]\n',
            extras='test = ["pytest", "pytest-coverage"]\n',
        ),
        replace(  # DG1: the lock says the test extra's demo-devutils brings pytest-cov
            config_example(
                'addopts = "--cov=src --cov-branch"\n',
                extras='test = ["pytest", "demo-devutils"]\n',
            ),
            files={**A_TEST, "uv.lock": DG1_UV_LOCK.replace("{plugin}", "pytest-cov")},
        ),
    )
    INVALID = (
        replace(  # DG1's near miss: the lock's demo-devutils brings pytest-mock, no pytest-timeout
            config_example(
                'addopts = "-ra --timeout=30"\n',
                extras='test = ["pytest", "demo-devutils"]\n',
                line=9,
            ),
            files={**A_TEST, "uv.lock": DG1_UV_LOCK.replace("{plugin}", "pytest-mock")},
        ),
        config_example(
            'addopts = "-ra --timeout=30"\n',
            line=9,
        ),
        config_example(  # pytest-cov brings no pytest-metadata
            'addopts = "--metadata PACKAGE_UNDER_TEST demo"\n',
            extras='test = ["pytest", "pytest-cov"]\n',
            line=9,
        ),
        config_example(
            'addopts = ["-p", "timeout"]\n',
            line=9,
        ),
        config_example(  # EO1's near miss: the first of a repeated option still fires at its line
            EO1_ADDOPTS,
            line=10,
        ),
        config_example(  # EO1 (deepcr): a repeated option is reported where each is written,
            # not twice at the first
            EO1_ADDOPTS,
            line=11,
        ),
        config_example(  # an option is found as a whole word, not inside a longer one written
            # before it (--timeout in --timeout-method), for its first writing as for later ones
            """
            addopts = [
                "--timeout-method", "thread",
                "--timeout", "30",
            ]
            """,
            line=11,
        ),
        config_example(
            """
            filterwarnings = ["error"]
            timeout = 30
            """,
            line=10,
        ),
    )

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        config, index = ctx.model.pytest_config, startup_index(ctx)
        if not config.path or index is None:
            return  # no configuration file, or declarations that cannot be read statically
        seen: dict[str, int] = {}  # EO1: a repeated option is pointed at where each is written
        for kind, name, text, failure in _startup_names(config):
            occurrence = seen.get(text, 0)
            seen[text] = occurrence + 1
            if kind == "plugin" and name.partition(".")[0] in ctx.model.dependencies.first_party:
                continue  # the project's own plugin module of that name
            owners = missing_plugins(kind, name, ctx.model.dependencies, index)
            if owners:
                yield config_finding(
                    cls.code,
                    config,
                    text,
                    f"{text!r} needs {owners_label(owners)}, which the tests' dependencies do "
                    f"not declare: where it is missing, pytest does not start ({failure}); "
                    "declare the plugin for the tests",
                    occurrence if kind != "ini" else 0,
                )


def _plugin_argument(args: Sequence[str], index: int) -> str | None:
    """The plugin a ``-p NAME``, ``-pNAME`` or ``--plugin=NAME`` at ``index`` names."""
    arg = args[index]
    if arg in ("-p", "--plugin"):
        return args[index + 1] if index + 1 < len(args) else None
    if arg.startswith("--plugin="):
        return arg.partition("=")[2]
    return arg[2:] if arg.startswith("-p") and len(arg) > 2 else None


def _startup_names(config: PytestConfig) -> Iterator[tuple[Kind, str, str, str]]:
    """``(kind, name, text to point at, how pytest fails)`` for each plugin name in the
    configuration that stops pytest when its plugin is missing."""
    args = addopts(config)
    for index, arg in enumerate(args):
        plugin = _plugin_argument(args, index)
        if plugin is not None:
            if not plugin.startswith("no:"):
                yield "plugin", plugin, plugin, f'Error importing plugin "{plugin}"'
            continue
        if arg.startswith("--"):
            option = arg.partition("=")[0]
        elif arg.startswith("-") and len(arg) >= 2:
            option = arg[:2]  # a short option and its attached value: -n4
        else:
            continue
        yield "option", option, arg, f"unrecognized arguments: {arg}"
    why = unknown_name_fails(config, "--strict-config", "strict_config", CONFIG_WARNING)
    if why is not None:
        for key in config.ini:
            yield "ini", key, key, f"Unknown config option: {key}, under {why}"
