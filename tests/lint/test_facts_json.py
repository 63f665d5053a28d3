"""Every fact the cache stores reads back as it was written.

A list read back where a tuple was stored (``ImportFact.preceded_by``) made every warm run of
a suite whose test modules import a project module first stop APT101 and APT102 with an
internal error (``tuple + list``), while the cold runs the rounds measure were right.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from typing import Any

from apytest.rules.api import FileFacts


def _sample(kind: Any) -> Any:
    """A value of ``kind`` that no default has: a wrong type read back shows."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is bool:
        return True
    if kind is int:
        return 7
    if kind is str:
        return "name"
    if origin is tuple:
        return ("first", "second")
    if origin is list:
        return [_sample(args[0]), _sample(args[0])]
    if origin is typing.Literal:
        return args[-1]
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        return _sample(next(arg for arg in args if arg is not type(None)))
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(
            **{field.name: _sample(hints[field.name]) for field in dataclasses.fields(kind)}
        )
    raise AssertionError(f"no sample for {kind!r}: teach the test this type")


def test_every_fact_survives_the_cache_json() -> None:
    facts = _sample(FileFacts)
    stored = json.loads(json.dumps(facts.to_json()))
    assert FileFacts.from_json(stored) == facts
