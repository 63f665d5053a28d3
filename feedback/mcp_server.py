"""`apytest mcp`: what apytest knows about a project, for AI coding agents, over MCP (stdio).

Tools (each answers text: JSON for records, Markdown for the bundle and lessons):

- `runs`: the last recorded runs, each with its failures (node id, phase, exception, message,
  location);
- `suggestions`: the stored suggestions with their counts, sources, lessons and models;
- `lesson`: a lesson's text from apytest's failure inventory, by anchor;
- `lint`: apytest-lint's findings on the given paths;
- `review_bundle`: the last run's bundle for AI reviewers (`apytest review --format prompt`).

Everything is read from the project found from the working directory (its corpus memory and
files), as the `apytest` commands do; nothing is written. The `mcp` package is an optional
extra (`apytest[mcp]`): this module is imported only by `apytest mcp`, and says how to install
it when it is missing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from apytest.common.memory_location import MemoryLocation, describe
from apytest.feedback import corpus_memory_logging as memory_api

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

INSTALL_HINT = "needs the optional 'mcp' package: pip install 'apytest[mcp]'"
INSTRUCTIONS = (
    "apytest records every pytest run of this project (outcomes, failures, coverage), reviews "
    "each against its history and a catalogue of failure lessons, and lints test suites for "
    "catalogued failures. Start with `runs` and `suggestions`; `review_bundle` gives the last "
    "run's failures with their evidence; `lesson` explains a lesson anchor that a suggestion or "
    "finding cites."
)


def server(root: Path, memory: MemoryLocation) -> MCPServer:
    """The MCP server of the project at `root`, reading the corpus memory `memory`.

    Raises ModuleNotFoundError (with INSTALL_HINT) when the `mcp` extra is not installed.
    """
    try:
        from mcp.server.mcpserver import MCPServer
        from mcp.server.mcpserver.exceptions import ToolError
    except ModuleNotFoundError:
        raise ModuleNotFoundError(INSTALL_HINT) from None

    app = MCPServer("apytest", instructions=INSTRUCTIONS)

    @app.tool()
    def runs(limit: int = 5, project: str = "") -> str:
        """The last recorded test runs, newest first, each with its failures."""
        found = []
        for past in memory_api.runs(project or None, limit=max(1, min(limit, 50)), memory=memory):
            run = memory_api.run(past.id, memory=memory)
            failures = run.failures if run else ()
            found.append(
                {
                    **past.as_json(),
                    "failures": [
                        {
                            "nodeid": f.nodeid,
                            "when": f.when,
                            "exc_type": f.exc_type,
                            "message": f.message,
                            "location": f.location,
                        }
                        for f in failures
                    ],
                }
            )
        return json.dumps(found, indent=1)

    @app.tool()
    def suggestions(limit: int = 50, project: str = "") -> str:
        """Stored suggestions, most recently seen first: text, lesson, source, model, counts."""
        stored = memory_api.suggestions(project or None, memory=memory)
        return json.dumps([s.as_json() for s in stored[: max(1, limit)]], indent=1)

    @app.tool()
    def lesson(anchor: str) -> str:
        """The text of a lesson of apytest's failure inventory, by its anchor."""
        from apytest.feedback.prompt_bundle import lesson_text

        text = lesson_text(anchor, 20_000)
        if text.startswith("(see "):
            raise ToolError(f"no lesson {anchor!r} in apytest's failure inventory")
        return text

    @app.tool()
    def lint(paths: list[str]) -> str:
        """apytest-lint's findings on these files or folders (relative to the project root)."""
        from apytest.lint.api import LintError
        from apytest.lint.api import lint as run_lint

        try:
            result = run_lint([root / p for p in paths] if paths else [], root=root)
        except LintError as error:
            raise ToolError(str(error)) from None
        return "\n".join(f.format() for f in result.findings) or "no findings"

    @app.tool()
    def review_bundle(format: str = "prompt", max_chars: int = 60_000) -> str:
        """The last run's failures clustered, with their evidence: Markdown or JSONL."""
        from apytest.feedback import prompt_bundle
        from apytest.feedback.session_review import review_stored

        if format not in ("prompt", "jsonl"):
            raise ToolError("format must be 'prompt' or 'jsonl'")
        run = memory_api.last_run(memory=memory)
        if run is None:
            raise ToolError(f"no run recorded in {describe(memory)}")
        found = review_stored(run, root, None, memory=memory)
        bundle = prompt_bundle.of_stored(
            run, found, root, prompt_bundle.Limits(total=max(1000, max_chars)), memory=memory
        )
        return bundle.markdown() if format == "prompt" else bundle.jsonl()

    return app
