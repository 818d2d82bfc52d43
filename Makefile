# Two commands do everything: `make run` sets up and runs the main job; `make test` sets up and runs the
# whole test suite. Both need only Python 3.11+ and make, and are safe to run again.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Everything the installed package is built from: a change to any of these triggers a reinstall.
PACKAGE_FILES := pyproject.toml README.md hatch_build.py $(shell find src ontology data queries -type f -not -name '*.pyc' 2>/dev/null)

# The SPARQL clients the tests drive through Node (Comunica), installed from their lock file when npm is
# here (.ci/run installs Node where it is missing); without npm those tests are skipped, saying why.
CLIENTS := $(if $(shell command -v npm 2>/dev/null),tests/clients/node_modules/.installed)

.PHONY: run test lint docs bench clean editor-assets

run: $(VENV)/.installed-run
	$(BIN)/libertera-kg build

test: lint $(CLIENTS)
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# Benchmarks print ratios against a named baseline; they are not part of the test suite (see bench/README.md).
bench: $(VENV)/.installed-test
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/server_startup.py
	$(BIN)/python bench/validation.py
	$(BIN)/python bench/views.py
	$(BIN)/python bench/endpoint.py
	$(BIN)/python bench/endpoint.py --operations 1200 --duration 30
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/engines.py

docs: $(VENV)/.installed-test
	$(BIN)/libertera-kg docs -o dist/docs
	for view in participation cases offences network series provenance; do $(BIN)/libertera-kg draw $$view -o docs/images/$$view.png; done

# The query editor's component, CodeMirror 5 from the npm registry, kept in the package so that the wheel
# needs neither npm nor a network (see src/libertera_kg/server/static/vendor/README.md).
CODEMIRROR := 5.65.21
EDITOR_FILES := lib/codemirror.js lib/codemirror.css mode/sparql/sparql.js addon/edit/matchbrackets.js \
	addon/runmode/runmode-standalone.js LICENSE
editor-assets:
	rm -rf build/codemirror && mkdir -p build/codemirror
	cd build/codemirror && npm pack --silent codemirror@$(CODEMIRROR) >/dev/null && tar xzf codemirror-$(CODEMIRROR).tgz
	for file in $(EDITOR_FILES); do \
		install -D -m 644 build/codemirror/package/$$file src/libertera_kg/server/static/vendor/codemirror/$$file; done

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The package is installed as a wheel would be (not editable), so the code under test finds the ontology,
# data and queries exactly as users' installations do.
$(VENV)/.installed-run: $(BIN)/python $(PACKAGE_FILES)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check ".[viz]"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps .
	touch $@

$(VENV)/.installed-test: $(BIN)/python $(PACKAGE_FILES)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check ".[test]"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps .
	touch $@ $(VENV)/.installed-run

tests/clients/node_modules/.installed: tests/clients/package.json tests/clients/package-lock.json
	npm ci --prefix tests/clients --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache .mypy_cache tests/clients/node_modules
