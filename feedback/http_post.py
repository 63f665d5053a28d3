"""One HTTP POST with an overall deadline, for the AI review's calls to a model endpoint.

A thin adapter over apytest's HTTP client (`http_client`), which bounds the whole exchange by
one deadline (connect, send, the reply's header and every read of its body), refuses replies
that are not HTTP, too large or cut short, and says so in one line. The AI review counts its
deadline as one `clock.monotonic()` instant for all of a run's requests; the client takes the
seconds left.
"""

from collections.abc import Mapping
from typing import NamedTuple

from apytest.common import clock
from apytest.feedback import http_client

MAX_BODY = 1_000_000


class HttpFailure(Exception):
    """The request did not produce an answer in time (or at all); the message says why."""


class Answer(NamedTuple):
    status: int
    body: bytes


def post(url: str, headers: Mapping[str, str], body: bytes, deadline: float) -> Answer:
    """POST `body` to `url`; `deadline` is a `clock.monotonic()` instant the call must end by."""
    left = deadline - clock.monotonic()
    if left <= 0:
        raise HttpFailure("timed out")
    try:
        reply = http_client.request(
            url,
            method="POST",
            body=body,
            headers=list(headers.items()),
            deadline=left,
            max_body=MAX_BODY,
        )
    except http_client.HttpFailure as error:
        # The caller's warning names the URL already.
        raise HttpFailure(str(error).removeprefix(f"{url}: ")) from None
    return Answer(reply.status, reply.body)
