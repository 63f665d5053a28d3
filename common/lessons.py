"""The lessons of `failure_inventory.md`, read from the installed package at run time.

Every finding, suggestion and alert cites its lesson by anchor; the anchors are a public
interface. The citation is `apytest lesson <anchor>`, a command that works wherever apytest is
installed (a link into apytest's repository would not resolve for a pip user, and a project's
own `testing/` folder holds its own files).

It lives in the bottom layer because every layer cites lessons: the rules, the linter's report
and the feedback loop's suggestions. The feedback loop runs at the end of every pytest session
and must not load the rules (and their dependencies) just to write a citation.
"""

import re
from functools import cache
from importlib import resources
from typing import NamedTuple

RESOURCE_PACKAGE = "apytest.testing"
RESOURCE_NAME = "failure_inventory.md"
# A string, compiled by `re` on first use: a session that only cites lessons never needs it.
_ANCHOR = r'(?m)^<a id="([\w-]+)"></a>\n'


class Lesson(NamedTuple):
    """One lesson: its anchor, its title (the heading) and its Markdown text, heading included."""

    anchor: str
    title: str
    text: str


def reference(anchor: str) -> str:
    """How every output cites a lesson: the command that prints it."""
    return f"apytest lesson {anchor}"


def parse(markdown: str) -> dict[str, Lesson]:
    """The lessons of an inventory, in file order: each runs from its anchor to the next."""
    parts = re.split(_ANCHOR, markdown)
    found: dict[str, Lesson] = {}
    for anchor, body in zip(parts[1::2], parts[2::2], strict=True):
        text = body.strip("\n") + "\n"
        heading = text.splitlines()[0] if text.strip() else ""
        found[anchor] = Lesson(anchor, heading.lstrip("#").strip() or anchor, text)
    return found


@cache
def lessons() -> dict[str, Lesson]:
    """The shipped lessons, by anchor."""
    source = resources.files(RESOURCE_PACKAGE).joinpath(RESOURCE_NAME)
    return parse(source.read_text(encoding="utf-8"))
