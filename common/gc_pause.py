"""The garbage collector paused while apytest allocates in bursts that leave no cycles.

apytest-lint pauses it around each file's analysis (a syntax tree holds no reference cycles
and is freed by reference counting: about a sixth of the time); the plugin around its own work.

The plugin's work at session start and end allocates thousands of objects (its modules, the
gathered reports, the records) that either live on or are freed by reference counting: none is
cyclic garbage. With the collector running, every 700 more of them start a young collection
that frees nothing, and every tenth of those brings the process nearer to a full collection of
every object it holds. Measured on the overhead benchmark (benchmarks/README.md), the plugin's
allocations brought pytest's first full collection (13 ms) forward into the session's end.
Paused, the same allocations cost one young collection when the collector resumes.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No automatic collection inside; a collector the user switched off stays off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
