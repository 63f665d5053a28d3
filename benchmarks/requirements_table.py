"""Generate ``rules/support/requirements_table.json``: what the most downloaded distributions
of PyPI require, read from their published metadata.

The dependency rules (APT101, APT102, APT104) must know that a declared ``graphene-django``
installs ``graphene``, or a test importing ``graphene`` reads as importing a package nobody
declared. ``rules/support/distributions.py`` holds a table written by hand for the cases the
lint rounds met; every round still met distributions it did not hold (about half of each
round's false findings, ``benchmarks/truth.md``). This script reads, for each name in a list of
the most downloaded distributions, its newest release on PyPI: the JSON API's document
(``/pypi/NAME/json``) and, from the release's wheel (a pure one first), the file list and the
``METADATA``, read by HTTP ranges (two or three requests, not the whole wheel). It writes, per
distribution:

- ``required``: what it requires on every supported CPython (3.10 to 3.14) on Linux, macOS and
  Windows: no environment marker, or markers that together hold in all of them (numpy under
  ``python_full_version < '3.13'`` and again under ``>= '3.13'``);
- ``sometimes``: what it requires only in some of those environments;
- ``extras`` (in ``requirements_table_extras.json``): what each extra adds everywhere;
- ``modules``: for each import name the wheels install under another name than their
  distribution's (``PIL``, ``google.protobuf``, ``acouchbase``), the distributions installing
  it, the one named after it first, else the most downloaded. A name more than three install, a
  generic one (``tests``), a standard one and a namespace others share are left out.

Only the newest release is read: that is what a fresh environment installs, the one pytest
judges the findings in (``benchmarks/truth.md``). An older release may require less (black
before 25.1 did not require pytokens); the hand-written rows of ``distributions.py``, which
hold for every release, come first. A distribution with no wheel is read from the JSON API's
``requires_dist``, and left out when that is null (no requirements, or metadata PyPI could not
read: unknown, as before).

    .venv/bin/python benchmarks/requirements_table.py --names NAMES.txt --cache /tmp/req
    .venv/bin/python benchmarks/requirements_table.py --names NAMES.txt --cache /tmp/req --offline

``NAMES.txt`` holds one distribution name per line, the most downloaded first (the list this
table was built from is named in its ``source`` field). ``--cache`` keeps what was read per
distribution, so that a rerun fetches only what failed, and ``--offline`` builds the table
without the network (the 15,000 take about 40 minutes with 24 threads). A regenerated table
changes what the lint's cached import facts say: bump ``lint/cache.py``'s ``FORMAT`` with it.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import email.parser
import io
import itertools
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from apytest.rules.support.distributions import NAMESPACE_PACKAGES, is_stdlib

OUTPUT = Path(__file__).resolve().parent.parent / "rules" / "support" / "requirements_table.json"
"""The table; its ``extras`` go beside it, in ``requirements_table_extras.json``."""
INDEX = "https://pypi.org/pypi"
PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14")
PLATFORMS = (("linux", "Linux", "posix"), ("darwin", "Darwin", "posix"), ("win32", "Windows", "nt"))
ENVIRONMENTS = tuple(
    {
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_version": f"{python}.0",
        "sys_platform": sys_platform,
        "platform_system": system,
        "os_name": os_name,
        "platform_machine": machine,
        "platform_release": "",
        "platform_version": "",
    }
    for python, (sys_platform, system, os_name), machine in itertools.product(
        PYTHONS, PLATFORMS, ("x86_64", "arm64")
    )
)
"""Where a requirement counts as required for certain: every supported CPython on the three
platforms CI runs on."""

Document = dict[str, Any]


def _get(url: str) -> Document | None:
    """The JSON document at ``url``; None when PyPI has none (404)."""
    for attempt in range(4):
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                document: Document = json.load(response)
                return document
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            if attempt == 3:
                raise
        except (urllib.error.URLError, TimeoutError):
            if attempt == 3:
                raise
    return None


class _RemoteFile(io.RawIOBase):
    """A file on an HTTP server read by ranges, in blocks: a wheel's central directory and its
    ``METADATA`` cost two or three requests, not the whole wheel."""

    BLOCK = 65536

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.position = 0
        self.size = 0
        self.blocks: dict[int, bytes] = {}
        self._ranged(0, 0)

    def _ranged(self, start: int, end: int) -> bytes:
        request = urllib.request.Request(self.url, headers={"Range": f"bytes={start}-{end}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            total = response.headers.get("Content-Range", "").rpartition("/")[2]
            if not total.isdigit():
                raise OSError(f"{self.url}: the server ignores ranges")
            self.size = int(total)
            data: bytes = response.read()
            return data

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = base + offset
        return self.position

    def readinto(self, buffer: Any) -> int:
        count = min(len(buffer), self.size - self.position)
        if count <= 0:
            return 0
        first, last = self.position // self.BLOCK, (self.position + count - 1) // self.BLOCK
        missing = [i for i in range(first, last + 1) if i not in self.blocks]
        if missing:
            low = missing[0] * self.BLOCK
            data = self._ranged(low, min(self.size, (missing[-1] + 1) * self.BLOCK) - 1)
            for i in range(missing[0], missing[-1] + 1):
                offset = (i - missing[0]) * self.BLOCK
                self.blocks[i] = data[offset : offset + self.BLOCK]
        joined = b"".join(self.blocks[i] for i in range(first, last + 1))
        start = self.position - first * self.BLOCK
        buffer[:count] = joined[start : start + count]
        self.position += count
        return count


def _top_level(names: Iterable[str]) -> list[str]:
    """The import names a wheel installs: its top-level modules and packages, and under a
    folder with no ``__init__.py`` (a namespace package: ``google/cloud/``) the ones inside."""
    files = [n for n in names if not n.endswith("/")]
    found: set[str] = set()

    def walk(prefix: tuple[str, ...], depth: int) -> None:
        below = [f.split("/") for f in files if tuple(f.split("/")[: len(prefix)]) == prefix]
        for parts in below:
            if len(parts) == len(prefix) + 1:
                module = parts[-1].partition(".")[0]
                if parts[-1].endswith((".py", ".so", ".pyd")) and module.isidentifier():
                    found.add(".".join((*prefix, module)))
        for folder in sorted({p[len(prefix)] for p in below if len(p) > len(prefix) + 1}):
            if not folder.isidentifier():
                continue  # x.dist-info, x.data
            inner = (*prefix, folder)
            if "/".join((*inner, "__init__.py")) in files or depth == 2:
                found.add(".".join(inner))
            else:
                walk(inner, depth + 1)

    walk((), 0)
    return sorted(found)


def _wheel(url: str) -> tuple[list[str], list[str]]:
    """(import names, ``Requires-Dist`` lines) of the wheel at ``url``, read by ranges."""
    with zipfile.ZipFile(io.BufferedReader(_RemoteFile(url), _RemoteFile.BLOCK)) as wheel:
        names = wheel.namelist()
        metadata = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
        text = wheel.read(metadata[0]).decode("utf-8", "replace") if metadata else ""
    message = email.parser.Parser().parsestr(text, headersonly=True)
    return _top_level(names), [str(line) for line in message.get_all("Requires-Dist") or []]


def fetch(name: str, cache: Path, index: str = INDEX) -> Document:
    """The cached summary of ``name``'s newest release, fetched when not cached yet: from its
    wheel when it has one (a pure one first), else from the JSON document's ``requires_dist``,
    which is null both for no requirements and for metadata PyPI could not read."""
    path = cache / f"{canonicalize_name(name)}.json"
    if path.exists():
        cached: Document = json.loads(path.read_text(encoding="utf-8"))
        return cached
    url = f"{index}/{name}/json"
    latest = _get(url)
    summary: Document = {"name": name, "missing": True}
    if latest is not None:
        summary = {"name": latest["info"]["name"], "version": latest["info"]["version"]}
        wheels = sorted(
            (f for f in latest["urls"] if f["packagetype"] == "bdist_wheel"),
            key=lambda f: (not f["filename"].endswith("-none-any.whl"), f["filename"]),
        )
        if wheels:
            wheel_url = urllib.parse.urljoin(url, wheels[0]["url"])
            for attempt in range(3):  # a dropped range read shows as a broken zip file
                try:
                    summary["modules"], summary["requires"] = _wheel(wheel_url)
                    break
                except (OSError, zipfile.BadZipFile):
                    if attempt == 2:
                        raise
        else:
            summary["requires"] = latest["info"].get("requires_dist")
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(summary), encoding="utf-8")
    temporary.replace(path)
    return summary


def _parsed(requires: Iterable[str]) -> list[Requirement]:
    found = []
    for line in requires:
        try:
            found.append(Requirement(line))
        except InvalidRequirement:
            continue
    return found


_EXTRA = re.compile(r"""\bextra\s*==\s*["']([^"']+)["']""")
"""An extra a marker selects (``extra == "socks"``)."""


def _truth(requirement: Requirement) -> tuple[list[bool], dict[str, list[bool]]]:
    """Whether ``requirement`` applies in each environment, with no extra selected and with
    each extra its marker names selected (any other extra gives the first answer)."""
    marker = requirement.marker
    if marker is None:
        return [True] * len(ENVIRONMENTS), {}
    base = [marker.evaluate({**env, "extra": ""}) for env in ENVIRONMENTS]
    named = {
        canonicalize_name(extra): [marker.evaluate({**env, "extra": extra}) for env in ENVIRONMENTS]
        for extra in set(_EXTRA.findall(str(marker)))
    }
    return base, named


def requirements(
    own: str, requires: Iterable[str]
) -> tuple[set[str], set[str], dict[str, set[str]]]:
    """(required in every environment, required in some only, extra -> what it adds in every
    environment), for the distribution ``own`` (never listed as its own requirement). An extra
    naming the distribution's own extras (``pkg[all]`` requiring ``pkg[cli,http]``) adds
    theirs too."""
    rows = [(r, *_truth(r)) for r in _parsed(requires)]
    extras = {e for _, _, named in rows for e in named}

    def applies(env: int, selected: frozenset[str]) -> set[str]:
        names: set[str] = set()
        for requirement, base, named in rows:
            if base[env] or any(named.get(e, base)[env] for e in selected if e in named):
                names.add(canonicalize_name(requirement.name))
        return names

    def closure(extra: str) -> frozenset[str]:
        selected = {extra}
        while True:
            more = {
                canonicalize_name(e)
                for requirement, base, named in rows
                if canonicalize_name(requirement.name) == own
                and any(named.get(x, base)[0] for x in selected if x in named)
                for e in requirement.extras
            } - selected
            if not more:
                return frozenset(selected)
            selected |= more

    per_env = [applies(env, frozenset()) - {own} for env in range(len(ENVIRONMENTS))]
    always = set.intersection(*per_env)
    some = set.union(*per_env) - always
    added: dict[str, set[str]] = {}
    for extra in extras:
        selected = closure(extra)
        with_extra = [applies(env, selected) - {own} for env in range(len(ENVIRONMENTS))]
        certain = set.intersection(*with_extra) - always
        if certain:
            added[extra] = certain
    return always, some, added


GENERIC = frozenset(
    {
        *("api", "app", "apps", "base", "bench", "benchmark", "benchmarks", "build", "cli"),
        *("client", "common", "config", "conftest", "constants", "core", "data", "demo"),
        *("demos", "doc", "docs", "errors", "example", "examples", "exceptions", "fixtures"),
        *("helpers", "lib", "main", "mocks", "models", "plugins", "sample", "samples"),
        *("scripts", "server", "settings", "setup", "shared", "src", "support", "test"),
        *("testing", "tests", "tools", "util", "utilities", "utils"),
    }
)
"""Top-level names that wheels ship by mistake or by habit (a ``tests`` package), and that
suites name their own helper modules (``helpers``, ``server``): no import of them is any one
distribution's."""

