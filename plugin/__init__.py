"""The pytest plugin (entry point `apytest` in the `pytest11` group): pytest's hooks, wired to the
other layers.

Each session is measured (Prometheus metrics in a textfile and to a Pushgateway, `metrics.py`,
`textfile.py`, `pushgateway.py`), logged (`runlog.py`), linted with `--apytest-lint`
(`lint_summary.py`), and handed to the feedback loop at its end (`feedback_hook.py`). This is the
only layer that imports pytest: pytest's reports and the linter's findings become the feedback
loop's typed records here (`session_records.py`). Nothing here may change a test outcome, except
the strict lint, on purpose.
"""
