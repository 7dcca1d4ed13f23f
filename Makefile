# The two commands of the README: `make run` and `make test`. Both build .venv from scratch.
# `make serve` is the production run (README, "Production").
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The suite runs on every core (pytest-xdist); PYTEST_ARGS="-n 0" runs it in one process.
PYTEST_ARGS ?= -n auto

.PHONY: run serve test fuzz lint install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --quiet pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: export BROKER_ENV ?= development
run: install
	$(BIN)/broker db upgrade
	$(BIN)/broker demo --if-empty
	$(BIN)/broker run --host 127.0.0.1 --port 5000

# Migrate, then gunicorn's web workers and one scheduler process (Procfile), stopped together.
serve: install
	$(BIN)/broker db upgrade
	PATH="$(CURDIR)/$(BIN):$$PATH" exec $(BIN)/honcho start --no-colour --procfile broker/Procfile --app-root .

test: install-test
	$(BIN)/pytest $(PYTEST_ARGS)

# A deep schemathesis run with each role's token (the suite runs a short one); FUZZ_ARGS e.g.
# "--max-examples 500 --max-time 600" (seconds per role).
FUZZ_ARGS ?=
fuzz: install-test
	$(BIN)/python -m tests.fuzz.deep $(FUZZ_ARGS)

# ruff (pyflakes, pycodestyle, import order, bugbear, complexity <= 10) over the tree, mypy over the
# pure cores ([tool.ruff] and [tool.mypy] in pyproject.toml).
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) instance .pytest_cache
