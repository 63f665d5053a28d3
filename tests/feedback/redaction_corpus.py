"""A corpus to measure redaction by: real secret formats, and look-alikes from test code.

Every secret is built from parts at import time, so that this file itself holds no string a
secret scanner (or a push protection) would take for a live credential. `SECRETS` are
`(name, text, secrets)`: after redaction none of `secrets` may remain in the text. `LOOK_ALIKES`
are `(name, text)`: redaction must leave each unchanged.
"""

# ruff: noqa: E501  (one secret per line reads better than wrapped concatenations)
from __future__ import annotations

import string

_ALNUM = string.ascii_letters + string.digits


def _random(length: int, alphabet: str = _ALNUM, seed: int = 7) -> str:
    """A deterministic, random-looking string (no `random` state shared with anything)."""
    value, out = seed, []
    for _ in range(length):
        value = (value * 1103515245 + 12345) % 2**31
        out.append(alphabet[value % len(alphabet)])
    return "".join(out)


_B64 = _ALNUM + "+/"
_HEX = "0123456789abcdef"
_AWS_ID = "AK" + "IA" + _random(16, string.ascii_uppercase + string.digits, 1)
_AWS_SECRET = _random(18, _ALNUM, 2) + "/" + _random(21, _B64, 3)
_GH = "gh" + "p_" + _random(36, _ALNUM, 4)
_JWT = (
    "ey"
    + "J"
    + _random(30, _ALNUM, 5)
    + ".ey"
    + "J"
    + _random(40, _ALNUM, 6)
    + "."
    + _random(43, _ALNUM + "-_", 8)
)
_KEY_BODY = "\n".join(_random(64, _B64, 9 + n) for n in range(4))


def _block(kind: str, end: bool = True) -> tuple[str, str]:
    begin = f"-----BEGIN {kind}-----"
    text = f"{begin}\n{_KEY_BODY}\n" + (f"-----END {kind}-----" if end else "")
    return text, _KEY_BODY.splitlines()[1]


