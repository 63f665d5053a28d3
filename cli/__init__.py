"""apytest's two entry points, the top layer: `apytest` (`apytest.py`) and `apytest-lint`
(`apytest_lint.py`).

Nothing else imports this package. It turns command lines into calls of the layers below
(feedback, lint, monitoring) and their results into output and exit codes, so those layers
never parse arguments or print for a command. Both commands share one parser design
(`parser.py`): a usage error is one line on stderr and exit code 2, as ruff and pytest do.
"""
