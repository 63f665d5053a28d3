"""The plugin's settings: one table drives both the command-line options and their ini twins.

Every setting can be given on the command line or in the ini file; the command line wins. A
single table means the two can never drift apart (an option without its ini twin, a default
documented in one place and applied in another).
"""

import argparse
from pathlib import Path
from typing import Literal, NamedTuple

import pytest

from apytest.common import memory_location, names
from apytest.common.instance import default_instance
from apytest.common.memory_location import MemoryLocation
from apytest.common.settings import ConfigError, read_toml, resolve
from apytest.common.text import encodable
from apytest.feedback.ai_settings import KEYS as AI_KEYS

Kind = Literal["bool", "string", "int"]


class Option(NamedTuple):
    """One setting: its ini name, the flag derived from it, its type, default and help.

    The plugin's small records are named tuples: a frozen dataclass costs a few compilations
    when its module is imported, which every test run would pay.
    """

    ini: str
    kind: Kind
    default: bool | str | int
    help: str

    @property
    def flag(self) -> str:
        return "--" + self.ini.replace("_", "-")


OPTIONS: tuple[Option, ...] = (
    Option("apytest", "bool", True, "measure this run (--no-apytest turns the plugin off)"),
    Option(
        "apytest_metrics_file",
        "string",
        names.METRICS_FILE,
        "Prometheus textfile written at session end, relative to rootdir; empty: none",
    ),
    Option(
        "apytest_project",
        "string",
        "",
        "value of the `project` label (default: [project].name of pyproject.toml, "
        "else the rootdir's name)",
    ),
    Option(
        "apytest_log_file",
        "string",
        names.LOG_FILE,
        "readable run log, relative to rootdir; empty: none",
    ),
    Option(
        "apytest_log_keep",
        "int",
        1,
        "run logs of earlier sessions to keep as pytest.log.1..N (0: replace the log each session)",
    ),
    Option(
        "apytest_gitignore",
        "bool",
        True,
        "write a .gitignore beside the metrics file, the run log and a memory outside "
        ".apytest/, listing only apytest's files",
    ),
    Option(
        "apytest_pushgateway",
        "string",
        "",
        "HOST:PORT of a Pushgateway to pushadd the session's metrics to "
        "(credentials: APYTEST_PUSHGATEWAY_USERNAME / APYTEST_PUSHGATEWAY_PASSWORD)",
    ),
    Option(
        "apytest_instance",
        "string",
        "",
        "this runner's name: the `instance` label of Pushgateway pushes and the instance the "
        "corpus memory stores with each run (default: the hostname)",
    ),
    Option("apytest_lint", "bool", False, "run apytest-lint on the collected test files"),
    Option(
        "apytest_lint_strict", "bool", False, "fail the session when apytest-lint finds anything"
    ),
    Option(
        "apytest_feedback",
        "bool",
        True,
        "review each run and record it and its suggestions in the corpus memory",
    ),
    Option(
        "apytest_memory",
        "string",
        names.MEMORY,
        "corpus memory of the feedback loop: a SQLite file relative to rootdir, or a "
        "postgresql:// URL without password (the environment variable APYTEST_MEMORY "
        "overrides the ini value and may carry one); empty: none",
    ),
    # The AI review's settings are the feedback loop's table; the CLI reads the same keys.
    *(Option(key.ini, key.kind, key.default, key.help) for key in AI_KEYS),
)


def register(parser: pytest.Parser) -> None:
    """Declare every option of the table in an `apytest` group, each with its ini twin.

    Command-line defaults are None so that "not given" can fall back to the ini value.
    """
    group = parser.getgroup("apytest", "apytest: run metrics, run log, Pushgateway, lint")
    for option in OPTIONS:
        default = f", default: {option.default}" if option.default != "" else ""
        help_text = f"{option.help} [ini: {option.ini}{default}]"
        if option.kind == "bool":
            group.addoption(
                option.flag,
                dest=option.ini,
                action=argparse.BooleanOptionalAction,
                default=None,
                help=help_text,
            )
            parser.addini(option.ini, option.help, type="bool", default=option.default)
        else:
            group.addoption(
                option.flag,
                dest=option.ini,
                metavar=option.ini.removeprefix("apytest_").upper(),
                type=int if option.kind == "int" else str,
                default=None,
                help=help_text,
            )
            parser.addini(option.ini, option.help, type="string", default=str(option.default))