SECRETS: list[tuple[str, str, tuple[str, ...]]] = [
    ("aws access key id", f"aws_access_key_id: {_AWS_ID}", (_AWS_ID,)),
    ("aws secret key, assigned", f"aws_secret_access_key = {_AWS_SECRET}", (_AWS_SECRET,)),
    ("aws secret key after a space", f"AWS_SECRET_ACCESS_KEY {_AWS_SECRET}", (_AWS_SECRET,)),
    ("aws key pair on one line", f"credentials {_AWS_ID} {_AWS_SECRET}", (_AWS_ID, _AWS_SECRET)),
    ("github classic token", f"git clone https://x:{_GH}@github.com/o/r.git", (_GH,)),
    ("github token in a message", f"HTTPError: 401 for token {_GH}", (_GH,)),
    (
        "github token shortened by pytest's repr",
        f"assert '{_GH[:12]}...{_GH[-12:]}' == expected",
        (_GH[:12], _GH[-12:]),
    ),
    (
        "github fine-grained token",
        "GITHUB_PAT="
        + "github"
        + "_pat_"
        + _random(22, _ALNUM, 11)
        + "_"
        + _random(59, _ALNUM, 12),
        ("_pat_" + _random(22, _ALNUM, 11),),
    ),
    (
        "github oauth token",
        "using " + "gh" + "o_" + _random(36, _ALNUM, 13),
        ("o_" + _random(36, _ALNUM, 13),),
    ),
    (
        "github app token",
        "token=" + "gh" + "s_" + _random(36, _ALNUM, 14),
        (_random(36, _ALNUM, 14),),
    ),
    (
        "gitlab personal token",
        "PRIVATE-TOKEN: " + "gl" + "pat-" + _random(20, _ALNUM, 15),
        (_random(20, _ALNUM, 15),),
    ),
    (
        "gitlab runner token",
        "runner " + "gl" + "rt-" + _random(20, _ALNUM, 16) + " registered",
        (_random(20, _ALNUM, 16),),
    ),
    (
        "npm token",
        "//registry.npmjs.org/:_authToken=" + "np" + "m_" + _random(36, _ALNUM, 17),
        (_random(36, _ALNUM, 17),),
    ),
    (
        "npm token in output",
        "npm ERR! using " + "np" + "m_" + _random(36, _ALNUM, 18),
        (_random(36, _ALNUM, 18),),
    ),
    (
        "pypi token",
        "password = " + "py" + "pi-AgEIcHlwaS5vcmc" + _random(60, _ALNUM + "-_", 19),
        (_random(60, _ALNUM + "-_", 19),),
    ),
    (
        "pypi token alone",
        "uploading with " + "py" + "pi-AgEIcHlwaS5vcmc" + _random(60, _ALNUM, 20),
        (_random(60, _ALNUM, 20),),
    ),
    (
        "stripe live secret key",
        "stripe.error.AuthenticationError: Invalid API Key provided: "
        + "sk"
        + "_live_"
        + _random(24, _ALNUM, 21),
        (_random(24, _ALNUM, 21),),
    ),
    (
        "stripe restricted key",
        "STRIPE=" + "rk" + "_live_" + _random(24, _ALNUM, 22),
        (_random(24, _ALNUM, 22),),
    ),
    (
        "stripe webhook secret",
        "signing secret " + "wh" + "sec_" + _random(32, _ALNUM, 23),
        (_random(32, _ALNUM, 23),),
    ),
    (
        "slack bot token",
        "slack: " + "xo" + "xb-" + "2" * 11 + "-" + "3" * 13 + "-" + _random(24, _ALNUM, 24),
        (_random(24, _ALNUM, 24),),
    ),
    (
        "slack webhook",
        "POST https://hooks.slack.com/services/T"
        + _random(8, string.ascii_uppercase, 25)
        + "/B"
        + _random(10, string.ascii_uppercase, 26)
        + "/"
        + _random(24, _ALNUM, 27)
        + " failed",
        (_random(24, _ALNUM, 27),),
    ),
    (
        "discord webhook",
        "webhook https://discord.com/api/webhooks/"
        + "1" * 18
        + "/"
        + _random(68, _ALNUM + "-_", 28),
        (_random(68, _ALNUM + "-_", 28),),
    ),
    ("jwt", f"Cookie: jwt={_JWT}", (_JWT.split(".")[2],)),
    ("jwt alone", f"decoded {_JWT} fine", (_JWT.split(".")[1],)),
    ("rsa private key", _block("RSA PRIVATE KEY")[0], (_block("RSA PRIVATE KEY")[1],)),
    ("openssh private key", _block("OPENSSH PRIVATE KEY")[0], (_block("OPENSSH PRIVATE KEY")[1],)),
    (
        "pgp private key block",
        _block("PGP PRIVATE KEY BLOCK")[0],
        (_block("PGP PRIVATE KEY BLOCK")[1],),
    ),
    ("pkcs8 private key, cut", _block("PRIVATE KEY", end=False)[0], (_block("PRIVATE KEY")[1],)),
    (
        "private key in json",
        '{"private_key": "-----BEGIN PRIVATE KEY-----\\n'
        + _KEY_BODY.replace("\n", "\\n")
        + '\\n-----END PRIVATE KEY-----\\n"}',
        (_KEY_BODY.splitlines()[2],),
    ),
    (
        "url password with a slash",
        "postgres://app:pa/ss" + _random(6, _ALNUM, 29) + "@db.internal:5432/app",
        ("pa/ss" + _random(6, _ALNUM, 29),),
    ),
    (
        "url password with an at",
        "https://bob:p@ss" + _random(6, _ALNUM, 30) + "@example.com/x",
        ("ss" + _random(6, _ALNUM, 30),),
    ),
    (
        "url with an empty user",
        "redis://:" + _random(16, _ALNUM, 31) + "@localhost:6379/0",
        (_random(16, _ALNUM, 31),),
    ),
    (
        "mongodb uri",
        "mongodb+srv://admin:" + _random(12, _ALNUM, 32) + "@cluster0.example.net/db",
        (_random(12, _ALNUM, 32),),
    ),
    (
        "sqlserver connection string",
        "Server=tcp:db.example.net;Database=app;User ID=app;Password="
        + _random(14, _ALNUM, 33)
        + "!;",
        (_random(14, _ALNUM, 33),),
    ),
    (
        "azure storage connection string",
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey="
        + _random(86, _B64, 34)
        + "==;EndpointSuffix=core.windows.net",
        (_random(86, _B64, 34),),
    ),
    (
        "authorization bearer",
        "Authorization: Bearer " + _random(40, _ALNUM + "-._~", 35),
        (_random(40, _ALNUM + "-._~", 35),),
    ),
    (
        "authorization basic",
        "authorization: Basic " + _random(28, _B64, 36) + "==",
        (_random(28, _B64, 36),),
    ),
    (
        "authorization token",
        "headers={'Authorization': 'Token " + _random(40, _HEX, 37) + "'}",
        (_random(40, _HEX, 37),),
    ),
    ("env password", "DATABASE_PASSWORD=" + _random(14, _ALNUM, 38), (_random(14, _ALNUM, 38),)),
    (
        "env quoted secret key",
        "SECRET_KEY='django-insecure-" + _random(40, _ALNUM, 39) + "'",
        (_random(40, _ALNUM, 39),),
    ),
    (
        "env export api key",
        'export OPENWEATHER_API_KEY="' + _random(32, _HEX, 40) + '"',
        (_random(32, _HEX, 40),),
    ),
    ("env token", "SENTRY_AUTH_TOKEN=" + _random(64, _HEX, 41), (_random(64, _HEX, 41),)),
    (
        "dash dash password",
        "mysql -u root --password " + _random(12, _ALNUM, 42) + " app",
        (_random(12, _ALNUM, 42),),
    ),
    (
        "dash dash password equals",
        "pg_dump --password=" + _random(12, _ALNUM, 43),
        (_random(12, _ALNUM, 43),),
    ),
    (
        "passwd word",
        "mysqladmin -u root passwd " + _random(10, _ALNUM, 44),
        (_random(10, _ALNUM, 44),),
    ),
    (
        "every word of a password",
        "password: correct horse battery staple",
        ("correct", "horse", "battery", "staple"),
    ),
    ("url-encoded token", "GET /login?next=%2Fhome&token%3D" + _GH + " 302", (_GH,)),
    ("url-encoded token after =", "redirect_uri=x%3D" + _GH, (_GH,)),
    (
        "google api key",
        "key=" + "AI" + "za" + _random(35, _ALNUM + "-_", 45),
        (_random(35, _ALNUM + "-_", 45),),
    ),
    (
        "openai key",
        "openai.AuthenticationError: Incorrect API key provided: "
        + "sk"
        + "-proj-"
        + _random(48, _ALNUM, 46),
        (_random(48, _ALNUM, 46),),
    ),
    (
        "anthropic key",
        "ANTHROPIC=" + "sk" + "-ant-api03-" + _random(80, _ALNUM + "-_", 47),
        (_random(80, _ALNUM + "-_", 47),),
    ),
    (
        "sendgrid key",
        "using " + "SG" + "." + _random(22, _ALNUM, 48) + "." + _random(43, _ALNUM, 49),
        (_random(43, _ALNUM, 49),),
    ),
    (
        "hugging face token",
        "HF: " + "h" + "f_" + _random(34, _ALNUM, 50),
        (_random(34, _ALNUM, 50),),
    ),
    (
        "shopify token",
        "X-Shopify-Access-Token: " + "shp" + "at_" + _random(32, _HEX, 51),
        (_random(32, _HEX, 51),),
    ),
    (
        "digitalocean token",
        "token " + "dop" + "_v1_" + _random(64, _HEX, 52),
        (_random(64, _HEX, 52),),
    ),
    (
        "telegram bot token",
        "https://api.telegram.org/bot"
        + "123456789:AA"
        + _random(33, _ALNUM + "-_", 53)
        + "/sendMessage",
        (_random(33, _ALNUM + "-_", 53),),
    ),
    (
        "docker config auth",
        '{"auths": {"registry.example.com": {"auth": "' + _random(40, _B64, 54) + '="}}}',
        (_random(40, _B64, 54),),
    ),
    (
        "cookie session id",
        "Cookie: sessionid=" + _random(32, _ALNUM, 55) + "; csrftoken=" + _random(32, _ALNUM, 56),
        (_random(32, _ALNUM, 55), _random(32, _ALNUM, 56)),
    ),
    (
        "netrc line",
        "machine api.example.com login bot password " + _random(16, _ALNUM, 57),
        (_random(16, _ALNUM, 57),),
    ),
    (
        "python keyword argument",
        "connect(host='db', password='" + _random(12, _ALNUM, 58) + "')",
        (_random(12, _ALNUM, 58),),
    ),
    ("api key header", "X-Api-Key: " + _random(32, _ALNUM, 59), (_random(32, _ALNUM, 59),)),
    (
        "age secret key",
        "AGE-SECRET-KEY-1" + _random(58, string.ascii_uppercase + string.digits, 60),
        (_random(58, string.ascii_uppercase + string.digits, 60),),
    ),
    (
        "client secret in yaml",
        "client_secret: " + _random(40, _ALNUM, 61),
        (_random(40, _ALNUM, 61),),
    ),
]

