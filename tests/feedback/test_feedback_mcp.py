"""`apytest mcp`, driven by the `mcp` package's own client over stdio."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters, get_default_environment

APYTEST = ["-c", "from apytest.cli.apytest import main; raise SystemExit(main())"]
MISSING = "import apytest_demo_mlpkg\n\n\ndef test_model():\n    pass\n"


def _text(result: Any) -> str:
    assert not result.is_error, result
    return "".join(block.text for block in result.content)


@pytest.mark.slow
@pytest.mark.parametrize("memory", ["sqlite", "postgresql"], indirect=True)
def test_tools_over_stdio(project: pytest.Pytester, memory: Path) -> None:
    project.makepyfile(test_model=MISSING)
    project.runpytest().assert_outcomes(errors=1)
    answers: dict[str, Any] = {}
    # The SDK hands the server a few safe variables only: the memory's too.
    passed = {k: v for k, v in os.environ.items() if k in ("APYTEST_MEMORY", "PGPASSWORD")}

    async def talk() -> None:
        server = StdioServerParameters(
            command=sys.executable,
            args=[*APYTEST, "mcp"],
            cwd=str(project.path),
            env={**get_default_environment(), **passed},
        )
        async with Client(server) as client:
            listed = await client.list_tools()
            answers["tools"] = sorted(tool.name for tool in listed.tools)
            for name, arguments in (
                ("runs", {"limit": 1}),
                ("suggestions", {}),
                ("lesson", {"anchor": "optional-dependencies"}),
                ("lint", {"paths": ["test_model.py"]}),
                ("review_bundle", {"format": "jsonl"}),
            ):
                answers[name] = _text(await client.call_tool(name, arguments))
            answers["bad lesson"] = await client.call_tool("lesson", {"anchor": "nope"})

    asyncio.run(talk())
    assert answers["tools"] == ["lesson", "lint", "review_bundle", "runs", "suggestions"]
    [run] = json.loads(answers["runs"])
    assert (run["project"], run["failed"]) == ("demo", 1)
    assert run["failures"][0]["message"].startswith("ModuleNotFoundError")
    [suggestion] = json.loads(answers["suggestions"])
    assert suggestion["lesson"] == "apytest lesson optional-dependencies"
    assert "**Remedy**" in answers["lesson"]
    assert "APT101" in answers["lint"]
    [cluster] = [json.loads(line) for line in answers["review_bundle"].splitlines()]
    assert cluster["location"] == "test_model.py:1"
    assert answers["bad lesson"].is_error
    assert "no lesson 'nope'" in _error_text(answers["bad lesson"])


def _error_text(result: Any) -> str:
    return "".join(block.text for block in result.content)


@pytest.mark.slow
def test_without_the_extra_it_says_how_to_install(project: pytest.Pytester) -> None:
    blocked = "import sys; sys.modules['mcp'] = None; " + APYTEST[1]
    done = subprocess.run(
        [sys.executable, "-c", blocked, "mcp"],
        cwd=project.path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == (
        "apytest mcp: needs the optional 'mcp' package: pip install 'apytest[mcp]'\n"
    )


@pytest.mark.slow
def test_a_plain_install_never_imports_mcp() -> None:
    code = (
        "import sys, apytest.cli.apytest, apytest.plugin.pytest_plugin; "
        "from apytest.cli.apytest import main; main(['history', '--help']); "
        "assert not [m for m in sys.modules if m == 'mcp' or m.startswith('mcp.')]"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
