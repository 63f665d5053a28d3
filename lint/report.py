"""Findings as text, JSON, SARIF 2.1.0 or GitHub workflow annotations.

Every format takes a :class:`Listing`.
"""

from __future__ import annotations

import json
import urllib.parse
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from apytest.common.lessons import lessons
from apytest.common.versions import apytest_version
from apytest.rules import RULES_BY_CODE, Rule
from apytest.rules.api import Finding, printable

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/apytest/"


FIXABLE_MARK = "[*]"


@dataclass(frozen=True)
class Style:
    """ANSI colours, or none: ``Style(False)`` leaves text as it is."""

    color: bool = False

    def paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    def bold(self, text: str) -> str:
        return self.paint(text, "1")

    def red(self, text: str) -> str:
        return self.paint(text, "1;31")

    def cyan(self, text: str) -> str:
        return self.paint(text, "36")

    def green(self, text: str) -> str:
        return self.paint(text, "1;32")

    def yellow(self, text: str) -> str:
        return self.paint(text, "1;33")


@dataclass(frozen=True)
class Listing:
    """What a format prints: the findings, the rules that ran, the findings of a rule with a fix
    (``--fix`` rewrites those it can do safely), and the style (colour only for text on a
    terminal)."""

    findings: Sequence[Finding]
    rules: Sequence[type[Rule]] = ()
    fixable: Collection[Finding] = frozenset()
    style: Style = Style()


def text(listing: Listing) -> str:
    """``path:line:col: CODE [*] message``, the mark only on findings of a rule with a fix."""
    style, fixable = listing.style, listing.fixable
    return "".join(
        f"{style.bold(printable(f.path))}:{f.line}:{f.col}: {style.red(f.code)} "
        f"{style.cyan(FIXABLE_MARK) + ' ' if f in fixable else ''}{printable(f.message)}\n"
        for f in listing.findings
    )


def as_json(listing: Listing) -> str:
    records = [
        {
            "path": printable(f.path),
            "line": f.line,
            "col": f.col,
            "code": f.code,
            "name": RULES_BY_CODE[f.code].name,
            "message": printable(f.message),
            "lesson": RULES_BY_CODE[f.code].lesson_reference(),
            "fixable": f in listing.fixable,
        }
        for f in listing.findings
    ]
    return json.dumps(records, indent=2) + "\n"


def sarif(listing: Listing) -> str:
    findings = listing.findings
    codes = sorted({rule.code for rule in listing.rules} | {f.code for f in findings})
    index = {code: i for i, code in enumerate(codes)}
    descriptors = [
        {
            "id": code,
            "name": RULES_BY_CODE[code].name,
            "shortDescription": {"text": RULES_BY_CODE[code].summary},
            "fullDescription": {"text": " ".join((RULES_BY_CODE[code].__doc__ or "").split())},
            # The lesson itself, so that a SARIF viewer shows it without apytest installed.
            "help": {
                "text": lessons()[RULES_BY_CODE[code].lesson].text,
                "markdown": lessons()[RULES_BY_CODE[code].lesson].text,
            },
            "properties": {"lesson": RULES_BY_CODE[code].lesson_reference()},
        }
        for code in codes
    ]
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": "error",
            "message": {"text": printable(f.message)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.path), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": f.line, "startColumn": f.col},
                    }
                }
            ],
        }
        for f in findings
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "apytest-lint",
                        "version": apytest_version(),
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _uri(path: str) -> str:
    """A project-relative path as a URI reference: bytes that are not UTF-8 and characters
    that a URI cannot hold (spaces, newlines, `%`) percent-encoded."""
    return urllib.parse.quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(listing: Listing) -> str:
    return "".join(
        f"::error file={_escape_property(printable(f.path))},line={f.line},col={f.col},"
        f"title={_escape_property(f.code)}::{_escape_data(printable(f'{f.code} {f.message}'))}\n"
        for f in listing.findings
    )


FORMATS: dict[str, Callable[[Listing], str]] = {
    "text": text,
    "json": as_json,
    "sarif": sarif,
    "github": github,
}


STATISTICS_FORMATS = ("text", "json")
"""``--statistics`` is a table after the findings, or (JSON) an array instead of them."""


def statistics(findings: Sequence[Finding], fixable: Collection[Finding] = ()) -> str:
    counts = Counter(f.code for f in findings)
    fixes = Counter(f.code for f in findings if f in fixable)
    marks = {code: f"{FIXABLE_MARK} " if fixes[code] else "" for code in counts}
    return "".join(
        f"{count:>5}  {code}  {marks[code]}{RULES_BY_CODE[code].name}\n"
        for code, count in sorted(counts.items())
    )


def statistics_json(findings: Sequence[Finding], fixable: Collection[Finding] = ()) -> str:
    """As ruff's ``--statistics --output-format json``: one object per code."""
    counts = Counter(f.code for f in findings)
    fixes = Counter(f.code for f in findings if f in fixable)
    records = [
        {"code": code, "name": RULES_BY_CODE[code].name, "count": count, "fixable": fixes[code]}
        for code, count in sorted(counts.items())
    ]
    return json.dumps(records, indent=2) + "\n"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def summary(
    findings: Sequence[Finding],
    linted: Collection[str],
    fixable: Collection[Finding] = (),
    style: Style = Style(),
) -> str:
    """The closing line. `linted` are the paths of the files linted; a finding may also be in a
    declaration file (pyproject.toml, a requirements or environment file), which counts as a
    file read too: "in 4 of 1 files" would say otherwise."""
    if not linted:
        return style.yellow("No files linted.") + "\n"
    if not findings:
        return style.green(f"All checks passed ({_count(len(linted), 'file')}).") + "\n"
    paths = {f.path for f in findings}
    files = len(linted) + len(paths.difference(linted))
    found = _count(len(findings), "finding")
    lines = f"Found {found} in {len(paths)} of {_count(files, 'file')}.\n"
    if fixable:
        lines += f"{style.cyan(FIXABLE_MARK)} {len(fixable)} potentially fixable with --fix.\n"
    return lines
