"""The clocks apytest reads, as they were when apytest was loaded.

A test may replace `time.time` or `time.monotonic` and not put them back (an assignment
instead of `monkeypatch`, a mock whose teardown never ran). Read through the `time` module at
the session's end, such a clock would date the run in the past, give the session a negative
duration, or (standing still) keep a deadline from ever passing: a wait on a busy memory would
never end. The plugin imports this module when pytest loads it, before any test runs, and
every reading at the session's end goes through it, as pytest's own `_pytest.timing` does.
"""

import time

wall = time.time
"""Seconds since the epoch (`time.time`)."""
monotonic = time.monotonic
"""A clock for durations and deadlines (`time.monotonic`)."""
