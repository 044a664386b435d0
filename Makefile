# The two commands: `make run` serves the platform with demo content; `make test` checks everything.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
IITE := $(BIN)/iite
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: messages run test setup check lint types layers migrations openapi pytest pytest-sqlite pytest-postgres browser-deps clean

$(STAMP): requirements.lock pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*; touch $@

setup: $(STAMP)
	$(IITE) compile-translations

## run: set everything up and serve the platform on SQLite with demo content
# DEBUG is off so that what you see is what production serves (cached static files, error pages).
run: export DEBUG ?= false
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: setup
	$(IITE) setup
	$(IITE) demo
	$(IITE) serve --host $(HOST) --port $(PORT)

## test: lint, types, layers, migrations, API schema, then the whole suite on SQLite and PostgreSQL
test: setup lint types layers migrations openapi pytest

lint:
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench

types:
	$(BIN)/mypy

layers:
	$(BIN)/lint-imports

migrations:
	env -u DATABASE_URL IITE_ENV=test $(IITE) makemigrations --check --dry-run

openapi:
	env -u DATABASE_URL IITE_ENV=test $(IITE) openapi --check

pytest: pytest-sqlite pytest-postgres

pytest-sqlite:
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

pytest-postgres:
	@if [ -n "$${DATABASE_URL:-}" ] && [[ "$${DATABASE_URL}" == postgres* ]]; then \
	  echo "== test suite on PostgreSQL ($${DATABASE_URL%%@*}@…) =="; \
	  $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS); \
	elif [ -n "$${CI:-}" ]; then \
	  echo "CI needs DATABASE_URL pointing at PostgreSQL; .ci/run sets it." >&2; exit 1; \
	else \
	  echo ""; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!! SKIPPED: the PostgreSQL half of the suite. Set DATABASE_URL=postgres://...  !!"; \
	  echo "!! (for example postgres://postgres@127.0.0.1:5432/iite) to run it.           !!"; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi

## messages: extract interface strings into the .po files (needs gettext's xgettext)
messages: $(STAMP)
	cd src/iite && ../../$(IITE) makemessages -l ar -l zh_Hans -l fr -l ru -l es --no-obsolete \
	  --ignore "testing/*" --ignore "*/tests/*"

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
