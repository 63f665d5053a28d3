"""Fix for APT101: an optional library imported by a test module is imported with ``importorskip``.

``import x`` and ``import x as y`` become ``x = pytest.importorskip("x")`` /
``y = pytest.importorskip("x")`` in place: the same name is bound to the same module when the
library is installed, and the module's tests skip instead of erroring when it is not.

Skipped: ``from x import y`` (``y`` may be a submodule the package does not import),
``import a.b`` without ``as`` (it binds ``a``, not ``a.b``), several names in one ``import``
(the finding does not say which is optional), pytest and its own requirements (present
wherever the suite runs; never rewritten, whatever a finding says), and conftests and plugins,
where a skip at import time of a conftest pytest loads at startup stops the whole run instead
of skipping.
"""

from __future__ import annotations

import libcst as cst

from apytest.rules.api import Finding
from apytest.rules.fix_api import Edit, Fix, FixContext
from apytest.rules.support.cst_nodes import call, dotted
from apytest.rules.support.dependency_index import CHAIN_MESSAGE
from apytest.rules.support.distributions import RUNNER_DISTRIBUTIONS, candidate_distributions


def _bound_module(node: cst.Import) -> tuple[str, str] | None:
    """``(name bound, module imported)`` of a one-name import whose name is the module."""
    if len(node.names) != 1:
        return None
    alias = node.names[0]
    module = dotted(alias.name)
    if module is None:
        return None
    if alias.asname is not None:
        target = alias.asname.name
        return (target.value, module) if isinstance(target, cst.Name) else None
    return None if "." in module else (module, module)


class ImportOrSkip(Fix):
    """``import x`` / ``import x as y`` of an optional library becomes
    ``x = pytest.importorskip("x")`` / ``y = pytest.importorskip("x")`` in place, adding
    ``import pytest`` when missing."""

    code = "APT101"

    @classmethod
    def apply(cls, ctx: FixContext, finding: Finding) -> bool:
        if ctx.file.kind != "test" or finding.message.startswith(CHAIN_MESSAGE):
            return False  # a project module that needs an extra: guard it there, or by hand
        for node in ctx.covering(finding):
            bound = _bound_module(node) if isinstance(node, cst.Import) else None
            if bound is not None and not candidate_distributions(bound[1]) & RUNNER_DISTRIBUTIONS:
                ctx.require_import("pytest")
                ctx.edit(node, "importorskip", _importorskip(*bound))
                return True
        return False


def _importorskip(name: str, module: str) -> Edit:
    """``import module as name`` -> ``name = pytest.importorskip("module")``."""

    def edit(node: cst.CSTNode) -> cst.CSTNode:
        return cst.Assign(
            targets=[cst.AssignTarget(cst.Name(name))],
            value=call("pytest.importorskip", cst.SimpleString(f'"{module}"')),
            semicolon=getattr(node, "semicolon", cst.MaybeSentinel.DEFAULT),
        )

    return edit
