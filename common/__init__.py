"""apytest's bottom layer: the names, paths and settings every other part shares.

The plugin writes files that the `apytest` commands read, and both must agree on where they are
and what they are called; this package is the one place that says so. It imports nothing of
apytest (plugin -> feedback -> lint -> rules -> common) and only the standard library, so any
layer may use it without loading more than it needs.
"""