MAX_PROVIDERS = 3
"""A module more distributions of the list ship is a name too common to say anything."""


def _folded(providers: dict[str, list[str]]) -> dict[str, list[str]]:
    """``providers`` with the modules inside a namespace folder replaced by the folder when
    the same distributions ship all of them (``google.api``, not its 40 ``*_pb2`` modules);
    a folder other distributions ship into too (``google.cloud``) stays unfolded."""
    while True:
        children: dict[str, list[str]] = {}
        for module in providers:
            if "." in module:
                children.setdefault(module.rpartition(".")[0], []).append(module)
        folds = {
            parent: providers[inner[0]]
            for parent, inner in children.items()
            if parent not in providers
            and "." in parent
            and all(
                providers[m] == providers[inner[0]] for m in providers if m.startswith(parent + ".")
            )
        }
        if not folds:
            return providers
        providers = {
            m: names
            for m, names in providers.items()
            if not any(m.startswith(parent + ".") for parent in folds)
        } | folds


def _letters(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())


def _related(module: str, distribution: str) -> bool:
    """Whether a module's name and a distribution's share four letters in a row, or one holds
    the other (``acouchbase`` and couchbase, ``zmq`` and pyzmq): a wheel's top-level module
    named unlike its distribution (clawmetry's ``helpers``, gitingest's ``server``) is more
    likely a helper it ships by mistake than what an import of that name means."""
    ours, theirs = _letters(module), _letters(distribution)
    if ours in theirs or theirs in ours:
        return True
    return any(ours[i : i + 4] in theirs for i in range(len(ours) - 3))


