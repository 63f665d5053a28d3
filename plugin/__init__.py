"""apytest.plugin."""