LOOK_ALIKES: list[tuple[str, str]] = [
    ("environ read of a token", 'token = os.environ["GITHUB_TOKEN"]'),
    ("environ get of a password", 'password = os.environ.get("DB_PASSWORD", "")'),
    ("getenv of a secret", 'secret = os.getenv("APP_SECRET")'),
    ("author", 'author = "Jane Doe"'),
    ("authors list", 'authors = ["Jane Doe", "John Smith"]'),
    ("tokenizer name", "tokenizer: bert-base-uncased"),
    ("tokenizer call", 'tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")'),
    ("tokens count", "tokens: 512"),
    ("max tokens", "max_tokens=4096"),
    ("sha1 in test data", 'expected_sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"'),
    (
        "sha256 in test data",
        'digest == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"',
    ),
    ("md5 of a fixture", "md5sum: d41d8cd98f00b204e9800998ecf8427e"),
    ("git commit", "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 (HEAD -> main)"),
    ("uuid", 'request_id = "123e4567-e89b-12d3-a456-426614174000"'),
    ("uuid in a node id", "tests/test_api.py::test_get[123e4567-e89b-12d3-a456-426614174000]"),
    ("variable named token", "assert token is not None"),
    ("function with key in its name", "def test_api_key_is_rotated(api_key_factory):"),
    ("dict key lookup", "value = cache[key]"),
    ("keyword key=", "sorted(items, key=lambda item: item.name)"),
    ("primary key", "primary_key = True"),
    ("key error", "KeyError: 'API_TOKEN'"),
    ("password field", 'password_field = form.fields["password"]'),
    ("password placeholder None", "password=None"),
    ("password from attribute", "client.login(username=user.name, password=user.password)"),
    ("password = password", "connect(host=host, password=password)"),
    ("password reset message", "password reset email sent to jane@example.com"),
    ("english about tokens", "the token was refused by the server"),
    ("secret module", "import secrets"),
    ("token_hex call", "nonce = secrets.token_hex(16)"),
    ("auth tuple", 'auth = ("user", getpass.getpass())'),
    ("authorization header name", 'headers = {"Authorization": auth_header}'),
    ("bearer without a token", "expected a Bearer token in the Authorization header"),
    ("url without credentials", "GET https://api.example.com/v1/items?page=2 200"),
    ("url with a port", "http://localhost:8080/metrics"),
    ("url with an email in the query", "https://example.com/invite?email=jane@example.com"),
    ("email address", "From: Jane Doe <jane.doe@example.com>"),
    (
        "ssh public key",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl jane@laptop",
    ),
    ("base64 test data", 'payload = base64.b64decode("SGVsbG8sIFdvcmxkIQ==")'),
    ("semantic version", "requests==2.31.0"),
    (
        "pytest summary",
        "FAILED tests/test_auth.py::test_token_refresh - AssertionError: assert 401 == 200",
    ),
    ("secret_key setting name", "SECRET_KEY_FALLBACKS = []"),
    ("key length", "key_length: 2048"),
    ("tokenize module", "import tokenize"),
    ("parametrize ids", '@pytest.mark.parametrize("token", ["", "abc"], ids=["empty", "short"])'),
    ("hash of a file", "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
    ("apytest redacted already", "password=[REDACTED]"),
]
