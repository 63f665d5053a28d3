"""apytest.monitoring."""