def _namespaces(providers: dict[str, list[str]], mapped: dict[str, str]) -> dict[str, str]:
    """Each namespace several distributions ship into (``opentelemetry``: opentelemetry-api,
    opentelemetry-sdk, ...), with all of them: ``from opentelemetry import trace`` imports the
    namespace, which any one of them provides."""
    found: dict[str, list[str]] = {}
    for module, names in providers.items():
        parts = module.split(".")
        for end in range(1, len(parts)):
            found.setdefault(".".join(parts[:end]), []).extend(names)
    return {
        namespace: " ".join(dict.fromkeys(providers.get(namespace, []) + names))
        for namespace, names in sorted(found.items())
        if namespace not in mapped and len(set(names)) > 1 and not is_stdlib(namespace)
    }


def _mapped(providers: dict[str, list[str]]) -> dict[str, str]:
    """The modules worth a row: not too common a name, no standard or generic one, none named
    after its only distribution (``candidate_distributions`` finds ``opentelemetry-sdk`` from
    ``opentelemetry.sdk`` itself) unless a shorter prefix has a row, which the lookup would
    find first; and no namespace other distributions ship into (``opentelemetry``, a package in
    one odd wheel and a namespace in the others)."""

    def shared(module: str) -> bool:
        own = set(providers[module])
        return any(
            not set(names) <= own
            for other, names in providers.items()
            if other.startswith(module + ".")
        )

    kept = {
        module: names
        for module, names in providers.items()
        if len(names) <= MAX_PROVIDERS
        and module.partition(".")[0] not in GENERIC
        and module not in NAMESPACE_PACKAGES
        and not is_stdlib(module)
        and not shared(module)
        and any(_related(module, name) for name in names)
    }

    def self_named(module: str) -> bool:
        if set(kept[module]) != {canonicalize_name(module.replace(".", "-"))}:
            return False
        parts = module.split(".")
        return not any(".".join(parts[:end]) in kept for end in range(1, len(parts)))

    return {module: " ".join(kept[module]) for module in sorted(kept) if not self_named(module)}


