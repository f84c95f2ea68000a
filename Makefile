# palapy — `make serve` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HTTP ?= 127.0.0.1:8090
DIR ?= ./pb_data

.PHONY: help install install-dev node-deps serve test test-fast lint type bench binary clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.stamp-install: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.stamp-dev: pyproject.toml $(VENV)/.stamp-install
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.stamp-install ## create .venv and install palapy (CLI at .venv/bin/palapy)

install-dev: $(VENV)/.stamp-dev ## install palapy with test tools and the reference pocketbase binary

tests/node/node_modules/.stamp: tests/node/package.json
	cd tests/node && npm install --no-audit --no-fund --silent
	touch $@

node-deps: tests/node/node_modules/.stamp ## install the official JS SDK for the Node tests

serve: install ## serve on $(HTTP) with $(DIR)
	$(BIN)/palapy serve --http $(HTTP) --dir $(DIR)

test: install-dev node-deps ## run every test suite (installs what it needs)
	$(BIN)/pytest

test-fast: install-dev ## in-process tests only
	$(BIN)/pytest tests/unit tests/api -m "not live"

lint: install-dev ## ruff check and format check
	$(BIN)/ruff check palapy tests
	$(BIN)/ruff format --check palapy tests

type: install-dev ## mypy strict on palapy
	$(BIN)/mypy

bench: install-dev ## palapy against the reference pocketbase binary, same data, ratios printed
	$(BIN)/python -m tests.bench.run

clean: ## remove the venv and build output
	rm -rf $(VENV) dist build tests/node/node_modules

dist/palapy: $(VENV)/.stamp-binary build_binary.spec $(shell find palapy ui_dist -type f -not -name '*.pyc' 2>/dev/null)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyi build_binary.spec

$(VENV)/.stamp-binary: $(VENV)/.stamp-install
	$(BIN)/pip install -q pyinstaller==6.22.3
	touch $@

binary: dist/palapy ## build the single executable dist/palapy (rebuilt only when sources changed)
