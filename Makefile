# `make` installs everything and builds content/ into output/; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# axe-core, injected by the desk's browser tests to check accessibility.
AXE := node_modules/axe-core/axe.min.js

.PHONY: all build test lint format bench golden clean system-deps

all: build

$(INSTALLED): pyproject.toml
	bash .ci/system-deps.sh run
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

build: $(INSTALLED)
	$(BIN)/python make_leaflet.py

$(AXE):
	npm install --no-save --no-package-lock --silent axe-core@4

test: $(INSTALLED) $(AXE)
	bash .ci/system-deps.sh run test
	$(BIN)/python -m pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Speed and memory against the engine alone, pandoc, Chromium and Typst: benchmarks/RESULTS.md.
# Never part of `make test`.
bench: $(INSTALLED)
	bash .ci/system-deps.sh run bench
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/bench.py

# Rewrite the HTML golden files after an intended change to templates or rendering.
golden: $(INSTALLED)
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
