# The two commands of the README: `make install` then `make test` (`make test-fast` while working).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SYSTEM_PACKAGES := prometheus prometheus-node-exporter prometheus-pushgateway prometheus-alertmanager \
	postgresql

.PHONY: install system-deps test test-fast check typecheck pytest test-pytest-matrix

install: system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'

# Debian's Prometheus binaries for the end-to-end monitoring tests, and PostgreSQL's for the
# shared corpus memory's tests (initdb and postgres under /usr/lib/postgresql/*/bin; the
# tests start their own server). Installed when missing and apt-get is usable (root, or
# passwordless sudo); otherwise those tests skip locally with a message, and fail in CI (CI=true).
system-deps:
	@if command -v prometheus >/dev/null && command -v prometheus-pushgateway >/dev/null \
	    && command -v prometheus-node-exporter >/dev/null \
	    && command -v prometheus-alertmanager >/dev/null \
	    && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "system-deps: $(SYSTEM_PACKAGES) present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null && command -v apt-get >/dev/null; then \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else \
	  echo "system-deps: cannot install $(SYSTEM_PACKAGES) here (need root or sudo with apt-get);"; \
	  echo "system-deps: the end-to-end monitoring and PostgreSQL tests will skip locally."; \
	fi

test: check pytest test-pytest-matrix

check: typecheck
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/apytest-lint tests

# mypy sees the folders under their installed names through symlinks (see pyproject).
# The tests are checked folder by folder, each with the folders pytest puts on sys.path for it
# (tests/ and its own; no __init__.py): their helpers are top-level modules such as conftest,
# which two folders may both have.
typecheck:
	@mkdir -p build/typecheck/apytest
	@for d in cli common lint rules plugin feedback monitoring; do ln -sfn ../../../$$d build/typecheck/apytest/$$d; done
	$(BIN)/mypy
	MYPYPATH=tests:build/typecheck $(BIN)/mypy --explicit-package-bases tests/*.py
	@for d in $$(find tests -mindepth 1 -maxdepth 1 -type d ! -name __pycache__ | sort); do \
	  echo "mypy $$d"; MYPYPATH=$$d:tests:build/typecheck $(BIN)/mypy --explicit-package-bases $$d || exit 1; \
	done

pytest:
	$(BIN)/python -m pytest

# Everything but the tests marked slow (whole pytest runs in subprocesses, property tests, real
# projects) or e2e (real Prometheus binaries), on every core: under a minute, for the edit-test
# loop. `make test` stays the full suite that CI runs.
test-fast:
	$(BIN)/python -m pytest -m "not slow and not e2e" -n auto -q

# The plugin's and the linter's tests again under each older supported pytest series (the
# main venv has the newest pytest, 9.x): one venv per series under build/, reused when present.
PYTEST_SERIES ?= 7.4 8
MATRIX_TESTS := tests/plugin tests/lint/test_cli.py tests/lint/test_cli_habits.py \
	tests/feedback/test_feedback_plugin_wiring.py

test-pytest-matrix:
	@set -e; for series in $(PYTEST_SERIES); do \
	  venv=build/pytest-$$series; \
	  [ -x $$venv/bin/python ] || $(PYTHON) -m venv $$venv; \
	  $$venv/bin/python -m pip install --quiet -e . "pytest==$$series.*" \
	    pytest-xdist pytest-cov pytest-rerunfailures hypothesis; \
	  echo "test-pytest-matrix: $$($$venv/bin/python -m pytest --version)"; \
	  $$venv/bin/python -m pytest -q -p no:cacheprovider $(MATRIX_TESTS); \
	done
