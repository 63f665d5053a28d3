"""The engine of apytest-lint: everything between a folder of tests and a list of findings.

It finds the project and its configuration (`project.py`, `config.py`, `declarations/` for the
declared dependencies), walks the test files as pytest would collect them (`discovery.py`),
parses each once and runs every enabled rule on it (`engine.py`, per file, cached by content in
`cache.py`), then the project rules on the files' facts (`runner.py`), and formats, fixes or
explains (`report.py`, `fix.py`, `explain.py`). It knows no rule by name (the catalogue is
`rules/`) and no command line (`cli/apytest_lint.py`); the plugin and the feedback loop use it
only through `api.py`.
"""
