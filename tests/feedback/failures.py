"""Failure records the review tests build, as the plugin records them."""

from __future__ import annotations

from apytest.feedback.records import Failure


def missing_module(module: str) -> Failure:
    """`tests/test_a.py` failing to collect: `ModuleNotFoundError` for `module`."""
    return Failure(
        "tests/test_a.py",
        "collect",
        "ModuleNotFoundError",
        f"ModuleNotFoundError: No module named '{module}'",
        "tests/test_a.py",
        3,
    )
