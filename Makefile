# The two commands of the README: `make install` then `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SYSTEM_PACKAGES := prometheus prometheus-node-exporter prometheus-pushgateway prometheus-alertmanager

.PHONY: install system-deps test check typecheck pytest

install: system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'

# Debian's Prometheus binaries for the end-to-end monitoring tests. Installed when
# missing and apt-get is usable (root, or passwordless sudo); otherwise those tests
# skip locally with a message, and fail in CI (CI=true).
system-deps:
	@if command -v prometheus >/dev/null && command -v prometheus-pushgateway >/dev/null \
	    && command -v prometheus-node-exporter >/dev/null \
	    && command -v prometheus-alertmanager >/dev/null; then \
	  echo "system-deps: $(SYSTEM_PACKAGES) present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null && command -v apt-get >/dev/null; then \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else \
	  echo "system-deps: cannot install $(SYSTEM_PACKAGES) here (need root or sudo with apt-get);"; \
	  echo "system-deps: the end-to-end monitoring tests will skip locally."; \
	fi

test: check pytest

check: typecheck
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/apytest-lint tests

# mypy sees the folders under their installed names through symlinks (see pyproject).
typecheck:
	@mkdir -p build/typecheck/apytest
	@for d in common lint rules plugin feedback monitoring; do ln -sfn ../../../$$d build/typecheck/apytest/$$d; done
	$(BIN)/mypy

pytest:
	$(BIN)/python -m pytest
