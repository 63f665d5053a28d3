"""pipenv's ``Pipfile``: ``[packages]`` is what ``pipenv install`` installs (the runtime),
``[dev-packages]`` what ``pipenv install --dev`` adds for development and tests (a test
section); any other category is a section ``pipfile:<category>`` that only
``--categories`` installs. Versions are PEP 440 specifiers already (``"*"`` is none).
"""

from __future__ import annotations

from collections.abc import Mapping

from apytest.lint.declarations.collector import Collector
from apytest.lint.declarations.toml_source import TomlSource

SECTIONS = {"packages": "dependencies", "dev-packages": "pipfile:dev-packages"}
NOT_CATEGORIES = frozenset({"source", "requires", "scripts", "pipenv"})


def read_pipfile(source: TomlSource, collector: Collector) -> bool:
    """Read every package category of a Pipfile; whether it declared any."""
    collector.mark_test(SECTIONS["dev-packages"])
    found = False
    for category, packages in source.data.items():
        if category in NOT_CATEGORIES or not isinstance(packages, Mapping):
            continue
        section = SECTIONS.get(category, f"pipfile:{category}")
        for name, spec in packages.items():
            found = True
            line, col = source.locator.find_key(name, category)
            if isinstance(spec, Mapping):
                if spec.get("path") in (".", "./"):
                    collector.include_extras(section, spec.get("extras", []))
                    continue
                version = spec.get("version", "")
                url = any(key in spec for key in ("git", "path", "file"))
            else:
                version, url = spec, False
            version = version if isinstance(version, str) and version != "*" else ""
            collector.record(
                name, f"{name} {version}".strip(), section, source.path, line, col, version, url
            )
    return found
