"""The optional AI review, against a local server speaking both APIs' documented shapes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from ai_server import ANSWER, MODEL, ModelServer, model_server

from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback.ai_review import PROMPT_CHARS

Cli = Callable[..., tuple[int, str, str]]
KEY = "sk-apytest-" + "k" * 32
SECRET = "hunter2-" + "s" * 12
SUITE = """
import apytest_demo_mlpkg


def test_model():
    pass
"""
LOGIN = f"""
def test_login():
    password = "{SECRET}"
    assert password == "letmein"
"""
PYPROJECT = """
[project]
name = "demo"

[project.optional-dependencies]
ml = ["apytest-demo-mlpkg"]

[tool.pytest.ini_options]
addopts = ["-p", "no:cacheprovider"]
{ini}
"""


@pytest.fixture
def server() -> Iterator[ModelServer]:
    with model_server() as running:
        yield running


def _configure(pytester: pytest.Pytester, server: ModelServer, provider: str, **extra: str) -> None:
    ini = {
        "apytest_ai_provider": provider,
        "apytest_ai_url": server.url,
        "apytest_ai_model": "demo-model",
        **extra,
    }
    lines = "\n".join(f'{name} = "{value}"' for name, value in ini.items())
    pytester.makepyprojecttoml(PYPROJECT.format(ini=lines))
    pytester.makepyfile(test_model=SUITE, test_login=LOGIN)


def _run(pytester: pytest.Pytester) -> pytest.RunResult:
    result = pytester.runpytest("--continue-on-collection-errors")
    result.assert_outcomes(failed=1, errors=1)  # the AI review never changes an outcome
    assert result.ret == 1
    return result


def _memory(pytester: pytest.Pytester) -> Path:
    return pytester.path / ".apytest" / "memory.sqlite3"


@pytest.mark.slow
def test_openai_compatible_review_is_sent_redacted_and_stored(
    pytester: pytest.Pytester, server: ModelServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APYTEST_AI_API_KEY", KEY)
    _configure(pytester, server, "openai")
    _run(pytester)

    assert [r.path for r in server.received] == ["/v1/chat/completions"] * 2
    for received in server.received:
        assert received.headers["authorization"] == f"Bearer {KEY}"
        body = received.body
        assert (body["model"], body["max_tokens"]) == ("demo-model", 600)
        system, user = body["messages"]
        assert (system["role"], user["role"]) == ("system", "user")
        assert "cite the lesson" in system["content"].lower()
        assert len(user["content"]) <= PROMPT_CHARS
        assert SECRET not in json.dumps(body)
    prompts = [r.body["messages"][1]["content"] for r in server.received]
    model_prompt = next(p for p in prompts if "apytest_demo_mlpkg" in p)
    assert "Cite the lesson `apytest lesson optional-dependencies`." in model_prompt
    assert "### Lesson `optional-dependencies`" in model_prompt
    login_prompt = next(p for p in prompts if "test_login" in p)
    assert "[REDACTED]" in login_prompt

    memory = _memory(pytester)
    stored = [s for s in memory_api.suggestions(memory=memory) if s.suggestion.source == "ai"]
    assert len(stored) == 2
    for item in stored:
        assert item.suggestion.model == MODEL
        assert ANSWER in item.suggestion.text
        assert item.suggestion.signature.startswith("ai:")
    assert {s.suggestion.lesson for s in stored} == {"optional-dependencies", ""}
    answers = memory_api.interactions("ai_answer", memory=memory)
    assert [a.text for a in answers] == [ANSWER, ANSWER]
    assert [json.loads(json.dumps(a.data))["model"] for a in answers] == [MODEL, MODEL]
    assert len(memory_api.interactions("ai_prompt", memory=memory)) == 2
    assert KEY.encode() not in memory.read_bytes()

    # Answered clusters are cached by fingerprint: the next red run sends nothing.
    _run(pytester)
    assert len(server.received) == 2


@pytest.mark.slow
def test_anthropic_messages_api(
    pytester: pytest.Pytester, server: ModelServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("APYTEST_AI_API_KEY", raising=False)
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    _configure(pytester, server, "anthropic", apytest_ai_max_tokens="300")
    _run(pytester)
    assert [r.path for r in server.received] == ["/v1/messages"] * 2
    for received in server.received:
        assert received.headers["x-api-key"] == KEY
        assert received.headers["anthropic-version"] == "2023-06-01"
        assert "authorization" not in received.headers
        body = received.body
        assert (body["model"], body["max_tokens"]) == ("demo-model", 300)
        assert "cite the lesson" in body["system"].lower()
        assert [m["role"] for m in body["messages"]] == ["user"]
    stored = memory_api.suggestions(memory=_memory(pytester))
    assert sum(s.suggestion.source == "ai" for s in stored) == 2


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fault", "warning"),
    [
        (429, "HTTP 429"),
        (500, "HTTP 500"),
        ("garbage", "malformed answer"),
        ("hang", "timed out"),
    ],
)
def test_a_failing_endpoint_is_a_warning(
    pytester: pytest.Pytester,
    server: ModelServer,
    monkeypatch: pytest.MonkeyPatch,
    fault: int | str,
    warning: str,
) -> None:
    monkeypatch.delenv("APYTEST_AI_API_KEY", raising=False)
    server.fault = fault
    _configure(pytester, server, "openai", apytest_ai_seconds="2", apytest_ai_max_clusters="1")
    result = _run(pytester)
    result.stdout.fnmatch_lines([f"apytest: warning: AI review of *: {warning}*"])
    # The hung server is released only now: the session ended without its answer.
    server.release.set()
    assert len(server.received) == 1
    memory = _memory(pytester)
    assert not [s for s in memory_api.suggestions(memory=memory) if s.suggestion.source == "ai"]
    assert memory_api.interactions("ai_answer", memory=memory) == []


@pytest.mark.slow
def test_cluster_and_token_budgets_bound_what_is_sent(
    pytester: pytest.Pytester, server: ModelServer
) -> None:
    _configure(pytester, server, "openai", apytest_ai_max_clusters="1")
    result = _run(pytester)
    result.stdout.fnmatch_lines(
        [
            "apytest: warning: AI review: 1 new cluster(s) left for later runs"
            " (apytest_ai_max_clusters)"
        ]
    )
    assert len(server.received) == 1
    _configure(pytester, server, "openai", apytest_ai_budget_tokens="100")
    result = _run(pytester)
    result.stdout.fnmatch_lines(["*left for later runs (apytest_ai_budget_tokens)"])
    assert len(server.received) == 1


@pytest.mark.slow
def test_off_by_default_nothing_leaves(pytester: pytest.Pytester, server: ModelServer) -> None:
    pytester.makepyprojecttoml(PYPROJECT.format(ini=""))
    pytester.makepyfile(test_model=SUITE, test_login=LOGIN)
    result = _run(pytester)
    assert server.received == []
    assert "AI review" not in result.stdout.str()


@pytest.mark.slow
def test_a_bad_setting_is_one_warning(
    pytester: pytest.Pytester, server: ModelServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("APYTEST_AI_API_KEY", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    _configure(pytester, server, "anthropic")
    result = _run(pytester)
    result.stdout.fnmatch_lines(
        ["apytest: warning: AI review: the anthropic provider needs an API key in *"]
    )
    assert server.received == []


@pytest.mark.slow
def test_review_ai_sends_a_recorded_run_once(
    pytester: pytest.Pytester, server: ModelServer, apytest_cli: Cli
) -> None:
    pytester.makepyprojecttoml(PYPROJECT.format(ini=""))
    pytester.makepyfile(test_model=SUITE, test_login=LOGIN)
    _run(pytester)
    assert server.received == []
    code, out, err = apytest_cli("review", "--ai")
    assert code == 0
    assert "AI review: not configured" in err

    _configure(pytester, server, "openai")
    code, out, err = apytest_cli("review", "--ai", "--format", "json")
    assert code == 0, err
    assert len(server.received) == 2
    answered = [s for s in json.loads(out) if s["source"] == "ai"]
    assert [s["model"] for s in answered] == [MODEL, MODEL]

    code, out, err = apytest_cli("review", "--ai")
    assert code == 0
    assert len(server.received) == 2
    assert "AI review: 2 cluster(s) answered before, not sent again" in err
