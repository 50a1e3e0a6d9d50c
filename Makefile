# Aisle — the two commands a new user needs are `make demo` and `make test`.
# Every target sets up .venv first (Python >= 3.11, the project and its tools, libzbar0 where apt allows).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: setup demo test check lint bench server clean

setup: $(STAMP)

$(STAMP): pyproject.toml package.json .ci/setup.sh
	PYTHON=$(PYTHON) bash .ci/setup.sh
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/aisle demo

test: $(STAMP)
	bash .ci/ensure-postgres.sh
	$(PY) -m pytest -q $(PYTEST_ARGS)

# ruff (lint and format), mypy, import-linter's contracts (pyproject.toml [tool.importlinter])
lint: $(STAMP)
	$(VENV)/bin/ruff check app devices sync tests
	$(VENV)/bin/ruff format --check app devices sync tests
	$(VENV)/bin/mypy app devices sync
	$(VENV)/bin/lint-imports

# everything a change must pass, in order and stopping at the first failure: lint, then the whole test suite
# (tests/unit/test_architecture.py among them: no import cycle, a domain on the standard library and biip)
check: $(STAMP)
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test

bench: $(STAMP)
	bash .ci/ensure-postgres.sh
	$(PY) -m tests.bench

server: $(STAMP)
	$(VENV)/bin/aisle server

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
