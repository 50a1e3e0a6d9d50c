# Aisle — the two commands a new user needs are `make demo` and `make test`.
# Every target sets up .venv first (Python >= 3.11, the project and its tools, libzbar0 where apt allows).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: setup demo test check lint bench server clean

setup: $(STAMP)

$(STAMP): pyproject.toml .ci/setup.sh
	PYTHON=$(PYTHON) bash .ci/setup.sh
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/aisle demo

test: $(STAMP)
	bash .ci/ensure-postgres.sh
	$(PY) -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check app devices sync tests
	$(VENV)/bin/ruff format --check app devices sync tests
	$(VENV)/bin/mypy app devices sync
	$(VENV)/bin/lint-imports

check: lint test

bench: $(STAMP)
	bash .ci/ensure-postgres.sh
	$(PY) -m tests.bench

server: $(STAMP)
	$(VENV)/bin/aisle server

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
