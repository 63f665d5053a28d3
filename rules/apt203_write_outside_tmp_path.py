"""APT203: a test writes, creates or deletes files outside its temporary folder.

The rule decides at the end of the file, and for relative writes over the whole suite: whether
a relative write is harmless depends on a ``monkeypatch.chdir`` that may come later in the test,
in an autouse fixture, or in a fixture of a conftest that the test requests.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from apytest.rules.api import (
    CwdFixtureFact,
    Example,
    FileContext,
    FileRule,
    Finding,
    ProjectContext,
    ProjectRule,
    RelativeWriteFact,
    SourceFile,
)
from apytest.rules.support.astutil import (
    CHDIR_FIXTURES,
    FunctionNode,
    base_origins,
    called_name,
    enclosing_class,
    fixture_decl,
    key_identifiers,
    parameter_names,
    requested_fixtures,
    string_value,
)
from apytest.rules.support.paths import Origin, PathFlow

OPEN_FUNCTIONS = frozenset({"open", "io.open", "codecs.open", "builtins.open"})
OS_WRITES = {
    "os.makedirs": 1,
    "os.mkdir": 1,
    "os.remove": 1,
    "os.unlink": 1,
    "os.rmdir": 1,
    "os.removedirs": 1,
    "os.truncate": 1,
    "os.mkfifo": 1,
    "os.rename": 2,
    "os.renames": 2,
    "os.replace": 2,
    "os.symlink": 2,
    "os.link": 2,
    "shutil.rmtree": 1,
    "shutil.move": 2,
}
"""Calls that create, change or delete the files named by their first ``n`` arguments."""
SHUTIL_COPIES = frozenset({"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree"})
PATH_WRITE_METHODS = frozenset(
    {
        "write_text",
        "write_bytes",
        "touch",
        "mkdir",
        "unlink",
        "rmdir",
        "rename",
        "replace",
        "symlink_to",
        "hardlink_to",
    }
)
WRITE_CALL_NAMES = PATH_WRITE_METHODS | {
    name.rpartition(".")[2] for name in (*OPEN_FUNCTIONS, *OS_WRITES, *SHUTIL_COPIES)
}
"""The last parts of the names of the calls ``write_targets`` knows (``open`` is also
``os.open`` and a path's ``.open()``)."""
TMP_ENTRY_NAMES = frozenset({"chdir", "as_cwd", "isolated_filesystem"})
"""Calls that move the working directory: ``chdir``, py.path's ``as_cwd`` and click's
``CliRunner.isolated_filesystem``."""
CWD_HELPER = re.compile(r"^(cd|pushd)$|chdir|change_?dir|cwd|working_?dir|work_?dir", re.I)
"""Names of a project's own helpers that move into a folder (``with change_dir(tmp):``,
``with cd(tmp):``), given the folder first, or into a new temporary one when the name says so
(`TEMPORARY`: ``with TemporaryWorkingDirectory():``)."""
TEMPORARY = re.compile(r"te?mp", re.I)
OS_WRITE_FLAGS = frozenset({"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"})


def _writes_mode(call: ast.Call, position: int) -> bool:
    mode = call.args[position] if len(call.args) > position else None
    for keyword in call.keywords:
        if keyword.arg == "mode":
            mode = keyword.value
    text = string_value(mode)
    return text is not None and any(c in text for c in "wax+")


def write_targets(call: ast.Call, callee: str) -> tuple[str, list[ast.expr], bool] | None:
    """``(operation, path expressions, needs a path object)`` when ``call`` (of ``callee``)
    writes files."""
    if callee in OPEN_FUNCTIONS and call.args and _writes_mode(call, 1):
        return "open() for writing", call.args[:1], False
    if callee == "os.open" and len(call.args) > 1:
        flags = {n.attr for n in ast.walk(call.args[1]) if isinstance(n, ast.Attribute)}
        return ("os.open() for writing", call.args[:1], False) if flags & OS_WRITE_FLAGS else None
    if callee in OS_WRITES:
        return f"{callee}()", call.args[: OS_WRITES[callee]], False
    if callee in SHUTIL_COPIES:
        return f"{callee}()", call.args[1:2], False
    if isinstance(call.func, ast.Attribute):
        method = call.func.attr
        if method in PATH_WRITE_METHODS or (method == "open" and _writes_mode(call, 0)):
            return f".{method}()", [call.func.value], True
    return None


def _moves(name: str | None) -> bool:
    """Whether a call (or fixture) of this name moves the working directory."""
    return name is not None and CWD_HELPER.search(name) is not None


def _defined_over(ctx: ProjectContext, file: SourceFile, names: frozenset[str]) -> set[str]:
    """Which of ``names`` a fixture of ``file`` itself, or of a conftest or plugin over it,
    defines: such a fixture shadows pytest's of the same name."""
    return {
        fixture.name
        for where, facts in ctx.files
        if where == file or where.covers(file.path)
        for fixture in facts.fixtures
        if fixture.name in names
    }


@dataclass(frozen=True)
class _PendingWrite:
    node: ast.Call
    message: str
    relative: bool
    owner: FunctionNode
    cls: ast.ClassDef | None


class WriteOutsideTmpPath(FileRule, ProjectRule):
    """A test or fixture writes, creates, renames or deletes files outside its temporary folder.

    Only paths traced to a literal, the working directory, ``__file__`` or the home folder are
    reported; reading is never reported.

    ## Why is this bad?
    Files a test leaves in the checkout make the next run (or the next test, or another xdist
    worker) start from a different state: tests pass alone and fail together, and ``git status``
    is dirty after CI.

    ## Use instead
    Build paths from ``tmp_path`` (``tmp_path_factory`` for wider scopes, ``tmpdir``,
    ``tempfile``), or ``monkeypatch.chdir(tmp_path)`` before using relative paths; ``pytester``
    tests already run in their own folder.
    """

    code = "APT203"
    fixable = True
    name = "write-outside-tmp-path"
    lesson = "tmp-path-isolation"
    summary = "a test writes or deletes files at a path not derived from tmp_path"
    triggers = key_identifiers(
        {*OPEN_FUNCTIONS, *OS_WRITES, *SHUTIL_COPIES, *PATH_WRITE_METHODS, *TMP_ENTRY_NAMES}
    )
    """``open`` also stands for ``os.open`` and the ``.open()`` of a path; a conftest that only
    moves the working directory is read too, for the fixtures it offers."""
    VALID = (
        Example(
            """
            def test_save(tmp_path):
                out = tmp_path / 'out.txt'
                out.write_text('x')
                with open(out, 'w') as f:
                    f.write('y')
            """
        ),
        Example(
            """
            import pytest

            @pytest.fixture(autouse=True)
            def in_tmp(monkeypatch, tmp_path):
                monkeypatch.chdir(tmp_path)

            def test_save():
                with open('out.txt', 'w') as f:
                    f.write('x')
            """
        ),
        Example(
            """
            from pathlib import Path

            DATA = Path(__file__).parent / 'data'

            def test_read():
                assert (DATA / 'a.txt').read_text()
                with open(DATA / 'b.txt') as f:
                    f.read()
            """
        ),
        Example(
            """
            import os, shutil, tempfile

            def test_tmp():
                d = tempfile.mkdtemp()
                os.makedirs(os.path.join(d, 'x'))
                shutil.rmtree(d)
            """
        ),
        Example(
            """
            from click.testing import CliRunner

            def test_cli():
                runner = CliRunner()
                with runner.isolated_filesystem():
                    with open('hello.txt', 'w') as f:
                        f.write('Hello')
            """
        ),
    )
    INVALID = (
        Example(
            """
            def test_save():
                with open('out.txt', 'w') as f:
                    f.write('x')
            """,
            line=2,
        ),
        Example(
            """
            from pathlib import Path

            HERE = Path(__file__).parent

            def test_snapshot():
                (HERE / 'snapshot.json').write_text('{}')
            """,
            line=6,
        ),
        Example(
            """
            import os
            import pytest

            @pytest.fixture
            def cleanup():
                yield
                os.remove('/tmp/shared.lock')
            """,
            path="tests/conftest.py",
            line=7,
        ),
        Example(
            """
            from click.testing import CliRunner

            def test_cli():
                runner = CliRunner()
                with runner.isolated_filesystem(temp_dir='build'):
                    open('hello.txt', 'w').close()
            """,
            line=6,
        ),
        Example(
            """
            from pathlib import Path


            def test_report():
                with open("report.txt", "w") as out:  # written by the test
                    out.write("ok")
                assert Path("report.txt").read_text() == "ok"
            """,
            fixed="""
            from pathlib import Path


            def test_report(tmp_path):
                with open(tmp_path / "report.txt", "w") as out:  # written by the test
                    out.write("ok")
                assert (tmp_path / "report.txt").read_text() == "ok"
            """,
        ),
        Example(
            """
            import os


            def test_log():
                with open("app.log", "w") as log:
                    log.write("x")
                os.system("cat app.log")
            """,
            fixed="""
            import os


            def test_log():
                with open("app.log", "w") as log:
                    log.write("x")
                os.system("cat app.log")
            """,
        ),
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.flow = PathFlow(ctx.callee)
        self.pending: list[_PendingWrite] = []
        self.chdir_owners: set[ast.AST] = set()
        self.autouse: list[tuple[FunctionNode, ast.AST | None]] = []
        self.fixtures: list[FunctionNode] = []

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        self.flow.enter_function(node)
        decl = fixture_decl(node)
        if decl is not None:
            self.fixtures.append(node)
        if decl is not None and decl.autouse:
            self.autouse.append((node, self.ctx.ancestors[-1] if self.ctx.ancestors else None))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self.flow.bind(self.ctx.ancestors, target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.flow.bind(self.ctx.ancestors, node.target, node.value)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.flow.bind(self.ctx.ancestors, node.target, node.iter)

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                self.flow.bind(self.ctx.ancestors, item.optional_vars, item.context_expr)

    visit_AsyncWith = visit_With

    def visit_Call(self, node: ast.Call) -> None:
        name = called_name(node)
        if name not in WRITE_CALL_NAMES and name not in TMP_ENTRY_NAMES and not _moves(name):
            return
        owner = self.ctx.test_code()
        if owner is None:
            return
        callee = self.ctx.callee(node)
        if self._enters_tmp(node, callee):
            self.chdir_owners.add(owner)
            return
        found = write_targets(node, callee)
        if found is None:
            return
        operation, targets, needs_path = found
        for target in targets:
            value = self.flow.value(target, self.ctx.ancestors)
            if value.origin not in (Origin.OUTSIDE, Origin.RELATIVE):
                continue
            if needs_path and not value.is_path:
                continue
            relative = value.origin is Origin.RELATIVE
            remedy = (
                "build it from tmp_path, or monkeypatch.chdir(tmp_path) first"
                if relative
                else "build it from tmp_path (or tmp_path_factory)"
            )
            message = (
                f"{operation} changes files under {value.origin.value}, not under tmp_path, "
                f"so they outlive the test; {remedy}"
            )
            cls = enclosing_class(self.ctx.ancestors, owner)
            self.pending.append(_PendingWrite(node, message, relative, owner, cls))
            return

    def _enters_tmp(self, node: ast.Call, callee: str) -> bool:
        """``monkeypatch.chdir(tmp)``, ``os.chdir(tmp)``, ``contextlib.chdir(tmp)``,
        ``tmpdir.as_cwd()``, ``CliRunner().isolated_filesystem()``: afterwards relative paths
        are inside a temporary folder, or somewhere this file does not say (then they are not
        known to be outside one either)."""
        last = callee.rpartition(".")[2]
        if _moves(last) and not node.args and TEMPORARY.search(last):
            return True  # ``with TemporaryWorkingDirectory():``, ``with tmp_chdir():``
        if _moves(last) and node.args:
            target: ast.expr = node.args[0]
        elif (
            isinstance(node.func, ast.Attribute)
            and node.func.attr in ("as_cwd", "chdir")
            and not node.args
        ):
            target = node.func.value  # py.path's ``tmpdir.join("a").chdir()``
        elif called_name(node) == "isolated_filesystem":
            target = node
        else:
            return False
        origin = self.flow.value(target, self.ctx.ancestors).origin
        return origin in (Origin.TMP, Origin.UNKNOWN)

    def leave_Module(self, node: ast.Module) -> None:
        self._through_fixtures()
        declared = [
            (decl, owner)
            for owner in self.chdir_owners
            if isinstance(owner, FunctionNode)
            for decl in [fixture_decl(owner)]
            if decl is not None
        ]
        facts = self.ctx.facts.cwd_fixtures
        facts += [CwdFixtureFact(decl.name, decl.autouse) for decl, _ in declared]
        chdir_fixtures = {decl.name for decl, _ in declared}
        chdir_scopes = {parent for func, parent in self.autouse if func in self.chdir_owners}
        bases = base_origins(node)
        for write in self.pending:
            if not write.relative:
                self.report(write.node, write.message)
                continue
            requests = requested_fixtures(write.owner, write.cls, node)
            if self._in_tmp_cwd(write, requests, chdir_fixtures, chdir_scopes, node):
                continue
            line, col = write.node.lineno, write.node.col_offset + 1
            inherited = tuple(sorted(bases.get(write.cls, ()))) if write.cls else ()
            fact = RelativeWriteFact(line, col, write.message, tuple(sorted(requests)), inherited)
            self.ctx.facts.relative_writes.append(fact)

    def _through_fixtures(self) -> None:
        """A fixture of the file that requests one running in a temporary folder (pytest's
        ``testdir``, or one of the file's that changes into one) runs there too."""
        grew = True
        while grew:
            names = set(CHDIR_FIXTURES)
            for owner in self.chdir_owners:
                decl = fixture_decl(owner) if isinstance(owner, FunctionNode) else None
                names |= {decl.name} if decl is not None else set()
            found = {f for f in self.fixtures if names & set(parameter_names(f))}
            grew = not found <= self.chdir_owners
            self.chdir_owners |= found

    def _in_tmp_cwd(
        self,
        write: _PendingWrite,
        requests: set[str],
        chdir_fixtures: set[str],
        chdir_scopes: set[ast.AST | None],
        module: ast.Module,
    ) -> bool:
        return (
            write.owner in self.chdir_owners
            or module in chdir_scopes
            or (write.cls is not None and write.cls in chdir_scopes)
            or bool(requests & chdir_fixtures)
            or any(map(_moves, requests))
        )

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        """The relative writes that no conftest (or plugin module) over their file moves into a
        temporary folder (by an autouse fixture, or one the test requests), nor pytest's own
        ``pytester``/``testdir`` unless the project defines a fixture of that name itself, nor
        a base class from the project's own modules (coverage.py's ``CoverageTest`` runs each
        test in a temporary folder; apytest-lint does not read that helper module)."""
        offered = [
            (file, fixture)
            for file, facts in ctx.files
            if file.kind in ("conftest", "plugin")
            for fixture in facts.cwd_fixtures
        ]
        for file, facts in ctx.files:
            for write in facts.relative_writes:
                if ctx.model.dependencies.any_own(write.bases_from):
                    continue
                if any(
                    (fixture.autouse or fixture.name in write.requests) and where.covers(file.path)
                    for where, fixture in offered
                ):
                    continue
                builtin = CHDIR_FIXTURES.intersection(write.requests)
                if builtin - _defined_over(ctx, file, builtin):
                    continue
                yield Finding(file.path, write.line, write.col, cls.code, write.message)
