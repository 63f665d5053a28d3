"""The feedback loop: what each run looked like, what its history says, what to do about it.

Typed records (`records.py`) of runs, failures, findings and suggestions; the corpus memory that
stores them (`corpus_memory_logging.py`, the public API, over SQLite or PostgreSQL: `store*.py`);
the review that turns a run and its history into suggestions citing lessons
(`crown_prompt_orchestrator.py`, `session_review.py`); and what reads the memory: the inventory,
the archive, the prompt bundle and the AI review, the alert receiver, the MCP server. It never
imports pytest (the plugin hands it records) and uses the linter only through `lint/api.py`.
"""
