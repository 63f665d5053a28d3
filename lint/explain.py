"""``apytest-lint --explain CODE``: the lesson, why it matters, and the rule's own examples."""

from __future__ import annotations

import inspect

from apytest.rules import Rule
from apytest.rules.api import Example


def _example(example: Example) -> str:
    code = example.code
    body = code if isinstance(code, str) else code.decode("utf-8", "backslashreplace")
    parts = [f"    # {example.path}"]
    parts += [f"    {line}".rstrip() for line in body.rstrip("\n").splitlines()]
    for path, content in example.files.items():
        parts.append(f"    # {path}")
        parts += [f"    {line}".rstrip() for line in content.splitlines()] or ["    (empty)"]
    return "\n".join(parts)


def explain(rule: type[Rule]) -> str:
    lines = [
        f"{rule.code} ({rule.name}): {rule.summary}",
        "",
        inspect.cleandoc(rule.__doc__ or ""),
        "",
        f"Lesson: {rule.lesson_reference()}",
        f"Enabled by default: {'yes' if rule.default_enabled else 'no (select it)'}",
        f"Fix: {'--fix rewrites the findings it can change safely' if rule.fixable else 'none'}",
    ]
    for name, option in rule.options.items():
        lines.append(f"Option [tool.apytest] {name} (default {option.default!r}): {option.help}")
    for title, examples in (("Flagged", rule.INVALID), ("Accepted", rule.VALID)):
        for example in examples:
            lines += ["", f"{title}:", _example(example)]
    return "\n".join(lines) + "\n"