def _given(config: pytest.Config, name: str) -> object:
    """The command line's value, None when not given."""
    # Before pytest has parsed the whole command line (a conftest that fails to load stops it
    # there), only its early parse holds the options.
    options = config.option if hasattr(config.option, name) else config.known_args_namespace
    return getattr(options, name, None)


def _value(config: pytest.Config, name: str) -> object:
    given = _given(config, name)
    return config.getini(name) if given is None else given


def _int(config: pytest.Config, name: str) -> int:
    raw = _value(config, name)
    try:
        value = int(str(raw))
    except ValueError:
        raise pytest.UsageError(f"{name} must be an integer, not {raw!r}") from None
    if value < 0:
        raise pytest.UsageError(f"{name} must be 0 or more, not {value}")
    return value


def _path(config: pytest.Config, name: str) -> Path | None:
    return resolve(config.rootpath, _value(config, name))


def _memory(config: pytest.Config) -> MemoryLocation | None:
    """`--apytest-memory`, else the environment variable APYTEST_MEMORY, else the ini value;
    a URL with a password is refused where it would be written down."""
    given = _given(config, "apytest_memory")
    if given is None:
        from_env = memory_location.from_environment()
        if from_env is not None:
            return from_env
    where = "--apytest-memory" if given is not None else f"{config.inipath}: apytest_memory"
    try:
        return memory_location.setting(config.rootpath, _value(config, "apytest_memory"), where)
    except memory_location.PasswordInSetting as error:
        raise pytest.UsageError(str(error)) from None


def _pushgateway(config: pytest.Config) -> str:
    """HOST:PORT (or a URL) of the Pushgateway, checked now: a typo must not wait for the end
    of the session to surface."""
    address = str(_value(config, "apytest_pushgateway")).strip()
    if address:
        from apytest.feedback.http_client import parse_url  # only pushing sessions load it

        try:
            parse_url(address)
        except ValueError as error:
            raise pytest.UsageError(f"--apytest-pushgateway {address!r}: {error}") from None
    return address


def project_name(rootdir: Path) -> str:
    """`[project].name` of the rootdir's pyproject.toml, else the rootdir's basename.

    A pyproject.toml that cannot be read must not break the test run: it only loses the name
    (pytest itself never reads it under `-c other.ini`, so it may be anything: not UTF-8,
    nested past the recursion limit, a FIFO).
    """
    try:
        name = read_toml(rootdir / "pyproject.toml").get("project", {}).get("name")
    except (ConfigError, AttributeError):
        name = None
    return name if isinstance(name, str) and name else rootdir.name


class Settings(NamedTuple):
    """The resolved settings of one session."""

    enabled: bool
    metrics_file: Path | None
    project: str
    log_file: Path | None
    log_keep: int
    gitignore: bool
    pushgateway: str
    instance: str
    lint: bool
    lint_strict: bool
    memory: MemoryLocation | None
    """The feedback loop's corpus memory (a path or a URL); None: the feedback loop is off."""
    ai: dict[str, object]
    """The AI review's settings by ini name, as given (`ai_settings.load` checks them)."""

    @classmethod
    def from_config(cls, config: pytest.Config) -> "Settings":
        lint_strict = bool(_value(config, "apytest_lint_strict"))
        return cls(
            enabled=bool(_value(config, "apytest")),
            metrics_file=_path(config, "apytest_metrics_file"),
            # A label of every series and a key of the memory: UTF-8 must hold it (a folder
            # name's undecodable byte, an argument's).
            project=encodable(
                str(_value(config, "apytest_project")) or project_name(config.rootpath)
            ),
            log_file=_path(config, "apytest_log_file"),
            log_keep=_int(config, "apytest_log_keep"),
            gitignore=bool(_value(config, "apytest_gitignore")),
            pushgateway=_pushgateway(config),
            instance=str(_value(config, "apytest_instance")) or default_instance(),
            # Strict linting without linting would silently check nothing.
            lint=lint_strict or bool(_value(config, "apytest_lint")),
            lint_strict=lint_strict,
            memory=_memory(config) if _value(config, "apytest_feedback") else None,
            ai={key.ini: _value(config, key.ini) for key in AI_KEYS},
        )
