"""apytest's lessons, shipped as package data (`failure_inventory.md`).

The file stays at `testing/failure_inventory.md` in the repository, where the README links to
it; installing apytest installs it as `apytest.testing`, so `apytest lesson ANCHOR` can print
a lesson in any project. `apytest.common.lessons` reads it; nothing imports this package.
"""
