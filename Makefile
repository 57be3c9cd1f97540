# Suivi Plainte — the two commands:
#   make run    set everything up and run the app on the embedded default (SQLite, demo data)
#   make test   set everything up and run the whole test suite
# Set TEST_DATABASE_URL=postgresql://… to run the suite on PostgreSQL as well as SQLite.

VENV ?= .venv
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 5000
BIN := $(VENV)/bin
export FLASK_APP := webapp

.PHONY: setup run test

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask vapid init
	$(BIN)/flask demo --base-url http://$(HOST):$(PORT)
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)
