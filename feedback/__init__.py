"""apytest.feedback."""
