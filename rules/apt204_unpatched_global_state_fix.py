"""Fix for APT204: ``monkeypatch`` owns what a test changes in the process.

It only rewrites statements of a test function or function-scoped fixture (see
:mod:`apytest.rules.support.fixture_params`): there ``monkeypatch`` undoes the change once
per test, which is what the test meant; at module level or in a session fixture it would not.
"""

from __future__ import annotations

import libcst as cst

from apytest.rules.api import Finding
from apytest.rules.fix_api import Edit, Fix, FixContext
from apytest.rules.support.cst_nodes import call, dotted, positional_args
from apytest.rules.support.fixture_params import request_fixture


def _environ_key(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """``K`` of ``os.environ[K]``."""
    if not isinstance(node, cst.Subscript) or dotted(node.value) != "os.environ":
        return None
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    return node.slice[0].slice.value


def _monkeypatch_rewrite(node: cst.CSTNode) -> Edit | None:
    """How to say the global-state change ``node`` with ``monkeypatch``, if there is a way."""
    if isinstance(node, cst.Assign) and len(node.targets) == 1:
        if _environ_key(node.targets[0].target) is not None:
            return _setenv
    elif isinstance(node, cst.Del) and _environ_key(node.target) is not None:
        return _delenv
    elif isinstance(node, cst.Expr) and isinstance(node.value, cst.Call):
        args = positional_args(node.value)
        name = dotted(node.value.func)
        if name == "os.chdir" and args is not None and len(args) == 1:
            return _chdir
        if name == "sys.path.insert" and args is not None and len(args) == 2:
            first = args[0]
            if isinstance(first, cst.Integer) and first.evaluated_value == 0:
                return _syspath_prepend
    return None


def _statement(node: cst.CSTNode, value: cst.Call) -> cst.Expr:
    semicolon = getattr(node, "semicolon", cst.MaybeSentinel.DEFAULT)
    return cst.Expr(value, semicolon=semicolon)


def _setenv(node: cst.CSTNode) -> cst.CSTNode:
    assert isinstance(node, cst.Assign)
    key = _environ_key(node.targets[0].target)
    assert key is not None
    return _statement(node, call("monkeypatch.setenv", key, node.value))


def _delenv(node: cst.CSTNode) -> cst.CSTNode:
    assert isinstance(node, cst.Del)
    key = _environ_key(node.target)
    assert key is not None
    return _statement(node, call("monkeypatch.delenv", key))


def _chdir(node: cst.CSTNode) -> cst.CSTNode:
    assert isinstance(node, cst.Expr)
    assert isinstance(node.value, cst.Call)
    return _statement(node, call("monkeypatch.chdir", node.value.args[0].value))


def _syspath_prepend(node: cst.CSTNode) -> cst.CSTNode:
    assert isinstance(node, cst.Expr)
    assert isinstance(node.value, cst.Call)
    return _statement(node, call("monkeypatch.syspath_prepend", node.value.args[1].value))


class MonkeypatchGlobalState(Fix):
    """``os.environ[K] = v``, ``del os.environ[K]``, ``os.chdir(p)``, ``sys.path.insert(0, p)``
    become ``monkeypatch.setenv`` / ``delenv`` / ``chdir`` / ``syspath_prepend``, adding the
    ``monkeypatch`` parameter."""

    code = "APT204"

    @classmethod
    def apply(cls, ctx: FixContext, finding: Finding) -> bool:
        for node in ctx.covering(finding):
            rewrite = _monkeypatch_rewrite(node)
            if rewrite is not None and request_fixture(ctx, node, "monkeypatch"):
                ctx.edit(node, "monkeypatch", rewrite)
                return True
        return False
