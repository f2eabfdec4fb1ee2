# `make` installs everything and builds content/ into output/; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# axe-core, injected by the desk's browser tests to check accessibility.
AXE := node_modules/axe-core/axe.min.js

.PHONY: all build test lint format bench golden pages docs clean system-deps

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
	bash .ci/system-deps.sh test
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
# Never part of `make test`. Our modules are byte-compiled first, as an installed wheel's are.
bench: $(INSTALLED)
	bash .ci/system-deps.sh run bench
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q leaflets make_leaflet.py
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/infobutton_bench.py

# The documentation as a small site in output/site/ (MkDocs, from docs/ and mkdocs.yml); a broken
# link fails the build.
docs: $(INSTALLED)
	$(BIN)/mkdocs build --strict --quiet
	@echo "built output/site/index.html"

# Page counts, blank space and the smallest type of the shared corpus built as A4 leaflets
# (benchmarks/PAGES.md keeps the figures before and after fitting).
pages: $(INSTALLED)
	$(BIN)/python benchmarks/pages.py

# Rewrite the HTML golden files and the reference page images (tests/visual/) after an
# intended change to templates, styles or rendering.
golden: $(INSTALLED)
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/html/test_golden.py tests/pdf/test_visual.py

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
