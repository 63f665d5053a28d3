"""Findings as text, JSON, SARIF 2.1.0 or GitHub workflow annotations."""

from __future__ import annotations

import json
import urllib.parse
from collections import Counter
from collections.abc import Callable, Sequence

from apytest.lint.cache import apytest_version
from apytest.rules import RULES_BY_CODE, Rule
from apytest.rules.api import Finding, printable
from apytest.rules.lessons import lessons

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/apytest/"


def text(findings: Sequence[Finding], rules: Sequence[type[Rule]]) -> str:
    return "".join(f"{finding.format()}\n" for finding in findings)


def as_json(findings: Sequence[Finding], rules: Sequence[type[Rule]]) -> str:
    records = [
        {
            "path": printable(f.path),
            "line": f.line,
            "col": f.col,
            "code": f.code,
            "name": RULES_BY_CODE[f.code].name,
            "message": printable(f.message),
            "lesson": RULES_BY_CODE[f.code].lesson_reference(),
        }
        for f in findings
    ]
    return json.dumps(records, indent=2) + "\n"


def sarif(findings: Sequence[Finding], rules: Sequence[type[Rule]]) -> str:
    codes = sorted({rule.code for rule in rules} | {f.code for f in findings})
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


def github(findings: Sequence[Finding], rules: Sequence[type[Rule]]) -> str:
    return "".join(
        f"::error file={_escape_property(printable(f.path))},line={f.line},col={f.col},"
        f"title={_escape_property(f.code)}::{_escape_data(printable(f'{f.code} {f.message}'))}\n"
        for f in findings
    )


FORMATS: dict[str, Callable[[Sequence[Finding], Sequence[type[Rule]]], str]] = {
    "text": text,
    "json": as_json,
    "sarif": sarif,
    "github": github,
}


def statistics(findings: Sequence[Finding]) -> str:
    counts = Counter(f.code for f in findings)
    return "".join(
        f"{count:>5}  {code}  {RULES_BY_CODE[code].name}\n"
        for code, count in sorted(counts.items())
    )


def summary(findings: Sequence[Finding], files: int) -> str:
    if not findings:
        return f"All checks passed ({files} files).\n"
    noun = "finding" if len(findings) == 1 else "findings"
    return f"Found {len(findings)} {noun} in {len({f.path for f in findings})} of {files} files.\n"
