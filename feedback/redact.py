"""Redaction of secrets before any text is stored, archived, logged or sent.

Failure messages, tracebacks, captured output and even node ids are where secrets leak: a test
prints its environment, an HTTP error echoes an `Authorization` header, a connection string
carries a password, a token is a `parametrize` value. The memory, the run log and the archive
outlive the run and are handed to reviewers, so every text is redacted on the way in, before
it is cut to size (a cut could split a secret so that no pattern sees it any more).

What counts as a secret is measured, not guessed: `benchmarks/redaction.py` runs this module
(and detect-secrets, for comparison) over a corpus of real secret formats and of look-alikes
from ordinary test code (`tests/feedback/redaction_corpus.py`) and prints both rates. The
rules, in order:

1. private key blocks (PEM, OpenSSH, PGP), also cut ones and ones inside JSON strings;
2. token formats that name themselves (`ghp_`, `glpat-`, `npm_`, `pypi-`, `sk_live_`, `xoxb-`,
   `AKIA`, JWTs, ...), also inside URL-encoded text (`%3Dghp_...`), and chat webhooks;
3. the password of a URL (`scheme://user:password@host`: the password may hold `/` or `@`,
   the user may be empty);
4. `Authorization` schemes (`Bearer`, `Basic`, `Token`, `Digest`) with a credential-like value;
5. command-line secrets (`--password X`, `--token=X`, `passwd X`, `password X` with a digit
   or symbol in X);
6. `name = value` and `name: value` where the name's last word is secret-like (password,
   secret, token, api key, access key, cookie, session id, ...): the value unless it is code
   (`os.environ["X"]`, `user.password`, `None`, a placeholder); after a colon, every word to
   the end of the line. Names ending in `key` or `auth` alone redact only random-looking values;
   `tokenizer`, `author`, `max_tokens` are not secret-like names at all;
7. a 40-character AWS secret access key after an access key id or holding `/` or `+`.

The patterns are strings: `re` compiles each on first use and caches it, so a session with
nothing to redact never pays for compiling them.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator, Sequence

from apytest.common.text import encodable

MARK = "[REDACTED]"

_END_NAME = r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
_PRIVATE_KEY = rf"(?s)-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----.*?(?:{_END_NAME}|\Z)"
# The tail of a key whose BEGIN line was cut away before the text reached us.
_KEY_TAIL = rf"(?m)(?:^[A-Za-z0-9+/=]{{40,}}\r?\n)+{_END_NAME}"

# At a word start, or right after a URL escape (`token%3Dghp_...`).
_START = r"(?:(?<![A-Za-z0-9_])|(?<=%[0-9A-Fa-f]{2}))"
_TOKENS = rf"""(?x){_START}(?:
        gh[pousr]_[A-Za-z0-9]{{20,}}              # GitHub
      | github_pat_[A-Za-z0-9_]{{20,}}
      | gl(?:pat|rt|dt|ptt|oas|soat)-[A-Za-z0-9_-]{{20,}}   # GitLab
      | GR1348941[A-Za-z0-9_-]{{20,}}
      | npm_[A-Za-z0-9]{{36}}                     # npm
      | pypi-[A-Za-z0-9_-]{{40,}}                 # PyPI
      | (?:sk|rk)_(?:live|test)_[A-Za-z0-9]{{16,}}  # Stripe
      | whsec_[A-Za-z0-9+/=]{{24,}}
      | xox[abposre]-[A-Za-z0-9-]{{10,}}          # Slack
      | xapp-[A-Za-z0-9-]{{10,}}
      | sk-(?:proj-|ant-(?:api|admin)\d\d-)?[A-Za-z0-9_-]{{20,}}  # OpenAI, Anthropic
      | (?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{{16}}  # AWS key ids
      | AIza[A-Za-z0-9_-]{{35}}                   # Google
      | SG\.[A-Za-z0-9_-]{{16,}}\.[A-Za-z0-9_-]{{16,}}  # SendGrid
      | hf_[A-Za-z0-9]{{30,}}                     # Hugging Face
      | shp(?:at|ss|ca|pa)_[a-fA-F0-9]{{32}}      # Shopify
      | do[opr]_v1_[a-f0-9]{{64}}                 # DigitalOcean
      | glsa_[A-Za-z0-9]{{32}}_[a-fA-F0-9]{{8}}   # Grafana
      | AGE-SECRET-KEY-1[0-9A-Z]{{58}}            # age
      | eyJ[A-Za-z0-9_-]{{8,}}\.eyJ[A-Za-z0-9_-]{{8,}}\.[A-Za-z0-9_-]{{8,}}  # JWTs
      | (?:gh[pousr]_|github_pat_|glpat-|npm_|pypi-|(?:sk|rk)_live_|xox[abposre]-|hf_)
        [A-Za-z0-9_-]{{4,}}\.\.\.[A-Za-z0-9_-]*   # a token pytest's repr shortened
    )
    | (?<![0-9])[0-9]{{8,10}}:AA[A-Za-z0-9_-]{{33}}    # Telegram bots (in /bot<token>/ URLs)
    """
_WEBHOOKS = r"""(?x)
    (https://hooks\.slack\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_-]+
  | (https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/webhooks/\d+/)[A-Za-z0-9_-]+
    """
# `scheme://[user]:password@host`: up to the last `@` of the URL, so that `/` and `@` may be
# in the password; a `?` or `#` before it means the `@` is in the query, not a password.
_URL_CREDENTIALS = r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@?#]*):([^\s?#]+)@(?=[^\s@/?#]+)"
_SCHEME = r"(?i)\b(bearer|basic|token|digest)(\s+)([A-Za-z0-9._~+/=-]{8,})"
_FLAG = (
    r"(?i)(?<![\w-])(--?(?:password|passwd|pass|pwd|token|secret|api-key|apikey|"
    r"access-token|auth-token)(?:=|\s+))(?!-)([^\s\"']+|\"[^\"]*\"|'[^']*')"
)
_WORD = r"(?i)\b(passwd\s+|password\s+(?=[^\s]*[\d_]|[^\s]*[^\w\s]))(?![-=:])([^\s\"']+)"
_NAME = (
    r"[A-Za-z0-9_.-]*(?:pass|pwd|secret|token|key|auth|credential|cookie|session)"
    r"[A-Za-z0-9_.-]*"
)
_KEY_VALUE = rf"""(?ix)
    (?<![A-Za-z0-9_.-])(?P<key>["']?(?P<name>{_NAME})["']?\s*(?P<sep>=|:|%3D)(?![=:])[ \t]*)
    (?P<value>\[REDACTED\]|"[^"\n]*"|'[^'\n]*'|[^\s"',;&)}}\]]+)
    """
_AWS_SECRET = r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"

# The last word(s) of a name that holds a secret; names ending in `key` or `auth` only hold
# one when the value looks random (a `primary_key`, a `sort key`, an `auth` tuple).
_STRONG = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "pass",
        "passphrase",
        "secret",
        "token",
        "credential",
        "credentials",
        "cookie",
        "sessionid",
        "apikey",
    }
)
_STRONG_PAIRS = frozenset(
    {
        "api key",
        "access key",
        "secret key",
        "private key",
        "account key",
        "auth key",
        "master key",
        "signing key",
        "encryption key",
        "session id",
        "client secret",
    }
)
_WEAK = frozenset({"key", "auth"})
_SEGMENTS = r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])"
_CODE = r"^(?:[A-Za-z_][\w.]*\s*[(\[]|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$)"
_PLACEHOLDER = r"(?i)^(?:none|null|nil|true|false|\*+|x+|<.*>|\$\{?\w+\}?|%\(\w+\)s|\{\w*\})$"


def _name_kind(name: str) -> str | None:
    """ "strong", "weak" or None: what the name of a value says about it."""
    words = [word.lower() for word in re.findall(_SEGMENTS, name)]
    if not words:
        return None
    last = words[-1]
    if last in _STRONG or " ".join(words[-2:]) in _STRONG_PAIRS:
        return "strong"
    if last.endswith(("password", "passwd", "token", "secret")) and not last.endswith("tokens"):
        return "strong"  # csrftoken, dbpassword
    return "weak" if last in _WEAK or last.endswith("key") else None


def _random_looking(value: str) -> bool:
    if len(value) < 16 or re.fullmatch(r"[0-9a-f]+|[0-9A-F]+", value):
        return False  # short, or a hash in test data
    classes = sum(bool(re.search(pattern, value)) for pattern in ("[a-z]", "[A-Z]", "[0-9]"))
    return classes >= 2 and " " not in value


def _is_code(value: str, name: str) -> bool:
    """A value that reads a secret rather than holding one (`os.environ[...]`, `user.pw`)."""
    bare = value.strip("\"'")
    return (
        not bare
        or MARK in value
        or bool(re.match(_PLACEHOLDER, bare))
        or (value == bare and (bool(re.match(_CODE, value)) or value.lower() == name.lower()))
    )


def _key_value(match: re.Match[str], found: list[str]) -> tuple[str, int]:
    """The replacement of one `name = value` / `name: value`, and where it ends; the value
    goes to `found` (see `redact_together`)."""
    name, value, sep = match.group("name"), match.group("value"), match.group("sep")
    kind = _name_kind(name)
    quoted = value[0] in "'\""
    inner = value[1:-1] if quoted else value
    if kind is None or _is_code(value, name) or (kind == "weak" and not _random_looking(inner)):
        return match.group(0), match.end()
    if sep == ":" and not quoted and kind == "strong":
        # After a colon (YAML, a header, a log line) every word to the end of the line is
        # the secret: `password: correct horse battery staple`.
        end = match.string.find("\n", match.end())
        end = len(match.string) if end < 0 else end
        _give_away(match.string[match.start("value") : end].strip(), found)
        return f"{match.group('key')}{MARK}", end
    _give_away(inner, found)
    quote = value[0] if quoted else ""
    return f"{match.group('key')}{quote}{MARK}{quote}", match.end()


# Shorter values ("1", "true") are too common to hunt for elsewhere in the text.
_REPEATED_VALUE = 6


def _give_away(value: str, found: list[str]) -> None:
    if len(value) >= _REPEATED_VALUE:
        found.append(value)


def _key_values(text: str, found: list[str]) -> str:
    parts: list[str] = []
    done = 0
    for match in re.finditer(_KEY_VALUE, text):
        if match.start() < done:
            continue
        replacement, end = _key_value(match, found)
        parts += [text[done : match.start()], replacement]
        done = end
    return "".join(parts) + text[done:]


def _scheme(match: re.Match[str]) -> str:
    value = match.group(3)
    # After `Bearer`, `Basic`, `Digest` any word of 8 is a credential; `token` is also English
    # ("token refreshed"), so its word must look like one.
    credential = (
        match.group(1).lower() != "token"
        or re.search(r"[\d+/=_-]", value)
        or value.lower() != value != value.upper()
    )
    return f"{match.group(1)}{match.group(2)}{MARK}" if credential else match.group(0)


def _aws_secret(match: re.Match[str]) -> str:
    value = match.group(0)
    if not (re.search("[a-z]", value) and re.search("[A-Z]", value) and re.search("[0-9]", value)):
        return value
    before = match.string[max(0, match.start() - 60) : match.start()]
    context = re.search(r"(?i)secret|AKIA|ASIA|REDACTED", before)
    return MARK if "/" in value or "+" in value or context else value


# What the one-line rules need to find, in two fast scans: names of secrets (a plain
# alternation of lower-case literals), and the starts of self-identifying tokens and URLs.
# Only the lines holding one are redacted: a run log of thousands of passing tests costs a
# lowering and two scans.
_NAMES = "passw|_pass|-pass|pwd|secret|token|key|auth|credential|cookie|session|bearer|basic|digest"
# Each token start at a word start (as in `_TOKENS`), written as its first character followed
# by the word-start check one character back: when every alternative begins with a literal
# character, `re` skips at C speed to the next position holding one of those characters, instead
# of trying the whole alternation at every position (four times faster on a run log).
_TOKEN_STARTS = (
    *("gh[pousr]_", "github_pat_", "gl[a-z]{1,4}-", "GR1348941", "npm_", "pypi-", "sk_", "rk_"),
    *("whsec_", "xox", "xapp-", "sk-", "A(?:KIA|SIA|GPA|IDA|ROA|NPA|NVA|IPA|Iza|GE-)", r"SG\."),
    *("hf_", "shp", "do[opr]_", "glsa_", "eyJ"),
)
_STARTS = "|".join(
    (
        *(f"{start[0]}(?<![A-Za-z0-9_].){start[1:]}" for start in _TOKEN_STARTS),
        "%[0-9A-Fa-f]{2}(?:gh|npm_|pypi-|eyJ|sk)",
        "://",
    )
)


def _hits(text: str) -> Iterator[int]:
    """Positions of everything a one-line rule could start from, in order."""
    low = text.lower()
    if len(low) != len(text):  # a few characters lower into two: positions differ
        if re.search(_NAMES, low) or re.search(_STARTS, text):
            yield 0
        return
    names = (match.start() for match in re.finditer(_NAMES, low))
    yield from heapq.merge(names, (match.start() for match in re.finditer(_STARTS, text)))


def _redact_lines(text: str, found: list[str]) -> str:
    """The rules that find their secret within one line."""
    text = re.sub(_TOKENS, MARK, text)
    text = re.sub(_WEBHOOKS, lambda m: f"{m.group(1) or m.group(2)}{MARK}", text)
    text = re.sub(_URL_CREDENTIALS, rf"\1:{MARK}@", text)
    text = re.sub(_SCHEME, _scheme, text)
    text = re.sub(_FLAG, lambda m: f"{m.group(1)}{MARK}", text)
    text = re.sub(_WORD, lambda m: f"{m.group(1)}{MARK}", text)
    text = _key_values(text, found)
    return re.sub(_AWS_SECRET, _aws_secret, text)


def redact(text: str) -> str:
    """`text` with every password, token, key and credential in it replaced by MARK."""
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


def redact_with_nodeids(
    texts: Sequence[str], nodeids: Sequence[str]
) -> tuple[list[str], list[str]]:
    """`texts` redacted together, and `nodeids` redacted as `redact_nodeid` does (only their
    parameters are read), a value given away in any of them masked in all of them.

    For a run log: its passing records hold nothing but a node id, and reading only the
    parameters of those keeps a green session's log from being scanned line by line.
    """
    found: list[str] = []
    redacted = [_redact(text, found) for text in texts]
    # Most node ids have no parameters: tested here, without a call each.
    ids = [nodeid if "[" not in nodeid else _redact_parameters(nodeid, found) for nodeid in nodeids]
    values = sorted(set(found), key=len, reverse=True)
    if not values:
        return redacted, ids
    return [_mask(text, values) for text in redacted], [_mask(nodeid, values) for nodeid in ids]


def _mask(text: str, values: list[str]) -> str:
    """The values a key gave away, masked wherever else they appear: pytest's assertion diff
    (`+ hunter2...`) and captured output repeat them without the key."""
    for value in values:
        text = text.replace(value, MARK)
    return text


def _redact(text: str, found: list[str]) -> str:
    if not text:
        return text
    text = encodable(text)  # what is redacted is stored or written next
    if "-----" in text:  # key blocks span lines: the only rules that read the whole text
        text = re.sub(_PRIVATE_KEY, MARK, text)
        text = re.sub(_KEY_TAIL, MARK, text)
    parts: list[str] = []
    done = 0
    for hit in _hits(text):
        if hit < done:
            continue
        start = text.rfind("\n", 0, hit) + 1
        end = text.find("\n", hit)
        end = len(text) if end < 0 else end
        parts += [text[done:start], _redact_lines(text[start:end], found)]
        done = end
    return "".join(parts) + text[done:] if parts else text


def redact_data(value: object) -> object:
    """JSON-like data with its strings redacted and the values of secret names masked."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {
            key: MARK if _name_kind(str(key)) == "strong" else redact_data(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_data(item) for item in value]
    return value


def redact_nodeid(nodeid: str) -> str:
    """A node id with its parameters redacted: only a `parametrize` value (`test_x[<token>]`)
    holds data; paths and names are code, made `encodable` only (a file name's undecodable
    byte). Node ids without parameters cost one `find` and one `isascii`."""
    return encodable(nodeid) if "[" not in nodeid else redact_with_nodeids((), (nodeid,))[1][0]


def _redact_parameters(nodeid: str, found: list[str]) -> str:
    start = nodeid.find("[")
    return nodeid if start < 0 else encodable(nodeid[:start]) + _redact(nodeid[start:], found)
