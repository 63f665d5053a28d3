"""The Prometheus text exposition format (0.0.4), as the metrics file needs it: write and read.

The plugin writes one small file per session and reads back the file it wrote before. Importing
prometheus_client for that costs more than everything else the plugin does on a run of
thousands of tests (its package import brings an HTTP server, SSL and urllib: about 80 million
instructions), so the plugin does both here and imports prometheus_client only to push to a
Pushgateway. The tests read every file written here with prometheus_client's own parser and
`promtool check metrics`.
"""

import math
import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple


class Sample(NamedTuple):
    name: str
    labels: Mapping[str, str]
    value: float


class Family(NamedTuple):
    """A metric family: its name as the TYPE line writes it (a counter's ends in ``_total``)."""

    name: str
    kind: str
    help: str
    samples: list[Sample]


def format_value(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value))


def _escape(value: str) -> str:
    return value.replace("\\", r"\\").replace("\n", r"\n").replace('"', r"\"")


def render(families: Iterable[Family]) -> str:
    """The text format of ``families``; label names sorted, no timestamps."""
    lines: list[str] = []
    for family in families:
        help_text = family.help.replace("\\", r"\\").replace("\n", r"\n")
        lines += [f"# HELP {family.name} {help_text}", f"# TYPE {family.name} {family.kind}"]
        for sample in family.samples:
            labels = ",".join(f'{k}="{_escape(v)}"' for k, v in sorted(sample.labels.items()))
            series = f"{sample.name}{{{labels}}}" if labels else sample.name
            lines.append(f"{series} {format_value(sample.value)}")
    return "".join(f"{line}\n" for line in lines)


_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
_SAMPLE = re.compile(rf"({_NAME})\s*(?:\{{(.*)\}})?\s+(\S+)(?:\s+-?\d+)?\s*")
_LABEL = re.compile(r'\s*([a-zA-Z_]\w*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)')
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)
_COMMENT = re.compile(rf"#[ \t]+(HELP|TYPE)[ \t]+({_NAME})(?:[ \t](.*))?")
_SUFFIXES = {"histogram": ("_bucket", "_sum", "_count"), "summary": ("", "_sum", "_count")}


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _labels(text: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    position = 0
    while position < len(text):
        match = _LABEL.match(text, position)
        if match is None:
            raise ValueError(f"malformed labels {{{text}}}")
        labels[match[1]] = _unescape(match[2])
        position = match.end()
    return labels


def parse(text: str) -> list[Family]:
    """The families of a text-format file; raises ValueError for anything else.

    A sample belongs to the family of the last TYPE line whose name it carries (with a
    histogram's suffixes); samples of no declared family make an ``untyped`` family each.
    """
    families: list[Family] = []
    declared: Family | None = None
    helps: dict[str, str] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip(" \t"):
            continue
        if line.startswith("#"):
            comment = _COMMENT.fullmatch(line)
            if comment is not None and comment[1] == "HELP":
                helps[comment[2]] = _unescape(comment[3] or "")
            elif comment is not None:
                kind = (comment[3] or "").strip(" \t")
                declared = Family(comment[2], kind, helps.get(comment[2], ""), [])
                families.append(declared)
            continue
        match = _SAMPLE.fullmatch(line)
        if match is None:
            raise ValueError(f"line {number} is not a sample: {line!r}")
        name, labels, value = match[1], _labels(match[2] or ""), float(match[3])
        suffixes = _SUFFIXES.get(declared.kind, ("",)) if declared is not None else ()
        if declared is None or name not in {declared.name + suffix for suffix in suffixes}:
            declared = Family(name, "untyped", helps.get(name, ""), [])
            families.append(declared)
        declared.samples.append(Sample(name, labels, value))
    return families
