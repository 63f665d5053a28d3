"""apytest's bottom layer: what more than one other layer needs, defined once.

Names and default paths (`names.py`), the settings that move them (`settings.py`), file helpers
(`atomic.py`, `files.py`, `gitignore.py`), installed versions (`versions.py`), the run kind and
instance a run is compared by, and the texts the plugin, the commands and the monitoring cite
(`lessons.py`, `runbooks.py`).

The plugin writes files that the `apytest` commands read, and both must agree on where they are
and what they are called; this package is the one place that says so. It is the bottom of
the layers drawn in DESIGN.md: it imports nothing else of apytest and only the standard library,
so any layer may use it without loading more than it needs.
"""
