"""An ini reader that keeps line numbers (``configparser`` keeps none), for ``tox.ini`` and
``setup.cfg``.

It reads the part of the format those files use: ``[section]`` headers, ``key = value`` (or
``key: value``) with indented continuation lines, whole-line ``#``/``;`` comments and inline
`` #`` comments.
"""

from __future__ import annotations

import re


class IniValue(list[tuple[int, str]]):
    """A value's lines: ``(line number, text)``, the text after ``=`` first when not empty.

    ``inline`` says the value is that text alone, without continuation lines: setuptools reads
    such a one-line list of requirements split on ``;`` (``dev = mypy; black`` is two)."""

    inline: bool = False


IniFile = dict[str, dict[str, IniValue]]

_HEADER = re.compile(r"^\[([^\]]+)\]\s*([#;].*)?$")
_KEY = re.compile(r"^([^=:\s][^=:]*?)\s*[=:]\s?(.*)$")
_INLINE_COMMENT = re.compile(r"\s+#.*$")


def parse_ini(text: str, first_line: int = 1) -> IniFile:
    """Sections, keys and the numbered lines of each value (inline `` #`` comments removed)."""
    sections: IniFile = {}
    section: dict[str, IniValue] | None = None
    value: IniValue | None = None
    for number, raw in enumerate(text.splitlines(), start=first_line):
        stripped = raw.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        header = _HEADER.match(stripped)
        if header is not None and not raw[0].isspace():
            section = sections.setdefault(header.group(1).strip(), {})
            value = None
            continue
        if raw[0].isspace() and value is not None:
            value.append((number, _INLINE_COMMENT.sub("", stripped)))
            value.inline = False
            continue
        key = _KEY.match(stripped)
        if key is None or section is None:
            value = None
            continue
        value = section[key.group(1).strip().lower()] = IniValue()
        first = _INLINE_COMMENT.sub("", key.group(2).strip())
        if first:
            value.append((number, first))
            value.inline = True
    return sections


def joined(value: IniValue) -> str:
    """A value as one string (for commands, whose words matter, not their lines)."""
    return " ".join(text for _, text in value)
