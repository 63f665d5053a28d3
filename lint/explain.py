"""``apytest-lint --explain CODE``: a rule's documentation in ruff's sections, with its examples.

A rule's docstring holds its summary and what it reports, then ``## Why is this bad?`` and,
where a remedy needs words, ``## Use instead``. The examples (the rule's tests) and the options
are not written twice: this module prints the flagged examples under ``## Example`` (with the
code ``--fix`` makes of them), the accepted ones under ``## Use instead``, and the rule's
settings under ``## Options``.
"""

from __future__ import annotations

import inspect

from apytest.rules import Rule
from apytest.rules.api import Example

WHAT = "## What it does"
WHY = "## Why is this bad?"
USE_INSTEAD = "## Use instead"


def _indented(path: str, text: str) -> list[str]:
    lines = [f"    {line}".rstrip() for line in text.rstrip("\n").splitlines()]
    return [f"    # {path}", *(lines or ["    (empty)"])]


def _example(title: str, example: Example) -> str:
    code = example.code
    body = code if isinstance(code, str) else code.decode("utf-8", "backslashreplace")
    parts = [f"{title}:", *_indented(example.path, body)]
    for path, content in example.files.items():
        parts += _indented(path, content)
    if example.fixed is not None and example.fixed != body:
        parts += ["After --fix:", *_indented(example.path, example.fixed)]
    elif example.fixed is not None:
        parts += ["After --fix: unchanged (the fix leaves this finding alone)"]
    return "\n".join(parts)


def sections(rule: type[Rule]) -> dict[str, str]:
    """The docstring's sections by heading; what comes before the first one is "What it does"."""
    found: dict[str, list[str]] = {WHAT: []}
    current = WHAT
    for line in inspect.cleandoc(rule.__doc__ or "").splitlines():
        if line.startswith("## "):
            current = line.strip()
            found[current] = []
        else:
            found[current].append(line)
    return {heading: "\n".join(lines).strip("\n") for heading, lines in found.items()}


def explain(rule: type[Rule]) -> str:
    docs = sections(rule)
    lines = [f"{rule.code} ({rule.name}): {rule.summary}", "", WHAT, docs.pop(WHAT)]
    lines += ["", WHY, docs.pop(WHY, "")]
    lines += ["", "## Example"]
    for example in rule.INVALID:
        lines += ["", _example("Flagged", example)]
    lines += ["", USE_INSTEAD]
    use_instead = docs.pop(USE_INSTEAD, "")
    if use_instead:
        lines += [use_instead]
    for example in rule.VALID:
        lines += ["", _example("Accepted", example)]
    for heading, text in docs.items():
        lines += ["", heading, text]
    if rule.options:
        lines += ["", "## Options"]
        for name, option in rule.options.items():
            lines.append(f"[tool.apytest] {name} (default {option.default!r}): {option.help}")
    lines += [
        "",
        f"Lesson: {rule.lesson_reference()}",
        f"Enabled by default: {'yes' if rule.default_enabled else 'no (select it)'}",
        f"Fix: {'--fix rewrites the findings it can change safely' if rule.fixable else 'none'}",
    ]
    return "\n".join(lines) + "\n"
