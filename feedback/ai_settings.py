"""The AI review's settings: one table for the plugin's ini options, the CLI and the environment.

Each setting is a pytest ini key (`apytest_ai_provider`, ...; the plugin also accepts it as a
command-line flag) and an environment variable of the same name in capitals, which wins: a CI
job can switch the review on or off without editing files. The API key is never a setting: it
is read from the environment only (`APYTEST_AI_API_KEY`, else the provider's usual variable),
so it is never written to a config file, a record or a log.

Off by default: without a provider nothing is sent anywhere. This module imports nothing
heavy: the plugin reads the table when it declares its options.
"""

from collections.abc import Mapping
from typing import Literal, NamedTuple

PROVIDERS = ("openai", "anthropic")
DEFAULT_URLS = {"openai": "https://api.openai.com", "anthropic": "https://api.anthropic.com"}
KEY_VARIABLES = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}
KEY_VARIABLE = "APYTEST_AI_API_KEY"


class Key(NamedTuple):
    """One setting: ini name, type, default, help."""

    ini: str
    kind: Literal["string", "int"]
    default: str | int
    help: str

    @property
    def variable(self) -> str:
        return self.ini.upper()


KEYS: tuple[Key, ...] = (
    Key(
        "apytest_ai_provider",
        "string",
        "",
        "AI review of new failure clusters: `openai` (chat completions: OpenAI, Ollama, vLLM, "
        "llama.cpp, LM Studio) or `anthropic` (Messages API); empty: off",
    ),
    Key("apytest_ai_url", "string", "", "the model server's base URL (default: the provider's)"),
    Key("apytest_ai_model", "string", "", "the model to ask (required with a provider)"),
    Key("apytest_ai_max_clusters", "int", 3, "failure clusters sent per run at most"),
    Key("apytest_ai_max_tokens", "int", 600, "answer tokens per cluster at most"),
    Key("apytest_ai_budget_tokens", "int", 20000, "prompt and answer tokens per run at most"),
    Key("apytest_ai_seconds", "int", 60, "seconds the AI review may take per run at most"),
)


class SettingsError(Exception):
    """A setting is missing or wrong; the message names it."""


class AiSettings(NamedTuple):
    """A configured AI review (`load` returns None when it is off).

    A named tuple, not a dataclass: the plugin imports this module on every run."""

    provider: str
    url: str
    model: str
    key: str
    max_clusters: int
    max_tokens: int
    budget_tokens: int
    seconds: int

    def __repr__(self) -> str:  # never the key
        return f"AiSettings(provider={self.provider!r}, url={self.url!r}, model={self.model!r})"


def load(ini: Mapping[str, object], environ: Mapping[str, str]) -> AiSettings | None:
    """The settings from ini values (by ini name) and the environment; None when off."""
    values: dict[str, str | int] = {}
    for key in KEYS:
        raw = environ.get(key.variable)
        source = key.variable if raw is not None else key.ini
        if raw is None:
            given = ini.get(key.ini)
            raw = "" if given is None else str(given)
        raw = raw.strip()
        values[key.ini] = _int(raw, key, source) if key.kind == "int" else raw
    provider = str(values["apytest_ai_provider"]).lower()
    if not provider:
        return None
    if provider not in PROVIDERS:
        raise SettingsError(
            f"apytest_ai_provider must be one of {', '.join(PROVIDERS)}, not {provider!r}"
        )
    model = str(values["apytest_ai_model"])
    if not model:
        raise SettingsError(f"apytest_ai_model is required with apytest_ai_provider={provider}")
    api_key = environ.get(KEY_VARIABLE) or environ.get(KEY_VARIABLES[provider], "")
    if provider == "anthropic" and not api_key:
        raise SettingsError(
            f"the anthropic provider needs an API key in {KEY_VARIABLE} or "
            f"{KEY_VARIABLES[provider]}"
        )
    return AiSettings(
        provider=provider,
        url=str(values["apytest_ai_url"]) or DEFAULT_URLS[provider],
        model=model,
        key=api_key,
        max_clusters=int(values["apytest_ai_max_clusters"]),
        max_tokens=int(values["apytest_ai_max_tokens"]),
        budget_tokens=int(values["apytest_ai_budget_tokens"]),
        seconds=int(values["apytest_ai_seconds"]),
    )


def _int(raw: str, key: Key, source: str) -> int:
    if not raw:
        return int(key.default)
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{source} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise SettingsError(f"{source} must be at least 1, not {value}")
    return value
