"""Redaction of secrets before anything reaches the corpus memory.

Failure messages and captured output are stored so that history can be analysed later, and
they are exactly where secrets leak: a test prints its environment, an HTTP error echoes an
`Authorization` header, a connection string carries a password. The memory outlives the run
and may be archived and handed to a reviewer, so every text is redacted on the way in.

The patterns err on the side of redacting: losing a token-like string from a message costs a
little readability, storing a live credential costs much more.
"""

from __future__ import annotations

import re

MARK = "[REDACTED]"
# The patterns are strings: `re` compiles each on first use and caches it, so a session with
# nothing to redact never pays for compiling them.

# `password=...`, `API_TOKEN: ...`, `"secret": "..."`: the value after a secret-sounding key.
_KEY = (
    r"(?:[A-Za-z0-9_.-]*(?:passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key|apikey|"
    r"access[_-]?key|private[_-]?key|credentials?|auth|session[_-]?id|cookie)[A-Za-z0-9_.-]*)"
)
_KEY_VALUE = rf"""(?ix)
    (?P<key>["']?{_KEY}["']?\s*(?:=|:)(?![=:])\s*)
    (?P<value>"[^"\n]*"|'[^'\n]*'|[^\s"',;&)}}\]]+)
    """
# `Authorization: Bearer abc`, `Basic dXNlcjpwYXNz`.
_SCHEME = r"(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}"
# `https://user:password@host`.
_URL_CREDENTIALS = r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@]+):[^\s@/]+@"
# Token formats that identify themselves, so they are found even without a key.
_TOKENS = r"""(?x)
    \b(?:
        gh[pousr]_[A-Za-z0-9]{20,}            # GitHub tokens
      | github_pat_[A-Za-z0-9_]{20,}
      | glpat-[A-Za-z0-9_-]{20,}              # GitLab
      | xox[abpors]-[A-Za-z0-9-]{10,}         # Slack
      | sk-[A-Za-z0-9_-]{20,}                 # OpenAI-style secret keys
      | (?:AKIA|ASIA)[A-Z0-9]{16}             # AWS access key ids
      | AIza[A-Za-z0-9_-]{35}                 # Google API keys
      | eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}  # JWTs
      | pypi-[A-Za-z0-9_-]{40,}
    )
    """
_PRIVATE_KEY = r"(?s)-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)"


def redact(text: str) -> str:
    """`text` with every value that looks like a password, token or key replaced by MARK."""
    return redact_together(text)[0]


def redact_together(*texts: str) -> list[str]:
    """Each text redacted, and a value a key gave away in one of them masked in all of them.

    A failure's message (`assert 'hunter2' == 'x'`), traceback (`password = "hunter2"`) and
    output belong together: only the traceback says that the string is a password.
    """
    found: list[str] = []
    redacted = [_redact(text, found) for text in texts]
    # Longest first, so a value containing another is masked whole.
    values = sorted(set(found), key=len, reverse=True)
    return [_mask(text, values) for text in redacted]


def _redact(text: str, found: list[str]) -> str:
    if not text:
        return text
    text = re.sub(_PRIVATE_KEY, MARK, text)
    text = re.sub(_URL_CREDENTIALS, rf"\1:{MARK}@", text)
    text = re.sub(_SCHEME, lambda m: f"{m.group(1)} {MARK}", text)
    text = re.sub(_TOKENS, MARK, text)
    return re.sub(_KEY_VALUE, lambda match: _keep_key(match, found), text)


def _mask(text: str, values: list[str]) -> str:
    """The values a key gave away, masked wherever else they appear: pytest's assertion diff
    (`+ hunter2...`) and captured output repeat them without the key."""
    for value in values:
        text = text.replace(value, MARK)
    return text


_SECRET_KEY = rf"(?i)^{_KEY}$"


def redact_data(value: object) -> object:
    """JSON-like data with its strings redacted and the values of secret-sounding keys masked."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {
            key: MARK if re.match(_SECRET_KEY, str(key)) else redact_data(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_data(item) for item in value]
    return value


# Shorter values ("1", "true") are too common to hunt for elsewhere in the text.
_REPEATED_VALUE = 6


def _keep_key(match: re.Match[str], found: list[str]) -> str:
    value = match.group("value")
    if MARK[:-1] in value:  # already masked (the value pattern stops before its "]")
        return match.group(0)
    quote = value[0] if value[0] in "'\"" else ""
    bare = value.strip("'\"")
    if len(bare) >= _REPEATED_VALUE:
        found.append(bare)
    return f"{match.group('key')}{quote}{MARK}{quote}"
