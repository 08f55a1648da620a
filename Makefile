# Set-up and everyday commands. Every target creates what it needs on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
ADDR ?= 127.0.0.1:8000
# uv installs exactly what uv.lock records (hashes checked); it is itself pinned here.
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: serve build test test-fast lint bench catalog schemas clean system-deps editor-deps lock

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Bytecode compiled at install: every `handbook` run starts without compiling its libraries,
# also where PYTHONDONTWRITEBYTECODE keeps Python from caching it.
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --all-extras --compile-bytecode --python $(PYTHON)
	touch $(STAMP)

## Refresh uv.lock to the newest versions pyproject.toml's ranges allow.
lock: $(UV)
	$(UV) lock --upgrade --python $(PYTHON)

## Build the example handbook and serve it with live reload and working feedback forms:
## the sample requests are imported and measured first, and the leaders' edition is served
## so that measured statuses and earned rewards show.
serve: $(STAMP) measured-report.json
	$(BIN)/handbook serve . --dev-addr $(ADDR) --audience leaders

measured-report.json: $(STAMP) examples/requests/northwind-2026.csv $(wildcard measurements/*.yaml) $(shell find roles -name '*.yaml')
	$(BIN)/handbook requests import examples/requests/northwind-2026.csv
	$(BIN)/handbook report .

## Build the example handbook into site/.
build: $(STAMP)
	$(BIN)/handbook build . --strict

## Install the browser and database the tests use (Debian packages), then run every test.
test: $(STAMP) system-deps editor-deps
	HANDBOOK_TEST_DATABASE_URL="$$(bash .ci/start-postgres)" $(BIN)/pytest

## The editor tooling the schema tests drive (ajv, yaml-language-server), pinned by
## tests/editor/package-lock.json.
editor-deps: tests/editor/node_modules/.installed-stamp

tests/editor/node_modules/.installed-stamp: tests/editor/package.json tests/editor/package-lock.json
	cd tests/editor && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

## Run the tests without installing system packages (browser/database tests need them).
test-fast: $(STAMP)
	$(BIN)/pytest -m "not browser"

system-deps:
	./scripts/install-system-deps

## ruff (lint and format), mypy, and the layer contracts between the stages (import-linter).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

## Extract the labels into generator/i18n/locale/handbook.pot and merge them into every catalog.
catalog: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-default-keywords -k _ -k gettext -k ngettext:1,2 \
	  -k translate:2 -k translate_plural:2,3 -k mark -k mark_plural:1,2 -k msg -k msg_plural:1,2 \
	  -k InvalidSubmission \
	  --no-location --omit-header --sort-output -o generator/i18n/locale/handbook.pot .
	$(BIN)/pybabel update -D handbook -i generator/i18n/locale/handbook.pot -d generator/i18n/locale \
	  --ignore-obsolete --no-fuzzy-matching -w 100

## After changing generator/load/schemas/: refresh the example handbooks' copies of the
## schemas and the checks compiled from them (generator/load/compiled/).
schemas: $(STAMP)
	for folder in . examples/pl; do cp generator/load/schemas/*.schema.json $$folder/schema/; done
	$(BIN)/python -m generator.load.schema_checks

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
