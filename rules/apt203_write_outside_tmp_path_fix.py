"""Fix for APT203: a file the test creates moves under ``tmp_path``.

It only rewrites statements of a test function or function-scoped fixture (see
:mod:`apytest.rules.support.fixture_params`): there ``tmp_path`` owns the file once per
test, which is what the test meant.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from apytest.rules.api import Finding
from apytest.rules.fix_api import Edit, Fix, FixContext
from apytest.rules.support.cst_nodes import dotted, string_literal
from apytest.rules.support.fixture_params import request_fixture

PATH_ARGUMENTS: dict[str, tuple[int, ...]] = {
    **dict.fromkeys(("open", "io.open", "Path", "pathlib.Path", "os.path.join"), (0,)),
    **dict.fromkeys(("os.mkdir", "os.makedirs", "os.remove", "os.unlink", "os.rmdir"), (0,)),
    **dict.fromkeys(("os.path.exists", "os.path.isfile", "os.path.isdir", "shutil.rmtree"), (0,)),
    **dict.fromkeys(("os.rename", "os.replace", "shutil.move"), (0, 1)),
    **dict.fromkeys(("shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree"), (0, 1)),
}
"""Calls that take a path, and which positional arguments are paths."""

COPIES = frozenset(
    {"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move"}
)
"""Calls that create their second argument, even across file systems (``os.rename`` cannot)."""
CREATING_METHODS = frozenset({"write_text", "write_bytes", "touch", "mkdir"})
PATH_CLASSES = frozenset({"Path", "pathlib.Path"})


@dataclass(frozen=True)
class PathUse:
    """A string literal passed where a path goes; ``site`` is the call that uses the path."""

    literal: cst.SimpleString
    value: str
    call: cst.Call
    site: cst.CSTNode
    creates: bool


def _creates(
    ctx: FixContext, name: str, call_node: cst.Call, index: int
) -> tuple[bool, cst.CSTNode]:
    """Whether this use creates the file (so the test does not need it beforehand), and where."""
    if name in PATH_CLASSES:
        attribute = ctx.parents.get(call_node)
        method = ctx.parents.get(attribute) if isinstance(attribute, cst.Attribute) else None
        if isinstance(attribute, cst.Attribute) and isinstance(method, cst.Call):
            return attribute.attr.value in CREATING_METHODS, method
        return False, call_node
    if name in ("open", "io.open"):
        args = call_node.args
        mode = next((a.value for a in args if a.keyword and a.keyword.value == "mode"), None)
        mode = mode if mode is not None or len(args) < 2 else args[1].value
        text = string_literal(mode) if mode is not None else None
        return text is not None and bool(set(text) & set("wx")), call_node
    return name in ("os.mkdir", "os.makedirs") or (index == 1 and name in COPIES), call_node


def _path_uses(ctx: FixContext) -> Iterator[PathUse]:
    for node in ctx.nodes(cst.Call):
        name = dotted(node.func)
        positions = PATH_ARGUMENTS.get(name or "", ())
        for index, arg in enumerate(node.args):
            value = string_literal(arg.value)
            if index in positions and arg.keyword is None and not arg.star and value is not None:
                assert isinstance(arg.value, cst.SimpleString)
                assert name is not None
                creates, site = _creates(ctx, name, node, index)
                yield PathUse(arg.value, value, node, site, creates)


def _plain_name(value: str) -> bool:
    """A relative path of one component: ``tmp_path / value`` needs no folder to exist."""
    return bool(value.strip()) and value not in (".", "..") and not set(value) & set("/\\:~\0")


def _mentions(ctx: FixContext, value: str) -> int:
    """How many strings of the module mention ``value``, in any role."""
    strings = [string_literal(node) or "" for node in ctx.nodes(cst.SimpleString)]
    strings += [node.value for node in ctx.nodes(cst.FormattedStringText)]
    return sum(value in text for text in strings)


def _under_tmp_path(ctx: FixContext, use: PathUse) -> tuple[cst.CSTNode, Edit]:
    """``Path("x")`` becomes ``(tmp_path / "x")``; any other path argument ``tmp_path / "x"``."""
    if dotted(use.call.func) in PATH_CLASSES and len(use.call.args) == 1:
        parenthesize = isinstance(ctx.parents.get(use.call), cst.Attribute)
        return use.call, lambda node: _joined(_only_arg(node), parenthesize)
    return use.literal, lambda node: _joined(node, parenthesize=False)


def _only_arg(node: cst.CSTNode) -> cst.BaseExpression:
    assert isinstance(node, cst.Call)
    return node.args[0].value


def _joined(node: cst.CSTNode, parenthesize: bool) -> cst.BinaryOperation:
    assert isinstance(node, cst.BaseExpression)
    joined = cst.BinaryOperation(cst.Name("tmp_path"), cst.Divide(), node)
    return (
        joined.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        if parenthesize
        else joined
    )


class TmpPathForWrites(Fix):
    """A file a test creates under a relative literal name (``"out.txt"``) moves to
    ``tmp_path / "out.txt"``, adding the ``tmp_path`` parameter.

    Every use of the name in that function moves with it, so reading it back still works. The
    fix is skipped unless the function's first use of the name creates it, the name is one path
    component (``tmp_path`` has no sub-folders), and no other string in the module mentions it
    (a command line, another test, an assertion on ``os.listdir``), since those would still look
    in the working directory. Code that opens the name relative to the working directory
    from elsewhere (the code under test, a conftest) is beyond what a fix can see.
    """

    code = "APT203"

    @classmethod
    def apply(cls, ctx: FixContext, finding: Finding) -> bool:
        uses = list(_path_uses(ctx))
        names = {use.value for use in uses if use.creates and ctx.covers(use.site, finding)}
        if len(names) != 1:
            return False
        value = names.pop()
        site = next(u for u in uses if u.value == value and ctx.covers(u.site, finding))
        owner = ctx.scope_owner(site.literal)
        group = sorted(
            (u for u in uses if u.value == value and ctx.scope_owner(u.literal) is owner),
            key=lambda use: ctx.start(use.literal),
        )
        if not _plain_name(value) or not group[0].creates or _mentions(ctx, value) != len(group):
            return False
        if not request_fixture(ctx, group[0].literal, "tmp_path"):
            return False
        for use in group:
            node, edit = _under_tmp_path(ctx, use)
            ctx.edit(node, "tmp_path", edit)
        return True
