"""Errors that end a lint run with exit code 2 and one line on stderr."""

from __future__ import annotations


class LintError(Exception):
    """A usage or configuration error: the message names the file, option or path at fault."""
