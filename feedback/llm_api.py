"""The two model APIs the AI review speaks: their request and answer shapes, nothing else.

- `openai`: the chat-completions API (`POST /v1/chat/completions`), served by OpenAI and by
  Ollama, vLLM, llama.cpp's server and LM Studio; `Authorization: Bearer` when a key is set
  (a local server needs none). The answer is `choices[0].message.content`, the tokens
  `usage.prompt_tokens` and `usage.completion_tokens`.
- `anthropic`: the Messages API (`POST /v1/messages`) with the `x-api-key` and
  `anthropic-version` headers; the answer is the `text` of the `content` blocks of type
  `text`, the tokens `usage.input_tokens` and `usage.output_tokens`.

A status other than 200, a body that is not JSON, or JSON without the answer raises
ModelError with a one-line reason; the caller turns it into a warning.
"""

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from apytest.feedback.http_post import Answer

ANTHROPIC_VERSION = "2023-06-01"
_PATHS = {"openai": "/v1/chat/completions", "anthropic": "/v1/messages"}


class ModelError(Exception):
    """The endpoint answered, but not with a usable answer."""


class Reply(NamedTuple):
    text: str
    model: str
    input_tokens: int
    output_tokens: int


class Request(NamedTuple):
    url: str
    headers: Mapping[str, str]
    body: bytes


def endpoint(provider: str, base: str) -> str:
    """The API's URL under `base` (a server root, a `/v1` prefix, or the full path)."""
    path = _PATHS[provider]
    base = base.rstrip("/")
    if base.endswith(path):
        return base
    return base + path.removeprefix("/v1") if base.endswith("/v1") else base + path


def request(
    provider: str, base: str, model: str, system: str, prompt: str, max_tokens: int, key: str
) -> Request:
    """The HTTP request asking `model` for an answer to `prompt` under `system`."""
    headers = {"content-type": "application/json", "accept": "application/json"}
    body: dict[str, Any]
    if provider == "anthropic":
        headers |= {"x-api-key": key, "anthropic-version": ANTHROPIC_VERSION}
        body = {
            "model": model,
            "max_tokens": max_tokens,
            "system": system,
            "messages": [{"role": "user", "content": prompt}],
        }
    else:
        if key:
            headers["authorization"] = f"Bearer {key}"
        body = {
            "model": model,
            "max_tokens": max_tokens,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": prompt},
            ],
        }
    return Request(endpoint(provider, base), headers, json.dumps(body).encode())


def reply(provider: str, model: str, answer: Answer) -> Reply:
    """The model's text and token counts from the HTTP answer; ModelError if there is none."""
    if answer.status != 200:
        detail = answer.body[:200].decode("utf-8", "replace").replace("\n", " ").strip()
        raise ModelError(f"HTTP {answer.status}" + (f": {detail}" if detail else ""))
    try:
        data = json.loads(answer.body)
        if provider == "anthropic":
            blocks = data["content"]
            text = "".join(b["text"] for b in blocks if b.get("type") == "text")
            used = data.get("usage") or {}
            tokens = (used.get("input_tokens", 0), used.get("output_tokens", 0))
        else:
            text = data["choices"][0]["message"]["content"]
            used = data.get("usage") or {}
            tokens = (used.get("prompt_tokens", 0), used.get("completion_tokens", 0))
        named = data.get("model") or model
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise ModelError("malformed answer: not the API's JSON shape") from None
    if not isinstance(text, str) or not text.strip():
        raise ModelError("malformed answer: no text in it")
    if not all(isinstance(t, int) for t in tokens):
        raise ModelError("malformed answer: token counts are not numbers")
    return Reply(text.strip(), str(named), int(tokens[0]), int(tokens[1]))