def _named_first(
    module: str, names: list[str], listed: Mapping[str, int], required: Mapping[str, str]
) -> list[str]:
    """A row's distributions, with the one named after the module first when the list holds
    it, its requirements are unknown (its newest release an sdist whose metadata PyPI could
    not read, so nothing says what it ships), and it is more downloaded than every wheel that
    ships the module: it is the original, and the wheel a fork or another project (ratelimit,
    not asgi-ratelimit; docopt, not docopt-ng). Where it is less downloaded the wheel's
    distribution stays first (scikit-learn, not the deprecated ``sklearn`` sdist; pyzmq, not
    ``zmq``). One whose wheel was read ships other modules (nvidia-cublas, not
    ``nvidia.cublas``)."""
    named = canonicalize_name(module.replace(".", "-"))
    place = listed.get(named)
    if named in required or place is None or any(listed.get(n, place) < place for n in names):
        return names
    return [named, *names]


def build(summaries: list[Document], source: str) -> Document:
    """The table, from the fetched summaries, the most downloaded first. A module's first
    provider is the one messages name and whose requirements a guard on it assures: the
    distribution named after it when there is one (the ``jupyter`` metapackage, not
    jupyter-core, which ships ``jupyter.py``), else the most downloaded (see also
    `_named_first`)."""
    listed: dict[str, int] = {}  # each distribution's place in the list
    required: dict[str, str] = {}
    sometimes: dict[str, str] = {}
    extras: dict[str, str] = {}
    providers: dict[str, list[str]] = {}
    for summary in summaries:
        if summary.get("missing"):
            continue
        name = canonicalize_name(summary["name"])
        listed.setdefault(name, len(listed))
        if summary.get("requires") is None:
            continue
        always, some, extra = requirements(name, summary["requires"])
        required[name] = " ".join(sorted(always))
        if some:
            sometimes[name] = " ".join(sorted(some))
        for key, added in extra.items():
            extras[f"{name}[{key}]"] = " ".join(sorted(added))
        if name.startswith("types-") or name.endswith("-stubs"):
            continue  # type stubs: nothing to import at run time
        for module in summary.get("modules", ()):
            providers.setdefault(module, []).append(name)
    for module, names in providers.items():
        named = canonicalize_name(module.replace(".", "-"))
        if named in required and named not in names:
            names.insert(0, named)  # jupyter, which installs jupyter-core's jupyter.py
    modules = {
        module: " ".join(_named_first(module, names.split(), listed, required))
        for module, names in _mapped(_folded(providers)).items()
    }
    namespaces = _namespaces(providers, modules)
    return {
        "generated_by": "benchmarks/requirements_table.py",
        "generated": datetime.date.today().isoformat(),
        "source": source,
        "pythons": list(PYTHONS),
        "required": dict(sorted(required.items())),
        "sometimes": dict(sorted(sometimes.items())),
        "extras": dict(sorted(extras.items())),
        "modules": modules,
        "namespaces": namespaces,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=Path, required=True, help="one distribution per line")
    parser.add_argument("--source", default="", help="where the list of names came from")
    parser.add_argument("--limit", type=int, default=15000, help="the first N names")
    parser.add_argument("--cache", type=Path, required=True, help="folder for the documents")
    parser.add_argument("--offline", action="store_true", help="build from the cache only")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--index", default=INDEX, help="a JSON API like PyPI's")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    names = [line.strip() for line in args.names.read_text(encoding="utf-8").splitlines()]
    names = [n for n in names if n and not n.startswith("#")][: args.limit]
    args.cache.mkdir(parents=True, exist_ok=True)
    if not args.offline:
        with concurrent.futures.ThreadPoolExecutor(args.threads) as pool:
            futures = {pool.submit(fetch, n, args.cache, args.index): n for n in names}
            for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
                try:
                    future.result()
                except Exception as error:  # one name's failure is reported, the others go on
                    print(f"{futures[future]}: {error}", file=sys.stderr)
                if done % 500 == 0:
                    print(f"{done}/{len(names)}", file=sys.stderr, flush=True)
    paths = [args.cache / f"{canonicalize_name(name)}.json" for name in names]
    summaries = [json.loads(p.read_text(encoding="utf-8")) for p in paths if p.exists()]
    table = build(summaries, args.source)
    extras = {"extras": table.pop("extras")}
    args.output.write_text(json.dumps(table, indent=0) + "\n", encoding="utf-8")
    extras_path = args.output.with_name(args.output.stem + "_extras.json")
    extras_path.write_text(json.dumps(extras, indent=0) + "\n", encoding="utf-8")
    print(
        f"{len(table['required'])} distributions, {len(extras['extras'])} extras,"
        f" {len(table['modules'])} modules -> {args.output}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
