"""Where the corpus memory lives: a SQLite file's path, or a PostgreSQL server's URL.

Every part that takes the memory setting (the plugin's `--apytest-memory`/`apytest_memory`,
the commands' `--memory`, the environment variable MEMORY_ENV) accepts both. A URL is shown
only as `describe` prints it: user, host, port and database, never a password, so that a
warning, the terminal line or a record never carries one.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

MemoryLocation = Path | str
"""A path (of a SQLite file), or a `postgresql://` URL as a string."""

MEMORY_ENV = "APYTEST_MEMORY"
"""The environment variable that names the memory when no option does: where CI keeps its
`postgresql://` secret (with the password, which is then never in a file or a command line)."""

SCHEMES = ("postgresql://", "postgres://")


def is_url(location: object) -> bool:
    """True for a PostgreSQL URL (`postgresql://` or `postgres://`), whatever the case."""
    return isinstance(location, str) and location.strip().lower().startswith(SCHEMES)


def from_environment() -> MemoryLocation | None:
    """The memory MEMORY_ENV names (a URL, or a path relative to the working directory);
    None when it is unset or empty."""
    value = os.environ.get(MEMORY_ENV, "").strip()
    if not value:
        return None
    return value if is_url(value) else Path(value).resolve()


def has_password(url: str) -> bool:
    """True when the URL carries a password (in its user part or as `password=`)."""
    parts = urlsplit(url.strip())
    query = dict(parse_qsl(parts.query))
    return parts.password is not None or "password" in query


def describe(location: MemoryLocation) -> str:
    """The memory as messages name it: a path as is; a URL as `postgresql://user@host:port/db`
    (the service name for a service-file entry), without password or other parameters."""
    if not is_url(location):
        return str(location)
    url = str(location).strip()
    try:
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        port = parts.port
    except ValueError:
        return "postgresql://(a URL that cannot be parsed)"
    host = unquote(parts.hostname or "") or query.get("host", "")
    port_text = str(port) if port else query.get("port", "")
    user = unquote(parts.username or "") or query.get("user", "")
    database = unquote(parts.path.lstrip("/")) or query.get("dbname", "")
    shown = "postgresql://" + (f"{user}@" if user else "") + host
    shown += f":{port_text}" if port_text else ""
    shown += f"/{database}" if database else ""
    if "service" in query:
        shown += f" (service {query['service']})"
    return shown


class PasswordInSetting(ValueError):
    """A URL with a password where it would be written down (a file, a command line)."""


def setting(root: Path, value: object, where: str) -> MemoryLocation | None:
    """A memory setting given in a file or on a command line (`where` names it): a URL as is,
    a path relative to `root`; empty: none. A URL there must not carry its password, which
    would sit in the repository or the shell history: PasswordInSetting says where it goes."""
    raw = str(value).strip()
    if not raw:
        return None
    if not is_url(raw):
        return root / raw
    if has_password(raw):
        raise PasswordInSetting(
            f"{where}: {describe(raw)}: the URL carries a password; give the whole URL in the "
            f"environment variable {MEMORY_ENV} (a CI secret), or the password in PGPASSWORD, "
            "~/.pgpass or a service file"
        )
    return raw
