# palapy — `make serve` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HTTP ?= 127.0.0.1:8090
DIR ?= ./pb_data

.PHONY: help install install-dev node-deps serve test test-fast test-s3 lint type bench bench-realtime bench-startup binary clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

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

# Every suite from source (unit, in-process, live, the reference binary, Node), then the
# black-box ones again against the frozen binary, so a freezing regression fails too.
# Both runs always happen; the target fails if either did.
BLACKBOX := tests/api tests/node tests/binary
test: install-dev node-deps dist/palapy ## run every suite from source, then the black-box ones against dist/palapy
	@rc=0; \
	echo "== from source"; $(BIN)/pytest || rc=1; \
	echo "== file suites, palapy's files on SeaweedFS (S3)"; $(S3_RUN) || rc=1; \
	echo "== against dist/palapy"; \
	PALAPY_BIN=$(CURDIR)/dist/palapy $(BIN)/pytest $(BLACKBOX) -m "not inprocess" -k "not pocketbase" || rc=1; \
	exit $$rc

# The file suites again with every palapy (live and in process) storing its files in a SeaweedFS bucket
# (PALAPY_TEST_STORAGE=s3, tests/harness/s3_server.py; `weed` comes with the dev extra).
S3_SUITES := tests/api/test_file.py tests/api/test_record_crud_files.py
S3_RUN = PALAPY_TEST_STORAGE=s3 $(BIN)/pytest $(S3_SUITES) -m "not pocketbase"
test-s3: install-dev ## the file suites on S3 (a local SeaweedFS), then the S3 driver and settings tests
	$(S3_RUN)
	$(BIN)/pytest tests/unit/storage tests/api/test_settings_s3.py

test-fast: install-dev ## in-process tests only
	$(BIN)/pytest tests/unit tests/api -m "not live"

lint: install-dev ## ruff check, format check and the layers contract (import-linter)
	$(BIN)/ruff check palapy tests
	$(BIN)/ruff format --check palapy tests
	$(BIN)/lint-imports

type: install-dev ## mypy strict on palapy
	$(BIN)/mypy

bench: install-dev ## palapy against the reference pocketbase binary, same data, ratios printed
	$(BIN)/python -m tests.bench.run

bench-realtime: install-dev ## 1,000 SSE subscribers, 100 writes/s: deliveries, latency, RSS against pocketbase
	$(BIN)/python -m tests.bench.realtime

clean: ## remove the venv and build output
	rm -rf $(VENV) dist build tests/node/node_modules

# Folders count too: a deleted module changes its folder's mtime.
BINARY_INPUTS := $(shell find palapy ui_dist -name __pycache__ -prune -o \( -type d -o -type f -not -name '*.pyc' \) -print 2>/dev/null)
dist/palapy: $(VENV)/.stamp-binary build_binary.spec $(BINARY_INPUTS)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyi build_binary.spec
	@ls -l $@ && $@ --version

$(VENV)/.stamp-binary: $(VENV)/.stamp-install
	$(BIN)/pip install -q pyinstaller==6.22.3
	touch $@

binary: dist/palapy ## build the single executable dist/palapy (rebuilt only when sources changed)

bench-startup: install-dev dist/palapy ## cold start, size and idle RSS of dist/palapy against pocketbase
	$(BIN)/python -m tests.bench.startup --palapy dist/palapy
