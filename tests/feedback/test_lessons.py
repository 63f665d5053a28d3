"""`apytest lesson`: the shipped lessons, readable wherever apytest is installed."""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from apytest.cli.apytest import main
from apytest.common.lessons import lessons, parse

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT / "testing" / "failure_inventory.md"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_anchor_of_the_inventory_is_a_lesson() -> None:
    anchors = re.findall(r'<a id="([^"]+)"></a>', INVENTORY.read_text(encoding="utf-8"))
    assert list(parse(INVENTORY.read_text(encoding="utf-8"))) == anchors
    assert list(lessons()) == anchors


def test_lesson_lists_the_anchors_with_their_titles(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lesson")
    assert code == 0
    rows = [line.split(maxsplit=1) for line in out.splitlines()]
    assert [anchor for anchor, _ in rows] == list(lessons())
    assert ["slow-suite", "Slow suite"] in rows


def test_lesson_prints_one_lesson(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lesson", "tmp-path-isolation")
    assert code == 0
    assert out.startswith("## tmp_path isolation\n")
    assert "- **Remedy**" in out
    assert "## monkeypatch isolation" not in out


def test_an_unknown_lesson_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "lesson", "no-such-lesson")
    assert (code, out) == (2, "")
    assert err == "apytest lesson: unknown lesson 'no-such-lesson' (`apytest lesson` lists them)\n"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert re.fullmatch(r"apytest \d+\.\d+\.\d+\S*\n", out)


def test_alert_annotations_cite_shipped_lessons() -> None:
    rules = (ROOT / "monitoring" / "pytest_rules.yml").read_text(encoding="utf-8")
    cited = re.findall(r"apytest lesson ([\w-]+)", rules)
    assert cited
    assert set(cited) <= set(lessons())


@pytest.mark.slow
def test_a_built_wheel_prints_lessons_outside_the_repository(tmp_path: Path) -> None:
    """What a pip user gets: the wheel alone, imported from a folder that is not the checkout."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("apytest-*.whl")
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(installed)  # what pip does with a pure-Python wheel
    # -S: no site-packages hooks, so the editable install of the checkout is not importable;
    # the wheel's files come first, then the plain dependencies.
    script = (
        "import sys; sys.path[:0] = sys.argv[1:3]; "
        "import apytest.common.lessons as l; print(l.__file__); "
        "from apytest.cli.apytest import main; main(['lesson', 'coverage-regression'])"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", script, str(installed), sysconfig.get_paths()["purelib"]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    location, out = done.stdout.split("\n", 1)
    assert location.startswith(str(installed))
    assert out.startswith("## Coverage regression\n")
