"""Where a string value of a TOML file is written (``tomllib`` keeps no positions).

Linear in the size of the file and the number of values looked up: the strings are indexed by
value once, and each value's next unused occurrence is found with a "next free slot" union-find
instead of a scan, so 100,000 declarations cost no more per declaration than ten.
"""

from __future__ import annotations

import bisect
import json
import re

_TOML_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|#.*')
_KEY = re.compile(r'^\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_.-]+)\s*=')


def _decode(token: str) -> str:
    body = token[1:-1]
    if token.startswith("'"):
        return body
    try:
        decoded = json.loads(f'"{body}"')
    except ValueError:
        return body
    return decoded if isinstance(decoded, str) else body


class _Slots:
    """The occurrences of one value, in file order, each used at most once."""

    def __init__(self) -> None:
        self.lines: list[int] = []
        self.cols: list[int] = []
        self.parent: list[int] = []

    def add(self, line: int, col: int) -> None:
        self.parent.append(len(self.lines))
        self.lines.append(line)
        self.cols.append(col)

    def _free(self, index: int) -> int:
        """The first unused occurrence at or after ``index`` (``len`` when none)."""
        root = index
        while root < len(self.parent) and self.parent[root] != root:
            root = self.parent[root]
        while index < len(self.parent) and self.parent[index] != root:
            self.parent[index], index = root, self.parent[index]
        return root

    def take(self, after: int) -> tuple[int, int] | None:
        """Use the first unused occurrence on or after line ``after`` (else the first one)."""
        for start in (bisect.bisect_left(self.lines, after), 0):
            found = self._free(start)
            if found < len(self.lines):
                self.parent[found] = found + 1
                return self.lines[found], self.cols[found]
        return None


class TomlLocator:
    """Finds where strings and keys are written, preferring those below a table's header.

    Each value is matched to the first unused string with the same value after its table's
    header, so duplicates in different tables land on their own lines.
    """

    def __init__(self, text: str) -> None:
        self.strings: dict[str, _Slots] = {}
        self.keys: dict[str, _Slots] = {}
        self.headers: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith("[") and not stripped.startswith("[["):
                header = stripped.partition("#")[0].strip().strip("[] ").replace('"', "")
                self.headers.setdefault(header.replace("'", ""), number)
            key = _KEY.match(line)
            if key is not None:
                name = key.group(1)
                name = _decode(name) if name[0] in "'\"" else name
                self.keys.setdefault(name, _Slots()).add(number, key.start(1) + 1)
            for match in _TOML_STRING.finditer(line):
                if not match.group().startswith("#"):
                    value = _decode(match.group())
                    self.strings.setdefault(value, _Slots()).add(number, match.start() + 1)

    def header(self, table: str) -> int:
        """The line of ``[table]`` (0 when not written as a header)."""
        return self.headers.get(table, 0)

    def find(self, value: str, table: str, key: str | None = None) -> tuple[int, int]:
        """``(line, col)`` of the string ``value`` in ``table`` (the table's line if not found);
        with ``key``, at or below that key's line in the table: ``[project]``'s ``keywords``
        array may hold a dependency's name above ``dependencies`` (AS3)."""
        return self._take(self.strings, value, table, self.key_line(key, table) if key else 0)

    def key_line(self, key: str, table: str) -> int:
        """The line of the first ``key = ...`` at or below ``table``'s header (0 when none),
        without using it up as :meth:`find_key` does."""
        slots = self.keys.get(key)
        if slots is None:
            return 0
        at = bisect.bisect_left(slots.lines, self.headers.get(table, 0))
        return slots.lines[at] if at < len(slots.lines) else 0

    def find_key(self, key: str, table: str) -> tuple[int, int]:
        """``(line, col)`` of ``key = ...`` in ``table`` (the table's line if not found)."""
        return self._take(self.keys, key, table)

    def _take(
        self, index: dict[str, _Slots], value: str, table: str, below: int = 0
    ) -> tuple[int, int]:
        after = self.headers.get(table, 0)
        slots = index.get(value)
        found = slots.take(max(after, below)) if slots is not None else None
        return found if found is not None else (max(after, 1), 1)
