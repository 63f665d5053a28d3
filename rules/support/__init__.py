"""What several rules share: ``ast`` questions, the path flow of APT203, the global-state
vocabulary of APT204, the dependency index of APT1xx, the pytest-configuration reading of APT4xx,
the import-name and plugin tables, and the libcst helpers of the fixes. No rule lives here."""
