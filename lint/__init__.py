"""apytest.lint."""
