"""The optional AI review: each new failure cluster of a run asked of a model, the answer kept.

When configured (`ai_settings`), the bundle of a run (`prompt_bundle`) is sent one cluster at a
time to an OpenAI-compatible or Anthropic endpoint (`llm_api`), asking for a remediation
grounded in that evidence and citing the lesson. The prompt and the answer are interaction
records (`ai_prompt`, `ai_answer`); the answer is also a suggestion with `source="ai"` and the
model named, under the signature `ai:<fingerprint>`, which is the cache: a cluster answered
once is never sent again, whatever run it reappears in.

Cost and time are bounded per run: at most `max_clusters` clusters, `max_tokens` answer tokens
each, `budget_tokens` prompt and answer tokens in all (estimated at 4 characters a token before
sending, counted from the answer's usage after), and `seconds` for everything, one deadline
shared by every call. A timeout, an HTTP error (429, 500, ...) or a malformed answer is a
one-line warning and the next cluster goes on; nothing here raises into a test session.
"""

from collections.abc import Callable
from typing import NamedTuple

from apytest.common import clock
from apytest.common.lessons import reference
from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback import http_post, llm_api
from apytest.feedback.ai_settings import AiSettings
from apytest.feedback.prompt_bundle import Bundle, Cluster, clip
from apytest.feedback.records import StoredSuggestion, Suggestion

SYSTEM = (
    "You review a failing pytest test. Use only the evidence in the message: the test's "
    "source, the traceback, apytest-lint's findings, the test's history, the deterministic "
    "suggestion and the lesson from apytest's failure inventory. Answer with one remediation: "
    "what to change, in which file and line, and why, in at most 200 words. Cite the lesson "
    "by its link when the evidence names one. When the evidence does not support a fix, say "
    "what to inspect next instead of guessing."
)
CHARS_PER_TOKEN = 4
PROMPT_CHARS = 16_000
ANSWER_CHARS = 4_000

Warn = Callable[[str], None]


class Sent(NamedTuple):
    """What one AI review did: the suggestions stored and the clusters skipped as answered."""

    suggestions: tuple[StoredSuggestion, ...]
    cached: int


def signature(cluster: Cluster) -> str:
    return f"ai:{cluster.fingerprint}"


def prompt(bundle: Bundle, cluster: Cluster) -> str:
    """The user message for one cluster: the run's header, the cluster, what to cite."""
    cite = (
        f"Cite the lesson `{reference(cluster.lesson)}`."
        if cluster.lesson
        else "No lesson of the inventory matched this failure."
    )
    return clip(f"{bundle.header}\n\n{cluster.markdown(1)}\n\n{cite}", PROMPT_CHARS)


def review(
    bundle: Bundle,
    settings: AiSettings,
    *,
    memory: memory_api.MemoryPath,
    warn: Warn,
) -> Sent:
    """Ask the model about the bundle's clusters not answered before, within the budget."""
    deadline = clock.monotonic() + settings.seconds
    answered = {
        s.suggestion.signature
        for s in memory_api.suggestions(bundle.project, memory=memory)
        if s.suggestion.source == "ai"
    }
    new = [c for c in bundle.clusters if signature(c) not in answered]
    stored: list[StoredSuggestion] = []
    spent = 0
    for number, cluster in enumerate(new):
        left = len(new) - number
        if number >= settings.max_clusters:
            warn(f"AI review: {left} new cluster(s) left for later runs (apytest_ai_max_clusters)")
            break
        text = prompt(bundle, cluster)
        estimate = len(SYSTEM + text) // CHARS_PER_TOKEN + settings.max_tokens
        if spent + estimate > settings.budget_tokens:
            warn(f"AI review: {left} new cluster(s) left for later runs (apytest_ai_budget_tokens)")
            break
        if clock.monotonic() >= deadline:
            warn(f"AI review: {left} new cluster(s) left for later runs (apytest_ai_seconds)")
            break
        answer = _ask(settings, bundle, cluster, text, deadline, memory, warn)
        spent += estimate if answer is None else answer.input_tokens + answer.output_tokens
        if answer is not None:
            stored.append(_keep(settings, bundle, cluster, answer, memory))
    return Sent(tuple(stored), len(bundle.clusters) - len(new))


def _ask(
    settings: AiSettings,
    bundle: Bundle,
    cluster: Cluster,
    text: str,
    deadline: float,
    memory: memory_api.MemoryPath,
    warn: Warn,
) -> llm_api.Reply | None:
    request = llm_api.request(
        settings.provider,
        settings.url,
        settings.model,
        SYSTEM,
        text,
        settings.max_tokens,
        settings.key,
    )
    memory_api.log_interaction(
        "ai_prompt",
        text,
        data={
            "fingerprint": cluster.fingerprint,
            "provider": settings.provider,
            "model": settings.model,
            "url": request.url,
            "system": SYSTEM,
        },
        run_id=bundle.run_id,
        memory=memory,
    )
    try:
        answer = http_post.post(request.url, request.headers, request.body, deadline)
        return llm_api.reply(settings.provider, settings.model, answer)
    except (http_post.HttpFailure, llm_api.ModelError) as error:
        warn(f"AI review of {cluster.location} ({request.url}): {error}")
        return None


def _keep(
    settings: AiSettings,
    bundle: Bundle,
    cluster: Cluster,
    answer: llm_api.Reply,
    memory: memory_api.MemoryPath,
) -> StoredSuggestion:
    memory_api.log_interaction(
        "ai_answer",
        answer.text,
        data={
            "fingerprint": cluster.fingerprint,
            "provider": settings.provider,
            "model": answer.model,
            "input_tokens": answer.input_tokens,
            "output_tokens": answer.output_tokens,
        },
        run_id=bundle.run_id,
        memory=memory,
    )
    path, _, line = cluster.location.rpartition(":")
    return memory_api.log_suggestion(
        Suggestion(
            text=f"{cluster.location}: {clip(answer.text, ANSWER_CHARS)}",
            lesson=cluster.lesson or "",
            signature=signature(cluster),
            source="ai",
            nodeid=cluster.tests[0],
            path=path,
            line=int(line) if line.isdigit() else 0,
            model=answer.model,
        ),
        project=bundle.project,
        run_id=bundle.run_id,
        memory=memory,
    )
