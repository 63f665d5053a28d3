"""Hooks and hook arguments that pytest removed, which a conftest or plugin may still implement.

Hook arguments pytest 9 removed: the py.path forms of the path a hook is given.

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

REMOVED_HOOKS: dict[str, tuple[str, str]] = {
    "pytest_namespace": (
        "4.0",
        "set those names in pytest_configure, or import them from their module",
    ),
    "pytest_logwarning": ("5.1", "implement pytest_warning_recorded instead"),
    "pytest_warning_captured": ("7.0", "implement pytest_warning_recorded instead"),
    "pytest_cmdline_preparse": ("8.0", "implement pytest_load_initial_conftests instead"),
}
"""Hook name -> (the first pytest release that stops on an implementation of it, what to do
instead). pytest 7.0 and 8.0 turned the deprecation warnings of the last two into errors when
a plugin registers them, 7.1 and 8.1 removed their specifications; a hook without a
specification is "unknown": pluggy refuses it after collection (INTERNALERROR, no test runs),
unless its implementation is marked ``optionalhook``. Run against pytest 7.0, 7.1, 7.4, 8.0,
8.1, 8.4 and 9.2; the removals in 4.0 and 5.1 are read from pytest's changelog."""
