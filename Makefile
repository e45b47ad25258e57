# The two commands: `make run` (serve the apps over a demo database) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.pcenter-installed
TEST_STAMP := $(VENV)/.pcenter-test-installed
HUB_STAMP := $(VENV)/.pcenter-hub-installed
PORT ?= 8866

.PHONY: run test lint typecheck check system-packages demo clean-db benchmark bench-kernels benchmark-browser bench-storage hub-install deploy-test mutation

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP) pyproject.toml tests/browser/axe/package.json
	$(BIN)/python -m pip install --quiet -e '.[test]'
	cd tests/browser/axe && npm install --no-package-lock --no-audit --no-fund --loglevel=error
	touch $@

## make run: install, build the demo database on first use, serve the apps on 127.0.0.1:$(PORT)
run: $(STAMP)
	$(BIN)/pcenter init-db
	$(BIN)/pcenter demo --if-empty
	$(BIN)/pcenter serve --port $(PORT) --no-browser

## make test: install what the tests need (Python packages, Chromium, PostgreSQL) and run the whole suite
test: $(TEST_STAMP) system-packages
	$(BIN)/python -m pytest

system-packages:
	bash .ci/system-packages

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

check: lint typecheck test

## make benchmark: speed and memory figures (ratios against baselines measured in the same run)
benchmark: $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	for script in tests/benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python "$$script" || exit 1; done

## make bench-kernels: open and close every app 20 times in Chromium; kernels and memory must return
bench-kernels: $(TEST_STAMP) system-packages
	$(BIN)/python tests/benchmarks/bench_kernels.py

## make benchmark-browser: every app at region scale in Chromium, medians of 3, as ratios to a one-label
## notebook on the same server (the region is built once into var/region and reused; not part of make test)
benchmark-browser: $(TEST_STAMP) system-packages
	$(BIN)/python tests/benchmarks/bench_browser.py --data-dir var/region

## make bench-storage: 1,000,000 screening results through the import against a bare bulk insert,
## on SQLite and PostgreSQL (the import must stay within 3x)
bench-storage: $(TEST_STAMP) system-packages
	$(BIN)/python tests/benchmarks/bench_storage.py

## make hub-install: JupyterHub and its parts from PyPI, configurable-http-proxy from npm (deploy/node_modules)
hub-install: $(HUB_STAMP)

$(HUB_STAMP): $(TEST_STAMP) pyproject.toml deploy/package.json
	$(BIN)/python -m pip install --quiet -e '.[test,hub]'
	cd deploy && npm install --no-package-lock --no-audit --no-fund --loglevel=error
	touch $@

## make deploy-test: the whole multi-user stack on 127.0.0.1 (JupyterHub, proxy, PostgreSQL), driven by Chromium
deploy-test: $(HUB_STAMP) system-packages
	PCENTER_DEPLOY_TEST=1 $(BIN)/python -m pytest tests/deploy -p no:cacheprovider -q

## make mutation: mutation testing of the rule modules (mutmut; slow, not part of make test or CI).
## Each module of tests/mutation/modules.toml is mutated alone and tested with its fast tests only;
## the table counts logic mutants. A mutant that only rewords a message (a string literal inside
## N_() or a raise statement) is "text-only" and left out. MODULES=iin,scoring picks modules;
## MUTATION_JOBS (default 2) is how many mutants run at once. See docs/testing.md.
MODULES ?=
MUTATION_JOBS ?= 2
comma := ,
mutation: $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	$(BIN)/python tests/mutation/mutation_run.py --jobs $(MUTATION_JOBS) $(subst $(comma), ,$(MODULES))

demo: $(STAMP)
	$(BIN)/pcenter init-db
	$(BIN)/pcenter demo --if-empty
