"""Which distribution an import name comes from, whether or not it is installed.

``importlib.metadata.packages_distributions()`` answers only for what happens to be installed
where the linter runs; a CI image without the optional extras would then see different findings
than a developer's machine. The table below covers the well-known cases where the import name and
the distribution name differ, so the answer is the same everywhere; the installed environment
fills in the rest, and the import name itself is the last guess.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence

from packaging.utils import canonicalize_name

KNOWN_DISTRIBUTIONS: Mapping[str, tuple[str, ...]] = {
    "_pytest": ("pytest",),
    "attr": ("attrs",),
    "bs4": ("beautifulsoup4",),
    "cairo": ("pycairo",),
    "crypto": ("pycryptodome",),
    "Crypto": ("pycryptodome", "pycrypto"),
    "Cryptodome": ("pycryptodomex",),
    "cv2": ("opencv-python", "opencv-python-headless", "opencv-contrib-python"),
    "dateutil": ("python-dateutil",),
    "dns": ("dnspython",),
    "docx": ("python-docx",),
    "dotenv": ("python-dotenv",),
    "fitz": ("pymupdf",),
    "gi": ("pygobject",),
    "git": ("gitpython",),
    "google.protobuf": ("protobuf",),
    "jose": ("python-jose",),
    "jwt": ("pyjwt",),
    "magic": ("python-magic",),
    "markdown_it": ("markdown-it-py",),
    "mpl_toolkits": ("matplotlib",),
    "MySQLdb": ("mysqlclient",),
    "OpenSSL": ("pyopenssl",),
    "pkg_resources": ("setuptools",),
    "pylab": ("matplotlib",),
    "PIL": ("pillow",),
    "psycopg2": ("psycopg2", "psycopg2-binary"),
    "py": ("py", "pytest"),
    "pytest_asyncio": ("pytest-asyncio",),
    "serial": ("pyserial",),
    "sklearn": ("scikit-learn",),
    "skimage": ("scikit-image",),
    "slugify": ("python-slugify",),
    "snappy": ("python-snappy",),
    "socks": ("pysocks",),
    "telegram": ("python-telegram-bot",),
    "usb": ("pyusb",),
    "win32api": ("pywin32",),
    "win32con": ("pywin32",),
    "xdist": ("pytest-xdist",),
    "yaml": ("pyyaml",),
    "zmq": ("pyzmq",),
}

REMOVED_STDLIB = frozenset(
    {
        "aifc",
        "asynchat",
        "asyncore",
        "audioop",
        "cgi",
        "cgitb",
        "chunk",
        "crypt",
        "distutils",
        "imghdr",
        "imp",
        "lib2to3",
        "mailcap",
        "msilib",
        "nis",
        "nntplib",
        "ossaudiodev",
        "pipes",
        "smtpd",
        "sndhdr",
        "spwd",
        "sunau",
        "telnetlib",
        "uu",
        "xdrlib",
    }
)
"""Standard modules removed by Python 3.12/3.13: still standard where a suite imports them."""

PYTHON2_STDLIB = frozenset(
    {
        "BaseHTTPServer",
        "ConfigParser",
        "Cookie",
        "HTMLParser",
        "Queue",
        "SimpleHTTPServer",
        "SocketServer",
        "StringIO",
        "__builtin__",
        "cPickle",
        "cStringIO",
        "cookielib",
        "httplib",
        "thread",
        "urllib2",
        "urlparse",
        "xmlrpclib",
    }
)
"""Python 2 names of standard modules, still imported by compatibility fallbacks."""

STDLIB = frozenset(sys.stdlib_module_names) | REMOVED_STDLIB | PYTHON2_STDLIB

_AFFIXES = ("python-", "py-", "py", "-python", "-py")


def is_stdlib(module: str) -> bool:
    return module.partition(".")[0] in STDLIB


def candidate_distributions(module: str, installed: Mapping[str, Iterable[str]]) -> frozenset[str]:
    """Canonical names of the distributions that may provide ``module`` (a dotted import).

    The longest dotted prefix in the shipped table wins over the top-level name (namespace
    packages such as ``google.protobuf``); the installed environment and the top-level import
    name itself are always candidates.
    """
    parts = module.split(".")
    top = parts[0]
    names: set[str] = {top}
    for end in range(len(parts), 0, -1):
        known = KNOWN_DISTRIBUTIONS.get(".".join(parts[:end]))
        if known:
            names.update(known)
            break
    names.update(installed.get(top, ()))
    return frozenset(canonicalize_name(name) for name in names)


def likely_distribution(module: str, installed: Mapping[str, Sequence[str]]) -> str:
    """The canonical name most likely to provide ``module``: the table, what is installed, or
    the import name itself, in that order (for messages)."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        known = KNOWN_DISTRIBUTIONS.get(".".join(parts[:end]))
        if known:
            return canonicalize_name(known[0])
    installed_names = installed.get(parts[0], ())
    return canonicalize_name(installed_names[0] if installed_names else parts[0])


def loosely_matches(import_name: str, distribution: str) -> bool:
    """Whether a distribution is named after the import with a usual affix (``python-magic``).

    Used only to avoid reporting an import as undeclared when a declared distribution plainly
    provides it but is not installed and not in the table.
    """
    target = canonicalize_name(import_name)
    for affix in _AFFIXES:
        if distribution.startswith(affix) and distribution[len(affix) :] == target:
            return True
        if distribution.endswith(affix) and distribution[: -len(affix)] == target:
            return True
    return False
