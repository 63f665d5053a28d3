"""The pre-commit hooks, installed by the real ``pre-commit try-repo`` from this repository.

Each ``try-repo`` builds the hook's virtualenv afresh with pip from the repository (network to
PyPI for apytest's dependencies; about 6 s a call with pip's cache warm), so these are slow.
try-repo only sees committed and tracked files; to test the working tree as it is (new files
included), the repository is copied to a temporary git repository and committed there first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "apytest",
    "GIT_AUTHOR_EMAIL": "apytest@example.invalid",
    "GIT_COMMITTER_NAME": "apytest",
    "GIT_COMMITTER_EMAIL": "apytest@example.invalid",
}
PYPROJECT = '[project]\nname = "sample"\nversion = "0"\ndependencies = ["pytest"]\n'

pytestmark = pytest.mark.slow


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=_env({}))


def _env(extra: Mapping[str, str]) -> dict[str, str]:
    return {**os.environ, **GIT_IDENTITY, **extra}


def _source_files(repo: Path) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return [name for name in listed.stdout.split("\0") if name and (repo / name).is_file()]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's working tree, committed in a repository of its own."""
    if shutil.which("git") is None or not PRE_COMMIT.exists():
        pytest.skip("needs git and pre-commit (make install)")
    copy = tmp_path_factory.mktemp("apytest-repo")
    for name in _source_files(REPO):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, copy / name)
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "-m", "snapshot")
    return copy


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Keeps pre-commit's store and logs out of the user's cache."""
    return tmp_path_factory.mktemp("pre-commit-home")


def sample(root: Path, files: Mapping[str, str]) -> Path:
    """A git repository with ``files`` committed."""
    for name, text in {"pyproject.toml": PYPROJECT, **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "sample")
    return root


def try_repo(project: Path, repo: Path, home: Path, hook: str) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo`` on the staged files, as at commit time."""
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(repo), hook, "--verbose"],
        cwd=project,
        capture_output=True,
        text=True,
        env=_env({"PRE_COMMIT_HOME": str(home)}),
        timeout=900,
    )


def test_hook_fails_on_a_clash_with_a_file_the_commit_does_not_touch(
    tmp_path: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    project = sample(tmp_path, {"tests/a/test_util.py": "def test_a():\n    pass\n"})
    (project / "tests/b").mkdir()
    (project / "tests/b/test_util.py").write_text("def test_b():\n    pass\n", encoding="utf-8")
    git(project, "add", "tests/b/test_util.py")
    done = try_repo(project, hook_repo, pre_commit_home, "apytest-lint")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "APT201" in done.stdout
    assert "Failed" in done.stdout


def test_hook_passes_on_a_clean_project(
    tmp_path: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    project = sample(tmp_path, {"tests/test_ok.py": "def test_ok():\n    pass\n"})
    done = try_repo(project, hook_repo, pre_commit_home, "apytest-lint")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_fix_hook_rewrites_and_fails_once(
    tmp_path: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    test_env = "import os\n\n\ndef test_env():\n    os.environ['MODE'] = 'test'\n"
    project = sample(tmp_path, {"tests/test_env.py": test_env})
    done = try_repo(project, hook_repo, pre_commit_home, "apytest-lint-fix")
    assert done.returncode == 1, done.stdout + done.stderr
    fixed = (project / "tests/test_env.py").read_text(encoding="utf-8")
    assert "def test_env(monkeypatch):\n    monkeypatch.setenv('MODE', 'test')\n" in fixed
    git(project, "add", "-A")
    again = try_repo(project, hook_repo, pre_commit_home, "apytest-lint-fix")
    assert again.returncode == 0, again.stdout + again.stderr
