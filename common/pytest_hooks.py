"""Hook arguments pytest 9 removed: the py.path forms of the path a hook is given.

pytest 7 added a `pathlib.Path` argument beside each and deprecated the old one
(`PytestRemovedIn9Warning`); pytest 9 removed it from the hook specifications, so a conftest or
plugin whose implementation still names it cannot be registered: pluggy raises
`PluginValidationError` and pytest stops before any session, with a traceback (exit status 1).
apytest-lint (APT404) finds such hooks before a run, the feedback loop names the fix after one.
"""

from __future__ import annotations

REMOVED_IN_PYTEST_9: dict[str, tuple[str, str]] = {
    "pytest_ignore_collect": ("path", "collection_path"),
    "pytest_collect_file": ("path", "file_path"),
    "pytest_pycollect_makemodule": ("path", "module_path"),
    "pytest_report_header": ("startdir", "start_path"),
    "pytest_report_collectionfinish": ("startdir", "start_path"),
}
"""Hook name -> (the removed argument, the `pathlib.Path` argument that replaces it)."""
