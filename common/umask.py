"""The file-creation mask apytest creates its files under: the process's when apytest loaded.

A test may set the mask and not put it back (`os.umask(0o777)` to provoke a permission error,
with no `finally`). Created after it, the memory, its folder, the metrics file's folder and a
run log written again would get the test's mask: a memory of mode 000 that no later session of
a non-root user can open, and which only a person can repair. So apytest's work at a session's
end runs under the mask read here, when pytest loads the plugin (before any test), and gives
the test's mask back afterwards: the tests' own process state is theirs.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager


def _current() -> int:
    """The mask now (POSIX can only read it by setting it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


LOADED = _current()
"""The mask when apytest was loaded."""


@contextmanager
def as_loaded() -> Iterator[None]:
    """Inside, files are created under LOADED; the mask found on entry is restored on exit."""
    found = os.umask(LOADED)
    try:
        yield
    finally:
        os.umask(found)
