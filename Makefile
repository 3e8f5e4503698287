# Pasokh — two commands do everything: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/pasokh
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
DEBIAN_TEST_PACKAGES := chromium fonts-noto-core gettext sip-tester rtpengine-daemon baresip-core sox espeak-ng

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): $(BIN)/python requirements/base.txt pyproject.toml package.json package-lock.json
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) ## create .venv with pinned dependencies and the npm packages (safe to rerun)

$(TEST_STAMP): $(STAMP) requirements/test.txt
	$(BIN)/pip install --quiet -r requirements/test.txt
	@( for tool in chromium msgfmt sipp rtpengine baresip sox espeak-ng; do command -v $$tool >/dev/null || exit 1; done ) || \
		( apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_TEST_PACKAGES) >/dev/null )
	touch $@

install-test: install $(TEST_STAMP) ## install what the tests need (Python test tools, Chromium)

demo: install ## install, migrate, load the Persian demo and serve it at http://127.0.0.1:8000
	$(BIN)/pasokh demo

run: install ## serve Pasokh on http://127.0.0.1:8000
	$(BIN)/pasokh migrate --no-input -v 0
	$(BIN)/pasokh run

lint: install-test ## ruff (lint + format check) and mypy strict on the pure packages
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src
	$(BIN)/mypy

test: install-test lint ## everything: lint, migrations check, tests on SQLite and on PostgreSQL
	DJANGO_SETTINGS_MODULE=pasokh.config.settings_test $(BIN)/pasokh makemigrations --check --dry-run -v 1
	$(BIN)/python -m pytest -p xdist -n 2 -m "not browser"
	$(BIN)/python -m pytest -m browser
	$(MAKE) --no-print-directory test-postgres

test-postgres: install-test ## the database tests again on PostgreSQL (required when CI=true)
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -p xdist -n 2 -m "not browser" \
			--ignore=src/pasokh/routing --ignore=src/pasokh/wfm --ignore=src/pasokh/simulation \
			--ignore=src/pasokh/persian; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL at 127.0.0.1:5432 does not answer; CI requires it" >&2; exit 1; \
	else echo "PostgreSQL is not running: skipping the PostgreSQL suite (mandatory in CI)"; fi

messages: install-test ## refresh every package's fa/en catalogue (src/pasokh/*/locale) and compile
	@for dir in src/pasokh/*/locale; do \
		( cd $${dir%/locale} && export DJANGO_SETTINGS_MODULE=pasokh.config.settings_test && \
			../../../$(BIN)/pasokh makemessages -l fa -l en --ignore='tests/*' \
			--no-obsolete -v 0 && ../../../$(BIN)/pasokh compilemessages -v 0 ) || exit 1; \
	done

clean: ## remove the virtualenv, npm packages and local data
	rm -rf $(VENV) node_modules var

.PHONY: help install install-test demo run lint test test-postgres messages clean
