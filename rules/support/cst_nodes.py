"""Small questions and constructions of libcst nodes that several fixes share."""

from __future__ import annotations

import libcst as cst


def dotted(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def call(func: str, *args: cst.BaseExpression) -> cst.Call:
    """``func(args...)`` for a dotted ``func``."""
    return cst.Call(func=cst.parse_expression(func), args=[cst.Arg(arg) for arg in args])


def positional_args(node: cst.Call) -> list[cst.BaseExpression] | None:
    """The arguments of a call that passes only plain positional ones, else None."""
    if any(arg.keyword is not None or arg.star for arg in node.args):
        return None
    return [arg.value for arg in node.args]


def string_literal(node: cst.CSTNode) -> str | None:
    """The value of a plain (not f-, not bytes, not concatenated) string literal."""
    if not isinstance(node, cst.SimpleString):
        return None
    value = node.evaluated_value
    return value if isinstance(value, str) else None
