"""Tests that run on pyfakefs's file system in memory, where file changes touch no disk.

While pyfakefs is active, ``open``, ``os``, ``shutil`` and ``pathlib`` act on a fake file system
and ``os.chdir`` moves only its fake working directory: what such a test writes, deletes or
changes into is gone with the test. It is active in a test that requests its ``fs`` fixture
(or ``fs_class``/``fs_module``/``fs_session``), in a test class whose setup calls
``setUpPyfakefs()``/``setUpClassPyfakefs()`` (``fake_filesystem_unittest.TestCase``), under
``@patchfs`` and inside ``with Patcher():``. A fixture of the project's own that requests one
of these fixtures fakes the files of the tests that use it (the rules follow that themselves).
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Sequence

from apytest.rules.support.astutil import FunctionNode, dotted_name, inside_with_call, mentions_call

FAKE_FS_FIXTURES = frozenset({"fs", "fs_class", "fs_module", "fs_session"})
_SETUPS = ("setUpPyfakefs", "setUpClassPyfakefs")


def _decorated_patchfs(func: FunctionNode) -> bool:
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if (dotted_name(target) or "").rpartition(".")[2] == "patchfs":
            return True
    return False


def _sets_up_fake(cls: ast.ClassDef, module: ast.Module) -> bool:
    """Whether the class, or a base class defined in the same module, starts pyfakefs."""
    bases = {dotted_name(base) for base in cls.bases}
    classes = [cls] + [
        node for node in module.body if isinstance(node, ast.ClassDef) and node.name in bases
    ]
    return any(mentions_call(c, name) for c in classes for name in _SETUPS)


def fakes_files(
    owner: FunctionNode,
    cls: ast.ClassDef | None,
    requests: Collection[str],
    module: ast.Module,
    ancestors: Sequence[ast.AST] = (),
    node: ast.AST | None = None,
) -> bool:
    """Whether ``owner`` (a test or fixture, in ``cls`` if a method) runs on pyfakefs, given the
    fixtures it requests (``requests``: its parameters, ``usefixtures``, and fixtures of the
    file known to request pyfakefs's), or ``node`` lies in a ``with Patcher():``."""
    return (
        bool(FAKE_FS_FIXTURES.intersection(requests))
        or _decorated_patchfs(owner)
        or (cls is not None and _sets_up_fake(cls, module))
        or (node is not None and inside_with_call(ancestors, node, ("Patcher",)))
    )
