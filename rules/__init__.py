"""apytest.rules."""
